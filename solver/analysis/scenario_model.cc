#include "solver/analysis/scenario_model.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "solver/equilibrium/solve.h"
#include "solver/io/files.h"
#include "solver/model/error.h"

namespace parley::analysis {

namespace {

Distribution Convert(const scenario::Distribution& d, const scenario::Parameter& p) {
  using SK = scenario::Distribution::Kind;
  using K = Distribution::Kind;
  Distribution out;
  switch (d.kind) {
    case SK::kUniform: out.kind = K::kUniform; break;
    case SK::kTriangular: out.kind = K::kTriangular; break;
    case SK::kNormal: out.kind = K::kNormal; break;
    case SK::kBeta: out.kind = K::kBeta; break;
    case SK::kDiscrete: out.kind = K::kDiscrete; break;
  }
  out.low = d.low;
  out.high = d.high;
  out.mode = d.mode;
  out.mean = d.mean;
  out.sd = d.sd;
  out.alpha = d.alpha;
  out.beta = d.beta;
  out.values = d.values;
  out.weights = d.weights;
  out.min = p.min;
  out.max = p.max;
  return out;
}

}  // namespace

std::string AgreementStructure(const scenario::BargainRecord& b) {
  if (b.step.lottery) return "a lottery between packages";
  std::string out;
  for (std::size_t k = 0; k < b.issue_names.size() && k < b.step.issue_values.size(); ++k) {
    std::string part;
    if (b.issue_discrete[k]) {
      part = b.step.issue_text[k];  // "agi_clause drop"
    } else {
      double v = b.step.issue_values[k];
      auto [lo, hi] = b.bounds[k];
      auto near = [&](double x) { return std::abs(v - x) <= 1e-9 * (1 + std::abs(x)); };
      part = b.issue_names[k] + (near(lo) ? " at its minimum" : near(hi) ? " at its maximum" : " in between");
    }
    out += (out.empty() ? "" : ", ") + part;
  }
  return out;
}

std::string DescribePath(const model::Game& game, const equilibrium::Equilibrium& eq) {
  equilibrium::ActionIndex index(game);
  return DescribePath(game, eq, index, equilibrium::ReachProbabilities(game, index, eq.behavior));
}

std::string DescribePath(const model::Game& game, const equilibrium::Equilibrium& eq,
                         const equilibrium::ActionIndex& index, const std::vector<double>& reach) {
  std::string out;
  // Once per information set: the nodes of a set reached together share one choice.
  std::vector<char> seen(game.num_infosets(), 0);
  for (model::NodeId v = 0; v < game.num_nodes(); ++v) {
    if (game.kind(v) != model::NodeKind::kDecision || reach[v] <= 0) continue;
    model::InfosetId h = game.infoset(v);
    if (seen[h]) continue;
    seen[h] = 1;
    std::uint32_t first = index.first(h);
    std::string choice;
    if (equilibrium::IsPure(eq.behavior, first, game.num_actions(h))) {
      for (std::uint32_t a = 0; a < game.num_actions(h); ++a)
        if (eq.behavior[first + a] == 1) choice = game.action_label(h, a);
    } else {
      for (std::uint32_t a = 0; a < game.num_actions(h); ++a) {
        if (eq.behavior[first + a] <= 0) continue;
        char p[32];
        std::snprintf(p, sizeof p, "%.4g", eq.behavior[first + a]);
        choice += (choice.empty() ? "" : "/") + game.action_label(h, a) + " " + p;
      }
    }
    if (!out.empty()) out += " > ";
    out += game.player_name(game.player(v)) + " " + choice;
  }
  return out.empty() ? "(no decisions)" : out;
}

Model ScenarioModel(const std::string& path, const ScenarioModelOptions& options) {
  std::string ext = io::Extension(path);
  if (ext != ".yaml" && ext != ".yml")
    throw Error(SourceLocation{path}, "analysis needs a scenario file (.yaml) with parameters");
  std::string text = io::ReadWholeFile(path);
  std::shared_ptr<const scenario::CompiledScenario> compiled =
      scenario::CompiledScenario::Compile(text, path);
  const scenario::Scenario& info = compiled->info();
  Model m;
  m.base_values = compiled->DefaultValues();
  compiled->ApplyOverrides(options.overrides, m.base_values);
  for (const auto& p : info.parameters) {
    m.parameter_names.push_back(p.name);
    m.min.push_back(p.min);
    m.max.push_back(p.max);
    m.distributions.push_back(p.distribution ? Convert(*p.distribution, p) : Distribution{});
  }
  for (const auto& player : info.players) m.value_names.push_back(player);
  // Fail now, with the file's own message, if the base case does not expand or solve; its
  // first bargaining step names the agreed issues reported as values.
  std::size_t issues = 0;
  {
    auto copy = compiled->Clone();
    auto game = copy->Expand(m.base_values, options.max_nodes);
    equilibrium::Solve(*game, equilibrium::SolveOptions{});
    if (!copy->bargains().empty()) {
      const auto& first = copy->bargains().front();
      for (std::size_t k = 0; k < first.issue_names.size(); ++k) {
        std::string name = first.issue_names[k];
        // A discrete issue's value is its option's position: say which is which.
        if (first.issue_discrete[k]) {
          name += " (";
          for (std::size_t o = 0; o < first.options[k].size(); ++o)
            name += (o ? ", " : "") + std::to_string(o) + " " + first.options[k][o];
          name += ")";
        }
        m.value_names.push_back(name);
        ++issues;
      }
    }
  }
  std::size_t max_nodes = options.max_nodes;
  m.make_evaluator = [compiled, max_nodes, issues]() {
    std::shared_ptr<scenario::CompiledScenario> mine = compiled->Clone();
    mine->SetFastBargains(true);
    return [mine, max_nodes, issues](const std::vector<double>& values) {
      model::GamePtr game = mine->Expand(values, max_nodes);
      equilibrium::SolveOptions options;
      equilibrium::Solution s = equilibrium::Solve(*game, options);
      const equilibrium::Equilibrium& eq = s.equilibria.front();
      equilibrium::ActionIndex index(*game);
      std::vector<double> reach = equilibrium::ReachProbabilities(*game, index, eq.behavior);
      Observation o{DescribePath(*game, eq, index, reach), eq.payoffs};
      // The agreement of the first bargaining step on the path: its structure joins the
      // outcome (which issues sit at a bound, which options are chosen), its issue values
      // the numbers (NaN where no agreement is reached).
      std::vector<double> issue_values(issues, std::numeric_limits<double>::quiet_NaN());
      if (!mine->bargains().empty()) {
        for (const auto& b : mine->bargains()) {
          if (reach[b.node] <= 0) continue;
          o.outcome += " | " + b.stage + ": " + AgreementStructure(b);
          std::vector<double> v = b.IssueValuesByPosition();
          for (std::size_t k = 0; k < issues && k < v.size(); ++k) issue_values[k] = v[k];
          break;
        }
      }
      o.values.insert(o.values.end(), issue_values.begin(), issue_values.end());
      return o;
    };
  };
  return m;
}

}  // namespace parley::analysis
