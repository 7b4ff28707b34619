#include "solver/analysis/analysis.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>

#include "solver/analysis/parallel.h"
#include "solver/model/error.h"
#include "solver/model/number.h"

namespace parley::analysis {

std::size_t Model::ParameterIndex(const std::string& name) const {
  for (std::size_t i = 0; i < parameter_names.size(); ++i)
    if (parameter_names[i] == name) return i;
  std::string known;
  for (const auto& n : parameter_names) known += (known.empty() ? "" : ", ") + n;
  throw Error("unknown parameter '" + name + "'; the parameters are: " + known);
}

Shard ParseShard(const std::string& text) {
  auto slash = text.find('/');
  std::size_t k = 0, n = 0;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("");
    std::size_t used = 0;
    k = std::stoul(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("");
    n = std::stoul(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw Error("--shard '" + text + "' is not K/N (e.g. 2/8: the second of eight slices)");
  }
  if (n == 0 || k == 0 || k > n)
    throw Error("--shard " + text + ": K must be between 1 and N");
  // As many slices as `parley merge` reads back (its files' shard counts are checked).
  if (n > 1'000'000) throw Error("--shard " + text + ": N must be at most 1000000");
  return {k - 1, n};
}

namespace {

// `written`, when given, receives the text where it states another number than the shortest
// decimal of the double it rounds to (Axis::lo_written), else "".
double ParseValue(const std::string& text, const std::string& what, std::string* written = nullptr) {
  Number x;
  if (!Number::Parse(text, &x))
    throw Error(what + ": '" + text + "' is not a number");
  // As for --set: beyond a double's range, or so small it would silently be 0, is refused.
  const double value = x.ToDouble();
  if (!std::isfinite(value))
    throw Error(what + ": '" + text + "' is beyond the range of numbers Parley computes with (about 1.8e308)");
  if (value == 0 && x.ToRational() != 0)
    throw Error(what + ": '" + text + "' is too small to compute with (it would be 0); write 0 if 0 is meant");
  if (written) {
    written->clear();
    Number shortest;
    if (!(Number::Parse(FormatDouble(value), &shortest) && shortest.ToRational() == x.ToRational()))
      *written = text;
  }
  return value;
}

}  // namespace

double Axis::At(std::size_t i) const {
  if (n == 1 || i == 0) return lo;
  if (i + 1 >= n) return hi;
  // LO and HI as written (the shortest decimals that read back as them, unless the axis
  // keeps other texts), kept on this thread for the next calls with the same ends (a sweep
  // asks for every point of each of its axes in turn: a few pairs are kept, the oldest
  // written over).
  struct Ends {
    bool set = false;
    std::uint64_t lo = 0, hi = 0;
    std::string lo_written, hi_written;
    Rational a, b;
  };
  constexpr std::size_t kKept = 4;
  thread_local std::array<Ends, kKept> kept;
  thread_local std::size_t next = 0;
  const std::uint64_t lo_bits = std::bit_cast<std::uint64_t>(lo), hi_bits = std::bit_cast<std::uint64_t>(hi);
  const Ends* found = nullptr;
  for (const Ends& e : kept)
    if (e.set && e.lo == lo_bits && e.hi == hi_bits && e.lo_written == lo_written && e.hi_written == hi_written)
      found = &e;
  if (!found) {
    auto exact = [](double value, const std::string& text) {
      Number written;
      if (Number::Parse(text.empty() ? FormatDouble(value) : text, &written)) return written.ToRational();
      return ExactRational(value);
    };
    Rational from = exact(lo, lo_written), to = exact(hi, hi_written);  // both before either is kept
    Ends& e = kept[next];
    next = (next + 1) % kKept;
    e.a = std::move(from);
    e.b = std::move(to);
    e.lo = lo_bits;
    e.hi = hi_bits;
    e.lo_written = lo_written;
    e.hi_written = hi_written;
    e.set = true;
    found = &e;
  }
  const Ends& ends = *found;
  const Rational& a = ends.a;
  const Rational& b = ends.b;
  // The point is a + (b - a) i / (n - 1) = N / D with N = pa qb (n - 1) + (pb qa - pa qb) i and
  // D = qa qb (n - 1) (a = pa / qa, b = pb / qb). When both are integers below 2^53, as for
  // decimals of a few digits, their quotient in doubles is the correctly rounded value
  // (ToDouble's own first case, here without building the fraction).
  const mpz_class &pa = a.get_num(), &qa = a.get_den(), &pb = b.get_num(), &qb = b.get_den();
  constexpr long kSmall = 1L << 30;  // factors this small keep every product below 2^127
  auto small = [](const mpz_class& z) {
    return mpz_fits_slong_p(z.get_mpz_t()) && z.get_si() > -kSmall && z.get_si() < kSmall;
  };
  if (small(pa) && small(qa) && small(pb) && small(qb) && n - 1 < static_cast<std::size_t>(kSmall)) {
    __extension__ typedef __int128 Wide;
    const Wide steps = static_cast<Wide>(n - 1), at = static_cast<Wide>(i);
    const Wide num = static_cast<Wide>(pa.get_si()) * qb.get_si() * steps +
                     (static_cast<Wide>(pb.get_si()) * qa.get_si() - static_cast<Wide>(pa.get_si()) * qb.get_si()) * at;
    const Wide den = static_cast<Wide>(qa.get_si()) * qb.get_si() * steps;
    constexpr Wide kExact = static_cast<Wide>(1) << 53;
    if (num < kExact && -num < kExact && den < kExact)
      return std::min(hi, static_cast<double>(num) / static_cast<double>(den));
  }
  const Rational point = a + (b - a) * Rational(mpz_class(i)) / Rational(mpz_class(n - 1));
  return std::min(hi, ToDouble(point));
}

Axis ParseAxisText(const std::string& text, std::size_t default_n) {
  auto eq = text.find('=');
  if (eq == std::string::npos)
    throw Error("--vary '" + text + "' is not NAME=LO:HI" + (default_n ? "" : ":N") +
                " (e.g. regulator_acts=0:1" + (default_n ? "" : ":21") + ")");
  Axis axis;
  axis.name = text.substr(0, eq);
  if (axis.name.empty())
    throw Error("--vary '" + text + "' names no parameter: write NAME=LO:HI" + (default_n ? "" : ":N") +
                " (e.g. regulator_acts=0:1" + (default_n ? "" : ":21") + ")");
  std::string rest = text.substr(eq + 1);
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    auto colon = rest.find(':', start);
    parts.push_back(rest.substr(start, colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts.size() != 3 && !(parts.size() == 2 && default_n))
    throw Error("--vary '" + text + "' is not NAME=LO:HI" + (default_n ? "[:N]" : ":N"));
  std::string what = "--vary " + axis.name;
  axis.lo = ParseValue(parts[0], what, &axis.lo_written);
  axis.hi = ParseValue(parts[1], what, &axis.hi_written);
  axis.n = default_n;
  if (parts.size() == 3) {
    double n = ParseValue(parts[2], what);
    if (n < 2 || n != std::floor(n) || n > 1e7)
      throw Error(what + ": the number of points must be a whole number from 2 to 10^7");
    axis.n = static_cast<std::size_t>(n);
  }
  if (!(axis.lo < axis.hi)) throw Error(what + ": LO must be below HI");
  return axis;
}

Axis ParseAxis(const Model& model, const std::string& text, std::size_t default_n) {
  // An unknown name is said first, whatever else is wrong.
  if (auto eq = text.find('='); eq != std::string::npos) model.ParameterIndex(text.substr(0, eq));
  Axis axis = ParseAxisText(text, default_n);
  axis.parameter = model.ParameterIndex(axis.name);
  const std::string what = "--vary " + axis.name;
  const auto& lo = model.min[axis.parameter];
  const auto& hi = model.max[axis.parameter];
  if ((lo && axis.lo < *lo) || (hi && axis.hi > *hi))
    throw Error(what + ": " + FormatDouble(axis.lo) + ":" + FormatDouble(axis.hi) +
                " leaves the parameter's range [" + (lo ? FormatDouble(*lo) : "-inf") + ", " +
                (hi ? FormatDouble(*hi) : "inf") + "]");
  return axis;
}

SweepResult RunSweep(const Model& model, const std::vector<Axis>& axes, const RunOptions& options) {
  if (axes.empty() || axes.size() > 2) throw Error("a sweep varies one or two parameters");
  SweepResult result;
  result.base = BaseValuesOf(model);
  result.input_digest = model.input_digest;
  result.axes = axes;
  result.value_names = model.value_names;
  result.shard = options.shard;
  result.total = 1;
  for (const auto& a : axes) result.total *= a.n;
  // This shard's points are index, index + count, ...; every one is kept in memory.
  const std::size_t owned = options.shard.OwnedOf(result.total);
  if (owned > kMaxRowsInMemory)
    throw LimitError("the grid has " + std::to_string(result.total) + " points, " +
                     std::to_string(owned) + " of them in this run; one run keeps at most " +
                     std::to_string(kMaxRowsInMemory) + " (split it with --shard K/N)");
  auto mine_at = [&](std::size_t k) { return options.shard.index + k * options.shard.count; };
  std::vector<SweepPoint> points(owned);
  auto make_worker = [&]() -> std::function<void(std::size_t)> {
    auto evaluate = model.make_evaluator();
    return [&, evaluate](std::size_t k) {
      std::size_t i = mine_at(k);
      std::vector<double> params = model.base_values;
      SweepPoint& p = points[k];
      p.index = i;
      std::size_t rest = i;
      p.x.resize(axes.size());
      for (std::size_t a = axes.size(); a-- > 0;) {
        p.x[a] = axes[a].At(rest % axes[a].n);
        rest /= axes[a].n;
        params[axes[a].parameter] = p.x[a];
      }
      p.observation = evaluate(params);
    };
  };
  ParallelOptions parallel{options.threads, options.cancel, options.progress, "sweep"};
  std::vector<char> done;
  std::size_t completed = ParallelFor(owned, make_worker, parallel, &done);
  result.interrupted = completed < owned;
  for (std::size_t k = 0; k < owned; ++k)
    if (done[k]) result.points.push_back(std::move(points[k]));
  return result;
}

namespace {

// Names for outcomes met in order: one per key, the words of its first meeting without the
// remarks on how its agreements were found (OutcomeWords), made distinct where outcomes of
// other keys read the same (DistinguishOutcomeNames).
class OutcomeNamer {
 public:
  // The outcome's number, given at its first meeting.
  std::size_t Id(const std::string& key, const std::string& words) {
    auto [it, added] = ids_.emplace(key, names_.size());
    if (added) names_.push_back(OutcomeWords(words));
    return it->second;
  }
  // The words given to Names()'s name `id` by its first meeting (before the " [2]").
  const std::string& Words(std::size_t id) const { return names_[id]; }
  // The names by number.
  std::vector<std::string> Names() const {
    std::vector<std::string> names = names_;
    DistinguishOutcomeNames(&names);
    return names;
  }

 private:
  std::unordered_map<std::string, std::size_t> ids_;
  std::vector<std::string> names_;
};

}  // namespace

std::vector<Threshold> FindThresholds(const Model& model, const Axis& axis, double tolerance,
                                      const RunOptions& options, bool* interrupted) {
  RunOptions grid_options = options;
  grid_options.shard = Shard{};
  SweepResult grid = RunSweep(model, {axis}, grid_options);
  if (interrupted) *interrupted = grid.interrupted;
  std::vector<std::size_t> switches;
  for (std::size_t k = 0; k + 1 < grid.points.size(); ++k)
    if (grid.points[k + 1].index == grid.points[k].index + 1 &&
        grid.points[k].observation.Identity() != grid.points[k + 1].observation.Identity())
      switches.push_back(k);
  // Each pair of neighbouring grid points with different outcomes holds one switch or more:
  // bisection finds the first (keeping the outcome below at lo and anything else at hi); when
  // the outcome it ends on above is not the grid point's, another switch lies between there
  // and the grid point, and is searched for the same way.
  constexpr std::size_t kMaxSwitchesPerStep = 64;
  std::vector<std::vector<Threshold>> found(switches.size());
  auto make_worker = [&]() -> std::function<void(std::size_t)> {
    auto evaluate = model.make_evaluator();
    return [&, evaluate](std::size_t s) {
      const SweepPoint& a = grid.points[switches[s]];
      const SweepPoint& b = grid.points[switches[s] + 1];
      double start = a.x[0];
      std::string below = a.observation.outcome, below_key = a.observation.Identity();
      std::vector<double> params = model.base_values;
      for (;;) {
        double lo = start, hi = b.x[0];
        std::string above = b.observation.outcome, above_key = b.observation.Identity();
        while (hi - lo > tolerance) {
          double mid = lo + (hi - lo) / 2;
          if (mid <= lo || mid >= hi) break;  // no double in between
          params[axis.parameter] = mid;
          Observation o = evaluate(params);
          if (o.Identity() == below_key) {
            lo = mid;
          } else {
            hi = mid;
            above = o.outcome;
            above_key = o.Identity();
          }
        }
        found[s].push_back(
            Threshold{axis.name, lo + (hi - lo) / 2, lo, hi, below, above, below_key, above_key, false});
        if (above_key == b.observation.Identity() || hi >= b.x[0]) break;
        if (found[s].size() >= kMaxSwitchesPerStep) {
          found[s].back().search_stopped = true;
          break;
        }
        start = hi;
        below = above;
        below_key = above_key;
      }
    };
  };
  ParallelOptions parallel{options.threads, options.cancel, false, "thresholds"};
  std::vector<char> done;
  std::size_t completed = ParallelFor(switches.size(), make_worker, parallel, &done);
  if (interrupted && completed < switches.size()) *interrupted = true;
  // Moves one end of a bracket [lo, hi] as close to the switch next to it as doubles allow, by
  // bisection, keeping the other end: `lo` up to the last point with `keep_key` (the outcome at
  // lo), or `hi` down to the first point with `keep_key` (the outcome at hi). Each bracket
  // is no wider than the tolerance already, so this costs some 30 evaluations.
  std::function<Observation(const std::vector<double>&)> serial_evaluate;
  std::vector<double> params = model.base_values;
  auto tighten = [&](double lo, double hi, const std::string& keep_key, bool move_lo) {
    if (!serial_evaluate) serial_evaluate = model.make_evaluator();
    for (;;) {
      double mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) break;
      params[axis.parameter] = mid;
      bool keeps = serial_evaluate(params).Identity() == keep_key;
      (keeps == move_lo ? lo : hi) = mid;
    }
    return move_lo ? lo : hi;
  };
  std::vector<Threshold> out;
  bool previous_done = false;
  for (std::size_t s = 0; s < switches.size(); ++s) {
    if (!done[s]) {
      previous_done = false;
      continue;
    }
    for (std::size_t k = 0; k < found[s].size(); ++k) {
      const Threshold& t = found[s][k];
      // An outcome that holds on a region narrower than the tolerance (a single grid point
      // where the parameter makes two options tie exactly) is no region: the two switches
      // around it are one switch, from the outcome below to the outcome above. Its bracket
      // runs from the last point below the region to the first point above it, each end found
      // to the last double, so that it is no wider than the tolerance either (the two brackets
      // joined as bisection left them could be three tolerances wide: a tie at exactly 1/2 was
      // [1/2 - 9.3e-10, 1/2 + 9.3e-10]); a region that is wider, once its ends are found that
      // closely, is a region. (Brackets further apart than the tolerance are never joined.)
      if (!out.empty() && (k > 0 || previous_done) && t.lo - out.back().hi <= tolerance) {
        Threshold& last = out.back();
        const double lo = tighten(last.lo, last.hi, last.below_key, true);
        const double hi = tighten(t.lo, t.hi, t.above_key, false);
        if (hi - lo <= tolerance) {
          last.lo = lo;
          last.hi = hi;
          last.value = lo + (hi - lo) / 2;
          last.above = t.above;
          last.above_key = t.above_key;
          if (last.below_key == last.above_key) out.pop_back();  // back to where it was: no switch
          continue;
        }
      }
      out.push_back(t);
    }
    previous_done = true;
  }
  // Outcomes that differ in structure but read the same (a chance move's branch starting to
  // be reached changes the path's supports, not its words) are told apart as a sweep tells
  // them ("A out [2]"), in the order they are met: "below: A out, above: A out" said nothing.
  OutcomeNamer namer;
  std::vector<std::pair<std::size_t, std::size_t>> named;
  for (const Threshold& t : out) {
    const std::size_t below = namer.Id(t.below_key, t.below);  // first: the order names them
    named.emplace_back(below, namer.Id(t.above_key, t.above));
  }
  const std::vector<std::string> names = namer.Names();
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].below = names[named[i].first];
    out[i].above = names[named[i].second];
  }
  return out;
}

