// The assessment's beliefs (equilibrium/beliefs.h) in `parley solve`'s text and JSON, on a
// signalling game whose beliefs follow by hand, including a set that play never reaches.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "solver/equilibrium/beliefs.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/solve.h"
#include "solver/io/efg.h"
#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

// Chance picks the sender's type, t1 with 2/3 and t2 with 1/3; the sender, who knows it,
// sends L or R; the receiver sees only the message and answers u or d. The sender's payoffs do
// not depend on the type: (L,u) 2, (L,d) 0, (R,u) 3, (R,d) 1. The receiver's do: after L, u
// pays 1 against t1 and d pays 1 against t2; after R, u pays 1 against t1 and d pays 3
// against t2.
//
// By hand. Both types face the same payoffs, so at every lambda of the logit branch (a curve
// through the symmetric uniform point) they play alike, and the receiver's beliefs at either
// message equal the prior: (2/3, 1/3). Given them, after L u is worth 2/3 and d 1/3, so u;
// after R u is worth 2/3 and d 3 x 1/3 = 1, so d. The sender then gets 2 from L and 1 from
// R: both types send L. R is never sent; the limit beliefs there are still the prior
// (2/3, 1/3), under which d is indeed the receiver's best answer.
//
// Preorder node numbers: 0 chance; 1 t1's move; 2 receiver after (t1, L); 5 after (t1, R);
// 8 t2's move; 9 receiver after (t2, L); 12 after (t2, R).
constexpr const char* kSignalling = R"(EFG 2 R "Signalling with an unsent message" { "Sender" "Receiver" }
c "" 1 "type" { "t1" 2/3 "t2" 1/3 } 0
p "" 1 1 "t1" { "L" "R" } 0
p "" 2 1 "after L" { "u" "d" } 0
t "" 1 "" { 2 1 }
t "" 2 "" { 0 0 }
p "" 2 2 "after R" { "u" "d" } 0
t "" 3 "" { 3 1 }
t "" 4 "" { 1 0 }
p "" 1 2 "t2" { "L" "R" } 0
p "" 2 1 "after L" { "u" "d" } 0
t "" 5 "" { 2 0 }
t "" 6 "" { 0 1 }
p "" 2 2 "after R" { "u" "d" } 0
t "" 7 "" { 3 0 }
t "" 8 "" { 1 3 }
)";

