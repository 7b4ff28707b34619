#include "solver/report/make_report.h"

#include "solver/analysis/analysis.h"
#include "solver/analysis/scenario_model.h"
#include "solver/analysis/tornado.h"
#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/solve.h"
#include "solver/load/load.h"
#include "solver/model/cancel.h"
#include "solver/model/error.h"
#include "solver/model/number.h"
#include "solver/report/report.h"
#include "solver/report/scenario_info.h"
#include "solver/report/solution.h"
#include "solver/report/sweep_section.h"

namespace parley::report {

namespace {

// Bargaining steps off the equilibrium path beyond this many are counted, not shown.
constexpr std::size_t kMaxBargainingSteps = 4;

// The scenario as a model for analysis; a game file is refused there with the reason.
analysis::Model ModelOf(const ReportRequest& request) {
  analysis::ScenarioModelOptions options;
  options.max_nodes = request.max_nodes;
  options.overrides = request.overrides;
  return analysis::ScenarioModel(request.path, options);
}

// The sweep: a grid of N values, then the switching values narrowed down by bisection.
SweepResult Sweep(const analysis::Model& model, const std::string& vary, const model::Game& base) {
  analysis::Axis axis = analysis::ParseAxis(model, vary);
  analysis::RunOptions run;
  // The calling thread's cancel flag (the Python module's Ctrl-C), which the sweep's worker
  // threads do not inherit: without it a report with a sweep ran to its end (32 s) before
  // stopping. Raised, the report stops (below); the command line's flag for the tornado and
  // Monte Carlo, which keep what they found, is not this one: a sweep cut short would chart
  // a partial grid without saying so.
  run.cancel = model::CurrentCancelFlag();
  auto grid = analysis::RunSweep(model, {axis}, run);
  model::ThrowIfCancelled();
  auto thresholds = analysis::FindThresholds(model, axis, (axis.hi - axis.lo) * 1e-6, run);
  model::ThrowIfCancelled();
  return SweepFromAnalysis(grid, thresholds, base.players());
}

QreReport Qre(const model::Game& game, double lambda) {
  equilibrium::RequirePerfectRecall(game, "the agent quantal response equilibrium");
  equilibrium::QrePoint point = equilibrium::QreAt(game, lambda);
  QreReport qre;
  qre.lambda = lambda;
  qre.behavior = std::move(point.behavior);
  qre.log_behavior = std::move(point.log_behavior);
  qre.check = point.check;
  if (point.stats.status != equilibrium::LogitStatus::kReachedLambda)
    qre.stopped = "the trace stopped at lambda " + FormatSignificant(point.stats.lambda, 6) + ": " +
                  equilibrium::QreStatusText(point.stats.status);
  return qre;
}

}  // namespace

void MakeReport(const ReportRequest& request, const std::function<void(const std::string&)>& note) {
  load::LoadOptions load_options;
  load_options.max_nodes = request.max_nodes;
  load_options.overrides = request.overrides;
  load::Input loaded = load::LoadInput(request.path, load_options);
  const model::Game& game = *loaded.game;
  ReportInput in;
  in.scenario = loaded.is_scenario() ? ScenarioInfoFrom(*loaded.scenario, request.overrides)
                                     : ScenarioFromGame(game, request.path);
  in.game = &game;
  in.generator = request.generator;
  equilibrium::SolveOptions options;
  options.exact = request.exact;
  options.all = request.all;
  options.max_equilibria = request.max;
  std::optional<equilibrium::Solution> solution;
  try {
    solution = equilibrium::Solve(game, options);
    in.solution = &*solution;
  } catch (const UnsupportedError& e) {
    // A game no method solves yet is still worth a report: its description and its tree.
    in.unsolved_reason = e.message();
    if (note) note("the report has no equilibrium: " + e.message());
  }
  if (loaded.scenario && !loaded.scenario->bargains.empty()) {
    std::size_t omitted = 0;
    const equilibrium::Equilibrium* eq =
        solution && !solution->equilibria.empty() ? &solution->equilibria.front() : nullptr;
    in.bargaining = BargainingStepsFrom(*loaded.scenario, eq, kMaxBargainingSteps, &omitted);
    if (omitted > 0 && !in.bargaining.empty())
      in.bargaining.back().notes.push_back(std::to_string(omitted) +
                                           " more bargaining steps (off the equilibrium path) are not shown.");
  }
  // The scenario as a model for the analyses, compiled once for all of them.
  std::optional<analysis::Model> model;
  auto analysis_model = [&]() -> const analysis::Model& {
    if (!model) model = ModelOf(request);
    return *model;
  };
  if (!request.vary.empty()) in.sweep = Sweep(analysis_model(), request.vary, game);
  if (request.qre_lambda) in.qre = Qre(game, *request.qre_lambda);
  analysis::RunOptions run;
  run.cancel = request.cancel;
  if (request.tornado) {
    const analysis::Model& m = analysis_model();  // refuses a game file first
    analysis::TornadoOptions tornado;
    tornado.values = request.tornado_values.empty() ? analysis::ScenarioPartyColumns(request.path)
                                                    : request.tornado_values;
    tornado.value_option = "--tornado-value";
    in.tornado = analysis::RunTornado(m, tornado, run);
  }
  if (request.montecarlo > 0) {
    const analysis::Model& m = analysis_model();
    bool any = false;
    for (const auto& d : m.distributions) any = any || d.kind != analysis::Distribution::Kind::kFixed;
    if (!any)
      throw Error(SourceLocation{request.path},
                  "no parameter has a distribution, so --montecarlo has nothing to draw; give at "
                  "least one a `distribution:` (e.g. {type: uniform, low: 0.1, high: 0.5})");
    run.keep_drawn = false;  // the report shows the outcomes' shares and the values' intervals
    in.montecarlo = analysis::RunMonteCarlo(m, request.montecarlo, request.seed, run);
  }
  ReportOptions report_options;
  report_options.tree.max_nodes = request.tree_nodes;
  report_options.max_equilibria = request.show;
  WriteReport(BuildReport(in, report_options), request.output);
}

}  // namespace parley::report
