// What every driver kernel shares, once per SIMD target: the vector width, practice counters and
// writing a path's contributions into the flat arrays of DriverOutput.
#if defined(RXSTRESS_DRIVERS_KERNELS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef RXSTRESS_DRIVERS_KERNELS_INL_H_
#undef RXSTRESS_DRIVERS_KERNELS_INL_H_
#else
#define RXSTRESS_DRIVERS_KERNELS_INL_H_
#endif

#include "drivers/laws.hpp"
#include "rxstress/driver.hpp"
#include "rxstress/simd.hpp"
#include "simd/gamma-inl.h"
#include "simd/lanes-inl.h"

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {

// Runs kernel(df) with the full vector width of the target, or one lane at a time when the tests
// ask for it (RXSTRESS_LANES=1): both must give the same bits.
template <class Kernel>
HWY_INLINE void with_lanes(Kernel&& kernel) {
  if (one_lane_kernels())
    kernel(hn::CappedTag<double, 1>());
  else
    kernel(hn::ScalableTag<double>());
}

// The streams of a driver on a path.
template <class DF>
HWY_INLINE PathStreams<DF> path_streams(DF, const RoundKeys& keys, const PathContext& ctx) {
  return {keys, hn::Set(UintTag<DF>(), static_cast<std::uint32_t>(ctx.path))};
}

// Adds `value` to month t of the practices in the lanes starting at i (trajectory paths only).
template <class DF>
HWY_INLINE void add_month(DF df, DriverOutput& out, int t, std::size_t i, VecF<DF> value) {
  double* at = out.monthly.data() + t * out.stride + i;
  hn::StoreU(hn::Add(hn::LoadU(df, at), value), df, at);
}

// Stores this driver's total of year y for the practices in the lanes starting at i.
template <class DF>
HWY_INLINE void store_year(DF df, DriverOutput& out, int y, std::size_t i, VecF<DF> value) {
  hn::StoreU(value, df, out.annual.data() + y * out.stride + i);
}

// A contribution factor_i * profile[t] (the factor in the lanes starting at i): year totals from
// the profile's year sums, so they do not depend on whether the path keeps its months.
template <class DF>
HWY_INLINE void store_profile(DF df, DriverOutput& out, const MonthlyProfile& profile,
                              std::size_t i, VecF<DF> factor) {
  for (int y = 0; y < profile.years(); ++y)
    store_year(df, out, y, i, hn::Mul(factor, hn::Set(df, profile.year(y))));
  if (out.monthly.empty()) return;
  for (int t = 0; t < profile.months(); ++t)
    add_month(df, out, t, i, hn::Mul(factor, hn::Set(df, profile[t])));
}

// Loads a padded per-practice array at practice i.
template <class DF>
HWY_INLINE VecF<DF> load(DF df, const std::vector<double>& column, std::size_t i) {
  return hn::LoadU(df, column.data() + i);
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
