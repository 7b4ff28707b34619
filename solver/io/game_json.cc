#include "solver/io/game_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <vector>

#include "solver/io/efg.h"
#include "solver/io/files.h"
#include "solver/io/suggest.h"
#include "solver/model/error.h"
#include "solver/model/game_builder.h"
#include "solver/model/number.h"

namespace parley::io {

using nlohmann::json;

namespace {

// Where the value at `path` starts in `text`, a document that has parsed, or npos when the
// path does not lead there (a key spelt with escapes, say). `path` is written as the reader's
// messages write it: keys joined by dots, indices in brackets ("nodes[3].outcome"); "(top
// level)" is the document. With `key_itself`, the place of the last key rather than of its
// value (an unknown key is shown where it is written).
std::size_t LocateJsonPath(std::string_view text, std::string_view path, bool key_itself = false) {
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  };
  auto skip_string = [&] {  // at the opening quote; ends past the closing one
    for (++i; i < text.size() && text[i] != '"'; ++i)
      if (text[i] == '\\') ++i;
    ++i;
  };
  auto skip_value = [&] {
    skip_space();
    if (i >= text.size()) return;
    if (text[i] == '"') return skip_string();
    if (text[i] == '{' || text[i] == '[') {
      int depth = 0;
      while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
          skip_string();
          continue;
        }
        if (c == '{' || c == '[') ++depth;
        if ((c == '}' || c == ']') && --depth == 0) {
          ++i;
          return;
        }
        ++i;
      }
      return;
    }
    while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && text[i] != ' ' &&
           text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
      ++i;
  };
  skip_space();
  if (path == "(top level)") return i;
  std::size_t p = 0;
  while (p < path.size()) {
    skip_space();
    if (i >= text.size()) return std::string_view::npos;
    if (path[p] == '[') {  // an index
      const std::size_t close = path.find(']', p);
      if (close == std::string_view::npos || text[i] != '[') return std::string_view::npos;
      std::size_t n = 0;
      for (std::size_t k = p + 1; k < close; ++k) n = n * 10 + static_cast<std::size_t>(path[k] - '0');
      p = close + 1;
      ++i;  // past '['
      for (std::size_t k = 0; k < n; ++k) {
        skip_value();
        skip_space();
        if (i >= text.size() || text[i] != ',') return std::string_view::npos;
        ++i;
      }
      skip_space();
      if (i >= text.size() || text[i] == ']') return std::string_view::npos;
      continue;
    }
    if (path[p] == '.') ++p;
    std::size_t end = path.find_first_of(".[", p);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view key = path.substr(p, end - p);
    p = end;
    if (text[i] != '{') return std::string_view::npos;
    ++i;
    for (;;) {
      skip_space();
      if (i >= text.size() || text[i] != '"') return std::string_view::npos;
      const std::size_t key_at = i;
      skip_string();
      const bool match = i - key_at >= 2 && text.substr(key_at + 1, i - key_at - 2) == key;
      skip_space();
      if (i >= text.size() || text[i] != ':') return std::string_view::npos;
      ++i;
      if (match) {
        if (key_itself && p == path.size()) return key_at;
        break;
      }
      skip_value();
      skip_space();
      if (i >= text.size() || text[i] != ',') return std::string_view::npos;
      ++i;
    }
  }
  skip_space();
  return i < text.size() ? i : std::string_view::npos;
}

