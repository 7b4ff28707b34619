// The logit tracer's sparse LU (sparse_lu.h): solutions checked by their residual, and the
// determinant's sign, which orients the tracer's tangent, checked against the exact
// determinant of small integer matrices (fraction-free Gaussian elimination in 64-bit
// integers, independent of the LU). Pivots reused from an earlier factorisation, and the
// fallback when the old order meets a zero pivot.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "solver/equilibrium/sparse_lu.h"

namespace parley::equilibrium {
namespace {

constexpr double kThreshold = 1e-3;  // the tracer's

// A dense integer matrix, row-major.
struct Dense {
  int n = 0;
  std::vector<std::int64_t> a;
  std::int64_t& at(int i, int j) { return a[static_cast<std::size_t>(i * n + j)]; }
  std::int64_t at(int i, int j) const { return a[static_cast<std::size_t>(i * n + j)]; }
};

// The exact determinant by Bareiss's fraction-free elimination (every division is exact).
std::int64_t ExactDeterminant(Dense m) {
  const int n = m.n;
  std::int64_t sign = 1, previous = 1;
  for (int k = 0; k < n; ++k) {
    if (m.at(k, k) == 0) {
      int swap = -1;
      for (int i = k + 1; i < n && swap < 0; ++i)
        if (m.at(i, k) != 0) swap = i;
      if (swap < 0) return 0;
      for (int j = 0; j < n; ++j) std::swap(m.at(k, j), m.at(swap, j));
      sign = -sign;
    }
    for (int i = k + 1; i < n; ++i)
      for (int j = k + 1; j < n; ++j)
        m.at(i, j) = (m.at(i, j) * m.at(k, k) - m.at(i, k) * m.at(k, j)) / previous;
    previous = m.at(k, k);
  }
  return sign * m.at(n - 1, n - 1);
}

// The matrix in compressed columns (its non-zero entries only).
struct Columns {
  std::vector<int> outer, inner;
  std::vector<double> value;
};
Columns Compress(const Dense& m) {
  Columns c;
  c.outer.push_back(0);
  for (int j = 0; j < m.n; ++j) {
    for (int i = 0; i < m.n; ++i)
      if (m.at(i, j) != 0) {
        c.inner.push_back(i);
        c.value.push_back(static_cast<double>(m.at(i, j)));
      }
    c.outer.push_back(static_cast<int>(c.inner.size()));
  }
  return c;
}

// The largest |A x - b| over the rows.
double Residual(const Dense& m, const std::vector<double>& x, const std::vector<double>& b) {
  double worst = 0;
  for (int i = 0; i < m.n; ++i) {
    double sum = -b[static_cast<std::size_t>(i)];
    for (int j = 0; j < m.n; ++j) sum += static_cast<double>(m.at(i, j)) * x[static_cast<std::size_t>(j)];
    worst = std::max(worst, std::abs(sum));
  }
  return worst;
}

Dense RandomSparse(std::mt19937& rng, int n) {
  std::uniform_int_distribution<int> entry(-4, 4), coin(0, 9);
  Dense m{n, std::vector<std::int64_t>(static_cast<std::size_t>(n * n), 0)};
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (i == j ? coin(rng) < 7 : coin(rng) < 3) m.at(i, j) = entry(rng);
  return m;
}

TEST_CASE("the sparse LU's determinant sign is the exact determinant's, and its solutions solve") {
  std::mt19937 rng(20261201);
  int nonsingular = 0, singular = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const int n = 1 + trial % 9;
    const Dense m = RandomSparse(rng, n);
    const std::int64_t det = ExactDeterminant(m);
    Columns c = Compress(m);
    SparseLu lu(kThreshold);
    // KLU refuses a matrix without entries (no row array) at the analysis.
    const bool analysed = lu.Analyze(n, c.outer.data(), c.inner.data());
    CHECK((analysed || c.inner.empty()));
    const bool factorized =
        analysed && lu.Factorize(c.outer.data(), c.inner.data(), c.value.data(), false);
    if (det == 0) {
      // A structurally or numerically singular matrix: refused, or a zero pivot.
      CHECK((!factorized || lu.DeterminantSign() == 0));
      ++singular;
      continue;
    }
    ++nonsingular;
    REQUIRE(factorized);
    CHECK(lu.DeterminantSign() == (det > 0 ? 1.0 : -1.0));
    std::vector<double> b(static_cast<std::size_t>(n)), x;
    for (int i = 0; i < n; ++i) b[static_cast<std::size_t>(i)] = i + 1;
    x = b;
    REQUIRE(lu.Solve(x.data()));
    CHECK(Residual(m, x, b) < 1e-9);
  }
  CHECK(nonsingular > 100);  // both kinds were drawn (147 and 253 with this seed)
  CHECK(singular > 10);
}

TEST_CASE("a small diagonal pivot is exchanged, and the exchange flips the determinant's sign") {
  // [[1e-5, 1], [1, 1]]: the diagonal 1e-5 is below 1e-3 times its column's largest entry, so
  // row 2 is the pivot; det = 1e-5 - 1 < 0.
  std::vector<int> outer{0, 2, 4}, inner{0, 1, 0, 1};
  std::vector<double> value{1e-5, 1, 1, 1};
  SparseLu lu(kThreshold);
  REQUIRE(lu.Analyze(2, outer.data(), inner.data()));
  REQUIRE(lu.Factorize(outer.data(), inner.data(), value.data(), false));
  CHECK(lu.DeterminantSign() == -1.0);
  // [[2, 1], [1, 1]]: the diagonal is kept; det = 1 > 0.
  value = {2, 1, 1, 1};
  REQUIRE(lu.Factorize(outer.data(), inner.data(), value.data(), false));
  CHECK(lu.DeterminantSign() == 1.0);
}

TEST_CASE("reused pivots give the same solutions, and a zero pivot in the old order chooses again") {
  // [[4, 1, 0], [1, 3, 1], [0, 1, 2]]: symmetric, diagonally dominant (det 18).
  std::vector<int> outer{0, 2, 5, 7}, inner{0, 1, 0, 1, 2, 1, 2};
  std::vector<double> value{4, 1, 1, 3, 1, 1, 2};
  SparseLu lu(kThreshold);
  REQUIRE(lu.Analyze(3, outer.data(), inner.data()));
  REQUIRE(lu.Factorize(outer.data(), inner.data(), value.data(), true));
  CHECK(lu.chose_pivots());  // nothing to reuse yet
  // Slightly other values (det 5 * 3 * 2 - 5 * 1 - 1 * 2 = 23): the old order serves.
  value = {5, 1, 1, 3, 1, 1, 2};
  REQUIRE(lu.Factorize(outer.data(), inner.data(), value.data(), true));
  CHECK_FALSE(lu.chose_pivots());
  CHECK(lu.DeterminantSign() == 1.0);
  std::vector<double> x{6, 5, 3};  // A (1, 1, 1) = (6, 5, 3)
  REQUIRE(lu.Solve(x.data()));
  for (double xi : x) CHECK(xi == doctest::Approx(1.0).epsilon(1e-14));
  // The first diagonal entry 0: the old order's first pivot is zero, so pivots are chosen
  // again (row 2 first). det [[0, 1, 0], [1, 3, 1], [0, 1, 2]] = -(1 * 2 - 0) = -2.
  value = {0, 1, 1, 3, 1, 1, 2};
  REQUIRE(lu.Factorize(outer.data(), inner.data(), value.data(), true));
  CHECK(lu.chose_pivots());
  CHECK(lu.DeterminantSign() == -1.0);
  x = {1, 5, 3};  // A (1, 1, 1) = (1, 5, 3)
  REQUIRE(lu.Solve(x.data()));
  for (double xi : x) CHECK(xi == doctest::Approx(1.0).epsilon(1e-14));
}

}  // namespace
}  // namespace parley::equilibrium
