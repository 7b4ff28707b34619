#include "solver/bargaining/problem_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "solver/io/files.h"
#include "solver/io/yaml_limits.h"
#include "solver/io/yaml_values.h"
#include "solver/model/error.h"

namespace parley::bargaining {

namespace {

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void Fail(const YAML::Node& node, const std::string& message) const {
    const YAML::Mark mark = node.Mark();
    throw ParseError(SourceLocation{file_, mark.line + 1, mark.column + 1}, message);
  }

  void CheckKeys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& what) {
    if (!map.IsMap()) Fail(map, what + " must be a mapping of keys");
    for (auto it = map.begin(); it != map.end(); ++it) {
      std::string key = it->first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      Fail(it->first, "unknown key '" + key + "' in " + what + io::DidYouMean(key, allowed) +
                          "; the keys are " + list);
    }
  }

  std::string Number(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar()) Fail(node, what + " must be a number");
    return node.Scalar();
  }

  // [1, 2] -> "1,2"
  std::string Vector(const YAML::Node& node, const std::string& what) {
    if (!node.IsSequence() || node.size() == 0) Fail(node, what + " must be a list of numbers, e.g. [0, 0]");
    std::string out;
    for (const auto& x : node) out += (out.empty() ? "" : ",") + Number(x, "an entry of " + what);
    return out;
  }

  // [[4, 1], [1, 3]] -> "4,1;1,3"
  std::string Rows(const YAML::Node& node, const std::string& what) {
    if (!node.IsSequence() || node.size() == 0)
      Fail(node, what + " must be a list of rows, e.g. [[4, 1], [1, 3]]");
    std::string out;
    for (const auto& row : node) out += (out.empty() ? "" : ";") + Vector(row, "a row of " + what);
    return out;
  }

  bool Bool(const YAML::Node& node, const std::string& what) { return io::YamlBool(node, file_, what); }

  int Int(const YAML::Node& node, const std::string& what) {
    try {
      return node.as<int>();
    } catch (const YAML::Exception&) {
      Fail(node, what + " must be a whole number");
    }
  }

  ProblemFile Read(const std::string& text) {
    // Bounded like every YAML Parley reads: UTF-8, size, and aliases expanded (io/yaml_limits.h).
    YAML::Node root = io::LoadYamlBounded(text, file_);
    if (!root.IsMap()) throw ParseError(SourceLocation{file_, 1, 1}, "a bargaining file is a mapping of keys");
    CheckKeys(root, {"title", "outcomes", "issues", "utilities", "surplus", "players", "threats",
                     "alternating", "disagreement", "weights", "pure"},
              "a bargaining file");
    ProblemFile p;
    if (root["title"]) p.title = root["title"].Scalar();
    if (root["outcomes"]) p.outcomes = Rows(root["outcomes"], "'outcomes'");
    if (root["issues"]) {
      const YAML::Node issues = root["issues"];
      if (!issues.IsMap()) Fail(issues, "'issues' maps each issue to its interval, e.g. {x: [0, 1]}");
      for (auto it = issues.begin(); it != issues.end(); ++it) {
        const YAML::Node range = it->second;
        if (!range.IsSequence() || range.size() != 2)
          Fail(range, "issue '" + it->first.Scalar() + "' needs an interval [lower, upper]");
        p.issues.push_back(it->first.Scalar() + "=" + Number(range[0], "a bound") + ":" + Number(range[1], "a bound"));
      }
    }
    if (root["utilities"]) {
      const YAML::Node u = root["utilities"];
      if (!u.IsSequence()) Fail(u, "'utilities' is a list of formulas, one per player");
      for (const auto& f : u) p.utilities.push_back(f.Scalar());
    }
    if (root["surplus"]) p.surplus = Number(root["surplus"], "'surplus'");
    if (root["players"]) p.players = Int(root["players"], "'players'");
    if (root["threats"]) {
      const YAML::Node t = root["threats"];
      CheckKeys(t, {"row", "column", "transferable"}, "'threats'");
      if (!t["row"] || !t["column"]) Fail(t, "'threats' needs 'row' and 'column' payoff matrices");
      p.threats_row = Rows(t["row"], "'row'");
      p.threats_col = Rows(t["column"], "'column'");
      if (t["transferable"]) p.transferable = Bool(t["transferable"], "'transferable'");
    }
    if (root["alternating"]) {
      const YAML::Node a = root["alternating"];
      CheckKeys(a, {"discount", "first", "rounds", "breakdown", "outside"}, "'alternating'");
      p.alternating = true;
      if (!a["discount"]) Fail(a, "'alternating' needs 'discount': [d1, d2]");
      p.discount = Vector(a["discount"], "'discount'");
      if (a["first"]) p.first = Int(a["first"], "'first'");
      if (a["rounds"]) {
        p.rounds = Int(a["rounds"], "'rounds'");
        if (*p.rounds < 1)
          Fail(a["rounds"], "'rounds' is " + std::to_string(*p.rounds) +
                                "; a finite horizon has at least 1 round (leave 'rounds' out for an infinite horizon)");
      }
      if (a["breakdown"]) p.breakdown = a["breakdown"].as<double>();
      if (a["outside"]) p.outside = Vector(a["outside"], "'outside'");
    }
    if (root["disagreement"]) p.disagreement = Vector(root["disagreement"], "'disagreement'");
    if (root["weights"]) p.weights = Vector(root["weights"], "'weights'");
    if (root["pure"]) p.pure = Bool(root["pure"], "'pure'");
    return p;
  }

 private:
  std::string file_;
};

}  // namespace

ProblemFile ReadProblemFile(const std::string& path) {
  std::string text = io::ReadWholeFile(path);
  try {
    return Reader(path).Read(text);
  } catch (const YAML::Exception& e) {
    throw ParseError(SourceLocation{path, e.mark.line + 1, e.mark.column + 1}, e.msg);
  }
}

}  // namespace parley::bargaining
