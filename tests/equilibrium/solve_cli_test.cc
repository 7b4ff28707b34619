// `parley solve` on imperfect-information games through the real binary: the text shows the
// mover and the mixed behaviour, JSON has `behavior` and `method`, --method overrides, and
// the refusals print one clear error line.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace parley::testing {
namespace {

// OpenAI presses a complaint or drops it; Microsoft settles or fights without seeing which.
// Microsoft's settle probability s makes OpenAI indifferent: press pays 3 s - (1 - s) = 0 =
// drop, so s = 1/4. OpenAI's press probability p makes Microsoft indifferent: settle pays
// -3 p, fight -2 p - (1 - p): p = 1/2. No pure pair is an equilibrium.
const char* kComplaint = R"(EFG 2 R "Complaint" { "OpenAI" "Microsoft" }
p "" 1 1 "complaint" { "press" "drop" } 0
p "" 2 1 "after complaint" { "settle" "fight" } 0
t "" 1 "" { 3 -3 }
t "" 2 "" { -1 -2 }
p "" 2 1 0
t "" 3 "" { 0 0 }
t "" 4 "" { 0 -1 }
)";

TEST_CASE("parley solve: mixed behaviour in text and JSON") {
  std::string path = WriteTempFile("complaint.efg", kComplaint);
  RunResult text = RunParley("solve " + path);
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("Microsoft at [after complaint]: settle 0.25, fight 0.75") != std::string::npos);
  CHECK(text.out.find("Lemke") != std::string::npos);
  RunResult json = RunParley("solve " + path + " --format json --exact");
  REQUIRE(json.exit_code == 0);
  auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["behavior"].is_null());
  // Records in order of first appearance: OpenAI's set 1, then Microsoft's set 1.
  auto behavior = doc["equilibria"][0]["behavior"];
  REQUIRE(behavior.size() == 2);
  // A game with hidden moves: every record carries its beliefs (tests/equilibrium/
  // beliefs_test.cc checks their values); here the layout around them.
  for (auto& record : behavior) {
    CHECK(record["beliefs_from"] == "bayes");
    record.erase("beliefs");
    record.erase("beliefs_from");
  }
  CHECK(behavior[0] == nlohmann::json::parse(R"({"player": 1, "number": 1, "label": "complaint",
      "actions": [{"label": "press", "probability": "1/2"}, {"label": "drop", "probability": "1/2"}]})"));
  CHECK(behavior[1] == nlohmann::json::parse(R"({"player": 2, "number": 1, "label": "after complaint",
      "actions": [{"label": "settle", "probability": "1/4"}, {"label": "fight", "probability": "3/4"}]})"));
  // In doubles: numbers, at full precision (1/4 and 3/4 are exact in binary).
  auto approx = nlohmann::json::parse(RunParley("solve " + path + " --format json").out);
  CHECK(approx["equilibria"][0]["behavior"][1]["actions"][1]["probability"].get<double>() ==
        doctest::Approx(0.75).epsilon(1e-12));
  CHECK(doc["method"].get<std::string>().find("Lemke") != std::string::npos);
  CHECK(doc["equilibria"][0]["max_gain"] == 0);
}

TEST_CASE("parley solve --method: lp needs constant sum, unknown methods are refused") {
  std::string path = WriteTempFile("complaint2.efg", kComplaint);
  RunResult lp = RunParley("solve " + path + " --method lp");
  CHECK(lp.exit_code != 0);
  CHECK(lp.err.find("constant-sum") != std::string::npos);
  RunResult bi = RunParley("solve " + path + " --method backward-induction");
  CHECK(bi.exit_code != 0);
  RunResult bad = RunParley("solve " + path + " --method simplex");
  CHECK(bad.exit_code != 0);
}

