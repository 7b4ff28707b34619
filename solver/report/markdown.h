// A report Document as Markdown (CommonMark with GitHub's pipe tables). Pictures cannot be
// inline in Markdown, so each figure becomes a file beside the report: <stem>-<name>.svg,
// referred to by a relative link.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "solver/report/document.h"

namespace parley::report {

struct MarkdownOutput {
  std::string text;
  // (file name, SVG text) for every figure, in order of appearance.
  std::vector<std::pair<std::string, std::string>> files;
};

// `stem` prefixes the figure file names (the report's file name without ".md").
MarkdownOutput RenderMarkdown(const Document& document, const std::string& stem);
// Text with Markdown's special characters escaped; `in_table` also escapes '|'. The text stays
// on one line (a line break and the blanks around it are one space), and a run of spaces, or
// spaces at either end, are kept as no-break spaces ("&nbsp;"), so that a label reads as it is.
std::string EscapeMarkdown(const std::string& text, bool in_table = false);
// The run of blanks (space, tab, line break) of `text` that starts at `i`, appended to `out` as
// both reports show it: a line break with the blanks around it is one space (none at either end
// of the text), and a space after another, or in a run at either end, is "&nbsp;" (Markdown and
// browsers show a run of spaces as one and drop those at the ends). Returns the run's end.
std::size_t AppendBlanks(const std::string& text, std::size_t i, std::string& out);

}  // namespace parley::report
