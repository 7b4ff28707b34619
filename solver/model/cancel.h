// Cancelling long computations from outside: a caller (the Python module on Ctrl-C) installs a
// flag for the current thread with CancelScope and raises it from another thread; long loops
// of the library (backward induction, the logit tracer, Lemke's pivots, the .efg reader, the
// scenario expansion, the strategic form) poll it every few thousand steps with CancelPoll and
// stop by throwing Cancelled, which no one in the library catches. Without a scope a poll
// costs a counter increment and, every kEvery calls, one thread-local load.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>

namespace parley {

// The work was cancelled through the flag of a CancelScope. Not a parley::Error: nothing is
// wrong with the input, and the library's handlers of errors must let it through.
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "cancelled"; }
};

namespace model {

namespace detail {
inline thread_local const std::atomic<bool>* cancel_flag = nullptr;
}  // namespace detail

// Makes `flag` the current thread's cancel flag while the scope lives (nesting restores the
// previous one). Threads started by the work do not inherit it.
class CancelScope {
 public:
  explicit CancelScope(const std::atomic<bool>* flag) : previous_(detail::cancel_flag) {
    detail::cancel_flag = flag;
  }
  ~CancelScope() { detail::cancel_flag = previous_; }
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  const std::atomic<bool>* previous_;
};

// The current thread's flag (null without a scope), for handing to work on other threads
// (analysis::RunOptions::cancel), which do not inherit the scope.
inline const std::atomic<bool>* CurrentCancelFlag() { return detail::cancel_flag; }

inline bool CancelRequested() {
  const std::atomic<bool>* flag = detail::cancel_flag;
  return flag != nullptr && flag->load(std::memory_order_relaxed);
}

// Throws Cancelled when the current thread's flag is raised.
inline void ThrowIfCancelled() {
  if (CancelRequested()) throw Cancelled();
}

// A loop's poll: call it once per step; every kEvery-th call checks the flag.
class CancelPoll {
 public:
  static constexpr std::uint32_t kEvery = 4096;
  void operator()() {
    if (++count_ == kEvery) {
      count_ = 0;
      ThrowIfCancelled();
    }
  }

 private:
  std::uint32_t count_ = 0;
};

}  // namespace model
}  // namespace parley
