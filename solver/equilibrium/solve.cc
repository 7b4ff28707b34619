#include "solver/equilibrium/solve.h"

#include "solver/equilibrium/backward_induction.h"
#include "solver/model/error.h"

namespace parley::equilibrium {

Solution Solve(const model::Game& game, const SolveOptions& options) {
  if (options.method != "auto" && options.method != "backward-induction")
    throw UnsupportedError("unknown method '" + options.method +
                           "'; the methods are: auto, backward-induction");
  BackwardInductionOptions bi;
  bi.exact = options.exact;
  bi.all = options.all;
  bi.max_equilibria = options.max_equilibria;
  return SolveBackwardInduction(game, bi);
}

}  // namespace parley::equilibrium
