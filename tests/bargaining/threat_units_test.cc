// Nash's variable-threat game is invariant to a positive rescaling of each player's payoffs
// (Nash's solution is, and so are the threats that fix d). The non-transferable solver once
// sized its tolerance by both players' magnitudes together: with player 1 in units of 1e-3 and
// player 2 in units of 1e9 the first frontier segment "matched", and the agreement fell below
// the threat point for player 1.
#include <doctest/doctest.h>

#include <cmath>

#include "solver/bargaining/threats.h"

using namespace parley::bargaining;

namespace {

Matrix Scaled(Matrix m, double s) {
  for (auto& row : m)
    for (double& x : row) x *= s;
  return m;
}

bool Near(double got, double want) { return std::abs(got - want) <= 1e-12 * std::abs(want); }

struct Game {
  Matrix a, b;
  double u1, u2;  // the agreement in the given units, by hand
};

// Solves the game with player 1's payoffs times s1 and player 2's times s2, and checks the
// agreement is the hand one scaled and at least the threat point for both players.
void CheckScaled(const Game& game, double s1, double s2) {
  CAPTURE(s1);
  CAPTURE(s2);
  Result r = SolveThreatGame(Scaled(game.a, s1), Scaled(game.b, s2), false);
  REQUIRE(r.threats.has_value());
  const Vector& u = r.solutions[0].payoffs;
  CHECK(Near(u[0], game.u1 * s1));
  CHECK(Near(u[1], game.u2 * s2));
  CHECK(u[0] >= r.threats->threat_point[0]);
  CHECK(u[1] >= r.threats->threat_point[1]);
}

}  // namespace

TEST_SUITE("bargaining") {
  TEST_CASE("variable threats: the agreement does not depend on the players' units") {
    // A = [[-3,4,2],[6,5,0]], B = [[5,3,4],[2,3,2]]. Cells (-3,5) (4,3) (2,4) (6,2) (5,3)
    // (0,2); frontier (-3,5) (2,4) (5,3) (6,2), slopes -1/5, -1/3, -1. On (2,4)-(5,3):
    // u1 + 3 u2 = 14, normal (1,3)/4, c = 7/2. Threat game (A - 3B)/4 with
    // A - 3B = [[-18,-5,-10],[0,-4,-6]]: row 2 dominates, column 3 is its minimum, value
    // -6/4 = -3/2, threats (row 2, column 3), d = (0, 2). u1 = (c + v)/(2 a1) = 2/(1/2) = 4,
    // u2 = (c - v)/(2 a2) = 5/(3/2) = 10/3, on the segment (2 <= 4 <= 5): a fixed point.
    const Game first{{{-3, 4, 2}, {6, 5, 0}}, {{5, 3, 4}, {2, 3, 2}}, 4.0, 10.0 / 3};
    // Cells (3,0) (1.5,0) (2,2) (2,0) (2.5,0) (0,-8): one segment (2,2)-(3,0) on
    // 2 u1 + u2 = 6, normal (2,1)/3, c = 2. 2A - B = [[6,3,2],[4,5,8]]: row p with
    // 4 + 2p = 5 - 2p -> p = 1/4, value 4.5 (column 3 gives 6.5), so v = 4.5/3 = 3/2,
    // d = (9/4, 0); u1 = (2 + 3/2)/(4/3) = 21/8, u2 = (2 - 3/2)/(2/3) = 3/4, on the segment.
    const Game second{{{3, 1.5, 2}, {2, 2.5, 0}}, {{0, 0, 2}, {0, 0, -8}}, 21.0 / 8, 3.0 / 4};
    for (const Game* game : {&first, &second}) {
      // Unit ratios s2/s1 of 1, 1e6, 1e12 and 1e-12, split between the players (payoffs are
      // at most 1e12 in magnitude).
      for (double ratio : {1.0, 1e6, 1e12, 1e-12}) {
        CheckScaled(*game, 1 / std::sqrt(ratio), std::sqrt(ratio));
      }
      // The reported case: player 1 in thousandths, player 2 in billions. The old code gave
      // threat point (0.005, 3e9) and agreement (0.002, 4e9) on the first game.
      CheckScaled(*game, 1e-3, 1e9);
    }
    // The threats and the reported normal follow the units: d = (0, 2e9), and the normal
    // (1, 3)/4 is (1/1e-3, 3/1e9) in the scaled game, (1e9, 3e-3)/(1e9 + 3e-3).
    Result r = SolveThreatGame(Scaled(first.a, 1e-3), Scaled(first.b, 1e9), false);
    CHECK(r.threats->threat_point[0] == 0.0);
    CHECK(Near(r.threats->threat_point[1], 2e9));
    CHECK(Near(r.threats->normal.second, 3e-3 / (1e9 + 3e-3)));
  }
}
