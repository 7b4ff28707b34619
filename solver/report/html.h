// A report Document as one self-contained HTML page: styles inline, pictures as inline SVG,
// nothing fetched from the network. The one script, present when the page has a tree
// drawing, lets a reader open and close its subtrees; without scripts the page shows the
// default drawing.
#pragma once

#include <string>

#include "solver/report/document.h"

namespace parley::report {

std::string RenderHtml(const Document& document);
// Text escaped for HTML element content and attribute values.
std::string EscapeHtml(const std::string& text);
// An SVG document made ready to sit inside an HTML page: any XML prolog removed, and charts
// (not trees, whose figure scrolls instead) allowed to shrink to the page's width.
std::string InlineSvg(const std::string& svg);

}  // namespace parley::report
