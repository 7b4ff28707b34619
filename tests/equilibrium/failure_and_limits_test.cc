// How solvers fail: a numerically inconclusive floating-point solve is a status the caller
// handles (retried exactly), an internal check is a bug that surfaces, and an enumeration that
// a guard stops keeps what it found, marked incomplete.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "solver/equilibrium/backward_induction.h"
#include "solver/equilibrium/enumeration.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/sequence_solvers.h"
#include "solver/equilibrium/subgames.h"
#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "solver/equilibrium/verify.h"
#include "solver/lp/engines.h"
#include "solver/model/error.h"
#include "solver/model/game_builder.h"
#include "solver/report/solution.h"
#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

// Matching pennies as a tree: Row picks H or T, Col picks without seeing it.
const char* kPennies = R"(EFG 2 R "pennies" { "Row" "Col" }
p "" 1 1 "" { "H" "T" } 0
p "" 2 1 "" { "h" "t" } 0
t "" 1 "" { 1 -1 }
t "" 2 "" { -1 1 }
p "" 2 1 "" { "h" "t" } 0
t "" 3 "" { -1 1 }
t "" 4 "" { 1 -1 }
)";

// Pure coordination on three actions (both get 1 when they match, else 0), played
// simultaneously. Its extreme equilibria: the 3 pure matches, the 3 half-half mixtures over a
// pair of actions and the uniform one, 2^3 - 1 = 7 (every nonempty support S, each player
// uniform on S: every action in S earns 1/|S|, any other 0).
std::string Coordination() {
  std::string text = "EFG 2 R \"coordination\" { \"Row\" \"Col\" }\n"
                     "p \"\" 1 1 \"\" { \"a\" \"b\" \"c\" } 0\n";
  int outcome = 0;
  for (int i = 0; i < 3; ++i) {
    text += "p \"\" 2 1 \"\" { \"a\" \"b\" \"c\" } 0\n";
    for (int j = 0; j < 3; ++j) {
      int u = i == j ? 1 : 0;
      text += "t \"\" " + std::to_string(++outcome) + " \"\" { " + std::to_string(u) + " " +
              std::to_string(u) + " }\n";
    }
  }
  return text;
}

// Whether (x, y) of a 3 x 3 coordination game is a Nash equilibrium: every action a player
// uses earns the best payoff against the other (Row's action i earns y_i, Col's j earns x_j).
bool IsCoordinationEquilibrium(const std::vector<Rational>& x, const std::vector<Rational>& y) {
  Rational best_x = std::max({y[0], y[1], y[2]}), best_y = std::max({x[0], x[1], x[2]});
  for (int i = 0; i < 3; ++i)
    if ((x[i] != 0 && y[i] != best_x) || (y[i] != 0 && x[i] != best_y)) return false;
  return true;
}

