// Bargaining over agreements on issues: the problem a scenario's `bargain` stage and
// `parley bargain --issue/--utility` both hand to solver/bargaining, and its one solver.
//
// The problem is stated as a utility oracle (every player's payoff at any agreement), the
// issues (continuous ranges and discrete options), the disagreement point, the concept and
// the bargaining powers. Each combination of the discrete issues' options is a "package";
// within a package the continuous issues range over a box.
//
// Methods, chosen by SolveAgreement:
//  * exact (the hull method): when every payoff is affine in the continuous issues (shown by
//    the caller from the formulas: `affine`; never concluded from values, which a jump or a
//    bend between the points looked at escapes), a package's payoffs fill exactly the convex hull of the
//    images of the box's corners, so the problem is one over finitely many outcome vectors,
//    solved by outcomes.h:
//     - lotteries allowed (default): over the convex hull of all packages' corners (lotteries
//       between packages included, as in Nash 1950); a lottery is reported only when no
//       single package reaches the same payoffs;
//     - lotteries forbidden: the best package for the concept, each package's own (convex)
//       set solved exactly; the ideal point (Kalai-Smorodinsky's) is over single packages,
//       and so are alternating offers' proposals and the outside options' floors.
//    Linear constraints cut each package's box first (the points that satisfy a constraint and
//    the crossings of the segments between satisfying and violating points: exactly the cut
//    polytope's hull), so affine payoffs with linear constraints stay exact. (The region method,
//    regions.h, judges its regions numerically: the one exception, documented.)
//  * nonlinear (nonlinear.h: a sampled global stage, SLSQP from the best samples, a KKT check,
//    COBYLA where it fails): payoffs not affine or constraints not linear (continuous issues;
//    per package, the best package chosen), weights of 0, and only when the caller allows it
//    (AgreementMethod::kExactOrSearch); otherwise non-affine payoffs are refused with a message
//    saying so. Reported as Optimality::kKktPoint or kBestFound, never as proven.
//
// Parties: the concept is solved over the parties' payoffs only (the hull method projects the
// points; everyone's payoffs are lifted back from the lottery). Alternating offers (two
// parties): Rubinstein's stationarity equations, or Stahl's backward induction, over the
// frontier max u_a s.t. u_b >= v (an LP over the hull, or the nonlinear program). Outside
// options: the split over `inside`, then a party below its option gets exactly the option
// and the others split the rest.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "solver/bargaining/problem.h"

namespace parley::model {
class Game;
}

