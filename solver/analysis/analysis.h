// Sensitivity analysis of any model with numeric parameters: grid sweeps (one or two
// parameters), exact switching values (thresholds) by bisection, and Monte Carlo over
// uncertain parameters. The model is a black box that maps parameter values to an
// Observation: a discrete outcome (e.g. the equilibrium path and the agreement's structure)
// and named numbers (payoffs, agreed issue values). Scenario files are one such model.
//
// Everything is deterministic: results are stored by grid or sample index, each Monte Carlo
// sample draws from its own random stream (analysis/random.h), so the output is the same
// whatever the number of threads or shards (--shard K/N), and shards merge into exactly the
// single run's result.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "solver/analysis/random.h"
#include "solver/formula/distribution.h"

namespace parley::analysis {

struct Observation {
  std::string outcome;         // what happened, in words
  std::vector<double> values;  // one per Model::value_names; NaN where a value does not exist
  // What happened as structure (for a scenario: the path's supports and the agreements'
  // packages): equal keys = same outcome. Empty: the words are the key.
  std::string key;
  const std::string& Identity() const { return key.empty() ? outcome : key; }
};

// A scenario's outcome keys (scenario_model.h) begin with this tag, the format they are in:
// information sets named by where play reaches them. Keys written before it (in result files
// of earlier versions) named the sets by their numbers, which moves off the path change, or
// were the words themselves; the two are never compared (MergeMonteCarlo, MergeSweeps).
inline constexpr std::string_view kOutcomeKeyTag = "v2";
// Whether `key` is in that format: the tag alone or followed by ";" or "|".
bool HasCurrentKeyFormat(std::string_view key);
// Two outcomes that differ in structure can read the same (an action at another position
// under the same label): the later ones in `outcomes` get " [2]", " [3]", so that every name
// in a table, a chart or a data frame's categories tells one outcome.
void DistinguishOutcomeNames(std::vector<std::string>* outcomes);
// An outcome's words without the remarks " (KKT point)" and " (best found)" that end a
// bargaining step's words: they say how one point's agreement was found, and another point
// with the same outcome may have none. Tables name outcomes by these words.
std::string OutcomeWords(std::string words);

// How a parameter varies in Monte Carlo (the scenario file's `distribution:`).
using formula::Distribution;

struct Model {
  std::vector<std::string> parameter_names;
  std::vector<double> base_values;              // the values in force
  std::vector<std::optional<double>> min, max;  // the ranges a sweep may use
  std::vector<Distribution> distributions;      // kFixed for parameters that do not vary
  std::vector<std::string> value_names;
  // What the model was made from, when it matters that two runs used the same (a scenario:
  // its text's digest, in hex); results record it and merging refuses shards that differ.
  std::string input_digest;
  // Returns a function for one thread (it may own state that is not thread-safe).
  std::function<std::function<Observation(const std::vector<double>&)>()> make_evaluator;
  // Optional: how evaluations that vary these parameters (indices) are computed, in one line
  // (a scenario: compiled once, or a full expansion per point and why); for --verbose.
  std::function<std::string(const std::vector<std::size_t>& varied)> describe_evaluation;

