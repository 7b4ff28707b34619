#include "solver/bargaining/agreement.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "solver/bargaining/agreement_space.h"
#include "solver/bargaining/bargaining.h"
#include "solver/bargaining/common.h"
#include "solver/bargaining/concepts.h"
#include "solver/bargaining/hull.h"
#include "solver/bargaining/outcomes.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::bargaining {
namespace {

constexpr std::size_t kMaxContinuousIssues = 12;
constexpr std::size_t kMaxPackages = 4096;

// One corner of one package's box: the full issue vector and its payoffs.
struct Candidate {
  Vector issues;
  Vector payoffs;
  std::size_t package;
};

// The issues split by kind, and the number of packages.
struct Layout {
  std::vector<std::size_t> continuous, discrete;
  std::size_t packages = 1;
};

// Throws ValidationError beyond 4096 packages; more than 12 continuous issues are refused
// by the hull method (SolveAgreement).
Layout MakeLayout(const AgreementProblem& problem) {
  Layout layout;
  for (std::size_t i = 0; i < problem.issues.size(); ++i)
    (problem.issues[i].discrete ? layout.discrete : layout.continuous).push_back(i);
  if (layout.continuous.size() > kMaxContinuousIssues && layout.discrete.empty()) return layout;
  if (layout.continuous.size() > kMaxContinuousIssues)
    throw ValidationError("a bargain has more than 12 continuous issues");
  for (std::size_t i : layout.discrete) {
    layout.packages *= problem.issues[i].labels.size();
    if (layout.packages > kMaxPackages)
      throw ValidationError("a bargain has more than 4096 packages of discrete options");
  }
  return layout;
}

enum class Corners { kAffine, kNotAffine, kNotFinite };

// The corners of every package into *candidates, with an affinity check at interior points:
// kNotAffine or kNotFinite as soon as a package fails (the candidates are then incomplete).
Corners EnumerateCorners(const AgreementProblem& problem, const UtilityOracle& utility,
                         const Layout& layout, std::vector<Candidate>* candidates) {
  const std::size_t n = problem.disagreement.size();
  const auto& continuous = layout.continuous;
  Vector x(problem.issues.size()), u(n);
  const double probes[3][3] = {{0.5, 0.5, 0.5}, {0.3, 0.8, 0.6}, {0.9, 0.2, 0.35}};
  for (std::size_t p = 0; p < layout.packages; ++p) {
    std::size_t rest = p;
    for (std::size_t i : layout.discrete) {
      const auto& options = problem.issues[i].values;
      x[i] = options[rest % options.size()];
      rest /= options.size();
    }
    const std::size_t corners = std::size_t{1} << continuous.size();
    const std::size_t first = candidates->size();
    for (std::size_t c = 0; c < corners; ++c) {
      for (std::size_t j = 0; j < continuous.size(); ++j) {
        const AgreementIssue& issue = problem.issues[continuous[j]];
        x[continuous[j]] = (c >> j) & 1 ? issue.upper : issue.lower;
      }
      utility(x, &u);
      for (double v : u)
        if (!std::isfinite(v)) return Corners::kNotFinite;
      candidates->push_back({x, u, p});
    }
    // Affine: u(x) = u(lower corner) + sum_j (u(corner j) - u(lower corner)) t_j.
    const auto& at = *candidates;
    for (const auto& probe : probes) {
      if (continuous.empty()) break;
      Vector expected = at[first].payoffs;
      for (std::size_t j = 0; j < continuous.size(); ++j) {
        const AgreementIssue& issue = problem.issues[continuous[j]];
        double t = probe[j % 3];
        x[continuous[j]] = issue.lower + t * (issue.upper - issue.lower);
        const Vector& corner = at[first + (std::size_t{1} << j)].payoffs;
        for (std::size_t i = 0; i < n; ++i) expected[i] += t * (corner[i] - at[first].payoffs[i]);
      }
      utility(x, &u);
      for (std::size_t i = 0; i < n; ++i) {
        double scale = 1;
        for (std::size_t c = first; c < at.size(); ++c) scale = std::max(scale, std::abs(at[c].payoffs[i]));
        if (std::abs(u[i] - expected[i]) > 1e-9 * scale) return Corners::kNotAffine;
      }
    }
  }
  return Corners::kAffine;
}

std::string NotAffineMessage(const AgreementProblem& problem, const Layout& layout) {
  std::string names;
  for (std::size_t j : layout.continuous) names += (names.empty() ? "" : ", ") + problem.issues[j].name;
  return "the payoffs are not linear in the bargain's continuous issues (" + names +
         "); Parley solves bargains whose payoffs are affine in each continuous issue exactly; "
         "give a non-linear issue as discrete `options:`";
}

// Payoffs and disagreement values below the bargaining solvers' smallest magnitude are
// rounding residues of the formulas (0.1 + 0.2 - 0.3): they count as 0. Values above the
// largest are refused with a message.
void SnapAndCheck(std::vector<Candidate>* candidates, Vector* d) {
  auto snap = [](Vector* v) {
    for (double& x : *v)
      if (std::abs(x) < kMinMagnitude) x = 0;
  };
  for (auto& c : *candidates) snap(&c.payoffs);
  snap(d);
  auto check = [](const Vector& v, const std::string& what) {
    for (double x : v)
      if (std::abs(x) > kMaxMagnitude)
        throw ValidationError(what + " is " + FormatDouble(x) + "; bargaining handles payoffs up to " +
                              FormatDouble(kMaxMagnitude) + " in magnitude: rescale the payoffs' units");
  };
  check(*d, "a disagreement payoff");
  for (const auto& c : *candidates) check(c.payoffs, "a payoff of an agreement");
}

// Two players: the largest t with a point of the hull at least d + (t, t). The function
// min(u1 - d1, u2 - d2) is concave and piecewise linear on the hull, so its maximum lies at a
// point or where the two gains are equal on a segment between two points; checking every
// pair of points covers every edge (no LP needed for the handful of corners of a package).
double BestEqualGain2(const std::vector<Vector>& points, const Vector& d) {
  double best = -INFINITY;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Vector& a = points[i];
    best = std::max(best, std::min(a[0] - d[0], a[1] - d[1]));
    for (std::size_t j = i + 1; j < points.size(); ++j) {
      const Vector& b = points[j];
      // g(t) = (a - d) + t (b - a); equal gains where g1(t) = g2(t).
      double g1 = a[0] - d[0], g2 = a[1] - d[1];
      double s1 = b[0] - a[0], s2 = b[1] - a[1];
      if (s1 == s2) continue;
      double t = (g2 - g1) / (s1 - s2);
      if (t > 0 && t < 1) best = std::max(best, g1 + t * s1);
    }
  }
  return best;
}

