#include "solver/bargaining/transferable.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "solver/bargaining/common.h"
#include "solver/bargaining/concepts.h"
#include "solver/model/error.h"

namespace parley::bargaining {
namespace {

double Gain(const TransferableSurplus& set, const Vector& d) {
  if (set.players < 2) throw ValidationError("bargaining needs at least 2 players");
  // The output lists a tie vector per top-weight player (n x n numbers): bound n.
  if (set.players > kMaxTransferablePlayers)
    throw ValidationError("a transferable surplus is split among at most " +
                          std::to_string(kMaxTransferablePlayers) + " players (got " +
                          std::to_string(set.players) + ")");
  internal::CheckDisagreement(d, static_cast<std::size_t>(set.players));
  if (!std::isfinite(set.surplus)) throw ValidationError("the surplus must be finite");
  double gain = set.surplus - std::accumulate(d.begin(), d.end(), 0.0);
  if (!(gain > 0)) {
    Vector ideal(d);
    for (std::size_t i = 0; i < d.size(); ++i) ideal[i] = d[i] + gain;
    internal::ThrowNoGain(d, ideal, gain == 0);
  }
  return gain;
}

}  // namespace

Solution SolveTransferable(const TransferableSurplus& set, const Vector& d, Concept concept_kind,
                           const Vector& weights) {
  const double gain = Gain(set, d);
  const std::size_t n = d.size();
  Vector w = internal::CheckWeights(weights, n);
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  Solution solution;
  solution.concept_kind = concept_kind;
  solution.payoffs = d;
  solution.precision = Precision::kExact;
  switch (concept_kind) {
    case Concept::kNash:
      for (std::size_t i = 0; i < n; ++i) solution.payoffs[i] += gain * w[i] / total;
      solution.method = "closed form: u_i = d_i + G w_i / sum w";
      break;
    case Concept::kKalaiSmorodinsky:
    case Concept::kEgalitarian:
      for (std::size_t i = 0; i < n; ++i) solution.payoffs[i] += gain / static_cast<double>(n);
      solution.method = "closed form: u_i = d_i + G / n";
      w.assign(n, 1.0);
      break;
    case Concept::kUtilitarian: {
      double top = *std::max_element(w.begin(), w.end());
      std::vector<std::size_t> best;
      for (std::size_t i = 0; i < n; ++i) {
        if (w[i] == top) best.push_back(i);
      }
      for (std::size_t i : best) solution.payoffs[i] += gain / static_cast<double>(best.size());
      if (best.size() > 1) {
        // Every split of the gain among `best` is optimal: list the extreme ones.
        for (std::size_t i : best) {
          Vector tie = d;
          tie[i] += gain;
          solution.ties.push_back(tie);
        }
      }
      solution.method = best.size() > 1
                            ? "closed form: every split among the top-weight players is optimal; "
                              "the equal split is reported"
                            : "closed form: the whole gain to the top-weight player";
      break;
    }
  }
  bool uses_weights = Info(concept_kind).uses_weights;
  solution.weights = w;
  solution.weighted = uses_weights && !internal::AllEqual(w);
  return solution;
}

Result SolveTransferable(const TransferableSurplus& set, const Vector& d, const Request& request) {
  const double gain = Gain(set, d);
  Vector w = internal::CheckWeights(request.weights, d.size());
  Result result;
  result.disagreement = d;
  result.ideal = d;
  for (double& a : result.ideal) a += gain;
  for (Concept c : request.concepts)
    for (const Vector& weights : ListedWeightings(c, w))
      result.solutions.push_back(SolveTransferable(set, d, c, weights));
  return result;
}

}  // namespace parley::bargaining
