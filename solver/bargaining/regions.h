// Agreements followed by a game (a scenario's `after_agreement` stages): the payoff of an
// agreement is the subgame-perfect value of that game at the agreed terms, a piecewise
// function of the terms. Internal to the bargaining library (SolveAgreement calls it).
//
// The terms space is split into regions by the continuation's pure strategy profile (a choice
// at every decision node). Within a region the payoffs are one formula (the profile's value:
// chance averages, the choices fixed), and the region is where each choice is at least as good
// for its mover as every alternative, each comparison an inequality constraint in the terms.
// Each region is solved by SolveAgreement's own methods (exact when the formula is affine and
// the comparisons linear, the nonlinear program otherwise); per concept the best region's
// solution is taken, the Kalai-Smorodinsky point against the whole set's ideal point.
//
// A region is closed (its comparisons are `>=`), but the backward induction that values an
// agreement breaks a tie for the first optimal action: on a boundary where a mover is
// indifferent only one region's payoffs are real. Every solution is therefore checked against
// the true payoffs (the utility oracle) at its terms; a mismatch (an optimum that is only a
// supremum) gives up the region method.
#pragma once

#include <cstddef>
#include <optional>

#include "solver/bargaining/agreement.h"

namespace parley::bargaining::internal {

// At most this many pure strategy profiles of the continuation (the product of its decision
// nodes' action counts); beyond it the regions are not enumerated.
inline constexpr std::size_t kMaxRegions = 64;

// The problem (protocol axiomatic, threat point) solved region by region; nullopt when the
// region method does not apply: a continuation with imperfect information, whose tree changes
// shape with the terms, with more than kMaxRegions profiles, or whose optimum is not attained
// (a boundary the tie-break gives to another region). Throws what SolveAgreement throws.
std::optional<AgreementResult> SolveByRegions(const AgreementProblem& problem, const UtilityOracle& utility,
                                              const ContinuationOracle& continuation);

}  // namespace parley::bargaining::internal
