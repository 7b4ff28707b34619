// `parley merge`: the shards of a sweep or a Monte Carlo run (each computed with --shard K/N
// and written with --format json) read back and combined into the whole run's result.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "solver/analysis/analysis.h"

namespace parley::analysis {

// Exactly one of the two is set, after the kind of the first file.
struct MergedResult {
  std::optional<SweepResult> sweep;
  std::optional<MonteCarloResult> montecarlo;
};

// Reads `files` (at least one) and merges them (MergeSweeps, MergeMonteCarlo). Throws
// parley::Error naming the file for one that is not such a JSON document, or not of the
// first one's kind; for shards of different runs, or one slice given twice, naming both files.
MergedResult MergeResultFiles(const std::vector<std::string>& files);

}  // namespace parley::analysis
