// The vector kernel of add_scaled_profile (drivers/scaled_profile.hpp), once per SIMD target.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "drivers/scaled_profile.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include "drivers/kernels-inl.h"
#include "drivers/scaled_profile.hpp"

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {

void scaled_profile_kernel(const std::vector<double>& factor, const PracticeMultiplier& y,
                           const RoundKeys& keys, const PathContext& ctx,
                           const MonthlyProfile& profile, DriverOutput& out) {
#if RXSTRESS_KERNELS
  with_lanes([&](auto df) {
    using DF = decltype(df);
    const auto path = y.per_practice ? kPracticeDrawPath : static_cast<std::uint32_t>(ctx.path);
    const PathStreams<DF> streams{keys, hn::Set(UintTag<DF>(), path)};
    for (std::size_t i = 0; i < out.stride; i += hn::Lanes(df)) {
      const auto practice = iota_from(UintTag<DF>(), i);
      VecF<DF> f = load(df, factor, i);
      if (y.kind == PracticeMultiplier::Kind::gamma) {
        f = hn::Mul(f,
                    hn::Mul(gamma_practices(df, streams, practice, 0, y.a), hn::Set(df, y.scale)));
      } else if (y.kind == PracticeMultiplier::Kind::beta) {
        const auto x = gamma_practices(df, streams, practice, 0, y.a);
        const auto w = gamma_practices(df, streams, practice, 1, y.b);
        f = hn::Mul(f, hn::Div(x, hn::Add(x, w)));
      }
      store_profile(df, out, profile, i, f);
    }
  });
#else
  no_kernel(factor, y, keys, ctx, profile, out);
#endif
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <algorithm>

#include "scenario/practice_column.hpp"

namespace rxstress {
HWY_EXPORT(scaled_profile_kernel);

PracticeMultiplier PracticeMultiplier::of(const MeanOneGamma& law) {
  PracticeMultiplier m;
  if (law.constant()) return m;
  m.kind = Kind::gamma;
  m.a = law.shape();
  m.scale = law.scale();
  return m;
}

PracticeMultiplier PracticeMultiplier::of(const BetaLaw& law) {
  PracticeMultiplier m;
  m.kind = Kind::beta;
  m.a = law.shape_a();
  m.b = law.shape_b();
  return m;
}

PracticeSource::PracticeSource(ParamNode& params, const Population& pop, std::string_view what,
                               std::string_view default_per, double max) {
  const std::string per =
      params.choice("per", {"practice", "path"},
                    "scope of the draw of " + std::string(what) +
                        " when no column gives it: practice (once per practice, the same on "
                        "every path) or path (a new draw on every path)",
                    std::string(default_per));
  per_practice_ = per == "practice";
  const std::string name = params.text("column",
                                       "practice-table column giving " + std::string(what) +
                                           " of each practice (known from prescribing history); "
                                           "empty: drawn",
                                       "");
  if (!name.empty() && !params.probing())
    column_ = practice_column(params, "column", name, pop, what, max);
}

std::vector<double> PracticeSource::factor(std::span<const double> factor) const {
  return padded(expected(std::vector<double>(factor.begin(), factor.end()), 1.0));
}

PracticeMultiplier PracticeSource::multiplier(PracticeMultiplier law) const {
  if (!column_.empty()) return PracticeMultiplier::one();
  law.per_practice = per_practice_;
  return law;
}

std::vector<double> PracticeSource::expected(std::vector<double> factor, double law_mean) const {
  for (std::size_t i = 0; i < factor.size(); ++i)
    factor[i] *= column_.empty() ? law_mean : column_[i];
  return factor;
}

void add_scaled_profile(const std::vector<double>& factor, const PracticeMultiplier& multiplier,
                        const Driver& driver, const PathContext& ctx, const MonthlyProfile& profile,
                        DriverOutput& out) {
  HWY_DYNAMIC_DISPATCH(scaled_profile_kernel)
  (factor, multiplier, round_keys(stream_key(ctx.seed, driver.name())), ctx, profile, out);
}

}  // namespace rxstress
#endif  // HWY_ONCE
