// The solution concepts of solver/bargaining, in one table: their names, what they need and
// the objective each one maximises. Every other file (the solvers' methods, the readers, the
// writers) asks this table, so adding a concept is one entry here, its objective in
// ConceptScore, and one case in each method that computes it (outcomes.cc, transferable.cc).
//
//   Nash (1950), weighted:     sum_i w_i log(u_i - d_i)          (-inf unless u > d)
//   Kalai-Smorodinsky (1975):  min_i (u_i - d_i) / (a_i - d_i)   (a the ideal point)
//   egalitarian (Kalai 1977):  min_i (u_i - d_i)
//   utilitarian:               sum_i w_i u_i                     (among points >= d)
#pragma once

#include <string>
#include <vector>

#include "solver/bargaining/problem.h"

namespace parley::bargaining {

struct ConceptInfo {
  Concept kind;
  const char* key;               // "kalai_smorodinsky": files, JSON keys, the command line
  const char* display;           // "Kalai-Smorodinsky": reports
  const char* weighted_display;  // with unequal weights ("Weighted Nash"); = display otherwise
  bool uses_weights;             // the weights change the answer (Nash, utilitarian)
  bool uses_ideal;               // the objective reads the ideal point (Kalai-Smorodinsky)
  // The objective is only defined on points at least as good as d for everyone (utilitarian;
  // Nash is -inf below d by itself).
  bool needs_acceptable;
  // Ties among distinct optimal points are broken by the symmetric Nash product (utilitarian);
  // otherwise by the larger total payoff.
  bool ties_by_nash_product;
  // The score is a logarithm (Nash): score tolerances are relative, and a loss in it is
  // priced as a fraction of the product (1 - exp(-loss)) rather than in payoff units.
  bool log_score;
  // A Result lists the symmetric solution and, with unequal weights, the weighted one beside
  // it (Nash); otherwise the concept once, with the weights.
  bool symmetric_beside_weighted;
};

// Every concept, in the order solvers list their solutions.
const std::vector<ConceptInfo>& ConceptTable();
const ConceptInfo& Info(Concept concept_kind);

// The concept's objective at payoffs u (higher is better): see the table at the top.
// `ideal` is read by Kalai-Smorodinsky only, `weights` (one per player) by Nash and
// utilitarian only. Does not check needs_acceptable.
double ConceptScore(Concept concept_kind, const Vector& u, const Vector& d, const Vector& ideal,
                    const Vector& weights);

// The weightings under which a Result lists `concept_kind` (see symmetric_beside_weighted):
// `weights` (checked, one per player), or all 1 and then `weights` when they differ.
std::vector<Vector> ListedWeightings(Concept concept_kind, const Vector& weights);

// "nash", "weighted_nash", "kalai_smorodinsky", "egalitarian", "utilitarian" or
// "weighted_utilitarian": the solution's key in JSON.
std::string SolutionKey(const Solution& solution);
// "Nash", "Weighted Nash", "Kalai-Smorodinsky", ...: the solution's concept for reports.
std::string DisplayName(const Solution& solution);

}  // namespace parley::bargaining
