// Errors. Users' mistakes (a bad file, an impossible request) are parley::Error and its
// children, thrown by the library and caught only in cli/main.cc, which prints one line and
// exits 1. Broken invariants inside Parley are PARLEY_CHECK failures (a bug, not the user's
// fault).
#pragma once

#include <stdexcept>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace parley {

// Where in an input file something is: 1-based line and column; 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  // "file:line:col", "file:line", "file" or "" depending on what is known.
  std::string ToString() const;
};

// `text` as it may be echoed in a message: at most `max_bytes` bytes (cut at a UTF-8
// character boundary) followed by "..." and the full length, so that a 200 KB formula or a
// number of 10,001 digits does not fill the screen; line breaks become spaces (messages are
// one line).
inline std::string TruncateForMessage(std::string_view text, std::size_t max_bytes = 80) {
  std::string out;
  std::size_t keep = text.size();
  if (keep > max_bytes) {
    keep = max_bytes;
    while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xc0) == 0x80) --keep;
  }
  out.reserve(keep + 32);
  for (std::size_t i = 0; i < keep; ++i) out += text[i] == '\n' || text[i] == '\r' ? ' ' : text[i];
  if (keep < text.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

// Every message is bounded here, in one place: past kMaxMessage bytes its middle (where a long
// echoed input sits) is cut, keeping the start and the advice at the end.
inline constexpr std::size_t kMaxMessage = 1000;
inline std::string BoundMessage(const std::string& raw) {
  // A NUL (a JSON string may hold one: a parameter's name sent to the explorer) would end
  // what() there, and the message with it: written as \0.
  std::string message = raw;
  for (std::size_t at = message.find('\0'); at != std::string::npos; at = message.find('\0', at + 2))
    message.replace(at, 1, "\\0");
  if (message.size() <= kMaxMessage) return message;
  const std::size_t tail = 300;
  std::string head = TruncateForMessage(std::string_view(message).substr(0, message.size() - tail),
                                        kMaxMessage - tail);
  std::size_t from = message.size() - tail;
  while (from < message.size() && (static_cast<unsigned char>(message[from]) & 0xc0) == 0x80)
    ++from;
  return head + " ..." + message.substr(from);
}

// A user's mistake. what() is the full one-line message, location first when known.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message)
      : std::runtime_error(BoundMessage(message)), message_(BoundMessage(message)) {}
  Error(SourceLocation where, const std::string& message)
      : std::runtime_error(Compose(where, BoundMessage(message))),
        where_(std::move(where)),
        message_(BoundMessage(message)) {}

  const SourceLocation& where() const { return where_; }
  // The message without its location prefix.
  const std::string& message() const { return message_; }
  // The node of the game that the message is about (its number in preorder), when there is
  // one and the error has no place in a file yet: a command that read the game from a file
  // gives it that node's place (load::LocateNode for a game file, Scenario::LocateNode for a
  // scenario's stage).
  const std::optional<std::uint32_t>& node() const { return node_; }
  void set_node(std::uint32_t node) { node_ = node; }

 private:
  static std::string Compose(const SourceLocation& where, const std::string& message);
  SourceLocation where_;
  std::string message_;
  std::optional<std::uint32_t> node_;
};

// A file that cannot be read as the format it claims to be.
class ParseError : public Error {
 public:
  using Error::Error;
};

// A game or scenario that is well-formed but not valid (probabilities not summing to 1, ...).
class ValidationError : public Error {
 public:
  using Error::Error;
};

// A request a method cannot serve (imperfect information for backward induction, ...).
class UnsupportedError : public Error {
 public:
  using Error::Error;
};

// A resource limit reached (tree size, enumeration size, time).
class LimitError : public Error {
 public:
  using Error::Error;
};

// Throws E(message) about node `node` of the game (Error::node).
template <class E>
[[noreturn]] void ThrowAtNode(std::uint32_t node, const std::string& message) {
  E error(message);
  error.set_node(node);
  throw error;
}

// A broken internal invariant: a bug in Parley.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void FailCheck(const char* condition, const char* file, int line);

}  // namespace parley

#define PARLEY_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::parley::FailCheck(#condition, __FILE__, __LINE__))
