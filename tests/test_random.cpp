// Stream scheme 2 and the vector samplers, each against Random123 or Boost.Random's distribution
// of the same law (two-sample Kolmogorov-Smirnov or chi-square at the 0.1 % level, with a fixed
// seed) and against its closed-form moments (4 Monte Carlo standard errors).
#include <catch2/catch.hpp>

#include <Random123/philox.h>
#include <hwy/detect_targets.h>

#include <algorithm>
#include <bit>
#include <boost/random/beta_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "io/sha256.hpp"
#include "rxstress/random.hpp"
#include "rxstress/simd.hpp"
#include "rxstress/systemic.hpp"
#include "simd/draws.hpp"
#include "support.hpp"

using namespace rxstress;

namespace {

constexpr std::size_t kDraws = 100000;
const StreamKey kKey = stream_key(20260401, "sampler-test");

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
// KS at the 0.1 % level: c(alpha) sqrt((n + m) / (n m)) with c = 1.95.
double ks_critical(std::size_t n, std::size_t m) {
  return 1.95 * std::sqrt(double(n + m) / (n * m));
}

// n draws of a Boost.Random distribution from a fixed Mersenne Twister.
template <class Law>
std::vector<double> boost_sample(Law law, std::size_t n, unsigned seed = 7) {
  boost::random::mt19937_64 engine(seed);
  std::vector<double> x(n);
  for (auto& v : x) v = static_cast<double>(law(engine));
  return x;
}

void check_moments(const std::vector<double>& x, double mean, double var) {
  const auto m = testing::moments(x);
  INFO("mean " << m.mean << " vs " << mean << " (se " << m.se_mean << "), var " << m.var << " vs "
               << var << " (se " << m.se_var << ")");
  CHECK(std::abs(m.mean - mean) < 4 * m.se_mean);
  CHECK(std::abs(m.var - var) < 4 * m.se_var);
}

// The one-sided 0.1 % point of chi-square with df degrees of freedom (Wilson-Hilferty).
double chi2_critical(double df) {
  const double z = 3.090;
  return df * std::pow(1.0 - 2.0 / (9.0 * df) + z * std::sqrt(2.0 / (9.0 * df)), 3.0);
}

// Pearson's chi-square of counts against expected frequencies (same total), cells merged until
// each expects at least 20; returns {statistic, degrees of freedom}.
std::pair<double, double> chi_square(const std::vector<double>& seen,
                                     const std::vector<double>& expected) {
  double chi2 = 0, o = 0, e = 0, rest = 0;
  for (double x : expected) rest += x;
  int cells = 0;
  for (std::size_t k = 0; k < seen.size(); ++k) {
    o += seen[k], e += expected[k], rest -= expected[k];
    if (e >= 20.0 && (rest >= 20.0 || k + 1 == seen.size())) {
      chi2 += (o - e) * (o - e) / e;
      ++cells;
      o = e = 0;
    }
  }
  if (e > 0) chi2 += (o - e) * (o - e) / e, ++cells;
  return {chi2, cells - 1.0};
}

std::vector<double> histogram(const std::vector<double>& x, std::size_t cells) {
  std::vector<double> h(cells, 0.0);
  for (double v : x) h[std::min<std::size_t>(static_cast<std::size_t>(v), cells - 1)] += 1.0;
  return h;
}

}  // namespace

TEST_CASE("stream keys are a hash of (seed, driver name)", "[random]") {
  CHECK(stream_key(1, "baseline") == stream_key(1, "baseline"));
  CHECK(!(stream_key(1, "baseline") == stream_key(1, "baselinf")));
  CHECK(!(stream_key(1, "baseline") == stream_key(2, "baseline")));
  // The documented derivation: Philox4x64-10 of (FNV-1a(name), 0, 0, 0) under (seed, "rxstres").
  r123::Philox4x64 philox;
  const auto block = philox({{name_hash("baseline"), 0, 0, 0}}, {{7, 0x72787374726573ull}});
  CHECK(stream_key(7, "baseline").lo == static_cast<std::uint32_t>(block.v[0]));
  CHECK(stream_key(7, "baseline").hi == static_cast<std::uint32_t>(block.v[0] >> 32));
}

