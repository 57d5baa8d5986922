// Two passes over a column in path order for every moment the statistics pass reports.
#include "stats/column_sums.hpp"

#include <algorithm>

namespace rxstress::stats {
namespace {

// Deviation sums over x[begin, end): the whole-sample ones and those of prefixes First and up
// (the prefixes that have not ended yet). Each accumulator is its own chain, so the processor
// runs them side by side.
template <std::size_t First>
void add_deviations(std::span<const double> x, std::size_t begin, std::size_t end, double mean0,
                    ColumnSums& c) {
  double dev = c.dev, dev2 = c.dev2;
  std::array<double, ColumnSums::kSteps> ss = c.ss;
  for (std::size_t i = begin; i < end; ++i) {
    const double d = x[i] - mean0;
    dev += d;
    dev2 += d * d;
    for (std::size_t s = First; s < ColumnSums::kSteps; ++s) {
      const double e = x[i] - c.mean[s];
      ss[s] += e * e;
    }
  }
  c.dev = dev, c.dev2 = dev2, c.ss = ss;
}

// The prefixes' lengths for K paths: K/8, K/4, K/2 and K, at least 1 each.
std::array<std::size_t, ColumnSums::kSteps> prefix_paths(std::size_t K) {
  std::array<std::size_t, ColumnSums::kSteps> paths{};
  for (std::size_t s = 0; s < ColumnSums::kSteps; ++s)
    paths[s] = std::max<std::size_t>(1, K >> (ColumnSums::kSteps - 1 - s));
  return paths;
}

}  // namespace

ColumnSums column_sums(std::span<const double> x) {
  static_assert(ColumnSums::kSteps == 4, "add_deviations is instantiated for four prefixes");
  ColumnSums c;
  const std::size_t K = x.size();
  if (K == 0) return c;  // nothing to sum (the summary refuses an empty column)
  c.paths = prefix_paths(K);
  double sum = 0.0, lo = x[0], hi = x[0];
  std::size_t i = 0;
  for (std::size_t s = 0; s < ColumnSums::kSteps; ++s) {
    for (; i < c.paths[s]; ++i) {
      sum += x[i];
      lo = x[i] < lo ? x[i] : lo;
      hi = x[i] > hi ? x[i] : hi;
    }
    c.mean[s] = sum / static_cast<double>(c.paths[s]);
  }
  c.sum = sum;  // paths.back() == K
  c.min = lo, c.max = hi;
  const double mean0 = sum / static_cast<double>(K);
  add_deviations<0>(x, 0, c.paths[0], mean0, c);
  add_deviations<1>(x, c.paths[0], c.paths[1], mean0, c);
  add_deviations<2>(x, c.paths[1], c.paths[2], mean0, c);
  add_deviations<3>(x, c.paths[2], c.paths[3], mean0, c);
  return c;
}

}  // namespace rxstress::stats
