// HDF5's Fletcher32 (fletcher32.hpp). HDF5 reads the data as big-endian 16-bit words w_j and runs
//   sum1 += w_j; sum2 += sum1;
// in uint32 over blocks of at most 360 words, folding both sums (s & 0xffff) + (s >> 16) after
// each block. Over a block of t words that adds S1 = sum of w_j to sum1 and t * sum1 + S2 to
// sum2, with S2 = sum of (t - j) w_j. Both are computed here exactly modulo 2^32, as HDF5's
// wrapping uint32 additions are, so every fold sees the same value and the result is the same.
// Integer arithmetic only: every SIMD target (Highway's dynamic dispatch) gives the same bits.
#ifndef RXSTRESS_IO_FLETCHER32_SHARED
#define RXSTRESS_IO_FLETCHER32_SHARED
#include <algorithm>
#include <bit>
#include <cstdint>

#include "io/fletcher32.hpp"

namespace rxstress::h5 {
namespace {

constexpr std::size_t kBlockWords = 360;  // HDF5's block

std::uint32_t word_at(const unsigned char* data, std::size_t j) {
  return static_cast<std::uint32_t>(data[2 * j]) << 8 | data[2 * j + 1];
}

std::uint32_t fold(std::uint32_t s) { return (s & 0xffff) + (s >> 16); }

struct Sums {
  std::uint32_t s1 = 0, s2 = 0;
};

}  // namespace
}  // namespace rxstress::h5
#endif  // RXSTRESS_IO_FLETCHER32_SHARED

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "io/fletcher32.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace rxstress::h5::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// S1 and S2 of a block of t words. The words are taken in N interleaved classes j = N g + r
// (g < G, the whole groups of N; r the lane), each lane with its own running sums a_r += w;
// b_r += a_r, so that b_r = sum over g of (G - g) w_{Ng+r}; the weight t - j = N (G - g) +
// (t - N G - r) then gives S2 = sum over r of N b_r + (t - N G - r) a_r (modulo 2^32, where a
// negative weight wraps as HDF5's sums do). The last t - N G words are added one by one.
Sums block_sums(const unsigned char* data, std::size_t t) {
  static_assert(std::endian::native == std::endian::little, "words are loaded little-endian");
  const hn::ScalableTag<std::uint32_t> d32;
  const hn::Rebind<std::uint16_t, decltype(d32)> d16;  // as many 16-bit words as 32-bit lanes
  const std::size_t N = hn::Lanes(d32), groups = t / N;
  auto a = hn::Zero(d32), b = hn::Zero(d32);
  const auto low_byte = hn::Set(d32, 0xff);
  for (std::size_t g = 0; g < groups; ++g) {
    // Loaded little-endian (first byte low): the word is the first byte high, so swap them.
    const auto* words = reinterpret_cast<const std::uint16_t*>(data + 2 * N * g);
    const auto x = hn::PromoteTo(d32, hn::LoadU(d16, words));
    a = hn::Add(a, hn::Or(hn::ShiftLeft<8>(hn::And(x, low_byte)), hn::ShiftRight<8>(x)));
    b = hn::Add(b, a);
  }
  const auto weight =
      hn::Sub(hn::Set(d32, static_cast<std::uint32_t>(t - N * groups)), hn::Iota(d32, 0));
  // The lanes added here, not by SumOfLanes: Highway 1.0's AVX-512 one adds them as signed int
  // (_mm512_reduce_add_epi32), whose wrap-around is undefined behaviour in C++.
  HWY_ALIGN std::uint32_t lanes_a[hn::MaxLanes(d32)], lanes_s2[hn::MaxLanes(d32)];
  hn::Store(a, d32, lanes_a);
  hn::Store(hn::Add(hn::Mul(hn::Set(d32, static_cast<std::uint32_t>(N)), b), hn::Mul(weight, a)),
            d32, lanes_s2);
  Sums s;
  for (std::size_t r = 0; r < N; ++r) {
    s.s1 += lanes_a[r];
    s.s2 += lanes_s2[r];
  }
  for (std::size_t j = N * groups; j < t; ++j) {  // the last words, fewer than N
    s.s1 += word_at(data, j);
    s.s2 += static_cast<std::uint32_t>(t - j) * word_at(data, j);
  }
  return s;
}

// HDF5's two sums after the whole blocks of `words` words, from zero.
Sums fletcher_sums(const unsigned char* data, std::size_t words) {
  Sums sum;
  while (words > 0) {
    const std::size_t t = std::min(words, kBlockWords);
    const Sums s = block_sums(data, t);
    sum.s2 = fold(sum.s2 + static_cast<std::uint32_t>(t) * sum.s1 + s.s2);
    sum.s1 = fold(sum.s1 + s.s1);
    data += 2 * t;
    words -= t;
  }
  return sum;
}

}  // namespace rxstress::h5::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace rxstress::h5 {

HWY_EXPORT(fletcher_sums);

std::uint32_t fletcher32(const unsigned char* data, std::size_t bytes) {
  Sums sum = HWY_DYNAMIC_DISPATCH(fletcher_sums)(data, bytes / 2);
  if (bytes % 2) {  // an odd last byte is the high half of a word
    const std::uint32_t s1 = sum.s1 + (static_cast<std::uint32_t>(data[bytes - 1]) << 8);
    sum.s2 = fold(sum.s2 + s1);
    sum.s1 = fold(s1);
  }
  return fold(sum.s2) << 16 | fold(sum.s1);
}

}  // namespace rxstress::h5
#endif  // HWY_ONCE
