// The QRE trace at given lambdas and the maximum-likelihood fit (qre_fit.h).
#include "solver/equilibrium/qre_fit.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "solver/equilibrium/sequence_form.h"
#include "solver/model/cpu_time.h"
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
  std::vector<int> line_of(index.size(), 0);  // where each action's count was given
  // A UTF-8 byte-order mark, as spreadsheets save "CSV UTF-8", is not part of the header.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::stringstream in{std::string(text)};
  std::string line;
  int line_no = 0;
  auto fail = [&](const std::string& what) { throw Error(SourceLocation{name, line_no, 1}, what); };
  std::vector<int> column;  // where each cell of the line starts (1-based)
  // A problem with cell k of the line, located at that cell.
  auto fail_at = [&](std::size_t k, const std::string& what) {
    throw Error(SourceLocation{name, line_no, k < column.size() ? column[k] : 1}, what);
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    // Cells as RFC 4180 writes them (what `parley qre --format csv` and spreadsheets write): a
    // cell in double quotes may hold commas, and "" inside it is one quote.
    std::vector<std::string> cells(1);
    column.assign(1, 1);
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char ch = line[i];
      if (ch == ',') {
        cells.emplace_back();
        column.push_back(static_cast<int>(i) + 2);
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
        fail_at(&s == &cells[0] ? 0 : 1,
                std::string(what) + " must be a whole number from 1, not '" + TruncateForMessage(s) + "'");
      return v;
    };
    long player = whole(cells[0], "player");
    if (player > game.num_players())
      fail_at(0, "there is no player " + cells[0] + " (the game has " + std::to_string(game.num_players()) + ")");
    long set = whole(cells[1], "set");
    const auto& sets = game.player_infosets(static_cast<int>(player - 1));
    if (static_cast<std::size_t>(set) > sets.size())
      fail_at(1, "player " + cells[0] + " has " + std::to_string(sets.size()) + " information sets, not " + cells[1]);
    InfosetId h = sets[set - 1];
    std::uint32_t a = game.num_actions(h), matches = 0;
    for (std::uint32_t b = game.num_actions(h); b-- > 0;)
      if (game.action_label(h, b) == cells[2]) {
        a = b;
        ++matches;
      }
    if (a == game.num_actions(h))
      fail_at(2, "the set " + game.DescribeInfoset(h) + " has no action '" + TruncateForMessage(cells[2]) + "'");
    // Two actions of the set with this label: the counts could go to either (they went to the
    // last, silently). The game must tell them apart for its counts to mean anything.
    if (matches > 1)
      fail_at(2, "the set " + game.DescribeInfoset(h) + " has " + std::to_string(matches) + " actions labelled '" +
           TruncateForMessage(cells[2]) + "', so these counts cannot be assigned to one of them; give its "
           "actions distinct labels in the game file");
    // A decimal (or a fraction) as game files write numbers, spaces around it allowed (not
    // hexadecimal: 0x10 was read as 16; not inf).
    std::string_view cell = cells[3];
    while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.remove_suffix(1);
    Number count;
    if (!Number::Parse(cell, &count) || count.ToRational() < 0 || !std::isfinite(count.ToDouble()))
      fail_at(3, "count must be a number >= 0, not '" + TruncateForMessage(cells[3]) + "'");
    const double n = count.ToDouble();
    // Beyond 1e15 the sums of counts lose whole units (a double has 53 bits).
    if (n > 1e15)
      fail_at(3, "count " + TruncateForMessage(cells[3]) + " is above 1e15, more than the fit counts exactly; "
           "divide every count by the same factor (the fitted lambda is the same, its standard error grows "
           "by the square root of that factor)");
    // A second line for the same action was added to the first, without a word (a line copied
    // and not edited doubles a count and moves the fit).
    int& first = line_of[index(h, a)];
    if (first != 0)
      fail_at(2, "the count of action '" + TruncateForMessage(cells[2]) + "' at " + game.DescribeInfoset(h) +
           " is given on line " + std::to_string(first) + " already; give each action's count once");
    first = line_no;
    c.count[index(h, a)] = n;
    c.total += n;
  }
  if (c.total <= 0)
    throw Error(SourceLocation{name}, "no counts: the file lists none, or every count is 0; nothing to fit");
  return c;
}

