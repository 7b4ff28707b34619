#include "solver/report/explain.h"

#include <algorithm>
#include <cmath>

#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/verify.h"
#include "solver/report/solution.h"
#include "solver/report/text.h"

namespace parley::report {

using equilibrium::ActionIndex;
using model::Game;
using model::InfosetId;
using model::NodeId;
using model::NodeKind;

namespace {

struct Context {
  const Game& game;
  const equilibrium::Equilibrium& eq;
  const ExplainOptions& options;
  ActionIndex index;
  std::vector<double> reach;
  std::vector<double> values;  // TotalValues: num_nodes x num_players
  int np;
  std::vector<char> subgame_roots;  // ProperSubgameRoots
  double tie_unit = 1;              // equilibrium::TieUnit: values are compared at the game's scale
  std::vector<char> all_digits;     // PlayersNeedingAllDigits, for the payoffs written
  // With an exact solution (--exact): node values and reach probabilities as rationals, so that
  // a tie is an exact one (1 against 1.0000000000001 is none, whatever doubles say).
  std::vector<Rational> exact_values, exact_reach;
  // The exact values are shown as fractions (as the payoff table shows them) when the game's
  // numbers were stated exactly (StatedExactly).
  bool show_exact = false;

  double Value(NodeId v, int player) const {
    return values[static_cast<std::size_t>(v) * np + player];
  }
  bool Tied(double a, double b) const {
    return std::abs(a - b) <= options.tie_tolerance * std::max({tie_unit, std::abs(a), std::abs(b)});
  }
  // A value as the explanation writes it: the exact one where there is one to show, else the
  // double at the game's scale, or every digit when it is a value to `player` whose payoffs
  // are written in full (all_digits), as the conclusion and the tree write them.
  std::string Show(double value, const Rational* exact = nullptr, int player = -1) const {
    if (show_exact && exact) return FormatRational(*exact);
    const bool full = player >= 0 && static_cast<std::size_t>(player) < all_digits.size() &&
                      all_digits[static_cast<std::size_t>(player)];
    return FormatPayoff(value, full, tie_unit);
  }
};

// What each node is worth to each player under the profile, counting the outcomes met on the
// way to it (an .efg may attach them to inner nodes): a leaf the total of the outcomes from the
// root to it (as the tree shows it), any other node the expectation of its children's. Adding
// the outcomes above a node to its NodeValues instead cancels large payoffs in floating point
// (an outcome of -1e15 above leaves of 999999999999999 and 1e15 drawn with 3/10 and 7/10 gave
// -0.25, where the leaves' totals -1 and 0 give -0.3).
template <class T>
std::vector<T> TotalValues(const Game& game, const ActionIndex& index, const std::vector<T>& behavior) {
  const std::size_t np = static_cast<std::size_t>(game.num_players());
  std::vector<T> above(game.num_nodes() * np, T(0)), values(game.num_nodes() * np, T(0));
  for (NodeId v = 0; v < game.num_nodes(); ++v) {  // preorder: a parent before its children
    const model::OutcomeId o = game.outcome(v);
    for (std::size_t p = 0; p < np; ++p) {
      if (v != Game::root()) above[v * np + p] = above[game.parent(v) * np + p];
      if (o != model::kNoOutcome) above[v * np + p] += equilibrium::PayoffAs<T>(game, o, static_cast<int>(p));
    }
  }
  for (NodeId v = game.num_nodes(); v-- > 0;) {
    T* out = &values[v * np];
    if (game.is_terminal(v)) {
      for (std::size_t p = 0; p < np; ++p) out[p] = above[v * np + p];
      continue;
    }
    const std::uint32_t first = index.first(game.infoset(v));
    const auto kids = game.children(v);
    for (std::uint32_t a = 0; a < kids.size(); ++a) {
      const T& prob = behavior[first + a];
      if (prob == 0) continue;
      for (std::size_t p = 0; p < np; ++p) out[p] += prob * values[kids[a] * np + p];
    }
  }
  return values;
}

// "A (1) with B (2)" for two, "A (1), B (2) and C (0)" for more.
// Values that differ but read the same at six digits ("safe (1) with risky (1)") are written
// in full (1 and 1.0000000000001); `same(a, b)` says which count as equal (the tie rule, or
// exact equality with --exact), and those are not (0.1 + 0.2 against 0.3 stays "0.3").
// With exact values to show (`exact`, one per action), those are written (-3/10).
template <typename Same>
std::string Comparison(const Context& c, int player, const std::vector<std::string>& names,
                       const std::vector<double>& worth, const std::vector<Rational>& exact, Same&& same) {
  auto show = [&](std::size_t a) { return c.Show(worth[a], exact.empty() ? nullptr : &exact[a], player); };
  bool full = false;
  for (std::size_t a = 0; a < worth.size() && !full; ++a)
    for (std::size_t b = a + 1; b < worth.size() && !full; ++b)
      full = !same(a, b) && show(a) == show(b);
  std::vector<std::string> parts;
  for (std::size_t a = 0; a < names.size(); ++a)
    parts.push_back(names[a] + " (" + (full ? FormatDouble(worth[a]) : show(a)) + ")");
  if (parts.size() == 2) return parts[0] + " with " + parts[1];
  return JoinWithAnd(parts);
}

// "A 1 and B 2"; every digit of the players `all_digits` marks (PlayersNeedingAllDigits), or
// the exact payoffs (`exact`, when not empty) as fractions.
std::string PayoffList(const Game& game, const std::vector<double>& payoffs, const std::vector<char>& all_digits,
                       const Rational* exact = nullptr) {
  const double unit = equilibrium::TieUnit(game);
  std::vector<std::string> parts;
  for (int p = 0; p < game.num_players(); ++p)
    parts.push_back(game.player_name(p) + " " +
                    (exact ? FormatRational(exact[p])
                           : FormatPayoff(payoffs[p], static_cast<std::size_t>(p) < all_digits.size() && all_digits[p], unit)));
  return JoinWithAnd(parts);
}

ExplanationStep ChanceStep(const Context& c, NodeId v) {
  const Game& game = c.game;
  InfosetId h = game.infoset(v);
  auto kids = game.children(v);
  std::vector<std::string> draws;
  // What each draw is worth, and the node itself (their expectation, the number the step
  // above this one compares).
  auto worth = [&](NodeId u) {
    std::vector<std::string> parts;
    for (int p = 0; p < c.np; ++p) {
      const std::size_t k = static_cast<std::size_t>(u) * c.np + p;
      parts.push_back(c.Show(c.values[k], c.exact_values.empty() ? nullptr : &c.exact_values[k], p));
    }
    return parts;
  };
  for (std::uint32_t a = 0; a < kids.size(); ++a) {
    std::vector<std::string> parts = worth(kids[a]);
    std::string vector;
    for (std::size_t p = 0; p < parts.size(); ++p) vector += (p ? ", " : "") + parts[p];
    draws.push_back(ActionName(game, h, a) + " with probability " + ChanceProbText(game, h, a) +
                    " (worth (" + vector + "))");
  }
  std::vector<double> expected(c.np);
  for (int p = 0; p < c.np; ++p) expected[p] = c.Value(v, p);
  const Rational* exact_expected =
      c.show_exact ? &c.exact_values[static_cast<std::size_t>(v) * c.np] : nullptr;
  ExplanationStep step;
  step.node = v;
  step.kind = StepKind::kChance;
  step.on_path = c.reach[v] > 0;
  step.text = NodePhrase(game, v) + ", chance draws " + JoinWithAnd(draws) +
              "; weighting by the probabilities, the players expect " +
              PayoffList(game, expected, c.all_digits, exact_expected) + " from here.";
  return step;
}

// The smallest proper subgame holding information set h (a proper subgame holding one member
// holds them all), and each member's probability of being reached by that subgame's own play
// under the profile, from its root. Subgame perfection asks the profile to be an equilibrium
// of that subgame, so where this play reaches the set the choice there is pinned down, even
// if the subgame itself lies off the equilibrium path (the no-deal threat game of a bargain).
NodeId SmallestSubgame(const Context& c, InfosetId h, std::vector<double>* reach) {
  const Game& game = c.game;
  auto members = game.infoset_nodes(h);
  NodeId root = members.front();
  while (root != Game::root() && !c.subgame_roots[root]) root = game.parent(root);
  reach->assign(members.size(), 1.0);
  for (std::size_t k = 0; k < members.size(); ++k)
    for (NodeId v = members[k]; v != root; v = game.parent(v))
      (*reach)[k] *= c.eq.behavior[c.index.first(game.infoset(game.parent(v))) + game.action_into(v)];
  return root;
}

// A decision at information set h (one node or several). `v` is its first node.
ExplanationStep DecisionStep(const Context& c, InfosetId h) {
  const Game& game = c.game;
  auto members = game.infoset_nodes(h);
  const int player = game.infoset_player(h);
  const std::string& who = game.player_name(player);
  const std::uint32_t n = game.num_actions(h), first = c.index.first(h);

  // Beliefs: the members' reach probabilities, normalised (Bayes' rule); equal weights when
  // the set is not reached.
  double total = 0;
  for (NodeId v : members) total += c.reach[v];
  std::vector<double> belief(members.size(), 1.0 / static_cast<double>(members.size()));
  if (total > 0)
    for (std::size_t k = 0; k < members.size(); ++k) belief[k] = c.reach[members[k]] / total;
  // Off the equilibrium path, but reached in the play of a proper subgame that holds it: the
  // beliefs follow from Bayes' rule within that subgame, and the choice is pinned down.
  NodeId subgame = Game::root();
  // A set of one node that starts a proper subgame is pinned down by subgame perfection even
  // off the path; one that starts none is not, unless a subgame around it reaches it.
  const bool own_subgame = members.size() == 1 && c.subgame_roots[members.front()];
  if (!own_subgame && total <= 0) {
    std::vector<double> inner;
    subgame = SmallestSubgame(c, h, &inner);
    double inner_total = 0;
    for (double x : inner) inner_total += x;
    if (subgame != Game::root() && inner_total > 0) {
      for (std::size_t k = 0; k < members.size(); ++k) belief[k] = inner[k] / inner_total;
    } else {
      subgame = Game::root();
    }
  }
  const bool pinned_off_path = subgame != Game::root();
  std::vector<double> worth(n, 0.0);
  std::vector<std::string> names(n);
  for (std::uint32_t a = 0; a < n; ++a) {
    names[a] = ActionName(game, h, a);
    for (std::size_t k = 0; k < members.size(); ++k)
      worth[a] += belief[k] * c.Value(game.child(members[k], a), player);
  }
  // Exact values where the solution is exact and the weights are known exactly (one node, or
  // a set the profile reaches): a tie is then equality, and these are
  // the values written.
  std::vector<Rational> exact_worth;
  if (!c.exact_values.empty()) {
    Rational exact_total = 0;
    for (NodeId v : members) exact_total += c.exact_reach[v];
    if (members.size() == 1 || exact_total > 0) {
      exact_worth.assign(n, Rational(0));
      for (std::uint32_t a = 0; a < n; ++a)
        for (std::size_t k = 0; k < members.size(); ++k) {
          const Rational weight = members.size() == 1 ? Rational(1) : c.exact_reach[members[k]] / exact_total;
          exact_worth[a] += weight * c.exact_values[static_cast<std::size_t>(game.child(members[k], a)) * c.np + player];
        }
    }
  }

  ExplanationStep step;
  step.node = members.front();
  step.on_path = total > 0;
  if (members.size() == 1 && total <= 0 && !own_subgame && !pinned_off_path) {
    // One node, off the path, starting no subgame and reached by no subgame's play: the choice
    // there need not be a best reply (work2.efg: Q worth 2 taken over W worth 4.5).
    std::vector<std::string> choice;
    for (std::uint32_t a = 0; a < n; ++a) {
      double p = c.eq.behavior[first + a];
      if (p <= 0) continue;
      choice.push_back(p >= 1 ? names[a] : names[a] + " with probability " + FormatProbability(p));
    }
    step.kind = StepKind::kUnreached;
    step.text = NodePhrase(game, members.front()) + ", " + who +
                " would move, but play never gets there in this equilibrium, and the node starts no "
                "subgame of its own (an information set below it reaches outside it), so subgame "
                "perfection does not pin down the choice there (" +
                Comparison(c, player, names, worth, exact_worth, [&](std::size_t a, std::size_t b) { return c.Tied(worth[a], worth[b]); }) +
                "). The equilibrium prescribes " + JoinWithAnd(choice) + " there.";
    return step;
  }
  if (members.size() > 1 && total <= 0 && !pinned_off_path) {
    // No belief follows from the strategies at an unreached set (Bayes' rule does not apply),
    // and subgame perfection does not constrain choices there: say what is prescribed.
    std::vector<std::string> where, choice;
    for (std::size_t k = 0; k < members.size() && k < 4; ++k) where.push_back(DescribeNode(game, members[k]));
    if (members.size() > 4) where.push_back(std::to_string(members.size() - 4) + " more");
    for (std::uint32_t a = 0; a < n; ++a) {
      double p = c.eq.behavior[first + a];
      if (p <= 0) continue;
      choice.push_back(p >= 1 ? names[a] : names[a] + " with probability " + FormatProbability(p));
    }
    std::string set_name = game.infoset_label(h).empty() ? "an information set" : "information set \"" + std::string(game.infoset_label(h)) + "\"";
    step.kind = StepKind::kUnreached;
    step.text = "At " + set_name + " (" + JoinWithAnd(where) + "), " + who +
                " would move, but play never gets there in this equilibrium, so no belief about "
                "which node has been reached follows from the strategies. The equilibrium "
                "prescribes " + JoinWithAnd(choice) + " there; subgame perfection does not pin "
                "down choices at unreached information sets that start no subgame.";
    return step;
  }
  std::string opening;
  if (members.size() == 1) {
    opening = NodePhrase(game, members.front()) + ", " + who;
  } else {
    std::vector<std::string> where, weights;
    for (std::size_t k = 0; k < members.size() && k < 4; ++k) where.push_back(DescribeNode(game, members[k]));
    if (members.size() > 4) where.push_back(std::to_string(members.size() - 4) + " more");
    for (double b : belief) weights.push_back(FormatProbability(b));
    std::string set_name = game.infoset_label(h).empty() ? "an information set" : "information set \"" + std::string(game.infoset_label(h)) + "\"";
    opening = "At " + set_name + ", " + who + " cannot tell apart " + std::to_string(members.size()) +
              " nodes (" + JoinWithAnd(where) + "); " +
              (total > 0 ? "given how likely play reaches each (" + JoinWithAnd(weights) + "), " + who
               : pinned_off_path
                   ? std::string("play does not get there in this equilibrium, but the set lies in the proper ")
                     + "subgame rooted " + std::string(game.node_label(subgame).empty() ? "" : "at ") +
                     DescribeNode(game, subgame) + ", whose own play "
                     "reaches it. Subgame perfection makes the profile an equilibrium of that "
                     "subgame too, so the choice here is pinned down, and with it what the "
                     "subgame is worth (for a bargain's no-deal branch: the disagreement point). "
                     "Given how likely that subgame's play reaches each node (" +
                         JoinWithAnd(weights) + "), " + who
                   : "play never reaches them in this equilibrium, so weighing them equally, " + who);
  }

  std::vector<std::uint32_t> played;
  for (std::uint32_t a = 0; a < n; ++a)
    if (c.eq.behavior[first + a] > 0) played.push_back(a);
  bool pure = played.size() == 1 && c.eq.behavior[first + played[0]] == 1;

  if (pure) {
    std::uint32_t chosen = played[0];
    // Actions told apart by position where two share a label ("a (action 2)").
    auto shown = [&](std::uint32_t a) {
      const bool shared = std::count(names.begin(), names.end(), names[a]) > 1;
      return shared ? names[a] + " (action " + std::to_string(a + 1) + ")" : names[a];
    };
    auto tied_with_chosen = [&](std::uint32_t a) {
      return exact_worth.empty() ? c.Tied(worth[a], worth[chosen]) : exact_worth[a] == exact_worth[chosen];
    };
    std::vector<std::string> tied;
    std::vector<std::string> others;
    for (std::uint32_t a = 0; a < n; ++a)
      if (tied_with_chosen(a)) {
        tied.push_back(shown(a));
        if (a != chosen) others.push_back(shown(a));
      }
    step.kind = tied.size() > 1 ? StepKind::kTie : StepKind::kChoice;
    auto same = [&](std::size_t a, std::size_t b) {
      return exact_worth.empty() ? c.Tied(worth[a], worth[b]) : exact_worth[a] == exact_worth[b];
    };
    step.text = opening + " compares " + Comparison(c, player, names, worth, exact_worth, same) + " and chooses " +
                shown(chosen) + ".";
    if (tied.size() > 1) {
      step.text += " This is a tie: " + JoinWithAnd(tied) + " give " + who + " the same " +
                   c.Show(worth[chosen], exact_worth.empty() ? nullptr : &exact_worth[chosen], player) + ", so " + who + " is indifferent; this equilibrium takes " +
                   shown(chosen) + ", and taking " + JoinWithAnd(others) +
                   (game.perfect_information()
                        ? " instead gives another equilibrium (parley solve --all lists them)."
                        : " instead may give another equilibrium.");
    }
    if (!step.on_path && !c.reach.empty()) step.text += " (This node is off the equilibrium path.)";
    return step;
  }

  // Mixed: say who mixes, over what, and why that can be optimal (indifference).
  step.kind = StepKind::kMix;
  std::vector<std::string> mix, mixed_names;
  for (std::uint32_t a : played) {
    mix.push_back(names[a] + " with probability " + FormatProbability(c.eq.behavior[first + a]));
    mixed_names.push_back(names[a]);
  }
  bool indifferent = true;
  for (std::uint32_t a : played) indifferent = indifferent && std::abs(worth[a] - worth[played[0]]) <= 1e-6 * std::max(1.0, std::abs(worth[played[0]]));
  step.text = opening + " compares " +
              Comparison(c, player, names, worth, exact_worth, [&](std::size_t a, std::size_t b) { return c.Tied(worth[a], worth[b]); }) +
              ", and mixes: " + JoinWithAnd(mix) + ".";
  if (indifferent) {
    step.text += " Mixing is a best reply only because " + who + " is indifferent: " +
                 JoinWithAnd(mixed_names) + " each give " + who + " an expected " +
                 c.Show(worth[played[0]], exact_worth.empty() ? nullptr : &exact_worth[played[0]], player) +
                 ", so any mix of them is as good as any other. The probabilities are the ones "
                 "that keep the other players willing to play their own parts of the equilibrium.";
  } else {
    step.text += " (The mixed actions' expected values differ by more than rounding: the "
                 "profile is an approximation.)";
  }
  return step;
}

std::string PathSentence(const Game& game, const PathEntry& e) {
  std::vector<std::string> moves;
  for (std::size_t k = 0; k + 1 < e.nodes.size(); ++k) {
    NodeId v = e.nodes[k];
    std::string action = ActionName(game, game.infoset(v), game.action_into(e.nodes[k + 1]));
    moves.push_back(game.kind(v) == NodeKind::kChance ? "chance draws " + action
                                                      : game.player_name(game.player(v)) + " plays " + action);
  }
  if (moves.empty()) return "the game ends at once";
  return JoinWithAnd(moves);
}

}  // namespace

std::string ExplainConclusion(const Game& game, const equilibrium::Equilibrium& eq) {
  const std::vector<char> all_digits = PlayersNeedingAllDigits(game, {eq.payoffs});
  // The exact payoffs where the payoff table shows them (an exact solution of a game stated
  // exactly), so that the two agree (2000000000005/2, not 1000000000002.5 or worse).
  const Rational* exact =
      !eq.exact_payoffs.empty() && StatedExactly(game) ? eq.exact_payoffs.data() : nullptr;
  bool cut = false;
  auto path = EquilibriumPath(game, eq, 5, &cut);
  if (path.size() == 1 && path[0].probability > 0.999999999)
    return "So in equilibrium " + PathSentence(game, path[0]) + ", and the payoffs are " +
           PayoffList(game, eq.payoffs, all_digits, exact) + ".";
  std::vector<std::string> ends;
  for (const auto& e : path)
    ends.push_back("with probability " + FormatProbability(e.probability) + ", " +
                   PathSentence(game, e) + " (payoffs " + FormatVector(e.payoffs, equilibrium::TieUnit(game)) + ")");
  std::string joined;
  for (std::size_t k = 0; k < ends.size(); ++k) joined += (k ? "; " : "") + ends[k];
  return "So in equilibrium play is random: " + joined +
         // (The ends left out are no likelier than the last listed, and may be as likely.)
         (cut ? "; other ends are reached too, none more likely than the last one listed" : "") +
         ". The expected payoffs are " + PayoffList(game, eq.payoffs, all_digits, exact) + ".";
}

Explanation Explain(const Game& game, const equilibrium::Equilibrium& eq, const ExplainOptions& options) {
  Context c{game, eq, options, ActionIndex(game), {}, {}, game.num_players(), {}, equilibrium::TieUnit(game), {}, {}, {}, false};
  c.all_digits = PlayersNeedingAllDigits(game, {eq.payoffs});
  c.reach = equilibrium::ReachProbabilities(game, c.index, eq.behavior);
  c.values = TotalValues(game, c.index, eq.behavior);
  c.subgame_roots = equilibrium::ProperSubgameRoots(game);
  if (!eq.exact_behavior.empty()) {
    c.exact_values = TotalValues(game, c.index, eq.exact_behavior);
    c.show_exact = StatedExactly(game);
    c.exact_reach.assign(game.num_nodes(), Rational(0));
    c.exact_reach[Game::root()] = 1;
    for (NodeId v = 1; v < game.num_nodes(); ++v) {
      const NodeId u = game.parent(v);
      c.exact_reach[v] = c.exact_reach[u] * eq.exact_behavior[c.index.first(game.infoset(u)) + game.action_into(v)];
    }
  }

  Explanation out;
  if (game.perfect_information()) {
    out.introduction =
        "Backward induction solves the game from its end to its start: at each node, the "
        "player who moves compares what each action will pay them, knowing what everyone will "
        "do afterwards, and picks the best. Numbers in parentheses are the mover's payoff from "
        "each action. The steps are listed in the order they are computed: later steps use the "
        "results of earlier ones.";
  } else {
    out.introduction =
        (options.method.empty() ? std::string("This equilibrium")
                                : "This equilibrium was found by " + options.method + ". It") +
        " is checked below the way backward induction would check it, from the end of the game "
        "to its start: at each decision, what each action will pay the mover, given what "
        "everyone does afterwards (numbers in parentheses). Where a player cannot tell some "
        "nodes apart (an information set), the comparison weighs those nodes by how likely "
        "play reaches each (Bayes' rule).";
  }

  std::vector<ExplanationStep> steps;
  for (NodeId v = game.num_nodes(); v-- > 0;) {
    if (game.is_terminal(v) || game.num_children(v) < 2) continue;
    if (game.kind(v) == NodeKind::kChance) {
      steps.push_back(ChanceStep(c, v));
      continue;
    }
    InfosetId h = game.infoset(v);
    // A set of several nodes is explained once, where the sweep meets its last member.
    if (game.infoset_nodes(h).back() != v) continue;
    steps.push_back(DecisionStep(c, h));
  }
  // Every step off the path says so: chance moves and mixes too, not only pure choices
  // (unreached sets say it in their own words).
  constexpr std::string_view kOffPath = " (This node is off the equilibrium path.)";
  for (ExplanationStep& step : steps)
    if (!step.on_path && step.kind != StepKind::kUnreached && step.text.find(kOffPath) == std::string::npos)
      step.text += kOffPath;
  out.total_steps = steps.size();
  if (steps.size() > options.max_steps) {
    std::vector<ExplanationStep> kept;
    for (auto& s : steps)
      if (s.on_path) kept.push_back(std::move(s));
    if (kept.size() > options.max_steps)
      kept.erase(kept.begin(), kept.end() - static_cast<std::ptrdiff_t>(options.max_steps));
    out.omitted_note = "The solution took " + std::to_string(out.total_steps) +
                       " steps; the " + std::to_string(kept.size()) +
                       " shown are those on the equilibrium path" +
                       (kept.size() == options.max_steps ? " nearest the root" : "") +
                       ". The others are worked out in the same way.";
    steps = std::move(kept);
  }
  out.steps = std::move(steps);

  out.conclusion = ExplainConclusion(game, eq);
  return out;
}

std::string ExplanationText(const Explanation& explanation) {
  std::string out = explanation.introduction + "\n\n";
  for (std::size_t k = 0; k < explanation.steps.size(); ++k)
    out += std::to_string(k + 1) + ". " + explanation.steps[k].text + "\n";
  if (!explanation.omitted_note.empty()) out += "\n" + explanation.omitted_note + "\n";
  out += "\n" + explanation.conclusion + "\n";
  return out;
}

}  // namespace parley::report
