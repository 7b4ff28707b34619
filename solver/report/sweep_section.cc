#include "solver/report/sweep_section.h"

#include <algorithm>
#include <cmath>

#include "solver/model/error.h"
#include "solver/report/text.h"

namespace parley::report {

namespace {

// The number with the fewest decimals inside the bisection's final bracket [lo, hi].
double Shortest(double value, double lo, double hi) {
  for (int digits = 0; digits <= 12; ++digits) {
    double scale = std::pow(10.0, digits);
    double r = std::round(value * scale) / scale;
    if (r >= lo && r <= hi) return r;
  }
  return value;
}

}  // namespace

SweepResult SweepFromAnalysis(const analysis::SweepResult& sweep,
                              const std::vector<analysis::Threshold>& thresholds,
                              const std::vector<std::string>& players, const std::string& unit) {
  if (sweep.axes.size() != 1)
    throw Error("a report charts sweeps of one parameter; this one varies " +
                std::to_string(sweep.axes.size()));
  SweepResult out;
  out.parameter = sweep.axes.front().name;
  out.unit = unit;
  out.players = players;
  // The chart's regions are outcomes: named alike on every point, without the remarks on
  // how one point's agreement was found.
  const std::vector<std::string> outcomes = analysis::SweepOutcomeNames(sweep, /*point_remarks=*/false);
  for (std::size_t i = 0; i < sweep.points.size(); ++i)
    out.points.push_back({sweep.points[i].x.front(), sweep.points[i].observation.values, outcomes[i]});
  for (const analysis::Threshold& t : thresholds) {
    double at = Shortest(t.value, std::min(t.lo, t.hi), std::max(t.lo, t.hi));
    out.thresholds.push_back({at, "switch at"});
    out.threshold_text.push_back("At " + t.parameter + " = " + FormatValue(at) +
                                 " the equilibrium changes from \"" + t.below + "\" to \"" +
                                 t.above + "\".");
  }
  return out;
}

}  // namespace parley::report