double DistributionQuantile(const Distribution& d, double p) {
  using Kind = Distribution::Kind;
  switch (d.kind) {
    case Kind::kFixed:
      break;
    case Kind::kUniform:
      return d.low + (d.high - d.low) * p;
    case Kind::kTriangular: {
      // Inverse CDF: F(c) = (c - a)/(b - a) at the mode c.
      double a = d.low, b = d.high, c = d.mode;
      double f = (c - a) / (b - a);
      // Square roots taken apart: (b - a) (c - a) overflows for ranges past about 1e154.
      return p < f ? a + std::sqrt(p * (b - a)) * std::sqrt(c - a) : b - std::sqrt((1 - p) * (b - a)) * std::sqrt(b - c);
    }
    case Kind::kNormal:  // truncated to the parameter's range, as Monte Carlo draws it
      return TruncatedNormalByInversion(d.mean, d.sd, d.min ? *d.min : -HUGE_VAL,
                                        d.max ? *d.max : HUGE_VAL, p);
    case Kind::kBeta:
      return d.low + (d.high - d.low) * BetaQuantile(d.alpha, d.beta, p);
    case Kind::kDiscrete: {
      std::vector<std::size_t> order(d.values.size());
      std::iota(order.begin(), order.end(), std::size_t{0});
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return d.values[a] < d.values[b]; });
      auto weight = [&](std::size_t i) { return d.weights.empty() ? 1.0 : d.weights[i]; };
      double total = 0;
      for (std::size_t i = 0; i < d.values.size(); ++i) total += weight(i);
      double acc = 0;
      for (std::size_t i : order) {
        acc += weight(i);
        if (acc >= p * total) return d.values[i];
      }
      return d.values[order.back()];
    }
  }
  throw Error("a fixed parameter has no quantiles");
}

