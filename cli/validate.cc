// parley validate GAME: load, validate, and summarise in one line.
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"

namespace parley::cli {
namespace {

struct ValidateCommand {
  GameInput input;

  std::function<int()> Setup(CLI::App& app) {
    AddGameInput(app, input);
    return [this] { return Run(); };
  }

  int Run() {
    auto game = load::LoadInput(input.path, ToLoadOptions(input)).game;
    std::size_t personal = 0;
    for (model::InfosetId h = 0; h < game->num_infosets(); ++h)
      if (game->infoset_player(h) != model::kChancePlayer) ++personal;
    auto s = [](std::size_t n) { return n == 1 ? "" : "s"; };
    std::cout << input.path << ": valid; " << game->num_players() << " player" << s(game->num_players()) << " (";
    for (int p = 0; p < game->num_players(); ++p)
      std::cout << (p ? ", " : "") << game->player_name(p);
    std::cout << "), " << game->num_nodes() << " node" << s(game->num_nodes()) << ", " << game->num_terminals()
              << " terminal, " << personal << " information set" << s(personal) << ", "
              << (game->perfect_information() ? "perfect information"
                                              : "imperfect information")
              << (game->has_chance() ? ", with chance moves" : "") << "\n";
    return 0;
  }
};

ValidateCommand validate_command;
PARLEY_REGISTER_COMMAND(validate, "validate", "Check a game file and summarise it", 20,
                        [](CLI::App& app) { return validate_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
