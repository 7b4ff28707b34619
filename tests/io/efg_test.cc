// Gambit .efg reading and writing: every reference game loads and survives a round trip;
// malformed files get one clear error with file:line:col; deep trees do not overflow.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "solver/io/game_json.h"
#include "solver/io/nfg.h"
#include "solver/model/error.h"
#include "tests/test_util.h"

namespace parley::io {
namespace {

using model::Game;
using model::NodeId;

// Structural equality: same nodes, labels, information sets, outcomes and payoffs.
void CheckSameGame(const Game& a, const Game& b) {
  REQUIRE(a.num_nodes() == b.num_nodes());
  REQUIRE(a.num_players() == b.num_players());
  CHECK(a.title() == b.title());
  CHECK(a.players() == b.players());
  REQUIRE(a.num_infosets() == b.num_infosets());
  for (NodeId v = 0; v < a.num_nodes(); ++v) {
    REQUIRE(a.kind(v) == b.kind(v));
    CHECK(a.node_label(v) == b.node_label(v));
    REQUIRE(a.num_children(v) == b.num_children(v));
    if (!a.is_terminal(v)) {
      model::InfosetId ha = a.infoset(v), hb = b.infoset(v);
      CHECK(ha == hb);
      CHECK(a.infoset_player(ha) == b.infoset_player(hb));
      CHECK(a.infoset_label(ha) == b.infoset_label(hb));
      for (std::uint32_t k = 0; k < a.num_actions(ha); ++k) {
        CHECK(a.action_label(ha, k) == b.action_label(hb, k));
        if (a.infoset_player(ha) == model::kChancePlayer)
          CHECK(a.exact_chance_prob(ha, k) == b.exact_chance_prob(hb, k));
      }
    }
    REQUIRE((a.outcome(v) == model::kNoOutcome) == (b.outcome(v) == model::kNoOutcome));
    if (a.outcome(v) != model::kNoOutcome) {
      CHECK(a.outcome_label(a.outcome(v)) == b.outcome_label(b.outcome(v)));
      for (int p = 0; p < a.num_players(); ++p)
        CHECK(a.exact_payoff(a.outcome(v), p) == b.exact_payoff(b.outcome(v), p));
    }
  }
}

std::vector<std::string> SharedEfgFiles() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(testing::SharedPath("gambit-games/efg")))
    if (e.path().extension() == ".efg") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::string ErrorOf(const std::string& text) {
  try {
    ReadEfg(text, "bad.efg");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_SUITE("io.efg") {
  TEST_CASE("every Gambit sample game loads, and writing then reading gives the same game") {
    if (!testing::SharedOrSkip()) return;
    auto files = SharedEfgFiles();
    REQUIRE_MESSAGE(files.size() == 86, "the reference games are expected beside the repository");
    for (const auto& path : files) {
      CAPTURE(path);
      auto game = LoadGame(path);
      auto again = ReadEfg(WriteEfgString(*game), "round-trip.efg");
      CheckSameGame(*game, *again);
      auto from_json = ReadGameJson(WriteGameJson(*game), "round-trip.json");
      CheckSameGame(*game, *from_json);
    }
  }

  TEST_CASE("the example of the format reference reads as documented") {
    // tests/data/tiny_signalling.efg: the example of the format reference.
    const std::string path = testing::SourcePath("tests/data/tiny_signalling.efg");
    auto g = ReadEfg(testing::ReadFile(path), path);
    CHECK(g->num_nodes() == 11);
    CHECK(g->num_terminals() == 6);
    CHECK_FALSE(g->perfect_information());
    CHECK(g->comment() == "example for FORMAT.md");
    CHECK(g->exact_chance_prob(g->infoset(0), 0) == Rational(2, 3));
    // Bo's two nodes share one information set.
    model::InfosetId bo = g->infoset(2);
    CHECK(g->infoset_nodes(bo).size() == 2);
    CHECK(g->infoset(2) == g->infoset(7));
    // The leaf reusing outcome 3 has payoffs (1, 1).
    CHECK(g->payoff(g->outcome(10), 0) == 1);
  }

  TEST_CASE("a player without a name is Player k, as Gambit shows it") {
    // sww1.nfg names its players "": the report read "So in equilibrium  plays 1 and  plays
    // 1, and the payoffs are  4 and  3". A name already taken gets a prime.
    auto g = ReadEfg("EFG 2 R \"unnamed\" { \"\" \"\" \"Player 1\" }\n"
                     "p \"\" 1 1 \"\" { \"a\" \"b\" } 0\n"
                     "t \"\" 1 \"\" { 1 2 3 }\n"
                     "t \"\" 2 \"\" { 3 2 1 }\n",
                     "unnamed.efg");
    CHECK(g->player_name(0) == "Player 1'");
    CHECK(g->player_name(1) == "Player 2");
    CHECK(g->player_name(2) == "Player 1");
  }

  TEST_CASE("every number of an .efg is stated exactly, whatever its denominator") {
    // 1e-13 (denominator 10^13 > 2^40), 1/10^13, a 17-digit decimal (10^16 / 2^6 > 2^47),
    // 1/10^18 + 1/3 and a chance move of 1/10^20: integers, fractions and decimals all.
    auto g = ReadEfg(R"(EFG 2 R "stated" { "A" "B" }
c "" 1 "coin" { "x" 1/100000000000000000000 "y" 99999999999999999999/100000000000000000000 } 0
t "" 1 "o" { 1e-13 1/10000000000000 }
t "" 2 "p" { 1.1234567890123456 1000000000000000003/3000000000000000000 }
)", "stated.efg");
    CHECK(g->numbers_stated_exactly());
    CHECK(g->exact_payoff(0, 0) == Rational(1, 10000000000000));
    CHECK(g->exact_payoff(0, 1) == Rational(1, 10000000000000));
    CHECK(g->exact_payoff(1, 0) == Rational("175540123283179/156250000000000"));
    CHECK(g->exact_payoff(1, 1) == Rational("1000000000000000003/3000000000000000000"));
    CHECK(g->exact_chance_prob(g->infoset(0), 0) == Rational("1/100000000000000000000"));
    // The same in Parley's JSON: strings and integers are stated; a JSON float is a double.
    auto json = [](const std::string& payoff) {
      return ReadGameJson(R"({"format": "parley.game", "version": 1, "players": ["A"],
          "infosets": [], "outcomes": [{"payoffs": [)" + payoff + R"(]}], "nodes": [{"outcome": 0}]})",
                          "g.json");
    };
    CHECK(json("\"1e-13\"")->numbers_stated_exactly());
    CHECK(json("3")->numbers_stated_exactly());
    CHECK_FALSE(json("0.5")->numbers_stated_exactly());
  }

  TEST_CASE("decimal chance probabilities read within the tolerance are written so that they read back") {
    // Three times 0.3333333333 sums to 0.9999999999, accepted as decimals (within 1e-9). As
    // the fraction 3333333333/10000000000 they would be held to an exact sum and refused.
    auto g = ReadEfg(R"(EFG 2 R "t" { "A" "B" }
c "" 1 "" { "x" 0.3333333333 "y" 0.3333333333 "z" 0.3333333333 } 0
t "" 1 "o" { 1 2 }
t "" 0
t "" 0
)", "thirds.efg");
    // The solvers read a distribution: each divided by the sum 0.9999999999, 1/3 to rounding
    // (used as given, the payoffs' expected values were 1e-10 short). The file's numbers stay.
    for (std::uint32_t a = 0; a < 3; ++a) CHECK(std::abs(g->chance_prob(g->infoset(0), a) - 1.0 / 3) <= 1e-16);
    // So do the exact solvers (--exact, the strategic form): divided by the exact sum,
    // 3333333333/9999999999 = 1/3 (they read the numbers as written, 1e-10 short).
    CHECK(g->exact_chance_prob(g->infoset(0), 0) == Rational(1, 3));
    CHECK(g->written_chance_prob(g->infoset(0), 0) == Rational(3333333333, 10000000000));
    const std::string written = WriteEfgString(*g);
    CHECK(written.find("\"x\" 0.3333333333") != std::string::npos);
    auto again = ReadEfg(written, "again.efg");
    CHECK(again->written_chance_prob(again->infoset(0), 2) == Rational(3333333333, 10000000000));
    CHECK(again->exact_chance_prob(again->infoset(0), 2) == Rational(1, 3));
    auto from_json = ReadGameJson(WriteGameJson(*g), "again.json");
    CHECK(from_json->written_chance_prob(from_json->infoset(0), 1) == Rational(3333333333, 10000000000));
    // Fractions that sum to 1 stay fractions.
    auto exact = ReadEfg("EFG 2 R \"t\" { \"A\" }\nc \"\" 1 \"\" { \"x\" 1/4 \"y\" 3/4 } 0\nt \"\" 0\nt \"\" 0\n",
                         "quarters.efg");
    CHECK(WriteEfgString(*exact).find("\"x\" 1/4 \"y\" 3/4") != std::string::npos);
  }

  TEST_CASE("a JSON number beyond a double's range is an input error at its place") {
    const std::string text = "{\"players\": [\"-1e400\"],\n \"nodes\": [{}], \"junk\": -1e400}";
    try {
      ReadGameJson(text, "big.json");
      FAIL("no error");
    } catch (const ParseError& e) {
      CHECK(std::string(e.what()) ==
            "big.json:2:25: the number -1e400 is beyond the range of a double (magnitude at most about 1.8e308)");
    }
  }

  TEST_CASE("a UTF-8 byte-order mark is skipped, columns counted after it") {
    auto g = ReadEfg("\xEF\xBB\xBF" "EFG 2 R \"bom\" { \"A\" }\np \"\" 1 1 \"\" { \"a\" } 0\nt \"\" 1 \"\" { 1 }\n", "bom.efg");
    CHECK(g->num_nodes() == 2);
    try {
      ReadEfg("\xEF\xBB\xBF" "EFG 3 R", "bom.efg");
      FAIL("no error");
    } catch (const ParseError& e) {
      CHECK(std::string(e.what()).starts_with("bom.efg:1:5: "));
    }
  }

  TEST_CASE("JSON integers beyond 64 bits are refused where written, not rounded") {
    auto json = [](const std::string& payoff) {
      return std::string(R"({"format": "parley.game", "version": 1, "players": ["A"],
 "infosets": [], "outcomes": [{"payoffs": [)") + payoff + R"(]}], "nodes": [{"outcome": 0}]})";
    };
    // The ends of the 64-bit ranges are read exactly.
    CHECK(ReadGameJson(json("18446744073709551615"), "g.json")->exact_payoff(0, 0) ==
          Rational("18446744073709551615"));
    CHECK(ReadGameJson(json("-9223372036854775808"), "g.json")->exact_payoff(0, 0) ==
          Rational("-9223372036854775808"));
    // One past them would be a double, 2^64 and -2^63: refused at its column.
    for (const std::string wide : {"18446744073709551616", "-9223372036854775809", "123456789012345678901234567890"}) {
      try {
        ReadGameJson(json(wide), "g.json");
        FAIL("no error for " << wide);
      } catch (const ParseError& e) {
        CHECK(std::string(e.what()) == "g.json:2:44: the integer " + wide +
                                           " does not fit in 64 bits, so it would be read rounded; write it as a "
                                           "string (\"" + wide + "\") to keep it exact");
      }
    }
    // Digits inside strings are not numbers.
    CHECK_NOTHROW(ReadGameJson(json("\"123456789012345678901234567890\""), "g.json"));
  }

