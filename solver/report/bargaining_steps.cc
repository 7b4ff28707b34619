#include "solver/report/bargaining_steps.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "solver/bargaining/concepts.h"
#include "solver/report/agreement_text.h"
#include "solver/report/bargaining_json.h"
#include "solver/report/solution.h"
#include "solver/report/text.h"

namespace parley::report {

using equilibrium::ActionIndex;
using model::NodeId;
using model::NodeKind;

namespace {

std::string Vec(const scenario::Scenario& s, const std::vector<double>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < s.players.size(); ++i)
    out += (i ? ", " : "") + s.players[i] + " " + ShowNumber(v[i]);
  return out;
}

std::string Signed(double x) { return (x >= 0 ? "+" : "") + ShowNumber(x); }

std::string Names(const scenario::Scenario& s, const std::vector<int>& players) {
  std::string out;
  for (std::size_t i = 0; i < players.size(); ++i)
    out += (i ? ", " : "") + s.players[static_cast<std::size_t>(players[i])];
  return out;
}

}  // namespace

std::vector<double> ValuesFrom(const model::Game& game, const equilibrium::Equilibrium& eq, model::NodeId v,
                               std::vector<double>& cache) {
  if (cache.empty()) cache = equilibrium::NodeValues(game, ActionIndex(game), eq.behavior);
  const std::size_t np = static_cast<std::size_t>(game.num_players());
  return {cache.begin() + static_cast<std::ptrdiff_t>(v * np), cache.begin() + static_cast<std::ptrdiff_t>((v + 1) * np)};
}

bool UsesNegotiationKeys(const scenario::Scenario& s, const scenario::BargainRecord& b) {
  return b.parties.size() != s.players.size() || !b.constraints.empty() ||
         b.protocol == bargaining::Protocol::kAlternating || b.outside ||
         !b.after_agreement.empty() || b.step.optimality != bargaining::Optimality::kExact;
}

std::string OptimalityText(const bargaining::AgreementResult& step) {
  switch (step.optimality) {
    case bargaining::Optimality::kExact:
      return "exact";
    case bargaining::Optimality::kKktPoint:
      // A residual is a small number in its own right: ShowNumber would round 3.7e-13 to 0 (the
      // JSON's kkt_residual beside a text saying "KKT residual 0").
      return "KKT point, concavity sampled (KKT residual " + FormatSignificant(step.kkt_residual, 3) +
             (step.search.empty() ? "" : "; " + step.search) + ")";
    case bargaining::Optimality::kBestFound:
      return "best found" + (step.search.empty() ? std::string() : " (" + step.search + ")");
  }
  return "";
}

