// Formulas: the one formula language of Parley (scenario files' payoffs, probabilities,
// conditions and bounds; `parley bargain --utility`), on muparser
// (https://beltoforion.de/en/muparser/). A formula is compiled once against a table of named
// values and evaluated many times, as payoffs are evaluated at every terminal history of a
// large tree.
//
// The language is muparser's (arithmetic, ^, comparisons, &&, ||, c ? a : b, min, max, abs,
// exp, log = natural logarithm, sqrt, ...) with these additions, documented in
// docs/scenario-format.md:
//   and, or, not     words for &&, || and logical negation (`not` binds like a sign: write
//                    `not (a == b)`),
//   if(c, a, b)      a when c is non-zero, else b (only the branch taken is evaluated),
//   pow(a, b)        a to the power b,
//   a % b            remainder of a / b (fmod),
//   true, false      1 and 0.
//
// Two objects, so that many threads can evaluate one compiled set of formulas:
//  * ExpressionSet: the symbols and the compiled formulas, immutable once compiled and
//    shared by every thread;
//  * Evaluator: one thread's workspace over a set: the symbols' values and a small stack.
//
// muparser checks every formula (its error messages and columns are the ones users see);
// Parley then compiles the accepted text into a flat bytecode of its own, which reproduces
// muparser's evaluation bit for bit (the same IEEE operations in the same order, including
// muparser's bytecode optimizer's rewrites such as x*x for x^2, and x*6 + 2 in one step for
// 2*(3*x+1)) at a fraction of muparser's per-call cost. A formula the
// bytecode does not cover (an assignment, several comma-separated results) is evaluated by
// muparser itself, as is one whose bytecode disagreed with muparser when it was compiled.
// One difference on purpose: where a comparison, `and`, `or`, `not` or a condition reads a NaN,
// the bytecode's value is NaN (muparser's is 0 or 1, or the branch a non-zero condition takes),
// so that a value that is not a number never turns into one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "solver/io/suggest.h"
#include "solver/model/error.h"

namespace mu {
class Parser;
}

namespace parley::formula {

namespace detail {
// One instruction of a compiled formula: a stack machine over the Evaluator's values.
enum class Op : std::uint8_t {
  kConst, kVar, kVarMul, kVarPow2, kVarPow3, kVarPow4,
  kAdd, kSub, kMul, kDiv, kPow, kLt, kGt, kLe, kGe, kEq, kNe, kAnd, kOr,
  // The same operators with the right operand a name (arg) or a constant (add), in place of
  // pushing it first: one dispatch instead of two, the same operation.
  kAddVar, kSubVar, kMulVar, kDivVar, kLtVar, kGtVar, kLeVar, kGeVar, kEqVar, kNeVar,
  kAddConst, kSubConst, kMulConst, kDivConst, kLtConst, kGtConst, kLeConst, kGeConst,
  kEqConst, kNeConst,
  kNeg, kNot, kCall1, kCall2, kSelect, kSum, kAvg, kMin, kMax,
  kIf, kElse, kEndIf,
  // An if whose condition compares a name with a name or a constant (`if(stage == action,
  // ...)`): one instruction for three (push, compare, branch), the same comparison.
  kIfEqVar, kIfNeVar, kIfEqConst, kIfNeConst,
};
struct Instruction {
  Op op = Op::kConst;
  // slot (kVar...), argument count (kSum...), jump target (kIf, kElse, the kIf... comparisons)
  std::int32_t arg = -1;
  union {
    double mul = 0;     // kVarMul: value * mul + add
    std::int32_t left;  // the kIf... comparisons: the slot compared
  };
  union {
    double add = 0;  // kConst, kVarMul, the ...Const operators (kIfEqConst, kIfNeConst too)
    double (*call1)(double);
    double (*call2)(double, double);
    std::int32_t right;  // kIfEqVar, kIfNeVar: the slot compared with
  };
};
}  // namespace detail

// The names formulas may use, each with the slot its value lives in and its initial value.
class SymbolTable {
 public:
  // Adds a name and returns its slot. The name must not be in the table yet.
  int Add(const std::string& name, double initial = 0);
  // The slot of a name, or -1.
  int Find(std::string_view name) const;
  const std::string& name(int slot) const { return names_[static_cast<std::size_t>(slot)]; }
  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<double>& initial_values() const { return initial_; }

