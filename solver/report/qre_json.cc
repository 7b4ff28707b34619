// JSON of QRE traces and fits (qre_json.h).
#include "solver/report/qre_json.h"

#include <cmath>

#include "solver/equilibrium/beliefs.h"
#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/model/cancel.h"
#include "solver/model/error.h"
#include "solver/report/solution.h"

namespace parley::report {

nlohmann::ordered_json QreTraceJson(const model::Game& game, const equilibrium::QreTrace& trace) {
  equilibrium::ActionIndex index(game);
  const auto roots = equilibrium::ProperSubgameRoots(game);
  PARLEY_CHECK(trace.log_behaviors.size() == trace.points.size());
  nlohmann::ordered_json j;
  j["concept"] = "agent logit quantal response equilibrium (principal branch)";
  j["points"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < trace.points.size(); ++i) {
    const auto& [l, b] = trace.points[i];
    // A point of a large game is megabytes of JSON: a cancelled caller (Ctrl-C in Python)
    // should not wait for a whole grid of them.
    model::ThrowIfCancelled();
    // Beliefs over each set's nodes as `solve` writes them (Bayes' rule: a QRE reaches every
    // set that chance does not cut off, in log space where its reach underflows).
    equilibrium::Equilibrium profile;
    profile.behavior = b;
    equilibrium::AssignQreBeliefs(game, index, roots, trace.log_behaviors[i], profile);
    nlohmann::ordered_json point;
    point["lambda"] = l;
    point["profile"] = BehaviorJson(game, profile, false);
    j["points"].push_back(std::move(point));
  }
  if (!trace.incomplete.empty()) j["incomplete"] = trace.incomplete;
  return j;
}

nlohmann::ordered_json QreFitJson(const model::Game& game, const equilibrium::QreFit& fit) {
  nlohmann::ordered_json j;
  j["lambda"] = fit.lambda;
  j["standard_error"] = std::isfinite(fit.standard_error) ? nlohmann::ordered_json(fit.standard_error)
                                                          : nlohmann::ordered_json();
  j["log_likelihood"] = fit.log_likelihood;
  j["observations"] = fit.observations;
  j["at_zero"] = fit.at_zero;
  j["flat"] = fit.flat;
  j["at_search_limit"] = fit.at_search_limit;
  j["search_limit"] = fit.search_limit;
  j["branch_turns_back_at"] =
      fit.turned_back_at >= 0 ? nlohmann::ordered_json(fit.turned_back_at) : nlohmann::ordered_json();
  if (std::isfinite(fit.better_past_turn_lambda))
    j["better_past_turn"] = {{"lambda", fit.better_past_turn_lambda},
                             {"log_likelihood", fit.better_past_turn_log_likelihood}};
  else
    j["better_past_turn"] = nullptr;
  j["other_maxima"] = nlohmann::ordered_json::array();
  for (const auto& [lambda, ll] : fit.other_maxima)
    j["other_maxima"].push_back({{"lambda", lambda}, {"log_likelihood", ll}});
  equilibrium::QreTrace one;
  one.points.emplace_back(fit.lambda, fit.behavior);
  one.log_behaviors.push_back(fit.log_behavior);
  j["profile"] = std::move(QreTraceJson(game, one)["points"][0]["profile"]);
  return j;
}

}  // namespace parley::report
