#include "solver/bargaining/outcomes.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>

#include "solver/bargaining/common.h"
#include "solver/bargaining/concepts.h"
#include "solver/bargaining/hull.h"
#include "solver/lp/linear_program.h"
#include "solver/model/error.h"

namespace parley::bargaining {
namespace internal {

HullLp OptimizeOverHull(const std::vector<Vector>& points, const Vector& lower,
                        const Vector& direction, const Vector& objective, const Vector& upper,
                        double t_min, double sum_min, const Vector& sum_weights,
                        const std::vector<Vector>& later) {
  const std::size_t m = points.size(), n = lower.size();
  lp::LinearProgram program(lp::Sense::kMaximize);
  for (std::size_t j = 0; j < m; ++j) {
    program.AddColumn(0.0, lp::kInfinity, objective.empty() ? 0.0 : ExactDot(objective, points[j]));
  }
  int t_column = -1;
  if (!direction.empty()) t_column = program.AddColumn(t_min, lp::kInfinity, 1.0);
  std::vector<int> columns(m + 1);
  std::vector<double> values(m + 1);
  std::iota(columns.begin(), columns.begin() + m, 0);
  columns[m] = t_column;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < m; ++j) values[j] = points[j][i];
    std::size_t count = m;
    if (t_column >= 0) {
      values[m] = -direction[i];
      count = m + 1;
    }
    program.AddRow(lower[i], upper.empty() ? lp::kInfinity : upper[i], std::span<const int>(columns.data(), count),
                   std::span<const double>(values.data(), count));
  }
  if (sum_min > -lp::kInfinity) {
    for (std::size_t j = 0; j < m; ++j)
      values[j] = sum_weights.empty() ? std::accumulate(points[j].begin(), points[j].end(), 0.0)
                                      : Dot(sum_weights, points[j]);
    program.AddRow(sum_min, lp::kInfinity, std::span<const int>(columns.data(), m),
                   std::span<const double>(values.data(), m));
  }
  std::fill(values.begin(), values.begin() + m, 1.0);
  program.AddRow(1.0, 1.0, std::span<const int>(columns.data(), m),
                 std::span<const double>(values.data(), m));
  for (const Vector& objective_later : later) {
    std::vector<double> coefficients(m + (t_column >= 0 ? 1 : 0), 0.0);
    for (std::size_t j = 0; j < m; ++j) coefficients[j] = ExactDot(objective_later, points[j]);
    program.AddLaterObjective(std::move(coefficients));
  }
  // Exact: the programs are small (a row per player), and the floating-point simplex's
  // absolute tolerances would decide them wrongly on payoffs far from 1 (linear_program.h).
  lp::SolveOptions options;
  options.exact = true;
  lp::LpSolution solution = program.Solve(options);
  lp::ThrowIfStopped(solution);
  HullLp result;
  if (solution.status == lp::Status::kInfeasible) return result;
  PARLEY_CHECK(solution.status == lp::Status::kOptimal);
  result.feasible = true;
  result.objective = solution.objective;
  result.t = t_column >= 0 ? solution.primal[t_column] : 0.0;
  result.lambda.assign(solution.primal.begin(), solution.primal.begin() + m);
  double total = 0.0;
  for (double& l : result.lambda) {
    l = std::max(l, 0.0);
    total += l;
  }
  result.u.assign(n, 0.0);
  for (std::size_t j = 0; j < m; ++j) {
    result.lambda[j] /= total;
    if (result.lambda[j] == 0.0) continue;
    for (std::size_t i = 0; i < n; ++i) result.u[i] += result.lambda[j] * points[j][i];
  }
  return result;
}

Vector MeetingD(const std::vector<Vector>& points, const Vector& d) {
  const Vector scale = PlayerScales(points, d);
  Vector low = d;
  for (std::size_t i = 0; i < d.size(); ++i) {
    double most = -std::numeric_limits<double>::infinity();
    for (const Vector& p : points) most = std::max(most, p[i]);
    if (most < d[i] && d[i] - most <= 1e-12 * scale[i]) low[i] = most;
  }
  return low;
}

void PlayerScales(const std::vector<Vector>& points, const Vector& d, Vector* out) {
  Vector& scale = *out;
  scale.resize(d.size());
  for (std::size_t i = 0; i < d.size(); ++i) scale[i] = std::abs(d[i]);
  for (const Vector& p : points)
    for (std::size_t i = 0; i < d.size(); ++i) scale[i] = std::max(scale[i], std::abs(p[i]));
  for (double& s : scale) s = std::max(s, kMinMagnitude);
}

Vector PlayerScales(const std::vector<Vector>& points, const Vector& d) {
  Vector scale;
  PlayerScales(points, d, &scale);
  return scale;
}

}  // namespace internal

namespace {

using internal::CheckDisagreement;
using internal::CheckFinite;
using internal::CheckWeights;
using internal::CheckWeightsValid;
using internal::Dot;
using internal::ExactDot;
using internal::FormatVector;
using internal::HullLp;
using internal::IndexedFrontier;
using internal::OptimizeOverHull;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

std::size_t CheckOutcomes(const std::vector<Vector>& points) {
  if (points.empty()) throw ValidationError("no outcomes are listed");
  std::size_t n = points.front().size();
  if (n < 2) {
    throw ValidationError("an outcome needs one payoff per player, and at least 2 players");
  }
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (points[k].size() != n) {
      throw ValidationError("outcome " + std::to_string(k + 1) + " has " +
                            std::to_string(points[k].size()) + " payoffs but outcome 1 has " +
                            std::to_string(n));
    }
    // The name is made only for the message: CheckOutcomes runs at every solve of a sweep
    // or draw (PrepareNashFrontier, per package).
    for (double x : points[k])
      if (!(std::abs(x) <= kMaxMagnitude)) CheckFinite(points[k], "outcome " + std::to_string(k + 1));
  }
  return n;
}

IndexedFrontier BuildFrontier(const std::vector<Vector>& points);
// Where a ray from d leaves a two-player comprehensive hull (RayExit2, below).
struct RayExit {
  double t = 0, numerator = 0, denominator = 1;
  std::ptrdiff_t piece = -1;
};
RayExit RayExit2(const IndexedFrontier& f, const Vector& d, const Vector& direction);
Solution RayTwoPlayers(const OutcomeSet& set, const IndexedFrontier& f, const Vector& d, const Vector& direction,
                       Concept c);

// The lottery that is best for the worst-off player over d, each player's gain measured
// relative to its own magnitude (internal::PlayerScales): t > 0 when some point of the hull
// beats d for everyone; infeasible when no point is at least d - t * scale for any t.
HullLp BestEqualGain(const OutcomeSet& set, const Vector& d) {
  const Vector scale = internal::PlayerScales(set.outcomes, d);
  HullLp best;
  if (set.lotteries && d.size() == 2) {
    // The ray towards d + scale leaves the hull at t (RayExit2), at the point and lottery
    // RayTwoPlayers finds (NashDecomposition starts from it).
    const IndexedFrontier f = BuildFrontier(set.outcomes);
    best.t = RayExit2(f, d, scale).t;
    best.feasible = true;
    if (best.t > 0) {
      Solution at = RayTwoPlayers(set, f, d, scale, Concept::kEgalitarian);
      best.u = std::move(at.payoffs);
      best.lambda = std::move(at.lottery);
    }
    return best;
  }
  if (set.lotteries) return OptimizeOverHull(set.outcomes, d, scale, {});
  best.t = kNegInf;
  for (std::size_t j = 0; j < set.outcomes.size(); ++j) {
    double worst = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < d.size(); ++i) worst = std::min(worst, (set.outcomes[j][i] - d[i]) / scale[i]);
    if (worst > best.t) {
      best.t = worst;
      best.u = set.outcomes[j];
      best.lambda.assign(set.outcomes.size(), 0.0);
      best.lambda[j] = 1.0;
    }
  }
  best.feasible = true;
  return best;
}

