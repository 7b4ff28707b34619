// The reduced strategic form (strategic_form.h): a hand-worked game, every Gambit .nfg back
// from its tree unchanged, every cell of the Gambit .efg games against the tree evaluated
// under that pure profile, agreement with the extensive --all enumeration, and the CLI.
#include <doctest/doctest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "solver/equilibrium/enumeration.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/strategic_form.h"
#include "solver/equilibrium/verify.h"
#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "solver/io/nfg.h"
#include "solver/model/error.h"
#include "solver/model/game_builder.h"
#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

// Chance: good (1/3) or bad (2/3). Good: Ann at A1 plays L -> (3, 0) or R; after R Bo at B
// plays x -> (0, 3) or y, and then Ann at A2 plays a -> (6, 6) or b -> (0, 0). Bad: Ann at A3
// plays U -> (1, 1) or D; after D Bo, at the same set B, plays x -> (2, 0) or y -> (0, 2).
const char* kReduced = R"(EFG 2 R "Reduced form" { "Ann" "Bo" }
""

c "" 1 "luck" { "good" 1/3 "bad" 2/3 } 0
p "" 1 1 "A1" { "L" "R" } 0
t "" 1 "" { 3 0 }
p "" 2 1 "B" { "x" "y" } 0
t "" 2 "" { 0 3 }
p "" 1 2 "A2" { "a" "b" } 0
t "" 3 "" { 6 6 }
t "" 4 "" { 0 0 }
p "" 1 3 "A3" { "U" "D" } 0
t "" 5 "" { 1 1 }
p "" 2 1 0
t "" 6 "" { 2 0 }
t "" 7 "" { 0 2 }
)";

Rational Cell(const model::NormalFormGame& t, std::uint32_t s1, std::uint32_t s2, int p) {
  std::vector<std::uint32_t> profile = {s1, s2};
  return t.payoff(t.Cell(profile), p).ToRational();
}

