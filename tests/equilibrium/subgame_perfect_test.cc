// Subgame-perfect equilibria of imperfect-information games (subgames.h): known answers
// worked by hand, the refusals, and every two-player perfect-recall game of Gambit's
// distribution against reference.json, each result checked by a brute-force best response
// that is independent of the sequence form.
#include <doctest/doctest.h>

#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <nlohmann/json.hpp>
#include <set>

#include "solver/equilibrium/enumeration.h"
#include "solver/equilibrium/lemke.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/solve.h"
#include "solver/equilibrium/subgames.h"
#include "solver/equilibrium/verify.h"
#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "solver/model/game_builder.h"
#include "solver/model/error.h"
#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

using model::Game;
using model::InfosetId;
using model::NodeId;

model::GamePtr Efg(const std::string& text) { return io::ReadEfg(text, "test.efg"); }

// The probability the equilibrium gives action `label` at the set labelled `set`.
double Prob(const Game& g, const Equilibrium& eq, const std::string& set, const std::string& label) {
  ActionIndex index(g);
  for (InfosetId h = 0; h < g.num_infosets(); ++h)
    if (g.infoset_label(h) == set)
      for (std::uint32_t a = 0; a < g.num_actions(h); ++a)
        if (g.action_label(h, a) == label) return eq.behavior[index(h, a)];
  FAIL("no action " << label << " at " << set);
  return -1;
}
Rational ExactProb(const Game& g, const Equilibrium& eq, const std::string& set,
                   const std::string& label) {
  ActionIndex index(g);
  for (InfosetId h = 0; h < g.num_infosets(); ++h)
    if (g.infoset_label(h) == set)
      for (std::uint32_t a = 0; a < g.num_actions(h); ++a)
        if (g.action_label(h, a) == label) return eq.exact_behavior.at(index(h, a));
  FAIL("no action " << label << " at " << set);
  return -1;
}

// Brute force, independent of the sequence form: in every proper subgame, for every player,
// try every pure assignment of actions to the player's sets in the subgame and evaluate the
// subgame by recursion. Returns the largest gain, or -1 when there are too many assignments.
double BruteForceGain(const Game& g, const std::vector<double>& behavior) {
  ActionIndex index(g);
  std::vector<char> roots = ProperSubgameRoots(g);
  double worst = 0;
  for (NodeId r = 0; r < g.num_nodes(); ++r) {
    if (!roots[r] || g.is_terminal(r)) continue;
    for (int p = 0; p < g.num_players(); ++p) {
      std::vector<InfosetId> sets;
      for (NodeId v = r; v < g.subtree_end(r); ++v)
        if (!g.is_terminal(v) && g.player(v) == p && g.infoset_nodes(g.infoset(v)).front() == v)
          sets.push_back(g.infoset(v));
      double combos = 1;
      for (InfosetId h : sets) combos *= g.num_actions(h);
      if (combos > 5000) return -1;
      std::vector<double> dev = behavior;
      std::function<double(NodeId)> value = [&](NodeId v) {
        double total = g.outcome(v) == model::kNoOutcome ? 0 : g.payoff(g.outcome(v), p);
        if (g.is_terminal(v)) return total;
        std::uint32_t first = index.first(g.infoset(v));
        auto kids = g.children(v);
        for (std::uint32_t a = 0; a < kids.size(); ++a)
          if (dev[first + a] != 0) total += dev[first + a] * value(kids[a]);
        return total;
      };
      double base = value(r), best = base;
      std::vector<std::uint32_t> choice(sets.size(), 0);
      for (;;) {
        for (std::size_t k = 0; k < sets.size(); ++k)
          for (std::uint32_t a = 0; a < g.num_actions(sets[k]); ++a)
            dev[index(sets[k], a)] = a == choice[k] ? 1 : 0;
        best = std::max(best, value(r));
        std::size_t k = 0;
        while (k < sets.size() && ++choice[k] == g.num_actions(sets[k])) choice[k++] = 0;
        if (k == sets.size()) break;
      }
      worst = std::max(worst, best - base);
    }
  }
  return worst;
}

// Matching pennies as a tree: Ann moves, Bo does not see her choice.
const char* kPennies = testing::kMatchingPenniesEfg;

// Inspection game (wage w = 10, effort cost g = 4, output v = 20, inspection cost h = 2), the
// worker and the inspector moving simultaneously.
//   worker:    work -> w - g = 6; shirk -> 0 if inspected, w = 10 if not
//   inspector: work & inspect -> v - w - h = 8, work & trust -> v - w = 10,
//              shirk & inspect -> -h = -2,      shirk & trust -> -w = -10
// No pure equilibrium (each pure pair has a profitable switch). The worker is indifferent
// when 6 = 10 (1 - q): q = P(inspect) = g / w = 2/5. The inspector is indifferent when
// (1-s) 8 - 2 s = (1-s) 10 - 10 s, i.e. -2 = -10 s: s = P(shirk) = h / w = 1/5.
// Payoffs: worker 6; inspector (4/5) 8 - (1/5) 2 = 6.
const char* kInspection = R"(EFG 2 R "Inspection" { "Worker" "Inspector" }
p "" 1 1 "effort" { "work" "shirk" } 0
p "" 2 1 "audit" { "inspect" "trust" } 0
t "" 1 "" { 6 8 }
t "" 2 "" { 6 10 }
p "" 2 1 0
t "" 3 "" { 0 -2 }
t "" 4 "" { 10 -10 }
)";

// Entry with a simultaneous price war after entry. Out pays (0, 4). After In, the incumbent
// chooses fight/share and the entrant aggressive/passive, neither seeing the other:
//   (fight, aggressive) (-2, -1)  (fight, passive) (-1, 1)
//   (share, aggressive) (3, 2)    (share, passive) (2, 3)      (entrant, incumbent)
// Share strictly dominates fight for the incumbent (2 > -1, 3 > 1); against share the entrant
// plays aggressive (3 > 2); so the subgame's only equilibrium pays (3, 2) and the entrant
// enters (3 > 0). The threat "fight after entry" keeps the entrant out in a Nash equilibrium
// (out; fight, passive): entering then pays at most -1 < 0, and the incumbent's choice is
// never reached; it is not subgame perfect, since fight is not a best reply in the subgame.
const char* kEntry = R"(EFG 2 R "Entry and price war" { "Entrant" "Incumbent" }
p "" 1 1 "enter?" { "in" "out" } 0
p "" 2 1 "price" { "fight" "share" } 0
p "" 1 2 "stance" { "aggressive" "passive" } 0
t "" 1 "" { -2 -1 }
t "" 2 "" { -1 1 }
p "" 1 2 0
t "" 3 "" { 3 2 }
t "" 4 "" { 2 3 }
t "" 5 "" { 0 4 }
)";

// Two stages: Ann takes a sure `safe` payoff or plays a pennies-like game against Bo
// (Ann gets 4 on (H, H), 2 on (T, T), 0 otherwise; Bo the negative). In that subgame Bo's
// P(H) = q makes Ann indifferent: 4 q = 2 (1 - q), q = 1/3; Ann's P(H) = p makes Bo
// indifferent: -4 p = -2 (1 - p), p = 1/3; Ann's value is 4/3. So Ann plays when
// safe = 1 < 4/3 and stays safe when safe = 3/2 > 4/3 (a pure maximin of 0 would say: stay).
std::string TwoStage(const std::string& safe) {
  return R"(EFG 2 R "Two stages" { "Ann" "Bo" }
p "" 1 1 "start" { "safe" "play" } 0
t "" 1 "" { )" + safe + R"( 1 }
p "" 1 2 "Ann guesses" { "H" "T" } 0
p "" 2 1 "Bo guesses" { "H" "T" } 0
t "" 2 "" { 4 -4 }
t "" 3 "" { 0 0 }
p "" 2 1 0
t "" 3
t "" 4 "" { 2 -2 }
)";
}

