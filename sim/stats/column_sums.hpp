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
};

// Every sum runs from 0 in path order with the operations a separate pass over its own values
// would make, so each has the same bits as that pass: a prefix's sum is the running total of all
// K at the prefix's end, and the deviation sums, independent of one another, share one pass.
ColumnSums column_sums(std::span<const double> x);

// The convergence table from the sums, `outcomes` in path order and `sorted` (all of them).
Convergence convergence(const ColumnSums& sums, std::span<const double> outcomes,
                        std::span<const double> sorted);

// The summary from the sums and `outcomes`, which is sorted on the way.
void summarise_into(const ColumnSums& sums, std::span<double> outcomes, double budget,
                    std::span<const double> thresholds, HolderSummary& out);

}  // namespace rxstress::stats
