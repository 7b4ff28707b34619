// Reproducible random numbers for Monte Carlo: sample i of a run with seed s draws from its
// own stream, seeded from (s, i) by SplitMix64, so results do not depend on how samples are
// split between threads or shards. The generator is xoshiro256** (Blackman and Vigna 2018),
// a small, fast generator with 256 bits of state.
//
// Every draw from a distribution is the inverse of its CDF applied to one uniform from this
// generator (quantiles from Boost.Math, evaluated in double precision): <random>'s
// distributions are not used, because the standard leaves their algorithms to each library
// (libstdc++ and libc++ draw different gamma variates from the same bits). A run is then
// reproducible on any standard library; what remains platform-dependent is the last bits of
// the quantile functions, which follow the build's compiler and libm (docs/scaling.md).
#pragma once

#include <cstdint>
#include <limits>

namespace parley::analysis {

inline std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Xoshiro256 {
 public:
  using result_type = std::uint64_t;
  // The stream of sample `index` in a run seeded with `seed`.
  Xoshiro256(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t state = seed ^ (index * 0xd1b54a32d192ed03ULL);
    for (auto& word : s_) word = SplitMix64(state);
  }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // A double uniform in [0, 1), from the top 53 bits.
  double Uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  // A double uniform in (0, 1): the midpoints of the same 2^53 cells, so that a quantile
  // function is never asked for the infinite ends.
  double UniformOpen() { return (static_cast<double>((*this)() >> 11) + 0.5) * 0x1.0p-53; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// Quantile functions (inverse CDFs), from Boost.Math with doubles throughout (no promotion to
// long double, whose width differs between platforms). p in (0, 1); p = 0 or 1 gives the
// infinite or finite end of the support.
double NormalQuantile(double p);                          // standard normal
double BetaQuantile(double alpha, double beta, double p); // on [0, 1]

// The normal(mean, sd) truncated to [lo, hi] (either may be infinite), drawn by inversion from
// one uniform u in (0, 1); the tail nearer the window is used, so that a window far out in
// one tail keeps its precision.
double TruncatedNormalByInversion(double mean, double sd, double lo, double hi, double u);

}  // namespace parley::analysis
