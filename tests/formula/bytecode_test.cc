// Parley's formula bytecode against muparser: hand cases of precedence and associativity
// (the arithmetic in the comments), then thousands of random formulas over the whole
// language, each evaluated both ways at random values (0, -0, negatives, NaN, infinities),
// compared bit for bit (any NaN equals any NaN).
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "solver/formula/formula.h"

using parley::formula::CompileError;
using parley::formula::Evaluator;
using parley::formula::Expression;
using parley::formula::ExpressionSet;

namespace {

// Equal bits (so 0 and -0 differ), or both NaN whatever their payloads.
bool SameBits(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Random formulas over the language, as a scenario's author could write them (the words,
// if(), %, ?:, every function), with and without parentheses.
class FormulaGenerator {
 public:
  explicit FormulaGenerator(std::uint32_t seed) : rng_(seed) {}

  std::string Formula() { return Expr(Pick(1, 5)); }

 private:
  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  const std::string& Any(const std::vector<std::string>& words) {
    return words[static_cast<std::size_t>(Pick(0, static_cast<int>(words.size()) - 1))];
  }

  std::string Atom() {
    static const std::vector<std::string> atoms{
        "x", "y", "z", "w", "x", "y", "0", "1", "2", "3", "4", "0.5", ".25", "0.1", "2.5e2",
        "1e-3", "1e308", "7", "true", "false", "_pi", "_e"};
    return Any(atoms);
  }

  std::string Expr(int depth) {
    if (depth <= 0) return Atom();
    static const std::vector<std::string> binary{
        "+", "-", "*", "/", "^", "%", "<", ">", "<=", ">=", "==", "!=", "&&", "||",
        " and ", " or ", "+", "-", "*", "*", "^"};
    static const std::vector<std::string> unary{
        "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
        "acosh", "atanh", "log2", "log10", "log", "ln", "exp", "sqrt", "sign", "rint", "abs"};
    static const std::vector<std::string> variadic{"min", "max", "sum", "avg"};
    auto sub = [&] { return Expr(depth - Pick(1, 2)); };
    switch (Pick(0, 14)) {
      case 0:
      case 1:
      case 2:
      case 3: {
        std::string op = Any(binary);
        return sub() + op + sub();
      }
      case 4: return "(" + sub() + ")";
      case 5: return (Pick(0, 1) ? "-" : "+") + sub();
      case 6: return Pick(0, 1) ? "not (" + sub() + ")" : "!" + Atom();
      case 7: return "if(" + sub() + ", " + sub() + ", " + sub() + ")";
      case 8: return "(" + sub() + " ? " + sub() + " : " + sub() + ")";
      case 9: return "pow(" + sub() + ", " + sub() + ")";
      case 10: return Any(unary) + "(" + sub() + ")";
      case 11: {
        std::string call = Any(variadic) + "(" + sub();
        for (int k = Pick(0, 3); k > 0; --k) call += ", " + sub();
        return call + ")";
      }
      case 12: {
        // The shapes muparser's optimizer rewrites: a*x+b, x^2..x^4, x*x, constants.
        static const std::vector<std::string> shapes{
            "x^2", "x^3", "x^4", "x^0", "x^1", "x*x", "2*x", "x*3", "x+1", "1-x", "x-x", "x+x",
            "(3*x+1)*2", "2*(x*0.1-0.7)", "0.3*x/3", "x/0", "-x*2", "-x^2", "2^-x", "x*-1",
            "-0*x", "x*y", "-(x)", "0.5 && 1", "x && 0.5", "2^3^2", "-2^2"};
        return Any(shapes);
      }
      case 13: {
        // A branch on a name compared with a name or a constant (one fused instruction).
        static const std::vector<std::string> right{"x", "y", "1", "0", "2.5", "_pi"};
        return "if(" + Any({"x", "y", "z"}) + (Pick(0, 1) ? " == " : " != ") + Any(right) + ", " +
               sub() + ", " + sub() + ")";
      }
      default: return sub() + (Pick(0, 1) ? "*" : "+") + sub();
    }
  }

  std::mt19937 rng_;
};

double RandomValue(std::mt19937& rng) {
  static const double kSpecial[] = {0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -2.5, 3.0, 1e-300, 1e300,
                                    std::numeric_limits<double>::quiet_NaN(),
                                    std::numeric_limits<double>::infinity(),
                                    -std::numeric_limits<double>::infinity()};
  std::uniform_int_distribution<int> which(0, 25);
  int k = which(rng);
  if (k < 13) return kSpecial[k];
  return std::uniform_real_distribution<double>(-10, 10)(rng);
}

// Symbols x, y, z, w at random initial values, then ten random formulas over them, of which
// those muparser accepts (it rejects some, e.g. `!` before a parenthesis-free sum).
std::vector<const Expression*> AddRandomFormulas(ExpressionSet& set, FormulaGenerator& generator,
                                                 std::mt19937& rng) {
  for (const char* name : {"x", "y", "z", "w"}) set.mutable_symbols().Add(name, RandomValue(rng));
  std::vector<const Expression*> formulas;
  for (int k = 0; k < 10; ++k) {
    try {
      formulas.push_back(set.Add(generator.Formula(), {}));
    } catch (const CompileError&) {
      // not a formula
    }
  }
  return formulas;
}

// Whether a formula's text has a comparison, a logical operator or a condition: where one of
// them reads a NaN, the bytecode gives NaN and muparser 0 or 1 (or a branch).
bool HasDecision(const std::string& text) {
  return text.find_first_of("<>=!&|?") != std::string::npos || text.find("if(") != std::string::npos ||
         text.find("and") != std::string::npos || text.find("or") != std::string::npos ||
         text.find("not") != std::string::npos;
}

// Checks that `e` gives muparser's value, bit for bit, at `ev`'s values (x, y, z, w), apart
// from NaN where a decision may have read one (the NaN rule is tested on its own below).
void CheckAsMuparser(Evaluator& ev, const Expression& e) {
  const double ours = ev.Evaluate(e), theirs = ev.EvaluateWithMuparser(e);
  INFO(e.text(), " at x=", ev[0], " y=", ev[1], " z=", ev[2], " w=", ev[3]);
  const bool same = SameBits(ours, theirs) || (std::isnan(ours) && HasDecision(e.text()));
  CHECK_MESSAGE(same, ours, " != ", theirs);
}

double Value(const std::string& text) {
  ExpressionSet set;
  const Expression* e = set.Add(text, {});
  Evaluator ev(set);
  return ev.Evaluate(*e);
}

}  // namespace

TEST_SUITE("formula") {
  TEST_CASE("bytecode: precedence and associativity as muparser's") {
    CHECK(Value("-2^2") == -4);          // the sign binds looser than ^: -(2^2)
    CHECK(Value("2^3^2") == 512);        // ^ is right-associative: 2^(3^2) = 2^9
    CHECK(Value("2-3-4") == -5);         // left: (2-3)-4
    CHECK(Value("8/4/2") == 1);          // left: (8/4)/2
    CHECK(Value("7 % 4 % 2") == 1);      // left: (7 % 4) % 2 = 3 % 2
    CHECK(Value("-7 % 3") == -1);        // fmod keeps the dividend's sign
    CHECK(Value("2 + 3 * 4 ^ 2") == 50);  // 2 + 3 * 16
    CHECK(Value("1 || 0 && 0") == 1);    // && binds tighter: 1 || (0 && 0)
    CHECK(Value("(1 < 2) == 1") == 1);   // a comparison is 0 or 1 (a chain without parentheses is refused)
    CHECK(Value("2 * -3") == -6);
    CHECK(Value("1 ? 2 : 0 ? 3 : 4") == 2);
    CHECK(Value("0 ? 2 : 0 ? 3 : 4") == 4);  // the else branch nests: 0 ? 2 : (0 ? 3 : 4)
    CHECK(Value("1 + 0 ? 5 : 6") == 5);  // ?: binds loosest: (1 + 0) ? 5 : 6
    CHECK(Value("not (1 == 2) and true") == 1);
    CHECK(std::isinf(Value("1 / 0")));
    CHECK(std::isnan(Value("0 / 0")));
    CHECK(std::isnan(Value("(-8) ^ (1/3)")));  // pow of a negative base, fractional exponent
    CHECK(Value("(-2) ^ 3") == -8);
    // muparser folds `&&` of two constants through (int), so 0.5 counts as false there, but
    // not when a value comes from a name: the bytecode keeps both behaviours.
    CHECK(Value("0.5 && 1") == 0);
    ExpressionSet set;
    int x = set.mutable_symbols().Add("x", 0.5);
    const Expression* half = set.Add("x && 1", {});
    const Expression* signed_zero = set.Add("-x*2", {});  // (-x)*2, not -(x*2 + 0)
    Evaluator ev(set);
    CHECK(ev.Evaluate(*half) == 1);
    ev[x] = -0.0;
    CHECK(!std::signbit(ev.Evaluate(*signed_zero)));  // (-(-0))*2 = +0
    CHECK(half->compiled());
    CHECK(signed_zero->compiled());
  }

  TEST_CASE("a comparison, a logical operator or a condition that reads NaN gives NaN") {
    // muparser gives 0 or 1 (NaN < 1 is false; NaN as a condition is non-zero, so true): a
    // value that is not a number would turn into one, and a stage be played or a branch taken
    // on it. The bytecode gives NaN, which every consumer refuses with a located message.
    for (const char* text : {"0/0 > 1", "0/0 == 0/0", "0/0 != 2", "1 and 0/0", "0/0 or 1", "not (0/0)",
                             "if(0/0, 5, 1)", "0/0 ? 5 : 1", "if(0/0 > 1, 5, 1) + 2"}) {
      CAPTURE(text);
      CHECK(std::isnan(Value(text)));
    }
    ExpressionSet set;
    const int x = set.mutable_symbols().Add("x", 0.0);
    set.mutable_symbols().Add("y", 1.0);
    const Expression* compare = set.Add("x < y", {});
    const Expression* branch = set.Add("if(x == 2, 10, 20)", {});  // a fused comparison
    const Expression* plain = set.Add("x * 2 + y", {});
    Evaluator ev(set);
    CHECK(ev.Evaluate(*compare) == 1);
    CHECK(ev.Evaluate(*branch) == 20);
    ev[x] = std::numeric_limits<double>::quiet_NaN();
    CHECK(std::isnan(ev.Evaluate(*compare)));
    CHECK(std::isnan(ev.Evaluate(*branch)));
    CHECK(std::isnan(ev.Evaluate(*plain)));
    CHECK(compare->compiled());
    CHECK(branch->compiled());
    // Decisions on numbers are as before, infinities included.
    CHECK(Value("1/0 > 1") == 1);
    CHECK(Value("if(-1/0 < 0, 5, 1)") == 5);
  }

  TEST_CASE("bytecode: equal to muparser bit for bit on random formulas") {
    FormulaGenerator generator(20261130);
    std::mt19937 rng(7);
    int accepted = 0, compiled = 0, compared = 0;
    for (int round = 0; round < 400; ++round) {
      ExpressionSet set;
      const std::vector<const Expression*> formulas = AddRandomFormulas(set, generator, rng);
      Evaluator ev(set);
      for (int draw = 0; draw < 4; ++draw) {
        if (draw > 0)
          for (int slot = 0; slot < 4; ++slot) ev[slot] = RandomValue(rng);
        for (const Expression* e : formulas) {
          CheckAsMuparser(ev, *e);
          ++compared;
        }
      }
      accepted += static_cast<int>(formulas.size());
      for (const Expression* e : formulas) compiled += e->compiled() ? 1 : 0;
    }
    MESSAGE(accepted, " formulas, ", compiled, " compiled to bytecode, ", compared, " comparisons");
    CHECK(accepted > 2000);
    CHECK(compiled == accepted);  // every formula of the language is covered
  }

  // ExpressionSet::Hoist: values computed from invariant names alone move out of the formulas
  // and are computed once per Refresh. Every formula must keep muparser's value bit for bit
  // whatever moves, as long as Refresh follows each change of an invariant name; after a
  // Reset and before the next Refresh the formulas run as compiled.
  TEST_CASE("hoisted invariant values: the same bits as muparser's, before and after a refresh") {
    FormulaGenerator generator(20261202);
    std::mt19937 rng(11);
    int hoisted_formulas = 0, compared = 0;
    std::size_t hoisted_values = 0;
    for (int round = 0; round < 300; ++round) {
      ExpressionSet set;
      const std::vector<const Expression*> formulas = AddRandomFormulas(set, generator, rng);
      // x and y are invariant (z too in every third round), w always varies.
      std::vector<int> invariant{0, 1};
      if (round % 3 == 0) invariant.push_back(2);
      set.Hoist(invariant);
      hoisted_values += set.hoisted_values();
      Evaluator ev(set);
      auto compare_all = [&] {
        for (const Expression* e : formulas) {
          CheckAsMuparser(ev, *e);
          ++compared;
        }
      };
      compare_all();  // not refreshed yet: as compiled
      for (int draw = 0; draw < 3; ++draw) {
        for (int slot : invariant) ev[slot] = RandomValue(rng);
        ev.Refresh();
        for (int inner = 0; inner < 3; ++inner) {
          for (int slot = 0; slot < 4; ++slot)
            if (std::find(invariant.begin(), invariant.end(), slot) == invariant.end())
              ev[slot] = RandomValue(rng);
          compare_all();
        }
      }
      ev.Reset();
      compare_all();
      for (const Expression* e : formulas) hoisted_formulas += e->hoisted() ? 1 : 0;
    }
    MESSAGE(hoisted_formulas, " formulas with hoisted values, ", hoisted_values, " values hoisted, ",
            compared, " comparisons");
    CHECK(hoisted_formulas > 500);
  }

  TEST_CASE("hoisting: only runs of two or more instructions, shared, recomputed when read names change") {
    ExpressionSet set;
    const int a = set.mutable_symbols().Add("a", 6), b = set.mutable_symbols().Add("b", 3);
    const int c = set.mutable_symbols().Add("c", 12), x = set.mutable_symbols().Add("x", 2);
    const Expression* both = set.Add("a / b * x", {});         // (a / b) hoisted: 2 * 2 = 4
    const Expression* again = set.Add("x - a / b", {});        // the same value, read: 2 - 2 = 0
    const Expression* single = set.Add("a * x", {});           // a name alone: nothing to hoist
    const Expression* cond = set.Add("if(a > b, x, -x)", {});  // the condition: a > b = 1, so 2
    const Expression* other = set.Add("x + c / a", {});        // 2 + 12 / 6 = 4
    set.Hoist(std::vector<int>{a, b, c});
    CHECK(set.hoisted_values() == 3);  // a / b, a > b and c / a
    CHECK(both->hoisted());
    CHECK(again->hoisted());
    CHECK(!single->hoisted());
    CHECK(cond->hoisted());
    CHECK(other->hoisted());
    Evaluator ev(set);
    ev.Refresh();
    CHECK(ev.Evaluate(*both) == 4);
    CHECK(ev.Evaluate(*again) == 0);
    CHECK(ev.Evaluate(*single) == 12);
    CHECK(ev.Evaluate(*cond) == 2);
    CHECK(ev.Evaluate(*other) == 4);
    ev[x] = 5;  // a varying name: no refresh needed
    CHECK(ev.Evaluate(*both) == 10);
    CHECK(ev.Evaluate(*cond) == 5);
    ev[b] = 12;  // an invariant one: refreshed (c / a, which does not read b, is kept)
    ev.Refresh();
    CHECK(ev.Evaluate(*both) == 2.5);  // 6 / 12 * 5
    CHECK(ev.Evaluate(*cond) == -5);   // 6 > 12 is false
    CHECK(ev.Evaluate(*other) == 7);   // 5 + 12 / 6
    ev[c] = 3;
    ev.Refresh();
    CHECK(ev.Evaluate(*other) == 5.5);  // 5 + 3 / 6
    CHECK(ev.Evaluate(*both) == 2.5);
    ev.Reset();  // back to the initial values, the formulas as compiled until a refresh
    CHECK(ev.Evaluate(*other) == 4);  // 2 + 12 / 6
    ev.Refresh();
    CHECK(ev.Evaluate(*other) == 4);
    CHECK(ev.Evaluate(*both) == 4);
  }
}
