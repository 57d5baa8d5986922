// Quantiles as numpy computes them, tail counts for expected shortfall, and return periods.
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "rxstress/stats.hpp"

namespace rxstress::stats {

QuantilePoint quantile_point(std::size_t K, double p) {
  if (K == 0) throw std::invalid_argument("quantile of no values");
  if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("quantile probability outside [0, 1]");
  // Same expressions as numpy's 'linear' method, so the same doubles come out.
  const double h = static_cast<double>(K - 1) * p;
  const double floor_h = std::floor(h);
  if (h >= static_cast<double>(K - 1)) return {K - 1, K - 1, 0.0};
  const auto lo = static_cast<std::size_t>(floor_h);
  return {lo, lo + 1, h - floor_h};
}

double lerp(double a, double b, double t) {
  // numpy's _lerp: interpolating from the nearer end keeps the result exact at t = 0 and t = 1
  // and monotone in t.
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

double quantile_sorted(std::span<const double> sorted, double p) {
  const QuantilePoint q = quantile_point(sorted.size(), p);
  return lerp(sorted[q.lo], sorted[q.hi], q.t);
}

std::size_t tail_count(double alpha, std::size_t K) {
  if (!(alpha >= 0.0 && alpha <= 1.0)) throw std::invalid_argument("alpha outside [0, 1]");
  // 1 - alpha in parts per billion, rounded once, so that 0.95 means exactly 95 % and the ceiling
  // below sees no floating-point error.
  constexpr std::uint64_t kScale = 1'000'000'000;
  const auto tail_ppb = kScale - static_cast<std::uint64_t>(std::llround(alpha * 1e9));
  // ceil(tail_ppb * K / kScale), split as K = whole * kScale + rest so nothing overflows.
  const std::uint64_t whole = K / kScale;
  const std::uint64_t rest = K % kScale;
  const std::uint64_t count = tail_ppb * whole + (tail_ppb * rest + kScale - 1) / kScale;
  if (K == 0) return 0;
  return count < 1 ? 1 : static_cast<std::size_t>(count);
}

bool return_period_supported(std::size_t K, int period) {
  return period > 0 && K >= static_cast<std::size_t>(period);
}

double return_period_prob(int period) { return 1.0 - 1.0 / static_cast<double>(period); }

}  // namespace rxstress::stats
