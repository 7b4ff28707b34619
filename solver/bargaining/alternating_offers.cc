#include "solver/bargaining/alternating_offers.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::bargaining {
namespace {

void Validate(const AlternatingOffers& game) {
  for (int i = 0; i < 2; ++i) {
    double d = game.discount[i];
    if (!(d > 0 && d < 1)) {
      throw ValidationError("discount factor of player " + std::to_string(i + 1) +
                            " must be in (0, 1), got " + FormatDouble(d));
    }
    double e = game.outside[i];
    if (!(e >= 0 && e <= 1)) {
      throw ValidationError("outside option of player " + std::to_string(i + 1) +
                            " must be a share in [0, 1], got " + FormatDouble(e));
    }
  }
  if (!(game.outside[0] + game.outside[1] < 1)) {
    throw ValidationError("outside options sum to " +
                          FormatDouble(game.outside[0] + game.outside[1]) +
                          " >= 1: no agreement beats both options, so there is nothing to "
                          "bargain over");
  }
  if (!(game.breakdown >= 0 && game.breakdown < 1)) {
    throw ValidationError("breakdown probability must be in [0, 1), got " +
                          FormatDouble(game.breakdown));
  }
  if (game.first != 0 && game.first != 1) throw ValidationError("the first proposer is 1 or 2");
  if (game.rounds && *game.rounds < 1) throw ValidationError("rounds must be at least 1");
}

}  // namespace

