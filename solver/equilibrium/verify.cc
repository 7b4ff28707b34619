#include "solver/equilibrium/verify.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "solver/equilibrium/sequence_form.h"

namespace parley::equilibrium {

using model::kNoOutcome;

namespace {
constexpr std::uint32_t kNone = 0xffffffffu;
}

template <class T>
std::vector<T> NodeValuesAs(const Game& game, const ActionIndex& index,
                            const std::vector<T>& behavior) {
  const int np = game.num_players();
  std::vector<T> values(static_cast<std::size_t>(game.num_nodes()) * np, T(0));
  for (NodeId v = game.num_nodes(); v-- > 0;) {
    T* out = &values[static_cast<std::size_t>(v) * np];
    if (!game.is_terminal(v)) {
      std::uint32_t first = index.first(game.infoset(v));
      auto kids = game.children(v);
      for (std::uint32_t a = 0; a < kids.size(); ++a) {
        const T& p = behavior[first + a];
        if (p == 0) continue;
        const T* in = &values[static_cast<std::size_t>(kids[a]) * np];
        for (int i = 0; i < np; ++i) out[i] += p * in[i];
      }
    }
    if (game.outcome(v) != kNoOutcome)
      for (int i = 0; i < np; ++i) out[i] += PayoffAs<T>(game, game.outcome(v), i);
  }
  return values;
}

namespace {

// MaxSubgameGain's pass. With kScale (doubles), it also carries, beside every value, the same
// sum over |payoff| (the magnitude the value's rounding is relative to), and returns beside
// the largest gain the largest of each gain less `relative` times its two magnitudes.
template <class T, bool kScale>
std::pair<T, T> GainPass(const Game& game, const ActionIndex& index, const std::vector<T>& behavior,
                         const std::vector<char>* roots_in, double relative) {
  const NodeId n = game.num_nodes();
  const int np = game.num_players();
  std::vector<char> own_roots;
  if (!roots_in) own_roots = ProperSubgameRoots(game);
  const std::vector<char>& roots = roots_in ? *roots_in : own_roots;
  std::vector<T> values = NodeValuesAs<T>(game, index, behavior);
  std::vector<double> magnitudes;  // kScale: NodeValuesAs over |payoff|
  if constexpr (kScale) {
    magnitudes.assign(static_cast<std::size_t>(n) * np, 0.0);
    for (NodeId v = n; v-- > 0;) {
      double* out = &magnitudes[static_cast<std::size_t>(v) * np];
      if (!game.is_terminal(v)) {
        std::uint32_t first = index.first(game.infoset(v));
        auto kids = game.children(v);
        for (std::uint32_t a = 0; a < kids.size(); ++a)
          if (behavior[first + a] != 0)
            for (int i = 0; i < np; ++i)
              out[i] += std::abs(behavior[first + a]) * magnitudes[static_cast<std::size_t>(kids[a]) * np + i];
      }
      if (game.outcome(v) != kNoOutcome)
        for (int i = 0; i < np; ++i) out[i] += std::abs(game.payoff(game.outcome(v), i));
    }
  }
  std::vector<std::uint32_t> last(n);  // the player's own sequence (flat action) into v
  std::vector<T> rho(n), bucket(index.size());
  std::vector<double> scale(kScale ? index.size() : 0);  // |payoff| sums beside bucket
  T worst = 0, worst_beyond = 0;
  std::vector<InfosetId> action_set(index.size());
  for (InfosetId h = 0; h < game.num_infosets(); ++h)
    for (std::uint32_t a = 0; a < game.num_actions(h); ++a) action_set[index(h, a)] = h;
  for (int p = 0; p < np; ++p) {
    last[0] = kNone;
    for (NodeId v = 0; v < n; ++v) {
      if (game.is_terminal(v)) continue;
      bool own = game.player(v) == p;
      auto kids = game.children(v);
      for (std::uint32_t a = 0; a < kids.size(); ++a)
        last[kids[a]] = own ? index(game.infoset(v), a) : last[v];
    }
    for (NodeId r = 0; r < n; ++r) {
      if (!roots[r] || game.is_terminal(r)) continue;
      const NodeId end = game.subtree_end(r);
      T root_bucket = 0;
      double root_scale = 0;
      auto add = [&](std::uint32_t seq, const T& value, double magnitude) {
        if (seq == kNone || game.infoset_nodes(action_set[seq]).front() < r) {
          root_bucket += value;
          if constexpr (kScale) root_scale += magnitude;
        } else {
          bucket[seq] += value;
          if constexpr (kScale) scale[seq] += magnitude;
        }
      };
      for (NodeId v = r; v < end; ++v)
        if (!game.is_terminal(v) && game.player(v) == p) {
          std::uint32_t first = index.first(game.infoset(v));
          for (std::uint32_t a = 0; a < game.num_actions(game.infoset(v)); ++a) {
            bucket[first + a] = 0;
            if constexpr (kScale) scale[first + a] = 0;
          }
        }
      rho[r] = 1;
      for (NodeId v = r; v < end; ++v) {
        if (game.outcome(v) != kNoOutcome && rho[v] != 0) {
          double magnitude = 0;
          if constexpr (kScale) magnitude = std::abs(rho[v] * game.payoff(game.outcome(v), p));
          add(last[v], rho[v] * PayoffAs<T>(game, game.outcome(v), p), magnitude);
        }
        if (game.is_terminal(v)) continue;
        std::uint32_t first = index.first(game.infoset(v));
        bool own = game.player(v) == p;
        auto kids = game.children(v);
        for (std::uint32_t a = 0; a < kids.size(); ++a)
          rho[kids[a]] = own ? rho[v] : rho[v] * behavior[first + a];
      }
      for (NodeId v = end; v-- > r;) {
        if (game.is_terminal(v) || game.player(v) != p) continue;
        InfosetId h = game.infoset(v);
        if (game.infoset_nodes(h).front() != v) continue;
        std::uint32_t first = index.first(h);
        std::uint32_t best = first;
        for (std::uint32_t a = 1; a < game.num_actions(h); ++a)
          if (bucket[first + a] > bucket[best]) best = first + a;
        add(last[v], bucket[best], kScale ? scale[best] : 0.0);
      }
      T gain = root_bucket - values[static_cast<std::size_t>(r) * np + p];
      if (gain > worst) worst = gain;
      if constexpr (kScale) {
        const T beyond = gain - relative * (root_scale + magnitudes[static_cast<std::size_t>(r) * np + p]);
        if (beyond > worst_beyond) worst_beyond = beyond;
      }
    }
  }
  return {worst, kScale ? worst_beyond : worst};
}

}  // namespace

template <class T>
T MaxSubgameGain(const Game& game, const ActionIndex& index, const std::vector<T>& behavior,
                 const std::vector<char>* roots) {
  return GainPass<T, false>(game, index, behavior, roots, 0).first;
}

GainCheck CheckSubgameGain(const Game& game, const ActionIndex& index, const std::vector<double>& behavior,
                           const std::vector<char>* roots, double relative) {
  auto [gain, beyond] = GainPass<double, true>(game, index, behavior, roots, relative);
  return {gain, beyond};
}

template std::vector<double> NodeValuesAs<double>(const Game&, const ActionIndex&,
                                                  const std::vector<double>&);
template std::vector<Rational> NodeValuesAs<Rational>(const Game&, const ActionIndex&,
                                                      const std::vector<Rational>&);
template double MaxSubgameGain<double>(const Game&, const ActionIndex&,
                                       const std::vector<double>&, const std::vector<char>*);
template Rational MaxSubgameGain<Rational>(const Game&, const ActionIndex&,
                                           const std::vector<Rational>&, const std::vector<char>*);

}  // namespace parley::equilibrium
