// JSON rendering of bargaining results (solver/bargaining; nlohmann::json), shared by the CLI
// and the reports.
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

namespace parley::report {

nlohmann::json ToJson(const bargaining::Solution& solution,
                      const std::vector<std::string>& issue_names = {});
nlohmann::json ToJson(const bargaining::Threats& threats);
nlohmann::json ToJson(const bargaining::Result& result);
nlohmann::json ToJson(const bargaining::AlternatingOffersResult& result);

}  // namespace parley::report
