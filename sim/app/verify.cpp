// `rxstress verify`: is a results file intact, laid out as sim/io/FORMAT.md says, and do its paths
// come out the same when recomputed?
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "app/path_check.hpp"
#include "app/report_errors.hpp"
#include "io/results_layout.hpp"
#include "io/results_reader.hpp"
#include "io/sha256.hpp"
#include "rxstress/app.hpp"

namespace rxstress {
namespace {

constexpr std::size_t kSlabBytes = std::size_t{64} << 20;

// What verify found: problems that mean the file is not as written (exit 2) and ones that mean it
// could not be fully verified or recomputes differently (exit 1), each one line for `err`.
struct Findings {
  std::vector<std::string> damage, doubt;
  int status() const { return !damage.empty() ? 2 : !doubt.empty() ? 1 : 0; }
};

// Reads every dataset through: every chunk's checksum is checked by HDF5 on the way.
void check_checksums(const h5::File& f, const std::string& results, std::ostream& out,
                     Findings& found) {
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t bytes = 0;
  std::size_t datasets = 0, unchecked = 0;
  for (const std::string& path : f.dataset_paths()) {
    const h5::Dataset d = f.open_dataset(path);
    try {
      bytes += d.read_through(kSlabBytes);
      ++datasets;
    } catch (const h5::Damaged& e) {
      found.damage.push_back(e.what());
    } catch (const RunError& e) {
      found.damage.push_back(results + ": " + path + ": unreadable: " + e.what());
    }
    const auto dims = d.dims();
    const bool stored = !dims.empty() && std::find(dims.begin(), dims.end(), 0) == dims.end();
    if (stored && d.type_name() != "string" && !d.checksummed()) ++unchecked;
  }
  if (unchecked > 0)
    found.doubt.push_back(fmt::format(
        "{}: {} datasets of numbers carry no checksum (written before rxstress had them): their "
        "contents cannot be verified",
        results, unchecked));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out << fmt::format("checksums: {} datasets read ({:.1f} MB in {:.1f} s){}\n", datasets,
                     bytes / 1e6, seconds,
                     found.damage.empty() ? ", every checksum holds" : ", some damaged");
}

void check_documented_layout(const h5::File& f, const std::string& results, std::ostream& out,
                             Findings& found) {
  const LayoutCheck layout = check_layout(f);
  for (const auto& problem : layout.problems) found.damage.push_back(results + ": " + problem);
  out << fmt::format("layout: {} datasets checked against sim/io/FORMAT.md, {}{}\n",
                     layout.datasets,
                     layout.problems.empty() ? "all as documented"
                                             : fmt::format("{} problems", layout.problems.size()),
                     layout.undocumented.empty()
                         ? ""
                         : fmt::format(" ({} not documented, ignored: {})",
                                       layout.undocumented.size(), layout.undocumented.front()));
}

// Strings carry no checksum; the scenario text has its digest.
void check_scenario_digest(const h5::File& f, const std::string& results, std::ostream& out,
                           Findings& found) {
  const bool same =
      sha256_hex(f.open_dataset("scenario").read_string()) == f.attr_string("scenario_sha256");
  if (!same)
    found.damage.push_back(results +
                           ": /scenario: damaged: its text does not match scenario_sha256");
  out << "scenario: " << (same ? "the text matches scenario_sha256" : "damaged") << "\n";
}

// `n` paths spread evenly over [0, K).
std::vector<std::int64_t> sample_paths(std::int64_t K, int n) {
  std::vector<std::int64_t> paths;
  if (n <= 0 || K <= 0) return paths;
  const std::int64_t count = std::min<std::int64_t>(n, K);
  for (std::int64_t i = 0; i < count; ++i)
    paths.push_back(count == 1 ? 0 : i * (K - 1) / (count - 1));
  return paths;
}

void check_paths(const h5::File& f, const VerifyRequest& r, std::ostream& out, Findings& found) {
  const auto paths = sample_paths(f.attr_int("paths"), r.paths);
  if (paths.empty()) return;
  require_stream_version(f, r.results);
  const Scenario scenario = scenario_of(f, r.results);
  const Model model(scenario);
  std::vector<std::size_t> models(model.scenario().delegation.size());
  for (std::size_t m = 0; m < models.size(); ++m) models[m] = m;
  std::size_t compared = 0, differing = 0;
  Block block;
  for (const std::int64_t k : paths) {
    simulate_block(model, k, 1, block);
    const PathCheck check = check_path(f, model, block, models, k);
    compared += check.compared;
    differing += check.differing;
    for (const auto& m : check.first)
      found.doubt.push_back(fmt::format("{}: {}: stored {:.17g}, recomputed {:.17g}", r.results,
                                        m.where, m.stored, m.recomputed));
  }
  out << fmt::format("paths: {} recomputed ({}): {} of {} values equal bit for bit\n", paths.size(),
                     fmt::join(paths, ", "), compared - differing, compared);
}

int verify(const VerifyRequest& r, std::ostream& out, std::ostream& err) {
  const h5::File f = open_results(r.results);
  out << fmt::format("verify {}: {} paths, written {} by rxstress {}\n", r.results,
                     f.attr_int("paths"), f.attr_string("created"),
                     f.attr_string("rxstress_version"));
  Findings found;
  check_checksums(f, r.results, out, found);
  check_documented_layout(f, r.results, out, found);
  check_scenario_digest(f, r.results, out, found);
  if (found.damage.empty()) {
    try {
      check_paths(f, r, out, found);
    } catch (const std::exception& e) {  // the population CSV moved, say
      found.doubt.push_back(r.results + ": paths not recomputed: " + e.what());
    }
  }
  for (const auto& line : found.damage) err << "rxstress: " << line << "\n";
  for (const auto& line : found.doubt) err << "rxstress: " << line << "\n";
  static constexpr const char* kVerdict[] = {"intact", "NOT VERIFIED", "DAMAGED"};
  out << r.results << ": " << kVerdict[found.status()] << "\n";
  return found.status();
}

}  // namespace

int verify_command(const VerifyRequest& r, std::ostream& out, std::ostream& err) {
  return status_reporting_errors(err, [&] { return verify(r, out, err); });
}

}  // namespace rxstress