QreFit FitQre(const Game& game, const QreCounts& counts, double max_lambda, double max_seconds) {
  RequirePerfectRecall(game, "the agent quantal response equilibrium");
  if (!(max_seconds > 0)) throw Error("max_seconds: expected a number greater than 0");
  // Every trace gets the time the fit has left (a trace past it stops, and `check` says so).
  const double start = model::ThreadCpuSeconds();
  auto limits = [&] {
    LogitOptions options;
    options.max_seconds = std::max(1e-9, max_seconds - (model::ThreadCpuSeconds() - start));
    return options;
  };
  if (!(max_lambda >= 0 && max_lambda < std::numeric_limits<double>::infinity()))
    throw Error("max_lambda: expected a number greater than 0, not " + Display(max_lambda));
  ActionIndex index(game);
  if (counts.count.size() != index.size() || !(counts.total > 0))
    throw Error("no counts: nothing to fit");
  auto subgame = MakeLogitSubgame(game, 0, {}, {});
  // lambda in the units of the payoffs' range, as the tracer measures it: the search's grid
  // starts at 1e-3 of them, so that rescaling the payoffs by k rescales every point by 1/k.
  // The tracer stops at LogitOptions::max_lambda in these units (payoffs of 1e5 at the
  // default --max-lambda 1000 passed it, and the fit failed): the search ends there if that
  // is lower, and says so (QreFit::search_limit).
  const double scale = LogitPayoffScale(*subgame);
  // The default range, 1000 in the payoffs' units, like the grid (it was 1000 whatever the
  // payoffs: a centipede game paid in thousandths, whose fitted lambda is 2189, was fitted
  // at 0, "no positive precision fits the data better than uniform play").
  if (max_lambda == 0) max_lambda = 1000 / scale;
  const double upper = std::min(max_lambda, LogitOptions{}.max_lambda / scale);
  const double first = std::min(1e-3 / scale, upper / 2);
  // From the trace's log-probabilities: an observed action whose probability underflows a
  // double still gives a finite (very negative) likelihood, which the search can compare.
  auto log_likelihood = [&](const std::vector<double>& log_b) {
    double ll = 0;
    for (std::size_t i = 0; i < log_b.size(); ++i)
      if (counts.count[i] > 0) ll += counts.count[i] * log_b[i];
    return ll;
  };
  auto check = [](const LogitStats& stats) {
    if (stats.status != LogitStatus::kReachedLambda)
      throw LimitError("the logit trace stopped at lambda " + Display(stats.lambda) + " (" +
                       QreStatusText(stats.status) + ") before the fit was done");
  };
  // The log-likelihood at `lambdas` (any order, in [0, upper]), from one trace of the branch.
  // Where the branch first turns back in lambda (-1: it does not up to `upper`), and the
  // log-likelihood at every point the first full trace accepts (past a turn too).
  double turned_back_at = -1;
  std::vector<std::pair<double, double>> branch;
  auto trace = [&](const std::vector<double>& lambdas, const QreVisit& every_step = {}) {
    std::vector<std::size_t> order(lambdas.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lambdas[a] < lambdas[b]; });
    std::vector<double> sorted;
    for (std::size_t i : order) sorted.push_back(lambdas[i]);
    std::vector<double> ll(lambdas.size());
    std::size_t k = 0;
    auto stats = TraceLogitQre(game, *subgame, index, ChanceBehavior(game, index), sorted,
                               [&](double, const std::vector<double>&, const std::vector<double>& log_b) {
                                 ll[order[k++]] = log_likelihood(log_b);
                               },
                               limits(), every_step);
    check(stats);
    if (stats.turned_back_at >= 0 && (turned_back_at < 0 || stats.turned_back_at < turned_back_at))
      turned_back_at = stats.turned_back_at;
    return ll;
  };
  // A point of the search: the log-likelihood and its slope (a difference over 1e-6 of lambda,
  // or of the grid's first point at 0; backwards at the upper end, which the tracer may not
  // pass).
  struct Sample {
    double lambda, ll, slope;
  };
  auto sample = [&](const std::vector<double>& at, const QreVisit& every_step = {}) {
    std::vector<double> lambdas;
    std::vector<double> step(at.size());
    for (std::size_t i = 0; i < at.size(); ++i) {
      step[i] = 1e-6 * std::max(at[i], first);
      if (at[i] + step[i] > upper) step[i] = -step[i];
      lambdas.push_back(at[i]);
      lambdas.push_back(at[i] + step[i]);
    }
    std::vector<double> ll = trace(lambdas, every_step);
    std::vector<Sample> out;
    for (std::size_t i = 0; i < at.size(); ++i)
      out.push_back({at[i], ll[2 * i], (ll[2 * i + 1] - ll[2 * i]) / step[i]});
    return out;
  };
  // The likelihood along the branch can have several local maxima (in the centipede game the
  // probability of taking at once falls, then rises, with lambda), and with many observations
  // a peak is narrower than a coarse grid's spacing (1000 plays fitted at lambda 2.2: the
  // log-likelihood 60 below its peak 0.25 either side, lower there than at lambda 0). So the
  // search keeps the slope at every point as well as the value, and subdivides every interval
  // whose ends do not show how the likelihood runs between them: a stationary point lies
  // inside when the slopes change sign, and may lie inside when the cubic matching the ends'
  // values and slopes has one. Between the remaining points the slope keeps its sign.
  std::vector<double> at = {0};
  for (double l = first; l < upper * (1 - 1e-9); l *= 1.25) at.push_back(l);
  at.push_back(upper);
  std::vector<Sample> s = sample(at, [&](double lambda, const std::vector<double>&, const std::vector<double>& log_b) {
    branch.emplace_back(lambda, log_likelihood(log_b));
  });
  auto may_hide_stationary = [](const Sample& a, const Sample& b) {
    // Slopes of opposite signs: a maximum is bracketed (refined below), or a minimum.
    if ((a.slope > 0) != (b.slope > 0)) return false;
    // The cubic's slope over t in [0, 1]: da (1 - t) + db t + c t (1 - t), with the mean slope
    // m = (db + da) / 2 + c / 6 that the ends' values give.
    const double width = b.lambda - a.lambda;
    const double m = (b.ll - a.ll) / width, da = a.slope, db = b.slope;
    const double c = 6 * (m - (da + db) / 2);
    if (c == 0) return false;
    const double t = (db - da + c) / (2 * c);
    if (!(t > 0 && t < 1)) return false;
    const double extreme = da * (1 - t) + db * t + c * t * (1 - t);
    const double tolerance = 1e-6 * (std::abs(da) + std::abs(db) + std::abs(m));
    return da > 0 ? extreme < -tolerance : extreme > tolerance;
  };
  for (int round = 0; round < 40; ++round) {
    std::vector<double> mid;
    for (std::size_t i = 0; i + 1 < s.size(); ++i)
      if (s[i + 1].lambda - s[i].lambda > 1e-9 * s[i + 1].lambda && may_hide_stationary(s[i], s[i + 1]))
        mid.push_back((s[i].lambda + s[i + 1].lambda) / 2);
    if (mid.empty()) break;
    for (const Sample& x : sample(mid)) s.push_back(x);
    std::sort(s.begin(), s.end(), [](const Sample& a, const Sample& b) { return a.lambda < b.lambda; });
  }
  // Every bracket of a local maximum, refined by sampling it at 10 inner points and keeping
  // the best point's neighbours (one trace shrinks it to 2/11); the ends of the range compete
  // as they are.
  std::vector<std::pair<double, double>> brackets;
  auto bracketed = [&](std::size_t i) { return s[i].slope > 0 && s[i + 1].slope <= 0; };
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if (bracketed(i)) brackets.emplace_back(s[i].lambda, s[i + 1].lambda);
  // By the values too, should a slope mislead (rounding, where the likelihood is flat).
  for (std::size_t i = 1; i + 1 < s.size(); ++i)
    if (s[i].ll > s[i - 1].ll && s[i].ll >= s[i + 1].ll && !bracketed(i - 1) && !bracketed(i))
      brackets.emplace_back(s[i - 1].lambda, s[i + 1].lambda);
  double best = s.front().ll >= s.back().ll ? 0 : upper;
  double best_ll = std::max(s.front().ll, s.back().ll);
  const double at_zero_ll = s.front().ll;
  std::vector<std::pair<double, double>> maxima;  // every refined local maximum (lambda, ll)
  for (auto [a, b] : brackets) {
    double x = a, fx = -std::numeric_limits<double>::infinity();
    for (int it = 0; it < 30 && (it == 0 || b - a > 1e-11 * b); ++it) {
      std::vector<double> inner;
      for (int k = 1; k <= 10; ++k) inner.push_back(a + (b - a) * k / 11);
      std::vector<double> ll = trace(inner);
      std::size_t k = std::max_element(ll.begin(), ll.end()) - ll.begin();
      x = inner[k], fx = ll[k];
      a = k > 0 ? inner[k - 1] : a;
      b = k + 1 < inner.size() ? inner[k + 1] : b;
    }
    maxima.emplace_back(x, fx);
    if (fx > best_ll) best = x, best_ll = fx;
  }
  // A maximum no higher above lambda = 0 than the log-likelihood's own rounding is rounding
  // (equal counts: the likelihood is flat to 1e-17 near 0, and rounding made a peak at 3e-9).
  if (best != 0 && best_ll - at_zero_ll <= 1e-13 * (1 + std::abs(at_zero_ll))) best = 0, best_ll = at_zero_ll;
  QreFit fit;
  // The same likelihood at every lambda searched: every observed choice is between actions that
  // pay their chooser alike, so the counts say nothing about lambda (0 is merely the first).
  fit.flat = std::all_of(s.begin(), s.end(), [&](const Sample& x) {
    return std::abs(x.ll - at_zero_ll) <= 1e-13 * (1 + std::abs(at_zero_ll));
  });
  fit.lambda = best;
  fit.observations = counts.total;
  fit.search_limit = upper;
  fit.requested_limit = max_lambda;
  fit.at_zero = best == 0;
  fit.at_search_limit = best == upper;
  check(TraceLogitQre(game, *subgame, index, ChanceBehavior(game, index), {best},
                      [&](double, const std::vector<double>& b, const std::vector<double>& log_b) {
                        fit.log_likelihood = log_likelihood(log_b);
                        fit.behavior = b;
                        fit.log_behavior = log_b;
                      },
                      limits()));
  // Other local maxima about as likely as the best (within 1.92 of its log-likelihood, the 95 %
  // likelihood-ratio bound): the counts do not tell them apart, and a standard error at one
  // of them says nothing of the other (the centipede game's first move, taken 42 times in
  // 100: lambda 0.394 and 2.179 fit equally well, and only the first was given, with its
  // standard error of 0.19).
  for (const auto& [x, fx] : maxima)
    if (std::abs(x - best) > 1e-6 * std::max(best, x) && fx >= fit.log_likelihood - 1.92)
      fit.other_maxima.emplace_back(x, fx);
  std::sort(fit.other_maxima.begin(), fit.other_maxima.end());
  fit.other_maxima.erase(std::unique(fit.other_maxima.begin(), fit.other_maxima.end(),
                                     [](const auto& p, const auto& q) { return std::abs(p.first - q.first) <= 1e-6 * q.first; }),
                         fit.other_maxima.end());
  // Where the branch bends back, a lambda has several QREs, and the search above compares the
  // branch's first crossing of each lambda only. A point past the turn can fit better (counts
  // simulated at 0.34 on the stretch after a turn at 0.372 were fitted at the turn, 65 below
  // the likelihood at 0.34): said, with the best such point the trace passed, not ignored.
  fit.turned_back_at = turned_back_at;
  if (turned_back_at >= 0) {
    bool past = false;
    double top = 0;
    double best_past = fit.log_likelihood + 1e-9 * (1 + std::abs(fit.log_likelihood));
    for (const auto& [lambda, ll] : branch) {
      past = past || lambda < top - 1e-9 * (1 + top);  // the tracer's own test of a turn
      top = std::max(top, lambda);
      if (past && ll > best_past) {
        best_past = ll;
        fit.better_past_turn_lambda = lambda;
        fit.better_past_turn_log_likelihood = ll;
      }
    }
  }
  // Observed information: minus the second derivative of the log-likelihood, by central
  // differences over 1e-4 of lambda or of the payoffs' own unit of lambda (1 / their range),
  // whichever is larger: relative steps, so that rescaled payoffs give a standard error
  // rescaled by the same factor (an absolute step of 1e-4 was larger than lambda itself with
  // payoffs in the 1e5), and never so small beside the likelihood's own scale that rounding
  // makes the second difference (lambda 2e-5 fitted to 50001 : 50000 gave 3.7e-4 for 6.3e-3).
  // Only at a maximum inside the range where the slope vanishes (against the curvature, well
  // within the standard error): at an end of the range the curvature says nothing about the
  // estimate's spread.
  if (!fit.at_zero && !fit.at_search_limit) {
    const double h = 1e-4 * std::max(fit.lambda, 1 / scale);
    // Central differences, or forward ones when lambda is within a step of 0.
    const bool central = fit.lambda - h >= 0;
    if (fit.lambda + (central ? h : 2 * h) <= upper) {
      auto three = central ? trace({fit.lambda - h, fit.lambda, fit.lambda + h})
                           : trace({fit.lambda, fit.lambda + h, fit.lambda + 2 * h});
      const double second = (three[0] - 2 * three[1] + three[2]) / (h * h);
      const double slope =
          central ? (three[2] - three[0]) / (2 * h) : (-3 * three[0] + 4 * three[1] - three[2]) / (2 * h);
      if (second < 0) {
        const double se = 1 / std::sqrt(-second);
        if (std::abs(slope / second) <= std::max(1e-3 * se, 1e-8 * fit.lambda)) fit.standard_error = se;
      }
    }
  }
  return fit;
}

}  // namespace parley::equilibrium
