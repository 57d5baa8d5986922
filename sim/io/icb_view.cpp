// The ICB view of every model (issue 15): what the ICB carries on each path (the residual of the
// terms, plus holders' overspend beyond their capacity, or everything when it holds the budget),
// and the reserve each holder needs at the scenario's cover levels.
#include "io/results_writer.hpp"
#include "rxstress/terms.hpp"

namespace rxstress {

void icb_carried_block(const Model& model, const Block& block, std::size_t m,
                       std::vector<double>& out) {
  const DelegationModel& dm = model.scenario().delegation[m];
  const HolderMap& map = model.levels()[model.level_of_model(m)];
  const std::size_t Y = model.years(), b = block.count, H = map.size();
  const std::vector<double>& outcome = block.outcome(model, m);
  const std::vector<double>& residual = block.models[m].residual;
  out.resize(Y * b);
  for (std::size_t y = 0; y < Y; ++y)
    for (std::size_t j = 0; j < b; ++j)
      out[y * b + j] =
          icb_carried({outcome.data() + (y * b + j) * H, H}, {map.budget.data() + y * H, H},
                      residual[y * b + j], dm.capacity, dm.level == HolderLevel::icb);
}

void write_reserves(h5::Group& stats, const Model& model, std::size_t m, const LevelStats& level) {
  const DelegationModel& dm = model.scenario().delegation[m];
  const HolderMap& map = model.levels()[model.level_of_model(m)];
  const std::vector<double>& cover = model.scenario().outputs.cover;
  const hsize_t Y = model.years(), H = map.size(), C = cover.size();
  std::vector<double> reserve(Y * H * C);
  for (hsize_t j = 0; j < Y * H; ++j)
    for (hsize_t c = 0; c < C; ++c)
      reserve[j * C + c] =
          holder_reserve(level.extra_quantiles[j * C + c], map.budget[j], dm.capacity);
  stats.write<double>("reserve", reserve, {Y, H, C});
  h5::Dataset d = stats.open_dataset("reserve");
  d.set_attr("cover", std::span<const double>(cover));
  d.set_attr("unit", std::string_view("GBP"));
  d.set_attr("meaning",
             std::string_view("reserve the holder needs so that its retained overspend exceeds "
                              "it in at most 1 - cover of years (at most its capacity)"));
}

}  // namespace rxstress
