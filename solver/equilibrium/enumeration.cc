#include "solver/equilibrium/enumeration.h"

#include <algorithm>
#include <map>
#include <set>

#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/strategic_form.h"
#include "solver/equilibrium/verify.h"
#include "solver/model/error.h"

namespace parley::equilibrium {

namespace {

double Binomial(std::size_t n, std::size_t k) {
  double r = 1;
  for (std::size_t i = 1; i <= k; ++i) r = r * static_cast<double>(n - k + i) / static_cast<double>(i);
  return r;
}

// Solves the square system rows * x = rhs exactly; false if singular.
bool SolveExact(std::vector<std::vector<Rational>> m, std::vector<Rational> rhs,
                std::vector<Rational>& x) {
  const std::size_t n = rhs.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    while (p < n && m[p][c] == 0) ++p;
    if (p == n) return false;
    std::swap(m[p], m[c]);
    std::swap(rhs[p], rhs[c]);
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c || m[r][c] == 0) continue;
      Rational f = m[r][c] / m[c][c];
      for (std::size_t k = c; k < n; ++k) m[r][k] -= f * m[c][k];
      rhs[r] -= f * rhs[c];
    }
  }
  x.resize(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = rhs[i] / m[i][i];
  return true;
}

struct Vertex {
  std::vector<Rational> point;
  std::vector<char> labels;  // size m + n
};

// Vertices (other than 0) of {z in R^d : z >= 0 (labels given by `zero_label`),
// C z <= 1 (row k has label `row_label[k]`)}.
std::vector<Vertex> Vertices(std::size_t d, const std::vector<std::vector<Rational>>& C,
                             const std::vector<std::size_t>& zero_label,
                             const std::vector<std::size_t>& row_label, std::size_t labels) {
  const std::size_t k = C.size(), total = d + k;
  std::map<std::vector<Rational>, std::size_t> seen;
  std::vector<Vertex> out;
  std::vector<std::size_t> pick(d);
  for (std::size_t i = 0; i < d; ++i) pick[i] = i;
  std::vector<Rational> z;
  for (;;) {
    std::vector<std::vector<Rational>> m(d, std::vector<Rational>(d, Rational(0)));
    std::vector<Rational> rhs(d, Rational(0));
    for (std::size_t i = 0; i < d; ++i) {
      if (pick[i] < d) {
        m[i][pick[i]] = 1;
      } else {
        m[i] = C[pick[i] - d];
        rhs[i] = 1;
      }
    }
    if (SolveExact(std::move(m), std::move(rhs), z)) {
      bool feasible = true, nonzero = false;
      for (const Rational& v : z) {
        feasible = feasible && v >= 0;
        nonzero = nonzero || v != 0;
      }
      std::vector<char> lab(labels, 0);
      for (std::size_t r = 0; r < k && feasible; ++r) {
        Rational s = 0;
        for (std::size_t j = 0; j < d; ++j) s += C[r][j] * z[j];
        if (s > 1) feasible = false;
        if (s == 1) lab[row_label[r]] = 1;
      }
      if (feasible && nonzero && !seen.count(z)) {
        for (std::size_t j = 0; j < d; ++j)
          if (z[j] == 0) lab[zero_label[j]] = 1;
        seen.emplace(z, out.size());
        out.push_back({z, std::move(lab)});
      }
    }
    // Next combination of d out of total.
    std::size_t i = d;
    while (i > 0 && pick[i - 1] == total - d + i - 1) --i;
    if (i == 0) break;
    ++pick[i - 1];
    for (std::size_t j = i; j < d; ++j) pick[j] = pick[j - 1] + 1;
  }
  return out;
}

}  // namespace

