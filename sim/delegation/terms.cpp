#include "rxstress/terms.hpp"

#include <algorithm>

namespace rxstress {

double corridor_retained(double variance, double budget, const Corridor& c) {
  const double upper = c.upper * budget, lower = c.lower * budget;
  // Both sides computed and one selected, without a branch: whether a holder is beyond its
  // corridor changes from holder to holder and path to path, so a branch on it is mispredicted.
  const double over = upper + c.share_over * (variance - upper);
  const double under = -lower + c.share_under * (variance + lower);
  const double kept = variance < -lower ? under : variance > upper ? over : variance;
  return std::min(kept, c.cap * budget);
}

void settle_pool(std::span<double> retained, std::span<const double> budget, const Pool& pool) {
  double size = 0.0, claims = 0.0;
  for (std::size_t h = 0; h < retained.size(); ++h) {
    size += pool.contribution * budget[h];
    claims += std::max(retained[h], 0.0);
  }
  if (size <= 0.0) return;
  const double paid_fraction = claims > size ? size / claims : 1.0;
  const double leftover = size - std::min(size, claims);
  const double refund_fraction = pool.returned ? leftover / size : 0.0;
  for (std::size_t h = 0; h < retained.size(); ++h) {
    const double contribution = pool.contribution * budget[h];
    const double paid = std::max(retained[h], 0.0) * paid_fraction;
    retained[h] += contribution - paid - refund_fraction * contribution;
  }
}

// One loop per term, each without a branch inside, so that the compiler vectorises them.
void settle_terms(std::span<const double> gross, std::span<const double> carve,
                  std::span<const double> budget, const Terms& terms, std::span<double> retained) {
  const std::size_t H = gross.size();
  if (terms.carve_out && !carve.empty())
    for (std::size_t h = 0; h < H; ++h) retained[h] = gross[h] - carve[h];
  else
    std::copy_n(gross.begin(), H, retained.begin());
  if (terms.corridor) {
    const Corridor& c = *terms.corridor;
    for (std::size_t h = 0; h < H; ++h) retained[h] = corridor_retained(retained[h], budget[h], c);
  }
  if (terms.pool) settle_pool(retained, budget, *terms.pool);
}

double icb_carried(std::span<const double> retained, std::span<const double> budget,
                   double residual, std::optional<double> capacity, bool icb_holds) {
  double carried = residual;
  for (std::size_t h = 0; h < retained.size(); ++h) {
    if (icb_holds)
      carried += retained[h];
    else if (capacity)
      carried += std::max(0.0, retained[h] - *capacity * budget[h]);
  }
  return carried;
}

double holder_reserve(double quantile, double budget, std::optional<double> capacity) {
  const double reserve = std::max(0.0, quantile);
  return capacity ? std::min(reserve, *capacity * budget) : reserve;
}

}  // namespace rxstress
