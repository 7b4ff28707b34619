// The text and JSON of `parley solve` (solver/report/solution.h): numbers shown at the game's
// own scale, and fractions only for exact quantities of a game whose numbers were stated.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "solver/equilibrium/backward_induction.h"
#include "solver/equilibrium/solve.h"
#include "solver/io/efg.h"
#include "solver/model/game_builder.h"
#include "solver/report/solution.h"

namespace parley::report {
namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Payoffs in units of 1e-13: A takes R, worth 4e-13 to A and 1e-13 to B.
const char* kTinyUnits = R"(EFG 2 R "tiny units" { "A" "B" }
p "" 1 1 "s" { "L" "R" } 0
t "" 1 "o" { 3e-13 5e-13 }
t "" 2 "o" { 4e-13 1e-13 }
)";

// Payoffs +-1e-20 after a coin of 2/3 and 1/3: A expects 2/3 1e-20 - 1/3 1e-20 = 1e-20/3.
const char* kCoin1e20 = R"(EFG 2 R "coin" { "A" "B" }
c "" 1 "coin" { "x" 2/3 "y" 1/3 } 0
t "" 1 "o" { 1e-20 -1e-20 }
t "" 2 "p" { -1e-20 1e-20 }
)";

equilibrium::Solution SolveText(const model::Game& game, bool exact) {
  equilibrium::SolveOptions options;
  options.exact = exact;
  return equilibrium::Solve(game, options);
}

