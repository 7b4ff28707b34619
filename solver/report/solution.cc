#include "solver/report/solution.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace parley::report {

using equilibrium::ActionIndex;
using model::InfosetId;
using model::NodeKind;

std::string ShowNumber(double value) {
  if (value == 0) return "0";
  if (std::abs(value - std::round(value)) < 1e-12 * std::max(1.0, std::abs(value)) &&
      std::abs(value) < 1e15)
    return std::to_string(static_cast<long long>(std::round(value)));
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

std::string DescribeNode(const Game& game, NodeId v) {
  if (!game.node_label(v).empty()) return "node \"" + game.node_label(v) + "\"";
  if (v == Game::root()) return "the root";
  std::vector<std::string> steps;
  std::size_t depth = 0;
  for (NodeId c = v; c != Game::root(); c = game.parent(c)) {
    ++depth;
    if (steps.size() < 6) {
      NodeId p = game.parent(c);
      std::uint32_t a = game.action_into(c);
      const std::string& label = game.action_label(game.infoset(p), a);
      steps.push_back(label.empty() ? "#" + std::to_string(a + 1) : label);
    }
  }
  std::string out = "after ";
  if (depth > steps.size()) out += "... > ";
  for (std::size_t i = steps.size(); i-- > 0;) {
    out += steps[i];
    if (i > 0) out += " > ";
  }
  if (depth > steps.size()) out += " (node " + std::to_string(v) + ")";
  return out;
}

// " after x > y", " at the root", " at node \"n\"": a node description after a player's name.
namespace {
std::string At(const std::string& description) {
  return description.rfind("after ", 0) == 0 ? " " + description : " at " + description;
}
}  // namespace

std::vector<std::string> InfosetNames(const Game& game) {
  std::map<std::string, int> count;
  for (InfosetId h = 0; h < game.num_infosets(); ++h)
    if (game.infoset_player(h) != model::kChancePlayer) ++count[game.infoset_label(h)];
  std::vector<std::string> names(game.num_infosets());
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    int p = game.infoset_player(h);
    if (p == model::kChancePlayer) {
      names[h] = "chance at " + DescribeNode(game, game.infoset_nodes(h).front());
      continue;
    }
    // A set's own label when no other set shares it, else the mover and where:
    // "Microsoft after ask > grant", "Ann at the root".
    const std::string& label = game.infoset_label(h);
    const std::string& mover = game.player_name(p);
    if (!label.empty() && count[label] == 1) {
      names[h] = label;
    } else {
      auto nodes = game.infoset_nodes(h);
      names[h] = mover + At(DescribeNode(game, nodes.front()));
      if (nodes.size() > 1) names[h] += " (+" + std::to_string(nodes.size() - 1) + " nodes)";
    }
  }
  return names;
}

std::vector<PathEntry> EquilibriumPath(const Game& game, const Equilibrium& eq,
                                       std::size_t limit, bool* cut) {
  ActionIndex index(game);
  std::vector<double> reach = equilibrium::ReachProbabilities(game, index, eq.behavior);
  std::vector<PathEntry> out;
  const int np = game.num_players();
  // Terminal payoffs accumulate outcomes on the path.
  for (NodeId v = 0; v < game.num_nodes(); ++v) {
    if (!game.is_terminal(v) || reach[v] <= 0) continue;
    PathEntry e;
    e.probability = reach[v];
    e.terminal = v;
    e.payoffs.assign(np, 0.0);
    for (NodeId c = v;; c = game.parent(c)) {
      e.nodes.push_back(c);
      if (game.outcome(c) != model::kNoOutcome)
        for (int i = 0; i < np; ++i) e.payoffs[i] += game.payoff(game.outcome(c), i);
      if (c == Game::root()) break;
    }
    std::reverse(e.nodes.begin(), e.nodes.end());
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PathEntry& a, const PathEntry& b) { return a.probability > b.probability; });
  if (cut) *cut = out.size() > limit;
  if (out.size() > limit) out.resize(limit);
  return out;
}

