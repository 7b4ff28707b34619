#include "solver/equilibrium/logit.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <unordered_map>

#include "solver/equilibrium/beliefs.h"
#include "solver/equilibrium/sparse_lu.h"
#include "solver/model/error.h"
#include "solver/model/cancel.h"
#include "solver/model/cpu_time.h"
#include "solver/model/number.h"

namespace parley::equilibrium {

using model::kChancePlayer;
using model::kNoOutcome;
using model::NodeKind;

namespace {

constexpr std::uint32_t kNone = 0xffffffffu;
constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
// Pairs of moves on leaves' paths kept for the Jacobian; past this the subgame is refused
// (a very deep imperfect-information subgame): about 8 bytes each.
constexpr std::size_t kMaxPathPairs = 60'000'000;
// Newton steps of one polish at most (it converges in a handful when the supports are right).
constexpr int kPolishIterations = 20;
// A diagonal pivot of the tracer's LU is kept unless it is smaller than this times the largest
// entry of its column.
constexpr double kPivotThreshold = 1e-3;
// A polish with at most this many unknowns is always tried; a larger one only when the work of
// the polishes so far, its own included, stays below the tracer's (see TraceLogitEquilibrium).
constexpr std::size_t kFreePolishUnknowns = 32;
// The polish's work units (PolishWork) done in a second of processor time, at least: the last
// attempt of a trace, at its largest lambda, may use the time left of the trace's budget.
constexpr double kPolishWorkPerSecond = 5e8;
// The tracer's step control. A step is rejected when the corrector's first correction exceeds
// kMaxCorrection times the step or the tangent turns by kMaxTurn radians or more (60 degrees);
// the next step length aims at a contraction rate of kTargetContraction, a first correction of
// kTargetCorrection times the step and a turn of kTargetTurn radians. Measured on the bench's
// games (docs/performance.md): tighter targets (0.2, 0.2, 0.3 radians, rejecting below a cosine
// of 0.9) took 28% more steps and 50% more time at 2,047 nodes.
constexpr double kMaxCorrection = 0.5;
constexpr double kMaxTurn = 1.0472;
constexpr double kTargetContraction = 0.5;
constexpr double kTargetCorrection = 0.5;
constexpr double kTargetTurn = 0.5;
constexpr double kPi = 3.14159265358979323846;
// The corrector stops once its correction is below this in every unknown (log probabilities
// and lambda in range units), or below rounding. A point of the trace only guides the next
// step: QRE points are refined by Newton at the requested lambda and equilibria by the polish,
// both to rounding. Measured on the bench's games (docs/performance.md): 1e-7 selects the same
// equilibria as correcting to rounding, with 5-10% less time; at 1e-5 one game of 511 nodes
// ended at another equilibrium.
constexpr double kCorrectorTolerance = 1e-7;
// Logarithms of probabilities at or above this are exponentiated to normal doubles (the
// smallest is about e^-708), with room for a product of two of them.
constexpr double kDirectLog = -300;

}  // namespace

// The reduced subgame in local numbering, laid out for the tracer's passes.
class LogitSubgame {
 public:
  int np = 0;
  double scale = 1;  // payoffs are divided by this (their range), lambda multiplied
  // Local nodes in preorder; global_node maps back.
  std::vector<NodeId> global_node;
  std::vector<std::uint32_t> parent;
  std::vector<std::int32_t> var_in;      // unknown on the edge into the node, or -1
  std::vector<double> fixed_in;          // probability on that edge when it is not an unknown
  // Chance moves of probability 0: beliefs at a set whose every node lies below one are the
  // limit as those probabilities shrink to 0 together (Bayes' rule given that such a move was
  // made), not undefined. So the tracer's reach probabilities count such an edge as 1
  // (reach_in, and its logarithm ln_fixed_in) and keep, for every node, the number of them on
  // its path (zero_depth); a set's beliefs go to its nodes with the fewest (set_zero_depth), and
  // a node with more than its set's fewest weighs nothing in it. Values (expectations) use the
  // true probabilities, fixed_in.
  std::vector<double> reach_in;
  std::vector<double> ln_fixed_in;
  std::vector<std::uint32_t> zero_depth;      // per node
  std::vector<std::uint32_t> set_zero_depth;  // per set: the least zero_depth of its nodes
  std::vector<char> node_off;                 // per set node: zero_depth above its set's
  bool any_zero = false;                      // some chance move of probability 0
  std::vector<std::uint32_t> child_begin;  // CSR, num_nodes + 1
  std::vector<std::uint32_t> children;
  std::vector<std::uint32_t> leaf_of;    // node -> leaf, or kNone
  std::vector<std::uint32_t> leaf_node;  // leaf -> node
  std::vector<double> leaf_payoff;       // leaf x np, scaled
  // Personal sets with two or more actions (the agents with equations). Sets with one action
  // have no unknown: their edges carry probability 1.
  struct Set {
    InfosetId global;
    int player;
    std::uint32_t first_var, num_actions;
    std::uint32_t first_node, end_node;  // into set_nodes
    // Lambda's factor at this set: 1 on the principal branch; in a rescaled trace (Rescaled),
    // a measure of the set's stakes against the subgame's range.
    double weight = 1;
  };
  std::vector<Set> sets;
  std::vector<std::uint32_t> set_nodes;  // local nodes
  std::vector<std::uint32_t> var_set;    // unknown -> set
  std::vector<std::uint32_t> var_player; // unknown -> its set's player
  std::vector<std::uint32_t> var_global; // unknown -> global flat action (ActionIndex)
  std::uint32_t num_vars = 0;
  // Jacobian pattern of dU(row var)/d ln sigma(col var): rows sorted, CSR.
  std::vector<std::uint32_t> row_begin, col;
  // For every node entered by an unknown's edge (down_begin is indexed by node, num_nodes + 1),
  // the unknowns above that edge, each with the slot of (unknown above, the edge's unknown).
  std::vector<std::uint32_t> down_begin, down_var, down_slot;

  // For every set node, the unknowns above it that are not common to its set; for each of them
  // and each action of the set, the slot of (action of the set, unknown above).
  std::vector<std::uint32_t> node_path_begin, node_path, above_begin, above_slot;