// Does some lottery over `points` give every player more than d (by 1e-9 of the scale)?
bool BeatsDisagreement(const std::vector<Vector>& points, const Vector& d, double scale) {
  const std::size_t n = d.size();
  // Fast path: a listed point already beats d for everyone (no LP needed).
  double t = 0;
  for (const Vector& p : points) {
    double gain = INFINITY;
    for (std::size_t i = 0; i < n; ++i) gain = std::min(gain, p[i] - d[i]);
    t = std::max(t, gain);
  }
  if (t > 1e-9 * scale) return true;
  if (n == 2) return BestEqualGain2(points, d) > 1e-9 * scale;
  Vector direction(n);  // (d + 1) - d, as the ray towards d + 1 has it
  for (std::size_t i = 0; i < n; ++i) direction[i] = (d[i] + 1) - d[i];
  internal::HullLp ray = internal::OptimizeOverHull(points, d, direction, {}, {}, 0.0);
  return ray.feasible && ray.t > 1e-9 * scale;
}

// What the exact method works on: the corners, grouped by package, and the scales.
struct Hull {
  std::vector<Candidate> candidates;
  std::size_t packages = 1;
  std::vector<Vector> points;                   // the candidates' payoffs
  std::vector<std::vector<Vector>> by_package;  // the same, per package
  Vector d;
  double scale = 1;         // of d, at least 1
  double payoff_scale = 1;  // of d and every payoff
};

