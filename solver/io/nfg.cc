#include "solver/io/nfg.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <sstream>
#include <vector>

#include "solver/io/efg.h"
#include "solver/io/text_scanner.h"
#include "solver/model/error.h"
#include "solver/model/number_text.h"

namespace parley::io {

using model::NormalFormGame;

namespace {

class NfgReader {
 public:
  NfgReader(std::string_view text, const std::string& file, const NfgReadOptions& options)
      : text_(text), scan_(text, file), options_(options) {}

  NormalFormGame Read() {
    Token t = scan_.Next();
    if (t.kind != TokenKind::kSymbol || t.text != "NFG")
      scan_.Fail(t, "not a Gambit strategic-form file: it must start with 'NFG 1 R', found " +
                        TextScanner::Describe(t));
    Token version = scan_.Next();
    if (version.kind != TokenKind::kNumber || version.text != "1")
      scan_.Fail(version, "unsupported .nfg version " + TextScanner::Describe(version) +
                              " (only version 1 exists)");
    Token r = scan_.Next();
    if (r.kind != TokenKind::kSymbol || (r.text != "R" && r.text != "D"))
      scan_.Fail(r, "expected 'R' after 'NFG 1', found " + TextScanner::Describe(r));
    std::string title = TextScanner::Unescape(scan_.Expect(TokenKind::kString, "the title (a quoted string)").text);
    Token open = scan_.Expect(TokenKind::kLeftBrace, "'{' opening the list of player names");
    std::vector<std::string> players = scan_.ReadLabelsToBrace("a player name");
    if (players.empty()) scan_.Fail(open, "the game has no players; list at least one name");
    std::vector<std::vector<std::string>> labels = ReadStrategies(players.size());
    std::string comment;
    if (scan_.Peek().kind == TokenKind::kString) comment = TextScanner::Unescape(scan_.Next().text);
    Token body = scan_.Peek();
    // The table is allocated before its numbers are read: strategies that make more cells than
    // the rest of the file could list (a number, or an outcome's, is at least one character and
    // a separator) are refused here, not after gigabytes of a table that cannot be filled.
    {
      std::size_t cells = 1;
      for (const auto& l : labels) cells = cells > SIZE_MAX / l.size() ? SIZE_MAX : cells * l.size();
      const std::size_t numbers_per_cell = body.kind == TokenKind::kLeftBrace ? 1 : players.size();
      const std::size_t rest =
          body.kind == TokenKind::kEnd ? 0 : text_.size() - static_cast<std::size_t>(body.text.data() - text_.data());
      const std::size_t room = (rest + 1) / 2;
      if (cells <= options_.max_cells && cells > room / numbers_per_cell)
        scan_.Fail(body, "the payoff list ends early: the strategies make " + std::to_string(cells) + " cells (" +
                             std::to_string(numbers_per_cell) + (numbers_per_cell == 1 ? " outcome" : " payoffs") +
                             " each), and the rest of the file has room for at most " + std::to_string(room) +
                             " numbers");
    }
    NormalFormGame game = [&] {
      try {
        return NormalFormGame(players, labels, options_.max_cells);
      } catch (const LimitError& e) {
        throw LimitError(scan_.Where(body), e.message());
      } catch (const ValidationError& e) {
        throw ParseError(scan_.Where(body), e.message());
      }
    }();
    game.SetTitle(title);
    // A table Parley wrote from computed numbers: read its decimals as the doubles they spell.
    computed_ = StripComputedMark(comment);
    game.SetNumbersComputed(computed_);
    game.SetComment(comment);
    if (body.kind == TokenKind::kLeftBrace)
      ReadOutcomeBody(game);
    else
      ReadPayoffBody(game);
    Token extra = scan_.Next();
    if (extra.kind != TokenKind::kEnd)
      scan_.Fail(extra, "unexpected " + TextScanner::Describe(extra) + " after the last cell (the game has " +
                            std::to_string(game.num_cells()) + " cells)");
    return game;
  }

 private:
  // `{ 3 2 }` or `{ { "U" "D" } { "L" "R" } }`.
  std::vector<std::vector<std::string>> ReadStrategies(std::size_t num_players) {
    Token open = scan_.Expect(TokenKind::kLeftBrace, "'{' opening the strategy counts or names");
    std::vector<std::vector<std::string>> labels;
    for (;;) {
      Token t = scan_.Peek();
      if (t.kind == TokenKind::kRightBrace) {
        scan_.Next();
        break;
      }
      if (t.kind == TokenKind::kNumber) {
        // Past a million strategies no table fits anyway (and the cell count is checked next).
        std::int64_t count = scan_.ExpectWholeNumber("number of strategies", 1, 1'000'000);
        std::vector<std::string> names;
        for (std::int64_t s = 1; s <= count; ++s) names.push_back(std::to_string(s));
        labels.push_back(std::move(names));
      } else if (t.kind == TokenKind::kLeftBrace) {
        scan_.Next();
        std::vector<std::string> names = scan_.ReadLabelsToBrace("a strategy label");
        if (names.empty()) scan_.Fail(t, "every player needs at least one strategy");
        labels.push_back(std::move(names));
      } else {
        scan_.Fail(t, "expected a number of strategies, a '{' opening strategy labels, or '}', found " +
                          TextScanner::Describe(t));
      }
    }
    if (labels.size() != num_players)
      scan_.Fail(open, "the strategy list gives " + std::to_string(labels.size()) +
                           " players, the header names " + std::to_string(num_players));
    return labels;
  }

