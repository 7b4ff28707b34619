// Fuzzes the Gambit .efg reader: any input gives a game or a parley::Error, never a crash, an
// internal error (PARLEY_CHECK) or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "solver/io/efg.h"
#include "solver/model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parley::io::ReadOptions options;
  options.max_nodes = 100'000;  // bounded work per input
  try {
    parley::io::ReadEfg(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.efg",
                        options);
  } catch (const parley::Error&) {
  }
  return 0;
}
