// One delegation model's results, read back from a results file for reports.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "io/h5.hpp"

namespace rxstress {

struct ModelResults {
  std::string name, level, terms;
  std::vector<std::string> holders, drivers, years;
  std::vector<double> list_size, thresholds, probs, periods;
  std::size_t Y = 0, H = 0;
  // [y * H + h] (times the trailing dimension where there is one)
  std::vector<double> budget, mean, sd, se_mean, cv, quantiles, var, es, q95_ci, p_exceed,
      return_period_loss, attribution, es95_attribution;
  std::vector<double> breaches_mean;  // [y * X + x]
  // The ICB residual, [y] (times the trailing dimension)
  std::vector<double> residual_mean, residual_sd, residual_var, residual_es;
  // What the ICB carries (stats/icb_carries), [y] (times the trailing dimension); empty in files
  // written before it existed.
  std::vector<double> carried_mean, carried_se_mean, carried_var, carried_es;
  // Each holder's reserve at each cover level [(y * H + h) * C + c] (empty in older files).
  std::vector<double> reserve, cover;
  double capacity = NAN;  // fraction of budget a holder can absorb; NaN: no limit
  // Convergence [y * H + h][step]
  std::vector<double> conv_paths, conv_mean, conv_se_mean, conv_q95, conv_se_q95;

  std::size_t holder_index(const std::string& id) const;  // H when absent
  int threshold_index(double x) const;                    // -1 when absent
  int cover_index(double c) const;                        // -1 when absent
};

ModelResults read_model(const h5::File& file, const std::string& name);
std::vector<std::string> model_names(const h5::File& file);
// Checks format and version; throws RunError with a clear message otherwise.
h5::File open_results(const std::string& path);

}  // namespace rxstress
