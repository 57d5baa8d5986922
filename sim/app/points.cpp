#include "app/points.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <deque>
#include <memory>
#include <regex>

#include "io/results_writer.hpp"
#include "rxstress/engine.hpp"
#include "rxstress/error.hpp"

namespace rxstress {
namespace {

std::vector<std::string> with(std::vector<std::string> shared, const Point& p) {
  shared.insert(shared.end(), p.set.begin(), p.set.end());
  return shared;
}

std::string point_command(const RunRequest& base, const Point& p) {
  std::string c = "rxstress run " + base.scenario;
  for (const auto& o : with(overrides_of(base), p)) c += " --set " + o;
  return c;
}

RunInfo info_of(const RunRequest& base, const Point& p) {
  return {point_command(base, p), utc_now(), RunOptions{}.block_paths};
}

// Feeds the blocks of a combined model (every point's delegation models one after another) to
// each point's writer, as the block that point's own model would have produced.
class FanOut : public BlockConsumer {
 public:
  FanOut(std::vector<std::unique_ptr<ResultsWriter>>& writers, std::size_t models_per_point)
      : writers_(writers), M_(models_per_point) {}
  void consume(const Block& block) override {
    view_.first = block.first;
    view_.count = block.count;
    view_.trajectory_count = block.trajectory_count;
    view_.levels = block.levels;
    view_.national = block.national;
    view_.detail = block.detail;
    for (std::size_t p = 0; p < writers_.size(); ++p) {
      view_.models.assign(block.models.begin() + p * M_, block.models.begin() + (p + 1) * M_);
      writers_[p]->consume(view_);
    }
  }

 private:
  std::vector<std::unique_ptr<ResultsWriter>>& writers_;
  std::size_t M_;
  Block view_;
};

bool same_levels(const Model& a, const Model& b) {
  if (a.levels().size() != b.levels().size()) return false;
  for (std::size_t l = 0; l < a.levels().size(); ++l)
    if (a.levels()[l].ids != b.levels()[l].ids) return false;
  return true;
}

void run_one(const Model& model, int threads, BlockConsumer& consumer) {
  RunOptions options;
  options.threads = threads;
  if (!run_paths(model, options, consumer)) throw RunError("the run stopped early");
}

// Every point's terms settled on one simulation of the spend paths. False (nothing written) when
// the points' models do not share their holder levels.
bool run_combined(const RunRequest& base, const std::deque<Scenario>& scenarios,
                  const std::deque<Model>& models, const std::vector<Point>& points,
                  const std::vector<std::string>& files, int threads, std::ostream& log) {
  // One scenario holding every point's delegation models: the engine simulates each block of
  // spend once and settles every point's terms on it.
  Scenario combined = load_scenario(base.scenario, overrides_of(base));
  combined.delegation.clear();
  for (std::size_t p = 0; p < points.size(); ++p)
    for (DelegationModel dm : scenarios[p].delegation) {
      dm.name += fmt::format("#{}", p);
      combined.delegation.push_back(dm);
    }
  const Model all(combined);
  if (!same_levels(all, models.front())) return false;
  if (!base.quiet)
    log << fmt::format("simulating {} paths once for {} points (only terms vary)\n", combined.paths,
                       points.size());
  std::vector<std::unique_ptr<ResultsWriter>> writers;
  for (std::size_t p = 0; p < points.size(); ++p)
    writers.push_back(
        std::make_unique<ResultsWriter>(models[p], files[p], info_of(base, points[p])));
  FanOut fan(writers, scenarios.front().delegation.size());
  run_one(all, threads, fan);
  for (auto& w : writers) w->finish();
  return true;
}

}  // namespace

PointFiles::PointFiles(const std::string& keep, const std::string& output, std::size_t n)
    : keep_(!keep.empty()) {
  dir_ = keep_ ? std::filesystem::path(keep)
               : std::filesystem::path(output + fmt::format(".points-{}", getpid()));
  std::filesystem::create_directories(dir_);
  for (std::size_t i = 0; i < n; ++i)
    files_.push_back((dir_ / fmt::format("point-{}.h5", i)).string());
}

PointFiles::~PointFiles() {
  std::error_code ignored;
  if (!keep_) std::filesystem::remove_all(dir_, ignored);
}

void refuse_existing(const RunRequest& r) {
  if (std::filesystem::exists(r.output) && !r.force)
    throw InputError({r.output, 0, 0}, "", "already exists", "--force to overwrite it");
}

// "a,[1,2],{x: 3}" -> "a", "[1,2]", "{x: 3}": commas inside brackets or braces are the value's.
std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> out{""};
  int depth = 0;
  for (char c : text) {
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0)
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::vector<std::string> overrides_of(const RunRequest& r) {
  std::vector<std::string> o = r.overrides;
  if (r.paths) o.push_back(fmt::format("paths={}", *r.paths));
  if (r.seed) o.push_back(fmt::format("seed={}", *r.seed));
  return o;
}

bool terms_only(const std::vector<Point>& points) {
  static const std::regex terms(R"(^delegation\.\d+\.(terms(\..*)?|capacity)=.*)");
  for (const auto& p : points)
    for (const auto& s : p.set)
      if (!std::regex_match(s, terms)) return false;
  return true;
}

PointRuns run_points(const RunRequest& base, const std::vector<Point>& points,
                     const std::vector<std::string>& files, std::ostream& log) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<std::string> shared = overrides_of(base);
  std::deque<Scenario> scenarios;  // models refer to their scenario: stable addresses
  std::deque<Model> models;
  for (const auto& p : points) {
    scenarios.push_back(load_scenario(base.scenario, with(shared, p)));
    models.emplace_back(scenarios.back());
  }
  const int threads = worker_threads(base.threads);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  PointRuns result;
  result.simulated_once =
      terms_only(points) && run_combined(base, scenarios, models, points, files, threads, log);
  if (!result.simulated_once)
    for (std::size_t p = 0; p < points.size(); ++p) {
      if (!base.quiet)
        log << fmt::format("point {}/{}: {}\n", p + 1, points.size(),
                           point_command(base, points[p]));
      ResultsWriter writer(models[p], files[p], info_of(base, points[p]));
      run_one(models[p], threads, writer);
      writer.finish();
    }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace rxstress
