// Subgame-perfect equilibria of games of perfect information by backward induction
// (Zermelo 1913; Kuhn 1953; Selten 1965): in a reverse preorder sweep every node's value is
// its mover's best child (a chance node's: the probability-weighted average), outcomes on
// internal nodes added along the way.
//
// Ties: by default the first optimal action (in action order) is chosen and the node is
// reported as indifferent. With `all`, every pure subgame-perfect equilibrium is enumerated
// (up to `max_equilibria`): at each node, the set of (strategy of the subtree, value) pairs
// is built from the children's sets, and the mover keeps each child that is optimal for a
// given combination of the children's equilibria. A memory budget bounds these sets; what the
// root holds when it trips is listed and marked incomplete.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"

namespace parley::equilibrium {

struct BackwardInductionOptions {
  bool exact = false;                 // GMP rationals instead of doubles
  bool all = false;                   // every pure SPE, not just one
  std::size_t max_equilibria = 1000;  // with `all`: stop listing past this many
  // With `all`: the memory the partial strategies may take. Past it, every subtree solved
  // afterwards keeps one equilibrium; the list is then marked incomplete (Solution::complete).
  std::size_t memory_budget_bytes = std::size_t{512} << 20;
  // With `all`: the probabilities all listed profiles may hold together (each profile has one
  // per action of the game); past it the list stops, marked incomplete.
  std::size_t max_listed_numbers = std::size_t{1} << 19;
  // In floating point, actions whose values differ by at most this (relative to magnitude)
  // count as ties.
  double tie_tolerance = kTieTolerance;
};

// Throws UnsupportedError naming the first information set with two or more nodes when the
// game is not of perfect information.
Solution SolveBackwardInduction(const model::Game& game,
                                const BackwardInductionOptions& options = {});

// The payoffs of the one equilibrium SolveBackwardInduction finds with the default options
// (floating point, ties to the first optimal action), the same numbers bit for bit, without
// building the equilibrium: for callers that need only the value of a game (a bargain's
// disagreement point, solved once per evaluation). `values` is a workspace (num_nodes x
// num_players, grown when smaller; no allocation once large enough); the result points into
// it. Throws UnsupportedError as SolveBackwardInduction does.
std::span<const double> BackwardInductionPayoffs(const model::Game& game,
                                                std::vector<double>& values);

// The hot loop alone, for benchmarks and embedding: fills values (num_nodes x num_players,
// the value of each node's subtree) and choice (per information set, the chosen action;
// untouched for chance sets). No allocation. Returns the number of decision nodes with ties.
std::size_t BackwardInductionSweep(const model::Game& game, std::span<double> values,
                                   std::span<std::uint32_t> choice);

// Message for a game that backward induction cannot solve (names the information set).
std::string ImperfectInformationMessage(const model::Game& game);

}  // namespace parley::equilibrium
