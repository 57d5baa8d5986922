// `rxstress replay` (one path recomputed and compared bit for bit with the results file, and its
// per-driver breakdown) and the resource guard of `rxstress run` (--max-output, the estimate).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "app/resource_guard.hpp"
#include "program.hpp"
#include "rxstress/error.hpp"
#include "rxstress/model.hpp"
#include "rxstress/scenario.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace rxstress::testing;

namespace {

const std::string kSmall =
    (fs::path(RXSTRESS_SOURCE_DIR) / "tests" / "data" / "small.yaml").string();

using Result = ShellResult;  // output: stdout and stderr together

Result cli(const std::string& args) { return run_shell_rxstress(args); }

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  return cells;
}

}  // namespace

TEST_CASE("replay recomputes a stored path bit for bit", "[replay]") {
  const Result r = cli("replay " + small_results() + " --path 17");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK_THAT(r.output, Contains("path 17: recomputed = stored for"));
  CHECK_THAT(r.output, Contains("spend by driver"));
}

TEST_CASE("replay refuses bad input with exit 2", "[replay]") {
  CHECK(cli("replay " + small_results() + " --path 200").status == 2);
  CHECK(cli("replay " + small_results() + " --path -1").status == 2);
  CHECK(cli("replay " + small_results() + " --path 3 --model nope").status == 2);
  CHECK(cli("replay " + small_results() + " --path 3 --holder nope").status == 2);
  CHECK(cli("replay " + (work_dir() / "missing.h5").string() + " --path 3").status == 2);
}

TEST_CASE("replay finds a tampered value and names it", "[replay]") {
  const fs::path bad = work_dir() / "tampered.h5";
  fs::copy_file(small_results(), bad, fs::copy_options::overwrite_existing);
  const Result edit =
      shell("/usr/bin/python3 -c \"import h5py; f=h5py.File('" + bad.string() +
            "','r+'); f['models/practice-held/gross'][0,17,0] += 1; f.close()\" 2>&1");
  INFO(edit.output);
  REQUIRE(edit.status == 0);
  const Result r = cli("replay " + bad.string() + " --path 17");
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK_THAT(r.output, Contains("/models/practice-held/gross[0, 17, 0]"));
  // Other paths are untouched.
  CHECK(cli("replay " + bad.string() + " --path 16").status == 0);
}

TEST_CASE("replay refuses a file of the old stream scheme by name (exit 2)", "[replay]") {
  for (const std::string& version : {std::string("del"), std::string("1")}) {
    const fs::path old = work_dir() / ("stream-" + version + ".h5");
    fs::copy_file(small_results(), old, fs::copy_options::overwrite_existing);
    const std::string change =
        version == "del" ? "del f.attrs['stream_version']" : "f.attrs['stream_version'] = 1";
    const Result edit = shell("/usr/bin/python3 -c \"import h5py; f=h5py.File('" + old.string() +
                              "','r+'); " + change + "; f.close()\" 2>&1");
    INFO(edit.output);
    REQUIRE(edit.status == 0);
    const Result r = cli("replay " + old.string() + " --path 3");
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK_THAT(r.output,
               Contains("stream_version: the file was drawn with random stream scheme 1"));
  }
}

TEST_CASE("replay's driver spends sum to the holder's gross plus budget", "[replay]") {
  for (const std::string args :
       {"", " --holder P00003", " --holder PROV02", " --model practice-held",
        " --model practice-shared --holder P00003"}) {
    INFO("arguments:" << args);
    const Result r = cli("replay " + small_results() + " --path 42 --format csv" + args);
    INFO(r.output);
    REQUIRE(r.status == 0);
    // csv: year,item,GBP,expected,over expected; the verdict line has no comma-separated year.
    std::map<std::string, double> special;
    double drivers = 0.0;
    int driver_rows = 0;
    std::stringstream in(r.output);
    for (std::string line; std::getline(in, line);) {
      const auto cells = split(line);
      if (cells.size() < 3 || cells[0] == "year") continue;
      const std::string& item = cells[1];
      if (item == "total spend" || item == "budget" || item == "gross variance") {
        special[item] = std::stod(cells[2]);
      } else {
        drivers += std::stod(cells[2]);
        ++driver_rows;
      }
    }
    CHECK(driver_rows == 3);
    REQUIRE(special.size() == 3);
    const double spend = special["gross variance"] + special["budget"];
    CHECK(std::abs(drivers - spend) <= 1e-6 * std::abs(spend));
    CHECK(std::abs(special["total spend"] - spend) <= 1e-6 * std::abs(spend));
  }
}

TEST_CASE("run refuses an output over --max-output before writing anything", "[replay]") {
  const fs::path out = work_dir() / "refused.h5";
  const Result r = cli("run " + kSmall + " -o " + out.string() + " --max-output 1K");
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK_THAT(r.output, Contains("max-output"));
  CHECK_FALSE(fs::exists(out));
  for (const auto& entry : fs::directory_iterator(work_dir()))
    CHECK(entry.path().filename().string().find("refused") == std::string::npos);
  const Result bad = cli("run " + kSmall + " -o " + out.string() + " --max-output lots");
  CHECK(bad.status == 2);
  CHECK_THAT(bad.output, Contains("--max-output: 'lots' is not a size"));
}

TEST_CASE("the output estimate is within a factor 2 of an uncompressed file", "[replay]") {
  const fs::path out = work_dir() / "uncompressed.h5";
  const Result r =
      cli("run " + kSmall + " -o " + out.string() + " --set outputs.compression=0 --threads 2");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.output, Contains("estimate: output ≈"));
  const rxstress::Scenario sc = rxstress::load_scenario(kSmall, {"outputs.compression=0"});
  const rxstress::Model model(sc);
  const auto e = rxstress::estimate_resources(model, 2);
  const double actual = static_cast<double>(fs::file_size(out));
  INFO("estimate " << e.output_bytes << " actual " << actual);
  CHECK(e.output_bytes >= actual / 2);
  CHECK(e.output_bytes <= actual * 2);
  // More threads keep more blocks in flight; the output does not change.
  const auto e8 = rxstress::estimate_resources(model, 8);
  CHECK(e8.memory_bytes > e.memory_bytes);
  CHECK(e8.output_bytes == e.output_bytes);
}

TEST_CASE("sizes parse with K/M/G/T suffixes", "[replay]") {
  using rxstress::parse_size;
  CHECK(parse_size("4096", "--max-output") == 4096);
  CHECK(parse_size("1K", "--max-output") == 1024);
  CHECK(parse_size("1.5k", "--max-output") == 1536);
  CHECK(parse_size("500M", "--max-output") == 500ull << 20);
  CHECK(parse_size("20G", "--max-output") == 20ull << 30);
  CHECK(parse_size("20GB", "--max-output") == 20ull << 30);
  CHECK(parse_size("2TiB", "--max-output") == 2ull << 40);
  CHECK_THROWS_AS(parse_size("", "--max-output"), rxstress::InputError);
  CHECK_THROWS_AS(parse_size("G", "--max-output"), rxstress::InputError);
  CHECK_THROWS_AS(parse_size("5X", "--max-output"), rxstress::InputError);
  CHECK_THROWS_AS(parse_size("-1G", "--max-output"), rxstress::InputError);
}
