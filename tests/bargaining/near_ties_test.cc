// Near-ties that used to be decided by a rounding, each against a hand derivation: the piece
// where a two-player ray leaves the hull when two pieces give the same t to the last bit, ties
// between pure outcomes judged in each score's own unit, and the lottery shown beside a
// three-player utilitarian tie that no optimal point breaks.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "solver/bargaining/outcomes.h"
#include "tests/test_util.h"

using namespace parley::bargaining;
using parley::testing::RunParley;

namespace {
const Vector kZero{0, 0};

// The payoffs of `lottery` over `points`.
Vector LotteryPayoffs(const std::vector<Vector>& points, const Vector& lottery) {
  Vector u(points.front().size(), 0.0);
  for (std::size_t j = 0; j < points.size(); ++j)
    for (std::size_t i = 0; i < u.size(); ++i) u[i] += lottery[j] * points[j][i];
  return u;
}
}  // namespace

TEST_SUITE("bargaining") {
  TEST_CASE("two players: the ray leaves through the piece it crosses, not the first of two equal t's") {
    // Frontier (0, 1), (2, 1 - 2^-53), (3, 0), d = 0, egalitarian. The top cap u2 <= 1 and the
    // first edge give the ray the same double t = 1, and the cap, tried first, was taken: the
    // cap's vertex (0, 1) was shown. But 1 - 2^-53 is 1 to the tie rule (1e-12 of player 2's
    // magnitude): (2, 1 - 2^-53) pays player 1 2 more and player 2 the same, so it dominates
    // (0, 1) up to rounding and is the frontier's first vertex (the end edge along which player
    // 1 gains and player 2 loses only rounding is no edge). The ray then meets the top cap
    // u2 <= 1 - 2^-53, weakly Pareto-optimal, refined to that vertex: (2, 1 - 2^-53), all of
    // the lottery on it. (Exactly, the edge's point (t, t), t = 1 / (1 + 2^-54), pays player 2
    // 2^-54 more and player 1 1 less.)
    const double below_one = 1 - 0x1p-53;
    const std::vector<Vector> flat{{0, 1}, {2, below_one}, {3, 0}};
    Solution egal = SolveOutcomes(OutcomeSet{flat, true}, kZero, Concept::kEgalitarian);
    CHECK(egal.payoffs[0] == 2);
    CHECK(egal.payoffs[1] == below_one);
    CHECK(egal.lottery[0] == 0);
    CHECK(egal.lottery[1] == 1);
    Vector paid = LotteryPayoffs(flat, egal.lottery);
    CHECK(std::abs(paid[0] - egal.payoffs[0]) <= 1e-15);
    CHECK(std::abs(paid[1] - egal.payoffs[1]) <= 1e-15);

    // (0, 1), (1, 0) and (a, b) = (0.3, 0.7000000000000002), barely above u1 + u2 = 1
    // (a + b - 1 = 1.7e-16 in the doubles): both edges give the ray (t, t) the same t. The
    // second, from (a, b) to (1, 0), is crossed: u2 = b (1 - u1) / (1 - a), so
    // t = b / (1 - a + b) = 0.5 + 3e-17, with share s = (t - a) / (1 - a) = 0.2 / 0.7 = 2/7 on
    // (1, 0). The first edge was taken, its s came out above 1, and the clamp gave (a, b).
    // The ideal point is (1, 1), so KS follows the same ray.
    const std::vector<Vector> kink{{0, 1}, {1, 0}, {0.3, 0.7000000000000002}};
    for (Concept c : {Concept::kEgalitarian, Concept::kKalaiSmorodinsky}) {
      CAPTURE(static_cast<int>(c));
      Solution s = SolveOutcomes(OutcomeSet{kink, true}, kZero, c);
      CHECK(std::abs(s.payoffs[0] - 0.5) <= 2e-16);
      CHECK(std::abs(s.payoffs[1] - 0.5) <= 2e-16);
      CHECK(s.lottery[1] == doctest::Approx(2.0 / 7).epsilon(1e-14));
      CHECK(s.lottery[2] == doctest::Approx(5.0 / 7).epsilon(1e-14));
      Vector pays = LotteryPayoffs(kink, s.lottery);
      CHECK(std::abs(pays[0] - s.payoffs[0]) <= 1e-15);
      CHECK(std::abs(pays[1] - s.payoffs[1]) <= 1e-15);
      CHECK(s.precision == Precision::kExact);
    }
  }

  TEST_CASE("parley bargain --constraint: a cut whose corners lie on one line") {
    // u = (x + 2y, 3 - x - 2y): every agreement has u1 + u2 = 3, so the cut's corners are
    // collinear frontier vertices (to rounding), and the pieces' t's tie.
    // 2.5x + 1.5y <= 2.1 over [0, 1]^2: corners (0, 0), (0.84, 0), (0.24, 1), (0, 1), so u1 runs
    // from 0 to 2.24 and the ideal point is (2.24, 3). Egalitarian: u1 = u2 = 1.5, on the cut:
    // x = 1.5 - 2y, 3.75 - 3.5y = 2.1, y = 33/70, x = 39/70. KS: t (2.24, 3) with 5.24 t = 3:
    // u = (168/131, 225/131) = (1.2824427480916031, 1.7175572519083969). Before: egalitarian
    // (1.575, 1.425) and KS (0.84, 2.16), the corners on either side of the ray.
    auto r = RunParley("bargain --issue x=0:1 --issue y=0:1 --utility 'x+2*y' --utility '3-x-2*y' "
                       "--constraint '2.5*x+1.5*y<=2.1' --format json");
    REQUIRE(r.exit_code == 0);
    auto json = nlohmann::json::parse(r.out);
    const auto& egal = json["solutions"]["egalitarian"];
    CHECK(std::abs(egal["payoffs"][0].get<double>() - 1.5) <= 1e-14);
    CHECK(std::abs(egal["payoffs"][1].get<double>() - 1.5) <= 1e-14);
    CHECK(std::abs(egal["issues"]["x"].get<double>() - 39.0 / 70) <= 1e-14);
    CHECK(std::abs(egal["issues"]["y"].get<double>() - 33.0 / 70) <= 1e-14);
    const auto& ks = json["solutions"]["kalai_smorodinsky"];
    CHECK(std::abs(ks["payoffs"][0].get<double>() - 168.0 / 131) <= 1e-14);
    CHECK(std::abs(ks["payoffs"][1].get<double>() - 225.0 / 131) <= 1e-14);
    // 1.8x + 2.7y <= 2.2: egalitarian x = 1.5 - 2y, 2.7 - 0.9y = 2.2, y = 5/9, x = 7/18,
    // u = (1.5, 1.5). Before: (1.4444, 1.5556), a corner.
    auto other = RunParley("bargain --issue x=0:1 --issue y=0:1 --utility 'x+2*y' --utility '3-x-2*y' "
                           "--constraint '1.8*x+2.7*y<=2.2' --format json");
    REQUIRE(other.exit_code == 0);
    auto second = nlohmann::json::parse(other.out)["solutions"]["egalitarian"];
    CHECK(std::abs(second["payoffs"][0].get<double>() - 1.5) <= 1e-14);
    CHECK(std::abs(second["payoffs"][1].get<double>() - 1.5) <= 1e-14);
    CHECK(std::abs(second["issues"]["y"].get<double>() - 5.0 / 9) <= 1e-14);
  }

  TEST_CASE("pure outcomes: ties judged in each score's own unit") {
    // KS ratios are unitless: ideal (1e12, 1e12), ratios min(1, 0.1) = 0.1, 0.5 and 0.1, so
    // (5e11, 5e11) alone. Judged within 1e-12 of the largest payoff (1), all three tied and
    // the first was shown.
    const OutcomeSet wide{{{1e12, 1e11}, {5e11, 5e11}, {1e11, 1e12}}, false};
    Solution ks = SolveOutcomes(wide, kZero, Concept::kKalaiSmorodinsky);
    CHECK(ks.payoffs == Vector{5e11, 5e11});
    CHECK(ks.ties.empty());

    // Ideal (5e8, 5.1e8): KS ratios min(0.98, 1) = 0.98 and min(1, 5/5.1) = 0.98039, so
    // (5e8, 5e8). Utilitarian: both sum to 1e9, a true tie; the Nash products
    // 4.9e8 x 5.1e8 = 24.99e16 < 25e16 select (5e8, 5e8) (log products 4e-4 apart, which
    // was within the 1e-12 x 5.1e8 taken for them).
    const OutcomeSet close{{{4.9e8, 5.1e8}, {5e8, 5e8}}, false};
    Solution close_ks = SolveOutcomes(close, kZero, Concept::kKalaiSmorodinsky);
    CHECK(close_ks.payoffs == Vector{5e8, 5e8});
    CHECK(close_ks.ties.empty());
    Solution util = SolveOutcomes(close, kZero, Concept::kUtilitarian);
    CHECK(util.payoffs == Vector{5e8, 5e8});
    CHECK(util.ties.size() == 2);

    // Egalitarian: the smallest gains are player 2's, 1e-3 and 2e-3, a difference far above
    // its rounding (its magnitude is 2e-3): (999999999, 2e-3) alone. Within 1e-12 of player
    // 1's 1e9 they tied, and the larger total chose (1e9, 1e-3).
    const OutcomeSet units{{{1e9, 1e-3}, {999999999, 2e-3}}, false};
    Solution egal = SolveOutcomes(units, kZero, Concept::kEgalitarian);
    CHECK(egal.payoffs == Vector{999999999, 2e-3});
    CHECK(egal.ties.empty());

    // Within 1e-12 the outcomes are listed as a tie, but a real difference still decides:
    // Nash products 4 and 4 (1 + 1e-13) (log products 1e-13 apart, far above rounding), so
    // (1, 4 (1 + 1e-13)) is selected; the larger total (by 4e-13, within the old tolerance
    // of 4e-12) left the first listed.
    const double above = 4 * (1 + 1e-13);
    Solution nash = SolveOutcomes(OutcomeSet{{{4, 1}, {1, above}}, false}, kZero, Concept::kNash);
    CHECK(nash.ties.size() == 2);
    CHECK(nash.payoffs == Vector{1, above});
  }

  TEST_CASE("three players: a utilitarian tie no optimal point breaks shows a lottery that pays it") {
    // d = (b, 0, 0), b = -82498547.42945518, outcomes A = (a, 0, 0) with a = b + 1e8 (to the
    // digits given), B = (b, 1e8, 0) and C = (b, 0, 1). Sums: A and B give a (the optimum),
    // C gives b + 1. Player 3 gets 0 on the optimal face, so no optimal point gives everyone
    // a gain: the ends A (player 1's best) and B (player 2's) are a tie, and their middle
    // (b + 5e7, 5e7, 0) = (-32498547.42945518, 5e7, 0) is shown, paid by 1/2 on A and 1/2 on B.
    // The middle, rounded, lay outside conv{A, B}, the exact LP looking for its lottery
    // found none, and the LP's lottery 1 on A (paying (a, 0, 0)) was shown beside it.
    const std::vector<Vector> points{{17501452.570544824, 0, 0},
                                     {-82498547.42945518, 1e8, 0},
                                     {-82498547.42945518, 0, 1}};
    const Vector d{-82498547.42945518, 0, 0};
    Solution util = SolveOutcomes(OutcomeSet{points, true}, d, Concept::kUtilitarian);
    CHECK(util.ties.size() == 2);
    CHECK(std::abs(util.payoffs[0] - -32498547.42945518) <= 1e-7);
    CHECK(std::abs(util.payoffs[1] - 5e7) <= 1e-7);
    CHECK(util.payoffs[2] == 0);
    CHECK(util.lottery[0] == doctest::Approx(0.5).epsilon(1e-15));
    CHECK(util.lottery[1] == doctest::Approx(0.5).epsilon(1e-15));
    CHECK(util.lottery[2] == 0);
    Vector paid = LotteryPayoffs(points, util.lottery);
    for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(paid[i] - util.payoffs[i]) <= 1e-7);
  }
}
