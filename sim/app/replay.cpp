// `rxstress replay`: one path recomputed from the file's own scenario and seed, compared bit for
// bit with what the file stores, then the holder's spend on that path broken down by driver (the
// answer to "why did this path overspend?").
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>
#include <set>

#include "app/headline.hpp"
#include "app/report_errors.hpp"
#include "rxstress/app.hpp"
#include "rxstress/engine.hpp"
#include "rxstress/error.hpp"
#include "rxstress/random.hpp"

namespace rxstress {
namespace {

constexpr std::size_t kMismatchesShown = 10;

struct Mismatch {
  std::string where;
  double stored, recomputed;
};

struct Check {
  std::size_t compared = 0, differing = 0;
  std::vector<Mismatch> first;
};

// The holder whose spend is broken down.
struct Target {
  std::size_t model, level, holder;
};

InputError bad_input(const ReplayRequest& r, const std::string& key, const std::string& problem,
                     const std::string& expected) {
  return InputError({r.results, 0, 0}, key, problem, expected);
}

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
             hsize_t Y, hsize_t H, const std::vector<std::string>& holders, Check& check) {
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

// Models named by --model (all when empty), as indices into the scenario's delegation.
std::vector<std::size_t> selected_models(const Scenario& sc, const ReplayRequest& r) {
  std::vector<std::size_t> out;
  for (std::size_t m = 0; m < sc.delegation.size(); ++m)
    if (r.model.empty() || sc.delegation[m].name == r.model) out.push_back(m);
  if (out.empty())
    throw bad_input(r, "--model", "no model '" + r.model + "'", "one of the file's models");
  return out;
}

Check check_path(const h5::File& f, const Model& model, const Block& block,
                 const std::vector<std::size_t>& models, std::int64_t k) {
  const Scenario& sc = model.scenario();
  const hsize_t Y = model.years();
  Check check;
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

void report_check(const Check& c, std::int64_t k, std::ostream& out, std::ostream& err) {
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

// --holder, else the ICB-level model's single holder, else the first model's first holder.
Target find_target(const Model& model, const std::vector<std::size_t>& models,
                   const ReplayRequest& r) {
  for (std::size_t m : models) {
    const std::size_t l = model.level_of_model(m);
    const auto& ids = model.levels()[l].ids;
    if (r.holder.empty() && model.levels()[l].level == HolderLevel::icb) return {m, l, 0};
    const auto it = std::find(ids.begin(), ids.end(), r.holder);
    if (!r.holder.empty() && it != ids.end())
      return {m, l, static_cast<std::size_t>(it - ids.begin())};
  }
  if (r.holder.empty()) return {models[0], model.level_of_model(models[0]), 0};
  throw bad_input(
      r, "--holder",
      "no holder '" + r.holder + "'" + (r.model.empty() ? "" : " in model '" + r.model + "'"),
      "a holder id from /models/<name>/holders");
}

// Exact expected spend of driver d for the holder in settlement year y: its practices' months.
double expected_spend(const Model& model, const Target& t, std::size_t d, int y) {
  const HolderMap& map = model.levels()[t.level];
  const std::size_t T = model.months();
  double sum = 0.0;
  for (std::size_t i = 0; i < model.practices(); ++i) {
    if (map.of_practice[i] != t.holder) continue;
    for (std::size_t m = 0; m < T; ++m)
      if (model.calendar().year_of(static_cast<int>(m)) == y) sum += model.expected()[d][i * T + m];
  }
  return sum;
}

Table breakdown_table(const Model& model, const Block& block, const Target& t, std::int64_t k,
                      int y) {
  const HolderMap& map = model.levels()[t.level];
  const std::size_t H = map.size(), D = model.drivers();
  const double nan = std::nan("");
  Table table;
  table.title =
      fmt::format("path {}, {}: {} ({}), spend by driver, GBP", k, model.calendar().year_label(y),
                  map.ids[t.holder], level_name(map.level));
  table.columns = {{"item"}, {"GBP", 0}, {"expected", 0}, {"over expected", 0}};
  const double* spend = block.levels[t.level].by_driver.data() + (y * H + t.holder) * D;
  double total = 0.0, total_expected = 0.0;
  for (std::size_t d = 0; d < D; ++d) {
    const double e = expected_spend(model, t, d, y);
    table.rows.push_back({model.scenario().drivers[d]->name(), spend[d], e, spend[d] - e});
    total += spend[d];
    total_expected += e;
  }
  table.rows.push_back({"total spend", total, total_expected, total - total_expected});
  table.rows.push_back({"budget", map.budget[y * H + t.holder], nan, nan});
  table.rows.push_back({"gross variance", block.levels[t.level].gross[y * H + t.holder], nan, nan});
  return table;
}

// Paths can only be recomputed with the stream scheme that drew them: files written before
// stream scheme 2 (no `stream_version`) are refused, not reported as mismatches.
void require_stream_version(const h5::File& f, const ReplayRequest& r) {
  const std::int64_t version = f.has_attr("stream_version") ? f.attr_int("stream_version") : 1;
  if (version != kStreamVersion)
    throw bad_input(r, "stream_version",
                    fmt::format("the file was drawn with random stream scheme {} (rxstress before "
                                "0.2), which this rxstress no longer has",
                                version),
                    fmt::format("a file of stream scheme {}: run its scenario again with this "
                                "rxstress to replay it",
                                kStreamVersion));
}

int replay(const ReplayRequest& r, std::ostream& out, std::ostream& err) {
  const h5::File f = open_results(r.results);
  require_stream_version(f, r);
  const std::int64_t K = f.attr_int("paths");
  if (r.path < 0 || r.path >= K)
    throw bad_input(r, "--path", fmt::format("path {} is out of range", r.path),
                    fmt::format("0 <= path < {} (the file's paths)", K));
  const Scenario sc =
      load_scenario_text(f.open_dataset("scenario").read_string(), scenario_file_of(f, r.results));
  const Model model(sc);
  const auto models = selected_models(sc, r);
  const Target target = find_target(model, models, r);
  Block block;
  simulate_block(model, r.path, 1, block);
  const Check check = check_path(f, model, block, models, r.path);
  // Keep stdout parseable as csv/json: the verdict then goes to stderr.
  report_check(check, r.path, r.format == "table" ? out : err, err);
  std::vector<Table> tables;
  std::vector<std::string> years;
  for (int y = 0; y < model.years(); ++y) {
    tables.push_back(breakdown_table(model, block, target, r.path, y));
    years.push_back(model.calendar().year_label(y));
  }
  if (r.format == "table") out << "\n";
  print_by_year(tables, years, out, r.format);
  return check.differing == 0 ? 0 : 1;
}

}  // namespace

int replay_command(const ReplayRequest& r, std::ostream& out, std::ostream& err) {
  return status_reporting_errors(err, [&] { return replay(r, out, err); });
}

}  // namespace rxstress