// Every player gains more than 1e-12 of its own magnitude.
bool Gains(const HullLp& best) { return best.feasible && best.t > 1e-12; }

// BestEqualGain, or the "no gain" message when nobody can gain.
HullLp RequireGain(const OutcomeSet& set, const Vector& d) {
  HullLp best = BestEqualGain(set, d);
  if (!Gains(best)) {
    bool ir = false;
    Vector ideal = IdealPoint(set, d, &ir);
    internal::ThrowNoGain(d, ideal, ir);
  }
  return best;
}

double LogNashProduct(const Vector& u, const Vector& d, const Vector& w) {
  return ConceptScore(Concept::kNash, u, d, {}, w);
}

// Frank-Wolfe gap of sum w log(u - d) at u over the listed points: an upper bound on
// log(optimal product / product at u).
double NashGap(const std::vector<Vector>& points, const Vector& u, const Vector& d,
               const Vector& w) {
  // The gradient on the stack for a few players (Dot's arithmetic, in its order).
  constexpr std::size_t kSmall = 4;
  double small[kSmall];
  Vector large;
  const std::size_t n = u.size();
  double* g = small;
  if (n > kSmall) {
    large.resize(n);
    g = large.data();
  }
  for (std::size_t i = 0; i < n; ++i) g[i] = w[i] / (u[i] - d[i]);
  auto dot = [&](const Vector& x) {
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += g[i] * x[i];
    return sum;
  };
  double at_u = dot(u), best = at_u;
  for (const Vector& p : points) best = std::max(best, dot(p));
  return best - at_u;
}

// ---- Two players: the frontier and the closed form on each segment. ----

// Written over `result` (its storage reused), with `scratch`'s working vectors.
void BuildFrontier(const std::vector<Vector>& points, IndexedFrontier* result, internal::FrontierScratch* scratch) {
  // Throw-away filter (Akl and Toussaint 1978): with T the highest point, R the rightmost and
  // M the one with the largest u1 + u2 (all on the frontier), a point strictly below both
  // lines T-M and M-R, or left of T, or below R, is not a frontier vertex.
  std::size_t top = 0, right = 0, middle = 0;
  for (std::size_t k = 1; k < points.size(); ++k) {
    const Vector& p = points[k];
    if (p[1] > points[top][1] || (p[1] == points[top][1] && p[0] > points[top][0])) top = k;
    if (p[0] > points[right][0] || (p[0] == points[right][0] && p[1] > points[right][1])) right = k;
    if (p[0] + p[1] > points[middle][0] + points[middle][1]) middle = k;
  }
  const Vector &t = points[top], &r = points[right], &m = points[middle];
  auto above = [](const Vector& a, const Vector& b, const Vector& p) {
    return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) >= 0;
  };
  std::vector<std::size_t>& order = scratch->order;
  order.clear();
  for (std::size_t k = 0; k < points.size(); ++k) {
    const Vector& p = points[k];
    if (p[0] < t[0] || p[1] < r[1]) continue;
    if (above(t, m, p) || above(m, r, p) || k == top || k == right || k == middle) {
      order.push_back(k);
    }
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (points[a][0] != points[b][0]) return points[a][0] < points[b][0];
    return points[a][1] < points[b][1];
  });
  // Upper hull by the monotone chain, keeping strict right turns only.
  std::vector<std::size_t>& hull = scratch->chain;
  hull.clear();
  hull.reserve(64);
  for (std::size_t k : order) {
    const Vector& p = points[k];
    while (hull.size() >= 2) {
      const Vector& o = points[hull[hull.size() - 2]];
      const Vector& a = points[hull.back()];
      double cross = (a[0] - o[0]) * (p[1] - o[1]) - (a[1] - o[1]) * (p[0] - o[0]);
      if (cross < 0) break;
      hull.pop_back();
    }
    if (!hull.empty() && points[hull.back()][0] == p[0] && points[hull.back()][1] == p[1]) {
      continue;  // a repeated point
    }
    hull.push_back(k);
  }
  // The frontier starts at the highest u2 (rightmost among ties) and ends at the last vertex.
  std::size_t start = 0;
  for (std::size_t k = 1; k < hull.size(); ++k) {
    if (points[hull[k]][1] >= points[hull[start]][1]) start = k;
  }
  result->index.clear();
  result->frontier.vertices.clear();
  result->frontier.normals.clear();
  result->frontier.offsets.clear();
  result->method.clear();
  result->usable = false;
  // An end edge along which one player gains only rounding while the other loses: its outer
  // vertex is dominated up to rounding, and is no frontier vertex. Payoffs computed at a
  // constraint's cut (x = 0.1 as 0.09999999999999999) made (0.9999999999999999, 0.1) and
  // (1.0000000000000002, -0.8) of the exact (1, 0.1) and (1, -0.8): an edge 3e-16 wide that
  // the egalitarian ray met at (1, -0.64), dominated by (1, 0.1), labelled exact. Rounding is
  // the tie rule's: 1e-12 of the player's largest magnitude among the points.
  double tol0 = 0, tol1 = 0;
  for (const Vector& p : points) {
    tol0 = std::max(tol0, std::abs(p[0]));
    tol1 = std::max(tol1, std::abs(p[1]));
  }
  tol0 *= 1e-12;
  tol1 *= 1e-12;
  std::size_t end = hull.size();
  // First vertices that the next one matches in u2 to rounding (and beats in u1).
  while (end - start >= 2 && points[hull[start + 1]][1] >= points[hull[start]][1] - tol1) ++start;
  // Last vertices that the one before matches in u1 to rounding (and beats in u2).
  while (end - start >= 2 && points[hull[end - 2]][0] >= points[hull[end - 1]][0] - tol0) --end;
  for (std::size_t k = start; k < end; ++k) {
    result->index.push_back(hull[k]);
    result->frontier.vertices.emplace_back(points[hull[k]][0], points[hull[k]][1]);
  }
  const auto& v = result->frontier.vertices;
  for (std::size_t k = 0; k + 1 < v.size(); ++k) {
    double d1 = v[k + 1].first - v[k].first, d2 = v[k + 1].second - v[k].second;  // d1>0>d2
    double a1 = -d2 / (d1 - d2), a2 = d1 / (d1 - d2);
    result->frontier.normals.emplace_back(a1, a2);
    result->frontier.offsets.push_back(a1 * v[k].first + a2 * v[k].second);
  }
}

IndexedFrontier BuildFrontier(const std::vector<Vector>& points) {
  IndexedFrontier result;
  internal::FrontierScratch scratch;
  BuildFrontier(points, &result, &scratch);
  return result;
}

// The method line, written over `out`.
void FrontierMethod(const IndexedFrontier& f, std::string* out) {
  out->assign("closed form on the Pareto frontier (");
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, f.frontier.vertices.size());
  out->append(digits, end);
  out->append(" vertices)");
}

std::string FrontierMethod(const IndexedFrontier& f) {
  std::string method;
  FrontierMethod(f, &method);
  return method;
}