std::vector<std::string> NegotiationLines(const scenario::Scenario& s,
                                          const scenario::BargainRecord& b) {
  std::vector<std::string> lines;
  if (!UsesNegotiationKeys(s, b)) return lines;
  std::vector<int> others;
  for (std::size_t p = 0; p < s.players.size(); ++p)
    if (std::find(b.parties.begin(), b.parties.end(), static_cast<int>(p)) == b.parties.end())
      others.push_back(static_cast<int>(p));
  lines.push_back("At the table: " + Names(s, b.parties) +
                  (others.empty() ? "" : " (not at the table: " + Names(s, others) + ")"));
  if (b.protocol == bargaining::Protocol::kAlternating && b.alternating.discount.size() == 2 &&
      b.parties.size() == 2) {
    std::string text = "Protocol: alternating offers, discount factors ";
    for (std::size_t i = 0; i < 2; ++i)
      text += (i ? ", " : "") + s.players[static_cast<std::size_t>(b.parties[i])] + " " +
              ShowNumber(b.alternating.discount[i]);
    text += "; " + s.players[static_cast<std::size_t>(b.parties[static_cast<std::size_t>(b.alternating.first)])] +
            " proposes first; " +
            (b.alternating.rounds ? "at most " + std::to_string(b.alternating.rounds) + " rounds"
                                  : std::string("no limit on rounds"));
    lines.push_back(text);
    const std::string first = s.players[static_cast<std::size_t>(b.parties[static_cast<std::size_t>(b.alternating.first)])];
    if (!b.step.stationary.empty()) {
      std::string values;
      std::size_t count = 0;
      for (std::size_t i = 0; i < b.step.stationary.size(); ++i) {
        const auto& [from, to] = b.step.stationary[i];
        values += i == 0 ? "" : i + 1 == b.step.stationary.size() ? " or " : ", ";
        values += from == to ? ShowNumber(from) : "any value from " + ShowNumber(from) + " to " + ShowNumber(to);
        count += from == to ? 1 : 2;
      }
      lines.push_back("Several equilibria: without lotteries between packages the frontier is not concave, and the "
                      "stationarity equations have " +
                      std::string(count > b.step.stationary.size() ? "infinitely many" : std::to_string(count)) +
                      " solutions, each a subgame-perfect equilibrium of the talks: " + first +
                      ", proposing first, gets " + values + "; the one best for " + first + " is shown");
    } else if (!b.step.stationary_unchecked.empty()) {
      lines.push_back("Uniqueness not checked: " + b.step.stationary_unchecked +
                      "; other stationary equilibria may exist");
    }
  }
  if (b.outside) {
    std::string text = "Outside options (the no-deal value), split over the inside payoffs ";
    for (std::size_t i = 0; i < b.inside.size() && i < s.players.size(); ++i)
      text += (i ? ", " : "") + s.players[i] + " " + ShowNumber(b.inside[i]);
    std::vector<int> binding;
    for (std::size_t i = 0; i < b.step.outside_binds.size() && i < b.parties.size(); ++i)
      if (b.step.outside_binds[i]) binding.push_back(b.parties[i]);
    text += binding.empty() ? "; no outside option binds"
                            : "; the outside option binds for " + Names(s, binding);
    lines.push_back(text);
  }
  if (!b.constraints.empty()) {
    std::string text = "Constraints: ";
    for (std::size_t i = 0; i < b.constraints.size(); ++i) text += (i ? "; " : "") + b.constraints[i];
    lines.push_back(text);
  }
  if (b.step.agreement_possible) {
    std::string text;
    for (std::size_t i = 0; i < b.step.binding.size(); ++i) text += (i ? "; " : "") + b.step.binding[i];
    lines.push_back("Binding at the agreement: " + (text.empty() ? std::string("nothing") : text));
    lines.push_back("Optimality: " + OptimalityText(b.step));
    if (!b.after_agreement.empty()) lines.push_back("After the agreement: " + b.after_agreement);
  }
  return lines;
}

