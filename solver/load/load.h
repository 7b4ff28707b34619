// The one loader of Parley's inputs: a game file (.efg, .nfg, .json, read by solver/io) or a
// scenario file (.yaml, compiled and expanded by solver/scenario), told apart by
// io::FormatOf. Every command and the analysis read their input here; this layer sits above
// io and scenario so that neither has to know the other.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "solver/io/files.h"
#include "solver/model/game.h"
#include "solver/scenario/scenario.h"

namespace parley::load {

struct LoadOptions {
  std::size_t max_nodes = io::DefaultMaxNodes();  // past this, LimitError
  // Parameter overrides ("name=value"): scenario files only; given for a game file, an error.
  std::vector<std::string> overrides;
  // False: a scenario file is compiled but not expanded (`compiled` is set, `game` and
  // `scenario` are not; overrides are left to the caller), and a game file is not read at all
  // (only `format` is set): for the analysis, which expands the scenario itself many times.
  bool expand = true;
};

struct Input {
  io::InputFormat format = io::InputFormat::kEfg;
  model::GamePtr game;                                  // set when options.expand
  std::shared_ptr<const scenario::Scenario> scenario;   // scenario files, expanded
  std::shared_ptr<const scenario::CompiledScenario> compiled;  // scenario files, not expanded
  bool is_scenario() const { return format == io::InputFormat::kScenario; }
};

// Reads the input at `path`. Throws parley::Error subclasses with file:line:col: an unknown
// extension (naming the formats Parley reads), --set for a game file, and every error of the
// readers, the scenario compiler and the expansion.
Input LoadInput(const std::string& path, const LoadOptions& options = {});

// Where node `node` of the game read from `path` is, for a message about it: the line and
// column of its record in an .efg file (nodes are numbered in the file's order); the file
// alone for the other formats, whose nodes are not lines of the file (a scenario's come from
// its stages). Never throws: a file that cannot be read again gives the file alone.
SourceLocation LocateNode(const std::string& path, model::NodeId node);

}  // namespace parley::load
