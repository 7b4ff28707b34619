#include "solver/report/beliefs.h"

#include <sstream>

#include "solver/report/solution.h"

namespace parley::report {

std::string BeliefsText(const model::Game& game, const equilibrium::Equilibrium& eq,
                        const std::function<std::string(model::InfosetId)>& set_name, std::size_t max_lines) {
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
    for (std::size_t i = 0; i < nodes.size(); ++i)
      out << (i ? ", " : "") << DescribeNode(game, nodes[i]) << " " << ShowNumber(eq.beliefs[nodes[i]]);
    out << " (" << equilibrium::BeliefSourceText(eq.belief_source[h]) << ")\n";
  }
  if (total > lines) out << "    ... and " << total - lines << " more (use --format json for all of them)\n";
  return out.str();
}

void WriteSetBeliefsJson(JsonWriter& w, const model::Game& game, const equilibrium::Equilibrium& eq,
                         model::InfosetId h) {
  if (eq.beliefs.empty()) return;
  w.Key("beliefs").BeginArray();
  for (model::NodeId x : game.infoset_nodes(h)) {
    w.BeginObject();
    w.Field("at", DescribeNode(game, x));
    w.Field("node", x);
    w.Field("probability", eq.beliefs[x]);
    w.EndObject();
  }
  w.EndArray();
  w.Field("beliefs_from", equilibrium::BeliefSourceName(eq.belief_source[h]));
}

}  // namespace parley::report
