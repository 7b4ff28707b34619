#include "bench/hidden_moves_games.h"

#include <random>
#include <span>
#include <unordered_map>
#include <vector>

#include "solver/model/game_builder.h"

namespace parley::bench {

model::GamePtr HiddenMovesGame(int depth, std::uint64_t seed) {
  using namespace parley::model;
  std::mt19937_64 rng(seed);
  GameBuilder b({"Player 1", "Player 2", "Player 3"});
  b.SetTitle("random three-player game with hidden moves");
  std::vector<LabelId> labels = {b.Intern("l"), b.Intern("r")};
  std::unordered_map<std::uint64_t, InfosetId> sets;
  std::vector<double> payoff(3);
  struct Item {
    int level;
    std::uint64_t history;  // bit i: the move at level i
    NodeId parent;
  };
  std::vector<Item> stack{{0, 0, kNoNode}};
  while (!stack.empty()) {
    Item it = stack.back();
    stack.pop_back();
    if (it.level == depth) {
      for (auto& x : payoff) x = static_cast<double>(rng() % 101);
      b.AddTerminal(it.parent, b.AddOutcome(payoff));
      continue;
    }
    std::uint64_t seen = it.history;
    if (it.level >= 1) seen &= ~(std::uint64_t{1} << (it.level - 1));
    if (it.level >= 2) seen &= ~(std::uint64_t{1} << (it.level - 2));
    std::uint64_t key = (seen << 6) | static_cast<std::uint64_t>(it.level);
    auto found = sets.find(key);
    InfosetId h = found != sets.end()
                      ? found->second
                      : sets.emplace(key, b.AddInfoset(it.level % 3, 0, std::span<const LabelId>(labels))).first->second;
    NodeId id = b.AddNode(it.parent, h);
    for (int a = 1; a >= 0; --a)
      stack.push_back({it.level + 1, it.history | (static_cast<std::uint64_t>(a) << it.level), id});
  }
  return b.Build();
}

}  // namespace parley::bench