  std::uint32_t num_nodes() const { return static_cast<std::uint32_t>(global_node.size()); }
  std::uint32_t Slot(std::uint32_t row, std::uint32_t c) const {
    auto b = col.begin() + row_begin[row], e = col.begin() + row_begin[row + 1];
    auto it = std::lower_bound(b, e, c);
    PARLEY_CHECK(it != e && *it == c);
    return static_cast<std::uint32_t>(it - col.begin());
  }
};

std::string LogitStatusText(LogitStatus status) {
  switch (status) {
    case LogitStatus::kConverged: return "converged to a verified equilibrium";
    case LogitStatus::kReachedLambda: return "reached the requested lambda";
    case LogitStatus::kStepTooSmall: return "the corrector failed even with the smallest step";
    case LogitStatus::kStepLimit: return "the step limit was reached";
    case LogitStatus::kTimeLimit: return "the time limit was reached";
    case LogitStatus::kLambdaLimit: return "lambda grew past its limit without a verified equilibrium";
  }
  return "unknown";
}

std::string QreStatusText(LogitStatus status) {
  if (status != LogitStatus::kLambdaLimit) return LogitStatusText(status);
  return "that is the largest lambda the tracer follows (" + FormatSignificant(LogitOptions{}.max_lambda, 6) +
         " divided by the range of the payoffs of the players who choose)";
}

std::shared_ptr<const LogitSubgame> MakeLogitSubgame(const Game& game, NodeId root,
                                                     const std::vector<char>& cut,
                                                     const std::vector<double>& value) {
  auto sg = std::make_shared<LogitSubgame>();
  LogitSubgame& s = *sg;
  const int np = game.num_players();
  s.np = np;
  const NodeId end = game.subtree_end(root);
  // Preparing a subgame of 10^5 nodes takes a good part of a second: poll along the way.
  model::CancelPoll poll;
  // Collect the reduced subgame's nodes in preorder: skip below cut nodes.
  for (NodeId v = root; v < end;) {
    poll();
    s.global_node.push_back(v);
    bool leaf = game.is_terminal(v) || (v != root && !cut.empty() && cut[v]);
    v = leaf ? game.subtree_end(v) : v + 1;
  }
  const std::uint32_t n = s.num_nodes();
  s.parent.assign(n, kNone);
  s.var_in.assign(n, -1);
  s.fixed_in.assign(n, 1.0);
  s.leaf_of.assign(n, kNone);
  // A node's place among the subgame's nodes (which are in preorder, so sorted), and the set
  // (of those with unknowns) each node is in: held per subgame node, not per node or set of the
  // whole game, whose size every subgame of a chain would otherwise pay.
  auto local_of = [&](NodeId v) {
    const auto it = std::lower_bound(s.global_node.begin(), s.global_node.end(), v);
    PARLEY_CHECK(it != s.global_node.end() && *it == v);
    return static_cast<std::uint32_t>(it - s.global_node.begin());
  };
  std::vector<std::uint32_t> set_at(n, kNone);
  std::unordered_map<InfosetId, std::uint32_t> set_index;
  // Sets in order of first appearance; unknowns numbered set by set.
  for (std::uint32_t i = 0; i < n; ++i) {
    poll();
    NodeId v = s.global_node[i];
    bool leaf = game.is_terminal(v) || (v != root && !cut.empty() && cut[v]);
    if (leaf || game.kind(v) == NodeKind::kChance) continue;
    InfosetId h = game.infoset(v);
    if (game.num_actions(h) < 2) continue;
    const auto [found, fresh] = set_index.emplace(h, static_cast<std::uint32_t>(s.sets.size()));
    set_at[i] = found->second;
    if (!fresh) continue;
    s.sets.push_back({h, game.infoset_player(h), s.num_vars, game.num_actions(h), 0, 0});
    for (std::uint32_t a = 0; a < game.num_actions(h); ++a) {
      s.var_set.push_back(set_at[i]);
      s.var_player.push_back(static_cast<std::uint32_t>(game.infoset_player(h)));
      s.var_global.push_back(kNone);
    }
    s.num_vars += game.num_actions(h);
  }
  // Children, edges, leaves, and the payoff pushed down to the leaves.
  std::vector<double> above(static_cast<std::size_t>(n) * np, 0.0);  // outcomes above, excl.
  s.child_begin.assign(n + 1, 0);
  // Each player's smallest and largest payoff at the leaves.
  std::vector<double> lo(np, std::numeric_limits<double>::infinity()), hi(np, -std::numeric_limits<double>::infinity());
  for (std::uint32_t i = 0; i < n; ++i) {
    poll();
    NodeId v = s.global_node[i];
    double* acc = &above[static_cast<std::size_t>(i) * np];
    bool leaf = game.is_terminal(v) || (v != root && !cut.empty() && cut[v]);
    if (leaf) {
      s.leaf_of[i] = static_cast<std::uint32_t>(s.leaf_node.size());
      s.leaf_node.push_back(i);
      for (int p = 0; p < np; ++p) {
        double u = acc[p];
        if (game.is_terminal(v))
          u += game.outcome(v) == kNoOutcome ? 0.0 : game.payoff(game.outcome(v), p);
        else
          u += value[static_cast<std::size_t>(v) * np + p];
        s.leaf_payoff.push_back(u);
        lo[p] = std::min(lo[p], u);
        hi[p] = std::max(hi[p], u);
      }
      s.child_begin[i + 1] = static_cast<std::uint32_t>(s.children.size());
      continue;
    }
    if (game.outcome(v) != kNoOutcome)
      for (int p = 0; p < np; ++p) acc[p] += game.payoff(game.outcome(v), p);
    InfosetId h = game.infoset(v);
    auto kids = game.children(v);
    for (std::uint32_t a = 0; a < kids.size(); ++a) {
      const std::uint32_t c = local_of(kids[a]);
      s.children.push_back(c);
      s.parent[c] = i;
      std::copy(acc, acc + np, &above[static_cast<std::size_t>(c) * np]);
      if (game.kind(v) == NodeKind::kChance) {
        s.fixed_in[c] = game.chance_prob(h, a);
      } else if (set_at[i] != kNone) {
        s.var_in[c] = static_cast<std::int32_t>(s.sets[set_at[i]].first_var + a);
      }
    }
    s.child_begin[i + 1] = static_cast<std::uint32_t>(s.children.size());
  }
  // Payoffs that differ only by rounding (a subgame whose every play pays the same, seen
  // through the values of subgames solved below it: 1 and 0.9999999999999998) are flat: scaled
  // by their span, that rounding would become a game of its own, whose branch the tracer
  // followed for thousands of steps and lost. Scaled by their size, the branch is the uniform
  // profile, as for payoffs exactly equal.
  // A player whose payoffs lie far from 0 beside the game's spans (1e12 + 1 and 1e12, where
  // every player's payoffs span at most 1) has them shifted to start at 0: the logit choice
  // depends on differences alone, and left as they are they cost the QRE 12 digits
  // (probabilities summing to 1.00003, a tracer that could not follow the branch). Offsets
  // within a thousand times the widest player's span (any game paid on one scale) are left as
  // they are, so that no trace of such a game changes: which equilibrium a polish finds early
  // in a trace can turn on rounding. The unit is the span of all the payoffs as shifted (half
  // of it where that overflows: lambda's internal unit is then another by a factor 2; what is
  // reported is not).
  // Only the players who choose in the subgame (sets of two or more actions) set the scale:
  // the others' payoffs enter no equation, and a bystander paid in billions beside a mover
  // paid 0 to 10 squeezed the mover's differences below the tracer's reach (it stopped at
  // lambda 1e-7 without an equilibrium of a single decision).
  std::vector<char> chooses(np, 0);
  for (const auto& set : s.sets) chooses[set.player] = 1;
  if (s.sets.empty()) std::fill(chooses.begin(), chooses.end(), 1);
  double size = 0, widest = 0;  // widest: the largest player's span, halved
  for (int p = 0; p < np; ++p) {
    if (!(lo[p] <= hi[p]) || !chooses[p]) continue;  // no leaves, or no choice
    size = std::max({size, std::abs(lo[p]), std::abs(hi[p])});
    widest = std::max(widest, 0.5 * hi[p] - 0.5 * lo[p]);
  }
  std::vector<double> shift(np, 0.0);
  double all_lo = std::numeric_limits<double>::infinity(), all_hi = -all_lo;
  bool shifted = false;
  for (int p = 0; p < np; ++p) {
    if (!(lo[p] <= hi[p]) || !chooses[p]) continue;
    if (0.5 * std::abs(lo[p]) > 1e3 * widest) {
      shift[p] = lo[p];
      shifted = true;
    }
    all_lo = std::min(all_lo, lo[p] - shift[p]);
    all_hi = std::max(all_hi, hi[p] - shift[p]);
  }
  const bool halved = all_lo <= all_hi && !std::isfinite(all_hi - all_lo);
  const double span = !(all_lo <= all_hi) ? 0.0 : halved ? 0.5 * all_hi - 0.5 * all_lo : all_hi - all_lo;
  // The game is flat when every player's payoffs differ only by rounding of their own size.
  // Judged player by player: measured against the game's largest payoff, a player paid 1e15
  // and 1e15 + 5 (exact doubles) beside players paid 0 to 4 made every difference in the game
  // read as rounding, the payoffs were divided by 1e15 and the trace stayed at the uniform
  // profile, returned as an equilibrium with a gain of 1.9.
  // A shifted player's spread is judged against a few units in the last place of its size
  // (1e15 + 5 and 1e15 differ by 40 of them: a real difference), the others' against 1e-13
  // of theirs, the bar rounding through the subgames solved below can reach.
  bool flat = true;
  for (int p = 0; p < np && flat; ++p) {
    if (!(lo[p] <= hi[p]) || !chooses[p]) continue;
    const double magnitude = std::max(std::abs(lo[p]), std::abs(hi[p]));
    const double bar = shift[p] != 0 ? 8 * (std::nextafter(magnitude, HUGE_VAL) - magnitude) : 1e-13 * magnitude;
    flat = 0.5 * hi[p] - 0.5 * lo[p] <= 0.5 * bar;
  }
  if (!shifted) flat = flat || !(span > 1e-13 * size);  // as before for games paid on one scale
  s.scale = !flat ? span : size > 0 ? size : 1.0;
  for (std::size_t z = 0; z < s.leaf_payoff.size(); ++z) {
    double& u = s.leaf_payoff[z];
    const double c = shift[z % np];
    // A player without a choice here is in no equation: 0, rather than a payoff that the
    // movers' scale could carry past the largest double.
    u = !chooses[z % np] ? 0.0 : halved ? (0.5 * u - 0.5 * c) / (0.5 * s.scale) : (u - c) / s.scale;
  }
  s.reach_in.resize(n);
  s.ln_fixed_in.resize(n);
  s.zero_depth.assign(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    const bool zero = s.var_in[i] < 0 && s.fixed_in[i] == 0;
    s.reach_in[i] = zero ? 1.0 : s.fixed_in[i];
    s.ln_fixed_in[i] = std::log(s.reach_in[i]);
    if (i > 0) s.zero_depth[i] = s.zero_depth[s.parent[i]] + (zero ? 1 : 0);
    s.any_zero |= zero;
  }
  // The nodes of each set, in preorder.
  std::vector<std::vector<std::uint32_t>> members(s.sets.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    NodeId v = s.global_node[i];
    if (s.leaf_of[i] != kNone || game.kind(v) == NodeKind::kChance) continue;
    std::uint32_t k = set_at[i];
    if (k != kNone) members[k].push_back(i);
  }
  s.set_zero_depth.assign(s.sets.size(), 0);
  for (std::size_t k = 0; k < s.sets.size(); ++k) {
    s.sets[k].first_node = static_cast<std::uint32_t>(s.set_nodes.size());
    s.set_nodes.insert(s.set_nodes.end(), members[k].begin(), members[k].end());
    s.sets[k].end_node = static_cast<std::uint32_t>(s.set_nodes.size());
    std::uint32_t least = kNone;
    for (std::uint32_t x : members[k]) least = std::min(least, s.zero_depth[x]);
    s.set_zero_depth[k] = least;
    for (std::uint32_t x : members[k]) s.node_off.push_back(s.zero_depth[x] > least ? 1 : 0);
  }
  // Paths: the unknowns above every node (explicit stack through the preorder), and for each
  // unknown on a leaf's path the node whose move it is.
  std::vector<std::uint32_t> path, path_node;
  std::vector<std::uint32_t> depth_at(n, 0);
  std::vector<std::vector<std::uint32_t>> node_path(n);
  std::vector<std::uint32_t> leaf_path_node;
  // For every leaf, the unknowns on its path (for the pattern).
  std::vector<std::uint32_t> leaf_path_begin, leaf_path;
  std::size_t pairs = 0;
  // The unknowns listed above nodes (in down_var and node_path): quadratic in the depth too,
  // and listed before any leaf is met when the first action of every node goes deeper.
  std::size_t listed = 0;
  auto too_deep = [&] {
    ThrowAtNode<LimitError>(root, "the subgame at node " + std::to_string(root) +
                                      " is too deep for the logit tracer (more than " +
                                      std::to_string(kMaxPathPairs) + " pairs of moves on its plays)");
  };
  leaf_path_begin.push_back(0);
  s.down_begin.assign(n + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    poll();
    if (i > 0) {
      path.resize(depth_at[s.parent[i]]);
      path_node.resize(path.size());
      if (s.var_in[i] >= 0) {
        if ((listed += path.size()) > kMaxPathPairs) too_deep();
        s.down_var.insert(s.down_var.end(), path.begin(), path.end());
        path.push_back(static_cast<std::uint32_t>(s.var_in[i]));
        path_node.push_back(s.parent[i]);
      }
    }
    s.down_begin[i + 1] = static_cast<std::uint32_t>(s.down_var.size());
    depth_at[i] = static_cast<std::uint32_t>(path.size());
    if (s.leaf_of[i] != kNone) {
      leaf_path.insert(leaf_path.end(), path.begin(), path.end());
      leaf_path_node.insert(leaf_path_node.end(), path_node.begin(), path_node.end());
      leaf_path_begin.push_back(static_cast<std::uint32_t>(leaf_path.size()));
      pairs += path.size() * (path.size() > 0 ? path.size() - 1 : 0);
      if (pairs > kMaxPathPairs) too_deep();
    } else if (game.kind(s.global_node[i]) == NodeKind::kDecision &&
               set_at[i] != kNone) {
      if ((listed += path.size()) > kMaxPathPairs) too_deep();
      node_path[i] = path;
    }
  }
  // An unknown above every node of a set (on the path to each of them) scales the reach
  // probabilities of all its nodes alike: the beliefs, hence U(h, a), do not depend on it, and
  // its leaf terms and belief terms cancel exactly. Leaving these pairs out of the pattern makes
  // the Jacobian nearly block triangular in the tree's order (a set couples with the moves
  // below it and with the few above that tell its nodes apart), which keeps the LU's fill small.
  // keep_above[x][j]: whether the j-th unknown above set node x is not common to its set.
  std::vector<std::vector<char>> keep_above(n);
  {
    std::vector<std::uint32_t> count(s.num_vars, 0);
    for (std::size_t k = 0; k < s.sets.size(); ++k) {
      const std::uint32_t size = static_cast<std::uint32_t>(members[k].size());
      for (std::uint32_t x : members[k])
        for (std::uint32_t c : node_path[x]) ++count[c];
      for (std::uint32_t x : members[k]) {
        keep_above[x].resize(node_path[x].size());
        for (std::size_t j = 0; j < node_path[x].size(); ++j) keep_above[x][j] = count[node_path[x][j]] < size;
      }
      for (std::uint32_t x : members[k])
        for (std::uint32_t c : node_path[x]) count[c] = 0;
    }
  }
  const std::size_t num_leaves = s.leaf_node.size();
  // Pair (i, j) of positions on a leaf's path: j below i, or j above i and not common to i's set.
  auto keep = [&](std::uint32_t b, std::uint32_t i, std::uint32_t j) {
    return j > i || (j < i && keep_above[leaf_path_node[i]][j - b]);
  };
  // The Jacobian's pattern.
  std::vector<std::vector<std::uint32_t>> rows(s.num_vars);
  for (std::size_t z = 0; z < num_leaves; ++z) {
    poll();
    const std::uint32_t b = leaf_path_begin[z], e = leaf_path_begin[z + 1];
    for (std::uint32_t i = b; i < e; ++i)
      for (std::uint32_t j = b; j < e; ++j)
        if (keep(b, i, j)) rows[leaf_path[i]].push_back(leaf_path[j]);
  }
  s.row_begin.assign(s.num_vars + 1, 0);
  for (std::uint32_t r = 0; r < s.num_vars; ++r) {
    auto& row = rows[r];
    std::sort(row.begin(), row.end());
    row.erase(std::unique(row.begin(), row.end()), row.end());
    s.col.insert(s.col.end(), row.begin(), row.end());
    s.row_begin[r + 1] = static_cast<std::uint32_t>(s.col.size());
    std::vector<std::uint32_t>().swap(row);
  }
  s.down_slot.resize(s.down_var.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    poll();
    for (std::uint32_t q = s.down_begin[i]; q < s.down_begin[i + 1]; ++q)
      s.down_slot[q] = s.Slot(s.down_var[q], static_cast<std::uint32_t>(s.var_in[i]));
  }
  s.node_path_begin.push_back(0);
  s.above_begin.push_back(0);
  for (std::uint32_t k = 0; k < s.set_nodes.size(); ++k) {
    std::uint32_t x = s.set_nodes[k];
    poll();
    const LogitSubgame::Set& set = s.sets[set_at[x]];
    for (std::size_t j = 0; j < node_path[x].size(); ++j) {
      if (!keep_above[x][j]) continue;
      const std::uint32_t c = node_path[x][j];
      s.node_path.push_back(c);
      for (std::uint32_t a = 0; a < set.num_actions; ++a)
        s.above_slot.push_back(s.Slot(set.first_var + a, c));
    }
    s.node_path_begin.push_back(static_cast<std::uint32_t>(s.node_path.size()));
    s.above_begin.push_back(static_cast<std::uint32_t>(s.above_slot.size()));
  }
  return sg;
}

std::vector<NodeId> LogitSubgameNodes(const LogitSubgame& subgame) { return subgame.global_node; }

double LogitPayoffScale(const LogitSubgame& subgame) { return subgame.scale; }

namespace {

using Vector = Eigen::VectorXd;

// BackwardValues for kPlayers players (0: s.np, any number). The sums are kept in a local
// array, which a fixed count lets the compiler hold in registers (summed through memory, each
// child's addition waited for the store of the last); the operations and their order are the
// same for every count, so the results are too.
template <int kPlayers>
void BackwardValuesFor(const LogitSubgame& s, const std::vector<double>& sigma, std::vector<double>& value) {
  constexpr int kMaxLocal = 8;
  const int np = kPlayers > 0 ? kPlayers : s.np;
  for (std::uint32_t i = s.num_nodes(); i-- > 0;) {
    double* out = &value[static_cast<std::size_t>(i) * np];
    if (s.leaf_of[i] != kNone) {
      std::copy_n(&s.leaf_payoff[static_cast<std::size_t>(s.leaf_of[i]) * np], np, out);
      continue;
    }
    double local[kMaxLocal];
    double* sum = kPlayers > 0 ? local : out;
    std::fill_n(sum, np, 0.0);
    for (std::uint32_t e = s.child_begin[i]; e < s.child_begin[i + 1]; ++e) {
      std::uint32_t c = s.children[e];
      double prob = s.var_in[c] >= 0 ? sigma[s.var_in[c]] : s.fixed_in[c];
      if (prob == 0) continue;
      const double* vc = &value[static_cast<std::size_t>(c) * np];
      for (int p = 0; p < np; ++p) sum[p] += prob * vc[p];
    }
    if constexpr (kPlayers > 0)
      for (int p = 0; p < kPlayers; ++p) out[p] = local[p];  // from registers, not through memcpy
  }
}

// Every node's expected payoffs (scaled) under the profile `sigma`, leaves to root: the one
// backward pass both the tracer and the polish use. `value` must hold num_nodes x np.
void BackwardValues(const LogitSubgame& s, const std::vector<double>& sigma, std::vector<double>& value) {
  switch (s.np) {
    case 2: return BackwardValuesFor<2>(s, sigma, value);
    case 3: return BackwardValuesFor<3>(s, sigma, value);
    case 4: return BackwardValuesFor<4>(s, sigma, value);
    default: return BackwardValuesFor<0>(s, sigma, value);
  }
}

// The equations and their Jacobian at a point (ln sigma, lambda), with reusable buffers.
class Evaluator {
 public:
  explicit Evaluator(const LogitSubgame& s) : s_(s) {
    const std::uint32_t n = s.num_nodes();
    sigma_.resize(s.num_vars);
    lnp_.resize(n);
    reach_.resize(n);
    value_.resize(static_cast<std::size_t>(n) * s.np);
    lnd_.resize(s.sets.size());
    mu_.resize(s.set_nodes.size());
    u_.resize(s.num_vars);
    du_.resize(s.col.size());
    const std::uint32_t nv = s.num_vars;
    order_.resize(nv + 1);
    unorder_.resize(nv + 1);
    std::uint32_t next = 0;
    for (std::size_t k = s.sets.size(); k-- > 0;) {
      const auto& set = s.sets[k];
      for (std::uint32_t a = 1; a < set.num_actions; ++a) order_[set.first_var + a] = next++;
      order_[set.first_var] = next++;
    }
    order_[nv] = nv;
    for (std::uint32_t v = 0; v <= nv; ++v) unorder_[order_[v]] = v;
  }

