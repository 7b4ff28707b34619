// Sweep and Monte Carlo results read back from the JSON that `parley sweep` and `parley
// montecarlo --format json` write (report/analysis_results.h), for `parley merge`. The files are
// untrusted: every field is checked, and an error names it by its JSON pointer.
#pragma once

#include <nlohmann/json.hpp>

#include "solver/analysis/analysis.h"

namespace parley::analysis {

SweepResult SweepFromJson(const nlohmann::json& j);            // throws parley::Error
MonteCarloResult MonteCarloFromJson(const nlohmann::json& j);  // throws parley::Error

}  // namespace parley::analysis
