// The contribution shape of the event drivers (category_m, new_medicines, patent_expiry,
// step_shock, savings_plan): practice i pays factor_i * y_i * profile[t], with a national monthly
// profile drawn per path and a per-practice multiplier y_i: a practice-table column, or drawn per
// practice (the same on every path) or per practice and path.
#pragma once

#include <cstdint>
#include <string_view>

#include "drivers/laws.hpp"

namespace rxstress {

// The path word of the counter of draws made once per practice (`per: practice`): the same on
// every path, keyed by seed, driver and practice. Paths are fewer than 10^8, so no path uses it.
inline constexpr std::uint32_t kPracticeDrawPath = 0xFFFFFFFFu;

// The per-practice multiplier y_i: 1, a mean-one Gamma (substream 0) or a Beta (X on substream
// 0, Y on substream 1, y = X / (X + Y)); drawn on every path, or once per practice.
struct PracticeMultiplier {
  enum class Kind { one, gamma, beta };
  Kind kind = Kind::one;
  GammaShape a, b;            // gamma: a; beta: a and b
  double scale = 1.0;         // gamma: y = Gamma(a) * scale
  bool per_practice = false;  // drawn on the path word kPracticeDrawPath, not the path's

  static PracticeMultiplier one() { return PracticeMultiplier(); }
  static PracticeMultiplier of(const MeanOneGamma& law);
  static PracticeMultiplier of(const BetaLaw& law);
};

// Where y_i comes from (issue 17: what is known is data, what is uncertain is drawn): the
// driver's `column` (a practice-table column: y_i is known from prescribing history), else its law,
// drawn once per practice (`per: practice`: parameter uncertainty, the same on every path) or per
// practice and path (`per: path`: a new draw on every path).
class PracticeSource {
 public:
  PracticeSource() = default;
  // Reads `per` (default `default_per`) and `column` of `params`; a column's values must lie in
  // [0, max]. `what` names y_i in messages and the schema.
  PracticeSource(ParamNode& params, const Population& pop, std::string_view what,
                 std::string_view default_per, double max);

  // factor_i * column_i with a column (padded), else factor (padded).
  std::vector<double> factor(std::span<const double> factor) const;
  // 1 with a column, else `law` drawn per practice or per path.
  PracticeMultiplier multiplier(PracticeMultiplier law) const;
  // E[factor_i y_i]: factor_i * column_i with a column, else factor_i * law_mean (not padded).
  std::vector<double> expected(std::vector<double> factor, double law_mean) const;

 private:
  std::vector<double> column_;  // empty: drawn
  bool per_practice_ = false;
};

// Writes factor_i * y_i * profile into `out` for every practice (factor padded); the profile must
// be closed. A zero profile (an event after the horizon) writes zeros and draws nothing.
void add_scaled_profile(const std::vector<double>& factor, const PracticeMultiplier& multiplier,
                        const Driver& driver, const PathContext& ctx, const MonthlyProfile& profile,
                        DriverOutput& out);

}  // namespace rxstress
