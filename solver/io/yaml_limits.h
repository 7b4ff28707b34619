// Loading YAML text with bounds checked before any of it is walked: the text must be UTF-8, at
// most kMaxYamlBytes long, and at most kMaxYamlNodes nodes once every alias is expanded. An
// alias stands for a whole subtree, so a 1.4 KB "billion laughs" document of nested aliases
// stands for 10^9 nodes: yaml-cpp itself shares the subtree, but every reader that walks the
// document expands it. The bound is computed from the parser's events in one pass over the
// text (each anchor's expanded size is recorded once), so it costs time linear in the text.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::io {

inline constexpr std::size_t kMaxYamlBytes = std::size_t{32} << 20;  // 32 MB
inline constexpr std::size_t kMaxYamlNodes = 1'000'000;

// The document in `text` (the first one). Throws ParseError with file:line:col for text that
// is not UTF-8, too long, or too large with its aliases expanded, for YAML syntax errors, and
// for a key given twice in one mapping (YAML keys are unique; yaml-cpp keeps both).
YAML::Node LoadYamlBounded(const std::string& text, const std::string& file_name);

}  // namespace parley::io
