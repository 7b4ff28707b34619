// Bargain stages in scenario files: known answers, thresholds in closed form, the
// OpenAI-Microsoft case study, and clear errors.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <filesystem>

#include "solver/analysis/analysis.h"
#include "solver/analysis/scenario_model.h"
#include "solver/equilibrium/solve.h"
#include "solver/io/efg.h"
#include "solver/model/error.h"
#include "solver/report/agreement_text.h"
#include "solver/scenario/scenario.h"
#include "tests/scenario/scenario_test_util.h"
#include "tests/test_util.h"

namespace parley::scenario {
namespace {

using test_util::ErrorOf;
using test_util::Payoffs;
using test_util::Read;

// Two players split a pie of 10 by weighted Nash bargaining; no deal leaves (1, 2).
const char* kSplit = R"(title: split
players: [A, B]
parameters:
  w: {value: 0.5, min: 0.01, max: 0.99}
stages:
  - name: talks
    bargain:
      issues: {x: {from: 0, to: 10}}
      powers: [w, 1 - w]
      disagreement: [1, 2]
payoffs:
  A: if(talks == agree, x, 1)
  B: if(talks == agree, 10 - x, 2)
)";

TEST_SUITE("scenario.bargain") {
  TEST_CASE("weighted Nash over a continuous issue") {
    // Gains x - 1 and 8 - x; maximising w log(x - 1) + (1 - w) log(8 - x) gives
    // x - 1 = w (7): equal powers x = 4.5, powers (0.8, 0.2) x = 1 + 5.6 = 6.6.
    auto s = Read(kSplit);
    REQUIRE(s->bargains.size() == 1);
    CHECK(s->bargains[0].step.issue_values[0] == doctest::Approx(4.5).epsilon(1e-12));
    CHECK(Payoffs(*s)[0] == doctest::Approx(4.5));
    CHECK(s->bargains[0].disagreement_from_branch == false);
    auto t = Read(kSplit, {"w=0.8"});
    CHECK(t->bargains[0].step.issue_values[0] == doctest::Approx(6.6).epsilon(1e-12));
    CHECK(Payoffs(*t)[1] == doctest::Approx(3.4));
  }

  TEST_CASE("lotteries over packages, or a single package") {
    // Outcomes (4, 1) and (1, 3), d = (0, 0): with lotteries the Nash point is (11/4, 11/6),
    // on the segment where u2 = (11 - 2 u1)/3: maximise u1 (11 - 2 u1)/3 -> u1 = 11/4,
    // reached by 7/12 on (4, 1) and 5/12 on (1, 3). Without lotteries: (4, 1) (product 4 > 3).
    std::string text = R"(title: two packages
players: [A, B]
stages:
  - name: talks
    bargain:
      issues: {deal: {options: [first, second]}}
      disagreement: [0, 0]
      lotteries: LOTTERIES
payoffs:
  A: if(talks == agree, if(deal == first, 4, 1), 0)
  B: if(talks == agree, if(deal == first, 1, 3), 0)
)";
    auto with = Read(std::string(text).replace(text.find("LOTTERIES"), 9, "true"));
    const auto& a = with->bargains[0].step;
    CHECK(a.payoffs[0] == doctest::Approx(11.0 / 4));
    CHECK(a.payoffs[1] == doctest::Approx(11.0 / 6));
    CHECK(a.lottery);
    CHECK(parley::report::AgreementText(a)[0].find("first (p 0.583333)") != std::string::npos);
    auto without = Read(std::string(text).replace(text.find("LOTTERIES"), 9, "false"));
    CHECK(without->bargains[0].step.payoffs == std::vector<double>{4, 1});
    CHECK(parley::report::AgreementText(without->bargains[0].step)[0] == "deal first");
  }

  TEST_CASE("talks fail when no agreement beats the threat point") {
    std::string text = kSplit;
    text.replace(text.find("[1, 2]"), 6, "[6, 6]");  // 6 + 6 > 10: no split beats both
    text.replace(text.find("if(talks == agree, x, 1)"), 24, "if(talks == agree, x, 6)");
    text.replace(text.find("if(talks == agree, 10 - x, 2)"), 29, "if(talks == agree, 10 - x, 6)");
    auto s = Read(text);
    CHECK_FALSE(s->bargains[0].step.agreement_possible);
    CHECK(Payoffs(*s) == std::vector<double>{6, 6});
  }

