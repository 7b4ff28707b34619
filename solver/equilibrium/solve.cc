#include "solver/equilibrium/solve.h"

#include <algorithm>

#include "solver/equilibrium/backward_induction.h"
#include "solver/equilibrium/beliefs.h"
#include "solver/equilibrium/enumeration.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/subgames.h"
#include "solver/model/error.h"

namespace parley::equilibrium {

const std::vector<std::string>& SolveMethods() {
  static const std::vector<std::string> methods = {"auto", "backward-induction", "lp", "lemke", "logit"};
  return methods;
}

Solution Solve(const model::Game& game, const SolveOptions& options) {
  const auto& methods = SolveMethods();
  if (std::find(methods.begin(), methods.end(), options.method) == methods.end()) {
    std::string list;
    for (const auto& m : methods) list += (list.empty() ? "" : ", ") + m;
    throw UnsupportedError("unknown method '" + options.method + "'; the methods are: " + list);
  }
  bool bi = options.method == "backward-induction" ||
            (options.method == "auto" && game.perfect_information());
  if (bi) {
    BackwardInductionOptions o;
    o.exact = options.exact;
    o.all = options.all;
    o.max_equilibria = options.max_equilibria;
    return SolveBackwardInduction(game, o);
  }
  if (options.all && options.method == "auto") {
    // Two players, or more of whom at most two move in each subgame with hidden moves.
    if (game.num_players() >= 2 && AtMostTwoMovers(game, ProperSubgameRoots(game))) {
      EnumerationOptions e;
      e.max_equilibria = options.max_equilibria;
      Solution solution = EnumerateExtremeEquilibria(game, e);
      if (HasNonTrivialBeliefs(game)) {
        ActionIndex index(game);
        std::vector<char> roots = ProperSubgameRoots(game);
        for (Equilibrium& eq : solution.equilibria) AssignBeliefs(game, index, roots, {}, eq);
      }
      return solution;
    }
  }
  SubgamePerfectOptions o;
  o.exact = options.exact;
  o.method = options.method;
  o.logit.max_seconds = options.max_seconds;
  Solution solution = SolveSubgamePerfect(game, o);
  if (options.all) {
    // Not an enumeration: the list is one equilibrium, not all that --all looks for.
    solution.complete = false;
    solution.stopped_by = "not enumerated";
    solution.notes.push_back(
        "--all enumerates every pure equilibrium for games of perfect information and every "
        "extreme equilibrium of games in which at most two players move in each subgame with "
        "imperfect information (with --method auto); here one subgame-perfect equilibrium in "
        "behaviour strategies is shown");
  }
  return solution;
}

}  // namespace parley::equilibrium
