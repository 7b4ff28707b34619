// Expansion of a compiled scenario into a game tree, depth first with an explicit stack (a
// long repeat block must not overflow the call stack). Nodes are added in preorder, so the
// builder's numbering is the expansion order.
//
// Information sets: a player moving at a stage cannot tell apart histories that agree on
// every choice he observes (gtree's rule). With the default `observe: all`, every node is a
// set of its own and no key is built; otherwise the key is (stage instance, the observed
// choices), looked up in a hash map.
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <type_traits>
#include <unordered_map>

#include "solver/equilibrium/backward_induction.h"
#include "solver/equilibrium/solve.h"
#include "solver/model/game_rewriter.h"
#include "solver/model/keep_storage.h"
#include "solver/model/number.h"
#include "solver/scenario/internal.h"

namespace parley::scenario {

std::string NumberLabel(double value) {
  if (value == 0) return "0";  // also -0
  if (std::abs(value) < 1e15 && value == std::round(value)) return FormatFixed(value, 0);
  // Ten significant digits, or more where those do not read back as the value: the action
  // labelled 0.3 is the number 0.3, and a value a hair off it (a range's last value clamped to
  // a `to` of 0.7 - 0.4) is not labelled as if it were.
  std::string text = FormatSignificant(value, 10);
  if (ReadDouble(text.c_str(), nullptr) != value) text = FormatDouble(value);
  return text;
}


namespace {

using model::GameBuilder;
using model::GameRewriter;
using model::InfosetId;
using model::LabelId;
using model::NodeId;

}  // namespace

// One step of the unrolled stage list.
struct Instruction {
  enum class Op { kSetLoop, kWhile, kStage };
  Op op = Op::kStage;
  int index = 0;       // stage or repeat definition
  double value = 0;    // kSetLoop: the loop variable's value
  int iteration = 0;   // kStage: 0-based iteration of the innermost repeat (players' turns)
  std::size_t jump = 0;  // kWhile: where to continue when the condition is false
  std::string suffix;  // kStage inside repeats: ", round 2"
};

// The expander's walk state, named outside the anonymous namespace because TopProgram (declared
// in internal.h) keeps vectors of them between rewrites.
namespace expand_detail {

struct Step {  // one stage on the current path
  std::size_t pc;
  int action;  // -1: skipped by its condition
  double value;
};

struct Frame {
  std::size_t pc;
  NodeId node;
  std::uint32_t next, count;
  std::size_t values_at, snapshot_at, history_at, labels_at;
};

// The labels of a range of actions as last expanded (ranges rarely change between
// histories), per stage definition; label ids belong to one builder.
struct RangeCache {
  double from = 0, to = 0, step = 0;
  std::size_t count = static_cast<std::size_t>(-1);
  std::vector<model::LabelId> labels;
  std::vector<double> values;
};

}  // namespace expand_detail

using expand_detail::Frame;
using expand_detail::RangeCache;
using expand_detail::Step;

// A constraint of the bargain being solved, as the function the solver calls reads it: the
// stage, and either a range bound that names other issues (its formula, the issue's slot,
// which side) or an entry of `constraints`. The function captures the expander and one of
// these, small enough for std::function to keep without allocating.
struct ConstraintContext {
  const StageDef* def = nullptr;
  const Formula* bound = nullptr;
  std::size_t slot = 0;
  bool upper = false;
  const BargainConstraintDef* constraint = nullptr;
};

// The scenario's unrolled program with its labels interned in a scratch's LabelTable, kept
// between rewrites (Expander::RunKept).
struct TopProgram {
  bool valid = false;
  std::vector<Instruction> program;
  std::vector<std::vector<model::LabelId>> stage_labels;
  std::vector<model::LabelId> instr_labels;
  // The expander's working vectors, lent to the next rewrite with their storage (each is
  // cleared or assigned before it is read), so that a rewrite does not allocate them again.
  std::vector<double> action_values, snapshots, payoffs, after_saved, probes, bargain_saved, bargain_d;
  std::vector<model::LabelId> action_label_ids;
  std::vector<Number> probabilities;
  std::string key;
  std::vector<char> split_moves, split_tainted;
  std::vector<std::uint64_t> split_package, space_bits, weight_bits, power_bits, split_deps,
      split_slot_deps, affine_package;
  std::vector<int> split_position;
  std::vector<Frame> frames;
  std::vector<Step> history;
  std::vector<RangeCache> range_cache;  // emptied (count reset) when lent
  std::vector<std::pair<std::size_t, double>> replay;
  std::vector<ConstraintContext> constraint_contexts;
  // A no-deal continuation's own records (its bargains), and the last ones as spares.
  Expansion out;
  std::vector<BargainRecord> spares;
};

namespace {

// The sum of a chance node's probabilities: exact while every probability is (a rational,
// made only once one is added: GMP allocates), in doubles otherwise.
class ProbabilitySum {
 public:
  void Add(const Number& p) {
    sum_ += p.ToDouble();
    if (!p.IsExact()) {
      exact_ = false;
    } else if (exact_) {
      if (!exact_sum_) exact_sum_.emplace(0);
      *exact_sum_ += p.ToRational();
    }
  }
  bool IsOne() const { return exact_ ? exact_sum_ && *exact_sum_ == 1 : std::abs(sum_ - 1) <= 1e-9; }
  // A sum accepted as 1 (IsOne) but off by more than rounding (1e-12): the probabilities are
  // divided by it (Scale), so that the chance move is a distribution. Used as given, 0.2, 0.3
  // and 0.5 + 9e-10 paid a constant payoff of 1000 as 1000.0000009.
  bool NeedsScaling() const { return !exact_ && std::abs(sum_ - 1) > 1e-12; }
  void Scale(std::vector<Number>& probabilities) const {
    for (Number& p : probabilities) p = Number(p.ToDouble() / sum_);
  }
  std::string Text() const {
    if (!exact_) return NumberLabel(sum_);
    if (!exact_sum_) return "0";
    std::string text = FormatRational(*exact_sum_);
    if (text.size() <= 40) return text;
    // A fraction of hundreds of digits (1e-300 + 1) says nothing: 1 and how far from it.
    const double off = ToDouble(*exact_sum_ - 1);
    return off > 0 ? "1 + " + NumberLabel(off) : "1 - " + NumberLabel(-off);
  }

 private:
  double sum_ = 0;
  bool exact_ = true;
  std::optional<Rational> exact_sum_;
};

// The bits of the slots (values `vars`) whose flag in `power_only` is `power`, in slot order,
// into `out`: a bargain memo's keys (BargainMemo::space, d_powers).
void SlotBits(const double* vars, const std::vector<char>& power_only, bool power,
              std::vector<std::uint64_t>& out) {
  out.clear();
  for (std::size_t s = 0; s < power_only.size(); ++s)
    if ((power_only[s] != 0) == power) out.push_back(std::bit_cast<std::uint64_t>(vars[s]));
}

// Whether two vectors hold the same numbers bit for bit (-0 and +0 differ, NaN equals NaN).
bool SameBits(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i])) return false;
  return true;
}

// `Sink` is GameBuilder (a new game) or GameRewriter (new numbers in a game built before by
// the same calls; see CompiledGames).
template <class Sink>
class Expander {
 public:
  // Expands into `builder`; records bargaining steps and counters in `out`. The variables'
  // values live in `evaluator`. `games` (optional) records the games of the continuations
  // solved on the way (GameBuilder) or gives them back to be rewritten (GameRewriter).
  Expander(const CompiledScenario::Impl& impl, formula::Evaluator& evaluator, Sink& builder,
           const ExpandOptions& options, Expansion& out, CompiledGames* games = nullptr)
      : impl_(impl), evaluator_(evaluator), builder_(builder), options_(options), games_(games),
        max_nodes_(options.max_nodes), out_(out), vars_(evaluator.values()),
        num_vars_(impl.formulas.symbols().size()) {}

  void Run() { Run(0); }

  // Expands from instruction `start` on, with the variables as they are (start > 0: the
  // continuation of a bargain stage, expanded on its own to find its value).
  void Run(std::size_t start) {
    if constexpr (std::is_same_v<Sink, GameRewriter>) {
      if (start == 0 && games_) {
        RunKept();
        return;
      }
    }
    Unroll(impl_.top, "");
    Prepare();
    Walk(start);
  }

  // The scenario's own expansion on kept games: the unrolled program and its interned
  // labels are those of the last rewrite in this scratch (the program reads only the repeat
  // blocks' bounds, which read parameters that change the shape and are therefore the kept
  // games' values; the ids are the scratch's LabelTable's), so they are borrowed, not built
  // again. Given back only after a walk that ends normally.
  void RunKept() {
    if (!games_->top) games_->top = std::make_shared<TopProgram>();
    spares_ = &games_->spare_records;
    RunLent(*games_->top, 0, {});
  }

  // RunKept's borrowing for the expansion from instruction `start` with `history` (a no-deal
  // branch, expanded on its own): the same program (the whole stage list, unrolled), kept per
  // continuation in the scratch.
  void RunLent(TopProgram& kept, std::size_t start, std::span<const Step> history) {
    if (kept.valid) {
      kept.valid = false;
      program_.swap(kept.program);
      stage_labels_.swap(kept.stage_labels);
      instr_labels_.swap(kept.instr_labels);
      SwapWorkingVectors(kept);
      frames_.clear();
      for (RangeCache& cache : range_cache_) cache.count = static_cast<std::size_t>(-1);
      action_values_.clear();
      action_label_ids_.clear();
      snapshots_.clear();
      payoffs_.resize(impl_.payoffs.size());
    } else {
      Unroll(impl_.top, "");
      Prepare();
    }
    history_.assign(history.begin(), history.end());
    Walk(start);
    program_.swap(kept.program);
    stage_labels_.swap(kept.stage_labels);
    instr_labels_.swap(kept.instr_labels);
    SwapWorkingVectors(kept);
    kept.valid = true;
  }

  void SwapWorkingVectors(TopProgram& kept) {
    action_values_.swap(kept.action_values);
    snapshots_.swap(kept.snapshots);
    payoffs_.swap(kept.payoffs);
    after_saved_.swap(kept.after_saved);
    probes_.swap(kept.probes);
    bargain_saved_.swap(kept.bargain_saved);
    bargain_d_.swap(kept.bargain_d);
    action_label_ids_.swap(kept.action_label_ids);
    probabilities_.swap(kept.probabilities);
    key_.swap(kept.key);
    split_moves_.swap(kept.split_moves);
    split_tainted_.swap(kept.split_tainted);
    split_package_.swap(kept.split_package);
    split_position_.swap(kept.split_position);
    split_deps_.swap(kept.split_deps);
    split_slot_deps_.swap(kept.split_slot_deps);
    affine_package_.swap(kept.affine_package);
    frames_.swap(kept.frames);
    history_.swap(kept.history);
    range_cache_.swap(kept.range_cache);
    space_bits_.swap(kept.space_bits);
    weight_bits_.swap(kept.weight_bits);
    power_bits_.swap(kept.power_bits);
    replay_.swap(kept.replay);
    constraint_contexts_.swap(kept.constraint_contexts);
  }

  // Expands a bargain's `after_agreement` stages on their own (the continuation of an
  // agreement), with the variables as they are. They are unrolled after the top-level program
  // so that the history's instructions keep their meaning.
  void RunAfter(const std::vector<Item>& after) {
    Unroll(impl_.top, "");
    std::size_t start = program_.size();
    Unroll(after, "");
    Prepare();
    Walk(start);
  }

  std::size_t evaluations = 0, payoff_evaluations = 0;
  std::vector<Step> history_;

  // Expands while checking that the game is affine in the slots `moving` lists (ContinuationAffine):
  // every terminal payoff affine in them, every other formula (conditions, action sets,
  // probabilities, loop bounds) reading none, each computed variable that reads one affine in
  // them (it then moves too, and is added to `moving`), and no bargain. The verdict in
  // affine_ok().
  void CheckAffineIn(std::vector<int>* moving) {
    checking_ = moving;
    affine_ok_ = true;
  }
  bool affine_ok() const { return affine_ok_; }

 private:
  void Prepare() {
    // Intern the labels once.
    stage_labels_.resize(impl_.stages.size());
    for (std::size_t s = 0; s < impl_.stages.size(); ++s)
      for (const std::string& label : impl_.stages[s].labels)
        stage_labels_[s].push_back(builder_.Intern(label));
    instr_labels_.resize(program_.size());
    for (std::size_t pc = 0; pc < program_.size(); ++pc)
      if (program_[pc].op == Instruction::Op::kStage) {
        const StageDef& def = impl_.stages[program_[pc].index];
        instr_labels_[pc] =
            builder_.Intern(impl_.info.stages[def.info_index].name + program_[pc].suffix);
      }
    payoffs_.resize(impl_.payoffs.size());
  }