  TEST_CASE("outcomes that add up past a double's range along a path are refused, not solved with inf") {
    // Each payoff is a double, but an outcome counts at every leaf below its node: after L, A
    // gets 1e308 + 1e308 = 2e308 and after R 1e308 + 1.5e308 = 2.5e308, so A must play R. In
    // doubles both were inf: A played L, "verified" with a payoff of inf (JSON null), `--all`
    // listed no equilibrium at all, and QRE stopped on an internal check.
    const std::string head = "EFG 2 R \"g\" { \"A\" \"B\" }\n";
    CHECK(ErrorOf(head + "p \"\" 1 1 \"r\" { \"L\" \"R\" } 0\n"
                         "p \"\" 2 1 \"b1\" { \"go\" } 1 \"\" { 1e308 0 }\n"
                         "t \"\" 2 \"\" { 1e308 0 }\n"
                         "p \"\" 2 2 \"b2\" { \"go\" } 1\n"
                         "t \"\" 3 \"\" { 1.5e308 0 }\n") ==
          "bad.efg: A's payoffs on the outcomes from the root to the node after L > go add up past the range of a "
          "double (about 1.8e308); scale the payoffs down");
    // From a node down (as backward induction adds): -1e308 at the root, then 1e308 twice below
    // L: the sum from the node after L down is 2e308 though the whole path's is 1e308.
    CHECK(ErrorOf(head + "p \"\" 1 1 \"r\" { \"L\" \"R\" } 1 \"\" { -1e308 0 }\n"
                         "p \"\" 2 1 \"b1\" { \"go\" } 2 \"\" { 1e308 0 }\n"
                         "t \"\" 3 \"\" { 1e308 0 }\n"
                         "t \"\" 4 \"\" { 0 0 }\n") ==
          "bad.efg: A's payoffs on the outcomes from the node after L down to a leaf add up past the range of a "
          "double (about 1.8e308); scale the payoffs down");
    // From a node down to another (as the sequence form adds from its subgame's top): -1e308
    // at the root, then 1e308 after x and 1e308 after x > l, and -1e308 at each leaf. From the
    // root the sums are -1e308, 0, 1e308, 0; from each node down to a leaf at most 1e308; but
    // the subgame after x adds 1e308 + 1e308 = 2e308 before its leaves' -1e308. Solved, the
    // answer was "verified in floating point to within inf".
    CHECK(ErrorOf(head + "p \"\" 1 1 \"\" { \"x\" \"y\" } 1 \"\" { -1e308 0 }\n"
                         "p \"\" 2 1 \"\" { \"l\" \"r\" } 2 \"\" { 1e308 0 }\n"
                         "p \"\" 1 2 \"\" { \"u\" \"d\" } 3 \"\" { 1e308 0 }\n"
                         "t \"\" 4 \"\" { -1e308 1 }\n"
                         "t \"\" 5 \"\" { -1e308 0 }\n"
                         "p \"\" 1 2 \"\" { \"u\" \"d\" } 0\n"
                         "t \"\" 6 \"\" { 0 0 }\n"
                         "t \"\" 7 \"\" { 1 1 }\n"
                         "t \"\" 8 \"\" { 2 2 }\n") ==
          "bad.efg: A's payoffs on the outcomes from the node after x to the node after x > l add up past the "
          "range of a double (about 1.8e308); scale the payoffs down");
    // Large payoffs whose sums stay within the range read as usual.
    CHECK_NOTHROW(ReadEfg(head + "p \"\" 1 1 \"r\" { \"L\" \"R\" } 1 \"\" { 1e308 0 }\n"
                                 "t \"\" 2 \"\" { -1e308 0 }\n"
                                 "t \"\" 3 \"\" { 5e307 0 }\n",
                          "ok.efg"));
  }

