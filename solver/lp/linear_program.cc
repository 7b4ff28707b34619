#include "solver/lp/linear_program.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "solver/lp/engines.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::lp {
namespace {

void CheckBounds(double lower, double upper, const char* what) {
  if (std::isnan(lower) || std::isnan(upper)) {
    throw ValidationError(std::string("LP ") + what + " bound is NaN");
  }
  if (lower > upper || lower == kInfinity || upper == -kInfinity) {
    throw ValidationError(std::string("LP ") + what + " bounds are empty: lower " +
                          FormatDouble(lower) + " > upper " + FormatDouble(upper));
  }
}

}  // namespace

std::string ToString(Status status) {
  switch (status) {
    case Status::kOptimal: return "optimal";
    case Status::kInfeasible: return "infeasible";
    case Status::kUnbounded: return "unbounded";
    case Status::kStopped: return "stopped";
  }
  return "unknown";
}

void ThrowIfStopped(const LpSolution& solution) {
  if (solution.status == Status::kStopped) throw LimitError(solution.stopped);
}

LpSolution Stopped(std::string why, int rows, int cols) {
  LpSolution s;
  s.status = Status::kStopped;
  s.stopped = std::move(why) + " (" + std::to_string(rows) + " rows, " + std::to_string(cols) +
              " columns)";
  s.primal.assign(static_cast<std::size_t>(cols), 0.0);
  s.reduced_costs.assign(static_cast<std::size_t>(cols), 0.0);
  s.row_duals.assign(static_cast<std::size_t>(rows), 0.0);
  s.row_activity.assign(static_cast<std::size_t>(rows), 0.0);
  return s;
}

int LinearProgram::AddColumn(double lower, double upper, double objective) {
  CheckBounds(lower, upper, "column");
  if (!std::isfinite(objective)) throw ValidationError("LP objective coefficient is not finite");
  col_lower_.push_back(lower);
  col_upper_.push_back(upper);
  objective_.push_back(objective);
  return num_columns() - 1;
}

void LinearProgram::SetObjective(int column, double coefficient) {
  if (column < 0 || column >= num_columns()) throw ValidationError("LP column out of range");
  if (!std::isfinite(coefficient)) throw ValidationError("LP objective coefficient is not finite");
  objective_[column] = coefficient;
}

int LinearProgram::AddRow(double lower, double upper, std::span<const int> columns,
                          std::span<const double> coefficients) {
  CheckBounds(lower, upper, "row");
  if (columns.size() != coefficients.size()) {
    throw ValidationError("LP row: as many columns as coefficients are needed");
  }
  // Sort this row's entries by column and merge repeats: GLPK aborts on duplicates.
  std::vector<std::size_t> order(columns.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  bool sorted = std::is_sorted(columns.begin(), columns.end());
  if (!sorted) {
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return columns[a] < columns[b]; });
  }
  // Check everything first, so that a refused row leaves the program as it was.
  for (std::size_t k = 0; k < columns.size(); ++k) {
    if (columns[k] < 0 || columns[k] >= num_columns()) throw ValidationError("LP row: unknown column");
    if (!std::isfinite(coefficients[k])) throw ValidationError("LP coefficient is not finite");
  }
  int row = num_rows();
  std::size_t first = entry_value_.size();
  for (std::size_t k : order) {
    int column = columns[k];
    double value = coefficients[k];
    if (entry_value_.size() > first && entry_col_.back() == column) {
      entry_value_.back() += value;
    } else {
      entry_row_.push_back(row);
      entry_col_.push_back(column);
      entry_value_.push_back(value);
    }
  }
  // Drop zeros (including repeats that cancelled).
  std::size_t out = first;
  for (std::size_t k = first; k < entry_value_.size(); ++k) {
    if (entry_value_[k] == 0.0) continue;
    entry_row_[out] = entry_row_[k];
    entry_col_[out] = entry_col_[k];
    entry_value_[out] = entry_value_[k];
    ++out;
  }
  entry_row_.resize(out);
  entry_col_.resize(out);
  entry_value_.resize(out);
  row_lower_.push_back(lower);
  row_upper_.push_back(upper);
  return row;
}

int LinearProgram::AddDenseRow(double lower, double upper, std::span<const double> coefficients) {
  if (coefficients.size() != static_cast<std::size_t>(num_columns())) {
    throw ValidationError("LP dense row: one coefficient per column is needed");
  }
  std::vector<int> columns(coefficients.size());
  std::iota(columns.begin(), columns.end(), 0);
  return AddRow(lower, upper, columns, coefficients);
}

void LinearProgram::AddLaterObjective(std::vector<double> coefficients) {
  for (double c : coefficients)
    if (!std::isfinite(c)) throw ValidationError("a later objective's coefficient is not finite");
  later_objectives_.push_back(std::move(coefficients));
}

LpSolution LinearProgram::Solve(const SolveOptions& options) const {
  if (!later_objectives_.empty() && (!options.exact || options.engine != Engine::kGlpk ||
                                     options.algorithm == Algorithm::kInteriorPoint || num_rows() > 64))
    return Stopped("later objectives are solved only exactly, on programs of at most 64 rows", num_rows(),
                   num_columns());
  if (options.engine == Engine::kGlpk) return SolveWithGlpk(*this, options);
#ifdef PARLEY_WITH_CLP_LIBRARY
  return SolveWithClpLibrary(*this, options);
#else
  return SolveWithClpProgram(*this, options);
#endif
}

}  // namespace parley::lp
