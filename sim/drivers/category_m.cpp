// category_m: the quarterly Drug Tariff Category M price adjustments on generic lines.
//   Revisions at months 0, every, 2 every, ...; at revision q the national index moves to
//   I_q = I_{q-1} exp(sd z_q - sd^2/2), I_{-1} = 1, so E[I_q] = 1 (a mean-one random walk). The
//   first revision acts at month 0: months 0..every-1 use I_0. Practice i pays (I_q - 1) g_i B_i/12
//   in every month of revision q, so the exact expectation is 0.
// Streams: systemic draw q is z_q. No practice draws.
#include <algorithm>

#include "drivers/scaled_profile.hpp"

namespace rxstress {
namespace {

class CategoryM final : public Driver {
 public:
  explicit CategoryM(DriverSetup& s) : Driver(s.header) {
    every_ = static_cast<int>(
        s.params.integer("every_months", 1, 600, "months", "months between price revisions", 3));
    step_sd_ = s.params.number("step_sd", Range::non_negative(), "log-scale",
                               "sd of the log price step at each revision");
    s.params.finish();
    std::vector<double> generic;
    for (std::size_t i = 0; i < s.population.size(); ++i)
      generic.push_back(s.population.generic_share[i] * s.population.annual_spend[i] / 12.0);
    generic_ = padded(generic);
  }

  std::vector<NationalSeries> national_series() const override {
    return {{series_name(*this, "category_m_index"), "factor",
             "Category M price index I of each month", true}};
  }

  void simulate(const PathContext& ctx, DriverOutput& out) const override {
    MonthlyProfile change(ctx.calendar);
    SystemicStream s(ctx.seed, name(), ctx.path);
    double index = 1.0;
    for (int t = 0; t < ctx.calendar.months(); ++t) {
      if (t % every_ == 0)
        index *= portable::exp(step_sd_ * s.normal() - 0.5 * step_sd_ * step_sd_);
      out.national[t] = index;
      change[t] = index - 1.0;
    }
    change.close();
    if (!change.zero())
      add_scaled_profile(generic_, PracticeMultiplier::one(), *this, ctx, change, out);
  }

  void expected(const Population&, const Calendar&, std::span<double> monthly) const override {
    std::fill(monthly.begin(), monthly.end(), 0.0);  // a mean-one index
  }

 private:
  double step_sd_ = 0.0;
  int every_ = 3;
  std::vector<double> generic_;  // g_i B_i / 12, GBP/month, padded
};

std::unique_ptr<Driver> make(DriverSetup& s) { return std::make_unique<CategoryM>(s); }
const bool registered = register_driver("category_m", &make);

}  // namespace
}  // namespace rxstress
