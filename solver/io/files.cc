#include "solver/io/files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>

#include "solver/io/efg.h"
#include "solver/io/game_json.h"
#include "solver/io/nfg.h"
#include "solver/model/error.h"

namespace parley::io {

namespace {

// ---- Inputs of this process, by device, inode and status-change time. The time keeps a
// long-lived process (tests, the Python module) from mistaking a new file that reuses a freed
// inode for an input it read long ago.
struct InputId {
  dev_t device;
  ino_t inode;
  std::int64_t ctime_ns;
};
std::mutex g_inputs_mutex;
std::deque<InputId> g_inputs;
constexpr std::size_t kMaxInputs = 4096;

std::int64_t ChangeTime(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
}

bool IsInput(const struct stat& st) {
  std::lock_guard<std::mutex> lock(g_inputs_mutex);
  for (const InputId& id : g_inputs)
    if (id.device == st.st_dev && id.inode == st.st_ino && id.ctime_ns == ChangeTime(st))
      return true;
  return false;
}

// ---- Temporaries to remove on SIGINT/SIGTERM. The handler may run at any moment on any
// thread, so it only reads fixed buffers and calls unlink, sigaction and raise (all
// async-signal-safe). A slot is free (0), being filled (1), or armed (2).
constexpr int kSlots = 16;
constexpr std::size_t kSlotPath = 4096;
std::atomic<int> g_slot_state[kSlots];
char g_slot_path[kSlots][kSlotPath];

extern "C" void RemoveTemporariesAndReraise(int signal_number) {
  RemoveTemporaries();
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(signal_number, &dfl, nullptr);
  ::raise(signal_number);
}

// Installs the handler for SIGINT and SIGTERM where their disposition is the default (checked
// at every temporary: two system calls), not where the program handles the signal itself:
// the analysis commands turn the first Ctrl-C into a clean stop, after which the write
// finishes or fails and removes its temporary as on any error (and their second Ctrl-C calls
// RemoveTemporaries before it ends the program).
void InstallHandlers() {
  for (int signal_number : {SIGINT, SIGTERM}) {
    struct sigaction old {};
    if (::sigaction(signal_number, nullptr, &old) != 0) continue;
    if (old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO)) continue;
    struct sigaction act {};
    act.sa_handler = RemoveTemporariesAndReraise;
    sigemptyset(&act.sa_mask);
    ::sigaction(signal_number, &act, nullptr);
  }
}

int ArmSlot(const std::string& path) {
  InstallHandlers();
  if (path.size() >= kSlotPath) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (g_slot_state[i].compare_exchange_strong(expected, 1)) {
      std::memcpy(g_slot_path[i], path.c_str(), path.size() + 1);
      g_slot_state[i].store(2);
      return i;
    }
  }
  return -1;  // more than kSlots writes at once: this one is still removed on error
}

void DisarmSlot(int slot) {
  if (slot >= 0) g_slot_state[slot].store(0);
}

// An unpredictable suffix from the kernel's random source.
std::string RandomSuffix() {
  unsigned char bytes[8];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    std::random_device device;  // reads the same source another way
    for (auto& b : bytes) b = static_cast<unsigned char>(device());
  }
  static const char kDigits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (unsigned char b : bytes) {
    out += kDigits[b % 36];
    out += kDigits[(b / 36) % 36];
  }
  return out;
}

std::string ModeText(mode_t mode) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

// True when the permission bits of `st` let this user write: the owner's bits for the owner
// and for root, the group's for the group, the others' otherwise.
bool ModeAllowsWriting(const struct stat& st) {
  uid_t uid = ::geteuid();
  if (uid == 0 || uid == st.st_uid) return st.st_mode & S_IWUSR;
  if (::getegid() == st.st_gid) return st.st_mode & S_IWGRP;
  return st.st_mode & S_IWOTH;
}

[[noreturn]] void FailErrno(const std::string& path, const std::string& what) {
  throw Error(SourceLocation{path}, what + ": " + std::strerror(errno));
}

}  // namespace

void RemoveTemporaries() noexcept {
  for (int i = 0; i < kSlots; ++i)
    if (g_slot_state[i].load() == 2) ::unlink(g_slot_path[i]);
}

void RegisterInput(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  std::lock_guard<std::mutex> lock(g_inputs_mutex);
  if (g_inputs.size() >= kMaxInputs) g_inputs.pop_front();
  g_inputs.push_back({st.st_dev, st.st_ino, ChangeTime(st)});
}

SourceLocation LocationOfByte(std::string_view text, const std::string& file, std::size_t byte) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {file, line, column};
}