  TEST_CASE("numbers a double cannot hold are refused where written: too large, reading as 0, subnormal") {
    // 1e-400 is not 0, but its double is: the game would be solved with a payoff of 0 and its
    // answer called verified (B gains 1e-400 by deviating). 1e-320 is subnormal: its double
    // keeps four digits of it, and GLPK's scaling stopped the process on it.
    const std::string head = "EFG 2 R \"g\" { \"A\" \"B\" }\n";
    CHECK(ErrorOf(head + "t \"\" 1 \"o\" { 1 1e-400 }\n") ==
          "bad.efg:2:16: a payoff '1e-400' is too small to compute with (it would be 0); write 0 if 0 is meant");
    CHECK(ErrorOf(head + "t \"\" 1 \"o\" { -1e-320 1 }\n") ==
          "bad.efg:2:14: a payoff '-1e-320' is too small to compute with (below about 2.2e-308 a double keeps only "
          "some of its digits); write 0 if 0 is meant, or, for payoffs, scale them all up");
    CHECK(ErrorOf(head + "t \"\" 1 \"o\" { 1e400 1 }\n") ==
          "bad.efg:2:14: a payoff '1e400' is beyond the range of a double (magnitude at most about 1.8e308)");
    CHECK(ErrorOf(head + "c \"\" 1 \"\" { \"h\" 1e-400 \"t\" 1 } 0\nt \"\" 0\nt \"\" 0\n") ==
          "bad.efg:2:17: the probability of a chance action '1e-400' is too small to compute with (it would be 0); "
          "write 0 if 0 is meant");
    // Zero written any way, and the smallest normal double, are numbers like any other.
    CHECK_NOTHROW(ReadEfg(head + "t \"\" 1 \"o\" { 0e-999 2.3e-308 }\n", "ok.efg"));
    // The .nfg reader and the JSON reader say the same, at the number.
    try {
      ReadNfg("NFG 1 R \"g\" { \"A\" \"B\" } { 1 1 }\n1 1e-400\n", "bad.nfg");
      FAIL("no error");
    } catch (const ParseError& e) {
      CHECK(std::string(e.what()).find("bad.nfg:2:3: the payoff of player 2 in cell 1 '1e-400' is too small") == 0);
    }
    auto json = [](const std::string& payoff) {
      return std::string(R"({"players": ["A"], "outcomes": [{"payoffs": [)") + payoff + R"(]}], "nodes": [{"outcome": 0}]})";
    };
    for (const auto& [payoff, message] : std::vector<std::pair<std::string, std::string>>{
             {"1e-400", "g.json:1:46: the number 1e-400 is too small to compute with (it would be 0); write 0 if 0 is meant"},
             {"-1e-320", "g.json:1:46: the number -1e-320 is too small to compute with (below about 2.2e-308 a double "
                         "keeps only some of its digits); write 0 if 0 is meant, or, for payoffs, scale them all up"},
             {"\"1e-400\"", "g.json:1:46: outcomes[0].payoffs[0]: the number \"1e-400\" is too small to compute with (it "
                            "would be 0); write 0 if 0 is meant"}}) {
      CAPTURE(payoff);
      try {
        ReadGameJson(json(payoff), "g.json");
        FAIL("no error");
      } catch (const ParseError& e) {
        CHECK(std::string(e.what()) == message);
      }
    }
    CHECK_NOTHROW(ReadGameJson(json("0.0e-999"), "g.json"));
  }

