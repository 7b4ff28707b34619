#include "solver/equilibrium/enumeration.h"

#include <algorithm>
#include <set>

#include "solver/equilibrium/sequence_form.h"
#include "solver/equilibrium/strategic_form.h"
#include "solver/equilibrium/verify.h"
#include "solver/model/error.h"
#include "solver/model/cancel.h"

namespace parley::equilibrium {

namespace {

// Points are stored by their nonzero coordinates: a vertex of a polytope with k rows has at
// most k of them, often far fewer than its dimension.
using SparsePoint = std::vector<std::pair<std::uint32_t, Rational>>;  // ascending coordinates

struct Vertex {
  SparsePoint point;
  std::vector<char> labels;  // size m + n
};

std::vector<Rational> Dense(const SparsePoint& point, std::size_t d) {
  std::vector<Rational> z(d, Rational(0));
  for (const auto& [j, v] : point) z[j] = v;
  return z;
}

// The work one enumeration may do, counted in exact arithmetic operations (table entries
// updated by pivots, elimination steps when solving for partners): about 10 to 20 s.
constexpr double kMaxWork = 6e8;

// Adds to the running count of operations and stops the enumeration past kMaxWork.
void Spend(double& work, double amount) {
  work += amount;
  if (work > kMaxWork)
    throw LimitError("it needs more than " + std::to_string(static_cast<long long>(kMaxWork)) +
                     " exact operations");
}

// The vertices (other than 0) of the polytope {z in R^d : z >= 0, C z <= 1}, C (k x d)
// positive, so the polytope is bounded and contains 0; z_j = 0 has label zero_label[j] and
// row r tight has label row_label[r].
//
// By pivoting (an integer tableau, exact): the slack basis is the vertex 0, each
// pivot moves along an edge, and a depth-first search with a set of visited bases walks the
// whole vertex graph. At a degenerate vertex several bases describe the same point and ties in
// the ratio test are broken lexicographically (rows compared as (rhs, row of B^-1) / pivot),
// which is the simplex method on the perturbed right-hand side 1 + (eps, eps^2, ...): that
// polytope is simple, its vertex graph is connected, and each of its vertices tends to one of
// the original polytope's, every one of which is reached. Points are deduplicated; labels come
// from the variables that are 0 at the point (nonbasic, or basic at 0). Throws LimitError past
// max_bases bases, or past the work budget.
class VertexSearch {
  using Integer = mpz_class;

 public:
  VertexSearch(std::size_t d, const std::vector<std::vector<Rational>>& C, double& work)
      : d_(d), k_(C.size()), work_(work) {
    // Rows: L_r C_r z + s_r = L_r, with L_r the common denominator of row r (s_r is the
    // scaled slack, tight exactly when row r is). Columns 0..d-1: z; d..d+k-1: slacks, where
    // B^-1 lives; d+k: the right-hand side. Integers throughout (below).
    tableau_.assign(k_, std::vector<Integer>(d_ + k_ + 1, Integer(0)));
    for (std::size_t r = 0; r < k_; ++r) {
      Integer common = 1;
      for (std::size_t j = 0; j < d_; ++j)
        mpz_lcm(common.get_mpz_t(), common.get_mpz_t(), C[r][j].get_den_mpz_t());
      for (std::size_t j = 0; j < d_; ++j)
        tableau_[r][j] = C[r][j].get_num() * (common / C[r][j].get_den());
      tableau_[r][d_ + r] = 1;
      tableau_[r][d_ + k_] = common;
    }
    basic_.resize(k_);
    is_basic_.assign(d_ + k_, 0);
    for (std::size_t r = 0; r < k_; ++r) {
      basic_[r] = d_ + r;
      is_basic_[d_ + r] = 1;
    }
  }

  template <class Visit>
  void Run(std::size_t max_bases, Visit visit) {
    std::set<std::vector<std::size_t>> seen;
    struct Frame {
      std::size_t next_column;         // the next nonbasic column to try from this basis
      std::size_t undo_row, undo_col;  // the pivot that returns to the parent basis
    };
    std::vector<Frame> stack;
    auto enter = [&]() {
      if (seen.size() >= max_bases)
        throw LimitError("one best-response polytope has more than " +
                         std::to_string(max_bases) + " bases");
      seen.insert(SortedBasis());
      visit(Point(), ZeroColumns());
    };
    enter();
    stack.push_back({0, 0, 0});
    model::CancelPoll poll;
    while (!stack.empty()) {
      poll();
      Frame& f = stack.back();
      bool moved = false;
      while (f.next_column < d_ + k_) {
        std::size_t j = f.next_column++;
        if (IsBasic(j)) continue;
        std::size_t r = LeavingRow(j);
        std::size_t leaving = basic_[r];
        basic_[r] = j;  // look before pivoting: most neighbours are known already
        bool known = seen.count(SortedBasis()) > 0;
        basic_[r] = leaving;
        if (known) continue;
        Pivot(r, j);
        enter();
        stack.push_back({0, r, leaving});
        moved = true;
        break;
      }
      if (moved) continue;
      Frame done = stack.back();
      stack.pop_back();
      if (!stack.empty()) Pivot(done.undo_row, done.undo_col);
    }
  }

