// Each driver against its closed form, with a fixed seed and a tolerance of 4 Monte Carlo
// standard errors computed from the sample itself.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "drivers/contribution.hpp"
#include "drivers/severity.hpp"
#include "support.hpp"

using namespace rxstress;
using namespace rxstress::testing;

namespace {

constexpr double kSe = 4.0;  // tolerance in standard errors
const std::string kPracticeLevel = "delegation:\n  - {name: p, holder: practice}\n";

const std::vector<double> kSeasonality{0.9743, 1.0133, 1.0011, 0.9980, 1.0188, 0.9830,
                                       1.0181, 1.0103, 1.0207, 1.0210, 0.9300, 1.0113};
std::string seasonality_yaml() {
  std::string s = "[";
  for (std::size_t i = 0; i < 12; ++i) s += (i ? ", " : "") + std::to_string(kSeasonality[i]);
  return s + "]";
}

// Every practice's annual value of driver d on every path, pooled (for local drivers, whose
// practices are independent).
std::vector<double> pooled(const LevelSample& s, std::size_t d) {
  std::vector<double> x;
  for (std::size_t k = 0; k < s.paths; ++k)
    for (std::size_t h = 0; h < s.holders; ++h) x.push_back(s.driver(k, h, d));
  return x;
}

// Per path, the average over practices of driver d (independent across paths).
std::vector<double> path_average(const LevelSample& s, std::size_t d) {
  std::vector<double> x(s.paths, 0.0);
  for (std::size_t k = 0; k < s.paths; ++k)
    for (std::size_t h = 0; h < s.holders; ++h) x[k] += s.driver(k, h, d) / s.holders;
  return x;
}

// Monthly factors c_t = B/12 s_t (normalised) for a practice spending `annual` a year.
std::vector<double> seasonal_months(double annual) {
  const double mean = std::accumulate(kSeasonality.begin(), kSeasonality.end(), 0.0) / 12.0;
  std::vector<double> c;
  for (double s : kSeasonality) c.push_back(annual / 12.0 * s / mean);
  return c;
}

}  // namespace

TEST_CASE("baseline: annual mean and variance of a practice match the AR(1) lognormal closed form",
          "[drivers]") {
  const double n = 10000, rho = 0.5, sd10k = 0.03, g = 0.04;
  const auto sc =
      scenario(identical_practices(10, n),
               "  - type: baseline\n    growth: {mean: 0.04, sd: 0}\n    seasonality: " +
                   seasonality_yaml() + "\n    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}\n",
               4000, kPracticeLevel);
  const Model model(sc);
  const auto m = moments(pooled(sample_level(model, 0), 0));
  // S = sum_t c_t (1+g)^a_t exp(sigma eps_t - sigma^2/2); Cov(e^{s e_t}, e^{s e_u}) terms give
  // Var S = sum_t sum_u w_t w_u (exp(sigma^2 rho^|t-u|) - 1).
  const double sigma = sd10k * std::sqrt(1e4 / n);
  auto c = seasonal_months(160.0 * n);
  for (int t = 0; t < 12; ++t) c[t] *= std::pow(1.0 + g, (t + 0.5) / 12.0);
  double mean = 0, var = 0;
  for (int t = 0; t < 12; ++t) {
    mean += c[t];
    for (int u = 0; u < 12; ++u)
      var += c[t] * c[u] * (std::exp(sigma * sigma * std::pow(rho, std::abs(t - u))) - 1.0);
  }
  CHECK(std::abs(m.mean - mean) < kSe * m.se_mean);
  CHECK(std::abs(m.var - var) < kSe * m.se_var);
  // The variance is large enough to be a real check: not within 4 SE of the i.i.d. (rho = 0) value.
  double var_iid = 0;
  for (int t = 0; t < 12; ++t) var_iid += c[t] * c[t] * (std::exp(sigma * sigma) - 1.0);
  CHECK(std::abs(m.var - var_iid) > kSe * m.se_var);
}

TEST_CASE("baseline: the expectation integrates growth exactly", "[drivers]") {
  // E[(1+G)^a] for small sd: 1 + a mu + a(a-1)(mu^2 + sd^2)/2 + ... ; check against the exact
  // lognormal-free case a = 1 (E = 1 + mu) and a = 2 (E = (1+mu)^2 + sd^2).
  CHECK(expected_growth_factor(0.04, 0.02, 1.0) == Approx(1.04).epsilon(1e-12));
  CHECK(expected_growth_factor(0.04, 0.02, 2.0) == Approx(1.04 * 1.04 + 0.0004).epsilon(1e-12));
  // And the simulated mean matches the model's expectation when growth is random.
  const auto sc = scenario(identical_practices(4, 8000),
                           "  - type: baseline\n    growth: {mean: 0.04, sd: 0.05}\n"
                           "    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}\n",
                           20000, kPracticeLevel);
  const Model model(sc);
  const auto m = moments(path_average(sample_level(model, 0), 0));
  const double expected =
      std::accumulate(model.expected()[0].begin(), model.expected()[0].end(), 0.0) / 4;
  CHECK(std::abs(m.mean - expected) < kSe * m.se_mean);
}

