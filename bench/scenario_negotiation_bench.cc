// A bargain stage with the negotiation keys: three range issues, one constraint and a
// two-stage `after_agreement` (an authority's review, then a court's ruling by chance), so
// every agreement's payoff is the subgame-perfect value of a small continuation game. The
// target is under 50 ms per expansion, so that sweeps and Monte Carlo
// over such scenarios stay practical.
//   build/bench/scenario_negotiation_bench --benchmark_filter=Negotiation
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "solver/scenario/scenario.h"

namespace {

const char* kScenario = R"(title: bench
players: [Acquirer, Target, Authority]
parameters:
  synergy: 100
  harm: 20
  effect: 50
  cap: 220
stages:
  - name: merger
    bargain:
      parties: [Acquirer, Target]
      issues:
        price: {from: 0, to: 100}
        divest: {from: 0, to: 1}
        earnout: {from: 0, to: 20}
      constraints:
        - price + earnout <= cap - 160 + 30 * divest
      after_agreement:
        - name: review
          player: Authority
          actions: [clear, block]
        - name: appeal
          player: nature
          condition: review == block
          actions: [upheld, overturned]
          probabilities: [0.8, 0.2]
payoffs:
  Acquirer: if(review == clear || appeal == overturned, synergy - 40 * divest - price - 0.9 * earnout, 0)
  Target: if(review == clear || appeal == overturned, price + earnout, 0)
  Authority: if(review == clear || appeal == overturned, effect * divest - harm, 0)
)";

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Expands `text` once per iteration; returns the payoff formulas evaluated per expansion.
std::size_t ExpandEach(benchmark::State& state, const char* text, const char* name) {
  auto compiled = parley::scenario::CompiledScenario::Compile(text, name);
  auto values = compiled->DefaultValues();
  parley::scenario::ExpansionWorkspace workspace(*compiled);
  std::size_t evaluations = 0;
  for (auto _ : state) {
    auto expansion = compiled->Expand(values, {50'000'000, /*fast_bargains=*/true}, workspace);
    benchmark::DoNotOptimize(expansion.game);
    evaluations += expansion.stats.payoff_evaluations;
  }
  state.counters["payoff_evaluations"] = static_cast<double>(evaluations / state.iterations());
  return evaluations;
}

void BM_NegotiationAfterAgreement(benchmark::State& state) {
  ExpandEach(state, kScenario, "bench.yaml");
}
BENCHMARK(BM_NegotiationAfterAgreement)->Unit(benchmark::kMillisecond);

// The cost of one agreement's payoff with stages after it (the oracle): one issue, every
// player at the table, a one-stage review (bench/data/review_after_agreement.yaml, which a
// test solves by hand too); "s_per_1M_payoffs" is the time per million payoff formulas
// evaluated (each oracle call evaluates the 3 payoffs at 2 terminals).

void BM_NegotiationReviewOracle(benchmark::State& state) {
  const std::string text = ReadText(std::string(PARLEY_SOURCE_DIR) + "/bench/data/review_after_agreement.yaml");
  const std::size_t evaluations = ExpandEach(state, text.c_str(), "review.yaml");
  state.counters["s_per_1M_payoffs"] = benchmark::Counter(
      static_cast<double>(evaluations) * 1e-6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_NegotiationReviewOracle)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