namespace {

std::string Payoffs(const Game& game, const Equilibrium& eq, bool exact) {
  std::string out;
  for (int p = 0; p < game.num_players(); ++p) {
    if (p) out += ", ";
    out += game.player_name(p) + " " +
           (exact && !eq.exact_payoffs.empty() ? FormatRational(eq.exact_payoffs[p])
                                               : ShowNumber(eq.payoffs[p]));
  }
  return out;
}

std::string Probability(const Equilibrium& eq, std::uint32_t i, bool exact) {
  if (exact && !eq.exact_behavior.empty()) return FormatRational(eq.exact_behavior[i]);
  return ShowNumber(eq.behavior[i]);
}

std::string PathText(const Game& game, const PathEntry& e) {
  std::string out;
  for (std::size_t k = 0; k + 1 < e.nodes.size(); ++k) {
    NodeId v = e.nodes[k];
    std::uint32_t a = game.action_into(e.nodes[k + 1]);
    const std::string& label = game.action_label(game.infoset(v), a);
    std::string who = game.kind(v) == NodeKind::kChance ? "chance" : game.player_name(game.player(v));
    if (k) out += ", ";
    out += who + " " + (label.empty() ? "#" + std::to_string(a + 1) : label);
  }
  if (out.empty()) out = "(the root is terminal)";
  return out;
}

}  // namespace

std::string SolutionText(const Game& game, const Solution& solution, const TextOptions& options) {
  std::ostringstream out;
  ActionIndex index(game);
  std::string title = game.title().empty() ? std::string("Game") : game.title();
  out << title << "\n";
  out << "Players: ";
  for (int p = 0; p < game.num_players(); ++p) out << (p ? ", " : "") << game.player_name(p);
  out << "\n";
  std::size_t count = solution.equilibria.size();
  out << "Method: " << solution.method << (solution.exact ? " (exact rational arithmetic)" : "")
      << "; " << count << " " << solution.concept_name << " equilibri" << (count == 1 ? "um" : "a")
      << (solution.truncated ? " listed (the list was cut at --max; there are more)" : "")
      << "\n";
  for (const auto& note : solution.notes) out << "Note: " << note << "\n";
  std::vector<std::string> names = InfosetNames(game);
  for (std::size_t k = 0; k < count; ++k) {
    const Equilibrium& eq = solution.equilibria[k];
    out << "\nEquilibrium " << k + 1 << "\n";
    out << "  Payoffs: " << Payoffs(game, eq, solution.exact) << "\n";
    bool cut = false;
    auto path = EquilibriumPath(game, eq, 20, &cut);
    std::vector<double> reach = equilibrium::ReachProbabilities(game, index, eq.behavior);
    if (path.size() == 1 && path[0].probability == 1) {
      out << "  Path: " << PathText(game, path[0]) << "\n";
    } else {
      out << "  Outcome distribution:\n";
      for (const auto& e : path) {
        out << "    " << ShowNumber(e.probability) << "  " << PathText(game, e) << "  (";
        for (int p = 0; p < game.num_players(); ++p) out << (p ? ", " : "") << ShowNumber(e.payoffs[p]);
        out << ")\n";
      }
      if (cut) out << "    ... (more terminal nodes are reached; see --format json)\n";
    }
    out << "  Strategy at every decision point (* = reached on the equilibrium path):\n";
    std::size_t lines = 0, total = 0;
    for (InfosetId h = 0; h < game.num_infosets(); ++h) {
      if (game.infoset_player(h) == model::kChancePlayer) continue;
      ++total;
      if (lines >= options.max_strategy_lines) continue;
      ++lines;
      bool on_path = false;
      for (NodeId v : game.infoset_nodes(h)) on_path = on_path || reach[v] > 0;
      std::uint32_t first = index.first(h), n = game.num_actions(h);
      // Name the mover: "Microsoft at [after complaint]: settle 0.25, fight 0.75" (a label that
      // is the mover's name stands alone: "Incumbent: Accommodate").
      std::string who = names[h];
      const std::string& mover = game.player_name(game.infoset_player(h));
      if (who == game.infoset_label(h) && who != mover) who = mover + " at [" + who + "]";
      bool pure = equilibrium::IsPure(eq.behavior, first, n);
      out << "  " << (on_path ? "* " : "  ") << who << ": ";
      if (pure) {
        for (std::uint32_t a = 0; a < n; ++a)
          if (eq.behavior[first + a] == 1) out << game.action_label(h, a);
      } else {
        bool any = false;
        for (std::uint32_t a = 0; a < n; ++a) {
          if (eq.behavior[first + a] == 0) continue;
          out << (any ? ", " : "") << game.action_label(h, a) << " " << Probability(eq, first + a, solution.exact);
          any = true;
        }
      }
      out << "\n";
    }
    if (total > lines)
      out << "    ... and " << total - lines << " more (use --format json for all of them)\n";
    if (!eq.indifferent.empty()) {
      out << "  Ties (the mover was indifferent; the first optimal action is listed):\n";
      std::size_t shown = 0;
      for (NodeId v : eq.indifferent) {
        if (++shown > 10) {
          out << "    ... and " << eq.indifferent.size() - 10 << " more\n";
          break;
        }
        InfosetId h = game.infoset(v);
        std::vector<NodeId> kids(game.children(v).begin(), game.children(v).end());
        out << "    " << game.player_name(game.player(v)) << At(DescribeNode(game, v)) << "\n";
        (void)h;
      }
    }
    if (eq.max_gain >= 0)
      out << "  Verified: the largest gain from deviating in any subgame is "
          << ShowNumber(eq.max_gain) << "\n";
  }
  return out.str();
}

