#include "solver/lp/linear_program.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "solver/lp/engines.h"
#include "solver/lp/matrix_game.h"
#include "solver/model/error.h"
#include "tests/test_util.h"

using parley::lp::Algorithm;
using parley::lp::Engine;
using parley::lp::kInfinity;
using parley::lp::LinearProgram;
using parley::lp::Sense;
using parley::lp::SolveOptions;
using parley::lp::Status;
using parley::testing::ScopedEnv;

namespace {

// Every engine and simplex method must give the same answers: the tests below run on each.
std::vector<SolveOptions> AllEngines() {
  std::vector<SolveOptions> all;
  for (Engine engine : {Engine::kGlpk, Engine::kClp}) {
    for (Algorithm algorithm : {Algorithm::kPrimalSimplex, Algorithm::kDualSimplex}) {
      for (bool presolve : {false, true}) {
        SolveOptions options;
        options.engine = engine;
        options.algorithm = algorithm;
        options.presolve = presolve;
        all.push_back(options);
      }
    }
  }
  return all;
}

std::string Name(const SolveOptions& options) {
  return std::string(options.engine == Engine::kGlpk ? "GLPK" : "CLP") +
         (options.algorithm == Algorithm::kPrimalSimplex ? " primal" : " dual") +
         (options.presolve ? " with presolve" : "");
}

}  // namespace

