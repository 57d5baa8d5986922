// patent_expiry: a molecule loses exclusivity and its price falls (a saving, so negative).
//   National, once per path: expiry month E = planned_month + delay (delay ~ a discrete law) and
//   price fall depth ~ Beta. The fall ramps in linearly over ramp_months: fraction_t =
//   min(1, (t - E + 1) / ramp) for t >= E, else 0 (1/ramp in the expiry month itself). Each
//   practice spends share_i of its budget on the molecule and saves share_i * depth * fraction_t *
//   B_i/12. share_i is known from the practice's prescribing history: a practice-table column
//   (`column`), else drawn from the Beta law once per practice (`per: practice`, the default: an
//   unknown but fixed share, which no pooling of paths should count as risk) or on every path
//   (`per: path`, the engine-v2 behaviour). It is a practice's prescribing mix, not a sum of
//   independent patients, so its spread does not shrink with list size.
// Streams: systemic draws in order: delay (uniform), depth (Beta). Practice i: share_i = X/(X+Y),
//   X a Gamma draw on substream 0, Y on substream 1 (of path word kPracticeDrawPath with
//   `per: practice`).
#include <algorithm>

#include "drivers/scaled_profile.hpp"

namespace rxstress {
namespace {

class PatentExpiry final : public Driver {
 public:
  explicit PatentExpiry(DriverSetup& s) : Driver(s.header) {
    share_ = BetaLaw(s.params.child("share"), "fraction of spend",
                     "practice share of spend on the molecule");
    planned_ = static_cast<int>(s.params.integer("planned_month", -600, 600, "month from start",
                                                 "planned month of loss of exclusivity"));
    delay_ = DiscreteLaw(s.params.child("delay"), "delay of expiry after the planned month");
    depth_ = BetaLaw(s.params.child("depth"), "fraction of price", "price fall at full effect");
    ramp_ = static_cast<int>(s.params.integer("ramp_months", 1, 600, "months",
                                              "months for the price fall to take full effect"));
    source_ =
        PracticeSource(s.params, s.population, "share of spend on the molecule", "practice", 1.0);
    s.params.finish();
    spend_ = source_.factor(monthly_spend(s.population));
  }

  std::vector<NationalSeries> national_series() const override {
    return {
        {series_name(*this, "patent_expiry_month"), "month from start", "expiry month E", false},
        {series_name(*this, "patent_expiry_depth"), "fraction of price", "price fall depth",
         false}};
  }

  void simulate(const PathContext& ctx, DriverOutput& out) const override {
    SystemicStream national(ctx.seed, name(), ctx.path);
    const int expiry = planned_ + delay_.draw(national);
    const double depth = depth_.draw(national);
    out.national[0] = expiry;
    out.national[1] = depth;
    MonthlyProfile saving(ctx.calendar);
    for (int t = 0; t < ctx.calendar.months(); ++t) saving[t] = -depth * fraction(t, expiry);
    saving.close();
    add_scaled_profile(spend_, source_.multiplier(PracticeMultiplier::of(share_)), *this, ctx,
                       saving, out);
  }

  // E = -B_i/12 E[share] E[depth] sum_d P(d) fraction(t, planned + d): share, depth and the delay
  // are independent (share_i is the column's value when given).
  void expected(const Population& pop, const Calendar& cal,
                std::span<double> monthly) const override {
    MonthlyProfile saving(cal);
    for (int t = 0; t < cal.months(); ++t)
      for (std::size_t j = 0; j < delay_.size(); ++j)
        saving[t] -= delay_.prob(j) * depth_.mean() * fraction(t, planned_ + delay_.value(j));
    saving.fill(source_.expected(monthly_spend(pop), share_.mean()), monthly);
  }

 private:
  // Fraction of the full price fall reached in month t for expiry in month `expiry`.
  double fraction(int t, int expiry) const {
    if (t < expiry) return 0.0;
    return std::min(1.0, static_cast<double>(t - expiry + 1) / ramp_);
  }

  BetaLaw share_, depth_;
  DiscreteLaw delay_;
  int planned_ = 0, ramp_ = 1;
  PracticeSource source_;      // of share_i
  std::vector<double> spend_;  // B_i / 12 (times share_i when a column gives it), padded
};

std::unique_ptr<Driver> make(DriverSetup& s) { return std::make_unique<PatentExpiry>(s); }
const bool registered = register_driver("patent_expiry", &make);

}  // namespace
}  // namespace rxstress
