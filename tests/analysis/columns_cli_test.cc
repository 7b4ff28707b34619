// What sweeps, thresholds and Monte Carlo report, through the real binary: one column per
// bargaining step and issue, the samples where a step is not reached counted apart, outcomes
// told apart by structure (not by rounded probabilities), shards with missing values merged,
// crafted shards refused.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "tests/test_util.h"

namespace parley::testing {
namespace {

using nlohmann::json;

// Two bargaining steps on different branches. A picks left (bargain over x in [0, 10]) or
// right (bargain over y in [0, 4], plus a bonus s to A); no deal pays (0, 0). Equal powers
// split each surplus in half: left pays A 5, right 2 + s. So A goes right iff s > 3, and
// then the step `first` is never reached.
const char* kTwoSteps = R"(title: Two bargaining steps
players: [A, B]
parameters:
  s: {value: 4, min: 0, max: 6, assumption: true, distribution: {type: uniform, low: 0, high: 6}}
stages:
  - name: route
    player: A
    actions: [left, right]
  - name: first
    condition: route == left
    bargain:
      issues:
        x: {from: 0, to: 10}
  - name: second
    condition: route == right
    bargain:
      issues:
        y: {from: 0, to: 4}
payoffs:
  A: if(first == agree, x, 0) + if(second == agree, y, 0) + if(route == right, s, 0)
  B: if(first == agree, 10 - x, 0) + if(second == agree, 4 - y, 0)
)";

// Matching pennies with a stake: Row wants to match and gets a for (H, H), 1 for (T, T);
// Column wants to mismatch (1, else 0). In the only equilibrium Column plays H with
// q = 1/(1 + a) (Row indifferent: a q = 1 - q) and Row plays H with 1/2 (Column
// indifferent), so Row's payoff is a/(1 + a). The probabilities move with a; the support
// (both actions for both players) never does: one outcome over the whole range.
const char* kPennies = R"(title: Pennies with a stake
players: [Row, Column]
parameters:
  a: {value: 2, min: 1, max: 5, assumption: true}
stages:
  - name: row
    player: Row
    actions: [H, T]
  - name: column
    player: Column
    actions: [H, T]
    observe: none
payoffs:
  Row: if(row == column, if(row == H, a, 1), 0)
  Column: if(row == column, 0, 1)
)";

