#include "solver/bargaining/nonlinear.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <nlopt.hpp>
#include <random>

#include "solver/model/error.h"

namespace parley::bargaining::internal {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kSampleBudget = 2000;
constexpr int kConcavityPairs = 500;
constexpr std::size_t kStarts = 3;

// A uniform draw in [0, 1) from the top 53 bits: specified exactly, unlike
// std::uniform_real_distribution, whose algorithm the standard leaves to the library.
double Unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// u and g at y with their Jacobians by finite differences, fourth-order stencils throughout:
// the central five-point one, or the one-sided one, first at h = 1e-3 of the issue's range.
//
// Away from the bounds (two steps inside) the polish takes the central stencil at h alone. A
// payoff may turn on a much smaller scale near a bound, though: sqrt(x) at x = 2.5e-7 bends
// within 2.5e-7, and a step of 1e-3 (or a one-sided stencil reaching 4e-3 into the box) reads
// its slope there as about 50 where it is 1000. So within two steps of a bound two sequences
// of estimates are formed: the one-sided stencil at h, h/2, ..., and the central one at steps
// of at most a quarter of the distance to the bound, halving. Each level's error is estimated
// by its difference from the previous level's (for a fourth-order stencil, 16/15 of the
// coarser one's error; beyond the truncation error it includes the roundoff, which grows as
// the step shrinks), and each function takes the estimate with the smallest error: a payoff
// that is affine keeps the long one-sided step (its roundoff smallest), sqrt(x) near 0 the
// central steps far below x. Richardson's extrapolation of successive levels (the h^4 term
// removed) competes too. The KKT check (`with_error`) wants the error estimates everywhere, so
// in the interior it halves the central step as well.
struct Evaluation {
  Vector y, u, g;
  std::vector<Vector> du, dg;  // [player][issue], [constraint][issue]
  std::vector<Vector> eu, eg;  // with_error: the derivatives' error estimates, same shape
};

constexpr int kMaxLevels = 40;

// One stencil's derivative along issue j at y, step h, of every function (u then g; f0 their
// values at y): central (direction 0) or one-sided (+1 up, -1 down).
void Stencil(const NlpSpace& space, const Vector& y, std::size_t j, double h, int direction,
             const Vector& f0, Vector* d) {
  static constexpr double kCentral[5] = {1, -8, 0, 8, -1}, kOneSided[5] = {-25, 48, -36, 16, -3};
  const std::size_t n = space.players;
  d->assign(f0.size(), 0);
  Vector at = y, u, g;
  for (int s = 0; s < 5; ++s) {
    const double coef = direction == 0 ? kCentral[s] / 12 : direction * kOneSided[s] / 12;
    const double offset = direction == 0 ? s - 2 : direction * s;
    if (coef == 0) continue;
    if (offset == 0) {
      for (std::size_t i = 0; i < f0.size(); ++i) (*d)[i] += coef * f0[i] / h;
      continue;
    }
    at[j] = y[j] + offset * h;
    space.evaluate(at, &u, &g);
    for (std::size_t i = 0; i < n; ++i) (*d)[i] += coef * u[i] / h;
    for (std::size_t i = 0; i < g.size(); ++i) (*d)[n + i] += coef * g[i] / h;
  }
}

// The sequence of stencils at steps h/2, h/4, ... after `previous` (the estimate at h): each
// level is a candidate whose error is its difference from the level before, kept in (d, e)
// where that error is the function's smallest yet. It goes on while some function's error at
// least halves from one level to the next (then the truncation error still dominates), at
// most kMaxLevels, and not below 2^-40 |y| (the abscissae's rounding, 2^-53 |y|, stays a
// roundoff the error estimates see).
void Refine(const NlpSpace& space, const Vector& y, std::size_t j, double h, int direction,
            const Vector& f0, Vector previous, Vector* d, Vector* e) {
  const std::size_t count = f0.size();
  Vector last_error(count, kInf), level, extrapolated(count), previous_extrapolated;
  for (int m = 1; m <= kMaxLevels; ++m) {
    h /= 2;
    if (!(h > 0) || h < 0x1p-40 * std::abs(y[j])) break;
    Stencil(space, y, j, h, direction, f0, &level);
    bool shrinking = false;
    for (std::size_t i = 0; i < count; ++i) {
      // Richardson's extrapolation removes the h^4 term (its own error: the difference from
      // the previous level's extrapolation).
      extrapolated[i] = (16 * level[i] - previous[i]) / 15;
      if (m >= 2) {
        const double error = std::abs(extrapolated[i] - previous_extrapolated[i]);
        if (std::isfinite(error) && !(error >= (*e)[i])) (*e)[i] = error, (*d)[i] = extrapolated[i];
      }
      const double error = std::abs(level[i] - previous[i]);
      if (!std::isfinite(error)) continue;
      if (!(error >= (*e)[i])) (*e)[i] = error, (*d)[i] = level[i];
      shrinking = shrinking || error < 0.5 * last_error[i];
      last_error[i] = error;
    }
    if (!shrinking && m >= 2) break;
    previous = level;
    previous_extrapolated = extrapolated;
  }
}

// The derivatives along issue j at y of every function (u then g; f0 their values at y), and
// with `with_error` their error estimates (+inf where no two levels agreed on a finite value).
void IssueDerivatives(const NlpSpace& space, const Vector& y, std::size_t j, const Vector& f0,
                      bool with_error, Vector* d, Vector* e) {
  const double lower = space.lower[j], upper = space.upper[j];
  const double h = 1e-3 * (upper - lower);
  const bool central = y[j] - 2 * h >= lower && y[j] + 2 * h <= upper;
  const int side = y[j] + 4 * h <= upper ? 1 : -1;
  Stencil(space, y, j, h, central ? 0 : side, f0, d);
  e->assign(f0.size(), kInf);
  if (central && !with_error) return;
  const Vector coarse = *d;
  Refine(space, y, j, h, central ? 0 : side, f0, coarse, d, e);
  // Near a bound, the central sequence from a power of two at most a quarter of the distance.
  const double room = std::min(y[j] - lower, upper - y[j]);
  if (central || !(room > 0)) {
    // Where no level gave a finite error the coarse estimate stands.
    for (std::size_t i = 0; i < f0.size(); ++i)
      if (!std::isfinite((*e)[i])) (*d)[i] = coarse[i];
    return;
  }
  const double step = std::ldexp(1.0, std::ilogb(room / 4));
  if (step > 0 && step >= 0x1p-40 * std::abs(y[j])) {
    Vector first;
    Stencil(space, y, j, step, 0, f0, &first);
    Refine(space, y, j, step, 0, f0, first, d, e);
  }
  for (std::size_t i = 0; i < f0.size(); ++i)
    if (!std::isfinite((*e)[i])) (*d)[i] = coarse[i];
}

// An iterate that is not a number (SLSQP's step from an infinite slope, sqrt(x)'s at x = 0)
// is no point of the box: the caller's evaluation is not asked about it (a scenario refuses a
// constraint that is not a number, and what the evaluation throws passes through the search),
// and its values are not numbers, as the formulas would have given.
bool NotAPoint(const Vector& y) {
  return std::any_of(y.begin(), y.end(), [](double v) { return std::isnan(v); });
}

// u and g at y (not numbers where y is not a point).
void EvaluateAt(const NlpSpace& space, const Vector& y, Vector* u, Vector* g) {
  if (!NotAPoint(y)) {
    space.evaluate(y, u, g);
    return;
  }
  u->assign(space.players, std::numeric_limits<double>::quiet_NaN());
  g->assign(space.constraints, std::numeric_limits<double>::quiet_NaN());
}

void EvaluateWithJacobian(const NlpSpace& space, const Vector& y, Evaluation* e, bool with_error = false) {
  const std::size_t k = y.size(), n = space.players, m = space.constraints;
  e->y = y;
  EvaluateAt(space, y, &e->u, &e->g);
  e->du.assign(n, Vector(k, 0));
  e->dg.assign(m, Vector(k, 0));
  e->eu.assign(n, Vector(k, 0));
  e->eg.assign(m, Vector(k, 0));
  if (NotAPoint(y)) {
    // Derivatives that are not numbers either, with errors unknown (as the stencils would give).
    for (std::size_t j = 0; j < k; ++j) {
      if (!(space.upper[j] - space.lower[j] > 0)) continue;
      for (std::size_t i = 0; i < n; ++i) e->du[i][j] = std::numeric_limits<double>::quiet_NaN(), e->eu[i][j] = kInf;
      for (std::size_t i = 0; i < m; ++i) e->dg[i][j] = std::numeric_limits<double>::quiet_NaN(), e->eg[i][j] = kInf;
    }
    return;
  }
  Vector f0 = e->u, d, error;
  f0.insert(f0.end(), e->g.begin(), e->g.end());
  for (std::size_t j = 0; j < k; ++j) {
    if (!(space.upper[j] - space.lower[j] > 0)) continue;
    IssueDerivatives(space, y, j, f0, with_error, &d, &error);
    for (std::size_t i = 0; i < n; ++i) e->du[i][j] = d[i], e->eu[i][j] = error[i];
    for (std::size_t i = 0; i < m; ++i) e->dg[i][j] = d[n + i], e->eg[i][j] = error[n + i];
  }
}

double RowValue(const NlpRow& row, const Vector& u, const Vector& z) {
  double v = row.c;
  for (std::size_t i = 0; i < row.a.size(); ++i) v += row.a[i] * u[i];
  for (std::size_t q = 0; q < row.b.size(); ++q) v += row.b[q] * z[q];
  return v;
}

double ZScale(const NlpForm& form, std::size_t q) { return form.zscale.empty() ? 1.0 : form.zscale[q]; }

// A row's scale, fixed per program (from the samples) so that the scaled rows stay smooth: the
// largest of its terms, in the players' own units (not floored at 1, so that payoffs of 1e-9
// are judged relative to 1e-9).
double RowScale(const NlpRow& row, const NlpForm& form, const std::vector<Vector>& u) {
  double v = std::abs(row.c);
  for (const Vector& at : u)
    for (std::size_t i = 0; i < row.a.size(); ++i)
      if (std::isfinite(at[i])) v = std::max(v, std::abs(row.a[i] * at[i]));
  for (std::size_t q = 0; q < row.b.size(); ++q) v = std::max(v, std::abs(row.b[q]) * ZScale(form, q));
  return v > 0 ? v : 1.0;
}

double Objective(const NlpForm& form, const Vector& u, const Vector& z) {
  double f = 0;
  for (std::size_t i = 0; i < form.ou.size(); ++i) f += form.ou[i] * u[i];
  for (std::size_t q = 0; q < form.extra; ++q) {
    if (!form.oy.empty()) f += form.oy[q] * z[q];
    if (!form.ol.empty() && form.ol[q] != 0) f += form.ol[q] * std::log(z[q]);
  }
  return f;
}

// Largest relative violation of the rows and constraints at (u, g, z).
double Violation(const NlpForm& form, const Vector& u, const Vector& g, const Vector& z,
                 const Vector& row_scale, const Vector& g_scale) {
  double worst = 0;
  for (std::size_t r = 0; r < form.rows.size(); ++r)
    worst = std::max(worst, RowValue(form.rows[r], u, z) / row_scale[r]);
  for (std::size_t j = 0; j < g.size(); ++j) worst = std::max(worst, g[j] / g_scale[j]);
  for (double v : u)
    if (!std::isfinite(v)) return kInf;
  for (double v : g)
    if (!std::isfinite(v)) return kInf;
  return worst;
}

// Non-negative least squares, min |A x - b| over x >= 0 (Lawson and Hanson 1974, the active
// set method), for the handful of active constraints of a KKT check.
Eigen::VectorXd Nnls(const Eigen::MatrixXd& a, const Eigen::VectorXd& b) {
  const Eigen::Index cols = a.cols();
  Eigen::VectorXd x = Eigen::VectorXd::Zero(cols);
  std::vector<bool> passive(static_cast<std::size_t>(cols), false);
  const double tol = 1e-14 * std::max(1.0, a.cwiseAbs().maxCoeff()) * std::max(1.0, b.cwiseAbs().maxCoeff());
  for (int outer = 0; outer < 3 * cols + 3; ++outer) {
    Eigen::VectorXd w = a.transpose() * (b - a * x);
    Eigen::Index best = -1;
    for (Eigen::Index j = 0; j < cols; ++j)
      if (!passive[static_cast<std::size_t>(j)] && w[j] > tol && (best < 0 || w[j] > w[best])) best = j;
    if (best < 0) break;
    passive[static_cast<std::size_t>(best)] = true;
    for (int inner = 0; inner < 3 * cols + 3; ++inner) {
      std::vector<Eigen::Index> p;
      for (Eigen::Index j = 0; j < cols; ++j)
        if (passive[static_cast<std::size_t>(j)]) p.push_back(j);
      Eigen::MatrixXd ap(a.rows(), static_cast<Eigen::Index>(p.size()));
      for (std::size_t t = 0; t < p.size(); ++t) ap.col(static_cast<Eigen::Index>(t)) = a.col(p[t]);
      Eigen::VectorXd sp = ap.completeOrthogonalDecomposition().solve(b);
      Eigen::VectorXd s = Eigen::VectorXd::Zero(cols);
      bool positive = true;
      for (std::size_t t = 0; t < p.size(); ++t) {
        s[p[t]] = sp[static_cast<Eigen::Index>(t)];
        positive = positive && s[p[t]] > 0;
      }
      if (positive) {
        x = s;
        break;
      }
      double alpha = 1;
      for (Eigen::Index j : p)
        if (s[j] <= 0) alpha = std::min(alpha, x[j] / (x[j] - s[j]));
      x += alpha * (s - x);
      for (Eigen::Index j : p)
        if (x[j] <= 1e-15) {
          x[j] = 0;
          passive[static_cast<std::size_t>(j)] = false;
        }
    }
  }
  return x;
}

// The optimisation variables are (v, w) with v = (y - lower) / range in [0, 1] and
// w = z / zscale, and the objective is divided by its magnitude: SLSQP is not invariant to
// the issues' or the payoffs' units.
struct Program {
  const NlpSpace* space;
  const NlpForm* form;
  Vector row_scale, g_scale;
  Evaluation cache;
  bool has_cache = false;
  std::size_t k = 0;

