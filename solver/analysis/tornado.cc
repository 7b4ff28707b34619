#include "solver/analysis/tornado.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "solver/analysis/random.h"
#include "solver/load/load.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The column's index in the model's values, or an error naming them all.
std::size_t ValueIndex(const Model& model, const std::string& name, const std::string& option) {
  for (std::size_t i = 0; i < model.value_names.size(); ++i)
    if (model.value_names[i] == name) return i;
  std::string known;
  for (const auto& n : model.value_names) known += (known.empty() ? "" : ", ") + n;
  throw Error(option + " '" + name + "' is not a column of this model; the columns are: " + known);
}

double ValueAt(const Observation& o, std::size_t column) {
  return column < o.values.size() ? o.values[column] : kNaN;
}

// The "5-95 % quantiles" label for a tail of 0.05.
std::string QuantileLabel(double tail) {
  return FormatSignificant(100 * tail, 6) + "-" + FormatSignificant(100 * (1 - tail), 6) +
         " % quantiles";
}

}  // namespace

std::string TornadoRangeName(TornadoRange range) {
  switch (range) {
    case TornadoRange::kAuto: return "auto";
    case TornadoRange::kBounds: return "bounds";
    case TornadoRange::kQuantiles: return "quantiles";
  }
  return "?";
}

TornadoRange ParseTornadoRange(const std::string& text) {
  for (TornadoRange r : {TornadoRange::kAuto, TornadoRange::kBounds, TornadoRange::kQuantiles})
    if (TornadoRangeName(r) == text) return r;
  throw Error("--range '" + text + "': expected auto, bounds or quantiles");
}

TornadoResult RunTornado(const Model& model, const TornadoOptions& options, const RunOptions& run) {
  if (options.values.empty()) throw Error("a tornado needs at least one value column");
  if (!(options.tail > 0 && options.tail < 0.5))
    throw Error("the tail of a tornado's quantile range must lie in (0, 0.5)");
  std::vector<std::size_t> columns;
  for (const auto& v : options.values) columns.push_back(ValueIndex(model, v, options.value_option));

  TornadoResult result;
  result.value_names = model.value_names;
  result.range_rule = TornadoRangeName(options.range);
  auto evaluate = model.make_evaluator();
  result.base = evaluate(model.base_values);

  for (std::size_t p = 0; p < model.parameter_names.size(); ++p) {
    const std::string& name = model.parameter_names[p];
    const Distribution& d = model.distributions[p];
    const bool has_distribution = d.kind != Distribution::Kind::kFixed;
    const bool has_bounds = model.min[p] && model.max[p];
    TornadoParameter e;
    e.name = name;
    e.index = p;
    e.base = model.base_values[p];
    if (has_distribution && options.range != TornadoRange::kBounds) {
      e.range = QuantileLabel(options.tail);
      e.low = DistributionQuantile(d, options.tail);
      e.high = DistributionQuantile(d, 1 - options.tail);
    } else if (has_bounds && options.range != TornadoRange::kQuantiles) {
      e.range = "bounds";
      e.low = *model.min[p];
      e.high = *model.max[p];
    } else {
      // What is missing, exactly: a parameter with a min and no max lacks only its max.
      const std::string bounds = !model.min[p] && !model.max[p] ? "no min and max"
                                 : !model.max[p]                ? "no max"
                                                                : "no min";
      result.skipped.emplace_back(name, options.range == TornadoRange::kBounds      ? bounds
                                        : options.range == TornadoRange::kQuantiles ? "no distribution"
                                                                                    : bounds + " and no distribution");
      continue;
    }
    if (run.cancel && run.cancel->load()) {
      result.interrupted = true;
      break;
    }
    // A range whose end the scenario cannot be solved at (a payoff that is not finite there)
    // leaves this parameter out, with the scenario's message, and the others in. A point
    // inside the range that cannot be solved leaves the bars (the ends) standing, and the
    // switches unsearched, with the message.
    bool interrupted = false;
    try {
      std::vector<double> params = model.base_values;
      params[p] = e.low;
      e.at_low = evaluate(params);
      params[p] = e.high;
      e.at_high = evaluate(params);
    } catch (const Error& error) {
      result.skipped.emplace_back(name, "not solvable over " + e.range + " [" + FormatSignificant(e.low, 10) +
                                            ", " + FormatSignificant(e.high, 10) + "]: " + error.what());
      continue;
    }
    const std::string& base_key = result.base.Identity();
    e.outcome_changes = e.at_low.Identity() != base_key || e.at_high.Identity() != base_key;
    if (options.grid >= 2 && e.low < e.high) {
      Axis axis{name, p, e.low, e.high, options.grid, {}, {}};
      try {
        e.thresholds = FindThresholds(model, axis, (e.high - e.low) * 1e-6, run, &interrupted);
      } catch (const Error& error) {
        e.thresholds.clear();
        e.unsearched = error.what();
      }
      e.outcome_changes = e.outcome_changes || !e.thresholds.empty();
    }
    if (interrupted) {
      result.interrupted = true;
      break;
    }
    result.parameters.push_back(std::move(e));
  }

  for (std::size_t k = 0; k < columns.size(); ++k) {
    TornadoChart chart;
    chart.value = options.values[k];
    chart.base_value = ValueAt(result.base, columns[k]);
    for (std::size_t i = 0; i < result.parameters.size(); ++i) {
      const TornadoParameter& e = result.parameters[i];
      TornadoBar bar{i, ValueAt(e.at_low, columns[k]), ValueAt(e.at_high, columns[k]), kNaN};
      double lo = std::min({bar.value_low, bar.value_high, chart.base_value});
      double hi = std::max({bar.value_low, bar.value_high, chart.base_value});
      if (std::isfinite(bar.value_low) && std::isfinite(bar.value_high) && std::isfinite(chart.base_value))
        bar.swing = hi - lo;
      chart.bars.push_back(bar);
    }
    std::stable_sort(chart.bars.begin(), chart.bars.end(), [](const TornadoBar& a, const TornadoBar& b) {
      if (std::isnan(a.swing) || std::isnan(b.swing)) return !std::isnan(a.swing) && std::isnan(b.swing);
      return a.swing > b.swing;
    });
    result.charts.push_back(std::move(chart));
  }
  return result;
}

std::vector<std::string> ScenarioPartyColumns(const std::string& path) {
  load::LoadOptions options;
  options.expand = false;
  load::Input input = load::LoadInput(path, options);
  if (!input.compiled) throw Error(SourceLocation{path}, "a tornado needs a scenario file (.yaml) with parameters");
  const scenario::Scenario& info = input.compiled->info();
  std::vector<char> at_table(info.players.size(), 0);
  bool any = false;
  for (const auto& stage : info.stages) {
    if (stage.kind != scenario::StageKind::kBargain) continue;
    for (const auto& name : stage.players)
      for (std::size_t p = 0; p < info.players.size(); ++p)
        if (info.players[p] == name) at_table[p] = any = true;
  }
  std::vector<std::string> out;
  for (std::size_t p = 0; p < info.players.size(); ++p)
    if (!any || at_table[p]) out.push_back(info.players[p]);
  return out;
}

}  // namespace parley::analysis
