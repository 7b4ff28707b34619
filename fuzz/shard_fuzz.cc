// Fuzzes what `parley merge` does with a shard file: parse the JSON, read it back as a sweep or
// Monte Carlo result through the public readers, and merge it (alone and with itself).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "solver/analysis/analysis.h"
#include "solver/analysis/results_json.h"
#include "solver/model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return 0;
  namespace an = parley::analysis;
  try {
    if (doc.contains("kind") && doc["kind"] == "montecarlo") {
      an::MonteCarloResult r = an::MonteCarloFromJson(doc);
      (void)an::MergeMonteCarlo({r});
      (void)an::MergeMonteCarlo({r, r});
    } else {
      an::SweepResult r = an::SweepFromJson(doc);
      (void)an::MergeSweeps({r});
      (void)an::MergeSweeps({r, r});
    }
  } catch (const parley::Error&) {
  }
  return 0;
}
