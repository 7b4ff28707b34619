#include "solver/report/report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <vector>

#include "solver/io/files.h"
#include "solver/model/error.h"
#include "solver/report/html.h"
#include "solver/report/markdown.h"
#include "solver/report/analysis_sections.h"
#include "solver/report/qre_section.h"
#include "solver/report/solution.h"
#include "solver/report/text.h"

namespace parley::report {

using equilibrium::ActionIndex;
using model::Game;
using model::InfosetId;
using model::NodeId;
using model::NodeKind;

namespace {

std::string Plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// ---- The game or scenario ---------------------------------------------------------------

void ScenarioSection(const ReportInput& input, const ReportOptions&, Document& doc) {
  const Game& game = *input.game;
  const ScenarioInfo& info = input.scenario;
  Section s{"scenario", info.parameters.empty() ? "The game" : "The scenario", {}};
  if (!info.description.empty()) s.blocks.push_back(Paragraph{info.description});
  std::size_t decision = 0, chance = 0;
  for (NodeId v = 0; v < game.num_nodes(); ++v) {
    if (game.kind(v) == NodeKind::kDecision) ++decision;
    if (game.kind(v) == NodeKind::kChance) ++chance;
  }
  Table facts{{"About", "This game"}, {}, {}};
  std::vector<std::string> players = info.players.empty() ? game.players() : info.players;
  facts.rows.push_back({"Players", JoinWithAnd(players)});
  if (!info.source_file.empty())
    facts.rows.push_back({"File", std::filesystem::path(info.source_file).filename().string()});
  facts.rows.push_back({"Game tree", Plural(game.num_nodes(), "node", "nodes") + ": " +
                                         Plural(decision, "decision node", "decision nodes") + ", " +
                                         (chance ? Plural(chance, "chance node", "chance nodes") + ", " : "") +
                                         Plural(game.num_terminals(), "leaf", "leaves")});
  facts.rows.push_back({"Information", game.perfect_information()
                                           ? std::string("perfect: every player sees all earlier moves")
                                           : std::string("imperfect: some players cannot tell some nodes apart")});
  std::vector<std::string> set;
  for (const auto& [name, value] : info.overrides) set.push_back(name + " = " + value);
  if (!set.empty()) facts.rows.push_back({"Changed with --set", JoinWithAnd(set)});
  s.blocks.push_back(std::move(facts));
  if (!info.parameters.empty()) {
    s.blocks.push_back(Subheading{"Parameters"});
    Table t{{"Parameter", "Value", "Range", "Unit", "Source"}, {}, {false, true, false, false, false}};
    for (const ParameterRow& p : info.parameters) {
      std::string range = p.min.empty() && p.max.empty() ? "" : p.min + " to " + p.max;
      std::string name = p.description.empty() ? p.name : p.name + " (" + p.description + ")";
      t.rows.push_back({name, p.value, range, p.unit,
                        p.assumption || p.source.empty() ? "assumption" : p.source});
    }
    s.blocks.push_back(std::move(t));
  }
  if (!info.sources.empty()) {
    s.blocks.push_back(Subheading{"Sources"});
    s.blocks.push_back(ItemList{info.sources, true});
  }
  for (const auto& note : info.notes) s.blocks.push_back(Note{note});
  doc.sections.push_back(std::move(s));
}

// ---- The tree ------------------------------------------------------------------------

void TreeSection(const ReportInput& input, const ReportOptions& options, Document& doc) {
  if (!options.draw_tree) return;
  const Game& game = *input.game;
  const equilibrium::Equilibrium* eq =
      input.solution && !input.solution->equilibria.empty() ? &input.solution->equilibria.front() : nullptr;
  // Top-down when the tree fits the page's width, else left to right (leaves down the page);
  // in HTML a reader can open the subtrees a large tree is collapsed to.
  TreeDrawOptions tree_options = options.tree;
  tree_options.page_width = options.max_tree_width;
  tree_options.interactive = true;
  TreeDrawing drawing = DrawTreeSvg(game, eq, tree_options);
  std::string svg = std::move(drawing.svg);
  Section s{"game-tree", "The game tree", {}};
  std::string caption = "Decision nodes name the player who moves; leaves show the payoffs (" +
                        JoinWithAnd(game.players()) + ")" +
                        (game.has_chance() ? "; diamonds are chance moves, with their probabilities" : "") + ".";
  if (eq) caption += " Thick red edges: the equilibrium path.";
  if (drawing.off_path_choices)
    caption += " Blue edges: what the equilibrium prescribes at nodes off the path.";
  if (!game.perfect_information())
    caption += " Dashed lines join the nodes of one information set: the mover cannot tell them apart.";
  bool mixed = false;
  if (eq) {
    ActionIndex index(game);
    for (InfosetId h = 0; h < game.num_infosets(); ++h)
      if (game.infoset_player(h) != model::kChancePlayer)
        mixed = mixed || !equilibrium::IsPure(eq->behavior, index.first(h), game.num_actions(h));
  }
  if (mixed) caption += " Actions played with a probability below 1 show it as p=...";
  if (drawing.expandable > 0)
    caption += " In the HTML page, click a dashed box to open the subtree it stands for, and click a "
               "node to close its subtree again.";
  else if (drawing.openable > 1)
    caption += " In the HTML page, click a node to close its subtree into a box, and click the box to "
               "open it again.";
  s.blocks.push_back(Figure{"tree", std::move(svg), caption});
  if (!drawing.note.empty()) s.blocks.push_back(Note{drawing.note});
  doc.sections.push_back(std::move(s));
}

// ---- The explanation -----------------------------------------------------------------

void ExplanationSection(const ReportInput& input, const ReportOptions& options, Document& doc) {
  Section s{"explanation", "How the solution is found", {}};
  if (!input.solution || input.solution->equilibria.empty()) {
    s.blocks.push_back(Note{"No equilibrium was computed" +
                            (input.unsolved_reason.empty() ? std::string(".") : ": " + input.unsolved_reason)});
    doc.sections.push_back(std::move(s));
    return;
  }
  ExplainOptions explain = options.explain;
  if (explain.method.empty()) explain.method = input.solution->method;
  Explanation e = Explain(*input.game, input.solution->equilibria.front(), explain);
  s.blocks.push_back(Paragraph{e.introduction});
  ItemList steps{{}, true};
  for (auto& step : e.steps) steps.items.push_back(std::move(step.text));
  if (steps.items.empty())
    s.blocks.push_back(Paragraph{"No player has a choice to make: there is nothing to compare."});
  else
    s.blocks.push_back(std::move(steps));
  if (!e.omitted_note.empty()) s.blocks.push_back(Note{e.omitted_note});
  s.blocks.push_back(Paragraph{e.conclusion});
  if (input.solution->equilibria.size() > 1)
    s.blocks.push_back(Note{"This explains equilibrium 1 of " + std::to_string(input.solution->equilibria.size()) +
                            (options.max_equilibria >= 2
                                 ? std::string("; the others, listed below, are other equilibria of the same game (")
                                 : std::string("; the others (not shown here: --show N shows more) are other "
                                               "equilibria of the same game (")) +
                            (input.game->perfect_information()
                                 ? std::string("they differ where a player is indifferent between actions")
                                 : std::string("each with its own play where players mix or pick among best replies")) +
                            ")."});
  doc.sections.push_back(std::move(s));
}

// ---- The equilibrium tables ----------------------------------------------------------

std::string PlayText(const Game& game, const PathEntry& e) {
  std::vector<std::string> moves;
  for (std::size_t k = 0; k + 1 < e.nodes.size(); ++k) {
    NodeId v = e.nodes[k];
    std::string action = ActionName(game, game.infoset(v), game.action_into(e.nodes[k + 1]));
    moves.push_back(MoverName(game, v) + " " + action);
  }
  if (moves.empty()) return "(the game ends at once)";
  std::string out;
  for (std::size_t k = 0; k < moves.size(); ++k) out += (k ? ", " : "") + moves[k];
  return out;
}

void EquilibriumSection(const ReportInput& input, const ReportOptions& options, Document& doc) {
  if (!input.solution) return;
  const Game& game = *input.game;
  const equilibrium::Solution& solution = *input.solution;
  std::size_t count = solution.equilibria.size();
  Section s{"equilibrium", count > 1 ? "The equilibria" : "The equilibrium", {}};
  s.blocks.push_back(Paragraph{"Method: " + solution.method +
                               (solution.exact ? " in exact rational arithmetic" : "") + "; " +
                               Plural(count, solution.concept_name + " equilibrium",
                                      solution.concept_name + " equilibria") +
                               (solution.truncated ? " listed (there are more)" : "") + "."});
  for (const auto& note : solution.notes) s.blocks.push_back(Note{note});
  // Fractions only for exact quantities, as `parley solve`: exact arithmetic on a game stated
  // exactly (a computed 0.1 * 3 is 1351079888211149/4503599627370496 in exact arithmetic).
  const bool exact = solution.exact && StatedExactly(game);
  if (solution.exact && !exact) s.blocks.push_back(Note{ExactnessNote()});
  ActionIndex index(game);
  std::vector<std::string> names = InfosetNames(game);
  // Every digit of a player's payoffs where six would make two different ones read alike.
  std::vector<std::vector<double>> shown_payoffs;
  for (std::size_t k = 0; k < count && k < options.max_equilibria; ++k) shown_payoffs.push_back(solution.equilibria[k].payoffs);
  const std::vector<char> all_digits = PlayersNeedingAllDigits(game, shown_payoffs);
  // Rounding is judged at the game's own scale: 3e-13 is no rounding in a game stated in 1e-13.
  const double unit = equilibrium::TieUnit(game);
  for (std::size_t k = 0; k < count && k < options.max_equilibria; ++k) {
    const equilibrium::Equilibrium& eq = solution.equilibria[k];
    if (count > 1) s.blocks.push_back(Subheading{"Equilibrium " + std::to_string(k + 1)});
    Table payoffs{{"Player", "Expected payoff"}, {}, {false, true}};
    for (int p = 0; p < game.num_players(); ++p)
      payoffs.rows.push_back({game.player_name(p),
                              exact && !eq.exact_payoffs.empty() ? FormatRational(eq.exact_payoffs[p])
                                                                          : FormatPayoff(eq.payoffs[p], all_digits[p], unit)});
    s.blocks.push_back(std::move(payoffs));
    bool cut = false;
    auto path = EquilibriumPath(game, eq, 20, &cut);
    if (path.size() == 1 && path.front().probability > 0.999999999) {
      s.blocks.push_back(Paragraph{"Path of play: " + PlayText(game, path.front()) + "."});
    } else {
      s.blocks.push_back(Paragraph{"Outcomes reached (most likely first):"});
      Table t{{"Probability", "Play"}, {}, {true, false}};
      for (int p = 0; p < game.num_players(); ++p) {
        t.header.push_back(game.player_name(p));
        t.numeric.push_back(true);
      }
      for (const auto& e : path) {
        std::vector<std::string> row{FormatProbability(e.probability), PlayText(game, e)};
        for (double x : e.payoffs) row.push_back(FormatValue(x, unit));
        t.rows.push_back(std::move(row));
      }
      s.blocks.push_back(std::move(t));
      if (cut) s.blocks.push_back(Note{"More outcomes are reached with small probabilities; parley solve --format json lists them all."});
    }
    std::vector<double> reach = equilibrium::ReachProbabilities(game, index, eq.behavior);
    Table strategy{{"Player", "Decision point", "Choice", "Reached"}, {}, {}};
    std::size_t total = 0;
    for (InfosetId h = 0; h < game.num_infosets(); ++h) {
      int p = game.infoset_player(h);
      if (p == model::kChancePlayer) continue;
      ++total;
      if (strategy.rows.size() >= options.max_strategy_rows) continue;
      auto members = game.infoset_nodes(h);
      double reached = 0;
      for (NodeId v : members) reached += reach[v];
      std::string where = members.size() == 1 && game.infoset_label(h).empty()
                              ? Capitalize(DescribeNode(game, members.front()))
                              : names[h];
      std::uint32_t first = index.first(h), n = game.num_actions(h);
      std::string choice;
      if (equilibrium::IsPure(eq.behavior, first, n)) {
        for (std::uint32_t a = 0; a < n; ++a)
          if (eq.behavior[first + a] == 1) choice = ActionName(game, h, a);
      } else {
        std::vector<std::string> parts;
        for (std::uint32_t a = 0; a < n; ++a)
          if (eq.behavior[first + a] > 0)
            parts.push_back(ActionName(game, h, a) + " " +
                            (exact && !eq.exact_behavior.empty() ? FormatRational(eq.exact_behavior[first + a])
                                                                          : FormatProbability(eq.behavior[first + a])));
        for (std::size_t i = 0; i < parts.size(); ++i) choice += (i ? ", " : "") + parts[i];
      }
      strategy.rows.push_back({game.player_name(p), where, choice,
                               reached > 0 ? (reached >= 0.999999999 ? "yes" : "p=" + FormatProbability(reached)) : "no"});
    }
    s.blocks.push_back(Paragraph{"What each player does at every decision point (a strategy says "
                                 "what to do even where play never goes):"});
    s.blocks.push_back(std::move(strategy));
    if (total > options.max_strategy_rows)
      s.blocks.push_back(Note{"Only the first " + std::to_string(options.max_strategy_rows) + " of " +
                              std::to_string(total) + " decision points are listed; parley solve --format json lists them all."});
    if (!eq.indifferent.empty())
      s.blocks.push_back(Note{Plural(eq.indifferent.size(), "decision node has", "decision nodes have") +
                              " a tie: the mover is indifferent between two or more actions, so other "
                              "equilibria exist" +
                              (count > 1 ? std::string(" (the list of equilibria has them)")
                                         : std::string(" (parley solve --all lists them)")) +
                              "."});
    if (eq.max_gain >= 0)
      s.blocks.push_back(Paragraph{
          eq.max_gain <= 1e-9 ? std::string("Checked: no player gains by deviating in any subgame.")
                              : "Checked: no player gains more than " + FormatValue(eq.max_gain) +
                                    " by deviating in any subgame."});
  }
  if (count > options.max_equilibria)
    s.blocks.push_back(Note{Plural(count - options.max_equilibria, "more equilibrium is", "more equilibria are") +
                            " not shown (--show N shows more; parley solve --all lists them all)."});
  doc.sections.push_back(std::move(s));
}

// ---- Bargaining ------------------------------------------------------------------------

void BargainingSection(const ReportInput& input, const ReportOptions&, Document& doc) {
  if (input.bargaining.empty()) return;
  Section s{"bargaining", "Bargaining", {}};
  s.blocks.push_back(Paragraph{
      "Each bargaining problem is a set of feasible payoff vectors and a disagreement point "
      "(what each side gets if talks fail). The solution concepts pick one agreement: Nash "
      "maximises the product of gains over disagreement, Kalai-Smorodinsky gives each side "
      "the same fraction of its ideal gain, egalitarian gives equal gains, utilitarian "
      "maximises the sum."});
  for (std::size_t k = 0; k < input.bargaining.size(); ++k) {
    const BargainingStep& step = input.bargaining[k];
    s.blocks.push_back(Subheading{step.title.empty() ? "Problem " + std::to_string(k + 1) : step.title});
    if (!step.summary.empty()) s.blocks.push_back(Paragraph{step.summary});
    if (step.chart)
      s.blocks.push_back(Figure{"bargaining-" + std::to_string(k + 1), BargainingChartSvg(*step.chart),
                                "Feasible payoffs (shaded), Pareto frontier (thick line), disagreement "
                                "and ideal points (squares) and the solutions (dots)."});
    Table t{{"Solution"}, {}, {false}};
    for (const auto& p : step.players) {
      t.header.push_back(p);
      t.numeric.push_back(true);
    }
    bool issues = false;
    for (const auto& row : step.solutions) issues = issues || !row.issues.empty() || !row.terms.empty();
    if (issues) {
      t.header.push_back("Agreed terms");
      t.numeric.push_back(false);
    }
    auto point_row = [&](const std::string& name, const std::vector<double>& values) {
      std::vector<std::string> row{name};
      for (std::size_t i = 0; i < step.players.size(); ++i) row.push_back(i < values.size() ? FormatValue(values[i]) : "");
      if (issues) row.push_back("");
      t.rows.push_back(std::move(row));
    };
    if (!step.disagreement.empty()) point_row(step.disagreement_name, step.disagreement);
    if (!step.outside_options.empty()) point_row("Outside options", step.outside_options);
    if (!step.ideal.empty()) point_row("Ideal", step.ideal);
    std::vector<BargainingSolutionRow> rows = step.solutions;
    if (step.agreement) rows.push_back(*step.agreement);
    for (const auto& sol : rows) {
      std::vector<std::string> row{sol.concept_name};
      for (std::size_t i = 0; i < step.players.size(); ++i)
        row.push_back(i < sol.payoffs.size() ? FormatValue(sol.payoffs[i]) : "");
      if (issues) {
        std::vector<std::string> terms;
        for (const auto& [name, value] : sol.issues) terms.push_back(name + " = " + FormatValue(value));
        row.push_back(sol.terms.empty() ? JoinWithAnd(terms) : sol.terms);
      }
      t.rows.push_back(std::move(row));
    }
    s.blocks.push_back(std::move(t));
    for (const auto& note : step.notes) s.blocks.push_back(Note{note});
  }
  doc.sections.push_back(std::move(s));
}

// ---- Sweeps --------------------------------------------------------------------------

void SweepSection(const ReportInput& input, const ReportOptions&, Document& doc) {
  if (!input.sweep) return;
  const SweepResult& sweep = *input.sweep;
  Section s{"sweep", "Varying " + sweep.parameter, {}};
  std::string axis = sweep.parameter + (sweep.unit.empty() ? "" : " (" + sweep.unit + ")");
  LineChartSpec chart;
  chart.title = "Equilibrium payoffs as " + sweep.parameter + " varies";
  chart.x_label = axis;
  chart.y_label = "payoff";
  for (const auto& point : sweep.points) chart.x.push_back(point.value);
  for (std::size_t p = 0; p < sweep.players.size(); ++p) {
    LineSeries series{sweep.players[p], {}};
    for (const auto& point : sweep.points)
      series.y.push_back(p < point.payoffs.size() ? point.payoffs[p] : std::nan(""));
    chart.series.push_back(std::move(series));
  }
  chart.thresholds = sweep.thresholds;
  s.blocks.push_back(Paragraph{"The game was solved at " + std::to_string(sweep.points.size()) +
                               " values of " + sweep.parameter + "; dashed vertical lines mark "
                               "where the equilibrium path changes."});
  s.blocks.push_back(Figure{"sweep", LineChartSvg(chart), "Each player's equilibrium payoff against " + axis + "."});
  if (sweep.threshold_text.empty())
    s.blocks.push_back(Paragraph{"The equilibrium path is the same across the whole range."});
  else
    s.blocks.push_back(ItemList{sweep.threshold_text, false});
  Table t{{sweep.parameter}, {}, {true}};
  for (const auto& p : sweep.players) {
    t.header.push_back(p);
    t.numeric.push_back(true);
  }
  t.header.push_back("Equilibrium path");
  t.numeric.push_back(false);
  for (const auto& point : sweep.points) {
    std::vector<std::string> row{FormatValue(point.value)};
    for (std::size_t p = 0; p < sweep.players.size(); ++p)
      row.push_back(p < point.payoffs.size() && std::isfinite(point.payoffs[p]) ? FormatValue(point.payoffs[p]) : "-");
    row.push_back(point.path);
    t.rows.push_back(std::move(row));
  }
  s.blocks.push_back(std::move(t));
  doc.sections.push_back(std::move(s));
}

}  // namespace

ScenarioInfo ScenarioFromGame(const Game& game, const std::string& source_file) {
  ScenarioInfo info;
  info.title = game.title();
  if (info.title.empty() && !source_file.empty())
    info.title = std::filesystem::path(source_file).stem().string();
  info.description = game.comment();
  info.players = game.players();
  info.source_file = source_file;
  return info;
}

const std::vector<SectionEntry>& ReportSections() {
  static const std::vector<SectionEntry> sections{
      {"scenario", ScenarioSection},   {"game-tree", TreeSection},
      {"explanation", ExplanationSection}, {"equilibrium", EquilibriumSection},
      {"qre", QreSection},
      {"bargaining", BargainingSection},   {"sweep", SweepSection},
      {"tornado", TornadoSection},         {"montecarlo", MonteCarloSection},
  };
  return sections;
}

Document BuildReport(const ReportInput& input, const ReportOptions& options) {
  PARLEY_CHECK(input.game != nullptr);
  Document doc;
  doc.title = input.scenario.title.empty() ? "Game report" : input.scenario.title;
  doc.subtitle = "Equilibrium report written by " + input.generator +
                 (input.scenario.source_file.empty() ? "" : " from " +
                  std::filesystem::path(input.scenario.source_file).filename().string());
  for (const SectionEntry& entry : ReportSections()) entry.build(input, options, doc);
  return doc;
}

void WriteReport(const Document& document, const std::string& path) {
  std::string ext = io::Extension(path);
  if (ext == ".html" || ext == ".htm") {
    io::WriteFileAtomically(path, RenderHtml(document));
    return;
  }
  if (ext == ".md" || ext == ".markdown") {
    std::filesystem::path target(path);
    MarkdownOutput md = RenderMarkdown(document, target.stem().string());
    // Every file written to its temporary first (the report's target checked before anything
    // else: a folder, a read-only file, an input), then the pictures renamed into place and
    // the report last: a failure on the way (a full disk) leaves the old report and its
    // pictures as they were, and a reader never finds a report whose pictures are missing.
    io::AtomicFile report(path);
    std::vector<std::unique_ptr<io::AtomicFile>> pictures;
    for (const auto& [name, svg] : md.files) {
      pictures.push_back(std::make_unique<io::AtomicFile>((target.parent_path() / name).string()));
      pictures.back()->Write(svg);
    }
    report.Write(md.text);
    for (auto& picture : pictures) picture->Commit();
    report.Commit();
    return;
  }
  throw Error(SourceLocation{path}, "unknown report format '" + ext +
                                        "': write .html (one self-contained page) or .md "
                                        "(Markdown with SVG pictures beside it)");
}

}  // namespace parley::report
