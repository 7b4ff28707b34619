// The tornado (analysis/tornado.h) on a scenario worked by hand, the quantiles it uses for a
// distribution's range, and the command's outputs through the real binary.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "solver/analysis/scenario_model.h"
#include "solver/analysis/tornado.h"
#include "solver/model/error.h"
#include "solver/report/analysis_results.h"
#include "tests/test_util.h"

namespace parley::analysis {
namespace {

// A picks left (bargain over x in [0, 10]) or right (bargain over y in [0, 4], plus a bonus
// s to A); no deal pays (0, 0); equal powers split each surplus in half, so left pays
// (5, 5) and right (2 + s, 2). On top, A gets 3 k + 5 u whatever happens, and z enters
// nothing. A goes right iff 2 + s > 5, i.e. s > 3. At the base values (s 4, k 1, u 0.5):
// right, A = 2 + 4 + 3 + 2.5 = 11.5, B = 2.
//   k over its bounds [0, 2]:        A from 8.5 to 14.5, swing 6 (= 3 x 2), path unchanged.
//   s over its bounds [0, 6]:        s = 0 goes left, A = 5 + 3 + 2.5 = 10.5; s = 6 goes
//                                    right, A = 2 + 6 + 5.5 = 13.5: swing 3; the path
//                                    changes at s = 3. B: 5 at s = 0, 2 at s = 6: swing 3.
//   u, uniform(0.2, 0.6), 5-95 %:    u from 0.2 + 0.4 x 0.05 = 0.22 to 0.2 + 0.4 x 0.95 = 0.58,
//                                    A moves by 5 x 0.36 = 1.8; B does not move.
//   z over [-1, 1]:                  swing 0.
//   w has no range: not varied.
const char* kByHand = R"(title: A tornado by hand
players: [A, B]
parameters:
  s: {value: 4, min: 0, max: 6, assumption: true}
  k: {value: 1, min: 0, max: 2, assumption: true}
  u: {value: 0.5, min: 0, max: 1, assumption: true, distribution: {type: uniform, low: 0.2, high: 0.6}}
  z: {value: 0, min: -1, max: 1, assumption: true}
  w: {value: 2, assumption: true}
stages:
  - name: route
    player: A
    actions: [left, right]
  - name: first
    condition: route == left
    bargain:
      issues:
        x: {from: 0, to: 10}
  - name: second
    condition: route == right
    bargain:
      issues:
        y: {from: 0, to: 4}
payoffs:
  A: if(first == agree, x, 0) + if(second == agree, y, 0) + if(route == right, s, 0) + 3 * k + 5 * u + 0 * z + 0 * w
  B: if(first == agree, 10 - x, 0) + if(second == agree, 4 - y, 0)
)";

const TornadoParameter& Find(const TornadoResult& r, const std::string& name) {
  for (const auto& p : r.parameters)
    if (p.name == name) return p;
  FAIL("no parameter " << name);
  return r.parameters.front();
}

TEST_SUITE("tornado") {
  TEST_CASE("a scenario worked by hand: swings, ranks, ranges and the threshold crossed") {
    std::string path = testing::WriteTempFile("tornado_by_hand.yaml", kByHand);
    Model model = ScenarioModel(path, {});
    TornadoOptions options;
    options.values = ScenarioPartyColumns(path);
    REQUIRE(options.values == std::vector<std::string>{"A", "B"});
    TornadoResult r = RunTornado(model, options, RunOptions{});
    CHECK_FALSE(r.interrupted);
    REQUIRE(r.parameters.size() == 4);
    REQUIRE(r.skipped.size() == 1);
    CHECK(r.skipped[0].first == "w");
    REQUIRE(r.charts.size() == 2);

    const TornadoChart& a = r.charts[0];
    CHECK(a.base_value == doctest::Approx(11.5));
    REQUIRE(a.bars.size() == 4);
    std::vector<std::string> order;
    for (const auto& b : a.bars) order.push_back(r.parameters[b.parameter].name);
    CHECK(order == std::vector<std::string>{"k", "s", "u", "z"});
    CHECK(a.bars[0].value_low == doctest::Approx(8.5));
    CHECK(a.bars[0].value_high == doctest::Approx(14.5));
    CHECK(a.bars[0].swing == doctest::Approx(6));
    CHECK(a.bars[1].value_low == doctest::Approx(10.5));
    CHECK(a.bars[1].value_high == doctest::Approx(13.5));
    CHECK(a.bars[1].swing == doctest::Approx(3));
    CHECK(a.bars[2].swing == doctest::Approx(1.8));
    CHECK(a.bars[3].swing == 0);

    const TornadoParameter& s = Find(r, "s");
    CHECK(s.range == "bounds");
    CHECK(s.outcome_changes);
    REQUIRE(s.thresholds.size() == 1);
    CHECK(std::abs(s.thresholds[0].value - 3) < 1e-5);  // tolerance (6 - 0) x 1e-6
    const TornadoParameter& u = Find(r, "u");
    CHECK(u.range == "5-95 % quantiles");
    CHECK(u.low == doctest::Approx(0.22));
    CHECK(u.high == doctest::Approx(0.58));
    CHECK_FALSE(u.outcome_changes);
    CHECK_FALSE(Find(r, "k").outcome_changes);
    const TornadoParameter& z = Find(r, "z");
    CHECK_FALSE(z.outcome_changes);
    CHECK(z.thresholds.empty());

    // B moves only with s (left pays it 5, right 2): s first, the rest 0.
    const TornadoChart& b = r.charts[1];
    CHECK(r.parameters[b.bars[0].parameter].name == "s");
    CHECK(b.bars[0].swing == doctest::Approx(3));
    for (std::size_t i = 1; i < b.bars.size(); ++i) CHECK(b.bars[i].swing == 0);

    SUBCASE("bounds only: u over [0, 1] moves A by 5") {
      options.range = TornadoRange::kBounds;
      TornadoResult bounds = RunTornado(model, options, RunOptions{});
      CHECK(Find(bounds, "u").range == "bounds");
      for (const auto& bar : bounds.charts[0].bars)
        if (bounds.parameters[bar.parameter].name == "u") CHECK(bar.swing == doctest::Approx(5));
    }
    SUBCASE("quantiles only: the parameters without a distribution are not varied") {
      options.range = TornadoRange::kQuantiles;
      TornadoResult q = RunTornado(model, options, RunOptions{});
      REQUIRE(q.parameters.size() == 1);
      CHECK(q.parameters[0].name == "u");
      CHECK(q.skipped.size() == 4);
    }
    SUBCASE("an agreed issue as the value: y exists only on the right") {
      // y = 2 wherever the right branch is taken (half of 4); at s = 0 the step is not reached.
      options.values = {"second.y"};
      TornadoResult y = RunTornado(model, options, RunOptions{});
      for (const auto& bar : y.charts[0].bars) {
        if (y.parameters[bar.parameter].name == "s") {
          CHECK(std::isnan(bar.value_low));
          CHECK(std::isnan(bar.swing));
          CHECK(&bar == &y.charts[0].bars.back());  // no swing: ranked last
        } else {
          CHECK(bar.swing == 0);
        }
      }
    }
    SUBCASE("an unknown value column is refused with the known ones") {
      options.values = {"deal.equity"};
      CHECK_THROWS_WITH_AS(RunTornado(model, options, RunOptions{}),
                           doctest::Contains("the columns are: A, B, first.x, second.y"), Error);
    }
  }

  TEST_CASE("a parameter whose range ends where the scenario cannot be solved is left out, with the reason") {
    // At v = 0 the payoff 1/v is not finite: v is not varied; k still is (swing 2).
    const char* yaml = R"(title: An end that does not solve
players: [A, B]
parameters:
  v: {value: 1, min: 0, max: 2, assumption: true}
  k: {value: 1, min: 0, max: 2, assumption: true}
stages:
  - name: go
    player: A
    actions: [stop, on]
payoffs:
  A: 1 / v + k
  B: 0
)";
    std::string path = testing::WriteTempFile("tornado_unsolvable.yaml", yaml);
    TornadoOptions options;
    options.values = {"A"};
    TornadoResult r = RunTornado(ScenarioModel(path, {}), options, RunOptions{});
    REQUIRE(r.parameters.size() == 1);
    CHECK(r.parameters[0].name == "k");
    CHECK(r.charts[0].bars[0].swing == doctest::Approx(2));
    REQUIRE(r.skipped.size() == 1);
    CHECK(r.skipped[0].first == "v");
    CHECK(r.skipped[0].second.find("not solvable over bounds [0, 2]") == 0);
    CHECK(r.skipped[0].second.find("a payoff must be a finite number") != std::string::npos);
  }

