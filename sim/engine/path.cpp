// One path: every driver's contribution (flat per-driver arrays, structure of arrays), then the
// holders' gross variance and retained outcomes.
#include <algorithm>

#include "rxstress/engine.hpp"
#include "rxstress/simd.hpp"
#include "rxstress/terms.hpp"

namespace rxstress {
namespace {

// One thread's arrays for one path. Rows are model.stride() doubles (padded practices).
struct PathWork {
  std::vector<double> annual;   // [driver][year][practice]: each driver's spend
  std::vector<double> monthly;  // [t][practice]: all drivers' spend, trajectory paths only
  std::vector<double> carve;    // [threshold][year][practice]: patients' cost above it
  std::vector<double> gross;    // [practice] of one year: spend - budget
  std::vector<double> holder_carve, retained;  // one year of one model
};

void simulate_drivers(const Model& model, std::int64_t path, bool keep_months,
                      std::span<double> national, PathWork& w) {
  const std::size_t S = model.stride(), Y = model.years(), T = model.months();
  const std::size_t K = model.carve_thresholds().size();
  w.annual.assign(model.drivers() * Y * S, 0.0);
  w.monthly.assign(keep_months ? T * S : 0, 0.0);
  w.carve.assign(K * Y * S, 0.0);
  const Scenario& sc = model.scenario();
  PathContext ctx{sc.seed, static_cast<std::uint64_t>(path), sc.population, model.calendar()};
  for (std::size_t d = 0; d < model.drivers(); ++d) {
    DriverOutput out;
    out.stride = S;
    out.annual = std::span<double>(w.annual).subspan(d * Y * S, Y * S);
    out.monthly = w.monthly;
    out.national = national.subspan(model.national_offset(d));
    out.carve_thresholds = model.carve_thresholds();
    out.carve = w.carve;
    sc.drivers[d]->simulate(ctx, out);
  }
}

// Each practice's gross variance in year y: its drivers' spend, summed in driver order, minus
// its budget.
void practice_gross(const Model& model, const PathWork& w, std::size_t y,
                    std::vector<double>& gross) {
  const std::size_t S = model.stride(), P = model.practices(), Y = model.years();
  gross.resize(P);
  for (std::size_t i = 0; i < P; ++i) gross[i] = -model.practice_budget()[i * Y + y];
  for (std::size_t d = 0; d < model.drivers(); ++d) {
    const double* spend = w.annual.data() + (d * Y + y) * S;
    for (std::size_t i = 0; i < P; ++i) gross[i] += spend[i];
  }
}

// Sums practices into the holders of each level (in practice order), for slot j of the block.
void aggregate_levels(const Model& model, PathWork& w, int j, int b, Block& block) {
  const std::size_t S = model.stride(), P = model.practices(), Y = model.years();
  const std::size_t D = model.drivers();
  for (std::size_t y = 0; y < Y; ++y) {
    practice_gross(model, w, y, w.gross);
    for (std::size_t l = 0; l < model.levels().size(); ++l) {
      const HolderMap& map = model.levels()[l];
      const std::size_t H = map.size();
      Block::Level& out = block.levels[l];
      double* gross = out.gross.data() + (y * b + j) * H;
      double* by_driver = out.by_driver.data() + (y * b + j) * H * D;
      std::fill(gross, gross + H, 0.0);
      std::fill(by_driver, by_driver + H * D, 0.0);
      for (std::size_t i = 0; i < P; ++i) gross[map.of_practice[i]] += w.gross[i];
      for (std::size_t d = 0; d < D; ++d) {
        const double* spend = w.annual.data() + (d * Y + y) * S;
        for (std::size_t i = 0; i < P; ++i) by_driver[map.of_practice[i] * D + d] += spend[i];
      }
    }
  }
  const std::size_t T = model.months();
  for (std::size_t l = 0; l < model.levels().size(); ++l) {
    if (j >= block.trajectory_count || !model.keeps_trajectories(l)) continue;
    const HolderMap& map = model.levels()[l];
    const std::size_t H = map.size();
    double* monthly = block.levels[l].monthly.data() + j * T * H;
    std::fill(monthly, monthly + T * H, 0.0);
    for (std::size_t t = 0; t < T; ++t)
      for (std::size_t i = 0; i < P; ++i)
        monthly[t * H + map.of_practice[i]] += w.monthly[t * S + i];
  }
}

// The carve-out of model m's holders in year y: their practices' patients above its threshold.
void holder_carve(const Model& model, const PathWork& w, std::size_t m, std::size_t y,
                  std::vector<double>& carve) {
  const std::size_t l = model.level_of_model(m), S = model.stride(), Y = model.years();
  const HolderMap& map = model.levels()[l];
  carve.assign(map.size(), 0.0);
  const double* above = w.carve.data() + (model.carve_index(m) * Y + y) * S;
  for (std::size_t i = 0; i < model.practices(); ++i) carve[map.of_practice[i]] += above[i];
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
        if (terms.carve_out)
          holder_carve(model, w, m, y, w.holder_carve);
        else
          w.holder_carve.assign(H, 0.0);
        double* retained = out.retained.data() + (y * b + j) * H;
        settle_terms({gross, H}, w.holder_carve, {budget, H}, terms, {retained, H});
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
  const std::size_t S = model.stride(), P = model.practices(), Y = model.years();
  for (std::size_t q = 0; q < model.detail_drivers().size(); ++q) {
    const double* annual = w.annual.data() + model.detail_drivers()[q] * Y * S;
    for (std::size_t y = 0; y < Y; ++y)
      std::copy_n(annual + y * S, P, block.detail[q].data() + (y * b + j) * P);
  }
}

}  // namespace

void simulate_block(const Model& model, std::int64_t first, int count, Block& block) {
  require_simd();
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
