#include "tests/test_util.h"

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

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

bool WaitForProcessCpu(int pid, double cpu_seconds, double wall_limit_seconds) {
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration<double>(wall_limit_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;  // gone
    // Fields after the command name (in parentheses, which may hold spaces): state is the
    // 3rd field of the line, utime the 14th and stime the 15th.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int k = 3; k <= 15 && rest >> field; ++k) {
      if (k == 3 && field == "Z") return false;  // ended, not yet reaped
      if (k == 14) utime = std::stod(field);
      if (k == 15) stime = std::stod(field);
    }
    if ((utime + stime) / ticks >= cpu_seconds) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace parley::testing