  void Walk(std::size_t start) {
    Descend(start, model::kNoNode);
    while (!frames_.empty()) {
      Frame& f = frames_.back();
      if (f.next == f.count) {
        action_values_.resize(f.values_at);
        snapshots_.resize(f.snapshot_at);
        action_label_ids_.resize(f.labels_at);
        frames_.pop_back();
        if (replaying_) EndReplay();
        continue;
      }
      std::uint32_t a = f.next++;
      std::size_t pc = f.pc;
      NodeId node = f.node;
      const double* snapshot = snapshots_.data() + f.snapshot_at;
      for (std::size_t k = 0; k < impl_.written_slots.size(); ++k) vars_[impl_.written_slots[k]] = snapshot[k];
      history_.resize(f.history_at);
      const StageDef& def = impl_.stages[program_[pc].index];
      double value = action_values_[f.values_at + a];
      history_.push_back({pc, static_cast<int>(a), value});
      vars_[def.var_slot] = value;
      RunCompute(def);
      Descend(pc + 1, node);  // may push a frame: `f` is not used after this
    }
  }

  // ---- Unrolling repeat blocks ----------------------------------------------------------
  // `rounds` names the enclosing loops' current values ("round 2"), for labels.
  void Unroll(const std::vector<Item>& items, const std::string& rounds) {
    for (const Item& item : items) {
      if (!item.is_repeat) {
        Instruction in = Make(Instruction::Op::kStage, item.index);
        in.iteration = iteration_;
        if (!rounds.empty()) in.suffix = " (" + rounds + ")";
        Emit(std::move(in));
        continue;
      }
      const RepeatDef& r = impl_.repeats[item.index];
      double from = Value(r.from), to = Value(r.to);
      if (!std::isfinite(from) || !std::isfinite(to))
        throw ValidationError(r.where, "the bounds of this repeat block are not finite numbers (" +
                                           NumberLabel(from) + ", " + NumberLabel(to) + ")");
      double count = std::floor(to - from + 1e-9) + 1;
      if (count > static_cast<double>(max_nodes_ ? max_nodes_ : 50'000'000))
        throw LimitError(r.where, "this repeat block runs " + NumberLabel(count) +
                                      " times, more than the node limit allows");
      // Beyond 2^53 a double cannot hold every whole number: from + k would repeat or skip
      // rounds (1e16, 1e16, 1e16 + 2, ...), each computed with a round the file does not count.
      constexpr double kWhole = 9007199254740992.0;  // 2^53
      if (count >= 1 && (std::abs(from) >= kWhole || std::abs(from + (count - 1)) >= kWhole))
        throw ValidationError(r.where, "the rounds of this repeat block (from " + NumberLabel(from) + " to " +
                                           NumberLabel(to) +
                                           ") are not all distinct numbers in floating point, which holds every "
                                           "whole number only up to 2^53 = 9007199254740992; count the rounds from "
                                           "a smaller number (from: 0) and add the offset in the formulas that need it");
      const std::string& var = impl_.formulas.symbols().name(r.var_slot);
      std::vector<std::size_t> while_jumps;
      int saved_iteration = iteration_;
      double saved_value = vars_[r.var_slot];
      for (int k = 0; k < static_cast<int>(count); ++k) {
        double v = from + k;
        vars_[r.var_slot] = v;  // for nested bounds
        Instruction set = Make(Instruction::Op::kSetLoop, item.index);
        set.value = v;
        Emit(std::move(set));
        if (r.while_condition) {
          while_jumps.push_back(program_.size());
          Emit(Make(Instruction::Op::kWhile, item.index));
        }
        iteration_ = k;
        Unroll(r.body, (rounds.empty() ? "" : rounds + ", ") + var + " " + NumberLabel(v));
      }
      iteration_ = saved_iteration;
      vars_[r.var_slot] = saved_value;
      for (std::size_t j : while_jumps) program_[j].jump = program_.size();
    }
  }

  static Instruction Make(Instruction::Op op, int index) {
    Instruction in;
    in.op = op;
    in.index = index;
    return in;
  }

  void Emit(Instruction in) {
    program_.push_back(std::move(in));
    // Unrolled stages cost memory even when skipped: bounded by the node limit and 10 million.
    std::size_t limit = std::min<std::size_t>(10'000'000, max_nodes_ ? 10 * max_nodes_ + 1000 : 10'000'000);
    if (program_.size() > limit)
      throw LimitError(SourceLocation{impl_.info.file},
                       "the scenario's repeat blocks unroll into more than " +
                           std::to_string(limit) + " stages");
  }

  // ---- Expansion ------------------------------------------------------------------------
  double Eval(const Expression& e) {
    ++evaluations;
    if (replaying_) return Replayed(e);
    const double v = checking_ ? EvaluateIndependent(e) : evaluator_.Evaluate(e);
    if (recording_) recording_->emplace_back(e.id(), v);
    return v;
  }

  // ---- A no-deal branch expanded twice ----------------------------------------------------
  // A bargain's no-deal branch is expanded on its own first (SolveContinuation, for the
  // disagreement point), then again into the game, from the same variables (the bargain's,
  // the issues at 0, the stage's variable at no_deal, its `compute` run) through the same
  // program: its formulas are evaluated in the same order on the same values. The first
  // expansion records each value (`recording_`, the outer expander's replay_), and the
  // second takes them back in order instead of evaluating again, each checked against the
  // formula it was recorded for. Not when the branch meets a bargain (its records and
  // memos), nor after a disagreement point the bargain memo gave (nothing was recorded).
  double Replayed(const Expression& e) {
    PARLEY_CHECK(replay_next_ < replay_.size() && replay_[replay_next_].first == e.id());
    const double v = replay_[replay_next_++].second;
#ifndef NDEBUG
    // Builds with assertions (the sanitizer and fuzzing builds) evaluate again and compare.
    const double fresh = evaluator_.Evaluate(e);
    PARLEY_CHECK(std::bit_cast<std::uint64_t>(fresh) == std::bit_cast<std::uint64_t>(v) ||
                 (std::isnan(fresh) && std::isnan(v)));
#endif
    return v;
  }
  // Ends the replay once the no-deal branch's nodes are all expanded (the frames it pushed
  // are gone), every value taken back.
  void EndReplay() {
    if (frames_.size() > replay_depth_) return;
    PARLEY_CHECK(replay_next_ == replay_.size());
    replaying_ = false;
  }
  double Eval(const Formula& f) { return f.literal ? f.literal->ToDouble() : Eval(*f.expr); }
  // Eval, saying whether the evaluation read one of the `watched` slots
  // (formula::Evaluator::EvaluateWatching).
  double EvalWatching(const Formula& f, std::span<const int> watched, bool* read) {
    *read = false;
    if (f.literal) return f.literal->ToDouble();
    PARLEY_CHECK(!replaying_ && !recording_);  // only bargains watch, and they stop both
    ++evaluations;
    return evaluator_.EvaluateWatching(*f.expr, watched, read);
  }

  // A terminal payoff with kept games: the value the same evaluation (by its place in the
  // expansion order) gave last time, when the formula and the bits of every slot it reads
  // are the same; otherwise evaluated (see CompiledGames).
  double RememberedPayoff(const Expression& e, std::size_t player) {
    ++evaluations;
    const std::size_t index = games_->next_payoff++;
    if (index >= games_->payoffs.size()) games_->payoffs.resize(index + 1);  // replays skip places
    PayoffMemo& m = games_->payoffs[index];
    // The formula's invariant inputs (the parameters), compared once per expansion.
    if (games_->payoff_inputs.size() <= player) games_->payoff_inputs.resize(player + 1);
    PayoffInputs& fixed = games_->payoff_inputs[player];
    const std::uint64_t now = games_->expansion;
    if (fixed.checked != now) {
      const std::vector<int>& invariant = impl_.payoff_invariant[player];
      bool same = fixed.checked != 0 && fixed.bits.size() == invariant.size();
      fixed.bits.resize(invariant.size());
      for (std::size_t k = 0; k < invariant.size(); ++k) {
        const std::uint64_t bits = std::bit_cast<std::uint64_t>(vars_[invariant[k]]);
        if (fixed.bits[k] != bits) {
          fixed.bits[k] = bits;
          same = false;
        }
      }
      if (!same) fixed.changed = now;
      fixed.checked = now;
    }
    const std::vector<int>& used = impl_.payoff_written[player];
    // Compared up to the first difference; from there on, the new inputs are written.
    std::size_t k = 0;
    if (m.expr_id == e.id() && m.expansion >= fixed.changed) {
      while (k < used.size() && m.inputs[k] == std::bit_cast<std::uint64_t>(vars_[used[k]])) ++k;
      if (k == used.size()) {
        m.expansion = now;
        return m.value;
      }
    }
    m.expr_id = static_cast<std::size_t>(-1);
    const double v = evaluator_.Evaluate(e);
    m.inputs.resize(used.size());
    for (; k < used.size(); ++k) m.inputs[k] = std::bit_cast<std::uint64_t>(vars_[used[k]]);
    m.value = v;
    m.expr_id = e.id();
    m.expansion = now;
    return v;
  }

  // With kept games, bargain `b`'s memo (see CompiledGames), emptied unless the variables'
  // values at the bargain (`saved`), the power-only slots aside, are those it holds.
  BargainMemo* MemoFor(std::size_t pc, const BargainDef& b, const std::vector<double>& saved) {
    if (!games_ || !b.after.empty()) return nullptr;
    const std::size_t index = games_->next_bargain++;
    if (index >= games_->bargains.size()) games_->bargains.emplace_back();
    BargainMemo& memo = games_->bargains[index];
    if (!games_->remember) {  // its storage only (Rewrite emptied it)
      memo.prepared.Reset();
      return &memo;
    }
    SlotBits(saved.data(), impl_.power_only, false, space_bits_);
    if (memo.valid && memo.pc == pc && memo.space == space_bits_) return &memo;
    memo.valid = true;
    memo.pc = pc;
    memo.space.assign(space_bits_.begin(), space_bits_.end());
    memo.has_d = false;
    memo.prepared.Reset();
    memo.has_step = false;
    return &memo;
  }

  // A formula's value, not counted as an evaluation (loop bounds, unrolled once).
  double Value(const Formula& f) {
    if (f.literal) return f.literal->ToDouble();
    return checking_ ? EvaluateIndependent(*f.expr) : evaluator_.Evaluate(*f.expr);
  }

  void RunCompute(const StageDef& def) {
    if (checking_) {
      RunComputeChecking(def);
      return;
    }
    for (const auto& [slot, expr] : def.compute) vars_[slot] = Eval(*expr);
  }

  // ---- The affinity check of a game after an agreement (CheckAffineIn) ------------------
  // The value of a formula other than a payoff or a computed variable, which must read no
  // moving slot on the branches the current values take (then it gives the same value
  // anywhere in the package).
  double EvaluateIndependent(const Expression& e) {
    bool read = false;
    const double v = evaluator_.EvaluateWatching(e, *checking_, &read);
    if (read) affine_ok_ = false;
    return v;
  }
  // A payoff: affine in the moving slots (formula::Evaluator::AffineIn).
  void CheckAffine(const Expression& e) {
    if (affine_ok_ && !evaluator_.AffineIn(e, *checking_)) affine_ok_ = false;
  }
  // RunCompute in the check: a computed variable that reads a moving slot must be affine in
  // them, and moves from then on (an affine function of affine functions is affine).
  void RunComputeChecking(const StageDef& def) {
    for (const auto& [slot, expr] : def.compute) {
      bool read = false;
      ++evaluations;
      const double v = evaluator_.EvaluateWatching(*expr, *checking_, &read);
      if (read) {
        CheckAffine(*expr);
        if (std::find(checking_->begin(), checking_->end(), slot) == checking_->end())
          checking_->push_back(slot);
      }
      vars_[slot] = v;
    }
  }

  // Runs the program from pc until a stage creates a node (pushed as a frame) or the history
  // ends (a terminal node is added).
  void Descend(std::size_t pc, NodeId parent) {
    while (pc < program_.size()) {
      const Instruction& in = program_[pc];
      switch (in.op) {
        case Instruction::Op::kSetLoop:
          vars_[impl_.repeats[in.index].var_slot] = in.value;
          ++pc;
          continue;
        case Instruction::Op::kWhile: {
          const Expression& condition = *impl_.repeats[in.index].while_condition;
          const double go_on = Eval(condition);
          if (std::isnan(go_on))
            throw ValidationError(condition.where(), "the 'while' of this repeat block is not a number (it reads "
                                                     "a value that is not, such as 0/0) " + History());
          pc = go_on != 0 ? pc + 1 : in.jump;
          continue;
        }
        case Instruction::Op::kStage:
          break;
      }
      const StageDef& def = impl_.stages[in.index];
      const double play = def.condition ? Eval(*def.condition) : 1.0;
      if (std::isnan(play))
        throw ValidationError(def.condition->where(), "the condition of stage '" + StageName(pc) +
                                                          "' is not a number (it reads a value that is not, "
                                                          "such as 0/0) " + History());
      if (play == 0) {
        vars_[def.var_slot] = 0;
        if (def.kind != StageKind::kCompute) history_.push_back({pc, -1, 0});
        ++pc;
        continue;
      }
      switch (def.kind) {
        case StageKind::kCompute:
          RunCompute(def);
          ++pc;
          continue;
        case StageKind::kDecision:
        case StageKind::kChance:
          MakeNode(pc, parent);
          return;
        case StageKind::kBargain:
          MakeBargainNode(pc, parent);
          return;
      }
    }
    AddTerminal(parent);
  }

