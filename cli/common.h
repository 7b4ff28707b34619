// Helpers shared by the subcommands: output formats, loading games with the common options.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "solver/io/files.h"
#include "solver/load/load.h"

namespace parley::cli {

// Options every command that loads a game shares.
struct GameInput {
  std::string path;
  std::size_t max_nodes = io::DefaultMaxNodes();  // from this machine's memory
  std::vector<std::string> overrides;  // --set name=value
};

// Checks for numeric options, with messages that say what a value must be ("must be a number
// greater than 0, not '0'"), where CLI11's own spell out the largest double.
extern const CLI::Validator kPositive;     // > 0
extern const CLI::Validator kNonNegative;  // >= 0
extern const CLI::Validator kOutputFile;      // a non-empty file name ("-": standard output)
extern const CLI::Validator kOutputFileOnly;  // a non-empty file name
// --vary's form, NAME=LO:HI:N (`n_optional`: NAME=LO:HI[:N]), checked while the options are
// read, so that a malformed one is a usage error (exit code 2); the name and the range are
// the model's to check.
CLI::Validator VaryForm(bool n_optional);

// Declares GAME (positional), --max-nodes and --set on `app`.
void AddGameInput(CLI::App& app, GameInput& input);
// Declares --format with the allowed values (first is the default).
void AddFormat(CLI::App& app, std::string& format, const std::vector<std::string>& allowed);

// The loader's options for this input (--max-nodes, --set).
load::LoadOptions ToLoadOptions(const GameInput& input);

// Writes text to standard output ("" or "-"), or else to `path` through
// io::WriteFileAtomically: never over one of the command's inputs or a read-only file, and a
// temporary file that an error or Ctrl-C interrupts is removed.
void Emit(const std::string& text, const std::string& path = "");
// The same for output produced piece by piece (large JSON): `write` hands each piece to the
// sink it is given, which goes to standard output or to a temporary file renamed over `path`
// once everything is written (nothing is left behind if `write` throws).
void EmitPieces(const std::string& path,
                const std::function<void(const std::function<void(std::string_view)>&)>& write);
// The same for text written to a stream (large text output): `write` writes to standard
// output, or to a stream over the atomic file.
void EmitStream(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace parley::cli