  TEST_CASE("a JSON game's labels and actions of the wrong type are refused at their place") {
    auto error = [](const std::string& text) {
      try {
        ReadGameJson(text, "g.json");
      } catch (const ParseError& e) {
        return std::string(e.what());
      }
      return std::string("no error");
    };
    const std::string tail = R"(, "outcomes": [{"payoffs": [1]}], "nodes": [{"infoset": 0}, {"outcome": 0}]})";
    CHECK(error(R"({"players": ["A"], "infosets": [{"player": 1, "label": 3, "actions": ["x"]}])" + tail) ==
          "g.json:1:56: infosets[0].label: expected a string (in quotes), found 3");
    CHECK(error(R"({"players": ["A"], "infosets": [{"player": 1, "actions": "LR"}])" + tail) ==
          "g.json:1:58: infosets[0].actions: expected a list of action labels such as [\"L\", \"R\"], found \"LR\"");
    CHECK(error(R"({"players": ["A"], "infosets": [{"player": 1, "actions": ["x", {"y": 2}]}])" + tail) ==
          "g.json:1:64: infosets[0].actions[1]: expected an action label (a string in quotes), found {\"y\":2}");
    // Another format, or a later version, is not read as version 1 (they were, without a word).
    CHECK(error(R"({"format": "foo", "players": ["A"], "infosets": [{"player": 1, "actions": ["x"]}])" + tail) ==
          "g.json:1:12: format: this reads Parley's game JSON, \"format\": \"parley.game\"; found \"foo\"");
    CHECK(error(R"({"version": 99, "players": ["A"], "infosets": [{"player": 1, "actions": ["x"]}])" + tail) ==
          "g.json:1:13: version: this Parley reads version 1 of its game JSON; found 99 (written by a later Parley?)");
    CHECK(error(R"({"format": "parley.game", "version": 1, "players": ["A"], "infosets": [{"player": 1, "actions": ["x"]}])" +
                tail) == "no error");
    CHECK(error(R"({"players": ["A"], "title": 5, "infosets": [{"player": 1, "actions": ["x"]}])" + tail) ==
          "g.json:1:29: title: expected a string (in quotes), found 5");
    CHECK(error(R"({"players": ["A"], "infosets": [{"player": 1, "actions": ["x"]}], "outcomes": [{"label": [], "payoffs": [1]}], "nodes": [{"infoset": 0}, {"outcome": 0}]})") ==
          "g.json:1:90: outcomes[0].label: expected a string (in quotes), found []");
    CHECK(error(R"({"players": ["A"], "infosets": [{"player": 1, "actions": ["x"]}], "outcomes": [{"payoffs": [1]}], "nodes": [{"infoset": 0, "label": false}, {"outcome": 0}]})") ==
          "g.json:1:133: nodes[0].label: expected a string (in quotes), found false");
    // A set no node is in was dropped, and the player's later sets were numbered one lower in
    // every output (a program matching records by number to the file went wrong).
    CHECK(error(R"({"players": ["A"], "infosets": [{"player": 1, "actions": ["x"]}, {"player": 1, "actions": ["u", "v"]}])" +
                tail) ==
          "g.json:1:66: infosets[1]: no node is in this information set; remove it, or give it nodes (the sets a "
          "game's outputs number are those its nodes are in)");
  }

