// `parley report GAME --qre L`: the QRE section in HTML and Markdown, with its check.
#include <doctest/doctest.h>

#include <cmath>

#include "solver/equilibrium/logit.h"
#include "solver/io/efg.h"
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
    CHECK(q.max_violation < 1e-10);
    // A profile that is not the QRE fails the check: uniform play at lambda 2.
    ActionIndex index(*game);
    CHECK(QreViolation(*game, index, {0.5, 0.5, 0.5, 0.5}, 2.0) > 1);
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
}

}  // namespace
}  // namespace parley::equilibrium
