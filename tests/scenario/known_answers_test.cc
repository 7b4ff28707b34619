// The games/ catalogue against the literature: each file's subgame-perfect equilibrium
// payoffs, derived by hand in the comments, must be what Parley computes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "solver/equilibrium/solve.h"
#include "solver/scenario/scenario.h"
#include "tests/test_util.h"

using parley::equilibrium::Solve;
using parley::equilibrium::SolveOptions;
using parley::scenario::CompiledScenario;
using parley::scenario::LoadScenario;
using parley::scenario::ScenarioOptions;
using parley::testing::ReadFile;
using parley::testing::SourcePath;

namespace {

std::vector<std::vector<double>> AllPayoffs(const std::string& game_file,
                                            std::vector<std::string> overrides = {}) {
  ScenarioOptions options;
  options.overrides = std::move(overrides);
  auto scenario = LoadScenario(SourcePath(game_file), options);
  SolveOptions solve;
  solve.all = true;
  auto solution = Solve(*scenario->game, solve);
  std::vector<std::vector<double>> out;
  for (const auto& eq : solution.equilibria) out.push_back(eq.payoffs);
  return out;
}

std::vector<double> FirstPayoffs(const std::string& game_file,
                                 std::vector<std::string> overrides = {}) {
  ScenarioOptions options;
  options.overrides = std::move(overrides);
  auto scenario = LoadScenario(SourcePath(game_file), options);
  auto solution = Solve(*scenario->game, SolveOptions{});
  REQUIRE(!solution.equilibria.empty());
  return solution.equilibria[0].payoffs;
}

// A's share in the T-round alternating-offers game with continuous shares: the last
// proposer takes all (x_T = 1), earlier x_r = 1 - d_responder * x_(r+1).
double StahlShare(int T, double dA, double dB) {
  double x = 1;
  for (int r = T - 1; r >= 1; --r) {
    double d_responder = r % 2 == 1 ? dB : dA;  // A proposes in odd rounds
    x = 1 - d_responder * x;
  }
  return x;
}

}  // namespace