 private:
  std::vector<std::string> names_;
  std::vector<double> initial_;
};

// A formula that does not compile. what() is the full message (formula quoted, did-you-mean);
// problem() and token() let a caller word its own message.
class CompileError : public ParseError {
 public:
  enum class Problem { kEmpty, kUnknownName, kUnknownFunction, kSyntax };
  CompileError(SourceLocation where, const std::string& message, Problem problem,
               std::string token, std::string detail)
      : ParseError(std::move(where), message), problem_(problem), token_(std::move(token)),
        detail_(std::move(detail)) {}
  Problem problem() const { return problem_; }
  const std::string& token() const { return token_; }  // the unknown name
  const std::string& detail() const { return detail_; }  // muparser's own message

 private:
  Problem problem_;
  std::string token_, detail_;
};

// One compiled formula of an ExpressionSet: its text, where the file holds it, the slots it
// reads, the code muparser checked (the words and ifs rewritten for muparser) and the
// bytecode an Evaluator runs.
class Expression {
 public:
  const std::string& text() const { return text_; }
  const SourceLocation& where() const { return where_; }
  const std::vector<int>& used_slots() const { return used_; }
  std::size_t id() const { return id_; }  // its position in its set
  // True when an Evaluator runs Parley's bytecode for it, false when muparser evaluates it.
  bool compiled() const { return !program_.empty(); }
  // True when it reads values hoisted out of it (ExpressionSet::Hoist).
  bool hoisted() const { return !residual_.empty(); }

 private:
  friend class ExpressionSet;
  friend class Evaluator;
  std::string text_, code_;
  SourceLocation where_;
  std::vector<int> used_;
  std::size_t id_ = 0;
  std::vector<detail::Instruction> program_;  // empty: evaluated by muparser
  // The program with its invariant values read from their slots (ExpressionSet::Hoist), or
  // empty where nothing was hoisted.
  std::vector<detail::Instruction> residual_;
  // The slots whose values decide which branches the program takes (the conditions' reads),
  // sorted: Evaluator::AffineIn's answer depends on no other slot's value.
  std::vector<int> control_;
};

// The symbols and every formula compiled against them. Symbols are added first (through
// mutable_symbols()); the first Add fixes them. Immutable once compiled: share it between threads.
class ExpressionSet {
 public:
  // `names_hint` ends the message about an unknown name ("; a formula can use ...").
  explicit ExpressionSet(std::string names_hint = "");
  ~ExpressionSet();
  ExpressionSet(const ExpressionSet&) = delete;
  ExpressionSet& operator=(const ExpressionSet&) = delete;

  SymbolTable& mutable_symbols();  // only before the first Add
  const SymbolTable& symbols() const { return symbols_; }

  // Compiles `text`, which the file holds at `where` (the location of its first character).
  // Throws CompileError with file:line:col on a syntax error (the column of the offending
  // token), an unknown name or function (named, with a did-you-mean) or an empty formula.
  // The result stays valid as long as the set.
  const Expression* Add(std::string text, SourceLocation where);
  std::size_t size() const { return expressions_.size(); }
  const Expression& operator[](std::size_t id) const { return *expressions_[id]; }

  // Declares the slots `invariant` lists as invariant: a caller sets them and then evaluates
  // many formulas before it sets them again (a scenario's parameters, set once per
  // expansion). Each compiled formula's largest values computed from invariant slots and
  // constants alone (two instructions or more; `revenue / share * (1 - p)` in a payoff whose
  // names are parameters) move into values of their own, each computed once per
  // Evaluator::Refresh, and the formula reads them instead. The operations and their order
  // are the formula's, so every value is the same, bit for bit. Call once, after the last Add
  // and before the first Evaluator is made.
  void Hoist(std::span<const int> invariant);
  // How many values were hoisted (counting each distinct one once).
  std::size_t hoisted_values() const { return hoisted_.size(); }

