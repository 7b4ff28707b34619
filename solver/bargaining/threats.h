// Nash's variable-threat game (Nash 1953). Each player first commits to a threat, a mixed
// strategy of the bimatrix game (A, B) to be played if bargaining fails; the threats fix the
// disagreement point d = (x A y, x B y), and the agreement is the (weighted) Nash solution
// from d. Lotteries over the cells are allowed, so the feasible set is conv{(A_ij, B_ij)}.
//
// Transferable utility: the agreement splits the largest joint payoff s = max (A_ij + B_ij):
// u1 = d1 + w1/(w1+w2) (s - d1 - d2), so player 1 wants to maximise w2 d1 - w1 d2 and the
// threat game is the zero-sum game w2 A - w1 B (value v, solved by LP); then
// u1 = (w1 s + v) / W, u2 = (w2 s - v) / W with W = w1 + w2.
//
// General case, two players: on a frontier segment with outward normal (a1, a2) and
// a1 u1 + a2 u2 = c, the weighted Nash point from d satisfies w2 a1 (u1 - d1) = w1 a2 (u2 - d2),
// so u1 = (w1 c + v) / (W a1), u2 = (w2 c - v) / (W a2) with v = w2 a1 d1 - w1 a2 d2: player 1
// maximises, player 2 minimises v, a zero-sum game with matrix w2 a1 A - w1 a2 B. A normal is
// a fixed point when that game's value puts the agreement on the segment (or the vertex) the
// normal belongs to. The frontier segments are tried in turn; if none is a fixed point, the
// agreement is a vertex V and the normal is found by bisection inside V's normal cone, where
// val(w2 a1 A - w1 a2 B) - (w2 a1 V1 - w1 a2 V2) changes sign. The optimal threats are the
// optimal strategies of the zero-sum game at that normal.
#pragma once

#include <vector>

#include "solver/bargaining/problem.h"

namespace parley::bargaining {

using Matrix = std::vector<std::vector<double>>;

// `row_payoffs` (A) and `column_payoffs` (B) are payoffs of the row and column player, same
// shape. `weights` empty means symmetric Nash. Returns the Nash solution (weighted if weights
// differ) with its `threats` filled in `result.threats`, and the disagreement = threat point.
// Throws ValidationError for ragged or mismatched matrices or non-finite entries.
Result SolveThreatGame(const Matrix& row_payoffs, const Matrix& column_payoffs,
                       bool transferable, const Vector& weights = {});

}  // namespace parley::bargaining
