// parley draw GAME -o tree.svg|tree.png|tree.dot: the game tree alone, with the equilibrium
// path highlighted (unless --no-solution). The SVG is drawn by Parley itself (tree_svg.h); a
// PNG is that SVG rasterised by the `rsvg-convert` program (Debian package librsvg2-bin), run
// as a separate process when it is installed; a .dot file is the tree as Graphviz DOT text,
// for people who have Graphviz.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/command.h"
#include "cli/common.h"
#include "solver/equilibrium/solve.h"
#include "solver/model/error.h"
#include "solver/report/dot.h"
#include "solver/report/tree_svg.h"

extern char** environ;

namespace parley::cli {
namespace {

// A temporary file created with mkstemps (O_EXCL, unpredictable name), removed on destruction.
class TempFile {
 public:
  explicit TempFile(const std::string& suffix) {
    std::string pattern = (std::filesystem::temp_directory_path() / ("parley-draw-XXXXXX" + suffix)).string();
    int fd = ::mkstemps(pattern.data(), static_cast<int>(suffix.size()));
    if (fd < 0) throw Error("cannot create a temporary file in " + std::filesystem::temp_directory_path().string());
    ::close(fd);
    path_ = pattern;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The SVG rasterised by rsvg-convert, run as its own process (no shell).
std::string RasterisePng(const std::string& svg, const std::string& output) {
  TempFile in(".svg"), out(".png");
  std::ofstream(in.path(), std::ios::binary) << svg;
  std::string program = "rsvg-convert";
  std::vector<std::string> args{program, "--format=png", "--background-color=white", "--output=" + out.path(),
                                in.path()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawn = ::posix_spawnp(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ);
  int status = 0;
  if (spawn == 0 && ::waitpid(pid, &status, 0) < 0) spawn = -1;
  bool missing = spawn != 0 || (WIFEXITED(status) && WEXITSTATUS(status) == 127);
  if (missing)
    throw Error(SourceLocation{output},
                "writing PNG needs the program rsvg-convert, which was not found; install Debian's "
                "librsvg2-bin package, or write .svg (or .dot for Graphviz)");
  std::ifstream png_stream(out.path(), std::ios::binary);
  std::ostringstream png;
  png << png_stream.rdbuf();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || png.str().empty())
    throw Error(SourceLocation{output}, "rsvg-convert could not rasterise the tree; write .svg instead");
  return png.str();
}

struct DrawCommand {
  GameInput input;
  std::string output;
  bool no_solution = false;
  std::size_t tree_nodes = report::TreeDrawOptions{}.max_nodes;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    app.add_option("-o,--output", output,
                   "The picture: tree.svg, tree.png (needs rsvg-convert, from librsvg2-bin) or tree.dot (Graphviz text)")
        ->required()
        ->check(kOutputFileOnly);
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
    auto game = load::LoadInput(input.path, ToLoadOptions(input)).game;
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
    if (ext == ".dot") {
      report::TreeView view = report::SelectTree(*game, eq, options);
      if (!view.note.empty()) std::fprintf(stderr, "note: %s\n", view.note.c_str());
      io::WriteFileAtomically(output, report::TreeDot(*game, eq, options));
      return 0;
    }
    report::TreeDrawing drawing = report::DrawTreeSvg(*game, eq, options);
    if (!drawing.note.empty()) std::fprintf(stderr, "note: %s\n", drawing.note.c_str());
    io::WriteFileAtomically(output, ext == ".png" ? RasterisePng(drawing.svg, output) : drawing.svg);
    return 0;
  }
};

DrawCommand draw_command;
PARLEY_REGISTER_COMMAND(draw, "draw", "Draw the game tree (SVG, PNG or DOT) with the equilibrium path", 45,
                        [](CLI::App& app) { return draw_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
