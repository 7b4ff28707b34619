#include "solver/report/sweep_section.h"

#include "solver/model/error.h"
#include "solver/report/text.h"

namespace parley::report {

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
  for (const analysis::SweepPoint& p : sweep.points)
    out.points.push_back({p.x.front(), p.observation.values, p.observation.outcome});
  for (const analysis::Threshold& t : thresholds) {
    out.thresholds.push_back({t.value, "switch at"});
    out.threshold_text.push_back("At " + t.parameter + " = " + FormatValue(t.value) +
                                 " the equilibrium changes from \"" + t.below + "\" to \"" +
                                 t.above + "\".");
  }
  return out;
}

}  // namespace parley::report
