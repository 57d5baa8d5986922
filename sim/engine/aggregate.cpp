// Holders of each level from the practices of one path: gross variance, each driver's spend and
// the attribution sums. A level is summed from a finer level that nests in it when there is one
// (providers from neighbourhoods, the ICB from providers), else from the practices, always in a
// fixed order, so results do not depend on threads or vector width.
#include <algorithm>

#include "engine/path_work.hpp"

namespace rxstress {
namespace {

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

// One level (or the practices themselves) in year y: its holders' gross variance, and each
// driver's spend, row d of spend(d).
struct LevelYear {
  std::size_t holders;
  double* gross;
  std::vector<double>* spend_rows;  // [d * H + h]; null for practices (the drivers' own rows)
  const double* practice_rows;      // practices: driver d's row is practice_rows + d * row_step
  std::size_t row_step = 0;
  const double* spend(std::size_t d) const {
    return spend_rows ? spend_rows->data() + d * holders : practice_rows + d * row_step;
  }
};

// Sums `from` into the holders of `into` (into.gross and into's spend rows zeroed first). Rows
// are the gross variance (row 0) and the drivers' spend (row 1 + d). Nested holders are runs of
// consecutive sources, so one row alone is a chain of dependent loads and stores through the same
// entry; four rows at a time are four chains side by side. Each entry still receives its sources
// in order, so the sums keep their bits.
void sum_into(const std::vector<std::uint32_t>& holder_of, const LevelYear& from, LevelYear& into,
              std::size_t D) {
  const std::size_t H = into.holders, n_from = from.holders, rows = D + 1;
  std::fill(into.gross, into.gross + H, 0.0);
  into.spend_rows->assign(D * H, 0.0);
  auto src = [&](std::size_t r) { return r == 0 ? from.gross : from.spend(r - 1); };
  auto dst = [&](std::size_t r) {
    return r == 0 ? into.gross : into.spend_rows->data() + (r - 1) * H;
  };
  std::size_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const double *x0 = src(r), *x1 = src(r + 1), *x2 = src(r + 2), *x3 = src(r + 3);
    double *y0 = dst(r), *y1 = dst(r + 1), *y2 = dst(r + 2), *y3 = dst(r + 3);
    for (std::size_t g = 0; g < n_from; ++g) {
      const std::uint32_t h = holder_of[g];
      y0[h] += x0[g], y1[h] += x1[g], y2[h] += x2[g], y3[h] += x3[g];
    }
  }
  for (; r < rows; ++r) {
    const double* x = src(r);
    double* y = dst(r);
    for (std::size_t g = 0; g < n_from; ++g) y[holder_of[g]] += x[g];
  }
}

// Adds one path's (V, x_d) of the level's holders to the attribution sums, centred on the exact
// expectations.
void add_attribution(const HolderMap& map, const LevelYear& level, std::size_t y, std::size_t D,
                     Block::AttributionSums& sums) {
  const std::size_t H = map.size();
  const double* centre = map.expected_gross.data() + y * H;
  double* v = sums.v.data() + y * H;
  double* vv = sums.vv.data() + y * H;
  for (std::size_t h = 0; h < H; ++h) {
    const double dv = level.gross[h] - centre[h];
    v[h] += dv;
    vv[h] += dv * dv;
  }
  for (std::size_t d = 0; d < D; ++d) {
    const double* x = level.spend(d);
    const double* expected = map.expected_spend.data() + (y * D + d) * H;
    double* sx = sums.x.data() + (y * D + d) * H;
    double* sxv = sums.xv.data() + (y * D + d) * H;
    for (std::size_t h = 0; h < H; ++h) {
      const double dx = x[h] - expected[h];
      sx[h] += dx;
      sxv[h] += dx * (level.gross[h] - centre[h]);
    }
  }
}

// The level's driver spends as the block keeps them, [holder][driver].
void keep_by_driver(const LevelYear& level, std::size_t D, double* by_driver) {
  const std::size_t H = level.holders;
  for (std::size_t d = 0; d < D; ++d) {
    const double* x = level.spend(d);
    for (std::size_t h = 0; h < H; ++h) by_driver[h * D + d] = x[h];
  }
}

// The monthly spend of the holders of the small levels, on trajectory paths (slot j).
void keep_trajectories(const Model& model, const PathWork& w, int j, Block& block) {
  const std::size_t S = model.stride(), P = model.practices(), T = model.months();
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

}  // namespace

void aggregate_levels(const Model& model, PathWork& w, int j, int b, Block& block) {
  const std::size_t Y = model.years(), D = model.drivers(), S = model.stride();
  const std::size_t L = model.levels().size();
  w.level_spend.resize(L);
  for (std::size_t y = 0; y < Y; ++y) {
    practice_gross(model, w, y, w.gross);
    // The practices as a level of their own, the source of levels that nest no finer one.
    const LevelYear practices{model.practices(), w.gross.data(), nullptr, w.annual.data() + y * S,
                              Y * S};
    std::vector<LevelYear> done;
    done.reserve(L);
    std::vector<std::size_t> index(L);
    for (std::size_t l : model.aggregation_order()) {
      const HolderMap& map = model.levels()[l];
      Block::Level& out = block.levels[l];
      double* gross = out.gross.data() + (y * b + j) * map.size();
      if (map.is_practice_level()) {
        std::copy(w.gross.begin(), w.gross.end(), gross);
        done.push_back({map.size(), gross, nullptr, practices.practice_rows, Y * S});
      } else {
        LevelYear level{map.size(), gross, &w.level_spend[l], nullptr};
        if (map.source == HolderMap::kFromPractices)
          sum_into(map.of_practice, practices, level, D);
        else
          sum_into(map.of_source, done[index[map.source]], level, D);
        done.push_back(level);
      }
      index[l] = done.size() - 1;
      if (!out.by_driver.empty())
        keep_by_driver(done.back(), D, out.by_driver.data() + (y * b + j) * map.size() * D);
      add_attribution(map, done.back(), y, D, out.attribution);
    }
  }
  keep_trajectories(model, w, j, block);
}

}  // namespace rxstress
