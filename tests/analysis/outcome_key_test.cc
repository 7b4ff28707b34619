// Outcome keys (scenario_model.h): the same play on the path gives the same key, whatever
// happens to the tree off the path; another action, support or set reached another key; and
// result files keyed in the format before are not merged with files of this one.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "solver/analysis/analysis.h"
#include "solver/analysis/scenario_model.h"
#include "solver/equilibrium/subgames.h"
#include "solver/io/efg.h"
#include "solver/model/error.h"
#include "solver/scenario/scenario.h"
#include "tests/test_util.h"

namespace parley::analysis {
namespace {

// games/holdup.yaml with a reservation value for the Supplier: the Buyer's price range after
// an investment runs from 0 to `high`, so each whole value of `high` adds an action to a set
// that play never reaches (the Supplier holds back: investing costs 3 and the Buyer offers the
// least price the Supplier accepts either way), and renumbers the sets after it. The Supplier
// rejects a price below `reserve`, so the Buyer offers ceil(reserve): the play on the path
// changes at each whole value of `reserve` (at exactly 1 the Supplier is indifferent).
constexpr const char* kHoldUp = R"(title: Hold-up
players: [Supplier, Buyer]
parameters:
  cost: {value: 3, min: 0, max: 100}
  low: {value: 4, min: 0, max: 100}
  high: {value: 10, min: 0, max: 100}
  reserve: {value: 0.5, min: 0, max: 3}
stages:
  - name: investment
    player: Supplier
    actions: [invest, hold]
    compute:
      value: if(investment == invest, high, low)
      sunk: if(investment == invest, cost, 0)
  - name: price
    player: Buyer
    actions: {from: 0, to: value, step: 1}
  - name: trade
    player: Supplier
    actions: [accept, reject]
payoffs:
  Supplier: if(trade == accept, price, reserve) - sunk
  Buyer: if(trade == accept, value - price, 0)
)";

Model HoldUpModel() { return ScenarioModel(scenario::CompiledScenario::Compile(kHoldUp, "holdup.yaml"), {}); }

Observation At(const Model& m, const std::string& parameter, double x) {
  std::vector<double> values = m.base_values;
  values[m.ParameterIndex(parameter)] = x;
  return m.make_evaluator()(values);
}

TEST_SUITE("analysis.keys") {
  TEST_CASE("an off-path set whose actions grow with the parameter is no switch") {
    // The keys named information sets by number: the Buyer's set after "hold" was set 3 for
    // high below 1 and set 4 above (one more Supplier set after "invest"), so thresholds
    // reported switches at high = 1 and 2 between identical words, about 100 over 0 to 100.
    const Model m = HoldUpModel();
    const Observation below = At(m, "high", 0.5), above = At(m, "high", 2.5);
    CHECK(below.outcome == "Supplier hold > Buyer 1 > Supplier accept");
    CHECK(above.outcome == below.outcome);
    CHECK(below.key == "v2;0@0:1;1@0/1:1;0@1/1:0");
    CHECK(above.key == below.key);
    bool interrupted = true;
    CHECK(FindThresholds(m, ParseAxis(m, "high=0.5:2.5", 101), 1e-9, RunOptions{}, &interrupted).empty());
    CHECK_FALSE(interrupted);
    CHECK(FindThresholds(m, ParseAxis(m, "high=0:100", 101), 1e-9, RunOptions{}).empty());
  }

  TEST_CASE("another action played on the path is a switch") {
    // reserve in (0, 1]: the Buyer offers 1; in (1, 2]: 2. One switch, at 1.
    const Model m = HoldUpModel();
    auto t = FindThresholds(m, ParseAxis(m, "reserve=0.5:1.5", 11), 1e-9, RunOptions{});
    REQUIRE(t.size() == 1);
    CHECK(std::abs(t[0].value - 1) < 1e-9);
    CHECK(t[0].below == "Supplier hold > Buyer 1 > Supplier accept");
    CHECK(t[0].above == "Supplier hold > Buyer 2 > Supplier accept");
    CHECK(t[0].below_key == "v2;0@0:1;1@0/1:1;0@1/1:0");
    CHECK(t[0].above_key == "v2;0@0:1;1@0/1:2;0@1/2:0");
  }

  TEST_CASE("an action whose label is the parameter is one outcome as the parameter moves") {
    // A offers k (its one action is labelled with k's value); B accepts when k - 3.2 >= 0.
    // One switch, reject to accept at k = 3.2. Keyed by label, the offer was another outcome
    // at every k: thresholds reported 64 switches a grid interval, about 1e-9 apart, and not
    // the real one.
    constexpr const char* kYaml = R"(players: [A, B]
parameters:
  k: {value: 5, min: 0, max: 10}
stages:
  - name: offer
    player: A
    actions: {values: [k]}
  - name: respond
    player: B
    actions: [accept, reject]
payoffs:
  A: if(respond == accept, 10 - offer, 0)
  B: if(respond == accept, offer - 3.2, 0)
)";
    const Model m = ScenarioModel(scenario::CompiledScenario::Compile(kYaml, "offer.yaml"), {});
    CHECK(At(m, "k", 5).key == At(m, "k", 7).key);
    auto t = FindThresholds(m, ParseAxis(m, "k=0:10", 11), 1e-9, RunOptions{});
    REQUIRE(t.size() == 1);
    CHECK(std::abs(t[0].value - 3.2) < 1e-9);
    CHECK(t[0].below_key == "v2;0@0:0;1@0/0:1");
    CHECK(t[0].above_key == "v2;0@0:0;1@0/0:0");
  }

