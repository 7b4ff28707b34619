#include "solver/report/tree_svg.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "solver/model/number.h"
#include "solver/report/html.h"
#include "solver/report/solution.h"
#include "solver/report/text.h"
#include "solver/report/tree_layout.h"

namespace parley::report {

using equilibrium::ActionIndex;
using model::Game;
using model::InfosetId;
using model::NodeId;
using model::NodeKind;

namespace {

constexpr const char* kPlayerStroke[] = {"#6f9cc8", "#d59a68", "#86b874", "#a88cc4", "#c9ad4a", "#c98080"};
constexpr const char* kPathColor = "#c0392b";
constexpr const char* kChoiceColor = "#1f6fb2";
constexpr const char* kPlainColor = "#666666";

constexpr double kNodeFont = 12, kEdgeFont = 11, kLine = 14;
constexpr double kMargin = 12;
constexpr double kEdgeLabelRise = 20;  // top-down: the edge ends this far above the child, on its label
constexpr double kLevelGap = 34;       // top-down: between a row's lowest node and the next row's labels
constexpr double kRun = 28;            // left to right: least horizontal run of an edge

std::string Num(double v) {
  std::string s = FormatFixed(v, 1);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s == "-0" ? "0" : s;
}

std::string Payoffs(const Game& game, const TreeView& view, NodeId v, const double* own) {
  int np = game.num_players();
  std::string out;
  for (int i = 0; i < np; ++i)
    out += (i ? ", " : "") + FormatPayoff(view.above[static_cast<std::size_t>(v) * np + i] + (own ? own[i] : 0),
                                          static_cast<std::size_t>(i) < view.all_digits.size() && view.all_digits[i], view.unit);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

// Text is measured with Helvetica's widths, but a reader's browser may fall back to a wider
// sans-serif (DejaVu Sans is about 10 % wider): room is made for that, and more for bold.
constexpr double kSlack = 1.14, kBoldSlack = 1.24;

double LinesWidth(const std::vector<std::string>& lines, double size) {
  double w = 0;
  for (const auto& l : lines) w = std::max(w, TextWidth(l, size) * kSlack);
  return w;
}

// How one node is drawn: its shape (open: as itself; box: as a collapsed subtree), the label
// of the edge into it, and an information-set label beside it.
struct NodeLook {
  std::vector<std::string> lines, box_lines;
  double w = 0, h = 0, box_w = 0, box_h = 0;  // open and box sizes
  bool has_box = false;                       // can be (or is) drawn as a box
  std::string edge_label;
  double edge_w = 0;
  std::string infoset_label;
  double infoset_w = 0;
};

}  // namespace

double TextWidth(std::string_view text, double size) {
  // Advance widths of Helvetica (and the metric-compatible Arial and Liberation Sans) in
  // thousandths of an em, for printable ASCII from ' ' (32) to '~' (126).
  static constexpr short kWidth[95] = {
      278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // ' '..'/'
      556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // '0'..'?'
      1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // '@'..'O'
      667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // 'P'..'_'
      333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // '`'..'o'
      556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};      // 'p'..'~'
  double total = 0;
  for (unsigned char c : text) {
    if (c >= 32 && c < 127) total += kWidth[c - 32];
    else if (c >= 0xC0) total += 800;  // the first byte of a non-ASCII character
    else if (c < 0x80) total += 556;
  }
  return total / 1000.0 * size;
}

TreeView SelectTree(const Game& game, const equilibrium::Equilibrium* eq, const TreeDrawOptions& options) {
  const NodeId n = game.num_nodes();
  const int np = game.num_players();
  TreeView view;
  view.all_digits = PlayersNeedingAllDigits(game);
  view.unit = equilibrium::TieUnit(game);
  view.depth.assign(n, 0);
  std::vector<std::size_t> per_depth(1, 0);
  for (NodeId v = 0; v < n; ++v) {
    if (v != Game::root()) view.depth[v] = view.depth[game.parent(v)] + 1;
    if (view.depth[v] >= per_depth.size()) per_depth.resize(view.depth[v] + 1, 0);
    ++per_depth[view.depth[v]];
  }
  int full_depth = static_cast<int>(per_depth.size()) - 1;
  if (n > options.max_nodes) {
    std::size_t total = 0;
    full_depth = 0;
    for (std::size_t d = 0; d < per_depth.size(); ++d) {
      total += per_depth[d];
      if (total > options.max_nodes) break;
      full_depth = static_cast<int>(d);
    }
    if (full_depth < 1 && n > 1) full_depth = 1;
  }
  view.depth_shown = full_depth;

  if (eq) {
    ActionIndex index(game);
    view.reach = equilibrium::ReachProbabilities(game, index, eq->behavior);
    view.values = equilibrium::NodeValues(game, index, eq->behavior);
  }
  auto on_path = [&](NodeId v) { return eq && view.reach[v] > 0; };
  view.expanded.assign(n, 0);
  view.above.assign(static_cast<std::size_t>(n) * np, 0.0);
  std::size_t budget = options.path_budget;
  for (NodeId v = 0; v < n;) {
    view.shown.push_back(v);
    if (v != Game::root()) {
      NodeId p = game.parent(v);
      for (int i = 0; i < np; ++i) {
        double own = game.outcome(p) != model::kNoOutcome ? game.payoff(game.outcome(p), i) : 0;
        view.above[static_cast<std::size_t>(v) * np + i] = view.above[static_cast<std::size_t>(p) * np + i] + own;
      }
    }
    bool expand = !game.is_terminal(v);
    if (expand && static_cast<int>(view.depth[v]) >= full_depth) {
      std::size_t kids = game.num_children(v);
      expand = on_path(v) && kids <= budget;
      if (expand) budget -= kids;
    }
    view.expanded[v] = expand;
    if (!expand && !game.is_terminal(v)) ++view.collapsed;
    v = expand ? v + 1 : game.subtree_end(v);
  }
  if (view.shown.size() < n) {
    view.note = "The tree has " + std::to_string(n) + " nodes, too many to draw legibly at once: every "
                "node down to depth " + std::to_string(full_depth) + " is drawn" +
                (options.path_budget > 0 && eq ? ", the equilibrium path a little further" : "") +
                ", and each of the " + std::to_string(view.collapsed) +
                " subtrees below is one dashed box with its number of nodes" +
                (eq ? " and, in parentheses, its equilibrium payoffs" : "") + ".";
  }
  return view;
}

std::string LeafText(const Game& game, const TreeView& view, NodeId v, bool outcome_label) {
  const double* own = game.outcome(v) != model::kNoOutcome ? game.payoffs(game.outcome(v)).data() : nullptr;
  std::string label = Payoffs(game, view, v, own);
  if (outcome_label && game.outcome(v) != model::kNoOutcome && !game.outcome_label(game.outcome(v)).empty())
    label = std::string(game.outcome_label(game.outcome(v))) + "\n" + label;
  return label;
}

std::string BoxText(const Game& game, const TreeView& view, NodeId v, bool with_value) {
  std::size_t size = game.subtree_end(v) - v;
  std::string label = std::to_string(size) + " nodes";
  if (with_value && !view.values.empty())
    label += "\n(" + Payoffs(game, view, v, view.values.data() + static_cast<std::size_t>(v) * game.num_players()) + ")";
  return label;
}

std::string EdgeText(const Game& game, const equilibrium::Equilibrium* eq, const ActionIndex& index, NodeId v,
                     std::uint32_t a) {
  InfosetId h = game.infoset(v);
  std::string label = ActionName(game, h, a);
  if (game.kind(v) == NodeKind::kChance) return label + " (" + ChanceProbText(game, h, a) + ")";
  if (eq && !equilibrium::IsPure(eq->behavior, index.first(h), game.num_actions(h))) {
    double prob = eq->behavior[index(h, a)];
    if (prob > 0) label += " (p=" + FormatProbability(prob) + ")";
  }
  return label;
}

EdgeMark MarkEdge(const Game& game, const equilibrium::Equilibrium* eq, const TreeView& view,
                  const ActionIndex& index, NodeId v, std::uint32_t a) {
  if (!eq) return EdgeMark::kPlain;
  if (view.reach[game.child(v, a)] > 0) return EdgeMark::kPath;
  if (game.kind(v) != NodeKind::kChance && eq->behavior[index(game.infoset(v), a)] > 0) return EdgeMark::kChoice;
  return EdgeMark::kPlain;
}

TreeDrawing DrawTreeSvg(const Game& game, const equilibrium::Equilibrium* eq, const TreeDrawOptions& options) {
  TreeView view = SelectTree(game, eq, options);
  TreeDrawing result;
  result.nodes_drawn = view.shown.size();
  result.collapsed = view.collapsed;
  result.depth_shown = view.depth_shown;
  result.note = view.note;
  const NodeId n = game.num_nodes();
  ActionIndex index(game);

  // The nodes in the picture ("scope"): those shown, and in an interactive drawing also those
  // a reader may open, down to the deepest level that keeps within the budget.
  std::vector<char> shown(n, 0);
  for (NodeId v : view.shown) shown[v] = 1;
  std::uint32_t scope_depth = 0;
  if (options.interactive) {
    std::vector<std::size_t> per_depth;
    for (NodeId v = 0; v < n; ++v) {
      if (view.depth[v] >= per_depth.size()) per_depth.resize(view.depth[v] + 1, 0);
      ++per_depth[view.depth[v]];
    }
    std::size_t total = 0;
    for (std::size_t d = 0; d < per_depth.size(); ++d) {
      total += per_depth[d];
      if (total + view.shown.size() > options.interactive_nodes) break;
      scope_depth = static_cast<std::uint32_t>(d);
    }
  }
  std::vector<NodeId> scope;  // preorder
  for (NodeId v = 0; v < n;) {
    bool in = shown[v] || (options.interactive && view.depth[v] <= scope_depth);
    if (!in) {
      v = game.subtree_end(v);
      continue;
    }
    scope.push_back(v);
    ++v;
  }
  const std::uint32_t m = static_cast<std::uint32_t>(scope.size());
  std::vector<std::uint32_t> local(n, 0);
  for (std::uint32_t i = 0; i < m; ++i) local[scope[i]] = i;
  auto in_scope = [&](NodeId v) { return v < n && ((shown[v]) || (options.interactive && view.depth[v] <= scope_depth)); };
  // In an interactive drawing, a node can be opened and closed when its children are in the
  // picture.
  std::vector<char> openable(m, 0), open(m, 0), visible(m, 0);
  for (std::uint32_t i = 0; i < m; ++i) {
    NodeId v = scope[i];
    openable[i] = options.interactive && !game.is_terminal(v) && in_scope(game.child(v, 0));
    open[i] = view.expanded[v];
    visible[i] = shown[v];
    if (openable[i] && !open[i]) ++result.expandable;
    if (openable[i]) ++result.openable;
  }

  // What each node looks like.
  std::vector<NodeLook> look(m);
  std::vector<char> first_member(game.num_infosets(), 0);
  for (std::uint32_t i = 0; i < m; ++i) {
    NodeId v = scope[i];
    NodeLook& k = look[i];
    if (game.is_terminal(v)) {
      k.lines = Lines(LeafText(game, view, v, options.show_outcome_labels));
      k.w = LinesWidth(k.lines, kNodeFont) + 14;
      k.h = 8 + kLine * static_cast<double>(k.lines.size());
    } else {
      if (game.kind(v) == NodeKind::kChance) {
        k.lines = {"chance"};
        k.w = TextWidth("chance", 10) * kSlack + 30;
        k.h = 28;
      } else {
        k.lines = {game.player_name(game.player(v))};
        k.w = TextWidth(k.lines[0], kNodeFont) * kSlack + 20;
        k.h = 22;
      }
      k.has_box = !open[i] || openable[i];
      if (k.has_box) {
        k.box_lines = Lines(BoxText(game, view, v, eq != nullptr));
        k.box_w = LinesWidth(k.box_lines, kNodeFont) + 14;
        k.box_h = 8 + kLine * static_cast<double>(k.box_lines.size());
      }
      InfosetId h = game.infoset(v);
      if (game.infoset_player(h) != model::kChancePlayer && game.infoset_nodes(h).size() > 1 &&
          !game.infoset_label(h).empty() && !first_member[h] && shown[v]) {
        first_member[h] = 1;
        k.infoset_label = game.infoset_label(h);
        k.infoset_w = TextWidth(k.infoset_label, 10) * kSlack;
      }
    }
    if (v != Game::root()) {
      k.edge_label = EdgeText(game, eq, index, game.parent(v), game.action_into(v));
      bool bold = MarkEdge(game, eq, view, index, game.parent(v), game.action_into(v)) == EdgeMark::kPath;
      k.edge_w = TextWidth(k.edge_label, kEdgeFont) * (bold ? kBoldSlack : kSlack) + 4;
    }
  }
  // Sizes in the state drawn (open, or box).
  auto width = [&](std::uint32_t i, bool box) { return box ? look[i].box_w : look[i].w; };
  auto height = [&](std::uint32_t i, bool box) { return box ? look[i].box_h : look[i].h; };
  auto is_box = [&](std::uint32_t i) { return !game.is_terminal(scope[i]) && !open[i]; };
  // Extents along the breadth axis, for each orientation and state.
  auto extents = [&](std::uint32_t i, bool box, bool lr) {
    const NodeLook& k = look[i];
    double w = width(i, box), h = height(i, box);
    if (!lr) {
      double half = std::max(w, k.edge_w) / 2;
      double before = half;
      if (!k.infoset_label.empty()) before = std::max(before, w / 2 + 6 + k.infoset_w);
      return std::pair<double, double>{before, half};
    }
    double before = std::max(h / 2, k.edge_label.empty() ? 0.0 : 17.0);
    if (!k.infoset_label.empty()) before = std::max(before, h / 2 + 14);
    return std::pair<double, double>{before, h / 2};
  };

  // The tree of visible nodes, for the layout.
  auto layout = [&](bool lr, std::vector<std::uint32_t>& ids) {
    ids.clear();
    std::vector<std::uint32_t> position(m, 0);
    for (std::uint32_t i = 0; i < m; ++i)
      if (visible[i]) {
        position[i] = static_cast<std::uint32_t>(ids.size());
        ids.push_back(i);
      }
    TidyTree t;
    const std::uint32_t k = static_cast<std::uint32_t>(ids.size());
    t.parent.assign(k, 0);
    t.rowstart.assign(k + 1, 0);
    t.before.resize(k);
    t.after.resize(k);
    for (std::uint32_t j = 0; j < k; ++j) {
      std::uint32_t i = ids[j];
      NodeId v = scope[i];
      if (j > 0) {
        t.parent[j] = position[local[game.parent(v)]];
        ++t.rowstart[t.parent[j] + 1];
      }
      auto [b, a] = extents(i, is_box(i), lr);
      t.before[j] = b;
      t.after[j] = a;
    }
    for (std::uint32_t j = 0; j < k; ++j) t.rowstart[j + 1] += t.rowstart[j];
    t.children.resize(k > 0 ? k - 1 : 0);
    std::vector<std::uint32_t> fill(t.rowstart.begin(), t.rowstart.end() - 1);
    for (std::uint32_t j = 1; j < k; ++j) t.children[fill[t.parent[j]]++] = j;
    std::vector<double> x = TidyLayout(t, {12, 20});
    double extent = 0;
    for (std::uint32_t j = 0; j < k; ++j) extent = std::max(extent, x[j] + t.after[j]);
    return std::pair<std::vector<double>, double>{std::move(x), extent};
  };
  std::vector<std::uint32_t> ids;
  auto [x, breadth] = layout(false, ids);
  bool lr = breadth + 2 * kMargin > options.page_width;
  if (lr) std::tie(x, breadth) = layout(true, ids);
  result.left_to_right = lr;

  // Positions along the depth axis, one per level, from every node in the picture (so that
  // they stay put while a reader opens and closes subtrees).
  std::uint32_t levels = 0;
  for (std::uint32_t i = 0; i < m; ++i) levels = std::max(levels, view.depth[scope[i]] + 1);
  std::vector<double> far(levels, 0), label(levels, 0);  // deepest extent; widest edge label
  for (std::uint32_t i = 0; i < m; ++i) {
    std::uint32_t d = view.depth[scope[i]];
    const NodeLook& k = look[i];
    double size = lr ? std::max({k.w, k.box_w, k.infoset_w}) : std::max(k.h, k.box_h);
    far[d] = std::max(far[d], size);
    label[d] = std::max(label[d], k.edge_w);
  }
  std::vector<double> level(levels, 0);
  for (std::uint32_t d = 0; d < levels; ++d) {
    if (d == 0)
      level[d] = kMargin;
    else if (lr)
      level[d] = level[d - 1] + far[d - 1] + kRun + label[d] + 10;
    else
      level[d] = level[d - 1] + far[d - 1] + kLevelGap + kEdgeLabelRise;
  }
  std::vector<double> at(m, 0);  // breadth position of each node (0 when hidden)
  for (std::size_t j = 0; j < ids.size(); ++j) at[ids[j]] = x[j] + kMargin;
  double depth_extent = 0;
  for (std::uint32_t j : ids) {
    std::uint32_t d = view.depth[scope[j]];
    double size = lr ? std::max(width(j, is_box(j)), look[j].infoset_w) : height(j, is_box(j));
    depth_extent = std::max(depth_extent, level[d] + size);
  }
  double total_w = lr ? depth_extent + kMargin : breadth + 2 * kMargin;
  double total_h = lr ? breadth + 2 * kMargin : depth_extent + kMargin;
  result.width = total_w;
  result.height = total_h;
  auto pos = [&](std::uint32_t i) {
    double b = at[i], d = level[view.depth[scope[i]]];
    return lr ? std::pair<double, double>{d, b} : std::pair<double, double>{b, d};
  };
  // Anchors relative to a node's origin (top-down: the top centre of its shape; left to
  // right: the middle of its left side): where edges leave and arrive.
  auto out_anchor = [&](std::uint32_t i) {
    return lr ? std::pair<double, double>{look[i].w, 0} : std::pair<double, double>{0, look[i].h};
  };
  auto in_anchor = [&](std::uint32_t i) {
    if (lr) return std::pair<double, double>{-(look[i].edge_w + 12), 0};
    return std::pair<double, double>{0, -kEdgeLabelRise};
  };
  auto center = [&](std::uint32_t i) {
    auto [px, py] = pos(i);
    double w = width(i, is_box(i)), h = height(i, is_box(i));
    return lr ? std::pair<double, double>{px + w / 2, py} : std::pair<double, double>{px, py + h / 2};
  };

  // xml:space="preserve": a label's repeated, leading and trailing spaces are drawn as the
  // text and the other writers show them (SVG collapses them otherwise). No <text> holds
  // anything but its label.
  std::ostringstream out;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"parley-tree\" width=\"" << Num(total_w)
      << "\" height=\"" << Num(total_h) << "\" viewBox=\"0 0 " << Num(total_w) << " " << Num(total_h)
      << "\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\" role=\"img\" xml:space=\"preserve\" data-dir=\""
      << (lr ? "lr" : "td") << "\" data-levels=\"";
  for (std::uint32_t d = 0; d < levels; ++d) out << (d ? "," : "") << Num(level[d]);
  out << "\" data-margin=\"" << Num(kMargin) << "\">\n<title>Game tree</title>\n";
  out << "<rect class=\"pbg\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";

  // Edges first (under the nodes), then information sets, then nodes.
  out << "<g class=\"pedges\" fill=\"none\" stroke-linejoin=\"round\">\n";
  for (std::uint32_t i = 1; i < m; ++i) {
    NodeId v = scope[i];
    NodeId p = game.parent(v);
    std::uint32_t pi = local[p];
    EdgeMark mark = MarkEdge(game, eq, view, index, p, game.action_into(v));
    if (mark == EdgeMark::kChoice && visible[i]) result.off_path_choices = true;
    auto [px, py] = pos(pi);
    auto [ox, oy] = out_anchor(pi);
    auto [cx, cy] = pos(i);
    auto [ix, iy] = in_anchor(i);
    out << "<path class=\"pe" << (mark == EdgeMark::kPath ? " path" : mark == EdgeMark::kChoice ? " choice" : "")
        << "\" data-c=\"" << i << "\" d=\"M" << Num(px + ox) << "," << Num(py + oy) << " L" << Num(cx + ix) << ","
        << Num(cy + iy) << " L" << Num(cx) << "," << Num(lr ? cy : cy + iy) << "\" stroke=\""
        << (mark == EdgeMark::kPath ? kPathColor : mark == EdgeMark::kChoice ? kChoiceColor : kPlainColor)
        << "\" stroke-width=\"" << (mark == EdgeMark::kPath ? "3.5" : mark == EdgeMark::kChoice ? "2.2" : "1.2")
        << "\"" << (visible[i] ? "" : " display=\"none\"") << "/>\n";
  }
  out << "</g>\n<g class=\"pinfosets\" fill=\"none\" stroke=\"#777777\" stroke-width=\"1.4\" stroke-dasharray=\"5,4\">\n";
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == model::kChancePlayer) continue;
    auto members = game.infoset_nodes(h);
    if (members.size() < 2) continue;
    std::vector<std::uint32_t> drawn;
    for (NodeId v : members)
      if (in_scope(v)) drawn.push_back(local[v]);
    std::sort(drawn.begin(), drawn.end());
    for (std::size_t k = 0; k + 1 < drawn.size(); ++k) {
      std::uint32_t a = drawn[k], b = drawn[k + 1];
      bool show = visible[a] && visible[b];
      out << "<path class=\"pi\" data-a=\"" << a << "\" data-b=\"" << b << "\" d=\"";
      if (show) {
        auto [ax, ay] = center(a);
        auto [bx, by] = center(b);
        double cx = (ax + bx) / 2, cy = (ay + by) / 2;
        if (view.depth[scope[a]] == view.depth[scope[b]]) {
          double bulge = std::min(36.0, 0.12 * std::hypot(bx - ax, by - ay));
          if (lr) cx += bulge; else cy += bulge;
        }
        out << "M" << Num(ax) << "," << Num(ay) << " Q" << Num(cx) << "," << Num(cy) << " " << Num(bx) << "," << Num(by);
      }
      out << "\"" << (show ? "" : " display=\"none\"") << "/>\n";
    }
  }
  out << "</g>\n<g class=\"pnodes\">\n";
  // Lines of text centred in a shape of height h whose top is at `top`.
  auto text_lines = [&](const std::vector<std::string>& lines, double cx, double top, double h) {
    double first = top + (h - kLine * static_cast<double>(lines.size())) / 2 + 11;
    for (std::size_t l = 0; l < lines.size(); ++l)
      out << "<text x=\"" << Num(cx) << "\" y=\"" << Num(first + kLine * static_cast<double>(l))
          << "\" text-anchor=\"middle\">" << EscapeHtml(lines[l]) << "</text>";
  };
  for (std::uint32_t i = 0; i < m; ++i) {
    NodeId v = scope[i];
    const NodeLook& k = look[i];
    auto [px, py] = pos(i);
    auto [ob, oa] = extents(i, false, lr);
    out << "<g class=\"pn\" data-n=\"" << i << "\" data-p=\"" << (i ? local[game.parent(v)] : 0) << "\" data-d=\""
        << view.depth[v] << "\" data-e=\"" << Num(ob) << "," << Num(oa) << "\" data-s=\"" << Num(k.w) << ","
        << Num(k.h) << "\"";
    if (k.has_box) {
      auto [bb, ba] = extents(i, true, lr);
      out << " data-be=\"" << Num(bb) << "," << Num(ba) << "\" data-bs=\"" << Num(k.box_w) << "," << Num(k.box_h) << "\"";
    }
    // The far extent along the depth axis (the SVG's size follows it).
    out << " data-f=\"" << Num(lr ? std::max(k.w, k.infoset_w) : k.h) << ","
        << Num(lr ? std::max(k.box_w, k.infoset_w) : k.box_h) << "\"";
    auto [ox, oy] = out_anchor(i);
    auto [ix, iy] = in_anchor(i);
    out << " data-o=\"" << Num(ox) << "," << Num(oy) << "\" data-i=\"" << Num(ix) << "," << Num(iy) << "\"";
    if (openable[i]) out << " data-k=\"1\" tabindex=\"0\" role=\"button\"";  // keyboard: Tab, then Enter
    out << " transform=\"translate(" << Num(px) << "," << Num(py) << ")\"" << (visible[i] ? "" : " display=\"none\"")
        << ">";
    std::string tooltip = Capitalize(DescribeNode(game, v));
    if (openable[i]) tooltip += " (click to open or close)";
    out << "<title>" << EscapeHtml(tooltip) << "</title>";
    // The label of the edge into the node.
    if (!k.edge_label.empty()) {
      EdgeMark mark = MarkEdge(game, eq, view, index, game.parent(v), game.action_into(v));
      const char* color = mark == EdgeMark::kPath ? kPathColor : mark == EdgeMark::kChoice ? kChoiceColor : "#333333";
      if (lr)
        out << "<text class=\"pl\" x=\"-6\" y=\"-5\" text-anchor=\"end\"";
      else
        out << "<text class=\"pl\" x=\"0\" y=\"-6\" text-anchor=\"middle\"";
      out << " font-size=\"" << Num(kEdgeFont) << "\" fill=\"" << color << "\""
          << (mark == EdgeMark::kPath ? " font-weight=\"bold\"" : "") << ">" << EscapeHtml(k.edge_label) << "</text>";
    }
    if (!k.infoset_label.empty()) {
      if (lr)
        out << "<text x=\"0\" y=\"" << Num(-k.h / 2 - 4) << "\" font-size=\"10\" font-style=\"italic\" fill=\"#777777\">";
      else
        out << "<text x=\"" << Num(-k.w / 2 - 6) << "\" y=\"" << Num(k.h / 2 + 3.5)
            << "\" text-anchor=\"end\" font-size=\"10\" font-style=\"italic\" fill=\"#777777\">";
      out << EscapeHtml(k.infoset_label) << "</text>";
    }
    // The node as itself.
    double x0 = lr ? 0 : -k.w / 2, y0 = lr ? -k.h / 2 : 0;
    bool path_node = eq && view.reach[v] > 0;
    out << "<g class=\"po\"" << (is_box(i) ? " display=\"none\"" : "") << ">";
    if (game.is_terminal(v)) {
      out << "<rect x=\"" << Num(x0) << "\" y=\"" << Num(y0) << "\" width=\"" << Num(k.w) << "\" height=\""
          << Num(k.h) << "\" rx=\"4\" fill=\"#ffffff\" stroke=\"" << (path_node ? kPathColor : "#555555")
          << "\" stroke-width=\"" << (path_node ? "2" : "1") << "\"/>";
      text_lines(k.lines, x0 + k.w / 2, y0, k.h);
    } else if (game.kind(v) == NodeKind::kChance) {
      double cx = x0 + k.w / 2, cy = y0 + k.h / 2;
      out << "<polygon points=\"" << Num(cx) << "," << Num(y0) << " " << Num(x0 + k.w) << "," << Num(cy) << " "
          << Num(cx) << "," << Num(y0 + k.h) << " " << Num(x0) << "," << Num(cy)
          << "\" fill=\"#eeeeee\" stroke=\"#777777\"/>";
      out << "<text x=\"" << Num(cx) << "\" y=\"" << Num(cy + 3.5) << "\" text-anchor=\"middle\" font-size=\"10\">chance</text>";
    } else {
      int p = game.player(v);
      out << "<rect x=\"" << Num(x0) << "\" y=\"" << Num(y0) << "\" width=\"" << Num(k.w) << "\" height=\""
          << Num(k.h) << "\" rx=\"11\" fill=\"" << kPlayerFill[p % 6] << "\" stroke=\"" << kPlayerStroke[p % 6]
          << "\"/>";
      text_lines(k.lines, x0 + k.w / 2, y0, k.h);
    }
    out << "</g>";
    // The node as a collapsed subtree.
    if (k.has_box) {
      double bx = lr ? 0 : -k.box_w / 2, by = lr ? -k.box_h / 2 : 0;
      out << "<g class=\"pb\"" << (is_box(i) ? "" : " display=\"none\"") << ">";
      out << "<rect x=\"" << Num(bx) << "\" y=\"" << Num(by) << "\" width=\"" << Num(k.box_w) << "\" height=\""
          << Num(k.box_h) << "\" rx=\"4\" fill=\"" << (openable[i] ? "#f4f7fb" : "#ffffff") << "\" stroke=\""
          << (path_node ? kPathColor : "#555555") << "\" stroke-dasharray=\"4,3\"/>";
      text_lines(k.box_lines, bx + k.box_w / 2, by, k.box_h);
      out << "</g>";
    }
    out << "</g>\n";
  }
  out << "</g>\n</svg>\n";
  result.svg = out.str();
  return result;
}

}  // namespace parley::report
