#include "solver/equilibrium/verify.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "solver/equilibrium/sequence_form.h"
#include "solver/model/error.h"

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

// The pass above, each node visited once in all: subgames are taken deepest first, and a
// subgame nested in another enters the outer one's pass as a summary instead of its nodes.
// Every quantity the recursion carries out of a subgame (the player's value there, its gain,
// the sums of |payoff|, the bound and the rounding allowances) is the subgame's own, computed
// with reach 1 at its root, times the reach of that root from the outer one's: the reach of
// each node inside is that product, and each quantity is a sum of reach-weighted terms, or a
// maximum of such sums (positively homogeneous). So a chain of a million nested subgames costs
// a million steps per player, not half a million million. The summaries wait on a stack: the
// subgames nested directly in the next one taken are on its top, in the order of its scan.
template <class T, bool kScale>
class GainWalker {
 public:
  GainWalker(const Game& game, const ActionIndex& index, const std::vector<char>& roots, double relative)
      : game_(game), index_(index), roots_(roots), relative_(relative), np_(game.num_players()),
        rho_(game.num_nodes()), last_(game.num_nodes()), current_(index.size()),
        gain_below_(index.size()), magnitude_(kScale ? index.size() : 0),
        bound_(kScale ? index.size() : 0), error_(kScale ? index.size() : 0), weight_(np_, 1.0) {
    if constexpr (kScale) {
      // Each player's bound is weighed by min(R, 1) / min(R_p, 1), R the span of all the
      // payoffs and R_p the player's own: compared with a tolerance of base times min(R, 1)
      // (GainTolerance), a player's gain beyond rounding is held to base times min(R_p, 1). A
      // player paid in billionths beside one paid in billions is not excused a gain of 1e-9,
      // a third of its whole stake.
      double all_lo = std::numeric_limits<double>::infinity(), all_hi = -all_lo;
      std::vector<double> lo(np_, all_lo), hi(np_, all_hi);
      for (model::OutcomeId o = 0; o < game.num_outcomes(); ++o)
        for (int p = 0; p < np_; ++p) {
          lo[p] = std::min(lo[p], game.payoff(o, p));
          hi[p] = std::max(hi[p], game.payoff(o, p));
          all_lo = std::min(all_lo, lo[p]);
          all_hi = std::max(all_hi, hi[p]);
        }
      const double all = all_hi > all_lo ? std::min(all_hi - all_lo, 1.0) : 0.0;
      for (int p = 0; p < np_; ++p)
        if (hi[p] > lo[p] && all > 0) weight_[p] = all / std::min(hi[p] - lo[p], 1.0);
    }
  }

  // Root `r`'s gains for every player, its nested subgames read from the summaries on the
  // stack (every root in it taken before, deepest first, with `store`). With `store`, their
  // summaries are replaced by r's own.
  GainResult<T> Root(NodeId r, const std::vector<T>& behavior, bool store) {
    GainResult<T> result;
    const std::size_t np = static_cast<std::size_t>(np_);
    std::size_t below = frames_.size();  // where r's nested summaries begin, once known
    for (int p = 0; p < np_; ++p) {
      Summary own = Pass(r, p, behavior, &below);
      if (own.gain > result.gain) result.gain = own.gain;
      if constexpr (kScale) {
        const double w = weight_[static_cast<std::size_t>(p)];
        if (w * own.bound > result.beyond) result.beyond = w * own.bound;
        result.rounding = std::max(result.rounding, w * relative_ * own.error);
      }
      scratch_.resize(np);
      scratch_[static_cast<std::size_t>(p)] = own;
    }
    if (!kScale) result.beyond = result.gain;
    if (store) {
      frames_.resize(below);
      summaries_.resize(below * np);
      frames_.push_back(r);
      summaries_.insert(summaries_.end(), scratch_.begin(), scratch_.end());
    }
    return result;
  }

 private:
  static constexpr std::uint32_t kNone = 0xffffffffu;
  struct Summary {
    T value = 0, gain = 0;
    double magnitude = 0, bound = 0, error = 0;
  };

