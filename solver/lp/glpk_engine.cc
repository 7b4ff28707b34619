// The GLPK engine of LinearProgram (Makhorin, GLPK reference manual: glp_simplex,
// glp_interior).
#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "solver/lp/engines.h"
#include "solver/lp/exact_simplex.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::lp {
namespace {

int BoundType(double lower, double upper) {
  bool has_lower = std::isfinite(lower), has_upper = std::isfinite(upper);
  if (has_lower && has_upper) return lower == upper ? GLP_FX : GLP_DB;
  if (has_lower) return GLP_LO;
  if (has_upper) return GLP_UP;
  return GLP_FR;
}

double Finite(double value) { return std::isfinite(value) ? value : 0.0; }

// GLPK creates an environment for each thread on its first call (thread-local storage, when
// glp_config("TLS") names it, as in Debian's build) and frees it only in glp_free_env. A worker
// thread that solved an LP would leave it behind at exit (LeakSanitizer reports it), so the
// first call on a thread registers a thread_local guard whose destructor frees it when the
// thread ends; the main thread's goes at exit. Without thread-local storage there is one
// shared environment, which must not be freed under other threads' feet: no guard then.
struct ThreadEnvironmentGuard {
  ~ThreadEnvironmentGuard() { glp_free_env(); }
};

void FreeEnvironmentAtThreadExit() {
  static const bool per_thread = glp_config("TLS") != nullptr;
  if (!per_thread) return;
  thread_local ThreadEnvironmentGuard guard;
  (void)guard;
}

struct ProblemDeleter {
  void operator()(glp_prob* problem) const { glp_delete_prob(problem); }
};

// GLPK reads a simplex solution and an interior-point one through parallel functions
// (glp_get_col_prim / glp_ipt_col_prim, ...): one table per kind of solution.
struct SolutionReaders {
  double (*objective)(glp_prob*);
  double (*column_primal)(glp_prob*, int);
  double (*column_dual)(glp_prob*, int);
  double (*row_primal)(glp_prob*, int);
  double (*row_dual)(glp_prob*, int);
};
constexpr SolutionReaders kSimplexReaders = {glp_get_obj_val, glp_get_col_prim, glp_get_col_dual,
                                             glp_get_row_prim, glp_get_row_dual};
constexpr SolutionReaders kInteriorReaders = {glp_ipt_obj_val, glp_ipt_col_prim, glp_ipt_col_dual,
                                              glp_ipt_row_prim, glp_ipt_row_dual};

// The values of a solved problem (GLPK's indices are 1-based).
void ReadValues(glp_prob* problem, int rows, int cols, const SolutionReaders& read,
                LpSolution& solution) {
  solution.objective = read.objective(problem);
  solution.primal.resize(cols);
  solution.reduced_costs.resize(cols);
  for (int j = 0; j < cols; ++j) {
    solution.primal[j] = read.column_primal(problem, j + 1);
    solution.reduced_costs[j] = read.column_dual(problem, j + 1);
  }
  solution.row_duals.resize(rows);
  solution.row_activity.resize(rows);
  for (int i = 0; i < rows; ++i) {
    solution.row_duals[i] = read.row_dual(problem, i + 1);
    solution.row_activity[i] = read.row_primal(problem, i + 1);
  }
}

// Where GLPK's last basis leaves each variable (columns, then rows), for SolveExactly.
std::vector<ExactStart> GlpkBasis(glp_prob* problem, int rows, int cols) {
  std::vector<ExactStart> start(static_cast<std::size_t>(rows + cols));
  auto of = [](int stat) {
    switch (stat) {
      case GLP_BS: return ExactStart::kBasic;
      case GLP_NU: return ExactStart::kAtUpper;
      case GLP_NF: return ExactStart::kFree;
      default: return ExactStart::kAtLower;  // GLP_NL, GLP_NS
    }
  };
  for (int j = 0; j < cols; ++j) start[static_cast<std::size_t>(j)] = of(glp_get_col_stat(problem, j + 1));
  for (int i = 0; i < rows; ++i) start[static_cast<std::size_t>(cols + i)] = of(glp_get_row_stat(problem, i + 1));
  return start;
}

// Reads the interior-point solution (glp_interior, Makhorin's primal-dual method with
// Mehrotra's predictor-corrector); there is no basis, so values are accurate to ~1e-8.
LpSolution InteriorPoint(glp_prob* problem, int rows, int cols) {
  glp_iptcp parameters;
  glp_init_iptcp(&parameters);
  parameters.msg_lev = GLP_MSG_OFF;
  int code = glp_interior(problem, &parameters);
  if (code != 0) {
    return Stopped("the interior-point LP solver stopped without a conclusion (GLPK code " +
                       std::to_string(code) + ")", rows, cols);
  }
  LpSolution solution;
  int status = glp_ipt_status(problem);
  if (status == GLP_OPT)
    solution.status = Status::kOptimal;
  else if (status == GLP_NOFEAS || status == GLP_INFEAS)
    solution.status = Status::kInfeasible;
  else
    return Stopped("the interior-point LP solver ended in an undetermined state (GLPK status " +
                   std::to_string(status) + ")", rows, cols);
  ReadValues(problem, rows, cols, kInteriorReaders, solution);
  return solution;
}

}  // namespace