  std::uint32_t num_vars() const { return s_.num_vars; }

  // Fills the residual H (num_vars entries) and, when `jacobian`, the triplets of dH.
  void Evaluate(const Vector& y, bool jacobian) {
    const LogitSubgame& s = s_;
    const std::uint32_t nv = s.num_vars;
    const double lambda = y[nv];
    for (std::uint32_t k = 0; k < nv; ++k) sigma_[k] = std::exp(y[k]);
    const std::uint32_t n = s.num_nodes();
    // Reach probabilities in log space, and as plain products where they are at least
    // e^kDirectLog (normal doubles, as exact as their logarithms; below, reach_ is not read).
    lnp_[0] = 0;
    reach_[0] = 1;
    for (std::uint32_t i = 1; i < n; ++i) {
      const bool free = s.var_in[i] >= 0;
      lnp_[i] = lnp_[s.parent[i]] + (free ? y[s.var_in[i]] : s.ln_fixed_in[i]);
      reach_[i] = reach_[s.parent[i]] * (free ? sigma_[s.var_in[i]] : s.reach_in[i]);
    }
    const int np = s.np;
    BackwardValues(s, sigma_, value_);
    for (std::size_t k = 0; k < s.sets.size(); ++k) {
      const auto& set = s.sets[k];
      // ln of the set's reach probability: the largest term factored out, one log per set.
      // Nodes below more chance moves of probability 0 than the set's fewest weigh nothing.
      const char* off = s.node_off.data();
      double top = kMinusInf, bottom = 0;
      for (std::uint32_t m = set.first_node; m < set.end_node; ++m) {
        if (off[m]) continue;
        top = std::max(top, lnp_[s.set_nodes[m]]);
        bottom = std::min(bottom, lnp_[s.set_nodes[m]]);
      }
      if (bottom >= kDirectLog) {
        // Every node's reach a normal double: the beliefs are the reaches over their sum.
        double sum = 0;
        for (std::uint32_t m = set.first_node; m < set.end_node; ++m)
          if (!off[m]) sum += reach_[s.set_nodes[m]];
        lnd_[k] = std::log(sum);
        const double inverse = 1 / sum;
        for (std::uint32_t m = set.first_node; m < set.end_node; ++m)
          mu_[m] = off[m] ? 0.0 : reach_[s.set_nodes[m]] * inverse;
      } else if (top != kMinusInf) {
        // The beliefs are the terms over their sum, each term's exp taken once.
        double sum = 0;
        for (std::uint32_t m = set.first_node; m < set.end_node; ++m)
          sum += mu_[m] = off[m] ? 0.0 : std::exp(lnp_[s.set_nodes[m]] - top);
        lnd_[k] = top + std::log(sum);
        const double inverse = 1 / sum;
        for (std::uint32_t m = set.first_node; m < set.end_node; ++m) mu_[m] *= inverse;
      } else {
        lnd_[k] = kMinusInf;
        const double uniform = 1.0 / (set.end_node - set.first_node);
        for (std::uint32_t m = set.first_node; m < set.end_node; ++m) mu_[m] = uniform;
      }
      for (std::uint32_t a = 0; a < set.num_actions; ++a) u_[set.first_var + a] = 0;
      for (std::uint32_t m = set.first_node; m < set.end_node; ++m) {
        std::uint32_t x = s.set_nodes[m];
        for (std::uint32_t a = 0; a < set.num_actions; ++a) {
          std::uint32_t c = s.children[s.child_begin[x] + a];
          u_[set.first_var + a] += mu_[m] * value_[static_cast<std::size_t>(c) * np + set.player];
        }
      }
    }
    // Residual. Row f + a (a >= 1) is action a's equation and row f the set's sum, so that
    // every row has a structurally non-zero diagonal (1 on ln sigma(h, a), sigma(h, 0)).
    residual_.resize(nv);
    for (const auto& set : s.sets) {
      const std::uint32_t f = set.first_var;
      double total = 0;
      for (std::uint32_t a = 1; a < set.num_actions; ++a)
        residual_[f + a] = y[f + a] - y[f] - lambda * set.weight * (u_[f + a] - u_[f]);
      for (std::uint32_t a = 0; a < set.num_actions; ++a) total += sigma_[f + a];
      residual_[f] = total - 1;
    }
    if (!jacobian) return;
    // dU(h, a) / d ln sigma(h', a'), summed over plays through both moves. A play's weight in
    // U(h, a) is p(z) u(z) / (sigma(h, a) p(h)): the reach of its leaf over the move's
    // probability and the set's reach. Over the plays below a node c, p(z) u(z) adds up to
    // p(c) V(c) (V: the values of the backward pass), so each pair of moves on a path counts
    // once per pair of edges, not once per play below them:
    //  - (h', a') below (h, a), entering node c: p(c) V(c) / (sigma(h, a) p(h)). When none of
    //    the logarithms is below kDirectLog, the factors are normal doubles and the ratio is
    //    taken directly (p(c) / sigma(h, a) is at most p(h), so nothing overflows): one exp per
    //    node and per set; otherwise in log space.
    //  - (h', a') above node x of h: p(x) sigma(h, a) V(child) / (sigma(h, a) p(h)) =
    //    mu(x) V(child), less the belief term U(h, a) d mu(x) / d ln sigma(h', a') =
    //    U(h, a) mu(x) (only the unknowns that tell h's nodes apart: above_slot).
    std::fill(du_.begin(), du_.end(), 0.0);
    // 1 / p(h) and 1 / sigma(h, a) where their logarithms are at least kDirectLog, else 0.
    inverse_reach_.resize(s.sets.size());
    for (std::size_t k = 0; k < s.sets.size(); ++k)
      inverse_reach_[k] = lnd_[k] >= kDirectLog ? std::exp(-lnd_[k]) : 0.0;
    inverse_sigma_.resize(nv);
    for (std::uint32_t v = 0; v < nv; ++v) inverse_sigma_[v] = y[v] >= kDirectLog ? 1 / sigma_[v] : 0.0;
    {
      const std::uint32_t* down_var = s.down_var.data();
      const std::uint32_t* down_slot = s.down_slot.data();
      const std::uint32_t* var_set = s.var_set.data();
      const bool any_zero = s.any_zero;
      const std::uint32_t* zero_depth = s.zero_depth.data();
      const std::uint32_t* set_zero_depth = s.set_zero_depth.data();
      const std::uint32_t* var_player = s.var_player.data();
      const double* inverse_reach = inverse_reach_.data();
      const double* inverse_sigma = inverse_sigma_.data();
      double* du = du_.data();
      for (std::uint32_t c = 0; c < n; ++c) {
        const std::uint32_t b = s.down_begin[c], e = s.down_begin[c + 1];
        const double lnc = lnp_[c];
        if (b == e || lnc == kMinusInf) continue;
        const double reach = lnc >= kDirectLog ? reach_[c] : 0.0;
        const double* vc = &value_[static_cast<std::size_t>(c) * np];
        for (std::uint32_t q = b; q < e; ++q) {
          const std::uint32_t var = down_var[q];
          const std::uint32_t k = var_set[var];
          // Below a chance move of probability 0 that the set's own nodes are not below: no
          // weight in the set's values.
          if (any_zero && zero_depth[c] > set_zero_depth[k]) continue;
          // p(c) / p(h) is at most sigma(h, a), so the product never overflows; it is 0 when a
          // factor was out of range (or the product underflows): then in log space.
          const double direct = reach * inverse_reach[k] * inverse_sigma[var];
          const double ratio = direct != 0 ? direct : std::exp(lnc - y[var] - lnd_[k]);
          du[down_slot[q]] += ratio * vc[var_player[var]];
        }
      }
    }
    for (std::size_t k = 0; k < s.sets.size(); ++k) {
      const auto& set = s.sets[k];
      // A set no play reaches (a chance probability 0 above it) has no play terms.
      const bool reached = lnd_[k] != kMinusInf;
      for (std::uint32_t m = set.first_node; m < set.end_node; ++m) {
        const double mu = mu_[m];
        const std::uint32_t x = s.set_nodes[m];
        std::uint32_t q = s.above_begin[m];
        for (std::uint32_t j = s.node_path_begin[m]; j < s.node_path_begin[m + 1]; ++j)
          for (std::uint32_t a = 0; a < set.num_actions; ++a) {
            const std::uint32_t c = s.children[s.child_begin[x] + a];
            const double play = reached ? mu * value_[static_cast<std::size_t>(c) * np + set.player] : 0.0;
            du_[s.above_slot[q++]] += play - u_[set.first_var + a] * mu;
          }
      }
    }
    if (entry_slot_.empty()) MakePattern();
    std::fill(entry_value_.begin(), entry_value_.end(), 0.0);
    std::size_t t = 0;
    EmitJacobian(lambda,
                 [&](std::uint32_t, std::uint32_t, double value) { entry_value_[entry_slot_[t++]] += value; });
  }

  // Factorises [dH; e_k^T] at the last point evaluated with the Jacobian. False when singular.
  // The matrix is laid out in compressed columns from the fixed pattern of dH (MakePattern)
  // with the border row, nv (the last in the elimination order), present in every column: 1 in
  // column k, explicit zeros elsewhere. So the pattern does not depend on k, is analysed once,
  // and a change of k (about one step in four at 4,095 nodes) refactorises in the last pivot
  // order instead of choosing pivots afresh. (With the border's one entry alone, each change
  // of k was a new analysis and a factorisation with pivot search, which allocates its factors
  // anew: about 15 % of a trace at 4,095 and 8,191 nodes, page faults included.) The zeros cost
  // a row of L's length, and they change nothing in a factorisation that chooses its pivots: a
  // zero is never a column's largest entry, and it stays zero through the elimination.
  // With `reuse_pivots`, the rows are eliminated in the order the last factorisation chose,
  // unless that order meets a zero or tiny pivot (SparseLu::Factorize).
  bool Factorize(std::uint32_t k, bool reuse_pivots = false) {
    const std::uint32_t nv = s_.num_vars;
    const std::uint32_t border = order_[k];
    const std::size_t nnz = entry_row_.size();
    if (!analysed_) {
      csc_outer_.resize(nv + 2);
      csc_inner_.resize(nnz + nv + 1);
      std::size_t q = 0;
      for (std::uint32_t c = 0; c <= nv; ++c) {
        csc_outer_[c] = static_cast<int>(q);
        for (std::size_t e = column_begin_[c]; e < column_begin_[c + 1]; ++e) csc_inner_[q++] = entry_row_[e];
        csc_inner_[q++] = static_cast<int>(nv);  // the border row, last in its column
      }
      csc_outer_[nv + 1] = static_cast<int>(q);
    }
    csc_value_.resize(nnz + nv + 1);
    double* value = csc_value_.data();
    std::size_t q = 0;
    for (std::uint32_t c = 0; c <= nv; ++c) {
      for (std::size_t e = column_begin_[c]; e < column_begin_[c + 1]; ++e) value[q++] = entry_value_[e];
      value[q++] = c == border ? 1.0 : 0.0;
    }
    if (!analysed_) {
      factorized_ = false;
      if (!lu_.Analyze(static_cast<int>(nv + 1), csc_outer_.data(), csc_inner_.data())) return false;
      analysed_ = true;
    }
    factorized_ = lu_.Factorize(csc_outer_.data(), csc_inner_.data(), value, reuse_pivots);
    return factorized_;
  }

  // Calls put(row, column, value) for every entry of dH at the point last evaluated (du_, u_,
  // sigma_ filled), in an order fixed by the subgame alone; entries may repeat (they add up).
  template <typename Put>
  void EmitJacobian(double lambda, Put&& put) const {
    const LogitSubgame& s = s_;
    const std::uint32_t nv = s.num_vars;
    for (const auto& set : s.sets) {
      const std::uint32_t f = set.first_var;
      const double l = lambda * set.weight;
      for (std::uint32_t a = 1; a < set.num_actions; ++a) {
        const std::uint32_t row = f + a;
        put(row, f + a, 1.0);
        put(row, f, -1.0);
        for (std::uint32_t q = s.row_begin[f + a]; q < s.row_begin[f + a + 1]; ++q)
          put(row, s.col[q], -l * du_[q]);
        for (std::uint32_t q = s.row_begin[f]; q < s.row_begin[f + 1]; ++q) put(row, s.col[q], l * du_[q]);
        put(row, nv, -set.weight * (u_[f + a] - u_[f]));
      }
      for (std::uint32_t a = 0; a < set.num_actions; ++a) put(f, f + a, sigma_[f + a]);
    }
  }

