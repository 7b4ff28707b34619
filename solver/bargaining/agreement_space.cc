#include "solver/bargaining/agreement_space.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
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
  std::unique_ptr<formula::Evaluator> evaluator;  // reads the issue values from its slots
};

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

std::string IssueList(const std::vector<Issue>& issues) {
  std::string text;
  for (const Issue& issue : issues) text += (text.empty() ? "" : ", ") + issue.name;
  return text.empty() ? "none" : text;
}

}  // namespace

UtilityFunctions::UtilityFunctions(const AgreementSpace& space) : impl_(std::make_unique<Impl>()) {
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
    const std::string who = "the utility of player " + std::to_string(i + 1) + " \"" + text + "\"";
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
  impl_->evaluator = std::make_unique<formula::Evaluator>(impl_->formulas);
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

namespace {

struct SearchResult {
  Vector x;
  Vector u;
  double value = kNegInf;
  double step = 0.0;  // last pattern step, as a fraction of the issue ranges
};

// Maximises objective(u(x)) over the box: grid (or random samples), then compass search from
// the best few points.
template <typename Objective>
SearchResult Maximise(const UtilityOracle& f, const std::vector<AgreementIssue>& issues,
                      Objective objective) {
  const std::size_t k = issues.size();
  const double budget = 100000.0;
  std::size_t per_issue = static_cast<std::size_t>(std::floor(std::pow(budget, 1.0 / k)));
  Vector x(k), u;
  auto value_at = [&](const Vector& at) {
    f(at, &u);
    for (double p : u) {
      if (!std::isfinite(p)) return kNegInf;
    }
    double v = objective(u);
    return std::isnan(v) ? kNegInf : v;
  };
  // Keep the best few starting points.
  constexpr std::size_t kStarts = 4;
  std::vector<std::pair<double, Vector>> starts;
  auto offer = [&](double v) {
    if (v == kNegInf) return;
    if (starts.size() < kStarts || v > starts.back().first) {
      starts.emplace_back(v, x);
      std::sort(starts.begin(), starts.end(),
                [](const auto& a, const auto& b) { return a.first > b.first; });
      if (starts.size() > kStarts) starts.pop_back();
    }
  };
  if (per_issue >= 3) {
    std::vector<std::size_t> index(k, 0);
    while (true) {
      for (std::size_t d = 0; d < k; ++d) {
        x[d] = issues[d].lower + (issues[d].upper - issues[d].lower) * static_cast<double>(index[d]) /
                                     static_cast<double>(per_issue - 1);
      }
      offer(value_at(x));
      std::size_t d = 0;
      while (d < k && ++index[d] == per_issue) index[d++] = 0;
      if (d == k) break;
    }
  } else {
    per_issue = 3;
    std::mt19937_64 rng(12345);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int sample = 0; sample < static_cast<int>(budget); ++sample) {
      for (std::size_t d = 0; d < k; ++d) {
        x[d] = issues[d].lower + (issues[d].upper - issues[d].lower) * unit(rng);
      }
      offer(value_at(x));
    }
  }
  SearchResult best;
  // Compass directions: +-e_a, and +-e_a +-e_b for up to 4 issues (helps along kinks).
  std::vector<Vector> directions;
  for (std::size_t a = 0; a < k; ++a) {
    for (double s : {1.0, -1.0}) {
      Vector dir(k, 0.0);
      dir[a] = s;
      directions.push_back(dir);
    }
  }
  if (k <= 4) {
    for (std::size_t a = 0; a < k; ++a) {
      for (std::size_t b = a + 1; b < k; ++b) {
        for (double s : {1.0, -1.0}) {
          for (double t : {1.0, -1.0}) {
            Vector dir(k, 0.0);
            dir[a] = s;
            dir[b] = t;
            directions.push_back(dir);
          }
        }
      }
    }
  }
  for (auto& [start_value, start] : starts) {
    Vector current = start, trial(k);
    double current_value = start_value;
    double step = 1.0 / static_cast<double>(per_issue - 1);  // fraction of each range
    int evaluations = 0;
    while (step > 1e-12 && evaluations < 200000) {
      bool improved = false;
      for (const Vector& dir : directions) {
        for (std::size_t d = 0; d < k; ++d) {
          double range = issues[d].upper - issues[d].lower;
          trial[d] = std::clamp(current[d] + dir[d] * step * range, issues[d].lower, issues[d].upper);
        }
        double v = value_at(trial);
        ++evaluations;
        if (v > current_value) {
          current_value = v;
          current = trial;
          improved = true;
          break;
        }
      }
      if (!improved) step *= 0.5;
    }
    if (current_value > best.value) {
      best.value = current_value;
      best.x = current;
      best.step = step;
    }
  }
  if (best.value != kNegInf) f(best.x, &best.u);
  return best;
}

// 2000 random midpoint tests of concavity of every utility.
bool LooksConcave(const UtilityOracle& f, const std::vector<AgreementIssue>& issues) {
  const std::size_t k = issues.size();
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Vector x(k), y(k), mid(k), ux, uy, um;
  for (int trial = 0; trial < 2000; ++trial) {
    for (std::size_t d = 0; d < k; ++d) {
      double range = issues[d].upper - issues[d].lower;
      x[d] = issues[d].lower + range * unit(rng);
      y[d] = issues[d].lower + range * unit(rng);
      mid[d] = 0.5 * (x[d] + y[d]);
    }
    f(x, &ux);
    f(y, &uy);
    f(mid, &um);
    for (std::size_t i = 0; i < ux.size(); ++i) {
      if (!std::isfinite(ux[i]) || !std::isfinite(uy[i]) || !std::isfinite(um[i])) return false;
      double chord = 0.5 * (ux[i] + uy[i]);
      if (um[i] < chord - 1e-9 * (1.0 + std::abs(chord))) return false;
    }
  }
  return true;
}

bool AtLeast(const Vector& u, const Vector& d) {
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (!(u[i] >= d[i])) return false;
  }
  return true;
}

