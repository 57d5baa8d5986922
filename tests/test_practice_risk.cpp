// Practice-level risk (issue 17): idiosyncratic noise that is a sum over patients or prescriptions
// falls as 1/sqrt(list size) and a practice behaviour does not; per-practice quantities are a
// practice-table column, or drawn once per practice (`per: practice`) or on every path. Fixed seed,
// tolerances of 4 Monte Carlo standard errors against closed forms derived here.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <string>

#include "rxstress/error.hpp"
#include "support.hpp"

using namespace rxstress;
using namespace rxstress::testing;

namespace {

constexpr double kSe = 4.0;
const std::string kPracticeLevel = "delegation:\n  - {name: p, holder: practice}\n";
const std::vector<double> kSizes{2500, 10000, 40000};

// The drivers whose practice noise is a sum over patients or prescriptions, with their systemic
// factors fixed (no growth uncertainty, one concession regime without noise): baseline (sigma_i =
// 0.03 sqrt(10^4/n)), concessions (5 % of generic spend, shape 4 n/10^4), high-cost patients
// (Poisson arrivals 0.5 per 1,000 a year, lognormal cost).
const std::string kScalingDrivers =
    "  - type: baseline\n    growth: {mean: 0.0, sd: 0}\n"
    "    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}\n"
    "  - type: concessions\n    uplift: {calm: 0.05, crisis: 0.05}\n"
    "    enter_crisis: 0\n    exit_crisis: 0\n    noise: {sd: 0, autocorrelation: 0}\n"
    "    dispersion: 4\n"
    "  - type: high_cost_patients\n    rate_per_1000: 0.5\n"
    "    severity: {law: lognormal, median: 8000, sigma_log: 1.0}\n    cohort_years: 0\n";

// Exact annual variance of each scaling driver for a practice of n patients (B = 160 n).
std::vector<double> scaling_variances(double n) {
  const double month = 160.0 * n / 12.0, sigma2 = 0.03 * 0.03 * 1e4 / n;
  double base = 0;  // AR(1) lognormal: sum_t sum_u c^2 (exp(sigma^2 rho^|t-u|) - 1)
  for (int t = 0; t < 12; ++t)
    for (int u = 0; u < 12; ++u)
      base += month * month * (std::exp(sigma2 * std::pow(0.5, std::abs(t - u))) - 1.0);
  // 12 independent months of 0.22 B/12 * 0.05 * Gamma(k, 1/k): variance 1/k each.
  const double conc = std::pow(0.22 * month * 0.05, 2) * 12.0 / (4.0 * n / 1e4);
  // Compound Poisson: lambda E[C^2] E[f^2], f = (12 - m)/12 the paid fraction of an arrival in
  // month m uniform on 0..11: E[f^2] = (1^2 + ... + 12^2) / 12^3 = 650/1728.
  const double hcp = 0.5 * n / 1000.0 * 8000.0 * 8000.0 * std::exp(2.0) * 650.0 / 1728.0;
  return {base, conc, hcp};
}

// Driver d's (or, with d = drivers, every driver's) annual value of practice h on every path.
std::vector<double> values(const LevelSample& s, std::size_t h, std::size_t d) {
  if (d < s.drivers) return holder_values(s, h, d);
  std::vector<double> x(s.paths, 0.0);
  for (std::size_t k = 0; k < s.paths; ++k)
    for (std::size_t j = 0; j < s.drivers; ++j) x[k] += s.driver(k, h, j);
  return x;
}

}  // namespace

TEST_CASE("size scaling: sums over patients give SD/budget proportional to 1/sqrt(list size)",
          "[drivers][practice_risk]") {
  const Scenario model_scenario =
      scenario(practices(kSizes), kScalingDrivers, 6000, kPracticeLevel);
  const Model model(model_scenario);
  const auto s = sample_level(model, 0);
  const auto at_10k = scaling_variances(1e4);
  const double budget_10k = 160.0 * 1e4;
  // Under 1/sqrt(n) scaling, Var_n / B_n^2 = (Var_10k / B_10k^2) (10^4 / n).
  auto scaled = [&](double v10k, double n) {
    return v10k / (budget_10k * budget_10k) * std::pow(160.0 * n, 2) * 1e4 / n;
  };
  const char* names[] = {"baseline", "concessions", "high_cost_patients", "all three"};
  for (std::size_t h = 0; h < kSizes.size(); ++h)
    for (std::size_t d = 0; d <= 3; ++d) {
      const double v10k = d < 3 ? at_10k[d] : std::accumulate(at_10k.begin(), at_10k.end(), 0.0);
      const auto m = moments(values(s, h, d));
      const double law = scaled(v10k, kSizes[h]);
      INFO(names[d] << " at " << kSizes[h] << " patients: SD/budget "
                    << std::sqrt(m.var) / (160.0 * kSizes[h]) << ", 1/sqrt(n) law "
                    << std::sqrt(law) / (160.0 * kSizes[h]) << " (var " << m.var << " vs " << law
                    << ", se " << m.se_var << ")");
      CHECK(std::abs(m.var - law) < kSe * m.se_var);
    }
}

