// A small tokenizer for Gambit's text formats (.efg, .nfg): strings, braces, commas,
// numbers and symbols, each with its line and column.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::io {

enum class TokenKind { kEnd, kString, kLeftBrace, kRightBrace, kComma, kNumber, kSymbol };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view text;  // the raw text (for strings: between the quotes, escapes intact)
  int line = 1;
  int column = 1;
};

class TextScanner {
 public:
  // A UTF-8 byte-order mark at the start (some editors write one) is skipped, and columns on
  // the first line count from after it, as editors show them.
  TextScanner(std::string_view text, std::string file_name) : text_(text), file_(std::move(file_name)) {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = line_start_ = 3;
  }

  // The next token (kEnd at the end of the text). Throws ParseError on an unterminated string
  // and on a string that is not valid UTF-8 (located at the offending byte).
  Token Next() {
    Token t;
    NextInto(t);
    return t;
  }
  // The token Next() will return, without a copy; valid until the next call of Next or Peek.
  const Token& Peek() {
    if (!peeked_) {
      ScanInto(peek_);
      peeked_ = true;
    }
    return peek_;
  }

  SourceLocation Where(const Token& t) const { return {file_, t.line, t.column}; }
  // The length of the whole text, in bytes.
  std::size_t size() const { return text_.size(); }
  // One pass over the whole text: how many '"' characters it holds (escaped ones included)
  // and how many lines it has (a node of an .efg file usually takes one), for a reader's
  // estimates. It also notes whether every byte is ASCII: then strings need no UTF-8 check.
  struct Survey {
    std::size_t quotes = 0;
    std::size_t lines = 0;
  };
  Survey SurveyText();

  // The next token, which must be of `kind`; else ParseError "expected <what>, found ...".
  Token Expect(TokenKind kind, std::string_view what);
  // The next token as a whole number in [min, max]; else ParseError naming `what` and, for a
  // number out of range, the range ("information set number '4294967297' is out of range").
  std::int64_t ExpectWholeNumber(std::string_view what, std::int64_t min, std::int64_t max) {
    Token t;
    return ExpectWholeNumber(what, min, max, &t);
  }
  // The same, keeping the token read in `*read` (for a later message about the number): a
  // copy of the peeked token, taken right after its fields were stored, would stall.
  std::int64_t ExpectWholeNumber(std::string_view what, std::int64_t min, std::int64_t max,
                                 Token* read);
  // The next token as a number (integer, fraction or decimal); else ParseError.
  Number ExpectNumber(std::string_view what);
  // Quoted labels up to a closing '}' (the '{' already read); `what` names one label in the
  // message for anything else ("a player name").
  std::vector<std::string> ReadLabelsToBrace(std::string_view what);
  [[noreturn]] void Fail(const Token& t, const std::string& message) const;
  const std::string& file() const { return file_; }

  // A string token's value: `\"` becomes `"` and `\\` becomes `\`; a backslash before any
  // other character is kept with it (`\n` stays two characters), as Gambit's reader keeps it.
  static std::string Unescape(std::string_view raw);
  // The same without a copy when `raw` has no escape (the usual case): the result views
  // `raw`, or `buffer` when an escape had to be undone.
  static std::string_view Unescape(std::string_view raw, std::string& buffer);
  // `label` as a quoted string of the file, which Unescape turns back into `label`: `"` is
  // written `\"`, and `\` is written `\\` where it would otherwise escape what follows (before
  // `\` or `"`, or at the end). A lone backslash before any other character is written as it
  // is, so Gambit, whose reader keeps it but does not undo `\\`, reads such labels as well.
  static std::string Quote(std::string_view label);
  // How a token reads in a message: `"abc"`, `{`, `end of file`.
  static std::string Describe(const Token& t);

 private:
  // Scans the next token into `t` (all of its fields).
  void ScanInto(Token& t);
  // Next's token into `t`: the peeked one if there is one, else a newly scanned one.
  void NextInto(Token& t) {
    if (peeked_) {
      peeked_ = false;
      t = peek_;
    } else {
      ScanInto(t);
    }
  }
  std::string_view text_;
  std::string file_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
  bool peeked_ = false;
  bool ascii_ = false;  // every byte is below 0x80 (known after SurveyText)
  Token peek_;
};

}  // namespace parley::io