namespace parley::bargaining {

struct AgreementIssue {
  std::string name;
  bool discrete = false;
  double lower = 0, upper = 1;          // continuous
  std::vector<std::string> labels;      // discrete: option labels
  std::vector<double> values;           // discrete: the value each option binds
};

// A link between issues: the agreement must satisfy value(issues) <= 0 (a scenario's
// `lhs <= rhs` becomes lhs - rhs, `lhs >= rhs` becomes rhs - lhs). `text` is what the user
// wrote, for reports and for naming the constraints that bind.
struct AgreementConstraint {
  std::string text;
  std::function<double(const Vector& issues)> value;
};

// How the parties reach an agreement.
enum class Protocol {
  kAxiomatic,    // the concept (`solution:`) picks the agreement
  kAlternating,  // alternating offers: Rubinstein (1982), infinite horizon; Stahl (1972), finite
};
struct AlternatingProtocol {
  Vector discount;  // per round, one per party (in `parties` order), each in (0, 1)
  int first = 0;    // the first proposer, an index into `parties`
  int rounds = 0;   // 0: infinite horizon; otherwise the last round a proposal is made
};

// What the parties fall back on.
enum class DisagreementRule {
  kThreat,   // `disagreement` is the disagreement point (the threat point)
  kOutside,  // the outside-option principle (Binmore, Shaked and Sutton 1989): split over
             // `inside`, then give each party at least `disagreement` (its outside option)
};

// (SolveExact in agreement.cc copies a problem field by field: a new field goes there too.)
struct AgreementProblem {
  std::vector<AgreementIssue> issues;
  Vector disagreement;          // one per player (the payoff vector's length)
  Concept concept_kind = Concept::kNash;
  Vector weights;               // one per party; empty: equal. A weight may be 0 (that party
                                // then gets its disagreement value); at least one positive
  bool lotteries = true;
  bool all_concepts = true;     // false: only concept_kind (faster; for sweeps)
  // The players at the table, as indices into the payoff vector, in the order `weights` and
  // `alternating.discount` follow. Empty: every player. The other players' payoffs are
  // reported but play no part in the solution (no gain required of them).
  std::vector<int> parties;
  std::vector<AgreementConstraint> constraints;
  Protocol protocol = Protocol::kAxiomatic;
  AlternatingProtocol alternating;  // protocol == kAlternating (exactly two parties)
  DisagreementRule rule = DisagreementRule::kThreat;
  Vector inside;                    // rule == kOutside: one per player, what each gets while
                                    // talks go on
  // Whether every payoff is certainly affine in the continuous issues over the package of
  // these issue values (its discrete issues as given, the continuous ones anywhere in their
  // ranges), shown from the payoffs' formulas. Only true admits the hull method for a package
  // with continuous issues; empty, or false, and the package is not affine (the nonlinear
  // method, or a refusal under AgreementMethod::kExact).
  std::function<bool(const Vector& issues)> affine;
  // The same for the constraints: whether every constraint is certainly affine in the
  // continuous issues over the package of these issue values, shown from its formula. Needed,
  // with continuous issues and constraints, for the hull method's cuts.
  std::function<bool(const Vector& issues)> linear_constraints;
  // With a ContinuationOracle (stages after the agreement): whether the game after an
  // agreement is certainly affine in the continuous issues over the package of these issue
  // values, shown from its formulas: every terminal payoff affine in them, and every chance
  // probability, condition and action set independent of them. Then each region's payoffs
  // (a fixed profile's value) and comparisons are affine there (regions.h); empty, or false,
  // and the regions are solved by the nonlinear method.
  std::function<bool(const Vector& issues)> continuation_affine;
  // How a refusal names player i's payoff (`the utility of player 1 "1/x"`, `the payoff of
  // Buyer`); empty: "the payoff of player i" (1-based).
  std::function<std::string(std::size_t player)> payoff_name;
};

// Payoffs of every player at the given issue values (one per issue, discrete ones holding
// the option's value). May throw the caller's own errors (they pass through).
using UtilityOracle = std::function<void(const Vector& issues, Vector* payoffs)>;

// The game played after an agreement on these issue values (a scenario's `after_agreement`
// stages with the terms bound); the utility oracle gives its subgame-perfect value. With it
// SolveAgreement splits the terms into regions by the game's choices (regions.h).
using ContinuationOracle = std::function<std::shared_ptr<const model::Game>(const Vector& issues)>;

// One package an agreement uses, with its probability (1 unless the agreement is a lottery
// between packages) and its issues: a continuous issue's value within the package (its mean
// over the package's corners), a discrete issue's option value.
struct AgreementPackage {
  double probability = 1;
  Vector issues;
};
// An agreement's terms: the packages it uses (more than one: a lottery between packages).
// report/agreement_text.h puts them in words.
struct AgreementTerms {
  std::vector<AgreementPackage> packages;
  bool lottery() const { return packages.size() > 1; }
};

// How sure the solver is of an agreement (never "global" on the strength of sampling).
enum class Optimality {
  kExact,      // affine payoffs, linear constraints: the hull method, exact up to rounding
  kKktPoint,   // a point where the optimality (KKT) conditions hold to `kkt_residual`, with
               // concavity sampled (not proven): optimal if the problem is concave
  kBestFound,  // the best point a global search and a local polish found (`search` says how)
};

struct AgreementResult {
  Optimality optimality = Optimality::kExact;
  std::string search;               // kKktPoint / kBestFound: the method, in words
  double kkt_residual = 0;          // kKktPoint: the largest violation of the KKT conditions
  std::vector<std::string> binding; // constraints (their text) and issue bounds ("price = 10")
                                    // active at the agreement
  std::vector<int> parties;         // the players at the table (every player when none given)
  std::vector<bool> outside_binds;  // rule == kOutside: per party, its outside option binds
  // Alternating offers with no limit on rounds, without lotteries between several packages (a
  // frontier that need not be concave): when the stationarity equations have several solutions,
  // each a subgame-perfect equilibrium of the talks, the first proposer's payoff at each, as
  // stretches [from, to] (from == to: one point), increasing; the agreement is the last one's,
  // the best for the first proposer. Empty when there is one. `stationary_unchecked`: why the
  // others were not looked for (a frontier of too many pieces, or payoffs that are not affine
  // and not shown concave); empty when they were, or when the frontier is concave.
  std::vector<std::pair<double, double>> stationary;
  std::string stationary_unchecked;

