// Backward induction on games of perfect information: textbook answers worked by hand, and
// every perfect-information game of Gambit's distribution against its reference answers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <random>
#include <nlohmann/json.hpp>
#include <set>

#include "solver/equilibrium/backward_induction.h"
#include "solver/equilibrium/profile.h"
#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "solver/model/error.h"
#include "solver/model/game_builder.h"
#include "solver/report/solution.h"
#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

model::GamePtr Efg(const std::string& text) { return io::ReadEfg(text, "test.efg"); }

// The action label chosen at node v in a pure equilibrium.
std::string Choice(const model::Game& g, const Equilibrium& eq, model::NodeId v) {
  ActionIndex index(g);
  model::InfosetId h = g.infoset(v);
  for (std::uint32_t a = 0; a < g.num_actions(h); ++a)
    if (eq.behavior[index(h, a)] == 1) return std::string(g.action_label(h, a));
  return "(mixed)";
}

// The ultimatum game with a cake of 3 and integer offers 0..3 (offer = the responder's share).
std::string Ultimatum() {
  std::string t = "EFG 2 R \"Ultimatum\" { \"Proposer\" \"Responder\" }\n";
  t += "p \"\" 1 1 \"offer\" { \"0\" \"1\" \"2\" \"3\" } 0\n";
  int outcome = 1;
  for (int offer = 0; offer <= 3; ++offer) {
    t += "p \"\" 2 " + std::to_string(offer + 1) + " \"offered " + std::to_string(offer) +
         "\" { \"accept\" \"reject\" } 0\n";
    t += "t \"\" " + std::to_string(outcome++) + " \"\" { " + std::to_string(3 - offer) + " " +
         std::to_string(offer) + " }\n";
    t += "t \"\" " + std::to_string(outcome++) + " \"\" { 0 0 }\n";
  }
  return t;
}

