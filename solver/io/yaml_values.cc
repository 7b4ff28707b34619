#include "solver/io/yaml_values.h"

#include <algorithm>
#include <cctype>

namespace parley::io {

SourceLocation YamlLocation(const YAML::Node& node, const std::string& file) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return SourceLocation{file};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

bool YamlBool(const YAML::Node& node, const std::string& file, const std::string& what) {
  if (node.IsScalar()) {
    const std::string& text = node.Scalar();
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    throw ParseError(YamlLocation(node, file),
                     what + " must be true or false, not '" + text + "'");
  }
  throw ParseError(YamlLocation(node, file), what + " must be true or false");
}

}  // namespace parley::io
