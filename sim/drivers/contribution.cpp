#include "drivers/contribution.hpp"

#include <cmath>
#include <numbers>

namespace rxstress {

double expected_growth_factor(double mean, double sd, double a) {
  if (sd == 0.0) return std::pow(1.0 + mean, a);
  constexpr int kSteps = 4800;  // even
  constexpr double kWidth = 12.0;
  const double h = 2.0 * kWidth / kSteps;
  double sum = 0.0;
  for (int j = 0; j <= kSteps; ++j) {
    const double z = -kWidth + j * h;
    const double base = std::max(0.0, 1.0 + mean + sd * z);
    const double f = std::pow(base, a) * std::exp(-0.5 * z * z);
    sum += f * (j == 0 || j == kSteps ? 1.0 : (j % 2 ? 4.0 : 2.0));
  }
  return sum * h / 3.0 / std::sqrt(2.0 * std::numbers::pi);
}

}  // namespace rxstress
