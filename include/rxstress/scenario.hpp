// A scenario (docs/model.md §2.6): everything a run needs, loaded and validated before anything
// runs.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rxstress/calendar.hpp"
#include "rxstress/driver.hpp"
#include "rxstress/param_log.hpp"
#include "rxstress/population.hpp"

namespace rxstress {

enum class HolderLevel { icb, provider, neighbourhood, practice };
const char* level_name(HolderLevel level);

// Risk-sharing terms of a delegation model (docs/model.md §2.4), applied in this order.
struct CarveOut {
  double threshold = 0.0;  // GBP per patient per year above which the ICB pays
};
struct Corridor {
  double lower = 0.0, upper = 0.0;             // fractions of budget
  double share_over = 1.0, share_under = 1.0;  // holder's share beyond the corridor
  double cap = 1e300;                          // retained overspend cap, fraction of budget
};
struct Pool {
  double contribution = 0.0;  // fraction of budget paid in
  bool returned = true;       // leftover returned pro rata (else kept by the ICB)
};
struct Terms {
  std::optional<CarveOut> carve_out;
  std::optional<Corridor> corridor;
  std::optional<Pool> pool;
  bool any() const { return carve_out || corridor || pool; }
  std::string text() const;  // readable, for the results file
};

struct DelegationModel {
  std::string name;
  HolderLevel level = HolderLevel::icb;
  Terms terms;
  // Retained overspend a holder can absorb, fraction of its budget: beyond it the holder cannot
  // pay and the excess returns to the ICB (none: holders pay whatever they retain).
  std::optional<double> capacity;
};

struct BudgetSpec {
  enum class Method { expected, historic, file, capitation };
  Method method = Method::expected;
  std::vector<std::string> funded;  // driver names or types funded at expectation
  // Fraction added to the budget: one figure for every settlement year, or one per year.
  std::vector<double> uplift{0.0};
  // file: the budget column (one for every settlement year, or one per year); capitation: the
  // weight column.
  std::vector<std::string> columns;
  double total = 0.0;  // capitation: GBP/year shared by the practices
  // file and capitation: each practice's annual budget before the uplift, GBP/year, as
  // annual[y][practice] with one y for every year or one per settlement year (a settlement year
  // of m months gets m/12 of it).
  std::vector<std::vector<double>> annual;
  // A per-year list's entry for settlement year y (a single entry: every year's).
  template <class T>
  static const T& of_year(const std::vector<T>& per_year, std::size_t y) {
    return per_year[per_year.size() == 1 ? 0 : y];
  }
};

struct Outputs {
  std::vector<double> thresholds{0.0, 0.01, 0.02, 0.05, 0.10};  // fractions of budget
  std::int64_t trajectories = 200;                              // paths whose monthly spend is kept
  // Deflate level of path datasets (0 = none). Off by default: simulated doubles have random low
  // bytes, so shuffle + deflate(1) saves only ~17 % of the file yet costs ~25 ms of CPU per MB
  // written, which would be most of a run's time (measured on the England benchmark).
  int compression = 0;
  std::vector<std::string> driver_detail;  // drivers whose practice-level annual spend is written
  // Cover levels of the reserves: the reserve a holder needs so that its retained overspend
  // exceeds it in at most 1 - cover of years (stats/reserve).
  std::vector<double> cover{0.95, 0.99};
};

struct Scenario {
  std::string file;  // where it was read from
  std::string text;  // the resolved scenario (YAML, overrides applied)
  std::string name, description;
  YearMonth start;
  int horizon_months = 12;
  std::int64_t paths = 1000;
  std::uint64_t seed = 1;
  Population population;
  std::vector<std::unique_ptr<Driver>> drivers;
  std::vector<std::shared_ptr<ParamLog>> driver_params;  // resolved parameters of each driver
  std::shared_ptr<ParamLog> params;                      // every resolved parameter
  BudgetSpec budget;
  std::vector<DelegationModel> delegation;
  Outputs outputs;
  std::vector<Warning> warnings;  // values that are valid but most likely slips

  Calendar calendar() const { return Calendar(start, horizon_months); }
};

// Loads and validates a scenario file. `overrides` are "key.path=value" (the CLI's --set), applied
// to the YAML before validation; `paths` and `seed` may also be overridden this way.
// Throws InputError on any invalid input.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});
// The same from text (tests); `file` is used in messages and to resolve relative paths.
Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const std::vector<std::string>& overrides = {});

}  // namespace rxstress