TEST_SUITE("equilibrium.backward_induction") {
  TEST_CASE("entry deterrence: the entrant enters, Fight is not credible") {
    auto g = io::LoadGame(testing::SourcePath("tests/data/entry_deterrence.efg"));
    Solution s = SolveBackwardInduction(*g);
    REQUIRE(s.equilibria.size() == 1);
    const Equilibrium& eq = s.equilibria[0];
    // Incumbent after In: Fight -1 < Accommodate 1, so Accommodate; Entrant: In 1 > Out 0.
    CHECK(Choice(*g, eq, 1) == "Accommodate");
    CHECK(Choice(*g, eq, 0) == "In");
    CHECK(eq.payoffs == std::vector<double>{1, 1});
    CHECK(eq.max_gain == 0);
    CHECK(eq.indifferent.empty());
  }

  TEST_CASE("centipede: the first mover takes at once, and every mover takes off the path") {
    // The pot doubles each round (1, 2, 4, 8) and whoever takes gets 80 % of it; after four
    // passes the game ends with 4 each. Round 3: player 2 takes 0.8*8 = 6.4 > 4. Round 2:
    // player 1 takes 3.2 > 1.6 (what round 3 leaves him). Round 1: player 2 takes 1.6 > 0.8.
    // Round 0: player 1 takes 0.8 > 0.4. Every mover takes; payoffs (0.8, 0.2).
    std::string t = "EFG 2 R \"Centipede\" { \"1\" \"2\" }\n";
    double pot = 1;
    int outcome = 1;
    for (int i = 0; i < 4; ++i) {
      int mover = i % 2 + 1;
      t += "p \"\" " + std::to_string(mover) + " " + std::to_string(i / 2 + 1) + " \"\" { \"take\" \"pass\" } 0\n";
      double big = 0.8 * pot, small = 0.2 * pot;
      t += "t \"\" " + std::to_string(outcome++) + " \"\" { " +
           (mover == 1 ? std::to_string(big) + " " + std::to_string(small)
                       : std::to_string(small) + " " + std::to_string(big)) + " }\n";
      pot *= 2;
    }
    t += "t \"\" " + std::to_string(outcome) + " \"\" { " + std::to_string(pot / 4) + " " + std::to_string(pot / 4) + " }\n";
    auto g = Efg(t);
    Solution s = SolveBackwardInduction(*g);
    const Equilibrium& eq = s.equilibria[0];
    for (model::NodeId v = 0; v < g->num_nodes(); ++v)
      if (!g->is_terminal(v)) CHECK(Choice(*g, eq, v) == "take");
    CHECK(eq.payoffs[0] == doctest::Approx(0.8));
    CHECK(eq.payoffs[1] == doctest::Approx(0.2));
  }

  TEST_CASE("ultimatum with integer offers: two subgame-perfect equilibria") {
    auto g = Efg(Ultimatum());
    // Offered 0, the responder is indifferent (0 either way); offered 1..3 he accepts.
    // If he accepts 0, the proposer offers 0 and keeps 3; if he rejects 0, she offers 1 and
    // keeps 2. So the SPE payoffs are (3, 0) and (2, 1).
    BackwardInductionOptions all;
    all.all = true;
    Solution s = SolveBackwardInduction(*g, all);
    REQUIRE(s.equilibria.size() == 2);
    CHECK_FALSE(s.truncated);
    std::set<std::vector<double>> payoffs;
    for (const auto& eq : s.equilibria) {
      payoffs.insert(eq.payoffs);
      CHECK(eq.max_gain == 0);
    }
    CHECK(payoffs == std::set<std::vector<double>>{{3, 0}, {2, 1}});
    // The default reports one, with the tie noted at "offered 0".
    Solution one = SolveBackwardInduction(*g);
    REQUIRE(one.equilibria.size() == 1);
    CHECK(one.equilibria[0].payoffs == std::vector<double>{3, 0});
    REQUIRE(one.equilibria[0].indifferent.size() == 1);
    CHECK(g->infoset_label(g->infoset(one.equilibria[0].indifferent[0])) == "offered 0");
    // --max cuts the list and says so.
    all.max_equilibria = 1;
    Solution cut = SolveBackwardInduction(*g, all);
    CHECK(cut.equilibria.size() == 1);
    CHECK(cut.truncated);
  }

  TEST_CASE("a tie of values that differ as written but round alike is settled exactly") {
    // B takes d (2 > 1), so R pays A 10^17 + 3 and L 10^17 - 2: A gains 5 by R. Both are
    // 1e17 in doubles, which saw a tie, took L, and verified a gain of 0. The only SPE is (R, d).
    auto g = Efg(R"(EFG 2 R "rounds alike" { "A" "B" }
""
p "" 1 1 "A" { "L" "R" } 0
t "" 1 "" { 99999999999999998 0 }
p "" 2 1 "B" { "u" "d" } 0
t "" 2 "" { 99999999999999998 1 }
t "" 3 "" { 100000000000000003 2 }
)");
    Solution s = SolveBackwardInduction(*g);
    REQUIRE(s.equilibria.size() == 1);
    CHECK(s.exact);
    CHECK(Choice(*g, s.equilibria[0], 0) == "R");
    CHECK(s.equilibria[0].exact_payoffs == std::vector<Rational>{Rational("100000000000000003"), 2});
    CHECK(s.equilibria[0].indifferent.empty());
    REQUIRE(!s.notes.empty());
    CHECK(s.notes[0].find("round to the same double, or lie within its tie rule") != std::string::npos);
    CHECK(s.notes[0].find("recomputed in exact rational arithmetic") != std::string::npos);
    // --all listed (L, d) beside (R, d).
    BackwardInductionOptions all;
    all.all = true;
    Solution every = SolveBackwardInduction(*g, all);
    REQUIRE(every.equilibria.size() == 1);
    CHECK(Choice(*g, every.equilibria[0], 0) == "R");
    // The first action really better: doubles took it by the tie rule and called it a tie;
    // exact values say there is none, and give the exact payoff.
    auto first = Efg(R"(EFG 2 R "rounds alike, first is better" { "A" "B" }
""
p "" 1 1 "A" { "L" "R" } 0
t "" 1 "" { 100000000000000003 0 }
t "" 2 "" { 99999999999999998 1 }
)");
    Solution f = SolveBackwardInduction(*first);
    CHECK(f.exact);
    CHECK(f.equilibria.at(0).indifferent.empty());
    CHECK(f.equilibria.at(0).exact_payoffs.at(0) == Rational("100000000000000003"));
    // A real tie stays a tie, in doubles, with no recheck to say anything about.
    auto tie = Efg(R"(EFG 2 R "a real tie" { "A" "B" }
""
p "" 1 1 "A" { "L" "R" } 0
t "" 1 "" { 1/3 0 }
t "" 2 "" { 1/3 1 }
)");
    Solution t = SolveBackwardInduction(*tie);
    CHECK_FALSE(t.exact);
    CHECK(t.notes.empty());
    CHECK(t.equilibria.at(0).indifferent.size() == 1);
  }

  TEST_CASE("a gain within the tie rule is said to be one where the payoffs were computed") {
    // Computed payoffs (a scenario's formulas; here doubles given to the builder, not whole):
    // x pays 1000.25, y 1000.25 + 2^-31 (4.7e-10 more, 4.7e-13 of their size), within the tie
    // rule (1e-12 of 1 + 1000.25, about 1e-9), so x (the first) is taken and the gain of
    // 2^-31 is reported with a note saying why. Nothing is rechecked: the numbers are the
    // doubles computed, not an exact statement of the game.
    const double x = 1000.25, y = 1000.25 + std::ldexp(1.0, -31);
    model::GameBuilder b({"P1", "P2"});
    const std::vector<std::string> actions{"x", "y"};
    model::NodeId root = b.AddNode(model::kNoNode, b.AddInfoset(0, "A", actions));
    b.AddTerminal(root, b.AddOutcome(std::vector<double>{x, 0}));
    b.AddTerminal(root, b.AddOutcome(std::vector<double>{y, 0}));
    model::GamePtr g = b.Build();
    REQUIRE_FALSE(g->numbers_stated_exactly());
    Solution s = SolveBackwardInduction(*g);
    CHECK_FALSE(s.exact);
    CHECK(s.equilibria.at(0).max_gain == std::ldexp(1.0, -31));
    REQUIRE(s.notes.size() == 1);
    CHECK(s.notes[0].find("within the tie rule") != std::string::npos);
    CHECK(report::SolutionText(*g, s).find("Verified: the largest gain from deviating in any subgame is 4.656612873e-10\n") !=
          std::string::npos);
    BackwardInductionOptions exact;
    exact.exact = true;
    Solution e = SolveBackwardInduction(*g, exact);
    CHECK(e.equilibria.at(0).max_gain == 0);
    CHECK(e.notes.empty());
  }

  TEST_CASE("a game stated exactly is not answered by the tie rule") {
    // x pays 499999999999600, y 5e14: 400 apart, 8e-13 of their size, within the tie rule
    // (1e-12). Doubles take x and see a gain of 400; the numbers are exact as written, so the
    // game is solved again in rationals: y, the only subgame-perfect equilibrium, no tie.
    auto g = Efg(R"(EFG 2 R "near tie" { "P1" "P2" }
""
p "" 1 1 "A" { "x" "y" } 0
t "" 1 "" { 499999999999600 0 }
t "" 2 "" { 500000000000000 0 }
)");
    Solution s = SolveBackwardInduction(*g);
    CHECK(s.exact);
    CHECK(Choice(*g, s.equilibria.at(0), 0) == "y");
    CHECK(s.equilibria.at(0).max_gain == 0);
    CHECK(s.equilibria.at(0).indifferent.empty());
    REQUIRE(s.notes.size() == 1);
    CHECK(s.notes[0].find("within its tie rule of 1e-12") != std::string::npos);
    // 1.0000000000001 is no double: 1e-13 more than 1 as written, 9.992e-14 in doubles.
    auto small = Efg(R"(EFG 2 R "near tie" { "P1" "P2" }
""
p "" 1 1 "A" { "x" "y" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 1.0000000000001 0 }
)");
    Solution t = SolveBackwardInduction(*small);
    CHECK(t.exact);
    CHECK(Choice(*small, t.equilibria.at(0), 0) == "y");
    CHECK(t.equilibria.at(0).exact_payoffs.at(0) == Rational("10000000000001/10000000000000"));
    // 1e12 + 2.5 against 1e12 + 2 (both doubles, 0.5 apart, 5e-13 of their size): doubles
    // called them a tie ("L and R are equally good") where L is better, and where R is better
    // took L with a gain of 0.5. Exactly, the better one, no tie, either way round.
    for (bool left_better : {true, false}) {
      const std::string big = "1000000000002.5", less = "1000000000002";
      auto h = Efg("EFG 2 R \"half\" { \"A\" \"B\" }\n\"\"\np \"\" 1 1 \"\" { \"L\" \"R\" } 0\n"
                   "t \"\" 1 \"\" { " + (left_better ? big : less) + " 1 }\n"
                   "t \"\" 2 \"\" { " + (left_better ? less : big) + " 2 }\n");
      Solution u = SolveBackwardInduction(*h);
      CHECK(u.exact);
      CHECK(Choice(*h, u.equilibria.at(0), 0) == (left_better ? "L" : "R"));
      CHECK(u.equilibria.at(0).indifferent.empty());
      CHECK(u.equilibria.at(0).exact_payoffs.at(0) == Rational("2000000000005/2"));
      // --all: one equilibrium, not two.
      BackwardInductionOptions all;
      all.all = true;
      CHECK(SolveBackwardInduction(*h, all).equilibria.size() == 1);
    }
  }

  TEST_CASE("chance nodes: expected payoffs, exactly") {
    // Nature: good 1/3, bad 2/3. After good, A chooses safe (1,1) or risky (6,0);
    // after bad, A chooses safe (1,1) or risky (-3,2). A takes risky (6 > 1) after good and
    // safe (1 > -3) after bad: expected (1/3*6 + 2/3*1, 1/3*0 + 2/3*1) = (8/3, 2/3).
    auto g = Efg(R"(EFG 2 R "chance" { "A" "B" }
c "" 1 "nature" { "good" 1/3 "bad" 2/3 } 0
p "" 1 1 "after good" { "safe" "risky" } 0
t "" 1 "" { 1 1 }
t "" 2 "" { 6 0 }
p "" 1 2 "after bad" { "safe" "risky" } 0
t "" 1
t "" 3 "" { -3 2 }
)");
    BackwardInductionOptions exact;
    exact.exact = true;
    Solution s = SolveBackwardInduction(*g, exact);
    const Equilibrium& eq = s.equilibria[0];
    REQUIRE(eq.exact_payoffs.size() == 2);
    CHECK(eq.exact_payoffs[0] == Rational(8, 3));
    CHECK(eq.exact_payoffs[1] == Rational(2, 3));
    CHECK(Choice(*g, eq, 1) == "risky");
    CHECK(Choice(*g, eq, 4) == "safe");
    Solution d = SolveBackwardInduction(*g);
    CHECK(d.equilibria[0].payoffs[0] == doctest::Approx(8.0 / 3));
  }

  TEST_CASE("payoffs on internal nodes add up along the path") {
    // A pays a fee of 2 to move at all (outcome on the root). Then stop (0,0) or go, where
    // B pays a bonus 1 on his node and then chooses x (3,0) or y (0,1).
    // B: x gives him 1+0 = 1, y gives 1+1 = 2: y. A: go gives -2+0+0 = -2 ... compare stop:
    // -2+0 = -2 vs go: -2 + 0 (y) = -2: a tie, resolved to the first action (stop).
    // Totals under (stop): A -2, B 0.
    auto g = Efg(R"(EFG 2 R "fees" { "A" "B" }
p "" 1 1 "A" { "stop" "go" } 1 "fee" { -2 0 }
t "" 0
p "" 2 1 "B" { "x" "y" } 2 "bonus" { 0 1 }
t "" 3 "" { 3 0 }
t "" 4 "" { 0 1 }
)");
    Solution s = SolveBackwardInduction(*g);
    const Equilibrium& eq = s.equilibria[0];
    CHECK(Choice(*g, eq, 2) == "y");
    CHECK(eq.payoffs == std::vector<double>{-2, 0});
    CHECK(eq.indifferent == std::vector<model::NodeId>{0});
    BackwardInductionOptions all;
    all.all = true;
    Solution both = SolveBackwardInduction(*g, all);
    CHECK(both.equilibria.size() == 2);  // stop or go, both worth -2 to A
  }

  TEST_CASE("imperfect information is refused with the information set named") {
    auto g = Efg(R"(EFG 2 R "pennies" { "A" "B" }
p "" 1 1 "A" { "H" "T" } 0
p "" 2 1 "B guesses" { "h" "t" } 0
t "" 1 "" { 1 -1 }
t "" 2 "" { -1 1 }
p "" 2 1 0
t "" 2
t "" 1
)");
    CHECK_THROWS_WITH_AS(SolveBackwardInduction(*g),
                         doctest::Contains("information set B at [B guesses] has 2 nodes"),
                         UnsupportedError);
  }

  TEST_CASE("the sweep kernel agrees with the solver") {
    // The ultimatum game by hand: the responder accepts any positive offer (k > 0) and is
    // indifferent at 0 (0 either way; the kernel takes the first optimal action, accept);
    // the proposer then offers 0 and keeps 3. Responder nodes in preorder are 1, 4, 7, 10
    // (each followed by its two leaves); after offer k accepting pays (3 - k, k).
    auto g = Efg(Ultimatum());
    std::vector<double> values(g->num_nodes() * 2);
    std::vector<std::uint32_t> choice(g->num_infosets(), 99);
    CHECK(BackwardInductionSweep(*g, values, choice) == 1);  // one tie: the responder at 0
    CHECK(values[0] == 3);
    CHECK(values[1] == 0);
    for (int k = 0; k <= 3; ++k) {
      model::NodeId v = static_cast<model::NodeId>(1 + 3 * k);
      CHECK(values[2 * v] == 3 - k);
      CHECK(values[2 * v + 1] == k);
      CHECK(choice[g->infoset(v)] == 0);  // accept
    }
    CHECK(choice[g->infoset(0)] == 0);  // offer 0

    // And the kernel against the full solver on random trees with many ties (payoffs in
    // {0, 1, 2}): the same root value, the same action at every set, the same tie count.
    std::mt19937 rng(7);
    int compared = 0, with_ties = 0;
    for (int trial = 0; trial < 300; ++trial) {
      model::GameBuilder b({"A", "B", "C"});
      std::function<void(model::NodeId, int)> grow = [&](model::NodeId parent, int depth) {
        if (depth >= 4 || (depth > 0 && rng() % 3 == 0)) {
          std::vector<Number> pay;
          for (int p = 0; p < 3; ++p) pay.emplace_back(static_cast<long>(rng() % 3));
          b.AddTerminal(parent, b.AddOutcome("", pay));
          return;
        }
        std::size_t n = 1 + rng() % 3;
        std::vector<std::string> actions;
        for (std::size_t a = 0; a < n; ++a) actions.push_back("a" + std::to_string(a));
        model::InfosetId h = b.AddInfoset(static_cast<int>(rng() % 3), "", actions);
        model::NodeId v = b.AddNode(parent, h);
        for (std::size_t a = 0; a < n; ++a) grow(v, depth + 1);
      };
      grow(model::kNoNode, 0);
      model::GamePtr game = b.Build();
      std::vector<double> kv(game->num_nodes() * 3);
      std::vector<std::uint32_t> kc(game->num_infosets());
      std::size_t ties = BackwardInductionSweep(*game, kv, kc);
      Solution s = SolveBackwardInduction(*game);
      REQUIRE(s.equilibria.size() == 1);
      const Equilibrium& eq = s.equilibria[0];
      CAPTURE(trial);
      for (int p = 0; p < 3; ++p) CHECK(kv[static_cast<std::size_t>(p)] == eq.payoffs[static_cast<std::size_t>(p)]);
      ActionIndex index(*game);
      for (model::InfosetId h = 0; h < game->num_infosets(); ++h)
        CHECK(eq.behavior[index(h, kc[h])] == 1);
      // Ties counted from the solver's node values: decision nodes where two or more
      // actions give the mover the best value.
      std::vector<double> nv = NodeValues(*game, index, eq.behavior);
      std::size_t expected_ties = 0;
      for (model::NodeId v = 0; v < game->num_nodes(); ++v) {
        if (game->kind(v) != model::NodeKind::kDecision) continue;
        std::size_t mover = static_cast<std::size_t>(game->player(v));
        double best = -1e300;
        for (model::NodeId c : game->children(v)) best = std::max(best, nv[c * 3 + mover]);
        std::size_t optimal = 0;
        for (model::NodeId c : game->children(v)) optimal += nv[c * 3 + mover] == best;
        expected_ties += optimal > 1;
      }
      CHECK(ties == expected_ties);
      with_ties += ties > 0;
      ++compared;
    }
    CHECK(compared == 300);
    CHECK(with_ties > 30);  // the comparison covers the tie-breaking too
  }
}

