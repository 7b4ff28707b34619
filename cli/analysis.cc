// parley sweep / thresholds / tornado / montecarlo / merge: sensitivity analysis of scenario files.
#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/common.h"
#include "solver/analysis/analysis.h"
#include "solver/analysis/merge.h"
#include "solver/analysis/parallel.h"
#include "solver/analysis/scenario_model.h"
#include "solver/analysis/tornado.h"
#include "solver/model/error.h"
#include "solver/model/number.h"
#include "solver/report/analysis_results.h"

namespace parley::cli {
namespace {

// A count given on the command line: "1000000", "1e6" and "1_000_000" all mean a million; a
// fraction or a number outside [lo, hi] is refused.
std::size_t ParseCount(const std::string& option, const std::string& text, std::size_t lo, std::size_t hi) {
  // An underscore groups digits: between two of them only (not "_10" or "10_").
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool between = i > 0 && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
                         std::isdigit(static_cast<unsigned char>(text[i + 1]));
    if (text[i] == '_' && !between)
      throw Error(option + " " + text + ": expected a whole number (e.g. 100000, 1e5 or 100_000)");
    if (text[i] != '_') digits += text[i];
  }
  Number x;
  bool whole = Number::Parse(digits, &x) && x.IsExact() && x.ToRational().get_den() == 1;
  if (!whole)
    throw Error(option + " " + text + ": expected a whole number (e.g. 100000 or 1e5)");
  Rational v = x.ToRational();
  if (v < Rational(lo) || v > Rational(static_cast<double>(hi)))
    throw Error(option + " " + text + ": expected a whole number from " + std::to_string(lo) +
                " to " + std::to_string(hi));
  return static_cast<std::size_t>(v.get_num().get_d());
}

// A check while the options are read: a value `parse` refuses is a usage error (exit 2),
// with its message less the option's name, which CLI11 gives.
CLI::Validator FormOf(const std::string& option, std::function<void(const std::string&)> parse,
                      const std::string& form) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        try {
          parse(text);
        } catch (const Error& e) {
          std::string message = e.what();
          if (message.rfind(option + " ", 0) == 0) message.erase(0, option.size() + 1);
          return message;
        }
        return "";
      },
      form);
}

// Options shared by the three analysis commands.
struct AnalysisInput {
  GameInput input;
  std::string format;
  std::string output;
  std::string shard;
  int threads = 0;
  bool verbose = false;

  void Add(CLI::App& app, bool csv, bool shards) {
    AddGameInput(app, input);
    app.add_flag("--verbose", verbose, "Say on stderr how points are evaluated (compiled once or expanded in full)");
    if (csv)
      AddFormat(app, format, {"text", "csv", "json"});
    else
      AddFormat(app, format, {"text", "json"});
    app.add_option("-o,--output", output, "Write to this file (atomically) instead of standard output")
        ->check(kOutputFile);
    app.add_option("--threads", threads, "Worker threads (default: one per core)")
        ->check(kNonNegative);
    if (shards)
      app.add_option("--shard", shard,
                     "Compute only slice K of N (K/N), for job arrays; combine with parley merge")
          ->check(FormOf("--shard", [](const std::string& t) { analysis::ParseShard(t); }, "K/N"));
  }

  analysis::Model Load() const {
    analysis::ScenarioModelOptions options;
    options.max_nodes = input.max_nodes;
    options.overrides = input.overrides;
    return analysis::ScenarioModel(input.path, options);
  }

  // A parameter given by --set and varied by --vary: the grid would override the --set
  // silently (and the output's parameters would still record the --set value).
  void RefuseSetAndVaried(const std::vector<analysis::Axis>& axes) const {
    for (const std::string& item : input.overrides) {
      std::string name = item.substr(0, item.find('='));
      while (!name.empty() && name.back() == ' ') name.pop_back();
      for (const analysis::Axis& axis : axes)
        if (axis.name == name)
          throw Error("--set " + item + " and --vary " + name + ": the run moves " + name +
                      " over its range, so the --set would be ignored; give one of them");
    }
  }

  // --verbose: the evaluation path for these varied parameters.
  void Describe(const analysis::Model& model, const std::vector<std::size_t>& varied) const {
    if (verbose && model.describe_evaluation)
      std::cerr << "evaluation: " << model.describe_evaluation(varied) << "\n";
  }

