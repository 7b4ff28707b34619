// Alternating offers over a pie of size 1 (Rubinstein 1982): the subgame-perfect split.
//
//   Infinite horizon: the first proposer gets (1 - d_r) / (1 - d_p d_r), where d_p, d_r are the
//     proposer's and responder's discount factors; agreement is immediate.
//   Finite horizon T: backward recursion; the proposer in round T gets everything (the
//     responder's alternative is 0, or its outside option), and in round t the proposer offers
//     the responder exactly what the responder would get, discounted, as proposer in t + 1.
//   Risk of breakdown p between offers: after a rejection the talks end (payoffs 0) with
//     probability p, so player i's effective discount factor is d_i (1 - p).
//   Outside options e_i (Binmore, Shaked and Sutton 1989): a responder may quit and take e_i.
//     The outside option principle: e_i changes the split only if it exceeds what the
//     responder would otherwise get (d_i times its share as next proposer); then the proposer
//     offers exactly e_i.
//   Time between offers Delta -> 0 with discount rates r_i (d_i = exp(-r_i Delta)): the split
//     tends to the weighted Nash solution with powers 1/r_i, i.e. shares r_j / (r_1 + r_2)
//     (Binmore, Rubinstein and Wolinsky 1986).
#pragma once

#include <array>
#include <optional>
#include <string>

namespace parley::bargaining {

struct AlternatingOffers {
  std::array<double, 2> discount{0.9, 0.9};  // per round, each in (0, 1)
  int first = 0;                             // the first proposer: 0 (player 1) or 1
  std::optional<int> rounds;                 // finite horizon T >= 1; infinite when absent
  double breakdown = 0.0;                    // probability in [0, 1) after each rejection
  std::array<double, 2> outside{0.0, 0.0};   // outside options, shares of the pie in [0, 1]
};

struct AlternatingOffersResult {
  std::array<double, 2> shares{0.0, 0.0};     // the SPE agreement, reached in round 1
  std::array<double, 2> effective_discount{0.0, 0.0};
  // Per player: its option, not its continuation, decided what it is offered in the first
  // two rounds (its first turn to respond); the same rounds for finite and infinite horizons.
  std::array<bool, 2> outside_binding{false, false};
  std::string method;
};

// Throws ValidationError on discount factors outside (0,1), breakdown outside [0,1),
// negative outside options or options summing to 1 or more (no gain from agreeing),
// rounds < 1, or first not 0/1.
AlternatingOffersResult SolveAlternatingOffers(const AlternatingOffers& game);

// Shares when the time between offers is `delta` and the discount rates are r_i > 0
// (d_i = exp(-r_i delta), computed without cancellation). Infinite horizon, no options.
AlternatingOffersResult SolveAlternatingOffersWithRates(std::array<double, 2> rates, double delta,
                                                        int first = 0);

}  // namespace parley::bargaining
