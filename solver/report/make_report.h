// `parley report` from start to end, for every caller (the command line, the Python module):
// load the game or scenario, solve it, take the bargaining steps along the equilibrium, run
// what was asked for (a sweep, the agent QRE, a tornado, Monte Carlo), build the document and
// write it. The section builders (report.h) stay free of solving; this is the one place that
// decides which results a report is built from.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "solver/io/files.h"
#include "solver/report/tree_svg.h"

namespace parley::report {

struct ReportRequest {
  std::string path;                    // the game or scenario file
  std::vector<std::string> overrides;  // --set NAME=VALUE
  std::size_t max_nodes = io::DefaultMaxNodes();
  std::string output;                  // OUT.html or OUT.md
  bool all = false;                    // every pure / extreme subgame-perfect equilibrium
  bool exact = false;
  std::size_t max = 1000;              // with `all`: at most this many
  std::size_t show = 3;                // equilibria shown in full
  std::size_t tree_nodes = TreeDrawOptions{}.max_nodes;
  std::string vary;                    // NAME=LO:HI:N: a sweep section ("" for none)
  std::optional<double> qre_lambda;    // a QRE section at this lambda
  bool tornado = false;                // a tornado section (scenario files only)
  std::vector<std::string> tornado_values;  // its value columns (default: the parties' payoffs)
  std::size_t montecarlo = 0;          // samples of a Monte Carlo section (0: none)
  std::uint64_t seed = 1;
  std::string generator = "parley";    // "parley 0.1.0", in the subtitle
  const std::atomic<bool>* cancel = nullptr;  // stops the tornado and Monte Carlo runs early
};

// Writes the report. `note` receives remarks for the person who asked (the game has no
// equilibrium Parley can compute, so the report has none); may be empty. Throws
// parley::Error for bad input (a file, a --vary, an option given for a game file that needs
// a scenario) and whatever loading and solving throw.
void MakeReport(const ReportRequest& request, const std::function<void(const std::string&)>& note = {});

}  // namespace parley::report