  analysis::RunOptions Run() const {
    analysis::RunOptions run;
    run.threads = threads;
    run.cancel = analysis::InstallInterruptFlag();
    run.progress = true;
    if (!shard.empty()) run.shard = analysis::ParseShard(shard);
    return run;
  }
};

// --grid N: N points over the range, both ends included, so at least 2 and at most `most`
// (written `most_text`), or 0 where `zero` says what a run without a grid does. Every value
// refused gets the same message, which says what is allowed.
std::size_t ParseGrid(const std::string& text, std::size_t most, const std::string& most_text,
                      const std::string& zero = "") {
  std::string allowed = "--grid " + text + ": expected a whole number of points from 2 to " + most_text +
                        " (the grid includes both ends of the range)" +
                        (zero.empty() ? std::string() : ", or 0 to " + zero);
  std::size_t n = 0;
  try {
    n = ParseCount("--grid", text, 0, most);
  } catch (const Error&) {
    throw Error(allowed);
  }
  if (n == 1 || (n == 0 && zero.empty())) throw Error(allowed);
  return n;
}

// ParseGrid as a check while the options are read: a malformed --grid is a usage error.
CLI::Validator GridForm(std::size_t most, std::string most_text, std::string zero = "") {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        try {
          ParseGrid(text, most, most_text, zero);
        } catch (const Error& e) {
          std::string message = e.what();  // CLI11 names the option already
          if (message.rfind("--grid ", 0) == 0) message.erase(0, 7);
          return message;
        }
        return "";
      },
      "N");
}

int Finish(bool interrupted, std::size_t done, std::size_t total) {
  if (!interrupted) return 0;
  std::cerr << "interrupted: " << done << " of " << total
            << " computed; the output holds those\n";
  return 130;
}

struct SweepCommand {
  AnalysisInput in;
  std::vector<std::string> vary;

  std::function<int()> Setup(CLI::App& app) {
    in.Add(app, true, true);
    app.add_option("--vary", vary, "NAME=LO:HI:N: a parameter and its grid (once or twice)")
        ->required()
        ->check(VaryForm(false));
    return [this] { return Run(); };
  }

  int Run() {
    analysis::Model model = in.Load();
    if (vary.size() > 2) throw Error("--vary: a sweep varies one or two parameters");
    std::vector<analysis::Axis> axes;
    for (const auto& v : vary) axes.push_back(analysis::ParseAxis(model, v));
    if (axes.size() == 2 && axes[0].parameter == axes[1].parameter)
      throw Error("--vary names " + axes[0].name + " twice");
    in.RefuseSetAndVaried(axes);
    std::vector<std::size_t> varied;
    for (const auto& axis : axes) varied.push_back(axis.parameter);
    in.Describe(model, varied);
    analysis::SweepResult r = analysis::RunSweep(model, axes, in.Run());
    if (in.format == "json")
      Emit(report::SweepJson(r).dump(1) + "\n", in.output);
    else if (in.format == "csv")
      Emit(report::SweepCsv(r), in.output);
    else
      Emit(report::SweepText(r), in.output);
    return Finish(r.interrupted, r.points.size(), r.shard.OwnedOf(r.total));
  }
};

struct ThresholdsCommand {
  AnalysisInput in;
  std::string vary;
  std::string grid = "101";

  std::function<int()> Setup(CLI::App& app) {
    in.Add(app, true, false);
    app.add_option("--vary", vary, "NAME=LO:HI: the parameter and its range")->required()->check(VaryForm(true));
    grid_option = app.add_option("--grid", grid, "Grid points searched for changes before bisection (2 to 10^7)")
                      ->check(GridForm(10'000'000, "10^7"))
                      ->capture_default_str();
    return [this] { return Run(); };
  }
  CLI::Option* grid_option = nullptr;

  int Run() {
    // NAME=LO:HI:N gives the grid as sweep's --vary does; with --grid as well, one would be
    // dropped silently.
    if (grid_option->count() > 0 && std::count(vary.begin(), vary.end(), ':') >= 2)
      throw Error("--vary '" + vary + "' gives the grid's N and --grid gives it again; give it once");
    analysis::Model model = in.Load();
    analysis::Axis axis = analysis::ParseAxis(model, vary, ParseGrid(grid, 10'000'000, "10^7"));
    in.RefuseSetAndVaried({axis});
    in.Describe(model, {axis.parameter});
    bool interrupted = false;
    auto t = analysis::FindThresholds(model, axis, 1e-9, in.Run(), &interrupted);
    if (in.format == "json")
      Emit(report::ThresholdsJson(t, axis, interrupted).dump(1) + "\n", in.output);
    else if (in.format == "csv")
      Emit(report::ThresholdsCsv(t), in.output);
    else
      Emit(report::ThresholdsText(t, axis, interrupted), in.output);
    return Finish(interrupted, t.size(), t.size());
  }
};