 private:
  bool IsBasic(std::size_t column) const { return is_basic_[column]; }
  // The basis as a set (sorted), in a buffer reused from call to call.
  const std::vector<std::size_t>& SortedBasis() {
    key_ = basic_;
    std::sort(key_.begin(), key_.end());
    return key_;
  }
  // Per column (z, then slacks): whether the variable is 0 here (nonbasic, or basic at 0).
  std::vector<char> ZeroColumns() const {
    std::vector<char> zero(d_ + k_, 1);
    for (std::size_t r = 0; r < k_; ++r) zero[basic_[r]] = sgn(tableau_[r][d_ + k_]) == 0;
    return zero;
  }
  // Basic variables are T[r][rhs] / det: the basic columns are det times unit vectors.
  SparsePoint Point() const {
    SparsePoint z;
    for (std::size_t r = 0; r < k_; ++r)
      if (basic_[r] < d_ && tableau_[r][d_ + k_] != 0) {
        Rational v(tableau_[r][d_ + k_], det_);
        v.canonicalize();
        z.emplace_back(static_cast<std::uint32_t>(basic_[r]), std::move(v));
      }
    std::sort(z.begin(), z.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return z;
  }
  // The lexicographic minimum ratio row for entering column j (the polytope is bounded, so
  // some row has a positive entry).
  std::size_t LeavingRow(std::size_t j) const {
    std::size_t best = k_;
    for (std::size_t r = 0; r < k_; ++r) {
      if (sgn(tableau_[r][j]) <= 0) continue;
      if (best == k_ || LexLess(r, best, j)) best = r;
    }
    PARLEY_CHECK(best < k_);
    return best;
  }
  // (rhs_a, B^-1 row a) / T[a][j] < (rhs_b, B^-1 row b) / T[b][j], lexicographically (the
  // common factor det cancels).
  bool LexLess(std::size_t a, std::size_t b, std::size_t j) const {
    const Integer& pa = tableau_[a][j];
    const Integer& pb = tableau_[b][j];
    Integer lhs, rhs;
    auto compare = [&](std::size_t column) {
      lhs = tableau_[a][column] * pb;
      rhs = tableau_[b][column] * pa;
      return cmp(lhs, rhs);
    };
    if (int c = compare(d_ + k_)) return c < 0;
    for (std::size_t col = d_; col < d_ + k_; ++col)
      if (int c = compare(col)) return c < 0;
    return false;  // equal rows cannot happen: B^-1 is nonsingular
  }
  // Integer pivoting (Edmonds; as in Avis's lrs): with det the previous pivot, every entry
  // off the pivot row becomes (T[i][c] T[r][j] - T[i][j] T[r][c]) / det, an exact division;
  // the pivot row stays and T[r][j] (> 0 here) becomes det. Pivoting back restores the table.
  void Pivot(std::size_t r, std::size_t j) {
    Spend(work_, static_cast<double>(k_) * static_cast<double>(d_ + k_ + 1));
    const std::vector<Integer>& row = tableau_[r];
    const Integer p = row[j];
    Integer t;
    for (std::size_t i = 0; i < k_; ++i) {
      if (i == r) continue;
      std::vector<Integer>& other = tableau_[i];
      const Integer f = other[j];
      for (std::size_t c = 0; c < row.size(); ++c) {
        t = other[c] * p;
        if (sgn(f) != 0 && sgn(row[c]) != 0) t -= f * row[c];
        mpz_divexact(other[c].get_mpz_t(), t.get_mpz_t(), det_.get_mpz_t());
      }
    }
    det_ = p;
    is_basic_[basic_[r]] = 0;
    is_basic_[j] = 1;
    basic_[r] = j;
  }

  std::size_t d_, k_;
  double& work_;
  Integer det_ = 1;
  std::vector<std::vector<Integer>> tableau_;
  std::vector<std::size_t> basic_;   // per row: its basic column
  std::vector<char> is_basic_;       // per column
  std::vector<std::size_t> key_;     // scratch for SortedBasis
};

// One best-response polytope {z in R^d : z >= 0, C z <= 1} with its labels.
struct Polytope {
  std::size_t d;
  std::vector<std::vector<Rational>> C;
  std::vector<std::size_t> zero_label, row_label;
};

// Hands each vertex of `p` other than 0 to on_vertex(Vertex&&) as the search reaches it, once
// per point, labelled: z_j = 0, or row r tight (its slack 0). Throws LimitError as VertexSearch.
template <class OnVertex>
void WalkVertices(const Polytope& p, std::size_t labels, std::size_t max_bases, double& work,
                  OnVertex on_vertex) {
  std::set<SparsePoint> seen;
  VertexSearch(p.d, p.C, work).Run(max_bases, [&](SparsePoint z, const std::vector<char>& zero) {
    if (z.empty() || !seen.insert(z).second) return;
    std::vector<char> lab(labels, 0);
    for (std::size_t j = 0; j < p.d; ++j)
      if (zero[j]) lab[p.zero_label[j]] = 1;
    for (std::size_t r = 0; r < p.C.size(); ++r)
      if (zero[p.d + r]) lab[p.row_label[r]] = 1;
    on_vertex(Vertex{std::move(z), std::move(lab)});
  });
}

enum class Partner { kUnique, kNone, kFace };

// The point of `p` that carries every label in `required` (z_j = 0, or row r tight), when the
// equations pin down one point: kUnique (and *out is that vertex, labelled), or kNone when no
// nonzero point of the polytope satisfies them; kFace when they leave a line or more (a
// degenerate game: the caller then enumerates the polytope itself).
Partner SolvePartner(const Polytope& p, const std::vector<char>& required, std::size_t labels,
                     Vertex* out, double& work, std::size_t* rank_out = nullptr) {
  const std::size_t d = p.d;
  std::vector<std::vector<Rational>> rows;
  for (std::size_t j = 0; j < d; ++j)
    if (required[p.zero_label[j]]) {
      std::vector<Rational> row(d + 1, Rational(0));
      row[j] = 1;
      rows.push_back(std::move(row));
    }
  for (std::size_t r = 0; r < p.C.size(); ++r)
    if (required[p.row_label[r]]) {
      std::vector<Rational> row(p.C[r].begin(), p.C[r].end());
      row.push_back(1);
      rows.push_back(std::move(row));
    }
  // Gauss-Jordan elimination, exact.
  Spend(work, static_cast<double>(rows.size()) * static_cast<double>(d) * static_cast<double>(d + 1));
  std::size_t rank = 0;
  std::vector<std::size_t> pivot_column;
  for (std::size_t c = 0; c < d && rank < rows.size(); ++c) {
    std::size_t r = rank;
    while (r < rows.size() && rows[r][c] == 0) ++r;
    if (r == rows.size()) continue;
    std::swap(rows[r], rows[rank]);
    Rational lead = rows[rank][c];
    for (Rational& v : rows[rank]) v /= lead;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (i == rank || rows[i][c] == 0) continue;
      Rational f = rows[i][c];
      for (std::size_t k = c; k <= d; ++k) rows[i][k] -= f * rows[rank][k];
    }
    pivot_column.push_back(c);
    ++rank;
  }
  if (rank_out) *rank_out = rank;
  for (std::size_t i = rank; i < rows.size(); ++i)
    if (rows[i][d] != 0) return Partner::kNone;  // inconsistent
  if (rank < d) return Partner::kFace;
  std::vector<Rational> z(d, Rational(0));
  for (std::size_t i = 0; i < rank; ++i) z[pivot_column[i]] = rows[i][d];
  bool nonzero = false;
  for (const Rational& v : z) {
    if (v < 0) return Partner::kNone;
    nonzero = nonzero || v != 0;
  }
  if (!nonzero) return Partner::kNone;
  std::vector<char> lab(labels, 0);
  for (std::size_t j = 0; j < d; ++j)
    if (z[j] == 0) lab[p.zero_label[j]] = 1;
  for (std::size_t r = 0; r < p.C.size(); ++r) {
    Rational sum = 0;
    for (std::size_t j = 0; j < d; ++j) sum += p.C[r][j] * z[j];
    if (sum > 1) return Partner::kNone;
    if (sum == 1) lab[p.row_label[r]] = 1;
  }
  SparsePoint sparse;
  for (std::size_t j = 0; j < d; ++j)
    if (z[j] != 0) sparse.emplace_back(static_cast<std::uint32_t>(j), z[j]);
  *out = {std::move(sparse), std::move(lab)};
  return Partner::kUnique;
}

// Every vertex of `p` that carries the labels in `required`: the vertices of that face. When
// the labels pin down a point it is SolvePartner's; when they leave a face of dimension 1 or 2
// (a degenerate game), each vertex of it is pinned down by that many more labels, so every
// such choice is tried. False when the face is larger (the caller then walks `p` itself).
bool FacePartners(const Polytope& p, const std::vector<char>& required, std::size_t labels,
                  double& work, std::vector<Vertex>* out) {
  Vertex v;
  std::size_t rank = 0;
  Partner found = SolvePartner(p, required, labels, &v, work, &rank);
  if (found == Partner::kUnique) out->push_back(std::move(v));
  if (found != Partner::kFace) return true;
  const std::size_t extra = p.d - rank;
  if (extra > 2) return false;
  std::vector<std::size_t> free_labels;  // this polytope's labels not yet required
  for (std::size_t j = 0; j < p.d; ++j)
    if (!required[p.zero_label[j]]) free_labels.push_back(p.zero_label[j]);
  for (std::size_t r = 0; r < p.C.size(); ++r)
    if (!required[p.row_label[r]]) free_labels.push_back(p.row_label[r]);
  std::set<SparsePoint> seen;
  std::vector<char> more = required;
  auto attempt = [&] {
    Vertex w;
    if (SolvePartner(p, more, labels, &w, work) == Partner::kUnique && seen.insert(w.point).second)
      out->push_back(std::move(w));
  };
  for (std::size_t a = 0; a < free_labels.size(); ++a) {
    more[free_labels[a]] = 1;
    if (extra == 1) {
      attempt();
    } else {
      for (std::size_t b = a + 1; b < free_labels.size(); ++b) {
        more[free_labels[b]] = 1;
        attempt();
        more[free_labels[b]] = 0;
      }
    }
    more[free_labels[a]] = 0;
  }
  return true;
}

}  // namespace

namespace {

// The positive best-response polytopes of a bimatrix game (header): P over the rows, Q over
// the columns.
struct PolytopePair {
  Polytope P, Q;
};

PolytopePair BestResponsePolytopes(const Bimatrix& g) {
  const std::size_t m = g.rows, n = g.cols;
  Rational amin = *std::min_element(g.a.begin(), g.a.end());
  Rational bmin = *std::min_element(g.b.begin(), g.b.end());
  // P: x in R^m, rows (B'x)_j <= 1 labelled m + j; x_i = 0 labelled i.
  std::vector<std::vector<Rational>> cp(n, std::vector<Rational>(m)), cq(m, std::vector<Rational>(n));
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      cp[j][i] = g.b[i * n + j] - bmin + 1;
      cq[i][j] = g.a[i * n + j] - amin + 1;
    }
  PolytopePair out{{m, std::move(cp), std::vector<std::size_t>(m), std::vector<std::size_t>(n)},
                   {n, std::move(cq), std::vector<std::size_t>(n), std::vector<std::size_t>(m)}};
  for (std::size_t i = 0; i < m; ++i) out.P.zero_label[i] = out.Q.row_label[i] = i;
  for (std::size_t j = 0; j < n; ++j) out.P.row_label[j] = out.Q.zero_label[j] = m + j;
  return out;
}

// The equilibrium of a completely labelled pair of vertices: x / sum x, y / sum y, payoffs.
MixedPair Normalized(const Bimatrix& g, const Vertex& x, const Vertex& y) {
  const std::size_t m = g.rows, n = g.cols;
  MixedPair e;
  Rational sx = 0, sy = 0;
  for (const auto& [i, v] : x.point) sx += v;
  for (const auto& [j, v] : y.point) sy += v;
  e.x = Dense(x.point, m);
  e.y = Dense(y.point, n);
  for (Rational& v : e.x) v /= sx;
  for (Rational& v : e.y) v /= sy;
  e.u = 0;
  e.v = 0;
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      Rational w = e.x[i] * e.y[j];
      if (w == 0) continue;
      e.u += w * g.a[i * n + j];
      e.v += w * g.b[i * n + j];
    }
  return e;
}

