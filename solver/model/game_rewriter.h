// Rewrites the numbers of a game in place: its chance probabilities and its outcomes' payoffs,
// for a new set of parameter values, keeping everything else (nodes, information sets,
// labels). It takes the same calls, in the same order, that GameBuilder took to build the
// game, so an expander can drive either one; every call is checked against the game, and a
// call that does not match (another node kind, another number of actions, another parent)
// throws ShapeChanged instead of writing anything wrong.
//
// The game it rewrites must be owned by the caller alone (a compiled evaluator's scratch):
// a Game handed out as GamePtr is immutable, and stays so.
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "solver/model/game.h"
#include "solver/model/number.h"

namespace parley::model {

// The calls given to a GameRewriter do not build the game it rewrites.
class ShapeChanged : public std::exception {
 public:
  const char* what() const noexcept override { return "the game's shape changed"; }
};

// Label ids for a rewriter: its own interned strings, kept across rewrites (the game's labels
// are not changed; the ids only let an expander compare labels).
class LabelTable {
 public:
  LabelId Intern(std::string_view label);

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, LabelId, Hash, std::equal_to<>> ids_;
};

class GameRewriter {
 public:
  // `game` must not be shared with anyone who expects it to stay as it is.
  GameRewriter(std::shared_ptr<const Game> game, LabelTable& labels);

  // GameBuilder's calls (see game_builder.h); labels are interned but not written.
  LabelId Intern(std::string_view label) { return labels_.Intern(label); }
  void SetMaxNodes(std::size_t) {}
  InfosetId AddInfoset(int player, LabelId label, std::span<const LabelId> actions);
  // Throws ShapeChanged when a probability needs an exact rational the game does not keep.
  InfosetId AddChanceInfoset(LabelId label, std::span<const LabelId> actions,
                             std::span<const Number> probabilities);
  // Throws ValidationError for a payoff that is not finite, as GameBuilder does.
  OutcomeId AddOutcome(std::span<const double> payoffs);
  NodeId AddNode(NodeId parent, InfosetId infoset);
  NodeId AddTerminal(NodeId parent, OutcomeId outcome, std::string_view label = {});
  std::size_t num_nodes() const { return next_node_; }

  // The rewritten game, after checking that every node, information set and outcome was
  // given again. Throws ShapeChanged otherwise.
  GamePtr Finish();

 private:
  std::shared_ptr<const Game> shared_;
  Game& game_;
  LabelTable& labels_;
  NodeId next_node_ = 0;
  InfosetId next_infoset_ = 0;
  OutcomeId next_outcome_ = 0;
};

}  // namespace parley::model
