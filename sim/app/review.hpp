// `rxstress review`: the quarterly review of actual spend against the forecast (issue 17).
// Its statistics, exposed for the tests.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "rxstress/calendar.hpp"

namespace rxstress {

// Where x falls among the simulated values, by mid-rank: (#{v < x} + #{v == x} / 2) / n. For x
// equal to one of n distinct values, exactly (its rank + 1/2) / n.
double forecast_percentile(std::span<const double> values, double x);

// The year-end outturn conditional on the year to date, by nearest paths: the k paths whose
// year-to-date spend is nearest to `actual_ytd` (ties to the lower path index), k = 20 j - 1 with
// j = max(1, round(sqrt(n) / 20)) (19 of 200 paths, 39 of 2,000); the year-end is the actual
// year to date plus their rest-of-year spend. The estimate is the mean (standard error sd/sqrt(k));
// the band runs between order statistics (k + 1)/20 and 19 (k + 1)/20 of their rest of year,
// which covers a path exchangeable with the k with probability exactly 0.9.
struct ConditionalYearEnd {
  double estimate = 0, se = 0, low = 0, high = 0;
  double coverage = 0.9;  // nominal coverage of [low, high]
  std::size_t paths = 0;  // k
};
inline constexpr std::size_t kNoPath = std::numeric_limits<std::size_t>::max();
// `ytd`, `year_end` per path; `exclude` (a path index) is left out (leave-one-out checks).
ConditionalYearEnd conditional_year_end(std::span<const double> ytd,
                                        std::span<const double> year_end, double actual_ytd,
                                        std::size_t exclude = kNoPath);
// The fewest paths the review needs (k = 19 and one to spare).
inline constexpr std::size_t kReviewMinPaths = 20;

// "2026-06", "2026-06-01" or "202606" as a year and month; false otherwise.
bool parse_month(const std::string& text, YearMonth& ym);

// Actual monthly spend per practice, from a CSV of practice code, month and actual cost.
struct Actuals {
  int months = 0;            // months from the start reviewed: the latest month's index + 1
  std::vector<double> cost;  // [practice * horizon + t], GBP; only t < months is set
  std::string through;       // the latest month, "2026-06"
};
// Columns (any case): practice | practice_code | row_id, month | year_month | date (2026-06,
// 2026-06-01 or 202606) and actual_cost | cost (GBP). An unknown practice, a month outside the
// horizon, a second row for a practice and month, a negative or unreadable cost, or a practice
// without a row for a month up to the latest: InputError at file:line:column.
Actuals read_actuals(const std::string& path, const std::vector<std::string>& practice_ids,
                     const Calendar& calendar);

}  // namespace rxstress
