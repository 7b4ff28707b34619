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

// nlohmann's message without its tag and position ("[json.exception.parse_error.101] parse
// error at line 1, column 1: syntax error ..."): the location is given ahead of it.
std::string JsonProblem(const std::string& what) {
  std::size_t at = what.find("] ");
  std::string rest = at == std::string::npos ? what : what.substr(at + 2);
  const std::size_t column = rest.find("column ");
  if (column != std::string::npos) {
    const std::size_t colon = rest.find(": ", column);
    if (colon != std::string::npos) rest = rest.substr(colon + 2);
  }
  return rest;
}

}  // namespace

MergedResult MergeResultFiles(const std::vector<std::string>& files) {
  if (files.empty()) throw Error("merge: give the shard files to combine");
  std::vector<nlohmann::json> docs;
  for (const auto& f : files) {
    const std::string text = io::ReadWholeFile(f);
    try {
      docs.push_back(nlohmann::json::parse(text));
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(io::LocationOfByte(text, f, e.byte > 0 ? e.byte - 1 : 0),
                  "not JSON (a shard is a whole file written by --format json): " + JsonProblem(e.what()));
    } catch (const nlohmann::json::exception& e) {
      // A number beyond a double's range, say.
      throw Error(SourceLocation{f}, "not JSON that Parley wrote: " + JsonProblem(e.what()));
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
