#include "solver/report/solution.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <limits>
#include <sstream>
#include <string_view>

#include "solver/equilibrium/sequence_form.h"
#include "solver/model/number.h"
#include "solver/report/beliefs.h"
#include "solver/report/json_writer.h"
#include "solver/report/text.h"

namespace parley::report {

using equilibrium::ActionIndex;
using model::InfosetId;
using model::NodeKind;

std::string ShowNumber(double value, double unit) {
  if (value == 0) return "0";
  // An integer within rounding: 1e-12 of `unit` (2.9999999999999996 is 3; 4.4e-16 left over
  // from payoffs of size 1 is 0, while 4e-13 in a game whose payoffs are all that small stays
  // 4e-13), or a few units in the last place of a large value (1e-12 of it made 1e12 + 2.5,
  // an exact double, the integer 1000000000003).
  const double nearest = std::round(value);
  const double ulp = std::nextafter(std::abs(value), HUGE_VAL) - std::abs(value);
  if (std::abs(value - nearest) < std::max(1e-12 * unit, 4 * ulp) && std::abs(value) < 1e15)
    return std::to_string(static_cast<long long>(nearest));
  if (!std::isfinite(value)) return FormatSignificant(value, 10);
  if (!(std::abs(value) >= 1e9)) {
    // Ten digits, but never a whole number for a value that is not one within rounding:
    // 1.0000000002 read "1" (and 1.00000000001 beside 1.00000000002, a strict preference,
    // read "1" and "1"). Then the digits that reach its first non-zero decimal.
    std::string text = FormatSignificant(value, 10);
    for (int digits = 11; digits <= 17 && text.find_first_of(".e") == std::string::npos; ++digits)
      text = FormatSignificant(value, digits);
    return text;
  }
  // Past 1e9 ten significant digits do not reach the point (1000000002.5 printed as
  // 1000000002): four decimals more than the integer part, or the shortest text that reads
  // back as the value when that is shorter (1e13 + 0.3, not 10000000000000.301; 1e+23).
  const int digits = std::min(17, static_cast<int>(std::floor(std::log10(std::abs(value)))) + 1 + 4);
  std::string fixed = FormatSignificant(value, digits), shortest = FormatDouble(value);
  return shortest.size() <= fixed.size() ? shortest : fixed;
}

std::string ShowNumber(double value) { return ShowNumber(value, 1.0); }

std::string DescribeNode(const Game& game, NodeId v) { return game.DescribeNode(v); }

void AppendNodeDescription(const Game& game, NodeId v, std::string& out) {
  game.AppendNodeDescription(v, out);
}

// " after x > y", " at the root", " at node \"n\"": a node description after a player's name.
namespace {
std::string At(const std::string& description) {
  return description.rfind("after ", 0) == 0 ? " " + description : " at " + description;
}
}  // namespace

namespace {
// Which personal sets share their (non-empty) label with another set.
std::vector<bool> SharedSetLabels(const Game& game) {
  // An open-addressing table of the first set with each label, since a file may have a
  // million sets, each with a label of its own (a node-based map allocated per label and
  // missed the cache twice per lookup).
  const InfosetId num_sets = game.num_infosets();
  std::vector<bool> shared(num_sets, false);
  const std::size_t slots = std::bit_ceil(2 * static_cast<std::size_t>(num_sets) + 2);
  std::vector<InfosetId> table(slots, model::kNoInfoset);
  // Each lookup misses the cache when every set has a label of its own: the slot of the set
  // kAhead places further on is fetched while this one is looked up.
  constexpr InfosetId kAhead = 16;
  auto slot_of = [&](InfosetId h) {
    return std::hash<std::string_view>{}(game.infoset_label(h)) & (slots - 1);
  };
  for (InfosetId h = 0; h < num_sets; ++h) {
    if (h + kAhead < num_sets) __builtin_prefetch(&table[slot_of(h + kAhead)]);
    if (game.infoset_player(h) == model::kChancePlayer) continue;
    std::string_view label = game.infoset_label(h);
    if (label.empty()) continue;
    for (std::size_t i = slot_of(h);; i = (i + 1) & (slots - 1)) {
      if (table[i] == model::kNoInfoset) {
        table[i] = h;
        break;
      }
      if (game.infoset_label(table[i]) == label) {
        shared[table[i]] = shared[h] = true;
        break;
      }
    }
  }
  return shared;
}

// The name InfosetNames gives set h, `shared` from SharedSetLabels.
std::string InfosetName(const Game& game, const std::vector<bool>& shared, InfosetId h) {
  int p = game.infoset_player(h);
  if (p == model::kChancePlayer) return "chance at " + DescribeNode(game, game.infoset_nodes(h).front());
  // A set's own label when no other set shares it, else the mover and where:
  // "Microsoft after ask > grant", "Ann at the root".
  std::string_view label = game.infoset_label(h);
  if (!label.empty() && !shared[h]) return std::string(label);
  auto nodes = game.infoset_nodes(h);
  std::string name = game.player_name(p) + At(DescribeNode(game, nodes.front()));
  if (nodes.size() > 1) name += " (+" + std::to_string(nodes.size() - 1) + " nodes)";
  return name;
}
}  // namespace

std::vector<std::string> InfosetNames(const Game& game) {
  const std::vector<bool> shared = SharedSetLabels(game);
  std::vector<std::string> names(game.num_infosets());
  for (InfosetId h = 0; h < game.num_infosets(); ++h) names[h] = InfosetName(game, shared, h);
  return names;
}

std::vector<PathEntry> EquilibriumPath(const Game& game, const Equilibrium& eq,
                                       std::size_t limit, bool* cut) {
  ActionIndex index(game);
  std::vector<double> reach = equilibrium::ReachProbabilities(game, index, eq.behavior);
  std::vector<PathEntry> out;
  const int np = game.num_players();
  // Terminal payoffs accumulate outcomes on the path.
  for (NodeId v = 0; v < game.num_nodes(); ++v) {
    if (!game.is_terminal(v) || reach[v] <= 0) continue;
    PathEntry e;
    e.probability = reach[v];
    e.terminal = v;
    e.payoffs.assign(np, 0.0);
    for (NodeId c = v;; c = game.parent(c)) {
      e.nodes.push_back(c);
      if (game.outcome(c) != model::kNoOutcome)
        for (int i = 0; i < np; ++i) e.payoffs[i] += game.payoff(game.outcome(c), i);
      if (c == Game::root()) break;
    }
    std::reverse(e.nodes.begin(), e.nodes.end());
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PathEntry& a, const PathEntry& b) { return a.probability > b.probability; });
  if (cut) *cut = out.size() > limit;
  if (out.size() > limit) out.resize(limit);
  return out;
}

