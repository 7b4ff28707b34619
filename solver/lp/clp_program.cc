// The CLP engine of LinearProgram in the default build: COIN-OR CLP's stand-alone `clp`
// program (Debian package coinor-clp), run as a separate process. CLP is under the EPL-1.0,
// which the FSF lists as incompatible with the GPL, so a distributable Parley does not link it;
// it writes the program as a free-format MPS file, runs `clp` on it, and reads back the binary
// solution file that `clp -saveSolution` writes (two ints, rows and columns, then doubles: the
// objective, row activities, row duals, column values, reduced costs; CbcOrClpParam.cpp).
//
// The method is the one the in-process engine uses (clp_engine.cc): the chosen algorithm with
// or without presolve, then a dual simplex pass from the final basis on the unscaled program
// with tolerances of 1e-10. `clp` cannot branch on the first result, so it always runs both
// passes and saves the solution after each; the first optimum stands when the clean-up pass
// fails, as in-process.
//
// Everything `clp` writes is untrusted input: the counts must be this program's, the file
// exactly as long as they imply, every number finite, and an optimal answer must satisfy the
// program (bounds, rows, objective) to a tolerance before it is returned.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "solver/lp/engines.h"
#include "solver/model/error.h"

extern char** environ;

namespace parley::lp {
namespace {

constexpr double kCleanupTolerance = 1e-10;
// How far an optimal answer read back may miss a bound, a row or the objective (relative to
// 1 + the size of the value): clp's own tolerances are 1e-7 on the scaled program.
constexpr double kAcceptTolerance = 1e-6;
// Longest first line of clp's solution file and longest log excerpt quoted in a message.
constexpr std::size_t kMaxStatusLine = 256;
constexpr std::size_t kMaxQuoted = 160;

// The `clp` program: $PARLEY_CLP when set (a path), else the first executable `clp` on $PATH.
// Empty when there is none.
std::string FindClpProgram() {
  auto executable = [](const std::string& path) {
    struct stat info;
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
  };
  if (const char* chosen = std::getenv("PARLEY_CLP"); chosen != nullptr && *chosen != '\0')
    return executable(chosen) ? std::filesystem::absolute(chosen).string() : std::string();
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (!dir.empty() && dir.front() == '/') {  // relative entries would depend on the cwd
      std::string candidate = dir + "/clp";
      if (executable(candidate)) return candidate;
    }
    start = end + 1;
  }
  return {};
}

// Printable ASCII only, at most kMaxQuoted characters: for quoting clp's output in a message.
std::string Quote(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (out.size() >= kMaxQuoted) {
      out += "...";
      break;
    }
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

// A private folder (mode 0700, from mkdtemp) removed with everything in it when this goes.
class TempDir {
 public:
  TempDir() {
    std::error_code ignored;
    std::filesystem::path base = std::filesystem::temp_directory_path(ignored);
    if (base.empty()) base = "/tmp";
    base = std::filesystem::absolute(base, ignored);
    std::string pattern = (base / "parley-clp-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr)
      throw LimitError("cannot create a temporary folder for the clp program in " +
                       base.string() + ": " + std::strerror(errno));
    path_ = buffer.data();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // A new empty file in the folder (mkstemps, mode 0600) with this suffix: its path, and the
  // open descriptor when `keep_open` (else closed).
  std::string NewFile(const std::string& suffix, int* keep_open = nullptr) const {
    std::string pattern = path_ + "/XXXXXX" + suffix;
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    int fd = ::mkstemps(buffer.data(), static_cast<int>(suffix.size()));
    if (fd < 0)
      throw LimitError("cannot create a temporary file for the clp program: " +
                       std::string(std::strerror(errno)));
    if (keep_open != nullptr)
      *keep_open = fd;
    else
      ::close(fd);
    return buffer.data();
  }

 private:
  std::string path_;
};

void AppendNumber(std::string& out, double value) {
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest round trip
  out.append(buffer, result.ptr);
}

// The program in free-format MPS ("NAME ... FREE"): rows R0.., columns C0.., objective OBJ.
// A two-sided row is a G row with a range; a free row an L row with the right-hand side 1e30,
// which CLP reads as infinite.
std::string WriteMps(const LinearProgram& program) {
  const int rows = program.num_rows(), cols = program.num_columns();
  auto row_lower = program.row_lower(), row_upper = program.row_upper();
  auto col_lower = program.column_lower(), col_upper = program.column_upper();
  auto objective = program.objective_coefficients();
  auto entry_row = program.entry_rows(), entry_col = program.entry_columns();
  auto entry_value = program.entry_values();

  std::string out;
  out.reserve(64 + 16 * static_cast<std::size_t>(rows) + 40 * entry_value.size() +
              40 * static_cast<std::size_t>(cols));
  out += "NAME PARLEY FREE\nROWS\n N OBJ\n";
  for (int i = 0; i < rows; ++i) {
    const double lo = row_lower[i], up = row_upper[i];
    out += lo == up ? " E R" : std::isinf(lo) ? " L R" : " G R";
    out += std::to_string(i);
    out += '\n';
  }
  // Column-major order of the nonzeros (a counting sort of the row-major entries).
  std::vector<std::size_t> start(static_cast<std::size_t>(cols) + 1, 0);
  for (int c : entry_col) ++start[static_cast<std::size_t>(c) + 1];
  for (int j = 0; j < cols; ++j) start[j + 1] += start[j];
  std::vector<std::size_t> next(start.begin(), start.end() - 1), order(entry_value.size());
  for (std::size_t k = 0; k < entry_value.size(); ++k) order[next[entry_col[k]]++] = k;
  out += "COLUMNS\n";
  for (int j = 0; j < cols; ++j) {
    const std::string name = " C" + std::to_string(j) + ' ';
    if (objective[j] != 0.0 || start[j] == start[j + 1]) {  // an empty column is still declared
      out += name;
      out += "OBJ ";
      AppendNumber(out, objective[j]);
      out += '\n';
    }
    for (std::size_t k = start[j]; k < start[j + 1]; ++k) {
      out += name;
      out += 'R';
      out += std::to_string(entry_row[order[k]]);
      out += ' ';
      AppendNumber(out, entry_value[order[k]]);
      out += '\n';
    }
  }
  out += "RHS\n";
  std::string ranges;
  for (int i = 0; i < rows; ++i) {
    const double lo = row_lower[i], up = row_upper[i];
    double rhs;
    if (std::isinf(lo) && std::isinf(up)) {
      rhs = 1e30;
    } else if (std::isinf(lo)) {
      rhs = up;
    } else {
      rhs = lo;
      if (!std::isinf(up) && up != lo) {
        ranges += " RNG R" + std::to_string(i) + ' ';
        AppendNumber(ranges, up - lo);
        ranges += '\n';
      }
    }
    if (rhs == 0.0) continue;
    out += " RHS R" + std::to_string(i) + ' ';
    AppendNumber(out, rhs);
    out += '\n';
  }
  if (!ranges.empty()) {
    out += "RANGES\n";
    out += ranges;
  }
  out += "BOUNDS\n";
  for (int j = 0; j < cols; ++j) {
    const double lo = col_lower[j], up = col_upper[j];
    const std::string name = " BND C" + std::to_string(j) + ' ';
    auto bound = [&](const char* type, double value) {
      out += ' ';
      out += type;
      out += name;
      AppendNumber(out, value);
      out += '\n';
    };
    if (lo == up) {
      bound("FX", lo);
    } else if (std::isinf(lo) && std::isinf(up)) {
      out += " FR" + name + '\n';
    } else {
      if (std::isinf(lo)) out += " MI" + name + '\n';
      else if (lo != 0.0) bound("LO", lo);
      if (!std::isinf(up)) bound("UP", up);
    }
  }
  out += "ENDATA\n";
  return out;
}

void WriteAll(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = errno;
      ::close(fd);
      throw LimitError("cannot write the LP for the clp program to " + path + ": " +
                       std::strerror(error));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0)
    throw LimitError("cannot write the LP for the clp program to " + path + ": " +
                     std::strerror(errno));
}

std::string ReadSmallFile(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  std::string text(limit, '\0');
  in.read(text.data(), static_cast<std::streamsize>(limit));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

// The last non-empty line of clp's log, for messages.
std::string LastLogLine(const std::string& log_path) {
  std::ifstream in(log_path, std::ios::binary);
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(std::max<std::streamoff>(0, size - 4096));
  std::string tail((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string last;
  std::size_t start = 0;
  while (start < tail.size()) {
    std::size_t end = tail.find('\n', start);
    if (end == std::string::npos) end = tail.size();
    std::string line = tail.substr(start, end - start);
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
    start = end + 1;
  }
  return Quote(last);
}

// Runs `argv` (no shell), stdin from /dev/null, stdout and stderr into `log_path`; kills it
// after `seconds`. Returns its wait status, or nothing when it ran out of time.
std::optional<int> RunProgram(const std::vector<std::string>& argv, const std::string& log_path,
                              double seconds) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  int code = ::posix_spawn(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (code != 0)
    throw LimitError("cannot start the clp program " + Quote(argv[0]) + ": " +
                     std::strerror(code));

  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(seconds));
  auto pause = std::chrono::microseconds(200);
  for (;;) {
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR)
      throw LimitError("lost track of the clp program: " + std::string(std::strerror(errno)));
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return std::nullopt;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::milliseconds(20)));
  }
}

// What one `-solution` file says: its first line is "<status> - objective value <x>".
enum class ClpOutcome { kMissing, kOptimal, kInfeasible, kUnbounded, kStopped };

ClpOutcome ReadStatus(const std::string& path, std::string* line) {
  std::string text = ReadSmallFile(path, kMaxStatusLine);
  std::size_t end = text.find('\n');
  if (end == std::string::npos) return ClpOutcome::kMissing;  // empty, or no complete line
  *line = text.substr(0, end);
  std::size_t dash = line->find(" - objective value");
  if (dash == std::string::npos) return ClpOutcome::kMissing;
  std::string status = line->substr(0, dash);
  if (status == "Optimal") return ClpOutcome::kOptimal;
  if (status == "Infeasible") return ClpOutcome::kInfeasible;
  if (status == "Unbounded") return ClpOutcome::kUnbounded;
  return ClpOutcome::kStopped;
}

bool Near(double a, double b) {
  return std::abs(a - b) <= kAcceptTolerance * (1.0 + std::max(std::abs(a), std::abs(b)));
}

// Reads a `-saveSolution` file of an optimal answer and checks it against the program.
// Nothing when the file is malformed or the answer does not satisfy the program (`why` says).
std::optional<LpSolution> ReadOptimal(const std::string& path, const LinearProgram& program,
                                      std::string* why) {
  const int rows = program.num_rows(), cols = program.num_columns();
  const std::size_t doubles = 1 + 2 * static_cast<std::size_t>(rows) + 2 * static_cast<std::size_t>(cols);
  const std::size_t expected = 2 * sizeof(int) + doubles * sizeof(double);
  std::error_code error;
  auto size = std::filesystem::file_size(path, error);
  if (error || size != expected) {
    *why = "its solution file has " + (error ? std::string("no size") : std::to_string(size)) +
           " bytes, not " + std::to_string(expected);
    return std::nullopt;
  }
  std::string bytes = ReadSmallFile(path, expected);
  if (bytes.size() != expected) {
    *why = "its solution file could not be read whole";
    return std::nullopt;
  }
  int counts[2];
  std::memcpy(counts, bytes.data(), sizeof counts);
  if (counts[0] != rows || counts[1] != cols) {
    *why = "its solution has " + std::to_string(counts[0]) + " rows and " +
           std::to_string(counts[1]) + " columns, not " + std::to_string(rows) + " and " +
           std::to_string(cols);
    return std::nullopt;
  }
  std::vector<double> values(doubles);
  std::memcpy(values.data(), bytes.data() + sizeof counts, doubles * sizeof(double));
  for (double v : values) {
    if (!std::isfinite(v)) {
      *why = "its solution holds a value that is not a finite number";
      return std::nullopt;
    }
  }
  LpSolution s;
  s.status = Status::kOptimal;
  s.objective = values[0];
  auto at = values.begin() + 1;
  s.row_activity.assign(at, at + rows);
  at += rows;
  s.row_duals.assign(at, at + rows);
  at += rows;
  s.primal.assign(at, at + cols);
  at += cols;
  s.reduced_costs.assign(at, at + cols);

  // The answer must be one of this program: within its bounds, its rows' activities those of
  // the columns' values, its objective theirs.
  auto col_lower = program.column_lower(), col_upper = program.column_upper();
  auto row_lower = program.row_lower(), row_upper = program.row_upper();
  auto objective = program.objective_coefficients();
  auto entry_row = program.entry_rows(), entry_col = program.entry_columns();
  auto entry_value = program.entry_values();
  auto within = [](double v, double lo, double up) {
    return (std::isinf(lo) || v >= lo - kAcceptTolerance * (1 + std::abs(lo))) &&
           (std::isinf(up) || v <= up + kAcceptTolerance * (1 + std::abs(up)));
  };
  double total = 0.0;
  for (int j = 0; j < cols; ++j) {
    if (!within(s.primal[j], col_lower[j], col_upper[j])) {
      *why = "its value of column " + std::to_string(j) + " breaks the column's bounds";
      return std::nullopt;
    }
    total += objective[j] * s.primal[j];
  }
  std::vector<double> activity(static_cast<std::size_t>(rows), 0.0);
  for (std::size_t k = 0; k < entry_value.size(); ++k)
    activity[entry_row[k]] += entry_value[k] * s.primal[entry_col[k]];
  for (int i = 0; i < rows; ++i) {
    if (!Near(activity[i], s.row_activity[i]) || !within(activity[i], row_lower[i], row_upper[i])) {
      *why = "its activity of row " + std::to_string(i) + " is not the program's";
      return std::nullopt;
    }
  }
  if (!Near(total, s.objective)) {
    *why = "its objective value is not that of its column values";
    return std::nullopt;
  }
  return s;
}

LpSolution Conclusion(Status status, int rows, int cols) {
  LpSolution s;  // as GLPK's presolver reports it: a status, no values
  s.status = status;
  s.primal.assign(static_cast<std::size_t>(cols), 0.0);
  s.reduced_costs.assign(static_cast<std::size_t>(cols), 0.0);
  s.row_duals.assign(static_cast<std::size_t>(rows), 0.0);
  s.row_activity.assign(static_cast<std::size_t>(rows), 0.0);
  return s;
}

}  // namespace

bool ClpProgramAvailable() {
  return !FindClpProgram().empty();
}

LpSolution SolveWithClpProgram(const LinearProgram& program, const SolveOptions& options) {
  const int rows = program.num_rows(), cols = program.num_columns();
  std::string clp = FindClpProgram();
  if (clp.empty() || rows == 0 || cols == 0) {
    // No program, or a program clp's MPS reader has nothing to hold: GLPK instead. GLPK's
    // interior point cannot take free columns, so the barrier becomes its primal simplex.
    SolveOptions glpk = options;
    glpk.engine = Engine::kGlpk;
    if (glpk.algorithm == Algorithm::kInteriorPoint) {
      glpk.algorithm = Algorithm::kPrimalSimplex;
      glpk.presolve = false;
    }
    LpSolution s = SolveWithGlpk(program, glpk);
    if (clp.empty())
      s.note = "the clp program (Debian package coinor-clp) was not found; large linear programs "
               "are solved with GLPK instead, which is several times slower";
    return s;
  }

  TempDir dir;
  int mps_fd = -1;
  const std::string mps = dir.NewFile(".mps", &mps_fd);
  WriteAll(mps_fd, WriteMps(program), mps);
  const std::string log = dir.NewFile(".log");
  const std::string first_bin = dir.NewFile(".bin"), first_txt = dir.NewFile(".txt");
  const std::string second_bin = dir.NewFile(".bin"), second_txt = dir.NewFile(".txt");

  std::vector<std::string> argv = {clp, mps, "-log", "1"};
  argv.push_back(program.sense() == Sense::kMaximize ? "-max" : "-min");
  argv.insert(argv.end(), {"-presolve", options.presolve ? "on" : "off"});
  argv.insert(argv.end(), {"-scaling", options.scale ? "automatic" : "off"});
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.0f", std::max(1.0, options.time_limit_seconds));
  argv.insert(argv.end(), {"-seconds", seconds});
  switch (options.algorithm) {
    case Algorithm::kPrimalSimplex: argv.push_back("-primalSimplex"); break;
    case Algorithm::kDualSimplex: argv.push_back("-dualSimplex"); break;
    case Algorithm::kInteriorPoint:
      argv.insert(argv.end(), {"-crossover", "on", "-barrier"});
      break;
  }
  // Only the first line of each -solution file is read (the status); the values come from the
  // binary -saveSolution file, at full precision. (clp 1.17's -printMask, which could shorten
  // the text file, crashes on programs of a few thousand columns.)
  argv.insert(argv.end(), {"-saveSolution", first_bin, "-solution", first_txt});
  // The clean-up (see clp_engine.cc): CLP's tolerances apply to the scaled program, and a
  // dual simplex pass from the final basis on the unscaled program with 1e-10 removes what
  // they leave (on a sequence-form LP a deviation gain of 0.008). It also finishes when the
  // barrier or its crossover gave up.
  char tolerance[32];
  std::snprintf(tolerance, sizeof tolerance, "%g", kCleanupTolerance);
  argv.insert(argv.end(), {"-presolve", "off", "-scaling", "off", "-primalTolerance", tolerance,
                           "-dualTolerance", tolerance, "-dualSimplex", "-saveSolution",
                           second_bin, "-solution", second_txt});

  std::optional<int> wait_status = RunProgram(argv, log, options.time_limit_seconds);
  if (!wait_status)
    return Stopped("the clp program did not finish the LP within " + std::string(seconds) + " s", rows, cols);
  if (!WIFEXITED(*wait_status) || WEXITSTATUS(*wait_status) != 0) {
    std::string how = WIFEXITED(*wait_status)
                          ? "exited with code " + std::to_string(WEXITSTATUS(*wait_status))
                          : "was killed by signal " + std::to_string(WTERMSIG(*wait_status));
    return Stopped("the clp program " + how + " on the LP: " + LastLogLine(log), rows, cols);
  }

  std::string first_line, second_line, why;
  const ClpOutcome first = ReadStatus(first_txt, &first_line);
  const ClpOutcome second = ReadStatus(second_txt, &second_line);
  if (second == ClpOutcome::kOptimal) {
    if (auto s = ReadOptimal(second_bin, program, &why)) return *s;
  }
  if (first == ClpOutcome::kOptimal) {  // the clean-up pass failed: the first optimum stands
    std::string why_first;
    if (auto s = ReadOptimal(first_bin, program, &why_first)) return *s;
    if (why.empty()) why = why_first;
  }
  for (ClpOutcome o : {second, first}) {
    if (o == ClpOutcome::kInfeasible) return Conclusion(Status::kInfeasible, rows, cols);
    if (o == ClpOutcome::kUnbounded) return Conclusion(Status::kUnbounded, rows, cols);
  }
  if (!why.empty()) return Stopped("the clp program's answer to the LP was refused: " + why, rows, cols);
  std::string said = !second_line.empty() ? second_line : !first_line.empty() ? first_line
                                                                             : LastLogLine(log);
  return Stopped("the clp program stopped without a conclusion on the LP: " + Quote(said), rows, cols);
}

}  // namespace parley::lp
