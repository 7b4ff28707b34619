// The HTML report as a person sees it: rendered by headless Chromium, which must report no
// console errors, show the tree and the charts as non-empty SVG, and show the key numbers in
// the page text; a reader's click on a collapsed subtree opens it, and with scripts disabled
// the page shows the default drawing. A screenshot is saved under the build folder
// (test-tmp/browser/*.png).
// Chromium is a test dependency (scripts/install-deps.sh installs it): without it, this test
// fails and says so.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <map>
#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "bench/random_tree.h"
#include "solver/bargaining/bargaining.h"
#include "solver/equilibrium/solve.h"
#include "solver/io/files.h"
#include "solver/load/load.h"
#include "solver/model/error.h"
#include "solver/report/bargaining_plot.h"
#include "solver/report/html.h"
#include "solver/report/report.h"
#include "solver/report/text.h"
#include "solver/report/tree_svg.h"
#include "tests/test_util.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

std::string FindChromium() {
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::string command = std::string("command -v ") + name + " >/dev/null 2>&1";
    if (std::system(command.c_str()) == 0) return name;
  }
  return "";
}

struct BrowserRun {
  int status = -1;
  std::string out, err;
};

// Runs headless Chromium on a local file with a fresh profile, no network services.
BrowserRun RunChromium(const std::string& chromium, const std::string& args, const std::string& dir) {
  std::string profile = dir + "/profile";
  fs::remove_all(profile);
  fs::create_directories(profile);
  std::string command = "timeout 120 " + chromium +
                        " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                        " --disable-background-networking --disable-component-update --disable-sync"
                        " --hide-scrollbars --enable-logging=stderr --v=0 --user-data-dir='" + profile + "' " +
                        args + " >'" + dir + "/out.txt' 2>'" + dir + "/err.txt'";
  BrowserRun r;
  r.status = std::system(command.c_str());
  r.out = ReadFile(dir + "/out.txt");
  r.err = ReadFile(dir + "/err.txt");
  return r;
}

// Console messages and script errors in Chromium's log ("...:CONSOLE(12)] ...", "Uncaught").
std::vector<std::string> ConsoleErrors(const std::string& log) {
  std::vector<std::string> found;
  std::size_t start = 0;
  while (start < log.size()) {
    std::size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    std::string line = log.substr(start, end - start);
    if (line.find(":CONSOLE(") != std::string::npos || line.find("Uncaught") != std::string::npos ||
        line.find("Failed to load resource") != std::string::npos)
      found.push_back(line);
    start = end + 1;
  }
  return found;
}

// A probe for a copy of the page: it records script errors, failed resource loads and
// console.error calls, and the rendered size of every SVG, as attributes of <html> that
// --dump-dom shows. (Recent headless Chromium does not log page console messages to stderr,
// so the log alone cannot prove there were none.) It also clicks the first collapsed subtree of
// a tree drawing, as a reader would, and again to close it, recording how many tree nodes are
// visible before, after the first and after the second click.
constexpr const char* kProbe = R"(<script>
window.__errors = [];
window.addEventListener('error', function (e) {
  var t = e.target;
  __errors.push(String(e.message || (t && (t.src || t.href)) || 'error'));
}, true);
(function () {
  var original = console.error;
  console.error = function () {
    __errors.push(Array.prototype.join.call(arguments, ' '));
    original.apply(console, arguments);
  };
})();
window.addEventListener('load', function () {
  var sizes = Array.prototype.map.call(document.querySelectorAll('svg'), function (s) {
    var r = s.getBoundingClientRect();
    return Math.round(r.width) + 'x' + Math.round(r.height);
  });
  function visible() {
    return Array.prototype.filter.call(document.querySelectorAll('svg.parley-tree g.pn'), function (g) {
      return g.getAttribute('display') !== 'none';
    }).length;
  }
  var box = Array.prototype.filter.call(document.querySelectorAll('svg.parley-tree g.pn[data-k]'), function (g) {
    var b = g.querySelector('g.pb');
    return g.getAttribute('display') !== 'none' && b && b.getAttribute('display') !== 'none';
  })[0];
  if (box) {
    var counts = [visible()];
    box.querySelector('g.pb rect').dispatchEvent(new MouseEvent('click', {bubbles: true}));
    counts.push(visible());
    box.querySelector('g.po').dispatchEvent(new MouseEvent('click', {bubbles: true}));
    counts.push(visible());
    document.documentElement.setAttribute('data-probe-click', counts.join(','));
  }
  document.documentElement.setAttribute('data-probe-errors', JSON.stringify(__errors));
  document.documentElement.setAttribute('data-probe-svg', sizes.join(','));
  document.documentElement.setAttribute('data-probe', 'loaded');
});
</script>
)";

