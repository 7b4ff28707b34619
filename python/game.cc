// Games in Python: read from a file (every format the loader knows), built node by node with
// the library's GameBuilder, solved with equilibrium::Solve and written as .efg, .nfg or
// JSON. Solutions are handed over as the JSON text `parley solve --format json` prints
// (report::WriteSolutionJson), so the module's answers are the CLI's, key for key.
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "python/bindings.h"
#include "solver/equilibrium/qre_fit.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/solve.h"
#include "solver/equilibrium/strategic_form.h"
#include "solver/io/efg.h"
#include "solver/io/game_json.h"
#include "solver/io/nfg.h"
#include "solver/io/files.h"
#include "solver/load/load.h"
#include "solver/model/cancel.h"
#include "solver/model/error.h"
#include "solver/model/game_builder.h"
#include "solver/report/bargaining_steps.h"
#include "solver/report/dot.h"
#include "solver/report/json_writer.h"
#include "solver/report/qre_json.h"
#include "solver/report/show.h"
#include "solver/report/solution.h"
#include "solver/report/tree_svg.h"
#include "solver/scenario/scenario.h"

namespace parley::python {
namespace {

// A loaded input: the game, and for a scenario file its metadata (the bargaining steps).
struct Loaded {
  model::GamePtr game;
  std::shared_ptr<const scenario::Scenario> scenario;
};

Loaded Load(const std::string& path, const std::vector<std::string>& overrides,
            std::size_t max_nodes) {
  load::LoadOptions options;
  options.overrides = overrides;
  if (max_nodes > 0) options.max_nodes = max_nodes;
  Loaded out;
  RunInterruptibly([&] {
    load::Input in = load::LoadInput(path, options);
    out.game = in.game;
    out.scenario = in.scenario;
  }, nullptr);
  return out;
}

// `parley solve --format json`, as a string (cli/solve.cc does the same into a file).
std::string SolveJson(const Loaded& in, bool all, bool exact, std::size_t max,
                      const std::string& method, double max_seconds) {
  if (max == 0) throw Error("max: expected a positive number of equilibria");
  if (!(max_seconds > 0)) throw Error("max_seconds: expected a number greater than 0");
  // An unknown method is the caller's bad argument here (ValueError), not an input the
  // library cannot serve.
  const auto& methods = equilibrium::SolveMethods();
  if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
    std::string known;
    for (const auto& x : methods) known += (known.empty() ? "" : ", ") + x;
    throw Error("method '" + TruncateForMessage(method) + "': expected one of " + known);
  }
  equilibrium::SolveOptions options;
  options.exact = exact;
  options.all = all;
  options.max_equilibria = max;
  options.method = method;
  options.max_seconds = max_seconds;
  std::string text;
  RunInterruptibly([&] {
    auto solution = equilibrium::Solve(*in.game, options);
    const scenario::Scenario* scen = in.scenario.get();
    bool bargains = scen && !scen->bargains.empty() && !solution.equilibria.empty();
    nlohmann::json bargaining;
    if (bargains) bargaining = report::BargainingJson(*scen, solution.equilibria.front());
    report::JsonWriter w([&text](std::string_view piece) { text.append(piece); });
    report::WriteSolutionJson(w, *in.game, solution, bargains ? &bargaining : nullptr);
    w.Flush();
  }, nullptr);
  return text;
}

std::string ToNfg(const model::Game& game, std::size_t max_profiles) {
  equilibrium::StrategicFormOptions options;
  if (max_profiles > 0) options.max_cells = max_profiles;
  std::string text;
  RunInterruptibly([&] { text = io::WriteNfgString(equilibrium::ReducedStrategicForm(game, options)); },
                   nullptr);
  return text;
}

// `parley draw`'s picture as text: SVG, or DOT (`dot`), with the first equilibrium
// highlighted unless `with_solution` is false or no method solves the game (then `note` says
// why, as the command's note does).
py::tuple Draw(const Loaded& in, bool dot, bool with_solution, std::size_t max_nodes) {
  if (max_nodes < 3) throw Error("max_nodes: expected at least 3");
  std::string text, note;
  RunInterruptibly([&] {
    std::optional<equilibrium::Solution> solution;
    if (with_solution) {
      try {
        solution = equilibrium::Solve(*in.game, {});
      } catch (const UnsupportedError& e) {
        note = "drawn without an equilibrium: " + e.message();
      }
    }
    const equilibrium::Equilibrium* eq =
        solution && !solution->equilibria.empty() ? &solution->equilibria.front() : nullptr;
    report::TreeDrawOptions options;
    options.max_nodes = max_nodes;
    if (dot) {
      report::TreeView view = report::SelectTree(*in.game, eq, options);
      if (note.empty()) note = view.note;
      text = report::TreeDot(*in.game, eq, options);
    } else {
      report::TreeDrawing drawing = report::DrawTreeSvg(*in.game, eq, options);
      if (note.empty()) note = drawing.note;
      text = std::move(drawing.svg);
    }
  }, nullptr);
  return py::make_tuple(text, note);
}

// `parley qre --format json` at `lambdas` (ascending, >= 0).
std::string QreJson(const Loaded& in, const std::vector<double>& lambdas, double max_seconds) {
  if (!(max_seconds > 0)) throw Error("max_seconds: expected a number greater than 0");
  equilibrium::LogitOptions limits;
  limits.max_seconds = max_seconds;
  std::string text;
  RunInterruptibly([&] {
    nlohmann::ordered_json doc =
        report::QreTraceJson(*in.game, equilibrium::TraceQre(*in.game, lambdas, limits));
    model::ThrowIfCancelled();  // before the dump, which cannot be stopped halfway
    text = doc.dump();
  }, nullptr);
  return text;
}

// `parley qre --fit COUNTS --format json` for counts given as CSV text (`name` is the file,
// or what the messages call the caller's rows), and the fitted profile as a QRE point.
py::tuple QreFitJson(const Loaded& in, const std::string& counts, const std::string& name,
                     double max_lambda) {
  std::string fit_text, point_text;
  RunInterruptibly([&] {
    const model::Game& g = *in.game;
    equilibrium::RequirePerfectRecall(g, "the agent quantal response equilibrium");
    equilibrium::QreFit fit = equilibrium::FitQre(g, equilibrium::ParseQreCounts(counts, name, g), max_lambda);
    fit_text = report::QreFitJson(g, fit).dump();
    equilibrium::QreTrace one;
    one.points.emplace_back(fit.lambda, std::move(fit.behavior));
    one.log_behaviors.push_back(std::move(fit.log_behavior));
    point_text = report::QreTraceJson(g, one)["points"][0].dump();
  }, nullptr);
  return py::make_tuple(fit_text, point_text);
}

// A number given from Python: an int or a float as it is, a string as a file would state it
// ("1/3", "0.1": exact).
Number ToNumber(const py::handle& x) {
  if (py::isinstance<py::bool_>(x)) throw Error("expected a number, not a bool");
  if (py::isinstance<py::int_>(x)) {  // through its text: 2**70 is read exactly, not cast
    const std::string text = py::str(x).cast<std::string>();
    Number n;
    if (!Number::Parse(text, &n)) throw Error("the integer " + TruncateForMessage(text) + " is not a number Parley reads");
    if (std::string problem = DoubleRangeProblem(n); !problem.empty())
      throw Error("the integer " + TruncateForMessage(text) + " " + problem);
    return n;
  }
  if (py::isinstance<py::float_>(x)) {
    const double d = x.cast<double>();
    // NaN is not beyond any range: it is no number at all.
    if (std::isnan(d)) throw Error("expected a number, not nan");
    if (std::isinf(d)) throw Error("expected a finite number, not " + std::string(d > 0 ? "inf" : "-inf"));
    return Number(d);
  }
  if (py::isinstance<py::str>(x)) {
    std::string text = x.cast<std::string>();
    Number n;
    if (!Number::Parse(text, &n))
      throw Error("'" + TruncateForMessage(text) + "' is not a number (e.g. 2, -0.5 or 1/3)");
    return n;
  }
  throw Error("expected a number (int, float or a string such as \"1/3\"), not " +
              py::str(py::type::of(x).attr("__name__")).cast<std::string>());
}

std::vector<Number> ToNumbers(const py::iterable& xs) {
  std::vector<Number> out;
  for (const auto& x : xs) out.push_back(ToNumber(x));
  return out;
}

// GameBuilder with the checks a caller from Python needs (ids it handed out, one Build).
class Builder {
 public:
  explicit Builder(std::vector<std::string> players) : players_(players) {
    if (players.empty()) throw Error("a game needs at least one player");
    builder_.emplace(std::move(players));
  }
  int Player(const py::handle& who) const {
    if (py::isinstance<py::str>(who)) {
      std::string name = who.cast<std::string>();
      for (std::size_t i = 0; i < players_.size(); ++i)
        if (players_[i] == name) return static_cast<int>(i);
      throw Error("no player named '" + TruncateForMessage(name) + "'");
    }
    int p = who.cast<int>();
    if (p < 0 || p >= static_cast<int>(players_.size()))
      throw Error("player " + std::to_string(p) + " does not exist: players are numbered 0 to " +
                  std::to_string(players_.size() - 1));
    return p;
  }
  model::GameBuilder& Get() {
    if (!builder_) throw Error("this builder has already built its game; start a new one");
    return *builder_;
  }
  std::uint32_t AddInfoset(const py::handle& player, const std::vector<std::string>& actions,
                           const std::string& label) {
    auto h = Get().AddInfoset(Player(player), label, actions);
    ++infosets_;
    return h;
  }
  std::uint32_t AddChance(const std::vector<std::string>& actions, const py::iterable& probs,
                          const std::string& label) {
    std::vector<Number> p;
    try {
      p = ToNumbers(probs);
    } catch (const Error& e) {
      throw Error(std::string("probabilities: ") + e.what());
    }
    auto h = Get().AddChanceInfoset(label, actions, p);
    ++infosets_;
    return h;
  }
  std::uint32_t AddOutcome(const py::iterable& payoffs, const std::string& label) {
    std::vector<Number> p;
    try {
      p = ToNumbers(payoffs);
    } catch (const Error& e) {
      throw Error(std::string("payoffs: ") + e.what());
    }
    return Get().AddOutcome(label, p);
  }
  model::NodeId Parent(std::optional<std::uint32_t> parent) {
    if (!parent) return model::kNoNode;
    if (*parent >= Get().num_nodes()) throw Error("node " + std::to_string(*parent) + " does not exist");
    return *parent;
  }
  model::OutcomeId Outcome(std::optional<std::uint32_t> outcome) {
    return outcome ? *outcome : model::kNoOutcome;
  }
  std::uint32_t AddNode(std::optional<std::uint32_t> parent, std::uint32_t infoset,
                        std::optional<std::uint32_t> outcome, const std::string& label) {
    if (infoset >= infosets_) throw Error("information set " + std::to_string(infoset) + " does not exist");
    return Get().AddNode(Parent(parent), infoset, Outcome(outcome), label);
  }
  std::uint32_t AddTerminal(std::optional<std::uint32_t> parent, std::optional<std::uint32_t> outcome,
                            const std::string& label) {
    return Get().AddTerminal(Parent(parent), Outcome(outcome), label);
  }
  model::GamePtr Build() {
    model::GamePtr game = Get().Build();
    builder_.reset();
    return game;
  }

