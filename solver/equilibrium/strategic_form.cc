#include "solver/equilibrium/strategic_form.h"

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "solver/equilibrium/sequence_form.h"
#include "solver/model/error.h"
#include "solver/model/number_text.h"
#include "solver/model/cancel.h"

namespace parley::equilibrium {

using model::Game;
using model::InfosetId;
using model::NodeId;

namespace {

constexpr std::uint32_t kNone = 0xffffffffu;

// In a game with computed numbers, a number taken as exact: a computed double that is not a
// short dyadic has a huge denominator (2^52 and up), a formula's 3/2 a modest one; a number no
// double holds (1e-15, 1/3) was stated, not computed.
bool StatedExactly(const Rational& value) {
  return mpz_sizeinbase(value.get_den_mpz_t(), 2) <= 40 || HeldByNoDouble(value);
}

// A cell's payoff as the writers should show it: exact when the game's numbers all are (then
// even sums over long chance paths stay fractions), else the double it rounds to (a game with
// computed payoffs, such as a scenario's, gets decimals throughout; the nearest double, which
// GMP's get_d, truncating, is not).
Number ToNumber(const Rational& value, bool exact_game) {
  if (!exact_game) return Number(parley::ToDouble(value));
  return Number(value, value.get_den() == 1 ? Number::Kind::kInteger : Number::Kind::kFraction);
}

}  // namespace

ReducedStrategies EnumerateReducedStrategies(const Game& game, int player, std::size_t limit,
                                             const std::string& hint,
                                             const std::vector<InfosetId>* within) {
  ReducedStrategies out;
  out.sets = within ? *within : game.player_infosets(player);
  std::sort(out.sets.begin(), out.sets.end(), [&](InfosetId a, InfosetId b) {
    return game.infoset_nodes(a).front() < game.infoset_nodes(b).front();
  });
  const std::size_t K = out.sets.size();
  std::vector<std::uint32_t> position(game.num_infosets(), kNone);
  for (std::size_t k = 0; k < K; ++k) position[out.sets[k]] = static_cast<std::uint32_t>(k);
  // The player's own last move before each set (the same at every node of the set, by
  // perfect recall): found from the set's first node. It belongs to an earlier set, or lies
  // outside `within` (then it does not constrain the set).
  std::vector<std::uint32_t> parent_set(K, kNone), parent_action(K, 0);
  for (std::size_t k = 0; k < K; ++k) {
    NodeId child = game.infoset_nodes(out.sets[k]).front();
    for (NodeId v = game.parent(child); v != model::kNoNode; child = v, v = game.parent(v)) {
      if (game.kind(v) == model::NodeKind::kDecision && game.player(v) == player) {
        parent_set[k] = position[game.infoset(v)];
        parent_action[k] = game.action_into(child);
        break;
      }
    }
  }
  // Depth-first over the sets in order: a set is open when its parent move is chosen; each
  // open set tries its actions in turn.
  std::vector<std::uint32_t> current(K, kExcludedSet);
  std::size_t k = 0;
  bool forward = true;
  model::CancelPoll poll;
  for (;;) {
    poll();
    if (forward) {
      if (k == K) {
        if (out.strategies.size() == limit)
          throw LimitError(game.player_name(player) + " has more than " + std::to_string(limit) +
                           " reduced pure strategies; " + hint);
        // Each strategy holds an entry per set: a player of many sets reaches the memory
        // budget long before the count (10,000 strategies of 500,000 sets: 20 GB).
        constexpr std::size_t kMaxEntries = 64'000'000;
        if ((out.strategies.size() + 1) * std::max<std::size_t>(K, 1) > kMaxEntries)
          throw LimitError(game.player_name(player) + " has more than " + std::to_string(out.strategies.size()) +
                           " reduced pure strategies over " + std::to_string(K) +
                           " information sets, more than fit in memory here; " + hint);
        out.strategies.push_back(current);
        forward = false;
        continue;
      }
      bool open = parent_set[k] == kNone || current[parent_set[k]] == parent_action[k];
      current[k] = open ? 0 : kExcludedSet;
      ++k;
      continue;
    }
    if (k == 0) break;
    --k;
    if (current[k] != kExcludedSet && current[k] + 1 < game.num_actions(out.sets[k])) {
      ++current[k];
      ++k;
      forward = true;
    }
  }
  return out;
}

model::NormalFormGame ReducedStrategicForm(const Game& game, const StrategicFormOptions& options) {
  RequirePerfectRecall(game, "writing the reduced strategic form");
  const int np = game.num_players();
  const std::string hint = "the strategic form is written for small games only";
  std::vector<ReducedStrategies> reduced;
  std::size_t cells = 1;
  bool too_many = false;  // past max_cells (or past what a size_t holds)
  std::string shape;
  for (int p = 0; p < np; ++p) {
    reduced.push_back(EnumerateReducedStrategies(game, p, options.max_strategies, hint));
    std::size_t count = reduced.back().strategies.size();
    shape += (p ? " x " : "") + std::to_string(count);
    if (cells > std::numeric_limits<std::size_t>::max() / count)
      too_many = true;
    else
      cells *= count;
  }
  if (too_many || cells > options.max_cells)
    throw LimitError("the reduced strategic form has " + shape + " strategy profiles, more than " +
                     std::to_string(options.max_cells) + "; " + hint);

  // Labels, and for every (player, set, action) the strategies that choose it.
  std::vector<std::vector<std::string>> labels(np);
  std::vector<std::uint32_t> set_position(game.num_infosets(), kNone);
  std::vector<std::vector<std::uint32_t>> code_base(np);  // per player and set: first code
  std::vector<std::vector<std::vector<std::uint32_t>>> choosing(np);  // per player and code
  for (int p = 0; p < np; ++p) {
    const ReducedStrategies& r = reduced[p];
    std::uint32_t codes = 0;
    for (std::size_t k = 0; k < r.sets.size(); ++k) {
      set_position[r.sets[k]] = static_cast<std::uint32_t>(k);
      code_base[p].push_back(codes);
      codes += game.num_actions(r.sets[k]);
    }
    choosing[p].resize(codes);
    // A player of one set has its actions for strategies, labels and all: an action without a
    // label makes a strategy without one (an .nfg's "" comes back from its tree as ""). Among
    // several sets a missing label would leave no trace in the name ("a  b"): there it is
    // the action's number at its set, #k.
    const bool one_set = r.sets.size() == 1;
    for (std::uint32_t s = 0; s < r.strategies.size(); ++s) {
      std::string label;
      for (std::size_t k = 0; k < r.sets.size(); ++k) {
        std::uint32_t a = r.strategies[s][k];
        if (k) label += ' ';
        if (a == kExcludedSet) {
          label += '*';
          continue;
        }
        std::string_view name = game.action_label(r.sets[k], a);
        label += name.empty() && !one_set ? "#" + std::to_string(a + 1) : name;
        choosing[p][code_base[p][k] + a].push_back(s);
      }
      labels[p].push_back(r.sets.empty() ? "-" : label);
    }
    // Labels with spaces can make two strategies read alike ("a b" then "c" against "a" then
    // "b c": both "a b c"), and an answer naming one would not say which. Each strategy of a
    // name that occurs more than once gets its number (#k, from 1) appended (an empty name
    // becomes #k alone).
    for (bool again = true; again;) {
      again = false;
      std::unordered_map<std::string_view, std::uint32_t> count;
      for (const std::string& l : labels[p]) ++count[l];
      std::vector<char> repeated(labels[p].size(), 0);
      for (std::size_t s = 0; s < labels[p].size(); ++s) repeated[s] = count[labels[p][s]] > 1;
      for (std::size_t s = 0; s < labels[p].size(); ++s)
        if (repeated[s]) {
          labels[p][s] += (labels[p][s].empty() ? "#" : " #") + std::to_string(s + 1);
          again = true;
        }
    }
  }

  // Down the tree in preorder (a parent before its children): each node's chance probability,
  // accumulated payoffs and, per player, the code of the player's last own move (0: none).
  const NodeId n = game.num_nodes();
  std::vector<Rational> prob(n), paid(static_cast<std::size_t>(n) * np);
  std::vector<std::uint32_t> last(static_cast<std::size_t>(n) * np, 0);
  std::vector<Rational> sum(cells * np);
  std::vector<std::vector<std::uint32_t>> every(np);
  for (int p = 0; p < np; ++p) {
    every[p].resize(reduced[p].strategies.size());
    for (std::uint32_t s = 0; s < every[p].size(); ++s) every[p][s] = s;
  }
  std::vector<std::size_t> stride(np, 1);
  for (int p = 1; p < np; ++p) stride[p] = stride[p - 1] * reduced[p - 1].strategies.size();
  std::vector<const std::vector<std::uint32_t>*> lists(np);
  std::vector<std::size_t> at(np);
  model::CancelPoll poll;
  for (NodeId v = 0; v < n; ++v) {
    Rational* own = &paid[static_cast<std::size_t>(v) * np];
    std::uint32_t* moves = &last[static_cast<std::size_t>(v) * np];
    NodeId u = game.parent(v);
    if (u == model::kNoNode) {
      prob[v] = 1;
    } else {
      std::uint32_t a = game.action_into(v);
      InfosetId h = game.infoset(u);
      prob[v] = prob[u];
      if (game.kind(u) == model::NodeKind::kChance) prob[v] *= game.exact_chance_prob(h, a);
      for (int p = 0; p < np; ++p) {
        own[p] = paid[static_cast<std::size_t>(u) * np + p];
        moves[p] = last[static_cast<std::size_t>(u) * np + p];
      }
      if (game.kind(u) == model::NodeKind::kDecision) {
        int p = game.player(u);
        moves[p] = code_base[p][set_position[h]] + a + 1;
      }
    }
    if (game.outcome(v) != model::kNoOutcome)
      for (int p = 0; p < np; ++p) own[p] += game.exact_payoff(game.outcome(v), p);
    if (!game.is_terminal(v) || prob[v] == 0) continue;
    // Every profile whose strategies all choose this leaf's own moves reaches it.
    bool empty = false;
    for (int p = 0; p < np; ++p) {
      lists[p] = moves[p] == 0 ? &every[p] : &choosing[p][moves[p] - 1];
      empty = empty || lists[p]->empty();
      at[p] = 0;
    }
    if (empty) continue;
    for (;;) {
      poll();
      std::size_t cell = 0;
      for (int p = 0; p < np; ++p) cell += (*lists[p])[at[p]] * stride[p];
      for (int p = 0; p < np; ++p) sum[cell * np + p] += prob[v] * own[p];
      int p = 0;
      while (p < np && ++at[p] == lists[p]->size()) at[p++] = 0;
      if (p == np) break;
    }
  }

  std::vector<std::string> players;
  for (int p = 0; p < np; ++p) players.push_back(game.player_name(p));
  model::NormalFormGame table(std::move(players), std::move(labels), options.max_cells);
  table.SetTitle(game.title());
  // The game's own comment is kept (an .nfg read as a tree and written back keeps its own); a
  // game without one gets a comment that says how the strategies are named, and a tree made
  // from such a table gets that comment back.
  const std::string_view comment = game.comment();
  if (comment.starts_with(model::kConvertedTreeComment))
    table.SetComment(std::string(model::kReducedFormComment) +
                     std::string(comment.substr(model::kConvertedTreeComment.size())));
  else if (!comment.empty())
    table.SetComment(std::string(comment));
  else
    table.SetComment(std::string(model::kReducedFormComment) +
                     " a strategy names the action at each of its player's information sets in order of "
                     "appearance, * where the player's own earlier choices exclude the set, and an action "
                     "without a label by its number at the set, #k, when the player has several sets "
                     "(strategies that would read alike get their number, #k, appended).");
  // Exact when every number of the game was stated exactly (1/3, 1e-15 and
  // 1/100000000000000000000 alike), or, in a game with computed numbers, when all of them have
  // modest denominators (a formula's 3/2).
  bool exact_game = game.numbers_stated_exactly();
  if (!exact_game) {
    exact_game = true;
    for (model::OutcomeId o = 0; o < game.num_outcomes() && exact_game; ++o)
      for (int p = 0; p < np; ++p) exact_game = exact_game && StatedExactly(game.exact_payoff(o, p));
    for (InfosetId h = 0; h < game.num_infosets() && exact_game; ++h)
      if (game.infoset_player(h) == model::kChancePlayer)
        for (std::uint32_t a = 0; a < game.num_actions(h); ++a)
          exact_game = exact_game && StatedExactly(game.written_chance_prob(h, a));
  }
  for (std::size_t c = 0; c < cells; ++c)
    for (int p = 0; p < np; ++p) table.SetPayoff(c, p, ToNumber(sum[c * np + p], exact_game));
  // The table of a game with computed numbers is computed too, even where its cells are
  // integers or short fractions (1e23's double): the .nfg written from it carries the mark.
  if (!game.numbers_stated_exactly()) table.SetNumbersComputed(true);
  return table;
}

}  // namespace parley::equilibrium
