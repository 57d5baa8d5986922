// Closed forms shared by the drivers' exact expectations.
#pragma once

#include "drivers/laws.hpp"

namespace rxstress {

// E[(1 + G)^a] for G ~ Normal(mean, sd), by Simpson's rule over +-12 sd (error < 1e-12 for the
// smooth integrand; the law's mass beyond 12 sd is below 1e-32).
double expected_growth_factor(double mean, double sd, double a);

}  // namespace rxstress
