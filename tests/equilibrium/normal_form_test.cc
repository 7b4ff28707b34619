// Strategic-form games: the .nfg reader and writer, extreme-equilibrium enumeration (known
// answers and every two-player .nfg of Gambit's samples), and the CLI path.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <nlohmann/json.hpp>
#include <set>

#include "solver/equilibrium/enumeration.h"
#include "solver/equilibrium/solve.h"
#include "solver/io/files.h"
#include "solver/io/nfg.h"
#include "solver/model/error.h"
#include "tests/test_util.h"

namespace parley::equilibrium {
namespace {

const char* kPayoffBody = R"(NFG 1 R "two bodies, one game" { "Row" "Col" } { 2 3 }

3 0  1 1  0 2  2 2  5/2 1  0 0
)";
const char* kOutcomeBody = R"(NFG 1 R "two bodies, one game" { "Row" "Col" }
{ { "T" "B" } { "l" "m" "r" } }
""
{
{ "a" 3, 0 }
{ "b" 1, 1 }
{ "c" 0, 2 }
{ "d" 2, 2 }
{ "e" 5/2, 1 }
}
1 2 3 4 5 0
)";

Bimatrix Make(std::size_t m, std::size_t n, std::vector<int> a, std::vector<int> b) {
  Bimatrix g;
  g.rows = m;
  g.cols = n;
  for (int v : a) g.a.push_back(v);
  for (int v : b) g.b.push_back(v);
  return g;
}


// Brute force for the test below: every vertex of {z >= 0, C z <= 1} from every choice of d
// tight constraints (exact Gauss-Jordan), with its labels.
struct BruteVertex {
  std::vector<Rational> z;
  std::vector<char> labels;
};
std::vector<BruteVertex> BruteVertices(std::size_t d, const std::vector<std::vector<Rational>>& C,
                                       std::size_t zero_base, std::size_t row_base,
                                       std::size_t labels) {
  const std::size_t k = C.size(), total = d + k;
  std::set<std::vector<Rational>> seen;
  std::vector<BruteVertex> out;
  for (std::size_t mask = 0; mask < (std::size_t{1} << total); ++mask) {
    if (static_cast<std::size_t>(__builtin_popcountll(mask)) != d) continue;
    std::vector<std::vector<Rational>> m;
    for (std::size_t c = 0; c < total; ++c) {
      if (!(mask >> c & 1)) continue;
      std::vector<Rational> row(d + 1, Rational(0));
      if (c < d) {
        row[c] = 1;
      } else {
        for (std::size_t j = 0; j < d; ++j) row[j] = C[c - d][j];
        row[d] = 1;
      }
      m.push_back(row);
    }
    bool singular = false;
    for (std::size_t c = 0; c < d && !singular; ++c) {
      std::size_t p = c;
      while (p < d && m[p][c] == 0) ++p;
      if (p == d) {
        singular = true;
        break;
      }
      std::swap(m[p], m[c]);
      Rational lead = m[c][c];
      for (auto& v : m[c]) v /= lead;
      for (std::size_t r = 0; r < d; ++r) {
        if (r == c || m[r][c] == 0) continue;
        Rational f = m[r][c];
        for (std::size_t q = c; q <= d; ++q) m[r][q] -= f * m[c][q];
      }
    }
    if (singular) continue;
    std::vector<Rational> z(d);
    bool ok = true, nonzero = false;
    for (std::size_t j = 0; j < d; ++j) {
      z[j] = m[j][d];
      ok = ok && z[j] >= 0;
      nonzero = nonzero || z[j] != 0;
    }
    if (!ok || !nonzero || !seen.insert(z).second) continue;
    std::vector<char> lab(labels, 0);
    for (std::size_t j = 0; j < d; ++j)
      if (z[j] == 0) lab[zero_base + j] = 1;
    for (std::size_t r = 0; r < k && ok; ++r) {
      Rational sum = 0;
      for (std::size_t j = 0; j < d; ++j) sum += C[r][j] * z[j];
      if (sum > 1) ok = false;
      if (sum == 1) lab[row_base + r] = 1;
    }
    if (ok) out.push_back({z, lab});
  }
  return out;
}