TEST_SUITE("report.solution") {
  TEST_CASE("ShowNumber: an integer only within rounding, measured at the given unit") {
    CHECK(ShowNumber(2.9999999999999996) == "3");          // 4.4e-16 below 3: rounding
    CHECK(ShowNumber(-2.9999999999999996) == "-3");
    CHECK(ShowNumber(4.440892098500626e-16) == "0");       // residue of 0 at unit 1
    CHECK(ShowNumber(0.1 + 0.2) == "0.3");                 // 10 significant digits
    CHECK(ShowNumber(4e-13, 5e-13) == "4e-13");            // at the game's unit 5e-13
    CHECK(ShowNumber(1e-20 / 3, 1e-20) == "3.333333333e-21");
    CHECK(ShowNumber(4.440892098500626e-29, 1e-13) == "0");  // 1e-12 of the unit 1e-13 is 1e-25
    CHECK(ShowNumber(123456789012.0, 1) == "123456789012");
    // Past 1e9 ten significant digits do not reach the point: 1000000002.5 printed as
    // 1000000002 (and 1e12 + 2.5 as 1000000000003), integers they are not.
    CHECK(ShowNumber(1000000002.5) == "1000000002.5");
    CHECK(ShowNumber(1e12 + 2.5) == "1000000000002.5");
    CHECK(ShowNumber(1e9 / 3 * 10) == "3333333333.3333");
    CHECK(ShowNumber(1234.5678901234) == "1234.56789");  // below 1e9: ten digits, as before
    CHECK(ShowNumber(5e14 + 2.5) == "500000000000002.5");  // ulp 0.0625: not an integer
    CHECK(ShowNumber(1e14 + 0.5) == "100000000000000.5");
    CHECK(ShowNumber(1e13 + 0.3) == "10000000000000.3");    // not %.17g's 10000000000000.301
    CHECK(ShowNumber(1e23) == "1e+23");
    CHECK(ShowNumber(1e9 + 1e-7) == "1000000000");          // one ulp: rounding
    // Ten digits of 1.0000000002 read "1": an integer it is not (2e-10 from one, beyond the
    // tie rule's 1e-12), so the digits go on to its first non-zero decimal.
    CHECK(ShowNumber(1.0000000002) == "1.0000000002");
    CHECK(ShowNumber(-1.0000000002) == "-1.0000000002");
    CHECK(ShowNumber(1.00000000001) == "1.00000000001");
    CHECK(ShowNumber(0.99999999999) == "0.99999999999");
    CHECK(ShowNumber(123456.0000001) == "123456.0000001");
    CHECK(ShowNumber(1 + 1e-13) == "1");                    // within 1e-12: rounding
  }

  TEST_CASE("a game in units of 1e-13 shows its payoffs, not 0") {
    model::GamePtr game = io::ReadEfg(kTinyUnits, "t.efg");
    std::string text = SolutionText(*game, SolveText(*game, false));
    CHECK(Has(text, "  Payoffs: A 4e-13, B 1e-13\n"));
    CHECK(Has(text, "  Verified: the largest gain from deviating in any subgame is 0\n"));
  }

  TEST_CASE("a gain too small to show: the tie rule where backward induction's note names it, else rounding") {
    // The same solution with a gain of 3.3e-16 among payoffs of about 1: a Lemke answer's
    // rounding is not backward induction's tie rule, which only its note would make it.
    model::GamePtr game = io::ReadEfg(R"(EFG 2 R "g" { "A" "B" }
p "" 1 1 "s" { "L" "R" } 0
t "" 1 "o" { 1 0 }
t "" 2 "p" { 0.5 1 }
)", "g.efg");
    equilibrium::Solution s = SolveText(*game, false);
    REQUIRE(s.equilibria.size() == 1);
    s.notes.clear();
    s.equilibria[0].max_gain = 3.3306690738754696e-16;
    CHECK(Has(SolutionText(*game, s),
              "  Verified: the largest gain from deviating in any subgame is 3.33e-16, rounding beside the payoffs\n"));
    s.notes.push_back("the largest gain from deviating, 3.33e-16, is within the tie rule: values within 1e-12 of "
                      "their size count as equal (--exact compares them exactly)");
    CHECK(Has(SolutionText(*game, s),
              "  Verified: the largest gain from deviating in any subgame is 3.33e-16, within the tie rule\n"));
  }

  TEST_CASE("--exact: the outcome distribution and the beliefs in fractions, as the JSON has them") {
    // OpenAI presses or drops; Microsoft, not seeing which, settles or fights. The equilibrium
    // mixes press 1/2 and settle 1/4, so the outcomes have probabilities 3/8, 3/8, 1/8 and 1/8,
    // and Microsoft's beliefs are 1/2 and 1/2. They were shown as 0.375 and 0.5 with --exact.
    model::GamePtr game = io::ReadEfg(R"(EFG 2 R "Complaint" { "OpenAI" "Microsoft" }
p "" 1 1 "complaint" { "press" "drop" } 0
p "" 2 1 "after complaint" { "settle" "fight" } 0
t "" 1 "" { 3 -3 }
t "" 2 "" { -1 -2 }
p "" 2 1 0
t "" 3 "" { 0 0 }
t "" 4 "" { 0 -1 }
)", "complaint.efg");
    std::string text = SolutionText(*game, SolveText(*game, true));
    CHECK(Has(text, "    3/8  OpenAI press, Microsoft fight  (-1, -2)\n"));
    CHECK(Has(text, "    1/8  OpenAI drop, Microsoft settle  (0, 0)\n"));
    CHECK(Has(text, "    Microsoft at [after complaint]: after press 1/2, after drop 1/2 (Bayes' rule)\n"));
    std::string doubles = SolutionText(*game, SolveText(*game, false));
    CHECK(Has(doubles, "    0.375  OpenAI press, Microsoft fight  (-1, -2)\n"));
    CHECK(Has(doubles, "after press 0.5, after drop 0.5 (Bayes' rule)\n"));
  }

  TEST_CASE("a game with payoffs +-1e-20 shows its values, not 0") {
    model::GamePtr game = io::ReadEfg(kCoin1e20, "coin.efg");
    std::string text = SolutionText(*game, SolveText(*game, false));
    CHECK(Has(text, "  Payoffs: A 3.333333333e-21, B -3.333333333e-21\n"));
    CHECK(Has(text, "    0.6666666667  chance x  (1e-20, -1e-20)\n"));
    CHECK(Has(text, "    0.3333333333  chance y  (-1e-20, 1e-20)\n"));
    // Exactly: 1e-20/3 = 1/300000000000000000000, with no note (every number was stated).
    std::string exact = SolutionText(*game, SolveText(*game, true));
    CHECK(Has(exact, "  Payoffs: A 1/300000000000000000000, B -1/300000000000000000000\n"));
    CHECK_FALSE(Has(exact, "Note:"));
  }

  TEST_CASE("a path of chance probability 1e-13 is not shown as probability 0") {
    // A coin of 1e-13 and 1 - 1e-13 (stated exactly), nobody moves.
    model::GamePtr game = io::ReadEfg(R"(EFG 2 R "rare" { "A" }
c "" 1 "coin" { "rare" 1e-13 "usual" 9999999999999/10000000000000 } 0
t "" 1 "o" { 1 }
t "" 2 "p" { 0 }
)", "rare.efg");
    std::string text = SolutionText(*game, SolveText(*game, false));
    CHECK(Has(text, "    1e-13  chance rare  (1)\n"));
    CHECK(Has(text, "    1  chance usual  (0)\n"));  // 0.9999999999999 to 10 digits
  }

  TEST_CASE("ties in a game of small units name only the actions that tie") {
    // a and b both pay 1e-13, c pays 5e-14: a tie of a and b, c worse by half the payoffs'
    // size (with a bar of 1e-9 + 1e-9 |best| it counted as equally good).
    model::GamePtr game = io::ReadEfg(R"(EFG 2 R "ties" { "A" }
p "" 1 1 "s" { "a" "b" "c" } 0
t "" 1 "o" { 1e-13 }
t "" 2 "p" { 1e-13 }
t "" 3 "q" { 5e-14 }
)", "ties.efg");
    std::string text = SolutionText(*game, SolveText(*game, false));
    CHECK(Has(text, "    A at [s]: a and b are equally good; this equilibrium takes a\n"));
  }

  TEST_CASE("--exact: numbers stated in the file are exact whatever their denominators") {
    // 1e-13, 1/10^13, 1.1234567890123456 and 1/10^18 + 1/3: denominators of 2^40 and more,
    // all stated exactly. A takes R (1.12... > 1e-13).
    model::GamePtr game = io::ReadEfg(R"(EFG 2 R "stated" { "A" "B" }
p "" 1 1 "s" { "L" "R" } 0
t "" 1 "o" { 1e-13 1/10000000000000 }
t "" 2 "p" { 1.1234567890123456 1000000000000000003/3000000000000000000 }
)", "stated.efg");
    CHECK(StatedExactly(*game));
    equilibrium::Solution solution = SolveText(*game, true);
    std::string text = SolutionText(*game, solution);
    CHECK(Has(text, "  Payoffs: A 175540123283179/156250000000000, B 1000000000000000003/3000000000000000000\n"));
    CHECK_FALSE(Has(text, "Note:"));
    nlohmann::json json = SolutionJson(*game, solution);
    CHECK(json["exact"] == true);
    CHECK(json["equilibria"][0]["payoffs"] ==
          nlohmann::json({"175540123283179/156250000000000", "1000000000000000003/3000000000000000000"}));
    CHECK(json.find("notes") == json.end());
  }

  TEST_CASE("exact arithmetic on computed numbers: decimals, a note naming no option, exact false") {
    // A payoff computed in floating point (a formula's 0.1 * 3), here given as a double.
    model::GameBuilder b({"A"});
    std::vector<std::string> actions{"x", "y"};
    model::InfosetId h = b.AddInfoset(0, "s", actions);
    model::NodeId root = b.AddNode(model::kNoNode, h);
    b.AddTerminal(root, b.AddOutcome(std::vector<double>{0.1 * 3}));
    b.AddTerminal(root, b.AddOutcome(std::vector<double>{0}));
    model::GamePtr game = b.Build();
    CHECK_FALSE(StatedExactly(*game));
    equilibrium::Solution solution = SolveText(*game, true);
    REQUIRE(solution.exact);
    std::string text = SolutionText(*game, solution);
    CHECK(Has(text, "Note: exact arithmetic: some payoffs or probabilities of this game were computed in "
                    "floating point (formulas, or JSON numbers, which are doubles), so no result is exact; "
                    "payoffs and probabilities are shown as decimals\n"));
    CHECK_FALSE(Has(text, "--exact"));
    CHECK(Has(text, "  Payoffs: A 0.3\n"));
    nlohmann::json json = SolutionJson(*game, solution);
    CHECK(json["exact"] == false);
    CHECK(json["equilibria"][0]["payoffs"] == nlohmann::json({0.30000000000000004}));
  }

  TEST_CASE("--all: the list is said to be cut at --max only when --max alone cut it") {
    // A chooses out (-1) or in: then a binary tree of depth 6 where every leaf pays 0, so
    // every choice inside is a tie and there are 2^63 subgame-perfect equilibria.
    std::string efg = "EFG 2 R \"ties\" { \"A\" \"B\" }\np \"\" 1 1 \"\" { \"out\" \"in\" } 0\n"
                      "t \"\" 1 \"\" { -1 0 }\n";
    int sets = 1;
    auto tree = [&](auto& self, int depth) -> void {
      if (depth == 0) {
        efg += "t \"\" 2 \"\" { 0 0 }\n";
        return;
      }
      efg += "p \"\" " + std::to_string(depth % 2 ? 2 : 1) + " " + std::to_string(++sets) +
             " \"\" { \"l\" \"r\" } 0\n";
      self(self, depth - 1);
      self(self, depth - 1);
    };
    tree(tree, 6);
    model::GamePtr game = io::ReadEfg(efg, "ties.efg");
    const std::size_t actions = equilibrium::ActionIndex(*game).size();
    equilibrium::BackwardInductionOptions options;
    options.all = true;
    options.max_equilibria = 50;
    // --max cut the list: 50 listed.
    equilibrium::Solution cut = equilibrium::SolveBackwardInduction(*game, options);
    REQUIRE(cut.truncated);
    REQUIRE(cut.complete);
    REQUIRE(cut.equilibria.size() == 50);
    CHECK(Has(SolutionText(*game, cut), "50 subgame-perfect equilibria listed (the list was cut at --max; "
                                        "there are more)\n"));
    nlohmann::json json = SolutionJson(*game, cut);
    CHECK(json["truncated"] == true);
    CHECK(json["truncated_by"] == "--max");
    // The cap on the profiles listed cut it to 10, shorter than --max: the text named --max
    // (as for alternating_offers.yaml --all, 17 listed at --max 1000).
    options.max_listed_numbers = 10 * actions;
    equilibrium::Solution guarded = equilibrium::SolveBackwardInduction(*game, options);
    REQUIRE(guarded.truncated);
    REQUIRE_FALSE(guarded.complete);
    REQUIRE(guarded.equilibria.size() == 10);
    std::string text = SolutionText(*game, guarded);
    CHECK(Has(text, "10 subgame-perfect equilibria listed (there are more) (incomplete: a limit stopped the "
                    "enumeration)\n"));
    CHECK_FALSE(Has(text, "--max"));
    CHECK(Has(text, "so only the first 10 are listed"));
    json = SolutionJson(*game, guarded);
    CHECK(json["truncated"] == true);
    CHECK(json["truncated_by"] == "limit");
    CHECK(json["complete"] == false);
    // Nothing cut: no truncated_by.
    equilibrium::BackwardInductionOptions one;
    json = SolutionJson(*game, equilibrium::SolveBackwardInduction(*game, one));
    CHECK(json["truncated"] == false);
    CHECK(json.find("truncated_by") == json.end());
  }
}

}  // namespace
}  // namespace parley::report
