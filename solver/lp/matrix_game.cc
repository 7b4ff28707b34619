#include "solver/lp/matrix_game.h"

#include <algorithm>
#include <cmath>

#include "solver/lp/linear_program.h"
#include "solver/model/error.h"

namespace parley::lp {

MatrixGameSolution SolveMatrixGame(const std::vector<std::vector<double>>& payoff) {
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
  PARLEY_CHECK(solution.status == Status::kOptimal);

  MatrixGameSolution result;
  result.value = solution.objective * largest;
  result.row.assign(solution.primal.begin(), solution.primal.begin() + rows);
  // The duals of the column constraints, normalised, are the column player's strategy
  // (they sum to 1 at an optimum; normalising removes rounding).
  result.column.resize(cols);
  double total = 0.0;
  for (std::size_t j = 0; j < cols; ++j) {
    result.column[j] = std::abs(solution.row_duals[j]);
    total += result.column[j];
  }
  PARLEY_CHECK(total > 0.0);
  for (double& y : result.column) y /= total;
  double row_total = 0.0;
  for (double& x : result.row) {
    x = std::max(x, 0.0);
    row_total += x;
  }
  for (double& x : result.row) x /= row_total;
  return result;
}

}  // namespace parley::lp