TEST_CASE("vector Philox lanes equal Random123's Philox4x32-10", "[random]") {
  const std::size_t n = 37;  // not a whole number of vectors
  for (bool one_lane : {false, true}) {
    select_simd("auto", one_lane);
    const auto blocks = draws::philox_blocks(kKey, 123456, 9, 0xFFFFFFF0u, n);
    r123::Philox4x32 philox;
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto ref = philox({{i, 123456, 9, 0xFFFFFFF0u}}, {{kKey.lo, kKey.hi}});
      for (int w = 0; w < 4; ++w) CHECK(blocks[i][w] == ref.v[w]);
    }
  }
  select_simd("auto");
}

TEST_CASE("uniforms are (w + 1/2) 2^-32 of the block's first word", "[random]") {
  const auto u = draws::uniforms32(kKey, 5, 1000);
  const auto words = draws::philox_blocks(kKey, 5, 0, 0, 1000);
  for (std::size_t i = 0; i < u.size(); ++i) CHECK(u[i] == (words[i][0] + 0.5) * 0x1p-32);
}

TEST_CASE("normal sampler: Box-Muller pairs, the law of Boost's normal", "[random]") {
  const auto z = draws::normals(kKey, 1, 2 * kDraws);
  check_moments(z, 0.0, 1.0);
  CHECK(ks_statistic(z, boost_sample(boost::random::normal_distribution<double>(), kDraws)) <
        ks_critical(z.size(), kDraws));
  // The two normals of a pair are uncorrelated, and the tails stop at the 32-bit radius's 6.77.
  double products = 0, largest = 0;
  for (std::size_t i = 0; i < z.size(); i += 2) products += z[i] * z[i + 1];
  for (double v : z) largest = std::max(largest, std::abs(v));
  CHECK(std::abs(products / kDraws) < 4.0 / std::sqrt(double(kDraws)));
  CHECK(largest < std::sqrt(2.0 * 33.0 * std::log(2.0)) + 1e-9);
  CHECK(largest > 3.5);  // P(max |z| of 2e5 normals < 3.5) is about e^-93
}

TEST_CASE("gamma sampler: moments and the law of Boost's gamma", "[random]") {
  // 1, 3, 4, 8: whole shapes (a product of 32-bit uniforms, one or two blocks); 0.5, 1.5, 3.5, 7.5
  // half-integers (Z^2/2 added); the rest Marsaglia-Tsang with masked retries, boosted below 1.
  for (double shape : {0.3, 0.5, 1.0, 1.5, 3.0, 3.5, 4.0, 7.5, 8.0, 11.1, 48.5}) {
    INFO("shape " << shape);
    const auto x =
        draws::gammas(kKey, static_cast<std::uint32_t>(shape * 10), GammaShape(shape), kDraws);
    check_moments(x, shape, shape);  // Gamma(k, 1): mean k, variance k
    const auto theirs = boost_sample(boost::random::gamma_distribution<double>(shape, 1.0), kDraws);
    CHECK(ks_statistic(x, theirs) < ks_critical(kDraws, kDraws));
  }
}

TEST_CASE("poisson sampler: the exact pmf and Boost's law, from the mode either way", "[random]") {
  // 0.7 and 4.6: typical high-cost counts; 29.5 and 45.3 medium; 1200: a mean whose e^-mean is
  // still a double; 2500: beyond, prepared in logarithms. Every practice has its own mean here,
  // so the lanes of a vector walk different distances.
  for (double mean : {0.7, 4.6, 29.5, 45.3, 1200.0, 2500.0}) {
    INFO("mean " << mean);
    std::vector<double> means(kDraws);
    for (std::size_t i = 0; i < kDraws; ++i) means[i] = i % 2 ? mean : 0.5 * mean;
    const PoissonTable table(means, padded_size(kDraws));
    const auto k = draws::poissons(kKey, static_cast<std::uint32_t>(mean), table, kDraws);
    std::vector<double> x;
    for (std::size_t i = 1; i < kDraws; i += 2) x.push_back(k[i]);
    check_moments(x, mean, mean);
    // Against the pmf computed in long double from lgamma.
    const std::size_t cells = static_cast<std::size_t>(mean + 12 * std::sqrt(mean) + 20);
    std::vector<double> pmf(cells);
    for (std::size_t j = 0; j < cells; ++j)
      pmf[j] = x.size() * std::exp(-mean + j * std::log(mean) - std::lgamma(j + 1.0));
    const auto [chi2, df] = chi_square(histogram(x, cells), pmf);
    INFO("chi2 " << chi2 << " on " << df << " df");
    CHECK(chi2 < chi2_critical(df));
    // Two-sample test against Boost's sampler.
    const auto theirs =
        boost_sample(boost::random::poisson_distribution<int, double>(mean), x.size());
    const auto [chi2b, dfb] = chi_square(histogram(x, cells), histogram(theirs, cells));
    CHECK(chi2b < chi2_critical(dfb) * 2.0);  // two samples: each cell's variance doubles
  }
}

