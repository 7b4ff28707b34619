// `parley serve` as a command: it prints the address, warns when it listens beyond this
// machine, stops cleanly on Ctrl-C (SIGINT), and refuses a file it cannot open before it
// starts, with the usual one-line error.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdio>
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

  TEST_CASE("Ctrl-C stops parley serve within seconds while a client trickles its request") {
    // A client that sends its request a byte at a time (each within the 10 s read timeout)
    // held the server's exit for as long as it kept sending: 74 s in a test. Now the stop
    // waits 3 s for requests in progress, then ends without them (exit 0, a line saying so).
    std::string out = BuildPath("test-tmp/explorer-trickle.out"), err = BuildPath("test-tmp/explorer-trickle.err");
    const std::string file = SourcePath("games/holdup_nash.yaml");
    // The client: bash's /dev/tcp, one header byte every 2 s for 40 s, started once the
    // address is printed; SIGINT 1 s later; the time from SIGINT to the server's exit.
    // (/dev/tcp is bash's, so the script runs in bash, not the shell popen starts.)
    const std::string script = WriteTempFile(
        "explorer-trickle.sh",
        std::string(": >'") + out + "'\n'" + PARLEY_BINARY + "' serve '" + file + "' --port 0 >'" + out + "' 2>'" + err +
            "' &\npid=$!\nfor i in $(seq 200); do grep -q open '" + out +
            "' && break; sleep 0.05; done\nport=$(sed -n 's|.*127.0.0.1:\\([0-9]*\\)/.*|\\1|p' '" + out +
            "')\n( exec 3<>/dev/tcp/127.0.0.1/$port; for i in $(seq 20); do printf G >&3; sleep 2; done ) >/dev/null 2>&1 &\n"
            "client=$!\nsleep 1\nstart=$(date +%s%N)\nkill -INT $pid\nwait $pid\ncode=$?\nend=$(date +%s%N)\n"
            "kill $client 2>/dev/null\necho \"$code $(( (end - start) / 1000000 ))\"\n");
    const std::string command = "bash '" + script + "'";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char line[128] = {0};
    const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
    pclose(pipe);
    REQUIRE(read);
    int code = -1;
    long ms = -1;
    REQUIRE(std::sscanf(line, "%d %ld", &code, &ms) == 2);
    CHECK(code == 0);
    // The 3 s grace and the watchdog's 50 ms ticks; far below the client's 40 s.
    CHECK(ms >= 2500);
    CHECK(ms < 15000);
    CHECK(ReadFile(err).find("stopped after 3 s with a request still open") != std::string::npos);
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
