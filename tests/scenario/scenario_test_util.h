// Helpers shared by the scenario tests that read scenario text: reading it (with parameter
// overrides), the error it raises, its equilibrium payoffs, and small text edits.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "solver/equilibrium/solve.h"
#include "solver/model/error.h"
#include "solver/scenario/scenario.h"

namespace parley::scenario::test_util {

// The scenario in `text` (read as "test.yaml"), with `set` as `--set` overrides ("w=0.8").
inline std::shared_ptr<const Scenario> Read(const std::string& text, std::vector<std::string> set = {}) {
  ScenarioOptions o;
  o.overrides = std::move(set);
  return ReadScenario(text, "test.yaml", o);
}

// The message of the error that reading `text` raises, or "(no error)".
inline std::string ErrorOf(const std::string& text) {
  try {
    Read(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

inline bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The payoffs of the scenario's first equilibrium.
inline std::vector<double> Payoffs(const Scenario& s) {
  return equilibrium::Solve(*s.game, {}).equilibria.front().payoffs;
}

// `text` with the first occurrence of `from` replaced by `to` (which must occur).
inline std::string With(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace parley::scenario::test_util
