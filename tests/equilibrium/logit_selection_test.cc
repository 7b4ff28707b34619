// Which of Gambit's reference equilibria the logit branch selects (solve --method logit), on
// every game of the reference collection that lists equilibria (reference.json):
//   * two-player strategic forms: Gambit's enummixed lists every extreme equilibrium, so the
//     limit must be one of them or, player by player, a convex combination of them;
//   * three or more players, strategic form: enumpure lists every pure equilibrium, so a pure
//     limit must be one of them;
//   * extensive forms: lcp's profile (two players), or enumpure's list of the payoffs of every
//     pure subgame-perfect equilibrium, which a pure limit's payoffs must be among.
// Every limit is also verified (no gain from deviating in any subgame, 1e-9). The selection is
// named per game (MESSAGE, shown with -s), and a few are pinned below with the reason.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "solver/equilibrium/solve.h"
#include "solver/equilibrium/verify.h"
#include "solver/io/files.h"
#include "solver/lp/linear_program.h"
#include "solver/model/error.h"
#include "solver/report/solution.h"
#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

using model::Game;
using model::InfosetId;

double Number(const nlohmann::json& text) {
  std::string s = text.get<std::string>();
  auto slash = s.find('/');
  if (slash == std::string::npos) return std::stod(s);
  return std::stod(s.substr(0, slash)) / std::stod(s.substr(slash + 1));
}

// The profile in Gambit's order: player by player, sets by their number, actions in order.
std::vector<double> GambitOrder(const Game& game, const std::vector<double>& behavior) {
  ActionIndex index(game);
  std::vector<std::uint32_t> numbers = report::InfosetNumbers(game);
  std::vector<std::pair<std::pair<int, std::uint32_t>, InfosetId>> sets;
  for (InfosetId h = 0; h < game.num_infosets(); ++h)
    if (game.infoset_player(h) != model::kChancePlayer) sets.push_back({{game.infoset_player(h), numbers[h]}, h});
  std::sort(sets.begin(), sets.end());
  std::vector<double> out;
  for (const auto& [key, h] : sets)
    for (std::uint32_t a = 0; a < game.num_actions(h); ++a) out.push_back(behavior[index(h, a)]);
  return out;
}

std::vector<double> Flatten(const nlohmann::json& profile) {
  std::vector<double> out;
  for (const auto& x : profile) {
    if (x.is_array())
      for (const auto& y : x) out.push_back(Number(y));
    else
      out.push_back(Number(x));
  }
  return out;
}

bool Close(const std::vector<double>& a, const std::vector<double>& b, double tolerance) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i] - b[i]) > tolerance) return false;
  return true;
}

bool Pure(const std::vector<double>& x) {
  for (double v : x)
    if (v > 1e-9 && v < 1 - 1e-9) return false;
  return true;
}

// Whether `target` is a convex combination of `points` (to 1e-7): an LP feasibility problem.
bool InHull(const std::vector<std::vector<double>>& points, const std::vector<double>& target) {
  lp::LinearProgram prog(lp::Sense::kMinimize);
  std::vector<int> cols;
  for (std::size_t k = 0; k < points.size(); ++k) cols.push_back(prog.AddColumn(0, lp::kInfinity, 0));
  std::vector<double> ones(points.size(), 1.0);
  prog.AddRow(1, 1, cols, ones);
  for (std::size_t i = 0; i < target.size(); ++i) {
    std::vector<double> row;
    for (const auto& p : points) row.push_back(p[i]);
    prog.AddRow(target[i] - 1e-7, target[i] + 1e-7, cols, row);
  }
  return prog.Solve().status == lp::Status::kOptimal;
}