class JsonGameReader {
 public:
  JsonGameReader(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  // Refused at the place the file writes `where` (file:line:col), which the message names too.
  [[noreturn]] void Fail(const std::string& where, const std::string& what) const { FailAt(where, false, where, what); }

  // Refused at the value at `path`, or with `at_key` at its key, the message naming `where`.
  [[noreturn]] void FailAt(std::string_view path, bool at_key, const std::string& where, const std::string& what) const {
    const std::size_t at = LocateJsonPath(text_, path, at_key);
    throw ParseError(at == std::string_view::npos ? SourceLocation{file_} : LocationOfByte(text_, file_, at),
                     where + ": " + what);
  }

  // Every key of `object` is one of `known`: a misspelt "lable" would otherwise drop the
  // label without a word.
  void CheckKeys(const json& object, const std::string& where, const std::vector<std::string>& known) const {
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      // At the key, unless its spelling would not read back as one step of a path.
      const bool plain = key.find_first_of(".[]\"\\") == std::string::npos;
      FailAt(!plain ? where : where == "(top level)" ? key : where + "." + key, /*at_key=*/plain, where,
             "unknown key \"" + TruncateForMessage(key, 40) + "\"" + DidYouMean(key, known) + "; the keys here are " + list);
    }
  }

  // A whole number in [min, max]; a larger one is refused, never wrapped.
  std::int64_t ToWholeNumber(const json& j, const std::string& where, std::int64_t min,
                             std::int64_t max) const {
    bool in_range = false;
    std::int64_t value = 0;
    if (j.is_number_unsigned()) {
      std::uint64_t u = j.get<std::uint64_t>();
      in_range = u <= static_cast<std::uint64_t>(max);
      value = in_range ? static_cast<std::int64_t>(u) : 0;
      in_range = in_range && value >= min;
    } else if (j.is_number_integer()) {
      value = j.get<std::int64_t>();
      in_range = value >= min && value <= max;
    } else {
      Fail(where, "expected a whole number, found " + TruncateForMessage(j.dump(), 40));
    }
    if (!in_range)
      Fail(where, TruncateForMessage(j.dump(), 40) + " is out of range; it must be from " +
                      std::to_string(min) + " to " + std::to_string(max));
    return value;
  }

  Number ToNumber(const json& j, const std::string& where) const {
    Number x;
    // Integers through their text, so that one past 2^63 is read exactly, not wrapped.
    if (j.is_number_integer() && Number::Parse(j.dump(), &x)) return x;
    if (j.is_number()) return Number(j.get<double>());
    if (j.is_string() && Number::Parse(j.get<std::string>(), &x)) {
      if (std::string problem = DoubleRangeProblem(x); !problem.empty())
        Fail(where, "the number " + TruncateForMessage(j.dump(), 40) + " " + problem);
      return x;
    }
    Fail(where, "expected a number such as 3, \"-1/2\" or \"0.25\", found " + TruncateForMessage(j.dump(), 40));
  }

  // The string under `key` of `object`, or `fallback` when there is none; anything but a
  // string there is refused at its place.
  std::string StringField(const json& object, const char* key, const std::string& where,
                          std::string fallback = {}) const {
    if (!object.contains(key)) return fallback;
    const json& value = object[key];
    if (!value.is_string())
      Fail(where.empty() ? key : where + "." + key, std::string("expected a string (in quotes), found ") + TruncateForMessage(value.dump(), 40));
    return value.get<std::string>();
  }

