#include "solver/bargaining/regions.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "solver/bargaining/common.h"
#include "solver/bargaining/concepts.h"
#include "solver/model/error.h"
#include "solver/model/game.h"

namespace parley::bargaining::internal {
namespace {

using model::Game;
using model::NodeId;
using model::NodeKind;

// The continuation changed shape between two terms (a stage's actions depend on them): one
// profile no longer means the same choices everywhere, so the region method gives up.
struct ShapeChanged {};

// Per node: its kind, mover (-1 at a terminal) and number of children.
std::vector<int> Signature(const Game& game) {
  std::vector<int> signature;
  signature.reserve(3 * static_cast<std::size_t>(game.num_nodes()));
  for (NodeId v = 0; v < game.num_nodes(); ++v) {
    signature.push_back(static_cast<int>(game.kind(v)));
    signature.push_back(game.is_terminal(v) ? -1 : game.player(v));
    signature.push_back(static_cast<int>(game.num_children(v)));
  }
  return signature;
}

// The continuation at each terms evaluated so far (the regions share their corners).
class Continuations {
 public:
  Continuations(const ContinuationOracle& oracle, std::vector<int> signature)
      : oracle_(oracle), signature_(std::move(signature)) {}
  const Game& At(const Vector& x) {
    auto it = cache_.find(x);
    if (it != cache_.end()) return *it->second;
    std::shared_ptr<const Game> game = oracle_(x);
    if (!game || Signature(*game) != signature_) throw ShapeChanged{};
    return *cache_.emplace(x, std::move(game)).first->second;
  }

