// Bargaining over lotteries on listed outcomes: the feasible set is the convex hull of outcome
// vectors (or the outcomes alone when lotteries are forbidden).
//
// Nash (1950), weighted: maximise sum w_i log(u_i - d_i) over the hull.
//   * 2 players: the Pareto frontier (upper-right convex hull, O(m log m)) is walked and the
//     maximiser on each segment is taken in closed form: on u = A + s (B - A),
//     s* = -(w1 D1 a2 + w2 D2 a1) / ((w1 + w2) D1 D2) with D = B - A, a = A - d, clamped.
//   * n players: simplicial decomposition (column generation, Holloway 1974; von Hohenbalken
//     1977): the restricted problem over a few active outcomes is solved by a barrier Newton
//     method, and the outcome maximising the gradient w_i / (u_i - d_i) enters. Stops when the
//     Frank-Wolfe duality gap max_j g.(p_j - u) is at most the tolerance; since the objective is
//     concave, that gap bounds log(optimal Nash product / reached Nash product): a certificate.
// Kalai-Smorodinsky (1975), egalitarian (Kalai 1977) and utilitarian solutions are linear
// programs over the lottery weights (solver/lp), followed by a Pareto refinement (maximise
// the sum of payoffs without lowering anyone) for the first two, which only matters when the
// ray from d leaves the set through a weakly Pareto-optimal face.
//
// Free disposal: the ideal point and the KS/egalitarian points are taken in the comprehensive
// hull (a player may throw utility away), which has the same Pareto frontier as the hull.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "solver/bargaining/problem.h"

namespace parley::bargaining {

// The two-player Pareto frontier of conv(points): O(m log m). Throws ValidationError unless
// points are non-empty, 2-dimensional and finite.
Frontier2 ParetoFrontier2(const std::vector<Vector>& points);

// The listed points that are Pareto-optimal in conv(points) (no lottery weakly dominates them
// with one strict gain). Pure dominance filters first, then one LP per remaining point; throws
// LimitError when more than `max_candidates` points survive the filter.
std::vector<Vector> ParetoVertices(const std::vector<Vector>& points,
                                   std::size_t max_candidates = 2000);

// Each player's best payoff over feasible points at least as good as d for everyone
// (conv(points), or the points alone when !lotteries). Sets *individually_rational to false,
// and returns the unconstrained maxima, when no feasible point is >= d.
Vector IdealPoint(const OutcomeSet& set, const Vector& d, bool* individually_rational = nullptr);

// One concept. `weights` empty means all 1 (weights matter for Nash and utilitarian only).
// Throws ValidationError for malformed input and when no feasible point is strictly better
// than d for every player (the message shows the ideal point).
Solution SolveOutcomes(const OutcomeSet& set, const Vector& d, Concept concept_kind,
                       const Vector& weights = {}, double tolerance = 1e-9);

// Every requested concept, the ideal point and the frontier (2 players) or the Pareto-optimal
// outcomes (n players, up to 200 outcomes). Symmetric Nash is always included when Nash is
// requested; weighted Nash is added when the weights are not all equal.
Result SolveOutcomes(const OutcomeSet& set, const Vector& d, const Request& request);

}  // namespace parley::bargaining

namespace parley::bargaining {

// The Nash solution alone over conv(points), for callers that want to pick the method:
// `closed_form_for_two` uses the frontier walk for 2 players (otherwise simplicial
// decomposition for any n). `weights` must be positive (size = players).
Solution NashOverHull(const std::vector<Vector>& points, const Vector& d, const Vector& weights,
                      double tolerance = 1e-9, bool closed_form_for_two = true);

}  // namespace parley::bargaining

namespace parley::bargaining::internal {

// The part of NashOverHull's two-player closed form that does not read d or the weights: the
// Pareto frontier of conv(points), with the listed point behind each vertex. Kept by a caller
// that solves the same points again with other weights (a sweep of bargaining powers).
struct IndexedFrontier {
  Frontier2 frontier;
  std::vector<std::size_t> index;  // listed outcome behind each vertex
  std::string method;              // the solution's method line
  // False when NashOverHull would not take the closed form on these points as given (not 2
  // players, payoffs it would snap, points it rejects): NashOverFrontier then calls it.
  bool usable = false;
};

IndexedFrontier PrepareNashFrontier(const std::vector<Vector>& points);
// The same, written over `f` (its storage reused) with `scratch`'s working vectors, for a caller
// that prepares again (a new draw of the parameters).
struct FrontierScratch {
  std::vector<std::size_t> order, chain;
};
void PrepareNashFrontier(const std::vector<Vector>& points, IndexedFrontier* f, FrontierScratch* scratch);

// NashOverHull(points, d, weights) (default tolerance, closed form for two), bit for bit, with
// `frontier` = PrepareNashFrontier(points) for the same points: only the weighted
// maximisation along the frontier runs.
Solution NashOverFrontier(const std::vector<Vector>& points, const IndexedFrontier& frontier,
                          const Vector& d, const Vector& weights);
// The same, written over `out` (every field set; its storage reused: a caller solving again
// allocates nothing on the closed form's path).
void NashOverFrontier(const std::vector<Vector>& points, const IndexedFrontier& frontier,
                      const Vector& d, const Vector& weights, Solution* out);

}  // namespace parley::bargaining::internal
