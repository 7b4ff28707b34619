// A non-linear bargain through SolveAgreement: three range issues, one constraint, payoffs
// with diminishing returns (the nonlinear method: sampling, SLSQP, the KKT check). The
// scenario-level target (the same with a two-stage after_agreement) is 50 ms per bargain.
#include <benchmark/benchmark.h>

#include <cmath>

#include "solver/bargaining/agreement.h"

namespace {

using parley::bargaining::AgreementIssue;
using parley::bargaining::AgreementProblem;
using parley::bargaining::Vector;

constexpr auto kSearch = parley::bargaining::AgreementMethod::kExactOrSearch;

AgreementProblem ThreeIssues(bool all_concepts) {
  AgreementProblem problem;
  for (const char* name : {"price", "equity", "share"}) {
    AgreementIssue issue;
    issue.name = name;
    issue.lower = 0;
    issue.upper = 1;
    problem.issues.push_back(issue);
  }
  problem.disagreement = {0.1, 0.1};
  problem.all_concepts = all_concepts;
  problem.constraints = {{"share <= 0.2 - equity / 5 + 0.5",
                          [](const Vector& x) { return x[2] - 0.7 + x[1] / 5; }}};
  return problem;
}

void Payoffs(const Vector& x, Vector* u) {
  *u = {std::sqrt(x[0] + 0.01) + 0.5 * std::log1p(x[1]) + 0.3 * x[2],
        1.2 - x[0] + 0.8 * std::sqrt(1 - x[1] + 0.01) - 0.4 * x[2] * x[2]};
}

void BM_NonlinearBargainOneConcept(benchmark::State& state) {
  const AgreementProblem problem = ThreeIssues(false);
  for (auto _ : state) benchmark::DoNotOptimize(parley::bargaining::SolveAgreement(problem, Payoffs, kSearch));
}
BENCHMARK(BM_NonlinearBargainOneConcept)->Unit(benchmark::kMillisecond);

void BM_NonlinearBargainAllConcepts(benchmark::State& state) {
  const AgreementProblem problem = ThreeIssues(true);
  for (auto _ : state) benchmark::DoNotOptimize(parley::bargaining::SolveAgreement(problem, Payoffs, kSearch));
}
BENCHMARK(BM_NonlinearBargainAllConcepts)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
