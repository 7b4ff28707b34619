#include "solver/scenario/reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

#include "solver/io/files.h"
#include "solver/io/yaml_limits.h"
#include "solver/io/yaml_values.h"

namespace parley::scenario {

bool IsReserved(const std::string& name) {
  return formula::IsReservedName(name) || name == "nature";
}

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

void Reader::Read() {
  // UTF-8, size and alias expansion are bounded before the document is walked.
  YAML::Node root = io::LoadYamlBounded(text_, file_);
  try {
    RefuseSplitFormulas(root);
    ReadDocument(root);
  } catch (const YAML::Exception& e) {
    // yaml-cpp's own complaints (a conversion, a too deeply nested document).
    throw ParseError(At(e.mark), "cannot read the YAML: " + e.msg);
  }
}

SourceLocation Reader::At(const YAML::Mark& mark) const {
  if (mark.line < 0 || mark.column < 0) return SourceLocation{file_};
  return SourceLocation{file_, mark.line + 1, mark.column + 1};
}

// An empty value (`A:` with nothing after it) is a null node that YAML places at the next
// token, a line or more below (or past the end of the file): shown at its key instead. Walks
// back from that token over blanks and comments to the colon, then to the key's first
// character. Explicit nulls (`~`, `null`) are where they are written.
SourceLocation Reader::At(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (!node.IsDefined() || !node.IsNull() || mark.pos < 0) return At(mark);
  const std::string_view text(text_);
  const std::size_t bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  const std::size_t pos = std::min(text.size(), static_cast<std::size_t>(mark.pos) + bom);
  auto word_at = [&](std::string_view w) {
    if (text.substr(pos, w.size()) != w) return false;
    const std::size_t end = pos + w.size();
    return end >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_');
  };
  if (word_at("~") || word_at("null") || word_at("Null") || word_at("NULL")) return At(mark);
  auto line_start_of = [&](std::size_t k) {  // the first character of the line holding k
    const std::size_t newline = text.rfind('\n', k);
    return newline == std::string_view::npos ? bom : newline + 1;
  };
  std::size_t i = pos;
  for (;;) {
    while (i > bom && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\r' || text[i - 1] == '\n')) --i;
    if (i == bom) return At(mark);
    // A comment on this line (a '#' at its start or after a blank, outside quotes): skipped.
    const std::size_t line_start = line_start_of(i - 1);
    std::size_t hash = std::string_view::npos;
    char quote = 0;
    for (std::size_t k = line_start; k < i; ++k) {
      const char c = text[k];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#' && (k == line_start || text[k - 1] == ' ' || text[k - 1] == '\t')) {
        hash = k;
        break;
      }
    }
    if (hash == std::string_view::npos) break;
    i = hash;
  }
  if (text[i - 1] != ':') return At(mark);
  // The key: from the colon back to the line's first character, past a sequence's "- ".
  const std::size_t colon = i - 1;
  const std::size_t line_start = line_start_of(colon);
  std::size_t key = line_start;
  while (key < colon && (text[key] == ' ' || text[key] == '-')) ++key;
  // In a flow mapping ({a: 1, b: }), the key after the last ',' or '{' before the colon.
  for (std::size_t k = colon; k > key; --k)
    if (text[k - 1] == ',' || text[k - 1] == '{') {
      key = k;
      while (key < colon && text[key] == ' ') ++key;
      break;
    }
  return io::LocationOfByte(text.substr(bom), file_, key - bom);  // (marks do not count a byte-order mark)
}

SourceLocation Reader::TextAt(const YAML::Node& node) const {
  SourceLocation at = At(node);
  // (yaml-cpp's positions do not count a byte-order mark.)
  const int pos = node.Mark().pos + (text_.starts_with("\xEF\xBB\xBF") ? 3 : 0);
  if (node.Mark().pos >= 0 && static_cast<std::size_t>(pos) < text_.size() &&
      (text_[pos] == '"' || text_[pos] == '\''))
    ++at.column;
  return at;
}

void Reader::Fail(const YAML::Node& node, const std::string& message) const {
  throw ParseError(At(node), message);
}

// `payoffs: [max(a, b), c]` is three items to YAML, "max(a", "b)" and "c": a flow list
// separates its items at every comma, parentheses or not. The count alone ("3 formulas for 2
// players") or a syntax error in "max(a" would not say why, and `actions: [stay, go (fast,
// cheap)]` would silently make three actions. So an unquoted item of a flow collection that
// leaves a parenthesis open, followed by items that close it, is refused with what to write.
// (Labels such as "offer (low)" balance theirs and pass.)
void Reader::RefuseSplitFormulas(const YAML::Node& root) const {
  auto depth = [](const YAML::Node& node) {
    int d = 0;
    for (char c : node.Scalar()) d += c == '(' ? 1 : c == ')' ? -1 : 0;
    return d;
  };
  auto plain = [](const YAML::Node& node) { return node.IsScalar() && node.Tag() == "?"; };
  // A flow collection's pieces in order, each marked whether a formula may start there and
  // whether one may go on there: a list's plain items may do both; a mapping's plain values may
  // start one, and the keys after it with no value of their own go on with it (in
  // `{A: max(1, 2), B: 3}` YAML reads "2)" as a key).
  struct Piece {
    YAML::Node node;
    bool starts, goes_on;
  };
  std::vector<Piece> pieces;
  auto check = [&] {
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      if (!pieces[i].starts || depth(pieces[i].node) <= 0) continue;
      std::string joined = pieces[i].node.Scalar();
      int open = depth(pieces[i].node);
      for (std::size_t j = i + 1; j < pieces.size() && pieces[j].goes_on && open > 0; ++j) {
        joined += ", " + pieces[j].node.Scalar();
        open += depth(pieces[j].node);
      }
      if (open != 0) continue;
      const std::string whole = TruncateForMessage(joined, 60);
      Fail(pieces[i].node, "YAML splits '" + whole +
                               "' into separate items at its commas (a [ ] list or { } mapping separates "
                               "its items at every comma, parentheses or not); quote it (\"" +
                               whole + "\") or write one item per line");
    }
  };
  std::vector<YAML::Node> stack{root};
  while (!stack.empty()) {
    const YAML::Node node = stack.back();
    stack.pop_back();
    if (!node.IsMap() && !node.IsSequence()) continue;
    const bool flow = node.Style() == YAML::EmitterStyle::Flow;
    pieces.clear();
    if (node.IsMap()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        stack.push_back(it->second);
        if (plain(it->second))
          pieces.push_back({it->second, true, false});
        else if (it->second.IsNull() && plain(it->first))
          pieces.push_back({it->first, false, true});
        else
          pieces.push_back({it->first, false, false});
      }
    } else {
      for (std::size_t i = 0; i < node.size(); ++i) {
        stack.push_back(node[i]);
        pieces.push_back({node[i], plain(node[i]), plain(node[i])});
      }
    }
    if (flow) check();
  }
}

