// One subgame-perfect equilibrium in behaviour strategies of a finite game with perfect
// recall, by subgame decomposition (Selten 1965, 1975; Kuhn 1953 for behaviour strategies).
//
// Proper subgames are solved bottom-up (reverse preorder of their roots). Each is reduced:
// the proper subgames strictly inside it were solved already and are replaced by leaves
// holding their equilibrium value. A reduced subgame whose root is its only decision point
// is one step of backward induction; any other has imperfect information. With three or more
// players (or `method` "logit") it is solved by tracing the principal branch of the agent
// logit quantal response equilibrium to its limit and polishing (logit.h); with two players,
// in its sequence form:
//   * constant-sum (the leaves' payoffs have one sum): the LP of Koller, Megiddo and von
//     Stengel (1994), in floating point through GLPK;
//   * otherwise: Lemke's algorithm on the LCP of Koller, Megiddo and von Stengel (1996), in
//     doubles, or in GMP rationals with `exact` (then constant-sum subgames use it too, since
//     the LP solver is floating point only).
// A Nash equilibrium of every reduced subgame, glued together, is a subgame-perfect
// equilibrium of the whole game. Realization plans become behaviour strategies by
// b(h, a) = x[(h, a)] / x[parent(h)]; at sets a player's own plan never reaches, the uniform
// distribution (any behaviour there is optimal and no proper subgame starts inside).
//
// Every result is verified (verify.h): the largest gain from deviating in any proper subgame
// is stored in Equilibrium::max_gain; exactly 0 with `exact`; in doubles below `tolerance`
// (1e-9, times the payoffs' span when that is below 1) once rounding is discounted
// (CheckSubgameGain, 1e-13 of the payoffs each value adds up). A floating-point result failing
// that is recomputed in exact arithmetic, with a note (two players; with more, an error).
#pragma once

#include <string>

#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/profile.h"
#include "solver/lp/linear_program.h"
#include "solver/model/game.h"

namespace parley::equilibrium {

struct SubgamePerfectOptions {
  bool exact = false;
  // "auto" (LP on constant-sum subgames, Lemke otherwise; logit with 3+ players), "lp"
  // (every imperfect-information subgame must be constant-sum), "lemke" or "logit".
  std::string method = "auto";
  // In doubles: largest gain (beyond rounding) accepted before recomputing in exact
  // arithmetic, in units of the payoffs' span when that is below 1.
  double tolerance = 1e-9;
  // The LP engine tried first for constant-sum subgames; the other one is the second opinion
  // when it gives up or its answer fails verification.
  lp::Engine lp_engine = lp::Engine::kClp;
  // Limits of the logit tracer (subgames with three or more players, or method "logit").
  LogitOptions logit;
  // Where exact arithmetic cannot take the whole game (three or more players move in some
  // subgame), a subgame of at most two movers whose floating-point answer fails is solved again
  // alone in exact arithmetic before the other fallbacks (Lemke in doubles in place of an LP,
  // the logit tracer everywhere). Off only to test those fallbacks.
  bool exact_subgames = true;
};

// Throws UnsupportedError for games without perfect recall, for imperfect-information
// subgames with more than two players under `exact`, and for `lp` on a subgame
// that is not constant-sum; LimitError when a subgame is too large for the method or the logit
// tracer stops without a verified equilibrium.
Solution SolveSubgamePerfect(const model::Game& game, const SubgamePerfectOptions& options = {});

}  // namespace parley::equilibrium
