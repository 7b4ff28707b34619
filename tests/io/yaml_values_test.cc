// The YAML helpers every reader shares: booleans as YAML 1.2's core schema spells them (and
// nothing else), located messages, and the did-you-mean hint.
#include <doctest/doctest.h>

#include "solver/io/yaml_values.h"
#include "solver/model/error.h"

namespace parley::io {
namespace {

YAML::Node Value(const std::string& text) { return YAML::Load("key:\n    " + text)["key"]; }

TEST_SUITE("io") {
  TEST_CASE("booleans: the YAML 1.2 core spellings and no others") {
    for (const char* yes : {"true", "True", "TRUE"}) CHECK(YamlBool(Value(yes), "f.yaml", "'x'"));
    for (const char* no : {"false", "False", "FALSE"}) CHECK_FALSE(YamlBool(Value(no), "f.yaml", "'x'"));
    // YAML 1.1's yes/no/on/off read as text in YAML 1.2: refused where they stand (line 2,
    // column 5: the value is indented by four spaces on the second line).
    for (const char* other : {"yes", "no", "on", "off", "1", "tru"}) {
      CAPTURE(other);
      CHECK_THROWS_WITH_AS(YamlBool(Value(other), "f.yaml", "'lotteries'"),
                           ("f.yaml:2:5: 'lotteries' must be true or false, not '" +
                            std::string(other) + "'").c_str(),
                           ParseError);
    }
    CHECK_THROWS_WITH_AS(YamlBool(Value("[true]"), "f.yaml", "'x'"),
                         "f.yaml:2:5: 'x' must be true or false", ParseError);
  }

  TEST_CASE("did you mean: the nearest candidate within a third of the word") {
    std::vector<std::string> keys = {"players", "payoffs", "parameters", "stages"};
    // "player" is one deletion from "players"; 6 letters allow a distance of 2.
    CHECK(Suggest("player", keys) == "players");
    CHECK(DidYouMean("player", keys) == " (did you mean 'players'?)");
    // Case does not count: distance 0, but not the same word.
    CHECK(Suggest("STAGES", keys) == "stages");
    // "stage" -> "stages" (1) beats anything else.
    CHECK(Suggest("stage", keys) == "stages");
    // Nothing near: no hint. "xyz" has 3 letters, so only a distance of 1 would do.
    CHECK(Suggest("xyz", keys).empty());
    CHECK(DidYouMean("xyz", keys).empty());
    // The word itself is not a suggestion.
    CHECK(Suggest("players", keys).empty());
  }
}

}  // namespace
}  // namespace parley::io