TEST_CASE("size scaling: a fixed dispersion or a behaviour driver does not fall as 1/sqrt(n)",
          "[drivers][practice_risk]") {
  SECTION("concessions with dispersion_scaling: none keeps CV 1/sqrt(12 k) at every size") {
    const Scenario model_scenario =
        scenario(practices(kSizes),
                 "  - type: concessions\n    uplift: {calm: 0.05, crisis: 0.05}\n"
                 "    enter_crisis: 0\n    exit_crisis: 0\n"
                 "    noise: {sd: 0, autocorrelation: 0}\n    dispersion: 4\n"
                 "    dispersion_scaling: none\n",
                 6000, kPracticeLevel);
    const Model model(model_scenario);
    const auto s = sample_level(model, 0);
    for (std::size_t h = 0; h < kSizes.size(); ++h) {
      const double mean = 0.22 * 160.0 * kSizes[h] * 0.05;
      const auto m = moments(holder_values(s, h));
      CHECK(std::abs(m.var - mean * mean / 48.0) < kSe * m.se_var);
    }
  }
  SECTION("new_medicines: the adoption multiplier's CV does not shrink with list size") {
    // Launch in month 0, peak uptake 0.1 (sd 0.001), adoption y_i ~ Gamma(mean 1, cv 0.5) per
    // path: X_i = a_i y_i peak A with A = sum_t 1/(1 + e^{-(t - 9)/3}), a_i = n_i 0.02 150, so
    // Var X_i / a_i^2 = A^2 ((1 + cv^2) E[peak^2] - E[peak]^2) at every size.
    const Scenario model_scenario = scenario(practices(kSizes),
                                             "  - type: new_medicines\n    prevalence: 0.02\n"
                                             "    cost_per_patient_month: 150\n"
                                             "    launch_month: {values: [0], probs: [1]}\n"
                                             "    peak_uptake: {mean: 0.10, sd: 0.001}\n"
                                             "    half_peak_months: 9\n    scale_months: 3\n"
                                             "    practice_cv: 0.5\n",
                                             6000, kPracticeLevel);
    const Model model(model_scenario);
    const auto s = sample_level(model, 0);
    double area = 0;
    for (int t = 0; t < 12; ++t) area += 1.0 / (1.0 + std::exp(-(t - 9.0) / 3.0));
    const double relative = area * area * (1.25 * (0.01 + 1e-6) - 0.01);
    for (std::size_t h = 0; h < kSizes.size(); ++h) {
      const double a = kSizes[h] * 0.02 * 150.0;
      const auto m = moments(holder_values(s, h));
      INFO(kSizes[h] << " patients: var " << m.var << " vs " << a * a * relative);
      CHECK(std::abs(m.var - a * a * relative) < kSe * m.se_var);
    }
    // And it is far from the 1/sqrt(n) law, which would give a quarter of it at 40,000 patients.
    const auto m = moments(holder_values(s, 2));
    const double a10k = 1e4 * 0.02 * 150.0, law = a10k * a10k * relative * 4.0;
    CHECK(std::abs(m.var - law) > kSe * m.se_var);
  }
}

namespace {

// X_ik / X_0k for practice i on path k: with identical practices, y_i / y_0 of the multiplier.
double ratio(const LevelSample& s, std::size_t k, std::size_t i) {
  return s.driver(k, i, 0) / s.driver(k, 0, 0);
}

const std::string kAdoption =
    "  - type: new_medicines\n    prevalence: 0.02\n    cost_per_patient_month: 150\n"
    "    launch_month: {from: 0, to: 3}\n    peak_uptake: {mean: 0.10, sd: 0.05}\n"
    "    half_peak_months: 3\n    scale_months: 3\n    practice_cv: 0.5\n";

}  // namespace

