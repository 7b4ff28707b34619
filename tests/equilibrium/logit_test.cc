// The logit quantal response tracer (logit.h): the QRE conditions checked at points of the
// branch by an evaluator written independently of the tracer (beliefs and values in linear
// space from the game itself), a three-player game with a unique mixed equilibrium worked by
// hand, and every three- and four-player game of Gambit's collection solved and verified.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <map>
#include <functional>
#include <nlohmann/json.hpp>

#include "solver/equilibrium/beliefs.h"
#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/solve.h"
#include "solver/equilibrium/subgames.h"
#include "solver/equilibrium/verify.h"
#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "solver/model/error.h"
#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

using model::Game;
using model::InfosetId;
using model::NodeId;

// P1 and P2 play a matching-pennies variant, P3 then moves without seeing either move.
// Payoffs (P1, P2) after (U,L) (2,0); (U,R) (0,1); (D,L) (0,1); (D,R) (1,0). P3 gets 3 with A
// after (U,L), 0 with A otherwise, 0.6 with B always. P3's choice moves nobody else.
// Unique equilibrium: P2's q = P(L) makes P1 indifferent, 2q = 1 - q, q = 1/3; P1's
// p = P(U) makes P2 indifferent, 1 - p = p, p = 1/2; then A is worth 3 * (1/2)(1/3) = 1/2 to
// P3, less than 0.6, so P3 plays B. Payoffs: P1 2pq + (1-p)(1-q) = 1/3 + 1/3 = 2/3;
// P2 p(1-q) + (1-p)q = 1/3 + 1/6 = 1/2; P3 0.6.
constexpr const char* kThreePlayerPennies = R"(EFG 2 R "Three-player pennies" { "P1" "P2" "P3" }
p "" 1 1 "P1" { "U" "D" } 0
p "" 2 1 "P2" { "L" "R" } 0
p "" 3 1 "P3" { "A" "B" } 0
t "" 1 "" { 2 0 3 }
t "" 2 "" { 2 0 0.6 }
p "" 3 1 0
t "" 3 "" { 0 1 0 }
t "" 4 "" { 0 1 0.6 }
p "" 2 1 0
p "" 3 1 0
t "" 5 "" { 0 1 0 }
t "" 6 "" { 0 1 0.6 }
p "" 3 1 0
t "" 7 "" { 1 0 0 }
t "" 8 "" { 1 0 0.6 }
)";

// A game with chance, an outcome on an inner node, and a set whose beliefs move with the
// other players' play: the Jacobian's belief terms matter here.
constexpr const char* kChanceAndBeliefs = R"(EFG 2 R "Signals" { "Sender" "Receiver" "Third" }
c "" 1 "Nature" { "hi" 2/3 "lo" 1/3 } 0
p "" 1 1 "S hi" { "send" "quiet" } 1 "fee" { -0.25 0 0 }
p "" 2 1 "R send" { "buy" "pass" } 0
p "" 3 1 "T" { "x" "y" } 0
t "" 2 "" { 3 2 1 }
t "" 3 "" { 2 1 0 }
p "" 3 1 0
t "" 4 "" { 0 0 0.5 }
t "" 5 "" { 0 0 1 }
p "" 2 2 "R quiet" { "buy" "pass" } 0
t "" 6 "" { 1 1 0 }
t "" 7 "" { 0 0 2 }
p "" 1 2 "S lo" { "send" "quiet" } 0
p "" 2 1 0
p "" 3 1 0
t "" 8 "" { 2 -1 1 }
t "" 9 "" { 1 -2 0 }
p "" 3 1 0
t "" 10 "" { 0 0 0 }
t "" 11 "" { 0 0 1.5 }
p "" 2 2 0
t "" 12 "" { 1 -1 0 }
t "" 13 "" { 0 0 2 }
)";

// Perfect information: P2 after L picks l (2, 1) or r (0, 0); R ends at (1, 2). The QRE at
// lambda by hand: P2's sigma(l) = 1 / (1 + e^-lambda); P1's value of L is 2 sigma(l), so
// sigma(L) = 1 / (1 + exp(lambda (1 - 2 sigma(l)))).
constexpr const char* kTwoStages = R"(EFG 2 R "Two stages" { "P1" "P2" }
p "" 1 1 "P1" { "L" "R" } 0
p "" 2 1 "P2" { "l" "r" } 0
t "" 1 "" { 2 1 }
t "" 2 "" { 0 0 }
t "" 3 "" { 1 2 }
)";

// Beliefs fixed by chance alone: P1 does not see Nature's draw, P2 sees P1's move but not the
// draw, so no player's move changes anybody's beliefs (2/3 and 1/3 at both sets).
// A chance move of probability 0 ("dead"), below which P1 and P2 have sets of their own and
// P3's set has four of its eight nodes: the beliefs there are Bayes' rule given that the move
// was made, and the values of P1's and P2's sets there move with the play below them.
constexpr const char* kZeroChance = R"(EFG 2 R "A chance move of probability 0" { "P1" "P2" "P3" }
""
c "" 1 "" { "live" 1 "dead" 0 } 0
p "" 1 1 "" { "a" "b" } 0
p "" 2 1 "" { "l" "r" } 0
p "" 3 1 "" { "x" "y" } 0
t "" 1 "" { 3 1 2 }
t "" 2 "" { 0 2 1 }
p "" 3 1 0
t "" 3 "" { 1 3 0 }
t "" 4 "" { 2 0 3 }
p "" 2 1 0
p "" 3 1 0
t "" 5 "" { 0 1 3 }
t "" 6 "" { 3 2 0 }
p "" 3 1 0
t "" 7 "" { 1 0 1 }
t "" 8 "" { 2 3 2 }
p "" 1 2 "" { "a" "b" } 0
p "" 2 2 "" { "l" "r" } 0
p "" 3 1 0
t "" 9 "" { 4 0 1 }
t "" 10 "" { 0 4 2 }
p "" 3 1 0
t "" 11 "" { 1 3 0 }
t "" 12 "" { 3 1 3 }
p "" 2 2 0
p "" 3 1 0
t "" 13 "" { 0 3 2 }
t "" 14 "" { 3 0 1 }
p "" 3 1 0
t "" 15 "" { 2 2 4 }
t "" 16 "" { 1 4 0 })";