std::string ReadWholeFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(SourceLocation{path}, "is a folder, not a file");
  // Read straight into a string of the file's size: large games are tens of megabytes, and a
  // string stream would copy them twice and grow step by step.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(SourceLocation{path}, std::string("cannot open: ") + std::strerror(errno));
  RegisterInput(path);
  struct stat st {};
  std::string text;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t size = 0;
  char more[1 << 16];  // past the expected size (a file that grew, a pipe)
  for (;;) {
    const bool room = size < text.size();
    const ssize_t got = room ? ::read(fd, text.data() + size, text.size() - size)
                             : ::read(fd, more, sizeof more);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      ::close(fd);
      throw Error(SourceLocation{path}, "cannot read the file");
    }
    if (got == 0) break;
    if (!room) text.append(more, static_cast<std::size_t>(got));
    size += static_cast<std::size_t>(got);
  }
  ::close(fd);
  text.resize(size);
  return text;
}

namespace {

// The bytes of a game file for a reader that looks at them only while it runs. A regular file
// is mapped read-only and its pages populated at once: a file of tens of megabytes read into a
// string is zero-filled, then copied, page by page, which costs about as much as scanning it.
// Anything else (a pipe, an empty file, a failed mapping) is read by ReadWholeFile, whose
// errors it keeps. (A mapped file truncated by another process while it is read would end
// the program with SIGBUS; a file being rewritten under the reader is not supported.)
class InputBytes {
 public:
  explicit InputBytes(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        struct stat st {};
        if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
          const auto size = static_cast<std::size_t>(st.st_size);
          void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
          if (map != MAP_FAILED) {
            map_ = map;
            size_ = size;
            RegisterInput(path);
          }
        }
        ::close(fd);
      }
    }
    if (map_ == nullptr) copy_ = ReadWholeFile(path);
  }
  ~InputBytes() {
    if (map_ != nullptr) ::munmap(map_, size_);
  }
  InputBytes(const InputBytes&) = delete;
  InputBytes& operator=(const InputBytes&) = delete;

  std::string_view text() const {
    return map_ != nullptr ? std::string_view(static_cast<const char*>(map_), size_)
                           : std::string_view(copy_);
  }

 private:
  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string copy_;
};

}  // namespace

AtomicFile::AtomicFile(const std::string& path) : target_(path) {
  namespace fs = std::filesystem;
  if (path.empty()) throw Error("the output file name is empty");
  struct stat st {};
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) FailErrno(path, "cannot write");
  if (!exists) {
    // A symbolic link to a file that does not exist yet is followed, as for an existing one:
    // the file it names is created (a shell's > does the same), and the link stays.
    std::error_code ec;
    fs::path link(path);
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(link, ec)); ++hops) {
      fs::path next = fs::read_symlink(link, ec);
      if (ec) break;
      link = next.is_absolute() ? next : (link.has_parent_path() ? link.parent_path() : fs::path(".")) / next;
    }
    // (A loop of links never gets here: stat above fails with ELOOP.)
    if (link != fs::path(path)) {
      fs::path folder = link.has_parent_path() ? link.parent_path() : fs::path(".");
      if (!fs::is_directory(folder, ec))
        throw Error(SourceLocation{path}, "is a symbolic link to " + link.lexically_normal().string() +
                                              ", whose folder does not exist; create it or choose another output file");
      target_ = link.string();
    }
  }
  if (exists) {
    if (S_ISDIR(st.st_mode))
      throw Error(SourceLocation{path}, "is a folder; give a file name for the output");
    if (IsInput(st))
      throw Error(SourceLocation{path},
                  "is also an input of this command; writing the output there would replace "
                  "it: choose another output file");
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
      fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd_ < 0) FailErrno(path, "cannot write");
      direct_ = true;
      return;
    }
    if (!S_ISREG(st.st_mode))
      throw Error(SourceLocation{path}, "is not a regular file; choose another output file");
    if (!ModeAllowsWriting(st))
      throw Error(SourceLocation{path},
                  "is read-only (mode " + ModeText(st.st_mode) +
                      "); Parley does not replace a read-only file: make it writable "
                      "(chmod u+w) or choose another output file");
    // Replace the file a symbolic link points to, not the link.
    std::error_code ec;
    fs::path real = fs::canonical(path, ec);
    if (!ec) target_ = real.string();
  }
  fs::path target(target_);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // O_EXCL makes open fail on any existing name, a symbolic link included (O_NOFOLLOW says so
  // once more); 0666 is narrowed by the umask as for any new file.
  for (int attempt = 0; fd_ < 0; ++attempt) {
    temporary_ = (dir / ("." + target.filename().string() + "." + RandomSuffix() + ".tmp")).string();
    fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd_ < 0 && (errno != EEXIST || attempt == 8)) {
      int saved = errno;
      temporary_.clear();
      errno = saved;
      FailErrno(path, "cannot write in its folder");
    }
  }
  slot_ = ArmSlot(temporary_);
  if (exists) {
    // The replaced file's permissions (and, for root, its owner); set before any byte is
    // written, so the content is never readable more widely than the file it replaces.
    if (::geteuid() == 0 && (st.st_uid != 0 || st.st_gid != 0))
      (void)!::fchown(fd_, st.st_uid, st.st_gid);
    if (::fchmod(fd_, st.st_mode & 0777) != 0) {
      int saved = errno;
      Abandon();
      errno = saved;
      FailErrno(path, "cannot set the permissions of the new file");
    }
  }
}