struct Prepared {
  Vector ideal;
  bool ideal_is_ir = true;
  bool concave = false;
};

Prepared Prepare(const UtilityOracle& f, const std::vector<AgreementIssue>& issues,
                 const Vector& d) {
  const std::size_t n = d.size();
  Prepared p;
  p.ideal.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    SearchResult best = Maximise(f, issues, [&](const Vector& u) {
      return AtLeast(u, d) ? u[i] : kNegInf;
    });
    if (best.value == kNegInf) {
      p.ideal_is_ir = false;
      break;
    }
    p.ideal[i] = best.value;
  }
  if (!p.ideal_is_ir) {
    for (std::size_t i = 0; i < n; ++i) {
      p.ideal[i] = Maximise(f, issues, [&](const Vector& u) { return u[i]; }).value;
    }
  }
  SearchResult gain = Maximise(f, issues, [&](const Vector& u) {
    return ConceptScore(Concept::kEgalitarian, u, d, {}, {});
  });
  if (!p.ideal_is_ir || !(gain.value > 0)) internal::ThrowNoGain(d, p.ideal, p.ideal_is_ir);
  p.concave = LooksConcave(f, issues);
  return p;
}

Solution SolvePrepared(const UtilityOracle& f, const std::vector<AgreementIssue>& issues,
                       const Vector& d, Concept c, const Vector& w, const Prepared& prepared) {
  const std::size_t n = d.size();
  const bool needs_acceptable = Info(c).needs_acceptable;
  SearchResult best = Maximise(f, issues, [&](const Vector& u) {
    if (needs_acceptable && !AtLeast(u, d)) return kNegInf;
    return ConceptScore(c, u, d, prepared.ideal, w);
  });
  PARLEY_CHECK(best.value != kNegInf);
  std::vector<Vector> ties;
  if (Info(c).ties_by_nash_product) {
    // Is the optimum unique? The optimal agreements best for each player (within a relative
    // 1e-12 of the optimal sum) are its ends; when they differ by more than 1e-5 (relative)
    // it is a tie, broken (as over outcome sets) by the symmetric Nash solution among the
    // optimal agreements. Near a strict, smooth optimum the ends stay within about
    // sqrt(1e-12) of it, well inside 1e-5; a flat optimum spreads them over its face.
    const double floor = best.value - 1e-12 * std::max(1.0, std::abs(best.value));
    auto optimal = [&](const Vector& u) { return AtLeast(u, d) && internal::Dot(w, u) >= floor; };
    for (std::size_t i = 0; i < n; ++i) {
      SearchResult end = Maximise(f, issues, [&](const Vector& u) {
        return optimal(u) ? u[i] : kNegInf;
      });
      if (end.value == kNegInf) continue;
      bool seen = false;
      for (const Vector& e : ties) {
        double distance = 0.0;
        for (std::size_t k = 0; k < n; ++k)
          distance = std::max(distance, std::abs(e[k] - end.u[k]) / std::max(1.0, std::abs(e[k])));
        seen = seen || distance <= 1e-5;
      }
      if (!seen) ties.push_back(end.u);
    }
    if (ties.size() >= 2) {
      SearchResult nash = Maximise(f, issues, [&](const Vector& u) {
        if (!optimal(u)) return kNegInf;
        double s = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
          if (!(u[i] > d[i])) return kNegInf;
          s += std::log(u[i] - d[i]);
        }
        return s;
      });
      if (nash.value != kNegInf) {
        best.x = nash.x;
        best.u = nash.u;
        best.step = std::max(best.step, nash.step);
      }
    } else {
      ties.clear();
    }
  }
  Solution solution;
  solution.concept_kind = c;
  solution.payoffs = best.u;
  solution.issues = best.x;
  solution.gap = best.step;
  solution.ties = ties;
  if (prepared.concave) {
    solution.precision = Precision::kGlobal;
    solution.method = "grid and compass search; the utilities passed a sampled concavity test, "
                      "so the local maximum is global (gap = last step, fraction of each range)";
  } else {
    solution.precision = Precision::kLocalGrid;
    solution.method = "grid and compass search; the utilities are not concave (sampled test), "
                      "so this is the best grid point refined locally, not a proven global "
                      "optimum";
  }
  if (!ties.empty())
    solution.method += "; a tie (the optimal agreements run between the listed ends), broken "
                       "by the Nash solution among them";
  bool uses_weights = Info(c).uses_weights;
  if (uses_weights) {
    solution.weights = w;
  } else {
    solution.weights.assign(n, 1.0);
  }
  solution.weighted = uses_weights && !internal::AllEqual(w);
  return solution;
}

}  // namespace

