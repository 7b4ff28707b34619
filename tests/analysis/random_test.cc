// Quantile functions behind every Monte Carlo draw, against values derived independently, and
// the draws' independence from the standard library (they use our generator and inversion).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "solver/analysis/analysis.h"
#include "solver/analysis/random.h"

namespace parley::analysis {
namespace {

TEST_SUITE("random") {
  TEST_CASE("normal quantiles against tabulated values") {
    // Phi^-1(0.975) = 1.959963984540054 (the 95 % two-sided z), Phi^-1(0.5) = 0,
    // Phi^-1(0.8413447460685429) = 1 since Phi(1) = (1 + erf(1/sqrt 2))/2 = 0.8413447460685429.
    CHECK(NormalQuantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-14));
    CHECK(NormalQuantile(0.025) == doctest::Approx(-1.959963984540054).epsilon(1e-14));
    CHECK(std::abs(NormalQuantile(0.5)) < 1e-15);
    CHECK(NormalQuantile(0.8413447460685429) == doctest::Approx(1.0).epsilon(1e-13));
    // Far tail: Phi^-1(1e-10) = -6.361340902404056 (tables of the normal distribution).
    CHECK(NormalQuantile(1e-10) == doctest::Approx(-6.361340902404056).epsilon(1e-12));
  }

  TEST_CASE("beta quantiles against closed forms") {
    // Beta(2, 5): F(x) = P(Binomial(6, x) >= 2) = 1 - (1-x)^6 - 6x(1-x)^5 (integer a, b), so
    // the median m solves 1 - (1-m)^6 - 6m(1-m)^5 = 1/2; m = 0.26444998329566 (by bisection on
    // that polynomial), and F(m) is checked directly as well.
    double m = BetaQuantile(2, 5, 0.5);
    double f = 1 - std::pow(1 - m, 6) - 6 * m * std::pow(1 - m, 5);
    CHECK(f == doctest::Approx(0.5).epsilon(1e-13));
    CHECK(m == doctest::Approx(0.26444998329566).epsilon(1e-11));
    // Beta(a, 1): F(x) = x^a, so F^-1(p) = p^(1/a); Beta(1, b): F^-1(p) = 1 - (1-p)^(1/b).
    CHECK(BetaQuantile(3, 1, 0.3) == doctest::Approx(std::pow(0.3, 1.0 / 3)).epsilon(1e-13));
    CHECK(BetaQuantile(1, 4, 0.7) == doctest::Approx(1 - std::pow(0.3, 0.25)).epsilon(1e-13));
    // Beta(1, 1) is uniform.
    CHECK(BetaQuantile(1, 1, 0.123) == doctest::Approx(0.123).epsilon(1e-14));
  }

  TEST_CASE("a truncated normal by inversion stays in its window and has the right median") {
    // N(0, 1) truncated to [0, inf): the median is Phi^-1(3/4) = 0.6744897501960817.
    CHECK(TruncatedNormalByInversion(0, 1, 0, HUGE_VAL, 0.5) ==
          doctest::Approx(0.6744897501960817).epsilon(1e-13));
    // A window far in the upper tail, [8, 9], where Phi rounds to 1: by the survival function
    // the draw for u = 0.5 is the median of the window, z with Q(z) = (Q(8) + Q(9))/2 =
    // 3.11e-16 (Q(8) = 6.22096057427178e-16, Q(9) = 1.1285884059538e-19). By Mills' ratio,
    // Q(z) ~ phi(z)/z (1 - 1/z^2): Q(8.05) ~ 4.1e-16 and Q(8.1) ~ 2.75e-16, so 8.05 < z < 8.1
    // (the old bisection on erfc, which rounds to 2 there, could not resolve this window).
    double x = TruncatedNormalByInversion(0, 1, 8, 9, 0.5);
    CHECK(x > 8.05);
    CHECK(x < 8.10);
    for (double u : {1e-16, 0.25, 0.999999})
      for (auto [lo, hi] : {std::pair{-1.0, 2.0}, std::pair{8.0, 9.0}, std::pair{-9.0, -8.0}}) {
        double y = TruncatedNormalByInversion(0, 1, lo, hi, u);
        CHECK(y >= lo);
        CHECK(y <= hi);
      }
  }

