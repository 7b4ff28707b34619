// The explorer's evaluation (explorer/evaluate.h) through the compiled evaluator against a full
// expansion of the same scenario at the same values: what the page gets (the tree SVG, the
// path, the prediction, the payoffs, every bargaining step's chart and table) must be the same
// text, whether the kept games were rewritten or the scenario expanded anew, and an evaluation
// still held must not be disturbed by later ones (each holds its own scratch).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "explorer/evaluate.h"
#include "tests/test_util.h"

namespace parley::testing {
namespace {

// The page's answer without the timings, which differ from run to run.
nlohmann::json PageJson(const explorer::Evaluation& evaluation) { return explorer::EvaluationJson(evaluation); }

// The file's values, then for every `stride`-th parameter with a range its midpoint (the
// others at the file's values), then all of those moves at once.
std::vector<std::vector<double>> Points(const explorer::OpenedFile& file, std::size_t stride) {
  std::vector<double> base = file.DefaultValues();
  std::vector<std::vector<double>> out{base};
  std::vector<double> all = base;
  const auto& parameters = file.compiled->info().parameters;
  for (std::size_t i = 0; i < parameters.size(); i += stride) {
    if (!parameters[i].min || !parameters[i].max) continue;
    std::vector<double> v = base;
    v[i] = all[i] = (*parameters[i].min + *parameters[i].max) / 2;
    out.push_back(v);
  }
  out.push_back(all);
  return out;
}

}  // namespace

TEST_SUITE("explorer evaluate") {
  TEST_CASE("the compiled evaluation draws and describes what a full expansion does") {
    // stride: every parameter of the small files, every sixth of the second edition's 36
    // (one evaluation of it costs tens of milliseconds).
    for (auto [name, stride] : {std::pair{"games/holdup_nash.yaml", 1}, std::pair{"scenarios/platform_regulator.yaml", 1},
                                std::pair{"scenarios/openai_microsoft.yaml", 6}}) {
      CAPTURE(name);
      auto file = explorer::OpenFile(SourcePath(name), 1'000'000);
      std::size_t rewritten = 0;
      std::vector<std::vector<double>> points = Points(*file, static_cast<std::size_t>(stride));
      for (const auto& values : points) {
        explorer::Evaluation compiled = explorer::Evaluate(*file, values);
        rewritten += compiled.rewritten ? 1 : 0;
        CHECK(PageJson(compiled) == PageJson(explorer::EvaluateExpanded(*file, values)));
      }
      // The rewrite path was taken (not only full expansions): the evaluations above are
      // sequential, so they share one scratch, and some move only parameters that leave the
      // tree's shape alone.
      CHECK(rewritten > 0);
    }
  }

  TEST_CASE("payoffs at the game's scale: a game in units of 1e-13 is not shown as all 0") {
    // A chooses R for (3e-13, 3e-13) over L, after which B takes r for (1e-13, 2e-13). The
    // page wrote every payoff with unit 1, so both read 0, beside a tree and a conclusion
    // that say 3e-13.
    auto file = explorer::OpenFile(WriteTempFile("explorer_tiny_units.efg", R"(EFG 2 R "Tiny units" { "A" "B" }
""

p "" 1 1 "" { "L" "R" } 0
p "" 2 1 "" { "l" "r" } 0
t "" 1 "" { 4e-13 1e-13 }
t "" 2 "" { 1e-13 2e-13 }
t "" 3 "" { 3e-13 3e-13 }
)"),
                                   1'000'000);
    nlohmann::json page = PageJson(explorer::Evaluate(*file, file->DefaultValues()));
    REQUIRE(page["payoffs"].size() == 2);
    CHECK(page["payoffs"][0]["value"] == "3e-13");
    CHECK(page["payoffs"][1]["value"] == "3e-13");
    CHECK(page["prediction"].get<std::string>().find("A 3e-13 and B 3e-13") != std::string::npos);
    // A player whose payoffs differ beyond the tie rule but read alike gets every digit, as in
    // the conclusion beside it: A's 1.0000001 over 1.
    auto close = explorer::OpenFile(WriteTempFile("explorer_close.efg", R"(EFG 2 R "Close" { "A" "B" }
""

p "" 1 1 "" { "In" "Out" } 0
t "" 1 "" { 1.0000001 0 }
t "" 2 "" { 1 0 }
)"),
                                    1'000'000);
    nlohmann::json near = PageJson(explorer::Evaluate(*close, close->DefaultValues()));
    CHECK(near["payoffs"][0]["value"] == "1.0000001");
    CHECK(near["prediction"].get<std::string>().find("A 1.0000001") != std::string::npos);
  }

  TEST_CASE("beside a scenario's prediction the payoffs read as the prediction writes them") {
    // Hold-up at power 1/3: the Supplier's price is value * power = 10/3, so the Supplier gets
    // 10/3 - 3 = 1/3 and the Buyer 10 - 10/3 = 20/3. The line above the prediction said 1/3
    // and 20/3 (the textbook fractions of a game's conclusion) beside the prediction's
    // 0.3333333333 and 6.666666667, which `parley solve` prints too.
    auto file = explorer::OpenFile(SourcePath("games/holdup_nash.yaml"), 1'000'000);
    std::vector<double> values = file->DefaultValues();
    const int power = file->compiled->info().FindParameter("power");
    REQUIRE(power >= 0);
    values[static_cast<std::size_t>(power)] = 1.0 / 3;
    nlohmann::json page = PageJson(explorer::Evaluate(*file, values));
    REQUIRE(page["payoffs"].size() == 2);
    CHECK(page["payoffs"][0]["value"] == "0.3333333333");
    CHECK(page["payoffs"][1]["value"] == "6.666666667");
    CHECK(page["prediction"].get<std::string>().find("Supplier 0.3333333333 (") != std::string::npos);
    CHECK(page["prediction"].get<std::string>().find("Buyer 6.666666667 (") != std::string::npos);
  }

  TEST_CASE("an evaluation held while others run keeps its own game") {
    // games/holdup_nash.yaml at power 0.2 and 0.6: the Supplier invests low below 1/3 and high
    // above (10 power - 3 >= 4 power - 1 iff power >= 1/3), so the two paths differ.
    auto file = explorer::OpenFile(SourcePath("games/holdup_nash.yaml"), 1'000'000);
    int power = file->compiled->info().FindParameter("power");
    REQUIRE(power >= 0);
    std::vector<double> low = file->DefaultValues(), high = low;
    low[static_cast<std::size_t>(power)] = 0.2;
    high[static_cast<std::size_t>(power)] = 0.6;
    explorer::Evaluation first = explorer::Evaluate(*file, low);
    nlohmann::json before = PageJson(first);
    explorer::Evaluation second = explorer::Evaluate(*file, high);
    explorer::Evaluation third = explorer::Evaluate(*file, high);
    CHECK(before["path"] == "Supplier low_investment");
    CHECK(PageJson(second)["path"] == "Supplier high_investment");
    CHECK(PageJson(first) == before);
    CHECK(first.game != second.game);  // two scratches lent at once
    CHECK(PageJson(third) == PageJson(second));
    // Once released, a scratch is lent again: its kept games are rewritten, not rebuilt.
    first = {};
    explorer::Evaluation fourth = explorer::Evaluate(*file, low);
    CHECK(fourth.rewritten);
    CHECK(PageJson(fourth) == before);
  }
}

}  // namespace parley::testing
