// Bargain stages: answers that used to come out plausible and wrong without a word (linked
// issue ranges, variables computed after the bargain, needless lotteries, ties, a declared
// disagreement point on the breakdown branch, failed talks), each against a hand derivation.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "solver/equilibrium/solve.h"
#include "solver/model/error.h"
#include "solver/report/agreement_text.h"
#include "solver/report/bargaining_steps.h"
#include "solver/report/explain.h"
#include "solver/report/scenario_info.h"
#include "solver/scenario/scenario.h"
#include "tests/scenario/scenario_test_util.h"

namespace parley::scenario {
namespace {

using test_util::ErrorOf;
using test_util::Has;
using test_util::Payoffs;
using test_util::Read;
using test_util::With;

// A double as a formula reads it back exactly.
std::string Full(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

TEST_SUITE("scenario.bargain") {
  TEST_CASE("a range bound naming its own issue, or a linked issue, is refused at its place") {
    // Linked bounds become constraints (tests/scenario/negotiation_test.cc); a bound that
    // names its own issue would be a cycle, and one naming an issue whose range is itself
    // linked could not be set in order.
    std::string text = R"(title: linked
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        equity: {from: 0, to: 0.49}
        revenue_share: {from: 0, to: 0.2 - revenue_share/5}
      disagreement: [0, 0]
payoffs:
  A: if(deal == agree, 1 - equity - revenue_share, 0)
  B: if(deal == agree, equity + revenue_share, 0)
)";
    std::string e = ErrorOf(text);
    CHECK(Has(e, "test.yaml:8:"));  // the line of the bound
    CHECK(Has(e, "'to' of issue 'revenue_share' names the issue itself"));
    CHECK(Has(e, "constraints:"));
    std::string chain = R"(title: chain
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        a: {from: 0, to: 1}
        b: {from: 0, to: 1 - a}
        c: {from: 0, to: 1 - b}
      disagreement: [0, 0]
payoffs:
  A: if(deal == agree, 1 - a - b - c, 0)
  B: if(deal == agree, a + b + c, 0)
)";
    e = ErrorOf(chain);
    CHECK(Has(e, "test.yaml:9:"));
    CHECK(Has(e, "names issue 'b', whose own range names another issue"));
    // Parameters and computed variables in bounds stay fine.
    std::string fine = R"(title: bounds
players: [A, B]
parameters:
  cap: {value: 0.2}
stages:
  - name: prep
    compute: {half: cap / 2}
  - name: deal
    bargain:
      issues:
        share: {from: half, to: cap}
      disagreement: [0, 0]
payoffs:
  A: if(deal == agree, 1 - share, 0)
  B: if(deal == agree, share, 0)
)";
    auto s = Read(fine);
    // Nash from (0, 0) on u = (1 - s, s), s in [0.1, 0.2]: the unconstrained s = 1/2 is
    // outside, so the cap binds: s = 0.2.
    CHECK(s->bargains[0].step.issue_values[0] == doctest::Approx(0.2));
  }

  TEST_CASE("a payoff reading a variable computed after the bargain, on the agreement branch") {
    std::string text = R"(title: after
players: [A, B]
stages:
  - name: deal
    bargain:
      issues: {x: {from: 0, to: 1}}
  - name: fallout
    compute:
      penalty: 0.3
payoffs:
  A: if(deal == agree, x - penalty, 0)
  B: if(deal == agree, 1 - x, 0)
)";
    std::string e = ErrorOf(text);
    CHECK(Has(e, "test.yaml:11:"));  // the payoff of A
    CHECK(Has(e, "reads 'penalty'"));
    CHECK(Has(e, "stage 'fallout' (line 9)"));
    CHECK(Has(e, "no-deal branch"));
    CHECK(Has(e, "after_agreement"));
    // Reading it on the no-deal branch only is what the stages after a bargain are for.
    std::string fine = R"(title: after
players: [A, B]
stages:
  - name: deal
    bargain:
      issues: {x: {from: 0, to: 1}}
  - name: fallout
    compute:
      penalty: 0.3
payoffs:
  A: if(deal == agree, x, -penalty)
  B: if(deal == agree, 1 - x, 0)
)";
    auto s = Read(fine);
    // d = (-0.3, 0); Nash on u = (x, 1 - x): x + 0.3 = 1 - x, x = 0.35.
    CHECK(s->bargains[0].step.issue_values[0] == doctest::Approx(0.35));
    // An agreement that does not read it needs no probe of it: as many payoff evaluations as
    // with the variable computed before the bargain (where there is nothing to probe).
    std::string before = R"(title: after
players: [A, B]
stages:
  - name: fallout
    compute:
      penalty: 0.3
  - name: deal
    bargain:
      issues: {x: {from: 0, to: 1}}
