// A parameter sweep (solver/analysis: grid and exact switching values) as a report's sweep
// section input: the equilibrium payoff of each player at each grid point, and the
// thresholds where the equilibrium outcome changes.
#pragma once

#include <string>
#include <vector>

#include "solver/analysis/analysis.h"
#include "solver/report/report.h"

namespace parley::report {

// `sweep` has one axis; its observations' values are the players' payoffs (in `players`
// order) and their outcome the equilibrium path in words. Throws parley::Error when the sweep
// has more than one axis.
SweepResult SweepFromAnalysis(const analysis::SweepResult& sweep,
                              const std::vector<analysis::Threshold>& thresholds,
                              const std::vector<std::string>& players, const std::string& unit = "");

}  // namespace parley::report
