// parley: a game-theoretic bargaining solver. main only wires up the subcommands (one file
// each, registered through cli/command.h) and turns errors into one line and an exit code:
// 0 success, 1 bad input, 2 usage error.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "solver/model/error.h"

namespace parley::cli {
std::vector<Command>& Commands() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace parley::cli

int main(int argc, char** argv) {
  using parley::cli::Commands;
  CLI::App app{"Parley: extensive-form games, subgame-perfect equilibria and bargaining",
               "parley"};
  app.set_version_flag(
      "--version",
      std::string("parley ") + PARLEY_VERSION +
          "\nLicence GPL-3.0-or-later: GNU GPL version 3 or later "
          "<https://www.gnu.org/licenses/gpl-3.0.html>.\n"
          "This is free software: you are free to change and redistribute it.\n"
          "There is NO WARRANTY, to the extent permitted by law."
#ifdef PARLEY_WITH_CLP_LIBRARY
          "\nThis build links COIN-OR CLP (EPL-1.0): for private use only, not to be "
          "distributed."
#endif
  );
  app.require_subcommand(1);
  auto& commands = Commands();
  std::sort(commands.begin(), commands.end(),
            [](const auto& a, const auto& b) { return a.order < b.order; });
  std::function<int()> action;
  for (auto& command : commands) {
    CLI::App* sub = app.add_subcommand(command.name, command.description);
    auto run = command.setup(*sub);
    sub->callback([&action, run] { action = run; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    return action ? action() : 0;
  } catch (const parley::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory (lower --max-nodes or simplify the game)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 3;
  }
}