TEST_CASE("concessions: annual mean matches the Markov-regime closed form", "[drivers]") {
  const double u_calm = 0.045, u_crisis = 0.17, enter = 0.03, exit = 0.08;
  const double pi = enter / (enter + exit);  // stationary P(crisis)
  const double generic_monthly = 0.22 * 160.0 * 9000 / 12.0;
  for (std::string start : {"stationary", "calm"}) {
    const auto sc =
        scenario(identical_practices(5, 9000),
                 "  - type: concessions\n    uplift: {calm: 0.045, crisis: 0.17}\n"
                 "    enter_crisis: 0.03\n    exit_crisis: 0.08\n    start: " +
                     start + "\n    noise: {sd: 0.4, autocorrelation: 0.88}\n    dispersion: 4\n",
                 20000, kPracticeLevel);
    const Model model(sc);
    const auto m = moments(path_average(sample_level(model, 0), 0));
    // p_t = pi + (p_0 - pi)(1 - enter - exit)^t; E[u_t] = (1 - p_t) u_calm + p_t u_crisis.
    const double p0 = start == "calm" ? 0.0 : pi;
    double mean = 0;
    for (int t = 0; t < 12; ++t) {
      const double p = pi + (p0 - pi) * std::pow(1.0 - enter - exit, t);
      mean += generic_monthly * ((1 - p) * u_calm + p * u_crisis);
    }
    INFO("start: " << start);
    CHECK(std::abs(m.mean - mean) < kSe * m.se_mean);
    const double model_mean =
        std::accumulate(model.expected()[0].begin(), model.expected()[0].end(), 0.0) / 5;
    CHECK(model_mean == Approx(mean).epsilon(1e-12));
  }
}

namespace {

// Arrival in month m pays (12 - m)/12 of the annual cost: E[f], E[f^2] over m uniform on 0..11.
constexpr double kArrivalF = 13.0 / 24.0, kArrivalF2 = 650.0 / 1728.0;

struct Compound {
  double mean, var;
};

// A leaver in month m saves (12 - m)/12; m ~ geometric(h) truncated to the year.
Compound leavers(double mu, double h, double ec, double ec2) {
  const double q = 1.0 - std::pow(1.0 - h, 12);
  double eg = 0, eg2 = 0;
  for (int m = 0; m < 12; ++m) {
    const double p = std::pow(1.0 - h, m) * h / q, g = (12.0 - m) / 12.0;
    eg += p * g;
    eg2 += p * g * g;
  }
  return {-mu * q * ec * eg, mu * q * ec2 * eg2};
}

void check_high_cost(const std::string& severity, const Severity& law, const std::string& payment,
                     double cohort_years) {
  const double n = 10000, rate = 0.5, h = 1.0 / 36.0, lambda = rate * n / 1000.0;
  const auto sc = scenario(
      identical_practices(20, n),
      "  - type: high_cost_patients\n    rate_per_1000: 0.5\n    severity: " + severity +
          "\n    payment: " + payment + "\n    cohort_years: " + std::to_string(cohort_years) +
          "\n    leave_hazard: " + std::to_string(h) + "\n",
      10000, kPracticeLevel);
  const Model model(sc);
  const auto m = moments(pooled(sample_level(model, 0), 0));
  // Compound Poisson: E = lambda E[C] E[f], Var = lambda E[C^2] E[f^2] (f the paid fraction).
  const bool once = payment == "once";
  double mean = lambda * law.mean() * (once ? 1.0 : kArrivalF);
  double var = lambda * law.second_moment() * (once ? 1.0 : kArrivalF2);
  if (cohort_years > 0) {
    const Compound out = leavers(lambda * cohort_years, std::stod(std::to_string(h)), law.mean(),
                                 law.second_moment());
    mean += out.mean;
    var += out.var;
  }
  INFO(severity << " payment " << payment << " cohort " << cohort_years << ": mean " << m.mean
                << " vs " << mean << " (se " << m.se_mean << "), var " << m.var << " vs " << var
                << " (se " << m.se_var << ")");
  CHECK(std::abs(m.mean - mean) < kSe * m.se_mean);
  CHECK(std::abs(m.var - var) < kSe * m.se_var);
  const double model_mean =
      std::accumulate(model.expected()[0].begin(), model.expected()[0].end(), 0.0) / 20;
  CHECK(model_mean == Approx(mean).epsilon(1e-9));
}

}  // namespace

