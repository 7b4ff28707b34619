// Bargaining over a continuous agreement space: issues x_k in [lower_k, upper_k] and each
// player's payoff u_i(x) a formula (muparser, compiled once and evaluated many times).
//
// The space is stated as an AgreementProblem and solved by SolveAgreement (agreement.h), the
// path scenario bargains take too: exactly by the hull method when every utility is affine in
// the issues, otherwise by the search below. The search treats each concept as an
// optimisation over the box of issues:
//   Nash:               maximise sum w_i log(u_i(x) - d_i)
//   Kalai-Smorodinsky:  maximise min_i (u_i(x) - d_i) / (a_i - d_i), a the ideal point
//   egalitarian:        maximise min_i (u_i(x) - d_i)
//   utilitarian:        maximise sum w_i u_i(x) subject to u(x) >= d
//   ideal point:        a_i = max u_i(x) subject to u(x) >= d
// Method: a grid over the box (about 10^5 evaluations; random samples when the grid would be
// coarser than 3 points per issue) and a compass (pattern) search from the best grid points
// with halving steps down to 1e-12 of each issue's range.
//
// Guarantee: when every utility is concave in the issues, every objective above is concave
// (log and min preserve concavity), so the local maximum found is global (Precision::kGlobal).
// Concavity cannot be proven from formulas here: it is tested on 2000 random midpoint pairs,
// and when any pair fails the result is reported as Precision::kLocalGrid ("local/grid"): the
// best point of a fine grid, refined locally, with no global guarantee.
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
  explicit UtilityFunctions(const AgreementSpace& space);
  ~UtilityFunctions();
  UtilityFunctions(const UtilityFunctions&) = delete;
  UtilityFunctions& operator=(const UtilityFunctions&) = delete;

  std::size_t players() const;
  std::size_t issues() const;
  // Payoffs at issue values x (one per issue); non-finite values are returned as they are.
  void Evaluate(const Vector& x, Vector* payoffs) const;
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
Result SolveAgreementSpace(const AgreementSpace& space, const Vector& d, const Request& request);

// The search itself, over a box of continuous issues given by an oracle (the numerical method
// of SolveAgreement). Throws ValidationError when no point beats d for everyone.
Result SearchAgreementSpace(const std::vector<AgreementIssue>& issues, const UtilityOracle& utility,
                            const Vector& d, const Request& request);

}  // namespace parley::bargaining