  void AddTerminal(NodeId parent) {
    for (std::size_t p = 0; p < impl_.payoffs.size(); ++p) {
      const Formula& f = impl_.payoffs[p];
      double x;
      if (f.expr && replaying_) {
        ++evaluations;
        if (games_ && games_->remember) ++games_->next_payoff;  // the memos keep their places
        x = Replayed(*f.expr);
      } else if (games_ && games_->remember && f.expr) {
        x = RememberedPayoff(*f.expr, p);
        if (recording_) recording_->emplace_back(f.expr->id(), x);
      } else if (checking_ && f.expr) {  // a payoff must be affine, not independent
        CheckAffine(*f.expr);
        ++evaluations;
        x = evaluator_.Evaluate(*f.expr);
      } else {
        x = Eval(f);
      }
      ++payoff_evaluations;
      if (!std::isfinite(x))
        throw ValidationError(f.where, "the payoff of " + impl_.info.players[p] + " is " +
                                           NumberLabel(x) + " " + History() +
                                           "; a payoff must be a finite number");
      payoffs_[p] = x;
    }
    builder_.AddTerminal(parent, builder_.AddOutcome(payoffs_));
  }

  // The actions of the stage at pc in this history: values pushed on action_values_, labels
  // on action_label_ids_.
  void Actions(std::size_t pc, const StageDef& def) {
    switch (def.action_kind) {
      case ActionKind::kLabels:
        action_values_.insert(action_values_.end(), def.label_values.begin(),
                              def.label_values.end());
        action_label_ids_.insert(action_label_ids_.end(), stage_labels_[program_[pc].index].begin(),
                                 stage_labels_[program_[pc].index].end());
        return;
      case ActionKind::kValues: {
        std::size_t first = action_values_.size();
        for (const Formula& f : def.values) {
          double v = Eval(f);
          if (!std::isfinite(v))
            throw ValidationError(f.where, "an action of stage '" + StageName(pc) + "' is " +
                                               NumberLabel(v) + " " + History());
          LabelId id = builder_.Intern(NumberLabel(v));
          for (std::size_t k = first; k < action_values_.size(); ++k)
            if (action_label_ids_[k] == id)
              throw ValidationError(def.actions_where, "stage '" + StageName(pc) +
                                                           "' offers the action " + NumberLabel(v) +
                                                           " twice " + History());
          action_values_.push_back(v);
          action_label_ids_.push_back(id);
        }
        return;
      }
      case ActionKind::kRange: {
        double from = Eval(def.from), to = Eval(def.to), step = Eval(def.step);
        if (!std::isfinite(from) || !std::isfinite(to) || !std::isfinite(step))
          throw ValidationError(def.actions_where, "the action range of stage '" + StageName(pc) +
                                                       "' is not finite (from " + NumberLabel(from) +
                                                       " to " + NumberLabel(to) + " step " +
                                                       NumberLabel(step) + ") " + History());
        if (!(step > 0))
          throw ValidationError(def.step.where, "the step of stage '" + StageName(pc) +
                                                    "' is " + NumberLabel(step) +
                                                    "; it must be positive " + History());
        double count = to < from ? 0 : std::floor((to - from) / step + 1e-9) + 1;
        if (count > static_cast<double>(max_nodes_ ? max_nodes_ : 4'000'000'000u))
          throw LimitError(def.actions_where, "stage '" + StageName(pc) + "' has " +
                                                  (std::isfinite(count) ? NumberLabel(count) : "more than 1e308") +
                                                  " actions, more than the node limit " +
                                                  std::to_string(max_nodes_));
        std::size_t n = static_cast<std::size_t>(count);
        if (range_cache_.empty()) range_cache_.resize(impl_.stages.size());
        RangeCache& cache = range_cache_[static_cast<std::size_t>(program_[pc].index)];
        bool cached = cache.count == n && cache.from == from && cache.step == step && cache.to == to;
        if (!cached) {
          RangeValues(def, from, to, step, n, cache.values);
          cache.labels.clear();
          for (double v : cache.values) cache.labels.push_back(builder_.Intern(NumberLabel(v)));
          std::vector<LabelId> sorted = cache.labels;
          std::sort(sorted.begin(), sorted.end());
          if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
            throw ValidationError(def.actions_where, "the step of stage '" + StageName(pc) +
                                                         "' is too fine to tell its actions apart");
          cache.from = from;
          cache.to = to;
          cache.step = step;
          cache.count = n;
        }
        action_values_.insert(action_values_.end(), cache.values.begin(), cache.values.end());
        action_label_ids_.insert(action_label_ids_.end(), cache.labels.begin(),
                                 cache.labels.end());
        return;
      }
    }
  }

  // The `n` values of a range of actions, into `out`: value k is the double nearest the
  // decimal from + k * step, with `from` and `step` the decimals written (a literal as it
  // stands, a formula's value as the shortest decimal that reads back to it, which is what
  // labels show), so that the action labelled 0.3 is the number 0.3 a formula writes; in
  // doubles, 0 + 3 * 0.1 is 0.30000000000000004 and 0.1 + 2 * 0.1 too. The last value is
  // `to` itself when it would lie above it (the count lets it overshoot by 1e-9 of a step):
  // no action exceeds `to`.
  static void RangeValues(const StageDef& def, double from, double to, double step, std::size_t n,
                          std::vector<double>& out) {
    auto decimal = [](const Formula& f, double value) {
      if (f.literal && f.literal->IsExact()) return f.literal->ToRational();
      Number written;
      if (Number::Parse(FormatDouble(value), &written)) return written.ToRational();
      return ExactRational(value);
    };
    const Rational first = decimal(def.from, from), delta = decimal(def.step, step);
    out.resize(n);
    // Over a common denominator both are integers; while those and every numerator
    // first + k * delta are below 2^53, one IEEE division of two exact doubles rounds the
    // quotient correctly (integer ranges: the sums themselves). GMP otherwise. (get_d
    // truncates, so a value of 2^53 or more never comes out below 2^53.)
    constexpr double kExact = 9007199254740992.0;  // 2^53
    mpz_class den;
    mpz_lcm(den.get_mpz_t(), first.get_den().get_mpz_t(), delta.get_den().get_mpz_t());
    const mpz_class a = first.get_num() * (den / first.get_den());
    const mpz_class b = delta.get_num() * (den / delta.get_den());
    const double da = a.get_d(), db = b.get_d(), dd = den.get_d();
    if (dd < kExact && std::abs(da) < kExact && std::abs(db) < kExact &&
        std::abs(da) + static_cast<double>(n) * std::abs(db) < kExact) {
      for (std::size_t k = 0; k < n; ++k) out[k] = (da + static_cast<double>(k) * db) / dd;
    } else {
      for (std::size_t k = 0; k < n; ++k) out[k] = ToDouble(first + Rational(mpz_class(k)) * delta);
    }
    if (n > 0 && out[n - 1] > to) out[n - 1] = to;
  }

  void MakeNode(std::size_t pc, NodeId parent) {
    const Instruction& in = program_[pc];
    const StageDef& def = impl_.stages[in.index];
    std::size_t values_at = action_values_.size();
    std::size_t labels_at = action_label_ids_.size();
    Actions(pc, def);
    std::size_t count = action_values_.size() - values_at;
    if (count == 0)
      throw ValidationError(def.actions_where, "stage '" + StageName(pc) +
                                                   "' has no actions " + History() +
                                                   "; an action set must not be empty there "
                                                   "(or give the stage a condition)");
    std::span<const LabelId> labels(action_label_ids_.data() + labels_at, count);
    InfosetId h;
    if (def.kind == StageKind::kChance) {
      probabilities_.clear();
      ProbabilitySum sum;
      for (std::size_t a = 0; a < count; ++a) {
        Number p;
        if (def.probability_each) {
          vars_[def.var_slot] = action_values_[values_at + a];
          p = def.probabilities[0].literal ? *def.probabilities[0].literal
                                           : Number(Eval(*def.probabilities[0].expr));
        } else {
          if (def.probabilities.size() != count)
            throw ValidationError(def.probabilities_where,
                                  "stage '" + StageName(pc) + "' has " + std::to_string(count) +
                                      " actions but " + std::to_string(def.probabilities.size()) +
                                      " probabilities " + History());
          const Formula& f = def.probabilities[a];
          p = f.literal ? *f.literal : Number(Eval(*f.expr));
        }
        double d = p.ToDouble();
        if (!(d >= -1e-12 && d <= 1 + 1e-12))
          throw ValidationError(def.probabilities_where,
                                "the probability of action '" + ActionText(def, a, action_values_[values_at + a]) +
                                    "' of stage '" + StageName(pc) + "' is " + NumberLabel(d) + " " +
                                    History() + "; a probability lies in [0, 1]");
        if (d < 0) p = Number(0.0);
        if (d > 1) p = Number(1.0);
        sum.Add(p);
        probabilities_.push_back(p);
      }
      vars_[def.var_slot] = 0;
      if (!sum.IsOne())
        throw ValidationError(def.probabilities_where, "the probabilities of stage '" + StageName(pc) +
                                                           "' sum to " + sum.Text() + ", not 1, " + History());
      if (sum.NeedsScaling()) sum.Scale(probabilities_);
      h = builder_.AddChanceInfoset(instr_labels_[pc], labels, probabilities_);
    } else {
      int player = def.players[static_cast<std::size_t>(in.iteration) % def.players.size()];
      if (def.observe_all) {
        h = builder_.AddInfoset(player, instr_labels_[pc], labels);
      } else {
        h = SharedInfoset(pc, def, player, labels);
      }
    }
    NodeId node = builder_.AddNode(parent, h);
    std::size_t snapshot_at = snapshots_.size();
    for (int slot : impl_.written_slots) snapshots_.push_back(vars_[slot]);
    frames_.push_back({pc, node, 0, static_cast<std::uint32_t>(count), values_at, snapshot_at,
                       history_.size(), labels_at});
  }


  // ---- Bargain stages -------------------------------------------------------------------
  // The node is a chance move: agree (probability 1 - breakdown) ends the game with the
  // bargaining solution's payoffs; no_deal (probability breakdown, usually 0) continues with
  // the stages that follow. The disagreement point is the subgame-perfect value of that
  // continuation, found by expanding it on its own and solving it, unless the stage gives
  // explicit numbers.
  void MakeBargainNode(std::size_t pc, NodeId parent) {
    const StageDef& def = impl_.stages[program_[pc].index];
    const BargainDef& b = *def.bargain;
    PARLEY_CHECK(!replaying_);  // a recording that met a bargain is not replayed
    affine_ok_ = false;  // an agreement's value is not shown affine in anything (CheckAffineIn)
    if (recording_) {
      recording_->clear();
      recording_ = nullptr;
      *recording_valid_ = false;
    }
    replay_valid_ = false;
    // The variables at the bargain and its disagreement point, in buffers this expander
    // keeps: a later bargain of the same expander overwrites them only once this one is
    // done with them (from the no-deal branch's Descend, the last use).
    std::vector<double>& saved = bargain_saved_;
    saved.assign(vars_, vars_ + num_vars_);
    BargainMemo* memo = MemoFor(pc, b, saved);
    BargainRecord record = BargainTerms(pc, b);
    std::vector<double>& d = bargain_d_;
    // A bargain met in the no-deal branch reads the powers too: then the power-only slots
    // must be unchanged as well.
    if (memo && memo->has_d && memo->d_bargains > 0) {
      SlotBits(saved.data(), impl_.power_only, true, power_bits_);
      if (power_bits_ != memo->d_powers) memo->has_d = false;
    }
    if (memo && memo->has_d) {
      // The no-deal branch's value for these very inputs: what DisagreementPoint computed,
      // counted and rewrote then, and the variables as it leaves them.
      d.assign(memo->d.begin(), memo->d.end());
      evaluations += memo->d_evaluations;
      payoff_evaluations += memo->d_payoff_evaluations;
      games_->next += memo->d_continuations;
      games_->next_bargain += memo->d_bargains;
      games_->next_payoff += memo->d_payoffs;
      std::memcpy(vars_, saved.data(), num_vars_ * sizeof(double));
      vars_[def.var_slot] = def.label_values[1];
    } else {
      const std::size_t e0 = evaluations, p0 = payoff_evaluations;
      const std::size_t c0 = games_ ? games_->next : 0, b0 = games_ ? games_->next_bargain : 0,
                        t0 = games_ ? games_->next_payoff : 0;
      const std::size_t n0 = games_ ? games_->continuations.size() : 0;
      DisagreementPoint(pc, def, b, saved, d);
      if (memo && games_->remember && b.disagreement.empty()) {
        // The prepared problem and the solution read d: kept only when d is the same bits.
        if (!SameBits(memo->d, d)) {
          memo->prepared.Reset();
          memo->has_step = false;
        }
        SlotBits(saved.data(), impl_.power_only, true, memo->d_powers);
        memo->d.assign(d.begin(), d.end());
        memo->d_evaluations = evaluations - e0;
        memo->d_payoff_evaluations = payoff_evaluations - p0;
        // Recording appends the continuations, rewriting advances `next` over them.
        memo->d_continuations = std::is_same_v<Sink, GameBuilder> ? games_->continuations.size() - n0
                                                                  : games_->next - c0;
        memo->d_bargains = games_->next_bargain - b0;
        memo->d_payoffs = games_->next_payoff - t0;
        memo->has_d = true;
      }
    }
    record.disagreement_from_branch = b.disagreement.empty();
    bargaining::AgreementProblem fresh;
    bargaining::AgreementProblem& input = memo ? memo->problem : fresh;
    BargainProblem(pc, def, d, record, input);
    vars_[def.var_slot] = def.label_values[0];  // agree
    // The oracle captures one pointer, so that std::function keeps it without allocating.
    struct OracleContext {
      Expander* self;
      std::size_t pc;
      const StageDef* def;
    } context{this, pc, &def};
    bargaining::UtilityOracle utility = [c = &context](const std::vector<double>& values, std::vector<double>* u) {
      c->self->AgreementPayoffs(c->pc, *c->def, values, u);
    };
    // The payoffs' affinity in the continuous issues, shown from their formulas (for this
    // solve only: the context lives on this frame).
    input.affine = [c = &context](const std::vector<double>& values) {
      return c->self->AgreementAffine(*c->def, values);
    };
    if (!input.constraints.empty())
      input.linear_constraints = [c = &context](const std::vector<double>& values) {
        return c->self->ConstraintsAffine(*c->def, values);
      };
    if (!b.after.empty())
      input.continuation_affine = [c = &context](const std::vector<double>& values) {
        return c->self->ContinuationAffine(c->pc, *c->def, values);
      };
    // How the solver's refusals name a payoff (for this solve only, as above).
    input.payoff_name = [c = &context](std::size_t player) {
      return c->self->AgreementPayoffName(*c->def, player);
    };
    struct AffineScope {
      bargaining::AgreementProblem& problem;
      ~AffineScope() {
        problem.affine = nullptr;
        problem.linear_constraints = nullptr;
        problem.continuation_affine = nullptr;
        problem.payoff_name = nullptr;
      }
    } affine_scope{input};
    // Affine payoffs without links or stages after the agreement: the exact method only
    // (as before those keys existed); otherwise the solver may search (and says so).
    const bool plain = b.after.empty() && input.constraints.empty() && b.parties.empty() &&
                       b.protocol == bargaining::Protocol::kAxiomatic && !b.outside;
    // With stages after the agreement, their game at given terms (the solver's regions).
    bargaining::ContinuationOracle continuation;
    if (!b.after.empty())
      continuation = [&](const std::vector<double>& values) {
        SetIssues(def, values);
        model::GamePtr game;
        std::vector<double> u;
        AfterAgreementValue(pc, def, &u, nullptr, &game);
        return game;
      };
    {
      // The stage's computed variables that cannot move during the solve run once
      // (BargainSplit); not with stages after the agreement, whose expansions run in between.
      struct SplitScope {
        bool& active;
        ~SplitScope() { active = false; }
      } split_scope{split_active_};
      if (b.after.empty() && !def.compute.empty()) {
        BargainSplit(def);
        split_active_ = true;
        split_primed_ = false;
      }
      try {
        const bargaining::AgreementMethod method =
            plain ? bargaining::AgreementMethod::kExact : bargaining::AgreementMethod::kExactOrSearch;
        if (memo && !continuation) {
          SolveRemembered(*memo, input, utility, method, record);
        } else {
          record.step = bargaining::SolveAgreement(input, utility, method, continuation);
        }
      } catch (const ValidationError& e) {
        if (!e.where().file.empty()) throw;  // located already (a payoff formula)
        throw BargainError(pc, b, e.message());
      }
    }
    // The constraints' functions refer to this expander, which a kept problem outlives (their
    // texts stay, for their storage).
    if (memo)
      for (bargaining::AgreementConstraint& c : input.constraints) c.value = nullptr;
    if (!b.after.empty() && record.step.agreement_possible) {
      std::vector<std::string> paths;
      for (const bargaining::AgreementPackage& package : record.step.terms.packages) {
        std::vector<double> u;
        std::string path;
        SetIssues(def, package.issues);
        AfterAgreementValue(pc, def, &u, &path);
        if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
      }
      for (const std::string& path : paths)
        record.after_agreement += (record.after_agreement.empty() ? "" : "; or ") + path;
    }
    AddBargainNode(pc, parent, def, std::move(record), d, saved);
  }

  // The bargain's solution with its memo: the last result when the powers are the same bits
  // too; the solution step alone over the kept corners and hull when only they changed;
  // otherwise the full solve, keeping what it prepared. Counts the evaluations a full solve
  // makes (the corners' do not depend on the powers).
  void SolveRemembered(BargainMemo& memo, const bargaining::AgreementProblem& input,
                       const bargaining::UtilityOracle& utility, bargaining::AgreementMethod method,
                       BargainRecord& record) {
    if (!games_->remember) {  // the memo's storage as working space, the solution into the record
      bargaining::SolveAgreementKeeping(input, utility, method, &memo.prepared, &record.step);
      return;
    }
    weight_bits_.clear();
    for (double w : input.weights) weight_bits_.push_back(std::bit_cast<std::uint64_t>(w));
    if (memo.has_step && memo.weights == weight_bits_) {
      CopyStep(memo, record.step);
      evaluations += memo.solve_evaluations;
      payoff_evaluations += memo.solve_payoff_evaluations;
      return;
    }
    // The solution is written over the kept one (its storage reused), then copied into the
    // record (into a recycled record's storage).
    memo.has_step = false;
    if (memo.prepared.ready() && bargaining::SolvePrepared(input, memo.prepared, &memo.step)) {
      evaluations += memo.solve_evaluations;
      payoff_evaluations += memo.solve_payoff_evaluations;
    } else {
      const std::size_t e0 = evaluations, p0 = payoff_evaluations;
      bargaining::SolveAgreementKeeping(input, utility, method, &memo.prepared, &memo.step);
      memo.solve_evaluations = evaluations - e0;
      memo.solve_payoff_evaluations = payoff_evaluations - p0;
    }
    CopyStep(memo, record.step);
    memo.weights.assign(weight_bits_.begin(), weight_bits_.end());
    memo.has_step = true;
  }

  // to = memo.step, the storage of to.points kept (ResizeKeeping): their number follows the
  // constraints' cut, which a sweep may move at every point.
  [[gnu::noinline]] static void CopyStep(BargainMemo& memo, bargaining::AgreementResult& to) {
    std::vector<bargaining::Vector> points, kept;
    points.swap(to.points);
    kept.swap(memo.step.points);
    to = memo.step;  // everything but the points
    memo.step.points.swap(kept);
    model::AssignKeeping(points, memo.step.points, memo.spare_points);
    to.points.swap(points);
  }

  ValidationError BargainError(std::size_t pc, const BargainDef& b, const std::string& message) {
    return ValidationError(b.where, "bargain '" + StageName(pc) + "' " + History() + ": " + message);
  }

  // A record to fill. An expansion on kept games (the scenario's, or a no-deal continuation's)
  // takes one of its previous evaluation's records (`spares_`), every field reset but `step`,
  // which the caller assigns, their strings' and vectors' storage reused.
  BargainRecord RecycledRecord() {
    BargainRecord record;
    if (!spares_ || next_spare_ >= spares_->size()) return record;
    record = std::move((*spares_)[next_spare_++]);
    record.stage.clear();
    record.node = record.no_deal_node = 0;
    record.history.clear();
    record.disagreement_from_branch = true;
    record.breakdown = 0;
    // issue_names, options and option_codes are resized and overwritten by BargainProblem,
    // which every bargain runs, so their strings and vectors keep their storage.
    record.issue_discrete.clear();
    record.bounds.clear();
    record.concept_kind = bargaining::Concept::kNash;
    record.weights.clear();
    record.parties.clear();
    // constraints are resized and overwritten by BargainProblem, which every bargain runs.
    record.protocol = bargaining::Protocol::kAxiomatic;
    record.alternating.discount.clear();
    record.alternating.first = 0;
    record.alternating.rounds = 0;
    record.outside = false;
    record.inside.clear();
    record.after_agreement.clear();
    return record;
  }

  // The record of the step with its terms: breakdown probability and bargaining powers.
  BargainRecord BargainTerms(std::size_t pc, const BargainDef& b) {
    BargainRecord record = RecycledRecord();
    AppendStageName(pc, record.stage);
    HistoryInto(record.history);
    record.concept_kind = b.concept_kind;
    double breakdown = b.breakdown.IsSet() ? Eval(b.breakdown) : 0.0;
    if (!(breakdown >= 0 && breakdown <= 1))
      throw BargainError(pc, b, "the breakdown probability is " + NumberLabel(breakdown) +
                                    "; it lies in [0, 1]");
    record.breakdown = breakdown;
    bool positive = b.powers.empty();
    for (const Formula& f : b.powers) {
      double w = Eval(f);
      if (!(w >= 0) || !std::isfinite(w))
        throw BargainError(pc, b, "a bargaining power is " + NumberLabel(w) +
                                      "; powers must be positive or 0");
      positive = positive || w > 0;
      record.weights.push_back(w);
    }
    if (!positive)
      throw BargainError(pc, b, "every bargaining power is 0; at least one must be positive");
    record.parties = b.parties;
    if (record.parties.empty())
      for (std::size_t p = 0; p < impl_.info.players.size(); ++p)
        record.parties.push_back(static_cast<int>(p));
    record.protocol = b.protocol;
    for (const Formula& f : b.discount) {
      double x = Eval(f);
      if (!(x > 0 && x < 1))
        throw ValidationError(f.where, "bargain '" + StageName(pc) + "' " + History() +
                                           ": a discount factor is " + NumberLabel(x) +
                                           "; it must lie strictly between 0 and 1");
      record.alternating.discount.push_back(x);
    }
    record.alternating.first = b.first;
    record.alternating.rounds = b.rounds;
    record.outside = b.outside;
    if (b.outside) {
      record.inside.assign(impl_.info.players.size(), 0.0);
      for (std::size_t i = 0; i < b.inside.size(); ++i) {
        double x = Eval(b.inside[i]);
        if (!std::isfinite(x))
          throw ValidationError(b.inside[i].where, "bargain '" + StageName(pc) + "' " +
                                                       History() + ": the inside payoff of " +
                                                       impl_.info.players[i] + " is " +
                                                       NumberLabel(x) + "; it must be finite");
        record.inside[i] = x;
      }
    }
    return record;
  }

  // A continuation of bargain `def` expanded on its own and solved: the no-deal branch (the
  // stages after the bargain; `after` null) or the stages after an agreement (`after`).
  struct Continuation {
    model::GamePtr game;
    equilibrium::Equilibrium eq;
  };
  // With `value` (the no-deal branch): its value is written there (its storage reused), and
  // the equilibrium is left empty when backward induction gives the value alone.
  Continuation SolveContinuation(std::size_t pc, const StageDef& def, const std::vector<Item>* after,
                                 std::vector<double>* value = nullptr) {
    // The inner expansion records its own bargains (nested): they are not this game's.
    Expansion inner_out;
    Continuation c;
    TopProgram* lent = nullptr;  // with kept games: the program kept for this continuation
    auto run = [&](auto& inner) {
      if (!after) {  // the no-deal branch: its values recorded for the game's own expansion
        replay_.clear();
        replay_valid_ = true;
        inner.recording_ = &replay_;
        inner.recording_valid_ = &replay_valid_;
      }
      if (after) {
        inner.history_ = history_;
        inner.history_.push_back({pc, 0, def.label_values[0]});
        inner.RunAfter(*after);
      } else if (lent) {
        inner.RunLent(*lent, pc + 1, history_);
      } else {
        inner.history_ = history_;
        inner.Run(pc + 1);
      }
      evaluations += inner.evaluations;
      payoff_evaluations += inner.payoff_evaluations;
    };
    if constexpr (std::is_same_v<Sink, GameBuilder>) {
      GameBuilder branch(impl_.info.players);
      branch.SetMaxNodes(max_nodes_);
      // A recording takes its slot before the continuations nested in this one.
      std::size_t slot = games_ ? games_->continuations.size() : 0;
      if (games_) games_->continuations.emplace_back();
      Expander inner(impl_, evaluator_, branch, options_, inner_out, games_);
      run(inner);
      c.game = branch.Build();
      if (games_) games_->continuations[slot] = c.game;
    } else {
      if (games_->next >= games_->continuations.size()) throw model::ShapeChanged();
      Expansion* records = &inner_out;
      if (!after) {
        auto& programs = games_->continuation_programs;
        if (programs.size() <= games_->next) programs.resize(games_->next + 1);
        if (!programs[games_->next]) programs[games_->next] = std::make_shared<TopProgram>();
        lent = programs[games_->next].get();
        // Its bargains' records (bargains in the no-deal branch) are kept with the program,
        // last time's becoming the spares this time fills.
        lent->spares.swap(lent->out.bargains);
        lent->out.bargains.clear();
        records = &lent->out;
      }
      GameRewriter branch(games_->continuations[games_->next++], games_->labels);
      Expander inner(impl_, evaluator_, branch, options_, *records, games_);
      if (lent) inner.spares_ = &lent->spares;
      run(inner);
      c.game = branch.Finish();
    }
    try {
      if (!after && c.game->perfect_information()) {
        // The no-deal branch gives only its value (the disagreement point): the payoffs of the
        // equilibrium Solve would find, computed in a reused buffer.
        std::span<const double> u = equilibrium::BackwardInductionPayoffs(*c.game, games_ ? games_->solve_values : solve_values_);
        if (value)
          value->assign(u.begin(), u.end());
        else
          c.eq.payoffs.assign(u.begin(), u.end());
      } else {
        c.eq = equilibrium::Solve(*c.game, equilibrium::SolveOptions{}).equilibria.front();
        if (value) value->assign(c.eq.payoffs.begin(), c.eq.payoffs.end());
      }
    } catch (const UnsupportedError& e) {
      throw UnsupportedError(def.bargain->where,
                             std::string(after ? "the stages after an agreement" : "the no-deal branch") +
                                 " of bargain '" + StageName(pc) + "' cannot be solved: " + e.message());
    }
    return c;
  }

  // The explicit numbers, or the subgame-perfect value of the no-deal branch expanded on its
  // own, written over `d`. Leaves the variables as at no_deal, the issues at 0.
  void DisagreementPoint(std::size_t pc, const StageDef& def, const BargainDef& b,
                         const std::vector<double>& saved, std::vector<double>& d) {
    d.assign(impl_.info.players.size(), 0.0);
    EnterNoDeal(def, saved);
    if (!b.disagreement.empty()) {
      for (std::size_t i = 0; i < d.size(); ++i) {
        d[i] = Eval(b.disagreement[i]);
        // Said at the formula, for its player: the bargaining solver would see only its
        // parties' entries, at the stage's line.
        if (!std::isfinite(d[i]))
          throw ValidationError(b.disagreement[i].where,
                                "bargain '" + StageName(pc) + "' " + History() + ": the disagreement payoff of " +
                                    impl_.info.players[i] + " is " + NumberLabel(d[i]) +
                                    ", not a finite number; it must be one for every parameter value");
      }
      return;
    }
    RunCompute(def);
    SolveContinuation(pc, def, nullptr, &d);
    EnterNoDeal(def, saved);
  }

  // The variables where bargain `def`'s no-deal branch starts: those at the bargain (`saved`),
  // its issues at 0, its stage's variable at no_deal. Both expansions of the branch (on its
  // own for the disagreement point, then into the game) start here and run the stage's
  // `compute`, then the program after the stage: the replay of the first into the second
  // (Replayed) rests on that.
  void EnterNoDeal(const StageDef& def, const std::vector<double>& saved) {
    std::memcpy(vars_, saved.data(), num_vars_ * sizeof(double));
    for (const BargainIssueDef& issue : def.bargain->issues) vars_[issue.var_slot] = 0;
    vars_[def.var_slot] = def.label_values[1];
  }

  // BargainProblem's constraints, written over `input`'s, and the bounds of the issues whose
  // ranges name other issues (kept apart from BargainProblem: most bargains have neither).
  [[gnu::noinline]] void ConstraintsInto(std::size_t pc, const StageDef& def, bargaining::AgreementProblem& input) {
    const BargainDef& b = *def.bargain;
    // The constraints, written over the problem's (their texts' storage reused); each function
    // captures this expander and its context (ConstraintContext), whose places are fixed here,
    // before any is taken.
    std::size_t count = b.constraints.size();
    for (const BargainIssueDef& issue : b.issues)
      if (!issue.discrete)
        count += static_cast<std::size_t>(!issue.from_links.empty()) + static_cast<std::size_t>(!issue.to_links.empty());
    constraint_contexts_.resize(count);
    input.constraints.resize(count);
    std::size_t made = 0;
    auto next_constraint = [&]() -> bargaining::AgreementConstraint& { return input.constraints[made++]; };
    for (std::size_t k = 0; k < b.issues.size(); ++k) {
      const BargainIssueDef& issue = b.issues[k];
      if (issue.discrete || (issue.from_links.empty() && issue.to_links.empty())) continue;
      bargaining::AgreementIssue& x = input.issues[k];
      x.lower = LinkedBound(pc, b, issue, false, input.issues);
      x.upper = LinkedBound(pc, b, issue, true, input.issues);
      CheckRange(pc, b, issue, x);
      for (int side = 0; side < 2; ++side) {
        const Formula& bound = side ? issue.to : issue.from;
        if ((side ? issue.to_links : issue.from_links).empty()) continue;
        ConstraintContext& context = constraint_contexts_[made];
        context = {&def, &bound, static_cast<std::size_t>(issue.var_slot), side == 1, nullptr};
        bargaining::AgreementConstraint& c = next_constraint();
        c.text.assign(issue.name);
        c.text += side ? " <= " : " >= ";
        c.text += bound.expr->text();
        c.value = [this, at = &context](const std::vector<double>& values) {
          SetIssues(*at->def, values);
          const double limit = Eval(*at->bound->expr);
          return at->upper ? vars_[at->slot] - limit : limit - vars_[at->slot];
        };
      }
    }
    for (const BargainConstraintDef& constraint : b.constraints) {
      ConstraintContext& context = constraint_contexts_[made];
      context = {&def, nullptr, 0, false, &constraint};
      bargaining::AgreementConstraint& c = next_constraint();
      c.text.assign(constraint.text);
      c.value = [this, at = &context](const std::vector<double>& values) {
        SetIssues(*at->def, values);
        const double lhs = Eval(*at->constraint->lhs), rhs = Eval(*at->constraint->rhs);
        // Every comparison with NaN is false: the agreement would be cut without a word and
        // the talks said to fail.
        if (std::isnan(lhs) || std::isnan(rhs))
          throw ValidationError(at->constraint->where, "the constraint '" + at->constraint->text +
                                                           "' is not a number for some agreement (it reads a value "
                                                           "that is not, such as 0/0) " + History() +
                                                           "; a constraint must be a number for every agreement");
        return at->constraint->less ? lhs - rhs : rhs - lhs;
      };
    }
    PARLEY_CHECK(made == count);
  }

  // The bargaining problem: the issues with their ranges or options, the disagreement point
  // and the terms; the issues are recorded too. A range bound naming other issues becomes a
  // constraint, and the issue's box spans the bound's values at the corners of the named
  // issues' ranges (exact: such a bound must be affine in them, LinkedBound).
  // Written over `input` (with kept games, the bargain memo's problem: its storage reused).
  void BargainProblem(std::size_t pc, const StageDef& def, const std::vector<double>& d,
                      BargainRecord& record, bargaining::AgreementProblem& input) {
    const BargainDef& b = *def.bargain;
    input.disagreement.assign(d.begin(), d.end());
    input.concept_kind = b.concept_kind;
    input.weights.assign(record.weights.begin(), record.weights.end());
    input.lotteries = b.lotteries;
    input.all_concepts = !options_.fast_bargains;
    input.parties.assign(b.parties.begin(), b.parties.end());
    input.protocol = b.protocol;
    input.alternating.discount.assign(record.alternating.discount.begin(), record.alternating.discount.end());
    input.alternating.first = record.alternating.first;
    input.alternating.rounds = record.alternating.rounds;
    input.rule = bargaining::DisagreementRule::kThreat;
    input.inside.clear();
    if (b.outside) {
      input.rule = bargaining::DisagreementRule::kOutside;
      input.inside.assign(record.inside.begin(), record.inside.end());
    }
    input.issues.resize(b.issues.size());
    for (std::size_t k = 0; k < b.issues.size(); ++k) {
      const BargainIssueDef& issue = b.issues[k];
      bargaining::AgreementIssue& x = input.issues[k];
      x.name.assign(issue.name);
      x.discrete = issue.discrete;
      x.lower = 0;
      x.upper = 1;
      if (issue.discrete) {
        x.labels = issue.labels;
        x.values.assign(issue.label_values.begin(), issue.label_values.end());
      } else {
        x.labels.clear();
        x.values.clear();
        BoundReadsOwnCompute(pc, def, issue, false);
        BoundReadsOwnCompute(pc, def, issue, true);
        if (issue.from_links.empty() && issue.to_links.empty()) {
          x.lower = Eval(issue.from);
          x.upper = Eval(issue.to);
          CheckRange(pc, b, issue, x);
        }
      }
    }
    ConstraintsInto(pc, def, input);
    // (The record was recycled: its vectors are empty, or resized here, with their storage.)
    record.issue_names.resize(b.issues.size());
    record.options.resize(b.issues.size());
    record.option_codes.resize(b.issues.size());
    for (std::size_t k = 0; k < b.issues.size(); ++k) {
      const bargaining::AgreementIssue& x = input.issues[k];
      record.issue_names[k].assign(x.name);
      record.issue_discrete.push_back(x.discrete);
      record.bounds.emplace_back(x.lower, x.upper);
      record.options[k] = x.labels;
      record.option_codes[k].assign(x.values.begin(), x.values.end());
    }
    record.constraints.resize(input.constraints.size());
    for (std::size_t k = 0; k < input.constraints.size(); ++k) record.constraints[k].assign(input.constraints[k].text);
  }

  // Refuses a range bound that reads a variable the bargain stage's own `compute` sets. That
  // formula runs with the agreed issues set, so its value is not known when the ranges are
  // fixed; the bound read the value from before the stage (0 for a new variable: `to: lim`
  // with `lim: 0.5` gave the range [0, 0] and no deal), and one that moves with the issues
  // (`to: 1 - half` with `half: e / 2`) named no issue, so it bound nothing (e = 1, y = 1
  // agreed past 1 - half = 0.5).
  void BoundReadsOwnCompute(std::size_t pc, const StageDef& def, const BargainIssueDef& issue, bool upper) {
    const Formula& bound = upper ? issue.to : issue.from;
    if (!bound.expr) return;
    for (const auto& [slot, formula] : def.compute)
      if (ReadsSlot(bound, slot)) {
        const std::string& name = impl_.formulas.symbols().name(slot);
        const std::string text = bound.expr->text();
        throw ValidationError(bound.where,
                              std::string("'") + (upper ? "to" : "from") + "' of issue '" + issue.name +
                                  "' (" + text + ") reads '" + name + "', which the `compute` of "
                                  "bargain stage '" + StageName(pc) + "' sets with the agreed "
                                  "issues, after the ranges are fixed; compute it in an earlier "
                                  "stage, or give '" + issue.name + "' a fixed range and write "
                                  "the link under 'constraints:' (" + issue.name +
                                  (upper ? " <= " : " >= ") + text + ")");
      }
  }

  void CheckRange(std::size_t pc, const BargainDef& b, const BargainIssueDef& issue,
                  const bargaining::AgreementIssue& x) {
    if (!std::isfinite(x.lower) || !std::isfinite(x.upper) || x.lower > x.upper)
      throw BargainError(pc, b, "issue '" + issue.name + "' ranges from " +
                                    NumberLabel(x.lower) + " to " + NumberLabel(x.upper) +
                                    "; it needs a finite range with from <= to");
  }

  // The extent of a linked bound over the named issues' ranges (the largest value for `to`,
  // the smallest for `from`): the issue's own box, inside which the bound acts as the
  // constraint it is (ConstraintsInto). The box must hold every value the bound takes, or it
  // would cut off agreements the constraint allows, so the extent is taken only where it is
  // known exactly: a bound affine in the issues it names (formula::Evaluator::AffineIn, the
  // rest held at this node's values) is largest and smallest at corners of their ranges. Any
  // other bound is refused, pointing to the equivalent fixed range with a constraint: its
  // values at the corners prove nothing (1 - abs(e - 0.2) over e in [0, 1] peaks at 1 inside,
  // above its 0.8 at the corners; a check for monotonicity at the centre once let that through
  // and the box clipped y to 0.8), and no bound on a general formula's values is at hand.
  double LinkedBound(std::size_t pc, const BargainDef& b, const BargainIssueDef& issue, bool upper,
                     const std::vector<bargaining::AgreementIssue>& issues) {
    const Formula& bound = upper ? issue.to : issue.from;
    const std::vector<int>& links = upper ? issue.to_links : issue.from_links;
    if (links.empty()) return Eval(bound);
    if (links.size() > 12)
      throw ValidationError(bound.where, "a range bound names more than 12 issues");
    std::array<int, 12> slots{};
    std::string names;
    for (std::size_t j = 0; j < links.size(); ++j) {
      const BargainIssueDef& other = b.issues[static_cast<std::size_t>(links[j])];
      slots[j] = other.var_slot;
      names += (j ? ", " : "") + other.name;
    }
    if (!bound.expr || !evaluator_.AffineIn(*bound.expr, std::span<const int>(slots.data(), links.size()))) {
      const std::string text = bound.expr ? bound.expr->text() : std::string();
      const std::string history = History();
      throw ValidationError(bound.where,
                            "bargain '" + StageName(pc) + "'" + (history.empty() ? "" : " " + history) + ": '" +
                                (upper ? "to" : "from") + "' of issue '" + issue.name + "' (" + text +
                                ") is not affine in the issues it names (" + names +
                                "), so its extent over their ranges is not known; give '" +
                                issue.name + "' a fixed range that holds every value of the bound "
                                "and write the link under 'constraints:' (" + issue.name +
                                (upper ? " <= " : " >= ") + text + ")");
    }
    double extent = upper ? -HUGE_VAL : HUGE_VAL;
    for (std::size_t corner = 0; corner < (std::size_t{1} << links.size()); ++corner) {
      for (std::size_t j = 0; j < links.size(); ++j) {
        const bargaining::AgreementIssue& other = issues[static_cast<std::size_t>(links[j])];
        vars_[b.issues[static_cast<std::size_t>(links[j])].var_slot] =
            (corner >> j) & 1 ? other.upper : other.lower;
      }
      double v = Eval(bound);
      extent = upper ? std::max(extent, v) : std::min(extent, v);
    }
    // The named issues left at their centres, not at the last corner (the solve sets them
    // before it reads them).
    for (int link : links) {
      const bargaining::AgreementIssue& other = issues[static_cast<std::size_t>(link)];
      vars_[b.issues[static_cast<std::size_t>(link)].var_slot] = (other.lower + other.upper) / 2;
    }
    return extent;
  }

  // Binds the issues to these values and runs the bargain stage's `compute`: during a solve,
  // in full at its first call, at a new package (the discrete issues differ from the call
  // before) only the formulas that read one that changed or that move, otherwise only those
  // that may move within a package (BargainSplit). This rests on one invariant: during a solve
  // without `after_agreement`, SetIssues (and RunCompute through it) is the only writer of the
  // stage's computed variables and of its discrete issues, and every other slot such a formula
  // reads holds still (the probes of AgreementPayoffs move only variables computed after the
  // bargain, whose readers always run, and put them back).
  void SetIssues(const StageDef& def, const std::vector<double>& values) {
    const BargainDef& b = *def.bargain;
    for (std::size_t k = 0; k < values.size(); ++k) vars_[b.issues[k].var_slot] = values[k];
    if (!split_active_) {
      RunCompute(def);
      return;
    }
    bool same = split_primed_;
    std::uint64_t changed = 0;  // the discrete issues that differ from the call before
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (!b.issues[k].discrete) continue;
      const std::uint64_t bits = std::bit_cast<std::uint64_t>(values[k]);
      if (split_package_[k] != bits) {
        same = false;
        if (k < 64) changed |= std::uint64_t{1} << k;
      }
      split_package_[k] = bits;
    }
    if (!same) {
      if (!split_primed_ || b.issues.size() > 64) {
        RunCompute(def);
        split_primed_ = true;
        return;
      }
      // Another package: the formulas that read (directly or through the stage's other
      // variables) a discrete issue that changed, and those that move within a package. The
      // others read only what has not changed since their last evaluation in this solve
      // (split_deps_), so their variables hold the value they would give again.
      for (std::size_t k = 0; k < def.compute.size(); ++k)
        if (split_moves_[k] || (split_deps_[k] & changed) != 0)
          vars_[def.compute[k].first] = Eval(*def.compute[k].second);
      return;
    }
    // The same package: only the formulas whose inputs differ from call to call.
    for (std::size_t k = 0; k < def.compute.size(); ++k)
      if (split_moves_[k]) vars_[def.compute[k].first] = Eval(*def.compute[k].second);
  }

  // Which of bargain stage `def`'s computed variables may take another value from one call of
  // the solver's oracle to the next within a package (the same discrete issues), into
  // split_moves_ (one flag per `compute` entry): those whose formulas read, directly or
  // through other computed variables, a continuous issue or a variable the probes of
  // AgreementPayoffs move (later_computed), and those that read a variable computed at or
  // after their own place in the list (they see the value of the call before). Every other
  // slot a formula reads keeps its value within a package (discrete issues, parameters,
  // earlier stages, the stage's own variable), so the other formulas give the value of the
  // package's first call again, bit for bit: SetIssues runs them once per package.
  void BargainSplit(const StageDef& def) {
    const BargainDef& b = *def.bargain;
    split_moves_.assign(def.compute.size(), 0);
    split_tainted_.assign(num_vars_, 0);
    split_position_.assign(num_vars_, -1);
    split_package_.assign(b.issues.size(), 0);
    for (std::size_t k = 0; k < def.compute.size(); ++k)
      split_position_[static_cast<std::size_t>(def.compute[k].first)] = static_cast<int>(k);
    for (const BargainIssueDef& issue : b.issues)
      if (!issue.discrete) split_tainted_[static_cast<std::size_t>(issue.var_slot)] = 1;
    for (const LaterComputed& later : b.later_computed)
      split_tainted_[static_cast<std::size_t>(later.var_slot)] = 1;
    for (std::size_t k = 0; k < def.compute.size(); ++k) {
      if (split_tainted_[static_cast<std::size_t>(def.compute[k].first)]) split_moves_[k] = 1;
      for (int slot : def.compute[k].second->used_slots()) {
        const int at = split_position_[static_cast<std::size_t>(slot)];
        if (at >= static_cast<int>(k)) split_moves_[k] = 1;
      }
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t k = 0; k < def.compute.size(); ++k) {
        const std::size_t slot = static_cast<std::size_t>(def.compute[k].first);
        bool moves = split_moves_[k] != 0;
        for (int used : def.compute[k].second->used_slots())
          moves = moves || split_tainted_[static_cast<std::size_t>(used)] != 0;
        if (moves && !(split_moves_[k] && split_tainted_[slot])) {
          split_moves_[k] = 1;
          split_tainted_[slot] = 1;
          changed = true;
        }
      }
    }
    // The discrete issues (the first 64; SetIssues runs every formula again with more) each
    // formula reads, directly or through the variables computed before it in the list (a
    // formula that reads one computed at or after its place moves, and always runs).
    affine_known_ = false;
    split_deps_.assign(def.compute.size(), 0);
    split_slot_deps_.assign(num_vars_, 0);
    for (std::size_t i = 0; i < b.issues.size() && i < 64; ++i)
      if (b.issues[i].discrete)
        split_slot_deps_[static_cast<std::size_t>(b.issues[i].var_slot)] |= std::uint64_t{1} << i;
    for (std::size_t k = 0; k < def.compute.size(); ++k) {
      std::uint64_t deps = 0;
      for (int used : def.compute[k].second->used_slots())
        deps |= split_slot_deps_[static_cast<std::size_t>(used)];
      split_deps_[k] = deps;
      split_slot_deps_[static_cast<std::size_t>(def.compute[k].first)] = deps;
    }
  }

