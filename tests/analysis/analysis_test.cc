// Sweeps, thresholds and Monte Carlo on models with known answers.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "solver/analysis/analysis.h"
#include "solver/analysis/results_json.h"
#include "solver/report/analysis_results.h"
#include "solver/analysis/scenario_model.h"
#include "solver/equilibrium/subgames.h"
#include "solver/io/efg.h"
#include "solver/model/error.h"
#include "solver/model/number.h"
#include "tests/test_util.h"

namespace parley::analysis {
namespace {

using report::SweepText;
using report::SweepCsv;
using report::SweepJson;
using report::MonteCarloJson;

// A hold-up problem in closed form. An investor chooses high (cost 3, surplus 10) or low
// (cost 1, surplus 4) investment, then bargains with bargaining power b over the surplus.
// High pays b*10 - 3, low b*4 - 1; high is chosen iff b*10 - 3 >= b*4 - 1, i.e.
// b >= (3 - 1)/(10 - 4) = 1/3.
Model HoldUp() {
  Model m;
  m.parameter_names = {"power", "unused"};
  m.base_values = {0.5, 7};
  m.min = {0.0, std::nullopt};
  m.max = {1.0, std::nullopt};
  m.distributions.assign(2, Distribution{});
  m.value_names = {"investor"};
  m.make_evaluator = [] {
    return [](const std::vector<double>& x) {
      double b = x[0];
      double high = b * 10 - 3, low = b * 4 - 1;
      return high >= low ? Observation{"invest high", {high}, {}} : Observation{"invest low", {low}, {}};
    };
  };
  return m;
}

TEST_SUITE("analysis") {
  TEST_CASE("a parameter or a value named like a column of the table keeps its own column") {
    // A parameter `index` and values `outcome` and `index`: the CSV had `index,index,...` and
    // the Python frame kept one column of each name (the row numbers or the payoffs lost).
    Model m = HoldUp();
    m.parameter_names = {"index", "unused"};
    m.value_names = {"outcome"};
    SweepResult r = RunSweep(m, {ParseAxis(m, "index=0:1:3")}, RunOptions{});
    CHECK(report::SweepColumnNames(r) == std::vector<std::string>{"index (parameter)", "outcome (value)"});
    CHECK(SweepCsv(r).rfind("index,index (parameter),outcome (value),outcome\n0,0,-1,invest low\n", 0) == 0);
    MonteCarloResult mc;
    mc.value_names = {"sample", "outcome", "x"};
    CHECK(report::MonteCarloColumnNames(mc) == std::vector<std::string>{"sample (value)", "outcome (value)", "x"});
    // Names that clash with nothing stay as written.
    m.parameter_names = {"power", "unused"};
    m.value_names = {"investor"};
    CHECK(report::SweepColumnNames(RunSweep(m, {ParseAxis(m, "power=0:1:2")}, RunOptions{})) ==
          std::vector<std::string>{"power", "investor"});
  }

  TEST_CASE("two outcomes that read the same but differ in structure get distinct names") {
    // The key tells them apart (an action at another position under the same label); the
    // names were equal, and the Python frame's categories refused them.
    Model m = HoldUp();
    m.distributions[0] = Distribution{};
    m.distributions[0].kind = Distribution::Kind::kUniform;
    m.distributions[0].low = 0;
    m.distributions[0].high = 1;
    m.make_evaluator = [] {
      return [](const std::vector<double>& x) {
        return Observation{"A 3", {x[0]}, x[0] < 0.5 ? "v2;0@0:0" : "v2;0@0:1"};
      };
    };
    MonteCarloResult r = RunMonteCarlo(m, 200, 7, RunOptions{});
    REQUIRE(r.outcomes.size() == 2);
    CHECK(r.outcomes[0] == "A 3");
    CHECK(r.outcomes[1] == "A 3 [2]");
    std::vector<std::string> names{"x", "x", "x [2]", "y", "x"};
    DistinguishOutcomeNames(&names);
    CHECK(names == std::vector<std::string>{"x", "x [2]", "x [2] [2]", "y", "x [3]"});
    // A sweep's tables and chart name them the same way (its rows read "A 3" on both sides of
    // the switch); its JSON keeps the words and the key.
    SweepResult sweep = RunSweep(m, {ParseAxis(m, "power=0:1:5")}, RunOptions{});
    CHECK(SweepOutcomeNames(sweep) == std::vector<std::string>{"A 3", "A 3", "A 3 [2]", "A 3 [2]", "A 3 [2]"});
    const std::string csv = report::SweepCsv(sweep);
    CHECK(csv.find("2,0.5,0.5,A 3 [2]\n") != std::string::npos);
    CHECK(csv.find("1,0.25,0.25,A 3\n") != std::string::npos);
    CHECK(report::SweepText(sweep).find("0.75\t0.75\tA 3 [2]\n") != std::string::npos);
    CHECK(report::SweepJson(sweep)["points"][2]["outcome"] == "A 3");
  }

  TEST_CASE("a threshold known in closed form is found to 1e-9") {
    Model m = HoldUp();
    Axis axis = ParseAxis(m, "power=0:1", 11);
    bool interrupted = true;
    auto t = FindThresholds(m, axis, 1e-9, RunOptions{}, &interrupted);
    CHECK_FALSE(interrupted);
    REQUIRE(t.size() == 1);
    CHECK(std::abs(t[0].value - 1.0 / 3.0) < 1e-9);
    CHECK(t[0].hi - t[0].lo <= 1e-9);
    CHECK(t[0].below == "invest low");
    CHECK(t[0].above == "invest high");
  }

  TEST_CASE("an outcome met at a single point is no region: one switch, not two") {
    // Below 1/2 "low", above "high", at exactly 1/2 (grid point 5 of 11) a tie: the
    // threshold is 1/2, from low to high.
    Model m = HoldUp();
    m.make_evaluator = [] {
      return [](const std::vector<double>& x) {
        std::string o = x[0] < 0.5 ? "low" : x[0] > 0.5 ? "high" : "tie";
        return Observation{o, {x[0]}, {}};
      };
    };
    auto t = FindThresholds(m, ParseAxis(m, "power=0:1", 11), 1e-9, RunOptions{});
    REQUIRE(t.size() == 1);
    CHECK(std::abs(t[0].value - 0.5) < 1e-9);
    CHECK(t[0].below == "low");
    CHECK(t[0].above == "high");
    // The bracket is within the tolerance too: the two brackets around the tie, joined as
    // bisection left them, were [1/2 - 9.3e-10, 1/2 + 9.3e-10]. Each end is found to the last
    // double: low holds up to the double below 1/2, high from the double above.
    CHECK(t[0].lo == std::nextafter(0.5, 0.0));
    CHECK(t[0].hi == std::nextafter(0.5, 1.0));
    CHECK(t[0].value == 0.5);
  }

  TEST_CASE("thresholds: a bracket is never wider than the tolerance, so its middle is within half of it") {
    // "mid" holds on [0.3, 0.3 + w) inside a grid interval (grid points 0.2 and 0.4). Narrower
    // than the tolerance it is no region: one switch from low to high, its bracket at most 1e-9
    // wide around the stretch (joined as bisection left them, the brackets spanned up to
    // 3e-9). As wide as 2e-9 it is a region: two switches.
    for (double w : {5e-10, 2e-9}) {
      CAPTURE(w);
      Model m = HoldUp();
      m.make_evaluator = [w] {
        return [w](const std::vector<double>& x) {
          std::string o = x[0] < 0.3 ? "low" : x[0] < 0.3 + w ? "mid" : "high";
          return Observation{o, {x[0]}, {}};
        };
      };
      auto t = FindThresholds(m, ParseAxis(m, "power=0:1", 6), 1e-9, RunOptions{});
      REQUIRE(t.size() == (w < 1e-9 ? 1u : 2u));
      for (const auto& x : t) {
        CHECK(x.hi - x.lo <= 1e-9);
        CHECK(x.value == x.lo + (x.hi - x.lo) / 2);
      }
      CHECK(t.front().lo < 0.3);
      CHECK(t.back().hi >= 0.3 + w);
      CHECK(t.front().below == "low");
      CHECK(t.back().above == "high");
      if (w < 1e-9) CHECK(std::abs(t[0].value - (0.3 + w / 2)) <= 0.5e-9);
    }
  }

  TEST_CASE("thresholds text: the value to ten decimals, whatever its magnitude") {
    // A switch at 12.345678912 (10 significant digits would print 12.34567891, 2e-9 off).
    Model m = HoldUp();
    m.max = {100.0, std::nullopt};
    m.make_evaluator = [] {
      return [](const std::vector<double>& x) {
        return Observation{x[0] < 12.345678912 ? "low" : "high", {x[0]}, {}};
      };
    };
    Axis axis = ParseAxis(m, "power=0:100", 11);
    auto t = FindThresholds(m, axis, 1e-9, RunOptions{});
    REQUIRE(t.size() == 1);
    CHECK(std::abs(t[0].value - 12.345678912) <= 0.5e-9);
    CHECK(report::ThresholdsText(t, axis, false) ==
          "Thresholds of power in [0, 100] (grid of 11 points, each refined by bisection to 1e-9)\n"
          "  power = 12.345678912\n"
          "    below: low\n"
          "    above: high\n");
  }

  TEST_CASE("sweeps: grid values, two axes, ranges and parsing") {
    Model m = HoldUp();
    SweepResult r = RunSweep(m, {ParseAxis(m, "power=0:1:5")}, RunOptions{});
    REQUIRE(r.points.size() == 5);
    CHECK(r.points[1].x[0] == 0.25);
    CHECK(r.points[1].observation.outcome == "invest low");   // 0.25 < 1/3
    CHECK(r.points[2].observation.outcome == "invest high");  // 0.5 > 1/3
    CHECK(r.points[2].observation.values[0] == 2);            // 0.5*10 - 3
    SweepResult two = RunSweep(m, {ParseAxis(m, "power=0:1:3"), ParseAxis(m, "unused=0:1:4")}, RunOptions{});
    CHECK(two.points.size() == 12);
    CHECK(two.points[5].x == std::vector<double>{0.5, 1.0 / 3.0});  // index 5 = row 1, column 1
    CHECK_THROWS_WITH_AS(ParseAxis(m, "power=0:2:5"), doctest::Contains("leaves the parameter's range [0, 1]"), Error);
    CHECK_THROWS_WITH_AS(ParseAxis(m, "pwr=0:1:5"), doctest::Contains("unknown parameter 'pwr'; the parameters are: power, unused"), Error);
    CHECK_THROWS_AS(ParseAxis(m, "power=1:0:5"), Error);
    CHECK_THROWS_AS(ParseAxis(m, "power=0:1:1"), Error);
    CHECK_THROWS_AS(ParseAxis(m, "power=0:1"), Error);
    // 1e-400 was read as 0 (LO = 0 where 1e-400 was written); 1e400 as infinity.
    CHECK_THROWS_WITH_AS(ParseAxis(m, "unused=1e-400:1:3"),
                         "--vary unused: '1e-400' is too small to compute with (it would be 0); write 0 if 0 is meant",
                         Error);
    CHECK_THROWS_WITH_AS(ParseAxis(m, "unused=0:1e400:3"), doctest::Contains("'1e400' is beyond the range"), Error);
    CHECK(ParseAxis(m, "unused=0:1e-300:3").hi == 1e-300);
  }

  TEST_CASE("results do not depend on the thread count, and shards merge into the single run") {
    Model m = HoldUp();
    m.distributions[0].kind = Distribution::Kind::kUniform;
    RunOptions one, two;
    one.threads = 1;
    two.threads = 2;
    MonteCarloResult a = RunMonteCarlo(m, 2000, 99, one);
    MonteCarloResult b = RunMonteCarlo(m, 2000, 99, two);
    CHECK(MonteCarloJson(a, true) == MonteCarloJson(b, true));
    std::vector<MonteCarloResult> shards;
    for (std::size_t k = 0; k < 4; ++k) {
      RunOptions o;
      o.shard = {k, 4};
      // Through JSON, as `parley merge` reads them.
      shards.push_back(MonteCarloFromJson(MonteCarloJson(RunMonteCarlo(m, 2000, 99, o), true)));
    }
    MonteCarloResult merged = MergeMonteCarlo(shards);
    auto single = MonteCarloJson(a, true), combined = MonteCarloJson(merged, true);
    single.erase("shard");
    combined.erase("shard");
    CHECK(single == combined);
    shards.pop_back();
    CHECK_THROWS_WITH_AS(MergeMonteCarlo(shards), "shard 4/4 is missing", Error);

    std::vector<SweepResult> sweep_shards;
    Axis axis = ParseAxis(m, "power=0:1:23");
    for (std::size_t k = 0; k < 3; ++k) {
      RunOptions o;
      o.shard = {k, 3};
      sweep_shards.push_back(SweepFromJson(SweepJson(RunSweep(m, {axis}, o))));
    }
    SweepResult whole = RunSweep(m, {axis}, RunOptions{});
    CHECK(SweepCsv(MergeSweeps(sweep_shards)) == SweepCsv(whole));
  }

  TEST_CASE("Monte Carlo estimates a known probability") {
    // power ~ uniform(0, 1): P(invest high) = P(power >= 1/3) = 2/3.
    Model m = HoldUp();
    m.distributions[0].kind = Distribution::Kind::kUniform;
    MonteCarloResult r = RunMonteCarlo(m, 100000, 7, RunOptions{});
    REQUIRE(r.shares.size() == 2);
    CHECK(r.shares[0].outcome == "invest high");
    CHECK(std::abs(r.shares[0].probability - 2.0 / 3.0) < 0.01);
    CHECK(r.shares[0].ci_low < 2.0 / 3.0);
    CHECK(r.shares[0].ci_high > 2.0 / 3.0);
  }

  TEST_CASE("each Monte Carlo sample keeps the parameter values it was solved at") {
    // power ~ uniform(0, 1) drawn, `unused` fixed (no column). The investor's payoff is
    // max(10 b - 3, 4 b - 1) at the sample's own b: the kept value must reproduce it.
    Model m = HoldUp();
    m.distributions[0].kind = Distribution::Kind::kUniform;
    MonteCarloResult r = RunMonteCarlo(m, 200, 5, RunOptions{});
    REQUIRE(r.drawn_names == std::vector<std::string>{"power"});
    REQUIRE(r.samples.size() == 200);
    std::size_t distinct = 0;
    for (const MonteCarloSample& s : r.samples) {
      REQUIRE(s.drawn.size() == 1);
      const double b = s.drawn[0];
      CHECK(b >= 0.0);
      CHECK(b <= 1.0);
      CHECK(s.values[0] == std::max(b * 10 - 3, b * 4 - 1));
      distinct += &s != &r.samples.front() && s.drawn[0] != r.samples.front().drawn[0];
    }
    CHECK(distinct == 199);
    // In the CSV (sample, the values, the drawn parameters, outcome) and through JSON.
    const std::string csv = report::MonteCarloCsv(r);
    CHECK(csv.substr(0, csv.find('\n')) == "sample,investor,power,outcome");
    MonteCarloResult back = MonteCarloFromJson(MonteCarloJson(r, true));
    CHECK(back.drawn_names == r.drawn_names);
    REQUIRE(back.samples.size() == r.samples.size());
    for (std::size_t k = 0; k < r.samples.size(); ++k) CHECK(back.samples[k].drawn == r.samples[k].drawn);
    CHECK(report::MonteCarloCsv(back) == csv);
    // A summary alone (the text) keeps no draws; a run that keeps them is bounded by the
    // numbers it holds, refused before any work (2e7 samples of 20 values and 1 parameter).
    RunOptions summary;
    summary.keep_drawn = false;
    MonteCarloResult light = RunMonteCarlo(m, 50, 5, summary);
    CHECK(light.drawn_names.empty());
    for (const MonteCarloSample& s : light.samples) CHECK(s.drawn.empty());
    CHECK(report::MonteCarloText(light) == report::MonteCarloText(RunMonteCarlo(m, 50, 5, RunOptions{})));
    Model wide = m;
    wide.value_names.assign(20, "v");
    CHECK_THROWS_WITH_AS(RunMonteCarlo(wide, 20'000'000, 5, RunOptions{}),
                         doctest::Contains("one run keeps at most 400000000 numbers"), LimitError);
    // Shards that drew different parameters are from different runs.
    Model both = m;
    both.distributions[1].kind = Distribution::Kind::kUniform;
    both.distributions[1].low = 6;
    both.distributions[1].high = 8;
    RunOptions first, second;
    first.shard = {0, 2};
    second.shard = {1, 2};
    std::vector<MonteCarloResult> shards = {RunMonteCarlo(m, 10, 5, first), RunMonteCarlo(both, 10, 5, second)};
    CHECK_THROWS_WITH_AS(MergeMonteCarlo(shards),
                         doctest::Contains("the parameters drawn are power in shard 1/2 and power, unused in shard 2/2"),
                         Error);
  }

  TEST_CASE("an exactly solved agreement is at a bound within 1e-12 of its range, not 1e-9") {
    // Nash with equal powers over a price in [0, cap], S gets price, B gets v - price: the
    // price is min(v / 2, cap), so with v = 8 the switch is at cap = 4 exactly. At cap =
    // 4 + 1e-9 the price is 4, 1e-9 below the cap: in between. The 1e-9 (1 + |x|) rule
    // called it "at its maximum" up to cap = 4.000000004 and put the switch there.
    Model m = ScenarioModel(scenario::CompiledScenario::Compile(
                                "players: [S, B]\n"
                                "parameters:\n"
                                "  cap: {value: 3, min: 0.5, max: 10}\n"
                                "stages:\n"
                                "  - name: trade\n"
                                "    bargain:\n"
                                "      issues:\n"
                                "        price: {from: 0, to: cap}\n"
                                "payoffs:\n"
                                "  S: if(trade == agree, price, 0)\n"
                                "  B: if(trade == agree, 8 - price, 0)\n",
                                "s6.yaml"),
                            {});
    auto evaluate = m.make_evaluator();
    CHECK(evaluate({4.000000001}).outcome.find("price in between") != std::string::npos);
    CHECK(evaluate({3.999999999}).outcome.find("price at its maximum") != std::string::npos);
    CHECK(evaluate({4}).outcome.find("price at its maximum") != std::string::npos);
    std::vector<Threshold> t = FindThresholds(m, ParseAxis(m, "cap=0.5:10:20"), 1e-9, RunOptions{});
    REQUIRE(t.size() == 1);
    CHECK(t[0].lo <= 4.0);
    CHECK(t[0].hi >= 4.0);

    // An issue whose range is narrow beside its values: S gets p + q, B 4 - p - 2q, so S's
    // best is p = hi (p costs B less than q), computed an ulp above hi = 0.689. Past the bound
    // is at it, whatever the range's width: 1e-12 of a range 1e-5 wide is below an ulp, and a
    // sweep of lo called that row "in between" and a threshold there.
    Model narrow = ScenarioModel(scenario::CompiledScenario::Compile(
                                     "players: [S, B]\n"
                                     "parameters:\n"
                                     "  lo: {value: 0.5, min: 0, max: 0.7}\n"
                                     "  hi: {value: 0.689, min: 0, max: 10}\n"
                                     "stages:\n"
                                     "  - name: deal\n"
                                     "    bargain:\n"
                                     "      issues:\n"
                                     "        p: {from: lo, to: hi}\n"
                                     "        q: {from: 0, to: 1}\n"
                                     "      disagreement: [0, 0]\n"
                                     "payoffs:\n"
                                     "  S: if(deal == agree, p + q, 0)\n"
                                     "  B: if(deal == agree, 4 - p - 2 * q, 0)\n",
                                     "ik.yaml"),
                                 {});
    auto at = narrow.make_evaluator();
    for (double lo : {0.68, 0.688, 0.68899, 0.688999999}) {
      CAPTURE(lo);
      CHECK(at({lo, 0.689}).outcome.find("p at its maximum") != std::string::npos);
    }
    CHECK(FindThresholds(narrow, ParseAxis(narrow, "lo=0.68:0.68899:10"), 1e-9, RunOptions{}).empty());
  }

  TEST_CASE("a grid's ends are LO and HI exactly") {
    // 0.01 + (0.22 - 0.01) x 1 = 0.22000000000000003 in doubles, and 0.08 + 0.92 x 1 =
    // 1.0000000000000002: past a range's end (a probability 1 - q of -2.2e-16).
    Axis a;
    a.lo = 0.01, a.hi = 0.22, a.n = 6;
    CHECK(a.At(5) == 0.22);
    CHECK(a.At(0) == 0.01);
    Axis b;
    b.lo = 0.08, b.hi = 1, b.n = 6;
    CHECK(b.At(5) == 1.0);
    for (std::size_t i = 0; i < b.n; ++i) CHECK(b.At(i) <= 1.0);
    CHECK(b.At(1) == 0.08 + 0.92 * 1 / 5);
  }

  TEST_CASE("a grid's points are the decimals between the decimals written") {
    // In doubles, 0.05 + (0.95 - 0.05) x 2 / 4 = 0.49999999999999994 and 0.1 + 0.6 x 2 / 6 =
    // 0.30000000000000004: a row printed as 0.5 would be evaluated just below a switch at
    // p >= 0.5. Exactly: 1/20 + (19/20 - 1/20) x 2/4 = 1/2 and 1/10 + (7/10 - 1/10) x 2/6 = 3/10.
    Axis a;
    a.lo = 0.05, a.hi = 0.95, a.n = 5;
    CHECK(a.At(2) == 0.5);
    CHECK(a.At(1) == 0.275);
    CHECK(a.At(3) == 0.725);
    Axis b;
    b.lo = 0.1, b.hi = 0.7, b.n = 7;
    for (std::size_t i = 0; i < b.n; ++i) CHECK(b.At(i) == std::stod("0." + std::to_string(i + 1)));
  }

  TEST_CASE("a grid's ends written as fractions or long decimals are taken as written") {
    // The third point of 1/3:2/3:4 is 1/3 + (2/3 - 1/3) x 2/3 = 5/9 = 0.5555...: the nearest
    // double is 0.55555555555555558 (2.5e-17 away). From the doubles' shortest decimals,
    // 0.3333333333333333 + 0.3333333333333333 x 2/3 = 0.5555555555555555 exactly, whose
    // nearest double is 0.55555555555555547 (8.6e-17 from 5/9). The long decimals' third point,
    // 0.55555555555555555555557, has the same nearest double as 5/9.
    for (const char* vary : {"x=1/3:2/3:4", "x=0.3333333333333333333333:0.6666666666666666666667:4"}) {
      CAPTURE(vary);
      const Axis axis = ParseAxisText(vary);
      CHECK(!axis.lo_written.empty());
      CHECK(!axis.hi_written.empty());
      CHECK(axis.At(0) == 1.0 / 3);
      CHECK(axis.At(3) == 2.0 / 3);
      CHECK(axis.At(2) == 0.5555555555555556);
      CHECK(axis.At(2) != 0.5555555555555555);
      CHECK(axis.At(1) == 0.4444444444444444);  // 4/9
    }
    // Short decimals keep no text: their doubles' shortest decimals are what was written.
    const Axis plain = ParseAxisText("x=0.05:0.95:5");
    CHECK(plain.lo_written.empty());
    CHECK(plain.hi_written.empty());
  }

  TEST_CASE("a grid's points from small integers are those of the exact fractions") {
    // Axis::At divides two integers below 2^53 in doubles when the decimals are short (IEEE
    // division is correctly rounded), and goes through the exact fraction otherwise: both must
    // give the double nearest to LO + (HI - LO) i / (n - 1) computed exactly, here from the
    // decimals' fractions with GMP, on ends of every kind (short and long decimals, negative,
    // tiny, ends whose fast path would overflow 2^53) and grids up to 10^6 points.
    const char* ends[] = {"0", "0.05", "-3.7", "1e-3", "0.1", "12.345", "-0.95", "7",
                          "0.333", "1e-9", "0.1234567891", "-123456.789", "1e15", "3.14159265358979"};
    std::uint64_t state = 7;
    auto next = [&state] {  // a fixed pseudo-random sequence (splitmix64)
      std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
      return z ^ (z >> 31);
    };
    std::size_t checked = 0;
    for (const char* lo_text : ends)
      for (const char* hi_text : ends) {
        const double lo = std::stod(lo_text), hi = std::stod(hi_text);
        if (!(lo < hi)) continue;
        Number written_lo, written_hi;
        REQUIRE(Number::Parse(lo_text, &written_lo));
        REQUIRE(Number::Parse(hi_text, &written_hi));
        const Rational a = written_lo.ToRational(), b = written_hi.ToRational();
        for (std::size_t n : {3u, 11u, 2011u, 1000003u}) {
          Axis axis;
          axis.lo = lo, axis.hi = hi, axis.n = n;
          for (int t = 0; t < 50; ++t) {
            const std::size_t i = 1 + static_cast<std::size_t>(next() % (n - 2));
            const double exact = ToDouble(a + (b - a) * Rational(mpz_class(i)) / Rational(mpz_class(n - 1)));
            CHECK_MESSAGE(axis.At(i) == std::min(hi, exact), lo_text, ":", hi_text, ":", n, " point ", i);
            ++checked;
          }
        }
      }
    CHECK(checked == 91 * 4 * 50);
    // A denominator past 2^53 with a numerator below it: 1e-9 to 3e-9 in 5,859,376 points, at
    // point 249,900 the exact fraction's double is 1.0852992e-09 and the quotient of the two
    // integers as doubles 1.0852992000000001e-09.
    Axis fine;
    fine.lo = 1e-9, fine.hi = 3e-9, fine.n = 5859376;
    const Rational a = Rational(1, 1000000000), b = Rational(3, 1000000000);
    const double exact = ToDouble(a + (b - a) * Rational(mpz_class(249900)) / Rational(mpz_class(fine.n - 1)));
    CHECK(exact == 1.0852992e-09);
    CHECK(fine.At(249900) == exact);
    // Axes asked in turn (a sweep over two): each keeps its points.
    Axis other;
    other.lo = 0.05, other.hi = 0.95, other.n = 5;
    for (int round = 0; round < 3; ++round) {
      CHECK(other.At(2) == 0.5);
      CHECK(fine.At(249900) == exact);
    }
  }

  TEST_CASE("value statistics: equal values have that mean and no spread, a known spread") {
    MonteCarloResult r;
    r.value_names = {"constant", "offset", "missing"};
    r.outcomes = {"deal"};
    r.outcome_keys = {"deal"};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t k = 0; k < 500; ++k) {
      // 1e8 + 0.25, 1e8 + 0.5, 1e8 + 0.75 in turn (and 1e8 + 0.5 twice more at the end): mean
      // 1e8 + 0.5 exactly; squared deviations 2 x 0.0625 per three samples.
      const double offset = k < 498 ? 1e8 + 0.25 * static_cast<double>(k % 3 + 1) : 1e8 + 0.5;
      r.samples.push_back({k, 0, {0.4, offset, nan}, {}});
    }
    r.requested = r.samples.size();
    Summarise(r);
    REQUIRE(r.value_stats.size() == 3);
    // A plain sum of 500 times 0.4, divided by 500, is 0.4 + 1 ulp or so, and its standard
    // deviation was 3.5e-15.
    CHECK(r.value_stats[0].mean == 0.4);
    CHECK(r.value_stats[0].sd == 0.0);
    CHECK(r.value_stats[0].median == 0.4);
    CHECK(r.value_stats[0].count == 500);
    // 166 full cycles: 166 x 0.125 = 20.75 of squared deviations over 499 degrees of freedom.
    CHECK(r.value_stats[1].mean == 1e8 + 0.5);
    CHECK(r.value_stats[1].sd == doctest::Approx(std::sqrt(20.75 / 499)).epsilon(1e-14));
    CHECK(r.value_stats[2].count == 0);
    CHECK(std::isnan(r.value_stats[2].mean));
  }

