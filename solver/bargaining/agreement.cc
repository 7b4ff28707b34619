#include "solver/bargaining/agreement.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <span>

#include "solver/bargaining/bargaining.h"
#include "solver/bargaining/common.h"
#include "solver/bargaining/concepts.h"
#include "solver/bargaining/hull.h"
#include "solver/bargaining/nonlinear.h"
#include "solver/bargaining/outcomes.h"
#include "solver/bargaining/regions.h"
#include "solver/model/error.h"
#include "solver/model/keep_storage.h"
#include "solver/model/number.h"

namespace parley::bargaining {
namespace {

constexpr std::size_t kMaxContinuousIssues = 12;
constexpr std::size_t kMaxPackages = 4096;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

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
// Written over `layout` (its storage reused).
void MakeLayout(const AgreementProblem& problem, Layout& layout) {
  layout.continuous.clear();
  layout.discrete.clear();
  layout.packages = 1;
  for (std::size_t i = 0; i < problem.issues.size(); ++i)
    (problem.issues[i].discrete ? layout.discrete : layout.continuous).push_back(i);
  if (layout.continuous.size() > kMaxContinuousIssues && layout.discrete.empty()) return;
  if (layout.continuous.size() > kMaxContinuousIssues)
    throw ValidationError("a bargain has more than 12 continuous issues");
  for (std::size_t i : layout.discrete) {
    layout.packages *= problem.issues[i].labels.size();
    if (layout.packages > kMaxPackages)
      throw ValidationError("a bargain has more than 4096 packages of discrete options");
  }
}

enum class Corners { kAffine, kNotAffine, kNotFinite };

// The oracle's working vectors, kept by a caller that prepares again.
struct CornerScratch {
  Vector x, u;
};

// Appends a candidate to `into`, with the storage of one from `spare` when there is one (its
// fields are all written by the caller).
Candidate& AppendCandidate(std::vector<Candidate>& into, std::vector<Candidate>& spare) {
  if (spare.empty()) return into.emplace_back();
  into.push_back(std::move(spare.back()));
  spare.pop_back();
  return into.back();
}

// The corners of every package written over *candidates (their storage reused, then that of
// the candidates in *spare, which gets those left over), each package's payoffs affine in the
// continuous issues only where the caller shows it from their formulas (problem.affine):
// kNotAffine or kNotFinite as soon as a package fails (the candidates are then incomplete).
// Affinity is never concluded from values: payoffs that agree with the corners' interpolation
// at a few interior points may still jump or bend between them (a bonus for a price in [6, 8],
// rint(price)), and the hull of the corners would then be the wrong set, labelled exact.
Corners EnumerateCorners(const AgreementProblem& problem, const UtilityOracle& utility,
                         const Layout& layout, std::vector<Candidate>* candidates, CornerScratch& scratch,
                         std::vector<Candidate>* spare) {
  const std::size_t n = problem.disagreement.size();
  const auto& continuous = layout.continuous;
  Vector& x = scratch.x;
  Vector& u = scratch.u;
  x.assign(problem.issues.size(), 0.0);
  u.assign(n, 0.0);
  std::size_t count = 0;  // candidates written
  auto finish = [&](Corners corners) {
    for (std::size_t k = count; k < candidates->size(); ++k) spare->push_back(std::move((*candidates)[k]));
    candidates->resize(count);
    return corners;
  };
  for (std::size_t p = 0; p < layout.packages; ++p) {
    std::size_t rest = p;
    for (std::size_t i : layout.discrete) {
      const auto& options = problem.issues[i].values;
      x[i] = options[rest % options.size()];
      rest /= options.size();
    }
    const std::size_t corners = std::size_t{1} << continuous.size();
    for (std::size_t c = 0; c < corners; ++c) {
      for (std::size_t j = 0; j < continuous.size(); ++j) {
        const AgreementIssue& issue = problem.issues[continuous[j]];
        x[continuous[j]] = (c >> j) & 1 ? issue.upper : issue.lower;
      }
      utility(x, &u);
      for (double v : u)
        if (!std::isfinite(v)) return finish(Corners::kNotFinite);
      if (count == candidates->size()) AppendCandidate(*candidates, *spare);
      Candidate& candidate = (*candidates)[count++];
      candidate.issues.assign(x.begin(), x.end());
      candidate.payoffs.assign(u.begin(), u.end());
      candidate.package = p;
    }
    // Affine: u(x) = u(lower corner) + sum_j (u(corner j) - u(lower corner)) t_j, so the
    // package's payoffs fill the hull of its corners; shown by the caller or not at all.
    if (!continuous.empty() && !(problem.affine && problem.affine(x))) return finish(Corners::kNotAffine);
  }
  return finish(Corners::kAffine);
}

std::string NotAffineMessage(const AgreementProblem& problem, const Layout& layout) {
  std::string names;
  for (std::size_t j : layout.continuous) names += (names.empty() ? "" : ", ") + problem.issues[j].name;
  return "the payoffs are not linear in the bargain's continuous issues (" + names +
         "), or not shown to be: Parley solves a bargain exactly only when its payoffs' formulas "
         "add, subtract and scale the issues (an if or a comparison on an issue, rint, sign, a "
         "power or a function of one may jump or bend anywhere between the points it could "
         "check); give a non-linear issue as discrete `options:`, or put a jump in the terms "
         "into `constraints:` or into `after_agreement` stages";
}

// Payoffs and disagreement values below the bargaining solvers' smallest magnitude are
// rounding residues of the formulas (0.1 + 0.2 - 0.3): they count as 0. Values above the
// largest are refused with a message.
void SnapAndCheck(std::vector<Candidate>* candidates, Vector* d) {
  // (A player all of whose values are that small is not refused here, unlike numbers given
  // directly (internal::RefuseAllTiny): computed payoffs such as synergy + value - price are
  // rounding residues of 0 at some parameter values, and a bargain in a scenario must then
  // find no gain for that player, not stop the run.)
  auto snap = [](Vector* v) {
    for (double& x : *v)
      if (std::abs(x) < kMinMagnitude) x = 0;
  };
  for (auto& c : *candidates) snap(&c.payoffs);
  snap(d);
  auto check = [](const Vector& v, const char* what) {
    for (double x : v)
      if (std::abs(x) > kMaxMagnitude)
        throw ValidationError(std::string(what) + " is " + FormatDouble(x) + "; bargaining handles payoffs up to " +
                              FormatDouble(kMaxMagnitude) + " in magnitude: rescale the payoffs' units");
  };
  check(*d, "a disagreement payoff");
  for (const auto& c : *candidates) check(c.payoffs, "a payoff of an agreement");
}

// Issue values in words, for a message: "price = 0.5, clause = drop" (a discrete issue by the
// label of its option).
std::string IssuesText(const AgreementProblem& problem, const Vector& x) {
  std::string text;
  for (std::size_t k = 0; k < problem.issues.size() && k < x.size(); ++k) {
    const AgreementIssue& issue = problem.issues[k];
    std::string value = FormatSignificant(x[k], 10);
    for (std::size_t o = 0; issue.discrete && o < issue.values.size() && o < issue.labels.size(); ++o)
      if (issue.values[o] == x[k]) value = issue.labels[o];
    text += (text.empty() ? "" : ", ") + issue.name + " = " + value;
  }
  return text;
}

// Refuses payoffs u at the agreement with issue values x when one is not finite or beyond
// kMaxMagnitude, naming the payoff (problem.payoff_name) and the issue values: such a value is
// no answer to report, and a search would chase a utility that grows without bound towards it
// (1/x near x = 0 gave payoffs of 1e17, each labelled "best found").
void CheckPayoffsAt(const AgreementProblem& problem, const Vector& x, const Vector& u) {
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (std::abs(u[i]) <= kMaxMagnitude) continue;
    const std::string who =
        problem.payoff_name ? problem.payoff_name(i) : "the payoff of player " + std::to_string(i + 1);
    const std::string ranges = problem.constraints.empty() ? "the issues' ranges"
                                                           : "the agreements the issues' ranges and constraints allow";
    const std::string value = std::isfinite(u[i]) ? "is " + FormatSignificant(u[i], 10)
                                                  : "is not finite (it is " + FormatDouble(u[i]) + ")";
    throw ValidationError(who + " " + value + " at " + IssuesText(problem, x) + "; bargaining handles payoffs up to " +
                          FormatDouble(kMaxMagnitude) + " in magnitude: make it finite and bounded by that on " +
                          ranges + " (narrow a range, rescale the units or change the formula)");
  }
}

// Two players: the largest t with a point of the hull at least d + t (s1, s2), s the players'
// magnitudes (each gain measured in its own player's units). The function
// min((u1 - d1) / s1, (u2 - d2) / s2) is concave and piecewise linear on the hull, so its
// maximum lies at a point or where the two relative gains are equal on a segment between two
// points; checking every pair of points covers every edge (no LP needed for the handful of
// corners of a package).
double BestEqualGain2(const std::vector<Vector>& points, const Vector& d, const Vector& s) {
  double best = -INFINITY;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Vector& a = points[i];
    const double g1 = (a[0] - d[0]) / s[0], g2 = (a[1] - d[1]) / s[1];
    best = std::max(best, std::min(g1, g2));
    for (std::size_t j = i + 1; j < points.size(); ++j) {
      const Vector& b = points[j];
      // g(t) = g(a) + t (g(b) - g(a)); equal relative gains where g1(t) = g2(t).
      const double s1 = (b[0] - d[0]) / s[0] - g1, s2 = (b[1] - d[1]) / s[1] - g2;
      if (s1 == s2) continue;
      double t = (g2 - g1) / (s1 - s2);
      if (t > 0 && t < 1) best = std::max(best, g1 + t * s1);
    }
  }
  return best;
}

// Does some lottery over `points` give every player more than d, by more than 1e-12 of the
// player's magnitude `s_i` (Hull::player_scale), the bar at which a gain counts
// (docs/bargaining.md)? (It was 1e-9: with d = (1.999999998, -1) and the split s, 2 - s of 2,
// A's gain of 2e-9 at s = 2 was no agreement, and a threshold of d_A moved by 2e-9.)
bool BeatsDisagreement(const std::vector<Vector>& points, const Vector& d, const Vector& s) {
  constexpr double kCounts = 1e-12;
  const std::size_t n = d.size();
  // Fast path: a listed point already beats d for everyone (no LP needed).
  double t = 0;
  for (const Vector& p : points) {
    double gain = INFINITY;
    for (std::size_t i = 0; i < n; ++i) gain = std::min(gain, (p[i] - d[i]) / s[i]);
    t = std::max(t, gain);
  }
  if (t > kCounts) return true;
  if (n == 2) return BestEqualGain2(points, d, s) > kCounts;
  internal::HullLp ray = internal::OptimizeOverHull(points, d, s, {}, {}, 0.0);
  return ray.feasible && ray.t > kCounts;
}

// One package's best agreement for a concept, with the concept's score; none when the
// package has nothing acceptable.
struct PackageEntry {
  double score = -INFINITY;
  Solution solution;  // its lottery over the package's own candidates (SpreadLottery)
  std::size_t package = 0;
};

// What the exact method works on: the corners, grouped by package, and the scales.
struct Hull {
  std::vector<Candidate> candidates;
  std::size_t packages = 1;
  std::vector<Vector> points;                   // the candidates' payoffs
  std::vector<std::vector<Vector>> by_package;  // the same, per package
  Vector d;
  Vector player_scale;      // per player, of its d and payoffs (internal::PlayerScales)
  // Per package, the two-player Nash frontier when the hull is kept for other weights
  // (PrepareNashFrontiers); empty otherwise.
  std::vector<internal::IndexedFrontier> nash_frontiers;
  // The solvers' working vectors, kept so that a hull solved again (SolvePrepared) allocates
  // nothing for them. A hull is used by one thread at a time.
  struct Scratch {
    std::vector<double> mass, mean;           // Describe
    std::vector<std::size_t> used;
    std::vector<char> beats_d;                // SolveHull
    Vector weights;                           // SolvePerPackage
    std::vector<PackageEntry> entries;        // SolvePerPackage, the first `count` in use
    std::vector<const PackageEntry*> tied;    // BestPackage
    internal::FrontierScratch frontier;       // PrepareNashFrontiers
    internal::IndexedFrontier package_frontier;  // SolvePackage, when the frontiers are not kept
    // What points, by_package and a result's vectors of vectors dropped when they shrank,
    // for them to take back when they grow (ResizeKeeping): a sweep that moves a cut changes
    // the number of points at every solve, and a draw whose talks fail for sure empties the
    // result's solutions and terms, which the next draw fills again.
    std::vector<Vector> spare_points;  // also the result's solution_issue_values
    std::vector<Solution> spare_solutions;
    std::vector<AgreementPackage> spare_packages;
    std::vector<AgreementTerms> spare_terms;
  };
  mutable Scratch scratch;
  // Lotteries allowed, two players, Nash alone (a fast solve): what the whole set's solve
  // computes that does not read the weights, taken from the first solve of a kept hull
  // (SolveHull) so that a solve with other weights runs only the Nash step. `wanted` is set
  // by PrepareNashFrontiers (kept hulls only), `ready` once the first solve filled the rest.
  struct WholeSet {
    bool wanted = false, ready = false;
    Vector ideal;                      // IdealPoint over the whole set
    internal::IndexedFrontier frontier;  // PrepareNashFrontier over the whole set
  };
  mutable WholeSet whole;
};

// Written over `hull` (its storage reused): the candidates are swapped in from `candidates`
// (which gets the hull's old ones, for the next preparation to write over), then snapped.
void MakeHull(std::vector<Candidate>& candidates, std::size_t packages, const Vector& d, Hull& hull) {
  hull.candidates.swap(candidates);
  hull.d.assign(d.begin(), d.end());
  SnapAndCheck(&hull.candidates, &hull.d);
  hull.packages = packages;
  // (nash_frontiers are left to PrepareNashFrontiers, which a keeping caller runs next; a new
  // hull has none.)
  hull.whole.wanted = hull.whole.ready = false;
  std::vector<Vector>& spare = hull.scratch.spare_points;
  model::ResizeKeeping(hull.points, hull.candidates.size(), spare);
  hull.by_package.resize(packages);
  std::vector<std::size_t>& filled = hull.scratch.used;  // per package, points written
  filled.assign(packages, 0);
  for (std::size_t k = 0; k < hull.candidates.size(); ++k) {
    const Candidate& c = hull.candidates[k];
    hull.points[k].assign(c.payoffs.begin(), c.payoffs.end());
    std::vector<Vector>& mine = hull.by_package[c.package];
    if (filled[c.package] == mine.size()) model::ResizeKeeping(mine, mine.size() + 1, spare);
    mine[filled[c.package]++].assign(c.payoffs.begin(), c.payoffs.end());
  }
  for (std::size_t p = 0; p < packages; ++p) model::ResizeKeeping(hull.by_package[p], filled[p], spare);
  internal::PlayerScales(hull.points, hull.d, &hull.player_scale);
}

Hull MakeHull(std::vector<Candidate> candidates, std::size_t packages, Vector d) {
  Hull hull;
  MakeHull(candidates, packages, d, hull);
  return hull;
}

// SolveExact's working storage, kept with a preparation so that solving it again (a sweep, a
// Monte Carlo draw) writes over the last solve's: the hull, the candidates MakeHull swaps out
// of it, the problem projected on the table's parties and its disagreement point. Used by one
// thread at a time. Its hull is never prepared for other weights (no Nash frontiers).
struct ExactScratch {
  Hull hull;
  std::vector<Candidate> candidates, spare_candidates;  // ResizeKeeping's spares for candidates
  std::vector<std::string> spare_binding;  // and for the result's binding constraints
  Vector corner;                           // BindingInto's corners of the issue box
  AgreementProblem projected;
  Vector dp;
};

