#include "solver/lp/exact_simplex.h"

#include <gmpxx.h>

#include <cmath>
#include <cstddef>
#include <optional>
#include <vector>

#include "solver/model/number.h"

namespace parley::lp {
namespace {

// The program in the form the method works on: minimise cost . v over the variables
// v = (x, r), columns then rows, subject to A x - r = 0 and each variable's bounds. The
// auxiliary variable of row i has the column -e_i and cost 0.
class ExactSimplex {
 public:
  explicit ExactSimplex(const LinearProgram& program);

  // Runs both phases from `start`; false when the pivot limit is reached.
  bool Run(const std::vector<ExactStart>& start);
  void Write(const LinearProgram& program, LpSolution& solution) const;

 private:
  enum class At : unsigned char { kBasic, kLower, kUpper, kZero };  // kZero: free, nonbasic

  std::size_t Variables() const { return columns_ + rows_; }
  bool IsStructural(std::size_t k) const { return k < columns_; }
  // alpha = B^-1 a_k.
  void Column(std::size_t k, std::vector<mpq_class>& alpha) const;
  // The basis' inverse by Gauss-Jordan elimination; false when the basis is singular.
  bool Invert();
  // Nonbasic variables at their bounds, basic ones x_B = B^-1 (-N x_N).
  void ComputeValues();
  void SlackBasis();
  // y^T = cost_B^T B^-1 and the reduced costs of the nonbasic variables for `cost`.
  void Prices(const std::vector<mpq_class>& cost);
  // cost . x over the variables.
  mpq_class Value(const std::vector<mpq_class>& cost) const {
    mpq_class total = 0;
    for (std::size_t k = 0; k < Variables(); ++k)
      if (sgn(cost[k]) != 0) total += cost[k] * x_[k];
    return total;
  }
  // One pass of the method with the phase's costs; returns false when no variable can enter.
  enum class Step { kPivoted, kOptimal, kUnbounded };
  Step Iterate(bool phase_one);

  std::size_t rows_, columns_;
  bool maximise_;
  // Column-major structural matrix.
  std::vector<std::size_t> start_;
  std::vector<std::size_t> row_of_;
  std::vector<mpq_class> value_;
  std::vector<mpq_class> lower_, upper_, cost_;
  std::vector<std::vector<mpq_class>> later_costs_;  // minimised, as cost_
  std::vector<mpq_class> later_values_;               // each later objective's optimum
  std::vector<char> has_lower_, has_upper_;

