// One-lane entry points of the vector code: systemic draws and portable maths
// (rxstress/systemic.hpp).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/systemic.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include "simd/gamma-inl.h"
#include "simd/lanes-inl.h"

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {
namespace {

using One = hn::CappedTag<double, 1>;

#if RXSTRESS_KERNELS
Bits<One> systemic_block(const RoundKeys& keys, std::uint32_t path, std::uint32_t substream,
                         std::uint32_t block) {
  const UintTag<One> du;
  return philox(One(), hn::Set(du, kSystemicPractice), hn::Set(du, path), hn::Set(du, substream),
                hn::Set(du, block), keys);
}
#endif

}  // namespace

// Each entry point returns lane 0 of the vector code run on one lane.
double systemic_uniform(const RoundKeys& keys, std::uint32_t path, std::uint32_t substream) {
#if RXSTRESS_KERNELS
  return hn::GetLane(uniform32(One(), systemic_block(keys, path, substream, 0).x0));
#else
  no_kernel(keys, path, substream);
#endif
}

double systemic_normal(const RoundKeys& keys, std::uint32_t path, std::uint32_t substream) {
#if RXSTRESS_KERNELS
  const Bits<One> b = systemic_block(keys, path, substream, 0);
  VecF<One> z0, z1;
  normal_pair(One(), b.x0, b.x1, z0, z1);
  return hn::GetLane(z0);
#else
  no_kernel(keys, path, substream);
#endif
}

double systemic_gamma(const RoundKeys& keys, std::uint32_t path, std::uint32_t substream,
                      const GammaShape& shape) {
#if RXSTRESS_KERNELS
  return hn::GetLane(gamma_draw(One(), shape, [&](std::uint32_t attempt) {
    return systemic_block(keys, path, substream, attempt);
  }));
#else
  no_kernel(keys, path, substream, shape);
#endif
}

// 0: exp, 1: log, 2: log1p.
double portable_math(int function, double x) {
#if RXSTRESS_KERNELS
  const One d;
  const auto v = hn::Set(d, x);
  // Any positive double may come here (a user's parameter), subnormals included: hn::Log.
  return hn::GetLane(function == 0 ? vexp(d, v) : function == 1 ? hn::Log(d, v) : vlog1p(d, v));
#else
  no_kernel(function, x);
#endif
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "rxstress/simd.hpp"
#include "rxstress/systemic.hpp"
#include "simd/laws.hpp"

namespace rxstress {

HWY_EXPORT(systemic_uniform);
HWY_EXPORT(systemic_normal);
HWY_EXPORT(systemic_gamma);
HWY_EXPORT(portable_math);

SystemicStream::SystemicStream(std::uint64_t seed, std::string_view driver_name, std::uint64_t path)
    : key_(stream_key(seed, driver_name)), path_(static_cast<std::uint32_t>(path)) {
  require_simd();
}

double SystemicStream::uniform() {
  return HWY_DYNAMIC_DISPATCH(systemic_uniform)(round_keys(key_), path_, next_++);
}

double SystemicStream::normal() {
  return HWY_DYNAMIC_DISPATCH(systemic_normal)(round_keys(key_), path_, next_++);
}

double SystemicStream::gamma(double shape) {
  return HWY_DYNAMIC_DISPATCH(systemic_gamma)(round_keys(key_), path_, next_++, GammaShape(shape));
}

double SystemicStream::beta(double a, double b) {
  const double x = gamma(a);
  const double y = gamma(b);
  return x / (x + y);
}

namespace portable {
double exp(double x) {
  require_simd();
  return HWY_DYNAMIC_DISPATCH(portable_math)(0, x);
}
double log(double x) {
  require_simd();
  return HWY_DYNAMIC_DISPATCH(portable_math)(1, x);
}
double log1p(double x) {
  require_simd();
  return HWY_DYNAMIC_DISPATCH(portable_math)(2, x);
}
double pow(double base, double exponent) { return exp(exponent * log(base)); }
}  // namespace portable

}  // namespace rxstress
#endif  // HWY_ONCE