  // The subgame-perfect value of the `after_agreement` stages at the bound issues (expanded
  // and solved on their own); `path` (optional) gets what they do in that equilibrium, `game`
  // (optional) the game itself.
  void AfterAgreementValue(std::size_t pc, const StageDef& def, std::vector<double>* u,
                           std::string* path, model::GamePtr* game = nullptr) {
    const BargainDef& b = *def.bargain;
    after_saved_.assign(vars_, vars_ + num_vars_);
    Continuation c = SolveContinuation(pc, def, &b.after);
    *u = c.eq.payoffs;
    if (path) *path = PathText(*c.game, c.eq);
    if (game) *game = c.game;
    std::memcpy(vars_, after_saved_.data(), num_vars_ * sizeof(double));
  }

  // "review = clear": the choices along an equilibrium's path, up to a mixed choice or chance.
  static std::string PathText(const model::Game& game, const equilibrium::Equilibrium& eq) {
    equilibrium::ActionIndex index(game);
    std::string out;
    NodeId v = 0;
    while (!game.is_terminal(v)) {
      model::InfosetId h = game.infoset(v);
      const std::string stage(game.infoset_label(h));
      if (!out.empty()) out += ", ";
      if (game.kind(v) == model::NodeKind::kChance) {
        out += stage + " by chance";
        break;
      }
      std::uint32_t best = 0;
      for (std::uint32_t a = 1; a < game.num_actions(h); ++a)
        if (eq.behavior[index(h, a)] > eq.behavior[index(h, best)]) best = a;
      if (eq.behavior[index(h, best)] < 1 - 1e-9) {
        out += stage + " mixed";
        break;
      }
      out += stage + " = " + std::string(game.action_label(h, best));
      v = game.child(v, best);
    }
    return out;
  }

