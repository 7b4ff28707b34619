// A small YAML file describing one bargaining problem, for `parley bargain FILE.yaml`: the
// same problems as the command line's options, for students who keep their exercises in
// files. Keys (one problem kind per file):
//
//   outcomes: [[4, 1], [1, 3]]        # or  issues: {x: [0, 1]}  with  utilities: [sqrt(x), 1 - x]
//                                     # or  surplus: 10  (with players: 3)
//                                     # or  threats: {row: [[5, 1], [2, 4]], column: [[1, 2], [3, 1]],
//                                     #               transferable: false}
//                                     # or  alternating: {discount: [0.9, 0.8], first: 1,
//                                     #                   rounds: 10, breakdown: 0, outside: [0, 0]}
//   disagreement: [0, 0]              # optional
//   weights: [2, 1]                   # optional bargaining powers
//   pure: false                       # optional: forbid lotteries over the outcomes
//   title: "..."                      # optional
//
// The file is turned into the command line's option strings ("4,1;1,3", "x=0:1", ...), so the
// two forms share one implementation.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace parley::bargaining {

struct ProblemFile {
  std::string title;
  std::string outcomes, disagreement, weights, surplus, threats_row, threats_col;
  std::string discount, outside;
  std::vector<std::string> issues, utilities;
  std::optional<int> players, first, rounds;
  std::optional<double> breakdown;
  bool pure = false, transferable = false, alternating = false;
};

// Throws ParseError with file:line:col: unknown keys (with a suggestion), wrong shapes, rows of
// different lengths, numbers that are not numbers, a disagreement point (or weights, except
// over issues) of the wrong length, bad intervals and utility formulas, rounds below 1.
ProblemFile ReadProblemFile(const std::string& path);

}  // namespace parley::bargaining
