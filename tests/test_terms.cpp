// Tests for the risk-sharing terms of docs/model.md §2.4 (include/rxstress/terms.hpp) and for the
// severity laws the carve-out checks rely on (sim/drivers/severity.hpp). Signs: positive =
// overspend.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <numeric>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "drivers/severity.hpp"
#include "rxstress/random.hpp"
#include "rxstress/scenario.hpp"
#include "rxstress/terms.hpp"
#include "simd/draws.hpp"

using rxstress::carved;
using rxstress::CarveOut;
using rxstress::Corridor;
using rxstress::corridor_retained;
using rxstress::Pool;
using rxstress::settle_pool;
using rxstress::settle_terms;
using rxstress::Severity;
using rxstress::Terms;

namespace {

Corridor make_corridor(double lower, double upper, double share_over, double share_under,
                       double cap = 1e300) {
  Corridor c;
  c.lower = lower;
  c.upper = upper;
  c.share_over = share_over;
  c.share_under = share_under;
  c.cap = cap;
  return c;
}

Pool make_pool(double contribution, bool returned) {
  Pool p;
  p.contribution = contribution;
  p.returned = returned;
  return p;
}

std::vector<double> pooled(std::vector<double> retained, const std::vector<double>& budget,
                           const Pool& pool) {
  settle_pool(retained, budget, pool);
  return retained;
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi); }

// Sample mean and its standard error sd/sqrt(K), sd from the two-pass sample variance (K - 1).
struct MeanSe {
  double mean = 0.0, se = 0.0;
};
MeanSe mean_se(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  const double m = sum(x) / n;
  double ss = 0.0;
  for (double v : x) ss += (v - m) * (v - m);
  return {m, std::sqrt(ss / (n - 1.0) / n)};
}

