// A numeric column of the practice table named in a scenario (budget methods, drivers' known
// per-practice values), checked where it is named.
#include "scenario/practice_column.hpp"

#include <fmt/format.h>

namespace rxstress {

// A numeric practice column named by the value of `key`, checked: it exists, every value is a
// number and none is negative (nor above `max`). `what` names a value in messages.
const std::vector<double>& practice_column(const ParamNode& block, std::string_view key,
                                           const std::string& name, const Population& pop,
                                           std::string_view what, double max) {
  const std::vector<double>* values = pop.numeric_column(name);
  if (!values) {
    const auto names = pop.numeric_column_names();
    const auto guess = did_you_mean(name, names);
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    block.fail(key,
               "no column '" + name + "' in the practice table" +
                   (guess ? " (did you mean '" + *guess + "'?)" : ""),
               "a numeric practice column: one of " + known);
  }
  auto extra = pop.columns.find(name);
  if (extra == pop.columns.end()) {  // a standard column, validated on reading (but not for `max`)
    for (double v : *values)
      if (v > max)
        block.fail(key, fmt::format("column '{}' holds {}, above {}", name, v, max),
                   fmt::format("a column of {} in [0, {}]", what, max));
    return *values;
  }
  const ExtraColumn& c = extra->second;
  if (c.first_bad) {
    const SourceLocation& w = c.where[*c.first_bad];
    block.fail(key,
               fmt::format("column '{}' is not numeric at {}:{}:{} (found '{}')", name, w.file,
                           w.line, w.column, c.first_bad_text),
               "a column with a number in every row");
  }
  for (std::size_t i = 0; i < values->size(); ++i) {
    if ((*values)[i] < 0.0)
      throw InputError(
          c.where[i], c.key_path[i],
          fmt::format("practice '{}' has a negative {}: {}", pop.id[i], what, (*values)[i]),
          fmt::format("a non-negative {}", what));
    if ((*values)[i] > max)
      throw InputError(
          c.where[i], c.key_path[i],
          fmt::format("practice '{}' has a {} of {}, above {}", pop.id[i], what, (*values)[i], max),
          fmt::format("a {} in [0, {}]", what, max));
  }
  return *values;
}

}  // namespace rxstress
