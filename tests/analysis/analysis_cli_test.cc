// parley sweep / thresholds / montecarlo / merge through the real binary.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/test_util.h"

namespace parley::testing {
namespace {

// A hold-up scenario with a threshold in closed form: the investor invests high (cost 3,
// surplus 10) or low (cost 1, surplus 4) and then gets the share `power` of the surplus.
// High pays 10 power - 3, low 4 power - 1: high iff power >= (3 - 1)/(10 - 4) = 1/3.
const char* kHoldUp = R"(title: Hold-up in closed form
players: [Investor, Partner]
parameters:
  power: {value: 0.5, min: 0, max: 1, assumption: true, distribution: {type: uniform, low: 0, high: 1}}
stages:
  - name: invest
    player: Investor
    actions: [high, low]
payoffs:
  Investor: if(invest == high, 10 * power - 3, 4 * power - 1)
  Partner: if(invest == high, 10 * (1 - power), 4 * (1 - power))
)";

TEST_SUITE("analysis.cli") {
  TEST_CASE("thresholds finds the closed-form switching value") {
    std::string file = "'" + WriteTempFile("holdup.yaml", kHoldUp) + "'";
    auto r = RunParley("thresholds " + file + " --vary power=0:1 --format json");
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["thresholds"].size() == 1);
    CHECK(std::abs(j["thresholds"][0]["value"].get<double>() - 1.0 / 3.0) < 1e-9);
    CHECK(j["thresholds"][0]["below"] == "Investor low");
    CHECK(j["thresholds"][0]["above"] == "Investor high");
  }