double Draw(const Distribution& d, double base, Xoshiro256& rng) {
  using Kind = Distribution::Kind;
  switch (d.kind) {
    case Kind::kFixed:
      return base;
    case Kind::kUniform:
    case Kind::kTriangular:
      return DistributionQuantile(d, rng.Uniform());
    case Kind::kNormal:  // by inversion, as every draw (analysis/random.h); never u = 0
    case Kind::kBeta:
      return DistributionQuantile(d, rng.UniformOpen());
    case Kind::kDiscrete: {
      // In the file's order (the quantile sorts by value): a seed's draws stay what they were.
      double total = 0;
      for (std::size_t i = 0; i < d.values.size(); ++i) total += d.weights.empty() ? 1.0 : d.weights[i];
      double u = rng.Uniform() * total, acc = 0;
      for (std::size_t i = 0; i < d.values.size(); ++i) {
        acc += d.weights.empty() ? 1.0 : d.weights[i];
        if (u < acc) return d.values[i];
      }
      return d.values.back();
    }
  }
  return base;
}

MonteCarloResult RunMonteCarlo(const Model& model, std::size_t samples, std::uint64_t seed,
                               const RunOptions& options) {
  if (samples == 0) throw Error("--samples must be at least 1");
  MonteCarloResult result;
  result.base = BaseValuesOf(model);
  result.input_digest = model.input_digest;
  result.seed = seed;
  result.requested = samples;
  result.shard = options.shard;
  result.value_names = model.value_names;
  std::vector<std::uint64_t> mine;
  const std::size_t owned = options.shard.OwnedOf(samples);
  if (owned > kMaxRowsInMemory)
    throw LimitError(std::to_string(owned) + " samples in one run; one run keeps at most " +
                     std::to_string(kMaxRowsInMemory) + " (split it with --shard K/N)");
  mine.reserve(owned);
  for (std::uint64_t i = options.shard.index; i < samples; i += options.shard.count) mine.push_back(i);
  std::vector<std::size_t> drawn;  // the parameters drawn and kept, in the file's order
  if (options.keep_drawn)
    for (std::size_t p = 0; p < model.distributions.size(); ++p)
      if (model.distributions[p].kind != Distribution::Kind::kFixed) {
        drawn.push_back(p);
        result.drawn_names.push_back(model.parameter_names[p]);
      }
  const double cells = static_cast<double>(owned) * static_cast<double>(model.value_names.size() + drawn.size());
  if (cells > kMaxCellsInMemory)
    throw LimitError(std::to_string(owned) + " samples of " + std::to_string(model.value_names.size() + drawn.size()) +
                     " numbers each (the values and the drawn parameters) in one run; one run keeps at most " +
                     std::to_string(static_cast<long long>(kMaxCellsInMemory)) + " numbers (split it with --shard K/N)");
  std::vector<Observation> obs(mine.size());
  std::vector<std::vector<double>> drawn_values(mine.size());
  auto make_worker = [&]() -> std::function<void(std::size_t)> {
    auto evaluate = model.make_evaluator();
    return [&, evaluate](std::size_t k) {
      Xoshiro256 rng(seed, mine[k]);
      std::vector<double> params = model.base_values;
      for (std::size_t p = 0; p < params.size(); ++p)
        params[p] = Draw(model.distributions[p], params[p], rng);
      if (!drawn.empty()) {
        drawn_values[k].resize(drawn.size());
        for (std::size_t d = 0; d < drawn.size(); ++d) drawn_values[k][d] = params[drawn[d]];
      }
      obs[k] = evaluate(params);
    };
  };
  ParallelOptions parallel{options.threads, options.cancel, options.progress, "monte carlo"};
  std::vector<char> done;
  std::size_t completed = ParallelFor(mine.size(), make_worker, parallel, &done);
  result.interrupted = completed < mine.size();
  std::unordered_map<std::string, std::uint32_t> ids;
  result.samples.reserve(completed);
  for (std::size_t k = 0; k < mine.size(); ++k) {
    if (!done[k]) continue;
    auto [it, inserted] = ids.emplace(obs[k].Identity(), static_cast<std::uint32_t>(result.outcomes.size()));
    if (inserted) {
      // Without the remarks "(KKT point)", "(best found)": they are the sample's, and other
      // samples of the outcome may have none (the samples keep no words of their own).
      result.outcomes.push_back(OutcomeWords(obs[k].outcome));
      result.outcome_keys.push_back(obs[k].Identity());
    }
    result.samples.push_back({mine[k], it->second, std::move(obs[k].values), std::move(drawn_values[k])});
    obs[k] = Observation{};  // its words and key are in the table now
  }
  DistinguishOutcomeNames(&result.outcomes);
  Summarise(result);
  return result;
}