  TEST_CASE("value statistics: no samples, and values near the ends of a double's range") {
    // A shard that drew no sample has no statistics (they were 0).
    MonteCarloResult none;
    none.value_names = {"v"};
    Summarise(none);
    REQUIRE(none.value_stats.size() == 1);
    CHECK(none.value_stats[0].count == 0);
    CHECK(std::isnan(none.value_stats[0].mean));
    CHECK(std::isnan(none.value_stats[0].sd));
    CHECK(std::isnan(none.value_stats[0].median));
    // 1, 2, 3 times a scale: the mean is 2 scales and the sample standard deviation 1 scale
    // (deviations -1, 0, 1; (1 + 0 + 1) / (3 - 1) = 1). The squares of 1e200 overflowed (sd
    // inf), those of 1e-200 underflowed (sd 0), and the sum of deviations near 1e308 overflowed
    // (mean n/a).
    for (double scale : {1e200, 1e-200, 5e307}) {
      CAPTURE(scale);
      MonteCarloResult r;
      r.value_names = {"v"};
      r.outcomes = {"o"};
      r.outcome_keys = {"o"};
      r.samples.push_back({0, 0, {1 * scale}, {}});
      r.samples.push_back({1, 0, {3 * scale}, {}});
      r.samples.push_back({2, 0, {2 * scale}, {}});
      r.requested = 3;
      Summarise(r);
      // Every sample has the one outcome: its interval ends at 1 exactly (Wilson's formula
      // gave 0.9999999999999999, below the estimate 1). Its lower end, by the formula:
      // (1 + z^2 / 6) / (1 + z^2 / 3) - (z^2 / 6) / (1 + z^2 / 3) = 1 / (1 + z^2 / 3), z = 1.96.
      REQUIRE(r.shares.size() == 1);
      CHECK(r.shares[0].probability == 1);
      CHECK(r.shares[0].ci_high == 1);
      CHECK(r.shares[0].ci_low == doctest::Approx(1 / (1 + 1.959963984540054 * 1.959963984540054 / 3)));
      CHECK(r.value_stats[0].mean == doctest::Approx(2 * scale).epsilon(1e-15));
      CHECK(r.value_stats[0].sd == doctest::Approx(scale).epsilon(1e-15));
      CHECK(r.value_stats[0].q25 == doctest::Approx(1.5 * scale).epsilon(1e-15));
    }
    // Quantiles between values whose difference overflows: halfway between -1.5e308 and
    // 1.5e308 is 0.
    MonteCarloResult wide;
    wide.value_names = {"v"};
    wide.outcomes = {"o"};
    wide.outcome_keys = {"o"};
    wide.samples.push_back({0, 0, {-1.5e308}, {}});
    wide.samples.push_back({1, 0, {1.5e308}, {}});
    wide.requested = 2;
    Summarise(wide);
    CHECK(wide.value_stats[0].median == 0);
    // Text never writes a value that is not whole as a whole number: 1e9 + 0.5 has ten
    // significant digits before its point (it printed 1000000000, where solve shows the .5).
    MonteCarloResult big;
    big.value_names = {"v"};
    big.outcomes = {"o"};
    big.outcome_keys = {"o"};
    big.samples.push_back({0, 0, {1000000000.5}, {}});
    big.samples.push_back({1, 0, {1000000000.5}, {}});
    big.requested = 2;
    Summarise(big);
    CHECK(report::MonteCarloText(big).find("  v\t2\t1000000000.5\t0\t1000000000.5\t") != std::string::npos);
  }

