// Reports: golden Markdown and explanations of two small games, the explanation of a mixed
// equilibrium, tree drawing (highlighting, information sets, collapsing), charts, writers.
// Set PARLEY_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>

#include "bench/random_tree.h"
#include "solver/bargaining/bargaining.h"
#include "solver/report/bargaining_plot.h"
#include "solver/equilibrium/solve.h"
#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "solver/model/error.h"
#include "solver/model/game_builder.h"
#include "solver/report/tree_svg.h"
#include "solver/report/explain.h"
#include "solver/report/html.h"
#include "solver/report/markdown.h"
#include "solver/report/report.h"
#include "solver/report/svg_chart.h"
#include "solver/report/text.h"
#include "tests/test_util.h"

namespace parley::report {
namespace {

using testing::ReadFile;
using testing::SourcePath;

std::string Golden(const std::string& name) { return SourcePath("tests/report/golden/" + name); }

// Compares `actual` with the golden file, or rewrites it when PARLEY_UPDATE_GOLDEN is set.
void CheckGolden(const std::string& name, const std::string& actual) {
  std::string path = Golden(name);
  if (std::getenv("PARLEY_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    MESSAGE("rewrote " << path);
    return;
  }
  REQUIRE_MESSAGE(std::filesystem::exists(path), "missing golden file " << path);
  CHECK_MESSAGE(ReadFile(path) == actual, "output differs from " << path
                                                << " (PARLEY_UPDATE_GOLDEN=1 rewrites it):\n" << actual);
}

struct Solved {
  model::GamePtr game;
  equilibrium::Solution solution;
};

Solved SolveFile(const std::string& fixture) {
  Solved s;
  s.game = io::LoadGame(Golden(fixture));
  s.solution = equilibrium::Solve(*s.game, {});
  return s;
}

ReportInput InputFor(const Solved& s, const std::string& file) {
  ReportInput in;
  in.game = s.game.get();
  in.scenario = ScenarioFromGame(*s.game, file);
  in.solution = &s.solution;
  in.generator = "parley";
  return in;
}

}  // namespace

TEST_SUITE("report") {
  TEST_CASE("golden: entry deterrence, Markdown and explanation") {
    Solved s = SolveFile("entry.efg");
    // Incumbent: Fight -1 < Accommodate 1; Entrant: Out 0 < In 1.
    Explanation e = Explain(*s.game, s.solution.equilibria.front());
    REQUIRE(e.steps.size() == 2);
    CHECK(e.steps[0].text == "After In, Incumbent compares Fight (-1) with Accommodate (1) and chooses Accommodate.");
    CHECK(e.steps[1].text == "At the root, Entrant compares Out (0) with In (1) and chooses In.");
    CheckGolden("entry.explain.txt", ExplanationText(e));
    MarkdownOutput md = RenderMarkdown(BuildReport(InputFor(s, "entry.efg")), "entry");
    CheckGolden("entry.md", md.text);
    REQUIRE(md.files.size() == 1);
    CHECK(md.files[0].first == "entry-tree.svg");
    CHECK(md.files[0].second.find("<svg") != std::string::npos);
  }

  TEST_CASE("a tie between two actions with the same label names each by its position") {
    // a and a both pay A 1, b 0: "taking  instead" lost the other a (compared by label).
    auto game = io::ReadEfg("EFG 2 R \"dup\" { \"A\" \"B\" }\n\"\"\np \"\" 1 1 \"\" { \"a\" \"a\" \"b\" } 0\n"
                            "t \"\" 1 \"\" { 1 0 }\nt \"\" 2 \"\" { 1 0 }\nt \"\" 3 \"\" { 0 0 }\n",
                            "dup.efg");
    auto solution = equilibrium::Solve(*game, {});
    Explanation e = Explain(*game, solution.equilibria.front());
    REQUIRE(e.steps.size() == 1);
    CHECK(e.steps[0].text.find("this equilibrium takes a (action 1), and taking a (action 2) instead") !=
          std::string::npos);
  }

  TEST_CASE("golden: investment with chance and a tie, Markdown and explanation") {
    Solved s = SolveFile("invest.json");
    Explanation e = Explain(*s.game, s.solution.equilibria.front());
    REQUIRE(e.steps.size() == 4);
    CHECK(e.steps[1].kind == StepKind::kTie);
    CHECK(e.steps[2].kind == StepKind::kChance);
    // Firm: 2/3 * 4 + 1/3 * (-2) = 2; Regulator: 2/3 * 2 + 1/3 * 0 = 4/3.
    CHECK(e.steps[2].text.find("Firm 2 and Regulator 4/3") != std::string::npos);
    CheckGolden("invest.explain.txt", ExplanationText(e));
    CheckGolden("invest.md", RenderMarkdown(BuildReport(InputFor(s, "invest.json")), "invest").text);
  }

  TEST_CASE("the explanation counts payoffs of outcomes on inner nodes, as the leaves' totals") {
    // B's node carries the outcome (5, 5): x is worth 2 + 5 = 7 to B and y 1 + 5 = 6; L is
    // worth 1 + 5 = 6 to A against R's 2.
    auto game = io::ReadEfg(R"(EFG 2 R "inner" { "A" "B" }
p "" 1 1 "" { "L" "R" } 0
p "" 2 1 "" { "x" "y" } 1 "toll" { 5, 5 }
t "" 2 "" { 1, 2 }
t "" 3 "" { 3, 1 }
t "" 4 "" { 2, 5 }
)", "inner.efg");
    equilibrium::Solution solution = equilibrium::Solve(*game, {});
    Explanation e = Explain(*game, solution.equilibria.front());
    REQUIRE(e.steps.size() == 2);
    CHECK(e.steps[0].text.find("compares x (7) with y (6) and chooses x") != std::string::npos);
    CHECK(e.steps[1].text.find("compares L (6) with R (2) and chooses L") != std::string::npos);
  }

  TEST_CASE("the explanation calls a tie what backward induction took as one, no more") {
    // L pays A 1000000, R 1000000.0001: 1e-4 apart, far above the tie rule's 1e-12 of 1e6, so
    // the solver finds one equilibrium (R) and no tie; the explanation must not announce one
    // (at 1e-9 of their size it did: 1e-3 > 1e-4).
    auto game = io::ReadEfg(R"(EFG 2 R "near" { "A" "B" }
p "" 1 1 "" { "L" "R" } 0
t "" 1 "" { 1000000 0 }
t "" 2 "" { 1000000.0001 0 }
)", "near.efg");
    equilibrium::Solution solution = equilibrium::Solve(*game, {});
    REQUIRE(solution.equilibria.size() == 1);
    Explanation e = Explain(*game, solution.equilibria.front());
    REQUIRE(e.steps.size() == 1);
    CHECK(e.steps[0].text.find("chooses R") != std::string::npos);
    CHECK(e.steps[0].text.find("tie") == std::string::npos);
  }

  TEST_CASE("with --exact a tie is equality: 1 against 1.0000000000001 is none") {
    // The floating-point tie rule (1e-12 of the values) took these as tied and the text said
    // "This is a tie ... taking the other action instead gives another equilibrium", which
    // `solve --exact --all` does not list. The values are the exact ones, written as the
    // payoff table writes them.
    auto game = io::ReadEfg(R"(EFG 2 R "near tie" { "A" "B" }
p "" 1 1 "" { "safe" "risky" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 1.0000000000001 5 }
)", "near.efg");
    equilibrium::SolveOptions options;
    options.exact = true;
    equilibrium::Solution solution = equilibrium::Solve(*game, options);
    REQUIRE(solution.equilibria.size() == 1);
    Explanation e = Explain(*game, solution.equilibria.front());
    REQUIRE(e.steps.size() == 1);
    CHECK(e.steps[0].text == "At the root, A compares safe (1) with risky (10000000000001/10000000000000) and chooses risky.");
  }

  TEST_CASE("values tied by the tie rule are written as they read, not in full") {
    // 0.1 + 0.2 = 0.30000000000000004 against 0.3, computed (a scenario's formulas; here
    // doubles given to the builder): one unit in the last place apart, within the tie rule
    // (1e-12 of their size), so backward induction takes them as tied and the text says so;
    // writing them in full ("0.3 with 0.30000000000000004") would contradict the tie it
    // announces. Only untied values that read alike are written in full (the test above).
    // (Written in a game file, the two are exact and differ: that game is solved exactly.)
    model::GameBuilder b({"A", "B"});
    const std::vector<std::string> actions{"safe", "risky"};
    const model::NodeId root = b.AddNode(model::kNoNode, b.AddInfoset(0, "", actions));
    b.AddTerminal(root, b.AddOutcome(std::vector<double>{0.3, 0}));
    b.AddTerminal(root, b.AddOutcome(std::vector<double>{0.1 + 0.2, 5}));
    model::GamePtr game = b.Build();
    equilibrium::Solution solution = equilibrium::Solve(*game, {});
    Explanation e = Explain(*game, solution.equilibria.front());
    REQUIRE(e.steps.size() == 1);
    CHECK(e.steps[0].kind == StepKind::kTie);
    CHECK(e.steps[0].text.find("compares safe (0.3) with risky (0.3) and chooses") != std::string::npos);
    CHECK(e.steps[0].text.find("0.30000000000000004") == std::string::npos);
  }

  TEST_CASE("an unreached node that starts no subgame: its choice is said not to be pinned down") {
    // Gambit's work2.efg, reduced: Player 2's node after HW > H is never reached and starts no
    // subgame (set (1,2) below it also holds a node after L). The equilibrium has Q there,
    // worth 2 to Player 2 against W's 4.5 (0.5 x 3 + 0.5 x 6, Player 1 mixing 50/50 at (1,2)),
    // which the text called a choice ("compares Q (2) with W (4.5) and chooses Q").
    auto game = io::ReadEfg(R"EFG(EFG 2 R "work2" { "Player 1" "Player 2" }
c "" 1 "(0,1)" { "HW" 1/2 "L" 1/2 } 0
p "" 1 1 "(1,1)" { "F" "H" } 0
t "" 1 "Outcome 1" { 0, 0 }
p "" 2 1 "(2,1)" { "Q" "W" } 2 "Outcome 2" { -2, 2 }
t "" 3 "Outcome 3" { 0, 0 }
p "" 1 2 "(1,2)" { "F" "H" } 4 "Outcome 4" { 3, 1 }
t "" 1 "Outcome 1" { 0, 0 }
p "" 2 2 "(2,3)" { "Q" "W" } 2 "Outcome 2" { -2, 2 }
t "" 3 "Outcome 3" { 0, 0 }
t "" 4 "Outcome 4" { 3, 1 }
p "" 1 1 "(1,1)" { "F" "H" } 0
t "" 5 "Outcome 5" { 0, 0 }
p "" 2 3 "(2,2)" { "Q" "W" } 6 "Outcome 6" { -2, 2 }
t "" 7 "Outcome 7" { 0, 0 }
p "" 1 2 "(1,2)" { "F" "H" } 8 "Outcome 8" { 3, -1 }
t "" 1 "Outcome 1" { 0, 0 }
p "" 2 4 "(2,4)" { "Q" "W" } 2 "Outcome 2" { -2, 2 }
t "" 7 "Outcome 7" { 0, 0 }
t "" 8 "Outcome 8" { 3, -1 }
)EFG", "work2.efg");
    equilibrium::Solution solution = equilibrium::Solve(*game, {});
    Explanation e = Explain(*game, solution.equilibria.front());
    int unpinned = 0;
    for (const auto& step : e.steps) {
      if (game->infoset_nodes(game->infoset(step.node)).size() != 1 || step.on_path) continue;
      if (step.text.find("chooses") != std::string::npos && step.text.find("compares") != std::string::npos) {
        // A choice explained as one must be a best reply.
        CHECK(step.text.find("(This node is off the equilibrium path.)") != std::string::npos);
      }
      if (step.text.find("starts no subgame of its own") != std::string::npos) {
        ++unpinned;
        CHECK(step.kind == StepKind::kUnreached);
        CHECK(step.text.find("subgame perfection does not pin down the choice there") != std::string::npos);
      }
    }
    CHECK(unpinned >= 1);
    bool found = false;
    for (const auto& step : e.steps)
      found = found || step.text.find("(Q (2) with W (4.5)). The equilibrium prescribes Q there.") != std::string::npos;
    CHECK(found);
  }

  TEST_CASE("a chance move off the path is marked as off the path, as choices are") {
    // A takes Out (2) over In, whose chance move pays 1 or 0: the chance step was not marked.
    auto game = io::ReadEfg(R"(EFG 2 R "off" { "A" "B" }
p "" 1 1 "" { "Out" "In" } 0
t "" 1 "" { 2 0 }
c "" 1 "luck" { "good" 1/2 "bad" 1/2 } 0
t "" 2 "" { 1 0 }
t "" 3 "" { 0 0 }
)", "off.efg");
    equilibrium::Solution solution = equilibrium::Solve(*game, {});
    Explanation e = Explain(*game, solution.equilibria.front());
    REQUIRE(e.steps.size() == 2);
    CHECK(e.steps[0].kind == StepKind::kChance);
    CHECK_FALSE(e.steps[0].on_path);
    CHECK(e.steps[0].text.ends_with("(This node is off the equilibrium path.)"));
    CHECK(e.steps[1].text.find("off the equilibrium path") == std::string::npos);
  }

  TEST_CASE("a mixed equilibrium is explained by indifference") {
    auto game = io::LoadGame(Golden("pennies.json"));
    equilibrium::Equilibrium eq;
    eq.behavior = {0.5, 0.5, 0.5, 0.5};  // both players: Heads 1/2, Tails 1/2
    eq.payoffs = {0, 0};
    Explanation e = Explain(*game, eq);
    REQUIRE(e.steps.size() == 2);
    const std::string& guess = e.steps[0].text;
    CHECK(e.steps[0].kind == StepKind::kMix);
    CHECK(guess.find("information set \"guess\", Column cannot tell apart 2 nodes") != std::string::npos);
    CHECK(guess.find("(0.5 and 0.5)") != std::string::npos);
    CHECK(guess.find("mixes: Heads with probability 0.5 and Tails with probability 0.5") != std::string::npos);
    CHECK(guess.find("indifferent") != std::string::npos);
    CHECK(e.conclusion.find("play is random") != std::string::npos);
    CheckGolden("pennies.explain.txt", ExplanationText(e));

    // The tables show the behaviour probabilities.
    equilibrium::Solution solution;
    solution.method = "test";
    solution.equilibria.push_back(eq);
    ReportInput in;
    in.game = game.get();
    in.scenario = ScenarioFromGame(*game);
    in.solution = &solution;
    ReportOptions options;
    options.draw_tree = false;
    std::string md = RenderMarkdown(BuildReport(in, options), "p").text;
    CHECK(md.find("| Column | guess | Heads 0.5, Tails 0.5 | yes |") != std::string::npos);
  }

  TEST_CASE("a large tree is collapsed below a depth, with a note") {
    bench::RandomTreeOptions o;
    o.nodes = 10'000;
    auto game = bench::RandomPerfectInformationTree(o);
    auto solution = equilibrium::Solve(*game, {});
    TreeDrawOptions options;
    TreeDrawing d = DrawTreeSvg(*game, &solution.equilibria.front(), options);
    CHECK(d.nodes_drawn <= options.max_nodes + options.path_budget);
    CHECK(d.collapsed > 0);
    CHECK(d.note.find(std::to_string(game->num_nodes()) + " nodes") != std::string::npos);
    // The explanation keeps to the path.
    Explanation e = Explain(*game, solution.equilibria.front());
    CHECK(e.steps.size() <= ExplainOptions{}.max_steps);
    CHECK(!e.omitted_note.empty());
    for (const auto& step : e.steps) CHECK(step.on_path);
  }

  TEST_CASE("every Gambit reference game gets a report with its tree drawn") {
    if (!testing::SharedOrSkip()) return;
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(testing::SharedPath("gambit-games/efg"))) {
      std::string path = entry.path().string();
      CAPTURE(path);
      model::GamePtr game;
      try {
        game = io::LoadGame(path);
      } catch (const Error&) {
        continue;  // the deliberately broken files
      }
      std::optional<equilibrium::Solution> solution;
      try {
        solution = equilibrium::Solve(*game, {});
      } catch (const Error&) {
      }
      ReportInput in;
      in.game = game.get();
      in.scenario = ScenarioFromGame(*game, path);
      in.solution = solution ? &*solution : nullptr;
      std::string html = RenderHtml(BuildReport(in));
      CHECK(html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"parley-tree\"") != std::string::npos);
      ++count;
    }
    CHECK(count > 50);
  }

