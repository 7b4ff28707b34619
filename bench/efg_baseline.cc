// A minimal .efg reader and backward-induction solver, the yardstick for `parley solve` on
// large files (docs/performance.md): one pass over the text, no interning, no validation
// beyond what it needs, no output but the root's values. Perfect information only (with
// chance). It also writes the benchmark's hard case: a large file with three players, chance
// nodes, outcomes on internal nodes, and a distinct label on every node, set, action and
// outcome, as files exported from other tools have.
//
//   build/bench/efg_baseline --generate 1000000 hard.efg
//   time build/bench/efg_baseline hard.efg
//   time build/cli/parley solve hard.efg > /dev/null
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Scanner {
  const char* begin;
  const char* p;
  const char* end;
  void Skip() {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t' || *p == ',')) ++p;
  }
  bool At(char c) { Skip(); return p < end && *p == c; }
  void String() {  // skips a quoted string
    Skip();
    ++p;
    while (p < end && *p != '"') p += *p == '\\' ? 2 : 1;
    ++p;
  }
  double Number() {  // integer, decimal or fraction a/b
    Skip();
    char* stop;
    double x = std::strtod(p, &stop);
    if (stop == p) {
      std::fprintf(stderr, "efg_baseline: a number expected at byte %td\n", p - begin);
      std::exit(1);
    }
    p = stop;
    if (p < end && *p == '/') {
      ++p;
      x /= std::strtod(p, &stop);
      p = stop;
    }
    return x;
  }
  long Whole() { Skip(); char* stop; long x = std::strtol(p, &stop, 10); p = stop; return x; }
};

int Solve(const std::string& text) {
  Scanner s{text.data(), text.data(), text.data() + text.size()};
  s.Skip();
  s.p += 3;  // EFG
  s.Whole();  // 2
  s.Skip();
  ++s.p;     // R
  s.String();
  int players = 0;
  s.At('{');
  ++s.p;
  while (!s.At('}')) s.String(), ++players;
  ++s.p;
  if (s.At('"')) s.String();
  // Nodes in preorder: kind, mover, number of children, chance probabilities, payoffs
  // accumulated from the outcomes on the way down (Gambit adds them up).
  std::vector<char> kind;
  std::vector<int> mover;
  std::vector<std::uint32_t> children;
  std::vector<std::vector<double>> set_probs;  // chance sets, by number
  std::vector<int> chance_set;
  std::vector<std::vector<double>> outcomes;   // by number
  std::vector<double> value;                   // per node, per player
  std::vector<std::uint32_t> open;             // children still to read, per open node
  std::vector<std::uint32_t> open_node;
  std::vector<double> along(players, 0.0);
  std::vector<std::vector<double>> along_stack;
  while (true) {
    s.Skip();
    if (s.p >= s.end) break;
    char k = *s.p++;
    s.String();  // node label
    int who = 0, set = 0, count = 0;
    if (k != 't') {
      if (k == 'p') who = static_cast<int>(s.Whole());
      set = static_cast<int>(s.Whole());
      if (s.At('"')) s.String();
      if (s.At('{')) {
        ++s.p;
        std::vector<double> probs;
        while (!s.At('}')) {
          s.String();
          if (k == 'c') probs.push_back(s.Number());
          ++count;
        }
        ++s.p;
        if (k == 'c') {
          if (set_probs.size() <= static_cast<std::size_t>(set)) set_probs.resize(2 * set + 1);
          set_probs[set] = probs;
        }
      } else {
        count = static_cast<int>(set_probs.size() > static_cast<std::size_t>(set) ? set_probs[set].size() : 2);
      }
    }
    long o = s.Whole();
    if (o != 0 && (s.At('"') || s.At('{'))) {
      if (s.At('"')) s.String();
      s.At('{');
      ++s.p;
      std::vector<double> pay;
      while (!s.At('}')) pay.push_back(s.Number());
      ++s.p;
      if (outcomes.size() <= static_cast<std::size_t>(o)) outcomes.resize(2 * o + 1);
      outcomes[o] = pay;
    }
    // Payoffs accumulated from the root: the parent's plus this node's outcome.
    std::vector<double> here = along_stack.empty() ? std::vector<double>(players, 0.0) : along_stack.back();
    if (o != 0)
      for (int i = 0; i < players; ++i) here[i] += outcomes[o][i];
    if (!open.empty() && --open.back() == 0) open.pop_back(), open_node.pop_back(), along_stack.pop_back();
    kind.push_back(k);
    mover.push_back(who - 1);
    chance_set.push_back(k == 'c' ? set : -1);
    children.push_back(static_cast<std::uint32_t>(count));
    if (k == 't') {
      value.insert(value.end(), here.begin(), here.end());
    } else {
      value.insert(value.end(), players, 0.0);
      open.push_back(static_cast<std::uint32_t>(count));
      open_node.push_back(static_cast<std::uint32_t>(kind.size() - 1));
      along_stack.push_back(here);
    }
  }
  // Backward induction, last node first: a node's children follow it, each after the
  // previous child's subtree, so subtree ends are found on the way.
  const std::size_t n = kind.size();
  std::vector<std::uint32_t> end(n);
  for (std::size_t v = n; v-- > 0;) {
    std::uint32_t c = static_cast<std::uint32_t>(v + 1);
    double* out = &value[v * players];
    double best = -1e300;
    for (std::uint32_t a = 0; a < children[v]; ++a) {
      const double* child = &value[c * static_cast<std::size_t>(players)];
      if (kind[v] == 'c') {
        double q = set_probs[chance_set[v]][a];
        for (int i = 0; i < players; ++i) out[i] += q * child[i];
      } else if (child[mover[v]] > best) {
        best = child[mover[v]];
        for (int i = 0; i < players; ++i) out[i] = child[i];
      }
      c = end[c];
    }
    end[v] = c;
  }
  std::printf("%zu nodes; root values:", n);
  for (int i = 0; i < players; ++i) std::printf(" %g", value[i]);
  std::printf("\n");
  return 0;
}