payoffs:
  A: if(deal == agree, x, -penalty)
  B: if(deal == agree, 1 - x, 0)
)";
    auto b = Read(before);
    CHECK(b->bargains[0].step.issue_values[0] == doctest::Approx(0.35));
    CHECK(s->stats.payoff_evaluations == b->stats.payoff_evaluations);
    // Read by some packages' agreements only (plan = big): still refused.
    std::string some = With(With(fine, "issues: {x: {from: 0, to: 1}}",
                                 "issues:\n        x: {from: 0, to: 1}\n        plan: {options: [small, big]}"),
                            "A: if(deal == agree, x, -penalty)",
                            "A: if(deal == agree, x - if(plan == big, penalty, 0), -penalty)");
    e = ErrorOf(some);
    CHECK(Has(e, "reads 'penalty'"));
    CHECK(Has(e, "stage 'fallout' (line 11)"));
  }

  TEST_CASE("a single package that attains the solution is reported, not a lottery") {
    // Package a: u = (comp, 500 - comp); package b: u = (comp + 100, 400 - comp), comp in
    // [0, 500]. Both lie on u1 + u2 = 500, so the hull's frontier runs from (0, 500) (package
    // a) to (600, -100) (package b), and the Nash point from d = 0 is (250, 250). A solver
    // mixing the two ends reports "comp 0 (p 7/12) 500 (p 5/12)"; package a alone gives
    // (250, 250) at comp = 250 (package b at comp = 150), so no lottery is needed.
    std::string text = R"(title: packages
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        comp: {from: 0, to: 500}
        clause: {options: [a, b]}
      disagreement: [0, 0]
payoffs:
  A: if(deal == agree, comp + if(clause == b, 100, 0), 0)
  B: if(deal == agree, 500 - comp - if(clause == b, 100, 0), 0)
)";
    auto s = Read(text);
    const auto& step = s->bargains[0].step;
    CHECK_FALSE(step.lottery);
    CHECK(step.payoffs[0] == doctest::Approx(250));
    CHECK(step.payoffs[1] == doctest::Approx(250));
    CHECK(step.issue_values[0] == doctest::Approx(250));
    // The package's lottery hits the payoffs exactly: comp was 250.0000005 (the first feasible
    // vertex of a box 1e-9 of the scale wide), shown as 250 when terms had 6 digits.
    CHECK(step.issue_values[0] == 250);
    CHECK(parley::report::AgreementText(step)[0] == "comp 250");
    CHECK(parley::report::AgreementText(step)[1] == "clause a");
    // In JSON a discrete issue is its option's label, as in a lottery's packages (it was the
    // label's code, 1 here, which a program cannot read without the file's label order).
    const auto solved = equilibrium::Solve(*s->game, {});
    const nlohmann::json j = report::BargainingJson(*s, solved.equilibria.front());
    CHECK(j.at(0).at("agreement").at("issues").at("clause") == "a");
    CHECK(j.at(0).at("agreement").at("issues").at("comp").get<double>() == 250);
    // Every concept's terms are deterministic too: KS (ideal (500, 500)) and egalitarian
    // give (250, 250) as well.
    for (const auto& t : parley::report::SolutionAgreementText(step)) CHECK_FALSE(Has(t, "(p "));
  }

  TEST_CASE("agreed terms are written with the payoffs' digits") {
    // Nash over price in [0, 1234567] with u = (price, pie - price), d = 0: price = pie / 2 =
    // 617283.5, which is also each payoff. With 6 significant digits the terms said "price
    // 617284", a price no party agreed to, beside payoffs of 617283.5.
    auto s = Read(R"(players: [A, B]
parameters:
  pie: {value: 1234567, min: 0, max: 1e7}
stages:
  - name: deal
    bargain:
      issues:
        price: {from: 0, to: pie}
payoffs:
  A: if(deal == agree, price, 0)
  B: if(deal == agree, pie - price, 0)
)");
    const auto& step = s->bargains[0].step;
    CHECK(step.issue_values[0] == 617283.5);
    CHECK(parley::report::AgreementText(step)[0] == "price 617283.5");
    // An issue of 0 to 1e-12 agreed at its middle is 5e-13, not "0": nearness to a whole
    // number is measured against the issue's range.
    auto tiny = Read(R"(players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        s: {from: 0, to: 1e-12}
payoffs:
  A: if(deal == agree, s * 1e12, 0)
  B: if(deal == agree, 1 - s * 1e12, 0)
)");
    CHECK(parley::report::AgreementText(tiny->bargains[0].step)[0] == "s 5e-13");
  }

  TEST_CASE("a lottery that does beat every package is said so in plain words") {
    // Outcomes (4, 1) and (1, 3) as two packages, d = 0: Nash over the hull is (11/4, 11/6)
    // (7/12 and 5/12), products 121/24 > 4 = best package; no package reaches it.
    std::string text = R"(title: lottery
players: [A, B]
stages:
  - name: deal
    bargain:
      issues: {pick: {options: [first, second]}}
      disagreement: [0, 0]
payoffs:
  A: if(deal == agree, if(pick == first, 4, 1), 0)
  B: if(deal == agree, if(pick == first, 1, 3), 0)
)";
    auto s = Read(text);
    CHECK(s->bargains[0].step.lottery);
    auto steps = report::BargainingStepsFrom(*s, nullptr, 10, nullptr);
    REQUIRE(steps.size() == 1);
    CHECK(Has(steps[0].summary, "no single package gives these payoffs"));
    // In JSON no one option stands for the lottery (the mean of the options' codes, which
    // once stood there, is none of them): null, and the packages with their probabilities.
    const auto solution = equilibrium::Solve(*s->game, {});
    const nlohmann::json j = report::BargainingJson(*s, solution.equilibria.front());
    const auto& agreement = j.at(0).at("agreement");
    CHECK(agreement.at("issues").at("pick").is_null());
    REQUIRE(agreement.at("packages").size() == 2);
    CHECK(agreement["packages"][0]["issues"]["pick"] == "first");
    CHECK(agreement["packages"][0]["probability"].get<double>() == doctest::Approx(7.0 / 12));
    CHECK(agreement["packages"][1]["issues"]["pick"] == "second");
    CHECK(agreement["packages"][1]["probability"].get<double>() == doctest::Approx(5.0 / 12));
  }

  TEST_CASE("utilitarian ties between packages are flagged and broken by the Nash product") {
    // Packages (4, 1), (1, 4) and (2.5, 2.5), no lotteries, d = 0: every sum is 5, a
    // three-way tie; Nash products 4, 4 and 6.25 select (2.5, 2.5).
    std::string text = R"(title: ties
players: [A, B]
stages:
  - name: deal
    bargain:
      issues: {pick: {options: [left, right, middle]}}
      solution: utilitarian
      lotteries: false
      disagreement: [0, 0]
payoffs:
  A: if(deal == agree, if(pick == left, 4, if(pick == right, 1, 2.5)), 0)
  B: if(deal == agree, if(pick == left, 1, if(pick == right, 4, 2.5)), 0)
)";
    auto s = Read(text);
    const auto& step = s->bargains[0].step;
    CHECK(step.payoffs[0] == doctest::Approx(2.5));
    CHECK(parley::report::AgreementText(step)[0] == "pick middle");
    const auto* u = step.result.Find(bargaining::Concept::kUtilitarian);
    REQUIRE(u != nullptr);
    CHECK(u->ties.size() == 3);
    CHECK(Has(u->method, "tie"));
  }

  TEST_CASE("lotteries: false holds for alternating offers, outside options and the ideal point") {
    // Packages p1: u = (x, 1 - x) and p2: u = (2x, 0.5 - 0.5x), x in [0, 1], d = 0. The pure
    // frontier is f(a) = max(1 - a, 0.5 - a/4); its hull (lotteries) joins (0, 1) to (2, 0).
    const std::string packages = R"(title: pure
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        pkg: {options: [p1, p2]}
        x: {from: 0, to: 1}
%s      lotteries: false
%s
payoffs:
  A: if(deal == agree, if(pkg == p1, x, 2 * x), 0)
  B: if(deal == agree, if(pkg == p1, 1 - x, 0.5 - 0.5 * x), %s)
)";
    auto fill = [&](const char* bargain, const char* after, const char* no_deal) {
      std::string text = packages;
      for (const char* part : {bargain, after, no_deal}) text.replace(text.find("%s"), 2, part);
      return text;
    };
    // Rubinstein with discounts 0.9, A first: A's share a satisfies f(a) = 0.9 f(0.9 a), with
    // 0.9 a in p2's stretch (a > 2/3): 0.5 - a/4 = 0.9 (0.5 - 0.225 a), a = 0.05 / 0.0475 =
    // 1/0.95 = 1.0526315789..., B 0.5 - a/4 = 0.2368421052..., package p2 at x = a/2. Over the
    // hull (lotteries) B would get 0.4736842105, from a lottery between packages.
    {
      auto s = Read(fill("      protocol: alternating\n      discount: [0.9, 0.9]\n", "", "0"));
      const auto& step = s->bargains[0].step;
      CHECK_FALSE(step.lottery);
      // The JSON's agreement is the alternating offers' split, not the Nash solution it named.
      const auto solution = equilibrium::Solve(*s->game, {});
      CHECK(report::BargainingJson(*s, solution.equilibria.front())[0]["agreement"]["concept"] == "alternating_offers");
      CHECK(step.payoffs[0] == doctest::Approx(1 / 0.95).epsilon(1e-14));
      CHECK(step.payoffs[1] == doctest::Approx(0.5 - 0.25 / 0.95).epsilon(1e-14));
      CHECK(parley::report::AgreementText(step)[0] == "pkg p2");
      // The stationarity equations have two more solutions, each a subgame-perfect
      // equilibrium: both proposals on p1, 1 - a = 0.9 (1 - 0.9 a), a = 0.1 / 0.19 = 10/19;
      // A's on p2 and B's on p1, 0.5 - a/4 = 0.9 (1 - 0.9 a), a = 0.4 / 0.56 = 5/7 (0.9 a =
      // 0.643 < 2/3, on p1's stretch). The one best for A (20/19) is the agreement, on the
      // edge's closed form to the last bits (the bisection alone was 3 units in the last place off).
      REQUIRE(step.stationary.size() == 3);
      CHECK(step.stationary[0].first == doctest::Approx(10.0 / 19).epsilon(1e-14));
      CHECK(step.stationary[0].first == step.stationary[0].second);
      CHECK(step.stationary[1].first == doctest::Approx(5.0 / 7).epsilon(1e-14));
      CHECK(step.stationary[2].second == doctest::Approx(20.0 / 19).epsilon(1e-14));
      CHECK(std::abs(step.payoffs[0] - 20.0 / 19) <= 4.5e-16);
      CHECK(std::abs(step.payoffs[1] - (0.5 - 5.0 / 19)) <= 1.2e-16);
      bool said = false;
      for (const std::string& line : parley::report::NegotiationLines(*s, s->bargains[0]))
        said = said || (line.find("3 solutions") != std::string::npos &&
                        line.find("0.5263157895, 0.7142857143 or 1.052631579") != std::string::npos);
      CHECK(said);
    }
    // Discounts 0.5: for a in [2/3, 4/3] A's proposal is on p2 and B's (at a/2) on p1, and
    // 0.5 - a/4 = 0.5 (1 - a/2) holds for every such a: a stretch of stationary equilibria,
    // the agreement at its end best for A, (4/3, 1/6).
    {
      auto s = Read(fill("      protocol: alternating\n      discount: [0.5, 0.5]\n", "", "0"));
      const auto& step = s->bargains[0].step;
      REQUIRE(step.stationary.size() == 1);
      CHECK(step.stationary[0].first == doctest::Approx(2.0 / 3).epsilon(1e-12));
      CHECK(step.stationary[0].second == doctest::Approx(4.0 / 3).epsilon(1e-12));
      CHECK(step.payoffs[0] == doctest::Approx(4.0 / 3).epsilon(1e-12));
      CHECK(step.payoffs[1] == doctest::Approx(1.0 / 6).epsilon(1e-12));
    }
    // With lotteries the frontier is the hull's, concave: one solution, nothing listed.
    {
      std::string text = fill("      protocol: alternating\n      discount: [0.9, 0.9]\n", "", "0");
      text.replace(text.find("lotteries: false"), 16, "lotteries: true");
      auto s = Read(text);
      CHECK(s->bargains[0].step.stationary.empty());
    }
    // B's outside option 0.45 (walk away), inside point 0: Nash from (0, 0) gives B at most
    // 0.25 (p1 at x = 1/2), below 0.45, so B gets exactly 0.45 and A the best one package
    // allows: p1 with 1 - x >= 0.45, x = 0.55 (p2 needs x <= 0.1, A 0.2). Over the hull A
    // would get 1.1 from a lottery.
    {
      auto s = Read(fill("      disagreement: outside\n",
                         "  - name: walk\n    player: B\n    actions: [leave]", "0.45"));
      const auto& step = s->bargains[0].step;
      CHECK_FALSE(step.lottery);
      CHECK(step.payoffs[0] == doctest::Approx(0.55).epsilon(1e-14));
      CHECK(step.payoffs[1] == doctest::Approx(0.45).epsilon(1e-14));
      CHECK(parley::report::AgreementText(step)[0] == "pkg p1");
    }
    // Kalai-Smorodinsky over three single outcomes (4, 1), (1, 10), (2, 2.5), d = (1.5, 0): the
    // packages at least as good as d are (4, 1) and (2, 2.5), so the ideal point is (4, 2.5)
    // (8.5 for B only by a lottery of the first two); ratios min(2.5/2.5, 1/2.5) = 0.4 for
    // (4, 1) against min(0.5/2.5, 2.5/2.5) = 0.2 for (2, 2.5): (4, 1).
    std::string ks = R"(title: ks
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        pkg: {options: [p1, p2, p3]}
      lotteries: false
      solution: kalai_smorodinsky
      disagreement: [1.5, 0]