Result SearchAgreementSpace(const std::vector<AgreementIssue>& issues, const UtilityOracle& utility,
                            const Vector& d, const Request& request) {
  const std::size_t n = d.size();
  Vector w = internal::CheckWeights(request.weights, n);
  Prepared prepared = Prepare(utility, issues, d);
  Result result;
  result.disagreement = d;
  result.ideal = prepared.ideal;
  for (const AgreementIssue& issue : issues) result.issue_names.push_back(issue.name);
  for (Concept c : request.concepts)
    for (const Vector& weights : ListedWeightings(c, w))
      result.solutions.push_back(SolvePrepared(utility, issues, d, c, weights, prepared));
  return result;
}

Result SolveAgreementSpace(const AgreementSpace& space, const Vector& d, const Request& request) {
  UtilityFunctions f(space);
  const std::size_t n = f.players();
  internal::CheckDisagreement(d, n);
  internal::CheckWeights(request.weights, n);
  // The problem as scenario bargains state it: continuous issues, one package.
  AgreementProblem problem;
  for (const Issue& issue : space.issues) {
    AgreementIssue x;
    x.name = issue.name;
    x.lower = issue.lower;
    x.upper = issue.upper;
    problem.issues.push_back(std::move(x));
  }
  problem.disagreement = d;
  problem.weights = request.weights;
  problem.all_concepts = request.concepts.size() != 1;
  if (!problem.all_concepts) problem.concept_kind = request.concepts.front();
  UtilityOracle utility = [&f](const Vector& x, Vector* u) { f.Evaluate(x, u); };
  AgreementResult agreement = SolveAgreement(problem, utility, AgreementMethod::kExactOrSearch);
  if (!agreement.agreement_possible) {
    bool ir = false;
    Vector ideal = IdealPoint(OutcomeSet{agreement.points, true}, agreement.result.disagreement, &ir);
    internal::ThrowNoGain(agreement.result.disagreement, ideal, ir);
  }
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
