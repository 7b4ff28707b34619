// The compiled form of a scenario, shared by the reader (reader.cc), which fills it, and the
// expander (expand.cc), which turns it into a game for given parameter values. Not part of
// the public API: see solver/scenario/scenario.h.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "solver/model/game_builder.h"
#include "solver/model/game_rewriter.h"
#include "solver/model/number.h"
#include "solver/bargaining/agreement.h"
#include "solver/formula/formula.h"
#include "solver/scenario/scenario.h"

namespace parley::scenario {

using formula::DidYouMean;
using formula::Expression;
using formula::IsIdentifier;

// What a formula's name stands for (used to check, e.g., that a loop bound uses parameters
// only), by symbol slot.
enum class SymbolKind { kParameter, kStage, kComputed, kLoop, kLabel };

// A number written literally (kept exactly, e.g. 1/3 in a probability) or a formula (one of
// the compiled scenario's ExpressionSet).
struct Formula {
  std::optional<Number> literal;
  const Expression* expr = nullptr;
  SourceLocation where;

  bool IsSet() const { return literal.has_value() || expr != nullptr; }
};

enum class ActionKind { kLabels, kRange, kValues };

struct BargainDef;  // below

struct Item {
  bool is_repeat = false;
  int index = 0;  // into stages or repeats
};


struct StageDef {
  int info_index = 0;  // index into Scenario::stages
  StageKind kind = StageKind::kDecision;
  std::vector<int> players;  // decision stages: one, or several taking turns by repetition
  int var_slot = -1;          // the slot of the stage's variable
  int repeat_index = -1;      // the innermost repeat block holding the stage, or -1

  ActionKind action_kind = ActionKind::kLabels;
  std::vector<std::string> labels;  // kLabels
  std::vector<double> label_values;  // kLabels: the value each label binds the variable to
  Formula from, to, step;            // kRange
  std::vector<Formula> values;       // kValues
  SourceLocation actions_where;

  // Chance stages: one formula per action, or one formula evaluated for each action with
  // the stage's variable bound to it.
  std::vector<Formula> probabilities;
  bool probability_each = false;
  SourceLocation probabilities_where;