  TEST_CASE("hold-up: high investment iff power >= (3 - 1)/(10 - 4) = 1/3, to 1e-9") {
    std::string path = testing::SourcePath("games/holdup_nash.yaml");
    // At power 1/2 the Supplier invests high: price 0.5 * 10 = 5, payoffs (5 - 3, 10 - 5).
    auto s = LoadScenario(path);
    CHECK(Payoffs(*s) == std::vector<double>{2, 5});
    auto model = analysis::ScenarioModel(path, {});
    auto axis = analysis::ParseAxis(model, "power=0.01:0.99", 51);
    auto t = analysis::FindThresholds(model, axis, 1e-9, analysis::RunOptions{});
    REQUIRE(t.size() == 1);
    CHECK(std::abs(t[0].value - 1.0 / 3.0) < 1e-9);
    CHECK(t[0].below.find("low_investment") != std::string::npos);
    CHECK(t[0].above.find("high_investment") != std::string::npos);
  }

  TEST_CASE("bargain stage errors are one clear line") {
    std::string base = kSplit;
    auto with = [&](const std::string& from, const std::string& to) {
      std::string t = base;
      t.replace(t.find(from), from.size(), to);
      return ErrorOf(t);
    };
    CHECK(with("powers: [w, 1 - w]", "powers: [w]").find("'powers' must list one bargaining power per party (2: A, B)") != std::string::npos);
    CHECK(with("powers: [w, 1 - w]", "solution: nsh").find("unknown solution 'nsh' (did you mean 'nash'?)") != std::string::npos);
    CHECK(with("issues: {x: {from: 0, to: 10}}", "issues: {x: {from: 0}}").find("needs 'from' and 'to'") != std::string::npos);
    CHECK(with("if(talks == agree, x, 1)", "if(talks == agree, sqrt(x), 1)").find("not linear in the bargain's continuous issues (x)") != std::string::npos);
    CHECK(with("    bargain:", "    player: A\n    bargain:").find("a bargain stage has no 'player' or 'actions'") != std::string::npos);
    CHECK(with("powers: [w, 1 - w]", "powers: [w, 1 - w]\n      turns: 3").find("unknown key 'turns' in a bargain") != std::string::npos);
    std::string err = with("      disagreement: [1, 2]", "      disagreement: [1, 2]\n      breakdown: 2");
    CHECK(err.find("the breakdown probability is 2") != std::string::npos);
    CHECK(err.find("test.yaml:") == 0);
  }
  TEST_CASE("Kalai-Smorodinsky over single packages: a weakly Pareto-optimal exit is refined") {
    // Package p0 pays (1, 1 - x) for x in [0, 1], p1 pays (2, 0.1). Ideal over single
    // packages (2, 1); the ray t (2, 1) leaves p0 at t = 1/2, the point (1, 0.5) (x = 0.5), and
    // p1 at t = min(2/2, 0.1/1) = 0.1: p0. But (1, 0.5) is only weakly Pareto-optimal in p0:
    // x = 0 pays (1, 1). KS is (1, 1) at x = 0 (as with lotteries and in `parley bargain`).
    auto e = Read(R"(title: ks per package
players: [A, B]
stages:
  - name: deal
    bargain:
      issues:
        pkg: {options: [p0, p1]}
        x: {from: 0, to: 1}
      solution: kalai_smorodinsky
      lotteries: false
      disagreement: [0, 0]
payoffs:
  A: if(deal == agree, if(pkg == p0, 1, 2), 0)
  B: if(deal == agree, if(pkg == p0, 1 - x, 0.1), 0)
)");
    REQUIRE(e->bargains.size() == 1);
    CHECK(Payoffs(*e) == std::vector<double>{1, 1});
    CHECK(e->bargains[0].step.issue_values[1] == 0);
  }
}

