// A formula evaluated when a stage is reached (its condition, actions, probabilities, compute,
// a bargain's terms) or before a repeat block's round (its `while`) can read only what is
// decided by then: a later stage still holds 0 there, so reading one is refused with the
// formula's file:line:col, as observing one is. A repeat block's own stages (their previous
// round) and payoffs (evaluated at the end) may read anything but a loop variable, which is
// read only inside its own block.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "solver/equilibrium/solve.h"
#include "solver/model/error.h"
#include "solver/scenario/scenario.h"
#include "tests/test_util.h"

using parley::Error;
using parley::scenario::ReadScenario;

namespace {

// The full message of the error reading `text` throws ("(no error)" when it does not throw).
std::string ErrorOf(const std::string& text) {
  try {
    ReadScenario(text, "s.yaml");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// The equilibrium payoffs of `text`.
std::vector<double> PayoffsOf(const std::string& text) {
  auto s = ReadScenario(text, "s.yaml");
  return parley::equilibrium::Solve(*s->game, {}).equilibria.front().payoffs;
}

}  // namespace

TEST_SUITE("scenario read order") {
  TEST_CASE("a condition that reads a later stage, or its own stage") {
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - name: a\n"
                  "    player: A\n"
                  "    actions: [l, r]\n"
                  "    condition: b == x\n"
                  "  - name: b\n"
                  "    player: B\n"
                  "    actions: [x, y]\n"
                  "payoffs: [1, 0]\n") ==
          "s.yaml:6:16: the condition of stage 'a' reads stage 'b', which comes after it "
          "(there it is 0, not yet played); a condition can read only earlier choices");
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - {name: a, player: A, actions: [l, r], condition: a != l}\n"
                  "payoffs: [1, 0]\n") ==
          "s.yaml:3:54: the condition of stage 'a' reads stage 'a' itself (there it is 0, "
          "not yet played); a condition can read only earlier choices");
  }

  TEST_CASE("a condition that reads a variable only a later stage computes") {
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - {name: a, player: A, actions: [l, r], condition: bonus > 0}\n"
                  "  - name: b\n"
                  "    player: B\n"
                  "    actions: [0, 1]\n"
                  "    compute: {bonus: 2 * b}\n"
                  "payoffs: [bonus, 0]\n") ==
          "s.yaml:3:54: the condition of stage 'a' reads 'bonus', which only stage 'b' "
          "computes, after it (there it is 0, not yet computed); a condition can read only "
          "earlier choices");
    // The stage's own compute runs after its choice: not yet there for its condition.
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - {name: a, player: A, actions: [1, 2], condition: twice > 0,\n"
                  "     compute: {twice: 2 * a}}\n"
                  "payoffs: [twice, 0]\n") ==
          "s.yaml:3:54: the condition of stage 'a' reads 'twice', which only stage 'a' "
          "itself computes, later (there it is 0, not yet computed); a condition can read "
          "only earlier choices");
  }

  TEST_CASE("a probability that reads a later stage") {
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - name: luck\n"
                  "    player: nature\n"
                  "    actions: [good, bad]\n"
                  "    probabilities:\n"
                  "      good: 0.25 + b / 2\n"
                  "      bad: 0.75 - b / 2\n"
                  "  - {name: b, player: B, actions: [0, 1]}\n"
                  "payoffs: [1, b]\n") ==
          "s.yaml:7:13: a probability of stage 'luck' reads stage 'b', which comes after it "
          "(there it is 0, not yet played); a probability can read only earlier choices");
    // A list of probabilities is evaluated before the draw: the stage's own variable is not
    // the action yet.
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - name: luck\n"
                  "    player: nature\n"
                  "    actions: [1, 2]\n"
                  "    probabilities: [luck / 4, 1 - luck / 4]\n"
                  "payoffs: [luck, 0]\n") ==
          "s.yaml:6:21: a probability of stage 'luck' reads stage 'luck' itself (there it is "
          "0, not yet played); a probability can read only earlier choices");
  }

  TEST_CASE("actions, compute, a bargain's terms and 'while' that read later stages") {
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - {name: a, player: A, actions: {from: 0, to: b}}\n"
                  "  - {name: b, player: B, actions: [1, 2]}\n"
                  "payoffs: [a, b]\n") ==
          "s.yaml:3:49: the actions of stage 'a' reads stage 'b', which comes after it "
          "(there it is 0, not yet played); an action set can read only earlier choices");
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - name: a\n"
                  "    player: A\n"
                  "    actions: [1, 2]\n"
                  "    compute:\n"
                  "      total: a + b\n"
                  "  - {name: b, player: B, actions: [1, 2]}\n"
                  "payoffs: [total, b]\n") ==
          "s.yaml:7:14: the formula of 'total' of stage 'a' reads stage 'b', which comes "
          "after it (there it is 0, not yet played); a computed variable can read only "
          "earlier choices, its own stage's choice and the variables computed before it");
    // Within a stage, a computed variable reads those computed before it.
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - {name: a, player: A, actions: [1, 2], compute: {x: y + 1, y: a}}\n"
                  "payoffs: [x, y]\n") ==
          "s.yaml:3:56: the formula of 'x' of stage 'a' reads 'y', which only stage 'a' "
          "itself computes, later (there it is 0, not yet computed); a computed variable can "
          "read only earlier choices, its own stage's choice and the variables computed "
          "before it");
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - name: deal\n"
                  "    bargain:\n"
                  "      issues: {share: {from: 0, to: 1}}\n"
                  "      powers: [p, 1]\n"
                  "  - {name: p, player: A, actions: [1, 2]}\n"
                  "payoffs:\n"
                  "  A: if(deal == agree, share, 0)\n"
                  "  B: if(deal == agree, 1 - share, 0)\n") ==
          "s.yaml:6:16: a bargaining power of stage 'deal' reads stage 'p', which comes after "
          "it (there it is 0, not yet played); a bargain's powers, breakdown, disagreement, "
          "discount and inside payoffs are set before any agreement, so they can read only "
          "earlier choices (the agreed issues are for its payoffs and constraints)");
    // A bargain's fixed terms cannot read its own issues, variable or compute: evaluated
    // before any agreement, they read 0 (powers [s, 1 - s] gave A no power, silently).
    const std::string talks = "players: [A, B]\n"
                              "stages:\n"
                              "  - name: talks\n"
                              "    bargain:\n"
                              "      issues: {s: {from: 0, to: 1}}\n";
    const std::string pay = "payoffs:\n  A: if(talks == agree, s, 0)\n  B: if(talks == agree, 1 - s, 0)\n";
    CHECK(ErrorOf(talks + "      powers: [s, 1 - s]\n" + pay) ==
          "s.yaml:6:16: a bargaining power of stage 'talks' reads issue 's' of its own bargain (there it is 0, "
          "not yet agreed); a bargain's powers, breakdown, disagreement, discount and inside payoffs are set "
          "before any agreement, so they can read only earlier choices (the agreed issues are for its payoffs "
          "and constraints)");
    CHECK(ErrorOf(talks + "      breakdown: w\n    compute: {w: 0.5}\n" + pay)
              .rfind("s.yaml:6:18: 'breakdown' of stage 'talks' reads 'w', which only stage 'talks' itself "
                     "computes, later (there it is 0, not yet computed)", 0) == 0);
    CHECK(ErrorOf(talks + "      disagreement: [\"if(talks == agree, 1, 0)\", 0]\n" + pay)
              .rfind("s.yaml:6:23: a disagreement payoff of stage 'talks' reads stage 'talks' itself", 0) == 0);
    CHECK(ErrorOf("players: [A, B]\nstages:\n  - name: talks\n    bargain:\n"
                  "      issues: {s: {from: 0, to: \"if(talks == agree, 1, 2)\"}}\n" + pay)
              .rfind("s.yaml:5:34: the range of issue 's' of stage 'talks' reads stage 'talks' itself", 0) == 0);
    // A constraint reads the agreement, and a range may name another issue (a linked bound).
    CHECK(ErrorOf(talks + "      constraints: [s <= 0.4]\n" + pay) == "(no error)");
    CHECK(ErrorOf("players: [A, B]\nstages:\n  - name: talks\n    bargain:\n"
                  "      issues: {s: {from: 0, to: 1}, t: {from: 0, to: 1 - s}}\n" + pay) == "(no error)");
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - repeat:\n"
                  "      to: 3\n"
                  "      while: stop == 0\n"
                  "      stages:\n"
                  "        - {name: move, player: A, actions: [1, 2]}\n"
                  "  - {name: stop, player: B, actions: [0, 1]}\n"
                  "payoffs: [move, stop]\n") ==
          "s.yaml:5:14: the 'while' of the repeat block over 'round' reads stage 'stop', "
          "which comes after it (there it is 0, not yet played); 'while' can read only "
          "earlier choices and its own block's (their previous round)");
  }

  TEST_CASE("a stage inside a repeat block reads a stage after the block") {
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - repeat:\n"
                  "      to: 2\n"
                  "      stages:\n"
                  "        - {name: move, player: A, actions: [1, 2], condition: verdict != 1}\n"
                  "  - {name: verdict, player: B, actions: [0, 1]}\n"
                  "payoffs: [move, verdict]\n") ==
          "s.yaml:6:63: the condition of stage 'move' reads stage 'verdict', which comes "
          "after it (there it is 0, not yet played); a condition can read only earlier "
          "choices");
  }

  TEST_CASE("earlier stages, the stage's own choice where it is made, and payoffs") {
    // A condition and actions over an earlier stage; a compute over its own stage and an
    // earlier compute; one probability formula for every action over the stage's own
    // variable; payoffs over everything.
    const std::string text =
        "players: [A, B]\n"
        "stages:\n"
        "  - name: a\n"
        "    player: A\n"
        "    actions: [1, 2]\n"
        "    compute: {base: a, twice: 2 * base}\n"
        "  - name: b\n"
        "    player: B\n"
        "    actions: {from: 0, to: a}\n"
        "    condition: twice > 2\n"
        "  - name: luck\n"
        "    player: nature\n"
        "    actions: [1, 2]\n"
        "    probabilities: if(luck == 1, 0.25, 0.75)\n"
        "    compute: {won: luck + b}\n"
        "payoffs: [won, twice]\n";
    CHECK(ErrorOf(text) == "(no error)");
    // A computed variable set earlier and again later reads its earlier value: allowed.
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - {name: a, player: A, actions: [1, 2], compute: {x: a}}\n"
                  "  - {name: b, player: B, actions: [1, 2], condition: x > 1}\n"
                  "  - {name: c, player: A, actions: [1, 2], compute: {x: c}}\n"
                  "payoffs: [x, b]\n") == "(no error)");
  }

  TEST_CASE("a repeat block's stages read the block's previous round") {
    // The offer is made only while no earlier round was accepted (respond comes after it in
    // the block: in round 2 it holds round 1's answer); the total accumulates; `while`
    // reads the block's last answer.
    const std::string text =
        "players: [A, B]\n"
        "stages:\n"
        "  - repeat:\n"
        "      to: 3\n"
        "      while: respond != accept\n"
        "      stages:\n"
        "        - name: offer\n"
        "          player: A\n"
        "          actions: [1, 2]\n"
        "          condition: respond != accept\n"
        "          compute: {total: total + offer}\n"
        "        - name: respond\n"
        "          player: B\n"
        "          actions: [accept, reject]\n"
        "payoffs:\n"
        "  A: if(respond == accept, 3 - offer, 0) - total / 10\n"
        "  B: if(respond == accept, offer, 0) - total / 100\n";
    CHECK(ErrorOf(text) == "(no error)");
    // Every offer costs both a little, so B accepts the lowest offer at once: A 3 - 1 - 0.1,
    // B 1 - 0.01.
    auto payoffs = PayoffsOf(text);
    REQUIRE(payoffs.size() == 2);
    CHECK(payoffs[0] == doctest::Approx(1.9));
    CHECK(payoffs[1] == doctest::Approx(0.99));
  }

  TEST_CASE("a bargain's terms read its own issues and compute, nested blocks their rounds") {
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - name: deal\n"
                  "    bargain:\n"
                  "      issues:\n"
                  "        share: {from: 0, to: 1}\n"
                  "        extra: {from: 0, to: 1 - share}\n"
                  "      constraints:\n"
                  "        - share + half <= 1\n"
                  "    compute: {half: share / 2}\n"
                  "  - {name: after, player: A, actions: [0, 1]}\n"
                  "payoffs:\n"
                  "  A: if(deal == agree, share, after)\n"
                  "  B: if(deal == agree, 1 - share + extra, 0)\n") == "(no error)");
    // The inner block's `while` and stage read a stage after the inner block but inside the
    // outer one: its value from the outer block's previous round.
    CHECK(ErrorOf("players: [A, B]\n"
                  "stages:\n"
                  "  - repeat:\n"
                  "      for: outer\n"
                  "      to: 2\n"
                  "      stages:\n"
                  "        - repeat:\n"
                  "            for: inner\n"
                  "            to: 2\n"
                  "            while: late != 1\n"
                  "            stages:\n"
                  "              - {name: m, player: A, actions: [0, 1], condition: late != 1}\n"
                  "        - {name: late, player: B, actions: [0, 1]}\n"
                  "payoffs: [m, late]\n") == "(no error)");
  }

  TEST_CASE("parley validate: one located line and exit code 1") {
    std::string file = parley::testing::WriteTempFile(
        "read_later.yaml",
        "players: [A, B]\n"
        "stages:\n"
        "  - name: a\n"
        "    player: A\n"
        "    actions: [l, r]\n"
        "    condition: b == x\n"
        "  - {name: b, player: B, actions: [x, y]}\n"
        "payoffs: [1, 0]\n");
    auto r = parley::testing::RunParley("validate " + file);
    CHECK(r.exit_code == 1);
    CHECK(r.err == "error: " + file +
                       ":6:16: the condition of stage 'a' reads stage 'b', which comes after "
                       "it (there it is 0, not yet played); a condition can read only earlier "
                       "choices\n");
  }
}