  // One player's pass over r's own nodes; *below is set to the first stack frame r reads.
  Summary Pass(NodeId r, int p, const std::vector<T>& behavior, std::size_t* below) {
    const Game& game = game_;
    const NodeId end = game.subtree_end(r);
    const std::size_t np = static_cast<std::size_t>(np_);
    Summary root;
    std::size_t frame = frames_.size();  // the nested subgames met, from the stack's top down
    region_.clear();
    rho_[r] = 1;
    last_[r] = kNone;
    for (NodeId v = r; v < end;) {
      if (v != r && roots_[v] && !game.is_terminal(v)) {
        PARLEY_CHECK(frame > 0 && frames_[frame - 1] == v);
        --frame;
        const Summary& s = summaries_[frame * np + static_cast<std::size_t>(p)];
        const T w = rho_[v];
        if (w != 0) {
          Summary scaled;
          scaled.value = w * s.value;
          scaled.gain = w * s.gain;
          if constexpr (kScale) {
            scaled.magnitude = w * s.magnitude;
            scaled.bound = w * s.bound;
            scaled.error = w * s.error;
          }
          Add(root, last_[v], scaled);
        }
        v = game.subtree_end(v);
        continue;
      }
      region_.push_back(v);
      if (game.outcome(v) != kNoOutcome && rho_[v] != 0) {
        const std::uint32_t seq = last_[v];
        const T pay = rho_[v] * PayoffAs<T>(game, game.outcome(v), p);
        (seq == kNone ? root.value : current_[seq]) += pay;
        if constexpr (kScale) (seq == kNone ? root.magnitude : magnitude_[seq]) += std::abs(pay);
      }
      if (!game.is_terminal(v)) {
        const InfosetId h = game.infoset(v);
        const std::uint32_t first = index_.first(h);
        const bool own = game.player(v) == p;
        auto kids = game.children(v);
        if (own && game.infoset_nodes(h).front() == v)
          for (std::uint32_t a = 0; a < kids.size(); ++a) {
            current_[first + a] = 0;
            gain_below_[first + a] = 0;
            if constexpr (kScale) magnitude_[first + a] = bound_[first + a] = error_[first + a] = 0;
          }
        for (std::uint32_t a = 0; a < kids.size(); ++a) {
          rho_[kids[a]] = own ? rho_[v] : rho_[v] * behavior[first + a];
          last_[kids[a]] = own ? first + a : last_[v];
        }
      }
      ++v;
    }
    *below = frame;
    for (std::size_t i = region_.size(); i-- > 0;) {
      const NodeId v = region_[i];
      if (game.is_terminal(v) || game.player(v) != p) continue;
      const InfosetId h = game.infoset(v);
      if (game.infoset_nodes(h).front() != v) continue;
      const std::uint32_t first = index_.first(h), k = game.num_actions(h);
      T value = 0;  // the strategy's value at the set
      for (std::uint32_t a = 0; a < k; ++a)
        if (behavior[first + a] != 0) value += behavior[first + a] * current_[first + a];
      T best = gain_below_[first] + (current_[first] - value);
      double local = 0, carried = 0, sum = 0, lower = -INFINITY;
      for (std::uint32_t a = 0; a < k; ++a) {
        if (a > 0) {
          T g = gain_below_[first + a] + (current_[first + a] - value);
          if (g > best) best = g;
        }
        if constexpr (kScale) {
          local = std::max(local, magnitude_[first + a]);
          carried = std::max(carried, error_[first + a]);
          sum += magnitude_[first + a];
          lower = std::max(lower, bound_[first + a] + (current_[first + a] - value));
        }
      }
      // The set's bound, kept where positive (its gain is at least 0 in any case).
      const double sure = kScale ? std::max(0.0, lower - relative_ * local) : 0.0;
      Add(root, last_[v], Summary{value, best, sum, sure, carried + local});
    }
    return root;
  }

