// Strategy profiles in behaviour strategies and what every solver returns.
//
// A behaviour profile gives, for every information set, a probability for each of its
// actions (Kuhn 1953). Chance sets are included, holding their probabilities, so that reach
// probabilities are one product along the path. Actions of all sets are numbered in one flat
// range by ActionIndex; profiles are flat arrays over that range.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "solver/model/game.h"
#include "solver/model/number.h"

namespace parley::equilibrium {

using model::Game;
using model::InfosetId;
using model::NodeId;

// In floating point, two values count as tied when they differ by at most this much relative
// to their size: far above formula rounding (about 1e-16), far below any real difference, so
// that switching values found by bisection are accurate to about 1e-12 of the payoffs' size.
inline constexpr double kTieTolerance = 1e-12;

// What "their size" is measured from: two values a and b tie when |a - b| <= tolerance x
// (unit + |b|), where the unit is the largest |payoff| of the game when that is below 1, and 1
// otherwise. A game stated in millionths is compared at its own scale (with a unit of 1, every
// payoff of 1e-12 would tie with 0); one whose payoffs reach 1 or more keeps the unit 1.
double TieUnit(const Game& game);

// Numbers the (information set, action) pairs of a game 0 .. size()-1, set by set.
class ActionIndex {
 public:
  explicit ActionIndex(const Game& game);
  std::uint32_t operator()(InfosetId h, std::uint32_t a) const { return first_[h] + a; }
  std::uint32_t first(InfosetId h) const { return first_[h]; }
  std::uint32_t size() const { return first_.back(); }

 private:
  std::vector<std::uint32_t> first_;  // num_infosets + 1
};

// Where the beliefs at an information set come from (Equilibrium::belief_source).
enum class BeliefSource : std::uint8_t {
  kNone,         // a chance set, or beliefs not computed
  kBayes,        // the profile reaches the set: Bayes' rule
  kSubgame,      // unreached, but reached from the root of its smallest proper subgame: Bayes'
                 // rule there (the profile is an equilibrium of that subgame)
  kTrace,        // unreached in every subgame: consistent, from the logit trace (logit.h)
  kUnspecified,  // unreached and no trace: the equilibrium does not determine them (uniform)
};

// "Bayes' rule", "Bayes' rule in its subgame", "consistent limit, from the logit trace", "not
// determined (uniform shown)"; and the JSON names "bayes", "subgame", "trace", "unspecified".
std::string BeliefSourceText(BeliefSource source);
std::string BeliefSourceName(BeliefSource source);

// One equilibrium, in behaviour strategies.
struct Equilibrium {
  std::vector<double> behavior;  // over ActionIndex; chance sets hold their probabilities
  std::vector<double> payoffs;   // expected payoff of each player
  // Filled when solved in exact arithmetic (--exact): the same numbers as rationals.
  std::vector<Rational> exact_behavior;
  std::vector<Rational> exact_payoffs;
  // Decision nodes (pure solutions) where the mover had two or more optimal actions.
  std::vector<NodeId> indifferent;
  // Largest gain any player gets by deviating, in any proper subgame (0 for an exact
  // subgame-perfect equilibrium; in floating point below 1e-9 once rounding is discounted,
  // see CheckSubgameGain). Negative when not checked.
  double max_gain = -1;
  // The assessment (Kreps and Wilson 1982): for every node of a personal information set, the
  // probability of being there when the set is reached (indexed by node, 0 elsewhere), and
  // per information set where that comes from. Both empty when not computed (AssignBeliefs).
  std::vector<double> beliefs;
  std::vector<BeliefSource> belief_source;
};

// What `parley solve` computes.
struct Solution {
  std::string concept_name = "subgame-perfect";
  std::string method;  // e.g. "backward induction"
  bool exact = false;
  std::vector<Equilibrium> equilibria;
  bool truncated = false;  // --max cut the list
  // False when the list may leave equilibria out: a guard on work or memory stopped an
  // enumeration (--all) early (the equilibria found until then are listed, each genuine;
  // enumerators hand each on as they find it, so a guard never discards them), or --all was
  // asked of a method that finds one equilibrium (stopped_by "not enumerated"). stopped_by
  // names the guard or the reason.
  bool complete = true;
  std::string stopped_by;
  std::vector<std::string> notes;
};

// The probability of reaching each node under a profile (preorder forward pass).
std::vector<double> ReachProbabilities(const Game& game, const ActionIndex& index,
                                       const std::vector<double>& behavior);

// Expected payoff of each player at each node under the profile, outcomes on the way
// included: values[v * num_players + p] is the payoff player p expects from v on, counting
// outcomes at v and below.
std::vector<double> NodeValues(const Game& game, const ActionIndex& index,
                               const std::vector<double>& behavior);

// For games of perfect information: the largest gain any player gets by deviating from the
// profile in any subgame (every node roots one). 0 means subgame-perfect.
double PerfectInformationGain(const Game& game, const ActionIndex& index,
                              const std::vector<double>& behavior);

// Probability (or 0/1) that a pure profile's set h picks action a: helper for writers.
inline bool IsPure(const std::vector<double>& behavior, std::uint32_t first, std::uint32_t n) {
  for (std::uint32_t a = 0; a < n; ++a)
    if (behavior[first + a] != 0 && behavior[first + a] != 1) return false;
  return true;
}

}  // namespace parley::equilibrium
