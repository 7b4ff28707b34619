#include "solver/report/analysis_results.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "solver/model/number.h"
#include "solver/report/solution.h"

namespace parley::report {

using analysis::Axis;
using analysis::MonteCarloResult;
using analysis::Quantiles;
using analysis::SweepResult;
using analysis::Threshold;
using nlohmann::json;

namespace {

// Text is for people: numbers as `parley solve`'s text shows them (ShowNumber), so that a
// sweep's row and `solve --set` at that point agree: an integer within rounding of one
// (230.00000000000003 is 230, as solve prints it), else ten significant digits, never a whole
// number for a value that is not one. Rounding is judged against `unit`, the size of the
// numbers the value sits among (Unit); a value that does not exist shows as n/a.
std::string Num(double x, double unit) {
  if (std::isnan(x)) return "n/a";
  return ShowNumber(x, unit);
}

// The size of a column of numbers, as equilibrium::TieUnit takes a game's payoffs: 1, or the
// largest magnitude when all are smaller (a column of payoffs of about 1e-13 keeps them, where
// a residue of 1e-17 beside payoffs of size 1 reads 0).
class Unit {
 public:
  Unit& Add(double x) {
    if (std::isfinite(x)) largest_ = std::max(largest_, std::abs(x));
    return *this;
  }
  double Get() const { return largest_ > 0 && largest_ < 1 ? largest_ : 1.0; }

 private:
  double largest_ = 0;
};

// CSV is for programs: the shortest decimal that reads back as the same double; a value that
// does not exist is an empty field (which pandas and R read as missing).
std::string CsvNum(double x) {
  if (std::isnan(x)) return "";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return FormatDouble(x);
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// The parameters' values the run started from, in the file's order.
json BaseJson(const analysis::BaseValues& base) {
  json a = json::array();
  for (const auto& [name, value] : base) a.push_back({{"name", name}, {"value", value}});
  return a;
}

json AxesJson(const std::vector<Axis>& axes) {
  json a = json::array();
  for (const auto& x : axes) {
    json axis = {{"name", x.name}, {"lo", x.lo}, {"hi", x.hi}, {"n", x.n}};
    // The ends as written, where the doubles round them ("1/3"): the grid is computed from these.
    if (!x.lo_written.empty()) axis["lo_written"] = x.lo_written;
    if (!x.hi_written.empty()) axis["hi_written"] = x.hi_written;
    a.push_back(std::move(axis));
  }
  return a;
}

// The data columns' headers after the table's own `fixed` ones (ColumnNames in the header).
std::vector<std::string> DataColumnNames(std::vector<std::string> taken,
                                         const std::vector<std::pair<std::string, const char*>>& names) {
  std::vector<std::string> out;
  for (const auto& [name, kind] : names) {
    std::string header = name;
    if (std::find(taken.begin(), taken.end(), header) != taken.end()) header = name + " (" + kind + ")";
    for (int k = 2; std::find(taken.begin(), taken.end(), header) != taken.end(); ++k)
      header = name + " (" + kind + " " + std::to_string(k) + ")";
    taken.push_back(header);
    out.push_back(header);
  }
  return out;
}

}  // namespace

std::vector<std::string> SweepColumnNames(const SweepResult& r) {
  std::vector<std::pair<std::string, const char*>> names;
  for (const auto& a : r.axes) names.emplace_back(a.name, "parameter");
  for (const auto& v : r.value_names) names.emplace_back(v, "value");
  return DataColumnNames({"index", "outcome"}, names);
}

std::vector<std::string> MonteCarloColumnNames(const MonteCarloResult& r) {
  std::vector<std::pair<std::string, const char*>> names;
  // The values, then the drawn parameters: a value keeps its column's name when a parameter
  // is named like it (the samples' columns were the values alone before they kept their draws).
  for (const auto& v : r.value_names) names.emplace_back(v, "value");
  for (const auto& p : r.drawn_names) names.emplace_back(p, "parameter");
  return DataColumnNames({"sample", "outcome"}, names);
}

std::string SweepText(const SweepResult& r) {
  std::ostringstream out;
  out << "Sweep over ";
  // One unit per column: a parameter's from its range, a value's from the rows.
  std::vector<double> x_unit, value_unit(r.value_names.size(), 1.0);
  for (const auto& a : r.axes) x_unit.push_back(Unit().Add(a.lo).Add(a.hi).Get());
  for (std::size_t v = 0; v < value_unit.size(); ++v) {
    Unit u;
    for (const auto& p : r.points)
      if (v < p.observation.values.size()) u.Add(p.observation.values[v]);
    value_unit[v] = u.Get();
  }
  for (std::size_t a = 0; a < r.axes.size(); ++a)
    out << (a ? " x " : "") << r.axes[a].name << " from " << Num(r.axes[a].lo, x_unit[a]) << " to "
        << Num(r.axes[a].hi, x_unit[a]) << " (" << r.axes[a].n << " points)";
  out << ": " << r.points.size() << " of " << r.total << " points";
  if (r.shard.count > 1) out << " (shard " << r.shard.index + 1 << "/" << r.shard.count << ")";
  if (r.interrupted) out << " (interrupted: the rows below are those computed)";
  out << "\n\n";
  for (const auto& name : SweepColumnNames(r)) out << name << "\t";
  out << "outcome\n";
  const std::vector<std::string> outcomes = analysis::SweepOutcomeNames(r);
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const auto& p = r.points[i];
    for (std::size_t a = 0; a < p.x.size(); ++a) out << Num(p.x[a], a < x_unit.size() ? x_unit[a] : 1.0) << "\t";
    for (std::size_t v = 0; v < p.observation.values.size(); ++v)
      out << Num(p.observation.values[v], v < value_unit.size() ? value_unit[v] : 1.0) << "\t";
    out << outcomes[i] << "\n";
  }
  return out.str();
}

std::string SweepCsv(const SweepResult& r) {
  std::ostringstream out;
  out << "index";
  for (const auto& name : SweepColumnNames(r)) out << "," << CsvField(name);
  out << ",outcome\n";
  const std::vector<std::string> outcomes = analysis::SweepOutcomeNames(r);
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const auto& p = r.points[i];
    out << p.index;
    for (double x : p.x) out << "," << CsvNum(x);
    for (double v : p.observation.values) out << "," << CsvNum(v);
    out << "," << CsvField(outcomes[i]) << "\n";
  }
  return out.str();
}