std::vector<MixedPair> ExtremeEquilibria(const Bimatrix& g, std::size_t max_systems) {
  const std::size_t m = g.rows, n = g.cols;
  PARLEY_CHECK(m > 0 && n > 0 && g.a.size() == m * n && g.b.size() == m * n);
  double systems = Binomial(m + n, m);
  if (systems > static_cast<double>(max_systems))
    throw LimitError("enumerating all equilibria of a " + std::to_string(m) + " x " +
                     std::to_string(n) + " game would solve " + std::to_string(systems) +
                     " linear systems per player (the limit is " + std::to_string(max_systems) +
                     "); solve without --all for one equilibrium");
  Rational amin = *std::min_element(g.a.begin(), g.a.end());
  Rational bmin = *std::min_element(g.b.begin(), g.b.end());
  // P: x in R^m, rows (B'x)_j <= 1 labelled m + j; x_i = 0 labelled i.
  std::vector<std::vector<Rational>> cp(n, std::vector<Rational>(m)), cq(m, std::vector<Rational>(n));
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      cp[j][i] = g.b[i * n + j] - bmin + 1;
      cq[i][j] = g.a[i * n + j] - amin + 1;
    }
  std::vector<std::size_t> p_zero(m), p_row(n), q_zero(n), q_row(m);
  for (std::size_t i = 0; i < m; ++i) p_zero[i] = q_row[i] = i;
  for (std::size_t j = 0; j < n; ++j) p_row[j] = q_zero[j] = m + j;
  std::vector<Vertex> vp = Vertices(m, cp, p_zero, p_row, m + n);
  std::vector<Vertex> vq = Vertices(n, cq, q_zero, q_row, m + n);
  std::vector<MixedPair> out;
  for (const Vertex& x : vp)
    for (const Vertex& y : vq) {
      bool complete = true;
      for (std::size_t l = 0; l < m + n && complete; ++l) complete = x.labels[l] || y.labels[l];
      if (!complete) continue;
      MixedPair e;
      Rational sx = 0, sy = 0;
      for (const auto& v : x.point) sx += v;
      for (const auto& v : y.point) sy += v;
      for (const auto& v : x.point) e.x.push_back(v / sx);
      for (const auto& v : y.point) e.y.push_back(v / sy);
      e.u = 0;
      e.v = 0;
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
          Rational w = e.x[i] * e.y[j];
          if (w == 0) continue;
          e.u += w * g.a[i * n + j];
          e.v += w * g.b[i * n + j];
        }
      out.push_back(std::move(e));
    }
  std::sort(out.begin(), out.end(), [](const MixedPair& l, const MixedPair& r) {
    return l.x != r.x ? l.x > r.x : l.y > r.y;
  });
  return out;
}

namespace {

// The pure realization plans of one player (each a 0/1 vector over the player's sequences):
// the reduced pure strategies, written over the sequence form's numbering.
std::vector<std::vector<char>> PurePlans(const Game& game, const PlayerSequences& ps,
                                         std::size_t limit, int player) {
  ReducedStrategies reduced = EnumerateReducedStrategies(
      game, player, limit,
      "--all enumerates equilibria of small strategic forms only (solve without --all for one "
      "equilibrium)");
  std::vector<std::uint32_t> first(game.num_infosets(), 0);
  for (std::size_t k = 0; k < ps.infosets.size(); ++k) first[ps.infosets[k]] = ps.first_seq[k];
  std::vector<std::vector<char>> plans;
  plans.reserve(reduced.strategies.size());
  for (const auto& strategy : reduced.strategies) {
    std::vector<char> chosen(ps.num_sequences, 0);
    chosen[0] = 1;
    for (std::size_t j = 0; j < reduced.sets.size(); ++j)
      if (strategy[j] != kExcludedSet) chosen[first[reduced.sets[j]] + strategy[j]] = 1;
    plans.push_back(std::move(chosen));
  }
  return plans;
}

}  // namespace

