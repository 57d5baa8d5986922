// Plausibility warnings (issue 16): values that are valid but most likely a unit slip are reported
// at their file:line:column, one line each; --strict makes them errors (exit 2, no output).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "program.hpp"
#include "rxstress/scenario.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using rxstress::Scenario;
using rxstress::Warning;
using namespace rxstress::testing;

namespace {

// Lines are numbered for the location checks below; every value is plausible.
const std::string kPlausible = R"yaml(rxstress: 1
name: warnings
horizon_months: 12
paths: 20
seed: 1
population:
  practices:
    - {id: A1, list_size: 5000, annual_spend: 800000, generic_share: 0.2, neighbourhood: N1, provider: P1}
    - {id: A2, list_size: 9000, annual_spend: 1400000, generic_share: 0.2, neighbourhood: N1, provider: P1}
drivers:
  - type: baseline
    growth: {mean: 0.04, sd: 0.02}
    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}
budget:
  uplift: 0.02
delegation:
  - name: shared
    holder: practice
    terms:
      corridor: {lower: 0.02, upper: 0.02}
      pool: {contribution: 0.01}
)yaml";

std::string edit(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// The one warning of `text`.
Warning only_warning(const std::string& text) {
  const Scenario sc = rxstress::load_scenario_text(text, "w.yaml");
  REQUIRE(sc.warnings.size() == 1);
  return sc.warnings[0];
}

}  // namespace

TEST_CASE("plausible values give no warning", "[scenario][warnings]") {
  CHECK(rxstress::load_scenario_text(kPlausible, "w.yaml").warnings.empty());
}

TEST_CASE("likely unit slips are warnings located at the value", "[scenario][warnings]") {
  SECTION("a corridor band over 50 % of the budget") {
    const Warning w = only_warning(edit(kPlausible, "upper: 0.02", "upper: 2"));
    CHECK(w.where.line == 20);
    CHECK(w.where.column == 38);
    CHECK(w.key_path == "delegation[0].terms.corridor.upper");
    CHECK_THAT(w.text(), Contains("w.yaml:20:38: delegation[0].terms.corridor.upper: 2 is 200 % "
                                  "of the budget (over 50 %): a percentage written as a whole "
                                  "number?; expected a fraction of the budget, e.g. 0.02 for 2 %"));
  }
  SECTION("a pool contribution over 20 %") {
    const Warning w = only_warning(edit(kPlausible, "contribution: 0.01", "contribution: 0.5"));
    CHECK(w.key_path == "delegation[0].terms.pool.contribution");
    CHECK(w.where.line == 21);
  }
  SECTION("an uplift over 30 %") {
    const Warning w = only_warning(edit(kPlausible, "uplift: 0.02", "uplift: 0.35"));
    CHECK(w.key_path == "budget.uplift");
    CHECK(w.where.line == 15);
    CHECK(w.where.column == 11);
  }
  SECTION("practices spending over GBP 2,000 per patient: one line for all of them") {
    std::string text = edit(kPlausible, "annual_spend: 800000", "annual_spend: 80000000");
    text = edit(text, "annual_spend: 1400000", "annual_spend: 140000000");
    const Warning w = only_warning(text);
    CHECK(w.key_path == "population.practices[0].annual_spend");
    CHECK(w.where.line == 8);
    CHECK(w.where.column == 47);
    CHECK_THAT(w.problem, Contains("practice 'A1' spends GBP 16000 per patient a year") &&
                              Contains("and 1 more practices do") && Contains("pence for pounds"));
  }
  SECTION("a CSV practice table: at the row's annual_spend") {
    ScratchDir dir("warnings");
    std::ofstream(dir.path() / "p.csv")
        << "id,name,list_size,annual_spend,generic_share,neighbourhood,provider\n"
           "A1,One,5000,800000,0.2,N1,P1\nA2,Two,9000,1400000000,0.2,N1,P1\n";
    const std::string inline_list =
        kPlausible.substr(kPlausible.find("  practices:"),
                          kPlausible.find("drivers:") - kPlausible.find("  practices:"));
    std::ofstream(dir.path() / "s.yaml") << edit(kPlausible, inline_list, "  file: p.csv\n");
    const Scenario sc = rxstress::load_scenario((dir.path() / "s.yaml").string());
    REQUIRE(sc.warnings.size() == 1);
    CHECK(fs::path(sc.warnings[0].where.file).filename() == "p.csv");
    CHECK(sc.warnings[0].where.line == 3);
    CHECK(sc.warnings[0].where.column == 13);
    CHECK(sc.warnings[0].key_path == "annual_spend");
  }
}

TEST_CASE("run and validate print warnings; --strict makes them errors", "[cli][warnings]") {
  ScratchDir dir("warnings");
  const std::string scenario = (dir.path() / "slip.yaml").string();
  std::ofstream(scenario) << edit(kPlausible, "upper: 0.02", "upper: 2");
  const std::string out = (dir.out() / "r.h5").string();
  const std::string line =
      "slip.yaml:20:38: delegation[0].terms.corridor.upper: 2 is 200 % of the budget";
  SECTION("a warning does not stop the run") {
    const Outcome r = run_rxstress({"run", scenario, "-o", out}, dir.logs());
    INFO(r.describe() << "\n" << r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.err, Contains("rxstress: warning: " + dir.path().string() + "/" + line));
    CHECK(fs::exists(out));
    const Outcome v = run_rxstress({"validate", scenario}, dir.logs());
    CHECK(v.status == 0);
    CHECK_THAT(v.err, Contains("rxstress: warning: "));
  }
  SECTION("--strict: exit 2 and no results file") {
    const Outcome r = run_rxstress({"run", scenario, "-o", out, "--strict"}, dir.logs());
    INFO(r.describe() << "\n" << r.err);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("rxstress: " + dir.path().string() + "/" + line) &&
                          Contains("(a warning, an error with --strict)"));
    CHECK(entries(dir.out()).empty());
    CHECK(run_rxstress({"validate", "--strict", scenario}, dir.logs()).status == 2);
  }
}
