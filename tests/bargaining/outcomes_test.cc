#include "solver/bargaining/outcomes.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <algorithm>
#include <random>
#include <string>

#include "solver/model/error.h"

using namespace parley::bargaining;

namespace {
const Vector kOrigin{0, 0};
// conv{(0,0),(4,0),(3,2),(0,3)}: Pareto edges (0,3)-(3,2) on u1 + 3 u2 = 9 and
// (3,2)-(4,0) on 2 u1 + u2 = 8.
const std::vector<Vector> kQuad{{0, 0}, {4, 0}, {3, 2}, {0, 3}};
}  // namespace

TEST_SUITE("bargaining") {
  TEST_CASE("Nash, KS, egalitarian, utilitarian on a quadrilateral") {
    OutcomeSet set{kQuad, true};
    // Nash: on u1 + 3u2 = 9 the product u1 u2 peaks at u1 = 9/2 (outside, beyond (3,2)); on
    // 2u1 + u2 = 8 at u1 = 2 (outside, before (3,2)): so the vertex (3,2), product 6.
    Solution nash = SolveOutcomes(set, kOrigin, Concept::kNash);
    CHECK(nash.payoffs[0] == doctest::Approx(3));
    CHECK(nash.payoffs[1] == doctest::Approx(2));
    CHECK(nash.lottery[2] == doctest::Approx(1));
    CHECK(nash.gap < 1e-12);
    // KS: ideal (4,3); t (4,3) on u1 + 3u2 = 9 -> 13t = 9 -> (36/13, 27/13).
    Solution ks = SolveOutcomes(set, kOrigin, Concept::kKalaiSmorodinsky);
    CHECK(ks.payoffs[0] == doctest::Approx(36.0 / 13));
    CHECK(ks.payoffs[1] == doctest::Approx(27.0 / 13));
    // Egalitarian: (t,t) on u1 + 3u2 = 9 -> t = 9/4 (2u1 + u2 = 27/4 <= 8 holds).
    Solution egal = SolveOutcomes(set, kOrigin, Concept::kEgalitarian);
    CHECK(egal.payoffs[0] == doctest::Approx(9.0 / 4));
    CHECK(egal.payoffs[1] == doctest::Approx(9.0 / 4));
    // Utilitarian: sums 0, 4, 5, 3 -> (3,2), no tie.
    Solution util = SolveOutcomes(set, kOrigin, Concept::kUtilitarian);
    CHECK(util.payoffs[0] == doctest::Approx(3));
    CHECK(util.payoffs[1] == doctest::Approx(2));
    CHECK(util.ties.empty());
    CHECK(IdealPoint(set, kOrigin) == Vector{4, 3});
  }

  TEST_CASE("the ideal point of three players meets d exactly where some point does") {
    // d = (0, 5, 0). Only the first outcome is at least d for everyone: ideal (1, 6, 0). A
    // tolerance of 1e-12 of player 3's magnitude (100) below d let a lottery put 0.1 on the
    // second outcome, paying player 3 -1e-10, and the ideal became (100.9, 6, 0).
    OutcomeSet set{{{1, 6, 0}, {1000, 6, -0.000000001}, {0, 0, -100}}, true};
    Vector ideal = IdealPoint(set, {0, 5, 0});
    CHECK(ideal[0] == doctest::Approx(1).epsilon(1e-12));
    CHECK(ideal[1] == doctest::Approx(6).epsilon(1e-12));
    CHECK(ideal[2] == 0);
  }

  TEST_CASE("lottery between two outcomes, and the price of forbidding it") {
    // u = (4 - 3s, 1 + 2s): (4-3s)(1+2s) = 4 + 5s - 6s^2, max at s = 5/12:
    // (4 - 15/12, 1 + 10/12) = (11/4, 11/6), lottery 7/12 on (4,1) and 5/12 on (1,3).
    OutcomeSet set{{{4, 1}, {1, 3}}, true};
    Solution nash = SolveOutcomes(set, kOrigin, Concept::kNash);
    CHECK(nash.payoffs[0] == doctest::Approx(11.0 / 4));
    CHECK(nash.payoffs[1] == doctest::Approx(11.0 / 6));
    CHECK(nash.lottery[0] == doctest::Approx(7.0 / 12));
    CHECK(nash.lottery[1] == doctest::Approx(5.0 / 12));
    // Pure: products 4 and 3 -> (4,1); the lottery product is 121/24, so 1 - 4*24/121 is lost.
    set.lotteries = false;
    Solution pure = SolveOutcomes(set, kOrigin, Concept::kNash);
    CHECK(pure.payoffs == Vector{4, 1});
    REQUIRE(pure.pure_cost.has_value());
    CHECK(*pure.pure_cost == doctest::Approx(1.0 - 96.0 / 121));
    // The n-player method agrees with the closed form.
    Solution general = NashOverHull({{4, 1}, {1, 3}}, kOrigin, {1, 1}, 1e-10, false);
    CHECK(general.payoffs[0] == doctest::Approx(11.0 / 4).epsilon(1e-9));
    CHECK(general.payoffs[1] == doctest::Approx(11.0 / 6).epsilon(1e-9));
    CHECK(general.gap <= 1e-10);
  }

  TEST_CASE("weighted Nash with three players splitting 1") {
    // maximise log x1 + 2 log x2 + 3 log x3 on x1 + x2 + x3 = 1: x_i = w_i / 6.
    std::vector<Vector> simplex{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    Solution nash = NashOverHull(simplex, {0, 0, 0}, {1, 2, 3});
    CHECK(nash.payoffs[0] == doctest::Approx(1.0 / 6).epsilon(1e-9));
    CHECK(nash.payoffs[1] == doctest::Approx(2.0 / 6).epsilon(1e-9));
    CHECK(nash.payoffs[2] == doctest::Approx(3.0 / 6).epsilon(1e-9));
    CHECK(nash.precision == Precision::kCertified);
    CHECK(nash.gap <= 1e-9);
  }

  TEST_CASE("properties: affine invariance and symmetry of Nash, KS invariance") {
    OutcomeSet set{kQuad, true};
    Vector d{0.5, 0.25};
    Solution nash = SolveOutcomes(set, d, Concept::kNash);
    Solution ks = SolveOutcomes(set, d, Concept::kKalaiSmorodinsky);
    // Rescale: u1 -> 2 u1 + 1, u2 -> 0.5 u2 - 3.
    auto map = [](const Vector& u) { return Vector{2 * u[0] + 1, 0.5 * u[1] - 3}; };
    OutcomeSet scaled{{}, true};
    for (const Vector& p : kQuad) scaled.outcomes.push_back(map(p));
    Solution nash2 = SolveOutcomes(scaled, map(d), Concept::kNash);
    Solution ks2 = SolveOutcomes(scaled, map(d), Concept::kKalaiSmorodinsky);
    for (int i = 0; i < 2; ++i) {
      CHECK(nash2.payoffs[i] == doctest::Approx(map(nash.payoffs)[i]));
      CHECK(ks2.payoffs[i] == doctest::Approx(map(ks.payoffs)[i]));
    }
    // Symmetric problem -> symmetric solution: the set {(5,1),(1,5),(3.2,3.2),(0,0)} is
    // symmetric under swapping the players, so Nash gives equal payoffs.
    OutcomeSet symmetric{{{5, 1}, {1, 5}, {3.2, 3.2}, {0, 0}}, true};
    Solution sym = SolveOutcomes(symmetric, kOrigin, Concept::kNash);
    CHECK(sym.payoffs[0] == doctest::Approx(sym.payoffs[1]));
    // Utilitarian is not invariant: on {(4,1),(1,3)} sums 5 vs 4 pick (4,1); doubling player
    // 2's utility gives {(4,2),(1,6)}, sums 6 vs 7, which picks (1,6), the other outcome.
    Solution util = SolveOutcomes(OutcomeSet{{{4, 1}, {1, 3}}, true}, kOrigin, Concept::kUtilitarian);
    Solution util2 = SolveOutcomes(OutcomeSet{{{4, 2}, {1, 6}}, true}, kOrigin, Concept::kUtilitarian);
    CHECK(util.payoffs[0] == doctest::Approx(4));
    CHECK(util2.payoffs[0] == doctest::Approx(1));
  }

  TEST_CASE("utilitarian ties are reported") {
    // (3,1) and (1,3) both sum to 4; the tie is broken by Nash on the face: (2,2).
    Solution util = SolveOutcomes(OutcomeSet{{{3, 1}, {1, 3}, {0, 0}}, true}, kOrigin,
                                  Concept::kUtilitarian);
    CHECK(util.ties.size() == 2);
    CHECK(util.payoffs[0] == doctest::Approx(2));
  }

  TEST_CASE("utilitarian ties where the floors cut the optimal set") {
    // (4,0,0), (0,4,0), (0,0,2) with d = (0,0,1): player 3 needs mu3 >= 1/2, so the best sum is
    // 4 (1/2) + 2 (1/2) = 3, on the whole segment from (2,0,1) to (0,2,1); no listed outcome
    // sums to 3. Player 3 gets d_3 = 1 everywhere on it, so the middle, (1,1,1), is shown.
    // The tie was missed (the face was looked for among the listed outcomes summing to 3).
    Solution util = SolveOutcomes(OutcomeSet{{{4, 0, 0}, {0, 4, 0}, {0, 0, 2}}, true}, Vector{0, 0, 1},
                                  Concept::kUtilitarian);
    REQUIRE(util.ties.size() == 2);
    CHECK(util.payoffs == Vector{1, 1, 1});
    CHECK(util.lottery == Vector{0.25, 0.25, 0.5});
    const std::vector<Vector> ends{{2, 0, 1}, {0, 2, 1}};
    CHECK(std::is_permutation(util.ties.begin(), util.ties.end(), ends.begin()));
    // Three players on a face of listed outcomes: the selection is the n-player Nash
    // solution's, certified with its gap, not "exact". (3,1,2) and (1,3,2) sum to 6; the Nash
    // point over them from 0 is (2,2,2).
    Solution face = SolveOutcomes(OutcomeSet{{{3, 1, 2}, {1, 3, 2}, {0, 0, 0}}, true}, Vector{0, 0, 0},
                                  Concept::kUtilitarian);
    CHECK(face.ties.size() == 2);
    CHECK(face.payoffs[0] == doctest::Approx(2).epsilon(1e-9));
    CHECK(face.precision == Precision::kCertified);
  }

  TEST_CASE("a Pareto refinement with a unique maximum is no tie, however gentle its slope") {
    // conv{(1, 0, 3), (1, 2, 1)}, the images of x = 0 and x = 2 under u = (1, x, 3 - x), and
    // (0, 0, 0), d = 0: the egalitarian ray stops at t = 1 (u1 <= 1), on the face (1, x, 3 - x),
    // x in [1, 2]. The refinement maximises u1/1 + u2/2 + u3/3 (each player's magnitude) =
    // 2 + x/6, rising along the face: (1, 2, 1) alone. (A slack of 2^-20 per player on the
    // face's objective once let x = 1.99998 count as a second end, and the mean
    // (1, 1.99999, 1.00001) was shown as a tie.)
    const std::vector<Vector> points{{0, 0, 0}, {1, 0, 3}, {1, 2, 1}};
    Solution e = SolveOutcomes(OutcomeSet{points, true}, {0, 0, 0}, Concept::kEgalitarian);
    CHECK(e.ties.empty());
    CHECK(e.tie_rule.empty());
    CHECK(e.payoffs[0] == doctest::Approx(1).epsilon(1e-12));
    CHECK(e.payoffs[1] == doctest::Approx(2).epsilon(1e-12));
    CHECK(e.payoffs[2] == doctest::Approx(1).epsilon(1e-12));
  }

  TEST_CASE("a Pareto refinement that is a face is a tie, flagged and split evenly") {
    // conv{(0,0,0), (1,1,1), (1,2,1), (2,1,1)}, d = 0. The third payoff never exceeds 1, so
    // the egalitarian ray point is (1,1,1) (t = 1), only weakly Pareto-optimal: (1,2,1) and
    // (2,1,1) improve on it. The refinement maximises the sum above it, 4, on the whole
    // segment between them: a tie. Each player's best point on it is one end; their mean
    // is (1.5, 1.5, 1).
    const std::vector<Vector> points{{0, 0, 0}, {1, 1, 1}, {1, 2, 1}, {2, 1, 1}};
    Solution e = SolveOutcomes(OutcomeSet{points, true}, {0, 0, 0}, Concept::kEgalitarian);
    REQUIRE(e.ties.size() == 2);
    std::vector<Vector> ends = e.ties;
    std::sort(ends.begin(), ends.end());
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(ends[0][i] == doctest::Approx(Vector{1, 2, 1}[i]));
      CHECK(ends[1][i] == doctest::Approx(Vector{2, 1, 1}[i]));
      CHECK(e.payoffs[i] == doctest::Approx(Vector{1.5, 1.5, 1}[i]));
    }
    CHECK(!e.tie_rule.empty());
    // Kalai-Smorodinsky: ideal point (2, 2, 1); u1 + u2 <= 3 on the hull, so the ray
    // t (2, 2, 1) stops at t = 3/4, (1.5, 1.5, 0.75), which u3 can still raise: the
    // refinement keeps u1, u2 >= 1.5, which only the even mix of (1,2,1) and (2,1,1) meets,
    // so it is the single point (1.5, 1.5, 1): no tie.
    Solution ks = SolveOutcomes(OutcomeSet{points, true}, {0, 0, 0}, Concept::kKalaiSmorodinsky);
    CHECK(ks.ties.empty());
    CHECK(ks.payoffs[0] == doctest::Approx(1.5));
    CHECK(ks.payoffs[2] == doctest::Approx(1));
  }

  TEST_CASE("no point strictly above d: the message shows the ideal point") {
    OutcomeSet set{kQuad, true};
    // d = (4,0): the only point >= d is (4,0) itself, so the ideal point is (4, 0).
    CHECK_THROWS_WITH_AS(SolveOutcomes(set, {4, 0}, Concept::kNash),
                         doctest::Contains("ideal point, each player's best payoff among points "
                                           "at least as good as d for all, is (4, 0)"),
                         parley::ValidationError);
    CHECK_THROWS_WITH_AS(SolveOutcomes(set, {5, 5}, Concept::kKalaiSmorodinsky),
                         doctest::Contains("best feasible payoff is (4, 3)"),
                         parley::ValidationError);
    CHECK_THROWS_AS(SolveOutcomes(set, {0, 0}, Concept::kNash, {1, -1}), parley::ValidationError);
    CHECK_THROWS_AS(SolveOutcomes(OutcomeSet{{{1, 2}, {1}}, true}, {0, 0}, Concept::kNash),
                    parley::ValidationError);
  }

  TEST_CASE("the Pareto frontier and vertices") {
    Frontier2 f = ParetoFrontier2(kQuad);
    REQUIRE(f.vertices.size() == 3);
    CHECK(f.vertices[0] == std::pair<double, double>(0, 3));
    CHECK(f.vertices[1] == std::pair<double, double>(3, 2));
    CHECK(f.vertices[2] == std::pair<double, double>(4, 0));
    // Edge (0,3)-(3,2): normal proportional to (1,3), scaled to sum 1: (1/4, 3/4), c = 9/4.
    CHECK(f.normals[0].first == doctest::Approx(0.25));
    CHECK(f.offsets[0] == doctest::Approx(9.0 / 4));
    // Three players: (1,1,1) is dominated by the lottery (2,2,2)/2 + ... use
    // {(3,0,0),(0,3,0),(0,0,3),(0.9,0.9,0.9),(1.2,1.2,1.2)}: (0.9...) is inside the simplex
    // face sum = 3 (sum 2.7), dominated; (1.2,1.2,1.2) sums to 3.6 and is Pareto-optimal.
    auto vertices = ParetoVertices({{3, 0, 0}, {0, 3, 0}, {0, 0, 3}, {0.9, 0.9, 0.9},
                                    {1.2, 1.2, 1.2}});
    CHECK(vertices.size() == 4);
  }

  TEST_CASE("an end edge of the frontier along which a player gains only rounding is no edge") {
    // The payoffs at a constraint's cut points, (1, 0.1) and (1, -0.8) computed as
    // (0.9999999999999999, 0.1) and (1.0000000000000002, -0.8): (1, 0.1) dominates every
    // point, and the frontier is that one vertex. The edge 3e-16 wide between the two made the
    // egalitarian ray from d = (0, -5) exit at (1, -0.64), dominated, labelled exact.
    const std::vector<Vector> cut{{0, 0}, {0.9999999999999999, 0.1}, {1.0000000000000002, -0.8}, {-1, -1}};
    Frontier2 f = ParetoFrontier2(cut);
    REQUIRE(f.vertices.size() == 1);
    CHECK(f.vertices[0] == std::pair<double, double>(0.9999999999999999, 0.1));
    for (Concept c : {Concept::kEgalitarian, Concept::kKalaiSmorodinsky, Concept::kNash}) {
      Solution s = SolveOutcomes(OutcomeSet{cut, true}, {0, -5}, c, {});
      CHECK(s.payoffs[0] == doctest::Approx(1).epsilon(1e-15));
      CHECK(s.payoffs[1] == doctest::Approx(0.1).epsilon(1e-15));
    }
    // The same at the top: (16.15..., 3 + 4e-16) beside (21, 3): the second dominates.
    Frontier2 top = ParetoFrontier2({{210.0 / 13, 3.0000000000000004}, {21, 3}, {0, 0}});
    REQUIRE(top.vertices.size() == 1);
    CHECK(top.vertices[0] == std::pair<double, double>(21, 3));
    // A gain beyond rounding (1e-9 of the magnitude) is an edge.
    Frontier2 real = ParetoFrontier2({{1, 0.1}, {1 + 1e-9, -0.8}, {0, 0}});
    CHECK(real.vertices.size() == 2);
  }

  TEST_CASE("n-player Nash on random point clouds: certificate and agreement with 2-player walk") {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (int trial = 0; trial < 5; ++trial) {
      std::vector<Vector> points(300);
      for (Vector& p : points) p = {unit(rng), unit(rng)};
      Solution walk = NashOverHull(points, {0.1, 0.1}, {1, 2});
      Solution general = NashOverHull(points, {0.1, 0.1}, {1, 2}, 1e-11, false);
      CHECK(general.gap <= 1e-11);
      CHECK(walk.gap <= 1e-12);
      CHECK(walk.payoffs[0] == doctest::Approx(general.payoffs[0]).epsilon(1e-5));
      CHECK(walk.payoffs[1] == doctest::Approx(general.payoffs[1]).epsilon(1e-5));
    }
    // Every point on the frontier (a quarter circle, shuffled): the symmetric Nash point is
    // close to (cos 45, sin 45) and the walk keeps all 2001 vertices.
    std::vector<Vector> arc;
    for (int k = 0; k <= 2000; ++k) {
      double angle = 3.14159265358979 / 2 * k / 2000;
      arc.push_back({std::cos(angle), std::sin(angle)});
    }
    std::shuffle(arc.begin(), arc.end(), rng);
    CHECK(ParetoFrontier2(arc).vertices.size() == 2001);
    Solution on_arc = NashOverHull(arc, {0, 0}, {1, 1});
    CHECK(on_arc.payoffs[0] == doctest::Approx(std::sqrt(0.5)).epsilon(1e-6));
    CHECK(on_arc.gap < 1e-12);
    std::vector<Vector> cloud(2000);
    for (Vector& p : cloud) {
      p.resize(5);
      for (double& x : p) x = unit(rng);
    }
    Solution five = NashOverHull(cloud, Vector(5, 0.0), {1, 1, 1, 1, 1});
    CHECK(five.gap <= 1e-9);
    double total = 0.0;
    for (double x : five.lottery) total += x;
    CHECK(total == doctest::Approx(1.0));
  }

  TEST_CASE("egalitarian and Kalai-Smorodinsky points lie exactly on the facet") {
    // conv{(4, 1), (1, 3)}, d = (1, 0): u = (1 + 3s, 3 - 2s); equal gains 3s = 3 - 2s ->
    // s = 3/5, u = (2.8, 1.8). The Pareto refinement used to move the point along the facet
    // by its 1e-9 slack (2.800000006); now it keeps the ray point when it gains nothing.
    Solution egalitarian = SolveOutcomes(OutcomeSet{{{4, 1}, {1, 3}}, true}, {1, 0}, Concept::kEgalitarian);
    CHECK(std::abs(egalitarian.payoffs[0] - 2.8) <= 1e-14);
    CHECK(std::abs(egalitarian.payoffs[1] - 1.8) <= 1e-14);
    // Ideal (4, 3) from d = (1, 0): KS gains in ratio 3 : 3, the same point here.
    Solution ks = SolveOutcomes(OutcomeSet{{{4, 1}, {1, 3}}, true}, {1, 0}, Concept::kKalaiSmorodinsky);
    CHECK(std::abs(ks.payoffs[0] - 2.8) <= 1e-14);
  }
  TEST_CASE("Nash over a kept frontier: only the weights change") {
    const internal::IndexedFrontier kept = internal::PrepareNashFrontier(kQuad);
    REQUIRE(kept.usable);
    struct Case {
      Vector w;
      double u1, u2;
    };
    // Powers (1, 1): the vertex (3, 2) (first case above). (1, 3) on u1 + 3 u2 = 9:
    // 1/u1 = 1/u2, so (9/4, 9/4), inside the edge (0,3)-(3,2). (4, 1) on 2 u1 + u2 = 8:
    // 4/u1 = 2/(8 - 2 u1), so u1 = 16/5 and u2 = 8/5, inside the edge (3,2)-(4,0).
    for (const Case& c : {Case{{1, 1}, 3, 2}, Case{{1, 3}, 2.25, 2.25}, Case{{4, 1}, 3.2, 1.6}}) {
      Solution kept_nash = internal::NashOverFrontier(kQuad, kept, kOrigin, c.w);
      CHECK(kept_nash.payoffs[0] == doctest::Approx(c.u1));
      CHECK(kept_nash.payoffs[1] == doctest::Approx(c.u2));
      // The same numbers, bit for bit, as the solve that builds the frontier itself.
      Solution fresh = NashOverHull(kQuad, kOrigin, c.w);
      CHECK(kept_nash.payoffs == fresh.payoffs);
      CHECK(kept_nash.lottery == fresh.lottery);
      CHECK(kept_nash.gap == fresh.gap);
      CHECK(kept_nash.method == fresh.method);
      CHECK(kept_nash.weighted == fresh.weighted);
    }
    // Three players or no points: no frontier is kept, and the plain solve (or its error) runs.
    const std::vector<Vector> simplex{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    const internal::IndexedFrontier none = internal::PrepareNashFrontier(simplex);
    CHECK_FALSE(none.usable);
    CHECK(internal::NashOverFrontier(simplex, none, {0, 0, 0}, {1, 1, 1}).payoffs[0] ==
          doctest::Approx(1.0 / 3).epsilon(1e-8));
    CHECK_FALSE(internal::PrepareNashFrontier({}).usable);
    CHECK_THROWS_AS(internal::NashOverFrontier({}, internal::PrepareNashFrontier({}), kOrigin, {1, 1}),
                    parley::ValidationError);
  }
}

// Closed forms at scales far from 1 and between players whose units differ by up to 1e12:
// every concept is exact to a unit or two in the last place (the exact rational simplex, the
// frontier's closed forms, and tolerances relative to each player's own magnitude). Before,
// the refinement's slack of 1e-9 of the largest payoff traded one player's payoff for
// another's, GLPK's absolute tolerances could not tell 1e-9 from 0, and the gain test
// compared an absolute gain with the largest payoff.
TEST_SUITE("bargaining at any scale") {
  // |x - expected| within `ulps` units in the last place of expected.
  bool Near(double x, double expected, int ulps = 2) {
    return std::abs(x - expected) <= ulps * std::numeric_limits<double>::epsilon() * std::abs(expected);
  }

  TEST_CASE("the quadrilateral to the last digit, at unit scale and scaled by 1e-9") {
    for (double unit : {1.0, 1e-9}) {
      CAPTURE(unit);
      std::vector<Vector> quad;
      for (const Vector& p : kQuad) quad.push_back({p[0] * unit, p[1] * unit});
      OutcomeSet set{quad, true};
      // Ideal (4, 3); KS 13t = 9 -> (36/13, 27/13); egalitarian (9/4, 9/4); utilitarian and
      // Nash (3, 2) (the first test case's arithmetic).
      Vector ideal = IdealPoint(set, kOrigin);
      CHECK(Near(ideal[0], 4 * unit));
      CHECK(Near(ideal[1], 3 * unit));
      Solution ks = SolveOutcomes(set, kOrigin, Concept::kKalaiSmorodinsky);
      CHECK(Near(ks.payoffs[0], 36.0 / 13 * unit));
      CHECK(Near(ks.payoffs[1], 27.0 / 13 * unit));
      CHECK(ks.lottery[2] == doctest::Approx(12.0 / 13));  // 36/13 = 3 - 3/13: 1/13 on (0, 3)
      Solution egal = SolveOutcomes(set, kOrigin, Concept::kEgalitarian);
      CHECK(Near(egal.payoffs[0], 9.0 / 4 * unit));
      CHECK(Near(egal.payoffs[1], 9.0 / 4 * unit));
      Solution util = SolveOutcomes(set, kOrigin, Concept::kUtilitarian);
      CHECK(Near(util.payoffs[0], 3 * unit));
      CHECK(Near(util.payoffs[1], 2 * unit));
    }
  }

  TEST_CASE("Nash beside a vertex closer than the product can tell") {
    // On u1 + u2 = 84 from (84, 0) to the vertex (42 - e, 42 + e), with (0, 60) beyond it:
    // the Nash point is the equal split (42, 42), on the edge at s = e / (42 + e) from the
    // vertex. At e = 6e-7 the products 42^2 and (42 - e)(42 + e) = 42^2 - 3.6e-13 are the
    // same double, so choosing the segment by the larger product took the vertex (it
    // did, with a Frank-Wolfe gap of 2.9e-8). The edge beyond it is flatter (slope
    // (60 - 42 - e) / (42 - e) < 1), so the vertex is a real one for every e here.
    for (double e : {6e-7, 1e-9, 1e-12, 0.0, -1e-12, -6e-7}) {
      CAPTURE(e);
      const std::vector<Vector> points{{84, 0}, {42 - e, 42 + e}, {0, 60}};
      Solution nash = SolveOutcomes(OutcomeSet{points, true}, kOrigin, Concept::kNash);
      if (e >= 0) {
        CHECK(std::abs(nash.payoffs[0] - 42) <= 1e-13);
        CHECK(std::abs(nash.payoffs[1] - 42) <= 1e-13);
      } else {
        // The vertex (42 + |e|, 42 - |e|) is right of the equal split: along u1 + u2 = 84
        // the product falls beyond it, and on the edge from (0, 60) (u2 = 60 - m u1,
        // m = (18 + |e|) / (42 + |e|)) its derivative u2 - m u1 = 24 - 2|e| > 0 rises up to
        // it. The Nash point is the vertex.
        CHECK(std::abs(nash.payoffs[0] - (42 - e)) <= 1e-13);
        CHECK(std::abs(nash.payoffs[1] - (42 + e)) <= 1e-13);
      }
      CHECK(nash.gap <= 1e-14);
    }
  }

  TEST_CASE("two players in units 1 and 1e3, 1e9, 1e12") {
    for (double big : {3.0, 1e3, 1e9, 1e12}) {
      CAPTURE(big);
      // conv{(1, 0), (0, big)}, d = 0: the edge u2 = big (1 - u1). KS: ideal (1, big), the
      // ray t (1, big) meets it at t = 1/2: (1/2, big/2), as Nash. Egalitarian: t = big (1 - t),
      // t = big / (big + 1) for both. Utilitarian: (0, big) (sum big > 1).
      OutcomeSet set{{{1, 0}, {0, big}}, true};
      Solution ks = SolveOutcomes(set, kOrigin, Concept::kKalaiSmorodinsky);
      CHECK(Near(ks.payoffs[0], 0.5));
      CHECK(Near(ks.payoffs[1], big / 2));
      Solution egal = SolveOutcomes(set, kOrigin, Concept::kEgalitarian);
      CHECK(Near(egal.payoffs[0], big / (big + 1)));
      CHECK(Near(egal.payoffs[1], big / (big + 1)));
      Solution util = SolveOutcomes(set, kOrigin, Concept::kUtilitarian);
      CHECK(util.payoffs == Vector{0, big});
      Solution nash = SolveOutcomes(set, kOrigin, Concept::kNash);
      CHECK(Near(nash.payoffs[1], big / 2));
    }
  }

  TEST_CASE("a gain of 1e-3 beside one of 1e9 is a gain, not 'no feasible point'") {
    // conv{(1e-3, 0), (0, 1e9)}: KS (5e-4, 5e8). It was refused: the equal gain, about 1e-3,
    // was compared with 1e-12 of 1e9.
    OutcomeSet set{{{1e-3, 0}, {0, 1e9}}, true};
    Solution ks = SolveOutcomes(set, kOrigin, Concept::kKalaiSmorodinsky);
    CHECK(Near(ks.payoffs[0], 5e-4));
    CHECK(Near(ks.payoffs[1], 5e8));
    // Egalitarian: t = 1e-3 s = 1e9 (1 - s), s = 1e9 / (1e9 + 1e-3); t = 1e-3 s.
    Solution egal = SolveOutcomes(set, kOrigin, Concept::kEgalitarian);
    CHECK(Near(egal.payoffs[0], 1e-3 * (1e9 / (1e9 + 1e-3)), 4));
  }

  TEST_CASE("three players at 1e-9 agree with three players at 1, scaled") {
    // conv{(4,0,0), (0,3,0), (0,0,2), (2,2,1)}. Ideal (4, 3, 2). Egalitarian: (t,t,t) from
    // 1/3 on (0,0,2) and 2/3 on (2,2,1) = (4/3, 4/3, 4/3); a larger t would need more of u3
    // than (2,2,1) gives with u1, u2 >= t. KS: t (4,3,2) <= (2,2,1) gives t = 1/2, the ray
    // point (2, 3/2, 1), refined to (2, 2, 1). Utilitarian: sums 4, 3, 2, 5: (2, 2, 1).
    for (double unit : {1.0, 1e-9}) {
      CAPTURE(unit);
      std::vector<Vector> points{{4 * unit, 0, 0}, {0, 3 * unit, 0}, {0, 0, 2 * unit}, {2 * unit, 2 * unit, 1 * unit}};
      OutcomeSet set{points, true};
      const Vector d(3, 0.0);
      Vector ideal = IdealPoint(set, d);
      CHECK(Near(ideal[0], 4 * unit));
      CHECK(Near(ideal[1], 3 * unit));
      CHECK(Near(ideal[2], 2 * unit));
      Solution egal = SolveOutcomes(set, d, Concept::kEgalitarian);
      for (double x : egal.payoffs) CHECK(Near(x, 4.0 / 3 * unit));
      Solution ks = SolveOutcomes(set, d, Concept::kKalaiSmorodinsky);
      CHECK(ks.ties.empty());
      CHECK(Near(ks.payoffs[0], 2 * unit));
      CHECK(Near(ks.payoffs[1], 2 * unit));
      CHECK(Near(ks.payoffs[2], 1 * unit));
      Solution util = SolveOutcomes(set, d, Concept::kUtilitarian);
      CHECK(Near(util.payoffs[1], 2 * unit));
    }
  }

  TEST_CASE("pure utilitarian tie: the larger Nash product wins, whichever is listed first") {
    // Sums 4 + 0 = 1 + 3 = 4: a tie. Products over d = 0: 4 x 0 = 0 and 1 x 3 = 3, so (1, 3).
    // Listed with (4, 0) first, its product 0 (log -inf) once made the tolerance infinite.
    for (const std::vector<Vector>& outcomes : {std::vector<Vector>{{4, 0}, {1, 3}}, std::vector<Vector>{{1, 3}, {4, 0}}}) {
      Solution util = SolveOutcomes(OutcomeSet{outcomes, false}, kOrigin, Concept::kUtilitarian);
      CHECK(util.payoffs == Vector{1, 3});
      CHECK(util.ties.size() == 2);
    }
    // From d = (5, 3): (12, 0) and (9, 3) give someone no gain (product 0); (6, 6) gives (1, 3),
    // product 3; all sum to 12.
    Solution util = SolveOutcomes(OutcomeSet{{{12, 0}, {9, 3}, {6, 6}, {6, 6}, {12, 0}}, false}, Vector{5, 3},
                                  Concept::kUtilitarian);
    CHECK(util.payoffs == Vector{6, 6});
  }

  TEST_CASE("three players: the Pareto refinement does not trade along a steep facet") {
    // A lottery mu on (1e6, 1, 0.9999999) and 1 - mu on (1, 1, 1) pays (1 + mu (1e6 - 1), 1,
    // 1 - 1e-7 mu): the largest equal gain over 0 is 1, at mu = 0, so egalitarian is (1, 1, 1).
    // A room of 2^-30 below the ray point for player 3 bought player 1 about 9,300 (the answer
    // was (9314, 1, 1 - 9e-10)); the refinement now starts from the ray point itself.
    OutcomeSet set{{{1, 1, 1}, {1e6, 1, 0.9999999}}, true};
    Solution egal = SolveOutcomes(set, Vector{0, 0, 0}, Concept::kEgalitarian);
    CHECK(egal.payoffs == Vector{1, 1, 1});
    // KS: ideal (1e6, 1, 1); its lottery pays player 2 exactly 1 (every outcome does), and the
    // payoffs shown are what the lottery pays (the ray point gave player 2 0.9999999).
    Solution ks = SolveOutcomes(set, Vector{0, 0, 0}, Concept::kKalaiSmorodinsky);
    CHECK(ks.payoffs[1] == 1.0);
    double paid = 0;
    for (std::size_t j = 0; j < 2; ++j) paid += ks.lottery[j] * set.outcomes[j][0];
    CHECK(ks.payoffs[0] == doctest::Approx(paid).epsilon(1e-12));
    CHECK(ks.payoffs[0] == doctest::Approx(1e6 / (1 + 1e-7)).epsilon(1e-9));  // t = 1 / (1 + 1e-7)
  }

  TEST_CASE("three players: the refinement buys nothing with a loss in t, however small") {
    // Egalitarian over (1, 3, 3) and (3, 0, 4): the lottery 3/5, 2/5 pays (9/5, 9/5, 17/5) and
    // no other gives the first two 9/5 (player 2 gets 3 - 3 mu, player 1 1 + 2 mu). KS has the
    // ideal (3, 3, 4): t (3, 3, 4) <= (1 + 2 mu, 3 - 3 mu, 3 + mu) gives mu = 2/5 as well, with
    // t = 3/5 and player 3 paid 17/5 (the refinement lifts it from 12/5).
    OutcomeSet set{{{1, 3, 3}, {3, 0, 4}}, true};
    const Vector expected{1.8, 1.8, 3.4};
    for (Concept c : {Concept::kEgalitarian, Concept::kKalaiSmorodinsky}) {
      const Solution s = SolveOutcomes(set, Vector{0, 0, 0}, c);
      CAPTURE(static_cast<int>(c));
      for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(s.payoffs[i] - expected[i]) <= 4e-16 * expected[i]);
      CHECK(s.ties.empty());
    }
    // A third outcome 1e-9 short of 1.8 for the first two and 5 for the third: the equal gain
    // 1.8 is still reached only by the first lottery, so the answer is unchanged. A room of
    // 2^-30 of t below the ray point took (1.799999999, 1.799999999, 5), and with 1e12 as the
    // third payoff (1.799999999, 1.799999999, 1e12).
    for (double third : {5.0, 1e12}) {
      OutcomeSet steep{{{1, 3, 3}, {3, 0, 4}, {1.799999999, 1.799999999, third}}, true};
      const Solution s = SolveOutcomes(steep, Vector{0, 0, 0}, Concept::kEgalitarian);
      CAPTURE(third);
      for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(s.payoffs[i] - expected[i]) <= 4e-16 * expected[i]);
      CHECK(s.lottery[2] == 0);
    }
  }

  TEST_CASE("three players: a payoff's rounding does not decide the refinement, nor do the units") {
    // Egalitarian over (-0.2, 0.5, 2.1), (0.84, 1.86, 1.14), (2.04, 1.86, -0.14) from
    // d = (-0.4, 1.3, -1.6), with the middle point of the last two added as a formula computes
    // it: (1.44, 1.8600000000000003, 0.5), 2 ulps above 1.86 for B. B's gain 0.56 bounds the
    // equal gain (t = 0.56 at the segment where B has 1.86); on that segment the refinement's
    // best is (0.84, 1.86, 1.14) (worked in fractions: it maximises the players' gains in
    // their units). Exact on the doubles, the rounded midpoint was the only point reaching t,
    // and C got 0.5.
    const Vector d{-0.4, 1.3, -1.6};
    OutcomeSet set{{{-0.2, 0.5, 2.1}, {0.84, 1.86, 1.14}, {2.04, 1.86, -0.14}, {1.44, 1.8600000000000003, 0.5}}, true};
    const Solution egal = SolveOutcomes(set, d, Concept::kEgalitarian);
    CHECK(egal.payoffs[0] == doctest::Approx(0.84).epsilon(1e-13));
    CHECK(egal.payoffs[1] == doctest::Approx(1.86).epsilon(1e-13));
    CHECK(egal.payoffs[2] == doctest::Approx(1.14).epsilon(1e-13));
    // KS over six outcomes whose decimals put four on one line: (143/1150, 13789/9200,
    // 469/920) whatever the units (B got 1.4743, 1.4901 or 1.4988 as the inputs were scaled by
    // 1, 10 or 1000 and rounded).
    const std::vector<Vector> points{{-1.3, 2.3, 1.4}, {0.14, 1.49, 0.5},   {-0.22, -0.04, -0.13},
                                     {-2.1, 1.5, 1.9}, {-0.66, 0.69, 1.0}, {-1.02, -0.84, 0.37}};
    const Vector ks_d{-0.1, -0.9, -1.5};
    for (double k : {1.0, 3.0, 10.0, 1000.0, 0.001}) {
      CAPTURE(k);
      OutcomeSet scaled{{}, true};
      for (const Vector& p : points) scaled.outcomes.push_back({p[0] * k, p[1] * k, p[2] * k});
      const Solution ks = SolveOutcomes(scaled, Vector{ks_d[0] * k, ks_d[1] * k, ks_d[2] * k}, Concept::kKalaiSmorodinsky);
      CHECK(ks.payoffs[0] / k == doctest::Approx(143.0 / 1150).epsilon(1e-13));
      CHECK(ks.payoffs[1] / k == doctest::Approx(13789.0 / 9200).epsilon(1e-13));
      CHECK(ks.payoffs[2] / k == doctest::Approx(469.0 / 920).epsilon(1e-13));
    }
  }

  TEST_CASE("three players: ties the data have are ties, whatever the order of the sums") {
    // Egalitarian over (1,1,3) and (1,3,1): symmetric in players 2 and 3, a tie between the
    // two, mean (1,2,2). The refinement's weights (1, 1/3, 1/3) summed left to right gave
    // 2.333333333333333 and 2.3333333333333335, and (1,3,1) was shown with no tie.
    const Solution egal = SolveOutcomes(OutcomeSet{{{1, 1, 3}, {1, 3, 1}}, true}, Vector{0, 0, 0}, Concept::kEgalitarian);
    CHECK(egal.ties.size() == 2);
    CHECK(egal.payoffs[1] == doctest::Approx(2).epsilon(1e-15));
    CHECK(egal.payoffs[2] == doctest::Approx(2).epsilon(1e-15));
    // Utilitarian over (0.1,0.2,0.3) and (0.3,0.2,0.1): the same sum (0.6000000000000001 and
    // 0.6 in doubles left to right), a tie broken by Nash at (0.2, 0.2, 0.2).
    const Solution util =
        SolveOutcomes(OutcomeSet{{{0.1, 0.2, 0.3}, {0.3, 0.2, 0.1}}, true}, Vector{0, 0, 0}, Concept::kUtilitarian);
    CHECK(util.ties.size() == 2);
    for (std::size_t i = 0; i < 3; ++i) CHECK(util.payoffs[i] == doctest::Approx(0.2).epsilon(1e-9));
  }

  TEST_CASE("utilitarian with players in units 1e10 apart: the better outcome, not the LP's rounding") {
    // Sums 1e6 + 1e-5 and 1e6 + 9e-5: (9e-5, 1e6) dominates (1e-5, 1e6) and beats it by 8e-5,
    // far above the face tolerance (1e-12 of the weighted magnitudes, 1e-6). GLPK, reading the
    // data to about 36 bits, stopped at (1e-5, 1e6).
    OutcomeSet set{{{1e-5, 1e6}, {9e-5, 1e6}, {0, 0}}, true};
    Solution util = SolveOutcomes(set, kOrigin, Concept::kUtilitarian);
    CHECK(util.payoffs == Vector{9e-5, 1e6});
    CHECK(util.lottery[1] == 1);
    CHECK(util.ties.empty());
    // From d = (4e-5, -3e6): (9e-5, 7e6) dominates every other acceptable outcome.
    OutcomeSet wide{{{7e-5, -2e6}, {1e-5, 7e6}, {9e-5, 7e6}, {1e-5, 0}, {5e-5, -3e6}}, true};
    CHECK(SolveOutcomes(wide, Vector{4e-5, -3e6}, Concept::kUtilitarian).payoffs == Vector{9e-5, 7e6});
  }
}