  Vector IssuesOf(const double* v) const {
    Vector y(k);
    for (std::size_t j = 0; j < k; ++j)
      y[j] = std::clamp(space->lower[j] + v[j] * (space->upper[j] - space->lower[j]), space->lower[j],
                        space->upper[j]);
    return y;
  }
  const Evaluation& At(const double* v) {
    Vector y = IssuesOf(v);
    if (!has_cache || y != cache.y) {
      EvaluateWithJacobian(*space, y, &cache);
      has_cache = true;
    }
    return cache;
  }
  double objective_scale = 1;
  // What a callback threw (the caller's evaluation refused an agreement, a cancel): NLopt
  // swallows exceptions into a failure code, so the callback keeps it here, stops the run and
  // SolveNlp throws it again.
  std::exception_ptr error = nullptr;
  double Range(std::size_t j) const { return space->upper[j] - space->lower[j]; }
  Vector ExtrasOf(const double* v, std::size_t size) const {
    Vector z(v + k, v + size);
    for (std::size_t q = 0; q < z.size(); ++q) z[q] *= ZScale(*form, q);
    return z;
  }
};

// Runs `body` inside an NLopt callback: an exception it throws is kept in the program and the
// run stopped (nlopt::forced_stop), for SolveNlp to throw again.
template <typename Body>
auto Guarded(Program& p, Body body) {
  try {
    return body();
  } catch (...) {
    p.error = std::current_exception();
    throw nlopt::forced_stop();
  }
}

// Throws what a callback of the last run kept.
void Rethrow(const Program& p) {
  if (p.error) std::rethrow_exception(p.error);
}

double ObjectiveAt(Program& p, unsigned size, const double* v, double* grad) {
  const NlpForm& form = *p.form;
  const Evaluation& e = p.At(v);
  const Vector z = p.ExtrasOf(v, size);
  if (grad) {
    for (std::size_t j = 0; j < p.k; ++j) {
      double s = 0;
      for (std::size_t i = 0; i < form.ou.size(); ++i) s += form.ou[i] * e.du[i][j];
      grad[j] = s * p.Range(j);
    }
    for (std::size_t q = 0; q < form.extra; ++q)
      grad[p.k + q] = ((form.oy.empty() ? 0 : form.oy[q]) +
                       (form.ol.empty() || form.ol[q] == 0 ? 0 : form.ol[q] / z[q])) *
                      ZScale(form, q);
    for (std::size_t j = 0; j < size; ++j) grad[j] /= p.objective_scale;
  }
  double f = Objective(form, e.u, z) / p.objective_scale;
  return std::isfinite(f) ? f : -1e300;
}

void ConstraintsAt(Program& p, unsigned count, double* result, unsigned size, const double* v, double* grad) {
  const NlpForm& form = *p.form;
  const Evaluation& e = p.At(v);
  const Vector z = p.ExtrasOf(v, size);
  std::size_t r = 0;
  for (const NlpRow& row : form.rows) {
    const double scale = p.row_scale[r];
    result[r] = RowValue(row, e.u, z) / scale;
    if (grad) {
      double* gr = grad + r * size;
      for (std::size_t j = 0; j < p.k; ++j) {
        double s = 0;
        for (std::size_t i = 0; i < row.a.size(); ++i) s += row.a[i] * e.du[i][j];
        gr[j] = s * p.Range(j) / scale;
      }
      for (std::size_t q = 0; q < form.extra; ++q)
        gr[p.k + q] = (row.b.empty() ? 0 : row.b[q]) * ZScale(form, q) / scale;
    }
    ++r;
  }
  for (std::size_t c = 0; c < e.g.size(); ++c, ++r) {
    result[r] = e.g[c] / p.g_scale[c];
    if (grad) {
      double* gr = grad + r * size;
      for (std::size_t j = 0; j < p.k; ++j) gr[j] = e.dg[c][j] * p.Range(j) / p.g_scale[c];
      for (std::size_t q = 0; q < form.extra; ++q) gr[p.k + q] = 0;
    }
  }
  (void)count;
  for (unsigned i = 0; i < count; ++i)
    if (!std::isfinite(result[i])) result[i] = 1e300;
}

double ObjectiveCallback(unsigned size, const double* v, double* grad, void* data) {
  Program& p = *static_cast<Program*>(data);
  return Guarded(p, [&] { return ObjectiveAt(p, size, v, grad); });
}

void ConstraintCallback(unsigned count, double* result, unsigned size, const double* v, double* grad,
                        void* data) {
  Program& p = *static_cast<Program*>(data);
  Guarded(p, [&] { ConstraintsAt(p, count, result, size, v, grad); });
}

// The KKT residual at (y, z) (relative), with the active sets.
double KktResidual(const NlpSpace& space, const NlpForm& form, const Vector& row_scale,
                   const Vector& g_scale, const Vector& y,
                   const Vector& z, NlpPoint* point) {
  const std::size_t k = y.size(), size = k + form.extra;
  Evaluation e;
  EvaluateWithJacobian(space, y, &e, true);
  // The derivatives' errors carried into each column: the objective's, then the columns'.
  Eigen::VectorXd grad(static_cast<Eigen::Index>(size)), grad_error = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(size));
  for (std::size_t j = 0; j < k; ++j) {
    double s = 0;
    for (std::size_t i = 0; i < form.ou.size(); ++i) {
      s += form.ou[i] * e.du[i][j];
      if (form.ou[i] != 0) grad_error[static_cast<Eigen::Index>(j)] += std::abs(form.ou[i]) * e.eu[i][j];
    }
    grad[static_cast<Eigen::Index>(j)] = s;
  }
  // In the solver's variables: the extras divided by their scales.
  for (std::size_t q = 0; q < form.extra; ++q)
    grad[static_cast<Eigen::Index>(k + q)] = ((form.oy.empty() ? 0 : form.oy[q]) +
                                              (form.ol.empty() || form.ol[q] == 0 ? 0 : form.ol[q] / z[q])) *
                                             ZScale(form, q);
  std::vector<Eigen::VectorXd> columns, column_errors;
  auto column = [&]() {
    columns.emplace_back(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(size)));
    column_errors.emplace_back(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(size)));
    return &columns.back();
  };
  for (std::size_t r = 0; r < form.rows.size(); ++r) {
    const NlpRow& row = form.rows[r];
    if (RowValue(row, e.u, z) < -1e-8 * row_scale[r]) continue;
    Eigen::VectorXd* c = column();
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t i = 0; i < row.a.size(); ++i) {
        (*c)[static_cast<Eigen::Index>(j)] += row.a[i] * e.du[i][j];
        if (row.a[i] != 0) column_errors.back()[static_cast<Eigen::Index>(j)] += std::abs(row.a[i]) * e.eu[i][j];
      }
    for (std::size_t q = 0; q < row.b.size(); ++q)
      (*c)[static_cast<Eigen::Index>(k + q)] = row.b[q] * ZScale(form, q);
  }
  point->active_constraints.clear();
  for (std::size_t j = 0; j < e.g.size(); ++j) {
    if (e.g[j] < -1e-8 * g_scale[j]) continue;
    point->active_constraints.push_back(j);
    Eigen::VectorXd* c = column();
    for (std::size_t t = 0; t < k; ++t) {
      (*c)[static_cast<Eigen::Index>(t)] = e.dg[j][t];
      column_errors.back()[static_cast<Eigen::Index>(t)] = e.eg[j][t];
    }
  }
  point->active_bounds.clear();
  for (std::size_t j = 0; j < k; ++j) {
    const double range = space.upper[j] - space.lower[j];
    for (bool upper : {false, true}) {
      const double bound = upper ? space.upper[j] : space.lower[j];
      if (std::abs(y[j] - bound) > 1e-9 * std::max(range, 1e-300) && range > 0) continue;
      if (range > 0) point->active_bounds.emplace_back(j, upper);
      Eigen::VectorXd* c = column();
      (*c)[static_cast<Eigen::Index>(j)] = upper ? 1 : -1;
    }
  }
  for (std::size_t q = 0; q < form.extra; ++q)
    for (bool upper : {false, true}) {
      const double bound = upper ? form.zhi[q] : form.zlo[q];
      if (std::abs(z[q] - bound) > 1e-12 * std::max(ZScale(form, q), std::abs(bound))) continue;
      Eigen::VectorXd* c = column();
      (*c)[static_cast<Eigen::Index>(k + q)] = upper ? 1 : -1;
    }
  // The residual is relative to the size of the objective's terms (each party's weighted
  // payoff gradient), so that an interior optimum, where those terms cancel, is measured by
  // how well they cancel rather than called a failure for the rounding left in their sum.
  double scale = grad.cwiseAbs().maxCoeff();
  for (std::size_t i = 0; i < form.ou.size(); ++i)
    for (std::size_t j = 0; j < k; ++j) scale = std::max(scale, std::abs(form.ou[i] * e.du[i][j]));
  // The residual is computed from estimated derivatives; with the true ones it can be larger by
  // at most |gradient error| + sum_c lambda_c |column c's error| in each component. That bound
  // is added, so a certificate holds for the true derivatives whenever the error estimates do.
  // On the bound x = 0, sqrt(x) + 1000 (1 - x) rises infinitely steeply; one-sided stencils
  // at steps 1e-3 and 5e-4 read its slope as 50 - 1000 and 70 - 1000, which a multiplier of
  // the bound balances exactly, but they differ by 20 (2e-2 of the gradients' scale of 1000),
  // and no certificate is given.
  if (columns.empty())
    return scale == 0 ? (grad_error.maxCoeff() == 0 ? 0 : kInf)
                      : (grad.cwiseAbs().maxCoeff() + grad_error.maxCoeff()) / scale;
  Eigen::MatrixXd a(static_cast<Eigen::Index>(size), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t c = 0; c < columns.size(); ++c) a.col(static_cast<Eigen::Index>(c)) = columns[c];
  // NNLS on unit-sized columns and gradient (its tolerances are absolute), mapped back.
  const double grad_size = grad.cwiseAbs().maxCoeff();
  Eigen::VectorXd lambda = Eigen::VectorXd::Zero(a.cols());
  if (grad_size > 0) {
    Eigen::MatrixXd unit = a;
    Eigen::VectorXd column_size(a.cols());
    for (Eigen::Index c = 0; c < a.cols(); ++c) {
      column_size[c] = a.col(c).cwiseAbs().maxCoeff();
      if (column_size[c] > 0) unit.col(c) /= column_size[c];
    }
    lambda = Nnls(unit, grad / grad_size);
    for (Eigen::Index c = 0; c < a.cols(); ++c)
      lambda[c] = column_size[c] > 0 ? lambda[c] * grad_size / column_size[c] : 0;
  }
  for (Eigen::Index c = 0; c < a.cols(); ++c) scale = std::max(scale, lambda[c] * a.col(c).cwiseAbs().maxCoeff());
  Eigen::VectorXd error = grad_error;
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (lambda[static_cast<Eigen::Index>(c)] > 0) error += lambda[static_cast<Eigen::Index>(c)] * column_errors[c];
  if (scale == 0) return error.maxCoeff() == 0 ? 0 : kInf;
  return ((grad - a * lambda).cwiseAbs().maxCoeff() + error.maxCoeff()) / scale;
}

