// OrderStatistics sorts only the value buckets that the ranks asked for fall in; every value it
// gives must have the bits a full sort puts there (sorted by bit pattern: -0.0 before +0.0).
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "stats/order_statistics.hpp"

namespace st = rxstress::stats;

namespace {

std::uint64_t key_of(double v) {  // the total order of a full sort, as in order_statistics.cpp
  const auto bits = std::bit_cast<std::uint64_t>(v);
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  return bits & sign ? ~bits : bits | sign;
}

std::vector<double> sorted_by_bits(std::vector<double> x) {
  std::sort(x.begin(), x.end(), [](double a, double b) { return key_of(a) < key_of(b); });
  return x;
}

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

st::OrderStatistics built(const std::vector<double>& x) {
  st::OrderStatistics order;
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  order.build(x, *lo, *hi);
  return order;
}

// Every rank, the sums of the largest, the counts above limits and ranks of prefixes, against a
// full sort of the column and of each prefix.
void check_against_sort(const std::vector<double>& x) {
  const std::size_t n = x.size();
  const std::vector<double> want = sorted_by_bits(x);
  {
    st::OrderStatistics order = built(x);
    for (std::size_t r = 0; r < n; ++r) {
      INFO("rank " << r << " of " << n);
      CHECK(same_bits(order.at(r), want[r]));
    }
  }
  for (std::size_t count : {std::size_t{1}, n / 20 + 1, n / 2 + 1, n}) {
    st::OrderStatistics order = built(x);  // fresh: the buckets are sorted by this call alone
    double sum = 0.0;
    for (std::size_t i = n - count; i < n; ++i) sum += want[i];
    INFO("the " << count << " largest of " << n);
    CHECK(same_bits(order.sum_of_largest(count), sum));
  }
  {
    st::OrderStatistics order = built(x);
    std::vector<double> limits{-std::numeric_limits<double>::infinity(),
                               0.0,
                               -0.0,
                               want[0],
                               want[n / 2],
                               want[n - 1],
                               1e300};
    for (double limit : limits) {
      const auto above = static_cast<std::size_t>(
          std::count_if(x.begin(), x.end(), [&](double v) { return v > limit; }));
      INFO("above " << limit);
      CHECK(order.count_above(limit) == above);
    }
    CHECK(order.count_above(std::nan("")) == 0);  // nothing is above a NaN
  }
  for (std::size_t m : {std::size_t{1}, n / 8 + 1, n / 2, n}) {
    if (m == 0) continue;
    st::OrderStatistics order = built(x);
    const std::vector<double> prefix = sorted_by_bits({x.begin(), x.begin() + m});
    const std::vector<std::size_t> ranks{0, m / 3, m / 3, m * 19 / 20, m - 1};  // a repeat too
    std::vector<double> got(ranks.size());
    order.prefix_ranks(m, ranks, got);
    for (std::size_t i = 0; i < ranks.size(); ++i) {
      INFO("rank " << ranks[i] << " of the first " << m << " of " << n);
      CHECK(same_bits(got[i], prefix[ranks[i]]));
    }
  }
}

}  // namespace

TEST_CASE("OrderStatistics gives the values of a full sort", "[stats]") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-320.0, 300.0);
  std::uniform_int_distribution<int> coin(0, 5);
  std::normal_distribution<double> z;
  for (std::size_t n : {1, 2, 63, 64, 65, 255, 5000}) {
    INFO("n = " << n);
    std::vector<double> x(n);
    // Wide magnitudes (subnormals too) of both signs, signed zeros and repeated values: the
    // buckets are bunched, most values in a few of them.
    for (auto& v : x) {
      const int c = coin(rng);
      v = c == 0   ? 0.0
          : c == 1 ? -0.0
          : c == 2 ? -3.5
                   : (c == 3 ? -1.0 : 1.0) * std::pow(10.0, exponent(rng));
    }
    check_against_sort(x);
    // Outcomes as a holder's are: spread over pounds, a few values per bucket.
    for (auto& v : x) v = 1.0e5 * (0.01 + 0.03 * z(rng));
    check_against_sort(x);
    // One far outlier: every other value in the first bucket, sorted as one.
    x[n / 2] = 1.0e12;
    check_against_sort(x);
  }
}

TEST_CASE("OrderStatistics: equal values, and values 1e-9 apart relative to their size",
          "[stats]") {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> offset(0, 5000);
  std::vector<double> same(1000, 42.0);  // lo == hi: one bucket
  check_against_sort(same);
  std::vector<double> zeros(300);
  for (std::size_t i = 0; i < zeros.size(); ++i) zeros[i] = i % 3 ? 0.0 : -0.0;
  check_against_sort(zeros);  // equal as numbers, ordered by their bits
  std::vector<double> close(4000);
  for (std::size_t i = 0; i < close.size(); ++i)
    close[i] = (i % 2 ? 1.0e6 : -2.5e5) * (1.0 + 1e-9 * offset(rng));
  check_against_sort(close);
}
