// One path: every driver's contribution, then the holders' gross variance and retained outcomes.
#include <algorithm>

#include "rxstress/engine.hpp"
#include "rxstress/terms.hpp"

namespace rxstress {
namespace {

struct PracticeRows {
  std::vector<double> by_driver;  // [practice * drivers + d] of one year
  std::vector<double> gross;      // [practice]: spend - budget
};

struct PathWork {
  std::vector<double> annual;   // [driver][practice * years + y]
  std::vector<double> monthly;  // [practice * months + t], trajectory paths only
  std::vector<PatientCost> patients;
  std::vector<double> holder_gross, carve, retained;  // one year of one model
  PracticeRows rows;
};

void simulate_drivers(const Model& model, std::int64_t path, bool keep_months,
                      std::span<double> national, PathWork& w) {
  const std::size_t P = model.practices(), Y = model.years(), T = model.months();
  w.annual.assign(model.drivers() * P * Y, 0.0);
  if (keep_months) w.monthly.assign(P * T, 0.0);
  w.patients.clear();
  const Scenario& sc = model.scenario();
  PathContext ctx{sc.seed, static_cast<std::uint64_t>(path), sc.population, model.calendar()};
  for (std::size_t d = 0; d < model.drivers(); ++d) {
    DriverOutput out;
    out.annual = std::span<double>(w.annual).subspan(d * P * Y, P * Y);
    if (keep_months) out.monthly = w.monthly;
    out.national = national.subspan(model.national_offset(d));
    out.patients = model.needs_patients() ? &w.patients : nullptr;
    sc.drivers[d]->simulate(ctx, out);
  }
}

// Each practice's spend by driver as rows [practice][driver], and its gross variance, for year
// y: read once from the driver-major buffer, so that every level then adds whole rows.
void practice_rows(const Model& model, const PathWork& w, std::size_t y, PracticeRows& rows) {
  const std::size_t P = model.practices(), Y = model.years(), D = model.drivers();
  rows.by_driver.resize(P * D);
  rows.gross.resize(P);
  for (std::size_t i = 0; i < P; ++i) {
    double spend = 0.0;
    for (std::size_t d = 0; d < D; ++d) {
      const double x = w.annual[d * P * Y + i * Y + y];
      rows.by_driver[i * D + d] = x;
      spend += x;
    }
    rows.gross[i] = spend - model.practice_budget()[i * Y + y];
  }
}

// Sums practices into the holders of each level, for slot j of the block.
void aggregate_levels(const Model& model, PathWork& w, int j, int b, Block& block) {
  const std::size_t P = model.practices(), Y = model.years(), D = model.drivers();
  for (std::size_t y = 0; y < Y; ++y) {
    practice_rows(model, w, y, w.rows);
    for (std::size_t l = 0; l < model.levels().size(); ++l) {
      const HolderMap& map = model.levels()[l];
      const std::size_t H = map.size();
      Block::Level& out = block.levels[l];
      double* gross = out.gross.data() + (y * b + j) * H;
      double* by_driver = out.by_driver.data() + (y * b + j) * H * D;
      std::fill(gross, gross + H, 0.0);
      std::fill(by_driver, by_driver + H * D, 0.0);
      for (std::size_t i = 0; i < P; ++i) {
        const std::size_t h = map.of_practice[i];
        const double* row = w.rows.by_driver.data() + i * D;
        double* into = by_driver + h * D;
        for (std::size_t d = 0; d < D; ++d) into[d] += row[d];
        gross[h] += w.rows.gross[i];
      }
    }
  }
  for (std::size_t l = 0; l < model.levels().size(); ++l) {
    if (j >= block.trajectory_count || !model.keeps_trajectories(l)) continue;
    const HolderMap& map = model.levels()[l];
    const std::size_t H = map.size(), T = model.months();
    double* monthly = block.levels[l].monthly.data() + j * T * H;
    std::fill(monthly, monthly + T * H, 0.0);
    for (std::size_t i = 0; i < P; ++i)
      for (std::size_t t = 0; t < T; ++t)
        monthly[t * H + map.of_practice[i]] += w.monthly[i * T + t];
  }
}

// Retained outcomes, ICB residual and breach counts of every model, for slot j.
void settle_models(const Model& model, PathWork& w, int j, int b, Block& block) {
  const Scenario& sc = model.scenario();
  const std::size_t Y = model.years();
  const auto& thresholds = sc.outputs.thresholds;
  for (std::size_t m = 0; m < sc.delegation.size(); ++m) {
    const Terms& terms = sc.delegation[m].terms;
    const std::size_t l = model.level_of_model(m);
    const HolderMap& map = model.levels()[l];
    const std::size_t H = map.size();
    Block::Outcome& out = block.models[m];
    for (std::size_t y = 0; y < Y; ++y) {
      const double* gross = block.levels[l].gross.data() + (y * b + j) * H;
      const double* budget = map.budget.data() + y * H;
      const double* kept = gross;
      double residual = 0.0;
      if (terms.any()) {
        w.carve.assign(H, 0.0);
        if (terms.carve_out)
          for (const PatientCost& p : w.patients)
            if (p.year == y)
              w.carve[map.of_practice[p.practice]] += carved(p.cost, terms.carve_out->threshold);
        double* retained = out.retained.data() + (y * b + j) * H;
        settle_terms({gross, H}, w.carve, {budget, H}, terms, {retained, H});
        for (std::size_t h = 0; h < H; ++h) residual += gross[h] - retained[h];
        kept = retained;
      }
      out.residual[y * b + j] = residual;
      for (std::size_t x = 0; x < thresholds.size(); ++x) {
        std::int32_t over = 0;
        for (std::size_t h = 0; h < H; ++h) over += kept[h] > thresholds[x] * budget[h];
        out.breaches[(y * b + j) * thresholds.size() + x] = over;
      }
    }
  }
}

void size_block(const Model& model, std::int64_t first, int count, Block& block) {
  const std::size_t Y = model.years(), D = model.drivers(), T = model.months();
  const Scenario& sc = model.scenario();
  block.first = first;
  block.count = count;
  block.trajectory_count =
      static_cast<int>(std::clamp<std::int64_t>(model.trajectory_paths() - first, 0, count));
  block.levels.resize(model.levels().size());
  for (std::size_t l = 0; l < model.levels().size(); ++l) {
    const std::size_t H = model.levels()[l].size();
    block.levels[l].gross.resize(Y * count * H);
    block.levels[l].by_driver.resize(Y * count * H * D);
    block.levels[l].monthly.resize(model.keeps_trajectories(l) ? block.trajectory_count * T * H
                                                               : 0);
  }
  block.models.resize(sc.delegation.size());
  for (std::size_t m = 0; m < sc.delegation.size(); ++m) {
    const std::size_t H = model.levels()[model.level_of_model(m)].size();
    block.models[m].retained.resize(sc.delegation[m].terms.any() ? Y * count * H : 0);
    block.models[m].residual.resize(Y * count);
    block.models[m].breaches.resize(Y * count * sc.outputs.thresholds.size());
  }
  block.national.resize(count * model.national_width());
  block.detail.resize(model.detail_drivers().size());
  for (auto& d : block.detail) d.resize(Y * count * model.practices());
}

// Copies the practice-level annual spend of the detail drivers, for slot j.
void keep_detail(const Model& model, const PathWork& w, int j, int b, Block& block) {
  const std::size_t P = model.practices(), Y = model.years();
  for (std::size_t q = 0; q < model.detail_drivers().size(); ++q) {
    const double* annual = w.annual.data() + model.detail_drivers()[q] * P * Y;
    for (std::size_t y = 0; y < Y; ++y)
      for (std::size_t i = 0; i < P; ++i) block.detail[q][(y * b + j) * P + i] = annual[i * Y + y];
  }
}

}  // namespace

void simulate_block(const Model& model, std::int64_t first, int count, Block& block) {
  size_block(model, first, count, block);
  thread_local PathWork work;
  for (int j = 0; j < count; ++j) {
    std::span<double> national(block.national.data() + j * model.national_width(),
                               model.national_width());
    simulate_drivers(model, first + j, j < block.trajectory_count, national, work);
    aggregate_levels(model, work, j, count, block);
    settle_models(model, work, j, count, block);
    keep_detail(model, work, j, count, block);
  }
}

}  // namespace rxstress
