// Evaluations per second of a compiled scenario, as a sweep point or a Monte Carlo sample
// costs them: expand the game for one draw of the parameters (fast bargains, as analysis runs
// them) and solve it, through CompiledScenario's public API and one ExpansionWorkspace per
// thread. The scenario is bench/data/openai_microsoft_v1.yaml, a frozen copy of
// scenarios/openai_microsoft.yaml, so that the figure stays comparable when the scenario is
// rebuilt. Issue 15's compile-once target: at least 100,000 evaluations per second per core,
// and two threads at least 1.8 times one. BM_CompiledOpenAiMicrosoftV1 runs the same
// evaluations through scenario::CompiledEvaluator (the games kept, their numbers rewritten);
// BM_CompiledOpenAiMicrosoftV2 the same on the second edition, scenarios/openai_microsoft.yaml.
// These move one parameter, as a sweep, a bisection or the explorer's slider does: within a
// scratch most of an evaluation repeats the one before and is reused (the bargains' corners
// and hull, the no-deal values, terminal payoffs). BM_CompiledOpenAiMicrosoftV1Draws draws
// every parameter that has a `distribution` for each evaluation, as Monte Carlo does, where
// that reuse cannot help. Each compiled row also reports `allocs`, the heap allocations per
// evaluation (Evaluate alone, counted by tests/allocation/allocation_counter.cc): issue 15 asks
// for none in the steady state.
//
//   build/bench/scenario_eval_bench
#include <benchmark/benchmark.h>

#include <cstddef>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "solver/analysis/analysis.h"
#include "solver/analysis/random.h"
#include "solver/equilibrium/solve.h"
#include "solver/scenario/compiled_evaluator.h"
#include "solver/scenario/scenario.h"
#include "tests/allocation/allocation_counter.h"

