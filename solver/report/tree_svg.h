// The game tree drawn as SVG by our own code, laid out by the tidy-tree algorithm of
// tree_layout.h (Reingold and Tilford 1981; Walker 1990; Buchheim, Jünger and Leipert 2002).
//
// The drawing follows textbook conventions (Osborne and Rubinstein 1994, ch. 6 and 11):
// decision nodes name their mover (one colour per player), chance nodes are diamonds, leaves
// show the payoff vector (outcomes met on the way added), edges carry action labels (chance
// edges their probabilities), and the nodes of one information set are joined by dashed
// lines. With an equilibrium, the edges it plays on the path are thick red and its choices at
// nodes off the path blue; mixed choices show their probabilities.
//
// Trees are drawn top-down when that fits `page_width`, else left to right (depth across,
// leaves stacked down the page), which keeps a few hundred nodes readable on a page. Label
// widths come from a per-character width model of Helvetica/Arial, so labels never overlap.
//
// Large trees are not drawn whole: nodes are kept down to the deepest level such that the
// drawing has at most `max_nodes` nodes, the equilibrium path is followed further while a
// budget lasts, and every subtree cut off is one dashed box with its size and equilibrium
// value. With `interactive`, the SVG also holds (hidden) the nodes a reader may open, up to
// `interactive_nodes`, with the data the HTML report's script needs to relayout the tree
// when a box is clicked (html.cc); without a script the default drawing shows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"

namespace parley::report {

// Light fills per player (colour-blind-safe pastel set), cycling past six players: the tree
// drawings in SVG and DOT share them.
inline constexpr const char* kPlayerFill[] = {"#dbe9f6", "#fde4cf", "#e2f0d9",
                                             "#ece2f4", "#fff3c4", "#f6dede"};

struct TreeDrawOptions {
  std::size_t max_nodes = 400;    // more nodes than this: collapse below a depth
  std::size_t path_budget = 60;   // extra nodes kept to follow the equilibrium path deeper
  bool show_outcome_labels = false;
  double page_width = 960;        // top-down when the drawing is at most this wide (px)
  bool interactive = false;       // hidden nodes and data for the report's script
  std::size_t interactive_nodes = 1000;  // at most this many nodes in an interactive SVG
};

// Which nodes a drawing shows, and what it writes on them (shared by the SVG and DOT writers).
struct TreeView {
  std::vector<model::NodeId> shown;      // in preorder
  std::vector<char> expanded;            // per game node: its children are shown
  std::vector<std::uint32_t> depth;      // per game node
  std::vector<double> above;             // per game node and player: outcomes met above it
  std::vector<double> reach, values;     // per node, when there is an equilibrium
  std::vector<char> all_digits;          // per player: payoffs written in full (PlayersNeedingAllDigits)
  double unit = 1;                       // the game's payoff unit (equilibrium::TieUnit), for FormatValue
  int depth_shown = 0;                   // every node down to this depth is shown
  std::size_t collapsed = 0;             // shown subtrees drawn as one box
  std::string note;                      // for readers, when collapsed; else ""
};

TreeView SelectTree(const model::Game& game, const equilibrium::Equilibrium* eq,
                    const TreeDrawOptions& options);

// What is written on the drawing, shared by the SVG and DOT writers.
std::string LeafText(const model::Game& game, const TreeView& view, model::NodeId v, bool outcome_label);
std::string BoxText(const model::Game& game, const TreeView& view, model::NodeId v, bool with_value);
std::string EdgeText(const model::Game& game, const equilibrium::Equilibrium* eq,
                     const equilibrium::ActionIndex& index, model::NodeId v, std::uint32_t a);

enum class EdgeMark { kPlain, kPath, kChoice };  // off the path / on it / prescribed off it
EdgeMark MarkEdge(const model::Game& game, const equilibrium::Equilibrium* eq, const TreeView& view,
                  const equilibrium::ActionIndex& index, model::NodeId v, std::uint32_t a);

struct TreeDrawing {
  std::string svg;
  std::size_t nodes_drawn = 0;    // tree nodes drawn (collapsed boxes included)
  std::size_t collapsed = 0;      // subtrees drawn as one box
  std::size_t expandable = 0;     // interactive: boxes a reader can open
  std::size_t openable = 0;       // interactive: nodes a reader can open or close
  int depth_shown = 0;
  bool off_path_choices = false;  // some drawn edge marks a choice off the equilibrium path
  bool left_to_right = false;     // else top-down
  double width = 0, height = 0;   // of the default drawing, px
  std::string note;               // one sentence for readers when collapsed, else ""
};

// The SVG of the game tree, with `eq` highlighted when not null. Never throws on a valid game.
TreeDrawing DrawTreeSvg(const model::Game& game, const equilibrium::Equilibrium* eq,
                        const TreeDrawOptions& options = {});

// Width in px of `text` in Helvetica/Arial at `size` px, from per-character advance widths
// (slightly generous for letters the table does not know).
double TextWidth(std::string_view text, double size);

}  // namespace parley::report
