// `rxstress replay`: one path recomputed from the file's own scenario and seed, compared bit for
// bit with what the file stores, then the holder's spend on that path broken down by driver (the
// answer to "why did this path overspend?").
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "app/headline.hpp"
#include "app/path_check.hpp"
#include "app/report_errors.hpp"
#include "rxstress/app.hpp"
#include "rxstress/engine.hpp"
#include "rxstress/error.hpp"

namespace rxstress {
namespace {

// The holder whose spend is broken down.
struct Target {
  std::size_t model, level, holder;
};

InputError bad_input(const ReplayRequest& r, const std::string& key, const std::string& problem,
                     const std::string& expected) {
  return InputError({r.results, 0, 0}, key, problem, expected);
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

int replay(const ReplayRequest& r, std::ostream& out, std::ostream& err) {
  const h5::File f = open_results(r.results);
  require_stream_version(f, r.results);
  const std::int64_t K = f.attr_int("paths");
  if (r.path < 0 || r.path >= K)
    throw bad_input(r, "--path", fmt::format("path {} is out of range", r.path),
                    fmt::format("0 <= path < {} (the file's paths)", K));
  const Scenario sc = scenario_of(f, r.results);
  const Model model(sc);
  const auto models = selected_models(sc, r);
  const Target target = find_target(model, models, r);
  Block block;
  simulate_block(model, r.path, 1, block, BlockDetail::all);
  const PathCheck check = check_path(f, model, block, models, r.path);
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