// A zero-sum game in which the players alternate `depth` binary moves and each mover sees
// the whole history except the other's latest move (one set per pair of siblings), with
// integer payoffs in [-9, 9] drawn from `seed`. Perfect recall; no proper subgame but the root.
model::GamePtr DelayedObservation(int depth, unsigned seed) {
  model::GameBuilder b({"P1", "P2"});
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pay(-9, 9);
  const std::vector<std::string> actions = {"a", "b"};
  std::vector<NodeId> level = {model::kNoNode};
  for (int d = 0; d < depth; ++d) {
    std::vector<NodeId> next;
    InfosetId set = 0;
    for (std::size_t i = 0; i < level.size(); ++i) {
      // Children of one node share a set one level down: new set every second node here.
      if (d == 0 || i % 2 == 0) set = b.AddInfoset(d % 2, "", actions);
      NodeId v = b.AddNode(level[i], set);
      next.push_back(v);
      next.push_back(v);
    }
    level = std::move(next);
  }
  for (NodeId parent : level) {
    double u = pay(rng);
    b.AddTerminal(parent, b.AddOutcome(std::vector<double>{u, -u}));
  }
  return b.Build();
}

// A random game of nested proper subgames, as .efg text: at each level a chance move, a move
// seen by all, or a simultaneous stage (a mover, then another player who does not see its
// choice), each of whose ends either stops (an outcome) or holds another such level; outcomes
// on inner nodes too. Three players, so that each stage has a bystander.
std::string NestedSubgamesEfg(unsigned seed, int depth) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pay(-5, 9), kind(0, 2), player(1, 3), coin(0, 3);
  std::string text = "EFG 2 R \"nested\" { \"A\" \"B\" \"C\" }\n\n";
  int outcome = 0, chance_set = 0;
  std::array<int, 4> sets{};  // per player, the last set number used
  auto payoffs = [&] {
    return std::to_string(++outcome) + " \"\" { " + std::to_string(pay(rng)) + ", " + std::to_string(pay(rng)) +
           ", " + std::to_string(pay(rng)) + " }";
  };
  auto inner_outcome = [&] { return coin(rng) == 0 ? payoffs() : std::string("0"); };
  std::function<void(int)> level = [&](int d) {
    if (d == 0 || coin(rng) == 0) {
      text += "t \"\" " + payoffs() + "\n";
      return;
    }
    switch (kind(rng)) {
      case 0:
        text += "c \"\" " + std::to_string(++chance_set) + " \"\" { \"x\" 1/3 \"y\" 2/3 } " + inner_outcome() + "\n";
        level(d - 1);
        level(d - 1);
        break;
      case 1: {
        const int p = player(rng);
        text += "p \"\" " + std::to_string(p) + " " + std::to_string(++sets[p]) + " \"\" { \"l\" \"m\" \"r\" } " +
                inner_outcome() + "\n";
        for (int a = 0; a < 3; ++a) level(d - 1);
        break;
      }
      default: {
        const int p = player(rng), q = p % 3 + 1;
        text += "p \"\" " + std::to_string(p) + " " + std::to_string(++sets[p]) + " \"\" { \"u\" \"v\" } " +
                inner_outcome() + "\n";
        const int blind = ++sets[q];
        for (int a = 0; a < 2; ++a) {
          text += "p \"\" " + std::to_string(q) + " " + std::to_string(blind) + " \"\" { \"s\" \"t\" } 0\n";
          level(d - 1);
          level(d - 1);
        }
      }
    }
  };
  level(depth);
  return text;
}

