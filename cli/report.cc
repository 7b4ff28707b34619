// parley report GAME -o OUT.html|OUT.md: an equilibrium report for people (the game, its
// tree drawn with the equilibrium, the solution explained step by step, the equilibrium
// tables; with --vary, a chart of the outcome against one parameter).
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "cli/command.h"
#include "cli/common.h"
#include "solver/equilibrium/solve.h"
#include "solver/model/error.h"
#include "solver/report/report.h"
#include "solver/report/solution.h"
#include "solver/report/text.h"

namespace parley::cli {
namespace {

// NAME=LO:HI:N
struct Vary {
  std::string name;
  double lo = 0, hi = 0;
  int count = 0;
};

Vary ParseVary(const std::string& text) {
  Vary v;
  auto eq = text.find('=');
  auto fail = [&] {
    return Error("--vary '" + text + "': expected NAME=LO:HI:N, e.g. revenue_share=0.1:0.3:21");
  };
  if (eq == std::string::npos || eq == 0) throw fail();
  v.name = text.substr(0, eq);
  char tail = 0;
  if (std::sscanf(text.c_str() + eq + 1, "%lf:%lf:%d%c", &v.lo, &v.hi, &v.count, &tail) != 3) throw fail();
  if (!(v.hi > v.lo) || v.count < 2 || v.count > 10000)
    throw Error("--vary '" + text + "': need LO < HI and 2 <= N <= 10000");
  return v;
}

// The equilibrium path of the first equilibrium in words (what a sweep compares).
std::string PathWords(const model::Game& game, const equilibrium::Solution& solution) {
  if (solution.equilibria.empty()) return "no equilibrium";
  auto path = report::EquilibriumPath(game, solution.equilibria.front(), 2);
  if (path.size() != 1) return "mixed";
  std::string out;
  const auto& nodes = path.front().nodes;
  for (std::size_t k = 0; k + 1 < nodes.size(); ++k) {
    model::NodeId v = nodes[k];
    out += (k ? ", " : "") + report::MoverName(game, v) + " " +
           report::ActionName(game, game.infoset(v), game.action_into(nodes[k + 1]));
  }
  return out.empty() ? "(no moves)" : out;
}

struct ReportCommand {
  GameInput input;
  std::string output;
  bool all = false;
  bool exact = false;
  std::size_t max = 1000;
  std::size_t tree_nodes = 150;
  std::size_t max_shown = 3;
  std::string vary;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    app.add_option("-o,--output", output, "The report: OUT.html (self-contained page) or OUT.md "
                                          "(Markdown, pictures written beside it as SVG)")
        ->required();
    app.add_flag("--all", all, "Solve for every pure subgame-perfect equilibrium");
    app.add_option("--max", max, "With --all: at most this many")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_flag("--exact", exact, "Solve in exact rational arithmetic");
    app.add_option("--tree-nodes", tree_nodes, "Draw at most about this many nodes; larger trees are collapsed")
        ->capture_default_str()
        ->check(CLI::Range(3, 5000));
    app.add_option("--show", max_shown, "Equilibria shown in full")->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--vary", vary, "Sweep a scenario parameter, NAME=LO:HI:N: chart the outcome against it");
    return [this] { return Run(); };
  }

  equilibrium::SolveOptions Options() const {
    equilibrium::SolveOptions options;
    options.exact = exact;
    options.all = all;
    options.max_equilibria = max;
    return options;
  }

  // Solves at N values of the parameter; thresholds where the path changes are narrowed
  // down by bisection.
  report::SweepResult Sweep(const Vary& v) const {
    report::SweepResult sweep;
    sweep.parameter = v.name;
    auto solve_at = [&](double x) {
      io::LoadOptions load = ToLoadOptions(input);
      load.overrides.push_back(v.name + "=" + report::FormatValue(x));
      auto game = io::LoadGame(input.path, load);
      equilibrium::SolveOptions options = Options();
      options.all = false;
      auto solution = equilibrium::Solve(*game, options);
      return std::make_pair(game, solution);
    };
    for (int i = 0; i < v.count; ++i) {
      double x = v.lo + (v.hi - v.lo) * i / (v.count - 1);
      auto [game, solution] = solve_at(x);
      if (sweep.players.empty()) sweep.players = game->players();
      report::SweepPoint point;
      point.value = x;
      point.payoffs = solution.equilibria.empty() ? std::vector<double>(game->num_players(), std::nan(""))
                                                  : solution.equilibria.front().payoffs;
      point.path = PathWords(*game, solution);
      sweep.points.push_back(std::move(point));
    }
    for (std::size_t i = 0; i + 1 < sweep.points.size(); ++i) {
      if (sweep.points[i].path == sweep.points[i + 1].path) continue;
      double a = sweep.points[i].value, b = sweep.points[i + 1].value;
      for (int step = 0; step < 30 && b - a > 1e-9 * std::max(1.0, std::abs(b)); ++step) {
        double m = (a + b) / 2;
        auto [game, solution] = solve_at(m);
        (PathWords(*game, solution) == sweep.points[i].path ? a : b) = m;
      }
      double at = (a + b) / 2;
      sweep.thresholds.push_back({at, "path changes at"});
      sweep.threshold_text.push_back("At " + v.name + " = " + report::FormatValue(at) +
                                     " the equilibrium path changes from \"" + sweep.points[i].path +
                                     "\" to \"" + sweep.points[i + 1].path + "\".");
    }
    return sweep;
  }

  int Run() {
    auto game = io::LoadGame(input.path, ToLoadOptions(input));
    report::ReportInput in;
    in.game = game.get();
    in.scenario = report::ScenarioFromGame(*game, input.path);
    for (const auto& o : input.overrides) {
      auto eq = o.find('=');
      in.scenario.overrides.emplace_back(o.substr(0, eq), eq == std::string::npos ? "" : o.substr(eq + 1));
    }
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
    if (!vary.empty()) in.sweep = Sweep(ParseVary(vary));
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
