// `rxstress tornado SCENARIO`: each numeric driver parameter (or a chosen list) set low and high
// (value x (1 -/+ swing), or a file of ranges), each a run on the same paths, ranked by its effect
// on one metric of one model (what the ICB carries at 1-in-20, its mean, or the median holder's
// P(>5%)), with the paired Monte Carlo standard error of each effect.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>

#include "app/headline.hpp"
#include "app/points.hpp"
#include "app/report_errors.hpp"
#include "app/sweep_file.hpp"
#include "io/path_strips.hpp"
#include "io/results_reader.hpp"
#include "rxstress/error.hpp"
#include "rxstress/scenario.hpp"
#include "rxstress/stats.hpp"

namespace rxstress {
namespace {

struct Swing {
  std::string key;  // as --set takes it: drivers.0.growth.mean
  double base = 0.0, low = 0.0, high = 0.0;
};

std::optional<double> number(const std::string& text) {
  double x = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(x)) return {};
  return x;
}

// drivers[0].growth.mean -> drivers.0.growth.mean
std::string set_key(const std::string& key_path) {
  static const std::regex index(R"(\[(\d+)\])");
  return std::regex_replace(key_path, index, ".$1");
}

// Every numeric, non-zero driver parameter of the scenario, keyed as --set takes it.
std::map<std::string, double> numeric_parameters(const Scenario& sc) {
  std::map<std::string, double> out;
  for (const auto& log : sc.driver_params)
    for (const auto& p : *log)
      if (const auto x = number(p.value); x && *x != 0.0) out[set_key(p.key_path)] = *x;
  return out;
}

// --ranges FILE: lines "key.path,low,high" ('#' starts a comment).
std::vector<Swing> read_ranges(const std::string& path,
                               const std::map<std::string, double>& params) {
  std::ifstream in(path);
  if (!in)
    throw InputError({path, 0, 0}, "--ranges", "cannot read the file", "a readable CSV file");
  std::vector<Swing> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> cell = split_values(line);
    const auto low = cell.size() == 3 ? number(cell[1]) : std::nullopt;
    const auto high = cell.size() == 3 ? number(cell[2]) : std::nullopt;
    if (!low || !high)
      throw InputError({path, n, 1}, "", "'" + line + "' is not key.path,low,high",
                       "a driver parameter and two numbers");
    const auto base = params.find(cell[0]);
    if (base == params.end())
      throw InputError({path, n, 1}, cell[0], "not a numeric driver parameter of the scenario",
                       "a key as `rxstress validate --explain` lists it, e.g. drivers.0.growth.sd");
    out.push_back({cell[0], base->second, *low, *high});
  }
  return out;
}

// value x factor to 10 significant digits, so that the --set of a point reads 0.042, not
// 0.041999999999999996.
double scaled(double value, double factor) {
  return *number(fmt::format("{:.10g}", value * factor));
}

std::vector<Swing> swings(const TornadoRequest& r, const Scenario& sc) {
  const auto params = numeric_parameters(sc);
  if (!r.ranges.empty()) return read_ranges(r.ranges, params);
  std::vector<Swing> out;
  if (r.params.empty())
    for (const auto& [key, x] : params)
      out.push_back({key, x, scaled(x, 1 - r.swing), scaled(x, 1 + r.swing)});
  for (const auto& key : r.params) {
    const auto p = params.find(key);
    if (p == params.end())
      throw InputError({"--params", 0, 0}, key, "not a non-zero numeric driver parameter",
                       "a key as `rxstress validate --explain` lists it, e.g. drivers.0.growth.sd");
    out.push_back({key, p->second, scaled(p->second, 1 - r.swing), scaled(p->second, 1 + r.swing)});
  }
  return out;
}

