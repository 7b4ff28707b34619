// Charts as plain SVG written here: a line chart (an outcome against a varied parameter,
// thresholds marked) and a bargaining chart (feasible set, Pareto frontier, disagreement and
// ideal points, solution points). Plain SVG needs no script and no network, reads the same
// inline in HTML and as a file beside Markdown, and is stable text for tests. Axis ticks are
// "nice numbers" (Heckbert, Graphics Gems, 1990).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace parley::report {

struct LineSeries {
  std::string name;
  std::vector<double> y;  // one per x; NaN leaves a gap
};

struct Threshold {
  double x = 0;
  std::string label;  // e.g. "path changes"
};

struct LineChartSpec {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<double> x;
  std::vector<LineSeries> series;
  std::vector<Threshold> thresholds;
  int width = 640;   // the least size: the chart grows to fit its title, ticks and legend
  int height = 360;
};

// Throws parley::Error when x is empty or a series' length differs from x's.
std::string LineChartSvg(const LineChartSpec& spec);

using Point2 = std::pair<double, double>;

struct NamedPoint {
  std::string name;
  Point2 at;
};

struct BargainingChartSpec {
  std::string title;
  std::string x_label;                // player 1's payoff
  std::string y_label;                // player 2's payoff
  std::vector<Point2> outcomes;       // listed outcomes (drawn as dots)
  bool convex_hull = true;            // shade their convex hull as the feasible set
  std::vector<Point2> frontier;       // Pareto frontier vertices, u1 increasing
  Point2 disagreement{0, 0};
  std::string disagreement_name = "disagreement";  // "inside point" with outside options
  Point2 ideal{0, 0};
  std::vector<NamedPoint> solutions;  // Nash, Kalai-Smorodinsky, egalitarian, utilitarian...
  int width = 640;   // the least size: the chart grows to fit its title, ticks and legend
  int height = 460;
};

std::string BargainingChartSvg(const BargainingChartSpec& spec);

// A tornado diagram (analysis/tornado.h): one horizontal bar per parameter, from the value
// at the parameter's low end to the value at its high end, across a vertical line at the
// base value; the low end's part of a bar in one colour, the high end's in another. Bars
// are drawn in the order given (the widest first, at the top). Every bar carries a <title>
// in words for screen readers and tooltips.
struct TornadoChartBar {
  std::string label;          // the parameter's name ("* " is added when the outcome changes)
  std::string low_text, high_text;  // the parameter's low and high values, as shown
  double value_low = 0, value_high = 0;  // NaN where the value does not exist
  bool outcome_changes = false;
};
struct TornadoChartSpec {
  std::string title;
  std::string value_label;  // the x axis: the value's name
  double base = 0;          // the value at the base case
  std::vector<TornadoChartBar> bars;
  int width = 640;  // the least width: the chart grows to fit its labels
};
// Throws parley::Error when there are no bars.
std::string TornadoChartSvg(const TornadoChartSpec& spec);

// Tick positions covering [lo, hi] with about `count` nice steps (1, 2 or 5 times 10^k).
std::vector<double> NiceTicks(double lo, double hi, int count);

}  // namespace parley::report