// Every perfect-information game among Gambit's samples: the set of payoff vectors of all
// pure subgame-perfect equilibria must equal `spe_bi` of reference.json (computed there by
// exact set-valued backward induction, and agreeing with Gambit's enumpure -P).
TEST_SUITE("equilibrium.gambit_reference") {
  TEST_CASE("perfect-information games match spe_bi, exactly and in doubles") {
    if (!testing::SharedOrSkip()) return;
    auto ref = nlohmann::json::parse(testing::ReadFile(testing::SharedPath("gambit-games/reference.json")));
    int checked = 0;
    for (auto& [key, entry] : ref.items()) {
      if (entry.value("format", "") != "efg") continue;
      CAPTURE(key);
      auto game = io::LoadGame(testing::SharedPath("gambit-games/" + key));
      if (!entry.value("perfect_information", false)) {
        CHECK_THROWS_AS(SolveBackwardInduction(*game), UnsupportedError);
        continue;
      }
      std::set<std::vector<Rational>> expected;
      for (const auto& v : entry["spe_bi"]) {
        std::vector<Rational> payoff;
        for (const auto& x : v) payoff.emplace_back(x.get<std::string>());
        expected.insert(payoff);
      }
      BackwardInductionOptions options;
      options.exact = true;
      options.all = true;
      options.max_equilibria = 2000;
      Solution s = SolveBackwardInduction(*game, options);
      std::set<std::vector<Rational>> found;
      for (const auto& eq : s.equilibria) {
        found.insert(eq.exact_payoffs);
        CHECK(eq.max_gain == 0);
      }
      if (s.truncated) {
        // Too many to list (tic-tac-toe): every listed one must still be in the reference set.
        for (const auto& f : found) CHECK(expected.count(f) == 1);
      } else {
        CHECK(found == expected);
      }
      // One equilibrium in doubles gives one of the reference payoff vectors.
      Solution d = SolveBackwardInduction(*game);
      bool matches = false;
      for (const auto& e : expected) {
        bool same = true;
        for (int p = 0; p < game->num_players(); ++p)
          same = same && std::abs(d.equilibria[0].payoffs[p] - e[p].get_d()) < 1e-9;
        matches = matches || same;
      }
      CHECK(matches);
      ++checked;
    }
    CHECK(checked == 11);
  }
}

}  // namespace
}  // namespace parley::equilibrium