  TEST_CASE("a point inside the range that cannot be solved leaves the bars, and names the point") {
    // A's payoff for stop is 1 / (v - 1): not finite at v = 1, inside [0, 2]. The ends solve
    // (A stops at v = 2: 1 > 0.5; at v = 0, -1 < 0.5, so on), so v keeps its bar: A's value
    // 0.5 at 0, 1 at 2, base (v = 1.5) 2, swing 2 - 0.5 = 1.5. The search for switches meets
    // v = 1 and says so, with the point, rather than dropping v.
    const char* yaml = R"(title: An interior point that does not solve
players: [A, B]
parameters:
  v: {value: 1.5, min: 0, max: 2, assumption: true}
stages:
  - name: go
    player: A
    actions: [stop, on]
payoffs:
  A: if(go == stop, 1 / (v - 1), 0.5)
  B: 0
)";
    std::string path = testing::WriteTempFile("tornado_interior.yaml", yaml);
    TornadoOptions options;
    options.values = {"A"};
    options.grid = 5;  // 0, 0.5, 1, 1.5, 2: the grid meets v = 1
    TornadoResult r = RunTornado(ScenarioModel(path, {}), options, RunOptions{});
    REQUIRE(r.parameters.size() == 1);
    CHECK(r.skipped.empty());
    CHECK(r.charts[0].bars[0].swing == doctest::Approx(1.5));
    CHECK(r.parameters[0].unsearched.find("(at v = 1)") != std::string::npos);
    CHECK(report::TornadoChangesText(r.parameters[0]).find("not searched: ") != std::string::npos);
  }

  TEST_CASE("quantiles of each kind of distribution") {
    using Kind = Distribution::Kind;
    Distribution d;
    d.kind = Kind::kUniform;
    d.low = 2;
    d.high = 4;
    CHECK(DistributionQuantile(d, 0.05) == doctest::Approx(2.1));
    // Triangular(0, 1, 1): F(x) = x^2, so the 25 % quantile is 0.5.
    d.kind = Kind::kTriangular;
    d.low = 0;
    d.mode = 1;
    d.high = 1;
    CHECK(DistributionQuantile(d, 0.25) == doctest::Approx(0.5));
    // Normal(10, 2): the 97.5 % quantile is 10 + 1.959964 x 2.
    d.kind = Kind::kNormal;
    d.mean = 10;
    d.sd = 2;
    CHECK(DistributionQuantile(d, 0.975) == doctest::Approx(13.919928).epsilon(1e-6));
    // Beta(2, 1) on [0, 10]: F(x) = (x/10)^2, so the 25 % quantile is 5.
    d.kind = Kind::kBeta;
    d.alpha = 2;
    d.beta = 1;
    d.low = 0;
    d.high = 10;
    CHECK(DistributionQuantile(d, 0.25) == doctest::Approx(5));
    // Discrete 3, 1, 2 with weights 1, 1, 2: sorted, the cumulative weights are 1/4, 3/4, 1.
    d.kind = Kind::kDiscrete;
    d.values = {3, 1, 2};
    d.weights = {1, 1, 2};
    CHECK(DistributionQuantile(d, 0.05) == 1);
    CHECK(DistributionQuantile(d, 0.25) == 1);
    CHECK(DistributionQuantile(d, 0.5) == 2);
    CHECK(DistributionQuantile(d, 0.95) == 3);
    d.kind = Kind::kFixed;
    CHECK_THROWS_AS(DistributionQuantile(d, 0.5), Error);
  }

  TEST_CASE("parley tornado: text, JSON and CSV through the binary") {
    std::string path = testing::WriteTempFile("tornado_cli.yaml", kByHand);
    auto text = testing::RunParley("tornado '" + path + "' --value A");
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("A (base 11.5), widest swing first:") != std::string::npos);
    CHECK(text.out.find("  1\tk\tbounds\t0\t2\t8.5\t14.5\t6\tno\n") != std::string::npos);
    CHECK(text.out.find("yes, at s = 3") != std::string::npos);
    CHECK(text.out.find("Not varied: w (no min and max and no distribution)") != std::string::npos);

    auto js = testing::RunParley("tornado '" + path + "' --format json --grid 0");
    REQUIRE(js.exit_code == 0);
    auto j = nlohmann::json::parse(js.out);
    CHECK(j["kind"] == "tornado");
    REQUIRE(j["charts"].size() == 2);
    CHECK(j["charts"][0]["bars"][0]["parameter"] == "k");
    // Without the grid search the switch is still seen: s = 0 and s = 6 take different paths.
    CHECK(j["parameters"][0]["name"] == "s");
    CHECK(j["parameters"][0]["outcome_changes"] == true);
    CHECK(j["parameters"][0]["thresholds"].empty());

    auto csv = testing::RunParley("tornado '" + path + "' --format csv --value B");
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.rfind("value,rank,parameter,range,low,base,high,value_low,value_base,value_high,swing,"
                        "outcome_changes,thresholds\nB,1,s,bounds,0,4,6,5,2,2,3,true,",
                        0) == 0);

    auto bad = testing::RunParley("tornado '" + path + "' --range widest");
    CHECK(bad.exit_code == 2);  // a usage error
    CHECK(bad.err.find("--range: 'widest': expected auto, bounds or quantiles") != std::string::npos);
    auto game = testing::RunParley("tornado '" + testing::SourcePath("tests/data/entry_deterrence.efg") + "'");
    CHECK(game.exit_code == 1);
    CHECK(game.err.find("analysis needs a scenario file") != std::string::npos);
    // --grid is 0 or 2 points or more: one line that says so, whatever the value refused.
    for (std::string grid : {"1", "-1", "x", "2e6"}) {
      CAPTURE(grid);
      auto refused = testing::RunParley("tornado '" + path + "' --grid " + grid);
      CHECK(refused.exit_code == 2);  // a malformed option: a usage error
      CHECK(refused.out.empty());
      CHECK(refused.err == "error: --grid: " + grid +
                               ": expected a whole number of points from 2 to 10^6 (the grid includes both ends of "
                               "the range), or 0 to compare the outcomes at the ends and the base only (parley "
                               "tornado --help lists the options)\n");
    }
    CHECK(testing::RunParley("tornado '" + path + "' --grid 0e0").exit_code == 0);  // 0, written otherwise
  }

  TEST_CASE("a parameter without a range: the reason names exactly the end or the distribution it lacks") {
    // y has a min and no max, x a max and no min, n neither, d a min and a distribution (no max).
    std::string path = testing::WriteTempFile("tornado_ends.yaml", R"(title: ends
players: [A, B]
parameters:
  y: {value: 0.5, min: 0}
  x: {value: 0.5, max: 1}
  n: 0.5
  d: {value: 0.5, min: 0, distribution: {type: uniform, low: 0, high: 1}}
stages:
  - name: s
    player: A
    actions: [l, r]
payoffs:
  A: if(s == l, x + y + n + d, 1)
  B: 0
)");
    Model model = ScenarioModel(path, {});
    TornadoOptions options;
    options.values = {"A"};
    using Skipped = std::vector<std::pair<std::string, std::string>>;
    options.range = TornadoRange::kBounds;
    CHECK(RunTornado(model, options, RunOptions{}).skipped ==
          Skipped{{"y", "no max"}, {"x", "no min"}, {"n", "no min and max"}, {"d", "no max"}});
    options.range = TornadoRange::kAuto;
    CHECK(RunTornado(model, options, RunOptions{}).skipped ==
          Skipped{{"y", "no max and no distribution"}, {"x", "no min and no distribution"},
                  {"n", "no min and max and no distribution"}});
    options.range = TornadoRange::kQuantiles;
    CHECK(RunTornado(model, options, RunOptions{}).skipped ==
          Skipped{{"y", "no distribution"}, {"x", "no distribution"}, {"n", "no distribution"}});
    auto text = testing::RunParley("tornado '" + path + "' --value A --range bounds");
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("\nNot varied: y (no max), x (no min), n (no min and max), d (no max)\n") != std::string::npos);
  }
}

}  // namespace
}  // namespace parley::analysis
