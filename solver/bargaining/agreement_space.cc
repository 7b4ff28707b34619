#include "solver/bargaining/agreement_space.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "solver/bargaining/agreement.h"
#include "solver/bargaining/common.h"
#include "solver/bargaining/concepts.h"
#include "solver/bargaining/outcomes.h"
#include "solver/formula/formula.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::bargaining {

struct UtilityFunctions::Impl {
  std::vector<Issue> issues;
  formula::ExpressionSet formulas;  // the issues are its symbols, in order
  std::vector<const formula::Expression*> utilities;
  std::vector<const formula::Expression*> constraints;
  std::unique_ptr<formula::Evaluator> evaluator;  // reads the issue values from its slots
};

namespace {



// How messages name player i's utility: the utility of player 1 "1/x".
std::string UtilityName(const AgreementSpace& space, std::size_t i) {
  return "the utility of player " + std::to_string(i + 1) + " \"" + space.utilities[i] + "\"";
}

std::string IssueList(const std::vector<Issue>& issues) {
  std::string text;
  for (const Issue& issue : issues) text += (text.empty() ? "" : ", ") + issue.name;
  return text.empty() ? "none" : text;
}

}  // namespace

UtilityFunctions::UtilityFunctions(const AgreementSpace& space, const std::vector<std::string>& constraints)
    : impl_(std::make_unique<Impl>()) {
  if (space.utilities.size() < 2) {
    throw ValidationError("an agreement space needs one utility formula per player, and at "
                          "least 2 players (got " + std::to_string(space.utilities.size()) + ")");
  }
  if (space.issues.empty()) throw ValidationError("an agreement space needs at least one issue");
  impl_->issues = space.issues;
  std::set<std::string> names;
  for (std::size_t k = 0; k < space.issues.size(); ++k) {
    const Issue& issue = space.issues[k];
    if (!names.insert(issue.name).second) {
      throw ValidationError("issue '" + issue.name + "' is listed twice");
    }
    if (!std::isfinite(issue.lower) || !std::isfinite(issue.upper) || issue.lower > issue.upper) {
      throw ValidationError("issue '" + issue.name + "' needs a finite interval lower <= upper, "
                            "got [" + FormatDouble(issue.lower) + ", " + FormatDouble(issue.upper) + "]");
    }
    if (!formula::IsIdentifier(issue.name) || formula::IsReservedName(issue.name)) {
      throw ValidationError("bad issue name '" + issue.name + "': use letters, digits and _, "
                            "starting with a letter, and no function name or reserved word");
    }
    impl_->formulas.mutable_symbols().Add(issue.name, issue.lower);
  }
  for (std::size_t i = 0; i < space.utilities.size(); ++i) {
    const std::string& text = space.utilities[i];
    const std::string who = UtilityName(space, i);
    try {
      impl_->utilities.push_back(impl_->formulas.Add(text, SourceLocation{}));
    } catch (const formula::CompileError& e) {
      if (e.problem() == formula::CompileError::Problem::kUnknownName) {
        throw ValidationError("unknown variable '" + e.token() + "' in " + who +
                              " (the issues are: " + IssueList(space.issues) + ")");
      }
      throw ValidationError("cannot read " + who + ": " +
                            (e.detail().empty() ? e.message() : e.detail()));
    }
  }
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    const std::string& text = constraints[k];
    const std::size_t le = text.find("<="), ge = text.find(">=");
    if ((le == std::string::npos) == (ge == std::string::npos) ||
        text.find(le != std::string::npos ? "<=" : ">=", (le != std::string::npos ? le : ge) + 2) != std::string::npos)
      throw ValidationError("malformed constraint \"" + text + "\": expected EXPR <= EXPR or EXPR >= EXPR");
    const std::size_t at = le != std::string::npos ? le : ge;
    const std::string lhs = text.substr(0, at), rhs = text.substr(at + 2);
    const std::string difference = le != std::string::npos ? "(" + lhs + ") - (" + rhs + ")"
                                                           : "(" + rhs + ") - (" + lhs + ")";
    try {
      impl_->constraints.push_back(impl_->formulas.Add(difference, SourceLocation{}));
    } catch (const formula::CompileError& e) {
      if (e.problem() == formula::CompileError::Problem::kUnknownName)
        throw ValidationError("unknown variable '" + e.token() + "' in the constraint \"" + text +
                              "\" (the issues are: " + IssueList(space.issues) + ")");
      throw ValidationError("cannot read the constraint \"" + text + "\": " +
                            (e.detail().empty() ? e.message() : e.detail()));
    }
  }
  impl_->evaluator = std::make_unique<formula::Evaluator>(impl_->formulas);
}

std::size_t UtilityFunctions::constraints() const { return impl_->constraints.size(); }

namespace {

// Whether each formula is affine in every issue (the issues are the set's only symbols, slots
// 0 to k - 1): no slot is held, so the answer is the same at any issue values.
bool AllAffine(formula::Evaluator& evaluator, const std::vector<const formula::Expression*>& formulas,
               std::size_t issues) {
  std::vector<int> moving(issues);
  for (std::size_t k = 0; k < issues; ++k) moving[k] = static_cast<int>(k);
  for (const formula::Expression* e : formulas)
    if (!evaluator.AffineIn(*e, moving)) return false;
  return true;
}

}  // namespace

