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
  double uniform_pos() { return to_uniform_pos((*this)()); }
  // The product of n independent uniforms on (0, 1] with 32 random bits each, two per word (the
  // high half first): for -log(U_1 ... U_n) ~ Gamma(n). 32 bits are ample there (a relative
  // perturbation of 2^-32 per factor), and half the words means half the Philox calls.
  double product_of_uniforms(int n) {
    double product = 1.0;
    for (; n >= 2; n -= 2) {
      const result_type w = (*this)();
      product *= to_uniform32(w >> 32) * to_uniform32(w & 0xffffffffu);
    }
    if (n == 1) product *= to_uniform32((*this)() >> 32);
    return product;
  }

 private:
  void refill() {
    block_ = philox_(counter_, key_);
    ++counter_.v[3];
    next_ = 0;
  }

  static double to_uniform_pos(result_type word) {
    return (static_cast<double>(word >> 11) + 1.0) * 0x1.0p-53;
  }
  static double to_uniform32(result_type half) {
    return (static_cast<double>(half) + 1.0) * 0x1.0p-32;
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
double draw_gamma(Stream& s, double shape);  // Gamma(shape, scale 1): GammaLaw(shape).draw(s)
double draw_beta(Stream& s, double a, double b);
std::int64_t draw_poisson(Stream& s, double mean);  // PoissonLaw(mean).draw(s)

// Gamma(shape, scale 1), with the method and its constants chosen once per shape, since drivers
// draw the same shape millions of times: -log of a product of uniforms for whole shapes up to 8
// (exact, and ~3x faster than rejection for small shapes), else Marsaglia-Tsang, boosted by
// U^(1/shape) below 1 (Marsaglia and Tsang 2000, section 6).
class GammaLaw {
 public:
  explicit GammaLaw(double shape = 1.0);
  double draw(Stream& s) const;
  double shape() const { return shape_; }

 private:
  double shape_ = 1.0, d_ = 0.0, c_ = 0.0, boost_power_ = 0.0;
  int whole_ = 0;  // > 0: the shape is this whole number, drawn as a product of uniforms
};

// Poisson(mean). Means up to kInversionMax are drawn by inversion from a precomputed e^-mean
// (one uniform, about `mean` multiply-adds); larger means by Boost's PTRD, which is O(1).
class PoissonLaw {
 public:
  static constexpr double kInversionMax = 30.0;
  explicit PoissonLaw(double mean = 0.0);
  std::int64_t draw(Stream& s) const;
  double mean() const { return mean_; }

 private:
  double mean_ = 0.0, p0_ = 1.0;
};
// Discrete law on {0..n-1} by cumulative probabilities `cdf` (last entry 1).
int draw_discrete(Stream& s, const double* cdf, int n);

}  // namespace rxstress
