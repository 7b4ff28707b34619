// The bargaining step of a scenario's `bargain` stage: players agree on issues (continuous
// ranges and discrete options) given a disagreement point, by a bargaining solution.
//
// Feasible set. Each combination of the discrete issues' options is a "package"; within a
// package the continuous issues range over a box. When every payoff is affine in the
// continuous issues (checked numerically at interior points), a package's payoffs fill
// exactly the convex hull of the images of the box's corners, so the problem is one over
// finitely many outcome vectors and is solved exactly by solver/bargaining:
//  * lotteries allowed (default): over the convex hull of all packages' corners (lotteries
//    between packages included, as in Nash 1950);
//  * lotteries forbidden: the best package for the concept, each package's own (convex) set
//    solved exactly; the Kalai-Smorodinsky point uses the ideal point of the whole set.
// Payoffs not affine in a continuous issue are refused with a message saying so (make the
// issue discrete with `options:`).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "solver/bargaining/problem.h"

namespace parley::scenario {

struct BargainIssue {
  std::string name;
  bool discrete = false;
  double lower = 0, upper = 1;          // continuous
  std::vector<std::string> labels;      // discrete: option labels
  std::vector<double> values;           // discrete: the value each option binds
};

struct BargainInput {
  std::vector<BargainIssue> issues;
  std::vector<double> disagreement;
  bargaining::Concept concept_kind = bargaining::Concept::kNash;
  std::vector<double> weights;  // empty: equal
  bool lotteries = true;
  bool all_concepts = true;     // false: only concept_kind (faster; for sweeps)
};

// Payoffs of every player at the given issue values (one per issue, discrete ones holding
// the option's value).
using UtilityFunction = std::function<void(const std::vector<double>& issues, std::vector<double>* payoffs)>;

struct BargainStepResult {
  // False when no agreement gives every player more than the disagreement point: then talks
  // fail, `payoffs` is the disagreement point and `result` holds only it and the ideal point.
  bool agreement_possible = true;
  bargaining::Result result;          // every concept side by side, ideal point, frontier
  std::vector<double> payoffs;        // the agreement under the chosen concept
  std::vector<double> issue_values;   // its issues (discrete: the option's value)
  std::vector<std::string> issue_text;  // "equity 0.49", "agi_clause drop", or a lottery
  bool lottery = false;               // the agreement mixes packages
  std::vector<std::vector<double>> points;  // the outcome vectors of the feasible set
  // For each entry of result.solutions: its issues in words and values (as above).
  std::vector<std::string> solution_issue_text;
  std::vector<std::vector<double>> solution_issue_values;
};

// Throws ValidationError (no agreement beats the disagreement point for everyone, payoffs
// not affine in a continuous issue, too many packages).
BargainStepResult SolveBargainStep(const BargainInput& input, const UtilityFunction& utility);

}  // namespace parley::scenario
