// The named number formatters: round trip, display with N significant digits, fixed decimals
// for drawings, exact rationals. Expected texts are printf's %g / %f and C++17's shortest
// to_chars, worked by hand.
#include <doctest/doctest.h>

#include <cstdlib>
#include <limits>

#include "solver/model/number.h"

namespace parley {
namespace {

TEST_SUITE("number") {
  TEST_CASE("round trip: the fewest digits that read back to the same double") {
    CHECK(FormatDouble(0.1) == "0.1");
    CHECK(FormatDouble(-0.0) == "0");
    CHECK(FormatDouble(2.5) == "2.5");
    CHECK(FormatDouble(1e21) == "1e+21");
    // 1/3 needs 16 digits: 0.3333333333333333 (17 would be 0.33333333333333331).
    CHECK(FormatDouble(1.0 / 3) == "0.3333333333333333");
    for (double x : {1.0 / 3, 2.0 / 7, 1e-300, 123456.789, -0.000123, 1.0000000000000002e17, 0x1p53, -0x1p60})
      CHECK(std::strtod(FormatDouble(x).c_str(), nullptr) == x);
    // From 2^53 on, with an exponent: "100000000000000016" read as an exact integer where
    // only the double 1.0000000000000002e17 (spacing 16) was meant. Below, whole numbers plain.
    CHECK(FormatDouble(1.0000000000000002e17) == "1.0000000000000002e+17");
    CHECK(FormatDouble(-1e17) == "-1e+17");
    CHECK(FormatDouble(0x1p53) == "9.007199254740992e+15");
    CHECK(FormatDouble(0x1p53 - 1) == "9007199254740991");
  }

  TEST_CASE("display: N significant digits as %g writes them") {
    CHECK(FormatSignificant(1.0 / 3, 6) == "0.333333");
    CHECK(FormatSignificant(2.0 / 3, 4) == "0.6667");
    CHECK(FormatSignificant(1e6, 6) == "1e+06");      // exponent 6 >= 6 digits: scientific
    CHECK(FormatSignificant(123456, 6) == "123456");  // exponent 5 < 6: plain
    CHECK(FormatSignificant(0.5, 10) == "0.5");       // trailing zeros dropped
    CHECK(FormatSignificant(0.00001234, 3) == "1.23e-05");  // exponent -5 < -4: scientific
  }

  TEST_CASE("a NaN is 'nan' whatever its sign bit (0 * -inf is a negative NaN: '-nan' was printed)") {
    const double negative_nan = -std::numeric_limits<double>::quiet_NaN();
    CHECK(FormatDouble(negative_nan) == "nan");
    CHECK(FormatDouble(std::numeric_limits<double>::quiet_NaN()) == "nan");
    CHECK(FormatSignificant(negative_nan, 6) == "nan");
  }

  TEST_CASE("drawing: fixed decimals") {
    CHECK(FormatFixed(3.14159, 1) == "3.1");
    CHECK(FormatFixed(12, 1) == "12.0");
    CHECK(FormatFixed(-0.04, 1) == "-0.0");  // the sign stays; the SVG writer folds it
    CHECK(FormatFixed(0.125, 2) == "0.12");  // 0.125 is exact: ties to even
  }

  TEST_CASE("exact: p or p/q") {
    Rational half_again(6, 4);
    half_again.canonicalize();
    CHECK(FormatRational(half_again) == "3/2");
    CHECK(FormatRational(Rational(-2)) == "-2");
  }
}

}  // namespace
}  // namespace parley
