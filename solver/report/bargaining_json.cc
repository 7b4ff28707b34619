#include "solver/report/bargaining_json.h"

#include "solver/bargaining/concepts.h"

namespace parley::report {

using bargaining::AlternatingOffersResult;
using bargaining::Concept;
using bargaining::Result;
using bargaining::Solution;
using bargaining::Threats;

nlohmann::json ToJson(const Solution& solution, const std::vector<std::string>& issue_names) {
  nlohmann::json j;
  j["payoffs"] = solution.payoffs;
  if (solution.weighted) j["weights"] = solution.weights;
  if (!solution.issues.empty()) {
    if (issue_names.size() == solution.issues.size()) {
      nlohmann::json issues = nlohmann::json::object();
      for (std::size_t k = 0; k < issue_names.size(); ++k) issues[issue_names[k]] = solution.issues[k];
      j["issues"] = issues;
    } else {
      j["issues"] = solution.issues;
    }
  }
  if (!solution.lottery.empty()) j["lottery"] = solution.lottery;
  if (!solution.ties.empty()) j["ties"] = solution.ties;
  if (solution.pure_cost) j["pure_cost"] = *solution.pure_cost;
  if (solution.lottery_payoffs) j["lottery_payoffs"] = *solution.lottery_payoffs;
  j["method"] = solution.method;
  j["precision"] = bargaining::ToString(solution.precision);
  j["gap"] = solution.gap;
  return j;
}

nlohmann::json ToJson(const Threats& threats) {
  return {{"row", threats.row_strategy},
          {"column", threats.column_strategy},
          {"threat_point", threats.threat_point},
          {"value", threats.value},
          {"normal", {threats.normal.first, threats.normal.second}},
          {"transferable", threats.transferable}};
}

nlohmann::json ToJson(const Result& result) {
  nlohmann::json j;
  j["disagreement"] = result.disagreement;
  j["ideal"] = result.ideal;
  nlohmann::json solutions = nlohmann::json::object();
  for (const Solution& solution : result.solutions) {
    nlohmann::json entry = ToJson(solution, result.issue_names);
    if (result.threats && solution.concept_kind == Concept::kNash) {
      entry["threats"] = ToJson(*result.threats);
    }
    solutions[bargaining::SolutionKey(solution)] = entry;
  }
  j["solutions"] = solutions;
  if (result.frontier) {
    nlohmann::json vertices = nlohmann::json::array();
    for (const auto& [u1, u2] : result.frontier->vertices) vertices.push_back({u1, u2});
    j["frontier"] = {{"vertices", vertices}};
  }
  if (!result.pareto_vertices.empty()) j["pareto_vertices"] = result.pareto_vertices;
  return j;
}

nlohmann::json ToJson(const AlternatingOffersResult& result) {
  return {{"shares", {result.shares[0], result.shares[1]}},
          {"effective_discount", {result.effective_discount[0], result.effective_discount[1]}},
          {"outside_option_binding", {result.outside_binding[0], result.outside_binding[1]}},
          {"method", result.method}};
}

}  // namespace parley::report