  TEST_CASE("sweep writes one CSV row per point, 4 shards merge into the single run") {
    std::string file = "'" + WriteTempFile("holdup.yaml", kHoldUp) + "'";
    auto csv = RunParley("sweep " + file + " --vary power=0:1:5 --format csv");
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out ==
          "index,power,Investor,Partner,outcome\n"
          "0,0,-1,4,Investor low\n"
          "1,0.25,0,3,Investor low\n"
          "2,0.5,2,5,Investor high\n"
          "3,0.75,4.5,2.5,Investor high\n"
          "4,1,7,0,Investor high\n");
    // A grid whose ends are fractions is computed from them, in the single run and in merged
    // shards alike: 1/3 + (2/3 - 1/3) x 2/3 = 5/9, whose nearest double is 0.5555555555555556.
    for (const char* command : {"sweep --vary power=0:1:37", "montecarlo --samples 3000 --seed 5",
                                "sweep --vary power=1/3:2/3:4"}) {
      CAPTURE(command);
      auto single = RunParley(std::string(command).substr(0, std::string(command).find(' ')) + " " + file +
                              std::string(command).substr(std::string(command).find(' ')) + " --format json");
      REQUIRE(single.exit_code == 0);
      std::string shards;
      for (int k = 1; k <= 4; ++k) {
        std::string out = BuildPath("test-tmp/shard" + std::to_string(k) + ".json");
        std::string c(command);
        auto r = RunParley(c.substr(0, c.find(' ')) + " " + file + c.substr(c.find(' ')) +
                           " --format json --shard " + std::to_string(k) + "/4 -o '" + out + "'");
        REQUIRE(r.exit_code == 0);
        shards += " '" + out + "'";
      }
      auto merged = RunParley("merge" + shards + " --format json");
      REQUIRE(merged.exit_code == 0);
      auto a = nlohmann::json::parse(single.out), b = nlohmann::json::parse(merged.out);
      a.erase("shard");
      b.erase("shard");
      CHECK(a == b);
      if (std::string(command).find("1/3") != std::string::npos) {
        CHECK(b["axes"][0]["lo_written"] == "1/3");
        CHECK(b["axes"][0]["hi_written"] == "2/3");
        CHECK(b["points"][2]["x"][0].get<double>() == 0.5555555555555556);
      }
      auto missing = RunParley("merge" + shards.substr(0, shards.rfind(" '")) + " --format json");
      CHECK(missing.exit_code == 1);
      CHECK(missing.err.find("shard 4/4 is missing") != std::string::npos);
    }
  }

  TEST_CASE("sweep text shows numbers as solve's text does, CSV and JSON keep every digit") {
    // At regulator_acts = 0 the Platform's payoff computes to 230.00000000000003, which
    // `solve --set regulator_acts=0` prints as 230; the agreed commission 0.2575 at 0.25 is
    // 0.25749999999999995.
    const std::string file = "'" + SourcePath("scenarios/platform_regulator.yaml") + "'";
    auto solve = RunParley("solve " + file + " --set regulator_acts=0");
    REQUIRE(solve.exit_code == 0);
    CHECK(solve.out.find("Payoffs: Platform 230, Developer 770\n") != std::string::npos);
    auto text = RunParley("sweep " + file + " --vary regulator_acts=0:1:5");
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("\n0\t230\t770\t0.23\t") != std::string::npos);
    CHECK(text.out.find("\n0.25\t257.5\t742.5\t0.2575\t") != std::string::npos);
    CHECK(text.out.find("230.00000000000003") == std::string::npos);
    auto csv = RunParley("sweep " + file + " --vary regulator_acts=0:1:5 --format csv");
    REQUIRE(csv.exit_code == 0);
    CHECK(csv.out.find("\n0,0,230.00000000000003,770,0.23,") != std::string::npos);
    CHECK(csv.out.find(",0.25749999999999995,") != std::string::npos);
    auto json = RunParley("sweep " + file + " --vary regulator_acts=0:1:5 --format json");
    REQUIRE(json.exit_code == 0);
    CHECK(nlohmann::json::parse(json.out)["points"][0]["values"][0].get<double>() == 230.00000000000003);
    // A column's rounding is judged at its own scale: payoffs of about 1e-13 are no rounding
    // of 0 (the payoffs of `tiny` are 1e-13 times the power), while the parameter column,
    // whose unit is 1, shows its points as they are.
    const std::string tiny = "'" + WriteTempFile("tiny_sweep.yaml", R"(title: Payoffs in units of 1e-13
players: [A, B]
parameters:
  power: {value: 0.5, min: 0, max: 1}
stages:
  - name: go
    player: A
    actions: [yes, no]
payoffs:
  A: if(go == yes, 3e-13 * power, 1e-13)
  B: 1e-13
)") + "'";
    auto small = RunParley("sweep " + tiny + " --vary power=0:1:3");
    REQUIRE(small.exit_code == 0);
    CHECK(small.out.find("\n0\t1e-13\t1e-13\tA no\n") != std::string::npos);
    CHECK(small.out.find("\n1\t3e-13\t1e-13\tA yes\n") != std::string::npos);
  }

  TEST_CASE("Monte Carlo: the probability of investing high is P(power >= 1/3) = 2/3") {
    std::string file = "'" + WriteTempFile("holdup.yaml", kHoldUp) + "'";
    auto r = RunParley("montecarlo " + file + " --samples 20000 --seed 11 --format json");
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["outcomes"][0]["outcome"] == "Investor high");
    double p = j["outcomes"][0]["probability"];
    CHECK(std::abs(p - 2.0 / 3.0) < 0.015);
    CHECK(j["outcomes"][0]["ci95"][0].get<double>() < 2.0 / 3.0);
    CHECK(j["outcomes"][0]["ci95"][1].get<double>() > 2.0 / 3.0);
    // Same seed, same answer, whatever the thread count.
    auto again = RunParley("montecarlo " + file + " --samples 20000 --seed 11 --format json --threads 1");
    CHECK(nlohmann::json::parse(again.out) == j);
  }

  TEST_CASE("thresholds: two switches between neighbouring grid points are both found") {
    // A takes l (2x - 0.5), m (0.505) or r (1.5 - 2x): r below x = (1.5 - 0.505) / 2 = 0.4975,
    // m up to x = (0.505 + 0.5) / 2 = 0.5025, l above. The default grid over [0, 0.97] has
    // points at 0.4947 (r) and 0.5044 (l): m lies wholly between them.
    std::string file = "'" + WriteTempFile("narrow.yaml", R"(title: narrow
players: [A, B]
parameters:
  x: {value: 0.2, min: 0, max: 1}
stages:
  - name: s
    player: A
    actions: [l, m, r]
payoffs:
  A: if(s == l, 2*x - 0.5, if(s == m, 0.505, 1.5 - 2*x))
  B: 0
)") + "'";
    auto r = RunParley("thresholds " + file + " --vary x=0:0.97 --format json");
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["thresholds"].size() == 2);
    CHECK(j["thresholds"][0]["below"] == "A r");
    CHECK(j["thresholds"][0]["above"] == "A m");
    CHECK(std::abs(j["thresholds"][0]["value"].get<double>() - 0.4975) < 2e-9);
    CHECK(j["thresholds"][1]["below"] == "A m");
    CHECK(j["thresholds"][1]["above"] == "A l");
    CHECK(std::abs(j["thresholds"][1]["value"].get<double>() - 0.5025) < 2e-9);
  }

  TEST_CASE("montecarlo: --set holds a drawn parameter at its value, seeds outside 0..2^64-1 are refused") {
    // p ~ uniform(0, 1) and q ~ uniform(0, 1); A takes l (worth p) or r (worth q). Held at
    // p = 0.9, l is taken exactly when q < 0.9: about 90 % of draws (and 50 % without --set).
    std::string file = "'" + WriteTempFile("held.yaml", R"(title: held
players: [A, B]
parameters:
  p: {value: 0.5, min: 0, max: 1, distribution: {type: uniform, low: 0, high: 1}}
  q: {value: 0.5, min: 0, max: 1, distribution: {type: uniform, low: 0, high: 1}}
stages:
  - name: s
    player: A
    actions: [l, r]
payoffs:
  A: if(s == l, p, q)
  B: 0
)") + "'";
    auto held = RunParley("montecarlo " + file + " --samples 4000 --seed 3 --set p=0.9 --format json");
    REQUIRE(held.exit_code == 0);
    auto j = nlohmann::json::parse(held.out);
    double share_l = 0;
    for (const auto& o : j["outcomes"])
      if (o["outcome"] == "A l") share_l = o["probability"].get<double>();
    CHECK(std::abs(share_l - 0.9) < 0.02);
    auto all_held = RunParley("montecarlo " + file + " --samples 10 --set p=0.9 --set q=0.1");
    CHECK(all_held.exit_code == 1);
    CHECK(all_held.err.find("once --set holds p, q at their values") != std::string::npos);
    for (std::string seed : {"-1", "18446744073709551616", "1.5"}) {
      auto r = RunParley("montecarlo " + file + " --samples 10 --seed " + seed);
      CHECK(r.exit_code != 0);
      CHECK(r.err.find("--seed: must be a whole number from 0 to 18446744073709551615") != std::string::npos);
    }
    CHECK(RunParley("montecarlo " + file + " --samples 10 --seed 18446744073709551615").exit_code == 0);
    // Shards of one run have the same parameters: one given --set is from another run.
    std::string one = BuildPath("test-tmp/held1.json"), two = BuildPath("test-tmp/held2.json");
    REQUIRE(RunParley("montecarlo " + file + " --samples 100 --shard 1/2 --format json -o '" + one + "'").exit_code == 0);
    REQUIRE(RunParley("montecarlo " + file + " --samples 100 --shard 2/2 --set p=0.9 --format json -o '" + two + "'")
                .exit_code == 0);
    // Both files are named, each with its slice, and the first difference.
    auto mixed = RunParley("merge '" + one + "' '" + two + "'");
    CHECK(mixed.exit_code == 1);
    CHECK(mixed.err == "error: these shards come from different Monte Carlo runs: p is 0.5 in " + one +
                           " (shard 1/2) and 0.9 in " + two + " (shard 2/2) (--set)\n");
    std::string seeded = BuildPath("test-tmp/held3.json");
    REQUIRE(RunParley("montecarlo " + file + " --samples 100 --shard 2/2 --seed 7 --format json -o '" + seeded + "'")
                .exit_code == 0);
    auto reseeded = RunParley("merge '" + one + "' '" + seeded + "'");
    CHECK(reseeded.exit_code == 1);
    CHECK(reseeded.err == "error: these shards come from different Monte Carlo runs: the seed is 1 in " + one +
                              " (shard 1/2) and 7 in " + seeded + " (shard 2/2)\n");
    auto twice = RunParley("merge '" + one + "' '" + one + "'");
    CHECK(twice.exit_code == 1);
    CHECK(twice.err == "error: shard 1/2 is given twice: " + one + " and " + one + "\n");
    std::string sweep1 = BuildPath("test-tmp/heldsweep1.json"), sweep2 = BuildPath("test-tmp/heldsweep2.json");
    REQUIRE(RunParley("sweep " + file + " --vary q=0:1:5 --shard 1/2 --format json -o '" + sweep1 + "'").exit_code == 0);
    REQUIRE(RunParley("sweep " + file + " --vary q=0:1:5 --shard 2/2 --set p=0.9 --format json -o '" + sweep2 + "'")
                .exit_code == 0);
    auto mixed_sweep = RunParley("merge '" + sweep1 + "' '" + sweep2 + "'");
    CHECK(mixed_sweep.exit_code == 1);
    CHECK(mixed_sweep.err == "error: these shards come from different sweeps: p is 0.5 in " + sweep1 +
                                 " (shard 1/2) and 0.9 in " + sweep2 + " (shard 2/2) (--set)\n");
    std::string sweep3 = BuildPath("test-tmp/heldsweep3.json");
    REQUIRE(RunParley("sweep " + file + " --vary q=0:1:6 --shard 2/2 --format json -o '" + sweep3 + "'").exit_code == 0);
    auto regrid = RunParley("merge '" + sweep1 + "' '" + sweep3 + "'");
    CHECK(regrid.exit_code == 1);
    CHECK(regrid.err == "error: these shards come from different sweeps: the grid is q=0:1:5 in " + sweep1 +
                            " (shard 1/2) and q=0:1:6 in " + sweep3 + " (shard 2/2)\n");
  }

  TEST_CASE("analysis errors") {
    std::string file = "'" + WriteTempFile("holdup.yaml", kHoldUp) + "'";
    auto range = RunParley("sweep " + file + " --vary power=0:2:5");
    CHECK(range.exit_code == 1);
    CHECK(range.err.find("leaves the parameter's range [0, 1]") != std::string::npos);
    auto unknown = RunParley("thresholds " + file + " --vary pwer=0:1");
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err.find("unknown parameter 'pwer'") != std::string::npos);
    // The grid given twice (NAME=LO:HI:N and --grid): once the N overrode --grid silently.
    auto twice = RunParley("thresholds " + file + " --vary power=0:1:5 --grid 11");
    CHECK(twice.exit_code == 1);
    CHECK(twice.err.find("give it once") != std::string::npos);
    // A parameter both set and varied: the grid overrode the --set without a word.
    for (std::string command : {"sweep " + file + " --vary power=0:1:3 --set power=0.3",
                                "thresholds " + file + " --vary power=0:1 --set power=0.3"}) {
      CAPTURE(command);
      auto both = RunParley(command);
      CHECK(both.exit_code == 1);
      CHECK(both.err.find("--set power=0.3 and --vary power: the run moves power over its range, so the --set "
                          "would be ignored; give one of them") != std::string::npos);
    }
    auto efg = RunParley("sweep '" + SourcePath("tests/data/entry_deterrence.efg") + "' --vary x=0:1:2");
    CHECK(efg.exit_code == 1);
    // A malformed --shard, --samples or --range is a usage error too (exit 2, naming the
    // command's --help), before the scenario is read.
    for (std::string options : {"montecarlo " + file + " --shard 5/4", "montecarlo " + file + " --shard a/b",
                                "sweep " + file + " --vary power=0:1:3 --shard 0/3",
                                "montecarlo " + file + " --samples 0x10", "montecarlo " + file + " --samples 0",
                                "montecarlo " + file + " --samples _10", "montecarlo " + file + " --samples 10_",
                                "montecarlo " + file + " --samples 1e10", "tornado " + file + " --range foo"}) {
      CAPTURE(options);
      auto refused = RunParley(options);
      CHECK(refused.exit_code == 2);
      CHECK(refused.err.find("--help lists the options)\n") != std::string::npos);
    }
    CHECK(RunParley("montecarlo " + file + " --samples 1_0 --format csv").exit_code == 0);
    // A shard that is not JSON: located, in words, not the JSON library's.
    std::string empty = WriteTempFile("empty.json", "");
    std::string cut = WriteTempFile("cut.json", "{\n \"kind\": \"montecarlo\",\n \"seed\": ");
    auto not_json = RunParley("merge '" + empty + "' '" + cut + "'");
    CHECK(not_json.exit_code == 1);
    CHECK(not_json.err.find("error: " + empty + ":1:1: not JSON (a shard is a whole file written by --format json): "
                            "syntax error while parsing value") == 0);
    auto truncated = RunParley("merge '" + cut + "'");
    CHECK(truncated.err.find("error: " + cut + ":3:10: not JSON") == 0);
    // --grid counts points, both ends of the range among them: 0 and 1 are refused in words.
    for (std::string grid : {"0", "1", "-3", "1.5", "2e7"}) {
      CAPTURE(grid);
      auto refused = RunParley("thresholds " + file + " --vary power=0:1 --grid " + grid);
      CHECK(refused.exit_code == 2);  // a malformed option: a usage error
      CHECK(refused.out.empty());
      CHECK(refused.err == "error: --grid: " + grid +
                               ": expected a whole number of points from 2 to 10^7 (the grid includes both ends of "
                               "the range) (parley thresholds --help lists the options)\n");
    }
    // So is a malformed --vary (its form; the name and the range are the scenario's, exit 1).
    for (auto [command, vary, message] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"sweep", "power=0:1", "'power=0:1' is not NAME=LO:HI:N"},
             {"sweep", "=0:1:3", "'=0:1:3' names no parameter: write NAME=LO:HI:N (e.g. regulator_acts=0:1:21)"},
             {"thresholds", "=0:1", "'=0:1' names no parameter: write NAME=LO:HI (e.g. regulator_acts=0:1)"},
             {"sweep", "power=0:1:1", "power: the number of points must be a whole number from 2 to 10^7"},
             {"sweep", "power=1:0:3", "power: LO must be below HI"},
             {"thresholds", "power=0", "'power=0' is not NAME=LO:HI[:N]"},
             {"report", "power=x:1:3", "power: 'x' is not a number"}}) {
      CAPTURE(vary);
      auto refused = RunParley(command + " " + file + " --vary " + vary + (command == "report" ? " -o r.md" : ""));
      CHECK(refused.exit_code == 2);
      CHECK(refused.err == "error: --vary: " + message + " (parley " + command + " --help lists the options)\n");
    }
    CHECK(RunParley("sweep " + file + " --vary nosuch=0:1:3").exit_code == 1);
    CHECK(RunParley("sweep " + file + " --vary power=0:2:3").exit_code == 1);  // past its max, 1
    CHECK(RunParley("thresholds " + file + " --vary power=0:1 --grid 2").exit_code == 0);
    // A distribution type Parley does not have is refused by its type, not by its keys.
    std::string gamma = WriteTempFile("gamma.yaml", R"(title: gamma
players: [A, B]
parameters:
  p: {value: 0.5, min: 0, max: 1, distribution: {type: gamma, k: 2, theta: 0.1}}
stages: [{name: s, player: A, actions: [l, r]}]
payoffs: [p, 0]
)");
    auto unknown_type = RunParley("montecarlo '" + gamma + "' --samples 10");
    CHECK(unknown_type.exit_code == 1);
    CHECK(unknown_type.err == "error: " + gamma +
                                  ":4:56: unknown distribution 'gamma'; the types are uniform, triangular, normal, "
                                  "beta, discrete\n");
  }

  TEST_CASE("montecarlo: one sample has a mean and quantiles but no standard deviation") {
    std::string file = "'" + WriteTempFile("holdup.yaml", kHoldUp) + "'";
    auto text = RunParley("montecarlo " + file + " --samples 1");
    REQUIRE(text.exit_code == 0);
    // Seed 1 draws power = 0.7029218331588504: high, 10 x power - 3 = 4.029218332.
    CHECK(text.out.find("\n  Investor\t1\t4.029218332\tn/a\t4.029218332\t4.029218332\t4.029218332\t"
                        "4.029218332\t4.029218332\n") != std::string::npos);
    auto js = RunParley("montecarlo " + file + " --samples 1 --format json");
    REQUIRE(js.exit_code == 0);
    auto j = nlohmann::json::parse(js.out);
    CHECK(j["values"]["Investor"]["count"] == 1);
    CHECK(j["values"]["Investor"]["sd"].is_null());
    CHECK(j["values"]["Investor"]["mean"] == j["values"]["Investor"]["median"]);
    // Two samples have one.
    auto two = nlohmann::json::parse(RunParley("montecarlo " + file + " --samples 2 --format json").out);
    CHECK(two["values"]["Investor"]["sd"].is_number());
  }
}