  // The payoffs of an agreement on these issue values (the bargaining solver's oracle).
  void AgreementPayoffs(std::size_t pc, const StageDef& def, const std::vector<double>& values,
                        std::vector<double>* u) {
    const BargainDef& b = *def.bargain;
    const std::size_t n = impl_.info.players.size();
    SetIssues(def, values);
    // An agreement's payoffs: the payoff formulas, or the value of the stages played after it.
    auto payoffs = [&](std::vector<double>* out) {
      if (!b.after.empty()) {
        AfterAgreementValue(pc, def, out, nullptr);
        return;
      }
      out->resize(n);
      for (std::size_t p = 0; p < n; ++p) {
        (*out)[p] = Eval(impl_.payoffs[p]);
        ++payoff_evaluations;
      }
    };
    // Variables that only the no-deal branch computes must not change an agreement's
    // payoff (after the stages of `after_agreement` too): move each away from its value and
    // look whether any payoff moves with it. A payoff formula is a pure function of the slots
    // it reads, so without `after_agreement` only the formulas that read the variable can
    // move, and only they are evaluated again (the same answer, fewer evaluations); and when
    // no payoff read one of those variables on the branches it took here (`if(deal == agree,
    // ...)`), none can move, and the probes would find every payoff unchanged.
    if (b.after.empty() && !b.later_computed.empty()) {
      u->resize(n);
      bool read = false;
      for (std::size_t p = 0; p < n; ++p) {
        bool reads = false;
        (*u)[p] = EvalWatching(impl_.payoffs[p], b.later_slots, &reads);
        ++payoff_evaluations;
        read = read || reads;
      }
      if (!read) return;
    } else {
      payoffs(u);
    }
    for (const LaterComputed& later : b.later_computed) {
      const double kept = vars_[later.var_slot];
      // Put back however the probes end: the refusal below is thrown through the solver,
      // whose search may catch it and go on evaluating.
      struct Restore {
        double& slot;
        double value;
        ~Restore() { slot = value; }
      } restore{vars_[later.var_slot], kept};
      for (double shifted : {kept + 1.0, kept - 1234.5}) {
        vars_[later.var_slot] = shifted;
        if (b.after.empty()) {
          probes_.assign(u->begin(), u->end());
          for (std::size_t p = 0; p < n; ++p)
            if (ReadsSlot(impl_.payoffs[p], later.var_slot)) {
              probes_[p] = Eval(impl_.payoffs[p]);
              ++payoff_evaluations;
            }
        } else {
          payoffs(&probes_);
        }
        for (std::size_t p = 0; p < n; ++p) {
          double probe = probes_[p];
          if (probe != (*u)[p] && !(std::isnan(probe) && std::isnan((*u)[p])))
            throw ValidationError(
                impl_.payoffs[p].where,
                "the payoff of " + impl_.info.players[p] + " reads '" + later.name +
                    "' for an agreement at bargain '" + StageName(pc) + "' " + History() +
                    ", but '" + later.name +
                    "' is computed only by stage '" + later.stage + "' (line " +
                    std::to_string(later.where.line) + "), which comes after the bargain: "
                    "stages after a bargain are its no-deal branch, so after an agreement '" +
                    later.name + "' would silently be " + NumberLabel(kept) +
                    "; compute it before the bargain, or in the bargain's 'after_agreement' "
                    "(the stages played after an agreement, with the agreed terms known)");
        }
      }
    }
  }

