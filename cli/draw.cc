// parley draw GAME -o tree.svg|tree.png|tree.dot: the game tree alone, with the equilibrium
// path highlighted (unless --no-solution), laid out by Graphviz. A .dot file is the graph
// before layout, for editing by hand.
#include <cstdio>

#include "cli/command.h"
#include "cli/common.h"
#include "solver/equilibrium/solve.h"
#include "solver/model/error.h"
#include "solver/report/dot.h"

namespace parley::cli {
namespace {

struct DrawCommand {
  GameInput input;
  std::string output;
  bool no_solution = false;
  std::size_t tree_nodes = 150;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    app.add_option("-o,--output", output, "The picture: tree.svg, tree.png or tree.dot")->required();
    app.add_flag("--no-solution", no_solution, "Draw the game only, without the equilibrium");
    app.add_option("--tree-nodes", tree_nodes, "Draw at most about this many nodes; larger trees are collapsed")
        ->capture_default_str()
        ->check(CLI::Range(3, 100000));
    return [this] { return Run(); };
  }

  int Run() {
    std::string ext = io::Extension(output);
    if (ext != ".svg" && ext != ".png" && ext != ".dot")
      throw Error(SourceLocation{output}, "unknown picture format '" + ext + "': write .svg, .png or .dot");
    auto game = io::LoadGame(input.path, ToLoadOptions(input));
    std::optional<equilibrium::Solution> solution;
    if (!no_solution) {
      try {
        solution = equilibrium::Solve(*game, {});
      } catch (const UnsupportedError& e) {
        std::fprintf(stderr, "note: drawn without an equilibrium: %s\n", e.message().c_str());
      }
    }
    const equilibrium::Equilibrium* eq =
        solution && !solution->equilibria.empty() ? &solution->equilibria.front() : nullptr;
    report::TreeDrawOptions options;
    options.max_nodes = tree_nodes;
    report::TreeDrawing drawing = report::DrawTree(*game, eq, options);
    if (!drawing.note.empty()) std::fprintf(stderr, "note: %s\n", drawing.note.c_str());
    io::WriteFileAtomically(output, ext == ".dot" ? drawing.dot : report::LayoutDot(drawing.dot, ext.substr(1)));
    return 0;
  }
};

DrawCommand draw_command;
PARLEY_REGISTER_COMMAND(draw, "draw", "Draw the game tree (SVG, PNG or DOT) with the equilibrium path", 45,
                        [](CLI::App& app) { return draw_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
