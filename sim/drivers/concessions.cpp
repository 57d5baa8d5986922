// concessions: price concessions (NCSO) on generic lines.
//   A two-state Markov regime (calm/crisis) sets the mean uplift u_r; log u_t = log u_r - s^2/2 +
//   a_t with a_t an AR(1) of stationary sd s, so E[u_t | regime] = u_r. Practice i pays u_t * g_i *
//   B_i/12 * x_it with x_it ~ Gamma(k_i, 1/k_i): each month's basket hits practices unevenly.
//   x_it scales like a sum over prescriptions: a practice's concession cost is the sum of its
//   patients' items on conceded lines, so its relative noise falls as 1/sqrt(list size), and with
//   `dispersion_scaling: list_size` (the default) k_i = k n_i / 10,000 (k is the shape of a
//   10,000-patient practice, CV 1/sqrt(k_i)); with `none`, k_i = k for every practice. Month 0 is
//   in the `start` regime; transitions act from month 1; a_0 ~ Normal(0, s^2).
// Streams: systemic draws in order: the start regime's uniform, a_0's normal, then for each month
//   t >= 1 a uniform (transition) and a normal (innovation). Practice i: x_it is a Gamma draw on
//   substream t.
#ifndef RXSTRESS_DRIVERS_CONCESSIONS_SHARED
#define RXSTRESS_DRIVERS_CONCESSIONS_SHARED
#include <cmath>

#include "drivers/laws.hpp"

