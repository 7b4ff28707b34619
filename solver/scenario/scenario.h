// Scenario files: a YAML language in which a negotiation is described by players, named
// parameters, stages (who moves, with which actions, what they observe, under which
// condition) and payoff formulas, or by an explicit tree; expanded into a model::Game through
// GameBuilder. The format is documented in docs/scenario-format.md.
//
// The design follows gtree (Kranz, "gtree: game trees in R", the stage-based description of
// extensive games) with YAML instead of R and native expansion instead of Gambit.
//
// Two levels of API:
//  * LoadScenario / ReadScenario: parse, apply --set overrides, expand once; the result holds
//    the metadata (for reports: parameter tables, sources) and the expanded game.
//  * CompiledScenario: parse and compile every formula once, then Expand(parameter values)
//    many times (sweeps, Monte Carlo). A compiled scenario is immutable and shared
//    (shared_ptr<const>); Expand is a const function of it, safe to call from many threads
//    at once. Each thread keeps an ExpansionWorkspace (the formulas' values and muparser's
//    buffers) and reuses it across calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "solver/formula/distribution.h"
#include "solver/model/error.h"
#include "solver/model/game.h"
#include "solver/bargaining/agreement.h"

namespace parley::scenario {

// A probability distribution over a parameter's value, for Monte Carlo analysis (sampled
// there; the reader only checks it, and fills in the parameter's min and max).
using formula::Distribution;
using formula::KindName;

struct Parameter {
  std::string name;
  double value = 0;          // the value in force (the file's, or a --set override)
  double file_value = 0;     // the value the file gives
  std::optional<double> min, max;  // the range a sweep may vary it over; --set is checked
  std::string unit, description;
  std::string source;        // which citation the value comes from
  bool assumption = false;   // true: the authors' assumption, not from a source
  std::optional<Distribution> distribution;
  SourceLocation where;      // of its name in the file
};

// What a stage does. A new kind is added here, in the stage reader (ReadStageKind in
// reader_stages.cc) and in the expander (the switch in Expander::Descend, expand.cc).
enum class StageKind {
  kDecision,  // a player picks one of the actions
  kChance,    // nature picks an action with the given probabilities
  kCompute,   // no move: only `compute` (derived variables)
  kBargain,   // the players bargain; agreement ends the game, disagreement continues
};
std::string KindName(StageKind kind);

// A stage as the file writes it (stages inside a repeat block appear once, with `repeat`).
struct StageInfo {
  std::string name;
  StageKind kind = StageKind::kDecision;
  std::vector<std::string> players;  // one name; several take turns by repetition; nature: {}
  std::string actions;               // as written: "accept, reject" or "0 to cake step 1"
  std::string probabilities;         // chance stages, as written
  std::string condition;             // "" when the stage always happens
  bool observe_all = true;           // the player sees every earlier choice
  std::vector<std::string> observe;  // else the stages whose choices the player sees
  std::vector<std::pair<std::string, std::string>> compute;  // name, formula
  // Bargain stages: each issue as written ("equity from 0 to 0.49", "clause: keep or drop"),
  // and the terms of the bargain ("nash solution, powers [w, 1 - w], disagreement [0, 0]").
  std::vector<std::string> issues;
  std::vector<std::string> issue_names;  // the issues' names alone
  std::string bargain_terms;
  // For a stage inside repeat blocks, each block, outermost first, one per line: "round =
  // 1..T" or "i = 1..2, while move != take"; "" outside them.
  std::string repeat;
  std::string after_agreement_of;    // a stage of this bargain's `after_agreement`, or ""
  SourceLocation where;
};

// Counters of one expansion.
struct ExpansionStats {
  std::size_t nodes = 0;
  std::size_t terminals = 0;
  std::size_t evaluations = 0;          // formulas evaluated, all kinds
  std::size_t payoff_evaluations = 0;   // payoff formulas evaluated
};

// One bargaining step met during an expansion: where it happened, the disagreement point
// (the subgame-perfect value of what follows when talks fail, or explicit numbers), and the
// bargaining solutions (solver/bargaining) with the agreed issue values.
struct BargainRecord {
  std::string stage;                   // the stage's name
  model::NodeId node = 0;              // the bargain node (chance: agree / no_deal)
  model::NodeId no_deal_node = 0;      // root of the disagreement branch
  std::string history;                 // "after carveout = grant > talks = negotiate"
  bool disagreement_from_branch = true;  // false: explicit numbers
  double breakdown = 0;                // probability that talks fail anyway
  std::vector<std::string> issue_names;
  std::vector<bool> issue_discrete;
  std::vector<std::pair<double, double>> bounds;  // continuous issues' ranges (discrete: 0, 0)
  std::vector<std::vector<std::string>> options;  // discrete issues' option labels
  std::vector<std::vector<double>> option_codes;  // and their label codes
  // The agreement's issue values with each discrete issue as its option's position (0, 1, ...)
  // rather than its label code; NaN when no agreement is possible.
  std::vector<double> IssueValuesByPosition() const;
  bargaining::AgreementResult step;              // agreement, all concepts, ideal point, frontier
  bargaining::Concept concept_kind = bargaining::Concept::kNash;
  std::vector<double> weights;         // bargaining powers, one per party (empty: equal)
  std::vector<int> parties;            // the players at the table (every player by default)
  std::vector<std::string> constraints;  // the links between issues, as written
  bargaining::Protocol protocol = bargaining::Protocol::kAxiomatic;
  bargaining::AlternatingProtocol alternating;  // protocol == kAlternating
  bool outside = false;                // `disagreement: outside` (the outside-option principle)
  std::vector<double> inside;          // with outside: what each player gets while talks go on
  // With `after_agreement`: what the stages after the agreement do in the continuation's
  // subgame-perfect equilibrium at the agreed terms ("review = clear"); "" without them.
  std::string after_agreement;
};

// A scenario: its metadata and, once expanded, its game.
struct Scenario {
  std::string file;
  // FNV-1a (64 bits) of the file's text: runs of two files, or of a file edited between them,
  // differ in it (parley merge refuses to combine their shards).
  std::uint64_t text_digest = 0;
  std::string title, description, units;
  std::vector<std::string> sources;
  std::vector<std::string> players;
  std::vector<Parameter> parameters;
  std::vector<StageInfo> stages;        // empty for the explicit tree form
  std::vector<std::string> payoffs;     // one formula per player (stage form)
  bool explicit_tree = false;
  // Remarks about the game's structure that are allowed but worth knowing (a player who
  // forgets his own earlier choice: imperfect recall).
  std::vector<std::string> notes;
  // The explicit tree form's nodes as written (a subtree that YAML aliases reuse appears once):
  // where each is and its children, the root first. Empty for the stage form.
  struct TreeNodePlace {
    SourceLocation where;
    std::vector<int> children;
  };
  std::vector<TreeNodePlace> tree_places;
  model::GamePtr game;                  // null until expanded
  ExpansionStats stats;
  std::vector<BargainRecord> bargains;  // every bargaining step of the expansion, in preorder

