// Values that are valid but most likely a unit slip (issue 16): a percentage written as a whole
// number (2 for 2 %), pence for pounds. Each is a warning located at the value, and an error with
// --strict.
#pragma once

#include <string_view>

#include "rxstress/population.hpp"
#include "scenario/param_node.hpp"

namespace rxstress {

// The limits beyond which a value is reported.
inline constexpr double kMaxCorridorBand = 0.5;        // fraction of budget
inline constexpr double kMaxPoolContribution = 0.2;    // fraction of budget
inline constexpr double kMaxUplift = 0.3;              // fraction
inline constexpr double kMaxSpendPerPatient = 2000.0;  // GBP per patient a year

// Warns when `value` of `key` (a fraction: `what`, e.g. "of the budget") is above `limit`.
void warn_above(const ParamNode& node, std::string_view key, double value, double limit,
                std::string_view what);

// Warns about the practices spending more than kMaxSpendPerPatient a year per patient: one line,
// at the first such practice's spend.
void warn_spend_per_patient(const ParamNode& block, const Population& pop);

}  // namespace rxstress