std::string Reader::Scalar(const YAML::Node& node, const std::string& what) const {
  if (!node.IsDefined() || node.IsNull())
    Fail(node, what + " is empty; write a value");
  if (!node.IsScalar())
    Fail(node, what + " must be a single value, not a " +
                   (node.IsSequence() ? "list" : "mapping"));
  return node.Scalar();
}

double Reader::NumberValue(const YAML::Node& node, const std::string& what) const {
  std::string text = Scalar(node, what);
  Number n;
  if (!Number::Parse(text, &n))
    Fail(node, what + " must be a number, not '" + text + "'");
  if (!std::isfinite(n.ToDouble()))
    Fail(node, what + " must be a number within a double's range, not '" + text + "'");
  // 1e-400 is not 0, but a double holds it as 0 (as --set refuses it).
  if (n.ToDouble() == 0 && n.ToRational() != 0)
    Fail(node, what + " '" + text + "' is too small to compute with (it would be 0); write 0 if 0 is meant");
  return n.ToDouble();
}

bool Reader::BoolValue(const YAML::Node& node, const std::string& what) const {
  return io::YamlBool(node, file_, what);
}

Reader::KeyedMapping Reader::Mapping(const YAML::Node& node, const std::string& what,
                                     const std::vector<std::string>& allowed) {
  if (!node.IsMap())
    Fail(node, what + " must be a mapping of keys (" + Join(allowed) + ")");
  KeyedMapping out;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: it-> returns a temporary proxy
    if (!key.IsScalar()) Fail(key, "a key of " + what + " must be a word");
    std::string k = key.Scalar();
    // YAML 1.1's merge key, which the YAML 1.2 reader takes as a plain key named "<<".
    if (k == "<<" && std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      Fail(key, "merge keys (<<: *name) are not supported in " + what +
                    "; write the keys out (an alias *name for a whole value works)");
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      Fail(key, "unknown key '" + k + "' in " + what + DidYouMean(k, allowed) +
                    "; the keys are " + Join(allowed));
    if (out.count(k)) Fail(key, "key '" + k + "' appears twice in " + what);
    out.emplace(k, std::make_pair(key, it->second));
  }
  return out;
}

