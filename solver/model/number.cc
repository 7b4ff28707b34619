#include "solver/model/number.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <clocale>
#include <cstdlib>
#include <numeric>
#include <string>

#include <locale.h>  // newlocale, strtod_l (POSIX and glibc)

#include "solver/model/error.h"
#include "solver/model/number_text.h"

namespace parley {

bool IsWholeDouble(double x) { return std::abs(x) <= 9007199254740992.0 && std::trunc(x) == x; }

bool Number::IsExactOrWhole() const { return IsExact() || IsWholeDouble(value_); }

std::string SourceLocation::ToString() const {
  if (file.empty()) return "";
  std::string out = file;
  // (appended piecewise: GCC 12 warns falsely on ":" + std::to_string(...))
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
    if (column > 0) {
      out += ':';
      out += std::to_string(column);
    }
  }
  return out;
}

std::string Error::Compose(const SourceLocation& where, const std::string& message) {
  std::string prefix = where.ToString();
  return prefix.empty() ? message : prefix + ": " + message;
}

void FailCheck(const char* condition, const char* file, int line) {
  throw InternalError(std::string("internal error: check failed: ") + condition + " at " + file +
                      ":" + std::to_string(line));
}

Number::Number(long value) : value_(static_cast<double>(value)), kind_(Kind::kInteger) {
  if (static_cast<long>(value_) != value || std::abs(value) > (1L << 53)) {
    rational_ = std::make_shared<const Rational>(value);
  }
}

Number::Number(double value) : value_(value), kind_(Kind::kFloat) {}

Number::Number(const Rational& value, Kind kind) : value_(parley::ToDouble(value)), kind_(kind) {
  // Keep the rational only when the double cannot hold it exactly.
  if (!std::isfinite(value_) || ExactRational(value_) != value) {
    rational_ = std::make_shared<const Rational>(value);
  }
}

Rational Number::ToRational() const { return rational_ ? *rational_ : ExactRational(value_); }

namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Parses an optionally signed string of digits into an mpz.
bool ParseInteger(std::string_view s, mpz_class* out) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (!IsDigits(s)) return false;
  if (s.size() <= 18) {
    long v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    *out = negative ? -v : v;
    return true;
  }
  out->set_str(std::string(s), 10);
  if (negative) *out = -*out;
  return true;
}

}  // namespace

bool Number::ParseShort(std::string_view text, Number* out) {
  // Chance probabilities such as 1/3 and payoffs such as 0.25 are this short; the general path
  // builds GMP integers, a rational and its canonical form for each (several allocations).
  // Here the value is reduced in 64-bit integers, and its double is the IEEE quotient of two
  // integers of at most 53 bits, which is correctly rounded: the double parley::ToDouble gives.
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  // Up to 18 digits: at most 10^18 - 1, which an int64 holds without wrapping. A 19th digit
  // is counted (so that the caller sees the run is too long) but not added to the value.
  auto digits = [](std::string_view* rest, std::int64_t* value, std::size_t* count) {
    std::size_t i = 0;
    std::int64_t v = 0;
    while (i < rest->size() && (*rest)[i] >= '0' && (*rest)[i] <= '9' && i < 19) {
      if (i < 18) v = v * 10 + ((*rest)[i] - '0');
      ++i;
    }
    *value = v;
    *count = i;
    rest->remove_prefix(i);
  };
  std::int64_t num = 0, den = 1;
  std::size_t count = 0;
  digits(&s, &num, &count);
  Kind kind;
  if (!s.empty() && s[0] == '/') {
    // The general path: a signed numerator, an unsigned denominator, both non-empty.
    if (count == 0 || count > 18) return false;
    s.remove_prefix(1);
    std::size_t den_count = 0;
    digits(&s, &den, &den_count);
    if (den_count == 0 || den_count > 18 || !s.empty() || den == 0) return false;
    kind = Kind::kFraction;
  } else {
    // A decimal without exponent: digits, a point, digits (at least one digit in all).
    if (count > 18 || s.empty() || s[0] != '.') return false;
    s.remove_prefix(1);
    std::int64_t frac = 0;
    std::size_t frac_count = 0;
    digits(&s, &frac, &frac_count);
    if (!s.empty() || count + frac_count == 0 || count + frac_count > 18) return false;
    for (std::size_t i = 0; i < frac_count; ++i) {
      num *= 10;
      den *= 10;
    }
    num += frac;
    kind = Kind::kDecimal;
  }
  const std::int64_t g = std::gcd(num, den);  // den > 0, so g > 0
  num /= g;
  den /= g;
  // Both below 2^53, so both are exact doubles (and the general path takes its quotient too);
  // larger ones are left to the general path's rounding.
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  if (num >= kExact || den >= kExact) return false;
  if (negative) num = -num;
  Number x;
  x.value_ = static_cast<double>(num) / static_cast<double>(den);
  x.kind_ = kind;
  // A double is a dyadic fraction: it holds num/den (in lowest terms, |num| <= 2^53) exactly
  // iff den is a power of two.
  if ((den & (den - 1)) != 0) x.rational_ = std::make_shared<const Rational>(mpz_class(num), mpz_class(den));
  *out = std::move(x);
  return true;
}

