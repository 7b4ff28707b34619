// A bounded fuzz test of the scenario reader: random mutations of the games/ files (bytes
// deleted, inserted, duplicated, lines swapped, numbers replaced by extreme ones) must only
// ever produce a game or a parley::Error: never a crash, another exception or a hang.
// The seed is fixed, so a failure reproduces; PARLEY_FUZZ_ITERATIONS raises the count.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "solver/model/error.h"
#include "solver/scenario/scenario.h"
#include "tests/test_util.h"

namespace {

std::string Mutate(std::string text, std::mt19937& rng) {
  static const std::vector<std::string> kTokens{
      ":",  "-", "[", "]", "{", "}", "\n", " ", "\"", "'", "&a ", "*a", "#", "?", "!",
      "0",  "-1", "1e308", "nan", "1/0", "0.5", "999999", "name", "player", "actions",
      "from", "to", "repeat", "stages", "nature", "observe: none", "condition", "payoffs",
      "if(", ")", "(", ",", "and", "not", "%", "^", "tree", "moves", "probabilities", "\t"};
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !text.empty(); ++e) {
    std::size_t pos = rng() % (text.size() + 1);
    switch (rng() % 7) {
      case 0:  // delete a span
        text.erase(pos, 1 + rng() % 12);
        break;
      case 1:  // insert a token
        text.insert(pos, kTokens[rng() % kTokens.size()]);
        break;
      case 2: {  // duplicate a span
        std::size_t len = 1 + rng() % 60;
        text.insert(pos, text.substr(pos, len));
        break;
      }
      case 3: {  // swap two lines
        std::vector<std::string> lines;
        std::size_t start = 0;
        while (start <= text.size()) {
          std::size_t end = text.find('\n', start);
          if (end == std::string::npos) end = text.size();
          lines.push_back(text.substr(start, end - start));
          start = end + 1;
        }
        if (lines.size() > 1) std::swap(lines[rng() % lines.size()], lines[rng() % lines.size()]);
        text.clear();
        for (std::size_t i = 0; i < lines.size(); ++i) text += (i ? "\n" : "") + lines[i];
        break;
      }
      case 4: {  // replace a digit run by an extreme number
        std::size_t d = text.find_first_of("0123456789", pos);
        if (d == std::string::npos) break;
        std::size_t end = text.find_first_not_of("0123456789.", d);
        static const char* kNumbers[] = {"0", "-5", "100000", "1e9", "0.0001", "3.5", "1e-300"};
        text.replace(d, (end == std::string::npos ? text.size() : end) - d,
                     kNumbers[rng() % 7]);
        break;
      }
      case 5:  // truncate
        text.resize(pos);
        break;
      default:  // flip a byte
        if (pos < text.size()) text[pos] = static_cast<char>(rng() % 256);
        break;
    }
  }
  return text;
}

}  // namespace

TEST_SUITE("scenario fuzz") {
  TEST_CASE("random mutations of the catalogue only ever throw parley::Error") {
    namespace fs = std::filesystem;
    std::vector<std::string> seeds;
    for (const auto& entry : fs::directory_iterator(parley::testing::SourcePath("games")))
      if (entry.path().extension() == ".yaml")
        seeds.push_back(parley::testing::ReadFile(entry.path().string()));
    std::sort(seeds.begin(), seeds.end());
    REQUIRE(!seeds.empty());
    int iterations = 3000;
    if (const char* env = std::getenv("PARLEY_FUZZ_ITERATIONS")) iterations = std::atoi(env);
    std::mt19937 rng(20240601);
    parley::scenario::ScenarioOptions options;
    options.max_nodes = 20000;  // keeps every expansion small: a hang would be a bug
    int games = 0, errors = 0;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) {
      std::string text = Mutate(seeds[rng() % seeds.size()], rng);
      try {
        auto s = parley::scenario::ReadScenario(text, "fuzz.yaml", options);
        CHECK(s->game != nullptr);
        ++games;
      } catch (const parley::Error& e) {
        ++errors;
        std::string what = e.what();
        // One line, with the file named.
        CHECK_MESSAGE(what.find('\n') == std::string::npos, what);
        CHECK_MESSAGE(what.rfind("fuzz.yaml", 0) == 0, what);
      } catch (const std::exception& e) {
        FAIL("iteration " << i << ": " << e.what() << "\n--- input ---\n" << text);
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MESSAGE(iterations << " mutations: " << games << " games, " << errors << " errors, "
                       << seconds << " s");
    CHECK(games + errors == iterations);
  }
}
