// The vector Poisson sampler (inversion from the mode; see PoissonTable in simd/laws.hpp), once per
// SIMD target.
#if defined(RXSTRESS_SIMD_POISSON_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef RXSTRESS_SIMD_POISSON_INL_H_
#undef RXSTRESS_SIMD_POISSON_INL_H_
#else
#define RXSTRESS_SIMD_POISSON_INL_H_
#endif

#include "simd/lanes-inl.h"
#include "simd/laws.hpp"

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {

// The Poisson count of practices i .. i + lanes - 1 by inversion of the uniform u: the smallest k
// with u < P(K <= k), found by walking from the mode. Each lane walks on its own values (inactive
// lanes keep theirs), so a lane's count does not depend on its neighbours.
template <class DF>
HWY_INLINE VecF<DF> poisson_draw(DF df, const PoissonTable& law, std::size_t i, VecF<DF> u) {
  const auto mean = hn::LoadU(df, law.mean.data() + i);
  auto k = hn::LoadU(df, law.mode.data() + i);
  auto p = hn::LoadU(df, law.p_mode.data() + i);
  auto cdf = hn::LoadU(df, law.cdf_mode.data() + i);
  const auto zero = hn::Zero(df), one = hn::Set(df, 1.0);
  // Down while P(K <= k - 1) = cdf - p is still above u.
  auto down = hn::And(hn::Lt(u, hn::Sub(cdf, p)), hn::Gt(k, zero));
  while (!hn::AllFalse(df, down)) {
    cdf = hn::IfThenElse(down, hn::Sub(cdf, p), cdf);
    p = hn::IfThenElse(down, hn::Div(hn::Mul(p, k), mean), p);
    k = hn::IfThenElse(down, hn::Sub(k, one), k);
    down = hn::And(down, hn::And(hn::Lt(u, hn::Sub(cdf, p)), hn::Gt(k, zero)));
  }
  // Up while u is at or above P(K <= k). A lane whose probabilities underflow to 0 stops (only
  // when rounding left the summed probabilities below u, u within ~1e-15 of 1).
  auto up = hn::Ge(u, cdf);
  while (!hn::AllFalse(df, up)) {
    k = hn::IfThenElse(up, hn::Add(k, one), k);
    p = hn::IfThenElse(up, hn::Div(hn::Mul(p, mean), k), p);
    cdf = hn::IfThenElse(up, hn::Add(cdf, p), cdf);
    up = hn::And(up, hn::And(hn::Ge(u, cdf), hn::Gt(p, zero)));
  }
  return k;
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
