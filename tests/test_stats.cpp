// Tests for the summary statistics of docs/model.md §2.5 (include/rxstress/stats.hpp).
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "rxstress/stats.hpp"
#include "support.hpp"

namespace st = rxstress::stats;
using rxstress::testing::binomial_pmf;
using rxstress::testing::brute_ppf;

namespace {

bool close_rel(double a, double b, double rel) {
  return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

bool same_or_both_nan(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

std::vector<double> shuffled_1_to_100() {
  std::vector<double> x(100);
  std::iota(x.begin(), x.end(), 1.0);
  std::shuffle(x.begin(), x.end(), std::mt19937_64(7));
  return x;
}

// The summary by the definitions, from a full sort.
st::HolderSummary brute_summary(std::vector<double> x, double budget,
                                const std::vector<double>& thresholds) {
  st::HolderSummary s;
  const auto K = static_cast<double>(x.size());
  double sum = 0.0;
  for (double v : x) sum += v;
  double dev = 0.0, dev2 = 0.0;
  for (double v : x) {
    dev += v - sum / K;
    dev2 += (v - sum / K) * (v - sum / K);
  }
  s.mean = sum / K + dev / K;
  s.sd = x.size() > 1 ? std::sqrt(std::max(0.0, (dev2 - dev * dev / K) / (K - 1))) : 0.0;
  s.se_mean = s.sd / std::sqrt(K);
  s.cv = budget == 0.0 ? std::nan("") : s.sd / budget;
  for (double t : thresholds) {
    std::size_t above = 0;
    for (double v : x) above += v > t * budget ? 1 : 0;
    s.p_exceed.push_back(static_cast<double>(above) / K);
  }
  std::sort(x.begin(), x.end());
  for (std::size_t i = 0; i < st::kQuantileProbs.size(); ++i) {
    s.quantiles[i] = st::quantile_sorted(x, st::kQuantileProbs[i]);
  }
  for (std::size_t i = 0; i < st::kAlphas.size(); ++i) {
    s.var[i] = st::quantile_sorted(x, st::kAlphas[i]);
    const std::size_t n = st::tail_count(st::kAlphas[i], x.size());
    double tail = 0.0;
    for (std::size_t j = x.size() - n; j < x.size(); ++j) tail += x[j];
    s.es[i] = tail / static_cast<double>(n);
  }
  const auto [lo, hi] = st::quantile_ci_indices(x.size(), 0.95, 0.95);
  s.q95_ci = {x[lo], x[hi]};
  for (std::size_t i = 0; i < st::kReturnPeriods.size(); ++i) {
    const int rp = st::kReturnPeriods[i];
    s.return_period_loss[i] = x.size() >= static_cast<std::size_t>(rp)
                                  ? st::quantile_sorted(x, 1.0 - 1.0 / rp)
                                  : std::nan("");
  }
  return s;
}

}  // namespace

TEST_CASE("quantile_sorted equals numpy.quantile (linear)", "[stats]") {
  // Expected values from numpy 1.24.2:
  //   /usr/bin/python3 -c "import numpy as np; ps=[0.0,0.01,0.05,0.10,0.25,0.50,0.75,0.90,0.95,
  //     0.99,0.995,1.0,1/3]; x=<sample>; print(', '.join(repr(float(np.quantile(x,p)))
  //     for p in ps))"
  const std::vector<double> probs{0.0,  0.01, 0.05, 0.10,  0.25, 0.50,     0.75,
                                  0.90, 0.95, 0.99, 0.995, 1.0,  1.0 / 3.0};
  struct Case {
    std::vector<double> x;
    std::vector<double> expected;
  };
  const std::vector<Case> cases{
      {{3.5, -1.25, 7.0, 2.0, 2.0, -4.75, 10.5},  // odd length, a tie, negatives
       {-4.75, -4.54, -3.6999999999999997, -2.6499999999999995, 0.375, 2.0, 5.25, 8.400000000000002,
        9.449999999999998, 10.29, 10.395, 10.5, 2.0}},
      {{0.1, 0.7, -0.3, 1.9, 1.9, 1.9, 5.0, -2.2, 3.3, 0.0},  // even length, a triple tie
       {-2.2, -2.0290000000000004, -1.3450000000000002, -0.49, 0.025, 1.2999999999999998, 1.9,
        3.4699999999999993, 4.234999999999998, 4.847, 4.9235, 5.0, 0.1}},
      {{42.5}, {42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5, 42.5}},
      {{-1.0, 3.0},
       {-1.0, -0.96, -0.8, -0.6, 0.0, 1.0, 2.0, 2.6, 2.8, 2.96, 2.98, 3.0, 0.33333333333333326}},
  };
  for (const Case& c : cases) {
    std::vector<double> sorted = c.x;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < probs.size(); ++i) {
      INFO("K = " << sorted.size() << ", p = " << probs[i]);
      CHECK(close_rel(st::quantile_sorted(sorted, probs[i]), c.expected[i], 1e-12));
    }
  }
  CHECK_THROWS_AS(st::quantile_sorted({}, 0.5), std::invalid_argument);
  const std::vector<double> two{1.0, 2.0};
  CHECK_THROWS_AS(st::quantile_sorted(two, 1.5), std::invalid_argument);
}

TEST_CASE("tail_count is the ceiling of (1 - alpha) K, in integers", "[stats]") {
  CHECK(st::tail_count(0.95, 10000) == 500);
  CHECK(st::tail_count(0.99, 10000) == 100);
  CHECK(st::tail_count(0.95, 1) == 1);
  CHECK(st::tail_count(0.99, 1) == 1);
  CHECK(st::tail_count(0.95, 19) == 1);  // 0.95
  CHECK(st::tail_count(0.95, 20) == 1);  // exactly 1
  CHECK(st::tail_count(0.95, 21) == 2);  // ceil(1.05)
  CHECK(st::tail_count(0.995, 1000000) == 5000);
  CHECK(st::tail_count(0.95, 10000000000000ULL) == 500000000000ULL);  // no overflow
}

TEST_CASE("expected shortfall is the mean of the largest tail_count outcomes", "[stats]") {
  std::vector<double> x = shuffled_1_to_100();
  const st::HolderSummary s = st::summarise(x, 1000.0, {});
  CHECK(s.es[0] == 98.0);                           // mean(96..100)
  CHECK(s.es[1] == 100.0);                          // the single largest
  CHECK(s.var[0] == Approx(95.05).epsilon(1e-14));  // h = 99 * 0.95 = 94.05 -> 95 + 0.05
}

TEST_CASE("mean, sd, se and cv of a known sample", "[stats]") {
  std::vector<double> x = shuffled_1_to_100();
  const st::HolderSummary s = st::summarise(x, 1000.0, {});
  CHECK(s.mean == 50.5);
  CHECK(s.sd == Approx(std::sqrt(100.0 * 101.0 / 12.0)).epsilon(1e-14));  // var of 1..n
  CHECK(s.se_mean == Approx(s.sd / 10.0).epsilon(1e-15));
  CHECK(s.cv == Approx(s.sd / 1000.0).epsilon(1e-15));
  std::vector<double> one{-3.0};
  const st::HolderSummary single = st::summarise(one, 0.0, {});
  CHECK(single.sd == 0.0);
  CHECK(std::isnan(single.cv));  // budget 0
  CHECK(single.quantiles[0] == -3.0);
  CHECK(single.es[1] == -3.0);
}

TEST_CASE("quantile_ci_indices matches scipy.stats.binom.ppf", "[stats]") {
  // From scipy 1.10.1:
  //   /usr/bin/python3 -c "from scipy.stats import binom
  //   for K,p,lev in [...]:
  //     a=(1-lev)/2; l=int(binom.ppf(a,K,p)); u=int(binom.ppf(1-a,K,p))+1
  //     l=min(max(l,1),K); u=min(max(u,1),K); print(K,p,lev,l-1,u-1)"
  struct Case {
    std::size_t K;
    double p, level;
    std::size_t lo, hi;
  };
  const std::vector<Case> cases{
      {20, 0.95, 0.95, 16, 19},
      {100, 0.95, 0.95, 89, 99},
      {1000, 0.95, 0.95, 935, 963},
      {10000, 0.95, 0.95, 9456, 9542},
      {1000000, 0.95, 0.95, 949571, 950427},
      {10000000, 0.95, 0.95, 9498648, 9501350},
      {1000, 0.5, 0.9, 473, 526},
      {500, 0.01, 0.95, 0, 10},
      {10000, 0.99, 0.99, 9872, 9925},
      {7, 0.5, 0.95, 0, 6},
  };
  for (const Case& c : cases) {
    INFO("K = " << c.K << ", p = " << c.p << ", level = " << c.level);
    const auto [lo, hi] = st::quantile_ci_indices(c.K, c.p, c.level);
    CHECK(lo == c.lo);
    CHECK(hi == c.hi);
  }
  CHECK(st::quantile_ci_indices(1, 0.95, 0.95) == std::pair<std::size_t, std::size_t>{0, 0});
  CHECK_THROWS_AS(st::quantile_ci_indices(0, 0.95, 0.95), std::invalid_argument);
}

TEST_CASE("quantile_ci_indices matches a brute-force binomial and covers", "[stats]") {
  for (std::size_t K : {20, 100, 1000}) {
    for (double p : {0.05, 0.5, 0.9, 0.95}) {
      for (double level : {0.9, 0.95}) {
        INFO("K = " << K << ", p = " << p << ", level = " << level);
        const std::vector<long double> pmf = binomial_pmf(K, p);
        const double a = (1.0 - level) / 2.0;
        const std::size_t l = brute_ppf(pmf, a);
        const std::size_t u = brute_ppf(pmf, 1.0L - a) + 1;
        const auto [lo, hi] = st::quantile_ci_indices(K, p, level);
        CHECK(lo == std::clamp<std::size_t>(l, 1, K) - 1);
        CHECK(hi == std::clamp<std::size_t>(u, 1, K) - 1);
        if (l >= 1 && u <= K) {
          // P(X_(l) <= xi_p < X_(u)) = P(l <= B <= u - 1), with ranks 1-based.
          long double coverage = 0.0L;
          for (std::size_t b = lo + 1; b <= hi; ++b) coverage += pmf[b];
          CHECK(coverage >= level);
        }
      }
    }
  }
}

TEST_CASE("exceedance is strictly greater than the threshold", "[stats]") {
  // Budget 1000: thresholds 0 and 0.05 put the limits at 0 and exactly 50.
  std::vector<double> x{-10.0, 0.0, 0.0, 50.0, 50.0, 50.000001, 75.0, 200.0};
  const std::vector<double> thresholds{0.0, 0.05, 0.5};
  const st::HolderSummary s = st::summarise(x, 1000.0, thresholds);
  REQUIRE(s.p_exceed.size() == 3);
  CHECK(s.p_exceed[0] == 5.0 / 8.0);  // the two zeros do not count
  CHECK(s.p_exceed[1] == 3.0 / 8.0);  // the two 50s do not count
  CHECK(s.p_exceed[2] == 0.0);        // 200 is not above 500
}

TEST_CASE("return-period losses need at least RP paths", "[stats]") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> normal(0.0, 1000.0);
  for (std::size_t K : {4, 5, 19, 20, 199, 200, 1000}) {
    std::vector<double> x(K);
    for (double& v : x) v = normal(rng);
    std::vector<double> sorted = x;
    std::sort(sorted.begin(), sorted.end());
    const st::HolderSummary s = st::summarise(x, 1.0, {});
    for (std::size_t i = 0; i < st::kReturnPeriods.size(); ++i) {
      const int rp = st::kReturnPeriods[i];
      INFO("K = " << K << ", RP = " << rp);
      if (K < static_cast<std::size_t>(rp)) {
        CHECK_FALSE(st::return_period_supported(K, rp));
        CHECK(std::isnan(s.return_period_loss[i]));
      } else {
        CHECK(st::return_period_supported(K, rp));
        CHECK(s.return_period_loss[i] == st::quantile_sorted(sorted, 1.0 - 1.0 / rp));
      }
    }
  }
}

