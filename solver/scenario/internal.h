// The compiled form of a scenario, shared by the reader (reader.cc), which fills it, and the
// expander (expand.cc), which turns it into a game for given parameter values. Not part of
// the public API: see solver/scenario/scenario.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "solver/model/game_builder.h"
#include "solver/model/number.h"
#include "solver/scenario/expression.h"
#include "solver/scenario/scenario.h"

namespace parley::scenario {

// A number written literally (kept exactly, e.g. 1/3 in a probability) or a formula.
struct Formula {
  std::optional<Number> literal;
  std::unique_ptr<Expression> expr;
  SourceLocation where;

  double Evaluate() const { return literal ? literal->ToDouble() : expr->Evaluate(); }
  Number ToNumber() const { return literal ? *literal : Number(expr->Evaluate()); }
  bool IsSet() const { return literal.has_value() || expr != nullptr; }
};

enum class ActionKind { kLabels, kRange, kValues };

struct BargainDef;  // below

struct StageDef {
  int info = 0;  // index into Scenario::stages
  StageKind kind = StageKind::kDecision;
  std::vector<int> players;  // decision stages: one, or several taking turns by repetition
  int var = -1;              // the slot of the stage's variable
  int repeat = -1;           // the innermost repeat block holding the stage, or -1

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

  std::unique_ptr<Expression> condition;
  bool observe_all = true;
  std::vector<char> observes;  // by stage definition index, when !observe_all
  std::vector<std::pair<int, std::unique_ptr<Expression>>> compute;
  std::shared_ptr<BargainDef> bargain;  // bargain stages
  SourceLocation where;

  // Expansion cache: the labels of the last numeric range (ranges rarely change).
  double cache_from = 0, cache_step = 0;
  std::size_t cache_count = static_cast<std::size_t>(-1);
  std::vector<model::LabelId> cache_labels;
};

// A bargain stage's definition (see bargain_step.h for how it is solved).
struct BargainIssueDef {
  std::string name;
  int var = -1;                      // the issue's variable slot
  bool discrete = false;
  Formula from, to;                  // continuous
  std::vector<std::string> labels;   // discrete options
  std::vector<double> label_values;  // the options' label codes
};
// A computed variable that only stages after a bargain set (see BargainDef::later_computed).
struct LaterComputed {
  int var = -1;
  std::string name, stage;
  SourceLocation where;  // the variable's key in the stage's `compute`
};
struct BargainDef {
  std::vector<BargainIssueDef> issues;
  // Computed variables set only by stages after this one: those stages are the no-deal
  // branch, so an agreement's payoff must not read these variables.
  std::vector<LaterComputed> later_computed;
  bargaining::Concept concept_kind = bargaining::Concept::kNash;
  std::vector<Formula> powers;        // empty: equal
  bool lotteries = true;
  Formula breakdown;                  // unset: 0
  std::vector<Formula> disagreement;  // empty: the value of what follows
  SourceLocation where;
};

struct Item {
  bool is_repeat = false;
  int index = 0;  // into stages or repeats
};

struct RepeatDef {
  int var = -1;  // the loop variable's slot
  int parent = -1;
  Formula from, to;
  std::unique_ptr<Expression> while_condition;
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

struct CompiledScenario::Impl {
  std::string text;
  Scenario info;
  SymbolTable symbols;
  std::vector<int> parameter_slots;
  std::vector<double> initial_values;  // every slot's value at the start of a history

  // Stage form.
  std::vector<StageDef> stages;
  std::vector<RepeatDef> repeats;
  std::vector<Item> top;
  std::vector<Formula> payoffs;  // one per player

  // Tree form (root = 0).
  std::vector<TreeNodeDef> tree;

  ExpansionStats stats;
  std::vector<BargainRecord> bargains;
  bool fast_bargains = false;  // bargain stages compute only their own concept

  model::GamePtr Expand(std::span<const double> values, std::size_t max_nodes);

 private:
  model::GamePtr ExpandStages(model::GameBuilder& builder, std::size_t max_nodes);
  model::GamePtr ExpandTree(model::GameBuilder& builder);
};

// Parses and compiles YAML text into `impl` (reader.cc).
void ReadInto(CompiledScenario::Impl& impl, const std::string& file);

// A numeric action's label: "3", "0.25", "-1.5e-07".
std::string NumberLabel(double value);

}  // namespace parley::scenario