payoffs:
  A: if(pkg == p1, 4, if(pkg == p2, 1, 2))
  B: if(pkg == p1, 1, if(pkg == p2, 10, 2.5))
)";
    auto s = Read(ks);
    const auto& step = s->bargains[0].step;
    CHECK(step.result.ideal[0] == 4);
    CHECK(step.result.ideal[1] == 2.5);
    CHECK(step.payoffs[0] == 4);
    CHECK(step.payoffs[1] == 1);
  }

  TEST_CASE("a no-deal branch or an after-agreement stage that is not a subgame is refused") {
    // B's fight joins the no-deal branches after L and after R (observe: none). Each branch
    // solved on its own has B hawk after L (3 > 1) and dove after R (2 > 0), which B cannot do
    // in one information set: the old answer took d = (2, 2) (dove) after R while the solved
    // game had B hawk there, where d would be (3, 0). With breakdown 0.5 the equilibrium
    // mixes (7/16 on hawk), which no solve of a branch on its own finds.
    std::string text = R"(title: hidden
players: [A, B]
stages:
  - name: pre
    player: A
    actions: [L, R]
  - name: deal
    bargain:
      issues:
        x: {from: 0, to: 10}
  - name: fight
    player: B
    actions: [hawk, dove]
    observe: none
payoffs:
  A: if(deal == agree, x, if(pre == L, if(fight == hawk, 1, 4), if(fight == hawk, 3, 2)))
  B: if(deal == agree, 10 - x, if(pre == L, if(fight == hawk, 3, 1), if(fight == hawk, 0, 2)))
)";
    std::string e = ErrorOf(text);
    CHECK(Has(e, "test.yaml:11:"));  // the stage `fight`
    CHECK(Has(e, "no-deal branch of bargain 'deal' (after pre = L)"));
    CHECK(Has(e, "not a subgame"));
    // Observing `pre`, every branch is a subgame again: after L, B hawks, d = (1, 3) and
    // x = 1 + (10 - 4) / 2 = 4; after R, B doves, d = (2, 2) and x = 5; A takes R: (5, 5).
    std::string observed = text;
    observed.replace(observed.find("observe: none"), 13, "observe: [pre]");
    auto s = Read(observed);
    auto u = Payoffs(*s);
    CHECK(u[0] == 5);
    CHECK(u[1] == 5);
    CHECK(s->bargains.size() == 2);
    // A reviewer after the agreement who does not see `pre`: refused at its `observe`.
    std::string after = R"(title: reviewer
players: [A, B, R]
stages:
  - name: pre
    player: A
    actions: [L, M]
  - name: deal
    bargain:
      parties: [A, B]
      issues:
        x: {from: 0, to: 1}
      after_agreement:
        - name: rev
          player: R
          actions: [clear, block]
          observe: none
payoffs:
  A: if(rev == clear, x, 0)
  B: if(rev == clear, 1 - x, 0)
  R: if(rev == clear, if(pre == L, 0.7 - x, x - 0.2), 0)
)";
    e = ErrorOf(after);
    CHECK(Has(e, "test.yaml:16:"));
    CHECK(Has(e, "does not observe stage 'pre'"));
    // Nested: the fight observes the outer bargain but not `pre`, so it lies inside the outer
    // no-deal branch and joins the inner bargain's branches after L and after R. (Looking at
    // each set once for all branches let the outer branch's look hide the inner one's.)
    std::string nested = R"(title: nested