namespace parley::equilibrium {
namespace {

TEST_CASE("the largest gain from deviating on profiles that are not equilibria (by hand)") {
  // Chance picks the left or right game with probability 1/2. Left: P1 takes L (1, 0) or gives
  // P2 the move, who takes l (2, 1) or r (0, 2). Right: P1 takes 3 or passes to 5 (no P2).
  model::GamePtr g = io::ReadEfg(R"(EFG 2 R "gain" { "P1" "P2" }
""
c "" 1 "nature" { "left" 1/2 "right" 1/2 } 0
p "" 1 1 "top" { "L" "R" } 0
t "" 1 "L" { 1, 0 }
p "" 2 1 "bottom" { "l" "r" } 0
t "" 2 "l" { 2, 1 }
t "" 3 "r" { 0, 2 }
p "" 1 2 "side" { "stop" "go" } 0
t "" 4 "stop" { 3, 0 }
t "" 5 "go" { 5, 0 }
)",
                                 "gain.efg");
  ActionIndex index(*g);
  // Sets in file order: nature (chance), top, bottom, side.
  auto profile = [&](double top_r, double bottom_r, double side_go) {
    return std::vector<double>{0.5, 0.5, 1 - top_r, top_r, 1 - bottom_r, bottom_r, 1 - side_go, side_go};
  };
  REQUIRE(index.size() == 8);
  // The subgame-perfect equilibrium: P2 takes r (2 > 1), so P1 takes L (1 > 0) and go (5 > 3).
  CHECK(PerfectInformationGain(*g, index, profile(0, 1, 1)) == 0);
  // P2 takes l: in its subgame it loses 2 - 1 = 1; P1, facing l, gains 2 - 1 = 1 by R.
  CHECK(PerfectInformationGain(*g, index, profile(0, 0, 1)) == 1);
  // P1 stops on the right: 5 - 3 = 2 in that subgame (1 at the root, weighted by 1/2).
  CHECK(PerfectInformationGain(*g, index, profile(0, 1, 0)) == 2);
  // P2 mixes half and half: 2 - 1.5 = 0.5; P1 then gets 1 from L and 0.5 * 2 = 1 from R.
  CHECK(PerfectInformationGain(*g, index, profile(0, 0.5, 1)) == 0.5);
  // P1 takes R against r: 1 - 0 = 1 at the top set, 1/2 at the root.
  CHECK(PerfectInformationGain(*g, index, profile(1, 1, 1)) == 1);
}

TEST_CASE("payoffs in trillionths are compared at their own scale, not tied with 0") {
  // P1 takes r (0.5e-12) or l (1e-12); P2 then answers in a subgame worth 2e-12 or 3e-12 to
  // it. With ties measured against 1 (tolerance 1e-12 x (1 + |b|)), every difference here was
  // a tie and the first action won: r, worth half of l. The scale of the game is 3e-12.
  auto g = io::ReadEfg(R"(EFG 2 R "small" { "P1" "P2" }
p "" 1 1 "first" { "r" "l" } 0
t "" 1 "r" { 0.5e-12, 0 }
p "" 2 1 "second" { "a" "b" } 0
t "" 2 "la" { 1e-12, 2e-12 }
t "" 3 "lb" { 0, 3e-12 }
)",
                       "small.efg");
  CHECK(TieUnit(*g) == 3e-12);
  ActionIndex index(*g);
  for (bool all : {false, true}) {
    BackwardInductionOptions options;
    options.all = all;
    Solution s = SolveBackwardInduction(*g, options);
    REQUIRE(s.equilibria.size() == 1);
    const Equilibrium& eq = s.equilibria.front();
    // P2 takes b (3e-12 > 2e-12); then P1 gets 0 from l and takes r (0.5e-12 > 0).
    CHECK(eq.behavior[index(1, 1)] == 1);  // b
    CHECK(eq.behavior[index(0, 0)] == 1);  // r
    CHECK(eq.indifferent.empty());
    CHECK(eq.payoffs[0] == 0.5e-12);
  }
  // Games whose payoffs reach 1 keep the unit 1.
  auto big = io::ReadEfg(R"(EFG 2 R "big" { "P1" "P2" }
p "" 1 1 "first" { "r" "l" } 0
t "" 1 "r" { 2, 0 }
t "" 2 "l" { 0.5, 0 }
)",
                         "big.efg");
  CHECK(TieUnit(*big) == 1.0);
}

}  // namespace
}  // namespace parley::equilibrium
