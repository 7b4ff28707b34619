// The game model: builder validation, preorder layout, exact numbers.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "solver/model/error.h"
#include "solver/model/game_builder.h"

namespace parley::model {
namespace {

// Two players, A's set and B's set with actions a and b, outcomes one (1, 2) and two (3, 4):
// the parts of the small trees below, whose nodes the tests add in different orders.
struct TwoSets {
  GameBuilder b{{"A", "B"}};
  std::vector<std::string> ab{"a", "b"};
  InfosetId ha = b.AddInfoset(0, "A moves", ab);
  InfosetId hb = b.AddInfoset(1, "B moves", ab);
  OutcomeId o1 = b.AddOutcome("one", std::vector<Number>{1, 2});
  OutcomeId o2 = b.AddOutcome("two", std::vector<Number>{3, 4});
};

TEST_SUITE("model") {
  TEST_CASE("labels keep their text in the arena: long, short, empty, repeated and unicode") {
    // Every label's text must come back byte for byte, whatever its length (labels of more
    // than 15 bytes once lived outside std::string's own buffer) and after 10,000 more labels
    // have grown the arena.
    GameBuilder b({"A"});
    const std::string long_label(100, 'x');
    std::vector<std::string> actions{"", long_label, "\xc3\xa9t\xc3\xa9", "a"};
    InfosetId h = b.AddInfoset(0, "the set", actions);
    std::vector<std::string> many;
    for (int i = 0; i < 10000; ++i) many.push_back("label " + std::to_string(i));
    InfosetId h2 = b.AddInfoset(0, "", many);
    InfosetId h3 = b.AddInfoset(0, "the set", actions);
    OutcomeId o = b.AddOutcome("outcome label", std::vector<Number>{7});
    NodeId root = b.AddNode(kNoNode, h, kNoOutcome, "root label");
    b.AddTerminal(root, o);
    NodeId mid = b.AddNode(root, h2);
    for (int i = 0; i < 10000; ++i) b.AddTerminal(mid, o, i == 9999 ? "last" : "");
    NodeId other = b.AddNode(root, h3);
    for (int i = 0; i < 4; ++i) b.AddTerminal(other, o);
    b.AddTerminal(root, o);
    GamePtr g = b.Build();
    CHECK(g->node_label(0) == "root label");
    CHECK(g->node_label(1).empty());
    CHECK(g->node_label(g->children(2)[9999]) == "last");
    CHECK(g->infoset_label(g->infoset(0)) == "the set");
    CHECK(g->infoset_label(g->infoset(2)).empty());
    for (std::uint32_t a = 0; a < 4; ++a)
      CHECK(g->action_label(g->infoset(0), a) == actions[a]);
    CHECK(g->action_label(g->infoset(2), 0) == "label 0");
    CHECK(g->action_label(g->infoset(2), 9999) == "label 9999");
    CHECK(g->outcome_label(g->outcome(1)) == "outcome label");
    // Equal labels are interned once: the two sets' labels are the same bytes of the arena.
    const InfosetId s0 = g->infoset(0), s1 = g->infoset(g->children(0)[2]);
    REQUIRE(s0 != s1);
    CHECK(g->action_label(s0, 1).data() == g->action_label(s1, 1).data());
  }

  TEST_CASE("nodes are renumbered in preorder whatever order they were added in") {
    TwoSets t;
    GameBuilder& b = t.b;
    const InfosetId ha = t.ha, hb = t.hb;
    const OutcomeId o1 = t.o1, o2 = t.o2;
    NodeId root = b.AddNode(kNoNode, ha);
    NodeId left = b.AddNode(root, hb);
    NodeId right = b.AddTerminal(root, o1, "right leaf");
    b.AddTerminal(left, o2);
    b.AddTerminal(left, o1);
    (void)right;
    GamePtr g = b.Build();
    REQUIRE(g->num_nodes() == 5);
    // Preorder: root 0, left 1, its leaves 2 and 3, then the right leaf 4.
    CHECK(g->kind(0) == NodeKind::kDecision);
    CHECK(g->kind(1) == NodeKind::kDecision);
    CHECK(g->node_label(4) == "right leaf");
    CHECK(g->children(0)[0] == 1);
    CHECK(g->children(0)[1] == 4);
    CHECK(g->subtree_end(0) == 5);
    CHECK(g->subtree_end(1) == 4);
    CHECK(g->parent(3) == 1);
    CHECK(g->action_into(4) == 1);
    CHECK(g->perfect_information());
    CHECK(g->num_terminals() == 3);
    CHECK(g->payoff(g->outcome(2), 1) == 4);
    // The Boost.Graph view agrees with the arrays.
    CHECK(boost::num_vertices(g->tree()) == 5);
    CHECK(boost::num_edges(g->tree()) == 4);
    // The mover: player(v) is defined at decision and chance nodes only; nobody moves at a
    // leaf, and asking is a bug (a PARLEY_CHECK failure), not a magic number.
    CHECK(g->player(0) == 0);
    CHECK(g->player(1) == 1);
    CHECK_THROWS_AS(g->player(4), InternalError);
  }

  TEST_CASE("a game added in preorder keeps its numbering and a Boost.Graph view of its edges") {
    // The same game as above, added in preorder (as the .efg reader does): the builder then
    // hands its arrays over unpermuted, and the CSR arrays must still describe the tree.
    TwoSets t;
    GameBuilder& b = t.b;
    const InfosetId ha = t.ha, hb = t.hb;
    const OutcomeId o1 = t.o1, o2 = t.o2;
    NodeId root = b.AddNode(kNoNode, ha, kNoOutcome, "root");
    NodeId left = b.AddNode(root, hb);
    b.AddTerminal(left, o2, "first leaf");
    b.AddTerminal(left, o1);
    b.AddTerminal(root, o1, "right leaf");
    GamePtr g = b.Build();
    REQUIRE(g->num_nodes() == 5);
    CHECK(g->node_label(0) == "root");
    CHECK(g->node_label(2) == "first leaf");
    CHECK(g->node_label(3) == "");
    CHECK(g->node_label(4) == "right leaf");
    CHECK(g->parent(4) == 0);
    CHECK(g->action_into(3) == 1);
    CHECK(g->subtree_end(1) == 4);
    CHECK(g->payoff(g->outcome(2), 0) == 3);
    CHECK(boost::num_vertices(g->tree()) == 5);
    CHECK(boost::num_edges(g->tree()) == 4);
    std::vector<NodeId> targets;
    for (NodeId v = 0; v < 5; ++v)
      for (auto [it, end] = boost::adjacent_vertices(v, g->tree()); it != end; ++it)
        targets.push_back(*it);
    CHECK(targets == std::vector<NodeId>{1, 4, 2, 3});  // 0 -> 1, 4; 1 -> 2, 3
  }

  TEST_CASE("validation names what is wrong") {
    std::vector<std::string> ab{"a", "b"};
    SUBCASE("missing children") {
      GameBuilder b({"A"});
      InfosetId h = b.AddInfoset(0, "", ab);
      NodeId r = b.AddNode(kNoNode, h);
      b.AddTerminal(r, kNoOutcome);
      CHECK_THROWS_WITH_AS(b.Build(), doctest::Contains("has 1 children but its information set has 2 actions"),
                           ValidationError);
    }
    SUBCASE("two roots") {
      GameBuilder b({"A"});
      b.AddTerminal(kNoNode, kNoOutcome);
      CHECK_THROWS_WITH_AS(b.AddTerminal(kNoNode, kNoOutcome), doctest::Contains("more than one root"),
                           ValidationError);
    }
    SUBCASE("player out of range") {
      GameBuilder b({"A"});
      CHECK_THROWS_WITH_AS(b.AddInfoset(1, "", ab), doctest::Contains("player 2 does not exist"),
                           ValidationError);
    }
    SUBCASE("decision without actions") {
      GameBuilder b({"A"});
      CHECK_THROWS_AS(b.AddInfoset(0, "", std::vector<std::string>{}), ValidationError);
    }
    SUBCASE("payoff count") {
      GameBuilder b({"A", "B"});
      CHECK_THROWS_WITH_AS(b.AddOutcome("", std::vector<Number>{1}),
                           doctest::Contains("1 payoffs but the game has 2 players"), ValidationError);
    }
    SUBCASE("exact probabilities must sum to exactly 1") {
      GameBuilder b({"A"});
      InfosetId h = b.AddChanceInfoset("coin", ab, std::vector<Number>{Number(Rational(1, 3), Number::Kind::kFraction),
                                                                       Number(Rational(1, 2), Number::Kind::kFraction)});
      NodeId r = b.AddNode(kNoNode, h);
      b.AddTerminal(r, kNoOutcome);
      b.AddTerminal(r, kNoOutcome);
      CHECK_THROWS_WITH_AS(b.Build(), doctest::Contains("sum to 5/6, not 1"), ValidationError);
    }
    SUBCASE("the chance check is skipped only when the caller says it checked") {
      // The .efg reader checks probabilities itself and says so; a builder left as it is
      // (every other caller) still checks. The option skips the check, nothing else.
      for (bool checked : {false, true}) {
        GameBuilder b({"A"});
        b.SetChanceProbabilitiesChecked(checked);
        InfosetId h = b.AddChanceInfoset(
            "coin", ab, std::vector<Number>{Number(Rational(1, 3), Number::Kind::kFraction),
                                            Number(Rational(1, 2), Number::Kind::kFraction)});
        NodeId r = b.AddNode(kNoNode, h);
        b.AddTerminal(r, kNoOutcome);
        b.AddTerminal(r, kNoOutcome);
        if (checked)
          CHECK_NOTHROW(b.Build());
        else
          CHECK_THROWS_WITH_AS(b.Build(), doctest::Contains("sum to 5/6, not 1"), ValidationError);
      }
    }
    SUBCASE("computed probabilities may be off by rounding, within 1e-9") {
      GameBuilder b({"A"});
      std::vector<std::string> abc{"a", "b", "c"};
      double third = 1.0 / 3.0;
      InfosetId h = b.AddChanceInfoset("die", abc, std::vector<Number>{third, third, third});
      NodeId r = b.AddNode(kNoNode, h);
      for (int i = 0; i < 3; ++i) b.AddTerminal(r, kNoOutcome);
      CHECK_NOTHROW(b.Build());
    }
    SUBCASE("probability outside [0,1]") {
      GameBuilder b({"A"});
      InfosetId h = b.AddChanceInfoset("", ab, std::vector<Number>{Number(1.5), Number(-0.5)});
      NodeId r = b.AddNode(kNoNode, h);
      b.AddTerminal(r, kNoOutcome);
      b.AddTerminal(r, kNoOutcome);
      CHECK_THROWS_WITH_AS(b.Build(), doctest::Contains("outside [0, 1]"), ValidationError);
    }
    SUBCASE("node limit") {
      GameBuilder b({"A"});
      b.SetMaxNodes(2);
      InfosetId h = b.AddInfoset(0, "", ab);
      NodeId r = b.AddNode(kNoNode, h);
      b.AddTerminal(r, kNoOutcome);
      CHECK_THROWS_AS(b.AddTerminal(r, kNoOutcome), LimitError);
    }
  }

  TEST_CASE("numbers keep the input's exact value") {
    Number x;
    REQUIRE(Number::Parse("1/3", &x));
    CHECK(x.kind() == Number::Kind::kFraction);
    CHECK(x.ToRational() == Rational(1, 3));
    CHECK_FALSE(x.DoubleIsExact());
    REQUIRE(Number::Parse("0.1", &x));
    CHECK(x.ToRational() == Rational(1, 10));  // the decimal, not the nearest double
    REQUIRE(Number::Parse("-2.5e-1", &x));
    CHECK(x.ToRational() == Rational(-1, 4));
    REQUIRE(Number::Parse(".5", &x));
    CHECK(x.ToDouble() == 0.5);
    REQUIRE(Number::Parse("+7", &x));
    CHECK(x.ToRational() == 7);
    REQUIRE(Number::Parse("123456789012345678901234567890", &x));
    CHECK(x.ToRational() == Rational("123456789012345678901234567890"));
    CHECK_FALSE(Number::Parse("1/0", &x));
    CHECK_FALSE(Number::Parse("abc", &x));
    CHECK_FALSE(Number::Parse("1/-2", &x));
    CHECK_FALSE(Number::Parse("1e", &x));
    CHECK_FALSE(Number::Parse("-", &x));
    CHECK_FALSE(Number::Parse("1.2.3", &x));
  }

  TEST_CASE("a game keeps rational payoffs exactly") {
    GameBuilder b({"A"});
    OutcomeId o = b.AddOutcome("", std::vector<Number>{Number(Rational(2, 3), Number::Kind::kFraction)});
    b.AddTerminal(kNoNode, o);
    GamePtr g = b.Build();
    CHECK(g->exact_payoff(0, 0) == Rational(2, 3));
    CHECK(g->payoff_text(0, 0) == "2/3");
    CHECK_FALSE(g->doubles_are_exact());
  }

  TEST_CASE("a game knows whether its numbers were stated or computed, whatever their size") {
    auto game = [](std::vector<Number> payoffs, std::vector<Number> probabilities) {
      GameBuilder b({"A"});
      std::vector<std::string> xy{"x", "y"};
      NodeId root = b.AddNode(kNoNode, b.AddChanceInfoset("coin", xy, probabilities));
      b.AddTerminal(root, b.AddOutcome("", std::vector<Number>{payoffs[0]}));
      b.AddTerminal(root, b.AddOutcome("", std::vector<Number>{payoffs[1]}));
      return b.Build();
    };
    auto parse = [](const char* text) {
      Number x;
      REQUIRE(Number::Parse(text, &x));
      return x;
    };
    // Denominators of 2^43 (1e-13), 2^67 (1/10^20) and 2^53 (a 16-digit decimal): stated.
    CHECK(game({parse("1e-13"), parse("1/100000000000000000000")}, {parse("1/3"), parse("2/3")})
              ->numbers_stated_exactly());
    CHECK(game({parse("1.1234567890123456"), 3}, {parse("0.5"), parse("0.5")})->numbers_stated_exactly());
    // A double computed in floating point is not, even a small dyadic one, unless it is a
    // whole number (a formula's 2 * k means 2 * k).
    CHECK_FALSE(game({Number(0.5), 3}, {parse("1/2"), parse("1/2")})->numbers_stated_exactly());
    CHECK_FALSE(game({1, 3}, {Number(0.5), parse("1/2")})->numbers_stated_exactly());
    CHECK(game({Number(2.0), Number(-7.0)}, {parse("1/2"), parse("1/2")})->numbers_stated_exactly());
    CHECK_FALSE(game({Number((0.1 + 0.2) * 10), 3}, {parse("1/2"), parse("1/2")})->numbers_stated_exactly());
    CHECK_FALSE(game({Number(1e300), 3}, {parse("1/2"), parse("1/2")})->numbers_stated_exactly());  // above 2^53
    GameBuilder b({"A"});
    b.AddTerminal(kNoNode, b.AddOutcome(std::vector<double>{2.5}));  // computed payoffs
    CHECK_FALSE(b.Build()->numbers_stated_exactly());
    GameBuilder whole({"A"});
    whole.AddTerminal(kNoNode, whole.AddOutcome(std::vector<double>{2}));
    CHECK(whole.Build()->numbers_stated_exactly());
  }

  TEST_CASE("labels interned together get the ids interning them one by one gives") {
    // 40 labels (more than one prefetch batch of 16), with repeats inside the list, repeats
    // of labels interned before, and empty labels (id 0); enough to regrow the table of 64
    // slots on the way.
    std::vector<std::string> texts;
    for (int i = 0; i < 40; ++i)
      texts.push_back(i % 7 == 0 ? "" : i % 5 == 0 ? "earlier" : "x" + std::to_string(i % 23));
    GameBuilder one({"A"}), all({"A"});
    CHECK(one.Intern("earlier") == all.Intern("earlier"));
    std::vector<LabelId> expected;
    for (const auto& t : texts) expected.push_back(one.Intern(t));
    std::vector<std::string_view> views(texts.begin(), texts.end());
    std::vector<LabelId> ids(texts.size());
    all.InternAll(views, ids.data());
    CHECK(ids == expected);
    CHECK(ids[0] == 0);                    // "" (i = 0)
    CHECK(ids[5] == all.Intern("earlier"));  // i = 5
    CHECK(ids[1] == ids[24]);              // "x1" twice (1 and 24 are equal mod 23)
    CHECK(ids[1] != ids[2]);
  }
}

}  // namespace
}  // namespace parley::model
