#include "solver/report/text.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <algorithm>

#include "solver/equilibrium/profile.h"
#include "solver/model/number.h"
#include "solver/report/solution.h"

namespace parley::report {

std::string FormatValue(double value, double unit) {
  // Rounding noise (a residue of 1e-17 for 0 in a game whose payoffs are about 1) is 0; a value
  // that is small only beside 1 (3e-13 in a game stated in units of 1e-13) is not.
  if (value == 0 || std::abs(value) < 1e-12 * unit) return "0";
  if (!std::isfinite(value)) return std::isnan(value) ? "n/a" : (value > 0 ? "inf" : "-inf");
  // Within 1e-9 of the value (relative below 1: an absolute 1e-9 would round 5e-10 to 0), or a
  // few units in the last place as ShowNumber allows; never 1e-9 of a large value, which made
  // 1000000000002.5 the integer 1000000000003 and 1234567890.123 the integer 1234567890.
  const double ulp = std::nextafter(std::abs(value), HUGE_VAL) - std::abs(value);
  const double tolerance = std::max(1e-9 * std::min(std::abs(value), 1.0), 4 * ulp);
  if (std::abs(value) < 1e15 && std::abs(value - std::round(value)) < tolerance)
    return std::to_string(static_cast<long long>(std::round(value)));
  if (std::abs(value) < 1e9) {
    // A short decimal when one holds the value (12.1, 0.25) ...
    for (int digits = 1; digits <= 4; ++digits) {
      std::string text = FormatFixed(value, digits);
      if (std::abs(ReadDouble(text.c_str()) - value) < tolerance) return text;
    }
    // ... else a fraction with a small denominator (2/3, -4/3), as textbooks write them.
    for (long q = 3; q <= 64; ++q) {
      double p = std::round(value * static_cast<double>(q));
      if (std::abs(p / static_cast<double>(q) - value) < tolerance)
        return std::to_string(static_cast<long long>(p)) + "/" + std::to_string(q);
    }
  }
  // Six significant digits, unless they change the integer part (1234567890.123 would read
  // 1.23457e+09, 2.9999999 would read 3): then the digits the text output shows.
  std::string text = FormatSignificant(value, 6);
  if (std::trunc(ReadDouble(text.c_str())) != std::trunc(value)) return ShowNumber(value, unit);
  return text;
}

std::string FormatValue(double value) { return FormatValue(value, 1.0); }

std::vector<char> PlayersNeedingAllDigits(const model::Game& game, const std::vector<std::vector<double>>& extra) {
  const int np = game.num_players();
  const model::NodeId n = game.num_nodes();
  std::vector<double> total(static_cast<std::size_t>(n) * np, 0.0);  // outcomes met down to each node
  std::vector<std::vector<double>> ends(static_cast<std::size_t>(np));
  for (model::NodeId v = 0; v < n; ++v) {  // preorder: a parent before its children
    const model::OutcomeId o = game.outcome(v);
    for (int p = 0; p < np; ++p) {
      double t = v == model::Game::root() ? 0.0 : total[static_cast<std::size_t>(game.parent(v)) * np + p];
      if (o != model::kNoOutcome) t += game.payoff(o, p);
      total[static_cast<std::size_t>(v) * np + p] = t;
      if (game.is_terminal(v)) ends[p].push_back(t);
    }
  }
  for (const auto& e : extra)
    for (int p = 0; p < np && static_cast<std::size_t>(p) < e.size(); ++p) ends[p].push_back(e[p]);
  // Values within the solver's tie rule (1e-12 of their size, or of the game's payoff unit,
  // equilibrium::TieUnit) count as the same (0.1 + 0.2 and 0.3); beyond it, two that read alike
  // need every digit. Only values closer than 1e-5 of their size can read alike (FormatValue
  // keeps six digits).
  const double unit = equilibrium::TieUnit(game);
  std::vector<char> out(static_cast<std::size_t>(np), 0);
  for (int p = 0; p < np; ++p) {
    std::vector<double>& e = ends[p];
    std::sort(e.begin(), e.end());
    e.erase(std::unique(e.begin(), e.end()), e.end());
    for (std::size_t k = 1; k < e.size() && !out[p]; ++k) {
      const double a = e[k - 1], b = e[k], size = std::max(std::abs(a), std::abs(b));
      if (!std::isfinite(a) || !std::isfinite(b) || b - a <= 1e-12 * std::max(unit, size)) continue;
      if (b - a <= 1e-5 * size && FormatValue(a, unit) == FormatValue(b, unit)) out[p] = 1;
    }
  }
  return out;
}

std::string FormatPayoff(double value, bool all_digits, double unit) {
  return all_digits && std::isfinite(value) && value != 0 ? FormatDouble(value) : FormatValue(value, unit);
}

std::string FormatProbability(double value) {
  // A probability is no payoff sum with rounding to hide below 1e-12: a chance move of 1e-13
  // is one (reach products of such moves too); below 1e-15 is rounding.
  if (std::abs(value) >= 1e-15 && std::abs(value) < 1e-12) return FormatSignificant(value, 6);
  std::string text = FormatValue(value);
  // Nor is one 1e-15 or more short of 1 shown as 1 (0.999999999999 read "1" beside its
  // sibling's 1e-12): the digits that tell it from 1, to a tenth of its distance from 1
  // (0.9999999995, not 0.999999999).
  if (text == "1" && value <= 1 - 1e-15)
    for (int digits = 7; digits <= 17; ++digits) {
      text = FormatSignificant(value, digits);
      if (std::abs(ReadDouble(text.c_str()) - value) <= (1 - value) / 10) break;
    }
  return text;
}

std::string ChanceProbText(const model::Game& game, model::InfosetId h, std::uint32_t a) {
  std::string exact = game.chance_prob_text(h, a);
  if (exact.size() <= 9) return exact;
  std::string shown = FormatProbability(game.chance_prob(h, a));
  // A probability the game states has no rounding to hide: one that is not 0 or 1 never reads
  // so, even within 1e-15 of it (a file's 0.9999999999999999, 1e-16 written out in decimals);
  // then it is shown as the game states it.
  if ((shown == "0" || shown == "1") && game.exact_chance_prob(h, a) != (shown == "1" ? 1 : 0)) return exact;
  return shown;
}

std::string JoinWithAnd(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string Capitalize(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string ActionName(const model::Game& game, model::InfosetId h, std::uint32_t a) {
  std::string_view label = game.action_label(h, a);
  return label.empty() ? "#" + std::to_string(a + 1) : std::string(label);
}

std::string MoverName(const model::Game& game, model::NodeId v) {
  int p = game.player(v);
  if (p == model::kChancePlayer) return "Chance";
  if (p < 0) return "";
  return game.player_name(p);
}

std::string NodePhrase(const model::Game& game, model::NodeId v) {
  std::string where = DescribeNode(game, v);  // "the root", "after ...", "node \"x\""
  if (where.rfind("after ", 0) == 0) return Capitalize(where);
  return "At " + where;
}

std::string FormatVector(const std::vector<double>& values, double unit) {
  std::string out = "(";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + FormatValue(values[i], unit);
  return out + ")";
}

}  // namespace parley::report