// The Poisson count of practice i by the step-by-step walk from the mode, in scalar arithmetic:
// the sampler's definition, which its table of thresholds must reproduce bit for bit.
double poisson_walk(const PoissonTable& t, std::size_t i, double u) {
  const double mean = t.mean[i];
  double k = t.mode[i], p = t.p_mode[i], cdf = t.cdf_mode[i];
  while (u < cdf - p && k > 0.0) cdf = cdf - p, p = p * k / mean, k = k - 1.0;
  bool up = u >= cdf;
  while (up) {
    k = k + 1.0, p = p * mean / k, cdf = cdf + p;
    up = u >= cdf && p > 0.0;
  }
  return k;
}

TEST_CASE("poisson sampler: its thresholds give the step-by-step walk's counts", "[random]") {
  // Means whose walks stay within the table's steps (0.3, 4.5), often pass them (29.5) and always
  // do (1200, 2500: e^-mean underflows); a zero mean; neighbours with different means.
  const std::vector<double> kinds{0.0, 0.3, 4.5, 29.5, 1200.0, 2500.0};
  constexpr std::size_t n = 6000;
  std::vector<double> means(n);
  for (std::size_t i = 0; i < n; ++i) means[i] = kinds[(i * 7 + i / 6) % kinds.size()];
  const PoissonTable table(means, padded_size(n));
  const auto k = draws::poissons(kKey, 3, table, n);
  const auto words = draws::philox_blocks(kKey, 3, 0, 0, n);
  std::size_t beyond = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t bits = std::uint64_t{words[i][0]} << 20 | words[i][1] >> 12;
    const double u = (std::bit_cast<double>(bits | 0x3FF0000000000000ull) - 1.0) + 0x1p-53;
    const double want = poisson_walk(table, i, u);
    beyond += std::abs(want - table.mode[i]) > PoissonTable::kSteps;
    INFO("practice " << i << ", mean " << means[i] << ", u " << u);
    REQUIRE(std::bit_cast<std::uint64_t>(k[i]) == std::bit_cast<std::uint64_t>(want));
  }
  CHECK(beyond > n / 4);  // the step-by-step continuation was exercised
}

TEST_CASE("poisson sampler: the largest mean it takes, and refusal beyond it", "[random]") {
  // At kMaxPoissonMean the table sums ~40 sqrt(mean) terms and each draw walks ~sqrt(mean)
  // steps; beyond it (a list of 1.9e22 patients, found by fuzzing) the table would never end.
  constexpr std::size_t n = 4096;
  const std::vector<double> means(n, kMaxPoissonMean);
  const PoissonTable table(means, padded_size(n));
  check_moments(draws::poissons(kKey, 7, table, n), kMaxPoissonMean, kMaxPoissonMean);
  for (double mean : {std::nextafter(kMaxPoissonMean, 1e300), 1.9e22, std::nan("")}) {
    INFO("mean " << mean);
    const std::vector<double> one{mean};
    CHECK_THROWS_AS(PoissonTable(one, padded_size(1)), std::domain_error);
  }
}

