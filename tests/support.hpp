// Helpers shared by the tests: scenarios from text, and sampling paths through the engine.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "rxstress/engine.hpp"
#include "rxstress/scenario.hpp"

namespace rxstress::testing {

// `count` identical practices of `list_size` patients, spending 160 GBP a head, 22 % generic,
// grouped `per_neighbourhood` to a neighbourhood and all in one provider.
inline std::string identical_practices(int count, double list_size, int per_neighbourhood = 1) {
  std::string out = "population:\n  practices:\n";
  for (int i = 0; i < count; ++i)
    out += "    - {id: P" + std::to_string(i) + ", list_size: " + std::to_string(list_size) +
           ", annual_spend: " + std::to_string(160.0 * list_size) +
           ", generic_share: 0.22, neighbourhood: N" + std::to_string(i / per_neighbourhood) +
           ", provider: R1}\n";
  return out;
}

// A scenario with the given population and drivers, settled at `levels` (practice by default).
inline Scenario scenario(const std::string& population, const std::string& drivers,
                         std::int64_t paths, const std::string& extra = "") {
  const std::string text = "rxstress: 1\nname: test\nstart: 2026-04\nhorizon_months: 12\npaths: " +
                           std::to_string(paths) + "\nseed: 20260401\n" + population +
                           "drivers:\n" + drivers + extra;
  return load_scenario_text(text, "test.yaml");
}

// Annual values per path: [path][holder][driver] of one level, for year 0.
struct LevelSample {
  std::size_t paths = 0, holders = 0, drivers = 0;
  std::vector<double> by_driver;  // [path][holder][driver]
  std::vector<double> gross;      // [path][holder]
  double driver(std::size_t k, std::size_t h, std::size_t d) const {
    return by_driver[(k * holders + h) * drivers + d];
  }
};

inline LevelSample sample_level(const Model& model, std::size_t level, int block = 64) {
  LevelSample s;
  s.paths = model.scenario().paths;
  s.holders = model.levels()[level].size();
  s.drivers = model.drivers();
  Block b;
  for (std::int64_t first = 0; first < model.scenario().paths; first += block) {
    const int n = static_cast<int>(std::min<std::int64_t>(block, model.scenario().paths - first));
    simulate_block(model, first, n, b, BlockDetail::all);
    const auto& lv = b.levels[level];  // year 0 is the first n * H (* D) values
    s.by_driver.insert(s.by_driver.end(), lv.by_driver.begin(),
                       lv.by_driver.begin() + n * s.holders * s.drivers);
    s.gross.insert(s.gross.end(), lv.gross.begin(), lv.gross.begin() + n * s.holders);
  }
  return s;
}

// Practices of the given list sizes, 160 GBP a head, 22 % generic, one neighbourhood each.
inline std::string practices(const std::vector<double>& sizes) {
  std::string out = "population:\n  practices:\n";
  for (std::size_t i = 0; i < sizes.size(); ++i)
    out += "    - {id: P" + std::to_string(i) + ", list_size: " + std::to_string(sizes[i]) +
           ", annual_spend: " + std::to_string(160.0 * sizes[i]) +
           ", generic_share: 0.22, neighbourhood: N" + std::to_string(i) + ", provider: R1}\n";
  return out;
}

// Driver d's annual value of holder h on every path.
inline std::vector<double> holder_values(const LevelSample& s, std::size_t h, std::size_t d = 0) {
  std::vector<double> x;
  for (std::size_t k = 0; k < s.paths; ++k) x.push_back(s.driver(k, h, d));
  return x;
}

// Sample mean and variance with their Monte Carlo standard errors (the variance's from the
// sample variance of squared deviations), for tolerances of a few standard errors.
struct Moments {
  double mean = 0, var = 0, se_mean = 0, se_var = 0;
};
inline Moments moments(const std::vector<double>& x) {
  Moments m;
  const double n = static_cast<double>(x.size());
  for (double v : x) m.mean += v / n;
  double m2 = 0, m4 = 0;
  for (double v : x) {
    const double d = (v - m.mean) * (v - m.mean);
    m2 += d / n;
    m4 += d * d / n;
  }
  m.var = m2 * n / (n - 1);
  m.se_mean = std::sqrt(m.var / n);
  m.se_var = std::sqrt(std::max(0.0, m4 - m2 * m2) / n);
  return m;
}

// Binomial(K, p) pmf in long double from lgamma, summed from 0: slow but obviously right.
inline std::vector<long double> binomial_pmf(std::size_t K, double p) {
  std::vector<long double> pmf(K + 1);
  const long double lp = std::log(static_cast<long double>(p));
  const long double lq = std::log1p(-static_cast<long double>(p));
  for (std::size_t k = 0; k <= K; ++k) {
    const long double kk = k;
    pmf[k] = std::exp(std::lgamma(K + 1.0L) - std::lgamma(kk + 1) - std::lgamma(K - kk + 1) +
                      kk * lp + (K - kk) * lq);
  }
  return pmf;
}

// The smallest k with P(B <= k) >= q (scipy's binom.ppf), from the pmf.
inline std::size_t brute_ppf(const std::vector<long double>& pmf, long double q) {
  long double cdf = 0.0L;
  for (std::size_t k = 0; k < pmf.size(); ++k) {
    cdf += pmf[k];
    if (cdf >= q) return k;
  }
  return pmf.size() - 1;
}

}  // namespace rxstress::testing
