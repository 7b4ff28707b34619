#include "solver/equilibrium/backward_induction.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "solver/model/error.h"
#include "solver/model/number.h"
#include "solver/model/cancel.h"

namespace parley::equilibrium {

using model::kNoOutcome;
using model::NodeKind;

namespace {

// Numeric policy: doubles compare with a tolerance relative to their size, measured from the
// game's TieUnit (profile.h); rationals compare exactly.
struct TieRule {
  double tolerance = kTieTolerance;
  double unit = 1;
  TieRule(const model::Game& game, double tol) : tolerance(tol), unit(TieUnit(game)) {}
};
bool Better(double a, double b, const TieRule& t) { return a > b + t.tolerance * (t.unit + std::abs(b)); }
bool Tied(double a, double b, const TieRule& t) { return std::abs(a - b) <= t.tolerance * (t.unit + std::abs(b)); }
bool Better(const Rational& a, const Rational& b, const TieRule&) { return a > b; }
bool Tied(const Rational& a, const Rational& b, const TieRule&) { return a == b; }

template <class T>
T Payoff(const model::Game& g, model::OutcomeId o, int p);
template <>
double Payoff<double>(const model::Game& g, model::OutcomeId o, int p) {
  return g.payoff(o, p);
}
template <>
Rational Payoff<Rational>(const model::Game& g, model::OutcomeId o, int p) {
  return g.exact_payoff(o, p);
}
template <class T>
T Prob(const model::Game& g, InfosetId h, std::uint32_t a);
template <>
double Prob<double>(const model::Game& g, InfosetId h, std::uint32_t a) {
  return g.chance_prob(h, a);
}
template <>
Rational Prob<Rational>(const model::Game& g, InfosetId h, std::uint32_t a) {
  return g.exact_chance_prob(h, a);
}

// The root's values as the equilibrium's payoffs (and, in rationals, its exact payoffs).
template <class T>
void SetPayoffs(const T* root, int np, Equilibrium& eq) {
  for (int i = 0; i < np; ++i) {
    if constexpr (std::is_same_v<T, Rational>) {
      eq.exact_payoffs.push_back(root[i]);
      eq.payoffs.push_back(root[i].get_d());
    } else {
      eq.payoffs.push_back(root[i]);
    }
  }
}

// Every node's values (`values`, num_nodes x num_players) in one reverse preorder sweep,
// the first optimal action at every decision node into `choice` (per information set; may be
// null) and the decision nodes with ties, last first, into `indifferent` (may be null).
template <class T>
void SweepValues(const model::Game& game, const TieRule& tol, T* values, std::uint32_t* choice,
                 std::vector<NodeId>* indifferent) {
  const int np = game.num_players();
  const NodeId n = game.num_nodes();
  model::CancelPoll poll;
  for (NodeId v = n; v-- > 0;) {
    poll();
    T* out = &values[static_cast<std::size_t>(v) * np];
    switch (game.kind(v)) {
      case NodeKind::kTerminal:
        for (int i = 0; i < np; ++i) out[i] = 0;
        break;
      case NodeKind::kDecision: {
        int p = game.player(v);
        auto kids = game.children(v);
        std::uint32_t best = 0;
        for (std::uint32_t a = 1; a < kids.size(); ++a)
          if (Better(values[static_cast<std::size_t>(kids[a]) * np + p],
                     values[static_cast<std::size_t>(kids[best]) * np + p], tol))
            best = a;
        int optimal = 0;
        for (std::uint32_t a = 0; a < kids.size(); ++a)
          if (Tied(values[static_cast<std::size_t>(kids[a]) * np + p],
                   values[static_cast<std::size_t>(kids[best]) * np + p], tol))
            ++optimal;
        // The first optimal action in action order (deterministic).
        for (std::uint32_t a = 0; a < kids.size(); ++a)
          if (Tied(values[static_cast<std::size_t>(kids[a]) * np + p],
                   values[static_cast<std::size_t>(kids[best]) * np + p], tol)) {
            best = a;
            break;
          }
        if (optimal > 1 && indifferent) indifferent->push_back(v);
        if (choice) choice[game.infoset(v)] = best;
        const T* in = &values[static_cast<std::size_t>(kids[best]) * np];
        for (int i = 0; i < np; ++i) out[i] = in[i];
        break;
      }
      case NodeKind::kChance: {
        InfosetId h = game.infoset(v);
        auto kids = game.children(v);
        for (int i = 0; i < np; ++i) out[i] = 0;
        for (std::uint32_t a = 0; a < kids.size(); ++a) {
          T p = Prob<T>(game, h, a);
          const T* in = &values[static_cast<std::size_t>(kids[a]) * np];
          for (int i = 0; i < np; ++i) out[i] += p * in[i];
        }
        break;
      }
    }
    if (game.outcome(v) != kNoOutcome)
      for (int i = 0; i < np; ++i) out[i] += Payoff<T>(game, game.outcome(v), i);
  }
}

// One equilibrium: values per node and the first optimal action at every decision node.
template <class T>
Equilibrium SolveOne(const model::Game& game, const ActionIndex& index, const TieRule& tol) {
  const int np = game.num_players();
  const NodeId n = game.num_nodes();
  std::vector<T> values(static_cast<std::size_t>(n) * np);
  std::vector<std::uint32_t> choice(game.num_infosets(), 0);
  Equilibrium eq;
  SweepValues<T>(game, tol, values.data(), choice.data(), &eq.indifferent);
  std::reverse(eq.indifferent.begin(), eq.indifferent.end());
  eq.behavior.assign(index.size(), 0.0);
  if constexpr (std::is_same_v<T, Rational>) eq.exact_behavior.assign(index.size(), 0);
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == model::kChancePlayer) {
      for (std::uint32_t a = 0; a < game.num_actions(h); ++a) {
        eq.behavior[index(h, a)] = game.chance_prob(h, a);
        if constexpr (std::is_same_v<T, Rational>)
          eq.exact_behavior[index(h, a)] = game.exact_chance_prob(h, a);
      }
    } else {
      eq.behavior[index(h, choice[h])] = 1.0;
      if constexpr (std::is_same_v<T, Rational>) eq.exact_behavior[index(h, choice[h])] = 1;
    }
  }
  SetPayoffs(values.data(), np, eq);
  return eq;
}

