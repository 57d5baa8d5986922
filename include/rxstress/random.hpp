// Random numbers (DESIGN §3, stream scheme version 2).
//
// The engine draws from counter-based Philox4x32-10 streams: the key is a 64-bit hash of (seed,
// driver name), the counter is (practice, path, substream, block). Every draw is a pure function of
// those, so results do not depend on threads, ranks, blocks, the vector width, or which other
// drivers and practices exist. The vector samplers live in sim/simd/; drivers reach them through
// their kernels, and per-path (systemic) values through SystemicStream (rxstress/systemic.hpp).
//
// `Stream` (Philox4x64-10 feeding Boost.Random) is kept for draws outside the engine, where a
// scalar sequential stream is natural: the synthetic population generator.
#pragma once

// clang-format off
#include <Random123/philox.h>  // must precede MicroURNG-style headers; keep this order
// clang-format on

#include <cstdint>
#include <string_view>

namespace rxstress {

// The version of the stream scheme, recorded in every results file (`stream_version`).
inline constexpr std::int64_t kStreamVersion = 2;

// The practice word of the counter for draws shared by every practice (systemic factors).
inline constexpr std::uint32_t kSystemicPractice = 0xFFFFFFFFu;

// A stable 64-bit hash of a name (FNV-1a): drivers are keyed by name, not position, so adding a
// driver does not change the draws of the others.
constexpr std::uint64_t name_hash(std::string_view name) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// The 64-bit Philox4x32 key of a driver's streams: one Philox4x64-10 block of (name hash) under
// the key (seed, "rxstres"), low word first.
struct StreamKey {
  std::uint32_t lo = 0, hi = 0;
  friend bool operator==(const StreamKey&, const StreamKey&) = default;
};
StreamKey stream_key(std::uint64_t seed, std::string_view name);

// A scalar stream for draws outside the engine: Random123's Philox4x64-10 keyed by (seed,
// purpose) and counted from (path, practice), usable as a Boost.Random engine.
class Stream {
 public:
  using result_type = std::uint64_t;
  Stream(std::uint64_t seed, std::uint64_t purpose, std::uint64_t path, std::uint64_t practice)
      : key_{{seed, purpose}}, counter_{{path, practice, 0, 0}} {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }

  result_type operator()() {
    if (next_ == 4) refill();
    return block_.v[next_++];
  }

 private:
  void refill() {
    block_ = philox_(counter_, key_);
    ++counter_.v[3];
    next_ = 0;
  }

  r123::Philox4x64 philox_;
  r123::Philox4x64::key_type key_;
  r123::Philox4x64::ctr_type counter_;
  r123::Philox4x64::ctr_type block_{};
  int next_ = 4;
};

// A standard normal from a Stream (Boost.Random's ziggurat).
double draw_normal(Stream& s);

}  // namespace rxstress