TEST_SUITE("equilibrium.failure") {
  TEST_CASE("a solved sequence form has the solved status in both arithmetics") {
    auto game = io::ReadEfg(kPennies, "pennies.efg");
    std::vector<char> roots(game->num_nodes(), 0);  // nothing cut: leaves keep their payoffs
    roots[0] = 1;
    std::vector<std::uint32_t> seq_of(2 * static_cast<std::size_t>(game->num_nodes()));
    // The true sequence form is solved in both arithmetics: each player mixes 1/2, 1/2.
    SequenceForm<double> sf = BuildSequenceForm<double>(*game, 0, roots, std::vector<double>(
        2 * game->num_nodes(), 0.0), seq_of);
    PlanPair<double> plans = SolveSequenceFormLemke<double>(*game, sf);
    REQUIRE(plans.status == SolveStatus::kSolved);
    CHECK(plans.x[1] == doctest::Approx(0.5));
    CHECK(plans.y[1] == doctest::Approx(0.5));
    CHECK(plans.failure.empty());
    SequenceForm<Rational> exact = BuildSequenceForm<Rational>(
        *game, 0, roots, std::vector<Rational>(2 * game->num_nodes(), Rational(0)), seq_of);
    PlanPair<Rational> exact_plans = SolveSequenceFormLemke<Rational>(*game, exact);
    REQUIRE(exact_plans.status == SolveStatus::kSolved);
    CHECK(exact_plans.x[1] == Rational(1, 2));
  }

  TEST_CASE("an LP that rounding defeats is retried: the other engine, then exact arithmetic") {
    // Matching pennies with 10^30 (not 1) at (H, h): the payoffs span 30 orders of magnitude,
    // beyond what a double LP can balance. Exactly: Col's q = P(h) makes Row indifferent,
    // 10^30 q - (1 - q) = -q + (1 - q), so q (10^30 + 3) = 2; Row's p = P(H) likewise makes
    // Col indifferent, -10^30 p + (1 - p) = p - (1 - p), so p = 2 / (10^30 + 3).
    std::string text = kPennies;
    text.replace(text.find("{ 1 -1 }"), 8, "{ 1e30 -1e30 }");
    auto game = io::ReadEfg(text, "pennies-1e30.efg");
    // The program is small, so it goes to GLPK although CLP is the default engine; GLPK's
    // answer fails verification, the second opinion goes to CLP (the clp program, asked for
    // exactly; it stops on difficulties, or answers no better), and exact arithmetic gives the
    // closed form, with notes that name the engines as they ran (they once said CLP, then GLPK,
    // and the second opinion was GLPK's again).
    SubgamePerfectOptions options;
    options.method = "lp";
    Solution s = SolveSubgamePerfect(*game, options);
    REQUIRE(s.equilibria.size() == 1);
    CHECK(s.exact);
    CHECK(s.notes.back().find("recomputed in exact rational arithmetic") != std::string::npos);
    ActionIndex index(*game);
    const Rational expected(2, mpz_class("1000000000000000000000000000003"));
    auto has = [](const Solution& solution, const std::string& note) {
      return std::find(solution.notes.begin(), solution.notes.end(), note) != solution.notes.end();
    };
    if (lp::ClpProgramAvailable())  // else GLPK again, with the note below
      CHECK(has(s, "the LP answer (GLPK) had a deviation gain of 2; re-solved with CLP"));
    {
      // Without a `clp` program the second opinion is GLPK's again, and the notes say so.
      testing::ScopedEnv no_clp("PARLEY_CLP", "/nonexistent/clp");
      Solution without = SolveSubgamePerfect(*game, options);
      CHECK(without.exact);
      CHECK(has(without, "the LP answer (GLPK) had a deviation gain of 2; re-solved with GLPK"));
      CHECK(std::find_if(without.notes.begin(), without.notes.end(), [](const std::string& note) {
              return note.starts_with("the clp program (Debian package coinor-clp) was not found");
            }) != without.notes.end());
    }
    if (lp::ClpProgramAvailable()) {
      // A `clp` program that cannot be run (no temporary folder for its files) is that engine
      // giving up on the second opinion, not the end of the solve (it was "Error: cannot
      // create a temporary folder", exit 1, once small LPs could reach it).
      testing::ScopedEnv no_tmp("TMPDIR", "/proc");
      Solution cornered = SolveSubgamePerfect(*game, options);
      CHECK(cornered.exact);
      CHECK(has(cornered, "the LP answer (GLPK) had a deviation gain of 2; CLP gave up on it"));
      CHECK(cornered.equilibria[0].exact_behavior[index(game->infoset(0), 0)] == expected);
    }
    CHECK(s.equilibria[0].exact_behavior[index(game->infoset(0), 0)] == expected);
    CHECK(s.equilibria[0].exact_behavior[index(game->infoset(1), 0)] == expected);
  }

  TEST_CASE("a small sequence-form LP goes to GLPK when CLP is asked for, unless exactly CLP is") {
    auto game = io::ReadEfg(kPennies, "pennies.efg");
    std::vector<char> roots(game->num_nodes(), 0);  // nothing cut: leaves keep their payoffs
    roots[0] = 1;
    std::vector<std::uint32_t> seq_of(2 * static_cast<std::size_t>(game->num_nodes()));
    SequenceForm<double> sf =
        BuildSequenceForm<double>(*game, 0, roots, std::vector<double>(2 * game->num_nodes(), 0.0), seq_of);
    CHECK(SequenceFormLpEngine(sf, lp::Engine::kClp) == lp::Engine::kGlpk);  // 6 sequences
    CHECK(SequenceFormLpEngine(sf, lp::Engine::kGlpk) == lp::Engine::kGlpk);
    PlanPair<double> usual = SolveSequenceFormLp(*game, sf, lp::Engine::kClp);
    CHECK(usual.engine == lp::Engine::kGlpk);
    PlanPair<double> clp = SolveSequenceFormLp(*game, sf, lp::Engine::kClp, /*exactly_this_engine=*/true);
    // CLP when the clp program can be run; else GLPK, with the LP layer's note.
    CHECK(clp.engine == (lp::ClpProgramAvailable() ? lp::Engine::kClp : lp::Engine::kGlpk));
    CHECK(clp.note.empty() == lp::ClpProgramAvailable());
    // Both answer matching pennies: each player's H (sequence 1) with probability 1/2.
    for (const PlanPair<double>* plans : {&usual, &clp}) {
      REQUIRE(plans->status == SolveStatus::kSolved);
      CHECK(plans->x[1] == doctest::Approx(0.5));
      CHECK(plans->y[1] == doctest::Approx(0.5));
    }
  }

  TEST_CASE("a chance probability of 1e-150 beside payoffs of 1: the LP solves it in floating point") {
    // Chance picks "rare" (1e-150) or "usual"; the first player sees which, the second does
    // not, and both branches are matching pennies with (H, h) paying 2. The sequence form's
    // entries of the rare branch are 1e-150 of the others: beyond what GLPK's scaling takes (it
    // stops the process below about 1e-165 for a lone coefficient) and what the engine hands
    // it in floating point (1e-120), so the LP gave up and exact arithmetic took over. Entries
    // below 2^-400 of the largest are now dropped, and the LP's answer is verified on the
    // game. In the usual branch the second player's h makes the first indifferent,
    // 2q - (1 - q) = -q + (1 - q), so q = 2/5; the first player's H likewise, p = 2/5.
    const std::string text = "EFG 2 R \"rare chance\" { \"P1\" \"P2\" }\n"
                             "c \"\" 1 \"\" { \"rare\" 1e-150 \"usual\" 0." + std::string(150, '9') + " } 0\n" +
                             R"(p "" 1 1 "" { "H" "T" } 0
p "" 2 1 "" { "h" "t" } 0
t "" 1 "" { 2 -2 }
t "" 2 "" { -1 1 }
p "" 2 1 "" { "h" "t" } 0
t "" 3 "" { -1 1 }
t "" 4 "" { 1 -1 }
p "" 1 2 "" { "H" "T" } 0
p "" 2 1 "" { "h" "t" } 0
t "" 5 "" { 2 -2 }
t "" 6 "" { -1 1 }
p "" 2 1 "" { "h" "t" } 0
t "" 7 "" { -1 1 }
t "" 8 "" { 1 -1 }
)";
    auto game = io::ReadEfg(text, "rare.efg");
    SubgamePerfectOptions options;
    options.method = "lp";
    Solution s = SolveSubgamePerfect(*game, options);
    REQUIRE(s.equilibria.size() == 1);
    CHECK(!s.exact);
    CHECK(s.notes.empty());
    ActionIndex index(*game);
    CHECK(s.equilibria[0].behavior[index(game->infoset(8), 0)] == doctest::Approx(0.4));  // P1 at node 8 ("usual"): H
    CHECK(s.equilibria[0].behavior[index(game->infoset(2), 0)] == doctest::Approx(0.4));  // P2 at node 2: h
  }

  TEST_CASE("payoffs far below 1, subnormal ones too, reach the LP scaled, and it solves them") {
    // Matching pennies paying +-u (computed payoffs, as a scenario's formulas give): each
    // player mixes 1/2, 1/2 whatever u > 0 is. With u = 1e-320 (subnormal) GLPK's scaling
    // aborted the process; the sequence form now reaches it multiplied by a power of two
    // that brings the largest payoff near 1 (exactly: u * 2^k loses nothing).
    for (double u : {1e-320, 1e-300, 1e-30, 1e-15, 1e-13, 1e30, 1e300}) {
      CAPTURE(u);
      model::GameBuilder b({"A", "B"});
      const std::vector<std::string> lr = {"L", "R"};
      model::InfosetId a = b.AddInfoset(0, "a", lr);
      model::InfosetId h = b.AddInfoset(1, "b", lr);
      model::NodeId root = b.AddNode(model::kNoNode, a);
      for (int i = 0; i < 2; ++i) {
        model::NodeId v = b.AddNode(root, h);
        for (int j = 0; j < 2; ++j) {
          const double x = i == j ? u : -u;
          b.AddTerminal(v, b.AddOutcome(std::vector<double>{x, -x}));
        }
      }
      auto game = b.Build();
      SubgamePerfectOptions options;
      options.method = "lp";
      Solution s = SolveSubgamePerfect(*game, options);
      REQUIRE(s.equilibria.size() == 1);
      // At 1e30 and 1e300 the check in doubles cannot see a gain below the rounding of the
      // values that meet at B's set (1e-13 of them), so the LP's answer, found first, is then
      // recomputed exactly (two players, a small game).
      CHECK(s.exact == (u > 1));
      ActionIndex index(*game);
      CHECK(s.equilibria[0].behavior[index(game->infoset(0), 0)] == doctest::Approx(0.5));
      CHECK(s.equilibria[0].behavior[index(game->infoset(1), 0)] == doctest::Approx(0.5));
    }
  }

  // The text with every "e-12" removed: the game in units of 1.
  std::string ones_free(std::string text) {
    for (std::size_t at; (at = text.find("e-12")) != std::string::npos;) text.erase(at, 4);
    return text;
  }

  TEST_CASE("whether a game is constant-sum is judged against its payoffs' scale, not against 1") {
    // Battle of the sexes in units of 1e-12: (2, 1) and (1, 2) on the diagonal, (0, 0) off it.
    // The sums 3e-12 and 0 differ by less than the old absolute bar of 1e-9, so the game was
    // taken for constant-sum: the LP's answer failed verification (a gain of 3.3e-13), and
    // --method lp then said exact arithmetic solves it "only with two players, and the game
    // has 2". Now it is not constant-sum: auto solves it by Lemke, and lp is refused at once.
    const std::string text = R"(EFG 2 R "bos" { "A" "B" }
p "" 1 1 "a" { "L" "R" } 0
p "" 2 1 "b" { "l" "r" } 0
t "" 1 "" { 2e-12 1e-12 }
t "" 2 "" { 0 0 }
p "" 2 1 "b" { "l" "r" } 0
t "" 3 "" { 0 0 }
t "" 4 "" { 1e-12 2e-12 }
)";
    auto game = io::ReadEfg(text, "bos.efg");
    Solution s = SolveSubgamePerfect(*game, {});
    REQUIRE(s.equilibria.size() == 1);
    CHECK(!s.exact);
    CHECK(s.notes.empty());
    CHECK(s.method.find("Lemke") != std::string::npos);
    CHECK(s.equilibria[0].max_gain == 0);
    SubgamePerfectOptions lp;
    lp.method = "lp";
    try {
      SolveSubgamePerfect(*game, lp);
      FAIL("no error");
    } catch (const UnsupportedError& e) {
      CHECK(std::string(e.what()).find("--method lp needs constant-sum subgames") != std::string::npos);
    }
    // A large payoff elsewhere widens nothing: the same game beside an option for A that pays
    // (1e10, -1e10) is no more constant-sum (the bar was 1e-9 of the largest payoff, 10 here,
    // which took sums differing by 3 for equal).
    std::string beside = ones_free(text);
    const std::string root_actions = "{ \"L\" \"R\" }";
    beside.replace(beside.find(root_actions), root_actions.size(), "{ \"L\" \"R\" \"X\" }");
    beside += "t \"\" 5 \"\" { 10000000000 -10000000000 }\n";
    auto wide = io::ReadEfg(beside, "bos_beside.efg");
    CHECK_THROWS_AS(SolveSubgamePerfect(*wide, lp), UnsupportedError);
    // The same game in units of 1 is no different.
    std::string ones = text;
    for (std::size_t at; (at = ones.find("e-12")) != std::string::npos;) ones.erase(at, 4);
    CHECK(SolveSubgamePerfect(*io::ReadEfg(ones, "bos1.efg"), {}).method == s.method);
  }

  TEST_CASE("payoffs in the billions: rounding is not a deviation gain, a small stake's gain still is") {
    // A random three-player game with hidden moves and payoffs up to 10^9: a double near 10^9
    // has steps of 1.2e-7, so a verified equilibrium shows gains of that size from rounding
    // alone. They failed the bar of 1e-9, and exact arithmetic, which then took only two-player
    // games, refused the game ("exact arithmetic (--exact) solves such subgames only for two
    // players", without --exact). At most two players move in each of its subgames with
    // hidden moves, so now the sequence-form methods solve it, and a check that rounding
    // blinds goes to exact arithmetic as in two-player games; the logit tracer, asked for,
    // still shows the first point: rounding alone is no deviation gain.
    auto game = io::LoadGame(testing::SourcePath("tests/data/billions_3p.efg"));
    ActionIndex index(*game);
    {
      Solution s = SolveSubgamePerfect(*game, {});
      REQUIRE(s.equilibria.size() == 1);
      CHECK(s.exact);
      CHECK(s.method.find("sequence-form Lemke (3 subgames") != std::string::npos);
      CHECK(s.method.find("logit") == std::string::npos);
      CHECK(MaxSubgameGain<Rational>(*game, index, s.equilibria[0].exact_behavior) == 0);
    }
    SubgamePerfectOptions logit;
    logit.method = "logit";
    Solution s = SolveSubgamePerfect(*game, logit);
    REQUIRE(s.equilibria.size() == 1);
    const Equilibrium& eq = s.equilibria[0];
    CHECK(!s.exact);
    // The profile's gain, evaluated exactly (its doubles and the file's decimals are exact
    // rationals): of rounding size, at most 1e-13 of the payoffs' scale.
    std::vector<Rational> exact(eq.behavior.begin(), eq.behavior.end());
    const double exact_gain = MaxSubgameGain<Rational>(*game, index, exact).get_d();
    CHECK(exact_gain <= 1e-13 * 1e9);
    CHECK(eq.max_gain <= 1e-13 * 1e9);
    // The test above ("an LP that rounding defeats") keeps its exact recomputation: there the
    // player's gain of 2 is weighed against the payoffs its values add up (about 1), not
    // against the 10^30 elsewhere in the game, which its play never reaches.
  }

  TEST_CASE("no exact arithmetic to fall back on: an LP constant-sum only within rounding goes to Lemke") {
    // After R, P2 and P3 play matching pennies at 1e15 whose sums are 0, 500, 0 and 500: within
    // the constant-sum test's rounding (1e-12 of 1e15), not constant-sum. t dominates h for P3
    // (by 502 against H, 498 against T), so R's only equilibrium is (T, t). The LP mixed P3
    // half and half (a gain of 250); with two players exact arithmetic would settle it, but all
    // three move after L, so the game was refused. Now the LPs' subgames go to Lemke in doubles.
    auto game = io::ReadEfg(R"(EFG 2 R "lp on a near-constant-sum two-mover subgame beside a three-mover one" { "P1" "P2" "P3" }
""
p "" 1 1 "root" { "L" "R" } 0
p "" 1 2 "a" { "a1" "a2" } 0
p "" 2 2 "b" { "b1" "b2" } 0
p "" 3 2 "c" { "c1" "c2" } 0
t "" 11 "" { 1 0 0 }
t "" 12 "" { 0 1 0 }
p "" 3 2 0
t "" 13 "" { 0 0 1 }
t "" 14 "" { 1 1 0 }
p "" 2 2 0
p "" 3 2 0
t "" 15 "" { 0 1 1 }
t "" 16 "" { 1 0 1 }
p "" 3 2 0
t "" 17 "" { 0 0 0 }
t "" 18 "" { 1 1 1 }
p "" 2 1 "r" { "H" "T" } 0
p "" 3 1 "c" { "h" "t" } 0
t "" 1 "" { 0 1000000000000001 -1000000000000001 }
t "" 2 "" { 0 999999999999999 -999999999999499 }
p "" 3 1 0
t "" 3 "" { 0 999999999999999 -999999999999999 }
t "" 4 "" { 0 1000000000000001 -999999999999501 }
)", "near_constant_sum.efg");
    // R alone (two movers) is solved again in exact arithmetic; with that off (exact_subgames),
    // the LP's subgame goes to Lemke in doubles. Both answers are checked exactly.
    for (const bool exact_subgames : {true, false}) {
      CAPTURE(exact_subgames);
      SubgamePerfectOptions options;
      options.exact_subgames = exact_subgames;
      Solution s = SolveSubgamePerfect(*game, options);
      REQUIRE(s.equilibria.size() == 1);
      const Equilibrium& eq = s.equilibria[0];
      ActionIndex index(*game);
      const std::string said =
          exact_subgames ? "1 subgame in which at most two players move had its floating-point answer fail; solved "
                           "again alone in exact rational arithmetic"
                         : "re-solved with Lemke's method in place of the LP (exact arithmetic, which would "
                           "settle it, cannot take a subgame in which three or more players move)";
      bool noted = false;
      for (const std::string& n : s.notes) noted = noted || n.find(said) != std::string::npos;
      CHECK(noted);
      std::vector<Rational> as_written(eq.behavior.begin(), eq.behavior.end());
      CHECK(MaxSubgameGain<Rational>(*game, index, as_written) == 0);
    }
    // --method lp is what was asked for: refused, and the message says why exactly (R is not
    // constant-sum as written), not that too many players move there.
    SubgamePerfectOptions lp;
    lp.method = "lp";
    CHECK_THROWS_WITH_AS(SolveSubgamePerfect(*game, lp),
                         doctest::Contains("exact arithmetic cannot settle it: --method lp needs constant-sum "
                                           "subgames, and the subgame at node 16"),
                         LimitError);
  }

  TEST_CASE("a two-mover subgame that doubles cannot settle, beside a three-mover one: the logit tracer instead") {
    // Payoffs from 1/500 to 3e12. Lemke's answer to the subgame after a1a (P2 and P3 move) had
    // a deviation gain of 1.3e-4 beyond rounding, and exact arithmetic, which would settle it,
    // cannot take the subgame where all three move: the game was refused. The logit tracer in
    // every subgame finds an equilibrium, checked here exactly: its gain, from the rounding of
    // its probabilities in payoffs of 1e12, is below 1e-6 (the checker of the review that
    // found the game measured 4.2e-8).
    // Now the two-mover subgame is solved again alone in exact arithmetic first; with that off
    // (exact_subgames), the logit tracer in every subgame, as before. Both checked exactly.
    auto game = io::LoadGame(testing::SourcePath("tests/data/two_mover_rounding_3p.efg"));
    for (const bool exact_subgames : {true, false}) {
      CAPTURE(exact_subgames);
      SubgamePerfectOptions options;
      options.exact_subgames = exact_subgames;
      Solution s = SolveSubgamePerfect(*game, options);
      REQUIRE(s.equilibria.size() == 1);
      const std::string said =
          exact_subgames ? "1 subgame in which at most two players move had its floating-point answer fail; solved "
                           "again alone in exact rational arithmetic"
                         : "re-solved with the logit tracer in every subgame (exact arithmetic, which would "
                           "settle it, cannot take a subgame in which three or more players move)";
      bool noted = false;
      for (const std::string& n : s.notes) noted = noted || n.find(said) != std::string::npos;
      CHECK(noted);
      ActionIndex index(*game);
      std::vector<Rational> as_written;
      for (double b : s.equilibria[0].behavior) as_written.push_back(ExactRational(b));
      CHECK(ToDouble(MaxSubgameGain<Rational>(*game, index, as_written)) <= 1e-6);
    }
  }

  TEST_CASE("refusals after the fallbacks say what was tried") {
    // Payoffs from 1/1000 to 3e12 with all three moving in the whole game: the principal branch
    // stops at its lambda limit, the four rescaled traces find nothing either, and no pure
    // profile of the whole game's own sets is an equilibrium given the play chosen in its
    // smaller proper subgames: its own sets are [s2.1], [s3.1], [s1.1], [s1.3], [s3.2], [s2.3]
    // and [s2.4], 2 x 2 x 2 x 2 x 3 x 2 x 3 = 288 profiles. (Nor has the game any pure
    // subgame-perfect equilibrium: none of its 10,368 pure profiles is one, by an independent
    // enumeration in exact fractions.) The message gives the principal branch's reason, lambda,
    // steps and time, then the rescaled traces', then the search's.
    auto refused = io::LoadGame(testing::SourcePath("tests/data/mixed_stakes_refused_3p.efg"));
    CHECK_THROWS_WITH_AS(SolveSubgamePerfect(*refused, {}),
                         doctest::Contains("lambda grew past its limit without a verified equilibrium (lambda 2.58e-05 after "),
                         LimitError);
    CHECK_THROWS_WITH_AS(SolveSubgamePerfect(*refused, {}),
                         doctest::Contains("; 4 traces with lambda rescaled by the stakes at each set found none either ("),
                         LimitError);
    CHECK_THROWS_WITH_AS(SolveSubgamePerfect(*refused, {}),
                         doctest::Contains("); none of the 288 pure profiles of its own information sets (those in no "
                                           "smaller proper subgame) is an equilibrium"),
                         LimitError);
    // A two-mover subgame whose Lemke answer fails in doubles, beside a three-mover subgame:
    // exact arithmetic cannot take the game. Solved again alone in exact arithmetic, the
    // subgame is settled (checked exactly); with that off (exact_subgames), the logit tracer in
    // every subgame, tried instead, fails too (no trace finishes, and no pure profile of the
    // subgame is an equilibrium: none of its 48 is, by an independent enumeration in exact
    // fractions), and the message says all of it.
    auto two = io::LoadGame(testing::SourcePath("tests/data/two_mover_rounding_refused_3p.efg"));
    Solution solved = SolveSubgamePerfect(*two, {});
    REQUIRE(solved.equilibria.size() == 1);
    ActionIndex index(*two);
    std::vector<Rational> as_written;
    for (double b : solved.equilibria[0].behavior) as_written.push_back(ExactRational(b));
    // Rounding alone: probabilities rounded to doubles, among payoffs of 1e13.
    CHECK(ToDouble(MaxSubgameGain<Rational>(*two, index, as_written)) <= 1e-5);
    SubgamePerfectOptions without;
    without.exact_subgames = false;
    CHECK_THROWS_WITH_AS(SolveSubgamePerfect(*two, without),
                         doctest::Contains("exact arithmetic would settle it, but it solves the subgame at node 1 (after "
                                           "t0; first move: P2 at [s2.1]) only where at most two players move, and 3 "
                                           "move there; the logit tracer, tried in every subgame instead, failed too "
                                           "(it found no verified equilibrium of the subgame at node 16"),
                         LimitError);
    CHECK_THROWS_WITH_AS(SolveSubgamePerfect(*two, without),
                         doctest::Contains("pure profiles of its own information sets (those in no smaller proper "
                                           "subgame) is an equilibrium"),
                         LimitError);
  }

  TEST_CASE("a collapse with --method logit where exact arithmetic could take the game says so") {
    // P2's payoffs 1e17 + 3 and 1e17 - 2 are one double; only P2 and P3 move, so without
    // --method logit the game is solved exactly; with it, the refusal names the method.
    auto game = io::ReadEfg(R"(EFG 2 R "P2 payoffs collapse in doubles; P2 and P3 move" { "P1" "P2" "P3" }
""
p "" 2 1 "r" { "H" "T" } 0
p "" 3 1 "c" { "h" "t" } 0
t "" 1 "" { 0 100000000000000003 1 }
t "" 2 "" { 0 99999999999999998 0 }
p "" 3 1 0
t "" 3 "" { 0 99999999999999998 0 }
t "" 4 "" { 0 100000000000000003 1 }
)", "collapse3.efg");
    SubgamePerfectOptions logit;
    logit.method = "logit";
    CHECK_THROWS_WITH_AS(SolveSubgamePerfect(*game, logit),
                         doctest::Contains("the logit method (--method logit) works only in floating point; "
                                           "solve without it (exact arithmetic then takes the game)"),
                         UnsupportedError);
    Solution s = SolveSubgamePerfect(*game, {});
    REQUIRE(s.equilibria.size() == 1);
    CHECK(s.exact);
    // (T, t): P2 gets 1e17 + 3, P3 1.
    CHECK(s.equilibria[0].exact_payoffs[1] == Rational("100000000000000003"));
    CHECK(s.equilibria[0].exact_payoffs[2] == 1);
  }

  TEST_CASE("a subgame whose plays all pay the same, seen through rounding, is flat") {
    // Every play of this random three-player game pays 1 to everybody, so every profile is an
    // equilibrium and the logit branch is the uniform profile. The subgame at node 109 sees
    // the subgames below it through their values, 1 and 0.9999999999999998: divided by that
    // span (2.2e-16), the rounding became a game of its own, and the tracer followed it for
    // 74 steps to lambda 1e12 and gave up ("the corrector failed even with the smallest
    // step").
    auto game = io::LoadGame(testing::SourcePath("tests/data/flat_3p.efg"));
    for (const char* method : {"auto", "logit"}) {
      CAPTURE(method);
      SubgamePerfectOptions options;
      options.method = method;
      Solution s = SolveSubgamePerfect(*game, options);
      REQUIRE(s.equilibria.size() == 1);
      const Equilibrium& eq = s.equilibria[0];
      CHECK(eq.max_gain <= 1e-15);
      for (double payoff : eq.payoffs) CHECK(payoff == doctest::Approx(1).epsilon(1e-15));
      // With --method logit the subgame at node 109 is traced: its sets play uniformly, the
      // branch's limit. (At most two players move in it, so by default the sequence-form LP
      // takes it, and any of its profiles is an equilibrium.)
      if (std::string(method) == "logit") {
        ActionIndex index(*game);
        const InfosetId h = game->infoset(109);
        for (std::uint32_t a = 0; a < game->num_actions(h); ++a)
          CHECK(eq.behavior[index(h, a)] == doctest::Approx(1.0 / game->num_actions(h)).epsilon(1e-12));
      }
    }
  }

  TEST_CASE("an internal check fails loudly") {
    // A failed PARLEY_CHECK is an InternalError, not a parley::Error: no handler for users'
    // mistakes (and no retry, which catches nothing of the kind any more) takes it.
    auto game = io::ReadEfg(kPennies, "pennies.efg");
    CHECK_THROWS_AS(game->player(2), InternalError);  // node 2 is a leaf
    bool caught_as_user_error = false;
    try {
      (void)game->player(2);
    } catch (const Error&) {
      caught_as_user_error = true;
    } catch (const InternalError& e) {
      CHECK(std::string(e.what()).find("internal error: check failed") == 0);
    }
    CHECK_FALSE(caught_as_user_error);
  }
}

