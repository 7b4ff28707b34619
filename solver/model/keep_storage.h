// Resizing and assigning vectors of vectors without giving their elements' storage back to
// the heap: for working storage kept across evaluations (sweeps, Monte Carlo draws) whose
// lengths move from one evaluation to the next, so that the steady state allocates nothing.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace parley::model {

// Resizes `v` to `n` elements: the elements it drops move to `spare`, and those it gains come
// from `spare` first (in an unspecified state, to be written over), so that their storage
// survives. Plain resizing would free the inner vectors on the way down and allocate them
// again on the way up. `spare` itself grows only to the largest surplus seen.
template <class T>
void ResizeKeeping(std::vector<T>& v, std::size_t n, std::vector<T>& spare) {
  while (v.size() > n) {
    spare.push_back(std::move(v.back()));
    v.pop_back();
  }
  while (v.size() < n) {
    if (spare.empty()) {
      v.emplace_back();
    } else {
      v.push_back(std::move(spare.back()));
      spare.pop_back();
    }
  }
}

// `to = from`, the storage of `to`'s elements kept as ResizeKeeping keeps it (each element
// copy-assigned, which reuses its capacity).
template <class T>
void AssignKeeping(std::vector<T>& to, const std::vector<T>& from, std::vector<T>& spare) {
  ResizeKeeping(to, from.size(), spare);
  for (std::size_t i = 0; i < from.size(); ++i) to[i] = from[i];
}

}  // namespace parley::model
