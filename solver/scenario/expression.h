// Formulas in scenario files: muparser expressions (https://beltoforion.de/en/muparser/)
// compiled once against a table of named values and evaluated many times, as payoffs are
// evaluated at every terminal history of a large tree.
//
// The language is muparser's (arithmetic, ^, comparisons, &&, ||, c ? a : b, min, max, abs,
// exp, log = natural logarithm, sqrt, ...) with these additions, documented in
// docs/scenario-format.md:
//   and, or, not     words for &&, || and logical negation (`not` binds like a sign: write
//                    `not (a == b)`),
//   if(c, a, b)      a when c is non-zero, else b,
//   pow(a, b)        a to the power b,
//   a % b            remainder of a / b (fmod),
//   true, false      1 and 0.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "solver/model/error.h"

namespace mu {
class Parser;
}

namespace parley::scenario {

// The names formulas may use and the array their values live in. Names are added first; then
// Freeze() allocates the array once, so that compiled formulas can hold pointers into it.
class SymbolTable {
 public:
  // What a name stands for (used to check, e.g., that a loop bound uses parameters only).
  enum class Kind { kParameter, kStage, kComputed, kLoop, kLabel };

  // Adds a name and returns its slot. The name must not be in the table yet.
  int Add(const std::string& name, Kind kind, double initial = 0);
  // The slot of a name, or -1.
  int Find(std::string_view name) const;
  const std::string& name(int slot) const { return names_[slot]; }
  Kind kind(int slot) const { return kinds_[slot]; }
  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }

  void Freeze();
  bool frozen() const { return values_ != nullptr; }
  double* values() { return values_.get(); }
  const double* values() const { return values_.get(); }
  double& operator[](int slot) { return values_[slot]; }

 private:
  std::vector<std::string> names_;
  std::vector<Kind> kinds_;
  std::vector<double> initial_;
  std::unique_ptr<double[]> values_;
};

// One compiled formula. Not copyable (muparser holds pointers into the symbol table).
class Expression {
 public:
  // Compiles `text`, which the file holds at `where` (the location of its first character),
  // against `symbols` (frozen). Throws ParseError with file:line:col on a syntax error (the
  // column of the offending token) or an unknown name (named, with a did-you-mean).
  Expression(std::string text, SourceLocation where, SymbolTable& symbols);
  ~Expression();
  Expression(const Expression&) = delete;
  Expression& operator=(const Expression&) = delete;

  // The value under the current contents of the symbol table. Never throws.
  double Evaluate() const;
  const std::string& text() const { return text_; }
  const SourceLocation& where() const { return where_; }
  // The slots the formula reads.
  const std::vector<int>& used_slots() const { return used_; }

 private:
  std::string text_;
  SourceLocation where_;
  std::unique_ptr<mu::Parser> parser_;
  std::vector<int> used_;
};

// The candidate closest to `word` by edit distance, or "" when none is close enough to be a
// plausible typo.
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// True for names formulas can use: a letter or _, then letters, digits or _.
bool IsIdentifier(std::string_view name);

}  // namespace parley::scenario
