// The compiled evaluation (scenario/compiled_evaluator.h) against a full expansion of the same
// parameter values: on random draws of every scenario in scenarios/ and bench/data/, every
// payoff, chance probability, bargain (disagreement point, agreement, issue values) and the
// solved equilibrium's payoffs and path must be equal to the last bit, or both must fail
// with the same message. The independent side is CompiledScenario::Expand, which builds
// every game afresh.
#include <doctest/doctest.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "solver/analysis/random.h"
#include "solver/analysis/scenario_model.h"
#include "solver/equilibrium/solve.h"
#include "solver/model/error.h"
#include "solver/report/bargaining_json.h"
#include "solver/scenario/compiled_evaluator.h"
#include "tests/test_util.h"

namespace {

using parley::scenario::CompiledEvaluator;
using parley::scenario::CompiledScenario;
using parley::scenario::Expansion;
using parley::scenario::ExpandOptions;

// Bits of a double: equal bits, equal numbers (and NaN equals NaN).
std::uint64_t Bits(double x) { return std::bit_cast<std::uint64_t>(x); }

// Every field of a bargain's record, its whole AgreementResult included, as text with every
// number written by its bits: a compiled evaluation reuses the records' and the results'
// storage, so a field left over from an earlier evaluation must show here.
std::string RecordFingerprint(const parley::scenario::BargainRecord& b) {
  std::string out;
  auto put = [&](double x) { out += std::to_string(Bits(x)) + ","; };
  auto put_all = [&](const std::vector<double>& v) {
    out += "[";
    for (double x : v) put(x);
    out += "]";
  };
  auto put_text = [&](const std::vector<std::string>& v) {
    out += "[";
    for (const std::string& t : v) out += t + ";";
    out += "]";
  };
  auto put_terms = [&](const parley::bargaining::AgreementTerms& terms) {
    out += "{";
    for (const auto& package : terms.packages) {
      put(package.probability);
      put_all(package.issues);
    }
    out += "}";
  };
  out += b.stage + "@" + std::to_string(b.node) + "/" + std::to_string(b.no_deal_node) + " " + b.history +
         " branch " + std::to_string(b.disagreement_from_branch) + " breakdown ";
  put(b.breakdown);
  put_text(b.issue_names);
  for (bool x : b.issue_discrete) out += x ? "d" : "c";
  for (const auto& [lo, hi] : b.bounds) put(lo), put(hi);
  for (const auto& o : b.options) put_text(o);
  for (const auto& o : b.option_codes) put_all(o);
  out += " concept " + std::to_string(static_cast<int>(b.concept_kind)) + " weights ";
  put_all(b.weights);
  for (int p : b.parties) out += std::to_string(p) + ",";
  put_text(b.constraints);
  out += " protocol " + std::to_string(static_cast<int>(b.protocol)) + " ";
  put_all(b.alternating.discount);
  out += std::to_string(b.alternating.first) + "/" + std::to_string(b.alternating.rounds) + " outside " +
         std::to_string(b.outside);
  put_all(b.inside);
  out += " after " + b.after_agreement + "\n";
  const parley::bargaining::AgreementResult& r = b.step;
  out += "optimality " + std::to_string(static_cast<int>(r.optimality)) + " " + r.search + " ";
  put(r.kkt_residual);
  put_text(r.binding);
  for (int p : r.parties) out += std::to_string(p) + ",";
  for (bool x : r.outside_binds) out += x ? "1" : "0";
  out += r.agreement_possible ? " possible " : " impossible ";
  for (const auto& issue : r.issues) {
    out += issue.name + (issue.discrete ? " d " : " c ");
    put(issue.lower), put(issue.upper);
    put_text(issue.labels);
    put_all(issue.values);
  }
  out += "\nresult " + parley::report::ToJson(r.result).dump() + "\n";
  for (const auto& solution : r.result.solutions) {
    // What the JSON leaves out: the lottery's full length and the ties' and tie rule's text.
    put_all(solution.lottery);
    for (const auto& t : solution.ties) put_all(t);
    out += solution.tie_rule + ";";
  }
  out += " payoffs ";
  put_all(r.payoffs);
  put_all(r.issue_values);
  put_terms(r.terms);
  out += r.lottery ? " lottery " : " single ";
  for (const auto& p : r.points) put_all(p);
  for (const auto& t : r.solution_terms) put_terms(t);
  for (const auto& v : r.solution_issue_values) put_all(v);
  return out + "\n";
}

// Everything an evaluation yields that a sweep or a Monte Carlo sample reads, as text with
// every number written by its bits; or the error's message.
std::string Fingerprint(const std::function<const Expansion&()>& expand) {
  std::string out;
  auto put = [&](double x) { out += std::to_string(Bits(x)) + ","; };
  try {
    const Expansion& x = expand();
    const auto& g = *x.game;
    out += "nodes " + std::to_string(g.num_nodes()) + " stats " +
           std::to_string(x.stats.evaluations) + "/" + std::to_string(x.stats.payoff_evaluations) + "\n";
    for (parley::model::OutcomeId o = 0; o < g.num_outcomes(); ++o)
      for (double p : g.payoffs(o)) put(p);
    out += "\n";
    for (parley::model::InfosetId h = 0; h < g.num_infosets(); ++h)
      if (g.infoset_player(h) == parley::model::kChancePlayer)
        for (std::uint32_t a = 0; a < g.num_actions(h); ++a) put(g.chance_prob(h, a));
    out += "\n";
    for (const auto& b : x.bargains) out += RecordFingerprint(b);
    parley::equilibrium::Solution s = parley::equilibrium::Solve(g, {});
    for (double v : s.equilibria.front().payoffs) put(v);
    for (double v : s.equilibria.front().behavior) put(v);
    out += parley::analysis::DescribePath(g, s.equilibria.front()) + "\n";
  } catch (const parley::Error& e) {
    out = std::string("error: ") + e.what();
  }
  return out;
}

std::size_t CompareOnDraws(std::shared_ptr<const CompiledScenario> compiled, const std::string& path,
                           std::size_t draws);

// `draws` random points of the scenario at `path`: each parameter with a range uniform in it
// (the others at their values), compiled against full expansion. Returns how many points the
// compiled side evaluated on its kept games.
std::size_t CompareOnDraws(const std::string& path, std::size_t draws) {
  return CompareOnDraws(CompiledScenario::Compile(parley::testing::ReadFile(path), path), path, draws);
}

std::size_t CompareOnDraws(std::shared_ptr<const CompiledScenario> compiled, const std::string& path,
                           std::size_t draws) {
  ExpandOptions options;
  options.max_nodes = 200'000;
  options.fast_bargains = true;
  CompiledEvaluator evaluator(compiled, options);
  CompiledEvaluator::Scratch scratch(evaluator);
  const auto& parameters = compiled->info().parameters;
  for (std::size_t i = 0; i < draws; ++i) {
    std::vector<double> values = compiled->DefaultValues();
    parley::analysis::Xoshiro256 rng(12345, i);
    if (i > 0)  // the first point at the file's values
      for (std::size_t p = 0; p < parameters.size(); ++p)
        if (parameters[p].min && parameters[p].max)
          values[p] = *parameters[p].min + (*parameters[p].max - *parameters[p].min) * rng.Uniform();
    Expansion full;
    std::string expected = Fingerprint([&]() -> const Expansion& {
      full = compiled->Expand(values, options);
      return full;
    });
    std::string got = Fingerprint([&]() -> const Expansion& { return evaluator.Evaluate(values, scratch); });
    INFO(path << " draw " << i);
    REQUIRE(got == expected);
  }
  return scratch.rewrites();
}

// The end of a scenario whose bargain stage `deal` binds `gain` (A's payoff at an agreement;
// B's is `b_agreed`) and whose parameters include `war`: the no-deal branch is a simultaneous
// game (B does not observe A's move, so an information set of two nodes and a value from
// Solve rather than the backward-induction sweep), then the payoffs.
std::string SimultaneousNoDeal(const std::string& b_agreed) {
  return R"(  - name: a_move
    player: A
    actions: [fight, yield]
  - name: b_move
    player: B
    actions: [fight, yield]
    observe: none
payoffs:
  A: if(deal == agree, gain, if(a_move == fight, if(b_move == fight, -war, 2), if(b_move == fight, 0, 1)))
  B: if(deal == agree, )" + b_agreed +
         R"(, if(b_move == fight, if(a_move == fight, -war, 2), if(a_move == fight, 0, 1)))
)";
}

