// parley show FILE: what a scenario says (players, parameters with their ranges and sources,
// stages) and the size of the tree it expands into. Other game files get the size only.
// The text is report::ShowText's (solver/report/show.h), which the Python module shares.
#include "cli/command.h"
#include "cli/common.h"
#include "solver/report/show.h"

namespace parley::cli {
namespace {

struct ShowCommand {
  GameInput input;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    return [this] { return Run(); };
  }

  int Run() {
    load::Input loaded = load::LoadInput(input.path, ToLoadOptions(input));
    Emit(report::ShowText(loaded.scenario.get(), *loaded.game, input.path));
    return 0;
  }
};

ShowCommand show_command;
PARLEY_REGISTER_COMMAND(show, "show",
                        "Describe a scenario: players, parameters, stages, tree size", 25,
                        [](CLI::App& app) { return show_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