TEST_SUITE("analysis.cli") {
  TEST_CASE("every bargaining step has its own stage.issue columns") {
    std::string file = "'" + WriteTempFile("two_steps.yaml", kTwoSteps) + "'";
    auto csv = RunParley("sweep " + file + " --vary s=0:6:4 --format csv");
    REQUIRE(csv.exit_code == 0);
    // s = 0, 2: left, x = 5 (half of 10), A 5, B 5, `second` not reached (empty field).
    // s = 4, 6: right, y = 2 (half of 4), A 2 + s, B 2, `first` not reached.
    CHECK(csv.out ==
          "index,s,A,B,first.x,second.y,outcome\n"
          "0,0,5,5,5,,A left | first: x in between\n"
          "1,2,5,5,5,,A left | first: x in between\n"
          "2,4,6,2,,2,A right | second: y in between\n"
          "3,6,8,2,,2,A right | second: y in between\n");
    auto j = RunParley("sweep " + file + " --vary s=0:6:4 --format json");
    REQUIRE(j.exit_code == 0);
    auto doc = json::parse(j.out);
    CHECK(doc["value_names"] == json::array({"A", "B", "first.x", "second.y"}));
    CHECK(doc["points"][2]["values"] == json::array({6.0, 2.0, nullptr, 2.0}));
  }

  TEST_CASE("a bargaining step the base case never meets still has its columns") {
    // At the base value gate = 0 the condition skips the bargain, so the base expansion has
    // no step `late`; at gate = 1 it splits 10 in half (equal powers, no deal (0, 0)): x = 5.
    const char* text = R"(title: Late step
players: [A, B]
parameters:
  gate: {value: 0, min: 0, max: 1, assumption: true}
stages:
  - name: late
    condition: gate > 0.5
    bargain:
      issues:
        x: {from: 0, to: 10}
payoffs:
  A: if(late == agree, x, 0)
  B: if(late == agree, 10 - x, 0)
)";
    std::string file = "'" + WriteTempFile("late_step.yaml", text) + "'";
    auto csv = RunParley("sweep " + file + " --vary gate=0:1:2 --format csv");
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.find("index,gate,A,B,late.x,outcome\n") == 0);
    CHECK(csv.out.find("\n1,1,5,5,5,") != std::string::npos);
  }

  TEST_CASE("Monte Carlo counts the samples where a step is not reached") {
    std::string file = "'" + WriteTempFile("two_steps.yaml", kTwoSteps) + "'";
    auto r = RunParley("montecarlo " + file + " --samples 2000 --seed 3 --format json");
    REQUIRE(r.exit_code == 0);
    auto doc = json::parse(r.out);
    std::size_t left = doc["values"]["first.x"]["count"], right = doc["values"]["second.y"]["count"];
    // Every sample reaches exactly one step; s ~ U(0, 6) > 3 with probability 1/2.
    CHECK(left + right == 2000);
    CHECK(std::abs(static_cast<double>(right) / 2000 - 0.5) < 0.05);
    CHECK(doc["values"]["first.x"]["mean"].get<double>() == doctest::Approx(5).epsilon(1e-9));
    CHECK(doc["values"]["second.y"]["mean"].get<double>() == doctest::Approx(2).epsilon(1e-9));
    CHECK(doc["values"]["A"]["count"] == 2000);
    auto text = RunParley("montecarlo " + file + " --samples 2000 --seed 3");
    CHECK(text.out.find("  first.x\t" + std::to_string(left) + "\t5\t") != std::string::npos);
    // Shards whose rows hold nulls merge into the single run.
    std::string shards;
    for (int k = 1; k <= 3; ++k) {
      std::string out = BuildPath("test-tmp/two_steps_shard" + std::to_string(k) + ".json");
      auto s = RunParley("montecarlo " + file + " --samples 2000 --seed 3 --format json --shard " +
                         std::to_string(k) + "/3 -o '" + out + "'");
      REQUIRE(s.exit_code == 0);
      shards += " '" + out + "'";
    }
    auto merged = RunParley("merge" + shards + " --format json");
    REQUIRE(merged.exit_code == 0);
    CHECK(json::parse(merged.out) == doc);
  }

  TEST_CASE("mixed probabilities that drift with a parameter are one outcome") {
    std::string file = "'" + WriteTempFile("pennies_stake.yaml", kPennies) + "'";
    auto t = RunParley("thresholds " + file + " --vary a=1:5 --format json");
    REQUIRE(t.exit_code == 0);
    CHECK(json::parse(t.out)["thresholds"].empty());
    auto sweep = RunParley("sweep " + file + " --vary a=1:5:5 --format json");
    REQUIRE(sweep.exit_code == 0);
    auto doc = json::parse(sweep.out);
    for (std::size_t i = 0; i < 5; ++i) {
      double a = 1.0 + static_cast<double>(i);
      CAPTURE(a);
      CHECK(doc["points"][i]["outcome"] == "Row mixes H/T > Column mixes H/T");
      CHECK(doc["points"][i]["values"][0].get<double>() == doctest::Approx(a / (1 + a)));
      CHECK(doc["points"][i]["key"] == doc["points"][0]["key"]);
    }
  }

  TEST_CASE("merge refuses crafted shard files with the file and field named") {
    std::string file = "'" + WriteTempFile("two_steps.yaml", kTwoSteps) + "'";
    std::string good = BuildPath("test-tmp/crafted_good.json");
    REQUIRE(RunParley("sweep " + file + " --vary s=0:6:4 --format json --shard 1/2 -o '" + good + "'").exit_code == 0);
    json base = json::parse(ReadFile(good));
    for (const json& index : {json(0), json(-3), json(100000000000LL), json("1"), json(nullptr)}) {
      CAPTURE(index.dump());
      json bad = base;
      bad["shard"]["index"] = index;
      std::string path = WriteTempFile("crafted.json", bad.dump());
      auto r = RunParley("merge '" + path + "' '" + good + "'");
      CHECK(r.exit_code == 1);
      CHECK(r.err.rfind("error: " + path + ": /shard/index: ", 0) == 0);
    }
    std::string not_object = WriteTempFile("crafted_array.json", "[1, 2]");
    auto r = RunParley("merge '" + not_object + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("not a sweep or Monte Carlo result") != std::string::npos);
  }

  TEST_CASE("counts on the command line") {
    std::string file = "'" + WriteTempFile("two_steps.yaml", kTwoSteps) + "'";
    auto e = RunParley("montecarlo " + file + " --samples 2e2 --seed 1 --format json");
    REQUIRE(e.exit_code == 0);
    CHECK(json::parse(e.out)["computed"] == 200);
    // A count not in its form is a usage error (exit 2), as a malformed --grid is.
    auto frac = RunParley("montecarlo " + file + " --samples 1.5");
    CHECK(frac.exit_code == 2);
    CHECK(frac.err == "error: --samples: 1.5: expected a whole number (e.g. 100000 or 1e5) (parley montecarlo --help "
                      "lists the options)\n");
    auto big = RunParley("montecarlo " + file + " --samples 2e9");
    CHECK(big.exit_code == 2);
    CHECK(big.err.find("from 1 to 1000000000") != std::string::npos);
    auto help = RunParley("montecarlo --help");
    CHECK(help.out.find("2e7") != std::string::npos);  // the in-memory cap of one run
  }
}

}  // namespace
}  // namespace parley::testing
