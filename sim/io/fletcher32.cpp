// HDF5's Fletcher32 (fletcher32.hpp). HDF5 reads the data as big-endian 16-bit words w_j and runs
//   sum1 += w_j; sum2 += sum1;
// in uint32 over blocks of at most 360 words, folding both sums (s & 0xffff) + (s >> 16) after
// each block. Over a block of t words that adds S1 = sum of w_j to sum1 and t * sum1 + S2 to
// sum2, with S2 = sum of (t - j) w_j. Both are computed here exactly modulo 2^32, as HDF5's
// wrapping uint32 additions are, so every fold sees the same value and the result is the same.
#include "io/fletcher32.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace rxstress::h5 {
namespace {

constexpr std::size_t kBlockWords = 360;  // HDF5's block

std::uint32_t word_at(const unsigned char* data, std::size_t j) {
  return static_cast<std::uint32_t>(data[2 * j]) << 8 | data[2 * j + 1];
}

std::uint32_t fold(std::uint32_t s) { return (s & 0xffff) + (s >> 16); }

struct BlockSums {
  std::uint32_t s1 = 0, s2 = 0;
};

// S1 and S2 of t words. The words are taken in four interleaved classes j = 4m + r (m < M, the
// whole groups of four), each with its own pair of running sums a_r += w; b_r += a_r, so that
// b_r = sum over m of (M - m) w_{4m+r}; the weight t - j = 4 (M - m) + (t - 4M - r) then gives
// S2 = sum over r of 4 b_r + (t - 4M - r) a_r. The four chains run side by side.
BlockSums block_sums(const unsigned char* data, std::size_t t) {
  const std::size_t groups = t / 4;
  std::array<std::uint32_t, 4> a{}, b{};
  for (std::size_t m = 0; m < groups; ++m) {
    std::uint64_t x;  // four words in one load, the first in the top bits once byte-swapped
    std::memcpy(&x, data + 8 * m, sizeof x);
    if constexpr (std::endian::native == std::endian::little) x = __builtin_bswap64(x);
    for (std::size_t r = 0; r < 4; ++r) {
      a[r] += static_cast<std::uint32_t>(x >> (48 - 16 * r)) & 0xffff;
      b[r] += a[r];
    }
  }
  BlockSums s;
  for (std::size_t r = 0; r < 4; ++r) {
    s.s1 += a[r];
    s.s2 += 4 * b[r] + static_cast<std::uint32_t>(t - 4 * groups - r) * a[r];
  }
  for (std::size_t j = 4 * groups; j < t; ++j) {  // the last words, fewer than four
    s.s1 += word_at(data, j);
    s.s2 += static_cast<std::uint32_t>(t - j) * word_at(data, j);
  }
  return s;
}

}  // namespace

std::uint32_t fletcher32(const unsigned char* data, std::size_t bytes) {
  std::uint32_t sum1 = 0, sum2 = 0;
  for (std::size_t words = bytes / 2; words > 0;) {
    const std::size_t t = std::min(words, kBlockWords);
    const BlockSums s = block_sums(data, t);
    sum2 += static_cast<std::uint32_t>(t) * sum1 + s.s2;
    sum1 += s.s1;
    sum1 = fold(sum1);
    sum2 = fold(sum2);
    data += 2 * t;
    words -= t;
  }
  if (bytes % 2) {  // an odd last byte is the high half of a word
    sum1 += static_cast<std::uint32_t>(*data) << 8;
    sum2 += sum1;
    sum1 = fold(sum1);
    sum2 = fold(sum2);
  }
  sum1 = fold(sum1);
  sum2 = fold(sum2);
  return sum2 << 16 | sum1;
}

}  // namespace rxstress::h5
