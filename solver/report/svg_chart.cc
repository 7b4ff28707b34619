#include "solver/report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "solver/model/error.h"
#include "solver/model/number.h"
#include "solver/report/html.h"
#include "solver/report/text.h"
#include "solver/report/tree_svg.h"

namespace parley::report {

namespace {

// Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
constexpr const char* kColors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                   "#E69F00", "#56B4E9", "#000000", "#F0E442"};

std::string Num(double v) { return FormatFixed(v, 1); }

// A number for a legend: at most 4 significant digits.
std::string Short(double v) {
  std::string text = FormatValue(v);
  if (text.size() <= 6) return text;
  return FormatSignificant(v, 4);
}

// The title split into lines that fit `width` px at 14 px bold (words kept whole).
std::vector<std::string> TitleLines(const std::string& title, double width) {
  std::vector<std::string> lines;
  std::string line, word;
  // Helvetica's widths, with room for a wider fallback font and for bold.
  auto fits = [&](const std::string& text) { return TextWidth(text, 14) * 1.24 <= width; };
  std::size_t at = 0;
  while (at <= title.size()) {
    std::size_t space = title.find(' ', at);
    word = title.substr(at, space == std::string::npos ? std::string::npos : space - at);
    std::string joined = line.empty() ? word : line + " " + word;
    if (!line.empty() && !fits(joined)) {
      lines.push_back(line);
      line = word;
    } else {
      line = joined;
    }
    if (space == std::string::npos) break;
    at = space + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// A plotting area with linear axes, written as SVG elements. The margins are measured from
// the text they hold (tick labels, title lines, legend entries; widths from TextWidth), and
// the picture grows to keep the plot at least `min_plot` wide, so that nothing is clipped.
class Canvas {
 public:
  Canvas(int width, int height, double x_lo, double x_hi, double y_lo, double y_hi, const std::string& title,
         const std::vector<std::string>& legend, double legend_indent)
      : width_(width), height_(height) {
    x_ticks_ = NiceTicks(x_lo, x_hi, 6);
    y_ticks_ = NiceTicks(y_lo, y_hi, 5);
    x_lo_ = std::min(x_lo, x_ticks_.front());
    x_hi_ = std::max(x_hi, x_ticks_.back());
    y_lo_ = std::min(y_lo, y_ticks_.front());
    y_hi_ = std::max(y_hi, y_ticks_.back());
    double ticks = 0;
    // Text widths from Helvetica's, with room for a wider fallback font (DejaVu Sans).
    constexpr double kSlack = 1.14;
    for (double t : y_ticks_) ticks = std::max(ticks, TextWidth(FormatValue(t), 12) * kSlack);
    left_ = std::max(62.0, ticks + 6 + 28);  // tick labels, then the rotated axis label
    double entries = 0;
    for (const auto& e : legend) entries = std::max(entries, TextWidth(e, 12) * kSlack);
    right_ = legend.empty() ? 20 : legend_indent + entries + 14;
    double x_room = TextWidth(FormatValue(x_ticks_.back()), 12) * kSlack / 2 + 4;
    right_ = std::max(right_, x_room);  // the last tick label, centred on the plot's edge
    constexpr double kMinPlot = 380;
    width_ = std::max<double>(width_, left_ + kMinPlot + right_);
    title_ = TitleLines(title, width_ - 20);
    top_ = title_.empty() ? 14 : 14 + 18.0 * static_cast<double>(title_.size());
    double legend_height = 18.0 * static_cast<double>(legend.size()) + 10;
    height_ = std::max<double>(height_, top_ + std::max(legend_height, 200.0) + bottom_);
  }
  double X(double x) const { return left_ + (x - x_lo_) / (x_hi_ - x_lo_) * (width_ - left_ - right_); }
  double Y(double y) const { return height_ - bottom_ + (y_lo_ - y) / (y_hi_ - y_lo_) * (height_ - top_ - bottom_); }
  double top() const { return top_; }
  double bottom() const { return height_ - bottom_; }
  double left() const { return left_; }
  double right() const { return width_ - right_; }

  void Open(const std::string& title, const std::string& description) {
    out_ << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << Num(width_) << "\" height=\"" << Num(height_)
         << "\" viewBox=\"0 0 " << Num(width_) << " " << Num(height_)
         << "\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\" role=\"img\">\n"
         << "<title>" << EscapeHtml(title) << "</title>\n<desc>" << EscapeHtml(description) << "</desc>\n"
         << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    for (std::size_t k = 0; k < title_.size(); ++k)
      out_ << "<text class=\"title\" x=\"" << Num(width_ / 2) << "\" y=\"" << Num(18 + 18.0 * static_cast<double>(k))
           << "\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">" << EscapeHtml(title_[k]) << "</text>\n";
  }
  void Axes(const std::string& x_label, const std::string& y_label) {
    out_ << "<g stroke=\"#dddddd\" stroke-width=\"1\">\n";
    for (double t : x_ticks_) out_ << "<line x1=\"" << Num(X(t)) << "\" y1=\"" << Num(top()) << "\" x2=\"" << Num(X(t)) << "\" y2=\"" << Num(bottom()) << "\"/>\n";
    for (double t : y_ticks_) out_ << "<line x1=\"" << Num(left()) << "\" y1=\"" << Num(Y(t)) << "\" x2=\"" << Num(right()) << "\" y2=\"" << Num(Y(t)) << "\"/>\n";
    out_ << "</g>\n<rect x=\"" << Num(left()) << "\" y=\"" << Num(top()) << "\" width=\"" << Num(right() - left())
         << "\" height=\"" << Num(bottom() - top()) << "\" fill=\"none\" stroke=\"#333333\"/>\n";
    out_ << "<g fill=\"#333333\">\n";
    for (double t : x_ticks_)
      out_ << "<text x=\"" << Num(X(t)) << "\" y=\"" << Num(bottom() + 16) << "\" text-anchor=\"middle\">" << FormatValue(t) << "</text>\n";
    for (double t : y_ticks_)
      out_ << "<text x=\"" << Num(left() - 6) << "\" y=\"" << Num(Y(t) + 4) << "\" text-anchor=\"end\">" << FormatValue(t) << "</text>\n";
    out_ << "<text x=\"" << Num((left() + right()) / 2) << "\" y=\"" << Num(height_ - 8) << "\" text-anchor=\"middle\">" << EscapeHtml(x_label) << "</text>\n";
    out_ << "<text transform=\"translate(14," << Num((top() + bottom()) / 2) << ") rotate(-90)\" text-anchor=\"middle\">" << EscapeHtml(y_label) << "</text>\n";
    out_ << "</g>\n";
  }
  std::ostringstream& out() { return out_; }
  std::string Close() {
    out_ << "</svg>\n";
    return out_.str();
  }

 private:
  double width_, height_;
  double left_ = 62, right_ = 150, top_ = 30, bottom_ = 46;
  std::vector<std::string> title_;
  double x_lo_, x_hi_, y_lo_, y_hi_;
  std::vector<double> x_ticks_, y_ticks_;
  std::ostringstream out_;
};

void Range(double v, double& lo, double& hi) {
  if (!std::isfinite(v)) return;
  lo = std::min(lo, v);
  hi = std::max(hi, v);
}

void Pad(double& lo, double& hi) {
  if (lo > hi) lo = 0, hi = 1;
  if (hi - lo < 1e-12) {
    double d = std::max(1.0, std::abs(lo)) * 0.1;
    lo -= d;
    hi += d;
  }
}

// The convex hull of points (Andrew's monotone chain), counter-clockwise.
std::vector<Point2> Hull(std::vector<Point2> p) {
  std::sort(p.begin(), p.end());
  p.erase(std::unique(p.begin(), p.end()), p.end());
  if (p.size() < 3) return p;
  auto cross = [](const Point2& o, const Point2& a, const Point2& b) {
    return (a.first - o.first) * (b.second - o.second) - (a.second - o.second) * (b.first - o.first);
  };
  std::vector<Point2> h(2 * p.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0) --k;
    h[k++] = p[i];
  }
  for (std::size_t i = p.size() - 1, t = k + 1; i-- > 0;) {
    while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0) --k;
    h[k++] = p[i];
  }
  h.resize(k - 1);
  return h;
}

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int count) {
  if (!(hi > lo)) hi = lo + 1;
  double raw = (hi - lo) / std::max(1, count);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double f : {1.0, 2.0, 5.0, 10.0}) {
    step = f * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double t = std::floor(lo / step) * step; t <= hi + step * 0.5 && ticks.size() < 50; t += step) {
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    if (t >= hi) break;
  }
  return ticks;
}

