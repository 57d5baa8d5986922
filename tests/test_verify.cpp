// Integrity of results files (issue 18): `rxstress verify` reads every dataset (Fletcher32
// checksums), checks the layout against sim/io/FORMAT.md and recomputes a sample of paths; a
// damaged file makes verify, summary and replay exit 2 naming the damaged dataset, not print
// numbers. Damage is made at known places (tests/damage.hpp) or with h5py (a consistent edit).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "damage.hpp"
#include "io/results_layout.hpp"
#include "program.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace rxstress::testing;

namespace {

const fs::path kSource = RXSTRESS_SOURCE_DIR;

ShellResult cli(const std::string& args) { return run_shell_rxstress(args); }

// A copy of small.yaml's results to damage.
std::string copy_of_results(const std::string& name) {
  const fs::path copy = work_dir() / name;
  fs::copy_file(small_results(), copy, fs::copy_options::overwrite_existing);
  return copy.string();
}

ShellResult h5py(const std::string& file, const std::string& statements) {
  return shell("/usr/bin/python3 -c \"import h5py, numpy; f = h5py.File('" + file + "', 'r+'); " +
               statements + "; f.close()\" 2>&1");
}

void require_damaged(const ShellResult& r, const std::string& file, const std::string& dataset) {
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK_THAT(r.output, Contains("rxstress: " + file + ": " + dataset + ": damaged: "));
}

}  // namespace

TEST_CASE("verify: an intact file passes every check, exit 0", "[verify]") {
  const std::string file = copy_of_results("good.h5");
  const ShellResult r = cli("verify " + file);
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK_THAT(r.output, Contains("every checksum holds"));
  CHECK_THAT(r.output, Contains("all as documented"));
  CHECK_THAT(r.output, Contains("the text matches scenario_sha256"));
  CHECK_THAT(r.output, Contains("paths: 8 recomputed (0, 28, 56, 85, 113, 142, 170, 199)"));
  CHECK(std::regex_search(r.output, std::regex(R"(: (\d+) of \1 values equal bit for bit)")));
  CHECK_THAT(r.output, Contains(file + ": intact"));
  CHECK_THAT(r.output, !Contains("rxstress:"));
}

TEST_CASE("a flipped byte in a path chunk: verify and replay exit 2 naming the dataset",
          "[verify]") {
  const std::string file = copy_of_results("chunk.h5");
  const Extent chunk = chunk_extent(file, "/models/practice-held/gross", 0);  // paths 0-31
  flip_bytes(file, chunk.offset + chunk.size / 3, 1);
  const ShellResult v = cli("verify " + file);
  require_damaged(v, file, "/models/practice-held/gross");
  CHECK_THAT(v.output, Contains("data error detected by Fletcher32 checksum"));
  CHECK_THAT(v.output, Contains(file + ": DAMAGED"));
  CHECK_THAT(v.output, !Contains("paths: "));  // nothing recomputed against damaged data
  require_damaged(cli("replay " + file + " --path 3"), file, "/models/practice-held/gross");
  // The statistics are intact, and so are other paths.
  CHECK(cli("summary " + file).status == 0);
  CHECK(cli("replay " + file + " --path 150").status == 0);
}

TEST_CASE("a flipped byte in the statistics: summary exits 2 naming the dataset, no numbers",
          "[verify]") {
  const std::string file = copy_of_results("stats.h5");
  const Extent chunk = chunk_extent(file, "/models/practice-held/stats/mean", 0);
  flip_bytes(file, chunk.offset + chunk.size / 2, 1);
  const ShellResult s = cli("summary " + file);
  require_damaged(s, file, "/models/practice-held/stats/mean");
  CHECK_THAT(s.output, !Contains("Settlement year"));
  CHECK(std::count(s.output.begin(), s.output.end(), '\n') == 1);
  require_damaged(cli("summary " + file + " --model practice-held"), file,
                  "/models/practice-held/stats/mean");
  require_damaged(cli("verify " + file), file, "/models/practice-held/stats/mean");
}

TEST_CASE("a flipped byte in an object header (metadata) is damage too", "[verify]") {
  const std::string file = copy_of_results("header.h5");
  flip_bytes(file, header_address(file, "/models/icb-held/stats/es") + 24, 1);
  const ShellResult v = cli("verify " + file);
  INFO(v.output);
  CHECK(v.status == 2);
  CHECK_THAT(v.output, Contains("damaged: incorrect metadata checksum"));
  CHECK(cli("summary " + file).status == 2);
}

