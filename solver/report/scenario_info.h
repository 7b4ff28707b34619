// A scenario file's metadata (solver/scenario) as the report's first section: title,
// description, players, the parameter table (value in force, range, unit, source or
// "assumption") and the list of sources.
#pragma once

#include "solver/equilibrium/profile.h"
#include "solver/report/report.h"
#include "solver/scenario/scenario.h"

namespace parley::report {

// `overrides` are the --set NAME=VALUE texts the scenario was loaded with (shown as such).
ScenarioInfo ScenarioInfoFrom(const scenario::Scenario& scenario,
                              const std::vector<std::string>& overrides = {});

// The scenario's bargaining steps (its `bargain` stages, one per place in the tree where
// talks happen) as report steps: those reached in `eq` first, at most `max_steps` in all.
// With `eq` null, the first `max_steps` in preorder. `omitted` (optional) receives how many
// were left out.
std::vector<BargainingStep> BargainingStepsFrom(const scenario::Scenario& scenario,
                                                const equilibrium::Equilibrium* eq,
                                                std::size_t max_steps = 4,
                                                std::size_t* omitted = nullptr);

}  // namespace parley::report