  const Expression* condition = nullptr;
  bool observe_all = true;
  std::vector<char> observes;  // by stage definition index, when !observe_all
  std::vector<std::pair<int, const Expression*>> compute;  // slot, formula
  std::shared_ptr<BargainDef> bargain;  // bargain stages
  int after_of = -1;  // a stage of bargain stage after_of's `after_agreement`, or -1
  SourceLocation where;
};

// A bargain stage's definition (solved by bargaining::SolveAgreement).
struct BargainIssueDef {
  std::string name;
  int var_slot = -1;                 // the issue's variable slot
  bool discrete = false;
  Formula from, to;                  // continuous
  std::vector<std::string> labels;   // discrete options
  std::vector<double> label_values;  // the options' label codes
  // A bound that names other issues of the bargain (`to: 0.2 - equity/5`) links the issues:
  // it becomes a constraint, and the issue's box is the bound's extent over the named
  // issues' ranges (their corners).
  std::vector<int> from_links, to_links;  // indices of the issues each bound names
};
// A constraint `lhs <= rhs` or `lhs >= rhs` between issues (and parameters, earlier stages'
// variables): value lhs - rhs (<=) or rhs - lhs (>=), at most 0 at an agreement.
struct BargainConstraintDef {
  std::string text;
  const Expression* lhs = nullptr;
  const Expression* rhs = nullptr;
  bool less = true;
  SourceLocation where;
};
// A computed variable that only stages after a bargain set (see BargainDef::later_computed).
struct LaterComputed {
  int var_slot = -1;  // its slot
  std::string name, stage;
  SourceLocation where;  // the variable's key in the stage's `compute`
};
struct BargainDef {
  std::vector<BargainIssueDef> issues;
  // Computed variables set only by stages after this one: those stages are the no-deal
  // branch, so an agreement's payoff must not read these variables.
  std::vector<LaterComputed> later_computed;
  std::vector<int> later_slots;  // their slots, in the same order
  bargaining::Concept concept_kind = bargaining::Concept::kNash;
  std::vector<int> parties;           // players at the table (empty: every player)
  std::vector<Formula> powers;        // one per party; empty: equal
  bool lotteries = true;
  Formula breakdown;                  // unset: 0
  std::vector<Formula> disagreement;  // empty: the value of what follows
  std::vector<BargainConstraintDef> constraints;
  bargaining::Protocol protocol = bargaining::Protocol::kAxiomatic;
  std::vector<Formula> discount;      // alternating: one per party
  int first = 0;                      // alternating: the first proposer, index into parties
  int rounds = 0;                     // alternating: 0 = infinite horizon
  bool outside = false;               // `disagreement: outside`
  std::vector<Formula> inside;        // with outside: one per player
  std::vector<Item> after;            // `after_agreement`: stages played after an agreement
  SourceLocation where, discount_where, constraints_where;
};

struct RepeatDef {
  int var_slot = -1;  // the loop variable's slot
  int parent_repeat = -1;  // the enclosing repeat block, or -1
  Formula from, to;
  const Expression* while_condition = nullptr;
  std::vector<Item> body;
  SourceLocation where;
};

struct TreeNodeDef {
  enum class Kind { kDecision, kChance, kTerminal };
  Kind kind = Kind::kTerminal;
  int player = -1;
  std::string infoset;  // "" for a set of its own
  std::vector<std::string> labels;
  std::vector<int> children;
  std::vector<Formula> probabilities;
  std::vector<Formula> payoffs;
  std::string node_label;
  SourceLocation where;
};

// The games one expansion built (the scenario's, and each continuation solved on the way in
// the order they were solved), kept by a compiled evaluator's scratch so that later
// expansions with other numbers only rewrite them (compiled_evaluator.h). Owned by one
// scratch: these games are rewritten in place.
//
// Reuse between evaluations (exact): each bargain the expansion meets (in expansion order)
// keeps what it computed last with the inputs it read, as bits. A bargain's work is a pure
// function of the variables' values when it is reached, so when they are the same bit for
// bit the kept numbers are those a fresh expansion would compute. The disagreement point
// and the prepared problem (corners, hull) do not read the slots that only bargaining
// powers read (CompiledScenario::Impl::power_only), so they are reused when every other slot is unchanged; the
// solution step then runs again with the new powers, or is reused too when those are the
// same. Terminal payoffs are memoised likewise, per payoff evaluation in expansion order,
// keyed on the bits of the slots the formula reads.
struct BargainMemo {
  bool valid = false;
  std::size_t pc = 0;
  std::vector<std::uint64_t> space;  // the bits of every slot but the power-only ones
  // The no-deal branch's value, what computing it counted, and the continuations it rewrote.
  bool has_d = false;
  std::vector<double> d;
  std::size_t d_evaluations = 0, d_payoff_evaluations = 0, d_continuations = 0;
  std::size_t d_bargains = 0, d_payoffs = 0;  // the memos' places it took (nested bargains)
  std::vector<std::uint64_t> d_powers;  // the power-only slots' bits, compared when d_bargains > 0
  // The problem as last built (rebuilt in place at every visit, its storage reused).
  bargaining::AgreementProblem problem;
  // The solve: the problem prepared without the powers, the last result and its powers' bits.
  bargaining::PreparedAgreement prepared;
  bool has_step = false;
  std::vector<std::uint64_t> weights;
  bargaining::AgreementResult step;
  std::vector<bargaining::Vector> spare_points;  // CopyStep's (expand.cc)
  std::size_t solve_evaluations = 0, solve_payoff_evaluations = 0;
};

// A terminal payoff's last value, keyed on the bits of the slots an expansion writes that its
// formula reads (CompiledScenario::Impl::payoff_written), in their order. The invariant slots
// it reads (the parameters) are compared once per expansion for each formula instead
// (PayoffInputs): the memo holds for them while they have not changed since `expansion`.
struct PayoffMemo {
  std::size_t expr_id = static_cast<std::size_t>(-1);
  std::vector<std::uint64_t> inputs;
  double value = 0;
  std::uint64_t expansion = 0;  // the last expansion that computed or confirmed the value
};

// One player's payoff formula's invariant inputs (CompiledScenario::Impl::payoff_invariant)
// as their bits when last compared, the expansion that compared them and the last expansion
// at which they differed from the comparison before (none: 0).
struct PayoffInputs {
  std::vector<std::uint64_t> bits;
  std::uint64_t checked = 0, changed = 0;
};

struct TopProgram;  // expand.cc

struct CompiledGames {
  model::GamePtr game;
  std::vector<model::GamePtr> continuations;
  std::size_t next = 0;  // the next continuation a rewrite reaches
  model::LabelTable labels;
  std::vector<double> solve_values;  // backward induction's workspace, reused by every solve
  std::shared_ptr<TopProgram> top;    // the scenario's unrolled program, for rewrites
  // The same program lent to each no-deal continuation (by its place in `continuations`).
  std::vector<std::shared_ptr<TopProgram>> continuation_programs;
  // Per bargain met, in expansion order; a deque, since a bargain's memo is held while the
  // bargains of its no-deal branch add theirs.
  std::deque<BargainMemo> bargains;
  std::size_t next_bargain = 0;
  std::vector<PayoffMemo> payoffs;    // per terminal payoff evaluation, in expansion order
  std::size_t next_payoff = 0;
  std::vector<PayoffInputs> payoff_inputs;  // by player
  std::uint64_t expansion = 0;  // counts the expansions on these games (Record, Rewrite)
  // The previous evaluation's bargain records, whose storage a rewrite fills again.
  std::vector<BargainRecord> spare_records;
  // Whether a rewrite consults and fills the memos above. CompiledEvaluator turns them off for
  // an evaluation at which more than one parameter changed (a Monte Carlo draw), where they
  // would miss and keeping them costs more than it saves; the storage of the bargain memos
  // still serves as working space then. A rewrite without them first empties them (once), so
  // that none holds numbers older than the continuations it would skip the rewriting of.
  bool remember = true;
  bool memos_filled = false;  // some memo may hold numbers (emptied when `remember` is off)
};

// Immutable once read: expansions only read it (each with a workspace of its own), so one
// compiled scenario serves many threads.
struct CompiledScenario::Impl {
  Scenario info;
  // Every name formulas may use (a slot each; its initial value is the value at the start of
  // a history) and every formula of the file.
  formula::ExpressionSet formulas{
      "; a formula can use parameters, stage names, computed variables and action labels"};
  std::vector<SymbolKind> symbol_kinds;  // by slot
  std::vector<int> parameter_slots;
  // By slot: read by some bargain's powers and by no other formula (the bargain memos' keys
  // set these slots apart; see CompiledGames). Filled by the reader once every formula is
  // compiled.
  std::vector<char> power_only;
  // Every slot an expansion writes (stage variables, computed variables, bargain issues, loop
  // variables), in slot order: a node's snapshot of the variables keeps these alone, since
  // the others (parameters, action labels) hold still through an expansion.
  std::vector<int> written_slots;
  // By player: the slots the payoff formula reads, split into those an expansion writes and
  // the others, each in used_slots() order (empty for a payoff written as a number).
  std::vector<std::vector<int>> payoff_written, payoff_invariant;

