#include "solver/equilibrium/sequence_form.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "solver/model/error.h"

namespace parley::equilibrium {

using model::kChancePlayer;
using model::kNoInfoset;
using model::kNoOutcome;
using model::NodeKind;

namespace {
constexpr std::uint32_t kNone = 0xffffffffu;

bool IsPersonal(const Game& game, NodeId v) {
  return game.kind(v) == NodeKind::kDecision;
}
}  // namespace

std::vector<char> ProperSubgameRoots(const Game& game) {
  const NodeId n = game.num_nodes();
  std::vector<NodeId> lo(n, n), hi(n, 0);
  std::vector<char> has(n, 0);
  for (NodeId v = n; v-- > 0;) {
    if (IsPersonal(game, v)) {
      auto members = game.infoset_nodes(game.infoset(v));
      lo[v] = std::min(lo[v], members.front());
      hi[v] = std::max(hi[v], members.back());
      has[v] = 1;
    }
    if (v != Game::root() && has[v]) {
      NodeId p = game.parent(v);
      lo[p] = std::min(lo[p], lo[v]);
      hi[p] = std::max(hi[p], hi[v]);
      has[p] = 1;
    }
  }
  std::vector<char> roots(n, 0);
  for (NodeId v = 0; v < n; ++v)
    roots[v] = !has[v] || (lo[v] >= v && hi[v] < game.subtree_end(v));
  return roots;
}

namespace {

// The first set without perfect recall, with the two own last moves (flat ActionIndex numbers,
// kNone: no earlier move of the player) that reach its nodes.
struct RecallViolation {
  InfosetId set = kNoInfoset;
  std::uint32_t one = kNone, other = kNone;
};

RecallViolation FindRecallViolation(const Game& game) {
  RecallViolation found;
  const NodeId n = game.num_nodes();
  // last[v]: the flat (set, action) of the mover's own last move before v, per player in turn.
  ActionIndex index(game);
  std::vector<std::uint32_t> last(n);
  std::vector<std::uint32_t> set_parent(game.num_infosets(), kNone - 1);
  InfosetId worst = kNoInfoset;
  for (int p = 0; p < game.num_players(); ++p) {
    last[0] = kNone;
    for (NodeId v = 0; v < n; ++v) {
      if (game.is_terminal(v)) continue;
      InfosetId h = game.infoset(v);
      bool own = game.player(v) == p;
      if (own) {
        if (set_parent[h] == kNone - 1)
          set_parent[h] = last[v];
        else if (set_parent[h] != last[v] && h < worst) {
          worst = h;
          found = {h, set_parent[h], last[v]};
        }
      }
      auto kids = game.children(v);
      for (std::uint32_t a = 0; a < kids.size(); ++a)
        last[kids[a]] = own ? index(h, a) : last[v];
    }
  }
  return found;
}

// The information set of a flat action number (an error path: a linear search).
InfosetId SetOfAction(const Game& game, const ActionIndex& index, std::uint32_t flat) {
  InfosetId h = 0;
  while (h + 1 < game.num_infosets() && index.first(h + 1) <= flat) ++h;
  return h;
}

// "'go' at A at [sawH]", or "no move of their own".
std::string OwnMove(const Game& game, const ActionIndex& index, std::uint32_t flat) {
  if (flat == kNone) return "no move of their own";
  const InfosetId h = SetOfAction(game, index, flat);
  return "'" + std::string(game.action_label(h, flat - index.first(h))) + "' at " + game.DescribeInfoset(h);
}

}  // namespace

InfosetId FirstPerfectRecallViolation(const Game& game) { return FindRecallViolation(game).set; }

void RequirePerfectRecall(const Game& game, const std::string& method) {
  const RecallViolation violation = FindRecallViolation(game);
  const InfosetId h = violation.set;
  if (h == kNoInfoset) return;
  // What the player forgets: a move of their own (two actions of one set), what they knew
  // (the same action taken at two different sets), or having moved at all.
  const ActionIndex index(game);
  const std::string one = OwnMove(game, index, violation.one), other = OwnMove(game, index, violation.other);
  std::string forgets;
  if (violation.one == kNone || violation.other == kNone)
    forgets = "some of its nodes come after a move of the player's own (" +
              (violation.one == kNone ? other : one) + ") and some after none, so the player forgets having moved";
  else if (SetOfAction(game, index, violation.one) == SetOfAction(game, index, violation.other))
    forgets = "its nodes come after different moves of the player's own (" + one + ", and " + other +
              "), so the player forgets which they made";
  else if (one == other)  // two sets of one stage, told apart by what the player had observed
    forgets = "its nodes come after the same move, " + one +
              ", made at two different information sets of the player's own (they differ in what the player had "
              "observed), so the player forgets what they knew there";
  else
    forgets = "its nodes come after moves made at different information sets of the player's own (" + one +
              ", and " + other + "), so the player forgets what they knew there";
  // About the set's first node, so that a command reading a file names where the set starts.
  ThrowAtNode<UnsupportedError>(
      game.infoset_nodes(h).front(),
      "the game does not have perfect recall: at " + game.DescribeInfoset(h) + " " + forgets + "; " +
      method +
      " needs perfect recall (behaviour strategies and the sequence form rest on it); give the "
      "player the information they had (split the set) or model the forgetting with a "
      "separate player");
}

std::vector<int> SubgameMovers(const Game& game, NodeId root, const std::vector<char>& cut, std::size_t limit) {
  std::vector<int> movers;
  const NodeId end = game.subtree_end(root);
  for (NodeId v = root; v < end;) {
    if (v != root && cut[v]) {
      v = game.subtree_end(v);
      continue;
    }
    if (IsPersonal(game, v)) {
      const int p = game.player(v);
      if (std::find(movers.begin(), movers.end(), p) == movers.end()) {
        movers.push_back(p);
        if (movers.size() > limit) break;
      }
    }
    ++v;
  }
  std::sort(movers.begin(), movers.end());
  return movers;
}

SequenceRoles RolesForMovers(const std::vector<int>& movers, int np) {
  PARLEY_CHECK(movers.size() <= 2 && np >= 1);
  SequenceRoles roles;
  roles.stride = np;
  if (movers.size() == 2) {
    roles.player[0] = movers[0];
    roles.player[1] = movers[1];
  } else {
    // Two players: the other one, as the two-player methods always had it. More or fewer: a
    // partner without moves (kNoPlayer), so the choice does not hang on which other player's
    // payoffs happen to sum with the mover's to a constant.
    roles.player[0] = movers.empty() ? 0 : movers[0];
    roles.player[1] = np == 2 ? 1 - roles.player[0] : SequenceRoles::kNoPlayer;
  }
  return roles;
}

bool AtMostTwoMovers(const Game& game, const std::vector<char>& roots) {
  if (game.num_players() <= 2) return true;
  for (NodeId r = 0; r < game.num_nodes(); ++r) {
    if (!roots[r] || game.is_terminal(r)) continue;
    bool trivial = true;
    for (NodeId c : game.children(r)) trivial = trivial && roots[c];
    if (!trivial && SubgameMovers(game, r, roots).size() > 2) return false;
  }
  return true;
}

template <class T>
SequenceForm<T> BuildSequenceForm(const Game& game, NodeId root, const std::vector<char>& cut,
                                  const std::vector<T>& cut_value,
                                  std::vector<std::uint32_t>& seq_of, const SequenceRoles& roles) {
  PARLEY_CHECK(roles.player[0] >= 0 && roles.player[0] != roles.player[1] && roles.stride >= 1);
  // The role of a game player who moves here (0 or 1), and a role's payoff at outcome o and
  // at a cut node's value (for the second role when no player takes it, minus the first's:
  // a decision problem is a zero-sum game against a player without moves).
  auto role_of = [&](int p) {
    PARLEY_CHECK(p == roles.player[0] || p == roles.player[1]);
    return p == roles.player[0] ? 0 : 1;
  };
  auto payoff = [&](model::OutcomeId o, int k) {
    if (roles.player[k] == SequenceRoles::kNoPlayer) return T(-PayoffAs<T>(game, o, roles.player[0]));
    return PayoffAs<T>(game, o, roles.player[k]);
  };
  auto cut_payoff = [&](NodeId v, int k) {
    const int p = roles.player[k] == SequenceRoles::kNoPlayer ? roles.player[0] : roles.player[k];
    const T& value = cut_value[static_cast<std::size_t>(v) * static_cast<std::size_t>(roles.stride) +
                               static_cast<std::size_t>(p)];
    return roles.player[k] == SequenceRoles::kNoPlayer ? T(-value) : value;
  };
  SequenceForm<T> sf;
  sf.root = root;
  const NodeId end = game.subtree_end(root);
  // Collect the reduced subgame's nodes, and its personal sets per player.
  for (NodeId v = root; v < end;) {
    sf.nodes.push_back(v);
    if (v != root && cut[v]) {
      v = game.subtree_end(v);
      continue;
    }
    ++v;
  }
  std::unordered_map<InfosetId, std::uint32_t> local[2];
  for (NodeId v : sf.nodes) {
    if ((v != root && cut[v]) || !IsPersonal(game, v)) continue;
    local[role_of(game.player(v))].emplace(game.infoset(v), 0);
  }
  for (int p = 0; p < 2; ++p) {
    PlayerSequences& ps = sf.player[p];
    for (auto& [h, k] : local[p]) ps.infosets.push_back(h);
    std::sort(ps.infosets.begin(), ps.infosets.end());
    ps.first_seq.resize(ps.infosets.size());
    ps.parent_seq.assign(ps.infosets.size(), kNone);
    std::uint32_t next = 1;
    for (std::uint32_t k = 0; k < ps.infosets.size(); ++k) {
      local[p][ps.infosets[k]] = k;
      ps.first_seq[k] = next;
      next += game.num_actions(ps.infosets[k]);
    }
    ps.num_sequences = next;
  }
  // Forward pass: sequences, chance reach and accumulated payoffs at every node.
  // A node's slot in the arrays below: its place in sf.nodes, which is in preorder (sorted).
  // Searched, not tabulated: a table over the whole subtree would cost the subtree's size for
  // every subgame, the square of the length for a chain of nested subgames.
  auto pos = [&](NodeId v) -> std::size_t {
    return static_cast<std::size_t>(std::lower_bound(sf.nodes.begin(), sf.nodes.end(), v) - sf.nodes.begin());
  };
  std::vector<T> reach(sf.nodes.size()), acc0(sf.nodes.size()), acc1(sf.nodes.size());
  std::unordered_map<std::uint64_t, std::size_t> entry_of;
  bool first_leaf = true;
  T leaf_sum = 0;
  // Doubles: the spread of the leaves' sums and the largest payoff, for a test relative to the
  // payoffs' scale (an absolute one took payoffs near 1e-12 for constant-sum whatever they were).
  double low_sum = 0, high_sum = 0, largest = 0;
  auto add_leaf = [&](std::uint32_t s1, std::uint32_t s2, const T& prob, const T& u0,
                      const T& u1) {
    if (first_leaf) {
      sf.min_payoff[0] = sf.max_payoff[0] = u0;
      sf.min_payoff[1] = sf.max_payoff[1] = u1;
      leaf_sum = u0 + u1;
      first_leaf = false;
    } else {
      sf.min_payoff[0] = std::min<T>(sf.min_payoff[0], u0);
      sf.max_payoff[0] = std::max<T>(sf.max_payoff[0], u0);
      sf.min_payoff[1] = std::min<T>(sf.min_payoff[1], u1);
      sf.max_payoff[1] = std::max<T>(sf.max_payoff[1], u1);
      T sum = u0 + u1;
      if constexpr (std::is_same_v<T, double>) {
        low_sum = std::min(low_sum, sum - leaf_sum);
        high_sum = std::max(high_sum, sum - leaf_sum);
      } else {
        if (sum != leaf_sum) sf.constant_sum = false;
      }
    }
    if constexpr (std::is_same_v<T, double>) largest = std::max({largest, std::abs(u0), std::abs(u1)});
    if (prob == 0) return;
    std::uint64_t key = (static_cast<std::uint64_t>(s1) << 32) | s2;
    auto [it, fresh] = entry_of.emplace(key, sf.entries.size());
    if (fresh)
      sf.entries.push_back({s1, s2, prob * u0, prob * u1, prob});
    else {
      sf.entries[it->second].a += prob * u0;
      sf.entries[it->second].b += prob * u1;
      sf.entries[it->second].prob += prob;
    }
  };
  for (std::size_t i = 0; i < sf.nodes.size(); ++i) {
    NodeId v = sf.nodes[i];
    T a0 = 0, a1 = 0;
    if (v == root) {
      reach[i] = 1;
      seq_of[2 * v] = 0;
      seq_of[2 * v + 1] = 0;
    } else {
      std::size_t pi = pos(game.parent(v));
      a0 = acc0[pi];
      a1 = acc1[pi];
    }
    bool is_cut = v != root && cut[v];
    if (is_cut) {
      a0 += cut_payoff(v, 0);
      a1 += cut_payoff(v, 1);
    } else if (game.outcome(v) != kNoOutcome) {
      a0 += payoff(game.outcome(v), 0);
      a1 += payoff(game.outcome(v), 1);
    }
    acc0[i] = a0;
    acc1[i] = a1;
    if (is_cut || game.is_terminal(v)) {
      add_leaf(seq_of[2 * v], seq_of[2 * v + 1], reach[i], a0, a1);
      continue;
    }
    InfosetId h = game.infoset(v);
    auto kids = game.children(v);
    int p = game.player(v);
    if (p == kChancePlayer) {
      for (std::uint32_t a = 0; a < kids.size(); ++a) {
        NodeId c = kids[a];
        reach[pos(c)] = reach[i] * ChanceAs<T>(game, h, a);
        seq_of[2 * c] = seq_of[2 * v];
        seq_of[2 * c + 1] = seq_of[2 * v + 1];
      }
    } else {
      p = role_of(p);
      PlayerSequences& ps = sf.player[p];
      std::uint32_t k = local[p][h];
      if (ps.parent_seq[k] == kNone) ps.parent_seq[k] = seq_of[2 * v + p];
      PARLEY_CHECK(ps.parent_seq[k] == seq_of[2 * v + p]);  // perfect recall
      for (std::uint32_t a = 0; a < kids.size(); ++a) {
        NodeId c = kids[a];
        reach[pos(c)] = reach[i];
        seq_of[2 * c + p] = ps.first_seq[k] + a;
        seq_of[2 * c + (1 - p)] = seq_of[2 * v + (1 - p)];
      }
    }
  }
  // Constant-sum within rounding: the sums spread by at most the verification's bar (1e-9 of
  // the largest payoff, at most 1e-9) plus what rounding can make of payoffs this large (1e-12
  // of the largest). A payoff of 1e10 on a branch nobody takes widens nothing else: sums that
  // differ by 2 among payoffs of 2 are not constant-sum beside it. Sums that overflow are not.
  if constexpr (std::is_same_v<T, double>) {
    const double spread = high_sum - low_sum;
    sf.constant_sum = std::isfinite(spread) && std::isfinite(largest) &&
                      spread <= 1e-9 * std::min(largest, 1.0) + 1e-12 * largest;
  }
  return sf;
}

template <class T>
std::size_t PlanToBehavior(const Game& game, const PlayerSequences& seqs,
                           const std::vector<T>& plan, const ActionIndex& index,
                           std::vector<T>& behavior, double zero) {
  std::size_t unreached = 0;
  for (std::uint32_t k = 0; k < seqs.infosets.size(); ++k) {
    InfosetId h = seqs.infosets[k];
    std::uint32_t n = game.num_actions(h), first = seqs.first_seq[k];
    T total = 0;
    for (std::uint32_t a = 0; a < n; ++a) {
      T x = plan[first + a];
      if constexpr (std::is_same_v<T, double>) {
        if (x < zero) x = 0;
      }
      total += x;
    }
    bool reached;
    if constexpr (std::is_same_v<T, double>)
      reached = total > zero && plan[seqs.parent_seq[k]] > zero;
    else
      reached = total > 0;
    if (!reached) {
      ++unreached;
      for (std::uint32_t a = 0; a < n; ++a) behavior[index(h, a)] = T(1) / T(static_cast<int>(n));
      continue;
    }
    for (std::uint32_t a = 0; a < n; ++a) {
      T x = plan[first + a];
      if constexpr (std::is_same_v<T, double>) {
        if (x < zero) x = 0;
      }
      behavior[index(h, a)] = x / total;
    }
  }
  return unreached;
}

template SequenceForm<double> BuildSequenceForm<double>(const Game&, NodeId,
                                                        const std::vector<char>&,
                                                        const std::vector<double>&,
                                                        std::vector<std::uint32_t>&, const SequenceRoles&);
template SequenceForm<Rational> BuildSequenceForm<Rational>(const Game&, NodeId,
                                                            const std::vector<char>&,
                                                            const std::vector<Rational>&,
                                                            std::vector<std::uint32_t>&, const SequenceRoles&);
template std::size_t PlanToBehavior<double>(const Game&, const PlayerSequences&,
                                            const std::vector<double>&, const ActionIndex&,
                                            std::vector<double>&, double);
template std::size_t PlanToBehavior<Rational>(const Game&, const PlayerSequences&,
                                              const std::vector<Rational>&, const ActionIndex&,
                                              std::vector<Rational>&, double);

}  // namespace parley::equilibrium