  void ReadPayoffBody(NormalFormGame& game) {
    const int np = game.num_players();
    for (std::size_t c = 0; c < game.num_cells(); ++c)
      for (int p = 0; p < np; ++p) {
        while (scan_.Peek().kind == TokenKind::kComma) scan_.Next();
        if (scan_.Peek().kind == TokenKind::kEnd)
          scan_.Fail(scan_.Peek(), "the payoff list ends early: expected " +
                                       std::to_string(game.num_cells() * np) +
                                       " numbers (cells x players), found " +
                                       std::to_string(c * np + p));
        game.SetPayoff(c, p, AsRead(scan_.ExpectNumber("the payoff of player " + std::to_string(p + 1) +
                                                 " in cell " + std::to_string(c + 1))));
      }
  }

  // A payoff as read. In a table Parley wrote from computed numbers (the mark), a decimal that
  // holds a double (its shortest spelling, or a value a double holds exactly, 0.5) is that
  // double, so that the table is solved, and written again, as it was.
  Number AsRead(Number x) const {
    if (!computed_ || x.kind() != Number::Kind::kDecimal) return x;
    return x.DoubleIsExact() ? Number(x.ToDouble()) : AsComputed(x);
  }

  void ReadOutcomeBody(NormalFormGame& game) {
    const int np = game.num_players();
    scan_.Expect(TokenKind::kLeftBrace, "'{' opening the outcome list");
    std::vector<std::string> labels;
    std::vector<std::vector<Number>> payoffs;
    for (;;) {
      Token t = scan_.Next();
      if (t.kind == TokenKind::kRightBrace) break;
      if (t.kind != TokenKind::kLeftBrace)
        scan_.Fail(t, "expected '{' opening an outcome or '}' closing the list, found " +
                          TextScanner::Describe(t));
      labels.push_back(TextScanner::Unescape(scan_.Expect(TokenKind::kString, "the outcome's label (a quoted string)").text));
      std::vector<Number> pay;
      for (int p = 0; p < np; ++p) {
        while (scan_.Peek().kind == TokenKind::kComma) scan_.Next();
        pay.push_back(AsRead(scan_.ExpectNumber("the payoff of player " + std::to_string(p + 1) + " in outcome " +
                                          std::to_string(labels.size()))));
      }
      while (scan_.Peek().kind == TokenKind::kComma) scan_.Next();
      Token close = scan_.Next();
      if (close.kind != TokenKind::kRightBrace)
        scan_.Fail(close, "expected '}' closing outcome " + std::to_string(labels.size()) + " after " +
                              std::to_string(np) + " payoffs, found " + TextScanner::Describe(close));
      payoffs.push_back(std::move(pay));
    }
    std::vector<std::uint32_t> cells(game.num_cells());
    for (std::size_t c = 0; c < game.num_cells(); ++c) {
      Token t = scan_.Peek();
      if (t.kind == TokenKind::kEnd)
        scan_.Fail(t, "the outcome numbers end early: expected one for each of the " +
                          std::to_string(game.num_cells()) + " cells, found " + std::to_string(c));
      std::int64_t o = scan_.ExpectWholeNumber("outcome number", 0, 2147483647);
      if (o > static_cast<std::int64_t>(payoffs.size()))
        scan_.Fail(t, "outcome " + std::to_string(o) + " does not exist (the list has " +
                          std::to_string(payoffs.size()) + ")");
      cells[c] = static_cast<std::uint32_t>(o);
    }
    game.SetOutcomes(std::move(labels), std::move(payoffs), std::move(cells));
  }