// Written over `solution` (every field set; its storage reused).
//
// The segment is chosen by the sign of the derivative, not by comparing products: near its
// maximum the Nash product is flat to second order, so a vertex 6e-7 away from the optimum on
// payoffs of 42 has the same product to the last bit, and "the largest product" picked
// whichever segment came first (a wrong agreement, with a Frank-Wolfe gap of 3e-8, labelled
// exact). Along the frontier (u1 rising, u2 falling) the derivative of sum w log(u - d) only
// falls: on a segment it falls with s, and at a vertex the direction turns towards falling u2.
// So the optimum lies on the first segment whose stationary point is before its end (at that
// point, clamped to where u > d), or at the end of the last segment with u > d.
void NashTwoPlayers(const std::vector<Vector>& points, const Vector& d, const Vector& w,
                    const IndexedFrontier& f, Solution* out) {
  const auto& v = f.frontier.vertices;
  double best = kNegInf;
  std::size_t best_segment = 0;
  double best_s = 0.0;
  auto value = [&](double u1, double u2) {
    if (!(u1 > d[0]) || !(u2 > d[1])) return kNegInf;
    return w[0] * std::log(u1 - d[0]) + w[1] * std::log(u2 - d[1]);
  };
  if (v.size() == 1) {
    best = value(v[0].first, v[0].second);
  }
  for (std::size_t k = 0; k + 1 < v.size(); ++k) {
    double a1 = v[k].first - d[0], a2 = v[k].second - d[1];
    double d1 = v[k + 1].first - v[k].first, d2 = v[k + 1].second - v[k].second;
    double lo = std::max(0.0, -a1 / d1), hi = std::min(1.0, a2 / -d2);
    if (!(lo < hi)) continue;
    // The stationary point of w1 log(a1 + s d1) + w2 log(a2 + s d2) on the segment's line.
    const double stationary = -(w[0] * d1 * a2 + w[1] * d2 * a1) / ((w[0] + w[1]) * d1 * d2);
    const double s = std::clamp(stationary, lo, hi);
    double u1 = v[k].first + s * d1, u2 = v[k].second + s * d2;
    if (s == 1.0) {
      u1 = v[k + 1].first;
      u2 = v[k + 1].second;
    }
    best = value(u1, u2);
    best_segment = k;
    best_s = s;
    if (stationary < hi) break;  // the derivative is <= 0 before the segment ends
  }
  if (best == kNegInf) RequireGain(OutcomeSet{points, true}, d);  // throws the message
  Solution& solution = *out;
  solution.concept_kind = Concept::kNash;
  solution.weighted = false;
  solution.weights.clear();
  solution.issues.clear();
  solution.ties.clear();
  solution.tie_rule.clear();
  solution.pure_cost.reset();
  solution.lottery_payoffs.reset();
  solution.lottery.assign(points.size(), 0.0);
  solution.payoffs.resize(2);
  if (v.size() == 1) {
    solution.payoffs[0] = v[0].first;
    solution.payoffs[1] = v[0].second;
    solution.lottery[f.index[0]] = 1.0;
  } else {
    std::size_t k = best_segment;
    double s = best_s;
    solution.payoffs[0] = v[k].first + s * (v[k + 1].first - v[k].first);
    solution.payoffs[1] = v[k].second + s * (v[k + 1].second - v[k].second);
    if (s == 1.0) {
      solution.payoffs[0] = v[k + 1].first;
      solution.payoffs[1] = v[k + 1].second;
    }
    solution.lottery[f.index[k]] += 1.0 - s;
    solution.lottery[f.index[k + 1]] += s;
  }
  if (f.method.empty())
    solution.method = FrontierMethod(f);
  else
    solution.method.assign(f.method);
  solution.precision = Precision::kExact;
  solution.gap = std::max(0.0, NashGap(points, solution.payoffs, d, w));
}

Solution NashTwoPlayers(const std::vector<Vector>& points, const Vector& d, const Vector& w,
                        const IndexedFrontier& f) {
  Solution solution;
  NashTwoPlayers(points, d, w, f, &solution);
  return solution;
}

// ---- n players: simplicial decomposition with a barrier-Newton restricted solver. ----

// Solves A x = b in place (dense, partial pivoting); returns false when singular.
bool SolveDense(std::vector<double>& a, std::vector<double>& b, std::size_t n) {
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r) {
      if (std::abs(a[r * n + c]) > std::abs(a[pivot * n + c])) pivot = r;
    }
    if (a[pivot * n + c] == 0.0) return false;
    if (pivot != c) {
      for (std::size_t k = 0; k < n; ++k) std::swap(a[c * n + k], a[pivot * n + k]);
      std::swap(b[c], b[pivot]);
    }
    for (std::size_t r = c + 1; r < n; ++r) {
      double factor = a[r * n + c] / a[c * n + c];
      if (factor == 0.0) continue;
      for (std::size_t k = c; k < n; ++k) a[r * n + k] -= factor * a[c * n + k];
      b[r] -= factor * b[c];
    }
  }
  for (std::size_t c = n; c-- > 0;) {
    double s = b[c];
    for (std::size_t k = c + 1; k < n; ++k) s -= a[c * n + k] * b[k];
    b[c] = s / a[c * n + c];
  }
  return true;
}

// maximise sum_i w_i log((Q mu)_i - d_i) over the simplex, Q's columns the active points;
// mu must start strictly feasible. Barrier tau * sum log mu_j, tau -> 1e-15 * sum(w).
void SolveRestricted(const std::vector<const Vector*>& q, const Vector& d, const Vector& w,
                     Vector& mu) {
  const std::size_t k = q.size(), n = d.size();
  const double total_weight = std::accumulate(w.begin(), w.end(), 0.0);
  Vector z(n), grad(k), step(k + 1), qstep(n), trial(k), hz(n);
  std::vector<double> kkt((k + 1) * (k + 1));
  auto phi = [&](const Vector& m, double tau) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      double zi = -d[i];
      for (std::size_t j = 0; j < k; ++j) zi += (*q[j])[i] * m[j];
      if (!(zi > 0)) return kNegInf;
      s += w[i] * std::log(zi);
    }
    for (std::size_t j = 0; j < k; ++j) {
      if (!(m[j] > 0)) return kNegInf;
      s += tau * std::log(m[j]);
    }
    return s;
  };
  for (double tau = 1e-2 * total_weight; tau > 1e-16 * total_weight; tau *= 0.1) {
    for (int iteration = 0; iteration < 60; ++iteration) {
      for (std::size_t i = 0; i < n; ++i) {
        z[i] = -d[i];
        for (std::size_t j = 0; j < k; ++j) z[i] += (*q[j])[i] * mu[j];
        hz[i] = w[i] / z[i];
      }
      for (std::size_t j = 0; j < k; ++j) {
        grad[j] = tau / mu[j];
        for (std::size_t i = 0; i < n; ++i) grad[j] += hz[i] * (*q[j])[i];
      }
      std::fill(kkt.begin(), kkt.end(), 0.0);
      for (std::size_t a = 0; a < k; ++a) {
        for (std::size_t b = a; b < k; ++b) {
          double h = 0.0;
          for (std::size_t i = 0; i < n; ++i) h -= hz[i] / z[i] * (*q[a])[i] * (*q[b])[i];
          if (a == b) h -= tau / (mu[a] * mu[a]);
          kkt[a * (k + 1) + b] = h;
          kkt[b * (k + 1) + a] = h;
        }
        kkt[a * (k + 1) + k] = 1.0;
        kkt[k * (k + 1) + a] = 1.0;
      }
      for (std::size_t j = 0; j < k; ++j) step[j] = -grad[j];
      step[k] = 0.0;
      if (!SolveDense(kkt, step, k + 1)) break;
      double decrement = 0.0;
      for (std::size_t j = 0; j < k; ++j) decrement += grad[j] * step[j];
      if (!(decrement > 1e-20 * total_weight)) break;
      // Longest step keeping mu > 0 and z > 0, then backtracking (Armijo).
      double alpha = 1.0;
      for (std::size_t j = 0; j < k; ++j) {
        if (step[j] < 0) alpha = std::min(alpha, -0.99 * mu[j] / step[j]);
      }
      for (std::size_t i = 0; i < n; ++i) {
        qstep[i] = 0.0;
        for (std::size_t j = 0; j < k; ++j) qstep[i] += (*q[j])[i] * step[j];
        if (qstep[i] < 0) alpha = std::min(alpha, -0.99 * z[i] / qstep[i]);
      }
      double current = phi(mu, tau);
      bool moved = false;
      for (int halving = 0; halving < 60; ++halving) {
        for (std::size_t j = 0; j < k; ++j) trial[j] = mu[j] + alpha * step[j];
        if (phi(trial, tau) >= current + 0.25 * alpha * decrement) {
          moved = true;
          break;
        }
        alpha *= 0.5;
      }
      if (!moved) break;
      double sum = 0.0;
      for (double x : trial) sum += x;
      for (std::size_t j = 0; j < k; ++j) mu[j] = trial[j] / sum;
      if (decrement < 1e-15 * total_weight) break;
    }
  }
}

