#include "solver/analysis/render.h"

#include <cstdio>
#include <sstream>

#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::analysis {

using nlohmann::json;

namespace {

std::string Num(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", x);
  return buffer;
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
    for (double x : p.x) out << "," << Num(x);
    for (double v : p.observation.values) out << "," << Num(v);
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
                      {"values", p.observation.values}});
  j["points"] = std::move(points);
  return j;
}

SweepResult SweepFromJson(const json& j) {
  try {
    if (j.at("kind") != "sweep") throw Error("not a sweep result");
    SweepResult r;
    for (const auto& a : j.at("axes"))
      r.axes.push_back(Axis{a.at("name"), 0, a.at("lo"), a.at("hi"), a.at("n")});
    r.value_names = j.at("value_names").get<std::vector<std::string>>();
    r.total = j.at("total");
    r.shard = {j.at("shard").at("index").get<std::size_t>() - 1, j.at("shard").at("count")};
    r.interrupted = j.at("interrupted");
    for (const auto& p : j.at("points"))
      r.points.push_back({p.at("index"), p.at("x").get<std::vector<double>>(),
                          Observation{p.at("outcome"), p.at("values").get<std::vector<double>>()}});
    return r;
  } catch (const json::exception& e) {
    throw Error(std::string("not a sweep result written by parley sweep --format json: ") + e.what());
  }
}

std::string ThresholdsText(const std::vector<Threshold>& t, const Axis& axis, bool interrupted) {
  std::ostringstream out;
  out << "Thresholds of " << axis.name << " in [" << Num(axis.lo) << ", " << Num(axis.hi)
      << "] (grid of " << axis.n << " points, each refined by bisection to 1e-9)";
  if (interrupted) out << " (interrupted: incomplete)";
  out << "\n";
  if (t.empty()) out << "  none: the outcome is the same over the whole range\n";
  for (const auto& x : t) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g", x.value);
    out << "  " << x.parameter << " = " << buffer << "\n"
        << "    below: " << x.below << "\n"
        << "    above: " << x.above << "\n";
  }
  return out.str();
}

std::string ThresholdsCsv(const std::vector<Threshold>& t) {
  std::ostringstream out;
  out << "parameter,value,lo,hi,below,above\n";
  for (const auto& x : t) {
    char v[64], lo[64], hi[64];
    std::snprintf(v, sizeof v, "%.17g", x.value);
    std::snprintf(lo, sizeof lo, "%.17g", x.lo);
    std::snprintf(hi, sizeof hi, "%.17g", x.hi);
    out << CsvField(x.parameter) << "," << v << "," << lo << "," << hi << "," << CsvField(x.below)
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
  if (!r.value_names.empty()) {
    out << "\nValues:\n  name\tmean\tsd\t5%\t25%\tmedian\t75%\t95%\n";
    for (std::size_t v = 0; v < r.value_names.size() && v < r.value_stats.size(); ++v) {
      const Quantiles& q = r.value_stats[v];
      out << "  " << r.value_names[v] << "\t" << Num(q.mean) << "\t" << Num(q.sd) << "\t"
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
    for (double v : s.values) out << "," << Num(v);
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
  json stats = json::object();
  for (std::size_t v = 0; v < r.value_names.size() && v < r.value_stats.size(); ++v) {
    const Quantiles& q = r.value_stats[v];
    stats[r.value_names[v]] = {{"mean", q.mean}, {"sd", q.sd}, {"min", q.min}, {"q05", q.q05},
                               {"q25", q.q25}, {"median", q.median}, {"q75", q.q75},
                               {"q95", q.q95}, {"max", q.max}};
  }
  j["values"] = std::move(stats);
  if (with_samples) {
    j["outcome_names"] = r.outcomes;
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

MonteCarloResult MonteCarloFromJson(const json& j) {
  try {
    if (j.at("kind") != "montecarlo") throw Error("not a Monte Carlo result");
    if (!j.contains("samples"))
      throw Error("this Monte Carlo result has no samples; write shards with --format json (which keeps every sample)");
    MonteCarloResult r;
    r.seed = j.at("seed");
    r.requested = j.at("requested");
    r.shard = {j.at("shard").at("index").get<std::size_t>() - 1, j.at("shard").at("count")};
    r.interrupted = j.at("interrupted");
    r.value_names = j.at("value_names").get<std::vector<std::string>>();
    r.outcomes = j.at("outcome_names").get<std::vector<std::string>>();
    for (const auto& row : j.at("samples")) {
      MonteCarloSample s;
      s.index = row.at(0);
      s.outcome = row.at(1);
      if (s.outcome >= r.outcomes.size()) throw Error("a sample names an unknown outcome");
      for (std::size_t k = 2; k < row.size(); ++k) s.values.push_back(row[k]);
      if (s.values.size() != r.value_names.size()) throw Error("a sample has the wrong number of values");
      r.samples.push_back(std::move(s));
    }
    return r;
  } catch (const json::exception& e) {
    throw Error(std::string("not a Monte Carlo result written by parley montecarlo --format json: ") + e.what());
  }
}

}  // namespace parley::analysis
