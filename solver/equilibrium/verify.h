// Verification of subgame perfection: for every proper subgame and every player, the most the
// player can gain by deviating from a behaviour profile while the others keep to it.
//
// The best response of a player with perfect recall is found by the sequence-form backward
// pass (von Stengel 1996, sec. 4; Koller, Megiddo and von Stengel 1994): weight every node of
// the subgame by the probability that chance and the other players reach it, add each node's
// outcome (times that weight) to the player's own sequence leading to the node, then sweep the
// player's information sets bottom-up, taking at each set the action whose sequence collects
// the most (its own payoffs plus the best values of the sets that follow it). The gain is that
// best value minus what the profile gives the player in the subgame. Cost: O(size of the
// subgame's own nodes) per player and subgame: a subgame nested in another enters the outer
// one's pass as a summary of its nodes, so the whole check visits each node once per player.
#pragma once

#include <memory>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"
#include "solver/model/number.h"

namespace parley::equilibrium {

// Expected payoff of each player from each node on (outcomes at the node and below),
// values[v * num_players + p], for doubles or rationals (profile.h's NodeValues is the double one).
template <class T>
std::vector<T> NodeValuesAs(const model::Game& game, const ActionIndex& index,
                            const std::vector<T>& behavior);

// The largest gain of any player in any proper subgame (roots from ProperSubgameRoots, or
// `roots` when given). Needs perfect recall (a player's best response in behaviour
// strategies is computed per information set). 0 means subgame perfect.
template <class T>
T MaxSubgameGain(const model::Game& game, const ActionIndex& index, const std::vector<T>& behavior,
                 const std::vector<char>* roots = nullptr);

// MaxSubgameGain in doubles, and what of it rounding cannot explain: for each subgame and
// player, a lower bound on the gain, summed from the player's sets (each set's contribution
// less `relative` times the sums over |payoff| below its actions, where positive: the gain
// is computed from differences of one set's action values, never of two values at the
// subgame's root), the largest of these. A game paid in billions has gains of 1e-7 from rounding alone, which
// `beyond_rounding` discounts; one whose large payoffs lie elsewhere keeps its small gains
// (the best response of a player with stakes of 0.01 is not excused by a payoff of 1e15 in
// another branch). `rounding` is the largest of those bounds: gains below it are not seen.
struct GainCheck {
  double gain = 0;
  double beyond_rounding = 0;
  double rounding = 0;
};
GainCheck CheckSubgameGain(const model::Game& game, const ActionIndex& index,
                           const std::vector<double>& behavior, const std::vector<char>* roots,
                           double relative);

// CheckSubgameGain for one subgame at a time, for a solver that takes the subgames deepest
// first (in reverse preorder of their roots): Check(r, ...) gives subgame r's own check (the
// roots as marked in `roots`, and the same `relative`), each subgame nested in it read from
// `settled`, the behaviour the solver has fixed there, which must not change afterwards. The
// calls go to roots in decreasing order (several calls for one root are allowed), so that
// each subgame is summarised once: the checks of all the subgames of a chain cost its length,
// not its square. The game, the index and `roots` must outlive the checker.
class SubgameGainChecker {
 public:
  SubgameGainChecker(const model::Game& game, const ActionIndex& index, const std::vector<char>& roots,
                     double relative);
  ~SubgameGainChecker();
  SubgameGainChecker(const SubgameGainChecker&) = delete;
  SubgameGainChecker& operator=(const SubgameGainChecker&) = delete;
  GainCheck Check(model::NodeId r, const std::vector<double>& trial, const std::vector<double>& settled);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

extern template std::vector<double> NodeValuesAs<double>(const model::Game&, const ActionIndex&,
                                                         const std::vector<double>&);
extern template std::vector<Rational> NodeValuesAs<Rational>(const model::Game&,
                                                             const ActionIndex&,
                                                             const std::vector<Rational>&);
extern template double MaxSubgameGain<double>(const model::Game&, const ActionIndex&,
                                              const std::vector<double>&,
                                              const std::vector<char>*);
extern template Rational MaxSubgameGain<Rational>(const model::Game&, const ActionIndex&,
                                                  const std::vector<Rational>&,
                                                  const std::vector<char>*);

}  // namespace parley::equilibrium