// Every field of every bargain's record (Fingerprint has them too; kept apart for the
// message when only they differ).
std::string BargainFingerprint(const Expansion& x) {
  std::string out;
  for (const auto& b : x.bargains) out += RecordFingerprint(b);
  return out;
}

// Evaluates `points` in order in ONE scratch and each also by a full expansion: every number
// equal to the bit. Returns the scratch's rewrites.
std::size_t CompareSequence(std::shared_ptr<const CompiledScenario> compiled,
                            const std::vector<std::vector<double>>& points) {
  ExpandOptions options;
  options.fast_bargains = true;
  CompiledEvaluator evaluator(compiled, options);
  CompiledEvaluator::Scratch scratch(evaluator);
  for (std::size_t i = 0; i < points.size(); ++i) {
    Expansion full;
    std::string full_bargains;
    std::string expected = Fingerprint([&]() -> const Expansion& {
      full = compiled->Expand(points[i], options);
      full_bargains = BargainFingerprint(full);
      return full;
    });
    std::string kept_bargains;
    std::string got = Fingerprint([&]() -> const Expansion& {
      const Expansion& x = evaluator.Evaluate(points[i], scratch);
      kept_bargains = BargainFingerprint(x);
      return x;
    });
    INFO("point " << i);
    REQUIRE(got == expected);
    REQUIRE(kept_bargains == full_bargains);
  }
  return scratch.rewrites();
}

}  // namespace

