// Bargaining over a continuous agreement space: issues x_k in [lower_k, upper_k] and each
// player's payoff u_i(x) a formula (muparser, compiled once and evaluated many times).
//
// The space is stated as an AgreementProblem and solved by SolveAgreement (agreement.h), the
// path scenario bargains take too, with the same one method: exactly by the hull method when
// every utility is affine in the issues, otherwise as a nonlinear program (nonlinear.h: a
// sampled global stage, SLSQP, a KKT check), reported as a KKT point with concavity sampled
// or as the best found, never as proven global.
#pragma once

#include <memory>
#include <vector>

#include "solver/bargaining/agreement.h"
#include "solver/bargaining/problem.h"

namespace parley::bargaining {

// The utility formulas compiled for repeated evaluation. Not thread-safe (one instance per
// thread). Throws ValidationError on an unknown variable, a syntax error, bad issue names,
// empty intervals, or fewer than 2 players.
class UtilityFunctions {
 public:
  // `constraints`: links between issues, each "EXPR <= EXPR" or "EXPR >= EXPR".
  explicit UtilityFunctions(const AgreementSpace& space, const std::vector<std::string>& constraints = {});
  ~UtilityFunctions();
  UtilityFunctions(const UtilityFunctions&) = delete;
  UtilityFunctions& operator=(const UtilityFunctions&) = delete;

  std::size_t players() const;
  std::size_t constraints() const;
  // Constraint k's value at x: <= 0 when it holds (lhs - rhs for "<=", rhs - lhs for ">=").
  double Constraint(std::size_t k, const Vector& x) const;
  std::size_t issues() const;
  // Payoffs at issue values x (one per issue); non-finite values are returned as they are.
  void Evaluate(const Vector& x, Vector* payoffs) const;
  // Whether every utility (every constraint) is certainly affine in the issues over their
  // whole box, shown from the formulas (formula::Evaluator::AffineIn: the issues are only
  // added, subtracted and scaled, never branched on): what lets SolveAgreement use the exact
  // hull method. False when that cannot be shown.
  bool UtilitiesAffine() const;
  bool ConstraintsAffine() const;
  Vector Evaluate(const Vector& x) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The problem is solved by SolveAgreement (agreement.h) with AgreementMethod::kExactOrSearch:
// utilities affine in the issues are solved exactly by the hull method, others by the search
// above. One concept (weights matter for Nash and utilitarian). Throws ValidationError as
// above and when no point of the space is strictly better than d for every player found (the
// message gives the ideal point).
Solution SolveAgreementSpace(const AgreementSpace& space, const Vector& d, Concept concept_kind,
                             const Vector& weights = {});
//
// `terms`: who is at the table and how they bargain, as a scenario bargain's `parties`,
// `protocol: alternating`, `discount`, `first` and `rounds` say it (SolveAgreement checks
// them). `full` (optional) receives the solver's whole result: under alternating offers the
// agreement is in its payoffs, issue_values, optimality and search, and the returned concepts
// stand beside it (with the same disagreement point).
struct SpaceTerms {
  std::vector<int> parties;  // players (0-based) at the table; empty: every player
  Protocol protocol = Protocol::kAxiomatic;
  AlternatingProtocol alternating;
};
Result SolveAgreementSpace(const AgreementSpace& space, const Vector& d, const Request& request,
                           const std::vector<std::string>& constraints = {}, const SpaceTerms& terms = {},
                           AgreementResult* full = nullptr);

}  // namespace parley::bargaining
