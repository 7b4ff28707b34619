#include "solver/equilibrium/beliefs.h"

#include <cmath>
#include <limits>

namespace parley::equilibrium {

std::string BeliefSourceText(BeliefSource source) {
  switch (source) {
    case BeliefSource::kNone: return "none";
    case BeliefSource::kBayes: return "Bayes' rule";
    case BeliefSource::kSubgame: return "Bayes' rule in its subgame";
    case BeliefSource::kTrace: return "consistent limit, from the logit trace";
    case BeliefSource::kUnspecified: return "not determined by the equilibrium (uniform shown)";
  }
  return "unknown";
}

std::string BeliefSourceName(BeliefSource source) {
  switch (source) {
    case BeliefSource::kNone: return "none";
    case BeliefSource::kBayes: return "bayes";
    case BeliefSource::kSubgame: return "subgame";
    case BeliefSource::kTrace: return "trace";
    case BeliefSource::kUnspecified: return "unspecified";
  }
  return "unknown";
}

void AssignBeliefs(const Game& game, const ActionIndex& index, const std::vector<char>& subgame_roots,
                   const std::vector<double>& limit, Equilibrium& eq) {
  const NodeId n = game.num_nodes();
  // reach[v]: from the root; local[v]: from the root of v's smallest proper subgame.
  std::vector<double> reach(n, 0.0), local(n, 0.0);
  // Whether a move of probability exactly 0 lies on the way (from the root; from the subgame's
  // root): where none does, a reach of 0 is underflow, not "never".
  std::vector<char> zero(n, 0), local_zero(n, 0);
  reach[0] = local[0] = 1.0;
  for (NodeId v = 0; v < n; ++v) {
    if (game.is_terminal(v)) continue;
    std::uint32_t first = index.first(game.infoset(v));
    auto kids = game.children(v);
    for (std::uint32_t a = 0; a < kids.size(); ++a) {
      const NodeId c = kids[a];
      const double p = eq.behavior[first + a];
      reach[c] = reach[v] * p;
      local[c] = subgame_roots[c] ? 1.0 : local[v] * p;
      zero[c] = zero[v] || !(p > 0);
      local_zero[c] = subgame_roots[c] ? 0 : (local_zero[v] || !(p > 0));
    }
  }
  eq.beliefs.assign(n, 0.0);
  eq.belief_source.assign(game.num_infosets(), BeliefSource::kNone);
  for (InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == model::kChancePlayer) continue;
    auto nodes = game.infoset_nodes(h);
    double total = 0, local_total = 0, limit_total = 0;
    bool has_limit = !limit.empty();
    for (NodeId x : nodes) {
      total += reach[x];
      local_total += local[x];
      if (has_limit) {
        has_limit = limit[x] >= 0;
        limit_total += limit[x];
      }
    }
    BeliefSource& source = eq.belief_source[h];
    // Reach probabilities that underflow (a chance move of 1e-200 twice): Bayes' rule in log
    // space, each node's log reach summed along its path (rare, so walked per node), the
    // largest factored out. Not the subgame's rule, which applies where play never gets there.
    bool underflow = false;  // some member reached with a probability that underflowed
    if (!(total > 0))
      for (NodeId x : nodes) underflow = underflow || !zero[x] || (!(local_total > 0) && !local_zero[x]);
    if (underflow) {
      const auto log_reach = [&](NodeId x, bool to_subgame_root) {
        double sum = 0;
        for (NodeId c = x; c != game.root() && !(to_subgame_root && subgame_roots[c]); c = game.parent(c)) {
          const double p = eq.behavior[index.first(game.infoset(game.parent(c))) + game.action_into(c)];
          if (!(p > 0)) return -std::numeric_limits<double>::infinity();
          sum += std::log(p);
        }
        return sum;
      };
      for (const bool local_only : {false, true}) {
        std::vector<double> logs;
        double top = -std::numeric_limits<double>::infinity();
        for (NodeId x : nodes) top = std::max(top, logs.emplace_back(log_reach(x, local_only)));
        if (top == -std::numeric_limits<double>::infinity()) continue;
        double sum = 0;
        for (double& l : logs) sum += l = std::exp(l - top);
        for (std::size_t i = 0; i < nodes.size(); ++i) eq.beliefs[nodes[i]] = logs[i] / sum;
        source = local_only ? BeliefSource::kSubgame : BeliefSource::kBayes;
        break;
      }
      if (source != BeliefSource::kNone) continue;
    }
    for (NodeId x : nodes) {
      if (total > 0) {
        eq.beliefs[x] = reach[x] / total;
        source = BeliefSource::kBayes;
      } else if (local_total > 0) {
        eq.beliefs[x] = local[x] / local_total;
        source = BeliefSource::kSubgame;
      } else if (has_limit && limit_total > 0) {
        eq.beliefs[x] = limit[x] / limit_total;
        source = BeliefSource::kTrace;
      } else {
        eq.beliefs[x] = 1.0 / static_cast<double>(nodes.size());
        source = BeliefSource::kUnspecified;
      }
    }
  }
}

bool HasNonTrivialBeliefs(const Game& game) {
  for (InfosetId h = 0; h < game.num_infosets(); ++h)
    if (game.infoset_player(h) != model::kChancePlayer && game.infoset_nodes(h).size() > 1) return true;
  return false;
}

}  // namespace parley::equilibrium