 private:
  const ContinuationOracle& oracle_;
  std::vector<int> signature_;
  std::map<Vector, std::shared_ptr<const Game>> cache_;
};

// Every node's value (num_players entries per node) under a pure profile: `choice[v]` at each
// decision node, chance averaging, outcomes summed along the path (Gambit's convention).
void Values(const Game& game, const std::vector<std::uint32_t>& choice, Vector* values) {
  const std::size_t np = static_cast<std::size_t>(game.num_players());
  values->assign(static_cast<std::size_t>(game.num_nodes()) * np, 0.0);
  for (NodeId v = game.num_nodes(); v-- > 0;) {
    double* out = values->data() + static_cast<std::size_t>(v) * np;
    if (game.kind(v) == NodeKind::kDecision) {
      const double* in = values->data() + static_cast<std::size_t>(game.child(v, choice[v])) * np;
      std::copy(in, in + np, out);
    } else if (game.kind(v) == NodeKind::kChance) {
      const model::InfosetId h = game.infoset(v);
      for (std::uint32_t a = 0; a < game.num_children(v); ++a) {
        const double p = game.chance_prob(h, a);
        const double* in = values->data() + static_cast<std::size_t>(game.child(v, a)) * np;
        for (std::size_t i = 0; i < np; ++i) out[i] += p * in[i];
      }
    }
    if (game.outcome(v) != model::kNoOutcome) {
      auto payoffs = game.payoffs(game.outcome(v));
      for (std::size_t i = 0; i < np; ++i) out[i] += payoffs[i];
    }
  }
}

// One region: its problem (the original plus the comparisons), payoffs and solution.
struct Region {
  std::vector<std::uint32_t> choice;  // per node (decision nodes only)
  AgreementProblem problem;
  UtilityOracle utility;
  AgreementResult result;
  bool solved = false;  // not empty
};

double Scale(const Vector& v) {
  double s = 1;
  for (double x : v) s = std::max(s, std::abs(x));
  return s;
}

// The concept's score of payoffs u over the parties (the objective each region maximised).
double Score(const Solution& s, const Vector& u, const Vector& d, const Vector& ideal,
             const std::vector<int>& parties) {
  Vector up, dp, ip, wp;
  for (std::size_t q = 0; q < parties.size(); ++q) {
    const auto i = static_cast<std::size_t>(parties[q]);
    up.push_back(u[i]);
    dp.push_back(d[i]);
    ip.push_back(ideal[i]);
    wp.push_back(s.weights.size() == u.size() ? s.weights[i] : q < s.weights.size() ? s.weights[q] : 1.0);
  }
  return ConceptScore(s.concept_kind, up, dp, ip, wp);
}

// Is `message` the report of a region that no agreement reaches (its comparisons and the
// problem's constraints exclude every term)?
bool EmptyRegion(const std::string& message) {
  return message.rfind("no agreement satisfies", 0) == 0;
}

// The Kalai-Smorodinsky solution of one region against the whole set's ideal point: the
// egalitarian solution of the parties' gains rescaled by a_i - d_i (maximal t with
// u_i >= d_i + t (a_i - d_i)), mapped back. Empty when the region has no such point.
std::optional<std::pair<Solution, std::pair<AgreementTerms, Vector>>> KsAgainst(
    const Region& region, const Vector& d, const Vector& ideal, const std::vector<int>& parties) {
  AgreementProblem rescaled = region.problem;
  rescaled.concept_kind = Concept::kEgalitarian;
  rescaled.all_concepts = false;
  rescaled.weights.clear();
  Vector span(d.size(), 1.0);
  for (int i : parties) {
    const auto k = static_cast<std::size_t>(i);
    span[k] = ideal[k] - d[k];
    if (!(span[k] > 0)) return std::nullopt;
  }
  const UtilityOracle& utility = region.utility;
  UtilityOracle scaled = [&](const Vector& x, Vector* u) {
    utility(x, u);
    for (int i : parties) {
      const auto k = static_cast<std::size_t>(i);
      (*u)[k] = d[k] + ((*u)[k] - d[k]) / span[k];
    }
  };
  AgreementResult r;
  try {
    r = SolveAgreement(rescaled, scaled, AgreementMethod::kExactOrSearch);
  } catch (const ValidationError& e) {
    if (EmptyRegion(e.message())) return std::nullopt;
    throw;
  }
  if (!r.agreement_possible) return std::nullopt;
  for (std::size_t k = 0; k < r.result.solutions.size(); ++k) {
    Solution s = r.result.solutions[k];
    if (s.concept_kind != Concept::kEgalitarian) continue;
    auto back = [&](Vector* u) {
      for (int i : parties) {
        const auto j = static_cast<std::size_t>(i);
        (*u)[j] = d[j] + ((*u)[j] - d[j]) * span[j];
      }
    };
    back(&s.payoffs);
    for (Vector& tie : s.ties) back(&tie);
    s.concept_kind = Concept::kKalaiSmorodinsky;
    s.method += "; against the ideal point of every region";
    AgreementTerms terms = k < r.solution_terms.size() ? r.solution_terms[k] : AgreementTerms{};
    Vector issues = k < r.solution_issue_values.size() ? r.solution_issue_values[k] : Vector{};
    return std::make_pair(std::move(s), std::make_pair(std::move(terms), std::move(issues)));
  }
  return std::nullopt;
}

// Do the true payoffs at a solution's terms (the expectation over its packages) equal the
// solution's payoffs? False at a boundary point that the tie-break gives to another region.
bool Attained(const UtilityOracle& utility, const AgreementTerms& terms, const Vector& payoffs) {
  if (terms.packages.empty()) return true;  // nothing to check (no agreement behind it)
  Vector expected(payoffs.size(), 0.0), u;
  for (const AgreementPackage& package : terms.packages) {
    utility(package.issues, &u);
    if (u.size() != payoffs.size()) return false;
    for (std::size_t i = 0; i < u.size(); ++i) expected[i] += package.probability * u[i];
  }
  const double tol = 1e-9 * std::max(Scale(payoffs), Scale(expected));
  for (std::size_t i = 0; i < payoffs.size(); ++i)
    if (std::abs(expected[i] - payoffs[i]) > tol) return false;
  return true;
}

// The regions' optimality, the weakest: exact only when every region was solved exactly.
void Weakest(const std::vector<Region>& regions, AgreementResult* out) {
  out->optimality = Optimality::kExact;
  out->kkt_residual = 0;
  std::string search;
  std::size_t solved = 0;
  for (const Region& r : regions) {
    if (!r.solved) continue;
    ++solved;
    if (r.result.optimality > out->optimality) {
      out->optimality = r.result.optimality;
      search = r.result.search;
    }
    out->kkt_residual = std::max(out->kkt_residual, r.result.kkt_residual);
  }
  const std::string regions_text = "regions by the choices after the agreement: " + std::to_string(solved) +
                                   " of " + std::to_string(regions.size()) + " strategy profiles non-empty";
  out->search = search.empty() ? regions_text : search + "; " + regions_text;
}

}  // namespace

std::optional<AgreementResult> SolveByRegions(const AgreementProblem& problem, const UtilityOracle& utility,
                                              const ContinuationOracle& continuation) {
  const std::size_t n = problem.disagreement.size();
  // The shape, from the box's centre (discrete issues at their first option).
  Vector centre(problem.issues.size());
  for (std::size_t k = 0; k < problem.issues.size(); ++k) {
    const AgreementIssue& issue = problem.issues[k];
    centre[k] = issue.discrete ? issue.values.front() : 0.5 * (issue.lower + issue.upper);
  }
  Vector probe;
  utility(centre, &probe);  // the caller's own checks on an agreement's payoff run here
  const std::shared_ptr<const Game> shape = continuation(centre);
  if (!shape || static_cast<std::size_t>(shape->num_players()) != n) return std::nullopt;
  std::vector<NodeId> deciders;
  std::size_t profiles = 1;
  for (NodeId v = 0; v < shape->num_nodes(); ++v) {
    if (shape->kind(v) != NodeKind::kDecision) continue;
    if (shape->infoset_nodes(shape->infoset(v)).size() != 1) return std::nullopt;  // imperfect information
    if (shape->num_children(v) < 2) continue;
    deciders.push_back(v);
    profiles *= shape->num_children(v);
    if (profiles > kMaxRegions) return std::nullopt;
  }
  Continuations games(continuation, Signature(*shape));
  std::vector<int> parties = problem.parties;
  if (parties.empty())
    for (std::size_t i = 0; i < n; ++i) parties.push_back(static_cast<int>(i));

  std::vector<Region> regions(profiles);
  try {
    for (std::size_t p = 0; p < profiles; ++p) {
      Region& region = regions[p];
      region.choice.assign(shape->num_nodes(), 0);
      std::size_t rest = p;
      for (NodeId v : deciders) {
        region.choice[v] = static_cast<std::uint32_t>(rest % shape->num_children(v));
        rest /= shape->num_children(v);
      }
      const std::vector<std::uint32_t>* choice = &region.choice;
      region.utility = [&games, choice, n](const Vector& x, Vector* u) {
        Vector values;
        Values(games.At(x), *choice, &values);
        u->assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n));
      };
      region.problem = problem;
      // Each choice at least as good for its mover as every alternative, under the profile.
      for (NodeId v : deciders) {
        const model::InfosetId h = shape->infoset(v);
        const std::uint32_t a = region.choice[v];
        const auto mover = static_cast<std::size_t>(shape->player(v));
        for (std::uint32_t b = 0; b < shape->num_children(v); ++b) {
          if (b == a) continue;
          AgreementConstraint comparison;
          comparison.text = std::string(shape->infoset_label(h)) + " = " + std::string(shape->action_label(h, a)) + " (" +
                            shape->player_name(static_cast<int>(mover)) + ": " + std::string(shape->action_label(h, a)) +
                            " >= " + std::string(shape->action_label(h, b)) + ")";
          comparison.value = [&games, choice, v, a, b, mover](const Vector& x) {
            const Game& game = games.At(x);
            Vector values;
            Values(game, *choice, &values);
            const std::size_t np = static_cast<std::size_t>(game.num_players());
            return values[static_cast<std::size_t>(game.child(v, b)) * np + mover] -
                   values[static_cast<std::size_t>(game.child(v, a)) * np + mover];
          };
          region.problem.constraints.push_back(std::move(comparison));
        }
      }
      // A region's payoffs are the value of the game after the agreement under one profile,
      // and its comparisons differences of such values: affine where the caller shows that
      // game affine in the continuous issues (AgreementProblem::continuation_affine: affine
      // terminal payoffs, chance probabilities and shape independent of the issues). The
      // problem's own constraints are shown linear by the caller as for any bargain. Nothing
      // is concluded from values: a payoff after the agreement with a jump between a few
      // probed points would be solved on the wrong set.
      const AgreementProblem* original = &problem;
      region.problem.affine = [original](const Vector& at) {
        return original->continuation_affine && original->continuation_affine(at);
      };
      const std::size_t own_constraints = problem.constraints.size();
      region.problem.linear_constraints = [original, own_constraints](const Vector& at) {
        if (own_constraints > 0 && !(original->linear_constraints && original->linear_constraints(at))) return false;
        return original->continuation_affine && original->continuation_affine(at);
      };
      try {
        region.result = SolveAgreement(region.problem, region.utility, AgreementMethod::kExactOrSearch);
        region.solved = true;
      } catch (const ValidationError& e) {
        if (!EmptyRegion(e.message())) throw;
      }
    }