// The case study. The values below follow from the scenario's defaults by hand:
//   R = 92 / 0.20 = 460; p = 0.25 (AGI); the carve-out is granted (+4 OpenAI, -0.5 Microsoft).
//   If talks failed: today's contract, no restructuring. OpenAI
//     460 - 92 (0.75) + 0.25 (30) + 0.6 (0.65) (300) (0.75) = 486.25, and it complains:
//     the regulator acts with probability 0.3; Microsoft then litigates (litigation wins back
//     40 % of the remedy: its loss 0.5 (92 + 50)(0.75) = 53.25 becomes 0.6 (53.25) = 31.95,
//     for a cost of 3), so OpenAI gains 0.5 (0.6) (69) - 8 = 12.7 when the regulator acts:
//     486.25 + 0.3 (12.7) - 1 + 4 = 493.06.
//   Microsoft: (92 + 50)(0.75) + 0.7 (0.35)(300)(0.75) = 161.625, minus 0.3 (31.95 + 3) and
//     the carve-out's 0.5: 150.64.
//   Deal: equity 0.49 (a dollar of equity is worth 0.7 to Microsoft and costs OpenAI 0.6, so
//     all of it moves), AGI clause dropped (access worth 50 to Microsoft > freedom worth 30 to
//     OpenAI); the revenue share r splits the surplus:
//     OpenAI 460 (1 - r) + 0.6 (0.51)(300) + 10 + 4 = 565.8 - 460 r,
//     Microsoft 460 r + 50 + 0.7 (0.49)(300) - 0.5 = 152.4 + 460 r.
//     Total 718.2 over 643.7 at the threat point: each gains 74.5 / 2 = 37.25, so
//     Microsoft 187.89 and r = (187.89 - 152.4) / 460 = 0.0771522.
TEST_SUITE("scenario.openai_microsoft") {
  TEST_CASE("the predicted agreement and the threats behind it") {
    auto s = LoadScenario(testing::SourcePath("bench/data/openai_microsoft_v1.yaml"));
    auto solution = equilibrium::Solve(*s->game, {});
    const auto& eq = solution.equilibria.front();
    CHECK(eq.max_gain < 1e-9);
    CHECK(eq.payoffs[0] == doctest::Approx(530.31).epsilon(1e-9));
    CHECK(eq.payoffs[1] == doctest::Approx(187.89).epsilon(1e-9));
    REQUIRE(s->bargains.size() == 3);  // after grant, after refuse, without a request
    const BargainRecord& deal = s->bargains[0];
    CHECK(deal.history == "(after carveout_request = ask > carveout = grant > talks = negotiate)");
    CHECK(deal.step.result.disagreement[0] == doctest::Approx(493.06).epsilon(1e-9));
    CHECK(deal.step.result.disagreement[1] == doctest::Approx(150.64).epsilon(1e-9));
    CHECK(deal.step.issue_values[0] == doctest::Approx(0.49).epsilon(1e-9));
    CHECK(deal.step.issue_values[1] == doctest::Approx((187.89 - 152.4) / 460).epsilon(1e-9));
    CHECK(parley::report::AgreementText(deal.step)[2] == "agi_clause drop");
    CHECK(analysis::DescribePath(*s->game, eq) ==
          "OpenAI ask > Microsoft grant > Microsoft negotiate");
  }

  TEST_CASE("exported to Gambit's format, the game reads back and solves the same") {
    // Computed probabilities (0.3, 0.7) and payoffs are written as short decimals.
    auto s = LoadScenario(testing::SourcePath("bench/data/openai_microsoft_v1.yaml"));
    auto again = io::ReadEfg(io::WriteEfgString(*s->game), "om.efg");
    CHECK(again->num_nodes() == s->game->num_nodes());
    auto a = equilibrium::Solve(*s->game, {}).equilibria.front().payoffs;
    auto b = equilibrium::Solve(*again, {}).equilibria.front().payoffs;
    CHECK(a[0] == doctest::Approx(b[0]).epsilon(1e-12));
    CHECK(a[1] == doctest::Approx(b[1]).epsilon(1e-12));
  }

  TEST_CASE("where the deal flips, in closed form") {
    auto model = analysis::ScenarioModel(testing::SourcePath("bench/data/openai_microsoft_v1.yaml"), {});
    // Equity moves to Microsoft iff it values a dollar of it above what it costs OpenAI:
    // the threshold of microsoft_equity_weight is openai_equity_weight = 0.6.
    auto t = analysis::FindThresholds(model, analysis::ParseAxis(model, "microsoft_equity_weight=0.3:1", 15),
                                      1e-9, analysis::RunOptions{});
    REQUIRE(t.size() == 1);
    CHECK(std::abs(t[0].value - 0.6) < 1e-9);
    CHECK(t[0].below.find("equity at its minimum") != std::string::npos);
    CHECK(t[0].above.find("equity at its maximum") != std::string::npos);
    // The AGI clause is dropped iff Microsoft's access is worth more than OpenAI's freedom
    // (both lose or gain with the same probability): threshold 30.
    auto a = analysis::FindThresholds(model, analysis::ParseAxis(model, "microsoft_access_value=10:150", 29),
                                      1e-9, analysis::RunOptions{});
    REQUIRE(a.size() == 1);
    CHECK(std::abs(a[0].value - 30) < 1e-9);
    CHECK(a[0].below.find("agi_clause keep") != std::string::npos);
    CHECK(a[0].above.find("agi_clause drop") != std::string::npos);
  }
}

}  // namespace
}  // namespace parley::scenario

