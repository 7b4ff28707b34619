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
// The dot product rounded once from its exact value: equal exact sums give equal doubles
// whatever their order (0.1 + 0.2 + 0.3 and 0.3 + 0.2 + 0.1 differ in doubles summed left
// to right), so the exact LPs see a tie where the data have one.
double ExactDot(const Vector& a, const Vector& b);
// Entries below kMinMagnitude (not 0) are rounding residues beside a player's other values,
// and coefficients like 1e-200 make GLPK's scaling abort: they are set to 0 on entry.
// RefuseAllTiny first refuses a player all of whose non-zero values are below it (setting them
// to 0 would leave that player nothing to gain, with a message that hides why).
bool HasTiny(const Vector& v);
void RefuseAllTiny(const std::vector<Vector>& points, const Vector& d);
// Its message, for player i whose largest magnitude is `largest`.
[[noreturn]] void RefuseAllTiny(std::size_t i, double largest);
bool HasTiny(const std::vector<Vector>& points);
Vector WithoutTiny(Vector v);
std::vector<Vector> WithoutTiny(std::vector<Vector> points);

}  // namespace parley::bargaining::internal
