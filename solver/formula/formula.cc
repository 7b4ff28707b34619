#include "solver/formula/formula.h"

#include <muParser.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <numbers>
#include <unordered_map>

#include "solver/model/number.h"

namespace parley::formula {
namespace {

double IfThenElse(double c, double a, double b) { return c != 0 ? a : b; }
double Not(double x) { return x == 0 ? 1.0 : 0.0; }
double Pow(double a, double b) { return std::pow(a, b); }
double Mod(double a, double b) { return std::fmod(a, b); }
double NaturalLog(double x) { return std::log(x); }

// min and max of one or more values, NaN when any is NaN. muparser's start from the first
// and compare with std::min and std::max, so a NaN was kept only as the first argument:
// max(1, 0/0) was 1 and max(0/0, 1) NaN. The bytecode does the same as these (MinMax).
double MinMax(bool is_min, const double* values, int n) {
  double m = values[0];
  for (int k = 0; k < n; ++k) {
    if (std::isnan(values[k])) return values[k];
    m = is_min ? std::min(m, values[k]) : std::max(m, values[k]);
  }
  return m;
}
double Min(const double* values, int n) { return MinMax(true, values, n); }
double Max(const double* values, int n) { return MinMax(false, values, n); }
// Not muparser's sign either, whose sign of NaN is 0, a number.
double SignNan(double v) { return (v < 0) ? -1 : (v > 0) ? 1 : (v == 0) ? 0 : v; }

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A parser with the language's additions to muparser's functions and operators.
std::unique_ptr<mu::Parser> MakeParser() {
  auto p = std::make_unique<mu::Parser>();
  p->DefineFun("if", IfThenElse);
  p->DefineFun("pow", Pow);
  p->DefineFun("log", NaturalLog);
  p->DefineFun("min", Min);
  p->DefineFun("max", Max);
  p->DefineFun("sign", SignNan);
  p->DefineInfixOprt("!", Not);
  p->DefineOprt("%", Mod, mu::prMUL_DIV);
  p->DefineConst("true", 1.0);
  p->DefineConst("false", 0.0);
  // muparser's own _pi is 3.141592653589 when built with GCC (to speed up sin); Parley's is
  // the double nearest pi, as its _e is the double nearest e.
  p->DefineConst("_pi", std::numbers::pi);
  return p;
}

// A parser of `code` that reads the slots `used` of `values` (by their names in `symbols`).
std::unique_ptr<mu::Parser> BoundParser(const SymbolTable& symbols, const std::vector<int>& used,
                                        double* values, const std::string& code) {
  auto p = MakeParser();
  for (int slot : used) p->DefineVar(symbols.name(slot), values + slot);
  p->SetExpr(code);
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

// The bytecode compiler. It runs on text muparser has accepted and follows muparser 2.3's
// shunting-yard algorithm step for step (the same precedences, associativities and order of
// emission), and applies the same rewrites muparser's bytecode optimizer applies as each
// token is emitted, since those rewrites change results in the last bit (x^2 is x*x, 3*(x*2)
// is x*6 + 0, constants are folded, `&&` of two constants truncates them to integers).
// Anything it does not recognise makes Compile return false: muparser then evaluates.
namespace compiler {

using detail::Instruction;
using detail::Op;

// The functions and operators that become calls in muparser's bytecode.
enum class Fn {
  kNeg, kPlus, kNot, kMod, kIf, kPow, kAtan2, kSum, kAvg, kMin, kMax,
  kSin, kCos, kTan, kAsin, kAcos, kAtan, kSinh, kCosh, kTanh, kAsinh, kAcosh, kAtanh,
  kLog2, kLog10, kLog, kExp, kSqrt, kSign, kRint, kAbs,
};

// muparser's definitions of its built-in functions (MathImpl), written out.
double Sin(double v) { return std::sin(v); }
double Cos(double v) { return std::cos(v); }
double Tan(double v) { return std::tan(v); }
double Asin(double v) { return std::asin(v); }
double Acos(double v) { return std::acos(v); }
double Atan(double v) { return std::atan(v); }
double Sinh(double v) { return std::sinh(v); }
double Cosh(double v) { return std::cosh(v); }
double Tanh(double v) { return std::tanh(v); }
double Asinh(double v) { return std::log(v + std::sqrt(v * v + 1)); }
double Acosh(double v) { return std::log(v + std::sqrt(v * v - 1)); }
double Atanh(double v) { return 0.5 * std::log((1 + v) / (1 - v)); }
double Log2(double v) { return std::log(v) / std::log(2.0); }
double Log10(double v) { return std::log10(v); }
double Exp(double v) { return std::exp(v); }
double Sqrt(double v) { return std::sqrt(v); }
double Sign(double v) { return SignNan(v); }
double Rint(double v) { return std::floor(v + 0.5); }
double Abs(double v) { return (v >= 0) ? v : -v; }
double Atan2(double a, double b) { return std::atan2(a, b); }

struct FunctionInfo {
  const char* name;
  Fn fn;
  int arity;  // -1: any number of arguments (at least one)
  double (*call1)(double);
  double (*call2)(double, double);
};

constexpr FunctionInfo kFunctions[] = {
    {"if", Fn::kIf, 3, nullptr, nullptr},       {"pow", Fn::kPow, 2, nullptr, Pow},
    {"atan2", Fn::kAtan2, 2, nullptr, Atan2},   {"sum", Fn::kSum, -1, nullptr, nullptr},
    {"avg", Fn::kAvg, -1, nullptr, nullptr},    {"min", Fn::kMin, -1, nullptr, nullptr},
    {"max", Fn::kMax, -1, nullptr, nullptr},    {"sin", Fn::kSin, 1, Sin, nullptr},
    {"cos", Fn::kCos, 1, Cos, nullptr},         {"tan", Fn::kTan, 1, Tan, nullptr},
    {"asin", Fn::kAsin, 1, Asin, nullptr},      {"acos", Fn::kAcos, 1, Acos, nullptr},
    {"atan", Fn::kAtan, 1, Atan, nullptr},      {"sinh", Fn::kSinh, 1, Sinh, nullptr},
    {"cosh", Fn::kCosh, 1, Cosh, nullptr},      {"tanh", Fn::kTanh, 1, Tanh, nullptr},
    {"asinh", Fn::kAsinh, 1, Asinh, nullptr},   {"acosh", Fn::kAcosh, 1, Acosh, nullptr},
    {"atanh", Fn::kAtanh, 1, Atanh, nullptr},   {"log2", Fn::kLog2, 1, Log2, nullptr},
    {"log10", Fn::kLog10, 1, Log10, nullptr},   {"log", Fn::kLog, 1, NaturalLog, nullptr},
    {"ln", Fn::kLog, 1, NaturalLog, nullptr},   {"exp", Fn::kExp, 1, Exp, nullptr},
    {"sqrt", Fn::kSqrt, 1, Sqrt, nullptr},      {"sign", Fn::kSign, 1, Sign, nullptr},
    {"rint", Fn::kRint, 1, Rint, nullptr},      {"abs", Fn::kAbs, 1, Abs, nullptr},
};

const FunctionInfo* FindFunction(std::string_view name) {
  for (const auto& f : kFunctions)
    if (name == f.name) return &f;
  return nullptr;
}

// The value of a call whose arguments are all constants (muparser folds those).
double Fold(const FunctionInfo& f, const double* args) {
  switch (f.fn) {
    case Fn::kNeg: return -args[0];
    case Fn::kPlus: return args[0];
    // A decision on a NaN is NaN (Interpret's rule).
    case Fn::kNot: return std::isnan(args[0]) ? args[0] : Not(args[0]);
    case Fn::kMod: return Mod(args[0], args[1]);
    case Fn::kIf: return std::isnan(args[0]) ? args[0] : IfThenElse(args[0], args[1], args[2]);
    default: break;
  }
  if (f.call1) return f.call1(args[0]);
  return f.call2(args[0], args[1]);
}

// C++'s (int)x is non-zero: what muparser's folding of `&&` and `||` tests. x86's conversion
// gives INT_MIN (non-zero) for NaN and out-of-range values.
bool IntegerTruth(double x) { return !(std::fabs(x) < 1.0); }

constexpr FunctionInfo kNegInfo{"-", Fn::kNeg, 1, nullptr, nullptr};
constexpr FunctionInfo kPlusInfo{"+", Fn::kPlus, 1, nullptr, nullptr};
constexpr FunctionInfo kNotInfo{"!", Fn::kNot, 1, nullptr, nullptr};
constexpr FunctionInfo kModInfo{"%", Fn::kMod, 2, nullptr, Mod};

// Operator codes as muparser compares them (same code: associativity decides).
enum class Code { kLe, kGe, kNe, kEq, kLt, kGt, kAdd, kSub, kMul, kDiv, kPow, kAnd, kOr,
                  kBracket, kIf, kElse, kBinary, kInfix, kFunction };

struct Pending {
  Code code;
  int precedence = 0;
  const FunctionInfo* function = nullptr;  // kBinary, kInfix, kFunction
};

// An if: the plain one and the fused comparisons.
bool IsIf(Op op) {
  return op == Op::kIf || op == Op::kIfEqVar || op == Op::kIfNeVar || op == Op::kIfEqConst ||
         op == Op::kIfNeConst;
}

// The instruction that applies `op` to a name (`name`) or a constant pushed just before it, or
// `op` itself where there is none.
Op Fused(Op op, bool name) {
  switch (op) {
    case Op::kAdd: return name ? Op::kAddVar : Op::kAddConst;
    case Op::kSub: return name ? Op::kSubVar : Op::kSubConst;
    case Op::kMul: return name ? Op::kMulVar : Op::kMulConst;
    case Op::kDiv: return name ? Op::kDivVar : Op::kDivConst;
    case Op::kLt: return name ? Op::kLtVar : Op::kLtConst;
    case Op::kGt: return name ? Op::kGtVar : Op::kGtConst;
    case Op::kLe: return name ? Op::kLeVar : Op::kLeConst;
    case Op::kGe: return name ? Op::kGeVar : Op::kGeConst;
    case Op::kEq: return name ? Op::kEqVar : Op::kEqConst;
    case Op::kNe: return name ? Op::kNeVar : Op::kNeConst;
    default: return op;
  }
}

// Whether an instruction reads the slot in its arg (a name pushed, or a fused operand).
bool ReadsSlot(Op op) {
  switch (op) {
    case Op::kVar: case Op::kVarMul: case Op::kVarPow2: case Op::kVarPow3: case Op::kVarPow4:
    case Op::kAddVar: case Op::kSubVar: case Op::kMulVar: case Op::kDivVar: case Op::kLtVar:
    case Op::kGtVar: case Op::kLeVar: case Op::kGeVar: case Op::kEqVar: case Op::kNeVar:
      return true;
    default:
      return false;
  }
}

constexpr int kPrecOr = 1, kPrecAnd = 2, kPrecCompare = 4, kPrecAdd = 5, kPrecMul = 6,
              kPrecPow = 7, kPrecInfix = 6;

class Compiler {
 public:
  Compiler(const SymbolTable& symbols, const std::vector<std::pair<std::string, double>>& constants)
      : symbols_(symbols), constants_(constants) {}

  // The bytecode of `text`, or false where it is not covered.
  bool Compile(const std::string& text, std::vector<Instruction>& program) {
    rpn_.clear();
    args_.assign(1, 1);
    if (!Parse(text)) return false;
    if (args_.size() != 1 || args_.back() != 1 || rpn_.empty()) return false;
    FuseOperands();
    return Finish(program);
  }

 private:
  static bool IsOperatorBreak(const Pending& p) {
    return p.code == Code::kBracket || p.code == Code::kElse || p.code == Code::kIf;
  }

  bool Parse(const std::string& s) {
    std::size_t i = 0;
    bool operand = true;  // an operand (or a sign) comes next
    bool after_open = false;
    int ifs = 0;
    for (;;) {
      while (i < s.size() && s[i] > 0 && s[i] <= 0x20) ++i;
      bool open_before = after_open;
      after_open = false;
      if (i >= s.size()) {
        if (!ApplyRemaining()) return false;
        return ops_.empty() && ifs == 0;
      }
      char c = s[i];
      auto next = [&](std::size_t k) { return i + k < s.size() ? s[i + k] : '\0'; };
      if (c == '%') {
        if (operand) return false;
        if (!Binary({Code::kBinary, kPrecMul, &kModInfo})) return false;
        ++i;
        operand = true;
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        std::size_t j = i;
        while (j < s.size() && IsNameChar(s[j])) ++j;
        std::string_view name(s.data() + i, j - i);
        if (!operand) return false;
        if (j < s.size() && s[j] == '(') {
          const FunctionInfo* f = FindFunction(name);
          if (!f) return false;
          ops_.push_back({Code::kFunction, 0, f});
          i = j;
          continue;  // '(' follows
        }
        auto constant = std::find_if(constants_.begin(), constants_.end(),
                                     [&](const auto& k) { return k.first == name; });
        if (constant != constants_.end()) {
          AddVal(constant->second);
        } else {
          int slot = symbols_.Find(name);
          if (slot < 0) return false;
          AddVar(slot);
        }
        i = j;
        operand = false;
        continue;
      }
      if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
        if (!operand) return false;
        std::size_t j = i;
        bool digits = false;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j, digits = true;
        if (j < s.size() && s[j] == '.') {
          ++j;
          while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j, digits = true;
        }
        if (!digits) return false;
        if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
          std::size_t k = j + 1;
          if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
          if (k >= s.size() || !std::isdigit(static_cast<unsigned char>(s[k]))) return false;
          while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
          j = k;
        }
        if (j < s.size() && (IsNameChar(s[j]) || s[j] == '.')) return false;
        std::string number(s, i, j - i);
        char* end = nullptr;
        double value = ReadDouble(number.c_str(), &end);
        if (end != number.c_str() + number.size()) return false;
        AddVal(value);
        i = j;
        operand = false;
        continue;
      }
      // Built-in operators, longest first where they share a character (muparser's order).
      struct Builtin { const char* text; Code code; int precedence; };
      static constexpr Builtin kBuiltins[] = {
          {"<=", Code::kLe, kPrecCompare}, {">=", Code::kGe, kPrecCompare},
          {"!=", Code::kNe, kPrecCompare}, {"==", Code::kEq, kPrecCompare},
          {"<", Code::kLt, kPrecCompare},  {">", Code::kGt, kPrecCompare},
          {"+", Code::kAdd, kPrecAdd},     {"-", Code::kSub, kPrecAdd},
          {"*", Code::kMul, kPrecMul},     {"/", Code::kDiv, kPrecMul},
          {"^", Code::kPow, kPrecPow},     {"&&", Code::kAnd, kPrecAnd},
          {"||", Code::kOr, kPrecOr}};
      const Builtin* builtin = nullptr;
      for (const auto& b : kBuiltins) {
        std::size_t n = std::char_traits<char>::length(b.text);
        if (s.compare(i, n, b.text) == 0) {
          builtin = &b;
          break;
        }
      }
      if (builtin && !operand) {
        bool arithmetic = c == '+' || c == '-' || c == '*' || c == '/';
        if (arithmetic && std::char_traits<char>::length(builtin->text) == 1 && next(1) == '=')
          return false;  // an assignment operator
        if (!Binary({builtin->code, builtin->precedence, nullptr})) return false;
        i += std::char_traits<char>::length(builtin->text);
        operand = true;
        continue;
      }
      if (operand && (c == '-' || c == '+' || c == '!')) {
        if (c == '!' && next(1) == '=') return false;
        const FunctionInfo* sign = c == '-' ? &kNegInfo : c == '+' ? &kPlusInfo : &kNotInfo;
        ops_.push_back({Code::kInfix, kPrecInfix, sign});
        ++i;
        continue;
      }
      if (builtin) return false;
      switch (c) {
        case '(':
          if (!operand) return false;
          args_.push_back(1);
          ops_.push_back({Code::kBracket, 0, nullptr});
          after_open = true;
          ++i;
          continue;
        case ')': {
          if (open_before) --args_.back();
          if (!ApplyRemaining()) return false;
          if (ops_.empty() || ops_.back().code != Code::kBracket || args_.size() < 2) return false;
          int count = args_.back();
          args_.pop_back();
          ops_.pop_back();
          bool function = !ops_.empty() && ops_.back().code == Code::kFunction;
          if (count > 1 && !function) return false;
          if (function && !ApplyFunction(count)) return false;
          if (!function && count != 1) return false;
          ++i;
          operand = false;
          continue;
        }
        case ',':
          if (operand || ops_.empty() || ops_.back().code == Code::kIf) return false;
          ++args_.back();
          if (!ApplyRemaining()) return false;
          ++i;
          operand = true;
          continue;
        case '?':
          if (operand) return false;
          ++ifs;
          args_.push_back(1);
          if (!Binary({Code::kIf, 0, nullptr})) return false;
          ++i;
          operand = true;
          continue;
        case ':':
          if (operand || args_.size() < 2 || args_.back() > 1 || --ifs < 0) return false;
          args_.pop_back();
          if (!ApplyRemaining()) return false;
          EmitOp(Op::kElse);
          ops_.push_back({Code::kElse, 0, nullptr});
          ++i;
          operand = true;
          continue;
        default:
          return false;  // '=', strings, anything else
      }
    }
  }

  // A binary operator (or `?`) arrives: apply what binds at least as tightly, then wait.
  bool Binary(const Pending& incoming) {
    while (!ops_.empty() && !IsOperatorBreak(ops_.back())) {
      const Pending& top = ops_.back();
      if (top.code == incoming.code) {
        bool right = incoming.code == Code::kPow;
        if ((right && top.precedence <= incoming.precedence) ||
            (!right && top.precedence < incoming.precedence))
          break;
      } else if (top.precedence < incoming.precedence) {
        break;
      }
      if (!ApplyTop()) return false;
    }
    if (incoming.code == Code::kIf) EmitOp(Op::kIf);
    ops_.push_back(incoming);
    return true;
  }

  bool ApplyTop() {
    Pending top = ops_.back();
    ops_.pop_back();
    switch (top.code) {
      case Code::kInfix: return AddFun(*top.function, 1);
      case Code::kBinary: return AddFun(*top.function, 2);
      case Code::kLe: return AddOp(Op::kLe);
      case Code::kGe: return AddOp(Op::kGe);
      case Code::kNe: return AddOp(Op::kNe);
      case Code::kEq: return AddOp(Op::kEq);
      case Code::kLt: return AddOp(Op::kLt);
      case Code::kGt: return AddOp(Op::kGt);
      case Code::kAdd: return AddOp(Op::kAdd);
      case Code::kSub: return AddOp(Op::kSub);
      case Code::kMul: return AddOp(Op::kMul);
      case Code::kDiv: return AddOp(Op::kDiv);
      case Code::kPow: return AddOp(Op::kPow);
      case Code::kAnd: return AddOp(Op::kAnd);
      case Code::kOr: return AddOp(Op::kOr);
      default: return false;
    }
  }

  bool ApplyRemaining() {
    while (!ops_.empty() && ops_.back().code != Code::kBracket && ops_.back().code != Code::kIf) {
      if (ops_.back().code == Code::kElse) {
        while (!ops_.empty() && ops_.back().code == Code::kElse) {
          ops_.pop_back();
          if (ops_.empty() || ops_.back().code != Code::kIf) return false;
          ops_.pop_back();
          EmitOp(Op::kEndIf);
        }
        continue;
      }
      if (ops_.back().code == Code::kFunction) return false;
      if (!ApplyTop()) return false;
    }
    return true;
  }

  bool ApplyFunction(int count) {
    const FunctionInfo& f = *ops_.back().function;
    ops_.pop_back();
    if (f.arity >= 0 ? count != f.arity : count < 1) return false;
    return AddFun(f, f.arity >= 0 ? count : -count);
  }

  void Emit(Instruction in) { rpn_.push_back(in); }
  void EmitOp(Op op) {
    Instruction in;
    in.op = op;
    Emit(in);
  }

  void AddVar(int slot) {
    Instruction in;
    in.op = Op::kVar;
    in.arg = slot;
    in.mul = 1;
    in.add = 0;
    Emit(in);
  }

  void AddVal(double value) {
    Instruction in;
    in.op = Op::kConst;
    in.arg = -1;
    in.mul = 0;
    in.add = value;
    Emit(in);
  }

  static bool IsVal(const Instruction& in) { return in.op == Op::kConst; }
  static bool IsVar(const Instruction& in) { return in.op == Op::kVar; }
  static bool IsVarMul(const Instruction& in) { return in.op == Op::kVarMul; }
  // muparser ORs the two tokens' variable pointers (one of them null, or both the same).
  static int Either(const Instruction& a, const Instruction& b) {
    return a.arg >= 0 ? a.arg : b.arg;
  }

  // A built-in binary operator, with muparser's optimizer's rewrites.
  bool AddOp(Op op) {
    std::size_t n = rpn_.size();
    if (n < 2) return false;
    Instruction& x = rpn_[n - 2];
    Instruction& y = rpn_[n - 1];
    if (IsVal(x) && IsVal(y)) {
      double a = x.add, b = y.add;
      double r = 0;
      switch (op) {
        case Op::kAnd: r = IntegerTruth(a) && IntegerTruth(b); break;
        case Op::kOr: r = IntegerTruth(a) || IntegerTruth(b); break;
        case Op::kLt: r = a < b; break;
        case Op::kGt: r = a > b; break;
        case Op::kLe: r = a <= b; break;
        case Op::kGe: r = a >= b; break;
        case Op::kNe: r = a != b; break;
        case Op::kEq: r = a == b; break;
        case Op::kAdd: r = a + b; break;
        case Op::kSub: r = a - b; break;
        case Op::kMul: r = a * b; break;
        case Op::kDiv: r = a / b; break;
        case Op::kPow: r = Pow(a, b); break;
        default: return false;
      }
      // A comparison or a logical operator of a NaN: NaN (Interpret's rule).
      const bool decides = op == Op::kAnd || op == Op::kOr || op == Op::kLt || op == Op::kGt || op == Op::kLe ||
                           op == Op::kGe || op == Op::kNe || op == Op::kEq;
      if (decides && (std::isnan(a) || std::isnan(b))) r = std::numeric_limits<double>::quiet_NaN();
      x.add = r;
      rpn_.pop_back();
      return true;
    }
    switch (op) {
      case Op::kPow:
        if (IsVar(x) && IsVal(y)) {
          double e = y.add;
          if (e == 0) {
            x.op = Op::kConst;
            x.arg = -1;
            x.mul = 0;
            x.add = 1;
          } else if (e == 1) {
            // stays the variable
          } else if (e == 2) {
            x.op = Op::kVarPow2;
          } else if (e == 3) {
            x.op = Op::kVarPow3;
          } else if (e == 4) {
            x.op = Op::kVarPow4;
          } else {
            break;
          }
          rpn_.pop_back();
          return true;
        }
        break;
      case Op::kAdd:
      case Op::kSub:
        if ((IsVar(y) && IsVal(x)) || (IsVal(y) && IsVar(x)) || (IsVal(y) && IsVarMul(x)) ||
            (IsVarMul(y) && IsVal(x)) ||
            ((IsVar(y) || IsVarMul(y)) && (IsVar(x) || IsVarMul(x)) && x.arg == y.arg)) {
          double sign = op == Op::kSub ? -1 : 1;
          x.op = Op::kVarMul;
          x.arg = Either(x, y);
          x.add += sign * y.add;
          x.mul += sign * y.mul;
          rpn_.pop_back();
          return true;
        }
        break;
      case Op::kMul:
        if ((IsVar(y) && IsVal(x)) || (IsVal(y) && IsVar(x))) {
          x.op = Op::kVarMul;
          x.arg = Either(x, y);
          x.mul = x.add + y.add;
          x.add = 0;
          rpn_.pop_back();
          return true;
        }
        if ((IsVal(y) && IsVarMul(x)) || (IsVarMul(y) && IsVal(x))) {
          x.arg = Either(x, y);
          if (IsVal(y)) {
            x.mul *= y.add;
            x.add *= y.add;
          } else {
            x.mul = y.mul * x.add;
            x.add = y.add * x.add;
          }
          x.op = Op::kVarMul;
          rpn_.pop_back();
          return true;
        }
        if (IsVar(y) && IsVar(x) && x.arg == y.arg) {
          x.op = Op::kVarPow2;
          rpn_.pop_back();
          return true;
        }
        break;
      case Op::kDiv:
        if (IsVal(y) && IsVarMul(x) && y.add != 0) {
          x.mul /= y.add;
          x.add /= y.add;
          rpn_.pop_back();
          return true;
        }
        break;
      default:
        break;
    }
    EmitOp(op);
    return true;
  }

  // A call of a function or operator with `count` arguments (negative: any number), with
  // muparser's folding of constant arguments (not for functions of any number of arguments).
  bool AddFun(const FunctionInfo& f, int count) {
    std::size_t n = rpn_.size();
    if (static_cast<std::size_t>(std::abs(count)) > n) return false;
    // (muparser's DefineOprt, which defines %, marks the operator as not foldable.)
    if (count > 0 && f.fn != Fn::kMod) {
      if (f.fn == Fn::kPlus) return true;
      bool constant = true;
      for (std::size_t k = 0; k < static_cast<std::size_t>(count); ++k)
        constant = constant && IsVal(rpn_[n - 1 - k]);
      if (constant) {
        double args[3] = {0, 0, 0};
        for (int k = 0; k < count; ++k) args[k] = rpn_[n - static_cast<std::size_t>(count - k)].add;
        double value = Fold(f, args);
        rpn_.resize(n - static_cast<std::size_t>(count));
        AddVal(value);
        return true;
      }
    }
    Instruction in;
    switch (f.fn) {
      case Fn::kNeg: in.op = Op::kNeg; break;
      case Fn::kNot: in.op = Op::kNot; break;
      case Fn::kIf: in.op = Op::kSelect; break;
      case Fn::kSum: in.op = Op::kSum; break;
      case Fn::kAvg: in.op = Op::kAvg; break;
      case Fn::kMin: in.op = Op::kMin; break;
      case Fn::kMax: in.op = Op::kMax; break;
      default:
        if (f.call1) {
          in.op = Op::kCall1;
          in.call1 = f.call1;
        } else if (f.call2) {
          in.op = Op::kCall2;
          in.call2 = f.call2;
        } else {
          return false;
        }
    }
    in.arg = std::abs(count);
    Emit(in);
    return true;
  }

  // A name or a constant followed at once by an arithmetic or comparison operator becomes
  // one instruction. (Before the jumps are resolved: an operator that ends an if's branch
  // follows its end marker, not the operand, so no jump lands between the two.)
  void FuseOperands() {
    std::vector<Instruction> fused;
    fused.reserve(rpn_.size());
    for (std::size_t k = 0; k < rpn_.size(); ++k) {
      const Instruction& in = rpn_[k];
      if ((in.op == Op::kVar || in.op == Op::kConst) && k + 1 < rpn_.size()) {
        Op with = Fused(rpn_[k + 1].op, in.op == Op::kVar);
        if (with != rpn_[k + 1].op) {
          Instruction f = in;
          f.op = with;
          fused.push_back(f);
          ++k;
          continue;
        }
      }
      fused.push_back(in);
    }
    rpn_.swap(fused);
    // Then a name compared with a name or a constant, as an if's condition: one instruction.
    // (No jump lands inside the three: a branch starts at the name, after an else or an end.)
    fused.clear();
    for (std::size_t k = 0; k < rpn_.size(); ++k) {
      const Instruction& in = rpn_[k];
      if (in.op == Op::kVar && k + 2 < rpn_.size() && rpn_[k + 2].op == Op::kIf) {
        const Instruction& compare = rpn_[k + 1];
        Instruction f;
        f.left = in.arg;
        switch (compare.op) {
          case Op::kEqVar: f.op = Op::kIfEqVar, f.right = compare.arg; break;
          case Op::kNeVar: f.op = Op::kIfNeVar, f.right = compare.arg; break;
          case Op::kEqConst: f.op = Op::kIfEqConst, f.add = compare.add; break;
          case Op::kNeConst: f.op = Op::kIfNeConst, f.add = compare.add; break;
          default: f.op = Op::kConst; break;
        }
        if (f.op != Op::kConst) {
          fused.push_back(f);
          k += 2;
          continue;
        }
      }
      fused.push_back(in);
    }
    rpn_.swap(fused);
  }

  // True when every instruction finds its operands on the stack, both branches of every if
  // leave one value more than the condition's removal left, and one value remains: a program
  // RunProgram can run without reading outside its stack.
  bool Balanced() const {
    std::vector<int> at_if;  // the depth after each open if removed its condition
    int depth = 0;
    for (const auto& in : rpn_) {
      int needs = 0, leaves = 0;
      switch (in.op) {
        case Op::kConst: case Op::kVar: case Op::kVarMul: case Op::kVarPow2: case Op::kVarPow3:
        case Op::kVarPow4:
          leaves = 1;
          break;
        case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kPow: case Op::kLt:
        case Op::kGt: case Op::kLe: case Op::kGe: case Op::kEq: case Op::kNe: case Op::kAnd:
        case Op::kOr: case Op::kCall2:
          needs = 2, leaves = 1;
          break;
        case Op::kSelect: needs = 3, leaves = 1; break;
        case Op::kSum: case Op::kAvg: case Op::kMin: case Op::kMax:
          if (in.arg < 1) return false;
          needs = in.arg, leaves = 1;
          break;
        case Op::kIf:
          if (depth < 1) return false;
          at_if.push_back(--depth);
          continue;
        case Op::kIfEqVar: case Op::kIfNeVar: case Op::kIfEqConst: case Op::kIfNeConst:
          at_if.push_back(depth);  // its condition is pushed and removed within it
          continue;
        case Op::kElse:
          if (at_if.empty() || depth != at_if.back() + 1) return false;
          depth = at_if.back();
          continue;
        case Op::kEndIf:
          if (at_if.empty() || depth != at_if.back() + 1) return false;
          at_if.pop_back();
          continue;
        default:  // the unary operators and calls, and the operators fused with an operand
          needs = 1, leaves = 1;
          break;
      }
      if (depth < needs) return false;
      depth += leaves - needs;
    }
    return depth == 1 && at_if.empty();
  }

  // Resolves the jumps (an if jumps past its else, an else past its end) and drops the ends.
  bool Finish(std::vector<Instruction>& program) {
    if (!Balanced()) return false;
    std::vector<std::int32_t> index(rpn_.size() + 1);
    std::int32_t kept = 0;
    for (std::size_t k = 0; k < rpn_.size(); ++k) {
      index[k] = kept;
      if (rpn_[k].op != Op::kEndIf) ++kept;
    }
    index[rpn_.size()] = kept;
    std::vector<std::size_t> ifs, elses;
    for (std::size_t k = 0; k < rpn_.size(); ++k) {
      if (IsIf(rpn_[k].op)) {
        ifs.push_back(k);
        continue;
      }
      switch (rpn_[k].op) {
        case Op::kElse:
          if (ifs.empty()) return false;
          rpn_[ifs.back()].arg = index[k] + 1;
          ifs.pop_back();
          elses.push_back(k);
          break;
        case Op::kEndIf:
          if (elses.empty()) return false;
          rpn_[elses.back()].arg = index[k];
          elses.pop_back();
          break;
        default: break;
      }
    }
    if (!ifs.empty() || !elses.empty()) return false;
    program.clear();
    for (const auto& in : rpn_)
      if (in.op != Op::kEndIf) program.push_back(in);
    // Every instruction pushes at most one value: the stack never grows past the length. (The
    // interpreter's spill of its register before sum, avg, min and max writes at the depth
    // plus one, at most that instruction's own position; a fused if pushes its condition's
    // degree and pops it within itself.)
    return true;
  }

  const SymbolTable& symbols_;
  const std::vector<std::pair<std::string, double>>& constants_;
  std::vector<Instruction> rpn_;
  std::vector<Pending> ops_;
  std::vector<int> args_;
};


// What Interpret records beside the values: nothing (RunProgram), whether it read some slots
// (Reads, for EvaluateWatching), or each value's degree in some slots (ProgramAffineIn). Every hook of NoDegrees is empty, so RunProgram's loop is the
// plain interpreter.
struct NoDegrees {
  void Push(unsigned char) {}
  void PushSlot(int) {}
  void PushPower(int) {}
  void Sum() {}
  void Product() {}
  void Quotient() {}
  void Other() {}
  void SumSlot(int) {}
  void ProductSlot(int) {}
  void QuotientSlot(int) {}
  void OtherSlot(int) {}
  void OtherUnary() {}
  void Select(bool) {}
  void Many(int, bool) {}
  bool Branchable() const { return true; }
  void Pop() {}
};

// Whether a run reads a slot that `watched` flags (1 for each such slot, 0 for the others).
struct Reads {
  const unsigned char* watched;
  bool read = false;
  void Push(unsigned char) {}
  void PushSlot(int slot) { read = read || watched[slot] != 0; }
  void PushPower(int slot) { PushSlot(slot); }
  void Sum() {}
  void Product() {}
  void Quotient() {}
  void Other() {}
  void SumSlot(int slot) { PushSlot(slot); }
  void ProductSlot(int slot) { PushSlot(slot); }
  void QuotientSlot(int slot) { PushSlot(slot); }
  void OtherSlot(int slot) { PushSlot(slot); }
  void OtherUnary() {}
  void Select(bool) {}
  void Many(int, bool) {}
  bool Branchable() const { return true; }
  void Pop() {}
};

// Degrees in the slots `moving` flags: 0 reads none, 1 affine, 2 not known to be affine.
struct Degrees {
  unsigned char* d;             // the top of the degree stack, beside the value stack's
  const unsigned char* moving;  // per slot: 1 when it moves, else 0
  unsigned char Of(int slot) const { return moving[slot]; }
  static unsigned char Other(unsigned char a, unsigned char b) { return a == 0 && b == 0 ? 0 : 2; }
  void Push(unsigned char degree) { *++d = degree; }
  void PushSlot(int slot) { Push(Of(slot)); }
  void PushPower(int slot) { Push(Of(slot) ? 2 : 0); }
  void Sum() { --d; d[0] = std::max(d[0], d[1]); }
  void Product() { --d; d[0] = d[0] == 0 ? d[1] : d[1] == 0 ? d[0] : 2; }
  void Quotient() { --d; d[0] = d[1] == 0 ? d[0] : 2; }
  void Other() { --d; d[0] = Other(d[0], d[1]); }
  void SumSlot(int slot) { d[0] = std::max(d[0], Of(slot)); }
  void ProductSlot(int slot) { d[0] = d[0] == 0 ? Of(slot) : Of(slot) == 0 ? d[0] : 2; }
  void QuotientSlot(int slot) { d[0] = Of(slot) == 0 ? d[0] : 2; }
  void OtherSlot(int slot) { d[0] = Other(d[0], Of(slot)); }
  void OtherUnary() { d[0] = Other(d[0], 0); }
  // if(c, a, b) as a value: a branch on a term that reads a listed slot may switch.
  void Select(bool first) {
    d -= 2;
    d[0] = d[0] != 0 ? 2 : first ? d[1] : d[2];
  }
  // sum, avg (`affine`: the largest degree) or min, max (affine only of constants).
  void Many(int count, bool affine) {
    d -= count - 1;
    unsigned char most = 0;
    for (int k = 0; k < count; ++k) most = std::max(most, d[k]);
    d[0] = affine || count == 1 ? most : most == 0 ? 0 : 2;
  }
  // A lazy if may take its branch only on a condition that reads no listed slot.
  bool Branchable() const { return d[0] == 0; }
  void Pop() { --d; }
};

// Whether a comparison of a and b reads a NaN.
inline bool Unordered(double a, double b) { return std::isnan(a) || std::isnan(b); }

// Runs a compiled formula as muparser runs its bytecode: the same operations on the same
// values in the same order, telling `track` what each does. The top of the value stack lives
// in a register (`tos`), the values below it in `stack`, so that a chain of operations on the
// top never waits for a store to memory; `stack` holds at least one more value than the
// program has instructions (stack[1] holds no value: it is where the first push spills the
// empty register). Returns false only when `track` refuses a branch; otherwise the value is
// in `*result`.
template <class Track>
bool Interpret(const std::vector<detail::Instruction>& program, const double* values, double* stack,
               Track& track, double* result) {
  using detail::Op;
  const detail::Instruction* base = program.data();
  const detail::Instruction* end = base + program.size();
  double* sp = stack;  // the value below the top; sp == stack + 1 when one value is held
  double tos = 0;      // the top
  // A comparison, a logical operator or a condition that read a NaN: the value is NaN, not
  // what the branch or the 0 or 1 would make of it (muparser's comparisons give 0 or 1).
  bool undecided = false;
  auto push = [&](double v) {
    *++sp = tos;
    tos = v;
  };
  for (const detail::Instruction* in = base; in != end; ++in) {
    switch (in->op) {
      case Op::kConst: push(in->add); track.Push(0); break;
      case Op::kVar: push(values[in->arg]); track.PushSlot(in->arg); break;
      case Op::kVarMul: push(values[in->arg] * in->mul + in->add); track.PushSlot(in->arg); break;
      case Op::kVarPow2: {
        double v = values[in->arg];
        push(v * v);
        track.PushPower(in->arg);
        break;
      }
      case Op::kVarPow3: {
        double v = values[in->arg];
        push(v * v * v);
        track.PushPower(in->arg);
        break;
      }
      case Op::kVarPow4: {
        double v = values[in->arg];
        push(v * v * v * v);
        track.PushPower(in->arg);
        break;
      }
      case Op::kAdd: tos = *sp-- + tos; track.Sum(); break;
      case Op::kSub: tos = *sp-- - tos; track.Sum(); break;
      case Op::kMul: tos = *sp-- * tos; track.Product(); break;
      case Op::kDiv: tos = *sp-- / tos; track.Quotient(); break;
      case Op::kPow: tos = Pow(*sp--, tos); track.Other(); break;
      case Op::kLt: undecided |= Unordered(*sp, tos); tos = *sp-- < tos; track.Other(); break;
      case Op::kGt: undecided |= Unordered(*sp, tos); tos = *sp-- > tos; track.Other(); break;
      case Op::kLe: undecided |= Unordered(*sp, tos); tos = *sp-- <= tos; track.Other(); break;
      case Op::kGe: undecided |= Unordered(*sp, tos); tos = *sp-- >= tos; track.Other(); break;
      case Op::kEq: undecided |= Unordered(*sp, tos); tos = *sp-- == tos; track.Other(); break;
      case Op::kNe: undecided |= Unordered(*sp, tos); tos = *sp-- != tos; track.Other(); break;
      case Op::kAddVar: tos += values[in->arg]; track.SumSlot(in->arg); break;
      case Op::kSubVar: tos -= values[in->arg]; track.SumSlot(in->arg); break;
      case Op::kMulVar: tos *= values[in->arg]; track.ProductSlot(in->arg); break;
      case Op::kDivVar: tos /= values[in->arg]; track.QuotientSlot(in->arg); break;
      case Op::kLtVar: undecided |= Unordered(tos, values[in->arg]); tos = tos < values[in->arg]; track.OtherSlot(in->arg); break;
      case Op::kGtVar: undecided |= Unordered(tos, values[in->arg]); tos = tos > values[in->arg]; track.OtherSlot(in->arg); break;
      case Op::kLeVar: undecided |= Unordered(tos, values[in->arg]); tos = tos <= values[in->arg]; track.OtherSlot(in->arg); break;
      case Op::kGeVar: undecided |= Unordered(tos, values[in->arg]); tos = tos >= values[in->arg]; track.OtherSlot(in->arg); break;
      case Op::kEqVar: undecided |= Unordered(tos, values[in->arg]); tos = tos == values[in->arg]; track.OtherSlot(in->arg); break;
      case Op::kNeVar: undecided |= Unordered(tos, values[in->arg]); tos = tos != values[in->arg]; track.OtherSlot(in->arg); break;
      case Op::kAddConst: tos += in->add; break;
      case Op::kSubConst: tos -= in->add; break;
      case Op::kMulConst: tos *= in->add; break;
      case Op::kDivConst: tos /= in->add; break;
      case Op::kLtConst: undecided |= Unordered(tos, in->add); tos = tos < in->add; track.OtherUnary(); break;
      case Op::kGtConst: undecided |= Unordered(tos, in->add); tos = tos > in->add; track.OtherUnary(); break;
      case Op::kLeConst: undecided |= Unordered(tos, in->add); tos = tos <= in->add; track.OtherUnary(); break;
      case Op::kGeConst: undecided |= Unordered(tos, in->add); tos = tos >= in->add; track.OtherUnary(); break;
      case Op::kEqConst: undecided |= Unordered(tos, in->add); tos = tos == in->add; track.OtherUnary(); break;
      case Op::kNeConst: undecided |= Unordered(tos, in->add); tos = tos != in->add; track.OtherUnary(); break;
      case Op::kAnd: undecided |= Unordered(*sp, tos); tos = *sp-- != 0 && tos != 0; track.Other(); break;
      case Op::kOr: undecided |= Unordered(*sp, tos); tos = *sp-- != 0 || tos != 0; track.Other(); break;
      case Op::kNeg: tos = -tos; break;
      case Op::kNot: undecided |= std::isnan(tos); tos = Not(tos); track.OtherUnary(); break;
      case Op::kCall1: tos = in->call1(tos); track.OtherUnary(); break;
      case Op::kCall2: tos = in->call2(*sp--, tos); track.Other(); break;
      case Op::kSelect: {
        const double condition = sp[-1], first = sp[0];
        undecided |= std::isnan(condition);
        sp -= 2;
        track.Select(condition != 0);
        tos = IfThenElse(condition, first, tos);
        break;
      }
      case Op::kSum:
      case Op::kAvg: {
        *++sp = tos;  // spilled: then, after the next line, the arguments in order at sp[1..arg]
        sp -= in->arg;
        double sum = 0;
        for (int k = 1; k <= in->arg; ++k) sum += sp[k];
        tos = in->op == Op::kSum ? sum : sum / static_cast<double>(in->arg);
        track.Many(in->arg, true);
        break;
      }
      case Op::kMin:
      case Op::kMax: {
        // As the parser's Min and Max: NaN when any argument is NaN.
        *++sp = tos;
        sp -= in->arg;
        tos = MinMax(in->op == Op::kMin, sp + 1, in->arg);
        track.Many(in->arg, false);
        break;
      }
      case Op::kIf: {
        if (!track.Branchable()) return false;
        track.Pop();
        const double condition = tos;
        undecided |= std::isnan(condition);
        tos = *sp--;
        if (condition == 0) in = base + in->arg - 1;
        break;
      }
      case Op::kElse: in = base + in->arg - 1; break;
      case Op::kEndIf: break;
      // The three instructions they stand for, fused: push the name, compare, branch.
      case Op::kIfEqVar:
      case Op::kIfNeVar:
      case Op::kIfEqConst:
      case Op::kIfNeConst: {
        track.PushSlot(in->left);
        const bool with_name = in->op == Op::kIfEqVar || in->op == Op::kIfNeVar;
        if (with_name) {
          track.OtherSlot(in->right);
        } else {
          track.OtherUnary();
        }
        if (!track.Branchable()) return false;
        track.Pop();
        const double a = values[in->left], b = with_name ? values[in->right] : in->add;
        undecided |= Unordered(a, b);
        const bool equal = in->op == Op::kIfEqVar || in->op == Op::kIfEqConst;
        if ((a == b) != equal) in = base + in->arg - 1;
        break;
      }
    }
  }
  *result = undecided ? std::numeric_limits<double>::quiet_NaN() : tos;
  return true;
}

double RunProgram(const std::vector<detail::Instruction>& program, const double* values,
                  double* stack) {
  NoDegrees none;
  double result = 0;
  Interpret(program, values, stack, none, &result);
  return result;
}

// Whether the program, run on `values` (following the branches they take), computes a value
// affine in the slots `moving` flags (1 for each, 0 for the others, held): Interpret with,
// beside each value, its degree in those slots. `degree` holds as many entries as `stack`.
bool ProgramAffineIn(const std::vector<detail::Instruction>& program, const double* values,
                     const unsigned char* moving, double* stack, unsigned char* degree) {
  Degrees track{degree, moving};
  double result = 0;
  return Interpret(program, values, stack, track, &result) && degree[1] <= 1;
}

// The slots whose values decide the branches a run of `program` takes, sorted: those the
// conditions of its ifs (lazy, and the eager kSelect) and its fused comparisons read. The
// others only flow into arithmetic, comparisons and functions whose results decide nothing,
// so ProgramAffineIn's answer is the same whatever their values (the moving slots aside).
// The program is postfix: each value on the stack is computed by a contiguous run of
// instructions, and a condition reads the slots its run reads. The walk keeps, per value on
// the stack, the first instruction of its run; an if's value (the then branch's or the
// else branch's) runs from its condition's first instruction to the end of its else branch.
std::vector<int> ControlSlots(const std::vector<detail::Instruction>& program) {
  using detail::Op;
  std::vector<int> slots;
  auto reads = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k) {
      const detail::Instruction& in = program[k];
      if (ReadsSlot(in.op)) {
        slots.push_back(in.arg);
        continue;
      }
      switch (in.op) {
        case Op::kIfEqVar: case Op::kIfNeVar:
          slots.push_back(in.left);
          slots.push_back(in.right);
          break;
        case Op::kIfEqConst: case Op::kIfNeConst:
          slots.push_back(in.left);
          break;
        default:
          break;
      }
    }
  };
  std::vector<std::size_t> start;  // per value on the stack: the first instruction of its run
  struct OpenIf {
    std::size_t start;    // the first instruction of its condition
    std::size_t end = 0;  // where its else branch ends (known at its kElse)
  };
  std::vector<OpenIf> open;
  for (std::size_t i = 0; i <= program.size(); ++i) {
    // Ifs whose else branch ends here: the else branch's value becomes the if's.
    while (!open.empty() && open.back().end == i) {
      PARLEY_CHECK(!start.empty());
      start.back() = open.back().start;
      open.pop_back();
    }
    if (i == program.size()) break;
    const detail::Instruction& in = program[i];
    switch (in.op) {
      case Op::kConst: case Op::kVar: case Op::kVarMul: case Op::kVarPow2: case Op::kVarPow3:
      case Op::kVarPow4:
        start.push_back(i);
        break;
      case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kPow: case Op::kLt:
      case Op::kGt: case Op::kLe: case Op::kGe: case Op::kEq: case Op::kNe: case Op::kAnd:
      case Op::kOr: case Op::kCall2:
        PARLEY_CHECK(start.size() >= 2);
        start.pop_back();  // the left operand's run starts first
        break;
      case Op::kSelect: {  // condition, first, second
        PARLEY_CHECK(start.size() >= 3);
        const std::size_t n = start.size();
        reads(start[n - 3], start[n - 2]);
        start.resize(n - 2);
        break;
      }
      case Op::kSum: case Op::kAvg: case Op::kMin: case Op::kMax:
        PARLEY_CHECK(in.arg >= 1 && start.size() >= static_cast<std::size_t>(in.arg));
        start.resize(start.size() - static_cast<std::size_t>(in.arg) + 1);
        break;
      case Op::kIf:
        PARLEY_CHECK(!start.empty());
        reads(start.back(), i);
        open.push_back({start.back()});
        start.pop_back();
        break;
      case Op::kIfEqVar: case Op::kIfNeVar: case Op::kIfEqConst: case Op::kIfNeConst:
        reads(i, i + 1);
        open.push_back({i});
        break;
      case Op::kElse:  // the then branch's value is done with; the else branch's follows
        PARLEY_CHECK(!start.empty() && !open.empty() && open.back().end == 0);
        start.pop_back();
        open.back().end = static_cast<std::size_t>(in.arg);
        break;
      default:  // in place on the top: the ...Var and ...Const operators, kNeg, kNot, kCall1
        break;
    }
  }
  PARLEY_CHECK(start.size() == 1 && open.empty());
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  return slots;
}