// The value of attribute `name` on the first element that has it ("" when none).
std::string Attribute(const std::string& dom, const std::string& name) {
  std::smatch m;
  if (std::regex_search(dom, m, std::regex(name + "=\"([^\"]*)\""))) return m[1];
  return "";
}

// The text of a page: tags removed, entities for < > & decoded.
std::string PageText(const std::string& dom) {
  std::string text = std::regex_replace(dom, std::regex("<[^>]*>"), " ");
  text = std::regex_replace(text, std::regex("&lt;"), "<");
  text = std::regex_replace(text, std::regex("&gt;"), ">");
  text = std::regex_replace(text, std::regex("&amp;"), "&");
  return std::regex_replace(text, std::regex("\\s+"), " ");
}

// Each <svg ...>...</svg> of the DOM, outermost ones only.
std::vector<std::string> SvgElements(const std::string& dom) {
  std::vector<std::string> svgs;
  std::size_t at = 0;
  while ((at = dom.find("<svg", at)) != std::string::npos) {
    std::size_t end = dom.find("</svg>", at);
    if (end == std::string::npos) break;
    svgs.push_back(dom.substr(at, end + 6 - at));
    at = end + 6;
  }
  return svgs;
}

std::string RequireChromium() {
  std::string chromium = FindChromium();
  REQUIRE_MESSAGE(!chromium.empty(),
                  "headless Chromium is needed to test the HTML report as a reader sees it: "
                  "install Debian's `chromium` package (scripts/install-deps.sh does)");
  return chromium;
}

// The number of tree nodes a DOM shows (not hidden).
std::size_t VisibleTreeNodes(const std::string& dom) {
  std::size_t count = 0;
  std::regex node("<g class=\"pn\"[^>]*>");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), node); it != std::sregex_iterator(); ++it)
    if (it->str().find("display=\"none\"") == std::string::npos) ++count;
  return count;
}

// The position of every visible tree node of a DOM, by its number in the drawing.
std::map<int, std::pair<double, double>> TreePositions(const std::string& dom) {
  std::map<int, std::pair<double, double>> at;
  std::regex node("<g class=\"pn\" data-n=\"(\\d+)\"[^>]*transform=\"translate\\(([-0-9.]+),([-0-9.]+)\\)\"( display=\"none\")?");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), node); it != std::sregex_iterator(); ++it)
    if (!(*it)[4].matched) at[std::stoi((*it)[1])] = {std::stod((*it)[2]), std::stod((*it)[3])};
  return at;
}

