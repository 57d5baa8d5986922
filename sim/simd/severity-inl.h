// The vector sampler of a high-cost patient's annual cost (SeverityLaw in simd/laws.hpp), once
// per SIMD target.
#if defined(RXSTRESS_SIMD_SEVERITY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef RXSTRESS_SIMD_SEVERITY_INL_H_
#undef RXSTRESS_SIMD_SEVERITY_INL_H_
#else
#define RXSTRESS_SIMD_SEVERITY_INL_H_
#endif

#include "simd/gamma-inl.h"
#include "simd/lanes-inl.h"
#include "simd/laws.hpp"

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {

// One cost per lane. `normal` is a standard normal drawn by the caller (lognormal law); the other
// laws draw from `block(attempt)`, the blocks of the event's own substream: Pareto inverts its
// survival function at a 52-bit uniform (words 0 and 1 of block 0, so its tail is cut only where
// U < 2^-52), Gamma runs Marsaglia-Tsang over the attempts.
template <class DF, class BlockOf>
HWY_INLINE VecF<DF> severity_cost(DF df, const SeverityLaw& law, VecF<DF> normal, BlockOf&& block) {
  switch (law.kind) {
    case SeverityLaw::Kind::lognormal:
      return vexp(df, hn::MulAdd(hn::Set(df, law.sigma_log), normal, hn::Set(df, law.log_median)));
    case SeverityLaw::Kind::pareto: {
      const Bits<DF> b = block(0u);
      const auto u = uniform52(df, b.x0, b.x1);
      return hn::Mul(hn::Set(df, law.pareto_scale),
                     vexp(df, hn::Mul(hn::Set(df, -law.pareto_inverse), vlog(df, u))));
    }
    case SeverityLaw::Kind::gamma:
      break;
  }
  return hn::Mul(gamma_draw(df, law.gamma, block), hn::Set(df, law.gamma_scale));
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