// The runs of `program` that compute a value from invariant slots (`invariant`: 1 per such
// slot) and constants alone, each as its first and last instruction, in program order: the
// largest such values, two instructions or longer, where something that is not invariant
// uses them (an operator with another operand that reads a varying slot, an if's condition
// or branch, the result). A run holds no jump (a value an if gives is never invariant), so
// it is a program of its own that computes the same value with the same operations. The
// walk keeps, per value on the stack, the first instruction of its run, as ControlSlots does.
std::vector<std::pair<std::size_t, std::size_t>> InvariantRuns(
    const std::vector<Instruction>& program, const std::vector<char>& invariant) {
  struct Value {
    std::size_t start;
    bool invariant;
  };
  struct OpenIf {
    std::size_t start;    // the first instruction of its condition
    std::size_t end = 0;  // where its else branch ends (known at its kElse)
  };
  std::vector<Value> stack;
  std::vector<OpenIf> open;
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  auto fixed = [&](int slot) { return invariant[static_cast<std::size_t>(slot)] != 0; };
  // A value whose last instruction precedes `end`, used by something that varies.
  auto take = [&](const Value& v, std::size_t end) {
    if (v.invariant && end - v.start >= 2) runs.emplace_back(v.start, end - 1);
  };
  // Combines the top `count` values (consecutive runs) into one, ending before `end`.
  auto combine = [&](std::size_t count, std::size_t end) {
    PARLEY_CHECK(count >= 1 && stack.size() >= count);
    const std::size_t first = stack.size() - count;
    bool all = true;
    for (std::size_t k = first; k < stack.size(); ++k) all = all && stack[k].invariant;
    if (!all)
      for (std::size_t k = first; k < stack.size(); ++k)
        take(stack[k], k + 1 < stack.size() ? stack[k + 1].start : end);
    const Value merged{stack[first].start, all};
    stack.resize(first);
    stack.push_back(merged);
  };
  for (std::size_t i = 0; i <= program.size(); ++i) {
    while (!open.empty() && open.back().end == i) {  // an if's else branch ends here
      PARLEY_CHECK(!stack.empty());
      take(stack.back(), i);
      stack.back() = {open.back().start, false};
      open.pop_back();
    }
    if (i == program.size()) break;
    const Instruction& in = program[i];
    switch (in.op) {
      case Op::kConst: stack.push_back({i, true}); break;
      case Op::kVar: case Op::kVarMul: case Op::kVarPow2: case Op::kVarPow3: case Op::kVarPow4:
        stack.push_back({i, fixed(in.arg)});
        break;
      case Op::kAdd: case Op::kSub: case Op::kMul: case Op::kDiv: case Op::kPow: case Op::kLt:
      case Op::kGt: case Op::kLe: case Op::kGe: case Op::kEq: case Op::kNe: case Op::kAnd:
      case Op::kOr: case Op::kCall2:
        combine(2, i);
        break;
      case Op::kSelect: combine(3, i); break;
      case Op::kSum: case Op::kAvg: case Op::kMin: case Op::kMax:
        combine(static_cast<std::size_t>(in.arg), i);
        break;
      case Op::kAddVar: case Op::kSubVar: case Op::kMulVar: case Op::kDivVar: case Op::kLtVar:
      case Op::kGtVar: case Op::kLeVar: case Op::kGeVar: case Op::kEqVar: case Op::kNeVar:
        PARLEY_CHECK(!stack.empty());
        if (!fixed(in.arg)) {
          take(stack.back(), i);
          stack.back().invariant = false;
        }
        break;
      case Op::kIf:
        PARLEY_CHECK(!stack.empty());
        take(stack.back(), i);
        open.push_back({stack.back().start});
        stack.pop_back();
        break;
      case Op::kIfEqVar: case Op::kIfNeVar: case Op::kIfEqConst: case Op::kIfNeConst:
        open.push_back({i});
        break;
      case Op::kElse:  // the then branch's value is done with; the else branch's follows
        PARLEY_CHECK(!stack.empty() && !open.empty() && open.back().end == 0);
        take(stack.back(), i);
        stack.pop_back();
        open.back().end = static_cast<std::size_t>(in.arg);
        break;
      default:  // in place on the top, reading no slot: the ...Const operators, kNeg, kNot, kCall1
        PARLEY_CHECK(!stack.empty());
        break;
    }
  }
  PARLEY_CHECK(stack.size() == 1 && open.empty());
  take(stack.back(), program.size());
  std::sort(runs.begin(), runs.end());
  return runs;
}