json SweepJson(const SweepResult& r) {
  json j;
  j["kind"] = "sweep";
  j["axes"] = AxesJson(r.axes);
  j["parameters"] = BaseJson(r.base);
  if (!r.input_digest.empty()) j["input_digest"] = r.input_digest;
  j["value_names"] = r.value_names;
  j["total"] = r.total;
  j["shard"] = {{"index", r.shard.index + 1}, {"count", r.shard.count}};
  j["interrupted"] = r.interrupted;
  json points = json::array();
  for (const auto& p : r.points)
    points.push_back({{"index", p.index}, {"x", p.x}, {"outcome", p.observation.outcome},
                      {"key", p.observation.Identity()}, {"values", p.observation.values}});
  j["points"] = std::move(points);
  return j;
}

std::string ThresholdsText(const std::vector<Threshold>& t, const Axis& axis, bool interrupted) {
  std::ostringstream out;
  const double unit = Unit().Add(axis.lo).Add(axis.hi).Get();
  out << "Thresholds of " << axis.name << " in [" << Num(axis.lo, unit) << ", " << Num(axis.hi, unit)
      << "] (grid of " << axis.n << " points, each refined by bisection to 1e-9)";
  if (interrupted) out << " (interrupted: incomplete)";
  out << "\n";
  // Not "the same over the whole range": an outcome at an isolated point (a tie at one grid
  // point) is no region, and there the outcome does differ.
  if (t.empty()) out << "  none: the outcome does not switch between regions of the range\n";
  for (const auto& x : t) {
    // Ten decimals (ten significant digits and more from 1 up): the value as close as it is
    // known, where ten significant digits of 12.345678912 would be 2e-9 off.
    const double magnitude = std::abs(x.value);
    const int digits = 10 + (magnitude >= 1 ? static_cast<int>(std::floor(std::log10(magnitude))) + 1 : 0);
    out << "  " << x.parameter << " = " << FormatSignificant(x.value, std::min(digits, 17)) << "\n"
        << "    below: " << x.below << "\n"
        << "    above: " << x.above << "\n";
    if (x.search_stopped)
      out << "    (the 64th switch between two grid points: the rest of that interval was not searched;"
             " a finer --grid or a narrower range lists the switches there)\n";
  }
  return out.str();
}

