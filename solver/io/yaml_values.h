// Helpers shared by every reader of YAML files (scenarios, bargaining problems): the location
// of a node, booleans as YAML 1.2's core schema spells them, and the did-you-mean hint for a
// misspelt key or name.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "solver/io/suggest.h"  // Suggest, DidYouMean: every YAML reader uses them
#include "solver/model/error.h"

namespace parley::io {

// Where `node` starts in `file`, 1-based (yaml-cpp counts from 0).
SourceLocation YamlLocation(const YAML::Node& node, const std::string& file);

// A boolean, as YAML 1.2's core schema writes one: true, True, TRUE, false, False, FALSE.
// YAML 1.1's yes/no/on/off (and anything else) are refused with a ParseError at the node:
// "<what> must be true or false, not 'yes'". `what` names the key ("'lotteries'").
bool YamlBool(const YAML::Node& node, const std::string& file, const std::string& what);


}  // namespace parley::io
