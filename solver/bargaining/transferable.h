// Bargaining with transferable utility: a surplus S is split freely, so the feasible set is
// {u : sum u_i <= S}. With gains G = S - sum d_i > 0 every concept has a closed form:
//   weighted Nash (Nash 1950):       u_i = d_i + G w_i / sum w
//   Kalai-Smorodinsky (1975):        the ideal point is d_i + G for each i, so u_i = d_i + G / n
//   egalitarian (Kalai 1977):        u_i = d_i + G / n (the same point)
//   utilitarian (weighted sum):      all the gain to the players with the largest weight; with
//                                    equal weights every split is optimal (a tie), and the
//                                    equal split is reported.
#pragma once

#include "solver/bargaining/problem.h"

namespace parley::bargaining {

// The most players a transferable surplus is split among (a tie lists one vector per player).
inline constexpr int kMaxTransferablePlayers = 1000;

// Throws ValidationError unless there are 2 to kMaxTransferablePlayers players, d has one finite entry per player, weights are positive and
// the surplus exceeds sum d (the message gives the ideal point).
Solution SolveTransferable(const TransferableSurplus& set, const Vector& d, Concept concept_kind,
                           const Vector& weights = {});
Result SolveTransferable(const TransferableSurplus& set, const Vector& d, const Request& request);

}  // namespace parley::bargaining