Solution NashDecomposition(const std::vector<Vector>& points, const Vector& d, const Vector& w,
                           double tolerance) {
  const std::size_t n = d.size(), m = points.size();
  HullLp start = RequireGain(OutcomeSet{points, true}, d);
  std::vector<std::size_t> active;
  Vector mu;
  for (std::size_t j = 0; j < m; ++j) {
    if (start.lambda[j] > 1e-12) {
      active.push_back(j);
      mu.push_back(start.lambda[j]);
    }
  }
  Vector u(n), g(n);
  double gap = std::numeric_limits<double>::infinity();
  int iterations = 0;
  for (; iterations < 1000; ++iterations) {
    std::vector<const Vector*> q;
    for (std::size_t j : active) q.push_back(&points[j]);
    SolveRestricted(q, d, w, mu);
    // Drop outcomes the restricted optimum does not use.
    std::vector<std::size_t> kept;
    Vector kept_mu;
    for (std::size_t a = 0; a < active.size(); ++a) {
      if (mu[a] > 1e-13) {
        kept.push_back(active[a]);
        kept_mu.push_back(mu[a]);
      }
    }
    double sum = std::accumulate(kept_mu.begin(), kept_mu.end(), 0.0);
    for (double& x : kept_mu) x /= sum;
    active.swap(kept);
    mu.swap(kept_mu);
    std::fill(u.begin(), u.end(), 0.0);
    for (std::size_t a = 0; a < active.size(); ++a) {
      for (std::size_t i = 0; i < n; ++i) u[i] += mu[a] * points[active[a]][i];
    }
    for (std::size_t i = 0; i < n; ++i) g[i] = w[i] / (u[i] - d[i]);
    double at_u = Dot(g, u), best = at_u;
    std::size_t entering = m;
    for (std::size_t j = 0; j < m; ++j) {
      double score = Dot(g, points[j]);
      if (score > best) {
        best = score;
        entering = j;
      }
    }
    gap = best - at_u;
    if (gap <= tolerance || entering == m) break;
    if (std::find(active.begin(), active.end(), entering) != active.end()) break;
    // Give the entering outcome a small weight that keeps every gain positive.
    double epsilon = 0.5;
    for (std::size_t i = 0; i < n; ++i) {
      double change = points[entering][i] - u[i];
      if (change < 0) epsilon = std::min(epsilon, 0.5 * (u[i] - d[i]) / -change);
    }
    for (double& x : mu) x *= 1.0 - epsilon;
    active.push_back(entering);
    mu.push_back(epsilon);
  }
  Solution solution;
  solution.concept_kind = Concept::kNash;
  solution.payoffs = u;
  solution.lottery.assign(m, 0.0);
  for (std::size_t a = 0; a < active.size(); ++a) solution.lottery[active[a]] = mu[a];
  solution.gap = std::max(0.0, gap);
  solution.precision = Precision::kCertified;
  solution.method = "simplicial decomposition with barrier Newton steps (" +
                    std::to_string(iterations + 1) +
                    " outer iterations); gap = Frank-Wolfe bound on log(optimal/reached "
                    "Nash product)";
  return solution;
}

// ---- Pure outcomes. ----

Vector PureIdeal(const OutcomeSet& set, const Vector& d, bool* ir) {
  const std::size_t n = d.size();
  Vector ideal(n, kNegInf), unconstrained(n, kNegInf);
  bool any = false;
  for (const Vector& p : set.outcomes) {
    bool acceptable = true;
    for (std::size_t i = 0; i < n; ++i) {
      unconstrained[i] = std::max(unconstrained[i], p[i]);
      if (p[i] < d[i]) acceptable = false;
    }
    if (!acceptable) continue;
    any = true;
    for (std::size_t i = 0; i < n; ++i) ideal[i] = std::max(ideal[i], p[i]);
  }
  if (ir != nullptr) *ir = any;
  return any ? ideal : unconstrained;
}

Solution SolvePure(const OutcomeSet& set, const Vector& d, Concept c, const Vector& w,
                   double tolerance) {
  RequireGain(set, d);
  const std::size_t n = d.size(), m = set.outcomes.size();
  bool ir = false;
  Vector ideal = PureIdeal(set, d, &ir);
  // The best score first, then every acceptable outcome reaching it (a tie when they differ).
  auto acceptable = [&](const Vector& p) {
    for (std::size_t i = 0; i < n; ++i)
      if (!(p[i] >= d[i])) return false;
    return true;
  };
  // Ties as between packages (BestPackage, agreement.cc), each score judged in its own unit:
  // the log Nash product and the KS ratio are unitless (relative to 1); an equal gain is the
  // gain of the player who gains least, relative to that player's magnitude; a weighted sum
  // relative to the weighted magnitudes of the players. One tolerance in the largest payoff's
  // units made the KS ratios 0.1 and 0.5 of payoffs near 1e12 a tie (1e-12 x 1e12 = 1), and
  // gains of 1e-3 and 2e-3 beside payoffs of 1e9 too. `unit` is that unit for outcome j.
  const ConceptInfo& info = Info(c);
  const Vector scale = internal::PlayerScales(set.outcomes, d);
  double weighted_scale = 0;
  for (std::size_t i = 0; i < n; ++i) weighted_scale += w[i] * scale[i];
  auto unit = [&](std::size_t j, double score) {
    switch (c) {
      case Concept::kNash:
      case Concept::kKalaiSmorodinsky: return std::max(1.0, std::abs(score));
      case Concept::kUtilitarian: return weighted_scale;
      case Concept::kEgalitarian: break;
    }
    std::size_t least = 0;
    for (std::size_t i = 1; i < n; ++i)
      if (set.outcomes[j][i] - d[i] < set.outcomes[j][least] - d[least]) least = i;
    return scale[least];
  };
  Vector scores(m, kNegInf);
  std::size_t top = m;
  for (std::size_t j = 0; j < m; ++j) {
    if (!acceptable(set.outcomes[j])) continue;
    scores[j] = ConceptScore(c, set.outcomes[j], d, ideal, w);
    if (top == m || scores[j] > scores[top]) top = j;
  }
  PARLEY_CHECK(top != m && scores[top] != kNegInf);
  std::vector<std::size_t> tied;
  for (std::size_t j = 0; j < m; ++j) {
    const Vector& p = set.outcomes[j];
    if (scores[j] == kNegInf) continue;
    const double tolerance_j = 1e-12 * std::max(unit(j, scores[j]), unit(top, scores[top]));
    if (scores[j] < scores[top] - tolerance_j) continue;
    bool repeated = false;
    for (std::size_t k : tied) repeated = repeated || set.outcomes[k] == p;
    if (!repeated) tied.push_back(j);
  }
  // Selection among tied outcomes: utilitarian by the symmetric Nash product (as over
  // lotteries; the weighted sum is flat across the tie). The others by the score itself when
  // it differs by more than rounding (1e-15 of its unit: a tie within 1e-12 is still decided
  // by a real difference, so that the choice moves continuously with the payoffs), then by
  // the larger total payoff (a leximin-style refinement); then the first listed.
  auto total = [&](std::size_t j) {
    const Vector& p = set.outcomes[j];
    return info.ties_by_nash_product ? LogNashProduct(p, d, Vector(n, 1.0)) : std::accumulate(p.begin(), p.end(), 0.0);
  };
  double units = 0;
  for (double x : scale) units += x;
  std::size_t best = tied.front();
  for (std::size_t j : tied) {
    const double a = scores[j], b = scores[best];
    const double rounding = 1e-15 * std::max(unit(j, a), unit(best, b));
    // (A product of 0, log -inf, is beaten by any positive one: the tolerance stays finite.)
    const double best_total = total(best);
    const double total_tolerance =
        info.ties_by_nash_product ? 1e-12 * std::max(1.0, std::isfinite(best_total) ? std::abs(best_total) : 0.0)
                                  : 1e-12 * units;
    const bool more_total = total(j) > total(best) + total_tolerance;
    const bool better = info.ties_by_nash_product ? more_total : a > b + rounding || (a >= b - rounding && more_total);
    if (better) best = j;
  }
  Solution solution;
  solution.concept_kind = c;
  solution.payoffs = set.outcomes[best];
  solution.lottery.assign(m, 0.0);
  solution.lottery[best] = 1.0;
  if (tied.size() >= 2) {
    for (std::size_t j : tied) solution.ties.push_back(set.outcomes[j]);
  }
  solution.method = "best listed outcome (lotteries forbidden)";
  // Whether the score itself decided: the one shown beats every other tied outcome's score by
  // more than rounding (then the totals were not compared).
  bool by_score = !info.ties_by_nash_product;
  for (std::size_t j : tied)
    if (j != best && by_score)
      by_score = scores[best] > scores[j] + 1e-15 * std::max(unit(j, scores[j]), unit(best, scores[best]));
  if (tied.size() >= 2) {
    solution.method += info.ties_by_nash_product ? "; a tie between the listed outcomes, broken by the Nash product"
                       : by_score ? "; a tie within 1e-12 between the listed outcomes, decided by the higher score"
                                  : "; a tie between the listed outcomes, broken by the larger total";
    if (by_score) solution.tie_rule = "the one with the higher score (by more than rounding) is shown";
  }
  solution.precision = Precision::kExact;
  // What forbidding lotteries costs: the same concept over the hull.
  OutcomeSet with_lotteries{set.outcomes, true};
  Solution lottery = SolveOutcomes(with_lotteries, d, c, w, tolerance);
  Vector hull_ideal = IdealPoint(with_lotteries, d);
  double pure_score = ConceptScore(c, solution.payoffs, d, hull_ideal, w);
  double lottery_score = ConceptScore(c, lottery.payoffs, d, hull_ideal, w);
  solution.pure_cost = Info(c).log_score ? 1.0 - std::exp(pure_score - lottery_score)
                                           : lottery_score - pure_score;
  if (*solution.pure_cost < 0) solution.pure_cost = 0.0;
  solution.lottery_payoffs = lottery.payoffs;
  return solution;
}

