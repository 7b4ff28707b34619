// `parley bargain`'s results as text: the solutions side by side with their precision, then
// per solution its weights, agreed issues, lottery, ties, the cost of forbidding lotteries and
// the method; Nash's variable-threat game; Rubinstein's alternating offers. (The JSON of the
// same results is bargaining::ToJson.)
#pragma once

#include <string>

#include "solver/bargaining/alternating_offers.h"
#include "solver/bargaining/bargaining.h"

namespace parley::report {

// `title` first, then the table of solutions and the notes on each.
std::string BargainingResultText(const std::string& title, const bargaining::Result& result);
// The same for a variable-threat game (result.threats set), then the optimal threats.
std::string ThreatGameText(const bargaining::Result& result, bool transferable);
std::string AlternatingOffersText(const bargaining::AlternatingOffers& game,
                                  const bargaining::AlternatingOffersResult& result);

}  // namespace parley::report
