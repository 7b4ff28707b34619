#include "solver/scenario/reader.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "solver/io/files.h"

namespace parley::scenario {

void Reader::AddSymbols() {
  AddParameterSymbols();
  for (std::size_t i = 0; i < impl_.stages.size(); ++i)
    impl_.stages[i].var_slot = AddSymbol(impl_.info.stages[impl_.stages[i].info_index].name,
                                    SymbolKind::kStage);
  for (const std::string& v : loop_var_names_)
    if (Symbols().Find(v) < 0) AddSymbol(v, SymbolKind::kLoop);
  for (const std::string& v : computed_) AddSymbol(v, SymbolKind::kComputed);
  // Labels: each distinct label a distinct value from 1 (0 stays "no choice").
  std::map<std::string, double>& label_value = label_value_;
  for (const auto& [label, node] : label_nodes_) {
    if (label_value.count(label)) continue;
    double value = static_cast<double>(label_value.size() + 1);
    label_value[label] = value;
    // `true` and `false` are 1 and 0 in formulas: `x == true` would compare a choice with the
    // number 1 (the first label's), not with this action.
    // A line break or another control character: tables, trees and paths print labels on one
    // line, and a row would break in two.
    if (auto bad = std::find_if(label.begin(), label.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
        bad != label.end()) {
      std::string shown;
      for (char c : label) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (c == '\n') shown += "\\n";
        else if (c == '\t') shown += "\\t";
        else if (u < 0x20 || u == 0x7f) { char hex[8]; std::snprintf(hex, sizeof hex, "\\x%02x", u); shown += hex; }
        else shown += c;
      }
      throw ValidationError(At(node), "action label '" + TruncateForMessage(shown, 60) +
                                          "' holds a line break or another control character; labels are printed on "
                                          "one line: write it without");
    }
    if (label == "true" || label == "false")
      throw ValidationError(At(node), "action label '" + label + "' is a word of formulas (" + label +
                                          " is " + (label == "true" ? "1" : "0") +
                                          " there), so a formula could not name this action; "
                                          "choose another label, such as 'yes' or 'no'");
    if (!IsIdentifier(label) || IsReserved(label)) continue;
    auto it = names_.find(label);
    if (it != names_.end())
      throw ValidationError(At(node), "action label '" + label + "' has the same name as " +
                                          it->second +
                                          "; labels are constants in formulas, rename one");
    AddSymbol(label, SymbolKind::kLabel, value);
  }
  for (StageDef& def : impl_.stages)
    for (const std::string& label : def.labels) def.label_values.push_back(label_value[label]);
}

int Reader::AddSymbol(const std::string& name, SymbolKind kind, double initial) {
  impl_.symbol_kinds.push_back(kind);
  return impl_.formulas.mutable_symbols().Add(name, initial);
}

void Reader::AddParameterSymbols() {
  for (const Parameter& p : impl_.info.parameters)
    impl_.parameter_slots.push_back(AddSymbol(p.name, SymbolKind::kParameter, p.value));
}

namespace {

// The offset in `text` of the character that `where` names, counting from `start` as
// formula::Offset counts (each character a column, a line break a new line); npos if none.
std::size_t OffsetOf(const SourceLocation& start, const std::string& text, const SourceLocation& where) {
  if (where.line == 0 || start.line == 0) return std::string::npos;
  SourceLocation at = start;
  for (std::size_t k = 0; k <= text.size(); ++k) {
    if (at.line == where.line && at.column == where.column) return k;
    if (k == text.size()) break;
    if (text[k] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return std::string::npos;
}

// `start` moved over the first `offset` characters of `text` (a line break starts a line).
SourceLocation Advance(SourceLocation start, const std::string& text, std::size_t offset) {
  if (start.line == 0) return start;
  for (std::size_t k = 0; k < offset && k < text.size(); ++k) {
    if (text[k] == '\n') {
      ++start.line;
      start.column = 1;
    } else {
      ++start.column;
    }
  }
  return start;
}

}  // namespace

// Where the file holds character `offset` of a formula's text, when the formula spans lines
// (a block scalar, `|` or `>`, or a quoted or plain scalar folded over lines); `where` (the
// formula module's count, right on one line) otherwise. YAML drops the indentation of every
// further line and folds line breaks into spaces, and a double-quoted scalar's escapes stand
// for one character (or none: an escaped line break). So the character is found in the
// file's text by counting the non-blank characters before it.
SourceLocation Reader::PlaceInScalar(const YAML::Node& node, const std::string& text, std::size_t offset,
                                     const SourceLocation& where) const {
  const SourceLocation start = TextAt(node);
  // yaml-cpp's positions do not count a byte-order mark.
  const std::size_t bom = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  if (offset == std::string::npos || start.line == 0 || node.Mark().pos < 0) return where;
  std::size_t raw = static_cast<std::size_t>(node.Mark().pos) + bom;
  // An anchor or a tag before the scalar (`&x |`, `!!str "..."`).
  while (raw < text_.size() && (text_[raw] == '&' || text_[raw] == '!')) {
    while (raw < text_.size() && text_[raw] != ' ' && text_[raw] != '\t' && text_[raw] != '\n') ++raw;
    while (raw < text_.size() && (text_[raw] == ' ' || text_[raw] == '\t')) ++raw;
  }
  if (raw >= text_.size()) return where;
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t before = 0, total = 0;  // non-blank characters of the scalar before the offset, in all
  for (std::size_t k = 0; k < text.size(); ++k) {
    before += k < offset && !blank(text[k]);
    total += !blank(text[k]);
  }
  if (total == 0) return where;
  const bool block = text_[raw] == '|' || text_[raw] == '>';
  const bool double_quoted = text_[raw] == '"';
  if (block) {
    raw = text_.find('\n', raw);
    if (raw == std::string::npos) return where;
    ++raw;
  } else if (double_quoted || text_[raw] == '\'') {
    ++raw;
  }
  std::size_t found = std::string::npos, last = raw;
  for (std::size_t seen = 0; raw < text_.size(); ++raw) {
    std::size_t width = 1;  // the file's characters this one of the scalar takes
    bool is_blank = blank(text_[raw]);
    if (double_quoted && text_[raw] == '\\' && raw + 1 < text_.size()) {
      const char e = text_[raw + 1];
      if (e == '\n' || e == '\r') {  // an escaped line break: no character
        ++raw;
        continue;
      }
      width = e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10 : 2;
      is_blank = e == 't' || e == 'n' || e == 'r' || e == ' ' || e == '\t';
    }
    if (!is_blank) {
      if (seen == before) {
        found = raw;
        break;
      }
      ++seen;
      last = raw + width;
    }
    raw += width - 1;
    if (!is_blank && seen == total) break;
  }
  if (found == std::string::npos) found = std::min(last, text_.size());
  const SourceLocation out = io::LocationOfByte(std::string_view(text_).substr(bom), file_, found - bom);
  // On one line of the file, the formula module's count was right already.
  return block || out.line != start.line ? out : where;
}

const Expression* Reader::Compile(const YAML::Node& node, const std::string& what) {
  std::string text = Scalar(node, what);
  try {
    return impl_.formulas.Add(text, TextAt(node));
  } catch (const formula::CompileError& e) {
    const SourceLocation where = PlaceInScalar(node, text, OffsetOf(TextAt(node), text, e.where()), e.where());
    // An action label that is also a word of formulas (a function such as max) is no name
    // there: say so rather than call a label of the file undefined.
    if (e.problem() == formula::CompileError::Problem::kUnknownName && label_value_.count(e.token()) &&
        IsReserved(e.token()))
      throw ValidationError(where, "'" + e.token() + "' in formula '" + TruncateForMessage(text, 80) +
                                       "' is an action label, but also a word of formulas (a function or "
                                       "an operator), so a formula cannot name it; rename the action");
    if (where.line == e.where().line && where.column == e.where().column) throw;
    throw formula::CompileError(where, e.message(), e.problem(), e.token(), e.detail());
  }
}

Formula Reader::CompileFormula(const YAML::Node& node, const std::string& what) {
  Formula f;
  f.where = TextAt(node);
  std::string text = Scalar(node, what);
  Number n;
  if (Number::Parse(text, &n)) {
    // As in a formula and a parameter's value: 1e-400 is not 0, but a double holds it as 0.
    if (n.ToDouble() == 0 && n.ToRational() != 0)
      Fail(node, what + " '" + text + "' is too small to compute with (it would be 0); write 0 if 0 is meant");
    f.literal = n;
  } else {
    f.expr = Compile(node, what);
  }
  return f;
}

void Reader::RequireStatic(const Formula& f, const std::string& what) {
  if (!f.expr) return;
  for (int slot : f.expr->used_slots()) {
    auto kind = impl_.symbol_kinds[static_cast<std::size_t>(slot)];
    if (kind == SymbolKind::kStage || kind == SymbolKind::kComputed)
      throw ValidationError(f.where, what + " uses '" + Symbols().name(slot) +
                                         "', which differs between histories; it can use "
                                         "parameters and loop variables only");
  }
}

void Reader::CompileStageForm() {
  AddSymbols();
  for (std::size_t r = 0; r < impl_.repeats.size(); ++r) CompileRepeat(static_cast<int>(r));
  std::map<std::string, int> stage_index;
  for (std::size_t i = 0; i < impl_.stages.size(); ++i)
    stage_index[impl_.info.stages[impl_.stages[i].info_index].name] = static_cast<int>(i);
  for (std::size_t i = 0; i < impl_.stages.size(); ++i)
    CompileStage(static_cast<int>(i), stage_index);
  CheckReadOrder();
  for (std::size_t p = 0; p < raw_payoffs_.size(); ++p) {
    impl_.payoffs.push_back(CompileFormula(
        *raw_payoffs_[p], "the payoff of " + impl_.info.players[p]));
    // Payoffs are evaluated after every block has ended.
    if (const Expression* e = impl_.payoffs.back().expr)
      for (int slot : e->used_slots())
        if (impl_.symbol_kinds[static_cast<std::size_t>(slot)] == SymbolKind::kLoop)
          throw ValidationError(e->where(), LoopOutsideMessage("the payoff of " + impl_.info.players[p], slot));
  }
  RefuseComputeStageNames();
  CollectLaterComputed();
  MarkPowerOnlySlots();
  MarkWrittenSlots();
  // An expansion sets the parameters once and writes only written_slots after: every other
  // slot (parameters, labels) is invariant through it (ExpandWith refreshes the evaluator).
  std::vector<char> written(Symbols().size(), 0);
  for (int slot : impl_.written_slots) written[static_cast<std::size_t>(slot)] = 1;
  std::vector<int> invariant;
  for (std::size_t s = 0; s < written.size(); ++s)
    if (!written[s]) invariant.push_back(static_cast<int>(s));
  impl_.payoff_written.assign(impl_.payoffs.size(), {});
  impl_.payoff_invariant.assign(impl_.payoffs.size(), {});
  for (std::size_t p = 0; p < impl_.payoffs.size(); ++p)
    if (const Expression* e = impl_.payoffs[p].expr)
      for (int slot : e->used_slots())
        (written[static_cast<std::size_t>(slot)] ? impl_.payoff_written : impl_.payoff_invariant)[p].push_back(slot);
  impl_.formulas.Hoist(invariant);
}

// A stage of `compute` alone makes no move, so its name reads 0 everywhere (no choice): a
// formula that reads it meant one of its variables, and got 0 without a word. Refused at the
// formula (as observing such a stage is).
void Reader::RefuseComputeStageNames() {
  std::vector<int> stage_of(Symbols().size(), -1);
  for (std::size_t i = 0; i < impl_.stages.size(); ++i)
    if (impl_.stages[i].kind == StageKind::kCompute && impl_.stages[i].var_slot >= 0)
      stage_of[static_cast<std::size_t>(impl_.stages[i].var_slot)] = static_cast<int>(i);
  const formula::ExpressionSet& formulas = std::as_const(impl_.formulas);
  for (std::size_t id = 0; id < formulas.size(); ++id)
    for (int slot : formulas[id].used_slots()) {
      const int i = stage_of[static_cast<std::size_t>(slot)];
      if (i < 0) continue;
      std::string variables;
      for (const auto& [variable, expr] : impl_.stages[static_cast<std::size_t>(i)].compute)
        variables += (variables.empty() ? "" : ", ") + Symbols().name(variable);
      throw ValidationError(formulas[id].where(),
                            "this formula reads '" + Symbols().name(slot) +
                                "', a stage that only computes variables and makes no move, so it would always "
                                "read 0; read the variables it computes by their names (" +
                                variables + ")");
    }
}

void Reader::CompileRepeat(int r) {
  RepeatDef& def = impl_.repeats[r];
  RawRepeat& raw = raw_repeats_[r];
  def.var_slot = Symbols().Find(loop_var_names_[r]);
  if (raw.from.IsDefined()) {
    def.from = CompileFormula(raw.from, "'from'");
  } else {
    def.from.literal = Number(1);
    def.from.where = def.where;
  }
  def.to = CompileFormula(raw.to, "'to'");
  RequireStatic(def.from, "'from' of a repeat block");
  RequireStatic(def.to, "'to' of a repeat block");
  if (raw.while_condition.IsDefined())
    def.while_condition = Compile(raw.while_condition, "'while'");
}

void Reader::CompileStage(int i, const std::map<std::string, int>& stage_index) {
  StageDef& def = impl_.stages[i];
  RawStage& raw = raw_stages_[i];
  const StageInfo& info = impl_.info.stages[def.info_index];
  const std::string in = " of stage '" + info.name + "'";
  if (def.action_kind == ActionKind::kValues && raw.values.IsDefined())
    for (const auto& v : raw.values) def.values.push_back(CompileFormula(v, "an action" + in));
  if (def.action_kind == ActionKind::kRange) {
    def.from = CompileFormula(raw.from, "'from'" + in);
    def.to = CompileFormula(raw.to, "'to'" + in);
    if (raw.step.IsDefined()) {
      def.step = CompileFormula(raw.step, "'step'" + in);
    } else {
      def.step.literal = Number(1);
      def.step.where = def.actions_where;
    }
  }
  if (raw.probabilities.IsDefined()) CompileProbabilities(def, raw, in);
  // The compute before the bargain's terms: a constraint may name a computed variable that
  // follows the issues.
  for (auto& [key, value] : raw.compute_items) {
    int slot = Symbols().Find(key.Scalar());
    def.compute.emplace_back(slot, Compile(value, "the formula of '" + key.Scalar() + "'"));
  }
  if (def.kind == StageKind::kBargain) CompileBargain(def, raw, in);
  if (raw.condition.IsDefined()) def.condition = Compile(raw.condition, "the condition" + in);
  if (!def.observe_all) CompileObserve(i, stage_index);
}

// A chance stage's probabilities: one formula for every action (with the stage's variable
// bound to the action), a list, or a mapping by action label.
void Reader::CompileProbabilities(StageDef& def, const RawStage& raw, const std::string& in) {
  const StageInfo& info = impl_.info.stages[def.info_index];
  def.probabilities_where = At(raw.probabilities);
  const YAML::Node& p = raw.probabilities;
  if (p.IsScalar()) {
    def.probability_each = true;
    def.probabilities.push_back(CompileFormula(p, "the probability" + in));
  } else if (p.IsSequence()) {
    if (def.action_kind == ActionKind::kLabels && p.size() != def.labels.size())
      Fail(p, "stage '" + info.name + "' has " + std::to_string(def.labels.size()) +
                  " actions but " + std::to_string(p.size()) + " probabilities");
    if (def.action_kind == ActionKind::kRange)
      Fail(p, "a range of actions takes one probability formula (using the stage's "
              "variable), not a list");
    for (const auto& x : p) def.probabilities.push_back(CompileFormula(x, "a probability" + in));
  } else if (p.IsMap()) {
    if (def.action_kind != ActionKind::kLabels)
      Fail(p, "probabilities by label need labelled actions; use a list or one formula");
    std::vector<std::optional<YAML::Node>> by_action(def.labels.size());
    for (auto it = p.begin(); it != p.end(); ++it) {
      std::string label = Scalar(it->first, "an action");
      auto at = std::find(def.labels.begin(), def.labels.end(), label);
      if (at == def.labels.end())
        Fail(it->first, "'" + label + "' is not an action" + in +
                            DidYouMean(label, def.labels));
      by_action[at - def.labels.begin()].emplace(it->second);
    }
    for (std::size_t a = 0; a < def.labels.size(); ++a) {
      if (!by_action[a])
        Fail(p, "no probability for action '" + def.labels[a] + "'" + in);
      def.probabilities.push_back(CompileFormula(*by_action[a], "a probability" + in));
    }
  } else {
    Fail(p, "'probabilities' must be a list, a mapping by action, or one formula");
  }
}

// The stages a player observes, by name: earlier ones only (or the same repeat block's).
void Reader::CompileObserve(int i, const std::map<std::string, int>& stage_index) {
  StageDef& def = impl_.stages[i];
  const StageInfo& info = impl_.info.stages[def.info_index];
  def.observes.assign(impl_.stages.size(), 0);
  for (const YAML::Node& o : raw_stages_[i].observe_items) {
    std::string name = o.Scalar();
    auto it = stage_index.find(name);
    if (it == stage_index.end())
      Fail(o, "stage '" + info.name + "' observes '" + name + "', which is not a stage" +
                  DidYouMean(name, stage_order_));
    int j = it->second;
    if (j >= i && !SameRepeat(j, i))
      throw ValidationError(At(o), "stage '" + info.name + "' observes stage '" + name +
                                       "', which comes after it (or is itself); a "
                                       "player can observe only earlier choices");
    // A stage of `compute` alone makes no move: observing it revealed nothing, silently.
    if (impl_.stages[j].kind == StageKind::kCompute)
      throw ValidationError(At(o), "stage '" + info.name + "' observes stage '" + name +
                                       "', which only computes variables and makes no move; "
                                       "observe the stages whose choices those variables read");
    def.observes[j] = 1;
  }
  // A stage after an agreement is solved, with the rest of the bargain's `after_agreement`, as a
  // subgame at each agreement and history: its player must see every choice made before the
  // bargain, or one information set would join plays that the solve keeps apart (the
  // agreement's value at one history would then depend on play at another), and the answer
  // would silently be that of a player who does see them.
  if (def.after_of >= 0) {
    for (int j = 0; j < def.after_of; ++j) {
      if (impl_.stages[j].after_of >= 0 || def.observes[j]) continue;  // another bargain's after stages never precede
      const YAML::Node observe = raw_stages_[i].node["observe"];
      const std::string& bargain = impl_.info.stages[impl_.stages[def.after_of].info_index].name;
      const std::string& missing = impl_.info.stages[impl_.stages[j].info_index].name;
      throw ValidationError(observe.IsDefined() ? At(observe) : def.where,
                            "stage '" + info.name + "' comes after an agreement at bargain '" + bargain +
                                "' but does not observe stage '" + missing +
                                "', played before the bargain: the stages after an agreement are "
                                "solved as a subgame for each agreement and history, which a player "
                                "who cannot tell those histories apart does not play; observe every "
                                "stage before the bargain (here add '" + missing + "' to `observe`)");
    }
  }
}

void Reader::CompileBargain(StageDef& def, const RawStage& raw, const std::string& in) {
  BargainDef& b = *def.bargain;
  const YAML::Node m = raw.bargain;
  const YAML::Node issues = m["issues"];
  for (BargainIssueDef& d : b.issues) d.var_slot = Symbols().Find(d.name);
  std::size_t k = 0;
  for (auto it = issues.begin(); it != issues.end(); ++it, ++k) {
    BargainIssueDef& d = b.issues[k];
    if (d.discrete) {
      for (const auto& label : d.labels) d.label_values.push_back(label_value_[label]);
    } else {
      d.from = CompileFormula(it->second["from"], "'from' of issue '" + d.name + "'" + in);
      d.to = CompileFormula(it->second["to"], "'to' of issue '" + d.name + "'" + in);
      d.from_links = LinkedIssues(b, d.from, "'from'", d.name);
      d.to_links = LinkedIssues(b, d.to, "'to'", d.name);
    }
  }
  // One level of links: a bound may name issues whose own range is fixed, so that the boxes
  // can be set in order and no cycle can arise.
  for (const BargainIssueDef& d : b.issues)
    for (const auto* links : {&d.from_links, &d.to_links})
      for (int j : *links) {
        const BargainIssueDef& other = b.issues[static_cast<std::size_t>(j)];
        if (!other.from_links.empty() || !other.to_links.empty())
          throw ValidationError(
              (links == &d.from_links ? d.from : d.to).where,
              "the range of issue '" + d.name + "' names issue '" + other.name +
                  "', whose own range names another issue; a bound may name only issues "
                  "with a fixed range (write the other links under 'constraints:')");
      }
  if (m["powers"].IsDefined())
    for (const auto& p : m["powers"]) b.powers.push_back(CompileFormula(p, "a bargaining power" + in));
  if (m["breakdown"].IsDefined()) b.breakdown = CompileFormula(m["breakdown"], "'breakdown'" + in);
  if (m["disagreement"].IsDefined() && m["disagreement"].IsSequence())
    for (const auto& x : m["disagreement"])
      b.disagreement.push_back(CompileFormula(x, "a disagreement payoff" + in));
  if (m["discount"].IsDefined()) {
    b.discount_where = At(m["discount"]);
    for (const auto& x : m["discount"])
      b.discount.push_back(CompileFormula(x, "a discount factor" + in));
  }
  if (m["inside"].IsDefined())
    for (const auto& x : m["inside"]) b.inside.push_back(CompileFormula(x, "an inside payoff" + in));
  if (m["constraints"].IsDefined()) {
    b.constraints_where = At(m["constraints"]);
    for (const auto& x : m["constraints"]) b.constraints.push_back(CompileConstraint(b, def, x, in));
  }
}

// `lhs <= rhs` or `lhs >= rhs`: split at the one comparison, each side compiled as a formula
// located at its own column.
BargainConstraintDef Reader::CompileConstraint(const BargainDef& b, const StageDef& def, const YAML::Node& node,
                                               const std::string& in) {
  BargainConstraintDef c;
  c.text = Scalar(node, "a constraint");
  c.where = TextAt(node);
  const std::string& text = c.text;
  std::size_t at = std::string::npos;
  int comparisons = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    bool two = i + 1 < text.size() && text[i + 1] == '=';
    if (ch == '<' || ch == '>' || ((ch == '=' || ch == '!') && two)) {
      ++comparisons;
      if ((ch == '<' || ch == '>') && two) {
        at = i;
        c.less = ch == '<';
      } else {
        at = std::string::npos;
        break;
      }
      ++i;
    }
  }
  if (comparisons != 1 || at == std::string::npos)
    throw ParseError(c.where, "constraint '" + text + "'" + in +
                                  " must be one comparison 'lhs <= rhs' or 'lhs >= rhs' "
                                  "(strict < and >, == and chains are not constraints)");
  auto side = [&](std::size_t begin, std::size_t end, const char* which) {
    std::string part = text.substr(begin, end - begin);
    std::size_t lead = part.find_first_not_of(" \t");
    if (lead == std::string::npos)
      throw ParseError(c.where, "constraint '" + text + "'" + in + " has no " + which +
                                    " side; write 'lhs <= rhs' or 'lhs >= rhs'");
    // Located at the part's first character (within the whole text as formula::Offset
    // counts, then in the file when the constraint spans lines).
    const SourceLocation where = Advance(c.where, text, begin);
    try {
      return impl_.formulas.Add(part, where);
    } catch (const formula::CompileError& e) {
      const std::size_t in_part = OffsetOf(where, part, e.where());
      const SourceLocation placed = PlaceInScalar(
          node, text, in_part == std::string::npos ? std::string::npos : begin + in_part, e.where());
      if (placed.line == e.where().line && placed.column == e.where().column) throw;
      throw formula::CompileError(placed, e.message(), e.problem(), e.token(), e.detail());
    }
  };
  c.lhs = side(0, at, "left");
  c.rhs = side(at + 2, text.size(), "right");
  // The slots that follow the agreement: the issues, and the bargain's own computed variables
  // whose formulas read them (w: 4 * s makes `w <= 1` a constraint on s).
  std::vector<int> agreed;
  for (const BargainIssueDef& issue : b.issues) agreed.push_back(issue.var_slot);
  for (const auto& [slot, expr] : def.compute)
    for (int used : expr->used_slots())
      if (std::find(agreed.begin(), agreed.end(), used) != agreed.end()) {
        agreed.push_back(slot);
        break;
      }
  bool names_issue = false;
  for (const Expression* e : {c.lhs, c.rhs})
    for (int slot : e->used_slots())
      names_issue = names_issue || std::find(agreed.begin(), agreed.end(), slot) != agreed.end();
  if (!names_issue)
    throw ValidationError(c.where, "constraint '" + text + "'" + in +
                                       " names no issue of the bargain; a constraint links "
                                       "the issues (a condition on parameters alone belongs "
                                       "in a stage's 'condition')");
  return c;
}

std::vector<int> Reader::LinkedIssues(const BargainDef& b, const Formula& bound,
                                      const std::string& which, const std::string& issue) {
  std::vector<int> links;
  if (!bound.expr) return links;
  for (int slot : bound.expr->used_slots())
    for (std::size_t j = 0; j < b.issues.size(); ++j) {
      const BargainIssueDef& other = b.issues[j];
      if (other.var_slot != slot) continue;
      if (other.name == issue)
        throw ValidationError(bound.where, which + " of issue '" + issue +
                                               "' names the issue itself; a range cannot "
                                               "depend on its own value (write a constraint "
                                               "under 'constraints:' if that is what you mean)");
      if (other.discrete)
        throw ValidationError(bound.where, which + " of issue '" + issue + "' names issue '" +
                                               other.name +
                                               "', which has options; a range may name only "
                                               "ranges (write the link under 'constraints:')");
      links.push_back(static_cast<int>(j));
    }
  return links;
}

void Reader::CollectLaterComputed() {
  // Stage definitions are numbered in file order (a bargain is never inside a repeat).
  for (std::size_t i = 0; i < impl_.stages.size(); ++i) {
    StageDef& def = impl_.stages[i];
    if (def.kind != StageKind::kBargain) continue;
    std::set<std::string> before;
    for (std::size_t j = 0; j <= i; ++j)
      for (const auto& [key, value] : raw_stages_[j].compute_items) before.insert(key.Scalar());
    std::set<std::string> seen;
    for (std::size_t j = i + 1; j < impl_.stages.size(); ++j) {
      if (impl_.stages[j].after_of >= 0) continue;  // played after an agreement: allowed
      for (const auto& [key, value] : raw_stages_[j].compute_items) {
        std::string var = key.Scalar();
        if (before.count(var) || !seen.insert(var).second) continue;
        def.bargain->later_computed.push_back(
            {Symbols().Find(var), var, impl_.info.stages[impl_.stages[j].info_index].name, At(key)});
        def.bargain->later_slots.push_back(def.bargain->later_computed.back().var_slot);
      }
    }
  }
}

void Reader::MarkPowerOnlySlots() {
  const std::size_t slots = Symbols().size();
  const formula::ExpressionSet& formulas = std::as_const(impl_.formulas);
  std::vector<char> is_power(formulas.size(), 0);
  for (const StageDef& def : impl_.stages)
    if (def.bargain)
      for (const Formula& f : def.bargain->powers)
        if (f.expr) is_power[f.expr->id()] = 1;
  std::vector<char> by_power(slots, 0), by_other(slots, 0);
  for (std::size_t id = 0; id < formulas.size(); ++id)
    for (int slot : formulas[id].used_slots())
      (is_power[id] ? by_power : by_other)[static_cast<std::size_t>(slot)] = 1;
  impl_.power_only.assign(slots, 0);
  for (std::size_t s = 0; s < slots; ++s) impl_.power_only[s] = by_power[s] && !by_other[s];
}

void Reader::MarkWrittenSlots() {
  std::vector<char> written(Symbols().size(), 0);
  auto mark = [&](int slot) {
    if (slot >= 0) written[static_cast<std::size_t>(slot)] = 1;
  };
  for (const StageDef& def : impl_.stages) {
    mark(def.var_slot);
    for (const auto& entry : def.compute) mark(entry.first);
    if (def.bargain)
      for (const BargainIssueDef& issue : def.bargain->issues) mark(issue.var_slot);
  }
  for (const RepeatDef& r : impl_.repeats) mark(r.var_slot);
  impl_.written_slots.clear();
  for (std::size_t s = 0; s < written.size(); ++s)
    if (written[s]) impl_.written_slots.push_back(static_cast<int>(s));
}

bool Reader::LoopEncloses(int repeat, int slot) const {
  for (int r = repeat; r >= 0; r = impl_.repeats[r].parent_repeat)
    if (impl_.repeats[r].var_slot == slot) return true;
  return false;
}

std::string Reader::LoopOutsideMessage(const std::string& what, int slot) const {
  const std::string var = Symbols().name(slot);
  return what + " reads the loop variable '" + var +
         "' outside its repeat block, where its value would depend on how the block ended (by "
         "'to', by 'while', or with no round at all); to use the round in which something "
         "happened, record it inside the block with compute (agreed_in: " + var +
         ") and read that";
}

bool Reader::SameRepeat(int a, int b) const {
  for (int r = impl_.stages[a].repeat_index; r >= 0; r = impl_.repeats[r].parent_repeat)
    for (int q = impl_.stages[b].repeat_index; q >= 0; q = impl_.repeats[q].parent_repeat)
      if (r == q) return true;
  return false;
}

void Reader::CheckReadOrder() {
  const std::size_t slots = Symbols().size();
  // By slot: the stage whose variable it is; where a computed variable or a bargain issue is
  // set (the stage, and the place in its compute, or -1 for an issue: set by the agreement).
  std::vector<int> stage_of(slots, -1);
  std::vector<std::vector<std::pair<int, int>>> set_by(slots);
  for (std::size_t i = 0; i < impl_.stages.size(); ++i) {
    const StageDef& def = impl_.stages[i];
    const int stage = static_cast<int>(i);
    stage_of[static_cast<std::size_t>(def.var_slot)] = stage;
    if (def.bargain)
      for (const BargainIssueDef& issue : def.bargain->issues)
        set_by[static_cast<std::size_t>(issue.var_slot)].emplace_back(stage, -1);
    for (std::size_t k = 0; k < def.compute.size(); ++k)
      set_by[static_cast<std::size_t>(def.compute[k].first)].emplace_back(stage,
                                                                          static_cast<int>(k));
  }
  auto name = [&](int i) { return impl_.info.stages[impl_.stages[i].info_index].name; };
  // A formula evaluated when stage `at` is reached. `own` is what of that stage it may read:
  // -2 nothing (before the choice), -1 the choice (and a bargain's issues), k >= 0 also the
  // compute's variables up to the k-th. Stages of the same repeat block hold their previous
  // round's values, so reading them is allowed.
  // `own_variable`: whether the stage's own variable may be read where `own` allows its
  // issues and compute (an issue's range may read the bargain's other issues, not whether
  // the bargain is agreed, which is decided after the range).
  auto check = [&](const Expression* e, int at, int own, const std::string& what,
                   const std::string& rule, bool own_variable = true) {
    if (!e) return;
    for (int slot : e->used_slots()) {
      const auto s = static_cast<std::size_t>(slot);
      std::string thing;
      if (int j = stage_of[s]; j >= 0) {
        if (j < at || SameRepeat(j, at) || (j == at && own >= -1 && own_variable)) continue;
        thing = "stage '" + name(j) + (j == at ? "' itself" : "', which comes after it") +
                " (there it is 0, not yet played)";
      } else if (!set_by[s].empty()) {
        bool earlier = false;
        for (auto [setter, place] : set_by[s])
          if (setter < at || SameRepeat(setter, at) || (setter == at && own >= place))
            earlier = true;
        if (earlier) continue;
        const std::string var = Symbols().name(slot);
        auto [setter, place] = set_by[s].front();
        if (place < 0) {
          thing = "issue '" + var + "' of " +
                  (setter == at ? std::string("its own bargain")
                                : "bargain stage '" + name(setter) + "', which comes after it") +
                  " (there it is 0, not yet agreed)";
        } else {
          std::vector<std::string> stages;
          for (auto [t, m] : set_by[s])
            if (std::find(stages.begin(), stages.end(), "'" + name(t) + "'") == stages.end())
              stages.push_back("'" + name(t) + "'");
          if (stages.size() > 1)
            thing = "'" + var + "', which only later stages compute (" + Join(stages) + ")";
          else if (setter == at)
            thing = "'" + var + "', which only stage '" + name(setter) + "' itself computes, later";
          else
            thing = "'" + var + "', which only stage '" + name(setter) + "' computes, after it";
          thing += " (there it is 0, not yet computed)";
        }
      } else if (impl_.symbol_kinds[s] == SymbolKind::kLoop) {
        if (LoopEncloses(impl_.stages[at].repeat_index, slot)) continue;
        throw ValidationError(e->where(), LoopOutsideMessage(what, slot));
      } else {
        continue;  // a parameter or a label
      }
      throw ValidationError(e->where(), what + " reads " + thing + "; " + rule);
    }
  };
  const int all = std::numeric_limits<int>::max();
  for (std::size_t i = 0; i < impl_.stages.size(); ++i) {
    const StageDef& def = impl_.stages[i];
    const int at = static_cast<int>(i);
    const std::string in = " of stage '" + name(at) + "'";
    check(def.condition, at, -2, "the condition" + in, "a condition can read only earlier choices");
    const std::string actions_rule = "an action set can read only earlier choices";
    for (const Formula* f : {&def.from, &def.to, &def.step})
      check(f->expr, at, -2, "the actions" + in, actions_rule);
    for (const Formula& f : def.values) check(f.expr, at, -2, "the actions" + in, actions_rule);
    // One formula for every action reads the stage's variable set to each action in turn.
    for (const Formula& f : def.probabilities)
      check(f.expr, at, def.probability_each ? -1 : -2, "a probability" + in,
            "a probability can read only earlier choices");
    for (std::size_t k = 0; k < def.compute.size(); ++k)
      check(def.compute[k].second, at, static_cast<int>(k),
            "the formula of '" + Symbols().name(def.compute[k].first) + "'" + in,
            "a computed variable can read only earlier choices, its own stage's choice "
            "and the variables computed before it");
    if (!def.bargain) continue;
    // A bargain's terms are fixed when it is reached, before any agreement: its powers,
    // breakdown, disagreement point, discount factors and inside point cannot read its own
    // issues, its own variable or its own compute (there they are 0: powers [s, 1 - s] gave
    // the first party no power at all, silently). An issue's range may name the bargain's
    // other issues (a linked bound, checked when the bargain is expanded, as is a range that
    // reads the compute); constraints are evaluated for each agreement and may read it all.
    const BargainDef& b = *def.bargain;
    const std::string rule = "a bargain's terms can read only earlier choices and its own issues";
    const std::string fixed_rule =
        "a bargain's powers, breakdown, disagreement, discount and inside payoffs are set before "
        "any agreement, so they can read only earlier choices (the agreed issues are for its "
        "payoffs and constraints)";
    for (const BargainIssueDef& issue : b.issues)
      for (const Formula* f : {&issue.from, &issue.to})
        check(f->expr, at, all, "the range of issue '" + issue.name + "'" + in,
              "an issue's range can read only earlier choices and the bargain's other issues", false);
    for (const Formula& f : b.powers) check(f.expr, at, -2, "a bargaining power" + in, fixed_rule);
    check(b.breakdown.expr, at, -2, "'breakdown'" + in, fixed_rule);
    for (const Formula& f : b.disagreement)
      check(f.expr, at, -2, "a disagreement payoff" + in, fixed_rule);
    for (const Formula& f : b.discount) check(f.expr, at, -2, "a discount factor" + in, fixed_rule);
    for (const Formula& f : b.inside) check(f.expr, at, -2, "an inside payoff" + in, fixed_rule);
    for (const BargainConstraintDef& c : b.constraints)
      for (const Expression* e : {c.lhs, c.rhs})
        check(e, at, all, "constraint '" + c.text + "'" + in, rule);
  }
  // A block's bounds may read the loop variables of the blocks around it.
  for (std::size_t r = 0; r < impl_.repeats.size(); ++r) {
    const RepeatDef& def = impl_.repeats[r];
    for (const Formula* f : {&def.from, &def.to}) {
      if (!f->expr) continue;
      for (int slot : f->expr->used_slots()) {
        if (impl_.symbol_kinds[static_cast<std::size_t>(slot)] != SymbolKind::kLoop) continue;
        if (!LoopEncloses(def.parent_repeat, slot))
          throw ValidationError(f->where, LoopOutsideMessage("the bounds of the repeat block over '" +
                                                                 loop_var_names_[r] + "'",
                                                             slot));
      }
    }
  }
  // `while` is checked before each round of its block, after the stages before the block.
  for (std::size_t r = 0; r < impl_.repeats.size(); ++r) {
    const RepeatDef& def = impl_.repeats[r];
    if (!def.while_condition) continue;
    int first = -1;  // the block's first stage (stages are numbered in file order)
    for (std::size_t i = 0; i < impl_.stages.size() && first < 0; ++i)
      for (int q = impl_.stages[i].repeat_index; q >= 0; q = impl_.repeats[q].parent_repeat)
        if (q == static_cast<int>(r)) first = static_cast<int>(i);
    if (first < 0) continue;
    check(def.while_condition, first, -2,
          "the 'while' of the repeat block over '" + loop_var_names_[r] + "'",
          "'while' can read only earlier choices and its own block's (their previous round)");
  }
}

void Reader::RecallNotes() {
  const auto& defs = impl_.stages;
  auto& notes = impl_.info.notes;
  auto name = [&](int i) { return impl_.info.stages[defs[i].info_index].name; };
  for (std::size_t t = 0; t < defs.size(); ++t) {
    const StageDef& later = defs[t];
    if (later.kind != StageKind::kDecision || later.observe_all) continue;
    for (std::size_t s = 0; s < defs.size(); ++s) {
      const StageDef& earlier = defs[s];
      if (earlier.kind != StageKind::kDecision) continue;
      bool before = s < t || SameRepeat(static_cast<int>(s), static_cast<int>(t));
      if (!before) continue;
      bool shared = false;
      for (int p : earlier.players)
        if (std::find(later.players.begin(), later.players.end(), p) != later.players.end())
          shared = true;
      if (!shared) continue;
      std::string who = impl_.info.players[earlier.players[0]];
      if (!later.observes[s]) {
        notes.push_back(who + " does not observe his own earlier choice at stage '" + name(s) +
                        "' when moving at stage '" + name(t) + "' (imperfect recall)");
        continue;
      }
      for (std::size_t u = 0; u < defs.size(); ++u) {
        bool saw = earlier.observe_all ? (u < s || SameRepeat(static_cast<int>(u), static_cast<int>(s)))
                                       : earlier.observes[u] != 0;
        if (saw && u != t && !later.observes[u] && u != s) {
          notes.push_back(who + " saw stage '" + name(u) + "' when moving at '" + name(s) +
                          "' but not when moving at '" + name(t) + "' (imperfect recall)");
          break;
        }
      }
    }
  }
}

}  // namespace parley::scenario
