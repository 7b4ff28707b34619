// `parley qre --fit`: the maximum-likelihood lambda, its standard error and the notes on the
// ends of the range, against likelihoods computed here independently of the tracer: one
// decision in closed form, the centipede game by its own backward recursion, and a 2x2 game
// by bisection on its one-dimensional fixed point.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

std::string Full(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

// One decision of player 1: A pays `delta`, B pays 0. The QRE plays A with probability
// 1 / (1 + e^(-lambda delta)).
std::string Decision(double delta) {
  return testing::WriteTempFile("qre_fit_decision_" + Full(delta) + ".efg",
                                "EFG 2 R \"one decision\" { \"P1\" }\n"
                                "p \"\" 1 1 \"choice\" { \"A\" \"B\" } 0\n"
                                "t \"\" 1 \"\" { " + Full(delta) + " }\nt \"\" 2 \"\" { 0 }\n");
}

std::string Counts(const std::string& name, const std::string& rows) {
  return testing::WriteTempFile(name, "player,set,action,count\n" + rows);
}

nlohmann::json FitJson(const std::string& args) {
  auto r = testing::RunParley("qre " + args + " --format json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

// The centipede game of games/centipede.yaml (T = 6), backwards from the last node: at node k
// the mover compares k + 1 (take) with its value of passing, V, and takes with probability
// 1 / (1 + e^(-lambda (k + 1 - V))); both players' values then mix take's payoffs (k + 1 to
// the mover, k - 1 to the other) and V. Index k - 1 holds node k's P(take).
std::vector<double> CentipedeTake(double lambda) {
  double value[2] = {6, 6};
  std::vector<double> take(6);
  for (int k = 6; k >= 1; --k) {
    const int mover = k % 2 == 1 ? 0 : 1;
    double pay[2];
    pay[mover] = k + 1;
    pay[1 - mover] = k - 1;
    const double p = 1 / (1 + std::exp(-lambda * (pay[mover] - value[mover])));
    take[k - 1] = p;
    for (int i = 0; i < 2; ++i) value[i] = p * pay[i] + (1 - p) * value[i];
  }
  return take;
}

// Node k is Alice's set (k + 1) / 2 for odd k, Bob's k / 2 for even k.
std::string CentipedeRow(int k, const std::string& action, double count) {
  return std::to_string(k % 2 == 1 ? 1 : 2) + "," + std::to_string((k + 1) / 2) + "," + action + "," + Full(count) + "\n";
}

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// The 2x2 game below (payoffs times k): Row gets 4 at (U, L), 1 at (D, R), 0 otherwise; Col
// gets 1 at (U, R) and (D, L), 0 otherwise. With p = P(U) and q = P(L), the QRE has
// q = sigmoid(lambda (1 - 2p)) and p = sigmoid(lambda (4q - (1 - q))); the right side falls
// as p rises, so bisection on p finds the one QRE, the principal branch.
std::pair<double, double> AmpsQre(double lambda) {
  double lo = 0, hi = 1;
  for (int it = 0; it < 200; ++it) {
    const double p = (lo + hi) / 2, q = Sigmoid(lambda * (1 - 2 * p));
    (Sigmoid(lambda * (4 * q - (1 - q))) > p ? lo : hi) = p;
  }
  const double p = (lo + hi) / 2;
  return {p, Sigmoid(lambda * (1 - 2 * p))};
}

std::string Amps(double k) {
  const std::string K = Full(k);
  return testing::WriteTempFile("qre_fit_amps_" + K + ".efg",
                                "EFG 2 R \"amps\" { \"Row\" \"Col\" }\n"
                                "p \"\" 1 1 \"r\" { \"U\" \"D\" } 0\n"
                                "p \"\" 2 1 \"c\" { \"L\" \"R\" } 0\n"
                                "t \"\" 1 \"\" { " + Full(4 * k) + " 0 }\nt \"\" 2 \"\" { 0 " + K + " }\n"
                                "p \"\" 2 1 \"c\" { \"L\" \"R\" } 0\n"
                                "t \"\" 3 \"\" { 0 " + K + " }\nt \"\" 4 \"\" { " + K + " 0 }\n");
}

TEST_SUITE("logit") {
  TEST_CASE("qre fit: one decision in closed form, at any payoff scale") {
    // Counts (300, 100) for (A, B) with A worth delta more: the log-likelihood
    // 300 ln s + 100 ln(1 - s), s = sigmoid(lambda delta), is largest at s = 3/4, so lambda =
    // ln 3 / delta, with log-likelihood 300 ln 0.75 + 100 ln 0.25 = -86.30462 - 138.62944 =
    // -224.93406. Its second derivative is -400 delta^2 s (1 - s) = -75 delta^2, so the
    // standard error is 1 / (delta sqrt 75) = 0.11547005 / delta. Rescaling the payoffs by k
    // must divide both by k: with payoffs of 1e5 a step of 1e-4 in lambda (ten times lambda
    // itself) left the standard error out.
    const std::string counts = Counts("qre_fit_3to1.csv", "1,1,A,300\n1,1,B,100\n");
    for (double delta : {1.0, 1e5, 1e7}) {
      CAPTURE(delta);
      auto f = FitJson(Decision(delta) + " --fit " + counts);
      // Times delta, so that Approx compares relative to the values (its margin has an
      // absolute part, 1e-7 here, larger than lambda itself at delta 1e7).
      CHECK(f["lambda"].get<double>() * delta == doctest::Approx(std::log(3.0)).epsilon(1e-7));
      REQUIRE(f["standard_error"].is_number());
      CHECK(f["standard_error"].get<double>() * delta / 0.11547005383792515 == doctest::Approx(1).epsilon(1e-5));
      CHECK(f["log_likelihood"].get<double>() == doctest::Approx(-224.93406).epsilon(1e-7));
      CHECK(f["at_zero"] == false);
      CHECK(f["at_search_limit"] == false);
      // The default range is 1000 over the payoffs' range, delta (it was 1000 whatever they
      // were: with payoffs in thousandths the best lambda lay beyond it).
      CHECK(f["search_limit"].get<double>() == doctest::Approx(1000 / delta));
    }
    // The fitted profile comes with the fit, in JSON and CSV as in text: at lambda = ln 3 / delta
    // A is played with probability 1 / (1 + e^(-ln 3)) = 3/4 (to the fit's accuracy, as lambda above).
    auto fitted = FitJson(Decision(1) + " --fit " + counts);
    REQUIRE(fitted["profile"].size() == 1);
    CHECK(fitted["profile"][0]["player"] == 1);
    CHECK(fitted["profile"][0]["actions"][0]["label"] == "A");
    CHECK(fitted["profile"][0]["actions"][0]["probability"].get<double>() == doctest::Approx(0.75).epsilon(1e-6));
    auto csv = testing::RunParley("qre " + Decision(1) + " --fit " + counts + " --format csv");
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("lambda,standard_error,log_likelihood,observations,player,set,set_label,action,probability\n", 0) == 0);
    for (const auto& [action, p] : {std::pair{"A", 0.75}, std::pair{"B", 0.25}}) {
      const std::string cells = std::string(",400,1,1,choice,") + action + ",";
      const std::size_t at = csv.out.find(cells);
      REQUIRE(at != std::string::npos);
      CHECK(std::strtod(csv.out.c_str() + at + cells.size(), nullptr) == doctest::Approx(p).epsilon(1e-6));
    }
    // Only A observed: the likelihood rises with lambda to the end of the range, which with
    // payoffs of 1e7 is the tracer's limit, 10, not --max-lambda; the output says which.
    const std::string all_a = Counts("qre_fit_all_a.csv", "1,1,A,10\n");
    auto f = FitJson(Decision(1e7) + " --fit " + all_a + " --max-lambda 1000");
    CHECK(f["lambda"].get<double>() == doctest::Approx(10).epsilon(1e-12));
    CHECK(f["at_search_limit"] == true);
    CHECK(f["standard_error"].is_null());
    auto text = testing::RunParley("qre " + Decision(1e7) + " --fit " + all_a + " --max-lambda 1000");
    CHECK(text.out.find("The best lambda is at the search limit (the largest lambda the tracer follows, 1e+08 "
                        "divided by the range of the payoffs of the players who choose; --max-lambda 1000 is beyond it)") !=
          std::string::npos);
  }

  TEST_CASE("qre fit: a label two actions of a set share is refused at the counts' line") {
    // A set { a a b } paying 1, 0, 0: counts "a 3, b 1" went to the second a (paying 0), and
    // the fit said lambda 0, where the first a would give e^lambda / 2 = 3, lambda = ln 6.
    const std::string game = testing::WriteTempFile("qre_fit_twin.efg",
                                                    "EFG 2 R \"twins\" { \"P1\" }\n"
                                                    "p \"\" 1 1 \"choice\" { \"a\" \"a\" \"b\" } 0\n"
                                                    "t \"\" 1 \"\" { 1 }\nt \"\" 2 \"\" { 0 }\nt \"\" 3 \"\" { 0 }\n");
    auto r = testing::RunParley("qre " + game + " --fit " + Counts("qre_fit_twin.csv", "1,1,b,1\n1,1,a,3\n"));
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("qre_fit_twin.csv:3:5: the set") != std::string::npos);
    CHECK(r.err.find("has 2 actions labelled 'a', so these counts cannot be assigned to one of them") !=
          std::string::npos);
    // b alone is unambiguous: counts for it alone fit (it pays 0, so the best lambda is 0).
    auto b = FitJson(game + " --fit " + Counts("qre_fit_twin_b.csv", "1,1,b,1\n"));
    CHECK(b["at_zero"] == true);
  }

  TEST_CASE("qre fit: nearly equal counts, a lambda near 0 and its standard error") {
    // Counts (c_A, c_B): lambda = ln(c_A / c_B) / delta and, at s = c_A / N, the standard error
    // 1 / (delta sqrt(N s (1 - s))). 5001 : 5000: lambda = 1.99990e-4, SE 1 / sqrt(10001 x
    // 0.25) = 0.0199990; 50001 : 50000: lambda = 1.99998e-5, SE 1 / sqrt(100001 x 0.25) =
    // 0.00632452. A step of 1e-4 of lambda made the second difference rounding (SE 0.0094
    // and 0.00037 before).
    struct Case { const char* rows; double lambda, se; };
    for (const Case& c : {Case{"1,1,A,5001\n1,1,B,5000\n", std::log(5001.0 / 5000), 1 / std::sqrt(10001 * 0.25)},
                          Case{"1,1,A,50001\n1,1,B,50000\n", std::log(50001.0 / 50000), 1 / std::sqrt(100001 * 0.25)}}) {
      CAPTURE(c.rows);
      auto f = FitJson(Decision(1) + " --fit " + Counts("qre_fit_near_even.csv", c.rows));
      CHECK(f["lambda"].get<double>() == doctest::Approx(c.lambda).epsilon(2e-3));
      REQUIRE(f["standard_error"].is_number());
      CHECK(f["standard_error"].get<double>() == doctest::Approx(c.se).epsilon(1e-4));
    }
    // Equal counts: the likelihood's maximum is at 0 exactly (a peak of rounding at 3e-9 was
    // reported as a positive lambda).
    auto f = FitJson(Decision(1) + " --fit " + Counts("qre_fit_even.csv", "1,1,A,1\n1,1,B,1\n"));
    CHECK(f["lambda"].get<double>() == 0);
    CHECK(f["at_zero"] == true);
  }

  TEST_CASE("qre: --lambda with --fit, and --max-lambda without it, are refused, not ignored") {
    const std::string counts = Counts("qre_fit_3to1_refused.csv", "1,1,A,3\n1,1,B,1\n");
    const std::string game = Decision(1);
    auto both = testing::RunParley("qre " + game + " --fit " + counts + " --lambda 2");
    CHECK(both.exit_code == 1);
    CHECK(both.err.find("--lambda with --fit") != std::string::npos);
    auto bound = testing::RunParley("qre " + game + " --lambda 2 --max-lambda 5");
    CHECK(bound.exit_code == 1);
    CHECK(bound.err.find("--max-lambda bounds the search of --fit") != std::string::npos);
    CHECK(testing::RunParley("qre " + game + " --fit " + counts + " --max-lambda 5").exit_code == 0);
  }

  TEST_CASE("qre fit: a maximum near the top of the range, and one beyond it") {
    // Counts (3, 1): lambda = ln 3 = 1.0986123, standard error 1 / sqrt(4 * 3/4 * 1/4) =
    // 1.1547005 (the case above with 4 choices). With --max-lambda 1.2 the maximum lies in the
    // range's top tenth, which the old grid (1e-3 times powers of 1.25, the last at 1.0097)
    // never reached: it answered 1.0097 "at the search limit".
    const std::string counts = Counts("qre_fit_3to1_small.csv", "1,1,A,3\n1,1,B,1\n");
    const std::string game = Decision(1);
    auto inside = FitJson(game + " --fit " + counts + " --max-lambda 1.2");
    CHECK(inside["lambda"].get<double>() == doctest::Approx(std::log(3.0)).epsilon(1e-7));
    CHECK(inside["standard_error"].get<double>() == doctest::Approx(1.1547005383792515).epsilon(1e-5));
    CHECK(inside["at_search_limit"] == false);
    // With --max-lambda 1.05 the likelihood still rises at the limit: the answer is the limit
    // itself, 3 ln s + ln(1 - s) at s = sigmoid(1.05) = 0.7407749, and no standard error (the
    // curvature there is no measure of the spread of an estimate that is not a stationary point).
    auto beyond = FitJson(game + " --fit " + counts + " --max-lambda 1.05");
    CHECK(beyond["lambda"].get<double>() == 1.05);
    const double s = Sigmoid(1.05);
    CHECK(beyond["log_likelihood"].get<double>() == doctest::Approx(3 * std::log(s) + std::log(1 - s)).epsilon(1e-12));
    CHECK(beyond["standard_error"].is_null());
    CHECK(beyond["at_search_limit"] == true);
    auto text = testing::RunParley("qre " + game + " --fit " + counts + " --max-lambda 1.05");
    CHECK(text.out.find("Maximum-likelihood lambda: 1.05\n") != std::string::npos);
    CHECK(text.out.find("The best lambda is at the search limit (--max-lambda): the likelihood still rises") !=
          std::string::npos);
  }

  TEST_CASE("qre fit: the best lambda at 0 is 0, and said to be") {
    // Counts (1, 3) favour the worse action: 1 ln s + 3 ln(1 - s) falls as s = sigmoid(lambda)
    // rises from 1/2, so the maximum over lambda >= 0 is 0 itself, log-likelihood 4 ln 1/2 =
    // -2.7725887 (the old search answered 3.92e-11 and said nothing).
    const std::string game = Decision(1);
    const std::string counts = Counts("qre_fit_1to3.csv", "1,1,A,1\n1,1,B,3\n");
    auto f = FitJson(game + " --fit " + counts);
    CHECK(f["lambda"].get<double>() == 0);
    CHECK(f["log_likelihood"].get<double>() == doctest::Approx(4 * std::log(0.5)).epsilon(1e-14));
    CHECK(f["standard_error"].is_null());
    CHECK(f["at_zero"] == true);
    CHECK(f["at_search_limit"] == false);
    auto text = testing::RunParley("qre " + game + " --fit " + counts);
    CHECK(text.out.find("Maximum-likelihood lambda: 0\n") != std::string::npos);
    CHECK(text.out.find("The best lambda is 0, the lower end of the range") != std::string::npos);
  }

  TEST_CASE("qre fit: counts the data cannot tell apart at any lambda are said to be so") {
    // Both actions pay P1 the same: the QRE is uniform at every lambda, and so is the
    // likelihood, 3 ln 1/2 + ln 1/2. The answer "the best lambda is 0" read as a finding.
    const std::string game = Decision(0);
    auto f = FitJson(game + " --fit " + Counts("qre_fit_flat.csv", "1,1,A,3\n1,1,B,1\n"));
    CHECK(f["lambda"].get<double>() == 0);
    CHECK(f["flat"] == true);
    CHECK(f["log_likelihood"].get<double>() == doctest::Approx(4 * std::log(0.5)).epsilon(1e-14));
    auto text = testing::RunParley("qre " + game + " --fit " + Counts("qre_fit_flat.csv", "1,1,A,3\n1,1,B,1\n"));
    CHECK(text.out.find("The likelihood is the same (to 1e-13) at every lambda searched, 0 to 1000") != std::string::npos);
    CHECK(text.out.find("The best lambda is 0") == std::string::npos);
    // Where the likelihood moves with lambda, it is not flat (counts 1 : 3 against the better
    // action: best at 0, but not flat).
    auto moving = FitJson(Decision(1) + " --fit " + Counts("qre_fit_1to3b.csv", "1,1,A,1\n1,1,B,3\n"));
    CHECK(moving["flat"] == false);
    CHECK(moving["at_zero"] == true);
  }

  TEST_CASE("qre fit: a repeated line, a hexadecimal count and a byte-order mark") {
    const std::string game = Decision(1);
    // A second line for A was added to the first (3 + 1 against none for B: lambda at the
    // search limit), without a word; it is refused at its line.
    auto twice = testing::RunParley("qre " + game + " --fit " + Counts("qre_fit_twice.csv", "1,1,A,3\n1,1,A,1\n"));
    CHECK(twice.exit_code == 1);
    CHECK(twice.err.find("qre_fit_twice.csv:3:5: the count of action 'A' at ") != std::string::npos);
    CHECK(twice.err.find(" is given on line 2 already; give each action's count once") != std::string::npos);
    // 0x10 was read as 16; counts are decimals as game files write numbers.
    auto hex = testing::RunParley("qre " + game + " --fit " + Counts("qre_fit_hex.csv", "1,1,A,0x10\n"));
    CHECK(hex.exit_code == 1);
    CHECK(hex.err.find("qre_fit_hex.csv:2:7: count must be a number >= 0, not '0x10'") != std::string::npos);
    auto lambda = testing::RunParley("qre " + game + " --lambda 0x10");
    CHECK(lambda.exit_code == 2);  // a usage error
    CHECK(lambda.err.find("--lambda: '0x10' is not a number >= 0") != std::string::npos);
    // A spreadsheet's "CSV UTF-8" starts with a byte-order mark: the header after it is read
    // (it was "the first line must be the header player,set,action,count"). Counts 3 : 1 for
    // actions one payoff apart: lambda = ln 3.
    // Spaces around a count, as before: read (the first version of the decimal check refused them).
    auto spaced = FitJson(game + " --fit " + Counts("qre_fit_spaced.csv", "1, 1,A, 3\n1,1,B,1 \n"));
    CHECK(spaced["lambda"].get<double>() == doctest::Approx(std::log(3.0)).epsilon(1e-6));
    const std::string bom = testing::WriteTempFile("qre_fit_bom.csv", "\xEF\xBB\xBFplayer,set,action,count\n1,1,A,3\n1,1,B,1\n");
    auto f = FitJson(game + " --fit " + bom);
    CHECK(f["lambda"].get<double>() == doctest::Approx(std::log(3.0)).epsilon(1e-6));
  }

  TEST_CASE("qre fit: the centipede game's narrow peak, and its second maximum at 0") {
    const std::string game = std::string(PARLEY_SOURCE_DIR) + "/games/centipede.yaml";
    // Alice's first node alone, take 7 and pass 5: P(take) is 1/2 at lambda 0 and first falls
    // (0.178 at 1.5, CentipedeTake), so the likelihood has a maximum at 0, 12 ln 1/2 =
    // -8.3177662, and a higher one where P(take) = 7/12 (it rises through 7/12 once, between
    // 2 and 2.5), 7 ln(7/12) + 5 ln(5/12) = -8.1503192. Bisection on CentipedeTake gives
    // lambda = 2.3656059; its slope there, dP/dlambda = 0.86175517 (central differences), makes
    // the observed information 12 P'^2 / (P (1 - P)) = 36.66, standard error 0.16514988. The
    // old grid (1e-3 times powers of 1.25: 1.97, 2.47) answered 3.92e-11.
    double lo = 2, hi = 2.5;
    for (int it = 0; it < 100; ++it) ((CentipedeTake((lo + hi) / 2)[0] < 7.0 / 12) ? lo : hi) = (lo + hi) / 2;
    const double lambda = (lo + hi) / 2, h = 1e-5;
    CHECK(lambda == doctest::Approx(2.3656059).epsilon(1e-7));
    const double slope = (CentipedeTake(lambda + h)[0] - CentipedeTake(lambda - h)[0]) / (2 * h);
    const double se = 1 / std::sqrt(12 * slope * slope / (7.0 / 12 * 5.0 / 12));
    CHECK(se == doctest::Approx(0.16514988).epsilon(1e-6));
    auto one = FitJson(game + " --fit " + Counts("qre_fit_cent75.csv", "1,1,take,7\n1,1,pass,5\n"));
    CHECK(one["lambda"].get<double>() == doctest::Approx(lambda).epsilon(1e-6));
    CHECK(one["log_likelihood"].get<double>() == doctest::Approx(-8.1503192).epsilon(1e-7));
    CHECK(one["standard_error"].get<double>() / se == doctest::Approx(1).epsilon(1e-4));
    CHECK(one["at_zero"] == false);

    // 1000 plays at lambda 2.2, expected counts (node k reached by 1000 times the product of
    // the earlier P(pass)): the fitted profile is the data's frequencies at exactly 2.2, the
    // saturated log-likelihood sum n (P ln P + (1 - P) ln(1 - P)) over the nodes = -1223.1359,
    // and the observed information sum n P'^2 / (P (1 - P)) gives standard error 0.016030878.
    // The peak is 0.5 wide where the likelihood stands above its value at 0 (-1284.42); the
    // old grid's points beside it, 1.97 and 2.47, lie lower (about -1303 and -1362), and it
    // answered 3.92e-11.
    const std::vector<double> p = CentipedeTake(2.2), up = CentipedeTake(2.2 + h), down = CentipedeTake(2.2 - h);
    std::string rows;
    double reach = 1000, ll = 0, information = 0;
    for (int k = 1; k <= 6; ++k) {
      const double q = p[k - 1], dq = (up[k - 1] - down[k - 1]) / (2 * h);
      rows += CentipedeRow(k, "take", reach * q) + CentipedeRow(k, "pass", reach * (1 - q));
      ll += reach * (q * std::log(q) + (1 - q) * std::log(1 - q));
      information += reach * dq * dq / (q * (1 - q));
      reach *= 1 - q;
    }
    CHECK(ll == doctest::Approx(-1223.1359).epsilon(1e-7));
    CHECK(1 / std::sqrt(information) / 0.016030878 == doctest::Approx(1).epsilon(1e-6));
    auto all = FitJson(game + " --fit " + Counts("qre_fit_cent22.csv", rows));
    CHECK(all["lambda"].get<double>() == doctest::Approx(2.2).epsilon(1e-7));
    CHECK(all["log_likelihood"].get<double>() == doctest::Approx(ll).epsilon(1e-10));
    CHECK(all["standard_error"].get<double>() * std::sqrt(information) == doctest::Approx(1).epsilon(1e-4));
  }

  TEST_CASE("qre fit: a traced game at payoff scales 1 to 1e6, the standard error scaling with them") {
    // Counts (U 2700, D 2300, L 1020, R 3980) in AmpsQre's game, payoffs times k. Here: the
    // log-likelihood on lambda = 0.01, 0.02, ..., 30 is highest at 17.05; golden-section search
    // between 17.04 and 17.06 gives 17.049671 (p = 0.54030839, q = 0.20189545, log-likelihood
    // -5979.2775), and central differences (step 1e-3) of the log-likelihood there the standard
    // error 3.0234906. With payoffs times k both divide by k. The old fit used an absolute
    // step of 1e-4 (payoffs of 1e5: 1.7597e-5 where 3.0235e-5 is right), and at the default
    // --max-lambda 1000 it failed from k = 1e5 on (the tracer stops at 1e8 over the payoffs'
    // range, 250 at k = 1e5, before 1000).
    auto ll = [](double lambda) {
      auto [p, q] = AmpsQre(lambda);
      return 2700 * std::log(p) + 2300 * std::log(1 - p) + 1020 * std::log(q) + 3980 * std::log(1 - q);
    };
    double best = 0.01;
    for (int i = 1; i <= 3000; ++i)
      if (ll(0.01 * i) > ll(best)) best = 0.01 * i;
    CHECK(best == doctest::Approx(17.05));
    double a = best - 0.01, b = best + 0.01;
    const double phi = (std::sqrt(5.0) - 1) / 2;
    for (int it = 0; it < 100; ++it) {
      const double c = b - phi * (b - a), d = a + phi * (b - a);
      if (ll(c) > ll(d))
        b = d;
      else
        a = c;
    }
    const double lambda = (a + b) / 2, h = 1e-3;
    const double se = 1 / std::sqrt(-(ll(lambda + h) - 2 * ll(lambda) + ll(lambda - h)) / (h * h));
    CHECK(lambda == doctest::Approx(17.049671).epsilon(1e-7));
    CHECK(se == doctest::Approx(3.0234906).epsilon(1e-6));
    const std::string counts = Counts("qre_fit_amps.csv", "1,1,U,2700\n1,1,D,2300\n2,1,L,1020\n2,1,R,3980\n");
    for (double k : {1.0, 3e4, 1e5, 1e6}) {
      CAPTURE(k);
      auto f = FitJson(Amps(k) + " --fit " + counts + " --max-lambda 20");
      CHECK(f["lambda"].get<double>() * k == doctest::Approx(lambda).epsilon(1e-5));
      CHECK(f["standard_error"].get<double>() * k == doctest::Approx(se).epsilon(1e-4));
      CHECK(f["log_likelihood"].get<double>() == doctest::Approx(-5979.2775).epsilon(1e-8));
    }
    // At --max-lambda 1000 with payoffs times 1e6 (range 4e6) the search ends at the tracer's
    // limit, 1e8 / 4e6 = 25, far above the maximum; by default it ends at 1000 / 4e6.
    auto f = FitJson(Amps(1e6) + " --fit " + counts + " --max-lambda 1000");
    CHECK(f["lambda"].get<double>() * 1e6 == doctest::Approx(lambda).epsilon(1e-5));
    CHECK(f["standard_error"].get<double>() * 1e6 == doctest::Approx(se).epsilon(1e-4));
    CHECK(f["search_limit"].get<double>() == doctest::Approx(25).epsilon(1e-12));
    auto by_default = FitJson(Amps(1e6) + " --fit " + counts);
    CHECK(by_default["lambda"].get<double>() * 1e6 == doctest::Approx(lambda).epsilon(1e-5));
    CHECK(by_default["search_limit"].get<double>() == doctest::Approx(1000 / 4e6).epsilon(1e-12));
  }

  TEST_CASE("qre fit: two maxima that fit equally well are both given") {
    // The centipede game's first move only, taken 42 times in 100. The probability of taking
    // at once falls with lambda, then rises (docs/qre.md), so it is 0.42 at two lambdas, and
    // at both the likelihood is the binomial's largest: 42 ln 0.42 + 58 ln 0.58 = -36.43505 -
    // 31.59417 = -68.02922. Only the first was given, with a standard error as if it were the
    // one answer.
    const std::string game = std::string(PARLEY_SOURCE_DIR) + "/games/centipede.yaml";
    auto f = FitJson(game + " --fit " + Counts("qre_fit_cent_first.csv", "1,1,take,42\n1,1,pass,58\n"));
    const double binomial = 42 * std::log(0.42) + 58 * std::log(0.58);
    CHECK(f["log_likelihood"].get<double>() == doctest::Approx(binomial).epsilon(1e-9));
    REQUIRE(f["other_maxima"].size() == 1);
    CHECK(f["other_maxima"][0]["log_likelihood"].get<double>() == doctest::Approx(binomial).epsilon(1e-9));
    const double first = f["lambda"].get<double>(), second = f["other_maxima"][0]["lambda"].get<double>();
    CHECK(std::abs(first - second) > 1);
    // At both, the first move is taken with probability 0.42.
    for (double lambda : {first, second}) {
      auto q = testing::RunParley("qre " + game + " --lambda " + Full(lambda) + " --format json");
      REQUIRE(q.exit_code == 0);
      auto j = nlohmann::json::parse(q.out);
      CHECK(j["points"][0]["profile"][0]["actions"][0]["probability"].get<double>() ==
            doctest::Approx(0.42).epsilon(1e-6));
    }
    auto text = testing::RunParley("qre " + game + " --fit " + Counts("qre_fit_cent_first.csv", "1,1,take,42\n1,1,pass,58\n"));
    CHECK(text.out.find("Another local maximum fits about as well") != std::string::npos);
  }

  TEST_CASE("qre fit: where the branch bends back, a better fit past the turn is said") {
    // A 3x3 game whose principal branch turns back in lambda at 0.3719 and forward again at
    // 0.3059 (an independent arc-length trace of the branch, in numpy), with counts drawn from
    // the QRE at lambda 0.34 on the stretch between the turns. Over the whole branch the
    // likelihood is largest there (0.340, -8053.43 by that trace); the search, comparing the
    // first crossing of each lambda, ends at the turn, 0.3719, 65 lower. It said nothing.
    const std::string game = testing::WriteTempFile("qre_fit_fold.nfg",
                                                    "NFG 1 R \"g321\" { \"P1\" \"P2\" } { 3 3 }\n\n"
                                                    "3 8 1 5 40 13 5 2 100 13 8 8 13 2 0 40 3 8\n");
    const std::string counts = Counts("qre_fit_fold.csv", "1,1,1,2\n1,1,2,39\n1,1,3,9960\n2,1,1,7255\n"
                                                          "2,1,2,1348\n2,1,3,1397\n");
    auto f = FitJson(game + " --fit " + counts);
    CHECK(f["lambda"].get<double>() == doctest::Approx(0.3719).epsilon(1e-3));
    CHECK(f["branch_turns_back_at"].get<double>() == doctest::Approx(0.3719).epsilon(1e-3));
    REQUIRE(f["better_past_turn"].is_object());
    const double past = f["better_past_turn"]["lambda"].get<double>();
    CHECK(past > 0.3059);
    CHECK(past < 0.3719);
    CHECK(f["better_past_turn"]["log_likelihood"].get<double>() > f["log_likelihood"].get<double>() + 60);
    CHECK(f["better_past_turn"]["log_likelihood"].get<double>() <= -8053.43 + 1e-2);
    auto text = testing::RunParley("qre " + game + " --fit " + counts);
    CHECK(text.out.find("the answer above is not the maximum likelihood over the branch") != std::string::npos);
    // A branch without a turn says nothing of one.
    auto plain = FitJson(Decision(1) + " --fit " + Counts("qre_fit_plain.csv", "1,1,A,3\n1,1,B,1\n"));
    CHECK(plain["branch_turns_back_at"].is_null());
    CHECK(plain["better_past_turn"].is_null());
  }

  TEST_CASE("qre fit: the default range scales with the payoffs, as every answer does") {
    // The closed-form decision (counts 300 : 100, lambda = ln 3 / delta) with payoffs in
    // thousandths and in millionths: lambda = 1098.6 and 1.0986e6, beyond the old default
    // range, 1000 in any units, where the fit found the best lambda at 0 ("no positive
    // precision fits the data better than uniform play") or at its upper end.
    const std::string counts = Counts("qre_fit_3to1_units.csv", "1,1,A,300\n1,1,B,100\n");
    for (double delta : {1e-3, 1e-6}) {
      CAPTURE(delta);
      auto f = FitJson(Decision(delta) + " --fit " + counts);
      CHECK(f["lambda"].get<double>() * delta == doctest::Approx(std::log(3.0)).epsilon(1e-7));
      CHECK(f["at_zero"] == false);
      CHECK(f["at_search_limit"] == false);
    }
  }
}

}  // namespace
}  // namespace parley::equilibrium
