// Solves per second of the OpenAI-Microsoft scenario as sweeps and Monte Carlo use it
// (expansion, the no-deal branches, bargaining and the subgame-perfect solve), on one core.
// Target (issue 6): at least 10,000 per second per core.
//
//   build/bench/analysis_bench
#include <benchmark/benchmark.h>

#include "solver/analysis/analysis.h"
#include "solver/analysis/scenario_model.h"

namespace {

using namespace parley;

const analysis::Model& OpenAiMicrosoft() {
  static analysis::Model model =
      analysis::ScenarioModel(std::string(PARLEY_SOURCE_DIR) + "/bench/data/openai_microsoft_v1.yaml", {});
  return model;
}

void BM_OpenAiMicrosoftSolve(benchmark::State& state) {
  const analysis::Model& m = OpenAiMicrosoft();
  auto evaluate = m.make_evaluator();
  std::vector<double> values = m.base_values;
  std::size_t power = m.ParameterIndex("openai_power");
  std::size_t i = 0;
  for (auto _ : state) {
    values[power] = 0.05 + 0.9 * static_cast<double>(i++ % 1000) / 1000.0;
    benchmark::DoNotOptimize(evaluate(values));
  }
  state.counters["solves/s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_OpenAiMicrosoftSolve)->Unit(benchmark::kMicrosecond);

void BM_OpenAiMicrosoftMonteCarlo(benchmark::State& state) {
  const analysis::Model& m = OpenAiMicrosoft();
  analysis::RunOptions options;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(analysis::RunMonteCarlo(m, 20000, 1, options));
  state.counters["samples/s"] = benchmark::Counter(20000.0 * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_OpenAiMicrosoftMonteCarlo)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
