// baseline: the practice's underlying spend with national growth, seasonality and its own noise.
//   spend_it = B_i/12 * s[month] * (1 + G)^((t + 0.5)/12) * exp(sigma_i eps_it - sigma_i^2/2)
//   G ~ Normal(mean, sd) once per path; eps an AR(1) with unit variance; sigma_i = sd_at_10k *
//   sqrt(10000 / n_i), so that smaller practices are noisier.
#include <cmath>
#include <numeric>

#include "drivers/contribution.hpp"

namespace rxstress {
namespace {

class Baseline final : public Driver {
 public:
  explicit Baseline(DriverSetup& s) : Driver(s.header) {
    ParamNode growth = s.params.child("growth");
    growth_mean_ = growth.number("mean", Range::between(-0.5, 1.0), "fraction/year",
                                 "mean national growth of spend");
    growth_sd_ = growth.number("sd", Range::non_negative(), "fraction/year", "sd of growth");
    growth.finish();
    if (growth_mean_ - 10.0 * growth_sd_ <= -1.0)
      s.params.fail("growth", "growth can fall below -100 %", "mean - 10 sd > -1");
    seasonality_ = s.params.numbers("seasonality", Range::positive(), 12, 12, "factor",
                                    "monthly factors April..March (normalised to mean 1)",
                                    std::vector<double>(12, 1.0));
    const double mean = std::accumulate(seasonality_.begin(), seasonality_.end(), 0.0) / 12.0;
    for (double& f : seasonality_) f /= mean;
    ParamNode noise = s.params.child("noise");
    sd_at_10k_ = noise.number("sd_at_10k", Range::non_negative(), "log-scale",
                              "monthly noise sd of a 10,000-patient practice");
    rho_ = noise.number("autocorrelation", Range::between(-0.99, 0.99), "",
                        "month-to-month autocorrelation of the noise");
    noise.finish();
    s.params.finish();
    for (double n : s.population.list_size) sigma_.push_back(sd_at_10k_ * std::sqrt(1e4 / n));
  }

  std::vector<NationalSeries> national_series() const override {
    return {{"growth", "fraction/year", "national growth G of this path", false}};
  }

  void simulate(const PathContext& ctx, DriverOutput& out) const override {
    const Calendar& cal = ctx.calendar;
    Stream national = systemic_stream(ctx);
    const double g = growth_mean_ + growth_sd_ * draw_normal(national);
    out.national[0] = g;
    std::vector<double> trend(cal.months());
    for (int t = 0; t < cal.months(); ++t)
      trend[t] = seasonality_[cal.month_of_fy(t)] * std::pow(1.0 + g, (t + 0.5) / 12.0);
    const double innovation = std::sqrt(1.0 - rho_ * rho_);
    for (std::size_t i = 0; i < ctx.population.size(); ++i) {
      Stream s = practice_stream(ctx, i);
      PracticeMonths months(out, cal, i);
      const double sigma = sigma_[i];
      const double scale = ctx.population.annual_spend[i] / 12.0 * std::exp(-0.5 * sigma * sigma);
      double eps = draw_normal(s);
      for (int t = 0; t < cal.months(); ++t) {
        if (t > 0) eps = rho_ * eps + innovation * draw_normal(s);
        months.add(t, scale * trend[t] * std::exp(sigma * eps));
      }
    }
  }

  void expected(const Population& pop, const Calendar& cal,
                std::span<double> monthly) const override {
    std::vector<double> trend(cal.months());
    for (int t = 0; t < cal.months(); ++t)
      trend[t] = seasonality_[cal.month_of_fy(t)] *
                 expected_growth_factor(growth_mean_, growth_sd_, (t + 0.5) / 12.0);
    for (std::size_t i = 0; i < pop.size(); ++i)
      for (int t = 0; t < cal.months(); ++t)
        monthly[i * cal.months() + t] = pop.annual_spend[i] / 12.0 * trend[t];
  }

 private:
  double growth_mean_ = 0.0, growth_sd_ = 0.0, sd_at_10k_ = 0.0, rho_ = 0.0;
  std::vector<double> seasonality_;
  std::vector<double> sigma_;
};

std::unique_ptr<Driver> make(DriverSetup& s) { return std::make_unique<Baseline>(s); }
const bool registered = register_driver("baseline", &make);

}  // namespace
}  // namespace rxstress
