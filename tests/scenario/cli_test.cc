// The scenario commands through the real binary: show, solve with --set, convert to .efg,
// and the one-line errors with file:line:col.
#include <doctest/doctest.h>

#include <string>

#include "tests/test_util.h"

using parley::testing::BuildPath;
using parley::testing::RunParley;
using parley::testing::SourcePath;

TEST_SUITE("scenario cli") {
  TEST_CASE("show lists players, parameters with ranges and sources, stages and size") {
    auto r = RunParley("show " + SourcePath("games/ultimatum.yaml"));
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Players: Proposer, Responder") != std::string::npos);
    CHECK(r.out.find("cake = 10 units, range [1, 1000], assumption") != std::string::npos);
    CHECK(r.out.find("1. offer: Proposer chooses 0 to cake step 1") != std::string::npos);
    // 1 root + 11 responder nodes + 22 terminals.
    CHECK(r.out.find("Expanded game: 34 nodes, 22 terminal") != std::string::npos);
    auto set = RunParley("show " + SourcePath("games/ultimatum.yaml") + " --set cake=4");
    CHECK(set.out.find("cake = 4 (set; the file says 10)") != std::string::npos);
    CHECK(set.out.find("Expanded game: 16 nodes") != std::string::npos);  // 1 + 5 + 10
  }

  TEST_CASE("show reports imperfect recall") {
    std::string file = parley::testing::WriteTempFile(
        "forgetful.yaml",
        "players: [A, B]\n"
        "stages:\n"
        "  - {name: first, player: A, actions: [l, r]}\n"
        "  - {name: second, player: A, actions: [x, y], observe: none}\n"
        "payoffs: [1, 0]\n");
    auto r = RunParley("show " + file);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("A does not observe his own earlier choice at stage 'first' when moving "
                     "at stage 'second' (imperfect recall)") != std::string::npos);
  }

  TEST_CASE("a tree-form game without perfect recall is refused at the node written in the file") {
    // A's second set holds a node after `left` and one after `right`: A forgets her own move.
    // The error used to name the file alone; it names the set's first node (line 7, where
    // the `left` subtree starts), for solve (through the scenario) and for the commands that
    // locate a node through the file (qre).
    std::string file = parley::testing::WriteTempFile(
        "forgetful_tree.yaml",
        "players: [A, B]\n"
        "tree:\n"
        "  player: A\n"
        "  infoset: first\n"
        "  moves:\n"
        "    left:\n"
        "      player: A\n"
        "      infoset: second\n"
        "      moves:\n"
        "        x: {payoffs: {A: 1, B: 0}}\n"
        "        y: {payoffs: {A: 0, B: 1}}\n"
        "    right:\n"
        "      player: A\n"
        "      infoset: second\n"
        "      moves:\n"
        "        x: {payoffs: {A: 2, B: 0}}\n"
        "        y: {payoffs: {A: 0, B: 2}}\n");
    for (const char* command : {"solve ", "qre "}) {
      CAPTURE(command);
      auto r = RunParley(std::string(command) + file);
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("forgetful_tree.yaml:7:7: the game does not have perfect recall") != std::string::npos);
    }
  }

  TEST_CASE("show describes chance and bargain stages by what they are") {
    std::string file = parley::testing::WriteTempFile(
        "show_kinds.yaml",
        "players: [A, B]\n"
        "stages:\n"
        "  - {name: weather, player: nature, actions: [sun, rain], probabilities: [0.5, 0.5]}\n"
        "  - name: deal\n"
        "    bargain:\n"
        "      issues:\n"
        "        share: {from: 0, to: 1}\n"
        "        clause: {options: [keep, drop]}\n"
        "      solution: egalitarian\n"
        "payoffs:\n"
        "  A: if(deal == agree, share, 0)\n"
        "  B: if(deal == agree, 1 - share + (clause == keep), 0)\n");
    auto r = RunParley("show " + file);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("1. weather: nature draws [sun, rain] with probabilities [0.5, 0.5]") !=
          std::string::npos);
    CHECK(r.out.find("2. deal: the players bargain over share from 0 to 1 and clause: keep or "
                     "drop (egalitarian solution)") != std::string::npos);
    CHECK(r.out.find("chooses agree, no_deal") == std::string::npos);
    CHECK(r.out.find("weather:  chooses") == std::string::npos);
  }

  TEST_CASE("solve a scenario, with --set") {
    auto r = RunParley("solve " + SourcePath("games/ultimatum.yaml") + " --set cake=6");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Payoffs: Proposer 6, Responder 0") != std::string::npos);
    auto bad = RunParley("solve " + SourcePath("games/ultimatum.yaml") + " --set cake=0");
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("parameter 'cake' set to 0, outside its range [1, 1000]") !=
          std::string::npos);
  }

  TEST_CASE("convert a scenario to Gambit's format and solve that") {
    std::string efg = BuildPath("test-tmp/entry.efg");
    auto c = RunParley("convert " + SourcePath("games/entry_deterrence.yaml") + " " + efg);
    REQUIRE(c.exit_code == 0);
    auto r = RunParley("solve " + efg);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Payoffs: Entrant 1, Incumbent 1") != std::string::npos);
  }

  TEST_CASE("bad files: one error line with file:line:col") {
    struct Case {
      const char* file;
      const char* message;
    };
    const Case cases[] = {
        {"unknown_key.yaml", "unknown_key.yaml:5:5: unknown key 'actoins' in a stage (did you mean 'actions'?)"},
        {"undefined_variable.yaml", "undefined_variable.yaml:9:13: undefined name 'ofer' in formula 'cake - ofer' (did you mean 'offer'?)"},
        {"bad_probabilities.yaml", "bad_probabilities.yaml:6:20: the probabilities of stage 'luck' sum to 9/10, not 1, at the start (before any choice)"},
        {"yaml_syntax.yaml", "yaml_syntax.yaml:2:7: YAML syntax error"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.file);
      auto r = RunParley("validate " + SourcePath(std::string("tests/data/scenario/") + c.file));
      CHECK(r.exit_code == 1);
      CHECK(r.err.find(c.message) != std::string::npos);
      CHECK(r.err.find('\n') == r.err.size() - 1);  // one line
    }
  }
}

