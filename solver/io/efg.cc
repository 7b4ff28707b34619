#include "solver/io/efg.h"

#include <cmath>
#include <algorithm>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "solver/io/text_scanner.h"
#include "solver/model/error.h"
#include "solver/model/game_builder.h"
#include "solver/model/number_text.h"

namespace parley::io {

using model::GameBuilder;
using model::InfosetId;
using model::kNoNode;
using model::kNoOutcome;
using model::LabelId;
using model::NodeId;
using model::OutcomeId;

namespace {

// The ids of the sets (or outcomes) a file numbers: usually 1, 2, 3, ... in order of first
// use, so a vector indexed by number; numbers far beyond those seen so far (a file may use
// any number below 2^31) go to a hash map instead, so memory stays proportional to the file.
class NumberIndex {
 public:
  static constexpr std::uint32_t kAbsent = 0xffffffffu;

  std::uint32_t Find(std::int64_t number) const {
    auto n = static_cast<std::uint64_t>(number);
    if (n < dense_.size()) return dense_[n];
    auto it = sparse_.find(number);
    return it == sparse_.end() ? kAbsent : it->second;
  }
  void Insert(std::int64_t number, std::uint32_t id) {
    auto n = static_cast<std::uint64_t>(number);
    if (n >= dense_.size() && n < 2 * (count_ + 1024)) {
      dense_.resize(2 * (count_ + 1024), kAbsent);
      // Numbers kept in the map that the vector now covers move into it.
      for (auto it = sparse_.begin(); it != sparse_.end();) {
        if (static_cast<std::uint64_t>(it->first) < dense_.size()) {
          dense_[static_cast<std::size_t>(it->first)] = it->second;
          it = sparse_.erase(it);
        } else {
          ++it;
        }
      }
    }
    ++count_;
    if (n < dense_.size())
      dense_[n] = id;
    else
      sparse_.emplace(number, id);
  }

 private:
  std::vector<std::uint32_t> dense_;
  std::unordered_map<std::int64_t, std::uint32_t> sparse_;
  std::size_t count_ = 0;
};

class EfgReader {
 public:
  EfgReader(std::string_view text, const std::string& file, const ReadOptions& options)
      : scan_(text, file), options_(options) {}

  model::GamePtr Read() {
    ReadHeader();
    ReadTree();
    Token extra = scan_.Next();
    if (extra.kind != TokenKind::kEnd)
      scan_.Fail(extra, "unexpected " + TextScanner::Describe(extra) +
                            " after the end of the tree (the tree is complete: every node "
                            "has all its children)");
    try {
      return builder_->Build();
    } catch (const ValidationError& e) {
      throw ValidationError(SourceLocation{scan_.file(), 0, 0}, e.message());
    }
  }

 private:
  // Numbers in the file (players, information sets, outcomes) are at most 2^31 - 1: more than
  // any game has, and every one fits the 32-bit ids of the model without wrapping.
  static constexpr std::int64_t kMaxNumber = 2147483647;

