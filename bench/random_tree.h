// Random game trees for benchmarks: perfect information, 2-3 players, branching 2-4, about
// 10 % chance nodes with uniform probabilities, random integer payoffs at the leaves. The
// shape grows by expanding random open leaves until the node count is reached, then the game
// is emitted through GameBuilder in preorder.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "solver/model/game_builder.h"

namespace parley::bench {

struct RandomTreeOptions {
  std::size_t nodes = 1'000'000;
  int players = 2;
  double chance_share = 0.1;
  std::uint64_t seed = 1;
};

inline model::GamePtr RandomPerfectInformationTree(const RandomTreeOptions& o) {
  using namespace parley::model;
  std::mt19937_64 rng(o.seed);
  // Shape: first child index and child count per node (breadth-first ids).
  std::vector<std::uint32_t> first_child{0}, num_children{0};
  std::vector<std::uint32_t> open{0};
  std::size_t count = 1;
  while (count + 2 <= o.nodes && !open.empty()) {
    std::size_t pick = rng() % open.size();
    std::uint32_t v = open[pick];
    open[pick] = open.back();
    open.pop_back();
    std::uint32_t k = 2 + rng() % 3;
    if (count + k > o.nodes) k = static_cast<std::uint32_t>(o.nodes - count);
    first_child[v] = static_cast<std::uint32_t>(count);
    num_children[v] = k;
    for (std::uint32_t i = 0; i < k; ++i) {
      first_child.push_back(0);
      num_children.push_back(0);
      open.push_back(static_cast<std::uint32_t>(count++));
    }
  }
  std::vector<std::string> names;
  for (int p = 0; p < o.players; ++p) names.push_back("Player " + std::to_string(p + 1));
  GameBuilder b(names);
  b.SetTitle("random perfect-information tree");
  std::vector<LabelId> labels;
  for (int a = 0; a < 4; ++a) labels.push_back(b.Intern("a" + std::to_string(a + 1)));
  std::vector<InfosetId> chance_sets(5, kNoInfoset);
  for (std::uint32_t k = 2; k <= 4; ++k)
    chance_sets[k] = b.AddChanceInfoset(
        b.Intern("nature"), std::span<const LabelId>(labels.data(), k),
        std::vector<Number>(k, Number(Rational(1, k), Number::Kind::kFraction)));
  std::vector<double> payoff(o.players);
  std::uniform_real_distribution<double> unit(0, 1);
  // Emit in preorder with an explicit stack of (shape id, builder parent).
  std::vector<std::pair<std::uint32_t, NodeId>> stack{{0, kNoNode}};
  while (!stack.empty()) {
    auto [v, parent] = stack.back();
    stack.pop_back();
    std::uint32_t k = num_children[v];
    NodeId id;
    if (k == 0) {
      for (auto& x : payoff) x = static_cast<double>(rng() % 101);
      id = b.AddTerminal(parent, b.AddOutcome(payoff));
      continue;
    }
    if (unit(rng) < o.chance_share) {
      id = b.AddNode(parent, chance_sets[k]);
    } else {
      int player = static_cast<int>(rng() % o.players);
      id = b.AddNode(parent, b.AddInfoset(player, 0, std::span<const LabelId>(labels.data(), k)));
    }
    for (std::uint32_t i = k; i-- > 0;) stack.emplace_back(first_child[v] + i, id);
  }
  return b.Build();
}

}  // namespace parley::bench
