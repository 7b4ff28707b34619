#include "solver/analysis/results_json.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <tuple>

#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::analysis {

using nlohmann::json;

namespace {

// Reads back a result file field by field. Every error names the field by its JSON pointer
// ("/points/3/values/1") and says what was expected, so that a damaged or crafted shard is
// refused with a message instead of being trusted as an index or a size.
class FieldReader {
 public:
  [[noreturn]] static void Fail(const std::string& where, const std::string& what) {
    throw Error((where.empty() ? std::string("/") : where) + ": " + what);
  }
  static const char* TypeName(const json& j) { return j.type_name(); }

  static const json& Field(const json& object, const std::string& where, const char* name) {
    if (!object.is_object()) Fail(where, std::string("expected an object, found ") + TypeName(object));
    auto it = object.find(name);
    if (it == object.end()) Fail(where, std::string("the field \"") + name + "\" is missing");
    return *it;
  }
  static const json& Array(const json& j, const std::string& where, std::size_t max_size) {
    if (!j.is_array()) Fail(where, std::string("expected an array, found ") + TypeName(j));
    if (j.size() > max_size)
      Fail(where, std::to_string(j.size()) + " entries; at most " + std::to_string(max_size) + " fit here");
    return j;
  }
  static std::string String(const json& j, const std::string& where) {
    if (!j.is_string()) Fail(where, std::string("expected a string, found ") + TypeName(j));
    return j.get<std::string>();
  }
  static bool Bool(const json& j, const std::string& where) {
    if (!j.is_boolean()) Fail(where, std::string("expected true or false, found ") + TypeName(j));
    return j.get<bool>();
  }
  // A whole number in [lo, hi].
  static std::uint64_t Whole(const json& j, const std::string& where, std::uint64_t lo, std::uint64_t hi) {
    if (!j.is_number_integer())
      Fail(where, std::string("expected a whole number, found ") +
                      (j.is_number() ? j.dump() : std::string(TypeName(j))));
    if (j.is_number_integer() && !j.is_number_unsigned() && j.get<std::int64_t>() < 0)
      Fail(where, j.dump() + " is negative; expected a whole number from " + std::to_string(lo) +
                      " to " + std::to_string(hi));
    std::uint64_t v = j.get<std::uint64_t>();
    if (v < lo || v > hi)
      Fail(where, std::to_string(v) + " is out of range; expected a whole number from " +
                      std::to_string(lo) + " to " + std::to_string(hi));
    return v;
  }
  // A number; null stands for a value that does not exist (NaN), where allowed.
  static double Real(const json& j, const std::string& where, bool null_allowed) {
    if (j.is_null() && null_allowed) return std::numeric_limits<double>::quiet_NaN();
    if (!j.is_number())
      Fail(where, std::string("expected a number") + (null_allowed ? " or null" : "") +
                      ", found " + TypeName(j));
    double x = j.get<double>();
    if (!std::isfinite(x)) Fail(where, "expected a finite number");
    return x;
  }
  static std::vector<std::string> Strings(const json& j, const std::string& where, std::size_t max_size) {
    std::vector<std::string> out;
    Array(j, where, max_size);
    for (std::size_t i = 0; i < j.size(); ++i) out.push_back(String(j[i], where + "/" + std::to_string(i)));
    return out;
  }
  static std::string Kind(const json& j, const char* expected, const char* command) {
    if (!j.is_object()) Fail("", std::string("expected a JSON object written by ") + command + " --format json");
    auto it = j.find("kind");
    if (it == j.end() || !it->is_string() || *it != expected)
      Fail("/kind", std::string("expected \"") + expected + "\" (a file written by " + command +
                        " --format json)");
    return expected;
  }
  static Shard ReadShard(const json& j, const std::string& where) {
    const json& s = Field(j, where, "shard");
    std::uint64_t count = Whole(Field(s, where + "/shard", "count"), where + "/shard/count", 1, kMaxShards);
    std::uint64_t index = Whole(Field(s, where + "/shard", "index"), where + "/shard/index", 1, count);
    return Shard{static_cast<std::size_t>(index - 1), static_cast<std::size_t>(count)};
  }
  // The rows (field `name`: "points", "samples") of a shard of `total`: at most those it
  // owns, and all of them unless the run was interrupted.
  static const json& ShardRows(const json& j, const char* name, const Shard& shard,
                               std::size_t total, bool interrupted) {
    const std::string where = std::string("/") + name;
    const std::size_t owned = shard.OwnedOf(total);
    const json& rows = Array(Field(j, "", name), where, owned);
    if (!interrupted && rows.size() != owned)
      Fail(where, std::to_string(rows.size()) + " " + name + "; shard " + std::to_string(shard.index + 1) +
                      "/" + std::to_string(shard.count) + " of " + std::to_string(total) + " has " +
                      std::to_string(owned) + " (and the run was not interrupted)");
    return rows;
  }
  static constexpr std::uint64_t kMaxShards = 1'000'000;
};

// "input_digest": 16 hex digits, what the run was made from; absent in files written before
// it was, and for models not made from a file.
std::string ReadDigest(const json& j) {
  if (!j.is_object() || !j.contains("input_digest")) return "";
  const json& d = j["input_digest"];
  if (!d.is_string() || d.get<std::string>().size() != 16 ||
      d.get<std::string>().find_first_not_of("0123456789abcdef") != std::string::npos)
    FieldReader::Fail("/input_digest", "expected 16 hexadecimal digits (what the run was made from)");
  return d.get<std::string>();
}

// "parameters": [{"name": ..., "value": ...}, ...]; absent in files written before it was.
BaseValues ReadBase(const json& j) {
  using R = FieldReader;
  BaseValues base;
  if (!j.is_object() || !j.contains("parameters")) return base;
  const json& list = R::Array(j["parameters"], "/parameters", 1'000'000);
  for (std::size_t p = 0; p < list.size(); ++p) {
    std::string at = "/parameters/" + std::to_string(p);
    base.emplace_back(R::String(R::Field(list[p], at, "name"), at + "/name"),
                      R::Real(R::Field(list[p], at, "value"), at + "/value", false));
  }
  return base;
}

}  // namespace

