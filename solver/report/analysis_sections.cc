#include "solver/report/analysis_sections.h"

#include <cctype>
#include <cmath>
#include <set>

#include "solver/model/number.h"
#include "solver/report/analysis_results.h"
#include "solver/report/svg_chart.h"
#include "solver/report/text.h"

namespace parley::report {

namespace {

// Bars drawn in one tornado chart; the table lists every parameter.
constexpr std::size_t kMaxBars = 20;
// Detailed Monte Carlo outcomes listed (the classes are all listed).
constexpr std::size_t kMaxOutcomes = 10;

std::string Value(double x) { return std::isfinite(x) ? FormatValue(x) : "-"; }

std::string Interval(const analysis::OutcomeShare& s) {
  return "[" + FormatSignificant(s.ci_low, 3) + ", " + FormatSignificant(s.ci_high, 3) + "]";
}

// A chart's name in file names: letters, digits and '-' only ("deal.equity" -> "deal-equity").
std::string Stem(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return out;
}

}  // namespace

void TornadoSection(const ReportInput& input, const ReportOptions&, Document& doc) {
  if (!input.tornado) return;
  const analysis::TornadoResult& r = *input.tornado;
  Section s{"tornado", "Which assumptions move the answer most", {}};
  s.blocks.push_back(Paragraph{
      "Each parameter with a range was moved to the low and to the high end of its range while "
      "every other parameter kept its base value, and the scenario was solved again at both ends "
      "(a tornado diagram: one parameter at a time, so interactions between parameters are not "
      "shown: Monte Carlo draws them together). A range is the parameter's min and "
      "max, or the 5 % and 95 % quantiles of its distribution; the table says which. Parameters "
      "are ranked by the swing of the value: the length of its bar. A star marks a parameter "
      "whose range holds a change of the equilibrium outcome; the table gives where."});
  if (r.interrupted) s.blocks.push_back(Note{"The computation was interrupted: only some parameters are shown."});
  if (r.parameters.empty()) {
    s.blocks.push_back(Note{"No parameter has a range (min and max, or a distribution), so there is nothing to vary."});
    doc.sections.push_back(std::move(s));
    return;
  }
  std::set<std::string> used_names;
  for (const auto& chart : r.charts) {
    s.blocks.push_back(Subheading{chart.value});
    TornadoChartSpec spec;
    spec.title = "What moves " + chart.value + " (base " + Value(chart.base_value) + ")";
    spec.value_label = chart.value;
    spec.base = chart.base_value;
    for (std::size_t i = 0; i < chart.bars.size() && i < kMaxBars; ++i) {
      const analysis::TornadoBar& b = chart.bars[i];
      const analysis::TornadoParameter& p = r.parameters[b.parameter];
      spec.bars.push_back({p.name, p.name + " = " + FormatValue(p.low), p.name + " = " + FormatValue(p.high),
                           b.value_low, b.value_high, p.outcome_changes});
    }
    // Names that differ only in letters Stem cannot keep (Анна, Олег) get numbers to stay apart.
    std::string name = "tornado-" + Stem(chart.value);
    if (!used_names.insert(name).second) {
      int k = 2;
      while (!used_names.insert(name + "-" + std::to_string(k)).second) ++k;
      name += "-" + std::to_string(k);
    }
    s.blocks.push_back(Figure{name, TornadoChartSvg(spec),
                              "The swing of " + chart.value + " over each parameter's range, widest first; "
                              "blue: the parameter at its low end, orange: at its high end."});
    if (chart.bars.size() > kMaxBars)
      s.blocks.push_back(Note{"The chart shows the " + std::to_string(kMaxBars) + " widest swings; the table lists all " +
                              std::to_string(chart.bars.size()) + " parameters."});
    Table t{{"Rank", "Parameter", "Range", "Low", "High", "Value at low", "Value at high", "Swing", "Outcome changes"},
            {},
            {true, false, false, true, true, true, true, true, false}};
    for (std::size_t i = 0; i < chart.bars.size(); ++i) {
      const analysis::TornadoBar& b = chart.bars[i];
      const analysis::TornadoParameter& p = r.parameters[b.parameter];
      t.rows.push_back({std::to_string(i + 1), p.name, p.range, FormatValue(p.low), FormatValue(p.high),
                        Value(b.value_low), Value(b.value_high), Value(b.swing),
                        TornadoChangesText(p)});
    }
    s.blocks.push_back(std::move(t));
  }
  if (!r.skipped.empty()) {
    std::string names;
    for (std::size_t i = 0; i < r.skipped.size(); ++i) names += (i ? ", " : "") + r.skipped[i].first;
    s.blocks.push_back(Paragraph{"Not varied (no range): " + names + "."});
  }
  doc.sections.push_back(std::move(s));
}

void MonteCarloSection(const ReportInput& input, const ReportOptions&, Document& doc) {
  if (!input.montecarlo) return;
  const analysis::MonteCarloResult& r = *input.montecarlo;
  Section s{"montecarlo", "The prediction under uncertainty", {}};
  s.blocks.push_back(Paragraph{
      "The scenario was solved " + std::to_string(r.samples.size()) + " times (Monte Carlo, seed " +
      std::to_string(r.seed) + "), each time with every parameter that has a distribution drawn from it "
      "and the others at their values. Intervals of probabilities are 95 % Wilson score intervals; "
      "intervals of values are the 5 % and 95 % quantiles over the samples."});
  if (r.interrupted) s.blocks.push_back(Note{"The run was interrupted: the figures are over the samples computed."});
  s.blocks.push_back(Subheading{"Outcome classes"});
  s.blocks.push_back(Paragraph{"What happens, as the path of moves alone (which stages are reached, whether "
                               "an agreement is possible, the moves after it), wherever the issues land:"});
  Table classes{{"Outcome class", "Probability", "95 % interval", "Samples"}, {}, {false, true, false, true}};
  for (const auto& c : r.class_shares)
    classes.rows.push_back({c.outcome, FormatSignificant(c.probability, 3), Interval(c), std::to_string(c.count)});
  s.blocks.push_back(std::move(classes));
  if (!r.value_names.empty()) {
    s.blocks.push_back(Subheading{"Payoffs and agreed terms"});
    s.blocks.push_back(Paragraph{"Over the samples where the value exists (an agreed issue exists only where "
                                 "play reaches its bargaining step):"});
    Table values{{"Value", "Samples", "Mean", "5 %", "Median", "95 %"}, {}, {false, true, true, true, true, true}};
    for (std::size_t v = 0; v < r.value_names.size() && v < r.value_stats.size(); ++v) {
      const analysis::Quantiles& q = r.value_stats[v];
      values.rows.push_back({r.value_names[v], std::to_string(q.count), Value(q.mean), Value(q.q05),
                             Value(q.median), Value(q.q95)});
    }
    s.blocks.push_back(std::move(values));
  }
  s.blocks.push_back(Subheading{"Detailed outcomes"});
  Table outcomes{{"Outcome (moves and where each issue lands)", "Probability", "95 % interval"}, {}, {false, true, false}};
  for (std::size_t i = 0; i < r.shares.size() && i < kMaxOutcomes; ++i)
    outcomes.rows.push_back({r.shares[i].outcome, FormatSignificant(r.shares[i].probability, 3), Interval(r.shares[i])});
  s.blocks.push_back(std::move(outcomes));
  if (r.shares.size() > kMaxOutcomes)
    s.blocks.push_back(Note{std::to_string(r.shares.size() - kMaxOutcomes) + " rarer outcomes are not listed."});
  doc.sections.push_back(std::move(s));
}

}  // namespace parley::report
