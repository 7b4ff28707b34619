// Bargaining results (solver/bargaining) as a report's bargaining step: the chart of the
// feasible set with its Pareto frontier, the disagreement and ideal points and the solution
// points (Nash 1950; Kalai and Smorodinsky 1975; Kalai 1977; utilitarian), and the table of
// agreements with their issue values.
#pragma once

#include <string>
#include <vector>

#include "solver/bargaining/problem.h"
#include "solver/report/report.h"

namespace parley::report {

// "Nash", "Weighted Nash", "Kalai-Smorodinsky", "Egalitarian", "Utilitarian", ...
std::string ConceptDisplayName(const bargaining::Solution& solution);

// `players` names the payoff axes; `outcomes`, when the feasible set was a list of outcomes,
// adds them (and their convex hull when lotteries are allowed) to the chart. The chart is
// made for two players only; with more, the step has the table alone.
BargainingStep BargainingStepFromResult(const bargaining::Result& result,
                                        const std::vector<std::string>& players,
                                        const std::string& title,
                                        const bargaining::OutcomeSet* outcomes = nullptr);

}  // namespace parley::report
