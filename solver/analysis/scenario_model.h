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

// The model of an already compiled scenario: the base case is expanded and solved once here
// (throwing its parley::Error, located in the scenario's file, when it fails), and each thread
// evaluates through a scratch of its own over the shared, immutable compiled form.
Model ScenarioModel(std::shared_ptr<const scenario::CompiledScenario> compiled,
                    const ScenarioModelOptions& options);
// Reads and compiles the scenario at `path` once, then as above. Throws parley::Error for a
// file that is not a scenario (.yaml) or does not compile.
Model ScenarioModel(const std::string& path, const ScenarioModelOptions& options);

// The equilibrium path as words and as structure. `text`: "OpenAI ask > Microsoft mixes
// grant/deny > ...", the choices at every information set play reaches, in preorder (with
// chance, after every chance move reached); a mixed choice names its support, not its
// probabilities. `key`: the same structure as numbers (player, information set, the actions
// in the support), which is what tells outcomes apart: probabilities that drift with a
// parameter while the support stays put are one outcome.
struct PathOutcome {
  std::string text;
  std::string key;
};
PathOutcome DescribePathOutcome(const model::Game& game, const equilibrium::Equilibrium& eq,
                                const equilibrium::ActionIndex& index,
                                const std::vector<double>& reach);
// DescribePathOutcome's text.
std::string DescribePath(const model::Game& game, const equilibrium::Equilibrium& eq);
// The same, with the action index and reach probabilities already computed.
std::string DescribePath(const model::Game& game, const equilibrium::Equilibrium& eq,
                         const equilibrium::ActionIndex& index, const std::vector<double>& reach);

// An agreement's structure: discrete options chosen, and for each continuous issue whether
// it sits at its minimum, its maximum or in between ("equity at its maximum, agi_clause drop").
std::string AgreementStructure(const scenario::BargainRecord& bargain);
// The same structure as a key: each issue's option position or min / max / mid, "lottery",
// or "none" when no agreement is possible.
std::string AgreementKey(const scenario::BargainRecord& bargain);

}  // namespace parley::analysis
