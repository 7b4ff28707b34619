#include "solver/report/analysis_results.h"

#include <cmath>
#include <sstream>

#include "solver/model/number.h"

namespace parley::report {

using analysis::Axis;
using analysis::MonteCarloResult;
using analysis::Quantiles;
using analysis::SweepResult;
using analysis::Threshold;
using nlohmann::json;

namespace {

// Text is for people: ten significant digits; a value that does not exist shows as n/a.
std::string Num(double x) { return std::isnan(x) ? "n/a" : FormatSignificant(x, 10); }

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

json AxesJson(const std::vector<Axis>& axes) {
  json a = json::array();
  for (const auto& x : axes) a.push_back({{"name", x.name}, {"lo", x.lo}, {"hi", x.hi}, {"n", x.n}});
  return a;
}

}  // namespace

std::string SweepText(const SweepResult& r) {
  std::ostringstream out;
  out << "Sweep over ";
  for (std::size_t a = 0; a < r.axes.size(); ++a)
    out << (a ? " x " : "") << r.axes[a].name << " from " << Num(r.axes[a].lo) << " to "
        << Num(r.axes[a].hi) << " (" << r.axes[a].n << " points)";
  out << ": " << r.points.size() << " of " << r.total << " points";
  if (r.shard.count > 1) out << " (shard " << r.shard.index + 1 << "/" << r.shard.count << ")";
  if (r.interrupted) out << " (interrupted: the rows below are those computed)";
  out << "\n\n";
  for (const auto& a : r.axes) out << a.name << "\t";
  for (const auto& v : r.value_names) out << v << "\t";
  out << "outcome\n";
  for (const auto& p : r.points) {
    for (double x : p.x) out << Num(x) << "\t";
    for (double v : p.observation.values) out << Num(v) << "\t";
    out << p.observation.outcome << "\n";
  }
  return out.str();
}

std::string SweepCsv(const SweepResult& r) {
  std::ostringstream out;
  out << "index";
  for (const auto& a : r.axes) out << "," << CsvField(a.name);
  for (const auto& v : r.value_names) out << "," << CsvField(v);
  out << ",outcome\n";
  for (const auto& p : r.points) {
    out << p.index;
    for (double x : p.x) out << "," << CsvNum(x);
    for (double v : p.observation.values) out << "," << CsvNum(v);
    out << "," << CsvField(p.observation.outcome) << "\n";
  }
  return out.str();
}

json SweepJson(const SweepResult& r) {
  json j;
  j["kind"] = "sweep";
  j["axes"] = AxesJson(r.axes);
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
  out << "Thresholds of " << axis.name << " in [" << Num(axis.lo) << ", " << Num(axis.hi)
      << "] (grid of " << axis.n << " points, each refined by bisection to 1e-9)";
  if (interrupted) out << " (interrupted: incomplete)";
  out << "\n";
  if (t.empty()) out << "  none: the outcome is the same over the whole range\n";
  for (const auto& x : t) {
    out << "  " << x.parameter << " = " << FormatSignificant(x.value, 10) << "\n"
        << "    below: " << x.below << "\n"
        << "    above: " << x.above << "\n";
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
                    {"below", x.below}, {"above", x.above}});
  j["thresholds"] = std::move(list);
  return j;
}

std::string MonteCarloText(const MonteCarloResult& r) {
  std::ostringstream out;
  out << "Monte Carlo: " << r.samples.size() << " samples";
  if (r.shard.count > 1) out << " (shard " << r.shard.index + 1 << "/" << r.shard.count << " of " << r.requested << ")";
  else if (r.samples.size() != r.requested) out << " of " << r.requested;
  out << ", seed " << r.seed;
  if (r.interrupted) out << " (interrupted: statistics over the samples computed)";
  out << "\n\nOutcome probabilities (95 % Wilson interval):\n";
  for (const auto& s : r.shares)
    out << "  " << Num(s.probability) << "  [" << Num(s.ci_low) << ", " << Num(s.ci_high) << "]  "
        << s.outcome << "\n";
  out << "\nOutcome classes (the path of moves alone, wherever the issues land; 95 % Wilson interval):\n";
  for (const auto& s : r.class_shares)
    out << "  " << Num(s.probability) << "  [" << Num(s.ci_low) << ", " << Num(s.ci_high) << "]  "
        << s.outcome << "\n";
  if (!r.value_names.empty()) {
    out << "\nValues (samples: those where the value exists; a bargaining step's issues exist "
           "only where play reaches the step):\n  name\tsamples\tmean\tsd\t5%\t25%\tmedian\t75%\t95%\n";
    for (std::size_t v = 0; v < r.value_names.size() && v < r.value_stats.size(); ++v) {
      const Quantiles& q = r.value_stats[v];
      out << "  " << r.value_names[v] << "\t" << q.count << "\t" << Num(q.mean) << "\t" << Num(q.sd) << "\t"
          << Num(q.q05) << "\t" << Num(q.q25) << "\t" << Num(q.median) << "\t" << Num(q.q75)
          << "\t" << Num(q.q95) << "\n";
    }
  }
  return out.str();
}

std::string MonteCarloCsv(const MonteCarloResult& r) {
  std::ostringstream out;
  out << "sample";
  for (const auto& v : r.value_names) out << "," << CsvField(v);
  out << ",outcome\n";
  for (const auto& s : r.samples) {
    out << s.index;
    for (double v : s.values) out << "," << CsvNum(v);
    out << "," << CsvField(r.outcomes[s.outcome]) << "\n";
  }
  return out.str();
}

json MonteCarloJson(const MonteCarloResult& r, bool with_samples) {
  json j;
  j["kind"] = "montecarlo";
  j["seed"] = r.seed;
  j["requested"] = r.requested;
  j["computed"] = r.samples.size();
  j["shard"] = {{"index", r.shard.index + 1}, {"count", r.shard.count}};
  j["interrupted"] = r.interrupted;
  j["value_names"] = r.value_names;
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
  for (std::size_t v = 0; v < r.value_names.size() && v < r.value_stats.size(); ++v) {
    const Quantiles& q = r.value_stats[v];
    stats[r.value_names[v]] = {{"count", q.count}, {"mean", q.mean}, {"sd", q.sd}, {"min", q.min}, {"q05", q.q05},
                               {"q25", q.q25}, {"median", q.median}, {"q75", q.q75},
                               {"q95", q.q95}, {"max", q.max}};
  }
  j["values"] = std::move(stats);
  if (with_samples) {
    j["outcome_names"] = r.outcomes;
    j["outcome_keys"] = r.outcome_keys;
    json samples = json::array();
    for (const auto& s : r.samples) {
      json row = json::array({s.index, s.outcome});
      for (double v : s.values) row.push_back(v);
      samples.push_back(std::move(row));
    }
    j["samples"] = std::move(samples);
  }
  return j;
}

}  // namespace parley::report