// Newton's method on the objective's gradient, for a program whose optimum is free: no extra
// variables and no row or constraint active, only (perhaps) issue bounds. SLSQP's line search
// compares objective values, and near a sharp optimum beside a large payoff those are flat to
// the last bit long before the point is: sqrt(x) + 1000 (1 - x) has curvature -2e9 at its peak
// x = 2.5e-7, so within 1e-11 of it the sum changes by less than 1e-13, its rounding, and SLSQP
// stops 1e-5 (relative) away. The gradient still tells: its zero is found by Newton steps with
// the Hessian by central differences of the gradient, each step kept only if it shrinks the
// gradient, stays feasible and does not lower the objective beyond its rounding. The issues at
// a bound stay there. True when the point moved.
bool NewtonPolish(const NlpSpace& space, const NlpForm& form, const Vector& row_scale, const Vector& g_scale,
                  NlpPoint* best) {
  const std::size_t k = best->y.size();
  if (form.extra > 0 || k == 0) return false;
  // The free issues' gradient at y (its scale, as in the KKT check, in *scale); false when a row
  // or constraint is active.
  auto gradient = [&](const Vector& y, const std::vector<std::size_t>& free, Eigen::VectorXd* grad,
                      double* scale, Vector* u, Vector* g) {
    Evaluation e;
    EvaluateWithJacobian(space, y, &e, true);  // the KKT check's derivatives, to meet its test
    for (std::size_t r = 0; r < form.rows.size(); ++r)
      if (RowValue(form.rows[r], e.u, {}) >= -1e-8 * row_scale[r]) return false;
    for (std::size_t j = 0; j < e.g.size(); ++j)
      if (e.g[j] >= -1e-8 * g_scale[j]) return false;
    grad->setZero(static_cast<Eigen::Index>(free.size()));
    *scale = 0;
    for (std::size_t t = 0; t < free.size(); ++t)
      for (std::size_t i = 0; i < form.ou.size(); ++i) {
        (*grad)[static_cast<Eigen::Index>(t)] += form.ou[i] * e.du[i][free[t]];
        *scale = std::max(*scale, std::abs(form.ou[i] * e.du[i][free[t]]));
      }
    *u = e.u;
    *g = e.g;
    return grad->allFinite() && std::isfinite(*scale);
  };
  // An issue on a bound is freed when 2^-40 of its range inside the objective is no lower
  // (beyond its rounding) and its slope there points inward: the slope on the bound itself is
  // only one-sided stencils, which cannot see a peak closer to the bound than their steps.
  Vector y = best->y, u, g;
  Eigen::VectorXd grad;
  double scale = 0;
  bool moved = false;
  std::vector<std::size_t> free;
  for (std::size_t j = 0; j < k; ++j)
    if (y[j] > space.lower[j] && y[j] < space.upper[j]) free.push_back(j);
  for (std::size_t j = 0; j < k; ++j) {
    if (!(space.upper[j] > space.lower[j]) || std::find(free.begin(), free.end(), j) != free.end()) continue;
    const double inward = y[j] == space.lower[j] ? 1.0 : -1.0;
    Vector at = y;
    at[j] += inward * 0x1p-40 * (space.upper[j] - space.lower[j]);
    space.evaluate(y, &u, &g);  // (a floor may be active on the bound: u1 = 5 + sqrt(x) >= 5)
    const double objective = Objective(form, u, {});
    if (!gradient(at, {j}, &grad, &scale, &u, &g)) continue;
    if (inward * grad[0] > 0 && Objective(form, u, {}) >= objective - 4e-16 * std::max(std::abs(objective), scale)) {
      y = at;
      free.push_back(j);
      moved = true;
    }
  }
  std::sort(free.begin(), free.end());
  if (free.empty()) return false;
  const auto f = static_cast<Eigen::Index>(free.size());
  if (!gradient(y, free, &grad, &scale, &u, &g)) return false;
  for (int iteration = 0; iteration < 100 && scale > 0 && grad.cwiseAbs().maxCoeff() > 1e-14 * scale; ++iteration) {
    // Hessian columns from steps well inside the nearer bound (the curvature's own scale there).
    Eigen::MatrixXd hessian(f, f);
    bool ok = true;
    for (Eigen::Index t = 0; t < f && ok; ++t) {
      const std::size_t j = free[static_cast<std::size_t>(t)];
      const double room = std::min(y[j] - space.lower[j], space.upper[j] - y[j]);
      const double delta = std::min(1e-3 * (space.upper[j] - space.lower[j]), room / 16);
      Eigen::VectorXd plus, minus;
      double unused = 0;
      Vector at = y, uu, gg;
      at[j] = y[j] + delta;
      ok = gradient(at, free, &plus, &unused, &uu, &gg);
      at[j] = y[j] - delta;
      ok = ok && gradient(at, free, &minus, &unused, &uu, &gg);
      if (ok) hessian.col(t) = (plus - minus) / (2 * delta);
    }
    if (!ok) break;
    hessian = 0.5 * (hessian + hessian.transpose()).eval();
    Eigen::LLT<Eigen::MatrixXd> negative(-hessian);
    if (negative.info() != Eigen::Success) break;  // not concave here: not Newton's to settle
    const Eigen::VectorXd step = negative.solve(grad);
    // The longest step up to 1 that stays strictly inside the box, then halved until kept.
    double alpha = 1;
    for (Eigen::Index t = 0; t < f; ++t) {
      const std::size_t j = free[static_cast<std::size_t>(t)];
      const double room = step[t] > 0 ? space.upper[j] - y[j] : y[j] - space.lower[j];
      if (step[t] != 0) alpha = std::min(alpha, 0.9 * room / std::abs(step[t]));
    }
    const double objective = Objective(form, u, {});
    bool kept = false;
    for (int halving = 0; halving < 20 && !kept; ++halving, alpha /= 2) {
      Vector next = y;
      for (Eigen::Index t = 0; t < f; ++t) next[free[static_cast<std::size_t>(t)]] += alpha * step[t];
      if (next == y) break;
      Eigen::VectorXd next_grad;
      double next_scale = 0;
      Vector next_u, next_g;
      if (!gradient(next, free, &next_grad, &next_scale, &next_u, &next_g)) continue;
      const double next_objective = Objective(form, next_u, {});
      if (!(next_grad.cwiseAbs().maxCoeff() < grad.cwiseAbs().maxCoeff()) ||
          !(next_objective >= objective - 4e-16 * std::max(std::abs(objective), scale)))
        continue;
      y = next, u = next_u, g = next_g, grad = next_grad, scale = next_scale;
      kept = moved = true;
    }
    if (!kept) break;
  }
  if (!moved) return false;
  best->y = y;
  best->u = u;
  best->g = g;
  best->objective = Objective(form, u, {});
  return true;
}

}  // namespace

