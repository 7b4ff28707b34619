// Alternating offers over issues: outside options taken round by round (Binmore, Shaked and
// Sutton), agreements that no other dominates, and the stationary split to rounding even
// when the discounts are near 1 or a payoff is tiny; each against a hand-worked closed form.
#include <doctest/doctest.h>

#include <cmath>

#include "solver/bargaining/agreement.h"
#include "tests/bargaining/bargaining_test_util.h"

namespace parley::bargaining {
namespace {

// A pie: x in [0, 1], u = (x, 1 - x), shown affine; alternating offers, 0.9 and 0.9, the first
// proposing first; outside options e with nothing while talks go on.
AgreementProblem PieWithOptions(double e1, double e2, int rounds) {
  AgreementProblem problem;
  problem.issues = {Range("x", 0, 1)};
  problem.affine = [](const Vector&) { return true; };
  problem.linear_constraints = [](const Vector&) { return true; };
  problem.protocol = Protocol::kAlternating;
  problem.alternating.discount = {0.9, 0.9};
  problem.alternating.rounds = rounds;
  problem.rule = DisagreementRule::kOutside;
  problem.disagreement = {e1, e2};
  problem.inside = {0, 0};
  return problem;
}
const UtilityOracle kPie = [](const Vector& x, Vector* u) { *u = {x[0], 1 - x[0]}; };

TEST_SUITE("bargaining.alternating_frontier") {
  TEST_CASE("outside options under alternating offers bind round by round, not after the split") {
    SUBCASE("infinite horizon, e = (0.5, 0): 0.55, the pie's closed form") {
      // Without options x = 1/1.9 = 0.5263; when the second proposes the first is offered
      // max(0.5, 0.9 x) = 0.5 (0.9 * 0.55 = 0.495 < 0.5), so x = 1 - 0.9 (1 - 0.5) = 0.55.
      // (The old clamp after the split: 0.5263 >= 0.5, "no option binds", 0.526316.)
      AgreementResult result = SolveAgreement(PieWithOptions(0.5, 0, 0), kPie);
      REQUIRE(result.agreement_possible);
      CHECK(result.payoffs[0] == doctest::Approx(0.55).epsilon(1e-12));
      CHECK(result.payoffs[1] == doctest::Approx(0.45).epsilon(1e-12));
      CHECK(result.outside_binds == std::vector<bool>{true, false});
    }
    SUBCASE("2 rounds, e = (0.3, 0): 0.37") {
      // Round 2: the second proposes, the first accepts max(0.3, 0) = 0.3, the second keeps
      // 0.7. Round 1: the second is offered max(0, 0.9 * 0.7) = 0.63; the first keeps 0.37.
      // (Old: Stahl's 0.1 clamped up to the option, 0.3.)
      AgreementResult result = SolveAgreement(PieWithOptions(0.3, 0, 2), kPie);
      CHECK(result.payoffs[0] == doctest::Approx(0.37).epsilon(1e-12));
      // The first's option is what it is offered in round 2, its first turn to respond: it
      // binds, as it would with no horizon (it raised the first's share from 0.1 to 0.37).
      CHECK(result.outside_binds == std::vector<bool>{true, false});
    }
    SUBCASE("1,000 rounds, e = (0.5, 0): the infinite horizon's 0.55, and the same option binds") {
      AgreementResult result = SolveAgreement(PieWithOptions(0.5, 0, 1000), kPie);
      CHECK(result.payoffs[0] == doctest::Approx(0.55).epsilon(1e-12));
      CHECK(result.outside_binds == std::vector<bool>{true, false});
    }
    SUBCASE("3 rounds, e = (0, 0.35): 0.6265") {
      // Round 3: the first keeps 1 - 0.35 = 0.65. Round 2: the first is offered
      // max(0, 0.9 * 0.65) = 0.585, the second keeps 0.415. Round 1: the second is offered
      // max(0.35, 0.9 * 0.415 = 0.3735) = 0.3735; the first keeps 0.6265. (Old: 0.91 clamped
      // down to 0.65.)
      AgreementResult result = SolveAgreement(PieWithOptions(0, 0.35, 3), kPie);
      CHECK(result.payoffs[0] == doctest::Approx(0.6265).epsilon(1e-12));
      CHECK(result.outside_binds == std::vector<bool>{false, false});
    }
    SUBCASE("options that cannot both be met: no agreement") {
      CHECK_FALSE(SolveAgreement(PieWithOptions(0.7, 0.5, 0), kPie).agreement_possible);
    }
  }

  TEST_CASE("alternating offers: the proposer's best that is best for the responder too") {
    // x, y in [0, 1], u = (y, 1 - x), d = (0, -1): the first cares only for y, the second only
    // for x, so (1, 1) at x = 0, y = 1 is feasible and dominates everything. Any proposer keeps
    // its ideal 1 and gives the responder what it asks, which can be the responder's ideal 1
    // too. (Old: the first proposer's best at the lowest the responder accepts, (1, 0.8) with
    // no horizon, 0.8 = d_2 + 0.9 (1 - d_2); (1, 0) with 1 round.)
    AgreementProblem problem;
    problem.issues = {Range("x", 0, 1), Range("y", 0, 1)};
    problem.affine = [](const Vector&) { return true; };
    problem.linear_constraints = [](const Vector&) { return true; };
    problem.disagreement = {0, -1};
    problem.protocol = Protocol::kAlternating;
    problem.alternating.discount = {0.9, 0.9};
    const UtilityOracle utility = [](const Vector& x, Vector* u) { *u = {x[1], 1 - x[0]}; };
    for (int rounds : {0, 1, 2}) {
      CAPTURE(rounds);
      problem.alternating.rounds = rounds;
      AgreementResult result = SolveAgreement(problem, utility);
      REQUIRE(result.agreement_possible);
      CHECK(result.payoffs[0] == doctest::Approx(1).epsilon(1e-12));
      CHECK(result.payoffs[1] == doctest::Approx(1).epsilon(1e-12));
    }
  }

  TEST_CASE("alternating offers: the stationary split to rounding, near-1 discounts and tiny payoffs") {
    AgreementProblem problem = PieWithOptions(0, 0, 0);
    problem.rule = DisagreementRule::kThreat;
    problem.inside.clear();
    SUBCASE("delta = 1 - 1e-9 and 1 - 1e-11: 1/(1 + delta)") {
      // x = (1 - delta)/(1 - delta^2) = 1/(1 + delta). The stationarity map's slope is
      // 1 - delta^2 ~ 2e-11, so a root found from its values was off by rounding / 2e-11
      // (old: 2.8e-8 and 5.5e-6).
      for (double delta : {0.999999999, 0.99999999999}) {
        CAPTURE(delta);
        problem.alternating.discount = {delta, delta};
        AgreementResult result = SolveAgreement(problem, kPie);
        CHECK(result.payoffs[0] == doctest::Approx(1 / (1 + delta)).epsilon(1e-14));
      }
    }
    SUBCASE("u = (1e-12 x, 1 - x), 0.9 and 0.8: x = 0.2/0.28 = 5/7") {
      // Rubinstein's split does not depend on the units: the first keeps (1 - 0.8)/(1 - 0.72)
      // of the pie. (Old: a stopping width floored at 1 stopped at once on [0, 1e-12];
      // x = 0.7143359.)
      problem.alternating.discount = {0.9, 0.8};
      const UtilityOracle tiny = [](const Vector& x, Vector* u) { *u = {1e-12 * x[0], 1 - x[0]}; };
      CHECK(SolveAgreement(problem, tiny).issue_values[0] == doctest::Approx(5.0 / 7).epsilon(1e-14));
    }
    SUBCASE("u = (x, 1e-12 (1 - x)), the second first: x = 1 - 0.1/0.28 = 9/14") {
      // The second keeps (1 - 0.9)/(1 - 0.72) = 5/14 of the pie. (Old: 0.6430078.)
      problem.alternating.discount = {0.9, 0.8};
      problem.alternating.first = 1;
      const UtilityOracle tiny = [](const Vector& x, Vector* u) { *u = {x[0], 1e-12 * (1 - x[0])}; };
      CHECK(SolveAgreement(problem, tiny).issue_values[0] == doctest::Approx(9.0 / 14).epsilon(1e-14));
    }
  }
}

}  // namespace
}  // namespace parley::bargaining