TEST_SUITE("scenario read order") {
  TEST_CASE("a loop variable is read only inside its repeat block") {
    // After its block `round` held the last round played when `to` ended the block, one more
    // when `while` did, 0 when `to` was below `from` and `from` when `while` was false at
    // once: a payoff 10 * d ^ (round - 1) paid an agreement in round 1 as if made in round 2.
    const std::string head =
        "players: [A, B]\n"
        "stages:\n"
        "  - repeat:\n"
        "      for: round\n"
        "      to: 2\n"
        "      while: respond != accept\n"
        "      stages:\n"
        "        - {name: offer, player: A, actions: [yes]}\n"
        "        - name: respond\n"
        "          player: B\n"
        "          actions: [accept, reject]\n"
        "          compute:\n"
        "            agreed_in: round\n";
    CHECK(ErrorOf(head + "payoffs:\n  A: if(respond == accept, 10 * 0.5 ^ (round - 1), 0)\n  B: 0\n") ==
          "s.yaml:15:6: the payoff of A reads the loop variable 'round' outside its repeat block, "
          "where its value would depend on how the block ended (by 'to', by 'while', or with no "
          "round at all); to use the round in which something happened, record it inside the "
          "block with compute (agreed_in: round) and read that");
    CHECK(ErrorOf(head + "  - {name: late, player: A, actions: [x, y], condition: round > 1}\n"
                         "payoffs: [1, 0]\n")
              .rfind("s.yaml:14:57: the condition of stage 'late' reads the loop variable 'round' "
                     "outside its repeat block",
                     0) == 0);
    // What the error says to write instead: the round of the agreement, recorded in the block.
    // B pays the round's number, so it accepts at once (-1 against -2 later), and agreement
    // in round 1 pays A 10 * 0.5^0 = 10.
    const std::vector<double> paid =
        PayoffsOf(head + "payoffs:\n  A: if(respond == accept, 10 * 0.5 ^ (agreed_in - 1), 0)\n  B: -agreed_in\n");
    CHECK(paid == std::vector<double>{10, -1});
    // A nested block's bounds may read the enclosing block's variable, not a sibling's.
    const std::string nested =
        "players: [A, B]\n"
        "stages:\n"
        "  - repeat:\n"
        "      for: i\n"
        "      to: 2\n"
        "      stages:\n"
        "        - repeat:\n"
        "            for: j\n"
        "            to: i\n"
        "            stages:\n"
        "              - {name: a, player: A, actions: [l, r], condition: i + j > 0}\n";
    CHECK(ErrorOf(nested + "payoffs: [1, 0]\n") == "(no error)");
    CHECK(ErrorOf(nested + "  - repeat:\n"
                           "      for: k\n"
                           "      to: i\n"
                           "      stages:\n"
                           "        - {name: b, player: B, actions: [x, y]}\n"
                           "payoffs: [1, 0]\n")
              .rfind("s.yaml:14:11: the bounds of the repeat block over 'k' reads the loop variable 'i' "
                     "outside its repeat block",
                     0) == 0);
  }

  TEST_CASE("a parameter written too small for a double is refused, as --set refuses it") {
    CHECK(ErrorOf("players: [A, B]\n"
                  "parameters:\n"
                  "  p: {value: 1e-400, min: 0, max: 1}\n"
                  "stages:\n"
                  "  - {name: a, player: A, actions: [l, r]}\n"
                  "payoffs: [p, 0]\n") ==
          "s.yaml:3:14: the value of 'p' '1e-400' is too small to compute with (it would be 0); "
          "write 0 if 0 is meant");
    CHECK(ErrorOf("players: [A, B]\n"
                  "parameters:\n"
                  "  p: {value: 0e-400, min: 0, max: 1e-300}\n"
                  "stages:\n"
                  "  - {name: a, player: A, actions: [l, r]}\n"
                  "payoffs: [p, 0]\n") == "(no error)");
  }
}
