// JSON rendering of bargaining results (nlohmann::json), shared by the CLI and the reports.
// Layout: {"disagreement": [...], "ideal": [...], "solutions": {"nash": {...},
// "weighted_nash": {...}, "kalai_smorodinsky": {...}, "egalitarian": {...},
// "utilitarian": {...}}}; each solution has "payoffs" (player order), "method", "precision",
// "gap", and where they apply "weights", "issues" (name -> value), "lottery", "ties",
// "pure_cost", "lottery_payoffs", "threats". Alternating offers: {"shares": [...], ...}.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "solver/bargaining/alternating_offers.h"
#include "solver/bargaining/problem.h"

namespace parley::bargaining {

// "nash", "weighted_nash", "kalai_smorodinsky", "egalitarian", "utilitarian" or
// "weighted_utilitarian".
std::string SolutionKey(const Solution& solution);

nlohmann::json ToJson(const Solution& solution, const std::vector<std::string>& issue_names = {});
nlohmann::json ToJson(const Threats& threats);
nlohmann::json ToJson(const Result& result);
nlohmann::json ToJson(const AlternatingOffersResult& result);

}  // namespace parley::bargaining
