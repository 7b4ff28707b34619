// Helpers shared by the bargaining engine's tests.
#pragma once

#include <string>

#include "solver/bargaining/agreement.h"

namespace parley::bargaining {

// A continuous issue `name` in [lower, upper].
inline AgreementIssue Range(const std::string& name, double lower, double upper) {
  AgreementIssue issue;
  issue.name = name;
  issue.lower = lower;
  issue.upper = upper;
  return issue;
}

}  // namespace parley::bargaining
