// Numbers in reports and drawings: a value is never shown as another (a payoff of 3e-13 as 0,
// 1000000000002.5 as 1000000000003), rounding noise still reads cleanly, and with --exact the
// explanation quotes the exact values the payoff table shows. The three games are a review's
// findings (tests/report: finding 1 tiny units, 2 a large half, 3 exact values).
#include <doctest/doctest.h>

#include <string>

#include "solver/equilibrium/solve.h"
#include "solver/io/efg.h"
#include "solver/report/dot.h"
#include "solver/report/explain.h"
#include "solver/report/markdown.h"
#include "solver/report/report.h"
#include "solver/report/text.h"

namespace parley::report {
namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The Markdown report of `game` solved with `exact`, and its DOT drawing.
struct Outputs {
  std::string markdown, dot, explanation;
};

Outputs Render(const model::Game& game, bool exact) {
  equilibrium::SolveOptions options;
  options.exact = exact;
  const equilibrium::Solution solution = equilibrium::Solve(game, options);
  REQUIRE(solution.equilibria.size() == 1);
  ReportInput in;
  in.game = &game;
  in.scenario = ScenarioFromGame(game, "game.efg");
  in.solution = &solution;
  in.generator = "parley";
  Outputs out;
  out.markdown = RenderMarkdown(BuildReport(in), "game").text;
  out.dot = TreeDot(game, &solution.equilibria.front());
  out.explanation = ExplanationText(Explain(game, solution.equilibria.front()));
  return out;
}

constexpr const char* kTinyUnits = R"(EFG 2 R "Tiny units" { "A" "B" }
""

p "" 1 1 "" { "L" "R" } 0
p "" 2 1 "" { "l" "r" } 0
t "" 1 "" { 4e-13 1e-13 }
t "" 2 "" { 1e-13 2e-13 }
t "" 3 "" { 3e-13 3e-13 }
)";

constexpr const char* kHalfBig = R"(EFG 2 R "Large half" { "A" "B" }
""

p "" 1 1 "" { "L" "R" } 0
t "" 1 "" { 1000000000002.5 1 }
t "" 2 "" { 1000000000000 2 }
)";

constexpr const char* kExactDoubles = R"(EFG 2 R "exact report, double values" { "A" "B" }
""

p "" 2 1 "" { "safe" "risky" } 1 "" { 0 -1e15 }
t "" 2 "" { 0 1e15 }
c "" 1 "" { "x" 0.3 "y" 0.7 } 0
t "" 3 "" { 0 999999999999999 }
t "" 4 "" { 1 1e15 }
)";

// The same, with the -1e15 on the chance node: no values tie in doubles, so the solver stays
// in floating point (the game above falls back to exact arithmetic even without --exact).
constexpr const char* kInnerDoubles = R"(EFG 2 R "inner outcome, doubles" { "A" "B" }
""

p "" 2 1 "" { "safe" "risky" } 0
t "" 1 "" { 0 0 }
c "" 1 "" { "x" 0.3 "y" 0.7 } 4 "" { 0 -1e15 }
t "" 2 "" { 0 999999999999999 }
t "" 3 "" { 1 1e15 }
)";

}  // namespace