std::string ThresholdsCsv(const std::vector<Threshold>& t) {
  std::ostringstream out;
  out << "parameter,value,lo,hi,below,above\n";
  for (const auto& x : t) {
    out << CsvField(x.parameter) << "," << CsvNum(x.value) << "," << CsvNum(x.lo) << ","
        << CsvNum(x.hi) << "," << CsvField(x.below)
        << "," << CsvField(x.above) << "\n";
  }
  return out.str();
}

json ThresholdsJson(const std::vector<Threshold>& t, const Axis& axis, bool interrupted) {
  json j;
  j["kind"] = "thresholds";
  j["axis"] = AxesJson({axis})[0];
  j["tolerance"] = 1e-9;
  j["interrupted"] = interrupted;
  json list = json::array();
  for (const auto& x : t)
    list.push_back({{"parameter", x.parameter}, {"value", x.value}, {"lo", x.lo}, {"hi", x.hi},
                    {"below", x.below}, {"above", x.above}, {"search_stopped", x.search_stopped}});
  j["thresholds"] = std::move(list);
  return j;
}

std::string MonteCarloText(const MonteCarloResult& r) {
  std::ostringstream out;
  out << "Monte Carlo: " << r.samples.size() << (r.samples.size() == 1 ? " sample" : " samples");
  if (r.shard.count > 1) out << " (shard " << r.shard.index + 1 << "/" << r.shard.count << " of " << r.requested << ")";
  else if (r.samples.size() != r.requested) out << " of " << r.requested;
  out << ", seed " << r.seed;
  if (r.interrupted) out << " (interrupted: statistics over the samples computed)";
  out << "\n\nOutcome probabilities (95 % Wilson interval):\n";
  for (const auto& s : r.shares)
    out << "  " << Num(s.probability, 1) << "  [" << Num(s.ci_low, 1) << ", " << Num(s.ci_high, 1) << "]  "
        << s.outcome << "\n";
  out << "\nOutcome classes (the path of moves alone, wherever the issues land; 95 % Wilson interval):\n";
  for (const auto& s : r.class_shares)
    out << "  " << Num(s.probability, 1) << "  [" << Num(s.ci_low, 1) << ", " << Num(s.ci_high, 1) << "]  "
        << s.outcome << "\n";
  if (!r.value_names.empty()) {
    out << "\nValues (samples: those where the value exists; a bargaining step's issues exist "
           "only where play reaches the step):\n  name\tsamples\tmean\tsd\t5%\t25%\tmedian\t75%\t95%\n";
    for (std::size_t v = 0; v < r.value_names.size() && v < r.value_stats.size(); ++v) {
      const Quantiles& q = r.value_stats[v];
      // The quantiles span the samples' values (5 % to 95 %): the row's unit.
      const double u = Unit().Add(q.mean).Add(q.q05).Add(q.q95).Get();
      out << "  " << r.value_names[v] << "\t" << q.count << "\t" << Num(q.mean, u) << "\t" << Num(q.sd, u) << "\t"
          << Num(q.q05, u) << "\t" << Num(q.q25, u) << "\t" << Num(q.median, u) << "\t" << Num(q.q75, u)
          << "\t" << Num(q.q95, u) << "\n";
    }
  }
  return out.str();
}

std::string MonteCarloCsv(const MonteCarloResult& r) {
  std::ostringstream out;
  out << "sample";
  for (const auto& name : MonteCarloColumnNames(r)) out << "," << CsvField(name);
  out << ",outcome\n";
  for (const auto& s : r.samples) {
    out << s.index;
    for (double v : s.values) out << "," << CsvNum(v);
    for (double v : s.drawn) out << "," << CsvNum(v);
    out << "," << CsvField(r.outcomes[s.outcome]) << "\n";
  }
  return out.str();
}