  // The pattern of dH in the elimination order, in compressed columns (rows sorted within a
  // column, repeats merged), and the place of each entry EmitJacobian emits.
  void MakePattern() {
    const std::uint32_t nv = s_.num_vars;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> entries;  // (column, row), permuted
    EmitJacobian(0.0, [&](std::uint32_t row, std::uint32_t column, double) {
      entries.emplace_back(order_[column], order_[row]);
    });
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sorted = entries;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    column_begin_.assign(nv + 2, 0);
    entry_row_.resize(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      ++column_begin_[sorted[i].first + 1];
      entry_row_[i] = static_cast<int>(sorted[i].second);
    }
    for (std::uint32_t c = 0; c <= nv; ++c) column_begin_[c + 1] += column_begin_[c];
    entry_slot_.resize(entries.size());
    for (std::size_t t = 0; t < entries.size(); ++t)
      entry_slot_[t] =
          static_cast<std::uint32_t>(std::lower_bound(sorted.begin(), sorted.end(), entries[t]) - sorted.begin());
    entry_value_.assign(sorted.size(), 0.0);
  }

  // Solves with the last factorisation. False when there is none or the result is not finite.
  bool Solve(const Vector& rhs, Vector& x) {
    if (!factorized_) return false;
    const Eigen::Index size = rhs.size();
    work_.resize(size);
    for (Eigen::Index i = 0; i < size; ++i) work_[order_[i]] = rhs[i];
    if (!lu_.Solve(work_.data())) return false;
    x.resize(size);
    for (Eigen::Index i = 0; i < size; ++i) x[i] = work_[order_[i]];
    return x.allFinite();
  }

  // The sign of the determinant of the last factorisation (0 when a pivot is 0). The rows and
  // columns are permuted alike (order_), which leaves the determinant as it is.
  double DeterminantSign() { return factorized_ ? lu_.DeterminantSign() : 0.0; }

  const Vector& residual() const { return residual_; }
  // Whether `x` solves [dH; e_k^T] x = e_last (the tangent's system, with the Jacobian last
  // evaluated) to a residual of rounding size: at most 1e-11 of (the largest row sum of the
  // matrix's magnitudes) times (x's largest entry).
  bool SolvesTangentSystem(const Vector& x, std::uint32_t k) const {
    const std::uint32_t nv = s_.num_vars;
    Vector r = JacobianTimes(x);
    Vector row_size = Vector::Zero(nv);
    for (std::uint32_t pc = 0; pc <= nv; ++pc)
      for (std::size_t e = column_begin_[pc]; e < column_begin_[pc + 1]; ++e)
        row_size[unorder_[static_cast<std::uint32_t>(entry_row_[e])]] += std::abs(entry_value_[e]);
    const double scale = std::max(1.0, row_size.maxCoeff()) * x.lpNorm<Eigen::Infinity>();
    const double residual = std::max(r.lpNorm<Eigen::Infinity>(), std::abs(x[k] - 1.0));
    return std::isfinite(residual) && residual <= 1e-11 * scale;
  }
  // dH (without the border row) times `v` (num_vars + 1 entries, lambda last), from the
  // Jacobian last evaluated.
  Vector JacobianTimes(const Vector& v) const {
    const std::uint32_t nv = s_.num_vars;
    Vector out = Vector::Zero(nv);
    for (std::uint32_t pc = 0; pc <= nv; ++pc)
      for (std::size_t e = column_begin_[pc]; e < column_begin_[pc + 1]; ++e)
        out[unorder_[static_cast<std::uint32_t>(entry_row_[e])]] += entry_value_[e] * v[unorder_[pc]];
    return out;
  }
  const std::vector<double>& lnp() const { return lnp_; }
  const std::vector<double>& mu() const { return mu_; }

