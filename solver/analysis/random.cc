#include "solver/analysis/random.h"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>

namespace parley::analysis {

namespace {

namespace policies = boost::math::policies;
// Doubles throughout, and infinities instead of exceptions at p = 0 or 1.
using Policy = policies::policy<policies::promote_double<false>, policies::promote_float<false>,
                                policies::overflow_error<policies::ignore_error>>;

const boost::math::normal_distribution<double, Policy> kStandardNormal(0.0, 1.0);

// 1 / R(z), R the Mills ratio Q / phi (Q the standard normal's survival function), by its
// continued fraction (Laplace) R(z) = 1 / (z + 1 / (z + 2 / (z + 3 / (z + ...)))), evaluated
// from 200 terms down (at z >= 30, where it is used, the terms beyond the first dozen no
// longer move a double).
double InverseMills(double z) {
  double t = z;
  for (int k = 200; k >= 1; --k) t = z + k / t;
  return t;
}

// log Q(z) = log phi(z) + log R(z), for z > 0 where Q may underflow; `inverse_mills` is
// InverseMills(z).
double LogUpperTail(double z, double inverse_mills) {
  return -0.5 * z * z - 0.91893853320467274178 - std::log(inverse_mills);  // 0.918... = ln sqrt(2 pi)
}
double LogUpperTail(double z) { return LogUpperTail(z, InverseMills(z)); }

// The truncated standard normal on [a, b], a >= 30 (the window far in the upper tail, where
// Q(a) is below 1e-197 and underflows a little further on), at probability u: the z with
// Q(z) = Q(a) - u (Q(a) - Q(b)), by Newton's method on log Q (d/dz log Q = -1 / R), kept in
// [a, b].
double FarUpperTail(double a, double b, double u) {
  const double la = LogUpperTail(a);
  const double ratio = std::isinf(b) ? 0.0 : std::exp(LogUpperTail(b) - la);  // Q(b) / Q(a)
  const double target = la + std::log1p(-u * (1 - ratio));
  if (std::isinf(target)) return b;
  double z = a;
  for (int i = 0; i < 100; ++i) {
    const double t = InverseMills(z);
    const double f = LogUpperTail(z, t) - target;
    double next = z + f / t;  // z - f / (d log Q / dz), d log Q / dz = -t
    next = std::clamp(next, a, b);
    if (std::abs(next - z) <= 1e-15 * std::abs(z)) return next;
    z = next;
  }
  return z;
}

}  // namespace

double NormalQuantile(double p) {
  if (!(p > 0)) return -HUGE_VAL;
  if (!(p < 1)) return HUGE_VAL;
  return boost::math::quantile(kStandardNormal, p);
}

double BetaQuantile(double alpha, double beta, double p) {
  if (!(p > 0)) return 0;
  if (!(p < 1)) return 1;
  boost::math::beta_distribution<double, Policy> d(alpha, beta);
  return boost::math::quantile(d, p);
}

double TruncatedNormalByInversion(double mean, double sd, double lo, double hi, double u) {
  if (!(sd > 0)) return std::clamp(mean, lo, hi);
  const double a = (lo - mean) / sd, b = (hi - mean) / sd;
  double z;
  // A window 30 or more standard deviations out (a mean far outside the range): in log
  // space, where the tail's probabilities do not underflow (below, the window's bounds were
  // both 0 in doubles, and every draw fell on the range's end nearer the mean). The lower
  // tail by symmetry.
  if (a >= 30) return std::clamp(mean + sd * FarUpperTail(a, b, u), lo, hi);
  if (b <= -30) return std::clamp(mean - sd * FarUpperTail(-b, -a, 1 - u), lo, hi);
  if (a > 0) {
    // The window lies in the upper tail: invert the survival function, whose values there
    // are not rounded towards 1.
    double qa = boost::math::cdf(boost::math::complement(kStandardNormal, a));
    double qb = std::isinf(b) ? 0.0 : boost::math::cdf(boost::math::complement(kStandardNormal, b));
    double q = qa - u * (qa - qb);
    z = q > 0 ? boost::math::quantile(boost::math::complement(kStandardNormal, q)) : a;
  } else {
    double pa = std::isinf(a) ? 0.0 : boost::math::cdf(kStandardNormal, a);
    double pb = std::isinf(b) ? 1.0 : boost::math::cdf(kStandardNormal, b);
    double p = pa + u * (pb - pa);
    z = p >= 1 ? b : p <= 0 ? a : boost::math::quantile(kStandardNormal, p);
  }
  return std::clamp(mean + sd * z, lo, hi);
}

}  // namespace parley::analysis
