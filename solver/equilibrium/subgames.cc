#include "solver/equilibrium/subgames.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>
#include <map>
#include <memory>
#include <type_traits>

#include "solver/equilibrium/beliefs.h"
#include "solver/equilibrium/logit.h"
#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/sequence_solvers.h"
#include "solver/equilibrium/verify.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::equilibrium {

using model::kChancePlayer;
using model::kNoOutcome;
using model::NodeKind;

namespace {

std::string Plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// "the whole game", "the subgame at node 27 (after In > Fight; first move: Player 2 at
// [price])": its number, the last moves to it and who moves first.
std::string SubgameName(const Game& game, NodeId root) {
  std::string name = root == 0 ? "the whole game" : "the subgame at node " + std::to_string(root);
  std::string details = root == 0 ? "" : game.DescribeNode(root);
  if (!game.is_terminal(root) && game.kind(root) == NodeKind::kDecision)
    details += (details.empty() ? "" : "; ") + std::string("first move: ") +
               game.DescribeInfoset(game.infoset(root));
  return details.empty() ? name : name + " (" + details + ")";
}

// Why exact arithmetic cannot solve the subgame at `root`: --method logit was asked for, or
// `movers` (more than two) players move in it.
std::string ExactNeedsTwoPlayersMessage(const Game& game, NodeId root, std::size_t movers) {
  if (game.num_players() == 2)  // so --method logit was asked for
    return SubgameName(game, root) +
           " has imperfect information, and the logit method (--method logit) works only in "
           "floating point, not in exact arithmetic (--exact). With --exact, Parley solves "
           "such subgames of two-player games by sequence-form Lemke (--method auto or lemke); "
           "without it, --method logit traces the logit quantal response branch to an "
           "equilibrium in floating point and verifies it";
  if (movers <= 2)  // so --method logit was asked for
    return SubgameName(game, root) +
           " has imperfect information, and the logit method (--method logit) works only in "
           "floating point, not in exact arithmetic (--exact). With --exact, Parley solves "
           "subgames in which at most two players move by sequence-form Lemke (--method auto or "
           "lemke)";
  return SubgameName(game, root) + " has imperfect information and " + std::to_string(movers) +
         " players move in it; exact arithmetic (--exact) solves such subgames only where at most "
         "two players move (sequence-form Lemke). Without --exact, Parley traces the logit quantal "
         "response branch to an equilibrium in floating point and verifies it";
}

// Whether exact arithmetic can solve every subgame of the game with this method: in a
// two-player game, always (the logit method aside, which the exact solver refuses at its
// first subgame with imperfect information); otherwise when at most two players move in each
// subgame with imperfect information, which the sequence-form methods then take.
bool ExactSolvable(const Game& game, const std::vector<char>& roots, const std::string& method) {
  if (game.num_players() == 2) return true;
  return method != "logit" && AtMostTwoMovers(game, roots);
}

// Ties as backward induction has them: within kTieTolerance of their size, measured from the
// game's TieUnit (profile.h), in doubles; exactly equal in rationals.
template <class T>
bool Tied(const T& a, const T& b, double unit) {
  if constexpr (std::is_same_v<T, double>)
    return std::abs(a - b) <= kTieTolerance * (unit + std::abs(b));
  else
    return a == b;
}

// A deviation gain for a note: "2.4e-09", "0.0312".
std::string Gain(double gain) { return FormatSignificant(gain, 3); }

// Games of at most this many nodes are recomputed exactly when a floating-point gain lies
// within rounding; larger ones keep the note (a random two-player game with imperfect
// information and payoffs near 1e11: 0.8 s exactly at 1,023 nodes, 17 s at 2,047). A gain
// beyond rounding is recomputed whatever the size, up to the exact solver's own limit.
constexpr model::NodeId kSoftExactNodes = 1024;

// The note on a floating-point gain above the tolerance that rounding could have made.
std::string RoundingNote(double gain) {
  return "the largest gain from deviating, " + Gain(gain) +
         ", may be rounding: it is below 1e-13 of the payoffs it is computed from";
}

struct Counters {
  std::size_t bi_nodes = 0, lp_subgames = 0, lemke_subgames = 0, unreached_sets = 0;
  std::size_t lp_engine_switches = 0;  // LPs the first engine gave up on
  unsigned lp_gave_up = 0;             // EngineBit of each engine that gave up on an LP
  unsigned lp_engines = 0;             // EngineBit of each engine whose LP answer was taken
  std::size_t pivots = 0;
  std::size_t logit_subgames = 0, logit_steps = 0;
  std::size_t logit_rescaled = 0;  // subgames whose equilibrium came from a rescaled trace
  std::size_t logit_pure = 0;      // ... from the search of pure profiles after every trace failed
  std::size_t exact_subgames = 0;  // two-mover subgames solved again alone in exact arithmetic
  std::size_t pure_tried = 0;      // the profiles those searches tried
  double logit_lambda = 0;  // largest lambda at which a trace stopped
  std::vector<std::string> lp_notes;  // the LP engines' notes, each once
  std::vector<unsigned char> lp_tried;  // per node (a subgame's root): EngineBit of each engine its LP went to
  std::vector<double> trace_beliefs;   // per node, the logit traces' beliefs (-1: none)
  double gain_beyond_rounding = 0;     // doubles: CheckSubgameGain's of the result
  double gain_rounding = 0;            // and its bound on rounding (gains below it unseen)
};

// What the search of a subgame's pure profiles did after every logit trace failed, for the
// refusal: "" when it did not run.
std::string PureSearchText(const LogitStats& stats) {
  if (stats.pure_tried == 0) return "";
  const bool all = static_cast<double>(stats.pure_tried) >= stats.pure_profiles;
  if (all)
    return stats.pure_tried == 1
               ? "; the one pure profile of its own information sets (those in no smaller proper subgame) is "
                 "not an equilibrium"
               : "; none of the " + std::to_string(stats.pure_tried) +
                     " pure profiles of its own information sets (those in no smaller proper subgame) is an "
                     "equilibrium";
  return "; the first " + std::to_string(stats.pure_tried) + " of the " +
         (std::isfinite(stats.pure_profiles) ? Gain(stats.pure_profiles) : std::string("more than 1e308")) +
         " pure profiles of its own information sets (those in no smaller proper subgame) are not equilibria" +
         (stats.pure_timed_out ? " (the time limit stopped the search)" : " (the search stops there)");
}

// The reduced subgame at `r`, in which at most two players move, solved alone by Lemke's method
// in exact arithmetic: the values of the proper subgames cut off inside it are `value`'s
// doubles, each exactly a fraction. Its players' behaviour goes into `behavior` (rounded to
// doubles) and `unreached` counts their sets that their own plans do not reach. False, with
// nothing changed, when the exact tableau would be too large, or when `constant_sum_only` (the
// LP asked for) and the subgame is not constant-sum as written.
bool ResolveExactly(const Game& game, NodeId r, const std::vector<char>& roots, const std::vector<double>& value,
                    const ActionIndex& index, const SequenceRoles& roles, std::vector<std::uint32_t>& seq_of,
                    bool constant_sum_only, std::vector<double>& behavior, std::size_t& unreached,
                    std::size_t& pivots) {
  const std::size_t stride = static_cast<std::size_t>(game.num_players());
  std::vector<Rational> exact_value(value.size());
  for (NodeId v = r + 1; v < game.subtree_end(r); ++v)
    if (roots[v])
      for (std::size_t p = 0; p < stride; ++p) exact_value[v * stride + p] = ExactRational(value[v * stride + p]);
  try {
    SequenceForm<Rational> sf = BuildSequenceForm<Rational>(game, r, roots, exact_value, seq_of, roles);
    if (constant_sum_only && !sf.constant_sum) return false;  // --method lp, refused as the LP's answer was
    PlanPair<Rational> plans = SolveSequenceFormLemke<Rational>(game, sf);
    std::vector<Rational> exact(index.size(), Rational(0));
    unreached = PlanToBehavior<Rational>(game, sf.player[0], plans.x, index, exact) +
                PlanToBehavior<Rational>(game, sf.player[1], plans.y, index, exact);
    for (const PlayerSequences& seqs : sf.player)
      for (InfosetId h : seqs.infosets)
        for (std::uint32_t a = 0; a < game.num_actions(h); ++a) behavior[index(h, a)] = ToDouble(exact[index(h, a)]);
    pivots += plans.pivots;
    return true;
  } catch (const LimitError&) {
    return false;
  }
}

unsigned EngineBit(lp::Engine e) { return e == lp::Engine::kClp ? 1u : 2u; }
lp::Engine Other(lp::Engine e) { return e == lp::Engine::kClp ? lp::Engine::kGlpk : lp::Engine::kClp; }
// The engines of EngineBit bits, for a note: "CLP", "GLPK", "CLP and GLPK".
std::string EngineNames(unsigned bits) {
  if (bits == 3) return "CLP and GLPK";
  return bits == 1 ? "CLP" : "GLPK";
}

// Rounding of a value computed in doubles, relative to the sum of the |payoffs| it adds up
// (about 900 units in the last place: sums along paths of a few hundred moves).
constexpr double kRoundingRelative = 1e-13;

// One subgame-perfect equilibrium in T. In doubles, when a subgame's solve is numerically
// inconclusive (SolveStatus), *inconclusive says why and the equilibrium returned is empty.
template <class T>
Equilibrium SolveWith(const Game& game, const SubgamePerfectOptions& options,
                      const std::vector<char>& roots, Counters& count,
                      [[maybe_unused]] lp::Engine lp_engine = lp::Engine::kClp,
                      [[maybe_unused]] std::string* inconclusive = nullptr,
                      [[maybe_unused]] bool other_engine = false,
                      [[maybe_unused]] bool exact_subgames = false) {
  const NodeId n = game.num_nodes();
  const int np = game.num_players();
  const double tie_unit = TieUnit(game);
  ActionIndex index(game);
  std::vector<T> behavior(index.size(), T(0));
  for (InfosetId h = 0; h < game.num_infosets(); ++h)
    if (game.infoset_player(h) == kChancePlayer)
      for (std::uint32_t a = 0; a < game.num_actions(h); ++a)
        behavior[index(h, a)] = ChanceAs<T>(game, h, a);
  std::vector<T> value(static_cast<std::size_t>(n) * np, T(0));
  std::vector<std::uint32_t> seq_of;
  // The logit traces' check of each subgame alone (doubles only), made once.
  std::unique_ptr<SubgameGainChecker> gain_checker;
  Equilibrium eq;
  auto own_value = [&](NodeId v, int p) -> T {
    return game.outcome(v) == kNoOutcome ? T(0) : PayoffAs<T>(game, game.outcome(v), p);
  };
  for (NodeId r = n; r-- > 0;) {
    if (!roots[r]) continue;
    T* out = &value[static_cast<std::size_t>(r) * np];
    if (game.is_terminal(r)) {
      for (int p = 0; p < np; ++p) out[p] = own_value(r, p);
      continue;
    }
    auto kids = game.children(r);
    bool trivial = true;
    for (NodeId c : kids) trivial = trivial && roots[c];
    InfosetId h = game.infoset(r);
    if (trivial) {  // one step of backward induction
      ++count.bi_nodes;
      for (int p = 0; p < np; ++p) out[p] = own_value(r, p);
      if (game.kind(r) == NodeKind::kChance) {
        for (std::uint32_t a = 0; a < kids.size(); ++a)
          for (int p = 0; p < np; ++p)
            out[p] += behavior[index(h, a)] * value[static_cast<std::size_t>(kids[a]) * np + p];
        continue;
      }
      int mover = game.player(r);
      std::uint32_t best = 0;
      for (std::uint32_t a = 1; a < kids.size(); ++a)
        if (value[static_cast<std::size_t>(kids[a]) * np + mover] >
                value[static_cast<std::size_t>(kids[best]) * np + mover] &&
            !Tied(value[static_cast<std::size_t>(kids[a]) * np + mover],
                  value[static_cast<std::size_t>(kids[best]) * np + mover], tie_unit))
          best = a;
      int optimal = 0;
      for (std::uint32_t a = 0; a < kids.size(); ++a)
        optimal += Tied(value[static_cast<std::size_t>(kids[a]) * np + mover],
                        value[static_cast<std::size_t>(kids[best]) * np + mover], tie_unit);
      if (optimal > 1) eq.indifferent.push_back(r);
      behavior[index(h, best)] = 1;
      for (int p = 0; p < np; ++p) out[p] += value[static_cast<std::size_t>(kids[best]) * np + p];
      continue;
    }
    // Values of a reduced subgame's nodes, bottom-up (cut roots and leaves are done).
    auto fill_values = [&](const std::vector<NodeId>& nodes) {
      for (std::size_t i = nodes.size(); i-- > 0;) {
        NodeId v = nodes[i];
        if ((v != r && roots[v]) || game.is_terminal(v)) continue;
        T* o = &value[static_cast<std::size_t>(v) * np];
        for (int p = 0; p < np; ++p) o[p] = own_value(v, p);
        std::uint32_t first = index.first(game.infoset(v));
        auto ks = game.children(v);
        for (std::uint32_t a = 0; a < ks.size(); ++a) {
          const T& b = behavior[first + a];
          if (b == 0) continue;
          for (int p = 0; p < np; ++p) o[p] += b * value[static_cast<std::size_t>(ks[a]) * np + p];
        }
      }
    };
    // Two players, or at most two who move here: the sequence-form methods. Others: the
    // logit tracer (which --method logit asks for everywhere).
    SequenceRoles roles;
    bool sequence_form = np == 2 && options.method != "logit";
    std::size_t movers = 2;
    if (np != 2 && options.method != "logit") {
      const std::vector<int> who = SubgameMovers(game, r, roots);
      movers = who.size();
      if (movers <= 2) {
        sequence_form = true;
        roles = RolesForMovers(who, np);
      }
    }
    if (!sequence_form) {
      if constexpr (std::is_same_v<T, double>) {
        auto subgame = MakeLogitSubgame(game, r, roots, value);
        if (!gain_checker) gain_checker = std::make_unique<SubgameGainChecker>(game, index, roots, kRoundingRelative);
        auto accept = [&](const std::vector<double>& trial) {
          return gain_checker->Check(r, trial, behavior).beyond_rounding <= options.tolerance;
        };
        if (count.trace_beliefs.empty()) count.trace_beliefs.assign(n, -1.0);
        LogitStats stats =
            TraceLogitEquilibrium(game, *subgame, index, behavior, accept, options.logit, &count.trace_beliefs);
        ++count.logit_subgames;
        count.logit_steps += stats.steps + stats.rescaled_steps;
        if (stats.status == LogitStatus::kConverged && stats.pure_found) {
          ++count.logit_pure;
          count.pure_tried += stats.pure_tried;
        }
        else if (stats.status == LogitStatus::kConverged && stats.rescaled > 0) ++count.logit_rescaled;
        count.logit_lambda = std::max(count.logit_lambda, stats.lambda);
        if (stats.status != LogitStatus::kConverged)
          ThrowAtNode<LimitError>(r, "the logit tracer found no verified equilibrium of " + SubgameName(game, r) +
                           ": " + LogitStatusText(stats.status) + " (lambda " + Gain(stats.lambda) +
                           " after " + std::to_string(stats.steps) + " steps, " + Gain(stats.seconds) + " s)" +
                           (stats.rescaled > 0
                                ? "; " + Plural(stats.rescaled, "trace") + " with lambda rescaled by the stakes at each set " +
                                      (stats.rescaled_timed_out
                                           ? "ran out of the time left (" + Gain(stats.rescaled_seconds) + " s)"
                                           : "found none either (" + Plural(stats.rescaled_steps, "step") + ", " +
                                                 Gain(stats.rescaled_seconds) + " s)")
                                : std::string()) +
                           PureSearchText(stats) +
                           (stats.status == LogitStatus::kTimeLimit || stats.rescaled_timed_out || stats.pure_timed_out
                                ? "; the limit is " + Gain(options.logit.max_seconds) +
                                      " s of processor time per subgame (raise it with --max-seconds)"
                                : std::string()));
        fill_values(LogitSubgameNodes(*subgame));
        continue;
      } else {
        ThrowAtNode<UnsupportedError>(r, ExactNeedsTwoPlayersMessage(game, r, movers));
      }
    }
    if (seq_of.empty()) seq_of.resize(2 * static_cast<std::size_t>(n));
    SequenceForm<T> sf = BuildSequenceForm<T>(game, r, roots, value, seq_of, roles);
    bool use_lp = false;
    if (options.method == "lp") {
      if (!sf.constant_sum)
        ThrowAtNode<UnsupportedError>(r, "--method lp needs constant-sum subgames, and " +
                                             SubgameName(game, r) +
                                             " is not constant-sum; use --method lemke (or auto)");
      use_lp = !options.exact;
    } else if (options.method == "auto") {
      use_lp = sf.constant_sum && !options.exact;
    }
    PlanPair<T> plans;
    if constexpr (std::is_same_v<T, double>) {
      if (use_lp) {
        if (count.lp_tried.empty()) count.lp_tried.assign(n, 0);
        unsigned char& tried = count.lp_tried[r];  // EngineBit of each engine this LP went to
        // A small program goes to the `clp` program only as a fallback or a second opinion;
        // there a failure to run it (no temporary folder, no program) is that engine giving
        // up, as the LP's own failure is, and not the end of the solve.
        const bool small = SequenceFormLpEngine(sf, lp::Engine::kClp) == lp::Engine::kGlpk;
        auto attempt = [&](lp::Engine engine, bool exactly) {
          PlanPair<double> p;
          try {
            p = SolveSequenceFormLp(game, sf, engine, exactly);
          } catch (const LimitError& e) {
            if (!(exactly && small && engine == lp::Engine::kClp)) throw;
            p.status = SolveStatus::kInconclusive;
            p.failure = std::string("sequence-form LP: ") + e.what();
            p.engine = engine;
          }
          tried |= static_cast<unsigned char>(EngineBit(p.engine));
          return p;
        };
        if (!other_engine) {
          plans = attempt(lp_engine, false);
          if (plans.status != SolveStatus::kSolved) {  // stopped or no optimum: the other engine tries
            count.lp_gave_up |= EngineBit(plans.engine);
            plans = attempt(Other(plans.engine), true);
            ++count.lp_engine_switches;
          }
        } else if (tried != 3) {
          // A second opinion: the engine this LP has not been to (the first pass kept `tried`).
          plans = attempt(tried & EngineBit(lp::Engine::kClp) ? lp::Engine::kGlpk : lp::Engine::kClp, true);
          if (plans.status != SolveStatus::kSolved) count.lp_gave_up |= EngineBit(plans.engine);
        } else {
          plans.status = SolveStatus::kInconclusive;
          plans.failure = "sequence-form LP: both engines have answered " + SubgameName(game, r) + " or given up";
        }
        if (plans.status == SolveStatus::kSolved) count.lp_engines |= EngineBit(plans.engine);
        if (!plans.note.empty() &&
            std::find(count.lp_notes.begin(), count.lp_notes.end(), plans.note) == count.lp_notes.end())
          count.lp_notes.push_back(plans.note);
        ++count.lp_subgames;
      }
    }
    if (plans.x.empty() && plans.status == SolveStatus::kSolved) {
      plans = SolveSequenceFormLemke<T>(game, sf);
      count.pivots += plans.pivots;
      ++count.lemke_subgames;
    }
    std::size_t unreached = 0;
    if (plans.status == SolveStatus::kSolved) {
      unreached = PlanToBehavior<T>(game, sf.player[0], plans.x, index, behavior) +
                  PlanToBehavior<T>(game, sf.player[1], plans.y, index, behavior);
    }
    if constexpr (std::is_same_v<T, double>) {
      // Where exact arithmetic cannot take the whole game (three or more players move in some
      // subgame), a two-mover subgame whose answer in doubles fails (or fails its check) is
      // solved again here, alone, in exact arithmetic, with the values of the subgames below it
      // as the doubles they are (each exactly a fraction).
      if (exact_subgames) {
        bool failed = plans.status != SolveStatus::kSolved;
        if (!failed) {
          if (!gain_checker) gain_checker = std::make_unique<SubgameGainChecker>(game, index, roots, kRoundingRelative);
          failed = gain_checker->Check(r, behavior, behavior).beyond_rounding > options.tolerance;
        }
        if (failed && ResolveExactly(game, r, roots, value, index, roles, seq_of, options.method == "lp", behavior,
                                     unreached, count.pivots)) {
          ++count.exact_subgames;
          plans.status = SolveStatus::kSolved;
        }
      }
    }
    if (plans.status != SolveStatus::kSolved) {  // doubles only: rationals never get here
      PARLEY_CHECK(inconclusive != nullptr);
      *inconclusive = plans.failure;
      return {};
    }
    count.unreached_sets += unreached;
    fill_values(sf.nodes);
  }
  T gain = 0;
  if constexpr (std::is_same_v<T, double>) {
    const GainCheck check = CheckSubgameGain(game, index, behavior, &roots, kRoundingRelative);
    gain = check.gain;
    count.gain_beyond_rounding = check.beyond_rounding;
    count.gain_rounding = check.rounding;
  } else {
    gain = MaxSubgameGain<T>(game, index, behavior, &roots);
  }
  eq.max_gain = ToDouble(gain);
  eq.behavior.resize(behavior.size());
  for (std::size_t i = 0; i < behavior.size(); ++i) eq.behavior[i] = ToDouble(behavior[i]);
  for (int p = 0; p < np; ++p) eq.payoffs.push_back(ToDouble(value[p]));
  if constexpr (std::is_same_v<T, Rational>) {
    if (gain != 0)
      throw InternalError("exact subgame-perfect equilibrium failed verification (gain " +
                          FormatRational(gain) + ")");
    eq.exact_behavior = std::move(behavior);
    eq.exact_payoffs.assign(value.begin(), value.begin() + np);
  }
  return eq;
}

// The largest deviation gain a floating-point result may have, beyond what rounding explains
// (CheckSubgameGain): `base` (1e-9) in the game's own units, or base times the span of its
// payoffs when that is below 1, so that a game paid in millionths is held to the same relative
// precision as one paid in units.
double GainTolerance(const Game& game, double base) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (model::OutcomeId o = 0; o < game.num_outcomes(); ++o)
    for (int p = 0; p < game.num_players(); ++p) {
      low = std::min(low, game.payoff(o, p));
      high = std::max(high, game.payoff(o, p));
    }
  return base * std::min(high > low ? high - low : 0.0, 1.0);
}

