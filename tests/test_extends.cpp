// Scenario files that extend others (issue 16): a three-file chain resolves to the tree written
// out below (compared as data); every value is reported against the file that set it; cycles,
// missing bases and unknown named items are located errors; the recorded text reproduces the
// run without the bases.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include <yaml-cpp/yaml.h>

#include "program.hpp"
#include "rxstress/error.hpp"
#include "rxstress/scenario.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using rxstress::InputError;
using rxstress::Scenario;
using rxstress::testing::ScratchDir;

namespace {

const fs::path kPractices = fs::path(RXSTRESS_SOURCE_DIR) / "tests" / "data" / "practices.csv";

// Lines are numbered for the location checks below.
const char* const kNational = R"yaml(rxstress: 1
name: national
start: 2026-04
horizon_months: 12
paths: 100
seed: 1
population:
  file: data/practices.csv
drivers:
  - type: baseline
    growth: {mean: 0.04, sd: 0.02}
    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}
  - type: concessions
    uplift: {calm: 0.045, crisis: 0.17}
    enter_crisis: 0.03
    exit_crisis: 0.08
    noise: {sd: 0.4, autocorrelation: 0.88}
    dispersion: 4
delegation:
  - {name: icb-held, holder: icb}
  - {name: practice-held, holder: practice}
  - name: practice-shared
    holder: practice
    terms:
      corridor: {lower: 0.02, upper: 0.02, share_over: 0.5}
)yaml";

const char* const kRegion = R"yaml(extends: national.yaml
name: region
paths: 200
drivers:
  - name: concessions
    dispersion: 3
    noise: {sd: 0.3}
  - type: step_shock
    name: vpag
    probability: 0.5
    month: {from: 3, to: 6}
    magnitude: {mean: 0.02, sd: 0.01}
    segment_share: 0.3
delegation:
  - name: practice-held
    remove: true
  - name: practice-shared
    terms:
      corridor: {upper: 0.03}
)yaml";

const char* const kLocal = R"yaml(extends: ../region.yaml
name: local
drivers:
  - name: vpag
    probability: 0.2
budget:
  uplift: 0.01
delegation:
  - {name: neighbourhood-held, holder: neighbourhood}
)yaml";

// What icb/local.yaml means: national.yaml, changed by region.yaml, changed by local.yaml; the
// practice table's path is relative to icb/.
const char* const kResolved = R"yaml(rxstress: 1
name: local
start: 2026-04
horizon_months: 12
paths: 200
seed: 1
population:
  file: ../data/practices.csv
drivers:
  - type: baseline
    growth: {mean: 0.04, sd: 0.02}
    noise: {sd_at_10k: 0.03, autocorrelation: 0.5}
  - type: concessions
    name: concessions
    uplift: {calm: 0.045, crisis: 0.17}
    enter_crisis: 0.03
    exit_crisis: 0.08
    noise: {sd: 0.3, autocorrelation: 0.88}
    dispersion: 3
  - type: step_shock
    name: vpag
    probability: 0.2
    month: {from: 3, to: 6}
    magnitude: {mean: 0.02, sd: 0.01}
    segment_share: 0.3
budget:
  uplift: 0.01
delegation:
  - {name: icb-held, holder: icb}
  - name: practice-shared
    holder: practice
    terms:
      corridor: {lower: 0.02, upper: 0.03, share_over: 0.5}
  - {name: neighbourhood-held, holder: neighbourhood}
)yaml";

// Equal as data: mappings whatever their key order, lists item by item, scalars as text.
bool same_tree(const YAML::Node& a, const YAML::Node& b, const std::string& path = "") {
  if (a.Type() != b.Type()) {
    UNSCOPED_INFO(path << ": different kinds of node");
    return false;
  }
  if (a.IsScalar()) {
    if (a.Scalar() != b.Scalar()) UNSCOPED_INFO(path << ": " << a.Scalar() << " != " << b.Scalar());
    return a.Scalar() == b.Scalar();
  }
  if (a.size() != b.size()) {
    UNSCOPED_INFO(path << ": " << a.size() << " items != " << b.size());
    return false;
  }
  if (a.IsSequence()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_tree(a[i], b[i], path + "[" + std::to_string(i) + "]")) return false;
    return true;
  }
  for (const auto& kv : a) {
    const std::string key = kv.first.Scalar();
    if (!b[key]) {
      UNSCOPED_INFO(path << ": no key " << key);
      return false;
    }
    if (!same_tree(kv.second, b[key], path + "." + key)) return false;
  }
  return true;
}

