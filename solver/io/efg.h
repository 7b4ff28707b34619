// Gambit's extensive-form file format (.efg, version 2): reader and writer.
// The format: Gambit's documentation, "The .efg file format"; records are in preorder, so the
// reader builds the tree in one pass with an explicit stack (no recursion: a 15,000-deep
// centipede must load).
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "solver/model/game.h"

namespace parley::io {

struct ReadOptions {
  std::size_t max_nodes = 0;  // 0: no limit; past it LimitError
};

// Parses .efg text; `file_name` is used in error messages only. Throws ParseError (with
// file:line:col) on malformed input, ValidationError on an invalid game, LimitError past
// max_nodes.
model::GamePtr ReadEfg(std::string_view text, const std::string& file_name,
                       const ReadOptions& options = {});

// Where node `node` (numbered in preorder, as ReadEfg numbers them: the file's order) begins
// in the .efg text: the line and column of its type letter, for messages about that node.
// Just the file when the text has fewer nodes (or cannot be scanned).
SourceLocation LocateEfgNode(std::string_view text, const std::string& file_name, model::NodeId node);

// Writes the game as .efg text (information sets numbered per player by appearance, outcomes
// numbered by first use). Exact numbers are written as integers or fractions; labels are quoted
// as TextScanner::Quote says, so that ReadEfg gives them back unchanged.
// Throws Error (nothing written) when a payoff cannot be carried by a game file: one whose
// double is subnormal (a scenario's computed 1e-320), which the readers refuse.
// The last line of the comment of a game written from numbers computed in floating point (a
// scenario's formulas: Game::numbers_stated_exactly() false). Each such number is written as
// the shortest decimal that reads back as its double, which as written would state another
// number exactly (0.09999999999999998 for 1 - 0.9); ReadEfg takes the line away and reads
// every number of such a file as the double it stands for, so that the game read back is
// solved as the one written (the tie rule, and --exact's note that the numbers were computed).
inline constexpr std::string_view kComputedMark =
    "[parley] numbers computed in floating point, each written as the shortest decimal of its double";

// `comment` with kComputedMark as its last line when `computed` (the numbers were computed),
// else `comment` itself: the .efg and .nfg writers' comment.
std::string WithComputedMark(const std::string& comment, bool computed);
// The game's comment, with kComputedMark as its last line where its numbers were computed.
std::string WithComputedMark(const model::Game& game);
// Takes kComputedMark away from the end of `comment` (a line of its own, or the whole
// comment); false when it is not there.
bool StripComputedMark(std::string& comment);

void WriteEfg(const model::Game& game, std::ostream& out);
std::string WriteEfgString(const model::Game& game);

// A chance set's probabilities as the .efg and JSON writers spell them: each as the game
// holds it, or as an exact decimal when their exact values do not sum to 1 (decimals read
// within the readers' tolerance), so that the file reads back by the same rule.
std::vector<std::string> ChanceTexts(const model::Game& game, model::InfosetId h);

// Throws Error when a payoff of the game is a number the game readers refuse (a subnormal
// double, below about 2.2e-308, where a double keeps only some of its digits: a scenario may
// compute one), naming the payoff and a node that has it; `format` names the file written.
// The writers call it first, so that Parley never writes a game file it would not read.
void RefuseUnreadablePayoffs(const model::Game& game, std::string_view format);

}  // namespace parley::io
