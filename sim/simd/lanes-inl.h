// Vector building blocks of the engine (stream scheme version 2), compiled once per SIMD target.
//
// One practice per 64-bit lane: a Philox4x32-10 word lives in the low half of a lane, so that the
// lanes of a vector of counters line up with the lanes of a vector of doubles. The same code runs
// on any width (1, 2, 4 or 8 doubles) and gives each lane the same bits: every lane performs the
// same IEEE operations on its own inputs, nothing is reduced across lanes, fused multiply-adds are
// only the explicit MulAdd ones (the build uses -ffp-contract=off), and exp/log come from
// Highway's contrib/math, which is the same polynomial code on every target.
//
// Per-target include guard (Highway's pattern): this header is included once per target by the
// translation units that use hwy/foreach_target.h.
#if defined(RXSTRESS_SIMD_LANES_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef RXSTRESS_SIMD_LANES_INL_H_
#undef RXSTRESS_SIMD_LANES_INL_H_
#else
#define RXSTRESS_SIMD_LANES_INL_H_
#endif

#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

#include "simd/round_keys.hpp"

// The targets the engine runs on: those with FMA, whose explicit MulAdd is one rounding (x86-64-v3
// and v4, aarch64). Other targets are compiled (Highway always builds its baseline) but their
// kernels are stubs that are never called: the engine refuses to start on such a CPU.
#undef RXSTRESS_KERNELS
#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL || \
    HWY_ARCH_ARM_A64 && HWY_TARGET != HWY_SCALAR && HWY_TARGET != HWY_EMU128
#define RXSTRESS_KERNELS 1
#else
#define RXSTRESS_KERNELS 0
#endif

HWY_BEFORE_NAMESPACE();
namespace rxstress::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The body of a kernel entry point on a target without kernels (see RXSTRESS_KERNELS): never
// called, since require_simd() refuses such a CPU. Takes the entry point's arguments so that they
// count as used.
template <class... Args>
[[noreturn]] HWY_INLINE void no_kernel(const Args&...) {
  HWY_ABORT("rxstress: no vector kernels for the %s target", hwy::TargetName(HWY_TARGET));
}

template <class DF>
using UintTag = hn::RebindToUnsigned<DF>;
template <class DF>
using VecU = hn::Vec<UintTag<DF>>;
template <class DF>
using VecF = hn::Vec<DF>;

// One Philox4x32-10 block per lane: its four 32-bit words, each in the low half of a lane (the
// high halves are don't-care and are discarded by every conversion below).
template <class DF>
struct Bits {
  VecU<DF> x0, x1, x2, x3;
};

// Random123's Philox4x32-10 on the counters (c0, c1, c2, c3) of each lane. MulEven multiplies the
// low 32 bits of each 64-bit lane into a 64-bit product: its high half is mulhi, its low half
// mullo.
template <class DF>
HWY_INLINE Bits<DF> philox(DF, VecU<DF> c0, VecU<DF> c1, VecU<DF> c2, VecU<DF> c3,
                           const RoundKeys& k) {
  const UintTag<DF> du;
  const hn::Repartition<std::uint32_t, UintTag<DF>> d32;
  const auto m0 = hn::Set(d32, 0xD2511F53u);
  const auto m1 = hn::Set(d32, 0xCD9E8D57u);
#pragma GCC unroll 10
  for (int r = 0; r < 10; ++r) {
    const VecU<DF> p0 = hn::MulEven(hn::BitCast(d32, c0), m0);
    const VecU<DF> p1 = hn::MulEven(hn::BitCast(d32, c2), m1);
    const VecU<DF> n0 = hn::Xor(hn::Xor(hn::ShiftRight<32>(p1), c1), hn::Set(du, k.k0[r]));
    const VecU<DF> n2 = hn::Xor(hn::Xor(hn::ShiftRight<32>(p0), c3), hn::Set(du, k.k1[r]));
    c0 = n0;
    c1 = p1;
    c2 = n2;
    c3 = p0;
  }
  return {c0, c1, c2, c3};
}

// Lane l holds `first + l`. Highway 1.0.3 builds Iota(d, x) with a run-time x through memory (a
// failed store-to-load forward); Iota(d, 0) is a constant.
template <class DU>
HWY_INLINE hn::Vec<DU> iota_from(DU du, std::uint64_t first) {
  return hn::Add(hn::Set(du, first), hn::Iota(du, 0));
}

// The streams of one driver on one path: lanes are practices; (substream, block) pick the block.
template <class DF>
struct PathStreams {
  const RoundKeys& keys;
  VecU<DF> path;

  Bits<DF> block(VecU<DF> practice, std::uint32_t substream, std::uint32_t block_index) const {
    const UintTag<DF> du;
    return philox(DF(), practice, path, hn::Set(du, substream), hn::Set(du, block_index), keys);
  }
};

// ---- uniforms
// (0, 1) from the low 32 bits w of a lane: (w + 1/2) 2^-32, exactly (w fills a mantissa).
template <class DF>
HWY_INLINE VecF<DF> uniform32(DF df, VecU<DF> w) {
  const UintTag<DF> du;
  const auto bits = hn::Or(hn::ShiftRight<12>(hn::ShiftLeft<32>(w)),
                           hn::Set(du, 0x3FF0000000000000ull));  // 1 + w 2^-32
  return hn::Add(hn::Sub(hn::BitCast(df, bits), hn::Set(df, 1.0)), hn::Set(df, 0x1p-33));
}
// (0, 1) with 52 bits: the high 32 from a, the low 20 from the top of b; (v + 1/2) 2^-52.
template <class DF>
HWY_INLINE VecF<DF> uniform52(DF df, VecU<DF> a, VecU<DF> b) {
  const UintTag<DF> du;
  const auto hi = hn::ShiftRight<12>(hn::ShiftLeft<32>(a));
  const auto lo = hn::ShiftRight<44>(hn::ShiftLeft<32>(b));
  const auto bits = hn::Or(hn::Or(hi, lo), hn::Set(du, 0x3FF0000000000000ull));
  return hn::Add(hn::Sub(hn::BitCast(df, bits), hn::Set(df, 1.0)), hn::Set(df, 0x1p-53));
}

