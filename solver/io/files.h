// Reading whole files, writing files atomically, the formats Parley reads (by extension, here
// only), and reading a game file in one of io's own formats. Scenario files are a format io
// names but does not read: solver/load reads every input (load::LoadInput).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "solver/model/error.h"
#include "solver/model/game.h"

namespace parley::io {

// The whole file; throws parley::Error naming the file when it cannot be read.
std::string ReadWholeFile(const std::string& path);
// Where byte `byte` of `text` is, as `file`:line:col (1-based; past the end, just after the
// last character).
SourceLocation LocationOfByte(std::string_view text, const std::string& file, std::size_t byte);

// Writes `content` to a temporary file beside `path`, then renames it over `path`: readers
// see the old file or the new one, never a half-written one. The temporary file has an
// unpredictable name and is created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW), so a link planted
// in the folder cannot redirect the write; it gets the replaced file's permission bits (a new
// file gets 0666 less the umask), is flushed to disk (fsync) before the rename, and is removed
// on any error and on SIGINT/SIGTERM. A symbolic link at `path` is followed (the file it
// points to is replaced); a character device or FIFO (`/dev/stdout`) is written directly.
// Throws parley::Error when `path` is a file this process has read as an input (same device
// and inode, however the path is spelled), when it is read-only by its mode bits (checked
// even for root, whom access(2) would let write), and when it cannot be written.
void WriteFileAtomically(const std::string& path, const std::string& content);

// A temporary file beside `path` being written, registered for removal on SIGINT/SIGTERM until
// Commit() renames it over `path` or the destructor removes it. WriteFileAtomically is the
// usual way in; this class exists for writers that produce their output piece by piece (and
// for the tests of the signal path).
class AtomicFile {
 public:
  explicit AtomicFile(const std::string& path);  // checks the target, creates the temporary
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void Write(std::string_view bytes);
  void Commit();  // fsync, rename over the target, fsync the folder
  const std::string& temporary_path() const { return temporary_; }

 private:
  void Abandon() noexcept;
  std::string target_;
  std::string temporary_;
  int fd_ = -1;
  int slot_ = -1;       // in the signal handler's registry
  bool direct_ = false; // a device or FIFO: written in place
};

// Removes every temporary file an AtomicFile has open. Async-signal-safe: for signal handlers
// that end the program themselves (SIGINT/SIGTERM without a handler of the program's own are
// covered already).
void RemoveTemporaries() noexcept;

// Records a file as an input of this process (ReadWholeFile does so for every file it reads),
// so that WriteFileAtomically refuses to replace it.
void RegisterInput(const std::string& path);

// The default for --max-nodes: what half of this machine's memory (or of the control group's
// limit, when lower) holds at kBytesPerNode bytes a node, at least 1 M nodes.
inline constexpr std::size_t kBytesPerNode = 128;
std::size_t DefaultMaxNodes();

// The input formats, told apart by the file's extension in FormatOf: the one place Parley
// decides a format by a file's name.
enum class InputFormat {
  kEfg,       // ".efg": Gambit extensive form
  kNfg,       // ".nfg": Gambit strategic form (read as a tree of simultaneous moves)
  kGameJson,  // ".json": Parley's own game JSON
  kScenario,  // ".yaml", ".yml": a scenario file (read by solver/scenario through solver/load)
};

// The format of `path` by its extension (any case); nullopt for an extension Parley does not
// read (or none).
std::optional<InputFormat> FindFormat(const std::string& path);
// The same, but throws parley::Error naming the file and
// the formats Parley reads when the extension is none of them.
InputFormat FormatOf(const std::string& path);

// A game file in one of the formats io reads itself (.efg, .nfg, .json), with at most
// `max_nodes` nodes (past that, LimitError). Throws parley::Error subclasses with
// file:line:col; a scenario file is refused (commands load every input through
// load::LoadInput, which reads scenarios too).
model::GamePtr LoadGame(const std::string& path, std::size_t max_nodes = DefaultMaxNodes());

// The lowercase extension of a path including the dot ("" if none).
std::string Extension(const std::string& path);

}  // namespace parley::io
