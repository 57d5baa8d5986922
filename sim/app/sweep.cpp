// `rxstress sweep SCENARIO --vary key.path=v1,v2,... [--vary ...]`: the grid of every combination
// of the varied values, run on the same paths (the spend simulated once when only terms vary),
// one file with each point's statistics and the headline of every point.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "app/headline.hpp"
#include "app/points.hpp"
#include "app/report_errors.hpp"
#include "app/sweep_file.hpp"
#include "rxstress/error.hpp"
#include "rxstress/scenario.hpp"

namespace rxstress {
namespace {

struct Axis {
  std::string key;
  std::vector<std::string> values;
};

Axis parse_axis(const std::string& spec) {
  const auto eq = spec.find('=');
  const auto bad = [&](const std::string& problem) {
    return InputError({"--vary", 0, 0}, spec, problem, "key.path=value1,value2,...");
  };
  if (eq == std::string::npos || eq == 0) throw bad("no key.path=");
  Axis a{spec.substr(0, eq), split_values(spec.substr(eq + 1))};
  for (const auto& v : a.values)
    if (v.empty()) throw bad("an empty value");
  return a;
}

// Every combination of the axes' values, the first axis varying slowest.
std::vector<Point> grid(const std::vector<Axis>& axes) {
  std::vector<Point> points{{}};
  for (const auto& axis : axes) {
    std::vector<Point> next;
    for (const auto& p : points)
      for (const auto& v : axis.values) {
        next.push_back(p);
        next.back().set.push_back(axis.key + "=" + v);
      }
    points = std::move(next);
  }
  return points;
}

// The headline of every point, all years, with the point's index and varied values first.
Table sweep_table(const std::vector<Axis>& axes, const std::vector<Point>& points,
                  const std::vector<std::string>& files) {
  std::vector<Table> per_point;
  std::vector<std::string> index;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const h5::File f = open_results(files[p]);
    Table t = with_leading("year", per_year_headlines(f), f.attr_strings("settlement_years"));
    for (std::size_t a = axes.size(); a-- > 0;) {
      const std::string& set = points[p].set[a];
      t = with_leading(axes[a].key, {t}, {set.substr(set.find('=') + 1)});
    }
    per_point.push_back(std::move(t));
    index.push_back(std::to_string(p));
  }
  return with_leading("point", per_point, index);
}

void print_sweep(const Table& t, const std::vector<Axis>& axes, std::ostream& out,
                 const std::string& format) {
  if (format != "table") return View{{{"sweep", t}}}.print(out, format);
  std::vector<std::string> keys{"point"};
  for (const auto& a : axes) keys.push_back(a.key);
  for (const char* k :
       {"year", "model", "icb_expected_gbp", "icb_var95_gbp", "icb_es95_gbp",
        "holders_reserve95_gbp", "expected_variance_gbp", "median_holder_p_over_5pct"})
    keys.push_back(k);
  Table shown = select_columns(t, keys);
  shown.title = "Sweep: each point's headline (GBP million; overspend positive)";
  shown.print_text(out);
}

int sweep(const SweepRequest& r, std::ostream& out, std::ostream& err) {
  if (r.vary.empty())
    throw InputError({"--vary", 0, 0}, "", "nothing varies", "at least one --vary key=v1,v2");
  std::vector<Axis> axes;
  for (const auto& spec : r.vary) axes.push_back(parse_axis(spec));
  const std::vector<Point> points = grid(axes);
  refuse_existing(r.run);
  const Scenario base = load_scenario(r.run.scenario, overrides_of(r.run));
  PointFiles files(r.keep_points, r.run.output, points.size());
  const PointRuns runs = run_points(r.run, points, files.files(), err);
  const Table table = sweep_table(axes, points, files.files());
  write_grid_file(r.run.output,
                  {"sweep", r.vary, base.text, r.run.command_line, runs.simulated_once}, points,
                  files.files(), {{"table", table}});
  if (!r.run.quiet)
    err << fmt::format("wrote {}: {} points in {:.1f} s ({})\n", r.run.output, points.size(),
                       runs.seconds,
                       runs.simulated_once ? "spend simulated once" : "one simulation per point");
  print_sweep(table, axes, out, r.format);
  return 0;
}

}  // namespace

int sweep_command(const SweepRequest& r, std::ostream& out, std::ostream& err) {
  return status_reporting_errors(err, [&] { return sweep(r, out, err); });
}

}  // namespace rxstress
