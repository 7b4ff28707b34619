// Errors. Users' mistakes (a bad file, an impossible request) are parley::Error and its
// children, thrown by the library and caught only in cli/main.cc, which prints one line and
// exits 1. Broken invariants inside Parley are PARLEY_CHECK failures (a bug, not the user's
// fault).
#pragma once

#include <stdexcept>
#include <string>
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

// A user's mistake. what() is the full one-line message, location first when known.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message), message_(message) {}
  Error(SourceLocation where, const std::string& message)
      : std::runtime_error(Compose(where, message)), where_(std::move(where)), message_(message) {}

  const SourceLocation& where() const { return where_; }
  // The message without its location prefix.
  const std::string& message() const { return message_; }

 private:
  static std::string Compose(const SourceLocation& where, const std::string& message);
  SourceLocation where_;
  std::string message_;
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

// A broken internal invariant: a bug in Parley.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void FailCheck(const char* condition, const char* file, int line);

}  // namespace parley

#define PARLEY_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::parley::FailCheck(#condition, __FILE__, __LINE__))
