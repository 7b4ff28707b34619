// The did-you-mean hint for a misspelt key, name or function, shared by every reader and by
// the formula language.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parley::io {

// The candidate nearest to `word` by edit distance (Levenshtein, case-insensitive), if it is
// within a third of the word's length (at least 1); "" when none is that close. An exact match
// is not a suggestion.
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" for Suggest's answer, or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace parley::io
