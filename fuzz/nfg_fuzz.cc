// Fuzzes the Gambit .nfg reader and the conversion of a strategic form to a tree.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "solver/io/nfg.h"
#include "solver/model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  parley::io::NfgReadOptions options;
  options.max_cells = 10'000;  // bounded work per input
  try {
    auto game = parley::io::ReadNfg(std::string_view(reinterpret_cast<const char*>(data), size),
                                    "fuzz.nfg", options);
    (void)game.ToExtensive();
  } catch (const parley::Error&) {
  }
  return 0;
}
