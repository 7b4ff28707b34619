#include "solver/report/agreement_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "solver/model/number.h"
#include "solver/report/solution.h"

namespace parley::report {
namespace {

// A lottery's probabilities: 6 significant digits.
std::string Short(double x) { return FormatSignificant(x, 6); }

}  // namespace

std::vector<std::string> TermsText(const std::vector<bargaining::AgreementIssue>& issues,
                                   const bargaining::AgreementTerms& terms) {
  std::vector<std::string> text;
  if (terms.packages.empty()) return text;
  const bool lottery = terms.lottery();
  for (std::size_t i = 0; i < issues.size(); ++i) {
    const bargaining::AgreementIssue& issue = issues[i];
    std::string line = issue.name;
    for (const bargaining::AgreementPackage& package : terms.packages) {
      const double v = package.issues[i];
      if (issue.discrete) {
        std::size_t o = std::find(issue.values.begin(), issue.values.end(), v) - issue.values.begin();
        line += " " + (o < issue.labels.size() ? issue.labels[o] : FormatSignificant(v, 10));
      } else {
        // Rounding residues next to a whole number are measured against the issue's range, so
        // that an issue of 0 to 1e-12 agreed at 5e-13 is not written as 0.
        const double scale = std::max(std::abs(issue.lower), std::abs(issue.upper));
        line += " " + ShowNumber(v, scale > 0 ? scale : 1.0);
      }
      if (lottery) line += " (p " + Short(package.probability) + ")";
    }
    text.push_back(line);
  }
  return text;
}

std::vector<std::string> AgreementText(const bargaining::AgreementResult& result) {
  if (!result.agreement_possible)
    return {"no agreement gives every player more than the disagreement point: talks fail"};
  return TermsText(result.issues, result.terms);
}

std::vector<std::string> SolutionAgreementText(const bargaining::AgreementResult& result) {
  std::vector<std::string> texts;
  for (const bargaining::AgreementTerms& terms : result.solution_terms) {
    std::string text;
    for (const std::string& t : TermsText(result.issues, terms)) text += (text.empty() ? "" : ", ") + t;
    texts.push_back(text);
  }
  return texts;
}

}  // namespace parley::report
