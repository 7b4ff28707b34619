// The explorer's page (explorer/web/), embedded in the binary at build time by
// explorer/embed_assets.cmake: the server answers from this table, never from the file system.
#pragma once

#include <string_view>
#include <vector>

namespace parley::explorer {

struct Asset {
  std::string_view name;          // "explorer.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view bytes;
};

const std::vector<Asset>& Assets();

}  // namespace parley::explorer