TEST_SUITE("subgame perfect") {
  TEST_CASE("matching pennies: value 0, both players 1/2-1/2, by LP, Lemke and exactly") {
    auto g = Efg(kPennies);
    for (const std::string method : {"auto", "lp", "lemke"}) {
      for (bool exact : {false, true}) {
        CAPTURE(method);
        CAPTURE(exact);
        SubgamePerfectOptions o;
        o.method = method;
        o.exact = exact;
        Solution s = SolveSubgamePerfect(*g, o);
        REQUIRE(s.equilibria.size() == 1);
        const Equilibrium& eq = s.equilibria[0];
        CHECK(eq.payoffs[0] == doctest::Approx(0).epsilon(1e-12));
        CHECK(Prob(*g, eq, "Ann", "H") == doctest::Approx(0.5));
        CHECK(Prob(*g, eq, "Bo", "H") == doctest::Approx(0.5));
        CHECK(eq.max_gain >= 0);
        CHECK(eq.max_gain < 1e-9);
        if (exact) {
          CHECK(eq.exact_payoffs[0] == 0);
          CHECK(ExactProb(*g, eq, "Ann", "T") == Rational(1, 2));
        }
        if (method == "auto" && !exact) CHECK(s.method.find("LP") != std::string::npos);
        if (method == "lemke") CHECK(s.method.find("Lemke") != std::string::npos);
      }
    }
  }

  TEST_CASE("three players, two of whom move in the subgame: the sequence-form methods, exactly too") {
    // C stays out (1) or lets A and B play matching pennies (A's and B's value 0, C's
    // 0.25 (5 - 3 - 3 + 0) = -0.25 < 1): C out, the pennies at 1/2 each. Only A and B move in
    // the pennies' subgame, and C's payoffs do not enter its equilibrium conditions, so it is
    // a two-player problem: the LP (zero-sum between A and B), Lemke, or exact arithmetic.
    // The logit tracer is used only where asked for.
    auto game = Efg(R"(EFG 2 R "3 players, 2 move" { "A" "B" "C" }
p "" 3 1 "C" { "in" "out" } 0
p "" 1 1 "A" { "H" "T" } 0
p "" 2 1 "B" { "h" "t" } 0
t "" 1 "" { 1 -1 5 }
t "" 2 "" { -1 1 -3 }
p "" 2 1 0
t "" 3 "" { -1 1 -3 }
t "" 4 "" { 1 -1 0 }
t "" 5 "" { 0 0 1 }
)");
    for (const char* method : {"auto", "lemke", "lp", "logit"}) {
      for (bool exact : {false, true}) {
        const std::string m = method;
        if (exact && m == "logit") continue;
        CAPTURE(m);
        CAPTURE(exact);
        SolveOptions o;
        o.method = method;
        o.exact = exact;
        Solution s = Solve(*game, o);
        REQUIRE(s.equilibria.size() == 1);
        const Equilibrium& eq = s.equilibria[0];
        CHECK(eq.payoffs[2] == doctest::Approx(1));
        CHECK(Prob(*game, eq, "A", "H") == doctest::Approx(0.5).epsilon(1e-9));
        CHECK(Prob(*game, eq, "B", "h") == doctest::Approx(0.5).epsilon(1e-9));
        CHECK(eq.max_gain <= 1e-9);
        CHECK(BruteForceGain(*game, eq.behavior) <= 1e-9);
        CHECK(s.exact == exact);
        if (exact) CHECK(ExactProb(*game, eq, "A", "H") == Rational(1, 2));
        CHECK((s.method.find("logit") != std::string::npos) == (m == "logit"));
        if ((m == "lp" || m == "auto") && !exact) CHECK(s.method.find("sequence-form LP") != std::string::npos);
        if (m == "lemke" || exact) CHECK(s.method.find("sequence-form Lemke") != std::string::npos);
        for (const std::string& n : s.notes) CHECK(n.find("logit tracer") == std::string::npos);
      }
    }
  }

  TEST_CASE("a decision against chance with hidden information: one player, or one mover of three") {
    // The coin is heads with 1/3; the mover guesses without seeing it: x pays 3 at heads and 0
    // at tails (3/3 = 1), y pays 0 and 2 (4/3): y. The one-player game is a zero-sum game
    // against a player without moves, so the LP takes it too; beside a lone mover of three
    // players the others only collect.
    auto one = Efg(R"(EFG 2 R "decision" { "A" }
c "" 1 "coin" { "heads" 1/3 "tails" 2/3 } 0
p "" 1 1 "guess" { "x" "y" } 0
t "" 1 "" { 3 }
t "" 2 "" { 0 }
p "" 1 1 0
t "" 3 "" { 0 }
t "" 4 "" { 2 }
)");
    auto three = Efg(R"(EFG 2 R "lone mover" { "A" "B" "C" }
c "" 1 "coin" { "heads" 1/3 "tails" 2/3 } 0
p "" 3 1 "guess" { "x" "y" } 0
t "" 1 "" { 5 1 3 }
t "" 2 "" { 0 7 0 }
p "" 3 1 0
t "" 3 "" { 1 1 0 }
t "" 4 "" { 2 2 2 }
)");
    for (const char* method : {"auto", "lp", "lemke"}) {
      for (bool exact : {false, true}) {
        const std::string m = method;
        CAPTURE(m);
        CAPTURE(exact);
        SolveOptions o;
        o.method = method;
        o.exact = exact;
        Solution s = Solve(*one, o);
        REQUIRE(s.equilibria.size() == 1);
        CHECK(Prob(*one, s.equilibria[0], "guess", "y") == 1);
        CHECK(s.equilibria[0].payoffs[0] == doctest::Approx(4.0 / 3).epsilon(1e-15));
        if (exact) CHECK(s.equilibria[0].exact_payoffs[0] == Rational(4, 3));
        CHECK(s.method.find("logit") == std::string::npos);
        Solution t = Solve(*three, o);
        REQUIRE(t.equilibria.size() == 1);
        CHECK(t.method.find("logit") == std::string::npos);
        CHECK(Prob(*three, t.equilibria[0], "guess", "y") == 1);
        // A: 2/3 x 2, B: 1/3 x 7 + 2/3 x 2 = 11/3, C: 2/3 x 2 = 4/3.
        CHECK(t.equilibria[0].payoffs[0] == doctest::Approx(4.0 / 3).epsilon(1e-15));
        CHECK(t.equilibria[0].payoffs[1] == doctest::Approx(11.0 / 3).epsilon(1e-15));
        CHECK(t.equilibria[0].payoffs[2] == doctest::Approx(4.0 / 3).epsilon(1e-15));
      }
    }
  }

  TEST_CASE("--method lemke or lp where three players move in a subgame: the logit tracer, and a note") {
    // A, B and C all move in the subgame after "in", which only the logit tracer takes; the
    // equilibrium is verified, and the note says why the method asked for was not used.
    auto game = io::LoadGame(testing::SourcePath("tests/data/hidden_three_movers.efg"));
    for (const char* method : {"lemke", "lp"}) {
      CAPTURE(method);
      SolveOptions o;
      o.method = method;
      Solution s = Solve(*game, o);
      REQUIRE(s.equilibria.size() == 1);
      CHECK(s.equilibria[0].max_gain <= 1e-9);
      CHECK(BruteForceGain(*game, s.equilibria[0].behavior) <= 1e-9);
      CHECK(s.method.find("logit quantal response branch traced to an equilibrium (1 subgame") != std::string::npos);
      bool noted = false;
      for (const std::string& n : s.notes)
        noted = noted || n == std::string("--method ") + method +
                                  " solves subgames in which at most two players move; 1 subgame with imperfect "
                                  "information had three or more, and went to the logit tracer (--method logit)";
      CHECK(noted);
    }
  }

  TEST_CASE("logit: behaviour that is no best response to the trace's beliefs is said to be") {
    if (!testing::SharedOrSkip()) return;
    // Gambit's bcp4 by the logit tracer: player 2's set (2,1) is reached in no subgame; the
    // trace's beliefs there are 0.2787 / 0.7213 and a1 pays 4 at the second node only, a2 3 at
    // both: a1 is worth 0.7213 x 4 = 2.885 < 3, yet kept with probability 0.2277, a gain of
    // 0.2277 x (3 - 2.885) = 0.0262 from playing a2 instead.
    auto game = io::LoadGame(testing::SharedPath("gambit-games/efg/bcp4.efg"));
    SolveOptions o;
    o.method = "logit";
    Solution s = Solve(*game, o);
    bool noted = false;
    for (const std::string& n : s.notes)
      noted = noted || (n.find("at 1 information set that play reaches in no subgame, the behaviour shown is not a "
                               "best response to the beliefs shown") == 0 &&
                        n.find("largest gain 0.0262") != std::string::npos);
    CHECK(noted);
  }

  TEST_CASE("inspection game: the unique mixed equilibrium, derived by indifference") {
    auto g = Efg(kInspection);
    for (bool exact : {false, true}) {
      SubgamePerfectOptions o;
      o.exact = exact;
      Equilibrium eq = SolveSubgamePerfect(*g, o).equilibria.at(0);
      CHECK(Prob(*g, eq, "audit", "inspect") == doctest::Approx(0.4));  // g / w
      CHECK(Prob(*g, eq, "effort", "shirk") == doctest::Approx(0.2));   // h / w
      CHECK(eq.payoffs[0] == doctest::Approx(6));
      CHECK(eq.payoffs[1] == doctest::Approx(6));
      if (exact) {
        CHECK(ExactProb(*g, eq, "audit", "inspect") == Rational(2, 5));
        CHECK(eq.exact_payoffs[1] == 6);
      }
    }
  }

  TEST_CASE("subgame perfection removes the Nash equilibrium held up by a non-credible threat") {
    auto g = Efg(kEntry);
    Equilibrium eq = SolveSubgamePerfect(*g).equilibria.at(0);
    CHECK(Prob(*g, eq, "enter?", "in") == 1);
    CHECK(Prob(*g, eq, "price", "share") == doctest::Approx(1));
    CHECK(Prob(*g, eq, "stance", "aggressive") == doctest::Approx(1));
    CHECK(eq.payoffs == std::vector<double>{3, 2});
    // The threat profile (out; fight, passive) is Nash (no gain at the root) but not
    // subgame perfect (the incumbent gains 1 - (-1) = 2 by sharing... in the subgame).
    ActionIndex index(*g);
    std::vector<double> threat(index.size(), 0.0);
    auto set = [&](const std::string& s, const std::string& a) {
      for (InfosetId h = 0; h < g->num_infosets(); ++h)
        if (g->infoset_label(h) == s)
          for (std::uint32_t k = 0; k < g->num_actions(h); ++k)
            threat[index(h, k)] = g->action_label(h, k) == a ? 1 : 0;
    };
    set("enter?", "out");
    set("price", "fight");
    set("stance", "passive");
    std::vector<char> root_only(g->num_nodes(), 0);
    root_only[0] = 1;
    CHECK(MaxSubgameGain<double>(*g, index, threat, &root_only) == 0);
    // In the subgame after `in`: the incumbent's share pays 3 instead of fight's 1.
    CHECK(MaxSubgameGain<double>(*g, index, threat) == doctest::Approx(2));
    CHECK(BruteForceGain(*g, threat) == doctest::Approx(2));
  }

  TEST_CASE("a mixed subgame's value decides the first move") {
    SUBCASE("safe = 1 < 4/3: play") {
      auto g = Efg(TwoStage("1"));
      Solution s = SolveSubgamePerfect(*g);
      const Equilibrium& eq = s.equilibria.at(0);
      CHECK(Prob(*g, eq, "start", "play") == 1);
      CHECK(Prob(*g, eq, "Ann guesses", "H") == doctest::Approx(1.0 / 3));
      CHECK(Prob(*g, eq, "Bo guesses", "H") == doctest::Approx(1.0 / 3));
      CHECK(eq.payoffs[0] == doctest::Approx(4.0 / 3));
      CHECK(s.method.find("LP") != std::string::npos);
      CHECK(s.method.find("backward induction") != std::string::npos);
      SubgamePerfectOptions exact;
      exact.exact = true;
      CHECK(SolveSubgamePerfect(*g, exact).equilibria.at(0).exact_payoffs[0] == Rational(4, 3));
    }
    SUBCASE("safe = 3/2 > 4/3: stay safe") {
      auto g = Efg(TwoStage("3/2"));
      const Equilibrium eq = SolveSubgamePerfect(*g).equilibria.at(0);
      CHECK(Prob(*g, eq, "start", "safe") == 1);
      CHECK(eq.payoffs[0] == doctest::Approx(1.5));
      // The unreached subgame is still played in equilibrium (subgame perfection).
      CHECK(Prob(*g, eq, "Bo guesses", "H") == doctest::Approx(1.0 / 3));
    }
  }

  TEST_CASE("the verifier sees a deviation (so the battery below can fail)") {
    auto g = Efg(kPennies);
    ActionIndex index(*g);
    std::vector<double> b(index.size(), 0.5);
    CHECK(MaxSubgameGain<double>(*g, index, b) == 0);
    b[index(1, 0)] = 0.75;  // Bo H 3/4: Ann's H pays 3/4 - 1/4 = 1/2 instead of 0
    b[index(1, 1)] = 0.25;
    CHECK(MaxSubgameGain<double>(*g, index, b) == doctest::Approx(0.5));
    CHECK(BruteForceGain(*g, b) == doctest::Approx(0.5));
  }

  // Chance picks "big" (both players paid 1e15 whatever P2 does) or "small", where P1's d
  // beats u by 1/100 at both nodes of its set A and P2's r is strictly better there; P2's set
  // B holds the big node too. Small stakes beside a constant that rounding would swallow.
  constexpr const char* kBigBeside = R"(EFG 2 R "small stakes beside a big constant" { "P1" "P2" }
""
c "" 1 "" { "big" 1/2 "small" 1/2 } 0
p "" 2 1 "B" { "l" "r" } 0
t "" 1 "" { 1000000000000000 1000000000000000 }
t "" 2 "" { 1000000000000000 1000000000000000 }
p "" 1 1 "A" { "u" "d" } 0
p "" 2 1 0
t "" 3 "" { 0 0 }
t "" 4 "" { 0 1/100 }
p "" 2 1 0
t "" 5 "" { 1/100 0 }
t "" 6 "" { 1/100 1/100 }
)";

  // A pure profile with fair chance: 1/2 at each action of every chance set (two each here),
  // and at each player's set (by label) the action named in `actions`.
  std::vector<double> PureWithFairChance(const Game& g, const ActionIndex& index,
                                         const std::map<std::string, std::string>& actions) {
    std::vector<double> b(index.size(), 0.0);
    for (InfosetId h = 0; h < g.num_infosets(); ++h)
      for (std::uint32_t a = 0; a < g.num_actions(h); ++a)
        b[index(h, a)] = g.infoset_player(h) == model::kChancePlayer
                             ? 0.5
                             : (g.action_label(h, a) == actions.at(std::string(g.infoset_label(h))) ? 1 : 0);
    return b;
  }

  TEST_CASE("the verifier's one pass through nested subgames agrees with brute force") {
    // MaxSubgameGain takes each nested subgame as a summary scaled by its reach; the brute
    // force above evaluates every pure deviation in every subgame from scratch. Random
    // profiles (pure, mixed and with zeros) are rarely equilibria, so the gains are not 0.
    int compared = 0, positive = 0;
    for (unsigned seed = 1; seed <= 60; ++seed) {
      CAPTURE(seed);
      auto g = Efg(NestedSubgamesEfg(seed, 4));
      ActionIndex index(*g);
      std::mt19937 rng(seed);
      std::uniform_int_distribution<int> weight(0, 3);
      for (int trial = 0; trial < 3; ++trial) {
        std::vector<Rational> exact(index.size());
        std::vector<double> b(index.size());
        for (InfosetId h = 0; h < g->num_infosets(); ++h) {
          const std::uint32_t k = g->num_actions(h);
          std::vector<int> w(k);
          int total = 0;
          for (std::uint32_t a = 0; a < k; ++a) total += w[a] = weight(rng);
          if (total == 0) w[0] = total = 1;
          for (std::uint32_t a = 0; a < k; ++a) {
            exact[index(h, a)] = g->infoset_player(h) == model::kChancePlayer ? ChanceAs<Rational>(*g, h, a)
                                                                              : Rational(w[a], total);
            b[index(h, a)] = ToDouble(exact[index(h, a)]);
          }
        }
        const double brute = BruteForceGain(*g, b);
        if (brute < 0) continue;
        ++compared;
        positive += brute > 1e-9;
        CHECK(ToDouble(MaxSubgameGain<Rational>(*g, index, exact)) == doctest::Approx(brute).epsilon(1e-12));
        CHECK(MaxSubgameGain<double>(*g, index, b) == doctest::Approx(brute).epsilon(1e-12));
        const GainCheck check = CheckSubgameGain(*g, index, b, nullptr, 1e-13);
        CHECK(check.gain == doctest::Approx(brute).epsilon(1e-12));
        CHECK(check.beyond_rounding <= check.gain + 1e-12);
        CHECK(check.beyond_rounding >= check.gain - 1e-9);
      }
    }
    CHECK(compared >= 100);
    CHECK(positive >= compared / 2);
  }

  TEST_CASE("random three-player games of two-mover stages: sequence form, verified, exactly too") {
    // Every stage of NestedSubgamesEfg with hidden moves has two movers and a bystander, so
    // each subgame is a two-player problem: no subgame goes to the logit tracer. Each answer
    // is checked by the verifier in exact arithmetic (its evaluation is independent of the
    // sequence form) and, where small enough, by brute force.
    int solved = 0, brute_checked = 0, mixed = 0;
    for (unsigned seed = 1; seed <= 60; ++seed) {
      CAPTURE(seed);
      auto g = Efg(NestedSubgamesEfg(seed, 4));
      if (g->perfect_information()) continue;
      ActionIndex index(*g);
      for (bool exact : {false, true}) {
        CAPTURE(exact);
        SubgamePerfectOptions o;
        o.exact = exact;
        Solution s = SolveSubgamePerfect(*g, o);
        REQUIRE(s.equilibria.size() == 1);
        const Equilibrium& eq = s.equilibria[0];
        CHECK(s.method.find("logit") == std::string::npos);
        CHECK(s.method.find("sequence-form") != std::string::npos);
        if (exact) {
          CHECK(MaxSubgameGain<Rational>(*g, index, eq.exact_behavior) == 0);
        } else {
          std::vector<Rational> as_written(eq.behavior.begin(), eq.behavior.end());
          CHECK(ToDouble(MaxSubgameGain<Rational>(*g, index, as_written)) <= 1e-9);
          const double brute = BruteForceGain(*g, eq.behavior);
          if (brute >= 0) {
            ++brute_checked;
            CHECK(brute <= 1e-9);
          }
          for (InfosetId h = 0; h < g->num_infosets(); ++h)
            if (g->infoset_player(h) != model::kChancePlayer)
              for (std::uint32_t a = 0; a < g->num_actions(h); ++a)
                mixed += eq.behavior[index(h, a)] > 1e-9 && eq.behavior[index(h, a)] < 1 - 1e-9;
        }
        ++solved;
      }
    }
    CHECK(solved >= 60);
    CHECK(brute_checked >= 20);
    CHECK(mixed > 0);
  }

  TEST_CASE("a gain of 0.005 is seen beside payoffs of 1e15 in another branch") {
    auto g = Efg(kBigBeside);
    ActionIndex index(*g);
    // (u, l): P1's d gains 1/100 at the small branch, reached with 1/2: 0.005 at the root. Its
    // values there are 5e14 + 0 against 5e14 + 0.005, which doubles cannot tell apart (the
    // spacing at 5e14 is 0.0625); the set's own action values can.
    const std::vector<double> b = PureWithFairChance(*g, index, {{"B", "l"}, {"A", "u"}});
    const GainCheck check = CheckSubgameGain(*g, index, b, nullptr, 1e-13);
    CHECK(check.gain == doctest::Approx(0.005).epsilon(1e-9));
    CHECK(check.beyond_rounding > 1e-9);
    // Solved: the floating-point profile fails, exact arithmetic gives the only equilibrium
    // (d, r): d is dominant at A, and r then pays P2 1/100 at the small branch.
    Solution s = SolveSubgamePerfect(*g);
    const Equilibrium& eq = s.equilibria.at(0);
    CHECK(Prob(*g, eq, "A", "d") == 1);
    CHECK(Prob(*g, eq, "B", "r") == 1);
    CHECK(s.exact);
  }

  TEST_CASE("a player paid in billionths is held to its own stakes, not to the game's tolerance") {
    // A is paid in billions, B in billionths. B mixes l (0) and r (3e-9) 3 to 7 after A's
    // move: B gains 0.3 x 3e-9 = 9e-10 by playing r, below the game's tolerance of 1e-9 (base
    // 1e-9 times min(span of all payoffs, 1) = 1) but a tenth of everything B can get. Each
    // player's gain beyond rounding is weighed by min(span, 1) / min(own span, 1), here
    // 1 / 3e-9 for B: 0.3, far above the tolerance.
    auto g = Efg(R"(EFG 2 R "B paid in billionths" { "A" "B" }
""
p "" 1 1 "A" { "L" "R" } 0
p "" 2 1 "B" { "l" "r" } 0
t "" 1 "" { 3000000000 0 }
t "" 2 "" { 1000000000 3e-9 }
t "" 3 "" { 0 1e-9 }
)");
    ActionIndex index(*g);
    std::vector<double> b(index.size(), 0.0);
    b[index(g->infoset(0), 0)] = 1;    // A: L
    b[index(g->infoset(1), 0)] = 0.3;  // B: l 0.3, r 0.7
    b[index(g->infoset(1), 1)] = 0.7;
    const GainCheck check = CheckSubgameGain(*g, index, b, nullptr, 1e-13);
    CHECK(check.gain == doctest::Approx(9e-10).epsilon(1e-9));
    CHECK(check.beyond_rounding == doctest::Approx(0.3).epsilon(1e-6));
    // B playing r: no gain for anyone (A's L is worth 1e9 against 0 after R).
    b[index(g->infoset(1), 0)] = 0;
    b[index(g->infoset(1), 1)] = 1;
    CHECK(CheckSubgameGain(*g, index, b, nullptr, 1e-13).beyond_rounding == 0);
  }

  TEST_CASE("chance probabilities divided by their sum are so divided in exact arithmetic too") {
    // 0.4999999995 + 0.5 is accepted as 1 (within 1e-9) and divided out: Risky pays 2e9 for
    // sure, more than Safe's 1999999999.5. Exactly, the numbers as written made Risky worth
    // 1999999999 (2e9 x 0.9999999995): --exact played Safe, "verified" with a gain of 0.5.
    auto g = Efg(R"(EFG 2 R "sum 0.9999999995" { "A" "B" }
""
p "" 1 1 "A" { "Safe" "Risky" } 0
t "" 1 "safe" { 1999999999.5 0 }
c "" 1 "coin" { "heads" 0.4999999995 "tails" 0.5 } 0
t "" 2 "win" { 2000000000 0 }
t "" 3 "win too" { 2000000000 0 }
)");
    for (bool exact : {false, true}) {
      CAPTURE(exact);
      SubgamePerfectOptions options;
      options.exact = exact;
      Solution s = SolveSubgamePerfect(*g, options);
      const Equilibrium& eq = s.equilibria.at(0);
      CHECK(Prob(*g, eq, "A", "Risky") == 1);
      CHECK(eq.payoffs.at(0) == 2e9);
      CHECK(eq.max_gain == 0);
      if (exact) CHECK(eq.exact_payoffs.at(0) == Rational(2000000000));
    }
  }

  TEST_CASE("a gain within the tolerance but beyond rounding: a small game is solved exactly") {
    // Row's U pays -1e-9 against L and 0 against R, D pays 0 and 1: D strictly dominates U, so
    // the only equilibrium is (D, L), payoffs (0, 1) (by hand: Col's L pays 1 against D, R
    // 0). Lemke in doubles answered Row U 1/2, D 1/2 with Col L, the mixed equilibrium of
    // the game with -1e-9 replaced by +1e-9 clipped at a probability of 1: a gain of 5e-10,
    // within the 1e-9 accepted, and "verified". Its values were those of another game
    // (Col's payoff 1/2, not 1); a sweep put the switch to mixing 2e-3 from where it is.
    auto g = Efg(R"(EFG 2 R "dominated by 1e-9" { "Row" "Col" }
""
p "" 1 1 "r" { "U" "D" } 0
p "" 2 1 "c" { "L" "R" } 0
t "" 1 "" { -0.000000001 0 }
t "" 2 "" { 0 1 }
p "" 2 1 "c" { "L" "R" } 0
t "" 3 "" { 0 1 }
t "" 4 "" { 1 0 }
)");
    for (const char* method : {"auto", "lemke"}) {
      CAPTURE(method);
      SubgamePerfectOptions options;
      options.method = method;
      Solution s = SolveSubgamePerfect(*g, options);
      const Equilibrium& eq = s.equilibria.at(0);
      CHECK(Prob(*g, eq, "r", "D") == 1);
      CHECK(Prob(*g, eq, "c", "L") == 1);
      CHECK(eq.payoffs == std::vector<double>{0, 1});
      CHECK(eq.max_gain == 0);
      CHECK(s.exact);
    }
  }

  TEST_CASE("a set whose actions pay 1e15 alike does not excuse a gain of 20 at another") {
    // P1 moves in both chance branches: at A1 (big) both actions pay 1e15; at A2 (small) d
    // pays 40 and u 0 whatever P2 does. (u, u; r) gives P1 a gain of 40 x 1/2 = 20 at A2,
    // every number an exact double: no rounding. A1's values of 5e14 once set the rounding
    // allowance of P1's whole gain (1e-13 x 5e14 = 50), and 20 passed as rounding.
    auto g = Efg(R"(EFG 2 R "P1 moves in both branches" { "P1" "P2" }
""
c "" 1 "" { "big" 1/2 "small" 1/2 } 0
p "" 1 1 "A1" { "u" "d" } 0
p "" 2 1 "B" { "l" "r" } 0
t "" 1 "" { 1000000000000000 1000000000000000 }
t "" 2 "" { 1000000000000000 1000000000000000 }
p "" 2 1 "B" { "l" "r" } 0
t "" 1 "" { 1000000000000000 1000000000000000 }
t "" 2 "" { 1000000000000000 1000000000000000 }
p "" 1 2 "A2" { "u" "d" } 0
p "" 2 1 "B" { "l" "r" } 0
t "" 3 "" { 0 0 }
t "" 4 "" { 0 40 }
p "" 2 1 "B" { "l" "r" } 0
t "" 5 "" { 40 0 }
t "" 6 "" { 40 40 }
)");
    ActionIndex index(*g);
    const std::vector<double> b = PureWithFairChance(*g, index, {{"A1", "u"}, {"A2", "u"}, {"B", "r"}});
    const GainCheck check = CheckSubgameGain(*g, index, b, nullptr, 1e-13);
    CHECK(check.gain == 20);
    CHECK(check.beyond_rounding == doctest::Approx(20));
    Solution s = SolveSubgamePerfect(*g);
    CHECK(Prob(*g, s.equilibria.at(0), "A2", "d") == 1);
  }

  TEST_CASE("a gain below the rounding of one set's values is not called 0 silently") {
    // Zero-sum, the big node in P2's set: P2's r gains 0.005 on values of 5e14 at B itself,
    // below their rounding. Floating point keeps l, and can verify it only to within that
    // rounding: a game this small (two players) is then recomputed exactly, which plays r.
    std::string text = kBigBeside;
    auto replace = [&](const std::string& from, const std::string& to) {
      text.replace(text.find(from), from.size(), to);
    };
    replace("{ 1000000000000000 1000000000000000 }", "{ 1000000000000000 -1000000000000000 }");
    replace("{ 1000000000000000 1000000000000000 }", "{ 1000000000000000 -1000000000000000 }");
    replace("{ 0 1/100 }", "{ -1/100 1/100 }");
    replace("{ 1/100 0 }", "{ 1/100 -1/100 }");
    replace("{ 1/100 1/100 }", "{ 0 0 }");
    auto g = Efg(text);
    Solution s = SolveSubgamePerfect(*g);
    bool noted = false;
    for (const std::string& note : s.notes)
      noted = noted || note.find("floating point could verify the solution only to within") == 0;
    CHECK(noted);
    CHECK(s.exact);
    CHECK(Prob(*g, s.equilibria.at(0), "B", "r") == 1);
    SubgamePerfectOptions exact;
    exact.exact = true;
    CHECK(Prob(*g, SolveSubgamePerfect(*g, exact).equilibria.at(0), "B", "r") == 1);
  }

  TEST_CASE("payoffs that all round to one double are solved exactly (at most two move) or refused") {
    // Unequal matching pennies, R's payoffs 3, -2 / -1, 1 and C's -3, 2 / 1, -2, each plus
    // 10^17: every payoff is the double 1e17 (its steps there are 16), so floating point saw a
    // game where every profile is an equilibrium, and printed R 2, C 1 verified with a gain of
    // 0, where R gains 4 by playing 1. By indifference: C makes R indifferent when
    // 3q - 2(1 - q) = -q + (1 - q), q = 3/7; R makes C indifferent when
    // -3p + (1 - p) = 2p - 2(1 - p), p = 3/8.
    auto g = Efg(R"(EFG 2 R "big" { "R" "C" }
p "" 1 1 "" { "1" "2" } 0
p "" 2 1 "" { "1" "2" } 0
t "" 1 "" { 100000000000000003 99999999999999997 }
t "" 2 "" { 99999999999999998 100000000000000002 }
p "" 2 1 "" { "1" "2" } 0
t "" 3 "" { 99999999999999999 100000000000000001 }
t "" 4 "" { 100000000000000001 99999999999999998 }
)");
    Solution s = SolveSubgamePerfect(*g);
    REQUIRE(s.equilibria.size() == 1);
    CHECK(s.exact);
    CHECK(s.equilibria[0].exact_behavior.at(0) == Rational(3, 8));
    CHECK(s.equilibria[0].exact_behavior.at(2) == Rational(3, 7));
    CHECK(s.equilibria[0].max_gain == 0);
    bool noted = false;
    for (const std::string& note : s.notes)
      noted = noted || note.find("every payoff rounds to the same double, 1e+17, though the payoffs as written "
                                 "differ") == 0;
    CHECK(noted);
    // Three players who all move in one subgame: no exact method, so a refusal that says
    // what to do.
    auto three = Efg(R"(EFG 2 R "big3" { "A" "B" "C" }
p "" 1 1 "" { "1" "2" } 0
p "" 2 1 "" { "1" "2" } 0
p "" 3 1 "" { "1" "2" } 0
t "" 1 "" { 100000000000000001 100000000000000000 100000000000000000 }
t "" 2 "" { 100000000000000000 100000000000000001 100000000000000000 }
p "" 3 1 "" { "1" "2" } 0
t "" 3 "" { 100000000000000000 100000000000000000 100000000000000001 }
t "" 4 "" { 100000000000000001 100000000000000001 100000000000000000 }
p "" 2 1 "" { "1" "2" } 0
p "" 3 1 "" { "1" "2" } 0
t "" 5 "" { 100000000000000000 100000000000000001 100000000000000001 }
t "" 6 "" { 100000000000000001 100000000000000000 100000000000000001 }
p "" 3 1 "" { "1" "2" } 0
t "" 7 "" { 100000000000000000 100000000000000001 100000000000000000 }
t "" 8 "" { 100000000000000001 100000000000000000 100000000000000000 }
)");
    try {
      SolveSubgamePerfect(*three);
      FAIL("no refusal");
    } catch (const UnsupportedError& e) {
      CHECK(std::string(e.what()).find("every payoff rounds to the same double, 1e+17") != std::string::npos);
      CHECK(std::string(e.what()).find("subtract a constant from the payoffs") != std::string::npos);
    }
    // One player's payoffs all 1e17 in doubles, the others' not: A's R beats L by 2 or more as
    // written, but in doubles A was indifferent and mixed L 0.58, R 0.42, "verified" with a
    // gain of 0 (the exact gain was 2.88). C does not move, so exact arithmetic solves it: A's
    // R is dominant (1e17 + 5 or + 6 against + 0 or + 1), and B, who does not see A's move,
    // believes R and plays l (1 against 0 there).
    auto flat = Efg(R"(EFG 2 R "flat A" { "A" "B" "C" }
p "" 1 1 "" { "L" "R" } 0
p "" 2 1 "" { "l" "r" } 0
t "" 1 "" { 100000000000000000 2 0 }
t "" 2 "" { 100000000000000001 3 3 }
p "" 2 1 "" { "l" "r" } 0
t "" 3 "" { 100000000000000005 1 2 }
t "" 4 "" { 100000000000000006 0 1 }
)");
    {
      Solution flat_s = SolveSubgamePerfect(*flat);
      REQUIRE(flat_s.equilibria.size() == 1);
      CHECK(flat_s.exact);
      const Equilibrium& eq = flat_s.equilibria[0];
      CHECK(ExactProb(*flat, eq, "", "R") == 1);
      CHECK(ExactProb(*flat, eq, "", "l") == 1);
      CHECK(eq.exact_payoffs[0] == Rational("100000000000000005"));
      CHECK(eq.exact_payoffs[1] == 1);
      CHECK(eq.exact_payoffs[2] == 2);
      bool noted = false;
      for (const std::string& note : flat_s.notes)
        noted = noted || note.find("A's payoffs all round to the same double") == 0;
      CHECK(noted);
    }
    // The same with C moving too, at a set that spans B's moves: three players move in the
    // subgame, so no exact method, and a refusal that names A.
    auto flat3 = Efg(R"(EFG 2 R "flat A, three move" { "A" "B" "C" }
p "" 1 1 "" { "L" "R" } 0
p "" 2 1 "" { "l" "r" } 0
p "" 3 1 "" { "x" "y" } 0
t "" 1 "" { 100000000000000000 2 0 }
t "" 2 "" { 100000000000000001 3 3 }
p "" 3 1 "" { "x" "y" } 0
t "" 3 "" { 100000000000000000 2 1 }
t "" 4 "" { 100000000000000001 3 0 }
p "" 2 1 "" { "l" "r" } 0
p "" 3 1 "" { "x" "y" } 0
t "" 5 "" { 100000000000000005 1 2 }
t "" 6 "" { 100000000000000006 0 1 }
p "" 3 1 "" { "x" "y" } 0
t "" 7 "" { 100000000000000005 0 2 }
t "" 8 "" { 100000000000000006 1 3 }
)");
    try {
      SolveSubgamePerfect(*flat3);
      FAIL("no refusal");
    } catch (const UnsupportedError& e) {
      CHECK(std::string(e.what()).find("A's payoffs all round to the same double, 1e+17, though they differ as "
                                       "written") == 0);
      CHECK(std::string(e.what()).find("subtract a constant from A's payoffs") != std::string::npos);
    }
  }

  TEST_CASE("proper subgames by preorder ranges") {
    auto g = Efg(kEntry);
    std::vector<char> roots = ProperSubgameRoots(*g);
    // Nodes: 0 root, 1 price (subgame root), 2 stance (inside the set), 5 stance, leaves.
    CHECK(roots[0]);
    CHECK(roots[1]);
    CHECK_FALSE(roots[2]);
    CHECK_FALSE(roots[5]);
  }

  TEST_CASE("refusals: no perfect recall, three players only without --exact") {
    // Ann forgets her own first move.
    auto forgetful = Efg(R"(EFG 2 R "Forgetful" { "Ann" "Bo" }
p "" 1 1 "first" { "L" "R" } 0
p "" 1 2 "second" { "l" "r" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 0 1 }
p "" 1 2 0
t "" 2
t "" 1
)");
    CHECK_THROWS_WITH_AS(SolveSubgamePerfect(*forgetful),
                         doctest::Contains("does not have perfect recall"), UnsupportedError);
    auto three = io::LoadGame(testing::SourcePath("tests/data/hidden_three_movers.efg"));
    // Three players who move in one subgame: exact arithmetic is refused (Lemke is for two);
    // floating point traces the logit branch to a verified equilibrium
    // (tests/equilibrium/logit_test.cc).
    SubgamePerfectOptions exact;
    exact.exact = true;
    CHECK_THROWS_WITH_AS(SolveSubgamePerfect(*three, exact), doctest::Contains("only where at most two players move"),
                         UnsupportedError);
    Solution s = SolveSubgamePerfect(*three);
    REQUIRE(s.equilibria.size() == 1);
    CHECK(s.equilibria[0].max_gain <= 1e-9);
    CHECK(BruteForceGain(*three, s.equilibria[0].behavior) <= 1e-9);
  }

  TEST_CASE("the LP agrees with exact Lemke on random zero-sum games of either shape") {
    // Players alternate `depth` binary moves and do not see the other's latest move, so the
    // first mover has more sequences when depth is odd and fewer when it is even: the LP
    // then takes the other player as its maximizer (the smaller program) and reads the
    // maximizer's opponent from the duals. Both shapes must give the exact value and a
    // verified equilibrium.
    for (int depth : {5, 6}) {
      for (unsigned seed : {1u, 2u, 3u}) {
        CAPTURE(depth);
        CAPTURE(seed);
        model::GamePtr g = DelayedObservation(depth, seed);
        SubgamePerfectOptions exact_options;
        exact_options.method = "lemke";
        exact_options.exact = true;
        Solution exact = SolveSubgamePerfect(*g, exact_options);
        const Equilibrium& b = exact.equilibria.at(0);
        CHECK(b.max_gain == 0);
        for (lp::Engine engine : {lp::Engine::kClp, lp::Engine::kGlpk}) {  // both engines
          CAPTURE(static_cast<int>(engine));
          SubgamePerfectOptions lp_options;
          lp_options.method = "lp";
          lp_options.lp_engine = engine;
          Solution by_lp = SolveSubgamePerfect(*g, lp_options);
          CHECK(by_lp.method.find("LP") != std::string::npos);
          CHECK_FALSE(by_lp.exact);
          for (const auto& note : by_lp.notes) {  // no engine gave up, nothing was re-solved
            CHECK(note.find("gave up") == std::string::npos);
            CHECK(note.find("re-solved") == std::string::npos);
          }
          const Equilibrium& a = by_lp.equilibria.at(0);
          CHECK(a.max_gain < 1e-9);
          // Zero-sum: every equilibrium has the value, so the payoffs agree to rounding.
          CHECK(std::abs(a.payoffs[0] - ToDouble(b.exact_payoffs[0])) < 1e-9);
          CHECK(std::abs(a.payoffs[1] - ToDouble(b.exact_payoffs[1])) < 1e-9);
          double brute = BruteForceGain(*g, a.behavior);
          if (brute >= 0) CHECK(brute < 1e-9);
        }
      }
    }
  }

  TEST_CASE("--exact past the exact LCP's size limit stops with a message") {
    // Depth 11: 1,367 and 683 sequences, an LCP of 1,367 + 683 + 2 (684 + 342) = 4,102 rows.
    model::GamePtr g = DelayedObservation(11, 1);
    SubgamePerfectOptions o;
    o.exact = true;
    CHECK_THROWS_WITH_AS(SolveSubgamePerfect(*g, o),
                         doctest::Contains("4102 rows; Lemke's method here handles up to 2500 "
                                           "in exact arithmetic (without --exact"),
                         LimitError);
  }

  TEST_CASE("--all composes the extreme equilibria of each subgame, bottom-up") {
    // Ann takes an outside option worth (1, 1) or enters a battle of the sexes with Bo:
    // (B, b) pays (2, 1), (S, s) pays (1, 2), mismatches pay 0. The subgame has three
    // equilibria: (B, b) worth 2 to Ann, (S, s) worth 1, and the mixed one (Ann B 2/3, Bo b
    // 1/3) worth 2/3 to each. Ann then enters against 2, is indifferent at 1 (both choices are
    // extreme), and stays out against 2/3: four subgame-perfect equilibria with payoffs
    // (2, 1), (1, 2), (1, 1), (1, 1).
    auto g = Efg(R"(EFG 2 R "Entry into a battle of the sexes" { "Ann" "Bo" }
""

p "" 1 1 "enter?" { "Out" "In" } 0
t "" 1 "outside" { 1 1 }
p "" 1 2 "Ann picks" { "B" "S" } 0
p "" 2 1 "Bo picks" { "b" "s" } 0
t "" 2 "" { 2 1 }
t "" 3 "" { 0 0 }
p "" 2 1 0
t "" 3
t "" 4 "" { 1 2 }
)");
    SolveOptions o;
    o.all = true;
    Solution s = Solve(*g, o);
    CHECK(s.concept_name == "extreme subgame-perfect");
    std::multiset<std::pair<Rational, Rational>> payoffs;
    for (const Equilibrium& eq : s.equilibria) {
      payoffs.insert({eq.exact_payoffs[0], eq.exact_payoffs[1]});
      CHECK(eq.max_gain == 0);
      CHECK(BruteForceGain(*g, eq.behavior) == doctest::Approx(0));
    }
    CHECK(payoffs == std::multiset<std::pair<Rational, Rational>>{
                         {1, 1}, {1, 1}, {1, 2}, {2, 1}});
    // The mixed subgame equilibrium appears with Out.
    bool mixed = false;
    for (const Equilibrium& eq : s.equilibria)
      mixed = mixed || (Prob(*g, eq, "Ann picks", "B") == doctest::Approx(2.0 / 3) &&
                        Prob(*g, eq, "enter?", "Out") == 1);
    CHECK(mixed);
  }

  TEST_CASE("Lemke: a degenerate LCP solved exactly") {
    // w = q + M z with M = [[1, 1], [1, 1]], q = (-1, -1): both rows tie at every step;
    // the solutions are z1 + z2 = 1 (w = 0). The lexicographic rule picks the last tied row,
    // w2, so z2 enters and z0 leaves at z2 = 1.
    std::vector<Rational> M = {1, 1, 1, 1}, q = {-1, -1}, d = {1, 1};
    LcpResult<Rational> r = SolveLcp<Rational>(2, M, q, d);
    REQUIRE(r.solved);
    CHECK(r.z[0] + r.z[1] == 1);
    CHECK(r.z[0] == 0);
    LcpResult<double> f = SolveLcp<double>(2, {1, 1, 1, 1}, {-1, -1}, {1, 1});
    REQUIRE(f.solved);
    CHECK(f.z[0] + f.z[1] == doctest::Approx(1));
  }
}

