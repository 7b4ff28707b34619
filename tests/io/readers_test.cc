// What the readers refuse, with a location: numbers out of range (never folded or wrapped),
// labels that are not UTF-8 (JSON output must be UTF-8), YAML alias bombs, and messages that
// would echo a huge input whole.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include "solver/io/efg.h"
#include "solver/io/game_json.h"
#include "solver/io/nfg.h"
#include "solver/io/text_scanner.h"
#include "solver/io/utf8.h"
#include "solver/model/error.h"
#include "solver/scenario/scenario.h"

namespace parley::io {
namespace {

std::string EfgError(const std::string& text) {
  try {
    ReadEfg(text, "g.efg");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
std::string NfgError(const std::string& text) {
  try {
    ReadNfg(text, "g.nfg");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
std::string JsonError(const std::string& text) {
  try {
    ReadGameJson(text, "g.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
std::string ScenarioError(const std::string& text) {
  try {
    scenario::ReadScenario(text, "s.yaml", {});
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

const std::string kHead = "EFG 2 R \"g\" { \"A\" \"B\" }\n";

TEST_SUITE("io readers") {
  TEST_CASE("game JSON: an unknown key is refused at its place, with a suggestion") {
    const std::string good = R"({"players": ["A", "B"], "infosets": [{"player": 1, "actions": ["a", "b"]}],
      "outcomes": [{"payoffs": [1, 0]}, {"payoffs": [0, 1]}],
      "nodes": [{"infoset": 0, "label": "root"}, {"outcome": 0}, {"outcome": 1}]})";
    CHECK(JsonError(good) == "");
    auto with = [&](const std::string& from, const std::string& to) {
      std::string text = good;
      text.replace(text.find(from), from.size(), to);
      return JsonError(text);
    };
    CHECK(with("\"label\": \"root\"", "\"lable\": \"root\"") ==
          "g.json:3:32: nodes[0]: unknown key \"lable\" (did you mean 'label'?); the keys here are infoset, outcome, label");
    CHECK(with("\"player\": 1", "\"player\": 1, \"foo\": 2").rfind("g.json:1:52: infosets[0]: unknown key \"foo\"", 0) == 0);
    CHECK(with("{\"payoffs\": [1, 0]}", "{\"payoffs\": [1, 0], \"lbl\": \"x\"}")
              .rfind("g.json:2:40: outcomes[0]: unknown key \"lbl\"", 0) == 0);
    CHECK(with("\"players\"", "\"zzz\": 1, \"players\"").rfind("g.json:1:2: (top level): unknown key \"zzz\"", 0) == 0);
    // Probabilities on a player's set: a chance move with the wrong player, refused, not
    // solved as the player's decision with the probabilities dropped.
    CHECK(with("\"player\": 1", "\"player\": 1, \"probabilities\": [\"9/10\", \"1/10\"]") ==
          "g.json:1:69: infosets[0].probabilities: only a chance move has probabilities; this set is player 1's "
          "(write \"player\": \"chance\" for a chance move, or drop the probabilities)");
  }

  TEST_CASE("game JSON: a refused value is located at its line and column, past strings and nesting") {
    // Labels with brackets, commas, colons and escaped quotes before the value: the locator
    // skips them as strings. Lines and columns counted by hand from the text below.
    const std::string text =
        "{\n"
        "  \"players\": [\"A\", \"B\"],\n"
        "  \"infosets\": [\n"
        "    {\"player\": 1, \"label\": \"x, [y]: {\\\"z\\\"}\", \"actions\": [\"a\", \"b\"]}\n"
        "  ],\n"
        "  \"outcomes\": [{\"label\": \"]}\", \"payoffs\": [1, 0]},\n"
        "               {\"payoffs\": [0, [2]]}],\n"
        "  \"nodes\": [{\"infoset\": 0}, {\"outcome\": 0}, {\"outcome\": 1}]\n"
        "}\n";
    // outcomes[1].payoffs[1] is the "[2]" on line 7: 15 spaces, then {"payoffs": [0,  (16 more
    // characters) and the value at column 32.
    CHECK(JsonError(text) == "g.json:7:32: outcomes[1].payoffs[1]: expected a number such as 3, \"-1/2\" or \"0.25\", found [2]");
    std::string wrong_node = text;
    wrong_node.replace(wrong_node.find("{\"outcome\": 1}"), 14, "{\"outcome\": 9}");
    wrong_node.replace(wrong_node.find("[0, [2]]"), 8, "[0, 2]");
    // Line 8: 2 spaces, "nodes": [ (cols 3-12), {"infoset": 0}, (13-27), a space, {"outcome": 0},
    // (29-43), a space, and the third node's { at column 45, its 9 at column 57.
    CHECK(JsonError(wrong_node) == "g.json:8:57: nodes[2].outcome: no such outcome (outcomes are numbered from 0)");
    // A key that a path cannot spell (a dot in it): shown at its object, still named exactly.
    std::string dotted = wrong_node;
    dotted.replace(dotted.find("{\"outcome\": 9}"), 14, "{\"outcome\": 1, \"a.b\": 2}");
    CHECK(JsonError(dotted) == "g.json:8:45: nodes[2]: unknown key \"a.b\"; the keys here are infoset, outcome, label");
  }

  TEST_CASE("game JSON: a key given twice in one object is refused at the second") {
    // nlohmann's parser keeps the last of two equal keys: {"outcome": 0, "outcome": 1} read as
    // outcome 1, the first silently dropped.
    const std::string good = R"({"players": ["A", "B"], "infosets": [{"player": 1, "actions": ["a", "b"]}],
      "outcomes": [{"payoffs": [1, 0]}, {"payoffs": [0, 1]}],
      "nodes": [{"infoset": 0}, {"outcome": 0}, {"outcome": 1}]})";
    auto with = [&](const std::string& from, const std::string& to) {
      std::string text = good;
      text.replace(text.find(from), from.size(), to);
      return JsonError(text);
    };
    CHECK(with("{\"outcome\": 0}", "{\"outcome\": 0, \"outcome\": 1}") ==
          "g.json:3:48: the key \"outcome\" appears twice in this object; give it once (the reader would keep "
          "only the last)");
    CHECK(with("\"players\": [\"A\", \"B\"]", "\"players\": [\"A\", \"B\"], \"players\": [\"C\", \"D\"]")
              .rfind("g.json:1:25: the key \"players\" appears twice", 0) == 0);
    // The same key in sibling objects, in nested objects, or as a string value is not a repeat.
    CHECK(JsonError(good) == "");
    CHECK(with("\"actions\": [\"a\", \"b\"]", "\"actions\": [\"player\", \"b\"]") == "");
    CHECK(with("{\"outcome\": 0}", "{\"outcome\": 0, \"label\": \"outcome\"}") == "");
    // Two keys repeated in one object: the message names the repeat that comes first in the
    // file (the second "label", column 62), not the first key in sorted order ("label" <
    // "outcome" here either way, so the order is also checked with the keys swapped).
    CHECK(with("{\"outcome\": 0}", "{\"outcome\": 0, \"label\": \"x\", \"label\": \"y\", \"outcome\": 1}")
              .rfind("g.json:3:62: the key \"label\" appears twice", 0) == 0);
    CHECK(with("{\"outcome\": 0}", "{\"label\": \"x\", \"outcome\": 0, \"outcome\": 1, \"label\": \"y\"}")
              .rfind("g.json:3:62: the key \"outcome\" appears twice", 0) == 0);
  }

  TEST_CASE("efg: information set 4294967297 is refused, not folded onto set 1") {
    // 4294967297 = 2^32 + 1: the old reader kept its low 32 bits, 1, and merged the two nodes
    // into one information set (the game silently became one of imperfect information).
    std::string two_sets = kHead +
                           "p \"\" 1 1 \"\" { \"a\" \"b\" } 0\n"
                           "p \"\" 2 1 \"\" { \"x\" \"y\" } 0\nt \"\" 0\nt \"\" 0\n"
                           "p \"\" 2 4294967297 \"\" { \"x\" \"y\" } 0\nt \"\" 0\nt \"\" 0\n";
    CHECK(EfgError(two_sets) ==
          "g.efg:6:8: information set number '4294967297' is out of range; it must be from 1 to "
          "2147483647");
    // Within range, two numbers are two sets.
    std::string ok = two_sets;
    ok.replace(ok.find("4294967297"), 10, "2147483647");
    auto game = ReadEfg(ok, "g.efg");
    CHECK(game->num_infosets() == 3);
  }

  TEST_CASE("efg: every number is range-checked where it is read") {
    CHECK(EfgError(kHead + "p \"\" 99999999999999999999999 1 \"\" { \"a\" } 0\nt \"\" 0\n") ==
          "g.efg:2:6: player number '99999999999999999999999' is out of range; it must be from 1 "
          "to 2147483647");
    CHECK(EfgError(kHead + "p \"\" -1 1 \"\" { \"a\" } 0\nt \"\" 0\n").find("g.efg:2:6: player number '-1' is out of range") == 0);
    CHECK(EfgError(kHead + "p \"\" 1 0 \"\" { \"a\" } 0\nt \"\" 0\n").find("g.efg:2:8: information set number '0' is out of range") == 0);
    CHECK(EfgError(kHead + "t \"\" 4294967296 \"o\" { 1 2 }\n") ==
          "g.efg:2:6: outcome number '4294967296' is out of range; it must be from 0 to 2147483647");
    CHECK(EfgError(kHead + "t \"\" -3 \"o\" { 1 2 }\n").find("g.efg:2:6: outcome number '-3' is out of range") == 0);
    CHECK(EfgError(kHead + "c \"\" 18446744073709551617 \"\" { \"h\" 1 } 0\nt \"\" 0\n").find("g.efg:2:6: information set number") == 0);
    CHECK(EfgError(kHead + "t \"\" 1.5 \"o\" { 1 2 }\n").find("g.efg:2:6: expected outcome number (a whole number), found '1.5'") == 0);
  }

  TEST_CASE("nfg: strategy counts and outcome numbers are range-checked") {
    CHECK(NfgError("NFG 1 R \"g\" { \"A\" \"B\" } { 2 18446744073709551618 }\n") ==
          "g.nfg:1:29: number of strategies '18446744073709551618' is out of range; it must be "
          "from 1 to 1000000");
    CHECK(NfgError("NFG 1 R \"g\" { \"A\" \"B\" } { 0 2 }\n").find("g.nfg:1:27: number of strategies '0' is out of range") == 0);
    std::string outcomes = "NFG 1 R \"g\" { \"A\" \"B\" } { 1 2 }\n{ { \"o\" 1 2 } }\n1 ";
    CHECK(NfgError(outcomes + "4294967297\n") ==
          "g.nfg:3:3: outcome number '4294967297' is out of range; it must be from 0 to "
          "2147483647");
    CHECK(NfgError(outcomes + "2\n") == "g.nfg:3:3: outcome 2 does not exist (the list has 1)");
    CHECK(NfgError(outcomes + "1\n").empty());
  }

  TEST_CASE("game JSON: player numbers and integers are range-checked, never wrapped") {
    std::string head = R"({"players": ["A", "B"], "infosets": [{"player": )";
    std::string tail = R"(, "actions": ["a"]}], "outcomes": [{"payoffs": [1, 2]}],
                          "nodes": [{"infoset": 0}, {"outcome": 0}]})";
    CHECK(JsonError(head + "1" + tail).empty());
    // 2^32 + 1 became player 1 through get<int>().
    CHECK(JsonError(head + "4294967297" + tail) ==
          "g.json:1:49: infosets[0].player: 4294967297 is out of range; it must be from 1 to 2");
    CHECK(JsonError(head + "-9223372036854775808" + tail).find("is out of range") != std::string::npos);
    CHECK(JsonError(head + "18446744073709551615" + tail).find("is out of range") != std::string::npos);
    // A payoff of 2^63 + 1 is read exactly, not wrapped to -2^63 + 1 through get<long>().
    std::string big = R"({"players": ["A"], "outcomes": [{"payoffs": [9223372036854775809]}],
                          "nodes": [{"outcome": 0}]})";
    auto game = ReadGameJson(big, "g.json");
    CHECK(game->payoff_text(0, 0) == "9223372036854775809");
  }

  TEST_CASE("labels that are not UTF-8 are refused where they are read") {
    // "caf\xe9" is Latin-1; "\xc3\x28" an invalid pair; "\xed\xa0\x80" a UTF-16 surrogate.
    CHECK(EfgError(kHead + "t \"caf\xe9\" 0\n") ==
          "g.efg:2:7: label is not valid UTF-8 (byte 0xe9); save the file as UTF-8");
    CHECK(EfgError("EFG 2 R \"g\" { \"A\" \"\xc3\x28\" }\nt \"\" 0\n").find("g.efg:1:20: label is not valid UTF-8 (byte 0xc3)") == 0);
    CHECK(EfgError(kHead + "t \"a\nb\xed\xa0\x80\" 0\n").find("g.efg:3:2: label is not valid UTF-8 (byte 0xed)") == 0);
    CHECK(NfgError("NFG 1 R \"g\" { \"A\" \"B\" } { { \"U\" \"\xff\" } { \"L\" } }\n").find("g.nfg:1:34: label is not valid UTF-8 (byte 0xff)") == 0);
    CHECK(JsonError("{\"players\": [\"A\xff\"], \"nodes\": [{}]}").find("g.json:1:16: invalid JSON") == 0);
    CHECK(ScenarioError("title: t\nplayers: [A, \"B\xc0\xaf\"]\n") ==
          "s.yaml:2:16: label is not valid UTF-8 (byte 0xc0); YAML files are UTF-8 text: save "
          "the file as UTF-8");
    // Valid UTF-8 of every length passes.
    CHECK(EfgError(kHead + "t \"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\" 0\n").empty());
  }

  TEST_CASE("a single byte that is not ASCII is found anywhere in a large file") {
    // The survey of a file (quotes, lines, whether all bytes are ASCII) runs over blocks of 32
    // bytes in runs of 255 blocks: a bad byte at the edges of blocks and runs, and in the tail,
    // must still turn the UTF-8 check on.
    std::string head = kHead;
    std::string filler(20000, ' ');
    for (std::size_t at : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{8159},
                           std::size_t{8160}, std::size_t{16319}, std::size_t{19990}}) {
      std::string text = head + filler.substr(0, at) + "t \"caf\xe9\" 0\n" + filler.substr(at);
      std::string error = EfgError(text);
      CHECK_MESSAGE(error.find("label is not valid UTF-8 (byte 0xe9)") != std::string::npos, at);
    }
    // The counts the reader sizes its arrays from match a plain count.
    std::string text;
    for (int i = 0; i < 3000; ++i) text += i % 7 == 0 ? "\"x\"\n" : i % 3 == 0 ? "ab\n" : "\"";
    TextScanner scanner(text, "t");
    const TextScanner::Survey survey = scanner.SurveyText();
    CHECK(survey.quotes == static_cast<std::size_t>(std::count(text.begin(), text.end(), '"')));
    CHECK(survey.lines == 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  }

  TEST_CASE("the UTF-8 check agrees with RFC 3629 on the edge cases") {
    CHECK(FindInvalidUtf8("plain") == std::string_view::npos);
    CHECK(FindInvalidUtf8("\xc2\x80") == std::string_view::npos);          // U+0080
    CHECK(FindInvalidUtf8("\xf4\x8f\xbf\xbf") == std::string_view::npos);  // U+10FFFF
    CHECK(FindInvalidUtf8("ab\xc1\xbf") == 2);                             // overlong
    CHECK(FindInvalidUtf8("\xe0\x9f\xbf") == 0);                           // overlong
    CHECK(FindInvalidUtf8("\xf4\x90\x80\x80") == 0);                       // past U+10FFFF
    CHECK(FindInvalidUtf8("x\xe2\x82") == 1);                              // cut short
    CHECK(FindInvalidUtf8("\x80") == 0);                                   // lone continuation
  }

  TEST_CASE("a YAML alias bomb is refused at once, with where it grows too large") {
    // Nine levels of ten aliases each stand for 10^9 nodes in about 700 bytes.
    std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level <= 9; ++level) {
      std::string prev = "*a" + std::to_string(level - 1);
      bomb += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
      for (int k = 0; k < 10; ++k) bomb += (k ? ", " : "") + prev;
      bomb += "]\n";
    }
    auto start = std::chrono::steady_clock::now();
    std::string message = ScenarioError(bomb);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // a_k stands for 1 + 10 + ... + 10^(k+1) nodes: a4 for 111,111, a5 for 1,111,111, so the
    // count passes 10^6 within line 6, at a5's eighth alias (the lines above hold 123,461).
    CHECK(message.find("s.yaml:6:") == 0);
    CHECK(message.find("more than 1000000 nodes once its aliases (*name) are expanded") != std::string::npos);
    CHECK(seconds < 2.0);
    // An alias or two, as a scenario writes them, is fine (games/entry_deterrence.yaml has one).
    CHECK(ScenarioError("a: &p [1, 2]\nb: *p\n").find("nodes once its aliases") == std::string::npos);
  }

  TEST_CASE("messages cut what they echo: a 200 KB formula, a number of 10,001 digits") {
    std::string formula(200'000, 'x');
    std::string message = ScenarioError(
        "players: [A, B]\nparameters:\n  p: {value: 1}\nstages:\n  - name: s\n    player: A\n"
        "    actions: [l, r]\npayoffs:\n  A: " + formula + " +\n  B: 0\n");
    CHECK(message.find("in formula 'xxxxx") != std::string::npos);
    CHECK(!message.empty());
    CHECK(message.size() < 1100);
    std::string digits(10'001, '9');
    std::string efg = EfgError(kHead + "t \"\" " + digits + " \"o\" { 1 2 }\n");
    CHECK(efg.find("g.efg:2:6: outcome number '9999") == 0);
    CHECK(efg.size() < 200);
    // The bound itself: start and end kept, the middle cut, never more than kMaxMessage + a bit.
    std::string bounded = Error("start " + std::string(5000, 'y') + " end; do this").what();
    CHECK(bounded.size() < kMaxMessage + 100);
    CHECK(bounded.find("start yyy") == 0);
    CHECK(bounded.substr(bounded.size() - 13) == " end; do this");
    CHECK(TruncateForMessage("abc\xc3\xa9", 4) == "abc... (5 bytes)");  // not mid-character
  }
}

}  // namespace
}  // namespace parley::io