// Renders `page` (a report, whose only script may be the tree script) through a probed copy;
// checks that it loaded without errors and that it shows `pictures` SVGs at a real size.
// Returns the DOM.
std::string RenderChecked(const std::string& chromium, const std::string& page, const std::string& dir,
                          int pictures) {
  std::string html = ReadFile(page);
  std::size_t script = html.find("<script");
  if (script != std::string::npos) {
    CHECK(html.find("<script", script + 1) == std::string::npos);  // one script at most
    CHECK(html.find("svg.parley-tree", script) != std::string::npos);  // the tree's
    CHECK(html.find(" src=") == std::string::npos);  // nothing fetched
  }
  std::string probed = dir + "/probed.html";
  html.insert(html.find("<head>") + 6, kProbe);
  io::WriteFileAtomically(probed, html);
  BrowserRun dom = RunChromium(chromium, "--dump-dom 'file://" + probed + "'", dir);
  REQUIRE_MESSAGE(dom.status == 0, "chromium failed: " << dom.err);
  REQUIRE_MESSAGE(Attribute(dom.out, "data-probe") == "loaded", "the page did not finish loading");
  CHECK_MESSAGE(Attribute(dom.out, "data-probe-errors") == "[]",
                "errors in the page: " << Attribute(dom.out, "data-probe-errors"));
  std::vector<std::string> errors = ConsoleErrors(dom.err);
  CHECK_MESSAGE(errors.empty(), "console errors: " << (errors.empty() ? "" : errors.front()));
  // Each picture laid out at a real size (width x height in CSS pixels).
  std::string sizes = Attribute(dom.out, "data-probe-svg");
  std::smatch m;
  int count = 0;
  for (std::string rest = sizes; std::regex_search(rest, m, std::regex("(\\d+)x(\\d+)")); rest = m.suffix()) {
    ++count;
    CHECK_MESSAGE(std::stoi(m[1]) > 100, "an SVG is too narrow: " << sizes);
    CHECK_MESSAGE(std::stoi(m[2]) > 100, "an SVG is too flat: " << sizes);
  }
  CHECK_MESSAGE(count == pictures, "SVG sizes: " << sizes);
  return dom.out;
}

// Saves a screenshot of `page` as `shot` and checks it is a real picture.
void Screenshot(const std::string& chromium, const std::string& page, const std::string& shot,
                const std::string& dir) {
  BrowserRun picture = RunChromium(chromium, "--window-size=1100,2400 --screenshot='" + shot + "' 'file://" + page + "'", dir);
  CHECK_MESSAGE(picture.status == 0, picture.err);
  REQUIRE(fs::exists(shot));
  CHECK(fs::file_size(shot) > 10000);
  CHECK(ConsoleErrors(picture.err).empty());
  MESSAGE("screenshot: " << shot);
}

}  // namespace

