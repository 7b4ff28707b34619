#include "solver/report/bargaining_text.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "solver/bargaining/concepts.h"
#include "solver/bargaining/problem.h"
#include "solver/model/number.h"

namespace parley::report {

namespace bg = parley::bargaining;

namespace {

// Six significant digits; what is within rounding of zero shows as 0: |x| below 5e-13 of the
// unit, which is the magnitude of what x is compared with when that is below 1 (payoffs in
// units of 1e-15 are printed, not shown as 0), and 1 otherwise, as the reports of games take
// it (report/text.h, FormatValue). Relative to a larger magnitude, a payoff of 1999 beside
// others of 1.4e17 (and 0.4 beside 1e12) showed as 0 while the JSON said 1999.
std::string Fmt(double x, double magnitude = 1) {
  return FormatSignificant(std::abs(x) < 5e-13 * std::min(magnitude, 1.0) ? 0.0 : x, 6);
}

// Payoff vectors: each player's entry against that player's magnitude, so that payoffs in
// units of 1e-15 are printed rather than shown as 0.
template <typename Values>
std::string FmtVector(const Values& v, const std::vector<double>& magnitude = {}) {
  std::string text = "(";
  for (std::size_t i = 0; i < v.size(); ++i)
    text += (i ? ", " : "") + Fmt(v[i], i < magnitude.size() ? magnitude[i] : 1.0);
  return text + ")";
}

// Each player's largest |payoff| among the disagreement point, the ideal point and the
// solutions.
std::vector<double> PlayerMagnitudes(const bg::Result& result) {
  std::vector<double> magnitude(result.disagreement.size(), 0.0);
  auto take = [&](const auto& values) {
    for (std::size_t i = 0; i < values.size() && i < magnitude.size(); ++i)
      if (std::isfinite(values[i])) magnitude[i] = std::max(magnitude[i], std::abs(values[i]));
  };
  take(result.disagreement);
  take(result.ideal);
  for (const bg::Solution& s : result.solutions) take(s.payoffs);
  return magnitude;
}

std::string Pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

}  // namespace

std::string BargainingResultText(const std::string& title, const bg::Result& result) {
  const std::size_t n = result.disagreement.size();
  std::string text = title + ", " + std::to_string(n) + " players\n";
  const std::vector<double> magnitude = PlayerMagnitudes(result);
  std::vector<double> issue_magnitude;
  for (const bg::Solution& s : result.solutions) {
    issue_magnitude.resize(std::max(issue_magnitude.size(), s.issues.size()), 0.0);
    for (std::size_t k = 0; k < s.issues.size(); ++k)
      if (std::isfinite(s.issues[k])) issue_magnitude[k] = std::max(issue_magnitude[k], std::abs(s.issues[k]));
  }
  text += "disagreement point " + FmtVector(result.disagreement, magnitude) + "\n";
  text += "ideal point        " + FmtVector(result.ideal, magnitude) + "\n\n";
  text += Pad("solution", 22);
  for (std::size_t i = 0; i < n; ++i) text += Pad("player " + std::to_string(i + 1), 12);
  text += "precision\n";
  for (const bg::Solution& s : result.solutions) {
    text += Pad(bg::SolutionKey(s), 22);
    for (std::size_t i = 0; i < s.payoffs.size(); ++i)
      text += Pad(Fmt(s.payoffs[i], i < magnitude.size() ? magnitude[i] : 1.0), 12);
    text += bg::ToString(s.precision);
    if (s.gap > 0) text += " (gap " + Fmt(s.gap) + ")";
    text += "\n";
  }
  text += "\n";
  for (const bg::Solution& s : result.solutions) {
    std::string key = bg::SolutionKey(s);
    if (s.weighted) text += key + ": weights " + FmtVector(s.weights) + "\n";
    if (!s.issues.empty()) {
      text += key + ": agreed issues";
      for (std::size_t k = 0; k < s.issues.size(); ++k) {
        text += " " + (k < result.issue_names.size() ? result.issue_names[k] : "x" + std::to_string(k + 1)) +
                " = " + Fmt(s.issues[k], issue_magnitude[k]);
      }
      text += "\n";
    }
    if (!s.lottery.empty()) {
      std::string parts;
      for (std::size_t j = 0; j < s.lottery.size(); ++j) {
        if (s.lottery[j] > 1e-9) {
          parts += (parts.empty() ? "" : ", ") + Fmt(s.lottery[j]) + " on outcome " + std::to_string(j + 1);
        }
      }
      text += key + ": lottery " + parts + "\n";
    }
    if (!s.ties.empty()) {
      text += key + ": tie among";
      for (const auto& tie : s.ties) text += " " + FmtVector(tie, magnitude);
      text += "\n";
    }
    if (s.pure_cost) {
      text += key + ": forbidding lotteries costs " + Fmt(*s.pure_cost) +
              (bg::Info(s.concept_kind).log_score ? " of the Nash product" : "") +
              " (with lotteries: " + FmtVector(*s.lottery_payoffs, magnitude) + ")\n";
    }
    text += key + ": method: " + s.method + "\n";
  }
  return text;
}

std::string ThreatGameText(const bg::Result& result, bool transferable) {
  std::string text = BargainingResultText(
      std::string("Nash's variable-threat game (Nash 1953), ") +
          (transferable ? "transferable utility" : "lotteries over the cells"),
      result);
  const bg::Threats& t = *result.threats;
  text += "\noptimal threats: player 1 " + FmtVector(t.row_strategy) + " over rows, player 2 " +
          FmtVector(t.column_strategy) + " over columns\n";
  text += "threat point " + FmtVector(t.threat_point) + ", value of the zero-sum threat game " +
          Fmt(t.value) + "\n";
  return text;
}

std::string AlternatingOffersText(const bg::AlternatingOffers& game,
                                  const bg::AlternatingOffersResult& result) {
  std::string text = "Alternating offers (Rubinstein 1982), player " + std::to_string(game.first + 1) +
                     " proposes first, " +
                     (game.rounds ? std::to_string(*game.rounds) + (*game.rounds == 1 ? " round" : " rounds") : "no deadline") + "\n";
  // In full: six digits showed 0.999999999 as 1, a discount factor Parley refuses.
  text += "effective discount factors " + FormatDouble(result.effective_discount[0]) + ", " +
          FormatDouble(result.effective_discount[1]) + "\n\n";
  text += "player   share    outside option binds\n";
  for (int i = 0; i < 2; ++i) {
    text += Pad(std::to_string(i + 1), 9) + Pad(Fmt(result.shares[i]), 9) +
            (result.outside_binding[i] ? "yes" : "no") + "\n";
  }
  text += "\nmethod: " + result.method + "\n";
  return text;
}

}  // namespace parley::report
