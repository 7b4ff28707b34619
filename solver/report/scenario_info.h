// A scenario file's metadata (solver/scenario) as the report's first section: title,
// description, players, the parameter table (value in force, range, unit, source or
// "assumption") and the list of sources.
#pragma once

#include "solver/report/report.h"
#include "solver/scenario/scenario.h"

namespace parley::report {

// `overrides` are the --set NAME=VALUE texts the scenario was loaded with (shown as such).
ScenarioInfo ScenarioInfoFrom(const scenario::Scenario& scenario,
                              const std::vector<std::string>& overrides = {});

}  // namespace parley::report
