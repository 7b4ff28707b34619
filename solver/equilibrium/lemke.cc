#include "solver/equilibrium/lemke.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <unordered_set>

#include "solver/model/error.h"
#include "solver/model/cancel.h"

namespace parley::equilibrium {

namespace {

constexpr double kPivotTolerance = 1e-9;
constexpr double kTieTolerance = 1e-9;
// The retry after a cycle in doubles: the size of the perturbation of q, and how far below 0 a
// basic variable may then be for q itself (it is set to 0; the caller verifies the result).
constexpr double kPerturbation = 1e-7;
constexpr double kPerturbedFeasibility = 1e-9;

template <class T>
class Tableau {
 public:
  Tableau(std::size_t n, std::vector<T> M, const std::vector<T>& q, const std::vector<T>& d)
      : n_(n), cols_(n + 1), tab_(n * (n + 1)), rhs_(q), basic_(n), nonbasic_(n + 1),
        where_(2 * n + 1) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) tab_[i * cols_ + j] = std::move(M[i * n + j]);
      tab_[i * cols_ + n] = d[i];
      basic_[i] = i;
      where_[i] = static_cast<std::int64_t>(i);
    }
    for (std::size_t j = 0; j <= n; ++j) {
      nonbasic_[j] = n + j;
      where_[n + j] = ~static_cast<std::int64_t>(j);
    }
  }

  std::size_t z0() const { return 2 * n_; }
  std::size_t Complement(std::size_t var) const { return var < n_ ? var + n_ : var - n_; }
  bool IsBasic(std::size_t var) const { return where_[var] >= 0; }
  std::size_t RowOf(std::size_t var) const { return static_cast<std::size_t>(where_[var]); }
  std::size_t ColumnOf(std::size_t var) const { return static_cast<std::size_t>(~where_[var]); }
  std::size_t BasicAt(std::size_t row) const { return basic_[row]; }
  const T& rhs(std::size_t row) const { return rhs_[row]; }

  // (B^-1)_{ij}: the column of the original w_j in the current basis.
  T Inverse(std::size_t i, std::size_t j) const {
    if (IsBasic(j)) return RowOf(j) == i ? T(1) : T(0);
    return -tab_[i * cols_ + ColumnOf(j)];
  }

  static bool Negative(const T& v) {
    if constexpr (std::is_same_v<T, double>)
      return v < -kPivotTolerance;
    else
      return sgn(v) < 0;
  }
  // Ties within the tolerance are broken lexicographically (doubles; 0 makes it exact).
  void set_tie_tolerance(double tolerance) { tie_ = tolerance; }
  bool Less(const T& a, const T& b) const {
    if constexpr (std::is_same_v<T, double>)
      return a < b - tie_ * (1 + std::abs(b));
    else
      return a < b;
  }

  // The row that blocks the increase of the nonbasic variable in column c (lexicographic
  // minimum ratio), or n when none does.
  std::size_t RatioTest(std::size_t c) const {
    std::vector<std::size_t> ties;
    T best = 0;
    // In doubles a pivot must be large relative to its column (tiny entries are rounding).
    double floor = kPivotTolerance;
    if constexpr (std::is_same_v<T, double>) {
      double big = 0;
      for (std::size_t i = 0; i < n_; ++i) big = std::max(big, std::abs(tab_[i * cols_ + c]));
      floor = kPivotTolerance * std::max(1.0, big);
    }
    for (std::size_t i = 0; i < n_; ++i) {
      const T& a = tab_[i * cols_ + c];
      if constexpr (std::is_same_v<T, double>) {
        if (!(a < -floor)) continue;
      } else {
        if (!Negative(a)) continue;
      }
      T ratio = rhs_[i] / -a;
      if (ties.empty() || Less(ratio, best)) {
        ties.assign(1, i);
        best = ratio;
      } else if (!Less(best, ratio)) {
        ties.push_back(i);
      }
    }
    if (ties.empty()) return n_;
    for (std::size_t j = 0; j < n_ && ties.size() > 1; ++j) {
      std::vector<std::size_t> keep;
      T low = 0;
      for (std::size_t i : ties) {
        T v = Inverse(i, j) / -tab_[i * cols_ + c];
        if (keep.empty() || Less(v, low)) {
          keep.assign(1, i);
          low = v;
        } else if (!Less(low, v)) {
          keep.push_back(i);
        }
      }
      ties.swap(keep);
    }
    return ties.front();
  }

  // Exchanges the basic variable of row r with the nonbasic variable of column c.
  void Pivot(std::size_t r, std::size_t c) {
    T* row = &tab_[r * cols_];
    T inv = T(1) / row[c];
    for (std::size_t j = 0; j < cols_; ++j)
      if (j != c) row[j] *= -inv;
    row[c] = inv;
    rhs_[r] *= -inv;
    nonzero_.clear();
    for (std::size_t j = 0; j < cols_; ++j)
      if (j != c && row[j] != 0) nonzero_.push_back(j);
    T f, tmp;
    for (std::size_t i = 0; i < n_; ++i) {
      if (i == r) continue;
      T* other = &tab_[i * cols_];
      if (other[c] == 0) continue;
      f = other[c];
      if constexpr (std::is_same_v<T, double>) {
        if (nonzero_.size() * 4 > cols_) {
          for (std::size_t j = 0; j < cols_; ++j) other[j] += f * row[j];
          other[c] = f * inv;  // row[c] was inv; the loop added f * inv to the old entry
        } else {
          for (std::size_t j : nonzero_) other[j] += f * row[j];
          other[c] = f * inv;
        }
        rhs_[i] += f * rhs_[r];
        if (rhs_[i] < 0 && rhs_[i] > -1e-12) rhs_[i] = 0;
      } else {
        for (std::size_t j : nonzero_) {
          mpq_mul(tmp.get_mpq_t(), f.get_mpq_t(), row[j].get_mpq_t());
          mpq_add(other[j].get_mpq_t(), other[j].get_mpq_t(), tmp.get_mpq_t());
        }
        other[c] = f * inv;
        mpq_mul(tmp.get_mpq_t(), f.get_mpq_t(), rhs_[r].get_mpq_t());
        mpq_add(rhs_[i].get_mpq_t(), rhs_[i].get_mpq_t(), tmp.get_mpq_t());
      }
    }
    std::size_t leaving = basic_[r], entering = nonbasic_[c];
    basic_[r] = entering;
    nonbasic_[c] = leaving;
    where_[entering] = static_cast<std::int64_t>(r);
    where_[leaving] = ~static_cast<std::int64_t>(c);
  }

 private:
  std::size_t n_, cols_;
  std::vector<T> tab_;  // basic_i = rhs_i + sum_j tab_ij * nonbasic_j
  std::vector<T> rhs_;
  std::vector<std::size_t> basic_, nonbasic_;
  std::vector<std::int64_t> where_;  // >= 0: basic row; < 0: ~nonbasic column
  std::vector<std::size_t> nonzero_;
  double tie_ = kTieTolerance;
};