Hull MakeHull(std::vector<Candidate> candidates, std::size_t packages, Vector d) {
  Hull hull;
  SnapAndCheck(&candidates, &d);
  hull.candidates = std::move(candidates);
  hull.packages = packages;
  hull.d = std::move(d);
  hull.by_package.resize(packages);
  for (const auto& c : hull.candidates) {
    hull.points.push_back(c.payoffs);
    hull.by_package[c.package].push_back(c.payoffs);
  }
  for (double v : hull.d) hull.scale = std::max(hull.scale, std::abs(v));
  hull.payoff_scale = hull.scale;
  for (const Vector& p : hull.points)
    for (double v : p) hull.payoff_scale = std::max(hull.payoff_scale, std::abs(v));
  return hull;
}

// Talks fail for sure: the result holds d and the ideal point.
void NoAgreement(const Hull& hull, AgreementResult* out) {
  const Vector& d = hull.d;
  out->agreement_possible = false;
  out->result.disagreement = d;
  // The ideal point is each player's best among agreements at least as good as d for
  // everyone; when none is (or only d itself), nobody can gain and it is d.
  bool some_at_least_d = false;
  out->result.ideal = IdealPoint(OutcomeSet{hull.points, true}, d, &some_at_least_d);
  if (!some_at_least_d) out->result.ideal = d;
  for (std::size_t i = 0; i < d.size(); ++i) out->result.ideal[i] = std::max(out->result.ideal[i], d[i]);
  out->payoffs = d;
  out->issue_values.assign(out->issues.size(), std::numeric_limits<double>::quiet_NaN());
}

// A lottery over the candidates as terms: aggregated by package, continuous issues as the
// package's weighted average; and the issue values (see AgreementResult::issue_values).
void Describe(const Hull& hull, const std::vector<AgreementIssue>& issues, const Vector& lottery,
              AgreementTerms* terms, Vector* issue_values) {
  const std::size_t k = issues.size();
  std::vector<double> mass(hull.packages, 0);
  std::vector<Vector> mean(hull.packages, Vector(k, 0));
  for (std::size_t c = 0; c < hull.candidates.size(); ++c) {
    if (lottery[c] <= 1e-12) continue;
    const Candidate& candidate = hull.candidates[c];
    mass[candidate.package] += lottery[c];
    for (std::size_t i = 0; i < k; ++i) mean[candidate.package][i] += lottery[c] * candidate.issues[i];
  }
  std::vector<std::size_t> used;
  for (std::size_t p = 0; p < hull.packages; ++p)
    if (mass[p] > 1e-9) used.push_back(p);
  const bool lottery_between = used.size() > 1;
  terms->packages.clear();
  issue_values->assign(k, 0);
  for (std::size_t p : used)
    for (std::size_t i = 0; i < k; ++i) (*issue_values)[i] += mean[p][i];
  for (std::size_t p : used) {
    AgreementPackage package;
    package.probability = mass[p];
    package.issues.resize(k);
    const Candidate* first = &hull.candidates[0];
    for (const auto& c : hull.candidates)
      if (c.package == p) {
        first = &c;
        break;
      }
    for (std::size_t i = 0; i < k; ++i)
      package.issues[i] = issues[i].discrete ? first->issues[i] : mean[p][i] / mass[p];
    terms->packages.push_back(std::move(package));
  }
  if (lottery_between) return;
  for (std::size_t i = 0; i < k; ++i) (*issue_values)[i] = terms->packages[0].issues[i];
}

// Weights over the candidates of a single package whose payoffs are `target` (within `tol`
// per player), from the first package that has some; empty when none does. Within a package
// the payoffs are affine in the continuous issues, so those weights are one deterministic
// agreement: the weighted average of the corners' issue values.
Vector OnePackage(const Hull& hull, const Vector& target, double tol) {
  const std::size_t n = target.size();
  for (std::size_t p = 0; p < hull.packages; ++p) {
    const std::vector<Vector>& points = hull.by_package[p];
    bool inside = !points.empty();
    for (std::size_t i = 0; i < n && inside; ++i) {
      double lo = INFINITY, hi = -INFINITY;
      for (const Vector& point : points) {
        lo = std::min(lo, point[i]);
        hi = std::max(hi, point[i]);
      }
      inside = target[i] >= lo - tol && target[i] <= hi + tol;
    }
    if (!inside) continue;
    Vector lower(n), upper(n);
    for (std::size_t i = 0; i < n; ++i) {
      lower[i] = target[i] - tol;
      upper[i] = target[i] + tol;
    }
    internal::HullLp at = internal::OptimizeOverHull(points, lower, {}, {}, upper);
    if (!at.feasible) continue;
    Vector lottery(hull.candidates.size(), 0.0);
    std::size_t j = 0;
    for (std::size_t c = 0; c < hull.candidates.size(); ++c)
      if (hull.candidates[c].package == p) lottery[c] = at.lambda[j++];
    return lottery;
  }
  return {};
}