// The deterministic order of ExtremeEquilibria.
void SortPairs(std::vector<MixedPair>& pairs) {
  std::sort(pairs.begin(), pairs.end(), [](const MixedPair& l, const MixedPair& r) {
    return l.x != r.x ? l.x > r.x : l.y > r.y;
  });
}

// Appends to *out the pure equilibria of g that it does not hold yet (each is an extreme
// equilibrium: e_i, scaled, is a vertex of P, and e_j one of Q). A cell is one when its row
// is a best reply to its column and its column to its row: one pass for the largest entry of
// each column of A and each row of B.
void AddPureEquilibria(const Bimatrix& g, std::vector<MixedPair>* out) {
  const std::size_t m = g.rows, n = g.cols;
  std::vector<Rational> column_best(n), row_best(m);
  for (std::size_t j = 0; j < n; ++j) {
    column_best[j] = g.a[j];
    for (std::size_t i = 1; i < m; ++i) column_best[j] = std::max(column_best[j], g.a[i * n + j]);
  }
  for (std::size_t i = 0; i < m; ++i) {
    row_best[i] = g.b[i * n];
    for (std::size_t j = 1; j < n; ++j) row_best[i] = std::max(row_best[i], g.b[i * n + j]);
  }
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (g.a[i * n + j] != column_best[j] || g.b[i * n + j] != row_best[i]) continue;
      MixedPair pure;
      pure.x.assign(m, Rational(0));
      pure.y.assign(n, Rational(0));
      pure.x[i] = 1;
      pure.y[j] = 1;
      pure.u = g.a[i * n + j];
      pure.v = g.b[i * n + j];
      const bool known = std::any_of(out->begin(), out->end(), [&](const MixedPair& e) {
        return e.x == pure.x && e.y == pure.y;
      });
      if (!known) out->push_back(std::move(pure));
    }
}

