#include "solver/model/game_builder.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <bit>
#include <span>
#include <functional>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "solver/model/cancel.h"
#include "solver/model/error.h"
#include "solver/model/number_text.h"

namespace parley::model {

namespace detail {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kMappedFrom = std::size_t{4} << 20;
std::size_t MappedBytes(std::size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }
}  // namespace

void* AllocateZeroed(std::size_t bytes) {
  if (bytes < kMappedFrom) {
    void* memory = std::calloc(bytes == 0 ? 1 : bytes, 1);
    if (memory == nullptr) throw std::bad_alloc();
    return memory;
  }
  // Map one huge page more than needed and unmap the parts before and after the aligned range.
  const std::size_t size = MappedBytes(bytes);
  void* raw = ::mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHugePage - 1) & ~(std::uintptr_t{kHugePage} - 1);
  if (aligned > start) ::munmap(raw, aligned - start);
  if (const std::size_t tail = start + kHugePage - aligned; tail > 0)
    ::munmap(reinterpret_cast<void*>(aligned + size), tail);
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // advice only
  return reinterpret_cast<void*>(aligned);
}

void FreeZeroed(void* memory, std::size_t bytes) noexcept {
  if (bytes < kMappedFrom)
    std::free(memory);
  else
    ::munmap(memory, MappedBytes(bytes));
}

}  // namespace detail

namespace {

// Outcomes on the way to a leaf add up (an .efg node's outcome counts at every leaf below it):
// each payoff is a finite double, but a sum along a path may not be, and the solvers would
// then compute with infinities (an equilibrium "verified" with a payoff of inf). The solvers
// add both ways: from the leaves up (values, verification) and from the root down (the
// payoff of each leaf). Refused here, naming the node where a sum leaves the range. Only when
// a path could reach it: most games have no outcomes above their leaves, or payoffs far
// too small for any sum of them to matter.
void RefusePayoffSumsPastRange(const Game& g) {
  const std::size_t n = g.num_nodes(), np = static_cast<std::size_t>(g.num_players());
  std::size_t carrying = 0;  // internal nodes with an outcome
  for (NodeId v = 0; v < n; ++v)
    if (!g.is_terminal(v) && g.outcome(v) != kNoOutcome) ++carrying;
  if (carrying == 0) return;
  double largest = 0;
  for (OutcomeId o = 0; o < g.num_outcomes(); ++o)
    for (double x : g.payoffs(o)) largest = std::max(largest, std::abs(x));
  // A path adds at most carrying + 1 payoffs (room left for their rounding).
  if (largest <= std::numeric_limits<double>::max() / 4 / static_cast<double>(carrying + 1)) return;
  auto name = [&](NodeId v) {
    std::string node = g.DescribeNode(v);  // "after In > Fight", "the root", a label
    if (node.starts_with("after ")) node = "the node " + node;
    return node;
  };
  auto refuse_words = [&](std::size_t p, const std::string& where) {
    throw ValidationError(g.players()[p] + "'s payoffs on the outcomes " + where +
                          " add up past the range of a double (about 1.8e308); scale the payoffs down");
  };
  auto refuse = [&](NodeId v, std::size_t p, bool down) {
    refuse_words(p, down ? "from the root to " + name(v) : "from " + name(v) + " down to a leaf");
  };
  // From the root down: the sum of the outcomes above and at each node.
  std::vector<double> sum(n * np, 0.0);
  for (NodeId v = 0; v < n; ++v) {
    double* here = &sum[v * np];
    if (v > 0) std::copy_n(&sum[g.parent(v) * np], np, here);
    if (g.outcome(v) != kNoOutcome)
      for (std::size_t p = 0; p < np; ++p) {
        here[p] += g.payoff(g.outcome(v), static_cast<int>(p));
        if (!std::isfinite(here[p])) refuse(v, p, true);
      }
  }
  // From the leaves up: the least and the most from each node on (whatever is played, a
  // value the solvers compute lies between them). A node's descendants come after it in
  // preorder, so the first node found past the range has every node below it within.
  std::vector<double>& low = sum;  // written over
  std::vector<double> high(n * np, 0.0);
  for (NodeId v = static_cast<NodeId>(n); v-- > 0;) {
    double* lo = &low[v * np];
    double* hi = &high[v * np];
    if (g.is_terminal(v)) {
      std::fill_n(lo, np, 0.0);
      std::fill_n(hi, np, 0.0);
    } else {
      std::fill_n(lo, np, std::numeric_limits<double>::infinity());
      std::fill_n(hi, np, -std::numeric_limits<double>::infinity());
      for (NodeId child : g.children(v))
        for (std::size_t p = 0; p < np; ++p) {
          lo[p] = std::min(lo[p], low[child * np + p]);
          hi[p] = std::max(hi[p], high[child * np + p]);
        }
    }
    if (g.outcome(v) != kNoOutcome)
      for (std::size_t p = 0; p < np; ++p) {
        const double x = g.payoff(g.outcome(v), static_cast<int>(p));
        lo[p] += x;
        hi[p] += x;
      }
    for (std::size_t p = 0; p < np; ++p)
      if (!std::isfinite(lo[p]) || !std::isfinite(hi[p])) refuse(v, p, false);
  }
  // From a node down to a node below it: the sequence form sums the outcomes from the top of
  // its subgame down, so -1e308 at the root, then 1e308 twice and -1e308 at the leaf, passes
  // both checks above (sums from the root 0 and 1e308; from each node down at most 1e308)
  // while the subgame below the root adds 1e308 + 1e308. The most and the least that a run of
  // nodes ending at v adds (Kadane's rule: the run above v continues while it adds to the
  // extreme), with the node where that run starts.
  std::vector<double>& most = low;  // written over again
  std::vector<double>& least = high;
  std::vector<NodeId> most_from(n * np), least_from(n * np);
  for (NodeId v = 0; v < n; ++v)
    for (std::size_t p = 0; p < np; ++p) {
      const std::size_t at = v * np + p;
      const double x = g.outcome(v) == kNoOutcome ? 0.0 : g.payoff(g.outcome(v), static_cast<int>(p));
      most[at] = x;
      least[at] = x;
      most_from[at] = least_from[at] = v;
      if (v > 0) {
        const std::size_t above = g.parent(v) * np + p;
        if (most[above] > 0) {
          most[at] += most[above];
          most_from[at] = most_from[above];
        }
        if (least[above] < 0) {
          least[at] += least[above];
          least_from[at] = least_from[above];
        }
      }
      if (!std::isfinite(most[at]) || !std::isfinite(least[at])) {
        const NodeId from = std::isfinite(most[at]) ? least_from[at] : most_from[at];
        refuse_words(p, "from " + (from == 0 ? std::string("the root") : name(from)) + " to " + name(v));
      }
    }
}

}  // namespace


