// The YAML reader of scenario files, one class over several files:
//   reader_document.cc  the document: top-level keys, players, parameters and their
//                       distributions, payoffs; the helpers every part uses (locations,
//                       scalars, checked mappings, names)
//   reader_stages.cc    the stage list (pass 1: structure and names): repeat blocks,
//                       stages, their actions, bargain stages
//   reader_compile.cc   pass 2: the symbol table, then every formula compiled against it;
//                       checks that need the whole file (loop bounds, bargains' later
//                       variables, imperfect recall notes)
//   reader_tree.cc      the explicit tree form
// Checks the document's structure key by key (unknown keys get a did-you-mean). Errors carry
// file:line:col of the key or value at fault. Not part of the public API: see scenario.h.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "solver/scenario/internal.h"

namespace parley::scenario {

// Names a formula cannot use for a parameter, stage or variable: the formula language's
// reserved words and functions, and nature (the chance player's name).
bool IsReserved(const std::string& name);
// "a, b, c".
std::string Join(const std::vector<std::string>& items, const std::string& sep = ", ");

class Reader {
 public:
  Reader(CompiledScenario::Impl& impl, std::string_view text, const std::string& file)
      : impl_(impl), text_(text), file_(file) {}

  // Reads the whole file into the compiled scenario.
  void Read();

 private:
  using KeyedMapping = std::map<std::string, std::pair<YAML::Node, YAML::Node>>;

  // ---- Locations and small helpers (reader_document.cc) ---------------------------------
  SourceLocation At(const YAML::Mark& mark) const;
  SourceLocation At(const YAML::Node& node) const;
  // Where a scalar's text starts (after an opening quote).
  SourceLocation TextAt(const YAML::Node& node) const;
  // The file's place of character `offset` of formula `text` (node's scalar), which the
  // formula module, counting as if the scalar were one line of the file, put at `where`.
  SourceLocation PlaceInScalar(const YAML::Node& node, const std::string& text, std::size_t offset,
                               const SourceLocation& where) const;
  [[noreturn]] void Fail(const YAML::Node& node, const std::string& message) const;
  // A formula with commas written unquoted in a [ ] list, which YAML split at its commas.
  void RefuseSplitFormulas(const YAML::Node& root) const;
  std::string Scalar(const YAML::Node& node, const std::string& what) const;
  double NumberValue(const YAML::Node& node, const std::string& what) const;
  bool BoolValue(const YAML::Node& node, const std::string& what) const;
  // A mapping whose keys are checked against `allowed` (unknown keys: did-you-mean) and
  // against duplicates.
  KeyedMapping Mapping(const YAML::Node& node, const std::string& what,
                       const std::vector<std::string>& allowed);
  static YAML::Node Get(const KeyedMapping& m, const std::string& key);
  void CheckName(const YAML::Node& node, const std::string& name, const std::string& what);
  std::string Describe(const YAML::Node& node) const;
  // (A default-constructed YAML::Node counts as defined: absent parts start as this.)
  static YAML::Node None() { return YAML::Node(YAML::NodeType::Undefined); }

  // ---- The document (reader_document.cc) ------------------------------------------------
  void ReadDocument(const YAML::Node& root);
  void ReadSources(const YAML::Node& node);
  void ReadPlayers(const YAML::Node& node);
  // The index of player `name`; `mover`: the name is a stage's or node's player, where nature
  // (chance) is allowed too (and handled before this is called), else a payoff's or a party's.
  int PlayerIndex(const YAML::Node& node, const std::string& name, bool mover = false) const;
  void ReadParameters(const YAML::Node& node);
  static std::string RangeText(const Parameter& p);
  Distribution ReadDistribution(const YAML::Node& node, const Parameter& p);
  void ReadPayoffNames(const YAML::Node& node);

  // ---- Stages, pass 1: structure and names (reader_stages.cc) ---------------------------
  // The raw YAML of one stage, kept for pass 2 (compiling formulas).
  struct RawStage {
    YAML::Node node = None(), condition = None(), probabilities = None(), actions = None(),
               from = None(), to = None(), step = None(), values = None();
    std::vector<std::pair<YAML::Node, YAML::Node>> compute_items;
    std::vector<YAML::Node> observe_items;
    YAML::Node bargain = None(), after = None();
  };
  struct RawRepeat {
    YAML::Node from = None(), to = None(), while_condition = None();
  };

