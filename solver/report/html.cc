#include "solver/report/html.h"

#include <sstream>
#include <type_traits>

#include "solver/report/markdown.h"

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
figure.tree { width: calc(100vw - 2rem); margin-left: calc(50% - 50vw + 1rem); }
figure.tree figcaption { max-width: 59.5rem; margin-left: auto; margin-right: auto; }
svg.parley-tree g.pn[data-k] { cursor: pointer; }
figcaption { color: #5f6b76; font-size: .9rem; margin-top: .4rem; text-align: left; }
.note { border-left: 4px solid #e3a008; background: #fff8e6; padding: .4rem .8rem; margin: .8rem 0; }
ol.steps li { margin-bottom: .35rem; }
footer { margin-top: 3rem; color: #8a949e; font-size: .85rem; }
@media print { nav { display: none; } figure { break-inside: avoid; } }
)";

// Opens and closes subtrees of the tree drawings (tree_svg.h) when a reader clicks a node,
// and lays the tree out again with the algorithm of tree_layout.cc (Buchheim, Jünger and
// Leipert 2002), over the extents and anchors the SVG carries as data-* attributes. Without
// scripts the page shows the drawing as written.
constexpr const char* kTreeScript = R"(
(function () {
  'use strict';
  function nums(s) { return s ? s.split(',').map(Number) : null; }
  function fmt(v) { return (Math.round(v * 10) / 10).toString(); }
  // Positions along a row: Walker's algorithm in the linear-time form of Buchheim et al.
  function tidy(K, par, ch, bef, aft) {
    var prelim = new Float64Array(K), mod = new Float64Array(K), shift = new Float64Array(K),
        change = new Float64Array(K), mid = new Float64Array(K), thread = new Int32Array(K).fill(-1),
        anc = [], num = [], v, i, w;
    for (v = 0; v < K; v++) { anc[v] = v; for (i = 0; i < ch[v].length; i++) num[ch[v][i]] = i; }
    function nl(v) { return ch[v].length ? ch[v][0] : thread[v]; }
    function nr(v) { return ch[v].length ? ch[v][ch[v].length - 1] : thread[v]; }
    function sep(a, b) { return aft[a] + (par[a] === par[b] ? 12 : 20) + bef[b]; }
    function move(wm, wp, s) {
      var n = num[wp] - num[wm];
      change[wp] -= s / n; shift[wp] += s; change[wm] += s / n; prelim[wp] += s; mod[wp] += s;
    }
    function apportion(v, da) {
      if (num[v] === 0) return da;
      var p = par[v], c = ch[p], vip = v, vop = v, vim = c[num[v] - 1], vom = c[0];
      var sip = mod[vip], sop = mod[vop], sim = mod[vim], som = mod[vom];
      while (nr(vim) >= 0 && nl(vip) >= 0) {
        vim = nr(vim); vip = nl(vip); vom = nl(vom); vop = nr(vop); anc[vop] = v;
        var s = prelim[vim] + sim + sep(vim, vip) - (prelim[vip] + sip);
        if (s > 0) { move(par[anc[vim]] === p ? anc[vim] : da, v, s); sip += s; sop += s; }
        sim += mod[vim]; sip += mod[vip]; som += mod[vom]; sop += mod[vop];
      }
      if (nr(vim) >= 0 && nr(vop) < 0) { thread[vop] = nr(vim); mod[vop] += sim - sop; }
      if (nl(vip) >= 0 && nl(vom) < 0) { thread[vom] = nl(vip); mod[vom] += sip - som; da = v; }
      return da;
    }
    for (v = K - 1; v >= 0; v--) {
      var c = ch[v];
      if (!c.length) continue;
      var da = c[0];
      for (i = 0; i < c.length; i++) {
        w = c[i];
        var leaf = !ch[w].length;
        if (i === 0) prelim[w] = leaf ? 0 : mid[w];
        else { prelim[w] = prelim[c[i - 1]] + sep(c[i - 1], w); if (!leaf) mod[w] = prelim[w] - mid[w]; }
        da = apportion(w, da);
      }
      var s = 0, chg = 0;
      for (i = c.length - 1; i >= 0; i--) { w = c[i]; prelim[w] += s; mod[w] += s; chg += change[w]; s += shift[w] + chg; }
      mid[v] = (prelim[c[0]] + prelim[c[c.length - 1]]) / 2;
    }
    prelim[0] = ch[0].length ? mid[0] : 0;
    var x = new Float64Array(K), ms = new Float64Array(K), low = Infinity;
    for (v = 0; v < K; v++) {
      if (v) ms[v] = ms[par[v]] + mod[par[v]];
      x[v] = prelim[v] + ms[v];
      low = Math.min(low, x[v] - bef[v]);
    }
    for (v = 0; v < K; v++) x[v] -= low;
    return x;
  }
  function show(el, on) { if (on) el.removeAttribute('display'); else el.setAttribute('display', 'none'); }
  function init(svg) {
    var lr = svg.getAttribute('data-dir') === 'lr', levels = nums(svg.getAttribute('data-levels'));
    var margin = Number(svg.getAttribute('data-margin')), nodes = [], edges = [];
    Array.prototype.forEach.call(svg.querySelectorAll('g.pn'), function (g) {
      var box = g.querySelector('g.pb');
      nodes.push({g: g, po: g.querySelector('g.po'), pb: box, p: Number(g.getAttribute('data-p')),
                  d: Number(g.getAttribute('data-d')), e: nums(g.getAttribute('data-e')),
                  be: nums(g.getAttribute('data-be')), s: nums(g.getAttribute('data-s')),
                  bs: nums(g.getAttribute('data-bs')), f: nums(g.getAttribute('data-f')),
                  o: nums(g.getAttribute('data-o')), i: nums(g.getAttribute('data-i')),
                  k: g.hasAttribute('data-k'), open: !box || box.getAttribute('display') === 'none'});
    });
    Array.prototype.forEach.call(svg.querySelectorAll('path.pe'), function (e) { edges[Number(e.getAttribute('data-c'))] = e; });
    var sets = svg.querySelectorAll('path.pi');
    function size(n) { return n.open ? n.s : n.bs; }
    function centre(n) { var z = size(n); return lr ? [n.x + z[0] / 2, n.y] : [n.x, n.y + z[1] / 2]; }
    function relayout() {
      var vis = [], pos = [], ch = [], par = [], bef = [], aft = [], j, n;
      nodes.forEach(function (n, i) {
        n.vis = i === 0 || (nodes[n.p].vis && nodes[n.p].open);
        if (n.vis) { pos[i] = vis.length; vis.push(i); ch.push([]); }
      });
      for (j = 0; j < vis.length; j++) {
        n = nodes[vis[j]];
        if (j) { par[j] = pos[n.p]; ch[par[j]].push(j); }
        var e = n.open ? n.e : n.be;
        bef[j] = e[0]; aft[j] = e[1];
      }
      var x = tidy(vis.length, par, ch, bef, aft), breadth = 0, far = 0;
      for (j = 0; j < vis.length; j++) {
        n = nodes[vis[j]];
        var b = x[j] + margin;
        breadth = Math.max(breadth, x[j] + aft[j]);
        far = Math.max(far, levels[n.d] + n.f[n.open ? 0 : 1]);
        n.x = lr ? levels[n.d] : b; n.y = lr ? b : levels[n.d];
      }
      var W = lr ? far + margin : breadth + 2 * margin, H = lr ? breadth + 2 * margin : far + margin;
      svg.setAttribute('width', fmt(W)); svg.setAttribute('height', fmt(H));
      svg.setAttribute('viewBox', '0 0 ' + fmt(W) + ' ' + fmt(H));
      nodes.forEach(function (n, i) {
        show(n.g, n.vis);
        if (n.vis) {
          n.g.setAttribute('transform', 'translate(' + fmt(n.x) + ',' + fmt(n.y) + ')');
          show(n.po, n.open);
          if (n.pb) show(n.pb, !n.open);
        }
        var e = edges[i];
        if (!e) return;
        show(e, n.vis);
        if (!n.vis) return;
        var p = nodes[n.p];
        e.setAttribute('d', 'M' + fmt(p.x + p.o[0]) + ',' + fmt(p.y + p.o[1]) + ' L' + fmt(n.x + n.i[0]) + ',' +
                       fmt(n.y + n.i[1]) + ' L' + fmt(n.x) + ',' + fmt(lr ? n.y : n.y + n.i[1]));
      });
      Array.prototype.forEach.call(sets, function (path) {
        var a = nodes[Number(path.getAttribute('data-a'))], b = nodes[Number(path.getAttribute('data-b'))];
        show(path, a.vis && b.vis);
        if (!(a.vis && b.vis)) return;
        var ca = centre(a), cb = centre(b), cx = (ca[0] + cb[0]) / 2, cy = (ca[1] + cb[1]) / 2;
        if (a.d === b.d) {
          var bulge = Math.min(36, 0.12 * Math.hypot(cb[0] - ca[0], cb[1] - ca[1]));
          if (lr) cx += bulge; else cy += bulge;
        }
        path.setAttribute('d', 'M' + fmt(ca[0]) + ',' + fmt(ca[1]) + ' Q' + fmt(cx) + ',' + fmt(cy) + ' ' +
                          fmt(cb[0]) + ',' + fmt(cb[1]));
      });
    }
    relayout();
    function toggle(event) {
      var g = event.target.closest && event.target.closest('g.pn');
      if (!g || !g.hasAttribute('data-k')) return;
      var n = nodes[Number(g.getAttribute('data-n'))];
      n.open = !n.open;
      relayout();
      event.preventDefault();
    }
    svg.addEventListener('click', toggle);
    svg.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') toggle(event);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('svg.parley-tree'), init);
})();
)";

}  // namespace

std::string InlineSvg(const std::string& svg) {
  std::size_t start = svg.find("<svg");
  if (start == std::string::npos) return svg;
  std::string out = svg.substr(start);
  // Charts may shrink to the page's width; a tree keeps its size (its figure scrolls), since
  // a shrunk tree's labels soon cannot be read.
  std::size_t tag_end = out.find('>');
  if (tag_end != std::string::npos && out.compare(0, tag_end, "<svg") == 0 &&
      out.substr(0, tag_end).find("class=\"parley-tree\"") == std::string::npos)
    out.insert(tag_end, " style=\"max-width:100%;height:auto\"");
  return out;
}

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
      default:
        // A control character (a label's \x01 or \x0b) has no place in XML 1.0, not even as
        // a reference: the SVG would not parse. Shown as U+FFFD, the replacement character.
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == '\x7f')
          out += "\xEF\xBF\xBD";
        else
          out += c;
    }
  }
  return out;
}