TEST_SUITE("lp") {
  TEST_CASE("a small maximisation with its duals") {
    // max 3x + 2y s.t. x + y <= 4, x + 3y <= 6, x, y >= 0.
    // Vertex x = 4, y = 0 gives 12; (3,1) gives 11: optimum 12 at (4,0).
    // Dual: only x + y <= 4 binds, dual price 3.
    LinearProgram program(Sense::kMaximize);
    int x = program.AddColumn(0, kInfinity, 3);
    int y = program.AddColumn(0, kInfinity, 2);
    std::vector<int> cols{x, y};
    program.AddRow(-kInfinity, 4, cols, std::vector<double>{1, 1});
    program.AddRow(-kInfinity, 6, cols, std::vector<double>{1, 3});
    for (const SolveOptions& options : AllEngines()) {
      CAPTURE(Name(options));
      auto solution = program.Solve(options);
      REQUIRE(solution.status == Status::kOptimal);
      CHECK(solution.objective == doctest::Approx(12));
      CHECK(solution.primal[0] == doctest::Approx(4));
      CHECK(solution.primal[1] == doctest::Approx(0));
      CHECK(solution.row_duals[0] == doctest::Approx(3));
      CHECK(solution.row_duals[1] == doctest::Approx(0));
      CHECK(solution.row_activity[1] == doctest::Approx(4));
      // Reduced costs: y's objective 2 minus the price of its column (3 * 1 + 0 * 3) = -1.
      CHECK(solution.reduced_costs[1] == doctest::Approx(-1));
    }
  }

  TEST_CASE("minimisation, equality rows, repeated columns merged") {
    // min x + y s.t. x + 2y (written x + y + y) = 4, x - y >= -1. x = 4 - 2y, so the objective
    // is 4 - y, with x - y = 4 - 3y >= -1 -> y <= 5/3: optimum y = 5/3, x = 2/3, value 7/3.
    LinearProgram program(Sense::kMinimize);
    program.AddColumn(0, kInfinity, 1);
    program.AddColumn(0, kInfinity, 1);
    program.AddRow(4, 4, std::vector<int>{0, 1, 1}, std::vector<double>{1, 1, 1});
    program.AddRow(-1, kInfinity, std::vector<int>{1, 0}, std::vector<double>{-1, 1});
    CHECK(program.num_nonzeros() == 4);
    for (const SolveOptions& options : AllEngines()) {
      CAPTURE(Name(options));
      auto solution = program.Solve(options);
      REQUIRE(solution.status == Status::kOptimal);
      CHECK(solution.objective == doctest::Approx(7.0 / 3));
      CHECK(solution.primal[0] == doctest::Approx(2.0 / 3));
      CHECK(solution.primal[1] == doctest::Approx(5.0 / 3));
      // Duals: with right-hand sides b (= 4) and c (= -1) both rows bind, so x + 2y = b and
      // x - y = c give y = (b - c) / 3, x = (b + 2c) / 3 and the value (2b + c) / 3:
      // d value / d b = 2/3 and d value / d c = 1/3.
      CHECK(solution.row_duals[0] == doctest::Approx(2.0 / 3));
      CHECK(solution.row_duals[1] == doctest::Approx(1.0 / 3));
    }
  }

  TEST_CASE("infeasible and unbounded programs are reported") {
    LinearProgram infeasible;
    infeasible.AddColumn(0, 1, 1);
    infeasible.AddRow(2, kInfinity, std::vector<int>{0}, std::vector<double>{1});
    LinearProgram unbounded;
    unbounded.AddColumn(0, kInfinity, 1);
    unbounded.AddColumn(0, kInfinity, 0);
    unbounded.AddRow(-kInfinity, 1, std::vector<int>{0, 1}, std::vector<double>{1, -1});
    for (const SolveOptions& options : AllEngines()) {
      CAPTURE(Name(options));
      CHECK(infeasible.Solve(options).status == Status::kInfeasible);
      CHECK(unbounded.Solve(options).status == Status::kUnbounded);
    }
  }

  TEST_CASE("bad input is refused before GLPK sees it") {
    LinearProgram program;
    CHECK_THROWS_AS(program.AddColumn(NAN, 1, 0), parley::ValidationError);
    CHECK_THROWS_AS(program.AddColumn(2, 1, 0), parley::ValidationError);
    // The bounds as the shortest decimals that read back (std::to_string printed "0.000000"
    // for 1e-7 and followed the locale's decimal point).
    CHECK_THROWS_WITH_AS(program.AddColumn(2.5e-7, 1e-7, 0), "LP column bounds are empty: lower 2.5e-07 > upper 1e-07",
                         parley::ValidationError);
    program.AddColumn(0, 1, 1);
    CHECK_THROWS_AS(program.AddRow(0, 1, std::vector<int>{3}, std::vector<double>{1}),
                    parley::ValidationError);
    CHECK_THROWS_AS(program.AddRow(0, 1, std::vector<int>{0}, std::vector<double>{NAN}),
                    parley::ValidationError);
    // A refused row leaves nothing behind, even when its first entries were valid.
    CHECK_THROWS_AS(program.AddRow(0, 1, std::vector<int>{0, 7}, std::vector<double>{1, 1}),
                    parley::ValidationError);
    CHECK(program.num_rows() == 0);
    CHECK(program.num_nonzeros() == 0);
    // No rows at all still solves.
    for (const SolveOptions& options : AllEngines()) {
      CAPTURE(Name(options));
      auto solution = program.Solve(options);
      REQUIRE(solution.status == Status::kOptimal);
      CHECK(solution.objective == doctest::Approx(1));
    }
  }

  TEST_CASE("a coefficient too small or too large for GLPK's scaling is refused, not handed to it") {
    // GLPK's automatic scaling takes 1/|a| for a row or column whose only entry is a: for
    // a = 1e-300 or 1e-320 (subnormal) it reaches a factor that is no double (or 0), and
    // glp_set_sjj stops the process; likewise a = 1e200.
    SolveOptions options;
    options.engine = Engine::kGlpk;
    auto solve = [&](double a) {  // max x s.t. a x <= 1, x >= 0
      LinearProgram program(Sense::kMaximize);
      program.AddColumn(0, kInfinity, 1);
      program.AddRow(-kInfinity, 1, std::vector<int>{0}, std::vector<double>{a});
      return program.Solve(options);
    };
    for (double a : {1e-320, 1e-300, 1e-130, 1e130, 1e200}) {
      CAPTURE(a);
      auto solution = solve(a);
      CHECK(solution.status == Status::kStopped);
      CHECK(solution.stopped.find("beyond what the LP solver's scaling takes") != std::string::npos);
    }
    // In exact arithmetic the program is solved unscaled: max x s.t. a x <= 1 has x = 1 / a
    // (1e-300 and 1e200 are not the decimals but their doubles; the check is relative).
    options.exact = true;
    for (double a : {1e-300, 1e-200, 1e200}) {
      CAPTURE(a);
      auto solved = solve(a);
      REQUIRE(solved.status == Status::kOptimal);
      CHECK(solved.primal[0] * a == doctest::Approx(1));
    }
    options.exact = false;
    // Within the range it solves: max x s.t. a x <= 1 has x = 1 / a.
    for (double a : {1e-110, 1e-30, 1e30, 1e110}) {
      CAPTURE(a);
      auto solved = solve(a);
      REQUIRE(solved.status == Status::kOptimal);
      CHECK(solved.primal[0] == doctest::Approx(1 / a));
    }
  }

  TEST_CASE("a large sparse program loads in bulk") {
    // Transportation-like: n columns x_j in [0, 1], rows x_j + x_{j+1} <= 1, maximise sum x.
    // The optimum is ceil(n/2) (every other column at 1).
    const int n = 3001;
    LinearProgram program;
    for (int j = 0; j < n; ++j) program.AddColumn(0, 1, 1);
    for (int j = 0; j + 1 < n; ++j) {
      program.AddRow(-kInfinity, 1, std::vector<int>{j, j + 1}, std::vector<double>{1, 1});
    }
    for (const SolveOptions& options : AllEngines()) {
      CAPTURE(Name(options));
      auto solution = program.Solve(options);
      REQUIRE(solution.status == Status::kOptimal);
      CHECK(solution.objective == doctest::Approx((n + 1) / 2));
    }
  }

  TEST_CASE("matrix games: value and both strategies") {
    // Matching pennies scaled: [[4,-1],[-1,3]]. Row p: 4p-(1-p) = -p+3(1-p) -> p = 4/9,
    // value 5*4/9 - 1 = 11/9; column q likewise 4/9.
    auto game = parley::lp::SolveMatrixGame({{4, -1}, {-1, 3}});
    CHECK(game.value == doctest::Approx(11.0 / 9));
    CHECK(game.row[0] == doctest::Approx(4.0 / 9));
    CHECK(game.column[0] == doctest::Approx(4.0 / 9));
    // A saddle point: [[3,1],[4,2]] -> row 2, column 2, value 2.
    auto saddle = parley::lp::SolveMatrixGame({{3, 1}, {4, 2}});
    CHECK(saddle.value == doctest::Approx(2));
    CHECK(saddle.row[1] == doctest::Approx(1));
    CHECK(saddle.column[1] == doctest::Approx(1));
    // A degenerate optimum where GLPK's duals came back all 0 (an internal error): M =
    // [[-e, -e], [0, c]] with e = 2.5e-13 (below the scaled cut, so 0), c = 0.71. Row 2
    // guarantees min(0, c) = 0 and row 1 at most 0: value 0. The column player holds the
    // row player to 0 only with column 1 (column 2 gives row 2 c > 0): column (1, 0).
    auto degenerate = parley::lp::SolveMatrixGame({{-2.5235369349729808e-13, -2.5235369349729808e-13},
                                                   {0, 0.70710678118642134}});
    CHECK(degenerate.value == doctest::Approx(0).scale(1));
    CHECK(degenerate.column[0] == doctest::Approx(1));
    CHECK(degenerate.column[1] == doctest::Approx(0).scale(1));
    CHECK(degenerate.row[0] + degenerate.row[1] == doctest::Approx(1));
  }
}