YAML::Node Reader::Get(const KeyedMapping& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? None() : it->second.second;
}

void Reader::CheckName(const YAML::Node& node, const std::string& name, const std::string& what) {
  if (!IsIdentifier(name) || name.front() == '_')  // '_' first is muparser's (_pi, _e)
    Fail(node, what + " '" + name +
                   "' is not a usable name: use letters, digits and _, starting with a letter");
  if (IsReserved(name))
    Fail(node, what + " '" + name + "' is a reserved word of formulas; choose another name");
  auto it = names_.find(name);
  if (it != names_.end())
    throw ValidationError(At(node), what + " '" + name + "' has the same name as " +
                                        it->second + "; names must differ");
}

void Reader::ReadDocument(const YAML::Node& root) {
  if (!root.IsDefined() || root.IsNull())
    throw ParseError(SourceLocation{file_, 1, 1},
                     "the scenario file is empty; it needs at least players and stages");
  auto doc = Mapping(root, "the scenario",
                     {"title", "description", "units", "sources", "players", "parameters",
                      "stages", "payoffs", "tree"});
  Scenario& info = impl_.info;
  info.file = file_;
  if (auto n = Get(doc, "title"); n.IsDefined()) info.title = Scalar(n, "title");
  if (auto n = Get(doc, "description"); n.IsDefined())
    info.description = Scalar(n, "description");
  if (auto n = Get(doc, "units"); n.IsDefined()) info.units = Scalar(n, "units");
  if (auto n = Get(doc, "sources"); n.IsDefined()) ReadSources(n);
  auto players = Get(doc, "players");
  if (!players.IsDefined())
    throw ParseError(SourceLocation{file_, 1, 1},
                     "missing key 'players': list the players' names, e.g. players: [A, B]");
  ReadPlayers(players);
  if (auto n = Get(doc, "parameters"); n.IsDefined()) ReadParameters(n);

  auto stages = Get(doc, "stages");
  auto tree = Get(doc, "tree");
  auto payoffs = Get(doc, "payoffs");
  if (stages.IsDefined() && tree.IsDefined())
    Fail(doc.at("tree").first,
         "a scenario has either 'stages' or 'tree', not both");
  if (!stages.IsDefined() && !tree.IsDefined())
    throw ParseError(SourceLocation{file_, 1, 1},
                     "missing key 'stages' (or 'tree'): describe who moves and how");
  if (tree.IsDefined()) {
    if (payoffs.IsDefined())
      Fail(doc.at("payoffs").first,
           "'payoffs' belongs to the stage form; in a tree, each terminal node has payoffs");
    info.explicit_tree = true;
    ReadTree(tree);
    return;
  }
  if (!payoffs.IsDefined())
    throw ParseError(At(doc.at("stages").first),
                     "missing key 'payoffs': give one formula per player");
  ReadStageList(stages, -1, impl_.top);
  ReadPayoffNames(payoffs);
  CompileStageForm();
  RecallNotes();
}

void Reader::ReadSources(const YAML::Node& node) {
  if (!node.IsSequence()) Fail(node, "'sources' must be a list of citations");
  for (const auto& item : node) {
    if (item.IsMap()) {
      auto m = Mapping(item, "a source", {"id", "citation", "url", "note"});
      std::string text;
      if (auto n = Get(m, "id"); n.IsDefined()) text += "[" + Scalar(n, "id") + "] ";
      if (auto n = Get(m, "citation"); n.IsDefined()) text += Scalar(n, "citation");
      if (auto n = Get(m, "url"); n.IsDefined()) text += " <" + Scalar(n, "url") + ">";
      if (auto n = Get(m, "note"); n.IsDefined()) text += " (" + Scalar(n, "note") + ")";
      impl_.info.sources.push_back(text);
    } else {
      impl_.info.sources.push_back(Scalar(item, "a source"));
    }
  }
}

void Reader::ReadPlayers(const YAML::Node& node) {
  if (!node.IsSequence())
    Fail(node, "'players' must be a list of names, e.g. players: [Proposer, Responder]");
  for (const auto& item : node) {
    std::string name;
    if (item.IsMap()) {
      auto m = Mapping(item, "a player", {"name", "description"});
      auto n = Get(m, "name");
      if (!n.IsDefined()) Fail(item, "missing key 'name' in a player");
      name = Scalar(n, "a player's name");
    } else {
      name = Scalar(item, "a player's name");
    }
    if (name == "nature" || name == "chance")
      Fail(item, "'" + name + "' is not a player: chance moves are stages with player: nature");
    auto& players = impl_.info.players;
    if (std::find(players.begin(), players.end(), name) != players.end())
      Fail(item, "player '" + name + "' is listed twice");
    players.push_back(name);
  }
  if (impl_.info.players.size() < 2)
    Fail(node, "a scenario needs two or more players; 'players' lists " +
                   std::to_string(impl_.info.players.size()));
}

int Reader::PlayerIndex(const YAML::Node& node, const std::string& name, bool mover) const {
  const auto& players = impl_.info.players;
  auto it = std::find(players.begin(), players.end(), name);
  if (it == players.end() && !mover && (name == "nature" || name == "chance"))
    Fail(node, "'" + name + "' is chance, not a player: it has no payoff and no seat at a bargain; "
                   "the players are " + Join(players));
  if (it == players.end())
    Fail(node, "unknown player '" + name + "'" + DidYouMean(name, players) + "; the players are " + Join(players) +
                   (mover ? " (or nature, for chance)" : ""));
  return static_cast<int>(it - players.begin());
}

void Reader::ReadParameters(const YAML::Node& node) {
  if (!node.IsMap())
    Fail(node, "'parameters' must be a mapping: name: value, or name: {value: ..., min: ...}");
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: it-> returns a temporary proxy
    const YAML::Node value = it->second;
    std::string name = Scalar(key, "a parameter's name");
    CheckName(key, name, "parameter");
    Parameter p;
    p.name = name;
    p.where = At(key);
    if (value.IsMap()) {
      auto m = Mapping(value, "parameter '" + name + "'",
                       {"value", "min", "max", "unit", "description", "source", "assumption",
                        "distribution"});
      auto v = Get(m, "value");
      if (!v.IsDefined())
        Fail(value, "missing key 'value' in parameter '" + name + "'");
      p.value = NumberValue(v, "the value of '" + name + "'");
      if (auto n = Get(m, "min"); n.IsDefined()) p.min = NumberValue(n, "min of '" + name + "'");
      if (auto n = Get(m, "max"); n.IsDefined()) p.max = NumberValue(n, "max of '" + name + "'");
      if (auto n = Get(m, "unit"); n.IsDefined()) p.unit = Scalar(n, "unit");
      if (auto n = Get(m, "description"); n.IsDefined())
        p.description = Scalar(n, "description");
      if (auto n = Get(m, "source"); n.IsDefined()) p.source = Scalar(n, "source");
      if (auto n = Get(m, "assumption"); n.IsDefined())
        p.assumption = BoolValue(n, "'assumption'");
      if (p.min && p.max && *p.min > *p.max)
        Fail(m.at("min").second, "min of '" + name + "' is above its max");
      if ((p.min && p.value < *p.min) || (p.max && p.value > *p.max))
        throw ValidationError(At(v), "the value of '" + name + "' lies outside its range " +
                                         RangeText(p));
      if (auto n = Get(m, "distribution"); n.IsDefined())
        p.distribution = ReadDistribution(n, p);
    } else {
      p.value = NumberValue(value, "parameter '" + name + "'");
    }
    p.file_value = p.value;
    names_[name] = "parameter '" + name + "'";
    impl_.info.parameters.push_back(std::move(p));
  }
}

