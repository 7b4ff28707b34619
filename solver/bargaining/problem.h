// Bargaining problems and their solutions: the plain types shared by every solver in
// solver/bargaining. A bargaining problem (Nash 1950) is a feasible set of utility vectors and
// a disagreement point d; a solution concept picks one feasible vector.
//
// Three kinds of feasible sets are supported:
//   OutcomeSet        the convex hull of listed outcome vectors (lotteries over outcomes), or
//                     the listed outcomes alone when lotteries are forbidden;
//   AgreementSpace    issues each in an interval, each player's payoff a formula of them;
//   TransferableSurplus  a surplus split freely (transferable utility).
// Everything is in doubles; player i's payoff is entry i of every vector.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parley::bargaining {

using Vector = std::vector<double>;

// Payoffs, disagreement points, threat matrices and weights are at most kMaxMagnitude in
// magnitude (ValidationError otherwise: beyond it GLPK's scaling fails and rounding at the
// solvers' relative tolerances swamps the answer; rescaling the units brings any problem in).
// Payoffs and disagreement values below kMinMagnitude count as 0 (they are below every
// tolerance, and GLPK aborts on coefficients like 1e-200); weights must reach it.
inline constexpr double kMaxMagnitude = 1e12;
inline constexpr double kMinMagnitude = 1e-12;

enum class Concept {
  kNash,              // Nash (1950); weighted when weights are given (maximise sum w_i log(u_i-d_i))
  kKalaiSmorodinsky,  // Kalai and Smorodinsky (1975): maximal point on the segment d -> ideal
  kEgalitarian,       // Kalai (1977): maximal equal absolute gains over d
  kUtilitarian,       // maximal weighted sum of payoffs among points >= d
};

// The concepts' names and properties are in one table (concepts.h); these read it.
// "nash", "kalai_smorodinsky", "egalitarian", "utilitarian".
std::string ToString(Concept concept_kind);
// Parses the names above (and "ks"); returns false on anything else.
bool ParseConcept(const std::string& text, Concept* out);
// Every concept, in the table's order.
const std::vector<Concept>& AllConcepts();

// (a) Lotteries over listed outcomes: the feasible set is conv(outcomes), or the outcomes
// themselves when `lotteries` is false.
struct OutcomeSet {
  std::vector<Vector> outcomes;  // each one entry per player
  bool lotteries = true;
};

// (b) A continuous agreement space: issue k takes values in [lower, upper]; player i's payoff
// is the formula utilities[i] (muparser syntax) of the issue names.
struct Issue {
  std::string name;
  double lower = 0.0;
  double upper = 1.0;
};
struct AgreementSpace {
  std::vector<Issue> issues;
  std::vector<std::string> utilities;  // one per player
};

// (c) Transferable utility: any payoff vector with sum <= surplus.
struct TransferableSurplus {
  double surplus = 1.0;
  int players = 2;
};

// How exactly a solution is known.
enum class Precision {
  kExact,        // closed form (rounding only)
  kCertified,    // an optimality certificate bounds the error by `gap`
  kKktPoint,     // the optimality (KKT) conditions hold to 1e-9 (`gap` holds the residual) and
                 // concavity was sampled (not proven): optimal if the problem is concave
  kBestFound,    // the best point a global search and a local polish found: no guarantee
};
std::string ToString(Precision precision);

struct Solution {
  Concept concept_kind = Concept::kNash;
  bool weighted = false;       // a weighted Nash or weighted utilitarian solution
  Vector weights;              // the weights used (all 1 when not weighted)
  Vector payoffs;              // the agreement, one entry per player
  Vector issues;               // kind (b): agreed issue values, in issue order
  Vector lottery;              // kind (a): probability on each listed outcome
  std::vector<Vector> ties;    // distinct optimal points when several (utilitarian optima,
                               // or a Pareto refinement of KS/egalitarian that is a face)
  std::string tie_rule;        // how such a tie was broken, in words, when not the concept's
                               // usual rule (concepts.h)
  std::string method;          // how it was computed, for reports
  Precision precision = Precision::kExact;
  double gap = 0.0;            // bound on the error of the concept's objective (see docs)
  // Pure outcomes only: what forbidding lotteries costs, in the concept's own objective
  // (Nash: fraction of the Nash product lost; KS and egalitarian: loss in the common gain
  // ratio or gain; utilitarian: loss in weighted sum). Absent when lotteries were allowed.
  std::optional<double> pure_cost;
  std::optional<Vector> lottery_payoffs;  // pure only: the same concept with lotteries
};

// A two-player Pareto frontier: vertices with u1 increasing and u2 decreasing, consecutive
// vertices joined by segments of the frontier.
struct Frontier2 {
  std::vector<std::pair<double, double>> vertices;
  // For each segment k (vertices k and k+1): the outward normal (a1, a2) > 0, scaled so that
  // a1 + a2 = 1, and c with a1 u1 + a2 u2 = c on the segment.
  std::vector<std::pair<double, double>> normals;
  std::vector<double> offsets;
};

// Threats of Nash's variable-threat game (Nash 1953).
struct Threats {
  Vector row_strategy;        // player 1's optimal threat (mixed strategy over rows)
  Vector column_strategy;     // player 2's optimal threat (over columns)
  Vector threat_point;        // the disagreement point the threats induce
  double value = 0.0;         // value of the zero-sum threat game
  std::pair<double, double> normal{0.5, 0.5};  // frontier normal at the agreement (a1, a2)
  bool transferable = false;
};

struct Result {
  Vector disagreement;
  Vector ideal;
  std::vector<Solution> solutions;
  std::optional<Threats> threats;
  std::optional<Frontier2> frontier;           // two-player problems over outcome sets
  std::vector<Vector> pareto_vertices;         // n-player outcome sets (when computed)
  std::vector<std::string> issue_names;        // kind (b)
  const Solution* Find(Concept concept_kind) const {
    for (const Solution& s : solutions) {
      if (s.concept_kind == concept_kind) return &s;
    }
    return nullptr;
  }
};

// What to compute. Weights apply to Nash and utilitarian; an empty vector means all 1.
struct Request {
  std::vector<Concept> concepts = AllConcepts();
  Vector weights;
  double tolerance = 1e-9;  // target gap for the iterative n-player Nash solver
};

}  // namespace parley::bargaining
