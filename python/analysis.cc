// Sensitivity analysis, reports and bargaining in Python, through the same library calls as
// cli/analysis.cc, cli/report.cc and cli/bargain.cc. Sweep and Monte Carlo rows become column
// arrays (numpy, one copy made here without a Python object per row) that the package wraps
// in a DataFrame; summaries and small results travel as the CLI's JSON text.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "python/bindings.h"
#include "solver/analysis/analysis.h"
#include "solver/analysis/merge.h"
#include "solver/analysis/scenario_model.h"
#include "solver/io/files.h"
#include "solver/analysis/tornado.h"
#include "solver/bargaining/bargaining.h"
#include "solver/bargaining/threats.h"
#include "solver/equilibrium/solve.h"
#include "solver/load/load.h"
#include "solver/model/cancel.h"
#include "solver/model/error.h"
#include "solver/report/analysis_results.h"
#include "solver/report/bargaining_json.h"
#include "solver/report/make_report.h"
#include "solver/report/report.h"
#include "solver/report/scenario_info.h"
#include "solver/report/sweep_section.h"

namespace parley::python {

void RunInterruptibly(const std::function<void()>& work, std::atomic<bool>* cancel) {
  std::atomic<bool> own_flag{false};
  if (!cancel) cancel = &own_flag;
  std::exception_ptr failure;
  std::optional<py::error_already_set> interrupt;
  // Python runs signal handlers in its main thread only, so only there is waiting broken up to
  // look for Ctrl-C. Elsewhere the GIL is not taken back until the work is done: a daemon
  // thread that took it while the interpreter shuts down would be ended there, with the worker
  // still running (std::terminate).
  bool main_thread;
  {  // no Python object held while the GIL is released
    const py::object threading = py::module_::import("threading");
    main_thread = threading.attr("current_thread")().is(threading.attr("main_thread")());
  }
  // The GIL is taken back by a plain call, not by a scoped object's destructor: a daemon thread
  // that takes it while the interpreter shuts down is ended there by Python (pthread_exit), and
  // that unwinding out of a destructor, which may not throw, was std::terminate (exit 134). A
  // daemon thread that finds the interpreter shutting down does not take it at all: it waits
  // for the process to end.
  PyThreadState* saved = PyEval_SaveThread();
  auto take_back = [&] {
#if PY_VERSION_HEX >= 0x030D0000
    const bool finalizing = Py_IsFinalizing();
#else
    const bool finalizing = _Py_IsFinalizing();
#endif
    if (finalizing && !main_thread)
      for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    PyEval_RestoreThread(saved);
  };
  try {
    std::promise<void> finished;
    std::future<void> done = finished.get_future();
    std::thread worker([&] {
      try {
        // The library's long loops poll this flag (solver/model/cancel.h) and throw
        // parley::Cancelled, which becomes the KeyboardInterrupt below.
        model::CancelScope scope(cancel);
        work();
      } catch (...) {
        failure = std::current_exception();
      }
      finished.set_value();
    });
    if (!main_thread) done.wait();
    while (done.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
      if (interrupt) continue;
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {  // Ctrl-C (or another handler that raised)
        interrupt.emplace();              // takes the pending exception
        cancel->store(true);
      }
    }
    worker.join();
  } catch (...) {  // the worker could not start (or waiting failed): nothing runs any more
    take_back();
    throw;
  }
  take_back();
  if (interrupt) throw std::move(*interrupt);
  if (failure) std::rethrow_exception(failure);
}

namespace {

// A scenario as a model for the analysis, compiled once and kept across calls.
struct Model {
  analysis::Model model;
  // Parameters given with `set`: Monte Carlo holds them at those values (as `parley
  // montecarlo --set` does) rather than drawing them.
  std::vector<std::size_t> held;
  // The model Monte Carlo runs: the held parameters' distributions turned off.
  analysis::Model Drawn() const {
    analysis::Model drawn = model;
    for (std::size_t i : held) drawn.distributions[i] = analysis::Distribution{};
    return drawn;
  }
};

// `shard`: "K/N" (the command line's --shard) or "" for the whole run.
analysis::RunOptions Run(int threads, std::atomic<bool>* cancel, const std::string& shard = "") {
  if (threads < 0) throw Error("threads: expected 0 (one per core) or a positive number");
  analysis::RunOptions run;
  run.threads = threads;
  run.cancel = cancel;
  if (!shard.empty()) run.shard = analysis::ParseShard(shard);
  return run;
}

template <typename T>
py::array_t<T> NewColumn(std::size_t n) {
  return py::array_t<T>(static_cast<py::ssize_t>(n));
}

py::dict SweepColumns(const analysis::SweepResult& r);

// A sweep of one or two parameters (`parley sweep`), as SweepColumns.
py::dict Sweep(const Model& m, const std::vector<std::string>& vary, int threads,
               const std::string& shard) {
  if (vary.empty() || vary.size() > 2) throw Error("vary: a sweep varies one or two parameters");
  std::vector<analysis::Axis> axes;
  for (const auto& v : vary) axes.push_back(analysis::ParseAxis(m.model, v));
  if (axes.size() == 2 && axes[0].parameter == axes[1].parameter)
    throw Error("vary names " + axes[0].name + " twice");
  std::atomic<bool> cancel{false};
  analysis::RunOptions run = Run(threads, &cancel, shard);
  analysis::SweepResult r;
  RunInterruptibly([&] { r = analysis::RunSweep(m.model, axes, run); }, &cancel);
  return SweepColumns(r);
}

// The sweep's rows as columns, in the CLI's CSV order: index, the axes, the values, outcome.
py::dict SweepColumns(const analysis::SweepResult& r) {
  std::size_t n = r.points.size();
  py::list names, columns;
  auto index = NewColumn<std::uint64_t>(n);
  auto* ip = index.mutable_data();
  for (std::size_t i = 0; i < n; ++i) ip[i] = r.points[i].index;
  names.append("index");
  columns.append(index);
  const std::vector<std::string> headers = report::SweepColumnNames(r);  // no column hides another
  for (std::size_t a = 0; a < r.axes.size(); ++a) {
    auto col = NewColumn<double>(n);
    double* p = col.mutable_data();
    for (std::size_t i = 0; i < n; ++i) p[i] = r.points[i].x[a];
    names.append(headers[a]);
    columns.append(col);
  }
  for (std::size_t v = 0; v < r.value_names.size(); ++v) {
    auto col = NewColumn<double>(n);
    double* p = col.mutable_data();
    for (std::size_t i = 0; i < n; ++i) p[i] = r.points[i].observation.values[v];
    names.append(headers[r.axes.size() + v]);
    columns.append(col);
  }
  // The outcome as a categorical column: codes into the list of distinct outcomes.
  // Grouped by structure (the key), not by the words, which two outcomes can share; their
  // names then made distinct (analysis::DistinguishOutcomeNames).
  std::unordered_map<std::string, std::int32_t> codes;
  std::vector<std::string> outcomes;
  auto code = NewColumn<std::int32_t>(n);
  std::int32_t* cp = code.mutable_data();
  for (std::size_t i = 0; i < n; ++i) {
    const analysis::Observation& o = r.points[i].observation;
    auto [it, added] = codes.emplace(o.Identity(), static_cast<std::int32_t>(outcomes.size()));
    if (added) outcomes.push_back(analysis::OutcomeWords(o.outcome));  // a category: no point's remark
    cp[i] = it->second;
  }
  analysis::DistinguishOutcomeNames(&outcomes);
  py::dict out;
  out["names"] = names;
  out["columns"] = columns;
  out["outcome_codes"] = code;
  out["outcomes"] = outcomes;
  out["total"] = r.total;
  return out;
}

std::string Thresholds(const Model& m, const std::string& vary, std::size_t grid, int threads) {
  if (grid < 2 || grid > 10'000'000) throw Error("grid: expected a whole number from 2 to 10000000");
  analysis::Axis axis = analysis::ParseAxis(m.model, vary, grid);
  std::atomic<bool> cancel{false};
  bool interrupted = false;
  std::vector<analysis::Threshold> t;
  RunInterruptibly([&] {
    t = analysis::FindThresholds(m.model, axis, 1e-9, Run(threads, &cancel), &interrupted);
  }, &cancel);
  return report::ThresholdsJson(t, axis, interrupted).dump();
}

// `parley tornado`: the ranking as the command writes it, CSV and JSON.
std::pair<std::string, std::string> Tornado(const Model& m, const std::vector<std::string>& values,
                                            const std::string& range, std::size_t grid, int threads) {
  if (values.empty()) throw Error("values: expected at least one value column");
  if (grid == 1 || grid > 1'000'000)
    throw Error("grid: expected 0 (the ends and the base only) or a whole number from 2 to 1000000");
  analysis::TornadoOptions options;
  options.values = values;
  options.range = analysis::ParseTornadoRange(range);
  options.grid = grid;
  std::atomic<bool> cancel{false};
  analysis::TornadoResult r;
  RunInterruptibly([&] {
    analysis::RunOptions run = Run(threads, &cancel);
    run.progress = false;
    r = analysis::RunTornado(m.model, options, run);
  }, &cancel);
  return {report::TornadoCsv(r), report::TornadoJson(r).dump()};
}

py::dict MonteCarloColumns(const analysis::MonteCarloResult& r) {
  std::size_t n = r.samples.size();
  py::list names, columns;
  auto index = NewColumn<std::uint64_t>(n);
  auto code = NewColumn<std::int32_t>(n);
  // The values' columns, then the drawn parameters' (the CSV's order).
  const std::size_t values_count = r.value_names.size();
  std::vector<py::array_t<double>> values;
  std::vector<double*> vp;
  for (std::size_t v = 0; v < values_count + r.drawn_names.size(); ++v) {
    values.push_back(NewColumn<double>(n));
    vp.push_back(values.back().mutable_data());
  }
  std::uint64_t* ip = index.mutable_data();
  std::int32_t* cp = code.mutable_data();
  for (std::size_t i = 0; i < n; ++i) {
    const analysis::MonteCarloSample& s = r.samples[i];
    ip[i] = s.index;
    cp[i] = static_cast<std::int32_t>(s.outcome);
    for (std::size_t v = 0; v < values_count; ++v) vp[v][i] = s.values[v];
    for (std::size_t v = values_count; v < vp.size(); ++v) vp[v][i] = s.drawn[v - values_count];
  }
  names.append("sample");
  columns.append(index);
  const std::vector<std::string> headers = report::MonteCarloColumnNames(r);
  for (std::size_t v = 0; v < values.size(); ++v) {
    names.append(headers[v]);
    columns.append(values[v]);
  }
  py::dict out;
  out["names"] = names;
  out["columns"] = columns;
  out["outcome_codes"] = code;
  out["outcomes"] = r.outcomes;
  out["summary"] = report::MonteCarloJson(r, false).dump();
  return out;
}

// The samples as columns in the CLI's CSV order (sample, the values, the drawn parameters,
// outcome), and the summary as the CLI's JSON without the samples.
py::dict MonteCarlo(const Model& m, std::size_t samples, std::uint64_t seed, int threads,
                    const std::string& shard) {
  const analysis::Model drawn = m.Drawn();
  bool any = false;
  for (const auto& d : drawn.distributions) any = any || d.kind != analysis::Distribution::Kind::kFixed;
  std::string held;
  for (std::size_t i : m.held)
    if (m.model.distributions[i].kind != analysis::Distribution::Kind::kFixed)
      held += (held.empty() ? "" : ", ") + m.model.parameter_names[i];
  if (!any)
    throw Error("no parameter has a distribution" +
                (held.empty() ? std::string()
                              : " once `set` holds " + held +
                                    (held.find(',') == std::string::npos ? " at its value" : " at their values")) +
                "; give at least one a `distribution:` (e.g. {type: uniform, low: 0.1, high: 0.5}) to "
                "run Monte Carlo");
  if (samples < 1 || samples > analysis::kMaxSamples)
    throw Error("samples: expected a whole number from 1 to " + std::to_string(analysis::kMaxSamples));
  std::atomic<bool> cancel{false};
  analysis::RunOptions run = Run(threads, &cancel, shard);
  analysis::MonteCarloResult r;
  RunInterruptibly([&] { r = analysis::RunMonteCarlo(drawn, samples, seed, run); }, &cancel);
  return MonteCarloColumns(r);
}

// `parley merge`: the shards' results combined, as the columns of a sweep or a Monte Carlo
// run; "kind" says which.
py::dict Merge(const std::vector<std::string>& files) {
  analysis::MergedResult r;
  RunInterruptibly([&] { r = analysis::MergeResultFiles(files); }, nullptr);
  py::dict out = r.sweep ? SweepColumns(*r.sweep) : MonteCarloColumns(*r.montecarlo);
  out["kind"] = r.sweep ? "sweep" : "montecarlo";
  return out;
}

// `parley report`: the command line's report::MakeReport.
void Report(const std::string& path, const std::vector<std::string>& overrides,
            std::size_t max_nodes, const std::string& output, bool all, bool exact,
            std::size_t max, const std::string& vary, std::size_t show) {
  RunInterruptibly([&] {
    report::ReportRequest request;
    request.path = path;
    request.overrides = overrides;
    if (max_nodes > 0) request.max_nodes = max_nodes;
    request.output = output;
    request.all = all;
    request.exact = exact;
    request.max = max;
    request.vary = vary;
    request.show = show;
    request.generator = std::string("parley ") + PARLEY_VERSION;
    report::MakeReport(request);
  }, nullptr);
}

namespace bg = parley::bargaining;

std::string Bargain(const std::optional<std::vector<bg::Vector>>& outcomes, bool pure,
                    const std::optional<std::vector<std::tuple<std::string, double, double>>>& issues,
                    const std::optional<std::vector<std::string>>& utilities,
                    std::optional<double> surplus, int players,
                    const std::optional<bg::Vector>& disagreement,
                    const std::optional<bg::Vector>& weights) {
  int kinds = outcomes.has_value() + (issues.has_value() || utilities.has_value()) + surplus.has_value();
  if (kinds != 1)
    throw Error("give exactly one problem: outcomes, issues with utilities, or surplus");
  bg::FeasibleSet set;
  std::size_t n = 0;
  if (outcomes) {
    if (outcomes->empty()) throw Error("outcomes: the list is empty");
    for (std::size_t k = 1; k < outcomes->size(); ++k)
      if ((*outcomes)[k].size() != (*outcomes)[0].size())
        throw Error("outcomes: entry " + std::to_string(k + 1) + " has " +
                    std::to_string((*outcomes)[k].size()) + " numbers but entry 1 has " +
                    std::to_string((*outcomes)[0].size()));
    n = (*outcomes)[0].size();
    set = bg::OutcomeSet{*outcomes, !pure};
  } else if (surplus) {
    if (players < 1) throw Error("players: expected a positive number");
    set = bg::TransferableSurplus{*surplus, players};
    n = static_cast<std::size_t>(players);
  } else {
    if (!issues || !utilities) throw Error("an agreement space needs both issues and utilities");
    bg::AgreementSpace space;
    for (const auto& [name, lo, hi] : *issues) space.issues.push_back({name, lo, hi});
    space.utilities = *utilities;
    n = utilities->size();
    set = space;
  }
  bg::Vector d = disagreement ? *disagreement : bg::Vector(n, 0.0);
  bg::Request request;
  if (weights) request.weights = *weights;
  std::string text;
  RunInterruptibly([&] { text = report::ToJson(bg::Solve(set, d, request)).dump(); }, nullptr);
  return text;
}

}  // namespace

void BindAnalysis(py::module_& m) {
  py::class_<Model>(m, "Model", "A scenario compiled for analysis (internal: use parley.load)")
      .def_property_readonly("parameter_names", [](const Model& x) { return x.model.parameter_names; })
      .def_property_readonly("base_values", [](const Model& x) { return x.model.base_values; })
      .def_property_readonly("value_names", [](const Model& x) { return x.model.value_names; })
      .def_property_readonly("uncertain", [](const Model& x) {
        const analysis::Model drawn = x.Drawn();
        std::vector<std::string> out;
        for (std::size_t i = 0; i < drawn.distributions.size(); ++i)
          if (drawn.distributions[i].kind != analysis::Distribution::Kind::kFixed)
            out.push_back(drawn.parameter_names[i]);
        return out;
      })
      .def("sweep", &Sweep, py::arg("vary"), py::arg("threads"), py::arg("shard") = "")
      .def("thresholds", &Thresholds, py::arg("vary"), py::arg("grid"), py::arg("threads"))
      .def("tornado", &Tornado, py::arg("values"), py::arg("range"), py::arg("grid"), py::arg("threads"))
      .def("montecarlo", &MonteCarlo, py::arg("samples"), py::arg("seed"), py::arg("threads"),
           py::arg("shard") = "");

  m.def("scenario_model", [](const std::string& path, const std::vector<std::string>& overrides,
                             std::size_t max_nodes) {
    analysis::ScenarioModelOptions options;
    options.overrides = overrides;
    // The same default as parley.load and the command line: from this machine's memory.
    options.max_nodes = max_nodes > 0 ? max_nodes : io::DefaultMaxNodes();
    Model out;
    RunInterruptibly([&] { out.model = analysis::ScenarioModel(path, options); }, nullptr);
    for (const std::string& item : overrides) {
      std::string name = item.substr(0, item.find('='));
      while (!name.empty() && name.back() == ' ') name.pop_back();
      while (!name.empty() && name.front() == ' ') name.erase(name.begin());
      out.held.push_back(out.model.ParameterIndex(name));
    }
    return out;
  }, py::arg("path"), py::arg("overrides"), py::arg("max_nodes"));

  m.def("merge", &Merge, py::arg("files"));
  m.def("scenario_party_columns", &analysis::ScenarioPartyColumns, py::arg("path"));
  m.def("report", &Report, py::arg("path"), py::arg("overrides"), py::arg("max_nodes"),
        py::arg("output"), py::arg("all"), py::arg("exact"), py::arg("max"), py::arg("vary"),
        py::arg("show"));
  m.def("bargain", &Bargain, py::arg("outcomes"), py::arg("pure"), py::arg("issues"),
        py::arg("utilities"), py::arg("surplus"), py::arg("players"), py::arg("disagreement"),
        py::arg("weights"));
  m.def("bargain_threats", [](const bg::Matrix& row, const bg::Matrix& column, bool transferable,
                              const bg::Vector& weights) {
    return report::ToJson(bg::SolveThreatGame(row, column, transferable, weights)).dump();
  }, py::arg("row"), py::arg("column"), py::arg("transferable"), py::arg("weights"));
  m.def("bargain_alternating", [](std::array<double, 2> discount, int first, std::optional<int> rounds,
                                  double breakdown, std::array<double, 2> outside) {
    bg::AlternatingOffers game;
    game.discount = discount;
    if (first != 1 && first != 2) throw Error("first: the first proposer is 1 or 2");
    game.first = first - 1;
    game.rounds = rounds;
    game.breakdown = breakdown;
    game.outside = outside;
    return report::ToJson(bg::SolveAlternatingOffers(game)).dump();
  }, py::arg("discount"), py::arg("first"), py::arg("rounds"), py::arg("breakdown"), py::arg("outside"));
}

}  // namespace parley::python