// `program` with each of `runs` (InvariantRuns') replaced by a read of its slot (`slots`, in
// the same order), and a read that an operator with a fused form or an if takes at once
// fused with it, as the compiler fuses a name (no jump lands between the two); the jumps
// moved to the instructions' new places.
std::vector<Instruction> ReplaceRuns(const std::vector<Instruction>& program,
                                     const std::vector<std::pair<std::size_t, std::size_t>>& runs,
                                     const std::vector<int>& slots) {
  const std::size_t n = program.size();
  std::vector<char> target(n + 1, 0);
  for (const Instruction& in : program)
    if (IsIf(in.op) || in.op == Op::kElse) target[static_cast<std::size_t>(in.arg)] = 1;
  std::vector<std::int32_t> moved(n + 1, 0);
  std::vector<Instruction> out;
  std::size_t r = 0;
  for (std::size_t i = 0; i < n;) {
    const auto at = [&] { return static_cast<std::int32_t>(out.size()); };
    if (r < runs.size() && runs[r].first == i) {
      const auto [first, last] = runs[r];
      const int slot = slots[r++];
      for (std::size_t k = first; k <= last; ++k) moved[k] = at();
      Instruction read;
      read.op = Op::kVar;
      read.arg = slot;
      i = last + 1;
      if (i < n && !target[i]) {
        const Op with = Fused(program[i].op, true);
        if (with != program[i].op) {
          read.op = with;
          moved[i++] = at();
        } else if (program[i].op == Op::kIf) {  // if (value == 0) jump: kIfNeConst with 0
          read = Instruction{};
          read.op = Op::kIfNeConst;
          read.left = slot;
          read.add = 0;
          read.arg = program[i].arg;
          moved[i++] = at();
        }
      }
      out.push_back(read);
      continue;
    }
    moved[i] = at();
    out.push_back(program[i++]);
  }
  moved[n] = static_cast<std::int32_t>(out.size());
  for (Instruction& in : out)
    if (IsIf(in.op) || in.op == Op::kElse) in.arg = moved[static_cast<std::size_t>(in.arg)];
  return out;
}

