#include "solver/report/scenario_info.h"

#include "solver/report/text.h"

namespace parley::report {

ScenarioInfo ScenarioInfoFrom(const scenario::Scenario& scenario,
                              const std::vector<std::string>& overrides) {
  ScenarioInfo info;
  info.title = scenario.title;
  info.description = scenario.description;
  info.players = scenario.players;
  info.sources = scenario.sources;
  info.notes = scenario.notes;
  info.source_file = scenario.file;
  for (const scenario::Parameter& p : scenario.parameters) {
    ParameterRow row;
    row.name = p.name;
    row.value = FormatValue(p.value);
    if (p.value != p.file_value) row.value += " (file: " + FormatValue(p.file_value) + ")";
    row.min = p.min ? FormatValue(*p.min) : "";
    row.max = p.max ? FormatValue(*p.max) : "";
    row.unit = p.unit.empty() ? scenario.units : p.unit;
    row.source = p.source;
    row.assumption = p.assumption;
    row.description = p.description;
    info.parameters.push_back(std::move(row));
  }
  for (const std::string& o : overrides) {
    auto eq = o.find('=');
    info.overrides.emplace_back(o.substr(0, eq), eq == std::string::npos ? "" : o.substr(eq + 1));
  }
  return info;
}

}  // namespace parley::report
