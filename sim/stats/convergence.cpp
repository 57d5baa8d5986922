// The convergence table of one holder, and the per-column step of the statistics pass.
#include <algorithm>
#include <array>
#include <cmath>

#include "rxstress/stats.hpp"

namespace rxstress::stats {

Convergence convergence(std::span<const double> outcomes, std::span<const double> sorted) {
  Convergence c;
  const std::size_t K = outcomes.size();
  std::vector<double> part;
  for (std::size_t s = 0; s < Convergence::kSteps; ++s) {
    const std::size_t n = std::max<std::size_t>(1, K >> (Convergence::kSteps - 1 - s));
    const std::span<const double> first(outcomes.data(), n);
    double mean = 0.0;
    for (double x : first) mean += x;
    mean /= n;
    double ss = 0.0;
    for (double x : first) ss += (x - mean) * (x - mean);
    const auto [lo, hi] = quantile_ci_indices(n, 0.95, 0.95);
    const auto q = quantile_point(n, 0.95);
    std::span<const double> ordered = sorted;  // all paths: already in order
    if (n < K) {
      // The four order statistics of the first n paths by one selection (cheaper than sorting).
      part.assign(first.begin(), first.end());
      std::array<std::size_t, 4> ks{lo, q.lo, q.hi, hi};
      std::sort(ks.begin(), ks.end());
      const auto distinct =
          static_cast<std::size_t>(std::unique(ks.begin(), ks.end()) - ks.begin());
      select_order_statistics(part, std::span(ks.data(), distinct));
      ordered = part;
    }
    c.paths[s] = static_cast<double>(n);
    c.mean[s] = mean;
    c.se_mean[s] = n > 1 ? std::sqrt(ss / (n - 1) / n) : std::nan("");
    c.q95[s] = lerp(ordered[q.lo], ordered[q.hi], q.t);
    // The distribution-free 95 % interval spans about 2 x 1.96 standard errors.
    c.se_q95[s] = (ordered[hi] - ordered[lo]) / (2.0 * 1.959964);
  }
  return c;
}

void summarise_column(std::span<double> column, double budget, std::span<const double> thresholds,
                      std::vector<double>& scratch, HolderSummary& summary,
                      Convergence& convergence_out) {
  scratch.assign(column.begin(), column.end());
  summarise_into(column, budget, thresholds, summary);  // sorts column
  convergence_out = convergence(scratch, column);
}

}  // namespace rxstress::stats
