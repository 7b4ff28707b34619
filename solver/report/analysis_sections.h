// The report's sections for sensitivity analysis of a scenario: a tornado diagram (which
// assumptions move the answer most, analysis/tornado.h; `parley report --tornado`) and the
// Monte Carlo prediction (`parley report --montecarlo N`): the probability of each outcome
// class with its 95 % Wilson interval, the agreed terms' intervals, and the detailed outcomes.
#pragma once

#include "solver/report/document.h"
#include "solver/report/report.h"

namespace parley::report {

// Append their section when input.tornado / input.montecarlo is set; nothing otherwise.
void TornadoSection(const ReportInput& input, const ReportOptions& options, Document& doc);
void MonteCarloSection(const ReportInput& input, const ReportOptions& options, Document& doc);

}  // namespace parley::report