GameBuilder::GameBuilder(std::vector<std::string> players) : players_(std::move(players)) {
  if (players_.empty()) throw ValidationError("a game needs at least one player");
  // A player without a name (Gambit files allow "") is "Player k", as Gambit shows it: an
  // empty name left holes in every sentence ("So in equilibrium  plays 1"). A name another
  // player already has is avoided by a suffix.
  for (std::size_t p = 0; p < players_.size(); ++p) {
    if (!players_[p].empty()) continue;
    std::string name = "Player " + std::to_string(p + 1);
    while (std::find(players_.begin(), players_.end(), name) != players_.end()) name += "'";
    players_[p] = name;
  }
  label_start_.assign(2, 0);  // id 0: ""
  RehashLabels(64);
}

LabelId GameBuilder::Intern(std::string_view label) {
  if (label.empty()) return 0;
  // At most half full, so that probe sequences stay short.
  if (2 * (interned_.size() + 1) >= label_slots_.size()) RehashLabels(2 * label_slots_.size());
  return InternHashed(label, std::hash<std::string_view>{}(label));
}

void GameBuilder::InternAll(std::span<const std::string_view> labels, LabelId* ids) {
  while (2 * (interned_.size() + labels.size() + 1) >= label_slots_.size())
    RehashLabels(2 * label_slots_.size());
  constexpr std::size_t kBatch = 16;
  std::size_t hashes[kBatch];
  const std::size_t mask = label_slots_.size() - 1;
  for (std::size_t start = 0; start < labels.size(); start += kBatch) {
    const std::size_t end = std::min(labels.size(), start + kBatch);
    for (std::size_t i = start; i < end; ++i) {
      hashes[i - start] = std::hash<std::string_view>{}(labels[i]);
      __builtin_prefetch(&label_slots_[hashes[i - start] & mask]);
    }
    for (std::size_t i = start; i < end; ++i)
      ids[i] = labels[i].empty() ? 0 : InternHashed(labels[i], hashes[i - start]);
  }
}

LabelId GameBuilder::InternHashed(std::string_view label, std::size_t hash) {
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  const std::size_t mask = label_slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    LabelSlot& slot = label_slots_[i];
    if (slot.id == 0) {
      slot = {AppendLabel(label), tag};
      interned_.push_back(slot.id);
      return slot.id;
    }
    if (slot.tag == tag && LabelText(slot.id) == label) return slot.id;
  }
}

