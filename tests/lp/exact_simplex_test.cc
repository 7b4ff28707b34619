#include "solver/lp/exact_simplex.h"

#include <doctest/doctest.h>
#include <gmpxx.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <random>
#include <vector>

#include "solver/lp/linear_program.h"
#include "solver/model/number.h"

using parley::lp::ExactStart;
using parley::lp::kInfinity;
using parley::lp::LinearProgram;
using parley::lp::LpSolution;
using parley::lp::Sense;
using parley::lp::SolveOptions;
using parley::lp::Status;

namespace {

SolveOptions Exact() {
  SolveOptions options;
  options.exact = true;
  return options;
}

// The best objective of a program in three boxed columns, by enumerating its vertices in
// rational arithmetic: every choice of three constraints among the six column bounds and the
// rows' finite bounds, solved as equations where independent, kept where feasible. A boxed
// program with a feasible point has a feasible vertex, so none means infeasible.
struct Box3 {
  std::array<double, 3> lower{}, upper{}, objective{};
  std::optional<std::array<double, 3>> later;  // a later objective
  std::vector<std::array<double, 3>> rows;
  std::vector<double> row_lower, row_upper;

  LinearProgram Program() const {
    LinearProgram program(Sense::kMaximize);
    for (int j = 0; j < 3; ++j) program.AddColumn(lower[j], upper[j], objective[j]);
    for (std::size_t i = 0; i < rows.size(); ++i) program.AddDenseRow(row_lower[i], row_upper[i], rows[i]);
    if (later) program.AddLaterObjective(std::vector<double>(later->begin(), later->end()));
    return program;
  }

  // The best value of the objective and, among the vertices that reach it, of the later one
  // (the optimal face is a face of the polytope: its best later value is at one of its
  // vertices, which are the polytope's).
  std::optional<std::pair<mpq_class, mpq_class>> BestByVertices() const {
    struct Plane {
      std::array<mpq_class, 3> a;
      mpq_class b;
    };
    std::vector<Plane> planes;
    for (int j = 0; j < 3; ++j) {
      std::array<mpq_class, 3> unit{0, 0, 0};
      unit[j] = 1;
      planes.push_back({unit, lower[j]});
      planes.push_back({unit, upper[j]});
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::array<mpq_class, 3> a{rows[i][0], rows[i][1], rows[i][2]};
      if (std::isfinite(row_lower[i])) planes.push_back({a, row_lower[i]});
      if (std::isfinite(row_upper[i])) planes.push_back({a, row_upper[i]});
    }
    auto feasible = [&](const std::array<mpq_class, 3>& x) {
      for (int j = 0; j < 3; ++j)
        if (x[j] < mpq_class(lower[j]) || x[j] > mpq_class(upper[j])) return false;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        mpq_class activity = 0;
        for (int j = 0; j < 3; ++j) activity += mpq_class(rows[i][j]) * x[j];
        if (std::isfinite(row_lower[i]) && activity < mpq_class(row_lower[i])) return false;
        if (std::isfinite(row_upper[i]) && activity > mpq_class(row_upper[i])) return false;
      }
      return true;
    };
    std::optional<std::pair<mpq_class, mpq_class>> best;
    const std::size_t count = planes.size();
    for (std::size_t p = 0; p < count; ++p)
      for (std::size_t q = p + 1; q < count; ++q)
        for (std::size_t r = q + 1; r < count; ++r) {
          // Cramer's rule.
          const Plane* s[3] = {&planes[p], &planes[q], &planes[r]};
          auto det = [&](int replaced) {
            auto at = [&](int row, int col) -> mpq_class { return col == replaced ? s[row]->b : s[row]->a[col]; };
            return mpq_class(at(0, 0) * (at(1, 1) * at(2, 2) - at(1, 2) * at(2, 1)) -
                             at(0, 1) * (at(1, 0) * at(2, 2) - at(1, 2) * at(2, 0)) +
                             at(0, 2) * (at(1, 0) * at(2, 1) - at(1, 1) * at(2, 0)));
          };
          const mpq_class d = det(-1);
          if (sgn(d) == 0) continue;
          const std::array<mpq_class, 3> x{det(0) / d, det(1) / d, det(2) / d};
          if (!feasible(x)) continue;
          mpq_class value = 0, second = 0;
          for (int j = 0; j < 3; ++j) {
            value += mpq_class(objective[j]) * x[j];
            if (later) second += mpq_class((*later)[j]) * x[j];
          }
          if (!best || value > best->first || (value == best->first && second > best->second)) best = {value, second};
        }
    return best;
  }
};

}  // namespace

