// Helpers shared by the tests: paths of fixtures and running the real binary.
#pragma once

#include <string>

namespace parley::testing {

// The repository root, the shared reference folder (gambit-games/ inside), the build folder.
std::string SourcePath(const std::string& relative);
std::string SharedPath(const std::string& relative);
std::string BuildPath(const std::string& relative);
bool SharedAvailable();

struct RunResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};
// Runs the parley binary with `args` (a shell-quoted argument string) and captures both streams.
RunResult RunParley(const std::string& args, const std::string& stdin_text = "");

std::string ReadFile(const std::string& path);
// Writes text to a fresh file under the build folder and returns its path.
std::string WriteTempFile(const std::string& name, const std::string& text);

}  // namespace parley::testing
