#include "solver/report/dot.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "solver/model/error.h"
#include "solver/report/solution.h"
#include "solver/report/text.h"

#ifdef PARLEY_HAVE_GVC
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#endif

namespace parley::report {

using equilibrium::ActionIndex;
using model::Game;
using model::InfosetId;
using model::NodeId;
using model::NodeKind;

namespace {

// Light fills per player (colour-blind-safe pastel set), cycling past six players.
constexpr const char* kPlayerFill[] = {"#dbe9f6", "#fde4cf", "#e2f0d9", "#ece2f4", "#fff3c4",
                                       "#f6dede"};
constexpr const char* kPathColor = "#c0392b";
constexpr const char* kChoiceColor = "#1f6fb2";

// A DOT double-quoted string.
std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string Id(NodeId v) { return "n" + std::to_string(v); }

std::string Payoffs(const double* values, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? ", " : "") + FormatValue(values[i]);
  return out;
}

}  // namespace

TreeDrawing DrawTree(const Game& game, const equilibrium::Equilibrium* eq,
                     const TreeDrawOptions& options) {
  const NodeId n = game.num_nodes();
  const int np = game.num_players();
  TreeDrawing result;

  // Depth of each node and the number of nodes at each depth (one preorder pass).
  std::vector<std::uint32_t> depth(n, 0);
  std::vector<std::size_t> per_depth(1, 0);
  for (NodeId v = 0; v < n; ++v) {
    if (v != Game::root()) depth[v] = depth[game.parent(v)] + 1;
    if (depth[v] >= per_depth.size()) per_depth.resize(depth[v] + 1, 0);
    ++per_depth[depth[v]];
  }
  int full_depth = static_cast<int>(per_depth.size()) - 1;
  std::size_t widest = *std::max_element(per_depth.begin(), per_depth.end());
  if (n > options.max_nodes || widest > options.max_width) {
    std::size_t total = 0;
    full_depth = 0;
    for (std::size_t d = 0; d < per_depth.size(); ++d) {
      total += per_depth[d];
      if (total > options.max_nodes || per_depth[d] > options.max_width) break;
      full_depth = static_cast<int>(d);
    }
    if (full_depth < 1 && n > 1) full_depth = 1;
  }
  result.depth_shown = full_depth;

  ActionIndex index(game);
  std::vector<double> reach, values;
  if (eq) {
    reach = equilibrium::ReachProbabilities(game, index, eq->behavior);
    values = equilibrium::NodeValues(game, index, eq->behavior);
  }
  auto on_path = [&](NodeId v) { return eq && reach[v] > 0; };

  // Which nodes are drawn (shown) and which of those have their children drawn (expanded).
  // Outcomes met above a node are added up in `above` for the leaves' payoff vectors.
  std::vector<char> expanded(n, 0);
  std::vector<NodeId> shown;
  std::vector<double> above(static_cast<std::size_t>(n) * np, 0.0);
  std::size_t budget = options.path_budget;
  for (NodeId v = 0; v < n;) {
    shown.push_back(v);
    if (v != Game::root()) {
      NodeId p = game.parent(v);
      for (int i = 0; i < np; ++i) {
        double own = game.outcome(p) != model::kNoOutcome ? game.payoff(game.outcome(p), i) : 0;
        above[static_cast<std::size_t>(v) * np + i] = above[static_cast<std::size_t>(p) * np + i] + own;
      }
    }
    bool expand = !game.is_terminal(v);
    if (expand && static_cast<int>(depth[v]) >= full_depth) {
      std::size_t kids = game.num_children(v);
      expand = on_path(v) && kids <= budget;
      if (expand) budget -= kids;
    }
    expanded[v] = expand;
    v = expand ? v + 1 : game.subtree_end(v);
  }

  std::ostringstream out;
  out << "digraph tree {\n"
         "  graph [ordering=out, nodesep=0.25, ranksep=0.45, bgcolor=\"transparent\", "
         "fontname=\"Helvetica,Arial,sans-serif\"];\n"
         "  node [fontname=\"Helvetica,Arial,sans-serif\", fontsize=11, height=0.3, margin=\"0.08,0.03\"];\n"
         "  edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, arrowhead=none, color=\"#555555\"];\n";
  std::vector<char> is_shown(n, 0);
  for (NodeId v : shown) is_shown[v] = 1;
  for (NodeId v : shown) {
    std::string tooltip = Capitalize(DescribeNode(game, v));
    out << "  " << Id(v) << " [";
    if (game.is_terminal(v)) {
      std::vector<double> total(np);
      for (int i = 0; i < np; ++i) {
        total[i] = above[static_cast<std::size_t>(v) * np + i] +
                   (game.outcome(v) != model::kNoOutcome ? game.payoff(game.outcome(v), i) : 0);
      }
      std::string label = Payoffs(total.data(), np);
      if (options.show_outcome_labels && game.outcome(v) != model::kNoOutcome &&
          !game.outcome_label(game.outcome(v)).empty())
        label = game.outcome_label(game.outcome(v)) + "\n" + label;
      out << "shape=box, style=\"rounded\", label=" << Quote(label);
      if (on_path(v)) out << ", color=" << Quote(kPathColor) << ", penwidth=2";
    } else if (!expanded[v]) {
      std::size_t size = game.subtree_end(v) - v;
      std::string label = "+" + std::to_string(size) + " nodes";
      if (eq) {
        label = std::to_string(size) + " nodes";
        std::vector<double> total(np);
        for (int i = 0; i < np; ++i)
          total[i] = above[static_cast<std::size_t>(v) * np + i] + values[static_cast<std::size_t>(v) * np + i];
        label += "\n(" + Payoffs(total.data(), np) + ")";
      }
      out << "shape=box, style=\"dashed,rounded\", label=" << Quote(label);
      if (on_path(v)) out << ", color=" << Quote(kPathColor);
      ++result.collapsed;
    } else if (game.kind(v) == NodeKind::kChance) {
      out << "shape=diamond, style=filled, fillcolor=\"#eeeeee\", label=\"chance\", fontsize=9";
    } else {
      int p = game.player(v);
      out << "shape=ellipse, style=filled, fillcolor=" << Quote(kPlayerFill[p % 6])
          << ", label=" << Quote(game.player_name(p));
    }
    out << ", tooltip=" << Quote(tooltip) << "];\n";
  }
  // Tree edges.
  for (NodeId v : shown) {
    if (!expanded[v]) continue;
    InfosetId h = game.infoset(v);
    bool chance = game.kind(v) == NodeKind::kChance;
    bool pure = !eq || equilibrium::IsPure(eq->behavior, index.first(h), game.num_actions(h));
    auto kids = game.children(v);
    for (std::uint32_t a = 0; a < kids.size(); ++a) {
      NodeId c = kids[a];
      std::string label = ActionName(game, h, a);
      if (chance) label += " (" + ChanceProbText(game, h, a) + ")";
      double prob = eq ? eq->behavior[index(h, a)] : 0;
      if (!chance && !pure && prob > 0) label += " (p=" + FormatProbability(prob) + ")";
      out << "  " << Id(v) << " -> " << Id(c) << " [label=" << Quote(" " + label + " ");
      if (eq && reach[c] > 0) {
        out << ", color=" << Quote(kPathColor) << ", fontcolor=" << Quote(kPathColor) << ", penwidth=3.5";
      } else if (eq && !chance && prob > 0) {
        out << ", color=" << Quote(kChoiceColor) << ", fontcolor=" << Quote(kChoiceColor) << ", penwidth=2.2";
        result.off_path_choices = true;
      }
      out << "];\n";
    }
  }
  // Information sets: dashed lines joining the drawn members, on one rank when they share a
  // depth (as textbooks draw them).
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == model::kChancePlayer) continue;
    auto members = game.infoset_nodes(h);
    if (members.size() < 2) continue;
    std::vector<NodeId> drawn;
    for (NodeId v : members)
      if (is_shown[v]) drawn.push_back(v);
    if (drawn.size() < 2) continue;
    bool same_depth = std::all_of(drawn.begin(), drawn.end(),
                                  [&](NodeId v) { return depth[v] == depth[drawn.front()]; });
    if (same_depth) {
      out << "  { rank=same;";
      for (NodeId v : drawn) out << " " << Id(v) << ";";
      out << " }\n";
    }
    std::string label = game.infoset_label(h);
    for (std::size_t k = 0; k + 1 < drawn.size(); ++k) {
      out << "  " << Id(drawn[k]) << " -> " << Id(drawn[k + 1])
          << " [style=dashed, constraint=false, color=\"#777777\", penwidth=1.4";
      // xlabel, not label: Graphviz 2.43 corrupts memory laying out labels of flat edges.
      if (k == 0 && !label.empty()) out << ", xlabel=" << Quote(label) << ", fontcolor=\"#777777\"";
      out << "];\n";
    }
  }
  out << "}\n";
  result.dot = out.str();
  result.nodes_drawn = shown.size();
  if (shown.size() < n) {
    result.note = "The tree has " + std::to_string(n) + " nodes, too many to draw legibly: every "
                  "node down to depth " + std::to_string(full_depth) + " is drawn" +
                  (options.path_budget > 0 && eq ? ", the equilibrium path a little further" : "") +
                  ", and each of the " + std::to_string(result.collapsed) +
                  " subtrees below is one dashed box with its number of nodes" +
                  (eq ? " and, in parentheses, its equilibrium payoffs" : "") + ".";
  }
  return result;
}

