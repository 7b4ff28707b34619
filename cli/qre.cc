// parley qre GAME [--lambda L | --lambda LO:HI:N] [--fit COUNTS.csv]: the agent logit quantal
// response equilibrium on the principal branch (solver/equilibrium/logit.h), as a behaviour
// profile with the beliefs it induces, at one lambda or along a grid; or the lambda that best
// explains observed action counts (maximum likelihood, with a standard error).
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/command.h"
#include "cli/common.h"
#include "solver/analysis/analysis.h"
#include "solver/equilibrium/beliefs.h"
#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/qre_fit.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/io/files.h"
#include "solver/model/error.h"
#include "solver/model/number.h"
#include "solver/report/qre_json.h"
#include "solver/report/solution.h"
#include "solver/report/text.h"

namespace parley::cli {
namespace {

using equilibrium::ActionIndex;
using model::Game;
using model::InfosetId;

std::string Display(double x) { return FormatSignificant(x, 6); }
// A profile's probabilities and beliefs: ten significant digits, as text shows values
// (docs/cli.md, "Numbers").
std::string Probability(double x) { return FormatSignificant(x, 10); }

std::vector<double> ParseLambdas(const std::string& spec) {
  auto number = [&](const std::string& s) {
    // A decimal (or fraction) as game files write numbers: not hexadecimal (0x10 was read as
    // 16), inf or nan.
    Number x;
    if (!Number::Parse(s, &x) || x.ToRational() < 0)
      throw Error("--lambda: '" + s + "' is not a number >= 0 (write L or LO:HI:N)");
    if (std::string problem = DoubleRangeProblem(x); !problem.empty()) {
      if (std::isfinite(x.ToDouble()))
        throw Error("--lambda: '" + s + "' is too small to compute with (below about 2.2e-308 a double keeps only "
                    "some of its digits); write 0 for choices at random");
      throw Error("--lambda: '" + s + "' " + problem);
    }
    return x.ToDouble();
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
  // The points of a sweep's grid (analysis::Axis): LO and HI exactly at the ends, in between
  // the doubles nearest to the points computed exactly from the decimals written (0.3:3:3's
  // middle point is 1.65, not 1.6500000000000001).
  analysis::Axis axis;
  axis.lo = lo;
  axis.hi = hi;
  axis.n = static_cast<std::size_t>(count);
  std::vector<double> out;
  for (std::size_t i = 0; i < axis.n; ++i) out.push_back(axis.At(i));
  return out;
}

struct QreCommand {
  GameInput input;
  std::string lambda = "1";
  std::string fit;
  std::string format = "text";
  std::string output;
  double max_lambda = 0;  // 0: 1000 over the payoffs' range (FitQre)
  CLI::Option* lambda_option = nullptr;
  CLI::Option* max_lambda_option = nullptr;
  double max_seconds = 60;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    lambda_option = app.add_option("--lambda", lambda, "One lambda (L) or a grid LO:HI:N; payoffs in the game's units")
        ->capture_default_str()
        ->check(CLI::Validator(  // a malformed value is a usage error (exit code 2), as elsewhere
            [](std::string& text) -> std::string {
              try {
                ParseLambdas(text);
              } catch (const Error& e) {
                std::string message = e.what();  // CLI11 names the option already
                for (const char* prefix : {"--lambda: ", "--lambda "})
                  if (message.rfind(prefix, 0) == 0) message.erase(0, std::string(prefix).size());
                return message;
              }
              return "";
            },
            "L|LO:HI:N"));
    app.add_option("--fit", fit, "Fit lambda to observed action counts (CSV: player,set,action,count)");
    max_lambda_option = app.add_option("--max-lambda", max_lambda,
                                       "With --fit: largest lambda searched (default: 1000 over the range of the "
                                       "payoffs of the players who choose)")
        ->check(kPositive);
    AddFormat(app, format, {"text", "json", "csv"});
    app.add_option("--max-seconds", max_seconds,
                   "The tracer's budget, in seconds of processor time: past it, the points reached "
                   "are printed, marked incomplete, and the exit code is 1 (with --fit: the whole "
                   "fit's budget; past it the fit stops with an error)")
        ->capture_default_str()
        ->check(kPositive);
    app.add_option("-o,--output", output, "Write to this file instead of standard output")
        ->check(kOutputFile);
    return [this] { return Run(); };
  }

  int Run() {
    // An option the run does not read is refused, not ignored (`--fit c.csv --lambda 2` fitted
    // lambda without a word about the 2).
    if (!fit.empty() && lambda_option->count() > 0)
      throw ValidationError("--lambda with --fit: the fit finds lambda (its profile is printed); give one or the other");
    if (fit.empty() && max_lambda_option->count() > 0)
      throw ValidationError("--max-lambda bounds the search of --fit; without --fit, give the lambdas with --lambda");
    auto game = load::LoadInput(input.path, ToLoadOptions(input)).game;
    const Game& g = *game;
    equilibrium::RequirePerfectRecall(g, "the agent quantal response equilibrium");
    ActionIndex index(g);
    if (!fit.empty()) return Fit(g, index);
    equilibrium::LogitOptions limits;
    limits.max_seconds = max_seconds;
    equilibrium::QreTrace trace = equilibrium::TraceQre(g, ParseLambdas(lambda), limits);
    Emit(Render(g, index, trace), output);
    if (!trace.incomplete.empty()) {
      std::cerr << "error: " << input.path << ": " << trace.incomplete << "\n";
      return 1;
    }
    return 0;
  }

  std::string Render(const Game& g, const ActionIndex& index, const equilibrium::QreTrace& trace) const {
    const auto& points = trace.points;
    PARLEY_CHECK(trace.log_behaviors.size() == points.size());
    const std::string& note = trace.incomplete;
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
    if (format == "json") return report::QreTraceJson(g, trace).dump(2) + "\n";
    out << "Agent logit quantal response equilibrium of " << (g.title().empty() ? input.path : g.title())
        << " (principal branch)\n";
    // Sets and actions named as `parley solve` names them ("P2 after a0 > a1 (+1 nodes)", "#2").
    const report::SetNames set_name(g);
    for (std::size_t i = 0; i < points.size(); ++i) {
      const auto& [l, b] = points[i];
      out << "\nlambda = " << Display(l) << "\n";
      std::vector<double> belief = equilibrium::BeliefsFromLog(g, index, trace.log_behaviors[i]);
      for (int p = 0; p < g.num_players(); ++p)
        for (InfosetId h : g.player_infosets(p)) {
          out << "  " << set_name(h) << ": ";
          for (std::uint32_t a = 0; a < g.num_actions(h); ++a)
            out << (a ? ", " : "") << report::ActionName(g, h, a) << " " << Probability(b[index(h, a)]);
          auto nodes = g.infoset_nodes(h);
          if (nodes.size() > 1) {
            out << "; beliefs";
            for (std::size_t k = 0; k < nodes.size(); ++k)
              out << (k ? ", " : " ") << report::DescribeNode(g, nodes[k]) << " " << Probability(belief[nodes[k]]);
          }
          out << "\n";
        }
    }
    if (!note.empty()) out << "\nIncomplete: " << note << "\n";
    return out.str();
  }

  static std::string Csv(std::string_view s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return std::string(s);
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }

  int Fit(const Game& g, const ActionIndex& index) {
    equilibrium::QreFit f =
        equilibrium::FitQre(g, equilibrium::ParseQreCounts(io::ReadWholeFile(fit), fit, g), max_lambda, max_seconds);
    const bool known_se = std::isfinite(f.standard_error);
    // The fitted profile: the QRE at the fitted lambda, as `parley qre --lambda` gives it.
    equilibrium::QreTrace one;
    one.points.emplace_back(f.lambda, f.behavior);
    one.log_behaviors.push_back(f.log_behavior);
    if (format == "json") {
      Emit(report::QreFitJson(g, f).dump(2) + "\n", output);
      return 0;
    }
    std::ostringstream out;
    if (format == "csv") {
      // One row per action of the fitted profile, the fit's figures repeated on each (a tidy
      // table: one header, one kind of row).
      const std::string fit_cells = FormatDouble(f.lambda) + ',' + (known_se ? FormatDouble(f.standard_error) : "") +
                                    ',' + FormatDouble(f.log_likelihood) + ',' + FormatDouble(f.observations);
      out << "lambda,standard_error,log_likelihood,observations,player,set,set_label,action,probability\n";
      const std::vector<std::uint32_t> numbers = report::InfosetNumbers(g);
      for (InfosetId h = 0; h < g.num_infosets(); ++h) {
        if (g.infoset_player(h) == model::kChancePlayer) continue;
        for (std::uint32_t a = 0; a < g.num_actions(h); ++a)
          out << fit_cells << ',' << g.infoset_player(h) + 1 << ',' << numbers[h] << ',' << Csv(g.infoset_label(h))
              << ',' << Csv(g.action_label(h, a)) << ',' << FormatDouble(f.behavior[index(h, a)]) << '\n';
      }
      Emit(out.str(), output);
      return 0;
    }
    out << "Maximum-likelihood lambda: " << Display(f.lambda);
    if (known_se) out << " (standard error " << Display(f.standard_error) << ", from the observed information)";
    out << "\nLog-likelihood " << Display(f.log_likelihood) << " over " << Display(f.observations)
        << " observed choices\n";
    if (f.flat)
      out << "The likelihood is the same (to 1e-13) at every lambda searched, 0 to " << Display(f.search_limit)
          << ": these counts cannot tell lambda there (as when every observed choice is between actions that "
             "pay their chooser alike); the profile below is at lambda 0, uniform play.\n";
    else if (f.at_zero)
      out << "The best lambda is 0, the lower end of the range: no precision up to " << Display(f.search_limit)
          << " (the range searched) fits the data better than uniform play (no standard error at an end of "
             "the range).\n";
    for (const auto& [lambda, ll] : f.other_maxima)
      out << "Another local maximum fits about as well: lambda " << Display(lambda) << ", log-likelihood "
          << Display(ll) << " (within 1.92 of the best, the 95 % likelihood-ratio bound): the counts do not "
          << "tell them apart, and a standard error above describes the lambda given only.\n";
    if (f.turned_back_at >= 0) {
      out << "The principal branch turns back in lambda at " << Display(f.turned_back_at)
          << ": past that turn a lambda has several QREs on the branch, and the search compares only the "
             "first the branch reaches.";
      if (std::isfinite(f.better_past_turn_lambda))
        out << " A point past the turn fits better: lambda " << Display(f.better_past_turn_lambda)
            << " there, log-likelihood " << Display(f.better_past_turn_log_likelihood)
            << " (a point the trace passed, not a maximum refined): the answer above is not the maximum "
               "likelihood over the branch.";
      else
        out << " No point the trace passed past the turn fits better.";
      out << "\n";
    }
    if (f.at_search_limit) {
      out << "The best lambda is at the search limit (";
      if (f.search_limit < f.requested_limit)
        out << "the largest lambda the tracer follows, " << Display(equilibrium::LogitOptions{}.max_lambda)
            << " divided by the range of the payoffs of the players who choose; --max-lambda "
            << Display(f.requested_limit) << (max_lambda == 0 ? ", its default," : "") << " is beyond it";
      else if (max_lambda == 0)
        out << "--max-lambda, by default 1000 divided by the range of the payoffs of the players who choose";
      else
        out << "--max-lambda";
      out << "): the likelihood still rises there, so the data are as close to equilibrium play as the "
             "search can express (no standard error at an end of the range).\n";
    }
    out << Render(g, index, one);
    Emit(out.str(), output);
    return 0;
  }
};

QreCommand qre_command;
PARLEY_REGISTER_COMMAND(qre, "qre", "Logit quantal response equilibrium: a profile at lambda, or lambda fitted to data", 45,
                        [](CLI::App& app) { return qre_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
