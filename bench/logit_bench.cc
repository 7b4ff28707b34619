// The logit tracer (solver/equilibrium/logit.h) on random three-player games with hidden
// moves: a full binary tree `depth` moves deep, players moving in turn (level d: player
// d mod 3), each mover seeing the whole history except the two moves just before its own (so
// information sets hold four nodes, the players keep perfect recall, and the whole game is
// the only proper subgame); payoffs random integers 0-100. About one information set per
// eight nodes: depth 12 has 8,191 nodes and 1,023 personal information sets.
//   build/bench/logit_bench                      (PARLEY_BENCH_SEED=n for another draw)
// PARLEY_BENCH_PROFILE=FILE appends each equilibrium found (depth, seed, then every action's
// probability to 6 decimals, "-" at sets it does not reach), so that two versions of the tracer can be checked to select the
// same equilibrium (the same branch) with diff.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/hidden_moves_games.h"
#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/subgames.h"
#include "solver/model/game_builder.h"

namespace {

using namespace parley;

using bench::HiddenMovesGame;

std::uint64_t Seed() {
  const char* s = std::getenv("PARLEY_BENCH_SEED");
  return s ? std::strtoull(s, nullptr, 10) : 1;
}

void BM_LogitEquilibrium(benchmark::State& state) {
  auto game = HiddenMovesGame(static_cast<int>(state.range(0)), Seed());
  std::size_t sets = 0;
  for (model::InfosetId h = 0; h < game->num_infosets(); ++h) sets += game->infoset_player(h) >= 0;
  double gain = 0;
  std::string method;
  std::vector<double> behavior;
  for (auto _ : state) {
    // The default time guard (60 s of processor time per subgame) would stop the largest
    // sizes: the bench measures how long they take.
    equilibrium::SubgamePerfectOptions options;
    options.logit.max_seconds = 3600;
    auto solution = equilibrium::SolveSubgamePerfect(*game, options);
    gain = solution.equilibria.at(0).max_gain;
    method = solution.method;
    behavior = solution.equilibria.at(0).behavior;
    benchmark::DoNotOptimize(solution);
  }
  if (const char* path = std::getenv("PARLEY_BENCH_PROFILE")) {
    if (std::FILE* out = std::fopen(path, "a")) {
      std::fprintf(out, "depth %d seed %llu:", static_cast<int>(state.range(0)),
                   static_cast<unsigned long long>(Seed()));
      // Only the sets the equilibrium reaches: play at the others is the trace's where it
      // was polished, which depends on the steps taken, not on the branch.
      equilibrium::ActionIndex index(*game);
      const std::vector<double> reach = equilibrium::ReachProbabilities(*game, index, behavior);
      for (model::InfosetId h = 0; h < game->num_infosets(); ++h) {
        double total = 0;
        for (model::NodeId x : game->infoset_nodes(h)) total += reach[x];
        for (std::uint32_t a = 0; a < game->num_actions(h); ++a)
          if (total > 0)
            std::fprintf(out, " %.6f", behavior[index(h, a)] + 0.0);  // + 0.0: no "-0.000000"
          else
            std::fprintf(out, " -");
      }
      std::fprintf(out, "\n");
      std::fclose(out);
    }
  }
  state.counters["nodes"] = game->num_nodes();
  state.counters["sets"] = static_cast<double>(sets);
  state.counters["max_gain"] = gain;
  state.SetLabel(method);
}
// 127, 511, 2,047, 4,095 and 8,191 nodes (the counter "sets" gives the personal sets).
BENCHMARK(BM_LogitEquilibrium)->Arg(6)->Arg(8)->Arg(10)->Arg(11)->Arg(12)->Unit(benchmark::kMillisecond);

// The QRE branch of a ~100-node game up to lambda = 10 (the 50 ms target is for the
// path of a 100-node game).
void BM_LogitQrePath(benchmark::State& state) {
  auto game = HiddenMovesGame(6, Seed());  // 127 nodes
  equilibrium::ActionIndex index(*game);
  auto subgame = equilibrium::MakeLogitSubgame(*game, 0, {}, {});
  std::vector<double> behavior(index.size(), 0.0);
  std::size_t points = 0;
  for (auto _ : state) {
    points = 0;
    equilibrium::TraceLogitQre(*game, *subgame, index, behavior, {10.0},
                               [&](double, const std::vector<double>&, const std::vector<double>&) { ++points; });
  }
  state.counters["nodes"] = game->num_nodes();
  state.counters["points"] = static_cast<double>(points);
}
BENCHMARK(BM_LogitQrePath)->Unit(benchmark::kMillisecond);

// A chain of `stages` nested 2x2 simultaneous stages (A picks c or d, B picks without seeing
// it; (c, c) goes on to the next stage, the other three ends stop): as many nested proper
// subgames, each with an information set. The verification of subgame perfection takes each
// nested subgame as a summary, so the time is linear in the length (the check of each
// subgame walked the whole game before: 1.8 s at 10,000 stages with --method logit, 7 s at
// 20,000). Arguments: the stages, then 0 for the default method (Lemke per stage), 1 for logit.
model::GamePtr NestedStages(int stages) {
  model::GameBuilder b({"A", "B"});
  const std::vector<std::string> actions = {"c", "d"};
  auto outcome = [&](double x, double y) { return b.AddOutcome(std::vector<double>{x, y}); };
  const model::OutcomeId cd = outcome(0, 3), dc = outcome(3, 0), dd = outcome(1, 1), last = outcome(2, 2);
  std::vector<model::NodeId> movers, after_c;
  std::vector<model::InfosetId> blinds;
  model::NodeId parent = model::kNoNode;
  for (int i = 0; i < stages; ++i) {  // each stage's first end is the next stage
    const model::InfosetId a = b.AddInfoset(0, "", actions), blind = b.AddInfoset(1, "", actions);
    blinds.push_back(blind);
    movers.push_back(b.AddNode(parent, a));
    after_c.push_back(parent = b.AddNode(movers.back(), blind));
  }
  b.AddTerminal(after_c.back(), last);
  for (int i = 0; i < stages; ++i) {
    b.AddTerminal(after_c[static_cast<std::size_t>(i)], cd);
    const model::NodeId after_d = b.AddNode(movers[static_cast<std::size_t>(i)], blinds[static_cast<std::size_t>(i)]);
    b.AddTerminal(after_d, dc);
    b.AddTerminal(after_d, dd);
  }
  return b.Build();
}

void BM_NestedStages(benchmark::State& state) {
  auto game = NestedStages(static_cast<int>(state.range(0)));
  equilibrium::SubgamePerfectOptions options;
  if (state.range(1) == 1) options.method = "logit";
  double gain = 0;
  for (auto _ : state) {
    auto solution = equilibrium::SolveSubgamePerfect(*game, options);
    gain = solution.equilibria.at(0).max_gain;
    benchmark::DoNotOptimize(solution);
  }
  state.counters["nodes"] = game->num_nodes();
  state.counters["gain"] = gain;
}
BENCHMARK(BM_NestedStages)
    ->ArgsProduct({{2500, 10000, 40000}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