namespace {

// `unit`: the game's payoff unit (equilibrium::TieUnit), against which rounding is measured.
std::string Payoffs(const Game& game, const Equilibrium& eq, bool exact, double unit) {
  std::string out;
  for (int p = 0; p < game.num_players(); ++p) {
    if (p) out += ", ";
    out += game.player_name(p) + " " +
           (exact && !eq.exact_payoffs.empty() ? FormatRational(eq.exact_payoffs[p])
                                               : ShowNumber(eq.payoffs[p], unit));
  }
  return out;
}

std::string Probability(const Equilibrium& eq, std::uint32_t i, bool exact) {
  if (exact && !eq.exact_behavior.empty()) return FormatRational(eq.exact_behavior[i]);
  return ShowNumber(eq.behavior[i]);
}

// A path's own fractions under exact arithmetic (eq.exact_behavior): the product of its moves'
// probabilities, and each player's sum of the outcomes along it.
struct ExactPath {
  Rational probability = 1;
  std::vector<Rational> payoffs;
};
ExactPath ExactPathNumbers(const Game& game, const Equilibrium& eq, const ActionIndex& index, const PathEntry& p) {
  ExactPath out;
  out.payoffs.assign(static_cast<std::size_t>(game.num_players()), Rational(0));
  for (std::size_t k = 0; k < p.nodes.size(); ++k) {
    const NodeId v = p.nodes[k];
    if (game.outcome(v) != model::kNoOutcome)
      for (int i = 0; i < game.num_players(); ++i)
        out.payoffs[static_cast<std::size_t>(i)] += equilibrium::PayoffAs<Rational>(game, game.outcome(v), i);
    if (k + 1 < p.nodes.size())
      out.probability *= eq.exact_behavior[index.first(game.infoset(v)) + game.action_into(p.nodes[k + 1])];
  }
  return out;
}

std::string PathText(const Game& game, const PathEntry& e) {
  std::string out;
  for (std::size_t k = 0; k + 1 < e.nodes.size(); ++k) {
    NodeId v = e.nodes[k];
    std::uint32_t a = game.action_into(e.nodes[k + 1]);
    const std::string label(game.action_label(game.infoset(v), a));
    std::string who = game.kind(v) == NodeKind::kChance ? "chance" : game.player_name(game.player(v));
    if (k) out += ", ";
    out += who + " " + (label.empty() ? "#" + std::to_string(a + 1) : label);
  }
  if (out.empty()) out = "(the root is terminal)";
  return out;
}

}  // namespace