LabelId GameBuilder::StoreLabel(std::string_view label) {
  if (label.empty()) return 0;
  return AppendLabel(label);
}

LabelId GameBuilder::AppendLabel(std::string_view label) {
  if (label.size() > 0xffffffffu - label_chars_.size())
    throw LimitError("the labels' text exceeds 4 GiB in all");
  if (label_start_.size() > 0xfffffffeu) throw LimitError("the game has too many labels");
  label_chars_.append(label);
  label_start_.push_back(static_cast<std::uint32_t>(label_chars_.size()));
  return static_cast<LabelId>(label_start_.size() - 2);
}

void GameBuilder::ReserveLabels(std::size_t count, std::size_t interned, std::size_t bytes) {
  // Only an estimate: where the room cannot be had, the text grows as the labels come.
  try {
    label_start_.reserve(count + 2);
    label_chars_.reserve(std::min<std::size_t>(bytes, 0xffffffffu));
  } catch (const std::bad_alloc&) {
  }
  if (2 * (interned + 1) > label_slots_.size()) RehashLabels(std::bit_ceil(2 * (interned + 1)));
}

void GameBuilder::ReserveNodes(std::size_t nodes, std::size_t actions) {
  if (max_nodes_ != 0) nodes = std::min(nodes, max_nodes_ + 1);
  // Only an estimate: where the room cannot be had (a limit on address space), the arrays
  // grow as the nodes come instead.
  try {
    parent_.reserve(nodes);
    kind_.reserve(nodes);
    infoset_.reserve(nodes);
    outcome_.reserve(nodes);
    child_count_.reserve(nodes);
    node_labels_.reserve(nodes);
    infosets_.reserve(nodes);
    outcome_labels_.reserve(nodes);
    payoffs_.reserve(nodes * players_.size());
    action_labels_.reserve(actions);
  } catch (const std::bad_alloc&) {
  }
}

void GameBuilder::RehashLabels(std::size_t slots) {
  label_slots_ = detail::ZeroedArray<LabelSlot>(slots);
  const std::size_t mask = slots - 1;
  for (LabelId id : interned_) {
    const std::size_t hash = std::hash<std::string_view>{}(LabelText(id));
    std::size_t i = hash & mask;
    while (label_slots_[i].id != 0) i = (i + 1) & mask;
    label_slots_[i] = {id, static_cast<std::uint32_t>(hash >> 32)};
  }
}

InfosetId GameBuilder::AddInfoset(int player, std::string_view label,
                                  std::span<const std::string> actions) {
  std::vector<LabelId> ids;
  ids.reserve(actions.size());
  for (const auto& a : actions) ids.push_back(Intern(a));
  return AddInfoset(player, Intern(label), ids);
}

InfosetId GameBuilder::AddInfoset(int player, LabelId label, std::span<const LabelId> actions) {
  if (player < 0 || player >= num_players())
    throw ValidationError("player " + std::to_string(player + 1) + " does not exist (the game has " +
                          std::to_string(num_players()) + " players)");
  if (actions.empty())
    throw ValidationError("an information set of " + players_[player] +
                          " has no actions; a decision needs at least one");
  InfosetId id = static_cast<InfosetId>(infosets_.size());
  infosets_.push_back({player, label, static_cast<std::uint32_t>(action_labels_.size()),
                       static_cast<std::uint32_t>(actions.size()), 0});
  action_labels_.insert(action_labels_.end(), actions.begin(), actions.end());
  return id;
}

InfosetId GameBuilder::AddChanceInfoset(std::string_view label,
                                        std::span<const std::string> actions,
                                        std::span<const Number> probabilities) {
  std::vector<LabelId> ids;
  ids.reserve(actions.size());
  for (const auto& a : actions) ids.push_back(Intern(a));
  return AddChanceInfoset(Intern(label), ids, probabilities);
}

InfosetId GameBuilder::AddChanceInfoset(LabelId label, std::span<const LabelId> actions,
                                        std::span<const Number> probabilities) {
  if (actions.empty()) throw ValidationError("a chance move has no actions");
  if (actions.size() != probabilities.size())
    throw ValidationError("a chance move has " + std::to_string(actions.size()) +
                          " actions but " + std::to_string(probabilities.size()) +
                          " probabilities");
  for (const Number& p : probabilities)
    if (std::string problem = DoubleRangeProblem(p); !problem.empty())
      throw ValidationError("the chance probability " + TruncateForMessage(p.ToString(), 40) + " " + problem);
  InfosetId id = static_cast<InfosetId>(infosets_.size());
  infosets_.push_back({kChancePlayer, label, static_cast<std::uint32_t>(action_labels_.size()),
                       static_cast<std::uint32_t>(actions.size()),
                       static_cast<std::uint32_t>(probs_.size())});
  action_labels_.insert(action_labels_.end(), actions.begin(), actions.end());
  if (numbers_computed_)
    for (const Number& p : probabilities) probs_.push_back(AsComputed(p));
  else
    probs_.insert(probs_.end(), probabilities.begin(), probabilities.end());
  return id;
}

