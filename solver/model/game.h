// The extensive-form game: an immutable rooted tree of decision, chance and terminal nodes,
// with information sets, action labels, chance probabilities and outcomes (payoff vectors).
//
// Layout, chosen for solvers' hot loops:
//  * nodes are numbered in preorder (root 0), so the subtree of v is the contiguous range
//    [v, subtree_end(v)) and a reverse sweep visits children before parents;
//  * the tree's edges live in a Boost.Graph compressed_sparse_row_graph (children of v in
//    action order); per-node data (kind, information set, outcome) in flat arrays;
//  * labels are interned strings, referred to by 32-bit ids; their bytes lie end to end in
//    one character buffer (a file with a distinct label on every action has millions), and
//    the accessors return views into it, valid as long as the game.
// A Game is made only by GameBuilder::Build(), which validates it; afterwards it never
// changes, and is shared as std::shared_ptr<const Game>.
//
// Payoff convention (Gambit's): an outcome may sit on any node; a player's payoff at a leaf is
// the sum of the outcomes met on the path from the root, the leaf's own included.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::model {

using NodeId = std::uint32_t;
using InfosetId = std::uint32_t;
using OutcomeId = std::uint32_t;
using LabelId = std::uint32_t;

inline constexpr NodeId kNoNode = 0xffffffffu;
inline constexpr OutcomeId kNoOutcome = 0xffffffffu;
inline constexpr InfosetId kNoInfoset = 0xffffffffu;
// The player number of chance (nature); real players are 0 .. num_players()-1.
inline constexpr int kChancePlayer = -1;

enum class NodeKind : std::uint8_t { kTerminal, kDecision, kChance };

class GameBuilder;

class Game {
 public:
  using Tree = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property,
                                                  boost::no_property, boost::no_property,
                                                  NodeId, NodeId>;

  // ---- Metadata -------------------------------------------------------------------------
  const std::string& title() const { return title_; }
  const std::string& comment() const { return comment_; }
  int num_players() const { return static_cast<int>(players_.size()); }
  const std::vector<std::string>& players() const { return players_; }
  const std::string& player_name(int player) const { return players_[player]; }

  // ---- Nodes ----------------------------------------------------------------------------
  NodeId num_nodes() const { return static_cast<NodeId>(kind_.size()); }
  static constexpr NodeId root() { return 0; }
  NodeKind kind(NodeId v) const { return kind_[v]; }
  bool is_terminal(NodeId v) const { return kind_[v] == NodeKind::kTerminal; }
  // The information set of a decision or chance node; kNoInfoset for a terminal.
  InfosetId infoset(NodeId v) const { return infoset_[v]; }
  // The mover at a decision node (0-based player) or a chance node (kChancePlayer). Nobody
  // moves at a terminal node: ask kind(v) or is_terminal(v) first; a terminal v here is a
  // PARLEY_CHECK failure.
  int player(NodeId v) const {
    PARLEY_CHECK(kind_[v] != NodeKind::kTerminal);
    return infosets_[infoset_[v]].player;
  }
  // The outcome attached to v, or kNoOutcome.
  OutcomeId outcome(NodeId v) const { return outcome_[v]; }
  // One past the last node of v's subtree (preorder).
  NodeId subtree_end(NodeId v) const { return subtree_end_[v]; }
  std::uint32_t num_children(NodeId v) const { return rowstart_[v + 1] - rowstart_[v]; }
  // The children of v in action order (children(v)[a] follows action a).
  std::span<const NodeId> children(NodeId v) const {
    return {column_ + rowstart_[v], column_ + rowstart_[v + 1]};
  }
  NodeId child(NodeId v, std::uint32_t action) const { return column_[rowstart_[v] + action]; }
  // The parent of v (kNoNode for the root). O(depth of v) is avoided: stored.
  NodeId parent(NodeId v) const { return parent_[v]; }
  // Which action of its parent leads to v (v must not be the root). O(log siblings).
  std::uint32_t action_into(NodeId v) const;
  // The node's label ("" when it has none).
  std::string_view node_label(NodeId v) const;
  // The Boost.Graph view of the tree, for graph algorithms and writers.
  const Tree& tree() const { return tree_; }

  // ---- Information sets -----------------------------------------------------------------
  // Information sets are numbered in order of first appearance in preorder. Chance nodes
  // have information sets too (player kChancePlayer), which carry the probabilities.
  InfosetId num_infosets() const { return static_cast<InfosetId>(infosets_.size()); }
  int infoset_player(InfosetId h) const { return infosets_[h].player; }
  std::string_view infoset_label(InfosetId h) const { return label(infosets_[h].label); }
  std::uint32_t num_actions(InfosetId h) const { return infosets_[h].num_actions; }
  std::string_view action_label(InfosetId h, std::uint32_t a) const {
    return label(action_labels_[infosets_[h].first_action + a]);
  }
  // The nodes of h, in preorder.
  std::span<const NodeId> infoset_nodes(InfosetId h) const {
    const NodeId* base = infoset_members_.data();
    NodeId end = h + 1 < infosets_.size() ? infosets_[h + 1].first_member
                                         : static_cast<NodeId>(infoset_members_.size());
    return {base + infosets_[h].first_member, base + end};
  }
  // Chance probabilities (h must be a chance information set).
  double chance_prob(InfosetId h, std::uint32_t a) const {
    return probs_[infosets_[h].extra + a];
  }
  // The probability the solvers use, exactly: the number as written, divided by its move's sum
  // where that sum was accepted as 1 within 1e-9 but is off by more than rounding (1e-12).
  Rational exact_chance_prob(InfosetId h, std::uint32_t a) const;
  // The number as written (what a file written from the game says).
  Rational written_chance_prob(InfosetId h, std::uint32_t a) const;
  // The personal (non-chance) information sets of one player, in order of appearance.
  const std::vector<InfosetId>& player_infosets(int player) const {
    return player_infosets_[player];
  }
  // The position of h within its player's list (Gambit's per-player set number - 1).
  std::uint32_t infoset_index_in_player(InfosetId h) const { return infosets_[h].extra; }