json MonteCarloJson(const MonteCarloResult& r, bool with_samples) {
  json j;
  j["kind"] = "montecarlo";
  j["seed"] = r.seed;
  j["requested"] = r.requested;
  j["parameters"] = BaseJson(r.base);
  if (!r.input_digest.empty()) j["input_digest"] = r.input_digest;
  j["computed"] = r.samples.size();
  j["shard"] = {{"index", r.shard.index + 1}, {"count", r.shard.count}};
  j["interrupted"] = r.interrupted;
  j["value_names"] = r.value_names;
  j["drawn_names"] = r.drawn_names;
  json shares = json::array();
  for (const auto& s : r.shares)
    shares.push_back({{"outcome", s.outcome}, {"count", s.count}, {"probability", s.probability},
                      {"ci95", {s.ci_low, s.ci_high}}});
  j["outcomes"] = std::move(shares);
  json classes = json::array();
  for (const auto& s : r.class_shares)
    classes.push_back({{"class", s.outcome}, {"count", s.count}, {"probability", s.probability},
                       {"ci95", {s.ci_low, s.ci_high}}});
  j["outcome_classes"] = std::move(classes);
  json stats = json::object();
  // A statistic that does not exist (no sample; the sd of one sample) is null, as in the document
  // written.
  auto number = [](double x) { return std::isnan(x) ? json(nullptr) : json(x); };
  for (std::size_t v = 0; v < r.value_names.size() && v < r.value_stats.size(); ++v) {
    const Quantiles& q = r.value_stats[v];
    stats[r.value_names[v]] = {{"count", q.count}, {"mean", number(q.mean)}, {"sd", number(q.sd)},
                               {"min", number(q.min)}, {"q05", number(q.q05)}, {"q25", number(q.q25)},
                               {"median", number(q.median)}, {"q75", number(q.q75)}, {"q95", number(q.q95)},
                               {"max", number(q.max)}};
  }
  j["values"] = std::move(stats);
  j["outcome_names"] = r.outcomes;
  j["outcome_keys"] = r.outcome_keys;
  if (with_samples) {
    json samples = json::array();
    for (const auto& s : r.samples) {
      json row = json::array({s.index, s.outcome});
      for (double v : s.values) row.push_back(v);
      for (double v : s.drawn) row.push_back(v);
      samples.push_back(std::move(row));
    }
    j["samples"] = std::move(samples);
  }
  return j;
}

}  // namespace parley::report