// Every pure SPE. Each node keeps a list of entries (value, own choice, the children's
// entries it combines); lists are shared bottom-up, so the strategies form a DAG.
template <class T>
class Enumerator {
 public:
  Enumerator(const model::Game& game, const BackwardInductionOptions& options)
      : game_(game), options_(options), np_(game.num_players()), tie_(game, options.tie_tolerance) {}

  // The equilibria found; *stopped_by says why the list is incomplete ("" when it is not).
  std::vector<Equilibrium> Run(const ActionIndex& index, bool* truncated, std::string* stopped_by) {
    const NodeId n = game_.num_nodes();
    lists_.resize(n);
    for (NodeId v = n; v-- > 0;) Expand(v);
    *truncated = truncated_;
    std::vector<std::string> why;
    if (over_budget_)
      why.push_back("the partial strategies passed their memory budget of " +
                    (options_.memory_budget_bytes >= (1u << 20)
                         ? std::to_string(options_.memory_budget_bytes >> 20) + " MB"
                         : std::to_string(options_.memory_budget_bytes) + " bytes") +
                    ", so every subtree solved after that kept one equilibrium");
    // Each listed equilibrium is a whole profile, and writers hold all of them: a thousand
    // profiles of a large tree would not fit in memory.
    std::vector<Equilibrium> result;
    for (std::uint32_t e : lists_[0]) {
      if (!result.empty() && (result.size() + 1) * index.size() > options_.max_listed_numbers) {
        why.push_back("the profiles listed passed " + std::to_string(options_.max_listed_numbers) +
                      " probabilities in all, so only the first " +
                      std::to_string(result.size()) + " are listed");
        break;
      }
      result.push_back(Extract(e, index));
    }
    for (const std::string& w : why) *stopped_by += (stopped_by->empty() ? "" : "; ") + w;
    return result;
  }

