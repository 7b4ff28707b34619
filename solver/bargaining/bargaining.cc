#include "solver/bargaining/bargaining.h"

namespace parley::bargaining {

Solution Solve(const FeasibleSet& set, const Vector& d, Concept concept_kind,
               const Vector& weights) {
  return std::visit(
      [&](const auto& kind) -> Solution {
        using Kind = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<Kind, OutcomeSet>) {
          return SolveOutcomes(kind, d, concept_kind, weights);
        } else if constexpr (std::is_same_v<Kind, AgreementSpace>) {
          return SolveAgreementSpace(kind, d, concept_kind, weights);
        } else {
          return SolveTransferable(kind, d, concept_kind, weights);
        }
      },
      set);
}

Result Solve(const FeasibleSet& set, const Vector& d, const Request& request) {
  return std::visit(
      [&](const auto& kind) -> Result {
        using Kind = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<Kind, OutcomeSet>) {
          return SolveOutcomes(kind, d, request);
        } else if constexpr (std::is_same_v<Kind, AgreementSpace>) {
          return SolveAgreementSpace(kind, d, request);
        } else {
          return SolveTransferable(kind, d, request);
        }
      },
      set);
}

}  // namespace parley::bargaining
