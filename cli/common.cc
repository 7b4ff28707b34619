#include "cli/common.h"

#include <array>
#include <cmath>
#include <exception>
#include <iostream>
#include <streambuf>

#include "solver/analysis/analysis.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::cli {

namespace {

CLI::Validator NumberAbove(double floor, bool inclusive, const std::string& what) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        // strtod's reading, as stod's but without its exception past the range: 1e400 is
        // +inf, 1e-400 is 0.
        char* end = nullptr;
        const double value = text.empty() ? 0 : ReadDouble(text.c_str(), &end);
        const bool parsed = !text.empty() && end == text.c_str() + text.size();
        if (parsed && std::isfinite(value) && (inclusive ? value >= floor : value > floor)) return {};
        // "inf" (and 1e400) is a number to strtod, and a budget or a count of infinity is not one.
        return std::string(parsed && !std::isfinite(value) ? "must be a finite number " : "must be a number ") +
               what + ", not '" + TruncateForMessage(text) + "'";
      },
      inclusive ? "NUMBER>=0" : "NUMBER>0");
}

}  // namespace

const CLI::Validator kPositive = NumberAbove(0, false, "greater than 0");
const CLI::Validator kNonNegative = NumberAbove(0, true, "of at least 0");
// An empty name (`-o ''`, a shell variable left unset) is refused rather than read as
// standard output: the user meant a file.
CLI::Validator OutputFile(bool standard_output) {
  const std::string what = standard_output ? "is an empty file name; give a file, or - for standard output"
                                           : "is an empty file name; give a file";
  return CLI::Validator([what](std::string& text) -> std::string { return text.empty() ? what : ""; }, "FILE");
}
CLI::Validator VaryForm(bool n_optional) {
  return CLI::Validator(
      [n_optional](std::string& text) -> std::string {
        try {
          analysis::ParseAxisText(text, n_optional ? 2 : 0);
        } catch (const Error& e) {
          // CLI11 names the option already: "--vary: 'p=0:1' is not NAME=LO:HI:N".
          std::string message = e.what();
          if (message.rfind("--vary ", 0) == 0) message.erase(0, 7);
          return message;
        }
        return "";
      },
      n_optional ? "NAME=LO:HI[:N]" : "NAME=LO:HI:N");
}

const CLI::Validator kOutputFile = OutputFile(true);
const CLI::Validator kOutputFileOnly = OutputFile(false);

void AddGameInput(CLI::App& app, GameInput& input) {
  app.add_option("game", input.path, "Game file: .efg or .nfg (Gambit), .json (Parley), .yaml (scenario)")
      ->required();
  app.add_option("--max-nodes", input.max_nodes,
                 "Stop with an error when the game tree has more nodes than this (the default "
                 "is what half of this machine's memory holds at about " +
                     std::to_string(io::kBytesPerNode) +
                     " bytes a node; raise it when the game needs more and the memory is there)")
      ->capture_default_str()
      ->check(kPositive);
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

namespace {
// A stream buffer that hands its contents to a sink 64 KB at a time.
class SinkBuffer : public std::streambuf {
 public:
  explicit SinkBuffer(std::function<void(std::string_view)> sink) : sink_(std::move(sink)) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }

 protected:
  int_type overflow(int_type c) override {
    Drain();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    Drain();
    return 0;
  }

 private:
  void Drain() {
    if (pptr() > pbase()) sink_(std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  std::function<void(std::string_view)> sink_;
  std::array<char, 1 << 16> buffer_;
};
}  // namespace

void EmitStream(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    write(std::cout);
    std::cout.flush();
    return;
  }
  io::AtomicFile file(path);
  {
    SinkBuffer buffer([&file](std::string_view piece) { file.Write(piece); });
    std::ostream out(&buffer);
    out.exceptions(std::ios::badbit);  // a failed write (a full disk) throws its own error
    write(out);
    out.flush();
  }
  file.Commit();
}

}  // namespace parley::cli
