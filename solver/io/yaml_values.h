// Helpers shared by every reader of YAML files (scenarios, bargaining problems): the location
// of a node, booleans as YAML 1.2's core schema spells them, and the did-you-mean hint for a
// misspelt key or name.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "solver/model/error.h"

namespace parley::io {

// Where `node` starts in `file`, 1-based (yaml-cpp counts from 0).
SourceLocation YamlLocation(const YAML::Node& node, const std::string& file);

// A boolean, as YAML 1.2's core schema writes one: true, True, TRUE, false, False, FALSE.
// YAML 1.1's yes/no/on/off (and anything else) are refused with a ParseError at the node:
// "<what> must be true or false, not 'yes'". `what` names the key ("'lotteries'").
bool YamlBool(const YAML::Node& node, const std::string& file, const std::string& what);

// The candidate nearest to `word` by edit distance (Levenshtein, case-insensitive), if it is
// within a third of the word's length (at least 1); "" when none is that close. An exact match
// is not a suggestion.
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" for Suggest's answer, or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace parley::io