// The ideal point when lotteries between packages are not allowed: each player's best payoff
// in a single package among that package's agreements that give everyone at least d (a
// package's agreements are the convex set its corners span), the largest over the packages.
// `*some` tells whether any package has such an agreement.
Vector PackagesIdeal(const Hull& hull, bool* some) {
  const std::size_t n = hull.d.size();
  Vector ideal(n, -INFINITY);
  *some = false;
  for (std::size_t p = 0; p < hull.packages; ++p) {
    if (hull.by_package[p].empty()) continue;
    bool rational = false;
    const Vector best = IdealPoint(OutcomeSet{hull.by_package[p], true}, hull.d, &rational);
    if (!rational) continue;
    *some = true;
    for (std::size_t i = 0; i < n; ++i) ideal[i] = std::max(ideal[i], best[i]);
  }
  return ideal;
}

// Talks fail for sure: the result holds d and the ideal point (over single packages when
// lotteries between them are not allowed).
void NoAgreement(const Hull& hull, bool lotteries, AgreementResult* out) {
  const Vector& d = hull.d;
  out->agreement_possible = false;
  out->result.disagreement = d;
  // The ideal point is each player's best among agreements at least as good as d for
  // everyone; when none is (or only d itself), nobody can gain and it is d.
  bool some_at_least_d = false;
  out->result.ideal = lotteries ? IdealPoint(OutcomeSet{hull.points, true}, d, &some_at_least_d)
                                : PackagesIdeal(hull, &some_at_least_d);
  if (!some_at_least_d) out->result.ideal = d;
  for (std::size_t i = 0; i < d.size(); ++i) out->result.ideal[i] = std::max(out->result.ideal[i], d[i]);
  out->payoffs = d;
  out->issue_values.assign(out->issues.size(), std::numeric_limits<double>::quiet_NaN());
}

// A lottery over the candidates as terms: aggregated by package, continuous issues as the
// package's weighted average; and the issue values (see AgreementResult::issue_values).
// Writes over `terms` and `issue_values` in place (a kept result's storage is reused), with
// the hull's scratch for the sums.
void Describe(const Hull& hull, const std::vector<AgreementIssue>& issues, const Vector& lottery,
              AgreementTerms* terms, Vector* issue_values) {
  const std::size_t k = issues.size();
  std::vector<double>& mass = hull.scratch.mass;
  std::vector<double>& mean = hull.scratch.mean;  // package-major, k per package
  std::vector<std::size_t>& used = hull.scratch.used;
  mass.assign(hull.packages, 0);
  mean.assign(hull.packages * k, 0);
  for (std::size_t c = 0; c < hull.candidates.size(); ++c) {
    if (lottery[c] <= 1e-12) continue;
    const Candidate& candidate = hull.candidates[c];
    mass[candidate.package] += lottery[c];
    double* m = &mean[candidate.package * k];
    for (std::size_t i = 0; i < k; ++i) m[i] += lottery[c] * candidate.issues[i];
  }
  used.clear();
  for (std::size_t p = 0; p < hull.packages; ++p)
    if (mass[p] > 1e-9) used.push_back(p);
  const bool lottery_between = used.size() > 1;
  model::ResizeKeeping(terms->packages, used.size(), hull.scratch.spare_packages);
  issue_values->assign(k, 0);
  for (std::size_t p : used)
    for (std::size_t i = 0; i < k; ++i) (*issue_values)[i] += mean[p * k + i];
  for (std::size_t u = 0; u < used.size(); ++u) {
    const std::size_t p = used[u];
    AgreementPackage& package = terms->packages[u];
    package.probability = mass[p];
    package.issues.resize(k);
    const Candidate* first = &hull.candidates[0];
    for (const auto& c : hull.candidates)
      if (c.package == p) {
        first = &c;
        break;
      }
    for (std::size_t i = 0; i < k; ++i)
      package.issues[i] = issues[i].discrete ? first->issues[i] : mean[p * k + i] / mass[p];
  }
  if (lottery_between) return;
  for (std::size_t i = 0; i < k; ++i) (*issue_values)[i] = terms->packages[0].issues[i];
}

// Weights over the candidates of a single package whose payoffs are `target` (within `tol`
// per player), from the first package that has some; empty when none does. Within a package
// the payoffs are affine in the continuous issues, so those weights are one deterministic
// agreement: the weighted average of the corners' issue values.
// `tol` is relative to each player's magnitude (Hull::player_scale).
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
      const double room = tol * hull.player_scale[i];
      inside = target[i] >= lo - room && target[i] <= hi + room;
    }
    if (!inside) continue;
    Vector lower(n), upper(n);
    for (std::size_t i = 0; i < n; ++i) {
      lower[i] = target[i] - tol * hull.player_scale[i];
      upper[i] = target[i] + tol * hull.player_scale[i];
    }
    internal::HullLp at = internal::OptimizeOverHull(points, lower, {}, {}, upper);
    if (!at.feasible) continue;
    // The LP stops at a vertex of the box's slice, often `tol` away from the target (an issue
    // of 0 to 500 agreed at 250.0000005 for payoffs of 250): the package's lottery closest to
    // the target is looked for within tighter boxes, exactly at the target first.
    for (double tighter : {0.0, 1e-15, 1e-12}) {
      if (tighter >= tol) break;
      for (std::size_t i = 0; i < n; ++i) {
        lower[i] = target[i] - tighter * hull.player_scale[i];
        upper[i] = target[i] + tighter * hull.player_scale[i];
      }
      internal::HullLp closer = internal::OptimizeOverHull(points, lower, {}, {}, upper);
      if (closer.feasible) {
        at = std::move(closer);
        break;
      }
    }
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
  Vector single = OnePackage(hull, solution->payoffs, 1e-9);
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

// A lottery over package p's candidates as weights over all candidates (zero outside it),
// written over `full`.
void SpreadLottery(const Hull& hull, std::size_t p, const Vector& lottery, Vector* full) {
  full->assign(hull.candidates.size(), 0);
  std::size_t j = 0;
  for (std::size_t c = 0; c < hull.candidates.size(); ++c)
    if (hull.candidates[c].package == p) (*full)[c] = j < lottery.size() ? lottery[j++] : 0;
}

bool SolvePackage(const Hull& hull, std::size_t p, Concept concept_kind, bool beats_d,
                  const AgreementProblem& problem, const Vector& ideal, const Vector& w,
                  PackageEntry* entry) {
  const Vector& d = hull.d;
  const std::size_t n = d.size();
  const std::vector<Vector>& points = hull.by_package[p];
  Solution& solution = entry->solution;  // an earlier solve's, when the entry is reused
  Vector lottery;
  if (Info(concept_kind).uses_ideal) {
    solution = Solution{};
    // Kalai-Smorodinsky against the ideal point over single packages (PackagesIdeal): the
    // farthest point of the package's hull on the ray from d towards it (none when no point
    // reaches d).
    Vector direction(n);
    for (std::size_t i = 0; i < n; ++i) direction[i] = ideal[i] - d[i];
    internal::HullLp ray = internal::OptimizeOverHull(points, d, direction, {}, {}, 0.0);
    if (!ray.feasible) return false;
    entry->score = ray.t;
    if (ray.t > 0) {
      // The exit can be only weakly Pareto-optimal within the package (another point pays
      // one player more and the others the same): refined as over the whole set.
      solution = internal::RayExitRefined(points, d, direction, concept_kind);
      solution.method = "farthest point towards the ideal point over single packages, per package: " + solution.method;
      lottery = std::move(solution.lottery);
    } else {
      solution.payoffs.assign(n, 0);
      for (std::size_t j = 0; j < ray.lambda.size(); ++j)
        for (std::size_t i = 0; i < n; ++i) solution.payoffs[i] += ray.lambda[j] * points[j][i];
      solution.method = "LP: farthest point towards the ideal point over single packages, per package";
      lottery = ray.lambda;
    }
  } else if (!beats_d) {
    // Utilitarian maximises the weighted sum over u >= d: a package that only meets d for
    // some player (no gain) can still have the largest sum (p paying (2.7, 7) against
    // d = (2.7, 1) beside q's sum of 7; at 2.71 instead of 2.7 it was chosen, at 2.7 left
    // out). The other concepts score such a package at their lowest (a Nash product or a
    // smallest gain of 0), below any package that beats d. d is met within 1e-12 of each
    // player's magnitude, as for the ideal point.
    if (concept_kind != Concept::kUtilitarian) return false;
    internal::HullLp best = internal::OptimizeOverHull(points, internal::MeetingD(points, d), {}, w);
    if (!best.feasible) return false;
    solution = Solution{};
    solution.payoffs = best.u;
    solution.method = "exact linear program over lotteries within the package (simplex in rational arithmetic); "
                      "no agreement of the package gives every player more than d, so its best sum with "
                      "every player at d or above";
    lottery = std::move(best.lambda);
    entry->score = ConceptScore(concept_kind, solution.payoffs, d, ideal, w);
  } else {
    // beats_d: the package's best equal gain over d, each player's relative to its magnitude
    // over the whole hull, exceeds 1e-12. SolveOutcomes needs it above 1e-12 relative to the
    // magnitudes over the package, which are no larger: the first implies the second.
    // For Nash over a hull SolveOutcomes returns NashOverHull's solution after the same checks
    // in the same order (CheckWeights gives checked weights back unchanged): called directly,
    // the package's points are not copied into an OutcomeSet for every solve.
    // A kept hull's frontier is reused: only the maximisation for the weights runs.
    if (concept_kind != Concept::kNash)
      solution = SolveOutcomes(OutcomeSet{points, true}, d, concept_kind, problem.weights);
    else if (hull.nash_frontiers.empty()) {
      // The package's frontier built in the hull's storage: NashOverFrontier gives
      // NashOverHull's solution bit for bit (and is NashOverHull where the frontier is not
      // usable), without allocating for each package.
      internal::PrepareNashFrontier(points, &hull.scratch.package_frontier, &hull.scratch.frontier);
      internal::NashOverFrontier(points, hull.scratch.package_frontier, d, problem.weights, &solution);
    } else
      internal::NashOverFrontier(points, hull.nash_frontiers[p], d, problem.weights, &solution);
    lottery = std::move(solution.lottery);  // given back below, not copied
    entry->score = ConceptScore(concept_kind, solution.payoffs, d, ideal, w);
  }
  if (entry->score == -INFINITY) return false;
  // Spread over all candidates only for the package chosen (BestPackage): with thousands of
  // packages, a full-length lottery for each would cost packages x candidates.
  solution.concept_kind = concept_kind;
  solution.lottery = std::move(lottery);
  entry->package = p;
  return true;
}

// The best package among `entries` for a concept. Packages whose best agreement reaches the
// top score with different payoffs tie: utilitarian ties are broken by the Nash product, the
// others by the best score itself (a tie within the tolerance is still decided by a real
// difference, so that the choice moves continuously with the parameters), then the larger
// total when the scores agree to rounding; then the first package.
// Written over `out`.
void BestPackage(std::span<const PackageEntry> entries, Concept concept_kind, const Hull& hull, Solution* out) {
  const ConceptInfo& info = Info(concept_kind);
  const Vector& d = hull.d;
  double top = -INFINITY;
  for (const auto& e : entries) top = std::max(top, e.score);
  // Scores in payoff units (egalitarian gains, utilitarian sums) are compared relative to the
  // payoffs' magnitude, unitless ones (log Nash products, KS fractions) to 1.
  const bool in_units = concept_kind == Concept::kEgalitarian || concept_kind == Concept::kUtilitarian;
  double units = 0;
  for (double s : hull.player_scale) units += s;
  const double tol = 1e-12 * (in_units ? std::abs(top) + units : std::max(1.0, std::abs(top)));
  // (Packages with the same payoffs tie too: they are different terms.)
  std::vector<const PackageEntry*>& tied = hull.scratch.tied;
  tied.clear();
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
    // (A product of 0, log -inf, is beaten by any positive one: the tolerance stays finite.)
    const double chosen_total = total(tied[chosen]->solution);
    const double total_tol =
        info.ties_by_nash_product ? 1e-12 * std::max(1.0, std::isfinite(chosen_total) ? std::abs(chosen_total) : 0.0)
                                  : 1e-12 * units;
    bool more_total = total(tied[t]->solution) > total(tied[chosen]->solution) + total_tol;
    // Utilitarian: within the tolerance the Nash product decides (the sum is flat along a
    // face). Nash (its weighted product), KS and egalitarian: a real difference in the score.
    const bool by_score = info.log_score || !info.ties_by_nash_product;
    bool better = by_score ? a > b + rounding || (a >= b - rounding && more_total) : more_total;
    if (better) chosen = t;
  }
  Solution& solution = *out;
  std::vector<Vector> ties;  // the storage of *out's ties, kept through the copy below
  ties.swap(solution.ties);
  solution = tied[chosen]->solution;
  SpreadLottery(hull, tied[chosen]->package, tied[chosen]->solution.lottery, &solution.lottery);
  solution.method += " (best single package; no lotteries between packages)";
  if (tied.size() >= 2) {
    model::ResizeKeeping(ties, tied.size(), hull.scratch.spare_points);
    for (std::size_t t = 0; t < tied.size(); ++t) ties[t] = tied[t]->solution.payoffs;
    solution.ties.swap(ties);
    solution.method += info.ties_by_nash_product
                           ? "; packages tie, the tie broken by the Nash product"
                           : "; packages tie, the best score then the larger total chosen";
  }
  model::ResizeKeeping(ties, 0, hull.scratch.spare_points);
}

// Lotteries between packages forbidden: each package's convex set solved on its own, the
// best package per concept, written over `solutions`.
void SolvePerPackage(const Hull& hull, const AgreementProblem& problem, const std::vector<char>& beats_d,
                     const Vector& ideal, std::vector<Solution>* solutions) {
  const std::size_t n = hull.d.size();
  Vector& w = hull.scratch.weights;
  if (problem.weights.empty())
    w.assign(n, 1.0);
  else
    w.assign(problem.weights.begin(), problem.weights.end());
  std::vector<PackageEntry>& entries = hull.scratch.entries;
  std::size_t written = 0;
  for (Concept concept_kind : AllConcepts()) {
    if (!problem.all_concepts && concept_kind != problem.concept_kind) continue;
    std::size_t count = 0;
    for (std::size_t p = 0; p < hull.packages; ++p) {
      if (entries.size() == count) entries.emplace_back();
      PackageEntry& entry = entries[count];
      entry.score = -INFINITY;
      entry.package = 0;
      if (SolvePackage(hull, p, concept_kind, beats_d[p], problem, ideal, w, &entry)) ++count;
    }
    if (count == 0) continue;
    if (solutions->size() == written) model::ResizeKeeping(*solutions, written + 1, hull.scratch.spare_solutions);
    BestPackage(std::span(entries.data(), count), concept_kind, hull, &(*solutions)[written++]);
  }
  model::ResizeKeeping(*solutions, written, hull.scratch.spare_solutions);
}