 private:
  model::CancelPoll poll_;
  struct Entry {
    std::uint32_t choice;  // decision nodes: the chosen action
    std::uint32_t first_child_entry;  // into child_entries_: one per child
    std::uint32_t first_value;        // into values_
  };

  void Expand(NodeId v) {
    auto kids = game_.children(v);
    std::vector<std::uint32_t> pick(kids.size(), 0);  // an odometer over the children's lists
    bool done = false;
    std::vector<T> sum(np_);
    while (!done) {
      poll_();
      if (lists_[v].size() >= cap_) {
        truncated_ = truncated_ || !over_budget_;
        break;
      }
      // Values of the children under this combination.
      if (game_.kind(v) == NodeKind::kDecision) {
        // (values_ grows in AddEntry: hold copies and indices, never pointers, across it)
        int p = game_.player(v);
        T best = Value(lists_[kids[0]][pick[0]])[p];
        for (std::uint32_t a = 1; a < kids.size(); ++a) {
          const T& x = Value(lists_[kids[a]][pick[a]])[p];
          if (Better(x, best, tie_)) best = x;
        }
        for (std::uint32_t a = 0; a < kids.size(); ++a) {
          if (Tied(Value(lists_[kids[a]][pick[a]])[p], best, tie_)) {
            if (lists_[v].size() >= cap_) {
              truncated_ = truncated_ || !over_budget_;
              break;
            }
            const T* val = Value(lists_[kids[a]][pick[a]]);
            for (int i = 0; i < np_; ++i) sum[i] = val[i];
            AddEntry(v, a, pick, sum);
          }
        }
      } else {
        for (int i = 0; i < np_; ++i) sum[i] = 0;
        if (game_.kind(v) == NodeKind::kChance) {
          InfosetId h = game_.infoset(v);
          for (std::uint32_t a = 0; a < kids.size(); ++a) {
            const T* val = Value(lists_[kids[a]][pick[a]]);
            T p = Prob<T>(game_, h, a);
            for (int i = 0; i < np_; ++i) sum[i] += p * val[i];
          }
        }
        AddEntry(v, 0, pick, sum);
      }
      // Next combination.
      done = true;
      for (std::size_t a = 0; a < kids.size(); ++a) {
        if (++pick[a] < lists_[kids[a]].size()) {
          done = false;
          break;
        }
        pick[a] = 0;
      }
    }
    // Children's lists are no longer needed as lists (entries stay in the pool).
  }

  void AddEntry(NodeId v, std::uint32_t choice, const std::vector<std::uint32_t>& pick,
                std::vector<T>& value) {
    if (game_.outcome(v) != kNoOutcome)
      for (int i = 0; i < np_; ++i) value[i] += Payoff<T>(game_, game_.outcome(v), i);
    Entry e{choice, static_cast<std::uint32_t>(child_entries_.size()),
            static_cast<std::uint32_t>(values_.size())};
    auto kids = game_.children(v);
    for (std::size_t a = 0; a < kids.size(); ++a) child_entries_.push_back(lists_[kids[a]][pick[a]]);
    values_.insert(values_.end(), value.begin(), value.end());
    lists_[v].push_back(static_cast<std::uint32_t>(entries_.size()));
    entries_.push_back(e);
    if (entries_.size() > kMaxEntries)
      throw LimitError("enumerating every equilibrium needs more than " +
                       std::to_string(kMaxEntries) + " partial strategies; lower --max");
    // Memory, not the count, is what runs out first (a node with many children holds one
    // child entry per child). Past the budget every node keeps a single entry, so the sweep
    // still reaches the root, and whatever the root lists is a genuine equilibrium.
    if (!over_budget_ && PoolBytes() > options_.memory_budget_bytes) {
      over_budget_ = true;
      cap_ = 1;
    }
  }

