// The contribution shape of the event drivers (category_m, new_medicines, patent_expiry,
// step_shock, savings_plan): practice i pays factor_i * y_i * profile[t], with a national monthly
// profile drawn per path and a per-practice multiplier y_i drawn per practice and path.
#pragma once

#include "drivers/laws.hpp"

namespace rxstress {

// The per-practice multiplier y_i: 1, a mean-one Gamma (substream 0) or a Beta (X on substream
// 0, Y on substream 1, y = X / (X + Y)).
struct PracticeMultiplier {
  enum class Kind { one, gamma, beta };
  Kind kind = Kind::one;
  GammaShape a, b;     // gamma: a; beta: a and b
  double scale = 1.0;  // gamma: y = Gamma(a) * scale

  static PracticeMultiplier one() { return PracticeMultiplier(); }
  static PracticeMultiplier of(const MeanOneGamma& law);
  static PracticeMultiplier of(const BetaLaw& law);
};

// Writes factor_i * y_i * profile into `out` for every practice (factor padded); the profile must
// be closed and not zero (a zero profile contributes nothing and needs no draws).
void add_scaled_profile(const std::vector<double>& factor, const PracticeMultiplier& multiplier,
                        const Driver& driver, const PathContext& ctx, const MonthlyProfile& profile,
                        DriverOutput& out);

}  // namespace rxstress