  // The slots in which an agreement's formulas must be affine for them to be affine in
  // bargain `def`'s continuous issues over the package of these issue values, into `moving`
  // (returns how many; 0 when that cannot be shown): the continuous issues, then each computed
  // variable that moves with them (split_moves_) whose formula is itself affine in the slots
  // before it (formula::Evaluator::AffineIn), since an affine function of affine functions is
  // affine. Variables that only the no-deal branch computes (later_computed) keep their
  // values through the solve (AgreementPayoffs moves them only to check that no payoff reads
  // them, and puts them back), so they count as constants. Not with stages after the
  // agreement, a computed variable that is not affine, or one that reads a variable computed
  // at or after its own place (it sees the value of the call before). Leaves the issues and
  // the computed variables at these values.
  std::size_t AffineSlots(const StageDef& def, const std::vector<double>& values, std::span<int> moving) {
    const BargainDef& b = *def.bargain;
    if (!b.after.empty()) return 0;
    if (!def.compute.empty() && !split_active_) return 0;
    std::size_t count = 0;
    for (const BargainIssueDef& issue : b.issues) {
      if (issue.discrete) continue;
      if (count == moving.size()) return 0;
      moving[count++] = issue.var_slot;
    }
    SetIssues(def, values);
    // The answer follows only branches whose conditions read no moving slot (a branch on one
    // refuses), so it depends on the package's discrete values and on slots that hold still
    // during a solve (SetIssues' invariant; variables computed after the bargain stay at
    // their values outside the probes): within a solve it is the same for the same package,
    // which the payoffs' and the constraints' checks both ask for (BargainSplit forgets it).
    if (split_active_ && affine_known_ && affine_package_ == split_package_) {
      if (affine_count_ > moving.size()) return 0;
      std::copy(affine_moving_.begin(), affine_moving_.begin() + static_cast<std::ptrdiff_t>(affine_count_),
                moving.begin());
      return affine_count_;
    }
    const std::size_t found = AffineSlotsOfPackage(def, count, moving);
    if (split_active_ && found <= affine_moving_.size()) {
      affine_known_ = true;
      affine_package_.assign(split_package_.begin(), split_package_.end());
      std::copy(moving.begin(), moving.begin() + static_cast<std::ptrdiff_t>(found), affine_moving_.begin());
      affine_count_ = found;
    }
    return found;
  }
  // AffineSlots after the continuous issues (`count` of them in `moving`): the computed
  // variables that move with them, each affine in the slots before it.
  std::size_t AffineSlotsOfPackage(const StageDef& def, std::size_t count, std::span<int> moving) {
    for (std::size_t k = 0; k < def.compute.size(); ++k) {
      if (!split_moves_[k]) continue;
      const Expression& e = *def.compute[k].second;
      for (int slot : e.used_slots())
        if (split_position_[static_cast<std::size_t>(slot)] >= static_cast<int>(k)) return 0;
      if (count == moving.size() || !evaluator_.AffineIn(e, moving.first(count))) return 0;
      moving[count++] = def.compute[k].first;
    }
    return count;
  }