std::string SubtreeBehaviourText(const model::Game& game, const equilibrium::Equilibrium& eq,
                                 NodeId root) {
  ActionIndex index(game);
  std::vector<double> reach(game.num_nodes(), 0.0);
  reach[root] = 1;
  std::vector<std::string> parts;
  for (NodeId v = root; v < game.subtree_end(root); ++v) {
    if (game.is_terminal(v) || reach[v] <= 0) continue;
    model::InfosetId h = game.infoset(v);
    std::uint32_t first = index.first(h), n = game.num_actions(h);
    auto kids = game.children(v);
    for (std::uint32_t a = 0; a < n; ++a) reach[kids[a]] = reach[v] * eq.behavior[first + a];
    // The moves between root and v that play may take either way, as a condition: chance's,
    // and (for a mover who sees them: an information set of one node) mixed moves of players.
    // A mover who does not see them plays alike after each, said once below.
    std::string condition;
    const bool sees = game.infoset_nodes(h).size() == 1;
    for (NodeId c = v; c != root; c = game.parent(c)) {
      NodeId p = game.parent(c);
      bool branches = false;
      if (game.kind(p) == NodeKind::kChance) {
        branches = game.num_children(p) > 1;
      } else if (sees) {
        const std::uint32_t f = index.first(game.infoset(p));
        std::uint32_t played = 0;
        for (std::uint32_t a = 0; a < game.num_actions(game.infoset(p)); ++a) played += eq.behavior[f + a] > 0;
        branches = played > 1;
      }
      if (branches)
        condition = std::string(game.action_label(game.infoset(p), game.action_into(c))) +
                    (condition.empty() ? "" : " > " + condition);
    }
    std::string text = condition.empty() ? "" : "after " + condition + ": ";
    if (game.kind(v) == NodeKind::kChance) {
      if (n == 1) continue;
      std::uint32_t positive = 0, last = 0;
      for (std::uint32_t a = 0; a < n; ++a)
        if (eq.behavior[first + a] > 0) ++positive, last = a;
      if (positive == 1) {  // a sure move, e.g. a bargain stage's agreement
        const std::string name(game.infoset_label(h));
        text += (name.empty() ? std::string("chance") : name) + ": " + std::string(game.action_label(h, last));
        parts.push_back(text);
        continue;
      }
      text += "chance";
      for (std::uint32_t a = 0; a < n; ++a)
        text += (a ? " / " : " ") + std::string(game.action_label(h, a)) + " " + ShowNumber(eq.behavior[first + a]);
    } else {
      text += game.player_name(game.player(v)) + " ";
      std::string chosen, others;
      for (std::uint32_t a = 0; a < n; ++a) {
        double p = eq.behavior[first + a];
        if (p > 0) {
          chosen += (chosen.empty() ? "" : " / ") + std::string(game.action_label(h, a)) +
                    (p < 1 ? " " + ShowNumber(p) : "");
        } else {
          others += (others.empty() ? "" : ", ") + std::string(game.action_label(h, a));
        }
      }
      text += chosen + (others.empty() ? "" : " (not " + others + ")");
    }
    // An information set of several nodes (a move that does not observe the one before) plays
    // alike at each: said once.
    if (std::find(parts.begin(), parts.end(), text) == parts.end()) parts.push_back(text);
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out.empty() ? "the game ends" : out;
}

std::string BargainingText(const scenario::Scenario& s, const equilibrium::Equilibrium& eq) {
  if (s.bargains.empty() || !s.game) return "";
  const model::Game& game = *s.game;
  ActionIndex index(game);
  std::vector<double> reach = equilibrium::ReachProbabilities(game, index, eq.behavior);
  std::ostringstream out;
  std::size_t off_path = 0;
  std::vector<double> values;  // every node's, once an outside option asks for them
  for (const scenario::BargainRecord& b : s.bargains) {
    if (reach[b.node] <= 0) {
      ++off_path;
      continue;
    }
    out << "\nBargaining: " << b.stage << " " << b.history << ", reached with probability "
        << ShowNumber(reach[b.node]) << "\n";
    const auto& r = b.step.result;
    // With outside options the no-deal branch's value is the options, and the solutions start
    // from the inside point.
    std::vector<double> options;
    if (b.outside && b.disagreement_from_branch) {
      options = ValuesFrom(game, eq, b.no_deal_node, values);
      out << "  If talks failed (what walking away leads to): " << SubtreeBehaviourText(game, eq, b.no_deal_node)
          << "\n";
      out << "  Outside options (the subgame-perfect value of that branch): " << Vec(s, options) << "\n";
      out << "  Inside point (what each gets while talks go on; the solutions start from it): "
          << Vec(s, r.disagreement) << "\n";
    } else if (b.disagreement_from_branch) {
      out << "  If talks failed (the threats behind the disagreement point): "
          << SubtreeBehaviourText(game, eq, b.no_deal_node) << "\n";
      out << "  Disagreement point (the subgame-perfect value of that branch): "
          << Vec(s, r.disagreement) << "\n";
    } else {
      out << "  Disagreement point (given in the scenario): " << Vec(s, r.disagreement) << "\n";
    }
    for (const std::string& line : NegotiationLines(s, b)) out << "  " << line << "\n";
    if (!b.step.agreement_possible) {
      out << (b.step.optimality != bargaining::Optimality::kExact
                  ? "  Optimality: " + OptimalityText(b.step) +
                        "\n  The search found no agreement that gives every player more than the disagreement point "
                        "(not proven): talks fail, "
                  : std::string("  No agreement gives every player more than the disagreement point: talks fail, "))
          << "and the branch above is what happens.\n";
      continue;
    }
    // No solution from the inside point (it lies above every agreement, and an outside option
    // above its inside value binds): no ideal point and no solutions to list.
    const bool solutions = !r.solutions.empty();
    if (solutions)
      out << "  Ideal point (the most each can get without leaving the other below the disagreement point): "
          << Vec(s, r.ideal) << "\n";
    // The concepts from the (inside) point; with outside options or alternating offers the
    // agreement below is another point (a solution below an option is not what is agreed).
    if (solutions)
    out << (b.outside ? "  Solutions side by side (from the inside point, before the outside options):\n"
            : b.protocol == bargaining::Protocol::kAlternating
                ? "  Solutions side by side (the axiomatic concepts; the alternating offers' split is below):\n"
                : "  Solutions side by side:\n");
    const std::vector<std::string> solution_terms = SolutionAgreementText(b.step);
    for (std::size_t k = 0; k < r.solutions.size(); ++k) {
      const auto& sol = r.solutions[k];
      std::string name = bargaining::ToString(sol.concept_kind);
      if (sol.weighted) name = "weighted " + name;  // as the JSON and the reports name it
      out << "    " << name << std::string(name.size() < 18 ? 18 - name.size() : 1, ' ')
          << Vec(s, sol.payoffs);
      if (k < solution_terms.size() && !solution_terms[k].empty())
        out << "   (" << solution_terms[k] << ")";
      out << "\n";
      if (!sol.ties.empty()) {
        // Packages with the same payoffs tie too (different terms): each point is named once.
        std::vector<std::string> points;
        for (const bargaining::Vector& tie : sol.ties) {
          std::string point = "(" + Vec(s, tie) + ")";
          if (std::find(points.begin(), points.end(), point) == points.end()) points.push_back(point);
        }
        if (points.size() == 1 && sol.tie_rule.empty()) {
          out << "      a tie: " << sol.ties.size() << " agreements give the " << name << " optimum " << points[0]
              << ", with different terms; the first package, in the order of the options, is shown\n";
        } else {
          out << "      a tie: " << name << " is not unique, the optimum includes " << JoinWithAnd(points) << "; "
              << (!sol.tie_rule.empty() ? sol.tie_rule
                  : bargaining::Info(sol.concept_kind).ties_by_nash_product
                      ? "the Nash solution among the optimal agreements is shown"
                      : "the one with the best score (beyond rounding), then the larger total, is shown")
              << "\n";
        }
      }
    }
    std::string concept_name = b.protocol == bargaining::Protocol::kAlternating
                                   ? std::string("alternating offers")
                                   : bargaining::ToString(b.concept_kind);
    if (!b.weights.empty()) {
      std::string powers;
      // Named: the powers are in the order of the parties, which need not be the players'.
      for (std::size_t i = 0; i < b.weights.size(); ++i)
        powers += (i ? ", " : "") +
                  (i < b.parties.size() ? s.players[static_cast<std::size_t>(b.parties[i])] + " " : std::string()) +
                  ShowNumber(b.weights[i]);
      // Egalitarian and Kalai-Smorodinsky read no powers: said so rather than "with powers".
      if (b.protocol == bargaining::Protocol::kAlternating || bargaining::Info(b.concept_kind).uses_weights)
        concept_name += " with powers " + powers;
      else
        concept_name += "; the powers " + powers + " weigh only the Nash and utilitarian solutions";
    }
    if (b.outside)  // the solution from the inside point, each outside option a floor
      concept_name += b.protocol == bargaining::Protocol::kAlternating
                          ? ", each outside option taken when it beats the offer"
                          : " from the inside point, no one below its outside option";
    if (b.outside && !solutions && b.protocol != bargaining::Protocol::kAlternating)
      concept_name = "the outside options: no agreement beats the inside point, so an option worth more than its "
                     "party's inside value binds and the others get the rest";
    out << "  Agreement (" << concept_name << "): ";
    const std::vector<std::string> terms = AgreementText(b.step);
    for (std::size_t i = 0; i < terms.size(); ++i) out << (i ? ", " : "") << terms[i];
    out << "\n  Payoffs: " << Vec(s, b.step.payoffs)
        << (options.empty() ? "\n  Gains over the threat point: " : "\n  Gains over the outside options: ");
    for (std::size_t i = 0; i < b.step.payoffs.size(); ++i)
      out << (i ? ", " : "") << s.players[i] << " "
          << Signed(b.step.payoffs[i] - (options.empty() ? r.disagreement[i] : options[i]));
    out << "\n";
    if (b.breakdown > 0)
      out << "  Talks break down anyway with probability " << ShowNumber(b.breakdown) << "\n";
  }
  if (off_path > 0)
    out << "\n(" << off_path << " more bargaining step" << (off_path > 1 ? "s" : "")
        << " off the equilibrium path; see --format json)\n";
  return out.str();
}

std::string PredictionText(const scenario::Scenario& s, const equilibrium::Equilibrium& eq) {
  if (s.bargains.empty() || !s.game) return "";
  const model::Game& game = *s.game;
  ActionIndex index(game);
  std::vector<double> reach = equilibrium::ReachProbabilities(game, index, eq.behavior);
  std::ostringstream out;
  out << "Prediction\n  Path: " << SubtreeBehaviourText(game, eq, model::Game::root()) << "\n";
  std::vector<double> values;  // every node's, once an outside option asks for them
  // A stage reached after several histories (a chance move or a choice before the talks) is
  // named with its history, so that each line says which talks it is about.
  std::map<std::string, int> reached_per_stage;
  for (const scenario::BargainRecord& b : s.bargains)
    if (reach[b.node] > 0) ++reached_per_stage[b.stage];
  for (const scenario::BargainRecord& b : s.bargains) {
    if (reach[b.node] <= 0) continue;
    const std::string stage = reached_per_stage[b.stage] > 1 && !b.history.empty() ? b.stage + " " + b.history : b.stage;
    const auto& d = b.step.result.disagreement;
    if (!b.step.agreement_possible) {
      // With outside options an agreement must beat the inside point and the outside options.
      // A search (payoffs not shown affine) proves no absence: said as what it found.
      const bool searched = b.step.optimality != bargaining::Optimality::kExact;
      out << "  " << stage << (searched ? ": the search found no agreement that beats " : ": no agreement beats ")
          << (b.outside ? "the inside point and the outside options; talks fail" : "the threat point; talks fail")
          << (searched ? " (not proven: see the optimality below)\n" : "\n");
      continue;
    }
    if (b.breakdown >= 1) {  // the agreement below would be the terms, never reached
      out << "  " << stage << ": talks always break down (breakdown 1); no agreement is reached\n";
      if (b.disagreement_from_branch)
        out << "  If talks failed: " << SubtreeBehaviourText(game, eq, b.no_deal_node) << "\n";
      continue;
    }
    out << "  Agreement at " << stage << ": ";
    const std::vector<std::string> terms = AgreementText(b.step);
    for (std::size_t i = 0; i < terms.size(); ++i) out << (i ? ", " : "") << terms[i];
    if (b.breakdown > 0)
      out << "\n  Talks break down anyway with probability " << ShowNumber(b.breakdown)
          << "; if they agree, the payoffs are below";
    out << (b.breakdown > 0 ? "\n  Payoffs if they agree: " : "\n  Payoffs: ");
    // Measured from the outside options where the scenario has them (the inside point is what
    // talks start from, not what a player walks away with).
    const bool outside = b.outside && b.disagreement_from_branch;
    const std::vector<double> reference = outside ? ValuesFrom(game, eq, b.no_deal_node, values) : d;
    for (std::size_t i = 0; i < b.step.payoffs.size(); ++i)
      out << (i ? ", " : "") << s.players[i] << " " << ShowNumber(b.step.payoffs[i]) << " ("
          << Signed(b.step.payoffs[i] - reference[i]) << (outside ? " over its outside option " : " over its threat point ")
          << ShowNumber(reference[i]) << ")";
    out << "\n";
    if (!b.after_agreement.empty()) out << "  After the agreement: " << b.after_agreement << "\n";
    if (b.disagreement_from_branch)
      out << "  If talks failed: " << SubtreeBehaviourText(game, eq, b.no_deal_node) << "\n";
  }
  out << "\n";
  return out.str();
}

nlohmann::json BargainingJson(const scenario::Scenario& s, const equilibrium::Equilibrium& eq) {
  using nlohmann::json;
  json list = json::array();
  if (!s.game) return list;
  const model::Game& game = *s.game;
  ActionIndex index(game);
  std::vector<double> reach = equilibrium::ReachProbabilities(game, index, eq.behavior);
  std::vector<double> values;  // every node's, once an outside option asks for them
  for (const scenario::BargainRecord& b : s.bargains) {
    json j;
    j["stage"] = b.stage;
    j["history"] = b.history;
    j["node"] = b.node;
    j["reach_probability"] = reach[b.node];
    // With outside options `disagreement` is the inside point the solutions start from, and
    // the no-deal branch's value is the options (`outside_options`), as the text tells them.
    const bool options_from_branch = b.outside && b.disagreement_from_branch;
    std::vector<double> options;
    if (options_from_branch) options = ValuesFrom(game, eq, b.no_deal_node, values);
    j["disagreement_source"] = b.outside ? "inside point" : b.disagreement_from_branch ? "no-deal branch" : "given";
    if (options_from_branch) j["outside_options"] = options;
    if (b.disagreement_from_branch) j["if_talks_fail"] = SubtreeBehaviourText(game, eq, b.no_deal_node);
    j["agreement_possible"] = b.step.agreement_possible;
    json all = b.step.agreement_possible ? ToJson(b.step.result) : json::object();
    j["disagreement"] = b.step.result.disagreement;
    j["ideal"] = b.step.result.ideal;
    j["solutions"] = all.contains("solutions") ? all["solutions"] : json::object();
    json texts = json::object();
    const std::vector<std::string> solution_terms = SolutionAgreementText(b.step);
    for (std::size_t k = 0; k < b.step.result.solutions.size() && k < solution_terms.size(); ++k) {
      std::string key = bargaining::ToString(b.step.result.solutions[k].concept_kind);
      if (b.step.result.solutions[k].weighted) key = "weighted_" + key;
      texts[key] = solution_terms[k];
    }
    j["solution_issues"] = texts;
    json agreement;
    // Alternating offers settle by their own split, not by the concept the solutions list.
    agreement["concept"] = b.protocol == bargaining::Protocol::kAlternating ? std::string("alternating_offers")
                                                                            : bargaining::ToString(b.concept_kind);
    agreement["weights"] = b.weights;
    agreement["payoffs"] = b.step.payoffs;
    // An issue's value as JSON: a discrete issue's option by its label (its code when no
    // option has it), a continuous one's number.
    auto issue_value = [&](std::size_t i, double value) -> json {
      if (i < b.issue_discrete.size() && b.issue_discrete[i] && i < b.options.size() && i < b.option_codes.size())
        for (std::size_t k = 0; k < b.option_codes[i].size() && k < b.options[i].size(); ++k)
          if (b.option_codes[i][k] == value) return b.options[i][k];
      return value;
    };
    json issues = json::object();
    for (std::size_t i = 0; i < b.issue_names.size() && i < b.step.issue_values.size(); ++i) {
      // A lottery between packages has no one option of a discrete issue (the expected value
      // of the options' codes is none of them): null, the packages below say what it is.
      const bool mixed = b.step.lottery && i < b.issue_discrete.size() && b.issue_discrete[i];
      issues[b.issue_names[i]] = mixed ? json(nullptr) : issue_value(i, b.step.issue_values[i]);
    }
    agreement["issues"] = issues;
    if (b.step.lottery) {
      json packages = json::array();
      for (const bargaining::AgreementPackage& package : b.step.terms.packages) {
        json terms = json::object();
        for (std::size_t i = 0; i < b.issue_names.size() && i < package.issues.size(); ++i)
          terms[b.issue_names[i]] = issue_value(i, package.issues[i]);
        packages.push_back({{"probability", package.probability}, {"issues", terms}});
      }
      agreement["packages"] = packages;
    }
    agreement["text"] = AgreementText(b.step);
    agreement["lottery"] = b.step.lottery;
    std::vector<double> gains;  // over the outside options where the text measures from them
    const std::vector<double>& reference = options_from_branch ? options : b.step.result.disagreement;
    for (std::size_t i = 0; i < b.step.payoffs.size() && i < reference.size(); ++i)
      gains.push_back(b.step.payoffs[i] - reference[i]);
    agreement["gains"] = gains;
    j["agreement"] = agreement;
    j["breakdown"] = b.breakdown;
    if (UsesNegotiationKeys(s, b)) {
      std::vector<std::string> parties;
      for (int p : b.parties) parties.push_back(s.players[static_cast<std::size_t>(p)]);
      j["parties"] = parties;
      j["constraints"] = b.constraints;
      j["binding"] = b.step.binding;
      j["optimality"] = OptimalityText(b.step);
      if (b.step.optimality == bargaining::Optimality::kKktPoint)
        j["kkt_residual"] = b.step.kkt_residual;
      j["protocol"] = b.protocol == bargaining::Protocol::kAlternating ? "alternating" : "axiomatic";
      if (b.protocol == bargaining::Protocol::kAlternating) {
        j["discount"] = b.alternating.discount;
        j["first"] = s.players[static_cast<std::size_t>(b.parties[static_cast<std::size_t>(b.alternating.first)])];
        j["rounds"] = b.alternating.rounds;
        // Several stationary equilibria: the first proposer's payoff at each, [from, to].
        if (!b.step.stationary.empty()) {
          nlohmann::json list = nlohmann::json::array();
          for (const auto& [from, to] : b.step.stationary) list.push_back({from, to});
          j["stationary_equilibria"] = std::move(list);
        }
        if (!b.step.stationary_unchecked.empty()) j["stationary_unchecked"] = b.step.stationary_unchecked;
      }
      j["disagreement_rule"] = b.outside ? "outside" : "threat";
      if (b.outside) {
        j["inside"] = b.inside;
        std::vector<std::string> binds;
        for (std::size_t i = 0; i < b.step.outside_binds.size() && i < b.parties.size(); ++i)
          if (b.step.outside_binds[i]) binds.push_back(s.players[static_cast<std::size_t>(b.parties[i])]);
        j["outside_binds"] = binds;
      }
      if (!b.after_agreement.empty()) j["after_agreement"] = b.after_agreement;
    }
    list.push_back(std::move(j));
  }
  return list;
}

}  // namespace parley::report
