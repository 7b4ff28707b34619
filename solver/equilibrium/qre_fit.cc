// The QRE trace at given lambdas and the maximum-likelihood fit (qre_fit.h).
#include "solver/equilibrium/qre_fit.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "solver/equilibrium/sequence_form.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::equilibrium {
namespace {

using model::Game;
using model::InfosetId;

std::string Display(double x) { return FormatSignificant(x, 6); }

void CheckLambdas(const std::vector<double>& lambdas) {
  if (lambdas.empty()) throw Error("lambda: give at least one value");
  for (std::size_t i = 0; i < lambdas.size(); ++i) {
    if (!std::isfinite(lambdas[i]) || lambdas[i] < 0)
      throw Error("lambda: " + Display(lambdas[i]) + " is not a number >= 0");
    if (i > 0 && lambdas[i] < lambdas[i - 1])
      throw Error("lambda: the values must be in ascending order (the trace follows the branch "
                  "from lambda 0 up)");
  }
}

}  // namespace

QreTrace TraceQre(const Game& game, const std::vector<double>& lambdas, const LogitOptions& options) {
  RequirePerfectRecall(game, "the agent quantal response equilibrium");
  CheckLambdas(lambdas);
  ActionIndex index(game);
  auto subgame = MakeLogitSubgame(game, 0, {}, {});
  QreTrace out;
  out.stats = TraceLogitQre(game, *subgame, index, ChanceBehavior(game, index), lambdas,
                            [&](double l, const std::vector<double>& b, const std::vector<double>& log_b) {
                              out.points.emplace_back(l, b);
                              out.log_behaviors.push_back(log_b);
                            },
                            options);
  if (out.stats.status != LogitStatus::kReachedLambda)
    out.incomplete = "the trace stopped at lambda " + Display(out.stats.lambda) + ": " +
                     QreStatusText(out.stats.status) +
                     (out.stats.status == LogitStatus::kTimeLimit
                          ? " (" + Display(options.max_seconds) + " s of processor time, after " +
                                std::to_string(out.stats.steps) + " steps; raise it with --max-seconds)"
                          : std::string()) +
                     "; " + std::to_string(out.points.size()) +
                     " of " + std::to_string(lambdas.size()) + " points computed";
  return out;
}

QreCounts ParseQreCounts(std::string_view text, const std::string& name, const Game& game) {
  ActionIndex index(game);
  QreCounts c;
  c.count.assign(index.size(), 0.0);
  std::stringstream in{std::string(text)};
  std::string line;
  int line_no = 0;
  auto fail = [&](const std::string& what) { throw Error(SourceLocation{name, line_no, 1}, what); };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    // Cells as RFC 4180 writes them (what `parley qre --format csv` and spreadsheets write): a
    // cell in double quotes may hold commas, and "" inside it is one quote.
    std::vector<std::string> cells(1);
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char ch = line[i];
      if (ch == ',') {
        cells.emplace_back();
      } else if (ch == '"' && cells.back().empty() && (i == 0 || line[i - 1] == ',')) {
        std::size_t j = i + 1;
        for (;; ++j) {
          if (j >= line.size())
            throw Error(SourceLocation{name, line_no, static_cast<int>(i) + 1},
                        "this quoted cell has no closing quote on its line (a quote inside a "
                        "quoted cell is written twice: \"\")");
          if (line[j] != '"') {
            cells.back() += line[j];
          } else if (j + 1 < line.size() && line[j + 1] == '"') {
            cells.back() += '"';
            ++j;
          } else {
            break;
          }
        }
        if (j + 1 < line.size() && line[j + 1] != ',')
          throw Error(SourceLocation{name, line_no, static_cast<int>(j) + 2},
                      "a quoted cell must end at a comma or the end of the line");
        i = j;
      } else {
        cells.back() += ch;
      }
    }
    if (line_no == 1) {
      if (cells != std::vector<std::string>{"player", "set", "action", "count"})
        fail("the first line must be the header player,set,action,count");
      continue;
    }
    if (cells.size() != 4)
      fail("expected 4 cells (player,set,action,count), found " + std::to_string(cells.size()));
    auto whole = [&](const std::string& s, const char* what) {
      char* end = nullptr;
      long v = std::strtol(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || v < 1 || v > 1'000'000'000)
        fail(std::string(what) + " must be a whole number from 1, not '" + TruncateForMessage(s) + "'");
      return v;
    };
    long player = whole(cells[0], "player");
    if (player > game.num_players())
      fail("there is no player " + cells[0] + " (the game has " + std::to_string(game.num_players()) + ")");
    long set = whole(cells[1], "set");
    const auto& sets = game.player_infosets(static_cast<int>(player - 1));
    if (static_cast<std::size_t>(set) > sets.size())
      fail("player " + cells[0] + " has " + std::to_string(sets.size()) + " information sets, not " + cells[1]);
    InfosetId h = sets[set - 1];
    std::uint32_t a = game.num_actions(h);
    for (std::uint32_t b = 0; b < game.num_actions(h); ++b)
      if (game.action_label(h, b) == cells[2]) a = b;
    if (a == game.num_actions(h))
      fail("the set " + game.DescribeInfoset(h) + " has no action '" + TruncateForMessage(cells[2]) + "'");
    char* end = nullptr;
    double n = std::strtod(cells[3].c_str(), &end);
    if (cells[3].empty() || *end != '\0' || !std::isfinite(n) || n < 0 || n > 1e15)
      fail("count must be a number >= 0, not '" + TruncateForMessage(cells[3]) + "'");
    c.count[index(h, a)] += n;
    c.total += n;
  }
  if (c.total <= 0) throw Error(SourceLocation{name}, "no counts: nothing to fit");
  return c;
}