  void ReadHeader() {
    Token t = scan_.Next();
    if (t.kind != TokenKind::kSymbol || t.text != "EFG")
      scan_.Fail(t, "not a Gambit extensive-form file: it must start with 'EFG 2 R', found " +
                        TextScanner::Describe(t));
    Token version = scan_.Next();
    if (version.text != "2")
      scan_.Fail(version, "unsupported .efg version " + TextScanner::Describe(version) +
                              "; only version 2 exists");
    Token r = scan_.Next();
    if (r.kind != TokenKind::kSymbol || (r.text != "R" && r.text != "D"))
      scan_.Fail(r, "expected 'R' after 'EFG 2', found " + TextScanner::Describe(r));
    std::string title = TextScanner::Unescape(scan_.Expect(TokenKind::kString, "the title (a quoted string)").text);
    scan_.Expect(TokenKind::kLeftBrace, "'{' opening the list of player names");
    std::vector<std::string> players = scan_.ReadLabelsToBrace("a player name");
    if (players.empty()) scan_.Fail(t, "the game has no players; list at least one name");
    infosets_.resize(players.size() + 1);
    builder_.emplace(std::move(players));
    // Files exported by other tools often give every action a distinct label: make room for
    // every quoted string of the file (an upper bound on the labels, counted at memchr's
    // speed), so that the labels are not regrown step by step. None is interned (see
    // StoreSetLabels).
    const TextScanner::Survey survey = scan_.SurveyText();
    const std::size_t strings = survey.quotes / 2;
    builder_->SetMaxNodes(options_.max_nodes);
    // ReadInfosetBody and CheckChanceSum check every chance set's probabilities as Build
    // would, and name the line of a failure: Build need not check them again.
    builder_->SetChanceProbabilitiesChecked(true);
    // The labels' text is at most the file's size (room never used is never touched).
    builder_->ReserveLabels(strings, 0, scan_.size());
    // Files give a node a line (those written by Gambit and by other tools): the line count
    // sizes the node arrays (a file on fewer lines grows them as it goes). A node as files
    // write it takes 7 bytes at least (`t "" 0` and a separator), which bounds the estimate
    // for a file of blank lines (a tighter file only grows the arrays).
    builder_->ReserveNodes(std::min(survey.lines, scan_.size() / 7 + 1), strings);
    builder_->SetTitle(std::move(title));
    if (scan_.Peek().kind == TokenKind::kString) {
      std::string comment = TextScanner::Unescape(scan_.Next().text);
      if (StripComputedMark(comment)) builder_->SetNumbersComputed(true);
      builder_->SetComment(std::move(comment));
    }
  }

  // Reads `"label" { "a" [prob] ... }` after an information-set number into raw_labels_ (the
  // set's label, then its actions', as the file spells them) and, for chance, `probs`.
  void ReadInfosetBody(bool chance, std::vector<Number>* probs) {
    std::vector<std::string_view>& raw = raw_labels_;
    raw.clear();
    labels_escaped_ = false;
    auto add = [&](std::string_view text) {
      raw.push_back(text);
      labels_escaped_ = labels_escaped_ || text.find('\\') != std::string_view::npos;
    };
    add(scan_.Peek().kind == TokenKind::kString ? scan_.Next().text : std::string_view());
    scan_.Expect(TokenKind::kLeftBrace, "'{' opening the list of actions");
    for (;;) {
      Token a = scan_.Next();
      if (a.kind == TokenKind::kRightBrace) break;
      if (a.kind != TokenKind::kString)
        scan_.Fail(a, std::string("expected an action label (a quoted string)") +
                          (chance ? " followed by its probability" : "") + " or '}', found " +
                          TextScanner::Describe(a));
      add(a.text);
      if (chance) {
        Token pt = scan_.Peek();
        Number p = scan_.ExpectNumber("the probability of a chance action");
        if (p.ToDouble() < 0 || p.ToDouble() > 1 || (p.IsExact() && (p.ToRational() < 0 || p.ToRational() > 1)))
          scan_.Fail(pt, "chance probability " + std::string(pt.text) +
                             " is outside [0, 1]");
        probs->push_back(p);
      }
    }
    if (raw.size() == 1)
      scan_.Fail(scan_.Peek(), "an information set needs at least one action");
  }

  // Label i of those ReadInfosetBody read, its escapes undone (valid until the next call).
  std::string_view LabelRead(std::size_t i) {
    return labels_escaped_ ? TextScanner::Unescape(raw_labels_[i], unescaped_) : raw_labels_[i];
  }

  // Stores the labels ReadInfosetBody read: the set's into `label`, its actions' into
  // `actions`. They are stored, not interned: files exported by other tools give every set
  // and action a label of its own, and looking each up in a table of millions missed the
  // cache for nothing (12 % of reading such a file); labels repeat across sets only in files
  // small enough for the repeats not to matter.
  void StoreSetLabels(std::vector<LabelId>* actions, LabelId* label) {
    *label = builder_->StoreLabel(LabelRead(0));
    actions->resize(raw_labels_.size() - 1);
    for (std::size_t i = 1; i < raw_labels_.size(); ++i) (*actions)[i - 1] = builder_->StoreLabel(LabelRead(i));
  }

