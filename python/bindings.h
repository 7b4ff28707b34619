// Declarations shared by the files of the extension `parley._parley` (pybind11): each file
// binds one part of the library, module.cc puts them together.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <functional>

namespace parley::python {

namespace py = pybind11;

// Turns parley::Error and its children into the package's exceptions (parley.InputError
// with file, line and column; parley.UnsupportedError; parley.LimitError; ValueError for a
// bad argument without a location) and a failed internal check into parley.InternalError.
void BindErrors(py::module_& m);
void BindGames(py::module_& m);     // games: reading, building, solving, converting
void BindAnalysis(py::module_& m);  // sweeps, thresholds, Monte Carlo, reports, bargaining

// Runs `work` on a worker thread with the GIL released, and checks for Ctrl-C (Python's
// signal handlers) every 50 ms meanwhile. On Ctrl-C it raises the cancel flag (`cancel`, or
// one of its own when null), which the worker thread has installed as its CancelScope
// (solver/model/cancel.h), waits for the work to stop and raises KeyboardInterrupt.
// Exceptions of the work are rethrown here.
void RunInterruptibly(const std::function<void()>& work, std::atomic<bool>* cancel);

}  // namespace parley::python