// Three or more players: one lexicographic LP (exact, lp::LinearProgram::AddLaterObjective).
// First the largest t with d + t * direction in the comprehensive hull; then, among the
// lotteries that reach it, the Pareto refinement: the largest sum_i u_i / s_i (s_i player i's
// magnitude, PlayerScales: every player's gain in its own units). The refinement buys nothing
// with any loss in t, however small: on a steep facet a shortfall of 1e-9 in two players' t
// would otherwise buy a third one anything.
//
// Exact on the doubles is not enough where the doubles carry the rounding of the formulas
// that made them: a payoff 2 ulps above its decimal value (1.8600000000000003 for 1.86) can
// make one point the only one reaching t, where the decimals have a whole face, and the
// refinement's choice on that face is lost (a third player's 1.14 became 0.5). So the
// refinement is also solved over the points within a rounding room below the ray point
// (kRoundingRoom of each player's magnitude), and that answer is taken when it gains more
// than 2^-20 per player in their units and the gain does not shrink with the room: a face
// that the decimals have gives the same gain with half the room, where a trade along a steep
// facet (1e-15 of one player's payoff for 1e6 of another's) halves with it.
constexpr double kRoundingRoom = 8 * 0x1p-52;  // about 1.8e-15

// The refinement's maximum can be a whole face: each player's best point on it is a third
// objective. When they differ (by more than 1e-12 of the player's magnitude), the refinement is
// a tie: the solution lists them and takes their mean (on the face, since the face is convex),
// which treats the players alike (docs/bargaining.md).
Solution RaySolutionLp(const OutcomeSet& set, const Vector& d, const Vector& direction, Concept c) {
  const std::size_t n = d.size();
  const Vector scale = internal::PlayerScales(set.outcomes, d);
  Vector per_unit(n);
  for (std::size_t i = 0; i < n; ++i) per_unit[i] = 1.0 / scale[i];
  HullLp refined = OptimizeOverHull(set.outcomes, d, direction, {}, {}, kNegInf, kNegInf, {}, {per_unit});
  PARLEY_CHECK(refined.feasible && refined.t > 0);
  // The ray point, d + t * direction from the exact t, unless the refinement pays someone more
  // than rounding (then the ray point is only weakly Pareto-optimal).
  Vector ray_point(n);
  bool gains = false;
  for (std::size_t i = 0; i < n; ++i) {
    ray_point[i] = d[i] + refined.t * direction[i];
    gains = gains || refined.u[i] - ray_point[i] > 1e-12 * scale[i];
  }
  Vector shown = gains ? refined.u : ray_point;
  // The ray point lowered by `room` of each player's magnitude.
  auto floor_at = [&](double room) {
    Vector lower(n);
    for (std::size_t i = 0; i < n; ++i) lower[i] = ray_point[i] - room * scale[i];
    return lower;
  };
  // Within the rounding room, and within half of it: a gain that a face of the decimals gives
  // is there with either room; one bought along a steep facet halves with the room.
  auto within = [&](double room) {
    HullLp result = OptimizeOverHull(set.outcomes, floor_at(room), {}, per_unit);
    double gain = 0;
    for (std::size_t i = 0; result.feasible && i < n; ++i) gain += (result.u[i] - shown[i]) * per_unit[i];
    return std::pair{std::move(result), result.feasible ? gain : 0.0};
  };
  const auto [roomy, roomy_gain] = within(kRoundingRoom);
  bool use_room = roomy_gain > 0x1p-20 * static_cast<double>(n);
  if (use_room) use_room = within(kRoundingRoom / 2).second >= 0.75 * roomy_gain;
  Solution solution;
  solution.concept_kind = c;
  solution.lottery = use_room ? roomy.lambda : refined.lambda;
  solution.payoffs = use_room ? roomy.u : shown;
  solution.method = "exact linear program over lotteries (simplex in rational arithmetic), then Pareto refinement";
  if (use_room) solution.method += " within rounding of the ray point";
  solution.precision = Precision::kExact;
  solution.gap = 0.0;
  // Each player's best point on the refinement's face: the ray's exact optimum, or the
  // roomy floor's.
  auto best_on_face = [&](const Vector& own) {
    return use_room ? OptimizeOverHull(set.outcomes, floor_at(kRoundingRoom), {}, per_unit, {}, kNegInf, kNegInf, {}, {own})
                    : OptimizeOverHull(set.outcomes, d, direction, {}, {}, kNegInf, kNegInf, {}, {per_unit, own});
  };
  std::vector<Vector> extremes{solution.payoffs};
  std::vector<Vector> lotteries{solution.lottery};
  auto same = [&](const Vector& a, const Vector& b) {
    for (std::size_t k = 0; k < n; ++k)
      if (std::abs(a[k] - b[k]) > 1e-12 * scale[k]) return false;
    return true;
  };
  for (std::size_t i = 0; i < n; ++i) {
    Vector own(n, 0.0);
    own[i] = 1.0;
    const HullLp best = best_on_face(own);
    PARLEY_CHECK(best.feasible);
    bool seen = false;
    for (const Vector& e : extremes) seen = seen || same(e, best.u);
    if (seen) continue;
    extremes.push_back(best.u);
    lotteries.push_back(best.lambda);
  }
  if (extremes.size() < 2) return solution;
  solution.ties = extremes;
  const double share = 1.0 / static_cast<double>(extremes.size());
  solution.payoffs.assign(n, 0.0);
  solution.lottery.assign(set.outcomes.size(), 0.0);
  for (std::size_t e = 0; e < extremes.size(); ++e) {
    for (std::size_t k = 0; k < n; ++k) solution.payoffs[k] += share * extremes[e][k];
    for (std::size_t j = 0; j < set.outcomes.size(); ++j) solution.lottery[j] += share * lotteries[e][j];
  }
  solution.method += "; the refinement is a tie (its objective is maximal on a face): the mean of "
                     "each player's best point on it is shown";
  solution.tie_rule = "the mean of each player's best point on the tied face is shown";
  return solution;
}

