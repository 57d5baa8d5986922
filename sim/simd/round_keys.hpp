// The ten round keys of a Philox4x32-10 key, computed once per driver and path
// (target-independent).
#pragma once

#include <cstdint>

#include "rxstress/random.hpp"

namespace rxstress {

struct RoundKeys {
  // Each 32-bit round key in the low half of a 64-bit word, ready to broadcast to 64-bit lanes.
  std::uint64_t k0[10], k1[10];
};

// Random123's key schedule: round r uses key + r * (0x9E3779B9, 0xBB67AE85), mod 2^32.
inline RoundKeys round_keys(StreamKey key) {
  RoundKeys rk;
  for (std::uint32_t r = 0; r < 10; ++r) {
    rk.k0[r] = static_cast<std::uint32_t>(key.lo + r * 0x9E3779B9u);
    rk.k1[r] = static_cast<std::uint32_t>(key.hi + r * 0xBB67AE85u);
  }
  return rk;
}

}  // namespace rxstress
