// One-at-a-time sensitivity, drawn as a tornado diagram (Howard 1988, "Decision analysis:
// practice and promise", Management Science 34(6); Eschenbach 1992, "Spiderplots versus
// tornado diagrams for sensitivity analysis", Interfaces 22(6)): each parameter with a range
// is moved to its low and to its high end while every other parameter keeps its base value,
// and a chosen value (a player's payoff, an agreed issue) is recorded at both ends. Parameters
// are ranked by the swing of that value, widest first, so the assumptions that move the
// answer most come to the top.
//
// A parameter's range is its declared min/max (`bounds`) or the 5 % and 95 % quantiles of
// its distribution (`quantiles`); each entry says which. Whether the equilibrium outcome
// changes inside the range is found by the thresholds search (analysis.h, FindThresholds),
// so a switch between the ends is reported even when both ends give the same outcome.
#pragma once

#include <string>
#include <vector>

#include "solver/analysis/analysis.h"

namespace parley::analysis {

enum class TornadoRange {
  kAuto,       // a distribution's quantiles where the parameter has one, else its bounds
  kBounds,     // min/max only
  kQuantiles,  // a distribution's quantiles only
};
// "auto", "bounds", "quantiles"; ParseTornadoRange throws parley::Error for another word.
std::string TornadoRangeName(TornadoRange range);
TornadoRange ParseTornadoRange(const std::string& text);

struct TornadoOptions {
  std::vector<std::string> values;  // value columns (Model::value_names); required, non-empty
  TornadoRange range = TornadoRange::kAuto;
  double tail = 0.05;        // quantiles: low at `tail`, high at 1 - `tail`
  std::size_t grid = 21;     // points searched for outcome changes per parameter (0: none,
                             // only the outcomes at low, base and high are compared)
  std::string value_option = "--value";  // how messages name `values` (the report: --tornado-value)
};

// One parameter moved over its range.
struct TornadoParameter {
  std::string name;
  std::size_t index = 0;  // in Model::parameter_names
  std::string range;      // "bounds" or "5-95 % quantiles" (with the tail in force)
  double low = 0, base = 0, high = 0;
  Observation at_low, at_high;
  bool outcome_changes = false;     // at low, base or high, or at a threshold in between
  std::vector<Threshold> thresholds;  // where the outcome switches inside [low, high]
  // Why the switches were not searched: a point inside [low, high] where the scenario cannot
  // be solved (its message, naming the point), or "" (the ends solve: the bars stand).
  std::string unsearched;
};

// One bar of a tornado: a parameter's effect on one value column.
struct TornadoBar {
  std::size_t parameter = 0;  // into TornadoResult::parameters
  double value_low = 0, value_high = 0;  // the value at the parameter's low and high
  // max - min of the value at low, base and high (the bar's length: for a value monotone in
  // the parameter, |value_high - value_low|); NaN where the value does not exist at one end.
  double swing = 0;
};

struct TornadoChart {
  std::string value;     // the column's name
  double base_value = 0; // at the base values (NaN where it does not exist)
  std::vector<TornadoBar> bars;  // widest swing first; NaN swings last; ties in file order
};

struct TornadoResult {
  std::vector<std::string> value_names;  // every column of the model
  Observation base;                      // at the base values
  std::string range_rule;                // TornadoRangeName of the options
  std::vector<TornadoParameter> parameters;  // those with a range, in the model's order
  // Parameters without a range under the rule in force, each with the reason: what it lacks
  // ("no max", "no min", "no min and max", "no distribution", "no max and no distribution", ...)
  // or why the scenario cannot be solved over its range.
  std::vector<std::pair<std::string, std::string>> skipped;
  std::vector<TornadoChart> charts;      // one per requested value, in the options' order
  bool interrupted = false;              // stopped early; `parameters` holds what was done
};

// Runs the tornado. Throws parley::Error for an unknown value column (naming the known ones)
// or a tail outside (0, 0.5).
TornadoResult RunTornado(const Model& model, const TornadoOptions& options,
                         const RunOptions& run);

// The default value columns for a scenario: the payoffs of the players who sit at any
// bargaining table of the file (every player when it has no bargain stage), in player order.
std::vector<std::string> ScenarioPartyColumns(const std::string& path);

}  // namespace parley::analysis
