#include "tests/test_util.h"

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace parley::testing {

std::string SourcePath(const std::string& relative) {
  return std::string(PARLEY_SOURCE_DIR) + "/" + relative;
}
std::string SharedPath(const std::string& relative) {
  return std::string(PARLEY_SHARED_DIR) + "/" + relative;
}
std::string BuildPath(const std::string& relative) {
  return std::string(PARLEY_BUILD_DIR) + "/" + relative;
}
bool SharedAvailable() {
  return std::filesystem::exists(SharedPath("gambit-games/reference.json"));
}

bool SharedOrSkip() {
  if (SharedAvailable()) return true;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::strcmp(ci, "true") == 0) {
    FAIL("the Gambit reference games are not in " << SharedPath("gambit-games")
         << " and CI must run the conformance tests: configure with -DPARLEY_SHARED_DIR=...");
  }
  std::cout << "skipped: the Gambit reference games are not in " << SharedPath("gambit-games")
            << "; to run this conformance test, configure with -DPARLEY_SHARED_DIR=<folder "
               "holding gambit-games/>" << std::endl;
  const char* code = std::getenv("PARLEY_SKIP_RETURN_CODE");
  if (code != nullptr && *code != '\0') std::exit(std::atoi(code));
  return false;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  std::filesystem::create_directories(BuildPath("test-tmp"));
  std::string path = BuildPath("test-tmp/" + name);
  // ctest runs test cases in parallel processes, and several write the same fixture: write a
  // private copy and rename it into place, so that no reader ever sees a half-written file.
  std::string fresh = path + "." + std::to_string(::getpid()) + ".tmp";
  {
    std::ofstream out(fresh, std::ios::binary);
    out << text;
  }
  std::filesystem::rename(fresh, path);
  return path;
}

RunResult RunParley(const std::string& args, const std::string& stdin_text) {
  static int counter = 0;
  std::filesystem::create_directories(BuildPath("test-tmp"));
  std::string base = BuildPath("test-tmp/run" + std::to_string(::getpid()) + "_" +
                               std::to_string(counter++));
  std::string in_path = base + ".in", out_path = base + ".out", err_path = base + ".err";
  std::ofstream(in_path) << stdin_text;
  std::string command = std::string("'") + PARLEY_BINARY + "' " + args + " <'" + in_path +
                        "' >'" + out_path + "' 2>'" + err_path + "'";
  int status = std::system(command.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  std::filesystem::remove(in_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return r;
}

}  // namespace parley::testing
