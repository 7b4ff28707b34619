// The terms of a bargain's agreement in words (solver/bargaining/agreement.h): one string per
// issue, "equity 0.49", "agi_clause drop", or for a lottery between packages each package's
// value with its probability, "deal first (p 0.583333) second (p 0.416667)". Issue values are
// written as payoffs are (ShowNumber: about ten significant digits, so that a price agrees with
// the payoffs it makes), probabilities with 6 significant digits.
#pragma once

#include <string>
#include <vector>

#include "solver/bargaining/agreement.h"

namespace parley::report {

// One string per issue; an empty list for empty terms.
std::vector<std::string> TermsText(const std::vector<bargaining::AgreementIssue>& issues,
                                   const bargaining::AgreementTerms& terms);
// The chosen agreement's issues in words; when talks fail, one sentence saying so.
std::vector<std::string> AgreementText(const bargaining::AgreementResult& result);
// For each entry of result.result.solutions: its issues in words, joined by ", " (empty when
// the solution has no terms).
std::vector<std::string> SolutionAgreementText(const bargaining::AgreementResult& result);

}  // namespace parley::report
