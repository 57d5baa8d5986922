// Ordering outcomes: selection of a few order statistics, and a radix sort of doubles (see
// stats.hpp). A double's bit pattern, with the sign bit flipped for positives and every bit
// flipped for negatives, orders as an unsigned integer exactly as the value does.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

#include "rxstress/stats.hpp"

namespace rxstress::stats {
namespace {

// Three stable passes of 11 bits order the keys by their top 33 bits (sign, exponent and 21 bits
// of mantissa: a relative resolution of 5e-7). Keys that share those bits are then adjacent, and
// only those runs, rare and short for outcomes spread over pounds, need a comparison sort: half
// the passes of a full 64-bit radix sort for the same result.
constexpr int kDigitBits = 11;
constexpr int kPasses = 3;
constexpr int kLowBits = 64 - kPasses * kDigitBits;  // 31 bits left to the finish
constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
constexpr std::size_t kSmall = 256;    // below this, comparison sorting is as fast
constexpr std::size_t kShortRun = 16;  // runs up to this long get an insertion sort

std::uint64_t key_of(double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  return bits & sign ? ~bits : bits | sign;
}

double value_of(std::uint64_t key) {
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  return std::bit_cast<double>(key & sign ? key & ~sign : ~key);
}

unsigned digit(std::uint64_t key, int pass) {
  return static_cast<unsigned>(key >> (kLowBits + pass * kDigitBits)) & (kBuckets - 1);
}

void insertion_sort(std::uint64_t* first, std::uint64_t* last) {
  for (std::uint64_t* i = first + 1; i < last; ++i) {
    const std::uint64_t v = *i;
    std::uint64_t* j = i;
    for (; j > first && *(j - 1) > v; --j) *j = *(j - 1);
    *j = v;
  }
}

// Sorts each run of keys that share their top bits (the radix passes left them adjacent).
void finish_runs(std::vector<std::uint64_t>& keys) {
  const std::size_t n = keys.size();
  std::size_t begin = 0;
  for (std::size_t i = 1; i <= n; ++i) {
    if (i < n && keys[i] >> kLowBits == keys[begin] >> kLowBits) continue;
    if (i - begin > kShortRun)
      std::sort(keys.begin() + begin, keys.begin() + i);
    else if (i - begin > 1)
      insertion_sort(keys.data() + begin, keys.data() + i);
    begin = i;
  }
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

}  // namespace

void select_order_statistics(std::span<double> x, std::span<const std::size_t> ks) {
  select(x.data(), x.data() + x.size(), 0, ks);
}

void sort_values(std::span<double> x) {
  const std::size_t n = x.size();
  if (n < kSmall) {
    std::sort(x.begin(), x.end());
    return;
  }
  thread_local std::vector<std::uint64_t> keys, other;
  thread_local std::vector<std::array<std::uint32_t, kBuckets>> counts(kPasses);
  keys.resize(n);
  other.resize(n);
  for (auto& c : counts) c.fill(0);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = key_of(x[i]);
    for (int p = 0; p < kPasses; ++p) ++counts[p][digit(keys[i], p)];
  }
  for (int p = 0; p < kPasses; ++p) {
    auto& count = counts[p];
    if (count[digit(keys[0], p)] == n) continue;  // every key has this digit: already in order
    std::uint32_t start = 0;
    for (auto& c : count) {  // counts -> first output slot of each bucket
      const std::uint32_t size = c;
      c = start;
      start += size;
    }
    for (std::size_t i = 0; i < n; ++i) other[count[digit(keys[i], p)]++] = keys[i];
    keys.swap(other);
  }
  finish_runs(keys);
  for (std::size_t i = 0; i < n; ++i) x[i] = value_of(keys[i]);
}

}  // namespace rxstress::stats