  // A set's or a nested subgame's sums, to the sequence `seq` leads to, or to the root's
  // summary when no sequence of the player's in r leads there.
  void Add(Summary& root, std::uint32_t seq, const Summary& x) {
    if (seq == kNone) {
      root.value += x.value;
      root.gain += x.gain;
      if constexpr (kScale) {
        root.magnitude += x.magnitude;
        root.bound += x.bound;
        root.error += x.error;
      }
      return;
    }
    current_[seq] += x.value;
    gain_below_[seq] += x.gain;
    if constexpr (kScale) {
      magnitude_[seq] += x.magnitude;
      bound_[seq] += x.bound;
      error_[seq] += x.error;
    }
  }

  const Game& game_;
  const ActionIndex& index_;
  const std::vector<char>& roots_;
  const double relative_;
  const int np_;
  std::vector<T> rho_;
  std::vector<std::uint32_t> last_;  // the player's own sequence into a node (kNone: none in r)
  std::vector<T> current_, gain_below_;
  // kScale: per sequence, the sum of |reach x payoff| below it, the lower bound on its
  // gain_below and the rounding allowances summed below it.
  std::vector<double> magnitude_, bound_, error_;
  std::vector<double> weight_;     // kScale: per player, see the constructor
  std::vector<NodeId> region_;    // r's own nodes, in preorder
  std::vector<NodeId> frames_;    // the roots whose summaries wait, deepest on top
  std::vector<Summary> summaries_;  // num_players per frame
  std::vector<Summary> scratch_;
};

template <class T, bool kScale>
GainResult<T> GainPass(const Game& game, const ActionIndex& index, const std::vector<T>& behavior,
                       const std::vector<char>* roots_in, double relative) {
  std::vector<char> own_roots;
  if (!roots_in) own_roots = ProperSubgameRoots(game);
  const std::vector<char>& roots = roots_in ? *roots_in : own_roots;
  GainWalker<T, kScale> walker(game, index, roots, relative);
  GainResult<T> worst;
  for (NodeId r = game.num_nodes(); r-- > 0;) {
    if (!roots[r] || game.is_terminal(r)) continue;
    const GainResult<T> g = walker.Root(r, behavior, /*store=*/true);
    if (g.gain > worst.gain) worst.gain = g.gain;
    if (g.beyond > worst.beyond) worst.beyond = g.beyond;
    worst.rounding = std::max(worst.rounding, g.rounding);
  }
  return worst;
}

}  // namespace

template <class T>
T MaxSubgameGain(const Game& game, const ActionIndex& index, const std::vector<T>& behavior,
                 const std::vector<char>* roots) {
  return GainPass<T, false>(game, index, behavior, roots, 0).gain;
}

struct SubgameGainChecker::Impl {
  Impl(const Game& game, const ActionIndex& index, const std::vector<char>& roots, double relative)
      : game(game), roots(roots), walker(game, index, roots, relative), next(game.num_nodes()) {}
  const Game& game;
  const std::vector<char>& roots;
  GainWalker<double, true> walker;
  NodeId next;  // the roots from here on are summarised
};

SubgameGainChecker::SubgameGainChecker(const Game& game, const ActionIndex& index,
                                       const std::vector<char>& roots, double relative)
    : impl_(std::make_unique<Impl>(game, index, roots, relative)) {}
SubgameGainChecker::~SubgameGainChecker() = default;

GainCheck SubgameGainChecker::Check(NodeId r, const std::vector<double>& trial,
                                    const std::vector<double>& settled) {
  Impl& m = *impl_;
  PARLEY_CHECK(r < m.next && m.roots[r]);
  for (NodeId s = m.next; s-- > r + 1;)
    if (m.roots[s] && !m.game.is_terminal(s)) m.walker.Root(s, settled, /*store=*/true);
  m.next = r + 1;
  const GainResult<double> g = m.walker.Root(r, trial, /*store=*/false);
  return {g.gain, g.beyond, g.rounding};
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
