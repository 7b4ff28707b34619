#include "solver/report/markdown.h"

#include <cctype>
#include <sstream>

namespace parley::report {

namespace {

// Whether the digits before `at` and the "." or ")" at `at` would start a numbered list item
// at the start of a line ("1. x", "2)" at the end): a space, a tab or the end must follow.
bool StartsNumberedItem(const std::string& text, std::size_t at) {
  return at < text.size() && (text[at] == '.' || text[at] == ')') &&
         (at + 1 == text.size() || text[at + 1] == ' ' || text[at + 1] == '\t');
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::size_t AppendBlanks(const std::string& text, std::size_t i, std::string& out) {
  std::size_t end = i;
  bool line_break = false;
  for (; end < text.size() && IsBlank(text[end]); ++end)
    line_break = line_break || text[end] == '\n' || text[end] == '\r';
  const bool edge = i == 0 || end == text.size();
  if (line_break) {
    if (!edge) out += ' ';
    return end;
  }
  for (std::size_t k = i; k < end; ++k) {
    if (text[k] == ' ' && (edge || (k > i && text[k - 1] == ' ')))
      out += "&nbsp;";
    else
      out += text[k];
  }
  return end;
}

std::string EscapeMarkdown(const std::string& text, bool in_table) {
  std::string out;
  out.reserve(text.size());
  auto word = [&](std::size_t i) {
    return i < text.size() && std::isalnum(static_cast<unsigned char>(text[i]));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (IsBlank(c)) {
      // A label's line break split a numbered step over two lines, and a blank line in it
      // ended the list item or paragraph it sat in; a label "  spaced  " read "spaced".
      i = AppendBlanks(text, i, out) - 1;
      continue;
    }
    // Inside a word ("war_loss") an underscore cannot start emphasis: left as it is.
    if (c == '_' && i > 0 && word(i - 1) && word(i + 1)) {
      out += c;
      continue;
    }
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '&':  // & : no entity
        out += '\\';
        out += c;
        break;
      case '|':
        out += in_table ? "\\|" : "|";
        break;
      case '\x01': case '\x02': case '\x03': case '\x04': case '\x05': case '\x06': case '\x07': case '\x08':
      case '\x0b': case '\x0c': case '\x0e': case '\x0f': case '\x10': case '\x11': case '\x12': case '\x13':
      case '\x14': case '\x15': case '\x16': case '\x17': case '\x18': case '\x19': case '\x1a': case '\x1b':
      case '\x1c': case '\x1d': case '\x1e': case '\x1f': case '\x7f': case '\0':
        out += "\xEF\xBF\xBD";  // a control character: the replacement character, as in HTML
        break;
      default:
        out += c;
    }
  }
  // At the start of the text (a line of its own in the Markdown), after any tabs, '#', '+', '-'
  // and '>' would start a heading, a list or a quote.
  std::size_t lead = 0;
  while (!in_table && lead < out.size() && (out[lead] == ' ' || out[lead] == '\t')) ++lead;
  if (!in_table && lead < out.size() && (out[lead] == '#' || out[lead] == '+' || out[lead] == '-' || out[lead] == '>'))
    out.insert(lead, "\\");
  // "1. x" would start a numbered list (inside a list item, a list within it).
  std::size_t digits = lead;
  while (!in_table && digits < out.size() && std::isdigit(static_cast<unsigned char>(out[digits]))) ++digits;
  if (digits > lead && StartsNumberedItem(out, digits)) out.insert(digits, "\\");
  return out;
}

MarkdownOutput RenderMarkdown(const Document& document, const std::string& stem) {
  MarkdownOutput result;
  std::ostringstream out;
  out << "# " << EscapeMarkdown(document.title) << "\n\n";
  if (!document.subtitle.empty()) out << "*" << EscapeMarkdown(document.subtitle) << "*\n\n";
  out << "Contents:\n\n";
  for (std::size_t k = 0; k < document.sections.size(); ++k)
    out << k + 1 << ". [" << EscapeMarkdown(document.sections[k].title) << "](#" << document.sections[k].id << ")\n";
  for (const Section& s : document.sections) {
    out << "\n<a id=\"" << s.id << "\"></a>\n\n## " << EscapeMarkdown(s.title) << "\n";
    for (const Block& block : s.blocks) {
      out << "\n";
      std::visit(
          Overloaded{
              [&](const Paragraph& p) { out << EscapeMarkdown(p.text) << "\n"; },
              [&](const Subheading& h) { out << "### " << EscapeMarkdown(h.text) << "\n"; },
              [&](const Note& n) { out << "> **Note:** " << EscapeMarkdown(n.text) << "\n"; },
              [&](const ItemList& l) {
                for (std::size_t k = 0; k < l.items.size(); ++k)
                  out << (l.ordered ? std::to_string(k + 1) + ". " : std::string("- "))
                      << EscapeMarkdown(l.items[k]) << "\n";
              },
              [&](const Table& t) {
                auto numeric = [&](std::size_t c) { return c < t.numeric.size() && t.numeric[c]; };
                out << "|";
                for (const auto& h : t.header) out << " " << EscapeMarkdown(h, true) << " |";
                out << "\n|";
                for (std::size_t c = 0; c < t.header.size(); ++c) out << (numeric(c) ? " ---: |" : " --- |");
                out << "\n";
                for (const auto& row : t.rows) {
                  out << "|";
                  for (const auto& cell : row) out << " " << EscapeMarkdown(cell, true) << " |";
                  out << "\n";
                }
              },
              [&](const Figure& f) {
                std::string file = stem + "-" + f.name + ".svg";
                std::string alt = f.name;
                for (char& c : alt) c = c == '-' ? ' ' : c;
                std::string link;  // spaces and parentheses would end the link early
                for (char c : file) link += c == ' ' ? std::string("%20") : c == '(' ? std::string("%28") : c == ')' ? std::string("%29") : std::string(1, c);
                out << "![" << EscapeMarkdown(alt, true) << "](" << link << ")\n";
                if (!f.caption.empty()) out << "\n*" << EscapeMarkdown(f.caption) << "*\n";
                result.files.emplace_back(file, f.svg);
              },
          },
          block);
    }
  }
  result.text = out.str();
  return result;
}

}  // namespace parley::report