TEST_CASE("summarise equals a full sort and the definitions", "[stats]") {
  std::mt19937_64 rng(20260401);
  std::normal_distribution<double> normal(5.0e4, 2.0e5);
  std::uniform_int_distribution<int> small(-3, 3);
  const std::vector<double> thresholds{0.0, 0.01, 0.02, 0.05, 0.10};
  const double budget = 1.0e6;
  st::HolderSummary reused;  // summarise_into must not depend on what it overwrites
  for (std::size_t K : {1, 2, 7, 1000, 10001}) {
    std::vector<double> x(K);
    // Every third value from a small integer set, so there are many duplicates.
    for (std::size_t i = 0; i < K; ++i) x[i] = i % 3 == 0 ? 1000.0 * small(rng) : normal(rng);
    const st::HolderSummary want = brute_summary(x, budget, thresholds);
    std::vector<double> scratch = x;
    const st::HolderSummary got = st::summarise(scratch, budget, thresholds);
    scratch = x;
    st::summarise_into(scratch, budget, thresholds, reused);
    for (const st::HolderSummary* s : std::array<const st::HolderSummary*, 2>{&got, &reused}) {
      INFO("K = " << K);
      CHECK(s->mean == want.mean);
      CHECK(s->sd == want.sd);
      CHECK(s->se_mean == want.se_mean);
      CHECK(s->cv == want.cv);
      CHECK(s->quantiles == want.quantiles);
      CHECK(s->var == want.var);
      CHECK(s->es == want.es);
      CHECK(s->q95_ci == want.q95_ci);
      for (std::size_t i = 0; i < st::kReturnPeriods.size(); ++i) {
        CHECK(same_or_both_nan(s->return_period_loss[i], want.return_period_loss[i]));
      }
      CHECK(s->p_exceed == want.p_exceed);
    }
    // The outcomes are only reordered, never changed.
    std::sort(scratch.begin(), scratch.end());
    std::sort(x.begin(), x.end());
    CHECK(scratch == x);
  }
}

