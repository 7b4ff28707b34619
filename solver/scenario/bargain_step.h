// The bargaining step of a scenario's `bargain` stage is solved by solver/bargaining
// (agreement.h: the problem as a utility oracle over the stage's issues, and its solver);
// the expander translates the stage into that problem. These names keep the scenario's
// vocabulary for it.
#pragma once

#include "solver/bargaining/agreement.h"

namespace parley::scenario {

using BargainIssue = bargaining::AgreementIssue;
using BargainInput = bargaining::AgreementProblem;
using UtilityFunction = bargaining::UtilityOracle;
using BargainStepResult = bargaining::AgreementResult;

// Scenario bargains use the exact method only: payoffs not affine in a continuous issue are
// refused (see agreement.h).
inline BargainStepResult SolveBargainStep(const BargainInput& input, const UtilityFunction& utility) {
  return bargaining::SolveAgreement(input, utility, bargaining::AgreementMethod::kExact);
}

}  // namespace parley::scenario