// Every two-player game with perfect recall and imperfect information in Gambit's sample
// collection: a verified subgame-perfect equilibrium in doubles and exactly; the value on
// constant-sum games; the payoffs where Gambit's pure SPE is unique and its verified lcp
// equilibria agree with it.
TEST_CASE("subgame perfect: Gambit sample games against reference.json") {
  if (!testing::SharedOrSkip()) return;
  auto ref = nlohmann::json::parse(testing::ReadFile(testing::SharedPath("gambit-games/reference.json")));
  int solved = 0, refused = 0, values = 0, agreed = 0;
  for (auto& [key, entry] : ref.items()) {
    if (key.rfind("efg/", 0) != 0 || entry["perfect_information"].get<bool>()) continue;
    CAPTURE(key);
    auto game = io::LoadGame(testing::SharedPath("gambit-games/" + key));
    if (!entry["perfect_recall"].get<bool>()) {
      CHECK_THROWS_AS(SolveSubgamePerfect(*game), UnsupportedError);
      ++refused;
      continue;
    }
    if (entry["num_players"] != 2) {  // the logit tracer (tests/equilibrium/logit_test.cc)
      Solution s = SolveSubgamePerfect(*game);
      REQUIRE(s.equilibria.size() == 1);
      CHECK(s.equilibria[0].max_gain <= 1e-9);
      double brute = BruteForceGain(*game, s.equilibria[0].behavior);
      if (brute >= 0) CHECK(brute < 1e-9);
      ++solved;
      continue;
    }
    Solution fp = SolveSubgamePerfect(*game);
    SubgamePerfectOptions exact_options;
    exact_options.exact = true;
    Solution ex = SolveSubgamePerfect(*game, exact_options);
    REQUIRE(fp.equilibria.size() == 1);
    REQUIRE(ex.equilibria.size() == 1);
    const Equilibrium& e = ex.equilibria[0];
    CHECK(fp.equilibria[0].max_gain < 1e-9);
    ActionIndex index(*game);
    CHECK(MaxSubgameGain<Rational>(*game, index, e.exact_behavior) == 0);
    double brute = BruteForceGain(*game, fp.equilibria[0].behavior);
    if (brute >= 0) CHECK(brute < 1e-9);
    for (InfosetId h = 0; h < game->num_infosets(); ++h) {  // a behaviour profile
      Rational sum = 0;
      for (std::uint32_t a = 0; a < game->num_actions(h); ++a) {
        CHECK(e.exact_behavior[index(h, a)] >= 0);
        sum += e.exact_behavior[index(h, a)];
      }
      CHECK(sum == 1);
    }
    if (entry.contains("value")) {
      CHECK(FormatRational(e.exact_payoffs[0]) == entry["value"].get<std::string>());
      CHECK(fp.equilibria[0].payoffs[0] == doctest::Approx(Rational(entry["value"].get<std::string>()).get_d()));
      ++values;
    }
    const auto& pure = entry["spe_pure"];
    const auto& lcp = entry["spe_lcp"];
    if (pure.is_array() && pure.size() == 1 && lcp.is_object() && lcp.value("verified", false) &&
        lcp["payoff_vectors"].size() == 1 && lcp["payoff_vectors"][0] == pure[0]) {
      CHECK(FormatRational(e.exact_payoffs[0]) == pure[0][0].get<std::string>());
      CHECK(FormatRational(e.exact_payoffs[1]) == pure[0][1].get<std::string>());
      ++agreed;
    }
    ++solved;
  }
  MESSAGE(solved << " solved, " << refused << " refused, " << values << " values, " << agreed
                 << " payoff agreements");
  CHECK(solved >= 50);
  CHECK(values >= 4);
  CHECK(agreed >= 5);
}

}  // namespace
}  // namespace parley::equilibrium