  TEST_CASE("value statistics: one sample has no standard deviation (n/a in text, null in JSON)") {
    // The sample standard deviation divides by n - 1: with one sample it is 0/0, not 0.
    MonteCarloResult r;
    r.value_names = {"once", "twice"};
    r.outcomes = {"deal"};
    r.outcome_keys = {"deal"};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    r.samples.push_back({0, 0, {0.25, 1}, {}});
    r.samples.push_back({1, 0, {nan, 3}, {}});
    r.requested = 2;
    Summarise(r);
    REQUIRE(r.value_stats.size() == 2);
    CHECK(r.value_stats[0].count == 1);
    CHECK(r.value_stats[0].mean == 0.25);
    CHECK(std::isnan(r.value_stats[0].sd));
    CHECK(r.value_stats[0].median == 0.25);
    CHECK(r.value_stats[1].sd == doctest::Approx(std::sqrt(2.0)));  // (1 + 1) / (2 - 1)
    std::string text = report::MonteCarloText(r);
    CHECK(text.find("  once\t1\t0.25\tn/a\t0.25\t0.25\t0.25\t0.25\t0.25\n") != std::string::npos);
    CHECK(MonteCarloJson(r, false)["values"]["once"]["sd"].is_null());
    CHECK(MonteCarloJson(r, false).dump().find("\"sd\":null") != std::string::npos);
  }