// The selection's name: "equilibrium k of N" (1-based, in the reference's order), "a convex
// combination of the extreme equilibria", "payoffs of pure SPE k of N", or "mixed, not listed".
std::string Classify(const Game& game, const nlohmann::json& entry, const Equilibrium& eq) {
  std::vector<double> ours = GambitOrder(game, eq.behavior);
  const nlohmann::json* list = nullptr;
  if (entry.contains("extreme_equilibria")) list = &entry["extreme_equilibria"];
  else if (entry.contains("pure_equilibria")) list = &entry["pure_equilibria"];
  else if (entry.contains("spe_lcp") && entry["spe_lcp"].contains("equilibria")) list = &entry["spe_lcp"]["equilibria"];
  std::vector<std::vector<double>> listed;
  if (list)
    for (const auto& e : *list) listed.push_back(Flatten(e["profile"]));
  for (std::size_t k = 0; k < listed.size(); ++k)
    if (Close(listed[k], ours, 1e-6))
      return "equilibrium " + std::to_string(k + 1) + " of " + std::to_string(listed.size());
  if (entry.contains("extreme_equilibria") && listed.size() > 1) {
    // Player by player (an equilibrium component is a product of polytopes).
    bool inside = true;
    std::size_t offset = 0;
    for (const auto& count : entry["strategies"]) {
      const std::size_t m = count.get<std::size_t>();
      std::vector<std::vector<double>> mine;
      for (const auto& p : listed) mine.emplace_back(p.begin() + offset, p.begin() + offset + m);
      inside = inside && InHull(mine, std::vector<double>(ours.begin() + offset, ours.begin() + offset + m));
      offset += m;
    }
    if (inside) return "a convex combination of the extreme equilibria";
  }
  if (entry.contains("spe_pure") && Pure(ours)) {
    const auto& vectors = entry["spe_pure"];
    for (std::size_t k = 0; k < vectors.size(); ++k) {
      bool same = true;
      for (int p = 0; p < game.num_players(); ++p) same = same && std::abs(Number(vectors[k][p]) - eq.payoffs[p]) < 1e-6;
      if (same) return "payoffs of pure SPE " + std::to_string(k + 1) + " of " + std::to_string(vectors.size());
    }
    return "pure, not listed";
  }
  if (entry.contains("pure_equilibria") && Pure(ours)) return "pure, not listed";
  return Pure(ours) ? "pure, no list" : "mixed, not listed";
}

TEST_SUITE("logit") {
  TEST_CASE("which reference equilibrium the logit branch selects, game by game") {
    if (!testing::SharedOrSkip()) return;
    auto ref = nlohmann::json::parse(testing::ReadFile(testing::SharedPath("gambit-games/reference.json")));
    // Pinned selections, each checked against Gambit's list above (a change here means the
    // tracer now follows another branch, or selects differently).
    const std::map<std::string, std::string> pinned = {
        {"efg/e05.efg", "payoffs of pure SPE 1 of 2"},        // three players, with chance
        {"efg/condjury.efg", "payoffs of pure SPE 3 of 3"},   // three jurors
        {"efg/coord2.efg", "equilibrium 2 of 3"},             // the mixed one, as below
        {"nfg/coord2.nfg", "equilibrium 2 of 3"},
        {"nfg/yamamoto.nfg", "equilibrium 2 of 2"},
        {"nfg/zero.nfg", "a convex combination of the extreme equilibria"},
        // The branch passes two points where the determinant's sign changes on a straight
        // stretch (lambda 5.21 and 7.32); the trace once stopped at the first.
        {"efg/artist2.efg", "mixed, not listed"},
    };
    std::map<std::string, std::string> selected;
    for (auto& [key, entry] : ref.items()) {
      const bool has_list = entry.contains("extreme_equilibria") || entry.contains("pure_equilibria") ||
                            entry.contains("spe_lcp") || entry.contains("spe_pure");
      if (!has_list || (entry.contains("perfect_recall") && !entry["perfect_recall"].get<bool>())) continue;
      if (entry.value("nodes", 0) > 3000) continue;  // the largest trees: see docs/performance.md
      CAPTURE(key);
      auto game = io::LoadGame(testing::SharedPath("gambit-games/" + key));
      SolveOptions options;
      options.method = "logit";
      Solution s;
      try {
        s = Solve(*game, options);
      } catch (const LimitError& e) {  // the tracer's guards: said, never a wrong answer
        MESSAGE(key << ": the trace did not reach a verified equilibrium: " << std::string(e.what()));
        selected[key] = "no verified limit";
        continue;
      }
      REQUIRE(s.equilibria.size() == 1);
      const Equilibrium& eq = s.equilibria[0];
      ActionIndex index(*game);
      CHECK(MaxSubgameGain<double>(*game, index, eq.behavior) <= 1e-9);
      std::string name = Classify(*game, entry, eq);
      MESSAGE(key << ": " << name);
      selected[key] = name;
      // Complete lists leave no room: a two-player strategic form's limit is an extreme
      // equilibrium or a combination; a pure limit is among the pure ones listed.
      CHECK(name != "pure, not listed");
      if (entry.contains("extreme_equilibria")) CHECK(name.find("mixed") == std::string::npos);
    }
    for (const auto& [key, name] : pinned) {
      CAPTURE(key);
      CHECK(selected[key] == name);
    }
    CHECK(selected.size() >= 100);
  }
}

}  // namespace
}  // namespace parley::equilibrium
