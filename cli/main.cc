// parley: a game-theoretic bargaining solver. main only wires up the subcommands (one file
// each, registered through cli/command.h) and turns errors into one line and an exit code:
// 0 success, 1 bad input, 2 usage error, 3 a bug (an internal check failed).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/command.h"
#include "solver/load/load.h"
#include "solver/model/error.h"

namespace parley::cli {
std::vector<Command>& Commands() {
  static std::vector<Command> commands;
  return commands;
}
// The inputs named on the command line (the subcommand's positional arguments), for the
// message of an internal error.
std::string InputNames(const CLI::App& app) {
  std::string names;
  for (const CLI::App* sub : app.get_subcommands())
    for (const CLI::Option* option : sub->get_options())
      if (option->get_positional())
        for (const std::string& value : option->results()) names += (names.empty() ? "" : ", ") + value;
  return names.empty() ? "the command line" : "the input " + names;
}

// `text` split at the first `separator`: {before, after}, or nothing when it is not there.
std::optional<std::pair<std::string, std::string>> SplitAt(const std::string& text, const std::string& separator) {
  const std::size_t at = text.find(separator);
  if (at == std::string::npos) return std::nullopt;
  return std::pair{text.substr(0, at), text.substr(at + separator.size())};
}

// CLI11's own messages for the usage errors it finds itself, in Parley's words: what is wrong
// and what would be right. Messages Parley's validators wrote pass through unchanged: only the
// error classes CLI11 raises itself are reworded.
std::string Reworded(const CLI::ParseError& error, const CLI::App& app) {
  const std::string what = error.what();
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error)) {
    const auto named = SplitAt(what, ": ");
    // "NAME: At Most 1 required but received 2"
    if (const auto counts = named ? SplitAt(named->second, "At Most ") : std::nullopt; counts && counts->first.empty())
      if (const auto most = SplitAt(counts->second, " required but received ")) {
        return named->first + " is given " + most->second + " times; give it " +
               (most->first == "1" ? "once" : "at most " + most->first + " times");
      }
    // "NAME: 1 required TYPE missing", TYPE being TEXT, FLOAT, ..., or TEXT:{a,b,c} when the
    // values are listed.
    if (const auto type = named ? SplitAt(named->second, " required ") : std::nullopt;
        type && !type->first.empty() && std::all_of(type->first.begin(), type->first.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) &&
        type->second.ends_with(" missing")) {
      const std::string& kind = type->second;
      const auto open = kind.find('{'), close = kind.rfind('}');
      std::string values;
      if (open != std::string::npos && close != std::string::npos && close > open) {
        values = kind.substr(open + 1, close - open - 1);
        for (std::size_t at = values.find(','); at != std::string::npos; at = values.find(',', at + 2))
          values.replace(at, 1, ", ");
      }
      return named->first + " needs a value" + (values.empty() ? "" : ": one of " + values);
    }
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
    if (const auto listed = SplitAt(what, " not expected: ")) {
      // CLI11 lists them last first.
      std::vector<std::string> words;
      std::istringstream list(listed->second);
      for (std::string word; list >> word;) words.insert(words.begin(), "'" + word + "'");
      const bool option =
          std::all_of(words.begin(), words.end(), [](const std::string& w) { return w.size() > 1 && w[1] == '-'; });
      std::string named = std::string(option ? "unknown option" : "unexpected argument") + (words.size() > 1 ? "s" : "");
      for (std::size_t k = 0; k < words.size(); ++k) named += (k == 0 ? " " : ", ") + words[k];
      return named;
    }
  }
  if (dynamic_cast<const CLI::ConversionError*>(&error)) {
    // "Could not convert: NAME = VALUE"
    const auto converted = SplitAt(what, "Could not convert: ");
    if (const auto value = converted && converted->first.empty() ? SplitAt(converted->second, " = ") : std::nullopt) {
      // What the option takes, from its type: CLI11 names it INT, UINT, FLOAT, TEXT...
      std::string takes = "a value it takes";
      for (const CLI::App* sub : app.get_subcommands())
        if (const CLI::Option* option = sub->get_option_no_throw(value->first)) {
          const std::string full = option->get_type_name(), type = full.substr(0, full.find(':'));
          if (type == "UINT") takes = "a whole number of at least 0";
          else if (type == "INT") takes = "a whole number";
          else if (type == "FLOAT") takes = "a number";
        }
      return value->first + ": '" + value->second + "' is not " + takes;
    }
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&error))
    if (const auto pair = SplitAt(what, " excludes ")) return pair->first + " and " + pair->second + " cannot be given together";
  if (dynamic_cast<const CLI::RequiresError*>(&error))
    if (const auto pair = SplitAt(what, " requires ")) return pair->first + " needs " + pair->second + " too";
  return what;
}

// The subcommand's first positional argument, the game or scenario file of the commands that
// read one ("" when there is none).
std::string GamePath(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands())
    for (const CLI::Option* option : sub->get_options())
      if (option->get_positional() && !option->results().empty()) return option->results().front();
  return "";
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
  // A file-size limit (ulimit -f) ends a process with SIGXFSZ and leaves the output's
  // temporary file behind; ignored, the write fails with EFBIG, which the writers report and
  // clean up after like any other failed write.
  std::signal(SIGXFSZ, SIG_IGN);
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
  // An unknown first word is named, with the commands there are (CLI11 would only say that
  // a subcommand is required).
  if (argc > 1 && argv[1][0] != '-') {
    std::string word = argv[1], known;
    bool found = false;
    for (const auto& command : commands) {
      found = found || command.name == word;
      known += (known.empty() ? "" : ", ") + command.name;
    }
    if (!found) {
      std::cerr << "error: unknown command '" << word << "'; the commands are: " << known
                << " (parley --help describes them)\n";
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    // Usage errors are one line starting with "error:", like every other error, and say
    // where to look (the subcommand's own --help when one was given).
    std::string where = "parley";
    for (const CLI::App* sub : app.get_subcommands()) where += " " + sub->get_name();
    std::cerr << "error: " << parley::cli::Reworded(e, app) << " (" << where << " --help lists the options)\n";
    return 2;
  }
  try {
    const int code = action ? action() : 0;
    // What went to standard output must have arrived: a full disk or /dev/full fails the
    // writes silently, and a cut JSON file with exit code 0 looks like a good one.
    std::cout.flush();
    const bool failed = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout);
    if (failed) {
      const int why = errno;
      std::cerr << "error: could not write the output to standard output"
                << (why != 0 ? std::string(" (") + std::strerror(why) + ")" : std::string()) << "\n";
      return 1;
    }
    return code;
  } catch (const parley::Error& e) {
    // An error about a node of the game (a subgame the solver cannot take) is located in the
    // game's file: the node's line in an .efg.
    if (e.node() && e.where().file.empty())
      if (std::string path = parley::cli::GamePath(app); !path.empty()) {
        std::cerr << "error: "
                  << parley::Error(parley::load::LocateNode(path, *e.node()), e.message()).what() << "\n";
        return 1;
      }
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory (lower --max-nodes or simplify the game)\n";
    return 1;
  } catch (const parley::InternalError& e) {
    // A failed PARLEY_CHECK: a bug in Parley, never the user's mistake and never retried.
    std::string what = e.what(), prefix = "internal error: ";
    if (what.rfind(prefix, 0) == 0) what.erase(0, prefix.size());
    std::cerr << "internal error: " << what << " (a bug in Parley; please report it with "
              << parley::cli::InputNames(app) << ")\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 3;
  }
}