TEST_CASE("parley solve refuses games without perfect recall, and 3-player games only with --exact") {
  if (!SharedOrSkip()) return;
  RunResult recall = RunParley("solve " + SharedPath("gambit-games/efg/myerson.efg"));
  CHECK(recall.exit_code != 0);
  CHECK(recall.err.find("perfect recall") != std::string::npos);
  // Three players with hidden moves: solved by the logit tracer and verified; refused only
  // in exact arithmetic, with what would work.
  RunResult three = RunParley("solve " + SharedPath("gambit-games/efg/e05.efg"));
  CHECK(three.exit_code == 0);
  CHECK(three.out.find("logit") != std::string::npos);
  RunResult exact = RunParley("solve " + SharedPath("gambit-games/efg/e05.efg") + " --exact");
  CHECK(exact.exit_code == 1);
  CHECK(exact.err.find("two players") != std::string::npos);
}

// A refusal about a subgame names it (its node, the moves to it, who moves first) and locates
// its record in the file. Three players; after "in" a coin decides, B guesses without seeing
// it, and then C or A moves without seeing it either: all three move in the subgame at node 1
// (indented on line 4), which has imperfect information, and which only floating point solves.
TEST_CASE("parley solve: a refused subgame is located at its line of the .efg") {
  std::string path = WriteTempFile("three_coin.efg", R"(EFG 2 R "Coin" { "A" "B" "C" }
""
p "" 1 1 "start" { "in" "out" } 0
  c "" 1 "coin" { "heads" 1/2 "tails" 1/2 } 0
p "" 2 1 "guess" { "x" "y" } 0
p "" 3 1 "echo" { "l" "r" } 0
t "" 1 "" { 1 2 0 }
t "" 2 "" { 0 2 1 }
p "" 1 2 "again" { "u" "d" } 0
t "" 3 "" { 0 0 0 }
t "" 4 "" { 1 0 0 }
p "" 2 1 0
p "" 1 2 0
t "" 5 "" { 0 0 0 }
t "" 6 "" { 0 1 0 }
p "" 3 1 0
t "" 7 "" { 1 2 0 }
t "" 8 "" { 0 0 2 }
t "" 9 "" { 1 1 1 }
)");
  RunResult exact = RunParley("solve " + path + " --exact");
  CHECK(exact.exit_code == 1);
  CHECK(exact.err.find(path + ":4:3: the subgame at node 1 (after in) has imperfect information") !=
        std::string::npos);
  CHECK(std::count(exact.err.begin(), exact.err.end(), '\n') == 1);
  // The same game by backward induction: the set's first node, line 5.
  RunResult bi = RunParley("solve " + path + " --method backward-induction");
  CHECK(bi.exit_code == 1);
  CHECK(bi.err.find(path + ":5:1: the game has imperfect information: information set B at [guess]") !=
        std::string::npos);
  // Floating point solves it (A stays out: 1, against 1/2 after in whatever B guesses).
  CHECK(RunParley("solve " + path).exit_code == 0);
  // --method lp on a game that is not constant-sum: the subgame is named with its first move.
  std::string two = WriteTempFile("complaint3.efg", kComplaint);
  RunResult lp = RunParley("solve " + two + " --method lp");
  CHECK(lp.err.find(two + ":2:1: --method lp needs constant-sum subgames, and the whole game "
                    "(first move: OpenAI at [complaint]) is not constant-sum") != std::string::npos);
}

// Rounds of matching pennies in which B never sees A's moves and only the last round pays:
// A gets 3T for (heads, heads), T for (tails, tails) and -T for a mismatch. The last round's
// value is (3T * T - (-T)(-T)) / (3T + T + T + T) = T / 3 with A's heads at probability
// (T + T) / 6T = 1/3 and B's the same; earlier rounds pay nothing, so any play there is an
// equilibrium. The logit branch runs straight to its largest lambda in a few dozen steps
// while every action keeps a share (A: 2 x 21 sets at T = 3), too few steps to pay for a
// polish of that size by the tracer's work alone: the tracer gave up ("lambda grew past its
// limit") where the polish at the last point succeeds. With equal payoffs (3T replaced by T)
// the branch is the uniform profile at every lambda: the trace point solves the equations
// already and needs no Newton step at all.
const char* kBlindRounds = R"(title: Rounds of matching pennies, B blind to A
players: [A, B]
parameters:
  T: {value: 3, min: 1, max: 8, assumption: true}
  H: {value: 3, min: 1, max: 3, assumption: true}
