// One path for agreements over issues: `parley bargain --issue/--utility` and a scenario's
// bargain stage hand the same problem (bargaining::AgreementProblem) to one solver, which uses
// the exact hull method when the payoffs are affine and the numerical search otherwise.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

#include "solver/bargaining/agreement.h"
#include "solver/bargaining/agreement_space.h"
#include "solver/bargaining/concepts.h"
#include "solver/model/error.h"
#include "solver/report/agreement_text.h"
#include "solver/scenario/scenario.h"
#include "tests/test_util.h"

namespace parley::bargaining {
namespace {

// u = (4x, 2 - 2x), x in [0, 1], d = (1, 0). Closed forms:
//   Nash: maximise log(4x - 1) + log(2 - 2x): 4/(4x - 1) = 2/(2 - 2x) -> 8 - 8x = 8x - 2
//         -> x = 5/8, u = (5/2, 3/4).
//   egalitarian: 4x - 1 = 2 - 2x -> x = 1/2, u = (2, 1).
//   utilitarian: 4x + 2 - 2x = 2 + 2x is largest at x = 1, u = (4, 0) (u2 = d2 is allowed).
//   ideal: u1 <= 4 (x = 1); u2 with u1 >= 1, i.e. x >= 1/4: 2 - 1/2 = 3/2.
constexpr double kNashX = 5.0 / 8, kEgalitarianX = 0.5;

const char* kSplitScenario = R"(title: split
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        x: {from: 0, to: 1}
      disagreement: [1, 0]
payoffs:
  A: if(deal == agree, 4*x, 1)
  B: if(deal == agree, 2 - 2*x, 0)
)";

AgreementProblem Split() {
  AgreementProblem problem;
  AgreementIssue x;
  x.name = "x";
  problem.issues = {x};
  problem.disagreement = {1, 0};
  // The oracles the tests pair with it are affine in x: the caller says so, as a scenario's
  // formula analysis does (the solver no longer concludes affinity from values).
  problem.affine = [](const Vector&) { return true; };
  return problem;
}

TEST_SUITE("bargaining.agreement") {
  TEST_CASE("affine payoffs: the exact method, the same answer from every entry point") {
    UtilityOracle affine = [](const Vector& x, Vector* u) { *u = {4 * x[0], 2 - 2 * x[0]}; };
    AgreementResult direct = SolveAgreement(Split(), affine);
    REQUIRE(direct.agreement_possible);
    CHECK(direct.issue_values[0] == doctest::Approx(kNashX));
    CHECK(direct.payoffs[0] == doctest::Approx(2.5));
    CHECK(direct.payoffs[1] == doctest::Approx(0.75));
    CHECK(direct.result.ideal[1] == doctest::Approx(1.5));
    CHECK(report::AgreementText(direct) == std::vector<std::string>{"x 0.625"});

    // The command line's agreement space goes the same way: exact, not the grid.
    AgreementSpace space{{{"x", 0.0, 1.0}}, {"4*x", "2 - 2*x"}};
    Result cli = SolveAgreementSpace(space, {1, 0}, Request{});
    const Solution* nash = cli.Find(Concept::kNash);
    REQUIRE(nash != nullptr);
    CHECK(nash->precision == Precision::kExact);
    CHECK(nash->issues[0] == doctest::Approx(kNashX));
    CHECK(nash->lottery.empty());  // one agreement, not a lottery over the box's corners
    CHECK(cli.Find(Concept::kEgalitarian)->issues[0] == doctest::Approx(kEgalitarianX));
    CHECK(cli.Find(Concept::kUtilitarian)->payoffs[0] == doctest::Approx(4));

    // And the scenario's bargain stage.
    auto scenario = scenario::ReadScenario(kSplitScenario, "split.yaml", {});
    REQUIRE(scenario->bargains.size() == 1);
    const AgreementResult& step = scenario->bargains[0].step;
    CHECK(step.issue_values[0] == doctest::Approx(kNashX));
    for (std::size_t i = 0; i < 2; ++i) {
      CHECK(step.payoffs[i] == doctest::Approx(nash->payoffs[i]).epsilon(1e-12));
      CHECK(step.payoffs[i] == doctest::Approx(direct.payoffs[i]).epsilon(1e-12));
    }
    // Every concept side by side agrees with the command line's.
    for (const Solution& s : step.result.solutions) {
      const Solution* same = cli.Find(s.concept_kind);
      REQUIRE(same != nullptr);
      CHECK(s.payoffs[0] == doctest::Approx(same->payoffs[0]).epsilon(1e-12));
      CHECK(s.payoffs[1] == doctest::Approx(same->payoffs[1]).epsilon(1e-12));
    }
  }

  TEST_CASE("payoffs not affine: the search when allowed (with its precision), refused otherwise") {
    // u = (sqrt x, 1 - x), d = 0: Nash maximises 0.5 log x + log(1 - x): 1/(2x) = 1/(1 - x)
    // -> x = 1/3.
    UtilityOracle curved = [](const Vector& x, Vector* u) { *u = {std::sqrt(x[0]), 1 - x[0]}; };
    AgreementProblem problem = Split();
    problem.affine = nullptr;  // not shown affine (it is not)
    problem.disagreement = {0, 0};
    AgreementResult searched = SolveAgreement(problem, curved, AgreementMethod::kExactOrSearch);
    CHECK(searched.issue_values[0] == doctest::Approx(1.0 / 3).epsilon(1e-6));
    const Solution* nash = searched.result.Find(Concept::kNash);
    REQUIRE(nash != nullptr);
    CHECK(nash->precision == Precision::kKktPoint);
    CHECK_THROWS_WITH_AS(SolveAgreement(problem, curved, AgreementMethod::kExact),
                         doctest::Contains("not linear in the bargain's continuous issues (x)"),
                         ValidationError);
    // A scenario keeps the refusal.
    std::string text = kSplitScenario;
    text.replace(text.find("4*x"), 3, "sqrt(x)");
    CHECK_THROWS_WITH_AS(scenario::ReadScenario(text, "split.yaml", {}),
                         doctest::Contains("not linear"), Error);
    // More than 12 continuous issues (4096 corners) are beyond the hull method.
    AgreementProblem wide = Split();
    wide.issues.assign(13, wide.issues[0]);
    UtilityOracle sum = [](const Vector& x, Vector* u) { *u = {x[0], 1 - x[0]}; };
    CHECK_THROWS_WITH_AS(SolveAgreement(wide, sum, AgreementMethod::kExact),
                         doctest::Contains("more than 12 continuous issues"), ValidationError);
  }

  TEST_CASE("no agreement beats d: talks fail in a scenario, a message on the command line") {
    // u = (x, 1 - x) from d = (0.6, 0.6): x >= 0.6 and x <= 0.4 at once, impossible.
    UtilityOracle line = [](const Vector& x, Vector* u) { *u = {x[0], 1 - x[0]}; };
    AgreementProblem problem = Split();
    problem.disagreement = {0.6, 0.6};
    AgreementResult failed = SolveAgreement(problem, line);
    CHECK_FALSE(failed.agreement_possible);
    CHECK(failed.payoffs == Vector{0.6, 0.6});
    CHECK(report::AgreementText(failed)[0].find("talks fail") != std::string::npos);
    AgreementSpace space{{{"x", 0.0, 1.0}}, {"x", "1 - x"}};
    CHECK_THROWS_WITH_AS(SolveAgreementSpace(space, {0.6, 0.6}, Request{}),
                         doctest::Contains("no gain to share"), ValidationError);
  }

  TEST_CASE("the egalitarian point over issues cut by a constraint is Pareto-optimal") {
    // u = (10x - y, x - y) on [0, 1]^2 with 10x - y <= 1, d = (0, -5). The cut polygon is
    // (0, 0), (1, 0.1) at x = 0.1, y = 0, (1, -0.8) at x = 0.2, y = 1, and (-1, -1); its one
    // Pareto point (1, 0.1) dominates the rest. Equal gains t = u1 = u2 + 5 reach t = 1 on the
    // edge u1 = 1, where the Pareto refinement gives (1, 0.1). Parley gave (1, -0.636) at
    // x = 2/11, y = 9/11: the cut points' rounding made that edge a frontier edge.
    // Second case: u = (-1 + 3x + y, 5 + 2x - 2y), x in [-5, 2], y in [-3, 4], 3x + y <= 2,
    // d = (0, 1): u1 <= 1 on the cut, where u2 = 5 + 2x - 2(2 - 3x) = 1 + 8x is largest at
    // y = -3, x = 5/3: (1, 43/3). Parley gave (1, 2).
    struct Case {
      const char* options;
      double u1, u2;
    };
    for (const Case& c : {Case{"--issue x=0:1 --issue y=0:1 --utility 10*x-y --utility x-y --constraint '10*x-y <= 1' "
                               "--disagreement 0,-5",
                               1, 0.1},
                          Case{"--issue x=-5:2 --issue y=-3:4 --utility -1+3*x+y --utility 5+2*x-2*y "
                               "--constraint '3*x+y <= 2' --disagreement 0,1",
                               1, 43.0 / 3},
                          Case{"--issue x=2:5 --issue y=-4:4 --utility -1+5*x-3*y --utility -3+2*x-4*y "
                               "--constraint 'x-2*y<=3' --disagreement 0,2",
                               21, 3}}) {
      CAPTURE(c.options);
      auto r = testing::RunParley(std::string("bargain ") + c.options + " --format json");
      REQUIRE(r.exit_code == 0);
      auto j = nlohmann::json::parse(r.out);
      const auto& u = j["solutions"]["egalitarian"]["payoffs"];
      CHECK(u[0].template get<double>() == doctest::Approx(c.u1).epsilon(1e-12));
      CHECK(u[1].template get<double>() == doctest::Approx(c.u2).epsilon(1e-12));
    }
  }

  TEST_CASE("units: constraints, package ties and binding are judged in the problem's own units") {
    auto NashOnly = [] {
      Request request;
      request.concepts = {Concept::kNash};
      return request;
    };
    // A constraint written in units of 1e-13 is the same constraint: 1e-13 x <= 0.3e-13 is
    // x <= 0.3, and Nash over u = (x, 1 - x) from 0 is then x = 0.3 (0.5 unconstrained). The
    // cut's and the binding test's tolerances were 1e-12 of max(1, |x|): the constraint was
    // ignored (x = 0.5) and reported binding.
    for (const char* c : {"x <= 0.3", "1e-13*x <= 0.3e-13", "1e13*x <= 0.3e13"}) {
      CAPTURE(c);
      AgreementSpace space{{{"x", 0.0, 1.0}}, {"x", "1-x"}};
      Result r = SolveAgreementSpace(space, {0, 0}, NashOnly(), {c});
      REQUIRE(r.solutions.size() == 1);
      CHECK(r.solutions[0].issues[0] == doctest::Approx(0.3).epsilon(1e-12));
      CHECK(r.solutions[0].method.find(std::string("binding: ") + c) != std::string::npos);
    }
    for (const char* c : {"x <= 0.9", "1e-13*x <= 0.9e-13"}) {
      CAPTURE(c);
      AgreementSpace space{{{"x", 0.0, 1.0}}, {"x", "1-x"}};
      Result r = SolveAgreementSpace(space, {0, 0}, NashOnly(), {c});
      CHECK(r.solutions[0].issues[0] == doctest::Approx(0.5).epsilon(1e-12));
      CHECK(r.solutions[0].method.find("binding") == std::string::npos);
    }
    // Two packages, u = s (x, 1 - x) and s (x, 0.9999 (1 - x)): egalitarian gains s/2 and
    // s 0.9999/1.9999, apart by 2.5e-5 s. At s = 1e-9 that is 2.5e-14, which an absolute
    // tolerance of 1e-12 called a tie between the packages (when lotteries between them are
    // not allowed); it is none at any s.
    for (double scale : {1.0, 1e-9}) {
      CAPTURE(scale);
      AgreementProblem problem = Split();
      problem.disagreement = {0, 0};
      AgreementIssue deal;
      deal.name = "deal";
      deal.discrete = true;
      deal.labels = {"a", "b"};
      deal.values = {0, 1};
      problem.issues.push_back(deal);
      problem.all_concepts = false;
      problem.concept_kind = Concept::kEgalitarian;
      problem.lotteries = false;  // the best single package
      UtilityOracle u = [scale](const Vector& x, Vector* out) {
        *out = {scale * x[0], scale * (x[1] == 0 ? 1.0 : 0.9999) * (1 - x[0])};
      };
      AgreementResult r = SolveAgreement(problem, u);
      const Solution* egalitarian = r.result.Find(Concept::kEgalitarian);
      REQUIRE(egalitarian != nullptr);
      CHECK(egalitarian->ties.empty());
      CHECK(r.issue_values[1] == 0);
      CHECK(r.payoffs[0] == doctest::Approx(0.5 * scale).epsilon(1e-12));
    }
  }

  TEST_CASE("Nash between packages: a tie within the tolerance is still decided by the product") {
    // Package a: u = (x, (1 - 4e-13)(1 - x)), package b: u = (x, 1 - x), d = 0, no lotteries
    // between them. Both Nash points are x = 1/2; the products are (1 - 4e-13)/4 and 1/4, so
    // b is better by 4e-13 in the log product: within the 1e-12 under which packages are
    // listed as tied, but a real difference (rounding is about 1e-16 here). The first
    // package listed (a) was chosen.
    AgreementProblem problem = Split();
    problem.disagreement = {0, 0};
    AgreementIssue deal;
    deal.name = "deal";
    deal.discrete = true;
    deal.labels = {"a", "b"};
    deal.values = {0, 1};
    problem.issues.push_back(deal);
    problem.all_concepts = false;
    problem.concept_kind = Concept::kNash;
    problem.lotteries = false;
    UtilityOracle u = [](const Vector& x, Vector* out) {
      *out = {x[0], (x[1] == 0 ? 1 - 4e-13 : 1.0) * (1 - x[0])};
    };
    AgreementResult r = SolveAgreement(problem, u);
    const Solution* nash = r.result.Find(Concept::kNash);
    REQUIRE(nash != nullptr);
    CHECK(nash->ties.size() == 2);  // listed as tied
    CHECK(r.issue_values[1] == 1);  // and b chosen
    CHECK(r.payoffs[1] == 0.5);
  }

  TEST_CASE("the concept table: unique keys, names read back, display names") {
    std::set<std::string> keys;
    for (const ConceptInfo& info : ConceptTable()) {
      CHECK(keys.insert(info.key).second);
      Concept parsed = Concept::kNash;
      REQUIRE(ParseConcept(info.key, &parsed));
      CHECK(parsed == info.kind);
      CHECK(ToString(info.kind) == info.key);
    }
    CHECK(AllConcepts().size() == ConceptTable().size());
    Solution weighted;
    weighted.concept_kind = Concept::kUtilitarian;
    weighted.weighted = true;
    CHECK(DisplayName(weighted) == "Weighted utilitarian");
    CHECK(SolutionKey(weighted) == "weighted_utilitarian");
    // Scores: Nash is -inf below d; KS reads the ideal point. u = (3, 2), d = (1, 1),
    // ideal (5, 3): Nash log 2 + log 1; KS min(2/4, 1/2) = 1/2; egalitarian min(2, 1) = 1.
    Vector u{3, 2}, d{1, 1}, ideal{5, 3}, w{1, 1};
    CHECK(ConceptScore(Concept::kNash, u, d, ideal, w) == doctest::Approx(std::log(2.0)));
    CHECK(ConceptScore(Concept::kNash, {1, 2}, d, ideal, w) == -INFINITY);
    CHECK(ConceptScore(Concept::kKalaiSmorodinsky, u, d, ideal, w) == doctest::Approx(0.5));
    CHECK(ConceptScore(Concept::kEgalitarian, u, d, ideal, w) == doctest::Approx(1));
    CHECK(ConceptScore(Concept::kUtilitarian, u, d, ideal, {2, 1}) == doctest::Approx(8));
  }
}

TEST_SUITE("bargaining") {
  TEST_CASE("parley bargain --issue and a scenario bargain stage give the same agreement") {
    auto r = testing::RunParley(
        "bargain --issue x=0:1 --utility '4*x' --utility '2 - 2*x' --disagreement 1,0 --format json");
    REQUIRE(r.exit_code == 0);
    auto json = nlohmann::json::parse(r.out);
    // The closed forms at the top of this file.
    CHECK(json["solutions"]["nash"]["issues"]["x"].get<double>() == doctest::Approx(kNashX));
    CHECK(json["solutions"]["nash"]["precision"] == "exact");
    CHECK(json["solutions"]["egalitarian"]["issues"]["x"].get<double>() == doctest::Approx(kEgalitarianX));
    auto scenario = scenario::ReadScenario(kSplitScenario, "split.yaml", {});
    const AgreementResult& step = scenario->bargains[0].step;
    CHECK(json["solutions"]["nash"]["payoffs"][0].get<double>() == doctest::Approx(step.payoffs[0]).epsilon(1e-12));
    CHECK(json["solutions"]["nash"]["payoffs"][1].get<double>() == doctest::Approx(step.payoffs[1]).epsilon(1e-12));
  }
}

}  // namespace
}  // namespace parley::bargaining