TEST_SUITE("report browser") {
  TEST_CASE("the HTML report renders in headless Chromium without errors") {
    std::string chromium = RequireChromium();
    std::string dir = BuildPath("test-tmp/browser");
    fs::remove_all(dir);
    fs::create_directories(dir);

    // A report with every section: the investment game (tree, chance, a tie), a bargaining
    // step, and a sweep.
    auto game = io::LoadGame(SourcePath("tests/report/golden/invest.json"));
    auto solution = equilibrium::Solve(*game, {});
    report::ReportInput in;
    in.game = game.get();
    in.scenario = report::ScenarioFromGame(*game, "invest.json");
    in.scenario.parameters = {{"boom_probability", "2/3", "0", "1", "", "", true, "chance of a boom"}};
    in.solution = &solution;
    // Outcomes (0,0), (10,0), (0,4), (8,2), lotteries allowed, d = (0,0): the frontier runs
    // (0,4)-(8,2)-(10,0). Nash: u1 (4 - u1/4) grows up to u1 = 8, so (8, 2). Egalitarian:
    // u = 4 - u/4, u = 16/5. Kalai-Smorodinsky: ideal (10, 4), 0.4 u1 = 4 - u1/4, u1 = 80/13.
    bargaining::OutcomeSet set{{{0, 0}, {10, 0}, {0, 4}, {8, 2}}, true};
    in.bargaining.push_back(report::BargainingStepFromResult(bargaining::Solve(set, {0, 0}),
                                                             {"Firm", "Regulator"}, "Sharing the gains", &set));
    report::SweepResult sweep;
    sweep.parameter = "boom_probability";
    sweep.players = {"Firm", "Regulator"};
    for (int i = 0; i <= 10; ++i) {
      double p = i / 10.0;  // Firm invests when 4p - 2(1-p) >= 1, i.e. p >= 1/2
      bool invest = p >= 0.5;
      sweep.points.push_back({p, {invest ? 6 * p - 2 : 1, invest ? 2 * p : 1}, invest ? "Firm Invest" : "Firm Wait"});
    }
    sweep.thresholds = {{0.5, "switch at"}};
    sweep.threshold_text = {"At boom_probability = 0.5 the firm starts investing."};
    in.sweep = sweep;
    std::string page = dir + "/report.html";
    report::WriteReport(report::BuildReport(in), page);

    std::string dom = RenderChecked(chromium, page, dir, 3);

    // The tree, the bargaining chart and the sweep chart: present and not empty.
    std::vector<std::string> svgs = SvgElements(dom);
    REQUIRE(svgs.size() == 3);
    CHECK(svgs[0].find("class=\"parley-tree\"") != std::string::npos);
    CHECK(VisibleTreeNodes(svgs[0]) == game->num_nodes());
    CHECK(svgs[0].find("Accommodate") == std::string::npos);
    // The page's script, laying the top-down tree out again on load, puts every node where
    // Parley wrote it (positions are written to 0.1 px).
    auto written = TreePositions(ReadFile(page)), scripted = TreePositions(dom);
    REQUIRE(written.size() == game->num_nodes());
    REQUIRE(scripted.size() == written.size());
    for (const auto& [node, xy] : written) {
      CHECK(std::abs(scripted[node].first - xy.first) <= 0.15);
      CHECK(std::abs(scripted[node].second - xy.second) <= 0.15);
    }
    CHECK(svgs[0].find("Let fail") != std::string::npos);
    CHECK(svgs[1].find("class=\"frontier\"") != std::string::npos);
    CHECK(svgs[2].find("class=\"series\"") != std::string::npos);
    CHECK(svgs[2].find("class=\"threshold\"") != std::string::npos);
    for (const std::string& svg : svgs) CHECK(svg.size() > 1000);

    // Key numbers in the page text.
    std::string text = PageText(dom);
    CHECK(text.find("Firm 2 and Regulator 4/3") != std::string::npos);
    CHECK(text.find("compares Bail out (-1) with Let fail (0) and chooses Let fail") != std::string::npos);
    CHECK(text.find("This is a tie") != std::string::npos);
    CHECK(text.find("Nash (8, 2)") != std::string::npos);
    CHECK(text.find("Egalitarian (3.2, 3.2)") != std::string::npos);
    // 80/13 and 32/13 to the last digit, so the page writes them as fractions.
    CHECK(text.find("Kalai-Smorodinsky (80/13, 32/13)") != std::string::npos);
    CHECK(text.find("boom_probability = 0.5") != std::string::npos);
    CHECK(text.find("assumption") != std::string::npos);

    // And a screenshot, for people to look at.
    Screenshot(chromium, page, dir + "/report.png", dir);
  }

  TEST_CASE("the OpenAI-Microsoft scenario's report renders in headless Chromium") {
    // Until the scenario exists, a textbook game from games/ stands in.
    std::string chromium = RequireChromium();
    std::string scenario = SourcePath("scenarios/openai_microsoft.yaml");
    if (!fs::exists(scenario)) scenario = SourcePath("games/entry_deterrence.yaml");
    std::string dir = BuildPath("test-tmp/browser-scenario");
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string page = dir + "/report.html";
    RunResult r = RunParley("report '" + scenario + "' -o '" + page + "'");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    // The equilibrium payoffs as `parley solve` computes them must be in the page.
    RunResult solved = RunParley("solve '" + scenario + "' --format json");
    REQUIRE(solved.exit_code == 0);
    auto payoffs = nlohmann::json::parse(solved.out)["equilibria"][0]["payoffs"];
    std::string html = ReadFile(page);
    int pictures = 1;  // the tree, and one chart per bargaining step
    for (std::size_t at = 0; (at = html.find("id=\"figure-bargaining-", at)) != std::string::npos; ++at) ++pictures;
    std::string dom = RenderChecked(chromium, page, dir, pictures);
    std::vector<std::string> svgs = SvgElements(dom);
    REQUIRE(!svgs.empty());
    CHECK(svgs[0].find("class=\"parley-tree\"") != std::string::npos);
    // The whole tree is drawn (a few dozen nodes), none collapsed.
    auto game = load::LoadInput(scenario).game;
    CHECK(VisibleTreeNodes(svgs[0]) == game->num_nodes());
    CHECK(html.find("too many to draw") == std::string::npos);
    std::string text = PageText(dom);
    for (const auto& p : payoffs) {
      std::string shown = report::FormatValue(p.get<double>());
      CHECK_MESSAGE(text.find(shown) != std::string::npos, "payoff " << shown << " is not in the page");
    }
    CHECK(text.find("How the solution is found") != std::string::npos);
    CHECK(text.find("assumption") != std::string::npos);
    Screenshot(chromium, page, dir + "/report.png", dir);
  }

  TEST_CASE("a reader opens and closes a collapsed subtree with a click, without scripts the drawing shows") {
    std::string chromium = RequireChromium();
    std::string dir = BuildPath("test-tmp/browser-click");
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto game = bench::RandomPerfectInformationTree({3'000, 2, 0.1, 5});
    auto solution = equilibrium::Solve(*game, {});
    report::ReportInput in;
    in.game = game.get();
    in.scenario = report::ScenarioFromGame(*game, "big.efg");
    in.solution = &solution;
    report::Document doc = report::BuildReport(in);
    report::TreeDrawOptions options;
    options.interactive = true;
    report::TreeDrawing drawing = report::DrawTreeSvg(*game, &solution.equilibria.front(), options);
    REQUIRE(drawing.expandable > 0);
    std::string page = dir + "/report.html";
    report::WriteReport(doc, page);
    std::string dom = RenderChecked(chromium, page, dir, 1);
    // Before: the default drawing; after a click on a box: that box's children added (it was
    // one node, now it is itself and its children); after a click on it again: as before.
    std::string counts = Attribute(dom, "data-probe-click");
    std::smatch m;
    REQUIRE_MESSAGE(std::regex_match(counts, m, std::regex("(\\d+),(\\d+),(\\d+)")), "clicks: " << counts);
    std::size_t before = std::stoul(m[1]), opened = std::stoul(m[2]), closed = std::stoul(m[3]);
    CHECK(before == drawing.nodes_drawn);
    CHECK(opened > before);
    CHECK(opened <= before + 4);  // at most 4 children in these trees
    CHECK(closed == before);
    // With scripts disabled (a copy of the page whose content security policy forbids every
    // script; Chromium's own switch for that also stops --dump-dom), the default drawing.
    std::string blocked = ReadFile(page);
    blocked.insert(blocked.find("<head>") + 6,
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\">");
    io::WriteFileAtomically(dir + "/no-script.html", blocked);
    BrowserRun plain = RunChromium(chromium, "--dump-dom 'file://" + dir + "/no-script.html'", dir);
    REQUIRE(plain.status == 0);
    std::vector<std::string> svgs = SvgElements(plain.out);
    REQUIRE(svgs.size() == 1);
    CHECK(VisibleTreeNodes(svgs[0]) == drawing.nodes_drawn);
    CHECK(PageText(plain.out).find("click a dashed box") != std::string::npos);
    // The script lays the tree out as Parley did (same algorithm, tree_layout.cc and its port
    // in html.cc): after opening and closing, every node is where the page without scripts
    // has it (positions are written to 0.1 px).
    auto written = TreePositions(plain.out), scripted = TreePositions(dom);
    REQUIRE(written.size() == drawing.nodes_drawn);
    REQUIRE(scripted.size() == written.size());
    std::size_t moved = 0;
    for (const auto& [node, xy] : written) {
      auto it = scripted.find(node);
      if (it == scripted.end() || std::abs(it->second.first - xy.first) > 0.15 ||
          std::abs(it->second.second - xy.second) > 0.15)
        ++moved;
    }
    CHECK(moved == 0);
    Screenshot(chromium, page, dir + "/report.png", dir);
  }
}

}  // namespace parley::testing
