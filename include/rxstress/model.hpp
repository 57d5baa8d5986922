// The built model: holders of each level, budgets, expectations and the layout of a path's
// results. Built once from a Scenario; read-only (and so shared by all threads) afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rxstress/scenario.hpp"

namespace rxstress {

// The holders of one level and which holder each practice belongs to.
struct HolderMap {
  HolderLevel level;
  std::vector<std::string> ids;            // in order of first appearance in the practice table
  std::vector<std::uint32_t> of_practice;  // holder index of each practice
  std::vector<double> list_size;           // patients of each holder
  std::vector<double> budget;              // [year * H + holder], GBP
  std::size_t size() const { return ids.size(); }
};

class Model {
 public:
  // The model refers to the scenario (drivers, population): the scenario must outlive it.
  explicit Model(const Scenario& scenario);
  explicit Model(Scenario&&) = delete;

  const Scenario& scenario() const { return sc_; }
  const Calendar& calendar() const { return cal_; }
  std::size_t practices() const { return sc_.population.size(); }
  // Doubles per row of the engine's per-practice arrays: the practices padded to whole vectors.
  std::size_t stride() const { return padded_size(practices()); }
  std::size_t drivers() const { return sc_.drivers.size(); }
  int years() const { return cal_.years(); }
  int months() const { return cal_.months(); }

  // Levels used by at least one delegation model, and which one each model uses.
  const std::vector<HolderMap>& levels() const { return levels_; }
  std::size_t level_of_model(std::size_t m) const { return level_of_model_[m]; }
  // Levels whose monthly spend is kept for trajectory paths (<= 1000 holders).
  bool keeps_trajectories(std::size_t level) const { return levels_[level].size() <= 1000; }
  std::int64_t trajectory_paths() const;

  // Exact expected spend per driver, practice and month: [d][practice * months + t].
  const std::vector<std::vector<double>>& expected() const { return expected_; }
  // Budget per practice and year [practice * years + y] and per practice and month.
  const std::vector<double>& practice_budget() const { return practice_budget_; }
  const std::vector<double>& monthly_budget() const { return monthly_budget_; }
  // Whether driver d is listed in budget.funded (by name or type).
  bool funded(std::size_t d) const;

  // The national series of every driver, concatenated, and where each driver's start. A series
  // name already taken by an earlier driver (two concessions drivers, say) is written
  // "<series>.<driver name>", so that every series has its own dataset.
  const std::vector<NationalSeries>& national() const { return national_; }
  // The driver that draws national series i.
  std::size_t national_driver(std::size_t i) const { return national_driver_[i]; }
  std::size_t national_width() const { return national_width_; }  // doubles per path
  std::size_t national_offset(std::size_t driver) const { return national_offset_[driver]; }
  // The distinct carve-out thresholds of the models (GBP per patient per year), and which one
  // model m uses (meaningful only when it has a carve-out).
  const std::vector<double>& carve_thresholds() const { return carve_thresholds_; }
  std::size_t carve_index(std::size_t m) const { return carve_index_[m]; }
  // Drivers whose practice-level annual spend is written (outputs.driver_detail).
  const std::vector<std::size_t>& detail_drivers() const { return detail_drivers_; }

 private:
  void build_levels();
  void build_budgets();
  void build_carve_thresholds();

  const Scenario& sc_;
  Calendar cal_;
  std::vector<HolderMap> levels_;
  std::vector<std::size_t> level_of_model_;
  std::vector<std::vector<double>> expected_;
  std::vector<double> practice_budget_, monthly_budget_;
  std::vector<NationalSeries> national_;
  std::vector<std::size_t> national_offset_, national_driver_;
  std::size_t national_width_ = 0;
  std::vector<std::size_t> detail_drivers_;
  std::vector<double> carve_thresholds_;
  std::vector<std::size_t> carve_index_;
};

}  // namespace rxstress
