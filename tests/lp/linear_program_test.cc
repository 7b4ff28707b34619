#include "solver/lp/linear_program.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "solver/lp/matrix_game.h"
#include "solver/model/error.h"

using parley::lp::Algorithm;
using parley::lp::Engine;
using parley::lp::kInfinity;
using parley::lp::LinearProgram;
using parley::lp::Sense;
using parley::lp::SolveOptions;
using parley::lp::Status;

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
  }
}