// A lottery between packages is reported only when no single package reaches the same
// payoffs (then it strictly beats every package for the concept, whose solution payoffs are
// unique): a deterministic agreement that attains the solution is preferred.
void PreferOnePackage(const Hull& hull, Solution* solution) {
  if (solution->lottery.size() != hull.candidates.size()) return;
  std::size_t first_package = hull.packages;
  bool mixed = false;
  for (std::size_t c = 0; c < hull.candidates.size(); ++c) {
    if (solution->lottery[c] <= 1e-12) continue;
    if (first_package == hull.packages) first_package = hull.candidates[c].package;
    mixed = mixed || hull.candidates[c].package != first_package;
  }
  if (!mixed) return;
  Vector single = OnePackage(hull, solution->payoffs, 1e-9 * hull.payoff_scale);
  if (!single.empty()) solution->lottery = std::move(single);
}

// The solution of the chosen concept (with the chosen weighting); null when absent.
const Solution* Pick(const Result& result, const AgreementProblem& problem) {
  const bool want_weighted = !problem.weights.empty() && !internal::AllEqual(problem.weights);
  const bool uses_weights = Info(problem.concept_kind).uses_weights;
  for (const auto& solution : result.solutions)
    if (solution.concept_kind == problem.concept_kind && (!uses_weights || solution.weighted == want_weighted))
      return &solution;
  return result.Find(problem.concept_kind);
}

// One package's best agreement for a concept, with the concept's score; none when the
// package has nothing acceptable.
struct PackageEntry {
  double score = -INFINITY;
  Solution solution;
};

bool SolvePackage(const Hull& hull, std::size_t p, Concept concept_kind, bool beats_d,
                  const AgreementProblem& problem, const Vector& ideal, const Vector& w,
                  PackageEntry* entry) {
  const Vector& d = hull.d;
  const std::size_t n = d.size();
  const std::vector<Vector>& points = hull.by_package[p];
  Solution& solution = entry->solution;
  Vector lottery;
  if (Info(concept_kind).uses_ideal) {
    // Kalai-Smorodinsky against the ideal point of the whole set: the farthest point of the
    // package's hull on the ray from d towards it (none when no point reaches d).
    Vector direction(n);
    for (std::size_t i = 0; i < n; ++i) direction[i] = ideal[i] - d[i];
    internal::HullLp ray = internal::OptimizeOverHull(points, d, direction, {}, {}, 0.0);
    if (!ray.feasible) return false;
    solution.payoffs.assign(n, 0);
    for (std::size_t j = 0; j < ray.lambda.size(); ++j)
      for (std::size_t i = 0; i < n; ++i) solution.payoffs[i] += ray.lambda[j] * points[j][i];
    solution.method = "LP: farthest point towards the ideal point of the whole set, per package";
    entry->score = ray.t;
    lottery = ray.lambda;
  } else {
    // beats_d: the package's best equal gain over d exceeds 1e-9 of d's scale; SolveOutcomes
    // needs it above 1e-12 of the payoffs' scale. The first implies the second unless the
    // payoffs are far larger than d; only then is the LP asked again.
    OutcomeSet set{points, true};
    if (!beats_d) return false;
    const bool gain_certain = 1e-9 * hull.scale > 2e-12 * hull.payoff_scale;
    if (!gain_certain && !internal::HasGain(set, d)) return false;
    solution = SolveOutcomes(set, d, concept_kind, problem.weights);
    lottery = solution.lottery;
    entry->score = ConceptScore(concept_kind, solution.payoffs, d, ideal, w);
  }
  if (entry->score == -INFINITY) return false;
  // Lottery weights over all candidates (zero outside the package).
  Vector full(hull.candidates.size(), 0);
  std::size_t j = 0;
  for (std::size_t c = 0; c < hull.candidates.size(); ++c)
    if (hull.candidates[c].package == p) full[c] = j < lottery.size() ? lottery[j++] : 0;
  solution.concept_kind = concept_kind;
  solution.lottery = std::move(full);
  return true;
}