  // The index of a parameter by name, or -1.
  int FindParameter(std::string_view name) const;
  // Where the stage that a node of the expanded game belongs to is written (its information
  // set's label is the stage's name, "demand (round 2)" inside a repeat block), or nothing:
  // a terminal node, a bargain's own chance node. In the explicit tree form: where the node
  // is written (the expanded game numbers the written nodes in preorder).
  std::optional<SourceLocation> LocateNode(model::NodeId node) const;
};

struct ScenarioOptions {
  std::size_t max_nodes = 50'000'000;   // past this, LimitError (0: no limit)
  std::vector<std::string> overrides;   // "name=value", checked against min/max
};

struct ExpandOptions {
  std::size_t max_nodes = 50'000'000;   // past this, LimitError (0: no limit)
  // Bargain stages compute only the stage's own solution concept, not all of them side by
  // side (what sweeps and Monte Carlo need; several times faster).
  bool fast_bargains = false;
};

// What one expansion gives: the game, its bargaining steps in preorder of their nodes, and
// counters.
struct Expansion {
  model::GamePtr game;
  std::vector<BargainRecord> bargains;
  ExpansionStats stats;
};

class CompiledScenario;

// One thread's scratch space for expanding a compiled scenario: the values of the formulas'
// names and muparser's evaluation buffers, set up once (no YAML is read) and reused by every
// Expand given it. Not thread-safe: one per thread. It refers to its scenario, which must
// outlive it.
class ExpansionWorkspace {
 public:
  explicit ExpansionWorkspace(const CompiledScenario& scenario);
  ~ExpansionWorkspace();
  ExpansionWorkspace(const ExpansionWorkspace&) = delete;
  ExpansionWorkspace& operator=(const ExpansionWorkspace&) = delete;

 private:
  friend class CompiledScenario;
  friend class CompiledEvaluator;
  struct State;
  const CompiledScenario* scenario_;
  std::unique_ptr<State> state_;
};

// A scenario parsed and compiled once, expandable many times, from many threads at once.
class CompiledScenario {
 public:
  // Parses YAML text (`file` names it in messages) and compiles every formula. Throws
  // ParseError (YAML syntax, unknown or missing keys, formula errors) or ValidationError
  // (inconsistent declarations), each with file:line:col.
  static std::shared_ptr<const CompiledScenario> Compile(std::string_view text,
                                                         const std::string& file);
  ~CompiledScenario();
  CompiledScenario(const CompiledScenario&) = delete;
  CompiledScenario& operator=(const CompiledScenario&) = delete;

  // The metadata, with parameters at the file's values and no game.
  const Scenario& info() const;
  // The parameters' values as the file gives them, in declaration order.
  std::vector<double> DefaultValues() const;
  // Applies "name=value" overrides to `values`; throws ValidationError for an unknown name
  // (with did-you-mean), a value that is not a number, or one outside the parameter's
  // [min, max] (naming the range and where the parameter is declared).
  void ApplyOverrides(std::span<const std::string> overrides, std::vector<double>& values) const;
  // Throws ValidationError when `value` lies outside parameter `index`'s range.
  void CheckValue(std::size_t index, double value) const;

  // Expands the game for these parameter values (one per parameter, in order), using the
  // calling thread's workspace (made for this scenario). Throws LimitError past max_nodes,
  // ValidationError for a history where the scenario is inconsistent (probabilities not
  // summing to 1, an empty action set, a payoff that is not a finite number, ...), naming
  // the history.
  Expansion Expand(std::span<const double> values, const ExpandOptions& options,
                   ExpansionWorkspace& workspace) const;
  // The same with a workspace of its own, for a single expansion.
  Expansion Expand(std::span<const double> values, const ExpandOptions& options = {}) const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit CompiledScenario(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads, compiles and expands a scenario file with the options' overrides and node limit.
std::shared_ptr<const Scenario> LoadScenario(const std::string& path,
                                             const ScenarioOptions& options = {});
std::shared_ptr<const Scenario> ReadScenario(std::string_view text, const std::string& file,
                                             const ScenarioOptions& options = {});

}  // namespace parley::scenario