TEST_SUITE("strategic form") {
  TEST_CASE("a hand-worked reduced form: A2 only after R, chance-weighted payoffs") {
    auto game = io::ReadEfg(kReduced, "reduced.efg");
    model::NormalFormGame t = ReducedStrategicForm(*game);
    // Ann: A2 is open only after R, so 2 * 2 + 2 = 6 strategies instead of 8; Bo: 2.
    REQUIRE(t.num_strategies(0) == 6);
    REQUIRE(t.num_strategies(1) == 2);
    std::vector<std::string> ann;
    for (std::uint32_t s = 0; s < 6; ++s) ann.push_back(t.strategy_label(0, s));
    CHECK(ann == std::vector<std::string>{"L * U", "L * D", "R a U", "R a D", "R b U", "R b D"});
    CHECK(t.strategy_label(1, 1) == "y");
    // (L * U, x): 1/3 (3, 0) + 2/3 (1, 1) = (5/3, 2/3).
    CHECK(Cell(t, 0, 0, 0) == Rational(5, 3));
    CHECK(Cell(t, 0, 0, 1) == Rational(2, 3));
    // (R a D, y): 1/3 (6, 6) + 2/3 (0, 2) = (2, 10/3).
    CHECK(Cell(t, 3, 1, 0) == 2);
    CHECK(Cell(t, 3, 1, 1) == Rational(10, 3));
    // (R b D, x): 1/3 (0, 3) + 2/3 (2, 0) = (4/3, 1).
    CHECK(Cell(t, 5, 0, 0) == Rational(4, 3));
    CHECK(Cell(t, 5, 0, 1) == 1);
    // (R b U, y): 1/3 (0, 0) + 2/3 (1, 1) = (2/3, 2/3).
    CHECK(Cell(t, 4, 1, 0) == Rational(2, 3));
    // Written and read back: the same table.
    model::NormalFormGame back = io::ReadNfg(io::WriteNfgString(t), "back.nfg");
    REQUIRE(back.num_cells() == t.num_cells());
    for (std::size_t c = 0; c < t.num_cells(); ++c)
      for (int p = 0; p < 2; ++p) CHECK(back.payoff(c, p).ToRational() == t.payoff(c, p).ToRational());
    CHECK(back.strategy_label(0, 2) == "R a U");
  }

  TEST_CASE("strategies whose names would read alike get their numbers") {
    // After chance, A chooses at set 1 ("a b" or "a") or at set 2 ("c" or "b c"): the
    // strategies ("a b", "c") and ("a", "b c") both read "a b c", and an answer naming one did
    // not say which (they pay A (1 + 3) / 2 = 2 and (2 + 4) / 2 = 3).
    auto game = io::ReadEfg(R"(EFG 2 R "alike" { "A" "B" }
c "" 1 "" { "l" 1/2 "r" 1/2 } 0
p "" 1 1 "" { "a b" "a" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 2 0 }
p "" 1 2 "" { "c" "b c" } 0
t "" 3 "" { 3 0 }
t "" 4 "" { 4 0 }
)",
                            "alike.efg");
    model::NormalFormGame t = ReducedStrategicForm(*game);
    REQUIRE(t.num_strategies(0) == 4);
    std::vector<std::string> a;
    for (std::uint32_t s = 0; s < 4; ++s) a.push_back(t.strategy_label(0, s));
    CHECK(a == std::vector<std::string>{"a b c #1", "a b b c", "a c", "a b c #4"});
    CHECK(Cell(t, 0, 0, 0) == 2);
    CHECK(Cell(t, 3, 0, 0) == 3);
  }

  TEST_CASE("an .nfg comes back from its tree with its empty labels and its comment") {
    // Three players, an outcome list, one strategy without a label and a comment of its own
    // (a review's file): through the tree and back, "" became "#3" and the comment Parley's
    // note on strategy names.
    const std::string text = R"(NFG 1 R "outcome list \"3p\"" { "A" "B B" "" }
{ { "top" "bottom" } { "left side" "right\\" "" } { "x" "y" } }
"a comment"
{
{ "o1" 1, 2, 3 }
{ "" 0 0 0 }
{ "o3" 1/3 -0.5 1e-12 }
}
1 2 3 0 1 1 2 2 3 3 0 1
)";
    model::NormalFormGame table = io::ReadNfg(text, "outlist.nfg");
    REQUIRE(table.strategy_label(1, 2) == "");
    model::NormalFormGame back = ReducedStrategicForm(*table.ToExtensive());
    for (int p = 0; p < 3; ++p) {
      REQUIRE(back.num_strategies(p) == table.num_strategies(p));
      for (std::uint32_t s = 0; s < table.num_strategies(p); ++s)
        CHECK(back.strategy_label(p, s) == table.strategy_label(p, s));
    }
    CHECK(back.comment() == "a comment");
    CHECK(back.title() == table.title());
    for (std::size_t c = 0; c < table.num_cells(); ++c)
      for (int p = 0; p < 3; ++p) CHECK(back.payoff(c, p).ToRational() == table.payoff(c, p).ToRational());

    // The same through the command line, .nfg -> .efg -> .nfg.
    const std::string nfg = testing::WriteTempFile("outlist.nfg", text);
    const std::string efg = testing::BuildPath("test-tmp/outlist.efg");
    const std::string again = testing::BuildPath("test-tmp/outlist-again.nfg");
    REQUIRE(testing::RunParley("convert '" + nfg + "' '" + efg + "'").exit_code == 0);
    REQUIRE(testing::RunParley("convert '" + efg + "' '" + again + "'").exit_code == 0);
    const std::string written = testing::ReadFile(again);
    CHECK(written.find("{ \"left side\" \"right\\\\\" \"\" }") != std::string::npos);
    CHECK(written.find("\n\"a comment\"\n") != std::string::npos);

    // Two actions without labels at a player's one set are told apart by their numbers.
    model::NormalFormGame blank = ReducedStrategicForm(
        *io::ReadNfg("NFG 1 R \"\" { \"A\" \"B\" } { { \"\" \"\" } { \"l\" } }\n\"\"\n1 0 2 0\n", "blank.nfg")
             .ToExtensive());
    CHECK(blank.strategy_label(0, 0) == "#1");
    CHECK(blank.strategy_label(0, 1) == "#2");
  }

  TEST_CASE("among several sets an action without a label is #k, and a game without a comment gets the note") {
    // Ann's second set has actions "" and "b": her strategies name each set's action, and an
    // empty one would leave "R  U" (two spaces), so it is its number at the set.
    std::string text = kReduced;
    text.replace(text.find("{ \"a\" \"b\" }"), 11, "{ \"\" \"b\" }");
    auto game = io::ReadEfg(text, "blank-a.efg");
    model::NormalFormGame t = ReducedStrategicForm(*game);
    std::vector<std::string> ann;
    for (std::uint32_t s = 0; s < t.num_strategies(0); ++s) ann.push_back(t.strategy_label(0, s));
    CHECK(ann == std::vector<std::string>{"L * U", "L * D", "R #1 U", "R #1 D", "R b U", "R b D"});
    // The game has no comment: the table says how its strategies are named, and keeps saying
    // so through the tree made from it and back.
    CHECK(t.comment().rfind("Reduced strategic form of an extensive game: a strategy names", 0) == 0);
    model::NormalFormGame round = ReducedStrategicForm(*t.ToExtensive());
    CHECK(round.comment() == t.comment());
  }

  TEST_CASE("size limits stop before the work, naming the sizes") {
    auto game = io::ReadEfg(kReduced, "reduced.efg");
    StrategicFormOptions small;
    small.max_cells = 11;
    CHECK_THROWS_WITH_AS(ReducedStrategicForm(*game, small),
                         doctest::Contains("has 6 x 2 strategy profiles, more than 11"), LimitError);
    small.max_cells = 12;
    CHECK(ReducedStrategicForm(*game, small).num_cells() == 12);
    small.max_strategies = 5;
    CHECK_THROWS_WITH_AS(ReducedStrategicForm(*game, small),
                         doctest::Contains("Ann has more than 5 reduced pure strategies"),
                         LimitError);
  }

  TEST_CASE("many strategies of many sets stop at a memory budget, not at the count alone") {
    // A chain of 140,000 moves, players alternating, each able to stop: 70,000 sets each. A
    // reduced strategy holds an entry per set, so 10,000 of them would take 2.8 GB; the
    // budget of 64,000,000 entries stops at 914 (914 x 70,000 = 63,980,000).
    std::string text = "EFG 2 R \"chain\" { \"A\" \"B\" }\n";
    const int depth = 140000;
    for (int d = 0; d < depth; ++d) {
      text += "p \"\" " + std::to_string(d % 2 + 1) + " " + std::to_string(d / 2 + 1) + " \"\" { \"go\" \"stop\" } 0\n";
      if (d + 1 == depth) text += "t \"\" 1 \"end\" { 1 1 }\n";
    }
    // The stops, innermost first (preorder: each node's "stop" leaf follows its "go" subtree).
    for (int d = 0; d < depth; ++d) text += "t \"\" 2 \"stop\" { 0 0 }\n";
    auto game = io::ReadEfg(text, "chain.efg");
    CHECK_THROWS_WITH_AS(ReducedStrategicForm(*game, {}),
                         "A has more than 914 reduced pure strategies over 70000 information sets, more than fit "
                         "in memory here; the strategic form is written for small games only",
                         LimitError);
  }

  TEST_CASE("a table too large for a size_t is refused, not wrapped") {
    // Chance picks one of 5 x 13 branches; in each, one player makes a binary choice at a set
    // of its own. Each player has 13 independent sets: 2^13 = 8,192 strategies, and the table
    // 8,192^5 (about 3.8e19) cells, more than a 64-bit count holds.
    model::GameBuilder b({"P1", "P2", "P3", "P4", "P5"});
    const std::vector<std::string> two = {"l", "r"};
    std::vector<std::string> branches;
    std::vector<Number> probs;
    for (int k = 0; k < 65; ++k) {
      branches.push_back("b" + std::to_string(k));
      probs.emplace_back(Rational(1, 65), Number::Kind::kFraction);
    }
    NodeId root = b.AddNode(model::kNoNode, b.AddChanceInfoset("", branches, probs));
    std::vector<Number> zero(5, Number(0));
    model::OutcomeId o = b.AddOutcome("", zero);
    for (int k = 0; k < 65; ++k) {
      NodeId v = b.AddNode(root, b.AddInfoset(k % 5, "", two));
      b.AddTerminal(v, o);
      b.AddTerminal(v, o);
    }
    auto game = b.Build();
    StrategicFormOptions huge;
    huge.max_cells = std::numeric_limits<std::size_t>::max();
    CHECK_THROWS_WITH_AS(ReducedStrategicForm(*game, huge),
                         doctest::Contains("8192 x 8192 x 8192 x 8192 x 8192 strategy profiles"),
                         LimitError);
  }

  TEST_CASE("exact games stay exact even past 40-bit denominators") {
    // Thirty chance moves that go on with probability 1/3; the last pays 1. The only cell is
    // worth 3^-30, whose denominator (about 2^47.5) is larger than any stated number's.
    model::GameBuilder b({"Ann"});
    const std::vector<std::string> moves = {"on", "stop"};
    const std::vector<Number> probs = {Number(Rational(1, 3), Number::Kind::kFraction),
                                       Number(Rational(2, 3), Number::Kind::kFraction)};
    std::vector<Number> one = {Number(1)}, zero = {Number(0)};
    model::OutcomeId pay = b.AddOutcome("", one), nothing = b.AddOutcome("", zero);
    NodeId v = model::kNoNode;
    for (int k = 0; k < 30; ++k) {
      NodeId c = b.AddNode(v, b.AddChanceInfoset("", moves, probs));
      if (v != model::kNoNode) b.AddTerminal(v, nothing);  // v's "stop"
      v = c;
    }
    b.AddTerminal(v, pay);
    b.AddTerminal(v, nothing);
    auto game = b.Build();
    model::NormalFormGame t = ReducedStrategicForm(*game);
    REQUIRE(t.num_cells() == 1);
    Rational expected(1);
    for (int k = 0; k < 30; ++k) expected /= 3;
    CHECK(t.payoff(0, 0).IsExact());
    CHECK(t.payoff(0, 0).ToRational() == expected);
  }

  TEST_CASE("every Gambit .nfg comes back unchanged from its tree") {
    if (!testing::SharedOrSkip()) return;
    auto ref = nlohmann::json::parse(testing::ReadFile(testing::SharedPath("gambit-games/reference.json")));
    int games = 0;
    for (auto& [key, entry] : ref.items()) {
      if (key.rfind("nfg/", 0) != 0) continue;
      CAPTURE(key);
      std::string path = testing::SharedPath("gambit-games/" + key);
      model::NormalFormGame table = io::ReadNfg(testing::ReadFile(path), path);
      model::NormalFormGame back = ReducedStrategicForm(*table.ToExtensive());
      REQUIRE(back.num_players() == table.num_players());
      for (int p = 0; p < table.num_players(); ++p) {
        REQUIRE(back.num_strategies(p) == table.num_strategies(p));
        for (std::uint32_t s = 0; s < table.num_strategies(p); ++s)
          CHECK(back.strategy_label(p, s) == table.strategy_label(p, s));
      }
      for (std::size_t c = 0; c < table.num_cells(); ++c)
        for (int p = 0; p < table.num_players(); ++p)
          CHECK(back.payoff(c, p).ToRational() == table.payoff(c, p).ToRational());
      ++games;
    }
    CHECK(games == 44);
  }

  TEST_CASE("every cell of the Gambit .efg games equals the tree under that pure profile") {
    // Independent of the leaf walk: each strategy becomes a pure behaviour profile (any action
    // at excluded sets) and the tree is evaluated exactly by NodeValuesAs.
    if (!testing::SharedOrSkip()) return;
    auto ref = nlohmann::json::parse(testing::ReadFile(testing::SharedPath("gambit-games/reference.json")));
    int games = 0;
    for (auto& [key, entry] : ref.items()) {
      if (key.rfind("efg/", 0) != 0 || entry["perfect_recall"] != true) continue;
      CAPTURE(key);
      auto game = io::LoadGame(testing::SharedPath("gambit-games/" + key));
      StrategicFormOptions options;
      options.max_cells = 200'000;
      model::NormalFormGame t = [&] {
        try {
          return ReducedStrategicForm(*game, options);
        } catch (const LimitError&) {
          return model::NormalFormGame({"skip"}, {{"-"}});
        }
      }();
      if (t.num_players() != game->num_players()) continue;  // too large for this test
      const int np = game->num_players();
      std::vector<ReducedStrategies> reduced;
      for (int p = 0; p < np; ++p)
        reduced.push_back(EnumerateReducedStrategies(*game, p, options.max_strategies, ""));
      ActionIndex index(*game);
      std::vector<Rational> behavior(index.size(), Rational(0));
      for (model::InfosetId h = 0; h < game->num_infosets(); ++h)
        if (game->infoset_player(h) == model::kChancePlayer)
          for (std::uint32_t a = 0; a < game->num_actions(h); ++a)
            behavior[index(h, a)] = game->exact_chance_prob(h, a);
      // Every cell of small tables; a fixed stride through larger ones (about 300 cells).
      std::size_t step = std::max<std::size_t>(1, t.num_cells() / 300);
      for (std::size_t c = 0; c < t.num_cells(); c += step) {
        std::vector<std::uint32_t> profile = t.Profile(c);
        for (int p = 0; p < np; ++p) {
          const ReducedStrategies& r = reduced[p];
          for (std::size_t k = 0; k < r.sets.size(); ++k) {
            std::uint32_t a = r.strategies[profile[p]][k];
            for (std::uint32_t b = 0; b < game->num_actions(r.sets[k]); ++b)
              behavior[index(r.sets[k], b)] = (a == kExcludedSet ? 0u : a) == b ? 1 : 0;
          }
        }
        std::vector<Rational> values = NodeValuesAs<Rational>(*game, index, behavior);
        for (int p = 0; p < np; ++p) CHECK(t.payoff(c, p).ToRational() == values[p]);
      }
      ++games;
    }
    CHECK(games >= 40);
  }

  TEST_CASE("the strategic form's extreme equilibria are the extensive --all answers") {
    // On two-player games whose only proper subgame is the whole game, --all lists the extreme
    // Nash equilibria of the reduced form computed from the sequence form; here the table comes
    // from the leaf walk instead.
    if (!testing::SharedOrSkip()) return;
    auto ref = nlohmann::json::parse(testing::ReadFile(testing::SharedPath("gambit-games/reference.json")));
    int games = 0;
    for (auto& [key, entry] : ref.items()) {
      if (key.rfind("efg/", 0) != 0 || entry["num_players"] != 2 ||
          entry["perfect_recall"] != true || entry["proper_subgames"] != 1)
        continue;
      CAPTURE(key);
      auto game = io::LoadGame(testing::SharedPath("gambit-games/" + key));
      StrategicFormOptions options;
      options.max_cells = 60;  // vertex enumeration of a 9 x 8 table takes about 2 s
      model::NormalFormGame t = [&] {
        try {
          return ReducedStrategicForm(*game, options);
        } catch (const LimitError&) {
          return model::NormalFormGame({"skip"}, {{"-"}});
        }
      }();
      if (t.num_players() != 2) continue;
      Bimatrix bm;
      bm.rows = t.num_strategies(0);
      bm.cols = t.num_strategies(1);
      for (std::size_t i = 0; i < bm.rows; ++i)
        for (std::size_t j = 0; j < bm.cols; ++j) {
          std::vector<std::uint32_t> profile = {static_cast<std::uint32_t>(i),
                                                static_cast<std::uint32_t>(j)};
          bm.a.push_back(t.payoff(t.Cell(profile), 0).ToRational());
          bm.b.push_back(t.payoff(t.Cell(profile), 1).ToRational());
        }
      std::set<std::pair<Rational, Rational>> from_table, from_tree;
      try {
        for (const MixedPair& e : ExtremeEquilibria(bm)) from_table.insert({e.u, e.v});
        for (const auto& eq : EnumerateExtremeEquilibria(*game).equilibria)
          from_tree.insert({eq.exact_payoffs[0], eq.exact_payoffs[1]});
      } catch (const LimitError&) {
        continue;
      }
      CHECK(from_table == from_tree);
      ++games;
    }
    CHECK(games >= 5);
  }

  TEST_CASE("CLI: convert GAME.efg OUT.nfg, and the limits") {
    std::string efg = testing::WriteTempFile("reduced.efg", kReduced);
    std::string nfg = testing::BuildPath("test-tmp/reduced.nfg");
    auto r = testing::RunParley("convert '" + efg + "' '" + nfg + "'");
    REQUIRE(r.exit_code == 0);
    model::NormalFormGame t = io::ReadNfg(testing::ReadFile(nfg), nfg);
    CHECK(t.num_cells() == 12);
    CHECK(t.payoff(0, 0).ToRational() == Rational(5, 3));
    auto limited = testing::RunParley("convert '" + efg + "' '" + nfg + "' --max-profiles 5");
    CHECK(limited.exit_code == 1);
    CHECK(limited.err.find("has 6 x 2 strategy profiles, more than 5") != std::string::npos);
    // The good file is still there, whole.
    CHECK(io::ReadNfg(testing::ReadFile(nfg), nfg).num_cells() == 12);
    auto bad = testing::RunParley("convert '" + efg + "' out.xyz");
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("convert writes .efg (Gambit), .nfg (Gambit, strategic form) or .json") !=
          std::string::npos);
  }
}

}  // namespace
}  // namespace parley::equilibrium