namespace {

using namespace parley;

// The scenario at this path under the source tree, compiled.
std::shared_ptr<const scenario::CompiledScenario> CompileSource(const std::string& relative) {
  const std::string path = std::string(PARLEY_SOURCE_DIR) + "/" + relative;
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return scenario::CompiledScenario::Compile(text.str(), path);
}

std::shared_ptr<const scenario::CompiledScenario> FrozenOpenAiMicrosoftPtr() {
  static const std::shared_ptr<const scenario::CompiledScenario> compiled =
      CompileSource("bench/data/openai_microsoft_v1.yaml");
  return compiled;
}
const scenario::CompiledScenario& FrozenOpenAiMicrosoft() { return *FrozenOpenAiMicrosoftPtr(); }

// Each evaluation moves OpenAI's bargaining power (0.05 to 0.95 in 1,000 steps, as
// analysis_bench does), so that no evaluation repeats the one before; the other parameters
// keep the file's values (some combinations of the others' ranges make no valid scenario).
void BM_EvaluateOpenAiMicrosoftV1(benchmark::State& state) {
  const scenario::CompiledScenario& compiled = FrozenOpenAiMicrosoft();
  scenario::ExpansionWorkspace workspace(compiled);
  std::vector<double> values = compiled.DefaultValues();
  const int power = compiled.info().FindParameter("openai_power");
  if (power < 0) {
    state.SkipWithError("the scenario has no parameter openai_power");
    return;
  }
  scenario::ExpandOptions options;
  options.fast_bargains = true;
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 499;
  for (auto _ : state) {
    values[static_cast<std::size_t>(power)] = 0.05 + 0.9 * static_cast<double>(i++ % 1000) / 1000.0;
    scenario::Expansion expansion = compiled.Expand(values, options, workspace);
    equilibrium::Solution solution = equilibrium::Solve(*expansion.game, {});
    benchmark::DoNotOptimize(solution.equilibria.front().payoffs.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EvaluateOpenAiMicrosoftV1)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// Evaluations through `evaluator` (scenario/compiled_evaluator.h), moving `parameter` over
// [lo, hi] in 1,000 steps (openai_power over 0.05 to 0.95 by default, as above): each thread
// keeps the games of its first evaluation and rewrites their numbers, as sweeps and Monte
// Carlo do.
void EvaluateCompiled(benchmark::State& state, const scenario::CompiledEvaluator& evaluator,
                      const std::string& parameter = "openai_power", double lo = 0.05, double hi = 0.95) {
  scenario::CompiledEvaluator::Scratch scratch(evaluator);
  std::vector<double> values = evaluator.scenario().DefaultValues();
  const int power = evaluator.scenario().info().FindParameter(parameter);
  if (power < 0) {
    state.SkipWithError(("the scenario has no parameter " + parameter).c_str());
    return;
  }
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 499;
  std::size_t allocated = 0;
  for (auto _ : state) {
    values[static_cast<std::size_t>(power)] = lo + (hi - lo) * static_cast<double>(i++ % 1000) / 1000.0;
    const std::size_t before = testing::ThreadAllocations();
    const scenario::Expansion& expansion = evaluator.Evaluate(values, scratch);
    allocated += testing::ThreadAllocations() - before;
    equilibrium::Solution solution = equilibrium::Solve(*expansion.game, {});
    benchmark::DoNotOptimize(solution.equilibria.front().payoffs.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  // Heap allocations per evaluation (Evaluate alone, not the Solve after it).
  state.counters["allocs"] = benchmark::Counter(static_cast<double>(allocated),
                                                benchmark::Counter::kAvgIterations);
  if (scratch.expansions() > 1) state.SkipWithError("the kept games were not used");
}

scenario::ExpandOptions FastBargains() {
  scenario::ExpandOptions options;
  options.fast_bargains = true;
  return options;
}

void BM_CompiledOpenAiMicrosoftV1(benchmark::State& state) {
  static const scenario::CompiledEvaluator evaluator(FrozenOpenAiMicrosoftPtr(), FastBargains());
  EvaluateCompiled(state, evaluator);
}
BENCHMARK(BM_CompiledOpenAiMicrosoftV1)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// Monte Carlo on v1: every parameter with a distribution drawn for each evaluation (1,000
// vectors drawn before timing, seed 2025; each thread starts at another place in them).
void BM_CompiledOpenAiMicrosoftV1Draws(benchmark::State& state) {
  static const scenario::CompiledEvaluator evaluator(FrozenOpenAiMicrosoftPtr(), FastBargains());
  static const std::vector<std::vector<double>> draws = [] {
    const scenario::CompiledScenario& compiled = FrozenOpenAiMicrosoft();
    const auto& parameters = compiled.info().parameters;
    std::vector<std::vector<double>> out;
    for (std::size_t i = 0; i < 1000; ++i) {
      analysis::Xoshiro256 rng(2025, i);
      std::vector<double> values = compiled.DefaultValues();
      for (std::size_t p = 0; p < parameters.size(); ++p)
        if (parameters[p].distribution) values[p] = analysis::Draw(*parameters[p].distribution, values[p], rng);
      out.push_back(std::move(values));
    }
    return out;
  }();
  scenario::CompiledEvaluator::Scratch scratch(evaluator);
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 499;
  std::size_t allocated = 0;
  for (auto _ : state) {
    const std::size_t before = testing::ThreadAllocations();
    const scenario::Expansion& expansion = evaluator.Evaluate(draws[i++ % draws.size()], scratch);
    allocated += testing::ThreadAllocations() - before;
    equilibrium::Solution solution = equilibrium::Solve(*expansion.game, {});
    benchmark::DoNotOptimize(solution.equilibria.front().payoffs.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  // Heap allocations per evaluation (Evaluate alone, not the Solve after it).
  state.counters["allocs"] = benchmark::Counter(static_cast<double>(allocated),
                                                benchmark::Counter::kAvgIterations);
  if (scratch.expansions() > 1) state.SkipWithError("the kept games were not used");
}
BENCHMARK(BM_CompiledOpenAiMicrosoftV1Draws)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// A textbook game's power sweep (games/holdup_nash.yaml, `parley thresholds
// games/holdup_nash.yaml --vary power=0.01:0.99`): its bargain allows lotteries (the default), so a
// kept hull keeps the whole set's ideal point and frontier and a new power runs only the Nash
// step. Moves `power` over 0.01 to 0.99.
void BM_CompiledHoldupPowerSweep(benchmark::State& state) {
  static const scenario::CompiledEvaluator evaluator(CompileSource("games/holdup_nash.yaml"), FastBargains());
  EvaluateCompiled(state, evaluator, "power", 0.01, 0.99);
}
BENCHMARK(BM_CompiledHoldupPowerSweep)->Unit(benchmark::kMicrosecond);

// The second edition, scenarios/openai_microsoft.yaml (the explorer redraws with it): the
// same compiled evaluations, moving its openai_power the same way. It is not frozen, so its
// figure follows the scenario as it is rebuilt.
void BM_CompiledOpenAiMicrosoftV2(benchmark::State& state) {
  static const scenario::CompiledEvaluator evaluator(CompileSource("scenarios/openai_microsoft.yaml"),
                                                     FastBargains());
  EvaluateCompiled(state, evaluator);
}
BENCHMARK(BM_CompiledOpenAiMicrosoftV2)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