namespace {

// Text shown in the page: escaped, with its blanks as the Markdown report has them
// (EscapeMarkdown). A browser shows a run of spaces as one and drops those at the start and
// end of an element (a label "  spaced  " read "spaced"): a space after another, or in a run
// at either end of the text, is a no-break space. A line break with the blanks around it is
// one space (none at either end), as the browser would show it.
std::string Text(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
      i = AppendBlanks(text, i, out);
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n' && text[end] != '\r') ++end;
    out += EscapeHtml(text.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace

std::string RenderHtml(const Document& document) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"generator\" content=\"parley\">\n"
      << "<title>" << EscapeHtml(document.title) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
  out << "<header>\n<h1>" << Text(document.title) << "</h1>\n";
  if (!document.subtitle.empty()) out << "<p class=\"subtitle\">" << Text(document.subtitle) << "</p>\n";
  out << "</header>\n<nav aria-label=\"Contents\"><strong>Contents</strong>\n<ol>\n";
  for (const Section& s : document.sections)
    out << "<li><a href=\"#" << EscapeHtml(s.id) << "\">" << Text(s.title) << "</a></li>\n";
  out << "</ol>\n</nav>\n<main>\n";
  for (const Section& s : document.sections) {
    out << "<section id=\"" << EscapeHtml(s.id) << "\">\n<h2>" << Text(s.title) << "</h2>\n";
    for (const Block& block : s.blocks) {
      std::visit(
          Overloaded{
              [&](const Paragraph& p) { out << "<p>" << Text(p.text) << "</p>\n"; },
              [&](const Subheading& h) { out << "<h3>" << Text(h.text) << "</h3>\n"; },
              [&](const Note& n) { out << "<p class=\"note\">" << Text(n.text) << "</p>\n"; },
              [&](const ItemList& l) {
                const char* tag = l.ordered ? "ol" : "ul";
                out << "<" << tag << (l.ordered ? " class=\"steps\"" : "") << ">\n";
                for (const auto& item : l.items) out << "<li>" << Text(item) << "</li>\n";
                out << "</" << tag << ">\n";
              },
              [&](const Table& t) {
                auto numeric = [&](std::size_t c) { return c < t.numeric.size() && t.numeric[c]; };
                out << "<table>\n<thead><tr>";
                for (const auto& h : t.header) out << "<th>" << Text(h) << "</th>";
                out << "</tr></thead>\n<tbody>\n";
                for (const auto& row : t.rows) {
                  out << "<tr>";
                  for (std::size_t c = 0; c < row.size(); ++c)
                    out << (numeric(c) ? "<td class=\"num\">" : "<td>") << Text(row[c]) << "</td>";
                  out << "</tr>\n";
                }
                out << "</tbody>\n</table>\n";
              },
              [&](const Figure& f) {
                // A tree may use the window's whole width (it is often wider than the text).
                bool tree = f.svg.find("class=\"parley-tree\"") != std::string::npos;
                out << "<figure id=\"figure-" << EscapeHtml(f.name) << "\"" << (tree ? " class=\"tree\"" : "") << ">\n"
                    << InlineSvg(f.svg);
                if (!f.caption.empty()) out << "<figcaption>" << Text(f.caption) << "</figcaption>\n";
                out << "</figure>\n";
              },
          },
          block);
    }
    out << "</section>\n";
  }
  out << "</main>\n<footer>" << Text(document.subtitle) << "</footer>\n";
  bool trees = false;
  for (const Section& s : document.sections)
    for (const Block& block : s.blocks)
      if (const Figure* f = std::get_if<Figure>(&block))
        trees = trees || f->svg.find("class=\"parley-tree\"") != std::string::npos;
  if (trees) out << "<script>" << kTreeScript << "</script>\n";
  out << "</body>\n</html>\n";
  return out.str();
}

}  // namespace parley::report
