// Equilibrium reports for people: the game or scenario, the tree drawn with the equilibrium
// on it, the solution explained step by step, the equilibrium tables, and (when given)
// bargaining plots and parameter sweeps. BuildReport turns results into a Document
// (document.h) section by section; RenderHtml / RenderMarkdown (html.h, markdown.h) write it;
// WriteReport picks the format from the file name and writes atomically.
//
// A report never solves: callers (cli/report.cc) solve, sweep and bargain, and hand the
// results in a ReportInput. Each section is a function in the list ReportSections(); a new
// capability adds its input to ReportInput and one function to that list.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "solver/analysis/analysis.h"
#include "solver/analysis/tornado.h"
#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"
#include "solver/report/document.h"
#include "solver/report/tree_svg.h"
#include "solver/report/explain.h"
#include "solver/report/svg_chart.h"

namespace parley::report {

// One row of the parameter table: what a scenario file states about a parameter.
struct ParameterRow {
  std::string name;
  std::string value;  // as used in this report (after --set)
  std::string min, max, unit;
  std::string source;       // a citation; empty when the value is an assumption
  bool assumption = false;  // shown as "assumption" in the source column
  std::string description;
};

// What the report says about the game before solving it. ScenarioFromGame fills it from a
// plain game; a scenario loader fills the rest (description, parameters).
struct ScenarioInfo {
  std::string title;
  std::string description;
  std::vector<std::string> players;
  std::vector<ParameterRow> parameters;
  std::vector<std::string> sources;  // citations the parameters' sources refer to
  std::vector<std::string> notes;    // remarks about the game's structure
  std::string source_file;
  std::vector<std::pair<std::string, std::string>> overrides;  // --set NAME=VALUE applied
};

ScenarioInfo ScenarioFromGame(const model::Game& game, const std::string& source_file = "");

// One bargaining problem solved: its chart and its solutions (filled from
// parley::bargaining::Result by the caller).
struct BargainingSolutionRow {
  std::string concept_name;  // "Nash", "Kalai-Smorodinsky", ...
  std::vector<double> payoffs;
  std::vector<std::pair<std::string, double>> issues;  // agreed issue values, if any
  std::string terms;  // the agreed terms in words (used instead of `issues` when not empty)
  std::string method;
};
struct BargainingStep {
  std::string title;
  std::vector<std::string> players;
  std::vector<double> disagreement;
  std::string disagreement_name = "Disagreement";  // "Inside point" with outside options
  std::vector<double> outside_options;              // the no-deal branch's value, with outside options
  // The agreement when it is not one of the solutions side by side (outside options applied
  // after them, or alternating offers): its own row and point.
  std::optional<BargainingSolutionRow> agreement;
  std::vector<double> ideal;
  std::optional<BargainingChartSpec> chart;  // two players only
  std::vector<BargainingSolutionRow> solutions;
  std::string summary;  // a paragraph before the chart ("" for none)
  std::vector<std::string> notes;
};

// An outcome computed across a range of one parameter (`--vary NAME=LO:HI:N`).
struct SweepPoint {
  double value = 0;
  std::vector<double> payoffs;  // equilibrium payoff per player (NaN when unsolved)
  std::string path;             // the equilibrium path in words
};
struct SweepResult {
  std::string parameter;
  std::string unit;
  std::vector<std::string> players;
  std::vector<SweepPoint> points;   // increasing value
  std::vector<Threshold> thresholds;  // where the equilibrium path changes
  std::vector<std::string> threshold_text;  // one sentence per threshold
};

// The agent logit QRE at one lambda (`parley report --qre L`), with its check.
struct QreReport {
  double lambda = 0;
  std::vector<double> behavior;      // over ActionIndex; empty when the trace stopped first
  std::vector<double> log_behavior;  // their logarithms, as the tracer has them
  equilibrium::QreCheck check;       // equilibrium::CheckQreFromLog of log_behavior
  std::string stopped;           // why the trace stopped before lambda ("" when it did not)
};

struct ReportInput {
  const model::Game* game = nullptr;  // required
  ScenarioInfo scenario;
  const equilibrium::Solution* solution = nullptr;  // null when the game was not solved
  std::string unsolved_reason;                       // why not, for readers
  std::vector<BargainingStep> bargaining;
  std::optional<SweepResult> sweep;
  std::optional<QreReport> qre;
  std::optional<analysis::TornadoResult> tornado;        // `--tornado`
  std::optional<analysis::MonteCarloResult> montecarlo;  // `--montecarlo N`
  std::string generator = "parley";  // "parley 0.1.0", in the subtitle
};

struct ReportOptions {
  TreeDrawOptions tree;
  ExplainOptions explain;
  bool draw_tree = true;            // false: no tree section (tests of the text)
  double max_tree_width = 960;      // px: a tree wider than this top-down is drawn left to right
  std::size_t max_equilibria = 3;   // equilibria shown in full
  std::size_t max_strategy_rows = 200;
};

// A section builder appends zero or more sections to the document.
using SectionBuilder = std::function<void(const ReportInput&, const ReportOptions&, Document&)>;
struct SectionEntry {
  std::string id;
  SectionBuilder build;
};
// The sections in the order they appear: scenario, tree, explanation, equilibrium, QRE,
// bargaining, sweep, tornado, Monte Carlo.
const std::vector<SectionEntry>& ReportSections();

Document BuildReport(const ReportInput& input, const ReportOptions& options = {});

// Writes the document as HTML (.html, .htm) or Markdown (.md, with its pictures as SVG files
// beside it, named <stem>-<figure>.svg). Everything is rendered in memory first and each
// file is written atomically (io::WriteFileAtomically): a failure never leaves a half-written
// report and never replaces a good one with a broken one. Throws parley::Error for another
// extension or when a file cannot be written.
void WriteReport(const Document& document, const std::string& path);

}  // namespace parley::report
