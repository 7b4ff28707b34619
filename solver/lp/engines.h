// The engines behind LinearProgram::Solve (internal to solver/lp). Each loads the program,
// solves it as `options` asks and reads back a LpSolution in LinearProgram's conventions:
// the objective in the program's own sense, row duals as d objective / d (row bound).
#pragma once

#include "solver/lp/linear_program.h"

namespace parley::lp {

LpSolution SolveWithGlpk(const LinearProgram& program, const SolveOptions& options);
LpSolution SolveWithClp(const LinearProgram& program, const SolveOptions& options);

}  // namespace parley::lp