  TEST_CASE("a truncated normal whose mean lies far outside its range") {
    // N(5, 0.1^2) on [0, 1]: the range is 40 to 50 standard deviations below the mean, where
    // Phi underflows a double, and every draw once fell on 0, the end away from the mean.
    // The density there is proportional to exp(-((x - 5)^2 - 16) / 0.02), nearly 400 e^(400
    // (x - 1)): its quantiles checked against that density integrated by Simpson's rule,
    // F(q) = int_0^q / int_0^1 (an independent route: no normal distribution function).
    auto density = [](double x) { return std::exp(-((x - 5) * (x - 5) - 16) / 0.02); };
    auto integral = [&](double from, double to) {
      const int n = 200000;  // even
      const double h = (to - from) / n;
      double sum = density(from) + density(to);
      for (int i = 1; i < n; ++i) sum += (i % 2 ? 4 : 2) * density(from + i * h);
      return sum * h / 3;
    };
    const double total = integral(0.9, 1.0);  // below 0.9 the density is below e^-40 of its top
    for (double u : {0.05, 0.5, 0.95}) {
      const double q = TruncatedNormalByInversion(5, 0.1, 0, 1, u);
      CHECK(q > 0.99);
      CHECK(q < 1);
      CHECK(integral(0.9, q) / total == doctest::Approx(u).epsilon(1e-6));
    }
    // The median is near 1 - ln 2 / 400 = 0.99826713 (the exponential approximation).
    CHECK(TruncatedNormalByInversion(5, 0.1, 0, 1, 0.5) == doctest::Approx(0.99826713).epsilon(1e-5));
    // The same window mirrored (mean -4, range [0, 1]) and an open range above.
    CHECK(TruncatedNormalByInversion(-4, 0.1, 0, 1, 0.5) == doctest::Approx(1 - 0.99826713).epsilon(1e-3));
    const double far = TruncatedNormalByInversion(0, 1, 40, HUGE_VAL, 0.5);
    // Q(z) = Q(40) / 2 with Q(z) ~ phi(z) / z: z ~ 40 + ln 2 / 40 = 40.0173.
    CHECK(far == doctest::Approx(40.0173).epsilon(1e-4));
  }