TEST_CASE("200 bytes flipped in the second half of the file (issue 18) are found", "[verify]") {
  const std::string file = copy_of_results("second-half.h5");
  flip_bytes(file, fs::file_size(file) * 3 / 4, 200);
  const ShellResult v = cli("verify " + file);
  INFO(v.output);
  CHECK(v.status == 2);
  CHECK_THAT(v.output, Contains("damaged: ") && Contains(file + ": DAMAGED"));
}

TEST_CASE("verify: a dataset missing or not of its documented shape is exit 2, named", "[verify]") {
  const std::string file = copy_of_results("layout.h5");
  const ShellResult edit = h5py(file,
                                "del f['practices/budget']; del f['models/icb-held/stats/cv']; "
                                "f['models/icb-held/stats/cv'] = numpy.zeros((1, 2))");
  INFO(edit.output);
  REQUIRE(edit.status == 0);
  const ShellResult v = cli("verify " + file);
  INFO(v.output);
  CHECK(v.status == 2);
  CHECK_THAT(v.output, Contains("rxstress: " + file + ": /practices/budget: missing"));
  CHECK_THAT(v.output, Contains("rxstress: " + file +
                                ": /models/icb-held/stats/cv: shape [1, 2]; FORMAT.md: [Y, H] = "
                                "[1, 1]"));
}

TEST_CASE("verify: a stored value that recomputes differently is exit 1, named", "[verify]") {
  const std::string file = copy_of_results("tampered.h5");
  // Written through HDF5, so the checksums agree with the wrong value; path 199 is sampled.
  const ShellResult edit = h5py(file, "f['models/practice-held/gross'][0, 199, 3] += 1");
  REQUIRE(edit.status == 0);
  const ShellResult v = cli("verify " + file);
  INFO(v.output);
  CHECK(v.status == 1);
  CHECK_THAT(v.output, Contains("/models/practice-held/gross[0, 199, 3]") &&
                           Contains("every checksum holds") && Contains(": NOT VERIFIED"));
  CHECK(cli("verify " + file + " --paths 0").status == 0);  // the other checks hold
}

TEST_CASE("verify: datasets without checksums (an older file) cannot be verified, exit 1",
          "[verify]") {
  const std::string file = copy_of_results("old.h5");
  const ShellResult edit = h5py(file,
                                "v = f['practices/list_size'][...]; del f['practices/list_size']; "
                                "f['practices/list_size'] = v");
  REQUIRE(edit.status == 0);
  const ShellResult v = cli("verify " + file);
  INFO(v.output);
  CHECK(v.status == 1);
  CHECK_THAT(v.output, Contains("1 datasets of numbers carry no checksum"));
}

// FORMAT.md's tables, read as data: "| `a`, `b` | float64 [Y, H] | ..." under a heading naming a
// group ("## `/models/<name>`"), and the root attributes' table.
struct DocumentedRow {
  std::string path, type;
  std::vector<std::string> shape;
  bool optional = false;
};

std::vector<std::string> backticked(const std::string& text) {
  std::vector<std::string> out;
  const std::regex code("`([^`]+)`");
  for (std::sregex_iterator it(text.begin(), text.end(), code), end; it != end; ++it)
    out.push_back((*it)[1]);
  return out;
}

std::vector<std::string> split_shape(const std::string& dims) {
  std::vector<std::string> out;
  std::stringstream in(dims);
  for (std::string d; std::getline(in, d, ',');) out.push_back(d.substr(d.find_first_not_of(' ')));
  return out;
}

