// The streaming JSON writer writes what nlohmann::json's dump(2) writes for the same document:
// checked on random documents (nested objects and arrays, strings with every escape, doubles
// over the whole range) against the library itself, an independent implementation.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>

#include "solver/report/json_writer.h"

namespace parley::report {
namespace {

using nlohmann::json;

// Writes a document through the writer, in the key order nlohmann::json keeps (sorted).
void Write(JsonWriter& w, const json& j) {
  if (j.is_object()) {
    w.BeginObject();
    for (auto it = j.begin(); it != j.end(); ++it) {
      w.Key(it.key());
      Write(w, it.value());
    }
    w.EndObject();
  } else if (j.is_array()) {
    w.BeginArray();
    for (const json& e : j) Write(w, e);
    w.EndArray();
  } else if (j.is_string()) {
    w.String(j.get<std::string>());
  } else if (j.is_number_float()) {
    w.Double(j.get<double>());
  } else if (j.is_number_integer()) {
    w.Integer(j.get<std::int64_t>());
  } else if (j.is_boolean()) {
    w.Bool(j.get<bool>());
  } else {
    w.Null();
  }
}

double RandomDouble(std::mt19937_64& rng) {
  switch (rng() % 6) {
    case 0: return static_cast<double>(static_cast<int>(rng() % 2001) - 1000);  // whole
    case 1: return std::uniform_real_distribution<double>(-1, 1)(rng);
    case 2: return static_cast<double>(rng() % 1000) / 1000;  // 0.001 .. 0.999
    case 3: {  // any exponent
      std::uint64_t bits = rng();
      double x;
      std::memcpy(&x, &bits, sizeof x);
      return std::isfinite(x) ? x : 1.5;
    }
    case 4: return std::ldexp(1.0, static_cast<int>(rng() % 120) - 60);  // powers of two
    default: return std::pow(10.0, static_cast<int>(rng() % 44) - 22) * (rng() % 9 + 1);
  }
}

json RandomDocument(std::mt19937_64& rng, int depth) {
  int pick = static_cast<int>(rng() % (depth > 3 ? 5 : 7));
  switch (pick) {
    case 0: return RandomDouble(rng);
    case 1: return static_cast<std::int64_t>(rng() % 100000) - 50000;
    case 2: {
      std::string s;
      const char* pieces[] = {"a", "b", " ", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f",
                              "\x01", "\x1f", "\x7f", "é", "€", ">"};
      std::size_t len = rng() % 8;
      for (std::size_t i = 0; i < len; ++i) s += pieces[rng() % std::size(pieces)];
      return s;
    }
    case 3: return rng() % 2 == 0;
    case 4: return nullptr;
    case 5: {
      json a = json::array();
      for (std::size_t i = rng() % 4; i-- > 0;) a.push_back(RandomDocument(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (std::size_t i = rng() % 4; i-- > 0;) o["k" + std::to_string(rng() % 10)] = RandomDocument(rng, depth + 1);
      return o;
    }
  }
}

TEST_SUITE("report") {
  TEST_CASE("doubles are written as nlohmann::json writes them") {
    for (double x : {0.0, -0.0, 1.0, -3.0, 0.1, 1.0 / 3, 1e-4, 1.5e-5, 1e15, 1e16, 123456789012345.0,
                     1234567890123456.0, 2.5e-300, 1.7976931348623157e308, 5e-324, 0.30000000000000004})
      CHECK(JsonDouble(x) == json(x).dump());
    CHECK(JsonDouble(std::numeric_limits<double>::quiet_NaN()) == "null");
    CHECK(JsonDouble(std::numeric_limits<double>::infinity()) == "null");
    std::mt19937_64 rng(2026);
    int differ = 0;
    for (int i = 0; i < 200000; ++i) {
      double x = RandomDouble(rng);
      std::string ours = JsonDouble(x), theirs = json(x).dump();
      // Ours reads back to the same double.
      CHECK_MESSAGE(std::strtod(ours.c_str(), nullptr) == x, ours);
      if (ours == theirs) continue;
      // Where two spellings of 17 digits both read back (2^-25 is 2.98023223876953125e-08:
      // ...312e-08 and ...313e-08 are equally near), nlohmann's Grisu2 may pick the other one,
      // or a longer one: never a shorter one.
      ++differ;
      CHECK_MESSAGE(std::strtod(theirs.c_str(), nullptr) == x, theirs);
      CHECK_MESSAGE(ours.size() <= theirs.size(), ours << " vs " << theirs);
    }
    CHECK(differ < 1000);  // 0.5 %: the spellings are the same almost everywhere
  }

  TEST_CASE("random documents are written byte for byte as dump(2) writes them") {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 3000; ++i) {
      json doc = RandomDocument(rng, 0);
      std::ostringstream out;
      {
        JsonWriter w(out);
        Write(w, doc);
        w.Flush();
      }
      REQUIRE(out.str() == doc.dump(2));
    }
  }

  TEST_CASE("a document built elsewhere is indented where it goes") {
    json part = {{"a", {1, 2}}, {"b", json::object()}, {"c", json::array()}};
    json whole = {{"outer", {{"inner", part}}}, {"z", 1.5}};
    std::ostringstream out;
    {
      JsonWriter w(out);
      w.BeginObject();
      w.Key("outer").BeginObject();
      w.Field("inner", part);
      w.EndObject();
      w.Field("z", 1.5);
      w.EndObject();
      w.Flush();
    }
    CHECK(out.str() == whole.dump(2));
  }
}

}  // namespace
}  // namespace parley::report