NlpSamples SampleSpace(const NlpSpace& space) {
  NlpSamples samples;
  const std::size_t k = space.lower.size();
  const auto per_issue = static_cast<std::size_t>(std::floor(std::pow(kSampleBudget, 1.0 / static_cast<double>(k)) + 1e-9));
  Vector y(k), u, g;
  auto add = [&]() {
    space.evaluate(y, &u, &g);
    samples.y.push_back(y);
    samples.u.push_back(u);
    samples.g.push_back(g);
  };
  std::mt19937_64 rng(20261130);
  if (per_issue >= 3) {
    std::vector<std::size_t> index(k, 0);
    while (true) {
      for (std::size_t j = 0; j < k; ++j)
        y[j] = space.lower[j] + (space.upper[j] - space.lower[j]) * static_cast<double>(index[j]) /
                                    static_cast<double>(per_issue - 1);
      add();
      std::size_t j = 0;
      while (j < k && ++index[j] == per_issue) index[j++] = 0;
      if (j == k) break;
    }
  } else {
    for (int s = 0; s < static_cast<int>(kSampleBudget); ++s) {
      for (std::size_t j = 0; j < k; ++j) y[j] = space.lower[j] + (space.upper[j] - space.lower[j]) * Unit(rng);
      add();
    }
  }
  // Sampled concavity: midpoints of random pairs (not a proof).
  samples.concave = true;
  Vector a(k), b(k), mid(k), ua, ga, ub, gb, um, gm;
  for (int t = 0; t < kConcavityPairs && samples.concave; ++t) {
    for (std::size_t j = 0; j < k; ++j) {
      const double range = space.upper[j] - space.lower[j];
      a[j] = space.lower[j] + range * Unit(rng);
      b[j] = space.lower[j] + range * Unit(rng);
      mid[j] = 0.5 * (a[j] + b[j]);
    }
    space.evaluate(a, &ua, &ga);
    space.evaluate(b, &ub, &gb);
    space.evaluate(mid, &um, &gm);
    for (std::size_t i = 0; i < ua.size(); ++i) {
      const double chord = 0.5 * (ua[i] + ub[i]);
      if (!std::isfinite(chord) || !std::isfinite(um[i]) || um[i] < chord - 1e-9 * (1 + std::abs(chord)))
        samples.concave = false;
    }
    for (std::size_t i = 0; i < ga.size(); ++i) {
      const double chord = 0.5 * (ga[i] + gb[i]);
      if (!std::isfinite(chord) || !std::isfinite(gm[i]) || gm[i] > chord + 1e-9 * (1 + std::abs(chord)))
        samples.concave = false;
    }
  }
  return samples;
}

