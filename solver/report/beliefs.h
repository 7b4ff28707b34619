// Renders an equilibrium's beliefs (the assessment, equilibrium/beliefs.h): the probability of
// each node of an information set when the set is reached, and where it comes from.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"
#include "solver/report/json_writer.h"

namespace parley::report {

// Text lines for the sets of two or more nodes (at most `max_lines`, then a count), each
//   "    <set name>: <node> 0.6667, <node> 0.3333 (Bayes' rule)"
// under a heading; empty when eq.beliefs is.
// With `exact` (as for WriteSetBeliefsJson below) and eq.exact_behavior, the fractions the JSON
// has.
struct ExactBeliefInputs;
std::string BeliefsText(const model::Game& game, const equilibrium::Equilibrium& eq,
                        const std::function<std::string(model::InfosetId)>& set_name, std::size_t max_lines,
                        const ExactBeliefInputs* exact = nullptr);

// The fields "beliefs" and "beliefs_from" of set h's behaviour record (WriteBehaviorJson):
//   "beliefs": [{"at": "after t1 > L", "node": 4, "probability": 0.666...}, ...],
//   "beliefs_from": "bayes" | "subgame" | "trace" | "unspecified"
// Nothing when eq.beliefs is empty. With `exact` (the game's proper subgame roots and its
// action index) and eq.exact_behavior, the probabilities are exact fractions (strings), by
// Bayes' rule from the nearest subgame root above the set (the same beliefs as from the root
// when the profile reaches the set), or uniform where the equilibrium does not determine them.
struct ExactBeliefInputs {
  const std::vector<char>& roots;
  const equilibrium::ActionIndex& index;
};
void WriteSetBeliefsJson(JsonWriter& w, const model::Game& game, const equilibrium::Equilibrium& eq,
                         model::InfosetId h, const ExactBeliefInputs* exact = nullptr);

}  // namespace parley::report