bool StatedExactly(const Game& game) {
  // How the numbers were given (the builder saw each one's kind), not their size: 1e-13 and
  // 1/10^20 in a file are as exact as 1/3, and a computed 0.5 is not.
  return game.numbers_stated_exactly();
}

std::string ExactnessNote() {
  // Also after floating point's fallback to exact arithmetic, without --exact: no option named.
  return "exact arithmetic: some payoffs or probabilities of this game were computed in floating point "
         "(formulas, or JSON numbers, which are doubles), so no result is exact; payoffs and probabilities are shown as "
         "decimals";
}

namespace {

// One information set's choice in words: "accept", or "accept 1/3, reject 2/3".
std::string ChoiceText(const Game& game, const Equilibrium& eq, const ActionIndex& index,
                       InfosetId h, bool exact) {
  std::uint32_t first = index.first(h), n = game.num_actions(h);
  std::string out;
  if (equilibrium::IsPure(eq.behavior, first, n)) {
    for (std::uint32_t a = 0; a < n; ++a)
      if (eq.behavior[first + a] == 1) out = ActionName(game, h, a);
    return out;
  }
  for (std::uint32_t a = 0; a < n; ++a) {
    if (eq.behavior[first + a] == 0) continue;
    out += (out.empty() ? "" : ", ") + ActionName(game, h, a) + " " + Probability(eq, first + a, exact);
  }
  return out;
}

// "Microsoft at [after complaint]" (a label that is the mover's name stands alone:
// "Incumbent").
// The text names only the sets it lists (a few dozen of a million): each is named when
// listed, not all of them first.
std::string SetName(const Game& game, const std::vector<bool>& shared, InfosetId h) {
  std::string who = InfosetName(game, shared, h);
  const std::string& mover = game.player_name(game.infoset_player(h));
  if (who == game.infoset_label(h) && who != mover) who = mover + " at [" + who + "]";
  return who;
}

}  // namespace

SetNames::SetNames(const Game& game) : game_(game), shared_(SharedSetLabels(game)) {}

std::string SetNames::operator()(InfosetId h) const { return SetName(game_, shared_, h); }

namespace {

// What identifies an equilibrium's play: the terminal nodes reached with their
// probabilities, and the payoffs.
std::string PathKey(const Game& game, const Equilibrium& eq) {
  std::string key;
  for (const PathEntry& e : EquilibriumPath(game, eq, 1000000))
    key += std::to_string(e.terminal) + ":" + FormatDouble(e.probability) + ";";
  for (double x : eq.payoffs) key += FormatDouble(x) + ",";
  return key;
}

}  // namespace

std::string SolutionText(const Game& game, const Solution& solution, const TextOptions& options) {
  std::ostringstream out;
  WriteSolutionText(out, game, solution, options);
  return out.str();
}

