// A game in strategic (normal) form: players, their pure strategies, and a payoff vector for
// every cell of the table (von Neumann and Morgenstern 1944). Cells are numbered as in Gambit's
// .nfg files: player 1's strategy changes fastest, the last player's slowest.
//
// Payoffs are kept as Numbers (exact when the input was). Optionally the table is given by
// outcomes (labelled payoff vectors shared among cells), which writers keep.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "solver/model/game.h"
#include "solver/model/number.h"

namespace parley::model {

// The start of the comment equilibrium::ReducedStrategicForm gives the table of a game without
// a comment of its own (it goes on to say how the strategies are named), and the start of the
// one NormalFormGame::ToExtensive gives the tree it makes from such a table (which is not that
// extensive game); ReducedStrategicForm turns the second back into the first.
inline constexpr std::string_view kReducedFormComment = "Reduced strategic form of an extensive game:";
inline constexpr std::string_view kConvertedTreeComment =
    "A tree of simultaneous moves converted from the reduced strategic form of an extensive game:";

class NormalFormGame {
 public:
  // Throws ValidationError if there are no players, a player has no strategies, or the table
  // would have more than max_cells cells.
  NormalFormGame(std::vector<std::string> players,
                 std::vector<std::vector<std::string>> strategy_labels,
                 std::size_t max_cells = 50'000'000);

  void SetTitle(std::string title) { title_ = std::move(title); }
  void SetComment(std::string comment) { comment_ = std::move(comment); }
  const std::string& title() const { return title_; }
  const std::string& comment() const { return comment_; }
  // Whether the payoffs were computed in floating point (read from an .nfg that Parley wrote
  // with io::kComputedMark): ToExtensive then reads a decimal that is the shortest spelling of
  // a double as that double (GameBuilder::SetNumbersComputed). A table whose payoffs are
  // doubles (Number::IsExact() false) was computed as well; numbers_computed() says either.
  void SetNumbersComputed(bool computed) { numbers_computed_ = computed; }
  bool numbers_computed() const;

  int num_players() const { return static_cast<int>(players_.size()); }
  const std::vector<std::string>& players() const { return players_; }
  std::uint32_t num_strategies(int player) const {
    return static_cast<std::uint32_t>(labels_[player].size());
  }
  const std::string& strategy_label(int player, std::uint32_t s) const { return labels_[player][s]; }
  std::size_t num_cells() const { return num_cells_; }

  // The cell of a pure profile (one strategy per player) and back.
  std::size_t Cell(std::span<const std::uint32_t> profile) const;
  std::vector<std::uint32_t> Profile(std::size_t cell) const;

  const Number& payoff(std::size_t cell, int player) const {
    return payoffs_[cell * players_.size() + player];
  }
  void SetPayoff(std::size_t cell, int player, const Number& value) {
    payoffs_[cell * players_.size() + player] = value;
  }

  // Outcome-list form (optional): labelled outcomes and each cell's outcome (0 = none, else
  // 1-based). SetOutcomes also fills the payoff table.
  void SetOutcomes(std::vector<std::string> labels, std::vector<std::vector<Number>> payoffs,
                   std::vector<std::uint32_t> cell_outcomes);
  bool has_outcomes() const { return !cell_outcome_.empty(); }
  const std::vector<std::string>& outcome_labels() const { return outcome_labels_; }
  const std::vector<std::vector<Number>>& outcome_payoffs() const { return outcome_payoffs_; }
  std::uint32_t cell_outcome(std::size_t cell) const { return cell_outcome_[cell]; }

  // The game as a tree of simultaneous moves: player 1 moves at the root, then each later
  // player at one information set spanning all nodes of its level (so nobody sees an earlier
  // choice). The set of player p is labelled with p's name; actions are the strategy labels.
  GamePtr ToExtensive() const;

 private:
  std::string title_, comment_;
  bool numbers_computed_ = false;
  std::vector<std::string> players_;
  std::vector<std::vector<std::string>> labels_;
  std::size_t num_cells_ = 1;
  std::vector<Number> payoffs_;  // num_cells x num_players
  std::vector<std::string> outcome_labels_;
  std::vector<std::vector<Number>> outcome_payoffs_;
  std::vector<std::uint32_t> cell_outcome_;
};

}  // namespace parley::model
