// parley::Error -> Python exceptions. The exception classes are defined in Python
// (parley/__init__.py) so that help() documents them; they are looked up here when first
// needed.
#include <exception>
#include <string>

#include "python/bindings.h"
#include "solver/model/cancel.h"
#include "solver/model/error.h"

namespace parley::python {
namespace {

// Raises parley.<name>(message, file, line, column); file/line/column are None when unknown.
void Raise(const char* name, const Error& e) {
  py::object cls = py::module_::import("parley").attr(name);
  const SourceLocation& at = e.where();
  py::object file = at.file.empty() ? py::none() : py::object(py::str(at.file));
  py::object line = at.line > 0 ? py::object(py::int_(at.line)) : py::none();
  py::object column = at.column > 0 ? py::object(py::int_(at.column)) : py::none();
  py::object instance = cls(py::str(e.what()), file, line, column, py::str(e.message()));
  if (e.node()) instance.attr("node") = py::int_(*e.node());
  PyErr_SetObject(cls.ptr(), instance.ptr());
}

}  // namespace

void BindErrors(py::module_&) {
  py::register_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const UnsupportedError& e) {
      Raise("UnsupportedError", e);
    } catch (const LimitError& e) {
      Raise("LimitError", e);
    } catch (const Error& e) {
      // A mistake in an input file (it has a location) or in an argument (no file: the
      // caller's value was wrong).
      if (!e.where().file.empty())
        Raise("InputError", e);
      else
        PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const Cancelled&) {  // a flag raised outside RunInterruptibly's watch
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    } catch (const InternalError& e) {
      py::object cls = py::module_::import("parley").attr("InternalError");
      PyErr_SetObject(cls.ptr(), py::str(e.what()).ptr());
    }
  });
}

}  // namespace parley::python
