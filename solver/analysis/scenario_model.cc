#include "solver/analysis/scenario_model.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <limits>

#include "solver/equilibrium/solve.h"
#include "solver/io/files.h"
#include "solver/load/load.h"
#include "solver/model/error.h"
#include "solver/model/number.h"
#include "solver/scenario/compiled_evaluator.h"

namespace parley::analysis {

namespace {

// Below this a behaviour probability or a reach probability counts as zero: the LP and
// Lemke solvers leave round-off of this order on actions outside the support.
constexpr double kSupportTolerance = 1e-9;
// An exact equilibrium's support is where its probabilities are positive: a move played with
// probability 5e-10 is played (a player mixing by that little is still mixing).
double SupportTolerance(const equilibrium::Equilibrium& eq) {
  return eq.exact_behavior.empty() ? kSupportTolerance : 0.0;
}
// Chance probabilities computed by formulas carry round-off (1 - 0.7 - 0.3 is 5.6e-17): a
// move this unlikely is none. Above it (1e-10 written in the file) a move is a move.
constexpr double kChanceRoundOff = 1e-12;

// Where an issue sits, as a word of the key: the option's position, or min / max / mid.
std::string IssueKey(const scenario::BargainRecord& b, std::size_t k) {
  if (b.issue_discrete[k]) {
    std::vector<double> v = b.IssueValuesByPosition();
    return k < v.size() && std::isfinite(v[k]) ? std::to_string(static_cast<long>(v[k])) : "?";
  }
  // At a bound within 1e-12 of the issue's range, as the bargain's binding list has it, or
  // 1e-9 for an agreement the nonlinear method found (docs/cli.md, thresholds).
  // A value past a bound (an ulp above it, from rounding) is at it, and the tolerance is never
  // below a few ulps of the bounds' magnitude (a range 1e-5 wide at 0.689: 1e-12 of it is less
  // than an ulp of the value).
  double v = b.step.issue_values[k];
  auto [lo, hi] = b.bounds[k];
  const double tolerance =
      std::max((b.step.optimality == bargaining::Optimality::kExact ? 1e-12 : 1e-9) * (hi - lo),
               4 * std::numeric_limits<double>::epsilon() * std::max(std::abs(lo), std::abs(hi)));
  if (v <= lo + tolerance) return "min";
  if (v >= hi - tolerance) return "max";
  return "mid";
}

// The parts of an agreement that the negotiation keys add (parties, constraints, outside
// options, stages after the agreement), as words; empty for a bargain that uses none.
std::string NegotiationStructure(const scenario::BargainRecord& b) {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  if (!b.step.binding.empty() && (!b.constraints.empty() || b.outside || !b.after_agreement.empty())) {
    std::string binding;
    for (std::size_t i = 0; i < b.step.binding.size(); ++i)
      binding += (i ? "; " : "") + b.step.binding[i];
    add("binding " + binding);
  }
  if (b.outside) {
    bool any = false;
    for (bool x : b.step.outside_binds) any = any || x;
    add(any ? "an outside option binds" : "no outside option binds");
  }
  if (!b.after_agreement.empty()) add("then " + b.after_agreement);
  return out;
}

}  // namespace

std::string AgreementStructure(const scenario::BargainRecord& b) {
  if (!b.step.agreement_possible) return "no agreement possible";
  if (b.step.lottery) return "a lottery between packages";
  std::string out;
  for (std::size_t k = 0; k < b.issue_names.size() && k < b.step.issue_values.size(); ++k) {
    std::string part;
    if (b.issue_discrete[k]) {
      std::vector<double> at = b.IssueValuesByPosition();  // "agi_clause drop"
      part = b.issue_names[k] + " " +
             (std::isfinite(at[k]) ? b.options[k][static_cast<std::size_t>(at[k])] : "?");
    } else {
      std::string where = IssueKey(b, k);
      part = b.issue_names[k] + (where == "min"   ? " at its minimum"
                                 : where == "max" ? " at its maximum"
                                                  : " in between");
    }
    out += (out.empty() ? "" : ", ") + part;
  }
  if (std::string more = NegotiationStructure(b); !more.empty()) out += "; " + more;
  if (b.step.optimality == bargaining::Optimality::kBestFound) out += " (best found)";
  if (b.step.optimality == bargaining::Optimality::kKktPoint) out += " (KKT point)";
  return out;
}

std::string AgreementKey(const scenario::BargainRecord& b) {
  if (!b.step.agreement_possible) return "none";
  if (b.step.lottery) return "lottery";
  std::string out;
  for (std::size_t k = 0; k < b.issue_names.size() && k < b.step.issue_values.size(); ++k)
    out += (k ? "," : "") + IssueKey(b, k);
  if (std::string more = NegotiationStructure(b); !more.empty()) out += ";" + more;
  return out;
}

namespace {

// Appends a whole number to a key (no string made on the way).
void AppendKeyNumber(std::uint64_t n, std::string& key) {
  char digits[24];
  key.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

// Appends action `a` of a set to a key: its position among the set's actions (from 0), not its
// label. A label can be a number that moves with a parameter (`actions: {values: [k]}`, a range
// up to a parameter): named by label, the same choice was another outcome at every value, and
// thresholds reported a switch at each bisection step (64 per grid interval) while the real
// one (the responder turning to accept) went unreported.
void AppendKeyAction(std::uint32_t a, std::string& key) { AppendKeyNumber(a, key); }

// Appends the moves from the root to `v` to a key, each after a "/" (nothing for the root).
// They are found from `v` up: each is written reversed, then the whole is reversed (neither a
// list of the nodes nor recursion, which a deep tree would overflow).
void AppendKeyHistory(const model::Game& game, model::NodeId v, std::string& key) {
  const std::size_t start = key.size();
  for (; v != game.root(); v = game.parent(v)) {
    const std::size_t at = key.size();
    AppendKeyAction(game.action_into(v), key);
    std::reverse(key.begin() + static_cast<std::ptrdiff_t>(at), key.end());
    key += '/';
  }
  std::reverse(key.begin() + static_cast<std::ptrdiff_t>(start), key.end());
}

// Nesting of branch points (chance moves, mixed choices) written out in full; deeper ones
// are written "(...)".
constexpr int kMaxBranchDepth = 16;

// The words of the equilibrium path below a node (DescribePathOutcome's text).
class PathWords {
 public:
  PathWords(const model::Game& game, const equilibrium::Equilibrium& eq, const equilibrium::ActionIndex& index,
            const std::vector<char>& on_path)
      : game_(game), eq_(eq), index_(index), on_path_(on_path), moves_below_(game.num_nodes(), 0) {
    // Children are numbered after their parent (preorder): one pass from the last node up.
    for (model::NodeId v = game.num_nodes(); v-- > 0;) {
      if (game.is_terminal(v)) continue;
      char below = game.kind(v) == model::NodeKind::kDecision && on_path[v];
      for (std::uint32_t a = 0; a < game.num_actions(game.infoset(v)) && !below; ++a)
        below = moves_below_[game.child(v, a)];
      moves_below_[v] = below;
    }
  }

  // Along the path from `v`: each decision as "Player choice", joined by " > "; where play
  // branches (a chance move with two or more outcomes reached, or a mixed choice), each branch
  // after its move's name, "(regulator acts: ...; dismisses: end)", "end" where no one moves
  // again; branches that read the same (a move the next mover does not see) are written
  // once, as a continuation. A chance move with a single outcome reached is passed through.
  void Write(model::NodeId v, int depth, std::string& out) const {
    while (!game_.is_terminal(v)) {
      const model::InfosetId h = game_.infoset(v);
      const bool chance = game_.kind(v) == model::NodeKind::kChance;
      std::vector<std::uint32_t> branches;
      for (std::uint32_t a = 0; a < game_.num_actions(h); ++a) {
        const bool taken = on_path_[game_.child(v, a)];
        if (taken) branches.push_back(a);
      }
      if (!chance) {
        Continue(out);
        out += game_.player_name(game_.player(v)) + " " + (branches.size() > 1 ? "mixes " : "");
        for (std::size_t i = 0; i < branches.size(); ++i) out += (i ? "/" : "") + MoveName(h, branches[i]);
      }
      if (branches.empty()) return;
      if (branches.size() == 1) {
        v = game_.child(v, branches.front());
        continue;
      }
      bool moves = false;
      for (std::uint32_t a : branches) moves = moves || moves_below_[game_.child(v, a)];
      if (!moves) return;
      if (depth >= kMaxBranchDepth) {
        out += chance ? (out.empty() ? "(...)" : " > (...)") : " (...)";
        return;
      }
      std::vector<std::string> texts(branches.size());
      for (std::size_t i = 0; i < branches.size(); ++i) {
        const model::NodeId c = game_.child(v, branches[i]);
        if (moves_below_[c])
          Write(c, depth + 1, texts[i]);
        else
          texts[i] = "end";
      }
      // The same moves whichever way play goes (a move the next player does not see): once.
      if (std::all_of(texts.begin(), texts.end(), [&](const std::string& t) { return t == texts.front(); })) {
        Continue(out);
        out += texts.front();
        return;
      }
      if (chance)
        Continue(out);
      else
        out += " ";
      out += "(";
      if (chance) out += ChanceName(v) + " ";
      for (std::size_t i = 0; i < branches.size(); ++i)
        out += (i ? "; " : "") + MoveName(h, branches[i]) + ": " + texts[i];
      out += ")";
      return;
    }
  }

 private:
  // " > " between two steps of one path; nothing at the start of the path or of a branch.
  static void Continue(std::string& out) {
    if (!out.empty() && out.back() != ' ') out += " > ";
  }
  std::string MoveName(model::InfosetId h, std::uint32_t a) const {
    const std::string label(game_.action_label(h, a));
    return label.empty() ? "#" + std::to_string(a + 1) : label;
  }
  std::string ChanceName(model::NodeId v) const {
    std::string name(game_.infoset_label(game_.infoset(v)));
    if (name.empty()) name = std::string(game_.node_label(v));
    return name.empty() ? "chance" : name;
  }

  const model::Game& game_;
  const equilibrium::Equilibrium& eq_;
  const equilibrium::ActionIndex& index_;
  const std::vector<char>& on_path_;
  std::vector<char> moves_below_;  // a decision node play reaches at or below the node
};

}  // namespace

std::vector<char> OnPath(const model::Game& game, const equilibrium::Equilibrium& eq,
                         const equilibrium::ActionIndex& index) {
  std::vector<char> on(game.num_nodes(), 0);
  if (game.num_nodes() == 0) return on;
  on[game.root()] = 1;
  // Children are numbered after their parent (preorder).
  for (model::NodeId v = 0; v < game.num_nodes(); ++v) {
    if (!on[v] || game.is_terminal(v)) continue;
    const model::InfosetId h = game.infoset(v);
    const bool chance = game.kind(v) == model::NodeKind::kChance;
    for (std::uint32_t a = 0; a < game.num_actions(h); ++a)
      on[game.child(v, a)] = chance ? game.chance_prob(h, a) > kChanceRoundOff
                                    : eq.behavior[index.first(h) + a] > SupportTolerance(eq);
  }
  return on;
}

PathOutcome DescribePathOutcome(const model::Game& game, const equilibrium::Equilibrium& eq,
                                const equilibrium::ActionIndex& index, const std::vector<char>& on_path) {
  PathOutcome out;
  // The key: once per information set play reaches, where play first reaches it (in preorder),
  // its player, the moves leading there and its support, actions by their positions
  // (scenario_model.h). Nothing in it depends on how the sets or nodes are numbered, which
  // moves off the path renumber. `path` holds the reached nodes from the root to the current
  // one; the first `low` of them lie on the moves to the last set written too (their history
  // is shared, and written as a count).
  out.key.reserve(128);  // most keys, in one allocation
  out.key = kOutcomeKeyTag;
  std::vector<char> seen(game.num_infosets(), 0);
  std::vector<model::NodeId> path;
  path.reserve(32);  // deeper paths grow it
  std::size_t low = 1;
  for (model::NodeId v = 0; v < game.num_nodes();) {
    if (game.is_terminal(v)) {
      ++v;
      continue;
    }
    if (!on_path[v]) {  // nor anything below it
      v = game.subtree_end(v);
      continue;
    }
    while (!path.empty() && game.subtree_end(path.back()) <= v) path.pop_back();
    if (!path.empty()) low = std::min(low, path.size());
    path.push_back(v);
    const model::InfosetId h = game.infoset(v);
    if (game.kind(v) == model::NodeKind::kDecision && !seen[h]) {
      seen[h] = 1;
      out.key += ';';
      AppendKeyNumber(static_cast<std::uint64_t>(game.player(v)), out.key);
      out.key += '@';
      AppendKeyNumber(low - 1, out.key);
      for (std::size_t i = low; i < path.size(); ++i) {
        out.key += '/';
        AppendKeyAction(game.action_into(path[i]), out.key);
      }
      out.key += ':';
      const std::uint32_t first = index.first(h);
      bool any = false;
      for (std::uint32_t a = 0; a < game.num_actions(h); ++a)
        if (eq.behavior[first + a] > SupportTolerance(eq)) {
          if (any) out.key += '+';
          AppendKeyAction(a, out.key);
          any = true;
        }
      low = path.size();
    }
    ++v;
  }
  if (game.num_nodes() > 0) PathWords(game, eq, index, on_path).Write(0, 0, out.text);
  if (out.text.empty()) out.text = "(no decisions)";
  return out;
}

namespace {

// One point: the scenario evaluated at `values` on the kept games, solved, and its outcome
// and value columns (the agreed issues of the steps play reaches, by `columns`).
Observation Observe(const scenario::CompiledEvaluator& evaluator, scenario::CompiledEvaluator::Scratch& scratch,
                    const std::vector<std::pair<std::string, std::string>>& columns,
                    const std::vector<double>& values) {
  const scenario::Expansion& expansion = evaluator.Evaluate(values, scratch);
  const model::GamePtr& game = expansion.game;
  equilibrium::SolveOptions options;
  equilibrium::Solution s = equilibrium::Solve(*game, options);
  const equilibrium::Equilibrium& eq = s.equilibria.front();
  equilibrium::ActionIndex index(*game);
  std::vector<double> reach = equilibrium::ReachProbabilities(*game, index, eq.behavior);
  const std::vector<char> on_path = OnPath(*game, eq, index);
  PathOutcome path = DescribePathOutcome(*game, eq, index, on_path);
  // Every bargaining step play reaches joins the outcome with its agreement's structure
  // (which issues sit at a bound, which options are chosen) and fills its own columns.
  // A step reached at several nodes (after a chance move) fills them from the node
  // reached with the highest probability, the first in tree order on ties. Columns of
  // steps not reached stay NaN (the statistics count them apart).
  std::vector<double> issue_values(columns.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<double> filled_at(columns.size(), -1.0);  // a reach that underflows to 0 still fills
  for (const auto& b : expansion.bargains) {
    if (!on_path[b.node]) continue;
    path.text += " | " + b.stage + ": " + AgreementStructure(b);
    path.key += '|';  // the moves to the step, its stage, its agreement
    AppendKeyHistory(*game, b.node, path.key);
    path.key += '=';
    path.key += b.stage;
    path.key += ':';
    path.key += AgreementKey(b);
    std::vector<double> v = b.IssueValuesByPosition();
    for (std::size_t k = 0; k < b.issue_names.size() && k < v.size(); ++k) {
      auto it = std::find(columns.begin(), columns.end(), std::make_pair(b.stage, b.issue_names[k]));
      if (it == columns.end()) continue;  // a step the base case does not reach
      std::size_t c = static_cast<std::size_t>(it - columns.begin());
      if (reach[b.node] <= filled_at[c]) continue;
      filled_at[c] = reach[b.node];
      issue_values[c] = v[k];
    }
  }
  // Copied, not moved: a sweep keeps every row, and the copies hold no spare capacity.
  Observation o{path.text, eq.payoffs, path.key};
  o.values.insert(o.values.end(), issue_values.begin(), issue_values.end());
  return o;
}

}  // namespace

std::string DescribePath(const model::Game& game, const equilibrium::Equilibrium& eq) {
  equilibrium::ActionIndex index(game);
  return DescribePathOutcome(game, eq, index, OnPath(game, eq, index)).text;
}

Model ScenarioModel(const std::string& path, const ScenarioModelOptions& options) {
  if (io::FindFormat(path) != io::InputFormat::kScenario) {
    std::string ext = io::Extension(path);
    throw Error(SourceLocation{path},
                "analysis needs a scenario file (.yaml) with parameters to vary; " +
                    (ext.empty() ? std::string("this file has no extension")
                                 : "this is a " + ext + " file (game files, .efg, .nfg and .json, have no parameters)"));
  }
  load::LoadOptions load_options;
  load_options.expand = false;
  load::Input input = load::LoadInput(path, load_options);
  return ScenarioModel(std::move(input.compiled), options);
}

Model ScenarioModel(std::shared_ptr<const scenario::CompiledScenario> compiled,
                    const ScenarioModelOptions& options) {
  PARLEY_CHECK(compiled != nullptr);
  const scenario::Scenario& info = compiled->info();
  Model m;
  m.base_values = compiled->DefaultValues();
  compiled->ApplyOverrides(options.overrides, m.base_values);
  for (const auto& p : info.parameters) {
    m.parameter_names.push_back(p.name);
    m.min.push_back(p.min);
    m.max.push_back(p.max);
    m.distributions.push_back(p.distribution.value_or(Distribution{}));
  }
  for (const auto& player : info.players) m.value_names.push_back(player);
  {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(info.text_digest));
    m.input_digest = hex;
  }
  // Fail now, with the file's own message, if the base case does not expand or solve. Its
  // bargaining steps name the agreed-issue columns: one per stage and issue, "stage.issue",
  // in the order the steps first appear in the tree.
  std::vector<std::pair<std::string, std::string>> columns;  // stage, issue
  {
    scenario::Expansion base = compiled->Expand(m.base_values, {options.max_nodes});
    equilibrium::Solve(*base.game, equilibrium::SolveOptions{});
    for (const auto& b : base.bargains)
      for (const auto& issue : b.issue_names) {
        std::pair<std::string, std::string> column{b.stage, issue};
        if (std::find(columns.begin(), columns.end(), column) == columns.end())
          columns.push_back(column);
      }
  }
  // Bargain stages the base case never meets (skipped by a condition there) get columns too,
  // after those, in file order: a sweep may reach them, and their values must not be dropped.
  for (const auto& stage : info.stages)
    for (const auto& issue : stage.issue_names) {
      std::pair<std::string, std::string> column{stage.name, issue};
      if (std::find(columns.begin(), columns.end(), column) == columns.end())
        columns.push_back(column);
    }
  for (const auto& [stage, issue] : columns) m.value_names.push_back(stage + "." + issue);
  // Compiled once: each thread keeps the games of its first point and rewrites their numbers
  // where the varied parameters leave the tree's shape alone (scenario/compiled_evaluator.h).
  auto evaluator = std::make_shared<const scenario::CompiledEvaluator>(
      compiled, scenario::ExpandOptions{options.max_nodes, /*fast_bargains=*/true});
  m.describe_evaluation = [evaluator](const std::vector<std::size_t>& varied) {
    return evaluator->DescribePath(varied);
  };
  m.make_evaluator = [evaluator, columns, base = m.base_values, names = m.parameter_names]() {
    auto scratch = std::make_shared<scenario::CompiledEvaluator::Scratch>(*evaluator);
    return [evaluator, scratch, columns, base, names](const std::vector<double>& values) {
      // An error at one point names the point: the parameters that differ from the values in
      // force (the file's at a sweep's base case read fine, so a bare message would mislead).
      auto at_point = [&](const Error& e) {
        std::string where;
        std::size_t shown = 0, differ = 0;
        for (std::size_t i = 0; i < values.size() && i < base.size(); ++i) {
          if (std::bit_cast<std::uint64_t>(values[i]) == std::bit_cast<std::uint64_t>(base[i])) continue;
          if (++differ > 6) continue;
          where += (shown++ ? ", " : "") + names[i] + " = " + FormatDouble(values[i]);
        }
        if (differ > 6) where += " and " + std::to_string(differ - 6) + " more";
        return where.empty() ? e.message() : e.message() + " (at " + where + ")";
      };
      try {
        return Observe(*evaluator, *scratch, columns, values);
      } catch (const LimitError& e) {
        throw LimitError(e.where(), at_point(e));
      } catch (const ValidationError& e) {
        throw ValidationError(e.where(), at_point(e));
      } catch (const UnsupportedError& e) {
        throw UnsupportedError(e.where(), at_point(e));
      }
    };
  };
  return m;
}

}  // namespace parley::analysis
