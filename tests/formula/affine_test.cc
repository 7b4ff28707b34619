// Evaluator::AffineIn: which formulas are certainly affine in some of their names (the issues
// of a bargain) with the others held. Hand cases, then a soundness check: thousands of random
// formulas, and every one the analysis calls affine is checked to be affine numerically (its
// value at a mix of two points is the mix of its values, to rounding). Then
// Evaluator::EvaluateWatching, checked the same way: a formula that did not read a slot gives
// the same bits whatever that slot holds.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "solver/formula/formula.h"

using parley::formula::Evaluator;
using parley::formula::Expression;
using parley::formula::ExpressionSet;

namespace {

// x and y move (issues); p and s are held (a parameter and a stage's choice).
struct Fixture {
  ExpressionSet set;
  int x, y, p, s;
  std::vector<int> moving;
  Fixture() {
    x = set.mutable_symbols().Add("x", 0.3);
    y = set.mutable_symbols().Add("y", 0.7);
    p = set.mutable_symbols().Add("p", 2.5);
    s = set.mutable_symbols().Add("s", 1);
    moving = {x, y};
  }
};

TEST_CASE("formulas certainly affine in the issues, and formulas that are not") {
  Fixture f;
  const std::vector<std::pair<std::string, bool>> cases = {
      {"p * x + 3", true},
      {"x / p - y * (p - 1)", true},
      {"-x + p^2", true},
      {"exp(p) * x - y", true},
      {"sum(x, 2 * y, p)", true},
      {"avg(x, y)", true},
      {"min(p, 1) * x", true},
      {"x * 0", true},                    // constant, hence affine
      {"if(s == 1, x * p, x^2)", true},   // s = 1: the affine branch
      {"if(p > 2, x, x * y) + 1", true},  // p = 2.5
      {"p + s", true},                    // reads no issue at all
      {"x * y", false},
      {"p / x", false},
      {"x^2", false},
      {"(x + p) * (y + p)", false},
      {"if(x > 0.5, x, 0)", false},  // a kink where the branch switches
      {"(x > 1) * 2", false},
      {"min(x, 1)", false},
      {"abs(x)", false},
      {"exp(x)", false},
  };
  std::vector<const Expression*> formulas;
  for (const auto& [text, affine] : cases) formulas.push_back(f.set.Add(text, {}));
  const Expression* switching = f.set.Add("if(s == 1, x * p, x^2)", {});
  Evaluator ev(f.set);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CAPTURE(cases[i].first);
    CHECK(ev.AffineIn(*formulas[i], f.moving) == cases[i].second);
  }
  ev[f.s] = 0;  // the other branch is taken now
  CHECK_FALSE(ev.AffineIn(*switching, f.moving));
}

// Equal bits, or both NaN.
bool SameValue(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// A random formula over x, y, p, s and small constants.
std::string RandomFormula(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> pick(0, depth <= 0 ? 4 : 21);
  const int k = pick(rng);
  auto sub = [&] { return RandomFormula(rng, depth - 1); };
  switch (k) {
    case 0: return "x";
    case 1: return "y";
    case 2: return "p";
    case 3: return "s";
    case 4: return std::to_string(std::uniform_int_distribution<int>(-3, 3)(rng));
    case 5: case 6: return "(" + sub() + " + " + sub() + ")";
    case 7: return "(" + sub() + " - " + sub() + ")";
    case 8: case 9: return "(" + sub() + " * " + sub() + ")";
    case 10: return "(" + sub() + " / " + sub() + ")";
    case 11: return "-(" + sub() + ")";
    case 12: return "if(" + sub() + " > " + sub() + ", " + sub() + ", " + sub() + ")";
    case 13: return "min(" + sub() + ", " + sub() + ")";
    case 14: return "max(" + sub() + ", " + sub() + ", " + sub() + ")";
    case 15: return "abs(" + sub() + ")";
    case 16: return "(" + sub() + ")^2";
    case 17: return "sum(" + sub() + ", " + sub() + ")";
    case 18: return "(" + sub() + " == " + sub() + ")";
    // A branch on a name compared with a name or a constant (one fused instruction).
    case 19: return "if(s == " + std::string(pick(rng) % 2 ? "1" : "p") + ", " + sub() + ", " + sub() + ")";
    case 20: return "if(" + std::string(pick(rng) % 2 ? "x" : "s") + " != 0, " + sub() + ", " + sub() + ")";
    default: return "exp(" + sub() + ")";
  }
}

TEST_CASE("every random formula called affine in the issues is affine") {
  std::mt19937 rng(20261201);
  std::uniform_real_distribution<double> unit(-2, 2), mix(0, 1);
  int certified = 0, refused = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    Fixture f;
    const std::string text = RandomFormula(rng, 4);
    const Expression* e = f.set.Add(text, {});
    Evaluator ev(f.set);
    ev[f.p] = unit(rng);
    ev[f.s] = std::round(unit(rng));
    ev[f.x] = unit(rng);
    ev[f.y] = unit(rng);
    if (!ev.AffineIn(*e, f.moving)) {
      ++refused;
      continue;
    }
    ++certified;
    CAPTURE(text);
    // f(t a + (1 - t) b) = t f(a) + (1 - t) f(b) for points a, b and mixes t, to rounding.
    for (int check = 0; check < 5; ++check) {
      const double ax = unit(rng), ay = unit(rng), bx = unit(rng), by = unit(rng), t = mix(rng);
      ev[f.x] = ax, ev[f.y] = ay;
      const double fa = ev.Evaluate(*e);
      ev[f.x] = bx, ev[f.y] = by;
      const double fb = ev.Evaluate(*e);
      ev[f.x] = t * ax + (1 - t) * bx, ev[f.y] = t * ay + (1 - t) * by;
      const double fm = ev.Evaluate(*e);
      if (!std::isfinite(fa) || !std::isfinite(fb) || !std::isfinite(fm)) continue;
      const double scale = 1 + std::abs(fa) + std::abs(fb);
      CHECK(std::abs(fm - (t * fa + (1 - t) * fb)) <= 1e-9 * scale);
    }
  }
  MESSAGE(certified, " formulas certified affine, ", refused, " not");
  CHECK(certified > 500);  // both kinds were drawn
  CHECK(refused > 500);
}

