// Node descriptions: the last six moves, found without walking to the root (deep trees stay
// linear), and the action into a node among many siblings.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "solver/model/game_builder.h"
#include "solver/report/solution.h"

namespace parley::report {
namespace {

using model::GameBuilder;
using model::NodeId;

// A chain of `depth` single-action nodes ("m1", "m2", ...), then a terminal.
model::GamePtr Chain(int depth) {
  GameBuilder b({"A", "B"});
  NodeId parent = model::kNoNode;
  for (int i = 0; i < depth; ++i)
    parent = b.AddNode(parent, b.AddInfoset(i % 2, "", std::vector<std::string>{"m" + std::to_string(i + 1)}));
  b.AddTerminal(parent, b.AddOutcome("", std::vector<Number>{1, 2}));
  return b.Build();
}

TEST_SUITE("report") {
  TEST_CASE("a node is described by its last six moves at most") {
    model::GamePtr short_chain = Chain(3);
    CHECK(DescribeNode(*short_chain, 0) == "the root");
    CHECK(DescribeNode(*short_chain, 3) == "after m1 > m2 > m3");
    model::GamePtr six = Chain(6);
    CHECK(DescribeNode(*six, 6) == "after m1 > m2 > m3 > m4 > m5 > m6");
    model::GamePtr deep = Chain(10);
    // Ten moves lead to the terminal (node 10): the last six, with the node's number.
    CHECK(DescribeNode(*deep, 10) == "after ... > m5 > m6 > m7 > m8 > m9 > m10 (node 10)");
    CHECK(DescribeNode(*deep, 7) == "after ... > m2 > m3 > m4 > m5 > m6 > m7 (node 7)");
  }

  TEST_CASE("the action into a node among 100,000 siblings") {
    constexpr int kOffers = 100'000;
    GameBuilder b({"A"});
    std::vector<std::string> offers;
    for (int i = 0; i < kOffers; ++i) offers.push_back("o" + std::to_string(i));
    NodeId root = b.AddNode(model::kNoNode, b.AddInfoset(0, "", offers));
    model::OutcomeId o = b.AddOutcome("", std::vector<Number>{0});
    for (int i = 0; i < kOffers; ++i) b.AddTerminal(root, o);
    model::GamePtr game = b.Build();
    int wrong = 0;
    for (std::uint32_t a = 0; a < kOffers; ++a) wrong += game->action_into(game->child(0, a)) != a;
    CHECK(wrong == 0);
    CHECK(DescribeNode(*game, game->child(0, 41'999)) == "after o41999");
  }
}

}  // namespace
}  // namespace parley::report