  std::string_view text_;
  TextScanner scan_;
  NfgReadOptions options_;
  bool computed_ = false;  // the comment had io::kComputedMark
};

// A label as the file spells it (see TextScanner::Quote).
std::string Quote(const std::string& s) { return TextScanner::Quote(s); }

// A payoff as the file spells it: a number stated exactly exactly (ExactNumberText: "1/3",
// "1e-15", "1.0000000000000000000001"), each on its own, whatever the others are; a double
// computed in floating point as the .efg writer spells one (FileNumberText): exactly where its
// denominator is short (2, 1/2, 99999999999999991611392 for 1e23's double), else the shortest
// decimal that reads back as it. Read back under the mark, each is the same double again, and
// writing it once more gives the same text.
std::string PayoffText(const Number& x) {
  return x.IsExact() ? ExactNumberText(x.ToRational()) : FileNumberText(x.ToRational(), x.ToDouble(), false);
}

}  // namespace

NormalFormGame ReadNfg(std::string_view text, const std::string& file_name,
                       const NfgReadOptions& options) {
  return NfgReader(text, file_name, options).Read();
}

void WriteNfg(const NormalFormGame& game, std::ostream& out) {
  // A player without a name is "Player k", as in every other output and file Parley writes
  // (GameBuilder's rule; an .nfg copied as a table kept "").
  std::vector<std::string> names = game.players();
  for (std::size_t p = 0; p < names.size(); ++p) {
    if (!names[p].empty()) continue;
    std::string name = "Player " + std::to_string(p + 1);
    while (std::find(names.begin(), names.end(), name) != names.end()) name += "'";
    names[p] = name;
  }
  // A payoff the reader would refuse (an expected payoff of the reduced form may be subnormal,
  // or an exact one below any double): refused here, before anything is written, naming the
  // player and where the payoff stands (an outcome, or a cell as its strategy profile).
  auto refuse = [&](const Number& x, int player, const std::string& where) {
    const std::string problem = DoubleRangeProblem(x);
    if (problem.empty()) return;
    const double d = x.ToDouble();
    const std::string shown = std::isfinite(d) && d != 0 ? FormatDouble(d) : TruncateForMessage(x.ToString(), 40);
    const bool large = !std::isfinite(d);
    throw Error("cannot write the game as .nfg: " + names[static_cast<std::size_t>(player)] + "'s payoff " +
                shown + " " + where + (large ? " is beyond the range of a double (magnitude at most about 1.8e308)"
                                             : " is below about 2.2e-308, where a double keeps only some of its digits") +
                ", and Parley's game readers refuse such a number; " +
                (large ? "scale the payoffs down" : "scale the payoffs up, or write 0 where 0 is meant"));
  };
  if (game.has_outcomes()) {
    for (std::size_t o = 0; o < game.outcome_payoffs().size(); ++o)
      for (std::size_t p = 0; p < game.outcome_payoffs()[o].size(); ++p)
        refuse(game.outcome_payoffs()[o][p], static_cast<int>(p),
               "in outcome " + std::to_string(o + 1) + " " + Quote(game.outcome_labels()[o]));
  } else {
    for (std::size_t c = 0; c < game.num_cells(); ++c)
      for (int p = 0; p < game.num_players(); ++p) {
        const Number& x = game.payoff(c, p);
        if (DoubleRangeProblem(x).empty()) continue;
        std::string profile;
        const std::vector<std::uint32_t> strategies = game.Profile(c);
        for (std::size_t q = 0; q < strategies.size(); ++q)
          profile += (q ? ", " : "") + game.strategy_label(static_cast<int>(q), strategies[q]);
        refuse(x, p, "at (" + profile + ")");
      }
  }
  out << "NFG 1 R " << Quote(game.title()) << " {";
  for (const auto& p : names) out << ' ' << Quote(p);
  out << " }\n{\n";
  for (int p = 0; p < game.num_players(); ++p) {
    out << "{";
    for (std::uint32_t s = 0; s < game.num_strategies(p); ++s) out << ' ' << Quote(game.strategy_label(p, s));
    out << " }\n";
  }
  out << "}\n" << Quote(WithComputedMark(game.comment(), game.numbers_computed())) << "\n\n";
  if (game.has_outcomes()) {
    out << "{\n";
    for (std::size_t o = 0; o < game.outcome_labels().size(); ++o) {
      out << "{ " << Quote(game.outcome_labels()[o]);
      for (std::size_t p = 0; p < game.outcome_payoffs()[o].size(); ++p)
        out << (p ? ", " : " ") << PayoffText(game.outcome_payoffs()[o][p]);
      out << " }\n";
    }
    out << "}\n";
    for (std::size_t c = 0; c < game.num_cells(); ++c) out << (c ? " " : "") << game.cell_outcome(c);
    out << "\n";
  } else {
    for (std::size_t c = 0; c < game.num_cells(); ++c) {
      for (int p = 0; p < game.num_players(); ++p)
        out << (c || p ? " " : "") << PayoffText(game.payoff(c, p));
    }
    out << "\n";
  }
}

std::string WriteNfgString(const NormalFormGame& game) {
  std::ostringstream out;
  WriteNfg(game, out);
  return out.str();
}

}  // namespace parley::io