TEST_CASE("AffineIn's remembered answers: the same as a fresh analysis, whatever moves") {
  // An evaluator keeps AffineIn's answers per formula, keyed on the moving slots and the bits
  // of the slots its conditions read; a slot the key leaves out must not change the answer.
  // Against a fresh evaluator, over random formulas and random sequences of values in which
  // the held names take few values (so that remembered answers are met again) and the moving
  // names any value: a condition whose slots the key missed would show as a different answer.
  std::mt19937 rng(20261202);
  std::uniform_real_distribution<double> unit(-2, 2);
  std::uniform_int_distribution<int> few(-1, 1), coin(0, 2);
  int hits_checked = 0, affine = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    Fixture f;
    const std::string text = RandomFormula(rng, 4);
    const Expression* e = f.set.Add(text, {});
    Evaluator kept(f.set);
    CAPTURE(text);
    for (int round = 0; round < 12; ++round) {
      const double x = unit(rng), y = unit(rng), p = coin(rng) == 0 ? unit(rng) : 0.5 * few(rng),
                   s = few(rng);
      const int which = coin(rng);  // moving: x and y, x alone, or y alone
      const std::vector<int> moving =
          which == 0 ? f.moving : which == 1 ? std::vector<int>{f.x} : std::vector<int>{f.y};
      Evaluator fresh(f.set);
      for (Evaluator* ev : {&kept, &fresh}) {
        (*ev)[f.x] = x;
        (*ev)[f.y] = y;
        (*ev)[f.p] = p;
        (*ev)[f.s] = s;
      }
      const bool expected = fresh.AffineIn(*e, moving);
      CHECK(kept.AffineIn(*e, moving) == expected);
      // Asked again at once (a remembered answer for certain): the same.
      CHECK(kept.AffineIn(*e, moving) == expected);
      ++hits_checked;
      affine += expected;
    }
  }
  MESSAGE(hits_checked, " answers compared, ", affine, " affine");
  CHECK(affine > 1000);
  CHECK(hits_checked - affine > 1000);
}

TEST_CASE("EvaluateWatching: the value Evaluate gives, and whether a watched slot was read") {
  Fixture f;
  const Expression* e = f.set.Add("if(s == 1, x * p, y)", {});
  Evaluator ev(f.set);
  const std::vector<int> watch_y{f.y};
  bool read = true;
  CHECK(ev.EvaluateWatching(*e, watch_y, &read) == 0.3 * 2.5);  // s = 1: x * p
  CHECK_FALSE(read);
  ev[f.s] = 0;  // now the branch that reads y
  CHECK(ev.EvaluateWatching(*e, watch_y, &read) == 0.7);
  CHECK(read);
  const std::vector<int> watch_s{f.s};  // the condition itself is read
  ev.EvaluateWatching(*e, watch_s, &read);
  CHECK(read);
  const std::vector<int> none;
  ev.EvaluateWatching(*e, none, &read);
  CHECK_FALSE(read);
}

TEST_CASE("EvaluateWatching on random formulas: unread slots cannot change the value") {
  std::mt19937 rng(20261202);
  std::uniform_real_distribution<double> unit(-2, 2);
  int unread = 0, read_count = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    Fixture f;
    const std::string text = RandomFormula(rng, 4);
    const Expression* e = f.set.Add(text, {});
    Evaluator ev(f.set);
    const int slots[] = {f.x, f.y, f.p, f.s};
    for (int slot : slots) ev[slot] = slot == f.s ? std::round(unit(rng)) : unit(rng);
    const int watched = slots[std::uniform_int_distribution<int>(0, 3)(rng)];
    const std::vector<int> watch{watched};
    bool read = true;
    const double value = ev.EvaluateWatching(*e, watch, &read);
    CAPTURE(text);
    CHECK(SameValue(value, ev.Evaluate(*e)));
    if (read) {
      ++read_count;
      continue;
    }
    ++unread;
    const double kept = ev[watched];
    for (double other : {kept + 1.0, -kept - 1234.5, 0.0, 1.0, std::nan("")}) {
      ev[watched] = other;
      CHECK(SameValue(ev.Evaluate(*e), value));
    }
    ev[watched] = kept;
  }
  MESSAGE(unread, " evaluations did not read the watched slot, ", read_count, " did");
  CHECK(unread > 500);  // both kinds were drawn
  CHECK(read_count > 500);
}

}  // namespace