  void ReadStageList(const YAML::Node& node, int repeat, std::vector<Item>& out);
  int ReadRepeat(const YAML::Node& item, int parent);
  int ReadStage(const YAML::Node& node, int repeat);
  // The stage's kind from its keys (player, actions, bargain, compute), and its players.
  void ReadStageKind(const YAML::Node& node, const KeyedMapping& m, int repeat, StageDef& def,
                     RawStage& raw, StageInfo& info);
  void ReadStageProbabilities(const YAML::Node& node, const KeyedMapping& m, StageDef& def,
                              RawStage& raw, StageInfo& info);
  void ReadObserve(const YAML::Node& o, RawStage& raw, StageInfo& info);
  void ReadCompute(const YAML::Node& compute, RawStage& raw, StageInfo& info);
  void ReadActions(const YAML::Node& node, StageDef& def, RawStage& raw, StageInfo& info);
  // A bargain stage: its issues (continuous ranges or discrete options), the solution
  // concept, bargaining powers, lotteries, a breakdown probability and the disagreement point.
  void ReadBargain(const YAML::Node& node, StageDef& def, RawStage& raw, StageInfo& info);

  // ---- Pass 2: symbols, then formulas (reader_compile.cc) -------------------------------
  void AddSymbols();
  const formula::SymbolTable& Symbols() const { return std::as_const(impl_.formulas).symbols(); }
  int AddSymbol(const std::string& name, SymbolKind kind, double initial = 0);
  void AddParameterSymbols();
  const Expression* Compile(const YAML::Node& node, const std::string& what);
  Formula CompileFormula(const YAML::Node& node, const std::string& what);
  // Formulas that must be the same in every history (loop bounds) may use parameters and
  // enclosing loop variables only.
  void RequireStatic(const Formula& f, const std::string& what);
  void CompileStageForm();
  void CompileRepeat(int r);
  void CompileStage(int i, const std::map<std::string, int>& stage_index);
  void CompileProbabilities(StageDef& def, const RawStage& raw, const std::string& in);
  void CompileObserve(int i, const std::map<std::string, int>& stage_index);
  void CompileBargain(StageDef& def, const RawStage& raw, const std::string& in);
  // The issues of bargain `b` that a range bound names (a linked range, which becomes a
  // constraint); refuses a bound naming its own issue or an issue with options.
  std::vector<int> LinkedIssues(const BargainDef& b, const Formula& bound,
                                const std::string& which, const std::string& issue);
  // A constraint `lhs <= rhs` / `lhs >= rhs` of bargain `b`, each side a formula.
  BargainConstraintDef CompileConstraint(const BargainDef& b, const StageDef& def, const YAML::Node& node,
                                         const std::string& in);
  // A formula that reads the name of a stage of `compute` alone (always 0) is refused.
  void RefuseComputeStageNames();
  // Computed variables that only stages after bargain `b` set: on the bargain's agreement
  // branch those stages are never played (they are its no-deal branch), so the variables keep
  // their value from before the bargain, 0 when nothing set them earlier. Recorded so that
  // the expander can refuse a payoff that reads one of them for an agreement.
  void CollectLaterComputed();
  // The slots that bargaining powers read and no other formula does (Impl::power_only).
  void MarkPowerOnlySlots();
  void MarkWrittenSlots();
  // Both stages lie inside one repeat block, so that a later one's earlier rounds come first.
  bool SameRepeat(int a, int b) const;
  // Whether repeat block `repeat` (or -1: none) or a block around it loops over slot `slot`.
  bool LoopEncloses(int repeat, int slot) const;
  // That `what` reads loop variable `slot` outside its block, and what to write instead.
  std::string LoopOutsideMessage(const std::string& what, int slot) const;
  // Formulas evaluated when a stage is reached (its condition, actions, probabilities and
  // compute, a bargain's terms) or before a repeat block's round (its `while`) may read only
  // what is decided by then: a later stage (or the stage itself, before its choice), or a
  // variable that only later stages compute, still holds 0 there. Refused with the formula's
  // location; the same repeat block's stages are allowed (their previous round). Payoffs are
  // evaluated at the end and may read anything.
  void CheckReadOrder();
  // Imperfect recall is allowed but reported: a player who does not observe a choice of his
  // own, or who forgets what he saw before.
  void RecallNotes();

  // ---- The explicit tree (reader_tree.cc) -----------------------------------------------
  void ReadTree(const YAML::Node& node);
  int ReadTreeNode(const YAML::Node& node, int depth);

  CompiledScenario::Impl& impl_;
  std::string text_;  // the file's text (YAML marks index into it)
  std::string file_;
  std::map<std::string, std::string> names_;  // name -> what it is ("parameter 'x'")
  std::set<std::string> loop_vars_, computed_;
  std::vector<std::string> loop_var_names_;  // by repeat index
  std::vector<std::string> stage_order_;
  std::vector<RawStage> raw_stages_;
  std::vector<RawRepeat> raw_repeats_;
  std::vector<std::pair<std::string, YAML::Node>> label_nodes_;
  std::map<std::string, double> label_value_;
  std::vector<std::optional<YAML::Node>> raw_payoffs_;
  std::map<int, int> tree_memo_;
  std::vector<int> after_of_;  // the bargain stages whose `after_agreement` is being read  // YAML position -> tree node (-1 while being read)
};

}  // namespace parley::scenario
