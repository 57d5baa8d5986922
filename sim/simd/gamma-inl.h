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
// -log of the product of n (1..8) 32-bit uniforms: the first `words` words of `first`, then the
// words of block(next), block(next + 1).
template <class DF, class BlockOf>
HWY_INLINE VecF<DF> minus_log_product(DF df, int n, const Bits<DF>& first, int words,
                                      BlockOf&& block, std::uint32_t next) {
  const VecU<DF> words0[4] = {first.x0, first.x1, first.x2, first.x3};
  VecF<DF> product = uniform32(df, words0[0]);
  int used = 1;
  for (int k = 1; k < words && used < n; ++k, ++used)
    product = hn::Mul(product, uniform32(df, words0[k]));
  while (used < n) {
    const Bits<DF> b = block(next++);
    const VecU<DF> words[4] = {b.x0, b.x1, b.x2, b.x3};
    for (int k = 0; k < 4 && used < n; ++k, ++used)
      product = hn::Mul(product, uniform32(df, words[k]));
  }
  return hn::Neg(vlog(df, product));
}

// Marsaglia and Tsang's method with constants d, c per lane, boosted by U^boost_power in the lanes
// whose boost_power is not 0 (shape below 1; `any_boost` says whether a lane may be). Attempt a
// reads block a: a normal from words 0 and 1, the acceptance uniform from word 2 and the boost
// uniform from word 3 of the accepted attempt.
template <class DF, class BlockOf>
HWY_INLINE VecF<DF> marsaglia_tsang(DF df, VecF<DF> d, VecF<DF> c, VecF<DF> boost_power,
                                    bool any_boost, BlockOf&& block) {
  const auto one = hn::Set(df, 1.0);
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
    if (any_boost) boost_u = hn::IfThenElse(fresh, uniform32(df, b.x3), boost_u);
    done = hn::Or(done, accept);
    if (hn::AllTrue(df, done)) break;
  }
  if (!any_boost) return result;
  const auto boosted = hn::Gt(boost_power, hn::Zero(df));
  return hn::IfThenElse(boosted, hn::Mul(result, vexp(df, hn::Mul(boost_power, vlog(df, boost_u)))),
                        result);
}

// Gamma(shape, 1) in every lane. `block(a)` gives the Philox block a of this draw (a fixed block
// per attempt, so a lane's value never depends on how many attempts its neighbours needed): whole
// shapes read their uniforms from blocks 0 and 1; half-integer shapes take Z from words 2 and 3
// of block 0 and their uniforms from words 0, 1 and then blocks 1 and 2; Marsaglia-Tsang attempt
// a reads block a: a normal from words 0 and 1, the acceptance uniform from word 2 and, below
// shape 1, the boost uniform from word 3 of the accepted attempt.
template <class DF, class BlockOf>
HWY_INLINE VecF<DF> gamma_draw(DF df, const GammaShape& g, BlockOf&& block) {
  if (g.whole > 0 && !g.half) return minus_log_product(df, g.whole, block(0u), 4, block, 1u);
  if (g.half) {  // Gamma(k + 1/2) = Gamma(k) + Z^2 / 2
    const Bits<DF> b = block(0u);
    VecF<DF> z, unused;
    normal_pair(df, b.x2, b.x3, z, unused);
    const VecF<DF> half_z2 = hn::Mul(hn::Set(df, 0.5), hn::Mul(z, z));
    if (g.whole == 0) return half_z2;
    return hn::Add(minus_log_product(df, g.whole, b, 2, block, 1u), half_z2);
  }
  return marsaglia_tsang(df, hn::Set(df, g.d), hn::Set(df, g.c), hn::Set(df, g.boost_power),
                         g.boost_power > 0.0, block);
}

// Gamma(shape, 1) for the practices in the lanes of `practice`, from `substream` of the path.
template <class DF>
HWY_INLINE VecF<DF> gamma_practices(DF df, const PathStreams<DF>& streams, VecU<DF> practice,
                                    std::uint32_t substream, const GammaShape& g) {
  return gamma_draw(
      df, g, [&](std::uint32_t attempt) { return streams.block(practice, substream, attempt); });
}

// Gamma(shape_i, 1) with the shape of each lane's practice (GammaShapes, by Marsaglia and Tsang
// whatever the shape), from `substream` of the path; i is the first practice of the lanes.
template <class DF>
HWY_INLINE VecF<DF> gamma_practices(DF df, const PathStreams<DF>& streams, VecU<DF> practice,
                                    std::uint32_t substream, const GammaShapes& g, std::size_t i) {
  return marsaglia_tsang(
      df, hn::LoadU(df, g.d.data() + i), hn::LoadU(df, g.c.data() + i),
      hn::LoadU(df, g.boost_power.data() + i), g.any_boost,
      [&](std::uint32_t attempt) { return streams.block(practice, substream, attempt); });
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
