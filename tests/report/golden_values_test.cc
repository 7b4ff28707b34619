// The golden report files are Parley's own output, kept as change guards; here the numbers
// they contain are checked against answers worked by hand, so a golden file rewritten with a
// wrong value fails.
#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace parley::testing {
namespace {

// The rows of every Markdown table in `text`, each as its trimmed cells.
std::vector<std::vector<std::string>> TableRows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() < 2 || line[0] != '|') continue;
    std::vector<std::string> cells;
    std::size_t start = 1;
    for (std::size_t bar; (bar = line.find('|', start)) != std::string::npos; start = bar + 1) {
      std::string cell = line.substr(start, bar - start);
      cell.erase(0, cell.find_first_not_of(' '));
      cell.erase(cell.find_last_not_of(' ') + 1);
      cells.push_back(cell);
    }
    rows.push_back(cells);
  }
  return rows;
}

// Row with first cell `key` (and `second` when given), or an empty row.
std::vector<std::string> Row(const std::vector<std::vector<std::string>>& rows, const std::string& key,
                             const std::string& second = "") {
  for (const auto& r : rows)
    if (!r.empty() && r[0] == key && (second.empty() || (r.size() > 1 && r[1] == second))) return r;
  return {};
}

TEST_SUITE("report.golden_values") {
  TEST_CASE("entry deterrence: the golden report's numbers, by hand") {
    // Incumbent after In: Fight -1 < Accommodate 1; Entrant: Out 0 < In 1. Payoffs (1, 1).
    // The tree: root, the incumbent's node, 3 leaves.
    auto rows = TableRows(ReadFile(SourcePath("tests/report/golden/entry.md")));
    CHECK(Row(rows, "Entrant").at(1) == "1");
    CHECK(Row(rows, "Incumbent").at(1) == "1");
    CHECK(Row(rows, "Game tree").at(1) == "5 nodes: 2 decision nodes, 3 leaves");
    CHECK(Row(rows, "Entrant", "The root").at(2) == "In");
    CHECK(Row(rows, "Incumbent", "After In").at(2) == "Accommodate");
  }

  TEST_CASE("investment with chance: the golden report's numbers, by hand") {
    // After Bust the regulator lets fail (0 > -1); after Boom it is indifferent (2 = 2) and
    // allows (first optimal). Invest is worth 2/3 * 4 + 1/3 * (-2) = 2 to the firm (> Wait 1)
    // and 2/3 * 2 + 1/3 * 0 = 4/3 to the regulator. 9 nodes: 3 decisions, 1 chance, 5 leaves.
    std::string md = ReadFile(SourcePath("tests/report/golden/invest.md"));
    auto rows = TableRows(md);
    CHECK(Row(rows, "Firm").at(1) == "2");
    CHECK(Row(rows, "Regulator").at(1) == "4/3");
    CHECK(Row(rows, "Game tree").at(1) == "9 nodes: 3 decision nodes, 1 chance node, 5 leaves");
    CHECK(Row(rows, "2/3") == std::vector<std::string>{"2/3", "Firm Invest, Chance Boom, Regulator Allow", "4", "2"});
    CHECK(Row(rows, "1/3") == std::vector<std::string>{"1/3", "Firm Invest, Chance Bust, Regulator Let fail", "-2", "0"});
    CHECK(Row(rows, "Regulator", "After Invest > Bust").at(2) == "Let fail");
    CHECK(md.find("Firm compares Invest (2) with Wait (1)") != std::string::npos);
    std::string explain = ReadFile(SourcePath("tests/report/golden/invest.explain.txt"));
    CHECK(explain.find("Firm 2 and Regulator 4/3") != std::string::npos);
  }
}

}  // namespace
}  // namespace parley::testing