  // How the bargaining solver's refusals name player p's payoff of an agreement at bargain
  // `def`: the payoff formula with its line, or the value of the stages after the agreement.
  std::string AgreementPayoffName(const StageDef& def, std::size_t p) const {
    const std::string who = "the payoff of " + impl_.info.players[p];
    if (!def.bargain->after.empty()) return who + " (the value of the stages after the agreement)";
    const Formula& f = impl_.payoffs[p];
    const std::string text = f.expr ? f.expr->text() : NumberLabel(f.literal ? f.literal->ToDouble() : 0.0);
    return who + " \"" + text + "\" (line " + std::to_string(f.where.line) + ")";
  }

  // Whether every payoff of an agreement is certainly affine in bargain `def`'s continuous
  // issues over the package of these issue values (AffineSlots): only when the payoffs are
  // formulas of the issues and of variables computed from them.
  bool AgreementAffine(const StageDef& def, const std::vector<double>& values) {
    std::array<int, 64> moving;
    const std::size_t count = AffineSlots(def, values, moving);
    if (count == 0) return false;
    for (const Formula& payoff : impl_.payoffs)
      if (payoff.expr && !evaluator_.AffineIn(*payoff.expr, std::span<const int>(moving.data(), count)))
        return false;
    return true;
  }

  // Whether every constraint of bargain `def` (the bounds that read other issues, then the
  // `constraints`, as BargainProblem lists them) is certainly affine in its continuous issues
  // over the package of these issue values (AffineSlots).
  bool ConstraintsAffine(const StageDef& def, const std::vector<double>& values) {
    const BargainDef& b = *def.bargain;
    std::array<int, 64> moving;
    std::size_t count = 0;
    if (b.after.empty()) {
      count = AffineSlots(def, values, moving);
    } else {
      std::vector<int>& after = after_moving_;
      if (!AfterMovingSlots(def, values, after) || after.size() > moving.size()) return false;
      std::copy(after.begin(), after.end(), moving.begin());
      count = after.size();
    }
    if (count == 0) return false;
    const std::span<const int> slots(moving.data(), count);
    for (const BargainIssueDef& issue : b.issues) {
      if (issue.discrete) continue;
      if (!issue.from_links.empty() && !(issue.from.expr && evaluator_.AffineIn(*issue.from.expr, slots))) return false;
      if (!issue.to_links.empty() && !(issue.to.expr && evaluator_.AffineIn(*issue.to.expr, slots))) return false;
    }
    for (const BargainConstraintDef& constraint : b.constraints)
      if (!evaluator_.AffineIn(*constraint.lhs, slots) || !evaluator_.AffineIn(*constraint.rhs, slots)) return false;
    return true;
  }

  // AffineSlots for a bargain with stages after the agreement, into `moving`: the continuous
  // issues, then each of the stage's computed variables that reads one of them (on the
  // branches the current values take), which must be affine in those before it; false when
  // one is not, or reads a variable computed at or after its own place (it would see the
  // value of the call before). Leaves the issues and the computed variables at these values.
  bool AfterMovingSlots(const StageDef& def, const std::vector<double>& values, std::vector<int>& moving) {
    const BargainDef& b = *def.bargain;
    SetIssues(def, values);
    moving.clear();
    for (const BargainIssueDef& issue : b.issues)
      if (!issue.discrete) moving.push_back(issue.var_slot);
    for (std::size_t k = 0; k < def.compute.size(); ++k) {
      const Expression& e = *def.compute[k].second;
      for (int slot : e.used_slots())
        for (std::size_t later = k; later < def.compute.size(); ++later)
          if (def.compute[later].first == slot) return false;
      bool read = false;
      evaluator_.EvaluateWatching(e, moving, &read);
      if (!read) continue;
      if (!evaluator_.AffineIn(e, moving)) return false;
      moving.push_back(def.compute[k].first);
    }
    return true;
  }

  // Whether the game after an agreement on bargain `def` (its `after_agreement` stages) is
  // certainly affine in the continuous issues over the package of these issue values: the
  // game expanded at these values while checking it (CheckAffineIn), from the slots that move
  // with the issues (AfterMovingSlots). The variables are put back.
  bool ContinuationAffine(std::size_t pc, const StageDef& def, const std::vector<double>& values) {
    const BargainDef& b = *def.bargain;
    std::vector<double> saved(vars_, vars_ + num_vars_);
    struct Restore {
      double* vars;
      const std::vector<double>& saved;
      ~Restore() { std::copy(saved.begin(), saved.end(), vars); }
    } restore{vars_, saved};
    std::vector<int> moving;
    if (!AfterMovingSlots(def, values, moving)) return false;
    GameBuilder branch(impl_.info.players);
    branch.SetMaxNodes(max_nodes_);
    Expansion inner_out;
    Expander<GameBuilder> inner(impl_, evaluator_, branch, options_, inner_out, nullptr);
    inner.CheckAffineIn(&moving);
    inner.history_ = history_;
    inner.history_.push_back({pc, 0, def.label_values[0]});
    inner.RunAfter(b.after);
    return inner.affine_ok();
  }

  static bool ReadsSlot(const Formula& f, int slot) {
    if (!f.expr) return false;
    const std::vector<int>& used = f.expr->used_slots();
    return std::find(used.begin(), used.end(), slot) != used.end();
  }

  // The chance node (agree: a terminal with the agreement; no_deal: the continuation, or a
  // terminal with the declared disagreement payoffs), then the no-deal branch's expansion.
  void AddBargainNode(std::size_t pc, NodeId parent, const StageDef& def, BargainRecord&& record,
                      const std::vector<double>& d, const std::vector<double>& saved) {
    const BargainDef& b = *def.bargain;
    const double no_deal = def.label_values[1];
    // No agreement possible: talks fail for sure.
    double breakdown = record.step.agreement_possible ? record.breakdown : 1.0;
    Number probs[2] = {Number(1.0 - breakdown), Number(breakdown)};
    if (breakdown == 0) probs[0] = Number(1), probs[1] = Number(0);
    if (breakdown == 1) probs[0] = Number(0), probs[1] = Number(1);
    LabelId labels[2] = {builder_.Intern("agree"), builder_.Intern("no_deal")};
    InfosetId h = builder_.AddChanceInfoset(instr_labels_[pc], labels, probs);
    NodeId node = builder_.AddNode(parent, h);
    builder_.AddTerminal(node, builder_.AddOutcome(record.step.payoffs), "agreement");
    record.node = node;
    record.no_deal_node = static_cast<NodeId>(builder_.num_nodes());
    out_.bargains.push_back(std::move(record));

    EnterNoDeal(def, saved);
    history_.push_back({pc, 1, no_deal});
    if (!b.disagreement.empty()) {
      // Declared disagreement payoffs are what failed talks pay (with `breakdown` too): the
      // no-deal branch ends there, whatever the payoff formulas would say at no_deal.
      builder_.AddTerminal(node, builder_.AddOutcome(d), "no deal");
      return;
    }
    RunCompute(def);
    if (replay_valid_) {
      replay_valid_ = false;
      replaying_ = true;
      replay_next_ = 0;
      replay_depth_ = frames_.size();
    }
    Descend(pc + 1, node);
    if (replaying_) EndReplay();
  }

  InfosetId SharedInfoset(std::size_t pc, const StageDef& def, int player,
                          std::span<const LabelId> labels) {
    key_.assign(reinterpret_cast<const char*>(&pc), sizeof pc);
    for (const Step& s : history_) {
      if (!def.observes[program_[s.pc].index]) continue;
      key_.append(reinterpret_cast<const char*>(&s.pc), sizeof s.pc);
      // What he sees is the choice made, not its place in the list: where the actions depend
      // on a move he does not see ({values: [a * 10]}), the first action is 10 after one
      // history and 20 after another, and he tells them apart. A skipped stage is seen as such.
      const char skipped = s.action < 0;
      key_.push_back(skipped);
      if (!skipped) {
        const double seen = s.value == 0 ? 0.0 : s.value;  // -0 is 0
        key_.append(reinterpret_cast<const char*>(&seen), sizeof seen);
      }
    }
    auto it = shared_.find(key_);
    if (it == shared_.end()) {
      InfosetId h = builder_.AddInfoset(player, instr_labels_[pc], labels);
      shared_.emplace(key_, SharedSet{h, std::vector<LabelId>(labels.begin(), labels.end()),
                                      History()});
      return h;
    }
    const SharedSet& set = it->second;
    if (!std::equal(labels.begin(), labels.end(), set.labels.begin(), set.labels.end())) {
      // The same actions in another order are refused too (a set's actions have one order),
      // but saying they differ would send the writer looking for a difference there is not.
      const bool reordered = std::is_permutation(labels.begin(), labels.end(), set.labels.begin(), set.labels.end());
      throw ValidationError(def.where,
                            impl_.info.players[player] + " cannot tell apart the histories " +
                                set.history + " and " + History() +
                                " at stage '" + StageName(pc) +
                                "' (he does not observe what differs), but the actions " +
                                (reordered ? "come in another order there; list them in the same order after "
                                             "every history he cannot tell apart"
                                           : "differ there; make the actions depend only on what he observes"));
    }
    return set.infoset;
  }

  static std::string ActionText(const StageDef& def, std::size_t a, double value) {
    return def.action_kind == ActionKind::kLabels ? def.labels[a] : NumberLabel(value);
  }

  std::string StageName(std::size_t pc) const {
    std::string name;
    AppendStageName(pc, name);
    return name;
  }
  // The same, appended to `out` (no string made on the way).
  void AppendStageName(std::size_t pc, std::string& out) const {
    out += impl_.info.stages[impl_.stages[program_[pc].index].info_index].name;
    out += program_[pc].suffix;
  }

  // "after offer = 3 > respond = reject", or "at the start".
  std::string History() const {
    std::string out;
    HistoryInto(out);
    return out;
  }
  // The same, written over `out` (its storage reused).
  void HistoryInto(std::string& out) const {
    out.clear();
    int shown = 0;
    for (const Step& s : history_) {
      if (s.action < 0) continue;
      const StageDef& def = impl_.stages[program_[s.pc].index];
      out += out.empty() ? "(after " : " > ";
      if (++shown > 20) {
        out += "...";
        break;
      }
      AppendStageName(s.pc, out);
      out += " = ";
      if (def.action_kind == ActionKind::kLabels)
        out += def.labels[static_cast<std::size_t>(s.action)];
      else
        out += NumberLabel(s.value);
    }
    if (out.empty())
      out = "at the start (before any choice)";
    else
      out += ")";
  }

  struct SharedSet {
    InfosetId infoset;
    std::vector<LabelId> labels;
    std::string history;
  };