TEST_SUITE("scenario") {
  TEST_CASE("evaluations in one scratch reuse the last one's bargains and payoffs exactly") {
    // A scratch keeps each bargain's disagreement point, corners and hull and solution with
    // the bits of the variables they read, and terminal payoffs with their inputs' bits.
    // Points in the order a sweep, a bisection or a slider gives them: A; B (the agreement
    // space moves); A again (everything as the scratch held two points before); C = A with
    // other powers only (the kept corners and hull, a new solution step); C again (the whole
    // result); D = C with another issue bound (a new space); E = D with the regulator's odds
    // (a new no-deal value); C; -0 against +0 in a payoff's parameter; A.
    const std::string path = parley::testing::SourcePath("bench/data/openai_microsoft_v1.yaml");
    auto compiled = CompiledScenario::Compile(parley::testing::ReadFile(path), path);
    const auto& info = compiled->info();
    auto at = [&](const char* name) {
      const int p = info.FindParameter(name);
      REQUIRE(p >= 0);
      return static_cast<std::size_t>(p);
    };
    const std::vector<double> a = compiled->DefaultValues();
    std::vector<double> b = a, c = a, d, e, zero, minus_zero;
    b[at("openai_value")] = 420;
    c[at("openai_power")] = 0.37;
    d = c;
    d[at("equity_max")] = 0.4;
    e = d;
    e[at("regulator_acts")] = 0.55;
    zero = c;
    zero[at("carveout_cost")] = 0.0;
    minus_zero = c;
    minus_zero[at("carveout_cost")] = -0.0;
    CHECK(CompareSequence(compiled, {a, b, a, c, c, d, e, c, zero, minus_zero, zero, a}) == 11);

    // A bargain with constraints and a zero power on the way (not the plain problem: the
    // whole result is reused or the bargain solved afresh), and an imperfect no-deal branch.
    const std::string text = R"(players: [A, B]
parameters:
  size: {value: 10, min: 5, max: 20}
  power: {value: 0.5, min: 0, max: 1}
  war: {value: 1, min: 0, max: 4}
stages:
  - name: deal
    bargain:
      issues:
        share: {from: 0, to: 1}
        extra: {options: [no, yes]}
      constraints:
        - share * size <= 0.7 * size + bonus
      solution: nash
      powers: [power, 1 - power]
    compute:
      bonus: if(extra == yes, 0.5, 0)
      gain: share * size + bonus
)" + SimultaneousNoDeal("size - gain");
    auto linked = CompiledScenario::Compile(text, "linked.yaml");
    const std::vector<double> p{10, 0.5, 1}, q{10, 0.3, 1}, r{12, 0.3, 1}, s{10, 0.3, 2}, zero_power{10, 0, 1};
    CHECK(CompareSequence(linked, {p, q, q, p, r, s, q, zero_power, q, p}) == 9);

    // A second bargain in the first one's no-deal branch reads the same power: the first
    // bargain's disagreement point then moves with the power, although the power is read by
    // bargaining powers alone.
    const std::string nested_text = R"(players: [A, B]
parameters:
  power: {value: 0.5, min: 0.1, max: 0.9}
  size: {value: 10, min: 5, max: 20}
stages:
  - name: first
    bargain:
      issues:
        share: {from: 0, to: 1}
      solution: nash
      powers: [power, 1 - power]
  - name: second
    bargain:
      issues:
        cut: {from: 0, to: 1}
      solution: nash
      powers: [1 - power, power]
payoffs:
  A: if(first == agree, share * size, if(second == agree, cut * size * 0.5, 1))
  B: if(first == agree, (1 - share) * size, if(second == agree, (1 - cut) * size * 0.5, 2))
)";
    auto nested = CompiledScenario::Compile(nested_text, "nested.yaml");
    CHECK(CompareSequence(nested, {{0.5, 10}, {0.3, 10}, {0.3, 10}, {0.3, 12}, {0.5, 10}}) == 4);
  }

  TEST_CASE("draws that move several parameters between single moves: the memos set aside, then emptied") {
    // A Monte Carlo draw moves every parameter at once, and a scratch then neither consults
    // nor fills its memos; the next evaluation that moves one parameter starts them afresh.
    // B moves two parameters of A (memos off), C puts one back (on again): C's bargains read
    // A's inputs, which the memos held before B, while the continuations were last rewritten
    // for B. Every number must still be a full expansion's.
    const std::string path = parley::testing::SourcePath("bench/data/openai_microsoft_v1.yaml");
    auto compiled = CompiledScenario::Compile(parley::testing::ReadFile(path), path);
    const auto& info = compiled->info();
    auto at = [&](const char* name) {
      const int p = info.FindParameter(name);
      REQUIRE(p >= 0);
      return static_cast<std::size_t>(p);
    };
    const std::vector<double> a = compiled->DefaultValues();
    std::vector<double> b = a, d = a;
    b[at("openai_value")] = 420;
    b[at("carveout_cost")] = 0.25;
    std::vector<double> c = b;
    c[at("openai_value")] = a[at("openai_value")];
    d[at("regulator_acts")] = 0.55;
    d[at("agi_probability")] = 0.2;
    d[at("openai_power")] = 0.4;
    std::vector<double> e = d;
    e[at("openai_power")] = 0.6;
    CHECK(CompareSequence(compiled, {a, b, c, a, d, e, d, a, c}) == 8);
  }

  TEST_CASE("a no-deal branch with chance, a choice and computed variables: the closed form, compiled") {
    // No deal: the market is hi with probability p, then A fights (cost 1, gain 3) or folds.
    // After hi A gets stake = v / 2 (+ 2 fighting), after lo 1 (+ 2 fighting): A fights at
    // both. d = (p (v/2 + 2) + 3 (1 - p), p + (1 - p) v/2). Nash with equal powers over
    // x in [0, 1]: v x - dA = v (1 - x) - dB, so A's agreed payoff is (v + dA - dB) / 2; with
    // breakdown 1/2 each player gets half the agreement and half d. The game's no-deal branch
    // (breakdown's) and the disagreement point (the same branch expanded on its own) are both
    // read: a wrong number in either moves the answer.
    const std::string text = R"(players: [A, B]
parameters:
  p: {value: 0.3, min: 0, max: 1}
  v: {value: 10, min: 4, max: 20}
stages:
  - name: deal
    bargain:
      issues:
        x: {from: 0, to: 1}
      solution: nash
      breakdown: 0.5
    compute:
      stake: v / 2
  - name: market
    player: nature
    actions: [hi, lo]
    probabilities: [p, 1 - p]
  - name: reply
    player: A
    actions: [fight, fold]
    compute:
      cost: if(reply == fight, 1, 0)
payoffs:
  A: if(deal == agree, x * v, if(market == hi, stake, 1) - cost + if(reply == fight, 3, 0))
  B: if(deal == agree, (1 - x) * v, if(market == hi, 1, stake))
)";
    auto compiled = CompiledScenario::Compile(text, "no_deal.yaml");
    // (d sums to v / 2 + 3: v above 6 leaves something to share)
    const std::vector<std::vector<double>> points{{0.3, 10}, {0.1, 10}, {0.1, 14}, {0.8, 8},
                                                  {0.8, 8},  {0.5, 8},  {0.2, 20}, {0.3, 10}};
    CHECK(CompareSequence(compiled, points) == 7);
    ExpandOptions options;
    options.fast_bargains = true;
    CompiledEvaluator evaluator(compiled, options);
    CompiledEvaluator::Scratch scratch(evaluator);
    for (const auto& point : points) {
      const double p = point[0], v = point[1];
      const double da = p * (v / 2 + 2) + 3 * (1 - p), db = p + (1 - p) * v / 2;
      const double agreed_a = (v + da - db) / 2, agreed_b = v - agreed_a;
      const Expansion& x = evaluator.Evaluate(point, scratch);
      REQUIRE(x.bargains.size() == 1);
      CHECK(x.bargains[0].step.issue_values[0] == doctest::Approx(agreed_a / v).epsilon(1e-12));
      const auto u = parley::equilibrium::Solve(*x.game, {}).equilibria.front().payoffs;
      INFO("p " << p << ", v " << v);
      CHECK(u[0] == doctest::Approx(0.5 * (agreed_a + da)).epsilon(1e-12));
      CHECK(u[1] == doctest::Approx(0.5 * (agreed_b + db)).epsilon(1e-12));
    }
  }

  TEST_CASE("a repeat block's unrolled program is kept between rewrites and dropped with the games") {
    // T sets the number of rounds (a shape parameter: a new T expands in full and unrolls
    // again); bonus moves payoffs only (a rewrite, which borrows the last rewrite's program).
    // The rounds' stages carry the loop in their labels ("move (k 2)").
    const std::string text = R"(players: [A, B]
parameters:
  T: {value: 4, min: 2, max: 8}
  bonus: {value: 0, min: 0, max: 3}
stages:
  - repeat:
      for: k
      from: 1
      to: T
      while: move != take
      stages:
        - name: move
          player: [A, B]
          actions: [take, pass]
          compute:
            taken_at: if(move == take, k, 0)
payoffs:
  A: if(taken_at == 0, T + bonus, if(taken_at % 2 == 1, taken_at + 1 + bonus, taken_at - 1))
  B: if(taken_at == 0, T, if(taken_at % 2 == 0, taken_at + 1, taken_at - 1 + bonus))
)";
    auto compiled = CompiledScenario::Compile(text, "rounds.yaml");
    // Expansions at points 0, 3 and 5 (T moves), rewrites at 1, 2 and 4.
    CHECK(CompareSequence(compiled, {{4, 0}, {4, 1}, {4, 2.5}, {6, 1}, {6, 0}, {4, 1}}) == 3);
  }

  TEST_CASE("compiled evaluation equals full expansion on random draws of every scenario") {
    for (const char* folder : {"scenarios", "bench/data"})
      for (const auto& entry : std::filesystem::directory_iterator(parley::testing::SourcePath(folder))) {
        if (entry.path().extension() != ".yaml") continue;
        const std::string path = entry.path().string();
        // A bargain with after_agreement stages is always expanded in full (its continuation
        // is solved per region of the terms), so those files check that path: with fewer
        // draws, and no kept games expected.
        const bool full_only = parley::testing::ReadFile(path).find("after_agreement:") != std::string::npos;
        INFO(path);
        std::size_t rewrites = CompareOnDraws(path, full_only ? 10 : 60);
        if (!full_only) CHECK(rewrites > 0);
      }
  }

  TEST_CASE("compiled evaluation equals full expansion: remembered formulas, an imperfect no-deal branch") {
    // The bargain's computed variables: `base` and `bonus` do not read the continuous issue
    // (the memo gives their values again at a package's other corners), `gain` does; the
    // constraint reads both. The no-deal branch is a simultaneous game (an information set
    // of two nodes), so its value comes from Solve, not from the backward-induction sweep.
    const std::string text = R"(players: [A, B]
parameters:
  size: {value: 10, min: 5, max: 20}
  cap: {value: 0.6, min: 0.3, max: 0.9}
  power: {value: 0.5, min: 0.2, max: 0.8}
  war: {value: 1, min: 0, max: 4}
stages:
  - name: deal
    bargain:
      issues:
        share: {from: 0, to: 1}
        plan: {options: [small, medium, large]}
        extra: {options: [no, yes]}
      constraints:
        - share * size <= cap * size + bonus
      solution: nash
      powers: [power, 1 - power]
      lotteries: false
    compute:
      base: size * (1 + 0.25 * (plan - small)) + war
      bonus: if(extra == yes, 0.5 * cap, 0)
      gain: share * base + bonus
)" + SimultaneousNoDeal("base - gain");
    auto compiled = CompiledScenario::Compile(text, "memo.yaml");
    CHECK(CompareOnDraws(compiled, "memo.yaml", 30) == 29);
  }

  TEST_CASE("a parameter that changes the tree's shape is expanded in full, and equal") {
    // n sets the number of offers (an action range) and hurdle decides whether the second
    // stage happens (a condition through a computed variable); cost changes only payoffs.
    const std::string text = R"(players: [A, B]
parameters:
  n: {value: 3, min: 1, max: 6}
  hurdle: {value: 1, min: 0, max: 3}
  cost: {value: 0.5, min: 0, max: 2}
stages:
  - name: offer
    player: A
    actions: {from: 0, to: n, step: 1}
    compute:
      high: offer > hurdle
  - name: answer
    player: B
    condition: high
    actions: [yes, no]
payoffs:
  A: if(answer == yes, n - offer, 0) - cost
  B: if(answer == yes, offer, 0.1 * cost)
)";
    auto compiled = CompiledScenario::Compile(text, "shape.yaml");
    ExpandOptions options;
    options.fast_bargains = true;
    CompiledEvaluator evaluator(compiled, options);
    CHECK(evaluator.Unsupported().empty());
    CHECK(evaluator.ShapeReason(0) == "it reaches the action range of stage 'offer'");
    CHECK(evaluator.ShapeReason(1) == "it reaches the condition of stage 'answer'");
    CHECK(evaluator.ShapeReason(2).empty());
    const std::vector<std::size_t> cost{2}, all{0, 1, 2};
    CHECK(evaluator.Rewrites(cost));
    CHECK_FALSE(evaluator.Rewrites(all));
    CHECK(evaluator.DescribePath(all).find("parameter 'n' changes the tree's shape") != std::string::npos);
    CompiledEvaluator::Scratch scratch(evaluator);
    std::size_t k = 0;
    for (double n : {3.0, 3.0, 5.0, 5.0})
      for (double hurdle : {1.0, 1.0, 2.5})
        for (double cost_value : {0.5, 1.25}) {
          std::vector<double> values{n, hurdle, cost_value};
          Expansion full;
          std::string expected = Fingerprint([&]() -> const Expansion& {
            full = compiled->Expand(values, options);
            return full;
          });
          INFO("point " << k++);
          CHECK(Fingerprint([&]() -> const Expansion& { return evaluator.Evaluate(values, scratch); }) ==
                expected);
        }
    // Kept games serve only where n and hurdle are those they were built for. Each of the
    // four passes over n runs hurdle 1 (4 points: 1 expansion, 3 rewrites) then hurdle 2.5
    // (2 points: 1 expansion, 1 rewrite): 8 expansions and 16 rewrites in all.
    CHECK(scratch.expansions() == 8);
    CHECK(scratch.rewrites() == 16);
  }
  TEST_CASE("a sweep of the power of a bargain with lotteries allowed: the kept whole set gives a full solve's numbers") {
    // games/holdup_nash.yaml: one continuous issue, lotteries allowed (the default), Nash with
    // powers [power, 1 - power]. After the first point a kept hull solves other powers with
    // the ideal point and the frontier of its first solve; every field of every record must
    // still equal a full expansion's, including back at equal powers (one listed weighting
    // instead of two) and at a cost that moves the disagreement point (solved afresh).
    const std::string path = parley::testing::SourcePath("games/holdup_nash.yaml");
    auto compiled = CompiledScenario::Compile(parley::testing::ReadFile(path), path);
    // power, high, low, cost_high, cost_low
    CHECK(CompareSequence(compiled, {{0.5, 10, 4, 3, 1}, {0.2, 10, 4, 3, 1}, {0.7, 10, 4, 3, 1},
                                     {0.5, 10, 4, 3, 1}, {0.5, 10, 4, 3.5, 1}, {0.9, 10, 4, 3.5, 1},
                                     {0.1, 10, 4, 3.5, 1}}) == 6);
  }
  TEST_CASE("kept programs and records follow the shape: a no-deal branch whose actions depend on a parameter") {
    // The no-deal branch (`fight`) ranges over 0..n: each change of n expands in full (the
    // kept games, the programs lent to the continuation and the recycled records start
    // again), a change of p alone rewrites. Every field of every record must equal a full
    // expansion's, in one scratch, whatever came before.
    const std::string text = R"(players: [A, B]
parameters:
  n: {value: 2, min: 1, max: 4}
  p: {value: 0.5, min: 0.1, max: 0.9}
stages:
  - name: deal
    bargain:
      issues:
        share: {from: 0, to: 1}
      powers: [p, 1 - p]
  - name: fight
    player: A
    actions: {from: 0, to: n, step: 1}
payoffs:
  A: if(deal == agree, 10 * (1 - share), fight)
  B: if(deal == agree, 10 * share, n - fight)
)";
    auto compiled = CompiledScenario::Compile(text, "nodeal_shape.yaml");
    CHECK(CompareSequence(compiled, {{2, 0.3}, {2, 0.6}, {3, 0.6}, {3, 0.3}, {3, 0.3}, {2, 0.3}, {2, 0.7},
                                     {4, 0.5}, {4, 0.2}}) == 5);
  }
  TEST_CASE("a bargain's computed variables follow the package: known answers, full and compiled") {
    // `bonus` reads only the discrete issue (evaluated once per package), `cut` the continuous
    // one (at every corner); `fallback` is computed only after the bargain and read only by
    // A's no-deal payoff (no agreement reads it, so it is not probed). d = (0.5, 0).
    // small: A = 10 - 10 s, B = 10 s; max (A - 0.5) B on A + B = 10: B = 4.75, product 22.5625.
    // big (bonus b = 2): A = 10 + b - 10 s, B = 10 s - 1; A + B = 11: B = 5.25, A = 5.75,
    //   product 27.5625 > 22.5625, s = (5.25 + 1) / 10 = 0.625.
    // b = 4: A + B = 13, A - 0.5 + B = 12.5: B = 6.25, A = 6.75, s = 0.725.
    const std::string text = R"(players: [A, B]
parameters:
  b: {value: 2, min: 0, max: 5}
stages:
  - name: deal
    bargain:
      issues:
        share: {from: 0, to: 1}
        plan: {options: [small, big]}
      solution: nash
      lotteries: false
    compute:
      bonus: if(plan == big, b, 0)
      cut: 10 * share
  - name: after
    compute:
      fallback: 0.5
payoffs:
  A: if(deal == agree, 10 - cut + bonus, fallback)
  B: if(deal == agree, cut - if(plan == big, 1, 0), 0)
)";
    auto compiled = CompiledScenario::Compile(text, "package.yaml");
    ExpandOptions options;
    options.fast_bargains = true;
    CompiledEvaluator evaluator(compiled, options);
    CompiledEvaluator::Scratch scratch(evaluator);
    struct Known {
      double b, a, bb, share;
    };
    for (const Known& k : {Known{2, 5.75, 5.25, 0.625}, Known{4, 6.75, 6.25, 0.725},
                           Known{2, 5.75, 5.25, 0.625}}) {
      INFO("b = " << k.b);
      const std::vector<double> values{k.b};
      const Expansion full = compiled->Expand(values, options);
      const Expansion& kept = evaluator.Evaluate(values, scratch);
      for (const Expansion* x : {&full, &kept}) {
        REQUIRE(x->bargains.size() == 1);
        const auto& step = x->bargains[0].step;
        REQUIRE(step.agreement_possible);
        CHECK(step.result.disagreement[0] == doctest::Approx(0.5));
        CHECK(step.result.disagreement[1] == doctest::Approx(0.0));
        CHECK(step.payoffs[0] == doctest::Approx(k.a));
        CHECK(step.payoffs[1] == doctest::Approx(k.bb));
        CHECK(step.issue_values[0] == doctest::Approx(k.share));
      }
    }
    CHECK(scratch.rewrites() == 2);
  }
  TEST_CASE("a bargain's computed variables in chains over several discrete issues: as if written out") {
    // Between packages only the variables that read (through others too) a discrete issue
    // that changed are computed again. (Packages run with the first discrete issue changing
    // fastest: `plan` changes alone, and `extra` and `tail` read it only through `base`.)
    // The same bargain with every variable written out in the payoffs (no `compute`, so
    // nothing is skipped) must give the same solution, for each value of b, in a full
    // expansion and on kept games.
    const std::string bargain = R"(players: [A, B]
parameters:
  b: {value: 2, min: 0, max: 5}
stages:
  - name: deal
    bargain:
      issues:
        share: {from: 0, to: 1}
        plan: {options: [small, big, huge]}
        term: {options: [short, long]}
        venue: {options: [here, there, elsewhere]}
      solution: nash
      lotteries: false
)";
    const std::string chained = bargain + R"(    compute:
      base: if(plan == big, b, if(plan == huge, 2 * b - 1, 0))
      extra: base * if(term == long, 1.5, 1) - if(venue == there, 0.7, 0)
      flat: b / 4
      cut: 10 * share
      tail: extra + if(venue == elsewhere, 0.3 * flat, 0)