 private:
  const LogitSubgame& s_;
  std::vector<double> sigma_, lnp_, reach_, value_, lnd_, mu_, u_, du_, inverse_reach_, inverse_sigma_;
  Vector residual_;
  // dH's pattern (MakePattern) and values at the last point evaluated with the Jacobian.
  std::vector<std::size_t> column_begin_;
  std::vector<int> entry_row_;
  std::vector<std::uint32_t> entry_slot_;
  std::vector<double> entry_value_;
  std::vector<int> csc_outer_, csc_inner_;  // [dH; e_k^T] in compressed columns
  std::vector<double> csc_value_;
  bool analysed_ = false;  // the pattern of [dH; e_k^T] (the same for every k)
  // The elimination follows the tree: the sets in reverse order of first appearance (the moves
  // below a set before the set), each set's actions 1.. before its action 0 (whose row is the
  // sum of the set's probabilities, a pivot of 1 once the others are eliminated), lambda last.
  // A set's row holds the moves below it and the few above that tell its nodes apart, so in
  // this order the factors keep about the Jacobian's own pattern, where a general fill-reducing
  // order (COLAMD) filled them to 15 to 20 times that. Pivots stay on the diagonal unless one
  // is much smaller than its column (threshold partial pivoting), as at a turning point.
  std::vector<std::uint32_t> order_, unorder_;
  Vector work_;
  SparseLu lu_{kPivotThreshold};
  bool factorized_ = false;
};

// Values U(h, a) (scaled payoffs) for a profile in linear space with exact zeros allowed;
// beliefs at sets it does not reach come from `fallback_mu` (over set_nodes).
void LinearActionValues(const LogitSubgame& s, const std::vector<double>& sigma,
                        const std::vector<double>& fallback_mu, std::vector<double>& p,
                        std::vector<double>& value, std::vector<double>& u) {
  const std::uint32_t n = s.num_nodes();
  const int np = s.np;
  p.resize(n);
  value.resize(static_cast<std::size_t>(n) * np);
  u.assign(s.num_vars, 0.0);
  p[0] = 1;
  for (std::uint32_t i = 1; i < n; ++i)
    p[i] = p[s.parent[i]] * (s.var_in[i] >= 0 ? sigma[s.var_in[i]] : s.fixed_in[i]);
  BackwardValues(s, sigma, value);
  for (const auto& set : s.sets) {
    double d = 0;
    for (std::uint32_t m = set.first_node; m < set.end_node; ++m) d += p[s.set_nodes[m]];
    for (std::uint32_t m = set.first_node; m < set.end_node; ++m) {
      std::uint32_t x = s.set_nodes[m];
      double mu = d > 0 ? p[x] / d : fallback_mu[m];
      if (mu == 0) continue;
      for (std::uint32_t a = 0; a < set.num_actions; ++a) {
        std::uint32_t c = s.children[s.child_begin[x] + a];
        u[set.first_var + a] += mu * value[static_cast<std::size_t>(c) * np + set.player];
      }
    }
  }
}

// What a polish with `m` unknowns costs at least, in units of about one memory access or ten
// floating-point operations (one Jacobian entry assembled by the tracer): the three Newton steps
// it makes before it can give up, each a finite-difference Jacobian (m passes over the tree)
// and a dense QR (about m^3 operations).
double PolishWork(const LogitSubgame& s, std::size_t m) {
  const double size = static_cast<double>(m);
  return 3 * (size * size * size / 10 + size * s.num_nodes() * s.np);
}

// Newton's method on the equalities of the supported actions' values. The supports are read
// off the trace (actions within `ratio` of the set's most likely one). Sets that the supports
// never reach keep the trace's play restricted to their support: their values do not enter
// anybody's payoff, and their beliefs are only known in the limit, so they are left to the
// caller's verification (no gain from deviating in any subgame), which is what subgame
// perfection asks. Returns false when Newton does not converge, a probability leaves [0, 1],
// or an unsupported action does better at a reached set.
// `last_support` holds the support of the previous call (same trace point): when this ratio
// gives the same one, the attempt would repeat it, and false is returned at once.
// `budget` is the work the caller allows (in the units of PolishWork): an attempt with more than
// kFreePolishUnknowns unknowns that would cost more returns false at once, and one that is
// made takes its cost from the budget.
bool Polish(const LogitSubgame& s, const std::vector<double>& trace_sigma,
            const std::vector<double>& trace_mu, double ratio, std::vector<double>& sigma,
            std::vector<char>& last_support, double& budget) {
  const std::uint32_t nv = s.num_vars;
  sigma.assign(nv, 0.0);
  std::vector<char> in_support(nv, 0);
  for (const auto& set : s.sets) {
    double top = 0;
    for (std::uint32_t a = 0; a < set.num_actions; ++a) top = std::max(top, trace_sigma[set.first_var + a]);
    for (std::uint32_t a = 0; a < set.num_actions; ++a)
      in_support[set.first_var + a] = trace_sigma[set.first_var + a] >= ratio * top;
  }
  if (in_support == last_support) return false;
  last_support = in_support;
  std::vector<std::vector<std::uint32_t>> support(s.sets.size());
  for (std::size_t k = 0; k < s.sets.size(); ++k) {
    const auto& set = s.sets[k];
    double top = 0;
    for (std::uint32_t a = 0; a < set.num_actions; ++a) top = std::max(top, trace_sigma[set.first_var + a]);
    double total = 0;
    for (std::uint32_t a = 0; a < set.num_actions; ++a)
      if (trace_sigma[set.first_var + a] >= ratio * top) {
        support[k].push_back(set.first_var + a);
        total += trace_sigma[set.first_var + a];
      }
    for (std::uint32_t v : support[k]) sigma[v] = trace_sigma[v] / total;
  }
  std::vector<double> p, value, u;
  // Which sets the supports reach (positive probabilities stay positive under Newton).
  LinearActionValues(s, sigma, trace_mu, p, value, u);
  std::vector<char> reached(s.sets.size(), 0);
  std::vector<std::uint32_t> unknowns;  // vars with a free probability
  for (std::size_t k = 0; k < s.sets.size(); ++k) {
    const auto& set = s.sets[k];
    for (std::uint32_t m = set.first_node; m < set.end_node; ++m) reached[k] |= p[s.set_nodes[m]] > 0;
    if (reached[k] && support[k].size() >= 2)
      unknowns.insert(unknowns.end(), support[k].begin(), support[k].end());
  }
  auto residual = [&](const std::vector<double>& sg, Vector& r) {
    LinearActionValues(s, sg, trace_mu, p, value, u);
    r.resize(static_cast<Eigen::Index>(unknowns.size()));
    Eigen::Index row = 0;
    for (std::size_t k = 0; k < s.sets.size(); ++k) {
      if (!reached[k] || support[k].size() < 2) continue;
      // In a rescaled trace a set's equalities are weighed as its lambda is (by its stakes), so
      // that a difference of 3e-9 among payoffs of 3e9 is not taken for an equality.
      const double w = s.sets[k].weight;
      double total = 0;
      for (std::size_t i = 1; i < support[k].size(); ++i) r[row++] = w * (u[support[k][i]] - u[support[k][0]]);
      for (std::uint32_t v : support[k]) total += sg[v];
      r[row++] = total - 1;
    }
  };
  const Eigen::Index m = static_cast<Eigen::Index>(unknowns.size());
  Vector r, r2;
  double previous_norm = std::numeric_limits<double>::infinity();
  double first_norm = std::numeric_limits<double>::infinity();
  for (int iter = 0; iter < kPolishIterations && m > 0; ++iter) {
    residual(sigma, r);
    const double norm = r.lpNorm<Eigen::Infinity>();
    if (norm < 1e-14) break;
    // The budget is for Newton's steps: a trace point that already solves the equations (a
    // branch that keeps its support's play fixed, as in games of matching pennies, whose
    // supports are large) costs one pass to check, whatever its size.
    if (iter == 0 && unknowns.size() > kFreePolishUnknowns) {
      const double cost = PolishWork(s, unknowns.size());
      if (cost > budget) return false;
      budget -= cost;
    }
    // A residual that no longer shrinks after the first steps means the trace point is still
    // far from the equilibrium (early in the trace, with every action in the support): give
    // up now, since each step costs a dense m x m factorisation, and try again further along.
    // (Singular systems at degenerate supports converge only linearly, so the bar is low.)
    if (iter >= 3 && norm > 0.9 * previous_norm) return false;
    // Nor one that has grown a thousandfold: Newton has left the neighbourhood it started in
    // (seen oscillating up to 1e117 over all its iterations, seconds in a large attempt).
    if (norm > 1e3 * first_norm) return false;
    if (iter == 0) first_norm = norm;
    previous_norm = norm;
    Eigen::MatrixXd jac(m, m);
    for (Eigen::Index j = 0; j < m; ++j) {
      std::vector<double> sp = sigma;
      const double h = 1e-7;
      sp[unknowns[j]] += h;
      residual(sp, r2);
      jac.col(j) = (r2 - r) / h;
    }
    // A pivoted QR, not an LU: at degenerate supports the system is singular and the QR's
    // least-squares step still leads to a solution (gambit-games/efg/bayes2a.efg).
    Vector step = jac.colPivHouseholderQr().solve(-r);
    if (!step.allFinite()) return false;
    for (Eigen::Index j = 0; j < m; ++j) sigma[unknowns[j]] += step[j];
    if (step.lpNorm<Eigen::Infinity>() < 1e-15) break;
  }
  if (m > 0) {
    residual(sigma, r);
    if (r.lpNorm<Eigen::Infinity>() > 1e-12) return false;
  }
  // Probabilities must be probabilities, and nothing outside a reached set's support may do
  // better.
  for (std::size_t k = 0; k < s.sets.size(); ++k)
    for (std::uint32_t v : support[k]) {
      if (sigma[v] < -1e-12 || sigma[v] > 1 + 1e-12) return false;
      sigma[v] = std::clamp(sigma[v], 0.0, 1.0);
    }
  LinearActionValues(s, sigma, trace_mu, p, value, u);
  for (std::size_t k = 0; k < s.sets.size(); ++k) {
    if (!reached[k]) continue;
    const auto& set = s.sets[k];
    double best = u[support[k][0]];
    for (std::uint32_t a = 0; a < set.num_actions; ++a)
      if (set.weight == 1 ? u[set.first_var + a] > best + 1e-11 : set.weight * (u[set.first_var + a] - best) > 1e-11)
        return false;
  }
  return true;
}

// What the driver's caller says after each accepted step.
enum class StepVerdict {
  kGoOn,     // trace on
  kDone,     // stop: what the caller wanted was found
  kShorter,  // take the step back and try it at half the length (the caller needs shorter ones)
};

// The shared driver: traces from lambda = 0 and calls `on_step(y_old, y, eval)` after each
// accepted step from y_old to y.
LogitStats Trace(const LogitSubgame& s, const LogitOptions& options,
                 const std::function<StepVerdict(const Vector&, const Vector&, Evaluator&)>& on_step) {
  const double start = model::ThreadCpuSeconds();
  LogitStats stats;
  const std::uint32_t nv = s.num_vars;
  Evaluator eval(s);
  Vector y(nv + 1);
  for (const auto& set : s.sets)
    for (std::uint32_t a = 0; a < set.num_actions; ++a) y[set.first_var + a] = -std::log(double(set.num_actions));
  y[nv] = 0;
  auto seconds = [&] { return model::ThreadCpuSeconds() - start; };
  auto finish = [&](LogitStatus status) {
    stats.status = status;
    stats.lambda = y[nv] / s.scale;
    stats.seconds = seconds();
    return stats;
  };
  if (nv == 0) {  // nothing to choose: every set has one action
    if (on_step(y, y, eval) == StepVerdict::kDone) return finish(LogitStatus::kConverged);
    return finish(LogitStatus::kStepTooSmall);
  }
  // The tangent at a point comes from the Jacobian there, bordered by the row e_k^T that fixes
  // the coordinate k changing fastest: [H'(y); e_k^T] x = e_last, t = +-x / |x|. Its direction
  // is set by the orientation of the branch (Allgower and Georg 1990, ch. 2): the sign of
  // det [H'(y); t^T] is the same at every point of a regular branch, through turning points in
  // lambda, so t is chosen to keep it. The two bordered matrices differ in the last row only and
  // x_k = 1, so det [H'; t^T] = det [H'; e_k^T] (t . x): the sign is the LU's (its pivots and
  // its permutations' parity) times the sign chosen for t. Choosing it by the cosine with the
  // previous tangent instead, a step that lands on a stretch of the branch traversed the other
  // way would just carry on in the new direction (backwards along the branch, as happened at
  // 4,095 nodes with long steps); oriented by the determinant, the new tangent points against
  // the old one there and the step is rejected.
  Vector e_last = Vector::Zero(nv + 1);
  e_last[nv] = 1;
  double orientation = 0;  // sign of det [H'(y); t^T] along the branch; lambda grows at first
  // From the last factorisation, of [H'(y); e_k^T] at the point y evaluated last.
  // With `k` (the border's coordinate), the solve is checked (SolvesTangentSystem): for an LU
  // that reused an earlier pivot order.
  auto tangent_from_lu = [&](Vector& t, std::uint32_t k = kNone) {
    if (!eval.Solve(e_last, t)) return false;
    if (k != kNone && !eval.SolvesTangentSystem(t, k)) return false;
    const double sign = eval.DeterminantSign();
    if (sign == 0) return false;
    t.normalize();
    if (orientation == 0) orientation = t[nv] < 0 ? -sign : sign;
    if (sign != orientation) t = -t;
    return true;
  };
  Vector t;
  eval.Evaluate(y, true);
  if (!eval.Factorize(nv) || !tangent_from_lu(t)) return finish(LogitStatus::kStepTooSmall);
  double h = options.first_step;
  double base_error = 0;  // the last correction made at y, about its distance from the branch
  bool slow_steps = false;  // steps average more than a millisecond
  Vector yc, delta, rhs(nv + 1), t_new;
  while (true) {
    model::ThrowIfCancelled();
    if (stats.steps >= options.max_steps) return finish(LogitStatus::kStepLimit);
    // The clock (a system call) is read every 16 steps, and at every step once steps take
    // more than a millisecond, so that a large game stops within a step of its limit.
    if (slow_steps || (stats.steps & 15) == 0) {
      const double now = seconds();
      if (now > options.max_seconds) return finish(LogitStatus::kTimeLimit);
      slow_steps = now > 1e-3 * static_cast<double>(stats.steps + 1);
    }
    if (y[nv] > options.max_lambda) return finish(LogitStatus::kLambdaLimit);
    yc = y + h * t;
    std::uint32_t k = 0;
    t.cwiseAbs().maxCoeff(&k);
    // Chord Newton with the Jacobian at the predicted point, fixing coordinate k. It contracts
    // much faster than a chord on the Jacobian of the last accepted point (0.1-0.17 at the
    // steps that one allowed), so the steps can be longer; the orientation guards against the
    // branch's sharp turns that longer steps meet.
    eval.Evaluate(yc, true);
    bool ok = false;
    double first_norm = 0, second_norm = 0, previous_norm = 0;
    const double floor = 1e-10 * (1 + yc.lpNorm<Eigen::Infinity>());  // rounding at this size
    if (eval.Factorize(k, /*reuse_pivots=*/true)) {
      for (int iterations = 0; iterations < 12; ++iterations) {
        model::ThrowIfCancelled();  // an iteration is a pass over the tree and a solve
        // The Jacobian's evaluation at the predicted point left its residual.
        if (iterations > 0) eval.Evaluate(yc, false);
        rhs.head(nv) = -eval.residual();
        rhs[nv] = 0;
        if (!eval.Solve(rhs, delta)) break;
        const double norm = delta.lpNorm<Eigen::Infinity>();
        if (iterations == 0) first_norm = norm;
        if (iterations == 1) second_norm = norm;
        if (iterations == 0 && norm > kMaxCorrection * h + floor) break;  // the prediction was poor
        if (iterations > 0 && norm > 0.5 * previous_norm + floor) break;  // not contracting
        yc += delta;
        previous_norm = norm;
        const double tolerance = std::max(10 * floor, kCorrectorTolerance);
        if (norm <= tolerance) {  // with the Jacobian, which the new point's tangent needs
          eval.Evaluate(yc, true);
          ok = eval.residual().lpNorm<Eigen::Infinity>() < 10 * tolerance;
          break;
        }
      }
    }
    // The new point's tangent, from the Jacobian at the new point itself (the predicted
    // point's, which the corrector has factorised, would save a Jacobian and an LU a step, but
    // the tracer then stepped over an S-shaped fold of the branch on one bench game and ended
    // at another equilibrium; docs/performance.md), oriented by the determinant: one that
    // turned by more than kMaxTurn (radians) from the last, or points against it, means the
    // step cut a corner of the branch or jumped to another stretch of it. One exception: a
    // tangent reversed while the predicted point was already on the branch (first correction
    // below 1e-6 of the step, or within ten times the last correction made at the point the
    // step started from, which bounds how close to the branch that point itself lies, as long
    // as that is below 1e-3 of the step: a step that lands on a stretch of the branch traversed
    // the other way is corrected by more than that, unless the two are that close) means the
    // determinant's sign changed between two points of one straight stretch: a bifurcation
    // point passed, or, in degenerate games, a pivot so small that rounding sets its sign
    // (gambit-games/efg/2s2x2x2.efg). The orientation follows the branch there. Without the
    // second bound, steps short enough to meet the first are shorter than the starting point's
    // own error, and the tracer stopped there (gambit-games/efg/artist2.efg, lambda 5.21).
    double turn = 0;
    if (ok) {
      // The LU keeps the last pivot order when its solve checks out; otherwise it chooses its
      // pivots again, as the orientation must come from a sound factorisation.
      ok = (eval.Factorize(k, /*reuse_pivots=*/true) && tangent_from_lu(t_new, k)) ||
           (eval.Factorize(k) && tangent_from_lu(t_new));
      turn = ok ? std::acos(std::clamp(t_new.dot(t), -1.0, 1.0)) : 0.0;
      if (ok && turn > kPi - kMaxTurn && first_norm <= 1e-6 * h + std::min(10 * base_error, 1e-3 * h)) {
        orientation = -orientation;
        t_new = -t_new;
        turn = kPi - turn;
      }
      ok = ok && turn < kMaxTurn;
    }
    if (!ok) {
      h *= 0.5;
      if (h < options.min_step) return finish(LogitStatus::kStepTooSmall);
      continue;
    }
    const double kept_base_error = base_error, kept_orientation = orientation, step = h;
    base_error = previous_norm;
    Vector y_old = y;
    y = yc;
    t.swap(t_new);
    ++stats.steps;
    // Step length (Allgower and Georg 1990, ch. 6): the step is divided by the largest of the
    // ratios of the corrector's contraction rate, its first correction (relative to the step)
    // and the tangent's turning angle to their targets, each ratio as the power of the step
    // it grows with, between halving and doubling.
    const double theta = first_norm > floor ? second_norm / first_norm : 0.0;
    const double ratio = std::max({std::sqrt(theta / kTargetContraction),
                                   std::sqrt(first_norm / (kTargetCorrection * h)), turn / kTargetTurn});
    h = std::min(h / std::clamp(ratio, 0.5, 2.0), 1e7);
    // on_step evaluates residuals only, which leaves the factorisation at y in place.
    switch (on_step(y_old, y, eval)) {
      case StepVerdict::kGoOn:
        break;
      case StepVerdict::kDone:
        return finish(LogitStatus::kConverged);
      case StepVerdict::kShorter:
        y = y_old;
        t.swap(t_new);
        --stats.steps;
        base_error = kept_base_error;
        orientation = kept_orientation;
        h = 0.5 * step;
        if (h < options.min_step) return finish(LogitStatus::kStepTooSmall);
        break;
    }
  }
}

// When no set's beliefs depend on the unknowns (every unknown above a set's node is above all
// its nodes: perfect information, or sets told apart by chance alone), U(h, a) depends only on
// the play below h, so the agent QRE at one lambda is unique and one backward sweep finds it:
// a set's logit choice is made once the values below all its nodes are known. `mu` holds the
// (constant) beliefs over set_nodes and `lambda` is in scaled units. Fills y = (ln sigma,
// lambda) and returns true; false when the sets depend on each other in a cycle (the sweep
// then cannot order them and the caller traces instead).
bool BackwardSweepQre(const LogitSubgame& s, const std::vector<double>& mu, double lambda, Vector& y) {
  const std::uint32_t n = s.num_nodes();
  const int np = s.np;
  std::vector<double> value(static_cast<std::size_t>(n) * np, 0.0);
  std::vector<std::uint32_t> pending(n), set_pending(s.sets.size()), set_of_node(n, kNone), stack;
  for (std::size_t k = 0; k < s.sets.size(); ++k) {
    set_pending[k] = s.sets[k].end_node - s.sets[k].first_node;
    for (std::uint32_t m = s.sets[k].first_node; m < s.sets[k].end_node; ++m)
      set_of_node[s.set_nodes[m]] = static_cast<std::uint32_t>(k);
  }
  y.resize(s.num_vars + 1);
  y[s.num_vars] = lambda;
  for (std::uint32_t i = 0; i < n; ++i) {
    pending[i] = s.child_begin[i + 1] - s.child_begin[i];
    if (s.leaf_of[i] != kNone) {
      std::copy_n(&s.leaf_payoff[static_cast<std::size_t>(s.leaf_of[i]) * np], np, &value[static_cast<std::size_t>(i) * np]);
      stack.push_back(i);
    }
  }
  std::vector<double> u;
  std::size_t done = 0;
  // Sum over the children with the probabilities of the edges into them.
  auto node_value = [&](std::uint32_t i) {
    double* out = &value[static_cast<std::size_t>(i) * np];
    for (std::uint32_t e = s.child_begin[i]; e < s.child_begin[i + 1]; ++e) {
      const std::uint32_t c = s.children[e];
      const double prob = s.var_in[c] >= 0 ? std::exp(y[s.var_in[c]]) : s.fixed_in[c];
      if (prob == 0) continue;
      for (int p = 0; p < np; ++p) out[p] += prob * value[static_cast<std::size_t>(c) * np + p];
    }
    stack.push_back(i);
  };
  while (!stack.empty()) {
    const std::uint32_t i = stack.back();
    stack.pop_back();
    ++done;
    if (i == 0) continue;
    const std::uint32_t parent = s.parent[i];
    if (--pending[parent] > 0) continue;
    const std::uint32_t k = set_of_node[parent];
    if (k == kNone) {  // chance, or a set with one action
      node_value(parent);
      continue;
    }
    if (--set_pending[k] > 0) continue;
    // Every node of set k has its children's values: its logit choice, then its nodes' values.
    const auto& set = s.sets[k];
    u.assign(set.num_actions, 0.0);
    for (std::uint32_t m = set.first_node; m < set.end_node; ++m) {
      const std::uint32_t x = s.set_nodes[m];
      for (std::uint32_t a = 0; a < set.num_actions; ++a)
        u[a] += mu[m] * value[static_cast<std::size_t>(s.children[s.child_begin[x] + a]) * np + set.player];
    }
    // ln sigma(a) = lambda (u(a) - u*) - ln sum_b e^(lambda (u(b) - u*)), u* the best: the
    // differences taken before lambda multiplies them, so that tied actions stay exactly tied
    // (lambda u* + ln 2 rounds to lambda u* once lambda is 1e16, and two tied actions each got
    // probability 1).
    const double top = *std::max_element(u.begin(), u.end());
    double total = 0;
    for (double& v : u) total += std::exp(v = lambda * (v - top));
    const double log_total = std::log(total);
    for (std::uint32_t a = 0; a < set.num_actions; ++a) y[set.first_var + a] = u[a] - log_total;
    for (std::uint32_t m = set.first_node; m < set.end_node; ++m) node_value(s.set_nodes[m]);
  }
  return done == n;
}

// Writes `value` for the one action of every personal set inside the subgame that has one.
void WriteSingleActions(const LogitSubgame& s, const ActionIndex& index, const Game& game, double value,
                        std::vector<double>& behavior) {
  for (NodeId v : s.global_node)
    if (!game.is_terminal(v) && game.kind(v) == NodeKind::kDecision &&
        game.num_actions(game.infoset(v)) == 1)
      behavior[index(game.infoset(v), 0)] = value;
}

// Writes the subgame's unknowns (over its sets' actions) into a vector over ActionIndex.
void WriteSets(const LogitSubgame& s, const ActionIndex& index, const std::vector<double>& unknowns,
               std::vector<double>& behavior) {
  for (const auto& set : s.sets)
    for (std::uint32_t a = 0; a < set.num_actions; ++a)
      behavior[index(set.global, a)] = unknowns[set.first_var + a];
}

void WriteBehavior(const LogitSubgame& s, const ActionIndex& index, const Game& game,
                   const std::vector<double>& sigma, std::vector<double>& behavior) {
  WriteSets(s, index, sigma, behavior);
  WriteSingleActions(s, index, game, 1.0, behavior);  // a set with one action plays it
}

// Beliefs at every node of the subgame's sets (into `out`, indexed by the game's nodes) that
// are consistent with the accepted profile `star` in Kreps and Wilson's sense: the limit, as
// t -> 0, of Bayes' rule under (1 - t) star + t trace, where `log_trace` holds the logarithms
// of the trace's point that was polished (interior: every action has a positive probability,
// so the mix is totally mixed for t > 0). A node's weight is the product, along its path in
// the subgame, of star's probabilities where positive and of the trace's where star's is 0;
// among a set's nodes only those below the fewest such zeros count (the others vanish with
// t), and chance moves of probability 0 count as the tracer counts them (node_off). Where
// star reaches a set this is its Bayes' rule; where it does not, the trace decides only the
// relative weight of the moves star never makes. (The trace's own beliefs at that point are
// not consistent with star when the polish moved away from the point.)
void ConsistentBeliefs(const LogitSubgame& s, const std::vector<double>& star, const Vector& log_trace,
                       std::vector<double>& out) {
  const std::uint32_t n = s.num_nodes();
  std::vector<std::uint32_t> zeros(n, 0);
  std::vector<double> log_weight(n, 0.0);
  for (std::uint32_t x = 1; x < n; ++x) {  // preorder: a parent before its children
    const std::uint32_t p = s.parent[x];
    zeros[x] = zeros[p];
    log_weight[x] = log_weight[p];
    if (const std::int32_t v = s.var_in[x]; v >= 0) {
      const double q = star[static_cast<std::size_t>(v)];
      if (q > 0) {
        log_weight[x] += std::log(q);
      } else {
        ++zeros[x];
        log_weight[x] += log_trace[v];
      }
    } else {
      log_weight[x] += s.ln_fixed_in[x];
    }
  }
  for (const auto& set : s.sets) {
    std::uint32_t least = std::numeric_limits<std::uint32_t>::max();
    for (std::uint32_t m = set.first_node; m < set.end_node; ++m)
      if (!s.node_off[m]) least = std::min(least, zeros[s.set_nodes[m]]);
    double top = -std::numeric_limits<double>::infinity();
    for (std::uint32_t m = set.first_node; m < set.end_node; ++m)
      if (!s.node_off[m] && zeros[s.set_nodes[m]] == least) top = std::max(top, log_weight[s.set_nodes[m]]);
    double total = 0;
    for (std::uint32_t m = set.first_node; m < set.end_node; ++m) {
      const std::uint32_t x = s.set_nodes[m];
      const double w = !s.node_off[m] && zeros[x] == least ? std::exp(log_weight[x] - top) : 0.0;
      out[s.global_node[x]] = w;
      total += w;
    }
    for (std::uint32_t m = set.first_node; m < set.end_node; ++m) out[s.global_node[s.set_nodes[m]]] /= total;
  }
}

// A polished profile's probabilities below kResidue set to 0 and each set's others scaled to
// sum to 1, into `cleaned`; false when there is none to clean.
constexpr double kResidue = 1e-12;
bool CleanResidues(const LogitSubgame& s, const std::vector<double>& sigma, std::vector<double>& cleaned) {
  bool any = false;
  cleaned = sigma;
  for (const auto& set : s.sets) {
    double kept = 0;
    bool here = false;
    for (std::uint32_t a = 0; a < set.num_actions; ++a) {
      double& x = cleaned[set.first_var + a];
      if (x > 0 && x < kResidue) {
        x = 0;
        here = true;
      }
      kept += x;
    }
    if (!here) continue;
    if (!(kept > 0)) return false;
    any = true;
    for (std::uint32_t a = 0; a < set.num_actions; ++a) cleaned[set.first_var + a] /= kept;
  }
  return any;
}

}  // namespace

namespace {

// One trace of TraceLogitEquilibrium; `spread`, when given, receives at every polish attempt
// the spread of each set's action values (largest less smallest, in the subgame's units).
LogitStats TraceOnce(const Game& game, const LogitSubgame& s, const ActionIndex& index,
                     std::vector<double>& behavior, const std::function<bool(const std::vector<double>&)>& accept,
                     const LogitOptions& options, std::vector<double>* limit_beliefs, std::vector<double>* spread) {
  double next_polish = 4;
  std::vector<double> sigma, polished, cleaned;
  std::size_t polishes = 0;
  // A candidate is written into `behavior` itself and taken back when `accept` refuses it:
  // only the subgame's own entries change (a copy of the whole vector for each candidate
  // would cost the whole game's size per subgame, the square of a chain's length).
  std::vector<std::uint32_t> written;
  for (const auto& set : s.sets)
    for (std::uint32_t a = 0; a < set.num_actions; ++a) written.push_back(index(set.global, a));
  for (NodeId v : s.global_node)
    if (!game.is_terminal(v) && game.kind(v) == NodeKind::kDecision && game.num_actions(game.infoset(v)) == 1)
      written.push_back(index(game.infoset(v), 0));
  std::vector<double> saved(written.size());
  auto try_candidate = [&](const auto& write) {
    for (std::size_t k = 0; k < written.size(); ++k) saved[k] = behavior[written[k]];
    write();
    if (accept(behavior)) return true;
    for (std::size_t k = 0; k < written.size(); ++k) behavior[written[k]] = saved[k];
    return false;
  };
  // Early in the trace every action is in the support and a polish is a dense system of the
  // size of the game that cannot succeed yet. The budget keeps the polishes' work at most the
  // tracer's (each step adds what assembling its Jacobian costs: its pairs of edges and its
  // sets' terms, and a pass over the nodes), so large attempts wait until the supports have
  // shrunk or the trace has done enough work to pay for them.
  double budget = 0;
  const double step_work =
      static_cast<double>(s.down_var.size() + s.above_slot.size() + s.num_nodes() * s.np);
  const double start = model::ThreadCpuSeconds();
  auto on_step = [&](const Vector&, const Vector& y, Evaluator& eval) -> StepVerdict {
    const std::uint32_t nv = s.num_vars;
    budget += step_work;
    // The trace stops after this step (lambda past its limit): the polish's last chance, with
    // the time the trace has left. A branch that runs straight to the limit takes few steps
    // (each twice the last), too few to earn the budget of a large support by steps alone
    // (rounds of matching pennies with uneven payoffs: 56 unknowns, 38 steps).
    const bool last = y[nv] > options.max_lambda;
    if (nv > 0 && y[nv] < next_polish && !last) return StepVerdict::kGoOn;
    // What the time left allows: every attempt stays within it (a polish is not interrupted).
    const double time_left =
        kPolishWorkPerSecond * std::max(0.0, options.max_seconds - (model::ThreadCpuSeconds() - start));
    if (last) budget = std::max(budget, time_left);
    next_polish = std::max(next_polish * 2, y[nv] * 1.5);
    sigma.resize(nv);
    for (std::uint32_t k = 0; k < nv; ++k) sigma[k] = std::exp(y[k]);
    eval.Evaluate(y, false);
    std::vector<double> mu = eval.mu();
    if (spread) {
      // The stakes at each set as the trace sees them here, for a rescaled trace (below).
      std::vector<double> reach, values, u;
      LinearActionValues(s, sigma, mu, reach, values, u);
      spread->assign(s.sets.size(), 0.0);
      for (std::size_t k = 0; k < s.sets.size(); ++k) {
        const auto& set = s.sets[k];
        double lo = u[set.first_var], hi = lo;
        for (std::uint32_t a = 1; a < set.num_actions; ++a) {
          lo = std::min(lo, u[set.first_var + a]);
          hi = std::max(hi, u[set.first_var + a]);
        }
        (*spread)[k] = hi - lo;
      }
    }
    std::vector<char> support;
    for (double ratio : {1e-3, 1e-7}) {
      ++polishes;
      double allowed = std::min(budget, time_left);
      const double before = allowed;
      const bool polished_ok = Polish(s, sigma, mu, ratio, polished, support, allowed);
      budget -= before - allowed;
      if (!polished_ok) continue;
      // Newton may end an action of the support at a residue (6.7e-25 in Myerson's exercise
      // 2.8): the equilibrium plays it with probability 0, and a residue reads as a mix, draws
      // as a path and makes Bayes' rule of what is the trace's limit. Such actions are set to
      // 0 where the profile stays verified (the verification decides, not the threshold).
      if (CleanResidues(s, polished, cleaned) &&
          try_candidate([&] { WriteBehavior(s, index, game, cleaned, behavior); })) {
        if (limit_beliefs) ConsistentBeliefs(s, cleaned, y, *limit_beliefs);
        return StepVerdict::kDone;
      }
      if (try_candidate([&] { WriteBehavior(s, index, game, polished, behavior); })) {
        if (limit_beliefs) ConsistentBeliefs(s, polished, y, *limit_beliefs);
        return StepVerdict::kDone;
      }
    }
    return StepVerdict::kGoOn;
  };
  if (s.num_vars == 0) {
    // Nothing to choose (every set has one action): the only profile, played at every lambda,
    // is the limit; no branch to trace and nothing to polish. Verified like any other.
    LogitStats stats;
    stats.status = try_candidate([&] { WriteSingleActions(s, index, game, 1.0, behavior); })
                       ? LogitStatus::kConverged
                       : LogitStatus::kStepTooSmall;
    return stats;
  }
  LogitStats stats = Trace(s, options, on_step);
  stats.polishes = polishes;
  if (stats.status != LogitStatus::kConverged && !sigma.empty())
    WriteBehavior(s, index, game, sigma, behavior);
  return stats;
}

// A trace of heterogeneous logit responses: lambda at each set multiplied by a weight of its
// own (LogitSubgame::Set::weight). The limit of such a branch is an equilibrium too (every
// set's lambda grows without bound), and with a weight that scales a set's stakes to the
// subgame's range, decisions on small stakes beside large ones are settled at the same pace
// as the others, where on the principal branch they stay undecided until lambda passes the
// tracer's limit (payoffs of 1e12 and 3 in one subgame: lambda 1e12 times larger than the
// limit before 3 tells).
//   kSpans: each set's weight is the subgame's range over the span of its player's payoffs
//     below it (what the set could possibly be about);
//   kSpreads: the inverse of the spread of its action values where the principal branch
//     stopped (what it is about there), at most `cap`.
enum class Weights { kSpans, kSpreads };
struct Rescaling {
  Weights weights;
  double cap;
};
// Tried in this order after the principal branch fails, each until one is verified. On 25
// random three-player games with payoffs from 1e-3 to 1e12 that the principal branch could not
// finish (docs/equilibria.md), each of these solved some that the others did not; together,
// 12.
constexpr Rescaling kRescalings[] = {{Weights::kSpreads, 1e6}, {Weights::kSpans, 1e15},
                                     {Weights::kSpreads, 1e15}, {Weights::kSpreads, 1e4}};

// The subgame with the weights of `how`; null when every weight would be 1.
std::shared_ptr<const LogitSubgame> Rescaled(const LogitSubgame& s, const Rescaling& how,
                                             const std::vector<double>& spread) {
  std::vector<double> weight(s.sets.size(), 1.0);
  if (how.weights == Weights::kSpreads) {
    if (spread.size() != s.sets.size()) return nullptr;
    for (std::size_t k = 0; k < s.sets.size(); ++k)
      if (spread[k] > 0) weight[k] = std::clamp(1 / spread[k], 1.0, how.cap);
  } else {
    // The span of each mover's payoffs below every node, from the leaves up (preorder: a
    // node's children come after it).
    const std::uint32_t n = s.num_nodes();
    const int np = s.np;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    std::vector<double> lo(static_cast<std::size_t>(n) * np, kInf), hi(lo.size(), -kInf);
    for (std::uint32_t i = n; i-- > 0;) {
      double* l = &lo[static_cast<std::size_t>(i) * np];
      double* h = &hi[static_cast<std::size_t>(i) * np];
      if (s.leaf_of[i] != kNone) {
        const double* u = &s.leaf_payoff[static_cast<std::size_t>(s.leaf_of[i]) * np];
        std::copy(u, u + np, l);
        std::copy(u, u + np, h);
        continue;
      }
      for (std::uint32_t c = s.child_begin[i]; c < s.child_begin[i + 1]; ++c) {
        const std::size_t k = static_cast<std::size_t>(s.children[c]) * np;
        for (int p = 0; p < np; ++p) {
          l[p] = std::min(l[p], lo[k + p]);
          h[p] = std::max(h[p], hi[k + p]);
        }
      }
    }
    for (std::size_t k = 0; k < s.sets.size(); ++k) {
      const auto& set = s.sets[k];
      double l = kInf, h = -kInf;
      for (std::uint32_t m = set.first_node; m < set.end_node; ++m) {
        const std::size_t x = static_cast<std::size_t>(s.set_nodes[m]) * np + set.player;
        l = std::min(l, lo[x]);
        h = std::max(h, hi[x]);
      }
      if (h > l) weight[k] = std::clamp(1 / (h - l), 1.0, how.cap);
    }
  }
  if (std::all_of(weight.begin(), weight.end(), [](double w) { return w == 1; })) return nullptr;
  auto scaled = std::make_shared<LogitSubgame>(s);
  for (std::size_t k = 0; k < s.sets.size(); ++k) scaled->sets[k].weight = weight[k];
  return scaled;
}

// After every trace failed: the subgame's pure profiles, the first that `accept` verifies (as
// it verifies the traces' answers). Each set's actions are tried in the order of their
// probability at `hint` (the principal branch's last point: the likeliest first, so the first
// profile is that point rounded to a pure one), the last set varying fastest. Stops after
// kMaxPureWork node visits (profiles times the subgame's nodes) or at the time limit. Where
// the traces stall because stakes of very different sizes meet in one subgame, the sets on
// small stakes are the ones left undecided, and a pure equilibrium is often there to be found:
// 10 of 11 random three-player games with payoffs from 1e-3 to 3e12 that every trace had left
// unsolved (docs/equilibria.md). A subgame whose every equilibrium mixes is still refused.
constexpr double kMaxPureWork = 2e7;
void SearchPureProfiles(const Game& game, const LogitSubgame& s, const ActionIndex& index,
                        const std::vector<double>& hint, std::vector<double>& behavior,
                        const std::function<bool(const std::vector<double>&)>& accept, double max_seconds,
                        LogitStats& stats) {
  const std::size_t num_sets = s.sets.size();
  if (num_sets == 0) return;
  const double start = model::ThreadCpuSeconds();
  stats.pure_profiles = 1;
  for (const auto& set : s.sets) stats.pure_profiles *= set.num_actions;
  // Each set's actions, likeliest at `hint` first (ties in the order of the actions).
  std::vector<std::uint32_t> order(s.num_vars);
  for (const auto& set : s.sets) {
    std::uint32_t* first = &order[set.first_var];
    for (std::uint32_t a = 0; a < set.num_actions; ++a) first[a] = a;
    std::stable_sort(first, first + set.num_actions, [&](std::uint32_t a, std::uint32_t b) {
      return hint[index(set.global, a)] > hint[index(set.global, b)];
    });
  }
  const double cap = std::max(1.0, std::floor(kMaxPureWork / std::max<std::uint32_t>(1, s.num_nodes())));
  std::vector<std::uint32_t> digit(num_sets, 0);
  std::vector<double> sigma(s.num_vars, 0.0), trial = behavior;
  WriteSingleActions(s, index, game, 1.0, trial);
  for (const auto& set : s.sets) sigma[set.first_var + order[set.first_var]] = 1;
  for (;;) {
    WriteSets(s, index, sigma, trial);
    ++stats.pure_tried;
    if (accept(trial)) {
      behavior = std::move(trial);
      stats.status = LogitStatus::kConverged;
      stats.pure_found = true;
      break;
    }
    if (static_cast<double>(stats.pure_tried) >= cap) break;
    if (stats.pure_tried % 256 == 0 && model::ThreadCpuSeconds() - start > max_seconds) {
      stats.pure_timed_out = true;
      break;
    }
    // The next profile, the last set fastest; past the last, the search is complete.
    std::size_t k = num_sets;
    for (; k-- > 0;) {
      const auto& set = s.sets[k];
      const std::uint32_t* first = &order[set.first_var];
      sigma[set.first_var + first[digit[k]]] = 0;
      digit[k] = digit[k] + 1 == set.num_actions ? 0 : digit[k] + 1;
      sigma[set.first_var + first[digit[k]]] = 1;
      if (digit[k] != 0) break;
    }
    if (k == static_cast<std::size_t>(-1)) break;
  }
}

}  // namespace

LogitStats TraceLogitEquilibrium(const Game& game, const LogitSubgame& s, const ActionIndex& index,
                                 std::vector<double>& behavior,
                                 const std::function<bool(const std::vector<double>&)>& accept,
                                 const LogitOptions& options, std::vector<double>* limit_beliefs) {
  // The principal branch first; where it fails for want of lambda (or of a step the corrector
  // can take), rescaled traces, each verified like the first, within the time left.
  std::vector<double> spread;
  LogitStats stats = TraceOnce(game, s, index, behavior, accept, options, limit_beliefs, &spread);
  const std::vector<double> principal_end =
      stats.status == LogitStatus::kConverged ? std::vector<double>() : behavior;
  // Each rescaled trace may take kRescaledStepsPer times the principal branch's steps, and at
  // least kRescaledStepsFloor: of 271 that succeeded on a review's random games, 268 took
  // fewer than 1,250 steps (most about as many as the principal branch), while those that
  // failed ran to the step limit, 100,000 steps: a refusal took 40 s where it had taken 0.08.
  constexpr std::size_t kRescaledStepsPer = 20, kRescaledStepsFloor = 2000;
  const std::size_t principal_steps = stats.steps;
  for (const Rescaling& how : kRescalings) {
    if (stats.status != LogitStatus::kLambdaLimit && stats.status != LogitStatus::kStepTooSmall &&
        stats.status != LogitStatus::kStepLimit)
      break;
    auto scaled = Rescaled(s, how, spread);
    if (!scaled) continue;
    LogitOptions rest = options;
    rest.max_seconds = options.max_seconds - stats.seconds - stats.rescaled_seconds;
    rest.max_steps = std::min(options.max_steps, std::max(kRescaledStepsFloor, kRescaledStepsPer * principal_steps));
    if (!(rest.max_seconds > 0)) break;
    const LogitStats again = TraceOnce(game, *scaled, index, behavior, accept, rest, limit_beliefs, nullptr);
    ++stats.rescaled;
    stats.rescaled_steps += again.steps;
    stats.rescaled_seconds += again.seconds;
    stats.polishes += again.polishes;
    if (again.status == LogitStatus::kConverged) {
      stats.status = again.status;
      stats.lambda = std::max(stats.lambda, again.lambda);
    }
    stats.rescaled_timed_out = again.status == LogitStatus::kTimeLimit;
    if (stats.rescaled_timed_out) break;
  }
  if (stats.status == LogitStatus::kLambdaLimit || stats.status == LogitStatus::kStepTooSmall ||
      stats.status == LogitStatus::kStepLimit) {
    const double left = options.max_seconds - stats.seconds - stats.rescaled_seconds;
    if (left > 0 && !stats.rescaled_timed_out)
      SearchPureProfiles(game, s, index, principal_end, behavior, accept, left, stats);
  }
  // On failure: the principal branch's status, lambda, steps and time, the rescaled traces'
  // and the pure profiles' apart.
  return stats;
}

double LogitJacobianError(const LogitSubgame& subgame, std::uint32_t seed, int points, bool weighted) {
  const std::uint32_t nv = subgame.num_vars;
  if (nv == 0) return 0;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(-1, 1);
  std::normal_distribution<double> normal;
  LogitSubgame copy;
  if (weighted) {
    // The equations of a rescaled trace: a weight of 1 to 1,000 at each set.
    copy = subgame;
    for (auto& set : copy.sets) set.weight = std::exp(3.45 * (unit(rng) + 1));
  }
  const LogitSubgame& s = weighted ? copy : subgame;
  Evaluator eval(s);
  double worst = 0;
  for (int point = 0; point < points; ++point) {
    // ln sigma from logits of three scales: moderate, steep, and steep enough that reach
    // probabilities fall far below the smallest double (the log-space paths).
    const double scale = point % 3 == 0 ? 2.0 : point % 3 == 1 ? 60.0 : 900.0;
    Vector y(nv + 1);
    for (const auto& set : s.sets) {
      double top = -std::numeric_limits<double>::infinity();
      for (std::uint32_t a = 0; a < set.num_actions; ++a) {
        y[set.first_var + a] = scale * unit(rng);
        top = std::max(top, y[set.first_var + a]);
      }
      double sum = 0;
      for (std::uint32_t a = 0; a < set.num_actions; ++a) sum += std::exp(y[set.first_var + a] - top);
      for (std::uint32_t a = 0; a < set.num_actions; ++a) y[set.first_var + a] -= top + std::log(sum);
    }
    y[nv] = 10 * (unit(rng) + 1);
    Vector v(nv + 1);
    for (std::uint32_t i = 0; i <= nv; ++i) v[i] = normal(rng);
    eval.Evaluate(y, true);
    const Vector jv = eval.JacobianTimes(v);
    constexpr double kH = 1e-6;
    eval.Evaluate(y + kH * v, false);
    const Vector plus = eval.residual();
    eval.Evaluate(y - kH * v, false);
    const Vector difference = (plus - eval.residual()) / (2 * kH);
    worst = std::max(worst, (jv - difference).lpNorm<Eigen::Infinity>() / (1 + jv.lpNorm<Eigen::Infinity>()));
  }
  return worst;
}

LogitStats TraceLogitQre(const Game& game, const LogitSubgame& s, const ActionIndex& index,
                         std::vector<double> behavior, const std::vector<double>& lambdas,
                         const QreVisit& visit, const LogitOptions& options, const QreVisit& every_step) {
  std::size_t next = 0;
  double top = 0, turned_back_at = -1;  // the largest lambda accepted so far (internal units)
  const std::uint32_t nv = s.num_vars;
  std::vector<double> sigma(nv), log_sigma(nv);
  // The logarithms of what the trace does not set (chance, sets outside the subgame) and of the
  // sets with one action (0: they play it), once; each point then writes the trace's own.
  std::vector<double> log_behavior(behavior.size());
  for (std::size_t i = 0; i < behavior.size(); ++i) log_behavior[i] = std::log(behavior[i]);
  WriteSingleActions(s, index, game, 0.0, log_behavior);
  auto emit_to = [&](const QreVisit& to, const Vector& y, double lambda) {
    for (std::uint32_t k = 0; k < nv; ++k) sigma[k] = std::exp(log_sigma[k] = y[k]);
    WriteBehavior(s, index, game, sigma, behavior);
    WriteSets(s, index, log_sigma, log_behavior);
    to(lambda, behavior, log_behavior);
  };
  auto emit = [&](const Vector& y, double lambda) { emit_to(visit, y, lambda); };
  Evaluator eval(s);  // its own buffers: the driver's factorisation must stay as it is
  // A requested lambda that a step passes is met by Newton at that lambda from the point
  // interpolated between the step's ends. On a long step across a bend of the branch, that
  // point can lie too far from the branch for Newton to converge, or near enough to another
  // stretch of it (or to another QRE at the same lambda) to converge there; so the correction
  // must stay within the bound the tracer's own corrector keeps (kMaxCorrection times the step),
  // and otherwise the step is taken back and made shorter until it does.
  auto on_step = [&](const Vector& y_old, const Vector& y, Evaluator&) -> StepVerdict {
    while (next < lambdas.size() && lambdas[next] * s.scale <= y[nv]) {
      const double target = lambdas[next] * s.scale;
      double w = y[nv] > y_old[nv] ? (target - y_old[nv]) / (y[nv] - y_old[nv]) : 1.0;
      Vector z = y_old + std::clamp(w, 0.0, 1.0) * (y - y_old);
      z[nv] = target;
      const Vector start = z;
      Vector rhs(nv + 1), delta;
      bool ok = false;
      // The residual's rounding grows with the log-probabilities and lambda times the payoffs,
      // which reach the thousands where play is nearly pure (seen: 1e-10 at lambda 5,500 in range
      // units, where an absolute bar of 1e-10 was never met).
      const double rounding = 1e-13 * (1 + z.lpNorm<Eigen::Infinity>());
      for (int it = 0; it < 20; ++it) {
        eval.Evaluate(z, true);
        if (eval.residual().lpNorm<Eigen::Infinity>() < rounding) {
          ok = true;
          break;
        }
        rhs.head(nv) = -eval.residual();
        rhs[nv] = 0;
        // The pivot order of the last factorisation (lambda is the border at every point):
        // KLU refactorises without a pivot search unless that order meets a tiny pivot.
        if (!eval.Factorize(nv, /*reuse_pivots=*/true) || !eval.Solve(rhs, delta)) break;
        z += delta;
      }
      if (!ok) {
        eval.Evaluate(z, false);
        ok = eval.residual().lpNorm<Eigen::Infinity>() < 10 * rounding;
      }
      if (!ok || !((z - start).norm() <= kMaxCorrection * (y - y_old).norm() + 1e-9)) return StepVerdict::kShorter;
      emit(z, lambdas[next]);
      ++next;
    }
    // The step is taken: a lambda below the largest reached is a turn of the branch.
    if (turned_back_at < 0 && y[nv] < top - 1e-9 * (1 + top)) turned_back_at = top / s.scale;
    top = std::max(top, y[nv]);
    if (every_step) emit_to(every_step, y, y[nv] / s.scale);
    return next == lambdas.size() ? StepVerdict::kDone : StepVerdict::kGoOn;
  };
  if (lambdas.empty()) {
    LogitStats stats;
    stats.status = LogitStatus::kReachedLambda;
    return stats;
  }
  // lambda = 0 is the starting point itself.
  while (next < lambdas.size() && lambdas[next] <= 0) {
    Vector y(nv + 1);
    for (const auto& set : s.sets)
      for (std::uint32_t a = 0; a < set.num_actions; ++a) y[set.first_var + a] = -std::log(double(set.num_actions));
    y[nv] = 0;
    emit(y, 0);
    ++next;
  }
  // With no set of two or more actions (every agent has one move, the rest is chance), the
  // profile is the same at every lambda: there is no branch to trace.
  if (nv == 0) {
    Vector y(1);
    y[0] = 0;
    for (; next < lambdas.size(); ++next) emit(y, lambdas[next]);
  }
  // Beliefs that no unknown moves: one backward sweep per lambda, checked on the equations.
  if (next < lambdas.size() && s.node_path.empty()) {
    Vector y = Vector::Zero(nv + 1);
    for (const auto& set : s.sets)
      for (std::uint32_t a = 0; a < set.num_actions; ++a) y[set.first_var + a] = -std::log(double(set.num_actions));
    eval.Evaluate(y, false);
    const std::vector<double> mu = eval.mu();
    while (next < lambdas.size()) {
      model::ThrowIfCancelled();
      // A lambda whose internal value overflows (1e308 times a payoff range of 3) is left to
      // the trace, which stops at its largest lambda and says so.
      if (!std::isfinite(lambdas[next] * s.scale)) break;
      if (!BackwardSweepQre(s, mu, lambdas[next] * s.scale, y)) break;
      eval.Evaluate(y, false);
      // The sweep is exact up to rounding, which grows with lambda times the payoffs; where its
      // point misses the equations by more (seen: 2.8e-6 against terms of 8e5 at lambda 2.1e6
      // in range units, an 18-node game with beliefs fixed by chance), the rest of the lambdas
      // are left to the trace, whose points are corrected by Newton's method on the equations.
      if (!(eval.residual().lpNorm<Eigen::Infinity>() < 1e-12 * (1 + y.lpNorm<Eigen::Infinity>()))) break;
      emit(y, lambdas[next]);
      ++next;
    }
  }
  if (next == lambdas.size()) {
    LogitStats stats;
    stats.status = LogitStatus::kReachedLambda;
    return stats;
  }
  LogitStats stats = Trace(s, options, on_step);
  if (stats.status == LogitStatus::kConverged) stats.status = LogitStatus::kReachedLambda;
  stats.turned_back_at = turned_back_at;
  return stats;
}

std::vector<double> Beliefs(const Game& game, const ActionIndex& index,
                            const std::vector<double>& behavior) {
  std::vector<double> reach = ReachProbabilities(game, index, behavior);
  std::vector<double> belief(game.num_nodes(), 0.0);
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == kChancePlayer) continue;
    auto nodes = game.infoset_nodes(h);
    double total = 0;
    for (NodeId x : nodes) total += reach[x];
    for (NodeId x : nodes) belief[x] = total > 0 ? reach[x] / total : 1.0 / nodes.size();
  }
  return belief;
}