// A random four-level game (three players, hidden moves, three chance moves with branches of
// probability 0, payoffs 0-20) on which the tracer gave up ("the corrector failed even with the
// smallest step") when such branches left whole sets with no reach and no Jacobian terms.
constexpr const char* kZeroChanceRandom = R"(EFG 2 R "fz46" { "P1" "P2" "P3" }
""
c "" 1 "" { "c0" 1/1 "c1" 0/1 } 0
c "" 2 "" { "c0" 0/1 "c1" 0/1 "c2" 1/1 } 0
p "" 3 1 "" { "a0" "a1" "a2" } 0
p "" 1 1 "" { "a0" "a1" } 0
t "" 1 "" { 15 11 4 }
t "" 2 "" { 15 14 2 }
p "" 1 1 0
t "" 3 "" { 13 7 10 }
t "" 4 "" { 16 14 8 }
p "" 1 2 "" { "a0" "a1" } 0
t "" 5 "" { 19 10 14 }
t "" 6 "" { 12 5 12 }
p "" 3 1 0
p "" 1 3 "" { "a0" "a1" } 0
t "" 7 "" { 10 2 9 }
t "" 8 "" { 3 11 17 }
p "" 1 3 0
t "" 9 "" { 20 18 5 }
t "" 10 "" { 17 6 2 }
p "" 1 3 0
t "" 11 "" { 18 0 5 }
t "" 12 "" { 9 12 18 }
p "" 3 1 0
c "" 3 "" { "c0" 2/2 "c1" 0/2 } 0
t "" 13 "" { 2 12 14 }
t "" 14 "" { 20 5 4 }
p "" 1 4 "" { "a0" "a1" } 0
t "" 15 "" { 8 15 12 }
t "" 16 "" { 4 12 9 }
p "" 1 5 "" { "a0" "a1" } 0
t "" 17 "" { 6 3 12 }
t "" 18 "" { 10 8 20 }
p "" 2 1 "" { "a0" "a1" } 0
p "" 3 2 "" { "a0" "a1" "a2" } 0
p "" 1 6 "" { "a0" "a1" } 0
t "" 19 "" { 1 7 0 }
t "" 20 "" { 19 10 12 }
c "" 4 "" { "c0" 0/4 "c1" 2/4 "c2" 2/4 } 0
t "" 21 "" { 20 13 17 }
t "" 22 "" { 0 2 4 }
t "" 23 "" { 20 19 19 }
c "" 5 "" { "c0" 1/1 "c1" 0/1 "c2" 0/1 } 0
t "" 24 "" { 17 20 12 }
t "" 25 "" { 2 19 7 }
t "" 26 "" { 17 3 19 }
p "" 3 2 0
c "" 6 "" { "c0" 3/5 "c1" 2/5 } 0
t "" 27 "" { 12 20 5 }
t "" 28 "" { 9 3 5 }
p "" 1 7 "" { "a0" "a1" } 0
t "" 29 "" { 11 18 19 }
t "" 30 "" { 20 2 15 }
p "" 1 7 0
t "" 31 "" { 19 13 15 }
t "" 32 "" { 20 13 16 })";

constexpr const char* kChanceBeliefsOnly = R"(EFG 2 R "Unseen draw" { "P1" "P2" "P3" }
c "" 1 "Nature" { "hi" 2/3 "lo" 1/3 } 0
p "" 1 1 "P1" { "a" "b" } 0
t "" 1 "" { 1 0 2 }
p "" 2 1 "P2" { "l" "r" } 0
t "" 2 "" { 3 1 0 }
t "" 3 "" { 0 2 1 }
p "" 1 1 0
t "" 4 "" { 2 1 1 }
p "" 2 1 0
t "" 5 "" { -1 0 3 }
t "" 6 "" { 4 -1 0 }
)";

// Chance, then a set whose one action is the only move: nothing to choose at any lambda
// (the expanded form of games/alternating_outside.yaml, where the walk-away stage lies behind
// a chance edge of probability 0).
constexpr const char* kNoChoice = R"(EFG 2 R "No choice" { "Seller" "Buyer" }
c "" 1 "talks" { "agree" 1 "no_deal" 0 } 0
t "" 1 "" { 0.5 0.5 }
p "" 2 1 "walk away" { "other_seller" } 0
t "" 2 "" { 0 0.3 }
)";

model::GamePtr Efg(const std::string& text) { return io::ReadEfg(text, "test.efg"); }

// A full binary tree of the given depth, three players moving in turn, each seeing every move
// but the two just before its own (sets of four nodes), payoffs 0-100 drawn from `seed`.
std::string HiddenMovesEfg(int depth, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> payoff(0, 100);
  std::string out = "EFG 2 R \"hidden moves\" { \"P1\" \"P2\" \"P3\" }\n\"\"\n";
  std::map<std::pair<int, std::uint64_t>, int> set_number;  // (depth, what the mover saw)
  int next_set[3] = {0, 0, 0}, outcomes = 0;
  std::function<void(int, std::uint64_t)> node = [&](int d, std::uint64_t path) {
    if (d == depth) {
      out += "t \"\" " + std::to_string(++outcomes) + " \"\" { " + std::to_string(payoff(rng)) + " " +
             std::to_string(payoff(rng)) + " " + std::to_string(payoff(rng)) + " }\n";
      return;
    }
    const int player = d % 3;
    const auto key = std::make_pair(d, d >= 2 ? path >> 2 : 0);
    auto [it, fresh] = set_number.try_emplace(key, 0);
    if (fresh) it->second = ++next_set[player];
    out += "p \"\" " + std::to_string(player + 1) + " " + std::to_string(it->second);
    out += fresh ? " \"\" { \"a\" \"b\" } 0\n" : " 0\n";
    node(d + 1, path << 1);
    node(d + 1, (path << 1) | 1);
  };
  node(0, 0);
  return out;
}

// The largest violation of ln s(h,a) - ln s(h,0) = lambda (U(h,a) - U(h,0)) over all sets.
double QreViolation(const Game& g, const std::vector<double>& behavior, double lambda) {
  ActionIndex index(g);
  std::vector<double> u = ActionValues(g, index, behavior);
  double worst = 0;
  for (InfosetId h = 0; h < g.num_infosets(); ++h) {
    if (g.infoset_player(h) == model::kChancePlayer) continue;
    double total = 0;
    for (std::uint32_t a = 0; a < g.num_actions(h); ++a) total += behavior[index(h, a)];
    worst = std::max(worst, std::abs(total - 1));
    for (std::uint32_t a = 1; a < g.num_actions(h); ++a) {
      double lhs = std::log(behavior[index(h, a)]) - std::log(behavior[index(h, 0)]);
      double rhs = lambda * (u[index(h, a)] - u[index(h, 0)]);
      worst = std::max(worst, std::abs(lhs - rhs));
    }
  }
  return worst;
}

std::vector<std::pair<double, std::vector<double>>> Qre(const Game& g, const std::vector<double>& lambdas) {
  ActionIndex index(g);
  std::vector<double> behavior(index.size(), 0.0);
  for (InfosetId h = 0; h < g.num_infosets(); ++h)
    if (g.infoset_player(h) == model::kChancePlayer)
      for (std::uint32_t a = 0; a < g.num_actions(h); ++a) behavior[index(h, a)] = g.chance_prob(h, a);
  auto sg = MakeLogitSubgame(g, 0, {}, {});
  std::vector<std::pair<double, std::vector<double>>> out;
  LogitStats stats = TraceLogitQre(g, *sg, index, behavior, lambdas,
                                   [&](double l, const std::vector<double>& b, const std::vector<double>&) {
                                     out.emplace_back(l, b);
                                   });
  CHECK(stats.status == LogitStatus::kReachedLambda);
  return out;
}

