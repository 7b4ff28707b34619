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
