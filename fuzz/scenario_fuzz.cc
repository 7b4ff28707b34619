// Fuzzes the scenario reader: YAML parsing, formula compilation and the expansion of the game.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "solver/model/error.h"
#include "solver/scenario/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parley::scenario::ScenarioOptions options;
  options.max_nodes = 20'000;  // bounded work per input
  try {
    parley::scenario::ReadScenario(std::string_view(reinterpret_cast<const char*>(data), size),
                                   "fuzz.yaml", options);
  } catch (const parley::Error&) {
  }
  return 0;
}