stages:
  - repeat:
      for: k
      from: 1
      to: T
      stages:
        - name: a
          player: A
          actions: [heads, tails]
        - name: b
          player: B
          actions: [heads, tails]
          observe: [b]
          compute:
            score: if(a == b, if(a == heads, H * k, k), -k)
payoffs:
  A: score
  B: -score
)";

TEST_CASE("parley solve --method logit: rounds of matching pennies with large supports") {
  std::string path = WriteTempFile("blind_rounds.yaml", kBlindRounds);
  for (int T : {3, 4}) {
    for (int H : {1, 3}) {
      CAPTURE(T);
      CAPTURE(H);
      RunResult r = RunParley("solve " + path + " --method logit --format json --set T=" + std::to_string(T) +
                              " --set H=" + std::to_string(H));
      REQUIRE(r.exit_code == 0);
      auto eq = nlohmann::json::parse(r.out)["equilibria"][0];
      CHECK(eq["max_gain"].get<double>() <= 1e-9);
      const double value = H == 3 ? T / 3.0 : 0.0;
      CHECK(eq["payoffs"][0].get<double>() == doctest::Approx(value).epsilon(1e-9));
      CHECK(eq["payoffs"][1].get<double>() == doctest::Approx(-value).epsilon(1e-9));
    }
  }
}

// The information sets of a .efg file as the file numbers them: each "p" line (in the file's
// order, which is preorder) names its player and set number; the first line naming a set
// gives its label and actions.
struct FileSet {
  int player = 0, number = 0;
  std::string label;
  std::vector<std::string> actions;
};
std::vector<FileSet> SetsOfEfg(const std::string& text) {
  std::vector<FileSet> sets;
  std::istringstream lines(text);
  std::string line;
  std::set<std::pair<int, int>> seen;
  auto quoted = [](const std::string& s, std::size_t& i) {
    std::size_t open = s.find('"', i), close = s.find('"', open + 1);
    i = close + 1;
    return s.substr(open + 1, close - open - 1);
  };
  while (std::getline(lines, line)) {
    if (line.rfind("p ", 0) != 0) continue;
    std::size_t i = 0;
    quoted(line, i);  // the node's label
    std::istringstream rest(line.substr(i));
    FileSet set;
    rest >> set.player >> set.number;
    if (!seen.insert({set.player, set.number}).second) continue;
    i += static_cast<std::size_t>(rest.tellg());
    set.label = quoted(line, i);
    std::size_t end = line.find('}', i);
    while (line.find('"', i) < end) set.actions.push_back(quoted(line, i));
    sets.push_back(set);
  }
  return sets;
}

TEST_CASE("behaviour profiles: one record per information set, numbered as in the .efg") {
  if (!SharedOrSkip()) return;
  for (const char* name : {"e10a.efg", "e13.efg", "e04.efg"}) {
    CAPTURE(name);
    std::string path = SharedPath(std::string("gambit-games/efg/") + name);
    std::vector<FileSet> expected = SetsOfEfg(ReadFile(path));
    RunResult r = RunParley("solve '" + path + "' --format json");
    REQUIRE(r.exit_code == 0);
    auto behavior = nlohmann::json::parse(r.out)["equilibria"][0]["behavior"];
    REQUIRE(behavior.size() == expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) {
      CAPTURE(k);
      CHECK(behavior[k]["player"] == expected[k].player);
      CHECK(behavior[k]["number"] == expected[k].number);
      CHECK(behavior[k]["label"] == expected[k].label);
      REQUIRE(behavior[k]["actions"].size() == expected[k].actions.size());
      double sum = 0;
      for (std::size_t a = 0; a < expected[k].actions.size(); ++a) {
        CHECK(behavior[k]["actions"][a]["label"] == expected[k].actions[a]);
        sum += behavior[k]["actions"][a]["probability"].get<double>();
      }
      CHECK(sum == doctest::Approx(1));
    }
  }
  // Nim with 5 stones has 12 sets, two pairs of them sharing a label ("Infoset3",
  // "Infoset6"): keyed by label, two would vanish.
  std::vector<FileSet> nim = SetsOfEfg(ReadFile(SharedPath("gambit-games/efg/e10a.efg")));
  CHECK(nim.size() == 12);
}

}  // namespace
}  // namespace parley::testing
