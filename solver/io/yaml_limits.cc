#include "solver/io/yaml_limits.h"

#include <yaml-cpp/eventhandler.h>

#include <cstdio>
#include <unordered_map>
#include <sstream>
#include <vector>

#include "solver/io/utf8.h"
#include "solver/model/error.h"

namespace parley::io {

namespace {

// Counts the nodes of a document as a reader walking it would meet them: an alias counts the
// nodes of the subtree it names. Counts saturate at kMaxYamlNodes + 1, so nothing overflows.
class ExpandedSize : public YAML::EventHandler {
 public:
  std::size_t total() const { return total_; }
  YAML::Mark where_exceeded() const { return exceeded_at_; }
  // The first alias met inside the node it names (line < 0: none).
  YAML::Mark where_recursive() const { return recursive_at_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor, 1); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    // An alias inside the node it names makes the document infinite (yaml-cpp builds a
    // cycle, and any walk of it never ends).
    for (const Frame& f : open_)
      if (f.anchor == anchor && recursive_at_.line < 0) recursive_at_ = mark;
    Leaf(mark, YAML::NullAnchor, anchor < sizes_.size() ? sizes_[anchor] : 1);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Leaf(mark, anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YAML::anchor_t anchor;
    std::size_t size;
  };
  static std::size_t Add(std::size_t a, std::size_t b) {
    return a + b > kMaxYamlNodes ? kMaxYamlNodes + 1 : a + b;
  }
  void Record(YAML::anchor_t anchor, std::size_t size) {
    if (anchor == YAML::NullAnchor) return;
    if (sizes_.size() <= anchor) sizes_.resize(anchor + 1, 1);
    sizes_[anchor] = size;
  }
  void Count(const YAML::Mark& mark, std::size_t size) {
    if (open_.empty()) {
      total_ = Add(total_, size);
    } else {
      open_.back().size = Add(open_.back().size, size);
    }
    std::size_t now = total_;
    for (const Frame& f : open_) now = Add(now, f.size);
    if (now > kMaxYamlNodes && exceeded_at_.line < 0) exceeded_at_ = mark;
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor, std::size_t size) {
    Record(anchor, size);
    Count(mark, size);
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    open_.push_back({anchor, 1});
    Count(mark, 0);
  }
  void Close() {
    Frame f = open_.back();
    open_.pop_back();
    Record(f.anchor, f.size);
    Count(YAML::Mark::null_mark(), f.size);
  }

  std::vector<Frame> open_;
  std::vector<std::size_t> sizes_;
  std::size_t total_ = 0;
  YAML::Mark exceeded_at_ = YAML::Mark::null_mark();
  YAML::Mark recursive_at_ = YAML::Mark::null_mark();
};

// Whether the parser has another document after the first; where it starts.
class DocumentStart : public YAML::EventHandler {
 public:
  YAML::Mark where() const { return start_; }
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (start_.line < 0) start_ = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  YAML::Mark start_ = YAML::Mark::null_mark();
};

SourceLocation At(const std::string& file, const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return SourceLocation{file};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

}  // namespace

namespace {

// A key given twice in one mapping: YAML keys are unique, and a reader that looks a key up
// sees one of the two while one that walks the mapping sees both, so `{x: 0.25, y: 0.5,
// x: 0.5}` silently became x = 0.5 (and passed a sum check the first value would fail).
// Refused at the second, in document order, with where the first is.
void RefuseRepeatedKeys(const YAML::Node& root, const std::string& file_name) {
  // (Nodes are only copy-constructed here: assigning one YAML::Node to another rebinds the
  // node it refers to inside the document, so they are never swapped or assigned.)
  std::vector<YAML::Node> stack{root}, children;
  std::unordered_map<std::string, YAML::Mark> seen;
  while (!stack.empty()) {
    const YAML::Node node = stack.back();
    stack.pop_back();
    children.clear();
    if (node.IsMap()) {
      seen.clear();
      for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first;  // a copy: it-> returns a temporary proxy
        if (key.IsScalar()) {
          auto [at, fresh] = seen.emplace(key.Scalar(), key.Mark());
          if (!fresh)
            throw ParseError(At(file_name, key.Mark()),
                             "key '" + key.Scalar() + "' appears twice in this mapping (first at line " +
                                 std::to_string(at->second.line + 1) + ", column " +
                                 std::to_string(at->second.column + 1) +
                                 "); YAML keys are unique: give it once");
        } else {
          children.push_back(key);
        }
        children.push_back(it->second);
      }
    } else if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i) children.push_back(node[i]);
    }
    for (std::size_t k = children.size(); k-- > 0;) stack.push_back(children[k]);  // document order
  }
}

}  // namespace

YAML::Node LoadYamlBounded(const std::string& text, const std::string& file_name) {
  if (text.size() > kMaxYamlBytes)
    throw ParseError(SourceLocation{file_name},
                     "the file has " + std::to_string(text.size()) + " bytes; YAML files of at "
                     "most " + std::to_string(kMaxYamlBytes >> 20) + " MB are read");
  if (std::size_t bad = FindInvalidUtf8(text); bad != std::string::npos) {
    int line = 1, column = 1;
    LineAndColumn(text, bad, &line, &column);
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned char>(text[bad]));
    throw ParseError(SourceLocation{file_name, line, column},
                     std::string("label is not valid UTF-8 (byte ") + byte +
                         "); YAML files are UTF-8 text: save the file as UTF-8");
  }
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    ExpandedSize size;
    parser.HandleNextDocument(size);
    if (size.where_recursive().line >= 0)
      throw ParseError(At(file_name, size.where_recursive()),
                       "this alias names a node that contains it, which would repeat itself without end; an "
                       "alias (*name) must name a node that is complete before it (anchored with &name)");
    if (size.total() > kMaxYamlNodes || size.where_exceeded().line >= 0)
      throw ParseError(At(file_name, size.where_exceeded()),
                       "the document has more than " + std::to_string(kMaxYamlNodes) +
                           " nodes once its aliases (*name) are expanded; a YAML alias repeats "
                           "the whole node it names, so nested aliases multiply: write the "
                           "values out, or use fewer levels of aliases");
    // One document: what follows a second '---' would be dropped without a word.
    DocumentStart second;
    if (parser.HandleNextDocument(second))
      throw ParseError(At(file_name, second.where()),
                       "a second YAML document starts here (after '---'); a file holds one document: remove "
                       "the '---' line, or put the second document in a file of its own");
    YAML::Node root = YAML::Load(text);
    RefuseRepeatedKeys(root, file_name);
    return root;
  } catch (const YAML::Exception& e) {
    // A tab in a line's indentation, at or before the error: YAML indents with spaces only,
    // and the parser's own word for it ("illegal block entry", ...) does not say so.
    int line = 1;
    for (std::size_t at = 0; at < text.size() && (e.mark.line < 0 || line <= e.mark.line + 1);) {
      std::size_t k = at;
      while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) {
        if (text[k] == '\t' && k + 1 < text.size() && text[k + 1] != '\n' && text[k + 1] != '#')
          throw ParseError(SourceLocation{file_name, line, static_cast<int>(k - at) + 1},
                           "a tab in this line's indentation; YAML indents with spaces only: replace the "
                           "tab with spaces");
        ++k;
      }
      const std::size_t end = text.find('\n', at);
      if (end == std::string::npos) break;
      at = end + 1;
      ++line;
    }
    throw ParseError(At(file_name, e.mark), "YAML syntax error: " + e.msg);
  }
}

}  // namespace parley::io