void WriteSolutionText(std::ostream& out, const Game& game, const Solution& solution,
                       const TextOptions& options) {
  ActionIndex index(game);
  std::string title = game.title().empty() ? std::string("Game") : game.title();
  out << title << "\n";
  out << "Players: ";
  for (int p = 0; p < game.num_players(); ++p) out << (p ? ", " : "") << game.player_name(p);
  out << "\n";
  std::size_t count = solution.equilibria.size();
  // Fractions only for exact quantities: exact arithmetic on a game stated exactly.
  const bool exact = solution.exact && StatedExactly(game);
  std::vector<char> roots;
  if (exact) roots = equilibrium::ProperSubgameRoots(game);
  const ExactBeliefInputs exact_beliefs{roots, index};
  // Rounding in payoffs is measured against the game's own payoff unit (1, or the largest
  // payoff when all are smaller): a game stated in units of 1e-13 keeps its values.
  const double unit = equilibrium::TieUnit(game);
  // --max is named only when it alone cut the list: where a guard stopped the enumeration
  // too (a cap on memory, or on the profiles listed), the guard is what shortened it, and
  // the note names it (17 of alternating offers' equilibria were said to be cut at --max,
  // which was 1000).
  const bool guard = !solution.complete && solution.stopped_by != "not enumerated";
  out << "Method: " << solution.method << (solution.exact ? " (exact rational arithmetic)" : "")
      << "; " << count << " " << solution.concept_name << " equilibri" << (count == 1 ? "um" : "a")
      << (!solution.truncated ? ""
          : guard             ? " listed (there are more)"
                              : " listed (the list was cut at --max; there are more)")
      << (solution.complete                         ? ""
          : solution.stopped_by == "not enumerated" ? " (not an enumeration: see the note)"
                                                    : " (incomplete: a limit stopped the enumeration)")
      << "\n";
  for (const auto& note : solution.notes) out << "Note: " << note << "\n";
  if (solution.exact && !exact) out << "Note: " << ExactnessNote() << "\n";
  // Equilibria that share their play (--all lists many that differ only off the path): the
  // first of each group in full, the others by how they differ from it.
  std::vector<std::size_t> group_of(count);
  if (count > 1) {  // (one equilibrium is its own group: no path to compare with)
    std::map<std::string, std::size_t> first_with;
    for (std::size_t k = 0; k < count; ++k)
      group_of[k] = first_with.emplace(PathKey(game, solution.equilibria[k]), k).first->second;
    if (count > 1 && first_with.size() < count)
      out << "Paths: the " << count << " equilibria follow " << first_with.size() << " distinct "
          << (first_with.size() == 1 ? "path" : "paths")
          << "; an equilibrium with the same path and payoffs as an earlier one is shown by its "
             "choices off the path that differ\n";
  }
  const SetNames set_name(game);
  for (std::size_t k = 0; k < count; ++k) {
    const Equilibrium& eq = solution.equilibria[k];
    std::vector<double> reach = equilibrium::ReachProbabilities(game, index, eq.behavior);
    if (group_of[k] != k) {
      const Equilibrium& base = solution.equilibria[group_of[k]];
      out << "\nEquilibrium " << k + 1 << ": as equilibrium " << group_of[k] + 1
          << " (same path and payoffs), except off the path:\n";
      std::size_t shown = 0, differ = 0;
      for (InfosetId h = 0; h < game.num_infosets(); ++h) {
        if (game.infoset_player(h) == model::kChancePlayer) continue;
        std::string mine = ChoiceText(game, eq, index, h, exact);
        if (mine == ChoiceText(game, base, index, h, exact)) continue;
        if (++differ > options.max_strategy_lines) continue;
        ++shown;
        out << "    " << set_name(h) << ": " << mine << "\n";
      }
      if (differ > shown) out << "    ... and " << differ - shown << " more (use --format json for all of them)\n";
      continue;
    }
    out << "\nEquilibrium " << k + 1 << "\n";
    out << "  Payoffs: " << Payoffs(game, eq, exact, unit) << "\n";
    bool cut = false;
    auto path = EquilibriumPath(game, eq, 20, &cut);
    if (path.size() == 1 && path[0].probability == 1) {
      out << "  Path: " << PathText(game, path[0]) << "\n";
    } else {
      out << "  Outcome distribution:\n";
      for (const auto& e : path) {
        if (exact && !eq.exact_behavior.empty()) {  // the fractions the JSON has
          const ExactPath x = ExactPathNumbers(game, eq, index, e);
          out << "    " << FormatRational(x.probability) << "  " << PathText(game, e) << "  (";
          for (std::size_t p = 0; p < x.payoffs.size(); ++p) out << (p ? ", " : "") << FormatRational(x.payoffs[p]);
          out << ")\n";
          continue;
        }
        // A reach probability is chance's probabilities on the path times the players': its
        // rounding is measured against the former (a path of chance probability 1e-13 is not 0).
        double chance = 1;
        for (std::size_t k = 0; k + 1 < e.nodes.size(); ++k)
          if (game.kind(e.nodes[k]) == NodeKind::kChance)
            chance *= game.chance_prob(game.infoset(e.nodes[k]), game.action_into(e.nodes[k + 1]));
        out << "    " << ShowNumber(e.probability, chance) << "  " << PathText(game, e) << "  (";
        for (int p = 0; p < game.num_players(); ++p) out << (p ? ", " : "") << ShowNumber(e.payoffs[p], unit);
        out << ")\n";
      }
      if (cut) out << "    ... (more terminal nodes are reached; see --format json)\n";
    }
    out << "  Strategy at every decision point (* = reached on the equilibrium path, listed first):\n";
    std::size_t lines = 0, total = 0;
    std::vector<InfosetId> on_path_sets, off_path_sets;
    for (InfosetId h = 0; h < game.num_infosets(); ++h) {
      if (game.infoset_player(h) == model::kChancePlayer) continue;
      bool on_path = false;
      for (NodeId v : game.infoset_nodes(h)) on_path = on_path || reach[v] > 0;
      (on_path ? on_path_sets : off_path_sets).push_back(h);
    }
    for (int pass = 0; pass < 2; ++pass) {
      for (InfosetId h : pass == 0 ? on_path_sets : off_path_sets) {
        ++total;
        if (lines >= options.max_strategy_lines) continue;
        ++lines;
        out << "  " << (pass == 0 ? "* " : "  ") << set_name(h) << ": "
            << ChoiceText(game, eq, index, h, exact) << "\n";
      }
    }
    if (total > lines)
      out << "    ... and " << total - lines << " more (use --format json for all of them)\n";
    out << BeliefsText(game, eq, [&](InfosetId h) { return set_name(h); }, options.max_strategy_lines,
                       exact ? &exact_beliefs : nullptr);
    if (!eq.indifferent.empty()) {
      // Which actions tie, and which one this equilibrium takes (with --all, each
      // equilibrium takes a different one).
      std::vector<double> values = equilibrium::NodeValues(game, index, eq.behavior);
      const std::size_t np = static_cast<std::size_t>(game.num_players());
      out << "  Ties (the mover had several optimal actions; the one taken is shown):\n";
      std::size_t shown = 0;
      for (NodeId v : eq.indifferent) {
        if (++shown > 10) {
          out << "    ... and " << eq.indifferent.size() - 10 << " more\n";
          break;
        }
        InfosetId h = game.infoset(v);
        std::size_t mover = static_cast<std::size_t>(game.player(v));
        double best = -std::numeric_limits<double>::infinity();
        for (NodeId c : game.children(v)) best = std::max(best, values[c * np + mover]);
        std::vector<std::string> optimal;
        std::uint32_t a = 0;
        for (NodeId c : game.children(v)) {
          if (std::abs(values[c * np + mover] - best) <= 1e-9 * (unit + std::abs(best)))
            optimal.push_back(ActionName(game, h, a));
          ++a;
        }
        // Named as in the strategy list above (and where, when the set has several nodes).
        std::string who = set_name(h);
        if (game.infoset_nodes(h).size() > 1) who += " (" + DescribeNode(game, v) + ")";
        out << "    " << who << ": " << JoinWithAnd(optimal) << " are equally good; this equilibrium takes "
            << ChoiceText(game, eq, index, h, exact) << "\n";
      }
    }
    if (eq.max_gain >= 0) {
      // A gain too small to show beside the payoffs is said as it is, not "0" beside "1e-13":
      // backward induction's tie rule, which a note above names, or rounding in another
      // method's floating-point answer (a Lemke answer's 3.3e-16).
      std::string gain = ShowNumber(eq.max_gain, unit);
      if (eq.max_gain > 0 && gain == "0") {
        bool tie_rule = false;
        for (const std::string& note : solution.notes) tie_rule = tie_rule || note.find("within the tie rule") != std::string::npos;
        gain = FormatSignificant(eq.max_gain, 3) + (tie_rule ? ", within the tie rule" : ", rounding beside the payoffs");
      }
      out << "  Verified: the largest gain from deviating in any subgame is " << gain << "\n";
    }
  }
}

