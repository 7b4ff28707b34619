// Equilibria of the sequence form of a two-player (reduced) subgame.
//
//  * SolveSequenceFormLemke: one Nash equilibrium of a general-sum game by Lemke's algorithm
//    on the LCP of Koller, Megiddo and von Stengel (1996), "Efficient computation of
//    equilibria for extensive two-person games", GEB 14: with payoff matrices A, B (player 1
//    and 2, made negative by subtracting a constant, which changes every outcome equally),
//    find x, y >= 0 and free u, v with
//        E x = e,  F y = f,  E'u - A y >= 0 _|_ x,  F'v - B'x >= 0 _|_ y.
//    The free u (v) are split as u = u- - u+ and E x = e as the pair E x >= e, -E x >= -e,
//    which makes M = [negative payoffs] + [skew-symmetric constraint blocks] copositive; with
//    the covering vector of ones, Lemke's method then ends at a solution (KMvS 1996, sec. 4;
//    Cottle, Pang and Stone 1992, thm. 4.4.12).
//  * SolveSequenceFormLp: optimal realization plans of a constant-sum game (not its value: the
//    LP sees the payoffs scaled by a power of two when they are far from 1) by
//    the linear programme of Koller, Megiddo and von Stengel (1994), "Fast algorithms for
//    finding randomized strategies in game trees", STOC: maximise q_0 over x, q subject to
//    E x = e, x >= 0, A'x - F'q >= 0, or the mirrored programme with player 2 maximising,
//    whichever has fewer rows. The other player's plan comes from the duals of its sequence
//    rows (or, if those do not read back as a realization plan, from the mirrored LP).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "solver/equilibrium/sequence_form.h"
#include "solver/lp/linear_program.h"

namespace parley::equilibrium {

// How a solve in floating point ended. Rounding can defeat a method that cannot fail in exact
// arithmetic: Lemke's path cycles or ends on a ray, an LP engine stops short of an optimum.
// That is numerically inconclusive, a status the caller handles (another engine, exact
// arithmetic); it is never an InternalError, which is a bug and surfaces.
enum class SolveStatus { kSolved, kInconclusive };

template <class T>
struct PlanPair {
  std::vector<T> x, y;  // realization plans of players 1 and 2 over their sequences
  std::size_t pivots = 0;
  SolveStatus status = SolveStatus::kSolved;
  std::string failure;  // kInconclusive: what went wrong ("sequence-form LCP of ...: ...")
  std::string note;     // the LP engine's note (another engine solved it), for the solution
  lp::Engine engine = lp::Engine::kGlpk;  // the LP engine that ran (SolveSequenceFormLp)
};

// In doubles: kInconclusive when rounding defeats both the reduced and the split LCP. In
// rationals Lemke's method cannot end on a ray for these LCPs (KMvS 1996, sec. 4), so one that
// does is an InternalError. Throws LimitError when the tableau would be too large or the pivot
// limit is reached.
template <class T>
PlanPair<T> SolveSequenceFormLemke(const Game& game, const SequenceForm<T>& sf);

// `engine`: CLP (barrier, crossover and a dual simplex clean-up; several times faster on large
// games) or GLPK (primal simplex). kInconclusive when the engine ends without an optimum;
// throws LimitError if the engine gives up (the clp program fails or runs out of time). The
// program goes to SequenceFormLpEngine(sf, engine), or to `engine` itself when
// `exactly_this_engine`; PlanPair::engine says which ran (GLPK, with a note, when CLP was
// asked for and no `clp` program could be run).
PlanPair<double> SolveSequenceFormLp(const Game& game, const SequenceForm<double>& sf,
                                     lp::Engine engine = lp::Engine::kClp,
                                     bool exactly_this_engine = false);
// The engine a sequence-form LP is given when `asked` is asked for: GLPK, in process, for a
// program of fewer than 1,000 sequences (both players together) when CLP is asked for.
lp::Engine SequenceFormLpEngine(const SequenceForm<double>& sf, lp::Engine asked);

}  // namespace parley::equilibrium
