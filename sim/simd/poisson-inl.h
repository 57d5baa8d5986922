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
// lanes keep theirs), so a lane's count does not depend on its neighbours. The first
// PoissonTable::kSteps steps either way compare u with the table's thresholds; a lane that goes
// further carries on step by step (poisson_walk_down / _up) from the state the table kept.
template <class DF>
HWY_INLINE VecF<DF> poisson_walk_down(DF df, const PoissonTable& law, std::size_t i, VecF<DF> u,
                                      VecF<DF> k, hn::Mask<DF> down) {
  const auto mean = hn::LoadU(df, law.mean.data() + i), zero = hn::Zero(df);
  auto p = hn::LoadU(df, law.down_p.data() + i), cdf = hn::LoadU(df, law.down_cdf.data() + i);
  // Down while P(K <= k - 1) = cdf - p is still above u.
  down = hn::And(down, hn::And(hn::Lt(u, hn::Sub(cdf, p)), hn::Gt(k, zero)));
  while (!hn::AllFalse(df, down)) {
    cdf = hn::IfThenElse(down, hn::Sub(cdf, p), cdf);
    p = hn::IfThenElse(down, hn::Div(hn::Mul(p, k), mean), p);
    k = hn::IfThenElse(down, hn::Sub(k, hn::Set(df, 1.0)), k);
    down = hn::And(down, hn::And(hn::Lt(u, hn::Sub(cdf, p)), hn::Gt(k, zero)));
  }
  return k;
}

// Up while u is at or above P(K <= k). A lane whose probabilities underflow to 0 stops (only
// when rounding left the summed probabilities below u, u within ~1e-15 of 1).
template <class DF>
HWY_INLINE VecF<DF> poisson_walk_up(DF df, const PoissonTable& law, std::size_t i, VecF<DF> u,
                                    VecF<DF> k, hn::Mask<DF> up) {
  const auto mean = hn::LoadU(df, law.mean.data() + i), zero = hn::Zero(df);
  auto p = hn::LoadU(df, law.up_p.data() + i), cdf = hn::LoadU(df, law.up_cdf.data() + i);
  up = hn::And(up, hn::And(hn::Ge(u, cdf), hn::Gt(p, zero)));
  while (!hn::AllFalse(df, up)) {
    k = hn::IfThenElse(up, hn::Add(k, hn::Set(df, 1.0)), k);
    p = hn::IfThenElse(up, hn::Div(hn::Mul(p, mean), k), p);
    cdf = hn::IfThenElse(up, hn::Add(cdf, p), cdf);
    up = hn::And(up, hn::And(hn::Ge(u, cdf), hn::Gt(p, zero)));
  }
  return k;
}

// The table's thresholds fall step by step down and rise step by step up (each is the previous
// one minus or plus a probability >= 0), so the number of steps a walk takes within the table is
// the number of thresholds u passes: counted without a branch, since the count varies from lane to
// lane and a branch on it is mispredicted. A lane below the first threshold down cannot be at or
// above the first one up (u < cdf - p <= cdf): the two counts are never both non-zero.
template <class DF>
HWY_INLINE VecF<DF> poisson_draw(DF df, const PoissonTable& law, std::size_t i, VecF<DF> u) {
  const std::size_t padded = law.mean.size();
  const auto one = hn::Set(df, 1.0);
  auto k = hn::LoadU(df, law.mode.data() + i);
  auto down = hn::FirstN(df, 0), up = hn::FirstN(df, 0);
  for (std::size_t j = 0; j < PoissonTable::kSteps; ++j) {
    down = hn::Lt(u, hn::LoadU(df, law.down.data() + j * padded + i));
    up = hn::Ge(u, hn::LoadU(df, law.up.data() + j * padded + i));
    k = hn::Add(hn::Sub(k, hn::IfThenElseZero(down, one)), hn::IfThenElseZero(up, one));
  }
  // `down` and `up` now hold the lanes that passed the table's last threshold and walk on.
  if (HWY_UNLIKELY(!hn::AllFalse(df, hn::Or(down, up)))) {
    k = poisson_walk_down(df, law, i, u, k, down);
    k = poisson_walk_up(df, law, i, u, k, up);
  }
  return k;
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
