// `parley serve` as a command: it prints the address, warns when it listens beyond this
// machine, stops cleanly on Ctrl-C (SIGINT), and refuses a file it cannot open before it
// starts, with the usual one-line error.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>

#include "tests/test_util.h"

namespace parley::testing {
namespace {

// Runs `parley serve ARGS` in the background, sends it SIGINT once it has printed its address
// (at most 10 s), and returns its exit code and output.
RunResult ServeThenInterrupt(const std::string& args) {
  std::string out = BuildPath("test-tmp/explorer-serve.out"), err = BuildPath("test-tmp/explorer-serve.err");
  // The output file is emptied before the server starts: the redirection below happens in the
  // background job, and the wait loop could otherwise find the last call's address in it and
  // interrupt the server before it had set up its handler (exit 130, seen once in CI).
  std::string command = std::string("( : >'") + out + "'; '" + PARLEY_BINARY + "' serve " + args + " >'" + out + "' 2>'" + err +
                        "' & pid=$!; for i in $(seq 200); do grep -q open '" + out +
                        "' && break; sleep 0.05; done; kill -INT $pid; wait $pid )";
  int status = std::system(command.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

}  // namespace

TEST_SUITE("explorer cli") {
  TEST_CASE("parley serve prints the address and warns about --host and stops on Ctrl-C") {
    std::string file = SourcePath("games/holdup_nash.yaml");
    RunResult r = ServeThenInterrupt("'" + file + "' --port 0 --host 0.0.0.0");
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.rfind("Parley explorer: open http://0.0.0.0:", 0) == 0);
    CHECK(r.err.find("warning: listening on 0.0.0.0: other machines can reach the explorer") != std::string::npos);
    r = ServeThenInterrupt("'" + file + "' --port 0");
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("Parley explorer: open http://127.0.0.1:", 0) == 0);
    CHECK(r.err.empty());
  }

  TEST_CASE("parley serve refuses a file it cannot open before it starts") {
    RunResult r = RunParley("serve no-such-file.yaml --port 0");
    CHECK(r.exit_code == 1);
    CHECK(r.err.rfind("error: no-such-file.yaml: cannot open the file", 0) == 0);
    CHECK(r.out.empty());
    r = RunParley("serve '" + WriteTempFile("explorer-broken.yaml", "players: [A]\nfoo: 1\n") + "' --port 0");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(":2:1: unknown key 'foo'") != std::string::npos);
    r = RunParley("serve '" + SourcePath("games/holdup_nash.yaml") + "' --port 70000");
    CHECK(r.exit_code == 2);
  }
}

}  // namespace parley::testing