bool Number::Parse(std::string_view text, Number* out) {
  if (text.empty()) return false;
  if (text.size() <= 40 && text.back() >= '0' && text.back() <= '9' &&
      (text.find('/') != std::string_view::npos || text.find('.') != std::string_view::npos) &&
      ParseShort(text, out))
    return true;
  return ParseGeneral(text, out);
}

bool Number::ParseGeneral(std::string_view text, Number* out) {
  if (text.empty()) return false;
  // Fast path: a plain integer that fits in a long.
  {
    std::string_view s = text;
    if (s[0] == '+') s.remove_prefix(1);
    // One sign at most: "+-1" is not a number (from_chars would read the "-1" after the "+").
    if (s.size() < text.size() && !s.empty() && s[0] == '-') return false;
    if (!s.empty() && s.size() <= 18) {
      long v = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec == std::errc() && ptr == s.data() + s.size() && (s[0] != '-' || s.size() > 1)) {
        *out = Number(v);
        return true;
      }
    }
  }
  auto slash = text.find('/');
  if (slash != std::string_view::npos) {
    mpz_class num, den;
    std::string_view den_text = text.substr(slash + 1);
    if (!ParseInteger(text.substr(0, slash), &num) || !IsDigits(den_text) ||
        !ParseInteger(den_text, &den) || den == 0)
      return false;
    Rational q(num, den);
    q.canonicalize();
    *out = Number(q, Kind::kFraction);
    return true;
  }
  // Decimal: [sign] digits [. digits] [e|E [sign] digits], at least one digit in the mantissa.
  std::string_view s = text;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  size_t i = 0;
  std::string digits;
  long exponent = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') digits += s[i++];
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      digits += s[i++];
      --exponent;
    }
  }
  if (digits.empty()) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    std::string_view e = s.substr(i);
    bool eneg = false;
    if (!e.empty() && (e[0] == '+' || e[0] == '-')) {
      eneg = e[0] == '-';
      e.remove_prefix(1);
    }
    if (!IsDigits(e) || e.size() > 6) return false;
    long ev = 0;
    std::from_chars(e.data(), e.data() + e.size(), ev);
    exponent += eneg ? -ev : ev;
    i = s.size();
  }
  if (i != s.size()) return false;
  if (exponent > 10000 || exponent < -10000) return false;
  mpz_class mantissa(digits, 10);
  if (negative) mantissa = -mantissa;
  mpz_class scale;
  mpz_ui_pow_ui(scale.get_mpz_t(), 10, static_cast<unsigned long>(std::labs(exponent)));
  Rational q = exponent >= 0 ? Rational(mantissa * scale) : Rational(mantissa, scale);
  q.canonicalize();
  *out = Number(q, Kind::kDecimal);
  return true;
}

std::string Number::ToString() const {
  if (kind_ == Kind::kFloat) return FormatDouble(value_);
  return FormatRational(ToRational());
}

std::string FormatDouble(double value) {
  std::string out;
  AppendDouble(&out, value);
  return out;
}

void AppendDouble(std::string* out, double value) {
  if (value == 0) {  // also folds -0
    out->push_back('0');
    return;
  }
  if (std::isnan(value)) {  // the sign of a NaN means nothing: "nan", never "-nan"
    out->append("nan");
    return;
  }
  char buffer[64];
  // From 2^53 on, the shortest form is often a long integer (1.0000000000000002e17 is
  // "100000000000000016"), which reads as exact where only 16 digits are: such doubles are
  // written with an exponent.
  auto [ptr, ec] = std::abs(value) >= 0x1p53 && std::isfinite(value)
                       ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific)
                       : std::to_chars(buffer, buffer + sizeof buffer, value);
  (void)ec;
  out->append(buffer, ptr);
}