namespace {

// U(h, a) from the beliefs over each set's nodes and the nodes' values.
std::vector<double> ActionValuesWith(const Game& game, const ActionIndex& index, const std::vector<double>& belief,
                                     const std::vector<double>& values) {
  const int np = game.num_players();
  std::vector<double> u(index.size(), 0.0);
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    int p = game.infoset_player(h);
    if (p == kChancePlayer) continue;
    for (NodeId x : game.infoset_nodes(h))
      for (std::uint32_t a = 0; a < game.num_actions(h); ++a)
        u[index(h, a)] += belief[x] * values[static_cast<std::size_t>(game.child(x, a)) * np + p];
  }
  return u;
}

// The logarithm of every node's reach probability (preorder: a node's children come after it),
// with chance moves of probability 0 counted apart as in the tracer (LogitSubgame::reach_in):
// `log_reach` takes them as 1 and `zero_depth` counts them on each node's path.
struct LogReachTable {
  std::vector<double> log_reach;
  std::vector<std::uint32_t> zero_depth;
};
LogReachTable LogReach(const Game& game, const ActionIndex& index, const std::vector<double>& log_behavior) {
  const NodeId n = game.num_nodes();
  LogReachTable t{std::vector<double>(n, kMinusInf), std::vector<std::uint32_t>(n, 0)};
  t.log_reach[0] = 0;
  for (NodeId v = 0; v < n; ++v) {
    if (game.is_terminal(v) || t.log_reach[v] == kMinusInf) continue;
    const InfosetId h = game.infoset(v);
    const bool chance = game.infoset_player(h) == kChancePlayer;
    const std::uint32_t first = index.first(h);
    auto kids = game.children(v);
    for (std::uint32_t a = 0; a < kids.size(); ++a) {
      const bool zero = chance && game.chance_prob(h, a) == 0;
      t.log_reach[kids[a]] = t.log_reach[v] + (zero ? 0.0 : log_behavior[first + a]);
      t.zero_depth[kids[a]] = t.zero_depth[v] + (zero ? 1 : 0);
    }
  }
  return t;
}

