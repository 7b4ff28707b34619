// Subcommand registration. Each cli/<name>.cc defines an options struct, a Setup function
// that declares its options on a CLI11 subcommand, and a Run function; it registers itself
// with PARLEY_REGISTER_COMMAND so that main.cc only wires them up.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace parley::cli {

struct Command {
  std::string name;
  std::string description;
  int order;  // position in --help
  // Declares options on `app` and returns the action to run once parsing succeeded.
  std::function<std::function<int()>(CLI::App& app)> setup;
};

std::vector<Command>& Commands();

struct Registrar {
  explicit Registrar(Command command) { Commands().push_back(std::move(command)); }
};

}  // namespace parley::cli

#define PARLEY_REGISTER_COMMAND(var, ...) \
  static const ::parley::cli::Registrar var##_registrar { ::parley::cli::Command{__VA_ARGS__} }
