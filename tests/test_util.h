// Helpers shared by the tests: paths of fixtures and running the real binary.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace parley::testing {

// Matching pennies as a Gambit .efg: Ann wins 1 on a match, Bo on a mismatch; Bo moves at one
// set ("Bo") holding both nodes. Value 0, both players 1/2-1/2.
inline constexpr const char* kMatchingPenniesEfg = R"(EFG 2 R "Matching pennies" { "Ann" "Bo" }
p "" 1 1 "Ann" { "H" "T" } 0
p "" 2 1 "Bo" { "H" "T" } 0
t "" 1 "" { 1 -1 }
t "" 2 "" { -1 1 }
p "" 2 1 0
t "" 2
t "" 1
)";

// The repository root, the shared reference folder (gambit-games/ inside), the build folder.
std::string SourcePath(const std::string& relative);
std::string SharedPath(const std::string& relative);
std::string BuildPath(const std::string& relative);
bool SharedAvailable();
// For the conformance tests that read the Gambit reference games, as their first line:
//   if (!testing::SharedOrSkip()) return;
// True when the games are there. When they are not, the test is skipped: one line says how to
// run it, then the process ends with the code in PARLEY_SKIP_RETURN_CODE (ctest sets it, one
// process per test case, and reports the test as skipped); without that variable (a direct run
// of the runner) the result is false and the test case returns. Under CI=true a missing corpus
// fails the test instead: CI has the games and must run them.
bool SharedOrSkip();

struct RunResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};
// Runs the parley binary with `args` (a shell-quoted argument string) and captures both streams.
RunResult RunParley(const std::string& args, const std::string& stdin_text = "");

std::string ReadFile(const std::string& path);

// Waits until the process `pid` has used `cpu_seconds` of processor time (user + system, from
// /proc), or has ended, or `wall_limit_seconds` have passed; true in the first case. A test that
// signals a running job waits this way rather than for a fixed time, so that a loaded machine
// (which slows the job's start, not the work a second of its processor time does) cannot make
// it signal a job that has done nothing yet.
bool WaitForProcessCpu(int pid, double cpu_seconds, double wall_limit_seconds = 120);
// Writes text to a fresh file under the build folder and returns its path.
std::string WriteTempFile(const std::string& name, const std::string& text);

// Sets an environment variable for one scope (the runner may go on to other test cases).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace parley::testing
