// The agent logit quantal response equilibrium (QRE) of a finite extensive game with perfect
// recall, and the subgame-perfect equilibrium selected by the limit of its principal branch.
//
// Agent QRE (McKelvey and Palfrey 1995, 1998): every information set h is an agent of its
// owner p who picks action a with probability
//     sigma(h, a) = exp(lambda * U(h, a)) / sum_b exp(lambda * U(h, b)),
// where U(h, a) is p's expected payoff from playing a at h and following sigma afterwards,
// with beliefs over the nodes of h given by Bayes' rule from sigma (every node is reached
// with positive probability when lambda is finite). At lambda = 0 play is uniform; as lambda
// grows along the principal branch (the connected curve of solutions through lambda = 0),
// the profile converges to a sequential equilibrium (McKelvey and Palfrey 1998, Theorem 4),
// hence to a subgame-perfect one.
//
// The branch is traced by predictor-corrector continuation (Allgower and Georg 1990) on
//     ln sigma(h, a) - ln sigma(h, 0) - lambda (U(h, a) - U(h, 0)) = 0   (a >= 1)
//     sum_a sigma(h, a) - 1 = 0
// in the unknowns (ln sigma, lambda), as in Turocy (2005, 2010), with local parametrisation
// (the corrector fixes the coordinate that changes fastest, so turning points in lambda are
// passed), the tangent oriented by the sign of the bordered Jacobian's determinant (so a step
// that jumps to a stretch of the branch traversed the other way is rejected, not followed
// backwards), Newton's corrector with the Jacobian of the predicted point, and step-size
// control on the corrector's contraction, its first correction and the tangent's turning
// angle (Allgower and Georg 1990, ch. 2 and 6). Reach probabilities and beliefs are computed in log space, so a deep tree's tiny
// reach probabilities do not underflow into uniform beliefs. The Jacobian is sparse: the
// derivative of U(h, a) by ln sigma(h', a') is non-zero only where a play passes through both
// (h, a) and (h', a'); it is assembled over pairs of edges, one above the other (the plays below
// a node add up to its reach times its value), and factorised by a sparse LU (KLU).
//
// For equilibria, the trace stops now and then (as lambda grows) to polish: the supports read
// off the profile, the equalities of the supported actions' values are solved by Newton's
// method with the other actions at probability 0 (beliefs at sets the polished profile no
// longer reaches keep the trace's), and the result is accepted only once it passes the
// caller's verification. A trace that runs out of steps, of time or of step size ends with a
// status saying so, never with an unverified profile.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"

