#include "solver/report/dot.h"

#include <algorithm>
#include <sstream>

#include "solver/report/solution.h"
#include "solver/report/text.h"
#include "solver/report/tree_svg.h"

namespace parley::report {

using equilibrium::ActionIndex;
using model::Game;
using model::InfosetId;
using model::NodeId;
using model::NodeKind;

namespace {

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

}  // namespace

std::string TreeDot(const Game& game, const equilibrium::Equilibrium* eq, const TreeDrawOptions& options) {
  TreeView view = SelectTree(game, eq, options);
  ActionIndex index(game);
  auto on_path = [&](NodeId v) { return eq && view.reach[v] > 0; };
  std::ostringstream out;
  out << "digraph tree {\n"
         "  graph [ordering=out, nodesep=0.25, ranksep=0.45, bgcolor=\"transparent\", "
         "fontname=\"Helvetica,Arial,sans-serif\"];\n"
         "  node [fontname=\"Helvetica,Arial,sans-serif\", fontsize=11, height=0.3, margin=\"0.08,0.03\"];\n"
         "  edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, arrowhead=none, color=\"#555555\"];\n";
  std::vector<char> is_shown(game.num_nodes(), 0);
  for (NodeId v : view.shown) is_shown[v] = 1;
  for (NodeId v : view.shown) {
    out << "  " << Id(v) << " [";
    if (game.is_terminal(v)) {
      out << "shape=box, style=\"rounded\", label=" << Quote(LeafText(game, view, v, options.show_outcome_labels));
      if (on_path(v)) out << ", color=" << Quote(kPathColor) << ", penwidth=2";
    } else if (!view.expanded[v]) {
      out << "shape=box, style=\"dashed,rounded\", label=" << Quote(BoxText(game, view, v, eq != nullptr));
      if (on_path(v)) out << ", color=" << Quote(kPathColor);
    } else if (game.kind(v) == NodeKind::kChance) {
      out << "shape=diamond, style=filled, fillcolor=\"#eeeeee\", label=\"chance\", fontsize=9";
    } else {
      int p = game.player(v);
      out << "shape=ellipse, style=filled, fillcolor=" << Quote(kPlayerFill[p % 6])
          << ", label=" << Quote(game.player_name(p));
    }
    out << ", tooltip=" << Quote(Capitalize(DescribeNode(game, v))) << "];\n";
  }
  for (NodeId v : view.shown) {
    if (!view.expanded[v]) continue;
    auto kids = game.children(v);
    for (std::uint32_t a = 0; a < kids.size(); ++a) {
      out << "  " << Id(v) << " -> " << Id(kids[a]) << " [label=" << Quote(" " + EdgeText(game, eq, index, v, a) + " ");
      EdgeMark mark = MarkEdge(game, eq, view, index, v, a);
      if (mark == EdgeMark::kPath)
        out << ", color=" << Quote(kPathColor) << ", fontcolor=" << Quote(kPathColor) << ", penwidth=3.5";
      else if (mark == EdgeMark::kChoice)
        out << ", color=" << Quote(kChoiceColor) << ", fontcolor=" << Quote(kChoiceColor) << ", penwidth=2.2";
      out << "];\n";
    }
  }
  // Information sets: dashed lines joining the drawn members, on one rank when they share a
  // depth (as textbooks draw them). Labels as xlabel: some Graphviz versions mishandle
  // labelled edges between nodes of one rank.
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == model::kChancePlayer) continue;
    auto members = game.infoset_nodes(h);
    if (members.size() < 2) continue;
    std::vector<NodeId> drawn;
    for (NodeId v : members)
      if (is_shown[v]) drawn.push_back(v);
    if (drawn.size() < 2) continue;
    bool same_depth = std::all_of(drawn.begin(), drawn.end(),
                                  [&](NodeId v) { return view.depth[v] == view.depth[drawn.front()]; });
    if (same_depth) {
      out << "  { rank=same;";
      for (NodeId v : drawn) out << " " << Id(v) << ";";
      out << " }\n";
    }
    std::string label(game.infoset_label(h));
    for (std::size_t k = 0; k + 1 < drawn.size(); ++k) {
      out << "  " << Id(drawn[k]) << " -> " << Id(drawn[k + 1])
          << " [style=dashed, constraint=false, color=\"#777777\", penwidth=1.4";
      if (k == 0 && !label.empty()) out << ", xlabel=" << Quote(label) << ", fontcolor=\"#777777\"";
      out << "];\n";
    }
  }
  out << "}\n";
  return out.str();
}

}  // namespace parley::report
