// new_medicines: the uptake of a new medicine in primary care (e.g. a NICE technology appraisal).
//   National, once per path: launch month L ~ a discrete law, peak uptake ~ Beta. Uptake follows a
//   logistic curve from launch, uptake_t = peak / (1 + exp(-(t - L - half_peak) / scale)) for
//   t >= L and 0 before (no renormalisation at launch, as the reference implementation). Each
//   practice adopts with its own multiplier y_i ~ Gamma(mean 1, cv), constant over the horizon
//   (the "postcode lottery" of implementation). Practice i pays
//   n_i * prevalence * uptake_t * y_i * cost_per_patient_month. Adoption is a practice behaviour
//   (its prescribers' habits), not a sum of independent patients, so the spread of y_i does not
//   shrink with list size. y_i may be a practice-table column (`column`: adoption of the class so
//   far), else it is drawn per practice and path (`per: path`, the default: future adoption is
//   uncertain) or once per practice (`per: practice`).
// Streams: systemic draws in order: L (uniform), peak (Beta). Practice i: y_i a Gamma draw on
//   substream 0 (of path word kPracticeDrawPath with `per: practice`).
#include <limits>

#include "drivers/scaled_profile.hpp"

namespace rxstress {
namespace {

class NewMedicines final : public Driver {
 public:
  explicit NewMedicines(DriverSetup& s) : Driver(s.header) {
    prevalence_ = s.params.number("prevalence", Range::fraction(), "fraction of list",
                                  "registered patients eligible for the medicine");
    cost_ = s.params.number("cost_per_patient_month", Range::non_negative(), "GBP/patient/month",
                            "cost of one treated patient a month");
    launch_ = DiscreteLaw(s.params.child("launch_month"), "launch month (from start)");
    peak_ = BetaLaw(s.params.child("peak_uptake"), "fraction of eligible patients",
                    "national peak uptake");
    half_peak_ = s.params.number("half_peak_months", Range::between(0.0, 600.0), "months",
                                 "months from launch to half the peak uptake");
    scale_ = s.params.number("scale_months", Range::positive(), "months",
                             "logistic scale of the uptake curve");
    multiplier_ = MeanOneGamma(
        s.params.number("practice_cv", Range::between(0.0, 10.0), "coefficient of variation",
                        "spread of the practice adoption multiplier (mean 1)"));
    source_ = PracticeSource(s.params, s.population, "adoption multiplier", "path",
                             std::numeric_limits<double>::infinity());
    s.params.finish();
    factor_ = source_.factor(treated_cost(s.population));
  }

  std::vector<NationalSeries> national_series() const override {
    return {
        {series_name(*this, "new_medicines_launch"), "month from start", "launch month L", false},
        {series_name(*this, "new_medicines_peak"), "fraction of eligible patients",
         "national peak uptake", false}};
  }

  void simulate(const PathContext& ctx, DriverOutput& out) const override {
    SystemicStream national(ctx.seed, name(), ctx.path);
    const int launch = launch_.draw(national);
    const double peak = peak_.draw(national);
    out.national[0] = launch;
    out.national[1] = peak;
    MonthlyProfile uptake(ctx.calendar);
    for (int t = 0; t < ctx.calendar.months(); ++t) uptake[t] = peak * curve(t, launch);
    uptake.close();
    add_scaled_profile(factor_, source_.multiplier(PracticeMultiplier::of(multiplier_)), *this, ctx,
                       uptake, out);
  }

  // E = n_i prevalence cost E[peak] sum_L P(L) curve(t, L), since peak, L and y are independent
  // and E[y] = 1.
  void expected(const Population& pop, const Calendar& cal,
                std::span<double> monthly) const override {
    MonthlyProfile uptake(cal);
    for (int t = 0; t < cal.months(); ++t)
      for (std::size_t j = 0; j < launch_.size(); ++j)
        uptake[t] += launch_.prob(j) * peak_.mean() * curve(t, launch_.value(j));
    uptake.fill(source_.expected(treated_cost(pop), 1.0), monthly);
  }

 private:
  // Uptake as a fraction of the peak in month t for a launch in month `launch`.
  double curve(int t, int launch) const {
    if (t < launch) return 0.0;
    return 1.0 / (1.0 + portable::exp(-(t - launch - half_peak_) / scale_));
  }

  // n_i * prevalence * cost: the monthly cost if every eligible patient were treated.
  std::vector<double> treated_cost(const Population& pop) const {
    std::vector<double> factor;
    for (double n : pop.list_size) factor.push_back(n * prevalence_ * cost_);
    return factor;
  }

  double prevalence_ = 0.0, cost_ = 0.0, half_peak_ = 0.0, scale_ = 1.0;
  MeanOneGamma multiplier_;  // the practice multiplier y_i
  PracticeSource source_;    // of y_i
  DiscreteLaw launch_;
  BetaLaw peak_;
  std::vector<double> factor_;  // treated_cost (times y_i when a column gives it), padded
};

std::unique_ptr<Driver> make(DriverSetup& s) { return std::make_unique<NewMedicines>(s); }
const bool registered = register_driver("new_medicines", &make);

}  // namespace
}  // namespace rxstress
