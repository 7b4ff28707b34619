#include "solver/report/scenario_info.h"

#include "solver/bargaining/concepts.h"
#include "solver/report/agreement_text.h"
#include "solver/report/bargaining_plot.h"
#include "solver/report/bargaining_steps.h"
#include "solver/report/solution.h"
#include "solver/report/text.h"

namespace parley::report {

ScenarioInfo ScenarioInfoFrom(const scenario::Scenario& scenario,
                              const std::vector<std::string>& overrides) {
  ScenarioInfo info;
  info.title = scenario.title;
  info.description = scenario.description;
  info.players = scenario.players;
  info.sources = scenario.sources;
  info.notes = scenario.notes;
  info.source_file = scenario.file;
  for (const scenario::Parameter& p : scenario.parameters) {
    ParameterRow row;
    row.name = p.name;
    row.value = FormatValue(p.value);
    if (p.value != p.file_value) row.value += " (file: " + FormatValue(p.file_value) + ")";
    row.min = p.min ? FormatValue(*p.min) : "";
    row.max = p.max ? FormatValue(*p.max) : "";
    // A parameter without a unit is a pure number (a probability, a share): the payoffs'
    // unit would be wrong for it.
    row.unit = p.unit;
    row.source = p.source;
    row.assumption = p.assumption;
    row.description = p.description;
    info.parameters.push_back(std::move(row));
  }
  for (const std::string& o : overrides) {
    auto eq = o.find('=');
    info.overrides.emplace_back(o.substr(0, eq), eq == std::string::npos ? "" : o.substr(eq + 1));
  }
  return info;
}

namespace {

// "(C 0.75, A 0.25)": the powers with the parties they belong to, in the parties' order.
std::string NamedPowers(const scenario::Scenario& scenario, const scenario::BargainRecord& r) {
  std::string out;
  for (std::size_t i = 0; i < r.weights.size(); ++i)
    out += (i ? ", " : "") +
           (i < r.parties.size() ? scenario.players[static_cast<std::size_t>(r.parties[i])] + " " : std::string()) +
           FormatValue(r.weights[i]);
  return "(" + out + ")";
}

}  // namespace

std::vector<BargainingStep> BargainingStepsFrom(const scenario::Scenario& scenario,
                                                const equilibrium::Equilibrium* eq,
                                                std::size_t max_steps, std::size_t* omitted) {
  std::vector<const scenario::BargainRecord*> order;
  std::vector<double> reach;
  if (eq && scenario.game) {
    equilibrium::ActionIndex index(*scenario.game);
    reach = equilibrium::ReachProbabilities(*scenario.game, index, eq->behavior);
  }
  auto reached = [&](const scenario::BargainRecord& r) { return !reach.empty() && reach[r.node] > 0; };
  for (const auto& r : scenario.bargains)
    if (reached(r)) order.push_back(&r);
  for (const auto& r : scenario.bargains)
    if (!reached(r)) order.push_back(&r);
  if (omitted) *omitted = order.size() > max_steps ? order.size() - max_steps : 0;
  if (order.size() > max_steps) order.resize(max_steps);

  std::vector<BargainingStep> steps;
  std::vector<double> values;  // every node's, once an outside option asks for them
  for (const scenario::BargainRecord* r : order) {
    const bargaining::AgreementResult& result = r->step;
    bargaining::OutcomeSet set{result.points, true};
    std::string where = r->history.empty() ? "at the start" : r->history;
    BargainingStep step = BargainingStepFromResult(
        result.result, scenario.players, "Bargaining stage \"" + r->stage + "\" " + where,
        result.points.empty() ? nullptr : &set);
    const std::vector<std::string> solution_terms = SolutionAgreementText(result);
    for (std::size_t k = 0; k < step.solutions.size() && k < solution_terms.size(); ++k)
      step.solutions[k].terms = solution_terms[k];
    std::string concept_name = bargaining::ToString(r->concept_kind);
    for (const auto& s : result.result.solutions)
      if (s.concept_kind == r->concept_kind) concept_name = ConceptDisplayName(s);
    if (concept_name.starts_with("Weighted ")) concept_name[0] = 'w';  // mid-sentence; names keep capitals
    std::vector<std::string> terms = AgreementText(result);
    std::string settlement =
        result.agreement_possible
            ? (r->protocol == bargaining::Protocol::kAlternating
                   ? "The parties settle by alternating offers (the subgame-perfect split)"
                   : "The scenario settles them by the " + concept_name + " solution" +
                         (r->weights.empty() || !bargaining::Info(r->concept_kind).uses_weights
                              ? ""
                              : " with bargaining powers " + NamedPowers(scenario, *r))) +
                  ": the agreement is " +
                  (terms.empty() ? FormatVector(result.payoffs) : JoinWithAnd(terms)) +
                  (result.lottery
                       ? " (a lottery between packages: no single package gives these payoffs, "
                         "and the lottery does better by the " + concept_name +
                             " solution's own measure than any single package)"
                       : "") +
                  ", worth " + FormatVector(result.payoffs) + ". "
            : (result.optimality != bargaining::Optimality::kExact
                   ? "The search found no agreement that gives every player more than the disagreement point "
                     "(not proven: it samples the agreements and polishes the best), so talks fail and each "
                     "player gets "
                   : "No agreement gives every player more than the disagreement point, so talks fail and each "
                     "player gets ") +
                  FormatVector(result.payoffs) + ". ";
    step.summary = std::string(reached(*r) ? "Play reaches these talks in equilibrium. "
                                           : (reach.empty() ? "" : "Play does not reach these talks in equilibrium. ")) +
                   settlement +
                   (r->outside && r->disagreement_from_branch && eq && scenario.game
                        ? "The solutions start from the inside point " + FormatVector(result.result.disagreement) +
                              ", what each gets while talks go on; if talks fail the players get " +
                              FormatVector(ValuesFrom(*scenario.game, *eq, r->no_deal_node, values)) +
                              " in the subgame-perfect play that follows: their outside options, below "
                              "which no one agrees."
                    : r->disagreement_from_branch
                        ? "The disagreement point " + FormatVector(result.result.disagreement) +
                              " is what the players get in the subgame-perfect play that follows "
                              "if talks fail."
                        : "The disagreement point " + FormatVector(result.result.disagreement) +
                              " is given in the scenario.") +
                   (r->breakdown > 0 ? " Talks fail anyway with probability " + FormatProbability(r->breakdown) + "."
                                     : "");
    if (eq && scenario.game && r->disagreement_from_branch && r->no_deal_node < scenario.game->num_nodes())
      step.summary += " If talks failed: " + SubtreeBehaviourText(*scenario.game, *eq, r->no_deal_node) + ".";
    // Parties, constraints, alternating offers, outside options, stages after the agreement
    // and the optimality, when the stage uses them.
    for (const std::string& line : NegotiationLines(scenario, *r)) step.summary += " " + line + ".";
    // With outside options the solutions side by side start from the inside point and the
    // options apply after them; alternating offers settle by their own split. The agreement
    // gets its own row and point (the table and the chart showed only the solutions, a point
    // below a player's option among them, as if it were the answer).
    if (r->outside) {
      step.disagreement_name = "Inside point";
      if (step.chart) step.chart->disagreement_name = "inside point";
      if (r->disagreement_from_branch && eq && scenario.game)
        step.outside_options = ValuesFrom(*scenario.game, *eq, r->no_deal_node, values);
    }
    if ((r->outside || r->protocol == bargaining::Protocol::kAlternating) && result.agreement_possible) {
      BargainingSolutionRow row;
      row.concept_name = r->protocol == bargaining::Protocol::kAlternating ? "Agreement (alternating offers)"
                                                                           : "Agreement (outside options applied)";
      row.payoffs = result.payoffs;
      row.terms = JoinWithAnd(terms);
      if (step.chart)
        step.chart->solutions.push_back({"agreement", {result.payoffs.size() > 0 ? result.payoffs[0] : 0.0,
                                                       result.payoffs.size() > 1 ? result.payoffs[1] : 0.0}});
      step.agreement = std::move(row);
      step.notes.push_back(r->outside ? "The solutions side by side start from the inside point; the agreement "
                                        "row is what the parties settle on once no one is left below its "
                                        "outside option."
                                      : "The solutions side by side are the axiomatic concepts; the agreement "
                                        "row is the alternating offers' subgame-perfect split.");
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace parley::report
