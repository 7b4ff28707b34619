#include "solver/bargaining/threats.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "solver/bargaining/common.h"
#include "solver/bargaining/outcomes.h"
#include "solver/lp/matrix_game.h"
#include "solver/model/error.h"

namespace parley::bargaining {
namespace {

void CheckMatrices(const Matrix& a, const Matrix& b) {
  if (a.empty() || a.front().empty()) throw ValidationError("the threat game needs payoffs");
  const std::size_t cols = a.front().size();
  if (b.size() != a.size()) {
    throw ValidationError("the row player's matrix has " + std::to_string(a.size()) +
                          " rows but the column player's has " + std::to_string(b.size()));
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].size() != cols || b[i].size() != cols) {
      throw ValidationError("row " + std::to_string(i + 1) + " of the threat game has the wrong "
                            "number of columns (expected " + std::to_string(cols) + ")");
    }
    internal::CheckFinite(a[i], "row " + std::to_string(i + 1) + " of the row player's payoffs");
    internal::CheckFinite(b[i], "row " + std::to_string(i + 1) + " of the column player's payoffs");
  }
}

Matrix Combine(const Matrix& a, double ca, const Matrix& b, double cb) {
  Matrix m = a;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < a[i].size(); ++j) m[i][j] = ca * a[i][j] + cb * b[i][j];
  }
  return m;
}

double Expected(const Matrix& m, const Vector& x, const Vector& y) {
  double s = 0.0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    for (std::size_t j = 0; j < m[i].size(); ++j) s += x[i] * m[i][j] * y[j];
  }
  return s;
}

}  // namespace

