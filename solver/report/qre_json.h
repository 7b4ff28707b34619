// The JSON documents of `parley qre --format json` (and of the Python module's qre and
// qre_fit): the agent logit QRE at each lambda of a trace as the behaviour records every
// command writes (report/solution.h), with the beliefs at each set; and a fitted lambda.
#pragma once

#include <nlohmann/json.hpp>

#include "solver/equilibrium/qre_fit.h"
#include "solver/model/game.h"

namespace parley::report {

// {"concept", "points": [{"lambda", "profile": [behaviour records]}], "incomplete"?}
nlohmann::ordered_json QreTraceJson(const model::Game& game, const equilibrium::QreTrace& trace);

// {"lambda", "standard_error" (null when unknown), "log_likelihood", "observations",
// "at_zero", "flat", "at_search_limit", "search_limit", "profile"}: the profile is the QRE at the fitted
// lambda, as the records of QreTraceJson's points.
nlohmann::ordered_json QreFitJson(const model::Game& game, const equilibrium::QreFit& fit);

}  // namespace parley::report