  // Whether the actions ReadInfosetBody read are those set h was declared with.
  bool SameActions(InfosetId h) {
    auto declared = builder_->actions(h);
    if (declared.size() != raw_labels_.size() - 1) return false;
    for (std::size_t i = 0; i < declared.size(); ++i)
      if (builder_->label_text(declared[i]) != LabelRead(i + 1)) return false;
    return true;
  }

  // Checks a chance information set's probabilities sum to 1.
  void CheckChanceSum(const Token& at, const std::vector<Number>& probs) {
    bool exact = true;
    Rational sum = 0;
    double dsum = 0;
    for (const Number& p : probs) {
      if (p.kind() == Number::Kind::kDecimal || p.kind() == Number::Kind::kFloat) exact = false;
      sum += p.ToRational();
      dsum += p.ToDouble();
    }
    if (exact ? sum != 1 : std::abs(dsum - 1.0) > 1e-9)
      scan_.Fail(at, "the probabilities of this chance move sum to " +
                         // The decimals' exact sum, as a decimal: 0.3 + 0.6 is 0.9 (the
                         // doubles' sum printed 0.8999999999999999).
                         (exact ? FormatRational(sum) : FormatDouble(ToDouble(sum))) +
                         ", not 1");
  }

  OutcomeId ReadOutcome() {
    Token t;
    std::int64_t number = scan_.ExpectWholeNumber("outcome number", 0, kMaxNumber, &t);
    const Token& next = scan_.Peek();  // used before the next call of Next or Peek only
    bool has_body = next.kind == TokenKind::kString || next.kind == TokenKind::kLeftBrace;
    if (number == 0) {
      if (has_body)
        scan_.Fail(next, "outcome 0 means \"no outcome\" and cannot have a label or payoffs");
      return kNoOutcome;
    }
    const std::uint32_t known = outcomes_.Find(number);
    if (!has_body) {
      if (known == NumberIndex::kAbsent)
        scan_.Fail(t, "outcome " + std::to_string(number) +
                          " is used before its payoffs are given; give \"label\" { payoffs } "
                          "where it first appears");
      return known;
    }
    std::string_view label;
    Token label_token;
    const bool labelled = next.kind == TokenKind::kString;
    if (labelled) {
      label_token = scan_.Next();
      label = TextScanner::Unescape(label_token.text, unescaped_);
      // A repeated declaration names the outcome as the first did (Gambit writes both in full
      // at every use); another name was dropped without a word.
      if (known != NumberIndex::kAbsent && label != builder_->outcome_label(known))
        scan_.Fail(label_token, "outcome " + std::to_string(number) + " is declared again with another label (\"" +
                                    TruncateForMessage(label, 40) + "\"; it was \"" +
                                    TruncateForMessage(builder_->outcome_label(known), 40) +
                                    "\" first); an outcome has one label");
    }
    Token brace = scan_.Expect(TokenKind::kLeftBrace, "'{' opening the outcome's payoffs");
    std::vector<Number>& payoffs = payoffs_;
    payoffs.clear();
    for (;;) {
      const TokenKind p = scan_.Peek().kind;
      if (p == TokenKind::kRightBrace) {
        scan_.Next();
        break;
      }
      if (p == TokenKind::kComma) {
        scan_.Next();
        continue;
      }
      payoffs.push_back(scan_.ExpectNumber("a payoff"));
    }
    if (static_cast<int>(payoffs.size()) != builder_->num_players())
      scan_.Fail(brace, "outcome " + std::to_string(number) + " has " +
                            std::to_string(payoffs.size()) + " payoffs but the game has " +
                            std::to_string(builder_->num_players()) +
                            " players; give one payoff per player");
    if (known != NumberIndex::kAbsent) {
      // A repeated declaration must agree with the first.
      for (int i = 0; i < builder_->num_players(); ++i)
        if (payoffs[i].ToRational() != builder_->exact_payoff(known, i))
          scan_.Fail(brace, "outcome " + std::to_string(number) +
                                " is declared again with other payoffs");
      return known;
    }
    OutcomeId id = builder_->AddOutcome(label, payoffs);
    outcomes_.Insert(number, id);
    return id;
  }