AtomicFile::~AtomicFile() { Abandon(); }

void AtomicFile::Abandon() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
  temporary_.clear();
  DisarmSlot(slot_);
  slot_ = -1;
}

void AtomicFile::Write(std::string_view bytes) {
  if (fd_ < 0) throw Error(SourceLocation{target_}, "cannot write: the file is closed");
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int saved = errno;
      Abandon();
      errno = saved;
      FailErrno(target_, "cannot write the file");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void AtomicFile::Commit() {
  if (fd_ < 0) throw Error(SourceLocation{target_}, "cannot write: the file is closed");
  if (direct_) {
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) FailErrno(target_, "cannot write the file");
    return;
  }
  if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
    int saved = errno;
    fd_ = -1;
    Abandon();
    errno = saved;
    FailErrno(target_, "cannot write the file (disk full?)");
  }
  fd_ = -1;
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    int saved = errno;
    Abandon();
    errno = saved;
    FailErrno(target_, "cannot replace the file");
  }
  temporary_.clear();
  DisarmSlot(slot_);
  slot_ = -1;
  // The rename itself reaches the disk with the folder.
  std::filesystem::path target(target_);
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    (void)::fsync(dir_fd);
    ::close(dir_fd);
  }
}

void WriteFileAtomically(const std::string& path, const std::string& content) {
  AtomicFile file(path);
  file.Write(content);
  file.Commit();
}

std::size_t DefaultMaxNodes() {
  long pages = ::sysconf(_SC_PHYS_PAGES), page_size = ::sysconf(_SC_PAGE_SIZE);
  std::uint64_t memory = pages > 0 && page_size > 0
                             ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size)
                             : std::uint64_t{8} << 30;
  // A container's limit (cgroup v2), which sysconf does not see.
  std::ifstream limit("/sys/fs/cgroup/memory.max");
  std::uint64_t cgroup = 0;
  if (limit >> cgroup && cgroup > 0) memory = std::min(memory, cgroup);
  std::uint64_t nodes = memory / 2 / kBytesPerNode;
  nodes = std::clamp<std::uint64_t>(nodes, 1'000'000, std::uint64_t{1} << 31);
  return static_cast<std::size_t>(nodes);
}

std::string Extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

std::optional<InputFormat> FindFormat(const std::string& path) {
  std::string ext = Extension(path);
  if (ext == ".efg") return InputFormat::kEfg;
  if (ext == ".nfg") return InputFormat::kNfg;
  if (ext == ".json") return InputFormat::kGameJson;
  if (ext == ".yaml" || ext == ".yml") return InputFormat::kScenario;
  return std::nullopt;
}

InputFormat FormatOf(const std::string& path) {
  if (std::optional<InputFormat> format = FindFormat(path)) return *format;
  std::string ext = Extension(path);
  throw Error(SourceLocation{path}, "unknown game format '" + ext +
                                        "': Parley reads .efg and .nfg (Gambit), .json (Parley game) "
                                        "and .yaml/.yml (scenario) files");
}

model::GamePtr LoadGame(const std::string& path, std::size_t max_nodes) {
  InputFormat format = FormatOf(path);
  if (format == InputFormat::kScenario)
    throw Error(SourceLocation{path},
                "is a scenario file; io::LoadGame reads .efg, .nfg and .json games (scenario "
                "files are read by load::LoadInput)");
  const InputBytes input(path);
  const std::string_view text = input.text();
  ReadOptions read;
  read.max_nodes = max_nodes;
  if (format == InputFormat::kEfg) return ReadEfg(text, path, read);
  if (format == InputFormat::kNfg) {  // a strategic form becomes a tree of simultaneous moves
    NfgReadOptions nfg;
    nfg.max_cells = max_nodes;
    return ReadNfg(text, path, nfg).ToExtensive();
  }
  return ReadGameJson(text, path, read);
}

}  // namespace parley::io
