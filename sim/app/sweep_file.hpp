// The file of a grid of runs (sweep, tornado): format "rxstress.sweep", documented in
// sim/io/FORMAT.md. Each point's statistics are copied from its own results file, so that they
// are exactly those of a separate `rxstress run` with the point's --set.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/points.hpp"
#include "app/table.hpp"

namespace rxstress {

struct GridInfo {
  std::string kind;                 // "sweep" or "tornado"
  std::vector<std::string> varied;  // what varies: the --vary specs, the tornado's parameters
  std::string scenario_text;        // the base scenario, resolved (shared overrides applied)
  std::string command_line;
  bool simulated_once = false;
};

// Writes `output` under a temporary name, renamed when complete.
void write_grid_file(const std::string& output, const GridInfo& info,
                     const std::vector<Point>& points, const std::vector<std::string>& point_files,
                     const std::vector<std::pair<std::string, Table>>& tables);

// The columns of `t` whose machine names are `keys`, in that order (absent ones skipped).
Table select_columns(const Table& t, const std::vector<std::string>& keys);

}  // namespace rxstress
