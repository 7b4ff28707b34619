#include "solver/io/files.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "solver/io/efg.h"
#include "solver/io/game_json.h"
#include "solver/io/nfg.h"
#include "solver/model/error.h"
#include "solver/scenario/scenario.h"

namespace parley::io {

std::string ReadWholeFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(SourceLocation{path}, "is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(SourceLocation{path}, std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw Error(SourceLocation{path}, "cannot read the file");
  return s.str();
}

void WriteFileAtomically(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmp =
      (dir / ("." + target.filename().string() + ".tmp" + std::to_string(::getpid()))).string();
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      throw Error(SourceLocation{path}, std::string("cannot write: ") + std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      throw Error(SourceLocation{path}, "cannot write the file (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw Error(SourceLocation{path}, "cannot replace the file: " + ec.message());
  }
}

std::string Extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

model::GamePtr LoadGame(const std::string& path, const LoadOptions& options) {
  std::string ext = Extension(path);
  if (ext == ".yaml" || ext == ".yml") {
    scenario::ScenarioOptions scenario_options;
    scenario_options.max_nodes = options.max_nodes;
    scenario_options.overrides = options.overrides;
    return scenario::LoadScenario(path, scenario_options)->game;
  }
  if (ext != ".efg" && ext != ".json" && ext != ".nfg")
    throw Error(SourceLocation{path}, "unknown game format '" + ext +
                                          "': Parley reads .efg and .nfg (Gambit), .json (Parley game) "
                                          "and .yaml/.yml (scenario) files");
  if (!options.overrides.empty())
    throw Error(SourceLocation{path}, "--set applies to scenario files (.yaml); a " + ext +
                                          " game has no parameters");
  std::string text = ReadWholeFile(path);
  ReadOptions read;
  read.max_nodes = options.max_nodes;
  if (ext == ".efg") return ReadEfg(text, path, read);
  if (ext == ".nfg") {  // a strategic form becomes a tree of simultaneous moves
    NfgReadOptions nfg;
    nfg.max_cells = options.max_nodes;
    return ReadNfg(text, path, nfg).ToExtensive();
  }
  return ReadGameJson(text, path, read);
}

}  // namespace parley::io
