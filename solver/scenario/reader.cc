// The YAML reader of scenario files: checks the document's structure key by key (unknown
// keys get a did-you-mean), collects every name formulas may use, then compiles the
// formulas against them. Errors carry file:line:col of the key or value at fault.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "solver/io/yaml_limits.h"
#include "solver/scenario/internal.h"

namespace parley::scenario {
namespace {

// Names a formula cannot use for a parameter, stage or variable: the formula language's
// reserved words and functions, and nature (the chance player's name).
bool IsReserved(const std::string& name) {
  return formula::IsReservedName(name) || name == "nature";
}

std::string Join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

class Reader {
 public:
  Reader(CompiledScenario::Impl& impl, std::string_view text, const std::string& file)
      : impl_(impl), text_(text), file_(file) {}

  void Read() {
    // UTF-8, size and alias expansion are bounded before the document is walked.
    YAML::Node root = io::LoadYamlBounded(text_, file_);
    try {
      ReadDocument(root);
    } catch (const YAML::Exception& e) {
      // yaml-cpp's own complaints (a conversion, a too deeply nested document).
      throw ParseError(At(e.mark), "cannot read the YAML: " + e.msg);
    }
  }

 private:
  // ---- Locations and small helpers ------------------------------------------------------
  SourceLocation At(const YAML::Mark& mark) const {
    if (mark.line < 0 || mark.column < 0) return SourceLocation{file_};
    return SourceLocation{file_, mark.line + 1, mark.column + 1};
  }
  SourceLocation At(const YAML::Node& node) const { return At(node.Mark()); }
  // Where a scalar's text starts (after an opening quote).
  SourceLocation TextAt(const YAML::Node& node) const {
    SourceLocation at = At(node);
    int pos = node.Mark().pos;
    if (pos >= 0 && static_cast<std::size_t>(pos) < text_.size() &&
        (text_[pos] == '"' || text_[pos] == '\''))
      ++at.column;
    return at;
  }

  [[noreturn]] void Fail(const YAML::Node& node, const std::string& message) const {
    throw ParseError(At(node), message);
  }

  std::string Scalar(const YAML::Node& node, const std::string& what) const {
    if (!node.IsDefined() || node.IsNull())
      Fail(node, what + " is empty; write a value");
    if (!node.IsScalar())
      Fail(node, what + " must be a single value, not a " +
                     (node.IsSequence() ? "list" : "mapping"));
    return node.Scalar();
  }

  double NumberValue(const YAML::Node& node, const std::string& what) const {
    std::string text = Scalar(node, what);
    Number n;
    if (!Number::Parse(text, &n) || !std::isfinite(n.ToDouble()))
      Fail(node, what + " must be a number, not '" + text + "'");
    return n.ToDouble();
  }

  bool BoolValue(const YAML::Node& node, const std::string& what) const {
    std::string text = Scalar(node, what);
    if (text == "true" || text == "yes" || text == "True") return true;
    if (text == "false" || text == "no" || text == "False") return false;
    Fail(node, what + " must be true or false, not '" + text + "'");
  }

  // A mapping whose keys are checked against `allowed` (unknown keys: did-you-mean) and
  // against duplicates.
  std::map<std::string, std::pair<YAML::Node, YAML::Node>> Mapping(
      const YAML::Node& node, const std::string& what, const std::vector<std::string>& allowed) {
    if (!node.IsMap())
      Fail(node, what + " must be a mapping of keys (" + Join(allowed) + ")");
    std::map<std::string, std::pair<YAML::Node, YAML::Node>> out;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;  // a copy: it-> returns a temporary proxy
      if (!key.IsScalar()) Fail(key, "a key of " + what + " must be a word");
      std::string k = key.Scalar();
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
        Fail(key, "unknown key '" + k + "' in " + what + DidYouMean(k, allowed) +
                      "; the keys are " + Join(allowed));
      if (out.count(k)) Fail(key, "key '" + k + "' appears twice in " + what);
      out.emplace(k, std::make_pair(key, it->second));
    }
    return out;
  }

  static YAML::Node Get(const std::map<std::string, std::pair<YAML::Node, YAML::Node>>& m,
                        const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? None() : it->second.second;
  }

  void CheckName(const YAML::Node& node, const std::string& name, const std::string& what) {
    if (!IsIdentifier(name))
      Fail(node, what + " '" + name +
                     "' is not a usable name: use letters, digits and _, starting with a letter");
    if (IsReserved(name))
      Fail(node, what + " '" + name + "' is a reserved word of formulas; choose another name");
    auto it = names_.find(name);
    if (it != names_.end())
      throw ValidationError(At(node), what + " '" + name + "' has the same name as " +
                                          it->second + "; names must differ");
  }

