// Counter-based streams and the samplers written here (gamma, beta, poisson), checked against
// their moments and, for gamma, against Boost.Random's own sampler by a two-sample KS test.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <cmath>

#include "io/sha256.hpp"
#include "rxstress/random.hpp"
#include "support.hpp"

using namespace rxstress;

namespace {

// Two-sample Kolmogorov-Smirnov statistic.
double ks_statistic(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::size_t i = 0, j = 0;
  double d = 0;
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] <= x) ++i;
    while (j < b.size() && b[j] <= x) ++j;
    d = std::max(d, std::abs(double(i) / a.size() - double(j) / b.size()));
  }
  return d;
}

}  // namespace

TEST_CASE("streams are pure functions of (seed, purpose, path, practice)", "[random]") {
  Stream a(1, 2, 3, 4), b(1, 2, 3, 4), c(1, 2, 3, 5), d(1, 3, 3, 4);
  for (int i = 0; i < 10; ++i) {
    const auto x = a();
    CHECK(x == b());
    CHECK(x != c());
    CHECK(x != d());
  }
  Stream u(9, 9, 9, 9);
  int outside = 0;
  for (int i = 0; i < 100000; ++i) {
    const double x = u.uniform(), y = u.uniform_pos();
    outside += !(x >= 0.0 && x < 1.0) + !(y > 0.0 && y <= 1.0);
  }
  CHECK(outside == 0);
  CHECK(stream_key("baseline") != stream_key("baselinf"));
}

TEST_CASE("gamma sampler: moments and the same law as Boost's", "[random]") {
  // 1, 3, 4: whole shapes, -log of a product of 32-bit uniforms (odd and even counts); the rest
  // Marsaglia-Tsang, boosted below 1.
  for (double shape : {0.5, 1.0, 1.5, 3.0, 4.0, 11.1}) {
    Stream s(20260401, stream_key("gamma-test"), 0, static_cast<std::uint64_t>(shape * 10));
    boost::random::mt19937_64 engine(7);
    boost::random::gamma_distribution<double> boost_gamma(shape, 1.0);
    const int n = 100000;
    std::vector<double> ours(n), theirs(n);
    for (int i = 0; i < n; ++i) {
      ours[i] = draw_gamma(s, shape);
      theirs[i] = boost_gamma(engine);
    }
    const auto m = testing::moments(ours);
    INFO("shape " << shape << ": mean " << m.mean << " var " << m.var);
    CHECK(std::abs(m.mean - shape) < 4 * m.se_mean);  // Gamma(k, 1): mean k, variance k
    CHECK(std::abs(m.var - shape) < 4 * m.se_var);
    // KS at the 0.1% level: c(alpha) sqrt(2/n) with c = 1.95.
    CHECK(ks_statistic(ours, theirs) < 1.95 * std::sqrt(2.0 / n));
  }
}

TEST_CASE("beta and poisson samplers: moments", "[random]") {
  Stream s(1, stream_key("beta-poisson"), 0, 0);
  const int n = 100000;
  std::vector<double> beta(n), small(n), large(n);
  for (int i = 0; i < n; ++i) {
    beta[i] = draw_beta(s, 3.5, 31.5);
    small[i] = static_cast<double>(draw_poisson(s, 0.7));
    large[i] = static_cast<double>(draw_poisson(s, 45.0));
  }
  const auto b = testing::moments(beta), p = testing::moments(small), q = testing::moments(large);
  const double a0 = 3.5, b0 = 31.5;
  CHECK(std::abs(b.mean - a0 / (a0 + b0)) < 4 * b.se_mean);
  CHECK(std::abs(b.var - a0 * b0 / ((a0 + b0) * (a0 + b0) * (a0 + b0 + 1))) < 4 * b.se_var);
  CHECK(std::abs(p.mean - 0.7) < 4 * p.se_mean);
  CHECK(std::abs(p.var - 0.7) < 4 * p.se_var);
  CHECK(std::abs(q.mean - 45) < 4 * q.se_mean);
  CHECK(std::abs(q.var - 45) < 4 * q.se_var);
}

TEST_CASE("sha256 matches the FIPS 180-4 test vectors", "[random]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("poisson sampler: the Poisson pmf, by inversion and by PTRD", "[random]") {
  // Pearson's chi-square against the exact pmf, cells with expected count >= 20 (the tails
  // merged), at the 0.1 % level: the Wilson-Hilferty approximation of the chi-square quantile.
  // 0.7 and 4.6: typical high-cost means; 29.5: the top of the inversion range; 31: PTRD.
  for (double mean : {0.7, 4.6, 29.5, 31.0}) {
    Stream s(20260401, stream_key("poisson-test"), 0, static_cast<std::uint64_t>(mean * 10));
    const int n = 200000;
    std::vector<double> count(400, 0.0);
    const PoissonLaw law(mean);
    for (int i = 0; i < n; ++i) count[std::min<std::int64_t>(law.draw(s), 399)] += 1.0;
    std::vector<double> pmf(400);
    pmf[0] = std::exp(-mean);
    for (int k = 1; k < 400; ++k) pmf[k] = pmf[k - 1] * mean / k;
    double chi2 = 0.0, seen = 0.0, expected = 0.0, below = 0.0;
    int cells = 0;
    for (int k = 0; k < 400; ++k) {
      seen += count[k];
      expected += n * pmf[k];
      below += pmf[k];
      if (expected >= 20.0 && n * (1.0 - below) >= 20.0) {  // this cell and the rest both big
        chi2 += (seen - expected) * (seen - expected) / expected;
        ++cells;
        seen = expected = 0.0;
      }
    }
    expected += n * std::max(0.0, 1.0 - below);  // the last cell takes the whole upper tail
    chi2 += (seen - expected) * (seen - expected) / expected;
    ++cells;
    const double df = cells - 1, z = 3.090;  // one-sided 0.1 %
    const double critical =
        df * std::pow(1.0 - 2.0 / (9.0 * df) + z * std::sqrt(2.0 / (9.0 * df)), 3.0);
    INFO("mean " << mean << ": chi2 " << chi2 << " on " << df << " df, critical " << critical);
    CHECK(cells >= 3);
    CHECK(chi2 < critical);
  }
}
