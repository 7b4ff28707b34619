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

// IM(z) - z, where IM = 1 / R is the inverse of the Mills ratio R = Q / phi (Q the standard
// normal's survival function), without the cancellation of that difference (about 1 / z for
// large z): by Laplace's continued fraction R(z) = 1 / (z + 1 / (z + 2 / (z + 3 / ...))),
// IM(z) - z = 1 / (z + 2 / (z + 3 / (z + ...))), evaluated from 200 terms down (at z >= 30,
// where it is used, the terms beyond the first dozen no longer move a double).
double InverseMillsExcess(double z) {
  double t = z;
  for (int k = 200; k >= 2; --k) t = z + k / t;
  return 1 / t;
}

// 8-point Gauss-Legendre rule on [-1, 1]: the positive nodes and their weights.
constexpr double kGaussNodes[4] = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267,
                                   0.9602898564975363};
constexpr double kGaussWeights[4] = {0.3626837833783620, 0.3137066458778873, 0.2223810344533745,
                                     0.1012285362903763};

// The integral of f over [0, s] by that rule.
template <typename F>
double GaussLegendre(F&& f, double s) {
  double sum = 0;
  for (int k = 0; k < 4; ++k) sum += kGaussWeights[k] * (f(0.5 * s * (1 - kGaussNodes[k])) + f(0.5 * s * (1 + kGaussNodes[k])));
  return 0.5 * s * sum;
}

// The standard normal truncated to [alpha, alpha + w], alpha >= 30 (a window far in the upper
// tail), at probability u, as the offset s = z - alpha in [0, w]. In terms of the offset,
// G(s) = -log(Q(alpha + s) / Q(alpha)) = alpha s + s^2 / 2 + log(IM(alpha + s) / IM(alpha))
// (IM the inverse Mills ratio, Q = phi / IM), and the draw solves G(s) = -log(1 - u (1 -
// e^-G(w))). Nothing here is of the size of alpha^2, nor a difference of two numbers of the
// size of alpha, so the window keeps its precision however far out it lies: a mean of 1e20
// with sd 1 over [0, 1] (alpha = 1e20 - 1, w = 1), where alpha and alpha + w are one double,
// or a window of 1e-16 standard deviations. G is increasing (G' = IM(alpha + s)) and convex:
// Newton's method, kept in [0, w].
double FarTailOffset(double alpha, double w, double u) {
  const double im_alpha = alpha + InverseMillsExcess(alpha);
  auto g = [&](double s) {
    // log(IM(alpha + s) / IM(alpha)), whose derivative in s is E(alpha + s) = IM(alpha + s) -
    // (alpha + s): directly where the ratio is at least 1.1, else as the integral of E (about
    // 1 / z, smooth) by Gauss-Legendre: a difference of the two logarithms, or of the two E,
    // would cancel to a few digits when s is small beside alpha (1e-16 beside 1000).
    const double log_ratio =
        s > 0.1 * alpha ? std::log((alpha + s + InverseMillsExcess(alpha + s)) / im_alpha)
                        : GaussLegendre([&](double t) { return InverseMillsExcess(alpha + t); }, s);
    return alpha * s + 0.5 * s * s + log_ratio;
  };
  const double whole = std::isinf(w) ? HUGE_VAL : g(w);
  const double target = -std::log1p(u * std::expm1(-whole));
  if (std::isinf(target)) return w;
  double s = std::min(w, target / im_alpha);  // G(s) >= IM(alpha) s: at or above the root
  for (int i = 0; i < 200; ++i) {
    const double f = g(s) - target;
    double next = std::clamp(s - f / (alpha + s + InverseMillsExcess(alpha + s)), 0.0, w);
    if (std::abs(next - s) <= 4e-16 * std::max(s, 1e-300) || next == s) return next;
    s = next;
  }
  return s;
}

// The standard normal truncated to a narrow window [a, a + w] (w < 1e-3, |a| < 30), at
// probability u, as the offset s in [0, w]. There Phi(a + w) - Phi(a) cancels to a few digits
// (a normal with sd 1e17 over [0, 10]: w = 1e-16, both ends 0.5 in doubles, and every draw
// was the mean), so the window's own mass is integrated instead: F(s) = int_0^s e^(-a t -
// t^2 / 2) dt, by 8-point Gauss-Legendre (the integrand varies by a factor of at most e^0.03
// over the window, so the rule is exact to rounding), and F(s) = u F(w) solved by Newton's
// method.
double NarrowWindowOffset(double a, double w, double u) {
  auto density = [&](double t) { return std::exp(-a * t - 0.5 * t * t); };
  auto mass = [&](double s) { return GaussLegendre(density, s); };
  const double target = u * mass(w);
  double s = u * w;
  for (int i = 0; i < 50; ++i) {
    const double next = std::clamp(s - (mass(s) - target) / density(s), 0.0, w);
    if (std::abs(next - s) <= 4e-16 * std::max(s, 1e-300) || next == s) return next;
    s = next;
  }
  return s;
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
  // The window's width in standard deviations, from the bounds themselves (b - a loses it
  // when the window lies far from the mean: 1e20 - 1 and 1e20 are one double).
  const double w = (hi - lo) / sd;
  // A window 30 or more standard deviations out (a mean far outside the range): as an offset
  // from the end nearer the mean, where the tail's probabilities neither underflow nor lose
  // the window's width. The lower tail by symmetry.
  // A bound that is infinitely many standard deviations out (mean -1e308 with min 1e308, or
  // sd 1e-310): all the mass at the window's nearer end.
  if (a == HUGE_VAL) return lo;
  if (b == -HUGE_VAL) return hi;
  if (a >= 30) return std::clamp(lo + sd * FarTailOffset(a, w, u), lo, hi);
  if (b <= -30) return std::clamp(hi - sd * FarTailOffset(-b, w, 1 - u), lo, hi);
  if (w < 1e-3) return std::clamp(lo + sd * NarrowWindowOffset(a, w, u), lo, hi);
  double z;
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