// The bytes that identify a run's instructions (the same bytes, the same value): op, arg and
// both operands as stored. No run holds an if, whose operands are 4-byte slots.
std::string RunKey(const std::vector<Instruction>& program, std::size_t first, std::size_t last) {
  std::string key;
  for (std::size_t k = first; k <= last; ++k) {
    const Instruction& in = program[k];
    char bytes[1 + sizeof(std::int32_t) + 2 * sizeof(double)];
    bytes[0] = static_cast<char>(in.op);
    std::memcpy(bytes + 1, &in.arg, sizeof(std::int32_t));
    std::memcpy(bytes + 1 + sizeof(std::int32_t), &in.mul, sizeof(double));
    std::memcpy(bytes + 1 + sizeof(std::int32_t) + sizeof(double), &in.add, sizeof(double));
    key.append(bytes, sizeof bytes);
  }
  return key;
}

// Equal bits, or both NaN.
bool SameBits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

}  // namespace compiler

}  // namespace

const std::vector<std::string>& FunctionNames() {
  // muparser's built-in functions and the language's own (if, pow; log is redefined).
  static const std::vector<std::string> names{
      "if",  "min",  "max",  "abs",  "exp",   "log",   "ln",    "sqrt",  "pow",   "sum",
      "avg", "sign", "rint", "sin",  "cos",   "tan",   "asin",  "acos",  "atan",  "sinh",
      "cosh", "tanh", "asinh", "acosh", "atanh", "log2", "log10"};
  return names;
}

