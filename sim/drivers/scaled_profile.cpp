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
    const PathStreams<DF> streams = path_streams(df, keys, ctx);
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

void add_scaled_profile(const std::vector<double>& factor, const PracticeMultiplier& multiplier,
                        const Driver& driver, const PathContext& ctx, const MonthlyProfile& profile,
                        DriverOutput& out) {
  HWY_DYNAMIC_DISPATCH(scaled_profile_kernel)
  (factor, multiplier, round_keys(stream_key(ctx.seed, driver.name())), ctx, profile, out);
}

}  // namespace rxstress
#endif  // HWY_ONCE
