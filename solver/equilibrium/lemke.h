// Lemke's complementary pivoting algorithm for the linear complementarity problem
//   w = q + M z + d z0,  w >= 0,  z >= 0,  w_i z_i = 0 for all i
// (Lemke 1965; Cottle, Pang and Stone, The Linear Complementarity Problem, 1992, sec. 4.4).
// Starting from z = 0 with the artificial z0 just large enough to make w >= 0, it pivots along
// a path of almost complementary bases until z0 leaves the basis (a solution) or the entering
// column has no blocking row (a ray: the method fails on this LCP).
//
// Degeneracy: ties in the ratio test are broken lexicographically (the rows of
// [q | B^-1] divided by the pivot column; Cottle, Pang and Stone, sec. 4.9), which is
// equivalent to a symbolic perturbation q + (eps, eps^2, ...) and cannot cycle. With T =
// Rational (GMP) every step is exact, so degenerate problems are solved without rounding; with
// T = double, ties are judged with a small relative tolerance. Rounding can still make the
// doubles cycle on very degenerate LCPs (the reduced sequence-form LCP at a few thousand rows);
// then the path is rerun once on q + delta for a small generic delta >= 0 (ties now rare, ratios
// compared without tolerance), and the final basis's solution for q itself is reported if it is
// feasible for q to within 1e-9 (the caller verifies it as usual).
//
// The tableau is dense and condensed (n rows, n + 1 nonbasic columns), so memory is
// O(n^2) and a pivot costs O(n * nonzeros of the pivot column).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "solver/model/number.h"

namespace parley::equilibrium {

template <class T>
struct LcpResult {
  bool solved = false;
  std::vector<T> z;        // the solution (size n) when solved
  std::size_t pivots = 0;  // pivots made
  std::string failure;     // why not solved
};

// M is n x n row-major, q and d (the covering vector: d >= 0, and d_i > 0 wherever q_i < 0)
// have n entries. Not solved (with the reason) on a ray or, in doubles, on a cycle that the
// perturbed rerun does not get past.
// Throws LimitError past max_pivots.
template <class T>
LcpResult<T> SolveLcp(std::size_t n, std::vector<T> M, const std::vector<T>& q,
                      const std::vector<T>& d, std::size_t max_pivots = 1000000);

extern template LcpResult<double> SolveLcp<double>(std::size_t, std::vector<double>,
                                                   const std::vector<double>&,
                                                   const std::vector<double>&, std::size_t);
extern template LcpResult<Rational> SolveLcp<Rational>(std::size_t, std::vector<Rational>,
                                                       const std::vector<Rational>&,
                                                       const std::vector<Rational>&,
                                                       std::size_t);

}  // namespace parley::equilibrium
