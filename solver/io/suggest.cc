#include "solver/io/suggest.h"

#include <algorithm>
#include <cctype>

namespace parley::io {

std::string Suggest(std::string_view word, const std::vector<std::string>& candidates) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;  // first too far
  std::vector<std::size_t> row, prev, before;
  for (const std::string& c : candidates) {
    if (c == word || c.empty()) continue;
    // One row of the edit-distance table at a time (and the one before, for two neighbouring
    // letters swapped, the commonest slip: "lable" is one step from "label", not two).
    before.assign(c.size() + 1, 0);
    prev.resize(c.size() + 1);
    row.resize(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      row[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        std::size_t cost = lower(word[i - 1]) == lower(c[j - 1]) ? 0 : 1;
        row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
        if (i > 1 && j > 1 && lower(word[i - 1]) == lower(c[j - 2]) && lower(word[i - 2]) == lower(c[j - 1]))
          row[j] = std::min(row[j], before[j - 2] + 1);
      }
      std::swap(before, prev);  // before <- the row just done's predecessor
      std::swap(prev, row);     // prev <- the row just done
    }
    if (prev[c.size()] < best_distance) {
      best_distance = prev[c.size()];
      best = c;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string s = Suggest(word, candidates);
  return s.empty() ? "" : " (did you mean '" + s + "'?)";
}

}  // namespace parley::io
