// The formula language (solver/formula): the additions to muparser, lazy if(), errors, one
// evaluator per thread over a shared set; and `parley bargain --utility`, which uses the same
// language as scenario files.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "solver/bargaining/agreement_space.h"
#include "solver/formula/formula.h"
#include "tests/test_util.h"

using parley::formula::CompileError;
using parley::formula::Evaluator;
using parley::formula::ExpressionSet;
using parley::testing::RunParley;

TEST_SUITE("formula") {
  TEST_CASE("the language's additions evaluate as documented") {
    ExpressionSet set;
    int a = set.mutable_symbols().Add("a", 2);
    int b = set.mutable_symbols().Add("b", 0);
    const auto* both = set.Add("a > 1 and b > 1", {});
    const auto* either = set.Add("a > 1 or b > 1", {});
    const auto* negated = set.Add("not (a == 2)", {});
    const auto* choice = set.Add("if(b, 10, 20)", {});
    const auto* remainder = set.Add("7 % a", {});
    const auto* power = set.Add("pow(a, 3) + true + false", {});
    const auto* natural = set.Add("log(_e)", {});
    // The constants are the doubles nearest pi and e (muparser's own _pi, built with GCC, is
    // 3.141592653589: sin(_pi) was 7.9e-13).
    const auto* pi = set.Add("_pi", {});
    const auto* e_const = set.Add("_e", {});
    const auto* pi_in_sum = set.Add("a * _pi - _pi", {});
    Evaluator e(set);
    CHECK(e.Evaluate(*both) == 0);     // 2 > 1 but not 0 > 1
    CHECK(e.Evaluate(*either) == 1);
    CHECK(e.Evaluate(*negated) == 0);
    CHECK(e.Evaluate(*choice) == 20);  // b = 0: the else branch
    CHECK(e.Evaluate(*remainder) == 1);  // 7 = 3 * 2 + 1
    CHECK(e.Evaluate(*power) == 9);      // 2^3 + 1 + 0
    CHECK(e.Evaluate(*natural) == doctest::Approx(1.0));  // log is ln, not log10
    CHECK(e.Evaluate(*pi) == 3.141592653589793);
    CHECK(e.Evaluate(*e_const) == 2.718281828459045);
    CHECK(e.Evaluate(*pi_in_sum) == 3.141592653589793);  // 2 pi - pi, both exact in doubles
    e[b] = 3;
    e[a] = 0.5;
    CHECK(e.Evaluate(*both) == 0);
    CHECK(e.Evaluate(*choice) == 10);
    CHECK(both->used_slots() == std::vector<int>{a, b});
  }

  TEST_CASE("if() evaluates only the branch taken") {
    // muparser evaluates every argument of a function; the rewrite to ?: does not, so the
    // untaken log(-1) cannot turn the result into NaN.
    ExpressionSet set;
    int x = set.mutable_symbols().Add("x", 1);
    const auto* f = set.Add("if(x > 0, 1 + if(x > 5, 1, 0), log(-x) * 0)", {});
    Evaluator e(set);
    CHECK(e.Evaluate(*f) == 1);
    e[x] = 7;
    CHECK(e.Evaluate(*f) == 2);
    e[x] = -1;
    CHECK(e.Evaluate(*f) == 0);  // log(1) * 0
  }

  TEST_CASE("two evaluators of one set keep their own values") {
    ExpressionSet set;
    int x = set.mutable_symbols().Add("x", 4);
    const auto* f = set.Add("x * x", {});
    Evaluator one(set), two(set);
    one[x] = 3;
    CHECK(one.Evaluate(*f) == 9);
    CHECK(two.Evaluate(*f) == 16);  // still the initial value
    one.Reset();
    CHECK(one.Evaluate(*f) == 16);
  }

  TEST_CASE("errors name the problem, the place and a likely fix") {
    ExpressionSet set("; hint");
    set.mutable_symbols().Add("cake", 1);
    CHECK_THROWS_WITH_AS(set.Add("cakes - 1", {"f.yaml", 3, 7}),
                         "f.yaml:3:7: undefined name 'cakes' in formula 'cakes - 1' (did you "
                         "mean 'cake'?); hint",
                         CompileError);
    try {
      set.Add("1 + sqr(cake)", {"f.yaml", 2, 1});
      FAIL("no error");
    } catch (const CompileError& e) {
      CHECK(e.problem() == CompileError::Problem::kUnknownFunction);
      CHECK(e.token() == "sqr");
      CHECK(e.where().column == 5);  // "1 + " is four characters
      CHECK(std::string(e.what()).find("did you mean 'sqrt'?") != std::string::npos);
    }
    // A word with letters beyond ASCII: named whole, not cut where the parser stopped ('caf').
    CHECK_THROWS_WITH_AS(set.Add("if(cake == caf\xc3\xa9, 2, 1)", {"f.yaml", 8, 6}),
                         "f.yaml:8:17: 'caf\xc3\xa9' in formula 'if(cake == caf\xc3\xa9, 2, 1)' is not a name a "
                         "formula can use: names are ASCII letters, digits and _ (a label with other "
                         "letters can be chosen, not named in a formula; write the label in ASCII "
                         "letters to name it)",
                         CompileError);
    CHECK_THROWS_AS(set.Add("  ", {}), CompileError);
    CHECK_THROWS_AS(set.Add("cake +", {}), CompileError);
    // An operator with nothing to act on: said in words (muparser's was "Internal error"); two
    // dots are a syntax error, not a number too small for a double.
    CHECK_THROWS_WITH_AS(set.Add("not", {"f.yaml", 4, 6}),
                         "f.yaml:4:9: syntax error in formula 'not': the formula is incomplete (an operator or a "
                         "function lacks what it acts on)",
                         CompileError);
    try {
      set.Add("cake..2", {"f.yaml", 4, 6});
      FAIL("no error");
    } catch (const CompileError& e) {
      CHECK(e.problem() == CompileError::Problem::kSyntax);
      CHECK(std::string(e.what()).find("too small") == std::string::npos);
    }
  }

  TEST_CASE("a single =, a stray comma and a number that underflows are refused where they stand") {
    // muparser reads `a = 2` as an assignment (the formula's value 2, and `a` set to 2 for
    // every later formula) and `x, 2` as a list whose value is its last part.
    ExpressionSet set;
    set.mutable_symbols().Add("a", 1);
    auto refused = [&](const char* text, int column, const char* start) {
      CAPTURE(text);
      try {
        set.Add(text, {"f.yaml", 4, 10});
        FAIL("no error");
      } catch (const CompileError& e) {
        CHECK(e.problem() == CompileError::Problem::kSyntax);
        CHECK(e.where().column == column);
        CHECK(std::string(e.what()).find(start) != std::string::npos);
      }
    };
    refused("a = 2", 12, "'=' in formula 'a = 2' would assign, not compare; write == to compare");
    refused("if(a = 1, 10, 0)", 15, "would assign");
    refused("(a += 1) + 2", 14, "would assign");  // the = of +=
    refused("a === 1", 14, "would assign");       // '==' then a third '='
    refused("if(a == 1, 3, 1), 2", 26, "stray comma in formula");
    refused("a == 1, 1", 16, "stray comma");
    refused("(1, 2) + a", 12, "stray comma");        // parentheses that are not a call
    refused("not (a, 1)", 16, "stray comma");        // `not` is not a function
    refused("a + 1e-400", 14, "is too small to compute with (it would be 0); write 0 if 0 is meant");
    refused("2.5E-999 * a", 10, "too small");
    // What is allowed: comparisons of every kind, commas between a function's arguments at
    // any depth, zeros written with exponents, the smallest subnormal.
    std::vector<const parley::formula::Expression*> allowed;
    for (const char* text : {"a == 1", "a != 2", "a <= 1", "a >= 1", "max(a, min(2, 3), (4))",
                             "if(a == 1, max(1, 2), pow(2, 3))", "0e-999 + 0.0E-400 + a",
                             "4.9e-324 > 0"})
      allowed.push_back(set.Add(text, {}));
    Evaluator e(set);
    for (const auto* f : allowed) CHECK(e.Evaluate(*f) != 0);
  }

  TEST_CASE("min, max and sign keep a value that is not a number, wherever it stands") {
    // muparser's max(1, 0/0) was 1 and max(0/0, 1) NaN, and its sign(0/0) 0: a payoff
    // max(0, log(v - 2)) then paid 0 where its formula is undefined, instead of being refused.
    ExpressionSet set;
    int v = set.mutable_symbols().Add("v", 1);
    const auto* first = set.Add("max(0/0, 1)", {});
    const auto* later = set.Add("max(1, 0/0)", {});
    const auto* lowest = set.Add("min(1, 2, log(v - 2))", {});
    const auto* sign = set.Add("sign(sqrt(v - 2))", {});
    const auto* plain = set.Add("max(v, 3, -1) + min(v, -4) + sign(v - 5)", {});
    Evaluator e(set);
    CHECK(std::isnan(e.Evaluate(*first)));
    CHECK(std::isnan(e.Evaluate(*later)));
    CHECK(std::isnan(e.Evaluate(*lowest)));  // log(-1)
    CHECK(std::isnan(e.Evaluate(*sign)));    // sqrt(-1)
    CHECK(e.Evaluate(*plain) == 3 - 4 - 1);
    e[v] = 11;  // now every argument is a number
    CHECK(e.Evaluate(*lowest) == 1);
    CHECK(e.Evaluate(*sign) == 1);
    CHECK(e.Evaluate(*plain) == 11 - 4 + 1);
  }

  TEST_CASE("reserved names: every function and word of the language") {
    using parley::formula::IsReservedName;
    for (const char* name : {"if", "and", "or", "not", "true", "false", "min", "log", "ln",
                             "pow", "atanh", "_pi"})
      CHECK(IsReservedName(name));
    CHECK_FALSE(IsReservedName("cake"));
    CHECK_FALSE(IsReservedName("nature"));  // the scenario language reserves it, not formulas
  }

  TEST_CASE("bargain --utility accepts what scenario formulas accept: and, if()") {
    parley::bargaining::AgreementSpace space;
    space.issues = {{"x", 0.0, 1.0}};
    space.utilities = {"if(x <= 0.5 and x >= 0, 2 * x, 1)", "1 - x"};
    parley::bargaining::UtilityFunctions u(space);
    CHECK(u.Evaluate({0.25}) == std::vector<double>{0.5, 0.75});
    CHECK(u.Evaluate({0.75}) == std::vector<double>{1, 0.25});

    // Through the command line. Nash: maximise u1 u2; on x <= 1/2 that is 2x(1 - x),
    // increasing up to x = 1/2 (value 1/2); beyond, 1 - x < 1/2. So x = 1/2, payoffs (1, 1/2).
    // Kalai-Smorodinsky with ideal point (1, 1): 2x = 1 - x, x = 1/3, payoffs (2/3, 2/3).
    auto r = RunParley("bargain --issue x=0:1 --utility 'if(x <= 0.5 and x >= 0, 2*x, 1)' "
                       "--utility '1-x' --format json");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("\"nash\"") != std::string::npos);
    auto nash = r.out.find("\"nash\"");
    auto x_at = r.out.find("\"x\": ", nash);
    REQUIRE(x_at != std::string::npos);
    CHECK(std::stod(r.out.substr(x_at + 5)) == doctest::Approx(0.5).epsilon(1e-9));
    auto ks = r.out.find("\"kalai_smorodinsky\"");
    auto ks_x = r.out.find("\"x\": ", ks);
    REQUIRE(ks_x != std::string::npos);
    CHECK(std::stod(r.out.substr(ks_x + 5)) == doctest::Approx(1.0 / 3).epsilon(1e-9));

    auto bad = RunParley("bargain --issue x=0:1 --utility 'y + 1' --utility '1-x'");
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("unknown variable 'y' in the utility of player 1") != std::string::npos);
  }
}
