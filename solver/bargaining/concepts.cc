#include "solver/bargaining/concepts.h"

#include <cmath>
#include <limits>

#include "solver/model/error.h"

namespace parley::bargaining {

const std::vector<ConceptInfo>& ConceptTable() {
  static const std::vector<ConceptInfo> table{
      {Concept::kNash, "nash", "Nash", "Weighted Nash", true, false, false, false, true, true},
      {Concept::kKalaiSmorodinsky, "kalai_smorodinsky", "Kalai-Smorodinsky", "Kalai-Smorodinsky",
       false, true, false, false, false, false},
      {Concept::kEgalitarian, "egalitarian", "Egalitarian", "Egalitarian", false, false, false,
       false, false, false},
      {Concept::kUtilitarian, "utilitarian", "Utilitarian", "Weighted utilitarian", true, false,
       true, true, false, false},
  };
  return table;
}

const ConceptInfo& Info(Concept concept_kind) {
  for (const ConceptInfo& info : ConceptTable())
    if (info.kind == concept_kind) return info;
  PARLEY_CHECK(false);
  return ConceptTable().front();
}

const std::vector<Concept>& AllConcepts() {
  static const std::vector<Concept> all = [] {
    std::vector<Concept> kinds;
    for (const ConceptInfo& info : ConceptTable()) kinds.push_back(info.kind);
    return kinds;
  }();
  return all;
}

std::string ToString(Concept concept_kind) { return Info(concept_kind).key; }

bool ParseConcept(const std::string& text, Concept* out) {
  for (const ConceptInfo& info : ConceptTable()) {
    if (text == info.key) {
      *out = info.kind;
      return true;
    }
  }
  if (text == "ks") {
    *out = Concept::kKalaiSmorodinsky;
    return true;
  }
  return false;
}

double ConceptScore(Concept concept_kind, const Vector& u, const Vector& d, const Vector& ideal,
                    const Vector& weights) {
  const std::size_t n = u.size();
  switch (concept_kind) {
    case Concept::kNash: {
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        double gain = u[i] - d[i];
        if (!(gain > 0)) return -std::numeric_limits<double>::infinity();
        s += weights[i] * std::log(gain);
      }
      return s;
    }
    case Concept::kKalaiSmorodinsky: {
      double t = std::numeric_limits<double>::infinity();
      for (std::size_t i = 0; i < n; ++i) t = std::min(t, (u[i] - d[i]) / (ideal[i] - d[i]));
      return t;
    }
    case Concept::kEgalitarian: {
      double t = std::numeric_limits<double>::infinity();
      for (std::size_t i = 0; i < n; ++i) t = std::min(t, u[i] - d[i]);
      return t;
    }
    case Concept::kUtilitarian: {
      double s = 0.0;
      for (std::size_t i = 0; i < n; ++i) s += weights[i] * u[i];
      return s;
    }
  }
  PARLEY_CHECK(false);
  return 0.0;
}

std::vector<Vector> ListedWeightings(Concept concept_kind, const Vector& weights) {
  if (!Info(concept_kind).symmetric_beside_weighted) return {weights};
  std::vector<Vector> listed{Vector(weights.size(), 1.0)};
  for (double w : weights)
    if (w != weights.front()) {
      listed.push_back(weights);
      break;
    }
  return listed;
}

std::string SolutionKey(const Solution& solution) {
  std::string key = Info(solution.concept_kind).key;
  return solution.weighted ? "weighted_" + key : key;
}

std::string DisplayName(const Solution& solution) {
  const ConceptInfo& info = Info(solution.concept_kind);
  return solution.weighted ? info.weighted_display : info.display;
}

}  // namespace parley::bargaining