TEST_SUITE("equilibrium.all_max") {
  TEST_CASE("--all --max N counts distinct profiles and says 'there are more' only when there are") {
    // Matching pennies has exactly one equilibrium and battle of the sexes three (two pure, one
    // mixed at (2/3, 1/3)): --max at the count was reported as cut.
    auto pennies = io::ReadEfg(kPennies, "pennies.efg");
    EnumerationOptions options;
    options.max_equilibria = 1;
    Solution one = EnumerateExtremeEquilibria(*pennies, options);
    CHECK(one.equilibria.size() == 1);
    CHECK_FALSE(one.truncated);
    auto bos = io::ReadEfg(R"(EFG 2 R "bos" { "A" "B" }
p "" 1 1 "" { "F" "O" } 0
p "" 2 1 "" { "f" "o" } 0
t "" 1 "" { 2 1 }
t "" 2 "" { 0 0 }
p "" 2 1 "" { "f" "o" } 0
t "" 3 "" { 0 0 }
t "" 4 "" { 1 2 }
)",
                           "bos.efg");
    options.max_equilibria = 3;
    CHECK_FALSE(EnumerateExtremeEquilibria(*bos, options).truncated);
    options.max_equilibria = 2;
    Solution two = EnumerateExtremeEquilibria(*bos, options);
    CHECK(two.equilibria.size() == 2);
    CHECK(two.truncated);
    // A game with two proper subgames whose reduced strategic forms have extreme equilibria that
    // are one behaviour profile (plans differing only where they are not reached). Its 7
    // distinct extreme subgame-perfect equilibria were counted by an independent exact
    // composition (Python, fractions: the reduced strategic form's best-response polytopes
    // enumerated vertex by vertex, subgame by subgame). --max 7 listed 6 and said it was cut.
    auto game = io::LoadGame(testing::SourcePath("tests/data/all_max_duplicates.efg"));
    options.max_equilibria = 1000;
    Solution all = EnumerateExtremeEquilibria(*game, options);
    REQUIRE(all.equilibria.size() == 7);
    CHECK_FALSE(all.truncated);
    for (std::size_t k = 1; k <= 8; ++k) {
      CAPTURE(k);
      options.max_equilibria = k;
      Solution cut = EnumerateExtremeEquilibria(*game, options);
      REQUIRE(cut.equilibria.size() == std::min<std::size_t>(k, 7));
      CHECK(cut.truncated == (k < 7));
      for (std::size_t i = 0; i < cut.equilibria.size(); ++i)  // the first k of the whole list
        CHECK(cut.equilibria[i].exact_behavior == all.equilibria[i].exact_behavior);
    }
  }
}

