// Report speed (issue target: a report of a 10,000-node game in under 2 seconds, the drawing
// collapsed). Random perfect-information trees from bench/random_tree.h.
//
//   build/bench/report_bench
//   build/bench/backward_induction_bench --write-efg=big.efg --nodes=10000   (then time the CLI)
//   /usr/bin/time -f "%e s, %M KB" build/cli/parley report big.efg -o big.html
#include <benchmark/benchmark.h>

#include <map>

#include "bench/random_tree.h"
#include "solver/equilibrium/solve.h"
#include "solver/report/dot.h"
#include "solver/report/explain.h"
#include "solver/report/html.h"
#include "solver/report/markdown.h"
#include "solver/report/report.h"

namespace {

using namespace parley;

struct Solved {
  model::GamePtr game;
  equilibrium::Solution solution;
};

const Solved& Tree(std::size_t nodes) {
  static std::map<std::size_t, Solved> cache;
  Solved& s = cache[nodes];
  if (!s.game) {
    s.game = bench::RandomPerfectInformationTree({nodes, 2, 0.1, 42});
    s.solution = equilibrium::Solve(*s.game, {});
  }
  return s;
}

void Nodes(benchmark::State& state, const Solved& s) {
  state.counters["nodes"] = static_cast<double>(s.game->num_nodes());
}

void BM_DrawTreeDot(benchmark::State& state) {
  const Solved& s = Tree(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(report::DrawTree(*s.game, &s.solution.equilibria.front()));
  Nodes(state, s);
}
BENCHMARK(BM_DrawTreeDot)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_LayoutSvg(benchmark::State& state) {
  const Solved& s = Tree(static_cast<std::size_t>(state.range(0)));
  std::string dot = report::DrawTree(*s.game, &s.solution.equilibria.front()).dot;
  for (auto _ : state) benchmark::DoNotOptimize(report::LayoutDot(dot, "svg"));
  Nodes(state, s);
}
BENCHMARK(BM_LayoutSvg)->Arg(10'000)->Unit(benchmark::kMillisecond);

void BM_Explain(benchmark::State& state) {
  const Solved& s = Tree(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(report::Explain(*s.game, s.solution.equilibria.front()));
  Nodes(state, s);
}
BENCHMARK(BM_Explain)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Everything after solving: every section built (Graphviz layout included) and rendered.
void BM_ReportHtml(benchmark::State& state) {
  const Solved& s = Tree(static_cast<std::size_t>(state.range(0)));
  report::ReportInput in;
  in.game = s.game.get();
  in.scenario = report::ScenarioFromGame(*s.game);
  in.solution = &s.solution;
  for (auto _ : state) benchmark::DoNotOptimize(report::RenderHtml(report::BuildReport(in)));
  Nodes(state, s);
}
BENCHMARK(BM_ReportHtml)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

// Solve and report, as `parley report` does after reading the file.
void BM_SolveAndReport(benchmark::State& state) {
  const Solved& s = Tree(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto solution = equilibrium::Solve(*s.game, {});
    report::ReportInput in;
    in.game = s.game.get();
    in.scenario = report::ScenarioFromGame(*s.game);
    in.solution = &solution;
    benchmark::DoNotOptimize(report::RenderHtml(report::BuildReport(in)));
  }
  Nodes(state, s);
}
BENCHMARK(BM_SolveAndReport)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
