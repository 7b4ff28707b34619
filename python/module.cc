// The extension `parley._parley`: the library's entry points for the Python package in
// python/parley (docs/python.md). Everything here wraps the library; the package adds
// DataFrames, result objects and the documentation that help() shows.
#include "python/bindings.h"

PYBIND11_MODULE(_parley, m) {
  m.doc() = "Parley's library, for the Python package `parley` (use that, not this module)";
  m.attr("__version__") = PARLEY_VERSION;
  parley::python::BindErrors(m);
  parley::python::BindGames(m);
  parley::python::BindAnalysis(m);
}
