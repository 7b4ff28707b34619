// parley bargain FILE.yaml: the same problems as the options, from a small YAML file.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/test_util.h"

namespace parley::testing {
namespace {

TEST_SUITE("bargaining.file") {
  TEST_CASE("outcomes with lotteries, from a file") {
    // conv{(4,1),(1,3)}, d = 0: on the segment u2 = (11 - 2 u1)/3 the Nash product
    // u1 (11 - 2 u1)/3 peaks at u1 = 11/4, u2 = 11/6 (a 7/12 - 5/12 lottery).
    std::string file = WriteTempFile("lottery.yaml", "title: two outcomes\noutcomes: [[4, 1], [1, 3]]\ndisagreement: [0, 0]\n");
    auto r = RunParley("bargain '" + file + "' --format json");
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["solutions"]["nash"]["payoffs"][0].get<double>() == doctest::Approx(11.0 / 4));
    CHECK(j["solutions"]["nash"]["payoffs"][1].get<double>() == doctest::Approx(11.0 / 6));
    // The command line overrides the file: pure outcomes only gives (4, 1).
    auto pure = RunParley("bargain '" + file + "' --pure --format json");
    CHECK(nlohmann::json::parse(pure.out)["solutions"]["nash"]["payoffs"][0].get<double>() == doctest::Approx(4));
  }

  TEST_CASE("alternating offers and issues from a file") {
    // Rubinstein, d1 = 0.9, d2 = 0.8: the first proposer gets (1 - 0.8)/(1 - 0.72) = 5/7.
    std::string alt = WriteTempFile("rubinstein.yaml", "alternating: {discount: [0.9, 0.8]}\n");
    auto a = RunParley("bargain '" + alt + "' --format json");
    REQUIRE(a.exit_code == 0);
    CHECK(nlohmann::json::parse(a.out)["shares"][0].get<double>() == doctest::Approx(5.0 / 7));
    // u1 = sqrt(x), u2 = 1 - x, d = 0: maximise sqrt(x)(1 - x): x = 1/3.
    std::string split = WriteTempFile("split.yaml", "issues: {x: [0, 1]}\nutilities: [sqrt(x), 1 - x]\n");
    auto s = RunParley("bargain '" + split + "' --format json");
    REQUIRE(s.exit_code == 0);
    CHECK(nlohmann::json::parse(s.out)["solutions"]["nash"]["issues"]["x"].get<double>() == doctest::Approx(1.0 / 3).epsilon(1e-6));
  }

  TEST_CASE("errors name the file, line and column") {
    std::string bad = WriteTempFile("bad.yaml", "outcome: [[1, 2]]\n");
    auto r = RunParley("bargain '" + bad + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err == "error: " + bad + ":1:1: unknown key 'outcome' in a bargaining file (did you mean 'outcomes'?); the keys are title, outcomes, issues, utilities, surplus, players, threats, alternating, disagreement, weights, pure\n");
    // A key given twice: `root["disagreement"]` read the first, silently.
    std::string twice = WriteTempFile("twice.yaml", "outcomes: [[4, 1], [1, 3]]\ndisagreement: [0, 0]\ndisagreement: [1, 1]\n");
    auto t = RunParley("bargain '" + twice + "'");
    CHECK(t.exit_code == 1);
    CHECK(t.err == "error: " + twice + ":3:1: key 'disagreement' appears twice in this mapping (first at line 2, column 1); "
                   "YAML keys are unique: give it once\n");
    std::string shape = WriteTempFile("shape.yaml", "outcomes: [[1, 2]]\ndisagreement: 0\n");
    auto s = RunParley("bargain '" + shape + "'");
    CHECK(s.exit_code == 1);
    CHECK(s.err.find(shape + ":2:15: 'disagreement' must be a list of numbers") != std::string::npos);
    // Each mistake at its own line and column (these were reported without a location, in
    // the command line's words: "malformed --outcomes: ...").
    struct Case {
      const char* text;
      const char* where_and_what;
    };
    const Case cases[] = {
        {"outcomes: [[1, 2], [3]]\n", ":1:20: row 2 of 'outcomes' has 1 numbers but row 1 has 2; each outcome has "
                                       "one payoff per player"},
        {"outcomes: [[1, x]]\n", ":1:16: an entry of a row of 'outcomes' must be a number, e.g. 2.5 or 1/3, not 'x'"},
        {"outcomes: [[1, 0], [0, 1]]\nweights: [1, 2, 3]\n",
         ":2:10: 'weights' has 3 entries but the problem has 2 players; give one per player"},
        {"outcomes: [[1, 0], [0, 1]]\ndisagreement: [0]\n",
         ":2:15: 'disagreement' has 1 entry but the problem has 2 players; give one per player"},
        {"issues: {x: [0, 1], y: [2, 1]}\nutilities: [x, 1-x]\n",
         ":1:21: issue 'y' needs a finite interval lower <= upper, got [2, 1]"},
        {"issues: {x: [0, 1]}\nutilities: [x, 1-y]\n",
         ":2:16: unknown variable 'y' in the utility of player 2 \"1-y\" (the issues are: x)"},
        {"issues: {x: [0, 1]}\nutilities: [sqrt(x)]\n", ":2:12: 'utilities' has one formula per player, at least 2 (got 1)"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.text);
      std::string path = WriteTempFile("located.yaml", c.text);
      auto r = RunParley("bargain '" + path + "'");
      CHECK(r.exit_code == 1);
      CHECK(r.err == "error: " + path + c.where_and_what + "\n");
    }
    // rounds: 0 was taken for an infinite horizon.
    std::string zero = WriteTempFile("zero.yaml", "alternating: {discount: [0.9, 0.8], rounds: 0}\n");
    auto z = RunParley("bargain '" + zero + "'");
    CHECK(z.exit_code == 1);
    CHECK(z.err == "error: " + zero + ":1:45: 'rounds' is 0; a finite horizon has at least 1 round (leave "
                   "'rounds' out for an infinite horizon)\n");
  }

  TEST_CASE("a bargaining file is bounded like every YAML file: an alias bomb is refused") {
    // Eight levels of ten aliases stand for more than 10^8 nodes in a few hundred bytes.
    std::string bomb = "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
    for (int level = 1; level <= 8; ++level) {
      std::string prev = "*a" + std::to_string(level - 1);
      bomb += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
      for (int k = 0; k < 10; ++k) bomb += (k ? ", " : "") + prev;
      bomb += "]\n";
    }
    std::string file = WriteTempFile("bomb_bargain.yaml", bomb);
    auto r = RunParley("bargain '" + file + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("nodes once its aliases (*name) are expanded") != std::string::npos);
  }
}

}  // namespace
}  // namespace parley::testing
