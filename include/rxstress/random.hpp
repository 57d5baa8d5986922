// Counter-based random streams (DESIGN §3).
//
// A Stream is Random123's Philox4x64-10 keyed by (seed, purpose) and counted from (path, practice):
// every draw is a pure function of (seed, path, driver, practice, draw number), so results do not
// depend on threads, ranks, blocks or on which other drivers and practices exist. Streams are cheap
// to create (no state but the counter), so one is created per driver, path and practice.
#pragma once

// clang-format off
#include <Random123/philox.h>  // must precede MicroURNG-style headers; keep this order
// clang-format on

#include <cmath>
#include <cstdint>
#include <string_view>

namespace rxstress {

// Index used in place of a practice for draws shared by every practice (systemic factors).
inline constexpr std::uint64_t kSystemic = ~std::uint64_t{0};

// A stable 64-bit key for a name (FNV-1a): drivers are keyed by name, not by position, so adding
// a driver does not change the draws of the others.
constexpr std::uint64_t stream_key(std::string_view name) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

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

  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1]: safe to take the logarithm of.
  double uniform_pos() { return (static_cast<double>((*this)() >> 11) + 1.0) * 0x1.0p-53; }

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

// Draws from the laws the drivers use. Normal comes from Boost.Random's ziggurat; the others are
// exact transforms written here because Boost's gamma costs ~85 ns a draw (TOOLCHAIN.md).
double draw_normal(Stream& s);
double draw_gamma(Stream& s, double shape);  // Gamma(shape, scale 1), Marsaglia-Tsang
double draw_beta(Stream& s, double a, double b);
std::int64_t draw_poisson(Stream& s, double mean);
// Discrete law on {0..n-1} by cumulative probabilities `cdf` (last entry 1).
int draw_discrete(Stream& s, const double* cdf, int n);

}  // namespace rxstress
