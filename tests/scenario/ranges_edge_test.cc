// Ranges at their edges: a bargain issue's range bound that names another issue (its box must
// hold every value the bound takes), and a range of actions (its values the decimals their
// labels show, none above `to`). Each used to give a plausible wrong answer without a word.
#include <doctest/doctest.h>

#include <string>

#include "solver/scenario/scenario.h"
#include "tests/scenario/scenario_test_util.h"

namespace parley::scenario {
namespace {

using test_util::ErrorOf;
using test_util::Has;
using test_util::Payoffs;
using test_util::Read;
using test_util::With;

// A bargain over e in [0, 1] and y up to a bound in e; A gets y, B 4 - y, d = (0, 0). Nash
// wants y = 2 (y (4 - y) rises up to 2), so the agreement takes the largest y the bound allows.
const char* const kBound = R"(title: bound
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        e: {from: 0, to: 1}
        y: {from: 0, to: 1 - abs(e - 0.2)}
payoffs:
  A: if(deal == agree, y, 0)
  B: if(deal == agree, 4 - y, 0)
)";

TEST_SUITE("scenario.ranges") {
  TEST_CASE("a range bound that names an issue and is not affine is refused at its place") {
    // 1 - abs(e - 0.2) is 0.8 at e = 0 and 0.2 at e = 1 but 1 at e = 0.2: the box spanned by
    // the corners, y <= 0.8, cut off the best agreement, and the solve reported y = 0.8 with
    // payoffs (0.8, 3.2) as a KKT point. The extent of a bound that is not affine is not
    // known, so the scenario must give the range and the constraint itself.
    std::string e = ErrorOf(kBound);
    CHECK(Has(e, "test.yaml:8:"));  // the line of y's range
    CHECK(Has(e, "'to' of issue 'y' (1 - abs(e - 0.2)) is not affine in the issues it names (e)"));
    CHECK(Has(e, "under 'constraints:' (y <= 1 - abs(e - 0.2))"));
    // 1 + 8 t^3 - 3 t with t = e - 0.5 in [-0.5, 0.5]: 1.5 and 0.5 at the ends, and at
    // t = -1/sqrt(8) (24 t^2 = 3) 1 - 8/(8 sqrt(8)) + 3/sqrt(8) = 1 + 2/sqrt(8) = 1.7071; the
    // corners gave 1.5.
    e = ErrorOf(With(kBound, "to: 1 - abs(e - 0.2)", "to: 1 + 8*(e-0.5)^3 - 3*(e-0.5)"));
    CHECK(Has(e, "test.yaml:8:"));
    CHECK(Has(e, "is not affine in the issues it names (e)"));
    // A `from` that names an issue: the same (y >= e^2 / 4, smallest 0 at e = 0).
    e = ErrorOf(With(kBound, "{from: 0, to: 1 - abs(e - 0.2)}", "{from: e^2 / 4, to: 1}"));
    CHECK(Has(e, "'from' of issue 'y' (e^2 / 4) is not affine"));
    CHECK(Has(e, "(y >= e^2 / 4)"));
  }

  TEST_CASE("the refused bound written as the message says: a fixed range and the constraint") {
    // y in [0, 2] with y <= 1 - abs(e - 0.2): y is at most 1, at e = 0.2, and Nash takes all
    // of it: payoffs (1, 3 = 4 - 1).
    auto s = Read(With(kBound, "        y: {from: 0, to: 1 - abs(e - 0.2)}\n",
                       "        y: {from: 0, to: 2}\n      constraints:\n        - y <= 1 - abs(e - 0.2)\n"));
    const BargainRecord& b = s->bargains[0];
    CHECK(b.step.issue_values[0] == doctest::Approx(0.2).epsilon(1e-6));
    CHECK(b.step.issue_values[1] == doctest::Approx(1).epsilon(1e-6));
    CHECK(Payoffs(*s)[0] == doctest::Approx(1).epsilon(1e-6));
    CHECK(Payoffs(*s)[1] == doctest::Approx(3).epsilon(1e-6));
  }

  TEST_CASE("an affine bound that names an issue stays exact, through a branch on a parameter") {
    // y <= 1 - e/2 (cap = 1 takes the first branch; the branch reads no issue, so the bound
    // is affine in e). A gets e + y, B 4 - e - y: e + y <= 1 + e/2 <= 1.5 at e = 1, y = 0.5,
    // and Nash wants e + y = 2, so the agreement is e = 1, y = 0.5 with payoffs (1.5, 2.5),
    // exact. The box of y spans the corners: 1 at e = 0, 0.5 at e = 1.
    std::string text = R"yaml(title: affine
players: [A, B]
parameters:
  cap: {value: 1}
stages:
  - name: deal
    bargain:
      issues:
        e: {from: 0, to: 1}
        y: {from: 0, to: "if(cap > 0, 1 - e/2, 2)"}
payoffs:
  A: if(deal == agree, e + y, 0)
  B: if(deal == agree, 4 - e - y, 0)
)yaml";
    auto s = Read(text);
    const BargainRecord& b = s->bargains[0];
    CHECK(b.step.optimality == bargaining::Optimality::kExact);
    REQUIRE(b.bounds.size() == 2);
    CHECK(b.bounds[1].first == 0);
    CHECK(b.bounds[1].second == 1);
    CHECK(b.step.issue_values[0] == doctest::Approx(1).epsilon(1e-9));
    CHECK(b.step.issue_values[1] == doctest::Approx(0.5).epsilon(1e-9));
    CHECK(Payoffs(*s)[0] == doctest::Approx(1.5).epsilon(1e-9));
    CHECK(Payoffs(*s)[1] == doctest::Approx(2.5).epsilon(1e-9));
    // A branch on the issue itself is not affine: refused.
    std::string e = ErrorOf(With(text, "if(cap > 0, 1 - e/2, 2)", "if(e > 0.5, 1 - e/2, 2)"));
    CHECK(Has(e, "test.yaml:10:"));
    CHECK(Has(e, "is not affine in the issues it names (e)"));
  }