Solution EnumerateExtremeEquilibria(const Game& game, const EnumerationOptions& options) {
  if (game.num_players() != 2)
    throw UnsupportedError("enumerating all mixed equilibria needs two players; the game has " +
                           std::to_string(game.num_players()));
  RequirePerfectRecall(game, "equilibrium enumeration");
  const NodeId n = game.num_nodes();
  std::vector<char> no_cut(n, 0);
  std::vector<Rational> no_value;
  std::vector<std::uint32_t> seq_of(2 * static_cast<std::size_t>(n));
  SequenceForm<Rational> sf = BuildSequenceForm<Rational>(game, Game::root(), no_cut, no_value, seq_of);
  auto plans1 = PurePlans(game, sf.player[0], options.max_strategies, 0);
  auto plans2 = PurePlans(game, sf.player[1], options.max_strategies, 1);
  Bimatrix bm;
  bm.rows = plans1.size();
  bm.cols = plans2.size();
  bm.a.assign(bm.rows * bm.cols, Rational(0));
  bm.b.assign(bm.rows * bm.cols, Rational(0));
  for (std::size_t s = 0; s < bm.rows; ++s)
    for (std::size_t t = 0; t < bm.cols; ++t)
      for (const auto& e : sf.entries)
        if (plans1[s][e.s1] && plans2[t][e.s2]) {
          bm.a[s * bm.cols + t] += e.a;
          bm.b[s * bm.cols + t] += e.b;
        }
  std::vector<MixedPair> mixed = ExtremeEquilibria(bm);
  ActionIndex index(game);
  std::vector<char> roots = ProperSubgameRoots(game);
  std::size_t subgames = 0;
  for (NodeId v = 0; v < n; ++v) subgames += roots[v] && !game.is_terminal(v);
  Solution solution;
  solution.exact = true;
  solution.concept_name = subgames == 1 ? "extreme Nash" : "extreme subgame-perfect";
  solution.method = "vertex enumeration of the best-response polytopes of the reduced "
                    "strategic form (" + std::to_string(bm.rows) + " x " +
                    std::to_string(bm.cols) + " strategies)";
  std::set<std::vector<Rational>> seen;
  std::size_t dropped = 0;
  for (const MixedPair& e : mixed) {
    std::vector<Rational> x(sf.player[0].num_sequences, Rational(0)), y(sf.player[1].num_sequences, Rational(0));
    for (std::size_t s = 0; s < bm.rows; ++s)
      if (e.x[s] != 0)
        for (std::size_t q = 0; q < x.size(); ++q)
          if (plans1[s][q]) x[q] += e.x[s];
    for (std::size_t t = 0; t < bm.cols; ++t)
      if (e.y[t] != 0)
        for (std::size_t q = 0; q < y.size(); ++q)
          if (plans2[t][q]) y[q] += e.y[t];
    std::vector<Rational> behavior(index.size(), Rational(0));
    for (InfosetId h = 0; h < game.num_infosets(); ++h)
      if (game.infoset_player(h) == model::kChancePlayer)
        for (std::uint32_t a = 0; a < game.num_actions(h); ++a)
          behavior[index(h, a)] = game.exact_chance_prob(h, a);
    PlanToBehavior<Rational>(game, sf.player[0], x, index, behavior);
    PlanToBehavior<Rational>(game, sf.player[1], y, index, behavior);
    if (!seen.insert(behavior).second) continue;
    Rational gain = MaxSubgameGain<Rational>(game, index, behavior, &roots);
    if (gain != 0) {
      ++dropped;
      continue;
    }
    if (solution.equilibria.size() >= options.max_equilibria) {
      solution.truncated = true;
      break;
    }
    std::vector<Rational> values = NodeValuesAs<Rational>(game, index, behavior);
    Equilibrium eq;
    eq.max_gain = 0;
    for (const auto& b : behavior) eq.behavior.push_back(b.get_d());
    eq.exact_behavior = std::move(behavior);
    eq.exact_payoffs.assign(values.begin(), values.begin() + 2);
    for (const auto& v : eq.exact_payoffs) eq.payoffs.push_back(v.get_d());
    solution.equilibria.push_back(std::move(eq));
  }
  if (dropped)
    solution.notes.push_back(std::to_string(dropped) +
                             " extreme Nash equilibria of the strategic form are not subgame "
                             "perfect (with the uniform distribution at sets their own play never "
                             "reaches) and are not listed");
  return solution;
}

}  // namespace parley::equilibrium