// ---- elementary functions: Highway's, identical on every target (never libm or libmvec here)
template <class DF>
HWY_INLINE VecF<DF> vexp(DF df, VecF<DF> x) {
  return hn::Exp(df, x);
}
// log of a normal (not subnormal) positive x: every logarithm the samplers take is of a uniform
// (>= 2^-53), a product of at most eight of them, or a value clamped above 1e-300, so Highway's
// subnormal rescaling is skipped.
template <class DF>
HWY_INLINE VecF<DF> vlog(DF df, VecF<DF> x) {
  return hn::impl::Log<DF, VecF<DF>, false>(df, x);
}
template <class DF>
HWY_INLINE VecF<DF> vlog1p(DF df, VecF<DF> x) {  // x > -1 (portable::log1p)
  return hn::Log1p(df, x);
}

// cos and sin of the angle 2 pi (w + 1/2) 2^-32 for the low 32 bits w of each lane. The octant
// comes from the top 3 bits of w, so there is no range reduction and no reduction error; the
// polynomials (Cephes sin.c coefficients) run on [0, pi/4].
template <class DF>
HWY_INLINE void sincos_turn(DF df, VecU<DF> w, VecF<DF>& cos_out, VecF<DF>& sin_out) {
  const UintTag<DF> du;
  const auto octant = hn::And(hn::ShiftRight<29>(w), hn::Set(du, 7));
  const auto frac = hn::And(w, hn::Set(du, 0x1FFFFFFFull));
  const auto one = hn::Set(du, 1);
  const auto odd = hn::Ne(hn::And(octant, one), hn::Zero(du));
  const auto folded = hn::IfThenElse(odd, hn::Sub(hn::Set(du, 0x1FFFFFFFull), frac), frac);
  // folded 2^-29 exactly, then + 2^-30 (the middle of its step), times pi/4
  const auto t = hn::Sub(
      hn::BitCast(df, hn::Or(hn::ShiftLeft<23>(folded), hn::Set(du, 0x3FF0000000000000ull))),
      hn::Set(df, 1.0));
  const auto x = hn::Mul(hn::Add(t, hn::Set(df, 0x1p-30)), hn::Set(df, 0.78539816339744830962));
  const auto z = hn::Mul(x, x);
  auto ps = hn::Set(df, 1.58962301576546568060E-10);
  ps = hn::MulAdd(ps, z, hn::Set(df, -2.50507477628578072866E-8));
  ps = hn::MulAdd(ps, z, hn::Set(df, 2.75573136213857245213E-6));
  ps = hn::MulAdd(ps, z, hn::Set(df, -1.98412698295895385996E-4));
  ps = hn::MulAdd(ps, z, hn::Set(df, 8.33333333332211858878E-3));
  ps = hn::MulAdd(ps, z, hn::Set(df, -1.66666666666666307295E-1));
  const auto s = hn::MulAdd(hn::Mul(x, z), ps, x);
  auto pc = hn::Set(df, -1.13585365213876817300E-11);
  pc = hn::MulAdd(pc, z, hn::Set(df, 2.08757008419747316778E-9));
  pc = hn::MulAdd(pc, z, hn::Set(df, -2.75573141792967388112E-7));
  pc = hn::MulAdd(pc, z, hn::Set(df, 2.48015872888517045348E-5));
  pc = hn::MulAdd(pc, z, hn::Set(df, -1.38888888888730564116E-3));
  pc = hn::MulAdd(pc, z, hn::Set(df, 4.16666666666665929218E-2));
  const auto c =
      hn::MulAdd(hn::Mul(z, z), pc, hn::NegMulAdd(hn::Set(df, 0.5), z, hn::Set(df, 1.0)));
  // Swap when (o ^ (o >> 1)) is odd; cos is negative in quadrants 1 and 2, sin in 2 and 3.
  const auto q = hn::ShiftRight<1>(octant);
  const auto swap = hn::RebindMask(df, hn::Ne(hn::And(hn::Xor(octant, q), one), hn::Zero(du)));
  const auto sign_c = hn::ShiftLeft<63>(hn::Xor(q, hn::ShiftRight<1>(q)));
  const auto sign_s = hn::ShiftLeft<63>(hn::ShiftRight<1>(q));
  cos_out = hn::Xor(hn::IfThenElse(swap, s, c), hn::BitCast(df, sign_c));
  sin_out = hn::Xor(hn::IfThenElse(swap, c, s), hn::BitCast(df, sign_s));
}

// Box-Muller: two independent standard normals from two 32-bit words (the radius from `radius`,
// the angle from `angle`). A 32-bit radius cuts the tails at sqrt(2 * 33 ln 2) = 6.76 standard
// deviations (probability 1.4e-11 per draw); docs/random-streams.md says which drivers that is
// enough for.
template <class DF>
HWY_INLINE void normal_pair(DF df, VecU<DF> radius, VecU<DF> angle, VecF<DF>& z0, VecF<DF>& z1) {
  const auto r = hn::Sqrt(hn::Mul(hn::Set(df, -2.0), vlog(df, uniform32(df, radius))));
  VecF<DF> c, s;
  sincos_turn(df, angle, c, s);
  z0 = hn::Mul(r, c);
  z1 = hn::Mul(r, s);
}

}  // namespace rxstress::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard
