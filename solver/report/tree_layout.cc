#include "solver/report/tree_layout.h"

#include <algorithm>
#include <limits>

#include "solver/model/error.h"

namespace parley::report {

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

// The working state of Buchheim, Jünger and Leipert's algorithm, one entry per node. The names
// follow the paper: prelim (preliminary position), mod (modifier of the subtree below), thread
// (the next node on a contour, for nodes without children), ancestor, and change/shift (the
// deferred spreading of the subtrees between two that were moved apart).
class Walker {
 public:
  Walker(const TidyTree& tree, const TidyOptions& options)
      : t_(tree),
        o_(options),
        prelim_(tree.size(), 0),
        mod_(tree.size(), 0),
        shift_(tree.size(), 0),
        change_(tree.size(), 0),
        thread_(tree.size(), kNone),
        ancestor_(tree.size()),
        number_(tree.size(), 0) {
    for (std::uint32_t v = 0; v < tree.size(); ++v) {
      ancestor_[v] = v;
      for (std::uint32_t k = 0; k < tree.num_children(v); ++k) number_[tree.children[tree.rowstart[v] + k]] = k;
    }
  }

  std::vector<double> Run() {
    const std::uint32_t n = t_.size();
    std::vector<double> x(n, 0);
    if (n == 0) return x;
    // First walk, bottom-up: in reverse preorder every child comes before its parent. What
    // depends on a node's left sibling is done at the parent, child by child from the left,
    // in the order the recursive formulation does it.
    std::vector<double> midpoint(n, 0);
    for (std::uint32_t v = n; v-- > 0;) {
      std::uint32_t k = t_.num_children(v);
      if (k == 0) continue;
      std::uint32_t default_ancestor = Child(v, 0);
      for (std::uint32_t i = 0; i < k; ++i) {
        std::uint32_t w = Child(v, i);
        bool leaf = t_.num_children(w) == 0;
        if (i == 0) {
          prelim_[w] = leaf ? 0 : midpoint[w];
        } else {
          std::uint32_t left = Child(v, i - 1);
          prelim_[w] = prelim_[left] + Separation(left, w);
          if (!leaf) mod_[w] = prelim_[w] - midpoint[w];
        }
        default_ancestor = Apportion(w, default_ancestor);
      }
      ExecuteShifts(v);
      midpoint[v] = (prelim_[Child(v, 0)] + prelim_[Child(v, k - 1)]) / 2;
    }
    prelim_[0] = t_.num_children(0) == 0 ? 0 : midpoint[0];
    // Second walk, top-down: a node's position is its preliminary one plus the modifiers of
    // its ancestors.
    std::vector<double> modsum(n, 0);
    for (std::uint32_t v = 0; v < n; ++v) {
      if (v != 0) {
        std::uint32_t p = t_.parent[v];
        PARLEY_CHECK(p < v);
        modsum[v] = modsum[p] + mod_[p];
      }
      x[v] = prelim_[v] + modsum[v];
    }
    double low = std::numeric_limits<double>::infinity();
    for (std::uint32_t v = 0; v < n; ++v) low = std::min(low, x[v] - t_.before[v]);
    for (double& value : x) value -= low;
    return x;
  }

 private:
  std::uint32_t Child(std::uint32_t v, std::uint32_t k) const { return t_.children[t_.rowstart[v] + k]; }
  std::uint32_t NextLeft(std::uint32_t v) const { return t_.num_children(v) ? Child(v, 0) : thread_[v]; }
  std::uint32_t NextRight(std::uint32_t v) const {
    std::uint32_t k = t_.num_children(v);
    return k ? Child(v, k - 1) : thread_[v];
  }
  // Least distance between the positions of `left` and `right`, neighbours on one row.
  double Separation(std::uint32_t left, std::uint32_t right) const {
    double gap = t_.parent[left] == t_.parent[right] ? o_.sibling_gap : o_.subtree_gap;
    return t_.after[left] + gap + t_.before[right];
  }

  // Pushes the subtree of v right until it clears the subtrees of its left siblings on every
  // row, comparing the right contour of those with the left contour of v's.
  std::uint32_t Apportion(std::uint32_t v, std::uint32_t default_ancestor) {
    std::uint32_t p = t_.parent[v];
    if (number_[v] == 0) return default_ancestor;
    std::uint32_t w = Child(p, number_[v] - 1);
    std::uint32_t vip = v, vop = v, vim = w, vom = Child(p, 0);
    double sip = mod_[vip], sop = mod_[vop], sim = mod_[vim], som = mod_[vom];
    while (NextRight(vim) != kNone && NextLeft(vip) != kNone) {
      vim = NextRight(vim);
      vip = NextLeft(vip);
      vom = NextLeft(vom);
      vop = NextRight(vop);
      ancestor_[vop] = v;
      double shift = (prelim_[vim] + sim) + Separation(vim, vip) - (prelim_[vip] + sip);
      if (shift > 0) {
        std::uint32_t a = t_.parent[ancestor_[vim]] == p ? ancestor_[vim] : default_ancestor;
        MoveSubtree(a, v, shift);
        sip += shift;
        sop += shift;
      }
      sim += mod_[vim];
      sip += mod_[vip];
      som += mod_[vom];
      sop += mod_[vop];
    }
    if (NextRight(vim) != kNone && NextRight(vop) == kNone) {
      thread_[vop] = NextRight(vim);
      mod_[vop] += sim - sop;
    }
    if (NextLeft(vip) != kNone && NextLeft(vom) == kNone) {
      thread_[vom] = NextLeft(vip);
      mod_[vom] += sip - som;
      default_ancestor = v;
    }
    return default_ancestor;
  }

  // Moves the subtree of wp right by `shift` and records that the subtrees between wm and wp
  // are to be spread evenly (done later by ExecuteShifts, which keeps the whole linear).
  void MoveSubtree(std::uint32_t wm, std::uint32_t wp, double shift) {
    double subtrees = static_cast<double>(number_[wp] - number_[wm]);
    change_[wp] -= shift / subtrees;
    shift_[wp] += shift;
    change_[wm] += shift / subtrees;
    prelim_[wp] += shift;
    mod_[wp] += shift;
  }

  void ExecuteShifts(std::uint32_t v) {
    double shift = 0, change = 0;
    for (std::uint32_t k = t_.num_children(v); k-- > 0;) {
      std::uint32_t w = Child(v, k);
      prelim_[w] += shift;
      mod_[w] += shift;
      change += change_[w];
      shift += shift_[w] + change;
    }
  }

  const TidyTree& t_;
  const TidyOptions& o_;
  std::vector<double> prelim_, mod_, shift_, change_;
  std::vector<std::uint32_t> thread_, ancestor_, number_;
};

}  // namespace

std::vector<double> TidyLayout(const TidyTree& tree, const TidyOptions& options) {
  PARLEY_CHECK(tree.rowstart.size() == tree.size() + 1);
  PARLEY_CHECK(tree.before.size() == tree.size() && tree.after.size() == tree.size());
  return Walker(tree, options).Run();
}

std::vector<std::uint32_t> TidyDepths(const TidyTree& tree) {
  std::vector<std::uint32_t> depth(tree.size(), 0);
  for (std::uint32_t v = 1; v < tree.size(); ++v) {
    PARLEY_CHECK(tree.parent[v] < v);
    depth[v] = depth[tree.parent[v]] + 1;
  }
  return depth;
}

}  // namespace parley::report
