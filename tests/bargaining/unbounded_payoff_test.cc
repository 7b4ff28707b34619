// Payoffs that are not finite, or beyond the 1e12 that bargaining handles, at an agreement the
// nonlinear method evaluates: refused, naming the utility and the issue values, never searched
// towards and reported. 1/x on [0, 1] gave every concept as "best found", player 1 getting up
// to 1.4e17 at x = 7e-18.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "solver/bargaining/agreement.h"
#include "solver/bargaining/agreement_space.h"
#include "solver/model/error.h"
#include "tests/bargaining/bargaining_test_util.h"

namespace parley::bargaining {
namespace {

TEST_SUITE("bargaining") {
  TEST_CASE("unbounded payoffs: 1/x on [0, 1] is refused at x = 0, where it is not finite") {
    AgreementSpace space{{{"x", 0.0, 1.0}}, {"1/x", "1-x"}};
    CHECK_THROWS_WITH_AS(SolveAgreementSpace(space, {0, 0}, Request{}),
                         "the utility of player 1 \"1/x\" is not finite (it is inf) at x = 0; bargaining "
                         "handles payoffs up to 1e+12 in magnitude: make it finite and bounded by that on the "
                         "issues' ranges (narrow a range, rescale the units or change the formula)",
                         ValidationError);
    // One concept alone, or another player's utility, the same.
    CHECK_THROWS_WITH_AS(SolveAgreementSpace(space, {0, 0}, Concept::kKalaiSmorodinsky),
                         doctest::Contains("\"1/x\" is not finite (it is inf) at x = 0;"), ValidationError);
    AgreementSpace second{{{"x", 0.0, 1.0}}, {"x", "log(x)"}};
    CHECK_THROWS_WITH_AS(SolveAgreementSpace(second, {0, -5}, Request{}),
                         doctest::Contains("the utility of player 2 \"log(x)\" is not finite (it is -inf) at x = 0;"),
                         ValidationError);
    // Not a number (sqrt of a negative) is not finite either: it was skipped as infeasible.
    AgreementSpace nan{{{"x", -1.0, 1.0}}, {"sqrt(x)", "1-x"}};
    CHECK_THROWS_WITH_AS(SolveAgreementSpace(nan, {0, 0}, Request{}),
                         doctest::Contains("\"sqrt(x)\" is not finite (it is nan) at x = -1;"), ValidationError);
  }

  TEST_CASE("unbounded payoffs: finite at every sample but beyond 1e12 is refused too") {
    // 1/x on [1e-300, 1]: finite everywhere, 1e300 at the sampled bound.
    AgreementSpace space{{{"x", 1e-300, 1.0}}, {"1/x", "1-x"}};
    CHECK_THROWS_WITH_AS(SolveAgreementSpace(space, {0, 0}, Request{}),
                         doctest::Contains("the utility of player 1 \"1/x\" is 1e+300 at x = 1e-300; "
                                           "bargaining handles payoffs up to 1e+12 in magnitude"),
                         ValidationError);
    // Within the range it is a bargain like any other: 1/x on [1e-6, 1] is at most 1e6.
    // Utilitarian: 1/x + 1 - x is largest at x = 1e-6: u = (1e6, 1 - 1e-6).
    AgreementSpace bounded{{{"x", 1e-6, 1.0}}, {"1/x", "1-x"}};
    const Solution utilitarian = SolveAgreementSpace(bounded, {0, 0}, Concept::kUtilitarian);
    CHECK(utilitarian.issues[0] == doctest::Approx(1e-6).epsilon(1e-9));
    CHECK(utilitarian.payoffs[0] == doctest::Approx(1e6).epsilon(1e-9));
  }

  TEST_CASE("unbounded payoffs: beyond 1e12 only where the search goes, refused there") {
    // Seven issues: the samples are 2000 random points, none of which comes within 1e-12 of
    // x1 = 0 (1/x1 is at most about 1e4 at them); the search for player 1's ideal point goes
    // there, and 1/x1 exceeds 1e12 on the way.
    AgreementSpace space;
    space.issues = {{"x1", 1e-300, 1.0}};
    for (int k = 2; k <= 7; ++k) space.issues.push_back({"x" + std::to_string(k), 0.0, 1.0});
    space.utilities = {"1/x1 + 0*(x2+x3+x4+x5+x6+x7)", "1-x1"};
    CHECK_THROWS_WITH_AS(SolveAgreementSpace(space, {0, 0}, Request{}),
                         doctest::Contains("the utility of player 1 \"1/x1 + 0*(x2+x3+x4+x5+x6+x7)\" is "),
                         ValidationError);
  }

  TEST_CASE("unbounded payoffs: a point the constraints exclude is no agreement, and is not refused") {
    // 1/x on [0, 1] with x >= 0.5: at most 2 where the constraint holds. Nash maximises
    // log(1/x) + log(1 - x), decreasing in x: x = 0.5, u = (2, 0.5).
    AgreementSpace space{{{"x", 0.0, 1.0}}, {"1/x", "1-x"}};
    Request request;
    request.concepts = {Concept::kNash};
    const Result result = SolveAgreementSpace(space, {0, 0}, request, {"x >= 0.5"});
    REQUIRE(result.solutions.size() == 1);
    CHECK(result.solutions[0].issues[0] == doctest::Approx(0.5).epsilon(1e-9));
    CHECK(result.solutions[0].payoffs[0] == doctest::Approx(2).epsilon(1e-9));
    // Where the constraints allow the pole, it is refused, and the message says so.
    CHECK_THROWS_WITH_AS(SolveAgreementSpace(space, {0, 0}, request, {"x <= 0.5"}),
                         doctest::Contains("bounded by that on the agreements the issues' ranges and constraints allow"),
                         ValidationError);
  }

  TEST_CASE("an error of the caller's utility oracle passes through the search (NLopt's runs too)") {
    // u = (sqrt x, 1 - x): Nash at x = 1/3, which no sample hits (the grid's nearest is
    // 666/1999). The oracle throws the first time it is asked about a point within 1e-6 of
    // 1/3, which only SLSQP's iterates are: NLopt turned the exception into a failure code,
    // the search went on from the last iterate and reported the agreement.
    AgreementProblem problem;
    problem.issues = {Range("x", 0, 1)};
    problem.disagreement = {0, 0};
    problem.all_concepts = false;
    problem.concept_kind = Concept::kNash;
    bool thrown = false;
    UtilityOracle utility = [&thrown](const Vector& x, Vector* u) {
      if (!thrown && std::abs(x[0] - 1.0 / 3) < 1e-6) {
        thrown = true;
        throw ValidationError("refused by the caller");
      }
      *u = {std::sqrt(x[0]), 1 - x[0]};
    };
    CHECK_THROWS_WITH_AS(SolveAgreement(problem, utility, AgreementMethod::kExactOrSearch), "refused by the caller",
                         ValidationError);
    CHECK(thrown);
  }
}

}  // namespace
}  // namespace parley::bargaining
