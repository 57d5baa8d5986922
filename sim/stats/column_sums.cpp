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

// Pass 1 over N columns side by side: running sums (each prefix's mean taken at its end), least
// and largest values. A running sum is a chain of dependent additions, each waiting on the last;
// the chains of several columns interleaved keep the adder busy where one column alone would
// wait. Each chain is still its own column's sum in path order from 0.
template <std::size_t N>
void first_pass(const double* const* columns, std::size_t K, ColumnSums* out) {
  const auto paths = prefix_paths(K);
  std::array<double, N> sum{}, lo{}, hi{};
  for (std::size_t c = 0; c < N; ++c) lo[c] = hi[c] = columns[c][0];
  std::size_t i = 0;
  for (std::size_t s = 0; s < ColumnSums::kSteps; ++s) {
    for (; i < paths[s]; ++i)
      for (std::size_t c = 0; c < N; ++c) {
        const double v = columns[c][i];
        sum[c] += v;
        lo[c] = v < lo[c] ? v : lo[c];
        hi[c] = v > hi[c] ? v : hi[c];
      }
    for (std::size_t c = 0; c < N; ++c) out[c].mean[s] = sum[c] / static_cast<double>(paths[s]);
  }
  for (std::size_t c = 0; c < N; ++c) {
    out[c].paths = paths;
    out[c].sum = sum[c];  // paths.back() == K
    out[c].min = lo[c], out[c].max = hi[c];
  }
}

// Pass 2: the deviation sums, from pass 1's means.
void second_pass(std::span<const double> x, ColumnSums& c) {
  const double mean0 = c.sum / static_cast<double>(x.size());
  add_deviations<0>(x, 0, c.paths[0], mean0, c);
  add_deviations<1>(x, c.paths[0], c.paths[1], mean0, c);
  add_deviations<2>(x, c.paths[1], c.paths[2], mean0, c);
  add_deviations<3>(x, c.paths[2], c.paths[3], mean0, c);
}

}  // namespace

ColumnSums column_sums(std::span<const double> x) {
  static_assert(ColumnSums::kSteps == 4, "add_deviations is instantiated for four prefixes");
  ColumnSums c;
  if (x.empty()) return c;  // nothing to sum (the summary refuses an empty column)
  const double* column = x.data();
  first_pass<1>(&column, x.size(), &c);
  second_pass(x, c);
  return c;
}

void column_sums(std::span<const double* const> columns, std::size_t K, std::span<ColumnSums> out) {
  if (K == 0) return;
  constexpr std::size_t kTogether = 4;
  std::size_t c = 0;
  for (; c + kTogether <= columns.size(); c += kTogether)
    first_pass<kTogether>(columns.data() + c, K, out.data() + c);
  for (; c < columns.size(); ++c) first_pass<1>(columns.data() + c, K, out.data() + c);
  for (c = 0; c < columns.size(); ++c) second_pass({columns[c], K}, out[c]);
}

}  // namespace rxstress::stats
