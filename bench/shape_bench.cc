// Trees of extreme shape (issue target: a chain 1,000,000 moves deep, and a node with 10^6
// children, each solved and written as text and as JSON in under 2 s; time linear in the
// size). Each benchmark runs what `parley solve FILE.efg [--format json]` runs: the .efg read
// from memory, backward induction, the solution written. The counter `ns_per_node` stays flat
// as the size grows when the cost is linear.
//
//   build/bench/shape_bench
#include <benchmark/benchmark.h>

#include <string>

#include "solver/equilibrium/solve.h"
#include "solver/io/efg.h"
#include "solver/report/solution.h"

namespace {

using namespace parley;

// A chain: n decision nodes with one action each, players alternating, then one terminal.
std::string ChainEfg(std::size_t n) {
  std::string text = "EFG 2 R \"chain\" { \"A\" \"B\" }\n\"\"\n\n";
  for (std::size_t i = 0; i < n; ++i)
    text += "p \"\" " + std::to_string(i % 2 + 1) + " " + std::to_string(i + 1) + " \"\" { \"a\" } 0\n";
  text += "t \"\" 1 \"\" { 1, 2 }\n";
  return text;
}

// An ultimatum game with n offers: the proposer's node has n children, each a responder's
// node (accept / reject) of its own information set.
std::string UltimatumEfg(std::size_t n) {
  std::string text = "EFG 2 R \"ultimatum\" { \"P\" \"R\" }\n\"\"\n\np \"\" 1 1 \"\" {";
  for (std::size_t i = 0; i < n; ++i) text += " \"o" + std::to_string(i) + "\"";
  text += " } 0\n";
  for (std::size_t i = 0; i < n; ++i) {
    text += "p \"\" 2 " + std::to_string(i + 1) + " \"\" { \"y\" \"n\" } 0\n";
    text += "t \"\" " + std::to_string(2 * i + 1) + " \"\" { " + std::to_string(n - i) + ", " +
            std::to_string(i) + " }\n";
    text += "t \"\" " + std::to_string(2 * i + 2) + " \"\" { 0, 0 }\n";
  }
  return text;
}

enum class Output { kText, kJson };

void ReadSolveWrite(benchmark::State& state, const std::string& efg, Output output) {
  std::size_t nodes = 0;
  for (auto _ : state) {
    model::GamePtr game = io::ReadEfg(efg, "bench.efg");
    equilibrium::Solution solution = equilibrium::Solve(*game, {});
    if (output == Output::kText)
      benchmark::DoNotOptimize(report::SolutionText(*game, solution));
    else
    {
      std::size_t bytes = 0;
      report::JsonWriter w([&bytes](std::string_view piece) { bytes += piece.size(); });
      report::WriteSolutionJson(w, *game, solution);
      w.Flush();
      benchmark::DoNotOptimize(bytes);
    }
    nodes = game->num_nodes();
  }
  state.counters["nodes"] = static_cast<double>(nodes);
  state.counters["ns_per_node"] = benchmark::Counter(
      static_cast<double>(nodes) * 1e-9, benchmark::Counter::kIsIterationInvariantRate |
                                             benchmark::Counter::kInvert);
}

void BM_DeepChain(benchmark::State& state) {
  ReadSolveWrite(state, ChainEfg(static_cast<std::size_t>(state.range(0))),
                 static_cast<Output>(state.range(1)));
}
BENCHMARK(BM_DeepChain)
    ->ArgsProduct({{25'000, 100'000, 250'000, 1'000'000}, {0, 1}})
    ->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_WideNode(benchmark::State& state) {
  ReadSolveWrite(state, UltimatumEfg(static_cast<std::size_t>(state.range(0))),
                 static_cast<Output>(state.range(1)));
}
BENCHMARK(BM_WideNode)
    ->ArgsProduct({{25'000, 100'000, 300'000, 1'000'000}, {0, 1}})
    ->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
