// A numeric column of the practice table named by a scenario key, checked where it is named.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "rxstress/population.hpp"
#include "scenario/param_node.hpp"

namespace rxstress {

// The column named `name` by the value of `key` of `block`: it exists, every value is a number in
// [0, max]; errors at the key (no such column) or at the offending cell. `what` names a value.
const std::vector<double>& practice_column(const ParamNode& block, std::string_view key,
                                           const std::string& name, const Population& pop,
                                           std::string_view what,
                                           double max = std::numeric_limits<double>::infinity());

}  // namespace rxstress