// Bayes' rule at set h from the logarithms of its nodes' reach, among its nodes below the
// fewest chance moves of probability 0; false (nothing written) when no node of h is reached.
bool LogBayes(const Game& game, InfosetId h, const LogReachTable& t, std::vector<double>& belief) {
  auto nodes = game.infoset_nodes(h);
  std::uint32_t least = std::numeric_limits<std::uint32_t>::max();
  for (NodeId x : nodes)
    if (t.log_reach[x] != kMinusInf) least = std::min(least, t.zero_depth[x]);
  double top = kMinusInf;
  for (NodeId x : nodes)
    if (t.zero_depth[x] == least) top = std::max(top, t.log_reach[x]);
  if (top == kMinusInf) return false;
  double total = 0;
  for (NodeId x : nodes) total += belief[x] = t.zero_depth[x] == least ? std::exp(t.log_reach[x] - top) : 0.0;
  for (NodeId x : nodes) belief[x] /= total;
  return true;
}

// The largest |ln sigma(h, a) - ln sigma(h, 0) - lambda (U(h, a) - U(h, 0))| over personal
// sets and actions; infinite where it is undefined (a probability of 0).
QreCheck LargestLogitGap(const Game& game, const ActionIndex& index, const std::vector<double>& log_behavior,
                         const std::vector<double>& u, double lambda) {
  QreCheck check;
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == kChancePlayer || game.num_actions(h) < 2) continue;
    const std::uint32_t f = index.first(h);
    for (std::uint32_t a = 1; a < game.num_actions(h); ++a) {
      // (The difference of two values near the largest doubles of both signs overflows; their
      // products with lambda may not.)
      const double du = u[f + a] - u[f];
      double gap = log_behavior[f + a] - log_behavior[f] -
                   (std::isfinite(du) ? lambda * du : lambda * u[f + a] - lambda * u[f]);
      check.violation =
          std::max(check.violation, std::isnan(gap) ? std::numeric_limits<double>::infinity() : std::abs(gap));
      double size = std::abs(log_behavior[f + a]) + std::abs(log_behavior[f]) +
                    lambda * (std::abs(u[f + a]) + std::abs(u[f]));
      if (std::isfinite(size)) check.scale = std::max(check.scale, size);
    }
  }
  return check;
}

}  // namespace

