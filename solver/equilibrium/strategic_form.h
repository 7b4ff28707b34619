// The reduced strategic form of an extensive game with perfect recall, for any number of
// players (Kuhn 1953; von Stengel 1996, "Efficient computation of behavior strategies", GEB 14).
//
// A pure strategy chooses an action at every information set of its player. Two strategies
// that differ only at sets the player's own earlier choices exclude are indistinguishable in
// play, so the reduced form keeps one of them: a reduced pure strategy chooses an action at
// each set its own choices do not exclude, and nothing at the others. (These are the pure
// realization plans of the sequence form.) A profile's payoff is the expected payoff over the
// leaves it reaches, chance-weighted, with outcomes on internal nodes adding up along the path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "solver/model/game.h"
#include "solver/model/normal_form.h"

namespace parley::equilibrium {

// The action a reduced pure strategy takes at a set its own choices exclude.
inline constexpr std::uint32_t kExcludedSet = 0xffffffffu;

// One player's reduced pure strategies, each as the action chosen at every one of the player's
// sets (in the order of `sets`), kExcludedSet where excluded. `sets` are the player's personal
// information sets in preorder of their first node (a set comes after the sets of its
// player's earlier moves). The strategies are listed in lexicographic order of their actions.
struct ReducedStrategies {
  std::vector<model::InfosetId> sets;
  std::vector<std::vector<std::uint32_t>> strategies;
};

// `within`, when given, restricts the strategies to those sets of the player (the sets of one
// proper subgame: own moves above it do not constrain them). Needs perfect recall (checked by
// the caller). Throws LimitError when the player has more than `limit` reduced strategies (the
// message names the player and ends with `hint`).
ReducedStrategies EnumerateReducedStrategies(const model::Game& game, int player,
                                             std::size_t limit, const std::string& hint,
                                             const std::vector<model::InfosetId>* within = nullptr);

struct StrategicFormOptions {
  std::size_t max_strategies = 10'000;  // per player
  std::size_t max_cells = 1'000'000;    // strategy profiles in all
};

// The reduced strategic form as a table. Strategy labels list the actions at the player's sets
// in the order of ReducedStrategies::sets, "*" at excluded ones ("raise call *"), "#k" for an
// action without a label when the player has several sets (with one set a strategy is its
// action, an empty label included); a player without sets has the single strategy "-". The
// table keeps the game's comment; a game without one gets a comment that says how strategies
// are named. Payoffs are exact (fractions) when every number of
// the game was stated exactly, or, in a game with computed numbers, each looks stated (a
// denominator of at most 40 bits, or a number no double holds: StatedExactly in
// strategic_form.cc); otherwise every cell is the double its exact sum rounds to. Throws LimitError past the options' limits, before doing the
// work.
model::NormalFormGame ReducedStrategicForm(const model::Game& game,
                                           const StrategicFormOptions& options = {});

}  // namespace parley::equilibrium