 private:
  friend class Evaluator;
  // A hoisted value: the slot it lives in (after the symbols') and the program computing it.
  struct HoistedValue {
    int slot;
    std::vector<detail::Instruction> program;
    std::vector<int> reads;  // the slots the program reads, each once
  };
  std::vector<HoistedValue> hoisted_;
  bool hoist_called_ = false;
  SymbolTable symbols_;
  std::string names_hint_;
  std::vector<std::unique_ptr<Expression>> expressions_;
  std::unique_ptr<double[]> scratch_;  // the initial values: compiling evaluates once
  std::vector<std::pair<std::string, double>> constants_;  // muparser's, for the bytecode
  std::size_t longest_program_ = 0;
};

// One thread's workspace over an ExpressionSet: the symbols' values (starting at their
// initial values) and the stack the bytecode runs on (a muparser instance only for a formula
// the bytecode does not cover). Evaluating allocates nothing; reuse one across evaluations.
class Evaluator {
 public:
  explicit Evaluator(const ExpressionSet& set);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  const ExpressionSet& set() const { return *set_; }
  double* values() { return values_.get(); }
  double& operator[](int slot) { return values_[static_cast<std::size_t>(slot)]; }
  // Every symbol back to its initial value. Until the next Refresh, formulas are evaluated
  // without their hoisted values (ExpressionSet::Hoist).
  void Reset();
  // Computes the set's hoisted values from the invariant slots' current values; from now on
  // Evaluate reads them. Call after setting the invariant slots, and again after any change
  // to one (or Reset): a hoisted value is not recomputed by itself. (Builds with assertions
  // evaluate each formula both ways and compare.)
  void Refresh();
  // The value of `e` (of this evaluator's set) under the current values, bit for bit what
  // muparser computes; NaN where muparser cannot evaluate it. Never throws.
  double Evaluate(const Expression& e);
  // The same value computed by muparser, whatever the bytecode: for tests that compare the
  // two. Slow (compiles the formula for muparser on every call).
  double EvaluateWithMuparser(const Expression& e);
  // Whether `e` is certainly affine in the slots `moving` lists, every other slot held at its
  // current value: on the branches the current values take, terms that read a listed slot are
  // only added, subtracted, negated, multiplied by or divided by terms that read none, and no
  // branch (if, a comparison, min, max, a function) depends on one. Then no branch changes as
  // the listed slots move, and the formula is affine in them everywhere. False when that cannot
  // be shown, which includes formulas muparser evaluates.
  bool AffineIn(const Expression& e, std::span<const int> moving);
  // The value Evaluate gives, and in `*read` whether computing it read one of the slots
  // `watched` lists, on the branches the current values take (for a formula muparser
  // evaluates: whether it names one). When `*read` is false the value does not depend on
  // those slots: any values of theirs give the same value, bit for bit.
  double EvaluateWatching(const Expression& e, std::span<const int> watched, bool* read);

 private:
  // Sets moving_ to `flag` at each of `slots` (checked to be this set's).
  void FlagSlots(std::span<const int> slots, unsigned char flag);

  const ExpressionSet* set_;
  std::size_t value_count_;  // the symbols' and the set's hoisted values
  std::unique_ptr<double[]> values_;  // the symbols', then the hoisted values
  bool refreshed_ = false;  // the hoisted values are those of the invariant slots
  // The bits of each hoisted value's inputs when it was last computed (in the set's order,
  // HoistedValue::reads), valid once `hoisted_known_`: Refresh computes again only the
  // values whose inputs changed (a sweep moves one parameter, which few of them read).
  std::vector<std::uint64_t> hoisted_inputs_;
  bool hoisted_known_ = false;
  std::vector<double> stack_;
  std::vector<unsigned char> degree_;  // AffineIn's degrees beside the stack
  std::vector<unsigned char> moving_;  // AffineIn's (EvaluateWatching's) slots: 1 if listed
  // Per expression: AffineIn's last answers, each with the moving slots and the bits of the
  // expression's control slots it was given for (and a hash of both, looked at first).
  static constexpr std::size_t kAffineAnswers = 16;
  struct AffineAnswer {
    std::uint64_t hash = 0;
    bool affine = false;
    std::vector<int> moving;
    std::vector<std::uint64_t> control;
  };
  struct AffineMemo {
    std::vector<AffineAnswer> answers;  // at most kAffineAnswers
    std::size_t next = 0;               // the one to write over when full
  };
  std::vector<AffineMemo> affine_memo_;
  std::vector<std::unique_ptr<mu::Parser>> parsers_;  // null where the bytecode serves
};

// The functions formulas know, and every name a formula reserves (functions, constants and
// the words and, or, not, true, false): a symbol cannot take one of these.
const std::vector<std::string>& FunctionNames();
bool IsReservedName(std::string_view name);

// True for names formulas can use: a letter or _, then letters, digits or _.
bool IsIdentifier(std::string_view name);

// The did-you-mean hint every reader gives (io/suggest.h).
using io::DidYouMean;
using io::Suggest;

}  // namespace parley::formula
