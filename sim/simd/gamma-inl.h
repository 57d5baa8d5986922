// The vector Gamma sampler (see GammaShape in simd/laws.hpp), once per SIMD target.
#if defined(RXSTRESS_SIMD_GAMMA_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef RXSTRESS_SIMD_GAMMA_INL_H_
#undef RXSTRESS_SIMD_GAMMA_INL_H_
#else
#define RXSTRESS_SIMD_GAMMA_INL_H_
#endif

#include "simd/lanes-inl.h"
#include "simd/laws.hpp"

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {

// Gamma(shape, 1) in every lane. `block(a)` gives the Philox block of attempt a of this draw (a
// fixed block per attempt, so a lane's value never depends on how many attempts its neighbours
// needed): whole shapes read blocks 0 and 1; Marsaglia-Tsang attempt a reads block a: a normal from
// words 0 and 1, the acceptance uniform from word 2 and, below shape 1, the boost uniform from
// word 3 of the accepted attempt.
template <class DF, class BlockOf>
HWY_INLINE VecF<DF> gamma_draw(DF df, const GammaShape& g, BlockOf&& block) {
  if (g.whole > 0) {
    const Bits<DF> b = block(0u);
    VecF<DF> product = uniform32(df, b.x0);
    if (g.whole > 1) product = hn::Mul(product, uniform32(df, b.x1));
    if (g.whole > 2) product = hn::Mul(product, uniform32(df, b.x2));
    if (g.whole > 3) product = hn::Mul(product, uniform32(df, b.x3));
    if (g.whole > 4) {
      const Bits<DF> more = block(1u);
      product = hn::Mul(product, uniform32(df, more.x0));
      if (g.whole > 5) product = hn::Mul(product, uniform32(df, more.x1));
      if (g.whole > 6) product = hn::Mul(product, uniform32(df, more.x2));
      if (g.whole > 7) product = hn::Mul(product, uniform32(df, more.x3));
    }
    return hn::Neg(vlog(df, product));
  }
  const auto d = hn::Set(df, g.d), c = hn::Set(df, g.c), one = hn::Set(df, 1.0);
  VecF<DF> result = hn::Zero(df), boost_u = one;
  auto done = hn::FirstN(df, 0);
  for (std::uint32_t attempt = 0;; ++attempt) {
    const Bits<DF> b = block(attempt);
    VecF<DF> z, unused;
    normal_pair(df, b.x0, b.x1, z, unused);
    const VecF<DF> u = uniform32(df, b.x2);
    const VecF<DF> v = hn::MulAdd(c, z, one);
    const auto positive = hn::Gt(v, hn::Zero(df));
    const VecF<DF> v3 = hn::Mul(hn::Mul(v, v), v);
    const VecF<DF> z2 = hn::Mul(z, z);
    // The squeeze accepts most attempts without a logarithm.
    auto accept =
        hn::And(positive, hn::Lt(u, hn::NegMulAdd(hn::Set(df, 0.0331), hn::Mul(z2, z2), one)));
    const auto undecided = hn::AndNot(done, hn::AndNot(accept, positive));
    if (!hn::AllFalse(df, undecided)) {
      const VecF<DF> log_v3 = vlog(df, hn::Max(v3, hn::Set(df, 1e-300)));
      const VecF<DF> bound =
          hn::MulAdd(hn::Set(df, 0.5), z2, hn::Mul(d, hn::Add(hn::Sub(one, v3), log_v3)));
      accept = hn::Or(accept, hn::And(undecided, hn::Lt(vlog(df, u), bound)));
    }
    const auto fresh = hn::AndNot(done, accept);
    result = hn::IfThenElse(fresh, hn::Mul(d, v3), result);
    if (g.boost_power > 0.0) boost_u = hn::IfThenElse(fresh, uniform32(df, b.x3), boost_u);
    done = hn::Or(done, accept);
    if (hn::AllTrue(df, done)) break;
  }
  if (g.boost_power > 0.0)
    result = hn::Mul(result, vexp(df, hn::Mul(hn::Set(df, g.boost_power), vlog(df, boost_u))));
  return result;
}

// Gamma(shape, 1) for the practices in the lanes of `practice`, from `substream` of the path.
template <class DF>
HWY_INLINE VecF<DF> gamma_practices(DF df, const PathStreams<DF>& streams, VecU<DF> practice,
                                    std::uint32_t substream, const GammaShape& g) {
  return gamma_draw(
      df, g, [&](std::uint32_t attempt) { return streams.block(practice, substream, attempt); });
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
