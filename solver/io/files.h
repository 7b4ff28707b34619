// Reading whole files, writing files atomically, and loading a game from any format Parley
// reads, chosen by the file's extension.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "solver/model/game.h"

namespace parley::io {

// The whole file; throws parley::Error naming the file when it cannot be read.
std::string ReadWholeFile(const std::string& path);

// Writes `content` to a temporary file beside `path`, then renames it over `path`: readers
// see the old file or the new one, never a half-written one. Throws parley::Error.
void WriteFileAtomically(const std::string& path, const std::string& content);

struct LoadOptions {
  std::size_t max_nodes = 50'000'000;  // past this, LimitError
  // Parameter overrides for scenario files ("name=value"), ignored by plain game formats
  // (but an override given for a format without parameters is an error).
  std::vector<std::string> overrides;
};

// The game formats by extension: ".efg" (Gambit), ".json" (Parley's own game JSON),
// ".yaml"/".yml" (scenario files). Throws parley::Error subclasses with file:line:col.
model::GamePtr LoadGame(const std::string& path, const LoadOptions& options = {});

// The lowercase extension of a path including the dot ("" if none).
std::string Extension(const std::string& path);

}  // namespace parley::io
