#include "app/resource_guard.hpp"

#include <fmt/format.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>

#include "io/results_writer.hpp"
#include "rxstress/error.hpp"

namespace rxstress {
namespace {

constexpr double kDouble = 8.0, kInt32 = 4.0;
constexpr double kBlockPaths = 32.0;                  // RunOptions::block_paths
constexpr double kProgramBytes = 20.0 * 1024 * 1024;  // code, libraries, HDF5 (measured)
// Statistics per holder and year: mean, sd, se, cv, 10 quantiles, 2 VaR, 2 ES, 2 CI, 6 return
// periods and 16 convergence values; thresholds and drivers are added where used.
constexpr double kStatsPerHolder = 42.0;

// Path datasets of the delegation models ([Y, K, H] and friends) and their statistics.
double model_bytes(const Model& model) {
  const Scenario& sc = model.scenario();
  const double Y = model.years(), K = sc.paths, D = model.drivers();
  const double X = sc.outputs.thresholds.size();
  double bytes = 0.0;
  for (std::size_t l = 0; l < model.levels().size(); ++l) {
    const double H = model.levels()[l].size();
    bytes += Y * K * H * kDouble;  // gross, shared by the level's models
    if (H <= kMaxAttributedHolders) bytes += Y * K * H * D * kDouble;  // gross_by_driver
  }
  for (std::size_t m = 0; m < sc.delegation.size(); ++m) {
    const double H = model.levels()[model.level_of_model(m)].size();
    if (sc.delegation[m].terms.any()) bytes += Y * K * H * kDouble;  // outcome
    bytes += Y * K * kDouble + Y * K * X * kInt32;                   // icb_residual, breaches
    bytes += Y * (H + 1) * (kStatsPerHolder + X + 2 * D) * kDouble;  // stats
  }
  return bytes;
}

// Everything else: /national, /trajectories, /drivers/detail and the practice table.
double other_bytes(const Model& model) {
  const Scenario& sc = model.scenario();
  const double Y = model.years(), K = sc.paths, T = model.months(), P = model.practices();
  double bytes = K * model.national_width() * kDouble;
  const double S = model.trajectory_paths();
  for (std::size_t l = 0; l < model.levels().size(); ++l)
    if (model.keeps_trajectories(l)) bytes += (S + 1) * T * model.levels()[l].size() * kDouble;
  bytes += model.detail_drivers().size() * Y * K * P * kDouble;
  return bytes + P * (Y + 8) * kDouble + sc.text.size();
}

// statvfs's f_bavail: what a user who is not root may still write.
std::optional<double> free_bytes(const std::string& directory) {
  struct statvfs fs {};
  if (statvfs(directory.c_str(), &fs) != 0) return std::nullopt;
  return static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize);
}

// MemAvailable of /proc/meminfo: what can be allocated without swapping, page cache included.
std::optional<double> available_memory() {
  std::ifstream meminfo("/proc/meminfo");
  for (std::string key; meminfo >> key;) {
    double kib = 0.0;
    if (key == "MemAvailable:" && meminfo >> kib) return kib * 1024.0;
    meminfo.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return std::nullopt;
}

}  // namespace

std::string lack_of_room(const ResourceEstimate& e, const std::string& directory) {
  if (directory.empty()) {
    const auto available = available_memory();
    const double needed = e.output_bytes + e.memory_bytes;
    if (!available || needed <= *available) return {};
    return fmt::format(
        "with --no-output the results file is held in memory: about {} with the run's own, more "
        "than the {} available",
        format_gb(needed), format_gb(*available));
  }
  const auto free = free_bytes(directory);
  if (!free || e.output_bytes <= *free) return {};
  return fmt::format(
      "the results file would be about {} (uncompressed), more than the {} free in {}",
      format_gb(e.output_bytes), format_gb(*free), directory);
}

ResourceEstimate estimate_resources(const Model& model, int threads) {
  const double Y = model.years(), D = model.drivers(), K = model.scenario().paths;
  const double P = model.practices(), T = model.months();
  ResourceEstimate e;
  e.output_bytes = model_bytes(model) + other_bytes(model);
  // The pipeline keeps 2 blocks per thread in flight; each holds gross and by_driver per level
  // (D + 1 values per holder and year) plus the models' outcomes (about one more).
  double per_path = 0.0, most_holders = 0.0;
  for (const auto& level : model.levels()) {
    per_path += Y * level.size() * (D + 2) * kDouble;
    most_holders = std::max(most_holders, static_cast<double>(level.size()));
  }
  e.memory_bytes = kProgramBytes + 2.0 * threads * kBlockPaths * per_path;
  e.memory_bytes += statistics_pass_bytes(K, most_holders, threads);
  e.memory_bytes += P * T * D * kDouble;  // the model's exact expectations
  return e;
}

std::uint64_t parse_size(std::string_view text, const std::string& option) {
  const auto bad = [&] {
    // Appended, not "'" + std::string(text) + ...: GCC 12 warns falsely on that at -O2 (-Wrestrict,
    // GCC bug 105651).
    std::string what = "'";
    what.append(text).append("' is not a size");
    return InputError({"command line", 0, 0}, option, what,
                      "a number of bytes, optionally with K, M, G or T (e.g. 500M, 20G)");
  };
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || !std::isfinite(value) || value < 0) throw bad();
  std::string unit(end, text.data() + text.size());
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.ends_with("IB"))
    unit.resize(unit.size() - 2);
  else if (unit.size() > 1 && unit.ends_with("B"))
    unit.pop_back();
  static constexpr std::string_view kUnits = "BKMGT";
  const std::size_t power = unit.empty() ? 0 : kUnits.find(unit);
  if (unit.size() > 1 || power == std::string_view::npos) throw bad();
  const double bytes = value * std::pow(1024.0, static_cast<double>(power));
  if (bytes >= 1.8e19) throw bad();
  return static_cast<std::uint64_t>(bytes);
}

std::string format_gb(double bytes) {
  const double gb = bytes / 1e9;
  return gb >= 10 ? fmt::format("{:.0f} GB", gb) : fmt::format("{:.3g} GB", gb);
}

}  // namespace rxstress
