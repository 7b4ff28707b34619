#include "cli/common.h"

#include <iostream>

namespace parley::cli {

void AddGameInput(CLI::App& app, GameInput& input) {
  app.add_option("game", input.path, "Game file: .efg (Gambit), .json (Parley), .yaml (scenario)")
      ->required();
  app.add_option("--max-nodes", input.max_nodes,
                 "Stop with an error when the game tree has more nodes than this (the default "
                 "is what half of this machine's memory holds at about " +
                     std::to_string(io::kBytesPerNode) +
                     " bytes a node; raise it when the game needs more and the memory is there)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--set", input.overrides,
                 "Override a scenario parameter, NAME=VALUE (repeatable)");
}

void AddFormat(CLI::App& app, std::string& format, const std::vector<std::string>& allowed) {
  format = allowed.front();
  app.add_option("--format", format, "Output format")
      ->check(CLI::IsMember(allowed))
      ->capture_default_str();
}

load::LoadOptions ToLoadOptions(const GameInput& input) {
  load::LoadOptions options;
  options.max_nodes = input.max_nodes;
  options.overrides = input.overrides;
  return options;
}

void Emit(const std::string& text, const std::string& path) {
  if (path.empty() || path == "-") {
    std::cout << text;
    std::cout.flush();
  } else {
    io::WriteFileAtomically(path, text);
  }
}

void EmitPieces(const std::string& path,
                const std::function<void(const std::function<void(std::string_view)>&)>& write) {
  if (path.empty() || path == "-") {
    write([](std::string_view piece) { std::cout.write(piece.data(), static_cast<std::streamsize>(piece.size())); });
    std::cout.flush();
    return;
  }
  io::AtomicFile file(path);
  write([&file](std::string_view piece) { file.Write(piece); });
  file.Commit();
}

}  // namespace parley::cli