  TEST_CASE("an unreached information set: what is prescribed, no belief invented") {
    if (!testing::SharedOrSkip()) return;
    auto game = io::LoadGame(testing::SharedPath("gambit-games/efg/bhg1.efg"));
    auto solution = equilibrium::Solve(*game, {});
    ExplainOptions options;
    options.method = solution.method;
    Explanation e = Explain(*game, solution.equilibria.front(), options);
    CHECK(e.introduction.find("This equilibrium was found by " + solution.method) == 0);
    bool unreached = false;
    for (const auto& step : e.steps) {
      if (step.kind != StepKind::kUnreached) continue;
      unreached = true;
      CHECK(!step.on_path);
      CHECK(step.text.find("play never gets there in this equilibrium") != std::string::npos);
    }
    CHECK(unreached);
  }

  TEST_CASE("numbers for people") {
    CHECK(FormatValue(3) == "3");
    CHECK(FormatValue(-0.0) == "0");
    CHECK(FormatValue(12.1) == "12.1");
    CHECK(FormatValue(0.25) == "0.25");
    CHECK(FormatValue(4.0 / 3) == "4/3");
    CHECK(FormatValue(-2.0 / 3) == "-2/3");
    CHECK(FormatValue(std::sqrt(2.0)) == "1.41421");
    CHECK(FormatValue(5e-10) == "5e-10");   // not rounded to 0
    CHECK(FormatValue(1e-13) == "0");       // rounding of payoff sums
    CHECK(FormatProbability(5e-13) == "5e-13");  // a chance move that rare is one
    CHECK(FormatProbability(1e-16) == "0");
    CHECK(JoinWithAnd({"a", "b", "c"}) == "a, b and c");
  }