// A command of its own rather than a mode of `sweep`: it varies every parameter with a range
// (not one or two on a grid), ranks them, and has none of sweep's grid or shard options.
struct TornadoCommand {
  AnalysisInput in;
  std::vector<std::string> values;
  std::string range = "auto";
  std::string grid = "21";

  std::function<int()> Setup(CLI::App& app) {
    in.Add(app, true, false);
    app.add_option("--value", values,
                   "A value column to rank by (a player, or a sweep column such as deal.equity); "
                   "repeatable; default: each bargaining party's payoff");
    app.add_option("--range", range,
                   "auto (a distribution's 5-95 % quantiles where there is one, else min/max), "
                   "bounds (min/max) or quantiles")
        ->capture_default_str()
        ->check(FormOf("--range", [](const std::string& t) { analysis::ParseTornadoRange(t); }, "WORD"));
    app.add_option("--grid", grid,
                   "Points per range searched for outcome changes before bisection (0: compare "
                   "the ends and the base only)")
        ->capture_default_str()
        ->check(GridForm(1'000'000, "10^6", "compare the outcomes at the ends and the base only"));
    return [this] { return Run(); };
  }

  int Run() {
    analysis::Model model = in.Load();
    analysis::TornadoOptions options;
    options.values = values.empty() ? analysis::ScenarioPartyColumns(in.input.path) : values;
    options.range = analysis::ParseTornadoRange(range);
    options.grid = ParseGrid(grid, 1'000'000, "10^6", "compare the outcomes at the ends and the base only");
    analysis::RunOptions run = in.Run();
    run.progress = false;  // many short runs: one bar each would flicker
    analysis::TornadoResult r = analysis::RunTornado(model, options, run);
    if (in.format == "json")
      Emit(report::TornadoJson(r).dump(1) + "\n", in.output);
    else if (in.format == "csv")
      Emit(report::TornadoCsv(r), in.output);
    else
      Emit(report::TornadoText(r), in.output);
    return Finish(r.interrupted, r.parameters.size(), r.parameters.size() + 1);
  }
};

struct MonteCarloCommand {
  AnalysisInput in;
  std::string samples = "10000";
  std::uint64_t seed = 1;

  std::function<int()> Setup(CLI::App& app) {
    in.Add(app, true, true);
    app.add_option("--samples", samples,
                   "Number of samples (1e5 is fine), at most 10^9 in all; one run keeps at most "
                   "2e7 in memory, so split larger runs with --shard K/N")
        ->capture_default_str()
        ->check(FormOf("--samples", [](const std::string& t) { ParseCount("--samples", t, 1, analysis::kMaxSamples); },
                       "N"));
    app.add_option("--seed", seed, "Random seed (same seed, same result), a whole number from 0 to 2^64 - 1")
        ->capture_default_str()
        ->check(CLI::Validator(
            [](std::string& text) -> std::string {
              // CLI11 reads "-1" into an unsigned number by wrapping it, and saturates
              // numbers past 2^64 - 1: refuse both, so that two seeds never alias.
              errno = 0;
              char* end = nullptr;
              bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
              if (digits) std::strtoull(text.c_str(), &end, 10);
              if (!digits || errno == ERANGE)
                return "must be a whole number from 0 to 18446744073709551615, not '" + text + "'";
              return "";
            },
            "0..2^64-1"));
    return [this] { return Run(); };
  }