  TEST_CASE("malformed files get one clear message with file:line:col") {
    const std::string head = "EFG 2 R \"g\" { \"A\" \"B\" }\n";
    CHECK(ErrorOf(head + "x \"\" 1 0\n") ==
          "bad.efg:2:1: expected a node type: 'p' (player), 'c' (chance) or 't' (terminal), found 'x'");
    CHECK(ErrorOf(head + "p \"\" 1 1 \"\" \"a\" \"b\" } 0\n").find("bad.efg:2:13: expected '{' opening the list of actions") == 0);
    CHECK(ErrorOf(head + "p \"\" 1 1 \"s\" { \"a\" \"b\" } 0\np \"\" 2 1 \"t\" { \"x\" } 0\nt \"\" 0\np \"\" 1 1 \"s\" { \"a\" \"c\" } 0\nt \"\" 0\nt \"\" 0\nt \"\" 0\n")
              .find("bad.efg:5:10: information set 1 of player 1 is declared again with other actions") == 0);
    CHECK(ErrorOf(head + "c \"\" 1 \"\" { \"h\" half \"t\" 1/2 } 0\nt \"\" 0\nt \"\" 0\n")
              .find("bad.efg:2:17: expected the probability of a chance action (a number") == 0);
    CHECK(ErrorOf(head + "t \"\" 1 \"o\" { 1 2 3 }\n") ==
          "bad.efg:2:12: outcome 1 has 3 payoffs but the game has 2 players; give one payoff per player");
    CHECK(ErrorOf(head + "p \"\" 3 1 \"\" { \"a\" } 0\nt \"\" 0\n") ==
          "bad.efg:2:6: player 3 does not exist; players are numbered 1 to 2");
    CHECK(ErrorOf(head + "t \"\" 0\nt \"\" 0\n") ==
          "bad.efg:3:1: unexpected 't' after the end of the tree (the tree is complete: every node has all its children)");
    CHECK(ErrorOf(head + "p \"\" 1 1 \"\" { \"a\" \"b\" } 0\nt \"\" 0\n").find("bad.efg:4:1: the file ends before the tree is complete: node 1 still needs 1 more child node(s)") == 0);
    CHECK(ErrorOf(head + "t \"unterminated 0\n").find("bad.efg:2:3: unterminated string") == 0);
    CHECK(ErrorOf("NFG 1 R \"g\" { \"A\" } { 2 }\n").find("bad.efg:1:1: not a Gambit extensive-form file") == 0);
    CHECK(ErrorOf(head + "c \"\" 1 \"\" { \"h\" 1/2 \"t\" 1/3 } 0\nt \"\" 0\nt \"\" 0\n")
              .find("bad.efg:2:8: the probabilities of this chance move sum to 5/6, not 1") == 0);
    // Decimals are summed as written: 0.3 + 0.6 is 0.9 (it said 0.8999999999999999).
    CHECK(ErrorOf(head + "c \"\" 1 \"\" { \"h\" 0.3 \"t\" 0.6 } 0\nt \"\" 0\nt \"\" 0\n")
              .find("bad.efg:2:8: the probabilities of this chance move sum to 0.9, not 1") == 0);
    CHECK(ErrorOf(head + "t \"\" 5\n").find("bad.efg:2:6: outcome 5 is used before its payoffs are given") == 0);
    CHECK(ErrorOf(head + "p \"\" 1 7 0\nt \"\" 0\n").find("bad.efg:2:10: information set 7 of player 1 is used before its actions are given") == 0);
    CHECK(ErrorOf("").find("bad.efg:1:1: not a Gambit extensive-form file") == 0);
  }