OutcomeId GameBuilder::AddOutcome(std::string_view label, std::span<const Number> payoffs) {
  if (static_cast<int>(payoffs.size()) != num_players())
    throw ValidationError("an outcome has " + std::to_string(payoffs.size()) +
                          " payoffs but the game has " + std::to_string(num_players()) +
                          " players");
  OutcomeId id = static_cast<OutcomeId>(outcome_labels_.size());
  outcome_labels_.push_back(StoreLabel(label));
  for (const Number& x : payoffs)
    if (std::string problem = DoubleRangeProblem(x); !problem.empty()) {
      throw ValidationError("the payoff " + TruncateForMessage(x.ToString(), 40) + " " + problem);
    }
  for (const Number& given : payoffs) {
    const Number x = numbers_computed_ ? AsComputed(given) : given;
    if (!x.DoubleIsExact())
      exact_payoffs_.emplace_back(payoffs_.size(), x.ToRational());
    if (!x.IsExactOrWhole()) computed_payoffs_ = true;
    payoffs_.push_back(x.ToDouble());
  }
  return id;
}

OutcomeId GameBuilder::AddOutcome(std::span<const double> payoffs) {
  if (static_cast<int>(payoffs.size()) != num_players())
    throw ValidationError("an outcome has " + std::to_string(payoffs.size()) +
                          " payoffs but the game has " + std::to_string(num_players()) +
                          " players");
  for (double x : payoffs)
    if (!std::isfinite(x)) throw ValidationError("a payoff is not a finite number");
  OutcomeId id = static_cast<OutcomeId>(outcome_labels_.size());
  outcome_labels_.push_back(0);
  payoffs_.insert(payoffs_.end(), payoffs.begin(), payoffs.end());
  for (double x : payoffs)
    if (!IsWholeDouble(x)) computed_payoffs_ = true;
  return id;
}

Rational GameBuilder::exact_payoff(OutcomeId o, int player) const {
  std::size_t i = static_cast<std::size_t>(o) * players_.size() + player;
  for (const auto& [index, q] : exact_payoffs_)
    if (index == i) return q;
  return ExactRational(payoffs_[i]);
}

NodeId GameBuilder::AddAnyNode(NodeId parent, NodeKind kind, InfosetId infoset,
                               OutcomeId outcome, std::string_view label) {
  if ((parent_.size() & (model::CancelPoll::kEvery - 1)) == 0) ThrowIfCancelled();  // readers, expansion
  if (max_nodes_ != 0 && parent_.size() >= max_nodes_)
    throw LimitError("the game tree has more than " + std::to_string(max_nodes_) +
                     " nodes (the limit; raise it with --max-nodes)");
  if (parent_.size() >= kNoNode - 1) throw LimitError("the game tree has too many nodes");
  if (outcome != kNoOutcome && outcome >= outcome_labels_.size())
    throw ValidationError("outcome " + std::to_string(outcome) + " does not exist");
  NodeId id = static_cast<NodeId>(parent_.size());
  if (parent == kNoNode) {
    if (++num_roots_ > 1)
      throw ValidationError("the game has more than one root: a game tree has exactly one");
  } else {
    if (parent >= id) throw ValidationError("node " + std::to_string(parent) + " does not exist");
    if (kind_[parent] == NodeKind::kTerminal)
      throw ValidationError("a terminal node cannot have children (" + DescribeNode(parent) +
                            ")");
    if (child_count_[parent] >= infosets_[infoset_[parent]].num_actions)
      throw ValidationError(DescribeNode(parent) + " has more children than its " +
                            std::to_string(infosets_[infoset_[parent]].num_actions) +
                            " actions");
    ++child_count_[parent];
  }
  parent_.push_back(parent);
  kind_.push_back(kind);
  infoset_.push_back(infoset);
  outcome_.push_back(outcome);
  child_count_.push_back(0);
  if (!label.empty()) node_labels_.emplace_back(id, StoreLabel(label));
  return id;
}

NodeId GameBuilder::AddNode(NodeId parent, InfosetId infoset, OutcomeId outcome,
                            std::string_view label) {
  if (infoset >= infosets_.size())
    throw ValidationError("information set " + std::to_string(infoset) + " does not exist");
  NodeKind kind =
      infosets_[infoset].player == kChancePlayer ? NodeKind::kChance : NodeKind::kDecision;
  return AddAnyNode(parent, kind, infoset, outcome, label);
}

