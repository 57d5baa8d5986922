// Writing a driver's contribution for one practice into a DriverOutput.
#pragma once

#include "rxstress/driver.hpp"
#include "scenario/param_node.hpp"

namespace rxstress {

// The months of one practice on one path: adds to the settlement-year totals, and to the months
// when the path keeps them (trajectory paths).
class PracticeMonths {
 public:
  PracticeMonths(DriverOutput& out, const Calendar& cal, std::size_t practice)
      : annual_(out.annual.data() + practice * cal.years()),
        monthly_(out.monthly.empty() ? nullptr : out.monthly.data() + practice * cal.months()),
        cal_(cal) {}

  void add(int t, double value) {
    annual_[cal_.year_of(t)] += value;
    if (monthly_) monthly_[t] += value;
  }
  // For drivers that settle a year in closed form: the year total, and (on trajectory paths
  // only) the months. The year total must not depend on whether the months are kept.
  void add_year(int y, double value) { annual_[y] += value; }
  bool keeps_months() const { return monthly_ != nullptr; }
  void add_month_only(int t, double value) { monthly_[t] += value; }

 private:
  double* annual_;
  double* monthly_;
  const Calendar& cal_;
};

// E[(1 + G)^a] for G ~ Normal(mean, sd), by Simpson's rule over +-12 sd (error < 1e-12 for the
// smooth integrand; the law's mass beyond 12 sd is below 1e-32).
double expected_growth_factor(double mean, double sd, double a);

}  // namespace rxstress