  TEST_CASE("charts") {
    auto ticks = NiceTicks(0, 1, 5);
    REQUIRE(ticks.size() == 6);  // 0, 0.2, ..., 1
    CHECK(ticks[1] == doctest::Approx(0.2));
    LineChartSpec spec;
    spec.x = {0, 1, 2};
    spec.series = {{"A", {1, 2, 3}}, {"B", {3, std::nan(""), 1}}};
    spec.thresholds = {{1.5, "path changes at"}};
    std::string svg = LineChartSvg(spec);
    CHECK(svg.find("class=\"threshold\"") != std::string::npos);
    CHECK(svg.find("path changes at 1.5") != std::string::npos);
    // A's line stops at the switch between x = 1 and 2 (its value may jump there): two pieces,
    // "M .. L .." and "M ..", not one line through 1 to 3.
    const std::size_t a = svg.find("<path class=\"series\" d=\"");
    REQUIRE(a != std::string::npos);
    const std::string d = svg.substr(a, svg.find('"', a + 27) - a);
    CHECK(std::count(d.begin(), d.end(), 'M') == 2);
    CHECK(std::count(d.begin(), d.end(), 'L') == 1);
    spec.series[0].y.pop_back();
    CHECK_THROWS_AS(LineChartSvg(spec), Error);

    // A bargaining chart from a real bargaining result: outcomes (0,0), (4,0), (0,4), (3,3).
    bargaining::OutcomeSet set{{{0, 0}, {4, 0}, {0, 4}, {3, 3}}, true};
    bargaining::Result r = bargaining::Solve(set, {0, 0});
    BargainingStep step = BargainingStepFromResult(r, {"A", "B"}, "Split", &set);
    REQUIRE(step.chart.has_value());
    CHECK(step.solutions.size() == r.solutions.size());
    std::string chart = BargainingChartSvg(*step.chart);
    CHECK(chart.find("class=\"feasible\"") != std::string::npos);
    CHECK(chart.find("class=\"frontier\"") != std::string::npos);
    CHECK(chart.find("Nash (3, 3)") != std::string::npos);
  }

