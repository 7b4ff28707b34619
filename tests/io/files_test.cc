// Atomic output files (io::WriteFileAtomically, io::AtomicFile): an unpredictable temporary
// created exclusively, the replaced file's permissions kept, inputs and read-only files never
// replaced, no temporary left behind by an error or a signal.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "solver/io/files.h"
#include "solver/model/error.h"
#include "tests/test_util.h"

namespace parley::io {
namespace {

namespace fs = std::filesystem;
using testing::BuildPath;
using testing::ReadFile;

// A fresh, empty folder of this test process.
std::string Folder(const std::string& name) {
  std::string dir = BuildPath("test-tmp/files-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void Put(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// Names in `dir` other than `keep` (temporaries left behind show up here).
std::vector<std::string> Others(const std::string& dir, const std::vector<std::string>& keep) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (std::find(keep.begin(), keep.end(), name) == keep.end()) out.push_back(name);
  }
  return out;
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string MessageOf(const std::string& path, const std::string& text) {
  try {
    WriteFileAtomically(path, text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST_SUITE("io files") {
  TEST_CASE("a link planted at the old predictable temporary name is not followed") {
    std::string dir = Folder("planted");
    std::string victim = dir + "/victim", out = dir + "/out.json";
    Put(victim, "precious");
    // The name the old writer used (".out.json.tmp<pid>") and a few guesses near it.
    for (int pid : {static_cast<int>(::getpid()), 1, 2})
      fs::create_symlink(victim, dir + "/.out.json.tmp" + std::to_string(pid));
    WriteFileAtomically(out, "new content");
    CHECK(ReadFile(out) == "new content");
    CHECK(ReadFile(victim) == "precious");
    CHECK(fs::is_regular_file(fs::symlink_status(out)));
    CHECK(Others(dir, {"victim", "out.json", ".out.json.tmp" + std::to_string(::getpid()),
                       ".out.json.tmp1", ".out.json.tmp2"})
              .empty());
  }

  TEST_CASE("the temporary name is unpredictable and created exclusively") {
    std::string dir = Folder("names");
    AtomicFile a(dir + "/x.txt"), b(dir + "/x.txt");
    CHECK(a.temporary_path() != b.temporary_path());
    CHECK(fs::path(a.temporary_path()).parent_path() == fs::path(dir));
    CHECK(fs::exists(a.temporary_path()));
    a.Write("a");
    a.Commit();
    CHECK(!fs::exists(a.temporary_path()));
    CHECK(ReadFile(dir + "/x.txt") == "a");
  }  // b is destroyed uncommitted: its temporary goes

  TEST_CASE("an uncommitted file leaves no temporary and the target unchanged") {
    std::string dir = Folder("abandon");
    Put(dir + "/t", "old");
    {
      AtomicFile f(dir + "/t");
      f.Write("half");
    }
    CHECK(ReadFile(dir + "/t") == "old");
    CHECK(Others(dir, {"t"}).empty());
  }

  TEST_CASE("the replaced file's permission bits are kept") {
    std::string dir = Folder("mode");
    for (mode_t mode : {0600, 0640, 0755}) {
      std::string path = dir + "/f" + std::to_string(mode);
      Put(path, "old");
      REQUIRE(::chmod(path.c_str(), mode) == 0);
      WriteFileAtomically(path, "new");
      CHECK(ReadFile(path) == "new");
      CHECK(ModeOf(path) == mode);
    }
    // A new file: 0666 less the umask, as any program's.
    mode_t mask = ::umask(022);
    ::umask(mask);
    WriteFileAtomically(dir + "/fresh", "x");
    CHECK(ModeOf(dir + "/fresh") == (0666 & ~mask));
  }

  TEST_CASE("a read-only target is refused by its mode bits, even for root") {
    std::string dir = Folder("readonly");
    std::string path = dir + "/locked.csv";
    Put(path, "keep me");
    REQUIRE(::chmod(path.c_str(), 0444) == 0);
    CHECK(MessageOf(path, "new") ==
          path + ": is read-only (mode 0444); Parley does not replace a read-only file: make it "
                 "writable (chmod u+w) or choose another output file");
    CHECK(ReadFile(path) == "keep me");
    CHECK(Others(dir, {"locked.csv"}).empty());
  }

  TEST_CASE("a file read as input is not replaced, however its path is spelled") {
    std::string dir = Folder("input");
    std::string path = dir + "/game.efg";
    Put(path, "input text");
    fs::create_hard_link(path, dir + "/alias.efg");
    fs::create_symlink("game.efg", dir + "/link.efg");
    CHECK(ReadWholeFile(path) == "input text");
    for (std::string spelled : {path, dir + "/./game.efg", dir + "/alias.efg", dir + "/link.efg"}) {
      CAPTURE(spelled);
      CHECK(MessageOf(spelled, "output").find("is also an input of this command") != std::string::npos);
    }
    CHECK(ReadFile(path) == "input text");
    // Another file of the same folder is fine.
    CHECK(MessageOf(dir + "/other.efg", "output").empty());
  }

  TEST_CASE("a symbolic link as target: the file it points to is replaced") {
    std::string dir = Folder("link");
    Put(dir + "/real.txt", "old");
    fs::create_symlink("real.txt", dir + "/link.txt");
    WriteFileAtomically(dir + "/link.txt", "new");
    CHECK(fs::is_symlink(dir + "/link.txt"));
    CHECK(ReadFile(dir + "/real.txt") == "new");
  }

  TEST_CASE("a symbolic link to a file not there yet: the file is created, the link stays") {
    // The link was replaced by a regular file, and a link into a missing folder too (exit 0).
    std::string dir = Folder("dangling");
    fs::create_symlink("made.txt", dir + "/link.txt");
    WriteFileAtomically(dir + "/link.txt", "new");
    CHECK(fs::is_symlink(dir + "/link.txt"));
    CHECK(ReadFile(dir + "/made.txt") == "new");
    // Through a chain of two links, one of them absolute.
    fs::create_symlink(fs::absolute(dir + "/second.txt"), dir + "/first.txt");
    fs::create_symlink("made2.txt", dir + "/second.txt");
    WriteFileAtomically(dir + "/first.txt", "chained");
    CHECK(fs::is_symlink(dir + "/first.txt"));
    CHECK(fs::is_symlink(dir + "/second.txt"));
    CHECK(ReadFile(dir + "/made2.txt") == "chained");
    // Into a folder that does not exist: an error, and the link is left as it was.
    fs::create_symlink("missing/out.txt", dir + "/nowhere.txt");
    CHECK(MessageOf(dir + "/nowhere.txt", "x").find("is a symbolic link to " + dir + "/missing/out.txt, whose folder does not exist") !=
          std::string::npos);
    CHECK(fs::is_symlink(dir + "/nowhere.txt"));
    // A loop of links: an error.
    fs::create_symlink("loop_b", dir + "/loop_a");
    fs::create_symlink("loop_a", dir + "/loop_b");
    CHECK(!MessageOf(dir + "/loop_a", "x").empty());
    CHECK(fs::is_symlink(dir + "/loop_a"));
  }

  TEST_CASE("a folder or a missing folder is an error, and leaves nothing") {
    std::string dir = Folder("errors");
    CHECK(MessageOf(dir, "x").find("is a folder") != std::string::npos);
    CHECK(MessageOf(dir + "/missing/out.txt", "x").find("cannot write in its folder") != std::string::npos);
    CHECK(Others(dir, {}).empty());
  }

  TEST_CASE("SIGINT or SIGTERM while a temporary is open removes it") {
    for (int signal_number : {SIGINT, SIGTERM}) {
      std::string dir = Folder("signal" + std::to_string(signal_number));
      std::string target = dir + "/big.json";
      Put(target, "old");
      int ready[2];
      REQUIRE(::pipe(ready) == 0);
      pid_t child = ::fork();
      REQUIRE(child >= 0);
      if (child == 0) {
        // The default disposition, as in a fresh `parley` process.
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        AtomicFile f(target);
        f.Write("half of the output");
        char c = 1;
        (void)!::write(ready[1], &c, 1);
        for (;;) ::pause();
      }
      ::close(ready[1]);
      char c = 0;
      REQUIRE(::read(ready[0], &c, 1) == 1);
      ::close(ready[0]);
      CHECK(Others(dir, {"big.json"}).size() == 1);  // the temporary exists now
      ::kill(child, signal_number);
      int status = 0;
      REQUIRE(::waitpid(child, &status, 0) == child);
      CHECK(WIFSIGNALED(status));  // re-raised: the parent sees death by the signal
      if (WIFSIGNALED(status)) CHECK(WTERMSIG(status) == signal_number);
      CHECK(Others(dir, {"big.json"}).empty());
      CHECK(ReadFile(target) == "old");
    }
  }

  TEST_CASE("the default node limit follows the machine's memory") {
    std::size_t n = DefaultMaxNodes();
    long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
    double half = static_cast<double>(pages) * static_cast<double>(page) / 2;
    CHECK(n >= 1'000'000);
    CHECK(static_cast<double>(n) * kBytesPerNode <= std::max(half, 1e6 * kBytesPerNode));
  }
}

}  // namespace
}  // namespace parley::io