std::vector<std::uint32_t> InfosetNumbers(const Game& game) {
  std::vector<std::uint32_t> numbers(game.num_infosets(), 0);
  std::uint32_t chance = 0;
  for (InfosetId h = 0; h < game.num_infosets(); ++h)
    numbers[h] = game.infoset_player(h) == model::kChancePlayer ? ++chance
                                                                : game.infoset_index_in_player(h) + 1;
  return numbers;
}

void WriteBehaviorJson(JsonWriter& w, const Game& game, const Equilibrium& eq, bool exact) {
  ActionIndex index(game);
  std::vector<std::uint32_t> numbers = InfosetNumbers(game);
  const bool fractions = exact && !eq.exact_behavior.empty();
  std::vector<char> roots;
  if (fractions) roots = equilibrium::ProperSubgameRoots(game);
  const ExactBeliefInputs exact_beliefs{roots, index};
  w.BeginArray();
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    int p = game.infoset_player(h);
    if (p == model::kChancePlayer) continue;
    std::uint32_t first = index.first(h), n = game.num_actions(h);
    // Keys in alphabetical order, as nlohmann::json keeps them (the documents stay the same).
    w.BeginObject();
    w.Key("actions").BeginArray();
    for (std::uint32_t a = 0; a < n; ++a) {
      w.BeginObject();
      w.Field("label", game.action_label(h, a));
      if (fractions)
        w.Field("probability", FormatRational(eq.exact_behavior[first + a]));
      else
        w.Field("probability", eq.behavior[first + a]);
      w.EndObject();
    }
    w.EndArray();
    WriteSetBeliefsJson(w, game, eq, h, fractions ? &exact_beliefs : nullptr);
    w.Field("label", game.infoset_label(h));
    w.Field("number", numbers[h]);
    w.Field("player", p + 1);
    w.EndObject();
  }
  w.EndArray();
}

