#include "rxstress/random.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

namespace rxstress {

double draw_normal(Stream& s) {
  // Boost's ziggurat keeps no state between calls: a fresh distribution object costs nothing.
  boost::random::normal_distribution<double> standard(0.0, 1.0);
  return standard(s);
}

GammaLaw::GammaLaw(double shape) : shape_(shape) {
  if (shape == std::floor(shape) && shape >= 1.0 && shape <= 8.0) {
    whole_ = static_cast<int>(shape);
    return;
  }
  const double base = shape < 1.0 ? shape + 1.0 : shape;
  d_ = base - 1.0 / 3.0;
  c_ = 1.0 / std::sqrt(9.0 * d_);
  boost_power_ = shape < 1.0 ? 1.0 / shape : 0.0;
}

double GammaLaw::draw(Stream& s) const {
  if (whole_ > 0) return -std::log(s.product_of_uniforms(whole_));
  double x, v;
  for (;;) {
    do {
      x = draw_normal(s);
      v = 1.0 + c_ * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = s.uniform_pos();
    if (u < 1.0 - 0.0331 * (x * x) * (x * x)) break;
    if (std::log(u) < 0.5 * x * x + d_ * (1.0 - v + std::log(v))) break;
  }
  const double g = d_ * v;
  return boost_power_ > 0.0 ? g * std::pow(s.uniform_pos(), boost_power_) : g;
}

double draw_gamma(Stream& s, double shape) { return GammaLaw(shape).draw(s); }

double draw_beta(Stream& s, double a, double b) {
  const double x = draw_gamma(s, a);
  const double y = draw_gamma(s, b);
  return x / (x + y);
}

PoissonLaw::PoissonLaw(double mean) : mean_(mean), p0_(std::exp(-mean)) {}

std::int64_t PoissonLaw::draw(Stream& s) const {
  if (mean_ <= 0.0) return 0;
  if (mean_ > kInversionMax) {
    boost::random::poisson_distribution<std::int64_t, double> law(mean_);
    return law(s);
  }
  // Smallest k with u < P(K <= k). The cap only matters if rounding leaves the summed
  // probabilities below u (u within ~1e-15 of 1); k = 1000 is > 175 sd above a mean of 30.
  const double u = s.uniform();
  double p = p0_, below = p0_;
  std::int64_t k = 0;
  while (u >= below && k < 1000) {
    ++k;
    p *= mean_ / static_cast<double>(k);
    below += p;
  }
  return k;
}

std::int64_t draw_poisson(Stream& s, double mean) { return PoissonLaw(mean).draw(s); }

int draw_discrete(Stream& s, const double* cdf, int n) {
  const double u = s.uniform();
  for (int i = 0; i < n - 1; ++i)
    if (u < cdf[i]) return i;
  return n - 1;
}

}  // namespace rxstress