// Every solution's terms, then the chosen one's into the main fields (in place).
void DescribeAll(const Hull& hull, const Solution& chosen, AgreementResult* out) {
  const std::size_t count = out->result.solutions.size();
  model::ResizeKeeping(out->solution_terms, count, hull.scratch.spare_terms);
  model::ResizeKeeping(out->solution_issue_values, count, hull.scratch.spare_points);
  for (std::size_t s = 0; s < count; ++s) {
    const Solution& solution = out->result.solutions[s];
    if (solution.lottery.size() != hull.candidates.size()) {
      model::ResizeKeeping(out->solution_terms[s].packages, 0, hull.scratch.spare_packages);
      out->solution_issue_values[s].clear();
      continue;
    }
    Describe(hull, out->issues, solution.lottery, &out->solution_terms[s], &out->solution_issue_values[s]);
  }
  out->payoffs = chosen.payoffs;
  // The chosen solution is one of those (Pick): its terms were just described.
  std::size_t s = 0;
  while (s < count && &out->result.solutions[s] != &chosen) ++s;
  if (s < count && chosen.lottery.size() == hull.candidates.size()) {
    out->terms = out->solution_terms[s];
    out->issue_values = out->solution_issue_values[s];
  } else {
    Describe(hull, out->issues, chosen.lottery, &out->terms, &out->issue_values);
  }
  out->lottery = out->terms.lottery();
}

// For a hull kept across solves that differ in the weights alone: each package's two-player
// Nash frontier, which SolvePackage would otherwise rebuild on every solve (only when the
// packages are solved one by one for Nash); with lotteries allowed, the whole set's
// weight-free part is kept by the first solve instead (Hull::WholeSet).
void PrepareNashFrontiers(const AgreementProblem& problem, Hull* hull) {
  hull->whole.wanted = problem.lotteries && hull->d.size() == 2 && !problem.all_concepts &&
                       problem.concept_kind == Concept::kNash;
  hull->whole.ready = false;
  const bool wanted = !problem.lotteries && hull->d.size() == 2 &&
                      (problem.all_concepts || problem.concept_kind == Concept::kNash);
  if (!wanted) {
    hull->nash_frontiers.clear();
    return;
  }
  hull->nash_frontiers.resize(hull->by_package.size());
  for (std::size_t p = 0; p < hull->by_package.size(); ++p)
    internal::PrepareNashFrontier(hull->by_package[p], &hull->nash_frontiers[p], &hull->scratch.frontier);
}

// Every field of `out` back to its default, except those the hull method always sets, whose
// storage is kept for reuse (`issues`, `points`, `payoffs`, `terms`, `issue_values`,
// `solution_terms`, `solution_issue_values`, `result.solutions`, `result.frontier`).
void ResetKeepingStorage(AgreementResult* out) {
  out->optimality = Optimality::kExact;
  out->search.clear();
  out->kkt_residual = 0;
  out->binding.clear();
  out->parties.clear();
  out->outside_binds.clear();
  out->stationary.clear();
  out->stationary_unchecked.clear();
  out->agreement_possible = true;
  out->result.disagreement.clear();
  out->result.ideal.clear();
  out->result.threats.reset();
  out->result.pareto_vertices.clear();
  out->result.issue_names.clear();
  out->lottery = false;
}

// SolveOutcomes(OutcomeSet{hull.points, true}, hull.d, request) for the Nash solution alone
// (two players) with the kept whole set (Hull::WholeSet), over `result`: the same checks of the
// weights, the same values (the ideal point and the frontier the first solve computed for the
// same points and d, which do not read the weights; each listed weighting's Nash solution by
// NashOverFrontier, which is NashOverHull's bit for bit), without the linear programmes.
void SolveWholeNash(const AgreementProblem& problem, const Hull& hull, Result* result) {
  internal::CheckWeightsValid(problem.weights, 2);
  result->disagreement.assign(hull.d.begin(), hull.d.end());
  result->ideal.assign(hull.whole.ideal.begin(), hull.whole.ideal.end());
  // ListedWeightings(kNash, w): equal weights (NashOverFrontier's for none given), then the
  // weights when they differ.
  const std::size_t count = internal::AllEqual(problem.weights) ? 1 : 2;
  result->solutions.resize(count);
  internal::NashOverFrontier(hull.points, hull.whole.frontier, hull.d, Vector{}, &result->solutions[0]);
  if (count == 2)
    internal::NashOverFrontier(hull.points, hull.whole.frontier, hull.d, problem.weights, &result->solutions[1]);
  if (result->frontier) {
    Frontier2& f = *result->frontier;
    const Frontier2& kept = hull.whole.frontier.frontier;
    f.vertices.assign(kept.vertices.begin(), kept.vertices.end());
    f.normals.assign(kept.normals.begin(), kept.normals.end());
    f.offsets.assign(kept.offsets.begin(), kept.offsets.end());
  } else {
    result->frontier = hull.whole.frontier.frontier;
  }
}

// The exact method over the corners of the packages' boxes, written over `out` (every field
// set or reset: a kept result's storage is reused). `out->points` are the hull's points unless
// the caller writes its own (`with_points` false: SolveExact, whose points are everyone's).
void SolveHull(const AgreementProblem& problem, const Hull& hull, AgreementResult* out,
               bool with_points = true) {
  ResetKeepingStorage(out);
  out->issues = problem.issues;
  if (with_points) model::AssignKeeping(out->points, hull.points, hull.scratch.spare_points);
  // Is some agreement better than d for everyone? Over the whole set, or over each package
  // when lotteries between packages are not allowed.
  std::vector<char>& beats_d = hull.scratch.beats_d;
  beats_d.assign(hull.packages, 1);
  bool any = false;
  if (problem.lotteries) {
    any = BeatsDisagreement(hull.points, hull.d, hull.player_scale);
  } else {
    for (std::size_t p = 0; p < hull.packages; ++p) {
      beats_d[p] = BeatsDisagreement(hull.by_package[p], hull.d, hull.player_scale);
      any = any || beats_d[p];
    }
  }
  if (!any) {
    Hull::Scratch& spare = hull.scratch;
    model::ResizeKeeping(out->result.solutions, 0, spare.spare_solutions);
    out->result.frontier.reset();
    model::ResizeKeeping(out->terms.packages, 0, spare.spare_packages);
    model::ResizeKeeping(out->solution_terms, 0, spare.spare_terms);
    model::ResizeKeeping(out->solution_issue_values, 0, spare.spare_points);
    NoAgreement(hull, problem.lotteries, out);
    return;
  }

  // The whole set's solutions (the answer when lotteries are allowed; the side-by-side view
  // otherwise). Skipped in fast mode without lotteries; then the per-package solutions below
  // are the only ones.
  if (problem.lotteries || problem.all_concepts) {
    if (hull.whole.wanted && hull.whole.ready) {
      SolveWholeNash(problem, hull, &out->result);
    } else {
      Request request;
      request.weights = problem.weights;
      if (!problem.all_concepts) request.concepts = {problem.concept_kind};
      out->result = Solve(OutcomeSet{hull.points, true}, hull.d, request);
      if (hull.whole.wanted) {
        hull.whole.ideal = out->result.ideal;
        internal::PrepareNashFrontier(hull.points, &hull.whole.frontier, &hull.scratch.frontier);
        hull.whole.ready = hull.whole.frontier.usable;
      }
    }
    for (auto& solution : out->result.solutions) PreferOnePackage(hull, &solution);
  } else {
    out->result.disagreement = hull.d;
    out->result.frontier.reset();
  }

  if (!problem.lotteries) {
    // Without lotteries the ideal point is over single packages: a player's best in a lottery
    // between packages is not an agreement the parties can make (Kalai-Smorodinsky reads it).
    if (problem.all_concepts || Info(problem.concept_kind).uses_ideal) {
      bool some = false;
      out->result.ideal = PackagesIdeal(hull, &some);
      if (!some) out->result.ideal = hull.d;
    }
    SolvePerPackage(hull, problem, beats_d, out->result.ideal, &out->result.solutions);
    if (!Pick(out->result, problem)) {
      throw ValidationError("no single package of the bargain gives every player more than the "
                            "disagreement point (the ideal point is " +
                            internal::FormatVector(out->result.ideal) + ")");
    }
  }
  const Solution* chosen = Pick(out->result, problem);
  if (!chosen) throw ValidationError("the bargaining solution could not be computed");
  DescribeAll(hull, *chosen, out);
}

// ---- Parties, constraints, floors: the general problem -------------------------------------

// Who bargains and with what weight, checked: the parties (indices into the payoff vector),
// every player's weight (0 for non-parties), the players a concept is over.
struct Table {
  std::vector<std::size_t> parties;
  Vector weights;  // per player
  bool zero_weight = false;
  bool everyone = true;  // every player is a party with a positive weight
};

// Written over `table` (its storage reused).
void MakeTable(const AgreementProblem& problem, Table& table) {
  const std::size_t n = problem.disagreement.size();
  table.parties.clear();
  table.zero_weight = false;
  table.everyone = true;
  if (problem.parties.empty()) {
    for (std::size_t i = 0; i < n; ++i) table.parties.push_back(i);
  } else {
    std::vector<bool> seen(n, false);
    for (int i : problem.parties) {
      if (i < 0 || static_cast<std::size_t>(i) >= n)
        throw ValidationError("party " + std::to_string(i + 1) + " is not a player (there are " +
                              std::to_string(n) + " players)");
      if (seen[static_cast<std::size_t>(i)])
        throw ValidationError("player " + std::to_string(i + 1) + " is listed twice among the parties");
      seen[static_cast<std::size_t>(i)] = true;
      table.parties.push_back(static_cast<std::size_t>(i));
    }
  }
  if (table.parties.size() < 2)
    throw ValidationError("a bargain needs at least 2 parties at the table (got " +
                          std::to_string(table.parties.size()) + ")");
  table.weights.assign(n, 0);
  if (!problem.weights.empty() && problem.weights.size() != table.parties.size())
    throw ValidationError("a bargain has " + std::to_string(table.parties.size()) + " parties but " +
                          std::to_string(problem.weights.size()) + " weights; give one per party");
  bool positive = false;
  for (std::size_t q = 0; q < table.parties.size(); ++q) {
    const double w = problem.weights.empty() ? 1.0 : problem.weights[q];
    if (!std::isfinite(w) || w < 0 || w > kMaxMagnitude || (w > 0 && w < kMinMagnitude))
      throw ValidationError("a bargaining weight is " + FormatDouble(w) +
                            "; weights must be 0 or between 1e-12 and 1e12");
    table.weights[table.parties[q]] = w;
    table.zero_weight = table.zero_weight || w == 0;
    positive = positive || w > 0;
  }
  if (!positive) throw ValidationError("every bargaining weight is 0; at least one must be positive");
  table.everyone = table.parties.size() == n && !table.zero_weight;
}

// Are the constraints affine in the continuous issues, package by package? Only where the
// caller shows it from their formulas (problem.linear_constraints), as for the payoffs
// (EnumerateCorners): a constraint that bends between the points where it was evaluated would
// cut the box in the wrong place. Without continuous issues a constraint is a number per
// package, which the cut reads exactly.
bool ConstraintsLinear(const AgreementProblem& problem, const Layout& layout,
                       const std::vector<Candidate>& candidates) {
  if (problem.constraints.empty() || layout.continuous.empty()) return true;
  if (!problem.linear_constraints) return false;
  const std::size_t corners = std::size_t{1} << layout.continuous.size();
  for (std::size_t first = 0; first < candidates.size(); first += corners)
    if (!problem.linear_constraints(candidates[first].issues)) return false;
  return true;
}

constexpr std::size_t kMaxCutPoints = 20000;

// Cut's working vectors, kept with a preparation so that cutting again allocates nothing:
// `spare` holds candidates whose storage the next crossings reuse.
struct CutScratch {
  std::vector<Candidate> kept, spare;
  std::vector<std::size_t> start, order, next;
  std::vector<Candidate*> inside, outside;
  std::vector<double> in_value, out_value;
  std::vector<double> values;  // value(candidate k), in the candidates' order
};

// Cuts each package's points by value(candidate) <= 0: keeps the points that satisfy it and
// adds, for every pair on opposite sides, the point where the segment crosses the boundary.
// The hull of the result is exactly the package's hull cut by the half-space (value affine
// along each segment). Points come with their issues and payoffs; `evaluate` gives the payoffs
// of a crossing's issues (exact for affine payoffs). Returns false, leaving *candidates in an
// unspecified state (some moved from), at a value that is not finite (a constraint shown
// linear from its formula may still divide by 0 at a corner): no cut is defined then.
// A point is on the boundary within 1e-12 of the constraint's own magnitude (its largest
// |value| over the points), not of a magnitude floored at 1: a constraint written in units of
// 1e-13 cuts as the same constraint in units of 1 does.
template <typename Value>
[[nodiscard]] bool Cut(std::vector<Candidate>* candidates, std::size_t packages, Value value,
                       const UtilityOracle& utility, CutScratch& scratch) {
  std::vector<Candidate>& kept = scratch.kept;
  kept.clear();
  std::vector<double>& values = scratch.values;
  values.resize(candidates->size());
  double scale = 0;
  for (std::size_t k = 0; k < candidates->size(); ++k) {
    values[k] = value((*candidates)[k]);
    if (!std::isfinite(values[k])) return false;
    scale = std::max(scale, std::abs(values[k]));
  }
  // Each package's candidates in their order (a counting sort of their indices): one pass
  // over the candidates, not one per package (thousands of packages of discrete options).
  std::vector<std::size_t>& start = scratch.start;
  std::vector<std::size_t>& order = scratch.order;
  std::vector<std::size_t>& next = scratch.next;
  start.assign(packages + 1, 0);
  order.resize(candidates->size());
  for (const Candidate& c : *candidates) ++start[c.package + 1];
  for (std::size_t p = 0; p < packages; ++p) start[p + 1] += start[p];
  next.assign(start.begin(), start.end() - 1);
  for (std::size_t k = 0; k < candidates->size(); ++k) order[next[(*candidates)[k].package]++] = k;
  std::vector<Candidate*>& inside = scratch.inside;
  std::vector<Candidate*>& outside = scratch.outside;
  std::vector<double>& in_value = scratch.in_value;
  std::vector<double>& out_value = scratch.out_value;
  for (std::size_t p = 0; p < packages; ++p) {
    inside.clear();
    outside.clear();
    in_value.clear();
    out_value.clear();
    for (std::size_t k = start[p]; k < start[p + 1]; ++k) {
      Candidate& c = (*candidates)[order[k]];
      const double v = values[order[k]];
      if (v <= 1e-12 * scale) {
        inside.push_back(&c);
        in_value.push_back(v);
      } else {
        outside.push_back(&c);
        out_value.push_back(v);
      }
    }
    for (std::size_t a = 0; a < inside.size(); ++a) {
      if (in_value[a] > -1e-12 * scale) continue;  // on the boundary already
      for (std::size_t b = 0; b < outside.size(); ++b) {
        const double t = in_value[a] / (in_value[a] - out_value[b]);
        // A crossing takes the storage of a candidate an earlier cut left (scratch.spare).
        Candidate& c = AppendCandidate(kept, scratch.spare);
        c.package = p;
        c.issues.resize(inside[a]->issues.size());
        for (std::size_t i = 0; i < c.issues.size(); ++i)
          c.issues[i] = inside[a]->issues[i] + t * (outside[b]->issues[i] - inside[a]->issues[i]);
        utility(c.issues, &c.payoffs);
        if (kept.size() + inside.size() > kMaxCutPoints)  // with this package's, moved below
          throw LimitError("the bargain's constraints cut its issue box into more than 20000 "
                           "points; use fewer continuous issues or constraints");
      }
    }
    // The points kept are moved, not copied (the crossings above were made from them first);
    // the order does not matter, as all are sorted below.
    for (Candidate* c : inside) kept.push_back(std::move(*c));
  }
  // Drop exact duplicates (the same crossing reached from several pairs).
  std::sort(kept.begin(), kept.end(), [](const Candidate& a, const Candidate& b) {
    return a.package != b.package ? a.package < b.package : a.issues < b.issues;
  });
  auto last = std::unique(kept.begin(), kept.end(), [](const Candidate& a, const Candidate& b) {
    return a.package == b.package && a.issues == b.issues;
  });
  // The candidates cut away (and the duplicates) keep their storage for the next cut's
  // crossings; those moved into `kept` are empty and are dropped.
  for (Candidate& c : *candidates)
    if (c.issues.capacity() > 0 || c.payoffs.capacity() > 0) scratch.spare.push_back(std::move(c));
  for (auto it = last; it != kept.end(); ++it) scratch.spare.push_back(std::move(*it));
  kept.erase(last, kept.end());
  candidates->swap(kept);
  return true;
}