// The largest t with d + t * direction in the comprehensive hull of a two-player frontier
// (negative when d is outside it), `direction` >= 0 and not 0. `piece` gets where the ray
// leaves: -1 the top cap, -2 the right cap, k >= 0 edge k; t = numerator / denominator for it.
//
// The piece is found by which side of the ray's line each vertex lies on, not by the smallest
// t over the pieces' half-planes (the same t, exactly): at a vertex where the frontier barely
// turns, the pieces either side (a cap and edge 0, or two edges) give the same t to the last
// bit, and the one tried first won the tie. Then the exit point computed on it fell outside
// it (s > 1 on the edge, or left of v_0 on the cap), and snapping it back gave a vertex far
// from the ray: (0, 1) for the egalitarian point of {(0,1), (2, 1 - 2^-53), (3, 0)}, whose
// ray meets the first edge at (1, 1). Along the frontier (u1 rising, u2 falling)
// side_k = cross(direction, v_k - d) falls strictly, so the ray crosses the boundary once:
// on the top cap when side_0 <= 0, on the right cap when side_K >= 0, otherwise on the edge
// from the last vertex with side > 0 to the next. A sign is right unless the vertex is within
// rounding of the line, and then either piece gives the same point to rounding.
RayExit RayExit2(const IndexedFrontier& f, const Vector& d, const Vector& direction) {
  const auto& v = f.frontier.vertices;
  const std::size_t last = v.size() - 1;
  auto side = [&](std::size_t k) {
    return direction[0] * (v[k].second - d[1]) - direction[1] * (v[k].first - d[0]);
  };
  auto exit = [](double numerator, double denominator, std::ptrdiff_t piece) {
    return RayExit{numerator / denominator, numerator, denominator, piece};
  };
  if (side(0) <= 0) return exit(v[0].second - d[1], direction[1], -1);
  if (side(last) >= 0) return exit(v[last].first - d[0], direction[0], -2);
  std::size_t k = 0;
  while (k + 1 < last && side(k + 1) > 0) ++k;
  const double d1 = v[k + 1].first - v[k].first, d2 = v[k + 1].second - v[k].second;  // d1 > 0 > d2
  // d + t dir = v_k + s D: t = cross(v_k - d, D) / cross(dir, D) (the denominator's two
  // terms have the same sign: no cancellation).
  return exit((v[k].first - d[0]) * d2 - (v[k].second - d[1]) * d1, direction[0] * d2 - direction[1] * d1,
              static_cast<std::ptrdiff_t>(k));
}

// Two players: the ray from d meets the boundary of the comprehensive hull, the Pareto
// frontier (vertices v_0 .. v_K from the highest u2 to the largest u1) with the cap u2 <= v_0.y
// to its left and u1 <= v_K.x below it, at the smallest t over these pieces (the hull is
// their intersection and d lies inside it), on the piece the ray crosses (RayExit2). On an
// edge the point is Pareto-optimal; on a cap it is only weakly so, and the refinement is the
// cap's vertex. Closed form, exact up to a
// rounding or two: no linear program, no tolerance.
// `f` is the points' frontier (BuildFrontier).
Solution RayTwoPlayers(const OutcomeSet& set, const IndexedFrontier& f, const Vector& d, const Vector& direction,
                       Concept c) {
  const auto& v = f.frontier.vertices;
  const std::size_t last = v.size() - 1;
  const RayExit exit = RayExit2(f, d, direction);
  const double t = exit.t;
  const std::ptrdiff_t piece = exit.piece;
  PARLEY_CHECK(t > 0);
  Solution solution;
  solution.concept_kind = c;
  solution.lottery.assign(set.outcomes.size(), 0.0);
  // d_i + (numerator dir_i) / denominator: one rounding fewer than through t (27/13, not
  // 3 x 9/13 rounded).
  solution.payoffs = {d[0] + exit.numerator * direction[0] / exit.denominator,
                      d[1] + exit.numerator * direction[1] / exit.denominator};
  auto at_vertex = [&](std::size_t k) {
    solution.payoffs = {v[k].first, v[k].second};
    solution.lottery[f.index[k]] = 1.0;
  };
  if (piece == -1) {
    at_vertex(0);  // on the top cap, or at v_0 itself
  } else if (piece == -2) {
    at_vertex(last);
  } else {
    const auto k = static_cast<std::size_t>(piece);
    const double d1 = v[k + 1].first - v[k].first, d2 = v[k + 1].second - v[k].second;
    // The share of v_{k+1}, from the coordinate that moves more along the edge: the lottery
    // pays the ray point. The ray crosses this edge, so s is outside [0, 1] by rounding only,
    // and the vertex it is clamped to is the ray point to rounding.
    double s = d1 >= -d2 ? (solution.payoffs[0] - v[k].first) / d1 : (solution.payoffs[1] - v[k].second) / d2;
    s = std::clamp(s, 0.0, 1.0);
    if (s == 0.0) {
      at_vertex(k);
    } else if (s == 1.0) {
      at_vertex(k + 1);
    } else {
      solution.lottery[f.index[k]] = 1.0 - s;
      solution.lottery[f.index[k + 1]] += s;
    }
  }
  solution.method = "closed form on the Pareto frontier (" + std::to_string(v.size()) +
                    " vertices): where the ray from d meets it";
  solution.precision = Precision::kExact;
  solution.gap = 0.0;
  return solution;
}

Solution RaySolution(const OutcomeSet& set, const Vector& d, const Vector& direction, Concept c) {
  return d.size() == 2 ? RayTwoPlayers(set, BuildFrontier(set.outcomes), d, direction, c)
                       : RaySolutionLp(set, d, direction, c);
}