  // Bytes held by the entries (the vectors' sizes; their capacities are at most twice that).
  std::size_t PoolBytes() const {
    return entries_.size() * (sizeof(Entry) + sizeof(std::uint32_t)) +
           child_entries_.size() * sizeof(std::uint32_t) + values_.size() * sizeof(T);
  }

  const T* Value(std::uint32_t entry) const { return &values_[entries_[entry].first_value]; }

  Equilibrium Extract(std::uint32_t root_entry, const ActionIndex& index) const {
    Equilibrium eq;
    eq.behavior.assign(index.size(), 0.0);
    if constexpr (std::is_same_v<T, Rational>) eq.exact_behavior.assign(index.size(), 0);
    std::vector<std::pair<NodeId, std::uint32_t>> stack{{0, root_entry}};
    while (!stack.empty()) {
      auto [v, e] = stack.back();
      stack.pop_back();
      if (game_.is_terminal(v)) continue;
      InfosetId h = game_.infoset(v);
      const Entry& entry = entries_[e];
      if (game_.kind(v) == NodeKind::kDecision) {
        eq.behavior[index(h, entry.choice)] = 1;
        if constexpr (std::is_same_v<T, Rational>) eq.exact_behavior[index(h, entry.choice)] = 1;
        // Indifference: another child optimal given the children's chosen entries.
        int p = game_.player(v);
        auto kids = game_.children(v);
        int optimal = 0;
        const T* chosen = Value(child_entries_[entry.first_child_entry + entry.choice]);
        for (std::uint32_t a = 0; a < kids.size(); ++a)
          if (Tied(Value(child_entries_[entry.first_child_entry + a])[p], chosen[p],
                   tie_))
            ++optimal;
        if (optimal > 1) eq.indifferent.push_back(v);
      } else {
        for (std::uint32_t a = 0; a < game_.num_actions(h); ++a) {
          eq.behavior[index(h, a)] = game_.chance_prob(h, a);
          if constexpr (std::is_same_v<T, Rational>)
            eq.exact_behavior[index(h, a)] = game_.exact_chance_prob(h, a);
        }
      }
      auto kids = game_.children(v);
      for (std::size_t a = kids.size(); a-- > 0;)
        stack.emplace_back(kids[a], child_entries_[entry.first_child_entry + a]);
    }
    std::sort(eq.indifferent.begin(), eq.indifferent.end());
    SetPayoffs(Value(root_entry), np_, eq);
    return eq;
  }

  static constexpr std::size_t kMaxEntries = 50'000'000;
  const model::Game& game_;
  const BackwardInductionOptions& options_;
  const int np_;
  const TieRule tie_;
  std::vector<std::vector<std::uint32_t>> lists_;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> child_entries_;
  std::vector<T> values_;
  bool truncated_ = false;
  std::size_t cap_ = options_.max_equilibria;  // entries a node may keep
  bool over_budget_ = false;                   // the pool passed the memory budget
};