// The paths a metric is computed from, for one point: what the ICB carries, or whether each
// holder's outcome is over 5 % of its budget (a byte per path and holder, not the outcome: that is
// all the metric reads, and 8 times less to hold at the practice level).
struct MetricData {
  std::vector<double> carried;     // [K]
  std::vector<std::uint8_t> over;  // [K, H]: outcome > 0.05 x budget
  std::size_t K = 0, H = 0;
};

bool needs_holders(const std::string& metric) { return metric == "median_p_over_5pct"; }

MetricData read_metric_data(const std::string& file, const std::string& model,
                            const std::string& metric) {
  const h5::File f = open_results(file);
  const h5::Group g = f.open_group("models/" + model);
  MetricData d;
  d.K = static_cast<std::size_t>(f.attr_int("paths"));
  d.H = g.open_dataset("holders").read_strings().size();
  d.carried.resize(d.K);
  const hsize_t roff[] = {0, 0}, rcnt[] = {1, d.K};
  g.open_dataset("icb_carries").read_slab<double>(roff, rcnt, d.carried.data());
  if (!needs_holders(metric)) return d;
  auto budget = g.open_dataset("budget").read_all<double>();
  budget.resize(d.H);  // the first settlement year
  // A strip of paths at a time, so that the outcomes are never all in memory.
  d.over.resize(d.K * d.H);
  h5::for_each_path(g.open_dataset("outcome"), 0, [&](std::size_t k, const double* outcome) {
    for (std::size_t h = 0; h < d.H; ++h) d.over[k * d.H + h] = outcome[h] > 0.05 * budget[h];
  });
  return d;
}

// The metric over paths [begin, end).
double metric(const std::string& name, const MetricData& d, std::size_t begin, std::size_t end) {
  if (needs_holders(name)) {
    std::vector<double> p(d.H, 0.0);
    for (std::size_t k = begin; k < end; ++k)
      for (std::size_t h = 0; h < d.H; ++h) p[h] += d.over[k * d.H + h];
    for (double& x : p) x /= static_cast<double>(end - begin);
    std::sort(p.begin(), p.end());
    const std::size_t n = p.size();
    return n % 2 ? p[n / 2] : 0.5 * (p[n / 2 - 1] + p[n / 2]);
  }
  std::vector<double> x(d.carried.begin() + begin, d.carried.begin() + end);
  if (name == "icb_mean") {
    double sum = 0.0;
    for (double v : x) sum += v;
    return sum / static_cast<double>(x.size());
  }
  std::sort(x.begin(), x.end());
  return stats::quantile_sorted(x, 0.95);  // icb_var95
}

// metric(high) - metric(low) and its paired standard error by batch means.
std::pair<double, double> effect(const std::string& name, const MetricData& low,
                                 const MetricData& high) {
  const double all = metric(name, high, 0, high.K) - metric(name, low, 0, low.K);
  std::vector<double> per_batch;
  if (low.K >= stats::kBatches)
    for (auto [b, e] : stats::batch_ranges(low.K, stats::kBatches))
      per_batch.push_back(metric(name, high, b, e) - metric(name, low, b, e));
  return {all, stats::batch_se(per_batch)};
}

