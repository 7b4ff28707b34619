// `parley report GAME --qre L`: the QRE section in HTML and Markdown, with its check.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <utility>

#include "solver/equilibrium/logit.h"
#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

// Player 1 takes (1 to each) or passes; then player 2 picks l (0 to 1, 2 to 2) or r (3 to 1,
// 1 to 2). At lambda = 2: player 2's P(l) = e^4 / (e^4 + e^2) = 1 / (1 + e^-2) = 0.880797;
// player 1's value of passing is 0.880797 * 0 + 0.119203 * 3 = 0.357609, so P(take) =
// 1 / (1 + e^(2 (0.357609 - 1))) = 1 / (1 + e^-1.284782) = 1 / 1.276711 = 0.783263.
constexpr const char* kTwoStage = R"(EFG 2 R "Take or pass" { "P1" "P2" }
p "" 1 1 "first" { "take" "pass" } 0
t "" 1 "" { 1 1 }
p "" 2 1 "second" { "l" "r" } 0
t "" 2 "" { 0 2 }
t "" 3 "" { 3 1 }
)";

TEST_SUITE("logit") {
  TEST_CASE("the QRE at one lambda, checked: closed form and the library's check") {
    auto game = io::ReadEfg(kTwoStage, "take.efg");
    QrePoint q = QreAt(*game, 2.0);
    REQUIRE(q.behavior.size() == 4);
    const double p_l = 1 / (1 + std::exp(-2.0));
    const double pass = 3 * (1 - p_l);
    CHECK(q.behavior[2] == doctest::Approx(p_l).epsilon(1e-12));
    CHECK(q.behavior[0] == doctest::Approx(1 / (1 + std::exp(2 * (pass - 1)))).epsilon(1e-12));
    CHECK(q.check.violation < 1e-10);
    // A profile that is not the QRE fails the check: uniform play at lambda 2.
    ActionIndex index(*game);
    CHECK(QreViolation(*game, index, {0.5, 0.5, 0.5, 0.5}, 2.0) > 1);
  }

  TEST_CASE("payoffs near the largest doubles of both signs: their span does not overflow") {
    // 1e308 - (-1e308) is beyond a double. At lambda = 1e-308 the QRE is the logit of
    // lambda x payoff: P(x) = e^1 / (e^1 + e^-1) = 1 / (1 + e^-2) = 0.880797.
    auto game = io::ReadEfg(R"(EFG 2 R "Huge" { "A" "B" }
p "" 1 1 "" { "x" "y" } 0
t "" 1 "" { 1e308 1 }
t "" 2 "" { -1e308 2 }
)", "huge.efg");
    QrePoint q = QreAt(*game, 1e-308);
    REQUIRE(q.behavior.size() == 2);
    CHECK(q.behavior[0] == doctest::Approx(1 / (1 + std::exp(-2.0))).epsilon(1e-12));
    CHECK(q.check.violation < 1e-10);
  }

  TEST_CASE("payoffs far from 0 beside their differences: the QRE depends on the differences alone") {
    // A chooses l (1e12 + 1) or r (1e12): at lambda 1, P(l) = 1 / (1 + e^-1) = 0.7310585786.
    // Unshifted, ln sigma = lambda u - ln sum e^(lambda u) lost 12 digits: 0.73107997 and
    // 0.26894929, summing to 1.00003 (at 1e15: 0.687 and 0.253).
    for (auto [high, low] : {std::pair{"1000000000001", "1000000000000"}, std::pair{"1000000000000001", "1000000000000000"}}) {
      CAPTURE(low);
      const std::string text = std::string("EFG 2 R \"offset\" { \"A\" \"B\" }\np \"\" 1 1 \"\" { \"l\" \"r\" } 0\n"
                                           "t \"\" 1 \"\" { ") + high + " 0 }\nt \"\" 2 \"\" { " + low + " 0 }\n";
      auto game = io::ReadEfg(text, "offset.efg");
      QrePoint q = QreAt(*game, 1.0);
      REQUIRE(q.behavior.size() == 2);
      CHECK(q.behavior[0] == doctest::Approx(1 / (1 + std::exp(-1.0))).epsilon(1e-12));
      CHECK(q.behavior[0] + q.behavior[1] == doctest::Approx(1).epsilon(1e-15));
    }
    // Two players at different offsets, and a 2x2 game that the tracer must follow (simultaneous
    // moves): the same profile as the game without the offsets, where the tracer used to fail.
    auto with = [](long long a, long long b) {
      auto pay = [&](int x, int y) { return std::to_string(a + x) + " " + std::to_string(b + y); };
      const std::string text = "EFG 2 R \"m\" { \"A\" \"B\" }\np \"\" 1 1 \"\" { \"H\" \"T\" } 0\n"
                               "p \"\" 2 1 \"\" { \"h\" \"t\" } 0\nt \"\" 1 \"\" { " + pay(3, 0) + " }\n"
                               "t \"\" 2 \"\" { " + pay(0, 1) + " }\np \"\" 2 1 \"\" { \"h\" \"t\" } 0\n"
                               "t \"\" 3 \"\" { " + pay(0, 1) + " }\nt \"\" 4 \"\" { " + pay(2, 0) + " }\n";
      return QreAt(*io::ReadEfg(text, "m.efg"), 0.7).behavior;
    };
    const std::vector<double> plain = with(0, 0), shifted = with(1000000000000LL, -500000000LL);
    REQUIRE(plain.size() == shifted.size());
    for (std::size_t i = 0; i < plain.size(); ++i) CHECK(shifted[i] == doctest::Approx(plain[i]).epsilon(1e-9));
  }

  TEST_CASE("tied actions stay tied at any lambda") {
    // Two actions paying 3 each: 1/2 each at every lambda. At 1e16, lambda u + ln 2 rounded to
    // lambda u and each got probability 1 (at 1e15, e^-0.5 = 0.6065 each).
    auto game = io::ReadEfg(R"(EFG 2 R "tie" { "A" "B" }
p "" 1 1 "" { "l" "r" } 0
t "" 1 "" { 3 0 }
t "" 2 "" { 3 0 }
)", "tie.efg");
    for (double lambda : {1e7, 1e15, 1e16, 1e300}) {
      CAPTURE(lambda);
      QrePoint q = QreAt(*game, lambda);
      CHECK(q.behavior == std::vector<double>{0.5, 0.5});
    }
    // Past what lambda times the payoffs can hold (1e308 x 3): the trace stops at its largest
    // lambda (the command says so), not a crash on a check of the equations.
    QrePoint far = QreAt(*game, 1e308);
    CHECK(far.behavior.empty());
    CHECK(far.stats.status == LogitStatus::kLambdaLimit);
  }

  TEST_CASE("parley report --qre: the section in Markdown and HTML") {
    std::string game = testing::WriteTempFile("take.efg", kTwoStage);
    std::string md = testing::WriteTempFile("qre-report.md", "");
    auto r = testing::RunParley("report " + game + " --qre 2 -o " + md);
    REQUIRE(r.exit_code == 0);
    std::string text = testing::ReadFile(md);
    CHECK(text.find("Quantal response equilibrium at lambda = 2") != std::string::npos);
    CHECK(text.find("0.880797") != std::string::npos);  // P(l), closed form above
    CHECK(text.find("0.783263") != std::string::npos);  // P(take)
    CHECK(text.find("Checked: for every pair of actions") != std::string::npos);
    CHECK(text.find("treat this profile with caution") == std::string::npos);
    std::string html = testing::WriteTempFile("qre-report.html", "");
    auto h = testing::RunParley("report " + game + " --qre 2 -o " + html);
    REQUIRE(h.exit_code == 0);
    std::string page = testing::ReadFile(html);
    CHECK(page.find("id=\"qre\"") != std::string::npos);
    CHECK(page.find("0.783263") != std::string::npos);
    // Without --qre there is no such section.
    auto plain = testing::RunParley("report " + game + " -o " + md);
    REQUIRE(plain.exit_code == 0);
    CHECK(testing::ReadFile(md).find("Quantal response equilibrium") == std::string::npos);
  }

  TEST_CASE("the QRE check at steep lambda x payoffs: rounding is not a violation, an error is") {
    // Payoffs up to 1e9 at lambda 0.01: lambda x payoff is about 1e7, where a double's steps
    // are 1.9e-9, so the conditions compare terms of 1e7 and rounding alone exceeds 1e-9.
    const std::string path = testing::SourcePath("tests/data/billions_3p.efg");
    auto game = io::LoadGame(path);
    QrePoint q = QreAt(*game, 0.01);
    REQUIRE(!q.behavior.empty());
    CHECK(q.check.scale > 1e6);
    CHECK(q.check.holds());
    CHECK(q.check.violation <= 1e-13 * q.check.scale);
    // One log-probability off by 1e-3 at the first personal set with two actions is caught.
    ActionIndex index(*game);
    std::vector<double> off = q.log_behavior;
    for (model::InfosetId h = 0; h < game->num_infosets(); ++h)
      if (game->infoset_player(h) != model::kChancePlayer && game->num_actions(h) >= 2) {
        off[index.first(h)] += 1e-3;
        break;
      }
    QreCheck bad = CheckQreFromLog(*game, index, off, 0.01);
    CHECK(bad.violation >= 0.9e-3);
    CHECK_FALSE(bad.holds());
    // The report says why the bar is above 1e-9, and does not cry caution.
    std::string md = testing::WriteTempFile("qre-billions.md", "");
    auto r = testing::RunParley("report '" + path + "' --qre 0.01 -o " + md);
    REQUIRE(r.exit_code == 0);
    std::string text = testing::ReadFile(md);
    CHECK(text.find("treat this profile with caution") == std::string::npos);
    CHECK(text.find("that rounding allows where the terms compared reach") != std::string::npos);
  }
}

}  // namespace
}  // namespace parley::equilibrium