TEST_SUITE("scenario games") {
  TEST_CASE("ultimatum: two subgame-perfect equilibria, offers 0 and 1") {
    // Responder accepts every positive offer; at 0 he is indifferent. Accepting 0: the
    // Proposer offers 0, payoffs (10, 0). Rejecting 0: the Proposer offers 1, (9, 1).
    auto all = AllPayoffs("games/ultimatum.yaml");
    std::set<std::pair<double, double>> found;
    for (const auto& p : all) found.insert({p[0], p[1]});
    CHECK(found == std::set<std::pair<double, double>>{{10, 0}, {9, 1}});
    // With cake = 4: (4, 0) and (3, 1).
    auto small = AllPayoffs("games/ultimatum.yaml", {"cake=4"});
    found.clear();
    for (const auto& p : small) found.insert({p[0], p[1]});
    CHECK(found == std::set<std::pair<double, double>>{{4, 0}, {3, 1}});
  }

  TEST_CASE("entry deterrence: In, Accommodate") {
    // Fighting gives the Incumbent -1 < 1 from accommodating; the Entrant then gets 1 > 0.
    auto all = AllPayoffs("games/entry_deterrence.yaml");
    REQUIRE(all.size() == 1);
    CHECK(all[0] == std::vector<double>{1, 1});
  }

  TEST_CASE("centipede: Alice takes at once") {
    // Taking at node k gives the mover k + 1, passing gives k: take everywhere; (2, 0).
    auto all = AllPayoffs("games/centipede.yaml");
    REQUIRE(all.size() == 1);
    CHECK(all[0] == std::vector<double>{2, 0});
    auto longer = AllPayoffs("games/centipede.yaml", {"T=20"});
    REQUIRE(longer.size() == 1);
    CHECK(longer[0] == std::vector<double>{2, 0});
  }

  TEST_CASE("trust game: nothing sent, nothing returned") {
    // Trustee: 3 s - r falls in r, so r = 0; Investor: 5 - s falls in s, so s = 0: (5, 0).
    auto all = AllPayoffs("games/trust_game.yaml");
    REQUIRE(all.size() == 1);
    CHECK(all[0] == std::vector<double>{5, 0});
  }

  TEST_CASE("alternating offers: Stahl's finite-horizon shares") {
    // dA = dB = 1/2, pie 20: T = 1: 1; T = 2: 1 - 1/2 = 1/2; T = 3: 1 - 1/2 (1 - 1/2) = 3/4.
    // These lie on the grid of twentieths, and the responder accepts when indifferent in
    // the first equilibrium, so the shares are exact.
    CHECK(StahlShare(3, 0.5, 0.5) == 0.75);
    for (int T = 1; T <= 3; ++T) {
      auto p = FirstPayoffs("games/alternating_offers.yaml",
                            {"T=" + std::to_string(T), "dA=0.5", "dB=0.5"});
      CHECK(p[0] == doctest::Approx(StahlShare(T, 0.5, 0.5)));
      CHECK(p[0] + p[1] == doctest::Approx(1));  // agreement in round 1, nothing lost
    }
    // dA = 0.9, dB = 0.8: T = 2: 0.2; T = 3: 1 - 0.8 * 0.1 = 0.92. Demands are whole
    // twentieths, so allow an error of two units (0.1).
    CHECK(StahlShare(3, 0.9, 0.8) == doctest::Approx(0.92));
    for (int T = 1; T <= 3; ++T) {
      auto p = FirstPayoffs("games/alternating_offers.yaml", {"T=" + std::to_string(T)});
      CHECK(std::abs(p[0] - StahlShare(T, 0.9, 0.8)) <= 0.1 + 1e-12);
    }
    // The limit: (1 - dB) / (1 - dA dB) = 0.2 / 0.28 = 0.714285...
    CHECK(StahlShare(201, 0.9, 0.8) == doctest::Approx(0.2 / 0.28).epsilon(1e-6));
  }

  TEST_CASE("hold-up: the Supplier never invests") {
    // Ex post the Buyer offers 0 (or 1 when 0 is rejected): investing returns at most
    // 1 - 3 < 0, so the Supplier holds back in every equilibrium; payoffs (0, 4) or (1, 3).
    auto all = AllPayoffs("games/holdup.yaml");
    REQUIRE(!all.empty());
    for (const auto& p : all) CHECK(p[0] + p[1] == doctest::Approx(4));  // low, not high-cost
    CHECK(all[0] == std::vector<double>{0, 4});
  }

  TEST_CASE("agenda setter: proposal 2 * voter - status quo") {
    // Acceptable set [10, 50]; the Setter (ideal 80) proposes 50: (-30, -20).
    CHECK(FirstPayoffs("games/agenda_setter.yaml") == std::vector<double>{-30, -20});
    // Status quo 40: acceptable [20, 40], proposal 40: (-40, -10).
    CHECK(FirstPayoffs("games/agenda_setter.yaml", {"status_quo=40"}) ==
          std::vector<double>{-40, -10});
    // A status quo beyond the Setter's ideal on the far side: 2*30 - 0 = 60 < 80: with
    // status quo 0 the proposal is 60: (-20, -30).
    CHECK(FirstPayoffs("games/agenda_setter.yaml", {"status_quo=0"}) ==
          std::vector<double>{-20, -30});
  }

  TEST_CASE("breakdown risk: B's value of rejecting is (1 - p) pie") {
    // p = 1/4: 0.75 * 10 = 7.5, so A offers 8: (2, 8).
    CHECK(FirstPayoffs("games/breakdown_risk.yaml") == std::vector<double>{2, 8});
    // p = 1/2: B's value 5; B indifferent at 5 accepts: (5, 5).
    CHECK(FirstPayoffs("games/breakdown_risk.yaml", {"p=0.5"}) == std::vector<double>{5, 5});
    // The second equilibrium family: A rejects a counter-offer of 0, B offers 1,
    // B's value 0.75 * 9 = 6.75, A offers 7: (3, 7).
    auto all = AllPayoffs("games/breakdown_risk.yaml");
    bool found = false;
    for (const auto& p : all) found = found || (p[0] == 3 && p[1] == 7);
    CHECK(found);
  }

  TEST_CASE("prisoner's dilemma expands into one information set for Column") {
    auto scenario = LoadScenario(SourcePath("games/prisoners_dilemma.yaml"));
    const auto& g = *scenario->game;
    CHECK(g.num_nodes() == 7);  // root, two Column nodes, four terminals
    CHECK_FALSE(g.perfect_information());
    CHECK(g.player_infosets(1).size() == 1);
    CHECK(g.infoset_nodes(g.player_infosets(1)[0]).size() == 2);
  }

  TEST_CASE("a player who observes a stage sees the value chosen there, not its place in the list") {
    // B does not see a, but sees b, whose one action is a * 10: 10 after a = 1, 20 after
    // a = 2. So B tells the two apart (perfect information): after 10, u pays her 1 against
    // 0; after 20, d pays 0 against -1. A compares 1 + 0 (a = 1) with 0 + 0.5 (a = 2) and
    // takes a = 1: payoffs (1, 1). Matched by position, both of B's nodes were one set, and
    // Parley answered (0.5, 0).
    auto scenario = parley::scenario::ReadScenario(
        "players: [A, B]\n"
        "stages:\n"
        "  - {name: a, player: A, actions: [1, 2]}\n"
        "  - {name: b, player: A, actions: {values: [a * 10]}}\n"
        "  - {name: c, player: B, actions: [u, d], observe: [b]}\n"
        "payoffs:\n"
        "  A: if(c == u, 1, 0) + if(a == 2, 0.5, 0)\n"
        "  B: if(c == u, if(a == 1, 1, -1), 0)\n",
        "t.yaml");
    CHECK(scenario->game->perfect_information());
    auto solution = Solve(*scenario->game, SolveOptions{});
    REQUIRE(solution.equilibria.size() == 1);
    CHECK(solution.equilibria[0].payoffs == std::vector<double>{1, 1});

    // A range that moves with the hidden move: b is a or a + 1, so b = 2 is seen after both
    // a = 1 (second action) and a = 2 (first action); b = 1 and b = 3 each after one. B's sets
    // are {b = 1}, {b = 2, twice}, {b = 3}: three, one of them of two nodes.
    auto ranged = parley::scenario::ReadScenario(
        "players: [A, B]\n"
        "stages:\n"
        "  - {name: a, player: A, actions: [1, 2]}\n"
        "  - {name: b, player: A, actions: {from: a, to: a + 1}}\n"
        "  - {name: c, player: B, actions: [u, d], observe: [b]}\n"
        "payoffs:\n"
        "  A: b\n"
        "  B: if(c == u, b, 0)\n",
        "t.yaml");
    const auto& g = *ranged->game;
    std::vector<std::size_t> sizes;
    for (auto h : g.player_infosets(1)) sizes.push_back(g.infoset_nodes(h).size());
    std::sort(sizes.begin(), sizes.end());
    CHECK(sizes == std::vector<std::size_t>{1, 1, 2});
  }

  TEST_CASE("a compiled scenario expands many times with different parameters") {
    auto compiled = CompiledScenario::Compile(ReadFile(SourcePath("games/ultimatum.yaml")),
                                              "ultimatum.yaml");
    std::vector<double> values = compiled->DefaultValues();
    REQUIRE(values == std::vector<double>{10});
    parley::scenario::ExpansionWorkspace workspace(*compiled);
    std::size_t last_payoff_evaluations = 0;
    for (double cake : {1.0, 5.0, 30.0}) {
      values[0] = cake;
      auto expansion = compiled->Expand(values, {}, workspace);
      // 1 + (cake + 1) responder nodes + 2 (cake + 1) terminals.
      CHECK(expansion.game->num_nodes() == 1 + 3 * (static_cast<unsigned>(cake) + 1));
      auto solution = Solve(*expansion.game, SolveOptions{});
      CHECK(solution.equilibria[0].payoffs[0] == cake);
      last_payoff_evaluations = expansion.stats.payoff_evaluations;
    }
    // 2 players x 2 responses x 31 offers (0..30).
    CHECK(last_payoff_evaluations == 2 * 2 * 31);
  }

  TEST_CASE("chance probabilities accepted as summing to 1 but off by more than rounding are scaled to a distribution") {
    // 0.2, 0.3 and 0.5 + 9e-10 sum to 1 + 9e-10, within the 1e-9 accepted. Used as given, a
    // constant payoff of 1000 was worth 1000.0000009. Divided by their sum: 1000, and B, paid 1
    // at c, gets (0.5 + 9e-10) / (1 + 9e-10).
    for (const char* probabilities : {"[0.2, 0.3, 0.5 + 9e-10]", "{a: 0.2, b: 0.3, c: 0.5 + 9e-10}"}) {
      CAPTURE(probabilities);
      auto scenario = parley::scenario::ReadScenario(std::string("players: [A, B]\n"
                                                                 "stages:\n"
                                                                 "  - name: n\n"
                                                                 "    player: nature\n"
                                                                 "    actions: [a, b, c]\n"
                                                                 "    probabilities: ") +
                                                         probabilities +
                                                         "\n"
                                                         "payoffs:\n"
                                                         "  A: 1000\n"
                                                         "  B: if(n == c, 1, 0)\n",
                                                     "s.yaml");
      auto solution = Solve(*scenario->game, SolveOptions{});
      CHECK(std::abs(solution.equilibria[0].payoffs[0] - 1000) <= 1e-12);
      CHECK(std::abs(solution.equilibria[0].payoffs[1] - (0.5 + 9e-10) / (1 + 9e-10)) <= 1e-15);
    }
  }
}
