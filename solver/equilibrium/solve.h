// The solver behind `parley solve`: picks a method for the game and returns its
// subgame-perfect equilibria (solving and rendering stay apart: see solver/report).
//   perfect information                    -> backward induction (all pure SPE with `all`)
//   imperfect information, perfect recall,
//   two players                            -> subgame decomposition (subgames.h): each
//                                             imperfect-information subgame by the
//                                             sequence-form LP when constant-sum, else Lemke
//   more than two players, imperfect info  -> subgame decomposition, each imperfect-
//                                             information subgame by tracing the logit
//                                             quantal response branch (logit.h), verified
//   no perfect recall                      -> UnsupportedError
// With `all` (and method auto) on a two-player game of imperfect information: every extreme
// Nash equilibrium of the reduced strategic form that is subgame perfect (enumeration.h).
// `method` overrides: "backward-induction", "lp", "lemke", "logit" (see SolveOptions).
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
  // "auto", "backward-induction", "lp", "lemke", "logit" (every imperfect-information
  // subgame by the logit branch, for any number of players).
  std::string method = "auto";
  // The logit tracer's budget per subgame, in seconds of the calling thread's processor time
  // (LogitOptions::max_seconds).
  double max_seconds = 60;
};

// The methods `method` accepts, for help texts and messages.
const std::vector<std::string>& SolveMethods();

// Throws UnsupportedError when no method applies, with what would.
Solution Solve(const model::Game& game, const SolveOptions& options);

}  // namespace parley::equilibrium
