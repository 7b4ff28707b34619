// Fuzzes the reader of `parley bargain FILE` option files. The reader takes a path, so each
// input is written to a private file first.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "solver/bargaining/problem_file.h"
#include "solver/model/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/parley_fuzz_bargain_" + std::to_string(::getpid()) + ".yaml";
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  } else {
    return 0;
  }
  try {
    parley::bargaining::ReadProblemFile(path);
  } catch (const parley::Error&) {
  }
  return 0;
}
