// Compile once, evaluate many: a scenario expanded for many parameter values (sweep points,
// threshold bisections, Monte Carlo samples) without building its games again each time.
//
// The first evaluation in a scratch expands the scenario as CompiledScenario::Expand does and
// keeps the games it built: the scenario's tree and every continuation solved on the way (the
// no-deal branches that give the bargains' disagreement points). A later evaluation runs the
// same expansion over the same compiled formulas, in the same order, but writes only the
// numbers (payoffs, chance probabilities, the bargains' agreements) into the kept games, and
// checks at every node that the tree is the one kept. So its numbers are those of a full
// expansion, bit for bit.
//
// Within a scratch an evaluation also reuses what the one before computed where the inputs
// are the same bits: each bargain's disagreement point, its corners and hull (only the
// solution step runs again when only the bargaining powers moved, as in a sweep of a power)
// and its solution, terminal payoffs, and the scenario's unrolled stage list with its interned
// labels (see CompiledGames in internal.h). Each is a pure
// function of the inputs compared, so the numbers stay those of a full expansion.
//
// That holds when the tree's shape does not depend on the parameters that vary. A parameter
// changes the shape when it reaches (directly or through computed variables) a stage's
// condition, an action list or range, or a repeat block's bounds or `while`; a point where
// such a parameter moves from the kept games' value is expanded in full. Scenarios in the
// explicit tree form, bargains with `after_agreement` stages (whose continuations are solved
// per candidate agreement, and named in the results) and probabilities written as exact
// fractions are always expanded in full.
//
// Thread safety: a CompiledEvaluator is immutable; each thread evaluates with a Scratch of
// its own.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "solver/scenario/scenario.h"

namespace parley::scenario {

struct CompiledGames;

class CompiledEvaluator {
 public:
  // One thread's state: the formulas' workspace, the kept games and the last result. Not
  // thread-safe; it refers to its evaluator, which must outlive it.
  class Scratch {
   public:
    explicit Scratch(const CompiledEvaluator& evaluator);
    ~Scratch();
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

    std::size_t rewrites() const { return rewrites_; }          // evaluations on kept games
    std::size_t expansions() const { return expansions_; }      // full expansions

   private:
    friend class CompiledEvaluator;
    const CompiledEvaluator* owner_;
    ExpansionWorkspace workspace_;
    std::unique_ptr<CompiledGames> games_;
    std::vector<double> kept_at_;  // the parameter values the kept games were built for
    std::vector<double> last_values_;  // those of the last evaluation
    Expansion result_;
    std::size_t rewrites_ = 0, expansions_ = 0;
  };

  // `options` apply to every evaluation (max_nodes, fast_bargains).
  CompiledEvaluator(std::shared_ptr<const CompiledScenario> scenario, ExpandOptions options);

  const CompiledScenario& scenario() const { return *scenario_; }

  // Why parameter `index` changes the tree's shape ("it reaches the condition of stage
  // 'carveout'"), or "" when it does not.
  const std::string& ShapeReason(std::size_t index) const { return parameter_reasons_[index]; }
  // Why no evaluation can keep the games (explicit tree, after_agreement, exact fractions),
  // or "" when they can.
  const std::string& Unsupported() const { return unsupported_; }
  // Whether evaluations varying these parameters (indices) run on the kept games.
  bool Rewrites(std::span<const std::size_t> varied) const;
  // One line for --verbose: which path evaluations varying these parameters take, and why.
  std::string DescribePath(std::span<const std::size_t> varied) const;

  // The expansion for these parameter values (one per parameter, in order): game, bargains
  // and counters, equal to CompiledScenario::Expand's. The result, its game included, lives
  // in `scratch` and is valid until the next Evaluate with it. Throws what Expand throws.
  const Expansion& Evaluate(std::span<const double> values, Scratch& scratch) const;

 private:
  std::shared_ptr<const CompiledScenario> scenario_;
  ExpandOptions options_;
  std::string unsupported_;
  std::vector<std::string> parameter_reasons_;
};

}  // namespace parley::scenario
