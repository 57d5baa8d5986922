// Laws shared by the drivers, read from their YAML mappings (drawn per path through a
// SystemicStream, or prepared for the vector samplers), the monthly profile that the event drivers
// scale per practice, and padded per-practice arrays.
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
#include "rxstress/systemic.hpp"
#include "scenario/param_node.hpp"
#include "simd/laws.hpp"

namespace rxstress {

// A law on whole numbers of months: `{values: [0, 3, 6], probs: [0.6, 0.3, 0.1]}` or
// `{from: 3, to: 11}` (uniform on from..to inclusive).
class DiscreteLaw {
 public:
  DiscreteLaw() = default;
  // Reads and finishes `node`. `meaning` says what the drawn month is.
  DiscreteLaw(ParamNode node, std::string_view meaning);

  int draw(SystemicStream& s) const;
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

  double draw(SystemicStream& s) const { return s.beta(a_, b_); }
  double mean() const { return mean_; }
  double a() const { return a_; }
  double b() const { return b_; }
  // Beta(a, b) = X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b): the two shapes for vector draws.
  const GammaShape& shape_a() const { return shape_a_; }
  const GammaShape& shape_b() const { return shape_b_; }

 private:
  double mean_ = 0.5, a_ = 1.0, b_ = 1.0;
  GammaShape shape_a_, shape_b_;
};

// Normal law from `{mean, sd}`.
class NormalLaw {
 public:
  NormalLaw() = default;
  NormalLaw(ParamNode node, std::string_view unit, std::string_view meaning);

  double draw(SystemicStream& s) const { return mean_ + sd_ * s.normal(); }
  double mean() const { return mean_; }
  double sd() const { return sd_; }

 private:
  double mean_ = 0.0, sd_ = 0.0;
};

// The name of a national series: `base` for a driver named after its type, else prefixed with the
// driver's name ("<name>.<base>"), so that two events of one type do not write the same dataset.
std::string series_name(const Driver& driver, std::string_view base);

// A practice multiplier with mean 1 and coefficient of variation cv: Gamma(1/cv^2) / (1/cv^2);
// exactly 1 (and no draw) when cv = 0.
class MeanOneGamma {
 public:
  explicit MeanOneGamma(double cv = 0.0)
      : cv_(cv), shape_(cv > 0.0 ? 1.0 / (cv * cv) : 1.0), scale_(cv * cv) {}
  double cv() const { return cv_; }
  bool constant() const { return cv_ == 0.0; }
  const GammaShape& shape() const { return shape_; }
  double scale() const { return scale_; }  // the multiplier is Gamma(shape) * scale

 private:
  double cv_;
  GammaShape shape_;
  double scale_;
};

// Per-practice values padded with `pad` to `padded_size(values.size())` entries, so that kernels
// run whole vectors (the padding lanes' results are never read).
std::vector<double> padded(std::span<const double> values, double pad = 0.0);
// B_i / 12 of every practice (not padded).
std::vector<double> monthly_spend(const Population& pop);

// One path's monthly profile of a driver whose contribution is `factor_i * profile[t]` for every
// practice i: the settlement-year sums are taken once, so a practice costs one multiply per year
// rather than one per month, except on the trajectory paths that keep months (store_profile in
// drivers/kernels-inl.h).
class MonthlyProfile {
 public:
  explicit MonthlyProfile(const Calendar& cal) : cal_(cal), month_(cal.months(), 0.0) {}

  double& operator[](int t) { return month_[t]; }
  double operator[](int t) const { return month_[t]; }
  // Call once the months are set, before year() and zero().
  void close();
  bool zero() const { return zero_; }
  int months() const { return cal_.months(); }
  int years() const { return cal_.years(); }
  double year(int y) const { return year_[y]; }  // sum of the months of settlement year y
  // Writes factor_i * profile (an expected profile) to monthly[i * months + t] for every i.
  void fill(std::span<const double> factor, std::span<double> monthly) const;

 private:
  const Calendar& cal_;
  std::vector<double> month_;
  std::vector<double> year_;
  bool zero_ = true;
};

}  // namespace rxstress
