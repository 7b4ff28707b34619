// How the file writers (.efg, .nfg, Parley's JSON) spell a number so that it reads back as the
// same number: kept apart from number.h, which nearly every file includes.
#pragma once

#include <string>
#include <vector>

#include "solver/model/number.h"

namespace parley {

// The exact text of a rational: "p" or "p/q" when q has at most 40 bits (3, -1/2, 1/10); for
// a larger q, the exact decimal when q has no prime factor but 2 and 5 and the decimal is no
// longer than the fraction (1.0000000000000000000001, 1e-15, written as FormatDouble would
// write a double: the shorter of the plain and the exponent form), else "p/q"
// (3/2417851639229258349412352). Every reader of Parley's reads it back exactly.
std::string ExactNumberText(const Rational& value);

// In a file whose numbers were computed (the writers' `[parley] numbers computed ...` mark),
// the number a decimal stands for: its double, where the decimal is the shortest that reads
// back as that double (how the writers spell a computed number: 0.09999999999999998 for
// 1 - 0.9). Any other number is as stated: integers, fractions, decimals whose value a double
// holds exactly (0.5), and decimals that no double's shortest spelling gives
// (1.0000000000000000000001, stated in the game that was written).
Number AsComputed(const Number& x);

// Whether no double holds `value` exactly (1/3, 1e-15): such a number of a game was stated,
// not computed in floating point (a computed double is its own exact value).
bool HeldByNoDouble(const Rational& value);

// A number of a game as the writers spell it: ExactNumberText(exact) when the number was
// stated exactly (`stated`) or when its denominator has at most 40 bits; otherwise (a double
// computed in floating point, `exact` being the double's value) the shortest decimal that
// reads back as `value` (FormatDouble).
std::string FileNumberText(const Rational& exact, double value, bool stated);

// The chance probabilities of a set as the writers spell them (FileNumberText each). When
// their exact values do not sum to 1 (decimals the readers took within their tolerance of
// 1e-9: 0.3333333333 three times), each fraction that has an exact decimal is spelled as one, so that
// the file reads back by the same rule; as fractions they would be held to an exact sum.
std::vector<std::string> ChanceProbabilityTexts(const std::vector<Rational>& exact,
                                                const std::vector<std::string>& texts);

}  // namespace parley
