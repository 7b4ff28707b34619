// Every mistake in a scenario file gets one message with file:line:col and what would be
// right. Each case writes a small scenario, reads it, and checks the message.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "solver/equilibrium/solve.h"
#include "solver/model/error.h"
#include "solver/scenario/scenario.h"

using parley::Error;
using parley::LimitError;
using parley::ParseError;
using parley::ValidationError;
using parley::scenario::ReadScenario;
using parley::scenario::ScenarioOptions;

namespace {

// The full message of the error reading `text` throws ("" when it does not throw).
std::string ErrorOf(const std::string& text, ScenarioOptions options = {}) {
  try {
    ReadScenario(text, "s.yaml", options);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const char* kHead = "players: [A, B]\n";  // line 1

}  // namespace

TEST_SUITE("scenario errors") {
  TEST_CASE("YAML syntax error with its position") {
    std::string msg = ErrorOf("players: [A, B\nstages: []\n");
    CHECK(msg.rfind("s.yaml:", 0) == 0);
    CHECK(msg.find("YAML syntax error") != std::string::npos);
    CHECK_THROWS_AS(ReadScenario("a: [", "s.yaml"), ParseError);
  }

  TEST_CASE("unknown key with a did-you-mean") {
    std::string msg = ErrorOf(std::string(kHead) +
                              "stages:\n"
                              "  - name: x\n"
                              "    player: A\n"
                              "    actoins: [l, r]\n"
                              "payoffs: [1, 2]\n");
    CHECK(msg == "s.yaml:5:5: unknown key 'actoins' in a stage (did you mean 'actions'?); the "
                 "keys are name, player, actions, probabilities, condition, observe, compute, "
                 "description, bargain");
    std::string top = ErrorOf("player: [A, B]\n");
    CHECK(top.find("s.yaml:1:1: unknown key 'player' in the scenario (did you mean 'players'?)") == 0);
  }

  TEST_CASE("missing keys") {
    CHECK(ErrorOf("title: x\n").find("missing key 'players'") != std::string::npos);
    CHECK(ErrorOf(std::string(kHead) + "payoffs: [1, 2]\n").find("missing key 'stages'") !=
          std::string::npos);
    std::string msg = ErrorOf(std::string(kHead) +
                              "stages:\n"
                              "  - name: x\n"
                              "    actions: [l, r]\n"
                              "payoffs: [1, 2]\n");
    CHECK(msg == "s.yaml:3:5: missing key 'player' in stage 'x': a player's name, or nature "
                 "for a chance move");
  }

  TEST_CASE("undefined name in a formula, with its column and a suggestion") {
    std::string msg = ErrorOf(std::string(kHead) +
                              "parameters: {cake: 10}\n"
                              "stages:\n"
                              "  - name: offer\n"
                              "    player: A\n"
                              "    actions: {from: 0, to: cake}\n"
                              "payoffs:\n"
                              "  A: cak - offer\n"
                              "  B: offer\n");
    CHECK(msg == "s.yaml:8:6: undefined name 'cak' in formula 'cak - offer' (did you mean "
                 "'cake'?); a formula can use parameters, stage names, computed variables and "
                 "action labels");
  }

  TEST_CASE("an error in a formula over several lines is located where the file has it") {
    // YAML drops each further line's indentation (`|`) or folds the line breaks into spaces
    // (`>`, a quoted scalar): the place is found in the file's own text.
    const std::string head = std::string(kHead) + "parameters: {cake: 10}\n"
                             "stages:\n  - {name: a, player: A, actions: [x, y]}\n"
                             "payoffs:\n  A: 1\n";  // lines 2-6
    CHECK(ErrorOf(head + "  B: |\n    1 +\n      2 * cak\n").find("s.yaml:9:11: undefined name 'cak'") == 0);
    CHECK(ErrorOf(head + "  B: >-\n    1 +\n      2 * cak\n").find("s.yaml:9:11: undefined name 'cak'") == 0);
    CHECK(ErrorOf(head + "  B: \"if(a == x,\n     1, cak)\"\n").find("s.yaml:8:9: undefined name 'cak'") == 0);
    // On one line, as before.
    CHECK(ErrorOf(head + "  B: \"1 + cak\"\n").find("s.yaml:7:11: undefined name 'cak'") == 0);
    // A byte-order mark (not in yaml-cpp's positions), an anchor or a tag before the scalar,
    // escapes in double quotes (a tab, an escaped line break: none of the file's characters).
    CHECK(ErrorOf("\xEF\xBB\xBF" + head + "  B: |\n    1 +\n      2 * cak\n").find("s.yaml:9:11: undefined") == 0);
    CHECK(ErrorOf(head + "  B: &x |\n    1 +\n      2 * cak\n").find("s.yaml:9:11: undefined") == 0);
    CHECK(ErrorOf(head + "  B: !!str \"1 +\n    2 * cak\"\n").find("s.yaml:8:9: undefined") == 0);
    CHECK(ErrorOf(head + "  B: \"1 +\\t\n    2 * cak\"\n").find("s.yaml:8:9: undefined") == 0);
    CHECK(ErrorOf(head + "  B: \"1 +\\\n    2 * cak\"\n").find("s.yaml:8:9: undefined") == 0);
    // A bargain's constraint, on one line (the right side's leading spaces were counted twice)
    // and over two.
    const std::string bargain = std::string(kHead) +
                                "stages:\n  - name: t\n    bargain:\n      issues:\n        p: {from: 0, to: 10}\n"
                                "      constraints:\n";  // lines 2-7
    const std::string tail = "payoffs:\n  A: if(t == agree, p, 0)\n  B: if(t == agree, 10 - p, 0)\n";
    CHECK(ErrorOf(bargain + "        - p <=  cak\n" + tail).find("s.yaml:8:17: undefined name 'cak'") == 0);
    CHECK(ErrorOf(bargain + "        - >\n          p <=\n            2 * cak\n" + tail)
              .find("s.yaml:10:17: undefined name 'cak'") == 0);
  }

  TEST_CASE("a number too small for a double is refused wherever it is written") {
    // 1e-400 is not 0, but a double holds it as 0: an action 1e-400 compared as > 0 was 0.
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n  - name: a\n    player: A\n    actions: [1e-400, 1e-300]\n"
                  "payoffs:\n  A: if(a > 0, 1, 2)\n  B: 0\n")
              .find("s.yaml:5:15: ") == 0);
    CHECK(ErrorOf(std::string(kHead) + "stages:\n  - {name: a, player: A, actions: [x, y]}\n"
                                       "payoffs:\n  A: 1e-400\n  B: 0\n") ==
          "s.yaml:5:6: the payoff of A '1e-400' is too small to compute with (it would be 0); write 0 if 0 is meant");
  }

