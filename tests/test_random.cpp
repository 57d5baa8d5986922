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
  for (double shape : {0.5, 1.5, 4.0, 11.1}) {
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
