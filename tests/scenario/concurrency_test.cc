// One compiled scenario expanded from several threads at once, each thread with its own
// workspace and its own parameter values: every result must be exactly the single-threaded
// expansion of the same values. Run under ThreadSanitizer (scripts/sanitize.sh), this is the
// check that Expand shares nothing mutable between threads.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "solver/model/error.h"
#include "solver/scenario/scenario.h"
#include "tests/test_util.h"

using parley::scenario::CompiledScenario;
using parley::scenario::Expansion;
using parley::scenario::ExpansionWorkspace;
using parley::scenario::ExpandOptions;
using parley::testing::ReadFile;
using parley::testing::SourcePath;

namespace {

// Everything an expansion yields, as text: the tree (kind, information set, children and
// payoffs of every node, chance probabilities), the bargaining steps and the counters; or
// the error's message.
std::string Fingerprint(const CompiledScenario& compiled, const std::vector<double>& values,
                        ExpansionWorkspace* workspace) {
  Expansion x;
  try {
    ExpandOptions options;
    options.max_nodes = 200'000;
    x = workspace ? compiled.Expand(values, options, *workspace) : compiled.Expand(values, options);
  } catch (const parley::Error& e) {
    return std::string("error: ") + e.what();
  }
  const auto& g = *x.game;
  std::string out;
  auto put = [&](double v) { out += std::to_string(v) + ","; };
  for (parley::model::NodeId v = 0; v < g.num_nodes(); ++v) {
    out += "|" + std::to_string(static_cast<int>(g.kind(v))) + ":" +
           std::to_string(g.num_children(v)) + ":";
    if (g.is_terminal(v)) {
      for (double p : g.payoffs(g.outcome(v))) put(p);
    } else {
      auto h = g.infoset(v);
      out += std::string(g.infoset_label(h)) + ":";
      if (g.player(v) < 0)
        for (std::uint32_t a = 0; a < g.num_actions(h); ++a) put(g.chance_prob(h, a));
    }
  }
  for (const auto& b : x.bargains) {
    out += "#" + b.stage + "@" + std::to_string(b.node) + ":";
    for (double p : b.step.payoffs) put(p);
    for (double v : b.step.issue_values) put(v);
  }
  out += "#" + std::to_string(x.stats.evaluations) + "/" + std::to_string(x.stats.payoff_evaluations);
  return out;
}

// Parameter values spread over each parameter's range (the file's value where it has none),
// from a fixed linear congruential sequence.
std::vector<std::vector<double>> Draws(const CompiledScenario& compiled, std::size_t count) {
  std::uint64_t state = 12345;
  auto uniform = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  std::vector<std::vector<double>> out;
  for (std::size_t k = 0; k < count; ++k) {
    std::vector<double> values = compiled.DefaultValues();
    const auto& parameters = compiled.info().parameters;
    for (std::size_t i = 0; i < values.size(); ++i)
      if (parameters[i].min && parameters[i].max)
        values[i] = *parameters[i].min + (*parameters[i].max - *parameters[i].min) * uniform();
    out.push_back(values);
  }
  return out;
}

}  // namespace

TEST_SUITE("parallel scenario expansion") {
  TEST_CASE("expansions from several threads at once equal single-threaded ones") {
    for (const char* file : {"bench/data/openai_microsoft_v1.yaml", "games/ultimatum.yaml",
                             "games/holdup_nash.yaml"}) {
      CAPTURE(file);
      auto compiled = CompiledScenario::Compile(ReadFile(SourcePath(file)), file);
      const auto draws = Draws(*compiled, 12);
      std::vector<std::string> expected;
      for (const auto& values : draws) expected.push_back(Fingerprint(*compiled, values, nullptr));
      // The draws differ (else the test would not tell threads' values apart), and most
      // expand (an error's message is compared too).
      CHECK(expected.front() != expected.back());
      std::size_t errors = 0;
      for (const auto& e : expected) errors += e.rfind("error: ", 0) == 0 ? 1 : 0;
      CHECK(errors < draws.size() / 2);

      constexpr std::size_t kThreads = 4;
      std::vector<std::vector<std::string>> got(kThreads, std::vector<std::string>(draws.size()));
      std::vector<std::thread> threads;
      for (std::size_t t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
          ExpansionWorkspace workspace(*compiled);
          // Each thread starts at another draw, so that different values expand at once;
          // twice round, so that the workspace is reused.
          for (std::size_t k = 0; k < 2 * draws.size(); ++k) {
            std::size_t i = (k + t * 3) % draws.size();
            got[t][i] = Fingerprint(*compiled, draws[i], &workspace);
          }
        });
      for (auto& thread : threads) thread.join();
      for (std::size_t t = 0; t < kThreads; ++t)
        for (std::size_t i = 0; i < draws.size(); ++i) {
          CAPTURE(t);
          CAPTURE(i);
          CHECK(got[t][i] == expected[i]);
        }
    }
  }
}