payoffs:
  A: if(deal == agree, 10 - cut + tail + flat, 1)
  B: if(deal == agree, cut - base * 0.4 - if(term == long, 0.5, 0), 0.5)
)";
    const std::string base = "(if(plan == big, b, if(plan == huge, 2 * b - 1, 0)))";
    const std::string extra = "(" + base + " * if(term == long, 1.5, 1) - if(venue == there, 0.7, 0))";
    const std::string tail = "(" + extra + " + if(venue == elsewhere, 0.3 * (b / 4), 0))";
    const std::string written = bargain + "payoffs:\n  A: if(deal == agree, 10 - 10 * share + " + tail +
                                " + b / 4, 1)\n  B: if(deal == agree, 10 * share - " + base +
                                " * 0.4 - if(term == long, 0.5, 0), 0.5)\n";
    auto a = CompiledScenario::Compile(chained, "chained.yaml");
    auto w = CompiledScenario::Compile(written, "written.yaml");
    ExpandOptions options;
    options.fast_bargains = true;
    CompiledEvaluator evaluator(a, options);
    CompiledEvaluator::Scratch scratch(evaluator);
    for (double b : {2.0, 0.0, 4.5, 1.2, 3.3}) {
      INFO("b = " << b);
      const std::vector<double> values{b};
      const Expansion reference = w->Expand(values, options);
      const Expansion full = a->Expand(values, options);
      const Expansion& kept = evaluator.Evaluate(values, scratch);
      REQUIRE(reference.bargains.size() == 1);
      const auto& want = reference.bargains[0].step;
      REQUIRE(want.agreement_possible);
      for (const Expansion* x : {&full, &kept}) {
        REQUIRE(x->bargains.size() == 1);
        const auto& got = x->bargains[0].step;
        REQUIRE(got.agreement_possible);
        CHECK(got.payoffs[0] == doctest::Approx(want.payoffs[0]).epsilon(1e-12));
        CHECK(got.payoffs[1] == doctest::Approx(want.payoffs[1]).epsilon(1e-12));
        REQUIRE(got.issue_values.size() == want.issue_values.size());
        for (std::size_t i = 0; i < want.issue_values.size(); ++i)
          CHECK(got.issue_values[i] == doctest::Approx(want.issue_values[i]).epsilon(1e-12));
      }
    }
  }
}
