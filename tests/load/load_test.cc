// The one loader: a game file and a scenario file through the same call, the format told by
// the extension in one place, --set refused for game files, and the analysis's compile-only
// mode that reads no game file.
#include <doctest/doctest.h>

#include "solver/io/files.h"
#include "solver/load/load.h"
#include "solver/model/error.h"
#include "tests/test_util.h"

namespace parley::load {
namespace {

using testing::SourcePath;

TEST_SUITE("load") {
  TEST_CASE("a Gambit game file gives a game and no scenario") {
    Input in = LoadInput(SourcePath("tests/data/entry_deterrence.efg"));
    CHECK(in.format == io::InputFormat::kEfg);
    CHECK_FALSE(in.is_scenario());
    REQUIRE(in.game);
    // Entrant's node, Incumbent's node and three terminals (fight, share, stay out).
    CHECK(in.game->num_nodes() == 5);
    CHECK(in.scenario == nullptr);
    CHECK(in.compiled == nullptr);
  }

  TEST_CASE("a scenario file gives its expanded game and its metadata, with overrides") {
    LoadOptions options;
    options.overrides = {"reward=4"};
    Input in = LoadInput(SourcePath("games/prisoners_dilemma.yaml"), options);
    CHECK(in.format == io::InputFormat::kScenario);
    REQUIRE(in.scenario);
    CHECK(in.game == in.scenario->game);
    // Row's move, Column's move in one information set, four outcomes: 1 + 2 + 4 nodes.
    CHECK(in.game->num_nodes() == 7);
    REQUIRE(in.scenario->parameters.size() == 4);
    CHECK(in.scenario->parameters[0].name == "reward");
    CHECK(in.scenario->parameters[0].value == 4);  // the override, not the file's 3
    CHECK(in.scenario->parameters[0].file_value == 3);
  }

  TEST_CASE("--set for a game file is refused, naming the format") {
    LoadOptions options;
    options.overrides = {"x=1"};
    CHECK_THROWS_WITH_AS(LoadInput(SourcePath("tests/data/entry_deterrence.efg"), options),
                         doctest::Contains("--set applies to scenario files (.yaml); a .efg game "
                                           "has no parameters"),
                         Error);
  }

  TEST_CASE("an unknown extension is refused with the formats Parley reads") {
    CHECK_THROWS_WITH_AS(LoadInput("notes.txt"),
                         doctest::Contains("unknown game format '.txt': Parley reads .efg and "
                                           ".nfg (Gambit), .json (Parley game) and .yaml/.yml"),
                         Error);
  }

  TEST_CASE("without expansion a scenario is compiled and a game file is not read") {
    LoadOptions options;
    options.expand = false;
    Input scenario = LoadInput(SourcePath("games/prisoners_dilemma.yaml"), options);
    REQUIRE(scenario.compiled);
    CHECK(scenario.game == nullptr);
    CHECK(scenario.compiled->DefaultValues() == std::vector<double>{3, 5, 0, 1});
    // A file that does not exist: not read, so no error; only the format is known.
    Input game = LoadInput("no-such-file.nfg", options);
    CHECK(game.format == io::InputFormat::kNfg);
    CHECK(game.game == nullptr);
  }

  TEST_CASE("io's own reader refuses a scenario file instead of guessing") {
    CHECK_THROWS_WITH_AS(io::LoadGame(SourcePath("games/prisoners_dilemma.yaml")),
                         doctest::Contains("is a scenario file"), Error);
  }

  TEST_CASE("the extension decides the format in any case, and only these extensions") {
    CHECK(io::FindFormat("a.EFG") == io::InputFormat::kEfg);
    CHECK(io::FindFormat("a.Yml") == io::InputFormat::kScenario);
    CHECK(io::FindFormat("a.json") == io::InputFormat::kGameJson);
    CHECK_FALSE(io::FindFormat("a.yaml.bak").has_value());
    CHECK_FALSE(io::FindFormat("Makefile").has_value());
  }
}

}  // namespace
}  // namespace parley::load
