// A tidy layout of a rooted tree: the Reingold-Tilford algorithm in Walker's formulation for
// trees of any degree, made linear-time by Buchheim, Jünger and Leipert ("Improving Walker's
// algorithm to run in linear time", Graph Drawing 2002, LNCS 2528, pp. 344-353).
//
// Nodes of one depth share a row; the layout computes each node's position along the row
// (the "breadth" axis). Every node has its own extent either side of its position (a label's
// width, a box's height), so separation respects the size of what is drawn. The result has
// the properties readers expect of a tidy drawing:
//   - nodes of one depth never overlap: neighbours are at least `sibling_gap` apart (edge to
//     edge), or `subtree_gap` when they have different parents;
//   - a parent is centred over its children (over the first and the last);
//   - a subtree is drawn the same wherever it occurs: its drawing inside the whole is a
//     translation of its own layout;
//   - the result depends only on the input (no hashing, no floating-point reordering).
// Both passes run over explicit orders (reverse preorder, then preorder), never recursion, so a
// 100,000-deep chain is fine; time and memory are linear in the number of nodes.
//
// The same algorithm runs as a short script in HTML reports to relayout a tree when a reader
// expands or collapses a subtree (tree_svg.cc); the two must stay in step.
#pragma once

#include <cstdint>
#include <vector>

namespace parley::report {

// A tree in preorder (root 0) with each node's children contiguous in `children`
// (compressed-sparse-row form, as model::Game stores its tree).
struct TidyTree {
  std::vector<std::uint32_t> parent;     // parent[0] is ignored
  std::vector<std::uint32_t> rowstart;   // size n + 1: children of v are children[rowstart[v], rowstart[v + 1])
  std::vector<std::uint32_t> children;
  std::vector<double> before, after;     // extent before and after the node's position (>= 0)

  std::uint32_t size() const { return static_cast<std::uint32_t>(parent.size()); }
  std::uint32_t num_children(std::uint32_t v) const { return rowstart[v + 1] - rowstart[v]; }
};

struct TidyOptions {
  double sibling_gap = 12;  // between neighbours with one parent
  double subtree_gap = 20;  // between neighbours with different parents
};

// Positions along the breadth axis, one per node; the leftmost extent is at 0. Throws
// parley::InternalError (PARLEY_CHECK) when the tree is malformed (not in preorder).
std::vector<double> TidyLayout(const TidyTree& tree, const TidyOptions& options = {});

// The depth of every node (root 0), from the parents of a preorder tree.
std::vector<std::uint32_t> TidyDepths(const TidyTree& tree);

}  // namespace parley::report