// |sample - expected| <= 4 SE, with the numbers in the report on failure.
void check_within_4se(const char* what, double expected, const MeanSe& s) {
  INFO(what << ": expected " << expected << ", sampled " << s.mean << " +- " << s.se
            << " (z = " << (s.mean - expected) / s.se << ")");
  CHECK(s.se > 0.0);
  CHECK(std::abs(s.mean - expected) <= 4.0 * s.se);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 1. Hand-computed cases.

TEST_CASE("carved: only the part of a patient's cost above the threshold", "[terms]") {
  CHECK(carved(100.0, 150.0) == 0.0);   // below: nothing carved
  CHECK(carved(150.0, 150.0) == 0.0);   // at the threshold: nothing carved
  CHECK(carved(200.0, 150.0) == 50.0);  // 200 - 150 = 50
  CHECK(carved(1e6, 0.0) == 1e6);       // threshold 0: all of it
}

TEST_CASE("corridor: hand-computed cases", "[terms]") {
  // b = 1000, lower = 0.02 -> L = 20, upper = 0.05 -> U = 50, share_over 0.4, share_under 0.3,
  // cap 0.08 -> 80.
  const double b = 1000.0;
  const Corridor c = make_corridor(0.02, 0.05, 0.4, 0.3, 0.08);

  SECTION("inside the corridor the holder keeps all of it, both signs") {
    CHECK(corridor_retained(30.0, b, c) == Approx(30.0));
    CHECK(corridor_retained(-15.0, b, c) == Approx(-15.0));
    CHECK(corridor_retained(50.0, b, c) == Approx(50.0));    // at +U
    CHECK(corridor_retained(-20.0, b, c) == Approx(-20.0));  // at -L
    CHECK(corridor_retained(0.0, b, c) == 0.0);
  }
  SECTION("above upper: U + share_over (x - U)") {
    CHECK(corridor_retained(100.0, b, c) == Approx(70.0));  // 50 + 0.4 * 50 = 70 < 80
    CHECK(corridor_retained(125.0, b, c) == Approx(80.0));  // 50 + 0.4 * 75 = 80 = cap
  }
  SECTION("above the cap: the cap binds") {
    CHECK(corridor_retained(200.0, b, c) == Approx(80.0));  // 50 + 0.4 * 150 = 110 -> 80
    CHECK(corridor_retained(1e9, b, c) == Approx(80.0));
    // A cap below upper binds inside the corridor too: cap 0.03 -> 30, x = 40 -> 30.
    CHECK(corridor_retained(40.0, b, make_corridor(0.02, 0.05, 0.4, 0.3, 0.03)) == Approx(30.0));
  }
  SECTION("underspend beyond lower: -L + share_under (x + L), never capped") {
    CHECK(corridor_retained(-120.0, b, c) == Approx(-50.0));  // -20 + 0.3 * (-100) = -50
    // -20 + 0.3 * (-9980) = -3014: far below -cap*b, the cap is for overspend only.
    CHECK(corridor_retained(-10000.0, b, c) == Approx(-3014.0));
  }
  SECTION("share 0: the holder keeps exactly the corridor edge") {
    const Corridor c0 = make_corridor(0.02, 0.05, 0.0, 0.0);
    CHECK(corridor_retained(100.0, b, c0) == Approx(50.0));    // 50 + 0 * 50
    CHECK(corridor_retained(-120.0, b, c0) == Approx(-20.0));  // -20 + 0 * (-100)
    CHECK(corridor_retained(10.0, b, c0) == Approx(10.0));     // inside: untouched
  }
  SECTION("share 1 and no cap: the holder keeps everything") {
    const Corridor c1 = make_corridor(0.02, 0.05, 1.0, 1.0);
    CHECK(corridor_retained(100.0, b, c1) == Approx(100.0));    // 50 + 1 * 50
    CHECK(corridor_retained(-120.0, b, c1) == Approx(-120.0));  // -20 + 1 * (-100)
  }
  SECTION("the corridor scales with the budget") {
    // b = 2000: U = 100, L = 40, cap = 160. x = 300 -> 100 + 0.4 * 200 = 180 -> 160;
    // x = 150 -> 100 + 0.4 * 50 = 120; x = -140 -> -40 + 0.3 * (-100) = -70.
    CHECK(corridor_retained(300.0, 2000.0, c) == Approx(160.0));
    CHECK(corridor_retained(150.0, 2000.0, c) == Approx(120.0));
    CHECK(corridor_retained(-140.0, 2000.0, c) == Approx(-70.0));
  }
}

TEST_CASE("pool: exhausted, claims paid pro rata and nothing refunded", "[terms]") {
  // b = [100, 100, 200], contribution 0.05 -> c = [5, 5, 10], S = 20. r = [30, 10, -5]:
  // C = 40 > S, each claim paid at 20/40 = 0.5 -> paid = [15, 5, 0], leftover 0.
  // outcome = r + c - paid = [30 + 5 - 15, 10 + 5 - 5, -5 + 10 - 0] = [20, 10, 5].
  const std::vector<double> budget{100.0, 100.0, 200.0}, r{30.0, 10.0, -5.0};
  for (bool returned : {true, false}) {  // no leftover: returned or not makes no difference
    const auto out = pooled(r, budget, make_pool(0.05, returned));
    CHECK(out[0] == Approx(20.0));
    CHECK(out[1] == Approx(10.0));
    CHECK(out[2] == Approx(5.0));
    CHECK(sum(out) == Approx(sum(r)));  // 35: a pure transfer between holders
  }
}

TEST_CASE("pool: leftover returned pro rata to contributions", "[terms]") {
  // b = [100, 100, 200], contribution 0.1 -> c = [10, 10, 20], S = 40. r = [6, 2, -5]: C = 8,
  // all paid: paid = [6, 2, 0]. Leftover 40 - 8 = 32, refunded by c / S: [8, 8, 16].
  // outcome = [6 + 10 - 6 - 8, 2 + 10 - 2 - 8, -5 + 20 - 0 - 16] = [2, 2, -1]; sum 3 = sum r.
  const std::vector<double> budget{100.0, 100.0, 200.0}, r{6.0, 2.0, -5.0};
  const auto out = pooled(r, budget, make_pool(0.1, true));
  CHECK(out[0] == Approx(2.0));
  CHECK(out[1] == Approx(2.0));
  CHECK(out[2] == Approx(-1.0));
  CHECK(sum(out) == Approx(3.0));
}

TEST_CASE("pool: leftover kept by the ICB", "[terms]") {
  // As above but not returned: outcome = r + c - paid = [6 + 10 - 6, 2 + 10 - 2, -5 + 20]
  // = [10, 10, 15]; sum 35 = sum r + leftover (3 + 32): the holders are 32 worse off in total and
  // the ICB residual (sum gross - sum outcome) is 32 lower.
  const std::vector<double> budget{100.0, 100.0, 200.0}, r{6.0, 2.0, -5.0};
  const auto kept = pooled(r, budget, make_pool(0.1, false));
  CHECK(kept[0] == Approx(10.0));
  CHECK(kept[1] == Approx(10.0));
  CHECK(kept[2] == Approx(15.0));
  CHECK(sum(kept) == Approx(35.0));
  const auto returned = pooled(r, budget, make_pool(0.1, true));
  CHECK(sum(kept) - sum(returned) == Approx(32.0));
}

TEST_CASE("pool: size 0 is a no-op", "[terms]") {
  const std::vector<double> budget{100.0, 250.0, 50.0}, r{12.5, -7.0, 0.0};
  for (bool returned : {true, false}) {
    const auto out = pooled(r, budget, make_pool(0.0, returned));
    CHECK(out == r);
  }
}

TEST_CASE("pool: no claims, everything is returned", "[terms]") {
  // b = [100, 300], c = 0.02 -> [2, 6], S = 8, r = [-3, 0]: C = 0, leftover 8, refund [2, 6]:
  // outcome = r. If kept by the ICB, outcome = r + c = [-1, 6].
  const std::vector<double> budget{100.0, 300.0}, r{-3.0, 0.0};
  const auto ret = pooled(r, budget, make_pool(0.02, true));
  CHECK(ret[0] == Approx(-3.0));
  CHECK(ret[1] == Approx(0.0).margin(1e-12));
  const auto kept = pooled(r, budget, make_pool(0.02, false));
  CHECK(kept[0] == Approx(-1.0));
  CHECK(kept[1] == Approx(6.0));
}

TEST_CASE("settle_terms: carve, then corridor, then pool on three holders", "[terms]") {
  // b = [100, 200, 100], gross = [10, 3, -8], carve = [4, 0, 0].
  // Corridor lower = upper = 0.02, share_over 0.5, share_under 0.25, cap 0.05.
  // Pool contribution 0.01 -> c = [1, 2, 1], S = 4, returned.
  //  h0: x = 10 - 4 = 6; U = 2, kept = 2 + 0.5 * 4 = 4 (cap 5 does not bind).
  //  h1: x = 3; U = 4, inside -> 3.
  //  h2: x = -8; L = 2, kept = -2 + 0.25 * (-6) = -3.5.
  //  C = 4 + 3 = 7 > S = 4: paid at 4/7 -> [16/7, 12/7, 0]; no leftover.
  //  outcome = [4 + 1 - 16/7, 3 + 2 - 12/7, -3.5 + 1] = [19/7, 23/7, -2.5]; sum 3.5 = sum kept.
  const std::vector<double> budget{100.0, 200.0, 100.0}, gross{10.0, 3.0, -8.0},
      carve{4.0, 0.0, 0.0};
  Terms terms;
  terms.carve_out = CarveOut{50.0};
  terms.corridor = make_corridor(0.02, 0.02, 0.5, 0.25, 0.05);
  terms.pool = make_pool(0.01, true);
  std::vector<double> out(3, -999.0);
  settle_terms(gross, carve, budget, terms, out);
  CHECK(out[0] == Approx(19.0 / 7.0));
  CHECK(out[1] == Approx(23.0 / 7.0));
  CHECK(out[2] == Approx(-2.5));
  CHECK(sum(out) == Approx(3.5));

  SECTION("without carve_out the carve is ignored") {
    // h0: x = 10, kept = 2 + 0.5 * 8 = 6 -> cap 5. kept = [5, 3, -3.5]; C = 8, paid at 1/2:
    // [2.5, 1.5, 0]; outcome = [5 + 1 - 2.5, 3 + 2 - 1.5, -2.5] = [3.5, 3.5, -2.5].
    terms.carve_out.reset();
    settle_terms(gross, carve, budget, terms, out);
    CHECK(out[0] == Approx(3.5));
    CHECK(out[1] == Approx(3.5));
    CHECK(out[2] == Approx(-2.5));
  }
  SECTION("no terms: the holder keeps its gross variance") {
    settle_terms(gross, carve, budget, Terms{}, out);
    CHECK(out == gross);
  }
  SECTION("carve only") {
    Terms carve_only;
    carve_only.carve_out = CarveOut{50.0};
    settle_terms(gross, carve, budget, carve_only, out);
    CHECK(out == std::vector<double>{6.0, 3.0, -8.0});
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Properties over random inputs.

namespace {

struct RandomTerms {
  std::mt19937_64 rng{20240611};
  std::uniform_real_distribution<double> unit{0.0, 1.0};

  double budget() { return 1e6 * std::exp(4.0 * unit(rng)); }  // 1m to ~55m
  double variance(double b) { return b * 0.15 * std::normal_distribution<double>{0.0, 1.0}(rng); }
  Corridor corridor() {
    // Share ends 0 and 1 and an absent cap a fair part of the time.
    auto share = [&] {
      const double u = unit(rng);
      return u < 0.1 ? 0.0 : u > 0.9 ? 1.0 : unit(rng);
    };
    const double cap = unit(rng) < 0.3 ? 1e300 : 0.2 * unit(rng);
    return make_corridor(0.1 * unit(rng), 0.1 * unit(rng), share(), share(), cap);
  }
  std::size_t holders() { return 1 + static_cast<std::size_t>(unit(rng) * 20.0); }
};

}  // namespace

TEST_CASE("icb_carried: everything when the ICB holds, else residual plus excess over capacity",
          "[terms]") {
  const std::vector<double> retained{-50.0, 30.0, 120.0}, budget{1000.0, 1000.0, 2000.0};
  // Capacity 5 % of budget: holder 1 absorbs its 30 (limit 50), holder 2 returns 120 - 100.
  CHECK(rxstress::icb_carried(retained, budget, 7.0, 0.05, false) == 7.0 + 20.0);
  // No capacity: the residual only; the ICB as holder: everything.
  CHECK(rxstress::icb_carried(retained, budget, 7.0, std::nullopt, false) == 7.0);
  CHECK(rxstress::icb_carried(retained, budget, 7.0, std::nullopt, true) == 7.0 + 100.0);
  // Capacity 0: every overspend returns, underspends stay with the holder.
  CHECK(rxstress::icb_carried(retained, budget, 0.0, 0.0, false) == 150.0);
}

TEST_CASE("holder_reserve: the cover quantile, at least 0 and at most the capacity", "[terms]") {
  CHECK(rxstress::holder_reserve(-10.0, 1000.0, std::nullopt) == 0.0);
  CHECK(rxstress::holder_reserve(80.0, 1000.0, std::nullopt) == 80.0);
  CHECK(rxstress::holder_reserve(80.0, 1000.0, 0.05) == 50.0);
  CHECK(rxstress::holder_reserve(30.0, 1000.0, 0.05) == 30.0);
}

TEST_CASE("property: pool conservation", "[terms]") {
  // Per holder: outcome_h = r_h + c_h - paid_h - refund_h, with S = sum c_h, C = sum r_h^+,
  // sum paid_h = min(S, C), refund total = S - min(S, C) if returned, else 0. Hence
  //   returned:     sum outcome = sum r + S - min(S, C) - (S - min(S, C)) = sum r;
  //   not returned: sum outcome = sum r + S - min(S, C)  (the ICB keeps the leftover).
  RandomTerms gen;
  for (int trial = 0; trial < 5000; ++trial) {
    const std::size_t n = gen.holders();
    std::vector<double> budget(n), r(n);
    for (std::size_t h = 0; h < n; ++h) {
      budget[h] = gen.budget();
      r[h] = gen.variance(budget[h]);
    }
    const double contribution = 0.05 * gen.unit(gen.rng);
    double S = 0.0, C = 0.0, scale = 0.0;
    for (std::size_t h = 0; h < n; ++h) {
      S += contribution * budget[h];
      C += std::max(r[h], 0.0);
      scale += std::abs(r[h]);
    }
    scale += S;
    const auto ret = pooled(r, budget, make_pool(contribution, true));
    const auto kept = pooled(r, budget, make_pool(contribution, false));
    INFO("trial " << trial << " n " << n << " S " << S << " C " << C);
    CHECK(std::abs(sum(ret) - sum(r)) <= 1e-9 * scale);
    CHECK(std::abs(sum(kept) - (sum(r) + S - std::min(S, C))) <= 1e-9 * scale);
  }
}

TEST_CASE("property: corridor monotone in its width, capped, identity at full shares", "[terms]") {
  RandomTerms gen;
  for (int trial = 0; trial < 20000; ++trial) {
    const double b = gen.budget();
    const double x = gen.variance(b);
    const Corridor c = gen.corridor();
    const double kept = corridor_retained(x, b, c);
    const double tol = 1e-12 * (std::abs(x) + b);
    INFO("trial " << trial << " x " << x << " b " << b << " lower " << c.lower << " upper "
                  << c.upper << " share_over " << c.share_over << " share_under " << c.share_under
                  << " cap " << c.cap << " kept " << kept);

    // (b) Wider corridor, same shares and cap.
    Corridor wider = c;
    wider.upper += 0.1 * gen.unit(gen.rng);
    wider.lower += 0.1 * gen.unit(gen.rng);
    const double kept_wider = corridor_retained(x, b, wider);
    if (x > 0.0) CHECK(kept_wider >= kept - tol);
    if (x < 0.0) CHECK(kept_wider <= kept + tol);

    // Kept is non-decreasing in x, and lies between x and the corridor edge it crossed.
    const double y = x + b * 0.05 * gen.unit(gen.rng);
    CHECK(corridor_retained(y, b, c) >= kept - tol);

    // (c) Retained overspend never exceeds cap * b.
    CHECK(kept <= c.cap * b + tol);

    // (d) Shares 1 and no cap: the identity.
    const Corridor full = make_corridor(c.lower, c.upper, 1.0, 1.0);
    CHECK(std::abs(corridor_retained(x, b, full) - x) <= tol);

    // Shares in [0, 1]: the holder never keeps more than the variance (in either direction).
    if (x >= 0.0) CHECK((kept >= -tol && kept <= x + tol));
    if (x < 0.0) CHECK((kept <= tol && kept >= x - tol));
  }
}

TEST_CASE("property: the pool pays at most S in total and at most each claim", "[terms]") {
  // Not returned: paid_h = r_h + c_h - outcome_h exactly (no refund term).
  RandomTerms gen;
  for (int trial = 0; trial < 5000; ++trial) {
    const std::size_t n = gen.holders();
    std::vector<double> budget(n), r(n);
    for (std::size_t h = 0; h < n; ++h) {
      budget[h] = gen.budget();
      r[h] = gen.variance(budget[h]);
    }
    const double contribution = 0.05 * gen.unit(gen.rng);
    const auto kept = pooled(r, budget, make_pool(contribution, false));
    const auto ret = pooled(r, budget, make_pool(contribution, true));
    double S = 0.0, C = 0.0, paid_total = 0.0, refund_total = 0.0;
    for (std::size_t h = 0; h < n; ++h) {
      S += contribution * budget[h];
      C += std::max(r[h], 0.0);
    }
    const double tol = 1e-9 * (S + C + 1.0);
    INFO("trial " << trial << " n " << n << " S " << S << " C " << C);
    for (std::size_t h = 0; h < n; ++h) {
      const double c = contribution * budget[h];
      const double paid = r[h] + c - kept[h];
      const double refund = kept[h] - ret[h];
      paid_total += paid;
      refund_total += refund;
      CHECK(paid >= -tol);
      CHECK(paid <= std::max(r[h], 0.0) + tol);
      CHECK(refund >= -tol);
      CHECK(refund <= c + tol);
      // Pro rata: every claim is paid at the same fraction min(1, S / C).
      if (r[h] > 0.0) CHECK(paid == Approx(r[h] * std::min(1.0, S / C)).epsilon(1e-9));
    }
    CHECK(paid_total <= S + tol);
    CHECK(std::abs(paid_total - std::min(S, C)) <= tol);
    CHECK(std::abs(refund_total - (S - std::min(S, C))) <= tol);
  }
}

TEST_CASE("property: settle_terms is carve, corridor, pool composed", "[terms]") {
  RandomTerms gen;
  for (int trial = 0; trial < 3000; ++trial) {
    const std::size_t n = gen.holders();
    std::vector<double> budget(n), gross(n), carve(n), expected(n), out(n);
    Terms terms;
    terms.carve_out = CarveOut{1e5};
    terms.corridor = gen.corridor();
    terms.pool = make_pool(0.05 * gen.unit(gen.rng), gen.unit(gen.rng) < 0.5);
    for (std::size_t h = 0; h < n; ++h) {
      budget[h] = gen.budget();
      gross[h] = gen.variance(budget[h]);
      carve[h] = 0.05 * budget[h] * gen.unit(gen.rng);
      expected[h] = corridor_retained(gross[h] - carve[h], budget[h], *terms.corridor);
    }
    settle_pool(expected, budget, *terms.pool);
    settle_terms(gross, carve, budget, terms, out);
    for (std::size_t h = 0; h < n; ++h) CHECK(out[h] == Approx(expected[h]).epsilon(1e-12));
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Closed forms within Monte Carlo error. Tolerance: 4 standard errors, SE = sample sd /
// sqrt(K) from the same K draws (see mean_se). Fixed seeds, so the outcome is reproducible.

namespace {
constexpr std::size_t kDraws = 200000;

// E[(x - a)^+] and E[(a - x)^+] for x ~ Normal(mu, sigma).
double normal_excess_above(double mu, double sigma, double a) {
  const double z = (mu - a) / sigma;
  return (mu - a) * normal_cdf(z) + sigma * normal_pdf(z);
}
double normal_excess_below(double mu, double sigma, double a) {
  const double z = (a - mu) / sigma;
  return (a - mu) * normal_cdf(z) + sigma * normal_pdf(z);
}
}  // namespace

TEST_CASE("closed form: expected retained outcome of a corridor on a Normal variance", "[terms]") {
  struct Case {
    double mu, sigma, u, s;
  };
  // b = 1e6: u = 0.02 -> U = L = 2e4.
  const double b = 1e6;
  const Case cases[] = {{1e4, 4e4, 0.02, 0.5}, {-1.5e4, 2.5e4, 0.02, 0.2}, {2e4, 1e5, 0.05, 0.0}};
  std::uint64_t purpose = rxstress::name_hash("test_terms/corridor");
  for (const Case& k : cases) {
    const Corridor c = make_corridor(k.u, k.u, k.s, k.s);
    const double U = k.u * b, L = k.u * b;
    // E[kept] = E[x] - (1 - s) E[(x - U)^+] + (1 - s) E[(-L - x)^+].
    const double expected = k.mu - (1.0 - k.s) * normal_excess_above(k.mu, k.sigma, U) +
                            (1.0 - k.s) * normal_excess_below(k.mu, k.sigma, -L);
    rxstress::Stream s(42, purpose++, 0, 0);
    std::vector<double> kept(kDraws);
    for (double& v : kept) v = corridor_retained(k.mu + k.sigma * rxstress::draw_normal(s), b, c);
    const MeanSe m = mean_se(kept);
    INFO("mu " << k.mu << " sigma " << k.sigma << " u " << k.u << " s " << k.s);
    check_within_4se("E[corridor_retained]", expected, m);
    // The test can see the corridor: the corridor correction is many SEs away from E[x].
    CHECK(std::abs(expected - k.mu) > 10.0 * m.se);
  }
}

namespace {

// Independent limited expected values E[min(C, T)].
double lognormal_limited_mean(double median, double sigma, double T) {
  const double mu = std::log(median);
  return std::exp(mu + 0.5 * sigma * sigma) *
             normal_cdf((std::log(T) - mu - sigma * sigma) / sigma) +
         T * (1.0 - normal_cdf((std::log(T) - mu) / sigma));
}

double pareto_limited_mean(double scale, double shape, double T) {
  if (T <= scale) return T;
  // integral of the survival function: scale + int_scale^T (scale / x)^shape dx.
  return scale + scale * (1.0 - std::pow(scale / T, shape - 1.0)) / (shape - 1.0);
}

// Gamma(k, theta) with mean m and cv: k = 1 / cv^2, theta = m / k, y = x / theta. With y = t^m
// (m a whole number, m k >= 4) the density y^(k-1) e^(-y) dy / Gamma(k) becomes
// m t^(m k - 1) e^(-t^m) dt / Gamma(k): smooth enough at 0 for composite Simpson's O(h^4) error.
// Returns {F(T), int_0^T x dF, int_0^T x^2 dF}.
struct Partial {
  double mass, first, second;
};
Partial gamma_partial_moments(double mean, double cv, double T) {
  const double k = 1.0 / (cv * cv), theta = mean / k;
  const double m = std::ceil(4.0 / k);
  const double top = std::pow(T / theta, 1.0 / m);
  const int n = 40000;  // even
  const double h = top / n;
  double mass = 0.0, first = 0.0, second = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double w = (i == 0 || i == n) ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
    const double t = i * h, y = std::pow(t, m);
    const double f = m * std::pow(t, m * k - 1.0) * std::exp(-y);
    mass += w * f;
    first += w * f * y;
    second += w * f * y * y;
  }
  const double c = h / 3.0 / std::tgamma(k);
  return {mass * c, first * c * theta, second * c * theta * theta};
}

// E[min(C, T)] = int_0^T x dF + T (1 - F(T)).
double gamma_limited_mean(double mean, double cv, double T) {
  const Partial p = gamma_partial_moments(mean, cv, T);
  return p.first + T * (1.0 - p.mass);
}

}  // namespace

TEST_CASE("closed form: Severity::limited_mean against independent formulas", "[terms]") {
  for (double sigma : {0.3, 0.8, 1.5}) {
    const Severity sev("lognormal", 30000.0, sigma);
    for (double T : {5000.0, 30000.0, 100000.0, 1e6}) {
      INFO("lognormal sigma " << sigma << " T " << T);
      CHECK(sev.limited_mean(T) ==
            Approx(lognormal_limited_mean(30000.0, sigma, T)).epsilon(1e-12));
    }
  }
  for (double cv : {0.5, 0.8, 1.0, 1.5}) {
    const Severity sev("gamma", 40000.0, cv);
    for (double T : {4000.0, 20000.0, 40000.0, 120000.0}) {
      INFO("gamma cv " << cv << " T " << T);
      CHECK(sev.limited_mean(T) == Approx(gamma_limited_mean(40000.0, cv, T)).epsilon(1e-9));
    }
  }
  for (double shape : {1.5, 3.0, 6.0}) {
    const Severity sev("pareto", 20000.0, shape);
    for (double T : {10000.0, 20000.0, 50000.0, 500000.0}) {
      INFO("pareto shape " << shape << " T " << T);
      CHECK(sev.limited_mean(T) == Approx(pareto_limited_mean(20000.0, shape, T)).epsilon(1e-12));
    }
  }
  // Limits: T -> infinity gives the mean, T <= 0 gives 0.
  for (const Severity& sev : {Severity("lognormal", 30000.0, 0.8), Severity("gamma", 40000.0, 0.8),
                              Severity("pareto", 20000.0, 3.0)}) {
    INFO(sev.law());
    CHECK(sev.limited_mean(1e12) == Approx(sev.mean()).epsilon(1e-6));
    CHECK(sev.limited_mean(0.0) == 0.0);
  }
}

TEST_CASE("closed form: Severity mean and second moment against independent formulas", "[terms]") {
  // Lognormal: E[C^n] = exp(n mu + n^2 sigma^2 / 2), mu = ln(median).
  for (double sigma : {0.3, 0.8, 1.5}) {
    const Severity sev("lognormal", 30000.0, sigma);
    const double mu = std::log(30000.0);
    INFO("lognormal sigma " << sigma);
    CHECK(sev.mean() == Approx(std::exp(mu + 0.5 * sigma * sigma)).epsilon(1e-12));
    CHECK(sev.second_moment() == Approx(std::exp(2.0 * mu + 2.0 * sigma * sigma)).epsilon(1e-12));
  }
  // Gamma: numerical moments of the density, truncated where the tail is negligible.
  for (double cv : {0.5, 0.8, 1.0, 1.5}) {
    const Severity sev("gamma", 40000.0, cv);
    const Partial p = gamma_partial_moments(40000.0, cv, 40000.0 * 60.0);
    INFO("gamma cv " << cv);
    CHECK(p.mass == Approx(1.0).epsilon(1e-9));
    CHECK(sev.mean() == Approx(p.first).epsilon(1e-8));
    CHECK(sev.second_moment() == Approx(p.second).epsilon(1e-8));
  }
  // Pareto: E[C^n] = int_xm^inf x^n a xm^a x^(-a-1) dx = a xm^n / (a - n) for a > n.
  for (double shape : {1.5, 3.0, 6.0}) {
    const Severity sev("pareto", 20000.0, shape);
    INFO("pareto shape " << shape);
    CHECK(sev.mean() == Approx(shape * 20000.0 / (shape - 1.0)).epsilon(1e-12));
    if (shape > 2.0)
      CHECK(sev.second_moment() == Approx(shape * 4e8 / (shape - 2.0)).epsilon(1e-12));
    else
      CHECK(std::isinf(sev.second_moment()));
  }
}

TEST_CASE("closed form: expected carve-out and moments of the severity laws", "[terms]") {
  // Gamma cv 0.8 -> shape 1.5625 (Marsaglia-Tsang draws); cv 0.5 -> shape 4 (integer path);
  // cv 1.5 -> shape 0.444 (the shape < 1 boost).
  // Pareto shape 6 > 4, so the second moment has a finite-variance sample estimate.
  const Severity laws[] = {Severity("lognormal", 30000.0, 0.8), Severity("gamma", 40000.0, 0.8),
                           Severity("gamma", 40000.0, 0.5), Severity("gamma", 40000.0, 1.5),
                           Severity("pareto", 20000.0, 6.0)};
  std::uint32_t path = 0;
  for (const Severity& sev : laws) {
    // The engine's own vector sampler of the law (simd/severity-inl.h).
    const std::vector<double> cost = rxstress::draws::severities(
        rxstress::stream_key(7, "test_terms/severity"), path++, sev.prepared(), kDraws);
    INFO(sev.law() << " mean " << sev.mean() << " second moment " << sev.second_moment());

    check_within_4se("mean", sev.mean(), mean_se(cost));
    std::vector<double> sq(kDraws);
    std::transform(cost.begin(), cost.end(), sq.begin(), [](double v) { return v * v; });
    check_within_4se("second moment", sev.second_moment(), mean_se(sq));

    // E[carved(C, T)] = E[C] - E[min(C, T)], at thresholds around the body and in the tail.
    for (double q : {0.8, 1.5, 3.0}) {
      const double T = q * sev.mean();
      std::vector<double> cut(kDraws);
      std::transform(cost.begin(), cost.end(), cut.begin(), [T](double v) { return carved(v, T); });
      INFO("threshold " << T);
      check_within_4se("carved", sev.mean() - sev.limited_mean(T), mean_se(cut));
    }
  }
}
