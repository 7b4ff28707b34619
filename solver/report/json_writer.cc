#include "solver/report/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace parley::report {

namespace {
constexpr std::size_t kFlushAt = 1 << 16;
// Room for any double's JSON text: sign, 17 digits, point, up to 15 zeros or an exponent.
constexpr std::size_t kJsonDoubleChars = 48;

// Writes the text of JsonDouble into `out` (at least kJsonDoubleChars bytes) and returns its
// end; no allocation, since a large result writes millions of numbers.
char* WriteJsonDouble(double value, char* out) {
  if (!std::isfinite(value)) return std::copy_n("null", 4, out);
  if (value == 0) return std::signbit(value) ? std::copy_n("-0.0", 4, out) : std::copy_n("0.0", 3, out);
  // The shortest digits that read back, from the scientific form "d.ddde±x".
  char sci[64];
  auto [end, ec] = std::to_chars(sci, sci + sizeof sci, value, std::chars_format::scientific);
  const char* p = sci;
  if (*p == '-') {
    *out++ = '-';
    ++p;
  }
  const char* e = std::find(p, static_cast<const char*>(end), 'e');
  char digits[24];  // at most 17 significant digits
  int k = 0;
  for (const char* c = p; c != e; ++c)
    if (*c != '.') digits[k++] = *c;
  int exponent = 0;
  std::from_chars(e + 1 + (e[1] == '+'), end, exponent);
  // value = 0.digits * 10^n: n is where the decimal point goes relative to the digits.
  const int n = exponent + 1;
  constexpr int kMinExp = -4, kMaxExp = 15;
  if (k <= n && n <= kMaxExp) {
    out = std::copy_n(digits, k, out);
    out = std::fill_n(out, n - k, '0');
    *out++ = '.';
    *out++ = '0';
  } else if (0 < n && n <= kMaxExp) {
    out = std::copy_n(digits, n, out);
    *out++ = '.';
    out = std::copy_n(digits + n, k - n, out);
  } else if (kMinExp < n && n <= 0) {
    *out++ = '0';
    *out++ = '.';
    out = std::fill_n(out, -n, '0');
    out = std::copy_n(digits, k, out);
  } else {
    *out++ = digits[0];
    if (k > 1) {
      *out++ = '.';
      out = std::copy_n(digits + 1, k - 1, out);
    }
    int x = n - 1;
    *out++ = 'e';
    *out++ = x < 0 ? '-' : '+';
    if (x < 0) x = -x;
    if (x < 10) *out++ = '0';
    out = std::to_chars(out, out + 4, x).ptr;
  }
  return out;
}

}  // namespace

std::string JsonDouble(double value) {
  char text[kJsonDoubleChars];
  return std::string(text, WriteJsonDouble(value, text));
}

void JsonWriter::Indent() {
  buffer_ += '\n';
  buffer_.append(2 * open_.size(), ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (open_.empty()) return;
  if (open_.back()++ > 0) buffer_ += ',';
  Indent();
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  Escaped(key);
  buffer_ += ": ";
  after_key_ = true;
  return *this;
}

void JsonWriter::BeginObject() {
  BeforeValue();
  buffer_ += '{';
  open_.push_back(0);
}

void JsonWriter::Close(char bracket) {
  bool empty = open_.back() == 0;
  open_.pop_back();
  if (!empty) Indent();
  buffer_ += bracket;
  if (buffer_.size() >= kFlushAt) Flush();
}

void JsonWriter::EndObject() { Close('}'); }

void JsonWriter::BeginArray() {
  BeforeValue();
  buffer_ += '[';
  open_.push_back(0);
}

void JsonWriter::EndArray() { Close(']'); }

void JsonWriter::String(std::string_view text) {
  BeforeValue();
  Escaped(text);
}

void JsonWriter::Double(double value) {
  BeforeValue();
  char text[kJsonDoubleChars];
  buffer_.append(text, WriteJsonDouble(value, text));
}

void JsonWriter::Integer(std::int64_t value) {
  BeforeValue();
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  buffer_.append(digits, end);
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  buffer_ += value ? "true" : "false";
}

void JsonWriter::Null() {
  BeforeValue();
  buffer_ += "null";
}

void JsonWriter::Value(const nlohmann::json& value) {
  BeforeValue();
  // dump(2) indents from column 0; every line after the first moves in to this depth.
  // Strings never hold a raw newline (it is escaped), so each '\n' starts a line.
  std::string text = value.dump(2);
  const std::string indent(2 * open_.size(), ' ');
  for (char c : text) {
    buffer_ += c;
    if (c == '\n') buffer_ += indent;
  }
}

void JsonWriter::Field(std::string_view key, const std::vector<double>& values) {
  Key(key).BeginArray();
  for (double x : values) Double(x);
  EndArray();
}

void JsonWriter::Field(std::string_view key, const std::vector<std::string>& values) {
  Key(key).BeginArray();
  for (const std::string& s : values) String(s);
  EndArray();
}

void JsonWriter::Escaped(std::string_view text) {
  buffer_ += '"';
  // Runs of characters that need no escape (nearly all of them) are appended whole.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
    buffer_.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': buffer_ += "\\\""; break;
      case '\\': buffer_ += "\\\\"; break;
      case '\b': buffer_ += "\\b"; break;
      case '\f': buffer_ += "\\f"; break;
      case '\n': buffer_ += "\\n"; break;
      case '\r': buffer_ += "\\r"; break;
      case '\t': buffer_ += "\\t"; break;
      default: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned>(c));
        buffer_ += hex;
      }
    }
  }
  buffer_.append(text.data() + run, text.size() - run);
  buffer_ += '"';
}

void JsonWriter::Flush() {
  if (buffer_.empty()) return;
  sink_(buffer_);
  buffer_.clear();
}

}  // namespace parley::report
