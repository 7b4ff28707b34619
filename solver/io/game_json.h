// Parley's own JSON game format: the tree in preorder with information sets and outcomes in
// tables, numbers as exact strings ("1/3") or JSON numbers.
//
//   { "format": "parley.game", "version": 1, "title": "...", "players": ["A", "B"],
//     "infosets": [ {"player": 1, "label": "", "actions": ["L", "R"]},
//                   {"player": "chance", "actions": ["H", "T"], "probabilities": ["1/2", "1/2"]} ],
//     "outcomes": [ {"label": "", "payoffs": ["3", "-1/2"]} ],
//     "nodes": [ {"infoset": 0}, {"outcome": 0}, {"outcome": 1, "label": "x"} ] }
//
// Players are numbered from 1 as in .efg files; information sets and outcomes from 0. A node
// with an "infoset" has as many children as the set has actions; they follow it in preorder.
#pragma once

#include <string>
#include <string_view>

#include "solver/io/efg.h"
#include "solver/model/game.h"

namespace parley::io {

model::GamePtr ReadGameJson(std::string_view text, const std::string& file_name,
                            const ReadOptions& options = {});
std::string WriteGameJson(const model::Game& game);

}  // namespace parley::io