SweepResult SweepFromJson(const json& j) {
  using R = FieldReader;
  R::Kind(j, "sweep", "parley sweep");
  SweepResult r;
  const json& axes = R::Array(R::Field(j, "", "axes"), "/axes", 2);
  if (axes.empty()) R::Fail("/axes", "a sweep has one or two axes; found none");
  std::uint64_t total = 1;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    std::string at = "/axes/" + std::to_string(a);
    Axis axis;
    axis.name = R::String(R::Field(axes[a], at, "name"), at + "/name");
    if (axis.name.empty()) R::Fail(at + "/name", "the parameter's name is empty");
    axis.lo = R::Real(R::Field(axes[a], at, "lo"), at + "/lo", false);
    axis.hi = R::Real(R::Field(axes[a], at, "hi"), at + "/hi", false);
    if (!(axis.lo < axis.hi)) R::Fail(at, "lo must be below hi");
    // The ends as written, where the doubles round them: each must read as its double.
    for (auto [key, end, written] : {std::tuple{"lo_written", axis.lo, &axis.lo_written},
                                     std::tuple{"hi_written", axis.hi, &axis.hi_written}}) {
      auto it = axes[a].find(key);
      if (it == axes[a].end()) continue;
      const std::string where = at + "/" + key;
      *written = R::String(*it, where);
      Number x;
      if (!Number::Parse(*written, &x) || x.ToDouble() != end)
        R::Fail(where, "'" + TruncateForMessage(*written) + "' is not a number that rounds to " + FormatDouble(end));
    }
    axis.n = R::Whole(R::Field(axes[a], at, "n"), at + "/n", 2, 10'000'000);
    total *= axis.n;
    r.axes.push_back(axis);
  }
  if (r.axes.size() == 2 && r.axes[0].name == r.axes[1].name) R::Fail("/axes/1/name", "the same parameter as axis 1");
  r.total = R::Whole(R::Field(j, "", "total"), "/total", total, total);
  r.base = ReadBase(j);
  r.input_digest = ReadDigest(j);
  r.shard = R::ReadShard(j, "");
  r.interrupted = R::Bool(R::Field(j, "", "interrupted"), "/interrupted");
  r.value_names = R::Strings(R::Field(j, "", "value_names"), "/value_names", 100'000);
  const json& points = R::ShardRows(j, "points", r.shard, r.total, r.interrupted);
  for (std::size_t k = 0; k < points.size(); ++k) {
    std::string at = "/points/" + std::to_string(k);
    const json& p = points[k];
    SweepPoint point;
    point.index = R::Whole(R::Field(p, at, "index"), at + "/index", 0, r.total - 1);
    if (!r.shard.Owns(point.index))
      R::Fail(at + "/index", "point " + std::to_string(point.index) + " does not belong to shard " +
                                 std::to_string(r.shard.index + 1) + "/" + std::to_string(r.shard.count));
    if (k > 0 && point.index <= r.points.back().index)
      R::Fail(at + "/index", "points must be in increasing order of index, each once");
    const json& x = R::Array(R::Field(p, at, "x"), at + "/x", r.axes.size());
    if (x.size() != r.axes.size())
      R::Fail(at + "/x", std::to_string(x.size()) + " coordinates; the sweep has " + std::to_string(r.axes.size()) + " axes");
    std::size_t rest = point.index;
    point.x.resize(r.axes.size());
    for (std::size_t a = r.axes.size(); a-- > 0;) {
      std::string xa = at + "/x/" + std::to_string(a);
      point.x[a] = R::Real(x[a], xa, false);
      if (point.x[a] != r.axes[a].At(rest % r.axes[a].n))
        R::Fail(xa, FormatDouble(point.x[a]) + " is not grid point " + std::to_string(rest % r.axes[a].n) +
                        " of " + r.axes[a].name + " (" + FormatDouble(r.axes[a].At(rest % r.axes[a].n)) + ")");
      rest /= r.axes[a].n;
    }
    point.observation.outcome = R::String(R::Field(p, at, "outcome"), at + "/outcome");
    // Files written before outcomes had keys: the words are the key.
    point.observation.key = p.is_object() && p.contains("key") ? R::String(p["key"], at + "/key")
                                                               : point.observation.outcome;
    const json& values = R::Array(R::Field(p, at, "values"), at + "/values", r.value_names.size());
    if (values.size() != r.value_names.size())
      R::Fail(at + "/values", std::to_string(values.size()) + " values; value_names has " +
                                  std::to_string(r.value_names.size()));
    for (std::size_t v = 0; v < values.size(); ++v)
      point.observation.values.push_back(R::Real(values[v], at + "/values/" + std::to_string(v), true));
    r.points.push_back(std::move(point));
  }
  return r;
}
MonteCarloResult MonteCarloFromJson(const json& j) {
  using R = FieldReader;
  R::Kind(j, "montecarlo", "parley montecarlo");
  if (!j.contains("samples"))
    throw Error("this Monte Carlo result has no samples; write shards with --format json (which keeps every sample)");
  MonteCarloResult r;
  r.seed = R::Whole(R::Field(j, "", "seed"), "/seed", 0, UINT64_MAX);
  r.requested = R::Whole(R::Field(j, "", "requested"), "/requested", 1, kMaxSamples);
  r.base = ReadBase(j);
  r.input_digest = ReadDigest(j);
  r.shard = R::ReadShard(j, "");
  r.interrupted = R::Bool(R::Field(j, "", "interrupted"), "/interrupted");
  r.value_names = R::Strings(R::Field(j, "", "value_names"), "/value_names", 100'000);
  // (Files written before samples kept their drawn parameters have no drawn_names.)
  if (j.contains("drawn_names")) r.drawn_names = R::Strings(j["drawn_names"], "/drawn_names", 100'000);
  const json& samples = R::ShardRows(j, "samples", r.shard, r.requested, r.interrupted);
  R::Whole(R::Field(j, "", "computed"), "/computed", samples.size(), samples.size());
  r.outcomes = R::Strings(R::Field(j, "", "outcome_names"), "/outcome_names", std::max<std::size_t>(samples.size(), 1));
  if (j.contains("outcome_keys")) {
    r.outcome_keys = R::Strings(j["outcome_keys"], "/outcome_keys", std::max<std::size_t>(samples.size(), 1));
    if (r.outcome_keys.size() != r.outcomes.size())
      R::Fail("/outcome_keys", std::to_string(r.outcome_keys.size()) + " keys for " +
                                   std::to_string(r.outcomes.size()) + " outcome names");
  } else {
    r.outcome_keys = r.outcomes;  // files written before outcomes had keys
  }
  for (std::size_t k = 0; k < samples.size(); ++k) {
    std::string at = "/samples/" + std::to_string(k);
    const std::size_t width = 2 + r.value_names.size() + r.drawn_names.size();
    const json& row = R::Array(samples[k], at, width);
    if (row.size() != width)
      R::Fail(at, std::to_string(row.size()) + " entries; a sample is [index, outcome, then one value per value name (" +
                      std::to_string(r.value_names.size()) + "), then one per drawn parameter (" +
                      std::to_string(r.drawn_names.size()) + ")]");
    MonteCarloSample s;
    s.index = R::Whole(row[0], at + "/0", 0, r.requested - 1);
    if (!r.shard.Owns(s.index))
      R::Fail(at + "/0", "sample " + std::to_string(s.index) + " does not belong to shard " +
                             std::to_string(r.shard.index + 1) + "/" + std::to_string(r.shard.count));
    if (k > 0 && s.index <= r.samples.back().index)
      R::Fail(at + "/0", "samples must be in increasing order of index, each once");
    if (r.outcomes.empty()) R::Fail("/outcome_names", "no outcome names, but there are samples");
    s.outcome = static_cast<std::uint32_t>(R::Whole(row[1], at + "/1", 0, r.outcomes.size() - 1));
    for (std::size_t v = 2; v < row.size(); ++v)
      (v < 2 + r.value_names.size() ? s.values : s.drawn)
          .push_back(R::Real(row[v], at + "/" + std::to_string(v), v < 2 + r.value_names.size()));
    r.samples.push_back(std::move(s));
  }
  return r;
}

}  // namespace parley::analysis