  TEST_CASE("an outcome that changes at every value: the 64th switch says the search stopped") {
    // A model whose outcome is its parameter's value, to 12 decimals: it changes at every
    // step of the bisection, so each grid interval holds more switches than are searched.
    Model m;
    m.parameter_names = {"p"};
    m.base_values = {0.5};
    m.min = {0.0};
    m.max = {1.0};
    m.distributions.assign(1, Distribution{});
    m.value_names = {"x"};
    m.make_evaluator = [] {
      return [](const std::vector<double>& v) {
        char text[32];
        std::snprintf(text, sizeof text, "%.12f", v[0]);
        return Observation{text, {v[0]}, text};
      };
    };
    auto t = FindThresholds(m, ParseAxis(m, "p=0:1", 2), 1e-9, RunOptions{});
    REQUIRE(t.size() == 64);
    for (std::size_t i = 0; i + 1 < t.size(); ++i) CHECK_FALSE(t[i].search_stopped);
    CHECK(t.back().search_stopped);
  }

  TEST_CASE("another set reached is another key, though the words are the same") {
    // Ann sees the coin: her sets after heads and after tails are two. With the coin sure to
    // fall one way the words are "Ann x" both ways (a chance move with one outcome reached is
    // passed through); the key names the set by the moves to it. The numbering would tell
    // them apart too, but so would it sets that only moved.
    constexpr const char* kYaml = R"(players: [Ann, Bo]
parameters:
  p: {value: 0.5, min: 0, max: 1}
stages:
  - name: coin
    player: nature
    actions: [heads, tails]
    probabilities: [p, 1 - p]
  - name: move
    player: Ann
    actions: [x, y]
payoffs:
  Ann: if(move == x, 1, 0)
  Bo: 0
)";
    const Model m = ScenarioModel(scenario::CompiledScenario::Compile(kYaml, "coin.yaml"), {});
    const Observation heads = At(m, "p", 1), tails = At(m, "p", 0), both = At(m, "p", 0.5);
    CHECK(heads.outcome == "Ann x");
    CHECK(tails.outcome == heads.outcome);
    CHECK(heads.key == "v2;0@0/0:0");
    CHECK(tails.key == "v2;0@0/1:0");
    CHECK(both.key == "v2;0@0/0:0;0@0/1:0");
    // Thresholds name them apart, as a sweep does, in the order met: at p = 0 only tails is
    // reached, between both (Ann plays x at each: the same words again), and at p = 1 only
    // heads ("below: Ann x, above: Ann x" said nothing).
    const auto t = FindThresholds(m, ParseAxis(m, "p=0:1", 11), 1e-9, RunOptions{});
    REQUIRE(t.size() == 2);
    CHECK(t[0].below == "Ann x");
    CHECK(t[0].above == "Ann x [2]");
    CHECK(t[1].below == t[0].above);
    CHECK(t[1].above == "Ann x [3]");
  }

  TEST_CASE("a mixed support, a set reached at two nodes, labels that play no part") {
    // Matching pennies: both mix; Bo's one set is first reached after H, and written once.
    auto pennies = io::ReadEfg(testing::kMatchingPenniesEfg, "pennies.efg");
    auto mixed = equilibrium::SolveSubgamePerfect(*pennies).equilibria.at(0);
    equilibrium::ActionIndex index(*pennies);
    CHECK(DescribePathOutcome(*pennies, mixed, index, OnPath(*pennies, mixed, index))
              .key == "v2;0@0:0+1;1@0/0:0+1");
    // The same game, Ann playing T for sure: her support and where Bo is first reached change.
    equilibrium::Equilibrium pure = mixed;
    pure.behavior[index.first(0)] = 0;
    pure.behavior[index.first(0) + 1] = 1;
    CHECK(DescribePathOutcome(*pennies, pure, index, OnPath(*pennies, pure, index))
              .key == "v2;0@0:1;1@0/1:0+1");
    // Actions are named by position: labels, with the key's punctuation or none, play no part.
    constexpr const char* kEfg = R"(EFG 2 R "labels" { "Ann" "Bo" }
p "" 1 1 "" { "a;b" "c/d" } 0
p "" 2 1 "" { "" "" } 0
t "" 1 "" { 2 1 }
t "" 2 "" { 1 0 }
t "" 3 "" { 0 0 }
)";
    auto game = io::ReadEfg(kEfg, "labels.efg");
    auto eq = equilibrium::SolveSubgamePerfect(*game).equilibria.at(0);
    equilibrium::ActionIndex labels(*game);
    CHECK(DescribePathOutcome(*game, eq, labels, OnPath(*game, eq, labels)).key ==
          "v2;0@0:0;1@0/0:0");
  }

  TEST_CASE("a chance move of tiny probability is a move: its branch is on the path") {
    // Chance picks good with probability 1e-10, then Bo moves; after bad no one does. The
    // outcome used to drop Bo's move (a reach below 1e-9 counted as none), while the payoffs
    // counted the branch and `parley solve` showed it reached: a threshold at 1e-9, not 0.
    constexpr const char* kEfg = R"(EFG 2 R "tiny" { "Ann" "Bo" }
c "" 1 "luck" { "good" 1/10000000000 "bad" 9999999999/10000000000 } 0
p "" 2 1 "" { "u" "d" } 0
t "" 1 "" { 1 1 }
t "" 2 "" { 0 2 }
t "" 3 "" { 0 0 }
)";
    auto game = io::ReadEfg(kEfg, "tiny.efg");
    auto eq = equilibrium::SolveSubgamePerfect(*game).equilibria.at(0);
    CHECK(DescribePath(*game, eq) == "(luck good: Bo d; bad: end)");
    // A player's action of probability 1e-12 (round-off of the LP and Lemke solvers) is not.
    equilibrium::ActionIndex index(*game);
    equilibrium::Equilibrium noisy = eq;
    noisy.behavior[index.first(1)] = 1e-12;
    noisy.behavior[index.first(1) + 1] = 1 - 1e-12;
    CHECK(DescribePathOutcome(*game, noisy, index, OnPath(*game, noisy, index)).text == "(luck good: Bo d; bad: end)");
  }

  TEST_CASE("a chance probability of round-off size is not a move on the path") {
    // 0.7, 0.3 and 5e-17 (what a formula such as 1 - 0.7 - 0.3 leaves): the third branch,
    // where Bo would move, counted as reached and its move entered the outcome's key, so two
    // sweep points that differ only in that round-off were different outcomes. 1e-10 (the
    // test above) is a move; 5e-17 is below the 1e-12 bar.
    constexpr const char* kEfg = R"(EFG 2 R "round-off" { "Ann" "Bo" }
c "" 1 "luck" { "good" 0.7 "bad" 0.3 "odd" 0.00000000000000005 } 0
t "" 1 "" { 1 1 }
t "" 2 "" { 0 2 }
p "" 2 1 "" { "u" "d" } 0
t "" 3 "" { 0 0 }
t "" 4 "" { 5 0 }
)";
    auto game = io::ReadEfg(kEfg, "roundoff.efg");
    auto eq = equilibrium::SolveSubgamePerfect(*game).equilibria.at(0);
    equilibrium::ActionIndex index(*game);
    const std::vector<char> on = OnPath(*game, eq, index);
    CHECK(on[1] == 1);  // good
    CHECK(on[2] == 1);  // bad
    CHECK(on[3] == 0);  // odd, and Bo's node there
    CHECK(DescribePath(*game, eq).find("Bo") == std::string::npos);
  }

  TEST_CASE("shards keyed in the format before are not merged with shards of this one") {
    // Two halves of one run: the same model, keys of the earlier format in one half.
    auto model = [](const std::string& key) {
      Model m;
      m.parameter_names = {"p"};
      m.base_values = {0.5};
      m.min = {0.0};
      m.max = {1.0};
      m.distributions.assign(1, Distribution{});
      m.distributions[0].kind = Distribution::Kind::kUniform;
      m.value_names = {"x"};
      m.make_evaluator = [key] {
        return [key](const std::vector<double>& v) { return Observation{"Ann x", {v[0]}, key}; };
      };
      return m;
    };
    const Model older = model("0@3:0"), current = model("v2;0@0/heads:x");
    RunOptions first, second;
    first.shard = Shard{0, 2};
    second.shard = Shard{1, 2};
    const std::string message =
        "these shards key their outcomes in two formats: old.json (shard 1/2) was written by an earlier version "
        "of Parley, whose keys named information sets by number, and new.json (shard 2/2) by this one, whose keys "
        "name them by the moves leading to them; compute old.json (shard 1/2) again to merge it";
    CHECK_THROWS_WITH_AS(MergeMonteCarlo({RunMonteCarlo(older, 6, 1, first), RunMonteCarlo(current, 6, 1, second)},
                                         {"old.json", "new.json"}),
                         message.c_str(), Error);
    CHECK_THROWS_WITH_AS(MergeSweeps({RunSweep(older, {ParseAxis(older, "p=0:1:4")}, first),
                                      RunSweep(current, {ParseAxis(current, "p=0:1:4")}, second)},
                                     {"old.json", "new.json"}),
                         message.c_str(), Error);
    // One shard holding keys of both formats (edited by hand): named once, not as both sides.
    auto mixed_model = older;
    mixed_model.make_evaluator = [] {
      return [](const std::vector<double>& v) {
        return Observation{"Ann x", {v[0]}, v[0] < 0.5 ? "0@3:0" : "v2;0@0/heads:x"};
      };
    };
    CHECK_THROWS_WITH_AS(MergeSweeps({RunSweep(mixed_model, {ParseAxis(mixed_model, "p=0:1:4")}, first),
                                      RunSweep(current, {ParseAxis(current, "p=0:1:4")}, second)},
                                     {"mixed.json", "new.json"}),
                         doctest::Contains("mixed.json (shard 1/2) keys its outcomes in two formats, as no version of "
                                           "Parley writes them"),
                         Error);
    // Shards of one format merge, the earlier one's as before.
    for (const Model* m : {&older, &current}) {
      MonteCarloResult merged = MergeMonteCarlo({RunMonteCarlo(*m, 6, 1, first), RunMonteCarlo(*m, 6, 1, second)});
      CHECK(merged.samples.size() == 6);
      CHECK(merged.outcome_keys.size() == 1);
      const Axis axis = ParseAxis(*m, "p=0:1:4");
      CHECK(MergeSweeps({RunSweep(*m, {axis}, first), RunSweep(*m, {axis}, second)}).points.size() == 4);
    }
    CHECK(HasCurrentKeyFormat("v2"));
    CHECK(HasCurrentKeyFormat("v2|=deal:max"));
    CHECK_FALSE(HasCurrentKeyFormat("v20@0:1"));
    CHECK_FALSE(HasCurrentKeyFormat("0@0:1;1@3:0"));
  }
}

}  // namespace
}  // namespace parley::analysis
