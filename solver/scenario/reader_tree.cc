#include "solver/scenario/reader.h"

#include <algorithm>

namespace parley::scenario {

void Reader::ReadTree(const YAML::Node& node) {
  AddParameterSymbols();
  ReadTreeNode(node, 0);
  for (const TreeNodeDef& def : impl_.tree) impl_.info.tree_places.push_back({def.where, def.children});
  // An information set name belongs to one player (a node of another player naming it is a
  // wrong player or a wrong name: the two would silently be separate sets), and its nodes must
  // offer the same actions.
  std::map<std::pair<int, std::string>, int> first;
  std::map<std::string, int> owner;  // name -> its first node
  for (std::size_t i = 0; i < impl_.tree.size(); ++i) {
    const TreeNodeDef& n = impl_.tree[i];
    if (n.kind != TreeNodeDef::Kind::kDecision || n.infoset.empty()) continue;
    auto [named, fresh] = owner.emplace(n.infoset, static_cast<int>(i));
    if (const TreeNodeDef& o = impl_.tree[named->second]; !fresh && o.player != n.player)
      throw ValidationError(n.where, "information set '" + n.infoset + "' is " + impl_.info.players[o.player] +
                                         "'s (line " + std::to_string(o.where.line) + "), and this node is " +
                                         impl_.info.players[n.player] +
                                         "'s; an information set belongs to one player: give this node "
                                         "another infoset name, or correct its player");
    auto [it, inserted] = first.emplace(std::make_pair(n.player, n.infoset), static_cast<int>(i));
    if (!inserted && impl_.tree[it->second].labels != n.labels) {
      const std::vector<std::string>& other = impl_.tree[it->second].labels;
      const bool reordered = std::is_permutation(n.labels.begin(), n.labels.end(), other.begin(), other.end());
      throw ValidationError(n.where, "the nodes of information set '" + n.infoset + "' offer " +
                                         (reordered ? "their actions in different orders (" : "different actions (") +
                                         Join(n.labels) + " here, " + Join(other) + " at line " +
                                         std::to_string(impl_.tree[it->second].where.line) +
                                         "); a player cannot tell them apart, so the actions must be the same" +
                                         (reordered ? ", in the same order" : ""));
    }
  }
}

int Reader::ReadTreeNode(const YAML::Node& node, int depth) {
  if (depth > 5000) Fail(node, "the tree is nested too deeply (over 5000 levels)");
  int pos = node.Mark().pos;
  if (auto it = tree_memo_.find(pos); it != tree_memo_.end()) {
    if (it->second < 0)
      Fail(node, "a YAML alias refers to a node that contains it: the tree would be infinite");
    return it->second;
  }
  tree_memo_[pos] = -1;
  auto m = Mapping(node, "a tree node",
                   {"player", "infoset", "moves", "probabilities", "payoffs", "label"});
  TreeNodeDef def;
  def.where = At(node);
  if (auto n = Get(m, "label"); n.IsDefined()) def.node_label = Scalar(n, "label");
  auto player = Get(m, "player");
  auto moves = Get(m, "moves");
  auto payoffs = Get(m, "payoffs");
  std::vector<int> children;
  std::vector<YAML::Node> move_nodes;
  if (payoffs.IsDefined()) {
    for (const char* k : {"player", "moves", "probabilities", "infoset"})
      if (Get(m, k).IsDefined())
        Fail(m.at(k).first, std::string("a terminal node (with payoffs) has no '") + k + "'");
    def.kind = TreeNodeDef::Kind::kTerminal;
    const auto& players = impl_.info.players;
    std::vector<std::optional<YAML::Node>> by_player(players.size());
    if (payoffs.IsSequence()) {
      if (payoffs.size() != players.size())
        Fail(payoffs, "'payoffs' lists " + std::to_string(payoffs.size()) + " numbers for " +
                          std::to_string(players.size()) + " players (" + Join(players) + ")");
      for (std::size_t i = 0; i < players.size(); ++i) by_player[i].emplace(payoffs[i]);
    } else if (payoffs.IsMap()) {
      for (auto it = payoffs.begin(); it != payoffs.end(); ++it)
        by_player[PlayerIndex(it->first, Scalar(it->first, "a player"))].emplace(it->second);
      for (std::size_t i = 0; i < players.size(); ++i)
        if (!by_player[i])
          Fail(payoffs, "no payoff for player " + players[i] + " at this terminal node");
    } else {
      Fail(payoffs, "'payoffs' must be a list (one per player) or a mapping player: payoff");
    }
    for (std::size_t i = 0; i < players.size(); ++i)
      def.payoffs.push_back(CompileFormula(*by_player[i], "the payoff of " + players[i]));
  } else {
    if (!player.IsDefined())
      Fail(node, "a tree node needs 'player' (with 'moves') or 'payoffs' (a terminal node)");
    if (!moves.IsDefined()) Fail(node, "missing key 'moves' in a tree node");
    if (!moves.IsMap() || moves.size() == 0)
      Fail(moves, "'moves' must be a non-empty mapping: action: node");
    std::string pname = Scalar(player, "the node's player");
    if (pname == "nature") {
      def.kind = TreeNodeDef::Kind::kChance;
      if (Get(m, "infoset").IsDefined())
        Fail(m.at("infoset").first, "chance nodes have no information sets");
    } else {
      def.kind = TreeNodeDef::Kind::kDecision;
      def.player = PlayerIndex(player, pname, /*mover=*/true);
      if (auto n = Get(m, "infoset"); n.IsDefined()) def.infoset = Scalar(n, "infoset");
    }
    for (auto it = moves.begin(); it != moves.end(); ++it) {
      std::string label = Scalar(it->first, "an action");
      if (std::find(def.labels.begin(), def.labels.end(), label) != def.labels.end())
        Fail(it->first, "action '" + label + "' appears twice at this node");
      def.labels.push_back(label);
      move_nodes.push_back(it->second);
    }
    auto probs = Get(m, "probabilities");
    if (def.kind == TreeNodeDef::Kind::kChance) {
      if (!probs.IsDefined())
        Fail(node, "missing key 'probabilities' at a chance node: one per move");
      std::vector<std::optional<YAML::Node>> by_move(def.labels.size());
      if (probs.IsSequence()) {
        if (probs.size() != def.labels.size())
          Fail(probs, "this chance node has " + std::to_string(def.labels.size()) +
                          " moves but " + std::to_string(probs.size()) + " probabilities");
        for (std::size_t i = 0; i < def.labels.size(); ++i) by_move[i].emplace(probs[i]);
      } else if (probs.IsMap()) {
        for (auto it = probs.begin(); it != probs.end(); ++it) {
          std::string label = Scalar(it->first, "a move");
          auto at = std::find(def.labels.begin(), def.labels.end(), label);
          if (at == def.labels.end())
            Fail(it->first, "'" + label + "' is not a move of this node" +
                                DidYouMean(label, def.labels));
          by_move[at - def.labels.begin()].emplace(it->second);
        }
        for (std::size_t i = 0; i < def.labels.size(); ++i)
          if (!by_move[i])
            Fail(probs, "no probability for move '" + def.labels[i] + "'");
      } else {
        Fail(probs, "'probabilities' must be a list or a mapping move: probability");
      }
      for (const auto& p : by_move) def.probabilities.push_back(CompileFormula(*p, "a probability"));
    } else if (probs.IsDefined()) {
      Fail(m.at("probabilities").first, "'probabilities' belongs to chance nodes (player: nature)");
    }
  }
  int index = static_cast<int>(impl_.tree.size());
  impl_.tree.push_back(std::move(def));
  for (const auto& child : move_nodes) {
    int c = ReadTreeNode(child, depth + 1);
    impl_.tree[index].children.push_back(c);
  }
  tree_memo_[pos] = index;
  return index;
}

}  // namespace parley::scenario
