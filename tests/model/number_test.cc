// Rationals to doubles, correctly rounded (nearest, ties to even), checked against hand-worked
// values and against an independent conversion: the C library's strtod reading the exact
// decimal expansion.
#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>

#include "solver/model/number.h"

namespace parley {
namespace {

// 2^e as a rational.
Rational Pow2(long e) {
  mpz_class one = 1;
  mpz_class p;
  mpz_mul_2exp(p.get_mpz_t(), one.get_mpz_t(), static_cast<mp_bitcnt_t>(std::labs(e)));
  return e >= 0 ? Rational(p) : Rational(mpz_class(1), p);
}

// The independent method: write |q| as floor(|q| 10^1200) followed by a sticky digit 1 when
// the division left a remainder, times 10^-1201, and let strtod round it. Every halfway point
// between two doubles has at most 1075 + 53 fractional binary digits, so it terminates within
// 1200 decimals; the sticky digit then keeps the text on the same side of it as q is.
double ByStrtod(const Rational& q) {
  constexpr unsigned long kDigits = 1200;
  mpz_class scale;
  mpz_ui_pow_ui(scale.get_mpz_t(), 10, kDigits);
  mpz_class n = abs(q.get_num()) * scale * 10, quotient, remainder;
  mpz_fdiv_qr(quotient.get_mpz_t(), remainder.get_mpz_t(), n.get_mpz_t(), q.get_den().get_mpz_t());
  if (remainder != 0) quotient += 1;  // the sticky last digit (quotient ends in 0 here)
  std::string text = (q < 0 ? "-" : "") + quotient.get_str() + "e-" + std::to_string(kDigits + 1);
  return std::strtod(text.c_str(), nullptr);
}

TEST_SUITE("model") {
  TEST_CASE("rationals convert to the nearest double") {
    // Decimals people type: 1/10 is 0.1 (the double printed "0.1"), not 0.09999999999999999.
    CHECK(ToDouble(Rational(1, 10)) == 0.1);
    CHECK(ToDouble(Rational(2, 10)) == 0.2);
    CHECK(ToDouble(Rational(1, 3)) == 1.0 / 3.0);  // both parts exact: IEEE division rounds
    CHECK(ToDouble(Rational(-7, 3)) == -7.0 / 3.0);
    // Parsed text takes the same path: "0.20" reads back as 0.2 exactly.
    Number x;
    REQUIRE(Number::Parse("0.20", &x));
    CHECK(x.ToDouble() == 0.2);
    CHECK(FormatDouble(x.ToDouble()) == "0.2");
    REQUIRE(Number::Parse("622.4915254237288", &x));
    CHECK(x.ToDouble() == 622.4915254237288);
    // A 20-digit decimal that get_d() truncated: 0.1 + 10^-20 is nearer 0.1 than any neighbour.
    REQUIRE(Number::Parse("0.10000000000000000001", &x));
    CHECK(x.ToDouble() == 0.1);
  }

  TEST_CASE("ties round to even, at the ends of the double range too") {
    // 2^53 + 1 lies halfway between 2^53 and 2^53 + 2: even mantissa is 2^53.
    Rational two53 = Pow2(53);
    CHECK(ToDouble(two53 + 1) == 9007199254740992.0);
    // 2^53 + 3 lies halfway between 2^53 + 2 and 2^53 + 4: even is 2^53 + 4.
    CHECK(ToDouble(two53 + 3) == 9007199254740996.0);
    // Denominators of more than 53 bits: (2^54 + 1) / 2^54 = 1 + 2^-54, a quarter ulp above 1.
    CHECK(ToDouble((Pow2(54) + 1) / Pow2(54)) == 1.0);
    // 1 + 2^-53 is halfway between 1 and 1 + 2^-52: even is 1; a hair more goes up.
    CHECK(ToDouble(1 + Pow2(-53)) == 1.0);
    CHECK(ToDouble(1 + Pow2(-53) + Pow2(-200)) == std::nextafter(1.0, 2.0));
    // The smallest subnormal 2^-1074; half of it is a tie with 0 (even: 0); a little more
    // than half rounds up; three quarters up; 1.5 times is a tie between 1 and 2 (even: 2).
    const double tiny = std::numeric_limits<double>::denorm_min();
    CHECK(ToDouble(Pow2(-1074)) == tiny);
    CHECK(ToDouble(Pow2(-1075)) == 0.0);
    CHECK(ToDouble(Pow2(-1075) + Pow2(-1200)) == tiny);
    CHECK(ToDouble(Rational(3) * Pow2(-1076)) == tiny);
    CHECK(ToDouble(Rational(3) * Pow2(-1075)) == 2 * tiny);
    CHECK(ToDouble(-Pow2(-1074)) == -tiny);
    CHECK(ToDouble(Pow2(-5000)) == 0.0);
    // DBL_MAX = (2^53 - 1) 2^971; half an ulp above it (2^970) is a tie between DBL_MAX (odd
    // mantissa) and 2^1024: even goes to infinity; a hair less stays DBL_MAX.
    Rational dbl_max = (Pow2(53) - 1) * Pow2(971);
    CHECK(ToDouble(dbl_max) == DBL_MAX);
    CHECK(ToDouble(dbl_max + Pow2(970) - 1) == DBL_MAX);
    CHECK(std::isinf(ToDouble(dbl_max + Pow2(970))));
    CHECK(ToDouble(-dbl_max - Pow2(970)) == -std::numeric_limits<double>::infinity());
    // The smallest normal 2^-1022 and the largest subnormal just below it.
    CHECK(ToDouble(Pow2(-1022)) == DBL_MIN);
    CHECK(ToDouble(Pow2(-1022) - Pow2(-1074)) == std::nextafter(DBL_MIN, 0.0));
  }

  TEST_CASE("random fractions agree with strtod of their exact decimal expansion") {
    std::mt19937_64 rng(20261129);
    auto big = [&](int bits) {
      mpz_class z = 0;
      for (int b = 0; b < bits; b += 64) z = (z << 64) + mpz_class(std::to_string(rng()));
      return mpz_class(z >> ((bits + 63) / 64 * 64 - bits));
    };
    int checked = 0, differs_from_truncation = 0;
    for (int i = 0; i < 3000; ++i) {
      int num_bits = 1 + static_cast<int>(rng() % 200), den_bits = 1 + static_cast<int>(rng() % 200);
      mpz_class n = big(num_bits), d = big(den_bits) + 1;
      if (rng() % 2) n = -n;
      if (i % 10 == 0) n *= mpz_class(1) << static_cast<mp_bitcnt_t>(rng() % 900);  // large
      if (i % 10 == 1) d *= mpz_class(1) << static_cast<mp_bitcnt_t>(rng() % 1100);  // tiny
      Rational q(n, d);
      q.canonicalize();
      double expected = ByStrtod(q);
      CHECK_MESSAGE(ToDouble(q) == expected, q.get_str());
      ++checked;
      differs_from_truncation += q.get_d() != expected;
    }
    CHECK(checked == 3000);
    // Truncation is wrong about half the time: the test would notice get_d().
    CHECK(differs_from_truncation > 500);
  }

  // Parse reads short fractions and decimals ("1/3", "0.25") without GMP; ParseGeneral is the
  // general path alone. They must agree on everything a Number shows.
  void CheckSameAsGeneral(const std::string& text) {
    Number fast, general;
    bool fast_ok = Number::Parse(text, &fast);
    bool general_ok = Number::ParseGeneral(text, &general);
    INFO("text: ", text);
    REQUIRE(fast_ok == general_ok);
    if (!fast_ok) return;
    CHECK(fast.kind() == general.kind());
    CHECK(std::signbit(fast.ToDouble()) == std::signbit(general.ToDouble()));
    CHECK((fast.ToDouble() == general.ToDouble() ||
           (std::isnan(fast.ToDouble()) && std::isnan(general.ToDouble()))));
    CHECK(fast.DoubleIsExact() == general.DoubleIsExact());
    CHECK(fast.ToRational() == general.ToRational());
    CHECK(fast.ToString() == general.ToString());
  }

  TEST_CASE("the short-number fast path agrees with the general path") {
    for (const char* text :
         {"1/3", "1/2", "2/4", "-1/3", "+1/3", "-0/5", "0/1", "007/021", "1/0", "0/0", "1/-3",
          "-/3", "1/", "/3", "1//3", "1/3/4", "--1/3", "+-1/3", "1/3x", "1.5/2", "1/2.5",
          "0.25", "0.1", ".5", "5.", "-.5", "+.5", "-0.0", "-0", "0.", ".", "-.", "1.2.3",
          "1e3", "1.5e3", "2.5e-1", "1E3", "007", "007.50", "0.333333333333333333",
          "0.3333333333333333333", "123456789012345678", "12345678901234567.8",
          "1234567890123456789", "999999999999999999/1", "1/999999999999999999",
          "9007199254740992/1", "9007199254740991/1", "9007199254740993/1", "1/9007199254740992",
          "1/9007199254740991", "1/4503599627370496", "-9007199254740991/4503599627370496",
          "900719925474099.1", "0.000000000000000001", "0.0000000000000000001", "1/1024",
          "3/1024", "0.5", "0.75", "-0.125", "1 /3", "1/ 3", "0x10", "1/3 ", "١/٣"}) {
      CheckSameAsGeneral(text);
    }
    // Random short fractions and decimals, including ones near the 18-digit and 2^53 limits.
    std::mt19937_64 rng(20261201);
    for (int i = 0; i < 20000; ++i) {
      auto digits = [&](int max) {
        int n = 1 + static_cast<int>(rng() % static_cast<unsigned>(max));
        std::string d;
        for (int k = 0; k < n; ++k) d += static_cast<char>('0' + rng() % 10);
        return d;
      };
      std::string sign = rng() % 3 == 0 ? "-" : rng() % 5 == 0 ? "+" : "";
      std::string text = rng() % 2 ? sign + digits(19) + "/" + digits(19)
                                   : sign + digits(10) + "." + digits(10);
      CheckSameAsGeneral(text);
    }
  }

  TEST_CASE("one sign at most") {
    // "+-1" was read as -1 (the integer path skipped the "+" and from_chars took "-1"), while
    // "-+1" and "++1" were refused.
    Number x;
    for (const char* text : {"+-1", "-+1", "++1", "--1", "+-1/2", "+-0.5", "+-1e3", "+", "-", "+-"}) {
      CAPTURE(text);
      CHECK_FALSE(Number::Parse(text, &x));
    }
    for (const char* text : {"+1", "-1", "+1/2", "-0.5", "+1e3"}) {
      CAPTURE(text);
      CHECK(Number::Parse(text, &x));
    }
  }
}

}  // namespace
}  // namespace parley
