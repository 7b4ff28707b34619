// parley solve GAME: subgame-perfect equilibria, as text or JSON.
#include "cli/command.h"
#include "cli/common.h"
#include "solver/equilibrium/solve.h"
#include "solver/report/bargaining_steps.h"
#include "solver/report/solution.h"
#include "solver/scenario/scenario.h"

namespace parley::cli {
namespace {

struct SolveCommand {
  GameInput input;
  std::string format;
  bool all = false;
  bool exact = false;
  std::size_t max = 1000;
  std::string method = "auto";
  double max_seconds = 60;
  std::string output;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    AddFormat(app, format, {"text", "json"});
    app.add_flag("--all", all,
                 "List every pure subgame-perfect equilibrium (perfect information), or every "
                 "extreme one, subgame by subgame (at most two players moving in each), not just one");
    app.add_option("--max", max, "With --all: list at most this many")
        ->capture_default_str()
        ->check(kPositive);
    app.add_flag("--exact", exact, "Compute in exact rational arithmetic (prints fractions)");
    app.add_option("--method", method,
                   "Solution method: auto (backward induction for perfect information; else "
                   "subgames by sequence-form LP if constant-sum, Lemke otherwise, and the logit "
                   "tracer where three or more players move in one), backward-induction, lp, lemke, logit (the "
                   "limit of the logit quantal response branch, any number of players)")
        ->capture_default_str()
        ->check(CLI::IsMember(equilibrium::SolveMethods()));
    app.add_option("--max-seconds", max_seconds,
                   "The logit tracer's budget per subgame, in seconds of processor time: past it the "
                   "solve stops with an error saying where the trace was")
        ->capture_default_str()
        ->check(kPositive);
    app.add_option("-o,--output", output, "Write to this file instead of standard output")
        ->check(kOutputFile);
    return [this] { return Run(); };
  }

  int Run() {
    // Scenario files keep their metadata, for the bargaining steps.
    load::Input loaded = load::LoadInput(input.path, ToLoadOptions(input));
    std::shared_ptr<const scenario::Scenario> scen = loaded.scenario;
    model::GamePtr game = loaded.game;
    equilibrium::SolveOptions options;
    options.exact = exact;
    options.all = all;
    options.max_equilibria = max;
    options.method = method;
    options.max_seconds = max_seconds;
    // An error about a node (a set without perfect recall, a subgame no method takes) is
    // located at the stage the node belongs to: a game file's line is found by the caller.
    auto solution = [&] {
      try {
        return equilibrium::Solve(*game, options);
      } catch (const Error& e) {
        if (scen && e.node() && e.where().file.empty())
          if (std::optional<SourceLocation> where = scen->LocateNode(*e.node())) throw Error(*where, e.message());
        // A refusal about the game as a whole (a guard of --all, a method that does not take
        // it) names the file it is about; one about a node is located by the caller.
        if (!e.node() && e.where().file.empty()) {
          if (dynamic_cast<const LimitError*>(&e)) throw LimitError(SourceLocation{input.path}, e.message());
          if (dynamic_cast<const UnsupportedError*>(&e))
            throw UnsupportedError(SourceLocation{input.path}, e.message());
        }
        throw;
      }
    }();
    bool bargains = scen && !scen->bargains.empty() && !solution.equilibria.empty();
    if (format == "json") {
      nlohmann::json bargaining;
      if (bargains) bargaining = report::BargainingJson(*scen, solution.equilibria.front());
      EmitPieces(output, [&](const report::JsonWriter::Sink& sink) {
        report::JsonWriter w(sink);
        report::WriteSolutionJson(w, *game, solution, bargains ? &bargaining : nullptr);
        w.Flush();
        sink("\n");
      });
    } else {
      EmitStream(output, [&](std::ostream& out) {
        if (bargains) out << report::PredictionText(*scen, solution.equilibria.front());
        report::WriteSolutionText(out, *game, solution);
        if (bargains) out << report::BargainingText(*scen, solution.equilibria.front());
      });
    }
    return 0;
  }
};

SolveCommand solve_command;
PARLEY_REGISTER_COMMAND(solve, "solve", "Find subgame-perfect equilibria of a game", 10,
                        [](CLI::App& app) { return solve_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