TEST_CASE("per: practice draws a practice's multiplier once, the same on every path",
          "[drivers][practice_risk]") {
  const std::size_t count = 40;
  SECTION("per: practice") {
    const Scenario model_scenario = scenario(
        identical_practices(count, 8000), kAdoption + "    per: practice\n", 300, kPracticeLevel);
    const Model model(model_scenario);
    const auto s = sample_level(model, 0);
    for (std::size_t i = 1; i < count; ++i) {
      // Different across practices (a Gamma with CV 0.5 is never exactly equal) ...
      CHECK(std::abs(ratio(s, 0, i) - 1.0) > 1e-9);
      // ... and the same on every path, to rounding.
      for (std::size_t k = 1; k < s.paths; ++k)
        REQUIRE(ratio(s, k, i) == Approx(ratio(s, 0, i)).epsilon(1e-12));
    }
    // Still a mean-one multiplier in expectation: the model's expectation is unchanged.
    const Scenario per_path_scenario =
        scenario(identical_practices(count, 8000), kAdoption, 300, kPracticeLevel);
    const Model per_path(per_path_scenario);
    CHECK(per_path.expected()[0] == model.expected()[0]);
  }
  SECTION("per: path (the default for adoption) draws anew on every path") {
    const Scenario model_scenario =
        scenario(identical_practices(count, 8000), kAdoption, 300, kPracticeLevel);
    const Model model(model_scenario);
    const auto s = sample_level(model, 0);
    std::vector<double> r;
    for (std::size_t k = 0; k < s.paths; ++k) r.push_back(std::log(ratio(s, k, 1)));
    // log(y_1 / y_0) has variance 2 Var(log y) = 2 trigamma(4) = 0.5681 for Gamma shape 4.
    const auto m = moments(r);
    CHECK(std::abs(m.var - 2.0 * 0.28382295573711532) < kSe * m.se_var);
  }
}

TEST_CASE("a practice-table column overrides the draw", "[drivers][practice_risk]") {
  const std::string pop =
      "population:\n  columns: [adoption, molecule_share]\n  practices:\n"
      "    - {id: A, list_size: 5000, annual_spend: 800000, generic_share: 0.2, neighbourhood: N,"
      " provider: R, adoption: 0.5, molecule_share: 0.01}\n"
      "    - {id: B, list_size: 5000, annual_spend: 800000, generic_share: 0.2, neighbourhood: N,"
      " provider: R, adoption: 2.0, molecule_share: 0.05}\n";
  const std::string expiry =
      "  - type: patent_expiry\n    share: {mean: 0.03, concentration: 50}\n"
      "    column: molecule_share\n    planned_month: 0\n    delay: {values: [0], probs: [1]}\n"
      "    depth: {mean: 0.8, sd: 0.1}\n    ramp_months: 1\n";
  const Scenario model_scenario =
      scenario(pop, kAdoption + "    column: adoption\n" + expiry, 200, kPracticeLevel);
  const Model model(model_scenario);
  const auto s = sample_level(model, 0);
  for (std::size_t k = 0; k < s.paths; ++k) {
    // Identical practices but for the columns: the ratio is the columns' on every path.
    CHECK(s.driver(k, 1, 0) / s.driver(k, 0, 0) == Approx(4.0).epsilon(1e-12));
    CHECK(s.driver(k, 1, 1) / s.driver(k, 0, 1) == Approx(5.0).epsilon(1e-12));
  }
  // Patent expiry saves -B/12 share depth per month from month 0: E = -800000 * 0.01 * 0.8.
  const auto& e = model.expected()[1];
  CHECK(std::accumulate(e.begin(), e.begin() + 12, 0.0) == Approx(-800000 * 0.01 * 0.8));

  // The message of the InputError that loading these drivers gives (empty: none).
  auto error_of = [&](const std::string& population, const std::string& drivers) {
    try {
      (void)scenario(population, drivers, 10, kPracticeLevel);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  SECTION("a share above 1 is an error at its cell") {
    std::string bad = pop;
    bad.replace(bad.find("0.05}"), 4, "1.50");
    const std::string what = error_of(bad, expiry);
    INFO(what);
    CHECK(what.find("test.yaml:11:") != std::string::npos);
    CHECK(what.find("share of spend on the molecule of 1.5, above 1") != std::string::npos);
  }
  SECTION("an unknown column is an error at the key") {
    const std::string what = error_of(pop, kAdoption + "    column: adoptoin\n");
    INFO(what);
    CHECK(what.find("no column 'adoptoin'") != std::string::npos);
    CHECK(what.find("did you mean 'adoption'") != std::string::npos);
  }
}
