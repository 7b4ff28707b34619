// The OpenAI-Microsoft scenario (second edition) against a hand calculation: the disagreement
// point, the agreement (every package's Nash bargain in closed form), the value of what
// follows an agreement (the closed form the file uses against the stages played out), the
// equilibrium's verification, and that every parameter says where its value comes from.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "solver/equilibrium/profile.h"
#include "solver/equilibrium/solve.h"
#include "solver/equilibrium/verify.h"
#include "solver/scenario/scenario.h"
#include "tests/test_util.h"

namespace parley::scenario {
namespace {

constexpr const char* kFile = "scenarios/openai_microsoft.yaml";

// The file's base values, written out again (a change in the file must show up here).
constexpr double kGross = 300, kGain = 40;                  // gross_value, restructuring_gain
constexpr double kSharePv = 0.6 * 92;                       // share_realised * share_cap = 55.2
constexpr double kShareNow = 0.2;                           // share_now
constexpr double kTau = 0.5, kAgi = 0.2, kUpheld = 0.3;     // share_timing, agi_probability, early_upheld
constexpr double kDispute = 3, kVerify = 0.5;               // dispute_cost, verification_cost
constexpr double kWeight = 0.75, kPremium = 0.3;            // microsoft_equity_weight, cash_premium
constexpr double kControl = 0.4, kStakeNow = 0.25;          // control_cost, current_stake
constexpr double kAccess = 50, kHorizon = 8;                // access_value, access_horizon
constexpr double kIpCost = 2, kYearsNow = 5, kYearsMax = 15;  // ip_cost_per_year, ip_years_now, ip_years_max
constexpr double kCloudValue = 5, kCloudCost = 4;           // cloud_value, cloud_cost
constexpr double kCompletes = 0.8;                          // windsurf_completes
constexpr double kCarveOpenAI = 0.3 * 3 + 2;                // exclusive_fraction * windsurf_price + precedent_value
constexpr double kCarveMicrosoft = 0.3;                     // carveout_cost
constexpr double kBreakdown = 0.1;                          // breakdown_risk

// The disagreement point by hand. Today's contract: share worth 55.2 if it runs its course,
// access 50 (1 - exp(-5/8)) = 23.2369, OpenAI's cost of it 2 * 5 = 10. In every history
// where AGI is not reached OpenAI declares early: if upheld it saves 0.5 (1.05 * 55.2 + 10)
// = 33.98, times 0.3 = 10.19 > 3, the dispute's cost. So the expected fraction paid is
// 0.2 * 0.5 + 0.8 (0.3 * 0.5 + 0.7) = 0.78, and a dispute costs each 0.8 * 3 = 2.4.
//   refrain:          OpenAI 0.75 * 300 - 1.05 * 55.2 * 0.78 - 10 * 0.78 - 4 - 2.4 = 165.5912
//                     Microsoft 0.8125 * 55.2 * 0.78 + 0.1875 * 300 + 23.2369 * 0.78 + 5 - 2.4
//                     = 111.9578
//   complain, dismissed (0.7), Microsoft accepts: OpenAI 164.5912, Microsoft 111.9578
//   complain, acts (0.3): a remedy takes 0.5 of the share and access, litigation wins back
//     0.4 of it (0.3 taken): Microsoft litigating gets (44.85 + 23.2369) 0.78 * 0.7 + 56.25
//     + 5 - 3 - 2.4 = 93.0254, more than 85.40 accepting; OpenAI then 225 - 1.05 * 55.2 *
//     0.546 - 10 * 0.546 - 4 - 1 - 8 - 2.4 = 172.4938
//   complain: OpenAI 0.3 * 172.4938 + 0.7 * 164.5912 = 166.9620 > 165.5912: it complains;
//             Microsoft 0.3 * 93.0254 + 0.7 * 111.9578 = 106.2781.
// The leaves above, computed: `paid` the fraction of the share and access paid, `taken` the
// remedy's part, `declare` OpenAI's early declaration, `complaint` and `litigation` theirs.
struct Pair {
  double open_ai, microsoft;
};
Pair TodayLeaf(double paid, double taken, bool complaint, bool litigation) {
  const double access = kAccess * (1 - std::exp(-kYearsNow / kHorizon));
  const double f = paid * (1 - taken), share = kSharePv * f;
  return {(1 - kStakeNow) * (kGross - share) - kPremium * share - kIpCost * kYearsNow * f - kCloudCost -
              (complaint ? 1 : 0) - (litigation ? 8 : 0),
          share + kWeight * kStakeNow * (kGross - share) + access * f + kCloudValue - (litigation ? 3 : 0)};
}
// OpenAI declares early where AGI is not reached: expected over AGI and the dispute.
Pair Today(double taken, bool complaint, bool litigation) {
  Pair reached = TodayLeaf(kTau, taken, complaint, litigation);
  Pair upheld = TodayLeaf(kTau, taken, complaint, litigation);
  Pair overturned = TodayLeaf(1, taken, complaint, litigation);
  const double dispute = (1 - kAgi) * kDispute;
  return {kAgi * reached.open_ai + (1 - kAgi) * (kUpheld * upheld.open_ai + (1 - kUpheld) * overturned.open_ai) - dispute,
          kAgi * reached.microsoft + (1 - kAgi) * (kUpheld * upheld.microsoft + (1 - kUpheld) * overturned.microsoft) -
              dispute};
}
const Pair kActs = Today(0.5 * (1 - 0.4), true, true);  // 172.4938, 93.0254
const Pair kDismissed = Today(0, true, false);          // 164.5912, 111.9578
const double kThreatOpenAI = 0.3 * kActs.open_ai + 0.7 * kDismissed.open_ai;
const double kThreatMicrosoft = 0.3 * kActs.microsoft + 0.7 * kDismissed.microsoft;

// An agreement's payoffs as a line in the revenue share s, for one package: the file's value
// accounting written out again. Clause 0 self-declared (OpenAI waits), 1 self-declared
// (OpenAI declares early), 2 verified, 3 dropped.
struct Line {
  double open_ai = 0, open_ai_slope = 0, microsoft = 0, microsoft_slope = 0;
  double s_lo = 0, s_hi = kShareNow;  // where OpenAI waits (clause 0) or declares (clause 1)
};

Line Deal(int equity, int years_option, int clause, bool carved, bool cloud, bool approved) {
  const double stake = std::min(0.2 + 0.05 * equity, 0.49);
  const double years = kYearsMax * years_option / 3;
  const double company = kGross + (approved ? kGain : 0);
  const double access = kAccess * (1 - std::exp(-years / kHorizon));
  const double ip_cost = kIpCost * years;
  const bool declares = clause == 1;
  const double trigger = (clause == 3 ? 0 : kAgi) + (declares ? (1 - kAgi) * kUpheld : 0);
  const double paid = 1 - trigger * (1 - kTau);
  const double shared = (declares ? (1 - kAgi) * kDispute : 0) + (clause == 2 ? kAgi * kVerify : 0);
  const double carve = carved ? kCompletes : 0;
  const double share = kSharePv / kShareNow * paid;  // the share's value per unit of s
  Line l;
  l.open_ai = (1 - stake) * company - kControl * stake * stake * company - ip_cost * paid -
              (cloud ? kCloudCost : 0) + carve * kCarveOpenAI - shared;
  l.open_ai_slope = -((1 - stake) + kPremium) * share;
  l.microsoft = kWeight * stake * company + access * paid + (cloud ? kCloudValue : 0) -
                carve * kCarveMicrosoft - shared;
  l.microsoft_slope = (1 - kWeight * stake) * share;
  // OpenAI declares early iff 0.3 * 0.5 * ((1 - stake + 0.3) * 276 s + ip_cost) > 3.
  const double per_share = kUpheld * (1 - kTau) * (1 - stake + kPremium) * kSharePv / kShareNow;
  const double line = (kDispute - kUpheld * (1 - kTau) * ip_cost) / per_share;
  if (clause == 0) l.s_hi = std::min(l.s_hi, line);
  if (clause == 1) l.s_lo = std::max(l.s_lo, line);
  return l;
}

struct Best {
  double product = -1, s = 0;
  std::vector<int> package;
};

// The Nash bargain (equal powers) of one package: maximise (u_O - d_O)(u_M - d_M) on the
// segment; the product is concave on it, so the unconstrained optimum
// s = (a_O - d_O) / (2 b_O) - (a_M - d_M) / (2 b_M) clipped to the segment is the answer.
void Consider(const Line& l, const std::vector<int>& package, Best* best) {
  if (l.s_lo > l.s_hi) return;
  const double g_o = l.open_ai - kThreatOpenAI, g_m = l.microsoft - kThreatMicrosoft;
  const double b_o = -l.open_ai_slope, b_m = l.microsoft_slope;
  const double s = std::clamp(g_o / (2 * b_o) - g_m / (2 * b_m), l.s_lo, l.s_hi);
  const double u_o = g_o - b_o * s, u_m = g_m + b_m * s;
  if (u_o <= 0 || u_m <= 0) return;
  if (u_o * u_m > best->product) *best = Best{u_o * u_m, s, package};
}

TEST_SUITE("scenario.openai_microsoft") {
  TEST_CASE("the base case: threat point, agreement and equilibrium, by hand") {
    auto s = LoadScenario(testing::SourcePath(kFile));
    REQUIRE(s->bargains.size() == 1);
    const BargainRecord& deal = s->bargains[0];
    CHECK(kThreatOpenAI == doctest::Approx(166.9620).epsilon(1e-6));  // the numbers above
    CHECK(kThreatMicrosoft == doctest::Approx(106.2781).epsilon(1e-6));
    CHECK(Today(0, false, false).open_ai == doctest::Approx(165.5912).epsilon(1e-6));  // refrain: less
    CHECK(Today(0.5, true, false).microsoft == doctest::Approx(85.4035).epsilon(1e-5));  // accepting a remedy: less
    CHECK(deal.step.result.disagreement[0] == doctest::Approx(kThreatOpenAI).epsilon(1e-12));
    CHECK(deal.step.result.disagreement[1] == doctest::Approx(kThreatMicrosoft).epsilon(1e-12));
    CHECK(deal.breakdown == doctest::Approx(kBreakdown));

    // Every package (7 stakes x 4 durations x 4 clauses x 2 x 2 x 2) by hand; the best
    // Nash product is the agreement. At the base values: a stake of 20 %, 10 years of
    // rights, the clause dropped, the carve-out, the cloud right, the restructuring approved;
    // then OpenAI 244.88 - 303.6 s, Microsoft 91.43476 + 234.6 s, and
    // s = (244.88 - 166.962) / 607.2 - (91.43476 - 106.2781) / 469.2 = 0.159959.
    Best best;
    for (int e = 0; e < 7; ++e)
      for (int y = 0; y < 4; ++y)
        for (int c = 0; c < 4; ++c)
          for (int w = 0; w < 2; ++w)
            for (int k = 0; k < 2; ++k)
              for (int r = 0; r < 2; ++r)
                Consider(Deal(e, y, c, w == 0, k == 0, r == 0), {e, 0, y, c, w, k, r}, &best);
    REQUIRE(best.product > 0);
    CHECK(best.package == std::vector<int>{0, 0, 2, 3, 0, 0, 0});
    CHECK(best.s == doctest::Approx((244.88 - kThreatOpenAI) / 607.2 - (91.434760 - kThreatMicrosoft) / 469.2)
                        .epsilon(1e-5));
    std::vector<double> agreed = deal.IssueValuesByPosition();
    REQUIRE(agreed.size() == 7);
    for (std::size_t i : {0, 2, 3, 4, 5, 6}) {
      CAPTURE(deal.issue_names[i]);
      CHECK(agreed[i] == best.package[i]);
    }
    CHECK(agreed[1] == doctest::Approx(best.s).epsilon(1e-9));
    const Line l = Deal(0, 2, 3, true, true, true);
    const double u_o = l.open_ai + l.open_ai_slope * best.s, u_m = l.microsoft + l.microsoft_slope * best.s;
    CHECK(deal.step.payoffs[0] == doctest::Approx(u_o).epsilon(1e-9));
    CHECK(deal.step.payoffs[1] == doctest::Approx(u_m).epsilon(1e-9));

    // The equilibrium: the deal with probability 0.9, the threat game with 0.1; verified by
    // the subgame-perfection check (no player gains by deviating in any subgame).
    auto solution = equilibrium::Solve(*s->game, {});
    REQUIRE(solution.equilibria.size() == 1);
    const auto& eq = solution.equilibria.front();
    CHECK(eq.payoffs[0] == doctest::Approx(0.9 * u_o + 0.1 * kThreatOpenAI).epsilon(1e-9));
    CHECK(eq.payoffs[1] == doctest::Approx(0.9 * u_m + 0.1 * kThreatMicrosoft).epsilon(1e-9));
    equilibrium::ActionIndex index(*s->game);
    CHECK(equilibrium::MaxSubgameGain(*s->game, index, eq.behavior) < 1e-9);
  }

  TEST_CASE("what follows an agreement: the file's expectation equals the stages played out") {
    // The package (stake 20 %, 15 years, self-declared, carve-out, cloud right, restructured)
    // at s = 0.1 with its after-agreement stages as a game: the Windsurf acquisition, AGI,
    // OpenAI's early declaration (0.15 (1.1 * 27.6 + 30) = 9.05 > 3: it declares) and the
    // dispute. Its subgame-perfect value is the line Deal() gives, the file's closed form.
    const char* kAfter = R"(players: [OpenAI, Microsoft]
stages:
  - name: windsurf
    player: nature
    actions: [completes, fails]
    probabilities: [0.8, 0.2]
  - name: agi
    player: nature
    actions: [reached, not_reached]
    probabilities: [0.2, 0.8]
  - name: declare
    player: OpenAI
    condition: agi == not_reached
    actions: [declare_early, wait]
  - name: dispute
    player: nature
    condition: declare == declare_early
    actions: [upheld, overturned]
    probabilities: [0.3, 0.7]
  - name: outcome
    compute:
      paid: if(agi == reached or dispute == upheld, 0.5, 1)
payoffs:
  OpenAI: >
    0.8 * (340 - 27.6 * paid) - 0.3 * 27.6 * paid - 0.4 * 0.04 * 340 - 30 * paid - 4
    + if(windsurf == completes, 2.9, 0) - if(declare == declare_early, 3, 0)
  Microsoft: >
    27.6 * paid + 0.15 * (340 - 27.6 * paid) + 50 * (1 - exp(-15 / 8)) * paid + 5
    - if(windsurf == completes, 0.3, 0) - if(declare == declare_early, 3, 0)
)";
    auto played = ReadScenario(kAfter, "after.yaml", {});
    auto eq = equilibrium::Solve(*played->game, {}).equilibria.front();
    const Line l = Deal(0, 3, 1, true, true, true);
    REQUIRE(l.s_lo <= 0.1);  // at s = 0.1 OpenAI declares
    CHECK(eq.payoffs[0] == doctest::Approx(l.open_ai + l.open_ai_slope * 0.1).epsilon(1e-12));
    CHECK(eq.payoffs[1] == doctest::Approx(l.microsoft + l.microsoft_slope * 0.1).epsilon(1e-12));
  }

