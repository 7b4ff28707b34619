// Small text helpers shared by the report writers: numbers as people read them, names of
// actions, players and nodes in sentences.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "solver/model/game.h"

namespace parley::report {

// A value for people: integers as integers; a decimal of up to 4 places when one holds the
// value ("12.1", "0.25"); else a fraction with a denominator up to 64 ("2/3", "-4/3"); else 6
// significant digits, or more where six would change the integer part ("1234567890.123", not
// "1.23457e+09"). A value within 1e-9 of one of these (relative to it below 1) reads as it,
// but a large one only within a few units in the last place, as ShowNumber:
// 1000000000002.5 is not 1000000000003. -0 shows as 0, and so does anything below 1e-12 of
// `unit`, the size of the quantities the value comes from: equilibrium::TieUnit(game) for a
// game's payoffs and values (3e-13 stays 3e-13 in a game stated in units of 1e-13, a residue
// of 1e-17 in a game whose payoffs are about 1 is 0), 1 for other numbers.
std::string FormatValue(double value, double unit);
// FormatValue with unit 1: parameters, probabilities and other numbers of size 1 or more.
std::string FormatValue(double value);
// Per player: whether two different payoffs the player can end with (the totals at the
// leaves, and the vectors in `extra`, such as an equilibrium's expected payoffs) read the same
// in FormatValue ("1" for 1, 1.0000001 and 0.9999999): then that player's payoffs are written
// in full wherever a report shows them, or a strict preference would read as a tie.
std::vector<char> PlayersNeedingAllDigits(const model::Game& game, const std::vector<std::vector<double>>& extra = {});
// FormatValue (at the game's `unit`), or every digit (FormatDouble) when `all_digits`.
std::string FormatPayoff(double value, bool all_digits, double unit = 1);
// A probability: FormatValue, but one from 1e-15 to 1e-12 in six significant digits (1e-13),
// and one 1e-15 or more short of 1 with the digits that tell it from 1, to a tenth of its
// distance from 1 (0.999999999999, not 1); nearer 0 or 1 than 1e-15 is rounding.
std::string FormatProbability(double value);
// A chance probability as the game states it ("1/3", "0.25"); one whose text is longer (a
// computed double, a huge fraction) as FormatProbability shows it, or as stated when that
// would show a probability that is not 0 or 1 as 0 or 1.
std::string ChanceProbText(const model::Game& game, model::InfosetId h, std::uint32_t a);
// "A", "A and B", "A, B and C".
std::string JoinWithAnd(const std::vector<std::string>& items);
// The text with its first letter in upper case.
std::string Capitalize(std::string text);
// An action's label, or "#k" (1-based) when it has none.
std::string ActionName(const model::Game& game, model::InfosetId h, std::uint32_t a);
// The mover's name; "Chance" for chance nodes.
std::string MoverName(const model::Game& game, model::NodeId v);
// Where a node is, opening a sentence: "At the root", "After In > Fight", "At node \"x\"".
std::string NodePhrase(const model::Game& game, model::NodeId v);
// The payoff vector (one per player) as "(3, -1)", each FormatValue(x, unit).
std::string FormatVector(const std::vector<double>& values, double unit = 1);

}  // namespace parley::report