TEST_SUITE("logit") {
  TEST_CASE("the QRE conditions hold along the branch, checked independently") {
    // (The first three are traced; the two with fixed beliefs are solved by a backward sweep.)
    for (const char* text :
         {kThreePlayerPennies, kChanceAndBeliefs, testing::kMatchingPenniesEfg, kTwoStages, kChanceBeliefsOnly}) {
      auto g = Efg(text);
      CAPTURE(g->title());
      const std::vector<double> lambdas = {0, 0.5, 2, 7.3, 40};
      auto points = Qre(*g, lambdas);
      REQUIRE(points.size() == lambdas.size());
      ActionIndex index(*g);
      for (InfosetId h = 0; h < g->num_infosets(); ++h)  // uniform at lambda = 0
        if (g->infoset_player(h) != model::kChancePlayer)
          for (std::uint32_t a = 0; a < g->num_actions(h); ++a)
            CHECK(points[0].second[index(h, a)] == doctest::Approx(1.0 / g->num_actions(h)).epsilon(1e-15));
      for (auto& [lambda, behavior] : points) {
        CAPTURE(lambda);
        CHECK(QreViolation(*g, behavior, lambda) < 1e-10);
      }
    }
  }

  TEST_CASE("the tracer's Jacobian agrees with central differences of its equations") {
    // Chance, an outcome on an inner node and moving beliefs, hidden moves of three players,
    // and Gambit's three-player games where the corpus is at hand; at points steep enough that
    // the log-space paths are taken too.
    std::vector<model::GamePtr> games = {Efg(kThreePlayerPennies), Efg(kChanceAndBeliefs),
                                         Efg(testing::kMatchingPenniesEfg), Efg(kChanceBeliefsOnly),
                                         Efg(HiddenMovesEfg(7, 11)), Efg(HiddenMovesEfg(9, 12)),
                                         Efg(kZeroChance), Efg(kZeroChanceRandom)};
    for (const auto& g : games) {
      CAPTURE(g->title());
      auto sg = MakeLogitSubgame(*g, 0, {}, {});
      CHECK(LogitJacobianError(*sg, 7, 30) < 1e-6);
      CHECK(LogitJacobianError(*sg, 8, 30, /*weighted=*/true) < 1e-6);
    }
  }

  TEST_CASE("perfect information: the QRE at each lambda by hand") {
    auto g = Efg(kTwoStages);
    auto points = Qre(*g, {0.5, 2});
    REQUIRE(points.size() == 2);
    ActionIndex index(*g);
    // lambda 0.5: sigma(l) = 1/(1 + e^-0.5) = 0.62245933; sigma(L) = 1/(1 + e^(0.5 (1 - 1.24491866))) = 0.53057663
    CHECK(points[0].second[index(1, 0)] == doctest::Approx(0.6224593312018546).epsilon(1e-14));
    CHECK(points[0].second[index(0, 0)] == doctest::Approx(0.5305766310176361).epsilon(1e-14));
    // lambda 2: sigma(l) = 1/(1 + e^-2) = 0.88079708; sigma(L) = 1/(1 + e^(2 (1 - 1.76159416))) = 0.82100750
    CHECK(points[1].second[index(1, 0)] == doctest::Approx(0.8807970779778823).epsilon(1e-14));
    CHECK(points[1].second[index(0, 0)] == doctest::Approx(0.8210074960059999).epsilon(1e-14));
  }

  TEST_CASE("no choice of two or more actions: the profile at every lambda, in the library and parley qre") {
    auto g = Efg(kNoChoice);
    auto points = Qre(*g, {0, 1, 50});
    REQUIRE(points.size() == 3);
    ActionIndex index(*g);
    for (auto& [lambda, behavior] : points) CHECK(behavior[index(1, 0)] == 1);
    const std::string game = testing::WriteTempFile("qre_no_choice.efg", kNoChoice);
    auto run = testing::RunParley("qre " + game + " --lambda 0:2:3");
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("Incomplete") == std::string::npos);
    CHECK(run.out.find("lambda = 2") != std::string::npos);
    // The scenario this came from, and the finite-horizon alternating-offers game (10,186 sets
    // of perfect information, which hit the 60 s guard when traced): both complete at once.
    auto outside = testing::RunParley("qre " + testing::SourcePath("games/alternating_outside.yaml"));
    CHECK(outside.exit_code == 0);
    CHECK(outside.out.find("other_seller 1") != std::string::npos);
    auto offers = testing::RunParley("qre " + testing::SourcePath("games/alternating_offers.yaml") +
                                     " --lambda 3 --format csv");
    CHECK(offers.exit_code == 0);
    CHECK(offers.out.find("Incomplete") == std::string::npos);
    // A grid's points are a sweep's: 0.3:3:3's middle is 1.65 (0.3 + 2.7 x 1/2 is
    // 1.6500000000000001 in doubles), its rows labelled so.
    auto grid = testing::RunParley("qre " + game + " --lambda 0.3:3:3 --format csv");
    CHECK(grid.exit_code == 0);
    CHECK(grid.out.find("\n1.65,") != std::string::npos);
    CHECK(grid.out.find("1.6500000000000001") == std::string::npos);
    // A lambda too small for a double says so, not that it is no number.
    auto tiny = testing::RunParley("qre " + game + " --lambda 1e-310");
    CHECK(tiny.exit_code != 0);
    CHECK(tiny.err.find("'1e-310' is too small to compute with") != std::string::npos);
    // One that reads as 0 is not taken for 0.
    auto zero = testing::RunParley("qre " + game + " --lambda 1e-400");
    CHECK(zero.exit_code != 0);
    CHECK(zero.err.find("'1e-400' is too small to compute with") != std::string::npos);
  }

  TEST_CASE("three players, a unique mixed equilibrium worked by hand") {
    auto g = Efg(kThreePlayerPennies);
    Solution s = Solve(*g, {});
    REQUIRE(s.equilibria.size() == 1);
    const Equilibrium& e = s.equilibria[0];
    ActionIndex index(*g);
    CHECK(e.behavior[index(0, 0)] == doctest::Approx(0.5).epsilon(1e-10));      // P1: U
    CHECK(e.behavior[index(1, 0)] == doctest::Approx(1.0 / 3).epsilon(1e-10));  // P2: L
    CHECK(e.behavior[index(2, 1)] == doctest::Approx(1.0).epsilon(1e-12));      // P3: B
    CHECK(e.payoffs[0] == doctest::Approx(2.0 / 3).epsilon(1e-10));
    CHECK(e.payoffs[1] == doctest::Approx(0.5).epsilon(1e-10));
    CHECK(e.payoffs[2] == doctest::Approx(0.6).epsilon(1e-10));
    CHECK(e.max_gain <= 1e-9);
    CHECK(MaxSubgameGain<double>(*g, index, e.behavior) <= 1e-9);
    CHECK(s.method.find("logit") != std::string::npos);
  }

  TEST_CASE("a player's payoffs offset by 1e15: the same equilibrium as without the offset") {
    // Adding a constant to one player's payoffs changes no equilibrium. With 1e15 added to
    // P1's (1e15 + 5 and 1e15 are exact doubles), every difference in the game was measured
    // against 1e15 and taken for rounding: the trace stayed at the uniform profile (lambda
    // 7.65e-15), returned with a gain of 1.875 for P1 and a note calling it rounding.
    auto game = [](const std::string& offset, bool everyone = false) {
      auto pay = [&](int k) { return offset.empty() ? std::to_string(k) : offset + std::to_string(k); };
      auto other = [&](int k) { return everyone ? pay(k) : std::to_string(k); };
      return Efg("EFG 2 R \"offset\" { \"P1\" \"P2\" \"P3\" }\n\"\"\n"
                 "p \"\" 1 1 \"\" { \"a0_0\" \"a0_1\" \"a0_2\" } 0\n"
                 "p \"\" 2 1 \"\" { \"a1_0\" \"a1_1\" } 0\n"
                 "p \"\" 1 2 \"\" { \"a2_0\" \"a2_1\" } 0\n"
                 "t \"\" 1 \"\" { " + pay(3) + " " + other(1) + " " + other(0) + " }\nt \"\" 2 \"\" { " + pay(3) + " " + other(0) + " " + other(2) + " }\n"
                 "p \"\" 1 2  0\n"
                 "t \"\" 3 \"\" { " + pay(1) + " " + other(1) + " " + other(3) + " }\nt \"\" 4 \"\" { " + pay(1) + " " + other(0) + " " + other(0) + " }\n"
                 "p \"\" 2 1  0\n"
                 "p \"\" 1 3 \"\" { \"a2_0\" \"a2_1\" } 0\n"
                 "t \"\" 6 \"\" { " + pay(4) + " " + other(3) + " " + other(0) + " }\nt \"\" 7 \"\" { " + pay(5) + " " + other(1) + " " + other(1) + " }\n"
                 "p \"\" 1 3  0\n"
                 "t \"\" 8 \"\" { " + pay(3) + " " + other(1) + " " + other(3) + " }\nt \"\" 9 \"\" { " + pay(6) + " " + other(1) + " " + other(0) + " }\n"
                 "p \"\" 2 1  0\n"
                 "p \"\" 1 4 \"\" { \"a2_0\" \"a2_1\" } 0\n"
                 "t \"\" 10 \"\" { " + pay(1) + " " + other(2) + " " + other(2) + " }\nt \"\" 11 \"\" { " + pay(0) + " " + other(0) + " " + other(2) + " }\n"
                 "p \"\" 1 4  0\n"
                 "t \"\" 12 \"\" { " + pay(3) + " " + other(3) + " " + other(2) + " }\nt \"\" 13 \"\" { " + pay(2) + " " + other(3) + " " + other(0) + " }\n");
    };
    auto plain = game(""), offset = game("100000000000000");  // "1000000000000003": 1e15 + 3
    Solution a = Solve(*plain, {}), b = Solve(*offset, {});
    REQUIRE(a.equilibria.size() == 1);
    REQUIRE(b.equilibria.size() == 1);
    ActionIndex index(*plain);
    // The offset game's profile is an equilibrium of the plain one (the same tree), checked
    // there, where no payoff is large: P1's gain at the uniform profile was 1.875.
    CHECK(MaxSubgameGain<double>(*plain, index, b.equilibria[0].behavior) <= 1e-9);
    CHECK(MaxSubgameGain<double>(*plain, index, a.equilibria[0].behavior) <= 1e-9);
    CHECK(b.equilibria[0].payoffs[1] == doctest::Approx(a.equilibria[0].payoffs[1]).epsilon(1e-9));
    CHECK(b.equilibria[0].payoffs[2] == doctest::Approx(a.equilibria[0].payoffs[2]).epsilon(1e-9));
    // Every player offset by 1e15: each is shifted, and their spreads of a few units are still
    // differences, not rounding (judged against 1e-13 of 1e15, the game was flat again).
    auto all = game("100000000000000", true);
    Solution c = Solve(*all, {});
    REQUIRE(c.equilibria.size() == 1);
    CHECK(MaxSubgameGain<double>(*plain, index, c.equilibria[0].behavior) <= 1e-9);
  }

  TEST_CASE("a bystander paid in billions does not hide the one decision from the tracer") {
    // Only C chooses, not seeing the coin: x is worth 1/2 x 1 = 0.5 to C, y 1/2 x 2 = 1, so
    // y. B never moves, but its payoffs (up to 3e9) set the scale the tracer measured C's
    // differences in, and the trace stopped at its lambda limit with no equilibrium.
    auto g = Efg(R"(EFG 2 R "a bystander with big payoffs" { "A" "B" "C" }
""
c "" 1 "" { "h" 1/2 "t" 1/2 } 0
p "" 3 1 "C" { "x" "y" } 0
t "" 1 "" { 0 1000000000 1 }
t "" 2 "" { 0 0 0 }
p "" 3 1 0
t "" 3 "" { 0 0 0 }
t "" 4 "" { 0 3000000000 2 }
)");
    Solution s = Solve(*g, {});
    REQUIRE(s.equilibria.size() == 1);
    ActionIndex index(*g);
    CHECK(s.equilibria[0].behavior[index(g->infoset(1), 1)] == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(s.equilibria[0].payoffs[2] == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(MaxSubgameGain<double>(*g, index, s.equilibria[0].behavior) <= 1e-9);
  }

  TEST_CASE("stakes of 1e12 and of 3 in one subgame: a rescaled trace finds the equilibrium") {
    // A random game of three players whose payoffs run from 1/1000 to 3e12, with one subgame in
    // which all three move. On the principal branch P3's set at [s3.1], where P3's stakes are
    // a few units, is still undecided when lambda reaches its limit (1e8 over a range of 3e12);
    // the rescaled trace weighs each set's lambda by its stakes. The answer is checked in exact
    // arithmetic by the verifier: no player gains by deviating in any subgame beyond the
    // tolerance (1e-9 of the payoffs' range).
    auto g = io::LoadGame(testing::SourcePath("tests/data/mixed_stakes_3p.efg"));
    Solution s = SolveSubgamePerfect(*g, {});
    REQUIRE(s.equilibria.size() == 1);
    bool noted = false;
    for (const std::string& note : s.notes) noted |= note.find("principal logit branch of 1 subgame") != std::string::npos;
    CHECK(noted);
    ActionIndex index(*g);
    std::vector<Rational> exact;
    for (double b : s.equilibria[0].behavior) exact.push_back(ExactRational(b));
    const double range = 3e12 + 3e9;  // the largest payoff less the smallest, over all players
    CHECK(ToDouble(MaxSubgameGain<Rational>(*g, index, exact)) <= 1e-9 * range);
    // Every set's probabilities sum to 1 and the path is pure: P2 a1b, chance c1, P1 a1a.
    CHECK(s.equilibria[0].payoffs[0] == doctest::Approx(2000000002.0).epsilon(1e-12));
    CHECK(s.equilibria[0].payoffs[1] == doctest::Approx(2.0).epsilon(1e-12));
    CHECK(s.equilibria[0].payoffs[2] == doctest::Approx(6.0).epsilon(1e-12));
  }

  TEST_CASE("stakes too different for every trace: a pure profile, searched from the trace's end, verified") {
    // Payoffs from 1/1000 to 3e12 where all three move in the whole game: the principal branch
    // stops at its lambda limit and the four rescaled traces find nothing either. The whole
    // game's own sets ([s2.1], [s1.1], [s2.2], [s3.1] and [s1.2]; [s2.3] is in a smaller proper
    // subgame) have 2 x 2 x 3 x 2 x 3 = 72 pure profiles, and the first tried, the trace's last
    // point rounded, is an equilibrium: P2 a1b, P1 a2c, payoffs (0, 0, -1e12). Checked exactly.
    auto g = io::LoadGame(testing::SourcePath("tests/data/mixed_stakes_pure_3p.efg"));
    Solution s = SolveSubgamePerfect(*g, {});
    REQUIRE(s.equilibria.size() == 1);
    bool noted = false;
    for (const std::string& note : s.notes)
      noted |= note.find("the equilibrium there is a pure profile found by searching the subgame's pure profiles") !=
               std::string::npos;
    CHECK(noted);
    CHECK(s.method.find("pure profiles searched where no trace reached an equilibrium (1 subgame, 1 profile)") !=
          std::string::npos);
    const Equilibrium& eq = s.equilibria[0];
    ActionIndex index(*g);
    for (model::InfosetId h = 0; h < g->num_infosets(); ++h)
      if (g->infoset_player(h) != model::kChancePlayer)
        for (std::uint32_t a = 0; a < g->num_actions(h); ++a)
          CHECK((eq.behavior[index(h, a)] == 0 || eq.behavior[index(h, a)] == 1));
    std::vector<Rational> exact;
    for (double b : eq.behavior) exact.push_back(ExactRational(b));
    CHECK(MaxSubgameGain<Rational>(*g, index, exact) == Rational(0));
    CHECK(eq.payoffs[0] == 0.0);
    CHECK(eq.payoffs[1] == 0.0);
    CHECK(eq.payoffs[2] == -1e12);
  }

  TEST_CASE("a player paid in billionths beside one paid in billions: an equilibrium for each player's stakes") {
    // B's payoffs are 0 to 3e-9, A's 0 to 3e9: the principal branch stops at its lambda limit.
    // The rescaled trace's answer must be an equilibrium for B's stakes too, not only within
    // the game's tolerance of 1e-9 (which B's whole range fits in): an earlier build returned
    // B mixing l and r where r was better by 3e-9, a gain of 9.7e-10 that passed. Equilibria do
    // not change when a player's payoffs are multiplied by a positive number, so the profile is
    // checked exactly in the same game with B's payoffs multiplied by 1e18.
    const std::string kTemplate = R"(EFG 2 R "B is paid in billionths" { "A" "B" "C" }
""
p "" 1 1 "A" { "L" "R" } 0
p "" 2 1 "B" { "l" "r" } 0
p "" 3 1 "C" { "u" "d" } 0
t "" 1 "" { 3000000000 1@ 2 }
t "" 2 "" { 1000000000 3@ 0 }
p "" 3 1 0
t "" 3 "" { 2000000000 0 1 }
t "" 4 "" { 0 2@ 3 }
p "" 2 1 0
p "" 3 1 0
t "" 5 "" { 2000000000 2@ 1 }
t "" 6 "" { 1000000000 0 2 }
p "" 3 1 0
t "" 7 "" { 1000000000 1@ 0 }
t "" 8 "" { 3000000000 3@ 1 }
)";
    auto with_unit = [&](const std::string& unit) {
      std::string text = kTemplate;
      for (std::size_t at; (at = text.find('@')) != std::string::npos;) text.replace(at, 1, unit);
      return Efg(text);
    };
    auto g = with_unit("e-9");
    Solution s = SolveSubgamePerfect(*g, {});
    REQUIRE(s.equilibria.size() == 1);
    auto scaled = with_unit("000000000");
    ActionIndex index(*scaled);
    std::vector<Rational> exact;
    for (double b : s.equilibria[0].behavior) exact.push_back(ExactRational(b));
    // In the scaled game every player's payoffs span 3e9: the probabilities' rounding leaves
    // gains of about 1e-5 there (4e-15 of the range); B's mixing on the worse action gained
    // about 1e9.
    CHECK(ToDouble(MaxSubgameGain<Rational>(*scaled, index, exact)) <= 1e-3);
  }

  TEST_CASE("two players, a gain of 1 among payoffs of 1e15: recomputed exactly, not called rounding") {
    // A's payoffs are 1e15 and 1e15 + 1, B's 0, 3 and 5: not constant-sum, but the sums
    // differ by 6 in 1e15, inside the constant-sum test's tolerance, and the LP's pure answer
    // (R, l) has a real gain of 1 for A, which the verification excused as rounding. By hand:
    // B indifferent when 3 (1 - p) = 5 p, p = P(L) = 3/8; A indifferent when q = P(l) = 1/2.
    auto g = Efg(R"(EFG 2 R "not constant-sum" { "A" "B" }
""
p "" 1 1 "A" { "L" "R" } 0
p "" 2 1 "B" { "l" "r" } 0
t "" 1 "" { 1000000000000001 0 }
t "" 2 "" { 1000000000000000 5 }
p "" 2 1 0
t "" 3 "" { 1000000000000000 3 }
t "" 4 "" { 1000000000000001 0 }
)");
    Solution s = Solve(*g, {});
    REQUIRE(s.equilibria.size() == 1);
    ActionIndex index(*g);
    CHECK(s.exact);
    CHECK(s.equilibria[0].behavior[index(0, 0)] == 0.375);
    CHECK(s.equilibria[0].behavior[index(1, 0)] == 0.5);
    bool said = false;
    for (const auto& note : s.notes) said = said || note.find("recomputed in exact rational arithmetic") != std::string::npos;
    CHECK(said);
    // Asked for the LP, which needs constant-sum subgames: the floating-point LP took the game
    // for one and its answer was kept with a rounding note; the exact recomputation's refusal
    // now stands, at the subgame.
    parley::equilibrium::SolveOptions lp;
    lp.method = "lp";
    try {
      Solve(*g, lp);
      FAIL("no error");
    } catch (const parley::UnsupportedError& e) {
      CHECK(std::string(e.what()).find("--method lp needs constant-sum subgames") != std::string::npos);
    }
  }

  TEST_CASE("the same doubtful gain in a game past 1,024 nodes: kept, with a note that says how to settle it") {
    // The 2x2 game above behind a chance move, beside a chain of 1,100 single-action nodes:
    // exact arithmetic is not tried at once on a game this large (17 s at 2,047 nodes), and
    // the note says the gain may be rounding and that --exact settles it; --exact does.
    std::string text = "EFG 2 R \"large\" { \"A\" \"B\" }\n\"\"\n"
                       "c \"\" 1 \"\" { \"h\" 1/2 \"t\" 1/2 } 0\n"
                       "p \"\" 1 1 \"A\" { \"L\" \"R\" } 0\n"
                       "p \"\" 2 1 \"B\" { \"l\" \"r\" } 0\n"
                       "t \"\" 1 \"\" { 1000000000000001 0 }\nt \"\" 2 \"\" { 1000000000000000 5 }\n"
                       "p \"\" 2 1 0\n"
                       "t \"\" 3 \"\" { 1000000000000000 3 }\nt \"\" 4 \"\" { 1000000000000001 0 }\n";
    for (int k = 0; k < 1100; ++k) text += "p \"\" 1 " + std::to_string(k + 2) + " \"\" { \"go\" } 0\n";
    text += "t \"\" 5 \"\" { 0 0 }\n";
    auto g = Efg(text);
    REQUIRE(g->num_nodes() > 1024);
    Solution s = Solve(*g, {});
    REQUIRE(s.equilibria.size() == 1);
    CHECK_FALSE(s.exact);
    bool said = false;
    for (const auto& note : s.notes)
      said = said || note.find("may be rounding: it is below 1e-13 of the payoffs it is computed from (the game is too "
                               "large to recompute exactly at once; --exact settles it)") != std::string::npos;
    CHECK(said);
    SolveOptions exact;
    exact.exact = true;
    Solution e = Solve(*g, exact);
    ActionIndex index(*g);
    CHECK(e.equilibria.at(0).behavior[index(g->infoset(1), 0)] == 0.375);
  }

  TEST_CASE("exact arithmetic is refused for three players, with what would work") {
    auto g = Efg(kThreePlayerPennies);
    SolveOptions o;
    o.exact = true;
    CHECK_THROWS_WITH_AS(Solve(*g, o),
                         doctest::Contains("Without --exact, Parley traces the logit"),
                         UnsupportedError);
  }

  TEST_CASE("chance, outcomes on inner nodes and moving beliefs: a verified equilibrium") {
    auto g = Efg(kChanceAndBeliefs);
    Solution s = Solve(*g, {});
    REQUIRE(s.equilibria.size() == 1);
    ActionIndex index(*g);
    CHECK(MaxSubgameGain<double>(*g, index, s.equilibria[0].behavior) <= 1e-9);
  }

  TEST_CASE("two players with --method logit: the logit-limiting equilibrium, verified") {
    auto g = Efg(testing::kMatchingPenniesEfg);
    SolveOptions o;
    o.method = "logit";
    Solution s = Solve(*g, o);
    REQUIRE(s.equilibria.size() == 1);
    ActionIndex index(*g);
    // Matching pennies has one equilibrium: both players 1/2-1/2.
    CHECK(s.equilibria[0].behavior[index(0, 0)] == doctest::Approx(0.5).epsilon(1e-10));
    CHECK(s.equilibria[0].behavior[index(1, 0)] == doctest::Approx(0.5).epsilon(1e-10));
  }

  TEST_CASE("parley qre: a profile at lambda, and lambda recovered from counts it implies") {
    const std::string game = testing::WriteTempFile("qre_pennies3.efg", kThreePlayerPennies);
    auto one = testing::RunParley("qre " + game + " --lambda 2 --format json");
    REQUIRE(one.exit_code == 0);
    auto j = nlohmann::json::parse(one.out);
    REQUIRE(j["points"].size() == 1);
    auto g = Efg(kThreePlayerPennies);
    auto points = Qre(*g, {2.0});
    ActionIndex index(*g);
    // The CLI's numbers are the library's, and the records follow the file's numbering.
    const auto& rec = j["points"][0]["profile"][1];
    CHECK(rec["player"] == 2);
    CHECK(rec["number"] == 1);
    CHECK(rec["actions"][0]["probability"].get<double>() == points[0].second[index(1, 0)]);
    CHECK(j["points"][0]["profile"][2]["beliefs"].size() == 4);

    // Counts proportional to the QRE at lambda 1.5 (a million choices per set): the
    // likelihood is maximal at exactly 1.5 (the fitted profile then equals the data's
    // frequencies), so the fit must find it to the search's accuracy.
    auto truth = Qre(*g, {1.5});
    std::string csv = "player,set,action,count\n";
    for (InfosetId h = 0; h < g->num_infosets(); ++h)
      for (std::uint32_t a = 0; a < g->num_actions(h); ++a)
        csv += std::to_string(g->infoset_player(h) + 1) + ",1," + std::string(g->action_label(h, a)) + "," +
               std::to_string(1e6 * truth[0].second[index(h, a)]) + "\n";
    const std::string counts = testing::WriteTempFile("qre_counts.csv", csv);
    auto fit = testing::RunParley("qre " + game + " --fit " + counts + " --format json");
    REQUIRE(fit.exit_code == 0);
    auto f = nlohmann::json::parse(fit.out);
    CHECK(f["lambda"].get<double>() == doctest::Approx(1.5).epsilon(1e-5));
    CHECK(f["standard_error"].get<double>() > 0);
    CHECK(f["standard_error"].get<double>() < 0.05);

    // --max-seconds bounds the fit too: a budget no trace can keep stops it, with a message
    // and exit code 1, not a fit that ran on (the option was read only without --fit).
    auto hurried = testing::RunParley("qre " + game + " --fit " + counts + " --max-seconds 1e-9");
    CHECK(hurried.exit_code == 1);
    CHECK(hurried.out.empty());
    CHECK(hurried.err.find("the time limit") != std::string::npos);

    auto bad = testing::RunParley("qre " + game + " --fit " + testing::WriteTempFile("qre_bad.csv", "player,set,action,count\n2,1,Z,5\n"));
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("qre_bad.csv:2:5: the set") != std::string::npos);
    CHECK(bad.err.find("has no action 'Z'") != std::string::npos);

    // Labels with commas and quotes: `--fit` reads cells quoted as `--format csv` writes them
    // (RFC 4180). One decision, "accept, then sue" against "say "no"" paying 1 and 0: the QRE
    // at lambda plays them e^lambda : 1, so counts 3 : 1 are fitted by lambda = ln 3.
    const std::string comma = testing::WriteTempFile("qre_comma.efg", R"(EFG 2 R "comma" { "A" "B" }
""
p "" 1 1 "first, move" { "accept, then sue" "say \"no\"" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 0 1 }
)");
    auto own = testing::RunParley("qre " + comma + " --lambda 1 --format csv");
    REQUIRE(own.exit_code == 0);
    CHECK(own.out.find(",\"accept, then sue\",") != std::string::npos);
    CHECK(own.out.find(",\"say \"\"no\"\"\",") != std::string::npos);
    auto quoted = testing::RunParley(
        "qre " + comma + " --fit " +
        testing::WriteTempFile("qre_quoted.csv", "\"player\",set,action,count\r\n1,1,\"accept, then sue\",3\r\n"
                                                 "1,1,\"say \"\"no\"\"\",1\r\n") +
        " --format json");
    REQUIRE(quoted.exit_code == 0);
    CHECK(nlohmann::json::parse(quoted.out)["lambda"].get<double>() == doctest::Approx(std::log(3.0)).epsilon(1e-5));
    auto open_quote = testing::RunParley(
        "qre " + comma + " --fit " + testing::WriteTempFile("qre_open.csv", "player,set,action,count\n1,1,\"accept, then sue,3\n"));
    CHECK(open_quote.exit_code == 1);
    CHECK(open_quote.err.find("qre_open.csv:2:5: this quoted cell has no closing quote on its line") != std::string::npos);
    auto trailing = testing::RunParley(
        "qre " + comma + " --fit " + testing::WriteTempFile("qre_trailing.csv", "player,set,action,count\n1,1,\"accept, then sue\"x,3\n"));
    CHECK(trailing.err.find("qre_trailing.csv:2:23: a quoted cell must end at a comma or the end of the line") != std::string::npos);

    // The tracer's time budget: past it, exit 1 with where the trace was and how to raise it;
    // a budget that is not a positive number is a usage error that says what would be right.
    const std::string big = testing::WriteTempFile("qre_budget.efg", HiddenMovesEfg(9, 12));
    auto slow = testing::RunParley("solve " + big + " --max-seconds 0.001");
    CHECK(slow.exit_code == 1);
    CHECK(slow.err.find("the time limit was reached (lambda ") != std::string::npos);
    CHECK(slow.err.find("; the limit is 0.001 s of processor time per subgame (raise it with --max-seconds)") !=
          std::string::npos);
    auto grid = testing::RunParley("qre " + big + " --lambda 0:100:200 --max-seconds 0.001 --format csv");
    CHECK(grid.exit_code == 1);
    CHECK(grid.out.rfind("lambda,player,set,set_label,action,probability\n0,", 0) == 0);  // lambda 0 printed
    CHECK(grid.err.find("s of processor time, after ") != std::string::npos);
    CHECK(grid.err.find("raise it with --max-seconds); ") != std::string::npos);
    CHECK(grid.err.find(" of 200 points computed") != std::string::npos);
    auto zero = testing::RunParley("solve " + big + " --max-seconds 0");
    CHECK(zero.exit_code == 2);
    CHECK(zero.err.find("--max-seconds: must be a number greater than 0, not '0'") != std::string::npos);
    auto infinite = testing::RunParley("solve " + big + " --max-seconds inf");
    CHECK(infinite.exit_code == 2);
    CHECK(infinite.err.find("--max-seconds: must be a finite number greater than 0, not 'inf'") != std::string::npos);
    auto beyond = testing::RunParley("solve " + big + " --max-seconds 1e400");
    CHECK(beyond.exit_code == 2);
    CHECK(beyond.err.find("--max-seconds: must be a finite number greater than 0, not '1e400'") != std::string::npos);

    // Past the tracer's largest lambda (1e8 over the range of the payoffs): said so, exit 1.
    auto far = testing::RunParley("qre " + game + " --lambda 1e9");
    CHECK(far.exit_code == 1);
    CHECK(far.err.find(": that is the largest lambda the tracer follows (1e+08 divided by the range") !=
          std::string::npos);
    CHECK(far.err.rfind("error: " + game + ": the trace stopped", 0) == 0);  // the file named
    // A malformed --lambda is a usage error (exit 2), as a malformed --max-seconds is.
    auto negative = testing::RunParley("qre " + game + " --lambda -1");
    CHECK(negative.exit_code == 2);
    CHECK(negative.err == "error: --lambda: '-1' is not a number >= 0 (write L or LO:HI:N) (parley qre --help "
                          "lists the options)\n");
    CHECK(testing::RunParley("qre " + game + " --lambda 2:1:5").exit_code == 2);
  }

  TEST_CASE("parley qre names sets and actions as parley solve does") {
    // No set has a label, one action has none, and B's set holds both of B's nodes: solve
    // names them "A at the root", "B after L (+1 nodes)" and "#2", and lists beliefs with
    // commas; qre said "A at node 0" and "B at node 1", left the action blank and ran the
    // beliefs together ("beliefs after L 0.5 after #2 0.5").
    const std::string game = testing::WriteTempFile("qre_names.efg", R"(EFG 2 R "names" { "A" "B" }
""
p "" 1 1 "" { "L" "" } 0
p "" 2 1 "" { "l" "r" } 0
t "" 1 "" { 1 -1 }
t "" 2 "" { -1 1 }
p "" 2 1 0
t "" 3 "" { -1 1 }
t "" 4 "" { 1 -1 }
)");
    auto solve = testing::RunParley("solve " + game);
    REQUIRE(solve.exit_code == 0);
    CHECK(solve.out.find("* A at the root: L 0.5, #2 0.5\n") != std::string::npos);
    CHECK(solve.out.find("* B after L (+1 nodes): l 0.5, r 0.5\n") != std::string::npos);
    // At lambda 0 every action is equally likely.
    auto qre = testing::RunParley("qre " + game + " --lambda 0");
    REQUIRE(qre.exit_code == 0);
    CHECK(qre.out.find("\n  A at the root: L 0.5, #2 0.5\n") != std::string::npos);
    CHECK(qre.out.find("\n  B after L (+1 nodes): l 0.5, r 0.5; beliefs after L 0.5, after #2 0.5\n") !=
          std::string::npos);
    CHECK(qre.out.find("at node") == std::string::npos);
  }

  TEST_CASE("requested lambdas past the branch's bends: every point met, none a crash") {
    // A requested lambda that a long step passes used to be met by Newton at that lambda from
    // the point interpolated along the step, and an internal error stopped the program when
    // Newton failed there (a bend of the branch within the step, or rounding above an absolute
    // bar of 1e-10 where lambda times the payoffs reaches the thousands). Now the step is taken
    // back and shortened until the point is met close to the branch. Random games with hidden
    // moves and payoffs 0-100, lambda from 0.25 to 10 (game units); each point is checked on the
    // equations where no reach probability underflows (the check works in linear space: a
    // product of eight probabilities of at least 1e-30 is a normal double).
    int checked = 0;
    for (int depth : {6, 7, 8})
      for (unsigned seed = 1; seed <= 6; ++seed) {
        auto g = Efg(HiddenMovesEfg(depth, seed));
        CAPTURE(depth);
        CAPTURE(seed);
        std::vector<double> lambdas;
        for (int i = 1; i <= 40; ++i) lambdas.push_back(0.25 * i);
        auto points = Qre(*g, lambdas);  // requires kReachedLambda
        REQUIRE(points.size() == lambdas.size());
        for (auto& [lambda, behavior] : points) {
          CAPTURE(lambda);
          if (*std::min_element(behavior.begin(), behavior.end()) < 1e-30) continue;
          CHECK(QreViolation(*g, behavior, lambda) < 1e-12 * (1 + 100 * lambda));
          ++checked;
        }
      }
    CHECK(checked > 40);
  }

  TEST_CASE("a QRE by the backward sweep that misses the equations is left to the trace, not an internal error") {
    // Beliefs no move changes (P1's set [s4] has two nodes told apart by chance alone): the QRE
    // is one backward sweep per lambda. At lambda 1e5 (2.1e6 in range units) its point missed
    // the equations by 2.8e-6 against terms of 8e5, past the sweep's bar, and an internal check
    // stopped the program (exit 3). The trace takes over; the point meets the QRE conditions.
    auto g = io::LoadGame(testing::SourcePath("tests/data/qre_sweep_steep.efg"));
    for (double lambda : {1e3, 1e5}) {
      CAPTURE(lambda);
      QrePoint point = QreAt(*g, lambda);
      REQUIRE(point.stats.status == LogitStatus::kReachedLambda);
      CHECK(point.check.holds());
    }
  }

  TEST_CASE("a steep QRE: beliefs, values and the check from log-probabilities, where probabilities underflow") {
    // At lambda 60 (payoffs 0-100) unlikely actions have probabilities far below the smallest
    // double and whole sets are reached with probability 0 in linear space. Their beliefs were
    // reported as "not determined (uniform shown)" and the check as an infinite violation.
    auto g = Efg(HiddenMovesEfg(6, 3));
    ActionIndex index(*g);
    QrePoint steep = QreAt(*g, 60);
    REQUIRE(steep.stats.status == LogitStatus::kReachedLambda);
    CHECK(*std::min_element(steep.behavior.begin(), steep.behavior.end()) == 0.0);  // underflow happens
    CHECK(QreViolation(*g, index, steep.behavior, 60) == std::numeric_limits<double>::infinity());
    CHECK(steep.check.violation < 1e-9);
    equilibrium::Equilibrium linear, logs;
    linear.behavior = logs.behavior = steep.behavior;
    const auto roots = ProperSubgameRoots(*g);
    equilibrium::AssignBeliefs(*g, index, roots, {}, linear);
    equilibrium::AssignQreBeliefs(*g, index, roots, steep.log_behavior, logs);
    int unspecified_before = 0;
    for (InfosetId h = 0; h < g->num_infosets(); ++h) {
      if (g->infoset_player(h) == model::kChancePlayer) continue;
      unspecified_before += linear.belief_source[h] == BeliefSource::kUnspecified;
      CHECK(logs.belief_source[h] == BeliefSource::kBayes);
      double total = 0;
      for (NodeId x : g->infoset_nodes(h)) total += logs.beliefs[x];
      CHECK(total == doctest::Approx(1.0).epsilon(1e-14));
    }
    CHECK(unspecified_before > 0);

    // Where nothing underflows (lambda 0.05), the log-space beliefs and values are the linear
    // ones, and so is the check.
    QrePoint mild = QreAt(*g, 0.05);
    REQUIRE(mild.stats.status == LogitStatus::kReachedLambda);
    const std::vector<double> b_lin = Beliefs(*g, index, mild.behavior);
    const std::vector<double> b_log = BeliefsFromLog(*g, index, mild.log_behavior);
    for (NodeId x = 0; x < g->num_nodes(); ++x) CHECK(b_log[x] == doctest::Approx(b_lin[x]).epsilon(1e-12));
    const std::vector<double> u_lin = ActionValues(*g, index, mild.behavior);
    const std::vector<double> u_log = ActionValuesFromLog(*g, index, mild.log_behavior);
    for (std::size_t i = 0; i < u_lin.size(); ++i) CHECK(u_log[i] == doctest::Approx(u_lin[i]).epsilon(1e-12));
    CHECK(QreViolationFromLog(*g, index, mild.log_behavior, 0.05) < 1e-12);
    CHECK(QreViolation(*g, index, mild.behavior, 0.05) < 1e-12);
    // And the check is a check: a profile off the QRE fails it.
    std::vector<double> off = mild.log_behavior;
    std::swap(off[index(1, 0)], off[index(1, 1)]);
    CHECK(QreViolationFromLog(*g, index, off, 0.05) > 1e-3);

    // parley qre --format json: every set's beliefs by Bayes' rule.
    const std::string file = testing::WriteTempFile("qre_steep.efg", HiddenMovesEfg(6, 3));
    auto run = testing::RunParley("qre " + file + " --lambda 60 --format json");
    REQUIRE(run.exit_code == 0);
    auto j = nlohmann::json::parse(run.out);
    for (const auto& rec : j["points"][0]["profile"]) CHECK(rec["beliefs_from"] == "bayes");
  }

  TEST_CASE("a set reached with a subnormal probability: its beliefs from logarithms, in JSON as in text") {
    // A takes l for 100, or r for 26 after which B guesses a coin (3/4, 1/4) it cannot see:
    // at lambda 10, sigma(r) is about e^(10 (26 - 100)) = e^-740, 4.2e-322, a subnormal double
    // that keeps a few bits. B's beliefs are the coin's, 3/4 and 1/4, whatever r's
    // probability; from the subnormal reaches they came out 64/85 and 21/85.
    const std::string file = testing::WriteTempFile("tiny_reach.efg", R"(EFG 2 R "tiny reach" { "A" "B" }
""
p "" 1 1 "first" { "l" "r" } 0
t "" 1 "" { 100 0 }
c "" 1 "coin" { "a" 3/4 "b" 1/4 } 0
p "" 2 1 "guess" { "x" "y" } 0
t "" 2 "" { 26 1 }
t "" 3 "" { 26 0 }
p "" 2 1 0
t "" 4 "" { 26 0 }
t "" 5 "" { 26 1 }
)");
    auto run = testing::RunParley("qre " + file + " --lambda 10 --format json");
    REQUIRE(run.exit_code == 0);
    auto j = nlohmann::json::parse(run.out);
    int checked = 0;
    for (const auto& rec : j["points"][0]["profile"]) {
      if (rec["label"] != "guess") continue;
      CHECK(rec["beliefs_from"] == "bayes");
      REQUIRE(rec["beliefs"].size() == 2);
      CHECK(rec["beliefs"][0]["probability"].get<double>() == doctest::Approx(0.75).epsilon(1e-12));
      CHECK(rec["beliefs"][1]["probability"].get<double>() == doctest::Approx(0.25).epsilon(1e-12));
      ++checked;
    }
    CHECK(checked == 1);
    auto text = testing::RunParley("qre " + file + " --lambda 10");
    CHECK(text.out.find("after r > a 0.75, after r > b 0.25") != std::string::npos);
  }

  TEST_CASE("chance moves of probability 0: a verified equilibrium, beliefs given the move") {
    for (const char* text : {kZeroChance, kZeroChanceRandom}) {
      auto g = Efg(text);
      CAPTURE(g->title());
      Solution s = Solve(*g, {});  // three players: the logit tracer
      REQUIRE(s.equilibria.size() == 1);
      ActionIndex index(*g);
      CHECK(MaxSubgameGain<double>(*g, index, s.equilibria[0].behavior) <= 1e-9);
    }
    // In kZeroChance, the beliefs of P2's set below "dead" are what P1's play there implies
    // (Bayes' rule given the move), at every lambda of the trace.
    auto g = Efg(kZeroChance);
    ActionIndex index(*g);
    auto points = Qre(*g, {0.5, 2.0});
    auto sg = MakeLogitSubgame(*g, 0, {}, {});
    for (auto& [lambda, behavior] : points) {
      CAPTURE(lambda);
      // P1's second set (the one below "dead") and P2's second set, whose nodes follow a and b.
      const InfosetId p1_dead = g->player_infosets(0)[1], p2_dead = g->player_infosets(1)[1];
      std::vector<double> limit(g->num_nodes(), -1.0);
      Equilibrium e;
      e.behavior = behavior;
      std::vector<double> log_b(behavior.size());
      for (std::size_t i = 0; i < behavior.size(); ++i) log_b[i] = std::log(behavior[i]);
      AssignQreBeliefs(*g, index, ProperSubgameRoots(*g), log_b, e);
      auto nodes = g->infoset_nodes(p2_dead);
      REQUIRE(nodes.size() == 2);
      CHECK(e.beliefs[nodes[0]] == doctest::Approx(behavior[index(p1_dead, 0)]).epsilon(1e-12));
      CHECK(e.beliefs[nodes[1]] == doctest::Approx(behavior[index(p1_dead, 1)]).epsilon(1e-12));
    }
  }

  TEST_CASE("every Gambit game with three or more players: a verified subgame-perfect equilibrium") {
    if (!testing::SharedOrSkip()) return;
    auto ref = nlohmann::json::parse(testing::ReadFile(testing::SharedPath("gambit-games/reference.json")));
    int solved = 0;
    for (auto& [key, entry] : ref.items()) {
      if (key.rfind("efg/", 0) != 0 || entry["num_players"].get<int>() < 3) continue;
      if (entry["perfect_information"].get<bool>() || !entry["perfect_recall"].get<bool>()) continue;
      CAPTURE(key);
      auto game = io::LoadGame(testing::SharedPath("gambit-games/" + key));
      Solution s = Solve(*game, {});
      REQUIRE(s.equilibria.size() == 1);
      ActionIndex index(*game);
      CHECK(MaxSubgameGain<double>(*game, index, s.equilibria[0].behavior) <= 1e-9);
      // No residue of the polish's Newton steps is left as a probability (my_2-8.efg had
      // 6.7e-25: a "mix" of B 0 and C 1, drawn as a path, and Bayes' rule off the path).
      for (double p : s.equilibria[0].behavior) CHECK_FALSE((p > 0 && p < 1e-12));
      ++solved;
    }
    CHECK(solved >= 10);
  }

  TEST_CASE("Myerson's exercise 2.8: the residue of a polish is a 0, and the set below it is off the path") {
    if (!testing::SharedOrSkip()) return;
    auto game = io::LoadGame(testing::SharedPath("gambit-games/efg/my_2-8.efg"));
    Solution s = Solve(*game, {});
    REQUIRE(s.equilibria.size() == 1);
    const Equilibrium& e = s.equilibria[0];
    ActionIndex index(*game);
    CHECK(MaxSubgameGain<double>(*game, index, e.behavior) <= 1e-9);
    // Node 1 (after A) is Player 2's set (2,1): C for sure, B exactly 0 (it was 6.7e-25).
    const InfosetId two = game->infoset(1);
    CHECK(e.behavior[index(two, 1)] == 0);
    CHECK(e.behavior[index(two, 2)] == 1);
    // So Player 1's set (1,2), below B or below Player 3's B, is never reached: its beliefs
    // are the trace's limit, not Bayes' rule applied to residues.
    bool found = false;
    for (InfosetId h = 0; h < game->num_infosets(); ++h)
      if (game->infoset_label(h) == "(1,2)") {
        found = true;
        CHECK(e.belief_source[h] == BeliefSource::kTrace);
      }
    CHECK(found);
  }
}

}  // namespace
}  // namespace parley::equilibrium
