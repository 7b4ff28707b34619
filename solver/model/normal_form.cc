#include "solver/model/normal_form.h"

#include <string_view>

#include "solver/model/error.h"
#include "solver/model/game_builder.h"

namespace parley::model {

NormalFormGame::NormalFormGame(std::vector<std::string> players,
                               std::vector<std::vector<std::string>> strategy_labels,
                               std::size_t max_cells)
    : players_(std::move(players)), labels_(std::move(strategy_labels)) {
  if (players_.empty()) throw ValidationError("a strategic-form game needs at least one player");
  if (labels_.size() != players_.size())
    throw ValidationError("the strategy lists do not match the players: " +
                          std::to_string(players_.size()) + " players, " +
                          std::to_string(labels_.size()) + " strategy lists");
  for (std::size_t p = 0; p < labels_.size(); ++p) {
    if (labels_[p].empty())
      throw ValidationError("player " + players_[p] + " has no strategies");
    if (num_cells_ > max_cells / labels_[p].size())
      throw LimitError("the strategic form has more than " + std::to_string(max_cells) +
                       " cells");
    num_cells_ *= labels_[p].size();
  }
  payoffs_.assign(num_cells_ * players_.size(), Number(0));
}

std::size_t NormalFormGame::Cell(std::span<const std::uint32_t> profile) const {
  std::size_t cell = 0, stride = 1;
  for (std::size_t p = 0; p < labels_.size(); ++p) {
    cell += profile[p] * stride;
    stride *= labels_[p].size();
  }
  return cell;
}

std::vector<std::uint32_t> NormalFormGame::Profile(std::size_t cell) const {
  std::vector<std::uint32_t> profile(labels_.size());
  for (std::size_t p = 0; p < labels_.size(); ++p) {
    profile[p] = static_cast<std::uint32_t>(cell % labels_[p].size());
    cell /= labels_[p].size();
  }
  return profile;
}

void NormalFormGame::SetOutcomes(std::vector<std::string> labels,
                                 std::vector<std::vector<Number>> payoffs,
                                 std::vector<std::uint32_t> cell_outcomes) {
  PARLEY_CHECK(labels.size() == payoffs.size() && cell_outcomes.size() == num_cells_);
  outcome_labels_ = std::move(labels);
  outcome_payoffs_ = std::move(payoffs);
  cell_outcome_ = std::move(cell_outcomes);
  for (std::size_t c = 0; c < num_cells_; ++c)
    for (int p = 0; p < num_players(); ++p)
      SetPayoff(c, p, cell_outcome_[c] == 0 ? Number(0) : outcome_payoffs_[cell_outcome_[c] - 1][p]);
}

bool NormalFormGame::numbers_computed() const {
  if (numbers_computed_) return true;
  for (const Number& x : payoffs_)
    if (!x.IsExact()) return true;
  return false;
}

GamePtr NormalFormGame::ToExtensive() const {
  GameBuilder builder(players_);
  builder.SetTitle(title_);
  builder.SetNumbersComputed(numbers_computed_);
  // The comment Parley gives a reduced strategic form (equilibrium::ReducedStrategicForm) says
  // what the strategies are; the tree built here is not that extensive game, so it says so.
  if (std::string_view(comment_).starts_with(kReducedFormComment))
    builder.SetComment(std::string(kConvertedTreeComment) + comment_.substr(kReducedFormComment.size()));
  else
    builder.SetComment(comment_);
  const int np = num_players();
  std::vector<InfosetId> sets(np);
  for (int p = 0; p < np; ++p)
    sets[p] = builder.AddInfoset(
        p, players_[p].empty() ? "Player " + std::to_string(p + 1) : players_[p], labels_[p]);
  // Outcomes: shared when the file gave an outcome list, else one per cell.
  std::vector<OutcomeId> outcome_ids;
  if (has_outcomes()) {
    for (std::size_t o = 0; o < outcome_payoffs_.size(); ++o)
      outcome_ids.push_back(builder.AddOutcome(outcome_labels_[o], outcome_payoffs_[o]));
  }
  // Build level by level; a leaf's path fixes the profile (player 1's choice outermost).
  std::vector<std::uint32_t> profile(np, 0);
  std::vector<NodeId> stack;  // stack[p] = node of player p on the current path
  NodeId root = builder.AddNode(kNoNode, sets[0]);
  stack.push_back(root);
  // Iterate over profiles in tree (lexicographic, player 1 slowest) order.
  std::vector<Number> pay(np);
  for (;;) {
    // Extend the path to a leaf.
    while (static_cast<int>(stack.size()) < np)
      stack.push_back(builder.AddNode(stack.back(), sets[stack.size()]));
    std::size_t cell = Cell(profile);
    OutcomeId o;
    if (has_outcomes()) {
      o = cell_outcome_[cell] == 0 ? kNoOutcome : outcome_ids[cell_outcome_[cell] - 1];
    } else {
      for (int p = 0; p < np; ++p) pay[p] = payoff(cell, p);
      o = builder.AddOutcome("", pay);
    }
    builder.AddTerminal(stack.back(), o);
    // Next profile: advance the last player, carrying towards player 1.
    int p = np - 1;
    while (p >= 0 && profile[p] + 1 == labels_[p].size()) {
      profile[p] = 0;
      --p;
    }
    if (p < 0) break;
    ++profile[p];
    stack.resize(p + 1);  // the node of player p stays; deeper nodes are rebuilt
  }
  return builder.Build();
}

}  // namespace parley::model
