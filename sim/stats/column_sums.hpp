// The path-order sums of one holder's column that the summary's moments and the convergence
// table's prefixes need, taken in two passes over the column instead of eight.
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "rxstress/stats.hpp"

namespace rxstress::stats {

struct ColumnSums {
  static constexpr std::size_t kSteps = Convergence::kSteps;
  std::array<std::size_t, kSteps> paths{};  // the prefixes: K/8, K/4, K/2, K (at least 1)
  std::array<double, kSteps> mean{};        // each prefix's mean
  std::array<double, kSteps> ss{};          // each prefix's sum of squared deviations from it
  double sum = 0.0;                         // of all K values
  double dev = 0.0, dev2 = 0.0;             // sums of (x - sum / K) and its square
  double min = 0.0, max = 0.0;              // the least and largest value (NaNs aside)
};

// Every sum runs from 0 in path order with the operations a separate pass over its own values
// would make, so each has the same bits as that pass: a prefix's sum is the running total of all
// K at the prefix's end, and the deviation sums, independent of one another, share one pass.
ColumnSums column_sums(std::span<const double> x);
// The same for several columns of K values each (out as long as `columns`), with the same bits;
// their running sums are taken side by side, which is faster than one column after another.
void column_sums(std::span<const double* const> columns, std::size_t K, std::span<ColumnSums> out);

// summarise_column (rxstress/stats.hpp) with the column's sums already taken.
void summarise_column(const ColumnSums& sums, std::span<const double> column, double budget,
                      std::span<const double> thresholds, std::span<const double> extra_probs,
                      std::span<double> extra_quantiles, HolderSummary& summary,
                      Convergence& convergence_out);

class OrderStatistics;

// The convergence table from the sums and the column's order statistics.
Convergence convergence(const ColumnSums& sums, OrderStatistics& order);

// The summary from the sums and the order statistics of one column.
void summarise_into(const ColumnSums& sums, OrderStatistics& order, double budget,
                    std::span<const double> thresholds, HolderSummary& out);

}  // namespace rxstress::stats
