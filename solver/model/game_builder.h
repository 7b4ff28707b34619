// GameBuilder: the only way to make a Game. Add information sets, outcomes and nodes in any
// order that names each node's parent before the node; Build() numbers the nodes in preorder,
// lays the arrays out and validates the whole game. Errors name the node by its path of
// action labels from the root.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "solver/model/game.h"
#include "solver/model/number.h"

namespace parley::model {

namespace detail {
// Zero-filled memory for large hash tables: from 4 MB up, an anonymous mapping aligned to and
// advised for transparent huge pages (random probes into tens of megabytes otherwise miss the
// TLB at almost every step, and fault a 4 KB page at a time); smaller, calloc. Free with the
// same size. Throws std::bad_alloc.
void* AllocateZeroed(std::size_t bytes);
void FreeZeroed(void* memory, std::size_t bytes) noexcept;

// A fixed-size array of T (trivially copyable, all-zero bytes meaning empty) in such memory.
template <class T>
class ZeroedArray {
 public:
  ZeroedArray() = default;
  explicit ZeroedArray(std::size_t size)
      : data_(static_cast<T*>(AllocateZeroed(size * sizeof(T)))), size_(size) {}
  ZeroedArray(const ZeroedArray& other) : ZeroedArray(other.size_) {
    std::copy(other.data_, other.data_ + size_, data_);
  }
  ZeroedArray(ZeroedArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  ZeroedArray& operator=(ZeroedArray other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~ZeroedArray() {
    if (data_ != nullptr) FreeZeroed(data_, size_ * sizeof(T));
  }
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};
}  // namespace detail

class GameBuilder {
 public:
  // Players by name, in order; at least one.
  explicit GameBuilder(std::vector<std::string> players);

  void SetTitle(std::string title) { title_ = std::move(title); }
  void SetComment(std::string comment) { comment_ = std::move(comment); }
  // The numbers added from now on were written from a game computed in floating point (a file
  // Parley wrote with io::kComputedMark): a decimal that is the shortest spelling of a double
  // counts as that double (Number::Kind::kFloat), as a scenario's formulas gave it; integers,
  // fractions and other decimals keep their values. The game built is not one whose numbers
  // were all stated exactly (Game::numbers_stated_exactly), whatever they look like.
  void SetNumbersComputed(bool computed) { numbers_computed_ = computed; }
  // Building stops with LimitError once more nodes than this are added.
  void SetMaxNodes(std::size_t max_nodes) { max_nodes_ = max_nodes; }
  // Build checks that every chance set's probabilities lie in [0, 1] and sum to 1 (exactly
  // when all are integers or fractions, within 1e-9 otherwise). A caller that has already
  // made exactly that check on every chance set it adds (the .efg reader, which reports a
  // failure at its line in the file) may say so here, and Build skips its second pass over
  // the probabilities in exact arithmetic. Off by default: every other caller is checked.
  void SetChanceProbabilitiesChecked(bool checked) { chance_checked_ = checked; }

  // Interns a label; equal strings get equal ids (0 is the empty label).
  LabelId Intern(std::string_view label);
  // Stores a label without looking it up: a new id even for a text stored before (0 for the
  // empty label). For readers of files whose labels rarely repeat, where a lookup would cost
  // more than the text it saves; the text of the stored labels is at most the file's.
  LabelId StoreLabel(std::string_view label);
  // The text of a label id returned by Intern or StoreLabel.
  std::string_view label_text(LabelId id) const { return LabelText(id); }
  // Interns labels[i] into ids[i], in order (the same ids as Intern on each in turn), with
  // the table's memory fetched for all of them before any is looked up: in a file with a
  // distinct label on every action, every lookup misses the cache, and this overlaps them.
  void InternAll(std::span<const std::string_view> labels, LabelId* ids);
  // Makes room for about `count` labels in all, `interned` of them through Intern, and `bytes`
  // bytes of their text (a reader's estimates from the file), so that storing them does not
  // grow the tables step by step. Room that stays unused is never touched.
  void ReserveLabels(std::size_t count, std::size_t interned, std::size_t bytes = 0);
  // Makes room for about `nodes` nodes (and as many information sets and outcomes) and
  // `actions` action labels, a reader's estimates from the file: the arrays are then written
  // once, not regrown and copied step by step (each copy faults in fresh pages). Room that
  // stays unused is never touched; Build trims an array only when much of it is unused.
  void ReserveNodes(std::size_t nodes, std::size_t actions);

