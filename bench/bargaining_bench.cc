// Bargaining benchmarks: 2-player Nash over the hull of 100,000 random points (frontier walk,
// target < 50 ms) and 5-player Nash over 10,000 points to a 1e-9 certified gap (target < 1 s).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "solver/bargaining/outcomes.h"

namespace {

using parley::bargaining::Vector;

std::vector<Vector> Cloud(std::size_t count, std::size_t players, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<Vector> points(count, Vector(players));
  for (Vector& p : points) {
    for (double& x : p) x = unit(rng);
  }
  return points;
}

void BM_Nash2Players(benchmark::State& state) {
  auto points = Cloud(static_cast<std::size_t>(state.range(0)), 2, 1);
  for (auto _ : state) {
    auto solution = parley::bargaining::NashOverHull(points, {0.1, 0.2}, {1, 2});
    benchmark::DoNotOptimize(solution.payoffs.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Nash2Players)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

// Worst case for the throw-away filter: every point on a concave arc (all on the frontier).
void BM_Nash2PlayersArc(benchmark::State& state) {
  std::vector<Vector> points;
  const auto count = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(4);
  for (std::size_t k = 0; k < count; ++k) {
    double angle = 1.5707963267948966 * static_cast<double>(k) / static_cast<double>(count - 1);
    points.push_back({std::cos(angle), std::sin(angle)});
  }
  std::shuffle(points.begin(), points.end(), rng);
  for (auto _ : state) {
    auto solution = parley::bargaining::NashOverHull(points, {0.1, 0.2}, {1, 2});
    benchmark::DoNotOptimize(solution.payoffs.data());
  }
}
BENCHMARK(BM_Nash2PlayersArc)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_NashNPlayers(benchmark::State& state) {
  const auto players = static_cast<std::size_t>(state.range(1));
  auto points = Cloud(static_cast<std::size_t>(state.range(0)), players, 2);
  Vector weights(players);
  for (std::size_t i = 0; i < players; ++i) weights[i] = 1.0 + static_cast<double>(i);
  double gap = 0.0;
  for (auto _ : state) {
    auto solution = parley::bargaining::NashOverHull(points, Vector(players, 0.0), weights, 1e-9);
    gap = solution.gap;
    benchmark::DoNotOptimize(solution.payoffs.data());
  }
  state.counters["gap"] = gap;
}
BENCHMARK(BM_NashNPlayers)->Args({10000, 5})->Args({10000, 3})->Unit(benchmark::kMillisecond);

void BM_KalaiSmorodinsky2Players(benchmark::State& state) {
  auto points = Cloud(static_cast<std::size_t>(state.range(0)), 2, 3);
  parley::bargaining::OutcomeSet set{points, true};
  for (auto _ : state) {
    auto solution = parley::bargaining::SolveOutcomes(
        set, {0.1, 0.2}, parley::bargaining::Concept::kKalaiSmorodinsky);
    benchmark::DoNotOptimize(solution.payoffs.data());
  }
}
BENCHMARK(BM_KalaiSmorodinsky2Players)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
