// Numbers stated exactly survive writing: .efg, .nfg and Parley's JSON write them exactly (the
// shortest exact decimal when there is one, else p/q), each on its own, whatever the other
// numbers of the game are; doubles computed in floating point as round-trip decimals.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "solver/equilibrium/strategic_form.h"
#include "solver/io/efg.h"
#include "solver/io/game_json.h"
#include "solver/io/nfg.h"
#include "solver/model/game_builder.h"
#include "solver/model/number_text.h"

namespace parley::io {
namespace {

// Payoffs that are not short decimals: a decimal of 23 digits, a fraction over 2^81 (its
// decimal is 81 digits long), 1/10^20, 1e-15; with 1/3 and 0.1 (short, written as before), and
// a chance move of 1/10^20 against its complement.
constexpr const char* kStated = R"(EFG 2 R "stated" { "A" "B" }
""
c "" 1 "coin" { "x" 1/100000000000000000000 "y" 99999999999999999999/100000000000000000000 } 0
p "" 1 1 "A" { "U" "D" } 0
p "" 2 1 "B" { "l" "r" } 0
t "" 1 "" { 1.0000000000000000000001 3/2417851639229258349412352 }
t "" 2 "" { 1/3 0.1 }
p "" 2 1 0
t "" 3 "" { 1e-15 1/100000000000000000000 }
t "" 4 "" { -1.0000000000000000000001 0 }
t "" 5 "" { 2 1 }
)";

void CheckSameNumbers(const model::Game& a, const model::Game& b) {
  REQUIRE(a.num_outcomes() == b.num_outcomes());
  REQUIRE(a.num_infosets() == b.num_infosets());
  for (model::OutcomeId o = 0; o < a.num_outcomes(); ++o)
    for (int p = 0; p < a.num_players(); ++p) CHECK(a.exact_payoff(o, p) == b.exact_payoff(o, p));
  for (model::InfosetId h = 0; h < a.num_infosets(); ++h)
    if (a.infoset_player(h) == model::kChancePlayer)
      for (std::uint32_t k = 0; k < a.num_actions(h); ++k)
        CHECK(a.exact_chance_prob(h, k) == b.exact_chance_prob(h, k));
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_SUITE("io.exact_numbers") {
  TEST_CASE("ExactNumberText: short denominators as p/q, else the exact decimal or p/q, shorter first") {
    CHECK(ExactNumberText(Rational(3)) == "3");
    CHECK(ExactNumberText(Rational(-1, 2)) == "-1/2");
    CHECK(ExactNumberText(Rational(1, 10)) == "1/10");  // as Parley has always written it
    CHECK(ExactNumberText(Rational(1, 3)) == "1/3");
    CHECK(ExactNumberText(Rational("1/1000000000000000")) == "1e-15");
    CHECK(ExactNumberText(Rational("-1/100000000000000000000")) == "-1e-20");
    CHECK(ExactNumberText(Rational("10000000000000000000001/10000000000000000000000")) ==
          "1.0000000000000000000001");
    CHECK(ExactNumberText(Rational("123/10000000000000")) == "1.23e-11");
    CHECK(ExactNumberText(Rational("1234567890123/10000000000000")) == "0.1234567890123");
    CHECK(ExactNumberText(Rational("3/2417851639229258349412352")) == "3/2417851639229258349412352");
    CHECK(ExactNumberText(Rational("1/1152921504606846976")) == "1/1152921504606846976");  // 2^-60
    CHECK(ExactNumberText(Rational("1/300000000000000000000")) == "1/300000000000000000000");
    // Every text reads back as the same rational.
    for (const char* q : {"1/1000000000000000", "-10000000000000000000001/10000000000000000000000",
                          "3/2417851639229258349412352", "123/10000000000000", "7/1099511627776000",
                          "100000000000000000000000000001/100000000000000"}) {
      Number x;
      REQUIRE(Number::Parse(ExactNumberText(Rational(q)), &x));
      CHECK(x.ToRational() == Rational(q));
    }
  }

  TEST_CASE(".efg: numbers stated exactly are written exactly and read back the same") {
    auto game = ReadEfg(kStated, "stated.efg");
    const std::string text = WriteEfgString(*game);
    CHECK(Has(text, "{ 1.0000000000000000000001 3/2417851639229258349412352 }"));
    CHECK(Has(text, "{ 1/3 1/10 }"));
    CHECK(Has(text, "{ 1e-15 1e-20 }"));
    CHECK(Has(text, "\"x\" 1e-20 \"y\" 0.99999999999999999999"));
    auto back = ReadEfg(text, "back.efg");
    CheckSameNumbers(*game, *back);
    CHECK(WriteEfgString(*back) == text);
  }

  TEST_CASE("game JSON: numbers stated exactly are exact strings and read back the same") {
    auto game = ReadEfg(kStated, "stated.efg");
    const std::string text = WriteGameJson(*game);
    CHECK(Has(text, "\"1.0000000000000000000001\""));
    CHECK(Has(text, "\"3/2417851639229258349412352\""));
    CHECK(Has(text, "\"1/3\""));
    auto back = ReadGameJson(text, "back.json");
    CHECK(back->numbers_stated_exactly());
    CheckSameNumbers(*game, *back);
  }

  TEST_CASE(".nfg: each cell exact on its own, one long number does not turn the table into doubles") {
    // The probe's 2 x 2: {1/3, 0}, {0, 1}, {0, 1}, {1/10^20, 0}.
    auto game = ReadEfg(R"(EFG 2 R "f1" { "A" "B" }
""
p "" 1 1 "A" { "U" "D" } 0
p "" 2 1 "B" { "l" "r" } 0
t "" 1 "" { 1/3 0 }
t "" 2 "" { 0 1 }
p "" 2 1 0
t "" 3 "" { 0 1 }
t "" 4 "" { 1/100000000000000000000 1e-15 }
)", "f1.efg");
    model::NormalFormGame table = equilibrium::ReducedStrategicForm(*game);
    const std::string text = WriteNfgString(table);
    CHECK(Has(text, "\n1/3 0 0 1 0 1 1e-20 1e-15\n"));
    model::NormalFormGame back = ReadNfg(text, "f1.nfg");
    REQUIRE(back.num_cells() == 4);
    CHECK(back.payoff(0, 0).ToRational() == Rational(1, 3));
    CHECK(back.payoff(3, 0).ToRational() == Rational("1/100000000000000000000"));
    CHECK(back.payoff(3, 1).ToRational() == Rational("1/1000000000000000"));
    CHECK(WriteNfgString(back) == text);
    // The whole stated game of the .efg tests: every cell, with chance, exactly.
    auto stated = ReadEfg(kStated, "stated.efg");
    model::NormalFormGame big = equilibrium::ReducedStrategicForm(*stated);
    model::NormalFormGame big_back = ReadNfg(WriteNfgString(big), "big.nfg");
    REQUIRE(big_back.num_cells() == big.num_cells());
    for (std::size_t c = 0; c < big.num_cells(); ++c)
      for (int p = 0; p < 2; ++p) CHECK(big_back.payoff(c, p).ToRational() == big.payoff(c, p).ToRational());
  }

  TEST_CASE(".nfg read and written: a player without a name is written as Player k") {
    // As in every other output (GameBuilder names them so): an .nfg copied as a table kept "".
    const std::string text = WriteNfgString(ReadNfg("NFG 1 R \"t\" { \"\" \"Player 1\" } { 1 1 }\n1 2\n", "t.nfg"));
    CHECK(text.rfind("NFG 1 R \"t\" { \"Player 1'\" \"Player 1\" }", 0) == 0);
  }

  TEST_CASE(".nfg read and written: outcome lists and tables keep every number exactly") {
    const std::string file = R"(NFG 1 R "t" { "A" "B" } { 2 1 }

1.0000000000000000000001 -3/2417851639229258349412352 1/3 1e-15
)";
    model::NormalFormGame table = ReadNfg(file, "t.nfg");
    const std::string text = WriteNfgString(table);
    CHECK(Has(text, "1.0000000000000000000001 -3/2417851639229258349412352 1/3 1e-15"));
    model::NormalFormGame back = ReadNfg(text, "back.nfg");
    for (std::size_t c = 0; c < 2; ++c)
      for (int p = 0; p < 2; ++p) CHECK(back.payoff(c, p).ToRational() == table.payoff(c, p).ToRational());
  }

  TEST_CASE("a file written from computed numbers stays computed, whatever its numbers look like") {
    // 1e23 and 0.5 as JSON floats were computed: 1e23's double is the integer
    // 99999999999999991611392, which the writers spell exactly, as they spell 0.5 as 1/2.
    // Read back, neither may count as stated (--exact would claim an exact answer the game
    // it came from does not have), and writing the file again keeps the mark.
    auto game = ReadGameJson(R"({"format": "parley.game", "version": 1, "players": ["A", "B"],
        "infosets": [{"player": 1, "actions": ["a", "b"]}],
        "outcomes": [{"payoffs": [1e23, 2]}, {"payoffs": [0.5, 0]}],
        "nodes": [{"infoset": 0}, {"outcome": 0}, {"outcome": 1}]})",
                             "computed.json");
    REQUIRE_FALSE(game->numbers_stated_exactly());
    const std::string efg = WriteEfgString(*game);
    CHECK(Has(efg, "{ 99999999999999991611392 2 }"));
    CHECK(Has(efg, "[parley] numbers computed"));
    auto back = ReadEfg(efg, "back.efg");
    CHECK_FALSE(back->numbers_stated_exactly());
    CHECK(back->payoff(0, 0) == 1e23);
    CHECK(WriteEfgString(*back) == efg);
    // The strategic form: marked too, though its cells are an integer and a fraction, and
    // read back as the same computed doubles, written again byte for byte.
    const std::string nfg = WriteNfgString(equilibrium::ReducedStrategicForm(*game));
    CHECK(Has(nfg, "[parley] numbers computed"));
    CHECK(Has(nfg, "\n99999999999999991611392 2 1/2 0\n"));
    model::NormalFormGame table = ReadNfg(nfg, "t.nfg");
    CHECK(WriteNfgString(table) == nfg);
    CHECK_FALSE(table.ToExtensive()->numbers_stated_exactly());
    // Parley's JSON: "computed" read and written again.
    auto json_back = ReadGameJson(WriteGameJson(*back), "back.json");
    CHECK_FALSE(json_back->numbers_stated_exactly());
  }

  TEST_CASE("a game with computed doubles: those as round-trip decimals, stated ones still exact") {
    // A JSON float is a double computed in floating point; a string is stated.
    auto game = ReadGameJson(R"({"format": "parley.game", "version": 1, "players": ["A", "B"],
        "infosets": [{"player": 1, "actions": ["a", "b"]}],
        "outcomes": [{"payoffs": [0.30000000000000004, "1.0000000000000000000001"]},
                     {"payoffs": [0.5, "1/3"]}],
        "nodes": [{"infoset": 0}, {"outcome": 0}, {"outcome": 1}]})",
                             "mixed.json");
    CHECK_FALSE(game->numbers_stated_exactly());
    CHECK(game->payoff_text(0, 0) == "0.30000000000000004");
    CHECK(game->payoff_text(0, 1) == "1.0000000000000000000001");
    CHECK(game->payoff_text(1, 0) == "1/2");
    CHECK(game->payoff_text(1, 1) == "1/3");
    auto back = ReadEfg(WriteEfgString(*game), "back.efg");
    CHECK(back->payoff(0, 0) == 0.30000000000000004);
    CHECK(back->exact_payoff(0, 1) == game->exact_payoff(0, 1));
    // Its strategic form holds doubles (a computed number is in it, and cells are sums of
    // products): the nearest ones.
    const std::string nfg = WriteNfgString(equilibrium::ReducedStrategicForm(*game));
    CHECK(Has(nfg, "\n0.30000000000000004 1 1/2 0.3333333333333333\n"));
    // Computed numbers that are short fractions (0.5) leave the stated ones exact in the table.
    auto short_floats = ReadGameJson(R"({"format": "parley.game", "version": 1, "players": ["A", "B"],
        "infosets": [{"player": 1, "actions": ["a", "b"]}],
        "outcomes": [{"payoffs": [0.5, "1.0000000000000000000001"]}, {"payoffs": [0.25, "1e-15"]}],
        "nodes": [{"infoset": 0}, {"outcome": 0}, {"outcome": 1}]})",
                                     "short.json");
    CHECK_FALSE(short_floats->numbers_stated_exactly());
    CHECK(Has(WriteNfgString(equilibrium::ReducedStrategicForm(*short_floats)),
              "\n1/2 1.0000000000000000000001 1/4 1e-15\n"));
  }

  TEST_CASE("a game with computed numbers reads back computed: the .efg comment's mark, JSON's field") {
    // 1 - 0.9 is 0.09999999999999998 in doubles: written as that decimal, it would read back
    // as the fraction 4999999999999999/50000000000000000, stated exactly, and --exact on the
    // file would claim an exact answer the scenario never had.
    const double computed = 1 - 0.9;
    model::GameBuilder b({"A", "B"});
    b.SetComment("from a scenario");
    const std::vector<std::string> actions{"a", "b"};
    const std::vector<Number> probs{Number(0.7), Number(1 - 0.7)};  // 0.30000000000000004
    const model::NodeId root = b.AddNode(model::kNoNode, b.AddChanceInfoset("c", actions, probs));
    b.AddTerminal(root, b.AddOutcome(std::vector<double>{0.9, computed}));
    b.AddTerminal(root, b.AddOutcome(std::vector<double>{2, 0.5}));
    const model::GamePtr game = b.Build();
    REQUIRE_FALSE(game->numbers_stated_exactly());
    const std::string efg = WriteEfgString(*game);
    CHECK(Has(efg, "\"from a scenario\n" + std::string(kComputedMark) + "\"\n"));
    CHECK(Has(efg, "0.09999999999999998"));
    for (const model::GamePtr& back : {ReadEfg(efg, "back.efg"), ReadGameJson(WriteGameJson(*game), "back.json")}) {
      CHECK_FALSE(back->numbers_stated_exactly());
      CHECK(back->comment() == "from a scenario");
      CHECK(back->payoff(0, 1) == computed);
      CHECK(back->exact_payoff(0, 1) == ExactRational(computed));  // the double's own value
      CHECK(back->chance_prob(0, 1) == 1 - 0.7);
      CHECK(back->payoff_text(1, 0) == "2");
      // Written again, the same file.
      CHECK(WriteEfgString(*back) == efg);
    }
    // Without the mark the decimals are stated exactly, as in any other file.
    std::string plain = efg;
    plain.replace(plain.find("\n" + std::string(kComputedMark)), kComputedMark.size() + 1, "");
    const model::GamePtr stated = ReadEfg(plain, "edited.efg");
    CHECK(stated->numbers_stated_exactly());
    CHECK(stated->exact_payoff(0, 1) == Rational("4999999999999999/50000000000000000"));
    // A stated game gets no mark, and a mark in the middle of a comment is only text.
    model::GameBuilder s({"A"});
    s.SetComment(std::string(kComputedMark) + "\nmore");
    const std::vector<std::string> one{"x"};
    s.AddTerminal(s.AddNode(model::kNoNode, s.AddInfoset(0, "", one)), s.AddOutcome(std::vector<double>{1}));
    const model::GamePtr exact = s.Build();
    REQUIRE(exact->numbers_stated_exactly());
    const model::GamePtr again = ReadEfg(WriteEfgString(*exact), "again.efg");
    CHECK(again->numbers_stated_exactly());
    CHECK(again->comment() == exact->comment());
    CHECK_FALSE(Has(WriteGameJson(*exact), "\"computed\""));
  }

  TEST_CASE("a strategic form of computed numbers reads back computed: the .nfg comment's mark") {
    // As for .efg above: the table of a scenario's game holds doubles (0.09999999999999998,
    // 1 - 0.9), and read back without the mark they would be stated fractions.
    const double computed = 1 - 0.9;
    model::GameBuilder b({"A", "B"});
    b.SetComment("from a scenario");
    const std::vector<std::string> actions{"a", "b"};
    const model::NodeId root = b.AddNode(model::kNoNode, b.AddInfoset(0, "A", actions));
    b.AddTerminal(root, b.AddOutcome(std::vector<double>{0.9, computed}));
    b.AddTerminal(root, b.AddOutcome(std::vector<double>{2, 0.5}));
    const model::GamePtr game = b.Build();
    REQUIRE_FALSE(game->numbers_stated_exactly());
    const std::string nfg = WriteNfgString(equilibrium::ReducedStrategicForm(*game));
    CHECK(Has(nfg, "\"from a scenario\n" + std::string(kComputedMark) + "\"\n"));
    CHECK(Has(nfg, "0.09999999999999998"));
    const model::NormalFormGame table = ReadNfg(nfg, "back.nfg");
    CHECK(table.numbers_computed());
    CHECK(table.comment() == "from a scenario");
    CHECK(WriteNfgString(table) == nfg);  // written again, the same file
    const model::GamePtr back = table.ToExtensive();
    CHECK_FALSE(back->numbers_stated_exactly());
    bool found = false;
    for (model::OutcomeId o = 0; o < back->num_outcomes(); ++o)
      if (back->payoff(o, 1) == computed) {
        found = true;
        CHECK(back->exact_payoff(o, 1) == ExactRational(computed));  // the double's own value
      }
    CHECK(found);
    // Without the mark the decimals are stated exactly, as in any other file.
    std::string plain = nfg;
    plain.replace(plain.find("\n" + std::string(kComputedMark)), kComputedMark.size() + 1, "");
    const model::NormalFormGame stated = ReadNfg(plain, "edited.nfg");
    CHECK_FALSE(stated.numbers_computed());
    CHECK(stated.ToExtensive()->numbers_stated_exactly());
    // A stated table gets no mark.
    CHECK_FALSE(Has(WriteNfgString(equilibrium::ReducedStrategicForm(*ReadEfg(kStated, "stated.efg"))), "[parley]"));
  }
}

}  // namespace
}  // namespace parley::io