  // ---- Outcomes -------------------------------------------------------------------------
  OutcomeId num_outcomes() const { return num_outcomes_; }
  std::string_view outcome_label(OutcomeId o) const;
  double payoff(OutcomeId o, int player) const { return payoffs_[o * players_.size() + player]; }
  // The payoff vector of o (num_players() doubles).
  std::span<const double> payoffs(OutcomeId o) const {
    return {payoffs_.data() + o * players_.size(), players_.size()};
  }
  Rational exact_payoff(OutcomeId o, int player) const;
  // Text of a payoff or probability: exact ones as "3", "-1/2"; a computed double as the
  // shortest decimal that reads back to it ("0.7").
  std::string payoff_text(OutcomeId o, int player) const;
  std::string chance_prob_text(InfosetId h, std::uint32_t a) const;  // as written

  // ---- Summary --------------------------------------------------------------------------
  NodeId num_terminals() const { return num_terminals_; }
  // Every personal information set has a single node (chance nodes allowed).
  bool perfect_information() const { return perfect_information_; }
  // The first personal information set with two or more nodes, or kNoInfoset.
  InfosetId first_imperfect_infoset() const { return first_imperfect_infoset_; }
  bool has_chance() const { return has_chance_; }
  // Every number the input gave is exact and every double holds it exactly.
  bool doubles_are_exact() const { return exact_payoffs_.empty() && exact_probs_.empty(); }
  // Every payoff and probability is a number the input stated (an integer, a fraction such as
  // 1/3, a decimal such as 1e-13: Number's exact kinds), none computed in floating point (a
  // scenario's formulas, a JSON or Python float) unless its value is a whole number
  // (IsWholeDouble: a formula's 2 * k). Told by how each number was given and, for computed
  // ones, whether they are whole: exact arithmetic on such a game gives exact results.
  bool numbers_stated_exactly() const { return numbers_stated_exactly_; }
  std::string_view label(LabelId id) const {
    return {label_chars_.data() + label_start_[id], label_start_[id + 1] - label_start_[id]};
  }
  // A human name for an information set: its label, or "<player> at node <v>".
  std::string DescribeInfoset(InfosetId h) const;
  // A node named for people: its label if it has one, "the root", or the last moves leading
  // to it ("after In > Fight"; a history longer than six moves is shortened to its last six
  // and the node's number). O(1) in the depth.
  std::string DescribeNode(NodeId v) const;
  // The same appended to `out` (a writer describing every node reuses one buffer).
  void AppendNodeDescription(NodeId v, std::string& out) const;
  // Approximate bytes held by this game (the arrays' capacities).
  std::size_t MemoryBytes() const;

 private:
  friend class GameBuilder;
  friend class GameRewriter;  // rewrites the numbers of a game its caller owns alone
  struct InfosetRecord {
    std::int32_t player;
    LabelId label;
    std::uint32_t first_action;  // into action_labels_ (identical lists are shared)
    std::uint32_t num_actions;
    std::uint32_t first_member;  // into infoset_members_; the members run to the next set's
    std::uint32_t extra;         // chance: first index into probs_; else index in player
  };

  Game() = default;
  Game(const Game&) = delete;  // rowstart_/column_ point into tree_
  Game& operator=(const Game&) = delete;

  std::string title_, comment_;
  std::vector<std::string> players_;
  // Label id i is label_chars_[label_start_[i] .. label_start_[i + 1]); id 0 is "".
  std::string label_chars_;
  std::vector<std::uint32_t> label_start_;

  Tree tree_;
  const NodeId* rowstart_ = nullptr;  // into tree_'s CSR arrays
  const NodeId* column_ = nullptr;
  std::vector<NodeKind> kind_;
  std::vector<InfosetId> infoset_;
  std::vector<OutcomeId> outcome_;
  std::vector<NodeId> subtree_end_;
  std::vector<NodeId> parent_;
  std::vector<std::pair<NodeId, LabelId>> node_labels_;  // sparse, sorted by node

  std::vector<InfosetRecord> infosets_;
  std::vector<LabelId> action_labels_;
  std::vector<NodeId> infoset_members_;
  std::vector<double> probs_;
  std::vector<Rational> exact_probs_;  // empty unless some probability needs it
  // The probabilities as written, where a chance move's sum was accepted as 1 but is not and
  // probs_ and exact_probs_ hold them divided by it; empty otherwise (they are exact_probs_).
  std::vector<Rational> written_probs_;
  std::vector<std::vector<InfosetId>> player_infosets_;

  OutcomeId num_outcomes_ = 0;
  std::vector<std::pair<OutcomeId, LabelId>> outcome_labels_;  // sparse, sorted
  std::vector<double> payoffs_;          // num_outcomes x num_players
  std::vector<Rational> exact_payoffs_;  // empty unless some payoff needs it

  NodeId num_terminals_ = 0;
  bool perfect_information_ = true;
  bool has_chance_ = false;
  bool numbers_stated_exactly_ = true;
  InfosetId first_imperfect_infoset_ = kNoInfoset;
};

using GamePtr = std::shared_ptr<const Game>;

}  // namespace parley::model
