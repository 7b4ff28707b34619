// The tidy-tree layout (tree_layout.h) and the SVG drawing of game trees (tree_svg.h): the
// layout's invariants on generated trees, hand-computed positions, the entry game's drawing
// checked edge by edge, a few-hundred-node tree drawn whole, and a deep chain.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "bench/random_tree.h"
#include "solver/equilibrium/solve.h"
#include "solver/io/files.h"
#include "solver/report/dot.h"
#include "solver/report/tree_layout.h"
#include "solver/report/tree_svg.h"
#include "tests/test_util.h"

namespace parley::report {
namespace {

constexpr double kEps = 1e-6;

// The tree of a game as a TidyTree (same preorder ids), with extents drawn at random.
TidyTree FromGame(const model::Game& game, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> size(3, 60);
  TidyTree t;
  const model::NodeId n = game.num_nodes();
  t.parent.assign(n, 0);
  t.rowstart.assign(n + 1, 0);
  for (model::NodeId v = 0; v < n; ++v) {
    if (v != 0) t.parent[v] = game.parent(v);
    t.rowstart[v + 1] = t.rowstart[v] + game.num_children(v);
    for (model::NodeId c : game.children(v)) t.children.push_back(c);
    t.before.push_back(size(rng));
    t.after.push_back(size(rng));
  }
  return t;
}

// The subtree of `t` at u as a tree of its own (ids shifted by u).
TidyTree Subtree(const TidyTree& t, std::uint32_t u, std::uint32_t end) {
  TidyTree s;
  for (std::uint32_t v = u; v < end; ++v) {
    s.parent.push_back(v == u ? 0 : t.parent[v] - u);
    s.rowstart.push_back(static_cast<std::uint32_t>(s.children.size()));
    for (std::uint32_t k = t.rowstart[v]; k < t.rowstart[v + 1]; ++k) s.children.push_back(t.children[k] - u);
    s.before.push_back(t.before[v]);
    s.after.push_back(t.after[v]);
  }
  s.rowstart.push_back(static_cast<std::uint32_t>(s.children.size()));
  return s;
}

// Checks the invariants of a tidy drawing.
void CheckTidy(const TidyTree& t, const std::vector<double>& x, const TidyOptions& o) {
  std::vector<std::uint32_t> depth = TidyDepths(t);
  // Nodes of one depth, in preorder, are left to right and apart by at least the gap.
  std::map<std::uint32_t, std::uint32_t> last;  // depth -> last node seen
  std::size_t overlaps = 0, off_centre = 0;
  for (std::uint32_t v = 0; v < t.size(); ++v) {
    auto it = last.find(depth[v]);
    if (it != last.end()) {
      std::uint32_t u = it->second;
      double gap = t.parent[u] == t.parent[v] ? o.sibling_gap : o.subtree_gap;
      if (x[v] - t.before[v] < x[u] + t.after[u] + gap - kEps) ++overlaps;
    }
    last[depth[v]] = v;
    std::uint32_t k = t.num_children(v);
    if (k > 0) {
      double first = x[t.children[t.rowstart[v]]], final = x[t.children[t.rowstart[v] + k - 1]];
      if (std::abs(x[v] - (first + final) / 2) > kEps) ++off_centre;
    }
  }
  CHECK(overlaps == 0);
  CHECK(off_centre == 0);
  double low = 1e300;
  for (std::uint32_t v = 0; v < t.size(); ++v) low = std::min(low, x[v] - t.before[v]);
  CHECK(low == doctest::Approx(0));
}

// Attribute `name` of every element matching `tag_regex` in `svg`.
std::vector<std::string> Attributes(const std::string& svg, const std::string& element, const std::string& name) {
  std::vector<std::string> values;
  std::regex tag("<" + element + "[^>]*>");
  std::regex attribute(" " + name + "=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tag); it != std::sregex_iterator(); ++it) {
    std::smatch m;
    std::string text = it->str();
    if (std::regex_search(text, m, attribute)) values.push_back(m[1]);
  }
  return values;
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// Visible nodes of a drawn tree must not overlap along their row: their breadth intervals
// (position -/+ the extents the SVG states) are disjoint within each depth.
void CheckSvgRows(const std::string& svg) {
  bool lr = svg.find("data-dir=\"lr\"") != std::string::npos;
  std::regex node("<g class=\"pn\"[^>]*data-d=\"(\\d+)\" data-e=\"([-0-9.]+),([-0-9.]+)\"[^>]*transform=\"translate\\(([-0-9.]+),([-0-9.]+)\\)\"( display=\"none\")?>");
  std::map<int, std::vector<std::pair<double, double>>> rows;
  std::size_t seen = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), node); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    ++seen;
    if (m[6].matched) continue;  // hidden
    double at = std::stod(lr ? m[5].str() : m[4].str());
    rows[std::stoi(m[1])].push_back({at - std::stod(m[2]), at + std::stod(m[3])});
  }
  REQUIRE(seen > 0);
  std::size_t overlaps = 0;
  for (auto& [depth, spans] : rows) {
    std::sort(spans.begin(), spans.end());
    for (std::size_t k = 1; k < spans.size(); ++k)
      if (spans[k].first < spans[k - 1].second + 10) ++overlaps;  // the gap is 12, positions rounded to 0.1
  }
  CHECK(overlaps == 0);
}

}  // namespace

