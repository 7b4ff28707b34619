// The text of `parley show` (show.h).
#include "solver/report/show.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "solver/model/number.h"

namespace parley::report {
namespace {

std::string Range(const scenario::Parameter& p) {
  if (!p.min && !p.max) return "";
  return "[" + (p.min ? FormatDouble(*p.min) : std::string("-inf")) + ", " +
         (p.max ? FormatDouble(*p.max) : std::string("inf")) + "]";
}

void Summary(std::ostream& out, const model::Game& game) {
  std::size_t personal = 0;
  for (model::InfosetId h = 0; h < game.num_infosets(); ++h)
    if (game.infoset_player(h) != model::kChancePlayer) ++personal;
  out << "Expanded game: " << game.num_nodes() << (game.num_nodes() == 1 ? " node, " : " nodes, ")
      << game.num_terminals() << " terminal, " << personal
      << (personal == 1 ? " information set, " : " information sets, ")
      << (game.perfect_information() ? "perfect information" : "imperfect information")
      << (game.has_chance() ? ", with chance moves" : "") << "\n";
}

}  // namespace

std::string DistributionText(const scenario::Distribution& d) {
  using Kind = scenario::Distribution::Kind;
  switch (d.kind) {
    case Kind::kUniform: return "uniform(" + FormatDouble(d.low) + ", " + FormatDouble(d.high) + ")";
    case Kind::kTriangular:
      return "triangular(" + FormatDouble(d.low) + ", " + FormatDouble(d.mode) + ", " +
             FormatDouble(d.high) + ")";
    case Kind::kNormal: return "normal(" + FormatDouble(d.mean) + ", " + FormatDouble(d.sd) + ")";
    case Kind::kBeta:
      return "beta(" + FormatDouble(d.alpha) + ", " + FormatDouble(d.beta) + ") on [" +
             FormatDouble(d.low) + ", " + FormatDouble(d.high) + "]";
    case Kind::kDiscrete: return "discrete, " + std::to_string(d.values.size()) + " values";
    case Kind::kFixed: break;
  }
  return "";
}

std::string ShowText(const scenario::Scenario* scenario, const model::Game& game,
                     const std::string& path) {
std::ostringstream out;
  if (!scenario) {
    out << (game.title().empty() ? path : game.title()) << "\n";
    out << "Players: ";
    for (int p = 0; p < game.num_players(); ++p) out << (p ? ", " : "") << game.player_name(p);
    out << "\n";
    Summary(out, game);
    return out.str();
  }
  const scenario::Scenario* s = scenario;
  out << (s->title.empty() ? path : s->title) << "\n";
  if (!s->description.empty()) out << s->description << (s->description.back() == '\n' ? "" : "\n");
  if (!s->units.empty()) out << "Units: " << s->units << "\n";
  out << "\nPlayers: ";
  for (std::size_t p = 0; p < s->players.size(); ++p) out << (p ? ", " : "") << s->players[p];
  out << "\n";
  if (!s->parameters.empty()) {
    out << "\nParameters:\n";
    for (const auto& p : s->parameters) {
      out << "  " << p.name << " = " << FormatDouble(p.value);
      if (p.value != p.file_value) out << " (set; the file says " << FormatDouble(p.file_value) << ")";
      if (!p.unit.empty()) out << " " << p.unit;
      if (std::string r = Range(p); !r.empty()) out << ", range " << r;
      if (p.distribution) out << ", distribution " << DistributionText(*p.distribution);
      if (!p.source.empty()) out << ", source: " << p.source;
      else if (p.assumption) out << ", assumption";
      else out << ", source not given";
      if (!p.description.empty()) out << "\n      " << p.description;
      out << "\n";
    }
  }
  if (s->explicit_tree) {
    out << "\nGiven as an explicit tree.\n";
  } else {
    out << "\nStages:\n";
    int number = 0;
    std::string current_after;
    std::vector<std::string> current_blocks;  // the repeat blocks the last stage was in, outermost first
    for (const auto& st : s->stages) {
      if (st.after_agreement_of != current_after) {
        current_after = st.after_agreement_of;
        current_blocks.clear();
        if (!current_after.empty())
          out << "  after an agreement at '" << current_after
              << "' (with the agreed terms known):\n";
      }
      // Each block's header once, nested in the one around it (StageInfo::repeat: one block a
      // line); a stage after an inner block, back in the outer one, gets no header again.
      std::vector<std::string> blocks;
      for (std::size_t start = 0; !st.repeat.empty() && start <= st.repeat.size();) {
        const std::size_t end = std::min(st.repeat.find('\n', start), st.repeat.size());
        blocks.push_back(st.repeat.substr(start, end - start));
        start = end + 1;
      }
      const std::size_t base = current_after.empty() ? 2 : 4;
      std::size_t common = 0;
      while (common < blocks.size() && common < current_blocks.size() && blocks[common] == current_blocks[common])
        ++common;
      for (std::size_t b = common; b < blocks.size(); ++b)
        out << std::string(base + 2 * b, ' ') << "repeated for " << blocks[b] << ":\n";
      current_blocks = blocks;
      std::string indent = std::string(base + 2 * blocks.size(), ' ');
      out << indent << ++number << ". " << st.name << ": ";
      switch (st.kind) {
        case scenario::StageKind::kDecision: {
          for (std::size_t i = 0; i < st.players.size(); ++i)
            out << (i ? " / " : "") << st.players[i];
          out << (st.players.size() > 1 ? " (taking turns)" : "") << " chooses " << st.actions;
          break;
        }
        case scenario::StageKind::kChance:
          out << "nature draws " << st.actions << " with probabilities " << st.probabilities;
          break;
        case scenario::StageKind::kCompute:
          out << "computes";
          break;
        case scenario::StageKind::kBargain: {
          if (st.players.size() == s->players.size()) {
            out << "the players bargain over ";
          } else {
            for (std::size_t i = 0; i < st.players.size(); ++i)
              out << (i == 0 ? "" : i + 1 == st.players.size() ? " and " : ", ") << st.players[i];
            out << " bargain over ";
          }
          for (std::size_t i = 0; i < st.issues.size(); ++i)
            out << (i == 0 ? "" : i + 1 == st.issues.size() ? " and " : "; ") << st.issues[i];
          bool after = false;
          for (const auto& other : s->stages) after = after || other.after_agreement_of == st.name;
          out << " (" << st.bargain_terms << "); "
              << (after ? "an agreement leads to the stages played after it (below), "
                        : "agreement ends the game, ")
              << (st.bargain_terms.find("disagreement point") != std::string::npos
                      ? "failed talks pay the disagreement point"
                      : after ? "if talks fail the stages after this list follow"
                              : "if talks fail the stages below follow");
          break;
        }
      }
      out << "\n";
      if (!st.condition.empty()) out << indent << "   only if " << st.condition << "\n";
      if (!st.observe_all) {
        out << indent << "   observes only: ";
        if (st.observe.empty()) out << "nothing";
        for (std::size_t i = 0; i < st.observe.size(); ++i) out << (i ? ", " : "") << st.observe[i];
        out << "\n";
      }
      for (const auto& [name, formula] : st.compute)
        out << indent << "   " << name << " = " << formula << "\n";
    }
    out << "\nPayoffs:\n";
    for (std::size_t p = 0; p < s->players.size(); ++p)
      out << "  " << s->players[p] << ": " << s->payoffs[p] << "\n";
  }
  if (!s->sources.empty()) {
    out << "\nSources:\n";
    for (const auto& src : s->sources) out << "  - " << src << "\n";
  }
  if (!s->notes.empty()) {
    out << "\nNotes:\n";
    for (const auto& n : s->notes) out << "  - " << n << "\n";
  }
  out << "\n";
  Summary(out, game);
  return out.str();
}

}  // namespace parley::report
