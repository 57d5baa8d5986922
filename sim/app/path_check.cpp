#include "app/path_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <set>

#include "rxstress/error.hpp"
#include "rxstress/random.hpp"

namespace rxstress {
namespace {

constexpr std::size_t kMismatchesShown = 10;

// Where the scenario was read from, to resolve a relative population CSV. Files written before
// the `scenario_file` attribute existed: next to the results file, the likeliest place.
std::string scenario_file_of(const h5::File& f, const std::string& results) {
  if (f.has_attr("scenario_file") && !f.attr_string("scenario_file").empty())
    return f.attr_string("scenario_file");
  return (std::filesystem::absolute(results).parent_path() / "scenario.yaml").string();
}

// Bitwise, not ==: a NaN stored for a NaN recomputed is equal, -0 for +0 is not.
bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Compares path k of a [Y, K, H] dataset (H = 0: a [Y, K] dataset) with `recomputed`, [y][h].
void compare(const h5::Group& g, const std::string& path, std::int64_t k, const double* recomputed,
             hsize_t Y, hsize_t H, const std::vector<std::string>& holders, PathCheck& check) {
  const hsize_t width = std::max<hsize_t>(H, 1), K = static_cast<hsize_t>(k);
  std::vector<double> stored(Y * width);
  const hsize_t off[] = {0, K, 0}, cnt[] = {Y, 1, H};
  const std::size_t rank = H > 0 ? 3 : 2;
  g.open_dataset(path).read_slab<double>(std::span(off, rank), std::span(cnt, rank), stored.data());
  for (hsize_t i = 0; i < stored.size(); ++i) {
    ++check.compared;
    if (same_bits(stored[i], recomputed[i])) continue;
    ++check.differing;
    if (check.first.size() >= kMismatchesShown) continue;
    const hsize_t y = i / width, h = i % width;
    const std::string where = H > 0 ? fmt::format("/{}[{}, {}, {}] ({})", path, y, k, h, holders[h])
                                    : fmt::format("/{}[{}, {}]", path, y, k);
    check.first.push_back({where, stored[i], recomputed[i]});
  }
}

}  // namespace

void require_stream_version(const h5::File& f, const std::string& results) {
  const std::int64_t version = f.has_attr("stream_version") ? f.attr_int("stream_version") : 1;
  if (version != kStreamVersion)
    throw InputError({results, 0, 0}, "stream_version",
                     fmt::format("the file was drawn with random stream scheme {} (rxstress "
                                 "before 0.2), which this rxstress no longer has",
                                 version),
                     fmt::format("a file of stream scheme {}: run its scenario again with this "
                                 "rxstress to replay it",
                                 kStreamVersion));
}

Scenario scenario_of(const h5::File& f, const std::string& results) {
  return load_scenario_text(f.open_dataset("scenario").read_string(), scenario_file_of(f, results));
}

PathCheck check_path(const h5::File& f, const Model& model, const Block& block,
                     const std::vector<std::size_t>& models, std::int64_t k) {
  const Scenario& sc = model.scenario();
  const hsize_t Y = model.years();
  PathCheck check;
  std::set<std::size_t> levels_done;  // models of one level share (hard-link) one gross
  for (std::size_t m : models) {
    const std::size_t l = model.level_of_model(m);
    const auto& ids = model.levels()[l].ids;
    const hsize_t H = ids.size();
    const std::string g = "models/" + sc.delegation[m].name;
    if (levels_done.insert(l).second)
      compare(f, g + "/gross", k, block.levels[l].gross.data(), Y, H, ids, check);
    if (!block.models[m].retained.empty())
      compare(f, g + "/outcome", k, block.models[m].retained.data(), Y, H, ids, check);
    compare(f, g + "/icb_residual", k, block.models[m].residual.data(), Y, 0, ids, check);
  }
  return check;
}

void report_check(const PathCheck& c, std::int64_t k, std::ostream& out, std::ostream& err) {
  if (c.differing == 0) {
    out << fmt::format("path {}: recomputed = stored for {} values\n", k, c.compared);
    return;
  }
  err << fmt::format("path {}: recomputed != stored for {} of {} values; first mismatches:\n", k,
                     c.differing, c.compared);
  for (const auto& m : c.first)
    err << fmt::format("  {}: stored {:.17g}, recomputed {:.17g}\n", m.where, m.stored,
                       m.recomputed);
}

}  // namespace rxstress
