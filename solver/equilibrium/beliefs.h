// The beliefs of an assessment (Kreps and Wilson 1982, "Sequential equilibria"): at every
// personal information set, a probability for each of its nodes given that the set is reached.
//
// Where the profile reaches a set, Bayes' rule fixes them. Where it does not, a subgame-perfect
// equilibrium still fixes them inside the smallest proper subgame around the set when that
// subgame's own play reaches it. Past that, only a selection can: the limit of the logit
// quantal response trace (McKelvey and Palfrey 1998), whose beliefs at every finite lambda
// follow Bayes' rule from a profile with full support and converge with it, gives consistent
// beliefs (a sequential equilibrium's). When the equilibrium came from another method, such
// sets are marked unspecified and shown uniform.
#pragma once

#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"

namespace parley::equilibrium {

// Fills eq.beliefs and eq.belief_source from eq.behavior. `subgame_roots` as
// ProperSubgameRoots. `limit`, when not empty, holds per node the beliefs at the end of a
// logit trace (negative where there are none); they are used only at sets that neither the
// profile nor its subgame's play reaches.
void AssignBeliefs(const Game& game, const ActionIndex& index, const std::vector<char>& subgame_roots,
                   const std::vector<double>& limit, Equilibrium& eq);

// True when some personal information set has two or more nodes (only then do beliefs say
// anything; writers show them for such games only).
bool HasNonTrivialBeliefs(const Game& game);

}  // namespace parley::equilibrium
