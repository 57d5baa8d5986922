// Order statistics of a column from value buckets sorted on demand (order_statistics.hpp).
#include "stats/order_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "stats/order_key.hpp"

namespace rxstress::stats {
namespace {

// About this many values per bucket when they are spread evenly: a bucket that is asked for is
// then sorted by a few steps of insertion sort. Dealing is what every value pays; sorting only
// the buckets asked for.
constexpr std::size_t kPerBucket = 4;
// Up to this many values, one bucket: sorting them all costs less than dealing them.
constexpr std::size_t kFewValues = 64;
// Buckets up to this size get an insertion sort; larger ones (values bunched together) std::sort.
constexpr std::size_t kShortBucket = 24;

// The bucket of v: (v - lo) * scale, at most `last`. A NaN (which the summary refuses) lands in
// the last bucket instead of an undefined conversion; v >= lo otherwise, so f >= 0. Through int32
// (there are fewer than 2^30 buckets), which the compiler converts a vector at a time.
std::uint32_t bucket_at(double v, double lo, double scale, double last) {
  const double f = (v - lo) * scale;
  return static_cast<std::uint32_t>(static_cast<std::int32_t>(f < last ? f : last));
}

// A value's key beside its place, for sorting a bucket.
struct Keyed {
  std::uint64_t key;
  std::uint32_t place;
};

void insertion_sort(Keyed* first, Keyed* last) {
  for (Keyed* i = first + 1; i < last; ++i) {
    const Keyed e = *i;
    Keyed* j = i;
    for (; j > first && (j - 1)->key > e.key; --j) *j = *(j - 1);
    *j = e;
  }
}

}  // namespace

void OrderStatistics::build(std::span<const double> x, double lo, double hi) {
  const std::size_t n = x.size();
  if (n > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("order statistics: 2^32 values or more in one column");
  // Buckets of equal width: (x - lo) * scale is non-decreasing in x (each step rounds
  // monotonically), so a bucket's values all lie at or below the next bucket's.
  std::size_t buckets = n <= kFewValues ? 1 : n / kPerBucket;
  x_ = x.data();
  lo_ = lo;
  scale_ = static_cast<double>(buckets) / (hi - lo);
  if (!(hi > lo) || !std::isfinite(scale_) || !std::isfinite(hi - lo)) buckets = 1, scale_ = 0.0;
  start_.assign(buckets + 1, 0);
  bucket_.resize(n);
  // Two loops: the first has no dependence between values, so the compiler vectorises it.
  const double last = static_cast<double>(buckets - 1);
  for (std::size_t i = 0; i < n; ++i) bucket_[i] = bucket_at(x[i], lo_, scale_, last);
  for (std::size_t i = 0; i < n; ++i) ++start_[bucket_[i] + 1];
  for (std::size_t b = 0; b < buckets; ++b) start_[b + 1] += start_[b];
  fill_.assign(start_.begin(), start_.end() - 1);
  place_.resize(n);
  for (std::size_t i = 0; i < n; ++i) place_[fill_[bucket_[i]]++] = static_cast<std::uint32_t>(i);
  sorted_.assign(buckets, 0);
}

std::uint32_t OrderStatistics::bucket_of_value(double v) const {
  return bucket_at(v, lo_, scale_, static_cast<double>(start_.size() - 2));  // scale_ 0: one
}

std::size_t OrderStatistics::count_above(double limit) const {
  const std::size_t n = place_.size();
  if (!(limit >= lo_)) return std::isnan(limit) ? 0 : n;
  // A bucket above the limit's holds only values above it, one below only values below it (the
  // bucket is non-decreasing in the value): only the limit's own bucket is counted value by value.
  const std::uint32_t b = bucket_of_value(limit);
  std::size_t above = n - start_[b + 1];
  for (std::size_t i = start_[b]; i < start_[b + 1]; ++i) above += value(i) > limit;
  return above;
}

std::size_t OrderStatistics::bucket_of_rank(std::size_t rank) const {
  // The last bucket starting at or before `rank`: an empty bucket starts where the next one does,
  // so this is the non-empty one holding it.
  return static_cast<std::size_t>(std::upper_bound(start_.begin(), start_.end(), rank) -
                                  start_.begin()) -
         1;
}

void OrderStatistics::sort_bucket(std::size_t b) {
  if (sorted_[b]) return;
  const std::size_t first = start_[b], count = start_[b + 1] - first;
  thread_local std::vector<Keyed> keyed;
  keyed.resize(count);
  for (std::size_t i = 0; i < count; ++i) keyed[i] = {key_of(value(first + i)), place_[first + i]};
  if (count <= kShortBucket)
    insertion_sort(keyed.data(), keyed.data() + count);
  else
    std::sort(keyed.begin(), keyed.end(),
              [](const Keyed& a, const Keyed& c) { return a.key < c.key; });
  for (std::size_t i = 0; i < count; ++i) place_[first + i] = keyed[i].place;
  sorted_[b] = 1;
}

double OrderStatistics::at(std::size_t rank) {
  sort_bucket(bucket_of_rank(rank));
  return value(rank);
}

double OrderStatistics::sum_of_largest(std::size_t count) {
  const std::size_t n = place_.size(), first = n - count;
  for (std::size_t b = bucket_of_rank(first); b + 1 < start_.size(); ++b) sort_bucket(b);
  double sum = 0.0;
  for (std::size_t i = first; i < n; ++i) sum += value(i);
  return sum;
}

void OrderStatistics::prefix_ranks(std::size_t n, std::span<const std::size_t> ranks,
                                   std::span<double> out) {
  // Rank r of the prefix is its (n - r)-th largest value: walking down the column's order, the
  // (n - r)-th value met whose path is among the first n. Equal values may be met in any order;
  // the value found is the same.
  if (ranks.empty()) return;
  std::size_t found = 0;  // prefix values met so far
  std::size_t next = ranks.size(), target = n - ranks[next - 1];
  for (std::size_t b = start_.size() - 1; b-- > 0;) {
    sort_bucket(b);
    for (std::size_t i = start_[b + 1]; i-- > start_[b];) {
      // Counted without a branch: whether a value's path is in the prefix is a coin toss for the
      // branch predictor. `found` reaches each target first at a prefix value.
      found += place_[i] < n;
      while (found == target) {
        out[--next] = value(i);
        if (next == 0) return;
        target = n - ranks[next - 1];
      }
    }
  }
}

}  // namespace rxstress::stats
