#include "solver/lp/matrix_game.h"

#include <algorithm>
#include <cmath>

#include "solver/lp/linear_program.h"
#include "solver/model/error.h"

namespace parley::lp {

namespace {

// The game solved for the row player: value and row strategy from the LP's primal, and, when
// `with_column`, the column player's strategy from its duals. At a degenerate optimum GLPK
// may return duals that are all 0 (`parley bargain --threats-row "1,1;0,1" --threats-col
// "1,1;0,0"` met M = [[-2.5e-13, -2.5e-13], [0, 0.71]], value 0); the column player's
// strategy is then the row strategy of the game -M^T, solved on its own.
MatrixGameSolution Solve(const std::vector<std::vector<double>>& payoff, bool with_column) {
  if (payoff.empty() || payoff.front().empty()) {
    throw ValidationError("a matrix game needs at least one row and one column");
  }
  const std::size_t rows = payoff.size(), cols = payoff.front().size();
  for (const auto& row : payoff) {
    if (row.size() != cols) throw ValidationError("a matrix game's rows must have equal length");
    for (double value : row) {
      if (!std::isfinite(value)) throw ValidationError("a matrix game's payoffs must be finite");
    }
  }
  // Optimal strategies do not change when every payoff is multiplied by s > 0, and the value
  // scales by s: solve M / max|M|, so that the LP sees entries of magnitude at most 1 (GLPK's
  // scaling aborts on extreme coefficients). Entries below 1e-14 of the largest cannot move
  // the value by more than its rounding and are dropped.
  double largest = 0.0;
  for (const auto& row : payoff)
    for (double value : row) largest = std::max(largest, std::abs(value));
  if (largest == 0.0) {
    MatrixGameSolution result;
    result.row.assign(rows, 1.0 / static_cast<double>(rows));
    result.column.assign(cols, 1.0 / static_cast<double>(cols));
    return result;
  }
  auto scaled = [&](std::size_t i, std::size_t j) {
    double x = payoff[i][j] / largest;
    return std::abs(x) < 1e-14 ? 0.0 : x;
  };
  // Columns: x_0..x_{m-1} (row strategy), then v (free). Maximise v.
  LinearProgram program(Sense::kMaximize);
  for (std::size_t i = 0; i < rows; ++i) program.AddColumn(0.0, kInfinity, 0.0);
  int v = program.AddColumn(-kInfinity, kInfinity, 1.0);
  std::vector<int> index(rows + 1);
  std::vector<double> coefficient(rows + 1);
  for (std::size_t j = 0; j < cols; ++j) {
    // sum_i x_i M_ij - v >= 0
    for (std::size_t i = 0; i < rows; ++i) {
      index[i] = static_cast<int>(i);
      coefficient[i] = scaled(i, j);
    }
    index[rows] = v;
    coefficient[rows] = -1.0;
    program.AddRow(0.0, kInfinity, index, coefficient);
  }
  std::vector<int> all(rows);
  std::vector<double> ones(rows, 1.0);
  for (std::size_t i = 0; i < rows; ++i) all[i] = static_cast<int>(i);
  program.AddRow(1.0, 1.0, all, ones);
  LpSolution solution = program.Solve();
  ThrowIfStopped(solution);
  if (solution.status != Status::kOptimal) {
    // The program is always feasible and bounded (any mixed strategy, v at most its worst
    // column); the floating-point simplex can still declare it infeasible on entries near its
    // tolerances (1e-9 beside 2, met in a variable-threat game): solved again in rational
    // arithmetic.
    SolveOptions exact;
    exact.exact = true;
    solution = program.Solve(exact);
    ThrowIfStopped(solution);
  }
  PARLEY_CHECK(solution.status == Status::kOptimal);

  MatrixGameSolution result;
  result.value = solution.objective * largest;
  result.row.assign(solution.primal.begin(), solution.primal.begin() + rows);
  // The duals of the column constraints, normalised, are the column player's strategy
  // (they sum to 1 at an optimum; normalising removes rounding).
  double row_total = 0.0;
  for (double& x : result.row) {
    x = std::max(x, 0.0);
    row_total += x;
  }
  PARLEY_CHECK(row_total > 0.0);
  for (double& x : result.row) x /= row_total;
  if (!with_column) return result;
  result.column.resize(cols);
  double total = 0.0;
  for (std::size_t j = 0; j < cols; ++j) {
    result.column[j] = std::abs(solution.row_duals[j]);
    total += result.column[j];
  }
  if (total > 0.0 && std::isfinite(total)) {
    for (double& y : result.column) y /= total;
    return result;
  }
  std::vector<std::vector<double>> transposed(cols, std::vector<double>(rows));
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) transposed[j][i] = -payoff[i][j];
  result.column = Solve(transposed, false).row;
  return result;
}

}  // namespace

MatrixGameSolution SolveMatrixGame(const std::vector<std::vector<double>>& payoff) { return Solve(payoff, true); }

}  // namespace parley::lp