  int Run() {
    analysis::Model model = in.Load();
    // A parameter given with --set is held at that value: its distribution is not drawn.
    std::string held;
    for (const std::string& item : in.input.overrides) {
      std::string name = item.substr(0, item.find('='));
      while (!name.empty() && name.back() == ' ') name.pop_back();
      while (!name.empty() && name.front() == ' ') name.erase(name.begin());
      auto& distribution = model.distributions[model.ParameterIndex(name)];
      if (distribution.kind != analysis::Distribution::Kind::kFixed) held += (held.empty() ? "" : ", ") + name;
      distribution = analysis::Distribution{};
    }
    std::vector<std::size_t> varied;
    for (std::size_t p = 0; p < model.distributions.size(); ++p)
      if (model.distributions[p].kind != analysis::Distribution::Kind::kFixed) varied.push_back(p);
    bool any = !varied.empty();
    if (!any)
      throw Error(SourceLocation{in.input.path},
                  "no parameter has a distribution" +
                      (held.empty() ? std::string()
                                    : " once --set holds " + held +
                                          (held.find(',') == std::string::npos ? " at its value" : " at their values")) +
                      "; give at least one a `distribution:` (e.g. {type: uniform, low: 0.1, high: "
                      "0.5}) to run Monte Carlo");
    std::size_t n = ParseCount("--samples", samples, 1, analysis::kMaxSamples);
    in.Describe(model, varied);
    analysis::RunOptions run = in.Run();
    run.keep_drawn = in.format != "text";  // the text is a summary: no sample of its own
    analysis::MonteCarloResult r = analysis::RunMonteCarlo(model, n, seed, run);
    if (in.format == "json")
      Emit(report::MonteCarloJson(r, true).dump(1) + "\n", in.output);
    else if (in.format == "csv")
      Emit(report::MonteCarloCsv(r), in.output);
    else
      Emit(report::MonteCarloText(r), in.output);
    return Finish(r.interrupted, r.samples.size(), r.shard.OwnedOf(n));
  }
};

struct MergeCommand {
  std::vector<std::string> files;
  std::string format;
  std::string output;

  std::function<int()> Setup(CLI::App& app) {
    app.add_option("files", files, "Shard outputs written with --format json")->required();
    AddFormat(app, format, {"text", "csv", "json"});
    app.add_option("-o,--output", output, "Write to this file (atomically) instead of standard output")
        ->check(kOutputFile);
    return [this] { return Run(); };
  }

  int Run() {
    analysis::MergedResult r = analysis::MergeResultFiles(files);
    // A shard that was interrupted makes the merged result partial, as its own run was: said
    // on stderr with the run's exit code, whatever the format (a CSV has no place to say it,
    // and one with 60 % of its rows once came out with exit code 0 and no word).
    if (r.montecarlo) {
      if (format == "json") Emit(report::MonteCarloJson(*r.montecarlo, true).dump(1) + "\n", output);
      else if (format == "csv") Emit(report::MonteCarloCsv(*r.montecarlo), output);
      else Emit(report::MonteCarloText(*r.montecarlo), output);
      return Finish(r.montecarlo->interrupted, r.montecarlo->samples.size(), r.montecarlo->requested);
    }
    if (format == "json") Emit(report::SweepJson(*r.sweep).dump(1) + "\n", output);
    else if (format == "csv") Emit(report::SweepCsv(*r.sweep), output);
    else Emit(report::SweepText(*r.sweep), output);
    return Finish(r.sweep->interrupted, r.sweep->points.size(), r.sweep->total);
  }
};

SweepCommand sweep_command;
ThresholdsCommand thresholds_command;
TornadoCommand tornado_command;
MonteCarloCommand montecarlo_command;
MergeCommand merge_command;
PARLEY_REGISTER_COMMAND(sweep, "sweep", "Solve a scenario over a grid of one or two parameters", 60,
                        [](CLI::App& app) { return sweep_command.Setup(app); });
PARLEY_REGISTER_COMMAND(thresholds, "thresholds",
                        "Find where the equilibrium outcome changes as a parameter varies", 61,
                        [](CLI::App& app) { return thresholds_command.Setup(app); });
PARLEY_REGISTER_COMMAND(tornado, "tornado",
                        "Rank the parameters by how far each moves a value over its range", 64,
                        [](CLI::App& app) { return tornado_command.Setup(app); });
PARLEY_REGISTER_COMMAND(montecarlo, "montecarlo",
                        "Outcome probabilities over parameters drawn from their distributions", 62,
                        [](CLI::App& app) { return montecarlo_command.Setup(app); });
PARLEY_REGISTER_COMMAND(merge, "merge", "Combine the --shard outputs of a sweep or Monte Carlo run", 63,
                        [](CLI::App& app) { return merge_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
