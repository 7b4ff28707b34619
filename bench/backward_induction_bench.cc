// Backward induction speed and the game's memory per node (issue targets: >= 100 million
// nodes per second on one core over a 10-million-node tree; <= 48 bytes per node for a built
// two-player game; a 1-million-node .efg loaded and solved end to end in under 1 s).
//
//   build/bench/backward_induction_bench
//   build/bench/backward_induction_bench --write-efg=big.efg --nodes=1000000   (then time the CLI)
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "bench/random_tree.h"
#include "solver/equilibrium/backward_induction.h"
#include "solver/io/efg.h"
#include "solver/io/files.h"

namespace {

using namespace parley;

const model::Game& Tree(std::size_t nodes) {
  static std::map<std::size_t, model::GamePtr> cache;
  auto& g = cache[nodes];
  if (!g) g = bench::RandomPerfectInformationTree({nodes, 2, 0.1, 42});
  return *g;
}

void BM_BackwardInductionSweep(benchmark::State& state) {
  const model::Game& g = Tree(static_cast<std::size_t>(state.range(0)));
  std::vector<double> values(static_cast<std::size_t>(g.num_nodes()) * g.num_players());
  std::vector<std::uint32_t> choice(g.num_infosets());
  for (auto _ : state) {
    benchmark::DoNotOptimize(equilibrium::BackwardInductionSweep(g, values, choice));
    benchmark::ClobberMemory();
  }
  state.counters["nodes/s"] = benchmark::Counter(static_cast<double>(g.num_nodes()) * state.iterations(),
                                                 benchmark::Counter::kIsRate);
  state.counters["game_bytes/node"] = static_cast<double>(g.MemoryBytes()) / g.num_nodes();
}
BENCHMARK(BM_BackwardInductionSweep)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_SolveBackwardInduction(benchmark::State& state) {
  const model::Game& g = Tree(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(equilibrium::SolveBackwardInduction(g));
  state.counters["nodes/s"] = benchmark::Counter(static_cast<double>(g.num_nodes()) * state.iterations(),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SolveBackwardInduction)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_ReadEfgAndSolve(benchmark::State& state) {
  const model::Game& g = Tree(static_cast<std::size_t>(state.range(0)));
  std::string path = (std::filesystem::temp_directory_path() / "parley-bench-1m.efg").string();
  { std::ofstream(path) << io::WriteEfgString(g); }
  for (auto _ : state) {
    auto game = io::LoadGame(path);
    benchmark::DoNotOptimize(equilibrium::SolveBackwardInduction(*game));
  }
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  std::filesystem::remove(path);
}
BENCHMARK(BM_ReadEfgAndSolve)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_BuildGame(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(bench::RandomPerfectInformationTree({static_cast<std::size_t>(state.range(0)), 2, 0.1, 7}));
}
BENCHMARK(BM_BuildGame)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

int main(int argc, char** argv) {
  // --write-efg=PATH [--nodes=N] writes a random tree for end-to-end CLI timing and exits.
  std::string write;
  std::size_t nodes = 1'000'000;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--write-efg=", 12) == 0) write = argv[i] + 12;
    if (std::strncmp(argv[i], "--nodes=", 8) == 0) nodes = std::stoul(argv[i] + 8);
  }
  if (!write.empty()) {
    auto g = parley::bench::RandomPerfectInformationTree({nodes, 2, 0.1, 42});
    parley::io::WriteFileAtomically(write, parley::io::WriteEfgString(*g));
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
