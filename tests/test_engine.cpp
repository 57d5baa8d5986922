// The engine: results independent of threads and blocks, and holders that add up.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "support.hpp"

using namespace rxstress;
using namespace rxstress::testing;

namespace {

const std::string kDrivers =
    "  - type: baseline\n    growth: {mean: 0.04, sd: 0.02}\n"
    "    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}\n"
    "  - type: concessions\n    uplift: {calm: 0.045, crisis: 0.17}\n    enter_crisis: 0.03\n"
    "    exit_crisis: 0.08\n    noise: {sd: 0.4, autocorrelation: 0.88}\n    dispersion: 4\n"
    "  - type: high_cost_patients\n    rate_per_1000: 0.5\n"
    "    severity: {law: lognormal, median: 8000, sigma_log: 1.0}\n";
const std::string kSynthetic =
    "population:\n  synthetic: {practices: 40, list_size: {median: 7000, sigma_log: 0.5},"
    " spend_per_patient: {mean: 160, sd: 30}, providers: 2, neighbourhoods: 8}\n";
const std::string kModels =
    "budget: {method: expected, funded: [baseline, high_cost_patients]}\n"
    "delegation:\n  - {name: icb, holder: icb}\n  - {name: prov, holder: provider}\n"
    "  - {name: nb, holder: neighbourhood}\n  - {name: prac, holder: practice}\n"
    "  - name: shared\n    holder: practice\n    terms:\n      carve_out: {threshold: 20000}\n"
    "      corridor: {lower: 0.02, upper: 0.02, share_over: 0.5, share_under: 0.5, cap: 0.05}\n"
    "      pool: {contribution: 0.01}\n"
    "outputs: {trajectories: 10}\n";

// Collects every number a run hands to its consumer, in order.
class Recorder : public BlockConsumer {
 public:
  void consume(const Block& b) override {
    for (const auto& l : b.levels) {
      append(l.gross);
      append(l.by_driver);
      append(l.monthly);
    }
    for (const auto& m : b.models) {
      append(m.retained);
      append(m.residual);
      for (auto x : m.breaches) bytes.push_back(static_cast<double>(x));
    }
    append(b.national);
    firsts.push_back(b.first);
  }
  std::vector<double> bytes;
  std::vector<std::int64_t> firsts;

