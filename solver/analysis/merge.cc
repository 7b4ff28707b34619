// Merging the shards of an analysis run (merge.h).
#include "solver/analysis/merge.h"

#include <nlohmann/json.hpp>

#include "solver/analysis/results_json.h"
#include "solver/io/files.h"
#include "solver/model/error.h"

namespace parley::analysis {
namespace {

// Reads every shard with `read` (SweepFromJson or MonteCarloFromJson), naming the file in
// what it throws.
template <typename Result, typename Read>
std::vector<Result> ReadShards(const std::vector<nlohmann::json>& docs,
                               const std::vector<std::string>& files, Read read) {
  std::vector<Result> shards;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    try {
      shards.push_back(read(docs[i]));
    } catch (const Error& e) {
      throw Error(SourceLocation{files[i]}, e.message());
    }
  }
  return shards;
}

}  // namespace

MergedResult MergeResultFiles(const std::vector<std::string>& files) {
  if (files.empty()) throw Error("merge: give the shard files to combine");
  std::vector<nlohmann::json> docs;
  for (const auto& f : files) {
    try {
      docs.push_back(nlohmann::json::parse(io::ReadWholeFile(f)));
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(SourceLocation{f}, std::string("not JSON: ") + e.what());
    }
  }
  std::string kind = docs[0].is_object() && docs[0].contains("kind") && docs[0]["kind"].is_string()
                         ? docs[0]["kind"].get<std::string>()
                         : "";
  MergedResult out;
  if (kind == "montecarlo")
    out.montecarlo = MergeMonteCarlo(ReadShards<MonteCarloResult>(docs, files, MonteCarloFromJson), files);
  else if (kind == "sweep")
    out.sweep = MergeSweeps(ReadShards<SweepResult>(docs, files, SweepFromJson), files);
  else
    throw Error(SourceLocation{files[0]}, "not a sweep or Monte Carlo result of parley --format json");
  return out;
}

}  // namespace parley::analysis
