#include "solver/scenario/compiled_evaluator.h"

#include <algorithm>
#include <bit>
#include <cstdint>

#include "solver/scenario/internal.h"

namespace parley::scenario {

namespace {

// A formula that decides the tree's shape, with what it decides, in words.
struct ShapeFormula {
  const Expression* expr;
  std::string what;
};

std::vector<ShapeFormula> ShapeFormulas(const CompiledScenario::Impl& impl) {
  std::vector<ShapeFormula> out;
  auto add = [&](const Expression* e, const std::string& what) {
    if (e) out.push_back({e, what});
  };
  for (const StageDef& def : impl.stages) {
    const std::string stage = "stage '" + impl.info.stages[def.info_index].name + "'";
    add(def.condition, "the condition of " + stage);
    if (def.action_kind == ActionKind::kRange) {
      add(def.from.expr, "the action range of " + stage);
      add(def.to.expr, "the action range of " + stage);
      add(def.step.expr, "the action range of " + stage);
    }
    if (def.action_kind == ActionKind::kValues)
      for (const Formula& f : def.values) add(f.expr, "the actions of " + stage);
  }
  for (const RepeatDef& r : impl.repeats) {
    const std::string block = "the repeat block of '" + impl.formulas.symbols().name(r.var_slot) + "'";
    add(r.from.expr, "the bounds of " + block);
    add(r.to.expr, "the bounds of " + block);
    add(r.while_condition, "the 'while' of " + block);
  }
  return out;
}

bool Reads(const Expression& e, const std::vector<char>& tainted) {
  for (int slot : e.used_slots())
    if (tainted[static_cast<std::size_t>(slot)]) return true;
  return false;
}

// The slots whose values follow parameter slot `from`: itself, computed variables whose
// formulas read a followed slot (to a fixed point), and every bargain's issues (their values
// are the agreement's, which any parameter may move).
std::vector<char> Follows(const CompiledScenario::Impl& impl, int from) {
  std::vector<char> tainted(impl.formulas.symbols().size(), 0);
  tainted[static_cast<std::size_t>(from)] = 1;
  for (const StageDef& def : impl.stages)
    if (def.bargain)
      for (const BargainIssueDef& issue : def.bargain->issues)
        tainted[static_cast<std::size_t>(issue.var_slot)] = 1;
  for (bool changed = true; changed;) {
    changed = false;
    for (const StageDef& def : impl.stages)
      for (const auto& [slot, expr] : def.compute)
        if (!tainted[static_cast<std::size_t>(slot)] && Reads(*expr, tainted)) {
          tainted[static_cast<std::size_t>(slot)] = 1;
          changed = true;
        }
  }
  return tainted;
}

std::string WhyNotCompiled(const CompiledScenario::Impl& impl) {
  if (impl.info.explicit_tree) return "the scenario is an explicit tree";
  for (const StageDef& def : impl.stages) {
    const std::string stage = "stage '" + impl.info.stages[def.info_index].name + "'";
    if (def.bargain && !def.bargain->after.empty())
      return "bargain " + stage + " has after_agreement stages (solved for every candidate agreement)";
    for (const Formula& f : def.probabilities)
      if (f.literal && !f.literal->DoubleIsExact())
        return stage + " has a probability written as an exact fraction";
  }
  return "";
}

}  // namespace

CompiledEvaluator::CompiledEvaluator(std::shared_ptr<const CompiledScenario> scenario,
                                     ExpandOptions options)
    : scenario_(std::move(scenario)), options_(options) {
  const CompiledScenario::Impl& impl = scenario_->impl();
  unsupported_ = WhyNotCompiled(impl);
  parameter_reasons_.assign(impl.parameter_slots.size(), "");
  if (!unsupported_.empty()) return;
  const std::vector<ShapeFormula> shape = ShapeFormulas(impl);
  for (std::size_t p = 0; p < impl.parameter_slots.size(); ++p) {
    std::vector<char> tainted = Follows(impl, impl.parameter_slots[p]);
    for (const ShapeFormula& f : shape)
      if (Reads(*f.expr, tainted)) {
        parameter_reasons_[p] = "it reaches " + f.what;
        break;
      }
  }
}

bool CompiledEvaluator::Rewrites(std::span<const std::size_t> varied) const {
  if (!unsupported_.empty()) return false;
  return std::all_of(varied.begin(), varied.end(),
                     [&](std::size_t p) { return parameter_reasons_.at(p).empty(); });
}

std::string CompiledEvaluator::DescribePath(std::span<const std::size_t> varied) const {
  if (!unsupported_.empty()) return "full expansion per point: " + unsupported_;
  const Scenario& info = scenario_->info();
  for (std::size_t p : varied)
    if (!parameter_reasons_.at(p).empty())
      return "full expansion per point: parameter '" + info.parameters[p].name +
             "' changes the tree's shape (" + parameter_reasons_[p] + ")";
  return "compiled once: the tree is expanded once per thread, and each point rewrites its "
         "payoffs, probabilities and bargains";
}

CompiledEvaluator::Scratch::Scratch(const CompiledEvaluator& evaluator)
    : owner_(&evaluator), workspace_(*evaluator.scenario_),
      games_(std::make_unique<CompiledGames>()) {}
CompiledEvaluator::Scratch::~Scratch() = default;

const Expansion& CompiledEvaluator::Evaluate(std::span<const double> values,
                                             Scratch& scratch) const {
  PARLEY_CHECK(scratch.owner_ == this);
  const CompiledScenario::Impl& impl = scenario_->impl();
  formula::Evaluator& evaluator = scratch.workspace_.state_->evaluator;
  CompiledGames& games = *scratch.games_;
  // The kept games serve when every parameter that changes the shape has their value.
  bool keep = unsupported_.empty() && games.game != nullptr;
  for (std::size_t p = 0; keep && p < values.size(); ++p)
    keep = parameter_reasons_[p].empty() || values[p] == scratch.kept_at_[p];
  // The memos pay where one parameter moves at a time (sweeps, thresholds, the explorer's
  // sliders); where several move at once (Monte Carlo draws) they would miss.
  if (keep) {
    std::size_t moved = 0;
    const std::vector<double>& last = scratch.last_values_;
    for (std::size_t p = 0; p < values.size() && moved < 2; ++p)
      moved += p >= last.size() || std::bit_cast<std::uint64_t>(values[p]) != std::bit_cast<std::uint64_t>(last[p]);
    games.remember = moved < 2;
  }
  scratch.last_values_.assign(values.begin(), values.end());
  OneLineErrors([&] {
    if (keep) {
      try {
        impl.Rewrite(values, options_, evaluator, games, scratch.result_);
        ++scratch.rewrites_;
        return;
      } catch (const model::ShapeChanged&) {
        // The analysis above missed something: expand in full, as if nothing had been kept.
      }
    }
    ++scratch.expansions_;
    games.game = nullptr;
    games.remember = true;
    if (!unsupported_.empty()) {
      impl.Expand(values, options_, evaluator, scratch.result_);
      return;
    }
    impl.Record(values, options_, evaluator, games, scratch.result_);
    scratch.kept_at_.assign(values.begin(), values.end());
  });
  return scratch.result_;
}

}  // namespace parley::scenario