// The issue bounds and constraints active at issue values x (within 1e-9 of their scale),
// written over *binding: its strings' storage reused, those it drops kept in *spare.
}  // namespace

bool ConstraintBinds(const AgreementProblem& problem, const AgreementConstraint& constraint, const Vector& x,
                     Vector* corner, double tolerance) {
  const double v = constraint.value(x);
  if (!std::isfinite(v)) return false;
  double scale = std::abs(v);
  for (bool upper : {false, true}) {
    corner->assign(x.begin(), x.end());
    for (std::size_t i = 0; i < x.size() && i < problem.issues.size(); ++i)
      if (!problem.issues[i].discrete) (*corner)[i] = upper ? problem.issues[i].upper : problem.issues[i].lower;
    const double at = constraint.value(*corner);
    if (std::isfinite(at)) scale = std::max(scale, std::abs(at));
  }
  return std::abs(v) <= tolerance * scale;
}

namespace {

// `tolerance`: relative, 1e-12 for an agreement the exact method found (a vertex or an edge of
// the cut polytope, to rounding), 1e-9 for the nonlinear method's (SLSQP's precision).
void BindingInto(const AgreementProblem& problem, const Vector& x, double tolerance,
                 std::vector<std::string>* binding, std::vector<std::string>* spare, Vector* corner) {
  std::size_t count = 0;
  auto next = [&]() -> std::string& {
    if (count == binding->size()) model::ResizeKeeping(*binding, count + 1, *spare);
    std::string& text = (*binding)[count++];
    text.clear();
    return text;
  };
  if (x.size() == problem.issues.size()) {
    // A constraint binds within `tolerance` of its own magnitude: the largest |value| at x and
    // at the box's lowest and highest corners (the continuous issues at their bounds, x's
    // discrete ones kept), not a magnitude floored at 1 (a constraint in units of 1e-13 bound
    // everywhere). The corners are written over `corner` (no allocation once it has grown).
    for (const AgreementConstraint& constraint : problem.constraints)
      if (ConstraintBinds(problem, constraint, x, corner, tolerance)) next().assign(constraint.text);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const AgreementIssue& issue = problem.issues[i];
      if (issue.discrete || !(issue.upper > issue.lower) || !std::isfinite(x[i])) continue;
      // Past a bound (an ulp, from rounding) is at it; the tolerance is never below a few ulps
      // of the bounds' magnitude (1e-12 of a range 1e-5 wide is less than an ulp at 0.689).
      const double tol = std::max(tolerance * (issue.upper - issue.lower),
                                  4 * std::numeric_limits<double>::epsilon() *
                                      std::max(std::abs(issue.lower), std::abs(issue.upper)));
      const bool at_lower = x[i] <= issue.lower + tol;
      if (!at_lower && !(x[i] >= issue.upper - tol)) continue;
      std::string& text = next();
      text.append(issue.name).append(" = ");
      AppendDouble(&text, at_lower ? issue.lower : issue.upper);
    }
  }
  model::ResizeKeeping(*binding, count, *spare);
}

std::vector<std::string> Binding(const AgreementProblem& problem, const Vector& x, double tolerance) {
  std::vector<std::string> binding, spare;
  Vector corner;
  BindingInto(problem, x, tolerance, &binding, &spare, &corner);
  return binding;
}

// Payoffs of every player under a lottery over candidates.
Vector Lift(const std::vector<Candidate>& candidates, const Vector& lottery, std::size_t n) {
  Vector u(n, 0);
  for (std::size_t c = 0; c < candidates.size() && c < lottery.size(); ++c)
    for (std::size_t i = 0; i < n; ++i) u[i] += lottery[c] * candidates[c].payoffs[i];
  return u;
}

// Everyone's payoffs at one end of a tie that the hull method found over the parties' payoffs
// (`hull`, projected on the parties in `at_table` order, its points in the order of `full`):
// the parties keep the end's payoffs; a player not at the table gets what an agreement giving
// the parties those payoffs pays it, not its disagreement value. That agreement is a candidate
// at the end (within 1e-12 of each party's magnitude: an end is usually a corner of the
// hull), or else a lottery the LP finds within 1e-9 of it. When several agreements give the
// parties the same payoffs, the first such candidate's (or the LP's lottery's) payoffs are
// reported, as for the solution itself. Should neither be found, the nearest candidate's.
Vector LiftTie(const Hull& hull, const std::vector<Candidate>& full, const std::vector<std::size_t>& at_table,
               const Vector& tie, std::size_t n) {
  const std::size_t parties = tie.size();
  auto with_tie = [&](Vector u) {
    for (std::size_t q = 0; q < parties && q < at_table.size(); ++q) u[at_table[q]] = tie[q];
    return u;
  };
  std::size_t nearest = 0;
  double distance = INFINITY;
  for (std::size_t k = 0; k < hull.points.size() && k < full.size(); ++k) {
    double far = 0;
    for (std::size_t q = 0; q < parties; ++q)
      far = std::max(far, std::abs(hull.points[k][q] - tie[q]) / hull.player_scale[q]);
    if (far < distance) {
      distance = far;
      nearest = k;
    }
  }
  if (distance <= 1e-12) return with_tie(full[nearest].payoffs);
  Vector lower(parties), upper(parties);
  for (std::size_t q = 0; q < parties; ++q) {
    const double tolerance = 1e-9 * hull.player_scale[q];
    lower[q] = tie[q] - tolerance;
    upper[q] = tie[q] + tolerance;
  }
  internal::HullLp lp = internal::OptimizeOverHull(hull.points, lower, {}, {}, upper);
  if (lp.feasible) return with_tie(Lift(full, lp.lambda, n));
  return with_tie(full.empty() ? Vector(n, 0.0) : full[nearest].payoffs);
}

// The exact method over candidates (already cut by the constraints and floors), with the
// concept over the players in `at_table` only: their payoffs are what the hull method sees;
// everyone's payoffs are lifted back from the lotteries over the candidates.
// Written over *out (its storage reused), with `scratch` for the hull and the projection.
void SolveExact(const AgreementProblem& problem, const std::vector<Candidate>& candidates,
                std::size_t packages, const Vector& d, const std::vector<std::size_t>& at_table,
                const Vector& weights, ExactScratch& scratch, AgreementResult* out_ptr) {
  AgreementResult& out = *out_ptr;
  const std::size_t n = d.size();
  bool identity = at_table.size() == n;
  for (std::size_t q = 0; q < at_table.size() && identity; ++q) identity = at_table[q] == q;
  // The problem on the table's parties, field by field over the kept one (its storage reused):
  // without parties, constraints (the candidates satisfy them), the affinity checks or the
  // payoffs' names (its players are the table's, renumbered).
  AgreementProblem& projected = scratch.projected;
  projected.issues = problem.issues;
  projected.concept_kind = problem.concept_kind;
  projected.lotteries = problem.lotteries;
  projected.all_concepts = problem.all_concepts;
  projected.parties.clear();
  projected.constraints.clear();
  projected.protocol = problem.protocol;
  projected.alternating = problem.alternating;
  projected.rule = problem.rule;
  projected.inside = problem.inside;
  projected.weights.clear();
  projected.affine = nullptr;
  projected.linear_constraints = nullptr;
  projected.payoff_name = nullptr;
  Vector& dp = scratch.dp;
  dp.clear();
  for (std::size_t i : at_table) {
    dp.push_back(d[i]);
    projected.weights.push_back(weights[i]);
  }
  if (problem.weights.empty()) projected.weights.clear();
  projected.disagreement.assign(dp.begin(), dp.end());
  // The hull's own copy (MakeHull snaps tiny payoffs), projected on the table's parties,
  // written over the candidates the last MakeHull swapped out.
  std::vector<Candidate>& own = scratch.candidates;
  model::ResizeKeeping(own, candidates.size(), scratch.spare_candidates);
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const Candidate& c = candidates[k];
    own[k].issues.assign(c.issues.begin(), c.issues.end());
    own[k].package = c.package;
    if (identity) {
      own[k].payoffs.assign(c.payoffs.begin(), c.payoffs.end());
    } else {
      own[k].payoffs.clear();
      for (std::size_t i : at_table) own[k].payoffs.push_back(c.payoffs[i]);
    }
  }
  MakeHull(own, packages, dp, scratch.hull);
  std::vector<std::string> binding;  // out's, its storage kept through SolveHull's reset
  binding.swap(out.binding);
  SolveHull(projected, scratch.hull, &out, /*with_points=*/false);
  // The hull's candidates are `candidates` in the same order (MakeHull only snaps tiny
  // payoffs): the points are everyone's payoffs.
  const std::vector<Candidate>& full = candidates;
  model::ResizeKeeping(out.points, full.size(), scratch.hull.scratch.spare_points);
  for (std::size_t k = 0; k < full.size(); ++k) out.points[k].assign(full[k].payoffs.begin(), full[k].payoffs.end());
  if (!identity) {
    // Everyone's payoffs from the lotteries over the candidates.
    const std::vector<Candidate>& lifted = full;
    Vector ideal(n), dd = d;
    for (std::size_t i = 0; i < n; ++i) {
      ideal[i] = -INFINITY;
      for (const Vector& u : out.points) ideal[i] = std::max(ideal[i], u[i]);
    }
    for (std::size_t q = 0; q < at_table.size(); ++q)
      if (q < out.result.ideal.size()) ideal[at_table[q]] = out.result.ideal[q];
    // A player not at the table: its best among the agreements that leave every party at least
    // its disagreement value, as the ideal point is defined (its best over all agreements was
    // shown, 3 where the parties' floors allow 2.2).
    if (out.agreement_possible && !out.points.empty()) {
      Vector lower(n), low_parties;
      std::vector<Vector> party_points;
      for (const Vector& u : out.points) {
        Vector p;
        for (std::size_t i : at_table) p.push_back(u[i]);
        party_points.push_back(std::move(p));
      }
      Vector party_d;
      for (std::size_t i : at_table) party_d.push_back(d[i]);
      low_parties = internal::MeetingD(party_points, party_d);
      for (std::size_t i = 0; i < n; ++i) {
        lower[i] = INFINITY;
        for (const Vector& u : out.points) lower[i] = std::min(lower[i], u[i]);
        lower[i] -= 1;
      }
      for (std::size_t q = 0; q < at_table.size(); ++q) lower[at_table[q]] = low_parties[q];
      for (std::size_t i = 0; i < n; ++i) {
        if (std::find(at_table.begin(), at_table.end(), i) != at_table.end()) continue;
        Vector objective(n, 0.0);
        objective[i] = 1;
        internal::HullLp best = internal::OptimizeOverHull(out.points, lower, {}, objective);
        if (best.feasible) ideal[i] = best.objective;
      }
    }
    out.result.ideal = ideal;
    out.result.disagreement = dd;
    out.result.frontier.reset();
    out.result.pareto_vertices.clear();
    for (Solution& s : out.result.solutions) {
      if (s.lottery.size() == lifted.size()) {
        s.payoffs = Lift(lifted, s.lottery, n);
      }
      Vector w(n, 0);
      for (std::size_t q = 0; q < at_table.size() && q < s.weights.size(); ++q) w[at_table[q]] = s.weights[q];
      s.weights = w;
      for (Vector& tie : s.ties) tie = LiftTie(scratch.hull, full, at_table, tie, n);
    }
    if (out.agreement_possible) {
      const Solution* chosen = Pick(out.result, projected);
      if (chosen) out.payoffs = chosen->payoffs;
    } else {
      out.payoffs = d;
    }
  }
  out.optimality = Optimality::kExact;
  if (out.agreement_possible && !out.lottery)
    BindingInto(problem, out.issue_values, 1e-12, &binding, &scratch.spare_binding, &scratch.corner);
  else
    model::ResizeKeeping(binding, 0, scratch.spare_binding);
  out.binding.swap(binding);
}

// ---- The nonlinear method ------------------------------------------------------------------

struct NonlinearPackage {
  internal::NlpSpace space;
  internal::NlpSamples samples;
  Vector x;  // the issue vector with the package's discrete values
};

struct Nonlinear {
  const AgreementProblem* problem;
  const UtilityOracle* utility;
  Layout layout;
  std::vector<NonlinearPackage> packages;

  Vector Issues(std::size_t p, const Vector& y) const {
    Vector x = packages[p].x;
    for (std::size_t j = 0; j < layout.continuous.size(); ++j) x[layout.continuous[j]] = y[j];
    return x;
  }
};

Nonlinear MakeNonlinear(const AgreementProblem& problem, const UtilityOracle& utility, const Layout& layout) {
  Nonlinear nl{&problem, &utility, layout, {}};
  const std::size_t n = problem.disagreement.size();
  nl.packages.resize(layout.packages);
  for (std::size_t p = 0; p < layout.packages; ++p) {
    NonlinearPackage& package = nl.packages[p];
    package.x.assign(problem.issues.size(), 0);
    std::size_t rest = p;
    for (std::size_t i : layout.discrete) {
      const auto& options = problem.issues[i].values;
      package.x[i] = options[rest % options.size()];
      rest /= options.size();
    }
    for (std::size_t i : layout.continuous) {
      package.space.lower.push_back(problem.issues[i].lower);
      package.space.upper.push_back(problem.issues[i].upper);
    }
    package.space.players = n;
    package.space.constraints = problem.constraints.size();
    const Vector base = package.x;
    const std::vector<std::size_t> continuous = layout.continuous;
    const AgreementProblem* pp = &problem;
    const UtilityOracle* up = &utility;
    // At an agreement the search evaluates (a point of the box that satisfies the
    // constraints) the payoffs must be finite and within kMaxMagnitude, or the bargain is
    // refused. Other points are no agreements: sqrt(1 - x - y) beside x + y <= 1 is not a
    // number where the constraint fails, and SLSQP may try an iterate that is not a number.
    package.space.evaluate = [base, continuous, pp, up](const Vector& y, Vector* u, Vector* g) {
      Vector x = base;
      bool feasible = true;
      for (std::size_t j = 0; j < continuous.size(); ++j) {
        const AgreementIssue& issue = pp->issues[continuous[j]];
        x[continuous[j]] = y[j];
        feasible = feasible && y[j] >= issue.lower && y[j] <= issue.upper;
      }
      (*up)(x, u);
      g->resize(pp->constraints.size());
      for (std::size_t c = 0; c < pp->constraints.size(); ++c) {
        (*g)[c] = pp->constraints[c].value(x);
        feasible = feasible && (*g)[c] <= 0;
      }
      if (feasible) CheckPayoffsAt(*pp, x, *u);
    };
  }
  for (NonlinearPackage& package : nl.packages) package.samples = internal::SampleSpace(package.space);
  return nl;
}

// The best point over every package for one program; package index in *package.
internal::NlpPoint BestOverPackages(const Nonlinear& nl, const internal::NlpForm& form, std::size_t* package) {
  internal::NlpPoint best;
  for (std::size_t p = 0; p < nl.packages.size(); ++p) {
    internal::NlpPoint point = internal::SolveNlp(nl.packages[p].space, nl.packages[p].samples, form);
    // A point found may violate a constraint within the search's tolerance, which the check
    // in the evaluation skips: what is reported is checked all the same.
    if (point.found) CheckPayoffsAt(*nl.problem, nl.Issues(p, point.y), point.u);
    if (point.found && (!best.found || point.objective > best.objective)) {
      best = std::move(point);
      *package = p;
    }
  }
  return best;
}

