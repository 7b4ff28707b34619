#include "solver/model/game_rewriter.h"

#include <cmath>

namespace parley::model {

LabelId LabelTable::Intern(std::string_view label) {
  if (label.empty()) return 0;
  if (auto it = ids_.find(label); it != ids_.end()) return it->second;
  LabelId id = static_cast<LabelId>(ids_.size() + 1);  // 0 stays the empty label's
  ids_.emplace(std::string(label), id);
  return id;
}

GameRewriter::GameRewriter(std::shared_ptr<const Game> game, LabelTable& labels)
    : shared_(std::move(game)),
      // The caller owns the game alone (see the header): its numbers may be written.
      game_(const_cast<Game&>(*shared_)),
      labels_(labels) {
  // Exact rationals beside the doubles would have to be rewritten too: not supported.
  if (!game_.exact_probs_.empty() || !game_.exact_payoffs_.empty()) throw ShapeChanged();
  game_.numbers_stated_exactly_ = true;  // until a number written is neither stated nor whole
}

InfosetId GameRewriter::AddInfoset(int player, LabelId, std::span<const LabelId> actions) {
  InfosetId h = next_infoset_++;
  if (h >= game_.infosets_.size() || game_.infosets_[h].player != player ||
      game_.infosets_[h].num_actions != actions.size())
    throw ShapeChanged();
  return h;
}

InfosetId GameRewriter::AddChanceInfoset(LabelId, std::span<const LabelId> actions,
                                         std::span<const Number> probabilities) {
  InfosetId h = next_infoset_++;
  if (h >= game_.infosets_.size() || game_.infosets_[h].player != kChancePlayer ||
      game_.infosets_[h].num_actions != actions.size() ||
      probabilities.size() != actions.size())
    throw ShapeChanged();
  double* probs = game_.probs_.data() + game_.infosets_[h].extra;
  for (std::size_t a = 0; a < probabilities.size(); ++a) {
    // GameBuilder::Build keeps every probability as an exact rational when one needs it.
    if (!probabilities[a].DoubleIsExact()) throw ShapeChanged();
    if (!probabilities[a].IsExactOrWhole()) game_.numbers_stated_exactly_ = false;
    probs[a] = probabilities[a].ToDouble();
  }
  return h;
}

OutcomeId GameRewriter::AddOutcome(std::span<const double> payoffs) {
  const std::size_t n = game_.players_.size();
  if (payoffs.size() != n || next_outcome_ >= game_.num_outcomes_) throw ShapeChanged();
  for (double x : payoffs)
    if (!std::isfinite(x)) throw ValidationError("a payoff is not a finite number");
  OutcomeId o = next_outcome_++;
  for (double x : payoffs)  // computed in floating point: stated only when whole
    if (!IsWholeDouble(x)) game_.numbers_stated_exactly_ = false;
  std::copy(payoffs.begin(), payoffs.end(), game_.payoffs_.begin() + static_cast<std::ptrdiff_t>(o * n));
  return o;
}

NodeId GameRewriter::AddNode(NodeId parent, InfosetId infoset) {
  NodeId v = next_node_++;
  if (v >= game_.kind_.size() || game_.kind_[v] == NodeKind::kTerminal ||
      game_.parent_[v] != parent || game_.infoset_[v] != infoset ||
      game_.outcome_[v] != kNoOutcome)
    throw ShapeChanged();
  return v;
}

NodeId GameRewriter::AddTerminal(NodeId parent, OutcomeId outcome, std::string_view) {
  NodeId v = next_node_++;
  if (v >= game_.kind_.size() || game_.kind_[v] != NodeKind::kTerminal ||
      game_.parent_[v] != parent || game_.outcome_[v] != outcome)
    throw ShapeChanged();
  return v;
}

GamePtr GameRewriter::Finish() {
  if (next_node_ != game_.kind_.size() || next_infoset_ != game_.infosets_.size() ||
      next_outcome_ != game_.num_outcomes_)
    throw ShapeChanged();
  return shared_;
}

}  // namespace parley::model