namespace rxstress::concessions {

struct Constants {
  std::vector<double> generic;  // g_i B_i / 12 (divided by k_i when shapes vary), padded with 0
  GammaShape dispersion;        // k, when every practice has it
  GammaShapes shapes;           // k_i, when they vary with list size
  bool per_practice = false;    // use `shapes`
};

}  // namespace rxstress::concessions
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "drivers/concessions.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include "drivers/kernels-inl.h"

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {

// `rate[t]` = u_t / k of this path (u_t with per-practice shapes, whose 1/k_i is in `generic`):
// the practice pays generic_i * rate[t] * Gamma(k_i).
void concessions_kernel(const concessions::Constants& c, const RoundKeys& keys,
                        const PathContext& ctx, const double* rate, DriverOutput& out) {
#if RXSTRESS_KERNELS
  with_lanes([&](auto df) {
    using DF = decltype(df);
    const PathStreams<DF> streams = path_streams(df, keys, ctx);
    const Calendar& cal = ctx.calendar;
    for (std::size_t i = 0; i < out.stride; i += hn::Lanes(df)) {
      const auto practice = iota_from(UintTag<DF>(), i);
      const auto generic = load(df, c.generic, i);
      VecF<DF> year_sum = hn::Zero(df);
      for (int t = 0; t < cal.months(); ++t) {
        const auto month = static_cast<std::uint32_t>(t);
        const auto x = c.per_practice ? gamma_practices(df, streams, practice, month, c.shapes, i)
                                      : gamma_practices(df, streams, practice, month, c.dispersion);
        year_sum = hn::MulAdd(hn::Set(df, rate[t]), x, year_sum);
        if (!out.monthly.empty())
          add_month(df, out, t, i, hn::Mul(generic, hn::Mul(hn::Set(df, rate[t]), x)));
        if (cal.ends_year(t)) {
          store_year(df, out, cal.year_of(t), i, hn::Mul(generic, year_sum));
          year_sum = hn::Zero(df);
        }
      }
    }
  });
#else
  no_kernel(c, keys, ctx, rate, out);
#endif
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace rxstress {
HWY_EXPORT(concessions_kernel);

namespace {

class Concessions final : public Driver {
 public:
  explicit Concessions(DriverSetup& s) : Driver(s.header) {
    ParamNode uplift = s.params.child("uplift");
    uplift_calm_ = uplift.number("calm", Range::non_negative(), "fraction of generic spend",
                                 "mean monthly uplift in the calm regime");
    uplift_crisis_ = uplift.number("crisis", Range::non_negative(), "fraction of generic spend",
                                   "mean monthly uplift in the crisis regime");
    uplift.finish();
    enter_ = s.params.number("enter_crisis", Range::fraction(), "probability/month",
                             "monthly probability calm -> crisis");
    exit_ = s.params.number("exit_crisis", Range::fraction(), "probability/month",
                            "monthly probability crisis -> calm");
    const std::string start = s.params.choice("start", {"calm", "crisis", "stationary"},
                                              "regime of the first month", "calm");
    ParamNode noise = s.params.child("noise");
    noise_sd_ = noise.number("sd", Range::non_negative(), "log-scale", "sd of log uplift noise");
    phi_ = noise.number("autocorrelation", Range::between(-0.99, 0.99), "",
                        "month-to-month autocorrelation of log uplift");
    noise.finish();
    dispersion_ = s.params.number("dispersion", Range::positive(), "Gamma shape k",
                                  "practice dispersion x ~ Gamma(k_i, 1/k_i): k_i of a "
                                  "10,000-patient practice (or of every practice without scaling)");
    c_.per_practice =
        s.params.choice("dispersion_scaling", {"list_size", "none"},
                        "how the dispersion shape grows with list size: list_size, k_i = k n_i / "
                        "10,000 (noise of a sum over prescriptions); none, k_i = k",
                        "list_size") == "list_size";
    s.params.finish();
    c_.dispersion = GammaShape(dispersion_);
    std::vector<double> generic, shapes;
    for (std::size_t i = 0; i < s.population.size(); ++i) {
      generic.push_back(s.population.generic_share[i] * s.population.annual_spend[i] / 12.0);
      shapes.push_back(dispersion_ * s.population.list_size[i] / 10000.0);
      if (c_.per_practice) generic.back() /= shapes.back();
    }
    c_.generic = padded(generic);
    if (c_.per_practice) c_.shapes = GammaShapes(shapes, c_.generic.size());
    if (start == "crisis") p_crisis_start_ = 1.0;
    if (start == "stationary")
      p_crisis_start_ = enter_ + exit_ > 0.0 ? enter_ / (enter_ + exit_) : 0.0;
  }

  std::vector<NationalSeries> national_series() const override {
    return {{"concession_uplift", "fraction of generic spend", "national uplift u_t", true},
            {"concession_regime", "0 calm, 1 crisis", "concession regime", true}};
  }

  void simulate(const PathContext& ctx, DriverOutput& out) const override {
    std::vector<double> rate = national_uplift(ctx, out.national);
    if (!c_.per_practice)
      for (double& r : rate) r /= dispersion_;
    HWY_DYNAMIC_DISPATCH(concessions_kernel)
    (c_, round_keys(stream_key(ctx.seed, name())), ctx, rate.data(), out);
  }

  void expected(const Population& pop, const Calendar& cal,
                std::span<double> monthly) const override {
    double p = p_crisis_start_;
    for (int t = 0; t < cal.months(); ++t) {
      if (t > 0) p = p * (1.0 - exit_) + (1.0 - p) * enter_;
      const double mean_uplift = (1.0 - p) * uplift_calm_ + p * uplift_crisis_;
      for (std::size_t i = 0; i < pop.size(); ++i)
        monthly[i * cal.months() + t] =
            mean_uplift * pop.generic_share[i] * pop.annual_spend[i] / 12.0;
    }
  }

 private:
  // Draws the regime and uplift of every month; writes them to the national series.
  std::vector<double> national_uplift(const PathContext& ctx, std::span<double> national) const {
    const int months = ctx.calendar.months();
    SystemicStream s(ctx.seed, name(), ctx.path);
    bool crisis = s.uniform() < p_crisis_start_;
    double a = noise_sd_ * s.normal();
    const double innovation = noise_sd_ * std::sqrt(1.0 - phi_ * phi_);
    std::vector<double> u(months);
    for (int t = 0; t < months; ++t) {
      if (t > 0) {
        const double r = s.uniform();
        crisis = crisis ? r >= exit_ : r < enter_;
        a = phi_ * a + innovation * s.normal();
      }
      u[t] =
          (crisis ? uplift_crisis_ : uplift_calm_) * portable::exp(a - 0.5 * noise_sd_ * noise_sd_);
      national[t] = u[t];
      national[months + t] = crisis ? 1.0 : 0.0;
    }
    return u;
  }

  double uplift_calm_ = 0.0, uplift_crisis_ = 0.0, enter_ = 0.0, exit_ = 0.0;
  double noise_sd_ = 0.0, phi_ = 0.0, dispersion_ = 1.0, p_crisis_start_ = 0.0;
  concessions::Constants c_;
};

std::unique_ptr<Driver> make(DriverSetup& s) { return std::make_unique<Concessions>(s); }
const bool registered = register_driver("concessions", &make);

}  // namespace
}  // namespace rxstress
#endif  // HWY_ONCE
