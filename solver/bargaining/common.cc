#include "solver/bargaining/common.h"

#include <cmath>

#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::bargaining {

std::string ToString(Precision precision) {
  switch (precision) {
    case Precision::kExact: return "exact";
    case Precision::kCertified: return "certified";
    case Precision::kKktPoint: return "KKT point, concavity sampled";
    case Precision::kBestFound: return "best found";
  }
  return "unknown";
}

namespace internal {

std::string FormatVector(const Vector& v) {
  std::string text = "(";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) text += ", ";
    text += FormatDouble(v[i]);
  }
  return text + ")";
}

void CheckFinite(const Vector& v, std::string_view what) {
  for (double x : v) {
    if (!std::isfinite(x))
      throw ValidationError(std::string(what) + " has a non-finite entry: " + FormatVector(v));
    // The linear programs and closed forms work in doubles with tolerances relative to the
    // largest payoff; beyond this range GLPK's scaling fails and rounding swamps the answer.
    if (std::abs(x) > kMaxMagnitude)
      throw ValidationError(std::string(what) + " has the entry " + FormatDouble(x) + "; payoffs are at most " +
                            FormatDouble(kMaxMagnitude) +
                            " in magnitude: rescale the units (e.g. millions instead of units)");
  }
}

void CheckDisagreement(const Vector& d, std::size_t players) {
  if (d.size() != players) {
    throw ValidationError("the disagreement point has " + std::to_string(d.size()) +
                          " entries but there are " + std::to_string(players) + " players");
  }
  CheckFinite(d, "the disagreement point");
}

Vector CheckWeights(const Vector& weights, std::size_t players) {
  if (weights.empty()) return Vector(players, 1.0);
  CheckWeightsValid(weights, players);
  return weights;
}

void CheckWeightsValid(const Vector& weights, std::size_t players) {
  if (weights.empty()) return;
  if (weights.size() != players) {
    throw ValidationError("there are " + std::to_string(weights.size()) + " weights but " +
                          std::to_string(players) + " players");
  }
  for (double w : weights) {
    if (!std::isfinite(w) || w <= 0) {
      throw ValidationError("weights must be positive and finite: " + FormatVector(weights));
    }
    if (w > kMaxMagnitude || w < kMinMagnitude) {
      throw ValidationError("weights lie between " + FormatDouble(kMinMagnitude) + " and " +
                            FormatDouble(kMaxMagnitude) + ": " + FormatVector(weights) +
                            " (only their ratios matter: rescale them)");
    }
  }
}

bool AllEqual(const Vector& weights) {
  for (double w : weights) {
    if (w != weights.front()) return false;
  }
  return true;
}

void ThrowNoGain(const Vector& d, const Vector& ideal, bool ideal_is_ir) {
  if (ideal_is_ir) {
    throw ValidationError(
        "no feasible point gives every player strictly more than the disagreement point " +
        FormatVector(d) + " (the ideal point, each player's best payoff among points at least "
        "as good as d for all, is " + FormatVector(ideal) +
        "): there is no gain to share, so the bargaining solutions are undefined");
  }
  throw ValidationError("no feasible point is at least as good as the disagreement point " +
                        FormatVector(d) + " for every player (each player's best feasible "
                        "payoff is " + FormatVector(ideal) +
                        "): there is no gain to share, so the bargaining solutions are undefined");
}

bool HasTiny(const Vector& v) {
  for (double x : v)
    if (x != 0 && std::abs(x) < kMinMagnitude) return true;
  return false;
}

bool HasTiny(const std::vector<Vector>& points) {
  for (const Vector& p : points)
    if (HasTiny(p)) return true;
  return false;
}

void RefuseAllTiny(const std::vector<Vector>& points, const Vector& d) {
  const std::size_t n = !points.empty() ? points.front().size() : d.size();
  for (std::size_t i = 0; i < n; ++i) {
    double largest = i < d.size() ? std::abs(d[i]) : 0.0;
    for (const Vector& p : points)
      if (i < p.size() && std::isfinite(p[i])) largest = std::max(largest, std::abs(p[i]));
    if (largest > 0 && largest < kMinMagnitude) RefuseAllTiny(i, largest);
  }
}

void RefuseAllTiny(std::size_t i, double largest) {
  throw ValidationError("player " + std::to_string(i + 1) + "'s payoffs and disagreement value are all below " +
                        FormatDouble(kMinMagnitude) + " in magnitude (the largest is " + FormatDouble(largest) +
                        "), and values that small count as 0: rescale that player's units (the solutions do "
                        "not depend on them)");
}

Vector WithoutTiny(Vector v) {
  for (double& x : v)
    if (std::abs(x) < kMinMagnitude) x = 0;
  return v;
}

std::vector<Vector> WithoutTiny(std::vector<Vector> points) {
  for (Vector& p : points) p = WithoutTiny(std::move(p));
  return points;
}

double Dot(const Vector& a, const Vector& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

double ExactDot(const Vector& a, const Vector& b) {
  Rational s = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != 0 && b[i] != 0) s += Rational(a[i]) * Rational(b[i]);
  return ToDouble(s);
}

}  // namespace internal
}  // namespace parley::bargaining
