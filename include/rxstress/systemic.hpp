// Per-path (systemic) draws of a driver, and the maths on drawn values, through the same vector
// code as the practices' draws, on one lane (DESIGN §3): identical bits on every SIMD target and
// every machine. Never use libm's exp/log/pow on a value derived from a draw: glibc picks its
// variant by CPU.
#pragma once

#include <cstdint>
#include <string_view>

#include "rxstress/random.hpp"

namespace rxstress {

// The systemic stream of one driver on one path: practice word kSystemicPractice. Every draw takes
// the next substream, and a draw's attempts are blocks of its substream, so the n-th draw of a path
// is always the same whatever the others needed.
class SystemicStream {
 public:
  SystemicStream(std::uint64_t seed, std::string_view driver_name, std::uint64_t path);

  double uniform();                 // (0, 1), 32 bits
  double normal();                  // standard normal
  double gamma(double shape);       // Gamma(shape, 1)
  double beta(double a, double b);  // Beta(a, b) = X / (X + Y)
  std::uint32_t draws() const { return next_; }

 private:
  StreamKey key_;
  std::uint32_t path_;
  std::uint32_t next_ = 0;  // the next substream
};

// exp, log, log1p and pow of one double with the engine's vector code (Highway), for values
// derived from draws and for sampler constants.
namespace portable {
double exp(double x);
double log(double x);
double log1p(double x);
double pow(double base, double exponent);  // base > 0 (exp(exponent * log(base)))
}  // namespace portable

}  // namespace rxstress
