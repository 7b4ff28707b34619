// The exact (hull) method only where the payoffs are shown affine from their formulas, and
// the payoffs of players not at the table at the ends of a tie.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "solver/bargaining/agreement.h"
#include "solver/bargaining/agreement_space.h"
#include "solver/model/error.h"
#include "solver/scenario/scenario.h"
#include "tests/test_util.h"

namespace parley::bargaining {
namespace {

// Seller gets price plus a bonus of 4 for a price in [6, 8], Buyer 10 - price, d = (0, 0).
// The three interior points that used to stand for a proof of affinity (price 5, 3, 9) miss
// the bonus, and the corners (0, 10) and (10, 0) span the segment u1 + u2 = 10: the hull
// method answered price 5, payoffs (5, 5), product 25, "exact". At price 6 the payoffs are
// (6 + 4, 10 - 6) = (10, 4), product 40 and total 14.
const char* kKink = R"(title: kink
players: [Seller, Buyer]
stages:
  - name: deal
    bargain:
      issues:
        price: {from: 0, to: 10}
payoffs:
  Seller: if(deal == agree, price + if(price >= 6 and price <= 8, 4, 0), 0)
  Buyer: if(deal == agree, 10 - price, 0)
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST_SUITE("bargaining.affinity") {
  TEST_CASE("a payoff that jumps between the probe points: refused in a scenario, at the stage") {
    // The refusal names the stage's file:line:col (the bargain at line 6, column 7) and the
    // issue; before, the bargain was solved at price 5 and called exact.
    for (const char* seller : {"price + if(price >= 6 and price <= 8, 4, 0)", "rint(price)"}) {
      CAPTURE(seller);
      const std::string text =
          Replace(kKink, "price + if(price >= 6 and price <= 8, 4, 0)", seller);
      CHECK_THROWS_WITH_AS(scenario::ReadScenario(text, "kink.yaml", {}),
                           doctest::Contains("kink.yaml:6:7: bargain 'deal'"), Error);
      CHECK_THROWS_WITH_AS(scenario::ReadScenario(text, "kink.yaml", {}),
                           doctest::Contains("not linear in the bargain's continuous issues (price), or not shown to be"),
                           Error);
    }
  }

  TEST_CASE("a payoff that jumps: parley bargain searches and never says exact") {
    // The nonlinear method over the same payoffs: Nash's best is at the bonus's edge, price 6,
    // product 10 * 4 = 40 (25 was the hull's answer; the product is below 40 elsewhere: on
    // [6, 8] (p + 4)(10 - p) falls from 40, off it p (10 - p) <= 25).
    AgreementSpace space{{{"price", 0.0, 10.0}}, {"price + if(price >= 6 and price <= 8, 4, 0)", "10 - price"}};
    Result r = SolveAgreementSpace(space, {0, 0}, Request{});
    const Solution* nash = r.Find(Concept::kNash);
    REQUIRE(nash != nullptr);
    CHECK(nash->precision != Precision::kExact);
    CHECK(nash->payoffs[0] * nash->payoffs[1] == doctest::Approx(40).epsilon(1e-6));
    CHECK(nash->issues[0] == doctest::Approx(6).epsilon(1e-6));
    // rint(price) (6 at price 5.5, product 6 * 4.5 = 27 > 25): searched too, not exact.
    AgreementSpace rounded{{{"price", 0.0, 10.0}}, {"rint(price)", "10 - price"}};
    Result rr = SolveAgreementSpace(rounded, {0, 0}, Request{});
    for (const Solution& s : rr.solutions) CHECK(s.precision != Precision::kExact);
    // The same affine payoffs written plainly are shown affine: exact, price 5 (5 * 5 = 25 on
    // u1 + u2 = 10).
    AgreementSpace plain{{{"price", 0.0, 10.0}}, {"price", "10 - price"}};
    Result exact = SolveAgreementSpace(plain, {0, 0}, Request{});
    CHECK(exact.Find(Concept::kNash)->precision == Precision::kExact);
    CHECK(exact.Find(Concept::kNash)->issues[0] == doctest::Approx(5).epsilon(1e-12));
  }

  TEST_CASE("SolveAgreement: an oracle nobody shows affine is not taken for affine") {
    // The kink as an oracle: without problem.affine the hull method is refused under kExact
    // (the old check at price 5, 3, 9 passed it), and kExactOrSearch searches.
    AgreementProblem problem;
    AgreementIssue price;
    price.name = "price";
    price.lower = 0;
    price.upper = 10;
    problem.issues = {price};
    problem.disagreement = {0, 0};
    UtilityOracle kink = [](const Vector& x, Vector* u) {
      *u = {x[0] + (x[0] >= 6 && x[0] <= 8 ? 4.0 : 0.0), 10 - x[0]};
    };
    CHECK_THROWS_WITH_AS(SolveAgreement(problem, kink), doctest::Contains("not linear"), ValidationError);
    AgreementResult searched = SolveAgreement(problem, kink, AgreementMethod::kExactOrSearch);
    CHECK(searched.optimality != Optimality::kExact);
    CHECK(searched.payoffs[0] * searched.payoffs[1] == doctest::Approx(40).epsilon(1e-6));
    // With the caller's word for it (a scenario's formula analysis gives it), the hull method.
    problem.affine = [](const Vector&) { return true; };
    UtilityOracle line = [](const Vector& x, Vector* u) { *u = {x[0], 10 - x[0]}; };
    AgreementResult exact = SolveAgreement(problem, line);
    CHECK(exact.optimality == Optimality::kExact);
    CHECK(exact.issue_values[0] == doctest::Approx(5).epsilon(1e-12));
  }

  TEST_CASE("a utilitarian tie: the payoffs of a player not at the table at each end") {
    // A and B split x in [0, 10] (x and 10 - x); C, not at the table, gets 2x + 1. Every
    // split sums to 10: the ends are x = 10, (10, 0, 2*10 + 1) = (10, 0, 21), and x = 0,
    // (0, 10, 2*0 + 1) = (0, 10, 1). C's entries were its disagreement value 0.
    const char* text = R"(title: tie
players: [A, B, C]
stages:
  - name: deal
    bargain:
      parties: [A, B]
      solution: utilitarian
      issues:
        x: {from: 0, to: 10}
payoffs:
  A: if(deal == agree, x, 0)
  B: if(deal == agree, 10 - x, 0)
  C: if(deal == agree, 2*x + 1, 0)
)";
    auto s = scenario::ReadScenario(text, "tie.yaml", {});
    const AgreementResult& step = s->bargains[0].step;
    CHECK(step.optimality == Optimality::kExact);
    const Solution* utilitarian = step.result.Find(Concept::kUtilitarian);
    REQUIRE(utilitarian != nullptr);
    REQUIRE(utilitarian->ties.size() == 2);
    CHECK(utilitarian->ties[0] == Vector{10, 0, 21});
    CHECK(utilitarian->ties[1] == Vector{0, 10, 1});
    // And in parley solve's JSON.
    const std::string path = testing::WriteTempFile("tie.yaml", text);
    auto r = testing::RunParley("solve " + path + " --format json");
    REQUIRE(r.exit_code == 0);
    std::vector<nlohmann::json> ties;
    auto find = [&ties](const nlohmann::json& j, auto& self) -> void {
      if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
          if (it.key() == "ties") ties.push_back(it.value());
          self(it.value(), self);
        }
      } else if (j.is_array()) {
        for (const auto& e : j) self(e, self);
      }
    };
    find(nlohmann::json::parse(r.out), find);
    REQUIRE(!ties.empty());
    for (const auto& t : ties) CHECK(t == nlohmann::json::parse("[[10.0, 0.0, 21.0], [0.0, 10.0, 1.0]]"));
  }
}

}  // namespace
}  // namespace parley::bargaining