TEST_CASE("severity laws: lognormal, Pareto and gamma costs against Boost's laws", "[random]") {
  SECTION("lognormal (median 8000, sigma 1)") {
    SeverityLaw law;
    law.kind = SeverityLaw::Kind::lognormal;
    law.log_median = portable::log(8000.0), law.sigma_log = 1.0;
    const auto x = draws::severities(kKey, 1, law, kDraws);
    const double m = 8000.0 * std::exp(0.5);
    check_moments(x, m, m * m * (std::exp(1.0) - 1.0));
    const auto theirs =
        boost_sample(boost::random::lognormal_distribution<double>(std::log(8000.0), 1.0), kDraws);
    CHECK(ks_statistic(x, theirs) < ks_critical(kDraws, kDraws));
  }
  SECTION("Pareto (scale 5000, shape 4.5): scale exp(E / shape), E ~ Exp(1)") {
    SeverityLaw law;
    law.kind = SeverityLaw::Kind::pareto;
    law.pareto_scale = 5000.0, law.pareto_inverse = 1.0 / 4.5;
    const auto x = draws::severities(kKey, 2, law, kDraws);
    const double a = 4.5, s = 5000.0;
    check_moments(x, a * s / (a - 1), s * s * a / ((a - 1) * (a - 1) * (a - 2)));
    auto theirs = boost_sample(boost::random::exponential_distribution<double>(), kDraws);
    for (double& v : theirs) v = s * std::exp(v / a);
    CHECK(ks_statistic(x, theirs) < ks_critical(kDraws, kDraws));
  }
  SECTION("gamma (mean 9000, cv 1.5): Marsaglia-Tsang, boosted") {
    SeverityLaw law;
    law.kind = SeverityLaw::Kind::gamma;
    law.gamma = GammaShape(1.0 / 2.25), law.gamma_scale = 9000.0 * 2.25;
    const auto x = draws::severities(kKey, 3, law, kDraws);
    check_moments(x, 9000.0, 9000.0 * 9000.0 * 2.25);
    const auto theirs =
        boost_sample(boost::random::gamma_distribution<double>(1.0 / 2.25, 9000.0 * 2.25), kDraws);
    CHECK(ks_statistic(x, theirs) < ks_critical(kDraws, kDraws));
  }
}

TEST_CASE("systemic draws: one lane of the same samplers, Beta against Boost's", "[random]") {
  SystemicStream s(20260401, "systemic-test", 4);
  std::vector<double> beta(kDraws), uniform(kDraws), normal(kDraws);
  for (std::size_t i = 0; i < kDraws; ++i) {
    beta[i] = s.beta(3.5, 31.5);
    uniform[i] = s.uniform();
    normal[i] = s.normal();
  }
  const double a = 3.5, b = 31.5;
  check_moments(beta, a / (a + b), a * b / ((a + b) * (a + b) * (a + b + 1)));
  CHECK(ks_statistic(beta, boost_sample(boost::random::beta_distribution<double>(a, b), kDraws)) <
        ks_critical(kDraws, kDraws));
  check_moments(uniform, 0.5, 1.0 / 12.0);
  check_moments(normal, 0.0, 1.0);
  // A stream is a pure function of (seed, driver, path): a second one repeats it, another path
  // does not.
  SystemicStream again(20260401, "systemic-test", 4), other(20260401, "systemic-test", 5);
  for (std::size_t i = 0; i < kDraws; ++i) again.beta(a, b), again.uniform(), again.normal();
  CHECK(again.draws() == s.draws());
  SystemicStream first(20260401, "systemic-test", 4);
  CHECK(first.beta(a, b) == beta[0]);
  CHECK(other.beta(a, b) != beta[0]);
}

TEST_CASE("portable maths agrees with libm to a few ulp", "[random]") {
  for (double x : {-700.0, -3.2, -1e-9, 0.0, 0.5, 1.0, 7.25, 300.0}) {
    INFO("x = " << x);
    CHECK(portable::exp(x) == Approx(std::exp(x)).epsilon(1e-15));
    if (x > -1.0) CHECK(portable::log1p(x) == Approx(std::log1p(x)).epsilon(1e-15).margin(1e-300));
    if (x > 0.0) CHECK(portable::log(x) == Approx(std::log(x)).epsilon(1e-15).margin(1e-300));
  }
  CHECK(portable::pow(1.04, 0.5) == Approx(std::pow(1.04, 0.5)).epsilon(1e-15));
}

TEST_CASE("the engine names a missing SIMD requirement", "[random]") {
  CHECK(simd_requirement_error(0).find("AVX2 and FMA") != std::string::npos);
  CHECK(simd_requirement_error(0).find("offers only") != std::string::npos);
  CHECK(simd_requirement_error(HWY_AVX2).empty());
}

TEST_CASE("scalar streams (synthetic populations) are pure functions of their counter",
          "[random]") {
  Stream a(1, 2, 3, 4), b(1, 2, 3, 4), c(1, 2, 3, 5), d(1, 3, 3, 4);
  for (int i = 0; i < 10; ++i) {
    const auto x = a();
    CHECK(x == b());
    CHECK(x != c());
    CHECK(x != d());
  }
}

TEST_CASE("sha256 matches the FIPS 180-4 test vectors", "[random]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