TEST_SUITE("analysis.cli") {
  TEST_CASE("merging an interrupted shard says so on stderr with exit code 130, in every format") {
    // A CSV has no place to say that rows are missing: a merge of an interrupted shard wrote
    // 60 % of the rows with exit code 0 and no word.
    std::filesystem::create_directories(BuildPath("test-tmp"));
    const std::string file = SourcePath("games/ultimatum.yaml");
    const std::string s1 = BuildPath("test-tmp/merge_int_1.json"), s2 = BuildPath("test-tmp/merge_int_2.json");
    REQUIRE(RunParley("sweep " + file + " --vary cake=1:10:10 --shard 1/2 --format json -o " + s1).exit_code == 0);
    REQUIRE(RunParley("sweep " + file + " --vary cake=1:10:10 --shard 2/2 --format json -o " + s2).exit_code == 0);
    auto whole = RunParley("merge " + s1 + " " + s2 + " --format csv");
    CHECK(whole.exit_code == 0);
    CHECK(whole.err.empty());
    // Shard 1 as if stopped after 3 of its 5 points.
    nlohmann::json j = nlohmann::json::parse(ReadFile(s1));
    j["interrupted"] = true;
    j["points"].erase(j["points"].begin() + 3, j["points"].end());
    {
      std::ofstream out(s1);
      out << j.dump(1);
    }
    for (const char* format : {"csv", "text", "json"}) {
      CAPTURE(format);
      auto r = RunParley("merge " + s1 + " " + s2 + " --format " + format);
      CHECK(r.exit_code == 130);
      CHECK(r.err == "interrupted: 8 of 10 computed; the output holds those\n");
    }
  }

  TEST_CASE("Ctrl-C stops a sweep cleanly and keeps the rows already computed") {
    std::filesystem::create_directories(BuildPath("test-tmp"));
    std::string out = BuildPath("test-tmp/interrupted.csv");
    std::remove(out.c_str());
    // The full OpenAI-Microsoft scenario costs about a millisecond per point in a Release build
    // and tens of milliseconds under ThreadSanitizer, so 100,000 points are minutes of work in
    // any build, while the grid itself is small: allocating the rows of a grid of millions
    // takes seconds under the sanitizer, before the first point is computed.
    std::string scenario = SourcePath("scenarios/openai_microsoft.yaml");
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int devnull = open("/dev/null", 0);
      dup2(devnull, 2);
      execl(PARLEY_BINARY, PARLEY_BINARY, "sweep", scenario.c_str(), "--vary",
            "openai_power=0.05:0.95:100000", "--format", "csv", "-o", out.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    // Four seconds of the program's processor time compute thousands of rows (about a hundred
    // under ThreadSanitizer); waiting for processor time rather than for a wall-clock delay
    // keeps a loaded machine from signalling a program that has not started its work yet.
    CHECK(WaitForProcessCpu(pid, 4.0));
    kill(pid, SIGINT);
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 130);
    std::string csv = ReadFile(out);
    std::size_t rows = static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n'));
    CHECK(rows >= 2);         // a header and at least one row computed before the signal
    CHECK(rows < 100001);     // not the whole grid
    CHECK(csv.rfind("index,openai_power,", 0) == 0);
  }
}

}  // namespace
}  // namespace parley::testing
