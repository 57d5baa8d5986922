// The convergence table of one holder, and the per-column step of the statistics pass.
#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include "rxstress/stats.hpp"
#include "stats/column_sums.hpp"
#include "stats/order_statistics.hpp"

namespace rxstress::stats {

Convergence convergence(const ColumnSums& sums, OrderStatistics& order) {
  Convergence c;
  for (std::size_t s = 0; s < Convergence::kSteps; ++s) {
    const std::size_t n = sums.paths[s];
    const auto [lo, hi] = quantile_ci_indices(n, 0.95, 0.95);
    const auto q = quantile_point(n, 0.95);
    // The prefix's ranks, ascending; all lie near its top 5-8 %, so the walk down from the
    // column's largest value sorts only the top buckets.
    std::array<std::size_t, 4> ranks{lo, q.lo, q.hi, hi};
    std::sort(ranks.begin(), ranks.end());
    std::array<double, 4> values{};
    order.prefix_ranks(n, ranks, values);
    auto at = [&](std::size_t rank) {
      return values[static_cast<std::size_t>(std::find(ranks.begin(), ranks.end(), rank) -
                                             ranks.begin())];
    };
    c.paths[s] = static_cast<double>(n);
    c.mean[s] = sums.mean[s];
    c.se_mean[s] = n > 1 ? std::sqrt(sums.ss[s] / (n - 1) / n) : std::nan("");
    c.q95[s] = lerp(at(q.lo), at(q.hi), q.t);
    // The distribution-free 95 % interval spans about 2 x 1.959964 standard errors.
    c.se_q95[s] = (at(hi) - at(lo)) / (2.0 * 1.959964);
  }
  return c;
}

Convergence convergence(std::span<const double> outcomes) {
  if (outcomes.empty()) throw std::invalid_argument("convergence: no outcomes");
  const ColumnSums sums = column_sums(outcomes);
  OrderStatistics order;
  order.build(outcomes, sums.min, sums.max);
  return convergence(sums, order);
}

void summarise_column(std::span<const double> column, double budget,
                      std::span<const double> thresholds, std::span<const double> extra_probs,
                      std::span<double> extra_quantiles, HolderSummary& summary,
                      Convergence& convergence_out) {
  summarise_column(column_sums(column), column, budget, thresholds, extra_probs, extra_quantiles,
                   summary, convergence_out);
}

void summarise_column(const ColumnSums& sums, std::span<const double> column, double budget,
                      std::span<const double> thresholds, std::span<const double> extra_probs,
                      std::span<double> extra_quantiles, HolderSummary& summary,
                      Convergence& convergence_out) {
  if (column.empty()) throw std::invalid_argument("summarise: no outcomes");
  // Refused before the values are dealt: a NaN or infinity has no place in the order.
  if (!std::isfinite(sums.sum)) throw std::invalid_argument("summarise: non-finite outcome");
  thread_local OrderStatistics order;  // reused: its buffers, once per thread
  order.build(column, sums.min, sums.max);
  summarise_into(sums, order, budget, thresholds, summary);
  convergence_out = convergence(sums, order);
  for (std::size_t e = 0; e < extra_probs.size(); ++e) {
    const QuantilePoint q = quantile_point(column.size(), extra_probs[e]);
    extra_quantiles[e] = lerp(order.at(q.lo), order.at(q.hi), q.t);
  }
}

}  // namespace rxstress::stats