// Appends every extreme equilibrium of g to *out, unsorted, each as soon as it is found, and
// charges the work to `work` (shared by the calls of one enumeration). A guard that trips
// throws LimitError and leaves the equilibria found so far in *out: each of them is genuine.
//
// The polytope of lower dimension is walked; each vertex, as it is reached, is paired: the
// labels it lacks are equations for the partner, which in a nondegenerate game fix one point
// to check, and in a degenerate one a small face whose vertices are found the same way. Only
// when some vertex leaves a face of dimension 3 or more is the other polytope walked too and
// every pair of vertices tried (those already handed on skipped).
void PairVertices(const Bimatrix& g, std::size_t max_bases, double& work,
                  std::vector<MixedPair>* out) {
  const std::size_t m = g.rows, n = g.cols;
  PARLEY_CHECK(m > 0 && n > 0 && g.a.size() == m * n && g.b.size() == m * n);
  const PolytopePair polytopes = BestResponsePolytopes(g);
  const std::size_t labels = m + n;
  // A guard that stops the search leaves what it found and the pure equilibria, which a pass
  // over the table finds whatever the polytopes' size (a 6 x 64 game with 6 pure equilibria
  // had none listed).
  auto stopped = [&](const LimitError& e, const std::string& doing) {
    AddPureEquilibria(g, out);
    return LimitError("enumerating all equilibria of a " + std::to_string(m) + " x " +
                      std::to_string(n) + " game stopped: " + doing + e.what() +
                      "; solve without --all for one equilibrium");
  };
  const bool walk_p = m <= n;
  const Polytope& walked = walk_p ? polytopes.P : polytopes.Q;
  const Polytope& other = walk_p ? polytopes.Q : polytopes.P;
  auto add = [&](const Vertex& w, const Vertex& o) {
    out->push_back(walk_p ? Normalized(g, w, o) : Normalized(g, o, w));
  };
  std::vector<Vertex> vw;
  std::vector<std::pair<std::size_t, Vertex>> partners;  // (index into vw, its partner)
  bool degenerate = false;
  try {
    WalkVertices(walked, labels, max_bases, work, [&](Vertex&& v) {
      vw.push_back(std::move(v));
      if (degenerate) return;
      std::vector<char> required(labels);
      for (std::size_t l = 0; l < labels; ++l) required[l] = !vw.back().labels[l];
      std::vector<Vertex> found;
      degenerate = !FacePartners(other, required, labels, work, &found);
      for (Vertex& partner : found) {
        add(vw.back(), partner);
        partners.emplace_back(vw.size() - 1, std::move(partner));
      }
    });
  } catch (const LimitError& e) {
    throw stopped(e, "");
  }
  if (!degenerate) return;
  std::vector<Vertex> vo;
  try {
    WalkVertices(other, labels, max_bases, work, [&](Vertex&& v) { vo.push_back(std::move(v)); });
  } catch (const LimitError& e) {
    throw stopped(e, "");
  }
  try {
    Spend(work, static_cast<double>(vw.size()) * static_cast<double>(vo.size()) *
                    static_cast<double>(labels) / 8);
  } catch (const LimitError& e) {
    throw stopped(e, "pairing its vertices ");
  }
  std::set<std::pair<std::size_t, SparsePoint>> handed_on;
  for (const auto& [k, partner] : partners) handed_on.emplace(k, partner.point);
  for (std::size_t k = 0; k < vw.size(); ++k)
    for (const Vertex& b : vo) {
      bool complete = true;
      for (std::size_t l = 0; l < labels && complete; ++l) complete = vw[k].labels[l] || b.labels[l];
      if (complete && !handed_on.count({k, b.point})) add(vw[k], b);
    }
}

}  // namespace

