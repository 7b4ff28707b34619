// Renders solutions of `parley solve`: text for people, JSON for programs. Writers take
// results and never solve.
#pragma once

#include <nlohmann/json.hpp>

#include "solver/report/json_writer.h"
#include <ostream>
#include <string>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"

namespace parley::report {

using equilibrium::Equilibrium;
using equilibrium::Solution;
using model::Game;
using model::NodeId;

// A node named for people: its label if it has one, "the root", or the actions leading to
// it ("after In > Fight"; long histories shortened).
std::string DescribeNode(const Game& game, NodeId v);
// The same appended to `out` (a writer describing every node reuses one buffer).
void AppendNodeDescription(const Game& game, NodeId v, std::string& out);
// Unique, readable names of the personal information sets (JSON keys): the set's label when
// it is unique, else "<player> at <node description>".
std::vector<std::string> InfosetNames(const Game& game);
// The names the text outputs give the personal information sets (`parley solve`, `parley
// qre`): a set's own label after its mover ("Microsoft at [after complaint]"; a label that is
// the mover's name stands alone, "Incumbent"), else InfosetNames' "<player> at the root",
// "P2 after a0 > a1 (+1 nodes)". Made once per game; a set is named when asked for (a text
// lists a few dozen sets of a million).
class SetNames {
 public:
  explicit SetNames(const Game& game);
  std::string operator()(model::InfosetId h) const;

 private:
  const Game& game_;
  std::vector<bool> shared_;  // whether a set's label is another set's too
};

// One terminal history the equilibrium reaches, with its probability.
struct PathEntry {
  double probability = 0;
  NodeId terminal = 0;
  std::vector<NodeId> nodes;  // from the root to the terminal
  std::vector<double> payoffs;
};
// The terminal nodes reached with positive probability, most likely first (at most `limit`).
std::vector<PathEntry> EquilibriumPath(const Game& game, const Equilibrium& eq,
                                       std::size_t limit, bool* cut = nullptr);

struct TextOptions {
  std::size_t max_strategy_lines = 200;  // longer listings end with a note
};
std::string SolutionText(const Game& game, const Solution& solution,
                         const TextOptions& options = {});
// The same text written to `out` as it is produced (no copy of the whole text in memory).
void WriteSolutionText(std::ostream& out, const Game& game, const Solution& solution,
                       const TextOptions& options = {});
// The solution as JSON, written as it is produced (no document in memory, so a tree with
// millions of nodes costs its text only). `bargaining`, when given, is the scenario's
// bargaining steps (BargainingJson), placed under "bargaining".
void WriteSolutionJson(JsonWriter& w, const Game& game, const Solution& solution,
                       const nlohmann::json* bargaining = nullptr);
// The same as a document, for small results (tests, programs that go on to edit it).
nlohmann::json SolutionJson(const Game& game, const Solution& solution);

// Each information set's number within its mover (chance counts apart), 1-based, in the
// order sets first appear in preorder: Gambit's numbering of a .efg file's sets.
std::vector<std::uint32_t> InfosetNumbers(const Game& game);
// The one JSON layout of a behaviour profile, used by every command: a list of records
//   {"player": 1, "number": 1, "label": "...",
//    "actions": [{"label": "H", "probability": 0.5}, ...]}
// one per personal information set in the order of their first appearance; `player` 1-based
// as in the file, `number` as InfosetNumbers. Actions are a list in the set's order (labels
// may repeat or be empty, so a map could lose one). Probabilities are doubles (written as the
// shortest decimal that reads back to the same double) or, with `exact`, strings holding
// exact fractions ("1/3"). When the equilibrium carries beliefs, each record also has
// "beliefs" (per node of the set: "at", "node", "probability") and "beliefs_from"
// (report/beliefs.h).
void WriteBehaviorJson(JsonWriter& w, const Game& game, const Equilibrium& eq, bool exact);
nlohmann::json BehaviorJson(const Game& game, const Equilibrium& eq, bool exact);

// True when every payoff and probability of the game is a number the input stated exactly
// (an integer, a fraction, a decimal), none computed in floating point
// (Game::numbers_stated_exactly: how the numbers were written, whatever their size). Exact
// arithmetic on such a game gives exact results, which the writers show as fractions (JSON
// "exact": true); on any other it gives the exact results of rounded inputs, which the writers
// show as decimals (with ExactnessNote()).
bool StatedExactly(const Game& game);
std::string ExactnessNote();

// A double as shown to people: an integer when it is within rounding of one, else 10
// significant digits ("0.3333333333", "4e-13"). Within rounding means less than 1e-12 of
// max(|value|, unit) away, where `unit` is the size of the quantities the value was computed
// from: a game's payoff unit (equilibrium::TieUnit) for payoffs, 1 for probabilities. So
// 2.9999999999999996 shows as 3, and so does a residue of 4e-16 for 0 in a game whose
// payoffs are of size 1, while 4e-13 in a game whose payoffs are all that small stays 4e-13.
std::string ShowNumber(double value, double unit);
// The same with unit 1 (probabilities, and numbers of size 1 or more).
std::string ShowNumber(double value);

}  // namespace parley::report
