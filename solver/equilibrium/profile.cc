#include "solver/equilibrium/profile.h"

#include <algorithm>
#include <cmath>

#include "solver/equilibrium/verify.h"

namespace parley::equilibrium {

using model::NodeKind;

ActionIndex::ActionIndex(const Game& game) : first_(game.num_infosets() + 1, 0) {
  for (InfosetId h = 0; h < game.num_infosets(); ++h)
    first_[h + 1] = first_[h] + game.num_actions(h);
}

std::vector<double> ReachProbabilities(const Game& game, const ActionIndex& index,
                                       const std::vector<double>& behavior) {
  std::vector<double> reach(game.num_nodes(), 0.0);
  reach[0] = 1.0;
  for (NodeId v = 0; v < game.num_nodes(); ++v) {
    if (game.is_terminal(v) || reach[v] == 0) continue;
    std::uint32_t first = index.first(game.infoset(v));
    auto kids = game.children(v);
    for (std::uint32_t a = 0; a < kids.size(); ++a) reach[kids[a]] = reach[v] * behavior[first + a];
  }
  return reach;
}

std::vector<double> NodeValues(const Game& game, const ActionIndex& index,
                               const std::vector<double>& behavior) {
  return NodeValuesAs<double>(game, index, behavior);
}

double PerfectInformationGain(const Game& game, const ActionIndex& index,
                              const std::vector<double>& behavior) {
  const int np = game.num_players();
  std::vector<double> values = NodeValues(game, index, behavior);
  double worst = 0;
  std::vector<double> best(game.num_nodes());
  for (int p = 0; p < np; ++p) {
    // best[v]: the most player p can get from v on when the others follow the profile.
    for (NodeId v = game.num_nodes(); v-- > 0;) {
      double b = 0;
      if (!game.is_terminal(v)) {
        std::uint32_t first = index.first(game.infoset(v));
        auto kids = game.children(v);
        if (game.player(v) == p) {
          b = -INFINITY;
          for (NodeId c : kids) b = std::max(b, best[c]);
        } else {
          for (std::uint32_t a = 0; a < kids.size(); ++a)
            if (behavior[first + a] != 0) b += behavior[first + a] * best[kids[a]];
        }
      }
      if (game.outcome(v) != model::kNoOutcome) b += game.payoff(game.outcome(v), p);
      best[v] = b;
      worst = std::max(worst, b - values[static_cast<std::size_t>(v) * np + p]);
    }
  }
  return worst;
}

}  // namespace parley::equilibrium
