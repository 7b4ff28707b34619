// The bargaining steps of a solved scenario, for people (text) and programs (JSON): where
// each step happens, what would happen if talks failed (the threats behind the
// disagreement point), every solution concept side by side, the agreement and each party's
// gain over its threat.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "solver/equilibrium/profile.h"
#include "solver/scenario/scenario.h"

namespace parley::report {

// What the players would do from `root` on, had play reached it: "OpenAI complain (not
// refrain); chance acts 0.3 / dismisses 0.7; after acts: Microsoft litigate (not accept)".
std::string SubtreeBehaviourText(const model::Game& game, const equilibrium::Equilibrium& eq,
                                 model::NodeId root);

std::string BargainingText(const scenario::Scenario& scenario, const equilibrium::Equilibrium& eq);
// A few lines that answer "what deal should we expect": the path in words, the agreement
// reached on it, each party's payoff and gain over its threat, and what would happen if
// talks failed. Empty when the scenario has no bargaining step.
std::string PredictionText(const scenario::Scenario& scenario, const equilibrium::Equilibrium& eq);
nlohmann::json BargainingJson(const scenario::Scenario& scenario, const equilibrium::Equilibrium& eq);

}  // namespace parley::report