  TEST_CASE("a truncated normal keeps its window when the mean is very far or the sd very wide") {
    // N(1e20, 1) on [0, 1]: the window is 1e20 standard deviations below the mean, and its
    // density, proportional to exp(-(1e20 - x)^2 / 2), grows by e^(1e20) per unit of x: all
    // the mass sits at 1 (within 1e-20). Every draw was 0, the far end (the window's bounds
    // in standard units, 1e20 - 1 and 1e20, are one double); from a mean of 1e155 (whose
    // square overflows) they were NaN.
    // Near the end the window is an exponential with rate 1e20 (to 1 part in 1e20): the
    // quantile u is 1 + ln(u) / mean, which is 1 in doubles from a mean of 1e18 on.
    for (double mean : {1e16, 1e20, 1e155, 1e300})
      for (double u : {1e-12, 0.05, 0.5, 0.95})
        CHECK(TruncatedNormalByInversion(mean, 1, 0, 1, u) == doctest::Approx(1 + std::log(u) / mean).epsilon(1e-16));
    CHECK(TruncatedNormalByInversion(1e20, 1, 0, 1, 0.05) == 1.0);
    // Mirrored: near 0 doubles are fine enough to show the exponential, median ln 2 / 1e20.
    CHECK(TruncatedNormalByInversion(-1e20, 1, 0, 1, 0.5) == doctest::Approx(std::log(2.0) / 1e20).epsilon(1e-12));
    // N(1, 1e17^2) on [0, 10]: the density varies by a factor e^(-5e-33) over the window, so
    // the draw is uniform to double precision, F^-1(u) = 10 u. Every draw was the mean, 1.
    for (double sd : {1e15, 1e16, 1e17, 1e100})
      for (double u : {0.001, 0.05, 0.5, 0.95})
        CHECK(TruncatedNormalByInversion(1, sd, 0, 10, u) == doctest::Approx(10 * u).epsilon(1e-12));
    // N(1e20, 1e17^2) on [0, 10]: 1000 sd out and 1e-16 sd wide; the density's logarithm
    // changes by 1e-13 over the window: uniform again.
    for (double u : {0.05, 0.5, 0.95})
      CHECK(TruncatedNormalByInversion(1e20, 1e17, 0, 10, u) == doctest::Approx(10 * u).epsilon(1e-10));
    // A window of 5e-4 sd where the density is not flat enough to ignore: N(0, 1) on
    // [2, 2.0005] has density exp(-x^2 / 2), e^-0.001 smaller at its top end; F(q) by
    // Simpson's rule (an independent route).
    auto density = [](double x) { return std::exp(-0.5 * x * x); };
    auto integral = [&](double from, double to) {
      const int n = 2000;
      const double h = (to - from) / n;
      double sum = density(from) + density(to);
      for (int i = 1; i < n; ++i) sum += (i % 2 ? 4 : 2) * density(from + i * h);
      return sum * h / 3;
    };
    for (double u : {0.01, 0.3, 0.5, 0.9}) {
      const double q = TruncatedNormalByInversion(0, 1, 2, 2.0005, u);
      CHECK(integral(2, q) / integral(2, 2.0005) == doctest::Approx(u).epsilon(1e-11));
    }
    // Either side of the narrow rule's bound (1e-3 sd), the two methods agree.
    const double below = TruncatedNormalByInversion(0, 1, 0.3, 0.3 + 0.999999e-3, 0.7);
    const double above = TruncatedNormalByInversion(0, 1, 0.3, 0.3 + 1.000001e-3, 0.7);
    CHECK(above - below == doctest::Approx(0.7e-9).epsilon(1e-3));
  }

  TEST_CASE("a truncated normal whose range is infinitely many standard deviations away") {
    // (1e308 - (-1e308)) / 1 overflows to inf, as 1 / 1e-310 does: the window is beyond any
    // finite number of sd, and all its mass sits at the end nearer the mean. Before, the far
    // tail's offset was computed from an infinite alpha (NaN).
    for (double u : {0.0, 0.3, 1.0}) {
      CHECK(TruncatedNormalByInversion(-1e308, 1, 1e308, HUGE_VAL, u) == 1e308);
      CHECK(TruncatedNormalByInversion(1e308, 1, -HUGE_VAL, -1e308, u) == -1e308);
      CHECK(TruncatedNormalByInversion(0, 1e-310, 1, 2, u) == 1);
      CHECK(TruncatedNormalByInversion(0, 1e-310, -2, -1, u) == -1);
    }
  }

  TEST_CASE("draws are pinned: the same bits give the same values on any standard library") {
    // The first uniform of stream (seed 1, sample 0) and the beta and normal draws made from it
    // by inversion; the expected values are the quantiles of that uniform, computed above by
    // independent routes, so a change of generator or of sampling method shows here.
    Xoshiro256 a(1, 0), b(1, 0);
    double u = a.UniformOpen();
    Distribution beta;
    beta.kind = Distribution::Kind::kBeta;
    beta.alpha = 1, beta.beta = 1, beta.low = 10, beta.high = 20;
    CHECK(Draw(beta, 0, b) == doctest::Approx(10 + 10 * u).epsilon(1e-14));  // Beta(1,1) = U
    Xoshiro256 c(1, 0), d(1, 0);
    double v = c.UniformOpen();
    Distribution normal;
    normal.kind = Distribution::Kind::kNormal;
    normal.mean = 5, normal.sd = 2;
    CHECK(Draw(normal, 0, d) == doctest::Approx(5 + 2 * NormalQuantile(v)).epsilon(1e-13));
  }
}

}  // namespace
}  // namespace parley::analysis
