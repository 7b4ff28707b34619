#include "solver/scenario/bargain_step.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "solver/bargaining/bargaining.h"
#include "solver/bargaining/outcomes.h"
#include "solver/lp/linear_program.h"
#include "solver/model/error.h"

namespace parley::scenario {

using bargaining::Concept;
using bargaining::Vector;

namespace {

std::string Short(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

struct Candidate {
  std::vector<double> issues;  // full issue vector
  Vector payoffs;
  std::size_t package;
};

// Kalai-Smorodinsky on one package against a given ideal point: max t with
// d + t (ideal - d) in the hull of the package's points (an LP over lottery weights).
bool RayPoint(const std::vector<const Candidate*>& pts, const Vector& d, const Vector& ideal,
              double* t_out, std::vector<double>* weights) {
  lp::LinearProgram lp(lp::Sense::kMaximize);
  int t = lp.AddColumn(0, lp::kInfinity, 1);
  std::vector<int> cols;
  for (std::size_t j = 0; j < pts.size(); ++j) cols.push_back(lp.AddColumn(0, lp::kInfinity, 0));
  std::vector<int> idx(cols);
  lp.AddRow(1, 1, idx, std::vector<double>(cols.size(), 1.0));
  for (std::size_t i = 0; i < d.size(); ++i) {
    // sum_j lambda_j p_ji - t (ideal_i - d_i) >= d_i
    std::vector<int> c = cols;
    std::vector<double> a;
    for (const Candidate* p : pts) a.push_back(p->payoffs[i]);
    c.push_back(t);
    a.push_back(-(ideal[i] - d[i]));
    lp.AddRow(d[i], lp::kInfinity, c, a);
  }
  lp::LpSolution s = lp.Solve();
  if (s.status != lp::Status::kOptimal) return false;
  *t_out = s.primal[t];
  weights->assign(s.primal.begin() + 1, s.primal.end());
  return true;
}

// Two players: the largest t with a point of the hull at least d + (t, t). The function
// min(u1 - d1, u2 - d2) is concave and piecewise linear on the hull, so its maximum lies at a
// point or where the two gains are equal on a segment between two points; checking every
// pair of points covers every edge (no LP needed for the handful of corners of a package).
double BestEqualGain2(const std::vector<const Candidate*>& pts, const Vector& d) {
  double best = -INFINITY;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const Vector& a = pts[i]->payoffs;
    best = std::max(best, std::min(a[0] - d[0], a[1] - d[1]));
    for (std::size_t j = i + 1; j < pts.size(); ++j) {
      const Vector& b = pts[j]->payoffs;
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

// Weights over the candidates of a single package whose payoffs are `target` (within `tol`
// per player), from the first package that has some; empty when none does. Within a package
// the payoffs are affine in the continuous issues, so those weights are one deterministic
// agreement: the weighted average of the corners' issue values.
std::vector<double> OnePackage(const std::vector<Candidate>& candidates, std::size_t packages,
                               const Vector& target, double tol) {
  const std::size_t n = target.size();
  std::vector<std::vector<std::size_t>> members(packages);
  for (std::size_t c = 0; c < candidates.size(); ++c) members[candidates[c].package].push_back(c);
  for (std::size_t p = 0; p < packages; ++p) {
    bool inside = !members[p].empty();
    for (std::size_t i = 0; i < n && inside; ++i) {
      double lo = INFINITY, hi = -INFINITY;
      for (std::size_t c : members[p]) {
        lo = std::min(lo, candidates[c].payoffs[i]);
        hi = std::max(hi, candidates[c].payoffs[i]);
      }
      inside = target[i] >= lo - tol && target[i] <= hi + tol;
    }
    if (!inside) continue;
    lp::LinearProgram lp(lp::Sense::kMaximize);
    std::vector<int> cols;
    for (std::size_t j = 0; j < members[p].size(); ++j) cols.push_back(lp.AddColumn(0, lp::kInfinity, 0));
    lp.AddRow(1, 1, cols, std::vector<double>(cols.size(), 1.0));
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<double> a;
      for (std::size_t c : members[p]) a.push_back(candidates[c].payoffs[i]);
      lp.AddRow(target[i] - tol, target[i] + tol, cols, a);
    }
    lp::LpSolution s = lp.Solve();
    if (s.status != lp::Status::kOptimal) continue;
    std::vector<double> lottery(candidates.size(), 0.0);
    double total = 0;
    for (std::size_t j = 0; j < members[p].size(); ++j) total += std::max(0.0, s.primal[j]);
    for (std::size_t j = 0; j < members[p].size(); ++j)
      lottery[members[p][j]] = std::max(0.0, s.primal[j]) / total;
    return lottery;
  }
  return {};
}

}  // namespace

BargainStepResult SolveBargainStep(const BargainInput& input, const UtilityFunction& utility) {
  const std::size_t k = input.issues.size();
  const std::size_t n = input.disagreement.size();
  std::vector<std::size_t> continuous, discrete;
  for (std::size_t i = 0; i < k; ++i) (input.issues[i].discrete ? discrete : continuous).push_back(i);
  if (continuous.size() > 12) throw ValidationError("a bargain has more than 12 continuous issues");
  std::size_t packages = 1;
  for (std::size_t i : discrete) {
    packages *= input.issues[i].labels.size();
    if (packages > 4096) throw ValidationError("a bargain has more than 4096 packages of discrete options");
  }
  // Corners of every package, with an affinity check at interior points.
  std::vector<Candidate> candidates;
  std::vector<double> x(k), u(n);
  const double probes[3][3] = {{0.5, 0.5, 0.5}, {0.3, 0.8, 0.6}, {0.9, 0.2, 0.35}};
  for (std::size_t p = 0; p < packages; ++p) {
    std::size_t rest = p;
    for (std::size_t i : discrete) {
      const auto& opts = input.issues[i].values;
      x[i] = opts[rest % opts.size()];
      rest /= opts.size();
    }
    std::size_t corners = std::size_t{1} << continuous.size();
    std::size_t first = candidates.size();
    for (std::size_t c = 0; c < corners; ++c) {
      for (std::size_t j = 0; j < continuous.size(); ++j) {
        const BargainIssue& is = input.issues[continuous[j]];
        x[continuous[j]] = (c >> j) & 1 ? is.upper : is.lower;
      }
      utility(x, &u);
      for (double v : u)
        if (!std::isfinite(v)) throw ValidationError("a payoff of an agreement is not a finite number");
      candidates.push_back({x, u, p});
    }
    // Affine: u(x) = u(lower corner) + sum_j (u(corner j) - u(lower corner)) t_j.
    for (const auto& probe : probes) {
      if (continuous.empty()) break;
      Vector expected = candidates[first].payoffs;
      for (std::size_t j = 0; j < continuous.size(); ++j) {
        const BargainIssue& is = input.issues[continuous[j]];
        double t = probe[j % 3];
        x[continuous[j]] = is.lower + t * (is.upper - is.lower);
        const Vector& at = candidates[first + (std::size_t{1} << j)].payoffs;
        for (std::size_t i = 0; i < n; ++i) expected[i] += t * (at[i] - candidates[first].payoffs[i]);
      }
      utility(x, &u);
      for (std::size_t i = 0; i < n; ++i) {
        double scale = 1;
        for (std::size_t c = first; c < candidates.size(); ++c) scale = std::max(scale, std::abs(candidates[c].payoffs[i]));
        if (std::abs(u[i] - expected[i]) > 1e-9 * scale) {
          std::string names;
          for (std::size_t j : continuous) names += (names.empty() ? "" : ", ") + input.issues[j].name;
          throw ValidationError("the payoffs are not linear in the bargain's continuous issues (" + names +
                                "); Parley solves bargains whose payoffs are affine in each continuous "
                                "issue exactly; give a non-linear issue as discrete `options:`");
        }
      }
    }
  }

  // Payoffs and disagreement values below the bargaining solvers' smallest magnitude are
  // rounding residues of the formulas (0.1 + 0.2 - 0.3): they count as 0. Values above the
  // largest are refused by the solvers with a message.
  auto snap = [](double& x) {
    if (std::abs(x) < bargaining::kMinMagnitude) x = 0;
  };
  for (auto& c : candidates)
    for (double& v : c.payoffs) snap(v);
  Vector d = input.disagreement;
  for (double& v : d) snap(v);
  auto check = [](const Vector& v, const std::string& what) {
    for (double x : v)
      if (std::abs(x) > bargaining::kMaxMagnitude)
        throw ValidationError(what + " is " + Short(x) + "; bargaining handles payoffs up to " +
                              Short(bargaining::kMaxMagnitude) +
                              " in magnitude: rescale the payoffs' units");
  };
  check(d, "a disagreement payoff");
  for (const auto& c : candidates) check(c.payoffs, "a payoff of an agreement");
  BargainStepResult out;
  for (const auto& c : candidates) out.points.push_back(c.payoffs);

  std::vector<char> package_ok(packages, 1);
  double scale = 1;
  // Is some agreement better than d for everyone? (The largest equal gain over d, by LP,
  // over the whole set, or over each package when lotteries between packages are not allowed.)
  {
    Vector ahead(n);
    for (std::size_t i = 0; i < n; ++i) ahead[i] = d[i] + 1;
    std::vector<std::vector<const Candidate*>> groups(input.lotteries ? 1 : packages);
    for (const auto& c : candidates) groups[input.lotteries ? 0 : c.package].push_back(&c);
    double best = -INFINITY;
    for (double v : d) scale = std::max(scale, std::abs(v));
    for (std::size_t g = 0; g < groups.size(); ++g) {
      double t = 0;
      // Fast path: a listed point already beats d for everyone (no LP needed).
      for (const Candidate* c : groups[g]) {
        double gain = INFINITY;
        for (std::size_t i = 0; i < n; ++i) gain = std::min(gain, c->payoffs[i] - d[i]);
        t = std::max(t, gain);
      }
      if (n == 2 && !(t > 1e-9 * scale)) t = std::max(t, BestEqualGain2(groups[g], d));
      std::vector<double> unused;
      bool ok = t > 1e-9 * scale ||
                (n != 2 && RayPoint(groups[g], d, ahead, &t, &unused) && t > 1e-9 * scale);
      if (!input.lotteries) package_ok[g] = ok;
      if (ok) best = std::max(best, t);
    }
    if (!(best > 1e-9 * scale)) {
      out.agreement_possible = false;
      out.result.disagreement = d;
      // The ideal point is each player's best among agreements at least as good as d for
      // everyone; when none is (or only d itself), nobody can gain and it is d.
      bool some_at_least_d = false;
      out.result.ideal = bargaining::IdealPoint(bargaining::OutcomeSet{out.points, true}, d, &some_at_least_d);
      if (!some_at_least_d) out.result.ideal = d;
      for (std::size_t i = 0; i < n; ++i) out.result.ideal[i] = std::max(out.result.ideal[i], d[i]);
      out.payoffs = d;
      out.issue_values.assign(k, std::numeric_limits<double>::quiet_NaN());
      out.issue_text = {"no agreement gives every player more than the disagreement point: talks fail"};
      return out;
    }
  }

  bargaining::Request request;
  request.weights = input.weights;
  if (!input.all_concepts) request.concepts = {input.concept_kind};
  // The whole set (lotteries over everything): every concept side by side, frontier, ideal.
  // The whole set's solutions (the answer when lotteries are allowed; the side-by-side view
  // and the ideal point otherwise). Skipped in fast mode without lotteries unless the
  // Kalai-Smorodinsky point needs the ideal point.
  if (input.lotteries || input.all_concepts || input.concept_kind == Concept::kKalaiSmorodinsky) {
    out.result = bargaining::Solve(bargaining::OutcomeSet{out.points, true}, d, request);
  } else {
    out.result.disagreement = d;
  }

  auto describe = [&](const std::vector<double>& lottery) {
    // Aggregate the lottery by package; continuous issues as the package's weighted average.
    std::vector<double> mass(packages, 0);
    std::vector<std::vector<double>> mean(packages, std::vector<double>(k, 0));
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      if (lottery[c] <= 1e-12) continue;
      mass[candidates[c].package] += lottery[c];
      for (std::size_t i = 0; i < k; ++i) mean[candidates[c].package][i] += lottery[c] * candidates[c].issues[i];
    }
    std::vector<std::size_t> used;
    for (std::size_t p = 0; p < packages; ++p)
      if (mass[p] > 1e-9) used.push_back(p);
    out.issue_text.clear();
    out.issue_values.assign(k, 0);
    out.lottery = used.size() > 1;
    for (std::size_t p : used)
      for (std::size_t i = 0; i < k; ++i) out.issue_values[i] += mean[p][i];
    for (std::size_t i = 0; i < k; ++i) {
      const BargainIssue& is = input.issues[i];
      if (!is.discrete) {
        if (!out.lottery) {
          out.issue_values[i] /= mass[used[0]];
          out.issue_text.push_back(is.name + " " + Short(out.issue_values[i]));
        } else {
          std::string text = is.name;
          for (std::size_t p : used) text += " " + Short(mean[p][i] / mass[p]) + " (p " + Short(mass[p]) + ")";
          out.issue_text.push_back(text);
        }
        continue;
      }
      std::string text = is.name;
      for (std::size_t p : used) {
        double v = candidates[0].issues[i];
        for (const auto& c : candidates)
          if (c.package == p) { v = c.issues[i]; break; }
        std::size_t o = std::find(is.values.begin(), is.values.end(), v) - is.values.begin();
        text += " " + (o < is.labels.size() ? is.labels[o] : Short(v));
        if (out.lottery) text += " (p " + Short(mass[p]) + ")";
        if (!out.lottery) out.issue_values[i] = v;
      }
      out.issue_text.push_back(text);
    }
  };

  bool want_weighted = false;
  for (double wi : input.weights) want_weighted = want_weighted || wi != input.weights[0];
  auto pick = [&](const bargaining::Result& r) -> const bargaining::Solution* {
    for (const auto& sol : r.solutions)
      if (sol.concept_kind == input.concept_kind &&
          (input.concept_kind != Concept::kNash || sol.weighted == want_weighted))
        return &sol;
    return r.Find(input.concept_kind);
  };
  // A lottery between packages is reported only when no single package reaches the same
  // payoffs (then it strictly beats every package for the concept, whose solution payoffs are
  // unique): a deterministic agreement that attains the solution is preferred.
  double payoff_scale = scale;
  for (const auto& c : candidates)
    for (double v : c.payoffs) payoff_scale = std::max(payoff_scale, std::abs(v));
  auto deterministic = [&](bargaining::Solution& sol) {
    if (sol.lottery.size() != candidates.size()) return;
    std::size_t first_package = packages;
    bool mixed = false;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      if (sol.lottery[c] <= 1e-12) continue;
      if (first_package == packages) first_package = candidates[c].package;
      mixed = mixed || candidates[c].package != first_package;
    }
    if (!mixed) return;
    std::vector<double> single = OnePackage(candidates, packages, sol.payoffs, 1e-9 * payoff_scale);
    if (!single.empty()) sol.lottery = std::move(single);
  };
  for (auto& sol : out.result.solutions) deterministic(sol);

