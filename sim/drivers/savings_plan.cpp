// savings_plan: planned efficiency schemes (best-value generics, biosimilars, formulary work).
//   National, once per path, in this order: the delivered fraction D ~ Beta and the delay (a
//   discrete law). From month start_month + delay on, practice i saves planned * B_i/12 * D * y_i,
//   with its own delivery multiplier y_i ~ Gamma(mean 1, cv). Delivery is a practice behaviour
//   (its capacity for switches and reviews), so the spread of y_i does not shrink with list size.
//   y_i may be a practice-table column (`column`), else it is drawn per practice and path
//   (`per: path`, the default) or once per practice (`per: practice`). A budget usually assumes
//   full delivery, so a shortfall shows as overspend.
// Streams: systemic draws in order: D (Beta), delay (uniform). Practice i: y_i a Gamma draw on
//   substream 0 (of path word kPracticeDrawPath with `per: practice`).
#include <limits>

#include "drivers/scaled_profile.hpp"

namespace rxstress {
namespace {

class SavingsPlan final : public Driver {
 public:
  explicit SavingsPlan(DriverSetup& s) : Driver(s.header) {
    planned_ = s.params.number("planned", Range::fraction(), "fraction of annual spend",
                               "planned saving a year");
    start_ = static_cast<int>(s.params.integer("start_month", -600, 600, "month from start",
                                               "month the plan starts before any delay", 0));
    delivery_ =
        BetaLaw(s.params.child("delivery"), "fraction of the plan", "national delivered fraction");
    delay_ = DiscreteLaw(s.params.child("delay"), "national delay of the start");
    multiplier_ = MeanOneGamma(
        s.params.number("practice_cv", Range::between(0.0, 10.0), "coefficient of variation",
                        "spread of the practice delivery multiplier (mean 1)"));
    source_ = PracticeSource(s.params, s.population, "delivery multiplier", "path",
                             std::numeric_limits<double>::infinity());
    s.params.finish();
    spend_ = source_.factor(monthly_spend(s.population));
  }

  std::vector<NationalSeries> national_series() const override {
    return {{series_name(*this, "savings_delivery"), "fraction of the plan",
             "national delivered fraction D", false},
            {series_name(*this, "savings_delay"), "months", "delay of the start", false}};
  }

  void simulate(const PathContext& ctx, DriverOutput& out) const override {
    SystemicStream national(ctx.seed, name(), ctx.path);
    const double delivery = delivery_.draw(national);
    const int delay = delay_.draw(national);
    out.national[0] = delivery;
    out.national[1] = delay;
    MonthlyProfile saving(ctx.calendar);
    for (int t = 0; t < ctx.calendar.months(); ++t)
      saving[t] = t >= start_ + delay ? -planned_ * delivery : 0.0;
    saving.close();
    add_scaled_profile(spend_, source_.multiplier(PracticeMultiplier::of(multiplier_)), *this, ctx,
                       saving, out);
  }

  // E = -planned B_i/12 E[D] P(start + delay <= t), E[y] = 1.
  void expected(const Population& pop, const Calendar& cal,
                std::span<double> monthly) const override {
    MonthlyProfile saving(cal);
    for (int t = 0; t < cal.months(); ++t)
      for (std::size_t j = 0; j < delay_.size(); ++j)
        if (t >= start_ + delay_.value(j))
          saving[t] -= delay_.prob(j) * planned_ * delivery_.mean();
    saving.fill(source_.expected(monthly_spend(pop), 1.0), monthly);
  }

 private:
  double planned_ = 0.0;
  MeanOneGamma multiplier_;  // the practice multiplier y_i
  PracticeSource source_;    // of y_i
  int start_ = 0;
  BetaLaw delivery_;
  DiscreteLaw delay_;
  std::vector<double> spend_;  // B_i / 12 (times y_i when a column gives it), padded
};

std::unique_ptr<Driver> make(DriverSetup& s) { return std::make_unique<SavingsPlan>(s); }
const bool registered = register_driver("savings_plan", &make);

}  // namespace
}  // namespace rxstress
