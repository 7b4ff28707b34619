// All extreme Nash equilibria of a two-player game, exactly, by vertex enumeration of the
// best-response polytopes (Mangasarian 1964; Avis, Rosenberg, Savani and von Stengel 2010,
// "Enumeration of Nash equilibria for two-player games", Economic Theory 42):
//   with payoffs made positive, P = {x >= 0 : B'x <= 1} and Q = {y >= 0 : A y <= 1};
//   label i (a row) marks x_i = 0 in P and (A y)_i = 1 in Q, label m + j (a column) marks
//   (B'x)_j = 1 in P and y_j = 0 in Q; a pair of nonzero vertices (x, y) whose labels cover
//   all m + n is an extreme equilibrium (x / sum x, y / sum y), and every extreme equilibrium
//   arises so, degenerate games included. Vertices are found by pivoting through each
//   polytope's vertex graph in exact rationals, from the vertex 0, with the lexicographic
//   ratio test at degenerate vertices; a guard on the number of bases visited stops it on
//   large tables.
//
// Extensive games go through their reduced strategic form: a player's reduced pure
// strategies are the pure realization plans (one action at every set their own earlier
// choices do not exclude; von Stengel 1996), the payoff of a pair is the sequence-form sum
// over the leaves both reach. Each mixed equilibrium becomes a realization plan (the
// probability of each sequence) and then behaviour strategies; those that are not subgame
// perfect (checked exactly in every proper subgame) are dropped.
#pragma once

#include <cstddef>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/model/game.h"
#include "solver/model/number.h"

namespace parley::equilibrium {

struct Bimatrix {
  std::size_t rows = 0, cols = 0;
  std::vector<Rational> a, b;  // row-major payoffs of players 1 and 2
};

struct MixedPair {
  std::vector<Rational> x, y;  // mixed strategies (sum 1)
  Rational u, v;               // expected payoffs of players 1 and 2
};

// Every extreme equilibrium, each once, in a deterministic order. Throws LimitError when the
// vertex search visits more than max_bases bases of either polytope.
std::vector<MixedPair> ExtremeEquilibria(const Bimatrix& game, std::size_t max_bases = 200'000);

struct EnumerationOptions {
  std::size_t max_strategies = 200;  // per player, in the reduced strategic form
  std::size_t max_equilibria = 1000;
};

// The extreme Nash equilibria of a two-player extensive game's reduced strategic form, as
// behaviour profiles, keeping those that are subgame perfect (max_gain 0, exact). Throws
// UnsupportedError unless the game has two players and perfect recall; LimitError past the
// size guards (saying which).
Solution EnumerateExtremeEquilibria(const model::Game& game, const EnumerationOptions& options = {});

}  // namespace parley::equilibrium