 private:
  std::vector<std::string> players_;
  std::optional<model::GameBuilder> builder_;
  std::uint32_t infosets_ = 0;
};

}  // namespace

void BindGames(py::module_& m) {
  py::class_<Loaded>(m, "Loaded", "A loaded input (internal: use parley.load)")
      .def_property_readonly("is_scenario", [](const Loaded& l) { return l.scenario != nullptr; })
      .def_property_readonly("title", [](const Loaded& l) {
        return l.scenario && !l.scenario->title.empty() ? l.scenario->title : l.game->title();
      })
      .def_property_readonly("players", [](const Loaded& l) { return l.game->players(); })
      .def_property_readonly("num_nodes", [](const Loaded& l) { return l.game->num_nodes(); })
      .def_property_readonly("num_terminals", [](const Loaded& l) { return l.game->num_terminals(); })
      .def_property_readonly("num_infosets", [](const Loaded& l) { return l.game->num_infosets(); })
      .def_property_readonly("num_outcomes", [](const Loaded& l) { return l.game->num_outcomes(); })
      .def_property_readonly("perfect_information",
                             [](const Loaded& l) { return l.game->perfect_information(); })
      .def_property_readonly("has_chance", [](const Loaded& l) { return l.game->has_chance(); })
      .def_property_readonly("parameters", [](const Loaded& l) {
        py::dict out;
        if (l.scenario)
          for (const auto& p : l.scenario->parameters) out[py::str(p.name)] = p.value;
        return out;
      })
      .def_property_readonly("parameter_table", [](const Loaded& l) {
        // `parley show`'s parameter list as records (the package makes a DataFrame).
        py::list rows;
        if (!l.scenario) return rows;
        for (const auto& p : l.scenario->parameters) {
          py::dict row;
          row["name"] = p.name;
          row["value"] = p.value;
          row["file_value"] = p.file_value;
          row["unit"] = p.unit;
          row["min"] = p.min ? py::object(py::float_(*p.min)) : py::object(py::none());
          row["max"] = p.max ? py::object(py::float_(*p.max)) : py::object(py::none());
          row["distribution"] = p.distribution ? report::DistributionText(*p.distribution) : "";
          row["source"] = p.source;
          row["assumption"] = p.assumption;
          row["description"] = p.description;
          rows.append(row);
        }
        return rows;
      })
      .def_property_readonly("notes", [](const Loaded& l) {
        return l.scenario ? l.scenario->notes : std::vector<std::string>{};
      })
      .def("solve_json", &SolveJson, py::arg("all"), py::arg("exact"), py::arg("max"),
           py::arg("method"), py::arg("max_seconds"))
      .def("draw", &Draw, py::arg("dot"), py::arg("with_solution"), py::arg("max_nodes"))
      .def("qre_json", &QreJson, py::arg("lambdas"), py::arg("max_seconds"))
      .def("qre_fit_json", &QreFitJson, py::arg("counts"), py::arg("name"), py::arg("max_lambda"))
      .def("show", [](const Loaded& l, const std::string& path) {
        return report::ShowText(l.scenario.get(), *l.game, path);
      }, py::arg("path"))
      .def("to_efg", [](const Loaded& l) { return io::WriteEfgString(*l.game); })
      .def("to_json", [](const Loaded& l) { return io::WriteGameJson(*l.game); })
      .def("to_nfg", [](const Loaded& l, std::size_t max_profiles) { return ToNfg(*l.game, max_profiles); },
           py::arg("max_profiles"));

  // An .nfg as an .nfg: the table as read (its comment and outcome list kept), as `parley
  // convert IN.nfg OUT.nfg` writes it, from the bytes the game was read from.
  m.def("nfg_copy", [](const py::bytes& data, const std::string& name, std::size_t max_profiles) {
    const std::string text = data;
    io::NfgReadOptions read;
    if (max_profiles > 0) read.max_cells = max_profiles;
    std::string out;
    RunInterruptibly([&] { out = io::WriteNfgString(io::ReadNfg(text, name, read)); }, nullptr);
    return out;
  }, py::arg("data"), py::arg("name"), py::arg("max_profiles"));
  m.def("load", &Load, py::arg("path"), py::arg("overrides"), py::arg("max_nodes"));
  // The command's writer: atomic (a temporary file renamed over the target), and refusing a
  // file this process read as an input or one that is read-only.
  m.def("write_file", [](const std::string& path, const std::string& content) {
    io::WriteFileAtomically(path, content);
  }, py::arg("path"), py::arg("content"));
  // An error about node `node` of the game read from `path`, located there as the command
  // line locates it: (the located text, file, line, column).
  m.def("locate_node", [](const std::string& path, std::uint32_t node, const std::string& message) {
    SourceLocation where = load::LocateNode(path, node);
    return py::make_tuple(Error(where, message).what(), where.file, where.line, where.column);
  }, py::arg("path"), py::arg("node"), py::arg("message"));
  m.def("read_efg_text", [](const std::string& text, const std::string& name) {
    return Loaded{io::ReadEfg(text, name), nullptr};
  }, py::arg("text"), py::arg("name"));

  py::class_<Builder>(m, "Builder", "GameBuilder (internal: use parley.GameBuilder)")
      .def(py::init<std::vector<std::string>>(), py::arg("players"))
      .def("set_title", [](Builder& b, const std::string& t) { b.Get().SetTitle(t); })
      .def("add_infoset", &Builder::AddInfoset, py::arg("player"), py::arg("actions"), py::arg("label"))
      .def("add_chance", &Builder::AddChance, py::arg("actions"), py::arg("probabilities"), py::arg("label"))
      .def("add_outcome", &Builder::AddOutcome, py::arg("payoffs"), py::arg("label"))
      .def("add_node", &Builder::AddNode, py::arg("parent"), py::arg("infoset"), py::arg("outcome"),
           py::arg("label"))
      .def("add_terminal", &Builder::AddTerminal, py::arg("parent"), py::arg("outcome"), py::arg("label"))
      .def("num_nodes", [](Builder& b) { return b.Get().num_nodes(); })
      .def("build", [](Builder& b) { return Loaded{b.Build(), nullptr}; });
}

}  // namespace parley::python