TEST_CASE("summarise rejects empty and non-finite outcomes", "[stats]") {
  std::vector<double> none;
  CHECK_THROWS_AS(st::summarise(none, 1.0, {}), std::invalid_argument);
  std::vector<double> bad{1.0, std::nan(""), 2.0};
  CHECK_THROWS_AS(st::summarise(bad, 1.0, {}), std::invalid_argument);
}

TEST_CASE("Moments: merged blocks equal one pass and the two-pass variance", "[stats]") {
  std::mt19937_64 rng(3);
  // A large mean against a small spread is where a naive sum-of-squares variance fails.
  std::normal_distribution<double> normal(1.0e6, 1.0e3);
  std::vector<double> x(100003);
  for (double& v : x) v = normal(rng);

  st::Moments one_pass;
  for (double v : x) one_pass.add(v);
  st::Moments merged;
  merged.merge(st::Moments{});  // merging an empty block changes nothing
  for (std::size_t start = 0, size = 1; start < x.size(); start += size, size = size * 3 + 7) {
    st::Moments block;
    for (std::size_t i = start; i < std::min(x.size(), start + size); ++i) block.add(x[i]);
    merged.merge(block);
  }

  long double sum = 0.0L;
  for (double v : x) sum += v;
  const long double mean = sum / x.size();
  long double m2 = 0.0L;
  for (double v : x) m2 += (v - mean) * (v - mean);
  const auto variance = static_cast<double>(m2 / (x.size() - 1));

  CHECK(merged.count() == x.size());
  CHECK(one_pass.count() == x.size());
  CHECK(close_rel(merged.mean(), one_pass.mean(), 1e-12));
  CHECK(close_rel(merged.variance(), one_pass.variance(), 1e-12));
  CHECK(close_rel(merged.sum(), one_pass.sum(), 1e-12));
  CHECK(close_rel(one_pass.mean(), static_cast<double>(mean), 1e-12));
  CHECK(close_rel(one_pass.variance(), variance, 1e-12));
  CHECK(close_rel(one_pass.sum(), static_cast<double>(sum), 1e-12));

  st::Moments single;
  CHECK(std::isnan(single.mean()));
  single.add(4.0);
  CHECK(single.mean() == 4.0);
  CHECK(single.variance() == 0.0);
}

