// Standard errors by batch means: one method for any statistic (mean, quantile, expected
// shortfall, probability, a median over holders), paired or not, with no density estimate.
#include <cmath>
#include <limits>
#include <stdexcept>

#include "rxstress/stats.hpp"

namespace rxstress::stats {

std::vector<std::pair<std::size_t, std::size_t>> batch_ranges(std::size_t K, std::size_t batches) {
  if (batches < 1 || batches > K)
    throw std::invalid_argument("batch_ranges: need 1 <= batches <= K");
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (std::size_t g = 0; g < batches; ++g)
    ranges.emplace_back(g * K / batches, (g + 1) * K / batches);
  return ranges;
}

double batch_se(std::span<const double> per_batch) {
  if (per_batch.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  Moments m;
  for (double v : per_batch) m.add(v);
  return std::sqrt(m.variance() / static_cast<double>(per_batch.size()));
}

}  // namespace rxstress::stats