  TEST_CASE("a triangular quantile over a range near the largest double") {
    // On [-1e300, 1e300] with mode 0: F(0) = 1/2, and below the mode F(x) = (x - a)^2 /
    // ((b - a)(c - a)), so the quantile p is a + sqrt(p (b - a)(c - a)) = -1e300 + 1e300 *
    // sqrt(2p). The product (b - a)(c - a) = 2e600 overflows a double (the quantile was
    // -1e300 + inf = inf for every p below the mode).
    Distribution tri;
    tri.kind = Distribution::Kind::kTriangular;
    tri.low = -1e300, tri.mode = 0, tri.high = 1e300;
    CHECK(DistributionQuantile(tri, 0.125) == doctest::Approx(-0.5e300));  // sqrt(0.25) = 0.5
    CHECK(DistributionQuantile(tri, 0.5) == doctest::Approx(0).epsilon(1e-12).scale(1e300));
    CHECK(DistributionQuantile(tri, 0.875) == doctest::Approx(0.5e300));   // by symmetry
    CHECK(DistributionQuantile(tri, 0.0) == -1e300);
    CHECK(DistributionQuantile(tri, 1.0) == 1e300);
    // The same formula on a small range, against the closed form: [0, 6], mode 3, p = 0.125:
    // sqrt(0.125 * 6 * 3) = 1.5.
    tri.low = 0, tri.mode = 3, tri.high = 6;
    CHECK(DistributionQuantile(tri, 0.125) == doctest::Approx(1.5));
  }

