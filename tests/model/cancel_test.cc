// Cancellation (solver/model/cancel.h): with the current thread's flag raised, the long loops
// stop with parley::Cancelled (the game builder, hence the readers and the scenario
// expansion; backward induction; the logit tracer); without a scope, or with the flag down,
// they run as before.
#include <doctest/doctest.h>

#include <atomic>
#include <string>

#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/solve.h"
#include "solver/io/efg.h"
#include "solver/model/cancel.h"
#include "solver/model/game_builder.h"

namespace parley::model {
namespace {

// A perfect-information binary tree of the given depth as .efg text: 2^(depth+1) - 1 nodes,
// players alternating, each decision node its own information set.
std::string BinaryTreeEfg(int depth) {
  std::string text = "EFG 2 R \"binary tree\" { \"A\" \"B\" }\n\"\"\n";
  int sets[2] = {0, 0};
  int outcomes = 0;
  auto add = [&](auto&& self, int level) -> void {
    if (level == depth) {
      ++outcomes;
      text += "t \"\" " + std::to_string(outcomes) + " \"\" { " + std::to_string(outcomes % 7) +
              ", " + std::to_string(outcomes % 5) + " }\n";
      return;
    }
    int p = level % 2;
    text += "p \"\" " + std::to_string(p + 1) + " " + std::to_string(++sets[p]) +
            " \"\" { \"L\" \"R\" } 0\n";
    self(self, level + 1);
    self(self, level + 1);
  };
  add(add, 0);
  return text;
}

TEST_SUITE("model") {
  TEST_CASE("a raised cancel flag stops the reader, backward induction and the logit tracer") {
    const std::string efg = BinaryTreeEfg(13);  // 16383 nodes: past CancelPoll::kEvery
    GamePtr game = io::ReadEfg(efg, "tree.efg");
    REQUIRE(game->num_nodes() == 16383);
    GamePtr small = io::ReadEfg(BinaryTreeEfg(5), "small.efg");
    std::atomic<bool> flag{true};
    {
      CancelScope scope(&flag);
      CHECK(CancelRequested());
      CHECK_THROWS_AS(io::ReadEfg(efg, "tree.efg"), Cancelled);
      CHECK_THROWS_AS(equilibrium::Solve(*game, {}), Cancelled);
      // The tracer solves a dense system per step: a small tree (63 nodes), stopped at its
      // first step.
      CHECK_THROWS_AS(equilibrium::QreAt(*small, 1.0), Cancelled);
    }
    // The scope is gone: the same calls run to their end.
    CHECK_FALSE(CancelRequested());
    CHECK(equilibrium::Solve(*game, {}).equilibria.size() == 1);
    CHECK(equilibrium::QreAt(*small, 1.0).stats.status == equilibrium::LogitStatus::kReachedLambda);
    // A flag that stays down changes nothing.
    std::atomic<bool> down{false};
    CancelScope scope(&down);
    CHECK(io::ReadEfg(efg, "tree.efg")->num_nodes() == 16383);
  }

  TEST_CASE("cancel scopes nest") {
    std::atomic<bool> outer{true}, inner{false};
    CancelScope a(&outer);
    {
      CancelScope b(&inner);
      CHECK_FALSE(CancelRequested());
      CHECK_NOTHROW(ThrowIfCancelled());
    }
    CHECK(CancelRequested());
    CHECK_THROWS_AS(ThrowIfCancelled(), Cancelled);
  }
}

}  // namespace
}  // namespace parley::model
