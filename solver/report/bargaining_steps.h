// The bargaining steps of a solved scenario, for people (text) and programs (JSON): where
// each step happens, what would happen if talks failed (the threats behind the
// disagreement point), every solution concept side by side, the agreement and each party's
// gain over its threat.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/scenario/scenario.h"

namespace parley::report {

// What the players would do from `root` on, had play reached it: "OpenAI complain (not
// refrain); chance acts 0.3 / dismisses 0.7; after acts: Microsoft litigate (not accept)".
std::string SubtreeBehaviourText(const model::Game& game, const equilibrium::Equilibrium& eq,
                                 model::NodeId root);

// Whether a bargaining step uses parties, constraints, alternating offers, outside options,
// stages after the agreement, or was solved other than exactly: then the writers add what
// those mean (today's scenarios print as before).
// What each player gets from node v on in `eq` (with `disagreement: outside`, the value of the
// no-deal branch is the outside options, not the disagreement point the solutions start from).
// `cache`: every node's values, computed on the first call that finds it empty.
std::vector<double> ValuesFrom(const model::Game& game, const equilibrium::Equilibrium& eq, model::NodeId v,
                               std::vector<double>& cache);

bool UsesNegotiationKeys(const scenario::Scenario& scenario, const scenario::BargainRecord& b);
// "exact", "KKT point, concavity sampled (KKT residual 3e-12; ...)", "best found (...)".
std::string OptimalityText(const bargaining::AgreementResult& step);
// Lines about those keys ("At the table: ...", "Binding at the agreement: ...",
// "Optimality: ...", "After the agreement: review = clear"); empty when none is used.
std::vector<std::string> NegotiationLines(const scenario::Scenario& scenario,
                                          const scenario::BargainRecord& b);

std::string BargainingText(const scenario::Scenario& scenario, const equilibrium::Equilibrium& eq);
// A few lines that answer "what deal should we expect": the path in words, the agreement
// reached on it, each party's payoff and gain over its threat, and what would happen if
// talks failed. Empty when the scenario has no bargaining step.
std::string PredictionText(const scenario::Scenario& scenario, const equilibrium::Equilibrium& eq);
nlohmann::json BargainingJson(const scenario::Scenario& scenario, const equilibrium::Equilibrium& eq);

}  // namespace parley::report