std::vector<std::string> SweepOutcomeNames(const SweepResult& result, bool point_remarks) {
  OutcomeNamer namer;
  std::vector<std::size_t> id_of(result.points.size());
  for (std::size_t i = 0; i < result.points.size(); ++i) {
    const Observation& o = result.points[i].observation;
    id_of[i] = namer.Id(o.Identity(), o.outcome);
  }
  const std::vector<std::string> names = namer.Names();
  // Each row in its own words (the remarks "(KKT point)", "(best found)" are the point's, and
  // two points of one outcome may differ in them), with its outcome's " [2]" if it has one.
  std::vector<std::string> out(result.points.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = point_remarks
                 ? result.points[i].observation.outcome + names[id_of[i]].substr(namer.Words(id_of[i]).size())
                 : names[id_of[i]];
  return out;
}

std::string OutcomeWords(std::string words) {
  // A remark ends its step's words: the text's end or " | " (the next step) follows it.
  for (std::string_view remark : {std::string_view(" (best found)"), std::string_view(" (KKT point)")})
    for (std::size_t at = words.find(remark); at != std::string::npos; at = words.find(remark, at)) {
      const std::size_t end = at + remark.size();
      if (end == words.size() || words.compare(end, 3, " | ") == 0)
        words.erase(at, remark.size());
      else
        at = end;
    }
  return words;
}

void DistinguishOutcomeNames(std::vector<std::string>* outcomes) {
  std::unordered_map<std::string, int> seen;
  for (std::string& name : *outcomes) {
    if (seen.emplace(name, 1).second) continue;
    std::string distinct;
    for (int k = seen[name] + 1;; ++k) {
      distinct = name + " [" + std::to_string(k) + "]";
      if (!seen.count(distinct)) {
        seen[name] = k;
        break;
      }
    }
    seen.emplace(distinct, 1);
    name = std::move(distinct);
  }
}

bool HasCurrentKeyFormat(std::string_view key) {
  return key.starts_with(kOutcomeKeyTag) &&
         (key.size() == kOutcomeKeyTag.size() || key[kOutcomeKeyTag.size()] == ';' ||
          key[kOutcomeKeyTag.size()] == '|');
}

std::string OutcomeClass(const std::string& words) {
  const std::string outcome = OutcomeWords(words);  // a class has no point's remark
  const std::string bar = " | ";
  std::size_t at = outcome.find(bar);
  std::string out = outcome.substr(0, at);
  while (at != std::string::npos) {
    std::size_t next = outcome.find(bar, at + bar.size());
    std::string step = outcome.substr(at + bar.size(), next == std::string::npos ? std::string::npos : next - at - bar.size());
    at = next;
    std::size_t colon = step.find(": ");
    if (colon == std::string::npos) {
      out += bar + step;
      continue;
    }
    std::string terms = step.substr(colon + 2);
    out += bar + step.substr(0, colon) + ": " +
           (terms.rfind("no agreement possible", 0) == 0 ? "no agreement" : "agreement");
    // The moves after the agreement (the last part of the terms, after "; " or ", ").
    std::size_t then = terms.find("; then ");
    if (then == std::string::npos) then = terms.find(", then ");
    if (then == std::string::npos) continue;
    out += "; " + terms.substr(then + 2);
  }
  return out;
}

void Summarise(MonteCarloResult& r) {
  std::sort(r.samples.begin(), r.samples.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  const double n = static_cast<double>(r.samples.size());
  std::vector<std::size_t> counts(r.outcomes.size(), 0);
  for (const auto& s : r.samples) ++counts[s.outcome];
  r.shares.clear();
  auto share_of = [n](const std::string& outcome, std::size_t count) {
    const double z = 1.959963984540054;  // the 97.5 % normal quantile
    OutcomeShare share;
    share.outcome = outcome;
    share.count = count;
    double p = n > 0 ? count / n : 0;
    share.probability = p;
    // Wilson score interval (Wilson 1927).
    double denom = 1 + z * z / n;
    double centre = (p + z * z / (2 * n)) / denom;
    double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom;
    share.ci_low = std::max(0.0, centre - half);
    share.ci_high = std::min(1.0, centre + half);
    // At p = 0 or 1 the interval's end is p itself (Wilson's formula gives it only to
    // rounding: 0.9999999999999999, leaving the estimate outside its own interval).
    if (count == 0) share.ci_low = 0;
    if (n > 0 && static_cast<double>(count) == n) share.ci_high = 1;
    return share;
  };
  // Classes in order of their first outcome, so that ties keep a stable order.
  std::vector<std::string> classes;
  std::vector<std::size_t> class_counts;
  for (std::size_t o = 0; o < r.outcomes.size(); ++o) {
    r.shares.push_back(share_of(r.outcomes[o], counts[o]));
    std::string c = OutcomeClass(r.outcomes[o]);
    auto at = std::find(classes.begin(), classes.end(), c);
    if (at == classes.end()) {
      classes.push_back(c);
      class_counts.push_back(counts[o]);
    } else {
      class_counts[static_cast<std::size_t>(at - classes.begin())] += counts[o];
    }
  }
  r.class_shares.clear();
  for (std::size_t c = 0; c < classes.size(); ++c) r.class_shares.push_back(share_of(classes[c], class_counts[c]));
  for (auto* list : {&r.shares, &r.class_shares})
    std::stable_sort(list->begin(), list->end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  r.value_stats.assign(r.value_names.size(), Quantiles{});
  std::vector<double> column;
  column.reserve(r.samples.size());
  for (std::size_t v = 0; v < r.value_names.size(); ++v) {
    // Statistics over the samples where the value exists (an issue is NaN without a deal).
    column.clear();
    for (std::size_t k = 0; k < r.samples.size(); ++k) {
      double x = r.samples[k].values[v];
      if (std::isfinite(x)) column.push_back(x);
    }
    Quantiles q;
    q.count = column.size();
    if (column.empty()) {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      q.mean = q.sd = q.min = q.q05 = q.q25 = q.median = q.q75 = q.q95 = q.max = nan;
      r.value_stats[v] = q;
      continue;
    }
    std::vector<double> sorted = column;
    std::sort(sorted.begin(), sorted.end());
    // The mean as the median plus the mean deviation from it, summed with Neumaier's
    // compensation: values that are all equal have exactly that mean and a standard deviation
    // of exactly 0 (a plain sum of 500 times 0.4 divided by 500 is not 0.4, and left a standard
    // deviation of 3.5e-15), and a large common offset does not cost the spread its digits.
    const double m = static_cast<double>(column.size());
    const double centre = sorted[sorted.size() / 2];
    // The deviations are scaled by a power of two (exact) only where their sum would overflow:
    // values near 1e308 (a range the distributions allow) had a mean of n/a.
    auto mean_deviation = [&](double scale) {
      double sum = 0, compensation = 0;
      for (double x : column) {
        const double d = x * scale - centre * scale;  // x - centre when scale is 1
        const double t = sum + d;
        compensation += std::abs(sum) >= std::abs(d) ? (sum - t) + d : (d - t) + sum;
        sum = t;
      }
      return (sum + compensation) / m / scale;
    };
    double deviation = mean_deviation(1);
    if (!std::isfinite(deviation)) deviation = mean_deviation(0x1p-64);
    q.mean = centre + deviation;
    // The squares relative to the largest deviation, so that they neither overflow (values
    // near 1e200 had a spread of inf) nor underflow (near 1e-200, a spread of 0).
    double largest = 0;
    for (double x : column) largest = std::max(largest, std::abs(x - q.mean));
    // (Plain squares where they can do neither, as before.)
    const bool plain = !(largest > 0x1p500 || (largest > 0 && largest < 0x1p-500));
    const double unit = plain ? 1.0 : largest;
    double ss = 0;
    for (double x : column) {
      const double d = (x - q.mean) / unit;
      ss += d * d;
    }
    // The sample standard deviation (n - 1) of one sample is 0/0: it does not exist, like a
    // value without samples (n/a in text, null in JSON), rather than a spread of 0.
    q.sd = column.size() > 1 ? unit * std::sqrt(ss / (m - 1)) : std::numeric_limits<double>::quiet_NaN();
    // Linear interpolation between order statistics (type 7 of Hyndman and Fan 1996); as a
    // weighted mean of the two where their difference overflows.
    auto quantile = [&](double p) {
      double h = (sorted.size() - 1) * p;
      std::size_t lo = static_cast<std::size_t>(std::floor(h));
      std::size_t hi = std::min(sorted.size() - 1, lo + 1);
      const double f = h - static_cast<double>(lo);
      const double width = sorted[hi] - sorted[lo];
      return std::isfinite(width) ? sorted[lo] + f * width : sorted[lo] * (1 - f) + sorted[hi] * f;
    };
    q.min = sorted.front();
    q.max = sorted.back();
    q.q05 = quantile(0.05);
    q.q25 = quantile(0.25);
    q.median = quantile(0.5);
    q.q75 = quantile(0.75);
    q.q95 = quantile(0.95);
    r.value_stats[v] = q;
  }
}

namespace {

// A shard in a merge's messages: "s2.json (shard 2/4)" when the caller named it, else "shard 2/4".
std::string ShardLabel(const std::vector<std::string>& names, std::size_t i, const Shard& shard) {
  std::string k = "shard " + std::to_string(shard.index + 1) + "/" + std::to_string(shard.count);
  return i < names.size() ? names[i] + " (" + k + ")" : k;
}

// The shards given to a merge: each of 1..N once, all of them in the end.
class ShardChecklist {
 public:
  ShardChecklist(std::size_t count, const std::vector<std::string>& names)
      : given_by_(count, kNone), names_(names) {}
  // The i-th shard of the merge.
  void Add(const Shard& shard, std::size_t i) {
    if (shard.count != given_by_.size() || shard.index >= given_by_.size())
      throw Error(ShardLabel(names_, i, shard) + " does not belong to a run of " + std::to_string(given_by_.size()) +
                  " shards");
    if (given_by_[shard.index] != kNone)
      throw Error("shard " + std::to_string(shard.index + 1) + "/" + std::to_string(given_by_.size()) +
                  " is given twice" +
                  (i < names_.size() ? ": " + names_[given_by_[shard.index]] + " and " + names_[i] : std::string()));
    given_by_[shard.index] = i;
  }
  void RequireAll() const {
    for (std::size_t k = 0; k < given_by_.size(); ++k)
      if (given_by_[k] == kNone)
        throw Error("shard " + std::to_string(k + 1) + "/" + std::to_string(given_by_.size()) + " is missing");
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> given_by_;  // the merge's shard that gave each slice
  const std::vector<std::string>& names_;
};

// Shards 0 and i of a merge do not come from one run: "these shards come from different sweeps:
// the grid is power=0:1:37 in a.json (shard 1/2) and power=0:1:5 in b.json (shard 2/2)".
[[noreturn]] void DifferentRuns(const std::string& runs, const std::string& what, const std::string& first,
                                const std::string& other, const std::vector<std::string>& names,
                                const Shard& first_shard, std::size_t i, const Shard& other_shard) {
  throw Error("these shards come from different " + runs + ": " + what + " " + first + " in " +
              ShardLabel(names, 0, first_shard) + " and " + other + " in " + ShardLabel(names, i, other_shard));
}

// The shards of a merge whose outcome keys are in this version's format and those whose keys
// are not: the first of each. Both (shards written by an earlier version, whose keys named
// information sets by number, with shards of this one) would tell one outcome apart from
// itself, and are refused, naming one of each.
class KeyFormats {
 public:
  explicit KeyFormats(const std::vector<std::string>& names) : names_(names) {}
  // The i-th shard of the merge has a key `key`.
  void Add(std::string_view key, std::size_t i, const Shard& shard) {
    Seen& seen = HasCurrentKeyFormat(key) ? current_ : older_;
    if (seen.shard) return;
    seen = {i, shard};
    if (!older_.shard || !current_.shard) return;
    const std::string old_label = ShardLabel(names_, older_.i, *older_.shard);
    if (older_.i == current_.i)  // one file with keys of both formats: no version writes that
      throw Error(old_label + " keys its outcomes in two formats, as no version of Parley writes them (some "
                  "name information sets by number, others by the moves leading to them): the file was edited "
                  "or put together from two; compute it again to merge it");
    throw Error("these shards key their outcomes in two formats: " + old_label +
                " was written by an earlier version of Parley, whose keys named information sets by number, and " +
                ShardLabel(names_, current_.i, *current_.shard) +
                " by this one, whose keys name them by the moves leading to them; compute " + old_label +
                " again to merge it");
  }

 private:
  struct Seen {
    std::size_t i = 0;
    std::optional<Shard> shard;
  };
  Seen older_, current_;
  const std::vector<std::string>& names_;
};

std::string Words(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& w : list) out += (out.empty() ? "" : ", ") + w;
  return out.empty() ? "none" : out;
}

}  // namespace

BaseValues BaseValuesOf(const Model& model) {
  BaseValues out;
  for (std::size_t p = 0; p < model.parameter_names.size() && p < model.base_values.size(); ++p)
    out.emplace_back(model.parameter_names[p], model.base_values[p]);
  return out;
}

namespace {

// Shards computed from two scenario texts: "the scenario's text (...) has digest 0123... in
// shard 1/2 (a.json) and 4567... in shard 2/2 (b.json)".
constexpr const char* kDigestDiffers =
    "the scenario's text (another file, or the file edited between the runs) has digest";
std::string DigestText(const std::string& digest) { return digest.empty() ? "none recorded" : digest; }

// Shards recorded with different parameter values (a --set given to one and not the others)
// are different runs: "; the parameters' values differ: alpha is 0.3 in shard 1/3, 0.4 in
// shard 2/3" (each shard named as ShardLabel does). Files without the record pass.
void RequireSameBase(const BaseValues& a, const Shard& sa, const BaseValues& b, const Shard& sb, std::size_t i,
                     const std::vector<std::string>& names, const std::string& what) {
  if (a.empty() || b.empty() || a == b) return;
  const std::string la = ShardLabel(names, 0, sa), lb = ShardLabel(names, i, sb);
  std::string detail = "their parameters differ (" + la + " and " + lb + ")";
  if (a.size() == b.size()) {
    for (std::size_t p = 0; p < a.size(); ++p)
      if (a[p] != b[p]) {
        detail = a[p].first == b[p].first
                     ? a[p].first + " is " + FormatDouble(a[p].second) + " in " + la + " and " +
                           FormatDouble(b[p].second) + " in " + lb + " (--set)"
                     : "parameter " + std::to_string(p + 1) + " is " + a[p].first + " in " + la + " and " +
                           b[p].first + " in " + lb;
        break;
      }
  }
  throw Error("these shards come from different " + what + ": " + detail);
}

}  // namespace

MonteCarloResult MergeMonteCarlo(std::vector<MonteCarloResult> shards, const std::vector<std::string>& names) {
  if (shards.empty()) throw Error("nothing to merge");
  MonteCarloResult out;
  out.seed = shards[0].seed;
  out.requested = shards[0].requested;
  out.base = shards[0].base;
  out.value_names = shards[0].value_names;
  out.drawn_names = shards[0].drawn_names;
  out.input_digest = shards[0].input_digest;
  std::size_t count = shards[0].shard.count;
  ShardChecklist given(count, names);
  KeyFormats formats(names);
  std::unordered_map<std::string, std::uint32_t> ids;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    auto& s = shards[i];
    auto differ = [&](const std::string& what, const std::string& first, const std::string& other) {
      DifferentRuns("Monte Carlo runs", what, first, other, names, shards[0].shard, i, s.shard);
    };
    if (s.seed != out.seed) differ("the seed is", std::to_string(out.seed), std::to_string(s.seed));
    if (s.requested != out.requested)
      differ("the number of samples is", std::to_string(out.requested), std::to_string(s.requested));
    if (s.shard.count != count) differ("the number of shards is", std::to_string(count), std::to_string(s.shard.count));
    if (s.value_names != out.value_names) differ("the values are", Words(out.value_names), Words(s.value_names));
    if (s.input_digest != out.input_digest) differ(kDigestDiffers, DigestText(out.input_digest), DigestText(s.input_digest));
    // (A parameter --set in one shard and drawn in another: the --set value is the first
    // difference named.)
    RequireSameBase(shards[0].base, shards[0].shard, s.base, s.shard, i, names, "Monte Carlo runs");
    if (s.drawn_names != out.drawn_names)
      differ("the parameters drawn are", Words(out.drawn_names), Words(s.drawn_names));
    given.Add(s.shard, i);
    for (const auto& key : s.outcome_keys) formats.Add(key, i, s.shard);
    out.interrupted = out.interrupted || s.interrupted;
    for (auto& sample : s.samples) {
      const std::string& key = s.outcome_keys[sample.outcome];
      auto [it, inserted] = ids.emplace(key, static_cast<std::uint32_t>(out.outcomes.size()));
      if (inserted) {
        out.outcomes.push_back(s.outcomes[sample.outcome]);
        out.outcome_keys.push_back(key);
      }
      sample.outcome = it->second;
      out.samples.push_back(std::move(sample));
    }
  }
  given.RequireAll();
  // Outcome names in order of first sample index, as a single run lists them.
  std::sort(out.samples.begin(), out.samples.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  std::vector<std::uint32_t> remap(out.outcomes.size(), UINT32_MAX);
  std::vector<std::string> ordered, ordered_keys;
  for (auto& sample : out.samples) {
    if (remap[sample.outcome] == UINT32_MAX) {
      remap[sample.outcome] = static_cast<std::uint32_t>(ordered.size());
      ordered.push_back(out.outcomes[sample.outcome]);
      ordered_keys.push_back(out.outcome_keys[sample.outcome]);
    }
    sample.outcome = remap[sample.outcome];
  }
  out.outcomes = std::move(ordered);
  out.outcome_keys = std::move(ordered_keys);
  DistinguishOutcomeNames(&out.outcomes);
  Summarise(out);
  return out;
}

SweepResult MergeSweeps(std::vector<SweepResult> shards, const std::vector<std::string>& names) {
  if (shards.empty()) throw Error("nothing to merge");
  SweepResult out;
  out.axes = shards[0].axes;
  out.base = shards[0].base;
  out.value_names = shards[0].value_names;
  out.input_digest = shards[0].input_digest;
  out.total = shards[0].total;
  std::size_t count = shards[0].shard.count;
  ShardChecklist given(count, names);
  KeyFormats formats(names);
  // "power=0:1:37 x delta=0.5:0.9:5"
  auto axes_text = [](const std::vector<Axis>& axes) {
    std::string text;
    for (const auto& a : axes)
      text += (text.empty() ? "" : " x ") + a.name + "=" + (a.lo_written.empty() ? FormatDouble(a.lo) : a.lo_written) +
              ":" + (a.hi_written.empty() ? FormatDouble(a.hi) : a.hi_written) + ":" + std::to_string(a.n);
    return text.empty() ? std::string("none") : text;
  };
  for (std::size_t i = 0; i < shards.size(); ++i) {
    auto& s = shards[i];
    auto differ = [&](const std::string& what, const std::string& first, const std::string& other) {
      DifferentRuns("sweeps", what, first, other, names, shards[0].shard, i, s.shard);
    };
    bool same_axes = s.axes.size() == out.axes.size();
    for (std::size_t a = 0; same_axes && a < s.axes.size(); ++a)
      same_axes = s.axes[a].name == out.axes[a].name && s.axes[a].lo == out.axes[a].lo &&
                  s.axes[a].hi == out.axes[a].hi && s.axes[a].n == out.axes[a].n &&
                  s.axes[a].lo_written == out.axes[a].lo_written && s.axes[a].hi_written == out.axes[a].hi_written;
    if (!same_axes) differ("the grid is", axes_text(out.axes), axes_text(s.axes));
    if (s.total != out.total)
      differ("the number of grid points is", std::to_string(out.total), std::to_string(s.total));
    if (s.shard.count != count) differ("the number of shards is", std::to_string(count), std::to_string(s.shard.count));
    if (s.value_names != out.value_names) differ("the values are", Words(out.value_names), Words(s.value_names));
    if (s.input_digest != out.input_digest) differ(kDigestDiffers, DigestText(out.input_digest), DigestText(s.input_digest));
    RequireSameBase(shards[0].base, shards[0].shard, s.base, s.shard, i, names, "sweeps");
    given.Add(s.shard, i);
    for (const auto& p : s.points) formats.Add(p.observation.Identity(), i, s.shard);
    out.interrupted = out.interrupted || s.interrupted;
    for (auto& p : s.points) out.points.push_back(std::move(p));
  }
  given.RequireAll();
  std::sort(out.points.begin(), out.points.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  return out;
}

}  // namespace parley::analysis
