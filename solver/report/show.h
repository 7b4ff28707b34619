// What `parley show` prints about an input: for a scenario, its title, description, units,
// players, parameters (value in force, unit, range, distribution, source), stages, payoffs,
// sources and notes; for any input, the size and kind of the expanded tree.
#pragma once

#include <string>

#include "solver/model/game.h"
#include "solver/scenario/scenario.h"

namespace parley::report {

// `scenario` is null for a game file; `path` names the input when it has no title.
std::string ShowText(const scenario::Scenario* scenario, const model::Game& game,
                     const std::string& path);

// A parameter's distribution as `show` writes it: "uniform(0.1, 0.5)", "normal(3, 1)",
// "beta(2, 5) on [0, 1]", "discrete, 4 values", ...; "" for a fixed value.
std::string DistributionText(const scenario::Distribution& distribution);

}  // namespace parley::report
