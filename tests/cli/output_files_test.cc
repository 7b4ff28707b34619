// Output files through the real binary: -o onto an input refused, a read-only target refused,
// permissions kept, invalid UTF-8 refused with a location, and a killed long job leaves no
// temporary file behind.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/test_util.h"

namespace parley::testing {
namespace {

namespace fs = std::filesystem;

std::string Folder(const std::string& name) {
  std::string dir = BuildPath("test-tmp/out-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void Put(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::size_t Entries(const std::string& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST_SUITE("cli output files") {
  TEST_CASE("-o onto the input is refused, by inode, and the input is kept") {
    std::string dir = Folder("input");
    std::string game = dir + "/game.efg";
    Put(game, kMatchingPenniesEfg);
    fs::create_hard_link(game, dir + "/same.efg");
    for (std::string args : {"convert '" + game + "' '" + game + "'",
                             "convert '" + game + "' '" + dir + "/same.efg'",
                             "solve '" + game + "' -o '" + dir + "/./game.efg'"}) {
      CAPTURE(args);
      auto r = RunParley(args);
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("is also an input of this command; writing the output there would "
                       "replace it: choose another output file") != std::string::npos);
    }
    CHECK(ReadFile(game) == kMatchingPenniesEfg);
    CHECK(Entries(dir) == 2);
  }

  TEST_CASE("an empty output name is refused, not read as standard output") {
    std::string dir = Folder("empty");
    std::string game = dir + "/game.efg";
    Put(game, kMatchingPenniesEfg);
    for (std::string command : {"solve", "qre", "draw", "report"}) {
      CAPTURE(command);
      auto r = RunParley(command + " '" + game + "' -o ''");
      CHECK(r.exit_code == 2);  // a usage error, as every option's
      CHECK(r.out.empty());
      const bool standard_output = command == "solve" || command == "qre";
      CHECK(r.err.find(standard_output ? "--output: is an empty file name; give a file, or - for standard output"
                                       : "--output: is an empty file name; give a file (") != std::string::npos);
    }
    CHECK(Entries(dir) == 1);
  }

  TEST_CASE("a read-only target is refused, a 0600 target stays 0600") {
    std::string dir = Folder("modes");
    std::string game = dir + "/g.efg", locked = dir + "/locked.txt", secret = dir + "/secret.txt";
    Put(game, kMatchingPenniesEfg);
    Put(locked, "keep");
    Put(secret, "old");
    REQUIRE(::chmod(locked.c_str(), 0444) == 0);
    REQUIRE(::chmod(secret.c_str(), 0600) == 0);
    auto r = RunParley("solve '" + game + "' -o '" + locked + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err == "error: " + locked + ": is read-only (mode 0444); Parley does not replace a "
                   "read-only file: make it writable (chmod u+w) or choose another output file\n");
    CHECK(ReadFile(locked) == "keep");
    auto ok = RunParley("solve '" + game + "' -o '" + secret + "'");
    CHECK(ok.exit_code == 0);
    CHECK(ReadFile(secret).find("Payoffs") != std::string::npos);
    struct stat st {};
    REQUIRE(::stat(secret.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(Entries(dir) == 3);
  }

  TEST_CASE("invalid UTF-8 in a label: exit 1 with file:line:col, not an internal error") {
    std::string dir = Folder("utf8");
    std::string game = dir + "/latin1.efg";
    Put(game, "EFG 2 R \"g\" { \"Jos\xe9\" }\nt \"\" 1 \"\" { 1 }\n");
    for (std::string args : {"solve '" + game + "' --format json",
                             "convert '" + game + "' '" + dir + "/out.json'"}) {
      auto r = RunParley(args);
      CHECK(r.exit_code == 1);
      CHECK(r.err == "error: " + game + ":1:19: label is not valid UTF-8 (byte 0xe9); save the file as UTF-8\n");
    }
  }

  TEST_CASE("a long job killed by SIGINT or SIGTERM leaves no temporary file") {
    std::string dir = Folder("kill");
    std::string scenario = dir + "/holdup.yaml";
    Put(scenario, R"(title: Hold-up
players: [Investor, Partner]
parameters:
  power: {value: 0.5, min: 0, max: 1, distribution: {type: normal, mean: 0.5, sd: 0.2}}
stages:
  - name: invest
    player: Investor
    actions: [high, low]
payoffs:
  Investor: if(invest == high, 10 * power - 3, 4 * power - 1)
  Partner: if(invest == high, 10 * (1 - power), 4 * (1 - power))
)");
    std::string out = dir + "/result.json";
    Put(out, "previous result");
    // SIGTERM ends the run; two SIGINTs end it at once (the first asks for a clean stop, which
    // writes what was done; the second ends the program). Either way no temporary remains.
    for (int signals : {1, 2}) {
      std::string command = std::string("exec '") + PARLEY_BINARY + "' montecarlo '" + scenario +
                            "' --samples 20000000 --threads 1 --format json -o '" + out +
                            "' 2>/dev/null";
      pid_t child = ::fork();
      REQUIRE(child >= 0);
      if (child == 0) {
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      if (signals == 1) {
        ::kill(child, SIGTERM);
      } else {
        ::kill(child, SIGINT);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        ::kill(child, SIGINT);
      }
      int status = 0;
      REQUIRE(::waitpid(child, &status, 0) == child);
      if (signals == 1) CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM));
      CHECK(Entries(dir) == 2);  // the scenario and the result: no temporary
      std::string text = ReadFile(out);
      CHECK((text == "previous result" || text.find("\"samples\"") != std::string::npos));
    }
  }
}

}  // namespace
}  // namespace parley::testing