LpSolution SolveWithGlpk(const LinearProgram& program, const SolveOptions& options) {
  FreeEnvironmentAtThreadExit();
  glp_term_out(GLP_OFF);
  std::unique_ptr<glp_prob, ProblemDeleter> holder(glp_create_prob());
  glp_prob* problem = holder.get();
  glp_set_obj_dir(problem, program.sense() == Sense::kMaximize ? GLP_MAX : GLP_MIN);
  int rows = program.num_rows(), cols = program.num_columns();
  auto row_lower = program.row_lower(), row_upper = program.row_upper();
  auto col_lower = program.column_lower(), col_upper = program.column_upper();
  auto objective = program.objective_coefficients();
  // GLPK wants at least one row and one column; empty ones change nothing.
  int glpk_rows = std::max(rows, 1), glpk_cols = std::max(cols, 1);
  glp_add_rows(problem, glpk_rows);
  glp_add_cols(problem, glpk_cols);
  for (int i = 0; i < rows; ++i) {
    glp_set_row_bnds(problem, i + 1, BoundType(row_lower[i], row_upper[i]),
                     Finite(row_lower[i]), Finite(row_upper[i]));
  }
  if (rows == 0) glp_set_row_bnds(problem, 1, GLP_FR, 0.0, 0.0);
  for (int j = 0; j < cols; ++j) {
    glp_set_col_bnds(problem, j + 1, BoundType(col_lower[j], col_upper[j]),
                     Finite(col_lower[j]), Finite(col_upper[j]));
    glp_set_obj_coef(problem, j + 1, objective[j]);
  }
  if (cols == 0) glp_set_col_bnds(problem, 1, GLP_FX, 0.0, 0.0);

  // One bulk load; GLPK's arrays are 1-based with element 0 unused.
  auto entry_row = program.entry_rows(), entry_col = program.entry_columns();
  auto entry_value = program.entry_values();
  std::size_t nonzeros = entry_value.size();
  std::vector<int> ia(nonzeros + 1), ja(nonzeros + 1);
  std::vector<double> ar(nonzeros + 1);
  for (std::size_t k = 0; k < nonzeros; ++k) {
    ia[k + 1] = entry_row[k] + 1;
    ja[k + 1] = entry_col[k] + 1;
    ar[k + 1] = entry_value[k];
  }
  glp_load_matrix(problem, static_cast<int>(nonzeros), ia.data(), ja.data(), ar.data());

  // GLPK's automatic scaling divides by a coefficient's magnitude and stops the process when a
  // factor is no double: a lone coefficient below about 1e-165 or above about 1e155 does it
  // (a subnormal one always). Such a program is not scaled: in exact arithmetic that costs
  // nothing (glp_exact reads the program as given); in floating point, whose tolerances are
  // absolute, it is refused with a reason instead. The sequence-form LP scales its payoffs
  // near 1 and drops entries below 2^-400 of the largest first, so it never gets here.
  constexpr double kSmallest = 0x1p-400, kLargest = 0x1p400;  // about 3.9e-121 and 2.6e120
  bool scalable = true;
  for (double a : entry_value) {
    const double magnitude = std::abs(a);
    if (magnitude == 0 || (magnitude >= kSmallest && magnitude <= kLargest)) continue;
    if (!options.exact) {
      return Stopped("the LP has a coefficient of " + FormatSignificant(a, 3) +
                         ", beyond what the LP solver's scaling takes (magnitudes from about 1e-120 to 1e120)",
                     rows, cols);
    }
    scalable = false;
  }

  if (options.scale && scalable) glp_scale_prob(problem, GLP_SF_AUTO);
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
  // Exact and small: GLPK's floating-point simplex finds a basis, usually the optimal one, and
  // the rational simplex here (exact_simplex.h) takes it from there. glp_exact is not used for
  // these: it reads each double to about ten digits (exact_simplex.h says why that matters).
  if (options.exact && rows <= kExactSimplexMaxRows && options.algorithm != Algorithm::kInteriorPoint) {
    glp_smcp quick = parameters;
    quick.it_lim = 1000 + 20 * (rows + cols);
    quick.presolve = GLP_OFF;  // a basis to start from, whatever the simplex concludes
    glp_simplex(problem, &quick);
    LpSolution solution;
    if (SolveExactly(program, GlpkBasis(problem, rows, cols), solution)) return solution;
    if (!program.later_objectives().empty())
      return Stopped("the rational simplex stopped at its pivot limit", rows, cols);
    glp_std_basis(problem);  // the rational simplex gave up (its pivot limit): GLPK's own
  }
  auto run = [&] {
    if (!options.exact) return glp_simplex(problem, &parameters);
    // The floating-point simplex first, for a basis near the optimum (on payoffs far from 1
    // its tolerances can make it cycle: it gets an iteration limit), then the rational one
    // from whatever basis it left.
    glp_smcp quick = parameters;
    quick.it_lim = 1000 + 20 * (rows + cols);
    if (glp_simplex(problem, &quick) != 0 && glp_bf_exists(problem) == 0) glp_std_basis(problem);
    return glp_exact(problem, &parameters);
  };
  int code = run();
  if (code == GLP_ESING || code == GLP_ECOND || code == GLP_EBADB) {
    // The advanced basis was numerically poor (or singular): restart from the standard basis.
    glp_std_basis(problem);
    code = run();
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
    return Stopped("the LP solver stopped without a conclusion (GLPK code " + std::to_string(code) + ")",
                   rows, cols);
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
    return Stopped("the LP solver ended in an undetermined state (GLPK status " + std::to_string(status) + ")",
                   rows, cols);
  }
  ReadValues(problem, rows, cols, kSimplexReaders, solution);
  return solution;
}

}  // namespace parley::lp
