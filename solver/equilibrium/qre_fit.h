// The agent logit quantal response equilibrium (McKelvey and Palfrey 1998) as `parley qre`
// and the Python module serve it: the principal branch at a list of lambdas, and the lambda
// that best explains observed action counts (maximum likelihood, with the standard error
// from the observed information, as in McKelvey and Palfrey 1995, section 4).
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"

namespace parley::equilibrium {

// The principal branch at each of `lambdas` (ascending, >= 0). `points` holds the profiles
// reached (over ActionIndex), in order; when the trace stops early, fewer, and `incomplete`
// says where and why (empty otherwise).
struct QreTrace {
  std::vector<std::pair<double, std::vector<double>>> points;
  std::vector<std::vector<double>> log_behaviors;  // each point's log-probabilities (TraceLogitQre),
                                                   // as many as `points`
  LogitStats stats;
  std::string incomplete;
};

// Throws parley::Error for a game without perfect recall or a bad lambda list.
// `options`: the tracer's limits (max_seconds: the budget of the whole trace).
QreTrace TraceQre(const model::Game& game, const std::vector<double>& lambdas, const LogitOptions& options = {});

// Observed choices, per action (over ActionIndex), and their total.
struct QreCounts {
  std::vector<double> count;
  double total = 0;
};

// Reads counts as CSV text with the header `player,set,action,count`: player and set 1-based
// (the set's number within its player, in order of first appearance), action a label of
// that set, count a number >= 0; rows for the same action add up. `name` is the file the
// text came from, for the messages (Error at name:line:1).
QreCounts ParseQreCounts(std::string_view text, const std::string& name, const model::Game& game);

// The maximum-likelihood lambda for `counts` in [0, max_lambda] (max_lambda 0: 1000 over the
// range of the payoffs of the players who choose, so that rescaling the payoffs by k rescales
// the range, and every answer, by 1/k) (or in [0, L] for the L the
// tracer stops at, LogitOptions::max_lambda over the payoffs' range, when L is lower): the
// log-likelihood and its slope on a grid on a log scale (ratio 1.25, from 1e-3 over the
// payoffs' range, and at both ends of the range), every interval subdivided where the ends'
// values and slopes leave room for a stationary point, every local maximum refined, and
// the best of them and of the two ends taken. `standard_error` is NaN except at a maximum
// inside the range where the slope vanishes and the observed information is positive;
// `at_zero` when the best lambda is 0, `at_search_limit` when it is `search_limit`, the
// upper end. Throws LimitError when the trace stops before the upper end, Error for
// max_lambda negative or not finite, or no counts.
struct QreFit {
  double lambda = 0;
  double standard_error = std::numeric_limits<double>::quiet_NaN();
  double log_likelihood = 0;
  double observations = 0;
  bool at_zero = false;
  bool flat = false;  // the same likelihood at every lambda searched: the counts cannot tell
  bool at_search_limit = false;
  double search_limit = 0;  // max_lambda, or the tracer's limit when that is lower
  double requested_limit = 0;  // max_lambda, or its default when 0 was given
  // Where the principal branch first bends back in lambda within the search (-1: nowhere).
  // Past that turn a lambda has several QREs on the branch and the search compares only the
  // first crossing of each; the best point past the turn that the trace passed, when it fits
  // better than `lambda` (else NaN): a better fit the search cannot reach exactly.
  double turned_back_at = -1;
  double better_past_turn_lambda = std::numeric_limits<double>::quiet_NaN();
  double better_past_turn_log_likelihood = std::numeric_limits<double>::quiet_NaN();
  // Other local maxima whose log-likelihood is within 1.92 of the best (the 95 % likelihood-
  // ratio bound): (lambda, log-likelihood), ascending in lambda.
  std::vector<std::pair<double, double>> other_maxima;
  std::vector<double> behavior;      // the QRE at `lambda`, over ActionIndex
  std::vector<double> log_behavior;  // its logarithms (TraceLogitQre)
};
// `max_seconds` bounds the processor time of all the traces the fit runs together (as
// LogitOptions::max_seconds bounds one): past it the fit stops with LimitError.
QreFit FitQre(const model::Game& game, const QreCounts& counts, double max_lambda = 0,
              double max_seconds = LogitOptions{}.max_seconds);

}  // namespace parley::equilibrium
