// A report Document as one self-contained HTML page: styles inline, pictures as inline SVG,
// no script and nothing fetched from the network.
#pragma once

#include <string>

#include "solver/report/document.h"

namespace parley::report {

std::string RenderHtml(const Document& document);
// Text escaped for HTML element content and attribute values.
std::string EscapeHtml(const std::string& text);

}  // namespace parley::report
