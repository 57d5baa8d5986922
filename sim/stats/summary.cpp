// One holder's summary over all K path outcomes (docs/model.md §2.5). Its ~30 order statistics
// and the largest 5 % come from OrderStatistics, which sorts only the value buckets they fall in.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "rxstress/stats.hpp"
#include "stats/column_sums.hpp"
#include "stats/order_statistics.hpp"

namespace rxstress::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using IndexPair = std::pair<std::size_t, std::size_t>;

double quantile_of(OrderStatistics& order, double p) {
  const QuantilePoint q = quantile_point(order.size(), p);
  return lerp(order.at(q.lo), order.at(q.hi), q.t);
}

// Corrected two-pass algorithm (Chan, Golub & LeVeque): the second pass's sum of deviations
// repairs the rounding of the first pass's mean. Both passes run in input order (column_sums), so
// the result is deterministic.
void fill_moments(const ColumnSums& sums, std::size_t count, double budget, HolderSummary& out) {
  const auto K = static_cast<double>(count);
  // A NaN or infinity has no place in the order (nor in a mean).
  if (!std::isfinite(sums.sum)) throw std::invalid_argument("summarise: non-finite outcome");
  const double mean0 = sums.sum / K;
  out.mean = mean0 + sums.dev / K;
  out.sd =
      count > 1 ? std::sqrt(std::max(0.0, (sums.dev2 - sums.dev * sums.dev / K) / (K - 1.0))) : 0.0;
  out.se_mean = out.sd / std::sqrt(K);
  out.cv = budget == 0.0 ? kNaN : out.sd / budget;
}

void fill_exceedance(const OrderStatistics& order, double budget,
                     std::span<const double> thresholds, HolderSummary& out) {
  out.p_exceed.resize(thresholds.size());
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    const auto above = order.count_above(thresholds[i] * budget);
    out.p_exceed[i] = static_cast<double>(above) / static_cast<double>(order.size());
  }
}

void fill_order_statistics(OrderStatistics& order, IndexPair ci, HolderSummary& out) {
  const std::size_t K = order.size();
  for (std::size_t i = 0; i < kQuantileProbs.size(); ++i) {
    out.quantiles[i] = quantile_of(order, kQuantileProbs[i]);
  }
  for (std::size_t i = 0; i < kAlphas.size(); ++i) {
    out.var[i] = quantile_of(order, kAlphas[i]);
    const std::size_t tail = tail_count(kAlphas[i], K);
    out.es[i] = order.sum_of_largest(tail) / static_cast<double>(tail);
  }
  out.q95_ci = {order.at(ci.first), order.at(ci.second)};
  for (std::size_t i = 0; i < kReturnPeriods.size(); ++i) {
    const int rp = kReturnPeriods[i];
    out.return_period_loss[i] =
        return_period_supported(K, rp) ? quantile_of(order, return_period_prob(rp)) : kNaN;
  }
}

}  // namespace

void summarise_into(const ColumnSums& sums, OrderStatistics& order, double budget,
                    std::span<const double> thresholds, HolderSummary& out) {
  if (order.size() == 0) throw std::invalid_argument("summarise: no outcomes");
  fill_moments(sums, order.size(), budget, out);
  const IndexPair ci = quantile_ci_indices(order.size(), kCiQuantile, kCiLevel);
  fill_exceedance(order, budget, thresholds, out);
  fill_order_statistics(order, ci, out);
}

void summarise_into(std::span<const double> outcomes, double budget,
                    std::span<const double> thresholds, HolderSummary& out) {
  if (outcomes.empty()) throw std::invalid_argument("summarise: no outcomes");
  const ColumnSums sums = column_sums(outcomes);
  // Refused before the values are dealt: a NaN or infinity has no place in the order.
  if (!std::isfinite(sums.sum)) throw std::invalid_argument("summarise: non-finite outcome");
  thread_local OrderStatistics order;  // reused: its buffers, once per thread
  order.build(outcomes, sums.min, sums.max);
  summarise_into(sums, order, budget, thresholds, out);
}

HolderSummary summarise(std::span<const double> outcomes, double budget,
                        std::span<const double> thresholds) {
  HolderSummary out;
  summarise_into(outcomes, budget, thresholds, out);
  return out;
}

}  // namespace rxstress::stats