// The chain in a scratch directory: national.yaml, region.yaml, icb/local.yaml, data/.
struct Chain {
  ScratchDir dir{"extends"};
  Chain() {
    fs::create_directories(dir.path() / "data");
    fs::create_directories(dir.path() / "icb");
    fs::copy_file(kPractices, dir.path() / "data" / "practices.csv");
    write("national.yaml", kNational);
    write("region.yaml", kRegion);
    write("icb/local.yaml", kLocal);
  }
  std::string path(const std::string& name) const { return (dir.path() / name).string(); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir.path() / name, std::ios::binary) << text;
  }
  // The error loading icb/local.yaml after `from` is replaced by `to` in `file` (`text`).
  InputError error_after_edit(const std::string& file, std::string text, const std::string& from,
                              const std::string& to) const {
    text.replace(text.find(from), from.size(), to);
    write(file, text);
    return error("icb/local.yaml");
  }
  InputError error(const std::string& name) const {
    try {
      rxstress::load_scenario(path(name));
    } catch (const InputError& e) {
      return e;
    }
    FAIL(name << " loaded");
    throw std::logic_error("unreachable");
  }
};

const rxstress::ResolvedParam& param(const Scenario& sc, const std::string& key) {
  for (const auto& p : *sc.params)
    if (p.key_path == key) return p;
  FAIL("no parameter " << key);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("extends: a three-file chain resolves to the merged tree", "[scenario][extends]") {
  Chain chain;
  const Scenario sc = rxstress::load_scenario(chain.path("icb/local.yaml"));
  // The recorded text is the resolved scenario, without `extends`.
  const YAML::Node recorded = YAML::Load(sc.text);
  CHECK(same_tree(recorded, YAML::Load(kResolved)));
  CHECK_THAT(sc.text, Contains("with the scenarios it extends merged in"));
  CHECK(sc.population.size() == 20);
  REQUIRE(sc.drivers.size() == 3);
  CHECK(sc.drivers[2]->name() == "vpag");
  REQUIRE(sc.delegation.size() == 3);
  CHECK(sc.delegation[1].terms.corridor->upper == 0.03);
  CHECK(sc.delegation[1].terms.corridor->share_over == 0.5);
}

TEST_CASE("extends: each value is reported against the file that set it", "[scenario][extends]") {
  Chain chain;
  const Scenario sc = rxstress::load_scenario(chain.path("icb/local.yaml"));
  const auto where = [&](const std::string& key) {
    const auto& w = param(sc, key).where;
    return fs::path(w.file).lexically_normal().filename().string() + ":" + std::to_string(w.line) +
           ":" + std::to_string(w.column);
  };
  CHECK(where("seed") == "national.yaml:6:7");
  CHECK(where("paths") == "region.yaml:3:8");
  CHECK(where("name") == "local.yaml:2:7");
  CHECK(where("drivers[0].growth.mean") == "national.yaml:11:20");
  CHECK(where("drivers[1].dispersion") == "region.yaml:6:17");
  CHECK(where("drivers[1].noise.sd") == "region.yaml:7:17");
  CHECK(where("drivers[1].noise.autocorrelation") == "national.yaml:17:39");
  CHECK(where("drivers[2].probability") == "local.yaml:5:18");
  CHECK(where("delegation[1].terms.corridor.upper") == "region.yaml:19:25");
  CHECK(where("delegation[1].terms.corridor.lower") == "national.yaml:25:25");

  SECTION("an error in a base is located in the base") {
    const InputError e =
        chain.error_after_edit("region.yaml", kRegion, "dispersion: 3", "dispersion: -3");
    CHECK(fs::path(e.where().file).filename() == "region.yaml");
    CHECK(e.where().line == 6);
    CHECK(e.where().column == 17);
    CHECK(e.key_path() == "drivers[1].dispersion");
  }
  SECTION("an unknown key in an override is located at the key") {
    const InputError e =
        chain.error_after_edit("icb/local.yaml", kLocal, "probability", "probabilty");
    CHECK(fs::path(e.where().file).filename() == "local.yaml");
    CHECK(e.where().line == 5);
    CHECK(e.where().column == 5);
    CHECK_THAT(e.problem(), Contains("did you mean 'probability'"));
  }
}

TEST_CASE("extends: the recorded text reproduces the scenario without its bases",
          "[scenario][extends]") {
  Chain chain;
  const Scenario sc = rxstress::load_scenario(chain.path("icb/local.yaml"));
  fs::remove(chain.dir.path() / "national.yaml");
  fs::remove(chain.dir.path() / "region.yaml");
  const Scenario again = rxstress::load_scenario_text(sc.text, chain.path("icb/local.yaml"));
  REQUIRE(again.params->size() == sc.params->size());
  for (std::size_t i = 0; i < sc.params->size(); ++i) {
    INFO((*sc.params)[i].key_path);
    CHECK((*again.params)[i].key_path == (*sc.params)[i].key_path);
    // The practice table's path is written relative to the extending file: same file.
    if ((*sc.params)[i].key_path != "population.file")
      CHECK((*again.params)[i].value == (*sc.params)[i].value);
  }
  CHECK(again.population.file == sc.population.file);
  CHECK(again.population.id == sc.population.id);
}

TEST_CASE("extends: a cycle, a missing base and an unknown named item are located errors",
          "[scenario][extends]") {
  Chain chain;
  SECTION("a cycle") {
    const InputError e = chain.error_after_edit("national.yaml", kNational, "rxstress",
                                                "extends: icb/local.yaml\nrxstress");
    CHECK(fs::path(e.where().file).filename() == "national.yaml");
    CHECK(e.where().line == 1);
    CHECK(e.where().column == 10);
    CHECK(e.key_path() == "extends");
    CHECK_THAT(e.problem(), Contains("a cycle"));
  }
  SECTION("a missing base") {
    const InputError e = chain.error_after_edit("icb/local.yaml", kLocal, "region", "regoin");
    CHECK(e.where().line == 1);
    CHECK(e.where().column == 10);
    CHECK_THAT(e.problem(), Contains("regoin.yaml' does not exist"));
  }
  SECTION("an override of a driver no base has") {
    const InputError e =
        chain.error_after_edit("icb/local.yaml", kLocal, "name: vpag", "name: vapg");
    CHECK(e.where().line == 4);
    CHECK(e.where().column == 11);
    CHECK(e.key_path() == "drivers[vapg]");
    CHECK_THAT(e.problem(), Contains("no driver named 'vapg' to change in the base scenario "
                                     "(did you mean 'vpag'?)"));
  }
  SECTION("removing a delegation model no base has") {
    const InputError e = chain.error_after_edit("region.yaml", kRegion, "name: practice-held",
                                                "name: practise-held");
    CHECK(fs::path(e.where().file).filename() == "region.yaml");
    CHECK(e.where().line == 15);
    CHECK_THAT(e.problem(), Contains("no delegation model named 'practise-held'"));
  }
}

TEST_CASE("extends: a population source replaces the base's; null removes an inherited key",
          "[scenario][extends]") {
  Chain chain;
  chain.write("icb/synthetic.yaml",
              "extends: ../region.yaml\n"
              "name: null\n"
              "population:\n"
              "  synthetic: {practices: 6, list_size: {median: 7000, sigma_log: 0.5},\n"
              "              spend_per_patient: {mean: 160}, providers: 2, neighbourhoods: 3}\n");
  const Scenario sc = rxstress::load_scenario(chain.path("icb/synthetic.yaml"));
  CHECK(sc.population.size() == 6);  // not national.yaml's CSV
  CHECK(sc.population.file.empty());
  CHECK(sc.name == "synthetic");  // region.yaml's name removed: the default, the file's stem
  CHECK(!YAML::Load(sc.text)["population"]["file"]);
}

// Found by fuzzing (tools/fuzz.sh, 2026-12-02): a path whose name is longer than the file system
// allows made std::filesystem throw filesystem_error, which is not bad input's located error.
TEST_CASE("a path too long to look up is a located error, not a crash", "[scenario][extends]") {
  const std::string too_long(300, 'a');
  SECTION("extends") {
    try {
      rxstress::load_scenario_text("extends: ../" + too_long + ".yaml\n", "fuzz.yaml");
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.where().file == "fuzz.yaml");
      CHECK(e.where().line == 1);
      CHECK(e.key_path() == "extends");
      CHECK_THAT(e.problem(), Contains("too long"));
    }
  }
  SECTION("the scenario file itself") {
    try {
      rxstress::load_scenario(too_long + ".yaml", {});
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.where().file == too_long + ".yaml");
      CHECK_THAT(e.problem(), Contains("too long"));
    }
  }
  SECTION("a population CSV") {
    try {
      rxstress::load_scenario(std::string(RXSTRESS_SOURCE_DIR) + "/tests/data/small-csv.yaml",
                              {"population.file=" + too_long + ".csv"});
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.key_path() == "population.file");
      CHECK_THAT(e.problem(), Contains("too long"));
    }
  }
}
