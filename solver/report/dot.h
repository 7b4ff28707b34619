// The game tree as Graphviz DOT text, for people who have Graphviz and want to restyle or
// lay out the tree themselves (`parley draw -o tree.dot`). Parley itself never runs or links
// Graphviz: its own drawings are tree_svg.h's.
//
// The graph shows what the SVG drawing shows by default (tree_svg.h: the same nodes kept,
// the same labels, the equilibrium path thick red, choices off the path blue, information
// sets joined by dashed lines), in DOT's own vocabulary.
#pragma once

#include <string>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"
#include "solver/report/tree_svg.h"

namespace parley::report {

// The DOT text of the game tree, with `eq` highlighted when not null. Never throws on a
// valid game.
std::string TreeDot(const model::Game& game, const equilibrium::Equilibrium* eq,
                    const TreeDrawOptions& options = {});

}  // namespace parley::report
