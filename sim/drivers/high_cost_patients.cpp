// high_cost_patients: patients on very expensive medicines, practice by practice.
//   New patients arrive as Poisson(rate_per_1000 * n_i/1000 per year), in a month uniform over the
//   horizon, with an annual cost C from the severity law: `payment: monthly` pays C/12 from the
//   arrival month to the horizon (a long-term medicine), `payment: once` pays C in the arrival
//   month (a one-off episode). With monthly payment an existing cohort, Poisson with mean
//   rate * n_i/1000 * cohort_years, leaves with a monthly hazard and stops costing C/12 from the
//   month it leaves. Departures within the horizon are drawn directly: Poisson(mu q) with
//   q = 1 - (1-h)^T and the month from the geometric law truncated to the horizon.
#include <cmath>

#include "drivers/contribution.hpp"
#include "drivers/severity.hpp"

namespace rxstress {
namespace {

class HighCostPatients final : public Driver {
 public:
  explicit HighCostPatients(DriverSetup& s)
      : Driver(s.header), severity_(s.params.child("severity")) {
    rate_ = s.params.number("rate_per_1000", Range::non_negative(), "patients/1000/year",
                            "new high-cost patients per 1,000 registered patients a year");
    monthly_ = s.params.choice("payment", {"monthly", "once"}, "how a patient's cost is paid",
                               "monthly") == "monthly";
    cohort_years_ = s.params.number("cohort_years", Range::between(0.0, 100.0), "years",
                                    "existing cohort as years of arrivals (monthly payment)",
                                    monthly_ ? 3.0 : 0.0);
    hazard_ = s.params.number("leave_hazard", Range::fraction(), "probability/month",
                              "monthly probability that a cohort patient stops", 1.0 / 36.0);
    s.params.finish();
    if (!monthly_ && cohort_years_ > 0.0)
      s.params.fail("cohort_years", "a cohort is given with payment: once",
                    "cohort_years: 0 (one-off episodes have no cohort)");
    prepare_counts(s.population, s.calendar.months());
  }

  void simulate(const PathContext& ctx, DriverOutput& out) const override {
    const int months = ctx.calendar.months();
    for (std::size_t i = 0; i < ctx.population.size(); ++i) {
      Stream s = practice_stream(ctx, i);
      PracticeMonths pm(out, ctx.calendar, i);
      const std::int64_t arrivals = arrivals_[i].draw(s);
      for (std::int64_t j = 0; j < arrivals; ++j) {
        const int m = std::min(months - 1, static_cast<int>(s.uniform() * months));
        pay(ctx.calendar, pm, out.patients, i, m, severity_.draw(s), +1.0);
      }
      if (leavers_.empty()) continue;
      const std::int64_t leavers = leavers_[i].draw(s);
      for (std::int64_t j = 0; j < leavers; ++j) {
        const double m = std::floor(std::log1p(-s.uniform() * leave_q_) * per_log_stay_);
        pay(ctx.calendar, pm, nullptr, i, std::min(months - 1, static_cast<int>(m)),
            severity_.draw(s), -1.0);
      }
    }
  }

  void expected(const Population& pop, const Calendar& cal,
                std::span<double> monthly) const override {
    const int months = cal.months();
    for (std::size_t i = 0; i < pop.size(); ++i) {
      const double per_month = rate_ * pop.list_size[i] / 1000.0 / 12.0;
      for (int t = 0; t < months; ++t) {
        double e =
            monthly_ ? per_month * (t + 1) * severity_.mean() / 12.0 : per_month * severity_.mean();
        if (monthly_)
          e -= per_month * 12.0 * cohort_years_ * (1.0 - std::pow(1.0 - hazard_, t + 1)) *
               severity_.mean() / 12.0;
        monthly[i * months + t] = e;
      }
    }
  }

  const Severity& severity() const { return severity_; }

 private:
  // Pays (sign +1) or saves (sign -1) a patient's cost from month m; records arrivals' in-year
  // costs.
  void pay(const Calendar& cal, PracticeMonths& pm, std::vector<PatientCost>* patients,
           std::size_t practice, int m, double annual_cost, double sign) const {
    if (!monthly_) {
      pm.add(m, sign * annual_cost);
      if (patients)
        patients->push_back({std::uint32_t(practice), std::uint32_t(cal.year_of(m)), annual_cost});
      return;
    }
    // A long-term patient pays C/12 a month from month m: each settlement year gets C/12 times
    // its months from m on, in one step rather than month by month.
    const double per_month = annual_cost / 12.0;
    for (int y = cal.year_of(m); y < cal.years(); ++y) {
      const int from = std::max(m, cal.first_month(y));
      const int to = cal.first_month(y) + cal.months_in_year(y);
      const double in_year = per_month * (to - from);
      pm.add_year(y, sign * in_year);
      if (patients) patients->push_back({std::uint32_t(practice), std::uint32_t(y), in_year});
    }
    if (pm.keeps_months())
      for (int t = m; t < cal.months(); ++t) pm.add_month_only(t, sign * per_month);
  }

  // The Poisson laws of each practice's arrivals and (with a cohort) leavers within the horizon,
  // prepared once: their e^-mean would otherwise cost an exp per practice and path.
  void prepare_counts(const Population& pop, int months) {
    leave_q_ = hazard_ > 0.0 ? 1.0 - std::pow(1.0 - hazard_, months) : 0.0;
    per_log_stay_ = hazard_ > 0.0 ? 1.0 / std::log1p(-hazard_) : 0.0;
    for (double n : pop.list_size) {
      const double per_year = rate_ * n / 1000.0;
      arrivals_.emplace_back(per_year * months / 12.0);
      if (monthly_ && leave_q_ > 0.0) leavers_.emplace_back(per_year * cohort_years_ * leave_q_);
    }
  }

  Severity severity_;
  double rate_ = 0.0, cohort_years_ = 0.0, hazard_ = 0.0;
  double leave_q_ = 0.0, per_log_stay_ = 0.0;   // P(a cohort patient leaves in the horizon)
  std::vector<PoissonLaw> arrivals_, leavers_;  // per practice; leavers_ empty without a cohort
  bool monthly_ = true;
};

std::unique_ptr<Driver> make(DriverSetup& s) { return std::make_unique<HighCostPatients>(s); }
const bool registered = register_driver("high_cost_patients", &make);

}  // namespace
}  // namespace rxstress
