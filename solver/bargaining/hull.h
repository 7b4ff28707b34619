// Linear programs over lotteries on listed outcome vectors (the convex hull of the points),
// the one LP that the hull methods of solver/bargaining (outcomes.cc, agreement.cc) share.
// Internal to the bargaining library.
#pragma once

#include <limits>
#include <vector>

#include "solver/bargaining/problem.h"

namespace parley::bargaining::internal {

struct HullLp {
  bool feasible = false;
  double t = 0.0;
  Vector u;        // P lambda
  Vector lambda;   // the lottery (non-negative, summing to 1)
  double objective = 0.0;
};

// maximise objective . u (+ t when `direction` is given, t >= t_min) over
// lotteries lambda with lower + t * direction <= P lambda (<= upper when `upper` is given) and
// sum_weights . P lambda >= sum_min (all ones when `sum_weights` is empty); `objective` may be
// empty (then only t counts, or nothing: any feasible lottery). Infeasible: feasible = false.
// `later`: objectives over u optimised in turn over the optima of those before
// (lexicographically, exactly: lp::LinearProgram::AddLaterObjective).
// Solved exactly on its doubles (lp::SolveOptions::exact: a simplex in rational arithmetic
// from GLPK's floating-point basis): the optimum to the last digit at any scale of the
// payoffs, and a choice between values 1e-16 apart made as exactly as one between 0 and 1.
HullLp OptimizeOverHull(const std::vector<Vector>& points, const Vector& lower,
                        const Vector& direction, const Vector& objective,
                        const Vector& upper = {},
                        double t_min = -std::numeric_limits<double>::infinity(),
                        double sum_min = -std::numeric_limits<double>::infinity(),
                        const Vector& sum_weights = {}, const std::vector<Vector>& later = {});

// Where the ray from d along `direction` leaves the hull of `points`, refined to a Pareto-
// optimal point where that exit is only weakly so (the Kalai-Smorodinsky and egalitarian
// step: a closed form for two players, linear programmes for more; outcomes.cc). The ray must
// leave at t > 0.
Solution RayExitRefined(const std::vector<Vector>& points, const Vector& d, const Vector& direction, Concept c);

// Each player's magnitude: the largest |payoff| among the points and d for that player
// (kMinMagnitude when all are 0). The solvers' tolerances are relative to it, player by
// player, so that no player's payoffs are judged in another's units.
Vector PlayerScales(const std::vector<Vector>& points, const Vector& d);
// The same, written over `out` (its storage reused).
void PlayerScales(const std::vector<Vector>& points, const Vector& d, Vector* out);
// The lower bounds that say "at least d" up to rounding: d itself, except for a player whose
// best over the points is below d_i by at most 1e-12 of its magnitude (2.4 + 0.3 =
// 2.6999999999999997 against 2.7), whose bound is that best. Never below both, so that no
// slack is left for a lottery to trade against another player's gain.
Vector MeetingD(const std::vector<Vector>& points, const Vector& d);

}  // namespace parley::bargaining::internal
