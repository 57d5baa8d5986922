// Budget methods (docs/model.md §2.3): file (a column of annual budgets) and capitation (a total
// shared by a weight column) give the hand-computed budgets, prorated to short settlement years and
// raised by the uplift; a holder's budget is the sum of its practices'; bad columns are located
// errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "rxstress/model.hpp"

using namespace rxstress;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

// Four practices: P1, P2 in neighbourhood N1 of provider R1; P3 (N2) and P4 (N3) in R2.
const std::string kPractices =
    "population:\n"
    "  columns: [budget_2026, astro_pu]\n"
    "  practices:\n"
    "    - {id: P1, list_size: 5000, annual_spend: 800000, generic_share: 0.2, neighbourhood: N1,"
    " provider: R1, budget_2026: 820000, astro_pu: 4000}\n"
    "    - {id: P2, list_size: 9000, annual_spend: 1400000, generic_share: 0.2, neighbourhood: N1,"
    " provider: R1, budget_2026: 1450000, astro_pu: 9500}\n"
    "    - {id: P3, list_size: 12000, annual_spend: 2000000, generic_share: 0.2, neighbourhood: N2,"
    " provider: R2, budget_2026: 2100000, astro_pu: 11000}\n"
    "    - {id: P4, list_size: 4000, annual_spend: 600000, generic_share: 0.2, neighbourhood: N3,"
    " provider: R2, budget_2026: 590000, astro_pu: 3500}\n";

// 15 months from April: settlement years of 12 and 3 months.
std::string scenario_text(const std::string& budget, const std::string& population = kPractices) {
  return "rxstress: 1\nname: budgets\nstart: 2026-04\nhorizon_months: 15\npaths: 10\nseed: 1\n" +
         population +
         "drivers:\n  - type: baseline\n    growth: {mean: 0.04, sd: 0.02}\n"
         "    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}\n" +
         budget +
         "delegation:\n  - {name: i, holder: icb}\n  - {name: r, holder: provider}\n"
         "  - {name: n, holder: neighbourhood}\n  - {name: p, holder: practice}\n";
}

// Checks the budgets of every practice, month and holder against practices' annual budgets.
void check_budgets(const std::string& budget, const std::vector<double>& annual) {
  const Scenario sc = load_scenario_text(scenario_text(budget), "budgets.yaml");
  const Model model(sc);
  REQUIRE(model.years() == 2);
  REQUIRE(model.practices() == 4);
  const auto& pb = model.practice_budget();
  for (std::size_t i = 0; i < 4; ++i) {
    INFO("practice " << i);
    CHECK(pb[i * 2 + 0] == Approx(annual[i]).epsilon(1e-12));
    CHECK(pb[i * 2 + 1] == Approx(annual[i] * 3.0 / 12.0).epsilon(1e-12));
    for (int t = 0; t < 15; ++t)
      CHECK(model.monthly_budget()[i * 15 + t] == Approx(annual[i] / 12.0).epsilon(1e-12));
  }
  // Holders, levels in the order of the delegation models: icb, provider, neighbourhood, practice.
  const std::vector<std::vector<std::vector<std::size_t>>> members{
      {{0, 1, 2, 3}}, {{0, 1}, {2, 3}}, {{0, 1}, {2}, {3}}, {{0}, {1}, {2}, {3}}};
  REQUIRE(model.levels().size() == 4);
  for (std::size_t l = 0; l < 4; ++l) {
    const HolderMap& map = model.levels()[l];
    REQUIRE(map.size() == members[l].size());
    for (std::size_t h = 0; h < map.size(); ++h) {
      double sum = 0;
      for (std::size_t i : members[l][h]) sum += annual[i];
      INFO("level " << l << " holder " << map.ids[h]);
      CHECK(map.budget[0 * map.size() + h] == Approx(sum).epsilon(1e-12));
      CHECK(map.budget[1 * map.size() + h] == Approx(sum / 4.0).epsilon(1e-12));
    }
  }
}

InputError load_error(const std::string& text, const std::string& file = "budgets.yaml") {
  try {
    load_scenario_text(text, file);
  } catch (const InputError& e) {
    return e;
  }
  FAIL("loaded without an InputError:\n" << text);
  throw std::logic_error("unreachable");
}

// 1-based line and column of the first `needle` in `text`.
std::pair<int, int> position(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + at, '\n')) + 1;
  return {line, static_cast<int>(at - text.rfind('\n', at))};
}

void check_error(const InputError& e, std::pair<int, int> where, const std::string& key_path,
                 const std::string& fragment, const std::string& file = "budgets.yaml") {
  INFO(e.what());
  CHECK(e.where().file == file);
  CHECK(e.where().line == where.first);
  CHECK(e.where().column == where.second);
  CHECK(e.key_path() == key_path);
  CHECK_THAT(e.what(), StartsWith(file + ":" + std::to_string(where.first) + ":" +
                                  std::to_string(where.second) + ": " + key_path + ": "));
  CHECK_THAT(e.what(), Contains(fragment));
}

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("rxstress_budgets_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return path_ / name;
  }

 private:
  fs::path path_;
};

}  // namespace