namespace parley::report {

namespace {

std::string RangeRuleText(const std::string& rule) {
  if (rule == "bounds") return "each parameter's min and max";
  if (rule == "quantiles") return "the 5 % and 95 % quantiles of each parameter's distribution";
  return "the 5 % and 95 % quantiles of a parameter's distribution where it has one, else its min and max";
}

}  // namespace

std::string TornadoChangesText(const analysis::TornadoParameter& p) {
  if (!p.unsearched.empty()) return (p.outcome_changes ? "yes; " : "") + TornadoThresholdsText(p);
  return p.outcome_changes ? "yes, " + TornadoThresholdsText(p) : std::string("no");
}

std::string TornadoThresholdsText(const analysis::TornadoParameter& p) {
  if (!p.unsearched.empty()) return "not searched: " + p.unsearched;
  if (p.thresholds.empty()) return p.outcome_changes ? "between the grid points" : "none";
  std::string out = "at ";
  for (std::size_t t = 0; t < p.thresholds.size(); ++t)
    // Six digits: the switch is located to 1e-6 of the range.
    out += (t ? ", " : "") + p.name + " = " + FormatSignificant(p.thresholds[t].value, 6);
  return out;
}

std::string TornadoText(const analysis::TornadoResult& r) {
  std::ostringstream out;
  out << "Tornado: each parameter at the low and the high end of its range, the others at their "
         "base values; ranges: "
      << RangeRuleText(r.range_rule) << ".";
  if (r.interrupted) out << " (interrupted: the parameters below are those computed)";
  out << "\nBase outcome: " << r.base.outcome << "\n";
  for (const auto& chart : r.charts) {
    Unit values;  // the chart's value at the base and at every end
    values.Add(chart.base_value);
    for (const analysis::TornadoBar& b : chart.bars) values.Add(b.value_low).Add(b.value_high);
    const double u = values.Get();
    out << "\n" << chart.value << " (base " << Num(chart.base_value, u) << "), widest swing first:\n"
        << "  rank\tparameter\trange\tlow\thigh\tvalue at low\tvalue at high\tswing\toutcome changes\n";
    for (std::size_t i = 0; i < chart.bars.size(); ++i) {
      const analysis::TornadoBar& b = chart.bars[i];
      const analysis::TornadoParameter& p = r.parameters[b.parameter];
      const double parameter_unit = Unit().Add(p.low).Add(p.high).Get();
      out << "  " << i + 1 << "\t" << p.name << "\t" << p.range << "\t" << Num(p.low, parameter_unit) << "\t"
          << Num(p.high, parameter_unit) << "\t" << Num(b.value_low, u) << "\t" << Num(b.value_high, u) << "\t"
          << Num(b.swing, u) << "\t"
          << TornadoChangesText(p) << "\n";
    }
  }
  if (!r.skipped.empty()) {
    out << "\nNot varied:";
    for (std::size_t i = 0; i < r.skipped.size(); ++i)
      out << (i ? "," : "") << " " << r.skipped[i].first << " (" << r.skipped[i].second << ")";
    out << "\n";
  }
  return out.str();
}

std::string TornadoCsv(const analysis::TornadoResult& r) {
  std::ostringstream out;
  out << "value,rank,parameter,range,low,base,high,value_low,value_base,value_high,swing,"
         "outcome_changes,thresholds\n";
  for (const auto& chart : r.charts)
    for (std::size_t i = 0; i < chart.bars.size(); ++i) {
      const analysis::TornadoBar& b = chart.bars[i];
      const analysis::TornadoParameter& p = r.parameters[b.parameter];
      std::string thresholds;
      for (std::size_t t = 0; t < p.thresholds.size(); ++t)
        thresholds += (t ? ";" : "") + CsvNum(p.thresholds[t].value);
      out << CsvField(chart.value) << "," << i + 1 << "," << CsvField(p.name) << "," << CsvField(p.range) << ","
          << CsvNum(p.low) << "," << CsvNum(p.base) << "," << CsvNum(p.high) << "," << CsvNum(b.value_low) << ","
          << CsvNum(chart.base_value) << "," << CsvNum(b.value_high) << "," << CsvNum(b.swing) << ","
          << (p.outcome_changes ? "true" : "false") << ","
          << CsvField(p.unsearched.empty() ? thresholds : "not searched: " + p.unsearched) << "\n";
    }
  return out.str();
}

json TornadoJson(const analysis::TornadoResult& r) {
  // JSON has no NaN: a value that does not exist is null.
  auto number = [](double x) { return std::isfinite(x) ? json(x) : json(nullptr); };
  auto numbers = [&](const std::vector<double>& v) {
    json a = json::array();
    for (double x : v) a.push_back(number(x));
    return a;
  };
  json j;
  j["kind"] = "tornado";
  j["range_rule"] = r.range_rule;
  j["interrupted"] = r.interrupted;
  j["value_names"] = r.value_names;
  j["base"] = {{"outcome", r.base.outcome}, {"values", numbers(r.base.values)}};
  json parameters = json::array();
  for (const auto& p : r.parameters) {
    json thresholds = json::array();
    for (const auto& t : p.thresholds)
      thresholds.push_back({{"value", t.value}, {"lo", t.lo}, {"hi", t.hi}, {"below", t.below}, {"above", t.above}});
    parameters.push_back({{"name", p.name}, {"range", p.range}, {"low", p.low}, {"base", p.base},
                          {"high", p.high}, {"outcome_low", p.at_low.outcome},
                          {"outcome_high", p.at_high.outcome}, {"values_low", numbers(p.at_low.values)},
                          {"values_high", numbers(p.at_high.values)},
                          {"outcome_changes", p.outcome_changes}, {"thresholds", std::move(thresholds)}});
    if (!p.unsearched.empty()) parameters.back()["unsearched"] = p.unsearched;
  }
  j["parameters"] = std::move(parameters);
  json skipped = json::array();
  for (const auto& [name, why] : r.skipped) skipped.push_back({{"name", name}, {"why", why}});
  j["skipped"] = std::move(skipped);
  json charts = json::array();
  for (const auto& chart : r.charts) {
    json bars = json::array();
    for (const auto& b : chart.bars)
      bars.push_back({{"parameter", r.parameters[b.parameter].name}, {"value_low", number(b.value_low)},
                      {"value_high", number(b.value_high)}, {"swing", number(b.swing)}});
    charts.push_back({{"value", chart.value}, {"base_value", number(chart.base_value)}, {"bars", std::move(bars)}});
  }
  j["charts"] = std::move(charts);
  return j;
}

}  // namespace parley::report
