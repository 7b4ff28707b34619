// Quoted labels in .efg and .nfg files: what the writer escapes (`"` always, `\` where it would
// otherwise escape what follows) and how the reader undoes it (`\"` and `\\`; a backslash
// before anything else is kept, as Gambit keeps it), so that every label survives a round
// trip and files written by Gambit read as Gambit reads them.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "solver/io/efg.h"
#include "solver/io/game_json.h"
#include "solver/io/nfg.h"
#include "solver/io/text_scanner.h"
#include "solver/model/error.h"
#include "solver/model/game_builder.h"

namespace parley::io {
namespace {

// Labels that the old writer (only `"` escaped) could not write back: a trailing backslash,
// a backslash before a quote, runs of backslashes; and some it could, which must not change.
const std::vector<std::string> kLabels = {
    "left\\",      "back\\slash",  "say \"hi\"",      "a\\\"b",      "\\\\",
    "\\",          "\"",           "\\n",             "C:\\games\\",  "a\\\\\\b",
    "Zoë ⇄ 東京 \\ 🎲", "",        "\\\"\\\"",        "plain",        "\"\\"};

// The string token `quoted` starts with, its escapes undone; `rest` must be the next token.
std::string ReadBack(const std::string& quoted) {
  const std::string text = quoted + " rest";  // the scanner views it
  TextScanner scan(text, "q.efg");
  Token t = scan.Next();
  REQUIRE(t.kind == TokenKind::kString);
  Token after = scan.Next();
  CHECK(after.kind == TokenKind::kSymbol);
  CHECK(after.text == "rest");
  return TextScanner::Unescape(t.text);
}

// A game whose every label (title, comment, players, node, set, action and outcome labels)
// is one of kLabels, the k-th label and its neighbours in turn.
model::GamePtr LabelledGame(std::size_t k) {
  auto label = [&](std::size_t i) { return kLabels[(k + i) % kLabels.size()]; };
  model::GameBuilder b({label(0), label(1) + "#2"});
  b.SetTitle(label(2));
  b.SetComment(label(3));
  const std::vector<std::string> chance_actions = {label(4), label(5) + "#2"};
  const Number half_number(Rational(1, 2), Number::Kind::kFraction);
  const std::vector<Number> half = {half_number, half_number};
  model::InfosetId c = b.AddChanceInfoset(label(6), chance_actions, half);
  const std::vector<std::string> actions = {label(7), label(8) + "#2"};
  model::InfosetId h1 = b.AddInfoset(0, label(9), actions);
  model::InfosetId h2 = b.AddInfoset(1, label(10), actions);
  const std::vector<Number> pay = {1, -2};
  model::OutcomeId o1 = b.AddOutcome(label(11), pay);
  model::OutcomeId o2 = b.AddOutcome(label(12), pay);
  model::NodeId root = b.AddNode(model::kNoNode, c, model::kNoOutcome, label(13));
  model::NodeId v1 = b.AddNode(root, h1, o1, label(14));
  b.AddTerminal(v1, o2, label(0));
  b.AddTerminal(v1, model::kNoOutcome, label(1));
  model::NodeId v2 = b.AddNode(root, h2, model::kNoOutcome, label(2));
  b.AddTerminal(v2, o1);
  b.AddTerminal(v2, o2, label(3));
  return b.Build();
}

void CheckSameLabels(const model::Game& a, const model::Game& b) {
  CHECK(a.title() == b.title());
  CHECK(a.comment() == b.comment());
  CHECK(a.players() == b.players());
  REQUIRE(a.num_nodes() == b.num_nodes());
  for (model::NodeId v = 0; v < a.num_nodes(); ++v) {
    CHECK(a.node_label(v) == b.node_label(v));
    if (a.outcome(v) != model::kNoOutcome)
      CHECK(a.outcome_label(a.outcome(v)) == b.outcome_label(b.outcome(v)));
  }
  REQUIRE(a.num_infosets() == b.num_infosets());
  for (model::InfosetId h = 0; h < a.num_infosets(); ++h) {
    CHECK(a.infoset_label(h) == b.infoset_label(h));
    for (std::uint32_t k = 0; k < a.num_actions(h); ++k) CHECK(a.action_label(h, k) == b.action_label(h, k));
  }
}

std::string EfgError(const std::string& text) {
  try {
    ReadEfg(text, "q.efg");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_SUITE("io.quoting") {
  TEST_CASE("Quote escapes a quote always and a backslash only where it would escape") {
    CHECK(TextScanner::Quote("plain") == "\"plain\"");
    CHECK(TextScanner::Quote("") == "\"\"");
    CHECK(TextScanner::Quote("say \"hi\"") == "\"say \\\"hi\\\"\"");
    CHECK(TextScanner::Quote("left\\") == "\"left\\\\\"");          // "left\\"
    CHECK(TextScanner::Quote("a\\\"b") == "\"a\\\\\\\"b\"");        // "a\\\"b"
    CHECK(TextScanner::Quote("\\\\") == "\"\\\\\\\\\"");            // "\\\\"
    // A lone backslash before anything else is written as it is: Gambit's reader keeps it,
    // and would turn `\\` into three backslashes.
    CHECK(TextScanner::Quote("back\\slash") == "\"back\\slash\"");
    CHECK(TextScanner::Quote("C:\\games\\x") == "\"C:\\games\\x\"");
  }

  TEST_CASE("every string of backslashes, quotes and letters reads back as written") {
    // All 1,093 strings of up to 6 characters over { a \ " }, and the same with UTF-8.
    std::vector<std::string> strings = {""};
    for (int length = 1; length <= 6; ++length) {
      std::vector<std::string> longer;
      for (const std::string& s : strings)
        if (static_cast<int>(s.size()) == length - 1)
          for (char c : {'a', '\\', '"'}) longer.push_back(s + c);
      strings.insert(strings.end(), longer.begin(), longer.end());
    }
    CHECK(strings.size() == 1093);
    for (const std::string& s : strings) {
      CAPTURE(s);
      CHECK(ReadBack(TextScanner::Quote(s)) == s);
      CHECK(ReadBack(TextScanner::Quote("é" + s + "🎲")) == "é" + s + "🎲");
    }
  }

  TEST_CASE("a hand-written Gambit-style file: \\\\ is a backslash, \\\" a quote, other pairs kept") {
    CHECK(ReadBack(R"("\\")") == "\\");             // "\\": one backslash, and the string ends
    CHECK(ReadBack(R"("a \\ b")") == "a \\ b");
    CHECK(ReadBack(R"("\"q\"")") == "\"q\"");
    CHECK(ReadBack(R"("end\\\"")") == "end\\\"");    // a backslash, then a quote
    CHECK(ReadBack(R"("C:\games")") == "C:\\games"); // as Gambit reads it (and writes it)
    CHECK(ReadBack(R"("x\n")") == "x\\n");           // no C escapes: two characters
    CHECK(ReadBack(R"("\\\\")") == "\\\\");
    const std::string efg = R"(EFG 2 R "a \"quoted\" title\\" { "Ann\\" "B\"o" } "C:\notes"

p "n\\" 1 1 "set \\ one" { "left\\" "right" "mid\"dle" } 1 "o\\" { 1 2 }
t "" 0
t "x\y" 0
t "" 2 "\"two\"" { 3 4 }
)";
    auto g = ReadEfg(efg, "hand.efg");
    CHECK(g->title() == "a \"quoted\" title\\");
    CHECK(g->comment() == "C:\\notes");
    CHECK(g->players() == std::vector<std::string>{"Ann\\", "B\"o"});
    CHECK(g->node_label(0) == "n\\");
    CHECK(g->node_label(2) == "x\\y");
    const model::InfosetId h = g->infoset(0);
    CHECK(g->infoset_label(h) == "set \\ one");
    CHECK(g->action_label(h, 0) == "left\\");
    CHECK(g->action_label(h, 1) == "right");
    CHECK(g->action_label(h, 2) == "mid\"dle");
    CHECK(g->outcome_label(g->outcome(0)) == "o\\");
    CHECK(g->outcome_label(g->outcome(3)) == "\"two\"");
    // Written and read again: the same labels.
    CheckSameLabels(*g, *ReadEfg(WriteEfgString(*g), "again.efg"));

    const std::string nfg = R"(NFG 1 R "t\\" { "Row\\" "C\"ol" }
{ { "up\\" "d\own" } { "l\"" } }
"note\\"
{
{ "win\\" 1, 2 }
}
1 0
)";
    auto n = ReadNfg(nfg, "hand.nfg");
    CHECK(n.title() == "t\\");
    CHECK(n.comment() == "note\\");
    CHECK(n.players() == std::vector<std::string>{"Row\\", "C\"ol"});
    CHECK(n.strategy_label(0, 0) == "up\\");
    CHECK(n.strategy_label(0, 1) == "d\\own");
    CHECK(n.strategy_label(1, 0) == "l\"");
    CHECK(n.outcome_labels() == std::vector<std::string>{"win\\"});
  }

