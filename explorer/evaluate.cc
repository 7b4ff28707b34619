#include "explorer/evaluate.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "solver/analysis/scenario_model.h"
#include "solver/equilibrium/profile.h"
#include "solver/equilibrium/solve.h"
#include "solver/io/files.h"
#include "solver/load/load.h"
#include "solver/model/cpu_time.h"
#include "solver/model/error.h"
#include "solver/model/number.h"
#include "solver/report/bargaining_steps.h"
#include "solver/report/explain.h"
#include "solver/report/html.h"
#include "solver/report/report.h"
#include "solver/report/scenario_info.h"
#include "solver/report/solution.h"
#include "solver/report/svg_chart.h"
#include "solver/report/text.h"
#include "solver/report/tree_svg.h"
#include "solver/scenario/compiled_evaluator.h"

namespace parley::explorer {

// The compiled evaluator of one version of a scenario and the scratches idle between
// requests. A scratch is lent to one evaluation at a time and comes back when that evaluation
// is gone (its game is the scratch's, rewritten in place by the next evaluation). The lent
// scratch's deleter holds the pool, so a version replaced by an edit while a request still
// draws it stays alive until the request ends.
class EvaluatorPool : public std::enable_shared_from_this<EvaluatorPool> {
 public:
  using Scratch = scenario::CompiledEvaluator::Scratch;

  EvaluatorPool(std::shared_ptr<const scenario::CompiledScenario> compiled, std::size_t max_nodes)
      : evaluator_(std::move(compiled), scenario::ExpandOptions{max_nodes, /*fast_bargains=*/false}) {}

  const scenario::CompiledEvaluator& evaluator() const { return evaluator_; }

  std::unique_ptr<Scratch> Borrow() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        std::unique_ptr<Scratch> s = std::move(idle_.back());
        idle_.pop_back();
        return s;
      }
    }
    return std::make_unique<Scratch>(evaluator_);
  }

  // The lease of an evaluation that succeeded: gives the scratch back when released. (One that
  // threw is dropped instead: its kept games may be half rewritten.)
  std::shared_ptr<void> Lease(std::unique_ptr<Scratch> scratch) {
    std::shared_ptr<EvaluatorPool> self = shared_from_this();
    return std::shared_ptr<Scratch>(scratch.release(), [self](Scratch* s) { self->GiveBack(s); });
  }

 private:
  // Enough for the server's request threads; more idle scratches would only hold memory.
  static constexpr std::size_t kMaxIdle = 8;

  void GiveBack(Scratch* s) {
    std::unique_ptr<Scratch> owned(s);
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(owned));
  }

  scenario::CompiledEvaluator evaluator_;  // declared first: outlives the scratches below
  std::mutex mutex_;
  std::vector<std::unique_ptr<Scratch>> idle_;
};

namespace {

namespace fs = std::filesystem;


// Values keyed "name=value" for those that differ from the file's, as --set would write them.
std::vector<std::string> Overrides(const scenario::Scenario& info, std::span<const double> values) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < info.parameters.size() && i < values.size(); ++i)
    if (values[i] != info.parameters[i].file_value)
      out.push_back(info.parameters[i].name + "=" + FormatDouble(values[i]));
  return out;
}

std::string OptionalNumber(const std::optional<double>& x) { return x ? FormatDouble(*x) : ""; }

}  // namespace

std::string ReadScenarioText(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw Error(SourceLocation{path}, "is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(SourceLocation{path}, "cannot open the file");
  std::string text;
  char buffer[1 << 14];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxScenarioBytes)
      throw LimitError(SourceLocation{path}, "the explorer opens scenario files of at most " +
                                                 std::to_string(kMaxScenarioBytes / 1024) +
                                                 " KB; this one is larger");
  }
  return text;
}

std::vector<double> OpenedFile::DefaultValues() const {
  return compiled ? compiled->DefaultValues() : std::vector<double>{};
}

const analysis::Model& OpenedFile::Model() const {
  if (!is_scenario())
    throw Error(SourceLocation{path}, "thresholds and Monte Carlo need a scenario file (.yaml) with parameters");
  std::call_once(model_once_, [this] {
    analysis::ScenarioModelOptions options;
    options.max_nodes = max_nodes;
    model_ = analysis::ScenarioModel(compiled, options);
  });
  return *model_;
}