  const CompiledScenario::Impl& impl_;
  formula::Evaluator& evaluator_;
  Sink& builder_;
  const ExpandOptions& options_;
  CompiledGames* games_;
  std::size_t max_nodes_;
  Expansion& out_;
  double* vars_;
  std::size_t num_vars_;
  std::vector<RangeCache> range_cache_;
  std::vector<Instruction> program_;
  int iteration_ = 0;
  std::vector<std::vector<LabelId>> stage_labels_;
  std::vector<LabelId> instr_labels_;
  std::vector<Frame> frames_;
  std::vector<double> action_values_;
  std::vector<LabelId> action_label_ids_;
  std::vector<double> snapshots_;
  std::vector<Number> probabilities_;
  std::vector<double> payoffs_;
  std::string key_;
  std::unordered_map<std::string, SharedSet> shared_;
  std::vector<double> after_saved_;
  std::vector<double> probes_;  // AgreementPayoffs' probes of later computed variables
  // CheckAffineIn's moving slots (null: no check) and its verdict so far.
  std::vector<int>* checking_ = nullptr;
  std::vector<int> after_moving_;  // ConstraintsAffine's moving slots (AfterMovingSlots)
  bool affine_ok_ = true;
  std::vector<double> bargain_saved_, bargain_d_;  // MakeBargainNode's (see there)
  // While a bargain's solver runs: SetIssues evaluates only the computed variables flagged
  // in split_moves_ once it has run them all (BargainSplit).
  bool split_active_ = false, split_primed_ = false;
  std::vector<char> split_moves_, split_tainted_;
  std::vector<std::uint64_t> split_package_;  // the discrete issues' bits at the last call
  // Per `compute` entry: the discrete issues it reads, through others too (bit i: issue i);
  // beside it, the same per slot while they are worked out.
  std::vector<std::uint64_t> split_deps_, split_slot_deps_;
  // AffineSlots' last answer in this solve, for the package whose discrete bits it keeps.
  bool affine_known_ = false;
  std::vector<std::uint64_t> affine_package_;
  std::array<int, 64> affine_moving_{};
  std::size_t affine_count_ = 0;
  std::vector<int> split_position_;
  std::vector<double> solve_values_;  // backward induction's workspace (SolveContinuation)
  std::vector<std::uint64_t> space_bits_, weight_bits_, power_bits_;  // the memos' keys
  // With kept games: the previous evaluation's records, which RecycledRecord fills again.
  std::vector<BargainRecord>* spares_ = nullptr;
  std::size_t next_spare_ = 0;
  // The replay of a no-deal branch (see Replayed): the values its first expansion recorded,
  // whether they are whole (no bargain met), the next to take back, and the frames below the
  // branch's (the replay ends when the walk is back there).
  std::vector<std::pair<std::size_t, double>> replay_;
  bool replay_valid_ = false, replaying_ = false;
  std::size_t replay_next_ = 0, replay_depth_ = 0;
  // While this expander is a no-deal branch's first expansion: where its values go.
  std::vector<std::pair<std::size_t, double>>* recording_ = nullptr;
  bool* recording_valid_ = nullptr;
  std::vector<ConstraintContext> constraint_contexts_;  // BargainProblem's (see there)
};

// The explicit tree form: its nodes as written, in preorder.
model::GamePtr ExpandTree(const CompiledScenario::Impl& impl, formula::Evaluator& evaluator,
                          GameBuilder& builder, ExpansionStats& stats) {
  const Scenario& info = impl.info;
  auto to_number = [&](const Formula& f) {
    return f.literal ? *f.literal : Number(evaluator.Evaluate(*f.expr));
  };
  std::map<std::pair<int, std::string>, InfosetId> named;
  std::vector<std::pair<int, NodeId>> stack{{0, model::kNoNode}};
  std::vector<double> payoffs(info.players.size());
  std::vector<Number> probs;
  std::vector<std::string> labels;
  while (!stack.empty()) {
    auto [index, parent] = stack.back();
    stack.pop_back();
    const TreeNodeDef& def = impl.tree[index];
    NodeId node;
    if (def.kind == TreeNodeDef::Kind::kTerminal) {
      std::vector<Number> numbers;
      for (std::size_t p = 0; p < def.payoffs.size(); ++p) {
        Number x = to_number(def.payoffs[p]);
        ++stats.payoff_evaluations;
        if (!std::isfinite(x.ToDouble()))
          throw ValidationError(def.payoffs[p].where, "the payoff of " + info.players[p] +
                                                          " is not a finite number");
        numbers.push_back(x);
      }
      builder.AddTerminal(parent, builder.AddOutcome("", numbers), def.node_label);
      continue;
    }
    InfosetId h;
    if (def.kind == TreeNodeDef::Kind::kChance) {
      probs.clear();
      ProbabilitySum sum;
      for (const Formula& f : def.probabilities) {
        Number p = to_number(f);
        if (!(p.ToDouble() >= 0 && p.ToDouble() <= 1))
          throw ValidationError(f.where, "probability " + NumberLabel(p.ToDouble()) +
                                             " lies outside [0, 1]");
        sum.Add(p);
        probs.push_back(p);
      }
      if (!sum.IsOne())
        throw ValidationError(def.where, "the probabilities of this chance node sum to " + sum.Text() + ", not 1");
      if (sum.NeedsScaling()) sum.Scale(probs);
      h = builder.AddChanceInfoset("", def.labels, probs);
    } else if (!def.infoset.empty()) {
      auto key = std::make_pair(def.player, def.infoset);
      auto it = named.find(key);
      if (it == named.end())
        it = named.emplace(key, builder.AddInfoset(def.player, def.infoset, def.labels)).first;
      h = it->second;
    } else {
      h = builder.AddInfoset(def.player, "", def.labels);
    }
    node = builder.AddNode(parent, h, model::kNoOutcome, def.node_label);
    for (auto c = def.children.rbegin(); c != def.children.rend(); ++c) stack.emplace_back(*c, node);
  }
  return builder.Build();
}

}  // namespace

namespace {

// Sets the parameters and runs `expand` (which fills `out`), giving errors without a file
// the scenario's file; then counts the game's nodes.
template <class Body>
void ExpandWith(const CompiledScenario::Impl& impl, std::span<const double> values,
                formula::Evaluator& evaluator, Expansion& out, Body expand) {
  PARLEY_CHECK(values.size() == impl.parameter_slots.size());
  PARLEY_CHECK(&evaluator.set() == &impl.formulas);
  evaluator.Reset();
  for (std::size_t i = 0; i < values.size(); ++i) evaluator[impl.parameter_slots[i]] = values[i];
  evaluator.Refresh();  // the values hoisted out of the formulas (ExpressionSet::Hoist)
  // (Field by field, so that the records' vector keeps its storage.)
  out.game.reset();
  out.bargains.clear();
  out.stats = ExpansionStats{};
  try {
    expand();
  } catch (const LimitError& e) {
    if (!e.where().file.empty()) throw;
    throw LimitError(SourceLocation{impl.info.file}, e.message() + " while expanding the scenario");
  } catch (const ValidationError& e) {
    if (!e.where().file.empty()) throw;
    throw ValidationError(SourceLocation{impl.info.file}, e.message());
  }
  out.stats.nodes = out.game->num_nodes();
  out.stats.terminals = out.game->num_terminals();
}

template <class Sink>
void RunExpander(const CompiledScenario::Impl& impl, formula::Evaluator& evaluator, Sink& sink,
                 const ExpandOptions& options, Expansion& out, CompiledGames* games) {
  Expander<Sink> expander(impl, evaluator, sink, options, out, games);
  expander.Run();
  out.stats.evaluations = expander.evaluations;
  out.stats.payoff_evaluations = expander.payoff_evaluations;
}

// A bargain's disagreement point is the subgame-perfect value of its no-deal branch, solved
// on its own; that is the branch's value in the game only when the branch is a subgame. A stage
// after the bargain whose player does not observe some choice made before it (`observe`) can
// join the no-deal branches of several bargains, or one and other play, in one information
// set: the branch's play then depends on what happens outside it, which the disagreement point
// would silently ignore (the threats it states would not be those the solved game plays).
// Refused at that stage. Each information set is looked at once per branch (a set inside an
// outer bargain's branch may still leave a nested bargain's).
void CheckNoDealBranchesAreSubgames(const CompiledScenario::Impl& impl, const Expansion& out) {
  const model::Game& game = *out.game;
  if (game.perfect_information() || out.bargains.empty()) return;
  std::vector<std::uint32_t> seen_in(game.num_infosets(), 0);  // the branch (1-based) that last looked
  std::uint32_t branch = 0;
  for (const BargainRecord& record : out.bargains) {
    if (!record.disagreement_from_branch || record.no_deal_node == 0) continue;
    ++branch;
    const NodeId root = record.no_deal_node, end = game.subtree_end(root);
    for (NodeId v = root; v < end; ++v) {
      if (game.is_terminal(v) || game.kind(v) != model::NodeKind::kDecision) continue;
      const InfosetId h = game.infoset(v);
      if (seen_in[h] == branch) continue;
      seen_in[h] = branch;
      const auto nodes = game.infoset_nodes(h);
      const bool inside = std::all_of(nodes.begin(), nodes.end(), [&](NodeId u) { return u >= root && u < end; });
      if (inside) continue;
      // The stage of that set: its label is the stage's name (with a repeat's suffix).
      const std::string label(game.infoset_label(h));
      SourceLocation where;
      std::string stage = label;
      for (const StageDef& def : impl.stages) {
        const std::string& name = impl.info.stages[def.info_index].name;
        if (label.compare(0, name.size(), name) == 0 &&
            (label.size() == name.size() || label[name.size()] == '[' || label[name.size()] == ' ')) {
          where = def.where;
          stage = name;
          break;
        }
      }
      throw ValidationError(where,
                            "stage '" + stage + "' is played in the no-deal branch of bargain '" +
                                record.stage + "'" + (record.history.empty() ? "" : " " + record.history) +
                                ", but its player cannot tell that branch from play outside it "
                                "(`observe` leaves out a choice made before the bargain), so the "
                                "branch is not a subgame and its value, the disagreement point, is "
                                "not defined on its own; let the stage observe the choices that "
                                "lead to the bargain, or give the bargain's `disagreement` as numbers");
    }
  }
}

GameBuilder NewBuilder(const CompiledScenario::Impl& impl, const ExpandOptions& options) {
  GameBuilder builder(impl.info.players);
  builder.SetTitle(impl.info.title);
  builder.SetComment(impl.info.description);
  builder.SetMaxNodes(options.max_nodes);
  return builder;
}

}  // namespace

void CompiledScenario::Impl::Expand(std::span<const double> values, const ExpandOptions& options,
                                    formula::Evaluator& evaluator, Expansion& out) const {
  ExpandWith(*this, values, evaluator, out, [&] {
    GameBuilder builder = NewBuilder(*this, options);
    if (info.explicit_tree) {
      out.game = ExpandTree(*this, evaluator, builder, out.stats);
    } else {
      RunExpander(*this, evaluator, builder, options, out, nullptr);
      out.game = builder.Build();
      CheckNoDealBranchesAreSubgames(*this, out);
    }
  });
}

void CompiledScenario::Impl::Record(std::span<const double> values, const ExpandOptions& options,
                                    formula::Evaluator& evaluator, CompiledGames& games,
                                    Expansion& out) const {
  PARLEY_CHECK(!info.explicit_tree);
  games.game = nullptr;
  games.continuations.clear();
  // Memos refer to the continuations by their places in the recording: started afresh.
  games.bargains.clear();
  games.payoffs.clear();
  games.top = nullptr;
  games.continuation_programs.clear();
  games.payoff_inputs.clear();
  games.next_bargain = 0;
  games.next_payoff = 0;
  ++games.expansion;
  games.remember = true;
  games.memos_filled = true;
  ExpandWith(*this, values, evaluator, out, [&] {
    GameBuilder builder = NewBuilder(*this, options);
    RunExpander(*this, evaluator, builder, options, out, &games);
    out.game = builder.Build();
    CheckNoDealBranchesAreSubgames(*this, out);
  });
  games.game = out.game;
}

void CompiledScenario::Impl::Rewrite(std::span<const double> values, const ExpandOptions& options,
                                     formula::Evaluator& evaluator, CompiledGames& games,
                                     Expansion& out) const {
  PARLEY_CHECK(games.game != nullptr);
  // The last evaluation's records become the spares this one fills (RecycledRecord).
  games.spare_records.swap(out.bargains);
  ExpandWith(*this, values, evaluator, out, [&] {
    GameRewriter rewriter(games.game, games.labels);
    games.next = 0;
    games.next_bargain = 0;
    games.next_payoff = 0;
    ++games.expansion;
    if (!games.remember && games.memos_filled) {
      for (BargainMemo& memo : games.bargains) memo.valid = memo.has_d = memo.has_step = false;
      for (PayoffMemo& memo : games.payoffs) memo.expr_id = static_cast<std::size_t>(-1);
    }
    games.memos_filled = games.remember;
    RunExpander(*this, evaluator, rewriter, options, out, &games);
    if (games.next != games.continuations.size()) throw model::ShapeChanged();
    out.game = rewriter.Finish();
  });
}

}  // namespace parley::scenario