  TEST_CASE(".efg and game JSON: every kind of label survives writing and reading") {
    for (std::size_t k = 0; k < kLabels.size(); ++k) {
      CAPTURE(k);
      auto g = LabelledGame(k);
      const std::string text = WriteEfgString(*g);
      CAPTURE(text);
      auto back = ReadEfg(text, "round-trip.efg");
      CheckSameLabels(*g, *back);
      CHECK(WriteEfgString(*back) == text);
      CheckSameLabels(*g, *ReadGameJson(WriteGameJson(*g), "round-trip.json"));
    }
  }

  TEST_CASE(".nfg: every kind of label survives writing and reading, both bodies") {
    for (std::size_t k = 0; k < kLabels.size(); ++k) {
      CAPTURE(k);
      auto label = [&](std::size_t i) { return kLabels[(k + i) % kLabels.size()]; };
      model::NormalFormGame g({label(0), label(1) + "#2"},
                              {{label(2), label(3) + "#2"}, {label(4), label(5) + "#2", label(6) + "#3"}});
      g.SetTitle(label(7));
      g.SetComment(label(8));
      for (bool outcomes : {false, true}) {
        if (outcomes)
          g.SetOutcomes({label(9), label(10)}, {{1, 2}, {Number(Rational(-1, 3), Number::Kind::kFraction), 0}},
                        {1, 2, 0, 1, 2, 2});
        const std::string text = WriteNfgString(g);
        CAPTURE(text);
        auto back = ReadNfg(text, "round-trip.nfg");
        CHECK(back.title() == g.title());
        CHECK(back.comment() == g.comment());
        // A player without a name is written as "Player k", as everywhere else.
        std::vector<std::string> players = g.players();
        for (std::size_t p = 0; p < players.size(); ++p)
          if (players[p].empty()) players[p] = "Player " + std::to_string(p + 1);
        CHECK(back.players() == players);
        for (int p = 0; p < g.num_players(); ++p)
          for (std::uint32_t s = 0; s < g.num_strategies(p); ++s)
            CHECK(back.strategy_label(p, s) == g.strategy_label(p, s));
        CHECK(back.outcome_labels() == g.outcome_labels());
        CHECK(WriteNfgString(back) == text);
      }
    }
  }

