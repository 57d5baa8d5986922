// Laws shared by the event drivers (new_medicines, patent_expiry, step_shock, savings_plan), read
// from their YAML mappings, and the monthly profile that those drivers scale per practice.
//
// Months are whole 0-based offsets from the scenario `start`; a month outside the horizon is
// allowed (the event then falls outside it and contributes nothing inside).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rxstress/driver.hpp"
#include "scenario/param_node.hpp"

namespace rxstress {

// A law on whole numbers of months: `{values: [0, 3, 6], probs: [0.6, 0.3, 0.1]}` or
// `{from: 3, to: 11}` (uniform on from..to inclusive).
class DiscreteLaw {
 public:
  DiscreteLaw() = default;
  // Reads and finishes `node`. `meaning` says what the drawn month is.
  DiscreteLaw(ParamNode node, std::string_view meaning);

  int draw(Stream& s) const;
  std::size_t size() const { return values_.size(); }
  int value(std::size_t i) const { return values_[i]; }
  double prob(std::size_t i) const { return probs_[i]; }

 private:
  void read_list(ParamNode& node, std::string_view meaning);
  void read_range(ParamNode& node, std::string_view meaning);

  std::vector<int> values_;
  std::vector<double> probs_, cdf_;
};

// Beta law on (0, 1) from `{mean, sd}` or `{mean, concentration}`: a = mean c, b = (1 - mean) c,
// with c = mean (1 - mean) / sd^2 - 1 when the sd is given.
class BetaLaw {
 public:
  BetaLaw() = default;
  BetaLaw(ParamNode node, std::string_view unit, std::string_view meaning);

  double draw(Stream& s) const;
  double mean() const { return mean_; }
  double a() const { return a_; }
  double b() const { return b_; }

 private:
  double mean_ = 0.5, a_ = 1.0, b_ = 1.0;
  GammaLaw gamma_a_, gamma_b_;  // Beta(a, b) = X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b)
};

// Normal law from `{mean, sd}`.
class NormalLaw {
 public:
  NormalLaw() = default;
  NormalLaw(ParamNode node, std::string_view unit, std::string_view meaning);

  double draw(Stream& s) const;
  double mean() const { return mean_; }
  double sd() const { return sd_; }

 private:
  double mean_ = 0.0, sd_ = 0.0;
};

// The name of a national series: `base` for a driver named after its type, else prefixed with the
// driver's name ("<name>.<base>"), so that two events of one type do not write the same dataset.
std::string series_name(const Driver& driver, std::string_view base);

// A practice multiplier with mean 1 and coefficient of variation cv: Gamma(1/cv^2, scale cv^2);
// exactly 1 (and no draw) when cv = 0.
class MeanOneGamma {
 public:
  explicit MeanOneGamma(double cv = 0.0) : cv_(cv), gamma_(cv > 0.0 ? 1.0 / (cv * cv) : 1.0) {}
  double draw(Stream& s) const { return cv_ == 0.0 ? 1.0 : gamma_.draw(s) / gamma_.shape(); }
  double cv() const { return cv_; }

 private:
  double cv_;
  GammaLaw gamma_;
};

// One path's monthly profile of a driver whose contribution is `factor_i * profile[t]` for every
// practice i: the settlement-year sums are taken once, so a practice costs one multiply per year
// rather than one per month, except on the trajectory paths that keep months.
class MonthlyProfile {
 public:
  explicit MonthlyProfile(const Calendar& cal) : cal_(cal), month_(cal.months(), 0.0) {}

  double& operator[](int t) { return month_[t]; }
  double operator[](int t) const { return month_[t]; }
  // Call once the months are set, before add_scaled().
  void close();
  bool zero() const { return zero_; }
  // Adds factor * profile to practice i's months of `out`.
  void add_scaled(DriverOutput& out, std::size_t practice, double factor) const;
  // Writes factor_i * profile (an expected profile) to monthly[i * months + t] for every i.
  void fill(std::span<const double> factor, std::span<double> monthly) const;

 private:
  const Calendar& cal_;
  std::vector<double> month_;
  std::vector<double> year_;
  bool zero_ = true;
};

}  // namespace rxstress
