// A small linear-programming interface over two engines: GLPK (Makhorin, GLPK reference
// manual: glp_simplex, glp_interior), the default, and COIN-OR CLP (Forrest and others; the
// ClpSimplex class), several times faster per simplex iteration on large sparse programs such as
// sequence-form LPs. GLPK is linked; CLP (EPL-1.0, not GPL-compatible) is by default the
// separate `clp` program, run on an MPS file (clp_program.cc), and linked in-process only in a
// private build configured with -DPARLEY_WITH_CLP_LIBRARY=ON (clp_engine.cc). This folder is the
// only code that includes glpk.h or CLP's headers: everything else states its LP through
// LinearProgram and reads back a LpSolution.
//
// The program is built column by column and row by row (sparse coefficients), then Solve()
// loads it into the engine in one bulk call, so programs with thousands of sparse rows and
// columns cost one pass over their nonzeros.
#pragma once

#include <limits>
#include <span>
#include <string>
#include <vector>

namespace parley::lp {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

enum class Sense { kMaximize, kMinimize };
// kStopped: the engine ended without a conclusion (iteration or time limit, numerical
// trouble, the clp program failing); LpSolution::stopped says why. A caller may try another
// engine, or call ThrowIfStopped.
enum class Status { kOptimal, kInfeasible, kUnbounded, kStopped };

// "optimal", "infeasible", "unbounded", "stopped".
std::string ToString(Status status);

// Which library solves the program. Both return a basic (vertex) solution from their simplex
// methods, so either answer can be checked the same way.
enum class Engine {
  kGlpk,  // GLPK: the default; small and medium programs (bargaining, matrix games)
  kClp,   // COIN-OR CLP: large sparse programs (sequence-form LPs with thousands of rows).
          // The `clp` program as a separate process ($PARLEY_CLP, else `clp` on $PATH); when
          // there is none, GLPK with a note (LpSolution::note). In-process CLP in a build with
          // PARLEY_WITH_CLP_LIBRARY (private use only: that binary cannot be distributed).
};

// How Solve() runs the engine. The defaults are GLPK's primal simplex from an advanced basis,
// with automatic scaling and no presolve.
enum class Algorithm {
  kPrimalSimplex,  // GLPK: glp_simplex, GLP_PRIMAL; CLP: ClpSimplex::primal
  kDualSimplex,    // GLPK: GLP_DUALP (falls back to primal if the dual phase fails);
                   // CLP: ClpSimplex::dual
  kInteriorPoint,  // GLPK: glp_interior, no basis, so values are approximate (~1e-8);
                   // CLP: its barrier method followed by a crossover to a basic solution
                   // (and the dual simplex if either gives up)
};
struct SolveOptions {
  Engine engine = Engine::kGlpk;
  Algorithm algorithm = Algorithm::kPrimalSimplex;
  bool presolve = false;       // the engine's LP presolver (simplex and CLP's barrier)
  bool scale = true;           // GLPK: glp_scale_prob(GLP_SF_AUTO); CLP: its automatic scaling
  bool advanced_basis = true;  // GLPK only: glp_adv_basis as the starting basis, else
                               // glp_std_basis (CLP chooses its own crash)
  // GLPK simplex only: solve in rational arithmetic, every double taken as the rational it
  // is: the basis is exactly optimal for the program as given (or the program is proved
  // infeasible or unbounded) and the values are that basis' solution, rounded once to doubles.
  // Up to 64 rows, a primal simplex in GMP rationals started from GLPK's floating-point basis
  // (exact_simplex.h); beyond, glp_exact, which reads each double to about ten digits. For
  // small programs (bargaining LPs: a row per player): the floating-point simplex's absolute
  // tolerances (1e-7 on bounds and reduced costs) decide such programs wrongly, or loop, on
  // payoffs far from 1.
  bool exact = false;
  double time_limit_seconds = 3600;  // the clp program only: it is stopped after this long
                                     // (Status::kStopped)
};

struct LpSolution {
  Status status = Status::kInfeasible;
  double objective = 0.0;           // meaningful when optimal
  std::vector<double> primal;       // one value per column
  std::vector<double> row_duals;    // one per row: d objective / d (row bound)
  std::vector<double> reduced_costs;  // one per column
  std::vector<double> row_activity;   // one per row: sum of coefficient * primal
  // One per later objective (LinearProgram::AddLaterObjective), its optimal value in order.
  std::vector<double> later_objectives;
  std::string note;  // why another engine than the one asked for solved it; empty otherwise
  std::string stopped;  // kStopped: why the engine ended without a conclusion
};

// Throws LimitError with `solution.stopped` when the status is kStopped: for callers that
// have no other engine to try.
void ThrowIfStopped(const LpSolution& solution);

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
  // Lexicographic optimisation, exact solving only (SolveOptions::exact, at most 64 rows; any
  // other solve stops with a reason): after the objective, each later objective (one
  // coefficient per column, columns added later count 0) is optimised in turn, in the
  // program's sense, over the optima of those before it. Exact: a later objective never buys
  // anything with a loss in an earlier one, however small.
  void AddLaterObjective(std::vector<double> coefficients);
  const std::vector<std::vector<double>>& later_objectives() const { return later_objectives_; }

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

  // Solves by GLPK's primal simplex method (presolve off, no terminal output). An engine that
  // stops without a conclusion (iteration limit, numerical trouble) gives Status::kStopped.
  LpSolution Solve() const { return Solve(SolveOptions{}); }
  // The same with the engine, algorithm and settings chosen by `options`.
  LpSolution Solve(const SolveOptions& options) const;

  // The program as stored, for the engines: bounds and objective per column and row, and the
  // nonzeros in coordinate form (row-major: rows in order of addition, columns ascending and
  // distinct within a row, no zeros).
  std::span<const double> column_lower() const { return col_lower_; }
  std::span<const double> column_upper() const { return col_upper_; }
  std::span<const double> objective_coefficients() const { return objective_; }
  std::span<const double> row_lower() const { return row_lower_; }
  std::span<const double> row_upper() const { return row_upper_; }
  std::span<const int> entry_rows() const { return entry_row_; }
  std::span<const int> entry_columns() const { return entry_col_; }
  std::span<const double> entry_values() const { return entry_value_; }

 private:
  Sense sense_;
  std::vector<double> col_lower_, col_upper_, objective_;
  std::vector<std::vector<double>> later_objectives_;
  std::vector<double> row_lower_, row_upper_;
  // Coordinate form, one entry per nonzero, rows in order of addition.
  std::vector<int> entry_row_, entry_col_;
  std::vector<double> entry_value_;
};

}  // namespace parley::lp