  TEST_CASE("malformed strings keep their file:line:col") {
    const std::string head = "EFG 2 R \"g\" { \"A\" \"B\" }\n";
    // A backslash before the closing quote escapes it: the string runs on to the end.
    CHECK(EfgError(head + "t \"left\\\" 0\n") ==
          "q.efg:2:3: unterminated string: a label needs a closing \"; a backslash before a quote "
          "makes the quote part of the label (a backslash that ends a label is written \\\\)");
    CHECK(EfgError(head + "t \"open 0\n") == "q.efg:2:3: unterminated string: a label needs a closing \"");
    CHECK(EfgError(head + "t \"a\\\\\" 0\nt \"unterminated\\\\\\\" 0\n").find("q.efg:3:1: unexpected") == 0);
    // What the old writer made of the action `left\`: the label swallows the next opening
    // quote, and the error is where the text stops making sense.
    CHECK(EfgError(head + "p \"\" 1 1 \"\" { \"left\\\" \"right\" } 0\nt \"\" 0\nt \"\" 0\n")
              .find("q.efg:2:24: expected an action label (a quoted string) or '}', found 'right'") == 0);
    // The line of a string that spans lines, and of what follows it, count its line breaks.
    CHECK(EfgError(head + "t \"two\\\\\nlines\\\"\n\" 0\nt \"\" 0\n").find("q.efg:5:1: unexpected 't'") == 0);
    CHECK_THROWS_WITH_AS(ReadNfg("NFG 1 R \"t\" { \"a\\\" } { 1 }\n1\n", "q.nfg"),
                         doctest::Contains("q.nfg:1:15: unterminated string"), ParseError);
  }
}

}  // namespace
}  // namespace parley::io
