// `parley solve` on imperfect-information games through the real binary: the text shows the
// mover and the mixed behaviour, JSON has `behavior` and `method`, --method overrides, and
// the refusals print one clear error line.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

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
  CHECK(doc["equilibria"][0]["behavior"]["after complaint"]["settle"] == "1/4");
  CHECK(doc["equilibria"][0]["behavior"]["complaint"]["press"] == "1/2");
  CHECK(doc["method"].get<std::string>().find("Lemke") != std::string::npos);
  CHECK(doc["equilibria"][0]["max_gain"] == 0);
}

TEST_CASE("parley solve --method: lp needs constant sum; unknown methods are refused") {
  std::string path = WriteTempFile("complaint2.efg", kComplaint);
  RunResult lp = RunParley("solve " + path + " --method lp");
  CHECK(lp.exit_code != 0);
  CHECK(lp.err.find("constant-sum") != std::string::npos);
  RunResult bi = RunParley("solve " + path + " --method backward-induction");
  CHECK(bi.exit_code != 0);
  RunResult bad = RunParley("solve " + path + " --method simplex");
  CHECK(bad.exit_code != 0);
}

TEST_CASE("parley solve refuses games without perfect recall and 3-player imperfect games") {
  if (!SharedOrSkip()) return;
  RunResult recall = RunParley("solve " + SharedPath("gambit-games/efg/myerson.efg"));
  CHECK(recall.exit_code != 0);
  CHECK(recall.err.find("perfect recall") != std::string::npos);
  RunResult three = RunParley("solve " + SharedPath("gambit-games/efg/e05.efg"));
  CHECK(three.exit_code != 0);
  CHECK(three.err.find("two players") != std::string::npos);
}

}  // namespace
}  // namespace parley::testing
