// Sweep, threshold, tornado and Monte Carlo results as text (for people), CSV (one row per grid point
// or sample) and JSON (for programs and for `parley merge`: shard files carry every row; read
// back by analysis::SweepFromJson and analysis::MonteCarloFromJson).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "solver/analysis/analysis.h"
#include "solver/analysis/tornado.h"

namespace parley::report {

// The headers of a sweep's and a Monte Carlo run's data columns (the axes' parameters, then the
// values): each name as written, unless it is one of the table's own columns (index, sample,
// outcome) or repeats a column before it (a parameter named `index`, a player named
// `outcome`); then "NAME (parameter)" or "NAME (value)", so that no column hides another.
// The CSV and text tables and the Python module's data frames use them.
std::vector<std::string> SweepColumnNames(const analysis::SweepResult& r);
std::vector<std::string> MonteCarloColumnNames(const analysis::MonteCarloResult& r);

std::string SweepText(const analysis::SweepResult& r);
std::string SweepCsv(const analysis::SweepResult& r);
nlohmann::json SweepJson(const analysis::SweepResult& r);

std::string ThresholdsText(const std::vector<analysis::Threshold>& t, const analysis::Axis& axis,
                           bool interrupted);
std::string ThresholdsCsv(const std::vector<analysis::Threshold>& t);
nlohmann::json ThresholdsJson(const std::vector<analysis::Threshold>& t, const analysis::Axis& axis,
                              bool interrupted);

std::string MonteCarloText(const analysis::MonteCarloResult& r);
std::string MonteCarloCsv(const analysis::MonteCarloResult& r);
// `with_samples`: include every sample (what shards need for an exact merge); without them, the
// same document less its "samples" (the Python module's summary).
nlohmann::json MonteCarloJson(const analysis::MonteCarloResult& r, bool with_samples);

// A tornado (analysis/tornado.h): text, one table per value column, widest swing first; CSV,
// one row per value column and parameter; JSON, the parameters (ranges, outcomes at both
// ends, thresholds) and the charts (bars by rank).
std::string TornadoText(const analysis::TornadoResult& r);
std::string TornadoCsv(const analysis::TornadoResult& r);
nlohmann::json TornadoJson(const analysis::TornadoResult& r);
// The thresholds of one tornado parameter in words: "none", or "at x = 3.5, x = 7".
std::string TornadoThresholdsText(const analysis::TornadoParameter& p);
// The "outcome changes" column: "no", "yes, at ...", or why the switches were not searched.
std::string TornadoChangesText(const analysis::TornadoParameter& p);

}  // namespace parley::report
