// The convergence table of one holder, and the per-column step of the statistics pass.
#include <algorithm>
#include <array>
#include <cmath>

#include "rxstress/stats.hpp"
#include "stats/column_sums.hpp"

namespace rxstress::stats {
namespace {

// The part of the whole sample that the prefixes' order statistics are looked for in: values at or
// above its 80 % quantile. A prefix's 95 % quantile and the ends of its interval sit near its top
// 5-8 %, so for a prefix of K/8 or more paths about a fifth of its values pass, several times what
// is needed.
constexpr std::size_t kKeptFraction = 5;  // one value in 5

// Places the order statistics at the ascending ranks `ks` (sorted, distinct) of `prefix` in the
// returned span of `buffer` (at least as long as the prefix); sets `offset` to how many ranks to
// subtract to read rank k there (span[k - offset]).
// Only the prefix's values >= `floor_value` are copied and selected among: every value left out is
// below every value kept, so a kept value's rank in the prefix is its rank among the kept plus the
// number left out. That is exact whenever the lowest rank asked for is among the kept; otherwise
// the whole prefix is copied and selected from, as before this shortcut.
std::span<const double> select_in_prefix(std::span<const double> prefix, double floor_value,
                                         std::span<const std::size_t> ks,
                                         std::vector<double>& buffer, std::size_t& offset) {
  // Branch-free: about one value in five passes, too often for a branch to predict.
  std::size_t kept = 0;
  for (double x : prefix) {
    buffer[kept] = x;
    kept += x >= floor_value;
  }
  offset = prefix.size() - kept;
  if (kept == 0 || ks.front() < offset) {
    std::copy(prefix.begin(), prefix.end(), buffer.begin());
    kept = prefix.size();
    offset = 0;
  }
  std::array<std::size_t, 4> shifted{};
  for (std::size_t i = 0; i < ks.size(); ++i) shifted[i] = ks[i] - offset;
  const std::span<double> part(buffer.data(), kept);
  select_order_statistics(part, std::span(shifted.data(), ks.size()));
  return part;
}

}  // namespace

Convergence convergence(const ColumnSums& sums, std::span<const double> outcomes,
                        std::span<const double> sorted) {
  Convergence c;
  const std::size_t K = outcomes.size();
  const double floor_value = sorted[(K - 1) - K / kKeptFraction];
  thread_local std::vector<double> buffer;  // reused: a column's worth, once per thread
  if (buffer.size() < K) buffer.resize(K);
  for (std::size_t s = 0; s < Convergence::kSteps; ++s) {
    const std::size_t n = sums.paths[s];
    const std::span<const double> first(outcomes.data(), n);
    const auto [lo, hi] = quantile_ci_indices(n, 0.95, 0.95);
    const auto q = quantile_point(n, 0.95);
    std::span<const double> ordered = sorted;  // all paths: already in order
    std::size_t offset = 0;
    if (n < K) {
      std::array<std::size_t, 4> ks{lo, q.lo, q.hi, hi};
      std::sort(ks.begin(), ks.end());
      const auto distinct =
          static_cast<std::size_t>(std::unique(ks.begin(), ks.end()) - ks.begin());
      ordered =
          select_in_prefix(first, floor_value, std::span(ks.data(), distinct), buffer, offset);
    }
    auto at = [&](std::size_t rank) { return ordered[rank - offset]; };
    c.paths[s] = static_cast<double>(n);
    c.mean[s] = sums.mean[s];
    c.se_mean[s] = n > 1 ? std::sqrt(sums.ss[s] / (n - 1) / n) : std::nan("");
    c.q95[s] = lerp(at(q.lo), at(q.hi), q.t);
    // The distribution-free 95 % interval spans about 2 x 1.96 standard errors.
    c.se_q95[s] = (at(hi) - at(lo)) / (2.0 * 1.959964);
  }
  return c;
}

Convergence convergence(std::span<const double> outcomes, std::span<const double> sorted) {
  return convergence(column_sums(outcomes), outcomes, sorted);
}

void summarise_column(std::span<double> column, double budget, std::span<const double> thresholds,
                      std::vector<double>& scratch, HolderSummary& summary,
                      Convergence& convergence_out) {
  const ColumnSums sums = column_sums(column);
  scratch.assign(column.begin(), column.end());
  summarise_into(sums, column, budget, thresholds, summary);  // sorts column
  convergence_out = convergence(sums, scratch, column);
}

}  // namespace rxstress::stats
