// The bargaining engine of the negotiation language: parties, non-linear payoffs and
// constraints, alternating offers over a frontier and outside options, each against a closed
// form or a hand-worked case.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "solver/bargaining/agreement.h"
#include "tests/bargaining/bargaining_test_util.h"
#include "solver/bargaining/alternating_offers.h"
#include "solver/model/error.h"

namespace parley::bargaining {
namespace {

const Solution& Find(const AgreementResult& result, Concept concept_kind) {
  const Solution* s = result.result.Find(concept_kind);
  REQUIRE(s != nullptr);
  return *s;
}

// x in [0, 1], u = (sqrt x, 1 - x), d = (0, 0).
AgreementProblem RiskAverse() {
  AgreementProblem problem;
  problem.issues = {Range("x", 0, 1)};
  problem.disagreement = {0, 0};
  return problem;
}
const UtilityOracle kRiskAverse = [](const Vector& x, Vector* u) { *u = {std::sqrt(x[0]), 1 - x[0]}; };

// The tests' affine oracles and linear constraints, shown so by the caller (as a scenario's
// formula analysis does): the solver does not conclude affinity from values.
void ShownAffine(AgreementProblem& problem, bool linear_constraints = true) {
  problem.affine = [](const Vector&) { return true; };
  if (linear_constraints) problem.linear_constraints = [](const Vector&) { return true; };
}

// A pie: x in [0, 1], u = (x, 1 - x).
AgreementProblem Pie() {
  AgreementProblem problem;
  problem.issues = {Range("x", 0, 1)};
  problem.disagreement = {0, 0};
  ShownAffine(problem);
  return problem;
}
constexpr AgreementMethod kSearch = AgreementMethod::kExactOrSearch;
const UtilityOracle kPie = [](const Vector& x, Vector* u) { *u = {x[0], 1 - x[0]}; };

TEST_SUITE("bargaining.negotiation") {
  TEST_CASE("a risk-averse party: Nash, Kalai-Smorodinsky and utilitarian in closed form") {
    AgreementResult result = SolveAgreement(RiskAverse(), kRiskAverse, kSearch);
    REQUIRE(result.agreement_possible);
    // Nash: maximise log sqrt x + log(1 - x) = 0.5 log x + log(1 - x):
    //   1/(2x) = 1/(1 - x) -> 1 - x = 2x -> x = 1/3.
    const Solution& nash = Find(result, Concept::kNash);
    CHECK(nash.issues[0] == doctest::Approx(1.0 / 3).epsilon(1e-9));
    CHECK(nash.precision == Precision::kKktPoint);
    CHECK(nash.gap <= 1e-9);
    // Ideal point (1, 1) (x = 1 for the first, x = 0 for the second); KS: sqrt x = 1 - x ->
    //   with s = sqrt x: s^2 + s - 1 = 0 -> s = (sqrt 5 - 1)/2, x = s^2 = (3 - sqrt 5)/2.
    CHECK(result.result.ideal[0] == doctest::Approx(1).epsilon(1e-9));
    CHECK(result.result.ideal[1] == doctest::Approx(1).epsilon(1e-9));
    const Solution& ks = Find(result, Concept::kKalaiSmorodinsky);
    CHECK(ks.issues[0] == doctest::Approx((3 - std::sqrt(5.0)) / 2).epsilon(1e-9));
    // Egalitarian: the same equal gains here (d = 0, ideal (1, 1)).
    CHECK(Find(result, Concept::kEgalitarian).issues[0] == doctest::Approx((3 - std::sqrt(5.0)) / 2).epsilon(1e-9));
    // Utilitarian: maximise sqrt x + 1 - x: 1/(2 sqrt x) = 1 -> x = 1/4.
    const Solution& utilitarian = Find(result, Concept::kUtilitarian);
    CHECK(utilitarian.issues[0] == doctest::Approx(0.25).epsilon(1e-9));
    CHECK(utilitarian.ties.empty());
    // An interior optimum (no constraint active): its gradient terms, 1/(2 sqrt x) and -1,
    // cancel, so it is a KKT point too, not "best found".
    CHECK(utilitarian.precision == Precision::kKktPoint);
    CHECK(utilitarian.gap < 1e-9);
    CHECK(result.optimality == Optimality::kKktPoint);
    CHECK(result.kkt_residual <= 1e-9);
  }

  TEST_CASE("a convex payoff: the KKT point is reported as best found, not proven") {
    UtilityOracle convex = [](const Vector& x, Vector* u) { *u = {x[0] * x[0], 1 - x[0]}; };
    AgreementProblem problem = RiskAverse();
    problem.all_concepts = false;
    AgreementResult result = SolveAgreement(problem, convex, kSearch);
    // maximise 2 log x + log(1 - x): 2/x = 1/(1 - x) -> x = 2/3.
    CHECK(result.issue_values[0] == doctest::Approx(2.0 / 3).epsilon(1e-9));
    CHECK(result.optimality == Optimality::kBestFound);
  }

  TEST_CASE("parties: a third player's payoff is reported and ignored") {
    // u = (x, 1 - x, -x), d = (0, 0, 0.5): the third loses and is below its disagreement
    // value at every agreement; only the first two are at the table: Nash x = 1/2.
    AgreementProblem problem = Pie();
    problem.disagreement = {0, 0, 0.5};
    problem.parties = {0, 1};
    UtilityOracle three = [](const Vector& x, Vector* u) { *u = {x[0], 1 - x[0], -x[0]}; };
    AgreementResult result = SolveAgreement(problem, three);
    REQUIRE(result.agreement_possible);
    CHECK(result.optimality == Optimality::kExact);
    CHECK(result.issue_values[0] == doctest::Approx(0.5));
    CHECK(result.payoffs[2] == doctest::Approx(-0.5));
    CHECK(result.parties == std::vector<int>{0, 1});
    // The same with a non-linear third payoff (the nonlinear method) and weights 2, 1:
    // maximise 2 log x + log(1 - x) -> x = 2/3.
    UtilityOracle bent = [](const Vector& x, Vector* u) { *u = {x[0], 1 - x[0], -x[0] * x[0]}; };
    problem.weights = {2, 1};
    problem.affine = nullptr;  // not shown affine (it is not)
    AgreementResult weighted = SolveAgreement(problem, bent, kSearch);
    REQUIRE(weighted.agreement_possible);
    CHECK(weighted.issue_values[0] == doctest::Approx(2.0 / 3).epsilon(1e-9));
    CHECK(weighted.payoffs[2] == doctest::Approx(-4.0 / 9).epsilon(1e-9));
  }

  TEST_CASE("the nonlinear method flags a utilitarian tie and breaks it by the Nash product") {
    // u = (x, 1 - x, x^2), parties 1 and 2: every split has the sum 1, so the utilitarian
    // optimum runs from (0, 1) to (1, 0); the Nash solution among them is x = 1/2.
    AgreementProblem problem = Pie();
    problem.disagreement = {0, 0, 0};
    problem.parties = {0, 1};
    problem.affine = nullptr;  // not shown affine (it is not)
    UtilityOracle three = [](const Vector& x, Vector* u) { *u = {x[0], 1 - x[0], x[0] * x[0]}; };
    AgreementResult result = SolveAgreement(problem, three, kSearch);
    const Solution& utilitarian = Find(result, Concept::kUtilitarian);
    CHECK(utilitarian.ties.size() == 2);
    CHECK(utilitarian.issues[0] == doctest::Approx(0.5).epsilon(1e-9));
    // Over a set that is not convex the optimal agreements are the ends alone: y <= (1 - x)^2
    // pays the sum x + y = 1 at (1, 0) and (0, 1) and less between. The method said "the
    // optimal agreements run between the listed ends".
    AgreementProblem curved;
    curved.issues = {Range("x", 0, 1), Range("y", 0, 1)};
    curved.disagreement = {0, 0};
    curved.constraints = {{"y <= (1-x)^2", [](const Vector& x) { return x[1] - (1 - x[0]) * (1 - x[0]); }}};
    UtilityOracle xy = [](const Vector& x, Vector* u) { *u = {x[0], x[1]}; };
    const AgreementResult curved_result = SolveAgreement(curved, xy, kSearch);
    const Solution& ends = Find(curved_result, Concept::kUtilitarian);
    REQUIRE(ends.ties.size() == 2);
    CHECK(ends.method.find("run between") == std::string::npos);
    CHECK(ends.method.find("a tie (the listed ends are the optimal agreements best for each party)") != std::string::npos);
  }

  TEST_CASE("parties: a weight of 0 leaves that party its disagreement value") {
    // Weights (1, 0), d = (0, 0.25): the first gets all it can while the second keeps at
    // least d2 = 0.25: x = 0.75.
    AgreementProblem problem = Pie();
    problem.disagreement = {0, 0.25};
    problem.weights = {1, 0};
    problem.all_concepts = false;
    AgreementResult result = SolveAgreement(problem, kPie);  // affine: allowed under kExact too
    REQUIRE(result.agreement_possible);
    CHECK(result.payoffs[1] == doctest::Approx(0.25).epsilon(1e-9));
    CHECK(result.issue_values[0] == doctest::Approx(0.75).epsilon(1e-9));
  }

  TEST_CASE("linked issues: a linear constraint binds, solved exactly") {
    // price in [0, 10], divest in [0, 1], price <= 8 - 3 divest; u1 = price,
    // u2 = 12 - price + 4 divest, d = 0. For u1 = p the second's best is divest = 1 while
    // p <= 5 (u2 = 16 - p), divest = (8 - p)/3 beyond (u2 = (68 - 7p)/3). The Nash product
    // p (16 - p) rises up to p = 5 (derivative 16 - 2p = 6 > 0) and p (68 - 7p)/3 falls after
    // it (derivative (68 - 14p)/3 = -2/3 < 0): the agreement is the kink p = 5, divest = 1,
    // u = (5, 11), where the constraint and divest's upper bound bind.
    AgreementProblem problem;
    problem.issues = {Range("price", 0, 10), Range("divest", 0, 1)};
    problem.disagreement = {0, 0};
    problem.constraints = {{"price <= 8 - 3 * divest", [](const Vector& x) { return x[0] - 8 + 3 * x[1]; }}};
    ShownAffine(problem);
    UtilityOracle deal = [](const Vector& x, Vector* u) { *u = {x[0], 12 - x[0] + 4 * x[1]}; };
    AgreementResult result = SolveAgreement(problem, deal);
    REQUIRE(result.agreement_possible);
    CHECK(result.optimality == Optimality::kExact);
    CHECK(result.issue_values[0] == doctest::Approx(5).epsilon(1e-12));
    CHECK(result.issue_values[1] == doctest::Approx(1).epsilon(1e-12));
    CHECK(result.payoffs[1] == doctest::Approx(11).epsilon(1e-12));
    CHECK(std::find(result.binding.begin(), result.binding.end(), "price <= 8 - 3 * divest") != result.binding.end());
    CHECK(std::find(result.binding.begin(), result.binding.end(), "divest = 1") != result.binding.end());
    // No agreement satisfies an impossible constraint.
    problem.constraints.push_back({"price >= 11", [](const Vector& x) { return 11 - x[0]; }});
    CHECK_THROWS_WITH_AS(SolveAgreement(problem, deal), doctest::Contains("no agreement satisfies"),
                         ValidationError);
  }

  TEST_CASE("a non-linear constraint: a quarter disc") {
    // x, y in [0, 1], x^2 + y^2 <= 1, u = (x, y), d = 0: Nash maximises log x + log y on the
    // circle: by symmetry x = y = 1/sqrt 2.
    AgreementProblem problem;
    problem.issues = {Range("x", 0, 1), Range("y", 0, 1)};
    problem.disagreement = {0, 0};
    problem.constraints = {{"x^2 + y^2 <= 1", [](const Vector& x) { return x[0] * x[0] + x[1] * x[1] - 1; }}};
    ShownAffine(problem, /*linear_constraints=*/false);
    UtilityOracle u = [](const Vector& x, Vector* out) { *out = {x[0], x[1]}; };
    AgreementResult result = SolveAgreement(problem, u, kSearch);
    INFO("kkt residual ", result.kkt_residual, " x ", result.issue_values[0] - 1 / std::sqrt(2.0));
    REQUIRE(result.agreement_possible);
    CHECK(result.issue_values[0] == doctest::Approx(1 / std::sqrt(2.0)).epsilon(1e-9));
    CHECK(result.issue_values[1] == doctest::Approx(1 / std::sqrt(2.0)).epsilon(1e-9));
    CHECK(result.optimality == Optimality::kKktPoint);
    CHECK(result.binding == std::vector<std::string>{"x^2 + y^2 <= 1"});
  }

  TEST_CASE("alternating offers over a pie agree with Rubinstein's closed form") {
    AgreementProblem problem = Pie();
    problem.protocol = Protocol::kAlternating;
    SUBCASE("0.9 and 0.9: the first mover gets 1/1.9") {
      problem.alternating.discount = {0.9, 0.9};
      AgreementResult result = SolveAgreement(problem, kPie);
      CHECK(result.payoffs[0] == doctest::Approx(1 / 1.9).epsilon(1e-12));
      CHECK(result.optimality == Optimality::kExact);
    }
    SUBCASE("0.9 and 0.8: (1 - 0.8)/(1 - 0.72); the second moving first: (1 - 0.9)/(1 - 0.72)") {
      problem.alternating.discount = {0.9, 0.8};
      AgreementResult result = SolveAgreement(problem, kPie);
      CHECK(result.payoffs[0] == doctest::Approx(0.2 / 0.28).epsilon(1e-12));
      AlternatingOffers game;
      game.discount = {0.9, 0.8};
      CHECK(result.payoffs[0] == doctest::Approx(SolveAlternatingOffers(game).shares[0]).epsilon(1e-12));
      problem.alternating.first = 1;
      CHECK(SolveAgreement(problem, kPie).payoffs[1] == doctest::Approx(0.1 / 0.28).epsilon(1e-12));
    }
    SUBCASE("finite horizons (Stahl): 2 and 3 rounds by hand") {
      problem.alternating.discount = {0.9, 0.8};
      // 2 rounds: the second proposes last and takes 1; in round 1 the first offers it
      // 0.8 * 1 = 0.8 and keeps 0.2.
      problem.alternating.rounds = 2;
      CHECK(SolveAgreement(problem, kPie).payoffs[0] == doctest::Approx(0.2).epsilon(1e-12));
      // 3 rounds: round 3 the first takes 1; round 2 the second offers it 0.9 and keeps 0.1;
      // round 1 the first offers 0.8 * 0.1 = 0.08 and keeps 0.92.
      problem.alternating.rounds = 3;
      CHECK(SolveAgreement(problem, kPie).payoffs[0] == doctest::Approx(0.92).epsilon(1e-12));
    }
  }

  TEST_CASE("alternating offers over a frontier steep at its end: the last proposer takes it all") {
    // u = (x, (1 - x)^0.1), not affine: the nonlinear method. One round: the proposer leaves the
    // responder its disagreement value 0 and takes x = 1, so (1, 0). The search stopped at
    // x = 1 - 1e-9, and "the end best for the responder" within that tolerance paid it
    // (1e-9)^0.1 = 0.126. Two rounds: B takes x = 0 last (B 1), so in round 1 A offers B
    // 0.8 * 1, (1 - x)^0.1 = 0.8, x = 1 - 0.8^10 = 0.8926258176.
    AgreementProblem problem;
    problem.issues = {Range("x", 0, 1)};
    problem.disagreement = {0, 0};
    problem.protocol = Protocol::kAlternating;
    problem.alternating.discount = {0.9, 0.8};
    const UtilityOracle steep = [](const Vector& x, Vector* u) { *u = {x[0], std::pow(1 - x[0], 0.1)}; };
    problem.alternating.rounds = 1;
    AgreementResult one = SolveAgreement(problem, steep, kSearch);
    REQUIRE(one.agreement_possible);
    CHECK(one.issue_values[0] == 1);
    CHECK(one.payoffs[0] == 1);
    CHECK(one.payoffs[1] == 0);
    problem.alternating.rounds = 2;
    AgreementResult two = SolveAgreement(problem, steep, kSearch);
    REQUIRE(two.agreement_possible);
    CHECK(two.payoffs[0] == doctest::Approx(1 - std::pow(0.8, 10)).epsilon(1e-8));
    CHECK(two.payoffs[1] == doctest::Approx(0.8).epsilon(1e-8));
  }

  TEST_CASE("an optimum near a bound is moved onto it only where that keeps it a KKT point") {
    // u = (1 + 4e-9 x, 1 - 0.04 x^2), d = 0: the Nash product's slope 4e-9 - 0.08 x vanishes at
    // x = 5e-8, inside the box. A first version moved points within 1e-7 of a bound onto it
    // whenever the program's objective (for Nash, its own extra variables) was no worse: x = 0,
    // "best found", x = 0 "binding". Now only within 1e-8, and only keeping a KKT point one.
    AgreementProblem problem;
    problem.issues = {Range("x", 0, 1)};
    problem.disagreement = {0, 0};
    const UtilityOracle flat = [](const Vector& x, Vector* u) {
      *u = {1 + 4e-9 * x[0], 1 - 0.04 * x[0] * x[0]};
    };
    AgreementResult result = SolveAgreement(problem, flat, kSearch);
    const Solution& nash = Find(result, Concept::kNash);
    CHECK(nash.precision == Precision::kKktPoint);
    CHECK(std::abs(nash.issues[0] - 5e-8) < 1e-9);
    CHECK(nash.method.find("binding") == std::string::npos);
  }

  TEST_CASE("alternating offers: short periods approach the Nash solution with powers 1/r") {
    // u = (sqrt x, 1 - x), d_i = exp(-r_i D), r = (2, 1). As D -> 0 the split tends to the
    // weighted Nash solution with powers 1/r = (1/2, 1) (Binmore, Rubinstein and Wolinsky
    // 1986): maximise (1/2) log sqrt x + log(1 - x): 1/(4x) = 1/(1 - x) -> x = 1/5.
    AgreementProblem problem = RiskAverse();
    problem.protocol = Protocol::kAlternating;
    problem.all_concepts = false;
    double previous_error = 1;
    for (double period : {1e-2, 1e-3}) {
      problem.alternating.discount = {std::exp(-2 * period), std::exp(-1 * period)};
      AgreementResult result = SolveAgreement(problem, kRiskAverse, kSearch);
      const double error = std::abs(result.issue_values[0] - 0.2);
      CHECK(error < 0.5 * period);  // the first mover's advantage is O(D)
      CHECK(error < previous_error);
      previous_error = error;
    }
  }

  TEST_CASE("alternating offers: errors") {
    AgreementProblem problem = Pie();
    problem.protocol = Protocol::kAlternating;
    problem.alternating.discount = {1.2, 0.9};
    CHECK_THROWS_WITH_AS(SolveAgreement(problem, kPie), doctest::Contains("between 0 and 1"), ValidationError);
    problem.alternating.discount = {0.9, 0.9};
    problem.weights = {2, 1};
    CHECK_THROWS_WITH_AS(SolveAgreement(problem, kPie), doctest::Contains("no bargaining powers"), ValidationError);
    problem.weights.clear();
    problem.disagreement = {0, 0, 0};
    UtilityOracle three = [](const Vector& x, Vector* u) { *u = {x[0], 1 - x[0], 0}; };
    CHECK_THROWS_WITH_AS(SolveAgreement(problem, three), doctest::Contains("exactly 2 parties"), ValidationError);
  }

  TEST_CASE("outside options: only an option above the share binds") {
    AgreementProblem problem = Pie();
    problem.rule = DisagreementRule::kOutside;
    problem.inside = {0, 0};
    SUBCASE("0.7 binds: the first gets exactly 0.7") {
      problem.disagreement = {0.7, 0};
      AgreementResult result = SolveAgreement(problem, kPie);
      CHECK(result.payoffs[0] == doctest::Approx(0.7).epsilon(1e-12));
      CHECK(result.payoffs[1] == doctest::Approx(0.3).epsilon(1e-12));
      CHECK(result.outside_binds == std::vector<bool>{true, false});
    }
    SUBCASE("0.3 does not bind: the equal split") {
      problem.disagreement = {0.3, 0};
      AgreementResult result = SolveAgreement(problem, kPie);
      CHECK(result.payoffs[0] == doctest::Approx(0.5).epsilon(1e-12));
      CHECK(result.outside_binds == std::vector<bool>{false, false});
    }
    SUBCASE("the same numbers as a threat point: Nash (0.85, 0.15)") {
      // maximise log(x - 0.7) + log(1 - x): x - 0.7 = 1 - x -> x = 0.85.
      problem.rule = DisagreementRule::kThreat;
      problem.disagreement = {0.7, 0};
      CHECK(SolveAgreement(problem, kPie).payoffs[0] == doctest::Approx(0.85).epsilon(1e-12));
    }
    SUBCASE("options that cannot all be met: talks fail") {
      problem.disagreement = {0.7, 0.5};
      CHECK_FALSE(SolveAgreement(problem, kPie).agreement_possible);
    }
    SUBCASE("the other gets the rest even below its inside value") {
      // Inside (0, 0.1): the equal split of the gains gives (0.45, 0.55), below the first's
      // option 0.95, which binds; the second gets the rest, 0.05 (at least its option 0, so
      // talks do not fail, though 0.05 is below its inside value 0.1). This failed with "an
      // outcome has 0 payoffs" in a scenario: the rest was looked for above the inside value.
      problem.inside = {0, 0.1};
      problem.disagreement = {0.95, 0};
      AgreementResult result = SolveAgreement(problem, kPie);
      REQUIRE(result.agreement_possible);
      CHECK(result.payoffs[0] == doctest::Approx(0.95).epsilon(1e-12));
      CHECK(result.payoffs[1] == doctest::Approx(0.05).epsilon(1e-12));
      CHECK(result.issue_values[0] == doctest::Approx(0.95).epsilon(1e-12));
      CHECK(result.outside_binds == std::vector<bool>{true, false});
    }
    SUBCASE("an inside point above every agreement: an option above its inside value binds") {
      // Inside (0.6, 0.6) on a pie of 1: no agreement gives both more. A's option 0.7 beats
      // its inside value, so A would break off rather than sit in the impasse: its option
      // binds, and B gets the rest, 0.3 (more than its option 0.2, so B agrees). The talks
      // failed instead, paying the options (0.7, 0.2): B lost 0.1 to an agreement it prefers.
      problem.inside = {0.6, 0.6};
      problem.disagreement = {0.7, 0.2};
      AgreementResult result = SolveAgreement(problem, kPie);
      REQUIRE(result.agreement_possible);
      CHECK(result.payoffs[0] == doctest::Approx(0.7).epsilon(1e-12));
      CHECK(result.payoffs[1] == doctest::Approx(0.3).epsilon(1e-12));
      CHECK(result.issue_values[0] == doctest::Approx(0.7).epsilon(1e-12));
      CHECK(result.outside_binds == std::vector<bool>{true, false});
    }
    SUBCASE("an inside point above every agreement and every option: refused, not 'talks fail'") {
      // Options (0.1, 0.2) below the inside values (0.6, 0.6): both are better off talking for
      // ever than with any agreement or with their options, which the bargain has no outcome
      // for. The talks failed, paying (0.1, 0.2), less than either gets by staying.
      problem.inside = {0.6, 0.6};
      problem.disagreement = {0.1, 0.2};
      CHECK_THROWS_WITH_AS(SolveAgreement(problem, kPie), doctest::Contains("the talks would go on for ever"),
                           ValidationError);
      // Options equal to the inside values (0.5, 0.5, which x = 0.5 meets): breaking off costs
      // nobody anything; the talks fail, paying what the agreement would.
      problem.inside = {0.5, 0.5};
      problem.disagreement = {0.5, 0.5};
      AgreementResult equal = SolveAgreement(problem, kPie);
      CHECK_FALSE(equal.agreement_possible);
      CHECK(equal.payoffs == Vector{0.5, 0.5});
    }
    SUBCASE("an inside point on the frontier: the agreement that pays it") {
      // Inside (0.5, 0.5), options (0.1, 0.2): x = 0.5 pays both their inside values, no more;
      // it is the limit of the split as the inside point rises to it, and was refused as talks
      // that would go on for ever (a sweep over the inside point stopped there). Above the
      // frontier by rounding alone (1e-10), the same.
      problem.disagreement = {0.1, 0.2};
      for (double inside : {0.5, 0.5 + 1e-10}) {
        CAPTURE(inside);
        problem.inside = {inside, inside};
        AgreementResult on = SolveAgreement(problem, kPie);
        REQUIRE(on.agreement_possible);
        CHECK(on.payoffs[0] == doctest::Approx(0.5).epsilon(1e-12));
        CHECK(on.payoffs[1] == doctest::Approx(0.5).epsilon(1e-12));
      }
      problem.inside = {0.5 + 1e-6, 0.5 + 1e-6};  // above it: refused
      CHECK_THROWS_WITH_AS(SolveAgreement(problem, kPie), doctest::Contains("the talks would go on for ever"),
                           ValidationError);
    }
    SUBCASE("with alternating offers: 0.9, 0.9 gives 1/1.9 inside; an option of 0.6 binds") {
      problem.protocol = Protocol::kAlternating;
      problem.alternating.discount = {0.9, 0.9};
      problem.disagreement = {0, 0.6};
      AgreementResult result = SolveAgreement(problem, kPie);
      CHECK(result.payoffs[1] == doctest::Approx(0.6).epsilon(1e-12));
      CHECK(result.outside_binds == std::vector<bool>{false, true});
    }
    SUBCASE("`inside` is required") {
      problem.inside.clear();
      CHECK_THROWS_WITH_AS(SolveAgreement(problem, kPie), doctest::Contains("`inside`"), ValidationError);
    }
  }

  TEST_CASE("outside options with three parties: one binds, the other two split the rest") {
    // A pie among three: x, y in [0, 1] with x + y <= 1, u = (x, y, 1 - x - y), split from
    // inside = 0 by the symmetric Nash solution: (1/3, 1/3, 1/3).
    AgreementProblem problem;
    problem.issues = {Range("x", 0, 1), Range("y", 0, 1)};
    problem.constraints = {{"x + y <= 1", [](const Vector& x) { return x[0] + x[1] - 1; }}};
    ShownAffine(problem);
    problem.rule = DisagreementRule::kOutside;
    problem.inside = {0, 0, 0};
    UtilityOracle three = [](const Vector& x, Vector* u) { *u = {x[0], x[1], 1 - x[0] - x[1]}; };
    SUBCASE("an option of 0.5 beats the share 1/3: exactly 0.5, the others (1 - 0.5)/2 each") {
      problem.disagreement = {0.5, 0, 0};
      AgreementResult result = SolveAgreement(problem, three, kSearch);
      CHECK(std::abs(result.payoffs[0] - 0.5) < 1e-12);
      CHECK(std::abs(result.payoffs[1] - 0.25) < 1e-12);
      CHECK(std::abs(result.payoffs[2] - 0.25) < 1e-12);
      CHECK(result.outside_binds == std::vector<bool>{true, false, false});
      CHECK(result.optimality == Optimality::kExact);
    }
    SUBCASE("an option of 0.3 is below the share 1/3: the equal split stands") {
      problem.disagreement = {0.3, 0, 0};
      AgreementResult result = SolveAgreement(problem, three, kSearch);
      for (double u : result.payoffs) CHECK(std::abs(u - 1.0 / 3) < 1e-12);
      CHECK(result.outside_binds == std::vector<bool>{false, false, false});
    }
    SUBCASE("what is left cannot beat the others' inside values: they split it from their options") {
      // Inside (0, 0.3, 0.3): the equal split of the gains, 0.4 / 3 each, gives the first
      // 0.133 < 0.5, its option, which binds. The 0.5 left cannot give the other two more than
      // 0.3 each, so they split it from their options (0, 0): 0.25 each.
      problem.inside = {0, 0.3, 0.3};
      problem.disagreement = {0.5, 0, 0};
      AgreementResult result = SolveAgreement(problem, three, kSearch);
      REQUIRE(result.agreement_possible);
      CHECK(std::abs(result.payoffs[0] - 0.5) < 1e-12);
      CHECK(std::abs(result.payoffs[1] - 0.25) < 1e-12);
      CHECK(std::abs(result.payoffs[2] - 0.25) < 1e-12);
      CHECK(result.outside_binds == std::vector<bool>{true, false, false});
    }
    SUBCASE("a party that cannot get more than its option binds, and the rest goes to the others") {
      // u = (1 - x - y, x, y) with y at most 0.1, options (0.5, 0, 0.1), inside (0, 0.5, 0): the
      // split from inside, (0.2, 0.7, 0.1), leaves A below 0.5, which binds; the 0.5 left cannot
      // beat B's and C's inside values, nor their options (C can get no more than 0.1, its
      // option), so C binds too and B gets the rest: (0.5, 0.4, 0.1). The agreement meeting
      // every option best for A, (0.9, 0, 0.1), was taken instead, A "bound" at 0.9.
      problem.issues = {Range("x", 0, 1), Range("y", 0, 0.1)};
      UtilityOracle capped = [](const Vector& x, Vector* u) { *u = {1 - x[0] - x[1], x[0], x[1]}; };
      problem.inside = {0, 0.5, 0};
      problem.disagreement = {0.5, 0, 0.1};
      AgreementResult result = SolveAgreement(problem, capped, kSearch);
      REQUIRE(result.agreement_possible);
      CHECK(std::abs(result.payoffs[0] - 0.5) < 1e-12);
      CHECK(std::abs(result.payoffs[1] - 0.4) < 1e-12);
      CHECK(std::abs(result.payoffs[2] - 0.1) < 1e-12);
      CHECK(result.outside_binds == std::vector<bool>{true, false, true});
    }
    SUBCASE("an inside point above every agreement: the party whose option beats it binds") {
      // Inside (0.1, 0.5, 0.5) sums to 1.1: no agreement gives all three more. A's option 0.2
      // beats its inside value; B's and C's (0) do not. A binds at 0.2, and B and C cannot both
      // beat 0.5 with the 0.8 left, so they split it from their options: 0.4 each.
      problem.inside = {0.1, 0.5, 0.5};
      problem.disagreement = {0.2, 0, 0};
      AgreementResult result = SolveAgreement(problem, three, kSearch);
      REQUIRE(result.agreement_possible);
      CHECK(std::abs(result.payoffs[0] - 0.2) < 1e-12);
      CHECK(std::abs(result.payoffs[1] - 0.4) < 1e-12);
      CHECK(std::abs(result.payoffs[2] - 0.4) < 1e-12);
      CHECK(result.outside_binds == std::vector<bool>{true, false, false});
    }
    SUBCASE("a second option binds once the first has: (0.5, 0.3, 1 - 0.8)") {
      // After the first binds the second's share is 0.25 < 0.3, so it binds too and the
      // third gets what is left, 0.2.
      problem.disagreement = {0.5, 0.3, 0};
      AgreementResult result = SolveAgreement(problem, three, kSearch);
      CHECK(std::abs(result.payoffs[0] - 0.5) < 1e-12);
      CHECK(std::abs(result.payoffs[1] - 0.3) < 1e-12);
      CHECK(std::abs(result.payoffs[2] - 0.2) < 1e-12);
      CHECK(result.outside_binds == std::vector<bool>{true, true, false});
    }
  }
}

}  // namespace
}  // namespace parley::bargaining