namespace {

// A stand-in for the clp program: a shell script that writes `status` as the first line of
// every -solution file and runs `write_binary` (sh commands, output to stdout) into every
// -saveSolution file, then exits with `exit_code`.
std::string FakeClp(const std::string& name, const std::string& status,
                    const std::string& write_binary, int exit_code = 0) {
  std::string path = parley::testing::WriteTempFile(
      name, "#!/bin/sh\n"
            "while [ $# -gt 0 ]; do\n"
            "  case \"$1\" in\n"
            "    -saveSolution) shift; { " + write_binary + "; } > \"$1\" ;;\n"
            "    -solution) shift; echo '" + status + "' > \"$1\" ;;\n"
            "  esac\n"
            "  shift\n"
            "done\n"
            "exit " + std::to_string(exit_code) + "\n");
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

// min x + y + z s.t. x + y + z >= 1, x - y >= 0, columns in [0, 10]: 2 rows, 3 columns, value
// 1, and zero is not feasible (so an all-zero answer read back must be refused).
LinearProgram TwoByThree() {
  LinearProgram program(Sense::kMinimize);
  for (int j = 0; j < 3; ++j) program.AddColumn(0, 10, 1);
  program.AddRow(1, kInfinity, std::vector<int>{0, 1, 2}, std::vector<double>{1, 1, 1});
  program.AddRow(0, kInfinity, std::vector<int>{0, 1}, std::vector<double>{1, -1});
  return program;
}

SolveOptions ClpOptions() {
  SolveOptions options;
  options.engine = Engine::kClp;
  return options;
}

}  // namespace

TEST_SUITE("lp.clp_program") {
  TEST_CASE("bounds and rows of every kind reach the clp program intact") {
    // max x + 2y - z over x free, y in [-2, 3], z <= 4, w fixed at 1.5, with
    //   r0: 1 <= x + y <= 5 (two-sided), r1: x - y free, r2: z + w = 2.5, r3: x <= 3.
    // r2 fixes z = 1; then max x + 2y with x + y <= 5, y <= 3: (x, y) = (2, 3), value
    // 2 + 6 - 1 = 7. Duals: r0 prices x's coefficient, 1; r2 is -1 (z = 2.5 - w costs 1 per
    // unit); r3 is slack. y's reduced cost 2 - 1 = 1, at its upper bound.
    LinearProgram program(Sense::kMaximize);
    int x = program.AddColumn(-kInfinity, kInfinity, 1);
    int y = program.AddColumn(-2, 3, 2);
    int z = program.AddColumn(-kInfinity, 4, -1);
    int w = program.AddColumn(1.5, 1.5, 0);
    program.AddRow(1, 5, std::vector<int>{x, y}, std::vector<double>{1, 1});
    program.AddRow(-kInfinity, kInfinity, std::vector<int>{x, y}, std::vector<double>{1, -1});
    program.AddRow(2.5, 2.5, std::vector<int>{z, w}, std::vector<double>{1, 1});
    program.AddRow(-kInfinity, 3, std::vector<int>{x}, std::vector<double>{1});
    for (const SolveOptions& options : AllEngines()) {
      CAPTURE(Name(options));
      auto s = program.Solve(options);
      REQUIRE(s.status == Status::kOptimal);
      CHECK(s.objective == doctest::Approx(7));
      CHECK(s.primal[x] == doctest::Approx(2));
      CHECK(s.primal[y] == doctest::Approx(3));
      CHECK(s.primal[z] == doctest::Approx(1));
      CHECK(s.primal[w] == doctest::Approx(1.5));
      CHECK(s.row_activity[1] == doctest::Approx(-1));
      CHECK(s.row_duals[0] == doctest::Approx(1));
      CHECK(s.row_duals[2] == doctest::Approx(-1));
      CHECK(s.row_duals[3] == doctest::Approx(0));
      CHECK(s.reduced_costs[y] == doctest::Approx(1));
    }
  }

  TEST_CASE("the clp program leaves no temporary files behind") {
    if (!parley::lp::ClpProgramAvailable()) return;  // nothing is written without it
    std::string dir = parley::testing::BuildPath("test-tmp/clp-tmpdir-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    {
      ScopedEnv tmp("TMPDIR", dir);
      auto s = parley::lp::SolveWithClpProgram(TwoByThree(), ClpOptions());
      REQUIRE(s.status == Status::kOptimal);
      CHECK(s.objective == doctest::Approx(1));
      CHECK(s.note.empty());
    }
    CHECK(std::filesystem::is_empty(dir));
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("without the clp program, GLPK solves it and says so") {
    ScopedEnv none("PARLEY_CLP", "/nonexistent/clp");
    CHECK(!parley::lp::ClpProgramAvailable());
    SolveOptions options = ClpOptions();
    options.algorithm = Algorithm::kInteriorPoint;  // as the sequence-form LP asks
    options.presolve = true;
    auto s = TwoByThree().Solve(options);
    REQUIRE(s.status == Status::kOptimal);
    CHECK(s.objective == doctest::Approx(1));
    CHECK(s.note.find("GLPK") != std::string::npos);
  }

  TEST_CASE("without the clp program, parley solve says so among its notes, not on standard error") {
    // Chance picks one of 400 games of matching pennies (B's move hidden, and B unable to
    // tell games 2j - 1 and 2j apart, so that the whole game is one subgame): zero-sum, so the
    // sequence-form LP, which asks for CLP first once it is not small (801 + 201 sequences;
    // below 1,000 GLPK solves it in process without asking).
    std::string text = "EFG 2 R \"Pennies\" { \"A\" \"B\" }\nc \"\" 1 \"\" {";
    for (int k = 1; k <= 400; ++k) text += " \"g" + std::to_string(k) + "\" 1/400";
    text += " } 0\n";
    for (int k = 1; k <= 400; ++k) {
      const std::string a = std::to_string(k), b = std::to_string((k + 1) / 2);
      text += "p \"\" 1 " + a + " \"A\" { \"H\" \"T\" } 0\n";
      text += "p \"\" 2 " + b + " \"B\" { \"h\" \"t\" } 0\n";
      text += "t \"\" 1 \"\" { 1 -1 }\nt \"\" 2 \"\" { -1 1 }\n";
      text += "p \"\" 2 " + b + " \"B\" { \"h\" \"t\" } 0\n";
      text += "t \"\" 2 \"\" { -1 1 }\nt \"\" 1 \"\" { 1 -1 }\n";
    }
    std::string game = parley::testing::WriteTempFile("pennies-noclp.efg", text);
    ScopedEnv none("PARLEY_CLP", "/nonexistent/clp");
    auto r = parley::testing::RunParley("solve " + game);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("Note: the clp program (Debian package coinor-clp) was not found") != std::string::npos);
  }

  TEST_CASE("what the clp program writes is checked before it is believed") {
    const LinearProgram program = TwoByThree();
    // 2 ints then 1 + 2 * 2 + 2 * 3 = 11 doubles: 96 bytes.
    const std::string rows2_cols3 = "printf '\\002\\000\\000\\000\\003\\000\\000\\000'";
    struct Case {
      const char* what;
      std::string status, binary;
      int exit_code;
      const char* message;
    };
    const Case cases[] = {
        {"a file too short", "Optimal - objective value 1", rows2_cols3, 0, "bytes, not 96"},
        {"counts swapped, same length", "Optimal - objective value 1",
         "printf '\\003\\000\\000\\000\\002\\000\\000\\000'; head -c 88 /dev/zero", 0,
         "3 rows and 2 columns"},
        {"a NaN", "Optimal - objective value 1",
         rows2_cols3 + "; head -c 80 /dev/zero; printf '\\377\\377\\377\\377\\377\\377\\377\\177'",
         0, "not a finite number"},
        {"an answer of another program (all zero: row 0 broken)", "Optimal - objective value 0",
         rows2_cols3 + "; head -c 88 /dev/zero", 0, "row 0"},
        {"a status line it does not know", "Stopped on difficulties - objective value 0",
         rows2_cols3 + "; head -c 88 /dev/zero", 0, "without a conclusion"},
        {"no status line", "", rows2_cols3 + "; head -c 88 /dev/zero", 0, "without a conclusion"},
        {"a failing exit", "Optimal - objective value 1", "true", 3, "exited with code 3"},
    };
    int k = 0;
    for (const Case& c : cases) {
      CAPTURE(c.what);
      ScopedEnv fake("PARLEY_CLP", FakeClp("fake_clp_" + std::to_string(::getpid()) + "_" +
                                               std::to_string(k++) + ".sh",
                                           c.status, c.binary, c.exit_code));
      auto stopped = parley::lp::SolveWithClpProgram(program, ClpOptions());
      CHECK(stopped.status == Status::kStopped);
      CHECK(stopped.stopped.find(c.message) != std::string::npos);
      CHECK_THROWS_WITH_AS(parley::lp::ThrowIfStopped(stopped), doctest::Contains(c.message),
                           parley::LimitError);
    }
    // The same stand-in writing the true answer is believed: x = y = 1/2, z = 0 (rows 1 and
    // 0, duals 1 and 0, reduced costs 0 0 1; x and y are basic).
    std::string good = rows2_cols3 +
                       "; printf '\\000\\000\\000\\000\\000\\000\\360\\077'"   // objective 1
                       "; printf '\\000\\000\\000\\000\\000\\000\\360\\077'"   // row 0: 1
                       "; head -c 8 /dev/zero"                                   // row 1: 0
                       "; printf '\\000\\000\\000\\000\\000\\000\\360\\077'"   // dual 0: 1
                       "; head -c 8 /dev/zero"                                   // dual 1: 0
                       "; printf '\\000\\000\\000\\000\\000\\000\\340\\077'"   // x: 0.5
                       "; printf '\\000\\000\\000\\000\\000\\000\\340\\077'"   // y: 0.5
                       "; head -c 32 /dev/zero";                                 // z, 3 costs
    ScopedEnv fake("PARLEY_CLP", FakeClp("fake_clp_good_" + std::to_string(::getpid()) + ".sh",
                                         "Optimal - objective value 1", good));
    auto s = parley::lp::SolveWithClpProgram(program, ClpOptions());
    REQUIRE(s.status == Status::kOptimal);
    CHECK(s.primal[0] == 0.5);
    CHECK(s.primal[1] == 0.5);
    CHECK(s.primal[2] == 0.0);
    CHECK(s.row_duals[0] == 1.0);
  }

  TEST_CASE("the clp program is stopped at the time limit") {
    std::string sleeper = parley::testing::WriteTempFile(
        "fake_clp_sleep_" + std::to_string(::getpid()) + ".sh", "#!/bin/sh\nexec sleep 30\n");
    std::filesystem::permissions(sleeper, std::filesystem::perms::owner_all);
    ScopedEnv fake("PARLEY_CLP", sleeper);
    SolveOptions options = ClpOptions();
    options.time_limit_seconds = 1;
    auto start = std::chrono::steady_clock::now();
    auto stopped = parley::lp::SolveWithClpProgram(TwoByThree(), options);
    CHECK(stopped.status == Status::kStopped);
    CHECK(stopped.stopped.find("did not finish the LP within 1 s") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  }
}
