#include "solver/scenario/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "solver/io/files.h"
#include "solver/scenario/internal.h"

namespace parley::scenario {

std::string KindName(StageKind kind) {
  switch (kind) {
    case StageKind::kDecision: return "decision";
    case StageKind::kChance: return "chance";
    case StageKind::kCompute: return "compute";
    case StageKind::kBargain: return "bargain";
  }
  return "?";
}

std::optional<SourceLocation> Scenario::LocateNode(model::NodeId node) const {
  if (explicit_tree) {
    // ExpandTree's walk, counting the nodes up to this one.
    if (tree_places.empty()) return std::nullopt;
    std::vector<int> stack{0};
    for (model::NodeId count = 0; !stack.empty(); ++count) {
      const TreeNodePlace& place = tree_places[static_cast<std::size_t>(stack.back())];
      if (count == node) return place.where;
      stack.pop_back();
      stack.insert(stack.end(), place.children.rbegin(), place.children.rend());
    }
    return std::nullopt;
  }
  if (!game || node >= game->num_nodes() || game->is_terminal(node)) return std::nullopt;
  const std::string_view label = game->infoset_label(game->infoset(node));
  for (const StageInfo& stage : stages)
    if (!stage.name.empty() && label.starts_with(stage.name) &&
        (label.size() == stage.name.size() || label.substr(stage.name.size()).starts_with(" (")))
      return stage.where;
  return std::nullopt;
}

int Scenario::FindParameter(std::string_view name) const {
  for (std::size_t i = 0; i < parameters.size(); ++i)
    if (parameters[i].name == name) return static_cast<int>(i);
  return -1;
}

CompiledScenario::CompiledScenario(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CompiledScenario::~CompiledScenario() = default;

std::shared_ptr<const CompiledScenario> CompiledScenario::Compile(std::string_view text,
                                                                  const std::string& file) {
  auto impl = std::make_unique<Impl>();
  OneLineErrors([&] { ReadInto(*impl, text, file); });
  std::uint64_t digest = 0xcbf29ce484222325u;
  for (unsigned char c : text) digest = (digest ^ c) * 0x100000001b3u;
  impl->info.text_digest = digest;
  return std::shared_ptr<const CompiledScenario>(new CompiledScenario(std::move(impl)));
}

const Scenario& CompiledScenario::info() const { return impl_->info; }

ExpansionWorkspace::ExpansionWorkspace(const CompiledScenario& scenario)
    : scenario_(&scenario), state_(std::make_unique<State>(scenario.impl().formulas)) {}
ExpansionWorkspace::~ExpansionWorkspace() = default;

std::vector<double> BargainRecord::IssueValuesByPosition() const {
  std::vector<double> out = step.issue_values;
  for (std::size_t k = 0; k < out.size() && k < issue_discrete.size(); ++k) {
    if (!issue_discrete[k] || !std::isfinite(out[k])) continue;
    const auto& codes = option_codes[k];
    auto it = std::find(codes.begin(), codes.end(), out[k]);
    out[k] = it == codes.end() ? std::nan("") : static_cast<double>(it - codes.begin());
  }
  return out;
}

std::vector<double> CompiledScenario::DefaultValues() const {
  std::vector<double> values;
  for (const Parameter& p : impl_->info.parameters) values.push_back(p.file_value);
  return values;
}

void CompiledScenario::CheckValue(std::size_t index, double value) const {
  const Parameter& p = impl_->info.parameters.at(index);
  if ((p.min && value < *p.min) || (p.max && value > *p.max) || !std::isfinite(value))
    throw ValidationError(p.where, "parameter '" + p.name + "' set to " + FormatDouble(value) +
                                       ", outside its range [" +
                                       (p.min ? FormatDouble(*p.min) : std::string("-inf")) + ", " +
                                       (p.max ? FormatDouble(*p.max) : std::string("inf")) + "]");
}

void CompiledScenario::ApplyOverrides(std::span<const std::string> overrides,
                                      std::vector<double>& values) const {
  const auto& parameters = impl_->info.parameters;
  std::vector<std::string> names;
  for (const Parameter& p : parameters) names.push_back(p.name);
  std::vector<char> given(parameters.size(), 0);
  for (const std::string& item : overrides) {
    // What the messages quote, cut to a line (a value of 400 digits from a program).
    const std::string shown_item = TruncateForMessage(item);
    auto eq = item.find('=');
    if (eq == std::string::npos)
      throw ValidationError(SourceLocation{impl_->info.file},
                            "--set " + shown_item + ": write NAME=VALUE, e.g. --set cake=10");
    std::string name = item.substr(0, eq), text = item.substr(eq + 1);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    while (!text.empty() && text.front() == ' ') text.erase(0, 1);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    const std::string shown = TruncateForMessage(text);
    int index = impl_->info.FindParameter(name);
    if (index < 0)
      throw ValidationError(SourceLocation{impl_->info.file},
                            "--set " + shown_item + ": the scenario has no parameter '" + TruncateForMessage(name) + "'" +
                                formula::DidYouMean(name, names) +
                                (names.empty() ? std::string("; it has no parameters")
                                               : "; its parameters are " + [&] {
                                                   std::string s;
                                                   for (std::size_t i = 0; i < names.size(); ++i)
                                                     s += (i ? ", " : "") + names[i];
                                                   return s;
                                                 }()));
    Number n;
    const SourceLocation file{impl_->info.file};
    if (!Number::Parse(text, &n)) throw ValidationError(file, "--set " + shown_item + ": '" + shown + "' is not a number");
    // The value is a double: one beyond its range is refused, and so is one so small that it
    // would silently become 0 (1e-400), which may mean something else entirely.
    if (!std::isfinite(n.ToDouble()))
      throw ValidationError(file, "--set " + shown_item + ": '" + shown +
                                      "' is beyond the range of numbers Parley computes with (about 1.8e308)");
    if (n.ToDouble() == 0 && n.ToRational() != 0)
      throw ValidationError(file, "--set " + shown_item + ": '" + shown +
                                      "' is too small to compute with (it would be 0); write 0 if 0 is meant");
    if (given[static_cast<std::size_t>(index)])
      throw ValidationError(file, "--set " + shown_item + ": parameter '" + name + "' is set twice; give it once");
    given[static_cast<std::size_t>(index)] = 1;
    CheckValue(static_cast<std::size_t>(index), n.ToDouble());
    values[static_cast<std::size_t>(index)] = n.ToDouble();
  }
}

Expansion CompiledScenario::Expand(std::span<const double> values, const ExpandOptions& options,
                                   ExpansionWorkspace& workspace) const {
  PARLEY_CHECK(workspace.scenario_ == this);
  Expansion out;
  OneLineErrors([&] { impl_->Expand(values, options, workspace.state_->evaluator, out); });
  return out;
}

Expansion CompiledScenario::Expand(std::span<const double> values,
                                   const ExpandOptions& options) const {
  ExpansionWorkspace workspace(*this);
  return Expand(values, options, workspace);
}

std::shared_ptr<const Scenario> ReadScenario(std::string_view text, const std::string& file,
                                             const ScenarioOptions& options) {
  auto compiled = CompiledScenario::Compile(text, file);
  std::vector<double> values = compiled->DefaultValues();
  compiled->ApplyOverrides(options.overrides, values);
  Expansion expansion = compiled->Expand(values, ExpandOptions{options.max_nodes});
  auto scenario = std::make_shared<Scenario>(compiled->info());
  for (std::size_t i = 0; i < values.size(); ++i) scenario->parameters[i].value = values[i];
  scenario->game = std::move(expansion.game);
  scenario->stats = expansion.stats;
  scenario->bargains = std::move(expansion.bargains);
  return scenario;
}

std::shared_ptr<const Scenario> LoadScenario(const std::string& path,
                                             const ScenarioOptions& options) {
  return ReadScenario(io::ReadWholeFile(path), path, options);
}

}  // namespace parley::scenario