  void ReadTree() {
    struct Open {
      NodeId node;
      std::uint32_t remaining;
    };
    std::vector<Open> stack;
    bool root_read = false;
    std::vector<LabelId> actions;
    std::vector<Number> probs;
    for (;;) {
      if (root_read && stack.empty()) return;
      Token t = scan_.Next();
      if (t.kind == TokenKind::kEnd) {
        if (!root_read) scan_.Fail(t, "the file has no nodes; the tree starts after the players");
        scan_.Fail(t, "the file ends before the tree is complete: node " +
                          std::to_string(stack.back().node + 1) + " still needs " +
                          std::to_string(stack.back().remaining) + " more child node(s)");
      }
      if (t.kind != TokenKind::kSymbol || t.text.size() != 1 ||
          (t.text[0] != 'c' && t.text[0] != 'p' && t.text[0] != 't'))
        scan_.Fail(t, "expected a node type: 'p' (player), 'c' (chance) or 't' (terminal), "
                      "found " + TextScanner::Describe(t));
      char type = t.text[0];
      // The node's label is kept in node_label_ (not unescaped_, which the labels read below
      // reuse) until the node is added.
      std::string_view node_label = TextScanner::Unescape(
          scan_.Expect(TokenKind::kString, "the node's label (a quoted string, may be \"\")").text,
          node_label_);
      NodeId parent = kNoNode;
      if (!stack.empty()) {
        parent = stack.back().node;
        if (--stack.back().remaining == 0) stack.pop_back();
      }
      root_read = true;
      try {
        if (type == 't') {
          OutcomeId o = ReadOutcome();
          builder_->AddTerminal(parent, o, node_label);
          continue;
        }
        std::int64_t player = 0;
        if (type == 'p') {
          Token pt;
          player = scan_.ExpectWholeNumber("player number", 1, kMaxNumber, &pt);
          if (player > builder_->num_players())
            scan_.Fail(pt, "player " + std::to_string(player) + " does not exist; players are "
                               "numbered 1 to " + std::to_string(builder_->num_players()));
        }
        std::int64_t set_number =
            scan_.ExpectWholeNumber("information set number", 1, kMaxNumber);
        // Sets are numbered per player (chance is player 0).
        NumberIndex& sets = infosets_[static_cast<std::size_t>(player)];
        const std::uint32_t known = sets.Find(set_number);
        Token body = scan_.Peek();
        InfosetId h;
        if (body.kind == TokenKind::kString || body.kind == TokenKind::kLeftBrace) {
          probs.clear();
          ReadInfosetBody(type == 'c', &probs);
          if (known == NumberIndex::kAbsent) {
            LabelId label;
            StoreSetLabels(&actions, &label);
            if (type == 'c') {
              CheckChanceSum(body, probs);
              h = builder_->AddChanceInfoset(label, actions, probs);
            } else {
              h = builder_->AddInfoset(static_cast<int>(player - 1), label, actions);
            }
            sets.Insert(set_number, h);
          } else {
            h = known;
            // Its label, where written, is the first declaration's (Gambit writes it at every
            // node of the set); another one was dropped without a word.
            if (body.kind == TokenKind::kString && LabelRead(0) != builder_->infoset_label(h))
              scan_.Fail(body, "information set " + std::to_string(set_number) +
                                   (type == 'c' ? " of chance" : " of player " + std::to_string(player)) +
                                   " is declared again with another label (\"" + TruncateForMessage(LabelRead(0), 40) +
                                   "\"; it was \"" + TruncateForMessage(builder_->infoset_label(h), 40) +
                                   "\" first); a set has one label");
            bool same = SameActions(h);
            for (std::size_t i = 0; same && i < probs.size(); ++i)
              same = probs[i].ToRational() == builder_->probability(h, static_cast<std::uint32_t>(i)).ToRational();
            if (!same)
              scan_.Fail(body, "information set " + std::to_string(set_number) +
                                   (type == 'c' ? " of chance"
                                                : " of player " + std::to_string(player)) +
                                   " is declared again with other actions" +
                                   (type == 'c' ? " or probabilities" : "") +
                                   "; all its nodes must offer the same actions");
          }
        } else {
          if (known == NumberIndex::kAbsent)
            scan_.Fail(body, "information set " + std::to_string(set_number) +
                                 (type == 'c' ? " of chance" : " of player " + std::to_string(player)) +
                                 " is used before its actions are given; give \"label\" { actions } "
                                 "at its first node");
          h = known;
        }
        OutcomeId o = ReadOutcome();
        NodeId v = builder_->AddNode(parent, h, o, node_label);
        stack.push_back({v, builder_->num_actions(h)});
      } catch (const ParseError&) {
        throw;
      } catch (const ValidationError& e) {
        throw ValidationError(scan_.Where(t), e.message());
      } catch (const LimitError& e) {
        throw LimitError(scan_.Where(t), e.message());
      }
    }
  }