  TEST_CASE("distributions: means and ranges") {
    Xoshiro256 rng(1, 0);
    auto mean_of = [&](const Distribution& d) {
      double sum = 0;
      for (int i = 0; i < 200000; ++i) sum += Draw(d, 0, rng);
      return sum / 200000;
    };
    Distribution tri;
    tri.kind = Distribution::Kind::kTriangular;
    tri.low = 0, tri.mode = 3, tri.high = 6;
    CHECK(mean_of(tri) == doctest::Approx(3).epsilon(0.01));  // (a + c + b)/3 = 3
    Distribution beta;
    beta.kind = Distribution::Kind::kBeta;
    beta.alpha = 2, beta.beta = 6, beta.low = 0, beta.high = 1;
    CHECK(mean_of(beta) == doctest::Approx(0.25).epsilon(0.01));  // alpha/(alpha+beta) = 2/8
    Distribution discrete;
    discrete.kind = Distribution::Kind::kDiscrete;
    discrete.values = {0, 10};
    discrete.weights = {3, 1};
    CHECK(mean_of(discrete) == doctest::Approx(2.5).epsilon(0.02));  // 10 * 1/4
    Distribution normal;
    normal.kind = Distribution::Kind::kNormal;
    normal.mean = 0, normal.sd = 1, normal.min = 0.0, normal.max = 10.0;
    // A standard normal truncated to [0, inf): mean sqrt(2/pi) = 0.7979.
    CHECK(mean_of(normal) == doctest::Approx(std::sqrt(2 / M_PI)).epsilon(0.01));
    for (int i = 0; i < 1000; ++i) {
      double x = Draw(normal, 0, rng);
      CHECK((x >= 0 && x <= 10));
    }
  }

