// Benchmarks of the imperfect-information solvers on random two-player games.
//
// Generator ("delayed observation"): players 1 and 2 alternate for `depth` moves with
// `branching` actions each; a mover sees the whole history except the opponent's most recent
// move. So every set (after the first move) holds `branching` nodes, both players have perfect
// recall, no proper subgame other than the whole game exists (every subtree is crossed by the
// sets just below it), and the sequence form has branching^d sequences per level d.
// Payoffs: uniform random integers in [-100, 100] per leaf (player 2 gets the negative in the
// zero-sum variant, an independent draw otherwise), fixed seed.
//
//   cmake --build build -j2 --target equilibrium_bench
//   ./build/bench/equilibrium_bench --benchmark_filter=Lp      # zero-sum, sequence-form LP
//   ./build/bench/equilibrium_bench --benchmark_filter=Lemke   # general-sum, Lemke (doubles)
//   ./build/bench/equilibrium_bench --benchmark_filter=Extreme # --all: every extreme equilibrium
//   PARLEY_BENCH_SEED=1 ./build/bench/equilibrium_bench ...   # other payoffs (default seed 7)
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <string>

#include "solver/equilibrium/enumeration.h"
#include "solver/equilibrium/subgames.h"
#include "solver/model/game_builder.h"

namespace {

using parley::model::GameBuilder;
using parley::model::GamePtr;
using parley::model::InfosetId;
using parley::model::NodeId;

GamePtr DelayedObservationGame(int depth, int branching, bool zero_sum, unsigned seed) {
  GameBuilder b({"P1", "P2"});
  b.SetTitle("random delayed-observation game");
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> pay(-100, 100);
  std::vector<std::string> actions;
  for (int a = 0; a < branching; ++a) actions.push_back("a" + std::to_string(a));
  // Level by level: `level` holds the parent of each node to create at depth d, `key` its set:
  // the index of that parent at depth d - 1 (siblings differ only in the hidden last move).
  std::vector<NodeId> level = {parley::model::kNoNode};
  std::vector<std::size_t> key = {0};
  for (int d = 0; d < depth; ++d) {
    int player = d % 2;
    std::vector<InfosetId> sets;  // per key
    std::vector<NodeId> next;
    std::vector<std::size_t> next_key;
    std::size_t num_keys = d == 0 ? 1 : level.size() / branching;
    for (std::size_t k = 0; k < num_keys; ++k)
      sets.push_back(b.AddInfoset(player, "", actions));
    for (std::size_t i = 0; i < level.size(); ++i) {
      NodeId v = b.AddNode(level[i], sets[d == 0 ? 0 : key[i]]);
      for (int a = 0; a < branching; ++a) {
        next.push_back(v);
        next_key.push_back(i);  // v's children share one set
      }
    }
    level = std::move(next);
    key = std::move(next_key);
  }
  for (NodeId parent : level) {
    double u = pay(rng);
    double w = zero_sum ? -u : pay(rng);
    std::vector<double> payoff = {u, w};
    b.AddTerminal(parent, b.AddOutcome(payoff));
  }
  return b.Build();
}

unsigned Seed() {
  const char* text = std::getenv("PARLEY_BENCH_SEED");
  return text ? static_cast<unsigned>(std::strtoul(text, nullptr, 10)) : 7u;
}

void Run(benchmark::State& state, bool zero_sum, const char* method) {
  GamePtr game = DelayedObservationGame(static_cast<int>(state.range(0)),
                                        static_cast<int>(state.range(1)), zero_sum, Seed());
  std::size_t seq[2] = {1, 1};
  for (int p = 0; p < 2; ++p)
    for (InfosetId h : game->player_infosets(p)) seq[p] += game->num_actions(h);
  parley::equilibrium::SubgamePerfectOptions options;
  options.method = method;
  double gain = 0;
  for (auto _ : state) {
    auto solution = parley::equilibrium::SolveSubgamePerfect(*game, options);
    gain = solution.equilibria.at(0).max_gain;
    benchmark::DoNotOptimize(solution);
  }
  state.counters["nodes"] = game->num_nodes();
  state.counters["seq1"] = static_cast<double>(seq[0]);
  state.counters["seq2"] = static_cast<double>(seq[1]);
  state.counters["max_gain"] = gain;
}

void BM_ZeroSumLp(benchmark::State& state) { Run(state, true, "lp"); }
void BM_GeneralSumLemke(benchmark::State& state) { Run(state, false, "lemke"); }

// depth 15, branching 2: 21,847 and 10,923 sequences (65,535 nodes; the target of 10,000 per
// player); depth 16: 21,847 and 43,691 (131,071 nodes); depth 17: 87,383 and 43,691 (262,143
// nodes); depth 10, branching 3: 7,384 and 22,144 (88,573 nodes).
BENCHMARK(BM_ZeroSumLp)->Args({9, 2})->Args({13, 2})->Args({15, 2})->Args({16, 2})->Args({17, 2})->Args({10, 3})->Unit(benchmark::kMillisecond)->Iterations(1);
// depth 10, branching 2: 343 and 683 sequences (3.4 s with the split LCP of size 2,054, 0.06 s
// with the reduced LCP of size 1,026); depth 11: 1,367 and 683 (the target: the reduced
// LCP of size 2,050 cycles in doubles there after about 2,900 pivots, and its rerun on a
// perturbed q solves it, about 5.4 s; before that rerun the split LCP of size 4,102 ran, about
// 40 s); depth 12: 1,367 and 2,731 (reduced LCP, about 1.4 s).
BENCHMARK(BM_GeneralSumLemke)->Args({7, 2})->Args({9, 2})->Args({10, 2})->Args({11, 2})->Args({12, 2})->Unit(benchmark::kMillisecond)->Iterations(1);

// All extreme equilibria of a random m x n bimatrix game (payoffs uniform integers in [0, 99]),
// by vertex enumeration in exact rationals. A run stopped by the size guards is reported as an
// error.
void BM_ExtremeEquilibria(benchmark::State& state) {
  std::size_t m = static_cast<std::size_t>(state.range(0)), n = static_cast<std::size_t>(state.range(1));
  std::mt19937_64 rng(Seed());
  std::uniform_int_distribution<int> pay(0, 99);
  parley::equilibrium::Bimatrix game;
  game.rows = m;
  game.cols = n;
  for (std::size_t k = 0; k < m * n; ++k) {
    game.a.emplace_back(pay(rng));
    game.b.emplace_back(pay(rng));
  }
  std::size_t count = 0;
  for (auto _ : state) {
    try {
      auto equilibria = parley::equilibrium::ExtremeEquilibria(game);
      count = equilibria.size();
      benchmark::DoNotOptimize(equilibria);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  state.counters["equilibria"] = static_cast<double>(count);
}
BENCHMARK(BM_ExtremeEquilibria)->Args({8, 8})->Args({12, 12})->Args({14, 14})->Args({6, 30})->Args({16, 16})->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