TEST_CASE("CoMoments: merged blocks equal one pass; shares sum to 1", "[stats]") {
  constexpr std::size_t D = 3;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> a(100.0, 10.0), b(-50.0, 30.0), c(0.0, 1.0);
  const std::size_t N = 20011;
  std::vector<std::array<double, D>> xs(N);
  std::vector<double> ys(N);
  for (std::size_t i = 0; i < N; ++i) {
    xs[i] = {a(rng), b(rng), c(rng) + 0.1 * a(rng)};
    ys[i] = xs[i][0] + xs[i][1] + xs[i][2];
  }

  st::CoMoments one_pass(D), merged(D);
  for (std::size_t i = 0; i < N; ++i) one_pass.add(xs[i], ys[i]);
  for (std::size_t start = 0; start < N; start += 997) {
    st::CoMoments block(D);
    for (std::size_t i = start; i < std::min(N, start + 997); ++i) block.add(xs[i], ys[i]);
    merged.merge(block);
  }

  // Two-pass reference covariances in long double.
  std::array<long double, D> mean_x{};
  long double mean_y = 0.0L;
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t d = 0; d < D; ++d) mean_x[d] += xs[i][d] / static_cast<long double>(N);
    mean_y += ys[i] / static_cast<long double>(N);
  }
  long double m2_y = 0.0L;
  std::array<long double, D> c_xy{};
  for (std::size_t i = 0; i < N; ++i) {
    m2_y += (ys[i] - mean_y) * (ys[i] - mean_y);
    for (std::size_t d = 0; d < D; ++d) c_xy[d] += (xs[i][d] - mean_x[d]) * (ys[i] - mean_y);
  }

  CHECK(merged.count() == N);
  CHECK(close_rel(merged.variance_y(), one_pass.variance_y(), 1e-12));
  CHECK(close_rel(one_pass.variance_y(), static_cast<double>(m2_y / (N - 1)), 1e-12));
  double share_sum = 0.0;
  for (std::size_t d = 0; d < D; ++d) {
    INFO("driver " << d);
    CHECK(close_rel(merged.covariance(d), one_pass.covariance(d), 1e-12));
    CHECK(close_rel(one_pass.covariance(d), static_cast<double>(c_xy[d] / (N - 1)), 1e-12));
    share_sum += merged.share(d);
  }
  CHECK(std::abs(share_sum - 1.0) <= 1e-12);

  std::array<double, 2> wrong{};
  CHECK_THROWS_AS(one_pass.add(wrong, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(one_pass.merge(st::CoMoments(2)), std::invalid_argument);
  st::CoMoments flat(1);
  const std::array<double, 1> x1{1.0};
  flat.add(x1, 2.0);
  flat.add(x1, 2.0);
  CHECK(std::isnan(flat.share(0)));  // var(y) == 0
}

TEST_CASE("CoMoments share recovers a known variance split", "[stats]") {
  // y = x1 + x2 with x1 ~ N(0, 1), x2 ~ N(0, 2^2) independent: Var y = 5, Cov(x1, y) = 1, so the
  // shares are 0.2 and 0.8. share_1 is the OLS slope of x1 on y; x1 = 0.2 y + e with e independent
  // of y and Var e = 0.64 + 0.04 * 4 = 0.8, so its standard error is
  // sd(e) / (sd(y) sqrt(N)) = sqrt(0.8 / 5 / N) = 0.4 / sqrt(N). share_2 = 1 - share_1 has the
  // same.
  const std::size_t N = 100000;
  std::mt19937_64 rng(17);
  std::normal_distribution<double> n1(0.0, 1.0), n2(0.0, 2.0);
  st::CoMoments co(2);
  for (std::size_t i = 0; i < N; ++i) {
    const std::array<double, 2> x{n1(rng), n2(rng)};
    co.add(x, x[0] + x[1]);
  }
  const double tolerance = 4.0 * 0.4 / std::sqrt(static_cast<double>(N));
  CHECK(std::abs(co.share(0) - 0.2) < tolerance);
  CHECK(std::abs(co.share(1) - 0.8) < tolerance);
}

TEST_CASE("the convergence table's order statistics equal those of a full sort of each prefix",
          "[stats]") {
  // The prefixes' order statistics are found walking down the whole column's order from its
  // largest value: a column in random order, one whose largest values all lie past the first
  // prefixes (the walk goes far down for them), and ties, against sorting each prefix.
  std::mt19937_64 rng(5);
  std::normal_distribution<double> z;
  auto check = [](const std::vector<double>& x, const char* what) {
    const auto c = st::convergence(x);
    for (std::size_t s = 0; s < st::Convergence::kSteps; ++s) {
      const auto n = static_cast<std::size_t>(c.paths[s]);
      std::vector<double> prefix(x.begin(), x.begin() + n);
      std::sort(prefix.begin(), prefix.end());
      const auto q = st::quantile_point(n, 0.95);
      const auto [lo, hi] = st::quantile_ci_indices(n, 0.95, 0.95);
      INFO(what << ", first " << n << " of " << x.size() << " paths");
      CHECK(c.q95[s] == st::lerp(prefix[q.lo], prefix[q.hi], q.t));
      CHECK(c.se_q95[s] == (prefix[hi] - prefix[lo]) / (2.0 * 1.959964));
    }
  };
  for (std::size_t K : {8, 40, 1000, 10000}) {
    std::vector<double> x(K);
    for (auto& v : x) v = z(rng);
    check(x, "normal");
    // The largest values all in the second half: the first half's are met only deep down.
    std::vector<double> rising = x;
    std::sort(rising.begin(), rising.end());
    check(rising, "ascending");
    for (auto& v : x) v = std::round(v);  // a handful of distinct values: ties everywhere
    check(x, "rounded");
  }
}
