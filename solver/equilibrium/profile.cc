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
  // One pass from the leaves for every player at once: value[v] is what the profile gives
  // each player from v on (as NodeValues computes it), best[v] the most each player can get
  // from v on when the others follow the profile.
  const int np = game.num_players();
  const std::size_t stride = static_cast<std::size_t>(np);
  std::vector<double> value(game.num_nodes() * stride, 0.0), best(game.num_nodes() * stride);
  double worst = 0;
  for (NodeId v = game.num_nodes(); v-- > 0;) {
    double* val = &value[v * stride];
    double* b = &best[v * stride];
    if (game.is_terminal(v)) {
      std::fill_n(b, np, 0.0);
    } else {
      const std::uint32_t first = index.first(game.infoset(v));
      const auto kids = game.children(v);
      const int mover = game.player(v);
      for (int p = 0; p < np; ++p) b[p] = p == mover ? -INFINITY : 0.0;
      for (std::uint32_t a = 0; a < kids.size(); ++a) {
        const double* kid_best = &best[kids[a] * stride];
        if (mover >= 0) b[mover] = std::max(b[mover], kid_best[mover]);
        const double prob = behavior[first + a];
        if (prob == 0) continue;
        const double* kid_value = &value[kids[a] * stride];
        for (int p = 0; p < np; ++p) {
          val[p] += prob * kid_value[p];
          if (p != mover) b[p] += prob * kid_best[p];
        }
      }
    }
    if (game.outcome(v) != model::kNoOutcome)
      for (int p = 0; p < np; ++p) {
        const double payoff = game.payoff(game.outcome(v), p);
        val[p] += payoff;
        b[p] += payoff;
      }
    for (int p = 0; p < np; ++p) worst = std::max(worst, b[p] - val[p]);
  }
  return worst;
}

double TieUnit(const Game& game) {
  double largest = 0;
  for (model::OutcomeId o = 0; o < game.num_outcomes(); ++o)
    for (double x : game.payoffs(o)) largest = std::max(largest, std::abs(x));
  // All payoffs 0 (or none): nothing to compare; keep the unit 1.
  return largest > 0 && largest < 1 ? largest : 1.0;
}

}  // namespace parley::equilibrium
