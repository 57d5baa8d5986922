// A grid of runs on the same paths (sweep, tornado): every point is the scenario with its own
// overrides, written to its own results file exactly as `rxstress run --set ...` would write it.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "rxstress/app.hpp"

namespace rxstress {

struct Point {
  std::vector<std::string> set;  // this point's overrides, key.path=value
};

// "a,[1,2],{x: 3}" -> "a", "[1,2]", "{x: 3}": commas inside brackets or braces are the value's.
std::vector<std::string> split_values(const std::string& text);

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

// Where each point's results file goes: `keep` (--keep-points DIR), or a temporary directory
// beside `output`, removed with everything in it.
class PointFiles {
 public:
  PointFiles(const std::string& keep, const std::string& output, std::size_t n);
  ~PointFiles();
  PointFiles(const PointFiles&) = delete;
  PointFiles& operator=(const PointFiles&) = delete;
  const std::vector<std::string>& files() const { return files_; }

 private:
  bool keep_;
  std::filesystem::path dir_;
  std::vector<std::string> files_;
};

// Bad input (exit 2) when the request's output exists and --force was not given.
void refuse_existing(const RunRequest& request);

}  // namespace rxstress
