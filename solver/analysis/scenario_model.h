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
// probabilities. `key`: the same structure, which is what tells outcomes apart: probabilities
// that drift with a parameter while the support stays put are one outcome. It is
// analysis::kOutcomeKeyTag, then for each information set play reaches, in the preorder of
// the node where play first reaches it, ";player@n/move/move:support": the player's number,
// the moves from the root to that node (chance's too; the first n of them are those of the
// entry before, written as their count), and the actions played with positive probability,
// joined by "+". Moves and actions are written as their positions among their set's actions
// (from 0), not their labels, which can be numbers that move with a parameter. The hold-up
// game (games/holdup.yaml) with the Supplier holding back: "v2;0@0:1;1@0/1:0;0@1/0:0".
// Nothing in it depends on how sets or nodes are numbered, which changes with moves off the
// path (the Buyer's price range after an investment not made); the same play gives the same
// key, and another action, another support or another set reached another key.
struct PathOutcome {
  std::string text;
  std::string key;
};
// Which nodes play reaches: every move on the way in the support, a player's action with a
// probability above 1e-9 (the LP and Lemke solvers leave round-off of that order on actions
// outside the support) and a chance move with a probability above 1e-12 (chance probabilities
// are the file's or the formulas' own: a move of probability 1e-10 is a move, the round-off
// of 1 - 0.7 - 0.3 is not).
std::vector<char> OnPath(const model::Game& game, const equilibrium::Equilibrium& eq,
                         const equilibrium::ActionIndex& index);
PathOutcome DescribePathOutcome(const model::Game& game, const equilibrium::Equilibrium& eq,
                                const equilibrium::ActionIndex& index, const std::vector<char>& on_path);
// DescribePathOutcome's text.
std::string DescribePath(const model::Game& game, const equilibrium::Equilibrium& eq);

// An agreement's structure: discrete options chosen, and for each continuous issue whether
// it sits at its minimum, its maximum or in between ("equity at its maximum, agi_clause drop").
std::string AgreementStructure(const scenario::BargainRecord& bargain);
// The same structure as a key: each issue's option position or min / max / mid, "lottery",
// or "none" when no agreement is possible. A scenario model's outcome key adds one part for
// each bargaining step play reaches, "|/move/move=stage:" and this (the moves from the root to
// the step, as in PathOutcome's key). The OpenAI-Microsoft scenario's first edition:
// "v2;0@0:ask;1@0/ask:grant;1@1/grant:negotiate|/ask/grant/negotiate=deal:max,mid,2".
std::string AgreementKey(const scenario::BargainRecord& bargain);

}  // namespace parley::analysis