namespace {
// A document from what a streaming writer writes.
template <typename Write>
nlohmann::json AsDocument(const Write& write) {
  std::string text;
  JsonWriter w([&text](std::string_view piece) { text += piece; });
  write(w);
  w.Flush();
  return nlohmann::json::parse(text);
}
}  // namespace

nlohmann::json BehaviorJson(const Game& game, const Equilibrium& eq, bool exact) {
  return AsDocument([&](JsonWriter& w) { WriteBehaviorJson(w, game, eq, exact); });
}

nlohmann::json SolutionJson(const Game& game, const Solution& solution) {
  return AsDocument([&](JsonWriter& w) { WriteSolutionJson(w, game, solution); });
}

void WriteSolutionJson(JsonWriter& w, const Game& game, const Solution& solution,
                       const nlohmann::json* bargaining) {
  ActionIndex index(game);
  std::vector<std::uint32_t> numbers = InfosetNumbers(game);
  // Fractions (as strings) only for exact quantities: exact arithmetic on a game stated
  // exactly; otherwise numbers, with a note saying why.
  const bool exact = solution.exact && StatedExactly(game);
  std::vector<std::string> notes = solution.notes;
  if (solution.exact && !exact) notes.push_back(ExactnessNote());
  // Keys in alphabetical order throughout, as the document form had them.
  w.BeginObject();
  if (bargaining) w.Field("bargaining", *bargaining);
  w.Field("complete", solution.complete);
  w.Field("concept", solution.concept_name);
  w.Key("equilibria").BeginArray();
  for (const Equilibrium& eq : solution.equilibria) {
    w.BeginObject();
    w.Key("behavior");
    WriteBehaviorJson(w, game, eq, exact);
    w.Key("indifferent").BeginArray();
    for (NodeId v : eq.indifferent) w.Integer(v);
    w.EndArray();
    if (eq.max_gain >= 0) w.Field("max_gain", eq.max_gain);
    bool cut = false;
    std::vector<PathEntry> path = EquilibriumPath(game, eq, 10000, &cut);
    w.Key("path").BeginArray();
    for (const PathEntry& p : path) {
      w.BeginObject();
      w.Key("actions").BeginArray();
      for (std::size_t k = 0; k + 1 < p.nodes.size(); ++k)
        w.String(game.action_label(game.infoset(p.nodes[k]), game.action_into(p.nodes[k + 1])));
      w.EndArray();
      if (exact && !eq.exact_behavior.empty()) {
        const ExactPath x = ExactPathNumbers(game, eq, index, p);
        w.Key("payoffs").BeginArray();
        for (const Rational& v : x.payoffs) w.String(FormatRational(v));
        w.EndArray();
        w.Field("probability", FormatRational(x.probability));
      } else {
        w.Field("payoffs", p.payoffs);
        w.Field("probability", p.probability);
      }
      w.Key("terminal").Integer(p.terminal);
      w.EndObject();
    }
    w.EndArray();
    if (cut) w.Field("path_truncated", true);
    w.Key("payoffs").BeginArray();
    for (int p = 0; p < game.num_players(); ++p) {
      if (exact && !eq.exact_payoffs.empty())
        w.String(FormatRational(eq.exact_payoffs[p]));
      else
        w.Double(eq.payoffs[p]);
    }
    w.EndArray();
    // Every decision node of a set where the strategy is pure, with its action (1-based
    // position too, since labels may repeat or be empty).
    std::vector<double> reach = equilibrium::ReachProbabilities(game, index, eq.behavior);
    w.Key("strategy").BeginArray();
    std::string at;  // each node's description, in one buffer
    for (InfosetId h = 0; h < game.num_infosets(); ++h) {
      if (game.infoset_player(h) == model::kChancePlayer) continue;
      std::uint32_t first = index.first(h), n = game.num_actions(h);
      if (!equilibrium::IsPure(eq.behavior, first, n)) continue;
      std::uint32_t chosen = 0;
      for (std::uint32_t a = 0; a < n; ++a)
        if (eq.behavior[first + a] == 1) chosen = a;
      for (NodeId v : game.infoset_nodes(h)) {
        w.BeginObject();
        w.Field("action", game.action_label(h, chosen));
        w.Field("action_number", chosen + 1);
        at.clear();
        AppendNodeDescription(game, v, at);
        w.Field("at", at);
        w.Field("infoset", numbers[h]);
        w.Field("node", v);
        w.Field("on_path", reach[v] > 0);
        w.Field("player", game.infoset_player(h) + 1);
        w.EndObject();
      }
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  // Whether the numbers above are exact fractions (strings); false when they are doubles, also
  // after exact arithmetic on a game with computed numbers (the note says so).
  w.Field("exact", exact);
  w.Field("method", solution.method);
  if (!notes.empty()) w.Field("notes", notes);
  w.Field("players", game.players());
  if (!solution.complete) w.Field("stopped_by", solution.stopped_by);
  w.Field("title", game.title());
  w.Field("truncated", solution.truncated);
  // What cut the list: --max alone, or a guard as well (named by stopped_by), which is then
  // what shortened it.
  if (solution.truncated)
    w.Field("truncated_by", !solution.complete && solution.stopped_by != "not enumerated" ? "limit" : "--max");
  w.EndObject();
}

}  // namespace parley::report