    std::vector<const Region*> productive;
    for (const Region& r : regions)
      if (r.solved && r.result.agreement_possible) productive.push_back(&r);
    if (productive.empty()) {
      for (const Region& r : regions)
        if (r.solved) {
          AgreementResult out = r.result;
          Weakest(regions, &out);
          return out;
        }
      return std::nullopt;  // every region empty: the search states the problem's own error
    }
    const Vector& d = problem.disagreement;
    // The whole set's ideal point: each player's best over the regions.
    Vector ideal = productive.front()->result.result.ideal;
    for (const Region* r : productive)
      for (std::size_t i = 0; i < n && i < r->result.result.ideal.size(); ++i)
        ideal[i] = std::max(ideal[i], r->result.result.ideal[i]);

    const AgreementResult& first = productive.front()->result;
    AgreementResult out = first;
    out.result.ideal = ideal;
    out.result.frontier.reset();
    out.result.pareto_vertices.clear();
    out.points.clear();
    for (const Region* r : productive) out.points.insert(out.points.end(), r->result.points.begin(), r->result.points.end());
    out.solution_terms.resize(out.result.solutions.size());
    out.solution_issue_values.resize(out.result.solutions.size());
    // Per listed solution: the best region by the concept's own score.
    for (std::size_t k = 0; k < out.result.solutions.size(); ++k) {
      const Solution& listed = first.result.solutions[k];
      double best = -INFINITY;
      for (const Region* r : productive) {
        if (k >= r->result.result.solutions.size()) return std::nullopt;
        Solution s = r->result.result.solutions[k];
        AgreementTerms terms = k < r->result.solution_terms.size() ? r->result.solution_terms[k] : AgreementTerms{};
        Vector issues = k < r->result.solution_issue_values.size() ? r->result.solution_issue_values[k] : Vector{};
        if (s.concept_kind != listed.concept_kind || s.weighted != listed.weighted) return std::nullopt;
        if (s.concept_kind == Concept::kKalaiSmorodinsky) {
          bool same_ideal = true;
          for (int i : parties) {
            const auto j = static_cast<std::size_t>(i);
            same_ideal = same_ideal && std::abs(r->result.result.ideal[j] - ideal[j]) <= 1e-12 * Scale(ideal);
          }
          if (!same_ideal) {
            auto ks = KsAgainst(*r, d, ideal, parties);
            if (!ks) continue;
            s = std::move(ks->first);
            terms = std::move(ks->second.first);
            issues = std::move(ks->second.second);
          }
        }
        const double score = Score(s, s.payoffs, d, ideal, parties);
        if (score > best) {
          best = score;
          out.result.solutions[k] = std::move(s);
          out.solution_terms[k] = std::move(terms);
          out.solution_issue_values[k] = std::move(issues);
        }
      }
      Solution& chosen = out.result.solutions[k];
      if (!Attained(utility, out.solution_terms[k], chosen.payoffs)) return std::nullopt;
      chosen.method += productive.size() == 1
                           ? "; region by region (the choices after the agreement): the only one of " +
                                 std::to_string(regions.size()) + " with an agreement"
                           : "; region by region (the choices after the agreement): the best of " +
                                 std::to_string(productive.size()) + " with an agreement (of " +
                                 std::to_string(regions.size()) + ")";
    }
    // The chosen concept's solution into the main fields.
    const bool want_weighted = !problem.weights.empty() && !AllEqual(problem.weights);
    const bool uses_weights = Info(problem.concept_kind).uses_weights;
    std::size_t pick = out.result.solutions.size();
    for (std::size_t k = 0; k < out.result.solutions.size() && pick == out.result.solutions.size(); ++k) {
      const Solution& s = out.result.solutions[k];
      if (s.concept_kind == problem.concept_kind && (!uses_weights || s.weighted == want_weighted)) pick = k;
    }
    if (pick == out.result.solutions.size()) return std::nullopt;
    const Solution& chosen = out.result.solutions[pick];
    out.payoffs = chosen.payoffs;
    out.terms = out.solution_terms[pick];
    out.issue_values = out.solution_issue_values[pick];
    out.lottery = out.terms.lottery();
    // The binding constraints: those of the region the chosen solution comes from (none for
    // a Kalai-Smorodinsky point re-solved against the whole set's ideal point).
    out.binding.clear();
    for (const Region* r : productive)
      if (r->result.payoffs == chosen.payoffs && r->result.issue_values == out.issue_values) {
        out.binding = r->result.binding;
        break;
      }
    Weakest(regions, &out);
    return out;
  } catch (const ShapeChanged&) {
    return std::nullopt;
  }
}

}  // namespace parley::bargaining::internal
