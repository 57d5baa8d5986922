// Loading and validating scenarios (docs/model.md §2.6, docs/architecture.md §8): valid files give
// the right values; every invalid input is an InputError naming file:line:column, the key path, the
// problem and what was expected. Line and column numbers below are 1-based and refer to kBase
// (numbered in its comment).
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "rxstress/error.hpp"
#include "rxstress/scenario.hpp"
#include "scenario/param_node.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using rxstress::HolderLevel;
using rxstress::InputError;
using rxstress::Scenario;

namespace {

const fs::path kData = fs::path(RXSTRESS_SOURCE_DIR) / "tests" / "data";

// A small valid scenario with an inline population. Its lines, for the error tests (the practice
// lines are longer than 100 columns: the columns in the tests depend on them):
//   1 rxstress        8 population      15 baseline       22 enter_crisis        30 budget
//   2 name            9 practices       16 growth         25 dispersion          32 funded
//   3 description  10-12 the practices  17 noise          26 high_cost_patients  34-44 delegation
//   4 start          13 source          18 source         27 rate_per_1000       45 outputs
//   5 horizon_months 14 drivers         19 concessions    29 payment             46 thresholds
//   6 paths, 7 seed                     20 name: ncso                            47 trajectories
const std::string kBase = R"yaml(rxstress: 1
name: unit
description: the loader tests' scenario
start: 2027-01
horizon_months: 15
paths: 300
seed: 99
population:
  practices:
    - {id: A1, name: "One, Two", list_size: 5000, annual_spend: 800000, generic_share: 0.2, neighbourhood: N1, provider: P1}
    - {id: A2, name: Two, list_size: 9000, annual_spend: 1400000, generic_share: 0.25, neighbourhood: N1, provider: P1}
    - {id: A3, list_size: 12000, annual_spend: 2000000, generic_share: 0.3, neighbourhood: N2, provider: P2}
  source: invented
drivers:
  - type: baseline
    growth: {mean: 0.04, sd: 0.02}
    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}
    source: test
  - type: concessions
    name: ncso
    uplift: {calm: 0.045, crisis: 0.17}
    enter_crisis: 0.03
    exit_crisis: 0.08
    noise: {sd: 0.4, autocorrelation: 0.88}
    dispersion: 4
  - type: high_cost_patients
    rate_per_1000: 0.5
    severity: {law: lognormal, median: 8000, sigma_log: 1.0}
    payment: monthly
budget:
  method: expected
  funded: [baseline, high_cost_patients]
  uplift: 0.01
delegation:
  - {name: icb-held, holder: icb}
  - {name: by-provider, holder: provider}
  - {name: by-pcn, holder: neighbourhood}
  - {name: by-practice, holder: practice}
  - name: shared
    holder: practice
    terms:
      carve_out: {threshold: 20000}
      corridor: {lower: 0.02, upper: 0.03, share_over: 0.5, share_under: 0.25, cap: 0.05}
      pool: {contribution: 0.01, leftover: kept}
outputs:
  thresholds: [0, 0.02, 0.05]
  trajectories: 10
)yaml";

const std::string kFile = "unit.yaml";

// `text` with the one occurrence of `from` replaced by `to`.
std::string edit(const std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.substr(0, at) + to + text.substr(at + from.size());
}

// The InputError that loading `text` throws (the test fails if it loads or throws anything else).
InputError load_error(const std::string& text, const std::vector<std::string>& overrides = {},
                      const std::string& file = kFile) {
  try {
    rxstress::load_scenario_text(text, file, overrides);
  } catch (const InputError& e) {
    return e;
  }
  FAIL("the scenario loaded without an InputError:\n" << text);
  throw std::logic_error("unreachable");
}

// Checks every part of an error: where, which key, and a fragment of the problem.
void check_error(const InputError& e, int line, int column, const std::string& key_path,
                 const std::string& fragment, const std::string& file = kFile) {
  INFO("message: " << e.what());
  CHECK(e.where().file == file);
  CHECK(e.where().line == line);
  CHECK(e.where().column == column);
  CHECK(e.key_path() == key_path);
  const std::string prefix = file + ":" + std::to_string(line) + ":" + std::to_string(column) +
                             ": " + (key_path.empty() ? "" : key_path + ": ");
  CHECK_THAT(e.what(), StartsWith(prefix));
  CHECK_THAT(e.what(), Contains(fragment));
  CHECK_THAT(e.what(), Contains("; expected "));
}

std::size_t count_distinct(const std::vector<std::string>& v) {
  return std::set<std::string>(v.begin(), v.end()).size();
}

const rxstress::ResolvedParam* find_param(const rxstress::ParamLog& log, const std::string& key) {
  for (const auto& p : log)
    if (p.key_path == key) return &p;
  return nullptr;
}

// A fresh directory per test, removed afterwards even when the test fails.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("rxstress_scenario_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  fs::path path_;
};

