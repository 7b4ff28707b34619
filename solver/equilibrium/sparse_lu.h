// A sparse LU factorisation of a square matrix in compressed columns, by SuiteSparse's KLU:
// Gilbert-Peierls left-looking elimination in the columns' given order, with threshold partial
// pivoting (a diagonal pivot is kept unless it is smaller than `pivot_threshold` times the
// largest candidate of its column). Made for the logit tracer's Jacobians, whose factors in
// the tree's order keep about the matrix's own pattern. Internal to the equilibrium library.
#pragma once

#include <memory>

namespace parley::equilibrium {

class SparseLu {
 public:
  explicit SparseLu(double pivot_threshold);
  SparseLu(const SparseLu&) = delete;
  SparseLu& operator=(const SparseLu&) = delete;
  ~SparseLu();

  // A factorisation that reuses the last pivot order falls back to choosing pivots again when
  // its pivots' smallest-to-largest magnitude ratio is below this (or a pivot is zero).
  static constexpr double kMinReusedCondition = 1e-12;

  // Analyses the pattern of an n x n matrix in compressed columns (`outer` n + 1 column starts,
  // `inner` the rows, no row twice in a column). False if KLU refuses it.
  bool Analyze(int n, const int* outer, const int* inner);
  // Factorises a matrix of the analysed pattern with these values. With `reuse_pivots`, the
  // rows are eliminated in the order the last factorisation chose (KLU's refactorisation: no
  // search for pivots, no depth-first search of each column's pattern), unless that gives a
  // zero pivot or a ratio below kMinReusedCondition. False when singular.
  bool Factorize(const int* outer, const int* inner, const double* value, bool reuse_pivots);
  // Solves A x = b in place (b in, x out) with the last factorisation. False when there is none.
  bool Solve(double* b);
  // The sign of det A from the last factorisation (P A = L U, L with a unit diagonal: the row
  // permutation's parity times the signs of U's diagonal), 0 when there is none or a pivot is 0.
  double DeterminantSign() const;
  // Whether the last Factorize chose its pivots (rather than reusing the last order).
  bool chose_pivots() const { return chose_pivots_; }

 private:
  struct Impl;  // KLU's objects
  std::unique_ptr<Impl> impl_;
  bool chose_pivots_ = false;
};

}  // namespace parley::equilibrium