std::string SearchText(const Nonlinear& nl, const internal::NlpPoint& point) {
  const auto& samples = nl.packages.front().samples;
  return std::to_string(samples.y.size()) + " sampled agreements per package (" +
         std::to_string(nl.packages.size()) + " package" + (nl.packages.size() > 1 ? "s" : "") +
         "), then SLSQP from the best " + std::to_string(point.starts) +
         " (NLopt), derivatives by finite differences";
}

bool AllConcave(const Nonlinear& nl) {
  for (const auto& p : nl.packages)
    if (!p.samples.concave) return false;
  return true;
}

// A solution from a program's point.
Solution MakeSolution(const Nonlinear& nl, Concept concept_kind, const Vector& weights,
                      const std::vector<std::size_t>& parties, const internal::NlpPoint& point,
                      std::size_t package) {
  const std::vector<std::size_t>& at_table = parties;
  const std::size_t n = nl.problem->disagreement.size();
  Solution s;
  s.concept_kind = concept_kind;
  s.payoffs = point.u;
  s.issues = nl.Issues(package, point.y);
  const bool kkt = point.kkt_residual <= internal::kKktTolerance;
  const bool concave = AllConcave(nl);
  s.precision = kkt && concave ? Precision::kKktPoint : Precision::kBestFound;
  s.gap = point.kkt_residual;
  s.method = SearchText(nl, point) + "; KKT residual " + FormatDouble(point.kkt_residual) +
             (kkt ? " (a KKT point)" : " (not a KKT point to 1e-9)") +
             (concave ? "; concavity sampled (not proven)" : "; not concave (sampled): best found");
  const bool uses_weights = Info(concept_kind).uses_weights;
  s.weights.assign(n, 0);
  for (std::size_t i : at_table) s.weights[i] = uses_weights ? weights[i] : 1.0;
  bool equal = true;
  for (std::size_t i : at_table) equal = equal && s.weights[i] == s.weights[at_table.front()];
  s.weighted = uses_weights && !equal;
  return s;
}

struct NonlinearAnswer {
  Solution solution;
  internal::NlpPoint point;
  std::size_t package = 0;
  bool found = false;
};

using Floors = std::vector<std::pair<std::size_t, double>>;

// Adds a row over the payoffs only (a + c <= 0) to a program, its starting points filtered by it.
void AddRow(internal::NlpRow row, internal::NlpForm* form) {
  row.b.assign(form->extra, 0);
  form->rows.push_back(row);
  auto start = form->start;
  form->start = [start, row](const Vector& u, Vector* z, double* objective) {
    double v = row.c;
    for (std::size_t k = 0; k < row.a.size(); ++k) v += row.a[k] * u[k];
    return v <= 0 && start(u, z, objective);
  };
}

// One concept (one weighting) over the packages; utilitarian ties flagged and broken by the
// Nash product among the optimal agreements.
NonlinearAnswer SolveConceptNl(const Nonlinear& nl, Concept concept_kind, const Vector& weights,
                               const std::vector<std::size_t>& parties, const Vector& d,
                               const Vector& ideal, const Floors& base_floors, const Vector& player_scale) {
  const std::size_t n = d.size();
  std::vector<std::size_t> at_table;
  Floors floors = base_floors;
  for (std::size_t i : parties) {
    if (Info(concept_kind).uses_weights && weights[i] == 0) floors.emplace_back(i, d[i]);
    else at_table.push_back(i);
  }
  NonlinearAnswer answer;
  internal::NlpForm form;
  if (at_table.size() == 1) {
    form = internal::IdealForm(n, at_table[0], at_table, d, floors);
  } else {
    form = internal::ConceptForm(concept_kind, n, at_table, weights, d, ideal, floors, player_scale);
  }
  answer.point = BestOverPackages(nl, form, &answer.package);
  if (!answer.point.found) return answer;
  answer.found = true;
  answer.solution = MakeSolution(nl, concept_kind, weights, parties, answer.point, answer.package);
  if (Info(concept_kind).ties_by_nash_product && at_table.size() >= 2) {
    // The ends of the optimal set: each party's best among agreements within 1e-12 (relative to
    // the weighted sum's magnitude) of the optimal weighted sum. Distinct ends (1e-5 of a
    // player's magnitude) are a tie: near a strict, smooth optimum the ends stay within about
    // sqrt(1e-12) of it.
    const double optimum = answer.point.objective;
    double sum_scale = std::abs(optimum);
    for (std::size_t i : at_table) sum_scale = std::max(sum_scale, std::abs(weights[i]) * player_scale[i]);
    internal::NlpRow row;
    row.c = optimum - 1e-12 * sum_scale;
    row.a.assign(n, 0);
    for (std::size_t i : at_table) row.a[i] = -weights[i];
    std::vector<Vector> ends;
    for (std::size_t i : at_table) {
      internal::NlpForm end = internal::IdealForm(n, i, at_table, d, floors);
      AddRow(row, &end);
      std::size_t package = 0;
      internal::NlpPoint point = BestOverPackages(nl, end, &package);
      if (!point.found) continue;
      bool seen = false;
      for (const Vector& e : ends) {
        double distance = 0;
        for (std::size_t k = 0; k < n; ++k)
          distance = std::max(distance, std::abs(e[k] - point.u[k]) / std::max(player_scale[k], std::abs(e[k])));
        seen = seen || distance <= 1e-5;
      }
      if (!seen) ends.push_back(point.u);
    }
    if (ends.size() >= 2) {
      Vector ones(n, 0);
      for (std::size_t i : at_table) ones[i] = 1;
      internal::NlpForm nash = internal::ConceptForm(Concept::kNash, n, at_table, ones, d, ideal, floors, player_scale);
      AddRow(row, &nash);
      std::size_t package = 0;
      internal::NlpPoint point = BestOverPackages(nl, nash, &package);
      if (point.found) {
        Solution s = MakeSolution(nl, concept_kind, weights, parties, point, package);
        // The ends are the optimal agreements best for each party; those between them need not
        // be optimal (over y <= (1 - x)^2 the sum x + y is 1 at (1, 0) and (0, 1) only).
        s.method += "; a tie (the listed ends are the optimal agreements best for each party), broken by the "
                    "Nash solution among the optimal agreements";
        answer.solution = std::move(s);
        answer.point = point;
        answer.package = package;
      }
      answer.solution.ties = ends;
    }
  }
  return answer;
}

// The nonlinear method for the axiomatic concepts: the ideal point, then each concept.
AgreementResult SolveNonlinear(const AgreementProblem& problem, const Nonlinear& nl, const Vector& d,
                               const std::vector<std::size_t>& parties, const Vector& weights,
                               const Floors& floors) {
  const std::size_t n = d.size();
  AgreementResult out;
  out.issues = problem.issues;
  out.result.disagreement = d;
  for (const AgreementIssue& issue : problem.issues) out.result.issue_names.push_back(issue.name);
  // Each player's magnitude: its largest |u_i - d_i| over the samples, in its own units (a
  // player with no such gain anywhere gets 1; it has nothing to gain and the gain test says so).
  Vector player_scale(n, 0.0);
  for (const auto& package : nl.packages)
    for (const Vector& u : package.samples.u)
      for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(u[i])) player_scale[i] = std::max(player_scale[i], std::abs(u[i] - d[i]));
  double smallest_scale = kInfinity;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(player_scale[i] > 0)) player_scale[i] = 1;
    if (std::find(parties.begin(), parties.end(), i) != parties.end())
      smallest_scale = std::min(smallest_scale, player_scale[i]);
  }
  // The ideal point: each party's best among agreements at least d for every party.
  Vector ideal(n, -INFINITY);
  bool ir = true;
  for (const auto& package : nl.packages)
    for (const Vector& u : package.samples.u)
      for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(u[i])) ideal[i] = std::max(ideal[i], u[i]);
  // An agreement the ideal point's searches met that gives every party a gain (the searches
  // below must then find one too).
  std::optional<Vector> gaining_issues;
  for (std::size_t i : parties) {
    std::size_t package = 0;
    internal::NlpPoint point = BestOverPackages(nl, internal::IdealForm(n, i, parties, d, floors), &package);
    if (!point.found) {
      ir = false;
      break;
    }
    ideal[i] = point.u[i];
    bool gains = true;
    for (std::size_t q : parties) gains = gains && point.u[q] - d[q] > 1e-9 * player_scale[q];
    if (gains && !gaining_issues) gaining_issues = nl.Issues(package, point.y);
  }
  // A player not at the table: its best among agreements that leave every party at least d.
  if (ir)
    for (std::size_t i = 0; i < n; ++i) {
      if (std::find(parties.begin(), parties.end(), i) != parties.end()) continue;
      std::size_t package = 0;
      internal::NlpPoint point = BestOverPackages(nl, internal::IdealForm(n, i, parties, d, floors), &package);
      if (point.found) ideal[i] = point.u[i];
    }
  out.result.ideal = ideal;
  // Is there a strict gain for every party? The egalitarian program says.
  std::size_t package = 0;
  internal::NlpPoint gain = ir ? BestOverPackages(nl, internal::ConceptForm(Concept::kEgalitarian, n, parties, weights, d, ideal, floors, player_scale), &package)
                               : internal::NlpPoint{};
  if (!ir || !gain.found || !(gain.objective > 1e-9 * smallest_scale)) {
    // The search for a common gain missed one the ideal point's searches met: the sampled
    // agreements straddle it (payoffs that jump where a condition on the issues switches, a
    // window narrower than the samples' spacing). "Talks fail" would be false: refused.
    if (ir && gaining_issues) {
      std::string where;
      for (std::size_t k = 0; k < problem.issues.size() && k < gaining_issues->size(); ++k)
        where += (k ? ", " : "") + problem.issues[k].name + " = " + FormatSignificant((*gaining_issues)[k], 10);
      throw ValidationError("the search for the agreement failed: an agreement (" + where +
                            ") gives every party more than the disagreement point, but the search from the "
                            "sampled agreements found none (the payoffs may jump between them, where a condition "
                            "on the issues switches); make the payoffs continuous in the issues, or narrow the "
                            "issues' ranges around it");
    }
    out.agreement_possible = false;
    for (std::size_t i : parties) out.result.ideal[i] = std::max(ir ? ideal[i] : d[i], d[i]);
    out.payoffs = d;
    out.issue_values.assign(problem.issues.size(), std::numeric_limits<double>::quiet_NaN());
    out.search = SearchText(nl, gain);
    out.optimality = Optimality::kBestFound;
    return out;
  }
  Vector party_weights = weights;
  for (Concept c : AllConcepts()) {
    if (!problem.all_concepts && c != problem.concept_kind) continue;
    std::vector<Vector> weightings;
    Vector ones(n, 0);
    for (std::size_t i : parties) ones[i] = 1;
    bool equal = true;
    for (std::size_t i : parties) equal = equal && weights[i] == weights[parties.front()];
    if (!Info(c).uses_weights) weightings = {ones};
    else if (Info(c).symmetric_beside_weighted && !equal) weightings = {ones, weights};
    else weightings = {weights};
    for (const Vector& w : weightings) {
      NonlinearAnswer answer = SolveConceptNl(nl, c, w, parties, d, ideal, floors, player_scale);
      if (!answer.found) continue;
      out.result.solutions.push_back(answer.solution);
      out.solution_terms.push_back(AgreementTerms{{AgreementPackage{1, answer.solution.issues}}});
      out.solution_issue_values.push_back(answer.solution.issues);
    }
  }
  AgreementProblem pick = problem;
  Vector party_w;
  for (std::size_t i : parties) party_w.push_back(weights[i]);
  pick.weights = problem.weights.empty() ? Vector{} : party_w;
  const Solution* chosen = Pick(out.result, pick);
  if (!chosen) throw ValidationError("the bargaining solution could not be computed");
  out.payoffs = chosen->payoffs;
  out.issue_values = chosen->issues;
  out.terms = AgreementTerms{{AgreementPackage{1, chosen->issues}}};
  out.optimality = chosen->precision == Precision::kKktPoint ? Optimality::kKktPoint : Optimality::kBestFound;
  out.kkt_residual = chosen->gap;
  out.search = chosen->method;
  out.binding = Binding(problem, out.issue_values, 1e-9);
  return out;
}

// ---- The feasible set, prepared once: exact (candidates) or nonlinear ----------------------

struct Prepared {
  Layout layout;
  bool exact = false;
  std::vector<Candidate> candidates;  // exact: cut by the constraints
  std::optional<Nonlinear> nonlinear;
  CornerScratch corners;              // EnumerateCorners' working vectors
  CutScratch cut;                     // Cut's
  mutable ExactScratch solve;         // SolveExact's, for the solves of this preparation
  Table table;                        // SolveAgreementInto's, when it is given this preparation
};

// Written over `prepared` (its storage reused).
void Prepare(const AgreementProblem& problem, const UtilityOracle& utility, AgreementMethod method,
             bool zero_weight, Prepared& prepared) {
  prepared.exact = false;
  prepared.nonlinear.reset();
  MakeLayout(problem, prepared.layout);
  const Layout& layout = prepared.layout;
  const bool may_search = method == AgreementMethod::kExactOrSearch;
  Corners corners = Corners::kNotAffine;
  if (layout.continuous.size() > kMaxContinuousIssues && !may_search)
    throw ValidationError("a bargain has more than 12 continuous issues");
  if (layout.continuous.size() <= kMaxContinuousIssues)
    corners = EnumerateCorners(problem, utility, layout, &prepared.candidates, prepared.corners,
                               &prepared.cut.spare);
  else
    prepared.candidates.clear();
  bool linear = corners == Corners::kAffine && ConstraintsLinear(problem, layout, prepared.candidates);
  if (linear && !zero_weight) {
    // A constraint that is not finite at some point is not linear there (as the numerical
    // check finds when it runs): the search below, or the refusal, as for one that is not.
    for (const AgreementConstraint& constraint : problem.constraints)
      if (linear)
        linear = Cut(&prepared.candidates, layout.packages,
                     [&](const Candidate& c) { return constraint.value(c.issues); }, utility, prepared.cut);
    if (linear) {
      prepared.exact = true;
      if (prepared.candidates.empty())
        throw ValidationError("no agreement satisfies the bargain's constraints (" +
                              problem.constraints.front().text + (problem.constraints.size() > 1 ? ", ..." : "") + ")");
      return;
    }
  }
  // A weight of 0 is honoured by the nonlinear method (a floor u_i >= d_i beside the concept),
  // whatever the caller allows: the payoffs themselves are affine.
  if (!may_search && !(linear && zero_weight)) {
    if (corners == Corners::kNotFinite) {
      // Refused as the nonlinear method refuses it, naming the payoff and the corner.
      CheckPayoffsAt(problem, prepared.corners.x, prepared.corners.u);
      PARLEY_CHECK(false);  // a payoff at that corner is not finite
    }
    throw ValidationError(NotAffineMessage(problem, layout));
  }
  if (layout.continuous.empty())
    throw ValidationError("a bargain with only discrete issues and a constraint that is not linear is "
                          "not supported; drop the packages that break it");
  prepared.candidates.clear();
  prepared.nonlinear = MakeNonlinear(problem, utility, layout);
}