// The best package among `entries` for a concept. Packages whose best agreement reaches the
// top score with different payoffs tie: utilitarian ties are broken by the Nash product, the
// others by the best score itself (a tie within the tolerance is still decided by a real
// difference, so that the choice moves continuously with the parameters), then the larger
// total when the scores agree to rounding; then the first package.
Solution BestPackage(const std::vector<PackageEntry>& entries, Concept concept_kind, const Hull& hull) {
  const ConceptInfo& info = Info(concept_kind);
  const Vector& d = hull.d;
  double top = -INFINITY;
  for (const auto& e : entries) top = std::max(top, e.score);
  const double tol = 1e-12 * std::max(1.0, std::abs(top)) + (info.log_score ? 0 : 1e-12 * hull.scale);
  // (Packages with the same payoffs tie too: they are different terms.)
  std::vector<const PackageEntry*> tied;
  for (const auto& e : entries)
    if (e.score >= top - tol) tied.push_back(&e);
  auto total = [&](const Solution& s) {
    double k = 0;
    for (std::size_t i = 0; i < d.size(); ++i)
      k += info.ties_by_nash_product ? (s.payoffs[i] > d[i] ? std::log(s.payoffs[i] - d[i]) : -INFINITY)
                                     : s.payoffs[i];
    return k;
  };
  std::size_t chosen = 0;
  for (std::size_t t = 1; t < tied.size(); ++t) {
    double a = tied[t]->score, b = tied[chosen]->score;
    double rounding = 1e-15 * std::max({1.0, std::abs(a), std::abs(b)});
    bool more_total = total(tied[t]->solution) > total(tied[chosen]->solution) + 1e-12 * hull.scale;
    bool better = info.ties_by_nash_product ? more_total
                                            : a > b + rounding || (a >= b - rounding && more_total);
    if (better) chosen = t;
  }
  Solution solution = tied[chosen]->solution;
  solution.method += " (best single package; no lotteries between packages)";
  if (tied.size() >= 2) {
    solution.ties.clear();
    for (const PackageEntry* t : tied) solution.ties.push_back(t->solution.payoffs);
    solution.method += info.ties_by_nash_product
                           ? "; packages tie, the tie broken by the Nash product"
                           : "; packages tie, the best score then the larger total chosen";
  }
  return solution;
}

// Lotteries between packages forbidden: each package's convex set solved on its own, the
// best package per concept.
std::vector<Solution> SolvePerPackage(const Hull& hull, const AgreementProblem& problem,
                                      const std::vector<char>& beats_d, const Vector& ideal) {
  const std::size_t n = hull.d.size();
  const Vector w = problem.weights.empty() ? Vector(n, 1.0) : problem.weights;
  std::vector<Solution> solutions;
  for (Concept concept_kind : AllConcepts()) {
    if (!problem.all_concepts && concept_kind != problem.concept_kind) continue;
    std::vector<PackageEntry> entries;
    for (std::size_t p = 0; p < hull.packages; ++p) {
      PackageEntry entry;
      if (SolvePackage(hull, p, concept_kind, beats_d[p], problem, ideal, w, &entry))
        entries.push_back(std::move(entry));
    }
    if (!entries.empty()) solutions.push_back(BestPackage(entries, concept_kind, hull));
  }
  return solutions;
}

// Every solution's terms, then the chosen one's into the main fields.
void DescribeAll(const Hull& hull, const Solution& chosen, AgreementResult* out) {
  for (const auto& solution : out->result.solutions) {
    out->solution_terms.emplace_back();
    out->solution_issue_values.emplace_back();
    if (solution.lottery.size() != hull.candidates.size()) continue;
    Describe(hull, out->issues, solution.lottery, &out->solution_terms.back(),
             &out->solution_issue_values.back());
  }
  out->payoffs = chosen.payoffs;
  Describe(hull, out->issues, chosen.lottery, &out->terms, &out->issue_values);
  out->lottery = out->terms.lottery();
}