  // False when no agreement gives every player more than the disagreement point: then talks
  // fail, `payoffs` is the disagreement point and `result` holds only it and the ideal point.
  bool agreement_possible = true;
  std::vector<AgreementIssue> issues;  // the problem's, for the writers
  Result result;                      // every concept side by side, ideal point, frontier
  Vector payoffs;                     // the agreement under the chosen concept
  Vector issue_values;                // its issues (discrete: the option's value; a lottery:
                                      // the expected value)
  AgreementTerms terms;               // its terms package by package
  bool lottery = false;               // the agreement mixes packages
  std::vector<Vector> points;         // the outcome vectors of the feasible set (exact method)
  // For each entry of result.solutions: its terms and issue values (as above; empty when the
  // solution has no agreement behind it).
  std::vector<AgreementTerms> solution_terms;
  std::vector<Vector> solution_issue_values;
};

enum class AgreementMethod {
  kExact,          // the hull method; payoffs not affine in a continuous issue are refused
  kExactOrSearch,  // the hull method when affine and linear (at most 12 continuous issues,
                   // 4096 packages), the nonlinear method otherwise (nonlinear.h)
};

// Throws ValidationError (payoffs not affine in a continuous issue under kExact, a payoff not
// finite, magnitudes beyond kMaxMagnitude (under the nonlinear method: at any agreement the
// search evaluates that satisfies the constraints, naming the payoff by `payoff_name` and the
// issue values), too many issues or packages, lotteries forbidden
// and no single package beats d for everyone, a party that is not a player, weights not one
// per party or all 0, no agreement satisfying the constraints, alternating offers without
// exactly two parties or with weights or with discounts outside (0, 1), outside options
// without `inside`). When no agreement beats d the result says so (agreement_possible).
// `continuation` (optional): the game behind `utility` when an agreement is followed by one;
// with the axiomatic protocol and a threat point the problem is then solved region by region
// (regions.h), exactly where every region is, and by the search over `utility` where the
// regions cannot be enumerated.
AgreementResult SolveAgreement(const AgreementProblem& problem, const UtilityOracle& utility,
                               AgreementMethod method = AgreementMethod::kExact,
                               const ContinuationOracle& continuation = {});

// Does `constraint` bind at issue values x: is its value within `tolerance` of its own
// magnitude (the largest |value| at x and at the box's lowest and highest corners, x's
// discrete issues kept) of 0? Relative, so that a constraint written in units of 1e-13 binds
// where the same constraint in units of 1 does. 1e-12 suits agreements found exactly (to
// rounding), 1e-9 the nonlinear method's. `corner` is working storage.
bool ConstraintBinds(const AgreementProblem& problem, const AgreementConstraint& constraint, const Vector& x,
                     Vector* corner, double tolerance);
// What binds at issue values x, as an agreement reports it: each constraint that binds
// (ConstraintBinds), then each continuous issue within `tolerance` of its range from a bound
// ("divest = 1").
std::vector<std::string> BindingAt(const AgreementProblem& problem, const Vector& x, double tolerance);

// SolveAgreement in two steps, for a caller that solves the same problem again with other
// weights (a sweep of the bargaining powers): the corners and the outcome points read the
// utility, the issues and the disagreement point but not the weights, so they can be kept.
// Only the plain problem keeps them: every player a party with a positive weight, no
// constraints, the axiomatic protocol with a threat point, no continuation, and the exact
// (hull) method applicable.
class PreparedAgreement {
 public:
  PreparedAgreement();
  ~PreparedAgreement();
  PreparedAgreement(PreparedAgreement&&) noexcept;
  PreparedAgreement& operator=(PreparedAgreement&&) noexcept;
  bool ready() const;
  void Reset();

 private:
  friend void SolveAgreementKeeping(const AgreementProblem&, const UtilityOracle&, AgreementMethod,
                                    PreparedAgreement*, AgreementResult*);
  friend bool SolvePrepared(const AgreementProblem&, const PreparedAgreement&, AgreementResult*);
  struct State;
  std::unique_ptr<State> state_;
};

// SolveAgreement (no continuation), its result written over `out` (every field set); when it
// took the plain exact path, `keep` holds what it prepared, otherwise `keep` is reset. The
// storage of `keep` (corners, hull, frontiers) and of `out` is reused, so a caller that
// prepares again for new inputs (a new draw of the parameters) allocates little. When it
// throws, `out` may be partly written and must not be read.
void SolveAgreementKeeping(const AgreementProblem& problem, const UtilityOracle& utility,
                           AgreementMethod method, PreparedAgreement* keep, AgreementResult* out);

// SolveAgreement's result for `problem`, which must be the problem `prepared` was kept for
// with at most other weights (the caller's guarantee), bit for bit, written over `out` (every
// field set, the storage of its vectors and strings reused); false, with `out` unchanged, when
// the new weights leave the plain path (a weight of 0): then call SolveAgreementKeeping. Throws
// what SolveAgreement throws for bad weights. It uses working storage kept in `prepared`: one
// PreparedAgreement must not be solved from two threads at once.
bool SolvePrepared(const AgreementProblem& problem, const PreparedAgreement& prepared, AgreementResult* out);

}  // namespace parley::bargaining