NlpPoint SolveNlp(const NlpSpace& space, const NlpSamples& samples, const NlpForm& form) {
  const std::size_t k = space.lower.size(), size = k + form.extra;
  Program program{&space, &form, {}, Vector(space.constraints, 0.0), {}, false, k};
  for (const NlpRow& row : form.rows) program.row_scale.push_back(RowScale(row, form, samples.u));
  for (const Vector& g : samples.g)
    for (std::size_t j = 0; j < g.size(); ++j)
      if (std::isfinite(g[j])) program.g_scale[j] = std::max(program.g_scale[j], std::abs(g[j]));
  for (double& scale : program.g_scale)
    if (scale == 0) scale = 1;
  // The objective's magnitude: its payoff terms over the samples, its linear extras at their
  // scales. Log terms (Nash) are left as they are: their changes do not depend on the units.
  double objective_scale = 0;
  for (const Vector& u : samples.u) {
    double terms = 0;
    for (std::size_t i = 0; i < form.ou.size(); ++i)
      if (std::isfinite(u[i])) terms += std::abs(form.ou[i] * u[i]);
    objective_scale = std::max(objective_scale, terms);
  }
  for (std::size_t q = 0; q < form.extra; ++q)
    if (!form.oy.empty()) objective_scale += std::abs(form.oy[q]) * ZScale(form, q);
  if (objective_scale > 0 && std::isfinite(objective_scale)) program.objective_scale = objective_scale;

  // Rank the samples: acceptable ones by the objective, then the others by violation.
  struct Start {
    bool acceptable;
    double key;
    std::size_t index;
    Vector z;
  };
  std::vector<Start> ranked;
  for (std::size_t s = 0; s < samples.y.size(); ++s) {
    Vector z(form.extra, 0);
    double objective = -kInf;
    bool ok = form.start(samples.u[s], &z, &objective);
    for (std::size_t q = 0; q < form.extra; ++q) z[q] = std::clamp(z[q], form.zlo[q], form.zhi[q]);
    const double violation = Violation(form, samples.u[s], samples.g[s], z, program.row_scale, program.g_scale);
    if (violation == kInf) continue;
    ok = ok && violation <= 0 && std::isfinite(objective);
    ranked.push_back({ok, ok ? objective : -violation, s, z});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Start& a, const Start& b) {
    return a.acceptable != b.acceptable ? a.acceptable : a.key > b.key;
  });

  NlpPoint best;
  best.kkt_residual = kInf;
  double best_objective = -kInf;
  double best_violation = kInf;
  std::vector<std::size_t> used;
  nlopt::opt opt(nlopt::LD_SLSQP, static_cast<unsigned>(size));
  Vector lb(size, 0), ub(size, 1);
  for (std::size_t q = 0; q < form.extra; ++q)
    lb[k + q] = form.zlo[q] / ZScale(form, q), ub[k + q] = form.zhi[q] / ZScale(form, q);
  opt.set_lower_bounds(lb);
  opt.set_upper_bounds(ub);
  opt.set_max_objective(ObjectiveCallback, &program);
  const std::size_t count = form.rows.size() + space.constraints;
  if (count > 0) opt.add_inequality_mconstraint(ConstraintCallback, &program, Vector(count, 1e-13));
  opt.set_xtol_rel(1e-15);
  opt.set_ftol_rel(1e-16);
  opt.set_maxeval(400);
  for (const Start& start : ranked) {
    if (used.size() >= kStarts) break;
    // Distinct starts: at least 1/20 of the box apart.
    const Vector& y0 = samples.y[start.index];
    bool near = false;
    for (std::size_t other : used) {
      double distance = 0;
      for (std::size_t j = 0; j < k; ++j) {
        const double range = space.upper[j] - space.lower[j];
        if (range > 0) distance = std::max(distance, std::abs(y0[j] - samples.y[other][j]) / range);
      }
      near = near || distance < 0.05;
    }
    if (near) continue;
    used.push_back(start.index);
    Vector v(size);
    for (std::size_t j = 0; j < k; ++j) {
      const double range = space.upper[j] - space.lower[j];
      v[j] = range > 0 ? (y0[j] - space.lower[j]) / range : 0;
    }
    for (std::size_t q = 0; q < form.extra; ++q) v[k + q] = start.z[q] / ZScale(form, q);
    // Rounds: SLSQP restarted from its own answer (a fresh quasi-Newton matrix) sharpens the
    // last digits.
    for (int round = 0; round < 4; ++round) {
      double value = 0;
      try {
        opt.optimize(v, value);
      } catch (const std::exception&) {
        // roundoff-limited or a failed line search: v holds the last iterate; judged below
      }
      Rethrow(program);
    }
    ++best.starts;
    Vector y = program.IssuesOf(v.data());
    const Vector z = program.ExtrasOf(v.data(), size);
    Vector u, g;
    EvaluateAt(space, y, &u, &g);
    const double violation = std::max(0.0, Violation(form, u, g, z, program.row_scale, program.g_scale));
    const double objective = Objective(form, u, z);
    const bool feasible = violation <= 1e-9;
    const bool better = feasible ? (best_violation > 1e-9 || objective > best_objective)
                                 : (best_violation > 1e-9 && violation < best_violation);
    if (better && std::isfinite(objective)) {
      best_violation = violation;
      best_objective = objective;
      best.y = y;
      best.z = z;
      best.u = u;
      best.g = g;
      best.objective = objective;
      best.found = feasible;
    }
  }
  if (best.found) best.kkt_residual = KktResidual(space, form, program.row_scale, program.g_scale, best.y, best.z, &best);
  auto newton = [&]() {
    if (best.found && best.kkt_residual > kKktTolerance &&
        NewtonPolish(space, form, program.row_scale, program.g_scale, &best))
      best.kkt_residual = KktResidual(space, form, program.row_scale, program.g_scale, best.y, best.z, &best);
  };
  newton();
  if (best.found && best.kkt_residual > kKktTolerance) {
    // Not a KKT point (a kink, say, where finite differences mislead SLSQP): a derivative-free
    // polish by COBYLA (Powell 1994) from the best point, kept when it does better.
    nlopt::opt cobyla(nlopt::LN_COBYLA, static_cast<unsigned>(size));
    cobyla.set_lower_bounds(lb);
    cobyla.set_upper_bounds(ub);
    cobyla.set_max_objective(ObjectiveCallback, &program);
    if (count > 0) cobyla.add_inequality_mconstraint(ConstraintCallback, &program, Vector(count, 0.0));
    cobyla.set_xtol_rel(1e-15);
    cobyla.set_maxeval(3000);
    Vector v(size);
    for (std::size_t j = 0; j < k; ++j) {
      const double range = space.upper[j] - space.lower[j];
      v[j] = range > 0 ? (best.y[j] - space.lower[j]) / range : 0;
    }
    for (std::size_t q = 0; q < form.extra; ++q) v[k + q] = best.z[q] / ZScale(form, q);
    double value = 0;
    try {
      cobyla.optimize(v, value);
    } catch (const std::exception&) {
      // judged below
    }
    Rethrow(program);
    Vector y = program.IssuesOf(v.data());
    const Vector z = program.ExtrasOf(v.data(), size);
    Vector u, g;
    EvaluateAt(space, y, &u, &g);
    const double objective = Objective(form, u, z);
    if (Violation(form, u, g, z, program.row_scale, program.g_scale) <= 1e-9 && objective > best.objective) {
      best.y = y;
      best.z = z;
      best.u = u;
      best.g = g;
      best.objective = objective;
      best.kkt_residual = KktResidual(space, form, program.row_scale, program.g_scale, best.y, best.z, &best);
      newton();
    }
  }
  // An optimum at a bound where a payoff is steep is left short of it: with B paid (1 - x)^0.1,
  // SLSQP stops at x = 1 - 1e-9, where B gets 0.126 (0 at the bound). Issues within 1e-8 of
  // their range from a bound go to it (together, then one at a time) when that does no worse
  // on the objective, violates nothing more and leaves a KKT point one (the optimum of
  // (1 + 4e-9 x)(1 - 0.04 x^2) is x = 5e-8, inside, and x = 0 is not a KKT point).
  const NlpPoint unsnapped = best;
  if (best.found) {
    const double old_violation = std::max(0.0, Violation(form, best.u, best.g, best.z, program.row_scale, program.g_scale));
    auto snapped = [&](std::size_t only) {
      Vector y = best.y;
      bool moved = false;
      for (std::size_t j = 0; j < k; ++j) {
        if (only < k && j != only) continue;
        const double range = space.upper[j] - space.lower[j];
        if (!(range > 0)) continue;
        for (const double bound : {space.lower[j], space.upper[j]})
          if (y[j] != bound && std::abs(y[j] - bound) <= 1e-8 * range) {
            y[j] = bound;
            moved = true;
          }
      }
      if (!moved) return false;
      Vector u, g;
      space.evaluate(y, &u, &g);
      const double objective = Objective(form, u, best.z);
      const double violation = std::max(0.0, Violation(form, u, g, best.z, program.row_scale, program.g_scale));
      if (!std::isfinite(objective) || objective < best.objective || violation > old_violation) return false;
      best.y = std::move(y);
      best.u = std::move(u);
      best.g = std::move(g);
      best.objective = objective;
      return true;
    };
    bool any = snapped(k);
    if (!any)
      for (std::size_t j = 0; j < k; ++j) any = snapped(j) || any;
    if (any) {
      best.kkt_residual = KktResidual(space, form, program.row_scale, program.g_scale, best.y, best.z, &best);
      if (unsnapped.kkt_residual <= kKktTolerance && !(best.kkt_residual <= kKktTolerance)) best = unsnapped;
    }
  }
  return best;
}

