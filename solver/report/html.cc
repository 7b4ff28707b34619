#include "solver/report/html.h"

#include <sstream>
#include <type_traits>

#include "solver/report/dot.h"

namespace parley::report {

namespace {

constexpr const char* kStyle = R"(
:root { color-scheme: light; }
body { font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d2329;
       max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; background: #ffffff; }
h1 { font-size: 1.8rem; margin: 0 0 .2rem; }
.subtitle { color: #5f6b76; margin: 0 0 1rem; }
nav { border: 1px solid #e2e6ea; border-radius: 6px; padding: .5rem 1rem; background: #f8f9fa; }
nav ol { margin: .3rem 0; padding-left: 1.3rem; }
section { margin-top: 2rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #e2e6ea; padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin-bottom: .4rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .93rem; }
th, td { border: 1px solid #d5dae0; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f1f3f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; overflow-x: auto; text-align: center; }
figure svg { display: block; margin: 0 auto; }
figcaption { color: #5f6b76; font-size: .9rem; margin-top: .4rem; text-align: left; }
.note { border-left: 4px solid #e3a008; background: #fff8e6; padding: .4rem .8rem; margin: .8rem 0; }
ol.steps li { margin-bottom: .35rem; }
footer { margin-top: 3rem; color: #8a949e; font-size: .85rem; }
@media print { nav { display: none; } figure { break-inside: avoid; } }
)";

}  // namespace

std::string EscapeHtml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderHtml(const Document& document) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"generator\" content=\"parley\">\n"
      << "<title>" << EscapeHtml(document.title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
  out << "<header>\n<h1>" << EscapeHtml(document.title) << "</h1>\n";
  if (!document.subtitle.empty()) out << "<p class=\"subtitle\">" << EscapeHtml(document.subtitle) << "</p>\n";
  out << "</header>\n<nav aria-label=\"Contents\"><strong>Contents</strong>\n<ol>\n";
  for (const Section& s : document.sections)
    out << "<li><a href=\"#" << EscapeHtml(s.id) << "\">" << EscapeHtml(s.title) << "</a></li>\n";
  out << "</ol>\n</nav>\n<main>\n";
  for (const Section& s : document.sections) {
    out << "<section id=\"" << EscapeHtml(s.id) << "\">\n<h2>" << EscapeHtml(s.title) << "</h2>\n";
    for (const Block& block : s.blocks) {
      std::visit(
          Overloaded{
              [&](const Paragraph& p) { out << "<p>" << EscapeHtml(p.text) << "</p>\n"; },
              [&](const Subheading& h) { out << "<h3>" << EscapeHtml(h.text) << "</h3>\n"; },
              [&](const Note& n) { out << "<p class=\"note\">" << EscapeHtml(n.text) << "</p>\n"; },
              [&](const ItemList& l) {
                const char* tag = l.ordered ? "ol" : "ul";
                out << "<" << tag << (l.ordered ? " class=\"steps\"" : "") << ">\n";
                for (const auto& item : l.items) out << "<li>" << EscapeHtml(item) << "</li>\n";
                out << "</" << tag << ">\n";
              },
              [&](const Table& t) {
                auto numeric = [&](std::size_t c) { return c < t.numeric.size() && t.numeric[c]; };
                out << "<table>\n<thead><tr>";
                for (const auto& h : t.header) out << "<th>" << EscapeHtml(h) << "</th>";
                out << "</tr></thead>\n<tbody>\n";
                for (const auto& row : t.rows) {
                  out << "<tr>";
                  for (std::size_t c = 0; c < row.size(); ++c)
                    out << (numeric(c) ? "<td class=\"num\">" : "<td>") << EscapeHtml(row[c]) << "</td>";
                  out << "</tr>\n";
                }
                out << "</tbody>\n</table>\n";
              },
              [&](const Figure& f) {
                out << "<figure id=\"figure-" << EscapeHtml(f.name) << "\">\n" << InlineSvg(f.svg);
                if (!f.caption.empty()) out << "<figcaption>" << EscapeHtml(f.caption) << "</figcaption>\n";
                out << "</figure>\n";
              },
          },
          block);
    }
    out << "</section>\n";
  }
  out << "</main>\n<footer>" << EscapeHtml(document.subtitle) << "</footer>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace parley::report