TEST_SUITE("lp") {
  // Each program below differs from one GLPK's glp_exact reads (its doubles taken to about ten
  // digits) in a digit that changes the answer.
  TEST_CASE("exact solving: a floor 5e-11 above what the bound allows is infeasible") {
    // max x, x <= 0.4, x >= 0.400000000048 (a row): infeasible.
    LinearProgram program(Sense::kMaximize);
    program.AddColumn(0, 0.4, 1);
    program.AddDenseRow(0.400000000048, kInfinity, std::vector<double>{1});
    CHECK(program.Solve(Exact()).status == Status::kInfeasible);
    // 0.4 itself is feasible, and optimal.
    LinearProgram tight(Sense::kMaximize);
    tight.AddColumn(0, 0.4, 1);
    tight.AddDenseRow(0.4, kInfinity, std::vector<double>{1});
    const LpSolution solved = tight.Solve(Exact());
    REQUIRE(solved.status == Status::kOptimal);
    CHECK(solved.primal[0] == 0.4);
  }

  TEST_CASE("exact solving: the responder's floor decides the proposer's share to the last digit") {
    // max x, 0 <= x <= 0.6, 1 - x >= 0.400000000048 (as a row: -x >= f - 1, with f - 1 written
    // exactly: the row is x <= 1 - f). x = 1 - f = 0.599999999952 exactly as a rational of the
    // doubles; the answer is its nearest double. glp_exact gave 0.6.
    const double f = 0.400000000048;
    LinearProgram program(Sense::kMaximize);
    program.AddColumn(0, 0.6, 1);
    program.AddColumn(1, 1, 0);  // a column fixed at 1 carries the constant
    program.AddDenseRow(f, kInfinity, std::vector<double>{-1, 1});
    const LpSolution solved = program.Solve(Exact());
    REQUIRE(solved.status == Status::kOptimal);
    const double expected = parley::ToDouble(mpq_class(1) - mpq_class(f));
    CHECK(solved.primal[0] == expected);
    CHECK(solved.objective == expected);
    CHECK(expected < 0.6);
  }

  TEST_CASE("exact solving: an objective coefficient 1e-10 above another picks its column") {
    // max x + 1.0000000001 y, x + y <= 1, x, y >= 0: y = 1, objective 1.0000000001; read to ten
    // digits the two columns tie.
    LinearProgram program(Sense::kMaximize);
    program.AddColumn(0, kInfinity, 1);
    program.AddColumn(0, kInfinity, 1.0000000001);
    program.AddDenseRow(-kInfinity, 1, std::vector<double>{1, 1});
    const LpSolution solved = program.Solve(Exact());
    REQUIRE(solved.status == Status::kOptimal);
    CHECK(solved.primal[0] == 0);
    CHECK(solved.primal[1] == 1);
    CHECK(solved.objective == 1.0000000001);
    // The row's dual is the price of its bound: d objective / d 1 = 1.0000000001; x's reduced
    // cost 1 - 1.0000000001 (rounded once), negative: raising x would lose that much.
    CHECK(solved.row_duals[0] == 1.0000000001);
    CHECK(solved.reduced_costs[0] == parley::ToDouble(mpq_class(1) - mpq_class(1.0000000001)));
    CHECK(solved.reduced_costs[1] == 0);
  }

  TEST_CASE("exact solving: unbounded and minimising programs") {
    LinearProgram unbounded(Sense::kMaximize);
    unbounded.AddColumn(0, kInfinity, 1);
    unbounded.AddColumn(0, kInfinity, -1);
    unbounded.AddDenseRow(-kInfinity, 1e-10, std::vector<double>{1, -1});  // x <= y + 1e-10
    CHECK(unbounded.Solve(Exact()).status == Status::kOptimal);  // x - y <= 1e-10: bounded
    unbounded.SetObjective(1, 0);                                 // max x: x = y + 1e-10, y free to grow
    CHECK(unbounded.Solve(Exact()).status == Status::kUnbounded);
    // min 3 x + 2 y, x + y >= 1.0000000003, x >= 0, y in [0, 0.5]: y = 0.5, x = 0.5000000003.
    LinearProgram minimise(Sense::kMinimize);
    minimise.AddColumn(0, kInfinity, 3);
    minimise.AddColumn(0, 0.5, 2);
    minimise.AddDenseRow(1.0000000003, kInfinity, std::vector<double>{1, 1});
    const LpSolution solved = minimise.Solve(Exact());
    REQUIRE(solved.status == Status::kOptimal);
    CHECK(solved.primal[1] == 0.5);
    CHECK(solved.primal[0] == parley::ToDouble(mpq_class(1.0000000003) - mpq_class(0.5)));
    CHECK(solved.objective == parley::ToDouble(3 * (mpq_class(1.0000000003) - mpq_class(0.5)) + 1));
    CHECK(solved.row_duals[0] == 3);  // one more unit of the floor costs 3 (x's price)
  }

  TEST_CASE("exact solving agrees with vertex enumeration on random programs, from any starting basis") {
    // Three boxed columns and two or three rows with small integer coefficients nudged by
    // multiples of 1e-10, the digit glp_exact's reading drops. The optimum's value is unique;
    // the solver's is the exact one rounded once, so it equals the enumeration's rounded value.
    std::mt19937_64 random(20261205);
    auto nudged = [&](int low, int high) {
      std::uniform_int_distribution<int> whole(low, high), nudge(-3, 3);
      return whole(random) + nudge(random) * 1e-10;
    };
    int optimal = 0, infeasible = 0;
    for (int trial = 0; trial < 400; ++trial) {
      CAPTURE(trial);
      Box3 box;
      for (int j = 0; j < 3; ++j) {
        box.lower[j] = nudged(-2, 0);
        box.upper[j] = box.lower[j] + std::abs(nudged(0, 3));
        box.objective[j] = nudged(-3, 3);
      }
      const int rows = 2 + trial % 2;
      for (int i = 0; i < rows; ++i) {
        box.rows.push_back({nudged(-2, 2), nudged(-2, 2), nudged(-2, 2)});
        const double a = nudged(-3, 3), b = nudged(-3, 3);
        const int kind = static_cast<int>(random() % 3);
        box.row_lower.push_back(kind == 1 ? -kInfinity : std::min(a, b));
        box.row_upper.push_back(kind == 2 ? kInfinity : std::max(a, b));
      }
      // Every other program has a later objective; a third of those a first objective that
      // ties along an edge or a face (two or three columns' coefficients 0).
      if (trial % 2 == 1) {
        box.later = std::array<double, 3>{nudged(-3, 3), nudged(-3, 3), nudged(-3, 3)};
        if (trial % 3 == 0) box.objective[1] = box.objective[2] = 0;
      }
      const LinearProgram program = box.Program();
      const auto best = box.BestByVertices();
      auto check = [&](const LpSolution& solved) {
        if (!best) {
          CHECK(solved.status == Status::kInfeasible);
          return;
        }
        REQUIRE(solved.status == Status::kOptimal);
        CHECK(solved.objective == parley::ToDouble(best->first));
        if (box.later) {
          REQUIRE(solved.later_objectives.size() == 1);
          CHECK(solved.later_objectives[0] == parley::ToDouble(best->second));
        }
        // The values are a feasible point to rounding.
        for (int j = 0; j < 3; ++j) {
          CHECK(solved.primal[j] >= box.lower[j]);
          CHECK(solved.primal[j] <= box.upper[j]);
        }
      };
      check(program.Solve(Exact()));
      // From a random basis: two or three of the six variables basic, the rest at a bound.
      std::vector<ExactStart> start(static_cast<std::size_t>(3 + rows), ExactStart::kAtLower);
      std::vector<int> order{0, 1, 2, 3, 4};
      if (rows == 3) order.push_back(5);
      std::shuffle(order.begin(), order.end(), random);
      for (int r = 0; r < rows; ++r) start[static_cast<std::size_t>(order[static_cast<std::size_t>(r)])] = ExactStart::kBasic;
      for (std::size_t k = static_cast<std::size_t>(rows); k < order.size(); ++k)
        if (random() % 2) start[static_cast<std::size_t>(order[k])] = ExactStart::kAtUpper;
      LpSolution from_random;
      REQUIRE(parley::lp::SolveExactly(program, start, from_random));
      check(from_random);
      (best ? optimal : infeasible) += 1;
    }
    // Both outcomes were exercised.
    CHECK(optimal > 100);
    CHECK(infeasible > 20);
  }

  TEST_CASE("exact solving: a later objective gains nothing at any loss in an earlier one") {
    // max x + y over x, y in [0, 1], x + y <= 1: an edge of optima. Then max y over it: (0, 1).
    LinearProgram edge(Sense::kMaximize);
    edge.AddColumn(0, 1, 1);
    edge.AddColumn(0, 1, 1);
    edge.AddDenseRow(-kInfinity, 1, std::vector<double>{1, 1});
    edge.AddLaterObjective({0, 1});
    LpSolution solved = edge.Solve(Exact());
    REQUIRE(solved.status == Status::kOptimal);
    CHECK(solved.primal[0] == 0);
    CHECK(solved.primal[1] == 1);
    CHECK(solved.objective == 1);
    CHECK(solved.later_objectives == std::vector<double>{1});
    // max x + (1 - 2^-52) y, then max y: the first objective decides (x = 1), however steep
    // the later one's gain from a loss of 2^-52.
    LinearProgram steep(Sense::kMaximize);
    steep.AddColumn(0, 1, 1);
    steep.AddColumn(0, 1, 1 - 0x1p-52);
    steep.AddDenseRow(-kInfinity, 1, std::vector<double>{1, 1});
    steep.AddLaterObjective({0, 1e300});
    solved = steep.Solve(Exact());
    REQUIRE(solved.status == Status::kOptimal);
    CHECK(solved.primal[0] == 1);
    CHECK(solved.primal[1] == 0);
    CHECK(solved.later_objectives == std::vector<double>{0});
    // Only exactly: a floating-point solve with later objectives stops with the reason.
    const LpSolution floating = edge.Solve();
    CHECK(floating.status == Status::kStopped);
    CHECK(floating.stopped.find("later objectives are solved only exactly") != std::string::npos);
  }

  TEST_CASE("exact solving: an invalid or singular starting basis is replaced") {
    LinearProgram program(Sense::kMaximize);
    program.AddColumn(0, 1, 1);
    program.AddColumn(0, 1, 1);
    program.AddDenseRow(-kInfinity, 1.5, std::vector<double>{1, 1});
    program.AddDenseRow(-kInfinity, 3, std::vector<double>{2, 2});
    // Both columns basic: [1 1; 2 2] is singular. Too many basic, and too few, likewise.
    for (const std::vector<ExactStart>& start :
         {std::vector<ExactStart>{ExactStart::kBasic, ExactStart::kBasic, ExactStart::kAtLower, ExactStart::kAtLower},
          std::vector<ExactStart>{ExactStart::kBasic, ExactStart::kBasic, ExactStart::kBasic, ExactStart::kAtLower},
          std::vector<ExactStart>{ExactStart::kAtLower, ExactStart::kAtLower, ExactStart::kAtLower, ExactStart::kAtLower},
          std::vector<ExactStart>{}}) {
      LpSolution solved;
      REQUIRE(parley::lp::SolveExactly(program, start, solved));
      REQUIRE(solved.status == Status::kOptimal);
      CHECK(solved.objective == 1.5);
    }
  }
}
