// Bargaining concepts as nonlinear programs over the continuous issues of one package, for
// payoffs or constraints that are not affine (agreement.h). Internal to the bargaining library.
//
// Every concept is one program of the same shape, over the issues y (in their box) and a few
// extra variables z (a common gain t, or the Nash gains s_i):
//
//   maximise   sum_i ou_i u_i(y) + sum_q oy_q z_q + sum_q ol_q log z_q
//   subject to c_r + sum_i a_ri u_i(y) + sum_q b_rq z_q <= 0     (rows: u against d or t)
//              g_j(y) <= 0                                      (the problem's constraints)
//
//   Nash:              z = s,  maximise sum w_i log s_i,  s_i <= u_i - d_i
//   Kalai-Smorodinsky: z = t,  maximise t,  u_i >= d_i + t (a_i - d_i)
//   egalitarian:       z = t,  maximise t,  u_i >= d_i + t
//   utilitarian, a player's ideal payoff: maximise w.u subject to u >= d
//
// Method: a deterministic global stage (a grid over the box, or 2^-53-spaced draws of
// std::mt19937_64 beyond 3 issues) ranks starting points by the concept's own score; from the
// best few, a local polish by SLSQP (NLopt, Kraft 1988) with derivatives of u and g by
// fourth-order finite differences (within two steps of a bound, at steps down to a fraction of
// the distance to it, the estimate with the smallest estimated error). Then the KKT conditions
// are checked at the best point: multipliers of the active rows, constraints and bounds by
// non-negative least squares (Lawson and Hanson 1974), residual relative to the gradients'
// scale, plus the most the derivatives' estimated errors could add to it. Where they fail,
// Newton steps on the gradient when only bounds are active (SLSQP compares objective values,
// flat to the last bit near a sharp optimum), then a derivative-free polish by COBYLA (NLopt)
// for a kink, and Newton again after it. When every payoff
// that enters is concave and every constraint convex (a sampled midpoint test, not a proof)
// the program is concave and a KKT point is its global optimum.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "solver/bargaining/problem.h"

namespace parley::bargaining::internal {

// The problem at one package: y -> (u, g), y in [lower, upper].
struct NlpSpace {
  Vector lower, upper;
  std::size_t players = 0, constraints = 0;
  std::function<void(const Vector& y, Vector* u, Vector* g)> evaluate;
};

struct NlpRow {
  double c = 0;
  Vector a;  // one per player (empty: 0)
  Vector b;  // one per extra variable (empty: 0)
};

struct NlpForm {
  Vector ou;                 // per player (empty: 0)
  std::size_t extra = 0;     // number of extra variables z
  Vector oy, ol;             // per extra variable (empty: 0)
  Vector zlo, zhi;           // per extra variable
  Vector zscale;             // per extra variable, its magnitude (empty: 1): the solver works in z / zscale
  std::vector<NlpRow> rows;
  // The extra variables at a sample's payoffs (best for this y), and the objective there;
  // false when the sample is not acceptable (then only its violation ranks it).
  std::function<bool(const Vector& u, Vector* z, double* objective)> start;
};

// Samples of the box, computed once per package and shared by every program over it.
struct NlpSamples {
  std::vector<Vector> y, u, g;
  bool concave = false;  // the sampled midpoint test passed (payoffs concave, constraints convex)
};
NlpSamples SampleSpace(const NlpSpace& space);

struct NlpPoint {
  bool found = false;   // some point satisfied every row and constraint (to 1e-9 relative)
  Vector y, z, u, g;
  double objective = 0;
  double kkt_residual = 0;  // relative; +inf when not computed
  std::vector<std::size_t> active_constraints;  // indices of g_j active at y
  std::vector<std::pair<std::size_t, bool>> active_bounds;  // (issue, at upper)
  int starts = 0;       // local polishes run
};

// Solves the program; `search` receives a sentence on what was searched. What
// space.evaluate throws passes through, from inside NLopt's runs too (SampleSpace likewise).
NlpPoint SolveNlp(const NlpSpace& space, const NlpSamples& samples, const NlpForm& form);

// The KKT tolerance: a point whose relative residual is at most this is a KKT point.
inline constexpr double kKktTolerance = 1e-9;

}  // namespace parley::bargaining::internal

namespace parley::bargaining::internal {

// The programs of the concepts (see the table above). `at_table`: the players the concept is
// over; `floors`: (player, value) pairs every agreement must give at least (a party with
// weight 0, a binding outside option). `player_scale`: each player's magnitude of u_i - d_i
// over the samples, which sizes the gains (the extra variables' box and units).
NlpForm IdealForm(std::size_t players, std::size_t who, const std::vector<std::size_t>& at_table,
                  const Vector& d, const std::vector<std::pair<std::size_t, double>>& floors);
NlpForm ConceptForm(Concept concept_kind, std::size_t players, const std::vector<std::size_t>& at_table,
                    const Vector& weights, const Vector& d, const Vector& ideal,
                    const std::vector<std::pair<std::size_t, double>>& floors, const Vector& player_scale);

}  // namespace parley::bargaining::internal
