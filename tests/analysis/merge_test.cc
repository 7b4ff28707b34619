// Shards read back: merging K shard files equals the single run on every scenario of games/
// and scenarios/, and a damaged or crafted shard file is refused with the field named.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "solver/analysis/analysis.h"
#include "solver/analysis/results_json.h"
#include "solver/report/analysis_results.h"
#include "solver/analysis/scenario_model.h"
#include "solver/model/error.h"
#include "tests/test_util.h"

namespace parley::analysis {
namespace {

using report::SweepCsv;
using report::SweepJson;
using report::MonteCarloText;
using report::MonteCarloJson;

using nlohmann::json;

// Writes a result as its file would hold it and reads it back.
json RoundTrip(const json& j) { return json::parse(j.dump(1)); }

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  for (const char* folder : {"games", "scenarios"})
    for (const auto& entry : std::filesystem::directory_iterator(testing::SourcePath(folder)))
      if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// A sweep axis over parameter p: a small step up from its value (down when that leaves its
// range), so that the tree keeps its size.
Axis AxisNear(const Model& m, std::size_t p, std::size_t n) {
  Axis axis;
  axis.name = m.parameter_names[p];
  axis.parameter = p;
  double v = m.base_values[p], step = 0.01 * (1 + std::abs(v));
  axis.lo = v;
  axis.hi = v + step;
  if (m.max[p] && axis.hi > *m.max[p]) {
    axis.lo = v - step;
    axis.hi = v;
  }
  axis.n = n;
  return axis;
}

TEST_SUITE("analysis.merge") {
  TEST_CASE("K shard files merge into exactly the single run, for every scenario") {
    std::size_t files = 0, with_missing_values = 0;
    for (const std::string& file : ScenarioFiles()) {
      CAPTURE(file);
      Model m = ScenarioModel(file, ScenarioModelOptions{});
      if (m.parameter_names.empty()) continue;
      ++files;
      RunOptions single;
      single.threads = 1;
      // Sweep: 5 points in 3 shards (uneven: 2, 2, 1), over the first parameter that may vary near its value
      // (a whole-number parameter such as a count of rounds may not).
      std::vector<Axis> axes;
      SweepResult whole;
      for (std::size_t p = 0; p < m.parameter_names.size() && axes.empty(); ++p) {
        try {
          whole = RunSweep(m, {AxisNear(m, p, 5)}, single);
          axes.push_back(AxisNear(m, p, 5));
        } catch (const Error&) {
        }
      }
      REQUIRE(!axes.empty());
      std::vector<SweepResult> sweep_shards;
      for (std::size_t k = 0; k < 3; ++k) {
        RunOptions part = single;
        part.shard = Shard{k, 3};
        sweep_shards.push_back(SweepFromJson(RoundTrip(SweepJson(RunSweep(m, axes, part)))));
      }
      SweepResult merged = MergeSweeps(std::move(sweep_shards));
      CHECK(SweepJson(merged).dump() == SweepJson(whole).dump());
      CHECK(SweepCsv(merged) == SweepCsv(whole));
      for (const auto& p : whole.points)
        for (double v : p.observation.values) with_missing_values += std::isnan(v) ? 1 : 0;
      // Monte Carlo: 14 samples in 3 shards (uneven too; few, because a scenario whose bargain
      // has stages after the agreement costs about half a second per sample); a scenario without distributions gets a uniform
      // one on the sweep's axis.
      bool any = false;
      for (const auto& d : m.distributions) any = any || d.kind != Distribution::Kind::kFixed;
      if (!any) {
        m.distributions[0].kind = Distribution::Kind::kUniform;
        m.distributions[0].low = axes[0].lo;
        m.distributions[0].high = axes[0].hi;
      }
      MonteCarloResult mc = RunMonteCarlo(m, 14, 3, single);
      std::vector<MonteCarloResult> mc_shards;
      for (std::size_t k = 0; k < 3; ++k) {
        RunOptions part = single;
        part.shard = Shard{k, 3};
        mc_shards.push_back(MonteCarloFromJson(RoundTrip(MonteCarloJson(RunMonteCarlo(m, 14, 3, part), true))));
      }
      MonteCarloResult mc_merged = MergeMonteCarlo(std::move(mc_shards));
      CHECK(MonteCarloJson(mc_merged, true).dump() == MonteCarloJson(mc, true).dump());
      CHECK(MonteCarloText(mc_merged) == MonteCarloText(mc));
      for (const auto& s : mc.samples)
        for (double v : s.values) with_missing_values += std::isnan(v) ? 1 : 0;
    }
    CHECK(files >= 10);
    // Rows whose values do not exist (null in JSON, which merge used to refuse) are covered
    // here when a scenario has them and always by analysis.cli's two-step scenario.
    MESSAGE("values that do not exist: " << with_missing_values);
  }

  TEST_CASE("shards computed from two scenario texts are refused, however alike their runs") {
    // The same parameters, seed and columns, but A's payoff 3 in one file and 5 in the other:
    // merged, the table mixed the two games (A's value not monotone in c at one p).
    auto text = [](const char* good) {
      return std::string("players: [A, B]\n"
                         "parameters:\n"
                         "  p: {value: 0.5, min: 0, max: 1, distribution: {type: uniform, low: 0.2, high: 0.8}}\n"
                         "  c: {value: 1, min: 0, max: 5}\n"
                         "stages:\n"
                         "  - {name: enter, player: A, actions: [in, out]}\n"
                         "  - {name: luck, player: nature, actions: [good, bad], probabilities: [p, 1 - p], "
                         "condition: enter == in}\n"
                         "payoffs:\n"
                         "  A: if(enter == in, if(luck == good, ") + good + ", -1) - c, 0)\n  B: 1\n";
    };
    Model one = ScenarioModel(scenario::CompiledScenario::Compile(text("3"), "s1.yaml"), {});
    Model other = ScenarioModel(scenario::CompiledScenario::Compile(text("5"), "s1.yaml"), {});
    Model same = ScenarioModel(scenario::CompiledScenario::Compile(text("3"), "copy.yaml"), {});
    REQUIRE(one.input_digest.size() == 16);
    CHECK(one.input_digest != other.input_digest);
    CHECK(one.input_digest == same.input_digest);  // the text decides, not the file's name
    RunOptions first, second;
    first.shard = Shard{0, 2};
    second.shard = Shard{1, 2};
    auto mc = [&](const Model& m, const RunOptions& o) {
      return MonteCarloFromJson(RoundTrip(MonteCarloJson(RunMonteCarlo(m, 20, 7, o), true)));
    };
    CHECK_NOTHROW(MergeMonteCarlo({mc(one, first), mc(same, second)}));
    const std::string refusal = "these shards come from different Monte Carlo runs: the scenario's text (another "
                                "file, or the file edited between the runs) has digest " +
                                one.input_digest + " in shard 1/2";
    CHECK_THROWS_WITH_AS(MergeMonteCarlo({mc(one, first), mc(other, second)}), doctest::Contains(refusal.c_str()),
                         Error);
    std::vector<Axis> axes{ParseAxis(one, "c=0:2:3")};
    auto sweep = [&](const Model& m, const RunOptions& o) { return SweepFromJson(RoundTrip(SweepJson(RunSweep(m, axes, o)))); };
    CHECK_NOTHROW(MergeSweeps({sweep(one, first), sweep(same, second)}));
    CHECK_THROWS_WITH_AS(MergeSweeps({sweep(one, first), sweep(other, second)}),
                         doctest::Contains("these shards come from different sweeps: the scenario's text"), Error);
  }

  TEST_CASE("a crafted shard is refused with the field named, never trusted as an index") {
    // A valid two-shard Monte Carlo file to damage, from a model in closed form.
    Model m;
    m.parameter_names = {"p"};
    m.base_values = {0.5};
    m.min = {0.0};
    m.max = {1.0};
    m.distributions.assign(1, Distribution{});
    m.distributions[0].kind = Distribution::Kind::kUniform;
    m.value_names = {"x", "y"};
    m.make_evaluator = [] {
      return [](const std::vector<double>& v) {
        return v[0] < 0.5 ? Observation{"low", {v[0], std::nan("")}, {}} : Observation{"high", {v[0], 1}, {}};
      };
    };
    RunOptions part;
    part.shard = Shard{1, 2};
    const json good = RoundTrip(MonteCarloJson(RunMonteCarlo(m, 10, 1, part), true));
    CHECK_NOTHROW(MonteCarloFromJson(good));
    auto refused = [&](const std::function<void(json&)>& damage, const std::string& message) {
      json bad = good;
      damage(bad);
      CAPTURE(message);
      CHECK_THROWS_WITH_AS(MonteCarloFromJson(bad), doctest::Contains(message.c_str()), Error);
    };
    refused([](json& j) { j["shard"]["index"] = 0; }, "/shard/index: 0 is out of range; expected a whole number from 1 to 2");
    refused([](json& j) { j["shard"]["index"] = -3; }, "/shard/index: -3 is negative");
    refused([](json& j) { j["shard"]["index"] = 100000000000LL; }, "/shard/index: 100000000000 is out of range");
    refused([](json& j) { j["shard"]["index"] = 1.5; }, "/shard/index: expected a whole number, found 1.5");
    refused([](json& j) { j["shard"]["index"] = "2"; }, "/shard/index: expected a whole number, found string");
    refused([](json& j) { j["shard"]["count"] = 0; }, "/shard/count: 0 is out of range");
    refused([](json& j) { j["shard"].erase("count"); }, "/shard: the field \"count\" is missing");
    refused([](json& j) { j["requested"] = 100000000000LL; }, "/requested: 100000000000 is out of range");
    refused([](json& j) { j["samples"][0][0] = 2; }, "/samples/0/0: sample 2 does not belong to shard 2/2");
    refused([](json& j) { j["samples"][0][0] = 11; }, "/samples/0/0: 11 is out of range");
    refused([](json& j) { j["samples"][1][0] = 1; }, "/samples/1/0: samples must be in increasing order");
    refused([](json& j) { j["samples"][0][1] = 7; }, "/samples/0/1: 7 is out of range");
    refused([](json& j) { j["samples"][0][2] = "x"; }, "/samples/0/2: expected a number or null, found string");
    // [index, outcome, x, y, p]: one entry less.
    refused([](json& j) { j["samples"][0].erase(3); }, "/samples/0: 4 entries");
    refused([](json& j) { j["samples"].erase(0); }, "/samples: 4 samples; shard 2/2 of 10 has 5");
    refused([](json& j) { j["computed"] = 4; }, "/computed: 4 is out of range");
    refused([](json& j) { j["value_names"][1] = 3; }, "/value_names/1: expected a string, found number");
    refused([](json& j) { j["outcome_names"] = json::array(); }, " keys for 0 outcome names");
    refused([](json& j) { j["interrupted"] = "no"; }, "/interrupted: expected true or false");
    refused([](json& j) { j["kind"] = "sweep"; }, "/kind: expected \"montecarlo\"");
    refused([](json& j) { j = json::array(); }, "expected a JSON object");
    // Nulls are values that do not exist, not errors; a NaN row reads back as NaN.
    MonteCarloResult back = MonteCarloFromJson(good);
    bool saw_missing = false;
    for (const auto& s : back.samples) saw_missing = saw_missing || std::isnan(s.values[1]);
    CHECK(saw_missing);

    // Sweeps: the same checks, plus points that must sit on the grid the axes define.
    SweepResult sweep = RunSweep(m, {ParseAxis(m, "p=0:1:5")}, part);
    const json sgood = RoundTrip(SweepJson(sweep));
    CHECK_NOTHROW(SweepFromJson(sgood));
    auto srefused = [&](const std::function<void(json&)>& damage, const std::string& message) {
      json bad = sgood;
      damage(bad);
      CAPTURE(message);
      CHECK_THROWS_WITH_AS(SweepFromJson(bad), doctest::Contains(message.c_str()), Error);
    };
    srefused([](json& j) { j["shard"]["index"] = 0; }, "/shard/index: 0 is out of range");
    srefused([](json& j) { j["total"] = 6; }, "/total: 6 is out of range; expected a whole number from 5 to 5");
    srefused([](json& j) { j["points"][0]["index"] = 100000000000LL; }, "/points/0/index: 100000000000 is out of range");
    srefused([](json& j) { j["points"][0]["x"][0] = 0.3; }, "/points/0/x/0: 0.3 is not grid point 1 of p (0.25)");
    srefused([](json& j) { j["points"][0]["values"] = json::array({1}); }, "/points/0/values: 1 values; value_names has 2");
    srefused([](json& j) { j["axes"][0]["n"] = -1; }, "/axes/0/n: -1 is negative");
    srefused([](json& j) { j["axes"][0]["lo"] = nullptr; }, "/axes/0/lo: expected a number, found null");
    srefused([](json& j) { j["axes"] = json::array(); }, "/axes: a sweep has one or two axes");
    srefused([](json& j) { j["axes"][0]["lo_written"] = "1/3"; }, "/axes/0/lo_written: '1/3' is not a number that rounds to 0");
    srefused([](json& j) { j["axes"][0]["hi_written"] = 7; }, "/axes/0/hi_written: expected a string");
  }
}

}  // namespace
}  // namespace parley::analysis