std::string Reader::RangeText(const Parameter& p) {
  return "[" + (p.min ? FormatDouble(*p.min) : std::string("-inf")) + ", " +
         (p.max ? FormatDouble(*p.max) : std::string("inf")) + "]";
}

Distribution Reader::ReadDistribution(const YAML::Node& node, const Parameter& p) {
  // Each type with its own keys: a key is checked against the type's list, so that a key of
  // another type, or of a type Parley does not have, is named with the keys this one takes.
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kTypes{
      {"uniform", {"low", "high"}},
      {"triangular", {"low", "mode", "high"}},
      {"normal", {"mean", "sd"}},
      {"beta", {"alpha", "beta", "low", "high"}},
      {"discrete", {"values", "weights"}}};
  std::vector<std::string> kinds, every_key{"type"};
  for (const auto& [kind, keys] : kTypes) {
    kinds.push_back(kind);
    for (const auto& k : keys)
      if (std::find(every_key.begin(), every_key.end(), k) == every_key.end()) every_key.push_back(k);
  }
  const std::string what = "the distribution of '" + p.name + "'";
  if (!node.IsMap()) Mapping(node, what, every_key);  // refuses it, listing the keys
  YAML::Node type = None();
  for (auto it = node.begin(); it != node.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == "type") {
      type = it->second;
      break;
    }
  if (!type.IsDefined())
    Fail(node, "missing key 'type' in " + what + " (uniform, triangular, normal, beta or discrete)");
  std::string t = Scalar(type, "the distribution type");
  auto known = std::find_if(kTypes.begin(), kTypes.end(), [&](const auto& k) { return k.first == t; });
  if (known == kTypes.end())
    Fail(type, "unknown distribution '" + t + "'" + DidYouMean(t, kinds) + "; the types are " + Join(kinds));
  const std::vector<std::string>& keys = known->second;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: it-> returns a temporary proxy
    if (!key.IsScalar() || key.Scalar() == "type" ||
        std::find(keys.begin(), keys.end(), key.Scalar()) != keys.end())
      continue;  // Mapping below refuses a key that is not a word
    const std::string k = key.Scalar();
    if (std::find(every_key.begin(), every_key.end(), k) != every_key.end())
      Fail(key, "key '" + k + "' does not belong to a " + t + " distribution; it takes " + Join(keys));
    Fail(key, "unknown key '" + k + "' in the " + t + " distribution of '" + p.name + "'" + DidYouMean(k, keys) +
                  "; a " + t + " distribution takes " + Join(keys));
  }
  std::vector<std::string> allowed{"type"};
  allowed.insert(allowed.end(), keys.begin(), keys.end());
  auto m = Mapping(node, what, allowed);  // duplicates
  Distribution d;
  d.where = At(node);
  d.min = p.min;  // the normal is truncated to the parameter's range
  d.max = p.max;
  auto need = [&](const std::string& key) {
    auto n = Get(m, key);
    if (!n.IsDefined())
      Fail(node, "missing key '" + key + "' in the " + t + " distribution of '" + p.name + "'");
    return NumberValue(n, key + " of the distribution of '" + p.name + "'");
  };
  // low and high as far apart as doubles can measure: a draw is low + (high - low) x.
  auto measurable = [&](double lo, double hi) {
    if (!std::isfinite(hi - lo))
      Fail(node, "the " + t + " distribution of '" + p.name + "' spans more than the largest double (" +
                     FormatDouble(lo) + " to " + FormatDouble(hi) + "); narrow it, or rescale the parameter");
  };
  auto within = [&](double lo, double hi) {
    if ((p.min && lo < *p.min) || (p.max && hi > *p.max))
      throw ValidationError(d.where, "the distribution of '" + p.name + "' reaches outside " +
                                         "the parameter's range " + RangeText(p));
  };
  if (t == "uniform") {
    d.kind = Distribution::Kind::kUniform;
    d.low = need("low");
    d.high = need("high");
    if (!(d.low < d.high)) Fail(node, "a uniform distribution needs low < high");
    within(d.low, d.high);
    measurable(d.low, d.high);
  } else if (t == "triangular") {
    d.kind = Distribution::Kind::kTriangular;
    d.low = need("low");
    d.mode = need("mode");
    d.high = need("high");
    if (!(d.low <= d.mode && d.mode <= d.high && d.low < d.high))
      Fail(node, "a triangular distribution needs low <= mode <= high and low < high");
    within(d.low, d.high);
    measurable(d.low, d.high);
  } else if (t == "normal") {
    d.kind = Distribution::Kind::kNormal;
    d.mean = need("mean");
    d.sd = need("sd");
    if (!(d.sd > 0)) Fail(node, "a normal distribution needs sd > 0");
  } else if (t == "beta") {
    d.kind = Distribution::Kind::kBeta;
    d.alpha = need("alpha");
    d.beta = need("beta");
    d.low = Get(m, "low").IsDefined() ? need("low") : 0.0;
    d.high = Get(m, "high").IsDefined() ? need("high") : 1.0;
    if (!(d.alpha > 0 && d.beta > 0)) Fail(node, "a beta distribution needs alpha, beta > 0");
    if (!(d.low < d.high)) Fail(node, "a beta distribution needs low < high");
    within(d.low, d.high);
    measurable(d.low, d.high);
  } else if (t == "discrete") {
    d.kind = Distribution::Kind::kDiscrete;
    auto values = Get(m, "values");
    if (!values.IsDefined() || !values.IsSequence() || values.size() == 0)
      Fail(node, "a discrete distribution needs 'values', a non-empty list of numbers");
    for (const auto& v : values) d.values.push_back(NumberValue(v, "a value"));
    if (auto w = Get(m, "weights"); w.IsDefined()) {
      if (!w.IsSequence() || w.size() != values.size())
        Fail(w, "'weights' must list one weight per value (" +
                    std::to_string(values.size()) + ")");
      double total = 0;
      for (const auto& x : w) {
        double weight = NumberValue(x, "a weight");
        if (weight < 0) Fail(x, "a weight cannot be negative");
        d.weights.push_back(weight);
        total += weight;
      }
      if (!(total > 0)) Fail(w, "the weights sum to 0");
      // Only their ratios matter: weights whose sum overflows (1e308 twice) are scaled by the
      // largest, so that the draws and quantiles, which sum them, see finite numbers.
      if (std::isinf(total)) {
        const double largest = *std::max_element(d.weights.begin(), d.weights.end());
        for (double& weight : d.weights) weight /= largest;
      }
    } else {
      d.weights.assign(d.values.size(), 1.0);
    }
    within(*std::min_element(d.values.begin(), d.values.end()),
           *std::max_element(d.values.begin(), d.values.end()));
  }
  return d;
}

