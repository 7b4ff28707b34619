// A streaming JSON writer: values go straight to an output stream as they are produced, with
// no document tree in memory, so a result with millions of entries costs its text and nothing
// more. The layout is nlohmann::json's dump(2) exactly (two-space indent, "key": value, "[]" and
// "{}" for empty containers, doubles as the shortest text that reads back, with ".0" on whole
// numbers), so a reader sees no difference between the two; callers write an object's keys in
// the order they want them to appear.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace parley::report {

class JsonWriter {
 public:
  // Where the text goes, a piece at a time (an atomic file, standard output, a string).
  using Sink = std::function<void(std::string_view)>;
  explicit JsonWriter(Sink sink) : sink_(std::move(sink)) {}
  explicit JsonWriter(std::ostream& out)
      : sink_([&out](std::string_view piece) { out.write(piece.data(), static_cast<std::streamsize>(piece.size())); }) {}
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  // The next value's key (inside an object).
  JsonWriter& Key(std::string_view key);

  void String(std::string_view text);
  void Double(double value);  // NaN and infinities as null, as nlohmann::json does
  void Integer(std::int64_t value);
  void Bool(bool value);
  void Null();
  // A value built as a document elsewhere (small parts such as the bargaining steps),
  // indented to fit where it goes.
  void Value(const nlohmann::json& value);

  // key: value in one call.
  void Field(std::string_view key, std::string_view text) { Key(key).String(text); }
  void Field(std::string_view key, const char* text) { Key(key).String(text); }
  void Field(std::string_view key, const std::string& text) { Key(key).String(text); }
  void Field(std::string_view key, double value) { Key(key).Double(value); }
  void Field(std::string_view key, bool value) { Key(key).Bool(value); }
  void Field(std::string_view key, int value) { Key(key).Integer(value); }
  void Field(std::string_view key, std::uint32_t value) { Key(key).Integer(value); }
  void Field(std::string_view key, const nlohmann::json& value) { Key(key).Value(value); }
  void Field(std::string_view key, const std::vector<double>& values);
  void Field(std::string_view key, const std::vector<std::string>& values);

  // Hands what is buffered to the sink (also done as the buffer fills). Call it at the end:
  // the destructor does not, since a sink may throw (a full disk).
  void Flush();

 private:
  void BeforeValue();
  void Close(char bracket);
  void Indent();
  void Escaped(std::string_view text);

  Sink sink_;
  std::string buffer_;
  // One entry per open container: how many values it holds so far.
  std::vector<std::size_t> open_;
  bool after_key_ = false;
};

// The text of a double as nlohmann::json writes it: the shortest digits that read back, in
// plain notation for decimal exponents from -4 to 15 (".0" added to whole numbers), else as
// d.ddde+XX; "null" for NaN and infinities.
std::string JsonDouble(double value);

}  // namespace parley::report
