// `rxstress review` (issue 17): actuals equal to a simulated path's monthly spend give that path's
// percentile exactly; the year-end conditional on a path's own year to date contains its realised
// year-end at the stated rate (leave-one-out over many paths); bad actuals are errors at
// file:line:column with exit 2.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/review.hpp"
#include "io/h5.hpp"
#include "program.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using namespace rxstress;
using namespace rxstress::testing;

namespace {

const std::string kSmall = std::string(RXSTRESS_SOURCE_DIR) + "/tests/data/small.yaml";

// tests/data/small.yaml with 2,000 paths, every one a trajectory path, run once.
const std::string& many_trajectories() {
  static const std::string path = [] {
    const std::string out = (work_dir() / "review-2000.h5").string();
    const ShellResult r = run_shell_rxstress(
        "run " + kSmall + " -o " + out + " --paths 2000 --set outputs.trajectories=2000 --quiet");
    if (r.status != 0) throw std::runtime_error("rxstress run: " + r.output);
    return out;
  }();
  return path;
}

struct Trajectories {
  std::vector<std::string> holders;
  std::vector<double> spend;  // [s][t][h]
  std::size_t S = 0, T = 0, H = 0;
  double at(std::size_t s, std::size_t t, std::size_t h) const {
    return spend[(s * T + t) * H + h];
  }
};

Trajectories trajectories(const std::string& file, const std::string& level) {
  const h5::File f = h5::File::open_read(file);
  Trajectories tr;
  tr.holders = f.open_dataset("trajectories/" + level + "/holders").read_strings();
  const h5::Dataset d = f.open_dataset("trajectories/" + level + "/spend");
  const auto dims = d.dims();
  tr.S = dims[0], tr.T = dims[1], tr.H = dims[2];
  tr.spend = d.read_all<double>();
  return tr;
}

// Writes `rows` (after the header) to a CSV in the work directory; returns its path.
std::string actuals_file(const std::string& name, const std::string& rows) {
  const std::string path = (work_dir() / name).string();
  std::ofstream(path) << "practice,month,actual_cost\n" << rows;
  return path;
}

// Path k's first `months` months for every practice, as actuals.
std::string path_as_actuals(const Trajectories& tr, std::size_t k, int months) {
  std::string rows;
  for (std::size_t h = 0; h < tr.H; ++h)
    for (int t = 0; t < months; ++t)
      rows += fmt::format("{},2026-{:02d},{:.17g}\n", tr.holders[h], 4 + t, tr.at(k, t, h));
  return rows;
}

}  // namespace

TEST_CASE("review: actuals equal to a path's months give that path's percentile exactly",
          "[review]") {
  const std::string results = many_trajectories();
  const Trajectories tr = trajectories(results, "practice");
  const std::size_t k = 17;
  const int months = 3;  // a quarter
  const std::string csv = actuals_file("path17.csv", path_as_actuals(tr, k, months));
  const ShellResult r =
      run_shell_rxstress("review " + results + " " + csv + " --model practice-held --format json");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto doc = nlohmann::json::parse(r.output);
  CHECK(doc["months"] == months);
  CHECK(doc["through"] == "2026-06");
  const auto& rows = doc["holders"];
  REQUIRE(rows.size() == tr.H);
  for (std::size_t h = 0; h < tr.H; ++h) {
    // The rank of path k's year to date among all paths, counted here independently.
    std::vector<double> ytd(tr.S, 0.0);
    for (std::size_t s = 0; s < tr.S; ++s)
      for (int t = 0; t < months; ++t) ytd[s] += tr.at(s, t, h);
    double below = 0, ties = 0;
    for (std::size_t s = 0; s < tr.S; ++s) {
      below += ytd[s] < ytd[k];
      ties += ytd[s] == ytd[k];
    }
    REQUIRE(ties == 1);
    CHECK(rows[h]["holder"] == tr.holders[h]);
    CHECK(rows[h]["actual_ytd"].get<double>() == ytd[k]);
    CHECK(rows[h]["percentile"].get<double>() == (below + 0.5) / tr.S);
    const double p = (below + 0.5) / tr.S;
    CHECK(rows[h]["flag"] == (p < 0.05 || p > 0.95 ? "outside 90 %" : ""));
  }
  SECTION("and the table names the method and every model") {
    const ShellResult t = run_shell_rxstress("review " + results + " " + csv);
    INFO(t.output);
    CHECK(t.status == 0);
    for (const char* expected :
         {"year to date: 2026-04 to 2026-06 (3 months)", "nearest in year-to-date spend",
          "icb-held (icb)", "practice-held (practice)"})
      CHECK_THAT(t.output, Contains(expected));
  }
}

TEST_CASE("review: the conditional year-end covers a path's own outturn at the stated rate",
          "[review]") {
  const Trajectories tr = trajectories(many_trajectories(), "icb");
  for (int months : {3, 6, 9}) {
    std::vector<double> ytd(tr.S, 0.0), year(tr.S, 0.0);
    for (std::size_t s = 0; s < tr.S; ++s)
      for (std::size_t t = 0; t < tr.T; ++t) {
        if (static_cast<int>(t) < months) ytd[s] += tr.at(s, t, 0);
        year[s] += tr.at(s, t, 0);
      }
    // Leave each path out, condition on its year to date, check its realised year-end.
    double covered = 0, stated = 0;
    for (std::size_t k = 0; k < tr.S; ++k) {
      const auto c = conditional_year_end(ytd, year, ytd[k], k);
      covered += c.low <= year[k] && year[k] <= c.high;
      stated = c.coverage;
    }
    const double rate = covered / tr.S, se = std::sqrt(stated * (1 - stated) / tr.S);
    INFO(months << " months: covered " << rate << ", stated " << stated << " (se " << se << ")");
    CHECK(stated == Approx(0.9));
    CHECK(std::abs(rate - stated) < 4 * se);
  }
}

TEST_CASE("review: bad actuals are errors at file:line:column, exit 2", "[review]") {
  const std::string results = small_results();
  const Trajectories tr = trajectories(results, "practice");
  const std::string first = tr.holders[0];
  struct Case {
    std::string name, rows, where, what;
  };
  const std::vector<Case> cases{
      {"unknown.csv", first + ",2026-04,10\nZZZ99,2026-04,10\n",
       "unknown.csv:3:1:", "unknown practice 'ZZZ99'"},
      {"outside.csv", first + ",2027-04,10\n",
       "outside.csv:2:" + std::to_string(first.size() + 2) + ":",
       "month 2027-04 is outside the forecast's horizon"},
      {"duplicate.csv", first + ",2026-04,10\n" + first + ",2026-04,11\n", "duplicate.csv:3:1:",
       "a second row for practice '" + first + "' in 2026-04 (the first is line 2)"},
      {"negative.csv", first + ",2026-04,-5\n",
       "negative.csv:2:" + std::to_string(first.size() + 10) + ":", "found '-5'"},
      {"missing.csv", first + ",2026-04,10\n",
       "missing.csv:3:1:", "no row for practice '" + tr.holders[1] + "' in 2026-04"}};
  for (const auto& c : cases) {
    const ShellResult r = run_shell_rxstress("review " + results + " " +
                                             actuals_file(c.name, c.rows) + " --format csv");
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK_THAT(r.output, Contains(c.where));
    CHECK_THAT(r.output, Contains(c.what));
  }
}
