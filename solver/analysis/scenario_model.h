// A scenario file as a model for sensitivity analysis: each evaluation expands the scenario
// for the given parameter values, solves it for a subgame-perfect equilibrium, and describes
// the outcome (the equilibrium path: every choice made where play actually goes) and the
// players' payoffs.
#pragma once

#include <memory>
#include <string>

#include "solver/analysis/analysis.h"
#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"
#include "solver/scenario/scenario.h"

namespace parley::analysis {

struct ScenarioModelOptions {
  std::size_t max_nodes = 50'000'000;
  std::vector<std::string> overrides;  // --set: new base values
};

// Compiles the scenario at `path` once; each thread gets its own copy of the compiled form.
Model ScenarioModel(const std::string& path, const ScenarioModelOptions& options);

// "OpenAI ask > Microsoft grant > ..." : the choices on the equilibrium path, in preorder
// (with chance, the choices after every chance move reached). Mixed choices show their
// probabilities.
std::string DescribePath(const model::Game& game, const equilibrium::Equilibrium& eq);
// The same, with the action index and reach probabilities already computed.
std::string DescribePath(const model::Game& game, const equilibrium::Equilibrium& eq,
                         const equilibrium::ActionIndex& index, const std::vector<double>& reach);

// An agreement's structure: discrete options chosen, and for each continuous issue whether
// it sits at its minimum, its maximum or in between ("equity at its maximum, agi_clause drop").
std::string AgreementStructure(const scenario::BargainRecord& bargain);

}  // namespace parley::analysis
