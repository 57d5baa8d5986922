// Parameters of the engine's vector samplers, prepared once per law or per practice (plain,
// target-independent data; the samplers are in gamma-inl.h and poisson-inl.h).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace rxstress {

// Gamma(shape, scale 1). Whole shapes up to 8 are -log of a product of `whole` 32-bit uniforms
// (exact, and cheaper than rejection); half-integer shapes up to 7.5 add Z^2/2 for a standard
// normal Z (Gamma(1/2) is chi-square(1)/2); other shapes use Marsaglia and Tsang's method with a
// masked retry, boosted by U^(1/shape) below 1 (Marsaglia and Tsang 2000, section 6).
struct GammaShape {
  double shape = 1.0;
  int whole = 1;             // uniforms in the product (0 and not half: Marsaglia-Tsang)
  bool half = false;         // shape = whole + 1/2
  double d = 0.0, c = 0.0;   // Marsaglia-Tsang constants of max(shape, shape + 1)
  double boost_power = 0.0;  // 1/shape when shape < 1, else 0
  GammaShape() : GammaShape(1.0) {}
  explicit GammaShape(double shape);
};

// A Gamma shape per practice (the concessions dispersion that grows with list size), prepared for
// Marsaglia and Tsang's method in every lane: the constants of GammaShape (d, c, boost_power) per
// practice, padded like every practice array (padding lanes get shape 1).
struct GammaShapes {
  std::vector<double> d, c, boost_power;
  bool any_boost = false;  // some practice's shape is below 1
  GammaShapes(std::span<const double> shapes, std::size_t padded);
  GammaShapes() = default;
};

// The largest Poisson mean a PoissonTable takes; above it (or NaN) the table throws
// std::domain_error: its sum and every draw would walk millions of steps, and at 2^53 a step no
// longer moves. A driver checks its means first and reports a scenario that asks for more as bad
// input.
inline constexpr double kMaxPoissonMean = 1e6;

// Poisson means of every practice, prepared for inversion from the mode: the sampler starts at
// the mode with its probability and cumulative probability and walks down or up, so a draw costs
// about sqrt(mean) steps whatever the mean. Padded like every practice array.
// The walk's first kSteps steps either way depend only on the practice, not on u: they are done
// once here, and a draw compares u with their thresholds (no division on its path) until it
// stops or runs past them; then it carries on step by step from the state kept for that, with
// the same arithmetic. Every draw is bit for bit that of the step-by-step walk.
struct PoissonTable {
  static constexpr std::size_t kSteps = 8;
  std::vector<double> mean, mode, p_mode, cdf_mode;
  // [j * padded + i]: the walk takes step j + 1 down while u < down[j] (P(K <= mode - j - 1) as
  // the walk computes it; -inf where k = 0 leaves no step), and step j + 1 up while
  // u >= up[j] (P(K <= mode + j); +inf once the probabilities have underflowed to 0).
  std::vector<double> down, up;
  // p and P(K <= k) after kSteps steps down, and after kSteps steps up.
  std::vector<double> down_p, down_cdf, up_p, up_cdf;
  // `means` of the practices, padded with zeros to `padded` entries.
  PoissonTable(std::span<const double> means, std::size_t padded);
  PoissonTable() = default;
};

// The cost law of one high-cost patient (annual cost, GBP), prepared for the vector sampler
// (simd/severity-inl.h): lognormal exp(log_median + sigma_log z), Pareto scale U^(-1/shape) or
// Gamma(shape) * gamma_scale.
struct SeverityLaw {
  enum class Kind { lognormal, gamma, pareto };
  Kind kind = Kind::lognormal;
  double log_median = 0.0, sigma_log = 0.0;         // lognormal
  double pareto_scale = 0.0, pareto_inverse = 0.0;  // pareto: scale, 1/shape
  GammaShape gamma;                                 // gamma: shape 1/cv^2 ...
  double gamma_scale = 0.0;                         // ... times mean cv^2
};

}  // namespace rxstress
