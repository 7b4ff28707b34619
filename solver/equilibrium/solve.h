// The solver behind `parley solve`: picks a method for the game and returns its
// subgame-perfect equilibria.
//   perfect information             -> backward induction
//   otherwise                        -> UnsupportedError naming the information set (for now)
#pragma once

#include <cstddef>
#include <string>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"

namespace parley::equilibrium {

struct SolveOptions {
  bool exact = false;
  bool all = false;
  std::size_t max_equilibria = 1000;
  std::string method = "auto";  // "auto", "backward-induction"
};

// Throws UnsupportedError when no method applies, with what would.
Solution Solve(const model::Game& game, const SolveOptions& options);

}  // namespace parley::equilibrium
