// ParallelFor: every index done once, the first failure (lowest index) reported whatever the
// timing, cancellation keeps what was done. Run under ThreadSanitizer by scripts/sanitize.sh.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "solver/analysis/parallel.h"

namespace parley::analysis {
namespace {

TEST_SUITE("parallel") {
  TEST_CASE("each index runs exactly once, on any number of threads") {
    for (int threads : {1, 2, 3, 8}) {
      const std::size_t n = 10'000;
      std::vector<std::atomic<int>> hits(n);
      ParallelOptions options;
      options.threads = threads;
      std::size_t completed = ParallelFor(
          n, [&] { return [&](std::size_t i) { hits[i].fetch_add(1); }; }, options);
      CHECK(completed == n);
      int wrong = 0;
      for (auto& h : hits) wrong += h.load() != 1;
      CHECK(wrong == 0);
    }
  }

  TEST_CASE("the failure at the lowest index wins, whatever the timing") {
    // Index 37 fails slowly and the multiples of 101 from 4040 at once: another thread
    // usually meets 4040 first, yet a single thread would meet 37 first, so every run
    // on any number of threads must report 37 (the old code reported whichever came first).
    for (int run = 0; run < 12; ++run) {
      ParallelOptions options;
      options.threads = 2 + run % 5;
      std::string reported;
      try {
        ParallelFor(
            5000,
            [&] {
              return [](std::size_t i) {
                if (i == 37) {
                  std::this_thread::sleep_for(std::chrono::milliseconds(30));
                  throw std::runtime_error("37");
                }
                if (i >= 4000 && i % 101 == 0) throw std::runtime_error(std::to_string(i));
              };
            },
            options);
      } catch (const std::runtime_error& e) {
        reported = e.what();
      }
      CHECK(reported == "37");
    }
  }

  TEST_CASE("indices below the failure are all done") {
    ParallelOptions options;
    options.threads = 4;
    std::vector<char> done;
    CHECK_THROWS_AS(ParallelFor(
                        1000, [&] { return [](std::size_t i) { if (i == 600) throw std::logic_error("x"); }; },
                        options, &done),
                    std::logic_error);
    int missing = 0;
    for (std::size_t i = 0; i < 600; ++i) missing += done[i] == 0;
    CHECK(missing == 0);
    CHECK(done[600] == 0);
  }

  TEST_CASE("a raised cancel flag stops early and reports what was done") {
    std::atomic<bool> cancel{false};
    ParallelOptions options;
    options.threads = 3;
    options.cancel = &cancel;
    std::atomic<int> ran{0};
    std::vector<char> done;
    std::size_t completed = ParallelFor(
        100'000,
        [&] {
          return [&](std::size_t) {
            if (ran.fetch_add(1) == 500) cancel.store(true);
          };
        },
        options, &done);
    CHECK(completed < 100'000);
    std::size_t marked = 0;
    for (char d : done) marked += d != 0;
    CHECK(marked == completed);
  }
}

}  // namespace
}  // namespace parley::analysis
