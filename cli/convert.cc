// parley convert IN OUT: between the game formats Parley reads and writes (.efg, .nfg, .json).
// An extensive game written as .nfg becomes its reduced strategic form.
#include "cli/command.h"
#include "cli/common.h"
#include "solver/equilibrium/strategic_form.h"
#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "solver/io/game_json.h"
#include "solver/io/nfg.h"
#include "solver/model/error.h"

namespace parley::cli {
namespace {

struct ConvertCommand {
  GameInput input;
  std::string output;
  equilibrium::StrategicFormOptions strategic;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    app.add_option("output", output,
                   "Output file: .efg, .json, or .nfg (the reduced strategic form of an "
                   "extensive game); the extension decides")
        ->required();
    app.add_option("--max-profiles", strategic.max_cells,
                   "With .nfg output: stop with an error when the strategic form has more "
                   "strategy profiles than this")
        ->capture_default_str()
        ->check(kPositive);
    return [this] { return Run(); };
  }

  int Run() {
    std::string ext = io::Extension(output);
    if (ext != ".efg" && ext != ".json" && ext != ".nfg")
      throw Error(SourceLocation{output},
                  (ext.empty() ? std::string("the output has no extension") : "cannot write '" + ext + "' files") +
                      "; convert writes .efg (Gambit), .nfg (Gambit, strategic form) or "
                      ".json (Parley), as the output's extension says");
    if (ext == ".nfg" && io::FormatOf(input.path) == io::InputFormat::kNfg && input.overrides.empty()) {
      // Strategic to strategic: the table as it is (outcome list kept), within the limit.
      io::NfgReadOptions read;
      read.max_cells = strategic.max_cells;
      Emit(io::WriteNfgString(io::ReadNfg(io::ReadWholeFile(input.path), input.path, read)),
           output);
      return 0;
    }
    auto game = load::LoadInput(input.path, ToLoadOptions(input)).game;
    std::string text;
    try {
      text = ext == ".nfg"   ? io::WriteNfgString(equilibrium::ReducedStrategicForm(*game, strategic))
             : ext == ".efg" ? io::WriteEfgString(*game)
                             : io::WriteGameJson(*game);
    } catch (const Error& e) {
      // A number the output format cannot hold (a subnormal payoff) names the input it came
      // from; it named no file.
      if (!e.where().file.empty() || e.node()) throw;
      throw Error(SourceLocation{input.path}, e.message());
    }
    Emit(text, output);
    return 0;
  }
};

ConvertCommand convert_command;
PARLEY_REGISTER_COMMAND(convert, "convert",
                        "Convert a game between formats (.efg, .nfg, .json); an extensive game "
                        "written as .nfg becomes its reduced strategic form",
                        30, [](CLI::App& app) { return convert_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
