// Heap allocations made by the calling thread, counted by a replacement of the global
// operator new in allocation_counter.cc. A program that links that file counts every
// allocation it makes (tests/allocation's runner, bench/scenario_eval_bench); others must not
// link it.
#pragma once

#include <cstddef>

namespace parley::testing {

// How many times this thread has called operator new so far.
std::size_t ThreadAllocations();

}  // namespace parley::testing
