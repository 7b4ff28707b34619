#include "solver/scenario/reader.h"

#include <algorithm>
#include <memory>

namespace parley::scenario {

void Reader::ReadStageList(const YAML::Node& node, int repeat, std::vector<Item>& out) {
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

int Reader::ReadRepeat(const YAML::Node& item, int parent) {
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

int Reader::ReadStage(const YAML::Node& node, int repeat) {
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

  ReadStageKind(node, m, repeat, def, raw, info);
  auto actions = Get(m, "actions");
  if (def.kind != StageKind::kCompute && def.kind != StageKind::kBargain && !actions.IsDefined())
    Fail(node, "missing key 'actions' in stage '" + name + "'");
  if (actions.IsDefined()) ReadActions(actions, def, raw, info);
  ReadStageProbabilities(node, m, def, raw, info);
  if (auto c = Get(m, "condition"); c.IsDefined()) {
    raw.condition = c;
    info.condition = Scalar(c, "the condition");
  }
  if (auto o = Get(m, "observe"); o.IsDefined()) {
    if (def.kind != StageKind::kDecision)
      Fail(m.at("observe").first, "'observe' belongs to stages where a player moves");
    ReadObserve(o, raw, info);
  }
  def.observe_all = info.observe_all;
  if (auto compute = Get(m, "compute"); compute.IsDefined()) ReadCompute(compute, raw, info);
  stage_order_.push_back(name);
  info.kind = def.kind;
  impl_.info.stages.push_back(std::move(info));
  return index;
}

void Reader::ReadStageKind(const YAML::Node& node, const KeyedMapping& m, int repeat,
                           StageDef& def, RawStage& raw, StageInfo& info) {
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
      Fail(node, "missing key 'player' in stage '" + info.name +
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
}

void Reader::ReadStageProbabilities(const YAML::Node& node, const KeyedMapping& m,
                                    StageDef& def, RawStage& raw, StageInfo& info) {
  auto probabilities = Get(m, "probabilities");
  if (def.kind == StageKind::kChance) {
    if (!probabilities.IsDefined())
      Fail(node, "missing key 'probabilities' in chance stage '" + info.name +
                     "': one per action, or one formula for every action");
    raw.probabilities = probabilities;
    info.probabilities = Describe(probabilities);
  } else if (probabilities.IsDefined()) {
    Fail(m.at("probabilities").first,
         "'probabilities' belongs to chance stages (player: nature)");
  }
}

void Reader::ReadObserve(const YAML::Node& o, RawStage& raw, StageInfo& info) {
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

void Reader::ReadCompute(const YAML::Node& compute, RawStage& raw, StageInfo& info) {
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

void Reader::ReadBargain(const YAML::Node& node, StageDef& def, RawStage& raw, StageInfo& info) {
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
    bargain->lotteries = BoolValue(l, "'lotteries'");
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

void Reader::ReadActions(const YAML::Node& node, StageDef& def, RawStage& raw, StageInfo& info) {
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

}  // namespace parley::scenario
