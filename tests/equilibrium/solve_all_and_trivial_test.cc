// `--all` that does not enumerate says so (complete: false); the logit method on a game with
// nothing to choose returns its only profile; what --exact with --method logit on two players
// says; an .nfg made from an extensive game and read back as a tree says what it is.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>

#include "solver/equilibrium/solve.h"
#include "solver/equilibrium/strategic_form.h"
#include "solver/equilibrium/verify.h"
#include "solver/io/efg.h"
#include "solver/io/nfg.h"
#include "solver/model/error.h"
#include "solver/report/solution.h"
#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

constexpr const char* kCoordination3 = R"(NFG 1 R "3-player coordination" { "P1" "P2" "P3" } { 2 2 2 }

1 1 1  0 0 0  0 0 0  0 0 0  0 0 0  0 0 0  0 0 0  2 2 2
)";

// Chance, then one player with a single action at a set of two nodes.
constexpr const char* kOneAction2 = R"(EFG 2 R "one-action set of two nodes" { "P1" "P2" }
""
c "" 1 "" { "x" 1/2 "y" 1/2 } 0
p "" 2 1 "B" { "go" } 0
t "" 1 "" { 1 -1 }
p "" 2 1 0
t "" 2 "" { -1 1 }
)";

constexpr const char* kOneAction3 = R"(EFG 2 R "one-action set of two nodes" { "P1" "P2" "P3" }
""
c "" 1 "" { "x" 1/2 "y" 1/2 } 0
p "" 2 1 "B" { "go" } 0
t "" 1 "" { 1 -1 0 }
p "" 2 1 0
t "" 2 "" { -1 1 0 }
)";