std::shared_ptr<const OpenedFile> OpenFile(const std::string& path, std::size_t max_nodes) {
  auto file = std::make_shared<OpenedFile>();
  file->path = path;
  file->name = fs::path(path).filename().string();
  file->format = io::FormatOf(path);
  file->max_nodes = max_nodes;
  if (!file->is_scenario()) {
    load::LoadOptions options;
    options.max_nodes = max_nodes;
    file->game = load::LoadInput(path, options).game;
    return file;
  }
  std::string text = ReadScenarioText(path);
  return CompileText(*file, std::move(text));
}

std::shared_ptr<const OpenedFile> CompileText(const OpenedFile& file, std::string text) {
  if (!file.is_scenario()) throw Error(SourceLocation{file.path}, "only scenario files (.yaml) can be edited");
  if (text.size() > kMaxScenarioBytes)
    throw LimitError(SourceLocation{file.path}, "a scenario of at most " + std::to_string(kMaxScenarioBytes / 1024) +
                                                    " KB; this text has " + std::to_string(text.size()) + " bytes");
  auto next = std::make_shared<OpenedFile>();
  next->path = file.path;
  next->name = file.name;
  next->format = file.format;
  next->max_nodes = file.max_nodes;
  next->compiled = scenario::CompiledScenario::Compile(text, file.path);
  next->evaluators = std::make_shared<EvaluatorPool>(next->compiled, next->max_nodes);
  next->text = std::move(text);
  Evaluate(*next, next->DefaultValues());  // a text that compiles but does not expand or solve
  return next;
}

std::vector<double> ValuesFromJson(const OpenedFile& file, const nlohmann::json& values) {
  std::vector<double> out = file.DefaultValues();
  if (values.is_null()) return out;
  if (!values.is_object()) throw Error("\"values\" must be an object of parameter names and numbers");
  if (!file.compiled) {
    if (!values.empty()) throw Error(file.name + " is a game file: it has no parameters");
    return out;
  }
  const scenario::Scenario& info = file.compiled->info();
  for (const auto& [name, value] : values.items()) {
    int index = info.FindParameter(name);
    if (index < 0) throw Error("unknown parameter '" + TruncateForMessage(name) + "' in " + file.name);
    if (!value.is_number() || !std::isfinite(value.get<double>()))
      throw Error("parameter " + name + ": expected a finite number");
    double x = value.get<double>();
    file.compiled->CheckValue(static_cast<std::size_t>(index), x);
    out[static_cast<std::size_t>(index)] = x;
  }
  return out;
}

namespace {

// The scenario's metadata at these values with the expansion's bargains, for the writers.
std::shared_ptr<const scenario::Scenario> ScenarioAt(const OpenedFile& file, std::span<const double> values,
                                                     const scenario::Expansion& expansion) {
  auto s = std::make_shared<scenario::Scenario>(file.compiled->info());
  for (std::size_t i = 0; i < values.size() && i < s->parameters.size(); ++i) s->parameters[i].value = values[i];
  s->game = expansion.game;
  s->stats = expansion.stats;
  s->bargains = expansion.bargains;
  return s;
}

void SolveInto(Evaluation& out) {
  double t0 = ThreadCpuMs();
  try {
    out.solution = equilibrium::Solve(*out.game, equilibrium::SolveOptions{});
  } catch (const UnsupportedError& e) {
    out.unsolved_reason = e.message();
  }
  out.cpu.solve = ThreadCpuMs() - t0;
}

}  // namespace

double ThreadCpuMs() { return 1e3 * model::ThreadCpuSeconds(); }

