#include "app/sweep_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "io/results_reader.hpp"
#include "io/sha256.hpp"
#include "rxstress/error.hpp"

namespace rxstress {
namespace {

// The run attributes every point shares, taken from the first point's results file.
void copy_run_attributes(const h5::File& from, h5::File& to) {
  for (const char* name : {"seed", "paths", "horizon_months"})
    to.set_attr(name, from.attr_int(name));
  for (const char* name : {"start", "scenario_name", "currency"})
    to.set_attr(name, std::string_view(from.attr_string(name)));
  const auto years = from.attr_strings("settlement_years");
  to.set_attr("settlement_years", std::span<const std::string>(years));
}

void write_point(h5::File& out, std::size_t i, const Point& point, const std::string& file) {
  const h5::File f = open_results(file);
  h5::Group g = out.create_group(fmt::format("points/{}", i));
  g.set_attr("set", std::span<const std::string>(point.set));
  g.set_attr("scenario_sha256", std::string_view(f.attr_string("scenario_sha256")));
  g.set_attr("command_line", std::string_view(f.attr_string("command_line")));
  const auto models = model_names(f);
  g.create_group("models").set_attr("order", std::span<const std::string>(models));
  for (const auto& m : models) {
    const std::string from = "models/" + m, to = "models/" + m;
    h5::Group mg = g.create_group(to);
    const h5::Group source = f.open_group(from);
    mg.set_attr("holder_level", std::string_view(source.attr_string("holder_level")));
    mg.set_attr("terms", std::string_view(source.attr_string("terms")));
    for (const char* part : {"holders", "budget", "stats"})
      g.copy_from(f, from + "/" + part, to + "/" + part);
  }
}

void write_table(h5::Group g, const Table& t) {
  std::vector<std::string> names;
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const std::string& name = t.columns[c].machine_name();
    names.push_back(name);
    const bool text = !t.rows.empty() && std::holds_alternative<std::string>(t.rows[0][c]);
    if (text) {
      std::vector<std::string> v;
      for (const auto& row : t.rows) v.push_back(std::get<std::string>(row[c]));
      g.write_strings(name, v);
    } else {
      std::vector<double> v;
      for (const auto& row : t.rows) v.push_back(std::get<double>(row[c]));
      g.write<double>(name, v, {v.size()});
    }
  }
  g.set_attr("columns", std::span<const std::string>(names));
}

}  // namespace

void write_grid_file(const std::string& output, const GridInfo& info,
                     const std::vector<Point>& points, const std::vector<std::string>& point_files,
                     const std::vector<std::pair<std::string, Table>>& tables) {
  namespace fs = std::filesystem;
  const std::string temporary = fmt::format("{}.partial-{}", output, getpid());
  try {
    h5::File out = h5::File::create(temporary);
    out.set_attr("format", std::string_view("rxstress.sweep"));
    out.set_attr("format_version", std::int64_t{1});
    out.set_attr("kind", std::string_view(info.kind));
    out.set_attr("rxstress_version", std::string_view(RXSTRESS_VERSION));
    out.set_attr("created", std::string_view(utc_now()));
    out.set_attr("command_line", std::string_view(info.command_line));
    out.set_attr("scenario_sha256", std::string_view(sha256_hex(info.scenario_text)));
    out.set_attr("varied", std::span<const std::string>(info.varied));
    out.set_attr("simulated_once", std::int64_t{info.simulated_once});
    out.write_string("scenario", info.scenario_text);
    copy_run_attributes(open_results(point_files.at(0)), out);
    for (std::size_t i = 0; i < points.size(); ++i) write_point(out, i, points[i], point_files[i]);
    for (const auto& [name, table] : tables) write_table(out.create_group(name), table);
    out.close();
    fs::rename(temporary, output);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

Table select_columns(const Table& t, const std::vector<std::string>& keys) {
  Table out;
  out.title = t.title;
  std::vector<std::size_t> index;
  for (const auto& key : keys)
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      if (t.columns[c].machine_name() == key) {
        index.push_back(c);
        out.columns.push_back(t.columns[c]);
      }
  for (const auto& row : t.rows) {
    out.rows.emplace_back();
    for (std::size_t c : index) out.rows.back().push_back(row[c]);
  }
  return out;
}

}  // namespace rxstress