  model::GamePtr Read(const json& doc, const ReadOptions& options) {
    if (!doc.is_object()) Fail("(top level)", "a Parley game is a JSON object");
    CheckKeys(doc, "(top level)",
              {"format", "version", "title", "comment", "computed", "players", "infosets", "outcomes", "nodes"});
    // Both may be left out (a game written by hand), but a file that says it is something else,
    // or a later version, is not read as this one.
    if (doc.contains("format") && doc["format"] != "parley.game")
      Fail("format", "this reads Parley's game JSON, \"format\": \"parley.game\"; found " +
                         TruncateForMessage(doc["format"].dump(), 40));
    if (doc.contains("version") && doc["version"] != 1)
      Fail("version", "this Parley reads version 1 of its game JSON; found " +
                          TruncateForMessage(doc["version"].dump(), 40) +
                          (doc["version"].is_number_integer() && doc["version"].get<std::int64_t>() > 1
                               ? " (written by a later Parley?)"
                               : ""));
    if (!doc.contains("players") || !doc["players"].is_array() || doc["players"].empty())
      Fail("players", "a non-empty list of player names is required");
    std::vector<std::string> players;
    for (const auto& p : doc["players"]) {
      if (!p.is_string()) Fail("players", "player names must be strings");
      players.push_back(p.get<std::string>());
    }
    model::GameBuilder b(players);
    b.SetMaxNodes(options.max_nodes);
    if (doc.contains("title")) b.SetTitle(StringField(doc, "title", ""));
    if (doc.contains("comment")) b.SetComment(StringField(doc, "comment", ""));
    // Numbers computed in floating point (a scenario's formulas), each written as the shortest
    // decimal of its double: read as those doubles (see kComputedMark in efg.h).
    if (doc.contains("computed")) {
      if (!doc["computed"].is_boolean()) Fail("computed", "must be true or false");
      b.SetNumbersComputed(doc["computed"].get<bool>());
    }
    std::vector<model::InfosetId> sets;
    const json& infosets = doc.value("infosets", json::array());
    for (std::size_t i = 0; i < infosets.size(); ++i) {
      const json& h = infosets[i];
      std::string where = "infosets[" + std::to_string(i) + "]";
      if (!h.is_object() || !h.contains("actions"))
        Fail(where, "an information set needs \"player\" and \"actions\"");
      if (!h["actions"].is_array())
        Fail(where + ".actions", "expected a list of action labels such as [\"L\", \"R\"], found " +
                                     TruncateForMessage(h["actions"].dump(), 40));
      CheckKeys(h, where, {"player", "label", "actions", "probabilities"});
      std::vector<std::string> actions;
      for (std::size_t k = 0; k < h["actions"].size(); ++k) {
        const json& a = h["actions"][k];
        if (!a.is_string())
          Fail(where + ".actions[" + std::to_string(k) + "]",
               "expected an action label (a string in quotes), found " + TruncateForMessage(a.dump(), 40));
        actions.push_back(a.get<std::string>());
      }
      std::string label = StringField(h, "label", where);
      const json& player = h.value("player", json());
      try {
        if (player.is_string() && player.get<std::string>() == "chance") {
          const json& probs = h.value("probabilities", json::array());
          std::vector<Number> p;
          for (std::size_t k = 0; k < probs.size(); ++k)
            p.push_back(ToNumber(probs[k], where + ".probabilities[" + std::to_string(k) + "]"));
          sets.push_back(b.AddChanceInfoset(label, actions, p));
        } else if (player.is_number_integer()) {
          // Probabilities on a player's set contradict it (a chance move given a player's
          // number, most likely): refused, not dropped.
          if (h.contains("probabilities"))
            Fail(where + ".probabilities", "only a chance move has probabilities; this set is player " +
                                               TruncateForMessage(player.dump(), 20) +
                                               "'s (write \"player\": \"chance\" for a chance move, or drop the "
                                               "probabilities)");
          auto number = ToWholeNumber(player, where + ".player", 1, b.num_players());
          sets.push_back(b.AddInfoset(static_cast<int>(number - 1), label, actions));
        } else {
          Fail(where + ".player", "expected a player number (from 1) or \"chance\"");
        }
      } catch (const ValidationError& e) {
        Fail(where, e.message());
      }
    }
    std::vector<model::OutcomeId> outcomes;
    const json& outs = doc.value("outcomes", json::array());
    for (std::size_t i = 0; i < outs.size(); ++i) {
      std::string where = "outcomes[" + std::to_string(i) + "]";
      const json& o = outs[i];
      if (!o.is_object() || !o.contains("payoffs") || !o["payoffs"].is_array())
        Fail(where, "an outcome needs \"payoffs\" (one per player)");
      CheckKeys(o, where, {"label", "payoffs"});
      std::vector<Number> pay;
      for (std::size_t k = 0; k < o["payoffs"].size(); ++k)
        pay.push_back(ToNumber(o["payoffs"][k], where + ".payoffs[" + std::to_string(k) + "]"));
      try {
        outcomes.push_back(b.AddOutcome(StringField(o, "label", where), pay));
      } catch (const ValidationError& e) {
        Fail(where, e.message());
      }
    }
    if (!doc.contains("nodes") || !doc["nodes"].is_array() || doc["nodes"].empty())
      Fail("nodes", "a non-empty list of nodes in preorder is required");
    struct Open {
      model::NodeId node;
      std::uint32_t remaining;
    };
    std::vector<Open> stack;
    const json& nodes = doc["nodes"];
    std::vector<char> used(sets.size(), 0);  // per set: some node is in it
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      std::string where = "nodes[" + std::to_string(i) + "]";
      if (i > 0 && stack.empty())
        Fail(where, "the tree is already complete; this node has no parent");
      const json& node = nodes[i];
      if (!node.is_object()) Fail(where, "a node is a JSON object");
      CheckKeys(node, where, {"infoset", "outcome", "label"});
      model::NodeId parent = model::kNoNode;
      if (!stack.empty()) {
        parent = stack.back().node;
        if (--stack.back().remaining == 0) stack.pop_back();
      }
      model::OutcomeId outcome = model::kNoOutcome;
      if (node.contains("outcome") && !node["outcome"].is_null()) {
        if (!node["outcome"].is_number_unsigned() || node["outcome"].get<std::size_t>() >= outcomes.size())
          Fail(where + ".outcome", "no such outcome (outcomes are numbered from 0)");
        outcome = outcomes[node["outcome"].get<std::size_t>()];
      }
      std::string label = StringField(node, "label", where);
      try {
        if (node.contains("infoset")) {
          if (!node["infoset"].is_number_unsigned() || node["infoset"].get<std::size_t>() >= sets.size())
            Fail(where + ".infoset", "no such information set (numbered from 0)");
          model::InfosetId h = sets[node["infoset"].get<std::size_t>()];
          used[node["infoset"].get<std::size_t>()] = 1;
          model::NodeId v = b.AddNode(parent, h, outcome, label);
          stack.push_back({v, b.num_actions(h)});
        } else {
          b.AddTerminal(parent, outcome, label);
        }
      } catch (const ValidationError& e) {
        Fail(where, e.message());
      }
    }
    if (!stack.empty())
      Fail("nodes", "the list ends before the tree is complete (" +
                        std::to_string(stack.back().remaining) + " more children expected)");
    // A set no node is in was dropped without a word, and the numbers of its player's later
    // sets (which outputs use, as Gambit numbers them) moved down by one.
    for (std::size_t i = 0; i < used.size(); ++i)
      if (!used[i])
        Fail("infosets[" + std::to_string(i) + "]",
             "no node is in this information set; remove it, or give it nodes (the sets a game's outputs "
             "number are those its nodes are in)");
    try {
      return b.Build();
    } catch (const ValidationError& e) {
      throw ValidationError(SourceLocation{file_}, e.message());
    }
  }

 private:
  std::string_view text_;
  std::string file_;
};

}  // namespace

