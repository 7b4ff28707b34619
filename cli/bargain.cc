// parley bargain: bargaining solutions (Nash, weighted Nash, Kalai-Smorodinsky, egalitarian,
// utilitarian) over listed outcomes, a continuous agreement space or a transferable surplus;
// Nash's variable-threat game; Rubinstein's alternating offers. Text or JSON.
#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/common.h"
#include "solver/bargaining/agreement_space.h"
#include "solver/bargaining/bargaining.h"
#include "solver/bargaining/problem_file.h"
#include "solver/model/error.h"
#include "solver/model/number.h"
#include "solver/report/bargaining_json.h"
#include "solver/report/bargaining_text.h"

namespace parley::cli {
namespace {

namespace bg = parley::bargaining;

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

std::string Trim(const std::string& text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

double ParseNumber(const std::string& text, const std::string& option) {
  Number number;
  std::string trimmed = Trim(text);
  if (trimmed.empty() || !Number::Parse(trimmed, &number)) {
    throw ValidationError("malformed " + option + ": '" + trimmed + "' is not a number");
  }
  return number.ToDouble();
}

bg::Vector ParseVector(const std::string& text, const std::string& option) {
  bg::Vector v;
  for (const std::string& part : Split(text, ',')) v.push_back(ParseNumber(part, option));
  if (v.empty()) throw ValidationError("malformed " + option + ": no numbers in '" + text + "'");
  return v;
}

std::vector<bg::Vector> ParseRows(const std::string& text, const std::string& option) {
  std::vector<bg::Vector> rows;
  for (const std::string& part : Split(text, ';')) rows.push_back(ParseVector(part, option));
  for (std::size_t k = 1; k < rows.size(); ++k) {
    if (rows[k].size() != rows[0].size()) {
      throw ValidationError("malformed " + option + ": entry " + std::to_string(k + 1) + " has " +
                            std::to_string(rows[k].size()) + " numbers but entry 1 has " +
                            std::to_string(rows[0].size()));
    }
  }
  return rows;
}

struct BargainCommand {
  std::string format;
  std::string outcomes, disagreement, weights;
  bool pure = false;
  std::vector<std::string> issues, utilities, constraints;
  std::string surplus;
  int players = 2;
  std::string threats_row, threats_col;
  bool transferable = false;
  bool alternating = false;
  std::string discount, outside;
  std::string parties;
  int first = 1;
  std::optional<int> rounds;  // absent: an infinite horizon
  double breakdown = 0.0;
  std::string output;
  std::string file;
  std::string file_title;

  std::function<int()> Setup(CLI::App& app) {
    AddFormat(app, format, {"text", "json"});
    app.add_option("file", file,
                   "A small YAML file with the problem (docs/bargaining.md); options given on "
                   "the command line take precedence");
    app.add_option("--outcomes", outcomes,
                   "Listed outcomes, one payoff per player: \"4,1;1,3\" (lotteries allowed)");
    app.add_flag("--pure", pure, "Forbid lotteries: only listed outcomes (reports the cost)");
    app.add_option("--issue", issues, "An issue and its interval, name=lower:upper (repeatable)");
    app.add_option("--utility", utilities,
                   "A player's payoff as a formula of the issues (one per player, in order)");
    app.add_option("--constraint", constraints,
                   "With --issue: a link between issues, \"EXPR <= EXPR\" or \">=\" (repeatable)");
    app.add_option("--parties", parties,
                   "With --issue: the players at the table, e.g. 1,2 (default every player); "
                   "weights and discounts follow this order");
    app.add_option("--surplus", surplus, "Transferable utility: a surplus to split");
    app.add_option("--players", players, "With --surplus: the number of players")
        ->capture_default_str();
    app.add_option("--disagreement", disagreement, "Disagreement point, e.g. 0,0 (default 0)");
    app.add_option("--weights", weights, "Bargaining powers, e.g. 2,1 (adds weighted Nash)");
    app.add_option("--threats-row", threats_row, "Variable threats: row player's payoffs \"5,1;2,4\"");
    app.add_option("--threats-col", threats_col, "Variable threats: column player's payoffs");
    app.add_flag("--transferable", transferable, "Variable threats with transferable utility");
    app.add_flag("--alternating", alternating,
                 "Rubinstein alternating offers over a pie of 1, or with --issue over the issues");
    app.add_option("--discount", discount, "Alternating offers: discount factors d1,d2 (per party with --issue)");
    app.add_option("--first", first, "Alternating offers: first proposer (1 or 2; the party's place with --issue)")
        ->capture_default_str();
    app.add_option("--rounds", rounds, "Alternating offers: finite horizon T (default infinite)");
    app.add_option("--breakdown", breakdown, "Alternating offers: breakdown probability per rejection");
    app.add_option("--outside", outside, "Alternating offers: outside options e1,e2 (shares)");
    app.add_option("-o,--output", output, "Write to this file instead of standard output")
        ->check(kOutputFile);
    return [this] { return Run(); };
  }

  // Fills what the command line left unset from the YAML file.
  void LoadFile() {
    bg::ProblemFile p = bg::ReadProblemFile(file);
    auto take = [](std::string& option, const std::string& value) {
      if (option.empty()) option = value;
    };
    take(outcomes, p.outcomes);
    take(disagreement, p.disagreement);
    take(weights, p.weights);
    take(surplus, p.surplus);
    take(threats_row, p.threats_row);
    take(threats_col, p.threats_col);
    take(discount, p.discount);
    take(outside, p.outside);
    if (issues.empty()) issues = p.issues;
    if (utilities.empty()) utilities = p.utilities;
    if (p.players) players = *p.players;
    if (p.first) first = *p.first;
    if (p.rounds && !rounds) rounds = p.rounds;
    if (p.breakdown) breakdown = *p.breakdown;
    pure = pure || p.pure;
    transferable = transferable || p.transferable;
    alternating = alternating || p.alternating;
    file_title = p.title;
  }

  int Run() {
    if (!file.empty()) LoadFile();
    if (rounds && *rounds < 1)
      throw ValidationError("--rounds is " + std::to_string(*rounds) +
                            "; a finite horizon has at least 1 round (omit --rounds for an infinite horizon)");
    const bool over_issues = !issues.empty() || !utilities.empty();
    int modes = !outcomes.empty() + over_issues + !surplus.empty() +
                (!threats_row.empty() || !threats_col.empty()) + (alternating && !over_issues);
    if (modes != 1) {
      if (!file.empty())
        throw ValidationError(SourceLocation{file}, "give exactly one problem: outcomes, "
                              "issues with utilities, surplus, threats or alternating");
      throw ValidationError("choose exactly one problem: --outcomes, --issue/--utility, "
                            "--surplus, --threats-row/--threats-col or --alternating");
    }
    // An option the chosen problem does not read is refused, not ignored: `--outcomes ...
    // --discount 0.5,0.5` solved the outcomes as if the discounts were not there, and
    // `--alternating --weights 5,1` over a pie still split it by the discounts alone.
    const bool pie = alternating && !over_issues;
    const bool threats = !threats_row.empty() || !threats_col.empty();
    if (!alternating && (!discount.empty() || rounds || first != 1 || breakdown != 0 || !outside.empty()))
      throw ValidationError("--discount, --first, --rounds, --breakdown and --outside need --alternating");
    if (pie && !weights.empty())
      throw ValidationError("--weights with --alternating: the discount factors set the bargaining powers");
    if (pie && !disagreement.empty())
      throw ValidationError("--disagreement with --alternating over a pie: until they agree the pie is worth 0 "
                            "to both; give outside options with --outside");
    if (threats && !disagreement.empty())
      throw ValidationError("--disagreement with --threats-row/--threats-col: the threats decide the "
                            "disagreement point");
    if (pure && outcomes.empty()) throw ValidationError("--pure forbids lotteries between listed outcomes: give it with --outcomes");
    if (transferable && !threats)
      throw ValidationError("--transferable applies to a threat game: give it with --threats-row and --threats-col");
    if (players != 2 && surplus.empty())
      throw ValidationError("--players is the number of players splitting --surplus: give it with --surplus");
    if (!constraints.empty() && issues.empty())
      throw ValidationError("--constraint links issues: give it with --issue and --utility");
    if (!parties.empty() && !over_issues)
      throw ValidationError("--parties chooses who bargains over issues: give it with --issue and --utility");
    if (alternating && !over_issues) return RunAlternating();
    if (!threats_row.empty() || !threats_col.empty()) return RunThreats();
    bg::FeasibleSet set;
    std::size_t n = 0;
    std::string title;
    if (!outcomes.empty()) {
      bg::OutcomeSet outcome_set{ParseRows(outcomes, "--outcomes"), !pure};
      n = outcome_set.outcomes[0].size();
      title = "Bargaining over " + std::to_string(outcome_set.outcomes.size()) + " outcomes" +
              (pure ? " (pure outcomes only, no lotteries)" : " (lotteries allowed)");
      set = outcome_set;
    } else if (!surplus.empty()) {
      set = bg::TransferableSurplus{ParseNumber(surplus, "--surplus"), players};
      n = static_cast<std::size_t>(std::max(players, 0));
      title = "Splitting a transferable surplus of " + Trim(surplus);
    } else {
      bg::AgreementSpace space;
      for (const std::string& text : issues) {
        auto eq = text.find('='), colon = text.find(':', eq == std::string::npos ? 0 : eq);
        if (eq == std::string::npos || colon == std::string::npos) {
          throw ValidationError("malformed --issue '" + text + "': expected name=lower:upper");
        }
        space.issues.push_back({Trim(text.substr(0, eq)),
                                ParseNumber(text.substr(eq + 1, colon - eq - 1), "--issue"),
                                ParseNumber(text.substr(colon + 1), "--issue")});
      }
      space.utilities = utilities;
      n = utilities.size();
      title = "Bargaining over " + std::to_string(space.issues.size()) +
              (space.issues.size() == 1 ? " issue" : " issues");
      set = space;
    }
    bg::Vector d = disagreement.empty() ? bg::Vector(n, 0.0)
                                        : ParseVector(disagreement, "--disagreement");
    bg::Request request;
    if (!weights.empty()) request.weights = ParseVector(weights, "--weights");
    if (over_issues && (!parties.empty() || alternating))
      return RunOverIssues(std::get<bg::AgreementSpace>(set), d, request, title);
    bg::Result result = constraints.empty()
                            ? bg::Solve(set, d, request)
                            : bg::SolveAgreementSpace(std::get<bg::AgreementSpace>(set), d, request, constraints);
    if (format == "json") {
      Emit(report::ToJson(result).dump(2) + "\n", output);
    } else {
      Emit(report::BargainingResultText(file_title.empty() ? title : file_title + "\n" + title, result),
           output);
    }
    return 0;
  }

  // Issues with --parties or --alternating: the problem a scenario bargain with `parties`
  // and `protocol: alternating` poses, solved the same way (SolveAgreement).
  int RunOverIssues(const bg::AgreementSpace& space, const bg::Vector& d, const bg::Request& request,
                    const std::string& title) {
    const std::size_t n = space.utilities.size();
    bg::SpaceTerms terms;
    for (const std::string& part : Split(parties, ',')) {
      const double number = ParseNumber(part, "--parties");
      if (number != std::floor(number) || number < 1 || number > static_cast<double>(n))
        throw ValidationError("--parties: '" + Trim(part) + "' is not a player; players are numbered 1 to " +
                              std::to_string(n) + " (one per --utility)");
      const int player = static_cast<int>(number) - 1;
      if (std::find(terms.parties.begin(), terms.parties.end(), player) != terms.parties.end())
        throw ValidationError("--parties: player " + Trim(part) + " is listed twice; list each party once");
      terms.parties.push_back(player);
    }
    if (!parties.empty() && terms.parties.size() < 2)
      throw ValidationError("--parties: a bargain needs at least 2 parties at the table, e.g. --parties 1,2");
    const std::size_t at_table = terms.parties.empty() ? n : terms.parties.size();
    if (alternating) {
      if (!outside.empty() || breakdown != 0.0)
        throw ValidationError("--outside and --breakdown apply to alternating offers over a pie; over issues "
                              "give the disagreement point with --disagreement");
      if (discount.empty())
        throw ValidationError("--alternating needs --discount with one factor per party, e.g. --discount 0.9,0.8");
      terms.protocol = bg::Protocol::kAlternating;
      terms.alternating.discount = ParseVector(discount, "--discount");
      if (terms.alternating.discount.size() != at_table || at_table != 2)
        throw ValidationError("--discount: alternating offers need exactly 2 parties and one factor each (got " +
                              std::to_string(terms.alternating.discount.size()) + " factors for " +
                              std::to_string(at_table) + " parties); choose two with --parties");
      for (double delta : terms.alternating.discount)
        if (!(delta > 0 && delta < 1))
          throw ValidationError("--discount: a factor is " + FormatDouble(delta) +
                                "; discount factors lie strictly between 0 and 1");
      if (first != 1 && first != 2)
        throw ValidationError("--first must be 1 or 2 (the first or second party)");
      terms.alternating.first = first - 1;
      terms.alternating.rounds = rounds.value_or(0);
      if (!weights.empty())
        throw ValidationError("--weights with --alternating: the discount factors set the bargaining powers");
    }
    bg::AgreementResult full;
    bg::Result result = bg::SolveAgreementSpace(space, d, request, constraints, terms, &full);
    std::vector<int> table = terms.parties;
    if (table.empty())
      for (std::size_t i = 0; i < n; ++i) table.push_back(static_cast<int>(i));
    std::string party_list;
    for (int i : table) party_list += (party_list.empty() ? "" : ", ") + std::to_string(i + 1);
    if (format == "json") {
      nlohmann::json json = report::ToJson(result);
      json["parties"] = nlohmann::json::array();
      for (int i : table) json["parties"].push_back(i + 1);
      if (alternating) {
        nlohmann::json a;
        a["payoffs"] = full.payoffs;
        nlohmann::json values;
        for (std::size_t k = 0; k < space.issues.size() && k < full.issue_values.size(); ++k)
          values[space.issues[k].name] = full.issue_values[k];
        a["issues"] = values;
        a["precision"] = full.optimality == bg::Optimality::kExact      ? "exact"
                         : full.optimality == bg::Optimality::kKktPoint ? "KKT point, concavity sampled"
                                                                        : "best found";
        a["method"] = full.search;
        json["alternating"] = a;
      }
      Emit(json.dump(2) + "\n", output);
      return 0;
    }
    // (BargainingResultText appends ", N players": the parties are named before it.)
    std::string heading = (file_title.empty() ? title : file_title + "\n" + title) + " (parties " + party_list + ")";
    std::string text = report::BargainingResultText(heading, result);
    if (alternating) {
      std::ostringstream out;
      out << "\nAlternating offers between players " << table[0] + 1 << " and " << table[1] + 1 << ", discounts "
          << FormatDouble(terms.alternating.discount[0]) << " and " << FormatDouble(terms.alternating.discount[1])
          << ", player " << table[static_cast<std::size_t>(terms.alternating.first)] + 1 << " first, "
          << (rounds ? std::to_string(*rounds) + (*rounds == 1 ? " round" : " rounds") : std::string("infinite horizon")) << ":\n";
      out << "  agreement:";
      for (std::size_t k = 0; k < space.issues.size() && k < full.issue_values.size(); ++k)
        out << (k ? ", " : " ") << space.issues[k].name << " = " << FormatDouble(full.issue_values[k]);
      out << "\n  payoffs:";
      for (std::size_t i = 0; i < full.payoffs.size(); ++i) out << (i ? ", " : " ") << FormatDouble(full.payoffs[i]);
      out << "\n  method: " << full.search << " ("
          << (full.optimality == bg::Optimality::kExact ? "exact" : "nonlinear frontier") << ")\n";
      text += out.str();
    }
    Emit(text, output);
    return 0;
  }

  int RunThreats() {
    if (threats_row.empty() || threats_col.empty()) {
      throw ValidationError("variable threats need both --threats-row and --threats-col");
    }
    bg::Vector w;
    if (!weights.empty()) w = ParseVector(weights, "--weights");
    bg::Result result = bg::SolveThreatGame(ParseRows(threats_row, "--threats-row"),
                                            ParseRows(threats_col, "--threats-col"),
                                            transferable, w);
    if (format == "json") {
      Emit(report::ToJson(result).dump(2) + "\n", output);
      return 0;
    }
    std::string text = report::ThreatGameText(result, transferable);
    Emit(text, output);
    return 0;
  }

  int RunAlternating() {
    if (discount.empty()) throw ValidationError("--alternating needs --discount d1,d2");
    bg::Vector factors = ParseVector(discount, "--discount");
    if (factors.size() != 2) throw ValidationError("--discount needs two factors, d1,d2");
    for (double delta : factors)  // the message of alternating offers over issues
      if (!(delta > 0 && delta < 1))
        throw ValidationError("--discount: a factor is " + FormatDouble(delta) +
                              "; discount factors lie strictly between 0 and 1");
    bg::AlternatingOffers game;
    game.discount = {factors[0], factors[1]};
    if (first != 1 && first != 2) throw ValidationError("--first must be 1 or 2");
    game.first = first - 1;
    game.rounds = rounds;
    game.breakdown = breakdown;
    if (!outside.empty()) {
      bg::Vector e = ParseVector(outside, "--outside");
      if (e.size() != 2) throw ValidationError("--outside needs two options, e1,e2");
      game.outside = {e[0], e[1]};
    }
    bg::AlternatingOffersResult result = bg::SolveAlternatingOffers(game);
    if (format == "json") {
      Emit(report::ToJson(result).dump(2) + "\n", output);
      return 0;
    }
    std::string text = report::AlternatingOffersText(game, result);
    Emit(text, output);
    return 0;
  }
};

BargainCommand bargain_command;
PARLEY_REGISTER_COMMAND(bargain, "bargain",
                        "Bargaining solutions: Nash, Kalai-Smorodinsky, egalitarian, "
                        "utilitarian; variable threats; alternating offers",
                        50, [](CLI::App& app) { return bargain_command.Setup(app); });

}  // namespace
}  // namespace parley::cli