// The hard case, in preorder: nodes get 2 or 3 children until the size is reached; one in
// ten is a chance node, one in ten carries an outcome; every label is distinct.
void Generate(std::size_t target, const std::string& path) {
  std::mt19937_64 rng(7);
  std::ofstream out(path);
  out << "EFG 2 R \"hard\" { \"P1\" \"P2\" \"P3\" }\n\"\"\n\n";
  std::size_t count = 0, outcome = 0, sets[4] = {0, 0, 0, 0};
  std::vector<int> stack{0};
  auto pay = [&] { return static_cast<int>(rng() % 19) - 9; };
  while (!stack.empty()) {
    int depth = stack.back();
    stack.pop_back();
    ++count;
    std::size_t room = target > count ? target - count : 0;
    if (depth > 30 || room < 4 * (stack.size() + 1) || (depth > 3 && rng() % 100 < 35)) {
      ++outcome;
      out << "t \"leaf" << count << "\" " << outcome << " \"o" << outcome << "\" { " << pay()
          << ", " << pay() << ", " << pay() << " }\n";
      continue;
    }
    int k = 2 + static_cast<int>(rng() % 2);
    std::ostringstream tail;
    if (rng() % 10 == 0) {
      ++outcome;
      tail << " " << outcome << " \"o" << outcome << "\" { 1, 0, -1 }";
    } else {
      tail << " 0";
    }
    if (rng() % 10 == 0) {
      out << "c \"n" << count << "\" " << ++sets[0] << " \"\" {";
      for (int a = 0; a < k; ++a) out << " \"c" << count << "_" << a << "\" 1/" << k;
    } else {
      int p = 1 + static_cast<int>(rng() % 3);
      ++sets[p];
      out << "p \"n" << count << "\" " << p << " " << sets[p] << " \"s" << p << "_" << sets[p] << "\" {";
      for (int a = 0; a < k; ++a) out << " \"a" << count << "_" << a << "\"";
    }
    out << " }" << tail.str() << "\n";
    for (int a = 0; a < k; ++a) stack.push_back(depth + 1);
  }
  std::printf("%zu nodes written to %s\n", count, path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--generate") == 0) {
    Generate(std::strtoull(argv[2], nullptr, 10), argv[3]);
    return 0;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: efg_baseline FILE.efg | efg_baseline --generate NODES FILE.efg\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Solve(buffer.str());
}