std::string FormatSignificant(double value, int digits) {
  if (std::isnan(value)) return "nan";
  char buffer[64];  // %g keeps at most `digits` digits and an exponent of up to 3
  const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general,
                                       std::clamp(digits, 1, 40));
  return ec == std::errc() ? std::string(buffer, ptr) : FormatDouble(value);
}

std::string FormatFixed(double value, int decimals) {
  char buffer[512];  // %f of the largest double has 309 digits before the point
  const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed,
                                       std::clamp(decimals, 0, 100));
  return ec == std::errc() ? std::string(buffer, ptr) : FormatDouble(value);
}

double ReadDouble(const char* text, char** end) {
  // One C locale for the process, made on first use (thread-safe static) and never freed.
  static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  // (newlocale fails only without memory; strtod then reads in the process's locale, as before.)
  return c_locale != static_cast<locale_t>(nullptr) ? strtod_l(text, end, c_locale) : std::strtod(text, end);
}

std::string FormatRational(const Rational& value) { return value.get_str(); }

double ToDouble(const Rational& value) {
  const mpz_class& num = value.get_num();
  const mpz_class& den = value.get_den();  // positive in canonical form
  if (num == 0) return 0.0;
  // Both parts exact in a double: IEEE division is correctly rounded already.
  constexpr unsigned kMantissaBits = 53;
  const std::size_t num_bits = mpz_sizeinbase(num.get_mpz_t(), 2);
  const std::size_t den_bits = mpz_sizeinbase(den.get_mpz_t(), 2);
  if (num_bits <= kMantissaBits && den_bits <= kMantissaBits)
    return num.get_d() / den.get_d();  // get_d is exact on integers of 53 bits or fewer
  // Otherwise scale by 2^k so that the quotient m = floor(|num| 2^k / den) has 53 bits, round
  // m half to even on the remainder, and return m 2^-k (exact: m < 2^53 + 1 needs no rounding,
  // and ldexp overflows to inf exactly when the rounded value is 2^1024 or more).
  mpz_class a = abs(num);
  long k = static_cast<long>(kMantissaBits) - static_cast<long>(num_bits) + static_cast<long>(den_bits);
  // |num|/den lies in [2^(num_bits-den_bits-1), 2^(num_bits-den_bits+1)), so m lies in
  // [2^52, 2^54); one step down when it came out with 54 bits.
  auto quotient = [&](long shift, mpz_class* m, mpz_class* r, mpz_class* d) {
    mpz_class n = a;
    *d = den;
    if (shift >= 0) mpz_mul_2exp(n.get_mpz_t(), n.get_mpz_t(), static_cast<mp_bitcnt_t>(shift));
    else mpz_mul_2exp(d->get_mpz_t(), d->get_mpz_t(), static_cast<mp_bitcnt_t>(-shift));
    mpz_fdiv_qr(m->get_mpz_t(), r->get_mpz_t(), n.get_mpz_t(), d->get_mpz_t());
  };
  mpz_class m, r, d;
  quotient(k, &m, &r, &d);
  if (mpz_sizeinbase(m.get_mpz_t(), 2) > kMantissaBits) quotient(--k, &m, &r, &d);
  // Below 2^-1022 the spacing of doubles stays 2^-1074: no finer scale than that.
  constexpr long kSubnormalShift = 1074;
  if (k > kSubnormalShift) quotient(k = kSubnormalShift, &m, &r, &d);
  int tie = mpz_cmp(mpz_class(2 * r).get_mpz_t(), d.get_mpz_t());
  if (tie > 0 || (tie == 0 && mpz_odd_p(m.get_mpz_t()))) ++m;
  double magnitude = std::ldexp(m.get_d(), static_cast<int>(std::max(-100000L, std::min(100000L, -k))));
  return num < 0 ? -magnitude : magnitude;
}