// JSON integers beyond 64 bits: the parser holds them as doubles, which would lose their last
// digits where the format promises integers exactly. Refused where the file writes one (a
// string keeps any number exact). Likewise a number that is not 0 but that a double holds as
// 0 (1e-400): the parser reads it as 0 without a word.
void RefuseInexactNumbers(std::string_view text, const std::string& file_name) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {  // a string: skipped with its escapes
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      continue;
    }
    if (c != '-' && !digit(c)) continue;
    std::size_t j = i + (c == '-' ? 1 : 0);
    while (j < text.size() && digit(text[j])) ++j;
    const bool integer = !(j < text.size() && (text[j] == '.' || text[j] == 'e' || text[j] == 'E'));
    const std::string_view token = text.substr(i, j - i);
    if (integer && token.size() > 18) {
      bool fits;
      if (c == '-') {
        std::int64_t v;
        fits = std::from_chars(token.data(), token.data() + token.size(), v).ec == std::errc();
      } else {
        std::uint64_t v;
        fits = std::from_chars(token.data(), token.data() + token.size(), v).ec == std::errc();
      }
      if (!fits)
        throw ParseError(LocationOfByte(text, file_name, i),
                         "the integer " + std::string(token) +
                             " does not fit in 64 bits, so it would be read rounded; write it as a string (\"" +
                             std::string(token) + "\") to keep it exact");
    }
    while (j < text.size() && (digit(text[j]) || text[j] == '.' || text[j] == 'e' || text[j] == 'E' ||
                               text[j] == '+' || text[j] == '-'))
      ++j;
    if (!integer) {
      const std::string number(text.substr(i, j - i));
      const std::string_view mantissa = std::string_view(number).substr(0, number.find_first_of("eE"));
      const double value = ReadDouble(number.c_str());
      if (mantissa.find_first_of("123456789") != std::string_view::npos && value == 0)
        throw ParseError(LocationOfByte(text, file_name, i),
                         "the number " + TruncateForMessage(number, 40) +
                             " is too small to compute with (it would be 0); write 0 if 0 is meant");
      if (std::fpclassify(value) == FP_SUBNORMAL)
        throw ParseError(LocationOfByte(text, file_name, i),
                         "the number " + TruncateForMessage(number, 40) + " " + DoubleRangeProblem(Number(value)));
    }
    i = j - 1;
  }
}