std::vector<double> ActionValues(const Game& game, const ActionIndex& index,
                                 const std::vector<double>& behavior) {
  return ActionValuesWith(game, index, Beliefs(game, index, behavior), NodeValues(game, index, behavior));
}

std::vector<double> BeliefsFromLog(const Game& game, const ActionIndex& index,
                                   const std::vector<double>& log_behavior) {
  const LogReachTable log_reach = LogReach(game, index, log_behavior);
  std::vector<double> belief(game.num_nodes(), 0.0);
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == kChancePlayer || LogBayes(game, h, log_reach, belief)) continue;
    auto nodes = game.infoset_nodes(h);
    for (NodeId x : nodes) belief[x] = 1.0 / static_cast<double>(nodes.size());
  }
  return belief;
}

std::vector<double> ActionValuesFromLog(const Game& game, const ActionIndex& index,
                                        const std::vector<double>& log_behavior) {
  // A value is an expectation: a probability that underflows to 0 takes out a term smaller
  // than the smallest double times a payoff.
  std::vector<double> behavior(log_behavior.size());
  for (std::size_t i = 0; i < behavior.size(); ++i) behavior[i] = std::exp(log_behavior[i]);
  return ActionValuesWith(game, index, BeliefsFromLog(game, index, log_behavior), NodeValues(game, index, behavior));
}

QreCheck CheckQreFromLog(const Game& game, const ActionIndex& index, const std::vector<double>& log_behavior,
                         double lambda) {
  return LargestLogitGap(game, index, log_behavior, ActionValuesFromLog(game, index, log_behavior), lambda);
}

double QreViolationFromLog(const Game& game, const ActionIndex& index, const std::vector<double>& log_behavior,
                           double lambda) {
  return CheckQreFromLog(game, index, log_behavior, lambda).violation;
}

void AssignQreBeliefs(const Game& game, const ActionIndex& index, const std::vector<char>& subgame_roots,
                      const std::vector<double>& log_behavior, Equilibrium& eq) {
  AssignBeliefs(game, index, subgame_roots, {}, eq);
  // Bayes' rule from the logarithms at every set with a node whose reach is below the
  // smallest normal double, not only where every linear reach underflowed: a subnormal reach
  // (4e-322 keeps a few bits) or one that underflowed beside others that did not (1e-350
  // beside 1e-250) would give wrong beliefs. Elsewhere the linear ones stand (no rounding
  // of logarithms: 3/4 stays 0.75).
  const LogReachTable log_reach = LogReach(game, index, log_behavior);
  const double log_smallest = std::log(std::numeric_limits<double>::min());
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == kChancePlayer) continue;
    bool tiny = false;
    for (NodeId x : game.infoset_nodes(h))
      tiny = tiny || (log_reach.log_reach[x] != kMinusInf && log_reach.log_reach[x] < log_smallest);
    if ((tiny || eq.belief_source[h] != BeliefSource::kBayes) && LogBayes(game, h, log_reach, eq.beliefs))
      eq.belief_source[h] = BeliefSource::kBayes;
  }
}

double QreViolation(const Game& game, const ActionIndex& index, const std::vector<double>& behavior,
                    double lambda) {
  std::vector<double> log_behavior(behavior.size());
  for (std::size_t i = 0; i < behavior.size(); ++i) log_behavior[i] = std::log(behavior[i]);
  return LargestLogitGap(game, index, log_behavior, ActionValues(game, index, behavior), lambda).violation;
}

std::vector<double> ChanceBehavior(const Game& game, const ActionIndex& index) {
  std::vector<double> behavior(index.size(), 0.0);
  for (InfosetId h = 0; h < game.num_infosets(); ++h)
    if (game.infoset_player(h) == kChancePlayer)
      for (std::uint32_t a = 0; a < game.num_actions(h); ++a) behavior[index(h, a)] = game.chance_prob(h, a);
  return behavior;
}

QrePoint QreAt(const Game& game, double lambda, const LogitOptions& options) {
  ActionIndex index(game);
  auto subgame = MakeLogitSubgame(game, 0, {}, {});
  QrePoint point;
  point.lambda = lambda;
  point.stats = TraceLogitQre(
      game, *subgame, index, ChanceBehavior(game, index), {lambda},
      [&](double, const std::vector<double>& b, const std::vector<double>& log_b) {
        point.behavior = b;
        point.log_behavior = log_b;
      },
      options);
  if (!point.behavior.empty()) point.check = CheckQreFromLog(game, index, point.log_behavior, lambda);
  return point;
}

}  // namespace parley::equilibrium
