// A small linear-programming interface over GLPK (Makhorin, GLPK reference manual: glp_simplex,
// glp_interior). This folder is the only code that includes glpk.h: everything else
// states its LP through LinearProgram and reads back a LpSolution.
//
// The program is built column by column and row by row (sparse coefficients), then Solve()
// loads it into GLPK in one bulk glp_load_matrix call, so programs with thousands of sparse
// rows and columns (sequence-form LPs) cost one pass over their nonzeros.
#pragma once

#include <limits>
#include <span>
#include <string>
#include <vector>

namespace parley::lp {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

enum class Sense { kMaximize, kMinimize };
enum class Status { kOptimal, kInfeasible, kUnbounded };

// "optimal", "infeasible", "unbounded".
std::string ToString(Status status);

// How Solve() runs GLPK. The defaults are the original behaviour (primal simplex from an
// advanced basis, automatic scaling, no presolve); large sparse LPs (sequence-form LPs) are
// often much faster with the dual simplex.
enum class Algorithm {
  kPrimalSimplex,  // glp_simplex, GLP_PRIMAL
  kDualSimplex,    // glp_simplex, GLP_DUALP (falls back to primal if the dual phase fails)
  kInteriorPoint,  // glp_interior: no basis, so duals and primals are approximate (~1e-8)
};
struct SolveOptions {
  Algorithm algorithm = Algorithm::kPrimalSimplex;
  bool presolve = false;       // GLPK's LP presolver (simplex only)
  bool scale = true;           // glp_scale_prob(GLP_SF_AUTO)
  bool advanced_basis = true;  // glp_adv_basis as the starting basis, else glp_std_basis
};

struct LpSolution {
  Status status = Status::kInfeasible;
  double objective = 0.0;           // meaningful when optimal
  std::vector<double> primal;       // one value per column
  std::vector<double> row_duals;    // one per row: d objective / d (row bound)
  std::vector<double> reduced_costs;  // one per column
  std::vector<double> row_activity;   // one per row: sum of coefficient * primal
};

class LinearProgram {
 public:
  explicit LinearProgram(Sense sense = Sense::kMaximize) : sense_(sense) {}

  void SetSense(Sense sense) { sense_ = sense; }
  Sense sense() const { return sense_; }

  // Adds a column lower <= x <= upper (either may be infinite) with its objective coefficient;
  // returns its index (0-based). Throws ValidationError on NaN or lower > upper.
  int AddColumn(double lower, double upper, double objective);
  void SetObjective(int column, double coefficient);
  double objective(int column) const { return objective_[column]; }

  // Adds a row lower <= sum coefficients[k] * x[columns[k]] <= upper; returns its index.
  // Repeated columns in one row are summed; zero coefficients are dropped.
  // Throws ValidationError on NaN, infinite coefficients, unknown columns or lower > upper.
  int AddRow(double lower, double upper, std::span<const int> columns,
             std::span<const double> coefficients);
  // Convenience: a dense row over all columns added so far (zeros skipped).
  int AddDenseRow(double lower, double upper, std::span<const double> coefficients);

  int num_columns() const { return static_cast<int>(objective_.size()); }
  int num_rows() const { return static_cast<int>(row_lower_.size()); }
  std::size_t num_nonzeros() const { return entry_value_.size(); }

  // Solves by the primal simplex method (presolve off, GLPK terminal output off).
  // Throws LimitError if GLPK stops without a conclusion (iteration limit, numerical trouble).
  LpSolution Solve() const { return Solve(SolveOptions{}); }
  // The same with the algorithm and GLPK settings chosen by `options`.
  LpSolution Solve(const SolveOptions& options) const;

 private:
  Sense sense_;
  std::vector<double> col_lower_, col_upper_, objective_;
  std::vector<double> row_lower_, row_upper_;
  // Coordinate form, one entry per nonzero, rows in order of addition.
  std::vector<int> entry_row_, entry_col_;
  std::vector<double> entry_value_;
};

}  // namespace parley::lp