  TEST_CASE("charts: long titles wrap and legends fit, nothing clipped") {
    // A title as the scenario reports make them, and legend entries with long numbers.
    BargainingChartSpec spec;
    spec.title = "Bargaining stage \"deal\" (after carveout_request = ask > carveout = grant > talks = negotiate)";
    spec.x_label = "OpenAI's payoff";
    spec.y_label = "Microsoft's payoff";
    spec.frontier = {{474, 245}, {625, 79}};
    spec.disagreement = {493.06, 150.64};
    spec.ideal = {567.309, 225.14};
    spec.solutions = {{"Kalai-Smorodinsky", {530.247, 187.953}}, {"Weighted utilitarian", {493.06, 225.14}}};
    std::string svg = BargainingChartSvg(spec);
    std::smatch m;
    REQUIRE(std::regex_search(svg, m, std::regex("<svg[^>]* width=\"([0-9.]+)\" height=\"([0-9.]+)\"")));
    double width = std::stod(m[1]);
    // Every line of the title within the picture (centred, bold: Helvetica's widths + 10 %).
    std::size_t lines = 0;
    std::regex title("<text class=\"title\" x=\"([0-9.]+)\"[^>]*>([^<]*)</text>");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), title); it != std::sregex_iterator(); ++it) {
      ++lines;
      double half = TextWidth((*it)[2].str(), 14) * 1.1 / 2;
      CHECK(std::stod((*it)[1]) - half >= 0);
      CHECK(std::stod((*it)[1]) + half <= width);
    }
    CHECK(lines == 2);  // some 730 px of bold text: too long for one line
    // Every legend entry ends inside the picture, with room for a wider font.
    std::size_t entries = 0;
    std::regex legend("<text class=\"legend\" x=\"([0-9.]+)\"[^>]*>([^<]*)</text>");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), legend); it != std::sregex_iterator(); ++it) {
      ++entries;
      CHECK(std::stod((*it)[1]) + TextWidth((*it)[2].str(), 12) * 1.1 <= width);
    }
    CHECK(entries == 4);
    CHECK(svg.find("Kalai-Smorodinsky (530.2, 188)") != std::string::npos);
  }

  TEST_CASE("the conclusion does not call ends left out less likely when they tie the last listed") {
    // Three simultaneous pennies: A gets 2 at a = b = h and 1 at a = b = t, B gets 1 at b != c,
    // C gets 1 at c = a. Indifference: A's needs P(b = h) = 1/3, B's P(c = h) = 1/2, C's
    // P(a = h) = 1/2. The eight ends: a and c are fair coins and b is h with 1/3, so each end
    // with b = h has 1/2 x 1/3 x 1/2 = 1/12 and each with b = t 1/2 x 2/3 x 1/2 = 1/6. The five
    // listed are the four of 1/6 and one of 1/12; the three left out are 1/12 too.
    auto game = io::ReadEfg(R"(EFG 2 R "Three pennies" { "A" "B" "C" }
""
p "" 1 1 "amove" { "h" "t" } 0
p "" 2 1 "bmove" { "h" "t" } 0
p "" 3 1 "cmove" { "h" "t" } 0
t "" 1 "hhh" { 2 0 1 }
t "" 2 "hht" { 2 1 0 }
p "" 3 1 "cmove" { "h" "t" } 0
t "" 3 "hth" { 0 1 1 }
t "" 4 "htt" { 0 0 0 }
p "" 2 1 "bmove" { "h" "t" } 0
p "" 3 1 "cmove" { "h" "t" } 0
t "" 5 "thh" { 0 0 0 }
t "" 6 "tht" { 0 1 1 }
p "" 3 1 "cmove" { "h" "t" } 0
t "" 7 "tth" { 1 1 0 }
t "" 8 "ttt" { 1 0 1 }
)",
                            "pennies.efg");
    auto solution = equilibrium::Solve(*game, {});
    REQUIRE(solution.equilibria.size() == 1);
    const std::string conclusion = ExplainConclusion(*game, solution.equilibria[0]);
    CHECK(conclusion.find("smaller probabilities") == std::string::npos);
    CHECK(conclusion.find("; other ends are reached too, none more likely than the last one listed.") !=
          std::string::npos);
    CHECK(conclusion.find("with probability 1/12") != std::string::npos);
  }

  TEST_CASE("a step writes a player's values in full where the conclusion does") {
    // A ends with 0.333333333 (Out), 1/3 or 0.1: the first two read alike ("1/3"), so A's
    // payoffs are written in full, and Out's 0.333333333 must not read "1/3" in the step that
    // compares it (the conclusion says 0.333333333).
    auto game = io::ReadEfg(R"(EFG 2 R "Near" { "A" "B" }
""
p "" 1 1 "a" { "Out" "In" } 0
t "" 1 "" { 0.333333333 0.5 }
p "" 2 1 "b" { "L" "R" } 0
t "" 2 "" { 1/3 0.2 }
t "" 3 "" { 0.1 0.2000000001 }
)",
                            "near.efg");
    auto solution = equilibrium::Solve(*game, {});
    REQUIRE(solution.equilibria.size() == 1);
    Explanation e = Explain(*game, solution.equilibria.front());
    REQUIRE(e.steps.size() == 2);
    CHECK(e.steps[1].text == "At the root, A compares Out (0.333333333) with In (0.1) and chooses Out.");
    CHECK(ExplainConclusion(*game, solution.equilibria[0]).find("the payoffs are A 0.333333333 and B 0.5") !=
          std::string::npos);
  }

  TEST_CASE("a payoff that six digits would show as another is written in full") {
    // A takes In for 1.0000001 over Out's 1 (B then prefers F, 1e-7 over 0). At six digits
    // the conclusion, the payoff table and the leaves all read "1": a strict preference
    // shown as a three-way tie. B's payoffs (2, 1e-7, 0) read apart and stay short.
    auto game = io::ReadEfg("EFG 2 R \"near\" { \"A\" \"B\" }\n"
                            "p \"\" 1 1 \"\" { \"Out\" \"In\" } 0\n"
                            "t \"\" 1 \"\" { 1 2 }\n"
                            "p \"\" 2 1 \"\" { \"F\" \"Acc\" } 0\n"
                            "t \"\" 2 \"\" { 1.0000001 0.0000001 }\n"
                            "t \"\" 3 \"\" { 0.9999999 0 }\n",
                            "near.efg");
    auto solution = equilibrium::Solve(*game, {});
    REQUIRE(solution.equilibria.size() == 1);
    CHECK(PlayersNeedingAllDigits(*game) == std::vector<char>{1, 0});
    CHECK(ExplainConclusion(*game, solution.equilibria[0]).find("the payoffs are A 1.0000001 and B 1e-07") !=
          std::string::npos);
    TreeView view = SelectTree(*game, &solution.equilibria[0], TreeDrawOptions{});
    CHECK(LeafText(*game, view, 3, false).find("1.0000001, 1e-07") != std::string::npos);
    CHECK(LeafText(*game, view, 4, false).find("0.9999999, 0") != std::string::npos);
    CHECK(LeafText(*game, view, 1, false).find("1, 2") != std::string::npos);
    // Values within the tie rule are one value: 0.1 + 0.2 beside 0.3 keeps "0.3".
    auto tied = io::ReadEfg("EFG 2 R \"tied\" { \"A\" \"B\" }\n"
                            "p \"\" 1 1 \"\" { \"x\" \"y\" } 0\n"
                            "t \"\" 1 \"\" { 0.30000000000000004 0 }\n"
                            "t \"\" 2 \"\" { 0.3 0 }\n",
                            "tied.efg");
    CHECK(PlayersNeedingAllDigits(*tied) == std::vector<char>{0, 0});
  }

  TEST_CASE("writers escape text") {
    CHECK(EscapeHtml("<a & \"b\">") == "&lt;a &amp; &quot;b&quot;&gt;");
    // Control characters are not XML 1.0 even as references (an SVG with a label's \x0b did not
    // parse): the replacement character stands for them; tabs and line breaks stay.
    CHECK(EscapeHtml("x\x0b y\x01\tz\n") == "x\xEF\xBF\xBD y\xEF\xBF\xBD\tz\n");
    CHECK(EscapeMarkdown("x\x0b y\x7f") == "x\xEF\xBF\xBD y\xEF\xBF\xBD");
    CHECK(EscapeMarkdown("a*b_c|d _e_") == "a\\*b_c|d \\_e\\_");
    CHECK(EscapeMarkdown("a|b", true) == "a\\|b");
    CHECK(EscapeMarkdown("-1", true) == "-1");
    CHECK(EscapeMarkdown("# x") == "\\# x");
    // A label's own line break, with the blanks around it, is one space: the text stays on
    // its line, so nothing in it can start a heading, a rule, a list or a new paragraph there
    // (a blank line would end the list item or paragraph the label sits in). An entity stays
    // text.
    CHECK(EscapeMarkdown("Ann\n## P") == "Ann ## P");
    CHECK(EscapeMarkdown("go\n---\nnext") == "go --- next");
    CHECK(EscapeMarkdown("&lt;b&gt;") == "\\&lt;b\\&gt;");
    CHECK(EscapeMarkdown("In\n\n# Injected\n \n\t\n- item\n    code") == "In # Injected - item code");
    CHECK(EscapeMarkdown("a\r\n\r\nb") == "a b");
    CHECK(EscapeMarkdown("x\n2. y") == "x 2. y");
    CHECK(EscapeMarkdown("x\n12)") == "x 12)");
    CHECK(EscapeMarkdown("3.5 units\n4.5 more") == "3.5 units 4.5 more");
    CHECK(EscapeMarkdown("x\n 1. y\n  - z") == "x 1. y - z");
    CHECK(EscapeMarkdown("new\nline", true) == "new line");
    CHECK(EscapeMarkdown("\nx\n") == "x");  // none at either end
    // A number followed by "." or ")" at the start does not start a numbered list.
    CHECK(EscapeMarkdown("1. first") == "1\\. first");
    CHECK(EscapeMarkdown("1. a", true) == "1. a");
    CHECK(EscapeMarkdown("\t2. y") == "\t2\\. y");
    // Spaces are kept: a run of spaces, and spaces at either end, are no-break spaces (a
    // label "  spaced  " read "spaced"), which also keeps a marker after them from starting a
    // list.
    CHECK(EscapeMarkdown("  spaced  ") == "&nbsp;&nbsp;spaced&nbsp;&nbsp;");
    CHECK(EscapeMarkdown("  spaced  ", true) == "&nbsp;&nbsp;spaced&nbsp;&nbsp;");
    CHECK(EscapeMarkdown("After   spaced  , B") == "After &nbsp;&nbsp;spaced &nbsp;, B");
    CHECK(EscapeMarkdown("  - y") == "&nbsp;&nbsp;- y");
    CHECK(EscapeMarkdown("a b") == "a b");
    Document doc{"T <1>", "s", {{"one", "One", {Paragraph{"x < y"}, Table{{"h"}, {{"1"}}, {true}}}}}};
    std::string html = RenderHtml(doc);
    CHECK(html.find("<title>T &lt;1&gt;</title>") != std::string::npos);
    CHECK(html.find("<p>x &lt; y</p>") != std::string::npos);
    CHECK(html.find("<td class=\"num\">1</td>") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);  // no tree, no script
    Document pictured{"T", "", {{"one", "One", {Figure{"tree", "<svg/>", ""}}}}};
    MarkdownOutput md = RenderMarkdown(pictured, "my report (v2)");
    CHECK(md.text.find("![tree](my%20report%20%28v2%29-tree.svg)") != std::string::npos);
    CHECK(md.files.at(0).first == "my report (v2)-tree.svg");
  }

  TEST_CASE("labels with a line break or outer spaces: a step stays on its line, the spaces stay") {
    // B, after "  spaced  ", compares "new\nline" (1) with x (2): the Markdown step was split
    // over two lines at the label's line break, and the label's spaces collapsed ("After
    // spaced , B"), in Markdown and in HTML alike.
    auto game = io::ReadEfg(R"(EFG 2 R "Labels" { "A" "B" }
""

p "" 1 1 "" { "  spaced  " "plain" } 0
p "" 2 1 "" { "new
line" "x" } 0
t "" 1 "" { 3 1 }
t "" 2 "" { 2 2 }
t "" 3 "" { 1 0 }
)",
                            "labels.efg");
    Solved s{game, equilibrium::Solve(*game, {})};
    ReportOptions options;
    options.draw_tree = false;
    const Document doc = BuildReport(InputFor(s, "labels.efg"), options);
    const std::string md = RenderMarkdown(doc, "labels").text;
    CHECK(md.find("\n1. After &nbsp;&nbsp;spaced &nbsp;, B compares new line (1) with x (2) and chooses x.\n") !=
          std::string::npos);
    CHECK(md.find("\nline") == std::string::npos);
    CHECK(md.find("A plays &nbsp;&nbsp;spaced &nbsp;&nbsp;and B plays x") != std::string::npos);
    CHECK(md.find("| &nbsp;&nbsp;spaced&nbsp;&nbsp; |") != std::string::npos);
    const std::string html = RenderHtml(doc);
    CHECK(html.find("<li>After &nbsp;&nbsp;spaced &nbsp;, B compares new line (1) with x (2) and chooses x.</li>") !=
          std::string::npos);
    CHECK(html.find("<td>&nbsp;&nbsp;spaced&nbsp;&nbsp;</td>") != std::string::npos);
    // The tree drawing keeps them too: SVG collapses a text's spaces unless told not to.
    const std::string svg = DrawTreeSvg(*game, &s.solution.equilibria.front()).svg;
    const std::string root = svg.substr(0, svg.find('>'));
    CHECK(root.find(" xml:space=\"preserve\"") != std::string::npos);
    CHECK(svg.find(">  spaced  </text>") != std::string::npos);
  }

  TEST_CASE("sections: every builder is listed once, in order") {
    std::vector<std::string> ids;
    for (const auto& s : ReportSections()) ids.push_back(s.id);
    CHECK(ids == std::vector<std::string>{"scenario", "game-tree", "explanation", "equilibrium",
                                          "qre", "bargaining", "sweep", "tornado", "montecarlo"});
  }

  TEST_CASE("a report without a solution says why") {
    Solved s = SolveFile("entry.efg");
    ReportInput in = InputFor(s, "entry.efg");
    in.solution = nullptr;
    in.unsolved_reason = "no method";
    ReportOptions options;
    options.draw_tree = false;
    std::string md = RenderMarkdown(BuildReport(in, options), "x").text;
    CHECK(md.find("No equilibrium was computed: no method") != std::string::npos);
    CHECK(md.find("## The equilibrium") == std::string::npos);
  }

  TEST_CASE("parameter table and sweep section") {
    Solved s = SolveFile("entry.efg");
    ReportInput in = InputFor(s, "entry.efg");
    in.scenario.parameters = {{"share", "0.2", "0.1", "0.3", "fraction", "F2", false, "revenue share"},
                              {"cost", "5", "1", "10", "$bn", "", true, ""}};
    SweepResult sweep;
    sweep.parameter = "share";
    sweep.players = {"Entrant", "Incumbent"};
    sweep.points = {{0.1, {1, 1}, "Entrant In"}, {0.2, {0, 2}, "Entrant Out"}};
    sweep.thresholds = {{0.15, "path changes at"}};
    sweep.threshold_text = {"At share = 0.15 the path changes."};
    in.sweep = sweep;
    ReportOptions options;
    options.draw_tree = false;
    MarkdownOutput md = RenderMarkdown(BuildReport(in, options), "x");
    CHECK(md.text.find("## The scenario") != std::string::npos);
    CHECK(md.text.find("| share (revenue share) | 0.2 | 0.1 to 0.3 | fraction | F2 |") != std::string::npos);
    CHECK(md.text.find("| cost | 5 | 1 to 10 | $bn | assumption |") != std::string::npos);
    CHECK(md.text.find("## Varying share") != std::string::npos);
    REQUIRE(md.files.size() == 1);
    CHECK(md.files[0].first == "x-sweep.svg");
  }
}

}  // namespace parley::report