  TEST_CASE("probabilities that sum to just over 1 say by how much, not as a fraction of 300 digits") {
    CHECK(ErrorOf(std::string(kHead) + "stages:\n  - {name: a, player: nature, actions: [x, y], probabilities: "
                                       "[1e-300, 1]}\npayoffs: [1, 2]\n")
              .find("the probabilities of stage 'a' sum to 1 + 1e-300, not 1") != std::string::npos);
    CHECK(ErrorOf(std::string(kHead) + "stages:\n  - {name: a, player: nature, actions: [x, y], probabilities: "
                                       "[0.5, 0.6]}\npayoffs: [1, 2]\n")
              .find("sum to 11/10, not 1") != std::string::npos);
  }

  TEST_CASE("an unknown function's message lists the functions there are") {
    const std::string msg = ErrorOf(std::string(kHead) + "stages:\n  - {name: a, player: A, actions: [x, y]}\n"
                                                         "payoffs:\n  A: foo(1)\n  B: 0\n");
    for (const char* f : {"sum", "avg", "sign", "rint", "log10", "hyperbolic"}) CHECK(msg.find(f) != std::string::npos);
  }

  TEST_CASE("a declared disagreement payoff that is not a number is named at its formula, for its player") {
    // Three players, two parties: the bargaining solver saw only the parties' entries and
    // said "(0, nan)" at the stage's line.
    CHECK(ErrorOf("players: [A, B, C]\n"
                  "stages:\n"
                  "  - name: talks\n"
                  "    bargain:\n"
                  "      issues: {s: {from: 0, to: 1}}\n"
                  "      parties: [A, B]\n"
                  "      disagreement: [0, log(0-1), 0]\n"
                  "payoffs:\n  A: if(talks == agree, s, 0)\n  B: if(talks == agree, 1 - s, 0)\n  C: 0\n") ==
          "s.yaml:7:25: bargain 'talks' at the start (before any choice): the disagreement payoff of B is nan, "
          "not a finite number; it must be one for every parameter value");
  }

  TEST_CASE("a condition, a 'while', a decision in a payoff or a constraint that is not a number") {
    // A comparison with NaN is false and NaN as a condition non-zero: each would become a
    // number (a stage played, a loop stopped, a branch taken, every agreement cut) and the
    // game solved on it.
    const std::string zero = std::string(kHead) + "parameters: {z: 0}\n";  // lines 1-2
    CHECK(ErrorOf(zero +
                  "stages:\n"
                  "  - name: x\n"
                  "    player: A\n"
                  "    condition: z / z > 0 or z == 0\n"  // line 6
                  "    actions: [l, r]\n"
                  "payoffs:\n"
                  "  A: 1\n"
                  "  B: 0\n") ==
          "s.yaml:6:16: the condition of stage 'x' is not a number (it reads a value that is not, such as "
          "0/0) at the start (before any choice)");
    CHECK(ErrorOf(zero +
                  "stages:\n"
                  "  - repeat:\n"
                  "      for: round\n"
                  "      to: 3\n"
                  "      while: z / z > 0 or round == 1\n"  // line 7
                  "      stages:\n"
                  "        - name: x\n"
                  "          player: A\n"
                  "          actions: [l, r]\n"
                  "payoffs:\n"
                  "  A: 1\n"
                  "  B: 0\n")
              .rfind("s.yaml:7:14: the 'while' of this repeat block is not a number", 0) == 0);
    CHECK(ErrorOf(zero +
                  "stages:\n"
                  "  - name: x\n"
                  "    player: A\n"
                  "    actions: [l, r]\n"
                  "payoffs:\n"
                  "  A: if(z / z > 1, 5, 1) + (x == l)\n"  // line 8
                  "  B: 0\n")
              .rfind("s.yaml:8:6: the payoff of A is nan", 0) == 0);
    CHECK(ErrorOf(zero +
                  "stages:\n"
                  "  - name: deal\n"
                  "    bargain:\n"
                  "      issues:\n"
                  "        price: {from: 0, to: 10}\n"
                  "      constraints:\n"
                  "        - price <= 0 / z\n"  // line 9
                  "      disagreement: [0, 0]\n"
                  "payoffs:\n"
                  "  A: if(deal == agree, price, 0)\n"
                  "  B: if(deal == agree, 10 - price, 0)\n")
              .rfind("s.yaml:9:11: the constraint 'price <= 0 / z' is not a number for some agreement", 0) == 0);
  }