// kBase with its population read from a CSV file `practices.csv` next to it.
std::string csv_scenario() {
  std::string text = kBase;
  const auto from = text.find("  practices:\n");
  const auto to = text.find("  source: invented\n");
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  return text.substr(0, from) + "  file: practices.csv\n" + text.substr(to);
}

const char* kCsvHeader = "id,name,list_size,annual_spend,generic_share,neighbourhood,provider\n";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Valid scenarios
// ---------------------------------------------------------------------------------------------

TEST_CASE("an inline scenario loads with every value", "[scenario]") {
  const Scenario sc = rxstress::load_scenario_text(kBase, kFile);
  CHECK(sc.file == kFile);
  CHECK(sc.text == kBase);  // no overrides: the file's own text, comments and all
  CHECK(sc.name == "unit");
  CHECK(sc.description == "the loader tests' scenario");
  CHECK(sc.start.year == 2027);
  CHECK(sc.start.month == 1);
  CHECK(sc.start.text() == "2027-01");
  CHECK(sc.horizon_months == 15);
  CHECK(sc.calendar().years() == 2);  // Jan-Mar 2027 in 2026/27, then 2027/28
  CHECK(sc.paths == 300);
  CHECK(sc.seed == 99);

  const auto& pop = sc.population;
  REQUIRE(pop.size() == 3);
  CHECK(pop.id == std::vector<std::string>{"A1", "A2", "A3"});
  CHECK(pop.name == std::vector<std::string>{"One, Two", "Two", "A3"});  // name defaults to id
  CHECK(pop.list_size == std::vector<double>{5000, 9000, 12000});
  CHECK(pop.annual_spend == std::vector<double>{800000, 1400000, 2000000});
  CHECK(pop.generic_share == std::vector<double>{0.2, 0.25, 0.3});
  CHECK(pop.neighbourhood == std::vector<std::string>{"N1", "N1", "N2"});
  CHECK(pop.provider == std::vector<std::string>{"P1", "P1", "P2"});
  CHECK(pop.source == "invented");
  CHECK(pop.total_list_size() == 26000);

  REQUIRE(sc.drivers.size() == 3);
  REQUIRE(sc.driver_params.size() == 3);
  CHECK(sc.drivers[0]->type() == "baseline");
  CHECK(sc.drivers[0]->name() == "baseline");  // name defaults to the type
  CHECK(sc.drivers[0]->source() == "test");
  CHECK(sc.drivers[1]->type() == "concessions");
  CHECK(sc.drivers[1]->name() == "ncso");
  CHECK(sc.drivers[1]->source().empty());
  CHECK(sc.drivers[2]->type() == "high_cost_patients");
  CHECK(sc.drivers[2]->name() == "high_cost_patients");

  // Resolved parameters carry value, unit and whether they were defaulted.
  const auto* mean = find_param(*sc.driver_params[0], "drivers[0].growth.mean");
  REQUIRE(mean != nullptr);
  CHECK(mean->value == "0.04");
  CHECK(mean->unit == "fraction/year");
  CHECK_FALSE(mean->defaulted);
  const auto* start = find_param(*sc.driver_params[1], "drivers[1].start");
  REQUIRE(start != nullptr);
  CHECK(start->value == "calm");
  CHECK(start->defaulted);
  CHECK(find_param(*sc.params, "drivers[2].rate_per_1000") != nullptr);

  CHECK(sc.budget.method == rxstress::BudgetSpec::Method::expected);
  CHECK(sc.budget.funded == std::vector<std::string>{"baseline", "high_cost_patients"});
  CHECK(sc.budget.uplift == std::vector<double>{0.01});

  REQUIRE(sc.delegation.size() == 5);
  const std::vector<std::string> names{"icb-held", "by-provider", "by-pcn", "by-practice",
                                       "shared"};
  const std::vector<HolderLevel> levels{HolderLevel::icb, HolderLevel::provider,
                                        HolderLevel::neighbourhood, HolderLevel::practice,
                                        HolderLevel::practice};
  for (std::size_t m = 0; m < 5; ++m) {
    CHECK(sc.delegation[m].name == names[m]);
    CHECK(sc.delegation[m].level == levels[m]);
    CHECK(sc.delegation[m].terms.any() == (m == 4));
  }
  const auto& t = sc.delegation[4].terms;
  REQUIRE(t.carve_out);
  CHECK(t.carve_out->threshold == 20000);
  REQUIRE(t.corridor);
  CHECK(t.corridor->lower == 0.02);
  CHECK(t.corridor->upper == 0.03);
  CHECK(t.corridor->share_over == 0.5);
  CHECK(t.corridor->share_under == 0.25);
  CHECK(t.corridor->cap == 0.05);
  REQUIRE(t.pool);
  CHECK(t.pool->contribution == 0.01);
  CHECK_FALSE(t.pool->returned);
  CHECK_THAT(t.text(), Contains("carve_out") && Contains("corridor") && Contains("pool"));

  CHECK(sc.outputs.thresholds == std::vector<double>{0, 0.02, 0.05});
  CHECK(sc.outputs.trajectories == 10);
}

