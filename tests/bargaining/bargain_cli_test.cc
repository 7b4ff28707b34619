#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "tests/test_util.h"

using parley::testing::RunParley;

TEST_SUITE("bargaining") {
  TEST_CASE("parley bargain --outcomes: JSON with every concept") {
    auto r = RunParley("bargain --outcomes '4,1;1,3' --weights 2,1 --format json");
    REQUIRE(r.exit_code == 0);
    auto json = nlohmann::json::parse(r.out);
    // (4 - 3s)(1 + 2s) peaks at s = 5/12: (11/4, 11/6).
    CHECK(json["solutions"]["nash"]["payoffs"][0].get<double>() == doctest::Approx(11.0 / 4));
    CHECK(json["solutions"]["nash"]["lottery"][1].get<double>() == doctest::Approx(5.0 / 12));
    // Weighted (2,1): maximise 2 log(4 - 3s) + log(1 + 2s): -6/(4-3s) + 2/(1+2s) = 0
    // -> -6 - 12s + 8 - 6s = 0 -> s = 1/9: (11/3, 11/9).
    CHECK(json["solutions"]["weighted_nash"]["payoffs"][0].get<double>() == doctest::Approx(11.0 / 3));
    CHECK(json["solutions"].contains("kalai_smorodinsky"));
    CHECK(json["solutions"].contains("egalitarian"));
    CHECK(json["solutions"].contains("weighted_utilitarian"));
    CHECK(json["ideal"][1].get<double>() == doctest::Approx(3));
  }

  TEST_CASE("a gain of 1e-9 of a player's magnitude counts: the bar is 1e-12, as documented") {
    // A split s, 2 - s of 2 with d = (1.999999998, -1): s = 2 gives A 2e-9 more than d and B 1
    // more, so there is an agreement, and every concept takes it (A's gain bounds them all:
    // the frontier's only point beating d for A lies on the edge from (2, -1) up to (2, 0)).
    // A gain had to exceed 1e-9 of the magnitude 2, and talks were said to fail.
    auto r = RunParley("bargain --issue s=0:2 --utility s --utility '2-s' --disagreement 1.999999998,-1");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("nash                  2           0           exact") != std::string::npos);
    CHECK(r.out.find("nash: agreed issues s = 2") != std::string::npos);
    auto o = RunParley("bargain --outcomes '2,0;0,2' --disagreement 1.999999998,-1");
    CHECK(o.exit_code == 0);
    // Where the gain is below 1e-12 of it there is none: d_A = 2 - 1e-13.
    auto none = RunParley("bargain --issue s=0:2 --utility s --utility '2-s' --disagreement 1.9999999999999,-1");
    CHECK(none.exit_code == 1);
    CHECK(none.err.find("no feasible point gives every player strictly more") != std::string::npos);
  }

  TEST_CASE("parley bargain --constraint: a linked issue, solved exactly, with what binds") {
    // price in [0, 10], divest in [0, 1], price <= 8 - 3 divest, u = (price, 12 - price +
    // 4 divest): Nash at the kink price 5, divest 1, u = (5, 11) (derived in
    // tests/bargaining/negotiation_test.cc).
    auto r = RunParley("bargain --issue price=0:10 --issue divest=0:1 --utility price "
                       "--utility '12-price+4*divest' --constraint 'price <= 8 - 3*divest' --format json");
    REQUIRE(r.exit_code == 0);
    auto json = nlohmann::json::parse(r.out);
    const auto& nash = json["solutions"]["nash"];
    CHECK(nash["issues"]["price"].get<double>() == doctest::Approx(5).epsilon(1e-12));
    CHECK(nash["issues"]["divest"].get<double>() == doctest::Approx(1).epsilon(1e-12));
    CHECK(nash["precision"] == "exact");
    // The issue bound that binds is reported beside the constraint, as docs/bargaining.md says
    // (only the constraint was); KS, whose agreement has divest = 12/13, lists no bound.
    CHECK(nash["method"].get<std::string>().find("binding: price <= 8 - 3*divest, divest = 1") != std::string::npos);
    CHECK(json["solutions"]["kalai_smorodinsky"]["method"].get<std::string>().find("divest =") == std::string::npos);
    auto alone = RunParley("bargain --outcomes '1,0;0,1' --constraint 'x <= 1'");
    CHECK(alone.exit_code == 1);
    CHECK(alone.err.find("error: --constraint links issues") != std::string::npos);
    auto bad = RunParley("bargain --issue x=0:1 --utility x --utility 1-x --constraint 'x < 1'");
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("expected EXPR <= EXPR") != std::string::npos);
  }

  TEST_CASE("parley bargain text output, pure outcomes and agreement spaces") {
    auto pure = RunParley("bargain --outcomes '4,1;1,3' --pure");
    REQUIRE(pure.exit_code == 0);
    CHECK(pure.out.find("forbidding lotteries costs") != std::string::npos);
    auto space = RunParley("bargain --issue x=0:1 --utility 'sqrt(x)' --utility '1-x' --format json");
    REQUIRE(space.exit_code == 0);
    auto json = nlohmann::json::parse(space.out);
    CHECK(json["solutions"]["nash"]["issues"]["x"].get<double>() == doctest::Approx(1.0 / 3).epsilon(1e-6));
    // Payoffs in units of 1e-15 are printed, not shown as 0 (what is within rounding of 0 is
    // judged against each player's own magnitude). Nash: sqrt x (1 - x) is largest at x = 1/3,
    // u = 1e-15 (1/sqrt 3, 2/3) = (5.7735e-16, 6.66667e-16).
    auto small = RunParley("bargain --issue x=0:1 --utility '1e-15*sqrt(x)' --utility '1e-15*(1-x)'");
    REQUIRE(small.exit_code == 0);
    CHECK(small.out.find("ideal point        (1e-15, 1e-15)") != std::string::npos);
    CHECK(small.out.find("nash                  5.7735e-16  6.66667e-16") != std::string::npos);
    CHECK(small.out.find("nash: agreed issues x = 0.333333") != std::string::npos);
    auto surplus = RunParley("bargain --surplus 1 --players 3 --weights 1,2,3 --format json");
    REQUIRE(surplus.exit_code == 0);
    CHECK(nlohmann::json::parse(surplus.out)["solutions"]["weighted_nash"]["payoffs"][2].get<double>() ==
          doctest::Approx(0.5));
  }

  TEST_CASE("parley bargain: threats and alternating offers") {
    auto threats = RunParley(
        "bargain --threats-row '5,1;2,4' --threats-col '1,2;3,1' --transferable --format json");
    REQUIRE(threats.exit_code == 0);
    auto json = nlohmann::json::parse(threats.out);
    // (6 + 11/9) / 2 = 65/18.
    CHECK(json["solutions"]["nash"]["payoffs"][0].get<double>() == doctest::Approx(65.0 / 18));
    CHECK(json["solutions"]["nash"]["threats"]["row"][0].get<double>() == doctest::Approx(4.0 / 9));
    auto alternating = RunParley("bargain --alternating --discount 0.9,0.8 --first 2 --format json");
    REQUIRE(alternating.exit_code == 0);
    // P2 first gets 0.1 / 0.28 = 5/14.
    CHECK(nlohmann::json::parse(alternating.out)["shares"][1].get<double>() ==
          doctest::Approx(5.0 / 14));
    auto text = RunParley("bargain --alternating --discount 0.9,0.8 --rounds 3");
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("0.92") != std::string::npos);
  }

  TEST_CASE("parley bargain --issue: linear utilities in billionths, and in units 1 and 1e9") {
    // u = (1e-9 x, 3e-9 (1 - x)), x in [0, 1]: Nash and KS at x = 1/2 (5e-10, 1.5e-9);
    // egalitarian 1e-9 x = 3e-9 (1 - x), x = 3/4 (7.5e-10 each). It was refused as "no feasible
    // point" (the gain was compared with 1e-9 of a scale of at least 1).
    auto tiny = RunParley("bargain --issue x=0:1 --utility '1e-9*x' --utility '3e-9*(1-x)' --format json");
    REQUIRE(tiny.exit_code == 0);
    auto json = nlohmann::json::parse(tiny.out);
    CHECK(json["solutions"]["kalai_smorodinsky"]["payoffs"][1].get<double>() == doctest::Approx(1.5e-9).epsilon(1e-14));
    CHECK(json["solutions"]["egalitarian"]["payoffs"][0].get<double>() == doctest::Approx(7.5e-10).epsilon(1e-14));
    // u = (x, 1e9 (1 - x)): KS at x = 1/2 (0.5, 5e8), not (0, 1e9); egalitarian x = 1e9 (1 - x),
    // x = 1e9 / (1e9 + 1).
    auto uneven = RunParley("bargain --issue x=0:1 --utility x --utility '1e9*(1-x)' --format json");
    REQUIRE(uneven.exit_code == 0);
    json = nlohmann::json::parse(uneven.out);
    CHECK(json["solutions"]["kalai_smorodinsky"]["payoffs"][0].get<double>() == doctest::Approx(0.5).epsilon(1e-14));
    CHECK(json["solutions"]["kalai_smorodinsky"]["payoffs"][1].get<double>() == doctest::Approx(5e8).epsilon(1e-14));
    CHECK(json["solutions"]["egalitarian"]["payoffs"][1].get<double>() == doctest::Approx(1e9 / (1e9 + 1)).epsilon(1e-14));
  }

  TEST_CASE("parley bargain: bad input gives one error line and exit 1") {
    auto malformed = RunParley("bargain --outcomes '4,1;1,x'");
    CHECK(malformed.exit_code == 1);
    CHECK(malformed.err == "error: malformed --outcomes: 'x' is not a number\n");
    auto counts = RunParley("bargain --outcomes '4,1;1,3,2'");
    CHECK(counts.exit_code == 1);
    CHECK(counts.err.find("entry 2 has 3 numbers but entry 1 has 2") != std::string::npos);
    auto unknown = RunParley("bargain --issue x=0:1 --utility 'sqrt(y)' --utility '1-x'");
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err.find("unknown variable 'y'") != std::string::npos);
    auto no_gain = RunParley("bargain --outcomes '4,1;1,3' --disagreement 5,5");
    CHECK(no_gain.exit_code == 1);
    CHECK(no_gain.err.find("(4, 3)") != std::string::npos);
    auto wrong_d = RunParley("bargain --outcomes '4,1;1,3' --disagreement 0,0,0");
    CHECK(wrong_d.exit_code == 1);
    auto none = RunParley("bargain");
    CHECK(none.exit_code == 1);
    CHECK(none.err.find("choose exactly one problem") != std::string::npos);
  }

  TEST_CASE("parley bargain --utility unbounded on the issue's range: one error line, exit 1") {
    // 1/x on [0, 1] is infinite at x = 0. Every concept was reported as "best found", player 1
    // getting up to 1.4e17 at x = 7e-18; the text showed KS's 1999 as 0 beside them.
    const std::string expected =
        "error: the utility of player 1 \"1/x\" is not finite (it is inf) at x = 0; bargaining handles payoffs "
        "up to 1e+12 in magnitude: make it finite and bounded by that on the issues' ranges (narrow a range, "
        "rescale the units or change the formula)\n";
    for (const char* format : {"", " --format json"}) {
      CAPTURE(format);
      auto r = RunParley(std::string("bargain --issue x=0:1 --utility '1/x' --utility '1-x'") + format);
      CHECK(r.exit_code == 1);
      CHECK(r.out.empty());
      CHECK(r.err == expected);
    }
    // Finite everywhere, but 1e300 at the bound x = 1e-300: beyond the range, refused too.
    auto tiny = RunParley("bargain --issue x=1e-300:1 --utility '1/x' --utility '1-x'");
    CHECK(tiny.exit_code == 1);
    CHECK(tiny.err.find("error: the utility of player 1 \"1/x\" is 1e+300 at x = 1e-300; bargaining handles "
                        "payoffs up to 1e+12 in magnitude") == 0);
  }

  TEST_CASE("parley bargain text: a payoff far below its player's largest is printed, as in the JSON") {
    // Outcomes (1e12, 0.3) and (0.4, 1e12) from d = (-5, 0), lotteries forbidden. Nash:
    // (1e12 + 5) 0.3 = 3e11 against 5.4 x 1e12; KS against the ideal (1e12, 1e12): 3e-13
    // against 5.4e-12; egalitarian: gains 0.3 against 5.4; utilitarian: a tie (sums 1e12 + 0.3
    // and 1e12 + 0.4 within the tie rule) broken by the Nash product. Every concept takes
    // (0.4, 1e12). Player 1's largest payoff is 1e12, and what was below 5e-13 of it (0.5)
    // showed as 0 in the table and the tie, while the JSON said 0.4 (so KS's 1999 read 0 beside
    // payoffs of 1.4e17).
    const std::string args = "bargain --outcomes '1e12,0.3;0.4,1e12' --pure --disagreement -5,0";
    auto r = RunParley(args);
    REQUIRE(r.exit_code == 0);
    for (const char* row : {"nash                  0.4         1e+12       exact",
                            "kalai_smorodinsky     0.4         1e+12       exact",
                            "egalitarian           0.4         1e+12       exact",
                            "utilitarian           0.4         1e+12       exact",
                            "utilitarian: tie among (1e+12, 0.3) (0.4, 1e+12)"}) {
      CAPTURE(row);
      CHECK(r.out.find(row) != std::string::npos);
    }
    auto json = nlohmann::json::parse(RunParley(args + " --format json").out);
    CHECK(json["solutions"]["kalai_smorodinsky"]["payoffs"][0].get<double>() == 0.4);
  }

  TEST_CASE("parley bargain --parties and --alternating over issues") {
    // A pie x for player 1, 1 - x for 2, and a constant 5 for player 3, who is not at the
    // table: Nash between 1 and 2 splits equally, x = 1/2, whatever player 3 gets.
    auto parties = RunParley("bargain --issue x=0:1 --utility x --utility 1-x --utility 5 --parties 1,2 "
                             "--disagreement 0,0,7 --format json");
    REQUIRE(parties.exit_code == 0);
    auto json = nlohmann::json::parse(parties.out);
    CHECK(json["solutions"]["nash"]["issues"]["x"].get<double>() == doctest::Approx(0.5).epsilon(1e-12));
    CHECK(json["solutions"]["nash"]["payoffs"][2].get<double>() == doctest::Approx(5));
    CHECK(json["parties"] == nlohmann::json::array({1, 2}));
    // The text's first line names the parties before the player count (it read "Bargaining
    // over 1 issue(s); parties 1, 2, 3 players", as if player 3 were at the table).
    auto parties_text = RunParley("bargain --issue x=0:1 --utility x --utility 1-x --utility 5 --parties 1,2");
    REQUIRE(parties_text.exit_code == 0);
    CHECK(parties_text.out.rfind("Bargaining over 1 issue (parties 1, 2), 3 players\n", 0) == 0);
    // Rubinstein over the issue: the first proposer gets (1 - 0.8)/(1 - 0.72) = 5/7; the
    // second party first: (1 - 0.9)/0.28 = 5/14 for it, so x = 1 - 5/14 = 9/14.
    auto a = RunParley("bargain --issue x=0:1 --utility x --utility 1-x --alternating --discount 0.9,0.8 --format json");
    REQUIRE(a.exit_code == 0);
    auto aj = nlohmann::json::parse(a.out);
    CHECK(aj["alternating"]["issues"]["x"].get<double>() == doctest::Approx(5.0 / 7).epsilon(1e-12));
    CHECK(aj["alternating"]["precision"] == "exact");
    auto b = RunParley("bargain --issue x=0:1 --utility x --utility 1-x --alternating --discount 0.9,0.8 --first 2 "
                       "--format json");
    REQUIRE(b.exit_code == 0);
    CHECK(nlohmann::json::parse(b.out)["alternating"]["issues"]["x"].get<double>() ==
          doctest::Approx(9.0 / 14).epsilon(1e-12));
    // Stahl, 3 rounds: 1 - 0.8 (1 - 0.9) = 0.92 for the first proposer.
    auto c = RunParley("bargain --issue x=0:1 --utility x --utility 1-x --alternating --discount 0.9,0.8 --rounds 3");
    REQUIRE(c.exit_code == 0);
    CHECK(c.out.find("agreement: x = 0.92") != std::string::npos);
    // Between players 1 and 3 (player 2 not at the table).
    auto d = RunParley("bargain --issue x=0:1 --utility x --utility 2 --utility 1-x --parties 1,3 --alternating "
                       "--discount 0.9,0.9 --format json");
    REQUIRE(d.exit_code == 0);
    CHECK(nlohmann::json::parse(d.out)["alternating"]["payoffs"][0].get<double>() ==
          doctest::Approx(1 / 1.9).epsilon(1e-12));
    // Where the pie ends 5e-11 beyond Rubinstein's share: x in [0, 0.6], delta = 0.6666666668
    // for both, so the first proposer gets 1 / (1 + delta) = 0.6 / 1.00000000008 =
    // 0.599999999952 (Python's fractions on the doubles: 0.599999999952 to 16 digits). The
    // linear programs behind the frontier were solved by glp_exact, which reads 0.400000000048
    // as 0.4, and the answer was the pie's end, 0.6.
    auto e = RunParley("bargain --issue x=0:0.6 --utility x --utility 1-x --alternating "
                       "--discount 0.6666666668,0.6666666668 --format json");
    REQUIRE(e.exit_code == 0);
    const double share = nlohmann::json::parse(e.out)["alternating"]["issues"]["x"].get<double>();
    CHECK(std::abs(share - 0.599999999952) <= 2e-16);
  }

  TEST_CASE("parley bargain --parties and --alternating: bad values") {
    struct Case {
      const char* args;
      const char* message;
    };
    const Case cases[] = {
        {"--parties 1,4", "error: --parties: '4' is not a player; players are numbered 1 to 3 (one per --utility)\n"},
        {"--parties 1,1", "error: --parties: player 1 is listed twice; list each party once\n"},
        {"--parties 2", "error: --parties: a bargain needs at least 2 parties at the table, e.g. --parties 1,2\n"},
        {"--parties 1,x", "error: malformed --parties: 'x' is not a number\n"},
        {"--parties 1,2 --alternating --discount 0.9,1.2",
         "error: --discount: a factor is 1.2; discount factors lie strictly between 0 and 1\n"},
        {"--alternating --discount 0.9,0.8",
         "error: --discount: alternating offers need exactly 2 parties and one factor each (got 2 factors for 3 "
         "parties); choose two with --parties\n"},
        // --rounds 0 was taken for an infinite horizon.
        {"--parties 1,2 --alternating --discount 0.9,0.8 --rounds 0",
         "error: --rounds is 0; a finite horizon has at least 1 round (omit --rounds for an infinite horizon)\n"},
        {"--parties 1,2 --alternating --discount 0.9,0.8 --rounds -3",
         "error: --rounds is -3; a finite horizon has at least 1 round (omit --rounds for an infinite horizon)\n"},
        {"--parties 1,2 --alternating", "error: --alternating needs --discount with one factor per party, e.g. "
                                        "--discount 0.9,0.8\n"},
        {"--parties 1,2 --alternating --discount 0.9,0.8 --first 3",
         "error: --first must be 1 or 2 (the first or second party)\n"},
        {"--parties 1,2 --alternating --discount 0.9,0.8 --weights 1,2",
         "error: --weights with --alternating: the discount factors set the bargaining powers\n"},
        {"--parties 1,2 --alternating --discount 0.9,0.8 --outside 0.1,0.1",
         "error: --outside and --breakdown apply to alternating offers over a pie; over issues give the "
         "disagreement point with --disagreement\n"},
        {"--parties 1,2 --rounds 3",
         "error: --discount, --first, --rounds, --breakdown and --outside need --alternating\n"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.args);
      auto r = RunParley(std::string("bargain --issue x=0:1 --utility x --utility 1-x --utility 0 ") + c.args);
      CHECK(r.exit_code == 1);
      CHECK(r.err == c.message);
    }
    // Options the chosen problem does not read were ignored without a word.
    const Case unread[] = {
        {"--outcomes '4,1;1,3' --discount 0.5,0.5",
         "error: --discount, --first, --rounds, --breakdown and --outside need --alternating\n"},
        {"--outcomes '4,1;1,3' --rounds 3",
         "error: --discount, --first, --rounds, --breakdown and --outside need --alternating\n"},
        {"--surplus 1 --breakdown 0.1",
         "error: --discount, --first, --rounds, --breakdown and --outside need --alternating\n"},
        {"--alternating --discount 0.9,0.8 --weights 5,1",
         "error: --weights with --alternating: the discount factors set the bargaining powers\n"},
        {"--alternating --discount 0.9,0.8 --disagreement 0.3,0.3",
         "error: --disagreement with --alternating over a pie: until they agree the pie is worth 0 to both; give "
         "outside options with --outside\n"},
        {"--threats-row '1,0;0,1' --threats-col '1,0;0,1' --disagreement 0,0",
         "error: --disagreement with --threats-row/--threats-col: the threats decide the disagreement point\n"},
        {"--surplus 1 --pure", "error: --pure forbids lotteries between listed outcomes: give it with --outcomes\n"},
        {"--outcomes '4,1;1,3' --transferable",
         "error: --transferable applies to a threat game: give it with --threats-row and --threats-col\n"},
        {"--outcomes '4,1;1,3' --players 3",
         "error: --players is the number of players splitting --surplus: give it with --surplus\n"},
    };
    for (const Case& c : unread) {
      CAPTURE(c.args);
      auto r = RunParley(std::string("bargain ") + c.args);
      CHECK(r.exit_code == 1);
      CHECK(r.err == c.message);
    }
    auto alone = RunParley("bargain --outcomes '1,0;0,1' --parties 1,2");
    CHECK(alone.exit_code == 1);
    CHECK(alone.err == "error: --parties chooses who bargains over issues: give it with --issue and --utility\n");
    // A discount factor out of (0, 1) over a pie is refused in the words used over issues (it
    // said "discount factor of player 1 must be in (0, 1), got 1.2").
    for (const char* factors : {"1.2,0.8", "0.9,0"}) {
      CAPTURE(factors);
      auto pie = RunParley(std::string("bargain --alternating --discount ") + factors);
      CHECK(pie.exit_code == 1);
      CHECK(pie.err == std::string("error: --discount: a factor is ") + (factors[0] == '1' ? "1.2" : "0") +
                           "; discount factors lie strictly between 0 and 1\n");
    }
  }
}