  TEST_CASE("LocateEfgNode: the line and column of a node's record, in preorder") {
    // Node 0 on line 3; node 1 (chance) indented on line 4; nodes 2 and 3 share line 5 (3
    // starts at column 18); a label spelling "p" or "t" is a string, not a record.
    const std::string text = "EFG 2 R \"t\" { \"p\" }\n\"c\"\n"
                             "p \"p\" 1 1 \"t\" { \"a\" \"b\" } 0\n"
                             "  c \"\" 1 \"\" { \"h\" 1/2 \"t\" 1/2 } 0\n"
                             "t \"t\" 1 \"\" { 1 } t \"\" 2 \"\" { 2 }\n"
                             "t \"\" 3 \"\" { 3 }\n";
    REQUIRE(ReadEfg(text, "x.efg")->num_nodes() == 5);
    auto at = [&](NodeId v) { return LocateEfgNode(text, "x.efg", v).ToString(); };
    CHECK(at(0) == "x.efg:3:1");
    CHECK(at(1) == "x.efg:4:3");
    CHECK(at(2) == "x.efg:5:1");
    CHECK(at(3) == "x.efg:5:18");
    CHECK(at(4) == "x.efg:6:1");
    CHECK(at(5) == "x.efg");  // no such node: the file alone
  }

