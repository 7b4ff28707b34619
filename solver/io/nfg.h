// Gambit's strategic-form file format (.nfg, version 1): reader and writer. The format is
// described in ../shared/gambit-games/FORMAT.md (Gambit's documentation, "The .nfg file
// format"): a header with the players and either strategy counts or strategy labels, then
// either a flat payoff list or an outcome list followed by one outcome number per cell, cells
// in the order where player 1's strategy changes fastest.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "solver/model/normal_form.h"

namespace parley::io {

struct NfgReadOptions {
  std::size_t max_cells = 50'000'000;  // past it LimitError
};

// Parses .nfg text; `file_name` is used in messages. Throws ParseError with file:line:col on
// malformed input (wrong counts, unknown outcome numbers, trailing tokens).
model::NormalFormGame ReadNfg(std::string_view text, const std::string& file_name,
                              const NfgReadOptions& options = {});

// Writes strategy labels and, when the game has an outcome list, the outcome-list body;
// otherwise a flat payoff list. Exact numbers are written as integers or fractions; labels are
// quoted as TextScanner::Quote says, so that ReadNfg gives them back unchanged.
void WriteNfg(const model::NormalFormGame& game, std::ostream& out);
std::string WriteNfgString(const model::NormalFormGame& game);

}  // namespace parley::io
