// The `parley` binary end to end: exit codes (0 success, 1 bad input, 2 usage), messages,
// output formats, and atomic output files.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tests/test_util.h"

namespace parley::testing {
namespace {

const std::string kEntry = "'" + SourcePath("tests/data/entry_deterrence.efg") + "'";

TEST_SUITE("cli") {
  TEST_CASE("output that cannot be written to standard output is an error, not exit 0") {
    // /dev/full fails every write with ENOSPC, as a full disk does.
    if (!std::filesystem::exists("/dev/full")) return;
    const std::string err = BuildPath("test-tmp/devfull.err");
    std::filesystem::create_directories(BuildPath("test-tmp"));
    const std::string command =
        std::string("'") + PARLEY_BINARY + "' solve " + kEntry + " --format json >/dev/full 2>'" + err + "'";
    const int status = std::system(command.c_str());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    CHECK(ReadFile(err).rfind("error: could not write the output to standard output", 0) == 0);
    std::filesystem::remove(err);
  }

  TEST_CASE("a file-size limit is an error that leaves no temporary file and the old output") {
    const std::string dir = BuildPath("test-tmp/xfsz");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    {
      std::ofstream(dir + "/out.json") << "{}";
    }
    // ulimit -f 1: 1,024 bytes; the JSON of the game is longer.
    const std::string command = "cd '" + dir + "' && (ulimit -f 1; '" + std::string(PARLEY_BINARY) + "' convert " +
                                kEntry + " out.json) 2>err.txt";
    const int status = std::system(command.c_str());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    CHECK(ReadFile(dir + "/err.txt").find("cannot write the file: File too large") != std::string::npos);
    CHECK(ReadFile(dir + "/out.json") == "{}");
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) files += entry.is_regular_file();
    CHECK(files == 2);  // out.json and err.txt
  }

  TEST_CASE("version, help and usage errors") {
    auto v = RunParley("--version");
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("parley ") == 0);
    CHECK(RunParley("").exit_code == 2);
    CHECK(RunParley("frobnicate").exit_code == 2);
    CHECK(RunParley("solve").exit_code == 2);  // GAME is required
    CHECK(RunParley("solve " + kEntry + " --format xml").exit_code == 2);
    for (const char* sub : {"solve", "validate", "convert"}) {
      auto h = RunParley(std::string(sub) + " --help");
      CHECK(h.exit_code == 0);
      CHECK(h.out.find("Usage") != std::string::npos);
    }
  }