Solution Utilitarian(const OutcomeSet& set, const Vector& d, const Vector& w, double tolerance) {
  const Vector scale = internal::PlayerScales(set.outcomes, d);
  HullLp best = OptimizeOverHull(set.outcomes, d, {}, w);
  PARLEY_CHECK(best.feasible);
  Solution solution;
  solution.concept_kind = Concept::kUtilitarian;
  solution.payoffs = best.u;
  solution.lottery = best.lambda;
  solution.method = "exact linear program over lotteries (simplex in rational arithmetic)";
  solution.precision = Precision::kExact;
  // The optimal set F: the points of the hull with u >= d and w.u at the optimum. It is a tie
  // when F has more than one point, i.e. when some player's best point of F differs from
  // another's (by more than 1e-12 of its magnitude); those points, the ends, are listed. Each
  // is a lexicographic LP (the optimum first, exactly, then the player's payoff over F).
  const std::size_t n = d.size();
  std::vector<Vector> ends, end_lotteries;
  for (std::size_t i = 0; i < n; ++i) {
    Vector own(n, 0.0);
    own[i] = 1.0;
    HullLp end = OptimizeOverHull(set.outcomes, d, {}, w, {}, kNegInf, kNegInf, {}, {own});
    PARLEY_CHECK(end.feasible);
    bool seen = false;
    for (const Vector& e : ends) {
      bool same = true;
      for (std::size_t k = 0; k < n; ++k) same = same && std::abs(e[k] - end.u[k]) <= 1e-12 * scale[k];
      seen = seen || same;
    }
    if (!seen) {
      ends.push_back(end.u);
      end_lotteries.push_back(end.lambda);
    }
  }
  if (ends.size() < 2) return solution;
  solution.ties = ends;
  // The documented selection: the (symmetric) Nash solution over F. Where no floor u_i >= d_i
  // cuts F, F = conv(T) ∩ {u >= d} for T the listed outcomes at the optimum (within rounding:
  // 1e-12 of the weighted magnitudes), and the Nash solution over conv(T) is over F. Where a
  // floor cuts it (the optimum is below the best listed outcome's w.u), every optimal dual
  // solution prices some floor, which then holds on all of F (complementary slackness): that
  // player gets d_i everywhere on F, the Nash product is 0 there, and the middle of the ends is
  // shown, below.
  double weighted_scale = 0, best_listed = kNegInf;
  for (std::size_t i = 0; i < n; ++i) weighted_scale += w[i] * scale[i];
  for (const Vector& p : set.outcomes) best_listed = std::max(best_listed, ExactDot(w, p));
  const double face_tolerance = 1e-12 * weighted_scale;
  // Both are exact values rounded once (the LP's objective and each outcome's w.u).
  const bool cut = best_listed > best.objective;
  std::vector<Vector> face;
  std::vector<std::size_t> face_index;
  for (std::size_t j = 0; j < set.outcomes.size() && !cut; ++j) {
    const Vector& p = set.outcomes[j];
    if (ExactDot(w, p) < best.objective - face_tolerance) continue;
    if (std::find(face.begin(), face.end(), p) != face.end()) continue;
    face.push_back(p);
    face_index.push_back(j);
  }
  if (!cut) {
    try {
      Solution nash = NashOverHull(face, d, Vector(n, 1.0), tolerance);
      solution.payoffs = nash.payoffs;
      solution.lottery.assign(set.outcomes.size(), 0.0);
      for (std::size_t t = 0; t < face.size(); ++t) solution.lottery[face_index[t]] = nash.lottery[t];
      // The optimum is exact; the point chosen on F is the Nash solution's, as precise as it.
      solution.precision = nash.precision;
      solution.gap = nash.gap;
      solution.method += "; a tie (every point between the listed ends is optimal), broken by "
                         "the Nash solution over the optimal set";
      return solution;
    } catch (const ValidationError&) {
      // No point of F gives everyone a strict gain, as where a floor cuts it: below.
    }
  }
  // The Nash product is 0 on F: the midpoint of the players' best ends, with the mean of the
  // ends' lotteries, which pays it (each end is its lottery's payoffs).
  const double count = static_cast<double>(ends.size());
  solution.payoffs.assign(n, 0.0);
  solution.lottery.assign(set.outcomes.size(), 0.0);
  for (std::size_t e = 0; e < ends.size(); ++e) {
    for (std::size_t i = 0; i < n; ++i) solution.payoffs[i] += ends[e][i] / count;
    for (std::size_t j = 0; j < set.outcomes.size(); ++j) solution.lottery[j] += end_lotteries[e][j] / count;
  }
  solution.method += "; a tie (every point between the listed ends is optimal) where no "
                     "optimal point gives everyone a gain: the middle of the ends is shown";
  return solution;
}

}  // namespace

Frontier2 ParetoFrontier2(const std::vector<Vector>& points) {
  if (internal::HasTiny(points)) return ParetoFrontier2(internal::WithoutTiny(points));
  if (CheckOutcomes(points) != 2) throw ValidationError("the frontier walk needs 2 players");
  return BuildFrontier(points).frontier;
}

std::vector<Vector> ParetoVertices(const std::vector<Vector>& points,
                                   std::size_t max_candidates) {
  if (internal::HasTiny(points)) return ParetoVertices(internal::WithoutTiny(points), max_candidates);
  const std::size_t n = CheckOutcomes(points);
  // Pure dominance first (and repeated points removed).
  std::vector<Vector> candidates;
  for (std::size_t j = 0; j < points.size(); ++j) {
    bool dominated = false;
    for (std::size_t k = 0; k < points.size() && !dominated; ++k) {
      if (k == j) continue;
      bool geq = true, greater = false;
      for (std::size_t i = 0; i < n; ++i) {
        geq = geq && points[k][i] >= points[j][i];
        greater = greater || points[k][i] > points[j][i];
      }
      dominated = geq && (greater || k < j);
    }
    if (!dominated) candidates.push_back(points[j]);
  }
  if (candidates.size() > max_candidates) {
    throw LimitError(std::to_string(candidates.size()) +
                     " undominated outcomes: too many to test one by one (limit " +
                     std::to_string(max_candidates) + ")");
  }
  // p is dominated by a lottery iff max sum_i (P lambda - p)_i / s_i s.t. P lambda >= p is
  // positive, s_i player i's magnitude (so each player's gain counts in its own units); the
  // LP is exact, so a positive excess beyond rounding (1e-12 per player) is a real one.
  const Vector scale = internal::PlayerScales(points, Vector(n, 0.0));
  Vector per_unit(n);
  for (std::size_t i = 0; i < n; ++i) per_unit[i] = 1.0 / scale[i];
  std::vector<Vector> result;
  for (const Vector& p : candidates) {
    HullLp best = OptimizeOverHull(candidates, p, {}, per_unit);
    double excess = best.feasible ? best.objective - Dot(per_unit, p) : 0.0;
    if (excess <= 1e-12 * static_cast<double>(n)) result.push_back(p);
  }
  return result;
}