TEST_SUITE("scenario show") {
  TEST_CASE("show nests repeat blocks and says when a block stops") {
    // A block with a nested block between two stages: the outer header once (it was printed
    // again before s2, and the inner block as a sibling), the inner nested under it, and the
    // `while` shown (the centipede's "while move != take" was missing).
    std::string file = parley::testing::WriteTempFile("nested.yaml", R"(title: Nested
players: [A, B]
stages:
  - {name: pre, player: A, actions: [x, y]}
  - repeat:
      for: i
      to: 2
      while: pre == x
      stages:
        - {name: s1, player: A, actions: [l, r]}
        - repeat:
            for: j
            to: i
            stages:
              - {name: m, player: B, actions: [u, d]}
        - {name: s2, player: B, actions: [u, d]}
payoffs: [1, 2]
)");
    auto r = RunParley("show " + file);
    REQUIRE(r.exit_code == 0);
    const std::string expected = "  repeated for i = 1..2, while pre == x:\n"
                                 "    2. s1: A chooses";
    CHECK(r.out.find(expected) != std::string::npos);
    CHECK(r.out.find("    repeated for j = 1..i:\n      3. m: B chooses") != std::string::npos);
    CHECK(r.out.find("\n    4. s2: B chooses") != std::string::npos);
    std::size_t headers = 0;
    for (std::size_t at = r.out.find("repeated for i"); at != std::string::npos; at = r.out.find("repeated for i", at + 1))
      ++headers;
    CHECK(headers == 1);
    auto centipede = RunParley("show " + SourcePath("games/centipede.yaml"));
    CHECK(centipede.out.find(", while move != take:") != std::string::npos);
  }
}