  std::vector<At> at_;
  std::vector<std::size_t> head_;  // the basic variable of each basis row
  std::vector<mpq_class> inverse_;  // rows_ x rows_, row-major
  std::vector<mpq_class> x_;
  std::vector<mpq_class> y_, reduced_;
  std::vector<mpq_class> phase_cost_;
  std::vector<mpq_class> alpha_;
  Status status_ = Status::kStopped;
};

ExactSimplex::ExactSimplex(const LinearProgram& program)
    : rows_(static_cast<std::size_t>(program.num_rows())),
      columns_(static_cast<std::size_t>(program.num_columns())),
      maximise_(program.sense() == Sense::kMaximize) {
  const std::size_t n = Variables();
  lower_.resize(n);
  upper_.resize(n);
  has_lower_.assign(n, 0);
  has_upper_.assign(n, 0);
  cost_.resize(n);
  auto set_bounds = [&](std::size_t k, double lower, double upper) {
    if (std::isfinite(lower)) {
      has_lower_[k] = 1;
      lower_[k] = lower;
    }
    if (std::isfinite(upper)) {
      has_upper_[k] = 1;
      upper_[k] = upper;
    }
  };
  auto objective = program.objective_coefficients();
  for (std::size_t j = 0; j < columns_; ++j) {
    set_bounds(j, program.column_lower()[j], program.column_upper()[j]);
    if (objective[j] != 0) cost_[j] = maximise_ ? -objective[j] : objective[j];
  }
  for (std::size_t i = 0; i < rows_; ++i) set_bounds(columns_ + i, program.row_lower()[i], program.row_upper()[i]);
  for (const std::vector<double>& later : program.later_objectives()) {
    std::vector<mpq_class>& costs = later_costs_.emplace_back(n);
    for (std::size_t j = 0; j < columns_ && j < later.size(); ++j)
      if (later[j] != 0) costs[j] = maximise_ ? -later[j] : later[j];
  }
  // Coordinate (row-major) to column-major.
  auto entry_row = program.entry_rows(), entry_col = program.entry_columns();
  auto entry_value = program.entry_values();
  start_.assign(columns_ + 1, 0);
  for (int j : entry_col) ++start_[static_cast<std::size_t>(j) + 1];
  for (std::size_t j = 0; j < columns_; ++j) start_[j + 1] += start_[j];
  row_of_.resize(entry_value.size());
  value_.resize(entry_value.size());
  std::vector<std::size_t> next(start_.begin(), start_.end() - 1);
  for (std::size_t e = 0; e < entry_value.size(); ++e) {
    const std::size_t at = next[static_cast<std::size_t>(entry_col[e])]++;
    row_of_[at] = static_cast<std::size_t>(entry_row[e]);
    value_[at] = entry_value[e];
  }
  x_.resize(n);
  reduced_.resize(n);
  phase_cost_.resize(n);
  y_.resize(rows_);
  alpha_.resize(rows_);
  inverse_.resize(rows_ * rows_);
}

void ExactSimplex::Column(std::size_t k, std::vector<mpq_class>& alpha) const {
  if (IsStructural(k)) {
    for (std::size_t r = 0; r < rows_; ++r) alpha[r] = 0;
    for (std::size_t e = start_[k]; e < start_[k + 1]; ++e)
      for (std::size_t r = 0; r < rows_; ++r) {
        const mpq_class& b = inverse_[r * rows_ + row_of_[e]];
        if (sgn(b) != 0) alpha[r] += b * value_[e];
      }
  } else {
    const std::size_t i = k - columns_;
    for (std::size_t r = 0; r < rows_; ++r) alpha[r] = -inverse_[r * rows_ + i];
  }
}

bool ExactSimplex::Invert() {
  const std::size_t m = rows_;
  // [B | I] reduced to [I | B^-1].
  std::vector<mpq_class> b(m * m), inverse(m * m);
  for (std::size_t p = 0; p < m; ++p) {
    const std::size_t k = head_[p];
    if (IsStructural(k)) {
      for (std::size_t e = start_[k]; e < start_[k + 1]; ++e) b[row_of_[e] * m + p] = value_[e];
    } else {
      b[(k - columns_) * m + p] = -1;
    }
    inverse[p * m + p] = 1;
  }
  for (std::size_t c = 0; c < m; ++c) {
    std::size_t pivot = c;
    while (pivot < m && sgn(b[pivot * m + c]) == 0) ++pivot;
    if (pivot == m) return false;
    if (pivot != c)
      for (std::size_t q = 0; q < m; ++q) {
        std::swap(b[pivot * m + q], b[c * m + q]);
        std::swap(inverse[pivot * m + q], inverse[c * m + q]);
      }
    const mpq_class scale = b[c * m + c];
    for (std::size_t q = 0; q < m; ++q) {
      b[c * m + q] /= scale;
      inverse[c * m + q] /= scale;
    }
    for (std::size_t r = 0; r < m; ++r) {
      if (r == c || sgn(b[r * m + c]) == 0) continue;
      const mpq_class factor = b[r * m + c];
      for (std::size_t q = 0; q < m; ++q) {
        b[r * m + q] -= factor * b[c * m + q];
        inverse[r * m + q] -= factor * inverse[c * m + q];
      }
    }
  }
  inverse_ = std::move(inverse);
  return true;
}

void ExactSimplex::SlackBasis() {
  for (std::size_t k = 0; k < columns_; ++k)
    at_[k] = has_lower_[k] ? At::kLower : has_upper_[k] ? At::kUpper : At::kZero;
  for (std::size_t i = 0; i < rows_; ++i) {
    at_[columns_ + i] = At::kBasic;
    head_[i] = columns_ + i;
  }
}

void ExactSimplex::ComputeValues() {
  std::vector<mpq_class> rhs(rows_);  // -N x_N
  for (std::size_t k = 0; k < Variables(); ++k) {
    switch (at_[k]) {
      case At::kBasic: continue;
      case At::kLower: x_[k] = lower_[k]; break;
      case At::kUpper: x_[k] = upper_[k]; break;
      case At::kZero: x_[k] = 0; break;
    }
    if (sgn(x_[k]) == 0) continue;
    if (IsStructural(k)) {
      for (std::size_t e = start_[k]; e < start_[k + 1]; ++e) rhs[row_of_[e]] -= value_[e] * x_[k];
    } else {
      rhs[k - columns_] += x_[k];
    }
  }
  for (std::size_t p = 0; p < rows_; ++p) {
    mpq_class sum = 0;
    for (std::size_t i = 0; i < rows_; ++i)
      if (sgn(rhs[i]) != 0) sum += inverse_[p * rows_ + i] * rhs[i];
    x_[head_[p]] = sum;
  }
}

void ExactSimplex::Prices(const std::vector<mpq_class>& cost) {
  for (std::size_t i = 0; i < rows_; ++i) {
    mpq_class sum = 0;
    for (std::size_t p = 0; p < rows_; ++p) {
      const mpq_class& c = cost[head_[p]];
      if (sgn(c) != 0) sum += c * inverse_[p * rows_ + i];
    }
    y_[i] = sum;
  }
  for (std::size_t k = 0; k < Variables(); ++k) {
    if (at_[k] == At::kBasic) {
      reduced_[k] = 0;
      continue;
    }
    if (IsStructural(k)) {
      mpq_class d = cost[k];
      for (std::size_t e = start_[k]; e < start_[k + 1]; ++e)
        if (sgn(y_[row_of_[e]]) != 0) d -= y_[row_of_[e]] * value_[e];
      reduced_[k] = d;
    } else {
      reduced_[k] = cost[k] + y_[k - columns_];
    }
  }
}

ExactSimplex::Step ExactSimplex::Iterate(bool phase_one) {
  const std::vector<mpq_class>* cost = &cost_;
  if (phase_one) {
    for (mpq_class& c : phase_cost_) c = 0;
    for (std::size_t p = 0; p < rows_; ++p) {
      const std::size_t k = head_[p];
      if (has_lower_[k] && x_[k] < lower_[k]) phase_cost_[k] = -1;
      else if (has_upper_[k] && x_[k] > upper_[k]) phase_cost_[k] = 1;
    }
    cost = &phase_cost_;
  }
  Prices(*cost);
  // Bland: the smallest index that improves.
  std::size_t entering = Variables();
  int direction = 0;
  for (std::size_t k = 0; k < Variables() && entering == Variables(); ++k) {
    if (at_[k] == At::kBasic) continue;
    const bool fixed = has_lower_[k] && has_upper_[k] && lower_[k] == upper_[k];
    if (fixed) continue;
    const int d = sgn(reduced_[k]);
    const bool can_rise = at_[k] == At::kLower || at_[k] == At::kZero;
    const bool can_fall = at_[k] == At::kUpper || at_[k] == At::kZero;
    if (d < 0 && can_rise) direction = 1;
    else if (d > 0 && can_fall) direction = -1;
    else continue;
    entering = k;
  }
  if (entering == Variables()) return Step::kOptimal;
  Column(entering, alpha_);
  // The entering variable moves by direction * t; basic variable p by -direction * t * alpha_p.
  std::optional<mpq_class> best;
  std::size_t leaving_row = rows_;  // rows_: the entering variable reaches its other bound
  std::size_t leaving_variable = Variables();
  bool leaves_at_upper = false;
  auto consider = [&](const mpq_class& t, std::size_t row, std::size_t variable, bool at_upper) {
    if (!best || t < *best || (t == *best && variable < leaving_variable)) {
      best = t;
      leaving_row = row;
      leaving_variable = variable;
      leaves_at_upper = at_upper;
    }
  };
  if (has_lower_[entering] && has_upper_[entering])
    consider(upper_[entering] - lower_[entering], rows_, entering, direction > 0);
  for (std::size_t p = 0; p < rows_; ++p) {
    const int sign = -direction * sgn(alpha_[p]);
    if (sign == 0) continue;
    const std::size_t k = head_[p];
    const mpq_class& x = x_[k];
    const bool below = has_lower_[k] && x < lower_[k];
    const bool above = has_upper_[k] && x > upper_[k];
    const mpq_class rate = abs(alpha_[p]);
    // A feasible variable stops at the bound it moves towards; an infeasible one (phase 1) at
    // the bound it violates, where it becomes feasible, and moving away from it has no limit.
    if (sign > 0 && has_upper_[k] && !above && !below) consider((upper_[k] - x) / rate, p, k, true);
    else if (sign < 0 && has_lower_[k] && !above && !below) consider((x - lower_[k]) / rate, p, k, false);
    else if (sign > 0 && below) consider((lower_[k] - x) / rate, p, k, false);
    else if (sign < 0 && above) consider((x - upper_[k]) / rate, p, k, true);
  }
  if (!best) return Step::kUnbounded;
  const mpq_class t = *best;
  if (sgn(t) != 0) {
    const mpq_class move = direction > 0 ? t : mpq_class(-t);
    x_[entering] += move;
    for (std::size_t p = 0; p < rows_; ++p)
      if (sgn(alpha_[p]) != 0) x_[head_[p]] -= move * alpha_[p];
  }
  if (leaving_row == rows_) {  // a bound flip
    at_[entering] = direction > 0 ? At::kUpper : At::kLower;
    x_[entering] = direction > 0 ? upper_[entering] : lower_[entering];
    return Step::kPivoted;
  }
  // The leaving variable sits exactly on its bound; the entering one takes its place.
  x_[leaving_variable] = leaves_at_upper ? upper_[leaving_variable] : lower_[leaving_variable];
  at_[leaving_variable] = leaves_at_upper ? At::kUpper : At::kLower;
  at_[entering] = At::kBasic;
  head_[leaving_row] = entering;
  // The inverse's update: row p divided by the pivot, then eliminated from the others.
  const std::size_t m = rows_, p = leaving_row;
  const mpq_class pivot = alpha_[p];
  for (std::size_t q = 0; q < m; ++q)
    if (sgn(inverse_[p * m + q]) != 0) inverse_[p * m + q] /= pivot;
  for (std::size_t r = 0; r < m; ++r) {
    if (r == p || sgn(alpha_[r]) == 0) continue;
    for (std::size_t q = 0; q < m; ++q)
      if (sgn(inverse_[p * m + q]) != 0) inverse_[r * m + q] -= alpha_[r] * inverse_[p * m + q];
  }
  return Step::kPivoted;
}

bool ExactSimplex::Run(const std::vector<ExactStart>& start) {
  const std::size_t n = Variables();
  at_.assign(n, At::kLower);
  head_.assign(rows_, 0);
  std::size_t basic = 0;
  bool valid = start.size() == n;
  for (std::size_t k = 0; valid && k < n; ++k) {
    switch (start[k]) {
      case ExactStart::kBasic:
        if (basic == rows_) {
          valid = false;
          break;
        }
        at_[k] = At::kBasic;
        head_[basic++] = k;
        break;
      case ExactStart::kAtLower: at_[k] = At::kLower; break;
      case ExactStart::kAtUpper: at_[k] = At::kUpper; break;
      case ExactStart::kFree: at_[k] = At::kZero; break;
    }
    // A bound the variable does not have: the other one, or zero.
    if (at_[k] == At::kLower && !has_lower_[k]) at_[k] = has_upper_[k] ? At::kUpper : At::kZero;
    if (at_[k] == At::kUpper && !has_upper_[k]) at_[k] = has_lower_[k] ? At::kLower : At::kZero;
    if (at_[k] == At::kZero && (has_lower_[k] || has_upper_[k])) at_[k] = has_lower_[k] ? At::kLower : At::kUpper;
  }
  if (!valid || basic != rows_ || !Invert()) {
    SlackBasis();
    Invert();  // -I: never singular
  }
  ComputeValues();
  // Bland's rule ends in finitely many pivots; this bounds the time on a pathological program.
  const std::size_t limit = 5000 + 50 * n;
  bool phase_one = true;
  std::size_t objective = 0;  // later objectives begun
  for (std::size_t pivots = 0; pivots <= limit; ++pivots) {
    if (phase_one) {
      bool feasible = true;
      for (std::size_t p = 0; p < rows_ && feasible; ++p) {
        const std::size_t k = head_[p];
        feasible = !(has_lower_[k] && x_[k] < lower_[k]) && !(has_upper_[k] && x_[k] > upper_[k]);
      }
      phase_one = !feasible;
    }
    switch (Iterate(phase_one)) {
      case Step::kPivoted: continue;
      case Step::kOptimal:
        if (phase_one) {
          status_ = Status::kInfeasible;
          return true;
        }
        if (objective < later_costs_.size()) {
          // The optima of the objectives so far: every nonbasic variable whose reduced cost is
          // not 0 keeps its bound (moving it would lose), so it is fixed there; the basis stays
          // feasible and the next objective is optimised from it.
          for (std::size_t k = 0; k < n; ++k)
            if (at_[k] != At::kBasic && sgn(reduced_[k]) != 0) {
              lower_[k] = upper_[k] = x_[k];
              has_lower_[k] = has_upper_[k] = 1;
            }
          if (objective > 0) later_values_.push_back(Value(cost_));
          cost_ = later_costs_[objective++];
          continue;
        }
        if (objective > 0) later_values_.push_back(Value(cost_));
        status_ = Status::kOptimal;
        return true;
      case Step::kUnbounded:
        if (phase_one) return false;  // cannot happen: an improving phase-1 ray meets a bound
        status_ = Status::kUnbounded;
        return true;
    }
  }
  return false;
}

void ExactSimplex::Write(const LinearProgram& program, LpSolution& solution) const {
  const std::size_t m = rows_, n = columns_;
  solution.status = status_;
  solution.primal.assign(n, 0.0);
  solution.reduced_costs.assign(n, 0.0);
  solution.row_duals.assign(m, 0.0);
  solution.row_activity.assign(m, 0.0);
  solution.objective = 0;
  if (status_ != Status::kOptimal) return;
  // Iterate's last pricing was of the phase-2 costs at the optimal basis. The program's own
  // sense: a maximisation's reduced costs and duals change sign with its objective.
  auto objective = program.objective_coefficients();
  mpq_class total = 0;
  for (std::size_t j = 0; j < n; ++j) {
    if (objective[j] != 0) total += mpq_class(objective[j]) * x_[j];
    solution.primal[j] = ToDouble(x_[j]);
    solution.reduced_costs[j] = ToDouble(maximise_ ? mpq_class(-reduced_[j]) : reduced_[j]);
  }
  solution.objective = ToDouble(total);
  solution.later_objectives.clear();
  for (const mpq_class& value : later_values_)
    solution.later_objectives.push_back(ToDouble(maximise_ ? mpq_class(-value) : value));
  for (std::size_t i = 0; i < m; ++i) {
    solution.row_activity[i] = ToDouble(x_[n + i]);
    solution.row_duals[i] = ToDouble(maximise_ ? mpq_class(-reduced_[n + i]) : reduced_[n + i]);
  }
}

}  // namespace

bool SolveExactly(const LinearProgram& program, const std::vector<ExactStart>& start, LpSolution& solution) {
  if (program.num_rows() > kExactSimplexMaxRows) return false;
  ExactSimplex simplex(program);
  if (!simplex.Run(start)) return false;
  simplex.Write(program, solution);
  return true;
}

}  // namespace parley::lp
