#include "solver/analysis/parallel.h"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "solver/io/files.h"

namespace parley::analysis {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void OnInterrupt(int) {
  if (g_interrupted.exchange(true)) {
    io::RemoveTemporaries();  // a second Ctrl-C during an output write leaves no temporary
    std::_Exit(130);
  }
}

void DrawBar(const std::string& label, std::size_t done, std::size_t n, bool final) {
  const int width = 30;
  int filled = n ? static_cast<int>(width * done / n) : width;
  std::string bar(filled, '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "\r%s [%s] %zu/%zu", label.c_str(), bar.c_str(), done, n);
  if (final) std::fprintf(stderr, "\r%*s\r", static_cast<int>(label.size() + width + 30), "");
  std::fflush(stderr);
}

}  // namespace

const std::atomic<bool>* InstallInterruptFlag() {
  std::signal(SIGINT, OnInterrupt);
  return &g_interrupted;
}

std::size_t ParallelFor(std::size_t n,
                        const std::function<std::function<void(std::size_t)>()>& make_worker,
                        const ParallelOptions& options, std::vector<char>* done) {
  if (done) done->assign(n, 0);
  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (static_cast<std::size_t>(threads) > n) threads = static_cast<int>(std::max<std::size_t>(n, 1));
  const std::size_t chunk = std::max<std::size_t>(1, std::min<std::size_t>(256, n / (threads * 16) + 1));
  std::atomic<std::size_t> next{0}, completed{0};
  // The failure at the lowest index wins, whatever the thread timing: after a failure at index
  // f, workers still finish every index below f (one of them may fail too and take over) and
  // skip the rest, so the exception reported is the one a single thread would have met first.
  // `first_failure` is read without the lock; the exception itself only under it.
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::atomic<std::size_t> first_failure{kNone};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto stop_before = [&](std::size_t i) {
    return (options.cancel && options.cancel->load()) || i > first_failure.load();
  };
  auto body = [&] {
    std::size_t i = 0;
    try {
      auto work = make_worker();
      for (;;) {
        std::size_t start = next.fetch_add(chunk);
        if (start >= n || stop_before(start)) return;
        std::size_t end = std::min(n, start + chunk);
        for (i = start; i < end; ++i) {
          if (stop_before(i)) return;
          work(i);
          if (done) (*done)[i] = 1;
          completed.fetch_add(1, std::memory_order_relaxed);
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (i < first_failure.load()) {
        error = std::current_exception();
        first_failure.store(i);
      }
    }
  };
  auto cancelled = [&] {
    return (options.cancel && options.cancel->load()) || first_failure.load() != kNone;
  };
  bool bar = options.progress && ::isatty(STDERR_FILENO);
  // Threads the system refuses (far more asked for than it allows) are done without: the
  // work is shared among those that started, this one included, with the same results.
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(body);
    } catch (const std::system_error&) {
      break;
    }
  }
  std::optional<std::thread> worker;
  if (bar) {
    try {
      worker.emplace(body);
    } catch (const std::system_error&) {
      bar = false;
    }
  }
  if (bar) {
    // This thread draws the bar and works in between.
    auto start = std::chrono::steady_clock::now();
    bool shown = false;
    while (completed.load() < n && !cancelled()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!shown && std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500)) continue;
      shown = true;
      DrawBar(options.progress_label, completed.load(), n, false);
    }
    worker->join();
    if (shown) DrawBar(options.progress_label, completed.load(), n, true);
  } else {
    body();
  }
  for (auto& t : pool) t.join();
  // Every thread has been joined: `error` is no longer written by anyone.
  if (error) std::rethrow_exception(error);
  return completed.load();
}

}  // namespace parley::analysis
