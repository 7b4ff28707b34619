// Checking that text is UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
// U+10FFFF). Labels end up in JSON, which must be UTF-8, so the readers refuse anything else
// where they read it instead of failing later while writing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::io {

// The offset of the first byte that does not start a valid UTF-8 sequence, or npos when the
// whole text is valid.
std::size_t FindInvalidUtf8(std::string_view text);

// Line and column (1-based, columns in bytes) of byte `offset` in `text`.
void LineAndColumn(std::string_view text, std::size_t offset, int* line, int* column);

}  // namespace parley::io