// The axiomatic concept over the prepared set, disagreement point d, `floors` beyond it.
// Written over *out (its storage reused where the exact method solves).
void SolveAxiomatic(const AgreementProblem& problem, const UtilityOracle& utility,
                    const Prepared& prepared, const Table& table, const Vector& d,
                    const Floors& floors, AgreementResult* out) {
  if (prepared.exact) {
    // The prepared candidates, or a copy cut by the floors.
    std::vector<Candidate> cut;
    CutScratch cut_scratch;
    if (!floors.empty()) {
      cut = prepared.candidates;
      for (const auto& [i, value] : floors) {
        const std::size_t who = i;
        const double floor = value;
        if (!Cut(&cut, prepared.layout.packages, [who, floor](const Candidate& c) { return floor - c.payoffs[who]; },
                 utility, cut_scratch))
          throw ValidationError("an outside option of the bargain is not a finite number");
      }
    }
    const std::vector<Candidate>& candidates = floors.empty() ? prepared.candidates : cut;
    if (candidates.empty()) {
      *out = AgreementResult{};
      out->issues = problem.issues;
      out->agreement_possible = false;
      out->result.disagreement = d;
      out->result.ideal = d;
      out->payoffs = d;
      out->issue_values.assign(problem.issues.size(), std::numeric_limits<double>::quiet_NaN());
      return;
    }
    SolveExact(problem, candidates, prepared.layout.packages, d, table.parties, table.weights, prepared.solve, out);
    out->parties.assign(table.parties.begin(), table.parties.end());
    return;
  }
  *out = SolveNonlinear(problem, *prepared.nonlinear, d, table.parties, table.weights, floors);
  out->parties.assign(table.parties.begin(), table.parties.end());
}

AgreementResult SolveAxiomatic(const AgreementProblem& problem, const UtilityOracle& utility,
                               const Prepared& prepared, const Table& table, const Vector& d,
                               const Floors& floors) {
  AgreementResult out;
  SolveAxiomatic(problem, utility, prepared, table, d, floors, &out);
  return out;
}

// ---- The frontier of two parties, for alternating offers and outside options ---------------

struct FrontierPoint {
  bool found = false;
  Vector u;                 // every player's payoff
  Vector issue_values;
  AgreementTerms terms;
  bool lottery = false;
  Optimality optimality = Optimality::kExact;
  double kkt_residual = 0;
};

// The best agreement for player `who` among those giving each party at least floor[party],
// over the convex hull of `candidates` (the exact method's corners).
FrontierPoint BestOverCandidates(const AgreementProblem& problem, const std::vector<Candidate>& candidates,
                                 std::size_t packages, const Table& table, std::size_t who, const Vector& floor) {
  const std::size_t n = floor.size();
  FrontierPoint best;
  std::vector<Vector> points;
  for (const Candidate& c : candidates) points.push_back(c.payoffs);
  Vector lower(n), objective(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    lower[i] = INFINITY;
    for (const Vector& p : points) lower[i] = std::min(lower[i], p[i]);
    lower[i] -= 1;
  }
  for (std::size_t i : table.parties) lower[i] = floor[i];
  objective[who] = 1;
  internal::HullLp lp = internal::OptimizeOverHull(points, lower, {}, objective);
  if (!lp.feasible) return best;
  // `who`'s best is often a whole edge of the frontier (it does not care how the others
  // fare there); of that edge take the end best for the other parties, so that no agreement
  // is Pareto-dominated. The LP is exact, so `who` is held at its optimum itself (and within
  // its own magnitude's rounding should GLPK's basis choice find that infeasible). The
  // second stage is taken only for a real gain to the others (above their own magnitudes'
  // rounding): a gain of rounding is none, and would cost `who` that rounding.
  Vector second(n, 0);
  for (std::size_t i : table.parties)
    if (i != who) second[i] = 1;
  Vector held = lower;
  held[who] = lp.u[who];
  internal::HullLp pareto = internal::OptimizeOverHull(points, held, {}, second);
  if (!pareto.feasible) {
    double scale = 0;
    for (const Vector& p : points) scale = std::max(scale, std::abs(p[who]));
    held[who] = lp.u[who] - 1e-12 * scale;
    pareto = internal::OptimizeOverHull(points, held, {}, second);
  }
  if (pareto.feasible) {
    bool gains = false;
    for (std::size_t i : table.parties) {
      if (i == who) continue;
      double scale = 0;
      for (const Vector& p : points) scale = std::max(scale, std::abs(p[i]));
      if (pareto.u[i] > lp.u[i] + 1e-9 * scale) gains = true;
    }
    if (gains) lp = std::move(pareto);
  }
  best.found = true;
  best.u = Lift(candidates, lp.lambda, n);
  Hull hull = MakeHull(candidates, packages, floor);
  Describe(hull, problem.issues, lp.lambda, &best.terms, &best.issue_values);
  best.lottery = best.terms.lottery();
  return best;
}

// The best agreement for player `who` among those giving each party at least floor[party]
// (lotteries between packages only where the problem allows them).
FrontierPoint BestFor(const AgreementProblem& problem, const Prepared& prepared, const Table& table,
                      std::size_t who, const Vector& floor) {
  const std::size_t n = floor.size();
  FrontierPoint best;
  if (prepared.exact) {
    const std::size_t packages = prepared.layout.packages;
    if (problem.lotteries || packages <= 1)
      return BestOverCandidates(problem, prepared.candidates, packages, table, who, floor);
    // One package at a time, the best for `who` of them; among packages within rounding of
    // that (1e-12 of the payoffs' magnitude), the one best for the other parties.
    double scale = 0;
    for (const Candidate& c : prepared.candidates) scale = std::max(scale, std::abs(c.payoffs[who]));
    auto others = [&](const FrontierPoint& point) {
      double sum = 0;
      for (std::size_t i : table.parties)
        if (i != who) sum += point.u[i];
      return sum;
    };
    std::vector<Candidate> mine;
    for (std::size_t p = 0; p < packages; ++p) {
      mine.clear();
      for (const Candidate& c : prepared.candidates)
        if (c.package == p) mine.push_back(c);
      if (mine.empty()) continue;
      FrontierPoint point = BestOverCandidates(problem, mine, packages, table, who, floor);
      if (!point.found) continue;
      const double tie = 1e-12 * scale;
      if (!best.found || point.u[who] > best.u[who] + tie ||
          (point.u[who] >= best.u[who] - tie && others(point) > others(best)))
        best = std::move(point);
    }
    return best;
  }
  const Nonlinear& nl = *prepared.nonlinear;
  std::size_t package = 0;
  internal::NlpPoint point = BestOverPackages(nl, internal::IdealForm(n, who, table.parties, floor, {}), &package);
  if (!point.found) return best;
  // As above: of `who`'s best, the end best for the others (`who` held at its optimum within
  // the search's tolerance at its own magnitude).
  if (table.parties.size() == 2) {
    const std::size_t other = table.parties[0] == who ? table.parties[1] : table.parties[0];
    const double tol = 1e-9 * std::max(std::abs(point.u[who]), std::abs(floor[who])) + 1e-300;
    std::size_t package2 = 0;
    internal::NlpPoint second = BestOverPackages(
        nl, internal::IdealForm(n, other, table.parties, floor, {{who, point.u[who] - tol}}), &package2);
    const double other_scale = std::max({std::abs(point.u[other]), std::abs(second.u[other]), std::abs(floor[other])});
    if (second.found && second.u[other] > point.u[other] + 1e-9 * other_scale) {  // a real gain only
      // A gain from an edge along which `who` keeps its best does not depend on how much of
      // the tolerance `who` gives up; one from a frontier that is steep at `who`'s best does:
      // with the other paid (1 - x)^0.1, giving up 1e-9 of x = 1 paid the other 0.126 where
      // the agreement best for `who` pays it 0. So the gain must stand with a thousandth of
      // the tolerance too (within 1e-6 of the other's magnitude).
      std::size_t package3 = 0;
      internal::NlpPoint third = BestOverPackages(
          nl, internal::IdealForm(n, other, table.parties, floor, {{who, point.u[who] - tol * 1e-3}}), &package3);
      if (third.found && third.u[other] >= second.u[other] - 1e-6 * other_scale) {
        point = second;
        package = package2;
      }
    }
  }
  best.found = true;
  best.u = point.u;
  best.issue_values = nl.Issues(package, point.y);
  best.terms = AgreementTerms{{AgreementPackage{1, best.issue_values}}};
  best.kkt_residual = point.kkt_residual;
  best.optimality = point.kkt_residual <= internal::kKktTolerance && AllConcave(nl) ? Optimality::kKktPoint
                                                                                    : Optimality::kBestFound;
  return best;
}

void TakeAgreement(const AgreementProblem& problem, const FrontierPoint& point, AgreementResult* out) {
  out->agreement_possible = true;
  out->payoffs = point.u;
  out->issue_values = point.issue_values;
  out->terms = point.terms;
  out->lottery = point.lottery;
  out->binding = point.lottery ? std::vector<std::string>{}
                                : Binding(problem, point.issue_values,
                                          point.optimality == Optimality::kExact ? 1e-12 : 1e-9);
  if (point.optimality != Optimality::kExact) {
    out->optimality = point.optimality;
    out->kkt_residual = point.kkt_residual;
  }
}

// The upper hull of points in a plane, left to right (Andrew's monotone chain), one vertex per
// first coordinate (the highest).
std::vector<std::pair<double, double>> UpperHull(std::vector<std::pair<double, double>> pts) {
  std::sort(pts.begin(), pts.end(), [](const auto& l, const auto& r) {
    return l.first < r.first || (l.first == r.first && l.second > r.second);
  });
  std::vector<std::pair<double, double>> hull;
  for (const auto& v : pts) {
    while (hull.size() >= 2) {
      const auto& o = hull[hull.size() - 2];
      const auto& m = hull.back();
      if ((m.first - o.first) * (v.second - o.second) - (m.second - o.second) * (v.first - o.first) >= 0)
        hull.pop_back();
      else break;
    }
    if (hull.empty() || hull.back().first != v.first) hull.push_back(v);
  }
  return hull;
}

// The stationary alternating offers on a polygonal frontier: P (a proposing) and Q (b
// proposing) with P_b - d_b = delta_b (Q_b - d_b) and Q_a - d_a = delta_a (P_a - d_a), solved
// on the edges of the (a, b) frontier that hold the approximations `p` and `q`. Without
// lotteries between several packages the frontier is the upper envelope of each package's
// own, and each approximation is looked for on every package's: it must lie on exactly one
// (at a crossing of two packages' frontiers nothing is refined). Returns Q_b - d_b, or nothing
// when either lies at a vertex or the solution leaves its edge.
std::optional<double> StationaryOnEdges(const Prepared& prepared, bool lotteries, std::size_t a, std::size_t b,
                                        double delta_a, double delta_b, const Vector& d, const Vector& p,
                                        const Vector& q) {
  // One frontier (the hull of every package), or one per package.
  const std::size_t groups = lotteries ? 1 : prepared.layout.packages;
  std::vector<std::vector<std::pair<double, double>>> hulls(groups);
  double scale_a = 0, scale_b = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    std::vector<std::pair<double, double>> pts;
    for (const Candidate& c : prepared.candidates)
      if (groups == 1 || c.package == g) pts.emplace_back(c.payoffs[a], c.payoffs[b]);
    hulls[g] = UpperHull(pts);
    for (const auto& v : pts) {
      scale_a = std::max(scale_a, std::abs(v.first));
      scale_b = std::max(scale_b, std::abs(v.second));
    }
  }
  // The edge strictly decreasing in b that holds u's a-coordinate inside (not at a vertex).
  struct Edge { double na, nb, c, lo, hi; };
  auto edge_of = [&](const Vector& u) -> std::optional<Edge> {
    const double tol = 1e-9 * scale_a;
    std::optional<Edge> found;
    for (const auto& hull : hulls) {
      for (std::size_t i = 0; i + 1 < hull.size(); ++i) {
        const auto& v = hull[i];
        const auto& w = hull[i + 1];
        if (u[a] >= v.first - tol && u[a] <= w.first + tol) {
          Edge e{v.second - w.second, w.first - v.first, 0, v.first, w.first};
          e.c = e.na * v.first + e.nb * v.second;
          if (std::abs(e.na * u[a] + e.nb * u[b] - e.c) > 1e-9 * (std::abs(e.na) * scale_a + e.nb * scale_b))
            continue;  // not this frontier's point
          // On this frontier: inside an edge strictly decreasing in b, and on no other.
          if (found || !(w.second < v.second) || !(u[a] > v.first + tol && u[a] < w.first - tol))
            return std::nullopt;
          found = e;
        }
      }
    }
    return found;
  };
  const std::optional<Edge> e1 = edge_of(p), e2 = edge_of(q);
  if (!e1 || !e2) return std::nullopt;
  const double c1 = e1->c - e1->na * d[a] - e1->nb * d[b], c2 = e2->c - e2->na * d[a] - e2->nb * d[b];
  const double gap = (1 - delta_a) + delta_a * (1 - delta_b);  // 1 - delta_a delta_b, without cancellation
  double xa, yb;  // P_a - d_a, Q_b - d_b
  if (e1->na == e2->na && e1->nb == e2->nb && e1->c == e2->c) {
    // One edge n . u = c: n_a X + n_b delta_b Y = C and n_a delta_a X + n_b Y = C give
    // X = C (1 - delta_b) / (n_a (1 - delta_a delta_b)), Y = C (1 - delta_a) / (n_b (...)).
    xa = c1 * (1 - delta_b) / (e1->na * gap);
    yb = c1 * (1 - delta_a) / (e1->nb * gap);
  } else {
    const double det = e1->na * e2->nb - e1->nb * e2->na * delta_a * delta_b;
    if (!(std::abs(det) > 0)) return std::nullopt;
    xa = (c1 * e2->nb - e1->nb * delta_b * c2) / det;
    yb = (c2 - e2->na * delta_a * xa) / e2->nb;
  }
  const double pa = d[a] + xa, qa = d[a] + delta_a * xa;
  if (!(pa >= e1->lo && pa <= e1->hi && qa >= e2->lo && qa <= e2->hi)) return std::nullopt;
  return yb;
}

// The best second coordinate with the first at least t, over a union of convex polygons in the
// plane of two parties (their first and second coordinates): a package's polygon allows its
// highest second coordinate up to that point's first, then the falling edges of its upper hull,
// and nothing beyond its largest first coordinate. Without lotteries between packages the
// best for one party with the other held at a floor is the largest of these over the packages.
class UnionFrontier {
 public:
  explicit UnionFrontier(const std::vector<std::vector<std::pair<double, double>>>& groups) {
    for (const std::vector<std::pair<double, double>>& pts : groups) {
      if (pts.empty()) continue;
      const std::vector<std::pair<double, double>> hull = UpperHull(pts);
      std::size_t top = 0;  // the highest vertex, the rightmost of equal ones
      for (std::size_t i = 1; i < hull.size(); ++i)
        if (hull[i].second >= hull[top].second) top = i;
      falls_.emplace_back(hull.begin() + static_cast<std::ptrdiff_t>(top), hull.end());
      edges_ += falls_.back().size();
    }
  }
  std::size_t edges() const { return edges_; }

  // -infinity when no polygon reaches first coordinate t.
  double At(double t) const {
    double best = -kInfinity;
    for (const auto& f : falls_) {
      if (t <= f.front().first) best = std::max(best, f.front().second);
      else if (t <= f.back().first) {
        std::size_t i = 0;
        while (f[i + 1].first < t) ++i;
        const auto& v = f[i];
        const auto& w = f[i + 1];
        best = std::max(best, v.second + (w.second - v.second) * ((t - v.first) / (w.first - v.first)));
      }
    }
    return best;
  }

