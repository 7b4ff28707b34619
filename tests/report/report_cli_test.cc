// `parley report` and `parley draw` on the real binary: the files they write, their error
// messages, and atomic writing (a failure never leaves a half-written report nor replaces a
// good one).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/random_tree.h"
#include "solver/io/efg.h"
#include "tests/test_util.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

// A fresh, empty folder under the build folder.
std::string FreshDir(const std::string& name) {
  std::string dir = BuildPath("test-tmp/" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string Fixture(const std::string& name) { return "'" + SourcePath("tests/report/golden/" + name) + "'"; }

// Files in `dir` (names only).
std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_SUITE("report cli") {
  TEST_CASE("parley report writes Markdown with the tree beside it") {
    std::string dir = FreshDir("report-md");
    RunResult r = RunParley("report " + Fixture("entry.efg") + " -o '" + dir + "/entry.md'");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(Listing(dir) == std::vector<std::string>{"entry-tree.svg", "entry.md"});
    std::string md = ReadFile(dir + "/entry.md");
    CHECK(md.find("![tree](entry-tree.svg)") != std::string::npos);
    CHECK(md.find("Incumbent compares Fight (-1) with Accommodate (1) and chooses Accommodate") != std::string::npos);
    CHECK(ReadFile(dir + "/entry-tree.svg").find("<svg") != std::string::npos);
  }

  TEST_CASE("a Markdown report that cannot be written leaves the old report and its pictures") {
    // The pictures were written first: a read-only report kept its text but got another
    // game's tree, and a folder named like the report got a stray picture.
    std::string dir = FreshDir("report-md-kept");
    REQUIRE(RunParley("report " + Fixture("entry.efg") + " -o '" + dir + "/r.md'").exit_code == 0);
    const std::string tree = ReadFile(dir + "/r-tree.svg");
    fs::permissions(dir + "/r.md", fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    RunResult again = RunParley("report " + Fixture("invest.json") + " -o '" + dir + "/r.md'");
    CHECK(again.exit_code == 1);
    CHECK(again.err.find("read-only") != std::string::npos);
    CHECK(ReadFile(dir + "/r-tree.svg") == tree);
    fs::create_directories(dir + "/d.md");
    CHECK(RunParley("report " + Fixture("entry.efg") + " -o '" + dir + "/d.md'").exit_code == 1);
    CHECK(Listing(dir) == std::vector<std::string>{"d.md", "r-tree.svg", "r.md"});
    fs::permissions(dir + "/r.md", fs::perms::owner_write, fs::perm_options::add);
  }

  TEST_CASE("parley report writes one self-contained HTML page") {
    std::string dir = FreshDir("report-html");
    RunResult r = RunParley("report " + Fixture("invest.json") + " -o '" + dir + "/invest.html'");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(Listing(dir) == std::vector<std::string>{"invest.html"});
    std::string html = ReadFile(dir + "/invest.html");
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("<style>") != std::string::npos);
    // Nothing to fetch: no external scripts, stylesheets, images or links; the one inline
    // script is the tree's.
    CHECK(html.find("<script>") != std::string::npos);
    CHECK(html.find("<script", html.find("<script>") + 1) == std::string::npos);
    CHECK(html.find(" src=") == std::string::npos);
    CHECK(html.find("src=\"http") == std::string::npos);
    CHECK(html.find("href=\"http") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("Regulator 4/3") != std::string::npos);
  }

  TEST_CASE("a scenario report: parameter table, sources, --set and a --vary chart") {
    std::string dir = FreshDir("report-scenario");
    RunResult r = RunParley("report " + Fixture("entry_scenario.yaml") +
                            " --set duopoly_profit=1.5 --vary war_loss=-3:3:7 -o '" + dir + "/s.md'");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(Listing(dir) == std::vector<std::string>{"s-sweep.svg", "s-tree.svg", "s.md"});
    std::string md = ReadFile(dir + "/s.md");
    CHECK(md.find("## The scenario") != std::string::npos);
    CHECK(md.find("| war_loss (each firm's profit in a price war) | -1 | -3 to 3 |  | assumption |") != std::string::npos);
    CHECK(md.find("| duopoly_profit (each firm's profit when sharing) | 1.5 (file: 1) | 0 to 3 | $m | Selten 1978 |") != std::string::npos);
    CHECK(md.find("1. Selten, R. (1978). The chain store paradox.") != std::string::npos);
    CHECK(md.find("| Changed with --set | duopoly_profit = 1.5 |") != std::string::npos);
    // The Incumbent fights once a price war pays more than sharing: war_loss > 1.5.
    CHECK(md.find("At war_loss = 1.5 the equilibrium changes from \"Entrant In > Incumbent Accommodate\" "
                  "to \"Entrant In > Incumbent Fight\"") != std::string::npos);
    std::string chart = ReadFile(dir + "/s-sweep.svg");
    CHECK(chart.find("class=\"threshold\"") != std::string::npos);
    CHECK(chart.find("class=\"series\"") != std::string::npos);
  }

  TEST_CASE("a scenario with a bargain stage: one bargaining step per talks, with its chart") {
    std::string dir = FreshDir("report-bargain");
    RunResult r = RunParley("report " + Fixture("holdup_nash.yaml") + " --vary power=0.1:0.9:9 -o '" + dir + "/h.md'");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(Listing(dir) == std::vector<std::string>{"h-bargaining-1.svg", "h-bargaining-2.svg", "h-sweep.svg",
                                                   "h-tree.svg", "h.md"});
    std::string md = ReadFile(dir + "/h.md");
    // Nash with powers (1/2, 1/2) over the gains price and value - price: price = value / 2.
    CHECK(md.find("### Bargaining stage \"trade\" (after investment = high)") != std::string::npos);
    CHECK(md.find("Play reaches these talks in equilibrium. The scenario settles them by the Nash solution") != std::string::npos);
    CHECK(md.find("the agreement is price 5, worth (2, 5)") != std::string::npos);
    CHECK(md.find("| Nash | 2 | 5 | price 5 |") != std::string::npos);
    CHECK(md.find("Play does not reach these talks in equilibrium.") != std::string::npos);
    // High pays once 10 power - 3 > 4 power - 1, i.e. power > 1/3.
    CHECK(md.find("- At power = 0.33333") != std::string::npos);
    std::string chart = ReadFile(dir + "/h-bargaining-1.svg");
    CHECK(chart.find("class=\"frontier\"") != std::string::npos);
    CHECK(chart.find("Nash (2, 5)") != std::string::npos);
  }

  TEST_CASE("parley draw writes SVG, PNG and DOT") {
    std::string dir = FreshDir("draw");
    for (std::string ext : {"svg", "dot"}) {
      RunResult r = RunParley("draw " + Fixture("entry.efg") + " -o '" + dir + "/tree." + ext + "'");
      REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }
    CHECK(ReadFile(dir + "/tree.svg").find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"parley-tree\"") != std::string::npos);
    CHECK(ReadFile(dir + "/tree.dot").rfind("digraph tree {", 0) == 0);
    CHECK(ReadFile(dir + "/tree.dot").find("n0 -> n2 [label=\" In \", color=\"#c0392b\"") != std::string::npos);
    RunResult plain = RunParley("draw " + Fixture("entry.efg") + " --no-solution -o '" + dir + "/plain.dot'");
    REQUIRE(plain.exit_code == 0);
    CHECK(ReadFile(dir + "/plain.dot").find("#c0392b") == std::string::npos);
  }

  TEST_CASE("parley draw writes PNG through rsvg-convert, or says which package it needs") {
    std::string dir = FreshDir("draw-png");
    RunResult r = RunParley("draw " + Fixture("entry.efg") + " -o '" + dir + "/tree.png'");
    if (std::system("command -v rsvg-convert >/dev/null 2>&1") == 0) {
      REQUIRE_MESSAGE(r.exit_code == 0, r.err);
      CHECK(ReadFile(dir + "/tree.png").rfind("\x89PNG", 0) == 0);
      CHECK(Listing(dir) == std::vector<std::string>{"tree.png"});  // no temporary files left
    } else {
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("rsvg-convert") != std::string::npos);
      CHECK(r.err.find("librsvg2-bin") != std::string::npos);
      CHECK(Listing(dir).empty());
    }
  }

  TEST_CASE("the parley binary links nothing from Graphviz") {
    // Graphviz's libraries are EPL-1.0, which cannot be combined with the GPL (GLPK's).
    std::string out = BuildPath("test-tmp/ldd.txt");
    REQUIRE(std::system(("ldd '" + std::string(PARLEY_BINARY) + "' > '" + out + "' 2>&1").c_str()) == 0);
    std::string libraries = ReadFile(out);
    CHECK(libraries.find("libc.so") != std::string::npos);  // ldd did list the libraries
    for (const char* name : {"libgvc", "libcgraph", "libcdt", "libpathplan", "libxdot"})
      CHECK_MESSAGE(libraries.find(name) == std::string::npos, name << " is linked:\n" << libraries);
  }

  TEST_CASE("parley draw draws the OpenAI-Microsoft tree whole") {
    std::string scenario = SourcePath("bench/data/openai_microsoft_v1.yaml");
    if (!fs::exists(scenario)) return;
    std::string dir = FreshDir("draw-scenario");
    RunResult r = RunParley("draw '" + scenario + "' -o '" + dir + "/tree.svg'");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.err.find("too many") == std::string::npos);
    std::string svg = ReadFile(dir + "/tree.svg");
    std::size_t nodes = 0;
    for (std::size_t at = svg.find("<g class=\"pn\""); at != std::string::npos; at = svg.find("<g class=\"pn\"", at + 1))
      ++nodes;
    CHECK(nodes > 50);
    CHECK(svg.find("display=\"none\"") == std::string::npos);
  }

  TEST_CASE("a report of a 10,000-node game takes well under 2 seconds") {
    std::string dir = FreshDir("report-big");
    auto game = bench::RandomPerfectInformationTree({10'000, 2, 0.1, 7});
    std::string path = WriteTempFile("big10k.efg", io::WriteEfgString(*game));
    auto start = std::chrono::steady_clock::now();
    RunResult r = RunParley("report '" + path + "' -o '" + dir + "/big.html'");
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK_MESSAGE(seconds < 2.0, "took " << seconds << " s");
    std::string html = ReadFile(dir + "/big.html");
    CHECK(html.find("too many to draw legibly") != std::string::npos);
    CHECK(html.find("shown are those on the equilibrium path") != std::string::npos);
    CHECK(html.size() < 2'000'000);
  }

  TEST_CASE("errors name the problem") {
    std::string dir = FreshDir("report-errors");
    RunResult r = RunParley("report " + Fixture("entry.efg") + " -o '" + dir + "/entry.pdf'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("unknown report format '.pdf'") != std::string::npos);
    r = RunParley("draw " + Fixture("entry.efg") + " -o '" + dir + "/tree.jpg'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("unknown picture format '.jpg'") != std::string::npos);
    r = RunParley("report " + Fixture("entry.efg") + " --vary x=0:1:5 -o '" + dir + "/v.html'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("analysis needs a scenario file (.yaml)") != std::string::npos);
    CHECK(Listing(dir).empty());
  }

  TEST_CASE("a failed report never replaces a good one nor leaves a partial file") {
    std::string dir = FreshDir("report-atomic");
    std::string out = dir + "/report.html";
    REQUIRE(RunParley("report " + Fixture("entry.efg") + " -o '" + out + "'").exit_code == 0);
    std::string good = ReadFile(out);
    REQUIRE(!good.empty());
    // A broken game: the run fails after the old report was there.
    std::string broken = WriteTempFile("broken.efg", "EFG 2 R \"x\" { \"A\" }\n\"\"\np \"\" 1 1 \"\" { \"a\" \"b\" } 0\nt \"\" 1 \"\" { 1 }\n");
    RunResult r = RunParley("report '" + broken + "' -o '" + out + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.rfind("error: ", 0) == 0);
    CHECK(ReadFile(out) == good);
    // A sweep that fails half-way (the game has no parameters) leaves the report as it was.
    r = RunParley("report " + Fixture("entry.efg") + " --vary x=0:1:3 -o '" + out + "'");
    CHECK(r.exit_code == 1);
    CHECK(ReadFile(out) == good);
    // The report's folder holds the report and nothing else (no temporary files).
    CHECK(Listing(dir) == std::vector<std::string>{"report.html"});
    // A folder that does not exist: an error, and nothing written anywhere.
    r = RunParley("report " + Fixture("entry.efg") + " -o '" + dir + "/missing/report.html'");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("cannot write") != std::string::npos);
  }
}

}  // namespace parley::testing
