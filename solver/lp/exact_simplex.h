// A primal simplex method in exact rational arithmetic (GMP), for the small programs that
// SolveOptions::exact asks for (internal to solver/lp). GLPK's glp_exact reads each double
// through a continued-fraction conversion with a relative tolerance near 1e-9, so it solves a
// program whose data differ from the given doubles in their tenth digit: its basis can be
// infeasible or not optimal for the program as given (a floor of 0.400000000048 read as 0.4),
// and its statuses can be wrong. This method takes every double as the rational it is, starts
// from a basis the caller supplies (GLPK's, usually optimal already), and pivots to a basis
// that is exactly optimal, or proves the program infeasible or unbounded.
//
// The method: the bounded-variable primal simplex in revised form (Chvátal, Linear Programming,
// 1983, ch. 8) with an explicit inverse of the basis, a composite phase 1 that minimises the
// sum of infeasibilities without letting a feasible variable become infeasible, and Bland's rule
// (smallest index entering, smallest index leaving among ties), which cannot cycle.
#pragma once

#include <vector>

#include "solver/lp/linear_program.h"

namespace parley::lp {

// The largest program solved this way: the inverse is dense (rows x rows rationals).
inline constexpr int kExactSimplexMaxRows = 64;

// Where a variable starts: the structural columns first (0 .. columns-1), then one auxiliary
// variable per row (its activity). A valid basis has as many kBasic as rows.
enum class ExactStart : unsigned char { kBasic, kAtLower, kAtUpper, kFree };

// Solves `program` exactly from `start` (columns then rows; an invalid or singular basis is
// replaced by the basis of all auxiliary variables). Returns false, leaving `solution`
// untouched, when the program has more than kExactSimplexMaxRows rows or the pivots exceed a
// generous limit (Bland's rule terminates; the limit guards the time). Otherwise writes the
// status, and for an optimum the values rounded once to the nearest doubles: objective, primal
// values, row activities, row duals and reduced costs, in LinearProgram's conventions. With
// later objectives (LinearProgram::AddLaterObjective) each is optimised in turn over the optima
// of those before: the nonbasic variables of nonzero reduced cost are fixed at their bounds,
// which leaves exactly the optimal face, and the method goes on from the same basis. The duals
// and reduced costs are then the last objective's.
bool SolveExactly(const LinearProgram& program, const std::vector<ExactStart>& start, LpSolution& solution);

}  // namespace parley::lp