// A key written twice in one object: the parser keeps the last, so the first (a node's
// "outcome" given twice, say) would be dropped without a word. Refused at the second. Keys are
// compared as written, escapes and all (the text has parsed, so strings and brackets match).
void RefuseDuplicateKeys(std::string_view text, const std::string& file_name) {
  // The keys of the open objects, innermost last, each with where its quote opens; an object's
  // keys are sorted when it closes, so that a repeat is found in k log k for k keys.
  std::vector<std::pair<std::string_view, std::size_t>> keys;
  std::vector<std::size_t> frames;  // per open bracket: where its keys start, or npos
  constexpr std::size_t kArray = std::string_view::npos;
  bool expect_key = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{') {
      frames.push_back(keys.size());
      expect_key = true;
    } else if (c == '[') {
      frames.push_back(kArray);
      expect_key = false;
    } else if (c == '}' || c == ']') {
      if (!frames.empty()) {
        const std::size_t begin = frames.back();
        if (begin != kArray) {
          std::sort(keys.begin() + static_cast<std::ptrdiff_t>(begin), keys.end());
          std::size_t at = std::string_view::npos;  // the earliest second occurrence
          std::string_view repeated;
          for (std::size_t k = begin + 1; k < keys.size(); ++k)
            if (keys[k].first == keys[k - 1].first && keys[k].second < at) {
              at = keys[k].second;  // sorted by place within equal keys: the second one
              repeated = keys[k].first;
            }
          if (at != std::string_view::npos)
            throw ParseError(LocationOfByte(text, file_name, at),
                             "the key \"" + TruncateForMessage(repeated, 40) +
                                 "\" appears twice in this object; give it once (the reader would keep only the last)");
          keys.resize(begin);
        }
        frames.pop_back();
      }
      expect_key = false;
    } else if (c == ',') {
      expect_key = !frames.empty() && frames.back() != kArray;
    } else if (c == '"') {
      const std::size_t begin = i + 1;
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      if (!expect_key) continue;
      expect_key = false;
      keys.emplace_back(text.substr(begin, i - begin), begin - 1);
    }
  }
}

