// `parley solve` end to end on numbers far from 1 and on exactness: small payoffs shown as
// they are, fractions and "exact" only for exact quantities of stated numbers, notes that
// name no option that was not given; and the perfect-recall refusal located in the file.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/test_util.h"

namespace parley::testing {
namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_SUITE("cli.solve") {
  TEST_CASE("small payoffs are shown, not rounded to 0, JSON agrees") {
    std::string path = WriteTempFile("tiny_units.efg", R"(EFG 2 R "tiny units" { "A" "B" }
p "" 1 1 "s" { "L" "R" } 0
t "" 1 "o" { 3e-13 5e-13 }
t "" 2 "o" { 4e-13 1e-13 }
)");
    auto text = RunParley("solve '" + path + "'");
    REQUIRE(text.exit_code == 0);
    CHECK(Has(text.out, "  Payoffs: A 4e-13, B 1e-13\n"));
    auto json = nlohmann::json::parse(RunParley("solve '" + path + "' --format json").out);
    CHECK(json["equilibria"][0]["payoffs"] == nlohmann::json({4e-13, 1e-13}));
    // --exact: the decimals of the file are exact (1e-13 = 1/10^13), so fractions, no note.
    auto exact = RunParley("solve '" + path + "' --exact");
    REQUIRE(exact.exit_code == 0);
    CHECK(Has(exact.out, "  Payoffs: A 1/2500000000000, B 1/10000000000000\n"));
    CHECK_FALSE(Has(exact.out, "Note:"));
  }

  TEST_CASE("exact arithmetic without --exact: fractions, \"exact\": true, no note naming --exact") {
    // A 2x2 game of hidden moves paying 10^15 and 10^15 + 1 to A (B: 0, 5 after L; 3, 0 after
    // R): a double holds both, but the floating-point answer's deviation gain (1) is what the
    // rounding of payoffs this large can make, so the solver recomputes in exact arithmetic by
    // itself. Exactly: B's l makes A indifferent, (10^15 + 1) q + 10^15 (1 - q) =
    // 10^15 q + (10^15 + 1)(1 - q), so q = 1/2; A's L makes B indifferent, 5 p' = 3 (1 - p')
    // with p' = P(L), so P(L) = 3/8; A's payoff 10^15 + 1/2 = 2000000000000001/2.
    std::string path = WriteTempFile("near_1e15.efg", R"(EFG 2 R "near" { "A" "B" }
p "" 1 1 "s" { "L" "R" } 0
p "" 2 1 "t" { "l" "r" } 0
t "" 1 "o" { 1000000000000001 0 }
t "" 2 "p" { 1000000000000000 5 }
p "" 2 1 "t" { "l" "r" } 0
t "" 3 "q" { 1000000000000000 3 }
t "" 4 "r" { 1000000000000001 0 }
)");
    auto text = RunParley("solve '" + path + "'");
    REQUIRE(text.exit_code == 0);
    CHECK(Has(text.out, "recomputed in exact rational arithmetic\n"));
    CHECK_FALSE(Has(text.out, "--exact"));
    CHECK(Has(text.out, "  * A at [s]: L 3/8, R 5/8\n"));
    CHECK(Has(text.out, "  * B at [t]: l 1/2, r 1/2\n"));
    CHECK(Has(text.out, "    3/16  A L, B l  (1000000000000001, 0)\n"));  // 3/8 times 1/2, as the JSON has it
    auto json = nlohmann::json::parse(RunParley("solve '" + path + "' --format json").out);
    CHECK(json["exact"] == true);
    CHECK(json["equilibria"][0]["payoffs"] == nlohmann::json({"2000000000000001/2", "15/8"}));
    CHECK(json["equilibria"][0]["behavior"][0]["actions"][0]["probability"] == "3/8");
    CHECK(json["equilibria"][0]["behavior"][1]["actions"][0]["probability"] == "1/2");
    for (const auto& note : json["notes"]) CHECK_FALSE(Has(note.get<std::string>(), "--exact"));
  }

  TEST_CASE("matching pennies in units of 1e-20: the LP sees its payoffs scaled, and answers in floating point") {
    // The LP solvers' tolerances are absolute (GLPK's 1e-7 on bounds and reduced costs): on
    // payoffs of 1e-20 its answer failed verification and exact arithmetic took over. The
    // sequence form now reaches the LP multiplied by 2^66 (exactly), and the LP's answer,
    // 1/2 each (the closed form of matching pennies at any positive scale), is verified.
    std::string path = WriteTempFile("pennies_1e20.efg", R"(EFG 2 R "pennies" { "A" "B" }
p "" 1 1 "s" { "L" "R" } 0
p "" 2 1 "t" { "l" "r" } 0
t "" 1 "o" { 1/100000000000000000000 -1/100000000000000000000 }
t "" 2 "p" { -1/100000000000000000000 1/100000000000000000000 }
p "" 2 1 "t" { "l" "r" } 0
t "" 3 "q" { -1/100000000000000000000 1/100000000000000000000 }
t "" 4 "r" { 1/100000000000000000000 -1/100000000000000000000 }
)");
    auto json = nlohmann::json::parse(RunParley("solve '" + path + "' --format json").out);
    CHECK(json["exact"] == false);
    CHECK(json["notes"].empty());
    CHECK(json["method"].get<std::string>().find("sequence-form LP") != std::string::npos);
    CHECK(json["equilibria"][0]["behavior"][0]["actions"][0]["probability"] == 0.5);
    CHECK(json["equilibria"][0]["behavior"][1]["actions"][0]["probability"] == 0.5);
    CHECK(json["equilibria"][0]["max_gain"] == 0);
  }

  TEST_CASE("exact JSON: beliefs, path probabilities and path payoffs are fractions too") {
    // A signalling game: chance picks good (2/3) or bad (1/3), Ann sends in both, Bo (who
    // sees only the signal) buys. By Bayes' rule Bo's beliefs are 2/3 and 1/3; the paths have
    // those probabilities, and the good path pays the fee (-1, 0) at Bo's node plus (4, 2).
    const std::string path = SourcePath("tests/data/tiny_signalling.efg");  // the format reference's example
    auto json = nlohmann::json::parse(RunParley("solve '" + path + "' --exact --format json").out);
    REQUIRE(json["exact"] == true);
    const auto& eq = json["equilibria"][0];
    CHECK(eq["behavior"][1]["beliefs"][0]["probability"] == "2/3");
    CHECK(eq["behavior"][1]["beliefs"][1]["probability"] == "1/3");
    CHECK(eq["path"][0]["probability"] == "2/3");
    CHECK(eq["path"][0]["payoffs"] == nlohmann::json({"3", "2"}));
    CHECK(eq["path"][1]["probability"] == "1/3");
    // Without --exact: numbers (the same values in doubles).
    auto fp = nlohmann::json::parse(RunParley("solve '" + path + "' --format json").out);
    CHECK(fp["equilibria"][0]["path"][0]["probability"] == 2.0 / 3);
  }

  TEST_CASE("a game without perfect recall is refused at its set's first node in the file") {
    // Ann forgets her first move: set 2 ("second") holds a node after L (line 3, indented by
    // 2) and one after R (line 6).
    std::string path = WriteTempFile("forgetful.efg", R"(EFG 2 R "Forgetful" { "Ann" "Bo" }
p "" 1 1 "first" { "L" "R" } 0
  p "" 1 2 "second" { "l" "r" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 0 1 }
  p "" 1 2 0
t "" 2
t "" 1
)");
    const std::string message =
        "the game does not have perfect recall: at Ann at [second] its nodes come after different moves of "
        "the player's own ('L' at Ann at [first], and 'R' at Ann at [first]), so the player forgets which they "
        "made; solving for a subgame-perfect equilibrium "
        "needs perfect recall (behaviour strategies and the sequence form rest on it); give the player "
        "the information they had (split the set) or model the forgetting with a separate player";
    auto r = RunParley("solve '" + path + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err == "error: " + path + ":3:3: " + message + "\n");
    // A scenario's is located at the stage (its line was missing: "error: forgetful.yaml: ...").
    std::string yaml = WriteTempFile("forgetful.yaml", R"(players: [Ann, Bo]
stages:
  - name: first
    player: Ann
    actions: [L, R]
  - name: mid
    player: Bo
    actions: [u, d]
  - name: second
    player: Ann
    actions: [l, r]
    observe: [mid]
payoffs:
  Ann: if(first == L, 1, 0) + if(second == l, 1, 0) * if(mid == u, 1, -1)
  Bo: if(mid == u, 1, 0)
)");
    auto y = RunParley("solve '" + yaml + "'");
    CHECK(y.exit_code == 1);
    CHECK(y.err.find("error: " + yaml + ":9:5: the game does not have perfect recall: at Ann at [second]") == 0);
    // The same move at two sets, one after heads and one after tails: the player forgets what
    // they saw, not a move (the message blamed "different moves of their own").
    std::string seen = WriteTempFile("forget_seen.efg", R"(EFG 2 R "forget info" { "A" "B" }
""
c "" 1 "" { "h" 1/2 "t" 1/2 } 0
  p "" 1 1 "sawH" { "go" "stop" } 0
    p "" 1 3 "later" { "x" "y" } 0
      t "" 1 "" { 1 0 }
      t "" 2 "" { 0 1 }
    t "" 4 "" { 1 1 }
  p "" 1 2 "sawT" { "go" "stop" } 0
    p "" 1 3 0
      t "" 5 "" { 2 0 }
      t "" 6 "" { 0 2 }
    t "" 8 "" { 2 2 }
)");
    auto forgot = RunParley("solve '" + seen + "'");
    CHECK(forgot.exit_code == 1);
    CHECK(forgot.err.find(":5:5: the game does not have perfect recall: at A at [later] its nodes come after moves "
                          "made at different information sets of the player's own ('go' at A at [sawH], and 'go' "
                          "at A at [sawT]), so the player forgets what they knew there;") != std::string::npos);
  }
}

}  // namespace
}  // namespace parley::testing