Vector IdealPoint(const OutcomeSet& set, const Vector& d, bool* individually_rational) {
  if (internal::HasTiny(set.outcomes) || internal::HasTiny(d)) {
    internal::RefuseAllTiny(set.outcomes, d);
    return IdealPoint(OutcomeSet{internal::WithoutTiny(set.outcomes), set.lotteries},
                      internal::WithoutTiny(d), individually_rational);
  }
  const std::size_t n = CheckOutcomes(set.outcomes);
  CheckDisagreement(d, n);
  if (!set.lotteries) return PureIdeal(set, d, individually_rational);
  if (n == 2) {
    // On the frontier v_0 .. v_K: a_1 is where it crosses u2 = d2 (v_K when v_K is above d2),
    // a_2 where it crosses u1 = d1 (v_0 when v_0 is right of d1).
    // "At least d" within 1e-12 of each player's magnitude, as a gain counts only beyond it: a
    // vertex computed as 2.4 + 0.3 = 2.6999999999999997 meets d = 2.7 (it was left out, and
    // the Kalai-Smorodinsky point moved with it). A crossing is taken on its edge (clamped),
    // so such a vertex is its own crossing.
    const Vector scale = internal::PlayerScales(set.outcomes, d);
    const double low0 = d[0] - 1e-12 * scale[0], low1 = d[1] - 1e-12 * scale[1];
    const IndexedFrontier f = BuildFrontier(set.outcomes);
    const auto& v = f.frontier.vertices;
    const std::size_t last = v.size() - 1;
    auto along = [](double from, double to, double t) { return from + std::clamp(t, 0.0, 1.0) * (to - from); };
    double a1 = -lp::kInfinity, a2 = -lp::kInfinity;
    if (v[last].second >= low1) {
      a1 = v[last].first;
    } else {
      for (std::size_t k = 0; k < last; ++k)
        if (v[k].second >= low1 && v[k + 1].second < low1)
          a1 = along(v[k].first, v[k + 1].first, (d[1] - v[k].second) / (v[k + 1].second - v[k].second));
    }
    if (v[0].first >= low0) {
      a2 = v[0].second;
    } else {
      for (std::size_t k = 0; k < last; ++k)
        if (v[k].first < low0 && v[k + 1].first >= low0)
          a2 = along(v[k].second, v[k + 1].second, (d[0] - v[k].first) / (v[k + 1].first - v[k].first));
    }
    if (a1 >= low0 && a2 >= low1) {
      if (individually_rational != nullptr) *individually_rational = true;
      return {std::max(a1, d[0]), std::max(a2, d[1])};
    }
    if (individually_rational != nullptr) *individually_rational = false;
    return PureIdeal(OutcomeSet{set.outcomes, false}, Vector(n, -lp::kInfinity), nullptr);
  }
  Vector ideal(n);
  const Vector low = internal::MeetingD(set.outcomes, d);  // "at least d", up to rounding (as above)
  for (std::size_t i = 0; i < n; ++i) {
    Vector objective(n, 0.0);
    objective[i] = 1.0;
    HullLp best = OptimizeOverHull(set.outcomes, low, {}, objective);
    if (!best.feasible) {
      if (individually_rational != nullptr) *individually_rational = false;
      return PureIdeal(OutcomeSet{set.outcomes, false}, Vector(n, -lp::kInfinity), nullptr);
    }
    ideal[i] = std::max(best.objective, d[i]);
  }
  if (individually_rational != nullptr) *individually_rational = true;
  return ideal;
}

Solution NashOverHull(const std::vector<Vector>& points, const Vector& d, const Vector& weights,
                      double tolerance, bool closed_form_for_two) {
  if (internal::HasTiny(points) || internal::HasTiny(d)) {
    internal::RefuseAllTiny(points, d);
    return NashOverHull(internal::WithoutTiny(points), internal::WithoutTiny(d), weights,
                        tolerance, closed_form_for_two);
  }
  const std::size_t n = CheckOutcomes(points);
  CheckDisagreement(d, n);
  Vector w = CheckWeights(weights, n);
  if (!(tolerance > 0)) throw ValidationError("the tolerance must be positive");
  Solution solution = n == 2 && closed_form_for_two ? NashTwoPlayers(points, d, w, BuildFrontier(points))
                                                    : NashDecomposition(points, d, w, tolerance);
  solution.weights = w;
  solution.weighted = !internal::AllEqual(w);
  return solution;
}

void internal::PrepareNashFrontier(const std::vector<Vector>& points, IndexedFrontier* f, FrontierScratch* scratch) {
  f->usable = false;
  f->index.clear();
  f->frontier.vertices.clear();
  f->frontier.normals.clear();
  f->frontier.offsets.clear();
  f->method.clear();
  if (internal::HasTiny(points)) return;
  try {
    if (CheckOutcomes(points) != 2) return;
  } catch (const ValidationError&) {
    return;  // thrown again, with its message, by NashOverHull
  }
  BuildFrontier(points, f, scratch);
  FrontierMethod(*f, &f->method);
  f->usable = true;
}

IndexedFrontier internal::PrepareNashFrontier(const std::vector<Vector>& points) {
  IndexedFrontier f;
  FrontierScratch scratch;
  PrepareNashFrontier(points, &f, &scratch);
  return f;
}

void internal::NashOverFrontier(const std::vector<Vector>& points, const IndexedFrontier& frontier,
                                const Vector& d, const Vector& weights, Solution* out) {
  if (!frontier.usable || internal::HasTiny(d)) {
    *out = NashOverHull(points, d, weights);
    return;
  }
  // NashOverHull's checks in its order; CheckOutcomes passed on the same points when the
  // frontier was prepared (2 players). CheckWeights' copy is not needed: the weights checked,
  // or all ones.
  static const Vector kEqual{1.0, 1.0};
  CheckDisagreement(d, 2);
  CheckWeightsValid(weights, 2);
  const Vector& w = weights.empty() ? kEqual : weights;
  NashTwoPlayers(points, d, w, frontier, out);
  out->weights.assign(w.begin(), w.end());
  out->weighted = !internal::AllEqual(w);
}

Solution internal::NashOverFrontier(const std::vector<Vector>& points, const IndexedFrontier& frontier,
                                    const Vector& d, const Vector& weights) {
  Solution solution;
  NashOverFrontier(points, frontier, d, weights, &solution);
  return solution;
}

Solution SolveOutcomes(const OutcomeSet& set, const Vector& d, Concept concept_kind,
                       const Vector& weights, double tolerance) {
  if (internal::HasTiny(set.outcomes) || internal::HasTiny(d)) {
    internal::RefuseAllTiny(set.outcomes, d);
    return SolveOutcomes(OutcomeSet{internal::WithoutTiny(set.outcomes), set.lotteries},
                         internal::WithoutTiny(d), concept_kind, weights, tolerance);
  }
  const std::size_t n = CheckOutcomes(set.outcomes);
  CheckDisagreement(d, n);
  Vector w = CheckWeights(weights, n);
  Solution solution;
  if (!set.lotteries) {
    solution = SolvePure(set, d, concept_kind, w, tolerance);
  } else {
    switch (concept_kind) {
      case Concept::kNash: return NashOverHull(set.outcomes, d, w, tolerance);
      case Concept::kKalaiSmorodinsky: {
        RequireGain(set, d);
        Vector ideal = IdealPoint(set, d);
        Vector direction(n);
        for (std::size_t i = 0; i < n; ++i) direction[i] = ideal[i] - d[i];
        solution = RaySolution(set, d, direction, concept_kind);
        break;
      }
      case Concept::kEgalitarian:
        RequireGain(set, d);
        solution = RaySolution(set, d, Vector(n, 1.0), concept_kind);
        break;
      case Concept::kUtilitarian:
        RequireGain(set, d);
        solution = Utilitarian(set, d, w, tolerance);
        break;
    }
  }
  bool uses_weights = Info(concept_kind).uses_weights;
  solution.weights = uses_weights ? w : Vector(n, 1.0);
  solution.weighted = uses_weights && !internal::AllEqual(w);
  return solution;
}

Result SolveOutcomes(const OutcomeSet& set, const Vector& d, const Request& request) {
  if (internal::HasTiny(set.outcomes) || internal::HasTiny(d)) {
    internal::RefuseAllTiny(set.outcomes, d);
    return SolveOutcomes(OutcomeSet{internal::WithoutTiny(set.outcomes), set.lotteries},
                         internal::WithoutTiny(d), request);
  }
  const std::size_t n = CheckOutcomes(set.outcomes);
  CheckDisagreement(d, n);
  Vector w = CheckWeights(request.weights, n);
  Result result;
  result.disagreement = d;
  RequireGain(set, d);
  result.ideal = IdealPoint(set, d);
  for (Concept c : request.concepts)
    for (const Vector& weights : ListedWeightings(c, w))
      result.solutions.push_back(SolveOutcomes(set, d, c, weights, request.tolerance));
  if (n == 2) {
    result.frontier = BuildFrontier(set.outcomes).frontier;
  } else if (set.outcomes.size() <= 200) {
    result.pareto_vertices = ParetoVertices(set.outcomes);
  }
  return result;
}

namespace internal {
Solution RayExitRefined(const std::vector<Vector>& points, const Vector& d, const Vector& direction, Concept c) {
  return RaySolution(OutcomeSet{points, true}, d, direction, c);
}
}  // namespace internal

}  // namespace parley::bargaining