Evaluation Evaluate(const OpenedFile& file, std::span<const double> values) {
  Evaluation out;
  double t0 = ThreadCpuMs();
  if (file.is_scenario()) {
    EvaluatorPool& pool = *file.evaluators;
    std::unique_ptr<EvaluatorPool::Scratch> scratch = pool.Borrow();
    std::size_t rewrites = scratch->rewrites();
    const scenario::Expansion& expansion = pool.evaluator().Evaluate(values, *scratch);
    out.rewritten = scratch->rewrites() > rewrites;
    out.game = expansion.game;
    out.scenario = ScenarioAt(file, values, expansion);
    out.lease = pool.Lease(std::move(scratch));
  } else {
    out.game = file.game;
  }
  out.cpu.evaluate = ThreadCpuMs() - t0;
  SolveInto(out);
  return out;
}

Evaluation EvaluateExpanded(const OpenedFile& file, std::span<const double> values) {
  Evaluation out;
  double t0 = ThreadCpuMs();
  if (file.is_scenario()) {
    scenario::ExpandOptions options;
    options.max_nodes = file.max_nodes;
    scenario::Expansion expansion = file.compiled->Expand(values, options);
    out.game = expansion.game;
    out.scenario = ScenarioAt(file, values, expansion);
  } else {
    out.game = file.game;
  }
  out.cpu.evaluate = ThreadCpuMs() - t0;
  SolveInto(out);
  return out;
}

nlohmann::json EvaluationJson(const Evaluation& evaluation, RedrawCpu* cpu) {
  nlohmann::json out;
  const model::Game& game = *evaluation.game;
  const equilibrium::Equilibrium* eq =
      evaluation.solution && !evaluation.solution->equilibria.empty() ? &evaluation.solution->equilibria.front() : nullptr;
  double t0 = ThreadCpuMs();
  report::TreeDrawing drawing = report::DrawTreeSvg(game, eq);
  double t1 = ThreadCpuMs();
  out["tree"] = report::InlineSvg(drawing.svg);
  out["tree_note"] = drawing.note;
  out["nodes"] = game.num_nodes();
  out["unsolved"] = evaluation.unsolved_reason;
  out["method"] = evaluation.solution ? evaluation.solution->method : "";
  nlohmann::json payoffs = nlohmann::json::array();
  if (eq) {
    // As the report's payoff table and the conclusion beside it write them: at the game's scale
    // (a game stated in units of 1e-13 showed every payoff as 0), and every digit of a player
    // two of whose payoffs would read alike.
    const double unit = equilibrium::TieUnit(game);
    const std::vector<char> all_digits = report::PlayersNeedingAllDigits(game, {eq->payoffs});
    std::string prediction = evaluation.scenario ? report::PredictionText(*evaluation.scenario, *eq) : "";
    // Beside a scenario's prediction, whose payoffs are `parley solve`'s (0.3333333333), the
    // line says them alike, not as the textbook fraction (1/3) the conclusion of a game uses.
    const bool predicted = !prediction.empty();
    for (int p = 0; p < game.num_players() && static_cast<std::size_t>(p) < eq->payoffs.size(); ++p) {
      const std::size_t k = static_cast<std::size_t>(p);
      payoffs.push_back({{"player", game.player_name(p)},
                         {"value", predicted ? report::ShowNumber(eq->payoffs[k], unit)
                                             : report::FormatPayoff(eq->payoffs[k], all_digits[k], unit)}});
    }
    out["path"] = analysis::DescribePath(game, *eq);
    if (prediction.rfind("Prediction\n", 0) == 0) prediction.erase(0, 11);  // the page has its heading
    while (!prediction.empty() && prediction.back() == '\n') prediction.pop_back();
    // The explanation's last sentence alone: working out all its steps costs tens of
    // milliseconds on a tree of 30,000 nodes.
    if (prediction.empty()) prediction = report::ExplainConclusion(game, *eq);
    out["prediction"] = prediction;
  } else {
    out["path"] = "";
    out["prediction"] = "No equilibrium: " + evaluation.unsolved_reason;
  }
  out["payoffs"] = payoffs;
  nlohmann::json steps = nlohmann::json::array();
  if (evaluation.scenario && !evaluation.scenario->bargains.empty()) {
    std::size_t omitted = 0;
    for (const report::BargainingStep& step : report::BargainingStepsFrom(*evaluation.scenario, eq, 4, &omitted)) {
      nlohmann::json j;
      j["title"] = step.title;
      j["summary"] = step.summary;
      j["chart"] = step.chart ? report::InlineSvg(report::BargainingChartSvg(*step.chart)) : "";
      j["players"] = step.players;
      auto numbers = [](const std::vector<double>& xs) {
        nlohmann::json a = nlohmann::json::array();
        for (double x : xs) a.push_back(report::FormatValue(x));
        return a;
      };
      j["disagreement"] = numbers(step.disagreement);
      j["ideal"] = numbers(step.ideal);
      nlohmann::json rows = nlohmann::json::array();
      for (const auto& row : step.solutions) {
        std::string terms = row.terms;
        if (terms.empty())
          for (const auto& [name, value] : row.issues)
            terms += (terms.empty() ? "" : ", ") + name + " = " + report::FormatValue(value);
        rows.push_back({{"concept", row.concept_name}, {"payoffs", numbers(row.payoffs)}, {"terms", terms}});
      }
      j["solutions"] = rows;
      j["notes"] = step.notes;
      steps.push_back(std::move(j));
    }
    out["bargaining_omitted"] = omitted;
  }
  out["bargaining"] = steps;
  if (cpu) {
    cpu->draw = t1 - t0;
    cpu->describe = ThreadCpuMs() - t1;
  }
  return out;
}

