// The scenario's `budget` section: how each practice's budget of each settlement year is set.
#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "scenario/plausibility.hpp"
#include "scenario/practice_column.hpp"
#include "scenario/sections.hpp"

namespace rxstress {
namespace {

// Keys of one budget method: given with another method they are an error, not silently unused.
void check_method_keys(const ParamNode& block, const std::string& method) {
  static const std::pair<std::string_view, std::string_view> kOwner[] = {
      {"column", "file"}, {"total", "capitation"}, {"weights", "capitation"}};
  for (auto [key, owner] : kOwner)
    if (method != owner && block.has(key))
      block.fail(key, fmt::format("'{}' is used only with method: {}", key, owner),
                 fmt::format("no '{}' with method: {}", key, method));
}

// One figure for every settlement year, or a list of one per year: the values of `key`.
std::vector<double> per_year_numbers(ParamNode& block, std::string_view key, Range range,
                                     std::size_t years, std::string_view unit,
                                     std::string_view meaning, double fallback) {
  if (!block.is_list(key)) return {block.number(key, range, unit, meaning, fallback)};
  return block.numbers(key, range, years, years, unit,
                       fmt::format("{}, one per settlement year", meaning));
}

// method: file: each practice's annual budget is a column of the practice table, or one column
// per settlement year.
void read_file_budget(ParamNode& block, const Population& pop, std::size_t years, BudgetSpec& b) {
  const char* meaning = "practice column holding each practice's annual budget";
  if (block.is_list("column")) {
    b.columns = block.texts("column", fmt::format("{}, one per settlement year", meaning));
    if (b.columns.size() != years)
      block.fail("column", fmt::format("found {} columns", b.columns.size()),
                 fmt::format("one column, or one per settlement year ({})", years));
  } else {
    b.columns = {block.text("column", meaning)};
  }
  for (const auto& column : b.columns)
    b.annual.push_back(practice_column(block, "column", column, pop, "budget (GBP/year)"));
}

// method: capitation: a total shared in proportion to a practice column (list size by default).
void read_capitation(ParamNode& block, const Population& pop, BudgetSpec& b) {
  b.total = block.number("total", Range::positive(), "GBP/year",
                         "annual budget shared by all the practices");
  b.columns = {block.text("weights", "practice column the total is shared by", "list_size")};
  const auto& w = practice_column(block, "weights", b.columns[0], pop, "weight");
  double sum = 0.0;
  for (double x : w) sum += x;
  if (!(sum > 0.0))
    block.fail("weights", fmt::format("the weights in column '{}' sum to {}", b.columns[0], sum),
               "weights with a positive sum");
  b.annual.emplace_back();
  for (double x : w) b.annual[0].push_back(b.total * x / sum);
}

}  // namespace

BudgetSpec read_budget(ParamNode& block, const Scenario& sc) {
  BudgetSpec b;
  std::vector<std::string> all;
  for (const auto& d : sc.drivers) all.push_back(d->name());
  const std::string method = block.choice("method", {"expected", "historic", "file", "capitation"},
                                          "how budgets are set", "expected");
  b.method = method == "historic"     ? BudgetSpec::Method::historic
             : method == "file"       ? BudgetSpec::Method::file
             : method == "capitation" ? BudgetSpec::Method::capitation
                                      : BudgetSpec::Method::expected;
  b.funded = block.texts("funded", "drivers funded at their expectation", all);
  for (std::size_t i = 0; i < b.funded.size(); ++i)
    if (!names_driver(sc, b.funded[i])) {
      auto guess = did_you_mean(b.funded[i], all);
      block.fail_item("funded", i,
                      "'" + b.funded[i] + "' is not a driver of this scenario" +
                          (guess ? " (did you mean '" + *guess + "'?)" : ""),
                      "driver names or types from 'drivers'");
    }
  const std::size_t years = static_cast<std::size_t>(sc.calendar().years());
  b.uplift = per_year_numbers(block, "uplift", Range::between(-0.5, 1.0), years, "fraction",
                              "margin added to the budget", 0.0);
  warn_above(block, "uplift", *std::max_element(b.uplift.begin(), b.uplift.end()), kMaxUplift,
             "on a year's budget");
  check_method_keys(block, method);
  if (b.method == BudgetSpec::Method::file) read_file_budget(block, sc.population, years, b);
  if (b.method == BudgetSpec::Method::capitation) read_capitation(block, sc.population, b);
  block.finish();
  return b;
}

}  // namespace rxstress
