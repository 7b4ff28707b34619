// Sweep, threshold and Monte Carlo results as text (for people), CSV (one row per grid point
// or sample) and JSON (for programs and for `parley merge`: shard files carry every row; read
// back by analysis::SweepFromJson and analysis::MonteCarloFromJson).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "solver/analysis/analysis.h"

namespace parley::report {

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
// `with_samples`: include every sample (what shards need for an exact merge).
nlohmann::json MonteCarloJson(const analysis::MonteCarloResult& r, bool with_samples);

}  // namespace parley::report
