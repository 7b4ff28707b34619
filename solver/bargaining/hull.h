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

// maximise objective . u (+ t when `direction` is given, t >= t_min) over lotteries lambda
// with lower + t * direction <= P lambda (<= upper when `upper` is given) and the sum of the
// payoffs at least `sum_min`; `objective` may be empty (then only t counts, or nothing: any
// feasible lottery). Infeasible: feasible = false.
HullLp OptimizeOverHull(const std::vector<Vector>& points, const Vector& lower,
                        const Vector& direction, const Vector& objective,
                        const Vector& upper = {},
                        double t_min = -std::numeric_limits<double>::infinity(),
                        double sum_min = -std::numeric_limits<double>::infinity());

// Whether some feasible point of `set` beats d for every player by more than the solvers'
// tolerance: exactly the test after which SolveOutcomes does not throw "no gain to share".
// The points and d must be checked and free of tiny entries (common.h) already.
bool HasGain(const OutcomeSet& set, const Vector& d);

}  // namespace parley::bargaining::internal
