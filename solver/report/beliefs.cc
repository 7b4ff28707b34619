#include "solver/report/beliefs.h"

#include <sstream>

#include "solver/model/number.h"
#include "solver/report/solution.h"

namespace parley::report {

namespace {

// Set h's beliefs in exact arithmetic (ExactBeliefs' rule, WriteSetBeliefsJson); empty when
// they cannot be had that way (a trace's limit, or no reach from the subgame root).
std::vector<Rational> ExactBeliefs(const model::Game& game, const equilibrium::Equilibrium& eq,
                                   model::InfosetId h, const ExactBeliefInputs& inputs) {
  auto nodes = game.infoset_nodes(h);
  std::vector<Rational> out;
  if (eq.belief_source[h] == equilibrium::BeliefSource::kUnspecified) {
    out.assign(nodes.size(), Rational(1, static_cast<long>(nodes.size())));
    return out;
  }
  if (eq.belief_source[h] != equilibrium::BeliefSource::kBayes &&
      eq.belief_source[h] != equilibrium::BeliefSource::kSubgame)
    return {};
  // The nearest proper subgame root above the set (a set of two or more nodes holds none).
  model::NodeId r = nodes.front();
  while (r != 0 && !inputs.roots[r]) r = game.parent(r);
  Rational sum = 0;
  for (model::NodeId x : nodes) {
    Rational reach = 1;
    for (model::NodeId v = x; v != r && reach != 0;) {
      const model::NodeId up = game.parent(v);
      reach *= eq.exact_behavior[inputs.index.first(game.infoset(up)) + game.action_into(v)];
      v = up;
    }
    out.push_back(reach);
    sum += reach;
  }
  if (sum == 0) return {};
  for (Rational& b : out) b /= sum;
  return out;
}

}  // namespace

std::string BeliefsText(const model::Game& game, const equilibrium::Equilibrium& eq,
                        const std::function<std::string(model::InfosetId)>& set_name, std::size_t max_lines,
                        const ExactBeliefInputs* exact_inputs) {
  if (eq.beliefs.empty()) return {};
  std::ostringstream out;
  std::size_t lines = 0, total = 0;
  for (model::InfosetId h = 0; h < game.num_infosets(); ++h) {
    if (game.infoset_player(h) == model::kChancePlayer) continue;
    auto nodes = game.infoset_nodes(h);
    if (nodes.size() < 2) continue;
    if (total++ == 0) out << "  Beliefs (probability of each node when the set is reached):\n";
    if (lines >= max_lines) continue;
    ++lines;
    out << "    " << set_name(h) << ": ";
    std::vector<Rational> exact;
    if (exact_inputs && !eq.exact_behavior.empty()) exact = ExactBeliefs(game, eq, h, *exact_inputs);
    for (std::size_t i = 0; i < nodes.size(); ++i)
      out << (i ? ", " : "") << DescribeNode(game, nodes[i]) << " "
          << (exact.empty() ? ShowNumber(eq.beliefs[nodes[i]]) : FormatRational(exact[i]));
    out << " (" << equilibrium::BeliefSourceText(eq.belief_source[h]) << ")\n";
  }
  if (total > lines) out << "    ... and " << total - lines << " more (use --format json for all of them)\n";
  return out.str();
}


void WriteSetBeliefsJson(JsonWriter& w, const model::Game& game, const equilibrium::Equilibrium& eq,
                         model::InfosetId h, const ExactBeliefInputs* inputs) {
  if (eq.beliefs.empty()) return;
  std::vector<Rational> exact;
  if (inputs && !eq.exact_behavior.empty()) exact = ExactBeliefs(game, eq, h, *inputs);
  w.Key("beliefs").BeginArray();
  auto nodes = game.infoset_nodes(h);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const model::NodeId x = nodes[i];
    w.BeginObject();
    w.Field("at", DescribeNode(game, x));
    w.Field("node", x);
    if (!exact.empty())
      w.Field("probability", FormatRational(exact[i]));
    else
      w.Field("probability", eq.beliefs[x]);
    w.EndObject();
  }
  w.EndArray();
  w.Field("beliefs_from", equilibrium::BeliefSourceName(eq.belief_source[h]));
}

}  // namespace parley::report