model::GamePtr ReadGameJson(std::string_view text, const std::string& file_name,
                            const ReadOptions& options) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    auto pos = what.find("parse error");
    throw ParseError(LocationOfByte(text, file_name, e.byte > 0 ? e.byte - 1 : 0),
                     "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos)));
  } catch (const json::out_of_range& e) {
    // A number beyond a double's range ("number overflow parsing '1e400'"): located at the
    // first place the file spells it.
    const std::string what = e.what();
    const auto open = what.find('\''), close = what.rfind('\'');
    const std::string number = open != std::string::npos && close > open ? what.substr(open + 1, close - open - 1) : "";
    // Its first place outside strings (a label may spell the same characters).
    std::size_t at = std::string_view::npos;
    for (std::size_t i = 0; !number.empty() && i < text.size() && at == std::string_view::npos; ++i) {
      if (text[i] == '"') {
        for (++i; i < text.size() && text[i] != '"'; ++i)
          if (text[i] == '\\') ++i;
      } else if (text.substr(i, number.size()) == number) {
        at = i;
      }
    }
    throw ParseError(at == std::string_view::npos ? SourceLocation{file_name} : LocationOfByte(text, file_name, at),
                     "the number " + (number.empty() ? std::string("here") : number) +
                         " is beyond the range of a double (magnitude at most about 1.8e308)");
  }
  RefuseInexactNumbers(text, file_name);
  RefuseDuplicateKeys(text, file_name);
  try {
    return JsonGameReader(text, file_name).Read(doc, options);
  } catch (const json::exception& e) {
    throw ParseError(SourceLocation{file_name}, std::string("unexpected JSON value: ") + e.what());
  }
}

std::string WriteGameJson(const model::Game& game) {
  RefuseUnreadablePayoffs(game, "JSON");
  json doc;
  doc["format"] = "parley.game";
  doc["version"] = 1;
  doc["title"] = game.title();
  if (!game.comment().empty()) doc["comment"] = game.comment();
  if (!game.numbers_stated_exactly()) doc["computed"] = true;
  doc["players"] = game.players();
  json sets = json::array();
  for (model::InfosetId h = 0; h < game.num_infosets(); ++h) {
    json s;
    int p = game.infoset_player(h);
    if (p == model::kChancePlayer) {
      s["player"] = "chance";
    } else {
      s["player"] = p + 1;
    }
    if (!game.infoset_label(h).empty()) s["label"] = game.infoset_label(h);
    json actions = json::array(), probs = json::array();
    for (std::uint32_t a = 0; a < game.num_actions(h); ++a) actions.push_back(game.action_label(h, a));
    if (p == model::kChancePlayer)
      for (std::string& text : ChanceTexts(game, h)) probs.push_back(std::move(text));
    s["actions"] = actions;
    if (p == model::kChancePlayer) s["probabilities"] = probs;
    sets.push_back(std::move(s));
  }
  doc["infosets"] = std::move(sets);
  json outs = json::array();
  for (model::OutcomeId o = 0; o < game.num_outcomes(); ++o) {
    json out;
    if (!game.outcome_label(o).empty()) out["label"] = game.outcome_label(o);
    json pay = json::array();
    for (int p = 0; p < game.num_players(); ++p) pay.push_back(game.payoff_text(o, p));
    out["payoffs"] = pay;
    outs.push_back(std::move(out));
  }
  doc["outcomes"] = std::move(outs);
  json nodes = json::array();
  for (model::NodeId v = 0; v < game.num_nodes(); ++v) {
    json node = json::object();
    if (!game.is_terminal(v)) node["infoset"] = game.infoset(v);
    if (game.outcome(v) != model::kNoOutcome) node["outcome"] = game.outcome(v);
    if (!game.node_label(v).empty()) node["label"] = game.node_label(v);
    nodes.push_back(std::move(node));
  }
  doc["nodes"] = std::move(nodes);
  return doc.dump(1) + "\n";
}

}  // namespace parley::io