  TEST_CASE("a raised cancel flag stops the run and keeps what was done") {
    Model m = HoldUp();
    std::atomic<bool> cancel{true};
    RunOptions o;
    o.cancel = &cancel;
    SweepResult r = RunSweep(m, {ParseAxis(m, "power=0:1:100")}, o);
    CHECK(r.interrupted);
    CHECK(r.points.empty());
    CHECK(SweepText(r).find("interrupted") != std::string::npos);
  }

  TEST_CASE("an outcome names each information set's choice once") {
    // Matching pennies: Bo's one set holds both nodes after Ann's move, both reached.
    auto game = io::ReadEfg(testing::kMatchingPenniesEfg, "pennies.efg");
    auto solution = equilibrium::SolveSubgamePerfect(*game);
    CHECK(DescribePath(*game, solution.equilibria.at(0)) == "Ann mixes H/T > Bo mixes H/T");
  }

  TEST_CASE("an outcome's words branch at chance moves, and only where the branches differ") {
    // Ann complains (2 > 1). Then the regulator acts (1/3) or dismisses (2/3). Bo sees which:
    // after "acts" he litigates (1 > 0), after "dismisses" he accepts (2 > 0). Then a second
    // chance move (a coin, 1/2 each) that no one sees, before Ann's last choice "x" or "y"
    // (x: 1 > 0) in one set across the coin; after "dismisses", no coin and no more moves.
    constexpr const char* kEfg = R"(EFG 2 R "branches" { "Ann" "Bo" }
p "" 1 1 "complaint" { "complain" "refrain" } 0
c "" 1 "regulator" { "acts" 1/3 "dismisses" 2/3 } 0
p "" 2 1 "after acts" { "litigate" "settle" } 0
c "" 2 "coin" { "heads" 1/2 "tails" 1/2 } 0
p "" 1 2 "last" { "x" "y" } 0
t "" 1 "" { 2 1 }
t "" 2 "" { 1 1 }
p "" 1 2 "last" { "x" "y" } 0
t "" 3 "" { 2 1 }
t "" 4 "" { 1 1 }
t "" 5 "" { 0 0 }
p "" 2 2 "after dismisses" { "accept" "fight" } 0
t "" 6 "" { 2 2 }
t "" 7 "" { 2 0 }
t "" 8 "" { 1 0 }
)";
    auto game = io::ReadEfg(kEfg, "branches.efg");
    auto solution = equilibrium::SolveSubgamePerfect(*game);
    CHECK(DescribePath(*game, solution.equilibria.at(0)) ==
          "Ann complain > (regulator acts: Bo litigate > Ann x; dismisses: Bo accept)");
  }

  TEST_CASE("shard parsing") {
    CHECK(ParseShard("2/8").index == 1);
    CHECK(ParseShard("2/8").count == 8);
    CHECK_THROWS_AS(ParseShard("0/8"), Error);
    CHECK_THROWS_AS(ParseShard("9/8"), Error);
    CHECK_THROWS_AS(ParseShard("x"), Error);
  }
}

}  // namespace
}  // namespace parley::analysis