TEST_SUITE("equilibrium.streaming") {
  TEST_CASE("a vertex-enumeration guard keeps the equilibria found before it tripped") {
    auto game = io::ReadEfg(Coordination(), "coordination.efg");
    ActionIndex index(*game);
    model::InfosetId row = game->player_infosets(0).at(0), col = game->player_infosets(1).at(0);
    auto strategies = [&](const Equilibrium& eq) {
      std::vector<Rational> x, y;
      for (std::uint32_t a = 0; a < 3; ++a) {
        x.push_back(eq.exact_behavior[index(row, a)]);
        y.push_back(eq.exact_behavior[index(col, a)]);
      }
      return std::make_pair(x, y);
    };
    Solution all = EnumerateExtremeEquilibria(*game);
    CHECK(all.complete);
    CHECK(all.stopped_by.empty());
    CHECK(all.equilibria.size() == 7);
    // Guards of 2, 3, ... bases: the walk visits the vertex 0 and then one more vertex per
    // basis, each paired with its partner as soon as it is reached. Each stop lists only
    // genuine equilibria, at most the 7, says which guard stopped it, and lists the three pure
    // ones (a, a), (b, b), (c, c) whatever it found before: a pass over the table finds them.
    int stopped = 0;
    for (std::size_t bases = 2; bases <= 8; ++bases) {
      CAPTURE(bases);
      EnumerationOptions options;
      options.max_bases = bases;
      Solution s;
      try {
        s = EnumerateExtremeEquilibria(*game, options);
      } catch (const LimitError& e) {  // allowed only when nothing was found yet
        CHECK(std::string(e.what()).find("more than") != std::string::npos);
        continue;
      }
      if (s.complete) {
        CHECK(s.equilibria.size() == 7);
        continue;
      }
      ++stopped;
      CHECK(s.stopped_by.find("bases") != std::string::npos);
      CHECK(!s.equilibria.empty());
      CHECK(s.equilibria.size() <= 7);
      std::size_t pure = 0;
      for (const Equilibrium& eq : s.equilibria) {
        auto [x, y] = strategies(eq);
        CHECK(IsCoordinationEquilibrium(x, y));
        for (std::size_t a = 0; a < 3; ++a) pure += x[a] == 1 && y[a] == 1;
      }
      CHECK(pure == 3);
    }
    CHECK(stopped >= 2);
  }

  TEST_CASE("backward induction past its memory budget lists genuine equilibria, incomplete") {
    // The root's owner A takes "out" (0 for everyone, worth -1 to A) or "in": a binary tree of
    // depth 9 where B and A alternate and every leaf pays 0. Every choice inside is a tie, so
    // there are 2^511 subgame-perfect equilibria, all with A playing "in" at the root (0 > -1).
    std::string text = "EFG 2 R \"ties\" { \"A\" \"B\" }\np \"\" 1 1 \"\" { \"out\" \"in\" } 0\n"
                       "t \"\" 1 \"\" { -1 0 }\n";
    int sets = 1;
    auto tree = [&](auto& self, int depth) -> void {
      if (depth == 0) {
        text += "t \"\" 2 \"\" { 0 0 }\n";
        return;
      }
      int player = depth % 2 ? 2 : 1;
      text += "p \"\" " + std::to_string(player) + " " + std::to_string(++sets) +
              " \"\" { \"l\" \"r\" } 0\n";
      self(self, depth - 1);
      self(self, depth - 1);
    };
    tree(tree, 9);
    auto game = io::ReadEfg(text, "ties.efg");
    ActionIndex index(*game);
    const model::InfosetId root = game->infoset(0);
    BackwardInductionOptions options;
    options.all = true;
    options.max_equilibria = 50;
    Solution whole = SolveBackwardInduction(*game, options);
    CHECK(whole.complete);
    CHECK(whole.truncated);  // --max, not the budget
    CHECK(whole.equilibria.size() == 50);
    options.memory_budget_bytes = 20'000;
    Solution cut = SolveBackwardInduction(*game, options);
    CHECK_FALSE(cut.complete);
    CHECK(cut.stopped_by.find("memory budget of 20000 bytes") != std::string::npos);
    REQUIRE(!cut.equilibria.empty());
    CHECK(cut.equilibria.size() <= 50);
    for (const Equilibrium& eq : cut.equilibria) {
      CHECK(eq.behavior[index(root, 1)] == 1);  // "in"
      CHECK(eq.payoffs == std::vector<double>{0, 0});
      CHECK(eq.max_gain == 0);
    }
    // The writers say so.
    nlohmann::json doc = report::SolutionJson(*game, cut);
    CHECK(doc["complete"] == false);
    CHECK(doc["stopped_by"] == cut.stopped_by);
    CHECK(report::SolutionJson(*game, whole)["complete"] == true);
    CHECK(report::SolutionText(*game, cut).find("(incomplete: a limit stopped the enumeration)") !=
          std::string::npos);
    // A cap on the profiles listed (each holds one probability per action) stops the list.
    options.memory_budget_bytes = std::size_t{512} << 20;
    options.max_listed_numbers = 10 * index.size();
    Solution few = SolveBackwardInduction(*game, options);
    CHECK_FALSE(few.complete);
    CHECK(few.equilibria.size() == 10);
    CHECK(few.stopped_by.find("only the first 10 are listed") != std::string::npos);
  }

  TEST_CASE("parley solve --all on alternating offers stops at its cap, not out of memory") {
    // Three rounds over a pie of 20: 29,170 nodes and 29,169 actions (463 demands of 21
    // actions, 9,723 responses of 2), with more than 1,000 equilibria (ties off the path).
    // Listing 1,000 whole profiles exhausted memory in the JSON writer; the cap of 2^19 =
    // 524,288 probabilities lists 17: 17 x 29,169 = 495,873 fit, 18 x 29,169 = 525,042 not.
    auto r = testing::RunParley("solve " + std::string(PARLEY_SOURCE_DIR) +
                                "/games/alternating_offers.yaml --all");
    CHECK(r.exit_code == 0);
    CHECK(r.err == "");
    CHECK(r.out.find("(incomplete: a limit stopped the enumeration)") != std::string::npos);
    CHECK(r.out.find("passed 524288 probabilities in all, so only the first 17 are listed") !=
          std::string::npos);
  }

  TEST_CASE("parley solve --exact on three players with hidden moves: refused at the subgame's node") {
    // Exact arithmetic has sequence-form Lemke, for subgames in which at most two players move;
    // the logit tracer is in floating point. In this game A, B and C all move in the subgame
    // after "in" (B guesses the coin, then C or A moves without seeing it). The refusal names
    // the file, the line of the subgame's first node and what to do instead, in one line.
    const std::string file = std::string(PARLEY_SOURCE_DIR) + "/tests/data/hidden_three_movers.efg";
    auto r = testing::RunParley("solve " + file + " --exact");
    CHECK(r.exit_code == 1);
    CHECK(r.out == "");
    CHECK(r.err == "error: " + file + ":4:3: the subgame at node 1 (after in) has imperfect information and 3 "
                   "players move in it; exact arithmetic (--exact) solves such subgames only where at most two "
                   "players move (sequence-form Lemke). Without --exact, Parley traces the logit quantal "
                   "response branch to an equilibrium in floating point and verifies it\n");
    // Three players, at most two of whom move in each subgame with hidden moves: solved exactly.
    auto two = testing::RunParley("solve " + std::string(PARLEY_SOURCE_DIR) + "/tests/data/billions_3p.efg --exact");
    CHECK(two.exit_code == 0);
    CHECK(two.err == "");
    CHECK(two.out.find("sequence-form Lemke (3 subgames") != std::string::npos);
    CHECK(two.out.find("(exact rational arithmetic)") != std::string::npos);
    CHECK(two.out.find("Verified: the largest gain from deviating in any subgame is 0") != std::string::npos);
  }

}

}  // namespace
}  // namespace parley::equilibrium
