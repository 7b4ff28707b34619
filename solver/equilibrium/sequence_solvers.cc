#include "solver/equilibrium/sequence_solvers.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <utility>

#include "solver/equilibrium/lemke.h"
#include "solver/lp/linear_program.h"
#include "solver/model/error.h"

namespace parley::equilibrium {

namespace {

// Calls f(row, sequence, coefficient) for every nonzero of the constraint matrix E of a
// player: row 0 is x[empty] = 1, row k + 1 says sum_a x[(h_k, a)] - x[parent(h_k)] = 0.
template <class F>
void ForEachConstraint(const Game& game, const PlayerSequences& ps, F f) {
  f(0u, 0u, 1);
  for (std::uint32_t k = 0; k < ps.infosets.size(); ++k) {
    f(k + 1, ps.parent_seq[k], -1);
    for (std::uint32_t a = 0; a < game.num_actions(ps.infosets[k]); ++a)
      f(k + 1, ps.first_seq[k] + a, 1);
  }
}

constexpr std::size_t kMaxLcpSize = 16000;
constexpr std::size_t kMaxExactLcpSize = 2500;

// Why Lemke's method did not solve the LCP of the subgame at `root`, for notes and errors.
std::string LcpFailure(NodeId root, const std::string& why) {
  return "sequence-form LCP of the subgame at node " + std::to_string(root) + ": " + why;
}

// The sequence-form LCP with the equations E x = e and the free u eliminated (the free
// variables stay basic and drop out; von Stengel, van den Elzen and Talman 2002 keep them basic
// the same way). Per player, S holds the empty sequence and the first action of every set, N
// the other sequences. Every realization plan is x = x~ + C x_N, where x~ plays the first
// action everywhere and row s of C is the unit vector of s for s in N and, for s = (h, first)
// in S, coef_s = coef_parent(h) - sum of the other actions at h (x_s = x_parent - the rest).
// As C'E' = 0, the rows of w_x = P y - E'u + d z0 combine, with w_N = C'w_x - coef' w_S, into
//     w_N = C'P y~ + C'P C_y y_N + z0 - coef' w_S,        x_S = x~_S + coef x_N,
// an LCP of size n1 + n2 (half the split formulation) in which the pairs are (w_N, x_N) and
// (x_S, w_S); its covering vector is 1 on the w_N rows and 0 on the x_S rows (x~ >= 0 already).
struct Reduction {
  std::vector<char> in_s;                                        // per sequence
  std::vector<std::vector<std::pair<std::uint32_t, int>>> coef;  // per sequence in S
  std::vector<int> start;                                        // x~ (0 or 1)
};

Reduction Reduce(const Game& game, const PlayerSequences& ps) {
  Reduction r;
  const std::uint32_t n = ps.num_sequences;
  r.in_s.assign(n, 0);
  r.coef.resize(n);
  r.start.assign(n, 0);
  r.in_s[0] = 1;
  r.start[0] = 1;
  // Sets in id order need not list parents first: order them by their first sequence's
  // parent chain via a worklist over the parent relation.
  std::vector<std::uint32_t> set_of_seq(n, 0xffffffffu);
  for (std::uint32_t k = 0; k < ps.infosets.size(); ++k)
    for (std::uint32_t a = 0; a < game.num_actions(ps.infosets[k]); ++a)
      set_of_seq[ps.first_seq[k] + a] = k;
  std::vector<std::vector<std::uint32_t>> children(n);
  for (std::uint32_t k = 0; k < ps.infosets.size(); ++k) children[ps.parent_seq[k]].push_back(k);
  std::vector<std::uint32_t> stack = {0};
  while (!stack.empty()) {
    std::uint32_t p = stack.back();
    stack.pop_back();
    for (std::uint32_t k : children[p]) {
      std::uint32_t first = ps.first_seq[k], actions = game.num_actions(ps.infosets[k]);
      r.in_s[first] = 1;
      auto& c = r.coef[first];
      if (r.in_s[p]) {
        c = r.coef[p];
        r.start[first] = r.start[p];
      } else {
        c.push_back({p, 1});
      }
      for (std::uint32_t a = 1; a < actions; ++a) c.push_back({first + a, -1});
      for (std::uint32_t a = 0; a < actions; ++a) stack.push_back(first + a);
    }
  }
  return r;
}

PlanPair<double> SolveReducedLemke(const Game& game, const SequenceForm<double>& sf) {
  const PlayerSequences* ps[2] = {&sf.player[0], &sf.player[1]};
  const std::size_t n1 = ps[0]->num_sequences, n2 = ps[1]->num_sequences, N = n1 + n2;
  if (N > kMaxLcpSize)
    ThrowAtNode<LimitError>(sf.root, "the sequence-form LCP of the subgame at node " + std::to_string(sf.root) +
                     " has " + std::to_string(N) + " rows; Lemke's method here handles up to " +
                     std::to_string(kMaxLcpSize));
  Reduction red[2] = {Reduce(game, *ps[0]), Reduce(game, *ps[1])};
  const std::size_t offset[2] = {0, n1};
  // Row s of C as (reduced index, coefficient) pairs.
  auto row_of_c = [&](int p, std::uint32_t s) {
    std::vector<std::pair<std::size_t, double>> out;
    if (!red[p].in_s[s]) {
      out.push_back({offset[p] + s, 1.0});
    } else {
      for (auto [t, c] : red[p].coef[s]) out.push_back({offset[p] + t, static_cast<double>(c)});
    }
    return out;
  };
  std::vector<std::vector<std::pair<std::size_t, double>>> crow(N);
  for (int p = 0; p < 2; ++p)
    for (std::uint32_t s = 0; s < ps[p]->num_sequences; ++s) crow[offset[p] + s] = row_of_c(p, s);
  std::vector<double> M(N * N, 0.0), q(N, 0.0), d(N, 0.0);
  double c0 = sf.max_payoff[0] + 1, c1 = sf.max_payoff[1] + 1;
  double s0 = c0 - sf.min_payoff[0], s1 = c1 - sf.min_payoff[1];
  for (const auto& e : sf.entries) {
    const double pa = -(e.a - c0 * e.prob) / s0, pb = -(e.b - c1 * e.prob) / s1;
    std::size_t i = offset[0] + e.s1, j = offset[1] + e.s2;
    // Player 1's rows: C_x' P (y~ + C_y y_N); player 2's: C_y' Q (x~ + C_x x_N).
    for (auto [ri, ci] : crow[i]) {
      if (red[1].start[e.s2]) q[ri] += pa * ci;
      for (auto [cj, cc] : crow[j]) M[ri * N + cj] += pa * ci * cc;
    }
    for (auto [rj, cj] : crow[j]) {
      if (red[0].start[e.s1]) q[rj] += pb * cj;
      for (auto [ci, cc] : crow[i]) M[rj * N + ci] += pb * cj * cc;
    }
  }
  for (int p = 0; p < 2; ++p) {
    for (std::uint32_t s = 0; s < ps[p]->num_sequences; ++s) {
      std::size_t row = offset[p] + s;
      if (!red[p].in_s[s]) {
        d[row] = 1;
        continue;
      }
      // x_S = x~_S + coef x_N; and w_N gets -coef' w_S.
      q[row] = red[p].start[s];
      for (auto [t, c] : red[p].coef[s]) {
        M[row * N + offset[p] + t] = c;
        M[(offset[p] + t) * N + row] = -c;
      }
    }
  }
  LcpResult<double> r = SolveLcp<double>(N, std::move(M), q, d);
  PlanPair<double> out;
  if (!r.solved) {
    out.status = SolveStatus::kInconclusive;
    out.failure = LcpFailure(sf.root, r.failure);
    return out;
  }
  std::vector<double>* plan[2] = {&out.x, &out.y};
  for (int p = 0; p < 2; ++p) {
    std::vector<double>& x = *plan[p];
    x.assign(ps[p]->num_sequences, 0.0);
    for (std::uint32_t s = 0; s < x.size(); ++s) {
      if (!red[p].in_s[s]) {
        x[s] = r.z[offset[p] + s];
        continue;
      }
      double v = red[p].start[s];
      for (auto [t, c] : red[p].coef[s]) v += c * r.z[offset[p] + t];
      x[s] = std::max(0.0, v);
    }
  }
  out.pivots = r.pivots;
  return out;
}

}  // namespace

template <class T>
PlanPair<T> SolveSequenceFormLemke(const Game& game, const SequenceForm<T>& sf) {
  if constexpr (std::is_same_v<T, double>) {
    // The reduced LCP is half the size; if rounding makes it cycle or end on a ray, the split
    // formulation below gets its chance before the caller falls back to exact arithmetic.
    PlanPair<double> reduced = SolveReducedLemke(game, sf);
    if (reduced.status == SolveStatus::kSolved) return reduced;
  }
  const PlayerSequences& p1 = sf.player[0];
  const PlayerSequences& p2 = sf.player[1];
  const std::size_t n1 = p1.num_sequences, n2 = p2.num_sequences;
  const std::size_t k1 = p1.num_rows(), k2 = p2.num_rows();
  const std::size_t X = 0, Y = n1, UP = n1 + n2, UM = UP + k1, VP = UM + k1, VM = VP + k2;
  const std::size_t N = VM + k2;
  const std::size_t limit = std::is_same_v<T, double> ? kMaxLcpSize : kMaxExactLcpSize;
  if (N > limit)
    ThrowAtNode<LimitError>(sf.root, "the sequence-form LCP of the subgame at node " + std::to_string(sf.root) +
                     " has " + std::to_string(N) + " rows; Lemke's method here handles up to " +
                     std::to_string(limit) +
                     (std::is_same_v<T, double> ? "" : " in exact arithmetic"));
  std::vector<T> M(N * N, T(0)), q(N, T(0)), d(N, T(1));
  // Payoffs shifted to be negative at every leaf and scaled into [-1, 0):
  // (u - max u - 1) / (max u - min u + 1) lies in [-1, -1/(range + 1)]. Equilibria do not
  // change (a positive affine map of each player's payoffs); the scale keeps doubles tame.
  T c0 = sf.max_payoff[0] + 1, c1 = sf.max_payoff[1] + 1;
  T s0 = c0 - sf.min_payoff[0], s1 = c1 - sf.min_payoff[1];
  for (const auto& e : sf.entries) {
    M[(X + e.s1) * N + Y + e.s2] = -(e.a - c0 * e.prob) / s0;
    M[(Y + e.s2) * N + X + e.s1] = -(e.b - c1 * e.prob) / s1;
  }
  ForEachConstraint(game, p1, [&](std::uint32_t j, std::uint32_t s, int c) {
    M[(X + s) * N + UP + j] = -c;
    M[(X + s) * N + UM + j] = c;
    M[(UP + j) * N + X + s] = c;
    M[(UM + j) * N + X + s] = -c;
  });
  ForEachConstraint(game, p2, [&](std::uint32_t j, std::uint32_t s, int c) {
    M[(Y + s) * N + VP + j] = -c;
    M[(Y + s) * N + VM + j] = c;
    M[(VP + j) * N + Y + s] = c;
    M[(VM + j) * N + Y + s] = -c;
  });
  q[UP] = -1;
  q[UM] = 1;
  q[VP] = -1;
  q[VM] = 1;
  LcpResult<T> r = SolveLcp<T>(N, std::move(M), q, d);
  PlanPair<T> out;
  if (!r.solved) {
    if constexpr (!std::is_same_v<T, double>) throw InternalError(LcpFailure(sf.root, r.failure));
    out.status = SolveStatus::kInconclusive;
    out.failure = LcpFailure(sf.root, r.failure);
    return out;
  }
  out.x.assign(r.z.begin() + X, r.z.begin() + X + n1);
  out.y.assign(r.z.begin() + Y, r.z.begin() + Y + n2);
  out.pivots = r.pivots;
  return out;
}

namespace {

// max q_0 over plans x of `maxer` and free q (rows of `miner`), s.t. E x = e and
// C'x - F'q >= 0 where C[s][t] = payoff to `maxer` (entries given as (s, t, value)). The
// programme always has an optimum (a finite game has a value); any other status is rounding.
struct Triple {
  std::uint32_t s, t;
  double v;
};

// Sequence-form LPs with fewer sequences than this (both players together) are solved by GLPK
// when CLP is asked for, unless exactly CLP is (SequenceFormLpEngine).
constexpr std::uint32_t kSmallSequenceLp = 1000;

lp::LpSolution MaxMinLp(const Game& game, const PlayerSequences& maxer,
                        const PlayerSequences& miner, const std::vector<Triple>& entries,
                        lp::Engine engine, std::vector<int>* miner_rows) {
  lp::LinearProgram prog(lp::Sense::kMaximize);
  const std::uint32_t n = maxer.num_sequences, m = miner.num_sequences;
  for (std::uint32_t s = 0; s < n; ++s) prog.AddColumn(0, lp::kInfinity, 0);
  const int q0 = static_cast<int>(n);
  for (std::uint32_t j = 0; j < miner.num_rows(); ++j)
    prog.AddColumn(-lp::kInfinity, lp::kInfinity, j == 0 ? 1 : 0);
  std::vector<std::vector<int>> ecols(maxer.num_rows());
  std::vector<std::vector<double>> evals(maxer.num_rows());
  ForEachConstraint(game, maxer, [&](std::uint32_t j, std::uint32_t s, int c) {
    ecols[j].push_back(static_cast<int>(s));
    evals[j].push_back(c);
  });
  for (std::uint32_t j = 0; j < maxer.num_rows(); ++j) {
    double rhs = j == 0 ? 1 : 0;
    prog.AddRow(rhs, rhs, ecols[j], evals[j]);
  }
  std::vector<std::vector<int>> cols(m);
  std::vector<std::vector<double>> vals(m);
  for (const Triple& e : entries) {
    cols[e.t].push_back(static_cast<int>(e.s));
    vals[e.t].push_back(e.v);
  }
  ForEachConstraint(game, miner, [&](std::uint32_t j, std::uint32_t t, int c) {
    cols[t].push_back(q0 + static_cast<int>(j));
    vals[t].push_back(-c);
  });
  miner_rows->resize(m);
  for (std::uint32_t t = 0; t < m; ++t)
    (*miner_rows)[t] = prog.AddRow(0, lp::kInfinity, cols[t], vals[t]);
  // CLP's barrier with presolve and a crossover to a vertex: 2.4 s on 21,847 / 10,923
  // sequences where CLP's dual simplex takes 3.1 s and GLPK's primal simplex 12.3 s, and
  // further ahead on larger games (docs/performance.md).
  lp::SolveOptions options;
  options.engine = engine;
  if (engine == lp::Engine::kClp) {
    options.algorithm = lp::Algorithm::kInteriorPoint;
    options.presolve = true;
  }
  return prog.Solve(options);
}

// A realization plan's largest constraint violation.
double PlanResidual(const Game& game, const PlayerSequences& ps, const std::vector<double>& x) {
  std::vector<double> row(ps.num_rows(), 0.0);
  ForEachConstraint(game, ps, [&](std::uint32_t j, std::uint32_t s, int c) { row[j] += c * x[s]; });
  double worst = std::abs(row[0] - 1);
  for (std::size_t j = 1; j < row.size(); ++j) worst = std::max(worst, std::abs(row[j]));
  for (double v : x) worst = std::max(worst, -v);
  return worst;
}

}  // namespace

lp::Engine SequenceFormLpEngine(const SequenceForm<double>& sf, lp::Engine asked) {
  // A small program goes to GLPK in process: the `clp` program costs a process and two files
  // per LP (about 30 ms), where GLPK solves a program of a few hundred sequences in well under
  // a millisecond; a sweep or Monte Carlo over a small zero-sum game solves one at every point
  // (300 points of matching pennies took 10 s, then 0.05 s).
  if (asked == lp::Engine::kClp &&
      sf.player[0].num_sequences + sf.player[1].num_sequences < kSmallSequenceLp)
    return lp::Engine::kGlpk;
  return asked;
}

PlanPair<double> SolveSequenceFormLp(const Game& game, const SequenceForm<double>& sf,
                                     lp::Engine engine, bool exactly_this_engine) {
  if (!exactly_this_engine) engine = SequenceFormLpEngine(sf, engine);
  // Either player can be the maximizer: the LP has a row per realization-plan equation of the
  // maximizer (its information sets + 1) and one per sequence of the other, so choose the
  // smaller one (at 21,847 / 43,691 sequences it has 43,693 rows instead of 54,615).
  const PlayerSequences& p1 = sf.player[0];
  const PlayerSequences& p2 = sf.player[1];
  const int maxer = p2.num_rows() + p1.num_sequences < p1.num_rows() + p2.num_sequences ? 1 : 0;
  // Payoffs far from 1 (1e-15, 1e-320, 1e100) are scaled by a power of two, exactly, to bring
  // the largest near 1: the LP solvers' tolerances are absolute (matching pennies paying 1e-13
  // failed verification), and GLPK's own scaling stops the process on extreme coefficients.
  // Entries then below 2^-400 (a chance probability of 1e-150 times a payoff) are dropped: they
  // cannot move the plans by anything a double or the LP's tolerances see, and the answer is
  // verified on the game itself. The plans do not change with the scale (only the game's value
  // does, which is not read from the LP).
  double largest = 0;
  for (const auto& e : sf.entries) largest = std::max(largest, std::abs(e.a));
  int exponent = 0;
  if (largest > 0) std::frexp(largest, &exponent);
  const int shift = exponent < -16 || exponent > 64 ? -exponent : 0;
  const double negligible = std::ldexp(largest, shift - 400);
  std::vector<Triple> payoff[2];  // [p]: the payoff to p, as (p's sequence, other's, value)
  payoff[0].reserve(sf.entries.size());
  payoff[1].reserve(sf.entries.size());
  for (const auto& e : sf.entries) {
    double a = std::ldexp(e.a, shift);
    if (std::abs(a) < negligible) a = 0;
    payoff[0].push_back({e.s1, e.s2, a});
    payoff[1].push_back({e.s2, e.s1, -a});
  }
  const int miner = 1 - maxer;
  std::vector<int> rows;
  PlanPair<double> out;
  out.engine = engine;
  auto inconclusive = [&](const lp::LpSolution& sol) {
    out.status = SolveStatus::kInconclusive;
    out.failure = "sequence-form LP: " + (sol.status == lp::Status::kStopped ? sol.stopped : lp::ToString(sol.status));
    return out;
  };
  lp::LpSolution sol = MaxMinLp(game, sf.player[maxer], sf.player[miner], payoff[maxer], engine, &rows);
  out.note = sol.note;
  // A note means another engine solved it: GLPK, when CLP was asked for and no `clp` program
  // could be run.
  if (!sol.note.empty() && engine == lp::Engine::kClp) out.engine = lp::Engine::kGlpk;
  if (sol.status != lp::Status::kOptimal) return inconclusive(sol);
  std::vector<double> plan[2];
  plan[maxer].assign(sol.primal.begin(), sol.primal.begin() + sf.player[maxer].num_sequences);
  // The other player's plan: the duals of its sequence rows (the LP's dual is its own LP).
  plan[miner].resize(sf.player[miner].num_sequences);
  double sign = sol.row_duals[rows[0]] < 0 ? -1 : 1;
  for (std::size_t t = 0; t < plan[miner].size(); ++t)
    plan[miner][t] = std::max(0.0, sign * sol.row_duals[rows[t]]);
  if (PlanResidual(game, sf.player[miner], plan[miner]) > 1e-9) {
    // Degenerate duals that do not form a plan: solve the other player's LP for it.
    lp::LpSolution other =
        MaxMinLp(game, sf.player[miner], sf.player[maxer], payoff[miner], engine, &rows);
    if (other.status != lp::Status::kOptimal) return inconclusive(other);
    plan[miner].assign(other.primal.begin(),
                       other.primal.begin() + sf.player[miner].num_sequences);
  }
  for (auto& x : plan)
    for (double& v : x) v = std::max(0.0, v);
  out.x = std::move(plan[0]);
  out.y = std::move(plan[1]);
  return out;
}

template PlanPair<double> SolveSequenceFormLemke<double>(const Game&, const SequenceForm<double>&);
template PlanPair<Rational> SolveSequenceFormLemke<Rational>(const Game&,
                                                             const SequenceForm<Rational>&);

}  // namespace parley::equilibrium
