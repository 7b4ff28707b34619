#include "solver/formula/formula.h"

#include <muParser.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace parley::formula {
namespace {

double IfThenElse(double c, double a, double b) { return c != 0 ? a : b; }
double Not(double x) { return x == 0 ? 1.0 : 0.0; }
double Pow(double a, double b) { return std::pow(a, b); }
double Mod(double a, double b) { return std::fmod(a, b); }
double NaturalLog(double x) { return std::log(x); }

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A parser with the language's additions to muparser's functions and operators.
std::unique_ptr<mu::Parser> MakeParser() {
  auto p = std::make_unique<mu::Parser>();
  p->DefineFun("if", IfThenElse);
  p->DefineFun("pow", Pow);
  p->DefineFun("log", NaturalLog);
  p->DefineInfixOprt("!", Not);
  p->DefineOprt("%", Mod, mu::prMUL_DIV);
  p->DefineConst("true", 1.0);
  p->DefineConst("false", 0.0);
  return p;
}

// Replaces the words and/or/not by muparser's operators, keeping every character's column
// (so that muparser's error positions are positions in the text the user wrote).
std::string Substitute(const std::string& text) {
  std::string out = text;
  std::size_t i = 0;
  while (i < out.size()) {
    if (!IsNameChar(out[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < out.size() && IsNameChar(out[j])) ++j;
    std::string_view word(out.data() + i, j - i);
    bool starts_word = !std::isdigit(static_cast<unsigned char>(out[i]));
    if (starts_word) {
      if (word == "and") out.replace(i, 3, "&& ");
      else if (word == "or") out.replace(i, 2, "||");
      else if (word == "not") out.replace(i, 3, "!  ");
    }
    i = j;
  }
  return out;
}

// Rewrites if(c, a, b) as ((c)?(a):(b)): muparser evaluates every argument of a function,
// but only the taken branch of its ternary operator, which matters for nested ifs. Used only
// for evaluation, after the formula as written compiled (so error columns stay the user's).
std::string LazyIfs(const std::string& text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    bool word_start = IsNameChar(text[i]) && (i == 0 || !IsNameChar(text[i - 1]));
    if (word_start && text.compare(i, 2, "if") == 0 && (i + 2 >= text.size() || !IsNameChar(text[i + 2]))) {
      std::size_t open = i + 2;
      while (open < text.size() && text[open] == ' ') ++open;
      if (open < text.size() && text[open] == '(') {
        // Split the arguments at top-level commas.
        std::vector<std::string> args(1);
        int depth = 0;
        std::size_t k = open + 1;
        for (; k < text.size(); ++k) {
          char c = text[k];
          if (c == '(') ++depth;
          if (c == ')') {
            if (depth == 0) break;
            --depth;
          }
          if (c == ',' && depth == 0) {
            args.emplace_back();
            continue;
          }
          args.back() += c;
        }
        if (k < text.size() && args.size() == 3) {
          out += "((" + LazyIfs(args[0]) + ")?(" + LazyIfs(args[1]) + "):(" + LazyIfs(args[2]) + "))";
          i = k + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

// 1-based line and column of character `offset` of a formula found at `where`.
SourceLocation Offset(const SourceLocation& where, const std::string& text, std::size_t offset) {
  SourceLocation at = where;
  if (at.line == 0) return at;
  offset = std::min(offset, text.size());
  for (std::size_t k = 0; k < offset; ++k) {
    if (text[k] == '\n') {
      ++at.line;
      at.column = 1;
    } else if (at.column > 0) {
      ++at.column;
    }
  }
  return at;
}

}  // namespace

const std::vector<std::string>& FunctionNames() {
  // muparser's built-in functions and the language's own (if, pow; log is redefined).
  static const std::vector<std::string> names{
      "if",  "min",  "max",  "abs",  "exp",   "log",   "ln",    "sqrt",  "pow",   "sum",
      "avg", "sign", "rint", "sin",  "cos",   "tan",   "asin",  "acos",  "atan",  "sinh",
      "cosh", "tanh", "asinh", "acosh", "atanh", "log2", "log10"};
  return names;
}

bool IsReservedName(std::string_view name) {
  static const std::vector<std::string> words{"and", "or", "not", "true", "false", "_pi", "_e"};
  const auto& functions = FunctionNames();
  return std::find(words.begin(), words.end(), name) != words.end() ||
         std::find(functions.begin(), functions.end(), name) != functions.end();
}

int SymbolTable::Add(const std::string& name, double initial) {
  PARLEY_CHECK(Find(name) < 0);
  names_.push_back(name);
  initial_.push_back(initial);
  return static_cast<int>(names_.size()) - 1;
}

int SymbolTable::Find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<int>(i);
  return -1;
}

ExpressionSet::ExpressionSet(std::string names_hint) : names_hint_(std::move(names_hint)) {}
ExpressionSet::~ExpressionSet() = default;

SymbolTable& ExpressionSet::mutable_symbols() {
  PARLEY_CHECK(!scratch_);
  return symbols_;
}

const Expression* ExpressionSet::Add(std::string text, SourceLocation where) {
  if (!scratch_) {
    scratch_ = std::make_unique<double[]>(std::max<std::size_t>(symbols_.size(), 1));
    std::copy(symbols_.initial_values().begin(), symbols_.initial_values().end(), scratch_.get());
  }
  auto e = std::make_unique<Expression>();
  e->text_ = std::move(text);
  e->where_ = std::move(where);
  e->id_ = expressions_.size();
  const std::string& original = e->text_;
  std::string trimmed = original;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back())))
    trimmed.pop_back();
  if (trimmed.empty())
    throw CompileError(e->where_, "empty formula; write a number or an expression",
                       CompileError::Problem::kEmpty, "", "");
  std::string code = Substitute(original);
  double* values = scratch_.get();
  try {
    auto parser = MakeParser();
    for (std::size_t i = 0; i < symbols_.size(); ++i)
      parser->DefineVar(symbols_.name(static_cast<int>(i)), values + i);
    parser->SetExpr(code);
    // muparser compiles on first evaluation; do it now so that errors surface here.
    double as_written = parser->Eval();
    for (const auto& [name, pointer] : parser->GetUsedVar()) {
      auto slot = pointer - values;
      if (slot >= 0 && static_cast<std::size_t>(slot) < symbols_.size())
        e->used_.push_back(static_cast<int>(slot));
    }
    std::sort(e->used_.begin(), e->used_.end());
    e->code_ = code;
    // The same formula with lazy ifs, for evaluation (kept only if it compiles and agrees).
    std::string lazy = LazyIfs(code);
    if (lazy != code) {
      try {
        auto fast = MakeParser();
        for (int slot : e->used_) fast->DefineVar(symbols_.name(slot), values + slot);
        fast->SetExpr(lazy);
        double a = fast->Eval();
        if (a == as_written || (std::isnan(a) && std::isnan(as_written)) || std::isnan(as_written))
          e->code_ = lazy;
      } catch (const mu::Parser::exception_type&) {
        // keep the formula as written
      }
    }
  } catch (const mu::Parser::exception_type& error) {
    std::size_t pos =
        error.GetPos() == static_cast<int>(-1) ? 0 : static_cast<std::size_t>(error.GetPos());
    SourceLocation at = Offset(e->where_, original, pos);
    std::string token = TruncateForMessage(error.GetToken(), 40);
    std::string shown = "in formula '" + TruncateForMessage(trimmed, 80) + "'";
    if (error.GetCode() == mu::ecUNASSIGNABLE_TOKEN && IsIdentifier(token)) {
      std::size_t after = pos + token.size();
      while (after < code.size() && code[after] == ' ') ++after;
      if (after < code.size() && code[after] == '(')
        throw CompileError(at,
                           "unknown function '" + token + "' " + shown +
                               DidYouMean(token, FunctionNames()) +
                               "; the functions are if, min, max, abs, exp, log, sqrt, pow",
                           CompileError::Problem::kUnknownFunction, token, error.GetMsg());
      throw CompileError(at,
                         "undefined name '" + token + "' " + shown +
                             DidYouMean(token, symbols_.names()) + names_hint_,
                         CompileError::Problem::kUnknownName, token, error.GetMsg());
    }
    std::string message = error.GetMsg();
    // muparser's messages end with " at position N." which the file:line:col replaces.
    auto cut = message.find(" at position");
    if (cut != std::string::npos) message.erase(cut);
    if (!message.empty() && message.back() == '.') message.pop_back();
    throw CompileError(at, "syntax error " + shown + ": " + message,
                       CompileError::Problem::kSyntax, token, error.GetMsg());
  }
  expressions_.push_back(std::move(e));
  return expressions_.back().get();
}

Evaluator::Evaluator(const ExpressionSet& set)
    : set_(&set), values_(std::make_unique<double[]>(std::max<std::size_t>(set.symbols().size(), 1))) {
  Reset();
  parsers_.reserve(set.size());
  for (std::size_t id = 0; id < set.size(); ++id) {
    const Expression& e = set[id];
    auto parser = MakeParser();
    for (int slot : e.used_) parser->DefineVar(set.symbols().name(slot), values_.get() + slot);
    parser->SetExpr(e.code_);
    parsers_.push_back(std::move(parser));
  }
}

Evaluator::~Evaluator() = default;

void Evaluator::Reset() {
  const auto& initial = set_->symbols().initial_values();
  std::copy(initial.begin(), initial.end(), values_.get());
}

double Evaluator::Evaluate(const Expression& e) {
  // (That `e` belongs to this evaluator's set is checked once per use by its callers, e.g.
  // for a whole expansion; here only the bound, on the hot path.)
  PARLEY_CHECK(e.id_ < parsers_.size());
  try {
    return parsers_[e.id_]->Eval();
  } catch (const mu::Parser::exception_type&) {
    return std::numeric_limits<double>::quiet_NaN();
  }
}

bool IsIdentifier(std::string_view name) {
  if (name.empty()) return false;
  if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(), IsNameChar);
}

}  // namespace parley::formula
