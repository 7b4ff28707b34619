#include "solver/report/qre_section.h"

#include "solver/equilibrium/beliefs.h"
#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/model/number.h"
#include "solver/report/solution.h"
#include "solver/report/text.h"

namespace parley::report {

void QreSection(const ReportInput& input, const ReportOptions& options, Document& doc) {
  if (!input.qre) return;
  const model::Game& game = *input.game;
  const QreReport& qre = *input.qre;
  const std::string lambda = FormatSignificant(qre.lambda, 6);
  Section s{"qre", "Quantal response equilibrium at lambda = " + lambda, {}};
  s.blocks.push_back(Paragraph{
      "A prediction for players who err: at every decision point each action is chosen with "
      "probability proportional to exp(lambda x its expected payoff), given what the others do "
      "and, where the mover cannot tell nodes apart, the beliefs that play implies (agent logit "
      "quantal response equilibrium, McKelvey and Palfrey 1998, on the branch that starts from "
      "uniform play at lambda = 0). Lambda = 0 is uniform play; as lambda grows, play approaches an "
      "equilibrium. Lambda is in the payoffs' own units: here a payoff difference of " +
      FormatSignificant(1 / (qre.lambda > 0 ? qre.lambda : 1), 3) +
      " makes the better action e (about 2.7) times as likely as the worse."});
  if (qre.behavior.empty()) {
    s.blocks.push_back(Note{"The quantal response branch could not be followed to lambda = " + lambda + ": " +
                            qre.stopped + "."});
    doc.sections.push_back(std::move(s));
    return;
  }
  equilibrium::ActionIndex index(game);
  std::vector<double> u = equilibrium::ActionValuesFromLog(game, index, qre.log_behavior);
  std::vector<std::string> names = InfosetNames(game);
  Table t{{"Player", "Decision point", "Action", "Probability", "Expected payoff"}, {}, {false, false, false, true, true}};
  std::size_t total = 0;
  for (model::InfosetId h = 0; h < game.num_infosets(); ++h) {
    int p = game.infoset_player(h);
    if (p == model::kChancePlayer) continue;
    ++total;
    if (t.rows.size() >= options.max_strategy_rows) continue;
    auto members = game.infoset_nodes(h);
    std::string where = members.size() == 1 && game.infoset_label(h).empty()
                            ? Capitalize(DescribeNode(game, members.front()))
                            : names[h];
    for (std::uint32_t a = 0; a < game.num_actions(h); ++a)
      t.rows.push_back({a == 0 ? game.player_name(p) : "", a == 0 ? where : "", ActionName(game, h, a),
                        FormatSignificant(qre.behavior[index(h, a)], 6), FormatSignificant(u[index(h, a)], 6)});
  }
  s.blocks.push_back(std::move(t));
  if (total > options.max_strategy_rows)
    s.blocks.push_back(Note{"Only some of the " + std::to_string(total) +
                            " decision points are listed; parley qre --format json lists them all."});
  // Beliefs where they say something: sets of two or more nodes.
  equilibrium::Equilibrium profile;
  profile.behavior = qre.behavior;
  equilibrium::AssignQreBeliefs(game, index, equilibrium::ProperSubgameRoots(game), qre.log_behavior, profile);
  Table beliefs{{"Player", "Information set", "Node", "Belief"}, {}, {false, false, false, true}};
  for (model::InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == model::kChancePlayer || game.infoset_nodes(h).size() < 2) continue;
    bool first = true;
    for (model::NodeId x : game.infoset_nodes(h)) {
      beliefs.rows.push_back({first ? game.player_name(game.infoset_player(h)) : "", first ? names[h] : "",
                              DescribeNode(game, x), FormatSignificant(profile.beliefs[x], 6)});
      first = false;
    }
  }
  if (!beliefs.rows.empty()) {
    s.blocks.push_back(Paragraph{"Beliefs: where the mover cannot tell nodes apart, the probability of "
                                 "each node given that the set is reached (Bayes' rule):"});
    s.blocks.push_back(std::move(beliefs));
  }
  const equilibrium::QreCheck& check = qre.check;
  // Above 1e-9 the bar is what rounding allows at the size of the terms compared.
  const bool scaled = check.bar() > 1e-9;
  const std::string rounding = "the " + FormatSignificant(check.bar(), 2) +
                               " that rounding allows where the terms compared reach " +
                               FormatSignificant(check.scale, 2);
  std::string verdict;
  if (check.holds())
    verdict = std::string(" (the profile is this lambda's quantal response equilibrium") +
              (scaled ? "; within " + rounding : "") + ")";
  else
    verdict = ", which is more than " + (scaled ? rounding : std::string("1e-9")) +
              ": treat this profile with caution";
  s.blocks.push_back(Paragraph{
      "Checked: for every pair of actions at every decision point, ln(probability ratio) = lambda x "
      "(difference of expected payoffs) holds to within " + FormatSignificant(check.violation, 2) + verdict + "."});
  doc.sections.push_back(std::move(s));
}

}  // namespace parley::report