Result SolveThreatGame(const Matrix& a, const Matrix& b, bool transferable,
                       const Vector& weights) {
  CheckMatrices(a, b);
  Vector w = internal::CheckWeights(weights, 2);
  const double w1 = w[0], w2 = w[1], total = w1 + w2;
  Result result;
  Threats threats;
  threats.transferable = transferable;
  Solution solution;
  solution.concept_kind = Concept::kNash;
  solution.weights = w;
  solution.weighted = !internal::AllEqual(w);
  solution.precision = Precision::kExact;

  if (transferable) {
    double surplus = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < a.size(); ++i) {
      for (std::size_t j = 0; j < a[i].size(); ++j) surplus = std::max(surplus, a[i][j] + b[i][j]);
    }
    lp::MatrixGameSolution game = lp::SolveMatrixGame(Combine(a, w2, b, -w1));
    threats.value = game.value;
    threats.row_strategy = game.row;
    threats.column_strategy = game.column;
    threats.threat_point = {Expected(a, game.row, game.column), Expected(b, game.row, game.column)};
    threats.normal = {0.5, 0.5};
    solution.payoffs = {(w1 * surplus + game.value) / total, (w2 * surplus - game.value) / total};
    solution.method = "transferable utility: zero-sum threat game w2 A - w1 B solved by LP, "
                      "surplus max(A + B) = " + internal::FormatVector({surplus}) +
                      " split from the threat point";
    result.ideal = {surplus - threats.threat_point[1], surplus - threats.threat_point[0]};
  } else {
    // The solution is invariant to a positive rescaling of either player, but the tolerances
    // below are not: in mixed units (one player ~1e-3, the other ~1e9) a tolerance sized by
    // both players' magnitudes swamped the small player's h, the first frontier segment
    // "matched" and the agreement fell below the threat point. So the game is solved in each
    // player's own unit: player i's payoffs divided by s_i, the power of two at or above its
    // largest |payoff| (so the division and the scaling back add no rounding), and
    // the answer scaled back.
    auto unit = [](const Matrix& m) {
      double largest = 0.0;
      for (const auto& row : m)
        for (double x : row) largest = std::max(largest, std::abs(x));
      if (largest == 0.0) return 1.0;
      int exponent = 0;
      std::frexp(largest, &exponent);
      return std::ldexp(1.0, exponent);
    };
    const double s1 = unit(a), s2 = unit(b);
    Matrix an = a, bn = b;
    for (auto& row : an)
      for (double& x : row) x /= s1;
    for (auto& row : bn)
      for (double& x : row) x /= s2;
    std::vector<Vector> cells;
    for (std::size_t i = 0; i < a.size(); ++i) {
      for (std::size_t j = 0; j < a[i].size(); ++j) cells.push_back({an[i][j], bn[i][j]});
    }
    Frontier2 frontier = ParetoFrontier2(cells);
    const auto& v = frontier.vertices;
    auto game_at = [&](double a1, double a2) {
      return lp::SolveMatrixGame(Combine(an, w2 * a1, bn, -w1 * a2));
    };
    // h(V, a) = w2 a1 V1 - w1 a2 V2: the value that makes V the agreement under normal a.
    auto h = [&](std::pair<double, double> vertex, double a1, double a2) {
      return w2 * a1 * vertex.first - w1 * a2 * vertex.second;
    };
    // In these units every payoff is at most 1 in magnitude, so one absolute tolerance is
    // relative to each player's own scale.
    const double tolerance = 1e-10;
    bool found = false;
    double best_a1 = 0.5, best_a2 = 0.5;
    lp::MatrixGameSolution best_game;
    // Segments, from the top-left vertex to the bottom-right one.
    for (std::size_t k = 0; k + 1 < v.size() && !found; ++k) {
      auto [a1, a2] = frontier.normals[k];
      lp::MatrixGameSolution game = game_at(a1, a2);
      // h decreases from the left end (v[k]) ... careful: along the segment u1 grows, u2
      // falls, so h grows from v[k] to v[k+1].
      double lo = h(v[k], a1, a2), hi = h(v[k + 1], a1, a2);
      if (game.value >= lo - tolerance && game.value <= hi + tolerance) {
        found = true;
        best_a1 = a1;
        best_a2 = a2;
        best_game = game;
        double c = frontier.offsets[k];
        double value = std::clamp(game.value, lo, hi);
        solution.payoffs = {(w1 * c + value) / (total * a1), (w2 * c - value) / (total * a2)};
      }
    }
    if (!found) {
      // A vertex: bisection on the angle of the normal inside the vertex's normal cone.
      const double kHalfPi = std::acos(0.0);
      for (std::size_t k = 0; k < v.size() && !found; ++k) {
        // Cone of v[k]: between the normal of segment k (towards v[k+1]) and of segment k-1.
        double theta_lo = k + 1 < v.size() ? std::atan2(frontier.normals[k].second, frontier.normals[k].first) : 0.0;
        double theta_hi = k > 0 ? std::atan2(frontier.normals[k - 1].second, frontier.normals[k - 1].first) : kHalfPi;
        auto excess = [&](double theta, lp::MatrixGameSolution* game) {
          double a1 = std::cos(theta), a2 = std::sin(theta);
          *game = game_at(a1, a2);
          return game->value - h(v[k], a1, a2);
        };
        lp::MatrixGameSolution game_lo, game_hi;
        double f_lo = excess(theta_lo, &game_lo), f_hi = excess(theta_hi, &game_hi);
        // No sign change: not this vertex, unless it is the last chance (a single vertex,
        // or rounding at a cone's edge).
        bool last = k + 1 == v.size();
        if (f_lo * f_hi > 0 && std::min(std::abs(f_lo), std::abs(f_hi)) > tolerance && !last) {
          continue;
        }
        for (int iteration = 0; iteration < 100 && theta_hi - theta_lo > 1e-15; ++iteration) {
          double mid = 0.5 * (theta_lo + theta_hi);
          lp::MatrixGameSolution game_mid;
          double f_mid = excess(mid, &game_mid);
          if ((f_mid > 0) == (f_lo > 0)) {
            theta_lo = mid;
            f_lo = f_mid;
            game_lo = game_mid;
          } else {
            theta_hi = mid;
            f_hi = f_mid;
            game_hi = game_mid;
          }
        }
        found = true;
        best_game = std::abs(f_lo) <= std::abs(f_hi) ? game_lo : game_hi;
        double theta = std::abs(f_lo) <= std::abs(f_hi) ? theta_lo : theta_hi;
        best_a1 = std::cos(theta) / (std::cos(theta) + std::sin(theta));
        best_a2 = 1.0 - best_a1;
        solution.payoffs = {v[k].first, v[k].second};
      }
    }
    PARLEY_CHECK(found);
    threats.row_strategy = best_game.row;
    threats.column_strategy = best_game.column;
    const Vector unit_threat = {Expected(an, best_game.row, best_game.column),
                                Expected(bn, best_game.row, best_game.column)};
    // Back to the players' units: payoffs times s_i; a normal (a1, a2) of the scaled problem
    // is (a1 / s1, a2 / s2) in the original one, again scaled to a1 + a2 = 1.
    auto to_units = [&](std::pair<double, double> n) {
      double n1 = n.first / s1, n2 = n.second / s2;
      return std::pair<double, double>{n1 / (n1 + n2), n2 / (n1 + n2)};
    };
    solution.payoffs = {solution.payoffs[0] * s1, solution.payoffs[1] * s2};
    threats.threat_point = {Expected(a, best_game.row, best_game.column),
                            Expected(b, best_game.row, best_game.column)};
    threats.normal = to_units({best_a1, best_a2});
    // The value of the threat game w2 a1 A - w1 a2 B at that normal, at the optimal threats.
    threats.value = w2 * threats.normal.first * threats.threat_point[0] -
                    w1 * threats.normal.second * threats.threat_point[1];
    solution.method = "variable threats: zero-sum game w2 a1 A - w1 a2 B at the frontier normal "
                      "(a1, a2) that is a fixed point, solved by LP";
    // The lottery over cells that yields the agreement (weights are unit-free).
    try {
      Solution from_threat = NashOverHull(cells, unit_threat, w);
      solution.lottery = from_threat.lottery;
    } catch (const ValidationError&) {
      // The threat point is already Pareto-optimal: the agreement is the threat point itself.
    }
    for (auto& p : frontier.vertices) p = {p.first * s1, p.second * s2};
    for (std::size_t k = 0; k < frontier.normals.size(); ++k) {
      frontier.normals[k] = to_units(frontier.normals[k]);
      frontier.offsets[k] = frontier.normals[k].first * frontier.vertices[k].first +
                            frontier.normals[k].second * frontier.vertices[k].second;
    }
    result.ideal = {frontier.vertices.back().first, frontier.vertices.front().second};
    result.frontier = frontier;
  }
  result.disagreement = threats.threat_point;
  result.solutions.push_back(solution);
  result.threats = threats;
  return result;
}

}  // namespace parley::bargaining