// One run of Lemke's method. With `delta` (doubles only), the path is followed for q + delta,
// and the solution reported is that of the final basis for q itself: B^-1 q = B^-1 (q + delta)
// - B^-1 delta, the last term read off the tableau's w columns.
template <class T>
LcpResult<T> RunLemke(std::size_t n, std::vector<T> M, const std::vector<T>& q,
                      const std::vector<T>& d, std::size_t max_pivots,
                      const std::vector<T>* delta) {
  LcpResult<T> result;
  result.z.assign(n, T(0));
  bool nonnegative = true;
  for (std::size_t i = 0; i < n; ++i) {
    nonnegative = nonnegative && !(q[i] < 0);
    if (d[i] < 0 || (d[i] == 0 && q[i] < 0)) {
      result.failure = "the covering vector must be >= 0, and > 0 where q < 0";
      return result;
    }
  }
  if (nonnegative) {
    // z = 0; on perturbed data, w = q itself must still be >= 0.
    for (std::size_t i = 0; delta != nullptr && i < n; ++i) {
      if (q[i] - (*delta)[i] < -kPerturbedFeasibility) {
        result.failure = "Lemke's algorithm on perturbed data: z = 0 is infeasible for q";
        return result;
      }
    }
    result.solved = true;
    return result;
  }
  Tableau<T> tab(n, std::move(M), q, d);
  // On perturbed data ties are rare, so ratios are compared as they are: a tolerance would
  // merge the perturbation's small differences back into ties.
  if (delta != nullptr) tab.set_tie_tolerance(0);
  // z0 enters at the level that makes every w nonnegative: the row with the largest -q_i/d_i
  // leaves; among ties the lexicographic rule picks the last such row.
  // Rows with d_i = 0 do not move with z0 (their q_i >= 0 is checked above).
  std::size_t r = n;
  T best = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (d[i] == 0) continue;
    T v = -q[i] / d[i];
    if (r == n || !tab.Less(v, best)) {
      if (r == n || tab.Less(best, v)) best = v;
      r = i;
    }
  }
  if (r == n) {
    result.failure = "no covering entry on the rows with q < 0";
    return result;
  }
  // The lexicographic rule never revisits a basis in exact arithmetic; in doubles, rounding
  // can make it cycle. A basis is hashed as the XOR of a random key per basic variable (a
  // repeat of the hash is taken as a cycle: a false alarm only costs a fallback).
  std::vector<std::uint64_t> key(2 * n + 1);
  std::uint64_t state = 0x9e3779b97f4a7c15ull, hash = 0;
  for (auto& k : key) {  // splitmix64
    state += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    k = z ^ (z >> 31);
  }
  for (std::size_t i = 0; i < n; ++i) hash ^= key[i];
  std::unordered_set<std::uint64_t> seen;
  std::size_t entering = tab.z0();
  for (;;) {
    model::ThrowIfCancelled();
    std::size_t leaving = tab.BasicAt(r);
    tab.Pivot(r, tab.ColumnOf(entering));
    ++result.pivots;
    if (leaving == tab.z0()) break;
    hash ^= key[leaving] ^ key[entering];
    if (!seen.insert(hash).second) {
      result.failure = "Lemke's algorithm cycled (a basis repeated after " +
                       std::to_string(result.pivots) + " pivots; rounding in floating point)";
      return result;
    }
    if (result.pivots > max_pivots)
      throw LimitError("Lemke's algorithm stopped after " + std::to_string(max_pivots) +
                       " pivots without a solution");
    entering = tab.Complement(leaving);
    r = tab.RatioTest(tab.ColumnOf(entering));
    if (r == n) {
      result.failure = "Lemke's algorithm ended on a ray after " +
                       std::to_string(result.pivots) + " pivots";
      return result;
    }
  }
  if (delta != nullptr) {
    // Every basic variable (w or z) must be >= 0 for q; otherwise the perturbed path did not
    // carry over (the caller falls back as on a cycle).
    for (std::size_t i = 0; i < n; ++i) {
      T v = tab.rhs(i);
      for (std::size_t j = 0; j < n; ++j) v -= tab.Inverse(i, j) * (*delta)[j];
      if (v < -kPerturbedFeasibility) {
        result.failure = "Lemke's algorithm on perturbed data ended on a basis infeasible for "
                         "the original data after " + std::to_string(result.pivots) + " pivots";
        return result;
      }
      std::size_t var = tab.BasicAt(i);
      if (var >= n && var < 2 * n) result.z[var - n] = v < 0 ? T(0) : v;
    }
    result.solved = true;
    return result;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (tab.IsBasic(n + i)) result.z[i] = tab.rhs(tab.RowOf(n + i));
  result.solved = true;
  return result;
}

}  // namespace

