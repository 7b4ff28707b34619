// What the explorer (`parley serve`, docs/explorer.md) computes for one file at one set of
// parameter values: the game expanded and solved for a subgame-perfect equilibrium, then drawn
// and described by the report's own writers (solver/report: the tree SVG, the prediction in
// words, each bargaining step's chart), so the page and `parley report` share one drawing code.
//
// An OpenedFile is immutable once made (a new version of a scenario's text makes a new one),
// and Evaluate is a function of it and the values alone: any number of requests evaluate the
// same file at once. Evaluate is the one place that turns values into a solved game. It goes
// through scenario::CompiledEvaluator (solver/scenario/compiled_evaluator.h): the games of a
// scenario are built once per scratch and later values only rewrite their numbers, where the
// moved parameters leave the tree's shape alone, with the numbers of a full expansion bit for
// bit. Each OpenedFile keeps a small pool of scratches; an evaluation borrows one and holds it
// while its game is in use.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "solver/analysis/analysis.h"
#include "solver/equilibrium/profile.h"
#include "solver/io/files.h"
#include "solver/model/game.h"
#include "solver/scenario/scenario.h"

namespace parley::explorer {

class EvaluatorPool;

// Largest scenario text the explorer reads, checks or saves (the bundled ones are under 20 KB).
inline constexpr std::size_t kMaxScenarioBytes = 512 * 1024;

// One input file as opened by the explorer: a scenario (its text and compiled form) or a game
// file (its game). Never changed after it is made.
struct OpenedFile {
  std::string path;   // as named on the command line: the only file a save may write
  std::string name;   // its file name, for the page
  io::InputFormat format = io::InputFormat::kScenario;
  std::string text;   // the scenario's YAML (empty for game files)
  std::shared_ptr<const scenario::CompiledScenario> compiled;  // scenario files
  model::GamePtr game;                                         // game files
  std::size_t max_nodes = 0;
  std::shared_ptr<EvaluatorPool> evaluators;                   // scenario files

  bool is_scenario() const { return format == io::InputFormat::kScenario; }
  // The parameters' values as the file gives them (none for a game file).
  std::vector<double> DefaultValues() const;
  // The analysis model (thresholds, Monte Carlo) of this version of the scenario, made on
  // first use and kept. Throws parley::Error for a game file.
  const analysis::Model& Model() const;

 private:
  mutable std::once_flag model_once_;
  mutable std::optional<analysis::Model> model_;
};

// A scenario file's text, read without registering it as an input of this process: the
// explorer may later save over it (io::WriteFileAtomically refuses to replace an input it has
// read). Throws parley::Error when it cannot be read, LimitError past kMaxScenarioBytes.
std::string ReadScenarioText(const std::string& path);

// Opens `path` (a scenario .yaml or a game file .efg / .nfg / .json). Throws parley::Error
// with file:line:col when it cannot be read, compiled or (a game file) built, and LimitError
// for a scenario larger than kMaxScenarioBytes.
std::shared_ptr<const OpenedFile> OpenFile(const std::string& path, std::size_t max_nodes);
// A new version of a scenario from edited text (nothing is written): compiled, and expanded
// and solved once at the file's own values so that a text that compiles but does not expand is
// refused here. Throws parley::Error located in `file.path` at the line and column of the
// text's mistake.
std::shared_ptr<const OpenedFile> CompileText(const OpenedFile& file, std::string text);

// Reads the values a request names ({"name": number, ...}) over the file's defaults: an
// unknown name, a value that is not a finite number or one outside the parameter's min / max
// throws parley::Error saying what would be right.
std::vector<double> ValuesFromJson(const OpenedFile& file, const nlohmann::json& values);

// CPU time of one redraw's parts, in milliseconds (this thread's: other requests on other
// threads are not counted).
struct RedrawCpu {
  double evaluate = 0;  // the scenario expanded or its kept games rewritten
  double solve = 0;     // the subgame-perfect equilibrium
  double draw = 0;      // the tree SVG
  double describe = 0;  // the path, the prediction, the bargaining steps and their charts
};

struct Evaluation {
  model::GamePtr game;
  std::shared_ptr<const scenario::Scenario> scenario;  // scenario files: metadata + bargains
  std::optional<equilibrium::Solution> solution;       // empty when no method solves the game
  std::string unsolved_reason;
  bool rewritten = false;   // the kept games' numbers were rewritten (no full expansion)
  RedrawCpu cpu;
  // The borrowed scratch that owns `game` (rewritten in place by the next evaluation that
  // uses it): it goes back to its pool when the last copy of this evaluation is gone.
  std::shared_ptr<void> lease;
};

// Expands (scenario) and solves at `values` (one per parameter; ignored for a game file).
// Throws parley::Error for values where the scenario is inconsistent.
Evaluation Evaluate(const OpenedFile& file, std::span<const double> values);
// The same by a full expansion, without the pool: what Evaluate must equal (tests).
Evaluation EvaluateExpanded(const OpenedFile& file, std::span<const double> values);

// What the page draws: the tree SVG with the equilibrium path, the path and the prediction in
// words, the payoffs, and per bargaining step its chart (SVG) and its solutions. `cpu`, when
// given, receives the CPU time of drawing and describing.
nlohmann::json EvaluationJson(const Evaluation& evaluation, RedrawCpu* cpu = nullptr);

// This thread's CPU time in milliseconds from some fixed point (for differences).
double ThreadCpuMs();

// The file's metadata for the page: title, description, players, and per parameter its value,
// min, max, unit, source or "assumption", and description.
nlohmann::json FileJson(const OpenedFile& file, std::size_t index);

// Today's HTML report (`parley report`) for these values, as one self-contained page.
std::string ReportHtml(const OpenedFile& file, std::span<const double> values,
                       const std::string& generator);

}  // namespace parley::explorer