  // A personal information set of `player` (0-based) with its action labels (at least one).
  InfosetId AddInfoset(int player, std::string_view label, std::span<const std::string> actions);
  InfosetId AddInfoset(int player, LabelId label, std::span<const LabelId> actions);
  // A chance information set: actions with their probabilities.
  InfosetId AddChanceInfoset(std::string_view label, std::span<const std::string> actions,
                             std::span<const Number> probabilities);
  InfosetId AddChanceInfoset(LabelId label, std::span<const LabelId> actions,
                             std::span<const Number> probabilities);

  // An outcome: one payoff per player.
  OutcomeId AddOutcome(std::string_view label, std::span<const Number> payoffs);
  OutcomeId AddOutcome(std::span<const double> payoffs);  // unlabelled, computed payoffs

  // A decision or chance node (by its information set's player) under `parent`
  // (kNoNode for the root). Children attach to their parent in the order they are added:
  // the i-th child follows action i.
  NodeId AddNode(NodeId parent, InfosetId infoset, OutcomeId outcome = kNoOutcome,
                 std::string_view label = {});
  NodeId AddTerminal(NodeId parent, OutcomeId outcome, std::string_view label = {});
  void SetOutcome(NodeId node, OutcomeId outcome);

  std::size_t num_nodes() const { return parent_.size(); }
  int num_players() const { return static_cast<int>(players_.size()); }
  std::uint32_t num_actions(InfosetId h) const { return infosets_[h].num_actions; }
  // What was declared so far (readers compare repeated declarations with these).
  int infoset_player(InfosetId h) const { return infosets_[h].player; }
  std::span<const LabelId> actions(InfosetId h) const {
    return {action_labels_.data() + infosets_[h].first_action, infosets_[h].num_actions};
  }
  const Number& probability(InfosetId h, std::uint32_t a) const {
    return probs_[infosets_[h].first_prob + a];
  }
  Rational exact_payoff(OutcomeId o, int player) const;
  std::string_view outcome_label(OutcomeId o) const { return LabelText(outcome_labels_[o]); }
  std::string_view infoset_label(InfosetId h) const { return LabelText(infosets_[h].label); }

  // Validates and returns the game; the builder is left empty. Throws ValidationError.
  GamePtr Build();

 private:
  struct InfosetDraft {
    int player;
    LabelId label;
    std::uint32_t first_action;
    std::uint32_t num_actions;
    std::uint32_t first_prob;  // chance only
  };
  NodeId AddAnyNode(NodeId parent, NodeKind kind, InfosetId infoset, OutcomeId outcome,
                    std::string_view label);
  std::string DescribeNode(NodeId v) const;  // by builder ids

  std::string title_, comment_;
  std::vector<std::string> players_;
  std::size_t max_nodes_ = 0;  // 0 = no limit
  bool chance_checked_ = false;  // SetChanceProbabilitiesChecked

  // Labels: label id i is label_chars_[label_start_[i] .. label_start_[i + 1]) (id 0 is "";
  // the text of all labels end to end, as the game keeps it). Interned ones are found through an
  // open-addressing table of ids with linear probing: a lookup hashes the text once, compares
  // 32 bits of its hash before any text, and allocates nothing (files with a distinct label
  // on every action intern millions of labels).
  struct LabelSlot {
    LabelId id = 0;           // 0: empty
    std::uint32_t tag = 0;    // the high bits of the label's hash
  };
  // Intern's lookup and insertion, the table having room for one more label.
  LabelId InternHashed(std::string_view label, std::size_t hash);
  void RehashLabels(std::size_t slots);
  // Appends a label's text (a LimitError past 4 GiB of label text in all).
  LabelId AppendLabel(std::string_view label);
  std::string_view LabelText(LabelId id) const {
    return {label_chars_.data() + label_start_[id], label_start_[id + 1] - label_start_[id]};
  }
  std::string label_chars_;
  std::vector<std::uint32_t> label_start_;
  std::vector<LabelId> interned_;  // the ids in the table
  detail::ZeroedArray<LabelSlot> label_slots_;

  std::vector<InfosetDraft> infosets_;
  std::vector<LabelId> action_labels_;
  std::vector<Number> probs_;

  std::vector<LabelId> outcome_labels_;
  std::vector<double> payoffs_;
  std::vector<std::pair<std::size_t, Rational>> exact_payoffs_;  // (index, value), sparse
  bool numbers_computed_ = false;  // SetNumbersComputed
  bool computed_payoffs_ = false;  // a payoff computed in floating point (Number::Kind::kFloat)

  std::vector<NodeId> parent_;
  std::vector<NodeKind> kind_;
  std::vector<InfosetId> infoset_;
  std::vector<OutcomeId> outcome_;
  std::vector<std::pair<NodeId, LabelId>> node_labels_;
  std::vector<std::uint32_t> child_count_;
  std::size_t num_roots_ = 0;
};

}  // namespace parley::model
