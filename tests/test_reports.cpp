// Attribution and the summary report, checked against independent calculations from the file's
// own path outcomes and against known variance shares.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/headline.hpp"
#include "drivers/contribution.hpp"
#include "io/results_writer.hpp"
#include "rxstress/app.hpp"
#include "rxstress/stats.hpp"
#include "support.hpp"

using namespace rxstress;
using namespace rxstress::testing;
namespace fs = std::filesystem;

namespace {

// Runs a scenario into a results file in a fresh temporary directory.
struct TempRun {
  fs::path dir, file;
  TempRun(const Scenario& sc, const std::string& name) {
    dir = fs::temp_directory_path() / ("rxstress-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    file = dir / "results.h5";
    const Model model(sc);
    ResultsWriter writer(model, file.string(), {"test", "2026-01-01T00:00:00Z", 32});
    RunOptions options;
    options.threads = 2;
    REQUIRE(run_paths(model, options, writer));
    writer.finish();
  }
  ~TempRun() { fs::remove_all(dir); }
};

const std::string kSystemicBaseline =  // growth only: no practice noise
    "  - type: baseline\n    growth: {mean: 0.03, sd: 0.02}\n"
    "    noise: {sd_at_10k: 0.0, autocorrelation: 0.0}\n";
const std::string kLocalHcp =
    "  - type: high_cost_patients\n    rate_per_1000: 0.5\n    payment: once\n    cohort_years: 0\n"
    "    severity: {law: gamma, mean: 20000, cv: 1.0}\n";

}  // namespace

TEST_CASE("attribution recovers the variance shares of independent drivers", "[reports]") {
  const int P = 20, K = 4000;
  const double n = 10000, B = 160 * n;
  const auto sc = scenario(identical_practices(P, n), kSystemicBaseline + kLocalHcp, K,
                           "delegation:\n  - {name: icb, holder: icb}\n");
  TempRun run(sc, "attribution");
  const auto f = h5::File::open_read(run.file.string());
  const auto share = f.open_dataset("models/icb/stats/attribution").read_all<double>();
  REQUIRE(share.size() == 2);
  CHECK(share[0] + share[1] == Approx(1.0).margin(1e-9));
  // Theory: the ICB's annual baseline is P B/12 sum_t (1+G)^((t+.5)/12) (flat seasonality);
  // the high-cost part is compound Poisson with Var = P lambda E[C^2].
  const double lambda = 0.5 * n / 1000, ec2 = 20000.0 * 20000.0 * 2.0;
  const double var_hcp = P * lambda * ec2;
  double e1 = 0, e2 = 0;
  for (int t = 0; t < 12; ++t) {
    const double at = (t + 0.5) / 12;
    e1 += P * B / 12 * rxstress::expected_growth_factor(0.03, 0.02, at);
    for (int u = 0; u < 12; ++u)
      e2 += (P * B / 12) * (P * B / 12) *
            rxstress::expected_growth_factor(0.03, 0.02, at + (u + 0.5) / 12);
  }
  const double var_base = e2 - e1 * e1;
  const double expected_share = var_base / (var_base + var_hcp);
  // Standard error by batch means: the share estimated on 20 batches of paths.
  const auto by = f.open_dataset("models/icb/gross_by_driver").read_all<double>();  // [1,K,1,2]
  std::vector<double> batch;
  for (int b = 0; b < 20; ++b) {
    std::vector<double> x, v;
    for (int k = b * K / 20; k < (b + 1) * K / 20; ++k) {
      x.push_back(by[k * 2]);
      v.push_back(by[k * 2] + by[k * 2 + 1]);
    }
    const auto mx = moments(x), mv = moments(v);
    double cov = 0;
    for (std::size_t i = 0; i < x.size(); ++i) cov += (x[i] - mx.mean) * (v[i] - mv.mean);
    batch.push_back(cov / (x.size() - 1) / mv.var);
  }
  const auto mb = moments(batch);
  INFO("baseline share " << share[0] << " expected " << expected_share << " se " << mb.se_mean);
  CHECK(std::abs(share[0] - expected_share) < 4 * mb.se_mean);
  CHECK(expected_share > 0.2);  // both drivers matter, so the check has power
  CHECK(expected_share < 0.8);
  // The per-driver contributions sum to gross on every path.
  const auto gross = f.open_dataset("models/icb/gross").read_all<double>();
  for (int k = 0; k < K; k += 97)
    CHECK(by[k * 2] + by[k * 2 + 1] == Approx(gross[k]).margin(1e-6 * std::abs(gross[k]) + 1e-3));
  // ES95 shares sum to 1.
  const auto es = f.open_dataset("models/icb/stats/es95_attribution").read_all<double>();
  CHECK(es[0] + es[1] == Approx(1.0).margin(1e-9));
}

namespace {

// 12 practices in 3 neighbourhoods, a systemic baseline, high-cost patients and concessions, K
// paths and the models of `delegation`: every level has drivers that matter.
Scenario three_driver_scenario(int K, const std::string& delegation) {
  return scenario(identical_practices(12, 6000, 3),
                  kSystemicBaseline + kLocalHcp +
                      "  - type: concessions\n    uplift: {calm: 0.045, crisis: 0.17}\n"
                      "    enter_crisis: 0.03\n    exit_crisis: 0.08\n"
                      "    noise: {sd: 0.4, autocorrelation: 0.88}\n    dispersion: 4\n",
                  K, delegation);
}

}  // namespace

TEST_CASE("attribution of every level equals Cov(x_d, V) / Var V computed from the file's paths",
          "[reports]") {
  // Practice, neighbourhood, provider and ICB levels: the engine sums the practice level straight
  // from the drivers' arrays and the others from holder totals; both must give the sample
  // covariance of each driver's contribution with the gross variance.
  const int K = 300;
  const auto sc = three_driver_scenario(
      K,
      "delegation:\n  - {name: p, holder: practice}\n"
      "  - {name: n, holder: neighbourhood}\n  - {name: r, holder: provider}\n"
      "  - {name: i, holder: icb}\n");
  TempRun run(sc, "attribution-levels");
  const auto f = h5::File::open_read(run.file.string());
  for (const std::string m : {"p", "n", "r", "i"}) {
    const auto dims = f.open_dataset("models/" + m + "/gross_by_driver").dims();  // [1, K, H, D]
    const std::size_t H = dims[2], D = dims[3];
    const auto by = f.open_dataset("models/" + m + "/gross_by_driver").read_all<double>();
    const auto gross = f.open_dataset("models/" + m + "/gross").read_all<double>();
    const auto share = f.open_dataset("models/" + m + "/stats/attribution").read_all<double>();
    for (std::size_t h = 0; h < H; ++h) {
      std::vector<double> v;
      for (int k = 0; k < K; ++k) v.push_back(gross[k * H + h]);
      const auto mv = moments(v);
      for (std::size_t d = 0; d < D; ++d) {
        std::vector<double> x;
        for (int k = 0; k < K; ++k) x.push_back(by[(k * H + h) * D + d]);
        const auto mx = moments(x);
        double cov = 0;
        for (int k = 0; k < K; ++k) cov += (x[k] - mx.mean) * (v[k] - mv.mean);
        INFO("model " << m << " holder " << h << " driver " << d);
        CHECK(share[h * D + d] == Approx(cov / (K - 1) / mv.var).margin(1e-9));
      }
    }
  }
}

TEST_CASE(
    "ES95 attribution of every level: the tail mean of each driver over the tail mean, "
    "the same bits whatever the memory bound",
    "[reports]") {
  const int K = 400;
  const auto sc =
      three_driver_scenario(K,
                            "delegation:\n  - {name: p, holder: practice}\n"
                            "  - {name: n, holder: neighbourhood}\n  - {name: i, holder: icb}\n");
  TempRun run(sc, "es-attribution");
  const auto f = h5::File::open_read(run.file.string());
  const std::size_t m = stats::tail_count(0.95, K);
  for (const std::string model : {"p", "n", "i"}) {
    const auto by_ds = f.open_dataset("models/" + model + "/gross_by_driver");
    const auto gross_ds = f.open_dataset("models/" + model + "/gross");
    const std::size_t H = by_ds.dims()[2], D = by_ds.dims()[3];
    const auto by = by_ds.read_all<double>();
    const auto gross = gross_ds.read_all<double>();
    const auto stored = f.open_dataset("models/" + model + "/stats/es95_attribution");
    const auto share = stored.read_all<double>();
    // A bound of a few hundred bytes: one holder at a time, a few paths per read.
    CHECK(es_attribution(gross_ds, by_ds, std::size_t{1} << 30) == share);
    CHECK(es_attribution(gross_ds, by_ds, 8 * K * 2 + 8 * D * 4 * 3) == share);
    for (std::size_t h = 0; h < H; ++h) {
      // The tail: paths by gross, largest first, ties by path index.
      std::vector<std::size_t> paths(K);
      for (int k = 0; k < K; ++k) paths[k] = k;
      std::sort(paths.begin(), paths.end(), [&](std::size_t a, std::size_t b) {
        const double va = gross[a * H + h], vb = gross[b * H + h];
        return va > vb || (va == vb && a < b);
      });
      double tail = 0.0, total = 0.0;
      for (std::size_t r = 0; r < m; ++r) tail += gross[paths[r] * H + h];
      for (std::size_t d = 0; d < D; ++d) {
        double x = 0.0;
        for (std::size_t r = 0; r < m; ++r) x += by[(paths[r] * H + h) * D + d];
        INFO("model " << model << " holder " << h << " driver " << d);
        CHECK(share[h * D + d] == Approx(x / tail).epsilon(1e-9).margin(1e-12));
        total += share[h * D + d];
      }
      CHECK(total == Approx(1.0).margin(1e-9));
    }
  }
}

TEST_CASE("summary --model prints each holder's statistics as computed from the outcomes",
          "[reports]") {
  const auto sc = scenario(identical_practices(6, 7000, 3), kSystemicBaseline + kLocalHcp, 801,
                           "delegation:\n  - {name: nb, holder: neighbourhood}\n");
  TempRun run(sc, "summary");
  std::ostringstream out, err;
  SummaryRequest r{run.file.string(), "nb", "", "csv"};
  REQUIRE(summary_command(r, out, err) == 0);
  // Independent statistics of each holder from /models/nb/outcome.
  const auto f = h5::File::open_read(run.file.string());
  const auto outcome = f.open_dataset("models/nb/outcome").read_all<double>();  // [1, K, 2]
  const auto budget = f.open_dataset("models/nb/budget").read_all<double>();
  std::istringstream csv(out.str());
  std::string line;
  std::getline(csv, line);
  CHECK(line ==
        "model,year,holder,list_size,budget_gbp,mean_gbp,sd_gbp,cv,q50_gbp,var95_gbp,es95_gbp,"
        "var99_gbp,p_over_0pct,p_over_2pct,p_over_5pct,reserve95_gbp,reserve99_gbp");
  for (int h = 0; h < 2; ++h) {
    REQUIRE(std::getline(csv, line));
    std::vector<std::string> cell;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cell.push_back(c);
    REQUIRE(cell.size() == 17u);
    CHECK(cell[0] == "nb");
    CHECK(cell[1] == "2026/27");
    cell.erase(cell.begin(), cell.begin() + 2);
    std::vector<double> x;
    for (int k = 0; k < 801; ++k) x.push_back(outcome[k * 2 + h]);
    const auto m = moments(x);
    std::sort(x.begin(), x.end());
    // numpy 'linear': h = (K-1) p; K = 801 makes the 95% and 50% points exact order statistics.
    const double q95 = x[760], q50 = x[400], q99 = x[792];
    double es = 0;
    for (int k = 801 - 41; k < 801; ++k) es += x[k] / 41;  // ceil(0.05 * 801) = 41
    double over2 = 0;
    for (double v : x) over2 += v > 0.02 * budget[h];
    CHECK(cell[0] == "N" + std::to_string(h));
    CHECK(std::stod(cell[2]) == Approx(budget[h]).epsilon(1e-12));
    CHECK(std::stod(cell[3]) == Approx(m.mean).epsilon(1e-9));
    CHECK(std::stod(cell[4]) == Approx(std::sqrt(m.var)).epsilon(1e-9));
    CHECK(std::stod(cell[6]) == Approx(q50).epsilon(1e-12));
    CHECK(std::stod(cell[7]) == Approx(q95).epsilon(1e-12));
    CHECK(std::stod(cell[8]) == Approx(es).epsilon(1e-9));
    CHECK(std::stod(cell[9]) == Approx(q99).epsilon(1e-12));
    CHECK(std::stod(cell[11]) == Approx(over2 / 801).epsilon(1e-12));
  }
}

TEST_CASE("summary refuses what is not an rxstress results file: bad input, exit 2", "[reports]") {
  const auto dir =
      fs::temp_directory_path() / ("rxstress-notresults-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  { auto f = h5::File::create((dir / "other.h5").string()); }
  const std::vector<std::pair<std::string, std::string>> cases{
      {"other.h5", ": results: not an rxstress results file"},
      {"missing.h5", ": results: no such file"},
      {"", ": results: not a regular file"}};  // the directory itself
  for (const auto& [name, message] : cases) {
    const std::string path = (dir / name).string();
    INFO(path);
    std::ostringstream out, err;
    CHECK(summary_command({path, "", "", "table"}, out, err) == 2);
    CHECK(err.str() ==
          "rxstress: " + path + message + "; expected a results file written by rxstress run\n");
    CHECK(out.str().empty());
  }
  fs::remove_all(dir);
}

TEST_CASE("summary shows a detail driver's per-practice distribution from /drivers/detail",
          "[reports]") {
  const std::string conc =
      "  - type: concessions\n    uplift: {calm: 0.045, crisis: 0.17}\n    enter_crisis: 0.03\n"
      "    exit_crisis: 0.08\n    noise: {sd: 0.4, autocorrelation: 0.88}\n    dispersion: 4\n";
  const auto sc = scenario(identical_practices(3, 4000), conc, 101,
                           "delegation:\n  - {name: p, holder: practice}\n"
                           "outputs: {driver_detail: [concessions]}\n");
  TempRun run(sc, "detail");
  std::ostringstream out, err;
  REQUIRE(summary_command({run.file.string(), "", "", "json"}, out, err) == 0);
  const auto f = h5::File::open_read(run.file.string());
  auto x = f.open_dataset("drivers/detail/concessions").read_all<double>();  // [1, 101, 3]
  REQUIRE(x.size() == 303u);
  double mean = 0;
  for (double v : x) mean += v / x.size();
  std::sort(x.begin(), x.end());
  // 303 values: the median is the 152nd, the 5% point is at h = 302 * 0.05 = 15.1.
  const double median = x[151], p5 = x[15] + 0.1 * (x[16] - x[15]);
  // One JSON document: the headline and the per-practice detail.
  const auto doc = nlohmann::json::parse(out.str());
  REQUIRE(doc.contains("headline"));
  const auto& rows = doc.at("practice_detail");
  const auto all = std::find_if(rows.begin(), rows.end(), [](const auto& r) {
    return r["list_size_band"] == "all practices";
  });
  REQUIRE(all != rows.end());
  CHECK((*all)["driver"] == "concessions");
  CHECK((*all)["year"] == "2026/27");
  CHECK((*all)["practice_years"].get<double>() == 303);
  CHECK((*all)["mean_gbp"].get<double>() == Approx(mean).epsilon(1e-9));
  CHECK((*all)["median_gbp"].get<double>() == Approx(median).epsilon(1e-12));
  CHECK((*all)["p5_gbp"].get<double>() == Approx(p5).epsilon(1e-9));
  // Concessions only ever add cost: every practice-year is positive.
  CHECK(x.front() > 0);
}

TEST_CASE("the convergence table is the mean and 95 % quantile of the first K/8, K/4, K/2, K paths",
          "[reports]") {
  const std::size_t K = 1601;  // not a power of two: the steps are 200, 400, 800 and 1601 paths
  const auto sc = scenario(identical_practices(6, 7000, 3), kSystemicBaseline + kLocalHcp, K,
                           "delegation:\n  - {name: nb, holder: neighbourhood}\n");
  TempRun run(sc, "convergence");
  const auto f = h5::File::open_read(run.file.string());
  const auto outcome = f.open_dataset("models/nb/outcome").read_all<double>();  // [1, K, 2]
  const std::string g = "models/nb/stats/convergence/";
  const auto paths = f.open_dataset(g + "paths").read_all<double>();  // [S]
  const auto mean = f.open_dataset(g + "mean").read_all<double>();    // [1, H, S]
  const auto se_mean = f.open_dataset(g + "se_mean").read_all<double>();
  const auto q95 = f.open_dataset(g + "q95").read_all<double>();
  const auto se_q95 = f.open_dataset(g + "se_q95").read_all<double>();
  const std::vector<std::size_t> steps{200, 400, 800, 1601};
  REQUIRE(paths == std::vector<double>(steps.begin(), steps.end()));
  REQUIRE(mean.size() == 2 * steps.size());
  for (std::size_t h = 0; h < 2; ++h)
    for (std::size_t s = 0; s < steps.size(); ++s) {
      const std::size_t n = steps[s], j = h * steps.size() + s;
      INFO("holder " << h << ", first " << n << " paths");
      std::vector<double> x;
      for (std::size_t k = 0; k < n; ++k) x.push_back(outcome[k * 2 + h]);
      const auto m = moments(x);
      std::sort(x.begin(), x.end());
      const double at = (n - 1) * 0.95;  // numpy 'linear'
      const auto lo = static_cast<std::size_t>(at);
      const double q = x[lo] + (x[std::min(lo + 1, n - 1)] - x[lo]) * (at - lo);
      // Distribution-free 95 % interval: 1-based ranks ppf(0.025) and ppf(0.975) + 1.
      const auto pmf = binomial_pmf(n, 0.95);
      const std::size_t l = std::max<std::size_t>(1, brute_ppf(pmf, 0.025L));
      const std::size_t u = std::min(n, brute_ppf(pmf, 0.975L) + 1);
      CHECK(mean[j] == Approx(m.mean).epsilon(1e-12));
      CHECK(se_mean[j] == Approx(m.se_mean).epsilon(1e-9));
      CHECK(q95[j] == Approx(q).epsilon(1e-12));
      CHECK(se_q95[j] == Approx((x[u - 1] - x[l - 1]) / (2 * 1.959964)).epsilon(1e-12));
    }
}

TEST_CASE("summary prints one JSON document and one CSV table with a model column in every view",
          "[reports]") {
  // Two practice-level models: practice P1 is a holder of both, which used to print two JSON
  // arrays back to back and two CSV headers.
  const auto sc = scenario(identical_practices(3, 5000), kSystemicBaseline + kLocalHcp, 64,
                           "delegation:\n  - {name: held, holder: practice}\n"
                           "  - name: shared\n    holder: practice\n"
                           "    terms: {corridor: {lower: 0.02, upper: 0.02, share_over: 0.5}}\n"
                           "outputs: {driver_detail: [high_cost_patients]}\n");
  TempRun run(sc, "views");
  const std::vector<SummaryRequest> views{{run.file.string(), "", "", ""},
                                          {run.file.string(), "shared", "", ""},
                                          {run.file.string(), "", "P1", ""},
                                          {run.file.string(), "held", "P1", ""}};
  for (auto r : views) {
    INFO("--model '" << r.model << "' --holder '" << r.holder << "'");
    std::ostringstream json, csv, err;
    r.format = "json";
    REQUIRE(summary_command(r, json, err) == 0);
    nlohmann::json doc;
    REQUIRE_NOTHROW(doc = nlohmann::json::parse(json.str()));
    CHECK(doc.is_object());
    const std::string main =
        r.holder.empty() ? (r.model.empty() ? "headline" : "holders") : "holder";
    REQUIRE(doc.contains(main));
    const std::size_t models = r.holder.empty() || !r.model.empty() ? 1 : 2;
    std::set<std::string> seen;
    for (const auto& row : doc[main]) seen.insert(row.at("model").get<std::string>());
    CHECK(seen.size() == (r.model.empty() && r.holder.empty() ? 2 : models));
    r.format = "csv";
    REQUIRE(summary_command(r, csv, err) == 0);
    std::istringstream lines(csv.str());
    std::string header, line;
    std::getline(lines, header);
    CHECK(header.find("model") != std::string::npos);
    std::size_t rows = 0;
    for (; std::getline(lines, line); ++rows) CHECK(line != header);
    CHECK(rows == doc[main].size());
  }
}

TEST_CASE("the ICB view: what the ICB carries and the holders' reserves, from the outcomes",
          "[reports]") {
  const std::size_t K = 801;  // (K - 1) x 0.95 and x 0.99 fall on order statistics
  const auto sc = scenario(identical_practices(4, 6000), kSystemicBaseline + kLocalHcp, K,
                           "delegation:\n  - {name: icb, holder: icb}\n"
                           "  - {name: held, holder: practice, capacity: 0.01}\n"
                           "  - name: shared\n    holder: practice\n"
                           "    terms: {corridor: {lower: 0.01, upper: 0.01, share_over: 0.5}}\n"
                           "outputs: {cover: [0.95, 0.99]}\n");
  TempRun run(sc, "icbview");
  const auto f = h5::File::open_read(run.file.string());
  std::ostringstream json, err;
  REQUIRE(summary_command({run.file.string(), "", "", "json"}, json, err) == 0);
  const auto headline = nlohmann::json::parse(json.str()).at("headline");
  REQUIRE(headline.size() == 3u);
  for (std::size_t m = 0; m < 3; ++m) {
    const std::string name = headline[m].at("model");
    INFO(name);
    const std::string g = "models/" + name + "/";
    const auto outcome = f.open_dataset(g + "outcome").read_all<double>();  // [1, K, H]
    const auto gross = f.open_dataset(g + "gross").read_all<double>();
    const auto budget = f.open_dataset(g + "budget").read_all<double>();
    const std::size_t H = budget.size();
    // Independently: the ICB holds everything; under 'held' it takes each practice's overspend
    // beyond 1 % of budget; under 'shared' what the corridor leaves it.
    std::vector<double> carried(K);
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t h = 0; h < H; ++h) {
        const double o = outcome[k * H + h];
        carried[k] += name == "icb"    ? o
                      : name == "held" ? std::max(0.0, o - 0.01 * budget[h])
                                       : gross[k * H + h] - o;
      }
    const auto file_carried = f.open_dataset(g + "icb_carries").read_all<double>();
    REQUIRE(file_carried.size() == K);
    for (std::size_t k = 0; k < K; ++k)
      CHECK(file_carried[k] == Approx(carried[k]).margin(1e-6 * budget[0]));
    const auto mc = moments(carried);
    std::sort(carried.begin(), carried.end());
    double es = 0;
    for (std::size_t k = K - 41; k < K; ++k) es += carried[k] / 41;  // ceil(0.05 x 801) = 41
    CHECK(headline[m].at("icb_expected_gbp").get<double>() == Approx(mc.mean).epsilon(1e-9));
    CHECK(headline[m].at("icb_var95_gbp").get<double>() == Approx(carried[760]).epsilon(1e-9));
    CHECK(headline[m].at("icb_es95_gbp").get<double>() == Approx(es).epsilon(1e-9));
    // Reserves: max(0, the 95 % and 99 % order statistics), at most 1 % of budget under 'held'.
    const auto reserve = f.open_dataset(g + "stats/reserve").read_all<double>();  // [1, H, 2]
    double sum95 = 0;
    for (std::size_t h = 0; h < H; ++h) {
      std::vector<double> x;
      for (std::size_t k = 0; k < K; ++k) x.push_back(outcome[k * H + h]);
      std::sort(x.begin(), x.end());
      const double cap = name == "held" ? 0.01 * budget[h] : 1e300;
      const double r95 = std::min(std::max(0.0, x[760]), cap);
      CHECK(reserve[h * 2] == Approx(r95).epsilon(1e-12));
      CHECK(reserve[h * 2 + 1] == Approx(std::min(std::max(0.0, x[792]), cap)).epsilon(1e-12));
      sum95 += r95;
    }
    CHECK(headline[m].at("holders_reserve95_gbp").get<double>() == Approx(sum95).epsilon(1e-9));
  }
  // The checks have power: the capacity binds on some path, the ICB carries something there.
  const auto held = f.open_dataset("models/held/icb_carries").read_all<double>();
  CHECK(*std::max_element(held.begin(), held.end()) > 0.0);
}

TEST_CASE("compare reads the holders a strip at a time: the same table whatever the strip's width",
          "[reports][compare]") {
  // Two files of one scenario and seed (paired) whose corridor differs, so that the practice
  // level's differences are not zero; 7 holders, read 1, 2 or 3 at a time or all at once.
  const std::string models_a =
      "delegation:\n  - {name: held, holder: practice}\n"
      "  - name: shared\n    holder: practice\n"
      "    terms: {corridor: {lower: 0.02, upper: 0.02, share_over: 0.5}}\n";
  std::string models_b = models_a;
  models_b.replace(models_b.find("upper: 0.02"), 11, "upper: 0.04");
  const auto drivers = kSystemicBaseline + kLocalHcp;
  TempRun a(scenario(identical_practices(7, 5000), drivers, 96, models_a), "compare-a");
  TempRun b(scenario(identical_practices(7, 5000), drivers, 96, models_b), "compare-b");
  const auto table = [&](std::size_t strip_bytes, const std::string& holder) {
    CompareRequest r{a.file.string(), b.file.string(), "", holder, "json", strip_bytes};
    std::ostringstream out, err;
    REQUIRE(compare_command(r, out, err) == 0);
    CHECK(err.str().empty());
    return out.str();
  };
  const std::string whole = table(std::size_t{64} << 20, "");
  const auto doc = nlohmann::json::parse(whole);
  std::size_t shared_differs = 0;
  for (const auto& row : doc.at("differences"))
    shared_differs += row.at("model") == "shared" && row.at("holder") != "ICB" &&
                      row.at("difference").get<double>() != 0.0;
  CHECK(shared_differs > 0);  // the comparison has something to get wrong
  for (std::size_t holders : {1, 2, 3}) {
    INFO(holders << " holder(s) a strip");
    CHECK(table(holders * 96 * 8, "") == whole);
  }
  const std::string one = table(2 * 96 * 8, "P4");
  CHECK(one.find("\"P4\"") != std::string::npos);
  CHECK(one.find("\"P3\"") == std::string::npos);
  CHECK(one == table(std::size_t{64} << 20, "P4"));

  // B's holders in another order: its strip spans them wherever they are, and the columns must
  // be B's all the same
  // (the "B" of A against B equals the "A" of B against itself, read as strips).
  std::string reversed = "population:\n  practices:\n";
  const std::string forward = identical_practices(7, 5000);
  for (int i = 6; i >= 0; --i) {
    const auto at = forward.find("{id: P" + std::to_string(i) + ",");
    reversed += "    - " + forward.substr(at, forward.find('\n', at) + 1 - at);
  }
  TempRun c(scenario(reversed, drivers, 96, models_b), "compare-c");
  const auto values = [&](const fs::path& x, const fs::path& y, const char* column) {
    CompareRequest r{x.string(), y.string(), "shared", "", "json", 2 * 96 * 8};
    std::ostringstream out, err;
    REQUIRE(compare_command(r, out, err) == 0);
    std::map<std::string, double> v;
    const auto doc = nlohmann::json::parse(out.str());  // kept: the loop reads into it
    for (const auto& row : doc.at("differences"))
      v[row.at("holder").get<std::string>() + "/" + row.at("statistic").get<std::string>()] =
          row.at(column).get<double>();
    return v;
  };
  const auto b_read_reordered = values(a.file, c.file, "B");
  // ICB and 7 holders; mean, 1-in-20, ES95 and P(> x) for the five default thresholds
  CHECK(b_read_reordered.size() == 8 * 8);
  CHECK(b_read_reordered == values(c.file, c.file, "A"));
}