  TEST_CASE("usage errors are one line starting with error:, naming what is unknown") {
    auto unknown = RunParley("frobnicate " + kEntry);
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.rfind("error: unknown command 'frobnicate'; the commands are: solve, ", 0) == 0);
    auto option = RunParley("solve " + kEntry + " --frob");
    CHECK(option.exit_code == 2);
    CHECK(option.err.rfind("error: ", 0) == 0);
    CHECK(option.err.find("--frob") != std::string::npos);
    CHECK(option.err.find("parley solve --help") != std::string::npos);
    auto missing = RunParley("solve");
    CHECK(missing.err.rfind("error: ", 0) == 0);
    for (const auto& r : {unknown, option, missing})
      CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    // CLI11's own messages in Parley's words: what is wrong and what would be right.
    const std::pair<std::string, std::string> reworded[] = {
        {"solve " + kEntry + " --frob", "error: unknown option '--frob' (parley solve --help lists the options)\n"},
        {"solve " + kEntry + " extra more", "error: unexpected arguments 'extra', 'more' (parley solve --help lists the options)\n"},
        {"solve " + kEntry + " --format",
         "error: --format needs a value: one of text, json (parley solve --help lists the options)\n"},
        {"solve " + kEntry + " --format json --format text",
         "error: --format is given 2 times; give it once (parley solve --help lists the options)\n"},
        {"solve " + kEntry + " --max-nodes 1.5",
         "error: --max-nodes: '1.5' is not a whole number of at least 0 (parley solve --help lists the options)\n"},
        {"report " + kEntry + " -o x.html --tornado-value v",
         "error: --tornado-value needs --tornado too (parley report --help lists the options)\n"},
    };
    for (const auto& [arguments, message] : reworded) {
      CAPTURE(arguments);
      auto r = RunParley(arguments);
      CHECK(r.exit_code == 2);
      CHECK(r.err == message);
    }
    // A file without an extension: the message lists the formats.
    auto convert = RunParley("convert " + kEntry + " '" + BuildPath("test-tmp/no_extension") + "'");
    CHECK(convert.exit_code == 1);
    CHECK(convert.err.find("the output has no extension; convert writes .efg") != std::string::npos);
    auto sweep = RunParley("sweep '" + BuildPath("test-tmp/no_extension") + "' --vary a=0:1:2");
    CHECK(sweep.exit_code == 1);
    CHECK(sweep.err.find("analysis needs a scenario file (.yaml) with parameters to vary; this file has no extension") != std::string::npos);
  }

  TEST_CASE("solve --all: ties say which action each equilibrium takes, one path is summarised") {
    // Ultimatum with a cake of 2: after offer 0 the responder gets 0 either way (a tie);
    // after 1 or 2 accepting pays more. Two SPE: accept at 0 (offer 0, payoffs (2, 0)) or
    // reject at 0 (then offer 1, payoffs (1, 1)).
    std::string ultimatum = R"(EFG 2 R "Ultimatum" { "P" "R" }
p "" 1 1 "offer" { "0" "1" "2" } 0
p "" 2 1 "offered 0" { "accept" "reject" } 0
t "" 1 "" { 2 0 }
t "" 2 "" { 0 0 }
p "" 2 2 "offered 1" { "accept" "reject" } 0
t "" 3 "" { 1 1 }
t "" 2
p "" 2 3 "offered 2" { "accept" "reject" } 0
t "" 4 "" { 0 2 }
t "" 2
)";
    std::string path = "'" + WriteTempFile("ultimatum3.efg", ultimatum) + "'";
    auto all = RunParley("solve " + path + " --all");
    REQUIRE(all.exit_code == 0);
    CHECK(all.out.find("R at [offered 0]: accept and reject are equally good; this equilibrium takes accept") != std::string::npos);
    CHECK(all.out.find("R at [offered 0]: accept and reject are equally good; this equilibrium takes reject") != std::string::npos);
    CHECK(all.out.find("first optimal action") == std::string::npos);
    // Equilibrium 2 (offer 1) lists the reached sets first: P's offer, then R at offered 1.
    std::size_t second = all.out.find("Equilibrium 2");
    REQUIRE(second != std::string::npos);
    std::size_t offer = all.out.find("* P at [offer]: 1", second);
    std::size_t reached = all.out.find("* R at [offered 1]: accept", second);
    std::size_t unreached = all.out.find("    R at [offered 0]: reject", second);
    CHECK(offer < reached);
    CHECK(reached < unreached);
    CHECK(unreached != std::string::npos);

    // The ultimatum game of games/ (cake 10): with ties at offer 0 only, 2 equilibria, 2 paths.
    // Entry deterrence with an indifferent incumbent off the path: two SPE on one path.
    std::string entry = R"(EFG 2 R "Entry" { "E" "I" }