players: [A, B]
stages:
  - name: first
    bargain:
      issues:
        x: {from: 0, to: 10}
  - name: pre
    player: A
    actions: [L, R]
  - name: second
    bargain:
      issues:
        y: {from: 0, to: 10}
  - name: fight
    player: B
    actions: [hawk, dove]
    observe: [first]
payoffs:
  A: if(first == agree, x, if(second == agree, y, if(pre == L, if(fight == hawk, 1, 4), if(fight == hawk, 3, 2))))
  B: if(first == agree, 10 - x, if(second == agree, 10 - y, if(pre == L, if(fight == hawk, 3, 1), if(fight == hawk, 0, 2))))
)";
    e = ErrorOf(nested);
    CHECK(Has(e, "test.yaml:15:"));
    CHECK(Has(e, "no-deal branch of bargain 'second' (after first = no_deal > pre = L)"));
  }

  TEST_CASE("a simultaneous threat game after failed talks is said once per move") {
    // B does not see A's move: one information set of two nodes, played alike at both. A's
    // payoffs 3 (H, H), 1 (T, T), 0 otherwise, B's 1 when they differ: B mixes H 1/4, A 1/2.
    std::string text = R"(title: threats
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        x: {from: 0, to: 6}
  - name: a
    player: A
    actions: [H, T]
  - name: b
    player: B
    actions: [H, T]
    observe: none
payoffs:
  A: if(deal == agree, x, if(a == H and b == H, 3, if(a == T and b == T, 1, 0)))
  B: if(deal == agree, 6 - x, if(a != b, 1, 0))
)";
    auto s = Read(text);
    const auto solution = equilibrium::Solve(*s->game, {});
    const std::string words = report::BargainingText(*s, solution.equilibria.front());
    CHECK(Has(words, "If talks failed (the threats behind the disagreement point): A H 0.5 / T 0.5; B H 0.25 / T 0.75\n"));
  }

  TEST_CASE("alternating offers without lotteries: every stationary solution, against a brute-force scan") {
    // Packages k = 1..K with A = s_k x and B = t_k (1 - x), x in [0, 1]: segments from (0, t_k)
    // to (s_k, 0); d = 0. The frontier f(a) = max over k with s_k >= a of t_k (1 - a / s_k) falls,
    // and with A first the stationary shares x solve x = H(delta_B f(delta_A x)), H(w) the
    // largest a with f(a) >= w. Scanned on a grid of 200,001 points and each crossing bisected,
    // independently of the solver's pieces; random instances have no tangent roots. About one
    // instance in five has several.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> size(0.2, 4.0), discount(0.85, 0.99);
    int several = 0;
    for (int instance = 0; instance < 40; ++instance) {
      const int K = 2 + instance % 3;
      std::vector<double> sk(K), tk(K);
      for (int k = 0; k < K; ++k) sk[k] = size(rng), tk[k] = size(rng);
      const double da = discount(rng), db = discount(rng);
      auto f = [&](double a) {
        double best = -1;
        for (int k = 0; k < K; ++k)
          if (a <= sk[k]) best = std::max(best, tk[k] * (1 - a / sk[k]));
        return best;
      };
      auto h = [&](double w) {  // the largest a with f(a) >= w: per segment, a = s (1 - w / t)
        double best = -1;
        for (int k = 0; k < K; ++k)
          if (w <= tk[k]) best = std::max(best, sk[k] * (1 - w / tk[k]));
        return best;
      };
      const double top = *std::max_element(sk.begin(), sk.end());
      std::vector<double> roots;
      double previous = 0;
      const int n = 200000;
      auto phi = [&](double x) { return h(db * f(da * x)) - x; };
      for (int i = 0; i <= n; ++i) {
        const double x = top * i / n;
        const double here = phi(x);
        if (i > 0 && ((previous > 0) != (here > 0))) {  // a crossing: refined by bisection
          double lo = top * (i - 1) / n, hi = x;
          for (int it = 0; it < 100; ++it) {
            const double mid = 0.5 * (lo + hi);
            ((phi(mid) > 0) == (previous > 0) ? lo : hi) = mid;
          }
          roots.push_back(0.5 * (lo + hi));
        }
        previous = here;
      }
      std::string options, a_pay = "0", b_pay = "0";
      for (int k = K; k-- > 0;) {
        a_pay = "if(pkg == p" + std::to_string(k) + ", " + Full(sk[k]) + " * x, " + a_pay + ")";
        b_pay = "if(pkg == p" + std::to_string(k) + ", " + Full(tk[k]) + " * (1 - x), " + b_pay + ")";
      }
      for (int k = 0; k < K; ++k) options += (k ? ", p" : "p") + std::to_string(k);
      const std::string text = "title: scan\nplayers: [A, B]\nstages:\n  - name: deal\n    bargain:\n"
                               "      issues:\n        pkg: {options: [" + options + "]}\n        x: {from: 0, to: 1}\n"
                               "      protocol: alternating\n      discount: [" + Full(da) + ", " + Full(db) + "]\n"
                               "      lotteries: false\npayoffs:\n  A: if(deal == agree, " + a_pay +
                               ", 0)\n  B: if(deal == agree, " + b_pay + ", 0)\n";
      CAPTURE(text);
      auto sc = Read(text);
      const auto& step = sc->bargains[0].step;
      REQUIRE(!roots.empty());
      if (roots.size() == 1) {
        CHECK(step.stationary.empty());
        CHECK(step.payoffs[0] == doctest::Approx(roots[0]).epsilon(1e-9));
      } else {
        ++several;
        REQUIRE(step.stationary.size() == roots.size());
        for (std::size_t r = 0; r < roots.size(); ++r) {
          CHECK(step.stationary[r].first == step.stationary[r].second);
          CHECK(step.stationary[r].first == doctest::Approx(roots[r]).epsilon(1e-9));
        }
        CHECK(step.payoffs[0] == doctest::Approx(roots.back()).epsilon(1e-9));  // the best for A
      }
    }
    CHECK(several > 0);  // the scan meets the case it is for
  }

  TEST_CASE("stationary solutions at the frontier's jumps and ends, and with the first proposer's option") {
    auto two = [](const char* discount, const char* a_pay, const char* b_pay, const char* options,
                  const char* extra = "", const char* after = "") {
      return Read(std::string("title: t\nplayers: [A, B]\nstages:\n  - name: deal\n    bargain:\n      issues:\n"
                              "        pkg: {options: [") + options + "]}\n        x: {from: 0, to: 1}\n"
                  "      protocol: alternating\n      discount: [" + discount + "]\n      lotteries: false\n" + extra +
                  after + "payoffs:\n  A: if(deal == agree, " + a_pay + ")\n  B: if(deal == agree, " + b_pay + ")\n");
    };
    // p1 (x, 1 - x) and p2 the point (1, 1/3), discounts 0.5. At x = 2/3 the line of the stretch
    // before the jump where p2 takes over ends at 0, but the map there gives 1 (B keeps 2/3 and
    // offers A 1/3, and A takes p2): not a solution. The one solution is 1 (B's offer 1/2 -> 1/2,
    // w = 1/6, A's best p2 at 1).
    {
      auto sc = two("0.5, 0.5", "if(pkg == p1, x, 1), 0", "if(pkg == p1, 1 - x, 1/3), 0", "p1, p2");
      CHECK(sc->bargains[0].step.stationary.empty());
      CHECK(sc->bargains[0].step.payoffs[0] == doctest::Approx(1));
    }
    // A solution at the end of the range: p0 (9/4 + 7/4 x, 3/2), p1 (1/4, 1 + x), discounts
    // 0.95. x = 4 (A's ideal): B gets 3/2 at a >= 3.8, offers 1.425, A's best is 4 on p0. x =
    // 1/4: B keeps (1/4, 2), offers 1.9, only p1 gives it, A gets 1/4.
    {
      auto sc = two("0.95, 0.95", "if(pkg == p0, 9/4 + 7/4 * x, 1/4), 0", "if(pkg == p0, 3/2, 1 + x), 0", "p0, p1");
      const auto& st = sc->bargains[0].step.stationary;
      REQUIRE(st.size() == 2);
      CHECK(st[0].first == doctest::Approx(0.25));
      CHECK(st[1].first == doctest::Approx(4));
      CHECK(sc->bargains[0].step.payoffs[0] == doctest::Approx(4));
    }
    // A solution exactly at a jump, where B is left at its threat value: x = 4.75 (v = 3.75,
    // B's best with a >= 3.75 is p0's 0.5 = d_B, w = 0.5, A's best p0 at x = 1, 4.75); the other
    // is 1497/652. The agreement is the larger.
    {
      auto sc = two("0.75, 0.79", "if(pkg == p0, 2.25 + 2.5 * x, if(pkg == p1, 0.25 + 1.25 * x, 1.5 + 2.5 * x)), 0.75",
                    "if(pkg == p0, 0.5, if(pkg == p1, 1.75, 2.75 - 2.5 * x)), 0.5", "p0, p1, p2");
      const auto& st = sc->bargains[0].step.stationary;
      REQUIRE(st.size() == 2);
      CHECK(st[0].first == doctest::Approx(1497.0 / 652));
      CHECK(st[1].first == doctest::Approx(4.75));
      CHECK(sc->bargains[0].step.payoffs[0] == doctest::Approx(4.75));
    }
    // The first proposer's outside option: packages p1 (x, 1 - x), p2 (2x, 0.5 - 0.5x), discounts
    // 0.9, A's option e. At e = 0.5 it binds at the lowest solution, B offering A 0.5: 1 - x =
    // 0.9 (1 - 0.5), x = 0.55; then 5/7 and 20/19 as without it. At e = 0.65 only 20/19 is left
    // (the map's kink at x = e / 0.9 was not a break, and false solutions were listed).
    const char* walk = "      disagreement: outside\n      inside: [0, 0]\n";
    const char* stage = "  - name: walk\n    player: B\n    actions: [leave]\n";
    {
      auto sc = two("0.9, 0.9", "if(pkg == p1, x, 2 * x), 0.5", "if(pkg == p1, 1 - x, 0.5 - 0.5 * x), 0", "p1, p2",
                    walk, stage);
      const auto& st = sc->bargains[0].step.stationary;
      REQUIRE(st.size() == 3);
      CHECK(st[0].first == doctest::Approx(0.55));
      CHECK(st[1].first == doctest::Approx(5.0 / 7));
      CHECK(st[2].first == doctest::Approx(20.0 / 19));
    }
    {
      auto sc = two("0.9, 0.9", "if(pkg == p1, x, 2 * x), 0.65", "if(pkg == p1, 1 - x, 0.5 - 0.5 * x), 0", "p1, p2",
                    walk, stage);
      CHECK(sc->bargains[0].step.stationary.empty());
      CHECK(sc->bargains[0].step.payoffs[0] == doctest::Approx(20.0 / 19));
    }
    // Options (1.5, 0) and inside point (1, 0.75): no package gives A 1.5 with B at 0.75, so no
    // stationary offer exists; refused at the stage (it read an empty point before: exit 139).
    CHECK(Has(ErrorOf("title: t\nplayers: [A, B]\nstages:\n  - name: deal\n    bargain:\n      issues:\n"
                      "        pkg: {options: [p0, p1]}\n        x: {from: 0, to: 1}\n      protocol: alternating\n"
                      "      discount: [0.9, 0.9]\n      lotteries: false\n      disagreement: outside\n"
                      "      inside: [1, 0.75]\n  - name: walk\n    player: B\n    actions: [leave]\n"
                      "payoffs:\n  A: if(deal == agree, if(pkg == p0, 3 + 2 * x, 1.25), 1.5)\n"
                      "  B: if(deal == agree, if(pkg == p0, 0, 2.25), 0)\n"),
              "no room for stationary offers"));
  }

  TEST_CASE("alternating offers over payoffs that are not affine: uniqueness said unchecked unless concave") {
    auto with = [](const char* a_pay) {
      return Read(std::string("title: t\nplayers: [A, B]\nstages:\n  - name: deal\n    bargain:\n      issues:\n"
                              "        x: {from: 0, to: 1}\n      protocol: alternating\n      discount: [0.9, 0.9]\n"
                              "payoffs:\n  A: if(deal == agree, ") + a_pay + ", 0)\n  B: if(deal == agree, 1 - x, 0)\n");
    };
    // sqrt(x) against 1 - x: a concave frontier (sampled so), one solution.
    CHECK(with("sqrt(x)")->bargains[0].step.stationary_unchecked.empty());
    // x^2 against 1 - x: the frontier b = 1 - sqrt(a) is convex; others may exist.
    auto convex = with("x^2");
    CHECK(convex->bargains[0].step.stationary_unchecked ==
          "the payoffs are not affine nor shown concave, so the frontier need not be concave");
    bool said = false;
    for (const std::string& line : report::NegotiationLines(*convex, convex->bargains[0]))
      said = said || line.starts_with("Uniqueness not checked: the payoffs are not affine");
    CHECK(said);
  }

  TEST_CASE("if talks failed: a later move that sees a mixed one is said after each of its outcomes") {
    // Matching pennies, then A (who saw both coins) picks x when they match and y when they do
    // not. Listed without the coins, "A x (not y); A y (not x)" contradicted itself.
    const std::string text = R"(title: mix
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        s: {from: 0, to: 10}
  - name: a
    player: A
    actions: [H, T]
  - name: b
    player: B
    actions: [H, T]
    observe: none
  - name: follow
    player: A
    actions: [x, y]
payoffs:
  A: if(deal == agree, s, if(a == b, 1, -1) + if(a == b, if(follow == x, 1, 0), if(follow == y, 1, 0)))
  B: if(deal == agree, 10 - s, if(a == b, -1, 1))
)";
    auto s = Read(text);
    const auto solution = equilibrium::Solve(*s->game, {});
    CHECK(Has(report::BargainingText(*s, solution.equilibria.front()),
              "If talks failed (the threats behind the disagreement point): A H 0.5 / T 0.5; B H 0.5 / T 0.5; "
              "after H > H: A x (not y); after H > T: A y (not x); after T > H: A y (not x); after T > T: A x (not y)\n"));
  }

  TEST_CASE("outside options: the branch's value and the inside point are told apart") {
    // The buyer walks away to 0.7; talks split 1 from the inside point (0, 0), where Nash
    // (0.5, 0.5) leaves the buyer below its option, so it gets exactly 0.7: s = 0.3.
    const std::string text = R"(title: outside
players: [Seller, Buyer]
stages:
  - name: talks
    bargain:
      issues:
        s: {from: 0, to: 1}
      disagreement: outside
      inside: [0, 0]
  - name: walk
    player: Buyer
    actions: [leave, stay]
payoffs:
  Seller: if(talks == agree, s, 0)
  Buyer: if(talks == agree, 1 - s, if(walk == leave, 0.7, 0))
)";
    auto s = Read(text);
    const auto solution = equilibrium::Solve(*s->game, {});
    const auto& eq = solution.equilibria.front();
    const std::string words = report::BargainingText(*s, eq);
    CHECK(Has(words, "Outside options (the subgame-perfect value of that branch): Seller 0, Buyer 0.7\n"));
    CHECK(Has(words, "Inside point (what each gets while talks go on; the solutions start from it): Seller 0, Buyer 0\n"));
    CHECK(Has(words, "Gains over the outside options: Seller +0.3, Buyer +0\n"));
    CHECK_FALSE(Has(words, "Disagreement point"));
    CHECK(Has(report::PredictionText(*s, eq), "Buyer 0.7 (+0 over its outside option 0.7)"));
    // The solutions side by side (Nash (0.5, 0.5), below the Buyer's option) are said to start
    // from the inside point; the report's table and chart add the agreement itself and the
    // options (they showed the solutions alone, as if (0.5, 0.5) were the answer); the JSON
    // names the inside point as such, gives the options and the gains over them (its gains were
    // over the inside point, (0.3, 0.7), against the text's (+0.3, +0), and it said the
    // disagreement came from the no-deal branch).
    CHECK(Has(words, "Solutions side by side (from the inside point, before the outside options):\n"));
    const auto steps = report::BargainingStepsFrom(*s, &eq, 10, nullptr);
    REQUIRE(steps.size() == 1);
    CHECK(steps[0].disagreement_name == "Inside point");
    CHECK(steps[0].outside_options == std::vector<double>{0, 0.7});
    REQUIRE(steps[0].agreement.has_value());
    CHECK(steps[0].agreement->concept_name == "Agreement (outside options applied)");
    CHECK(steps[0].agreement->payoffs[0] == doctest::Approx(0.3).epsilon(1e-12));
    REQUIRE(steps[0].chart.has_value());
    CHECK(steps[0].chart->solutions.back().name == "agreement");
    const nlohmann::json j = report::BargainingJson(*s, eq);
    REQUIRE(j.size() == 1);
    CHECK(j[0]["disagreement_source"] == "inside point");
    CHECK(j[0]["outside_options"] == nlohmann::json::array({0.0, 0.7}));
    CHECK(j[0]["agreement"]["gains"][0].get<double>() == doctest::Approx(0.3).epsilon(1e-12));
    CHECK(std::abs(j[0]["agreement"]["gains"][1].get<double>()) < 1e-12);
  }

  TEST_CASE("talks that fail against outside options say so, not the threat point") {
    // Walking away pays each 0.6 and the pie is 1: no split gives both more than 0.6.
    auto s = Read(R"(title: outside too good
players: [A, B]
stages:
  - name: talks
    bargain:
      issues:
        x: {from: 0, to: 1}
      disagreement: outside
      inside: [0, 0]
  - name: walk
    player: A
    actions: [ok]
payoffs:
  A: if(talks == agree, x, 0.6)
  B: if(talks == agree, 1 - x, 0.6)
)");
    const auto solution = equilibrium::Solve(*s->game, {});
    const std::string words = report::PredictionText(*s, solution.equilibria.front());
    CHECK(Has(words, "  talks: no agreement beats the inside point and the outside options; talks fail\n"));
    CHECK(solution.equilibria.front().payoffs[0] == doctest::Approx(0.6));
  }

  TEST_CASE("the ideal point over single packages counts an agreement that meets d up to rounding") {
    // Package p at t = 1 pays A 2.4 + 0.3 = 2.6999999999999997 in doubles (2.7 exactly) and B
    // 7: it meets d = (2.7, 1), so B's ideal is 7 and a = (5, 7). Kalai-Smorodinsky on package q:
    // (5 - 3t - 2.7) / 2.3 = (2 + 3t - 1) / 6, so 6 (2.3 - 3t) = 2.3 (1 + 3t), t = 11.5 / 24.9,
    // payoffs (5 - 34.5 / 24.9, 2 + 34.5 / 24.9). With p left out the ideal was (5, 4.3) and the
    // answer t = 0.3148809524. Written 2.7 - 0.3 * (1 - t), the same payoff gave the right one.
    auto s = Read(R"yaml(players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        o: {options: [p, q]}
        t: {from: 0, to: 1}
      solution: kalai_smorodinsky
      lotteries: false
      disagreement: [2.7, 1]
payoffs:
  A: "if(deal == agree, if(o == p, 2.4 + 0.3 * t, 5 - 3 * t), 2.7)"
  B: "if(deal == agree, if(o == p, 1 + 6 * t, 2 + 3 * t), 1)"
)yaml");
    REQUIRE(s->bargains.size() == 1);
    const bargaining::AgreementResult& step = s->bargains[0].step;
    CHECK(step.result.ideal[0] == doctest::Approx(5).epsilon(1e-15));
    CHECK(step.result.ideal[1] == doctest::Approx(7).epsilon(1e-15));
    CHECK(step.payoffs[0] == doctest::Approx(5 - 34.5 / 24.9).epsilon(1e-14));
    CHECK(step.payoffs[1] == doctest::Approx(2 + 34.5 / 24.9).epsilon(1e-14));
  }

  TEST_CASE("utilitarian without lotteries counts a package that only meets d for a player") {
    // Package p pays (2.7 - 0.3 (1 - t), 1 + 6t): at t = 1, (2.7, 7), A exactly at d = (2.7, 1)
    // and the sum 9.7. Package q pays (5 - 3t, 2 + 3t), the sum 7 everywhere. Utilitarian is the
    // largest sum over u >= d: p at t = 1. Since no agreement of p gives A more than 2.7, p was
    // left out and q chosen; with A's 2.7 written 2.71, p was chosen (2.71, 7).
    const std::string text = R"yaml(players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        o: {options: [p, q]}
        t: {from: 0, to: 1}
      solution: utilitarian
      lotteries: false
      disagreement: [2.7, 1]
payoffs:
  A: "if(deal == agree, if(o == p, TOP - 0.3 * (1 - t), 5 - 3 * t), 2.7)"
  B: "if(deal == agree, if(o == p, 1 + 6 * t, 2 + 3 * t), 1)"
)yaml";
    // Package p paying (2.7 - 1e-9 t, 7 + 93 t): only t = 0 meets d, so (2.7, 7). A tolerance
    // below d let the sum trade A's 5e-12 for B's 0.465: t = 0.005, B above its own ideal 7.
    {
      std::string t = text;
      t.replace(t.find("TOP - 0.3 * (1 - t)"), 19, "2.7 - 0.000000001 * t");
      t.replace(t.find("1 + 6 * t"), 9, "7 + 93 * t");
      auto s = Read(t);
      const bargaining::AgreementResult& step = s->bargains[0].step;
      CHECK(step.payoffs[0] == 2.7);
      CHECK(step.payoffs[1] == 7);
    }
    for (const std::string top : {"2.7", "2.71"}) {
      CAPTURE(top);
      std::string t = text;
      t.replace(t.find("TOP"), 3, top);
      auto s = Read(t);
      REQUIRE(s->bargains.size() == 1);
      const bargaining::AgreementResult& step = s->bargains[0].step;
      CHECK(step.payoffs[0] == doctest::Approx(std::stod(top)).epsilon(1e-15));
      CHECK(step.payoffs[1] == doctest::Approx(7).epsilon(1e-15));
    }
  }

  TEST_CASE("the ideal point of a player not at the table keeps the parties at their disagreement values") {
    // A and B split x in [0, 10] (A x - 1, B 10 - x) from d = (0, 4); C, not at the table, is
    // paid 1 + x / 5. The agreements that leave A and B at least d have x in [1, 6], so C's
    // ideal is 1 + 6 / 5 = 2.2 (3, at x = 10, leaves B below 4, as the definition forbids).
    // With C paid 1 + sqrt(x) / 5 the payoffs are not affine (the search): 1 + sqrt(6) / 5.
    for (const std::string c : {"1 + x / 5", "1 + sqrt(x) / 5"}) {
      CAPTURE(c);
      auto s = Read(R"(players: [A, B, C]
stages:
  - name: deal
    bargain:
      parties: [A, B]
      issues:
        x: {from: 0, to: 10}
      disagreement: [0, 4, 2]
payoffs:
  A: if(deal == agree, x - 1, 0)
  B: if(deal == agree, 10 - x, 4)
  C: if(deal == agree, )" + c + R"(, 2)
)");
      REQUIRE(s->bargains.size() == 1);
      const auto& ideal = s->bargains[0].step.result.ideal;
      CHECK(ideal[0] == doctest::Approx(5).epsilon(1e-9));
      CHECK(ideal[1] == doctest::Approx(9).epsilon(1e-9));
      CHECK(ideal[2] == doctest::Approx(c == "1 + x / 5" ? 2.2 : 1 + std::sqrt(6.0) / 5).epsilon(1e-9));
    }
  }

  TEST_CASE("a search that misses every common gain does not say talks fail as a fact") {
    // An audit after the agreement fines A 2 with probability 1/2 when x > 0.0003: the Nash
    // product x (1 - x) is largest at x = 0.0003 exactly, paying (0.0003, 0.9997). The 2,000
    // sampled agreements (0.0005 apart) all lie past the cut, where A expects x - 1 < 0, and the
    // scenario said "no agreement beats the threat point; talks fail". The ideal point's search
    // met x = 0.0003: refused, naming it.
    const std::string e = ErrorOf(R"(players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        x: {from: 0, to: 1}
      after_agreement:
        - name: audit
          player: nature
          condition: x > 0.0003
          actions: [fine, pass]
          probabilities: [0.5, 0.5]
payoffs:
  A: if(deal == agree, x - if(audit == fine, 2, 0), 0)
  B: if(deal == agree, 1 - x, 0)
)");
    CHECK(Has(e, "test.yaml:5:7: bargain 'deal'"));
    CHECK(Has(e, "the search for the agreement failed: an agreement (x = 0.0003"));
    // B pays after the agreement only where 10 - x > r = 7.999, so agreements x in (2, 2.001)
    // beat the threat point (2, 1), but none is best (the supremum is not attained) and the
    // search meets none: what it says is what it found, not proven.
    auto s = Read(R"(players: [A, B]
stages:
  - name: deal
    bargain:
      issues: {x: {from: 0, to: 10}}
      powers: [0.8, 0.2]
      after_agreement:
        - name: act
          player: B
          actions: [renege, pay]
payoffs:
  A: if(deal == agree, if(act == pay, x, 1), 2)
  B: if(deal == agree, if(act == pay, 10 - x, 7.999), 1)
)");
    const auto solution = equilibrium::Solve(*s->game, {});
    const auto& eq = solution.equilibria.front();
    CHECK(Has(report::PredictionText(*s, eq),
              "deal: the search found no agreement that beats the threat point; talks fail (not proven"));
    CHECK(Has(report::BargainingText(*s, eq), "The search found no agreement that gives every player more than the "
                                              "disagreement point (not proven)"));
  }

  TEST_CASE("an inside point above every agreement and every option is refused where the bargain is") {
    // Inside (0.6, 0.6) on a pie; walking away pays (0.1, 0.2). Both are better off talking for
    // ever than agreeing or leaving; the talks failed, paying (0.1, 0.2). With A's option at
    // 0.7 instead, A's option binds: (0.7, 0.3).
    const std::string text = R"(players: [A, B]
stages:
  - name: talks
    bargain:
      issues:
        x: {from: 0, to: 1}
      disagreement: outside
      inside: [0.6, 0.6]
  - name: walk
    player: B
    actions: [leave]
payoffs:
  A: if(talks == agree, x, OPTION)
  B: if(talks == agree, 1 - x, 0.2)
)";
    auto with = [&](const std::string& option) {
      std::string t = text;
      t.replace(t.find("OPTION"), 6, option);
      return t;
    };
    const std::string e = ErrorOf(with("0.1"));
    CHECK(Has(e, "test.yaml:5:7: bargain 'talks'"));  // its issues
    CHECK(Has(e, "no agreement gives every party more than its inside value (0.6, 0.6), and no party's outside "
                 "option (0.1, 0.2) is worth more than its inside value, so the talks would go on for ever"));
    auto s = Read(with("0.7"));
    const auto solution = equilibrium::Solve(*s->game, {});
    // No split from the inside point exists: no solutions or ideal point are listed under an
    // empty heading, and the agreement is said to come from the options, not from Nash.
    const std::string words = report::BargainingText(*s, solution.equilibria.front());
    CHECK_FALSE(Has(words, "Solutions side by side"));
    CHECK_FALSE(Has(words, "Ideal point"));
    CHECK(Has(words, "Agreement (the outside options: no agreement beats the inside point, so an option worth more "
                     "than its party's inside value binds and the others get the rest): x 0.7\n"));
    CHECK(solution.equilibria.front().payoffs[0] == doctest::Approx(0.7).epsilon(1e-12));
    CHECK(solution.equilibria.front().payoffs[1] == doctest::Approx(0.3).epsilon(1e-12));
    REQUIRE(s->bargains.size() == 1);
    CHECK(s->bargains[0].step.outside_binds == std::vector<bool>{true, false});
  }

  TEST_CASE("an outside option that leaves the other less than its inside value: it gets the rest") {
    // Options (0.95, 0) from the walk-away branch, inside (0, 0.1): the split (0.45, 0.55)
    // leaves A below its option, so A gets 0.95 and B the rest, 0.05, below its inside value
    // but above its option. Reading the scenario used to fail with "an outcome has 0 payoffs
    // but the game has 2 players".
    auto s = Read(R"(players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        x: {from: 0, to: 1}
      disagreement: outside
      inside: [0, 0.1]
  - name: walk
    player: A
    actions: [go]
payoffs:
  A: if(deal == agree, x, 0.95)
  B: if(deal == agree, 1 - x, 0)
)");
    const auto solution = equilibrium::Solve(*s->game, {});
    CHECK(solution.equilibria.front().payoffs[0] == doctest::Approx(0.95).epsilon(1e-12));
    CHECK(solution.equilibria.front().payoffs[1] == doctest::Approx(0.05).epsilon(1e-12));
    REQUIRE(s->bargains.size() == 1);
    CHECK(s->bargains[0].step.outside_binds == std::vector<bool>{true, false});
  }

  TEST_CASE("a constraint on the bargain's own computed variable is a constraint on its issues") {
    // w = 4 s, so w <= 1 is s <= 1/4; Nash over s in [0, 1/4] with d = 0 maximises s (1 - s),
    // increasing up to 1/2: s = 1/4, payoffs (1/4, 3/4). The constraint was refused as naming
    // no issue, although the bargain's compute follows the agreement.
    auto s = Read(R"(title: own compute
players: [A, B]
stages:
  - name: talks
    bargain:
      issues:
        s: {from: 0, to: 1}
      constraints:
        - w <= 1
    compute:
      w: 4 * s
payoffs:
  A: if(talks == agree, s, 0)
  B: if(talks == agree, 1 - s, 0)
)");
    const auto solution = equilibrium::Solve(*s->game, {});
    CHECK(solution.equilibria.front().payoffs[0] == doctest::Approx(0.25).epsilon(1e-12));
    CHECK(solution.equilibria.front().payoffs[1] == doctest::Approx(0.75).epsilon(1e-12));
  }

  TEST_CASE("the prediction names each talks of a stage reached after several histories") {
    // Chance picks the pie (10 or 4) before the talks, so the stage deal is reached twice and
    // the prediction had two lines "Agreement at deal: x ..." with nothing to tell them apart.
    // By hand: d = (1, 0) (A walks: 1 against suing's 0.5), Nash x pie - 1 = (1 - x) pie, so
    // x = (pie + 1) / (2 pie): 0.55 after good, 5/8 = 0.625 after bad.
    const std::string text = R"(title: chance then bargain
players: [A, B]
stages:
  - name: state
    player: nature
    actions: [good, bad]
    probabilities: [0.3, 0.7]
    compute:
      pie: if(state == good, 10, 4)
  - name: deal
    bargain:
      issues:
        x: {from: 0, to: 1}
  - name: fallback
    player: A
    actions: [walk, sue]
payoffs:
  A: if(deal == agree, x * pie, if(fallback == walk, 1, 0.5))
  B: if(deal == agree, (1 - x) * pie, 0)
)";
    auto s = Read(text);
    const auto solution = equilibrium::Solve(*s->game, {});
    const std::string words = report::PredictionText(*s, solution.equilibria.front());
    CHECK(Has(words, "  Agreement at deal (after state = good): x 0.55\n"));
    CHECK(Has(words, "  Agreement at deal (after state = bad): x 0.625\n"));
    // A stage reached once keeps its plain name (the test above: "Agreement at talks").
  }

  TEST_CASE("a declared disagreement point is what the breakdown branch pays") {
    // Splitting 1 from d = (0.2, 0): x - 0.2 = 1 - x, x = 0.6, agreement (0.6, 0.4). With
    // breakdown 0.1 the expected payoffs are 0.9 (0.6, 0.4) + 0.1 (0.2, 0) = (0.56, 0.36);
    // paying the formulas' (0, 0) on breakdown would give (0.54, 0.36).
    std::string text = R"(title: breakdown
players: [A, B]
stages:
  - name: talks
    bargain:
      issues: {x: {from: 0, to: 1}}
      disagreement: [0.2, 0]
      breakdown: 0.1
payoffs:
  A: if(talks == agree, x, 0)
  B: if(talks == agree, 1 - x, 0)
)";
    auto s = Read(text);
    CHECK(s->bargains[0].step.issue_values[0] == doctest::Approx(0.6));
    auto u = Payoffs(*s);
    CHECK(u[0] == doctest::Approx(0.56));
    CHECK(u[1] == doctest::Approx(0.36));
  }

  TEST_CASE("failed talks: the ideal point is not below the disagreement point, the text reads") {
    // u = (x, 1 - x), x in [0, 1], d = (2, 2): nothing reaches d, so talks fail; no agreement
    // is at least as good as d for both, so nobody can gain and the ideal point is d itself
    // (the players' unconstrained bests, (1, 1), lie below d).
    std::string text = R"(title: fail
players: [A, B]
stages:
  - name: talks
    bargain:
      issues: {x: {from: 0, to: 1}}
      disagreement: [2, 2]
payoffs:
  A: if(talks == agree, x, 2)
  B: if(talks == agree, 1 - x, 2)
)";
    auto s = Read(text);
    const auto& step = s->bargains[0].step;
    REQUIRE_FALSE(step.agreement_possible);
    REQUIRE(step.result.ideal.size() == 2);
    CHECK(step.result.ideal[0] == doctest::Approx(2));
    CHECK(step.result.ideal[1] == doctest::Approx(2));
    auto steps = report::BargainingStepsFrom(*s, nullptr, 10, nullptr);
    REQUIRE(steps.size() == 1);
    CHECK_FALSE(Has(steps[0].summary, "the agreement is no agreement"));
    CHECK(Has(steps[0].summary, "talks fail and each player gets (2, 2)"));
  }

  TEST_CASE("the explanation: a threat game's mix is pinned down by subgame perfection") {
    // If talks fail, A and B play matching pennies (A wins 1 on a match, B on a mismatch; B
    // does not see A's coin): the only equilibrium mixes 1/2-1/2, worth (1/2, 1/2), the
    // disagreement point. Agreement on u = (2x, 2 - 2x) from it: 2x - 1/2 = 3/2 - 2x, x = 1/2,
    // worth (1, 1). Talks never fail, so
    // B's information set is off the path; but it is reached in the play of the no-deal
    // subgame, so subgame perfection pins B's mix down.
    std::string text = R"(title: threats
players: [A, B]
stages:
  - name: talks
    bargain:
      issues: {x: {from: 0, to: 1}}
  - name: a
    player: A
    actions: [heads, tails]
  - name: b
    player: B
    actions: [heads, tails]
    observe: none
payoffs:
  A: if(talks == agree, 2 * x, if(a == b, 1, 0))
  B: if(talks == agree, 2 - 2 * x, if(a == b, 0, 1))
)";
    auto s = Read(text);
    CHECK(s->bargains[0].step.result.disagreement[0] == doctest::Approx(0.5));
    CHECK(s->bargains[0].step.issue_values[0] == doctest::Approx(0.5));
    auto solution = equilibrium::Solve(*s->game, {});
    auto explanation = report::Explain(*s->game, solution.equilibria.front(), {});
    bool found = false;
    for (const auto& step : explanation.steps) {
      if (!Has(step.text, "cannot tell apart")) continue;
      found = true;
      CHECK(Has(step.text, "pinned down"));
      CHECK_FALSE(Has(step.text, "does not pin down"));
      CHECK(Has(step.text, "(0.5 and 0.5)"));  // the beliefs within the subgame
      CHECK(Has(step.text, "mixes"));
    }
    CHECK(found);
  }

  TEST_CASE("report parameter tables leave a unit-less parameter without a unit") {
    std::string text = R"(title: units
units: USD bn
players: [A, B]
parameters:
  p: {value: 0.3}
  cost: {value: 2, unit: USD bn}
stages:
  - name: move
    player: A
    actions: [x, y]
payoffs:
  A: if(move == x, p, cost)
  B: 0
)";
    auto s = Read(text);
    auto info = report::ScenarioInfoFrom(*s, {});
    REQUIRE(info.parameters.size() == 2);
    CHECK(info.parameters[0].unit.empty());
    CHECK(info.parameters[1].unit == "USD bn");
  }
}

}  // namespace
}  // namespace parley::scenario