NodeId GameBuilder::AddTerminal(NodeId parent, OutcomeId outcome, std::string_view label) {
  return AddAnyNode(parent, NodeKind::kTerminal, kNoInfoset, outcome, label);
}

void GameBuilder::SetOutcome(NodeId node, OutcomeId outcome) {
  PARLEY_CHECK(node < parent_.size());
  if (outcome != kNoOutcome && outcome >= outcome_labels_.size())
    throw ValidationError("outcome " + std::to_string(outcome) + " does not exist");
  outcome_[node] = outcome;
}

std::string GameBuilder::DescribeNode(NodeId v) const {
  // The path of action labels from the root, e.g. "the node after In > Fight".
  std::vector<std::string> steps;
  for (NodeId c = v; parent_[c] != kNoNode; c = parent_[c]) {
    NodeId p = parent_[c];
    // The action into c is c's rank among p's children (children are added in order).
    std::uint32_t rank = 0;
    for (NodeId s = p + 1; s < c; ++s)
      if (parent_[s] == p) ++rank;
    const InfosetDraft& h = infosets_[infoset_[p]];
    std::string_view a =
        rank < h.num_actions ? LabelText(action_labels_[h.first_action + rank]) : "";
    steps.push_back(a.empty() ? "action " + std::to_string(rank + 1) : std::string(a));
    if (steps.size() > 12) {
      steps.push_back("...");
      break;
    }
  }
  if (steps.empty()) return "the root";
  std::string out = "the node after ";
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if (it != steps.rbegin()) out += " > ";
    out += *it;
  }
  return out;
}