nlohmann::json FileJson(const OpenedFile& file, std::size_t index) {
  nlohmann::json out;
  out["index"] = index;
  out["name"] = file.name;
  out["kind"] = file.is_scenario() ? "scenario" : "game";
  out["editable"] = file.is_scenario();
  out["text"] = file.text;
  nlohmann::json parameters = nlohmann::json::array();
  if (file.compiled) {
    const scenario::Scenario& info = file.compiled->info();
    out["title"] = info.title.empty() ? file.name : info.title;
    out["description"] = info.description;
    out["players"] = info.players;
    out["units"] = info.units;
    for (const auto& p : info.parameters) {
      nlohmann::json j;
      j["name"] = p.name;
      j["value"] = p.value;
      j["min"] = p.min ? nlohmann::json(*p.min) : nlohmann::json();
      j["max"] = p.max ? nlohmann::json(*p.max) : nlohmann::json();
      j["min_text"] = OptionalNumber(p.min);
      j["max_text"] = OptionalNumber(p.max);
      j["unit"] = p.unit;
      j["source"] = p.assumption || p.source.empty() ? "assumption" : p.source;
      j["description"] = p.description;
      j["distribution"] = p.distribution.has_value() && p.distribution->kind != formula::Distribution::Kind::kFixed;
      parameters.push_back(std::move(j));
    }
  } else {
    out["title"] = file.game->title().empty() ? file.name : file.game->title();
    out["description"] = "";
    out["players"] = file.game->players();
    out["units"] = "";
  }
  out["parameters"] = parameters;
  return out;
}

std::string ReportHtml(const OpenedFile& file, std::span<const double> values, const std::string& generator) {
  Evaluation evaluation = Evaluate(file, values);
  report::ReportInput in;
  in.game = evaluation.game.get();
  if (evaluation.scenario)
    in.scenario = report::ScenarioInfoFrom(*evaluation.scenario, Overrides(*evaluation.scenario, values));
  else
    in.scenario = report::ScenarioFromGame(*evaluation.game, file.name);
  in.scenario.source_file = file.name;
  in.generator = generator;
  in.unsolved_reason = evaluation.unsolved_reason;
  if (evaluation.solution) in.solution = &*evaluation.solution;
  if (evaluation.scenario && !evaluation.scenario->bargains.empty()) {
    std::size_t omitted = 0;
    const equilibrium::Equilibrium* eq =
        evaluation.solution && !evaluation.solution->equilibria.empty() ? &evaluation.solution->equilibria.front() : nullptr;
    in.bargaining = report::BargainingStepsFrom(*evaluation.scenario, eq, 4, &omitted);
    if (omitted > 0 && !in.bargaining.empty())
      in.bargaining.back().notes.push_back(std::to_string(omitted) +
                                           " more bargaining steps (off the equilibrium path) are not shown.");
  }
  return report::RenderHtml(report::BuildReport(in));
}

}  // namespace parley::explorer
