// The nonlinear method near an issue's bound, where a payoff can bend on a scale far below the
// finite-difference step of 1e-3 of the range: the optimum is reached and certified, each
// against its closed form. The old method read sqrt(x)'s slope at x = 2e-16 from one-sided
// steps of 1e-3 (about 50 where it is 3.5e7), stayed there and labelled it a KKT point.
#include <doctest/doctest.h>

#include <cmath>

#include "solver/bargaining/bargaining.h"

using namespace parley::bargaining;

TEST_SUITE("bargaining") {
  TEST_CASE("nonlinear: a peak 2.5e-7 from a bound, reached and certified, the other concepts unchanged") {
    // u = (sqrt x, 1000 (1 - x)), x in [0, 1], d = 0.
    //   utilitarian: 1/(2 sqrt x) = 1000 -> x = 1/2000^2 = 2.5e-7, u = (5e-4, 999.99975).
    //   Nash (scale-invariant, as for 1 - x): 1/(2x) = 1/(1 - x) -> x = 1/3.
    //   KS, ideal (1, 1000): sqrt x = 1 - x -> x = ((sqrt 5 - 1)/2)^2 = (3 - sqrt 5)/2.
    //   egalitarian: s = sqrt x with s = 1000 (1 - s^2) -> s = (sqrt(1 + 4e6) - 1)/2000.
    // The old method gave utilitarian x = 2.15e-16, u1 = 1.47e-8, 'KKT point' with residual 0.
    AgreementSpace space{{{"x", 0.0, 1.0}}, {"sqrt(x)", "1000*(1-x)"}};
    Result result = Solve(space, {0, 0});
    const Solution* utilitarian = result.Find(Concept::kUtilitarian);
    REQUIRE(utilitarian != nullptr);
    CHECK(utilitarian->issues[0] == doctest::Approx(2.5e-7).epsilon(1e-9));
    CHECK(utilitarian->payoffs[0] == doctest::Approx(5e-4).epsilon(1e-9));
    CHECK(utilitarian->payoffs[1] == doctest::Approx(999.99975).epsilon(1e-12));
    CHECK(utilitarian->precision == Precision::kKktPoint);
    CHECK(utilitarian->gap <= 1e-9);
    const double s = (std::sqrt(1 + 4e6) - 1) / 2000;
    const struct {
      Concept concept_kind;
      double x;
    } expected[] = {{Concept::kNash, 1.0 / 3},
                    {Concept::kKalaiSmorodinsky, (3 - std::sqrt(5.0)) / 2},
                    {Concept::kEgalitarian, s * s}};
    for (const auto& e : expected) {
      CAPTURE(ToString(e.concept_kind));
      const Solution* solution = result.Find(e.concept_kind);
      REQUIRE(solution != nullptr);
      CHECK(solution->issues[0] == doctest::Approx(e.x).epsilon(1e-9));
      CHECK(solution->precision == Precision::kKktPoint);
    }
  }

  TEST_CASE("nonlinear: the peak beside a floor on the bound, no tie with the bound's corner") {
    // u = (5 + sqrt x, 1000 (1 - x)), d = (5, 0): the floor u1 >= 5 is active at x = 0 only.
    // Utilitarian: 1/(2 sqrt x) = 1000 -> x = 2.5e-7, u = (5.0005, 999.99975), sum 1005.00025,
    // 2.5e-4 above the corner (5, 1000). The old method stopped at x = 1.0e-6 (slopes from a
    // one-sided step of 1e-3), whose sum 1005.000 equals the corner's, and listed a tie between
    // (5.001, 999.999) and (5, 1000).
    AgreementSpace space{{{"x", 0.0, 1.0}}, {"5+sqrt(x)", "1000*(1-x)"}};
    Result result = Solve(space, {5, 0});
    const Solution* utilitarian = result.Find(Concept::kUtilitarian);
    REQUIRE(utilitarian != nullptr);
    CHECK(utilitarian->issues[0] == doctest::Approx(2.5e-7).epsilon(1e-9));
    CHECK(utilitarian->payoffs[0] == doctest::Approx(5.0005).epsilon(1e-12));
    CHECK(utilitarian->payoffs[1] == doctest::Approx(999.99975).epsilon(1e-12));
    CHECK(utilitarian->precision == Precision::kKktPoint);
    CHECK(utilitarian->ties.empty());
    const Solution* nash = result.Find(Concept::kNash);
    REQUIRE(nash != nullptr);
    CHECK(nash->issues[0] == doctest::Approx(1.0 / 3).epsilon(1e-9));
  }

  TEST_CASE("nonlinear: two issues, each peaking 2.5e-7 from its bound") {
    // u = (sqrt x + sqrt y, 1000 (2 - x - y)): utilitarian separates, 1/(2 sqrt x) = 1000 for
    // each -> x = y = 2.5e-7, u1 = 2 sqrt(2.5e-7) = 1e-3. The old method gave u1 = 2.65e-8.
    AgreementSpace space{{{"x", 0.0, 1.0}, {"y", 0.0, 1.0}}, {"sqrt(x)+sqrt(y)", "1000*(2-x-y)"}};
    Result result = Solve(space, {0, 0});
    const Solution* utilitarian = result.Find(Concept::kUtilitarian);
    REQUIRE(utilitarian != nullptr);
    CHECK(utilitarian->issues[0] == doctest::Approx(2.5e-7).epsilon(1e-9));
    CHECK(utilitarian->issues[1] == doctest::Approx(2.5e-7).epsilon(1e-9));
    CHECK(utilitarian->payoffs[0] == doctest::Approx(1e-3).epsilon(1e-9));
    CHECK(utilitarian->precision == Precision::kKktPoint);
  }
}
