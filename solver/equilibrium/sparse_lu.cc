#include "solver/equilibrium/sparse_lu.h"

#include <klu.h>

#include <cmath>
#include <vector>

namespace parley::equilibrium {

struct SparseLu::Impl {
  klu_common common;
  klu_symbolic* symbolic = nullptr;
  klu_numeric* numeric = nullptr;
  int n = 0;
  std::vector<char> visited;  // DeterminantSign's marks

  void FreeNumeric() {
    if (numeric != nullptr) klu_free_numeric(&numeric, &common);
  }
  void Clear() {
    FreeNumeric();
    if (symbolic != nullptr) klu_free_symbolic(&symbolic, &common);
  }
};

SparseLu::SparseLu(double pivot_threshold) : impl_(std::make_unique<Impl>()) {
  klu_common& common = impl_->common;
  klu_defaults(&common);
  common.ordering = 2;  // the caller's order: the columns as given
  common.btf = 0;       // no block triangular pre-ordering: the caller's order is the point
  common.scale = -1;    // no row scaling (nor its check): pivots compared as the matrix holds them
  common.tol = pivot_threshold;
}

SparseLu::~SparseLu() { impl_->Clear(); }

bool SparseLu::Analyze(int n, const int* outer, const int* inner) {
  Impl& m = *impl_;
  m.Clear();
  m.n = n;
  // KLU takes non-const pointers but does not write through them.
  m.symbolic = klu_analyze_given(n, const_cast<int*>(outer), const_cast<int*>(inner), nullptr, nullptr,
                                 &m.common);
  return m.symbolic != nullptr;
}

bool SparseLu::Factorize(const int* outer, const int* inner, const double* value, bool reuse_pivots) {
  Impl& m = *impl_;
  chose_pivots_ = false;
  if (m.symbolic == nullptr) return false;
  int* ap = const_cast<int*>(outer);
  int* ai = const_cast<int*>(inner);
  double* ax = const_cast<double*>(value);
  if (reuse_pivots && m.numeric != nullptr) {
    // klu_rcond is the ratio of the smallest to the largest pivot magnitude: a cheap guard
    // against a pivot that the old order makes tiny here.
    if (klu_refactor(ap, ai, ax, m.symbolic, m.numeric, &m.common) == 1 && m.common.status == KLU_OK &&
        klu_rcond(m.symbolic, m.numeric, &m.common) == 1 && m.common.rcond >= kMinReusedCondition)
      return true;
  }
  m.FreeNumeric();
  chose_pivots_ = true;
  m.numeric = klu_factor(ap, ai, ax, m.symbolic, &m.common);
  if (m.numeric != nullptr && m.common.status == KLU_OK) return true;
  m.FreeNumeric();
  return false;
}

bool SparseLu::Solve(double* b) {
  Impl& m = *impl_;
  return m.numeric != nullptr && klu_solve(m.symbolic, m.numeric, m.n, 1, b, &m.common) == 1;
}

double SparseLu::DeterminantSign() const {
  Impl& m = *impl_;
  if (m.numeric == nullptr) return 0.0;
  double sign = 1;
  const double* u = static_cast<const double*>(m.numeric->Udiag);
  for (int i = 0; i < m.n; ++i) {
    if (u[i] == 0 || !std::isfinite(u[i])) return 0.0;
    if (u[i] < 0) sign = -sign;
  }
  // The row permutation's parity: a cycle of even length is an odd permutation.
  m.visited.assign(static_cast<std::size_t>(m.n), 0);
  for (int i = 0; i < m.n; ++i) {
    int length = 0;
    for (int j = i; !m.visited[static_cast<std::size_t>(j)]; j = m.numeric->Pnum[j]) {
      m.visited[static_cast<std::size_t>(j)] = 1;
      ++length;
    }
    if (length > 0 && length % 2 == 0) sign = -sign;
  }
  return sign;
}

}  // namespace parley::equilibrium
