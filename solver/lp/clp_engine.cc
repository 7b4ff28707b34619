// The in-process CLP engine of LinearProgram (COIN-OR CLP: ClpSimplex, ClpSolve), compiled only
// with -DPARLEY_WITH_CLP_LIBRARY=ON. CLP is under the EPL-1.0, which is incompatible with the
// GPL: a binary built this way is for private use and cannot be distributed (docs/licensing.md).
// The default build runs the `clp` program instead (clp_program.cc), with the same method.
// CLP's sparse LU and pricing make each simplex iteration on a large sparse program several
// times cheaper than GLPK's (measured on sequence-form LPs in docs/performance.md).
#include <ClpSimplex.hpp>
#include <ClpSolve.hpp>
#include <CoinFinite.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "solver/lp/engines.h"
#include "solver/model/error.h"

namespace parley::lp {
namespace {

constexpr double kCleanupTolerance = 1e-10;

// CLP marks a missing bound by COIN_DBL_MAX.
double ClpBound(double value) {
  if (std::isinf(value)) return value > 0 ? COIN_DBL_MAX : -COIN_DBL_MAX;
  return value;
}

std::vector<double> ClpBounds(std::span<const double> values) {
  std::vector<double> out(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) out[k] = ClpBound(values[k]);
  return out;
}

// The solution CLP holds, in LinearProgram's conventions (CLP reports the objective and the
// duals in the program's own sense already).
LpSolution Read(ClpSimplex& model, int rows, int cols, Status status) {
  LpSolution solution;
  solution.status = status;
  solution.objective = model.objectiveValue();
  const double* primal = model.primalColumnSolution();
  const double* reduced = model.dualColumnSolution();
  const double* duals = model.dualRowSolution();
  const double* activity = model.primalRowSolution();
  solution.primal.assign(primal, primal + cols);
  solution.reduced_costs.assign(reduced, reduced + cols);
  solution.row_duals.assign(duals, duals + rows);
  solution.row_activity.assign(activity, activity + rows);
  return solution;
}

}  // namespace

LpSolution SolveWithClpLibrary(const LinearProgram& program, const SolveOptions& options) {
  const int rows = program.num_rows(), cols = program.num_columns();
  // Column-major copy of the coordinate entries (CLP stores the matrix by columns).
  auto entry_row = program.entry_rows(), entry_col = program.entry_columns();
  auto entry_value = program.entry_values();
  std::vector<CoinBigIndex> start(cols + 1, 0);
  for (int c : entry_col) ++start[c + 1];
  for (int j = 0; j < cols; ++j) start[j + 1] += start[j];
  std::vector<CoinBigIndex> next(start.begin(), start.end() - 1);
  std::vector<int> index(entry_value.size());
  std::vector<double> value(entry_value.size());
  for (std::size_t k = 0; k < entry_value.size(); ++k) {
    CoinBigIndex at = next[entry_col[k]]++;
    index[at] = entry_row[k];
    value[at] = entry_value[k];
  }
  std::vector<double> col_lower = ClpBounds(program.column_lower());
  std::vector<double> col_upper = ClpBounds(program.column_upper());
  std::vector<double> row_lower = ClpBounds(program.row_lower());
  std::vector<double> row_upper = ClpBounds(program.row_upper());
  std::vector<double> objective(program.objective_coefficients().begin(),
                                program.objective_coefficients().end());

  ClpSimplex model;
  model.setLogLevel(0);
  model.loadProblem(cols, rows, start.data(), index.data(), value.data(), col_lower.data(),
                    col_upper.data(), objective.data(), row_lower.data(), row_upper.data());
  model.setOptimizationDirection(program.sense() == Sense::kMaximize ? -1.0 : 1.0);
  if (!options.scale) model.scaling(0);

  ClpSolve how;
  switch (options.algorithm) {
    case Algorithm::kPrimalSimplex: how.setSolveType(ClpSolve::usePrimal); break;
    case Algorithm::kDualSimplex: how.setSolveType(ClpSolve::useDual); break;
    case Algorithm::kInteriorPoint: how.setSolveType(ClpSolve::useBarrier); break;
  }
  how.setPresolveType(options.presolve ? ClpSolve::presolveOn : ClpSolve::presolveOff);
  model.initialSolve(how);
  auto conclusive = [&] { return model.status() >= 0 && model.status() <= 2; };
  if (options.algorithm == Algorithm::kInteriorPoint && !conclusive()) {
    // The barrier or its crossover gave up: finish with the dual simplex from where it got.
    model.dual();
  }
  if (model.status() == 0) {
    // CLP's tolerances (1e-7) apply to the scaled program, and it may call a basis optimal
    // whose unscaled values still break bounds by about that much (secondaryStatus 2): on a
    // sequence-form LP that showed as a deviation gain of 0.008. A dual simplex pass from the
    // final basis on the unscaled program with tolerances of 1e-10 removes it, usually in a
    // few iterations. Should that pass itself fail, the first optimum stands.
    LpSolution first = Read(model, rows, cols, Status::kOptimal);
    model.scaling(0);
    model.setPrimalTolerance(kCleanupTolerance);
    model.setDualTolerance(kCleanupTolerance);
    model.dual();
    if (model.status() != 0) return first;
  }

  Status status;
  switch (model.status()) {
    case 0: status = Status::kOptimal; break;
    case 1: status = Status::kInfeasible; break;
    case 2: status = Status::kUnbounded; break;
    default:
      return Stopped("the LP solver stopped without a conclusion (CLP status " +
                     std::to_string(model.status()) + ")", rows, cols);
  }
  return Read(model, rows, cols, status);
}

}  // namespace parley::lp
