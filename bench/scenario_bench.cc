// Expansion speed of stage-based scenarios: a compiled scenario expanded into a tree of about
// one million nodes, payoffs as formulas over several parameters. Reports nodes per second and
// the time per evaluated payoff formula (the counter "ns_per_payoff").
//   build-scen/bench/scenario_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <string>

#include "solver/scenario/scenario.h"

namespace {

// Proposer offers 0..offers-1 (in units of cake/offers); nature draws a shock of 3 sizes;
// the Responder accepts or rejects after seeing both; a second offer round after rejection.
// Nodes: 1 + n (1 + 3 (1 + 2 + n (1 + 2))) = about 9 n^2: n = 330 gives 984,971 nodes.
// "ns_per_payoff" is the whole expansion's time divided by the payoff formulas evaluated
// (2 per terminal), so it is an upper bound on the cost of one formula.
std::string Scenario(int offers) {
  return "title: bench\n"
         "players: [P, R]\n"
         "parameters:\n"
         "  cake: 100\n"
         "  n: " + std::to_string(offers) + "\n"
         "  delta: 0.9\n"
         "  risk: 0.2\n"
         "  cost: 1.5\n"
         "stages:\n"
         "  - {name: offer, player: P, actions: {from: 0, to: n - 1}}\n"
         "  - {name: shock, player: nature, actions: [-1, 0, 1], probabilities: [risk, 1 - 2 * risk, risk]}\n"
         "  - {name: respond, player: R, actions: [accept, reject]}\n"
         "  - {name: offer2, player: P, actions: {from: 0, to: n - 1}, condition: respond == reject}\n"
         "  - {name: respond2, player: R, actions: [yes, no], condition: respond == reject}\n"
         "payoffs:\n"
         "  P: if(respond == accept, cake * (1 - offer / n) + shock * cost, if(respond2 == yes, delta * cake * (1 - offer2 / n), -cost))\n"
         "  R: if(respond == accept, cake * offer / n - shock * cost, if(respond2 == yes, delta * cake * offer2 / n, -cost * (1 + risk)))\n";
}

void BM_ExpandScenario(benchmark::State& state) {
  auto compiled = parley::scenario::CompiledScenario::Compile(Scenario(static_cast<int>(state.range(0))), "bench.yaml");
  auto values = compiled->DefaultValues();
  parley::scenario::ExpansionWorkspace workspace(*compiled);
  std::size_t nodes = 0, payoffs = 0;
  for (auto _ : state) {
    auto expansion = compiled->Expand(values, {}, workspace);
    benchmark::DoNotOptimize(expansion.game);
    nodes += expansion.game->num_nodes();
    payoffs += expansion.stats.payoff_evaluations;
  }
  state.counters["nodes"] = static_cast<double>(nodes / state.iterations());
  state.counters["nodes_per_s"] = benchmark::Counter(static_cast<double>(nodes), benchmark::Counter::kIsRate);
  state.counters["payoffs_per_s"] = benchmark::Counter(static_cast<double>(payoffs), benchmark::Counter::kIsRate);
  state.counters["ns_per_payoff"] = benchmark::Counter(
      static_cast<double>(payoffs) * 1e-9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ExpandScenario)->Arg(100)->Arg(330)->Unit(benchmark::kMillisecond);

// Re-expansion with new parameter values, as a sweep does: the ultimatum game, 101 offers.
void BM_SweepUltimatum(benchmark::State& state) {
  auto compiled = parley::scenario::CompiledScenario::Compile(
      "players: [P, R]\nparameters: {cake: 100}\n"
      "stages:\n  - {name: offer, player: P, actions: {from: 0, to: cake}}\n"
      "  - {name: respond, player: R, actions: [accept, reject]}\n"
      "payoffs:\n  P: if(respond == accept, cake - offer, 0)\n  R: if(respond == accept, offer, 0)\n",
      "sweep.yaml");
  auto values = compiled->DefaultValues();
  parley::scenario::ExpansionWorkspace workspace(*compiled);
  for (auto _ : state) {
    auto expansion = compiled->Expand(values, {}, workspace);
    benchmark::DoNotOptimize(expansion.game);
  }
  state.counters["expansions_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SweepUltimatum)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
