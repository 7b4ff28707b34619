// Renders solutions of `parley solve`: text for people, JSON for programs. Writers take
// results and never solve.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"

namespace parley::report {

using equilibrium::Equilibrium;
using equilibrium::Solution;
using model::Game;
using model::NodeId;

// A node named for people: its label if it has one, "the root", or the actions leading to
// it ("after In > Fight"; long histories shortened).
std::string DescribeNode(const Game& game, NodeId v);
// Unique, readable names of the personal information sets (JSON keys): the set's label when
// it is unique, else "<player> at <node description>".
std::vector<std::string> InfosetNames(const Game& game);

// One terminal history the equilibrium reaches, with its probability.
struct PathEntry {
  double probability = 0;
  NodeId terminal = 0;
  std::vector<NodeId> nodes;  // from the root to the terminal
  std::vector<double> payoffs;
};
// The terminal nodes reached with positive probability, most likely first (at most `limit`).
std::vector<PathEntry> EquilibriumPath(const Game& game, const Equilibrium& eq,
                                       std::size_t limit, bool* cut = nullptr);

struct TextOptions {
  std::size_t max_strategy_lines = 200;  // longer listings end with a note
};
std::string SolutionText(const Game& game, const Solution& solution,
                         const TextOptions& options = {});
nlohmann::json SolutionJson(const Game& game, const Solution& solution);

// A number as shown: exact rationals as fractions, doubles rounded to 10 significant digits.
std::string ShowNumber(double value);

}  // namespace parley::report