  TEST_CASE("a formula with commas in a [ ] list or { } mapping, split by YAML, is refused with what to write") {
    const std::string stages = std::string(kHead) +
                               "stages:\n"
                               "  - name: s\n"
                               "    player: A\n"
                               "    actions: [l, r]\n";
    // YAML reads [max(1, 2), 3] as three items; the message used to count them ("3 formulas
    // for 2 players"), or, for three players, call 'max(1' a syntax error.
    CHECK(ErrorOf(stages + "payoffs: [max(1, 2), 3]\n") ==
          "s.yaml:6:11: YAML splits 'max(1, 2)' into separate items at its commas (a [ ] list or { } mapping "
          "separates its items at every comma, parentheses or not); quote it (\"max(1, 2)\") or write one item "
          "per line");
    // In a mapping YAML reads "2) + 1" as a key with no value ("unknown player '2) + 1'").
    CHECK(ErrorOf(stages + "payoffs: {A: if(s == l, 1, 2) + 1, B: 3}\n")
              .rfind("s.yaml:6:14: YAML splits 'if(s == l, 1, 2) + 1' into separate items", 0) == 0);
    // A label with a comma inside parentheses: three actions, "right (risky" among them.
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - name: s\n"
                  "    player: A\n"
                  "    actions: [left (safe), right (risky, slow)]\n"
                  "payoffs: {A: 1, B: 2}\n")
              .rfind("s.yaml:5:28: YAML splits 'right (risky, slow)' into separate items", 0) == 0);
    // Quoted, or one per line: accepted; so are labels with parentheses of their own.
    CHECK(ErrorOf(stages + "payoffs: [\"max(1, 2)\", 3]\n") == "");
    CHECK(ErrorOf(stages + "payoffs:\n  - max(1, 2)\n  - 3\n") == "");
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - name: s\n"
                  "    player: A\n"
                  "    actions: [left (safe), \"right (risky, slow)\"]\n"
                  "payoffs: {A: 1, B: 2}\n") == "");
  }

  TEST_CASE("a bargain's disagreement with too few numbers says how many it needs") {
    auto with = [](const std::string& disagreement) {
      return ErrorOf(std::string(kHead) +
                     "stages:\n"
                     "  - name: deal\n"
                     "    bargain:\n"
                     "      issues:\n"
                     "        price: {from: 0, to: 10}\n"
                     "      disagreement: " + disagreement + "\n"  // line 7
                     "payoffs:\n"
                     "  A: if(deal == agree, price, 0)\n"
                     "  B: if(deal == agree, 10 - price, 0)\n");
    };
    CHECK(with("[0]") == "s.yaml:7:21: 'disagreement' lists 1 number for 2 players (A, B); give one per player, in order");
    CHECK(with("[0, 0, 1]").rfind("s.yaml:7:21: 'disagreement' lists 3 numbers for 2 players", 0) == 0);
    CHECK(with("0").rfind("s.yaml:7:21: 'disagreement' is 'continue' (", 0) == 0);
    CHECK(with("0").find("or one number per player (A, B), e.g. [0, 0]") != std::string::npos);
    CHECK(with("[1, 2]") == "");
  }

  TEST_CASE("an action label with a line break is refused: tables print labels on one line") {
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - name: s\n"
                  "    player: A\n"
                  "    actions: [go, \"new\\nline\"]\n"  // line 5
                  "payoffs: {A: 1, B: 2}\n") ==
          "s.yaml:5:19: action label 'new\\nline' holds a line break or another control character; labels are "
          "printed on one line: write it without");
  }

  TEST_CASE("messages that say what would be right: nature in turns, '_' first, quotes, tabs") {
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - repeat:\n"
                  "      to: 2\n"
                  "      stages:\n"
                  "        - {name: a, player: [A, nature], actions: [l, r]}\n"
                  "payoffs: [1, 2]\n") ==
          "s.yaml:6:33: nature cannot take turns in a list of players: chance moves in a stage of its own "
          "(player: nature, with probabilities); list only the players who decide");
    // The message said "starting with a letter", and '_k' was taken.
    CHECK(ErrorOf(std::string(kHead) +
                  "parameters:\n"
                  "  _k: {value: 1}\n"
                  "stages:\n"
                  "  - {name: a, player: A, actions: [l, r]}\n"
                  "payoffs: [_k, 2]\n") ==
          "s.yaml:3:3: parameter '_k' is not a usable name: use letters, digits and _, starting with a letter");
    // muparser said "No suitable overload for operator ==".
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - {name: a, player: A, actions: [l, r]}\n"
                  "payoffs: ['if(a == \"l\", 1, 2)', 2]\n")
              .rfind("s.yaml:4:20: a quote in formula 'if(a == \"l\", 1, 2)': formulas have no strings; write an "
                     "action's label without quotes (a == accept)",
                     0) == 0);
    // The parser said "illegal block entry".
    CHECK(ErrorOf(std::string(kHead) + "stages:\n\t- name: a\npayoffs: [1, 2]\n") ==
          "s.yaml:3:1: a tab in this line's indentation; YAML indents with spaces only: replace the tab with spaces");
  }

  TEST_CASE("'not' before a comparison is refused: not a == b compares (not a) with b") {
    // `not respond == accept` is (not respond) == accept: 0 == accept, false whatever B chose,
    // so the stage left the tree without a word.
    const std::string head = std::string(kHead) +
                             "stages:\n"
                             "  - name: respond\n"
                             "    player: B\n"
                             "    actions: [accept, reject]\n"
                             "  - name: complain\n"
                             "    player: A\n";
    const std::string tail = "    actions: [yes, no]\n"
                             "payoffs: [1, 2]\n";
    for (const char* condition : {"not respond == accept", "not(respond) != 2", "not max(respond, 1) < 2",
                                  "respond == 1 and not 3 >= respond"}) {
      CAPTURE(condition);
      const std::string message = ErrorOf(head + "    condition: " + condition + "\n" + tail);
      CHECK(message.rfind("s.yaml:", 0) == 0);
      CHECK(message.find("'not' in formula") != std::string::npos);
      CHECK(message.find("write not (a == b), or a != b") != std::string::npos);
    }
    CHECK(ErrorOf(head + "    condition: not respond == accept\n" + tail).rfind("s.yaml:8:16: 'not' in formula", 0) == 0);
    // With the comparison in parentheses, or `not` alone: accepted.
    for (const char* condition : {"not (respond == accept)", "respond != accept", "not respond", "not (respond) and respond < 3",
                                  "nothing_here == 0 or not respond"}) {
      CAPTURE(condition);
      std::string text = head + "    condition: " + condition + "\n" + tail;
      if (std::string(condition).find("nothing_here") != std::string::npos)
        text = std::string(kHead) + "parameters:\n  nothing_here: {value: 0}\n" + text.substr(std::string(kHead).size());
      CHECK(ErrorOf(text) == "");
    }
  }

  TEST_CASE("a chained comparison, and action labels that are words of formulas") {
    // `2 < offer < 8` is (2 < offer) < 8, always true: the condition would never skip.
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - name: offer\n"
                  "    player: A\n"
                  "    actions: {from: 0, to: 10}\n"
                  "  - name: respond\n"
                  "    player: B\n"
                  "    condition: 2 < offer < 8\n"  // line 8
                  "    actions: [accept, reject]\n"
                  "payoffs:\n"
                  "  A: 10 - offer\n"
                  "  B: offer\n")
              .rfind("s.yaml:8:26: chained comparison in formula '2 < offer < 8'", 0) == 0);
    // Separated, or in parentheses: accepted.
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - name: offer\n"
                  "    player: A\n"
                  "    actions: {from: 0, to: 10}\n"
                  "payoffs:\n"
                  "  A: if(2 < offer and offer < 8, 1, 0) + ((offer < 3) == 1) + min(offer < 2, offer > 1)\n"
                  "  B: offer\n") == "");
    // `x == true` would compare the choice with 1, the first label's number.
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - name: x\n"
                  "    player: A\n"
                  "    actions: [false, true]\n"  // line 5
                  "payoffs:\n"
                  "  A: if(x == true, 2, 1)\n"
                  "  B: 0\n") ==
          "s.yaml:5:15: action label 'false' is a word of formulas (false is 0 there), so a formula could "
          "not name this action; choose another label, such as 'yes' or 'no'");
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - name: x\n"
                  "    player: A\n"
                  "    actions: [min, max]\n"
                  "payoffs:\n"
                  "  A: if(x == max, 2, 1)\n"  // line 7
                  "  B: 0\n")
              .rfind("s.yaml:7:14: 'max' in formula 'if(x == max, 2, 1)' is an action label, but also a word of "
                     "formulas",
                     0) == 0);
  }

  TEST_CASE("alternating offers with outside options that leave no room: the reason, not 'could not be followed'") {
    // Pie 6; A keeps its inside value 3.1, B's outside option is 3: 3.1 + 3 > 6, so no offer
    // of A's gives B its option while A keeps its inside value (docs/bargaining.md).
    const std::string msg = ErrorOf(std::string(kHead) +
                                    "stages:\n"
                                    "  - name: deal\n"  // line 3
                                    "    bargain:\n"
                                    "      issues:\n"
                                    "        price: {from: 0, to: 6}\n"
                                    "      protocol: alternating\n"
                                    "      discount: [0.9, 0.8]\n"
                                    "      disagreement: outside\n"
                                    "      inside: [3.1, 0]\n"
                                    "payoffs:\n"
                                    "  A: if(deal == agree, price, 0)\n"
                                    "  B: if(deal == agree, 6 - price, 3)\n");
    CHECK(msg.rfind("s.yaml:", 0) == 0);
    CHECK(msg.find("leave no room for stationary offers") != std::string::npos);
  }

  TEST_CASE("--set: a value beyond a double's range, one that would become 0, and a name set twice") {
    const std::string text = std::string(kHead) +
                             "parameters: {k: {value: 1}}\n"
                             "stages:\n"
                             "  - name: x\n"
                             "    player: A\n"
                             "    actions: [l, r]\n"
                             "payoffs:\n"
                             "  A: if(x == l, k, 0)\n"
                             "  B: 0\n";
    auto with = [&](std::vector<std::string> set) {
      ScenarioOptions options;
      options.overrides = std::move(set);
      return ErrorOf(text, options);
    };
    CHECK(with({"k=1e400"}).find("'1e400' is beyond the range") != std::string::npos);
    CHECK(with({"k=1e-400"}).find("'1e-400' is too small to compute with (it would be 0)") != std::string::npos);
    CHECK(with({"k=2", "k=3"}).find("parameter 'k' is set twice") != std::string::npos);
    CHECK(with({"k=2 "}) == "");
    CHECK(with({"k=1e-300"}) == "");
  }

  TEST_CASE("syntax error in a formula points at the token") {
    std::string msg = ErrorOf(std::string(kHead) +
                              "stages:\n"
                              "  - name: offer\n"
                              "    player: A\n"
                              "    actions: [1, 2]\n"
                              "payoffs:\n"
                              "  A: \"offer * (2 + \"\n"
                              "  B: offer\n");
    // The formula starts at column 7 (after the quote); muparser reports the end (12).
    CHECK(msg.rfind("s.yaml:7:", 0) == 0);
    CHECK(msg.find("syntax error in formula 'offer * (2 +'") != std::string::npos);
    std::string fn = ErrorOf(std::string(kHead) +
                             "stages: [{name: x, player: A, actions: [1]}]\n"
                             "payoffs: {A: 'mx(x, 1)', B: 0}\n");
    CHECK(fn.find("unknown function 'mx'") != std::string::npos);
    CHECK(fn.find("did you mean 'max'?") != std::string::npos);
    // A wrong count of arguments says what the function takes, without muparser's
    // "at expression position N" (the column says where).
    auto arity = [](const std::string& formula) {
      return ErrorOf(std::string(kHead) + "stages: [{name: x, player: A, actions: [1]}]\npayoffs:\n  A: \"" + formula +
                     "\"\n  B: 0\n");
    };
    CHECK(arity("if(x == 1, 2)") ==
          "s.yaml:4:19: syntax error in formula 'if(x == 1, 2)': Too few parameters for function \"if\"; if takes 3: "
          "if(condition, value if true, value if false)");
    CHECK(arity("pow(2)").find("Too few parameters for function \"pow\"; pow takes 2") != std::string::npos);
    CHECK(arity("sqrt(1, 2)").find("; sqrt takes 1") != std::string::npos);
    CHECK(arity("max()").find("; max takes one or more") != std::string::npos);
    CHECK(arity("max()").find("position") == std::string::npos);
  }

  TEST_CASE("probabilities that do not sum to 1 name the history") {
    std::string msg = ErrorOf(std::string(kHead) +
                              "stages:\n"
                              "  - name: offer\n"
                              "    player: A\n"
                              "    actions: [1, 2]\n"
                              "  - name: luck\n"
                              "    player: nature\n"
                              "    actions: [good, bad]\n"
                              "    probabilities: [0.5, offer / 4]\n"
                              "payoffs: [offer, 0]\n");
    // After offer 1: 0.5 + 0.25 = 0.75. (After offer 2 it would be 1.)
    CHECK(msg == "s.yaml:9:20: the probabilities of stage 'luck' sum to 0.75, not 1, "
                 "(after offer = 1)");
    std::string exact = ErrorOf(std::string(kHead) +
                                "stages:\n"
                                "  - {name: luck, player: nature, actions: [a, b], probabilities: [1/3, 1/2]}\n"
                                "payoffs: [1, 0]\n");
    CHECK(exact.find("sum to 5/6, not 1") != std::string::npos);
  }

  TEST_CASE("a payoff formula missing for a player") {
    std::string msg = ErrorOf(std::string(kHead) +
                              "stages: [{name: x, player: A, actions: [l]}]\n"
                              "payoffs: {A: 1}\n");
    CHECK(msg == "s.yaml:3:10: no payoff formula for player B; 'payoffs' needs one formula "
                 "per player");
    CHECK(ErrorOf(std::string(kHead) +
                  "stages: [{name: x, player: A, actions: [l]}]\n"
                  "payoffs: [1]\n")
              .find("'payoffs' lists 1 formulas for 2 players") != std::string::npos);
  }

  TEST_CASE("an empty action set") {
    CHECK(ErrorOf(std::string(kHead) +
                  "stages: [{name: x, player: A, actions: []}]\n"
                  "payoffs: [1, 0]\n")
              .find("s.yaml:2:40: the action list of stage 'x' is empty") == 0);
    // A range that is empty in one history only.
    std::string msg = ErrorOf(std::string(kHead) +
                              "stages:\n"
                              "  - {name: a, player: A, actions: [0, 1]}\n"
                              "  - {name: b, player: B, actions: {from: 1, to: a}}\n"
                              "payoffs: [a, b]\n");
    CHECK(msg.find("s.yaml:4:35: stage 'b' has no actions (after a = 0)") == 0);
  }

  TEST_CASE("observing a later stage") {
    std::string msg = ErrorOf(std::string(kHead) +
                              "stages:\n"
                              "  - {name: a, player: A, actions: [l, r], observe: [b]}\n"
                              "  - {name: b, player: B, actions: [x, y]}\n"
                              "payoffs: [1, 0]\n");
    CHECK(msg.find("s.yaml:3:53: stage 'a' observes stage 'b', which comes after it") == 0);
    CHECK_THROWS_AS(ReadScenario(std::string(kHead) +
                                     "stages:\n"
                                     "  - {name: a, player: A, actions: [l, r], observe: [b]}\n"
                                     "  - {name: b, player: B, actions: [x, y]}\n"
                                     "payoffs: [1, 0]\n",
                                 "s.yaml"),
                    ValidationError);
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - {name: a, player: A, actions: [l, r]}\n"
                  "  - {name: b, player: B, actions: [x, y], observe: [aa]}\n"
                  "payoffs: [1, 0]\n")
              .find("observes 'aa', which is not a stage (did you mean 'a'?)") != std::string::npos);
  }

  TEST_CASE("a parameter set outside its range") {
    std::string text = std::string(kHead) +
                       "parameters:\n"
                       "  cake: {value: 10, min: 1, max: 100}\n"
                       "stages: [{name: x, player: A, actions: [l]}]\n"
                       "payoffs: [cake, 0]\n";
    ScenarioOptions options;
    options.overrides = {"cake=200"};
    CHECK(ErrorOf(text, options) ==
          "s.yaml:3:3: parameter 'cake' set to 200, outside its range [1, 100]");
    options.overrides = {"cak=2"};
    CHECK(ErrorOf(text, options).find("no parameter 'cak' (did you mean 'cake'?)") !=
          std::string::npos);
    options.overrides = {"cake=ten"};
    CHECK(ErrorOf(text, options).find("'ten' is not a number") != std::string::npos);
    options.overrides = {"cake=50"};
    auto s = ReadScenario(text, "s.yaml", options);
    CHECK(s->parameters[0].value == 50);
    CHECK(s->parameters[0].file_value == 10);
    CHECK(ErrorOf(std::string(kHead) + "parameters: {c: {value: 0, min: 1}}\n"
                  "stages: [{name: x, player: A, actions: [l]}]\npayoffs: [1, 0]\n")
              .find("s.yaml:2:25: the value of 'c' lies outside its range [1, inf]") == 0);
  }

  TEST_CASE("booleans are YAML 1.2's true and false, in every key that takes one") {
    // YAML 1.1's yes/no were accepted for `assumption` and refused for `lotteries`; both keys
    // now read booleans through the one helper every YAML reader uses.
    std::string assumption = std::string(kHead) +
                             "parameters:\n"
                             "  cake: {value: 10, assumption: yes}\n"
                             "stages: [{name: x, player: A, actions: [l]}]\n"
                             "payoffs: [cake, 0]\n";
    CHECK(ErrorOf(assumption) == "s.yaml:3:33: 'assumption' must be true or false, not 'yes'");
    std::string fine = assumption;
    fine.replace(fine.find("yes"), 3, "True");
    CHECK(ReadScenario(fine, "s.yaml")->parameters[0].assumption);
    std::string lotteries = std::string(kHead) +
                            "stages:\n"
                            "  - name: talks\n"
                            "    bargain: {issues: {x: {from: 0, to: 1}}, lotteries: no}\n"
                            "payoffs: [x, 1 - x]\n";
    CHECK(ErrorOf(lotteries).find("s.yaml:4:57: 'lotteries' must be true or false, not 'no'") == 0);
  }

  TEST_CASE("the node limit stops expansion") {
    std::string text = std::string(kHead) +
                       "stages:\n"
                       "  - {name: a, player: A, actions: {from: 1, to: 1000}}\n"
                       "  - {name: b, player: B, actions: {from: 1, to: 1000}}\n"
                       "payoffs: [a, b]\n";
    ScenarioOptions options;
    options.max_nodes = 5000;
    CHECK_THROWS_AS(ReadScenario(text, "s.yaml", options), LimitError);
    CHECK(ErrorOf(text, options).find("more than 5000 nodes") != std::string::npos);
  }

  TEST_CASE("information sets must offer the same actions") {
    std::string msg = ErrorOf(std::string(kHead) +
                              "stages:\n"
                              "  - {name: a, player: A, actions: [1, 2]}\n"
                              "  - {name: b, player: B, actions: {from: 0, to: a}, observe: none}\n"
                              "payoffs: [a, b]\n");
    CHECK(msg.find("B cannot tell apart the histories (after a = 1) and (after a = 2)") !=
          std::string::npos);
  }

  TEST_CASE("names: labels that clash, reserved words, duplicates") {
    CHECK(ErrorOf(std::string(kHead) +
                  "stages: [{name: invest, player: A, actions: [invest, hold]}]\n"
                  "payoffs: [1, 0]\n")
              .find("action label 'invest' has the same name as stage 'invest'") !=
          std::string::npos);
    CHECK(ErrorOf(std::string(kHead) + "parameters: {max: 1}\n")
              .find("parameter 'max' is a reserved word") != std::string::npos);
    CHECK(ErrorOf("players: [A, A]\n").find("player 'A' is listed twice") != std::string::npos);
    CHECK(ErrorOf("players: [A]\n").find("two or more players") != std::string::npos);
  }

  TEST_CASE("distributions are checked") {
    auto with = [](const std::string& dist) {
      return ErrorOf(std::string(kHead) + "parameters:\n  x: {value: 0.5, min: 0, max: 1, distribution: " +
                     dist + "}\nstages: [{name: s, player: A, actions: [l]}]\npayoffs: [x, 0]\n");
    };
    CHECK(with("{type: uniform, low: 0, high: 1}") == "");
    CHECK(with("{type: uniform, low: 1, high: 0}").find("needs low < high") != std::string::npos);
    CHECK(with("{type: unifrom, low: 0, high: 1}").find("did you mean 'uniform'?") != std::string::npos);
    CHECK(with("{type: normal, mean: 0.5, sd: 0}").find("sd > 0") != std::string::npos);
    CHECK(with("{type: beta, alpha: 2, beta: 3}") == "");
    CHECK(with("{type: triangular, low: 0, mode: 2, high: 1}").find("low <= mode <= high") != std::string::npos);
    CHECK(with("{type: uniform, low: 0, high: 2}").find("outside the parameter's range") != std::string::npos);
    CHECK(with("{type: discrete, values: [0, 1], weights: [1]}").find("one weight per value") != std::string::npos);
    CHECK(with("{type: normal, mean: 0.5, sd: 0.1, alpha: 2}").find("does not belong to a normal") != std::string::npos);
    auto s = ReadScenario(std::string(kHead) +
                              "parameters:\n  x: {value: 0.5, distribution: {type: triangular, low: 0, mode: 0.5, high: 1}}\n"
                              "stages: [{name: s, player: A, actions: [l]}]\npayoffs: [x, 0]\n",
                          "s.yaml");
    REQUIRE(s->parameters[0].distribution.has_value());
    CHECK(s->parameters[0].distribution->mode == 0.5);
    // A range wider than the largest double: low + (high - low) u overflowed, and the draws
    // were infinite (the error then blamed a payoff).
    auto wide = [](const std::string& dist) {
      return ErrorOf(std::string(kHead) + "parameters:\n  x: {value: 0, distribution: " + dist +
                     "}\nstages: [{name: s, player: A, actions: [l]}]\npayoffs: [x, 0]\n");
    };
    CHECK(wide("{type: uniform, low: -1.7e308, high: 1.7e308}") ==
          "s.yaml:3:31: the uniform distribution of 'x' spans more than the largest double (-1.7e+308 to 1.7e+308); "
          "narrow it, or rescale the parameter");
    CHECK(wide("{type: triangular, low: -1e308, mode: 0, high: 1e308}").find("spans more than") != std::string::npos);
    CHECK(wide("{type: beta, alpha: 2, beta: 2, low: -1e308, high: 1e308}").find("spans more than") != std::string::npos);
    CHECK(wide("{type: uniform, low: -8e307, high: 8e307}") == "");
    // Weights whose sum overflows are scaled (only their ratios matter): 1e308 twice is 1 : 1.
    auto heavy = ReadScenario(std::string(kHead) +
                                  "parameters:\n  x: {value: 1, distribution: {type: discrete, values: [1, 2], "
                                  "weights: [1e308, 1e308]}}\nstages: [{name: s, player: A, actions: [l]}]\npayoffs: [x, 0]\n",
                              "s.yaml");
    CHECK(heavy->parameters[0].distribution->weights == std::vector<double>{1, 1});
  }

  TEST_CASE("distributions: a wrong key is named with the keys its own type takes") {
    auto with = [](const std::string& dist) {
      // The distribution starts at column 49 of line 3.
      return ErrorOf(std::string(kHead) + "parameters:\n  x: {value: 0.5, min: 0, max: 1, distribution: " +
                     dist + "}\nstages: [{name: s, player: A, actions: [l]}]\npayoffs: [x, 0]\n");
    };
    // There is no gamma: the type is refused first (its k was "unknown key 'k'; the keys are
    // type, low, high, mode, mean, sd, alpha, beta, values, weights", every type's at once).
    CHECK(with("{type: gamma, k: 2, theta: 1}") ==
          "s.yaml:3:56: unknown distribution 'gamma'; the types are uniform, triangular, normal, beta, discrete");
    CHECK(with("{type: uniform, lo: 0, high: 1}") ==
          "s.yaml:3:65: unknown key 'lo' in the uniform distribution of 'x' (did you mean 'low'?); a uniform "
          "distribution takes low, high");
    CHECK(with("{type: beta, alpha: 2, beta: 3, k: 1}") ==
          "s.yaml:3:81: unknown key 'k' in the beta distribution of 'x'; a beta distribution takes alpha, beta, low, "
          "high");
    CHECK(with("{type: normal, mean: 0.5, sd: 0.1, alpha: 2}") ==
          "s.yaml:3:84: key 'alpha' does not belong to a normal distribution; it takes mean, sd");
    CHECK(with("{type: discrete, values: [0, 1], weight: [1, 2]}") ==
          "s.yaml:3:82: unknown key 'weight' in the discrete distribution of 'x' (did you mean 'weights'?); a "
          "discrete distribution takes values, weights");
    CHECK(with("{type: uniform, low: 0, high: 1, low: 0.5}") ==
          "s.yaml:3:82: key 'low' appears twice in this mapping (first at line 3, column 65); YAML keys are "
          "unique: give it once");
    CHECK(with("{low: 0, high: 1}") ==
          "s.yaml:3:49: missing key 'type' in the distribution of 'x' (uniform, triangular, normal, beta or discrete)");
  }

  TEST_CASE("tree form errors") {
    CHECK(ErrorOf(std::string(kHead) +
                  "tree:\n"
                  "  player: nature\n"
                  "  moves: {h: {payoffs: [1, 0]}, t: {payoffs: [0, 1]}}\n"
                  "  probabilities: [0.5, 0.6]\n")
              .find("s.yaml:3:3: the probabilities of this chance node sum to 11/10, not 1") == 0);
    CHECK(ErrorOf(std::string(kHead) +
                  "tree:\n"
                  "  player: C\n"
                  "  moves: {h: {payoffs: [1, 0]}}\n")
              .find("s.yaml:3:11: unknown player 'C'") == 0);
    CHECK(ErrorOf(std::string(kHead) +
                  "tree:\n"
                  "  player: A\n"
                  "  moves:\n"
                  "    l: {player: B, infoset: i, moves: {x: {payoffs: [1, 0]}}}\n"
                  "    r: {player: B, infoset: i, moves: {y: {payoffs: [1, 0]}}}\n")
              .find("the nodes of information set 'i' offer different actions") !=
          std::string::npos);
    // The same actions in another order: said so, not "different actions".
    CHECK(ErrorOf(std::string(kHead) +
                  "tree:\n"
                  "  player: A\n"
                  "  moves:\n"
                  "    l: {player: B, infoset: i, moves: {x: {payoffs: [1, 0]}, y: {payoffs: [0, 1]}}}\n"
                  "    r: {player: B, infoset: i, moves: {y: {payoffs: [1, 0]}, x: {payoffs: [0, 1]}}}\n") ==
          "s.yaml:6:8: the nodes of information set 'i' offer their actions in different orders (y, x here, x, y at "
          "line 5); a player cannot tell them apart, so the actions must be the same, in the same order");
    // One name, two players: they were two separate sets without a word.
    CHECK(ErrorOf(std::string(kHead) +
                  "tree:\n"
                  "  player: A\n"
                  "  moves:\n"
                  "    l: {player: B, infoset: s, moves: {u: {payoffs: [1, 1]}, d: {payoffs: [0, 0]}}}\n"
                  "    r: {player: A, infoset: s, moves: {u: {payoffs: [2, 2]}, d: {payoffs: [0, 0]}}}\n") ==
          "s.yaml:6:8: information set 's' is B's (line 5), and this node is A's; an information set belongs to "
          "one player: give this node another infoset name, or correct its player");
  }

  // YAML keys are unique; yaml-cpp keeps both, and a reader that walked the mapping took the
  // last: {x: 0.25, y: 0.5, x: 0.5} was x = 0.5, whose sum 1 passed (the first value's, 0.75,
  // would not), and a terminal's {A: 1, B: 0, A: 5} paid A 5.
  TEST_CASE("a key given twice in one mapping is refused at the second, anywhere in the file") {
    const std::string stages = std::string(kHead) +
                               "stages:\n"
                               "  - name: n\n"
                               "    player: nature\n"
                               "    actions: [x, y]\n"
                               "    probabilities: {x: 0.25, y: 0.5, x: 0.5}\n"
                               "payoffs: [n, 0]\n";
    CHECK(ErrorOf(stages) ==
          "s.yaml:6:38: key 'x' appears twice in this mapping (first at line 6, column 21); YAML keys are "
          "unique: give it once");
    CHECK(ErrorOf(std::string(kHead) +
                  "tree:\n"
                  "  player: nature\n"
                  "  moves: {L: {payoffs: {A: 1, B: 0, A: 5}}, R: {payoffs: [0, 1]}}\n"
                  "  probabilities: {L: 0.5, R: 0.5}\n")
              .find("s.yaml:4:37: key 'A' appears twice in this mapping (first at line 4, column 25)") == 0);
    CHECK(ErrorOf(std::string(kHead) +
                  "tree:\n"
                  "  player: nature\n"
                  "  moves: {L: {payoffs: [1, 0]}, R: {payoffs: [0, 1]}}\n"
                  "  probabilities: {L: 0.25, R: 0.5, L: 0.5}\n")
              .find("s.yaml:5:36: key 'L' appears twice") == 0);
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - name: a\n"
                  "    player: A\n"
                  "    actions: [1, 2]\n"
                  "    compute:\n"
                  "      v: 1\n"
                  "      v: v + 10\n"
                  "payoffs: [v, 0]\n")
              .find("s.yaml:8:7: key 'v' appears twice in this mapping (first at line 7, column 7)") == 0);
    // Keys in different mappings are not repeated ones.
    CHECK(ErrorOf(std::string(kHead) +
                  "tree:\n"
                  "  player: nature\n"
                  "  moves: {L: {payoffs: {A: 1, B: 0}}, R: {payoffs: {A: 0, B: 1}}}\n"
                  "  probabilities: {L: 0.5, R: 0.5}\n") == "");
  }

  TEST_CASE("an alias inside the node it names, and a second document, are refused at their place") {
    // The alias made a cycle that the repeated-keys walk followed without end (the process hung,
    // and grew).
    CHECK(ErrorOf(std::string(kHead) +
                  "parameters: &p\n"
                  "  k: *p\n"
                  "stages:\n"
                  "  - {name: a, player: A, actions: [l, r]}\n"
                  "payoffs: [1, 2]\n") ==
          "s.yaml:3:6: this alias names a node that contains it, which would repeat itself without end; an alias "
          "(*name) must name a node that is complete before it (anchored with &name)");
    CHECK(ErrorOf(std::string(kHead) + "tree: &t\n  player: A\n  moves: {l: *t, r: {payoffs: [0, 1]}}\n")
              .find("s.yaml:4:14: this alias names a node that contains it") == 0);
    // An alias to a complete node is fine.
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - {name: a, player: A, actions: &two [l, r]}\n"
                  "  - {name: b, player: B, actions: *two}\n"
                  "payoffs: [1, 2]\n") == "");
    // What followed a second '---' was dropped without a word.
    const std::string one = std::string(kHead) +
                            "stages:\n"
                            "  - {name: a, player: A, actions: [l, r]}\n"
                            "payoffs: [1, 2]\n";
    CHECK(ErrorOf(one + "---\nplayers: [C]\n") ==
          "s.yaml:5:1: a second YAML document starts here (after '---'); a file holds one document: remove the "
          "'---' line, or put the second document in a file of its own");
    CHECK(ErrorOf("---\n" + one + "...\n") == "");  // one document, marked at both ends
  }

  TEST_CASE("observing a stage that only computes variables is refused (it reveals nothing)") {
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - {name: a, player: A, actions: [1, 2]}\n"
                  "  - {name: calc, compute: {k: 2 * a}}\n"
                  "  - {name: b, player: B, actions: [x, y], observe: [calc]}\n"
                  "payoffs: [k, 0]\n") ==
          "s.yaml:5:53: stage 'b' observes stage 'calc', which only computes variables and makes no move; "
          "observe the stages whose choices those variables read");
  }

  TEST_CASE("a bargain's payoff not finite or beyond 1e12 on an issue's range is refused at the stage") {
    // A's payoff 1/x on [0, 1] is infinite at x = 0. With a constraint (or parties) the bargain
    // is solved by the nonlinear method, which reported A 1.8e15 at "x 0" as the agreement;
    // a plain bargain was refused without saying whose payoff or where.
    const std::string head = std::string(kHead) +
                             "stages:\n  - name: t\n    bargain:\n      issues:\n        x: {from: 0, to: 1}\n";  // 2-6
    const std::string tail = "payoffs:\n  A: if(t == agree, 1/x, 0)\n  B: if(t == agree, 1 - x, 0)\n";
    CHECK(ErrorOf(head + "      constraints:\n        - x <= 1\n" + tail) ==
          "s.yaml:5:7: bargain 't' at the start (before any choice): the payoff of A \"if(t == agree, 1/x, 0)\" "
          "(line 10) is not finite (it is inf) at x = 0; bargaining handles payoffs up to 1e+12 in magnitude: make "
          "it finite and bounded by that on the agreements the issues' ranges and constraints allow (narrow a "
          "range, rescale the units or change the formula)");
    CHECK(ErrorOf(head + "      parties: [A, B]\n" + tail)
              .find("s.yaml:5:7: bargain 't' at the start (before any choice): the payoff of A \"if(t == agree, 1/x, "
                    "0)\" (line 9) is not finite (it is inf) at x = 0; bargaining handles payoffs up to 1e+12") == 0);
    CHECK(ErrorOf(head + tail).find("s.yaml:5:7: bargain 't' at the start (before any choice): the payoff of A "
                                    "\"if(t == agree, 1/x, 0)\" (line 8) is not finite (it is inf) at x = 0;") == 0);
    // Finite everywhere but 1e300 at the bound; and a package named by its option's label.
    std::string tiny = head + "      parties: [A, B]\n" + tail;
    tiny.replace(tiny.find("from: 0,"), 8, "from: 1e-300,");
    CHECK(ErrorOf(tiny).find("the payoff of A \"if(t == agree, 1/x, 0)\" (line 9) is 1e+300 at x = 1e-300; ") !=
          std::string::npos);
    std::string plan = head + "        plan: {options: [flat, steep]}\n      parties: [A, B]\n" + tail;
    plan.replace(plan.find("1/x"), 3, "if(plan == steep, 1/x, x)");
    CHECK(ErrorOf(plan).find("is not finite (it is inf) at x = 0, plan = steep;") != std::string::npos);
  }

  TEST_CASE("an empty value is located at its key, not at the next line") {
    // YAML places an empty value at the next token: the error named B's line, or a line past
    // the end of the file.
    const std::string stages = "stages:\n  - {name: x, player: A, actions: [l, r]}\n";  // lines 2-3
    CHECK(ErrorOf(std::string(kHead) + stages + "payoffs:\n  A: \n  B: 2\n") ==
          "s.yaml:5:3: the payoff of A is empty; write a value");
    CHECK(ErrorOf(std::string(kHead) + stages + "payoffs:\n  B: 2\n  A:   # to do\n\n") ==
          "s.yaml:6:3: the payoff of A is empty; write a value");
    CHECK(ErrorOf(std::string(kHead) + stages + "payoffs: {A: 1, B: }\n") ==
          "s.yaml:4:17: the payoff of B is empty; write a value");
    CHECK(ErrorOf(std::string(kHead) + "stages:\n  - name: x\n    player: A\n    actions:\n    condition: 1\n"
                                       "payoffs: [1, 2]\n") == "s.yaml:5:5: 'actions' is empty; write a value");
    // Written nulls are where they are written.
    CHECK(ErrorOf(std::string(kHead) + stages + "payoffs: {A: 1, B: ~}\n") ==
          "s.yaml:4:20: the payoff of B is empty; write a value");
  }

  TEST_CASE("a repeat block's rounds must be whole numbers a double tells apart") {
    // from 1e16, the rounds were 1e16, 1e16, 1e16 + 2, 1e16 + 4, 1e16 + 4 (A's payoff 36, not
    // 0 + 1 + 4 + 9 + 16 = 30).
    const std::string body = "      stages:\n        - name: x\n          player: A\n          actions: [l]\n"
                             "          compute: {sq: sq + (round - 1e16)^2}\npayoffs: [sq, 0]\n";
    CHECK(ErrorOf(std::string(kHead) + "stages:\n  - repeat:\n      from: 1e16\n      to: 1e16 + 4\n" + body)
              .rfind("s.yaml:4:7: the rounds of this repeat block (from 1e+16 to 1.0000000000000004e+16) are not all "
                     "distinct numbers in floating point",
                     0) == 0);
    // Below 2^53 (about 9.007e15) each round is its own number: 0 + 1 + 4 + 9 + 16.
    std::string below = body;
    below.replace(below.find("round - 1e16"), 12, "round - 9e15");
    auto scenario = ReadScenario(std::string(kHead) + "stages:\n  - repeat:\n      from: 9e15\n      to: 9e15 + 4\n" + below,
                                 "s.yaml");
    CHECK(parley::equilibrium::Solve(*scenario->game, {}).equilibria.front().payoffs == std::vector<double>{30, 0});
  }

  TEST_CASE("a compute-only stage's name read in a formula is refused (it always reads 0)") {
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - {name: a, player: A, actions: [1, 2]}\n"
                  "  - {name: c0, compute: {k: 2 * a, m: 1}}\n"
                  "payoffs:\n"
                  "  A: k\n"
                  "  B: c0 + 1\n") ==
          "s.yaml:7:6: this formula reads 'c0', a stage that only computes variables and makes no move, so it "
          "would always read 0; read the variables it computes by their names (k, m)");
  }

  TEST_CASE("chance named in payoffs, a merge key, and actions in another order: messages that fit") {
    // The message refused nature and then offered it ("the players are A, B (or nature, for chance)").
    CHECK(ErrorOf(std::string(kHead) + "stages:\n  - {name: x, player: A, actions: [l]}\n"
                                       "payoffs: {A: 1, B: 2, nature: 3}\n") ==
          "s.yaml:4:23: 'nature' is chance, not a player: it has no payoff and no seat at a bargain; the players "
          "are A, B");
    CHECK(ErrorOf(std::string(kHead) + "stages:\n  - &base {name: x, player: A, actions: [l, r]}\n"
                                       "  - {<<: *base, name: y}\npayoffs: [1, 2]\n") ==
          "s.yaml:4:6: merge keys (<<: *name) are not supported in a stage; write the keys out (an alias *name for "
          "a whole value works)");
    // The same actions in another order after histories B cannot tell apart: not "the actions differ".
    CHECK(ErrorOf(std::string(kHead) +
                  "stages:\n"
                  "  - {name: x, player: A, actions: [l, r]}\n"
                  "  - name: y\n"
                  "    player: B\n"
                  "    actions: {values: ['if(x == l, 1, 2)', 'if(x == l, 2, 1)']}\n"
                  "    observe: []\n"
                  "payoffs: {A: y, B: 0}\n")
              .find("but the actions come in another order there; list them in the same order") != std::string::npos);
  }
}