NlpForm IdealForm(std::size_t players, std::size_t who, const std::vector<std::size_t>& at_table,
                  const Vector& d, const std::vector<std::pair<std::size_t, double>>& floors) {
  NlpForm form;
  form.ou.assign(players, 0);
  form.ou[who] = 1;
  auto floor_row = [&](std::size_t i, double value) {
    NlpRow row;
    row.c = value;
    row.a.assign(players, 0);
    row.a[i] = -1;
    form.rows.push_back(std::move(row));
  };
  for (std::size_t i : at_table) floor_row(i, d[i]);
  for (const auto& [i, value] : floors) floor_row(i, value);
  form.start = [rows = form.rows, who](const Vector& u, Vector*, double* objective) {
    for (const NlpRow& row : rows)
      if (RowValue(row, u, {}) > 0) return false;
    *objective = u[who];
    return true;
  };
  return form;
}

NlpForm ConceptForm(Concept concept_kind, std::size_t players, const std::vector<std::size_t>& at_table,
                    const Vector& weights, const Vector& d, const Vector& ideal,
                    const std::vector<std::pair<std::size_t, double>>& floors, const Vector& player_scale) {
  NlpForm form;
  auto floor_row = [&](std::size_t i, double value) {
    NlpRow row;
    row.c = value;
    row.a.assign(players, 0);
    row.a[i] = -1;
    return row;
  };
  std::vector<NlpRow> floor_rows;
  for (const auto& [i, value] : floors) floor_rows.push_back(floor_row(i, value));
  auto floors_hold = [floor_rows](const Vector& u) {
    for (const NlpRow& row : floor_rows)
      if (RowValue(row, u, {}) > 0) return false;
    return true;
  };
  const std::size_t p = at_table.size();
  switch (concept_kind) {
    case Concept::kNash: {
      // s_q <= u_i - d_i, maximise sum w_i log s_q
      form.extra = p;
      form.ol.resize(p);
      form.zlo.resize(p);
      form.zhi.resize(p);
      form.zscale.resize(p);
      for (std::size_t q = 0; q < p; ++q) {
        const std::size_t i = at_table[q];
        form.zscale[q] = player_scale[i];
        form.zlo[q] = 1e-15 * player_scale[i];
        form.zhi[q] = 4 * player_scale[i];
        form.ol[q] = weights[i];
        NlpRow row = floor_row(i, d[i]);
        row.b.assign(p, 0);
        row.b[q] = 1;
        form.rows.push_back(std::move(row));
      }
      form.start = [=](const Vector& u, Vector* z, double* objective) {
        *objective = 0;
        bool ok = floors_hold(u);
        for (std::size_t q = 0; q < p; ++q) {
          const double gain = u[at_table[q]] - d[at_table[q]];
          (*z)[q] = gain;
          ok = ok && gain > 0;
          *objective += ok ? weights[at_table[q]] * std::log(gain) : 0;
        }
        return ok;
      };
      break;
    }
    case Concept::kKalaiSmorodinsky:
    case Concept::kEgalitarian: {
      const bool ks = concept_kind == Concept::kKalaiSmorodinsky;
      form.extra = 1;
      form.oy = {1};
      // t: a fraction of the ideal gains (KS), or a gain in payoff units (egalitarian: at most
      // the smallest player's range, which is its unit here).
      double smallest = kInf, largest = 0;
      for (std::size_t i : at_table) {
        smallest = std::min(smallest, player_scale[i]);
        largest = std::max(largest, player_scale[i]);
      }
      form.zscale = {ks ? 1.0 : smallest};
      form.zlo = {ks ? -1.0 : -2 * largest};
      form.zhi = {ks ? 2.0 : 2 * largest};
      for (std::size_t i : at_table) {
        NlpRow row = floor_row(i, d[i]);
        row.b = {ks ? ideal[i] - d[i] : 1.0};
        form.rows.push_back(std::move(row));
      }
      form.start = [=](const Vector& u, Vector* z, double* objective) {
        double t = kInf;
        for (std::size_t i : at_table) {
          const double span = ks ? ideal[i] - d[i] : 1.0;
          if (span > 0) t = std::min(t, (u[i] - d[i]) / span);
          else if (u[i] < d[i]) t = -kInf;
        }
        (*z)[0] = t;
        *objective = t;
        return std::isfinite(t) && t >= 0 && floors_hold(u);
      };
      break;
    }
    case Concept::kUtilitarian: {
      form.ou.assign(players, 0);
      for (std::size_t i : at_table) {
        form.ou[i] = weights[i];
        form.rows.push_back(floor_row(i, d[i]));
      }
      form.start = [=](const Vector& u, Vector*, double* objective) {
        double sum = 0;
        bool ok = floors_hold(u);
        for (std::size_t i : at_table) {
          sum += weights[i] * u[i];
          ok = ok && u[i] >= d[i];
        }
        *objective = sum;
        return ok;
      };
      break;
    }
  }
  for (NlpRow& row : floor_rows) {
    if (form.extra > 0) row.b.assign(form.extra, 0);
    form.rows.push_back(std::move(row));
  }
  return form;
}

}  // namespace parley::bargaining::internal