template <class T>
LcpResult<T> SolveLcp(std::size_t n, std::vector<T> M, const std::vector<T>& q,
                      const std::vector<T>& d, std::size_t max_pivots) {
  PARLEY_CHECK(M.size() == n * n && q.size() == n && d.size() == n);
  if constexpr (!std::is_same_v<T, double>) {
    return RunLemke<T>(n, std::move(M), q, d, max_pivots, nullptr);
  } else {
    std::vector<double> copy = M;
    LcpResult<double> result = RunLemke<double>(n, std::move(M), q, d, max_pivots, nullptr);
    if (result.solved || result.failure.find("cycled") == std::string::npos) return result;
    // Rounding made the lexicographic rule cycle (sequence-form LCPs are highly degenerate).
    // Retry on q + delta with a small generic delta >= 0: ties become rare, ratios are compared
    // without tolerance, and the final basis is complementary and feasible for q up to
    // O(delta), which RunLemke checks. The copy of M costs O(n^2), small beside the pivots.
    // delta >= 0 keeps d's covering condition wherever q + delta < 0.
    std::vector<double> delta(n);
    std::uint64_t state = 0x2545f4914f6cdd1dull;
    for (double& v : delta) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      v = kPerturbation * (0.5 + static_cast<double>(state >> 11) * 0x1.0p-53);
    }
    std::vector<double> shifted = q;
    for (std::size_t i = 0; i < n; ++i) shifted[i] += delta[i];
    std::size_t first_pivots = result.pivots;
    std::string first_failure = result.failure;
    result = RunLemke<double>(n, std::move(copy), shifted, d, max_pivots, &delta);
    result.pivots += first_pivots;
    if (!result.solved) result.failure = first_failure + "; then " + result.failure;
    return result;
  }
}

template LcpResult<double> SolveLcp<double>(std::size_t, std::vector<double>,
                                            const std::vector<double>&,
                                            const std::vector<double>&, std::size_t);
template LcpResult<Rational> SolveLcp<Rational>(std::size_t, std::vector<Rational>,
                                                const std::vector<Rational>&,
                                                const std::vector<Rational>&, std::size_t);

}  // namespace parley::equilibrium