  // Index of a parameter by name; throws parley::Error with the known names otherwise.
  std::size_t ParameterIndex(const std::string& name) const;
};

struct Shard {
  std::size_t index = 0;  // 0-based (the command line's K/N is 1-based)
  std::size_t count = 1;
  bool Owns(std::size_t i) const { return i % count == index; }
  // How many of the indices 0 .. total - 1 this shard owns.
  std::size_t OwnedOf(std::size_t total) const { return total / count + (index < total % count ? 1 : 0); }
};
// Parses "K/N" (1 <= K <= N); throws parley::Error.
Shard ParseShard(const std::string& text);

// Grid points or samples one run keeps in memory (every row is kept for the output); larger
// runs are split with --shard.
inline constexpr std::size_t kMaxRowsInMemory = 20'000'000;
// And numbers (rows times their values and drawn parameters) one Monte Carlo run keeps: 3.2 GB.
inline constexpr double kMaxCellsInMemory = 4e8;
// Samples in a whole Monte Carlo run (over all its shards).
inline constexpr std::size_t kMaxSamples = 1'000'000'000;

struct RunOptions {
  int threads = 0;  // 0: one per core
  const std::atomic<bool>* cancel = nullptr;
  bool progress = false;
  Shard shard;
  // Monte Carlo: keep each sample's drawn parameters (MonteCarloSample::drawn), which the
  // per-sample outputs show (CSV, JSON, Python); a summary alone does without them.
  bool keep_drawn = true;
};

// ---- Sweeps --------------------------------------------------------------------------
struct Axis {
  std::string name;
  std::size_t parameter = 0;
  double lo = 0, hi = 1;
  std::size_t n = 11;
  // LO and HI as written where that is another number than the shortest decimal of the
  // double (a fraction, "1/3", or a decimal of more digits than a double holds); else empty.
  std::string lo_written, hi_written;
  // The i-th of n evenly spaced points: LO and HI (the doubles) exactly at the ends, and in
  // between the double nearest to the point computed exactly from LO and HI as written
  // (0.05:0.95:5's middle point is 0.5, not 0.49999999999999994 as in doubles, so a switch at
  // p >= 0.5 is where the row printed as 0.5 says; 1/3:2/3:4's second point is the double
  // nearest 5/9), never past HI.
  double At(std::size_t i) const;
};
// Parses "NAME=LO:HI:N" (N >= 2, or N omitted when `default_n` > 0); checks the model's
// range. Throws parley::Error.
Axis ParseAxis(const Model& model, const std::string& text, std::size_t default_n = 0);
// The same text's form alone, without a model (the command line checks it while reading its
// options): name, LO < HI and N; `parameter` is left 0. Throws parley::Error.
Axis ParseAxisText(const std::string& text, std::size_t default_n = 0);

struct SweepPoint {
  std::size_t index = 0;     // position in the grid (first axis slowest)
  std::vector<double> x;     // one value per axis
  Observation observation;
};
// The parameters' values a run started from (the file's, with --set): shards of one run have
// the same. Empty in files written before it was recorded.
using BaseValues = std::vector<std::pair<std::string, double>>;
BaseValues BaseValuesOf(const Model& model);

struct SweepResult {
  std::vector<Axis> axes;
  std::vector<std::string> value_names;
  BaseValues base;
  std::string input_digest;    // Model::input_digest
  std::size_t total = 0;       // grid points in the whole grid
  Shard shard;
  bool interrupted = false;    // stopped early; `points` holds what was done
  std::vector<SweepPoint> points;  // by index
};
SweepResult RunSweep(const Model& model, const std::vector<Axis>& axes, const RunOptions& options);
// Each point's outcome as tables and charts name it: the words, made distinct where two
// outcomes that differ in structure read the same (DistinguishOutcomeNames, in the order the
// points first meet them). The JSON keeps the words and the key, from which this is computed.
// With `point_remarks`, each row in its point's own words (with "(KKT point)" or "(best
// found)" where that point's agreement was found so); without, every row of an outcome named
// alike, without them (charts, whose regions are outcomes).
std::vector<std::string> SweepOutcomeNames(const SweepResult& result, bool point_remarks = true);

// ---- Thresholds ----------------------------------------------------------------------
struct Threshold {
  std::string parameter;
  double value = 0;          // the switching value, within `tolerance` / 2 (the middle of lo, hi)
  double lo = 0, hi = 0;     // final bracket: outcome `below` at lo, `above` at hi
  std::string below, above;          // the outcomes in words
  std::string below_key, above_key;  // and as Observation::Identity()
  // The 64th switch found between two grid points: the search of the rest of that interval
  // stopped there, so more switches may lie between `hi` and the next grid point (an outcome
  // that changes at almost every value: a finer grid or a narrower range shows them).
  bool search_stopped = false;
};
// Evaluates a grid of axis.n points, then bisects every interval whose ends differ until it
// is narrower than `tolerance`; when the outcome found above a switch is not the one at the
// interval's top, the rest of the interval is searched again, so several switches between two
// grid points are all found as long as the outcomes met on the way differ from the top one (an
// outcome that leaves and comes back between two grid points, A B A, shows as no change: a
// finer grid finds it). At most 64 switches per interval: the 64th says so (search_stopped). An outcome met only on a stretch
// narrower than `tolerance` (a single point where two options tie exactly) is not reported as
// a region of its own: the switches around it are one, whose bracket runs from the last point
// below the stretch to the first above it (each found to the last double). Every bracket is
// at most `tolerance` wide, so `value`, its middle, lies within tolerance/2 of the switch.
std::vector<Threshold> FindThresholds(const Model& model, const Axis& axis, double tolerance,
                                      const RunOptions& options, bool* interrupted = nullptr);

// ---- Monte Carlo ---------------------------------------------------------------------
struct MonteCarloSample {
  std::uint64_t index = 0;
  std::uint32_t outcome = 0;  // into MonteCarloResult::outcomes
  std::vector<double> values;
  std::vector<double> drawn;  // the drawn parameters' values (MonteCarloResult::drawn_names)
};
struct Quantiles {
  std::size_t count = 0;  // samples where the value exists (finite); the rest are NaN
  // All NaN when count is 0; sd (the sample standard deviation, over count - 1) NaN when it is 1.
  double mean = 0, sd = 0, min = 0, q05 = 0, q25 = 0, median = 0, q75 = 0, q95 = 0, max = 0;
};
struct OutcomeShare {
  std::string outcome;
  std::size_t count = 0;
  double probability = 0, ci_low = 0, ci_high = 0;  // 95 % Wilson score interval
};
struct MonteCarloResult {
  std::uint64_t seed = 0;
  std::size_t requested = 0;  // samples in the whole run
  BaseValues base;
  std::string input_digest;  // Model::input_digest
  Shard shard;
  bool interrupted = false;
  std::vector<std::string> value_names;
  // The parameters drawn (a distribution, not held by --set), in the file's order: each
  // sample's `drawn` holds their values, so that a sample can be reproduced alone (--set) and
  // the outcomes read against the assumptions that led to them.
  std::vector<std::string> drawn_names;
  // Distinct outcomes (by Observation::Identity()), in order of first sample index: their
  // words, and their identities.
  std::vector<std::string> outcomes;
  std::vector<std::string> outcome_keys;
  std::vector<MonteCarloSample> samples;  // by index
  // Filled by Summarise():
  std::vector<OutcomeShare> shares;  // most frequent first
  std::vector<OutcomeShare> class_shares;  // by OutcomeClass of the outcome, most frequent first
  std::vector<Quantiles> value_stats;
};
MonteCarloResult RunMonteCarlo(const Model& model, std::size_t samples, std::uint64_t seed,
                               const RunOptions& options);
// The quantile of a distribution at p in (0, 1) (the inverse CDF; for a discrete
// distribution the least value whose cumulative weight reaches p). Throws parley::Error
// for a fixed distribution.
double DistributionQuantile(const Distribution& d, double p);
// Draws one value of a distribution (kFixed gives `base`): the quantile at a uniform draw for
// the continuous kinds, the values in the file's order for a discrete one.
double Draw(const Distribution& d, double base, Xoshiro256& rng);
// An outcome's class: the path of moves alone, without where each issue of an agreement
// lands. The words of a scenario's outcome (scenario_model.h) are the moves, then " | stage:
// terms" for each bargaining step reached; the class keeps the moves, each step's stage, whether
// an agreement was possible there and the moves after it ("; then review = clear"):
// "OpenAI ask > Microsoft grant | deal: agreement". Words without " | " are their own class.
std::string OutcomeClass(const std::string& outcome);
// Recomputes shares and statistics from the samples (in index order, so that merged shards
// give exactly the single run's numbers).
void Summarise(MonteCarloResult& result);
// Combines shards of one run (same seed and size); throws parley::Error when they do not fit
// together (different runs, with the first difference; a shard missing or given twice).
// `names` (optional, one per shard: its file) name the shards in those messages, each with
// its K/N: "p is 0.5 in a.json (shard 1/2) and 0.9 in b.json (shard 2/2)"; without them a shard is
// only "shard K/N".
MonteCarloResult MergeMonteCarlo(std::vector<MonteCarloResult> shards, const std::vector<std::string>& names = {});
SweepResult MergeSweeps(std::vector<SweepResult> shards, const std::vector<std::string>& names = {});

}  // namespace parley::analysis
