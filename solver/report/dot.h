// The game tree as a Graphviz DOT graph, and its layout into SVG or PNG by Graphviz.
//
// The drawing follows textbook conventions (Osborne and Rubinstein 1994, ch. 6 and 11):
// decision nodes name their mover, chance nodes are diamonds, leaves show the payoff vector
// (outcomes met on the way added), edges carry action labels (chance edges their
// probabilities), and the nodes of one information set are joined by dashed lines. With an
// equilibrium, the edges it plays on the path are thick red and its choices at nodes off
// the path blue; mixed choices show their probabilities.
//
// Large trees are not drawn whole: nodes are kept down to the deepest level such that the
// drawing has at most `max_nodes` nodes and no level more than `max_width` of them, the equilibrium path is followed further while the budget lasts,
// and every subtree cut off is one box with its size and equilibrium value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"

namespace parley::report {

struct TreeDrawOptions {
  std::size_t max_nodes = 150;   // more nodes than this: collapse below a depth
  std::size_t max_width = 24;    // and never draw a full level wider than this
  std::size_t path_budget = 60;  // extra nodes kept to follow the equilibrium path deeper
  bool show_outcome_labels = false;
};

struct TreeDrawing {
  std::string dot;
  std::size_t nodes_drawn = 0;  // tree nodes drawn (collapsed boxes included)
  std::size_t collapsed = 0;    // subtrees drawn as one box
  int depth_shown = 0;          // every node down to this depth is drawn
  bool off_path_choices = false;  // some drawn edge marks a choice off the equilibrium path
  // One sentence for readers when the drawing is collapsed, else "".
  std::string note;
};

// The DOT text of the game tree, with `eq` highlighted when not null. Never throws on a
// valid game.
TreeDrawing DrawTree(const model::Game& game, const equilibrium::Equilibrium* eq,
                     const TreeDrawOptions& options = {});

// Lays out a DOT graph with Graphviz's dot engine and renders it: format "svg" or "png"
// (also "dot" after layout: positions added). Uses libgvc when Parley was built with it,
// else runs the `dot` program. Throws parley::Error when Graphviz fails.
std::string LayoutDot(const std::string& dot, std::string_view format);

// An SVG document as Graphviz writes it, made ready to sit inside an HTML page: the XML
// prolog and DOCTYPE removed, and the picture allowed to shrink to the page's width.
std::string InlineSvg(const std::string& svg);

// True when the layout runs in-process (libgvc), false when it runs the `dot` program.
bool GraphvizLinked();

}  // namespace parley::report
