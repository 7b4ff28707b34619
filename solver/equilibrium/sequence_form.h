// Proper subgames, perfect recall and the sequence form of two-player extensive games.
//
// A proper subgame (Selten 1965) starts at a node whose subtree no personal information set
// crosses: every set that meets the subtree lies inside it. ProperSubgameRoots finds them all
// in O(n) with preorder ranges: the subtree of v is [v, subtree_end(v)), so v roots a proper
// subgame iff every set met in the subtree has its first member >= v and its last member
// < subtree_end(v); the minimum and maximum are propagated up in one reverse sweep.
//
// The sequence form (Romanovskii 1962; Koller and Megiddo 1992; von Stengel 1996; Koller,
// Megiddo and von Stengel 1996) describes a player's strategies in a game with perfect recall
// by realization plans: x >= 0 over the player's sequences (the empty sequence, and every
// (information set, action) pair) with E x = e, i.e. x[empty] = 1 and, for every set h,
// sum_a x[(h, a)] = x[parent sequence of h]. Payoffs are bilinear: sum over leaves L of
// chance(L) * payoff(L) * x[seq1(L)] * y[seq2(L)]. Its size is linear in the tree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"
#include "solver/model/number.h"

namespace parley::equilibrium {

using model::Game;
using model::InfosetId;
using model::NodeId;

// roots[v] != 0 iff v roots a proper subgame (the root always does; so does every leaf).
// Chance information sets do not count (each chance node moves independently).
std::vector<char> ProperSubgameRoots(const Game& game);

// The first personal information set whose members differ in their owner's own history of
// (information set, action) moves, i.e. that breaks perfect recall (Kuhn 1953); kNoInfoset
// when the game has perfect recall. Absent-mindedness is caught as well.
InfosetId FirstPerfectRecallViolation(const Game& game);

// Throws UnsupportedError naming the set when the game lacks perfect recall.
void RequirePerfectRecall(const Game& game, const std::string& method);

// Exact or floating-point reads of the game's numbers, for code templated on the number type.
template <class T>
T PayoffAs(const Game& g, model::OutcomeId o, int p);
template <>
inline double PayoffAs<double>(const Game& g, model::OutcomeId o, int p) {
  return g.payoff(o, p);
}
template <>
inline Rational PayoffAs<Rational>(const Game& g, model::OutcomeId o, int p) {
  return g.exact_payoff(o, p);
}
template <class T>
T ChanceAs(const Game& g, InfosetId h, std::uint32_t a);
template <>
inline double ChanceAs<double>(const Game& g, InfosetId h, std::uint32_t a) {
  return g.chance_prob(h, a);
}
template <>
inline Rational ChanceAs<Rational>(const Game& g, InfosetId h, std::uint32_t a) {
  return g.exact_chance_prob(h, a);
}
inline double ToDouble(double v) { return v; }
inline double ToDouble(const Rational& v) { return v.get_d(); }

// One player's sequences inside a (reduced) subgame. Sequence 0 is the empty sequence; the
// actions of the player's k-th set (sets in id order) are sequences first_seq[k] ...
struct PlayerSequences {
  std::vector<InfosetId> infosets;        // the player's sets in the subgame, ascending ids
  std::vector<std::uint32_t> first_seq;   // per set (local index)
  std::vector<std::uint32_t> parent_seq;  // per set: the sequence leading to it
  std::uint32_t num_sequences = 1;
  // Constraint rows: row 0 is x[empty] = 1, row k+1 belongs to set k.
  std::uint32_t num_rows() const { return static_cast<std::uint32_t>(infosets.size()) + 1; }
};

// A reduced subgame: the nodes of one proper subgame with every proper subgame strictly
// inside it cut off and replaced by a leaf holding its (already computed) value. Leaves
// carry the payoff accumulated from the subgame's root (outcomes on internal nodes added
// along the path), so that payoffs are a function of the leaf alone.
template <class T>
struct SequenceForm {
  NodeId root = 0;
  PlayerSequences player[2];
  struct Entry {
    std::uint32_t s1, s2;  // sequences of players 1 and 2
    T a, b;                // chance-weighted payoffs of players 1 and 2
    T prob;                // chance probability of the leaves with this pair
  };
  std::vector<Entry> entries;  // one per (s1, s2) pair that reaches a leaf, aggregated
  // Leaf payoffs for the constant-sum test and shifts.
  T min_payoff[2], max_payoff[2];
  bool constant_sum = true;  // every leaf's payoffs have the same sum
  std::vector<NodeId> nodes;  // the reduced subgame's nodes in preorder (cut roots are leaves)
};

// Who plays the sequence form's two roles: the game's players who move in the reduced
// subgame, which may be part of a game of any number of players (the others do not move there,
// so their payoffs do not enter its equilibrium conditions). `player[1]` is kNoPlayer beside a
// lone mover in a game of other than two players: that side has only the empty sequence and
// minus the mover's payoffs (a decision problem as a zero-sum game, which the LP takes).
// `stride` is the number of values per node in BuildSequenceForm's `cut_value`.
struct SequenceRoles {
  static constexpr int kNoPlayer = -1;
  int player[2] = {0, 1};
  int stride = 2;
};

// The players who move (own a decision node) in the reduced subgame at `root` (`cut` marks
// the proper subgames cut off inside it), ascending, at most `limit` of them: the first ones
// found when there are more (so a result of size `limit` + 1 says "more than limit").
std::vector<int> SubgameMovers(const Game& game, NodeId root, const std::vector<char>& cut,
                               std::size_t limit = 2);

// The roles for a reduced subgame in which `movers` (ascending, at most two) move, in a game of
// `np` players: the movers; beside a lone mover (or player 1 where nobody moves: a chance node
// whose children are all subgames), the other player of a two-player game, else kNoPlayer.
SequenceRoles RolesForMovers(const std::vector<int>& movers, int np);

// Whether at most two players move in every proper subgame with imperfect information (each
// reduced subgame of `roots`, ProperSubgameRoots, that is not a single step of backward
// induction): true for every game of two players.
bool AtMostTwoMovers(const Game& game, const std::vector<char>& roots);

// Builds the sequence form of the reduced subgame at `root`. `cut[v]` marks proper subgame
// roots below `root` whose subtree is replaced by `cut_value[v * roles.stride + p]` (their
// value to game player p, outcome at v included). Every decision node of the reduced subgame
// must belong to one of the roles' players, and the game must have perfect recall (both
// checked by the caller). `seq_of` is scratch of size 2 * num_nodes: on return seq_of[2v + k]
// is role k's sequence at node v of the reduced subgame (the sequence leading to v).
template <class T>
SequenceForm<T> BuildSequenceForm(const Game& game, NodeId root, const std::vector<char>& cut,
                                  const std::vector<T>& cut_value,
                                  std::vector<std::uint32_t>& seq_of, const SequenceRoles& roles = {});

// Turns a realization plan of player p into behaviour probabilities written into `behavior`
// (flat over `index`). A set that the player's
// own plan reaches with probability 0 gets the uniform distribution (any choice there keeps a
// Nash equilibrium of the reduced subgame, which holds no proper subgame of its own).
// Doubles below `zero` count as 0. Returns the number of such unreached sets.
template <class T>
std::size_t PlanToBehavior(const Game& game, const PlayerSequences& seqs,
                           const std::vector<T>& plan, const ActionIndex& index,
                           std::vector<T>& behavior,
                           double zero = 1e-12);

}  // namespace parley::equilibrium
