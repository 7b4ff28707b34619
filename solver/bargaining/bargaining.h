// One entry point for every kind of feasible set: a feasible set description, a disagreement
// point, a concept and weights in; the agreed payoffs (and issue values or lottery) out. The
// kinds and their methods are described in outcomes.h, agreement_space.h and transferable.h;
// agreements over issues given by a utility oracle (a scenario's `bargain` stage) are
// agreement.h's; the concepts are one table in concepts.h; threats.h and alternating_offers.h
// hold the two non-cooperative models (Nash 1953; Rubinstein 1982).
#pragma once

#include <variant>

#include "solver/bargaining/agreement.h"
#include "solver/bargaining/agreement_space.h"
#include "solver/bargaining/alternating_offers.h"
#include "solver/bargaining/concepts.h"
#include "solver/bargaining/outcomes.h"
#include "solver/bargaining/problem.h"
#include "solver/bargaining/threats.h"
#include "solver/bargaining/transferable.h"

namespace parley::bargaining {

using FeasibleSet = std::variant<OutcomeSet, AgreementSpace, TransferableSurplus>;

// One concept; `weights` empty means all 1 (they matter for Nash and utilitarian).
// Throws ValidationError on malformed input or when no feasible point beats d for everyone.
Solution Solve(const FeasibleSet& set, const Vector& d, Concept concept_kind,
               const Vector& weights = {});
// Every concept of `request`, with the ideal point (and frontier for 2-player outcome sets).
Result Solve(const FeasibleSet& set, const Vector& d, const Request& request = {});

}  // namespace parley::bargaining
