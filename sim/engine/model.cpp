#include "rxstress/model.hpp"

#include <algorithm>
#include <unordered_map>

namespace rxstress {
namespace {

HolderMap make_level(HolderLevel level, const Population& pop, const std::string& icb_name) {
  HolderMap map{level, {}, {}, {}, {}};
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::size_t i = 0; i < pop.size(); ++i) {
    const std::string& id = level == HolderLevel::icb             ? icb_name
                            : level == HolderLevel::provider      ? pop.provider[i]
                            : level == HolderLevel::neighbourhood ? pop.neighbourhood[i]
                                                                  : pop.id[i];
    auto [it, fresh] = index.emplace(id, static_cast<std::uint32_t>(map.ids.size()));
    if (fresh) {
      map.ids.push_back(id);
      map.list_size.push_back(0.0);
    }
    map.of_practice.push_back(it->second);
    map.list_size[it->second] += pop.list_size[i];
  }
  return map;
}

}  // namespace

bool Model::funded(std::size_t d) const {
  const Driver& driver = *sc_.drivers[d];
  return std::any_of(sc_.budget.funded.begin(), sc_.budget.funded.end(), [&](const std::string& f) {
    return f == driver.name() || f == driver.type();
  });
}

Model::Model(const Scenario& scenario)
    : sc_(scenario), cal_(scenario.start, scenario.horizon_months) {
  const std::size_t P = practices(), T = static_cast<std::size_t>(months());
  for (std::size_t d = 0; d < drivers(); ++d) {
    expected_.emplace_back(P * T);
    sc_.drivers[d]->expected(sc_.population, cal_, expected_.back());
    national_offset_.push_back(national_width_);
    for (NationalSeries s : sc_.drivers[d]->national_series()) {
      const auto taken = [&](const NationalSeries& other) { return other.name == s.name; };
      if (std::any_of(national_.begin(), national_.end(), taken))
        s.name += "." + sc_.drivers[d]->name();  // driver names are unique
      national_width_ += s.monthly ? T : 1;
      national_.push_back(std::move(s));
      national_driver_.push_back(d);
    }
  }
  for (const auto& name : sc_.outputs.driver_detail)
    for (std::size_t d = 0; d < drivers(); ++d)
      if (sc_.drivers[d]->name() == name) detail_drivers_.push_back(d);
  build_levels();
  build_budgets();
  build_carve_thresholds();
}

void Model::build_carve_thresholds() {
  for (const auto& m : sc_.delegation) {
    std::size_t k = 0;
    if (m.terms.carve_out) {
      const double t = m.terms.carve_out->threshold;
      k = static_cast<std::size_t>(
          std::find(carve_thresholds_.begin(), carve_thresholds_.end(), t) -
          carve_thresholds_.begin());
      if (k == carve_thresholds_.size()) carve_thresholds_.push_back(t);
    }
    carve_index_.push_back(k);
  }
}

void Model::build_levels() {
  for (const auto& m : sc_.delegation) {
    auto it = std::find_if(levels_.begin(), levels_.end(),
                           [&](const HolderMap& h) { return h.level == m.level; });
    if (it == levels_.end()) {
      levels_.push_back(make_level(m.level, sc_.population, sc_.name));
      it = levels_.end() - 1;
    }
    level_of_model_.push_back(static_cast<std::size_t>(it - levels_.begin()));
  }
}

void Model::build_budgets() {
  const std::size_t P = practices(), T = months(), Y = years();
  const double margin = 1.0 + sc_.budget.uplift;
  monthly_budget_.assign(P * T, 0.0);
  if (sc_.budget.method == BudgetSpec::Method::expected) {
    for (std::size_t d = 0; d < drivers(); ++d)
      if (funded(d))
        for (std::size_t j = 0; j < P * T; ++j) monthly_budget_[j] += margin * expected_[d][j];
  } else {
    // historic: last year's spend; file and capitation: the annual budget resolved on loading.
    // Either way a twelfth a month, so a settlement year of m months gets m/12 of it.
    const std::vector<double>& annual = sc_.budget.method == BudgetSpec::Method::historic
                                            ? sc_.population.annual_spend
                                            : sc_.budget.annual;
    if (annual.size() != P)
      throw RunError("budget: an annual budget for each of the scenario's practices is missing");
    for (std::size_t i = 0; i < P; ++i)
      for (std::size_t t = 0; t < T; ++t) monthly_budget_[i * T + t] = margin * annual[i] / 12.0;
  }
  practice_budget_.assign(P * Y, 0.0);
  for (std::size_t i = 0; i < P; ++i)
    for (std::size_t t = 0; t < T; ++t)
      practice_budget_[i * Y + cal_.year_of(static_cast<int>(t))] += monthly_budget_[i * T + t];
  for (auto& level : levels_) {
    level.budget.assign(Y * level.size(), 0.0);
    for (std::size_t i = 0; i < P; ++i)
      for (std::size_t y = 0; y < Y; ++y)
        level.budget[y * level.size() + level.of_practice[i]] += practice_budget_[i * Y + y];
  }
}

std::int64_t Model::trajectory_paths() const {
  return std::min<std::int64_t>(sc_.outputs.trajectories, sc_.paths);
}

}  // namespace rxstress
