#include "solver/bargaining/problem_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "solver/bargaining/agreement_space.h"
#include "solver/io/files.h"
#include "solver/io/yaml_limits.h"
#include "solver/io/yaml_values.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

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

  // Checked here, where the number's line and column are known (the command line's parser
  // reads the same syntax).
  std::string Number(const YAML::Node& node, const std::string& what) {
    if (!node.IsScalar()) Fail(node, what + " must be a number");
    parley::Number number;
    if (!parley::Number::Parse(node.Scalar(), &number))
      Fail(node, what + " must be a number, e.g. 2.5 or 1/3, not '" + node.Scalar() + "'");
    return node.Scalar();
  }

  // [1, 2] -> "1,2"
  std::string Vector(const YAML::Node& node, const std::string& what) {
    if (!node.IsSequence() || node.size() == 0) Fail(node, what + " must be a list of numbers, e.g. [0, 0]");
    std::string out;
    for (const auto& x : node) out += (out.empty() ? "" : ",") + Number(x, "an entry of " + what);
    return out;
  }

  // [[4, 1], [1, 3]] -> "4,1;1,3"; every row as long as the first.
  std::string Rows(const YAML::Node& node, const std::string& what, const std::string& rule) {
    if (!node.IsSequence() || node.size() == 0)
      Fail(node, what + " must be a list of rows, e.g. [[4, 1], [1, 3]]");
    std::string out;
    std::size_t k = 0;
    for (const auto& row : node) {
      out += (out.empty() ? "" : ";") + Vector(row, "a row of " + what);
      if (k > 0 && row.size() != node[0].size())
        Fail(row, "row " + std::to_string(k + 1) + " of " + what + " has " + std::to_string(row.size()) +
                      " numbers but row 1 has " + std::to_string(node[0].size()) + "; " + rule);
      ++k;
    }
    return out;
  }

  // The issues and utilities checked as the solver will read them, so that a bad interval or
  // formula is reported at its own line: each issue alone (with constant utilities), then each
  // utility alone (the others 0).
  void CheckSpace(const YAML::Node& issues, const YAML::Node& utilities, const ProblemFile& p) {
    AgreementSpace space;
    std::size_t k = 0;
    for (auto it = issues.begin(); it != issues.end(); ++it, ++k) {
      const std::string& text = p.issues[k];
      const auto eq = text.find('='), colon = text.find(':', eq);
      parley::Number lower, upper;
      parley::Number::Parse(text.substr(eq + 1, colon - eq - 1), &lower);
      parley::Number::Parse(text.substr(colon + 1), &upper);
      space.issues.push_back({text.substr(0, eq), lower.ToDouble(), upper.ToDouble()});
      space.utilities.assign(2, "0");
      try {
        UtilityFunctions check(space);
      } catch (const ValidationError& e) {
        Fail(it->first, e.what());
      }
    }
    const std::size_t n = p.utilities.size();
    if (n < 2) Fail(utilities, "'utilities' has one formula per player, at least 2 (got " + std::to_string(n) + ")");
    for (std::size_t i = 0; i < n; ++i) {
      space.utilities.assign(n, "0");
      space.utilities[i] = p.utilities[i];
      try {
        UtilityFunctions check(space);
      } catch (const ValidationError& e) {
        Fail(utilities[i], e.what());
      }
    }
  }

  // A list's length against the number of players the file's problem has (when the file says).
  void CheckLength(const YAML::Node& node, const std::string& what, std::size_t players) {
    if (!node || players == 0 || node.size() == players) return;
    Fail(node, what + " has " + std::to_string(node.size()) + (node.size() == 1 ? " entry" : " entries") +
                   " but the problem has " + std::to_string(players) + " players; give one per player");
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
    if (root["outcomes"]) p.outcomes = Rows(root["outcomes"], "'outcomes'", "each outcome has one payoff per player");
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
      for (const auto& f : u) {
        if (!f.IsScalar() || f.Scalar().empty()) Fail(f, "a utility is a formula of the issues, e.g. sqrt(x)");
        p.utilities.push_back(f.Scalar());
      }
    }
    if (root["issues"] && root["utilities"]) CheckSpace(root["issues"], root["utilities"], p);
    if (root["surplus"]) p.surplus = Number(root["surplus"], "'surplus'");
    if (root["players"]) p.players = Int(root["players"], "'players'");
    if (root["threats"]) {
      const YAML::Node t = root["threats"];
      CheckKeys(t, {"row", "column", "transferable"}, "'threats'");
      if (!t["row"] || !t["column"]) Fail(t, "'threats' needs 'row' and 'column' payoff matrices");
      const std::string rule = "a payoff matrix has one column per strategy of the column player in every row";
      p.threats_row = Rows(t["row"], "'row'", rule);
      p.threats_col = Rows(t["column"], "'column'", rule);
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
    // The file's own number of players: a disagreement point (and weights, except over issues,
    // where the command line's --parties may seat fewer) has one entry each.
    std::size_t players = 0;
    if (root["outcomes"]) players = root["outcomes"][0].size();
    else if (root["utilities"]) players = p.utilities.size();
    else if (root["threats"] || root["alternating"]) players = 2;
    else if (root["surplus"]) players = p.players ? static_cast<std::size_t>(std::max(*p.players, 0)) : 2;
    CheckLength(root["disagreement"], "'disagreement'", players);
    if (!root["utilities"]) CheckLength(root["weights"], "'weights'", players);
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