TEST_CASE("high_cost_patients: compound Poisson mean and variance, lognormal and gamma",
          "[drivers]") {
  const Severity lognormal("lognormal", 8000, 1.0), gamma("gamma", 15000, 0.8);
  const std::string ln = "{law: lognormal, median: 8000, sigma_log: 1.0}";
  const std::string ga = "{law: gamma, mean: 15000, cv: 0.8}";
  SECTION("lognormal, once") { check_high_cost(ln, lognormal, "once", 0); }
  SECTION("lognormal, monthly") { check_high_cost(ln, lognormal, "monthly", 0); }
  SECTION("lognormal, monthly with a leaving cohort") {
    check_high_cost(ln, lognormal, "monthly", 3);
  }
  SECTION("gamma, once") { check_high_cost(ga, gamma, "once", 0); }
  SECTION("gamma, monthly with a leaving cohort") { check_high_cost(ga, gamma, "monthly", 3); }
}

TEST_CASE("diversification: local variation falls like 1/sqrt(population), systemic does not",
          "[drivers]") {
  // Neighbourhoods of 1, 4, 16 and 64 identical practices.
  const double n = 8000;
  std::string pop = "population:\n  practices:\n";
  int id = 0;
  for (int size : {1, 4, 16, 64})
    for (int j = 0; j < size; ++j, ++id)
      pop += "    - {id: P" + std::to_string(id) +
             ", list_size: 8000, annual_spend: " + std::to_string(160 * n) +
             ", generic_share: 0.22, neighbourhood: N" + std::to_string(size) + ", provider: R}\n";
  const std::string hcp =
      "  - type: high_cost_patients\n    rate_per_1000: 0.5\n"
      "    severity: {law: lognormal, median: 8000, sigma_log: 1.0}\n    cohort_years: 0\n";
  const std::string nb = "delegation:\n  - {name: nb, holder: neighbourhood}\n";
  const Severity law("lognormal", 8000, 1.0);
  const double lambda = 0.5 * n / 1000;
  const double var_hcp = lambda * law.second_moment() * kArrivalF2;
  const double sigma = 0.03 * std::sqrt(1e4 / n);
  const auto c = seasonal_months(160 * n);  // seasonality defaults to flat below
  std::vector<double> flat(12, 160 * n / 12);

  SECTION("local drivers only") {
    const auto sc = scenario(pop,
                             "  - type: baseline\n    growth: {mean: 0.0, sd: 0}\n"
                             "    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}\n" +
                                 hcp,
                             6000, nb);
    const Model model(sc);
    const auto s = sample_level(model, 0);
    double var_base = 0;
    for (int t = 0; t < 12; ++t)
      for (int u = 0; u < 12; ++u)
        var_base +=
            flat[t] * flat[u] * (std::exp(sigma * sigma * std::pow(0.5, std::abs(t - u))) - 1);
    const double var_one = var_base + var_hcp;
    const int sizes[] = {1, 4, 16, 64};
    for (std::size_t h = 0; h < 4; ++h) {
      std::vector<double> spend;
      for (std::size_t k = 0; k < s.paths; ++k)
        spend.push_back(s.driver(k, h, 0) + s.driver(k, h, 1));
      const auto m = moments(spend);
      INFO("holder of " << sizes[h] << " practices: var " << m.var << " vs " << sizes[h] * var_one);
      // Var of a sum of N independent practices is N Var_1, so CV_N = CV_1 / sqrt(N).
      CHECK(std::abs(m.var - sizes[h] * var_one) < kSe * m.se_var);
    }
  }
  SECTION("with national growth, the coefficient of variation has a floor") {
    const double mu = 0.04, sd = 0.03;
    const auto sc = scenario(pop,
                             "  - type: baseline\n    growth: {mean: 0.04, sd: 0.03}\n"
                             "    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}\n",
                             6000, nb);
    const Model model(sc);
    const auto s = sample_level(model, 0);
    // Var_N = N E[Var(S|G)] + N^2 Var(E[S|G]) with S one practice's annual spend.
    double e_cond_var = 0, e_sq = 0, mean = 0;
    for (int t = 0; t < 12; ++t) {
      const double at = (t + 0.5) / 12;
      mean += flat[t] * expected_growth_factor(mu, sd, at);
      for (int u = 0; u < 12; ++u) {
        const double g2 = expected_growth_factor(mu, sd, at + (u + 0.5) / 12);
        e_sq += flat[t] * flat[u] * g2;
        e_cond_var +=
            flat[t] * flat[u] * g2 * (std::exp(sigma * sigma * std::pow(0.5, std::abs(t - u))) - 1);
      }
    }
    const double var_sys = e_sq - mean * mean;
    const double cv_floor = std::sqrt(var_sys) / mean;
    const int sizes[] = {1, 4, 16, 64};
    for (std::size_t h = 0; h < 4; ++h) {
      std::vector<double> spend;
      for (std::size_t k = 0; k < s.paths; ++k) spend.push_back(s.driver(k, h, 0));
      const auto m = moments(spend);
      const double N = sizes[h];
      INFO("holder of " << sizes[h] << ": var " << m.var << " vs "
                        << N * e_cond_var + N * N * var_sys);
      CHECK(std::abs(m.var - (N * e_cond_var + N * N * var_sys)) < kSe * m.se_var);
      CHECK(std::sqrt(m.var) / (N * mean) > cv_floor);
    }
  }
}