  TEST_CASE("a range bound that reads the bargain stage's own computed variable is refused") {
    // `half: e / 2` is computed with the agreed issues, after the ranges are fixed. y's bound
    // 1 - half read half from before the stage (0) and named no issue, so y ranged over
    // [0, 1] unbound: A (e + y) and B (4 - e - y) agreed e = 1, y = 1, payoffs (2, 2), past
    // y <= 1 - 1/2. (Written as the message says, y <= 1 - half caps e + y at 1 + e/2 = 1.5.)
    std::string text = R"(title: computed
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        e: {from: 0, to: 1}
        y: {from: 0, to: 1 - half}
    compute:
      half: e / 2
payoffs:
  A: if(deal == agree, e + y, 0)
  B: if(deal == agree, 4 - e - y, 0)
)";
    std::string e = ErrorOf(text);
    CHECK(Has(e, "test.yaml:8:"));
    CHECK(Has(e, "'to' of issue 'y' (1 - half) reads 'half', which the `compute` of bargain stage 'deal' sets"));
    CHECK(Has(e, "(y <= 1 - half)"));
    auto fixed = Read(With(text, "        y: {from: 0, to: 1 - half}\n",
                           "        y: {from: 0, to: 1}\n      constraints:\n        - y <= 1 - half\n"));
    CHECK(Payoffs(*fixed)[0] == doctest::Approx(1.5).epsilon(1e-9));
    CHECK(Payoffs(*fixed)[1] == doctest::Approx(2.5).epsilon(1e-9));
    // Not moving with the issues, the same: `lim: 0.5` read as 0 gave y the range [0, 0],
    // and with d = (0, 0) no agreement beat it: talks failed.
    e = ErrorOf(With(With(text, "to: 1 - half", "to: lim"), "half: e / 2", "lim: 0.5"));
    CHECK(Has(e, "test.yaml:8:"));
    CHECK(Has(e, "reads 'lim'"));
  }

  TEST_CASE("a range of actions ends at `to`, not a rounding error above it") {
    // 0, 0.1, 0.2, 0.3: in doubles the last was 0 + 3 * 0.1 = 0.30000000000000004 (labelled
    // 0.3), which x == 0.3 missed, and A took it for 0.3. Now it is 0.3: A gets 10.
    std::string text = R"(title: range
players: [A, B]
stages:
  - name: x
    player: A
    actions: {from: 0, to: 0.3, step: 0.1}
payoffs:
  A: if(x == 0.3, 10, x)
  B: 0
)";
    CHECK(Payoffs(*Read(text))[0] == 10);
    // `to` computed a hair below the grid: 0.7 - 0.4 = 0.29999999999999993, and
    // (to - from) / step + 1e-9 still counts 4 actions; the last is `to` itself, not 0.3 above
    // it, so x <= 0.7 - 0.4 holds there: A gets 10 (the old 0.30000000000000004 failed it, and
    // A took 0.3000...4 for itself).
    auto below = Read(With(With(text, "to: 0.3", "to: 0.7 - 0.4"), "if(x == 0.3, 10, x)",
                           "if(x > 0.25 && x <= 0.7 - 0.4, 10, x)"));
    CHECK(Payoffs(*below)[0] == 10);
    // Its label reads back as the value: "0.3" (ten significant digits) named a number that
    // x == 0.3 misses. The others are the decimals they show.
    const model::Game& game = *below->game;
    REQUIRE(game.num_actions(game.infoset(0)) == 4);
    CHECK(game.action_label(game.infoset(0), 3) == "0.29999999999999993");
    CHECK(game.action_label(game.infoset(0), 2) == "0.2");
  }

  TEST_CASE("the actions of a range are the decimals their labels show") {
    // from 0.1 step 0.1: 0.1 + 2 * 0.1 is 0.30000000000000004 in doubles; the action labelled
    // 0.3 is now the number 0.3, which A's payoff names: 10 there, x elsewhere (at most 0.5).
    std::string text = R"(title: decimals
players: [A, B]
parameters:
  tenth: {value: 0.1}
stages:
  - name: x
    player: A
    actions: {from: 0.1, to: 0.5, step: 0.1}
payoffs:
  A: if(x == 0.3, 10, x)
  B: 0
)";
    CHECK(Payoffs(*Read(text))[0] == 10);
    // The step a formula's value (a parameter): its shortest decimal, 0.1. From 0, the
    // seventh step is 0.7 (7 * 0.1 is 0.7000000000000001 in doubles).
    auto formula = Read(With(With(text, "{from: 0.1, to: 0.5, step: 0.1}", "{from: 0, to: 1, step: tenth}"),
                             "x == 0.3", "x == 0.7"));
    CHECK(Payoffs(*formula)[0] == 10);
    // Across 0: -0.3 + 3 * 0.1 is 5.551115123e-17 in doubles (so labelled); the decimal is 0.
    auto zero = Read(With(With(text, "{from: 0.1, to: 0.5, step: 0.1}", "{from: -0.3, to: 0.3, step: 0.1}"),
                          "x == 0.3", "x == 0"));
    CHECK(Payoffs(*zero)[0] == 10);
  }
}

}  // namespace
}  // namespace parley::scenario