bool UtilityFunctions::UtilitiesAffine() const {
  return AllAffine(*impl_->evaluator, impl_->utilities, impl_->issues.size());
}

bool UtilityFunctions::ConstraintsAffine() const {
  return AllAffine(*impl_->evaluator, impl_->constraints, impl_->issues.size());
}

double UtilityFunctions::Constraint(std::size_t k, const Vector& x) const {
  PARLEY_CHECK(x.size() == impl_->issues.size() && k < impl_->constraints.size());
  std::copy(x.begin(), x.end(), impl_->evaluator->values());
  return impl_->evaluator->Evaluate(*impl_->constraints[k]);
}

UtilityFunctions::~UtilityFunctions() = default;

std::size_t UtilityFunctions::players() const { return impl_->utilities.size(); }
std::size_t UtilityFunctions::issues() const { return impl_->issues.size(); }

void UtilityFunctions::Evaluate(const Vector& x, Vector* payoffs) const {
  PARLEY_CHECK(x.size() == impl_->issues.size());
  std::copy(x.begin(), x.end(), impl_->evaluator->values());
  payoffs->resize(impl_->utilities.size());
  for (std::size_t i = 0; i < impl_->utilities.size(); ++i)
    (*payoffs)[i] = impl_->evaluator->Evaluate(*impl_->utilities[i]);
}

Vector UtilityFunctions::Evaluate(const Vector& x) const {
  Vector payoffs;
  Evaluate(x, &payoffs);
  return payoffs;
}

Result SolveAgreementSpace(const AgreementSpace& space, const Vector& d, const Request& request,
                           const std::vector<std::string>& constraints, const SpaceTerms& terms,
                           AgreementResult* full) {
  UtilityFunctions f(space, constraints);
  const std::size_t n = f.players();
  internal::CheckDisagreement(d, n);
  if (terms.parties.empty()) internal::CheckWeights(request.weights, n);
  // The problem as scenario bargains state it: continuous issues, one package.
  AgreementProblem problem;
  for (const Issue& issue : space.issues) {
    AgreementIssue x;
    x.name = issue.name;
    x.lower = issue.lower;
    x.upper = issue.upper;
    problem.issues.push_back(std::move(x));
  }
  for (std::size_t k = 0; k < constraints.size(); ++k)
    problem.constraints.push_back({constraints[k], [&f, k](const Vector& x) { return f.Constraint(k, x); }});
  problem.disagreement = d;
  problem.weights = request.weights;
  problem.parties = terms.parties;
  problem.protocol = terms.protocol;
  problem.alternating = terms.alternating;
  problem.all_concepts = request.concepts.size() != 1;
  problem.payoff_name = [&space](std::size_t i) { return UtilityName(space, i); };
  if (!problem.all_concepts) problem.concept_kind = request.concepts.front();
  UtilityOracle utility = [&f](const Vector& x, Vector* u) { f.Evaluate(x, u); };
  // The exact method only where the formulas show affinity (one package: the same answer for
  // every issue values); the search otherwise.
  const bool affine = f.UtilitiesAffine(), linear = f.ConstraintsAffine();
  problem.affine = [affine](const Vector&) { return affine; };
  problem.linear_constraints = [linear](const Vector&) { return linear; };
  AgreementResult agreement = SolveAgreement(problem, utility, AgreementMethod::kExactOrSearch);
  if (!agreement.agreement_possible) {
    bool ir = false;
    Vector ideal = agreement.result.ideal;
    if (!agreement.points.empty()) ideal = IdealPoint(OutcomeSet{agreement.points, true}, agreement.result.disagreement, &ir);
    else ir = true;
    internal::ThrowNoGain(agreement.result.disagreement, ideal, ir);
  }
  if (full) *full = agreement;
  // One package: every solution is one deterministic agreement, its issues in place of the
  // lottery over the box's corners.
  Result result = std::move(agreement.result);
  result.issue_names.clear();
  for (const Issue& issue : space.issues) result.issue_names.push_back(issue.name);
  std::vector<Solution> solutions;
  for (std::size_t k = 0; k < result.solutions.size(); ++k) {
    Solution& solution = result.solutions[k];
    if (std::find(request.concepts.begin(), request.concepts.end(), solution.concept_kind) ==
        request.concepts.end())
      continue;
    solution.issues = agreement.solution_issue_values[k];
    solution.lottery.clear();
    // What binds at this solution: constraints and issue bounds.
    // Constraints and issue bounds, as a scenario's agreement reports them (price <= 8 -
    // 3*divest, divest = 1).
    std::string binding;
    if (solution.issues.size() == space.issues.size())
      for (const std::string& b : BindingAt(problem, solution.issues,
                                            solution.precision == Precision::kExact ||
                                                    solution.precision == Precision::kCertified
                                                ? 1e-12
                                                : 1e-9))
        binding += (binding.empty() ? "" : ", ") + b;
    if (!binding.empty()) solution.method += "; binding: " + binding;
    solutions.push_back(std::move(solution));
  }
  result.solutions = std::move(solutions);
  return result;
}

Solution SolveAgreementSpace(const AgreementSpace& space, const Vector& d, Concept concept_kind,
                             const Vector& weights) {
  Request request;
  request.concepts = {concept_kind};
  request.weights = weights;
  // Nash with unequal weights lists the symmetric solution first, then the weighted one.
  return SolveAgreementSpace(space, d, request).solutions.back();
}

}  // namespace parley::bargaining
