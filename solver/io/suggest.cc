#include "solver/io/suggest.h"

#include <algorithm>
#include <cctype>

namespace parley::io {

std::string Suggest(std::string_view word, const std::vector<std::string>& candidates) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;  // first too far
  std::vector<std::size_t> row, prev;
  for (const std::string& c : candidates) {
    if (c == word || c.empty()) continue;
    // One row of the edit-distance table at a time.
    prev.resize(c.size() + 1);
    row.resize(c.size() + 1);
    for (std::size_t j = 0; j <= c.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= word.size(); ++i) {
      row[0] = i;
      for (std::size_t j = 1; j <= c.size(); ++j) {
        std::size_t cost = lower(word[i - 1]) == lower(c[j - 1]) ? 0 : 1;
        row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      }
      std::swap(row, prev);
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
