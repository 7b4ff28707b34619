#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <optional>

#include "solver/bargaining/bargaining.h"
#include "solver/model/error.h"
#include "solver/report/bargaining_json.h"

using namespace parley::bargaining;
using parley::report::ToJson;

TEST_SUITE("bargaining") {
  TEST_CASE("Rubinstein: closed form and finite horizons") {
    AlternatingOffers game;
    game.discount = {0.9, 0.8};
    // P1 first: (1 - d2) / (1 - d1 d2) = 0.2 / 0.28 = 5/7.
    auto first = SolveAlternatingOffers(game);
    CHECK(first.shares[0] == doctest::Approx(5.0 / 7));
    CHECK(first.shares[1] == doctest::Approx(2.0 / 7));
    // P2 first: P2 gets (1 - d1) / (1 - d1 d2) = 0.1 / 0.28 = 5/14.
    game.first = 1;
    auto second = SolveAlternatingOffers(game);
    CHECK(second.shares[1] == doctest::Approx(5.0 / 14));
    game.first = 0;
    // T = 1: the proposer takes all; T = 2: 1 - 0.8 = 0.2; T = 3: 1 - 0.8 (1 - 0.9) = 0.92.
    game.rounds = 1;
    CHECK(SolveAlternatingOffers(game).shares[0] == doctest::Approx(1.0));
    game.rounds = 2;
    CHECK(SolveAlternatingOffers(game).shares[0] == doctest::Approx(0.2));
    game.rounds = 3;
    CHECK(SolveAlternatingOffers(game).shares[0] == doctest::Approx(0.92));
    // Long horizons approach 5/7 (the error shrinks like (d1 d2)^(T/2)).
    game.rounds = 201;
    CHECK(std::abs(SolveAlternatingOffers(game).shares[0] - 5.0 / 7) < 1e-9);
    game.rounds = 20;
    CHECK(std::abs(SolveAlternatingOffers(game).shares[0] - 5.0 / 7) > 1e-4);
  }

  TEST_CASE("finite horizons near discounts of 1, and breakdown, to the last digits") {
    // Symmetric delta, T odd: the first proposer gets (1 + delta^T) / (1 + delta) (the closed
    // form of v = 1 - delta (1 - delta v)); at delta = 0.999999 and T = 2^31 - 1, delta^T is
    // e^-2147, so 1 / 1.999999 = 0.500000250000125000062... The iteration settled 5e-11 away
    // (its rounding divided by 1 - delta^2), and at delta = 0.9999999999 it took 8 s.
    AlternatingOffers game;
    game.discount = {0.999999, 0.999999};
    game.rounds = 2147483647;
    auto near_one = [&] { return SolveAlternatingOffers(game).shares[0]; };
    CHECK(std::abs(near_one() - 0.500000250000125) <= 2e-16);
    // delta = 0.99, T = 1000001: 1 / 1.99 = 0.50251256281407035...
    game.discount = {0.99, 0.99};
    game.rounds = 1000001;
    CHECK(std::abs(near_one() - 0.50251256281407035) <= 2e-16);
    // Short horizons exactly as the recursion gives them: T = 1 is (1, 0), never a share
    // above the pie (the closed form gave 1.0000000000000002 at (0.01, 0.18)); T = 2 leaves the
    // responder exactly its discount, 0.9.
    game.discount = {0.01, 0.18};
    game.rounds = 1;
    CHECK(SolveAlternatingOffers(game).shares == std::array<double, 2>{1.0, 0.0});
    game.discount = {0.9, 0.9};
    game.rounds = 2;
    CHECK(SolveAlternatingOffers(game).shares[1] == 0.9);
    // T = 4 with (0.9, 0.8): v4 = 1, v3 = 1 - 0.8 = 0.2, v2 = 1 - 0.9 (0.2) = 0.82,
    // v1 = 1 - 0.8 (0.82) = 0.344.
    game.discount = {0.9, 0.8};
    game.rounds = 4;
    CHECK(std::abs(near_one() - 0.344) <= 2e-16);
    // Breakdown 1e-9 beside discounts 0.999999 and 0.99999999999, player 2 first: D_i =
    // delta_i (1 - 1e-9), and player 2 gets (1 - D_1) / (1 - D_1 D_2) =
    // 0.99899202703385730... (Python's fractions on the doubles). Rounding D_2 before 1 - D_2
    // kept 8 digits of player 1's 0.0010079729661427: it was 0.0010079729379835.
    game = AlternatingOffers{};
    game.discount = {0.999999, 0.99999999999};
    game.first = 1;
    game.breakdown = 1e-9;
    const auto shares = SolveAlternatingOffers(game).shares;
    CHECK(std::abs(shares[0] - 0.0010079729661426919) <= 1e-18);
    CHECK(std::abs(shares[1] - 0.9989920270338573) <= 3e-16);  // two roundings
  }

  TEST_CASE("breakdown risk and outside options") {
    AlternatingOffers game;
    game.discount = {0.9, 0.9};
    // Symmetric: 0.1 / 0.19 = 10/19 to the first proposer, P2 gets 9/19 ~ 0.4737.
    CHECK(SolveAlternatingOffers(game).shares[0] == doctest::Approx(10.0 / 19));
    // Breakdown 0.5: effective discount 0.45: (1 - 0.45) / (1 - 0.2025) = 0.55 / 0.7975.
    game.breakdown = 0.5;
    CHECK(SolveAlternatingOffers(game).shares[0] == doctest::Approx(0.55 / 0.7975));
    game.breakdown = 0.0;
    // Outside option principle: e2 = 0.3 < 0.9 * 10/19 = 9/19 changes nothing ...
    game.outside = {0.0, 0.3};
    auto weak = SolveAlternatingOffers(game);
    CHECK(weak.shares[0] == doctest::Approx(10.0 / 19));
    CHECK_FALSE(weak.outside_binding[1]);
    // ... e2 = 0.6 > 9/19 binds: P1 offers exactly 0.6 and keeps 0.4.
    game.outside = {0.0, 0.6};
    auto strong = SolveAlternatingOffers(game);
    CHECK(strong.shares[0] == doctest::Approx(0.4));
    CHECK(strong.outside_binding[1]);
    // Whether an option binds is read off the first two rounds, with a horizon or without:
    // e1 = 0.5 with d = 0.9. No horizon: P2 offers P1 max(0.5, 0.9 x) = 0.5 (x = 0.55), so
    // x = 1 - 0.9 (1 - 0.5) = 0.55 and P1's option binds when P1 responds. T = 2: round 2
    // P1 accepts max(0.5, 0) = 0.5, round 1 P2 is offered 0.9 x 0.5 = 0.45: 0.55 again, the
    // option binding in round 2. T = 1,000 (the recursion until it repeats): 0.55, the same.
    game.outside = {0.5, 0.0};
    for (std::optional<int> rounds : {std::optional<int>(), std::optional<int>(2), std::optional<int>(1000)}) {
      CAPTURE(rounds.value_or(0));
      game.rounds = rounds;
      auto option = SolveAlternatingOffers(game);
      CHECK(option.shares[0] == doctest::Approx(0.55));
      CHECK(option.outside_binding[0]);
      CHECK_FALSE(option.outside_binding[1]);
    }
    // T = 1: P1 proposes and P2 responds; P1's option never decides an offer.
    game.rounds = 1;
    auto one = SolveAlternatingOffers(game);
    CHECK(one.shares[0] == 1.0);
    CHECK_FALSE(one.outside_binding[0]);
    CHECK_FALSE(one.outside_binding[1]);
    game.rounds.reset();
    game.outside = {0.6, 0.6};
    CHECK_THROWS_WITH_AS(SolveAlternatingOffers(game), doctest::Contains("outside options sum"),
                         parley::ValidationError);
    game.outside = {0, 0};
    game.discount = {1.0, 0.5};
    CHECK_THROWS_AS(SolveAlternatingOffers(game), parley::ValidationError);
  }

  TEST_CASE("Binmore-Rubinstein-Wolinsky: the Delta -> 0 limit is Nash with powers 1/r_i") {
    // r = (1, 2): weighted Nash with powers (1, 1/2) over x1 + x2 = 1 gives x1 = 1/(1 + 1/2) = 2/3.
    Solution nash = SolveTransferable(TransferableSurplus{1.0, 2}, {0, 0}, Concept::kNash,
                                      {1.0 / 1.0, 1.0 / 2.0});
    CHECK(nash.payoffs[0] == doctest::Approx(2.0 / 3));
    auto limit = SolveAlternatingOffersWithRates({1.0, 2.0}, 1e-6);
    CHECK(std::abs(limit.shares[0] - nash.payoffs[0]) < 1e-5);
    // The same with plain discount factors exp(-r Delta).
    AlternatingOffers game;
    game.discount = {std::exp(-1e-6), std::exp(-2e-6)};
    CHECK(std::abs(SolveAlternatingOffers(game).shares[0] - nash.payoffs[0]) < 1e-5);
    // Far from the limit it differs: Delta = 1 gives (1 - e^-2) / (1 - e^-3) ~ 0.908.
    auto coarse = SolveAlternatingOffersWithRates({1.0, 2.0}, 1.0);
    CHECK(coarse.shares[0] == doctest::Approx((1 - std::exp(-2.0)) / (1 - std::exp(-3.0))));
  }

  TEST_CASE("transferable utility: closed forms") {
    // n = 3 splitting 1 with powers (1, 2, 3): shares w_i / 6.
    Solution nash = Solve(TransferableSurplus{1.0, 3}, {0, 0, 0}, Concept::kNash, {1, 2, 3});
    CHECK(nash.payoffs[0] == doctest::Approx(1.0 / 6));
    CHECK(nash.payoffs[1] == doctest::Approx(2.0 / 6));
    CHECK(nash.payoffs[2] == doctest::Approx(3.0 / 6));
    // Surplus 10, d = (1, 2, 4): gain 3, equal gains for KS and egalitarian -> (2, 3, 5).
    Solution ks = Solve(TransferableSurplus{10.0, 3}, {1, 2, 4}, Concept::kKalaiSmorodinsky);
    CHECK(ks.payoffs == Vector{2, 3, 5});
    // Utilitarian with equal weights: every split ties.
    Solution util = Solve(TransferableSurplus{10.0, 3}, {1, 2, 4}, Concept::kUtilitarian);
    CHECK(util.ties.size() == 3);
    CHECK_THROWS_WITH_AS(Solve(TransferableSurplus{1.0, 2}, {0.5, 0.7}, Concept::kNash),
                         doctest::Contains("(0.5, 0.7)"), parley::ValidationError);
  }

  TEST_CASE("continuous agreement space: split x, u1 = sqrt(x), u2 = 1 - x") {
    // Nash: maximise 0.5 log x + log(1 - x): 1/(2x) = 1/(1 - x) -> x = 1/3.
    AgreementSpace space{{{"x", 0.0, 1.0}}, {"sqrt(x)", "1-x"}};
    Result result = Solve(space, {0, 0});
    const Solution* nash = result.Find(Concept::kNash);
    REQUIRE(nash != nullptr);
    CHECK(nash->issues[0] == doctest::Approx(1.0 / 3).epsilon(1e-9));
    CHECK(nash->payoffs[1] == doctest::Approx(2.0 / 3).epsilon(1e-9));
    CHECK(nash->precision == Precision::kKktPoint);
    // Ideal (1, 1); KS: sqrt(x) = 1 - x -> x = ((3 - sqrt 5)/2), u = (sqrt5 - 1)/2 = 0.618...
    CHECK(result.ideal[0] == doctest::Approx(1.0));
    const Solution* ks = result.Find(Concept::kKalaiSmorodinsky);
    CHECK(ks->payoffs[0] == doctest::Approx((std::sqrt(5.0) - 1) / 2).epsilon(1e-9));
    // Utilitarian: maximise sqrt(x) + 1 - x -> 1/(2 sqrt x) = 1 -> x = 1/4.
    CHECK(result.Find(Concept::kUtilitarian)->issues[0] == doctest::Approx(0.25).epsilon(1e-9));
    // JSON names the issue.
    auto json = ToJson(result);
    CHECK(json["solutions"]["nash"]["issues"]["x"].get<double>() == doctest::Approx(1.0 / 3).epsilon(1e-9));
  }

  TEST_CASE("continuous agreement space at any scale: the same x from 1e-15 to 1e12") {
    // u = s (sqrt x, 1 - x), d = 0: scaling both payoffs by s moves no solution's x.
    //   Nash: 1/(2x) = 1/(1 - x) -> x = 1/3;  KS and egalitarian: sqrt x = 1 - x ->
    //   x = (3 - sqrt 5)/2;  utilitarian: 1/(2 sqrt x) = 1 -> x = 1/4.
    // Tolerances floored at 1 gave Nash x = 0.333167 at s = 1e-6, and x = 0.5 for every
    // concept at s = 1e-9 (the payoffs passed for affine).
    const double ks_x = (3 - std::sqrt(5.0)) / 2;
    for (const char* s : {"1e-15", "1e-9", "1e-6", "1e-3", "1e6", "1e12"}) {
      CAPTURE(s);
      const double scale = std::stod(s);
      AgreementSpace space{{{"x", 0.0, 1.0}}, {std::string(s) + "*sqrt(x)", std::string(s) + "*(1-x)"}};
      Result result = Solve(space, {0, 0});
      const Solution* nash = result.Find(Concept::kNash);
      REQUIRE(nash != nullptr);
      CHECK(nash->issues[0] == doctest::Approx(1.0 / 3).epsilon(1e-9));
      CHECK(nash->payoffs[1] == doctest::Approx(2.0 / 3 * scale).epsilon(1e-9));
      CHECK(nash->precision == Precision::kKktPoint);
      for (Concept c : {Concept::kKalaiSmorodinsky, Concept::kEgalitarian}) {
        const Solution* ray = result.Find(c);
        REQUIRE(ray != nullptr);
        CHECK(ray->issues[0] == doctest::Approx(ks_x).epsilon(1e-9));
        CHECK(ray->precision == Precision::kKktPoint);
      }
      // The utilitarian optimum is flat (a sum's maximum, not a ray's end): SLSQP stops within
      // about 1e-9 of x, and at some scales just outside the KKT tolerance, which is then
      // reported as the gap of a best-found point, not as a KKT point.
      const Solution* utilitarian = result.Find(Concept::kUtilitarian);
      REQUIRE(utilitarian != nullptr);
      CHECK(utilitarian->issues[0] == doctest::Approx(0.25).epsilon(1e-8));
      CHECK(utilitarian->gap <= 1e-8);
      if (utilitarian->precision != Precision::kKktPoint) CHECK(utilitarian->precision == Precision::kBestFound);
      CHECK(result.ideal[0] == doctest::Approx(scale).epsilon(1e-12));
    }
    // Players in different units, u = (1e-9 sqrt x, 1e9 (1 - x)): the same x again.
    AgreementSpace mixed{{{"x", 0.0, 1.0}}, {"1e-9*sqrt(x)", "1e9*(1-x)"}};
    Result result = Solve(mixed, {0, 0});
    CHECK(result.Find(Concept::kNash)->issues[0] == doctest::Approx(1.0 / 3).epsilon(1e-9));
    CHECK(result.Find(Concept::kKalaiSmorodinsky)->issues[0] == doctest::Approx(ks_x).epsilon(1e-9));
  }

  TEST_CASE("payoffs all below 1e-12 for a player: refused by name, not 'no gain'") {
    // Such values count as 0 (rounding residues beside larger ones); a player with nothing
    // larger would be left with nothing to gain and a message that hides why.
    CHECK_THROWS_WITH_AS(Solve(OutcomeSet{{{4e-13, 0}, {0, 3e-13}, {2e-13, 2e-13}}, true}, {0, 0}, Concept::kNash),
                         doctest::Contains("player 1's payoffs and disagreement value are all below 1e-12"),
                         parley::ValidationError);
    // Payoffs computed by formulas are another matter: a value like synergy + value - price
    // is a rounding residue of 0 at some parameter values (1e-14 in merger_review.yaml at
    // target_value = 199.9), and must count as 0 there, leaving that player no gain in a
    // bargain rather than stopping a sweep.
    AgreementSpace tiny{{{"x", 0.0, 1.0}}, {"x", "1e-13*(1-x)"}};
    CHECK_THROWS_WITH_AS(Solve(tiny, {0, 0}), doctest::Contains("no gain to share"), parley::ValidationError);
    // Beside larger values they are 0: (2, 2e-13) is (2, 0), and Nash over (4, 0), (0, 3)
    // is (2, 3/2).
    Result rounded = Solve(OutcomeSet{{{4, 0}, {0, 3}, {2, 2e-13}}, true}, {0, 0}, Request{});
    CHECK(rounded.Find(Concept::kNash)->payoffs == Vector{2, 1.5});
  }

  TEST_CASE("agreement space: non-concave utilities are reported as best found, bad formulas") {
    AgreementSpace convex{{{"x", 0.0, 1.0}}, {"x^2", "1-x"}};
    Solution nash = Solve(convex, {0, 0}, Concept::kNash);
    // maximise 2 log x + log(1 - x): 2/x = 1/(1 - x) -> x = 2/3.
    CHECK(nash.issues[0] == doctest::Approx(2.0 / 3).epsilon(1e-9));
    CHECK(nash.precision == Precision::kBestFound);
    AgreementSpace unknown{{{"x", 0.0, 1.0}}, {"sqrt(y)", "1-x"}};
    CHECK_THROWS_WITH_AS(Solve(unknown, {0, 0}, Concept::kNash),
                         doctest::Contains("unknown variable 'y' in the utility of player 1"),
                         parley::ValidationError);
    AgreementSpace syntax{{{"x", 0.0, 1.0}}, {"sqrt(x", "1-x"}};
    CHECK_THROWS_AS(Solve(syntax, {0, 0}, Concept::kNash), parley::ValidationError);
    AgreementSpace two{{{"x", 0.0, 1.0}, {"y", 0.0, 2.0}}, {"x + y", "3 - x - y"}};
    // TU in disguise: u1 + u2 = 3, Nash from (0,0) gives (1.5, 1.5).
    Solution both = Solve(two, {0, 0}, Concept::kNash);
    CHECK(both.payoffs[0] == doctest::Approx(1.5).epsilon(1e-6));
  }

  TEST_CASE("variable threats, transferable utility") {
    // A = [[5,1],[2,4]], B = [[1,2],[3,1]]; A - B = [[4,-1],[-1,3]]: no saddle; row
    // p: 4p - (1-p) = -p + 3(1-p) -> p = 4/9, value v = 11/9; column q = 4/9 likewise.
    // Surplus s = max(A + B) = 6: u1 = (6 + 11/9)/2 = 65/18, u2 = (6 - 11/9)/2 = 43/18.
    // Threat point: x A y = (80 + 20 + 40 + 100)/81 = 80/27, x B y = (16+40+60+25)/81 = 47/27.
    Result r = SolveThreatGame({{5, 1}, {2, 4}}, {{1, 2}, {3, 1}}, true);
    REQUIRE(r.threats.has_value());
    CHECK(r.threats->value == doctest::Approx(11.0 / 9));
    CHECK(r.threats->row_strategy[0] == doctest::Approx(4.0 / 9));
    CHECK(r.threats->column_strategy[0] == doctest::Approx(4.0 / 9));
    CHECK(r.solutions[0].payoffs[0] == doctest::Approx(65.0 / 18));
    CHECK(r.solutions[0].payoffs[1] == doctest::Approx(43.0 / 18));
    CHECK(r.disagreement[0] == doctest::Approx(80.0 / 27));
    CHECK(r.disagreement[1] == doctest::Approx(47.0 / 27));
  }

  TEST_CASE("variable threats over the hull of the cells") {
    // Cells: (3,0) (1.5,0) (2,2) / (2,0) (2.5,0) (0,-8). Frontier: one segment (2,2)-(3,0)
    // on 2u1 + u2 = 6, normal (2,1)/3, c = 2. Threat game (1/3)(2A - B) with
    // 2A - B = [[6,3,2],[4,5,8]]: row p: 4 + 2p = 5 - 2p -> p = 1/4, value 4.5 (column 3 gives
    // 6.5), column (1/2, 1/2, 0). v = 4.5/3 = 1.5: u1 = (c + v)/(2 a1) = 3.5/(4/3) = 21/8,
    // u2 = (c - v)/(2 a2) = 0.5/(2/3) = 3/4, on the segment (2 <= 21/8 <= 3): a fixed point.
    // Threat point: d1 = 1/4 * 2.25 + 3/4 * 2.25 = 9/4, d2 = 0.
    Result r = SolveThreatGame({{3, 1.5, 2}, {2, 2.5, 0}}, {{0, 0, 2}, {0, 0, -8}}, false);
    REQUIRE(r.threats.has_value());
    CHECK(r.solutions[0].payoffs[0] == doctest::Approx(21.0 / 8));
    CHECK(r.solutions[0].payoffs[1] == doctest::Approx(3.0 / 4));
    CHECK(r.threats->row_strategy[0] == doctest::Approx(0.25));
    CHECK(r.threats->column_strategy[2] == doctest::Approx(0.0));
    CHECK(r.threats->threat_point[0] == doctest::Approx(9.0 / 4));
    CHECK(r.threats->threat_point[1] == doctest::Approx(0.0));
    // The agreement is the Nash solution from the threat point.
    Solution check = NashOverHull({{3, 0}, {1.5, 0}, {2, 2}, {2, 0}, {2.5, 0}, {0, -8}},
                                  r.threats->threat_point, {1, 1});
    CHECK(check.payoffs[0] == doctest::Approx(21.0 / 8));
    // A vertex answer: with (0,-8) replaced by (0,0) the column player threatens more
    // cheaply (2A - B = [[6,3,2],[4,5,0]] has value 2 = h at the vertex (2,2)).
    Result vertex = SolveThreatGame({{3, 1.5, 2}, {2, 2.5, 0}}, {{0, 0, 2}, {0, 0, 0}}, false);
    CHECK(vertex.solutions[0].payoffs[0] == doctest::Approx(2.0));
    CHECK(vertex.solutions[0].payoffs[1] == doctest::Approx(2.0));
  }

  TEST_CASE("variable threats: a frontier of one point is the agreement (these were internal errors)") {
    // Cells and their only undominated point, by hand: the agreement is that point whatever
    // the threats. The matrix games met on the way have degenerate optima (duals all 0).
    struct Case {
      Matrix a, b;
      Vector agreement;
    };
    const Case cases[] = {
        {{{1, 1}, {0, 1}}, {{1, 1}, {0, 0}}, {1, 1}},           // cells (1,1) (1,1) (0,0) (1,0)
        {{{-1, -1}, {0, 0}}, {{0, 0}, {0, -1}}, {0, 0}},        // (-1,0) (-1,0) (0,0) (0,-1)
        {{{-1, -1}, {-1, 0}}, {{-1, -1}, {0, 0}}, {0, 0}},      // (-1,-1) (-1,-1) (-1,0) (0,0)
        {{{1, -1}, {1, 0}}, {{0, 0}, {-1, 0}}, {1, 0}},         // (1,0) (-1,0) (1,-1) (0,0)
        {{{-2, 1, 0}, {-2, 2, -1}, {-2, 2, -1}}, {{0, 0, 0}, {2, 2, -1}, {-2, 1, -2}}, {2, 2}},  // (2,2) beats all
        // (2,2) beats all; a matrix game on the way has entries of 1e-9 beside 2, which GLPK's
        // floating-point simplex declared infeasible (an internal error).
        {{{1, 0, 2}, {2, 1, 2}, {-1, 0, 1}}, {{0, -1, 2}, {-1, 2, 2}, {2, 1, 1}}, {2, 2}},
    };
    for (const Case& c : cases) {
      Result r = SolveThreatGame(c.a, c.b, false);
      REQUIRE(r.solutions.size() == 1);
      CHECK(r.solutions[0].payoffs[0] == doctest::Approx(c.agreement[0]).scale(1));
      CHECK(r.solutions[0].payoffs[1] == doctest::Approx(c.agreement[1]).scale(1));
    }
  }

  TEST_CASE("JSON rendering of alternating offers") {
    AlternatingOffers game;
    game.discount = {0.9, 0.8};
    auto json = ToJson(SolveAlternatingOffers(game));
    CHECK(json["shares"][0].get<double>() == doctest::Approx(5.0 / 7));
  }
}
