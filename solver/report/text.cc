#include "solver/report/text.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "solver/report/solution.h"

namespace parley::report {

std::string FormatValue(double value) {
  if (value == 0 || std::abs(value) < 1e-12) return "0";
  if (std::abs(value) < 1e15 && std::abs(value - std::round(value)) < 1e-9 * std::max(1.0, std::abs(value)))
    return std::to_string(static_cast<long long>(std::round(value)));
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string FormatProbability(double value) { return FormatValue(value); }

std::string JoinWithAnd(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string Capitalize(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string ActionName(const model::Game& game, model::InfosetId h, std::uint32_t a) {
  const std::string& label = game.action_label(h, a);
  return label.empty() ? "#" + std::to_string(a + 1) : label;
}

std::string MoverName(const model::Game& game, model::NodeId v) {
  int p = game.player(v);
  if (p == model::kChancePlayer) return "Chance";
  if (p < 0) return "";
  return game.player_name(p);
}

std::string NodePhrase(const model::Game& game, model::NodeId v) {
  std::string where = DescribeNode(game, v);  // "the root", "after ...", "node \"x\""
  if (where.rfind("after ", 0) == 0) return Capitalize(where);
  return "At " + where;
}

std::string FormatVector(const std::vector<double>& values) {
  std::string out = "(";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + FormatValue(values[i]);
  return out + ")";
}

}  // namespace parley::report