TEST_SUITE("report tree") {
  TEST_CASE("tidy layout: three leaves and their parent, by hand") {
    // Leaves of half-width 10, sibling gap 12: at 10, 42, 74; the root centred at 42.
    TidyTree t{{0, 0, 0, 0}, {0, 3, 3, 3, 3}, {1, 2, 3}, {10, 10, 10, 10}, {10, 10, 10, 10}};
    std::vector<double> x = TidyLayout(t, {12, 20});
    CHECK(x == std::vector<double>{42, 10, 42, 74});
  }

  TEST_CASE("tidy layout: small subtrees between two wide ones are spread evenly") {
    // Root 0 with children A=1 (leaves 2-5), b=6, c=7, D=8 (leaves 9-12); every extent 5, so
    // neighbours with one parent are 5 + 12 + 5 = 22 apart, cousins 5 + 20 + 5 = 30. A's
    // leaves sit at A - 33, -11, 11, 33, D's likewise, so A's last leaf and D's first clear
    // each other when D - A >= 33 + 30 + 33 = 96, more than the 3 * 22 = 66 that A, b, c, D
    // need on their own row: the 30 extra are spread evenly, A, b, c, D 32 apart (Walker's
    // rule, which Buchheim et al. keep linear).
    TidyTree t;
    t.parent = {0, 0, 1, 1, 1, 1, 0, 0, 0, 8, 8, 8, 8};
    t.rowstart = {0, 4, 8, 8, 8, 8, 8, 8, 8, 12, 12, 12, 12, 12};
    t.children = {1, 6, 7, 8, 2, 3, 4, 5, 9, 10, 11, 12};
    t.before.assign(13, 5);
    t.after.assign(13, 5);
    std::vector<double> x = TidyLayout(t, {12, 20});
    CHECK(x[6] - x[1] == doctest::Approx(32));
    CHECK(x[7] - x[6] == doctest::Approx(32));
    CHECK(x[8] - x[7] == doctest::Approx(32));
    CHECK(x[9] - x[5] == doctest::Approx(30));  // A's last leaf and D's first: cousins, 30 apart
    CheckTidy(t, x, {12, 20});
  }

  TEST_CASE("tidy layout: invariants on generated trees") {
    for (std::uint64_t seed : {1, 2, 3, 4, 5}) {
      for (std::size_t nodes : {2, 7, 60, 500, 3000}) {
        CAPTURE(seed);
        CAPTURE(nodes);
        auto game = bench::RandomPerfectInformationTree({nodes, 2, 0.1, seed});
        TidyTree t = FromGame(*game, seed);
        TidyOptions o{9, 17};
        std::vector<double> x = TidyLayout(t, o);
        CheckTidy(t, x, o);
        // Deterministic: the same input gives the same positions, bit for bit.
        CHECK(TidyLayout(t, o) == x);
        // Every subtree is drawn as its own layout, translated.
        std::size_t moved = 0;
        for (model::NodeId u = 1; u < game->num_nodes(); u += 1 + game->num_nodes() / 7) {
          if (game->is_terminal(u)) continue;
          std::vector<double> own = TidyLayout(Subtree(t, u, game->subtree_end(u)), o);
          for (model::NodeId w = u; w < game->subtree_end(u); ++w)
            if (std::abs((x[w] - x[u]) - (own[w - u] - own[0])) > kEps) ++moved;
        }
        CHECK(moved == 0);
      }
    }
  }

  TEST_CASE("tidy layout: a chain 100,000 deep, without recursion") {
    // Timed in bench/report_bench.cc; here: it finishes (no stack overflow) and is straight.
    const std::uint32_t n = 100'000;
    TidyTree t;
    t.parent.resize(n);
    t.rowstart.resize(n + 1);
    for (std::uint32_t v = 0; v < n; ++v) {
      t.parent[v] = v == 0 ? 0 : v - 1;
      t.rowstart[v] = v;
      if (v + 1 < n) t.children.push_back(v + 1);
    }
    t.rowstart[n] = n - 1;
    t.before.assign(n, 4);
    t.after.assign(n, 4);
    std::vector<double> x = TidyLayout(t);
    CHECK(std::all_of(x.begin(), x.end(), [](double v) { return v == 4; }));
  }

  TEST_CASE("the entry game's drawing: the path In, Accommodate in red, nothing blue") {
    auto game = io::LoadGame(testing::SourcePath("tests/report/golden/entry.efg"));
    auto solution = equilibrium::Solve(*game, {});
    // Incumbent after In: Fight -1 < Accommodate 1; Entrant: Out 0 < In 1. Preorder: 0 root,
    // 1 Out (0, 2), 2 Incumbent, 3 Fight (-1, -1), 4 Accommodate (1, 1).
    TreeDrawing d = DrawTreeSvg(*game, &solution.equilibria.front());
    CHECK(d.note.empty());
    CHECK(d.nodes_drawn == 5);
    CHECK(d.collapsed == 0);
    CHECK(!d.left_to_right);
    CHECK(!d.off_path_choices);
    const std::string& svg = d.svg;
    CHECK(Count(svg, "<path class=\"pe path\"") == 2);
    CHECK(svg.find("<path class=\"pe path\" data-c=\"2\"") != std::string::npos);  // In
    CHECK(svg.find("<path class=\"pe path\" data-c=\"4\"") != std::string::npos);  // Accommodate
    CHECK(svg.find("<path class=\"pe\" data-c=\"1\"") != std::string::npos);       // Out
    CHECK(svg.find("<path class=\"pe\" data-c=\"3\"") != std::string::npos);       // Fight
    CHECK(Count(svg, "class=\"pe choice\"") == 0);
    CHECK(Count(svg, "<g class=\"pn\"") == 5);
    for (const char* text : {">Entrant<", ">Incumbent<", ">0, 2<", ">-1, -1<", ">1, 1<", ">In<", ">Out<",
                             ">Fight<", ">Accommodate<"})
      CHECK_MESSAGE(svg.find(text) != std::string::npos, text);
    // The leaf reached is framed red, the others grey.
    CHECK(Count(svg, "stroke=\"#c0392b\" stroke-width=\"2\"") == 1);
    CheckSvgRows(svg);
    // Without a solution nothing is red.
    CHECK(DrawTreeSvg(*game, nullptr).svg.find("#c0392b") == std::string::npos);
    // The parent is centred over its children: Incumbent (2) over Fight (3) and Accommodate (4).
    std::vector<std::string> at = Attributes(svg, "g class=\"pn\"", "transform");
    REQUIRE(at.size() == 5);
    auto x = [&](int v) { return std::stod(at[v].substr(10)); };
    CHECK(x(2) == doctest::Approx((x(3) + x(4)) / 2).epsilon(0.001));
    CHECK(x(0) == doctest::Approx((x(1) + x(2)) / 2).epsilon(0.001));
  }

  TEST_CASE("an off-path choice is marked blue") {
    // Entrant stays out: the incumbent's Fight (1 > 0 for I) is off the path.
    auto game = io::LoadGame(testing::WriteTempFile("deter.efg", R"(EFG 2 R "Deter" { "E" "I" }
""
p "" 1 1 "" { "Out" "In" } 0
t "" 1 "" { 1, 3 }
p "" 2 1 "" { "Fight" "Share" } 0
t "" 2 "" { 0, 1 }
t "" 3 "" { -1, 0 }
)"));
    auto solution = equilibrium::Solve(*game, {});
    TreeDrawing d = DrawTreeSvg(*game, &solution.equilibria.front());
    CHECK(d.off_path_choices);
    CHECK(d.svg.find("<path class=\"pe choice\" data-c=\"3\"") != std::string::npos);
    CHECK(d.svg.find("<path class=\"pe path\" data-c=\"1\"") != std::string::npos);
    CHECK(Count(d.svg, "class=\"pe path\"") == 1);
    std::string dot = TreeDot(*game, &solution.equilibria.front());
    CHECK(dot.find("n2 -> n3 [label=\" Fight \", color=\"#1f6fb2\"") != std::string::npos);
  }

  TEST_CASE("information sets joined, mixed probabilities shown") {
    auto game = io::LoadGame(testing::SourcePath("tests/report/golden/pennies.json"));
    equilibrium::Equilibrium eq;
    eq.behavior = {0.5, 0.5, 0.5, 0.5};
    eq.payoffs = {0, 0};
    TreeDrawing d = DrawTreeSvg(*game, &eq);
    // Column's two nodes (1 and 4) joined by one dashed path, labelled "guess".
    CHECK(Count(d.svg, "<path class=\"pi\"") == 1);
    CHECK(d.svg.find("<path class=\"pi\" data-a=\"1\" data-b=\"4\" d=\"M") != std::string::npos);
    CHECK(d.svg.find(">guess<") != std::string::npos);
    CHECK(Count(d.svg, ">Heads (p=0.5)<") == 3);
    CheckSvgRows(d.svg);
    std::string dot = TreeDot(*game, &eq);
    CHECK(dot.find("rank=same; n1; n4;") != std::string::npos);
    CHECK(dot.find("n1 -> n4 [style=dashed") != std::string::npos);
    CHECK(dot.find("Heads (p=0.5)") != std::string::npos);
  }

  TEST_CASE("a tree of a few hundred nodes is drawn whole, left to right, rows apart") {
    auto game = bench::RandomPerfectInformationTree({350, 2, 0.1, 11});
    auto solution = equilibrium::Solve(*game, {});
    TreeDrawing d = DrawTreeSvg(*game, &solution.equilibria.front());
    CHECK(d.nodes_drawn == 350);
    CHECK(d.collapsed == 0);
    CHECK(d.note.empty());
    CHECK(d.left_to_right);  // about 170 leaves do not fit a page's width
    CHECK(d.height > d.width);  // leaves stacked down the page
    CHECK(Count(d.svg, "<g class=\"pn\"") == 350);
    CHECK(Count(d.svg, "display=\"none\"") == 0);
    CheckSvgRows(d.svg);
  }

  TEST_CASE("a large tree is collapsed below a depth, interactive drawings hold what a reader may open") {
    auto game = bench::RandomPerfectInformationTree({10'000, 2, 0.1, 7});
    auto solution = equilibrium::Solve(*game, {});
    TreeDrawOptions options;
    TreeDrawing d = DrawTreeSvg(*game, &solution.equilibria.front(), options);
    CHECK(d.nodes_drawn <= options.max_nodes + options.path_budget);
    CHECK(d.collapsed > 0);
    CHECK(d.note.find(std::to_string(game->num_nodes()) + " nodes") != std::string::npos);
    CHECK(d.svg.find(" nodes</text><text") != std::string::npos);  // "N nodes" over "(payoffs)"
    CHECK(Count(d.svg, "<g class=\"pn\"") == d.nodes_drawn);
    CheckSvgRows(d.svg);
    options.interactive = true;
    TreeDrawing i = DrawTreeSvg(*game, &solution.equilibria.front(), options);
    std::size_t in_svg = Count(i.svg, "<g class=\"pn\"");
    CHECK(in_svg > i.nodes_drawn);
    CHECK(in_svg <= options.interactive_nodes);
    CHECK(i.expandable > 0);
    CHECK(Count(i.svg, "data-k=\"1\"") >= i.expandable);
    // The default drawing is laid out the same in both (along the rows).
    CHECK(i.left_to_right == d.left_to_right);
    CHECK((i.left_to_right ? i.height == d.height : i.width == d.width));
    CheckSvgRows(i.svg);
  }

  TEST_CASE("text widths: a per-character model of Helvetica") {
    // "Mm" = 833 + 833 thousandths of an em; "il" = 222 + 222.
    CHECK(TextWidth("Mm", 10) == doctest::Approx(16.66));
    CHECK(TextWidth("il", 10) == doctest::Approx(4.44));
    CHECK(TextWidth("Microsoft", 12) > TextWidth("OpenAI", 12));
  }
}

}  // namespace parley::report
