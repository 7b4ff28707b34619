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
#include "solver/report/tree_layout.h"
#include "solver/report/tree_svg.h"
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

// The drawing as the report makes it: nodes chosen (collapsed), laid out, written as SVG.
void BM_DrawTreeSvg(benchmark::State& state) {
  const Solved& s = Tree(static_cast<std::size_t>(state.range(0)));
  report::TreeDrawOptions options;
  options.interactive = true;
  for (auto _ : state) benchmark::DoNotOptimize(report::DrawTreeSvg(*s.game, &s.solution.equilibria.front(), options));
  Nodes(state, s);
}
BENCHMARK(BM_DrawTreeSvg)->Arg(400)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// The tidy layout alone on a chain (deep: no recursion) and on a random tree drawn whole; the
// time per node stays flat as the size grows (Buchheim, Jünger and Leipert's linear bound).
void BM_TidyLayoutChain(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  report::TidyTree t;
  t.parent.resize(n);
  t.rowstart.resize(n + 1);
  for (std::uint32_t v = 0; v < n; ++v) {
    t.parent[v] = v == 0 ? 0 : v - 1;
    t.rowstart[v] = v;
    if (v + 1 < n) t.children.push_back(v + 1);
  }
  t.rowstart[n] = n - 1;
  t.before.assign(n, 20);
  t.after.assign(n, 20);
  for (auto _ : state) benchmark::DoNotOptimize(report::TidyLayout(t));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * n);
}
BENCHMARK(BM_TidyLayoutChain)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_TidyLayoutRandom(benchmark::State& state) {
  const Solved& s = Tree(static_cast<std::size_t>(state.range(0)));
  const model::Game& g = *s.game;
  report::TidyTree t;
  t.parent.assign(g.num_nodes(), 0);
  t.rowstart.assign(g.num_nodes() + 1, 0);
  for (model::NodeId v = 0; v < g.num_nodes(); ++v) {
    if (v != 0) t.parent[v] = g.parent(v);
    t.rowstart[v + 1] = t.rowstart[v] + g.num_children(v);
    for (model::NodeId c : g.children(v)) t.children.push_back(c);
  }
  t.before.assign(g.num_nodes(), 20);
  t.after.assign(g.num_nodes(), 20);
  for (auto _ : state) benchmark::DoNotOptimize(report::TidyLayout(t));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * g.num_nodes());
}
BENCHMARK(BM_TidyLayoutRandom)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_Explain(benchmark::State& state) {
  const Solved& s = Tree(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(report::Explain(*s.game, s.solution.equilibria.front()));
  Nodes(state, s);
}
BENCHMARK(BM_Explain)->Arg(10'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Everything after solving: every section built (the tree laid out and drawn) and rendered.
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
