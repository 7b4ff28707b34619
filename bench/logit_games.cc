// The random three-player games of the logit benchmark (bench/hidden_moves_games.h) as .efg
// files, and a check of a behaviour profile printed by another program (Gambit's
// gambit-logit) against such a file, for bench/compare_gambit_logit.sh:
//
//   logit_games DEPTH SEED                     the game, as .efg, on standard output
//   logit_games --verify GAME.efg [PROFILE]    the largest gain from deviating
//
// PROFILE (standard input when absent or "-") holds one profile as Gambit prints it: the
// probabilities comma-separated, player by player, each player's information sets in the
// order of their numbers in the file, each set's actions in the file's order; a leading
// non-number field ("NE" from gambit-logit -e, or a lambda) is skipped, and of several lines
// the last one is taken. --verify prints "max_gain G" (the largest gain of any player in any
// proper subgame, solver/equilibrium/verify.h) and "equilibrium yes|no" (G <= 1e-9); the
// exit code is 0 either way, 1 for unreadable input.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench/hidden_moves_games.h"
#include "solver/equilibrium/profile.h"
#include "solver/equilibrium/verify.h"
#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "solver/model/error.h"

namespace {

using namespace parley;

// An equilibrium to this gain counts as verified, as everywhere in Parley.
constexpr double kEquilibriumGain = 1e-9;
// A set's probabilities, printed to 17 digits, sum to 1 within rounding; farther off means
// the profile does not belong to this game (or the other program printed too few digits).
constexpr double kSumTolerance = 1e-6;

constexpr const char* kUsage =
    "usage: logit_games DEPTH SEED                  (writes the game as .efg)\n"
    "       logit_games --verify GAME.efg [PROFILE] (largest gain of a Gambit-ordered profile)";

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "error: " << message << "\n";
  std::exit(1);
}

std::uint64_t ParseCount(std::string_view text, const char* what) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    Fail(std::string(what) + " '" + std::string(text) + "' is not a whole number; give one such as 8");
  return value;
}

// The last non-empty line of the text.
std::string LastLine(const std::string& text) {
  std::string last, line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) last = line;
  }
  return last;
}

// The comma-separated numbers of `line`, skipping a first field that is not a number.
std::vector<double> ParseProfile(const std::string& line, const std::string& source) {
  std::vector<double> values;
  std::size_t start = 0;
  for (int field = 1;; ++field) {
    std::size_t comma = line.find(',', start);
    std::string text = line.substr(start, comma == std::string::npos ? comma : comma - start);
    std::size_t b = text.find_first_not_of(" \t"), e = text.find_last_not_of(" \t");
    text = b == std::string::npos ? "" : text.substr(b, e - b + 1);
    char* end = nullptr;
    double value = text.empty() ? 0 : std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
      if (field != 1)
        Fail(source + ": field " + std::to_string(field) + " '" + TruncateForMessage(text) +
             "' is not a number; a profile is comma-separated probabilities");
    } else {
      values.push_back(value);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return values;
}

int Verify(const std::string& game_path, const std::string& profile_path) {
  model::GamePtr game = io::ReadEfg(io::ReadWholeFile(game_path), game_path);
  std::string source = profile_path == "-" ? "standard input" : profile_path;
  std::string text;
  if (profile_path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    text = io::ReadWholeFile(profile_path);
  }
  std::string line = LastLine(text);
  if (line.empty()) Fail(source + ": no profile; expected a line of comma-separated probabilities");
  std::vector<double> given = ParseProfile(line, source);

  // Gambit's order: players in turn, each player's sets by their number, actions in order.
  equilibrium::ActionIndex index(*game);
  std::vector<double> behavior(index.size(), 0.0);
  std::size_t expected = 0;
  for (int p = 0; p < game->num_players(); ++p)
    for (model::InfosetId h : game->player_infosets(p)) expected += game->num_actions(h);
  if (given.size() != expected)
    Fail(source + ": " + std::to_string(given.size()) + " probabilities for a game with " +
         std::to_string(expected) + " actions of its players; is it the profile of " + game_path +
         "?");
  std::size_t k = 0;
  for (int p = 0; p < game->num_players(); ++p) {
    std::vector<model::InfosetId> sets = game->player_infosets(p);
    std::vector<model::InfosetId> by_number(sets.size());
    for (model::InfosetId h : sets) by_number.at(game->infoset_index_in_player(h)) = h;
    for (model::InfosetId h : by_number) {
      double sum = 0;
      for (std::uint32_t a = 0; a < game->num_actions(h); ++a) {
        double x = given[k++];
        if (!(x >= 0 && x <= 1))
          Fail(source + ": probability " + std::to_string(k) + " is " + std::to_string(x) +
               "; probabilities lie in [0, 1]");
        behavior[index(h, a)] = x;
        sum += x;
      }
      if (std::abs(sum - 1) > kSumTolerance)
        Fail(source + ": the probabilities of player " + std::to_string(p + 1) + "'s set " +
             std::to_string(game->infoset_index_in_player(h) + 1) + " sum to " +
             std::to_string(sum) + "; they must sum to 1 (print more digits, e.g. -d 17)");
    }
  }
  for (model::InfosetId h = 0; h < game->num_infosets(); ++h)
    if (game->infoset_player(h) == model::kChancePlayer)
      for (std::uint32_t a = 0; a < game->num_actions(h); ++a)
        behavior[index(h, a)] = game->chance_prob(h, a);

  double gain = equilibrium::MaxSubgameGain(*game, index, behavior);
  std::printf("max_gain %.3g\nequilibrium %s\n", gain, gain <= kEquilibriumGain ? "yes" : "no");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "--verify" && (args.size() == 2 || args.size() == 3))
      return Verify(args[1], args.size() == 3 ? args[2] : "-");
    if (args.size() != 2 || args[0].starts_with("-")) {
      std::cerr << kUsage << "\n";
      return 1;
    }
    std::uint64_t depth = ParseCount(args[0], "DEPTH");
    if (depth < 1 || depth > 20) Fail("DEPTH " + args[0] + " is out of range; give 1 to 20");
    std::uint64_t seed = ParseCount(args[1], "SEED");
    io::WriteEfg(*bench::HiddenMovesGame(static_cast<int>(depth), seed), std::cout);
    return std::cout.flush() ? 0 : 1;
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