QreFit FitQre(const Game& game, const QreCounts& counts, double max_lambda) {
  RequirePerfectRecall(game, "the agent quantal response equilibrium");
  if (!(max_lambda >= 1e-6 && max_lambda <= 1e6))
    throw Error("max_lambda: expected a number from 1e-6 to 1e6, not " + Display(max_lambda));
  ActionIndex index(game);
  if (counts.count.size() != index.size() || !(counts.total > 0))
    throw Error("no counts: nothing to fit");
  auto subgame = MakeLogitSubgame(game, 0, {}, {});
  // From the trace's log-probabilities: an observed action whose probability underflows a
  // double still gives a finite (very negative) likelihood, which the search can compare.
  auto log_likelihood = [&](const std::vector<double>& log_b) {
    double ll = 0;
    for (std::size_t i = 0; i < log_b.size(); ++i)
      if (counts.count[i] > 0) ll += counts.count[i] * log_b[i];
    return ll;
  };
  auto trace = [&](const std::vector<double>& lambdas) {
    std::vector<double> ll;
    std::vector<std::pair<std::vector<double>, std::vector<double>>> profiles;  // and logarithms
    auto stats = TraceLogitQre(game, *subgame, index, ChanceBehavior(game, index), lambdas,
                               [&](double, const std::vector<double>& b, const std::vector<double>& log_b) {
                                 ll.push_back(log_likelihood(log_b));
                                 profiles.emplace_back(b, log_b);
                               });
    if (stats.status != LogitStatus::kReachedLambda)
      throw LimitError("the logit trace stopped at lambda " + Display(stats.lambda) + " (" +
                       QreStatusText(stats.status) + ") before the fit was done");
    return std::make_pair(ll, profiles);
  };
  // A coarse grid on a log scale, then golden-section search in the best bracket.
  std::vector<double> grid = {0};
  for (double l = 1e-3; l <= max_lambda * 1.0000001; l *= 1.25) grid.push_back(l);
  auto [ll, profiles] = trace(grid);
  std::size_t best = 0;
  for (std::size_t i = 1; i < ll.size(); ++i)
    if (ll[i] > ll[best]) best = i;
  double lo = grid[best > 0 ? best - 1 : 0], hi = grid[std::min(best + 1, grid.size() - 1)];
  const double phi = (std::sqrt(5.0) - 1) / 2;
  auto at = [&](double l) { return trace({l}).first[0]; };
  double a = lo, b = hi, c = b - phi * (b - a), d = a + phi * (b - a);
  double fc = at(c), fd = at(d);
  for (int it = 0; it < 80 && b - a > 1e-10 * (1 + b); ++it) {
    if (fc > fd) {
      b = d, d = c, fd = fc, c = b - phi * (b - a), fc = at(c);
    } else {
      a = c, c = d, fc = fd, d = a + phi * (b - a), fd = at(d);
    }
  }
  QreFit fit;
  fit.lambda = (a + b) / 2;
  auto [ll_hat, profile_hat] = trace({fit.lambda});
  fit.log_likelihood = ll_hat[0];
  fit.behavior = std::move(profile_hat[0].first);
  fit.log_behavior = std::move(profile_hat[0].second);
  fit.observations = counts.total;
  fit.at_search_limit = best + 1 == grid.size();
  // Observed information: minus the second derivative of the log-likelihood.
  const double h = std::max(1e-4, 1e-3 * fit.lambda);
  if (fit.lambda > h) {
    auto three = trace({fit.lambda - h, fit.lambda, fit.lambda + h}).first;
    double second = (three[0] - 2 * three[1] + three[2]) / (h * h);
    if (second < 0) fit.standard_error = 1 / std::sqrt(-second);
  }
  return fit;
}

}  // namespace parley::equilibrium
