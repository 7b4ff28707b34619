#include "solver/lp/linear_program.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "solver/model/error.h"

namespace parley::lp {
namespace {

void CheckBounds(double lower, double upper, const char* what) {
  if (std::isnan(lower) || std::isnan(upper)) {
    throw ValidationError(std::string("LP ") + what + " bound is NaN");
  }
  if (lower > upper || lower == kInfinity || upper == -kInfinity) {
    throw ValidationError(std::string("LP ") + what + " bounds are empty: lower " +
                          std::to_string(lower) + " > upper " + std::to_string(upper));
  }
}

int BoundType(double lower, double upper) {
  bool has_lower = std::isfinite(lower), has_upper = std::isfinite(upper);
  if (has_lower && has_upper) return lower == upper ? GLP_FX : GLP_DB;
  if (has_lower) return GLP_LO;
  if (has_upper) return GLP_UP;
  return GLP_FR;
}

double Finite(double value) { return std::isfinite(value) ? value : 0.0; }

struct ProblemDeleter {
  void operator()(glp_prob* problem) const { glp_delete_prob(problem); }
};

// Reads the interior-point solution (glp_interior, Makhorin's primal-dual method with
// Mehrotra's predictor-corrector); there is no basis, so values are accurate to ~1e-8.
LpSolution InteriorPoint(glp_prob* problem, int rows, int cols) {
  glp_iptcp parameters;
  glp_init_iptcp(&parameters);
  parameters.msg_lev = GLP_MSG_OFF;
  int code = glp_interior(problem, &parameters);
  if (code != 0) {
    throw LimitError("the interior-point LP solver stopped without a conclusion (GLPK code " +
                     std::to_string(code) + ", " + std::to_string(rows) + " rows, " +
                     std::to_string(cols) + " columns)");
  }
  LpSolution solution;
  int status = glp_ipt_status(problem);
  if (status == GLP_OPT)
    solution.status = Status::kOptimal;
  else if (status == GLP_NOFEAS || status == GLP_INFEAS)
    solution.status = Status::kInfeasible;
  else
    throw LimitError("the interior-point LP solver ended in an undetermined state (GLPK status " +
                     std::to_string(status) + ")");
  solution.objective = glp_ipt_obj_val(problem);
  solution.primal.resize(cols);
  solution.reduced_costs.resize(cols);
  for (int j = 0; j < cols; ++j) {
    solution.primal[j] = glp_ipt_col_prim(problem, j + 1);
    solution.reduced_costs[j] = glp_ipt_col_dual(problem, j + 1);
  }
  solution.row_duals.resize(rows);
  solution.row_activity.resize(rows);
  for (int i = 0; i < rows; ++i) {
    solution.row_duals[i] = glp_ipt_row_dual(problem, i + 1);
    solution.row_activity[i] = glp_ipt_row_prim(problem, i + 1);
  }
  return solution;
}

}  // namespace

std::string ToString(Status status) {
  switch (status) {
    case Status::kOptimal: return "optimal";
    case Status::kInfeasible: return "infeasible";
    case Status::kUnbounded: return "unbounded";
  }
  return "unknown";
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
  int row = num_rows();
  std::size_t first = entry_value_.size();
  for (std::size_t k : order) {
    int column = columns[k];
    double value = coefficients[k];
    if (column < 0 || column >= num_columns()) throw ValidationError("LP row: unknown column");
    if (!std::isfinite(value)) throw ValidationError("LP coefficient is not finite");
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

LpSolution LinearProgram::Solve(const SolveOptions& options) const {
  glp_term_out(GLP_OFF);
  std::unique_ptr<glp_prob, ProblemDeleter> holder(glp_create_prob());
  glp_prob* problem = holder.get();
  glp_set_obj_dir(problem, sense_ == Sense::kMaximize ? GLP_MAX : GLP_MIN);
  int rows = num_rows(), cols = num_columns();
  // GLPK wants at least one row and one column; empty ones change nothing.
  int glpk_rows = std::max(rows, 1), glpk_cols = std::max(cols, 1);
  glp_add_rows(problem, glpk_rows);
  glp_add_cols(problem, glpk_cols);
  for (int i = 0; i < rows; ++i) {
    glp_set_row_bnds(problem, i + 1, BoundType(row_lower_[i], row_upper_[i]),
                     Finite(row_lower_[i]), Finite(row_upper_[i]));
  }
  if (rows == 0) glp_set_row_bnds(problem, 1, GLP_FR, 0.0, 0.0);
  for (int j = 0; j < cols; ++j) {
    glp_set_col_bnds(problem, j + 1, BoundType(col_lower_[j], col_upper_[j]),
                     Finite(col_lower_[j]), Finite(col_upper_[j]));
    glp_set_obj_coef(problem, j + 1, objective_[j]);
  }
  if (cols == 0) glp_set_col_bnds(problem, 1, GLP_FX, 0.0, 0.0);

  // One bulk load; GLPK's arrays are 1-based with element 0 unused.
  std::size_t nonzeros = entry_value_.size();
  std::vector<int> ia(nonzeros + 1), ja(nonzeros + 1);
  std::vector<double> ar(nonzeros + 1);
  for (std::size_t k = 0; k < nonzeros; ++k) {
    ia[k + 1] = entry_row_[k] + 1;
    ja[k + 1] = entry_col_[k] + 1;
    ar[k + 1] = entry_value_[k];
  }
  glp_load_matrix(problem, static_cast<int>(nonzeros), ia.data(), ja.data(), ar.data());

  if (options.scale) glp_scale_prob(problem, GLP_SF_AUTO);
  if (options.algorithm == Algorithm::kInteriorPoint) return InteriorPoint(problem, rows, cols);
  if (options.advanced_basis)
    glp_adv_basis(problem, 0);
  else
    glp_std_basis(problem);
  glp_smcp parameters;
  glp_init_smcp(&parameters);
  parameters.msg_lev = GLP_MSG_OFF;
  parameters.presolve = options.presolve ? GLP_ON : GLP_OFF;
  if (options.algorithm == Algorithm::kDualSimplex) parameters.meth = GLP_DUALP;
  int code = glp_simplex(problem, &parameters);
  if (code == GLP_ESING || code == GLP_ECOND) {
    // The advanced basis was numerically poor: restart from the standard basis.
    glp_std_basis(problem);
    code = glp_simplex(problem, &parameters);
  }
  if (options.presolve && (code == GLP_ENOPFS || code == GLP_ENODFS)) {
    // The presolver proved there is no optimum but leaves no basis to read: say which.
    LpSolution solution;
    solution.status = code == GLP_ENOPFS ? Status::kInfeasible : Status::kUnbounded;
    solution.primal.assign(cols, 0.0);
    solution.reduced_costs.assign(cols, 0.0);
    solution.row_duals.assign(rows, 0.0);
    solution.row_activity.assign(rows, 0.0);
    return solution;
  }
  if (code != 0) {
    throw LimitError("the LP solver stopped without a conclusion (GLPK code " +
                     std::to_string(code) + ", " + std::to_string(rows) + " rows, " +
                     std::to_string(cols) + " columns)");
  }
  LpSolution solution;
  int status = glp_get_status(problem);
  if (status == GLP_OPT) {
    solution.status = Status::kOptimal;
  } else if (status == GLP_NOFEAS || glp_get_prim_stat(problem) == GLP_NOFEAS) {
    solution.status = Status::kInfeasible;
  } else if (status == GLP_UNBND || glp_get_dual_stat(problem) == GLP_NOFEAS) {
    solution.status = Status::kUnbounded;
  } else {
    throw LimitError("the LP solver ended in an undetermined state (GLPK status " +
                     std::to_string(status) + ")");
  }
  solution.objective = glp_get_obj_val(problem);
  solution.primal.resize(cols);
  solution.reduced_costs.resize(cols);
  for (int j = 0; j < cols; ++j) {
    solution.primal[j] = glp_get_col_prim(problem, j + 1);
    solution.reduced_costs[j] = glp_get_col_dual(problem, j + 1);
  }
  solution.row_duals.resize(rows);
  solution.row_activity.resize(rows);
  for (int i = 0; i < rows; ++i) {
    solution.row_duals[i] = glp_get_row_dual(problem, i + 1);
    solution.row_activity[i] = glp_get_row_prim(problem, i + 1);
  }
  return solution;
}

}  // namespace parley::lp
