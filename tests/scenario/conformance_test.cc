// The conformance battery: every file in games/ and scenarios/ loads, validates, shows and
// solves. Files whose game has imperfect information may get UnsupportedError (and only
// that) until a method for them exists.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "solver/equilibrium/solve.h"
#include "solver/model/error.h"
#include "solver/scenario/scenario.h"
#include "tests/test_util.h"

namespace {

std::vector<std::string> ScenarioFiles() {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const char* folder : {"games", "scenarios"}) {
    fs::path dir = parley::testing::SourcePath(folder);
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      std::string ext = entry.path().extension().string();
      if (ext == ".yaml" || ext == ".yml") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_SUITE("scenario conformance") {
  TEST_CASE("every scenario file loads, validates and solves") {
    auto files = ScenarioFiles();
    CHECK(files.size() >= 8);  // the games/ catalogue at least
    for (const std::string& file : files) {
      CAPTURE(file);
      std::shared_ptr<const parley::scenario::Scenario> s;
      try {
        s = parley::scenario::LoadScenario(file);
      } catch (const parley::Error& e) {
        FAIL_CHECK("cannot load: " << std::string(e.what()));
        continue;
      }
      REQUIRE(s->game);
      CHECK(s->game->num_nodes() > 0);
      CHECK(s->players.size() == static_cast<std::size_t>(s->game->num_players()));
      // Every parameter documents where its value comes from, or says it is an assumption.
      for (const auto& p : s->parameters) {
        CAPTURE(p.name);
        CHECK((p.assumption || !p.source.empty()));
      }
      try {
        auto solution = parley::equilibrium::Solve(*s->game, {});
        CHECK(!solution.equilibria.empty());
        for (const auto& eq : solution.equilibria)
          CHECK(eq.payoffs.size() == s->players.size());
      } catch (const parley::UnsupportedError& e) {
        CHECK_MESSAGE(!s->game->perfect_information(),
                      "a game of perfect information must solve: " << e.what());
      }
    }
  }

  TEST_CASE("`parley show` and `parley validate` run on every file") {
    for (const std::string& file : ScenarioFiles()) {
      CAPTURE(file);
      auto shown = parley::testing::RunParley("show '" + file + "'");
      CHECK(shown.exit_code == 0);
      CHECK(shown.out.find("Expanded game:") != std::string::npos);
      auto valid = parley::testing::RunParley("validate '" + file + "'");
      CHECK(valid.exit_code == 0);
      CHECK(valid.out.find(": valid;") != std::string::npos);
    }
  }
}