  // ---- The document ---------------------------------------------------------------------
  void ReadDocument(const YAML::Node& root) {
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

  void ReadSources(const YAML::Node& node) {
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

  void ReadPlayers(const YAML::Node& node) {
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

  int PlayerIndex(const YAML::Node& node, const std::string& name) const {
    const auto& players = impl_.info.players;
    auto it = std::find(players.begin(), players.end(), name);
    if (it == players.end())
      Fail(node, "unknown player '" + name + "'" + DidYouMean(name, players) +
                     "; the players are " + Join(players) + " (or nature, for chance)");
    return static_cast<int>(it - players.begin());
  }

  void ReadParameters(const YAML::Node& node) {
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
          p.assumption = BoolValue(n, "assumption");
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

  static std::string RangeText(const Parameter& p) {
    return "[" + (p.min ? FormatDouble(*p.min) : std::string("-inf")) + ", " +
           (p.max ? FormatDouble(*p.max) : std::string("inf")) + "]";
  }

  Distribution ReadDistribution(const YAML::Node& node, const Parameter& p) {
    auto m = Mapping(node, "the distribution of '" + p.name + "'",
                     {"type", "low", "high", "mode", "mean", "sd", "alpha", "beta", "values",
                      "weights"});
    Distribution d;
    d.where = At(node);
    d.min = p.min;  // the normal is truncated to the parameter's range
    d.max = p.max;
    auto type = Get(m, "type");
    if (!type.IsDefined())
      Fail(node, "missing key 'type' in the distribution of '" + p.name +
                     "' (uniform, triangular, normal, beta or discrete)");
    std::string t = Scalar(type, "the distribution type");
    static const std::vector<std::string> kinds{"uniform", "triangular", "normal", "beta",
                                                "discrete"};
    auto need = [&](const std::string& key) {
      auto n = Get(m, key);
      if (!n.IsDefined())
        Fail(node, "missing key '" + key + "' in the " + t + " distribution of '" + p.name + "'");
      return NumberValue(n, key + " of the distribution of '" + p.name + "'");
    };
    auto allow_only = [&](const std::vector<std::string>& keys) {
      for (const auto& [k, kv] : m)
        if (k != "type" && std::find(keys.begin(), keys.end(), k) == keys.end())
          Fail(kv.first, "key '" + k + "' does not belong to a " + t +
                             " distribution; it takes " + Join(keys));
    };
    auto within = [&](double lo, double hi) {
      if ((p.min && lo < *p.min) || (p.max && hi > *p.max))
        throw ValidationError(d.where, "the distribution of '" + p.name + "' reaches outside " +
                                           "the parameter's range " + RangeText(p));
    };
    if (t == "uniform") {
      allow_only({"low", "high"});
      d.kind = Distribution::Kind::kUniform;
      d.low = need("low");
      d.high = need("high");
      if (!(d.low < d.high)) Fail(node, "a uniform distribution needs low < high");
      within(d.low, d.high);
    } else if (t == "triangular") {
      allow_only({"low", "mode", "high"});
      d.kind = Distribution::Kind::kTriangular;
      d.low = need("low");
      d.mode = need("mode");
      d.high = need("high");
      if (!(d.low <= d.mode && d.mode <= d.high && d.low < d.high))
        Fail(node, "a triangular distribution needs low <= mode <= high and low < high");
      within(d.low, d.high);
    } else if (t == "normal") {
      allow_only({"mean", "sd"});
      d.kind = Distribution::Kind::kNormal;
      d.mean = need("mean");
      d.sd = need("sd");
      if (!(d.sd > 0)) Fail(node, "a normal distribution needs sd > 0");
    } else if (t == "beta") {
      allow_only({"alpha", "beta", "low", "high"});
      d.kind = Distribution::Kind::kBeta;
      d.alpha = need("alpha");
      d.beta = need("beta");
      d.low = Get(m, "low").IsDefined() ? need("low") : 0.0;
      d.high = Get(m, "high").IsDefined() ? need("high") : 1.0;
      if (!(d.alpha > 0 && d.beta > 0)) Fail(node, "a beta distribution needs alpha, beta > 0");
      if (!(d.low < d.high)) Fail(node, "a beta distribution needs low < high");
      within(d.low, d.high);
    } else if (t == "discrete") {
      allow_only({"values", "weights"});
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
      } else {
        d.weights.assign(d.values.size(), 1.0);
      }
      within(*std::min_element(d.values.begin(), d.values.end()),
             *std::max_element(d.values.begin(), d.values.end()));
    } else {
      Fail(type, "unknown distribution '" + t + "'" + DidYouMean(t, kinds) + "; the types are " +
                     Join(kinds));
    }
    return d;
  }

  // ---- Stages (pass 1: structure and names) ---------------------------------------------
  // The raw YAML of one stage, kept for pass 2 (compiling formulas).
  // (Members start Undefined: a default-constructed YAML::Node counts as defined.)
  static YAML::Node None() { return YAML::Node(YAML::NodeType::Undefined); }
  struct RawStage {
    YAML::Node node = None(), condition = None(), probabilities = None(), actions = None(),
               from = None(), to = None(), step = None(), values = None();
    std::vector<std::pair<YAML::Node, YAML::Node>> compute_items;
    std::vector<YAML::Node> observe_items;
    YAML::Node bargain = None();
  };
  struct RawRepeat {
    YAML::Node from = None(), to = None(), while_condition = None();
  };

  void ReadStageList(const YAML::Node& node, int repeat, std::vector<Item>& out) {
    if (!node.IsSequence() || node.size() == 0)
      Fail(node, "'stages' must be a non-empty list of stages (each a mapping with a name)");
    for (const auto& item : node) {
      if (item.IsMap() && item["repeat"].IsDefined()) {
        out.push_back({true, ReadRepeat(item, repeat)});
      } else {
        out.push_back({false, ReadStage(item, repeat)});
      }
    }
  }

  int ReadRepeat(const YAML::Node& item, int parent) {
    auto outer = Mapping(item, "a repeat block", {"repeat"});
    const YAML::Node& node = Get(outer, "repeat");
    auto m = Mapping(node, "a repeat block", {"for", "from", "to", "while", "stages"});
    int index = static_cast<int>(impl_.repeats.size());
    impl_.repeats.emplace_back();
    raw_repeats_.emplace_back();
    impl_.repeats[index].parent_repeat = parent;
    impl_.repeats[index].where = At(node);
    std::string var = "round";
    if (auto n = Get(m, "for"); n.IsDefined()) var = Scalar(n, "the loop variable");
    YAML::Node var_node = Get(m, "for").IsDefined() ? Get(m, "for") : node;
    if (auto it = names_.find(var); it == names_.end() || loop_vars_.count(var) == 0) {
      CheckName(var_node, var, "loop variable");
      names_[var] = "loop variable '" + var + "'";
      loop_vars_.insert(var);
    } else {
      // A loop variable may be reused by a later, non-nested repeat block.
      for (int r = parent; r >= 0; r = impl_.repeats[r].parent_repeat)
        if (loop_var_names_[r] == var)
          Fail(var_node, "loop variable '" + var + "' is already used by an enclosing repeat");
    }
    loop_var_names_.push_back(var);
    if (!Get(m, "to").IsDefined())
      Fail(node, "missing key 'to' in a repeat block: the last value of '" + var + "'");
    if (!Get(m, "stages").IsDefined())
      Fail(node, "missing key 'stages' in a repeat block: the stages to repeat");
    raw_repeats_[index].from = Get(m, "from");
    raw_repeats_[index].to = Get(m, "to");
    raw_repeats_[index].while_condition = Get(m, "while");
    std::vector<Item> body;
    ReadStageList(Get(m, "stages"), index, body);
    impl_.repeats[index].body = std::move(body);
    return index;
  }

  int ReadStage(const YAML::Node& node, int repeat) {
    auto m = Mapping(node, "a stage",
                     {"name", "player", "actions", "probabilities", "condition", "observe",
                      "compute", "description", "bargain"});
    auto name_node = Get(m, "name");
    if (!name_node.IsDefined()) Fail(node, "missing key 'name' in a stage");
    std::string name = Scalar(name_node, "a stage's name");
    CheckName(name_node, name, "stage");
    names_[name] = "stage '" + name + "'";

    int index = static_cast<int>(impl_.stages.size());
    impl_.stages.emplace_back();
    raw_stages_.emplace_back();
    StageDef& def = impl_.stages.back();
    RawStage& raw = raw_stages_.back();
    StageInfo info;
    info.name = name;
    info.where = At(node);
    def.where = info.where;
    def.repeat_index = repeat;
    def.info_index = static_cast<int>(impl_.info.stages.size());
    raw.node = node;
    if (repeat >= 0) {
      const RawRepeat& r = raw_repeats_[repeat];
      info.repeat = loop_var_names_[repeat] + " = " +
                    (r.from.IsDefined() ? Scalar(r.from, "from") : std::string("1")) + ".." +
                    Scalar(r.to, "to");
    }

    auto player = Get(m, "player");
    auto actions = Get(m, "actions");
    auto compute = Get(m, "compute");
    if (auto bargain = Get(m, "bargain"); bargain.IsDefined()) {
      if (player.IsDefined() || actions.IsDefined())
        Fail(player.IsDefined() ? m.at("player").first : m.at("actions").first,
             "a bargain stage has no 'player' or 'actions': the players bargain over its issues");
      if (repeat >= 0) Fail(bargain, "a bargain stage cannot be inside a repeat block");
      def.kind = StageKind::kBargain;
      ReadBargain(bargain, def, raw, info);
    } else if (!player.IsDefined()) {
      if (actions.IsDefined() || !compute.IsDefined())
        Fail(node, "missing key 'player' in stage '" + name +
                       "': a player's name, or nature for a chance move");
      def.kind = StageKind::kCompute;
    } else if (player.IsScalar() && player.Scalar() == "nature") {
      def.kind = StageKind::kChance;
    } else {
      def.kind = StageKind::kDecision;
      if (player.IsSequence()) {
        if (repeat < 0)
          Fail(player, "a list of players takes turns over the rounds of a repeat block; "
                       "outside one, name a single player");
        if (player.size() == 0) Fail(player, "the list of players is empty");
        for (const auto& p : player) {
          std::string pname = Scalar(p, "a player");
          def.players.push_back(PlayerIndex(p, pname));
          info.players.push_back(pname);
        }
      } else {
        std::string pname = Scalar(player, "the stage's player");
        def.players.push_back(PlayerIndex(player, pname));
        info.players.push_back(pname);
      }
    }
    if (def.kind != StageKind::kCompute && def.kind != StageKind::kBargain && !actions.IsDefined())
      Fail(node, "missing key 'actions' in stage '" + name + "'");
    if (actions.IsDefined()) ReadActions(actions, def, raw, info);

    auto probabilities = Get(m, "probabilities");
    if (def.kind == StageKind::kChance) {
      if (!probabilities.IsDefined())
        Fail(node, "missing key 'probabilities' in chance stage '" + name +
                       "': one per action, or one formula for every action");
      raw.probabilities = probabilities;
      info.probabilities = Describe(probabilities);
    } else if (probabilities.IsDefined()) {
      Fail(m.at("probabilities").first,
           "'probabilities' belongs to chance stages (player: nature)");
    }
    if (auto c = Get(m, "condition"); c.IsDefined()) {
      raw.condition = c;
      info.condition = Scalar(c, "the condition");
    }
    if (auto o = Get(m, "observe"); o.IsDefined()) {
      if (def.kind != StageKind::kDecision)
        Fail(m.at("observe").first, "'observe' belongs to stages where a player moves");
      info.observe_all = false;
      if (o.IsScalar() && (o.Scalar() == "all" || o.Scalar() == "everything")) {
        info.observe_all = true;
      } else if (o.IsScalar() && o.Scalar() == "none") {
      } else if (o.IsSequence()) {
        for (const auto& s : o) {
          info.observe.push_back(Scalar(s, "an observed stage"));
          raw.observe_items.push_back(s);
        }
      } else if (o.IsScalar()) {
        info.observe.push_back(o.Scalar());
        raw.observe_items.push_back(o);
      } else {
        Fail(o, "'observe' must be a list of earlier stages' names, 'all' or 'none'");
      }
    }
    def.observe_all = info.observe_all;
    if (compute.IsDefined()) {
      if (!compute.IsMap())
        Fail(compute, "'compute' must be a mapping: variable: formula");
      for (auto it = compute.begin(); it != compute.end(); ++it) {
        std::string var = Scalar(it->first, "a computed variable's name");
        auto known = names_.find(var);
        if (known == names_.end() || computed_.count(var) == 0) CheckName(it->first, var, "computed variable");
        names_[var] = "computed variable '" + var + "'";
        computed_.insert(var);
        raw.compute_items.emplace_back(it->first, it->second);
        info.compute.emplace_back(var, Scalar(it->second, "the formula of '" + var + "'"));
      }
    }
    stage_order_.push_back(name);
    info.kind = def.kind;
    impl_.info.stages.push_back(std::move(info));
    return index;
  }

  std::string Describe(const YAML::Node& node) const {
    if (node.IsScalar()) return node.Scalar();
    YAML::Emitter out;
    out << YAML::Flow << node;
    return out.c_str();
  }

  // A bargain stage: its issues (continuous ranges or discrete options), the solution
  // concept, bargaining powers, lotteries, a breakdown probability and the disagreement point.
  void ReadBargain(const YAML::Node& node, StageDef& def, RawStage& raw, StageInfo& info) {
    auto m = Mapping(node, "a bargain",
                     {"issues", "solution", "powers", "lotteries", "breakdown", "disagreement"});
    raw.bargain = node;
    auto bargain = std::make_shared<BargainDef>();
    bargain->where = At(node);
    auto issues = Get(m, "issues");
    if (!issues.IsDefined())
      Fail(node, "missing key 'issues' in a bargain: what the players agree on, e.g. "
                 "{share: {from: 0, to: 1}}");
    if (!issues.IsMap() || issues.size() == 0)
      Fail(issues, "'issues' must be a mapping of issue names to {from, to} or {options: [...]}");
    for (auto it = issues.begin(); it != issues.end(); ++it) {
      std::string issue = Scalar(it->first, "an issue's name");
      CheckName(it->first, issue, "bargain issue");
      names_[issue] = "bargain issue '" + issue + "'";
      computed_.insert(issue);
      BargainIssueDef d;
      d.name = issue;
      auto im = Mapping(it->second, "issue '" + issue + "'", {"from", "to", "options"});
      if (auto o = Get(im, "options"); o.IsDefined()) {
        if (Get(im, "from").IsDefined() || Get(im, "to").IsDefined())
          Fail(it->second, "an issue has either 'options' or 'from'/'to'");
        if (!o.IsSequence() || o.size() == 0) Fail(o, "'options' must be a non-empty list of labels");
        d.discrete = true;
        for (const auto& x : o) {
          std::string label = Scalar(x, "an option");
          if (std::find(d.labels.begin(), d.labels.end(), label) != d.labels.end())
            Fail(x, "option '" + label + "' is listed twice");
          d.labels.push_back(label);
          label_nodes_.emplace_back(label, x);
        }
        info.issues.push_back(issue + ": " + Join(d.labels, " or "));
      } else {
        if (!Get(im, "from").IsDefined() || !Get(im, "to").IsDefined())
          Fail(it->second, "issue '" + issue + "' needs 'from' and 'to' (a range) or 'options'");
        info.issues.push_back(issue + " from " + Describe(Get(im, "from")) + " to " +
                              Describe(Get(im, "to")));
      }
      bargain->issues.push_back(std::move(d));
    }
    if (auto c = Get(m, "solution"); c.IsDefined()) {
      std::string text = Scalar(c, "the solution");
      if (text == "weighted_nash") text = "nash";
      if (text == "ks") text = "kalai_smorodinsky";
      if (!bargaining::ParseConcept(text, &bargain->concept_kind))
        Fail(c, "unknown solution '" + text + "'" +
                    DidYouMean(text, {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}) +
                    "; the solutions are nash, kalai_smorodinsky, egalitarian, utilitarian");
    }
    if (auto p = Get(m, "powers"); p.IsDefined()) {
      if (!p.IsSequence() || p.size() != impl_.info.players.size())
        Fail(p, "'powers' must list one bargaining power per player (" +
                    std::to_string(impl_.info.players.size()) + ")");
    }
    if (auto l = Get(m, "lotteries"); l.IsDefined()) {
      std::string text = Scalar(l, "lotteries");
      if (text != "true" && text != "false") Fail(l, "'lotteries' is true or false");
      bargain->lotteries = text == "true";
    }
    if (auto d = Get(m, "disagreement"); d.IsDefined()) {
      bool follow = d.IsScalar() && (d.Scalar() == "continue" || d.Scalar() == "what_follows");
      if (!follow && (!d.IsSequence() || d.size() != impl_.info.players.size()))
        Fail(d, "'disagreement' is 'continue' (the value of the stages that follow, the "
                "default) or one number per player");
    }
    info.bargain_terms = bargaining::ToString(bargain->concept_kind) + " solution";
    if (auto p = Get(m, "powers"); p.IsDefined()) info.bargain_terms += ", powers " + Describe(p);
    if (!bargain->lotteries) info.bargain_terms += ", no lotteries between packages";
    if (auto x = Get(m, "breakdown"); x.IsDefined())
      info.bargain_terms += ", breakdown probability " + Describe(x);
    if (auto x = Get(m, "disagreement"); x.IsDefined() && x.IsSequence())
      info.bargain_terms += ", disagreement point " + Describe(x);
    def.bargain = bargain;
    def.action_kind = ActionKind::kLabels;
    def.labels = {"agree", "no_deal"};
    label_nodes_.emplace_back("agree", node);
    label_nodes_.emplace_back("no_deal", node);
    info.players = impl_.info.players;
    info.actions = "agree, no_deal";
  }

  void CompileBargain(StageDef& def, const RawStage& raw, const std::string& in) {
    BargainDef& b = *def.bargain;
    const YAML::Node m = raw.bargain;
    const YAML::Node issues = m["issues"];
    std::size_t k = 0;
    for (auto it = issues.begin(); it != issues.end(); ++it, ++k) {
      BargainIssueDef& d = b.issues[k];
      d.var_slot = Symbols().Find(d.name);
      if (d.discrete) {
        for (const auto& label : d.labels) d.label_values.push_back(label_value_[label]);
      } else {
        d.from = CompileFormula(it->second["from"], "'from' of issue '" + d.name + "'" + in);
        d.to = CompileFormula(it->second["to"], "'to' of issue '" + d.name + "'" + in);
        RefuseLinkedBound(b, d.from, "'from'", d.name);
        RefuseLinkedBound(b, d.to, "'to'", d.name);
      }
    }
    if (m["powers"].IsDefined())
      for (const auto& p : m["powers"]) b.powers.push_back(CompileFormula(p, "a bargaining power" + in));
    if (m["breakdown"].IsDefined()) b.breakdown = CompileFormula(m["breakdown"], "'breakdown'" + in);
    if (m["disagreement"].IsDefined() && m["disagreement"].IsSequence())
      for (const auto& x : m["disagreement"])
        b.disagreement.push_back(CompileFormula(x, "a disagreement payoff" + in));
  }

  // A range bound that names an issue of the same bargain links two issues (the cap of one
  // depends on the agreed value of another). The solver treats every range as a fixed box, so
  // such a bound would be evaluated with the other issue at 0 and the link silently lost.
  void RefuseLinkedBound(const BargainDef& b, const Formula& bound, const std::string& which,
                         const std::string& issue) {
    if (!bound.expr) return;
    for (int slot : bound.expr->used_slots())
      for (const BargainIssueDef& other : b.issues)
        if (other.var_slot == slot)
          throw ValidationError(
              bound.where,
              which + " of issue '" + issue + "' names issue '" + other.name +
                  "' of the same bargain; linked issues (a range that depends on another "
                  "issue) are not supported yet (planned as the bargain's `constraints:`), so "
                  "give a range of parameters and computed variables only");
  }

  // Computed variables that only stages after bargain `b` set: on the bargain's agreement
  // branch those stages are never played (they are its no-deal branch), so the variables keep
  // their value from before the bargain, 0 when nothing set them earlier. Recorded so that
  // the expander can refuse a payoff that reads one of them for an agreement.
  void CollectLaterComputed() {
    // Stage definitions are numbered in file order (a bargain is never inside a repeat).
    for (std::size_t i = 0; i < impl_.stages.size(); ++i) {
      StageDef& def = impl_.stages[i];
      if (def.kind != StageKind::kBargain) continue;
      std::set<std::string> before;
      for (std::size_t j = 0; j <= i; ++j)
        for (const auto& [key, value] : raw_stages_[j].compute_items) before.insert(key.Scalar());
      std::set<std::string> seen;
      for (std::size_t j = i + 1; j < impl_.stages.size(); ++j)
        for (const auto& [key, value] : raw_stages_[j].compute_items) {
          std::string var = key.Scalar();
          if (before.count(var) || !seen.insert(var).second) continue;
          def.bargain->later_computed.push_back(
              {Symbols().Find(var), var, impl_.info.stages[impl_.stages[j].info_index].name, At(key)});
        }
    }
  }

  void ReadActions(const YAML::Node& node, StageDef& def, RawStage& raw, StageInfo& info) {
    raw.actions = node;
    def.actions_where = At(node);
    if (node.IsSequence()) {
      if (node.size() == 0)
        Fail(node, "the action list of stage '" + info.name + "' is empty; give at least one");
      bool numbers = true;
      for (const auto& a : node) {
        Number n;
        if (!a.IsScalar() || !Number::Parse(a.Scalar(), &n)) numbers = false;
      }
      if (numbers) {
        def.action_kind = ActionKind::kValues;
        raw.values = node;
      } else {
        def.action_kind = ActionKind::kLabels;
        std::set<std::string> seen;
        for (const auto& a : node) {
          std::string label = Scalar(a, "an action");
          Number n;
          if (Number::Parse(label, &n))
            Fail(a, "action lists mix numbers and labels; write all numbers (offers) or all "
                    "labels (choices)");
          if (!seen.insert(label).second) Fail(a, "action '" + label + "' is listed twice");
          def.labels.push_back(label);
          label_nodes_.emplace_back(label, a);
        }
      }
      info.actions = Describe(node);
    } else if (node.IsMap()) {
      auto m = Mapping(node, "the actions of stage '" + info.name + "'",
                       {"from", "to", "step", "values"});
      if (Get(m, "values").IsDefined()) {
        for (const char* k : {"from", "to", "step"})
          if (Get(m, k).IsDefined())
            Fail(m.at(k).first, "an action set has either 'values' or 'from'/'to'/'step'");
        raw.values = Get(m, "values");
        if (!raw.values.IsSequence() || raw.values.size() == 0)
          Fail(raw.values, "'values' must be a non-empty list of numbers or formulas");
        def.action_kind = ActionKind::kValues;
        info.actions = Describe(raw.values);
      } else {
        if (!Get(m, "from").IsDefined()) Fail(node, "missing key 'from' in the action range");
        if (!Get(m, "to").IsDefined()) Fail(node, "missing key 'to' in the action range");
        def.action_kind = ActionKind::kRange;
        raw.from = Get(m, "from");
        raw.to = Get(m, "to");
        raw.step = Get(m, "step");
        info.actions = Scalar(raw.from, "from") + " to " + Scalar(raw.to, "to") + " step " +
                       (raw.step.IsDefined() ? Scalar(raw.step, "step") : std::string("1"));
      }
    } else {
      std::string text = Scalar(node, "the actions");
      Fail(node, "'actions' must be a list (e.g. [accept, reject]) or a range "
                 "(e.g. {from: 0, to: cake, step: 1}), not '" + text + "'");
    }
  }

  void ReadPayoffNames(const YAML::Node& node) {
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

  // ---- Pass 2: symbols, then formulas ---------------------------------------------------
  void AddSymbols() {
    AddParameterSymbols();
    for (std::size_t i = 0; i < impl_.stages.size(); ++i)
      impl_.stages[i].var_slot = AddSymbol(impl_.info.stages[impl_.stages[i].info_index].name,
                                      SymbolKind::kStage);
    for (const std::string& v : loop_var_names_)
      if (Symbols().Find(v) < 0) AddSymbol(v, SymbolKind::kLoop);
    for (const std::string& v : computed_) AddSymbol(v, SymbolKind::kComputed);
    // Labels: each distinct label a distinct value from 1 (0 stays "no choice").
    std::map<std::string, double>& label_value = label_value_;
    for (const auto& [label, node] : label_nodes_) {
      if (label_value.count(label)) continue;
      double value = static_cast<double>(label_value.size() + 1);
      label_value[label] = value;
      if (!IsIdentifier(label) || IsReserved(label)) continue;
      auto it = names_.find(label);
      if (it != names_.end())
        throw ValidationError(At(node), "action label '" + label + "' has the same name as " +
                                            it->second +
                                            "; labels are constants in formulas, rename one");
      AddSymbol(label, SymbolKind::kLabel, value);
    }
    for (StageDef& def : impl_.stages)
      for (const std::string& label : def.labels) def.label_values.push_back(label_value[label]);
  }

  const formula::SymbolTable& Symbols() const { return std::as_const(impl_.formulas).symbols(); }
  int AddSymbol(const std::string& name, SymbolKind kind, double initial = 0) {
    impl_.symbol_kinds.push_back(kind);
    return impl_.formulas.mutable_symbols().Add(name, initial);
  }
  void AddParameterSymbols() {
    for (const Parameter& p : impl_.info.parameters)
      impl_.parameter_slots.push_back(AddSymbol(p.name, SymbolKind::kParameter, p.value));
  }

  const Expression* Compile(const YAML::Node& node, const std::string& what) {
    std::string text = Scalar(node, what);
    return impl_.formulas.Add(text, TextAt(node));
  }

  Formula CompileFormula(const YAML::Node& node, const std::string& what) {
    Formula f;
    f.where = TextAt(node);
    std::string text = Scalar(node, what);
    Number n;
    if (Number::Parse(text, &n)) {
      f.literal = n;
    } else {
      f.expr = Compile(node, what);
    }
    return f;
  }

  // Formulas that must be the same in every history (loop bounds) may use parameters and
  // enclosing loop variables only.
  void RequireStatic(const Formula& f, const std::string& what) {
    if (!f.expr) return;
    for (int slot : f.expr->used_slots()) {
      auto kind = impl_.symbol_kinds[static_cast<std::size_t>(slot)];
      if (kind == SymbolKind::kStage || kind == SymbolKind::kComputed)
        throw ValidationError(f.where, what + " uses '" + Symbols().name(slot) +
                                           "', which differs between histories; it can use "
                                           "parameters and loop variables only");
    }
  }

  void CompileStageForm() {
    AddSymbols();
    for (std::size_t r = 0; r < impl_.repeats.size(); ++r) {
      RepeatDef& def = impl_.repeats[r];
      RawRepeat& raw = raw_repeats_[r];
      def.var_slot = Symbols().Find(loop_var_names_[r]);
      if (raw.from.IsDefined()) {
        def.from = CompileFormula(raw.from, "'from'");
      } else {
        def.from.literal = Number(1);
        def.from.where = def.where;
      }
      def.to = CompileFormula(raw.to, "'to'");
      RequireStatic(def.from, "'from' of a repeat block");
      RequireStatic(def.to, "'to' of a repeat block");
      if (raw.while_condition.IsDefined())
        def.while_condition = Compile(raw.while_condition, "'while'");
    }
    std::map<std::string, int> stage_index;
    for (std::size_t i = 0; i < impl_.stages.size(); ++i)
      stage_index[impl_.info.stages[impl_.stages[i].info_index].name] = static_cast<int>(i);
    for (std::size_t i = 0; i < impl_.stages.size(); ++i) {
      StageDef& def = impl_.stages[i];
      RawStage& raw = raw_stages_[i];
      const StageInfo& info = impl_.info.stages[def.info_index];
      const std::string in = " of stage '" + info.name + "'";
      if (def.action_kind == ActionKind::kValues && raw.values.IsDefined())
        for (const auto& v : raw.values) def.values.push_back(CompileFormula(v, "an action" + in));
      if (def.action_kind == ActionKind::kRange) {
        def.from = CompileFormula(raw.from, "'from'" + in);
        def.to = CompileFormula(raw.to, "'to'" + in);
        if (raw.step.IsDefined()) {
          def.step = CompileFormula(raw.step, "'step'" + in);
        } else {
          def.step.literal = Number(1);
          def.step.where = def.actions_where;
        }
      }
      if (raw.probabilities.IsDefined()) {
        def.probabilities_where = At(raw.probabilities);
        const YAML::Node& p = raw.probabilities;
        if (p.IsScalar()) {
          def.probability_each = true;
          def.probabilities.push_back(CompileFormula(p, "the probability" + in));
        } else if (p.IsSequence()) {
          if (def.action_kind == ActionKind::kLabels && p.size() != def.labels.size())
            Fail(p, "stage '" + info.name + "' has " + std::to_string(def.labels.size()) +
                        " actions but " + std::to_string(p.size()) + " probabilities");
          if (def.action_kind == ActionKind::kRange)
            Fail(p, "a range of actions takes one probability formula (using the stage's "
                    "variable), not a list");
          for (const auto& x : p) def.probabilities.push_back(CompileFormula(x, "a probability" + in));
        } else if (p.IsMap()) {
          if (def.action_kind != ActionKind::kLabels)
            Fail(p, "probabilities by label need labelled actions; use a list or one formula");
          std::vector<std::optional<YAML::Node>> by_action(def.labels.size());
          for (auto it = p.begin(); it != p.end(); ++it) {
            std::string label = Scalar(it->first, "an action");
            auto at = std::find(def.labels.begin(), def.labels.end(), label);
            if (at == def.labels.end())
              Fail(it->first, "'" + label + "' is not an action" + in +
                                  DidYouMean(label, def.labels));
            by_action[at - def.labels.begin()].emplace(it->second);
          }
          for (std::size_t a = 0; a < def.labels.size(); ++a) {
            if (!by_action[a])
              Fail(p, "no probability for action '" + def.labels[a] + "'" + in);
            def.probabilities.push_back(CompileFormula(*by_action[a], "a probability" + in));
          }
        } else {
          Fail(p, "'probabilities' must be a list, a mapping by action, or one formula");
        }
      }
      if (def.kind == StageKind::kBargain) CompileBargain(def, raw, in);
      if (raw.condition.IsDefined()) def.condition = Compile(raw.condition, "the condition" + in);
      if (!def.observe_all) {
        def.observes.assign(impl_.stages.size(), 0);
        for (const YAML::Node& o : raw.observe_items) {
          std::string name = o.Scalar();
          auto it = stage_index.find(name);
          if (it == stage_index.end())
            Fail(o, "stage '" + info.name + "' observes '" + name + "', which is not a stage" +
                        DidYouMean(name, stage_order_));
          int j = it->second;
          if (j >= static_cast<int>(i) && !SameRepeat(j, static_cast<int>(i)))
            throw ValidationError(At(o), "stage '" + info.name + "' observes stage '" + name +
                                             "', which comes after it (or is itself); a "
                                             "player can observe only earlier choices");
          def.observes[j] = 1;
        }
      }
      for (auto& [key, value] : raw.compute_items) {
        int slot = Symbols().Find(key.Scalar());
        def.compute.emplace_back(slot, Compile(value, "the formula of '" + key.Scalar() + "'"));
      }
    }
    for (std::size_t p = 0; p < raw_payoffs_.size(); ++p)
      impl_.payoffs.push_back(CompileFormula(
          *raw_payoffs_[p], "the payoff of " + impl_.info.players[p]));
    CollectLaterComputed();
  }

  // Both stages lie inside one repeat block, so that a later one's earlier rounds come first.
  bool SameRepeat(int a, int b) const {
    for (int r = impl_.stages[a].repeat_index; r >= 0; r = impl_.repeats[r].parent_repeat)
      for (int q = impl_.stages[b].repeat_index; q >= 0; q = impl_.repeats[q].parent_repeat)
        if (r == q) return true;
    return false;
  }

  // Imperfect recall is allowed but reported: a player who does not observe a choice of his
  // own, or who forgets what he saw before.
  void RecallNotes() {
    const auto& defs = impl_.stages;
    auto& notes = impl_.info.notes;
    auto name = [&](int i) { return impl_.info.stages[defs[i].info_index].name; };
    for (std::size_t t = 0; t < defs.size(); ++t) {
      const StageDef& later = defs[t];
      if (later.kind != StageKind::kDecision || later.observe_all) continue;
      for (std::size_t s = 0; s < defs.size(); ++s) {
        const StageDef& earlier = defs[s];
        if (earlier.kind != StageKind::kDecision) continue;
        bool before = s < t || SameRepeat(static_cast<int>(s), static_cast<int>(t));
        if (!before) continue;
        bool shared = false;
        for (int p : earlier.players)
          if (std::find(later.players.begin(), later.players.end(), p) != later.players.end())
            shared = true;
        if (!shared) continue;
        std::string who = impl_.info.players[earlier.players[0]];
        if (!later.observes[s]) {
          notes.push_back(who + " does not observe his own earlier choice at stage '" + name(s) +
                          "' when moving at stage '" + name(t) + "' (imperfect recall)");
          continue;
        }
        for (std::size_t u = 0; u < defs.size(); ++u) {
          bool saw = earlier.observe_all ? (u < s || SameRepeat(static_cast<int>(u), static_cast<int>(s)))
                                         : earlier.observes[u] != 0;
          if (saw && u != t && !later.observes[u] && u != s) {
            notes.push_back(who + " saw stage '" + name(u) + "' when moving at '" + name(s) +
                            "' but not when moving at '" + name(t) + "' (imperfect recall)");
            break;
          }
        }
      }
    }
  }

  // ---- The explicit tree ----------------------------------------------------------------
  void ReadTree(const YAML::Node& node) {
    AddParameterSymbols();
    ReadTreeNode(node, 0);
    // Nodes of one player sharing an information set name must offer the same actions.
    std::map<std::pair<int, std::string>, int> first;
    for (std::size_t i = 0; i < impl_.tree.size(); ++i) {
      const TreeNodeDef& n = impl_.tree[i];
      if (n.kind != TreeNodeDef::Kind::kDecision || n.infoset.empty()) continue;
      auto [it, inserted] = first.emplace(std::make_pair(n.player, n.infoset), static_cast<int>(i));
      if (!inserted && impl_.tree[it->second].labels != n.labels)
        throw ValidationError(n.where, "the nodes of information set '" + n.infoset +
                                           "' offer different actions (" + Join(n.labels) +
                                           " here, " + Join(impl_.tree[it->second].labels) +
                                           " at line " +
                                           std::to_string(impl_.tree[it->second].where.line) +
                                           "); a player cannot tell them apart, so the actions "
                                           "must be the same");
    }
  }

  int ReadTreeNode(const YAML::Node& node, int depth) {
    if (depth > 5000) Fail(node, "the tree is nested too deeply (over 5000 levels)");
    int pos = node.Mark().pos;
    if (auto it = tree_memo_.find(pos); it != tree_memo_.end()) {
      if (it->second < 0)
        Fail(node, "a YAML alias refers to a node that contains it: the tree would be infinite");
      return it->second;
    }
    tree_memo_[pos] = -1;
    auto m = Mapping(node, "a tree node",
                     {"player", "infoset", "moves", "probabilities", "payoffs", "label"});
    TreeNodeDef def;
    def.where = At(node);
    if (auto n = Get(m, "label"); n.IsDefined()) def.node_label = Scalar(n, "label");
    auto player = Get(m, "player");
    auto moves = Get(m, "moves");
    auto payoffs = Get(m, "payoffs");
    std::vector<int> children;
    std::vector<YAML::Node> move_nodes;
    if (payoffs.IsDefined()) {
      for (const char* k : {"player", "moves", "probabilities", "infoset"})
        if (Get(m, k).IsDefined())
          Fail(m.at(k).first, std::string("a terminal node (with payoffs) has no '") + k + "'");
      def.kind = TreeNodeDef::Kind::kTerminal;
      const auto& players = impl_.info.players;
      std::vector<std::optional<YAML::Node>> by_player(players.size());
      if (payoffs.IsSequence()) {
        if (payoffs.size() != players.size())
          Fail(payoffs, "'payoffs' lists " + std::to_string(payoffs.size()) + " numbers for " +
                            std::to_string(players.size()) + " players (" + Join(players) + ")");
        for (std::size_t i = 0; i < players.size(); ++i) by_player[i].emplace(payoffs[i]);
      } else if (payoffs.IsMap()) {
        for (auto it = payoffs.begin(); it != payoffs.end(); ++it)
          by_player[PlayerIndex(it->first, Scalar(it->first, "a player"))].emplace(it->second);
        for (std::size_t i = 0; i < players.size(); ++i)
          if (!by_player[i])
            Fail(payoffs, "no payoff for player " + players[i] + " at this terminal node");
      } else {
        Fail(payoffs, "'payoffs' must be a list (one per player) or a mapping player: payoff");
      }
      for (std::size_t i = 0; i < players.size(); ++i)
        def.payoffs.push_back(CompileFormula(*by_player[i], "the payoff of " + players[i]));
    } else {
      if (!player.IsDefined())
        Fail(node, "a tree node needs 'player' (with 'moves') or 'payoffs' (a terminal node)");
      if (!moves.IsDefined()) Fail(node, "missing key 'moves' in a tree node");
      if (!moves.IsMap() || moves.size() == 0)
        Fail(moves, "'moves' must be a non-empty mapping: action: node");
      std::string pname = Scalar(player, "the node's player");
      if (pname == "nature") {
        def.kind = TreeNodeDef::Kind::kChance;
        if (Get(m, "infoset").IsDefined())
          Fail(m.at("infoset").first, "chance nodes have no information sets");
      } else {
        def.kind = TreeNodeDef::Kind::kDecision;
        def.player = PlayerIndex(player, pname);
        if (auto n = Get(m, "infoset"); n.IsDefined()) def.infoset = Scalar(n, "infoset");
      }
      for (auto it = moves.begin(); it != moves.end(); ++it) {
        std::string label = Scalar(it->first, "an action");
        if (std::find(def.labels.begin(), def.labels.end(), label) != def.labels.end())
          Fail(it->first, "action '" + label + "' appears twice at this node");
        def.labels.push_back(label);
        move_nodes.push_back(it->second);
      }
      auto probs = Get(m, "probabilities");
      if (def.kind == TreeNodeDef::Kind::kChance) {
        if (!probs.IsDefined())
          Fail(node, "missing key 'probabilities' at a chance node: one per move");
        std::vector<std::optional<YAML::Node>> by_move(def.labels.size());
        if (probs.IsSequence()) {
          if (probs.size() != def.labels.size())
            Fail(probs, "this chance node has " + std::to_string(def.labels.size()) +
                            " moves but " + std::to_string(probs.size()) + " probabilities");
          for (std::size_t i = 0; i < def.labels.size(); ++i) by_move[i].emplace(probs[i]);
        } else if (probs.IsMap()) {
          for (auto it = probs.begin(); it != probs.end(); ++it) {
            std::string label = Scalar(it->first, "a move");
            auto at = std::find(def.labels.begin(), def.labels.end(), label);
            if (at == def.labels.end())
              Fail(it->first, "'" + label + "' is not a move of this node" +
                                  DidYouMean(label, def.labels));
            by_move[at - def.labels.begin()].emplace(it->second);
          }
          for (std::size_t i = 0; i < def.labels.size(); ++i)
            if (!by_move[i])
              Fail(probs, "no probability for move '" + def.labels[i] + "'");
        } else {
          Fail(probs, "'probabilities' must be a list or a mapping move: probability");
        }
        for (const auto& p : by_move) def.probabilities.push_back(CompileFormula(*p, "a probability"));
      } else if (probs.IsDefined()) {
        Fail(m.at("probabilities").first, "'probabilities' belongs to chance nodes (player: nature)");
      }
    }
    int index = static_cast<int>(impl_.tree.size());
    impl_.tree.push_back(std::move(def));
    for (const auto& child : move_nodes) {
      int c = ReadTreeNode(child, depth + 1);
      impl_.tree[index].children.push_back(c);
    }
    tree_memo_[pos] = index;
    return index;
  }

  CompiledScenario::Impl& impl_;
  std::string text_;  // the file's text (YAML marks index into it)
  std::string file_;
  std::map<std::string, std::string> names_;  // name -> what it is ("parameter 'x'")
  std::set<std::string> loop_vars_, computed_;
  std::vector<std::string> loop_var_names_;  // by repeat index
  std::vector<std::string> stage_order_;
  std::vector<RawStage> raw_stages_;
  std::vector<RawRepeat> raw_repeats_;
  std::vector<std::pair<std::string, YAML::Node>> label_nodes_;
  std::map<std::string, double> label_value_;
  std::vector<std::optional<YAML::Node>> raw_payoffs_;
  std::map<int, int> tree_memo_;  // YAML position -> tree node (-1 while being read)
};

}  // namespace

void ReadInto(CompiledScenario::Impl& impl, std::string_view text, const std::string& file) {
  Reader(impl, text, file).Read();
}

}  // namespace parley::scenario
