// One holder's summary over all K path outcomes (docs/model.md §2.5), from the outcomes sorted by a
// radix sort (sort_values), which costs less than selecting the ~30 order statistics the summary
// reads.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "rxstress/stats.hpp"
#include "stats/column_sums.hpp"

namespace rxstress::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using IndexPair = std::pair<std::size_t, std::size_t>;

double quantile_in_sorted(std::span<const double> x, double p) {
  const QuantilePoint q = quantile_point(x.size(), p);
  return lerp(x[q.lo], x[q.hi], q.t);
}

// Mean of the `count` largest values, summed in ascending order.
double tail_mean(std::span<const double> sorted, std::size_t count) {
  double sum = 0.0;
  for (double v : sorted.last(count)) sum += v;
  return sum / static_cast<double>(count);
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

// From the sorted outcomes: the count above a limit is what lies past its upper bound.
void fill_exceedance(std::span<const double> sorted, double budget,
                     std::span<const double> thresholds, HolderSummary& out) {
  out.p_exceed.resize(thresholds.size());
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    const double limit = thresholds[i] * budget;
    const auto above = sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), limit);
    out.p_exceed[i] = static_cast<double>(above) / static_cast<double>(sorted.size());
  }
}

void fill_order_statistics(std::span<const double> x, IndexPair ci, HolderSummary& out) {
  const std::size_t K = x.size();
  for (std::size_t i = 0; i < kQuantileProbs.size(); ++i) {
    out.quantiles[i] = quantile_in_sorted(x, kQuantileProbs[i]);
  }
  for (std::size_t i = 0; i < kAlphas.size(); ++i) {
    out.var[i] = quantile_in_sorted(x, kAlphas[i]);
    out.es[i] = tail_mean(x, tail_count(kAlphas[i], K));
  }
  out.q95_ci = {x[ci.first], x[ci.second]};
  for (std::size_t i = 0; i < kReturnPeriods.size(); ++i) {
    const int rp = kReturnPeriods[i];
    out.return_period_loss[i] =
        return_period_supported(K, rp) ? quantile_in_sorted(x, return_period_prob(rp)) : kNaN;
  }
}

}  // namespace

void summarise_into(const ColumnSums& sums, std::span<double> outcomes, double budget,
                    std::span<const double> thresholds, HolderSummary& out) {
  if (outcomes.empty()) throw std::invalid_argument("summarise: no outcomes");
  fill_moments(sums, outcomes.size(), budget, out);
  const IndexPair ci = quantile_ci_indices(outcomes.size(), kCiQuantile, kCiLevel);
  sort_values(outcomes);
  fill_exceedance(outcomes, budget, thresholds, out);
  fill_order_statistics(outcomes, ci, out);
}

void summarise_into(std::span<double> outcomes, double budget, std::span<const double> thresholds,
                    HolderSummary& out) {
  summarise_into(column_sums(outcomes), outcomes, budget, thresholds, out);  // refuses empty
}

HolderSummary summarise(std::span<double> outcomes, double budget,
                        std::span<const double> thresholds) {
  HolderSummary out;
  summarise_into(outcomes, budget, thresholds, out);
  return out;
}

}  // namespace rxstress::stats