TEST_SUITE("report.numbers") {
  TEST_CASE("FormatValue: noise at the game's scale reads cleanly, nothing else is rounded away") {
    // A game stated in units of 1e-13 (TieUnit 4e-13): its payoffs are no rounding residue.
    CHECK(FormatValue(3e-13, 4e-13) == "3e-13");
    CHECK(FormatValue(-1e-13, 4e-13) == "-1e-13");
    // At unit 1, a residue of a payoff sum is 0, as before.
    CHECK(FormatValue(1e-17, 1) == "0");
    CHECK(FormatValue(1e-13) == "0");
    CHECK(FormatValue(0.1 + 0.2, 1) == "0.3");
    CHECK(FormatValue(2.9999999999999996, 1) == "3");
    // Large values: a few units in the last place, not 1e-9 of the value (1000 at 1e12).
    CHECK(FormatValue(1000000000002.5, 1) == "1000000000002.5");
    CHECK(FormatValue(1234567890.123, 1) == "1234567890.123");
    CHECK(FormatValue(1e12, 1) == "1000000000000");
    CHECK(FormatValue(1e12 + 2, 1) == "1000000000002");
    // Six digits that would change the integer part are not used.
    CHECK(FormatValue(999999.7, 1) == "999999.7");
    CHECK(FormatValue(2999999.99999, 1) == "2999999.99999");
    // A value found by a search still reads as the fraction it is within 1e-9.
    CHECK(FormatValue(0.6666666666705658, 1) == "2/3");
    CHECK(FormatValue(5e-10) == "5e-10");
  }

  TEST_CASE("a game in units of 1e-13: the report and the drawing show its payoffs, not 0") {
    auto game = io::ReadEfg(kTinyUnits, "tiny_units.efg");
    const Outputs out = Render(*game, false);
    CHECK(Has(out.markdown, "| A | 3e-13 |"));
    CHECK(Has(out.markdown, "| B | 3e-13 |"));
    CHECK(Has(out.markdown, "the payoffs are A 3e-13 and B 3e-13"));
    CHECK(Has(out.explanation, "compares L (1e-13) with R (3e-13)"));
    CHECK(Has(out.dot, "label=\"4e-13, 1e-13\""));
    CHECK(Has(out.dot, "label=\"1e-13, 2e-13\""));
    CHECK(Has(out.dot, "label=\"3e-13, 3e-13\""));
    CHECK_FALSE(Has(out.dot, "label=\"0, 0\""));
    CHECK_FALSE(Has(out.markdown, "| A | 0 |"));
  }

  TEST_CASE("1000000000002.5 is not shown as 1000000000003, with or without --exact") {
    auto game = io::ReadEfg(kHalfBig, "half_big.efg");
    const Outputs out = Render(*game, false);
    CHECK(Has(out.markdown, "| A | 1000000000002.5 |"));
    // (2.5 apart, 2.5e-12 of their size: beyond the solver's tie rule of 1e-12, so the doubles'
    // answer stands; within it, a game stated exactly is solved again exactly.)
    CHECK(Has(out.explanation, "compares L (1000000000002.5) with R (1000000000000) and chooses L."));
    CHECK(Has(out.explanation, "the payoffs are A 1000000000002.5 and B 1"));
    CHECK(Has(out.dot, "label=\"1000000000002.5, 1\""));
    CHECK_FALSE(Has(out.markdown + out.dot, "1000000000003"));
    // With --exact the table, the comparison and the conclusion give the same exact value.
    const Outputs exact = Render(*game, true);
    CHECK(Has(exact.markdown, "| A | 2000000000005/2 |"));
    CHECK(Has(exact.explanation, "compares L (2000000000005/2) with R (1000000000000) and chooses L."));
    CHECK(Has(exact.explanation, "the payoffs are A 2000000000005/2 and B 1"));
    CHECK_FALSE(Has(exact.markdown + exact.explanation, "1000000000003"));
  }

  TEST_CASE("a probability that is not 1 is not shown as 1, nor one that is not 0 as 0") {
    // Rounding within 1e-15 of 1 or 0 in a computed probability still reads 1 or 0.
    CHECK(FormatProbability(0.999999999999) == "0.999999999999");
    CHECK(FormatProbability(0.9999999995) == "0.9999999995");  // not 0.999999999, as far from it as 1
    CHECK(FormatProbability(0.99999999987654) == "0.99999999988");
    CHECK(FormatProbability(1 - 1e-15) == "0.999999999999999");
    CHECK(FormatProbability(0.9999999999999999) == "1");
    CHECK(FormatProbability(1) == "1");
    CHECK(FormatProbability(0.75) == "0.75");
    CHECK(FormatProbability(1e-13) == "1e-13");
    CHECK(FormatProbability(1e-17) == "0");
    // A chance move of 0.999999999999 beside one of 1e-12 read "probability 1" in the chance
    // step and in the conclusion, as if the two summed to more than 1.
    auto game = io::ReadEfg(R"(EFG 2 R "Near one" { "A" "B" }
""

c "" 1 "" { "likely" 0.999999999999 "rare" 0.000000000001 } 0
p "" 1 1 "" { "L" "R" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 0 1 }
t "" 3 "" { 2 2 }
)",
                            "near_one.efg");
    const Outputs out = Render(*game, false);
    CHECK(Has(out.explanation, "chance draws likely with probability 0.999999999999 (worth"));
    CHECK(Has(out.explanation, "and rare with probability 1e-12 (worth"));
    CHECK(Has(out.explanation, "play is random: with probability 0.999999999999, "));
    CHECK(Has(out.markdown, "chance draws likely with probability 0.999999999999 (worth"));
    CHECK(Has(out.dot, "likely (0.999999999999)"));
    CHECK_FALSE(Has(out.explanation + out.markdown + out.dot, "probability 1 "));
    CHECK_FALSE(Has(out.explanation + out.markdown + out.dot, "probability 1,"));
    // A stated probability is never shown as 1 or 0 unless it is, even within 1e-15 of it.
    auto close = io::ReadEfg(R"(EFG 2 R "Closer" { "A" "B" }
""

c "" 1 "" { "likely" 0.9999999999999999 "rare" 0.0000000000000001 } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 0 1 }
)",
                             "closer.efg");
    CHECK(ChanceProbText(*close, 0, 0) == "0.9999999999999999");
    CHECK(ChanceProbText(*close, 0, 1) != "0");
  }

  TEST_CASE("with --exact the explanation quotes exact values, and its steps agree") {
    // Risky is worth 3/10 * (-1) + 7/10 * 0 = -3/10 to B: an inner outcome of -1e15 above
    // leaves of 999999999999999 and 1e15. Adding the -1e15 after the expectation in doubles
    // gave -0.25 in the root's step, beside -0.3 in the chance step.
    auto game = io::ReadEfg(kExactDoubles, "exact_report_doubles.efg");
    const Outputs exact = Render(*game, true);
    CHECK(Has(exact.explanation, "the players expect A 7/10 and B -3/10 from here"));
    CHECK(Has(exact.explanation, "B compares safe (0) with risky (-3/10) and chooses safe."));
    CHECK_FALSE(Has(exact.explanation, "-0.25"));
    // In doubles both steps quote the same number: the expectation of the leaves' totals.
    auto doubles = io::ReadEfg(kInnerDoubles, "inner_doubles.efg");
    const Outputs plain = Render(*doubles, false);
    CHECK(Has(plain.markdown, "Method: backward induction;"));
    CHECK(Has(plain.explanation, "the players expect A 0.7 and B -0.3 from here"));
    CHECK(Has(plain.explanation, "B compares safe (0) with risky (-0.3) and chooses safe."));
    CHECK_FALSE(Has(plain.explanation, "-0.25"));
  }
}

}  // namespace parley::report