template <class T>
Solution Solve(const model::Game& game, const BackwardInductionOptions& options) {
  ActionIndex index(game);
  Solution s;
  s.method = "backward induction";
  s.exact = std::is_same_v<T, Rational>;
  if (options.all) {
    Enumerator<T> e(game, options);
    s.equilibria = e.Run(index, &s.truncated, &s.stopped_by);
    if (!s.stopped_by.empty()) {
      s.complete = false;
      s.notes.push_back("incomplete: " + s.stopped_by + "; the " +
                        std::to_string(s.equilibria.size()) +
                        " listed are subgame-perfect equilibria, and there may be others");
    }
  } else {
    s.equilibria.push_back(SolveOne<T>(game, index, TieRule(game, options.tie_tolerance)));
  }
  double largest = 0;
  for (Equilibrium& eq : s.equilibria) {
    eq.max_gain = PerfectInformationGain(game, index, eq.behavior);
    largest = std::max(largest, eq.max_gain);
  }
  // In doubles, values within the tie rule count as equal: a gain up to 1e-12 of the payoffs'
  // size is a tie taken for the first action, not rounding, and is said as such.
  if (!s.exact && largest > 0)
    s.notes.push_back("the largest gain from deviating, " + FormatSignificant(largest, 3) +
                      ", is within the tie rule: values within 1e-12 of their size count as equal "
                      "(--exact compares them exactly)");
  return s;
}

}  // namespace

std::string ImperfectInformationMessage(const model::Game& game) {
  InfosetId h = game.first_imperfect_infoset();
  std::size_t members = game.infoset_nodes(h).size();
  return "the game has imperfect information: information set " + game.DescribeInfoset(h) +
         " has " + std::to_string(members) +
         " nodes, so backward induction does not apply; it needs an equilibrium method for "
         "imperfect information: --method auto decomposes the game into subgames and solves "
         "those by the sequence-form LP (two-player zero-sum), Lemke's algorithm (two players) "
         "or the logit tracer (any number of players)";
}

Solution SolveBackwardInduction(const model::Game& game,
                                const BackwardInductionOptions& options) {
  if (!game.perfect_information()) ThrowAtNode<UnsupportedError>(game.infoset_nodes(game.first_imperfect_infoset()).front(),
                                  ImperfectInformationMessage(game));
  if (options.all && options.max_equilibria == 0)
    throw UnsupportedError("--max must be at least 1");
  if (options.exact) return Solve<Rational>(game, options);
  Solution solution = Solve<double>(game, options);
  // A tie in doubles may be no tie in the game as written, two ways: values that differ as
  // written may round to the same double (10^17 + 3 and 10^17 - 2 are both 1e17), and values
  // that differ as doubles may lie within the tie rule (1e12 + 2.5 and 1e12 + 2, 0.5 apart,
  // are within 1e-12 of their size). Either way the mover takes the first action where
  // another pays more: the check in doubles sees no gain in the first case and a gain within
  // the tie rule in the second. Where every number of the game was stated exactly (a game
  // file, not a scenario's computed payoffs), a solve with ties or such a gain is redone in
  // rationals (linear in the tree), and its answer replaces this one where the two differ.
  bool ties = solution.equilibria.size() > 1, gain = false;
  for (const Equilibrium& eq : solution.equilibria) {
    ties = ties || !eq.indifferent.empty();
    gain = gain || eq.max_gain > 0;
  }
  if (!(ties || gain) || !game.numbers_stated_exactly()) return solution;
  constexpr std::size_t kExactRecheckNodes = 200000;
  if (game.num_nodes() > kExactRecheckNodes) {
    // A gain has its note (above); ties alone hide nothing where every number is a double,
    // beyond what the tie rule says.
    if (!gain && !game.doubles_are_exact())
      solution.notes.push_back("some payoffs or probabilities are not doubles, and values that differ as written "
                               "may round alike: a tie may hide a gain (the tree is too large to recheck in exact "
                               "arithmetic; --exact settles it)");
    return solution;
  }
  Solution exact = Solve<Rational>(game, options);
  bool same = exact.equilibria.size() == solution.equilibria.size();
  // The same choices and the same ties: a tie in doubles that the exact values break in favour
  // of the action taken is no tie, and the exact payoffs are then the ones to give.
  for (std::size_t k = 0; same && k < exact.equilibria.size(); ++k)
    same = exact.equilibria[k].behavior == solution.equilibria[k].behavior &&
           exact.equilibria[k].indifferent == solution.equilibria[k].indifferent;
  if (same) return solution;
  exact.notes.insert(exact.notes.begin(),
                     "floating point counted values that differ as written as equal (they round to the same "
                     "double, or lie within its tie rule of 1e-12 of their size); the game's numbers are exact, "
                     "so it was recomputed in exact rational arithmetic");
  return exact;
}

