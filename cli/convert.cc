// parley convert IN OUT: between the game formats Parley reads and writes (.efg, .json).
#include "cli/command.h"
#include "cli/common.h"
#include "solver/io/efg.h"
#include "solver/io/game_json.h"
#include "solver/model/error.h"

namespace parley::cli {
namespace {

struct ConvertCommand {
  GameInput input;
  std::string output;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    app.add_option("output", output, "Output file: .efg or .json (the extension decides)")
        ->required();
    return [this] { return Run(); };
  }

  int Run() {
    std::string ext = io::Extension(output);
    if (ext != ".efg" && ext != ".json")
      throw Error(SourceLocation{output}, "cannot write '" + ext +
                                              "' files; convert writes .efg (Gambit) or .json (Parley)");
    auto game = io::LoadGame(input.path, ToLoadOptions(input));
    Emit(ext == ".efg" ? io::WriteEfgString(*game) : io::WriteGameJson(*game), output);
    return 0;
  }
};

ConvertCommand convert_command;
PARLEY_REGISTER_COMMAND(convert, "convert", "Convert a game between formats (.efg, .json)", 30,
                        [](CLI::App& app) { return convert_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