namespace parley::equilibrium {

struct LogitOptions {
  // Tracing stops (unsuccessfully) past this lambda, times the game's payoff range.
  double max_lambda = 1e8;
  std::size_t max_steps = 100000;
  double max_seconds = 60;  // processor time of the calling thread, not wall-clock time
  // First step length along the branch, and the smallest before the tracer gives up.
  double first_step = 0.03;
  double min_step = 1e-12;
};

// What a trace ended with.
enum class LogitStatus {
  kConverged,     // an equilibrium was found and verified
  kReachedLambda, // the requested lambda was reached (QRE)
  kStepTooSmall,  // the corrector failed even with the smallest step
  kStepLimit,     // max_steps
  kTimeLimit,     // max_seconds
  kLambdaLimit,   // max_lambda without a verified polish
};

std::string LogitStatusText(LogitStatus status);
// The same for a QRE trace (no equilibrium is sought there): kLambdaLimit names the limit.
std::string QreStatusText(LogitStatus status);

struct LogitStats {
  LogitStatus status = LogitStatus::kStepTooSmall;
  double lambda = 0;          // where the trace stopped (in the game's own payoff units)
  std::size_t steps = 0;      // accepted predictor-corrector steps
  std::size_t polishes = 0;   // polish attempts
  double seconds = 0;         // processor time of the trace
  // TraceLogitQre: where the branch first turned back in lambda (the largest lambda reached
  // before, in the game's units), or -1 when it did not before the trace ended.
  double turned_back_at = -1;
  // TraceLogitEquilibrium: rescaled traces run after the principal branch failed (0 when it
  // did not), their steps and processor time, and whether the last stopped at the time limit.
  // On kConverged with rescaled > 0 the last of them found the equilibrium (lambda is then the
  // largest either reached, a rescaled trace's before its per-set weights). Otherwise status,
  // lambda, steps and seconds are the principal branch's (polishes count every trace's).
  int rescaled = 0;
  std::size_t rescaled_steps = 0;
  double rescaled_seconds = 0;
  bool rescaled_timed_out = false;
  // TraceLogitEquilibrium, after every trace failed: the subgame's pure profiles searched
  // (pure_tried of pure_profiles, their number, as a double since it can pass 2^64), whether
  // one was verified (then status is kConverged and the equilibrium is that profile), and
  // whether the time limit stopped the search.
  double pure_profiles = 0;
  std::size_t pure_tried = 0;
  bool pure_found = false;
  bool pure_timed_out = false;
};

// One subgame (the whole game, or a proper subgame whose own proper subgames were solved and
// replaced by their values) as the tracer sees it. Build with MakeLogitSubgame.
class LogitSubgame;

// `cut[v]` marks nodes strictly inside the subgame at `root` whose subtree has been solved:
// such a node is a leaf worth `value[v * num_players + p]`. `value` must be filled for them.
// `cut` may be empty (nothing cut). Chance probabilities come from the game.
std::shared_ptr<const LogitSubgame> MakeLogitSubgame(const model::Game& game, NodeId root,
                                                     const std::vector<char>& cut,
                                                     const std::vector<double>& value);

// A check of the tracer's Jacobian for tests: at `points` random points (profiles in log space,
// some so steep that reach probabilities fall far below the smallest double; lambda in [0, 20]),
// the Jacobian of the equations times a random direction against central differences of the
// equations. Returns the largest difference relative to 1 + the product's largest entry.
// With `weighted`, the equations of a rescaled trace (a random weight on lambda at each set).
double LogitJacobianError(const LogitSubgame& subgame, std::uint32_t seed, int points, bool weighted = false);

// The game's nodes in the subgame (cut nodes included, what lies below them not), in preorder.
std::vector<NodeId> LogitSubgameNodes(const LogitSubgame& subgame);

// What the subgame's payoffs are divided by (their range): the tracer follows lambda up to
// LogitOptions::max_lambda divided by this, so a caller can keep its requests below that.
double LogitPayoffScale(const LogitSubgame& subgame);

// Traces the principal branch until `accept` returns true for a polished profile.
// `accept(behavior)` gets the full behaviour vector (over `index`; only the subgame's sets
// changed) and says whether it is an equilibrium (the caller verifies). On kConverged,
// `behavior` holds the accepted profile; otherwise it holds the last point of the trace.
// `limit_beliefs`, when given (indexed by the game's nodes), receives on kConverged beliefs at
// every node of the subgame's sets that are consistent with the accepted profile: the limit of
// Bayes' rule under (1 - t) profile + t (the trace's point that was polished) as t -> 0 (Bayes'
// rule where the profile reaches the set).
LogitStats TraceLogitEquilibrium(const model::Game& game, const LogitSubgame& subgame, const ActionIndex& index,
                                 std::vector<double>& behavior,
                                 const std::function<bool(const std::vector<double>&)>& accept,
                                 const LogitOptions& options = {},
                                 std::vector<double>* limit_beliefs = nullptr);

// The agent QRE on the principal branch at each of `lambdas` (ascending, >= 0), handed to
// `visit(lambda, behavior, log_behavior)` as they are reached: the probabilities and their
// natural logarithms (-infinity for 0), both over ActionIndex. At large lambda the
// probabilities of unlikely actions underflow a double, and the reach probabilities of whole
// information sets with them; their logarithms, which the tracer works in, do not, and what
// is stated about such sets (beliefs, values, the QRE conditions) must come from them.
// Returns how the trace ended (kReachedLambda when every lambda was reached). `every_step`,
// when given, is handed each point the trace accepts on the way, in the order of the branch
// (where it bends back in lambda, the points past the turn too, which `visit` never sees).
using QreVisit = std::function<void(double, const std::vector<double>&, const std::vector<double>&)>;
LogitStats TraceLogitQre(const model::Game& game, const LogitSubgame& subgame, const ActionIndex& index,
                         std::vector<double> behavior, const std::vector<double>& lambdas,
                         const QreVisit& visit, const LogitOptions& options = {},
                         const QreVisit& every_step = {});

// A behaviour vector with the chance sets' probabilities and 0 elsewhere: what a QRE trace of
// the whole game starts from (TraceLogitQre's `behavior`).
std::vector<double> ChanceBehavior(const model::Game& game, const ActionIndex& index);

// How well a profile meets the QRE conditions: the largest violation (below), and the largest
// sum of the terms it compares, |ln sigma(h, a)| + |ln sigma(h, 0)| + lambda (|U(h, a)| +
// |U(h, 0)|), which sets what rounding alone can leave.
struct QreCheck {
  double violation = 0;
  double scale = 0;
  // The bar a QRE meets: 1e-9, or 1e-13 of the terms compared when they are larger than 1e4
  // (payoffs in the billions at lambda 0.01 compare terms of 1e7, and the doubles' steps there
  // are 1.9e-9), as the equilibrium check discounts rounding (CheckSubgameGain).
  double bar() const { return std::max(1e-9, 1e-13 * scale); }
  bool holds() const { return violation <= bar(); }
};

// One agent QRE of the whole game, checked.
struct QrePoint {
  double lambda = 0;
  std::vector<double> behavior;      // over ActionIndex; empty when the trace stopped first
  std::vector<double> log_behavior;  // their logarithms, as the tracer has them
  LogitStats stats;                  // kReachedLambda, or why the trace stopped
  QreCheck check;                    // CheckQreFromLog of `log_behavior`
};

// The agent QRE at `lambda` (>= 0, in the game's payoff units) on the principal branch of the
// whole game, and its check by QreViolationFromLog.
QrePoint QreAt(const model::Game& game, double lambda, const LogitOptions& options = {});

// Beliefs, action values and the QRE conditions' largest violation as below, from a
// profile's log-probabilities (-infinity for 0): reach probabilities are summed in log space
// (the largest term of each set factored out), so a set whose every node is reached with a
// probability below the smallest double still gets the beliefs Bayes' rule gives it. Uniform
// only at sets no play reaches at all (a chance probability or an action probability of
// exactly 0 above each node). Independent of the tracer's passes, for checks and reports.
std::vector<double> BeliefsFromLog(const model::Game& game, const ActionIndex& index,
                                   const std::vector<double>& log_behavior);
std::vector<double> ActionValuesFromLog(const model::Game& game, const ActionIndex& index,
                                        const std::vector<double>& log_behavior);
double QreViolationFromLog(const model::Game& game, const ActionIndex& index,
                           const std::vector<double>& log_behavior, double lambda);
QreCheck CheckQreFromLog(const model::Game& game, const ActionIndex& index,
                         const std::vector<double>& log_behavior, double lambda);
// eq.beliefs and eq.belief_source as AssignBeliefs sets them for eq.behavior (beliefs.h),
// except at sets with a node reached with a probability below the smallest normal double
// (subnormal, or underflowed to 0) while its logarithm is finite: those get Bayes' rule from
// `log_behavior`, as BeliefsFromLog gives it.
void AssignQreBeliefs(const model::Game& game, const ActionIndex& index, const std::vector<char>& subgame_roots,
                      const std::vector<double>& log_behavior, Equilibrium& eq);

// The largest violation of the QRE conditions by `behavior` at `lambda`: over personal sets h
// and actions a, |ln sigma(h, a) - ln sigma(h, 0) - lambda (U(h, a) - U(h, 0))| with U from
// ActionValues (linear space, independent of the tracer's log-space passes). Infinite when a
// probability of a set with two or more actions is 0.
double QreViolation(const model::Game& game, const ActionIndex& index, const std::vector<double>& behavior,
                    double lambda);

// The values U(h, a) that the QRE conditions are stated in, for a profile with every
// reached probability positive: for each personal set h, the owner's expected payoff from
// each action given the beliefs the profile induces (uniform over a set the profile does not
// reach). Over `index`; chance sets hold 0. For tests and reports.
std::vector<double> ActionValues(const model::Game& game, const ActionIndex& index,
                                 const std::vector<double>& behavior);

// The beliefs a profile induces: for every node of every personal information set, the
// probability of being at that node given that the set is reached (Bayes' rule; uniform at
// sets the profile does not reach). Indexed by node; 0 for other nodes.
std::vector<double> Beliefs(const model::Game& game, const ActionIndex& index,
                            const std::vector<double>& behavior);

}  // namespace parley::equilibrium