// The end of the name that starts at text[i] (a letter or _), and of the number that starts
// there (a digit or .; its exponent included): how the scans below step over both.
static std::size_t NameEnd(std::string_view text, std::size_t i) {
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
  return i;
}
static std::size_t NumberEnd(std::string_view text, std::size_t i) {
  std::size_t j = i + 1;
  while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '.' ||
                             ((text[j] == '+' || text[j] == '-') && (text[j - 1] == 'e' || text[j - 1] == 'E'))))
    ++j;
  return j;
}

// Where the second of two comparisons that share an operand without parentheses begins
// (`2 < x < 8`, `a == b == c`, `a < b == c`): muparser reads them left to right, as C does,
// which is never what such a formula means. npos when there is none. Comparisons separated by
// and, or, &&, ||, a comma, ? or :, or inside their own parentheses, are separate.
static std::size_t ChainedComparison(std::string_view text) {
  std::vector<char> seen{0};  // per parenthesis depth: a comparison since the last separator
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const std::size_t j = NameEnd(text, i);
      const std::string_view word = text.substr(i, j - i);
      if (word == "and" || word == "or") seen.back() = 0;
      i = j;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {  // a number, exponent included
      i = NumberEnd(text, i);
      continue;
    }
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    std::size_t width = 0;
    if ((c == '<' || c == '>' || c == '=' || c == '!') && next == '=')
      width = 2;
    else if (c == '<' || c == '>')
      width = 1;
    if (width > 0) {
      if (seen.back()) return i;
      seen.back() = 1;
      i += width;
      continue;
    }
    if (c == '(') {
      seen.push_back(0);
    } else if (c == ')') {
      if (seen.size() > 1) seen.pop_back();
    } else if (c == ',' || c == '?' || c == ':' || ((c == '&' || c == '|') && next == c)) {
      seen.back() = 0;
    }
    ++i;
  }
  return std::string_view::npos;
}