std::vector<MixedPair> ExtremeEquilibria(const Bimatrix& g, std::size_t max_bases) {
  double work = 0;
  std::vector<MixedPair> out;
  PairVertices(g, max_bases, work, &out);
  SortPairs(out);
  return out;
}

namespace {

// The pure realization plans of one player (each a 0/1 vector over the player's sequences):
// the reduced pure strategies, written over the sequence form's numbering.
std::vector<std::vector<char>> PurePlans(const Game& game, const PlayerSequences& ps,
                                         std::size_t limit, int player) {
  ReducedStrategies reduced = EnumerateReducedStrategies(
      game, player, limit,
      "--all enumerates equilibria of small strategic forms only (solve without --all for one "
      "equilibrium)",
      &ps.infosets);
  std::vector<std::uint32_t> first(game.num_infosets(), 0);
  for (std::size_t k = 0; k < ps.infosets.size(); ++k) first[ps.infosets[k]] = ps.first_seq[k];
  std::vector<std::vector<char>> plans;
  plans.reserve(reduced.strategies.size());
  for (const auto& strategy : reduced.strategies) {
    std::vector<char> chosen(ps.num_sequences, 0);
    chosen[0] = 1;
    for (std::size_t j = 0; j < reduced.sets.size(); ++j)
      if (strategy[j] != kExcludedSet) chosen[first[reduced.sets[j]] + strategy[j]] = 1;
    plans.push_back(std::move(chosen));
  }
  return plans;
}

}  // namespace