std::string LineChartSvg(const LineChartSpec& spec) {
  if (spec.x.empty()) throw Error("a line chart needs at least one point");
  for (const auto& s : spec.series)
    if (s.y.size() != spec.x.size())
      throw Error("series '" + s.name + "' has " + std::to_string(s.y.size()) + " values for " +
                  std::to_string(spec.x.size()) + " points");
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  for (double x : spec.x) Range(x, x_lo, x_hi);
  for (const auto& s : spec.series)
    for (double y : s.y) Range(y, y_lo, y_hi);
  Pad(x_lo, x_hi);
  Pad(y_lo, y_hi);
  std::vector<std::string> legend;
  for (const auto& series : spec.series) legend.push_back(series.name);
  Canvas canvas(spec.width, spec.height, x_lo, x_hi, y_lo, y_hi, spec.title, legend, 35);
  canvas.Open(spec.title, spec.y_label + " against " + spec.x_label);
  canvas.Axes(spec.x_label, spec.y_label);
  auto& out = canvas.out();
  for (std::size_t k = 0; k < spec.thresholds.size(); ++k) {
    const Threshold& t = spec.thresholds[k];
    double x = canvas.X(t.x);
    out << "<line class=\"threshold\" x1=\"" << Num(x) << "\" y1=\"" << Num(canvas.top()) << "\" x2=\"" << Num(x)
        << "\" y2=\"" << Num(canvas.bottom()) << "\" stroke=\"#888888\" stroke-dasharray=\"5,4\"/>\n";
    // Labels only while they stay readable; the report lists every threshold in words.
    if (spec.thresholds.size() > 4) continue;
    bool right_half = x > (canvas.left() + canvas.right()) / 2;
    out << "<text x=\"" << Num(right_half ? x - 3 : x + 3) << "\" y=\""
        << Num(canvas.top() + 12 + 13.0 * static_cast<double>(k % 3)) << "\" font-size=\"10\" fill=\"#555555\""
        << (right_half ? " text-anchor=\"end\"" : "") << ">" << EscapeHtml(t.label + " " + FormatValue(t.x)) << "</text>\n";
  }
  for (std::size_t s = 0; s < spec.series.size(); ++s) {
    const char* color = kColors[s % 8];
    std::string d;
    bool pen_down = false;
    for (std::size_t i = 0; i < spec.x.size(); ++i) {
      double y = spec.series[s].y[i];
      if (!std::isfinite(y)) {
        pen_down = false;
        continue;
      }
      // Not across a threshold between two points: the outcome changes there, and a value
      // may jump (a straight line would show values no point has, 4.4 where it is 6.5).
      if (pen_down && i > 0)
        for (const Threshold& t : spec.thresholds)
          if (std::min(spec.x[i - 1], spec.x[i]) < t.x && t.x < std::max(spec.x[i - 1], spec.x[i])) pen_down = false;
      d += (pen_down ? "L" : "M") + Num(canvas.X(spec.x[i])) + "," + Num(canvas.Y(y)) + " ";
      pen_down = true;
    }
    out << "<path class=\"series\" d=\"" << d << "\" fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\"/>\n";
    for (std::size_t i = 0; i < spec.x.size(); ++i)
      if (std::isfinite(spec.series[s].y[i]))
        out << "<circle cx=\"" << Num(canvas.X(spec.x[i])) << "\" cy=\"" << Num(canvas.Y(spec.series[s].y[i]))
            << "\" r=\"2.5\" fill=\"" << color << "\"><title>" << EscapeHtml(spec.series[s].name) << ": "
            << FormatValue(spec.series[s].y[i]) << " at " << FormatValue(spec.x[i]) << "</title></circle>\n";
    double ly = canvas.top() + 10 + 18.0 * static_cast<double>(s);
    out << "<line x1=\"" << Num(canvas.right() + 10) << "\" y1=\"" << Num(ly) << "\" x2=\"" << Num(canvas.right() + 30)
        << "\" y2=\"" << Num(ly) << "\" stroke=\"" << color << "\" stroke-width=\"2\"/>\n"
        << "<text class=\"legend\" x=\"" << Num(canvas.right() + 35) << "\" y=\"" << Num(ly + 4) << "\">" << EscapeHtml(spec.series[s].name) << "</text>\n";
  }
  return canvas.Close();
}

