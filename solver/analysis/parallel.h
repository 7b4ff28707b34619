// Runs f(i) for i in [0, n) on several threads, each result stored at its own index, so the
// output never depends on the thread count. Stops early (keeping what is done) when the
// cancel flag is raised, e.g. by Ctrl-C. Shows a progress bar on a terminal.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>

namespace parley::analysis {

struct ParallelOptions {
  int threads = 0;                          // 0: one per core
  const std::atomic<bool>* cancel = nullptr;
  bool progress = false;                    // draw a bar on standard error (when a terminal)
  std::string progress_label = "solving";
};

// `make_worker` is called once per thread and returns that thread's work function (so each
// thread can own state that is not thread-safe, e.g. a compiled scenario). Returns the number
// of indices completed: n, or fewer when cancelled; done[i] tells which (may be null).
std::size_t ParallelFor(std::size_t n,
                        const std::function<std::function<void(std::size_t)>()>& make_worker,
                        const ParallelOptions& options, std::vector<char>* done = nullptr);

// Installs a SIGINT handler that raises the returned flag (the first Ctrl-C asks for a clean
// stop; a second one ends the program at once).
const std::atomic<bool>* InstallInterruptFlag();

}  // namespace parley::analysis