namespace {

// An equilibrium of one proper subgame: the probabilities of the personal actions inside it
// (nonzero ones, by ActionIndex) and the payoffs it gives every player from the subgame's
// root on.
struct Partial {
  std::vector<std::pair<std::uint32_t, Rational>> moves;
  std::vector<Rational> value;
};

// The proper subgames directly inside the one at r (leaves included), in preorder.
std::vector<NodeId> ChildSubgames(const Game& game, NodeId r, const std::vector<char>& roots) {
  std::vector<NodeId> out;
  for (NodeId c = r + 1; c < game.subtree_end(r);) {
    if (roots[c]) {
      out.push_back(c);
      c = game.subtree_end(c);
    } else {
      ++c;
    }
  }
  return out;
}

// The table of a reduced subgame's strategic form: entry (s, t) sums the sequence form's
// leaves that plans s and t both reach.
Bimatrix PlanBimatrix(const SequenceForm<Rational>& sf, const std::vector<std::vector<char>>& plans1,
                      const std::vector<std::vector<char>>& plans2) {
  Bimatrix bm;
  bm.rows = plans1.size();
  bm.cols = plans2.size();
  bm.a.assign(bm.rows * bm.cols, Rational(0));
  bm.b.assign(bm.rows * bm.cols, Rational(0));
  for (std::size_t s = 0; s < bm.rows; ++s)
    for (std::size_t t = 0; t < bm.cols; ++t)
      for (const auto& e : sf.entries)
        if (plans1[s][e.s1] && plans2[t][e.s2]) {
          bm.a[s * bm.cols + t] += e.a;
          bm.b[s * bm.cols + t] += e.b;
        }
  return bm;
}

// Subgame composition (Selten 1975), bottom-up over the proper subgames: each reduced subgame
// (the subgames inside it replaced by the values of their equilibria) is solved for all its
// extreme equilibria, once for every combination of equilibria chosen below. Every result is
// subgame perfect by construction. With more than two players, at most two move in each
// reduced subgame (AtMostTwoMovers): it is their bimatrix game, the others' values follow.
class Composition {
 public:
  Composition(const Game& game, const EnumerationOptions& options, std::vector<char> roots)
      : game_(game),
        options_(options),
        np_(static_cast<std::size_t>(game.num_players())),
        roots_(std::move(roots)),
        index_(game),
        value_(np_ * static_cast<std::size_t>(game.num_nodes()), Rational(0)),
        found_(game.num_nodes()),
        seq_of_(2 * static_cast<std::size_t>(game.num_nodes())),
        scratch_(index_.size(), Rational(0)) {}

  Solution Run() {
    for (NodeId r = game_.num_nodes(); r-- > 0;) {
      if (!roots_[r]) continue;
      if (game_.is_terminal(r)) {
        for (std::size_t p = 0; p < np_; ++p)
          value_[np_ * r + p] = game_.outcome(r) == model::kNoOutcome
                                    ? Rational(0)
                                    : game_.exact_payoff(game_.outcome(r), static_cast<int>(p));
        continue;
      }
      ++subgames_;
      EnumerateSubgame(r);
    }
    return Assemble();
  }