std::vector<DocumentedRow> documented_rows(std::vector<std::string>& root_attributes) {
  std::ifstream in(kSource / "sim" / "io" / "FORMAT.md");
  const std::regex row(R"(^\| ([^|]+) \| ([^|]+) \|(.*)$)"),
      type_shape(R"(^(\w+)(?: \[([^\]]*)\])?$)");
  std::vector<DocumentedRow> rows;
  std::string group;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("#")) {
      const auto code = backticked(line);
      group = line.find("Root attributes") != std::string::npos ? "@"
              : code.empty()                                    ? ""
                             : std::regex_replace(code[0], std::regex("<name>"), "{model}");
      continue;
    }
    std::smatch m, t;
    if (group.empty() || !std::regex_match(line, m, row)) continue;
    const std::string second = m[2], rest = m[3];
    for (const std::string& name : backticked(m[1])) {
      if (group == "@") {
        root_attributes.push_back(name);
      } else if (name == "icb_residual/…" || name == "icb_carries/…") {
        const std::string series = name.substr(0, name.find('/'));
        for (const std::string& stat : backticked(rest.substr(0, rest.find(" of "))))
          rows.push_back({group + "/" + series + "/" + stat, "", {}, false});
      } else if (std::regex_match(second, t, type_shape)) {
        rows.push_back({group + "/" + name, t[1],
                        t[2].matched ? split_shape(t[2]) : std::vector<std::string>{},
                        rest.find("*optional*") != std::string::npos});
      }
    }
  }
  return rows;
}

TEST_CASE("verify's layout is FORMAT.md's: every table row, type and shape", "[verify]") {
  std::vector<std::string> root_attributes;
  const auto rows = documented_rows(root_attributes);
  REQUIRE(rows.size() > 40);
  std::map<std::string, rxstress::DatasetSpec> specs;
  for (const auto& spec : rxstress::documented_datasets()) specs[spec.path] = spec;
  std::set<std::string> documented;
  for (const auto& row : rows) {
    INFO(row.path);
    documented.insert(row.path);
    REQUIRE(specs.count(row.path) == 1);
    const auto& spec = specs.at(row.path);
    if (row.type.empty()) {  // icb_residual/…, icb_carries/…: as the holders' statistic, H = 1
      const auto& holders =
          specs.at(std::regex_replace(row.path, std::regex("icb_(residual|carries)/"), ""));
      auto shape = holders.shapes.at(0);
      std::replace(shape.begin(), shape.end(), std::string("H"), std::string("1"));
      CHECK(spec.shapes == std::vector<std::vector<std::string>>{shape});
      continue;
    }
    CHECK(spec.type == row.type);
    CHECK(spec.shapes == std::vector<std::vector<std::string>>{row.shape});
    CHECK(spec.optional == row.optional);
  }
  // The rest of the layout is prose in FORMAT.md: /scenario, /drivers/detail, /national and
  // /trajectories, each checked here against the text.
  const std::string text = slurp(kSource / "sim" / "io" / "FORMAT.md");
  const std::map<std::string, std::string> prose = {
      {"/scenario", "## `/scenario`\nScalar string"},
      {"/drivers/detail/{driver}", "`/drivers/detail/<driver name>` float64 [Y, K, P]"},
      {"/national/{series}", "float64 `[K]` or `[K, T]`"},
      {"/trajectories/{level}/holders", "`holders` string [H]"},
      {"/trajectories/{level}/budget", "`budget`\nfloat64 [T, H]"},
      {"/trajectories/{level}/spend", "`spend` float64 [S, T, H]"}};
  for (const auto& [path, words] : prose) {
    INFO(path);
    CHECK_THAT(text, Contains(words));
    documented.insert(path);
  }
  for (const auto& [path, spec] : specs) {
    INFO(path << " is in the layout verify checks but not in FORMAT.md");
    CHECK(documented.count(path) == 1);
  }
  CHECK(std::set<std::string>(root_attributes.begin(), root_attributes.end()) ==
        std::set<std::string>(rxstress::documented_root_attributes().begin(),
                              rxstress::documented_root_attributes().end()));
}

TEST_CASE("verify: a file of an older random stream scheme is intact but cannot be recomputed",
          "[verify]") {
  const std::string file = copy_of_results("scheme1.h5");
  REQUIRE(h5py(file, "del f.attrs['stream_version']").status == 0);  // as rxstress 0.1 wrote
  const ShellResult v = cli("verify " + file);
  INFO(v.output);
  CHECK(v.status == 1);
  CHECK_THAT(v.output, Contains("every checksum holds") && Contains("all as documented"));
  CHECK_THAT(v.output, Contains("paths not recomputed") && Contains("stream scheme 1"));
  CHECK(cli("verify " + file + " --paths 0").status == 0);
}