Table tornado_table(const TornadoRequest& r, const std::string& model, const std::vector<Swing>& s,
                    const std::vector<std::string>& files) {
  const MetricData base = read_metric_data(files[0], model, r.metric);
  const bool money = r.metric != "median_p_over_5pct";
  const double scale = money ? 1e-6 : 100;
  const char* suffix = money ? "" : "%";
  Table t;
  t.title = fmt::format("Tornado: effect of each parameter (low -> high) on {} under model {}{}",
                        r.metric, model, money ? " (GBP million)" : "");
  t.columns = {{"rank", 0},
               {"parameter"},
               {"base", 4},
               {"low", 4},
               {"high", 4},
               {"at low", 2, scale, suffix, "metric_low"},
               {"at base", 2, scale, suffix, "metric_base"},
               {"at high", 2, scale, suffix, "metric_high"},
               {"effect", 2, scale, suffix, "effect"},
               {"se", 2, scale, suffix, "se"},
               {"", 0, 1, "", "bar"}};
  const double at_base = metric(r.metric, base, 0, base.K);
  struct Row {
    std::vector<Cell> cells;
    double size;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const MetricData low = read_metric_data(files[1 + 2 * i], model, r.metric);
    const MetricData high = read_metric_data(files[2 + 2 * i], model, r.metric);
    const auto [e, se] = effect(r.metric, low, high);
    rows.push_back({{0.0, s[i].key, s[i].base, s[i].low, s[i].high, metric(r.metric, low, 0, low.K),
                     at_base, metric(r.metric, high, 0, high.K), e, se},
                    std::abs(e)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.size > b.size; });
  const double largest = rows.empty() ? 0.0 : rows[0].size;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].cells[0] = double(i + 1);
    const int width = largest > 0 ? static_cast<int>(std::lround(30 * rows[i].size / largest)) : 0;
    rows[i].cells.push_back(std::string(width, '#'));
    t.rows.push_back(std::move(rows[i].cells));
  }
  return t;
}

// The swings whose low and high scenarios are both valid; the others are reported and dropped
// (a probability pushed above 1, a growth sd whose high value allows spend below zero).
std::vector<Swing> valid_swings(const TornadoRequest& r, std::vector<Swing> s, std::ostream& err) {
  std::vector<Swing> out;
  for (const auto& w : s) try {
      for (double v : {w.low, w.high}) {
        auto o = overrides_of(r.run);
        o.push_back(fmt::format("{}={}", w.key, v));
        load_scenario(r.run.scenario, o);
      }
      out.push_back(w);
    } catch (const InputError& e) {
      err << "rxstress: tornado: skipped " << w.key << ": " << e.what() << "\n";
    }
  return out;
}

int tornado(const TornadoRequest& r, std::ostream& out, std::ostream& err) {
  refuse_existing(r.run);
  const Scenario base = load_scenario(r.run.scenario, overrides_of(r.run));
  const std::string model = r.model.empty() ? base.delegation.at(0).name : r.model;
  if (std::none_of(base.delegation.begin(), base.delegation.end(),
                   [&](const auto& dm) { return dm.name == model; }))
    throw InputError({r.run.scenario, 0, 0}, "--model", "no model '" + model + "'",
                     "one of the scenario's delegation models");
  const std::vector<Swing> s = valid_swings(r, swings(r, base), err);
  if (s.empty())
    throw InputError({r.run.scenario, 0, 0}, "--params", "no numeric driver parameter to vary",
                     "a scenario with non-zero numeric driver parameters");
  std::vector<Point> points{{}};
  std::vector<std::string> varied;
  for (const auto& w : s) {
    points.push_back({{fmt::format("{}={}", w.key, w.low)}});
    points.push_back({{fmt::format("{}={}", w.key, w.high)}});
    varied.push_back(fmt::format("{}={},{}", w.key, w.low, w.high));
  }
  const PointFiles files(r.keep_points, r.run.output, points.size());
  const PointRuns runs = run_points(r.run, points, files.files(), err);
  const Table table = tornado_table(r, model, s, files.files());
  write_grid_file(r.run.output,
                  {"tornado", varied, base.text, r.run.command_line, runs.simulated_once}, points,
                  files.files(), {{"tornado", table}});
  if (!r.run.quiet)
    err << fmt::format("wrote {}: {} runs in {:.1f} s\n", r.run.output, points.size(),
                       runs.seconds);
  if (r.format == "table")
    table.print_text(out);
  else
    View{{{"tornado", table}}}.print(out, r.format);
  return 0;
}

}  // namespace

int tornado_command(const TornadoRequest& r, std::ostream& out, std::ostream& err) {
  return status_reporting_errors(err, [&] { return tornado(r, out, err); });
}

}  // namespace rxstress