 private:
  void append(const std::vector<double>& v) { bytes.insert(bytes.end(), v.begin(), v.end()); }
};

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("results are bit-identical for 1, 2 and 8 threads", "[engine]") {
  const auto sc = scenario(kSynthetic, kDrivers, 300, kModels);
  const Model model(sc);
  std::vector<Recorder> runs(3);
  const int threads[] = {1, 2, 8};
  for (int i = 0; i < 3; ++i) {
    RunOptions options;
    options.threads = threads[i];
    REQUIRE(run_paths(model, options, runs[i]));
  }
  REQUIRE(runs[0].bytes.size() > 300u * 40u);
  CHECK(bitwise_equal(runs[0].bytes, runs[1].bytes));
  CHECK(bitwise_equal(runs[0].bytes, runs[2].bytes));
  // Blocks arrive in path order.
  CHECK(std::is_sorted(runs[1].firsts.begin(), runs[1].firsts.end()));
}

TEST_CASE("a path computed alone equals the same path inside a full run", "[engine]") {
  const auto sc = scenario(kSynthetic, kDrivers, 64, kModels);
  const Model model(sc);
  Block all, one;
  simulate_block(model, 0, 64, all);
  for (int k : {0, 5, 37, 63}) {
    simulate_block(model, k, 1, one);
    for (std::size_t l = 0; l < model.levels().size(); ++l) {
      const std::size_t H = model.levels()[l].size();
      for (std::size_t h = 0; h < H; ++h)
        CHECK(one.levels[l].gross[h] == all.levels[l].gross[k * H + h]);
    }
    for (std::size_t m = 0; m < sc.delegation.size(); ++m)
      CHECK(one.models[m].residual[0] == all.models[m].residual[k]);
  }
}

TEST_CASE("streams: a new driver or practice leaves the others' draws unchanged", "[engine]") {
  const std::string base =
      "  - type: baseline\n    growth: {mean: 0.04, sd: 0.02}\n"
      "    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}\n";
  const std::string extra =
      "  - type: high_cost_patients\n    rate_per_1000: 0.5\n"
      "    severity: {law: gamma, mean: 9000, cv: 1}\n";
  const std::string lvl = "delegation:\n  - {name: p, holder: practice}\n";
  const auto sca = scenario(identical_practices(5, 6000), base, 20, lvl);
  const auto scb = scenario(identical_practices(6, 6000), extra + base, 20, lvl);
  const Model a(sca), b(scb);
  const auto sa = sample_level(a, 0), sb = sample_level(b, 0);
  for (std::size_t k = 0; k < 20; ++k)
    for (std::size_t h = 0; h < 5; ++h) CHECK(sa.driver(k, h, 0) == sb.driver(k, h, 1));
}

TEST_CASE("a practice's draws do not depend on the practices around it", "[engine]") {
  // Practice row 3 (P3) keeps its row while the rows before it are reordered and the rows after
  // it change in number and size, so it sits beside other practices in its vector of lanes: each
  // driver's spend of P3 must not change by one bit.
  const auto practice = [](const std::string& id, double n) {
    return "    - {id: " + id + ", list_size: " + std::to_string(n) +
           ", annual_spend: " + std::to_string(160.0 * n) +
           ", generic_share: 0.22, neighbourhood: N1, provider: R1}\n";
  };
  const auto population = [&](const std::vector<std::pair<std::string, double>>& rows) {
    std::string out = "population:\n  practices:\n";
    for (const auto& [id, n] : rows) out += practice(id, n);
    return out;
  };
  std::vector<std::pair<std::string, double>> a{
      {"A", 3000}, {"B", 9000}, {"C", 12000}, {"P3", 7000}, {"D", 5000}};
  std::vector<std::pair<std::string, double>> b{
      {"C", 12000}, {"A", 3000}, {"B", 9000}, {"P3", 7000}};
  for (int k = 0; k < 13; ++k) b.push_back({"E" + std::to_string(k), 2000.0 + 900 * k});
  const std::string all_drivers =
      kDrivers +
      "  - type: new_medicines\n    prevalence: 0.02\n    cost_per_patient_month: 150\n"
      "    launch_month: {from: 0, to: 6}\n    peak_uptake: {mean: 0.1, sd: 0.05}\n"
      "    half_peak_months: 9\n    scale_months: 3\n    practice_cv: 0.3\n"
      "  - type: patent_expiry\n    share: {mean: 0.03, concentration: 50}\n"
      "    planned_month: 3\n    delay: {values: [0, 3], probs: [0.5, 0.5]}\n"
      "    depth: {mean: 0.8, sd: 0.1}\n    ramp_months: 4\n";
  const std::string lvl = "delegation:\n  - {name: p, holder: practice}\n";
  const auto sca = scenario(population(a), all_drivers, 24, lvl);
  const auto scb = scenario(population(b), all_drivers, 24, lvl);
  const Model ma(sca), mb(scb);
  const auto sa = sample_level(ma, 0), sb = sample_level(mb, 0);
  REQUIRE(sa.drivers == 5);
  for (std::size_t k = 0; k < 24; ++k)
    for (std::size_t d = 0; d < sa.drivers; ++d) {
      INFO("path " << k << " driver " << d);
      CHECK(sa.driver(k, 3, d) == sb.driver(k, 3, d));
    }
  // The other rows did change (so the check is not vacuous): B's row 0 is another practice.
  CHECK(sa.driver(0, 0, 0) != sb.driver(0, 0, 0));
}

TEST_CASE("holders add up: every level sums to the ICB, retained + residual = gross", "[engine]") {
  const auto sc = scenario(kSynthetic, kDrivers, 50, kModels);
  const Model model(sc);
  Block b;
  simulate_block(model, 0, 50, b);
  const std::size_t shared = 4, practice_level = model.level_of_model(3);
  for (int k = 0; k < 50; ++k) {
    const double icb = b.levels[model.level_of_model(0)].gross[k];
    for (std::size_t l = 0; l < model.levels().size(); ++l) {
      const std::size_t H = model.levels()[l].size();
      double sum = 0;
      for (std::size_t h = 0; h < H; ++h) sum += b.levels[l].gross[k * H + h];
      CHECK(sum == Approx(icb).margin(1e-6 * std::abs(icb) + 1e-3));
    }
    const std::size_t H = model.levels()[practice_level].size();
    double retained = 0, gross = 0;
    for (std::size_t h = 0; h < H; ++h) {
      retained += b.models[shared].retained[k * H + h];
      gross += b.levels[practice_level].gross[k * H + h];
    }
    CHECK(retained + b.models[shared].residual[k] == Approx(gross).margin(1e-6));
  }
  // The terms do something: the residual is not zero on every path.
  double residual_size = 0;
  for (int k = 0; k < 50; ++k) residual_size += std::abs(b.models[shared].residual[k]);
  CHECK(residual_size > 0);
}

TEST_CASE("budgets: expected method funds the named drivers at their exact expectation",
          "[engine]") {
  const auto sc = scenario(kSynthetic, kDrivers, 10, kModels + "");
  const Model model(sc);
  const std::size_t P = model.practices(), T = model.months();
  for (std::size_t i = 0; i < P; i += 7) {
    double funded = 0;
    for (std::size_t t = 0; t < T; ++t)
      funded += model.expected()[0][i * T + t] + model.expected()[2][i * T + t];
    CHECK(model.practice_budget()[i] == Approx(funded).epsilon(1e-12));
  }
}
