#include "simd/laws.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "rxstress/systemic.hpp"

namespace rxstress {

// Marsaglia and Tsang's constants of max(shape, shape + 1), and the boost power 1/shape below 1.
static void marsaglia_tsang_constants(double shape, double& d, double& c, double& boost_power) {
  const double base = shape < 1.0 ? shape + 1.0 : shape;
  d = base - 1.0 / 3.0;
  c = 1.0 / std::sqrt(9.0 * d);  // sqrt is correctly rounded: the same on every machine
  boost_power = shape < 1.0 ? 1.0 / shape : 0.0;
}

GammaShape::GammaShape(double shape_) : shape(shape_) {
  if (shape == std::floor(shape) && shape >= 1.0 && shape <= 8.0) {
    whole = static_cast<int>(shape);
    return;
  }
  if (shape - 0.5 == std::floor(shape - 0.5) && shape >= 0.5 && shape <= 7.5) {
    whole = static_cast<int>(shape - 0.5);
    half = true;
    return;
  }
  whole = 0;
  marsaglia_tsang_constants(shape, d, c, boost_power);
}

GammaShapes::GammaShapes(std::span<const double> shapes, std::size_t padded) {
  for (std::size_t i = 0; i < padded; ++i) {
    const double shape = i < shapes.size() ? shapes[i] : 1.0;
    marsaglia_tsang_constants(shape, d.emplace_back(), c.emplace_back(),
                              boost_power.emplace_back());
    any_boost = any_boost || shape < 1.0;
  }
}

namespace {

// P(K = mode) and P(K <= mode) for K ~ Poisson(mean), mode = floor(mean), with the engine's own
// exp and log (portable), so that every machine starts the inversion from the same numbers.
void mode_probabilities(double mean, double& mode, double& p_mode, double& cdf_mode) {
  mode = std::floor(mean);
  if (mean <= 0.0) {
    mode = 0.0, p_mode = 1.0, cdf_mode = 1.0;
    return;
  }
  if (mean <= 700.0) {  // e^-mean is a normal double: sum up from k = 0
    double p = portable::exp(-mean), cdf = p;
    for (double k = 1.0; k <= mode; k += 1.0) {
      p = p * mean / k;
      cdf += p;
    }
    p_mode = p, cdf_mode = cdf;
    return;
  }
  // log P(mode) = -mean + mode log(mean) - log(mode!), with Stirling's series for log(mode!)
  // (mode >= 700: the first omitted term is below 1e-24); then sum down from the mode until the
  // terms are negligible (about 40 sqrt(mean) of them).
  const double n = mode;
  const double log_factorial = (n + 0.5) * portable::log(n) - n + 0.91893853320467274178 +
                               1.0 / (12.0 * n) - 1.0 / (360.0 * n * n * n) +
                               1.0 / (1260.0 * n * n * n * n * n);
  p_mode = portable::exp(-mean + n * portable::log(mean) - log_factorial);
  double p = p_mode, cdf = p_mode;
  for (double k = mode; k > 0.0 && p > 1e-300 * cdf; k -= 1.0) {
    p = p * k / mean;
    cdf += p;
  }
  cdf_mode = cdf;
}

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Practice i's first kSteps steps down and up from the mode, with the operations and order of
// the vector sampler's step-by-step walk (simd/poisson-inl.h), so their thresholds and the
// states after them are its own numbers.
void walk_thresholds(PoissonTable& t, std::size_t i) {
  const std::size_t padded = t.mean.size();
  const double mean = t.mean[i];
  double k = t.mode[i], p = t.p_mode[i], cdf = t.cdf_mode[i];
  for (std::size_t j = 0; j < PoissonTable::kSteps; ++j) {
    t.down[j * padded + i] = k > 0.0 ? cdf - p : -kInfinity;
    if (k > 0.0) cdf = cdf - p, p = p * k / mean, k = k - 1.0;
  }
  t.down_p[i] = p, t.down_cdf[i] = cdf;
  k = t.mode[i], p = t.p_mode[i], cdf = t.cdf_mode[i];
  bool stepping = true;  // until p underflows to 0
  for (std::size_t j = 0; j < PoissonTable::kSteps; ++j) {
    t.up[j * padded + i] = stepping ? cdf : kInfinity;
    if (stepping) k = k + 1.0, p = p * mean / k, cdf = cdf + p, stepping = p > 0.0;
  }
  t.up_p[i] = p, t.up_cdf[i] = cdf;
}

}  // namespace

PoissonTable::PoissonTable(std::span<const double> means, std::size_t padded)
    : mean(padded, 0.0),
      mode(padded, 0.0),
      p_mode(padded, 1.0),
      cdf_mode(padded, 1.0),
      down(kSteps * padded),
      up(kSteps * padded),
      down_p(padded),
      down_cdf(padded),
      up_p(padded),
      up_cdf(padded) {
  for (std::size_t i = 0; i < means.size(); ++i) {
    if (!(means[i] <= kMaxPoissonMean))
      throw std::domain_error("PoissonTable: a mean above kMaxPoissonMean (or NaN)");
    mean[i] = means[i];
    mode_probabilities(means[i], mode[i], p_mode[i], cdf_mode[i]);
  }
  for (std::size_t i = 0; i < padded; ++i) walk_thresholds(*this, i);
}

}  // namespace rxstress