 private:
  // Every combination of the equilibria of the subgames directly inside r, the last one
  // fastest; the extreme equilibria of r's reduced subgame under each go to found_[r].
  void EnumerateSubgame(NodeId r) {
    std::vector<NodeId> inner;
    for (NodeId c : ChildSubgames(game_, r, roots_))
      if (!game_.is_terminal(c)) inner.push_back(c);
    std::vector<std::size_t> pick(inner.size(), 0);
    std::vector<Partial>& here = found_[r];
    std::set<std::vector<std::pair<std::uint32_t, Rational>>> distinct;  // the moves of those in `here`
    const SequenceRoles roles = RolesForMovers(SubgameMovers(game_, r, roots_), static_cast<int>(np_));
    for (;;) {
      for (std::size_t i = 0; i < inner.size(); ++i)
        for (std::size_t p = 0; p < np_; ++p) value_[np_ * inner[i] + p] = found_[inner[i]][pick[i]].value[p];
      SequenceForm<Rational> sf = BuildSequenceForm<Rational>(game_, r, roots_, value_, seq_of_, roles);
      // (A role without a player has no sets: its one plan is the empty sequence, whoever is named.)
      auto plans1 = PurePlans(game_, sf.player[0], options_.max_strategies, roles.player[0]);
      auto plans2 = PurePlans(game_, sf.player[1], options_.max_strategies,
                              roles.player[1] == SequenceRoles::kNoPlayer ? roles.player[0] : roles.player[1]);
      largest_rows_ = std::max(largest_rows_, plans1.size());
      largest_cols_ = std::max(largest_cols_, plans2.size());
      std::vector<MixedPair> mixed;
      try {
        try {
          Spend(work_, static_cast<double>(plans1.size()) * static_cast<double>(plans2.size()) *
                           static_cast<double>(sf.entries.size()) / 8);
        } catch (const LimitError& e) {
          throw LimitError(std::string("enumerating all equilibria stopped: ") + e.what() +
                           " over the combinations of the subgames' equilibria; solve without "
                           "--all for one equilibrium");
        }
        PairVertices(PlanBimatrix(sf, plans1, plans2), options_.max_bases, work_, &mixed);
      } catch (const LimitError& e) {
        // What was found stands (each one is genuine) when it is an equilibrium of the whole
        // game; below the root, nothing of the whole game has been found yet.
        if (r != Game::root() || (here.empty() && mixed.empty())) throw;
        stopped_by_ = e.what();
      }
      SortPairs(mixed);
      // Several extreme equilibria of the reduced strategic form can be one behaviour profile
      // (plans that differ only where they are not reached): kept once, so that --max counts
      // distinct profiles, and the list is cut only when one more distinct profile exists.
      bool cut = false;
      for (const MixedPair& e : mixed) {
        Partial partial = ToPartial(sf, roles, plans1, plans2, e, inner, pick);
        if (!distinct.insert(partial.moves).second) continue;
        if (here.size() >= options_.max_equilibria) {
          truncated_ = cut = true;
          break;
        }
        here.push_back(std::move(partial));
      }
      if (!stopped_by_.empty()) return;
      std::size_t i = inner.size();
      while (i > 0 && ++pick[i - 1] == found_[inner[i - 1]].size()) pick[--i] = 0;
      if (i == 0 || cut) break;
    }
    for (NodeId c : inner) std::vector<Partial>().swap(found_[c]);  // no longer needed
  }

  // A mixed equilibrium of the reduced strategic form as realization plans, then behaviour at
  // the reduced subgame's own sets, with the chosen equilibria of the subgames inside.
  Partial ToPartial(const SequenceForm<Rational>& sf, const SequenceRoles& roles,
                    const std::vector<std::vector<char>>& plans1,
                    const std::vector<std::vector<char>>& plans2, const MixedPair& e,
                    const std::vector<NodeId>& inner, const std::vector<std::size_t>& pick) {
    std::vector<Rational> x(sf.player[0].num_sequences, Rational(0));
    std::vector<Rational> y(sf.player[1].num_sequences, Rational(0));
    for (std::size_t s = 0; s < plans1.size(); ++s)
      if (e.x[s] != 0)
        for (std::size_t q = 0; q < x.size(); ++q)
          if (plans1[s][q]) x[q] += e.x[s];
    for (std::size_t t = 0; t < plans2.size(); ++t)
      if (e.y[t] != 0)
        for (std::size_t q = 0; q < y.size(); ++q)
          if (plans2[t][q]) y[q] += e.y[t];
    PlanToBehavior<Rational>(game_, sf.player[0], x, index_, scratch_);
    PlanToBehavior<Rational>(game_, sf.player[1], y, index_, scratch_);
    Partial partial;
    for (int p = 0; p < 2; ++p)
      for (InfosetId h : sf.player[p].infosets)
        for (std::uint32_t a = 0; a < game_.num_actions(h); ++a)
          if (scratch_[index_(h, a)] != 0)
            partial.moves.emplace_back(index_(h, a), scratch_[index_(h, a)]);
    for (std::size_t i = 0; i < inner.size(); ++i) {
      const auto& below = found_[inner[i]][pick[i]].moves;
      partial.moves.insert(partial.moves.end(), below.begin(), below.end());
    }
    partial.value = ReducedValues(sf);
    PARLEY_CHECK(partial.value[static_cast<std::size_t>(roles.player[0])] == e.u);
    PARLEY_CHECK(roles.player[1] == SequenceRoles::kNoPlayer ||
                 partial.value[static_cast<std::size_t>(roles.player[1])] == e.v);
    return partial;
  }

  // Every player's value at the root of the reduced subgame `sf`, under the behaviour in
  // scratch_ (its sets' probabilities, just written) and the values of the subgames cut off.
  std::vector<Rational> ReducedValues(const SequenceForm<Rational>& sf) {
    const std::vector<NodeId>& nodes = sf.nodes;  // preorder, so children come after parents
    std::vector<Rational> values(nodes.size() * np_, Rational(0));
    auto at = [&](NodeId v) {
      return static_cast<std::size_t>(std::lower_bound(nodes.begin(), nodes.end(), v) - nodes.begin());
    };
    for (std::size_t i = nodes.size(); i-- > 0;) {
      const NodeId v = nodes[i];
      Rational* out = &values[i * np_];
      if (v != sf.root && roots_[v]) {
        for (std::size_t p = 0; p < np_; ++p) out[p] = value_[np_ * v + p];
        continue;
      }
      if (game_.outcome(v) != model::kNoOutcome)
        for (std::size_t p = 0; p < np_; ++p) out[p] = game_.exact_payoff(game_.outcome(v), static_cast<int>(p));
      if (game_.is_terminal(v)) continue;
      const InfosetId h = game_.infoset(v);
      const bool chance = game_.kind(v) == model::NodeKind::kChance;
      auto kids = game_.children(v);
      for (std::uint32_t a = 0; a < kids.size(); ++a) {
        const Rational prob = chance ? game_.exact_chance_prob(h, a) : scratch_[index_(h, a)];
        if (prob == 0) continue;
        const Rational* below = &values[at(kids[a]) * np_];
        for (std::size_t p = 0; p < np_; ++p) out[p] += prob * below[p];
      }
    }
    return std::vector<Rational>(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(np_));
  }

