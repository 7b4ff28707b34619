// Random three-player games with hidden moves, for the logit tracer's benchmark and for the
// comparison with Gambit's gambit-logit (bench/logit_games.cc writes them as .efg): a full
// binary tree `depth` moves deep, players moving in turn (level d: player d mod 3), each mover
// seeing the whole history except the two moves just before its own (so information sets hold
// four nodes, the players keep perfect recall, and the whole game is the only proper
// subgame); payoffs random integers 0-100 drawn by std::mt19937_64 from `seed`. About one
// information set per eight nodes: depth 12 has 8,191 nodes and 1,023 personal information
// sets. The same depth and seed always give the same game (docs/performance.md relies on it).
#pragma once

#include <cstdint>

#include "solver/model/game.h"

namespace parley::bench {

model::GamePtr HiddenMovesGame(int depth, std::uint64_t seed);

}  // namespace parley::bench
