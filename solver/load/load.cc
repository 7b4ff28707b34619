#include "solver/load/load.h"

#include "solver/io/efg.h"
#include "solver/model/error.h"

namespace parley::load {

Input LoadInput(const std::string& path, const LoadOptions& options) {
  Input input;
  input.format = io::FormatOf(path);
  if (!input.is_scenario()) {
    if (options.expand && !options.overrides.empty())
      throw Error(SourceLocation{path}, "--set applies to scenario files (.yaml); a " +
                                            io::Extension(path) + " game has no parameters");
    if (options.expand) input.game = io::LoadGame(path, options.max_nodes);
    return input;
  }
  std::string text = io::ReadWholeFile(path);
  if (!options.expand) {
    input.compiled = scenario::CompiledScenario::Compile(text, path);
    return input;
  }
  scenario::ScenarioOptions scenario_options;
  scenario_options.max_nodes = options.max_nodes;
  scenario_options.overrides = options.overrides;
  input.scenario = scenario::ReadScenario(text, path, scenario_options);
  input.game = input.scenario->game;
  return input;
}

SourceLocation LocateNode(const std::string& path, model::NodeId node) {
  try {
    const io::InputFormat format = io::FormatOf(path);
    if (format == io::InputFormat::kEfg) return io::LocateEfgNode(io::ReadWholeFile(path), path, node);
    // An explicit tree's nodes are the ones written, whatever the parameters (the stage form's
    // tree depends on them: its commands locate a node with the scenario they expanded).
    if (format == io::InputFormat::kScenario) {
      auto compiled = scenario::CompiledScenario::Compile(io::ReadWholeFile(path), path);
      if (compiled->info().explicit_tree)
        if (std::optional<SourceLocation> where = compiled->info().LocateNode(node)) return *where;
    }
  } catch (const Error&) {
    // The file changed or went away since it was read: its name is all that is known.
  }
  return SourceLocation{path};
}

}  // namespace parley::load
