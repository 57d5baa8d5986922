// stats::OrderedSum: the attribution sums' fixed-tree addition, whose bits must not depend on how
// the blocks are shared among processes (MPI ranks) or on a checkpoint in between.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "stats/ordered_sum.hpp"

using rxstress::stats::OrderedSum;

namespace {

constexpr std::size_t kWidth = 5;

// Leaves of widely different magnitudes and signs, so that the order of additions shows in the
// last bits (a naive split sum differs: checked below, so the test can fail).
std::vector<std::vector<double>> random_leaves(std::int64_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-20, 20);
  std::vector<std::vector<double>> leaves(n, std::vector<double>(kWidth));
  for (auto& leaf : leaves)
    for (double& x : leaf) x = std::ldexp(mantissa(rng), exponent(rng));
  return leaves;
}

std::vector<double> whole_sum(const std::vector<std::vector<double>>& leaves) {
  OrderedSum sum(static_cast<std::int64_t>(leaves.size()), kWidth);
  for (std::size_t j = 0; j < leaves.size(); ++j)
    sum.add(0, static_cast<std::int64_t>(j), leaves[j]);
  const auto root = sum.finish();
  REQUIRE(root.size() == 1);
  return root[0].values;
}

// The leaves shared among processes at the given cut points, each adding its own range, then the
// emitted nodes combined in order, as rank 0 does.
std::vector<double> split_sum(const std::vector<std::vector<double>>& leaves,
                              const std::vector<std::int64_t>& cuts) {
  const auto n = static_cast<std::int64_t>(leaves.size());
  OrderedSum combined(n, kWidth);
  for (std::size_t r = 0; r + 1 < cuts.size(); ++r) {
    OrderedSum part(n, cuts[r], cuts[r + 1], kWidth);
    for (std::int64_t j = cuts[r]; j < cuts[r + 1]; ++j) part.add(0, j, leaves[j]);
    for (const auto& node : part.finish()) combined.add(node);
  }
  const auto root = combined.finish();
  REQUIRE(root.size() == 1);
  return root[0].values;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("OrderedSum of at most 8 leaves is the plain sum in order from zero", "[ordered_sum]") {
  for (std::int64_t n = 1; n <= 8; ++n) {
    const auto leaves = random_leaves(n, 11 + n);
    std::vector<double> plain(kWidth, 0.0);
    for (const auto& leaf : leaves)
      for (std::size_t k = 0; k < kWidth; ++k) plain[k] += leaf[k];
    CHECK(same_bits(whole_sum(leaves), plain));
  }
}

TEST_CASE("OrderedSum gives the same bits however the leaves are shared out", "[ordered_sum]") {
  std::mt19937_64 rng(2026);
  int naive_differs = 0;
  for (std::int64_t n : {1, 2, 9, 63, 64, 65, 313, 600, 4097}) {
    const auto leaves = random_leaves(n, 100 + n);
    const auto whole = whole_sum(leaves);
    // Close to the exact sum (long double) within the rounding of n additions.
    for (std::size_t k = 0; k < kWidth; ++k) {
      long double exact = 0, magnitude = 0;
      for (const auto& leaf : leaves) exact += leaf[k], magnitude += std::fabs(leaf[k]);
      CHECK(std::fabs(static_cast<double>(whole[k] - exact)) <=
            4.0 * n * 1.2e-16 * static_cast<double>(magnitude));
    }
    for (int ranks : {2, 3, 7, 16}) {
      // Even shares as MPI gives them, and random cut points (empty ranges included).
      std::vector<std::int64_t> even{0}, random{0};
      for (int r = 1; r < ranks; ++r) even.push_back(n * r / ranks);
      std::uniform_int_distribution<std::int64_t> cut(0, n);
      for (int r = 1; r < ranks; ++r) random.push_back(cut(rng));
      std::sort(random.begin() + 1, random.end());
      even.push_back(n);
      random.push_back(n);
      INFO("n = " << n << ", ranks = " << ranks);
      CHECK(same_bits(split_sum(leaves, even), whole));
      CHECK(same_bits(split_sum(leaves, random), whole));
      // What adding each share in order, then the shares, would give: not the same bits in
      // general (counted, so that the check above is known to be a real one).
      std::vector<double> naive(kWidth, 0.0);
      for (int r = 0; r < ranks; ++r) {
        std::vector<double> part(kWidth, 0.0);
        for (std::int64_t j = even[r]; j < even[r + 1]; ++j)
          for (std::size_t k = 0; k < kWidth; ++k) part[k] += leaves[j][k];
        for (std::size_t k = 0; k < kWidth; ++k) naive[k] += part[k];
      }
      naive_differs += !same_bits(naive, whole);
    }
  }
  CHECK(naive_differs > 10);
}

TEST_CASE("OrderedSum continues from its open nodes as if never stopped", "[ordered_sum]") {
  const std::int64_t n = 700;
  const auto leaves = random_leaves(n, 7);
  const auto whole = whole_sum(leaves);
  for (std::int64_t stop : {0, 1, 8, 63, 64, 65, 512, 699}) {
    OrderedSum before(n, kWidth);
    for (std::int64_t j = 0; j < stop; ++j) before.add(0, j, leaves[j]);
    OrderedSum after(n, kWidth);
    after.restore(before.open_nodes());
    for (std::int64_t j = stop; j < n; ++j) after.add(0, j, leaves[j]);
    INFO("stopped after " << stop << " leaves");
    CHECK(same_bits(after.finish().at(0).values, whole));
  }
}
