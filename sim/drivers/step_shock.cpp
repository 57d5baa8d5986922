// step_shock: a policy or pricing change (e.g. a renegotiated branded-medicines pricing scheme).
//   National, once per path, in this order: it occurs with probability p (one uniform), in a month
//   from a discrete law, with a magnitude M ~ Normal as a fraction of a spend segment (M may be
//   negative: a saving). From that month on, practice i pays occurs * M * segment_share * B_i/12.
//   The month and magnitude are drawn whether or not the shock occurs, so that the draws of a path
//   do not depend on p.
// Streams: systemic draws in order: occurs (uniform), month (uniform), magnitude (normal). No
//   practice draws.
#include "drivers/scaled_profile.hpp"

namespace rxstress {
namespace {

class StepShock final : public Driver {
 public:
  explicit StepShock(DriverSetup& s) : Driver(s.header) {
    probability_ = s.params.number("probability", Range::fraction(), "probability",
                                   "chance that the shock happens within the scenario");
    month_ = DiscreteLaw(s.params.child("month"), "month of the shock (from start)");
    magnitude_ = NormalLaw(s.params.child("magnitude"), "fraction of the segment",
                           "change in the segment's spend");
    segment_ = s.params.number("segment_share", Range::fraction(), "fraction of spend",
                               "share of spend the shock applies to");
    s.params.finish();
    spend_ = padded(monthly_spend(s.population));
  }

  std::vector<NationalSeries> national_series() const override {
    return {{series_name(*this, "step_shock_size"), "fraction of the segment",
             "occurs * M: the change in the segment's spend (0 if no shock)", false},
            {series_name(*this, "step_shock_month"), "month from start",
             "month drawn for the shock (also when it does not occur)", false}};
  }

  void simulate(const PathContext& ctx, DriverOutput& out) const override {
    SystemicStream national(ctx.seed, name(), ctx.path);
    const bool occurs = national.uniform() < probability_;
    const int month = month_.draw(national);
    const double magnitude = magnitude_.draw(national);
    const double size = occurs ? magnitude : 0.0;
    out.national[0] = size;
    out.national[1] = month;
    if (size == 0.0) return;
    MonthlyProfile step(ctx.calendar);
    for (int t = 0; t < ctx.calendar.months(); ++t) step[t] = t >= month ? size * segment_ : 0.0;
    step.close();
    if (!step.zero()) add_scaled_profile(spend_, PracticeMultiplier::one(), *this, ctx, step, out);
  }

  // E = B_i/12 p E[M] segment P(month <= t).
  void expected(const Population& pop, const Calendar& cal,
                std::span<double> monthly) const override {
    MonthlyProfile step(cal);
    for (int t = 0; t < cal.months(); ++t)
      for (std::size_t j = 0; j < month_.size(); ++j)
        if (t >= month_.value(j))
          step[t] += month_.prob(j) * probability_ * magnitude_.mean() * segment_;
    step.fill(monthly_spend(pop), monthly);
  }

 private:
  double probability_ = 0.0, segment_ = 0.0;
  DiscreteLaw month_;
  NormalLaw magnitude_;
  std::vector<double> spend_;  // B_i / 12, padded
};

std::unique_ptr<Driver> make(DriverSetup& s) { return std::make_unique<StepShock>(s); }
const bool registered = register_driver("step_shock", &make);

}  // namespace
}  // namespace rxstress