  TEST_CASE("labels are kept as written: escapes undone, repeated declarations compared by text") {
    // Set 1 of player 1 at nodes 1 and 3 (the second declaration repeats the list, as Gambit
    // writes it), set 2 with the very same labels, and escaped quotes in one label.
    const std::string head = "EFG 2 R \"g\" { \"A\" \"B\" }\n";
    const std::string body =
        "p \"\" 1 1 \"s\" { \"say \\\"yes\\\"\" \"no\" } 0\n"
        "p \"\" 2 1 \"t\" { \"x\" \"y\" } 0\n"
        "p \"\" 1 1 \"s\" { \"say \\\"yes\\\"\" \"no\" } 0\n"
        "t \"\" 1 \"o\" { 1 2 }\nt \"\" 0\nt \"\" 0\n"
        "p \"\" 1 2 \"s2\" { \"say \\\"yes\\\"\" \"no\" } 0\nt \"\" 0\nt \"\" 0\n";
    auto g = ReadEfg(head + body, "labels.efg");
    const model::InfosetId s = g->infoset(0);
    CHECK(g->infoset_label(s) == "s");
    CHECK(g->action_label(s, 0) == "say \"yes\"");
    CHECK(g->action_label(s, 1) == "no");
    CHECK(g->infoset(2) == s);  // the node declared again is in the same set
    const model::InfosetId s2 = g->infoset(g->num_nodes() - 3);
    CHECK(s2 != s);
    CHECK(g->infoset_label(s2) == "s2");
    CHECK(g->action_label(s2, 0) == "say \"yes\"");
    CHECK(g->action_label(s2, 1) == "no");
    // Declared again with a label that differs in one escaped character, or with one action
    // fewer: refused at the list.
    const std::string other =
        "p \"\" 1 1 \"s\" { \"say \\\"yes\\\"\" \"no\" } 0\n"
        "p \"\" 2 1 \"t\" { \"x\" \"y\" } 0\n"
        "p \"\" 1 1 \"s\" { \"say \\\"yet\\\"\" \"no\" } 0\n";
    CHECK(ErrorOf(head + other).find("bad.efg:4:10: information set 1 of player 1 is declared again with other actions") == 0);
    const std::string fewer =
        "p \"\" 1 1 \"s\" { \"a\" \"b\" } 0\n"
        "p \"\" 2 1 \"t\" { \"x\" \"y\" } 0\n"
        "p \"\" 1 1 \"s\" { \"a\" } 0\n";
    CHECK(ErrorOf(head + fewer).find("bad.efg:4:10: information set 1 of player 1 is declared again with other actions") == 0);
    // A set declared again with another label, likewise.
    CHECK(ErrorOf(head + "p \"\" 2 1 \"\" { \"x\" \"y\" } 0\np \"\" 1 1 \"first\" { \"L\" \"R\" } 0\nt \"\" 0\n"
                         "t \"\" 0\np \"\" 1 1 \"second\" { \"L\" \"R\" } 0\n") ==
          "bad.efg:6:10: information set 1 of player 1 is declared again with another label (\"second\"; it was "
          "\"first\" first); a set has one label");
    // An outcome declared again with another label: its first label was kept without a word.
    // Repeated with the same label, or by its number alone, it reads.
    const std::string outcomes = "p \"\" 1 1 \"\" { \"L\" \"R\" } 0\nt \"\" 1 \"win\" { 1 0 }\n";
    CHECK_NOTHROW(ReadEfg(head + outcomes + "t \"\" 1 \"win\" { 1 0 }\n", "ok.efg"));
    CHECK_NOTHROW(ReadEfg(head + outcomes + "t \"\" 1\n", "ok.efg"));
    CHECK(ErrorOf(head + outcomes + "t \"\" 1 \"lose\" { 1 0 }\n") ==
          "bad.efg:4:8: outcome 1 is declared again with another label (\"lose\"; it was \"win\" first); an "
          "outcome has one label");
  }

