// How an uncertain parameter varies: a probability distribution over its value, as a
// scenario file declares it (`distribution:`) and as Monte Carlo analysis samples it
// (solver/analysis). One type for both, below both.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "solver/model/error.h"

namespace parley::formula {

// The kinds and the fields each uses:
//   fixed       none: the parameter keeps its value
//   uniform     low, high                    (low < high)
//   triangular  low, mode, high              (low <= mode <= high, low < high)
//   normal      mean, sd                     (sd > 0; truncated to the parameter's min/max)
//   beta        alpha, beta, low=0, high=1   (alpha, beta > 0; scaled to [low, high])
//   discrete    values, weights (default equal; non-negative, positive sum)
struct Distribution {
  enum class Kind { kFixed, kUniform, kTriangular, kNormal, kBeta, kDiscrete };
  Kind kind = Kind::kFixed;
  double low = 0, high = 1, mode = 0;
  double mean = 0, sd = 1;
  double alpha = 1, beta = 1;
  std::vector<double> values, weights;
  std::optional<double> min, max;  // the parameter's range (the normal is truncated to it)
  SourceLocation where;            // of the declaration in the file, when there is one
};

// "fixed", "uniform", "triangular", ...
inline std::string KindName(Distribution::Kind kind) {
  switch (kind) {
    case Distribution::Kind::kFixed: return "fixed";
    case Distribution::Kind::kUniform: return "uniform";
    case Distribution::Kind::kTriangular: return "triangular";
    case Distribution::Kind::kNormal: return "normal";
    case Distribution::Kind::kBeta: return "beta";
    case Distribution::Kind::kDiscrete: return "discrete";
  }
  return "?";
}

}  // namespace parley::formula