nlohmann::json SolutionJson(const Game& game, const Solution& solution) {
  using nlohmann::json;
  ActionIndex index(game);
  std::vector<std::string> names = InfosetNames(game);
  json doc;
  doc["title"] = game.title();
  doc["players"] = game.players();
  doc["concept"] = solution.concept_name;
  doc["method"] = solution.method;
  doc["exact"] = solution.exact;
  doc["truncated"] = solution.truncated;
  if (!solution.notes.empty()) doc["notes"] = solution.notes;
  auto number = [&](const Equilibrium& eq, bool is_payoff, std::size_t i) -> json {
    if (solution.exact) {
      const auto& v = is_payoff ? eq.exact_payoffs : eq.exact_behavior;
      if (!v.empty()) return FormatRational(v[i]);
    }
    return is_payoff ? eq.payoffs[i] : eq.behavior[i];
  };
  json list = json::array();
  for (const Equilibrium& eq : solution.equilibria) {
    json e;
    json pay = json::array();
    for (int p = 0; p < game.num_players(); ++p) pay.push_back(number(eq, true, p));
    e["payoffs"] = pay;
    std::vector<double> reach = equilibrium::ReachProbabilities(game, index, eq.behavior);
    json strategy = json::array();
    json behavior = json::object();
    for (InfosetId h = 0; h < game.num_infosets(); ++h) {
      if (game.infoset_player(h) == model::kChancePlayer) continue;
      std::uint32_t first = index.first(h), n = game.num_actions(h);
      json probs = json::object();
      for (std::uint32_t a = 0; a < n; ++a) {
        std::string label = game.action_label(h, a);
        if (probs.contains(label)) label += " #" + std::to_string(a + 1);
        probs[label] = number(eq, false, first + a);
      }
      behavior[names[h]] = probs;
      if (!equilibrium::IsPure(eq.behavior, first, n)) continue;
      std::uint32_t chosen = 0;
      for (std::uint32_t a = 0; a < n; ++a)
        if (eq.behavior[first + a] == 1) chosen = a;
      for (NodeId v : game.infoset_nodes(h)) {
        json s;
        s["node"] = v;
        s["at"] = DescribeNode(game, v);
        s["player"] = game.player_name(game.player(v));
        s["infoset"] = names[h];
        s["action"] = game.action_label(h, chosen);
        s["on_path"] = reach[v] > 0;
        strategy.push_back(std::move(s));
      }
    }
    e["strategy"] = std::move(strategy);
    e["behavior"] = std::move(behavior);
    bool cut = false;
    json path = json::array();
    for (const PathEntry& p : EquilibriumPath(game, eq, 10000, &cut)) {
      json step;
      step["probability"] = p.probability;
      step["terminal"] = p.terminal;
      json actions = json::array();
      for (std::size_t k = 0; k + 1 < p.nodes.size(); ++k)
        actions.push_back(game.action_label(game.infoset(p.nodes[k]), game.action_into(p.nodes[k + 1])));
      step["actions"] = actions;
      step["payoffs"] = p.payoffs;
      path.push_back(std::move(step));
    }
    e["path"] = std::move(path);
    if (cut) e["path_truncated"] = true;
    e["indifferent"] = eq.indifferent;
    if (eq.max_gain >= 0) e["max_gain"] = eq.max_gain;
    list.push_back(std::move(e));
  }
  doc["equilibria"] = std::move(list);
  return doc;
}

}  // namespace parley::report
