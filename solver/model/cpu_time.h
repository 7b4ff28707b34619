// Processor time of the calling thread, for time guards that should count work done rather
// than the wall clock (a loaded machine must not cut a computation short) and for reporting
// where a request's time went.
#pragma once

#include <ctime>

namespace parley::model {

// Seconds of processor time used by the calling thread, from some fixed point (take
// differences).
inline double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace parley::model
