#include "solver/scenario/reader.h"

#include <algorithm>
#include <cmath>
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
  def.after_of = after_of_.empty() ? -1 : after_of_.back();
  if (def.after_of >= 0) info.after_agreement_of = impl_.info.stages[impl_.stages[def.after_of].info_index].name;
  raw.node = node;
  // Every block the stage is in, outermost first, one per line ("i = 1..2, while x == a").
  for (int b = repeat; b >= 0; b = impl_.repeats[static_cast<std::size_t>(b)].parent_repeat) {
    const RawRepeat& r = raw_repeats_[b];
    std::string block = loop_var_names_[b] + " = " + (r.from.IsDefined() ? Scalar(r.from, "from") : std::string("1")) +
                        ".." + Scalar(r.to, "to");
    if (r.while_condition.IsDefined()) block += ", while " + Scalar(r.while_condition, "while");
    info.repeat = info.repeat.empty() ? block : block + "\n" + info.repeat;
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
  // The stages after an agreement, read now that the bargain stage is in place (reading them
  // adds stages, so references into the stage lists end here).
  if (YAML::Node after = raw_stages_[index].after; after.IsDefined()) {
    std::vector<Item> items;
    after_of_.push_back(index);
    ReadStageList(after, -1, items);
    after_of_.pop_back();
    impl_.stages[index].bargain->after = std::move(items);
  }
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
    if (repeat >= 0)
      Fail(bargain, "a bargain stage cannot be inside a repeat block; to let time pass "
                    "while the parties bargain, use 'protocol: alternating' with a 'discount' "
                    "per party (and 'rounds' for a finite horizon)");
    if (!after_of_.empty())
      Fail(bargain, "a bargain stage cannot be inside 'after_agreement'; the stages after an "
                    "agreement are moves of the players and of chance");
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
        if (pname == "nature")
          Fail(p, "nature cannot take turns in a list of players: chance moves in a stage of its own "
                  "(player: nature, with probabilities); list only the players who decide");
        def.players.push_back(PlayerIndex(p, pname, /*mover=*/true));
        info.players.push_back(pname);
      }
    } else {
      std::string pname = Scalar(player, "the stage's player");
      def.players.push_back(PlayerIndex(player, pname, /*mover=*/true));
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
                   {"issues", "solution", "powers", "lotteries", "breakdown", "disagreement",
                    "parties", "constraints", "protocol", "discount", "first", "rounds",
                    "inside", "after_agreement"});
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
    info.issue_names.push_back(issue);
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
  const auto& players = impl_.info.players;
  std::vector<std::string> party_names = players;
  if (auto p = Get(m, "parties"); p.IsDefined()) {
    if (!p.IsSequence() || p.size() == 0)
      Fail(p, "'parties' must be a non-empty list of the players at the table, e.g. [" +
                  Join(players) + "]");
    party_names.clear();
    for (const auto& x : p) {
      std::string name = Scalar(x, "a party");
      int index = PlayerIndex(x, name);
      if (std::find(bargain->parties.begin(), bargain->parties.end(), index) !=
          bargain->parties.end())
        Fail(x, "party '" + name + "' is listed twice");
      bargain->parties.push_back(index);
      party_names.push_back(name);
    }
  }
  const std::size_t num_parties = party_names.size();
  auto protocol = Get(m, "protocol");
  if (protocol.IsDefined()) {
    std::string text = Scalar(protocol, "the protocol");
    if (text == "alternating") {
      bargain->protocol = bargaining::Protocol::kAlternating;
    } else if (text != "axiomatic") {
      Fail(protocol, "unknown protocol '" + text + "'" +
                         DidYouMean(text, {"axiomatic", "alternating"}) +
                         "; the protocols are axiomatic (the default: the solution concept "
                         "picks the agreement) and alternating (alternating offers)");
    }
  }
  const bool alternating = bargain->protocol == bargaining::Protocol::kAlternating;
  for (const char* key : {"discount", "first", "rounds"})
    if (!alternating && Get(m, key).IsDefined())
      Fail(m.at(key).first, std::string("'") + key +
                                "' belongs to alternating offers; add 'protocol: alternating' "
                                "or remove it");
  if (alternating) {
    if (num_parties != 2)
      Fail(protocol, "alternating offers need exactly two parties; this bargain has " +
                         std::to_string(num_parties) + " (" + Join(party_names) +
                         "); name two with 'parties: [A, B]'");
    if (auto p = Get(m, "powers"); p.IsDefined())
      Fail(m.at("powers").first,
           "'powers' does not go with 'protocol: alternating': the discount factors set the "
           "bargaining powers; remove 'powers' (or use the axiomatic protocol)");
    if (auto c = Get(m, "solution"); c.IsDefined())
      Fail(m.at("solution").first,
           "'solution' does not go with 'protocol: alternating': the agreement is the "
           "subgame-perfect split of alternating offers; remove 'solution'");
    auto d = Get(m, "discount");
    if (!d.IsDefined())
      Fail(protocol, "alternating offers need 'discount: [d1, d2]', one discount factor per "
                     "round for each party, each between 0 and 1");
    if (!d.IsSequence() || d.size() != 2)
      Fail(d, "'discount' must list one discount factor per party (2), each between 0 and 1");
    if (auto f = Get(m, "first"); f.IsDefined()) {
      std::string name = Scalar(f, "the first proposer");
      auto at = std::find(party_names.begin(), party_names.end(), name);
      if (at == party_names.end())
        Fail(f, "'first' names '" + name + "', who is not a party" +
                    DidYouMean(name, party_names) + "; the parties are " + Join(party_names));
      bargain->first = static_cast<int>(at - party_names.begin());
    }
    if (auto r = Get(m, "rounds"); r.IsDefined()) {
      double x = NumberValue(r, "'rounds'");
      // The bargaining solver's own limit (alternating offers: at most 10,000 rounds, the
      // split converging long before), said here at the key rather than at the stage later.
      if (!(x >= 1 && x <= 10'000 && x == std::floor(x)))
        Fail(r, "'rounds' must be a whole number of rounds from 1 to 10000 (omit it for "
                "an infinite horizon, which the split approaches long before)");
      bargain->rounds = static_cast<int>(x);
    }
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
    if (!p.IsSequence() || p.size() != num_parties)
      Fail(p, "'powers' must list one bargaining power per party (" +
                  std::to_string(num_parties) + ": " + Join(party_names) + ")");
  }
  if (auto l = Get(m, "lotteries"); l.IsDefined()) {
    bargain->lotteries = BoolValue(l, "'lotteries'");
  }
  if (auto d = Get(m, "disagreement"); d.IsDefined()) {
    bool follow = d.IsScalar() && (d.Scalar() == "continue" || d.Scalar() == "what_follows");
    bargain->outside = d.IsScalar() && d.Scalar() == "outside";
    if (!follow && !bargain->outside && d.IsSequence() && d.size() != players.size())
      Fail(d, "'disagreement' lists " + std::to_string(d.size()) + (d.size() == 1 ? " number" : " numbers") +
                  " for " + std::to_string(players.size()) + " players (" + Join(players) +
                  "); give one per player, in order");
    if (!follow && !bargain->outside && !d.IsSequence())
      Fail(d, "'disagreement' is 'continue' (the value of the stages that follow, the "
              "default), 'outside' (that value is an outside option) or one number per player (" +
                  Join(players) + "), e.g. [" + [&] {
                    std::string zeros;
                    for (std::size_t i = 0; i < players.size(); ++i) zeros += i ? ", 0" : "0";
                    return zeros;
                  }() + "]");
  }
  if (auto x = Get(m, "inside"); x.IsDefined()) {
    if (!bargain->outside)
      Fail(m.at("inside").first,
           "'inside' (what each party gets while talks go on) goes with 'disagreement: "
           "outside'; add it, or remove 'inside'");
    if (!x.IsSequence() || x.size() != players.size())
      Fail(x, "'inside' must list one payoff per player (" + std::to_string(players.size()) +
                  ": " + Join(players) + "), what each gets while talks go on");
  }
  if (auto c = Get(m, "constraints"); c.IsDefined()) {
    if (!c.IsSequence() || c.size() == 0)
      Fail(c, "'constraints' must be a non-empty list of formulas 'lhs <= rhs' or "
              "'lhs >= rhs' over the issues");
    for (const auto& x : c) Scalar(x, "a constraint");
  }
  if (auto a = Get(m, "after_agreement"); a.IsDefined()) {
    if (!a.IsSequence() || a.size() == 0)
      Fail(a, "'after_agreement' must be a non-empty list of stages (played after an "
              "agreement, with the agreed issues as variables)");
    raw.after = a;
  }

  const std::string powers_word = alternating ? "discount factors" : "powers";
  info.bargain_terms =
      alternating ? std::string("alternating offers") : bargaining::ToString(bargain->concept_kind) + " solution";
  if (Get(m, "parties").IsDefined()) info.bargain_terms += ", parties " + Join(party_names);
  if (auto p = Get(m, "powers"); p.IsDefined()) info.bargain_terms += ", powers " + Describe(p);
  if (alternating) {
    info.bargain_terms += ", discount factors " + Describe(Get(m, "discount")) + ", " +
                          party_names[static_cast<std::size_t>(bargain->first)] +
                          " proposes first, " +
                          (bargain->rounds ? "at most " + std::to_string(bargain->rounds) + " rounds"
                                           : std::string("no limit on rounds"));
  }
  if (auto c = Get(m, "constraints"); c.IsDefined()) {
    std::vector<std::string> texts;
    for (const auto& x : c) texts.push_back(x.Scalar());
    info.bargain_terms += ", constraints " + Join(texts, "; ");
  }
  if (!bargain->lotteries) info.bargain_terms += ", no lotteries between packages";
  if (auto x = Get(m, "breakdown"); x.IsDefined())
    info.bargain_terms += ", breakdown probability " + Describe(x);
  if (auto x = Get(m, "disagreement"); x.IsDefined() && x.IsSequence())
    info.bargain_terms += ", disagreement point " + Describe(x);
  if (bargain->outside) {
    info.bargain_terms += ", the no-deal value is an outside option";
    if (auto x = Get(m, "inside"); x.IsDefined())
      info.bargain_terms += ", inside payoffs " + Describe(x);
  }
  def.bargain = bargain;
  def.action_kind = ActionKind::kLabels;
  def.labels = {"agree", "no_deal"};
  label_nodes_.emplace_back("agree", node);
  label_nodes_.emplace_back("no_deal", node);
  info.players = party_names;
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
    std::string text = Scalar(node, "'actions'");
    Fail(node, "'actions' must be a list (e.g. [accept, reject]) or a range "
               "(e.g. {from: 0, to: cake, step: 1}), not '" + text + "'");
  }
}

}  // namespace parley::scenario
