// parley report GAME -o OUT.html|OUT.md: an equilibrium report for people (the game, its
// tree drawn with the equilibrium, the solution explained step by step, the equilibrium
// tables; with --vary, a chart of the outcome against one parameter; with --qre L, the
// quantal response equilibrium at lambda = L).
#include <cmath>
#include <cstdio>
#include <optional>

#include "cli/command.h"
#include "cli/common.h"
#include "solver/analysis/analysis.h"
#include "solver/analysis/scenario_model.h"
#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/solve.h"
#include "solver/model/error.h"
#include "solver/model/number.h"
#include "solver/report/report.h"
#include "solver/report/scenario_info.h"
#include "solver/report/solution.h"
#include "solver/report/sweep_section.h"
#include "solver/report/text.h"
#include "solver/scenario/scenario.h"

namespace parley::cli {
namespace {

struct ReportCommand {
  GameInput input;
  std::string output;
  bool all = false;
  bool exact = false;
  std::size_t max = 1000;
  std::size_t tree_nodes = report::TreeDrawOptions{}.max_nodes;
  std::size_t max_shown = 3;
  std::string vary;
  std::optional<double> qre_lambda;
  std::shared_ptr<const scenario::Scenario> scenario_;  // when the input is a scenario file

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    app.add_option("-o,--output", output, "The report: OUT.html (self-contained page) or OUT.md "
                                          "(Markdown, pictures written beside it as SVG)")
        ->required();
    app.add_flag("--all", all,
                 "Solve for every pure subgame-perfect equilibrium (perfect information), or "
                 "every extreme one, subgame by subgame (two players)");
    app.add_option("--max", max, "With --all: at most this many")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_flag("--exact", exact, "Solve in exact rational arithmetic");
    app.add_option("--tree-nodes", tree_nodes, "Draw at most about this many nodes; larger trees are collapsed")
        ->capture_default_str()
        ->check(CLI::Range(3, 5000));
    app.add_option("--show", max_shown, "Equilibria shown in full")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--vary", vary, "Sweep a scenario parameter, NAME=LO:HI:N: chart the outcome against it");
    app.add_option("--qre", qre_lambda,
                   "Add the agent logit quantal response equilibrium at this lambda (payoffs in the "
                   "game's units), with its check")
        ->check(CLI::Range(0.0, 1e9));
    return [this] { return Run(); };
  }

  equilibrium::SolveOptions Options() const {
    equilibrium::SolveOptions options;
    options.exact = exact;
    options.all = all;
    options.max_equilibria = max;
    return options;
  }

  // The report's sweep through the analysis engine (scenario files only): a grid of N
  // values, then the switching values narrowed down by bisection.
  report::SweepResult Sweep(const model::Game& base) const {
    analysis::ScenarioModelOptions model_options;
    model_options.max_nodes = input.max_nodes;
    model_options.overrides = input.overrides;
    analysis::Model model = analysis::ScenarioModel(input.path, model_options);
    analysis::Axis axis = analysis::ParseAxis(model, vary);
    analysis::RunOptions run;
    auto grid = analysis::RunSweep(model, {axis}, run);
    double tolerance = (axis.hi - axis.lo) * 1e-6;
    auto thresholds = analysis::FindThresholds(model, axis, tolerance, run);
    return report::SweepFromAnalysis(grid, thresholds, base.players());
  }

  int Run() {
    report::ReportInput in;
    model::GamePtr game;
    load::Input loaded = load::LoadInput(input.path, ToLoadOptions(input));
    game = loaded.game;
    if (loaded.is_scenario()) {
      in.scenario = report::ScenarioInfoFrom(*loaded.scenario, input.overrides);
      scenario_ = loaded.scenario;
    } else {
      in.scenario = report::ScenarioFromGame(*game, input.path);
    }
    in.game = game.get();
    in.generator = std::string("parley ") + PARLEY_VERSION;
    std::optional<equilibrium::Solution> solution;
    try {
      solution = equilibrium::Solve(*game, Options());
      in.solution = &*solution;
    } catch (const UnsupportedError& e) {
      // A game no method solves yet is still worth a report: its description and its tree.
      in.unsolved_reason = e.message();
      std::fprintf(stderr, "note: the report has no equilibrium: %s\n", e.message().c_str());
    }
    if (scenario_ && !scenario_->bargains.empty()) {
      std::size_t omitted = 0;
      const equilibrium::Equilibrium* eq =
          solution && !solution->equilibria.empty() ? &solution->equilibria.front() : nullptr;
      in.bargaining = report::BargainingStepsFrom(*scenario_, eq, 4, &omitted);
      if (omitted > 0 && !in.bargaining.empty())
        in.bargaining.back().notes.push_back(std::to_string(omitted) + " more bargaining steps (off the equilibrium path) are not shown.");
    }
    if (!vary.empty()) in.sweep = Sweep(*game);
    if (qre_lambda) {
      equilibrium::RequirePerfectRecall(*game, "the agent quantal response equilibrium");
      equilibrium::QrePoint point = equilibrium::QreAt(*game, *qre_lambda);
      report::QreReport qre;
      qre.lambda = *qre_lambda;
      qre.behavior = std::move(point.behavior);
      qre.max_violation = point.max_violation;
      if (point.stats.status != equilibrium::LogitStatus::kReachedLambda)
        qre.stopped = "the trace stopped at lambda " + FormatSignificant(point.stats.lambda, 6) + ": " +
                      equilibrium::LogitStatusText(point.stats.status);
      in.qre = std::move(qre);
    }
    report::ReportOptions options;
    options.tree.max_nodes = tree_nodes;
    options.max_equilibria = max_shown;
    report::WriteReport(report::BuildReport(in, options), output);
    return 0;
  }
};

ReportCommand report_command;
PARLEY_REGISTER_COMMAND(report, "report", "Write an equilibrium report (HTML or Markdown) with the tree drawn", 40,
                        [](CLI::App& app) { return report_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