std::string BargainingChartSvg(const BargainingChartSpec& spec) {
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  auto add = [&](const Point2& p) {
    Range(p.first, x_lo, x_hi);
    Range(p.second, y_lo, y_hi);
  };
  for (const auto& p : spec.outcomes) add(p);
  for (const auto& p : spec.frontier) add(p);
  for (const auto& p : spec.solutions) add(p.at);
  add(spec.disagreement);
  add(spec.ideal);
  Pad(x_lo, x_hi);
  Pad(y_lo, y_hi);
  auto entry = [](const std::string& name, const Point2& at) {
    return name + " (" + Short(at.first) + ", " + Short(at.second) + ")";
  };
  std::vector<std::string> legend{entry(spec.disagreement_name, spec.disagreement), entry("ideal", spec.ideal)};
  for (const auto& solution : spec.solutions) legend.push_back(entry(solution.name, solution.at));
  Canvas canvas(spec.width, spec.height, x_lo, x_hi, y_lo, y_hi, spec.title, legend, 26);
  canvas.Open(spec.title, "Feasible payoffs, Pareto frontier and bargaining solutions");
  canvas.Axes(spec.x_label, spec.y_label);
  auto& out = canvas.out();
  auto xy = [&](const Point2& p) { return Num(canvas.X(p.first)) + "," + Num(canvas.Y(p.second)); };
  if (spec.convex_hull && spec.outcomes.size() >= 3) {
    std::string points;
    for (const auto& p : Hull(spec.outcomes)) points += xy(p) + " ";
    out << "<polygon class=\"feasible\" points=\"" << points << "\" fill=\"#0072B2\" fill-opacity=\"0.12\" stroke=\"#0072B2\" stroke-opacity=\"0.4\"/>\n";
  }
  for (const auto& p : spec.outcomes)
    out << "<circle cx=\"" << Num(canvas.X(p.first)) << "\" cy=\"" << Num(canvas.Y(p.second)) << "\" r=\"2.5\" fill=\"#5b7a99\"/>\n";
  if (!spec.frontier.empty()) {
    std::string points;
    for (const auto& p : spec.frontier) points += xy(p) + " ";
    out << "<polyline class=\"frontier\" points=\"" << points << "\" fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2.5\"/>\n";
  }
  // Disagreement and ideal points, and the segment joining them (Kalai-Smorodinsky's line).
  out << "<line x1=\"" << Num(canvas.X(spec.disagreement.first)) << "\" y1=\"" << Num(canvas.Y(spec.disagreement.second))
      << "\" x2=\"" << Num(canvas.X(spec.ideal.first)) << "\" y2=\"" << Num(canvas.Y(spec.ideal.second))
      << "\" stroke=\"#999999\" stroke-dasharray=\"4,3\"/>\n";
  struct Mark {
    std::string name;
    Point2 at;
    const char* color;
  };
  std::vector<Mark> marks{{spec.disagreement_name, spec.disagreement, "#000000"}, {"ideal", spec.ideal, "#777777"}};
  for (std::size_t k = 0; k < spec.solutions.size(); ++k)
    marks.push_back({spec.solutions[k].name, spec.solutions[k].at, kColors[(k + 1) % 8]});
  for (std::size_t k = 0; k < marks.size(); ++k) {
    const Mark& m = marks[k];
    double x = canvas.X(m.at.first), y = canvas.Y(m.at.second);
    if (k < 2)
      out << "<rect x=\"" << Num(x - 4) << "\" y=\"" << Num(y - 4) << "\" width=\"8\" height=\"8\" fill=\"" << m.color << "\">";
    else
      // Later solutions are drawn smaller, so that coinciding ones show as nested rings.
      out << "<circle cx=\"" << Num(x) << "\" cy=\"" << Num(y) << "\" r=\""
          << Num(std::max(2.5, 8.0 - 1.5 * static_cast<double>(k - 2))) << "\" fill=\"" << m.color
          << "\" stroke=\"#ffffff\">";
    out << "<title>" << EscapeHtml(m.name) << " (" << FormatValue(m.at.first) << ", " << FormatValue(m.at.second) << ")</title>";
    out << (k < 2 ? "</rect>\n" : "</circle>\n");
    double ly = canvas.top() + 10 + 18.0 * static_cast<double>(k);
    out << "<circle cx=\"" << Num(canvas.right() + 16) << "\" cy=\"" << Num(ly) << "\" r=\"5\" fill=\"" << m.color << "\"/>"
        << "<text class=\"legend\" x=\"" << Num(canvas.right() + 26) << "\" y=\"" << Num(ly + 4) << "\">"
        << EscapeHtml(legend[k]) << "</text>\n";
  }
  return canvas.Close();
}

}  // namespace parley::report