  // Every concept's issues in words, then the chosen one's into the main fields.
  auto describe_all = [&](const bargaining::Solution* chosen) {
    for (const auto& sol : out.result.solutions) {
      if (sol.lottery.size() != candidates.size()) {
        out.solution_issue_text.emplace_back();
        out.solution_issue_values.emplace_back();
        continue;
      }
      describe(sol.lottery);
      std::string text;
      for (const auto& t : out.issue_text) text += (text.empty() ? "" : ", ") + t;
      out.solution_issue_text.push_back(text);
      out.solution_issue_values.push_back(out.issue_values);
    }
    out.payoffs = chosen->payoffs;
    describe(chosen->lottery);
  };
  if (input.lotteries) {
    const bargaining::Solution* s = pick(out.result);
    if (!s) throw ValidationError("the bargaining solution could not be computed");
    describe_all(s);
    return out;
  }

  // Pure packages: each package's convex set solved on its own; the best package per concept.
  std::vector<std::vector<const Candidate*>> by_package(packages);
  for (const auto& c : candidates) by_package[c.package].push_back(&c);
  const Vector& ideal = out.result.ideal;
  std::vector<std::vector<std::pair<double, bargaining::Solution>>> entries(4);
  const auto& all = bargaining::AllConcepts();
  Vector w = input.weights.empty() ? Vector(n, 1.0) : input.weights;
  for (std::size_t p = 0; p < packages; ++p) {
    std::vector<Vector> pts;
    for (const Candidate* c : by_package[p]) pts.push_back(c->payoffs);
    const bool above = package_ok[p];  // some lottery within the package beats d for all
    for (std::size_t ci = 0; ci < all.size(); ++ci) {
      Concept concept_kind = all[ci];
      if (!input.all_concepts && concept_kind != input.concept_kind) continue;
      double score = -INFINITY;
      bargaining::Solution sol;
      std::vector<double> lottery;
      if (concept_kind == Concept::kKalaiSmorodinsky) {
        double t = 0;
        std::vector<double> lw;
        if (!RayPoint(by_package[p], d, ideal, &t, &lw)) continue;
        sol.concept_kind = concept_kind;
        sol.payoffs.assign(n, 0);
        for (std::size_t j = 0; j < lw.size(); ++j)
          for (std::size_t i = 0; i < n; ++i) sol.payoffs[i] += lw[j] * pts[j][i];
        sol.method = "LP: farthest point towards the ideal point of the whole set, per package";
        score = t;
        lottery = lw;
      } else {
        if (!above) continue;
        try {
          sol = bargaining::Solve(bargaining::OutcomeSet{pts, true}, d, concept_kind, input.weights);
        } catch (const ValidationError&) {
          continue;  // this package has nothing above d
        }
        lottery = sol.lottery;
        if (concept_kind == Concept::kNash) {
          score = 0;
          for (std::size_t i = 0; i < n; ++i) score += w[i] * std::log(sol.payoffs[i] - d[i]);
        } else if (concept_kind == Concept::kEgalitarian) {
          score = INFINITY;
          for (std::size_t i = 0; i < n; ++i) score = std::min(score, sol.payoffs[i] - d[i]);
        } else {
          score = 0;
          for (std::size_t i = 0; i < n; ++i) score += w[i] * sol.payoffs[i];
        }
      }
      if (score == -INFINITY) continue;
      // Lottery weights over all candidates (zero outside the package).
      std::vector<double> full(candidates.size(), 0);
      std::size_t j = 0;
      for (std::size_t c = 0; c < candidates.size(); ++c)
        if (candidates[c].package == p) full[c] = j < lottery.size() ? lottery[j++] : 0;
      sol.concept_kind = concept_kind;
      sol.lottery = std::move(full);
      entries[ci].push_back({score, std::move(sol)});
    }
  }
  std::vector<bargaining::Solution> solutions;
  for (std::size_t ci = 0; ci < all.size(); ++ci) {
    if (entries[ci].empty()) continue;
    double top = -INFINITY;
    for (const auto& e : entries[ci]) top = std::max(top, e.first);
    // Packages whose best agreement reaches the top score with different payoffs tie. The
    // selection is the one over outcome sets: utilitarian by the Nash product, the others by
    // the larger total, then the first package.
    const double tol = 1e-12 * std::max(1.0, std::abs(top)) + (all[ci] == Concept::kNash ? 0 : 1e-12 * scale);
    std::vector<std::pair<double, const bargaining::Solution*>> tied;
    // (Packages with the same payoffs tie too: they are different terms.)
    for (const auto& e : entries[ci])
      if (e.first >= top - tol) tied.emplace_back(e.first, &e.second);
    // Utilitarian: the largest Nash product among the tied. Others: the best score itself
    // (a tie within the tolerance is still decided by a real difference, so that the choice
    // moves continuously with the parameters), then the larger total when the scores agree
    // to rounding.
    auto total = [&](const bargaining::Solution* t) {
      double k = 0;
      for (std::size_t i = 0; i < n; ++i)
        k += all[ci] == Concept::kUtilitarian
                 ? (t->payoffs[i] > d[i] ? std::log(t->payoffs[i] - d[i]) : -INFINITY)
                 : t->payoffs[i];
      return k;
    };
    std::size_t chosen_at = 0;
    for (std::size_t t = 1; t < tied.size(); ++t) {
      double a = tied[t].first, b = tied[chosen_at].first;
      double rounding = 1e-15 * std::max({1.0, std::abs(a), std::abs(b)});
      bool better = all[ci] == Concept::kUtilitarian
                        ? total(tied[t].second) > total(tied[chosen_at].second) + 1e-12 * scale
                        : a > b + rounding ||
                              (a >= b - rounding && total(tied[t].second) > total(tied[chosen_at].second) + 1e-12 * scale);
      if (better) chosen_at = t;
    }
    const bargaining::Solution* chosen = tied[chosen_at].second;
    bargaining::Solution sol = *chosen;
    sol.method += " (best single package; no lotteries between packages)";
    if (tied.size() >= 2) {
      sol.ties.clear();
      for (const auto& t : tied) sol.ties.push_back(t.second->payoffs);
      sol.method += all[ci] == Concept::kUtilitarian
                        ? "; packages tie, the tie broken by the Nash product"
                        : "; packages tie, the best score then the larger total chosen";
    }
    solutions.push_back(std::move(sol));
  }
  out.result.solutions = solutions;
  const bargaining::Solution* s = pick(out.result);
  if (!s) {
    std::string text;
    for (double v : ideal) text += (text.empty() ? "" : ", ") + Short(v);
    throw ValidationError("no single package of the bargain gives every player more than the "
                          "disagreement point (the ideal point is (" + text + "))");
  }
  describe_all(s);
  return out;
}

}  // namespace parley::scenario