TEST_CASE("budget method file: each practice's annual budget from a column", "[budgets]") {
  SECTION("no uplift") {
    check_budgets("budget: {method: file, column: budget_2026}\n",
                  {820000, 1450000, 2100000, 590000});
  }
  SECTION("with an uplift of 2 %") {
    check_budgets("budget: {method: file, column: budget_2026, uplift: 0.02}\n",
                  {836400, 1479000, 2142000, 601800});
  }
}

TEST_CASE("budget method capitation: a total shared by a weight column", "[budgets]") {
  SECTION("by list size (the default weights): 12m x n_i / 30,000") {
    check_budgets("budget: {method: capitation, total: 12e6}\n",
                  {2000000, 3600000, 4800000, 1600000});
  }
  SECTION("by a named column, with an uplift: 12m x 1.05 x w_i / 28,000") {
    check_budgets("budget: {method: capitation, total: 12e6, weights: astro_pu, uplift: 0.05}\n",
                  {1800000, 4275000, 4950000, 1575000});
  }
}

TEST_CASE("budget method historic: last year's spend, with the uplift", "[budgets]") {
  check_budgets("budget: {method: historic, uplift: 0.1}\n", {880000, 1540000, 2200000, 660000});
}

TEST_CASE("budget columns from a CSV file", "[budgets]") {
  TempDir dir;
  const std::string csv =
      "id,name,list_size,annual_spend,generic_share,neighbourhood,provider,budget,notes\n"
      "T1,One,5000,800000,0.2,N1,P1,820000,fine\n"
      "T2,\"Smith, Jones\",9000,1400000,0.25,N1,P1,-1450000,n/a\n";
  const fs::path csv_path = dir.write("practices.csv", csv);
  auto yaml = [&](const std::string& budget) {
    return dir.write("s.yaml", scenario_text(budget, "population:\n  file: practices.csv\n"))
        .string();
  };
  SECTION("a column with a text value loads, and naming it is an error at its first bad value") {
    const std::string path = yaml("budget: {method: file, column: notes}\n");
    try {
      load_scenario(path);
      FAIL("loaded a budget from a text column");
    } catch (const InputError& e) {
      INFO(e.what());
      CHECK(e.key_path() == "budget.column");
      CHECK(e.where().file == path);
      // 'fine' starts at character 37 of row 2 (the first practice).
      CHECK_THAT(e.what(), Contains("column 'notes' is not numeric at " + csv_path.string() +
                                    ":2:37 (found 'fine')"));
    }
  }
  SECTION("a negative budget is located at its cell") {
    try {
      load_scenario(yaml("budget: {method: file, column: budget}\n"));
      FAIL("loaded a negative budget");
    } catch (const InputError& e) {
      INFO(e.what());
      CHECK(e.where().file == csv_path.string());
      CHECK(e.where().line == 3);
      CHECK(e.where().column == 43);
      CHECK(e.key_path() == "budget");
      CHECK_THAT(e.what(), Contains("practice 'T2' has a negative budget (GBP/year): -1450000"));
    }
  }
  SECTION("the CSV's numeric columns give the budgets") {
    dir.write("practices.csv",
              "id,name,list_size,annual_spend,generic_share,neighbourhood,provider,budget,notes\n"
              "T1,One,5000,800000,0.2,N1,P1,820000,fine\n"
              "T2,Two,9000,1400000,0.25,N1,P1,1450000,n/a\n");
    const Scenario sc = load_scenario(yaml("budget: {method: file, column: budget}\n"));
    const Model model(sc);
    CHECK(model.practice_budget()[0] == Approx(820000));
    CHECK(model.practice_budget()[2] == Approx(1450000));
    CHECK(model.levels()[0].budget[0] == Approx(820000 + 1450000));
  }
}