  // The whole game's equilibria as behaviour profiles, each verified exactly.
  Solution Assemble() {
    Solution solution;
    solution.exact = true;
    solution.truncated = truncated_;
    solution.concept_name = subgames_ == 1 ? "extreme Nash" : "extreme subgame-perfect";
    solution.method = "vertex enumeration of the best-response polytopes of the reduced strategic "
                      "form" + std::string(subgames_ == 1 ? "" : " of each proper subgame") + " (" +
                      (subgames_ == 1 ? "" : "largest ") + std::to_string(largest_rows_) + " x " +
                      std::to_string(largest_cols_) + " strategies)";
    std::vector<Rational> base(index_.size(), Rational(0));
    for (InfosetId h = 0; h < game_.num_infosets(); ++h)
      if (game_.infoset_player(h) == model::kChancePlayer)
        for (std::uint32_t a = 0; a < game_.num_actions(h); ++a)
          base[index_(h, a)] = game_.exact_chance_prob(h, a);
    std::set<std::vector<Rational>> seen;
    for (const Partial& whole : found_[Game::root()]) {
      std::vector<Rational> behavior = base;
      for (const auto& [k, v] : whole.moves) behavior[k] = v;
      if (!seen.insert(behavior).second) continue;
      Rational gain = MaxSubgameGain<Rational>(game_, index_, behavior, &roots_);
      if (gain != 0)
        throw InternalError("an enumerated subgame-perfect equilibrium failed verification (gain " +
                            FormatRational(gain) + ")");
      std::vector<Rational> values = NodeValuesAs<Rational>(game_, index_, behavior);
      PARLEY_CHECK(std::equal(whole.value.begin(), whole.value.end(), values.begin()));
      Equilibrium eq;
      eq.max_gain = 0;
      for (const auto& b : behavior) eq.behavior.push_back(b.get_d());
      eq.exact_behavior = std::move(behavior);
      eq.exact_payoffs.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(np_));
      for (const auto& v : eq.exact_payoffs) eq.payoffs.push_back(v.get_d());
      solution.equilibria.push_back(std::move(eq));
    }
    if (subgames_ > 1)
      solution.notes.push_back(
          "every combination of extreme equilibria of the reduced subgames, bottom-up: each is "
          "subgame perfect, though not every subgame-perfect equilibrium (mixtures of these are "
          "not listed)");
    if (!stopped_by_.empty()) {
      solution.complete = false;
      solution.stopped_by = stopped_by_;
      solution.notes.push_back("incomplete: " + stopped_by_ + "; the " +
                               std::to_string(solution.equilibria.size()) +
                               " found are listed (those found before it stopped, and every pure "
                               "equilibrium of the table), each exact and verified");
    }
    return solution;
  }

  const Game& game_;
  const EnumerationOptions& options_;
  const std::size_t np_;  // players
  const std::vector<char> roots_;
  const ActionIndex index_;
  std::vector<Rational> value_;             // np_ per node: the values of chosen equilibria
  std::vector<std::vector<Partial>> found_;  // per subgame root: its equilibria
  std::vector<std::uint32_t> seq_of_;        // BuildSequenceForm's scratch
  std::vector<Rational> scratch_;            // behaviour, PlanToBehavior's output
  std::size_t subgames_ = 0, largest_rows_ = 0, largest_cols_ = 0;
  bool truncated_ = false;
  std::string stopped_by_;  // the guard that stopped the enumeration ("" when it finished)
  double work_ = 0;         // one budget for the whole enumeration
};

}  // namespace

Solution EnumerateExtremeEquilibria(const Game& game, const EnumerationOptions& options) {
  if (game.num_players() < 2)
    throw UnsupportedError("enumerating all mixed equilibria needs two players; the game has 1");
  RequirePerfectRecall(game, "equilibrium enumeration");
  std::vector<char> roots = ProperSubgameRoots(game);
  if (!AtMostTwoMovers(game, roots))
    throw UnsupportedError("enumerating all mixed equilibria needs at most two players moving in each subgame "
                           "with imperfect information; in this game of " +
                           std::to_string(game.num_players()) + " players, three or more move in one");
  return Composition(game, options, std::move(roots)).Run();
}

}  // namespace parley::equilibrium