namespace {

// The sweep for a fixed number of players (kPlayers > 0, unrolled by the compiler) or any
// number (kPlayers == 0).
template <int kPlayers>
std::size_t Sweep(const model::Game& game, double* val, std::uint32_t* choice) {
  const int np = kPlayers > 0 ? kPlayers : game.num_players();
  std::size_t ties = 0;
  for (NodeId v = game.num_nodes(); v-- > 0;) {
    double* out = val + static_cast<std::size_t>(v) * np;
    const model::OutcomeId o = game.outcome(v);
    const NodeKind kind = game.kind(v);
    if (kind == NodeKind::kTerminal) {
      if (o != kNoOutcome) {
        const double* pay = game.payoffs(o).data();
        for (int i = 0; i < np; ++i) out[i] = pay[i];
      } else {
        for (int i = 0; i < np; ++i) out[i] = 0;
      }
      continue;
    }
    auto kids = game.children(v);
    if (kind == NodeKind::kDecision) {
      const int p = game.player(v);
      NodeId best = kids[0];
      double best_value = val[static_cast<std::size_t>(best) * np + p];
      std::uint32_t best_action = 0;
      bool tied = false;  // another action reaches the best value (counted once per node)
      for (std::uint32_t a = 1; a < kids.size(); ++a) {
        double x = val[static_cast<std::size_t>(kids[a]) * np + p];
        if (x > best_value) {
          best_value = x;
          best = kids[a];
          best_action = a;
          tied = false;
        } else if (x == best_value) {
          tied = true;
        }
      }
      ties += tied;
      choice[game.infoset(v)] = best_action;
      const double* in = val + static_cast<std::size_t>(best) * np;
      for (int i = 0; i < np; ++i) out[i] = in[i];
    } else {
      InfosetId h = game.infoset(v);
      for (int i = 0; i < np; ++i) out[i] = 0;
      for (std::uint32_t a = 0; a < kids.size(); ++a) {
        const double p = game.chance_prob(h, a);
        const double* in = val + static_cast<std::size_t>(kids[a]) * np;
        for (int i = 0; i < np; ++i) out[i] += p * in[i];
      }
    }
    if (o != kNoOutcome) {
      const double* pay = game.payoffs(o).data();
      for (int i = 0; i < np; ++i) out[i] += pay[i];
    }
  }
  return ties;
}

}  // namespace

std::span<const double> BackwardInductionPayoffs(const model::Game& game,
                                                std::vector<double>& values) {
  if (!game.perfect_information()) ThrowAtNode<UnsupportedError>(game.infoset_nodes(game.first_imperfect_infoset()).front(),
                                  ImperfectInformationMessage(game));
  const std::size_t np = static_cast<std::size_t>(game.num_players());
  const std::size_t size = static_cast<std::size_t>(game.num_nodes()) * np;
  if (values.size() < size) values.resize(size);
  SweepValues<double>(game, TieRule(game, kTieTolerance), values.data(), nullptr, nullptr);
  return {values.data(), np};
}

std::size_t BackwardInductionSweep(const model::Game& game, std::span<double> values,
                                   std::span<std::uint32_t> choice) {
  PARLEY_CHECK(values.size() >= static_cast<std::size_t>(game.num_nodes()) * game.num_players());
  PARLEY_CHECK(choice.size() >= game.num_infosets());
  switch (game.num_players()) {
    case 2:
      return Sweep<2>(game, values.data(), choice.data());
    case 3:
      return Sweep<3>(game, values.data(), choice.data());
    default:
      return Sweep<0>(game, values.data(), choice.data());
  }
}

}  // namespace parley::equilibrium
