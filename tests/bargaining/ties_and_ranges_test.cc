// Ties flagged wherever a concept's optimum is not unique (with the documented selection),
// numbers outside the documented range refused, and small inputs that used to cost unbounded
// work, each against a hand derivation.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>

#include "solver/bargaining/alternating_offers.h"
#include "solver/bargaining/bargaining.h"
#include "solver/bargaining/outcomes.h"
#include "solver/lp/matrix_game.h"
#include "solver/model/error.h"
#include "tests/test_util.h"

using namespace parley::bargaining;
using parley::testing::RunParley;

TEST_SUITE("bargaining") {
  TEST_CASE("utilitarian: a tie reaching below d is flagged and broken by Nash") {
    // Outcomes (4, 1) and (1, 4), d = (2, 0): every lottery sums to 5, so the optimal set is
    // the part of the segment with u1 >= 2, from (4, 1) to (2, 3): a tie. (1, 4) itself is
    // below d, which is how the tie went unseen. Nash over it from d: u = (4 - 3s, 1 + 3s),
    // (2 - 3s)(1 + 3s) peaks where 3 - 18 s = 0, s = 1/6: (3.5, 1.5).
    Solution util = SolveOutcomes(OutcomeSet{{{4, 1}, {1, 4}}, true}, {2, 0}, Concept::kUtilitarian);
    REQUIRE(util.ties.size() == 2);
    CHECK(util.ties[0][0] == doctest::Approx(4));  // player 1's best optimal point
    CHECK(util.ties[1][0] == doctest::Approx(2));  // player 2's: (2, 3)
    CHECK(util.ties[1][1] == doctest::Approx(3));
    CHECK(util.payoffs[0] == doctest::Approx(3.5));
    CHECK(util.payoffs[1] == doctest::Approx(1.5));
  }

  TEST_CASE("ties between pure outcomes, for every concept") {
    // Pure (4, 1), (1, 4), (2.5, 2.5), d = 0: utilitarian sums all 5 (a three-way tie),
    // Nash products 4, 4, 6.25 select (2.5, 2.5).
    Solution util = SolveOutcomes(OutcomeSet{{{4, 1}, {1, 4}, {2.5, 2.5}}, false}, {0, 0},
                                  Concept::kUtilitarian);
    CHECK(util.ties.size() == 3);
    CHECK(util.payoffs[0] == doctest::Approx(2.5));
    // Pure (4, 1) and (1, 4): Nash products 4 and 4, a tie; totals equal, the first listed.
    Solution nash = SolveOutcomes(OutcomeSet{{{4, 1}, {1, 4}}, false}, {0, 0}, Concept::kNash);
    CHECK(nash.ties.size() == 2);
    CHECK(nash.payoffs[0] == doctest::Approx(4));
  }

  TEST_CASE("a scenario's report names a tie of packages with the same payoffs once") {
    // s in [0, 2] and c in {keep, drop}: keep pays (s, 2 (2 - s)), drop (s + 0.5, 2 (2 - s) - 1);
    // drop at s is keep at s + 0.5, so both packages reach every optimum on 0.5 <= s_keep <= 2.
    // From d = (0, 0) the Nash product s (4 - 2 s) peaks at s = 1: (1, 2), by keep at s = 1
    // and by drop at s = 0.5. One point, two agreements: not "(A 1, B 2) and (A 1, B 2)".
    const std::string file = parley::testing::WriteTempFile("same_payoff_packages.yaml", R"(title: ties
players: [A, B]
parameters:
  hi: {value: 2, min: 0.5, max: 5}
stages:
  - name: deal
    bargain:
      issues:
        s: {from: 0, to: hi}
        c: {options: [keep, drop]}
      solution: nash
      lotteries: false
payoffs:
  A: if(deal == agree, s + if(c == drop, 0.5, 0), 0)
  B: if(deal == agree, 2 * (hi - s) + if(c == drop, -1, 0), 0)
)");
    const auto run = RunParley("solve '" + file + "'");
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("a tie: 2 agreements give the nash optimum (A 1, B 2), with different terms; the first "
                       "package, in the order of the options, is shown") != std::string::npos);
    CHECK(run.out.find("(A 1, B 2) and (A 1, B 2)") == std::string::npos);
    CHECK(run.out.find("c keep") != std::string::npos);  // the first package: s = 1 with keep
  }

  TEST_CASE("utilitarian over an agreement space: a tie is flagged and broken by Nash") {
    // u = (x, 1 - x), x in [0, 1]: every x sums to 1, the ends are (1, 0) and (0, 1); Nash
    // among them from (0, 0): x = 1/2.
    AgreementSpace space{{{"x", 0, 1}}, {"x", "1 - x"}};
    Solution util = Solve(space, {0, 0}, Concept::kUtilitarian);
    CHECK(util.ties.size() == 2);
    CHECK(util.issues[0] == doctest::Approx(0.5).epsilon(1e-6));
    // A unique optimum has no tie: u = (x, 2 - 2x) sums to 2 - x, best at x = 0.
    AgreementSpace strict{{{"x", 0, 1}}, {"x", "2 - 2*x"}};
    Solution one = Solve(strict, {0, 0}, Concept::kUtilitarian);
    CHECK(one.ties.empty());
    CHECK(one.issues[0] == doctest::Approx(0).epsilon(1e-9));
  }

  TEST_CASE("numbers outside the documented range are refused or count as 0, not crashed on") {
    // 1e-200 counts as 0: (0, 1) and (1, 0) from d = 0, Nash (1/2, 1/2) by symmetry.
    Solution tiny_nash = SolveOutcomes(OutcomeSet{{{1e-200, 1}, {1, 1e-200}}, true}, {0, 0}, Concept::kNash);
    CHECK(tiny_nash.payoffs[0] == doctest::Approx(0.5));
    CHECK(tiny_nash.payoffs[1] == doctest::Approx(0.5));
    // (1e-200, 1) alone: every value of player 1 is below 1e-12, so it is refused by name
    // (counting them as 0 would leave player 1 nothing to gain, for no stated reason).
    CHECK_THROWS_WITH_AS(SolveOutcomes(OutcomeSet{{{1e-200, 1}}, true}, {0, 0}, Concept::kNash),
                         doctest::Contains("player 1's payoffs and disagreement value are all below 1e-12"),
                         parley::ValidationError);
    CHECK_THROWS_WITH_AS(SolveOutcomes(OutcomeSet{{{-5, 3}, {1e308, 1}}, true}, {0, 0}, Concept::kNash),
                         doctest::Contains("outcome 2 has the entry"), parley::ValidationError);
    CHECK_THROWS_AS(SolveOutcomes(OutcomeSet{{{1e15, 1}, {1, 3}}, true}, {0, 0}, Concept::kNash),
                    parley::ValidationError);
    // The matrix-game LP rescales: [[1e19, -1e19], [-1e19, 1e19]] is matching pennies times
    // 1e19, value 0 with both players mixing 1/2.
    auto g = parley::lp::SolveMatrixGame({{1e19, -1e19}, {-1e19, 1e19}});
    CHECK(g.value == doctest::Approx(0).epsilon(1e-6));
    CHECK(g.row[0] == doctest::Approx(0.5));
    CHECK(g.column[0] == doctest::Approx(0.5));
    // And tiny entries: [[3e-300, 0], [0, 1e-300]] has value 3e-300 * 1e-300 / 4e-300 = 7.5e-301,
    // rows (1/4, 3/4).
    auto tiny = parley::lp::SolveMatrixGame({{3e-300, 0}, {0, 1e-300}});
    CHECK(tiny.value / 7.5e-301 == doctest::Approx(1));
    CHECK(tiny.row[0] == doctest::Approx(0.25));
  }

  TEST_CASE("parley bargain: extreme numbers give one error line and exit 1, or the answer") {
    for (const char* args :
         {"bargain --outcomes '-5,3;1e308,1'", "bargain --outcomes '1e15,1;1,3'",
          "bargain --threats-row '1e-308,1' --threats-col '-1e19,-1' --weights 2,6"}) {
      CAPTURE(args);
      auto r = RunParley(args);
      CHECK(r.exit_code == 1);
      CHECK(r.err.rfind("error: ", 0) == 0);
      CHECK(r.err.find("rescale the units") != std::string::npos);
    }
    // (1e-200, 1) alone: player 1's values are all below 1e-12.
    auto tiny = RunParley("bargain --outcomes '1e-200,1'");
    CHECK(tiny.exit_code == 1);
    CHECK(tiny.err.find("rescale that player's units") != std::string::npos);
    // With (1, 1e-200) as well: Nash (1/2, 1/2) by symmetry.
    auto pair = RunParley("bargain --outcomes '1e-200,1;1,1e-200' --format json");
    REQUIRE(pair.exit_code == 0);
    CHECK(nlohmann::json::parse(pair.out)["solutions"]["nash"]["payoffs"][0].get<double>() ==
          doctest::Approx(0.5));
  }

  TEST_CASE("parley bargain: bounded work for --players and --rounds") {
    auto many = RunParley("bargain --surplus 1 --players 100000");
    CHECK(many.exit_code == 1);
    CHECK(many.err.find("at most 1000 players") != std::string::npos);
    // 1000 players with equal weights: everyone gets 1/1000 under Nash.
    auto thousand = RunParley("bargain --surplus 1 --players 1000 --format json");
    REQUIRE(thousand.exit_code == 0);
    CHECK(nlohmann::json::parse(thousand.out)["solutions"]["nash"]["payoffs"][999].get<double>() ==
          doctest::Approx(0.001));
    // 2^31 - 1 rounds: the recursion reaches its period-2 fixed point and stops. An odd
    // horizon this long gives the Rubinstein share 0.2 / 0.28 = 5/7 to rounding.
    auto start = std::chrono::steady_clock::now();
    auto rounds = RunParley("bargain --alternating --discount 0.9,0.8 --rounds 2147483647 --format json");
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(rounds.exit_code == 0);
    CHECK(nlohmann::json::parse(rounds.out)["shares"][0].get<double>() == doctest::Approx(5.0 / 7).epsilon(1e-12));
    CHECK(seconds < 2.0);
  }

  TEST_CASE("finite horizons: the early stop gives the same shares as the full recursion") {
    // d = (0.9, 0.8), player 1 proposes in rounds 1 and 3, player 2 in rounds 2 and 4.
    // T = 4: the last proposer (player 2) takes 1; round 3: player 1 keeps 1 - 0.8 = 0.2;
    // round 2: player 2 keeps 1 - 0.9 * 0.2 = 0.82; round 1: player 1 keeps
    // 1 - 0.8 * 0.82 = 0.344.
    AlternatingOffers game;
    game.discount = {0.9, 0.8};
    game.rounds = 4;
    CHECK(SolveAlternatingOffers(game).shares[0] == doctest::Approx(0.344));
    // Long horizons of both parities approach 5/7 (odd: from above, even: from below), and
    // an outside option that binds still binds: e2 = 0.6 with d = (0.9, 0.9) gives (0.4, 0.6).
    for (int rounds : {1001, 1000, 100001}) {
      game.rounds = rounds;
      CHECK(SolveAlternatingOffers(game).shares[0] == doctest::Approx(5.0 / 7).epsilon(1e-12));
    }
    game.discount = {0.9, 0.9};
    game.outside = {0, 0.6};
    game.rounds = 100001;
    AlternatingOffersResult r = SolveAlternatingOffers(game);
    CHECK(r.shares[0] == doctest::Approx(0.4));
    CHECK(r.outside_binding[1]);
  }

  TEST_CASE("the infinite horizon near discount 1 keeps its digits") {
    // (1 - d2) / (1 - d1 d2) for d = (0.999999999, 0.99999999): the product's rounding
    // cancelled in 1 - d1 d2, and the split lost 9 digits (0.9090909118435282). Its exact
    // value for these two doubles, in rationals: 0.9090909126699744 (to the last digit; the
    // denominator written (1 - d1) + d1 (1 - d2) keeps it).
    AlternatingOffers game;
    game.discount = {0.999999999, 0.99999999};
    const AlternatingOffersResult r = SolveAlternatingOffers(game);
    CHECK(r.shares[0] == doctest::Approx(0.9090909126699744).epsilon(1e-15));
    CHECK(r.shares[1] == doctest::Approx(1 - 0.9090909126699744).epsilon(1e-14));
  }
}
