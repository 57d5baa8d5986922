// high_cost_patients: patients on very expensive medicines, practice by practice.
//   New patients arrive as Poisson(rate_per_1000 * n_i/1000 per year), in a month uniform over the
//   horizon, with an annual cost C from the severity law: `payment: monthly` pays C/12 from the
//   arrival month to the horizon (a long-term medicine), `payment: once` pays C in the arrival
//   month (a one-off episode). With monthly payment an existing cohort, Poisson with mean
//   rate * n_i/1000 * cohort_years, leaves with a monthly hazard and stops costing C/12 from the
//   month it leaves. Departures within the horizon are drawn directly: Poisson(mu q) with
//   q = 1 - (1-h)^T and the month from the geometric law truncated to the horizon.
// Streams (practice i, this path): substream 0, block 0: the arrivals count (52-bit uniform from
//   words 0, 1) and the leavers count (words 2, 3). Events come in pairs: pair j of kind k (1
//   arrivals, 2 leavers) is block j of substream k: words 0 and 3 place events 2j and 2j+1 in
//   their months, words 1 and 2 are a Box-Muller pair for lognormal costs. Pareto and gamma costs
//   of event s (0, 1) of the pair draw from substream k | (1 + s) << 2 | attempt << 4, block j.
// The engine works on a flat list of pairs (units), not per vector of practices, so that no lane
// idles while a neighbour has more patients; units are added back to their practices in order.
#ifndef RXSTRESS_DRIVERS_HIGH_COST_PATIENTS_SHARED
#define RXSTRESS_DRIVERS_HIGH_COST_PATIENTS_SHARED
#include <algorithm>
#include <cmath>

#include "drivers/laws.hpp"
#include "drivers/severity.hpp"

namespace rxstress::high_cost_patients {

struct Constants {
  PoissonTable arrivals, leavers;  // counts within the horizon; leavers empty without a cohort
  bool monthly = true;             // payment: monthly (else once)
  double leave_q = 0.0;            // P(a cohort patient leaves within the horizon)
  double per_log_stay = 0.0;       // 1 / log(1 - hazard)
  SeverityLaw severity;
};

// One path's pairs of events of one kind, and what each adds to its practice.
struct Units {
  std::vector<std::uint64_t> id;  // practice << 32 | second event present << 31 | pair index
  std::vector<double> value;      // [y * capacity + u]: in-year cost of the pair, GBP
  std::vector<double> carve;      // [(k * years + y) * capacity + u]: above threshold k
  std::vector<double> events;     // trajectory paths: [4u ..]: month and cost of both events
  std::size_t count = 0, capacity = 0;
};

}  // namespace rxstress::high_cost_patients
#endif

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "drivers/high_cost_patients.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include "drivers/kernels-inl.h"
#include "simd/poisson-inl.h"
#include "simd/severity-inl.h"

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {
namespace hcp {
#if RXSTRESS_KERNELS

using high_cost_patients::Constants;
using high_cost_patients::Units;

// Arrivals and leavers of every practice within the horizon.
template <class DF>
void draw_counts(DF df, const Constants& c, const PathStreams<DF>& streams, std::size_t stride,
                 double* arrivals, double* leavers) {
  for (std::size_t i = 0; i < stride; i += hn::Lanes(df)) {
    const Bits<DF> b = streams.block(iota_from(UintTag<DF>(), i), 0, 0);
    hn::StoreU(poisson_draw(df, c.arrivals, i, uniform52(df, b.x0, b.x1)), df, arrivals + i);
    if (!c.leavers.mean.empty())
      hn::StoreU(poisson_draw(df, c.leavers, i, uniform52(df, b.x2, b.x3)), df, leavers + i);
  }
}

// Lists the pairs of events of `count` per practice, in practice and pair order; the list is
// padded with copies of unit 0 to whole vectors (their results are never read). A practice's
// pairs (rarely more than kRun) are written as one run of kRun ids and the pointer moves on by
// their number, so the count, which varies from practice to practice, costs no branch.
void list_units(const double* count, std::size_t practices, Units& u) {
  constexpr std::uint64_t kRun = 8;
  std::size_t total = 0;
  for (std::size_t i = 0; i < practices; ++i) total += (static_cast<std::size_t>(count[i]) + 1) / 2;
  u.count = total;
  u.capacity = padded_size(total);
  u.id.resize(u.capacity + kRun);  // room for the last run
  const hn::ScalableTag<std::uint64_t> du;
  const auto second_bit = hn::Set(du, 1ull << 31);
  std::uint64_t* id = u.id.data();
  for (std::size_t i = 0; i < practices; ++i) {
    const auto n = static_cast<std::uint64_t>(count[i]);
    const std::uint64_t pairs = (n + 1) / 2;
    if (pairs > kRun) {
      for (std::uint64_t j = 0; j < pairs; ++j)
        *id++ = std::uint64_t{i} << 32 | (2 * j + 1 < n ? 1ull << 31 : 0) | j;
      continue;
    }
    const auto practice = hn::Set(du, std::uint64_t{i} << 32), events = hn::Set(du, n);
    for (std::size_t j = 0; j < kRun; j += hn::Lanes(du)) {
      const auto pair = iota_from(du, j);
      const auto has_second = hn::Lt(hn::Add(hn::Add(pair, pair), hn::Set(du, 1)), events);
      const auto second = hn::IfThenElseZero(has_second, second_bit);
      hn::StoreU(hn::Or(hn::Or(practice, second), pair), du, id + j);
    }
    id += pairs;
  }
  std::fill(id, u.id.data() + u.capacity, 0);
}

// The annual cost of event s (0, 1) of each lane's pair; `normal` is its Box-Muller normal (used by
// lognormal costs; the other laws draw from the event's own substream).
template <class DF>
HWY_INLINE VecF<DF> event_cost(DF df, const Constants& c, const RoundKeys& keys, VecU<DF> practice,
                               VecU<DF> path, VecU<DF> pair, std::uint32_t kind, int s,
                               VecF<DF> normal) {
  const UintTag<DF> du;
  return severity_cost(df, c.severity, normal, [&](std::uint32_t attempt) {
    const std::uint32_t sub = kind | static_cast<std::uint32_t>(1 + s) << 2 | attempt << 4;
    return philox(df, practice, path, hn::Set(du, sub), pair, keys);
  });
}

// Month of an event from its 32-bit word: uniform on the horizon for arrivals, the truncated
// geometric law of a departure (inversion: floor(log(1 - u q) / log(1 - h)); 1 - u q >= 1 - q is
// far from 0, so log, not log1p, keeps its digits) for leavers.
template <class DF>
HWY_INLINE VecF<DF> event_month(DF df, const Constants& c, int months, bool leaving,
                                VecU<DF> word) {
  const auto u = uniform32(df, word);
  const auto last = hn::Set(df, months - 1.0);
  if (!leaving) return hn::Min(hn::Floor(hn::Mul(u, hn::Set(df, months))), last);
  const auto m =
      hn::Floor(hn::Mul(vlog(df, hn::NegMulAdd(hn::Set(df, c.leave_q), u, hn::Set(df, 1.0))),
                        hn::Set(df, c.per_log_stay)));
  return hn::Min(hn::Max(m, hn::Zero(df)), last);
}

// What an event costs in settlement year y: C/12 for each of its paid months in the year
// (monthly payment), or C in its month's year (once).
template <class DF>
HWY_INLINE VecF<DF> in_year(DF df, const Constants& c, const Calendar& cal, int y, VecF<DF> month,
                            VecF<DF> cost) {
  const auto first = hn::Set(df, cal.first_month(y));
  const auto end = hn::Set(df, cal.first_month(y) + cal.months_in_year(y));
  if (!c.monthly)
    return hn::IfThenElseZero(hn::And(hn::Ge(month, first), hn::Lt(month, end)), cost);
  const auto paid = hn::Max(hn::Sub(end, hn::Max(month, first)), hn::Zero(df));
  return hn::Mul(hn::Mul(cost, hn::Set(df, 1.0 / 12.0)), paid);
}

template <class DF>
void price_units(DF df, const Constants& c, const RoundKeys& keys, const PathContext& ctx,
                 std::uint32_t kind, const DriverOutput& out, Units& u) {
  const UintTag<DF> du;
  const Calendar& cal = ctx.calendar;
  const int Y = cal.years();
  const std::size_t K = out.carve_thresholds.size();
  const bool keep_events = !out.monthly.empty();
  u.value.resize(Y * u.capacity);
  u.carve.resize(kind == 1 ? K * Y * u.capacity : 0);
  u.events.resize(keep_events ? 4 * u.capacity : 0);
  const auto path = hn::Set(du, static_cast<std::uint32_t>(ctx.path));
  const auto sign = hn::Set(df, kind == 1 ? 1.0 : -1.0);
  for (std::size_t k = 0; k < u.capacity; k += hn::Lanes(df)) {
    const auto id = hn::LoadU(du, u.id.data() + k);
    const auto practice = hn::ShiftRight<32>(id);
    const auto pair = hn::And(id, hn::Set(du, 0x7FFFFFFFull));
    const auto second =
        hn::RebindMask(df, hn::Ne(hn::And(id, hn::Set(du, 1ull << 31)), hn::Zero(du)));
    const Bits<DF> b = philox(df, practice, path, hn::Set(du, kind), pair, keys);
    VecF<DF> z0 = hn::Zero(df), z1 = hn::Zero(df);
    if (c.severity.kind == SeverityLaw::Kind::lognormal) normal_pair(df, b.x1, b.x2, z0, z1);
    const auto m0 = event_month(df, c, cal.months(), kind == 2, b.x0);
    const auto m1 = event_month(df, c, cal.months(), kind == 2, b.x3);
    const auto c0 = event_cost(df, c, keys, practice, path, pair, kind, 0, z0);
    const auto c1 =
        hn::IfThenElseZero(second, event_cost(df, c, keys, practice, path, pair, kind, 1, z1));
    for (int y = 0; y < Y; ++y) {
      const auto v0 = in_year(df, c, cal, y, m0, c0), v1 = in_year(df, c, cal, y, m1, c1);
      hn::StoreU(hn::Mul(sign, hn::Add(v0, v1)), df, u.value.data() + y * u.capacity + k);
      for (std::size_t t = 0; kind == 1 && t < K; ++t) {
        const auto threshold = hn::Set(df, out.carve_thresholds[t]);
        const auto above = hn::Add(hn::Max(hn::Sub(v0, threshold), hn::Zero(df)),
                                   hn::Max(hn::Sub(v1, threshold), hn::Zero(df)));
        hn::StoreU(above, df, u.carve.data() + (t * Y + y) * u.capacity + k);
      }
    }
    if (!keep_events) continue;
    const std::size_t n = hn::Lanes(df);
    HWY_ALIGN double lanes[4][hn::MaxLanes(df)];
    hn::StoreU(m0, df, lanes[0]), hn::StoreU(hn::Mul(sign, c0), df, lanes[1]);
    hn::StoreU(m1, df, lanes[2]), hn::StoreU(hn::Mul(sign, c1), df, lanes[3]);
    for (std::size_t l = 0; l < n; ++l)
      for (int w = 0; w < 4; ++w) u.events[4 * (k + l) + w] = lanes[w][l];
  }
}

// Adds one column of the units' values to their practices' entries of `target`, in unit order.
void add_column(const Units& u, const double* value, double* target) {
  for (std::size_t k = 0; k < u.count; ++k) target[u.id[k] >> 32] += value[k];
}

// Adds each unit to its practice, in unit order (so sums do not depend on the vector width). One
// column at a time: each entry still receives its units in order, and the loops have no branches.
void add_units(const Constants& c, const Calendar& cal, std::uint32_t kind, const Units& u,
               DriverOutput& out) {
  const std::size_t Y = cal.years(), K = kind == 1 ? out.carve_thresholds.size() : 0;
  const std::size_t stride = out.stride;
  for (std::size_t y = 0; y < Y; ++y)
    add_column(u, u.value.data() + y * u.capacity, out.annual.data() + y * stride);
  for (std::size_t col = 0; col < K * Y; ++col)  // col = t * Y + y
    add_column(u, u.carve.data() + col * u.capacity, out.carve.data() + col * stride);
  if (out.monthly.empty()) return;
  for (std::size_t k = 0; k < u.count; ++k) {
    const std::size_t i = u.id[k] >> 32;
    for (int e = 0; e < 2; ++e) {
      const int m = static_cast<int>(u.events[4 * k + 2 * e]);
      const double cost = u.events[4 * k + 2 * e + 1];
      if (!c.monthly) {
        out.monthly[m * stride + i] += cost;
        continue;
      }
      for (int t = m; t < cal.months(); ++t) out.monthly[t * stride + i] += cost / 12.0;
    }
  }
}

#endif  // RXSTRESS_KERNELS
}  // namespace hcp

void hcp_kernel(const high_cost_patients::Constants& c, const RoundKeys& keys,
                const PathContext& ctx, DriverOutput& out) {
#if RXSTRESS_KERNELS
  thread_local std::vector<double> arrivals, leavers;
  thread_local high_cost_patients::Units units;
  arrivals.assign(out.stride, 0.0);
  leavers.assign(out.stride, 0.0);
  std::fill(out.annual.begin(), out.annual.end(), 0.0);  // patients are added to it
  with_lanes([&](auto df) {
    hcp::draw_counts(df, c, path_streams(df, keys, ctx), out.stride, arrivals.data(),
                     leavers.data());
    for (std::uint32_t kind : {1u, 2u}) {
      if (kind == 2 && c.leavers.mean.empty()) break;
      hcp::list_units(kind == 1 ? arrivals.data() : leavers.data(), ctx.population.size(), units);
      hcp::price_units(df, c, keys, ctx, kind, out, units);
      hcp::add_units(c, ctx.calendar, kind, units, out);
    }
  });
#else
  no_kernel(c, keys, ctx, out);
#endif
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <fmt/format.h>

namespace rxstress {
HWY_EXPORT(hcp_kernel);

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
    prepare(s.params, s.population, s.calendar.months());
  }

  void simulate(const PathContext& ctx, DriverOutput& out) const override {
    HWY_DYNAMIC_DISPATCH(hcp_kernel)(c_, round_keys(stream_key(ctx.seed, name())), ctx, out);
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

 private:
  // The per-practice Poisson laws of arrivals and (with a cohort) leavers within the horizon, and
  // the severity law's constants, prepared once.
  void prepare(const ParamNode& params, const Population& pop, int months) {
    c_.monthly = monthly_;
    c_.leave_q = hazard_ > 0.0 ? 1.0 - portable::pow(1.0 - hazard_, months) : 0.0;
    c_.per_log_stay = hazard_ > 0.0 ? 1.0 / portable::log1p(-hazard_) : 0.0;
    std::vector<double> arrivals, leavers;
    for (double n : pop.list_size) {
      const double per_year = rate_ * n / 1000.0;
      arrivals.push_back(per_year * months / 12.0);
      leavers.push_back(per_year * cohort_years_ * c_.leave_q);
    }
    const std::size_t stride = padded_size(pop.size());
    check_counts(params, pop, arrivals, leavers);
    c_.arrivals = PoissonTable(arrivals, stride);
    if (monthly_ && c_.leave_q > 0.0 && cohort_years_ > 0.0)
      c_.leavers = PoissonTable(leavers, stride);
    c_.severity = severity_.prepared();
  }

  // Bad input, located at rate_per_1000, when a practice's expected events within the horizon
  // pass what the Poisson sampler draws, or all practices' pass kMaxEventsPerPath: each path
  // lists its events (about 200 bytes a pair on each thread), so the list must fit in memory.
  static void check_counts(const ParamNode& params, const Population& pop,
                           std::span<const double> arrivals, std::span<const double> leavers) {
    constexpr const char* kFewer =
        "a rate that gives fewer (the example scenario: 0.5 per 1,000 a year)";
    double total = 0.0;
    for (std::size_t i = 0; i < pop.size(); ++i) {
      const double most = std::max(arrivals[i], leavers[i]);
      if (!(most <= kMaxPoissonMean))
        params.fail("rate_per_1000",
                    fmt::format("practice {} ({:g} patients) expects {:g} high-cost patients "
                                "within the horizon; the sampler draws at most {:g} per practice",
                                pop.id[i], pop.list_size[i], most, kMaxPoissonMean),
                    kFewer);
      total += arrivals[i] + leavers[i];
    }
    if (!(total <= kMaxEventsPerPath))
      params.fail("rate_per_1000",
                  fmt::format("the practices expect {:g} high-cost patients within the horizon "
                              "on every path; at most {:g} are kept in memory",
                              total, kMaxEventsPerPath),
                  kFewer);
  }

  static constexpr double kMaxEventsPerPath = 1e7;

  Severity severity_;
  double rate_ = 0.0, cohort_years_ = 0.0, hazard_ = 0.0;
  bool monthly_ = true;
  high_cost_patients::Constants c_;
};

std::unique_ptr<Driver> make(DriverSetup& s) { return std::make_unique<HighCostPatients>(s); }
const bool registered = register_driver("high_cost_patients", &make);

}  // namespace
}  // namespace rxstress
#endif  // HWY_ONCE
