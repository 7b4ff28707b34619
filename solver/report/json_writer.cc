#include "solver/report/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace parley::report {

namespace {
constexpr std::size_t kFlushAt = 1 << 16;
}  // namespace

std::string JsonDouble(double value) {
  if (!std::isfinite(value)) return "null";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // The shortest digits that read back, from the scientific form "d.ddde±x".
  char sci[64];
  auto [end, ec] = std::to_chars(sci, sci + sizeof sci, value, std::chars_format::scientific);
  std::string_view text(sci, static_cast<std::size_t>(end - sci));
  std::string out;
  if (text.front() == '-') {
    out += '-';
    text.remove_prefix(1);
  }
  std::size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e))
    if (c != '.') digits += c;
  int exponent = 0;
  std::from_chars(text.data() + e + 1 + (text[e + 1] == '+'), text.data() + text.size(), exponent);
  // value = 0.digits * 10^n: n is where the decimal point goes relative to the digits.
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;
  constexpr int kMinExp = -4, kMaxExp = 15;
  if (k <= n && n <= kMaxExp) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
    out += ".0";
  } else if (0 < n && n <= kMaxExp) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (kMinExp < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    char exp[16];
    int x = n - 1;
    std::snprintf(exp, sizeof exp, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    out += exp;
  }
  return out;
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
  buffer_ += JsonDouble(value);
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
  for (char c : text) {
    switch (c) {
      case '"': buffer_ += "\\\""; break;
      case '\\': buffer_ += "\\\\"; break;
      case '\b': buffer_ += "\\b"; break;
      case '\f': buffer_ += "\\f"; break;
      case '\n': buffer_ += "\\n"; break;
      case '\r': buffer_ += "\\r"; break;
      case '\t': buffer_ += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned>(c));
          buffer_ += hex;
        } else {
          buffer_ += c;
        }
    }
  }
  buffer_ += '"';
}

void JsonWriter::Flush() {
  if (buffer_.empty()) return;
  sink_(buffer_);
  buffer_.clear();
}

}  // namespace parley::report