p "" 1 1 "E" { "Out" "In" } 0
t "" 1 "" { 0 5 }
p "" 2 1 "I" { "Fight" "Share" } 0
t "" 2 "" { -1 1 }
t "" 3 "" { -1 1 }
)";
    auto summary = RunParley("solve '" + WriteTempFile("entry_tie.efg", entry) + "' --all");
    REQUIRE(summary.exit_code == 0);
    // In pays -1 whatever I does, so E stays out; I's choice is off the path and a tie.
    CHECK(summary.out.find("Paths: the 2 equilibria follow 1 distinct path") != std::string::npos);
    CHECK(summary.out.find("Equilibrium 2: as equilibrium 1 (same path and payoffs), except off the path:\n    I: Share\n") != std::string::npos);
  }

  TEST_CASE("--exact on computed numbers says the fractions would not be exact") {
    // A scenario's payoffs are computed in floating point: 0.1 * 3 is 0.30000000000000004.
    std::string scenario = WriteTempFile("computed.yaml", R"(title: Computed
players: [A, B]
parameters:
  t: {value: 0.1, assumption: true}
stages:
  - name: move
    player: A
    actions: [x, y]
payoffs:
  A: if(move == x, 3 * t, 0)
  B: 0
)");
    auto text = RunParley("solve '" + scenario + "' --exact");
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("Note: exact arithmetic: some payoffs or probabilities of this game were computed in floating point") != std::string::npos);
    CHECK(text.out.find("Payoffs: A 0.3, B 0\n") != std::string::npos);
    auto json = nlohmann::json::parse(RunParley("solve '" + scenario + "' --exact --format json").out);
    CHECK(json["equilibria"][0]["payoffs"][0] == 0.30000000000000004);
    CHECK(json["exact"] == false);  // the numbers are doubles
  }

  TEST_CASE("--exact on a scenario whose payoffs are whole numbers gives exact results") {
    // games/centipede.yaml's payoffs are formulas of whole numbers: computed as doubles, but
    // whole, so they are the numbers meant and exact arithmetic is exact (no note). At the
    // root Alice takes: (2, 0) (the file's header).
    auto text = RunParley("solve " + testing::SourcePath("games/centipede.yaml") + " --exact");
    REQUIRE(text.exit_code == 0);
    CHECK(text.out.find("Note: exact arithmetic") == std::string::npos);
    CHECK(text.out.find("Payoffs: Alice 2, Bob 0\n") != std::string::npos);
    auto json = nlohmann::json::parse(
        RunParley("solve " + testing::SourcePath("games/centipede.yaml") + " --exact --format json").out);
    CHECK(json["exact"] == true);
    CHECK(json["equilibria"][0]["payoffs"][0] == "2");
  }

  TEST_CASE("solve prints the equilibrium for people") {
    auto r = RunParley("solve " + kEntry);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Method: backward induction; 1 subgame-perfect equilibrium") != std::string::npos);
    CHECK(r.out.find("Payoffs: Entrant 1, Incumbent 1") != std::string::npos);
    CHECK(r.out.find("Path: Entrant In, Incumbent Accommodate") != std::string::npos);
    CHECK(r.out.find("* Incumbent: Accommodate") != std::string::npos);
  }

  TEST_CASE("solve --format json has the documented fields") {
    auto r = RunParley("solve " + kEntry + " --format json");
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["players"] == nlohmann::json({"Entrant", "Incumbent"}));
    CHECK(j["concept"] == "subgame-perfect");
    CHECK(j["method"] == "backward induction");
    CHECK(j["truncated"] == false);
    REQUIRE(j["equilibria"].size() == 1);
    auto& eq = j["equilibria"][0];
    CHECK(eq["payoffs"] == nlohmann::json({1.0, 1.0}));
    REQUIRE(eq["strategy"].size() == 2);  // every decision node, on the path or not
    CHECK(eq["strategy"][1]["action"] == "Accommodate");
    CHECK(eq["path"][0]["actions"] == nlohmann::json({"In", "Accommodate"}));
    CHECK(eq["path"][0]["probability"] == 1.0);
  }

  TEST_CASE("--all: a guard that shortened the list is not blamed on --max") {
    // More than 1,000 equilibria, of which the cap on the probabilities held by the listed
    // profiles lets 17 be listed: the text said "the list was cut at --max" at --max 1000.
    auto r = RunParley("solve '" + SourcePath("games/alternating_offers.yaml") + "' --all");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("Method: backward induction; 17 subgame-perfect equilibria listed (there are more) "
                     "(incomplete: a limit stopped the enumeration)\n") != std::string::npos);
    CHECK(r.out.find("so only the first 17 are listed") != std::string::npos);
    CHECK(r.out.find("--max") == std::string::npos);
  }

  TEST_CASE("--all, --max and --exact") {
    std::string ultimatum = R"(EFG 2 R "Ultimatum" { "P" "R" }
p "" 1 1 "offer" { "0" "1" } 0
p "" 2 1 "offered 0" { "accept" "reject" } 0
t "" 1 "" { 2 0 }
t "" 2 "" { 0 0 }
p "" 2 2 "offered 1" { "accept" "reject" } 0
t "" 3 "" { 1 1 }
t "" 2
)";
    std::string path = "'" + WriteTempFile("ultimatum.efg", ultimatum) + "'";
    auto all = RunParley("solve " + path + " --all --format json");
    REQUIRE(all.exit_code == 0);
    auto j = nlohmann::json::parse(all.out);
    CHECK(j["equilibria"].size() == 2);
    CHECK(j["truncated"] == false);
    auto cut = RunParley("solve " + path + " --all --max 1");
    CHECK(cut.out.find("the list was cut at --max") != std::string::npos);
    auto cut_json = nlohmann::json::parse(RunParley("solve " + path + " --all --max 1 --format json").out);
    CHECK(cut_json["truncated"] == true);
    CHECK(cut_json["truncated_by"] == "--max");
    CHECK(j.find("truncated_by") == j.end());
    auto exact = RunParley("solve '" + WriteTempFile("third.efg", "EFG 2 R \"t\" { \"A\" }\nc \"\" 1 \"\" { \"x\" 1/3 \"y\" 2/3 } 0\nt \"\" 1 \"\" { 1 }\nt \"\" 2 \"\" { 0 }\n") + "' --exact --format json");
    REQUIRE(exact.exit_code == 0);
    CHECK(nlohmann::json::parse(exact.out)["equilibria"][0]["payoffs"][0] == "1/3");
  }

  TEST_CASE("bad input: one line with file:line:col, exit 1") {
    std::string bad = WriteTempFile("bad.efg", "EFG 2 R \"g\" { \"A\" }\nq \"\" 0\n");
    auto r = RunParley("solve '" + bad + "'");
    CHECK(r.exit_code == 1);
    CHECK(r.err == "error: " + bad + ":2:1: expected a node type: 'p' (player), 'c' (chance) or 't' (terminal), found 'q'\n");
    auto missing = RunParley("solve no-such-file.efg");
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("error: no-such-file.efg: cannot open") == 0);
    auto format = RunParley("validate '" + WriteTempFile("game.txt", "x") + "'");
    CHECK(format.exit_code == 1);
    CHECK(format.err.find("unknown game format '.txt'") != std::string::npos);
    auto imperfect = RunParley("solve '" + WriteTempFile("mp.efg", R"(EFG 2 R "mp" { "A" "B" }
p "" 1 1 "" { "H" "T" } 0
p "" 2 1 "guess" { "h" "t" } 0
t "" 1 "" { 1 -1 }
t "" 2 "" { -1 1 }
p "" 2 1 0
t "" 2
t "" 1
)") + "' --method backward-induction");
    CHECK(imperfect.exit_code == 1);
    CHECK(imperfect.err.find("information set B at [guess] has 2 nodes") != std::string::npos);
  }

  TEST_CASE("validate summarises the game in one line") {
    auto r = RunParley("validate " + kEntry);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("valid; 2 players (Entrant, Incumbent), 5 nodes, 3 terminal, 2 information sets, perfect information") != std::string::npos);
  }

  TEST_CASE("convert round-trips through Parley JSON, and never overwrites a good file with a broken one") {
    std::string json_path = BuildPath("test-tmp/entry.json");
    std::string efg_path = BuildPath("test-tmp/entry-again.efg");
    REQUIRE(RunParley("convert " + kEntry + " '" + json_path + "'").exit_code == 0);
    REQUIRE(RunParley("convert '" + json_path + "' '" + efg_path + "'").exit_code == 0);
    CHECK(ReadFile(efg_path).find("\"Accommodate\"") != std::string::npos);
    auto a = RunParley("solve " + kEntry + " --format json");
    auto b = RunParley("solve '" + efg_path + "' --format json");
    CHECK(nlohmann::json::parse(a.out)["equilibria"] == nlohmann::json::parse(b.out)["equilibria"]);
    // A failed conversion leaves the existing output untouched.
    std::string before = ReadFile(efg_path);
    std::string bad = WriteTempFile("broken-convert.efg", "EFG 2 R \"g\" { \"A\" }\np \"\" 1 1 \"\" { \"a\" } 0\n");
    CHECK(RunParley("convert '" + bad + "' '" + efg_path + "'").exit_code == 1);
    CHECK(ReadFile(efg_path) == before);
    CHECK(RunParley("convert " + kEntry + " out.xyz").exit_code == 1);
  }

  TEST_CASE("convert refuses to write a payoff the game readers would refuse, and writes nothing") {
    // A scenario may pay a subnormal number (a parameter of 1e-320 here); the .efg, JSON and
    // .nfg readers refuse such numbers, so convert used to write files it could not read back.
    const std::string scenario = WriteTempFile("subnormal-payoff.yaml",
                                               "players: [A, B]\n"
                                               "parameters:\n  u: {value: 1e-320}\n"
                                               "stages:\n  - name: s\n    player: A\n    actions: [l, r]\n"
                                               "payoffs:\n  A: if(s == l, u, 0)\n  B: 0\n");
    for (const char* ext : {"efg", "json", "nfg"}) {
      CAPTURE(ext);
      const std::string out = BuildPath(std::string("test-tmp/subnormal-payoff.") + ext);
      std::filesystem::remove(out);
      auto r = RunParley("convert '" + scenario + "' '" + out + "'");
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("cannot write the game as ") != std::string::npos);
      CHECK(r.err.find("1e-320") != std::string::npos);
      CHECK(!std::filesystem::exists(out));
    }
    // The .efg and JSON messages name the payoff's player and the leaf.
    auto r = RunParley("convert '" + scenario + "' '" + BuildPath("test-tmp/subnormal-payoff.efg") + "'");
    CHECK(r.err.find("A's payoff 1e-320 after l is below about 2.2e-308") != std::string::npos);
    // The same scenario with u = 1e-300 (a normal double) converts and reads back.
    const std::string efg = BuildPath("test-tmp/normal-payoff.efg");
    REQUIRE(RunParley("convert '" + scenario + "' '" + efg + "' --set u=1e-300").exit_code == 0);
    CHECK(RunParley("validate '" + efg + "'").exit_code == 0);
    // An expected payoff of the reduced strategic form can be subnormal although every payoff
    // of the tree is a normal double: 1e-300 behind a chance move of 1e-10 is worth 1e-310 (in
    // doubles 1e-300 x 1e-10 = 9.99999999999999969e-311, printed 1e-310) to A when A plays l.
    // The .nfg message names the player and the strategy profile (B moves at four sets, each
    // of its strategies names an action at each).
    const std::string chance = WriteTempFile("subnormal-expectation.yaml",
                                             "players: [A, B]\n"
                                             "stages:\n  - name: s\n    player: A\n    actions: [l, r]\n"
                                             "  - name: luck\n    player: nature\n    actions: [win, lose]\n"
                                             "    probabilities: [1e-10, 1 - 1e-10]\n"
                                             "  - name: t\n    player: B\n    actions: [x, y]\n"
                                             "payoffs:\n  A: if(s == l and luck == win, 1e-300, 0)\n  B: 1\n");
    const std::string nfg = BuildPath("test-tmp/subnormal-expectation.nfg");
    std::filesystem::remove(nfg);
    auto reduced = RunParley("convert '" + chance + "' '" + nfg + "'");
    CHECK(reduced.exit_code == 1);
    // The message names the input the number comes from (it named no file).
    CHECK(reduced.err.find("subnormal-expectation.yaml: cannot write the game as .nfg: A's payoff 1e-310 at (l, x x x x) "
                           "is below about 2.2e-308") != std::string::npos);
    CHECK(reduced.err.find("scale the payoffs up") != std::string::npos);
    CHECK(!std::filesystem::exists(nfg));
  }

  TEST_CASE("a guard of --all names the game file it stopped on") {
    // Chance picks one of 8 branches; A moves without seeing it (one set), then B, who sees
    // the branch but not A's move (a set of two nodes per branch, two actions): 2^8 = 256
    // reduced strategies for B in a game that is its only subgame, past the 200 --all takes.
    // The refusal is about the game as a whole: it starts with the file (it said only "B has
    // more than 200 ...").
    std::string text = "EFG 2 R \"wide\" { \"A\" \"B\" }\nc \"\" 1 \"\" { ";
    for (int k = 0; k < 8; ++k) text += "\"k" + std::to_string(k) + "\" 1/8 ";
    text += "} 0\n";
    int outcome = 0;
    for (int k = 0; k < 8; ++k) {
      text += "p \"\" 1 1 \"\" { \"x\" \"y\" } 0\n";
      for (int m = 0; m < 2; ++m) {
        text += "p \"\" 2 " + std::to_string(k + 1) + " \"\" { \"l\" \"r\" } 0\n";
        for (int a = 0; a < 2; ++a)
          text += "t \"\" " + std::to_string(++outcome) + " \"\" { " + std::to_string(a + m) + " " +
                  std::to_string((k + a) % 3) + " }\n";
      }
    }
    const std::string path = WriteTempFile("wide.efg", text);
    auto r = RunParley("solve '" + path + "' --all");
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("error: " + path + ": B has more than 200 reduced pure strategies") == 0);
  }
}

}  // namespace
}  // namespace parley::testing