// Whether every payoff is the same double while the payoffs as written differ: 1e17 + 3 and
// 1e17 - 2 are both 1e17 in doubles (whose steps there are 16). Floating point then sees a
// game in which every profile is an equilibrium, and its answer (verified, with a gain of 0)
// was printed for the game as written, where a player gained 4 by deviating.
bool PayoffsCollapse(const Game& game) {
  if (game.doubles_are_exact() || game.num_outcomes() == 0) return false;
  const double first = game.payoff(0, 0);
  for (model::OutcomeId o = 0; o < game.num_outcomes(); ++o)
    for (int p = 0; p < game.num_players(); ++p)
      if (game.payoff(o, p) != first) return false;
  const Rational exact_first = game.exact_payoff(0, 0);
  for (model::OutcomeId o = 0; o < game.num_outcomes(); ++o)
    for (int p = 0; p < game.num_players(); ++p)
      if (game.exact_payoff(o, p) != exact_first) return true;
  return false;
}

// The first player whose payoffs all round to one double while they differ as written (-1:
// none): in floating point that player is indifferent everywhere, and any strategy of theirs
// passes the check.
int PlayerPayoffsCollapse(const Game& game) {
  if (game.doubles_are_exact() || game.num_outcomes() == 0) return -1;
  for (int p = 0; p < game.num_players(); ++p) {
    bool flat = true, differ = false;
    for (model::OutcomeId o = 1; o < game.num_outcomes() && flat; ++o) flat = game.payoff(o, p) == game.payoff(0, p);
    for (model::OutcomeId o = 1; o < game.num_outcomes() && flat && !differ; ++o)
      differ = game.exact_payoff(o, p) != game.exact_payoff(0, p);
    if (flat && differ) return p;
  }
  return -1;
}

}  // namespace

