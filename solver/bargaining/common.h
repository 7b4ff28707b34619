// Helpers shared by the solvers of solver/bargaining: input checks with clear messages and
// vector formatting. Internal to the bargaining library.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "solver/bargaining/problem.h"

namespace parley::bargaining::internal {

// "(4, 3)", shortest round-trip decimals.
std::string FormatVector(const Vector& v);
// Throws ValidationError unless every entry is finite and at most kMaxMagnitude in
// magnitude; `what` names the vector in the message.
void CheckFinite(const Vector& v, std::string_view what);
// Throws ValidationError unless `d` has `players` finite entries.
void CheckDisagreement(const Vector& d, std::size_t players);
// All ones when `weights` is empty; otherwise checks size and positivity and returns them.
Vector CheckWeights(const Vector& weights, std::size_t players);
// CheckWeights' checks alone (the same messages), without a copy.
void CheckWeightsValid(const Vector& weights, std::size_t players);
bool AllEqual(const Vector& weights);
// The message for a disagreement point that no feasible point beats strictly for everyone.
[[noreturn]] void ThrowNoGain(const Vector& d, const Vector& ideal, bool ideal_is_ir);
double Dot(const Vector& a, const Vector& b);
// Entries below kMinMagnitude (not 0) are below every tolerance of the solvers, which are
// relative to a scale of at least 1, but coefficients like 1e-200 make GLPK's scaling abort:
// they are set to 0 on entry.
bool HasTiny(const Vector& v);
bool HasTiny(const std::vector<Vector>& points);
Vector WithoutTiny(Vector v);
std::vector<Vector> WithoutTiny(std::vector<Vector> points);

}  // namespace parley::bargaining::internal
