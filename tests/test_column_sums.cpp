// column_sums takes the statistics pass's path-order sums in two passes; each must have the bits
// of the separate pass it replaces (the results file's numbers did not move when it came in).
#include <algorithm>
#include <cstddef>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "stats/column_sums.hpp"

namespace st = rxstress::stats;

namespace {

// The sums as separate passes, each in path order from 0 (the code before column_sums).
struct Separate {
  double sum = 0.0, dev = 0.0, dev2 = 0.0;
  std::vector<double> mean, ss;
};

Separate separate_passes(const std::vector<double>& x) {
  Separate r;
  const std::size_t K = x.size();
  for (double v : x) r.sum += v;
  const double mean0 = r.sum / static_cast<double>(K);
  for (double v : x) {
    const double d = v - mean0;
    r.dev += d;
    r.dev2 += d * d;
  }
  for (std::size_t s = 0; s < st::Convergence::kSteps; ++s) {
    const std::size_t n = std::max<std::size_t>(1, K >> (st::Convergence::kSteps - 1 - s));
    double mean = 0.0;
    for (std::size_t i = 0; i < n; ++i) mean += x[i];
    mean /= static_cast<double>(n);
    double ss = 0.0;
    for (std::size_t i = 0; i < n; ++i) ss += (x[i] - mean) * (x[i] - mean);
    r.mean.push_back(mean);
    r.ss.push_back(ss);
  }
  return r;
}

}  // namespace

TEST_CASE("column_sums: every sum has the bits of its own pass", "[stats]") {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> spend(10.0, 1.5);
  std::normal_distribution<double> shift(0.0, 3.0e4);
  for (std::size_t K : {1, 2, 3, 7, 8, 9, 100, 1001, 4096, 10007}) {
    std::vector<double> x(K);
    for (double& v : x) v = spend(rng) + shift(rng);  // both signs, many magnitudes
    const st::ColumnSums got = st::column_sums(x);
    const Separate want = separate_passes(x);
    INFO("K = " << K);
    CHECK(got.sum == want.sum);
    CHECK(got.min == *std::min_element(x.begin(), x.end()));
    CHECK(got.max == *std::max_element(x.begin(), x.end()));
    CHECK(got.dev == want.dev);
    CHECK(got.dev2 == want.dev2);
    for (std::size_t s = 0; s < st::Convergence::kSteps; ++s) {
      CHECK(got.mean[s] == want.mean[s]);
      CHECK(got.ss[s] == want.ss[s]);
    }
  }
}

TEST_CASE("column_sums: a reordered sum is not taken for the same bits", "[stats]") {
  // The check above could pass by accident only if summation order never moved the last bits:
  // it does, on values like these.
  std::mt19937_64 rng(12);
  std::lognormal_distribution<double> spend(10.0, 1.5);
  std::vector<double> x(1001);
  for (double& v : x) v = spend(rng);
  double forward = 0.0, backward = 0.0;
  for (double v : x) forward += v;
  for (auto it = x.rbegin(); it != x.rend(); ++it) backward += *it;
  CHECK(forward != backward);
  CHECK(st::column_sums(x).sum == forward);
}

TEST_CASE("column_sums of several columns at once: each has the bits of its own passes",
          "[stats]") {
  // Four columns' running sums are taken side by side, the rest one at a time: 1 to 9 columns
  // cover a group of four with and without a remainder.
  std::mt19937_64 rng(13);
  std::lognormal_distribution<double> spend(10.0, 1.5);
  std::normal_distribution<double> shift(0.0, 3.0e4);
  for (std::size_t K : {1, 7, 1001}) {
    for (std::size_t n = 1; n <= 9; ++n) {
      std::vector<std::vector<double>> columns(n, std::vector<double>(K));
      std::vector<const double*> starts;
      for (auto& column : columns) {
        for (double& v : column) v = spend(rng) + shift(rng);
        starts.push_back(column.data());
      }
      std::vector<st::ColumnSums> got(n);
      st::column_sums(starts, K, got);
      for (std::size_t c = 0; c < n; ++c) {
        const Separate want = separate_passes(columns[c]);
        INFO("K = " << K << ", column " << c << " of " << n);
        CHECK(got[c].sum == want.sum);
        CHECK(got[c].min == *std::min_element(columns[c].begin(), columns[c].end()));
        CHECK(got[c].max == *std::max_element(columns[c].begin(), columns[c].end()));
        CHECK(got[c].dev == want.dev);
        CHECK(got[c].dev2 == want.dev2);
        for (std::size_t s = 0; s < st::Convergence::kSteps; ++s) {
          CHECK(got[c].paths[s] == std::max<std::size_t>(1, K >> (3 - s)));
          CHECK(got[c].mean[s] == want.mean[s]);
          CHECK(got[c].ss[s] == want.ss[s]);
        }
      }
    }
  }
}