Solution SolveSubgamePerfect(const Game& game, const SubgamePerfectOptions& requested) {
  SubgamePerfectOptions options = requested;
  options.tolerance = GainTolerance(game, requested.tolerance);
  if (options.method != "auto" && options.method != "lp" && options.method != "lemke" &&
      options.method != "logit")
    throw UnsupportedError("unknown subgame method '" + options.method + "'");
  RequirePerfectRecall(game, "solving for a subgame-perfect equilibrium");
  std::vector<char> roots = ProperSubgameRoots(game);
  // Whether exact arithmetic is there to fall back on (ExactSolvable).
  const bool exact_solvable = ExactSolvable(game, roots, options.method);
  Solution solution;
  solution.concept_name = "subgame-perfect";
  Counters count;
  Equilibrium eq;
  bool exact = options.exact;
  std::string why_exact;  // why floating point was not enough, when it was not
  std::string logit_resolve;  // why the logit tracer, tried in every subgame instead, failed too
  // A gain in floating point within what rounding could have made: exact arithmetic is tried
  // (two players), and the floating-point profile kept with a note if the game is too large.
  bool soft_exact = false;
  bool soft_exact_rounding = false;  // soft_exact for a check that rounding blinds (gain_rounding)
  bool soft_exact_small = false;     // soft_exact for a gain within the tolerance but beyond rounding
  // Payoffs that round alike while they differ as written, all of them or one player's: in
  // doubles every profile (or every strategy of that player) passes the check.
  std::string collapse, whose;
  if (!exact && PayoffsCollapse(game)) {
    collapse = "every payoff rounds to the same double, " + FormatDouble(game.payoff(0, 0)) +
               ", though the payoffs as written differ: floating point cannot tell them apart";
    whose = "the payoffs";
  } else if (const int flat = exact ? -1 : PlayerPayoffsCollapse(game); flat >= 0) {
    collapse = game.player_name(flat) + "'s payoffs all round to the same double, " +
               FormatDouble(game.payoff(0, flat)) +
               ", though they differ as written: floating point cannot tell that player's choices apart";
    whose = game.player_name(flat) + "'s payoffs";
  }
  if (!collapse.empty()) {
    if (!exact_solvable)
      throw UnsupportedError(
          collapse +
          (options.method == "logit" && AtMostTwoMovers(game, roots)
               ? ", and the logit method (--method logit) works only in floating point; solve without it "
                 "(exact arithmetic then takes the game), or subtract a "
               : ", and exact arithmetic solves only games in which at most two players move in each subgame "
                 "with imperfect information; subtract a ") +
          "constant from " + whose + " (the equilibria do not change) so that their differences show in doubles");
    why_exact = collapse;
    exact = true;
    solution.notes.push_back(why_exact + "; computed in exact rational arithmetic");
  }
  if (!exact) {
    const lp::Engine first = options.lp_engine;
    std::string failure;  // a subgame's solve was numerically inconclusive
    const bool exact_subgames = !exact_solvable && options.exact_subgames;
    eq = SolveWith<double>(game, options, roots, count, first, &failure, false, exact_subgames);
    solution.notes.insert(solution.notes.end(), count.lp_notes.begin(), count.lp_notes.end());
    // The engines are named as they ran: a small LP goes to GLPK when CLP is asked for.
    if (failure.empty() && count.lp_engine_switches > 0)
      solution.notes.push_back(
          (count.lp_gave_up == 3 ? std::string("an LP engine") : EngineNames(count.lp_gave_up)) + " gave up on " +
          Plural(count.lp_engine_switches, "LP") + "; " +
          (count.lp_gave_up == 3 ? std::string("the other") : EngineNames(3 - count.lp_gave_up)) + " solved " +
          (count.lp_engine_switches == 1 ? "it" : "them"));
    if (failure.empty() && count.gain_beyond_rounding > options.tolerance && count.lp_subgames > 0) {
      // A second opinion from the other LP engine, LP by LP, before exact arithmetic (which
      // has no LP and stops at a much smaller size).
      const unsigned used = count.lp_engines;
      const double previous_gain = eq.max_gain;
      std::vector<unsigned char> tried = std::move(count.lp_tried);
      count = Counters{};
      count.lp_tried = std::move(tried);
      eq = SolveWith<double>(game, options, roots, count, first, &failure, /*other_engine=*/true, exact_subgames);
      // Named as they ran: GLPK again when no `clp` program could be run (its note says so).
      solution.notes.push_back(
          "the LP answer (" + EngineNames(used) + ") had a deviation gain of " + Gain(previous_gain) +
          (count.lp_engines != 0 ? "; re-solved with " + (used == 3 ? std::string("the other engine for each LP")
                                                                     : EngineNames(count.lp_engines))
           : count.lp_gave_up != 0 ? "; " + EngineNames(count.lp_gave_up) + " gave up on it"
                                   : "; both LP engines had been tried on it"));
      for (const std::string& note : count.lp_notes)
        if (std::find(solution.notes.begin(), solution.notes.end(), note) == solution.notes.end())
          solution.notes.push_back(note);
    }
    if (!exact_solvable && options.method == "auto" && count.lp_subgames > 0 &&
        (!failure.empty() || count.gain_beyond_rounding > options.tolerance)) {
      // No exact arithmetic to fall back on (three or more players move in some subgame): the
      // LPs' subgames, which may be constant-sum only to within the rounding of their payoffs
      // (sums 0 and 500 among payoffs of 1e15), go to Lemke in doubles instead.
      SubgamePerfectOptions lemke = options;
      lemke.method = "lemke";
      Counters again;
      std::string again_failure;
      Equilibrium retry = SolveWith<double>(game, lemke, roots, again, first, &again_failure, false, exact_subgames);
      if (again_failure.empty() && again.gain_beyond_rounding <= options.tolerance) {
        solution.notes.push_back(
            (failure.empty() ? "the LP answer had a deviation gain of " + Gain(eq.max_gain)
                             : "floating point failed (" + failure + ")") +
            "; re-solved with Lemke's method in place of the LP (exact arithmetic, which would settle it, "
            "cannot take a subgame in which three or more players move)");
        eq = std::move(retry);
        count = std::move(again);
        failure.clear();
      }
    }
    if (!exact_solvable && options.method == "auto" && count.lp_subgames + count.lemke_subgames > 0 &&
        (!failure.empty() || count.gain_beyond_rounding > options.tolerance)) {
      // Still no equilibrium, and no exact arithmetic: the logit tracer in every subgame, which
      // works from the payoffs' differences at each set rather than a pivot through all of them
      // (a subgame of two movers with payoffs from 1/500 to 2e12, whose Lemke answer had a gain of
      // 1.3e-4 beyond rounding, beside one where all three move).
      SubgamePerfectOptions logit = options;
      logit.method = "logit";
      Counters again;
      std::string again_failure;
      try {
        Equilibrium retry = SolveWith<double>(game, logit, roots, again, first, &again_failure);
        if (again_failure.empty() && again.gain_beyond_rounding <= options.tolerance) {
          solution.notes.push_back(
              (failure.empty() ? "the floating-point solution had a deviation gain of " + Gain(eq.max_gain)
                               : "floating point failed (" + failure + ")") +
              "; re-solved with the logit tracer in every subgame (exact arithmetic, which would settle it, "
              "cannot take a subgame in which three or more players move)");
          eq = std::move(retry);
          count = std::move(again);
          failure.clear();
        } else {
          logit_resolve = !again_failure.empty() ? again_failure
                                                 : "its answer had a deviation gain of " + Gain(retry.max_gain);
        }
      } catch (const LimitError& e) {
        // The tracer gave up too: the first answer's failure stands, and is reported below.
        logit_resolve = e.message();
        const std::string said = "the logit tracer found ";
        if (logit_resolve.rfind(said, 0) == 0) logit_resolve = "it found " + logit_resolve.substr(said.size());
      }
    }
    if (!failure.empty())  // Lemke or the LP lost its way in floating point
      why_exact = "floating point failed (" + failure + ")";
    else if (count.gain_beyond_rounding > options.tolerance)
      why_exact = "the floating-point solution had a deviation gain of " +
                  Gain(eq.max_gain);
    else if (eq.max_gain > options.tolerance && exact_solvable &&
             game.num_nodes() <= kSoftExactNodes && options.method != "logit")
      // A gain that the rounding of payoffs this large could have made (a gain of 1 among
      // payoffs of 1e15) may be real: with two players, exact arithmetic tells, where the game
      // is small enough for it to be quick; otherwise the profile stands with the note below.
      soft_exact = true;
    else if (eq.max_gain > options.tolerance)
      solution.notes.push_back(RoundingNote(eq.max_gain) +
                               (exact_solvable && options.method != "logit"
                                    ? " (the game is too large to recompute exactly at once; --exact settles it)"
                                    : ""));
    // (With every payoff equal the tolerance is 0 and every profile an equilibrium: no note.
    // Exact arithmetic is offered where it exists: two players.)
    else if (count.gain_beyond_rounding > 0 && exact_solvable && game.num_nodes() <= kSoftExactNodes &&
             options.method != "logit")
      // A gain within the tolerance but beyond rounding: the profile is an equilibrium only to
      // within it, and where payoffs differ by little more (1e-9 at a set among payoffs of 1) it
      // can be far from every equilibrium: Lemke's answer to a 2x2 game in which U is dominated
      // by 1e-9 mixed U and D half and half (a gain of 5e-10), and a sweep put the switch to
      // mixing 2e-3 from where it is. Small two-player games get the exact answer.
      soft_exact_small = true;
    else if (count.gain_rounding > options.tolerance && options.tolerance > 0 && exact_solvable &&
             game.num_nodes() <= kSoftExactNodes && options.method != "logit")
      // The same where the check itself cannot see below the rounding of the values that meet
      // at a set (1e17 + 3 beside 1e17 - 2, 16 apart in doubles): matching pennies so paid
      // had its floating-point answer (R 2, C 1, where R gains 4) printed with this note only.
      soft_exact_rounding = true;
    else if (count.gain_rounding > options.tolerance && options.tolerance > 0)
      solution.notes.push_back("verified in floating point to within " + Gain(count.gain_rounding) +
                               ": where values that large meet at one information set, a smaller gain is "
                               "below their rounding" +
                               std::string(exact_solvable ? " (--exact settles it)" : ""));
    if (!why_exact.empty()) {
      solution.notes.push_back(why_exact + "; recomputed in exact rational arithmetic");
      exact = true;
      count = Counters{};
    }
  }
  if (soft_exact_rounding || soft_exact_small) soft_exact = true;
  if (soft_exact) {
    // The notes say why floating point was not enough (a gain the rounding could have made, or
    // a check blinded by it), and what happens when the game is too large for exact arithmetic.
    const double within = count.gain_rounding;
    Counters exact_count;
    try {
      Equilibrium exact_eq = SolveWith<Rational>(game, options, roots, exact_count);
      solution.notes.push_back(
          soft_exact_small
              ? "the floating-point solution had a deviation gain of " + Gain(eq.max_gain) +
                    ", within the tolerance but beyond rounding; recomputed in exact rational arithmetic"
          : soft_exact_rounding
              ? "floating point could verify the solution only to within " + Gain(within) +
                    " (values that large meet at one information set, and a smaller gain is below "
                    "their rounding); recomputed in exact rational arithmetic"
              : "the floating-point solution had a deviation gain of " + Gain(eq.max_gain) +
                    ", which the rounding of payoffs this large could have made; recomputed in "
                    "exact rational arithmetic");
      eq = std::move(exact_eq);
      count = exact_count;
      exact = true;
    } catch (const LimitError&) {
      if (!soft_exact_small)  // within the tolerance: the profile stands without a note, as before
        solution.notes.push_back(
            soft_exact_rounding
                ? "verified in floating point to within " + Gain(within) +
                      ": where values that large meet at one information set, a smaller gain is "
                      "below their rounding (too large to recompute exactly; --exact settles it)"
                : RoundingNote(eq.max_gain) + " (too large to recompute exactly)");
    } catch (const UnsupportedError&) {
      if (!soft_exact_small) throw;  // (below)
    }
    // An UnsupportedError goes on: soft_exact excludes logit, the one method with no exact
    // form, so it is a method that does not apply to the game as written (--method lp on a
    // game constant-sum only to within the rounding of its payoffs, whose floating-point
    // answer is then not an equilibrium), which the exact solver says at the subgame.
  }
  if (exact && !soft_exact) {
    try {
      eq = SolveWith<Rational>(game, options, roots, count);
    } catch (const UnsupportedError& e) {
      if (options.exact || !e.node()) throw;
      // Exact arithmetic was not asked for: say why it was tried, and why it cannot help (three
      // or more players; or a method that does not apply to the game as written exactly, such
      // as --method lp on a game constant-sum only to within rounding).
      // The refusal is about its subgame: three or more move there, or the method asked for
      // does not apply to it as written exactly.
      const std::size_t movers = SubgameMovers(game, *e.node(), roots, game.num_players()).size();
      const std::string why_not =
          exact_solvable || movers <= 2
              ? "exact arithmetic cannot settle it: " + e.message()
              : "exact arithmetic would settle it, but it solves " + SubgameName(game, *e.node()) +
                    " only where at most two players move, and " + std::to_string(movers) + " move there";
      ThrowAtNode<LimitError>(*e.node(), why_exact + ", more than the " + Gain(options.tolerance) + " allowed; " + why_not +
                                             (logit_resolve.empty()
                                                  ? std::string()
                                                  : "; the logit tracer, tried in every subgame instead, failed too (" +
                                                        logit_resolve + ")"));
    } catch (const LimitError& e) {
      LimitError again(options.exact
                           ? std::string(e.what()) + " (without --exact, floating point goes further)"
                           : why_exact + ", and recomputing it exactly is too large: " + e.what());
      if (e.node()) again.set_node(*e.node());
      throw again;
    }
  }
  solution.exact = exact;
  std::size_t num_subgames = 0;
  for (NodeId v = 0; v < game.num_nodes(); ++v) num_subgames += roots[v] && !game.is_terminal(v);
  std::vector<std::string> parts;
  if (count.lp_subgames) parts.push_back("sequence-form LP (" + Plural(count.lp_subgames, "subgame") + ")");
  if (count.lemke_subgames)
    parts.push_back("sequence-form Lemke (" + Plural(count.lemke_subgames, "subgame") + ", " +
                    Plural(count.pivots, "pivot") +
                    (count.exact_subgames ? ", " + std::to_string(count.exact_subgames) + " again in exact arithmetic"
                                          : std::string()) +
                    ")");
  if (count.logit_subgames > count.logit_pure)
    parts.push_back("logit quantal response branch traced to an equilibrium (" +
                    Plural(count.logit_subgames - count.logit_pure, "subgame") + ", " +
                    Plural(count.logit_steps, "step") + ", up to lambda " + Gain(count.logit_lambda) + ")");
  else if (count.logit_subgames)
    parts.push_back("logit quantal response branch traced (" + Plural(count.logit_subgames, "subgame") + ", " +
                    Plural(count.logit_steps, "step") + ", up to lambda " + Gain(count.logit_lambda) + ")");
  if (count.logit_pure)
    parts.push_back("pure profiles searched where no trace reached an equilibrium (" +
                    Plural(count.logit_pure, "subgame") + ", " + Plural(count.pure_tried, "profile") + ")");
  if (count.bi_nodes) parts.push_back("backward induction (" + Plural(count.bi_nodes, "node") + ")");
  std::string method;
  for (std::size_t i = 0; i < parts.size(); ++i) method += (i ? " + " : "") + parts[i];
  // A game that is a single leaf has no subgame and nothing to solve.
  solution.method = num_subgames == 0 ? std::string("nothing to decide (the game is a single outcome)")
                                      : "subgame decomposition into " + Plural(num_subgames, "proper subgame") +
                                            ": " + method;
  if (count.logit_subgames && game.num_players() != 2 && (options.method == "lemke" || options.method == "lp"))
    solution.notes.push_back("--method " + options.method + " solves subgames in which at most two players move; " +
                             Plural(count.logit_subgames, "subgame") +
                             " with imperfect information had three or more, and went to the logit tracer "
                             "(--method logit)");
  if (count.logit_rescaled)
    solution.notes.push_back(
        "the principal logit branch of " + Plural(count.logit_rescaled, "subgame") +
        " stopped short of an equilibrium (stakes of very different sizes in one subgame); the equilibrium "
        "comes from a trace with lambda weighted at each information set by its stakes, and is verified like "
        "any other");
  if (count.exact_subgames)
    solution.notes.push_back(
        Plural(count.exact_subgames, "subgame") + " in which at most two players move had " +
        (count.exact_subgames == 1 ? "its" : "their") +
        " floating-point answer fail; solved again alone in exact rational arithmetic, with the values of the "
        "subgames below as computed (exact arithmetic cannot take the whole game: three or more players move "
        "in some subgame)");
  if (count.logit_pure)
    solution.notes.push_back(
        "no logit trace of " + Plural(count.logit_pure, "subgame") +
        " reached an equilibrium (stakes of very different sizes in one subgame); the equilibrium there is a "
        "pure profile found by searching the subgame's pure profiles, the likeliest at the trace's end first, "
        "and is verified like any other");
  if (count.unreached_sets)
    solution.notes.push_back(
        Plural(count.unreached_sets, "information set") +
        " that the owner's own strategy never reaches within its subgame " +
        (count.unreached_sets == 1 ? "gets" : "get") + " the uniform "
        "distribution (any behaviour there keeps the equilibrium)");
  if (HasNonTrivialBeliefs(game)) {
    const ActionIndex index(game);
    AssignBeliefs(game, index, roots, count.trace_beliefs, eq);
    // The trace's beliefs at sets that no subgame's play reaches come with the behaviour the
    // polish kept there, which need not be a best response to them (the polish solves the
    // equilibrium conditions where play goes, not beyond). Said rather than claimed sequential.
    const std::vector<double> values = NodeValues(game, index, eq.behavior);
    const std::size_t np = static_cast<std::size_t>(game.num_players());
    double scale = 0;
    for (double x : values) scale = std::max(scale, std::abs(x));
    std::size_t off = 0;
    double worst = 0;
    for (model::InfosetId h = 0; h < game.num_infosets(); ++h) {
      if (eq.belief_source.size() <= h || eq.belief_source[h] != BeliefSource::kTrace) continue;
      const int player = game.infoset_player(h);
      const auto nodes = game.infoset_nodes(h);
      double best = -std::numeric_limits<double>::infinity(), played = 0;
      for (std::uint32_t a = 0; a < game.num_actions(h); ++a) {
        double worth = 0;
        for (model::NodeId x : nodes)
          worth += eq.beliefs[x] * values[static_cast<std::size_t>(game.child(x, a)) * np + static_cast<std::size_t>(player)];
        best = std::max(best, worth);
        played += eq.behavior[index(h, a)] * worth;
      }
      const double gain = best - played;
      if (gain > 1e-9 * std::max(1.0, scale)) {
        ++off;
        worst = std::max(worst, gain);
      }
    }
    if (off)
      solution.notes.push_back(
          "at " + Plural(off, "information set") + " that play reaches in no subgame, the behaviour shown is not a "
          "best response to the beliefs shown (the logit trace's, largest gain " + Gain(worst) +
          "): the profile is subgame perfect, but this assessment is not shown to be a sequential equilibrium");
  }
  solution.equilibria.push_back(std::move(eq));
  return solution;
}

}  // namespace parley::equilibrium