  TextScanner scan_;
  ReadOptions options_;
  std::optional<GameBuilder> builder_;
  std::vector<NumberIndex> infosets_;  // per player, chance first
  NumberIndex outcomes_;
  std::string unescaped_, node_label_;  // labels whose escapes had to be undone
  std::vector<Number> payoffs_;  // reused for every outcome
  std::vector<std::string_view> raw_labels_;  // reused for every information set
  bool labels_escaped_ = false;               // whether one of raw_labels_ has an escape
};

// A label as the file spells it (see TextScanner::Quote).
std::string Quote(std::string_view s) { return TextScanner::Quote(s); }

}  // namespace

model::GamePtr ReadEfg(std::string_view text, const std::string& file_name,
                       const ReadOptions& options) {
  return EfgReader(text, file_name, options).Read();
}

SourceLocation LocateEfgNode(std::string_view text, const std::string& file_name, model::NodeId node) {
  // Node records are the only unquoted single letters p, c and t of the file (the header's
  // words are EFG and R or D; labels are quoted; the rest are numbers and braces).
  try {
    TextScanner scan(text, file_name);
    model::NodeId seen = 0;
    for (Token t = scan.Next(); t.kind != TokenKind::kEnd; t = scan.Next())
      if (t.kind == TokenKind::kSymbol && t.text.size() == 1 &&
          (t.text[0] == 'p' || t.text[0] == 'c' || t.text[0] == 't') && seen++ == node)
        return scan.Where(t);
  } catch (const ParseError&) {
    // A text ReadEfg would refuse has no nodes to locate.
  }
  return SourceLocation{file_name, 0, 0};
}

std::string WithComputedMark(const std::string& comment, bool computed) {
  if (!computed) return comment;
  return comment.empty() ? std::string(kComputedMark) : comment + "\n" + std::string(kComputedMark);
}

std::string WithComputedMark(const model::Game& game) {
  return WithComputedMark(game.comment(), !game.numbers_stated_exactly());
}

bool StripComputedMark(std::string& comment) {
  if (!comment.ends_with(kComputedMark)) return false;
  const std::size_t rest = comment.size() - kComputedMark.size();
  if (rest == 0) {
    comment.clear();
    return true;
  }
  if (comment[rest - 1] != '\n') return false;
  comment.resize(rest - 1);
  return true;
}

void RefuseUnreadablePayoffs(const model::Game& game, std::string_view format) {
  for (OutcomeId o = 0; o < game.num_outcomes(); ++o)
    for (int p = 0; p < game.num_players(); ++p) {
      const double x = game.payoff(o, p);
      if (std::fpclassify(x) != FP_SUBNORMAL) continue;
      std::string where;
      for (NodeId v = 0; v < game.num_nodes(); ++v)
        if (game.outcome(v) == o) {
          const std::string node = game.DescribeNode(v);  // "after In > Fight", "the root", a label
          where = (node.starts_with("after ") ? " " : " at ") + node;
          break;
        }
      throw Error("cannot write the game as " + std::string(format) + ": " + game.players()[p] + "'s payoff " +
                  FormatDouble(x) + where + " is below about 2.2e-308, where a double keeps only some of its "
                  "digits, and Parley's game readers refuse such a number; scale the payoffs up, or write 0 "
                  "where 0 is meant");
    }
}

void WriteEfg(const model::Game& game, std::ostream& out) {
  using model::NodeKind;
  RefuseUnreadablePayoffs(game, ".efg");
  out << "EFG 2 R " << Quote(game.title()) << " {";
  for (const auto& p : game.players()) out << ' ' << Quote(p);
  out << " }\n" << Quote(WithComputedMark(game)) << "\n\n";
  std::vector<bool> set_written(game.num_infosets(), false);
  std::vector<std::uint32_t> chance_number(game.num_infosets(), 0);
  std::uint32_t chance_count = 0;
  std::vector<std::uint32_t> outcome_number(game.num_outcomes(), 0);
  std::uint32_t outcome_count = 0;
  auto write_outcome = [&](model::NodeId v) {
    OutcomeId o = game.outcome(v);
    if (o == kNoOutcome) {
      out << " 0\n";
      return;
    }
    if (outcome_number[o] != 0) {
      out << ' ' << outcome_number[o] << '\n';
      return;
    }
    outcome_number[o] = ++outcome_count;
    out << ' ' << outcome_number[o] << ' ' << Quote(game.outcome_label(o)) << " {";
    for (int p = 0; p < game.num_players(); ++p) out << ' ' << game.payoff_text(o, p);
    out << " }\n";
  };
  for (NodeId v = 0; v < game.num_nodes(); ++v) {  // preorder: the file's order
    std::string_view label = game.node_label(v);
    if (game.kind(v) == NodeKind::kTerminal) {
      out << "t " << Quote(label);
      write_outcome(v);
      continue;
    }
    InfosetId h = game.infoset(v);
    bool chance = game.kind(v) == NodeKind::kChance;
    if (chance) {
      if (chance_number[h] == 0) chance_number[h] = ++chance_count;
      out << "c " << Quote(label) << ' ' << chance_number[h];
    } else {
      out << "p " << Quote(label) << ' ' << game.player(v) + 1 << ' '
          << game.infoset_index_in_player(h) + 1;
    }
    if (!set_written[h]) {
      set_written[h] = true;
      out << ' ' << Quote(game.infoset_label(h)) << " {";
      const std::vector<std::string> probs = chance ? ChanceTexts(game, h) : std::vector<std::string>{};
      for (std::uint32_t a = 0; a < game.num_actions(h); ++a) {
        out << ' ' << Quote(game.action_label(h, a));
        if (chance) out << ' ' << probs[a];
      }
      out << " }";
    }
    write_outcome(v);
  }
}

std::string WriteEfgString(const model::Game& game) {
  std::ostringstream s;
  WriteEfg(game, s);
  return s.str();
}

std::vector<std::string> ChanceTexts(const model::Game& game, model::InfosetId h) {
  std::vector<Rational> exact;
  std::vector<std::string> texts;
  for (std::uint32_t a = 0; a < game.num_actions(h); ++a) {
    exact.push_back(game.written_chance_prob(h, a));
    texts.push_back(game.chance_prob_text(h, a));
  }
  return ChanceProbabilityTexts(exact, texts);
}

}  // namespace parley::io
