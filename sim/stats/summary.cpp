// One holder's summary over all K path outcomes (DESIGN 2.5).
//
// Sorting K = 10^6 outcomes for each of thousands of holders would dominate the run, so only the
// order statistics the summary reads are selected. Order statistics are unique values, so the
// results are bitwise those of a full sort.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "rxstress/stats.hpp"

namespace rxstress::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A small fixed-capacity set of indices, so planning the selection allocates nothing.
struct IndexSet {
  static constexpr std::size_t kCapacity =
      2 * (kQuantileProbs.size() + kAlphas.size() + kReturnPeriods.size()) + 3;
  std::array<std::size_t, kCapacity> items{};
  std::size_t size = 0;

  void add(std::size_t i) { items[size++] = i; }
  void add(const QuantilePoint& q) {
    add(q.lo);
    add(q.hi);
  }
  std::span<const std::size_t> sorted_unique() {
    std::sort(items.begin(), items.begin() + size);
    size =
        static_cast<std::size_t>(std::unique(items.begin(), items.begin() + size) - items.begin());
    return {items.data(), size};
  }
};

// Start of the largest tail any expected shortfall needs; [tail_start, K) is fully sorted.
std::size_t tail_start(std::size_t K) {
  std::size_t longest = 0;
  for (double alpha : kAlphas) longest = std::max(longest, tail_count(alpha, K));
  return K - longest;
}

using IndexPair = std::pair<std::size_t, std::size_t>;

// Every order statistic the summary reads below the sorted tail, plus the tail's first index.
IndexSet needed_indices(std::size_t K, IndexPair ci) {
  IndexSet set;
  for (double p : kQuantileProbs) set.add(quantile_point(K, p));
  for (double alpha : kAlphas) set.add(quantile_point(K, alpha));
  for (int rp : kReturnPeriods) {
    if (return_period_supported(K, rp)) set.add(quantile_point(K, return_period_prob(rp)));
  }
  set.add(ci.first);
  set.add(ci.second);
  const std::size_t start = tail_start(K);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < set.size; ++i) {
    if (set.items[i] < start) set.items[kept++] = set.items[i];
  }
  set.size = kept;
  set.add(start);
  return set;
}

// Puts the order statistics at the sorted, distinct indices `ks` (relative to `first`) in place.
// Splitting at the middle index and recursing on each side restricts every std::nth_element to
// the stretch between two already-placed neighbours: O(K log |ks|) rather than O(K |ks|).
void select(double* first, double* last, std::size_t offset, std::span<const std::size_t> ks) {
  if (ks.empty()) return;
  const std::size_t mid = ks.size() / 2;
  double* nth = first + (ks[mid] - offset);
  std::nth_element(first, nth, last);
  select(first, nth, offset, ks.first(mid));
  select(nth + 1, last, ks[mid] + 1, ks.subspan(mid + 1));
}

// Leaves every order statistic the summary reads at its sorted position.
void arrange(std::span<double> x, IndexPair ci) {
  IndexSet set = needed_indices(x.size(), ci);
  select(x.data(), x.data() + x.size(), 0, set.sorted_unique());
  std::sort(x.begin() + static_cast<std::ptrdiff_t>(tail_start(x.size())), x.end());
}

double quantile_arranged(std::span<const double> x, double p) {
  const QuantilePoint q = quantile_point(x.size(), p);
  return lerp(x[q.lo], x[q.hi], q.t);
}

// Mean of the `count` largest values, summed in ascending order so the result does not depend on
// how the selection happened to leave the tail.
double tail_mean(std::span<const double> arranged, std::size_t count) {
  double sum = 0.0;
  for (double v : arranged.last(count)) sum += v;
  return sum / static_cast<double>(count);
}

// Corrected two-pass algorithm (Chan, Golub & LeVeque): the second pass's sum of deviations
// repairs the rounding of the first pass's mean. Runs in input order, so it is deterministic.
void fill_moments(std::span<const double> x, double budget, HolderSummary& out) {
  const auto K = static_cast<double>(x.size());
  double sum = 0.0;
  for (double v : x) sum += v;
  // A NaN would break the strict weak ordering std::nth_element relies on.
  if (!std::isfinite(sum)) throw std::invalid_argument("summarise: non-finite outcome");
  const double mean0 = sum / K;
  double dev = 0.0;
  double dev2 = 0.0;
  for (double v : x) {
    const double d = v - mean0;
    dev += d;
    dev2 += d * d;
  }
  out.mean = mean0 + dev / K;
  out.sd = x.size() > 1 ? std::sqrt(std::max(0.0, (dev2 - dev * dev / K) / (K - 1.0))) : 0.0;
  out.se_mean = out.sd / std::sqrt(K);
  out.cv = budget == 0.0 ? kNaN : out.sd / budget;
}

void fill_exceedance(std::span<const double> x, double budget, std::span<const double> thresholds,
                     HolderSummary& out) {
  out.p_exceed.resize(thresholds.size());
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    const double limit = thresholds[i] * budget;
    const auto above = std::count_if(x.begin(), x.end(), [limit](double v) { return v > limit; });
    out.p_exceed[i] = static_cast<double>(above) / static_cast<double>(x.size());
  }
}

void fill_order_statistics(std::span<const double> x, IndexPair ci, HolderSummary& out) {
  const std::size_t K = x.size();
  for (std::size_t i = 0; i < kQuantileProbs.size(); ++i) {
    out.quantiles[i] = quantile_arranged(x, kQuantileProbs[i]);
  }
  for (std::size_t i = 0; i < kAlphas.size(); ++i) {
    out.var[i] = quantile_arranged(x, kAlphas[i]);
    out.es[i] = tail_mean(x, tail_count(kAlphas[i], K));
  }
  out.q95_ci = {x[ci.first], x[ci.second]};
  for (std::size_t i = 0; i < kReturnPeriods.size(); ++i) {
    const int rp = kReturnPeriods[i];
    out.return_period_loss[i] =
        return_period_supported(K, rp) ? quantile_arranged(x, return_period_prob(rp)) : kNaN;
  }
}

}  // namespace

void select_order_statistics(std::span<double> x, std::span<const std::size_t> ks) {
  select(x.data(), x.data() + x.size(), 0, ks);
}

void summarise_into(std::span<double> outcomes, double budget, std::span<const double> thresholds,
                    HolderSummary& out) {
  if (outcomes.empty()) throw std::invalid_argument("summarise: no outcomes");
  fill_moments(outcomes, budget, out);  // before arrange reorders the outcomes
  fill_exceedance(outcomes, budget, thresholds, out);
  const IndexPair ci = quantile_ci_indices(outcomes.size(), kCiQuantile, kCiLevel);
  arrange(outcomes, ci);
  fill_order_statistics(outcomes, ci, out);
}

HolderSummary summarise(std::span<double> outcomes, double budget,
                        std::span<const double> thresholds) {
  HolderSummary out;
  summarise_into(outcomes, budget, thresholds, out);
  return out;
}

}  // namespace rxstress::stats