TEST_SUITE("equilibrium.solve_all") {
  TEST_CASE("--all on three players is one equilibrium, not an enumeration: complete is false") {
    auto game = io::ReadNfg(kCoordination3, "coord3.nfg").ToExtensive();
    SolveOptions options;
    options.all = true;
    Solution s = Solve(*game, options);
    REQUIRE(s.equilibria.size() == 1);
    CHECK_FALSE(s.complete);
    CHECK(s.stopped_by == "not enumerated");
    nlohmann::json doc = report::SolutionJson(*game, s);
    CHECK(doc["complete"] == false);
    CHECK(doc["stopped_by"] == "not enumerated");
    CHECK(report::SolutionText(*game, s).find("(not an enumeration: see the note)") != std::string::npos);
    // Without --all, one equilibrium is what was asked for.
    CHECK(Solve(*game, {}).complete);
  }

  TEST_CASE("--all on three players of whom two move in each subgame: every extreme equilibrium") {
    // C stays out (1 to C) or lets A and B play the battle of the sexes: (L, l) pays (2, 1) and
    // 3 to C, (R, r) pays (1, 2) and 0 to C, a mismatch (0, 0) and 1 to C. The subgame's
    // equilibria: (L, l); (R, r); and the mixed one, A L with 2/3 and B l with 1/3 (each
    // making the other indifferent: B's 1 p = 2 (1 - p), A's 2 q = 1 - q), worth 2/3 to each,
    // and to C 3 (2/9) + 0 (2/9) + 1 (4/9 + 1/9) = 11/9. C goes in after (L, l) (3 > 1) and after
    // the mixed one (11/9 > 1), stays out after (R, r) (0 < 1).
    auto game = io::ReadEfg(R"(EFG 2 R "C, then battle of the sexes" { "A" "B" "C" }
""
p "" 3 1 "C" { "in" "out" } 0
p "" 1 1 "A" { "L" "R" } 0
p "" 2 1 "B" { "l" "r" } 0
t "" 1 "" { 2 1 3 }
t "" 2 "" { 0 0 1 }
p "" 2 1 0
t "" 3 "" { 0 0 1 }
t "" 4 "" { 1 2 0 }
t "" 5 "" { 0 0 1 }
)",
                            "bos3.efg");
    SolveOptions options;
    options.all = true;
    Solution s = Solve(*game, options);
    CHECK(s.complete);
    CHECK(s.exact);
    REQUIRE(s.equilibria.size() == 3);
    std::set<std::vector<Rational>> payoffs;
    for (const Equilibrium& eq : s.equilibria) payoffs.insert(eq.exact_payoffs);
    const std::set<std::vector<Rational>> expected = {{Rational(2), Rational(1), Rational(3)},
                                                      {Rational(2, 3), Rational(2, 3), Rational(11, 9)},
                                                      {Rational(0), Rational(0), Rational(1)}};
    CHECK(payoffs == expected);
    // Three moving in one subgame: one equilibrium, said not to be an enumeration (above).
  }

  TEST_CASE("--all on random three-player games of two-mover stages: each equilibrium verified exactly") {
    // NestedSubgamesEfg (as in subgame_perfect_test.cc): chance, moves seen by all, and
    // simultaneous stages of two players with a bystander, nested. Each enumerated profile is
    // checked by the verifier in exact arithmetic, and its payoffs against the tree's values.
    int games = 0, listed = 0;
    for (unsigned seed = 1; seed <= 12; ++seed) {
      CAPTURE(seed);
      std::mt19937 rng(seed);
      std::uniform_int_distribution<int> pay(-5, 9), coin(0, 2);
      // Two stages of a simultaneous move (P mover, Q blind), after a move of the third player.
      std::string text = "EFG 2 R \"stages\" { \"A\" \"B\" \"C\" }\n\"\"\n";
      int outcome = 0;
      auto leaf = [&] {
        text += "t \"\" " + std::to_string(++outcome) + " \"\" { " + std::to_string(pay(rng)) + " " +
                std::to_string(pay(rng)) + " " + std::to_string(pay(rng)) + " }\n";
      };
      const int lead = seed % 3 + 1, p = lead % 3 + 1, q = p % 3 + 1;
      text += "p \"\" " + std::to_string(lead) + " 1 \"lead\" { \"x\" \"y\" } 0\n";
      for (int branch = 0; branch < 2; ++branch) {
        const int mover = branch == 0 ? p : q, blind = branch == 0 ? q : lead;
        text += "p \"\" " + std::to_string(mover) + " " + std::to_string(10 + branch) + " \"\" { \"u\" \"v\" } 0\n";
        for (int a = 0; a < 2; ++a) {
          text += "p \"\" " + std::to_string(blind) + " " + std::to_string(20 + branch) + " \"\" { \"s\" \"t\" } 0\n";
          leaf();
          if (coin(rng) == 0) {
            text += "c \"\" " + std::to_string(++outcome + 100) + " \"\" { \"h\" 1/3 \"k\" 2/3 } 0\n";
            leaf();
            leaf();
          } else {
            leaf();
          }
        }
      }
      auto game = io::ReadEfg(text, "stages.efg");
      SolveOptions options;
      options.all = true;
      Solution s = Solve(*game, options);
      CHECK(s.complete);
      REQUIRE(!s.equilibria.empty());
      ActionIndex index(*game);
      for (const Equilibrium& eq : s.equilibria) {
        CHECK(MaxSubgameGain<Rational>(*game, index, eq.exact_behavior) == 0);
        const std::vector<Rational> values = NodeValuesAs<Rational>(*game, index, eq.exact_behavior);
        for (std::size_t player = 0; player < 3; ++player) CHECK(eq.exact_payoffs.at(player) == values[player]);
      }
      ++games;
      listed += static_cast<int>(s.equilibria.size());
    }
    CHECK(games == 12);
    CHECK(listed > games);  // some games have more than one
  }

  TEST_CASE("--all with --method lemke on two players is not an enumeration, auto is") {
    auto game = io::ReadEfg(testing::kMatchingPenniesEfg, "mp.efg");
    SolveOptions options;
    options.all = true;
    options.method = "lemke";
    Solution lemke = Solve(*game, options);
    CHECK_FALSE(lemke.complete);
    CHECK(report::SolutionJson(*game, lemke)["complete"] == false);
    options.method = "auto";
    Solution all = Solve(*game, options);
    CHECK(all.complete);
    CHECK(report::SolutionJson(*game, all)["complete"] == true);
  }

  TEST_CASE("logit on a game where every set has one action: the only profile, verified") {
    for (const char* text : {kOneAction2, kOneAction3}) {
      auto game = io::ReadEfg(text, "one.efg");
      SolveOptions options;
      options.method = "logit";
      Solution s = Solve(*game, options);
      REQUIRE(s.equilibria.size() == 1);
      CHECK(s.equilibria[0].max_gain == 0);
      CHECK(s.equilibria[0].payoffs[0] == 0);
      ActionIndex index(*game);
      CHECK(s.equilibria[0].behavior[index(game->infoset(1), 0)] == 1);
    }
    // Three players take the logit method by default.
    auto game = io::ReadEfg(kOneAction3, "one3.efg");
    CHECK(Solve(*game, {}).equilibria.size() == 1);
  }

  TEST_CASE("a game that is one leaf, by every method: its outcome, and a method that says so") {
    // --method logit (lp, lemke) printed "subgame decomposition into 0 proper subgames: ;".
    auto game = io::ReadEfg("EFG 2 R \"leaf\" { \"A\" \"B\" }\nt \"\" 1 \"\" { 1 2 }\n", "leaf.efg");
    for (const char* method : {"logit", "lp", "lemke"}) {
      CAPTURE(method);
      SolveOptions options;
      options.method = method;
      Solution s = Solve(*game, options);
      REQUIRE(s.equilibria.size() == 1);
      CHECK(s.equilibria[0].payoffs == std::vector<double>{1, 2});
      CHECK(s.method == "nothing to decide (the game is a single outcome)");
    }
  }

  TEST_CASE("every payoff equal: every profile is an equilibrium, and no note about rounding") {
    // Three players with hidden moves, all paying 1: the tolerance (1e-9 of the payoffs'
    // span) is 0, and the rounding allowance of the check (1e-13 of the values) exceeded it,
    // which printed "where values that large meet ... (--exact settles it)": neither is so
    // (nothing is large, and --exact is refused for three players).
    auto game = io::ReadEfg(R"(EFG 2 R "all equal" { "A" "B" "C" }
p "" 1 1 "" { "l" "r" } 0
p "" 2 1 "" { "l" "r" } 0
p "" 3 1 "" { "l" "r" } 0
t "" 1 "" { 1 1 1 }
t "" 1
p "" 3 1 0
t "" 1
t "" 1
p "" 2 1 0
p "" 3 1 0
t "" 1
t "" 1
p "" 3 1 0
t "" 1
t "" 1
)", "equal.efg");
    Solution s = Solve(*game, {});
    REQUIRE(s.equilibria.size() == 1);
    CHECK(s.equilibria[0].max_gain == 0);
    CHECK(s.notes.empty());
  }

  TEST_CASE("--exact with --method logit on two players: the message says why, truthfully") {
    auto game = io::ReadEfg(R"(EFG 2 R "hidden" { "A" "B" }
""
p "" 1 1 "A" { "U" "D" } 0
p "" 2 1 "B" { "l" "r" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 0 1 }
p "" 2 1 0
t "" 3 "" { 0 1 }
t "" 4 "" { 1 0 }
)", "hidden.efg");
    SolveOptions options;
    options.exact = true;
    options.method = "logit";
    std::string message;
    try {
      Solve(*game, options);
    } catch (const UnsupportedError& e) {
      message = e.what();
    }
    CHECK(message.find("the game has 2 players") == std::string::npos);
    CHECK(message.find("only for two players") == std::string::npos);
    CHECK(message.find("the logit method (--method logit) works only in floating point") != std::string::npos);
  }
}

TEST_SUITE("model.normal_form") {
  TEST_CASE("an .nfg made from an extensive game, read back as a tree, says it was converted") {
    auto game = io::ReadEfg(testing::kMatchingPenniesEfg, "mp.efg");
    const std::string nfg = io::WriteNfgString(ReducedStrategicForm(*game));
    auto tree = io::ReadNfg(nfg, "mp.nfg").ToExtensive();
    CHECK(tree->comment().rfind("A tree of simultaneous moves converted from the reduced strategic form", 0) == 0);
    CHECK(tree->comment().find("Reduced strategic form of an extensive game") == std::string::npos);
    // Other comments are kept as they are.
    auto plain = io::ReadNfg("NFG 1 R \"t\" { \"A\" \"B\" } { 1 1 }\n\"my comment\"\n1 2\n", "t.nfg").ToExtensive();
    CHECK(plain->comment() == "my comment");
  }
}

}  // namespace
}  // namespace parley::equilibrium