std::string InlineSvg(const std::string& svg) {
  std::size_t start = svg.find("<svg");
  if (start == std::string::npos) return svg;
  std::string out = svg.substr(start);
  std::size_t tag_end = out.find('>');
  if (tag_end != std::string::npos)
    out.insert(tag_end, " style=\"max-width:100%;height:auto\"");
  return out;
}

#ifdef PARLEY_HAVE_GVC

bool GraphvizLinked() { return true; }

std::string LayoutDot(const std::string& dot, std::string_view format) {
  // libgvc keeps global state (its context, its error buffer): one layout at a time.
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  static GVC_t* context = gvContext();
  agseterr(AGMAX);  // keep messages for aglasterr() instead of printing them
  Agraph_t* graph = agmemread(dot.c_str());
  if (graph == nullptr) {
    const char* message = aglasterr();
    throw Error(std::string("Graphviz cannot read the tree: ") + (message ? message : "syntax error"));
  }
  if (gvLayout(context, graph, "dot") != 0) {
    agclose(graph);
    throw Error("Graphviz could not lay out the tree");
  }
  char* data = nullptr;
  unsigned int length = 0;
  std::string renderer(format == "dot" ? "dot" : std::string(format));
  int status = gvRenderData(context, graph, renderer.c_str(), &data, &length);
  std::string result;
  if (status == 0 && data != nullptr) result.assign(data, length);
  if (data != nullptr) gvFreeRenderData(data);
  gvFreeLayout(context, graph);
  agclose(graph);
  if (status != 0 || result.empty())
    throw Error("Graphviz cannot render the format '" + renderer + "' (is its plugin installed?)");
  return result;
}

#else

bool GraphvizLinked() { return false; }

std::string LayoutDot(const std::string& dot, std::string_view format) {
  namespace fs = std::filesystem;
  static std::atomic<int> counter{0};
  fs::path base = fs::temp_directory_path() /
                  ("parley-dot-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::string in = base.string() + ".dot", out = base.string() + ".out", err = base.string() + ".err";
  std::ofstream(in, std::ios::binary) << dot;
  std::string command = "dot -T" + std::string(format) + " '" + in + "' -o '" + out + "' 2>'" + err + "'";
  int status = std::system(command.c_str());
  std::ifstream result_stream(out, std::ios::binary), err_stream(err);
  std::ostringstream result, message;
  result << result_stream.rdbuf();
  message << err_stream.rdbuf();
  std::error_code ec;
  fs::remove(in, ec);
  fs::remove(out, ec);
  fs::remove(err, ec);
  if (status != 0 || result.str().empty())
    throw Error("Graphviz's dot program failed (is Graphviz installed?): " + message.str());
  return result.str();
}

#endif

}  // namespace parley::report
