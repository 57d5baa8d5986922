// baseline: the practice's underlying spend with national growth, seasonality and its own noise.
//   spend_it = B_i/12 * s[month] * (1 + G)^((t + 0.5)/12) * exp(sigma_i eps_it - sigma_i^2/2)
//   G ~ Normal(mean, sd) once per path; eps an AR(1) with unit variance; sigma_i = sd_at_10k *
//   sqrt(10000 / n_i), so that smaller practices are noisier.
// Streams: systemic draw 0 is G. Practice i: substream 0, block b gives the normals of months
//   4b .. 4b+3 (two Box-Muller pairs, words (0, 1) and (2, 3)).
#ifndef RXSTRESS_DRIVERS_BASELINE_SHARED
#define RXSTRESS_DRIVERS_BASELINE_SHARED
#include <cmath>
#include <numeric>

#include "drivers/contribution.hpp"

namespace rxstress::baseline {

struct Constants {
  std::vector<double> sigma;           // sigma_i, padded with 0
  std::vector<double> scale;           // B_i/12 exp(-sigma_i^2/2), padded with 0
  double rho = 0.0, innovation = 0.0;  // AR(1): eps_t = rho eps_{t-1} + innovation z_t
};

}  // namespace rxstress::baseline
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "drivers/baseline.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include "drivers/kernels-inl.h"

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {

// `trend[t]` = s[month] (1 + G)^((t + 0.5)/12) of this path.
void baseline_kernel(const baseline::Constants& c, const RoundKeys& keys, const PathContext& ctx,
                     const double* trend, DriverOutput& out) {
#if RXSTRESS_KERNELS
  with_lanes([&](auto df) {
    using DF = decltype(df);
    const PathStreams<DF> streams = path_streams(df, keys, ctx);
    const Calendar& cal = ctx.calendar;
    const auto rho = hn::Set(df, c.rho), innovation = hn::Set(df, c.innovation);
    for (std::size_t i = 0; i < out.stride; i += hn::Lanes(df)) {
      const auto practice = iota_from(UintTag<DF>(), i);
      const auto sigma = load(df, c.sigma, i), scale = load(df, c.scale, i);
      VecF<DF> z[4], eps = hn::Zero(df), year_sum = hn::Zero(df);
      for (int t = 0; t < cal.months(); ++t) {
        if (t % 4 == 0) {
          const Bits<DF> b = streams.block(practice, 0, static_cast<std::uint32_t>(t / 4));
          normal_pair(df, b.x0, b.x1, z[0], z[1]);
          normal_pair(df, b.x2, b.x3, z[2], z[3]);
        }
        eps = t == 0 ? z[0] : hn::MulAdd(rho, eps, hn::Mul(innovation, z[t % 4]));
        const auto noise = vexp(df, hn::Mul(sigma, eps));
        year_sum = hn::MulAdd(hn::Set(df, trend[t]), noise, year_sum);
        if (!out.monthly.empty())
          add_month(df, out, t, i, hn::Mul(scale, hn::Mul(hn::Set(df, trend[t]), noise)));
        if (cal.ends_year(t)) {
          store_year(df, out, cal.year_of(t), i, hn::Mul(scale, year_sum));
          year_sum = hn::Zero(df);
        }
      }
    }
  });
#else
  no_kernel(c, keys, ctx, trend, out);
#endif
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace rxstress {
HWY_EXPORT(baseline_kernel);

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
    c_.rho = noise.number("autocorrelation", Range::between(-0.99, 0.99), "",
                          "month-to-month autocorrelation of the noise");
    noise.finish();
    s.params.finish();
    c_.innovation = std::sqrt(1.0 - c_.rho * c_.rho);
    std::vector<double> sigma, scale;
    for (std::size_t i = 0; i < s.population.size(); ++i) {
      sigma.push_back(sd_at_10k_ * std::sqrt(1e4 / s.population.list_size[i]));
      scale.push_back(s.population.annual_spend[i] / 12.0 *
                      portable::exp(-0.5 * sigma.back() * sigma.back()));
    }
    c_.sigma = padded(sigma);
    c_.scale = padded(scale);
  }

  std::vector<NationalSeries> national_series() const override {
    return {{"growth", "fraction/year", "national growth G of this path", false}};
  }

  void simulate(const PathContext& ctx, DriverOutput& out) const override {
    const Calendar& cal = ctx.calendar;
    SystemicStream national(ctx.seed, name(), ctx.path);
    const double g = growth_mean_ + growth_sd_ * national.normal();
    out.national[0] = g;
    std::vector<double> trend(cal.months());
    const double log_growth = portable::log1p(g);
    for (int t = 0; t < cal.months(); ++t)
      trend[t] = seasonality_[cal.month_of_fy(t)] * portable::exp((t + 0.5) / 12.0 * log_growth);
    HWY_DYNAMIC_DISPATCH(baseline_kernel)
    (c_, round_keys(stream_key(ctx.seed, name())), ctx, trend.data(), out);
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
  double growth_mean_ = 0.0, growth_sd_ = 0.0, sd_at_10k_ = 0.0;
  std::vector<double> seasonality_;
  baseline::Constants c_;
};

std::unique_ptr<Driver> make(DriverSetup& s) { return std::make_unique<Baseline>(s); }
const bool registered = register_driver("baseline", &make);

}  // namespace
}  // namespace rxstress
#endif  // HWY_ONCE
