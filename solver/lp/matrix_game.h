// Optimal mixed strategies and the value of a two-player zero-sum matrix game, by the linear
// program of von Neumann's minimax theorem (von Neumann and Morgenstern 1944; e.g. Owen,
// Game Theory, ch. II): the row player maximises v subject to x^T M >= v in every column.
// The column player's strategy is read from the duals of the same LP.
#pragma once

#include <vector>

namespace parley::lp {

struct MatrixGameSolution {
  double value = 0.0;            // what the row player guarantees (row maximises)
  std::vector<double> row;       // row player's optimal mixed strategy
  std::vector<double> column;    // column player's optimal mixed strategy
};

// `payoff[i][j]` is what the column player pays the row player when row i meets column j.
// Throws ValidationError on an empty or ragged matrix or non-finite entries.
MatrixGameSolution SolveMatrixGame(const std::vector<std::vector<double>>& payoff);

}  // namespace parley::lp