  TEST_CASE("a 15,000-deep centipede loads and solves without recursion") {
    std::string text = "EFG 2 R \"deep\" { \"A\" \"B\" }\n";
    const int depth = 15000;
    for (int i = 0; i < depth; ++i) {
      text += "p \"\" " + std::to_string(i % 2 + 1) + " " + std::to_string(i / 2 + 1) +
              " \"\" { \"take\" \"pass\" } 0\n";
      text += "t \"\" " + std::to_string(i + 1) + " \"\" { " + std::to_string(i % 2 ? i : i + 2) +
              " " + std::to_string(i % 2 ? i + 2 : i) + " }\n";
    }
    text += "t \"\" " + std::to_string(depth + 1) + " \"\" { " + std::to_string(depth + 1) + " " +
            std::to_string(depth + 1) + " }\n";
    auto g = ReadEfg(text, "deep.efg");
    CHECK(g->num_nodes() == 2 * depth + 1);
    auto again = ReadEfg(WriteEfgString(*g), "deep2.efg");
    CHECK(again->num_nodes() == g->num_nodes());
  }

  TEST_CASE("set and outcome numbers may be any numbers below 2^31, in any order") {
    // Player 1's sets are numbered 2000000000 and 3, outcomes 1999999999, 7 and 1; the
    // second node of set 2000000000 and the reuse of outcome 1999999999 refer back to them
    // after smaller numbers have been seen (which grows the reader's dense index past them
    // only if they were small: here they stay in its map).
    std::string text =
        "EFG 2 R \"numbers\" { \"A\" \"B\" }\n"
        "p \"\" 1 3 \"low\" { \"l\" \"r\" } 0\n"
        "p \"\" 1 2000000000 \"high\" { \"x\" \"y\" } 0\n"
        "t \"\" 1999999999 \"big\" { 5 6 }\n"
        "t \"\" 7 \"seven\" { 1 2 }\n"
        "p \"\" 1 2000000000 { \"x\" \"y\" } 0\n"
        "t \"\" 1 \"one\" { 0 0 }\n"
        "t \"\" 1999999999\n";
    auto g = ReadEfg(text, "numbers.efg");
    REQUIRE(g->num_nodes() == 7);
    // Preorder: 0 low, 1 high, 2 big, 3 seven, 4 high again, 5 one, 6 big again.
    CHECK(g->infoset(1) == g->infoset(4));
    CHECK(g->infoset(0) != g->infoset(1));
    CHECK(g->infoset_label(g->infoset(4)) == "high");
    CHECK(g->outcome(2) == g->outcome(6));
    CHECK(g->payoff(g->outcome(6), 0) == 5);
    CHECK(g->payoff(g->outcome(6), 1) == 6);
    CHECK(g->payoff(g->outcome(5), 1) == 0);
    // Many sets numbered 1, 2, 3, ...: the dense index grows many times over.
    std::string many = "EFG 2 R \"many\" { \"A\" }\n";
    const int sets = 5000;
    for (int i = 1; i <= sets; ++i) many += "p \"\" 1 " + std::to_string(i) + " { \"go\" \"stop\" } 0\nt \"\" " + std::to_string(i) + " { " + std::to_string(i) + " }\n";
    many += "t \"\" 1\n";
    auto chain = ReadEfg(many, "many.efg");
    CHECK(chain->num_infosets() == sets);
    CHECK(chain->payoff(chain->outcome(chain->num_nodes() - 1), 0) == 1);
  }

  TEST_CASE("fuzz: mutated files give parley::Error or a game, never a crash or a hang") {
    if (!testing::SharedOrSkip()) return;
    auto files = SharedEfgFiles();
    std::vector<std::string> texts;
    for (const auto& f : files)
      if (std::filesystem::file_size(f) < 20000) texts.push_back(ReadWholeFile(f));
    texts.push_back("EFG 2 R \"\" { \"A\" }\nt \"\" 0\n");
    std::mt19937 rng(12345);
    const std::string alphabet = "{}\"\\, 0123456789/.-+ecpt\nRabEFG";
    int errors = 0, games = 0;
    for (int iteration = 0; iteration < 4000; ++iteration) {
      std::string text = texts[rng() % texts.size()];
      int edits = 1 + rng() % 4;
      for (int e = 0; e < edits && !text.empty(); ++e) {
        std::size_t pos = rng() % text.size();
        switch (rng() % 4) {
          case 0: text[pos] = alphabet[rng() % alphabet.size()]; break;
          case 1: text.erase(pos, 1 + rng() % 8); break;
          case 2: text.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
          case 3: text.resize(pos); break;
        }
      }
      try {
        ReadEfg(text, "fuzz.efg", ReadOptions{100000});
        ++games;
      } catch (const Error&) {
        ++errors;
      }
    }
    CHECK(errors + games == 4000);
    CHECK(errors > 0);
  }
}

}  // namespace
}  // namespace parley::io
