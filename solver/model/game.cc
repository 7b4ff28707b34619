#include "solver/model/game.h"

#include <algorithm>

#include "solver/model/number_text.h"

namespace parley::model {

std::uint32_t Game::action_into(NodeId v) const {
  // Children are numbered in preorder, so a node's children are in increasing order: a binary
  // search finds v among its siblings (a node with 10^6 children costs 20 comparisons).
  auto kids = children(parent_[v]);
  return static_cast<std::uint32_t>(std::lower_bound(kids.begin(), kids.end(), v) - kids.begin());
}

std::string_view Game::node_label(NodeId v) const {
  auto it = std::lower_bound(node_labels_.begin(), node_labels_.end(), std::make_pair(v, 0u));
  return it != node_labels_.end() && it->first == v ? label(it->second) : std::string_view();
}

std::string_view Game::outcome_label(OutcomeId o) const {
  auto it =
      std::lower_bound(outcome_labels_.begin(), outcome_labels_.end(), std::make_pair(o, 0u));
  return it != outcome_labels_.end() && it->first == o ? label(it->second) : std::string_view();
}

Rational Game::exact_chance_prob(InfosetId h, std::uint32_t a) const {
  std::size_t i = infosets_[h].extra + a;
  return exact_probs_.empty() ? ExactRational(probs_[i]) : exact_probs_[i];
}

Rational Game::written_chance_prob(InfosetId h, std::uint32_t a) const {
  return written_probs_.empty() ? exact_chance_prob(h, a) : written_probs_[infosets_[h].extra + a];
}

Rational Game::exact_payoff(OutcomeId o, int player) const {
  std::size_t i = static_cast<std::size_t>(o) * players_.size() + player;
  return exact_payoffs_.empty() ? ExactRational(payoffs_[i]) : exact_payoffs_[i];
}

namespace {

// A payoff or probability as the writers spell it (FileNumberText). A number stated exactly is
// written exactly ("1/3", "1.0000000000000000000001"); a computed double, whose exact value has
// a huge denominator, as its shortest decimal ("0.7"), which reads back to the same double. A
// number is known to be stated when every number of the game is (numbers_stated_exactly), or
// when no double holds it (a computed double is its own exact value).
std::string NumberText(const Rational& exact, double value, bool all_stated) {
  return FileNumberText(exact, value, all_stated || HeldByNoDouble(exact));
}

}  // namespace

std::string Game::payoff_text(OutcomeId o, int player) const {
  return NumberText(exact_payoff(o, player), payoff(o, player), numbers_stated_exactly_);
}

std::string Game::chance_prob_text(InfosetId h, std::uint32_t a) const {
  if (written_probs_.empty())
    return NumberText(exact_chance_prob(h, a), chance_prob(h, a), numbers_stated_exactly_);
  const Rational& written = written_probs_[infosets_[h].extra + a];
  return NumberText(written, ToDouble(written), numbers_stated_exactly_);
}

std::string Game::DescribeInfoset(InfosetId h) const {
  std::string_view name = infoset_label(h);
  int p = infoset_player(h);
  std::string who = p == kChancePlayer ? std::string("chance") : players_[p];
  if (!name.empty()) return who + " at [" + std::string(name) + "]";
  return who + " at node " + std::to_string(infoset_nodes(h).front());
}

std::string Game::DescribeNode(NodeId v) const {
  std::string out;
  AppendNodeDescription(v, out);
  return out;
}

void Game::AppendNodeDescription(NodeId v, std::string& out) const {
  if (!node_label(v).empty()) {
    out += "node \"";
    out += node_label(v);
    out += '"';
    return;
  }
  if (v == root()) {
    out += "the root";
    return;
  }
  // The last kMaxSteps moves, walking up no further than that: a description costs O(1),
  // not O(depth), so describing every node of a deep tree stays linear. The moves are kept
  // as (label, action) pairs, not strings: JSON output describes every decision node.
  constexpr std::size_t kMaxSteps = 6;
  struct Step {
    std::string_view label;
    std::uint32_t action;
  };
  Step steps[kMaxSteps];
  std::size_t num_steps = 0;
  NodeId c = v;
  for (; c != root() && num_steps < kMaxSteps; c = parent(c)) {
    std::uint32_t a = action_into(c);
    steps[num_steps++] = {action_label(infoset(parent(c)), a), a};
  }
  bool truncated = c != root();
  out += "after ";
  if (truncated) out += "... > ";
  for (std::size_t i = num_steps; i-- > 0;) {
    if (steps[i].label.empty()) {
      out += '#';
      out += std::to_string(steps[i].action + 1);
    } else {
      out += steps[i].label;
    }
    if (i > 0) out += " > ";
  }
  if (truncated) {
    out += " (node ";
    out += std::to_string(v);
    out += ')';
  }
}

std::size_t Game::MemoryBytes() const {
  auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  std::size_t total = sizeof(Game);
  total += bytes(tree_.m_forward.m_rowstart) + bytes(tree_.m_forward.m_column);
  total += bytes(kind_) + bytes(infoset_) + bytes(outcome_) + bytes(subtree_end_) +
           bytes(parent_) + bytes(node_labels_);
  total += bytes(infosets_) + bytes(action_labels_) + bytes(infoset_members_) + bytes(probs_) +
           bytes(exact_probs_) + bytes(written_probs_);
  total += bytes(outcome_labels_) + bytes(payoffs_) + bytes(exact_payoffs_);
  total += label_chars_.size() + bytes(label_start_);  // room past the text is never touched
  for (const auto& v : player_infosets_) total += bytes(v);
  return total;
}

}  // namespace parley::model
