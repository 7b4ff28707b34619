// LP engines and algorithm options give the same optimum; Lemke's covering vector may be 0 on rows with
// q >= 0 (the reduced sequence-form LCP relies on it).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "solver/equilibrium/lemke.h"
#include "solver/lp/linear_program.h"

namespace {

using parley::equilibrium::LcpResult;
using parley::equilibrium::SolveLcp;
namespace lp = parley::lp;

TEST_SUITE("equilibrium.solver_options") {
  TEST_CASE("every LP algorithm finds the value of matching pennies") {
    // max v s.t. x1 - x2 >= v, -x1 + x2 >= v, x1 + x2 = 1: value 0 at (1/2, 1/2).
    lp::LinearProgram prog(lp::Sense::kMaximize);
    int x1 = prog.AddColumn(0, lp::kInfinity, 0), x2 = prog.AddColumn(0, lp::kInfinity, 0);
    int v = prog.AddColumn(-lp::kInfinity, lp::kInfinity, 1);
    prog.AddRow(0, lp::kInfinity, std::vector<int>{x1, x2, v}, std::vector<double>{1, -1, -1});
    prog.AddRow(0, lp::kInfinity, std::vector<int>{x1, x2, v}, std::vector<double>{-1, 1, -1});
    prog.AddRow(1, 1, std::vector<int>{x1, x2}, std::vector<double>{1, 1});
    for (lp::Engine engine : {lp::Engine::kGlpk, lp::Engine::kClp}) {
      for (lp::Algorithm a : {lp::Algorithm::kPrimalSimplex, lp::Algorithm::kDualSimplex,
                              lp::Algorithm::kInteriorPoint}) {
        for (bool presolve : {false, true}) {
          CAPTURE(static_cast<int>(engine));
          CAPTURE(static_cast<int>(a));
          CAPTURE(presolve);
          lp::SolveOptions options;
          options.engine = engine;
          options.algorithm = a;
          options.presolve = presolve;
          lp::LpSolution s = prog.Solve(options);
          CHECK(s.status == lp::Status::kOptimal);
          CHECK(s.objective == doctest::Approx(0).epsilon(1e-7));
          CHECK(s.primal[x1] == doctest::Approx(0.5).epsilon(1e-6));
          // CLP's barrier ends in a crossover, so its answer is a vertex like the simplex's.
          if (engine == lp::Engine::kClp) CHECK(std::abs(s.primal[x1] - 0.5) < 1e-12);
        }
      }
    }
  }

  TEST_CASE("presolve reports infeasibility") {
    lp::LinearProgram prog;
    int x = prog.AddColumn(0, 1, 1);
    prog.AddRow(2, lp::kInfinity, std::vector<int>{x}, std::vector<double>{1});
    for (lp::Engine engine : {lp::Engine::kGlpk, lp::Engine::kClp}) {
      lp::SolveOptions options;
      options.engine = engine;
      options.presolve = true;
      CHECK(prog.Solve(options).status == lp::Status::kInfeasible);
      options.presolve = false;
      CHECK(prog.Solve(options).status == lp::Status::kInfeasible);
    }
  }

  TEST_CASE("Lemke with a zero covering entry on a row with q >= 0") {
    // w1 = -1 + z2 + z0 (d1 = 1), w2 = 1 - z1 (d2 = 0). w1 >= 0 needs z2 >= 1, so w2 = 0,
    // so z1 = 1; then z1 w1 = 0 gives z2 = 1: the unique solution z = (1, 1), w = (0, 0).
    std::vector<double> M = {0, 1, -1, 0}, q = {-1, 1}, d = {1, 0};
    LcpResult<double> r = SolveLcp<double>(2, M, q, d);
    REQUIRE(r.solved);
    CHECK(r.z[0] == doctest::Approx(1));
    CHECK(r.z[1] == doctest::Approx(1));
    // A negative q where d is 0 cannot be covered.
    std::vector<double> bad_q = {1, -1};
    CHECK_FALSE(SolveLcp<double>(2, M, bad_q, d).solved);
  }
}

}  // namespace
