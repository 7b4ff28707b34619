#include "solver/scenario/expression.h"

#include <muParser.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

namespace parley::scenario {
namespace {

double IfThenElse(double c, double a, double b) { return c != 0 ? a : b; }
double Not(double x) { return x == 0 ? 1.0 : 0.0; }
double Pow(double a, double b) { return std::pow(a, b); }
double Mod(double a, double b) { return std::fmod(a, b); }
double NaturalLog(double x) { return std::log(x); }

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

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

const std::vector<std::string>& FunctionNames() {
  static const std::vector<std::string> names{
      "if", "min", "max", "abs", "exp", "log", "ln", "sqrt", "pow", "sum", "avg",
      "sign", "rint", "sin", "cos", "tan", "log2", "log10"};
  return names;
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

int SymbolTable::Add(const std::string& name, Kind kind, double initial) {
  PARLEY_CHECK(!frozen());
  PARLEY_CHECK(Find(name) < 0);
  names_.push_back(name);
  kinds_.push_back(kind);
  initial_.push_back(initial);
  return static_cast<int>(names_.size()) - 1;
}

int SymbolTable::Find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<int>(i);
  return -1;
}

void SymbolTable::Freeze() {
  PARLEY_CHECK(!frozen());
  values_ = std::make_unique<double[]>(std::max<std::size_t>(names_.size(), 1));
  for (std::size_t i = 0; i < names_.size(); ++i) values_[i] = initial_[i];
}

Expression::Expression(std::string text, SourceLocation where, SymbolTable& symbols)
    : text_(std::move(text)), where_(std::move(where)), parser_(std::make_unique<mu::Parser>()) {
  PARLEY_CHECK(symbols.frozen());
  std::string trimmed = text_;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back())))
    trimmed.pop_back();
  if (trimmed.empty()) throw ParseError(where_, "empty formula; write a number or an expression");
  std::string code = Substitute(text_);
  try {
    mu::Parser& p = *parser_;
    p.DefineFun("if", IfThenElse);
    p.DefineFun("pow", Pow);
    p.DefineFun("log", NaturalLog);
    p.DefineInfixOprt("!", Not);
    p.DefineOprt("%", Mod, mu::prMUL_DIV);
    p.DefineConst("true", 1.0);
    p.DefineConst("false", 0.0);
    for (std::size_t i = 0; i < symbols.size(); ++i)
      p.DefineVar(symbols.name(static_cast<int>(i)), symbols.values() + i);
    p.SetExpr(code);
    // muparser compiles on first evaluation; do it now so that errors surface here.
    (void)p.Eval();
    for (const auto& [name, pointer] : p.GetUsedVar()) {
      int slot = static_cast<int>(pointer - symbols.values());
      if (slot >= 0 && static_cast<std::size_t>(slot) < symbols.size()) used_.push_back(slot);
    }
    std::sort(used_.begin(), used_.end());
    // The same formula with lazy ifs, for evaluation (kept only if it compiles and agrees).
    std::string lazy = LazyIfs(code);
    if (lazy != code) {
      try {
        auto fast = std::make_unique<mu::Parser>();
        fast->DefineFun("if", IfThenElse);
        fast->DefineFun("pow", Pow);
        fast->DefineFun("log", NaturalLog);
        fast->DefineInfixOprt("!", Not);
        fast->DefineOprt("%", Mod, mu::prMUL_DIV);
        fast->DefineConst("true", 1.0);
        fast->DefineConst("false", 0.0);
        for (std::size_t i = 0; i < symbols.size(); ++i)
          fast->DefineVar(symbols.name(static_cast<int>(i)), symbols.values() + i);
        fast->SetExpr(lazy);
        double a = fast->Eval(), b = p.Eval();
        if (a == b || (std::isnan(a) && std::isnan(b)) || std::isnan(b)) parser_ = std::move(fast);
      } catch (const mu::Parser::exception_type&) {
        // keep the formula as written
      }
    }
  } catch (const mu::Parser::exception_type& e) {
    std::size_t pos = e.GetPos() == static_cast<int>(-1) ? 0 : static_cast<std::size_t>(e.GetPos());
    SourceLocation at = Offset(where_, text_, pos);
    std::string token = TruncateForMessage(e.GetToken(), 40);
    std::string shown = "in formula '" + TruncateForMessage(trimmed, 80) + "'";
    if (e.GetCode() == mu::ecUNASSIGNABLE_TOKEN && IsIdentifier(token)) {
      std::size_t after = pos + token.size();
      while (after < code.size() && code[after] == ' ') ++after;
      if (after < code.size() && code[after] == '(')
        throw ParseError(at, "unknown function '" + token + "' " + shown +
                                 DidYouMean(token, FunctionNames()) +
                                 "; the functions are if, min, max, abs, exp, log, sqrt, pow");
      std::vector<std::string> candidates = symbols.names();
      throw ParseError(at, "undefined name '" + token + "' " + shown +
                               DidYouMean(token, candidates) +
                               "; a formula can use parameters, stage names, computed "
                               "variables and action labels");
    }
    std::string message = e.GetMsg();
    // muparser's messages end with " at position N." which the file:line:col replaces.
    auto cut = message.find(" at position");
    if (cut != std::string::npos) message.erase(cut);
    if (!message.empty() && message.back() == '.') message.pop_back();
    throw ParseError(at, "syntax error " + shown + ": " + message);
  }
}

Expression::~Expression() = default;

double Expression::Evaluate() const { return parser_->Eval(); }

bool IsIdentifier(std::string_view name) {
  if (name.empty()) return false;
  if (!(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(), IsNameChar);
}

std::string Suggest(std::string_view word, const std::vector<std::string>& candidates) {
  // Levenshtein distance, case-insensitive; accept up to a third of the word's length.
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;
  std::vector<std::size_t> row, prev;
  for (const std::string& c : candidates) {
    if (c == word || c.empty()) continue;
    prev.resize(c.size() + 1);
    row.resize(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      row[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        std::size_t cost = lower(word[i - 1]) == lower(c[j - 1]) ? 0 : 1;
        row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      }
      std::swap(row, prev);
    }
    if (prev[c.size()] < best_distance) {
      best_distance = prev[c.size()];
      best = c;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string s = Suggest(word, candidates);
  return s.empty() ? "" : " (did you mean '" + s + "'?)";
}

}  // namespace parley::scenario