  // Stage form.
  std::vector<StageDef> stages;
  std::vector<RepeatDef> repeats;
  std::vector<Item> top;
  std::vector<Formula> payoffs;  // one per player

  // Tree form (root = 0).
  std::vector<TreeNodeDef> tree;

  // Expands for these parameter values into `out` (expand.cc).
  void Expand(std::span<const double> values, const ExpandOptions& options,
              formula::Evaluator& evaluator, Expansion& out) const;
  // The same, keeping the games built in `games` (stage form only).
  void Record(std::span<const double> values, const ExpandOptions& options,
              formula::Evaluator& evaluator, CompiledGames& games, Expansion& out) const;
  // The same, rewriting the numbers of the games `games` recorded; throws
  // model::ShapeChanged when the expansion does not retrace them (then `games` must be
  // recorded again).
  void Rewrite(std::span<const double> values, const ExpandOptions& options,
               formula::Evaluator& evaluator, CompiledGames& games, Expansion& out) const;
};

struct ExpansionWorkspace::State {
  explicit State(const formula::ExpressionSet& formulas) : evaluator(formulas) {}
  formula::Evaluator evaluator;
};

// Parses and compiles YAML text into `impl` (reader.cc).
void ReadInto(CompiledScenario::Impl& impl, std::string_view text, const std::string& file);

// A numeric action's label: "3", "0.25", "-1.5e-07".
std::string NumberLabel(double value);

// Messages quote the user's text, which may hold line breaks or control bytes: an error is
// one line, so these become spaces.
inline std::string OneLine(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return text;
}

// Runs `function`, rethrowing the scenario's errors with their messages on one line.
template <typename Function>
auto OneLineErrors(Function&& function) -> decltype(function()) {
  try {
    return function();
  } catch (const ParseError& e) {
    throw ParseError(e.where(), OneLine(e.message()));
  } catch (const ValidationError& e) {
    throw ValidationError(e.where(), OneLine(e.message()));
  } catch (const LimitError& e) {
    throw LimitError(e.where(), OneLine(e.message()));
  } catch (const UnsupportedError& e) {
    throw UnsupportedError(e.where(), OneLine(e.message()));
  } catch (const Error& e) {
    throw Error(e.where(), OneLine(e.message()));
  }
}

}  // namespace parley::scenario