TEST_CASE("optional sections take their documented defaults", "[scenario]") {
  std::string text = kBase.substr(0, kBase.find("budget:\n"));
  text = edit(text, "description: the loader tests' scenario\n", "");
  text = edit(text, "start: 2027-01\n", "");
  const Scenario sc = rxstress::load_scenario_text(text, "dir/defaults.yaml");
  CHECK(sc.name == "unit");
  CHECK(sc.description.empty());
  CHECK(sc.start.text() == "2026-04");
  // Without a budget section every driver is funded; without delegation the ICB holds it.
  CHECK(sc.budget.method == rxstress::BudgetSpec::Method::expected);
  CHECK(sc.budget.funded == std::vector<std::string>{"baseline", "ncso", "high_cost_patients"});
  CHECK(sc.budget.uplift == std::vector<double>{0.0});
  REQUIRE(sc.delegation.size() == 1);
  CHECK(sc.delegation[0].name == "icb-held");
  CHECK(sc.delegation[0].level == HolderLevel::icb);
  CHECK(sc.outputs.thresholds == std::vector<double>{0, 0.01, 0.02, 0.05, 0.10});
  CHECK(sc.outputs.trajectories == 200);
}

TEST_CASE("tests/data/small.yaml: a synthetic population of 20 practices", "[scenario]") {
  const Scenario sc = rxstress::load_scenario((kData / "small.yaml").string());
  CHECK(sc.name == "small");
  CHECK(sc.start.text() == "2026-04");
  CHECK(sc.horizon_months == 12);
  CHECK(sc.paths == 200);
  CHECK(sc.seed == 12345);

  const auto& pop = sc.population;
  REQUIRE(pop.size() == 20);
  CHECK(pop.id.front() == "P00001");
  CHECK(pop.id.back() == "P00020");
  CHECK(count_distinct(pop.id) == 20);
  CHECK(count_distinct(pop.neighbourhood) == 4);
  CHECK(count_distinct(pop.provider) == 2);
  for (std::size_t i = 0; i < pop.size(); ++i) {
    CHECK(pop.list_size[i] >= 1000);  // list_size.min
    CHECK(pop.generic_share[i] == 0.22);
    CHECK(pop.annual_spend[i] > 0);
    // Neighbourhoods nest in providers: a neighbourhood's practices share one provider.
    for (std::size_t j = 0; j < pop.size(); ++j)
      if (pop.neighbourhood[i] == pop.neighbourhood[j]) CHECK(pop.provider[i] == pop.provider[j]);
  }

  REQUIRE(sc.drivers.size() == 3);
  CHECK(sc.drivers[0]->type() == "baseline");
  CHECK(sc.drivers[1]->type() == "concessions");
  CHECK(sc.drivers[2]->type() == "high_cost_patients");
  REQUIRE(sc.delegation.size() == 5);
  CHECK(sc.delegation[0].level == HolderLevel::icb);
  CHECK(sc.delegation[1].level == HolderLevel::provider);
  CHECK(sc.delegation[2].level == HolderLevel::neighbourhood);
  CHECK(sc.delegation[3].level == HolderLevel::practice);
  CHECK(sc.delegation[4].level == HolderLevel::practice);
  const auto& t = sc.delegation[4].terms;
  CHECK(t.carve_out);
  CHECK(t.corridor);
  CHECK(t.pool);
  CHECK(sc.budget.funded == std::vector<std::string>{"baseline", "high_cost_patients"});
  CHECK(sc.outputs.thresholds.size() == 5);
  CHECK(sc.outputs.trajectories == 20);
}

TEST_CASE("tests/data/small-csv.yaml reads practices.csv with RFC 4180 quoting", "[scenario]") {
  const Scenario sc = rxstress::load_scenario((kData / "small-csv.yaml").string());
  CHECK(sc.name == "small-csv");
  const auto& pop = sc.population;
  REQUIRE(pop.size() == 20);
  CHECK(pop.id[0] == "T00001");
  CHECK(pop.name[0] == "Riverside Surgery");
  CHECK(pop.name[1] == "Smith, Jones and Partners");  // quoted, with a comma
  CHECK(pop.name[3] == "The \"Old\" Surgery");        // doubled quotes
  CHECK(pop.list_size[1] == 11450);                   // the comma did not shift the columns
  CHECK(pop.annual_spend[1] == 1832000);
  CHECK(pop.generic_share[1] == 0.21);
  CHECK(pop.list_size[11] == 15020);
  CHECK(pop.generic_share[6] == 0.19);
  CHECK(pop.neighbourhood[19] == "N4");
  CHECK(pop.provider[19] == "PROV2");
  CHECK(pop.total_list_size() == 158655);
  double spend = 0;
  for (double b : pop.annual_spend) spend += b;
  CHECK(spend == 25384800);
  CHECK(count_distinct(pop.neighbourhood) == 4);
  CHECK(count_distinct(pop.provider) == 2);
  CHECK(pop.source == "Invented practices (tests)");
  CHECK(sc.drivers.size() == 3);
  CHECK(sc.delegation.size() == 5);
}