  TEST_CASE("equity replaces revenue exactly when Microsoft's weight times OpenAI's cost of cash exceeds 1") {
    // Without the control cost both value a stake linearly: a point of stake moves
    // w (company - S) to Microsoft for (company - S) of OpenAI's, a unit of share moves
    // 1 - w e for (1 - e) + 0.3. Equity is the better currency iff w (1.3 - e) > 1 - w e,
    // that is w > 1 / 1.3 = 0.7692 (F8 puts w below 1, F15 the cost of cash above 1).
    auto at = [](double w) {
      ScenarioOptions o;
      o.overrides = {"control_cost=0", "microsoft_equity_weight=" + std::to_string(w)};
      return LoadScenario(testing::SourcePath(kFile), o)->bargains[0].IssueValuesByPosition()[0];
    };
    CHECK(at(1 / 1.3 - 0.002) == 0);  // the stake stays at F7's 20 %
    CHECK(at(1 / 1.3 + 0.002) > 0);   // more equity, less revenue
  }

  TEST_CASE("the outside-option reading: split over today's contract, the threats as floors") {
    // With regulator_acts = 0 a complaint never pays, so failed talks leave today's contract
    // (165.5912, 111.9578): the inside point. Nash over it on the agreed package's line:
    // s = (244.88 - 165.5912) / 607.2 + (111.9578 - 91.434760) / 469.2 = 0.174322; OpenAI
    // 191.96 and Microsoft 132.33 are above their outside options 166.96 and 106.28, so
    // neither binds: the outside-option reading's agreement. The complaint threat is worth
    // 0.174322 - 0.159959 = 0.0144 of revenue share to OpenAI.
    ScenarioOptions o;
    o.overrides = {"regulator_acts=0"};
    auto s = LoadScenario(testing::SourcePath(kFile), o);
    const BargainRecord& deal = s->bargains[0];
    CHECK(deal.step.result.disagreement[0] == doctest::Approx(165.5912).epsilon(1e-9));
    const double share = (244.88 - 165.5912) / 607.2 + (deal.step.result.disagreement[1] - 91.434760) / 469.2;
    CHECK(deal.IssueValuesByPosition()[1] == doctest::Approx(share).epsilon(1e-6));
    CHECK(deal.step.payoffs[0] > kThreatOpenAI);
    CHECK(deal.step.payoffs[1] > kThreatMicrosoft);
  }

  TEST_CASE("every parameter has a source from the article or is an assumption with a range") {
    auto s = LoadScenario(testing::SourcePath(kFile));
    CHECK(s->parameters.size() >= 30);
    for (const auto& p : s->parameters) {
      CAPTURE(p.name);
      CHECK(!p.description.empty());
      CHECK(p.min.has_value());
      CHECK(p.max.has_value());
      if (p.assumption) {
        CHECK(p.source.empty());
        CHECK(p.distribution.has_value());  // its uncertainty, with the reason in the description
      } else {
        REQUIRE(p.source.size() >= 2);
        CHECK(p.source[0] == 'F');  // a fact of the article's digest, F1-F23
      }
    }
  }
}

}  // namespace
}  // namespace parley::scenario
