// parley report GAME -o OUT.html|OUT.md: an equilibrium report for people (the game, its
// tree drawn with the equilibrium, the solution explained step by step, the equilibrium
// tables; with --vary, a chart of the outcome against one parameter; with --qre L, the
// quantal response equilibrium at lambda = L; with --tornado, which assumptions move the
// answer most; with --montecarlo N, the prediction under uncertainty). The work is
// report::MakeReport's, shared with the Python module.
#include <cstdio>
#include <optional>

#include "cli/command.h"
#include "cli/common.h"
#include "solver/analysis/parallel.h"
#include "solver/report/make_report.h"

namespace parley::cli {
namespace {

struct ReportCommand {
  GameInput input;
  report::ReportRequest request;
  std::optional<double> qre_lambda;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    app.add_option("-o,--output", request.output, "The report: OUT.html (self-contained page) or OUT.md "
                                                  "(Markdown, pictures written beside it as SVG)")
        ->required()
        ->check(kOutputFileOnly);
    app.add_flag("--all", request.all,
                 "Solve for every pure subgame-perfect equilibrium (perfect information), or "
                 "every extreme one, subgame by subgame (at most two players moving in each)");
    app.add_option("--max", request.max, "With --all: at most this many")->capture_default_str()->check(kPositive);
    app.add_flag("--exact", request.exact, "Solve in exact rational arithmetic");
    app.add_option("--tree-nodes", request.tree_nodes, "Draw at most about this many nodes; larger trees are collapsed")
        ->capture_default_str()
        ->check(CLI::Range(3, 5000));
    app.add_option("--show", request.show, "Equilibria shown in full")->capture_default_str()->check(kPositive);
    app.add_option("--vary", request.vary, "Sweep a scenario parameter, NAME=LO:HI:N: chart the outcome against it")
        ->check(VaryForm(false));
    app.add_option("--qre", qre_lambda,
                   "Add the agent logit quantal response equilibrium at this lambda (payoffs in the "
                   "game's units), with its check")
        ->check(kNonNegative)  // a number (nan passed CLI::Range: every comparison with it is false)
        ->check(CLI::Range(0.0, 1e9));
    CLI::Option* tornado = app.add_flag("--tornado", request.tornado,
                                        "Add a tornado chart: which parameters move the parties' payoffs most "
                                        "over their ranges (scenario files)");
    // Without --tornado the value would be ignored silently.
    app.add_option("--tornado-value", request.tornado_values,
                   "With --tornado: rank by this value column instead (repeatable; e.g. deal.equity)")
        ->needs(tornado);
    app.add_option("--montecarlo", request.montecarlo,
                   "Add the Monte Carlo prediction over this many samples: outcome classes and the "
                   "agreed terms' intervals (scenario files with distributions)")
        ->check(CLI::Range(1, 10'000'000));
    app.add_option("--seed", request.seed, "With --montecarlo: the random seed")->capture_default_str();
    return [this] { return Run(); };
  }

  int Run() {
    // A parameter both set and varied: the body would be solved at the --set value and the
    // chart sweep over the range, in one document (sweep and thresholds refuse it).
    if (!request.vary.empty()) {
      const std::string varied = request.vary.substr(0, request.vary.find('='));
      for (const std::string& item : input.overrides) {
        std::string name = item.substr(0, item.find('='));
        while (!name.empty() && name.back() == ' ') name.pop_back();
        while (!name.empty() && name.front() == ' ') name.erase(name.begin());
        if (name == varied)
          throw Error("--set " + item + " and --vary " + varied + ": the report's chart moves " + varied +
                      " over its range while the rest of it is solved at the --set value; give one of them");
      }
    }
    request.path = input.path;
    request.overrides = input.overrides;
    request.max_nodes = input.max_nodes;
    request.qre_lambda = qre_lambda;
    request.generator = std::string("parley ") + PARLEY_VERSION;
    // Ctrl-C stops the long runs cleanly (the report keeps what they found); without them it
    // ends the program as usual.
    if (request.tornado || request.montecarlo > 0) request.cancel = analysis::InstallInterruptFlag();
    report::MakeReport(request, [](const std::string& note) { std::fprintf(stderr, "note: %s\n", note.c_str()); });
    return 0;
  }
};

ReportCommand report_command;
PARLEY_REGISTER_COMMAND(report, "report", "Write an equilibrium report (HTML or Markdown) with the tree drawn", 40,
                        [](CLI::App& app) { return report_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
