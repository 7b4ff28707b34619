// The solution explained in sentences a student can follow: the steps of backward induction
// (Zermelo 1913; Kuhn 1953; Selten 1965) in the order the solver computes them, children
// before parents (a reverse preorder sweep), each saying what the mover compares and what
// they choose; ties called out; chance nodes' expected values worked out; for information
// sets with more than one node or mixed choices, the beliefs the comparison uses and why a
// player mixes (indifference between the actions mixed).
//
// The explanation is computed from an equilibrium (its behaviour profile): it never solves.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"

namespace parley::report {

struct ExplainOptions {
  // Past this many steps, only steps on the equilibrium path are kept (those nearest the
  // root when even they are too many) and a note says how many were left out.
  std::size_t max_steps = 120;
  // Values this close (relative to their size) count as a tie: backward induction's rule, so
  // that the explanation calls a tie exactly what the solver took as one.
  double tie_tolerance = equilibrium::kTieTolerance;
  // How the equilibrium was found (Solution::method), named in the introduction when the
  // game is not of perfect information.
  std::string method;
};

enum class StepKind { kChoice, kTie, kChance, kMix, kUnreached };

struct ExplanationStep {
  model::NodeId node = 0;  // the node (for a set of several nodes: its first)
  StepKind kind = StepKind::kChoice;
  bool on_path = false;  // reached with positive probability in the equilibrium
  std::string text;      // one or more sentences
};

struct Explanation {
  std::string introduction;
  std::vector<ExplanationStep> steps;  // in the order computed
  std::size_t total_steps = 0;         // before any were left out
  std::string omitted_note;            // "" when every step is shown
  std::string conclusion;              // the path and payoffs it leads to
};

// Explains `eq`, an equilibrium of `game`. Single-action nodes need no step and get none.
Explanation Explain(const model::Game& game, const equilibrium::Equilibrium& eq,
                    const ExplainOptions& options = {});

// Its conclusion alone (the path and payoffs), without working out every step: what a
// caller that shows only the last sentence needs, in time linear in the path, not the tree.
std::string ExplainConclusion(const model::Game& game, const equilibrium::Equilibrium& eq);

// The explanation as plain text: the introduction, the steps numbered one per line, the
// note, the conclusion (what the golden tests compare).
std::string ExplanationText(const Explanation& explanation);

}  // namespace parley::report