TEST_SUITE("normal form") {
  TEST_CASE("both .nfg bodies give the same table (FORMAT.md's example)") {
    auto p = io::ReadNfg(kPayoffBody, "p.nfg");
    auto o = io::ReadNfg(kOutcomeBody, "o.nfg");
    REQUIRE(p.num_cells() == 6);
    REQUIRE(o.num_cells() == 6);
    for (std::size_t c = 0; c < 6; ++c)
      for (int i = 0; i < 2; ++i) CHECK(p.payoff(c, i).ToRational() == o.payoff(c, i).ToRational());
    // (T, r) is cell 4 (player 1 fastest) and pays (5/2, 1); (B, r) pays nothing.
    std::vector<std::uint32_t> tr = {0, 2};
    CHECK(o.payoff(o.Cell(tr), 0).ToRational() == Rational(5, 2));
    CHECK(o.cell_outcome(5) == 0);
    CHECK(o.strategy_label(1, 2) == "r");
    CHECK(p.strategy_label(1, 2) == "3");
  }

  TEST_CASE(".nfg round trip, both bodies") {
    for (const char* text : {kPayoffBody, kOutcomeBody}) {
      auto g = io::ReadNfg(text, "x.nfg");
      std::string once = io::WriteNfgString(g);
      auto back = io::ReadNfg(once, "y.nfg");
      CHECK(io::WriteNfgString(back) == once);
      CHECK(back.has_outcomes() == g.has_outcomes());
    }
  }

  TEST_CASE(".nfg errors carry file:line:col") {
    CHECK_THROWS_WITH_AS(io::ReadNfg("NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n1 2 3 4 5 6 7          \n", "short.nfg"),
                         doctest::Contains("short.nfg:3:1: the payoff list ends early"), ParseError);
    // Too short for its table before any of it is allocated (30^5 cells x 5 players from a
    // 60-byte file took 3.8 GB, then this error).
    CHECK_THROWS_WITH_AS(io::ReadNfg("NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n1 2 3\n", "short.nfg"),
                         "short.nfg:2:1: the payoff list ends early: the strategies make 4 cells (2 payoffs each), "
                         "and the rest of the file has room for at most 3 numbers",
                         ParseError);
    CHECK_THROWS_WITH_AS(io::ReadNfg("NFG 1 R \"t\" { \"a\" } { 2 }\n{ { \"x\" 1 } }\n1 7\n", "bad.nfg"),
                         doctest::Contains("bad.nfg:3:3: outcome 7 does not exist"), ParseError);
    CHECK_THROWS_WITH_AS(io::ReadNfg("EFG 2 R", "e.nfg"), doctest::Contains("e.nfg:1:1"), ParseError);
    CHECK_THROWS_WITH_AS(io::ReadNfg("NFG 1 R \"t\" { \"a\" } { 1 }\n4 5\n", "long.nfg"),
                         doctest::Contains("long.nfg:2:3: unexpected"), ParseError);
  }

  TEST_CASE("extreme equilibria: known answers") {
    // Matching pennies: the only equilibrium is 1/2-1/2 (each mix makes the other indifferent).
    auto pennies = ExtremeEquilibria(Make(2, 2, {1, -1, -1, 1}, {-1, 1, 1, -1}));
    REQUIRE(pennies.size() == 1);
    CHECK(pennies[0].x == std::vector<Rational>{Rational(1, 2), Rational(1, 2)});
    CHECK(pennies[0].u == 0);
    // Battle of the sexes (2,1 / 0,0 / 0,0 / 1,2): two pure equilibria and the mixed one
    // with x = (2/3, 1/3) (column indifferent: 1 x1 = 2 x2), payoffs (2/3, 2/3).
    auto bos = ExtremeEquilibria(Make(2, 2, {2, 0, 0, 1}, {1, 0, 0, 2}));
    REQUIRE(bos.size() == 3);
    std::set<std::pair<std::string, std::string>> pays;
    for (const auto& e : bos) pays.insert({FormatRational(e.u), FormatRational(e.v)});
    CHECK(pays == std::set<std::pair<std::string, std::string>>{{"2", "1"}, {"1", "2"}, {"2/3", "2/3"}});
    // A degenerate game: the column player is indifferent everywhere (B = 0), the row player
    // strictly prefers row 1 against column 1 and row 2 against column 2: extreme equilibria
    // are (row 1, col 1), (row 2, col 2), and the two mixes of columns at which the row player
    // is indifferent combined with either row: y = (1/2, 1/2) with row 1 and with row 2.
    auto deg = ExtremeEquilibria(Make(2, 2, {1, 0, 0, 1}, {0, 0, 0, 0}));
    CHECK(deg.size() == 4);
  }

  TEST_CASE("vertex enumeration equals brute force on random degenerate games") {
    // Payoffs in {0, 1, 2}: ties everywhere, so degenerate vertices and faces of partners are
    // common, which exercises every path of the pivoting search.
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> pay(0, 2), size(1, 4);
    int degenerate = 0, several = 0;
    for (int trial = 0; trial < 400; ++trial) {
      std::size_t m = size(rng), n = size(rng);
      Bimatrix g;
      g.rows = m;
      g.cols = n;
      for (std::size_t c = 0; c < m * n; ++c) {
        g.a.emplace_back(pay(rng));
        g.b.emplace_back(pay(rng));
      }
      CAPTURE(trial);
      // The same polytopes the enumeration builds (payoffs shifted to be at least 1).
      Rational amin = *std::min_element(g.a.begin(), g.a.end());
      Rational bmin = *std::min_element(g.b.begin(), g.b.end());
      std::vector<std::vector<Rational>> cp(n, std::vector<Rational>(m)), cq(m, std::vector<Rational>(n));
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
          cp[j][i] = g.b[i * n + j] - bmin + 1;
          cq[i][j] = g.a[i * n + j] - amin + 1;
        }
      auto vp = BruteVertices(m, cp, 0, m, m + n);
      auto vq = BruteVertices(n, cq, m, 0, m + n);
      std::set<std::pair<std::vector<Rational>, std::vector<Rational>>> brute, ours;
      for (const auto& x : vp)
        for (const auto& y : vq) {
          bool complete = true;
          for (std::size_t l = 0; l < m + n; ++l) complete = complete && (x.labels[l] || y.labels[l]);
          if (!complete) continue;
          Rational sx = 0, sy = 0;
          for (const auto& v : x.z) sx += v;
          for (const auto& v : y.z) sy += v;
          std::vector<Rational> px, py;
          for (const auto& v : x.z) px.push_back(v / sx);
          for (const auto& v : y.z) py.push_back(v / sy);
          brute.insert({px, py});
        }
      // The brute force itself, checked from the definition: no pure strategy of either
      // player earns more against the other's mix than the mix does.
      for (const auto& [px, py] : brute) {
        Rational ua = 0, ub = 0;
        std::vector<Rational> row(m, 0), col(n, 0);
        for (std::size_t i = 0; i < m; ++i)
          for (std::size_t j = 0; j < n; ++j) {
            row[i] += g.a[i * n + j] * py[j];
            col[j] += g.b[i * n + j] * px[i];
            ua += px[i] * g.a[i * n + j] * py[j];
            ub += px[i] * g.b[i * n + j] * py[j];
          }
        for (const auto& r : row) CHECK(r <= ua);
        for (const auto& c : col) CHECK(c <= ub);
      }
      for (const MixedPair& e : ExtremeEquilibria(g)) ours.insert({e.x, e.y});
      CHECK(ours == brute);
      // What the test claims to exercise: vertices with more tight constraints than
      // dimensions (degeneracy), and games with several extreme equilibria.
      bool is_degenerate = false;
      for (const auto& x : vp) {
        std::size_t tight = 0;
        for (char l : x.labels) tight += l != 0;
        is_degenerate = is_degenerate || tight > m;
      }
      for (const auto& y : vq) {
        std::size_t tight = 0;
        for (char l : y.labels) tight += l != 0;
        is_degenerate = is_degenerate || tight > n;
      }
      degenerate += is_degenerate;
      several += brute.size() > 1;
    }
    MESSAGE("degenerate games: " << degenerate << ", with several equilibria: " << several);
    CHECK(degenerate >= 200);
    CHECK(several >= 100);
  }

  TEST_CASE("every two-player Gambit .nfg: exactly the extreme equilibria of reference.json") {
    if (!testing::SharedOrSkip()) return;
    auto ref = nlohmann::json::parse(testing::ReadFile(testing::SharedPath("gambit-games/reference.json")));
    int games = 0;
    for (auto& [key, entry] : ref.items()) {
      if (key.rfind("nfg/", 0) != 0 || entry["num_players"] != 2) continue;
      CAPTURE(key);
      auto game = io::LoadGame(testing::SharedPath("gambit-games/" + key));
      Solution s = EnumerateExtremeEquilibria(*game);
      // Gambit prints some profiles more than once; compare distinct profiles and payoffs.
      using Profile = std::vector<std::string>;
      std::set<Profile> ours, theirs;
      std::set<std::vector<std::string>> our_pay, their_pay;
      ActionIndex index(*game);
      for (const auto& e : s.equilibria) {
        Profile p;
        for (int pl = 0; pl < 2; ++pl) {
          model::InfosetId h = game->player_infosets(pl).at(0);
          for (std::uint32_t a = 0; a < game->num_actions(h); ++a)
            p.push_back(FormatRational(e.exact_behavior[index(h, a)]));
        }
        ours.insert(p);
        our_pay.insert({FormatRational(e.exact_payoffs[0]), FormatRational(e.exact_payoffs[1])});
        CHECK(e.max_gain == 0);
      }
      for (const auto& e : entry["extreme_equilibria"]) {
        Profile p;
        for (const auto& player : e["profile"])
          for (const auto& x : player) p.push_back(x.get<std::string>());
        theirs.insert(p);
        their_pay.insert({e["payoffs"][0].get<std::string>(), e["payoffs"][1].get<std::string>()});
      }
      CHECK(ours == theirs);
      CHECK(our_pay == their_pay);
      ++games;
    }
    CHECK(games >= 30);
  }

  TEST_CASE("CLI: parley solve FILE.nfg --all, and one equilibrium without it") {
    if (!testing::SharedOrSkip()) return;
    auto r = testing::RunParley("solve " + testing::SharedPath("gambit-games/nfg/coord3.nfg") +
                                " --all --format json");
    REQUIRE(r.exit_code == 0);
    auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["equilibria"].size() == 7);
    CHECK(doc["method"].get<std::string>().find("vertex enumeration") != std::string::npos);
    auto one = testing::RunParley("solve " + testing::SharedPath("gambit-games/nfg/oneill.nfg"));
    CHECK(one.exit_code == 0);
    CHECK(one.out.find("sequence-form LP") != std::string::npos);  // O'Neill's game is zero-sum
  }
}

}  // namespace
}  // namespace parley::equilibrium
