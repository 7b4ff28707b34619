#include "solver/report/markdown.h"

#include <cctype>
#include <sstream>

namespace parley::report {

std::string EscapeMarkdown(const std::string& text, bool in_table) {
  std::string out;
  out.reserve(text.size());
  auto word = [&](std::size_t i) {
    return i < text.size() && std::isalnum(static_cast<unsigned char>(text[i]));
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
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
      case '\n':
        out += in_table ? " " : "\n";
        // A label's own line break: what follows must not start a heading, a list, a quote
        // or a rule there.
        if (!in_table && i + 1 < text.size() &&
            (text[i + 1] == '#' || text[i + 1] == '+' || text[i + 1] == '-' || text[i + 1] == '>' || text[i + 1] == '='))
          out += '\\';
        break;
      default:
        out += c;
    }
  }
  // At the start of a line, '#', '+', '-' and '>' would start a heading, a list or a quote.
  if (!in_table && !out.empty() && (out[0] == '#' || out[0] == '+' || out[0] == '-' || out[0] == '>'))
    out.insert(0, "\\");
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
