// Nanoseconds per evaluation of one formula: Parley's bytecode (formula::Evaluator) against
// muparser evaluating the same text (what every evaluation cost before the bytecode), for a
// typical payoff formula and a long one. Each iteration changes a value, so that nothing is
// computed once and reused.
//
//   build/bench/formula_bench
#include <benchmark/benchmark.h>
#include <muParser.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "solver/formula/formula.h"

namespace {

using parley::formula::Evaluator;
using parley::formula::ExpressionSet;

struct Case {
  std::vector<std::pair<std::string, double>> names;
  std::string parley_text;    // as a scenario file holds it
  std::string muparser_text;  // what Parley handed muparser for it: words and ifs rewritten
};

const Case& Typical() {
  static const Case c{{{"share", 0.4}, {"value", 100}, {"cost", 3}, {"flag", 1}},
                      "share * value - cost + if(flag, 2, 0)",
                      "share * value - cost + ((flag)?( 2):( 0))"};
  return c;
}

const Case& Long() {
  static const Case c{
      {{"share", 0.4}, {"value", 100}, {"cost", 3}, {"flag", 1}, {"delay", 2}, {"rate", 0.05},
       {"cap", 80}, {"bonus", 5}},
      "if(flag > 0 and share < 0.9, share * value * (1 - rate) - cost * delay^2 + "
      "max(0, bonus - cost), min(value, cap) / (1 + rate) ^ delay) - if(flag or not (delay > 3), "
      "2, 0) + abs(share - 0.5) * sqrt(value) + exp(-rate * delay) * log(1 + cap) % 7",
      "((flag > 0 && share < 0.9)?( share * value * (1 - rate) - cost * delay^2 + max(0, bonus - "
      "cost)):( min(value, cap) / (1 + rate) ^ delay)) - ((flag || !   (delay > 3))?( 2):( 0)) + "
      "abs(share - 0.5) * sqrt(value) + exp(-rate * delay) * log(1 + cap) % 7"};
  return c;
}

void BytecodeBench(benchmark::State& state, const Case& c) {
  ExpressionSet set;
  for (const auto& [name, value] : c.names) set.mutable_symbols().Add(name, value);
  const auto* e = set.Add(c.parley_text, {});
  if (!e->compiled()) {
    state.SkipWithError("the formula is not compiled to bytecode");
    return;
  }
  Evaluator ev(set);
  double share = 0.4;
  for (auto _ : state) {
    share = share < 0.9 ? share + 1e-3 : 0.1;
    ev[0] = share;
    benchmark::DoNotOptimize(ev.Evaluate(*e));
  }
}

void MuparserBench(benchmark::State& state, const Case& c) {
  mu::Parser p;
  p.DefineFun("if", +[](double a, double b, double d) { return a != 0 ? b : d; });
  p.DefineFun("pow", +[](double a, double b) { return std::pow(a, b); });
  p.DefineFun("log", +[](double a) { return std::log(a); });
  p.DefineInfixOprt("!", +[](double a) { return a == 0 ? 1.0 : 0.0; });
  p.DefineOprt("%", +[](double a, double b) { return std::fmod(a, b); }, mu::prMUL_DIV);
  std::vector<double> values;
  values.reserve(c.names.size());
  for (const auto& [name, value] : c.names) {
    values.push_back(value);
    p.DefineVar(name, &values.back());
  }
  p.SetExpr(c.muparser_text);
  p.Eval();
  double share = 0.4;
  for (auto _ : state) {
    share = share < 0.9 ? share + 1e-3 : 0.1;
    values[0] = share;
    benchmark::DoNotOptimize(p.Eval());
  }
}

void BM_TypicalBytecode(benchmark::State& state) { BytecodeBench(state, Typical()); }
void BM_TypicalMuparser(benchmark::State& state) { MuparserBench(state, Typical()); }
void BM_LongBytecode(benchmark::State& state) { BytecodeBench(state, Long()); }
void BM_LongMuparser(benchmark::State& state) { MuparserBench(state, Long()); }

BENCHMARK(BM_TypicalBytecode);
BENCHMARK(BM_TypicalMuparser);
BENCHMARK(BM_LongBytecode);
BENCHMARK(BM_LongMuparser);

}  // namespace

BENCHMARK_MAIN();
