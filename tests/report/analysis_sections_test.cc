// The report's sensitivity sections: Monte Carlo outcome classes with a probability known by
// hand, the tornado chart's accessible bars, and `parley report --tornado --montecarlo`
// through the binary.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "solver/analysis/analysis.h"
#include "solver/analysis/tornado.h"
#include "solver/report/analysis_results.h"
#include "solver/report/analysis_sections.h"
#include "solver/report/markdown.h"
#include "solver/report/svg_chart.h"
#include "tests/test_util.h"

namespace parley::report {
namespace {

using analysis::Model;
using analysis::Observation;

// One uncertain parameter u ~ uniform(0, 1). Below 0.25 the deal lands with equity at its
// minimum, from 0.25 to 0.6 at its maximum, above 0.6 talks are refused. The class "ask >
// negotiate | deal: agreement" (either landing) has probability 0.6 exactly; each landing
// alone 0.25 and 0.35; the refusal 0.4.
Model Deals() {
  Model m;
  m.parameter_names = {"u"};
  m.base_values = {0.5};
  m.min = {0.0};
  m.max = {1.0};
  analysis::Distribution d;
  d.kind = analysis::Distribution::Kind::kUniform;
  d.low = 0;
  d.high = 1;
  m.distributions = {d};
  m.value_names = {"deal.equity"};
  m.make_evaluator = [] {
    return [](const std::vector<double>& x) {
      double u = x[0];
      if (u < 0.25) return Observation{"OpenAI ask > Microsoft negotiate | deal: equity at its minimum", {0.2}, {}};
      if (u < 0.6) return Observation{"OpenAI ask > Microsoft negotiate | deal: equity at its maximum", {0.49}, {}};
      return Observation{"OpenAI ask > Microsoft refuse", {std::nan("")}, {}};
    };
  };
  return m;
}

TEST_SUITE("report") {
  TEST_CASE("outcome classes: the path of moves alone") {
    using analysis::OutcomeClass;
    CHECK(OutcomeClass("A ask > B grant | deal: equity at its maximum, agi_clause drop") ==
          "A ask > B grant | deal: agreement");
    CHECK(OutcomeClass("A ask | deal: no agreement possible") == "A ask | deal: no agreement");
    CHECK(OutcomeClass("A ask | merger: price in between, divest at its minimum; binding cap, then review = clear (best found)") ==
          "A ask | merger: agreement; then review = clear");
    CHECK(OutcomeClass("A ask | m: divest in between; then review = block") == "A ask | m: agreement; then review = block");
    CHECK(OutcomeClass("invest high") == "invest high");
  }

  TEST_CASE("a point's remark on how its agreement was found stays with that point's row") {
    // One outcome (key "deal") whose agreement is a KKT point below u = 0.5 and proven above;
    // another (key "other", u > 0.9) that reads the same. The rows used to take the words of
    // the outcome's first point, so every row said "(KKT point)".
    Model m = Deals();
    m.make_evaluator = [] {
      return [](const std::vector<double>& x) {
        const double u = x[0];
        if (u > 0.9) return Observation{"A ask | deal: price in between", {0.5}, "other"};
        return Observation{u < 0.5 ? "A ask | deal: price in between (KKT point)" : "A ask | deal: price in between",
                           {0.5}, "deal"};
      };
    };
    analysis::Axis axis;
    axis.name = "u";
    axis.lo = 0;
    axis.hi = 1;
    axis.n = 11;  // 0, 0.1, ..., 1
    const analysis::SweepResult sweep = analysis::RunSweep(m, {axis}, analysis::RunOptions{});
    const std::vector<std::string> rows = analysis::SweepOutcomeNames(sweep);
    REQUIRE(rows.size() == 11);
    for (int i = 0; i < 5; ++i) CHECK(rows[i] == "A ask | deal: price in between (KKT point)");
    for (int i = 5; i < 10; ++i) CHECK(rows[i] == "A ask | deal: price in between");
    CHECK(rows[10] == "A ask | deal: price in between [2]");  // another outcome, read the same
    CHECK(SweepCsv(sweep).find("0.6,0.5,A ask | deal: price in between\n") != std::string::npos);
    // A chart's regions are outcomes: one name for all of "deal", without the remark.
    const std::vector<std::string> regions = analysis::SweepOutcomeNames(sweep, /*point_remarks=*/false);
    for (int i = 0; i < 10; ++i) CHECK(regions[i] == "A ask | deal: price in between");
    CHECK(regions[10] == "A ask | deal: price in between [2]");
    // Monte Carlo keeps no words per sample: the outcome is named without the remark.
    const analysis::MonteCarloResult mc = analysis::RunMonteCarlo(m, 200, 3, analysis::RunOptions{});
    for (const std::string& name : mc.outcomes) CHECK(name.find("KKT") == std::string::npos);
    CHECK(analysis::OutcomeWords("x | a: p in between (best found) | b: q at its minimum (KKT point)") ==
          "x | a: p in between | b: q at its minimum");
    CHECK(analysis::OutcomeWords("x | a: (KKT point) kept") == "x | a: (KKT point) kept");  // not a step's end
  }

  TEST_CASE("Monte Carlo classes: a probability of 0.6 within its Wilson interval") {
    // 20,000 samples: the standard error of 0.6 is sqrt(0.6 x 0.4 / 20000) = 0.0035, so the
    // estimate lies within 0.014 (4 standard errors) but for a chance of 1 in 15,000.
    analysis::MonteCarloResult r = analysis::RunMonteCarlo(Deals(), 20'000, 7, analysis::RunOptions{});
    REQUIRE(r.shares.size() == 3);
    REQUIRE(r.class_shares.size() == 2);
    const analysis::OutcomeShare& deal = r.class_shares[0];
    CHECK(deal.outcome == "OpenAI ask > Microsoft negotiate | deal: agreement");
    CHECK(std::abs(deal.probability - 0.6) < 0.014);
    CHECK(deal.ci_low < 0.6);
    CHECK(deal.ci_high > 0.6);
    CHECK(deal.ci_high - deal.ci_low == doctest::Approx(2 * 1.96 * std::sqrt(0.6 * 0.4 / 20000)).epsilon(0.05));
    CHECK(r.class_shares[1].outcome == "OpenAI ask > Microsoft refuse");
    CHECK(deal.count + r.class_shares[1].count == 20'000);
    // The detailed outcomes still add up to the class.
    std::size_t landings = 0;
    for (const auto& s : r.shares)
      if (s.outcome.find("| deal:") != std::string::npos) landings += s.count;
    CHECK(landings == deal.count);

    std::string text = MonteCarloText(r);
    CHECK(text.find("Outcome classes (the path of moves alone") != std::string::npos);
    auto j = MonteCarloJson(r, false);
    REQUIRE(j["outcome_classes"].size() == 2);
    CHECK(j["outcome_classes"][0]["class"] == deal.outcome);
    CHECK(j["outcome_classes"][0]["count"] == deal.count);

    // The report's section: the classes, then the values with their 5-95 % interval.
    ReportInput in;
    in.montecarlo = r;
    Document doc;
    MonteCarloSection(in, ReportOptions{}, doc);
    REQUIRE(doc.sections.size() == 1);
    std::string md = RenderMarkdown(doc, "mc").text;
    CHECK(md.find("| OpenAI ask > Microsoft negotiate \\| deal: agreement |") != std::string::npos);  // | escaped
    CHECK(md.find("| deal.equity |") != std::string::npos);
  }

  TEST_CASE("the tornado chart: one bar per parameter, each with a title in words") {
    TornadoChartSpec spec;
    spec.title = "What moves A";
    spec.value_label = "A";
    spec.base = 11.5;
    spec.bars = {{"k", "k = 0", "k = 2", 8.5, 14.5, false}, {"s", "s = 0", "s = 6", 10.5, 13.5, true},
                 {"z", "z = -1", "z = 1", 11.5, 11.5, false}};
    std::string svg = TornadoChartSvg(spec);
    CHECK(svg.find("role=\"img\"") != std::string::npos);
    CHECK(svg.find("<title>k: k = 0 gives 8.5, k = 2 gives 14.5</title>") != std::string::npos);
    CHECK(svg.find("<title>s: s = 0 gives 10.5, s = 6 gives 13.5; the outcome changes in this range</title>") !=
          std::string::npos);
    CHECK(svg.find(">* s</text>") != std::string::npos);
    std::size_t bars = 0;
    for (std::size_t at = svg.find("class=\"bar\""); at != std::string::npos; at = svg.find("class=\"bar\"", at + 1)) ++bars;
    CHECK(bars == 3);
    spec.bars.clear();
    CHECK_THROWS(TornadoChartSvg(spec));
  }

  TEST_CASE("parley report --tornado --montecarlo: both sections in the Markdown report") {
    const char* yaml = R"(title: Route
players: [A, B]
parameters:
  s: {value: 4, min: 0, max: 6, assumption: true, distribution: {type: uniform, low: 0, high: 6}}
stages:
  - name: route
    player: A
    actions: [left, right]
  - name: first
    condition: route == left
    bargain:
      issues:
        x: {from: 0, to: 10}
payoffs:
  A: if(first == agree, x, 0) + if(route == right, s, 0)
  B: if(first == agree, 10 - x, 0)
)";
    // Left splits 10 (5 each), right pays A s: A goes right iff s > 5, with probability 1/6.
    std::string path = testing::WriteTempFile("report_route.yaml", yaml);
    std::string out = testing::BuildPath("report_route.md");
    auto run = testing::RunParley("report '" + path + "' --tornado --montecarlo 600 -o '" + out + "'");
    REQUIRE(run.exit_code == 0);
    std::string md = testing::ReadFile(out);
    CHECK(md.find("Which assumptions move the answer most") != std::string::npos);
    CHECK(md.find("report_route-tornado-A.svg") != std::string::npos);
    CHECK(md.find("yes, at s = 5") != std::string::npos);
    CHECK(md.find("The prediction under uncertainty") != std::string::npos);
    CHECK(md.find("| A left \\| first: agreement |") != std::string::npos);
    CHECK(md.find("| A right |") != std::string::npos);
    CHECK(std::filesystem::exists(testing::BuildPath("report_route-tornado-A.svg")));
    auto game = testing::RunParley("report '" + testing::SourcePath("tests/data/entry_deterrence.efg") +
                                   "' --tornado -o '" + testing::BuildPath("nope.md") + "'");
    CHECK(game.exit_code == 1);
    CHECK(game.err.find("analysis needs a scenario file") != std::string::npos);
    // --tornado-value is named as such (it was called --value, the tornado command's option),
    // and without --tornado it is refused rather than ignored.
    auto column = testing::RunParley("report '" + path + "' --tornado --tornado-value nosuch -o '" +
                                     testing::BuildPath("nope.md") + "'");
    CHECK(column.exit_code == 1);
    CHECK(column.err.find("error: --tornado-value 'nosuch' is not a column of this model; the columns are: A, B") !=
          std::string::npos);
    auto alone = testing::RunParley("report '" + path + "' --tornado-value A -o '" + testing::BuildPath("nope.md") + "'");
    CHECK(alone.exit_code == 2);
    CHECK(alone.err.find("--tornado-value needs --tornado too") != std::string::npos);
  }

  TEST_CASE("parley report --all --show 1: the notes say what is shown and what is not") {
    // The ultimatum game over a cake of 3 has 2 pure equilibria (the responder indifferent at
    // an offer of 0). With --show 1 the notes said the others were "listed below" (none were),
    // "1 more equilibria", and sent the reader to --all, which the run had used.
    const std::string out = testing::BuildPath("report_show1.md");
    auto run = testing::RunParley("report '" + testing::SourcePath("games/ultimatum.yaml") +
                                  "' --set cake=3 --all --show 1 -o '" + out + "'");
    REQUIRE(run.exit_code == 0);
    const std::string md = testing::ReadFile(out);
    CHECK(md.find("This explains equilibrium 1 of 2; the others (not shown here: --show N shows more)") !=
          std::string::npos);
    CHECK(md.find("listed below") == std::string::npos);
    CHECK(md.find("1 more equilibrium is not shown (--show N shows more; parley solve --all lists them all).") !=
          std::string::npos);
    CHECK(md.find("so other equilibria exist (the list of equilibria has them).") != std::string::npos);
  }
}

}  // namespace
}  // namespace parley::report