TEST_CASE("the CSV path is relative to the scenario file, not the working directory",
          "[scenario]") {
  TempDir dir;
  dir.write("practices.csv", std::string(kCsvHeader) + "X1,\"Doe, Roe\",4000,600000,0.2,N1,P1\n" +
                                 "X2,Two,6000,900000,0.3,N1,P1\n");
  const fs::path yaml = dir.write("s.yaml", csv_scenario());
  const Scenario sc = rxstress::load_scenario(yaml.string());
  REQUIRE(sc.population.size() == 2);
  CHECK(sc.population.name[0] == "Doe, Roe");
  CHECK(sc.population.list_size[1] == 6000);
  CHECK(sc.population.generic_share[1] == 0.3);
}

TEST_CASE("scenarios/example-icb.yaml loads", "[scenario]") {
  const fs::path path = fs::path(RXSTRESS_SOURCE_DIR) / "scenarios" / "example-icb.yaml";
  const Scenario sc = rxstress::load_scenario(path.string());
  CHECK(sc.name == "example-icb");
  CHECK(sc.population.size() == 180);
  CHECK(count_distinct(sc.population.provider) == 5);
  CHECK(count_distinct(sc.population.neighbourhood) == 30);
  CHECK(sc.drivers.size() >= 3);
  CHECK(sc.delegation.size() >= 5);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

TEST_CASE("YAML syntax errors are located", "[scenario]") {
  SECTION("a second ':' on a line") {
    check_error(load_error(edit(kBase, "name: unit\n", "name: unit: x\n")), 2, 11, "",
                "YAML syntax error");
  }
  SECTION("a tab in the indentation") {
    check_error(load_error(edit(kBase, "seed: 99\n", "\tseed: 99\n")), 7, 1, "",
                "YAML syntax error: illegal tab");
  }
  SECTION("an empty file") { check_error(load_error(""), 1, 1, "", "empty"); }
  SECTION("lists nested past the parser's depth limit") {
    // yaml-cpp's own message is "bad file". The location is its scanner's mark, which has read
    // past the whole flow list by then: here the start of the next line.
    const InputError e = load_error("[1, " + std::string(600, '[') + std::string(601, ']') + "\n");
    check_error(e, 2, 1, "", "lists and mappings nested too deep for the YAML parser");
    CHECK_THAT(e.what(), !Contains("bad file"));
    CHECK_THAT(e.what(), Contains("; expected a scenario nested a few levels deep"));
  }
  SECTION("a scalar instead of a mapping") {
    check_error(load_error("hello\n"), 1, 1, "(top level)", "found 'hello'");
  }
}

TEST_CASE("unknown keys are errors with a suggestion", "[scenario]") {
  SECTION("top level") {
    check_error(load_error(edit(kBase, "description:", "descripton:")), 3, 1, "descripton",
                "unknown key 'descripton' (did you mean 'description'?)");
  }
  SECTION("top level, next to the key it resembles") {
    check_error(load_error(edit(kBase, "paths: 300\n", "paths: 300\nhorizon_month: 12\n")), 7, 1,
                "horizon_month", "(did you mean 'horizon_months'?)");
  }
  SECTION("inside a driver") {
    check_error(load_error(edit(kBase, "    source: test\n",
                                "    seasonalty: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n")),
                18, 5, "drivers[0].seasonalty", "(did you mean 'seasonality'?)");
  }
  SECTION("inside a driver, next to the key it resembles") {
    check_error(load_error(edit(kBase, "    source: test\n", "    growht: 0.04\n")), 18, 5,
                "drivers[0].growht", "unknown key 'growht' (did you mean 'growth'?)");
  }
  SECTION("inside risk-sharing terms") {
    check_error(load_error(edit(kBase, "      pool: {", "      poll: {")), 44, 7,
                "delegation[4].terms.poll", "(did you mean 'pool'?)");
  }
  SECTION("the list of known keys is part of the message") {
    const InputError e = load_error(edit(kBase, "description:", "descripton:"));
    CHECK_THAT(e.what(), Contains("expected one of ") && Contains("horizon_months"));
  }
}

// Known defect: a typo in a *required* key is reported as the required key missing, without
// pointing at the misspelt key or suggesting it (docs/architecture.md §8: unknown keys get "did you
// mean").
TEST_CASE("a misspelt required top-level key gets a suggestion", "[scenario]") {
  check_error(load_error(edit(kBase, "horizon_months:", "horizon_month:")), 5, 1, "horizon_month",
              "(did you mean 'horizon_months'?)");
}

TEST_CASE("a misspelt required driver key gets a suggestion", "[scenario]") {
  check_error(load_error(edit(kBase, "    growth:", "    growht:")), 16, 5, "drivers[0].growht",
              "(did you mean 'growth'?)");
}

TEST_CASE("unknown driver types and holder levels are errors with a suggestion", "[scenario]") {
  SECTION("driver type") {
    const InputError e = load_error(edit(kBase, "type: concessions", "type: concesions"));
    check_error(e, 19, 11, "drivers[1].type",
                "unknown driver type 'concesions' (did you mean 'concessions'?)");
    CHECK_THAT(e.what(), Contains("baseline") && Contains("high_cost_patients"));
  }
  SECTION("holder level") {
    check_error(load_error(edit(kBase, "holder: provider}", "holder: providr}")), 36, 33,
                "delegation[1].holder", "'providr' is not allowed (did you mean 'provider'?)");
  }
  SECTION("a choice inside a driver") {
    check_error(load_error(edit(kBase, "payment: monthly", "payment: montly")), 29, 14,
                "drivers[2].payment", "(did you mean 'monthly'?)");
  }
}

TEST_CASE("values of the wrong type are errors", "[scenario]") {
  SECTION("a list where a whole number is expected") {
    check_error(load_error(edit(kBase, "paths: 300", "paths: [300]")), 6, 8, "paths",
                "found a list");
  }
  SECTION("text where a number is expected") {
    check_error(load_error(edit(kBase, "rate_per_1000: 0.5", "rate_per_1000: often")), 27, 20,
                "drivers[2].rate_per_1000", "found 'often'");
  }
  SECTION("a mapping where a list is expected") {
    check_error(load_error(edit(kBase, "thresholds: [0, 0.02, 0.05]", "thresholds: {a: 1}")), 46,
                15, "outputs.thresholds", "found a mapping");
  }
  SECTION("a number where a mapping is expected") {
    check_error(load_error(edit(kBase, "growth: {mean: 0.04, sd: 0.02}", "growth: 0.04")), 16, 13,
                "drivers[0].growth", "found '0.04'");
  }
  SECTION("a bad list element names its index") {
    check_error(load_error(edit(kBase, "thresholds: [0, 0.02, 0.05]", "thresholds: [0, x, 0.05]")),
                46, 19, "outputs.thresholds[1]", "found 'x'");
  }
}

TEST_CASE("out-of-range and non-finite values are errors", "[scenario]") {
  SECTION("negative sd") {
    check_error(load_error(edit(kBase, "sd: 0.02}", "sd: -0.02}")), 16, 30, "drivers[0].growth.sd",
                "-0.02 is out of range");
  }
  SECTION("probability 1.5") {
    const InputError e = load_error(edit(kBase, "enter_crisis: 0.03", "enter_crisis: 1.5"));
    check_error(e, 22, 19, "drivers[1].enter_crisis", "1.5 is out of range");
    CHECK_THAT(e.what(), Contains("[0, 1]") && Contains("probability/month"));
  }
  SECTION("autocorrelation 1.0") {
    const InputError e = load_error(edit(kBase, "autocorrelation: 0.5}", "autocorrelation: 1.0}"));
    check_error(e, 17, 47, "drivers[0].noise.autocorrelation", "1 is out of range");
    CHECK_THAT(e.what(), Contains("[-0.99, 0.99]"));
  }
  SECTION(".nan") {
    check_error(load_error(edit(kBase, "dispersion: 4", "dispersion: .nan")), 25, 17,
                "drivers[1].dispersion", "not finite");
  }
  SECTION(".inf") {
    check_error(load_error(edit(kBase, "uplift: 0.01", "uplift: .inf")), 33, 11, "budget.uplift",
                "not finite");
  }
  SECTION("-.inf in a list") {
    check_error(
        load_error(edit(kBase, "thresholds: [0, 0.02, 0.05]", "thresholds: [0, 0.02, -.inf]")), 46,
        25, "outputs.thresholds[2]", "found '-.inf'");
  }
  SECTION("horizon_months: 0") {
    check_error(load_error(edit(kBase, "horizon_months: 15", "horizon_months: 0")), 5, 17,
                "horizon_months", "0 is out of range");
  }
  SECTION("horizon_months: 10000") {
    check_error(load_error(edit(kBase, "horizon_months: 15", "horizon_months: 10000")), 5, 17,
                "horizon_months", "10000 is out of range");
  }
  SECTION("paths: 0") {
    check_error(load_error(edit(kBase, "paths: 300", "paths: 0")), 6, 8, "paths",
                "0 is out of range");
  }
  SECTION("a fractional path count") {
    check_error(load_error(edit(kBase, "paths: 300", "paths: 2.5")), 6, 8, "paths", "found '2.5'");
  }
  SECTION("a month that does not exist") {
    check_error(load_error(edit(kBase, "start: 2027-01", "start: 2027-13")), 4, 8, "start",
                "'2027-13' is not a month");
  }
  SECTION("format version 2") {
    check_error(load_error(edit(kBase, "rxstress: 1", "rxstress: 2")), 1, 11, "rxstress",
                "unsupported scenario format version 2");
  }
}

TEST_CASE("missing required keys are located at the enclosing mapping", "[scenario]") {
  SECTION("baseline without noise") {
    check_error(load_error(edit(kBase, "    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}\n", "")),
                15, 5, "drivers[0]", "missing required key 'noise'");
  }
  SECTION("a growth without sd") {
    check_error(load_error(edit(kBase, "growth: {mean: 0.04, sd: 0.02}", "growth: {mean: 0.04}")),
                16, 13, "drivers[0].growth", "missing required key 'sd'");
  }
  SECTION("a driver without a type") {
    check_error(
        load_error(edit(kBase, "  - type: concessions\n    name: ncso\n", "  - name: ncso\n")), 19,
        5, "drivers[1]", "missing required key 'type'");
  }
  SECTION("no drivers") {
    const std::string text = kBase.substr(0, kBase.find("drivers:\n")) +
                             "delegation:\n  - {name: icb-held, holder: icb}\n";
    check_error(load_error(text), 1, 1, "", "missing required key 'drivers'");
  }
}

TEST_CASE("population errors", "[scenario]") {
  SECTION("empty") {
    const std::string text = kBase.substr(0, kBase.find("  practices:\n")) + "  practices: []\n" +
                             kBase.substr(kBase.find("  source: invented\n"));
    check_error(load_error(text), 9, 3, "population.practices", "the population is empty");
  }
  SECTION("duplicate practice ids") {
    const InputError e = load_error(edit(kBase, "{id: A3,", "{id: A1,"));
    INFO(e.what());
    CHECK(e.key_path() == "population.practices[2].id");
    CHECK(e.where().file == kFile);
    CHECK_THAT(e.what(), Contains("duplicate practice id 'A1'"));
  }
  SECTION("no source of practices") {
    const std::string text = kBase.substr(0, kBase.find("  practices:\n")) +
                             kBase.substr(kBase.find("  source: invented\n"));
    check_error(load_error(text), 9, 3, "population", "no practices given");
  }
  SECTION("a practice with a generic share above 1") {
    check_error(load_error(edit(kBase, "generic_share: 0.3,", "generic_share: 1.3,")), 12, 72,
                "population.practices[2].generic_share", "1.3 is out of range");
  }
  SECTION("a CSV file that does not exist") {
    const std::string text = edit(csv_scenario(), "file: practices.csv", "file: nowhere.csv");
    check_error(load_error(text), 9, 9, "population.file", "'nowhere.csv' does not exist");
  }
}

// Known defect: duplicate ids are reported at the population mapping (9:3), not at the duplicate.
TEST_CASE("a duplicate practice id is located at the duplicate", "[scenario]") {
  check_error(load_error(edit(kBase, "{id: A3,", "{id: A1,")), 12, 12, "population.practices[2].id",
              "duplicate practice id 'A1'");
}

TEST_CASE("CSV errors name the CSV file, row and column", "[scenario]") {
  TempDir dir;
  const fs::path yaml = dir.write("s.yaml", csv_scenario());
  const std::string csv = (dir.path() / "practices.csv").string();
  auto error_for = [&](const std::string& rows) -> InputError {
    dir.write("practices.csv", std::string(kCsvHeader) + rows);
    try {
      rxstress::load_scenario(yaml.string());
    } catch (const InputError& e) {
      return e;
    }
    FAIL("practices.csv loaded:\n" << rows);
    throw std::logic_error("unreachable");
  };
  SECTION("non-numeric list_size in row 3, after a quoted name with a comma") {
    const InputError e = error_for(
        "T1,One,4000,600000,0.2,N1,P1\n"
        "T2,\"Smith, Jones\",lots,900000,0.3,N1,P1\n");
    check_error(e, 3, 19, "list_size", "found 'lots'", csv);
    CHECK_THAT(e.what(), Contains("practices.csv:3:19: list_size:"));
  }
  SECTION("generic_share out of range") {
    check_error(error_for("T1,One,4000,600000,1.5,N1,P1\n"), 2, 20, "generic_share", "found '1.5'",
                csv);
  }
  SECTION("an empty CSV (no practices) is an empty population") {
    const InputError e = error_for("");
    CHECK(e.key_path() == "population");
    CHECK_THAT(e.what(), Contains("the population is empty"));
  }
  SECTION("a missing column") {
    dir.write("practices.csv", "id,name,list_size,annual_spend,neighbourhood,provider\n");
    try {
      rxstress::load_scenario(yaml.string());
      FAIL("loaded a CSV without generic_share");
    } catch (const InputError& e) {
      check_error(e, 1, 1, "generic_share", "missing column 'generic_share'", csv);
    }
  }
}

TEST_CASE("risk-sharing terms are checked", "[scenario]") {
  SECTION("corridor cap below upper") {
    check_error(load_error(edit(kBase, "cap: 0.05}", "cap: 0.01}")), 43, 85,
                "delegation[4].terms.corridor.cap", "cap 0.01 is below upper 0.03");
  }
  SECTION("carve_out without a high_cost_patients driver") {
    std::string text = edit(kBase,
                            "  - type: high_cost_patients\n    rate_per_1000: 0.5\n"
                            "    severity: {law: lognormal, median: 8000, sigma_log: 1.0}\n"
                            "    payment: monthly\n",
                            "");
    text = edit(text, "funded: [baseline, high_cost_patients]", "funded: [baseline]");
    check_error(load_error(text), 38, 18, "delegation[4].terms.carve_out",
                "without a high_cost_patients driver");
  }
  SECTION("pool contribution above 1") {
    check_error(load_error(edit(kBase, "contribution: 0.01", "contribution: 1.5")), 44, 28,
                "delegation[4].terms.pool.contribution", "1.5 is out of range");
  }
}

TEST_CASE("budget and delegation cross-references are checked", "[scenario]") {
  SECTION("funded names a driver that does not exist") {
    check_error(load_error(edit(kBase, "funded: [baseline, high_cost_patients]",
                                "funded: [baseline, high_cost_patient]")),
                32, 22, "budget.funded[1]",
                "'high_cost_patient' is not a driver of this scenario (did you mean "
                "'high_cost_patients'?)");
  }
  SECTION("funded may name a driver by name or by type") {
    const Scenario sc = rxstress::load_scenario_text(
        edit(kBase, "funded: [baseline, high_cost_patients]", "funded: [ncso, concessions]"),
        kFile);
    CHECK(sc.budget.funded == std::vector<std::string>{"ncso", "concessions"});
  }
  SECTION("duplicate delegation model names") {
    check_error(load_error(edit(kBase, "name: by-provider", "name: icb-held")), 36, 12,
                "delegation[1].name", "duplicate model name 'icb-held'");
  }
  SECTION("a model name that cannot name an HDF5 group") {
    check_error(load_error(edit(kBase, "name: by-pcn", "name: by/pcn")), 37, 12,
                "delegation[2].name", "cannot name an HDF5 group");
  }
  SECTION("duplicate driver names") {
    check_error(load_error(edit(kBase, "    name: ncso\n", "    name: baseline\n")), 20, 11,
                "drivers[1].name", "duplicate driver name 'baseline'");
  }
}

TEST_CASE("output thresholds must increase", "[scenario]") {
  check_error(load_error(edit(kBase, "thresholds: [0, 0.02, 0.05]", "thresholds: [0, 0.05, 0.02]")),
              46, 15, "outputs.thresholds", "not strictly increasing");
}

// Known defect: std::is_sorted accepts equal neighbours, so a repeated threshold is accepted.
TEST_CASE("a repeated output threshold is an error", "[scenario]") {
  check_error(load_error(edit(kBase, "thresholds: [0, 0.02, 0.05]", "thresholds: [0, 0.02, 0.02]")),
              46, 15, "outputs.thresholds", "increasing");
}

// Known defect: yaml-cpp keeps the first of two equal keys silently, so `paths: 0` below is never
// validated and the run uses 300 paths.
TEST_CASE("a key given twice in one mapping is an error", "[scenario]") {
  check_error(load_error(edit(kBase, "paths: 300\n", "paths: 300\npaths: 0\n")), 7, 1, "paths",
              "duplicate");
}

// ---------------------------------------------------------------------------------------------
// --set overrides
// ---------------------------------------------------------------------------------------------

TEST_CASE("overrides (--set) change the loaded values and the recorded text", "[scenario]") {
  const Scenario sc = rxstress::load_scenario_text(
      kBase, kFile, {"paths=50", "drivers.0.growth.mean=0.1", "seed=7", "outputs.trajectories=0"});
  CHECK(sc.paths == 50);
  CHECK(sc.seed == 7);
  CHECK(sc.outputs.trajectories == 0);
  const auto* mean = find_param(*sc.driver_params[0], "drivers[0].growth.mean");
  REQUIRE(mean != nullptr);
  CHECK(mean->value == "0.1");
  // The recorded text is the resolved scenario: it contains the overrides and reproduces them.
  CHECK(sc.text != kBase);
  CHECK_THAT(sc.text, Contains("paths: 50"));
  CHECK_THAT(sc.text, Contains("mean: 0.1"));
  CHECK_THAT(sc.text, !Contains("paths: 300"));
  const Scenario again = rxstress::load_scenario_text(sc.text, kFile);
  CHECK(again.paths == 50);
  CHECK(again.seed == 7);
  CHECK(find_param(*again.driver_params[0], "drivers[0].growth.mean")->value == "0.1");
  CHECK(again.population.name == sc.population.name);
  CHECK(again.delegation.size() == sc.delegation.size());
}

TEST_CASE("overridden values are validated like the file's", "[scenario]") {
  SECTION("paths=abc") {
    const InputError e = load_error(kBase, {"paths=abc"});
    CHECK(e.key_path() == "paths");
    CHECK_THAT(e.what(), Contains("found 'abc'"));
  }
  SECTION("paths=0") {
    const InputError e = load_error(kBase, {"paths=0"});
    CHECK(e.key_path() == "paths");
    CHECK_THAT(e.what(), Contains("out of range"));
  }
  SECTION("an index past the end of a list") {
    const InputError e = load_error(kBase, {"drivers.5.growth.mean=0.1"});
    CHECK(e.where().file == "--set");
    CHECK_THAT(e.what(), Contains("past the end of drivers"));
  }
  SECTION("no '='") {
    const InputError e = load_error(kBase, {"paths"});
    CHECK(e.where().file == "--set");
    CHECK_THAT(e.what(), Contains("no '='"));
  }
  SECTION("an empty key path") {
    const InputError e = load_error(kBase, {"=12"});
    CHECK(e.where().file == "--set");
    CHECK(e.key_path() == "=12");
    CHECK(e.problem() == "the key path before '=' is empty");
    CHECK_THAT(e.what(), Contains("; expected --set key.path=value"));
  }
  SECTION("an empty key between dots") {
    for (const std::string o : {".paths=12", "paths.=12", "drivers..type=baseline"}) {
      INFO(o);
      const InputError e = load_error(kBase, {o});
      CHECK(e.where().file == "--set");
      CHECK_THAT(e.problem(), Contains("has an empty key"));
      CHECK_THAT(e.what(), Contains("; expected --set key.path=value"));
    }
  }
  SECTION("a new key is an unknown key") {
    const InputError e = load_error(kBase, {"pathz=10"});
    CHECK(e.key_path() == "pathz");
    CHECK_THAT(e.what(), Contains("(did you mean 'paths'?)"));
  }
}

TEST_CASE("an override addresses a list item by name, [index] or .index alike", "[scenario]") {
  // The value each form sets, read back from the resolved parameters.
  const auto dispersion = [](const std::string& assignment) {
    const Scenario sc = rxstress::load_scenario_text(kBase, kFile, {assignment});
    return find_param(*sc.driver_params[1], "drivers[1].dispersion")->value;
  };
  CHECK(dispersion("drivers[ncso].dispersion=3") == "3");
  CHECK(dispersion("drivers[1].dispersion=3") == "3");
  CHECK(dispersion("drivers.1.dispersion=3") == "3");
  CHECK(dispersion("drivers.ncso.dispersion=3") == "3");
  // A driver without a `name` is named by its type.
  const Scenario sc =
      rxstress::load_scenario_text(kBase, kFile, {"drivers[baseline].growth.mean=0.1"});
  CHECK(find_param(*sc.driver_params[0], "drivers[0].growth.mean")->value == "0.1");
  // Delegation models by name, through nested mappings.
  const Scenario d =
      rxstress::load_scenario_text(kBase, kFile, {"delegation[shared].terms.corridor.upper=0.04"});
  CHECK(d.delegation[4].terms.corridor->upper == 0.04);
}

TEST_CASE("an override naming no item says which names there are", "[scenario]") {
  const InputError e = load_error(kBase, {"drivers[ncsso].dispersion=3"});
  CHECK(e.where().file == "--set");
  CHECK_THAT(e.problem(), Contains("no item named 'ncsso' in drivers (did you mean 'ncso'?)"));
  CHECK_THAT(e.expected(), Contains("baseline, ncso, high_cost_patients"));
  CHECK_THROWS_AS(rxstress::load_scenario_text(kBase, kFile, {"drivers.a=1"}), InputError);
  for (const std::string o : {"drivers[1=3", "drivers[]=3", "drivers[1]x=3", "outputs[0]=1"}) {
    INFO(o);
    CHECK(load_error(kBase, {o}).where().file == "--set");
  }
}

TEST_CASE("an error in a value set by name is reported against the --set argument", "[scenario]") {
  const InputError e = load_error(kBase, {"drivers[ncso].dispersion=-3"});
  CHECK(e.where().file == "--set");
  CHECK(e.key_path() == "drivers[1].dispersion");
  CHECK_THAT(e.problem(), Contains("(from --set drivers[ncso].dispersion=-3)"));
}

TEST_CASE("an override through a scalar is an InputError", "[scenario]") {
  CHECK_THROWS_AS(rxstress::load_scenario_text(kBase, kFile, {"seed.x=1"}), InputError);
}

// Known defect: a bad override value is located at unit.yaml:1:1 (the value has no mark), which
// points at the wrong place; it should name the override.
TEST_CASE("a bad override value is located at the override", "[scenario]") {
  const InputError e = load_error(kBase, {"paths=abc"});
  CHECK(e.where().file == "--set");
  CHECK(e.where().line == 0);
}