namespace {

// The exact decimal of `value` when its denominator has no prime factor but 2 and 5 (else
// empty), in the shorter of the plain form (0.000123) and the exponent form (1.23e-04), as
// std::to_chars chooses for doubles (the plain one on a tie; the exponent with at least two
// digits).
std::string ExactDecimal(const Rational& value) {
  mpz_class den = value.get_den();
  unsigned long twos = mpz_scan1(den.get_mpz_t(), 0);
  mpz_class rest = den >> twos;
  unsigned long fives = 0;
  while (mpz_divisible_ui_p(rest.get_mpz_t(), 5)) {
    mpz_divexact_ui(rest.get_mpz_t(), rest.get_mpz_t(), 5);
    ++fives;
  }
  if (rest != 1) return "";  // not a finite decimal
  const unsigned long k = std::max(twos, fives);  // value = m / 10^k
  mpz_class scale;
  mpz_ui_pow_ui(scale.get_mpz_t(), 10, k);
  mpz_class m = value.get_num() * scale / den;
  const bool negative = m < 0;
  const std::string digits = mpz_class(abs(m)).get_str();
  const long n = static_cast<long>(digits.size());
  const long kk = static_cast<long>(k);
  std::string plain;
  if (kk == 0) {
    plain = digits;
  } else if (n > kk) {
    plain = digits.substr(0, static_cast<std::size_t>(n - kk)) + "." + digits.substr(static_cast<std::size_t>(n - kk));
  } else {
    plain = "0." + std::string(static_cast<std::size_t>(kk - n), '0') + digits;
  }
  std::string scientific = digits.substr(0, 1);
  if (n > 1) scientific += "." + digits.substr(1);
  const long e = n - 1 - kk;
  std::string exponent = std::to_string(std::labs(e));
  if (exponent.size() < 2) exponent.insert(0, "0");
  scientific += std::string(e < 0 ? "e-" : "e+") + exponent;
  std::string out = negative ? "-" : "";
  out += scientific.size() < plain.size() ? scientific : plain;
  return out;
}

}  // namespace

Number AsComputed(const Number& x) {
  if (x.kind() != Number::Kind::kDecimal || x.DoubleIsExact()) return x;
  Number shortest;
  if (!Number::Parse(FormatDouble(x.ToDouble()), &shortest) || shortest.ToRational() != x.ToRational()) return x;
  return Number(x.ToDouble());
}

std::string ExactNumberText(const Rational& value) {
  const mpz_class& den = value.get_den();
  if (mpz_sizeinbase(den.get_mpz_t(), 2) <= 40) return FormatRational(value);
  std::string fraction = FormatRational(value);
  std::string decimal = ExactDecimal(value);
  if (decimal.empty()) return fraction;
  return decimal.size() <= fraction.size() ? decimal : fraction;
}

bool HeldByNoDouble(const Rational& value) {
  const double nearest = ToDouble(value);
  return !std::isfinite(nearest) || ExactRational(nearest) != value;
}

std::string FileNumberText(const Rational& exact, double value, bool stated) {
  if (stated || mpz_sizeinbase(exact.get_den_mpz_t(), 2) <= 40) return ExactNumberText(exact);
  return FormatDouble(value);
}

std::vector<std::string> ChanceProbabilityTexts(const std::vector<Rational>& exact,
                                                const std::vector<std::string>& texts) {
  Rational sum = 0;
  for (const Rational& p : exact) sum += p;
  if (sum == 1) return texts;
  std::vector<std::string> out = texts;
  for (std::size_t a = 0; a < exact.size(); ++a)
    if (out[a].find('/') != std::string::npos)  // a computed double's text is a decimal already
      if (std::string decimal = ExactDecimal(exact[a]); !decimal.empty()) out[a] = std::move(decimal);
  return out;
}

std::string DoubleRangeProblem(const Number& x) {
  const double d = x.ToDouble();
  if (!std::isfinite(d)) return "is beyond the range of a double (magnitude at most about 1.8e308)";
  if (d == 0 && !x.DoubleIsExact() && x.ToRational() != 0)
    return "is too small to compute with (it would be 0); write 0 if 0 is meant";
  if (std::fpclassify(d) == FP_SUBNORMAL)
    return "is too small to compute with (below about 2.2e-308 a double keeps only some of its digits); "
           "write 0 if 0 is meant, or, for payoffs, scale them all up";
  return {};
}

Rational ExactRational(double value) {
  PARLEY_CHECK(std::isfinite(value));
  return Rational(value);
}

}  // namespace parley
