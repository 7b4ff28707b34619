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

// MaxSubgameGain's pass. Each player's gain in a subgame is the value of its best response
// there less the value of its strategy, both at the subgame's root. The two are not computed
// and then subtracted: a payoff of 1e15 elsewhere in the subgame is in both and would round a
// gain of 0.005 at a set whose own stakes are 0.01 away entirely. Instead, at each of the
// player's information sets (deepest first), with C(a) the reach-weighted value of action a
// followed by the player's strategy below and D(a) the best response's gain below a, the
// gain at the set is max_a [D(a) + C(a) - sum_b sigma(b) C(b)]: differences of the values of
// one set's actions, at the magnitude of that set's own stakes. A sequence's D sums its
// sets' gains, and the subgame's gain is the sum over its top sets (the payoffs no choice of
// the player's reaches cancel out). With kScale (doubles), the same recursion gives a lower
// bound on each gain that rounding cannot have made up: at a set, max_a [L(a) + C(a) - V]
// less `relative` times the largest sum of |payoff| below one of its actions (the magnitude
// the rounding of C(a) - V is relative to), L(a) the sum of its sets' bounds where positive
// (a gain is never negative); the subgame's bound sums its top sets'. A set whose actions
// pay 1e15 alike adds nothing to it, so it cannot excuse a gain of 20 at another set of the
// same player. Returned beside the largest gain: the largest bound, and the largest sum of
// the sets' rounding allowances (gains below it are not seen).
template <class T>
struct GainResult {
  T gain = 0, beyond = 0;
  double rounding = 0;
};

template <class T, bool kScale>
GainResult<T> GainPass(const Game& game, const ActionIndex& index, const std::vector<T>& behavior,
                       const std::vector<char>* roots_in, double relative) {
  const NodeId n = game.num_nodes();
  const int np = game.num_players();
  std::vector<char> own_roots;
  if (!roots_in) own_roots = ProperSubgameRoots(game);
  const std::vector<char>& roots = roots_in ? *roots_in : own_roots;
  std::vector<std::uint32_t> last(n);  // the player's own sequence (flat action) into v
  std::vector<T> rho(n), current(index.size()), gain_below(index.size());
  // kScale: per sequence, the sum of |reach x payoff| below it, the lower bound on its
  // gain_below and the rounding allowances summed below it.
  std::vector<double> magnitude(kScale ? index.size() : 0), bound(kScale ? index.size() : 0),
      error(kScale ? index.size() : 0);
  T worst = 0, worst_beyond = 0;
  double rounding = 0;
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
      // A sequence of this subgame's (its set starts within it), or kNone for one before it.
      auto inside = [&](std::uint32_t seq) {
        return seq != kNone && game.infoset_nodes(action_set[seq]).front() >= r;
      };
      for (NodeId v = r; v < end; ++v)
        if (!game.is_terminal(v) && game.player(v) == p) {
          std::uint32_t first = index.first(game.infoset(v));
          for (std::uint32_t a = 0; a < game.num_actions(game.infoset(v)); ++a) {
            current[first + a] = 0;
            gain_below[first + a] = 0;
            if constexpr (kScale) magnitude[first + a] = bound[first + a] = error[first + a] = 0;
          }
        }
      rho[r] = 1;
      for (NodeId v = r; v < end; ++v) {
        if (game.outcome(v) != kNoOutcome && rho[v] != 0 && inside(last[v])) {
          current[last[v]] += rho[v] * PayoffAs<T>(game, game.outcome(v), p);
          if constexpr (kScale) magnitude[last[v]] += std::abs(rho[v] * game.payoff(game.outcome(v), p));
        }
        if (game.is_terminal(v)) continue;
        std::uint32_t first = index.first(game.infoset(v));
        bool own = game.player(v) == p;
        auto kids = game.children(v);
        for (std::uint32_t a = 0; a < kids.size(); ++a)
          rho[kids[a]] = own ? rho[v] : rho[v] * behavior[first + a];
      }
      T root_gain = 0;
      double root_bound = 0, root_error = 0;
      for (NodeId v = end; v-- > r;) {
        if (game.is_terminal(v) || game.player(v) != p) continue;
        InfosetId h = game.infoset(v);
        if (game.infoset_nodes(h).front() != v) continue;
        const std::uint32_t first = index.first(h), k = game.num_actions(h);
        T value = 0;  // the strategy's value at the set
        for (std::uint32_t a = 0; a < k; ++a)
          if (behavior[first + a] != 0) value += behavior[first + a] * current[first + a];
        T best = gain_below[first] + (current[first] - value);
        double local = 0, carried = 0, below = 0, lower = -INFINITY;
        for (std::uint32_t a = 0; a < k; ++a) {
          if (a > 0) {
            T g = gain_below[first + a] + (current[first + a] - value);
            if (g > best) best = g;
          }
          if constexpr (kScale) {
            local = std::max(local, magnitude[first + a]);
            carried = std::max(carried, error[first + a]);
            below += magnitude[first + a];
            lower = std::max(lower, bound[first + a] + (current[first + a] - value));
          }
        }
        // The set's bound, kept where positive (its gain is at least 0 in any case).
        const double sure = kScale ? std::max(0.0, lower - relative * local) : 0.0;
        const std::uint32_t parent = last[v];
        if (inside(parent)) {
          current[parent] += value;
          gain_below[parent] += best;
          if constexpr (kScale) {
            magnitude[parent] += below;
            bound[parent] += sure;
            error[parent] += carried + local;
          }
        } else {
          root_gain += best;
          if constexpr (kScale) {
            root_bound += sure;
            root_error += carried + local;
          }
        }
      }
      if (root_gain > worst) worst = root_gain;
      if constexpr (kScale) {
        if (root_bound > worst_beyond) worst_beyond = root_bound;
        rounding = std::max(rounding, relative * root_error);
      }
    }
  }
  return {worst, kScale ? worst_beyond : worst, rounding};
}

}  // namespace

template <class T>
T MaxSubgameGain(const Game& game, const ActionIndex& index, const std::vector<T>& behavior,
                 const std::vector<char>* roots) {
  return GainPass<T, false>(game, index, behavior, roots, 0).gain;
}

GainCheck CheckSubgameGain(const Game& game, const ActionIndex& index, const std::vector<double>& behavior,
                           const std::vector<char>* roots, double relative) {
  const GainResult<double> r = GainPass<double, true>(game, index, behavior, roots, relative);
  return {r.gain, r.beyond, r.rounding};
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
