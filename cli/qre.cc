// parley qre GAME [--lambda L | --lambda LO:HI:N] [--fit COUNTS.csv]: the agent logit quantal
// response equilibrium on the principal branch (solver/equilibrium/logit.h), as a behaviour
// profile with the beliefs it induces, at one lambda or along a grid; or the lambda that best
// explains observed action counts (maximum likelihood, with a standard error).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "cli/common.h"
#include "solver/equilibrium/beliefs.h"
#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/io/files.h"
#include "solver/model/error.h"
#include "solver/model/number.h"
#include "solver/report/solution.h"

namespace parley::cli {
namespace {

using equilibrium::ActionIndex;
using model::Game;
using model::InfosetId;

std::string Display(double x) { return FormatSignificant(x, 6); }

std::vector<double> ParseLambdas(const std::string& spec) {
  auto number = [&](const std::string& s) {
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size() || !std::isfinite(v) || v < 0)
      throw Error("--lambda: '" + s + "' is not a number >= 0 (write L or LO:HI:N)");
    return v;
  };
  std::vector<std::string> parts;
  std::stringstream in(spec);
  for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
  if (parts.size() == 1) return {number(parts[0])};
  if (parts.size() != 3) throw Error("--lambda: write one value L or a grid LO:HI:N, not '" + spec + "'");
  double lo = number(parts[0]), hi = number(parts[1]);
  double count = number(parts[2]);
  if (count < 2 || count > 100000 || count != std::floor(count) || hi <= lo)
    throw Error("--lambda LO:HI:N needs LO < HI and a whole N from 2 to 100000");
  std::vector<double> out;
  const auto n = static_cast<std::size_t>(count);
  for (std::size_t i = 0; i < n; ++i) out.push_back(lo + (hi - lo) * static_cast<double>(i) / (n - 1));
  return out;
}

// Observed counts: CSV with header player,set,action,count; player and set 1-based (the set's
// number within its player, in order of first appearance), action a label of that set.
struct Counts {
  std::vector<double> count;  // over ActionIndex
  double total = 0;
};

Counts ReadCounts(const std::string& path, const Game& g, const ActionIndex& index) {
  std::string text = io::ReadWholeFile(path);
  Counts c;
  c.count.assign(index.size(), 0.0);
  std::stringstream in(text);
  std::string line;
  int line_no = 0;
  auto fail = [&](const std::string& what) {
    throw Error(SourceLocation{path, line_no, 1}, what);
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (line_no == 1) {
      if (cells != std::vector<std::string>{"player", "set", "action", "count"})
        fail("the first line must be the header player,set,action,count");
      continue;
    }
    if (cells.size() != 4) fail("expected 4 cells (player,set,action,count), found " + std::to_string(cells.size()));
    auto whole = [&](const std::string& s, const char* what) {
      char* end = nullptr;
      long v = std::strtol(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || v < 1 || v > 1'000'000'000) fail(std::string(what) + " must be a whole number from 1, not '" + s + "'");
      return v;
    };
    long player = whole(cells[0], "player");
    if (player > g.num_players()) fail("there is no player " + cells[0] + " (the game has " + std::to_string(g.num_players()) + ")");
    long set = whole(cells[1], "set");
    const auto& sets = g.player_infosets(static_cast<int>(player - 1));
    if (static_cast<std::size_t>(set) > sets.size())
      fail("player " + cells[0] + " has " + std::to_string(sets.size()) + " information sets, not " + cells[1]);
    InfosetId h = sets[set - 1];
    std::uint32_t a = g.num_actions(h);
    for (std::uint32_t b = 0; b < g.num_actions(h); ++b)
      if (g.action_label(h, b) == cells[2]) a = b;
    if (a == g.num_actions(h)) fail("the set " + g.DescribeInfoset(h) + " has no action '" + cells[2] + "'");
    char* end = nullptr;
    double n = std::strtod(cells[3].c_str(), &end);
    if (cells[3].empty() || *end != '\0' || !std::isfinite(n) || n < 0 || n > 1e15)
      fail("count must be a number >= 0, not '" + cells[3] + "'");
    c.count[index(h, a)] += n;
    c.total += n;
  }
  if (c.total <= 0) throw Error(SourceLocation{path}, "no counts: nothing to fit");
  return c;
}

struct QreCommand {
  GameInput input;
  std::string lambda = "1";
  std::string fit;
  std::string format = "text";
  std::string output;
  double max_lambda = 1000;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    app.add_option("--lambda", lambda, "One lambda (L) or a grid LO:HI:N; payoffs in the game's units")
        ->capture_default_str();
    app.add_option("--fit", fit, "Fit lambda to observed action counts (CSV: player,set,action,count)");
    app.add_option("--max-lambda", max_lambda, "With --fit: largest lambda searched")
        ->capture_default_str()
        ->check(CLI::Range(1e-6, 1e6));
    AddFormat(app, format, {"text", "json", "csv"});
    app.add_option("-o,--output", output, "Write to this file instead of standard output");
    return [this] { return Run(); };
  }

  int Run() {
    auto game = load::LoadInput(input.path, ToLoadOptions(input)).game;
    const Game& g = *game;
    equilibrium::RequirePerfectRecall(g, "the agent quantal response equilibrium");
    ActionIndex index(g);
    auto subgame = equilibrium::MakeLogitSubgame(g, 0, {}, {});
    if (!fit.empty()) return Fit(g, index, *subgame);
    std::vector<double> lambdas = ParseLambdas(lambda);
    std::vector<std::pair<double, std::vector<double>>> points;
    auto stats = equilibrium::TraceLogitQre(
        g, *subgame, index, equilibrium::ChanceBehavior(g, index), lambdas,
        [&](double l, const std::vector<double>& b) { points.emplace_back(l, b); });
    std::string note;
    if (stats.status != equilibrium::LogitStatus::kReachedLambda)
      note = "the trace stopped at lambda " + Display(stats.lambda) + ": " +
             equilibrium::LogitStatusText(stats.status) + "; " + std::to_string(points.size()) +
             " of " + std::to_string(lambdas.size()) + " points computed";
    Emit(Render(g, index, points, note), output);
    if (!note.empty()) {
      std::cerr << "error: " << note << "\n";
      return 1;
    }
    return 0;
  }

  std::string Render(const Game& g, const ActionIndex& index,
                     const std::vector<std::pair<double, std::vector<double>>>& points,
                     const std::string& note) const {
    std::ostringstream out;
    if (format == "csv") {
      out << "lambda,player,set,set_label,action,probability\n";
      const std::vector<std::uint32_t> numbers = report::InfosetNumbers(g);
      for (const auto& [l, b] : points)
        for (InfosetId h = 0; h < g.num_infosets(); ++h) {
          if (g.infoset_player(h) == model::kChancePlayer) continue;
          for (std::uint32_t a = 0; a < g.num_actions(h); ++a)
            out << FormatDouble(l) << ',' << g.infoset_player(h) + 1 << ',' << numbers[h] << ','
                << Csv(g.infoset_label(h)) << ',' << Csv(g.action_label(h, a)) << ','
                << FormatDouble(b[index(h, a)]) << '\n';
        }
      return out.str();
    }
    if (format == "json") {
      nlohmann::ordered_json j;
      j["concept"] = "agent logit quantal response equilibrium (principal branch)";
      j["points"] = nlohmann::ordered_json::array();
      for (const auto& [l, b] : points) {
        // The behaviour records of every command (report/solution.h), with the beliefs over
        // each set's nodes as `solve` writes them (Bayes' rule: a QRE reaches every set that
        // chance does not cut off).
        equilibrium::Equilibrium profile;
        profile.behavior = b;
        equilibrium::AssignBeliefs(g, index, equilibrium::ProperSubgameRoots(g), {}, profile);
        nlohmann::json records = report::BehaviorJson(g, profile, false);
        nlohmann::ordered_json point;
        point["lambda"] = l;
        point["profile"] = std::move(records);
        j["points"].push_back(std::move(point));
      }
      if (!note.empty()) j["incomplete"] = note;
      return j.dump(2) + "\n";
    }
    out << "Agent logit quantal response equilibrium of " << (g.title().empty() ? input.path : g.title())
        << " (principal branch)\n";
    for (const auto& [l, b] : points) {
      out << "\nlambda = " << Display(l) << "\n";
      std::vector<double> belief = equilibrium::Beliefs(g, index, b);
      for (int p = 0; p < g.num_players(); ++p)
        for (InfosetId h : g.player_infosets(p)) {
          out << "  " << g.DescribeInfoset(h) << ": ";
          for (std::uint32_t a = 0; a < g.num_actions(h); ++a)
            out << (a ? ", " : "") << g.action_label(h, a) << " " << Display(b[index(h, a)]);
          auto nodes = g.infoset_nodes(h);
          if (nodes.size() > 1) {
            out << "; beliefs";
            for (auto x : nodes) out << " node " << x + 1 << " " << Display(belief[x]);
          }
          out << "\n";
        }
    }
    if (!note.empty()) out << "\nIncomplete: " << note << "\n";
    return out.str();
  }

  static std::string Csv(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }

  int Fit(const Game& g, const ActionIndex& index, const equilibrium::LogitSubgame& subgame) {
    Counts counts = ReadCounts(fit, g, index);
    auto log_likelihood = [&](const std::vector<double>& b) {
      double ll = 0;
      for (std::size_t i = 0; i < b.size(); ++i)
        if (counts.count[i] > 0) ll += counts.count[i] * std::log(b[i]);
      return ll;
    };
    auto trace = [&](const std::vector<double>& lambdas) {
      std::vector<double> ll;
      std::vector<std::vector<double>> profiles;
      auto stats = equilibrium::TraceLogitQre(g, subgame, index, equilibrium::ChanceBehavior(g, index), lambdas,
                                              [&](double, const std::vector<double>& b) {
                                                ll.push_back(log_likelihood(b));
                                                profiles.push_back(b);
                                              });
      if (stats.status != equilibrium::LogitStatus::kReachedLambda)
        throw LimitError("the logit trace stopped at lambda " + Display(stats.lambda) + " (" +
                         equilibrium::LogitStatusText(stats.status) + ") before the fit was done");
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
    const double lambda_hat = (a + b) / 2;
    auto [ll_hat, profile_hat] = trace({lambda_hat});
    // Observed information: minus the second derivative of the log-likelihood.
    const double h = std::max(1e-4, 1e-3 * lambda_hat);
    double se = std::numeric_limits<double>::quiet_NaN();
    if (lambda_hat > h) {
      auto three = trace({lambda_hat - h, lambda_hat, lambda_hat + h}).first;
      double second = (three[0] - 2 * three[1] + three[2]) / (h * h);
      if (second < 0) se = 1 / std::sqrt(-second);
    }
    std::ostringstream out;
    bool at_edge = best + 1 == grid.size();
    if (format == "json") {
      nlohmann::ordered_json j;
      j["lambda"] = lambda_hat;
      j["standard_error"] = std::isfinite(se) ? nlohmann::ordered_json(se) : nlohmann::ordered_json();
      j["log_likelihood"] = ll_hat[0];
      j["observations"] = counts.total;
      j["at_search_limit"] = at_edge;
      Emit(j.dump(2) + "\n", output);
      return 0;
    }
    if (format == "csv") {
      out << "lambda,standard_error,log_likelihood,observations\n"
          << FormatDouble(lambda_hat) << ',' << (std::isfinite(se) ? FormatDouble(se) : "") << ','
          << FormatDouble(ll_hat[0]) << ',' << FormatDouble(counts.total) << '\n';
      Emit(out.str(), output);
      return 0;
    }
    out << "Maximum-likelihood lambda: " << Display(lambda_hat);
    if (std::isfinite(se)) out << " (standard error " << Display(se) << ", from the observed information)";
    out << "\nLog-likelihood " << Display(ll_hat[0]) << " over " << Display(counts.total) << " observed choices\n";
    if (at_edge) out << "The best lambda is at the search limit (--max-lambda): play is close to an equilibrium.\n";
    out << Render(g, index, {{lambda_hat, profile_hat[0]}}, "");
    Emit(out.str(), output);
    return 0;
  }
};

QreCommand qre_command;
PARLEY_REGISTER_COMMAND(qre, "qre", "Logit quantal response equilibrium: a profile at lambda, or lambda fitted to data", 45,
                        [](CLI::App& app) { return qre_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
