// A grid of runs on the same paths (sweep, tornado): every point is the scenario with its own
// overrides, written to its own results file exactly as `rxstress run --set ...` would write it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "rxstress/app.hpp"

namespace rxstress {

struct Point {
  std::vector<std::string> set;  // this point's overrides, key.path=value
};

// The current time, ISO 8601 UTC (the results file's `created`).
std::string utc_now();

// The overrides every point shares: the request's --set, then --paths and --seed.
std::vector<std::string> overrides_of(const RunRequest& request);

// True when the points differ only in delegation terms or capacities: then the spend paths are
// simulated once and every point's terms are settled on them (the engine settles all the
// points' models of one combined scenario).
bool terms_only(const std::vector<Point>& points);

struct PointRuns {
  bool simulated_once = false;
  double seconds = 0.0;  // wall time of the simulations and statistics passes
};
// Validates every point's scenario first (InputError: nothing is written), then writes point i
// to files[i]. `base` gives the scenario, shared overrides, threads and command line.
PointRuns run_points(const RunRequest& base, const std::vector<Point>& points,
                     const std::vector<std::string>& files, std::ostream& log);

}  // namespace rxstress
