// Sweep, threshold and Monte Carlo results as text (for people), CSV (one row per grid point
// or sample) and JSON (for programs and for `parley merge`: shard files carry every row).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "solver/analysis/analysis.h"

namespace parley::analysis {

std::string SweepText(const SweepResult& r);
std::string SweepCsv(const SweepResult& r);
nlohmann::json SweepJson(const SweepResult& r);
SweepResult SweepFromJson(const nlohmann::json& j);  // throws parley::Error

std::string ThresholdsText(const std::vector<Threshold>& t, const Axis& axis, bool interrupted);
std::string ThresholdsCsv(const std::vector<Threshold>& t);
nlohmann::json ThresholdsJson(const std::vector<Threshold>& t, const Axis& axis, bool interrupted);

std::string MonteCarloText(const MonteCarloResult& r);
std::string MonteCarloCsv(const MonteCarloResult& r);
// `with_samples`: include every sample (what shards need for an exact merge).
nlohmann::json MonteCarloJson(const MonteCarloResult& r, bool with_samples);
MonteCarloResult MonteCarloFromJson(const nlohmann::json& j);  // throws parley::Error

}  // namespace parley::analysis