TEST_CASE("budget errors are located", "[budgets]") {
  SECTION("an unknown column, with a suggestion") {
    const std::string text = scenario_text("budget: {method: file, column: budget_2062}\n");
    check_error(load_error(text), position(text, "budget_2062"), "budget.column",
                "no column 'budget_2062' in the practice table (did you mean 'budget_2026'?)");
  }
  SECTION("a negative budget in an inline practice is located at its value") {
    std::string text = scenario_text("budget: {method: file, column: budget_2026}\n");
    text.replace(text.find("budget_2026: 2100000"), 20, "budget_2026: -2100000");
    check_error(load_error(text), position(text, "-2100000"), "population.practices[2].budget_2026",
                "practice 'P3' has a negative budget (GBP/year): -2100000");
  }
  SECTION("capitation weights that sum to zero") {
    std::string text =
        scenario_text("budget: {method: capitation, total: 1e6, weights: astro_pu}\n");
    for (const char* w : {"4000}", "9500}", "11000}", "3500}"})
      text.replace(text.find(std::string("astro_pu: ") + w), 10 + std::strlen(w), "astro_pu: 0}");
    check_error(load_error(text), position(text, "astro_pu}"), "budget.weights",
                "the weights in column 'astro_pu' sum to 0");
  }
  SECTION("a key of another method") {
    const std::string text = scenario_text("budget: {method: capitation, total: 1e6, column: x}\n");
    check_error(load_error(text), position(text, "x}"), "budget.column",
                "'column' is used only with method: file");
  }
  SECTION("capitation without a total") {
    const std::string text = scenario_text("budget: {method: capitation}\n");
    check_error(load_error(text), position(text, "{method"), "budget",
                "missing required key 'total'");
  }
  SECTION("an inline practice without a declared column") {
    std::string text = scenario_text("");
    text.replace(text.find(", astro_pu: 3500}"), 17, "}");
    check_error(load_error(text), position(text, "{id: P4"), "population.practices[3]",
                "missing required key 'astro_pu'");
  }
  SECTION("an undeclared extra key of an inline practice is still an unknown key") {
    std::string text = scenario_text("");
    text.replace(text.find("  columns: [budget_2026, astro_pu]\n"), 35, "  columns: [astro_pu]\n");
    check_error(load_error(text), position(text, "budget_2026"),
                "population.practices[0].budget_2026", "unknown key 'budget_2026'");
  }
  SECTION("columns may not redeclare a standard key") {
    std::string text = scenario_text("");
    text.replace(text.find("[budget_2026, astro_pu]"), 23, "[list_size]");
    check_error(load_error(text), position(text, "[list_size]"), "population.columns",
                "'list_size' is a standard practice key");
  }
  SECTION("columns belong to inline practices only") {
    const std::string text = scenario_text(
        "",
        "population:\n  synthetic: {practices: 4, list_size: {median: 7000, sigma_log: 0.5},"
        " spend_per_patient: {mean: 160}, providers: 1, neighbourhoods: 2}\n"
        "  columns: [budget]\n");
    check_error(load_error(text), position(text, "[budget]"), "population.columns",
                "'columns' declares extra keys of inline practices only");
  }
}

// Budgets per settlement year (a three-year deal): the uplift and the budget column may be given
// once for every year or once per year. The horizon of scenario_text has years of 12 and 3 months.
TEST_CASE("budgets per settlement year: an uplift and a column for each year", "[budgets]") {
  const std::vector<double> spend{800000, 1400000, 2000000, 600000};
  const std::vector<double> budget_2026{820000, 1450000, 2100000, 590000};
  const std::vector<double> astro_pu{4000, 9500, 11000, 3500};
  const auto budgets = [](const std::string& budget) {
    const Scenario sc = load_scenario_text(scenario_text(budget), "budgets.yaml");
    const Model model(sc);
    REQUIRE(model.years() == 2);
    return model.practice_budget();  // [practice * 2 + year]
  };
  SECTION("an uplift per year") {
    const auto pb = budgets("budget: {method: historic, uplift: [0.02, 0.05]}\n");
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(pb[i * 2] == Approx(spend[i] * 1.02).epsilon(1e-12));
      CHECK(pb[i * 2 + 1] == Approx(spend[i] * 1.05 * 3 / 12).epsilon(1e-12));
    }
  }
  SECTION("an uplift per year on the expected spend") {
    const auto flat = budgets("budget: {uplift: 0.02}\n");
    const auto per_year = budgets("budget: {uplift: [0.02, 0.05]}\n");
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(per_year[i * 2] == Approx(flat[i * 2]).epsilon(1e-12));
      CHECK(per_year[i * 2 + 1] == Approx(flat[i * 2 + 1] / 1.02 * 1.05).epsilon(1e-12));
    }
  }
  SECTION("a budget column per year, with an uplift per year") {
    const auto pb =
        budgets("budget: {method: file, column: [budget_2026, astro_pu], uplift: [0, 0.1]}\n");
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(pb[i * 2] == Approx(budget_2026[i]).epsilon(1e-12));
      CHECK(pb[i * 2 + 1] == Approx(astro_pu[i] * 1.1 * 3 / 12).epsilon(1e-12));
    }
  }
  SECTION("a list of the wrong length is located") {
    const std::string uplift = scenario_text("budget: {method: historic, uplift: [0.02]}\n");
    check_error(load_error(uplift), position(uplift, "[0.02]"), "budget.uplift",
                "found 1 values; expected a list of 2 numbers");
    const std::string column = scenario_text("budget: {method: file, column: [budget_2026]}\n");
    check_error(load_error(column), position(column, "[budget_2026]"), "budget.column",
                "found 1 columns; expected one column, or one per settlement year (2)");
  }
}