namespace parley::report {

std::string TornadoChartSvg(const TornadoChartSpec& spec) {
  if (spec.bars.empty()) throw Error("a tornado chart needs at least one bar");
  constexpr double kSlack = 1.14;  // room for a wider fallback font, as Canvas keeps
  constexpr double kRow = 26, kBar = 16;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  Range(spec.base, lo, hi);
  for (const auto& b : spec.bars) {
    Range(b.value_low, lo, hi);
    Range(b.value_high, lo, hi);
  }
  Pad(lo, hi);
  std::vector<double> ticks = NiceTicks(lo, hi, 6);
  lo = std::min(lo, ticks.front());
  hi = std::max(hi, ticks.back());
  auto label_of = [](const TornadoChartBar& b) { return (b.outcome_changes ? "* " : "") + b.label; };
  double label_width = 0;
  for (const auto& b : spec.bars) label_width = std::max(label_width, TextWidth(label_of(b), 12) * kSlack);
  const double left = label_width + 16;
  const double right = std::max(20.0, TextWidth(FormatValue(ticks.back()), 12) * kSlack / 2 + 4);
  const double width = std::max<double>(spec.width, left + 380 + right);
  std::vector<std::string> title = TitleLines(spec.title, width - 20);
  const double top = 14 + 18.0 * static_cast<double>(title.size()) + 22;  // title, then the legend
  const double plot_bottom = top + kRow * static_cast<double>(spec.bars.size()) + 6;
  const double height = plot_bottom + 46;
  auto X = [&](double v) { return left + (v - lo) / (hi - lo) * (width - left - right); };
  constexpr const char* kLowColor = "#0072B2";
  constexpr const char* kHighColor = "#D55E00";

  std::ostringstream out;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << Num(width) << "\" height=\"" << Num(height)
      << "\" viewBox=\"0 0 " << Num(width) << " " << Num(height)
      << "\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\" role=\"img\">\n"
      << "<title>" << EscapeHtml(spec.title) << "</title>\n<desc>"
      << EscapeHtml("Horizontal bars, one per parameter, widest swing first: how " + spec.value_label +
                    " moves from its base value " + FormatValue(spec.base) +
                    " when the parameter goes to the low or the high end of its range")
      << "</desc>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  for (std::size_t k = 0; k < title.size(); ++k)
    out << "<text class=\"title\" x=\"" << Num(width / 2) << "\" y=\"" << Num(18 + 18.0 * static_cast<double>(k))
        << "\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">" << EscapeHtml(title[k]) << "</text>\n";
  // Legend, one line under the title.
  double ly = top - 12;
  out << "<rect x=\"" << Num(left) << "\" y=\"" << Num(ly - 9) << "\" width=\"12\" height=\"10\" fill=\"" << kLowColor << "\"/>"
      << "<text class=\"legend\" x=\"" << Num(left + 16) << "\" y=\"" << Num(ly) << "\">at the low end</text>\n"
      << "<rect x=\"" << Num(left + 110) << "\" y=\"" << Num(ly - 9) << "\" width=\"12\" height=\"10\" fill=\"" << kHighColor << "\"/>"
      << "<text class=\"legend\" x=\"" << Num(left + 126) << "\" y=\"" << Num(ly) << "\">at the high end</text>\n"
      << "<text class=\"legend\" x=\"" << Num(left + 230) << "\" y=\"" << Num(ly) << "\">* the outcome changes</text>\n";
  out << "<g stroke=\"#dddddd\" stroke-width=\"1\">\n";
  for (double t : ticks)
    out << "<line x1=\"" << Num(X(t)) << "\" y1=\"" << Num(top) << "\" x2=\"" << Num(X(t)) << "\" y2=\"" << Num(plot_bottom) << "\"/>\n";
  out << "</g>\n<g fill=\"#333333\">\n";
  for (double t : ticks)
    out << "<text x=\"" << Num(X(t)) << "\" y=\"" << Num(plot_bottom + 16) << "\" text-anchor=\"middle\">" << FormatValue(t) << "</text>\n";
  out << "<text x=\"" << Num((left + width - right) / 2) << "\" y=\"" << Num(height - 8) << "\" text-anchor=\"middle\">"
      << EscapeHtml(spec.value_label) << "</text>\n</g>\n";
  for (std::size_t i = 0; i < spec.bars.size(); ++i) {
    const TornadoChartBar& b = spec.bars[i];
    double y = top + kRow * static_cast<double>(i) + (kRow - kBar) / 2;
    auto words = [&](double v) { return std::isfinite(v) ? FormatValue(v) : std::string("no value"); };
    out << "<g class=\"bar\"><title>" << EscapeHtml(b.label + ": " + b.low_text + " gives " + words(b.value_low) + ", " +
                                                    b.high_text + " gives " + words(b.value_high) +
                                                    (b.outcome_changes ? "; the outcome changes in this range" : ""))
        << "</title>\n";
    out << "<text x=\"" << Num(left - 8) << "\" y=\"" << Num(y + kBar - 4) << "\" text-anchor=\"end\">" << EscapeHtml(label_of(b)) << "</text>\n";
    for (int end = 0; end < 2; ++end) {
      double v = end == 0 ? b.value_low : b.value_high;
      if (!std::isfinite(v) || !std::isfinite(spec.base)) continue;
      double x0 = X(std::min(v, spec.base)), x1 = X(std::max(v, spec.base));
      // A part with no length still shows as a hairline, so that "no effect" is visible.
      out << "<rect x=\"" << Num(x0) << "\" y=\"" << Num(end == 0 ? y : y + kBar / 2) << "\" width=\""
          << Num(std::max(1.0, x1 - x0)) << "\" height=\"" << Num(kBar / 2) << "\" fill=\""
          << (end == 0 ? kLowColor : kHighColor) << "\"/>\n";
    }
    out << "</g>\n";
  }
  if (std::isfinite(spec.base))
    out << "<line class=\"base\" x1=\"" << Num(X(spec.base)) << "\" y1=\"" << Num(top - 2) << "\" x2=\"" << Num(X(spec.base))
        << "\" y2=\"" << Num(plot_bottom) << "\" stroke=\"#333333\" stroke-width=\"1.5\"/>\n";
  out << "<rect x=\"" << Num(left) << "\" y=\"" << Num(top) << "\" width=\"" << Num(width - left - right)
      << "\" height=\"" << Num(plot_bottom - top) << "\" fill=\"none\" stroke=\"#333333\"/>\n";
  out << "</svg>\n";
  return out.str();
}

}  // namespace parley::report
