// A double's place in the order of doubles as an unsigned integer, for sorting and selecting by
// integer keys (OrderStatistics, RankSelector).
#pragma once

#include <bit>
#include <cstdint>

namespace rxstress::stats {

// The bit pattern with the sign bit flipped for positives and every bit flipped for negatives
// orders as an unsigned integer exactly as the value does (-0.0 before +0.0).
inline std::uint64_t key_of(double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  return bits & sign ? ~bits : bits | sign;
}

// The value of a key: key_of's inverse.
inline double value_of_key(std::uint64_t key) {
  constexpr std::uint64_t sign = std::uint64_t{1} << 63;
  return std::bit_cast<double>(key & sign ? key & ~sign : ~key);
}

}  // namespace rxstress::stats