// `not` binds tighter than a comparison, so `not a == b` compares (not a), 0 or 1, with b:
// never what it reads as (with a stage's label for b, the condition is false whatever was
// chosen, and the stage silently leaves the tree). Returns the position of the first `not`
// whose operand (a name, a call, a number or a parenthesised group) is followed by a
// comparison, or npos.
static std::size_t NotBeforeComparison(std::string_view text) {
  auto skip_space = [&](std::size_t i) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    return i;
  };
  auto group_end = [&](std::size_t open) {  // just past the ')' matching text[open] == '('
    int depth = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
      if (text[i] == '(') ++depth;
      else if (text[i] == ')' && --depth == 0) return i + 1;
    }
    return text.size();
  };
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      i = NumberEnd(text, i);
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '_') {
      ++i;
      continue;
    }
    const std::size_t j = NameEnd(text, i);
    if (text.substr(i, j - i) != "not") {
      i = j;
      continue;
    }
    std::size_t k = skip_space(j);
    if (k < text.size() && text[k] == '(') {
      k = group_end(k);
    } else if (k < text.size() && (std::isalpha(static_cast<unsigned char>(text[k])) || text[k] == '_')) {
      k = NameEnd(text, k);
      const std::size_t call = skip_space(k);
      if (call < text.size() && text[call] == '(') k = group_end(call);
    } else if (k < text.size() && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '.')) {
      k = NumberEnd(text, k);
    } else {
      i = j;
      continue;
    }
    k = skip_space(k);
    const char a = k < text.size() ? text[k] : '\0', b = k + 1 < text.size() ? text[k + 1] : '\0';
    if (a == '<' || a == '>' || ((a == '=' || a == '!') && b == '=')) return i;
    i = j;
  }
  return std::string_view::npos;
}

// A `=` that is not part of `==`, `!=`, `<=` or `>=`, a comma outside a function's
// parentheses, or a number written too small to be anything but 0 in a double: muparser
// reads the first as an assignment to the variable on its left, which then keeps the new
// value in every later formula of the history (`condition: a = r` set a to r), the second as
// a list of formulas of which only the last counts (`if(a == l, 3, 1), 2` was 2), and the
// third (1e-400) as 0. None is ever what a formula of the language means. StrayOperator
// gives the position of the first, and what it is, or npos.
struct Stray {
  enum class Kind { kAssignment, kComma, kUnderflow };
  std::size_t at = std::string_view::npos;
  Kind kind = Kind::kAssignment;
};

// Whether the number written in `digits` (a decimal with an optional exponent) is not 0 but
// reads as 0 in a double.
static bool Underflows(std::string_view digits) {
  const std::size_t exponent = digits.find_first_of("eE");
  const std::string_view mantissa = digits.substr(0, exponent);
  if (mantissa.find_first_of("123456789") == std::string_view::npos) return false;
  // A number only when the whole of it reads as one ("..2" is a syntax error, not 0).
  const std::string text(digits);
  char* end = nullptr;
  const double value = ReadDouble(text.c_str(), &end);
  return end == text.c_str() + text.size() && value == 0;
}

static Stray StrayOperator(std::string_view text) {
  std::vector<char> call{0};  // per parenthesis depth: whether a function's call opened it
  std::string_view last_word;  // the word just before, if nothing came between
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const std::size_t j = NameEnd(text, i);
      last_word = text.substr(i, j - i);
      i = j;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      const std::size_t j = NumberEnd(text, i);
      if (Underflows(text.substr(i, j - i))) return {i, Stray::Kind::kUnderflow};
      last_word = {};
      i = j;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '(') {
      call.push_back(!last_word.empty() && last_word != "and" && last_word != "or" && last_word != "not");
    } else if (c == ')') {
      if (call.size() > 1) call.pop_back();
    } else if (c == ',') {
      if (!call.back()) return {i, Stray::Kind::kComma};
    } else if (c == '=') {
      const char before = i > 0 ? text[i - 1] : '\0';
      const char next = i + 1 < text.size() ? text[i + 1] : '\0';
      if (next == '=') {
        i += 2;
        last_word = {};
        continue;
      }
      if (before != '<' && before != '>' && before != '!') return {i, Stray::Kind::kAssignment};
    }
    last_word = {};
    ++i;
  }
  return {};
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
  if (const std::size_t at = ChainedComparison(original); at != std::string::npos)
    throw CompileError(Offset(e->where_, original, at),
                       "chained comparison in formula '" + TruncateForMessage(trimmed, 80) +
                           "': a < b < c compares (a < b), which is 0 or 1, with c; write each "
                           "comparison on its own, joined by and (a < b and b < c)",
                       CompileError::Problem::kSyntax, "", "");
  if (const std::size_t at = original.find_first_of("\"'"); at != std::string::npos)
    throw CompileError(Offset(e->where_, original, at),
                       "a quote in formula '" + TruncateForMessage(trimmed, 80) +
                           "': formulas have no strings; write an action's label without quotes (a == accept)",
                       CompileError::Problem::kSyntax, "", "");
  if (const std::size_t at = NotBeforeComparison(original); at != std::string::npos)
    throw CompileError(Offset(e->where_, original, at),
                       "'not' in formula '" + TruncateForMessage(trimmed, 80) +
                           "' applies to the operand right after it, so not a == b compares (not a), which is 0 "
                           "or 1, with b; write not (a == b), or a != b",
                       CompileError::Problem::kSyntax, "", "");
  if (const Stray stray = StrayOperator(original); stray.at != std::string::npos)
    throw CompileError(Offset(e->where_, original, stray.at),
                       stray.kind == Stray::Kind::kComma
                           ? "stray comma in formula '" + TruncateForMessage(trimmed, 80) +
                                 "': a comma separates the arguments of a function, as in "
                                 "max(a, b); elsewhere only the part after it would count"
                       : stray.kind == Stray::Kind::kUnderflow
                           ? "a number in formula '" + TruncateForMessage(trimmed, 80) +
                                 "' is too small to compute with (it would be 0); write 0 if 0 is meant"
                           : "'=' in formula '" + TruncateForMessage(trimmed, 80) +
                                 "' would assign, not compare; write == to compare (a == b)",
                       CompileError::Problem::kSyntax, "", "");
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
    double reference = as_written;  // muparser's value of e->code_ at the initial values
    // The same formula with lazy ifs, for evaluation (kept only if it compiles and agrees).
    std::string lazy = LazyIfs(code);
    if (lazy != code) {
      try {
        double a = BoundParser(symbols_, e->used_, values, lazy)->Eval();
        if (a == as_written || std::isnan(as_written)) {
          e->code_ = lazy;
          reference = a;
        }
      } catch (const mu::Parser::exception_type&) {
        // keep the formula as written
      }
    }
    if (constants_.empty())
      for (const auto& [name, value] : parser->GetConst()) constants_.emplace_back(name, value);
    // The bytecode, kept only if it gives muparser's value, bit for bit, at the initial values
    // (a safety net: the randomized test in tests/formula checks the two agree everywhere).
    compiler::Compiler compiler(symbols_, constants_);
    std::vector<detail::Instruction> program;
    if (compiler.Compile(e->code_, program)) {
      std::vector<double> stack(program.size() + 1);
      double ours = compiler::RunProgram(program, values, stack.data());
      // (Where a comparison or a condition reads a NaN the bytecode gives NaN, muparser 0 or 1.)
      if (compiler::SameBits(ours, reference) || std::isnan(ours)) {
        e->program_ = std::move(program);
        e->control_ = compiler::ControlSlots(e->program_);
        longest_program_ = std::max(longest_program_, e->program_.size());
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
                               "; the functions are if, min, max, sum, avg, abs, sign, rint, exp, log (ln), log2, log10, "
                               "sqrt, pow, and sin, cos, tan and their inverse and hyperbolic forms",
                           CompileError::Problem::kUnknownFunction, token, error.GetMsg());
      // A word that goes on in letters beyond ASCII ("café"): the parser stopped before them.
      std::size_t end = pos + token.size();
      while (end < code.size() && (IsNameChar(code[end]) || static_cast<unsigned char>(code[end]) >= 0x80)) ++end;
      if (end > pos + token.size())
        throw CompileError(at,
                           "'" + TruncateForMessage(code.substr(pos, end - pos), 40) + "' " + shown +
                               " is not a name a formula can use: names are ASCII letters, digits and _ "
                               "(a label with other letters can be chosen, not named in a formula; "
                               "write the label in ASCII letters to name it)",
                           CompileError::Problem::kUnknownName, token, error.GetMsg());
      throw CompileError(at,
                         "undefined name '" + token + "' " + shown +
                             DidYouMean(token, symbols_.names()) + names_hint_,
                         CompileError::Problem::kUnknownName, token, error.GetMsg());
    }
    std::string message = error.GetMsg();
    // muparser's messages end with " at position N." or " at expression position N", which
    // the file:line:col replaces.
    for (const char* tail : {" at position", " at expression position"})
      if (auto cut = message.find(tail); cut != std::string::npos) message.erase(cut);
    if (!message.empty() && message.back() == '.') message.pop_back();
    // muparser says "Internal error" of an operator with nothing to act on (`not` alone).
    if (message == "Internal error" || message.empty())
      message = "the formula is incomplete (an operator or a function lacks what it acts on)";
    // A wrong count of arguments: say what the function takes.
    if (error.GetCode() == mu::ecTOO_FEW_PARAMS || error.GetCode() == mu::ecTOO_MANY_PARAMS) {
      const std::string name = error.GetToken();
      for (const auto& f : compiler::kFunctions)
        if (name == f.name) {
          message += name == "if" ? "; if takes 3: if(condition, value if true, value if false)"
                     : f.arity < 0 ? "; " + name + " takes one or more"
                                   : "; " + name + " takes " + std::to_string(f.arity);
          break;
        }
    }
    throw CompileError(at, "syntax error " + shown + ": " + message,
                       CompileError::Problem::kSyntax, token, error.GetMsg());
  }
  expressions_.push_back(std::move(e));
  return expressions_.back().get();
}

void ExpressionSet::Hoist(std::span<const int> invariant) {
  PARLEY_CHECK(!hoist_called_);
  hoist_called_ = true;
  std::vector<char> fixed(symbols_.size(), 0);
  for (int slot : invariant) {
    PARLEY_CHECK(slot >= 0 && static_cast<std::size_t>(slot) < symbols_.size());
    fixed[static_cast<std::size_t>(slot)] = 1;
  }
  std::unordered_map<std::string, int> slot_of;  // a run's instructions: its value's slot
  for (auto& e : expressions_) {
    if (e->program_.empty()) continue;
    const auto runs = compiler::InvariantRuns(e->program_, fixed);
    if (runs.empty()) continue;
    std::vector<int> slots;
    for (const auto& [first, last] : runs) {
      const auto [it, added] = slot_of.emplace(compiler::RunKey(e->program_, first, last),
                                               static_cast<int>(symbols_.size() + hoisted_.size()));
      if (added) {
        HoistedValue h{it->second,
                       std::vector<detail::Instruction>(e->program_.begin() + static_cast<std::ptrdiff_t>(first),
                                                        e->program_.begin() + static_cast<std::ptrdiff_t>(last) + 1),
                       {}};
        for (const detail::Instruction& in : h.program)
          if (compiler::ReadsSlot(in.op)) h.reads.push_back(in.arg);
        std::sort(h.reads.begin(), h.reads.end());
        h.reads.erase(std::unique(h.reads.begin(), h.reads.end()), h.reads.end());
        hoisted_.push_back(std::move(h));
      }
      slots.push_back(it->second);
    }
    e->residual_ = compiler::ReplaceRuns(e->program_, runs, slots);
  }
}

Evaluator::Evaluator(const ExpressionSet& set)
    : set_(&set),
      value_count_(set.symbols().size() + set.hoisted_.size()),
      values_(std::make_unique<double[]>(std::max<std::size_t>(value_count_, 1))),
      hoisted_inputs_([&set] {
        std::size_t n = 0;
        for (const ExpressionSet::HoistedValue& h : set.hoisted_) n += h.reads.size();
        return n;
      }()),
      stack_(set.longest_program_ + 1), degree_(set.longest_program_ + 1),
      moving_(std::max<std::size_t>(set.symbols().size(), 1), 0) {
  Reset();
  parsers_.resize(set.size());
  for (std::size_t id = 0; id < set.size(); ++id) {
    const Expression& e = set[id];
    if (!e.program_.empty()) continue;
    parsers_[id] = BoundParser(set.symbols(), e.used_, values_.get(), e.code_);
  }
}

Evaluator::~Evaluator() = default;

void Evaluator::Reset() {
  const auto& initial = set_->symbols().initial_values();
  std::copy(initial.begin(), initial.end(), values_.get());
  refreshed_ = false;
}

void Evaluator::Refresh() {
  PARLEY_CHECK(value_count_ == set_->symbols().size() + set_->hoisted_.size());
  std::size_t at = 0;
  for (const ExpressionSet::HoistedValue& h : set_->hoisted_) {
    bool same = hoisted_known_;
    for (int slot : h.reads) {
      const std::uint64_t bits = std::bit_cast<std::uint64_t>(values_[static_cast<std::size_t>(slot)]);
      same = same && hoisted_inputs_[at] == bits;
      hoisted_inputs_[at++] = bits;
    }
    // A pure function of its inputs: the same bits in, the same value out.
    if (!same) values_[static_cast<std::size_t>(h.slot)] = compiler::RunProgram(h.program, values_.get(), stack_.data());
  }
  hoisted_known_ = true;
  // A hoisted value that is not a number may be one because a comparison in it read a NaN,
  // which makes the whole formula NaN (Interpret's rule) while the residual program would read
  // the NaN as a plain value (max(5, NaN) is 5): the formulas then run as compiled, whole.
  bool any_nan = false;
  for (const ExpressionSet::HoistedValue& h : set_->hoisted_)
    any_nan = any_nan || std::isnan(values_[static_cast<std::size_t>(h.slot)]);
  refreshed_ = !any_nan;
}

double Evaluator::Evaluate(const Expression& e) {
  // (That `e` belongs to this evaluator's set is checked once per use by its callers, e.g.
  // for a whole expansion; here only the bound, on the hot path.)
  PARLEY_CHECK(e.id_ < parsers_.size());
  if (refreshed_ && !e.residual_.empty()) {
    const double v = compiler::RunProgram(e.residual_, values_.get(), stack_.data());
#ifndef NDEBUG
    // Builds with assertions (the sanitizer and fuzzing builds) run the formula as compiled
    // too: a hoisted value not refreshed after its slots changed, or a wrong rewrite, stops here.
    PARLEY_CHECK(compiler::SameBits(v, compiler::RunProgram(e.program_, values_.get(), stack_.data())));
#endif
    return v;
  }
  if (!e.program_.empty()) return compiler::RunProgram(e.program_, values_.get(), stack_.data());
  try {
    return parsers_[e.id_]->Eval();
  } catch (const mu::Parser::exception_type&) {
    return std::numeric_limits<double>::quiet_NaN();
  }
}

bool Evaluator::AffineIn(const Expression& e, std::span<const int> moving) {
  PARLEY_CHECK(e.id_ < parsers_.size());
  if (e.program_.empty()) return false;  // muparser's: not analysed
  // An answer given before for `e` stands while the moving slots and the bits of the slots
  // that decide its branches (Expression::control_) are the same: a bargain asks again for
  // each package (a discrete issue is a control slot) and at each bargain of a tree.
  std::uint64_t hash = 0xcbf29ce484222325u;
  auto mix = [&](std::uint64_t x) { hash = (hash ^ x) * 0x100000001b3u; };
  for (int slot : moving) mix(static_cast<std::uint64_t>(slot));
  for (int slot : e.control_) mix(std::bit_cast<std::uint64_t>(values_[static_cast<std::size_t>(slot)]));
  if (affine_memo_.empty()) affine_memo_.resize(parsers_.size());
  AffineMemo& memo = affine_memo_[e.id_];
  for (const AffineAnswer& a : memo.answers) {
    if (a.hash != hash || !std::equal(moving.begin(), moving.end(), a.moving.begin(), a.moving.end())) continue;
    bool same = true;
    for (std::size_t k = 0; k < e.control_.size() && same; ++k)
      same = a.control[k] == std::bit_cast<std::uint64_t>(values_[static_cast<std::size_t>(e.control_[k])]);
    if (same) return a.affine;
  }
  FlagSlots(moving, 1);
  const bool affine =
      compiler::ProgramAffineIn(e.program_, values_.get(), moving_.data(), stack_.data(), degree_.data());
  FlagSlots(moving, 0);
  // Kept in a ring of kAffineAnswers per expression (the oldest written over).
  if (memo.answers.size() < kAffineAnswers) memo.answers.emplace_back();
  AffineAnswer& a = memo.answers[memo.next];
  memo.next = (memo.next + 1) % kAffineAnswers;
  a.hash = hash;
  a.affine = affine;
  a.moving.assign(moving.begin(), moving.end());
  a.control.resize(e.control_.size());
  for (std::size_t k = 0; k < e.control_.size(); ++k)
    a.control[k] = std::bit_cast<std::uint64_t>(values_[static_cast<std::size_t>(e.control_[k])]);
  return affine;
}

double Evaluator::EvaluateWatching(const Expression& e, std::span<const int> watched, bool* read) {
  PARLEY_CHECK(e.id_ < parsers_.size());
  if (e.program_.empty()) {
    *read = std::find_first_of(e.used_.begin(), e.used_.end(), watched.begin(), watched.end()) !=
            e.used_.end();
    return Evaluate(e);
  }
  FlagSlots(watched, 1);
  compiler::Reads track{moving_.data()};
  double value = 0;
  compiler::Interpret(e.program_, values_.get(), stack_.data(), track, &value);
  FlagSlots(watched, 0);
  *read = track.read;
  return value;
}

void Evaluator::FlagSlots(std::span<const int> slots, unsigned char flag) {
  for (int slot : slots) {
    PARLEY_CHECK(slot >= 0 && static_cast<std::size_t>(slot) < moving_.size());
    moving_[static_cast<std::size_t>(slot)] = flag;
  }
}

double Evaluator::EvaluateWithMuparser(const Expression& e) {
  try {
    return BoundParser(set_->symbols(), e.used_, values_.get(), e.code_)->Eval();
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
