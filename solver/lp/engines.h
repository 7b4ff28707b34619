// The engines behind LinearProgram::Solve (internal to solver/lp). Each loads the program,
// solves it as `options` asks and reads back a LpSolution in LinearProgram's conventions:
// the objective in the program's own sense, row duals as d objective / d (row bound).
#pragma once

#include <string>

#include "solver/lp/linear_program.h"

namespace parley::lp {

// A kStopped solution saying `why` (the program's size is appended), values all 0.
LpSolution Stopped(std::string why, int rows, int cols);

LpSolution SolveWithGlpk(const LinearProgram& program, const SolveOptions& options);
// The `clp` program run as a separate process (clp_program.cc); GLPK when there is none.
LpSolution SolveWithClpProgram(const LinearProgram& program, const SolveOptions& options);
// Whether SolveWithClpProgram finds a `clp` program ($PARLEY_CLP, else on $PATH).
bool ClpProgramAvailable();
#ifdef PARLEY_WITH_CLP_LIBRARY
// CLP linked in-process (clp_engine.cc): only in builds for private use.
LpSolution SolveWithClpLibrary(const LinearProgram& program, const SolveOptions& options);
#endif

}  // namespace parley::lp