namespace parley::equilibrium {
namespace {

// --all on every two-player perfect-recall Gambit game whose subgames are small enough: each
// listed equilibrium is subgame perfect (exactly, and by brute force), and every pure
// subgame-perfect payoff vector Gambit found (spe_pure) is among them: a pure equilibrium of a
// reduced subgame is a vertex of its best-response polytopes, so it is one of the compositions.
TEST_CASE("subgame perfect --all: every pure SPE of Gambit's lists is among the extreme ones") {
  if (!testing::SharedOrSkip()) return;
  auto ref = nlohmann::json::parse(testing::ReadFile(testing::SharedPath("gambit-games/reference.json")));
  int checked = 0, covered = 0;
  for (auto& [key, entry] : ref.items()) {
    if (key.rfind("efg/", 0) != 0 || entry["num_players"] != 2 ||
        !entry["perfect_recall"].get<bool>() || entry["perfect_information"].get<bool>())
      continue;
    CAPTURE(key);
    auto game = io::LoadGame(testing::SharedPath("gambit-games/" + key));
    EnumerationOptions options;
    options.max_strategies = 20;
    Solution s;
    try {
      s = EnumerateExtremeEquilibria(*game, options);
    } catch (const LimitError&) {
      continue;
    }
    std::set<std::pair<std::string, std::string>> ours;
    for (const Equilibrium& eq : s.equilibria) {
      CHECK(eq.max_gain == 0);
      double brute = BruteForceGain(*game, eq.behavior);
      if (brute >= 0) CHECK(brute < 1e-9);
      ours.insert({FormatRational(eq.exact_payoffs[0]), FormatRational(eq.exact_payoffs[1])});
    }
    CHECK_FALSE(s.equilibria.empty());  // every finite game has one
    ++checked;
    if (entry["spe_pure_status"] == "ok" && !s.truncated) {
      for (const auto& v : entry["spe_pure"])
        CHECK(ours.count({v[0].get<std::string>(), v[1].get<std::string>()}) == 1);
      ++covered;
    }
  }
  MESSAGE(checked << " games enumerated, " << covered << " compared with spe_pure");
  CHECK(checked >= 20);
  CHECK(covered >= 15);
}

}  // namespace
}  // namespace parley::equilibrium