void Reader::ReadPayoffNames(const YAML::Node& node) {
  const auto& players = impl_.info.players;
  raw_payoffs_.assign(players.size(), std::nullopt);
  if (node.IsSequence()) {
    if (node.size() != players.size())
      Fail(node, "'payoffs' lists " + std::to_string(node.size()) + " formulas for " +
                     std::to_string(players.size()) + " players (" + Join(players) +
                     "); give one per player, in order");
    for (std::size_t i = 0; i < players.size(); ++i) raw_payoffs_[i].emplace(node[i]);
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string name = Scalar(it->first, "a player's name");
      int p = PlayerIndex(it->first, name);
      if (raw_payoffs_[p]) Fail(it->first, "the payoff of " + name + " is given twice");
      raw_payoffs_[p].emplace(it->second);
    }
    for (std::size_t i = 0; i < players.size(); ++i)
      if (!raw_payoffs_[i])
        Fail(node, "no payoff formula for player " + players[i] +
                       "; 'payoffs' needs one formula per player");
  } else {
    Fail(node, "'payoffs' must map each player to a formula, e.g. {A: cake - offer, B: offer}");
  }
  for (std::size_t i = 0; i < players.size(); ++i)
    impl_.info.payoffs.push_back(Scalar(*raw_payoffs_[i], "the payoff of " + players[i]));
}

std::string Reader::Describe(const YAML::Node& node) const {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}
void ReadInto(CompiledScenario::Impl& impl, std::string_view text, const std::string& file) {
  Reader(impl, text, file).Read();
}

}  // namespace parley::scenario