// The exact method over the corners of the packages' boxes.
AgreementResult SolveHull(const AgreementProblem& problem, const Hull& hull) {
  AgreementResult out;
  out.issues = problem.issues;
  out.points = hull.points;
  // Is some agreement better than d for everyone? Over the whole set, or over each package
  // when lotteries between packages are not allowed.
  std::vector<char> beats_d(hull.packages, 1);
  bool any = false;
  if (problem.lotteries) {
    any = BeatsDisagreement(hull.points, hull.d, hull.scale);
  } else {
    for (std::size_t p = 0; p < hull.packages; ++p) {
      beats_d[p] = BeatsDisagreement(hull.by_package[p], hull.d, hull.scale);
      any = any || beats_d[p];
    }
  }
  if (!any) {
    NoAgreement(hull, &out);
    return out;
  }

  Request request;
  request.weights = problem.weights;
  if (!problem.all_concepts) request.concepts = {problem.concept_kind};
  // The whole set's solutions (the answer when lotteries are allowed; the side-by-side view
  // and the ideal point otherwise). Skipped in fast mode without lotteries unless a concept
  // that reads the ideal point is asked for.
  if (problem.lotteries || problem.all_concepts || Info(problem.concept_kind).uses_ideal) {
    out.result = Solve(OutcomeSet{hull.points, true}, hull.d, request);
  } else {
    out.result.disagreement = hull.d;
  }
  for (auto& solution : out.result.solutions) PreferOnePackage(hull, &solution);

  if (!problem.lotteries) {
    const Vector ideal = out.result.ideal;
    out.result.solutions = SolvePerPackage(hull, problem, beats_d, ideal);
    if (!Pick(out.result, problem)) {
      throw ValidationError("no single package of the bargain gives every player more than the "
                            "disagreement point (the ideal point is " + internal::FormatVector(ideal) + ")");
    }
  }
  const Solution* chosen = Pick(out.result, problem);
  if (!chosen) throw ValidationError("the bargaining solution could not be computed");
  DescribeAll(hull, *chosen, &out);
  return out;
}

// The numerical method (continuous issues whose payoffs are not affine): agreement_space.h.
AgreementResult SolveBySearch(const AgreementProblem& problem, const UtilityOracle& utility) {
  Request request;
  request.weights = problem.weights;
  if (!problem.all_concepts) request.concepts = {problem.concept_kind};
  AgreementResult out;
  out.issues = problem.issues;
  out.result = SearchAgreementSpace(problem.issues, utility, problem.disagreement, request);
  for (const Solution& solution : out.result.solutions) {
    out.solution_terms.push_back(AgreementTerms{{AgreementPackage{1, solution.issues}}});
    out.solution_issue_values.push_back(solution.issues);
  }
  const Solution* chosen = Pick(out.result, problem);
  PARLEY_CHECK(chosen != nullptr);
  out.payoffs = chosen->payoffs;
  out.issue_values = chosen->issues;
  out.terms = AgreementTerms{{AgreementPackage{1, chosen->issues}}};
  return out;
}

}  // namespace

AgreementResult SolveAgreement(const AgreementProblem& problem, const UtilityOracle& utility,
                               AgreementMethod method) {
  // Parties, constraints, the alternating protocol and outside options are declared in
  // agreement.h; until the solver honours them, a problem that uses them is refused rather
  // than solved as if they were absent.
  if (!problem.parties.empty() || !problem.constraints.empty() ||
      problem.protocol != Protocol::kAxiomatic || problem.rule != DisagreementRule::kThreat)
    throw ValidationError("parties, constraints, alternating offers and outside options in a "
                          "bargain are not supported yet");
  const Layout layout = MakeLayout(problem);
  const bool may_search = method == AgreementMethod::kExactOrSearch && layout.discrete.empty();
  if (layout.continuous.size() > kMaxContinuousIssues) {
    if (may_search) return SolveBySearch(problem, utility);  // too many corners for the hull
    throw ValidationError("a bargain has more than 12 continuous issues");
  }
  std::vector<Candidate> candidates;
  const Corners corners = EnumerateCorners(problem, utility, layout, &candidates);
  if (corners != Corners::kAffine && may_search) return SolveBySearch(problem, utility);
  if (corners == Corners::kNotFinite)
    throw ValidationError("a payoff of an agreement is not a finite number");
  if (corners == Corners::kNotAffine) throw ValidationError(NotAffineMessage(problem, layout));
  return SolveHull(problem, MakeHull(std::move(candidates), layout.packages, problem.disagreement));
}

}  // namespace parley::bargaining