  // The first coordinates where a polygon's piece begins or ends, or two polygons' pieces cross:
  // At is linear between consecutive ones.
  std::vector<double> Breaks() const {
    std::vector<double> out;
    struct Piece { double lo, hi, y0, slope; };  // y = y0 + slope (t - lo) on [lo, hi]
    std::vector<std::vector<Piece>> pieces;
    for (const auto& f : falls_) {
      std::vector<Piece> mine{{-kInfinity, f.front().first, f.front().second, 0}};
      for (std::size_t i = 0; i + 1 < f.size(); ++i) {
        out.push_back(f[i].first);
        mine.push_back({f[i].first, f[i + 1].first, f[i].second,
                        (f[i + 1].second - f[i].second) / (f[i + 1].first - f[i].first)});
      }
      out.push_back(f.back().first);
      pieces.push_back(std::move(mine));
    }
    for (std::size_t g = 0; g < pieces.size(); ++g)
      for (std::size_t h = g + 1; h < pieces.size(); ++h)
        for (const Piece& p : pieces[g])
          for (const Piece& q : pieces[h]) {
            const double lo = std::max(p.lo, q.lo), hi = std::min(p.hi, q.hi);
            if (!(lo <= hi) || p.slope == q.slope) continue;
            // The lines through the pieces, at a finite origin (a flat piece has no finite lo).
            const double o = std::isfinite(p.lo) ? p.lo : q.lo;
            const double yp = p.y0 + (std::isfinite(p.lo) ? p.slope * (o - p.lo) : 0);
            const double yq = q.y0 + (std::isfinite(q.lo) ? q.slope * (o - q.lo) : 0);
            const double t = o + (yq - yp) / (p.slope - q.slope);
            if (t >= lo && t <= hi) out.push_back(t);
          }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  std::vector<std::vector<std::pair<double, double>>> falls_;  // each from its highest vertex on
  std::size_t edges_ = 0;
};

// Alternating offers with no limit on rounds over a frontier that need not be concave (the exact
// method without lotteries between several packages): every solution of the stationarity
// equations, as stretches [from, to] of the first proposer's payoff x. Each is a stationary
// subgame-perfect equilibrium; over a concave frontier there is one (Rubinstein 1982). With x,
// b proposing gives a v = max(e_a, d_a + delta_a (x - d_a)) and keeps G(v), the most b has
// with a at v or more; a proposing gives b w = max(e_b, d_b + delta_b (G(v) - d_b)) and keeps
// H(w), the most a has with b at w or more; x solves H(w) = x. Both G and H are piecewise
// linear, so the map is linear between the points where v or w reaches a break of G or H (or
// an outside option): each stretch between them is solved exactly as a line. Nothing (not
// checked) above 256 frontier pieces.
std::optional<std::vector<std::pair<double, double>>> StationarySolutions(
    const Prepared& prepared, std::size_t a, std::size_t b, double delta_a, double delta_b, const Vector& d,
    const Vector* outside, double ideal_a) {
  const std::size_t packages = prepared.layout.packages;
  std::vector<std::vector<std::pair<double, double>>> ab(packages), ba(packages);
  double scale = 0;
  for (const Candidate& c : prepared.candidates) {
    ab[c.package].emplace_back(c.payoffs[a], c.payoffs[b]);
    ba[c.package].emplace_back(c.payoffs[b], c.payoffs[a]);
    scale = std::max(scale, std::abs(c.payoffs[a]));
  }
  const UnionFrontier g_of(ab), h_of(ba);
  if (g_of.edges() > 256) return std::nullopt;
  const double e_a = outside ? (*outside)[a] : -kInfinity, e_b = outside ? (*outside)[b] : -kInfinity;
  auto v_of = [&](double x) { return std::max(e_a, d[a] + delta_a * (x - d[a])); };
  auto g = [&](double v) {  // b's best with a at v or more (and both at their d)
    const double y = g_of.At(std::max(v, d[a]));
    return y >= d[b] ? y : -kInfinity;
  };
  auto phi = [&](double x) {
    const double gv = g(v_of(x));
    if (gv == -kInfinity) return -kInfinity;
    const double w = std::max(e_b, d[b] + delta_b * (gv - d[b]));
    const double h = h_of.At(std::max(w, d[b]));
    return h >= d[a] ? h - x : -kInfinity;
  };
  // The points of x where the map may bend or jump.
  std::vector<double> xs{d[a], ideal_a};
  auto add_v = [&](double v) {  // where v_of(x) = v
    if (v > e_a) xs.push_back(d[a] + (v - d[a]) / delta_a);
  };
  const std::vector<double> g_breaks = g_of.Breaks();
  for (double t : g_breaks) add_v(t);
  if (outside) xs.push_back(d[a] + (e_a - d[a]) / delta_a);  // where a's option stops binding
  // Where G(v) reaches a level: on each stretch between G's breaks, G is a line.
  std::vector<double> levels;
  for (double t : h_of.Breaks()) levels.push_back(d[b] + (t - d[b]) / delta_b);
  levels.push_back(d[b]);
  if (outside) levels.push_back(d[b] + (e_b - d[b]) / delta_b);
  std::vector<double> vs{d[a], v_of(ideal_a)};
  for (double t : g_breaks)
    if (t > vs[0] && t < vs[1]) vs.push_back(t);
  std::sort(vs.begin(), vs.end());
  for (std::size_t i = 0; i + 1 < vs.size(); ++i) {
    const double lo = vs[i], hi = vs[i + 1];
    if (!(hi > lo)) continue;
    const double t1 = lo + (hi - lo) / 3, t2 = lo + 2 * (hi - lo) / 3;
    const double y1 = g_of.At(t1), y2 = g_of.At(t2);
    if (!std::isfinite(y1) || !std::isfinite(y2) || y1 == y2) continue;
    for (double level : levels) {
      const double t = t1 + (level - y1) * (t2 - t1) / (y2 - y1);
      if (t >= lo && t <= hi) add_v(t);
    }
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::remove_if(xs.begin(), xs.end(), [&](double x) { return !(x >= d[a] && x <= ideal_a); }), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  const double tol = 1e-9 * std::max(scale, std::abs(d[a]));
  // A candidate is kept only where the map itself returns x: a stretch's line ends in one-sided
  // limits where the map jumps (a package's reach ends), which need not be solutions.
  auto solves = [&](double x) {
    const double p = phi(x);
    return std::isfinite(p) && std::abs(p) <= tol;
  };
  std::vector<std::pair<double, double>> found;
  for (double x : xs)  // a solution at a break itself: at a jump, or at an end of the range
    if (solves(x)) found.emplace_back(x, x);
  for (std::size_t i = 0; i + 1 < xs.size(); ++i) {
    const double lo = xs[i], hi = xs[i + 1];
    if (!(hi > lo)) continue;
    const double t1 = lo + (hi - lo) / 3, t2 = lo + 2 * (hi - lo) / 3;
    const double p1 = phi(t1), p2 = phi(t2);
    if (!std::isfinite(p1) || !std::isfinite(p2)) continue;
    // The line through them, at the stretch's ends.
    const double slope = (p2 - p1) / (t2 - t1);
    const double p_lo = p1 - slope * (t1 - lo), p_hi = p2 + slope * (hi - t2);
    if (std::abs(p_lo) <= tol && std::abs(p_hi) <= tol && hi - lo > tol) {
      // The whole stretch solves the equations (its ends as far as the map reaches them).
      if (solves(0.5 * (lo + hi))) found.emplace_back(solves(lo) ? lo : t1, solves(hi) ? hi : t2);
    } else if ((p_lo <= tol && p_hi >= -tol) || (p_lo >= -tol && p_hi <= tol)) {
      const double x = std::abs(p_lo) <= tol   ? lo
                       : std::abs(p_hi) <= tol ? hi
                                               : std::clamp(lo + p_lo / (p_lo - p_hi) * (hi - lo), lo, hi);
      if (solves(x)) found.emplace_back(x, x);
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::pair<double, double>> roots;
  for (const auto& [from, to] : found) {
    if (!roots.empty() && from <= roots.back().second + tol) roots.back().second = std::max(roots.back().second, to);
    else roots.emplace_back(from, to);
  }
  // Points merged within the tolerance are one solution, not a stretch.
  for (auto& [from, to] : roots)
    if (to - from <= tol) from = to;
  return roots;
}

// Alternating offers between the two parties (Rubinstein 1982; Stahl 1972 for a finite
// horizon) over the frontier: the proposer offers the responder exactly its discounted
// continuation value, d_r + delta_r (v_r - d_r), and keeps the best the frontier then allows.
//
// With outside options e (`outside`, else null) the responder may also walk away, so it accepts
// max(e_r, its discounted continuation value) round by round (Binmore, Shaked and Sutton 1989),
// as the pie's closed forms do (alternating_offers.cc); out.outside_binds marks the parties
// whose option is what they are offered in the first two rounds (each one's first turn to
// respond), with a horizon or without.
AgreementResult SolveAlternatingOffers(const AgreementProblem& problem, const UtilityOracle& utility,
                                       const Prepared& prepared, const Table& table, const Vector& d,
                                       const Vector* outside = nullptr) {
  const std::size_t a = table.parties[static_cast<std::size_t>(problem.alternating.first)];
  const std::size_t b = table.parties[1 - static_cast<std::size_t>(problem.alternating.first)];
  const double delta_a = problem.alternating.discount[static_cast<std::size_t>(problem.alternating.first)];
  const double delta_b = problem.alternating.discount[1 - static_cast<std::size_t>(problem.alternating.first)];
  // The concepts side by side (with the same threat point), for the context of reports.
  AgreementProblem axiomatic = problem;
  axiomatic.protocol = Protocol::kAxiomatic;
  AgreementResult out = SolveAxiomatic(axiomatic, utility, prepared, table, d, {});
  if (!out.agreement_possible) return out;
  out.optimality = prepared.exact ? Optimality::kExact : Optimality::kKktPoint;
  out.kkt_residual = 0;
  // What responder r accepts when its continuation value is `value`.
  auto accepts = [&](std::size_t r, double value) { return outside ? std::max((*outside)[r], value) : value; };
  auto option_binds = [&](std::size_t r, double value) { return outside != nullptr && (*outside)[r] > value; };
  if (outside) out.outside_binds.assign(table.parties.size(), false);
  auto mark = [&](std::size_t r) { out.outside_binds[r == table.parties[0] ? 0 : 1] = true; };
  // h_who(value): the best for `who` when the other gets at least `value` (and both >= d).
  auto best_for = [&](std::size_t who, std::size_t other, double value) {
    Vector floor = d;
    floor[other] = std::max(value, d[other]);
    return BestFor(problem, prepared, table, who, floor);
  };
  FrontierPoint agreement;
  if (problem.alternating.rounds > 0) {
    // Backward from the last round: its proposer gets the best with the responder at d.
    const int rounds = problem.alternating.rounds;
    Vector next;  // the agreement of round t + 1
    for (int t = rounds; t >= 1; --t) {
      const bool a_proposes = (t % 2 == 1);
      const std::size_t proposer = a_proposes ? a : b, responder = a_proposes ? b : a;
      const double delta_r = a_proposes ? delta_b : delta_a;
      const double continuation =
          t == rounds ? d[responder] : d[responder] + delta_r * (next[responder] - d[responder]);
      if (t <= 2 && option_binds(responder, continuation)) mark(responder);
      agreement = best_for(proposer, responder, accepts(responder, continuation));
      if (!agreement.found) throw ValidationError("alternating offers: no agreement gives the responder its continuation value");
      const Vector previous = next;
      next = agreement.u;
      // Converged: the same agreement as two rounds later (to rounding).
      (void)previous;
    }
    out.search = "alternating offers, " + std::to_string(rounds) + (rounds == 1 ? " round" : " rounds") +
                 " (Stahl 1972): backward induction over the frontier";
  } else {
    // Stationarity: x = h_a(d_b + delta_b (h_b(d_a + delta_a (x - d_a)) - d_b)); bisection on
    // x in [d_a, ideal_a], where the map minus x goes from >= 0 to <= 0.
    auto phi = [&](double x) {
      FrontierPoint b_proposes = best_for(b, a, accepts(a, d[a] + delta_a * (x - d[a])));
      if (!b_proposes.found) return -kInfinity;
      FrontierPoint a_proposes = best_for(a, b, accepts(b, d[b] + delta_b * (b_proposes.u[b] - d[b])));
      if (!a_proposes.found) return -kInfinity;
      return a_proposes.u[a] - x;
    };
    // Over a frontier that need not be concave the equations may have several solutions: the
    // one best for the first proposer is taken, and the others are listed.
    std::optional<double> chosen;
    if (prepared.exact && !problem.lotteries && prepared.layout.packages > 1 && table.parties.size() == 2) {
      const auto solutions =
          StationarySolutions(prepared, a, b, delta_a, delta_b, d, outside, out.result.ideal[a]);
      if (!solutions) {
        out.stationary_unchecked =
            "without lotteries between packages the frontier need not be concave, and it has more than 256 pieces";
      } else if (solutions->size() > 1 || (solutions->size() == 1 && solutions->front().first != solutions->front().second)) {
        out.stationary = *solutions;
        chosen = solutions->back().second;
      }
    }
    // Payoffs that are not affine: one package whose payoffs were sampled concave has a concave
    // frontier (one solution); otherwise others are not looked for, and the output says so.
    if (!prepared.exact && (prepared.nonlinear->packages.size() > 1 || !AllConcave(*prepared.nonlinear)))
      out.stationary_unchecked = prepared.nonlinear->packages.size() > 1
                                     ? "the payoffs are not affine, and the frontier of several packages need "
                                       "not be concave"
                                     : "the payoffs are not affine nor shown concave, so the frontier need not be "
                                       "concave";
    // To the last double of x (no stopping width in another unit than a's own: a payoff of
    // 1e-12 x has its whole range below any width floored at 1).
    double lo = d[a], hi = out.result.ideal[a];
    for (int it = 0; it < 2200 && !chosen; ++it) {
      const double mid = lo + 0.5 * (hi - lo);
      if (!(mid > lo && mid < hi)) break;
      if (phi(mid) >= 0) lo = mid;
      else hi = mid;
    }
    const double x = chosen ? *chosen : 0.5 * (lo + hi);
    FrontierPoint b_proposes = best_for(b, a, accepts(a, d[a] + delta_a * (x - d[a])));
    const char* no_room =
        "alternating offers: no agreement gives the responder what the stationary offers require while the "
        "proposer keeps its inside value; the outside options and the inside point leave no room for "
        "stationary offers (lower an inside value or an outside option, or see docs/bargaining.md)";
    if (!b_proposes.found)  // no offer of b's meets a's floor with b at its own (outside options)
      throw ValidationError(no_room);
    const bool a_binds = option_binds(a, d[a] + delta_a * (x - d[a]));
    if (a_binds) mark(a);
    double b_continuation = d[b] + delta_b * (b_proposes.u[b] - d[b]);
    const bool b_binds = option_binds(b, b_continuation);
    if (b_binds) mark(b);
    // phi's slope is only 1 - delta_a delta_b, so its root from evaluations carries the
    // frontier's rounding divided by that (d = 0.99999999999: 5.5e-6 on a pie). On a
    // polygonal frontier, with neither option binding, the two proposals lie on known edges
    // and the stationarity equations are linear there: solved in closed form with
    // 1 - delta_a delta_b = (1 - delta_a) + delta_a (1 - delta_b), as the pie's formulas
    // (without lotteries between packages, on the edges of the packages that hold them).
    if (prepared.exact && !a_binds && !b_binds) {
      FrontierPoint a_proposes = best_for(a, b, b_continuation);
      if (a_proposes.found && b_proposes.found) {
        if (std::optional<double> refined =
                StationaryOnEdges(prepared, problem.lotteries || prepared.layout.packages <= 1, a, b, delta_a,
                                  delta_b, d, a_proposes.u, b_proposes.u))
          b_continuation = d[b] + delta_b * *refined;
      }
    }
    agreement = best_for(a, b, accepts(b, b_continuation));
    // The same with the first proposer's offer: nothing meets the responder's floor (its
    // outside option, or its continuation) while the proposer keeps its inside value.
    if (!agreement.found) throw ValidationError(no_room);
    out.search = "alternating offers, infinite horizon (Rubinstein 1982): the stationarity equations solved by "
                 "bisection along the frontier";
  }
  TakeAgreement(problem, agreement, &out);
  return out;
}

// Today's problem: every player at the table with a positive weight, no constraints, the
// axiomatic protocol with a threat point.
bool IsPlain(const AgreementProblem& problem, const Table& table) {
  return table.everyone && problem.parties.empty() && problem.constraints.empty() &&
         problem.protocol == Protocol::kAxiomatic && problem.rule == DisagreementRule::kThreat;
}

// SolveAgreement's path for a plain problem, over `out`, in the given storage (fresh, or kept by
// a PreparedAgreement): the exact method when the payoffs are affine (true: `hull` holds its
// hull, with its Nash frontiers prepared when `keep`), the nonlinear method otherwise.
bool SolvePlain(const AgreementProblem& problem, const UtilityOracle& utility, AgreementMethod method,
                const Table& table, bool keep, Prepared& prepared, Hull& hull, AgreementResult* out) {
  Prepare(problem, utility, method, false, prepared);
  if (!prepared.exact) {
    *out = SolveNonlinear(problem, *prepared.nonlinear, problem.disagreement, table.parties, table.weights, {});
    out->parties.assign(table.parties.begin(), table.parties.end());
    prepared.nonlinear.reset();  // it refers to `problem` and `utility`, which a kept one outlives
    return false;
  }
  MakeHull(prepared.candidates, prepared.layout.packages, problem.disagreement, hull);
  if (keep) PrepareNashFrontiers(problem, &hull);
  SolveHull(problem, hull, out);
  out->parties.assign(table.parties.begin(), table.parties.end());
  return true;
}

}  // namespace

std::vector<std::string> BindingAt(const AgreementProblem& problem, const Vector& x, double tolerance) {
  return Binding(problem, x, tolerance);
}

struct PreparedAgreement::State {
  bool ready = false;  // `hull` holds the plain exact path's hull for the last problem
  Hull hull;           // MakeHull's, for the problem's disagreement point
  // Kept for their storage, which the next preparation or solve writes over.
  Table table;
  Prepared prepared;
};

PreparedAgreement::PreparedAgreement() = default;
PreparedAgreement::~PreparedAgreement() = default;
PreparedAgreement::PreparedAgreement(PreparedAgreement&&) noexcept = default;
PreparedAgreement& PreparedAgreement::operator=(PreparedAgreement&&) noexcept = default;
bool PreparedAgreement::ready() const { return state_ != nullptr && state_->ready; }
void PreparedAgreement::Reset() {
  if (state_) state_->ready = false;
}

namespace {

// SolveAgreement's result written over *out; `kept` (optional): a Prepared whose storage the
// preparation and the exact solve write over (a keeping caller's, with its kept result).
void SolveAgreementInto(const AgreementProblem& problem, const UtilityOracle& utility,
                        AgreementMethod method, const ContinuationOracle& continuation,
                        Prepared* kept, AgreementResult* out);

AgreementResult SolveAgreementImpl(const AgreementProblem& problem, const UtilityOracle& utility,
                                   AgreementMethod method, const ContinuationOracle& continuation) {
  AgreementResult out;
  SolveAgreementInto(problem, utility, method, continuation, nullptr, &out);
  return out;
}

}  // namespace

AgreementResult SolveAgreement(const AgreementProblem& problem, const UtilityOracle& utility,
                               AgreementMethod method, const ContinuationOracle& continuation) {
  return SolveAgreementImpl(problem, utility, method, continuation);
}

void SolveAgreementKeeping(const AgreementProblem& problem, const UtilityOracle& utility,
                           AgreementMethod method, PreparedAgreement* keep, AgreementResult* out) {
  if (!keep->state_) keep->state_ = std::make_unique<PreparedAgreement::State>();
  PreparedAgreement::State& state = *keep->state_;
  state.ready = false;
  // SolveAgreementImpl's plain path (the same checks and steps in the same order), in the
  // kept storage; any other problem goes to SolveAgreementImpl itself.
  MakeTable(problem, state.table);
  const Table& table = state.table;
  const bool plain = IsPlain(problem, table);
  if (!plain) {
    SolveAgreementInto(problem, utility, method, {}, &state.prepared, out);
    return;
  }
  state.ready = SolvePlain(problem, utility, method, table, true, state.prepared, state.hull, out);
}

bool SolvePrepared(const AgreementProblem& problem, const PreparedAgreement& prepared, AgreementResult* out) {
  PARLEY_CHECK(prepared.ready());
  // The same checks, in the same order, as SolveAgreement's plain path; the hull is the one
  // MakeHull built from the same corners and disagreement point.
  Table& table = prepared.state_->table;
  MakeTable(problem, table);
  const bool plain = IsPlain(problem, table);
  if (!plain) return false;
  SolveHull(problem, prepared.state_->hull, out);
  out->parties.assign(table.parties.begin(), table.parties.end());
  return true;
}

namespace {

void SolveAgreementInto(const AgreementProblem& problem, const UtilityOracle& utility,
                        AgreementMethod method, const ContinuationOracle& continuation,
                        Prepared* kept, AgreementResult* out_ptr) {
  AgreementResult& out = *out_ptr;
  const std::size_t n = problem.disagreement.size();
  Table own_table;
  Table& table = kept ? kept->table : own_table;  // a keeping caller's storage
  MakeTable(problem, table);
  const bool plain = IsPlain(problem, table);
  if (problem.protocol == Protocol::kAlternating) {
    if (table.parties.size() != 2)
      throw ValidationError("alternating offers need exactly 2 parties (got " + std::to_string(table.parties.size()) + ")");
    if (!problem.weights.empty())
      throw ValidationError("alternating offers take no bargaining powers: the discount factors set them");
    if (problem.alternating.discount.size() != 2)
      throw ValidationError("alternating offers need one discount factor per party (2)");
    for (double delta : problem.alternating.discount)
      if (!(delta > 0 && delta < 1))
        throw ValidationError("a discount factor is " + FormatDouble(delta) + "; it must be between 0 and 1 (exclusive)");
    if (problem.alternating.first != 0 && problem.alternating.first != 1)
      throw ValidationError("the first proposer must be one of the 2 parties");
    if (problem.alternating.rounds < 0)
      throw ValidationError("alternating offers: rounds must be 0 (infinite horizon) or positive");
    if (problem.alternating.rounds > 10000)
      throw ValidationError("alternating offers: at most 10000 rounds (the split converges long before)");
  }
  if (problem.rule == DisagreementRule::kOutside && problem.inside.size() != n)
    throw ValidationError("outside options need `inside`: one payoff per player while talks go on (got " +
                          std::to_string(problem.inside.size()) + ")");
  if (continuation && problem.protocol == Protocol::kAxiomatic && problem.rule == DisagreementRule::kThreat &&
      method == AgreementMethod::kExactOrSearch) {
    if (std::optional<AgreementResult> regions = internal::SolveByRegions(problem, utility, continuation)) {
      out = std::move(*regions);
      return;
    }
  }
  if (plain) {
    Prepared prepared;
    Hull hull;
    SolvePlain(problem, utility, method, table, false, prepared, hull, &out);
    return;
  }
  Prepared fresh;
  Prepared& preparing = kept ? *kept : fresh;
  Prepare(problem, utility, method, table.zero_weight, preparing);
  // A kept nonlinear preparation would refer to `problem` and `utility`, which it outlives.
  struct NonlinearScope {
    Prepared* kept;
    ~NonlinearScope() {
      if (kept) kept->nonlinear.reset();
    }
  } nonlinear_scope{kept};
  const Prepared& prepared = preparing;
  const Vector& d = problem.rule == DisagreementRule::kOutside ? problem.inside : problem.disagreement;
  const bool alternating_outside =
      problem.protocol == Protocol::kAlternating && problem.rule == DisagreementRule::kOutside;
  // No agreement gives every party its option: nothing to bargain over (checked before the
  // alternating offers, whose rounds then have no agreement to offer).
  if (alternating_outside &&
      !BestFor(problem, prepared, table, table.parties.front(), problem.disagreement).found) {
    AgreementProblem axiomatic = problem;  // the concepts, for the context of reports
    axiomatic.protocol = Protocol::kAxiomatic;
    SolveAxiomatic(axiomatic, utility, prepared, table, d, {}, &out);
    out.agreement_possible = false;
    out.terms = {};
    out.binding.clear();
    out.payoffs = problem.disagreement;
    out.issue_values.assign(problem.issues.size(), std::numeric_limits<double>::quiet_NaN());
    out.parties.assign(table.parties.begin(), table.parties.end());
    out.outside_binds.assign(table.parties.size(), false);
    return;
  }
  if (problem.protocol == Protocol::kAlternating)
    out = SolveAlternatingOffers(problem, utility, prepared, table, d,
                                 alternating_outside ? &problem.disagreement : nullptr);
  else
    SolveAxiomatic(problem, utility, prepared, table, d, {}, &out);
  out.parties.assign(table.parties.begin(), table.parties.end());
  if (problem.rule != DisagreementRule::kOutside) return;
  // Under alternating offers the options entered round by round (above): each responder's
  // acceptance value is max(option, continuation), not a clamp after the split.
  if (alternating_outside) return;
  // The outside-option principle: a party whose share is below its option gets exactly the
  // option; the others split the rest (Binmore, Shaked and Sutton 1989).
  const Vector& outside = problem.disagreement;
  out.outside_binds.assign(table.parties.size(), false);
  Vector all_floor = outside;
  FrontierPoint meets = BestFor(problem, prepared, table, table.parties.front(), all_floor);
  auto fail = [&] {
    out.agreement_possible = false;
    out.payoffs = outside;
    out.issue_values.assign(problem.issues.size(), std::numeric_limits<double>::quiet_NaN());
    out.terms = {};
    out.binding.clear();
  };
  if (!meets.found) return fail();
  // `stuck` binds those the last round's split could not raise above their options (and, to
  // begin with, those whose options beat an impasse below).
  bool stuck = false;
  if (!out.agreement_possible) {
    // No agreement gives every party more than its inside value, yet some meets every option.
    // A party whose option is worth more than its inside value would break off rather than sit
    // in the impasse, so its option binds: it gets the option and the others the rest (inside
    // (0.6, 0.6) on a pie, A's option 0.7: (0.7, 0.3), not A leaving and B getting 0). When
    // every option is worth its party's inside value, breaking off costs nobody anything: the
    // talks fail. Otherwise some party is better off talking for ever than with any agreement
    // or any option, and nobody would leave: an outcome the bargain does not have.
    bool above = false, below = false;
    for (std::size_t i : table.parties) {
      const double tol = 1e-9 * std::max(1.0, std::abs(outside[i]));  // as the rounds below
      above = above || outside[i] > d[i] + tol;
      below = below || outside[i] < d[i] - tol;
    }
    if (!above && !below) return fail();
    if (!above) {
      // An agreement that pays every party at least its inside value (the inside point on the
      // frontier, as talks from (0.5, 0.5) over a pie, or within the gain tolerance of it) is
      // the one nobody would refuse: the limit of the split as the inside point rises to it.
      // Met within 1e-8 of each inside value, so that an inside point above the frontier by
      // rounding alone does not stop a sweep. The split from there (symmetric where the problem
      // is: (0.5, 0.5) from (0.5, 0.5); 1e-8 leaves gains above the 1e-9 that count as one), or
      // failing that the agreement best for the first party that meets it.
      Vector met = d;
      for (std::size_t i : table.parties) met[i] -= 1e-8 * std::max(1.0, std::abs(d[i]));
      AgreementResult split = SolveAxiomatic(problem, utility, prepared, table, met, {});
      if (split.agreement_possible) {
        out = std::move(split);
        out.parties.assign(table.parties.begin(), table.parties.end());
        out.outside_binds.assign(table.parties.size(), false);
        return;
      }
      FrontierPoint at = BestFor(problem, prepared, table, table.parties.front(), met);
      if (at.found) {
        TakeAgreement(problem, at, &out);
        return;
      }
    }
    if (!above)
      throw ValidationError("outside options: no agreement gives every party more than its inside value " +
                            internal::FormatVector(d) + ", and no party's outside option " +
                            internal::FormatVector(outside) +
                            " is worth more than its inside value, so the talks would go on for ever, "
                            "which the bargain has no outcome for; lower `inside` below what some "
                            "agreement gives, or raise an option above its inside value");
    out.payoffs = d;
    stuck = true;  // a first round, whose payoffs (the inside point) bind the parties above
  }
  // Each round binds one party more (at most one round per party).
  for (std::size_t round = 0; round <= table.parties.size(); ++round) {
    Floors floors;
    std::vector<std::size_t> free;
    bool changed = stuck;
    stuck = false;
    for (std::size_t q = 0; q < table.parties.size(); ++q) {
      const std::size_t i = table.parties[q];
      const double tol = 1e-9 * std::max(1.0, std::abs(outside[i]));
      if (!out.outside_binds[q] && out.payoffs[i] < outside[i] - tol) {
        out.outside_binds[q] = true;
        changed = true;
      }
      if (out.outside_binds[q]) floors.emplace_back(i, outside[i]);
      else free.push_back(i);
    }
    if (!changed) break;
    if (free.empty()) {
      // Every option binds: an agreement that meets them all (some party gets what is left).
      TakeAgreement(problem, meets, &out);
      break;
    }
    if (free.size() == 1) {
      // The one party left gets the best the frontier allows with the others at their options
      // ("the other gets the rest"), below its inside value if need be (were talks to break,
      // it would get only its own option). Some agreement meets every option (`meets`), so
      // with every party's floor at its option there is one.
      FrontierPoint point = BestFor(problem, prepared, table, free.front(), outside);
      TakeAgreement(problem, point, &out);
    } else {
      Table rest = table;
      rest.parties = free;
      AgreementResult again = SolveAxiomatic(problem, utility, prepared, rest, d, floors);
      if (!again.agreement_possible) {
        // What the options leave cannot give every free party more than its inside value: they
        // split it from their own options instead, what each would get were talks to break.
        Vector from = d;
        for (std::size_t i : free) from[i] = outside[i];
        again = SolveAxiomatic(problem, utility, prepared, rest, from, floors);
      }
      if (!again.agreement_possible) {
        // Not even that: some free party cannot get more than its option with the others at
        // theirs. Such parties get their options (they bind), and the rest is split again.
        for (std::size_t q = 0; q < table.parties.size(); ++q) {
          const std::size_t i = table.parties[q];
          if (out.outside_binds[q]) continue;
          const FrontierPoint best = BestFor(problem, prepared, table, i, outside);
          if (!best.found || best.u[i] <= outside[i] + 1e-9 * std::max(1.0, std::abs(outside[i]))) {
            out.outside_binds[q] = true;
            stuck = true;
          }
        }
        if (!stuck) {  // (each could gain alone, yet not all together from their options)
          TakeAgreement(problem, meets, &out);
          break;
        }
        continue;
      }
      out.agreement_possible = true;
      out.payoffs = again.payoffs;
      out.issue_values = again.issue_values;
      out.terms = again.terms;
      out.lottery = again.lottery;
      out.binding = again.binding;
      if (again.optimality != Optimality::kExact) {
        out.optimality = again.optimality;
        out.kkt_residual = again.kkt_residual;
      }
    }
  }
}

}  // namespace

}  // namespace parley::bargaining