AlternatingOffersResult SolveAlternatingOffers(const AlternatingOffers& game) {
  Validate(game);
  AlternatingOffersResult result;
  std::array<double, 2> delta{game.discount[0] * (1 - game.breakdown),
                              game.discount[1] * (1 - game.breakdown)};
  result.effective_discount = delta;
  // 1 - delta_i, computed as (1 - discount) + discount * breakdown: 1 - delta_i after rounding
  // delta_i kept only the digits above the breakdown's (0.99999999999 with 1e-9: 8 digits).
  const std::array<double, 2> impatience{(1 - game.discount[0]) + game.discount[0] * game.breakdown,
                                         (1 - game.discount[1]) + game.discount[1] * game.breakdown};
  const int p = game.first, r = 1 - game.first;  // first proposer, first responder
  const std::array<double, 2>& e = game.outside;
  double proposer_share = 0.0;
  // 1 - dp dr written as (1 - dp) + dp (1 - dr): near 1 the product's rounding cancels
  // (0.999999999 and 0.99999999 lost 9 digits of the split).
  const double one_minus_q = impatience[p] + delta[p] * impatience[r];
  const double x0 = impatience[r] / one_minus_q;  // the first proposer's share, infinite horizon
  // The responder's, 1 - x0 = dr (1 - dp) / (1 - q), computed as such: 1 - x0 after rounding x0
  // keeps only x0's absolute precision (a share of 0.001 beside 0.999 lost 3 digits).
  const double y_first = delta[r] * impatience[p] / one_minus_q;
  double responder_share = std::numeric_limits<double>::quiet_NaN();  // NaN: 1 - proposer_share
  // Short horizons by the recursion below (exact for T = 1, and as accurate as the closed form
  // for the few steps it takes); long ones in closed form.
  if (game.rounds && *game.rounds > 64 && e[0] == 0 && e[1] == 0) {
    // Without outside options the recursion v_t = 1 - delta_(responder of t) v_(t+1), v_T = 1,
    // taken two rounds at a time, is v_t = (1 - delta_r) + q v_(t+2) with q = dp dr, so
    //   T = 2m + 1: v_1 = x0 + q^m (1 - x0),   T = 2m + 2: v_1 = x0 (1 - q^(m+1)),
    // with x0 = (1 - dr) / (1 - q). q^m as exp(m log1p(-(1 - q))): a power of the rounded q
    // would carry m times its rounding (1e-7 at a billion rounds); iterating, the rounding of
    // every step, divided by 1 - q (5e-11 at discounts 0.999999).
    const int T = *game.rounds;
    const double log_q = std::log1p(-one_minus_q);
    const auto power = [&](int k) { return k == 0 ? 1.0 : std::exp(static_cast<double>(k) * log_q); };
    if (T % 2 == 1) {  // 1 - v_1 = (1 - x0) (1 - q^m)
      const double m = static_cast<double>((T - 1) / 2);
      proposer_share = x0 + power((T - 1) / 2) * y_first;
      responder_share = y_first * -std::expm1(m * log_q);
    } else {  // 1 - v_1 = (1 - x0) + x0 q^(m+1)
      const double m1 = static_cast<double>((T - 2) / 2 + 1);
      proposer_share = x0 * -std::expm1(m1 * log_q);
      responder_share = y_first + x0 * std::exp(m1 * log_q);
    }
    result.outside_binding = {false, false};
    result.method = "backward induction over " + std::to_string(T) + " rounds (closed form)";
  } else if (game.rounds) {
    // V = share of the proposer of the current round; in round T it is 1 - e_responder.
    int T = *game.rounds;
    int proposer = (T - 1) % 2 == 0 ? p : r;
    double v = 1.0 - e[1 - proposer];
    // Whether the responder's option, not its continuation, decides its offer, in the round
    // just computed and in the one after it: the first two rounds' are reported (each party's
    // first turn to respond), as for an infinite horizon.
    int responder_now = 1 - proposer, responder_next = -1;
    bool binds_now = e[responder_now] > 0, binds_next = false;
    // The recursion is a contraction (factor d1 d2 every two rounds), so the values soon
    // repeat with period 2; from then on every earlier round of the same parity is the same,
    // and the loop jumps to round 1 or 2 (a horizon of 2^31 rounds costs what its first
    // hundreds do).
    double two_rounds_later = std::numeric_limits<double>::quiet_NaN(), one_round_later = v;
    for (int t = T - 1; t >= 1; --t) {
      int responder = proposer;  // round t+1's proposer responds in round t
      proposer = 1 - responder;
      double continuation = delta[responder] * v;
      double offer = std::max(e[responder], continuation);
      responder_next = responder_now;
      binds_next = binds_now;
      responder_now = responder;
      binds_now = e[responder] > continuation;
      v = 1.0 - offer;
      if (t > 2 && v == two_rounds_later) {
        t -= (t - 1) / 2 * 2;  // the same proposer and value as round t (and the round after)
        if (t == 1) break;
      }
      two_rounds_later = one_round_later;
      one_round_later = v;
    }
    std::array<bool, 2> binding{false, false};
    binding[static_cast<std::size_t>(responder_now)] = binds_now;  // round 1
    if (responder_next >= 0 && binds_next) binding[static_cast<std::size_t>(responder_next)] = true;  // round 2
    proposer_share = v;
    result.outside_binding = binding;
    result.method = "backward induction over " + std::to_string(T) + " rounds";
  } else {
    // Stationary shares x (p proposing) and y (r proposing):
    //   x = 1 - max(e_r, delta_r y),  y = 1 - max(e_p, delta_p x).
    // The four cases (which options bind) have closed forms; exactly one is consistent.
    const double dp = delta[p], dr = delta[r], ep = e[p], er = e[r];
    const double y0 = impatience[p] / (impatience[r] + dr * impatience[p]);
    double x = x0;
    bool bind_r = false, bind_p = false;
    if (er <= dr * y0 && ep <= dp * x0) {
      x = x0;
      responder_share = y_first;
    } else if (er > dr * (1 - dp * (1 - er)) && ep <= dp * (1 - er)) {
      x = 1 - er;  // only the responder's option binds
      bind_r = true;
    } else if (ep > dp * (1 - dr * (1 - ep)) && er <= dr * (1 - ep)) {
      x = 1 - dr * (1 - ep);  // only the proposer's option binds (when she responds)
      bind_p = true;
    } else {
      x = 1 - er;  // both bind
      bind_r = bind_p = true;
    }
    proposer_share = x;
    result.outside_binding[r] = bind_r;
    result.outside_binding[p] = bind_p;
    result.method = "Rubinstein closed form (infinite horizon)";
    if (bind_r || bind_p) result.method += " with the outside option principle";
  }
  result.shares[p] = proposer_share;
  result.shares[r] = std::isnan(responder_share) ? 1.0 - proposer_share : responder_share;
  if (game.breakdown > 0) result.method += "; breakdown risk folded into the discount factors";
  return result;
}

AlternatingOffersResult SolveAlternatingOffersWithRates(std::array<double, 2> rates, double delta,
                                                        int first) {
  for (double rate : rates) {
    if (!(rate > 0) || !std::isfinite(rate)) throw ValidationError("discount rates must be positive");
  }
  if (!(delta > 0) || !std::isfinite(delta)) {
    throw ValidationError("the time between offers must be positive");
  }
  if (first != 0 && first != 1) throw ValidationError("the first proposer is 1 or 2");
  const int p = first, r = 1 - first;
  // x = (1 - d_r) / (1 - d_p d_r) with 1 - exp(-a) = -expm1(-a).
  double numerator = -std::expm1(-rates[r] * delta);
  double denominator = -std::expm1(-(rates[0] + rates[1]) * delta);
  AlternatingOffersResult result;
  result.effective_discount = {std::exp(-rates[0] * delta), std::exp(-rates[1] * delta)};
  result.shares[p] = numerator / denominator;
  result.shares[r] = 1.0 - result.shares[p];
  result.method = "Rubinstein closed form with d_i = exp(-r_i * " + FormatDouble(delta) + ")";
  return result;
}

}  // namespace parley::bargaining