GamePtr GameBuilder::Build() {
  const std::size_t n = parent_.size();
  if (n == 0) throw ValidationError("the game has no nodes");
  if (parent_[0] != kNoNode) throw ValidationError("the first node added must be the root");

  // Every non-terminal node has exactly as many children as its actions.
  for (NodeId v = 0; v < n; ++v) {
    if (kind_[v] == NodeKind::kTerminal) continue;
    std::uint32_t want = infosets_[infoset_[v]].num_actions;
    if (child_count_[v] != want)
      throw ValidationError(DescribeNode(v) + " has " + std::to_string(child_count_[v]) +
                            " children but its information set has " + std::to_string(want) +
                            " actions");
  }

  // Chance probabilities: in [0,1] and summing to 1 (exactly when all are exact), unless the
  // caller checked them already.
  for (const InfosetDraft& h : infosets_) {
    if (chance_checked_ || h.player != kChancePlayer) continue;
    bool exact = true;
    Rational exact_sum = 0;
    double sum = 0;
    for (std::uint32_t a = 0; a < h.num_actions; ++a) {
      const Number& p = probs_[h.first_prob + a];
      double d = p.ToDouble();
      if (!(d >= 0 && d <= 1) || (p.IsExact() && (p.ToRational() < 0 || p.ToRational() > 1)))
        throw ValidationError("chance probability " + p.ToString() + " of action \"" +
                              std::string(LabelText(action_labels_[h.first_action + a])) +
                              "\" is outside [0, 1]");
      sum += d;
      if (p.kind() == Number::Kind::kFloat || p.kind() == Number::Kind::kDecimal) exact = false;
      if (p.IsExact()) exact_sum += p.ToRational();
    }
    bool ok = exact ? exact_sum == 1 : std::abs(sum - 1.0) <= 1e-9;
    if (!ok) {
      std::string label(LabelText(h.label));
      throw ValidationError("the probabilities of chance move " +
                            (label.empty() ? std::string("") : "\"" + label + "\" ") +
                            "sum to " + (exact ? FormatRational(exact_sum) : FormatDouble(sum)) +
                            ", not 1");
    }
  }

  // Children lists in add order (counting sort by parent, stable).
  std::vector<NodeId> first(n + 1, 0);
  for (NodeId v = 1; v < n; ++v) ++first[parent_[v] + 1];
  for (std::size_t i = 0; i < n; ++i) first[i + 1] += first[i];
  std::vector<NodeId> kids(n > 0 ? n - 1 : 0);
  {
    std::vector<NodeId> fill(first.begin(), first.end() - 1);
    for (NodeId v = 1; v < n; ++v) kids[fill[parent_[v]]++] = v;
  }

  // Preorder numbering by an explicit stack (deep trees must not overflow the call stack).
  // Readers of .efg files add the nodes in preorder already (the file's order): then the
  // numbering is the identity, and the arrays are moved into the game instead of permuted.
  bool in_preorder = true;
  std::vector<NodeId> order;  // order[new] = old; empty when in_preorder
  {
    std::vector<NodeId> stack{0};
    NodeId next = 0;
    while (!stack.empty()) {
      NodeId v = stack.back();
      stack.pop_back();
      if (in_preorder && v != next) {
        in_preorder = false;
        order.reserve(n);
        for (NodeId i = 0; i < next; ++i) order.push_back(i);
      }
      if (!in_preorder) order.push_back(v);
      ++next;
      for (NodeId i = first[v + 1]; i > first[v]; --i) stack.push_back(kids[i - 1]);
    }
    PARLEY_CHECK(next == n);
  }
  std::vector<NodeId> new_id;
  if (!in_preorder) {
    new_id.resize(n);
    for (NodeId i = 0; i < n; ++i) new_id[order[i]] = i;
  }

  std::shared_ptr<Game> game(new Game());
  Game& g = *game;
  g.title_ = std::move(title_);
  g.comment_ = std::move(comment_);
  g.players_ = players_;
  g.label_chars_ = std::move(label_chars_);
  g.label_start_ = std::move(label_start_);

  // Per-node arrays in preorder, CSR edges sorted by source.
  if (in_preorder) {
    // The counting sort above is the CSR layout itself: `first` the row starts, `kids` the
    // columns (children in action order). The tree is made empty with n vertices and given
    // both arrays (its edges carry no properties, so nothing else is sized by the edges).
    g.kind_ = std::move(kind_);
    g.outcome_ = std::move(outcome_);
    g.parent_ = std::move(parent_);
    g.infoset_ = std::move(infoset_);
    std::vector<std::uint32_t>().swap(child_count_);
    const std::pair<NodeId, NodeId>* none = nullptr;
    g.tree_ = Game::Tree(boost::edges_are_sorted, none, none, static_cast<NodeId>(n));
    g.tree_.m_forward.m_rowstart.swap(first);
    g.tree_.m_forward.m_column.swap(kids);
    g.node_labels_ = std::move(node_labels_);  // added in node order: sorted already
  } else {
    g.kind_.resize(n);
    g.outcome_.resize(n);
    g.parent_.resize(n);
    g.infoset_.assign(n, kNoInfoset);
    std::vector<std::pair<NodeId, NodeId>> edges;
    edges.reserve(n - 1);
    for (NodeId i = 0; i < n; ++i) {
      NodeId v = order[i];
      g.kind_[i] = kind_[v];
      g.outcome_[i] = outcome_[v];
      g.parent_[i] = parent_[v] == kNoNode ? kNoNode : new_id[parent_[v]];
      g.infoset_[i] = infoset_[v];
      for (NodeId k = first[v]; k < first[v + 1]; ++k) edges.emplace_back(i, new_id[kids[k]]);
    }
    g.tree_ = Game::Tree(boost::edges_are_sorted, edges.begin(), edges.end(),
                         static_cast<NodeId>(n));
    std::vector<std::pair<NodeId, NodeId>>().swap(edges);
    for (auto& [v, label] : node_labels_) v = new_id[v];
    std::sort(node_labels_.begin(), node_labels_.end());
    g.node_labels_ = std::move(node_labels_);
  }
  std::vector<NodeId>().swap(first);
  std::vector<NodeId>().swap(kids);
  std::vector<NodeId>().swap(order);
  std::vector<NodeId>().swap(new_id);
  g.rowstart_ = g.tree_.m_forward.m_rowstart.data();
  g.column_ = g.tree_.m_forward.m_column.data();

  // Subtree ends by a reverse sweep.
  g.subtree_end_.resize(n);
  for (NodeId i = static_cast<NodeId>(n); i-- > 0;) {
    std::uint32_t deg = g.num_children(i);
    g.subtree_end_[i] = deg == 0 ? i + 1 : g.subtree_end_[g.child(i, deg - 1)];
  }

  // Information sets renumbered by first appearance in preorder; unused ones dropped;
  // identical action-label lists shared. g.infoset_ holds the builder's ids until here.
  std::vector<InfosetId> new_set(infosets_.size(), kNoInfoset);
  std::vector<InfosetId> set_order;  // new -> old
  for (NodeId i = 0; i < n; ++i) {
    InfosetId h = g.infoset_[i];
    if (h == kNoInfoset) continue;  // a terminal
    if (new_set[h] == kNoInfoset) {
      new_set[h] = static_cast<InfosetId>(set_order.size());
      set_order.push_back(h);
    }
    g.infoset_[i] = new_set[h];
  }
  // Members of each set, contiguous and in preorder (a counting sort by set, no list per set).
  std::vector<NodeId> member_start(set_order.size() + 1, 0);
  for (NodeId i = 0; i < n; ++i)
    if (g.infoset_[i] != kNoInfoset) ++member_start[g.infoset_[i] + 1];
  for (std::size_t h = 0; h < set_order.size(); ++h) member_start[h + 1] += member_start[h];
  g.infoset_members_.resize(member_start.back());
  {
    std::vector<NodeId> fill(member_start.begin(), member_start.end() - 1);
    for (NodeId i = 0; i < n; ++i)
      if (g.infoset_[i] != kNoInfoset) g.infoset_members_[fill[g.infoset_[i]]++] = i;
  }
  g.player_infosets_.assign(players_.size(), {});
  // Identical action-label lists are stored once: an open-addressing table from a list's
  // hash to its offset in g.action_labels_ (at most half full). A slot holds the hash's high
  // 32 bits and the offset plus one (0: empty). In a file whose every set has actions of its
  // own, each lookup misses the cache: the slot of the set kListAhead places further on is
  // fetched while this one is looked up.
  struct ListSlot {
    std::uint32_t tag;
    std::uint32_t offset_plus_one;
  };
  // Equal lists are looked for only where labels were interned: stored labels get ids of
  // their own, so only lists of empty labels (all id 0) could still match, and storing those
  // once per set costs memory only.
  const bool share = !interned_.empty();
  const std::size_t list_slots = share ? std::bit_ceil(2 * set_order.size() + 2) : 1;
  detail::ZeroedArray<ListSlot> shared_lists(list_slots);
  auto list_of = [&](InfosetId h_new) -> std::span<const LabelId> {
    const InfosetDraft& d = infosets_[set_order[h_new]];
    return {action_labels_.data() + d.first_action, d.num_actions};
  };
  auto hash_of = [](std::span<const LabelId> list) {
    std::uint64_t hash = 1469598103934665603ull;  // FNV-1a over the ids
    for (LabelId id : list) hash = (hash ^ id) * 1099511628211ull;
    return hash ^ list.size();
  };
  auto share_list = [&](std::span<const LabelId> list) -> std::uint32_t {
    const std::uint64_t hash = hash_of(list);
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t i = hash & (list_slots - 1);; i = (i + 1) & (list_slots - 1)) {
      ListSlot& slot = shared_lists[i];
      if (slot.offset_plus_one == 0) {
        const auto offset = static_cast<std::uint32_t>(g.action_labels_.size());
        slot = {tag, offset + 1};
        g.action_labels_.insert(g.action_labels_.end(), list.begin(), list.end());
        return offset;
      }
      const std::uint32_t offset = slot.offset_plus_one - 1;
      if (slot.tag == tag && offset + list.size() <= g.action_labels_.size() &&
          std::equal(list.begin(), list.end(), g.action_labels_.begin() + offset))
        return offset;
    }
  };
  constexpr InfosetId kListAhead = 16;
  bool exact_probs = false, computed_probs = false;
  for (const Number& p : probs_) {
    if (!p.DoubleIsExact()) exact_probs = true;
    if (!p.IsExactOrWhole()) computed_probs = true;
  }
  // A chance move whose sum was accepted as 1 (within 1e-9) but is off by more than rounding
  // is divided by its sum, in doubles and exactly; the numbers as written are then kept
  // beside them (written_probs_) for the game's text.
  auto off_sum = [&](const InfosetDraft& d) {
    double sum = 0;
    for (std::uint32_t a = 0; a < d.num_actions; ++a) sum += probs_[d.first_prob + a].ToDouble();
    return std::abs(sum - 1.0) > 1e-12;
  };
  bool scaled_probs = false;
  for (const InfosetDraft& d : infosets_)
    if (d.player == kChancePlayer && off_sum(d)) scaled_probs = true;
  if (scaled_probs) exact_probs = true;
  // A game read from a file whose numbers were computed (SetNumbersComputed: the writers'
  // mark) stays computed as a whole, whatever its numbers look like: a scenario's 2 (from
  // 0.5 * 4), 1/2 or 99999999999999991611392 (1e23's double) were computed, and --exact on
  // the file says no result is exact, as on the scenario; writing it again keeps the mark.
  g.numbers_stated_exactly_ = !numbers_computed_ && !computed_payoffs_ && !computed_probs;
  g.infosets_.reserve(set_order.size());
  g.action_labels_.reserve(action_labels_.size());
  for (InfosetId h_new = 0; h_new < set_order.size(); ++h_new) {
    if (share && h_new + kListAhead < set_order.size())
      __builtin_prefetch(&shared_lists[hash_of(list_of(h_new + kListAhead)) & (list_slots - 1)]);
    const InfosetDraft& d = infosets_[set_order[h_new]];
    const std::span<const LabelId> list = list_of(h_new);
    std::uint32_t list_offset = static_cast<std::uint32_t>(g.action_labels_.size());
    if (share)
      list_offset = share_list(list);
    else
      g.action_labels_.insert(g.action_labels_.end(), list.begin(), list.end());
    Game::InfosetRecord rec{d.player, d.label, list_offset, d.num_actions, member_start[h_new], 0};
    if (d.player == kChancePlayer) {
      g.has_chance_ = true;
      rec.extra = static_cast<std::uint32_t>(g.probs_.size());
      double sum = 0;
      for (std::uint32_t a = 0; a < d.num_actions; ++a) {
        const Number& p = probs_[d.first_prob + a];
        g.probs_.push_back(p.ToDouble());
        sum += p.ToDouble();
        if (exact_probs) g.exact_probs_.push_back(p.ToRational());
        if (scaled_probs) g.written_probs_.push_back(p.ToRational());
      }
      // A sum accepted as 1 (decimals within 1e-9: 0.3333333333 three times) but off by more
      // than rounding: the probabilities the solvers read are divided by it, so that the move
      // is a distribution (used as given, every expected value was off by as much), and so are
      // the exact ones (--exact, the strategic form written as .nfg), by their exact sum: a
      // safe 1999999999.5 against a gamble of 2e9 either way at 0.4999999995 and 0.5 was
      // played safe exactly, and the gamble was worth 1999999999 in the .nfg. The numbers as
      // written stay for the game's text (written_probs_, chance_prob_text).
      if (std::abs(sum - 1.0) > 1e-12) {
        for (std::uint32_t a = 0; a < d.num_actions; ++a) g.probs_[rec.extra + a] /= sum;
        Rational exact_sum = 0;
        for (std::uint32_t a = 0; a < d.num_actions; ++a) exact_sum += g.exact_probs_[rec.extra + a];
        if (exact_sum != 0)
          for (std::uint32_t a = 0; a < d.num_actions; ++a) g.exact_probs_[rec.extra + a] /= exact_sum;
      }
    } else {
      rec.extra = static_cast<std::uint32_t>(g.player_infosets_[d.player].size());
      g.player_infosets_[d.player].push_back(h_new);
      if (member_start[h_new + 1] - member_start[h_new] > 1 && g.perfect_information_) {
        g.perfect_information_ = false;
        g.first_imperfect_infoset_ = h_new;
      }
    }
    g.infosets_.push_back(rec);
  }

  // Outcomes.
  g.num_outcomes_ = static_cast<OutcomeId>(outcome_labels_.size());
  for (OutcomeId o = 0; o < outcome_labels_.size(); ++o)
    if (outcome_labels_[o] != 0) g.outcome_labels_.emplace_back(o, outcome_labels_[o]);
  g.payoffs_ = std::move(payoffs_);
  if (!exact_payoffs_.empty()) {
    g.exact_payoffs_.reserve(g.payoffs_.size());
    for (double x : g.payoffs_) g.exact_payoffs_.push_back(ExactRational(x));
    for (auto& [i, q] : exact_payoffs_) g.exact_payoffs_[i] = q;
  }
  for (NodeId i = 0; i < n; ++i)
    if (g.kind_[i] == NodeKind::kTerminal) ++g.num_terminals_;
  RefusePayoffSumsPastRange(g);

  // Arrays about their exact size: the game is resident for as long as it is used. An array
  // with little room to spare is kept as it is (the spare room was never touched, so it holds
  // no memory), since trimming it copies it whole.
  auto trim = [](auto& v) {
    if (v.capacity() - v.size() > v.size() / 8) v.shrink_to_fit();
  };
  trim(g.tree_.m_forward.m_rowstart);
  trim(g.tree_.m_forward.m_column);
  g.rowstart_ = g.tree_.m_forward.m_rowstart.data();
  g.column_ = g.tree_.m_forward.m_column.data();
  trim(g.kind_);  // the moved arrays were grown by push_back
  trim(g.outcome_);
  trim(g.parent_);
  trim(g.infoset_);
  trim(g.node_labels_);
  trim(g.infosets_);
  trim(g.action_labels_);
  trim(g.infoset_members_);
  trim(g.probs_);
  trim(g.payoffs_);
  trim(g.outcome_labels_);
  trim(g.label_start_);
  // The label text is not trimmed: a reader reserves it from the file's size, and the room
  // past its end was never touched, so it holds no memory, while trimming would copy it.
  for (auto& list : g.player_infosets_) trim(list);
  *this = GameBuilder(players_);
  return game;
}

}  // namespace parley::model
