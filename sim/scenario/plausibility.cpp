#include "scenario/plausibility.hpp"

#include <fmt/format.h>

namespace rxstress {

void warn_above(const ParamNode& node, std::string_view key, double value, double limit,
                std::string_view what) {
  if (value <= limit) return;
  node.warn(key,
            fmt::format("{} is {:g} % {} (over {:g} %): a percentage written as a whole number?",
                        value, 100.0 * value, what, 100.0 * limit),
            fmt::format("a fraction {}, e.g. 0.02 for 2 %", what));
}

void warn_spend_per_patient(const ParamNode& block, const Population& pop) {
  std::size_t first = pop.size(), count = 0;
  for (std::size_t i = 0; i < pop.size(); ++i)
    if (pop.annual_spend[i] > kMaxSpendPerPatient * pop.list_size[i]) {
      if (count++ == 0) first = i;
    }
  if (count == 0) return;
  const bool located = first < pop.spend_location.size();
  block.warn_at(
      located ? pop.spend_location[first] : block.location(),
      located ? pop.spend_key[first] : block.path_of("annual_spend"),
      fmt::format("practice '{}' spends GBP {:.0f} per patient a year (annual_spend {:g} / "
                  "list_size {:g}, over GBP {:g}){}: pence for pounds?",
                  pop.id[first], pop.annual_spend[first] / pop.list_size[first],
                  pop.annual_spend[first], pop.list_size[first], kMaxSpendPerPatient,
                  count > 1 ? fmt::format(" and {} more practices do", count - 1) : ""),
      "annual_spend in GBP a year (England: about GBP 160 per patient)");
}

}  // namespace rxstress