namespace parley::scenario {
namespace {

// The platform scenario's switching value, by hand. If talks fail the developer compares
// steering users away (it keeps 1000 - 0.3 (0.6) 1000 - 0.1 (1000) = 720) with a complaint
// (the authority acts with probability q' and caps the rate at 0.12:
// 1000 - 1000 (0.30 - 0.18 q') - 5 = 695 + 180 q'); it complains iff q' > 25/180 = 5/36.
// The platform's headline cut halves q' and costs 20. Without the cut, the developer
// complains whenever q > 5/36 and the platform gets its threat value 300 - 180 q plus half of
// the surplus 5; with the cut it complains only when q/2 > 5/36, else it steers and the
// platform's threat value falls to 180. Cutting pays (90 q > 20) once the developer still
// complains after it: the switch is at q = 2 (5/36) = 5/18.
TEST_SUITE("scenario.platform_regulator") {
  TEST_CASE("the platform cuts its headline rate iff regulator_acts >= 5/18") {
    auto model = analysis::ScenarioModel(testing::SourcePath("scenarios/platform_regulator.yaml"), {});
    auto t = analysis::FindThresholds(model, analysis::ParseAxis(model, "regulator_acts=0:1", 101), 1e-9,
                                      analysis::RunOptions{});
    REQUIRE(t.size() == 1);
    CHECK(std::abs(t[0].value - 5.0 / 18.0) < 1e-9);
    CHECK(t[0].below.find("Platform keep_rates") == 0);
    CHECK(t[0].above.find("Platform cut_for_small_developers") == 0);
  }
}

}  // namespace
}  // namespace parley::scenario

namespace parley::testing {
namespace {

TEST_SUITE("scenario.openai_microsoft") {
  TEST_CASE("the prediction with a breakdown risk: the payoffs if they agree, or no agreement at all") {
    // Pie 10, no deal pays (1, 1): Nash gives price 5. With breakdown 0.25 the agreement is
    // reached with probability 0.75 (the game pays 0.75 x 5 + 0.25 x 1 = 4 each); with
    // breakdown 1 never (the game pays 1 each), though the terms are still computed.
    const std::string dir = BuildPath("test-tmp/breakdown-prediction");
    std::filesystem::create_directories(dir);
    auto solve = [&](const std::string& breakdown) {
      const std::string path = dir + "/b" + breakdown + ".yaml";
      std::ofstream(path) << "players: [A, B]\nstages:\n  - name: deal\n    bargain:\n      issues:\n"
                             "        price: {from: 0, to: 10}\n      breakdown: " << breakdown
                          << "\npayoffs:\n  A: if(deal == agree, price, 1)\n  B: if(deal == agree, 10 - price, 1)\n";
      return RunParley("solve '" + path + "'");
    };
    const RunResult some = solve("0.25");
    REQUIRE(some.exit_code == 0);
    CHECK(some.out.find("  Agreement at deal: price 5\n  Talks break down anyway with probability 0.25; if they "
                        "agree, the payoffs are below\n  Payoffs if they agree: A 5 (+4 over its threat point 1)") !=
          std::string::npos);
    CHECK(some.out.find("  Payoffs: A 4, B 4") != std::string::npos);
    const RunResult always = solve("1");
    REQUIRE(always.exit_code == 0);
    CHECK(always.out.find("  deal: talks always break down (breakdown 1); no agreement is reached\n") != std::string::npos);
    CHECK(always.out.find("Agreement at deal") == std::string::npos);
    CHECK(always.out.find("  Payoffs: A 1, B 1") != std::string::npos);
  }

  TEST_CASE("parley solve answers in plain terms, first") {
    auto r = RunParley("solve '" + SourcePath("bench/data/openai_microsoft_v1.yaml") + "'");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.rfind("Prediction\n  Path: OpenAI ask (not dont_ask); Microsoft grant (not refuse); "
                      "Microsoft negotiate (not walk_away); deal: agree\n"
                      "  Agreement at deal: equity 0.49, revenue_share 0.07715217391, agi_clause drop\n"
                      "  Payoffs: OpenAI 530.31 (+37.25 over its threat point 493.06), Microsoft 187.89 "
                      "(+37.25 over its threat point 150.64)\n"
                      "  If talks failed: OpenAI complain (not refrain); chance acts 0.3 / dismisses 0.7; "
                      "after acts: Microsoft litigate (not accept); after dismisses: Microsoft accept (not litigate)\n",
                      0) == 0);
    auto j = RunParley("solve '" + SourcePath("bench/data/openai_microsoft_v1.yaml") + "' --format json");
    REQUIRE(j.exit_code == 0);
    CHECK(j.out.find("\"bargaining\"") != std::string::npos);
    CHECK(j.out.find("\"agreement_possible\": true") != std::string::npos);
  }
}

}  // namespace
}  // namespace parley::testing
