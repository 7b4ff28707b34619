#include "solver/bargaining/nonlinear.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
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

// u and g at y with their Jacobians by finite differences (fourth order: the central
// five-point stencil, or the one-sided one within two steps of a bound), h = 1e-3 of the range.
struct Evaluation {
  Vector y, u, g;
  std::vector<Vector> du, dg;  // [player][issue], [constraint][issue]
};

void EvaluateWithJacobian(const NlpSpace& space, const Vector& y, Evaluation* e) {
  const std::size_t k = y.size(), n = space.players, m = space.constraints;
  e->y = y;
  space.evaluate(y, &e->u, &e->g);
  e->du.assign(n, Vector(k, 0));
  e->dg.assign(m, Vector(k, 0));
  Vector at = y, u, g;
  for (std::size_t j = 0; j < k; ++j) {
    const double range = space.upper[j] - space.lower[j];
    if (!(range > 0)) continue;
    const double h = 1e-3 * range;
    double coef[5];
    double offset[5];
    if (y[j] - 2 * h >= space.lower[j] && y[j] + 2 * h <= space.upper[j]) {
      const double c[5] = {1, -8, 0, 8, -1}, o[5] = {-2, -1, 0, 1, 2};
      for (int s = 0; s < 5; ++s) coef[s] = c[s] / 12, offset[s] = o[s];
    } else {
      const double sign = y[j] + 4 * h <= space.upper[j] ? 1.0 : -1.0;
      const double c[5] = {-25, 48, -36, 16, -3};
      for (int s = 0; s < 5; ++s) coef[s] = sign * c[s] / 12, offset[s] = sign * s;
    }
    for (int s = 0; s < 5; ++s) {
      if (coef[s] == 0) continue;
      at[j] = offset[s] == 0 ? y[j] : y[j] + offset[s] * h;
      if (offset[s] == 0) {
        u = e->u;
        g = e->g;
      } else {
        space.evaluate(at, &u, &g);
      }
      for (std::size_t i = 0; i < n; ++i) e->du[i][j] += coef[s] * u[i] / h;
      for (std::size_t i = 0; i < m; ++i) e->dg[i][j] += coef[s] * g[i] / h;
    }
    at[j] = y[j];
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
  double Range(std::size_t j) const { return space->upper[j] - space->lower[j]; }
  Vector ExtrasOf(const double* v, std::size_t size) const {
    Vector z(v + k, v + size);
    for (std::size_t q = 0; q < z.size(); ++q) z[q] *= ZScale(*form, q);
    return z;
  }
};

double ObjectiveCallback(unsigned size, const double* v, double* grad, void* data) {
  Program& p = *static_cast<Program*>(data);
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

void ConstraintCallback(unsigned count, double* result, unsigned size, const double* v, double* grad,
                        void* data) {
  Program& p = *static_cast<Program*>(data);
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

// The KKT residual at (y, z) (relative), with the active sets.
double KktResidual(const NlpSpace& space, const NlpForm& form, const Vector& row_scale,
                   const Vector& g_scale, const Vector& y,
                   const Vector& z, NlpPoint* point) {
  const std::size_t k = y.size(), size = k + form.extra;
  Evaluation e;
  EvaluateWithJacobian(space, y, &e);
  Eigen::VectorXd grad(static_cast<Eigen::Index>(size));
  for (std::size_t j = 0; j < k; ++j) {
    double s = 0;
    for (std::size_t i = 0; i < form.ou.size(); ++i) s += form.ou[i] * e.du[i][j];
    grad[static_cast<Eigen::Index>(j)] = s;
  }
  // In the solver's variables: the extras divided by their scales.
  for (std::size_t q = 0; q < form.extra; ++q)
    grad[static_cast<Eigen::Index>(k + q)] = ((form.oy.empty() ? 0 : form.oy[q]) +
                                              (form.ol.empty() || form.ol[q] == 0 ? 0 : form.ol[q] / z[q])) *
                                             ZScale(form, q);
  std::vector<Eigen::VectorXd> columns;
  auto column = [&]() {
    columns.emplace_back(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(size)));
    return &columns.back();
  };
  for (std::size_t r = 0; r < form.rows.size(); ++r) {
    const NlpRow& row = form.rows[r];
    if (RowValue(row, e.u, z) < -1e-8 * row_scale[r]) continue;
    Eigen::VectorXd* c = column();
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t i = 0; i < row.a.size(); ++i) (*c)[static_cast<Eigen::Index>(j)] += row.a[i] * e.du[i][j];
    for (std::size_t q = 0; q < row.b.size(); ++q)
      (*c)[static_cast<Eigen::Index>(k + q)] = row.b[q] * ZScale(form, q);
  }
  point->active_constraints.clear();
  for (std::size_t j = 0; j < e.g.size(); ++j) {
    if (e.g[j] < -1e-8 * g_scale[j]) continue;
    point->active_constraints.push_back(j);
    Eigen::VectorXd* c = column();
    for (std::size_t t = 0; t < k; ++t) (*c)[static_cast<Eigen::Index>(t)] = e.dg[j][t];
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
  if (columns.empty()) return scale == 0 ? 0 : grad.cwiseAbs().maxCoeff() / scale;
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
  if (scale == 0) return 0;
  return (grad - a * lambda).cwiseAbs().maxCoeff() / scale;
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
    }
    ++best.starts;
    Vector y = program.IssuesOf(v.data());
    const Vector z = program.ExtrasOf(v.data(), size);
    Vector u, g;
    space.evaluate(y, &u, &g);
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
    Vector y = program.IssuesOf(v.data());
    const Vector z = program.ExtrasOf(v.data(), size);
    Vector u, g;
    space.evaluate(y, &u, &g);
    const double objective = Objective(form, u, z);
    if (Violation(form, u, g, z, program.row_scale, program.g_scale) <= 1e-9 && objective > best.objective) {
      best.y = y;
      best.z = z;
      best.u = u;
      best.g = g;
      best.objective = objective;
      best.kkt_residual = KktResidual(space, form, program.row_scale, program.g_scale, best.y, best.z, &best);
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
