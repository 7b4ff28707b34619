// The report's QRE section (`parley report GAME --qre L`): the agent logit quantal response
// equilibrium at lambda = L (McKelvey and Palfrey 1998; equilibrium/logit.h) as a table of
// choice probabilities with each action's expected payoff, the beliefs at sets of two or more
// nodes, and the check that the profile satisfies the QRE conditions.
#pragma once

#include "solver/report/document.h"
#include "solver/report/report.h"

namespace parley::report {

// Appends the section when input.qre is set; nothing otherwise.
void QreSection(const ReportInput& input, const ReportOptions& options, Document& doc);

}  // namespace parley::report
