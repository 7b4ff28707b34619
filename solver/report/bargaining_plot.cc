#include "solver/report/bargaining_plot.h"

#include "solver/bargaining/concepts.h"
#include "solver/report/text.h"

namespace parley::report {

std::string ConceptDisplayName(const bargaining::Solution& solution) {
  return bargaining::DisplayName(solution);
}

BargainingStep BargainingStepFromResult(const bargaining::Result& result,
                                        const std::vector<std::string>& players,
                                        const std::string& title,
                                        const bargaining::OutcomeSet* outcomes) {
  BargainingStep step;
  step.title = title;
  step.players = players;
  step.disagreement = result.disagreement;
  step.ideal = result.ideal;
  for (const bargaining::Solution& s : result.solutions) {
    BargainingSolutionRow row;
    row.concept_name = ConceptDisplayName(s);
    row.payoffs = s.payoffs;
    for (std::size_t k = 0; k < s.issues.size() && k < result.issue_names.size(); ++k)
      row.issues.emplace_back(result.issue_names[k], s.issues[k]);
    row.method = s.method;
    if (s.precision == bargaining::Precision::kBestFound)
      step.notes.push_back(row.concept_name + ": the best agreement a search found (" + s.method +
                           "); not proven optimal.");
    if (s.ties.size() > 1)
      step.notes.push_back(row.concept_name + ": " + std::to_string(s.ties.size()) +
                           " listed outcomes are equally good; the table shows one.");
    step.solutions.push_back(std::move(row));
  }
  auto point = [](const bargaining::Vector& v) {
    return Point2{v.size() > 0 ? v[0] : 0.0, v.size() > 1 ? v[1] : 0.0};
  };
  if (players.size() == 2) {
    BargainingChartSpec chart;
    chart.title = title;
    chart.x_label = players[0] + "'s payoff";
    chart.y_label = players[1] + "'s payoff";
    if (outcomes) {
      for (const auto& o : outcomes->outcomes) chart.outcomes.push_back(point(o));
      chart.convex_hull = outcomes->lotteries;
    }
    if (result.frontier)
      for (const auto& [u1, u2] : result.frontier->vertices) chart.frontier.push_back({u1, u2});
    chart.disagreement = point(result.disagreement);
    chart.ideal = point(result.ideal);
    for (const bargaining::Solution& s : result.solutions)
      chart.solutions.push_back({ConceptDisplayName(s), point(s.payoffs)});
    step.chart = std::move(chart);
  }
  return step;
}

}  // namespace parley::report
