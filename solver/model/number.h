// Numbers as the input gave them. Payoffs and probabilities are kept exactly when the input
// states them exactly (an integer, a fraction such as 1/3, or a decimal such as 0.1, which
// means exactly 1/10), and as doubles when they were computed in floating point (formulas in
// scenario files). Solvers work in doubles by default and in GMP rationals with --exact.
#pragma once

#include <gmpxx.h>

#include <memory>
#include <string>
#include <string_view>

namespace parley {

using Rational = mpq_class;

// Whether a double is a whole number that doubles hold exactly (|x| <= 2^53). A formula's
// result that is one (2 * k, 10 - 3, 0.5 * 4) is taken as the number the formula meant:
// rounding moves a value off a whole number ((0.1 + 0.2) * 10 is 3.0000000000000004), and
// onto one only from within a unit in the last place (0.1 * 30 is 3, as meant).
bool IsWholeDouble(double x);

class Number {
 public:
  enum class Kind : unsigned char {
    kInteger,   // exact, an integer
    kFraction,  // exact, written as a ratio p/q
    kDecimal,   // exact decimal fraction, written with a point or exponent
    kFloat,     // a double computed in floating point; exact only as that double
  };

  Number() : Number(0L) {}
  Number(int value) : Number(static_cast<long>(value)) {}  // NOLINT: implicit by design
  Number(long value);                                       // NOLINT
  Number(double value);                                     // NOLINT
  Number(const Rational& value, Kind kind);

  // Parses "3", "-1/2", "0.25", "2.5e-1", ".5", "+7". Returns false on anything else
  // (including a zero denominator).
  static bool Parse(std::string_view text, Number* out);
  // Parse without its fast path for short fractions and decimals (which builds no GMP
  // number): the general path alone, so that tests can check the two agree on every input.
  static bool ParseGeneral(std::string_view text, Number* out);

  Kind kind() const { return kind_; }
  bool IsExact() const { return kind_ != Kind::kFloat; }
  // Stated exactly, or a double computed in floating point whose value is a whole number
  // (IsWholeDouble): what Game::numbers_stated_exactly counts as stated.
  bool IsExactOrWhole() const;
  double ToDouble() const { return value_; }
  // The exact value: the rational the input stated, or the double's exact value.
  Rational ToRational() const;
  // True when ToDouble() is exactly ToRational() (integers up to 2^53, dyadic fractions).
  bool DoubleIsExact() const { return rational_ == nullptr; }

  // "3", "-1/2" for exact numbers; shortest round-trip decimal for floats.
  std::string ToString() const;

 private:
  double value_ = 0.0;
  Kind kind_ = Kind::kInteger;
  // The fast path of Parse: "p/q" and "[sign]digits[.digits]" with at most 18 digits on
  // either side; false (with *out untouched) for anything else, which ParseGeneral decides.
  static bool ParseShort(std::string_view text, Number* out);

  // Set only when no double holds the value exactly; shared so that copies stay cheap and
  // numbers that doubles hold exactly (the common case) never touch GMP.
  std::shared_ptr<const Rational> rational_;
};

// The number formatters, one per purpose; every number Parley writes goes through one of them.
//  * round trip: the fewest digits that read back to the same double (JSON, CSV, .efg, .nfg;
//    "0" for both zeros): FormatDouble.
//  * display: `digits` significant digits, printf's %g ("0.333333", "1e+06"), for text meant
//    for people: FormatSignificant. (report::FormatValue builds on it: integers, short
//    decimals and small fractions as a textbook writes them.)
//  * drawing: `decimals` digits after the point, for coordinates in SVG: FormatFixed.
//  * exact: a rational as "p" or "p/q": FormatRational.
// Every one writes a point, never a comma, whatever locale the host program has set (a Python
// session after locale.setlocale): std::to_chars does the work, as printf in the C locale
// would. libfmt would add a dependency without a purpose it misses (docs/architecture.md).
std::string FormatDouble(double value);
// FormatDouble(value) appended to *out (no allocation when *out has the room).
void AppendDouble(std::string* out, double value);
std::string FormatSignificant(double value, int digits);
std::string FormatFixed(double value, int decimals);
std::string FormatRational(const Rational& value);
// std::strtod's reading of the NUL-terminated `text` (decimal or hexadecimal, inf, nan; +-inf
// beyond the largest double, 0 or a subnormal below the smallest), always as in the C locale:
// strtod itself follows LC_NUMERIC, so in a decimal-comma locale it stops "0.5" at the point.
// *end (when given) is set as strtod sets it.
double ReadDouble(const char* text, char** end = nullptr);
// Converts a double to the rational it holds exactly.
Rational ExactRational(double value);
// The double nearest to `value` (ties to even, as IEEE 754 rounds), +-inf beyond the largest
// double. GMP's own mpq_class::get_d() truncates toward zero, so 1/5 would become
// 0.19999999999999998 instead of 0.2.
double ToDouble(const Rational& value);
// Why a number read from a game file cannot be computed with in doubles, as the end of a
// sentence about it: "is beyond the range of a double (...)" when its magnitude exceeds the
// largest double; "is too small to compute with (it would be 0); ..." when it is not 0 but its
// nearest double is (1e-400), and likewise when that double is subnormal (1e-320: below about
// 2.2e-308 a double keeps only some of the digits, and the LP solver cannot scale it); empty
// when it fits.
std::string DoubleRangeProblem(const Number& x);

}  // namespace parley
