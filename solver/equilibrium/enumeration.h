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
// Extensive games are enumerated subgame by subgame, bottom-up (Selten 1975): each proper
// subgame, with the subgames inside it replaced by the values of their equilibria, is a
// reduced game whose reduced strategic form (pure realization plans, von Stengel 1996) is
// enumerated as above, once for every combination of equilibria chosen below it. Each mixed
// equilibrium becomes realization plans and then behaviour strategies (uniform at sets a
// player's own plan excludes, which no proper subgame holds). Every composition is subgame
// perfect and is verified exactly; every pure subgame-perfect equilibrium is among them, but
// not every mixed one (mixtures of listed ones are not listed).
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
// vertex search visits more than max_bases bases of either polytope, or when the work passes
// its budget (about 15 s).
inline constexpr std::size_t kDefaultMaxBases = 200'000;
std::vector<MixedPair> ExtremeEquilibria(const Bimatrix& game,
                                         std::size_t max_bases = kDefaultMaxBases);

struct EnumerationOptions {
  std::size_t max_strategies = 200;  // per player, in the reduced strategic form
  std::size_t max_equilibria = 1000;
  std::size_t max_bases = kDefaultMaxBases;  // per polytope, as in ExtremeEquilibria
};

// The compositions of extreme equilibria of a two-player extensive game's reduced subgames
// (above), as behaviour profiles (max_gain 0, exact); at most max_equilibria per subgame
// (Solution::truncated says when the cap cut a list). Equilibria are handed on as they are
// found: when a guard (bases, work) stops the enumeration of the whole game's reduced form,
// those found are returned with Solution::complete false and the guard named. Throws
// UnsupportedError unless the game has two players and perfect recall; LimitError past the
// size guards (saying which) when nothing of the whole game was found yet.
Solution EnumerateExtremeEquilibria(const model::Game& game, const EnumerationOptions& options = {});

}  // namespace parley::equilibrium