TEST_SUITE("beliefs") {
  TEST_CASE("a signalling game by the logit branch: Bayes on the path, the trace's limit off it") {
    auto game = io::ReadEfg(kSignalling, "signalling.efg");
    SolveOptions options;
    options.method = "logit";
    Solution s = Solve(*game, options);
    REQUIRE(s.equilibria.size() == 1);
    const Equilibrium& eq = s.equilibria[0];
    ActionIndex index(*game);
    const InfosetId after_l = game->infoset(2), after_r = game->infoset(5);
    CHECK(eq.behavior[index(game->infoset(1), 0)] == doctest::Approx(1));  // t1 sends L
    CHECK(eq.behavior[index(game->infoset(8), 0)] == doctest::Approx(1));  // t2 sends L
    CHECK(eq.behavior[index(after_l, 0)] == doctest::Approx(1));           // u after L
    CHECK(eq.behavior[index(after_r, 1)] == doctest::Approx(1));           // d after R
    REQUIRE(eq.beliefs.size() == game->num_nodes());
    CHECK(eq.belief_source[after_l] == BeliefSource::kBayes);
    CHECK(eq.beliefs[2] == doctest::Approx(2.0 / 3).epsilon(1e-12));
    CHECK(eq.beliefs[9] == doctest::Approx(1.0 / 3).epsilon(1e-12));
    CHECK(eq.belief_source[after_r] == BeliefSource::kTrace);
    CHECK(eq.beliefs[5] == doctest::Approx(2.0 / 3).epsilon(1e-9));
    CHECK(eq.beliefs[12] == doctest::Approx(1.0 / 3).epsilon(1e-9));
    // The sender's singleton sets: belief 1.
    CHECK(eq.beliefs[1] == 1);
    CHECK(eq.beliefs[8] == 1);
  }

  TEST_CASE("without a trace, an unreached set's beliefs are marked as not determined") {
    auto game = io::ReadEfg(kSignalling, "signalling.efg");
    Solution s = Solve(*game, {});  // two players: sequence-form Lemke
    REQUIRE(s.equilibria.size() == 1);
    const Equilibrium& eq = s.equilibria[0];
    ActionIndex index(*game);
    for (NodeId x : {NodeId{2}, NodeId{5}}) {
      CAPTURE(x);
      const InfosetId h = game->infoset(x);
      // The message sent with positive probability, if any, from each type.
      double sent_t1 = eq.behavior[index(game->infoset(1), x == 2 ? 0 : 1)];
      double sent_t2 = eq.behavior[index(game->infoset(8), x == 2 ? 0 : 1)];
      double reach = 2.0 / 3 * sent_t1 + 1.0 / 3 * sent_t2;
      if (reach > 0) {
        CHECK(eq.belief_source[h] == BeliefSource::kBayes);
        CHECK(eq.beliefs[x] == doctest::Approx(2.0 / 3 * sent_t1 / reach));
      } else {
        CHECK(eq.belief_source[h] == BeliefSource::kUnspecified);
        CHECK(eq.beliefs[x] == 0.5);
      }
    }
  }

  TEST_CASE("an unreached set inside a subgame: Bayes' rule from the subgame's root") {
    // Player 1 ends the game (Out) or enters a simultaneous-move subgame: player 1 picks A or
    // B, player 2 picks a or b without seeing it. Out pays 5 to player 1; inside, (A,a) pays
    // (2,2), (B,b) (0,1) and the rest (0,0). Player 1 gets at most 2 inside, so goes Out, and
    // 2's set is unreached; within the subgame 1 plays A with some probability p, so 2's
    // beliefs there are (p, 1 - p) by Bayes' rule from the subgame's root.
    constexpr const char* kEntry = R"(EFG 2 R "Entry into a simultaneous game" { "P1" "P2" }
p "" 1 1 "enter?" { "Out" "In" } 0
t "" 1 "" { 5 0 }
p "" 1 2 "inside" { "A" "B" } 0
p "" 2 1 "guess" { "a" "b" } 0
t "" 2 "" { 2 2 }
t "" 3 "" { 0 0 }
p "" 2 1 "guess" { "a" "b" } 0
t "" 4 "" { 0 0 }
t "" 5 "" { 0 1 }
)";
    auto game = io::ReadEfg(kEntry, "entry.efg");
    Solution s = Solve(*game, {});
    REQUIRE(s.equilibria.size() == 1);
    const Equilibrium& eq = s.equilibria[0];
    ActionIndex index(*game);
    REQUIRE(eq.behavior[index(game->infoset(0), 0)] == 1);  // Out
    // Preorder: 0 enter?, 1 Out's leaf, 2 inside, 3 guess after A, 6 guess after B.
    // (The subgame has other equilibria, (B, b) among them: whichever the solver picks,
    // the beliefs are its own play's.)
    const InfosetId guess = game->infoset(3);
    const double a = eq.behavior[index(game->infoset(2), 0)];
    CHECK(eq.belief_source[guess] == BeliefSource::kSubgame);
    CHECK(eq.beliefs[3] == doctest::Approx(a));
    CHECK(eq.beliefs[6] == doctest::Approx(1 - a));
  }

  TEST_CASE("a set reached with a probability below the smallest double: Bayes' rule, in log space") {
    // Chance picks "rare" with probability 1e-200 twice (1e-400 in all, 0 in doubles), then
    // x (1/4) or y (3/4), then A enters; B's set holds the two nodes after x and after y. Its
    // beliefs are (1/4, 3/4) by Bayes' rule; the reach underflowed, and the rule named was the
    // subgame's.
    // 1 - 1e-200 exactly: 200 nines over 1 and 200 zeros.
    const std::string common = std::string(200, '9') + "/1" + std::string(200, '0');
    const std::string tiny = "EFG 2 R \"tiny reach\" { \"A\" \"B\" }\n"
                             "c \"\" 1 \"\" { \"rare\" 1e-200 \"common\" " + common + " } 0\n"
                             "c \"\" 2 \"\" { \"rare2\" 1e-200 \"common2\" " + common + " } 0\n" + R"(c "" 3 "" { "x" 1/4 "y" 3/4 } 0
p "" 1 1 "A" { "in" "out" } 0
p "" 2 1 "B" { "l" "r" } 0
t "" 1 "" { 1 2 }
t "" 2 "" { 0 0 }
t "" 3 "" { 1 1 }
p "" 1 2 "A2" { "in" "out" } 0
p "" 2 1 0
t "" 4 "" { 1 0 }
t "" 5 "" { 0 1 }
t "" 6 "" { 1 1 }
t "" 7 "" { 0 0 }
t "" 8 "" { 0 0 }
)";
    auto game = io::ReadEfg(tiny, "tiny.efg");
    Solution s = Solve(*game, {});
    REQUIRE(s.equilibria.size() == 1);
    const Equilibrium& eq = s.equilibria[0];
    ActionIndex index(*game);
    // Nodes in preorder: 0, 1, 2 (x/y chance), 3 A after x, 4 B after x, ..., the B node after y.
    const InfosetId b = game->infoset(4);
    const auto nodes = game->infoset_nodes(b);
    REQUIRE(nodes.size() == 2);
    const double in_x = eq.behavior[index(game->infoset(3), 0)];
    const double in_y = eq.behavior[index(game->infoset(game->parent(nodes[1])), 0)];
    CHECK(eq.belief_source[b] == BeliefSource::kBayes);
    CHECK(eq.beliefs[nodes[0]] == doctest::Approx(0.25 * in_x / (0.25 * in_x + 0.75 * in_y)).epsilon(1e-14));
    CHECK(eq.beliefs[nodes[1]] == doctest::Approx(0.75 * in_y / (0.25 * in_x + 0.75 * in_y)).epsilon(1e-14));
  }

  TEST_CASE("beliefs where no subgame's play goes are consistent with the profile, not the trace's own") {
    // A coin (1/2, 1/2) that B and C do not see; A plays u with 0.498 after g and 0.996 after
    // b in the equilibrium found, B plays y for sure. C's two nodes follow u and then x, the
    // move B never makes: any consistent belief weighs them as the moves before x do,
    // 1/2 x 0.498 : 1/2 x 0.996 = 1 : 2, whatever the trace's point says about x (its own
    // beliefs at the polished point were 0.0038 and 0.9962).
    const std::string path = testing::WriteTempFile("hidden3.efg", R"(EFG 2 R "hidden 3p with a coin" { "A" "B" "C" }
""
c "" 1 "nature" { "g" 1/2 "b" 1/2 } 0
p "" 1 1 "A" { "u" "d" } 0
p "" 2 1 "B" { "x" "y" } 0
p "" 3 1 "C" { "l" "r" } 0
t "" 1 "" { 3 1 2 }
t "" 2 "" { 0 0 1 }
t "" 3 "" { 1 2 0 }
t "" 4 "" { 1 1 1 }
p "" 1 2 "A2" { "u" "d" } 0
p "" 2 1 0
p "" 3 1 0
t "" 7 "" { 0 2 1 }
t "" 8 "" { 2 1 3 }
t "" 9 "" { 1 0 2 }
t "" 10 "" { 1 1 1 }
)");
    auto game = io::ReadEfg(testing::ReadFile(path), path);
    Solution s = Solve(*game, {});
    REQUIRE(s.equilibria.size() == 1);
    const Equilibrium& eq = s.equilibria[0];
    ActionIndex index(*game);
    const InfosetId c = game->infoset(3);  // C after g > u > x
    const auto nodes = game->infoset_nodes(c);
    REQUIRE(nodes.size() == 2);
    REQUIRE(eq.behavior[index(game->infoset(2), 0)] == 0.0);  // B never plays x
    const double u_g = eq.behavior[index(game->infoset(1), 0)];
    const double u_b = eq.behavior[index(game->infoset(game->parent(game->parent(nodes[1]))), 0)];
    REQUIRE(u_g > 0);
    REQUIRE(u_b > 0);
    CHECK(eq.belief_source[c] == BeliefSource::kTrace);
    CHECK(eq.beliefs[nodes[0]] == doctest::Approx(u_g / (u_g + u_b)).epsilon(1e-12));
    CHECK(eq.beliefs[nodes[1]] == doctest::Approx(u_b / (u_g + u_b)).epsilon(1e-12));
  }

  TEST_CASE("parley solve prints the beliefs in text and JSON") {
    std::string path = testing::WriteTempFile("signalling.efg", kSignalling);
    auto text = testing::RunParley("solve " + path + " --method logit");
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("Beliefs (probability of each node when the set is reached):") != std::string::npos);
    CHECK(text.out.find("(consistent limit, from the logit trace)") != std::string::npos);
    CHECK(text.out.find("(Bayes' rule)") != std::string::npos);
    auto json = testing::RunParley("solve " + path + " --method logit --format json");
    REQUIRE(json.exit_code == 0);
    auto j = nlohmann::json::parse(json.out);
    const auto& records = j["equilibria"][0]["behavior"];
    // Records in order of first appearance: sender t1, receiver after L, after R, sender t2.
    REQUIRE(records.size() == 4);
    const auto& r = records[2];
    CHECK(r["label"] == "after R");
    CHECK(r["beliefs_from"] == "trace");
    REQUIRE(r["beliefs"].size() == 2);
    CHECK(r["beliefs"][0]["node"] == 5);
    CHECK(r["beliefs"][0]["probability"].get<double>() == doctest::Approx(2.0 / 3).epsilon(1e-9));
    CHECK(r["beliefs"][1]["node"] == 12);
    CHECK(records[1]["beliefs_from"] == "bayes");
    CHECK(records[1]["beliefs"][1]["probability"].get<double>() == doctest::Approx(1.0 / 3).epsilon(1e-12));
    // Perfect-information games carry no beliefs (every set is one node).
    auto pi = nlohmann::json::parse(testing::RunParley("solve " + testing::WriteTempFile("pi.efg", R"(EFG 2 R "" { "A" "B" }
p "" 1 1 "" { "l" "r" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 0 1 }
)") + " --format json").out);
    CHECK_FALSE(pi["equilibria"][0]["behavior"][0].contains("beliefs"));
  }

  TEST_CASE("a scenario's signalling game with a bystander: two movers, the sequence form, beliefs") {
    // Nature draws the synergy (high 0.4, low 0.6); the Acquirer sees it and merges or not; the
    // Authority sees only the merger and clears or blocks; the Target only collects. Only two
    // players move, so Lemke solves it (doubles and exact), where the logit tracer did.
    // By hand: the Authority clears iff 4 mu - 6 (1 - mu) >= 0, mu >= 0.6 (mu its belief in
    // high). Pooling on merge gives mu = 0.4: block, so both types abstain. The equilibria:
    //  (a) semi-separating: high merges, low merges with q where 0.4 / (0.4 + 0.6 q) = 0.6,
    //      q = 4/9; low indifferent, 6 c - 2 (1 - c) = 0, so the Authority clears with
    //      c = 1/4 (high gains 10/4 - 6/4 = 1 > 0 by merging);
    //  (b) both abstain, the Authority (unreached) clearing with c <= 1/6, where high's
    //      10 c - 2 (1 - c) <= 0.
    const std::string path = testing::WriteTempFile("review_blind.yaml", R"(title: Merger review without seeing the synergies
players: [Acquirer, Target, Authority]
parameters:
  p_high: {value: 0.4, min: 0, max: 1}
stages:
  - name: synergy
    player: nature
    actions: [high, low]
    probabilities: [p_high, 1 - p_high]
  - name: merger
    player: Acquirer
    actions: [merge, abstain]
  - name: review
    player: Authority
    condition: merger == merge
    observe: [merger]
    actions: [clear, block]
payoffs:
  Acquirer: if(merger == abstain, 0, if(review == block, -2, if(synergy == high, 10, 6)))
  Target: if(merger == merge and review == clear, 5, 0)
  Authority: if(merger == merge and review == clear, if(synergy == high, 4, -6), 0)
)");
    int semi_separating = 0, abstaining = 0;
    for (const char* flags : {"", " --exact"}) {
      CAPTURE(flags);
      auto r = testing::RunParley("solve " + path + flags + " --format json");
      REQUIRE(r.exit_code == 0);
      auto j = nlohmann::json::parse(r.out);
      CHECK(j["method"].get<std::string>().find("sequence-form Lemke") != std::string::npos);
      CHECK(j["method"].get<std::string>().find("logit") == std::string::npos);
      const auto& eq = j["equilibria"][0];
      CHECK(eq["max_gain"].get<double>() <= 1e-12);
      // merge probability after high and after low, and the Authority's clear probability
      double high = -1, low = -1, clear = -1;
      const nlohmann::json* review = nullptr;
      for (const auto& rec : eq["behavior"]) {
        const double first = rec["actions"][0]["probability"].get<double>();
        if (rec["label"] == "review") {
          clear = first;
          review = &rec;
        } else if (rec["beliefs"][0]["at"] == "after high") {
          high = first;
        } else {
          low = first;
        }
      }
      REQUIRE(review != nullptr);
      if (high == 1) {
        ++semi_separating;
        CHECK(low == doctest::Approx(4.0 / 9).epsilon(1e-12));
        CHECK(clear == doctest::Approx(0.25).epsilon(1e-12));
        CHECK((*review)["beliefs_from"] == "bayes");
        CHECK((*review)["beliefs"][0]["probability"].get<double>() == doctest::Approx(0.6).epsilon(1e-12));
        CHECK(eq["payoffs"][0].get<double>() == doctest::Approx(0.4).epsilon(1e-12));  // 0.4 x 1
      } else {
        ++abstaining;
        CHECK(high == 0);
        CHECK(low == 0);
        CHECK(clear <= 1.0 / 6 + 1e-12);
        for (const auto& u : eq["payoffs"]) CHECK(u.get<double>() == 0);
      }
    }
    CHECK(semi_separating + abstaining == 2);
  }
}

}  // namespace
}  // namespace parley::equilibrium
