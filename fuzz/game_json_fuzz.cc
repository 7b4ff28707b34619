// Fuzzes the reader of Parley's game JSON: any input gives a game or a parley::Error, never a
// crash, an internal error (PARLEY_CHECK) or a sanitizer report. Its refusals locate the value
// they name by walking the text (LocateJsonPath), which this reaches too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "solver/io/game_json.h"
#include "solver/model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parley::io::ReadOptions options;
  options.max_nodes = 100'000;  // bounded work per input
  try {
    parley::io::ReadGameJson(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json", options);
  } catch (const parley::Error&) {
  }
  return 0;
}
