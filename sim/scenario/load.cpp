// Loading a scenario: YAML text -> bases merged (extends) -> overrides -> validated Scenario.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "rxstress/scenario.hpp"
#include "scenario/extends.hpp"
#include "scenario/overrides.hpp"
#include "scenario/sections.hpp"
#include "scenario/yaml_file.hpp"

namespace rxstress {
namespace {

constexpr int kFormatVersion = 1;

YearMonth parse_start(ParamNode& top) {
  const std::string text = top.text("start", "first month, YYYY-MM", "2026-04");
  int year = 0, month = 0;
  char dash = 0;
  std::istringstream in(text);
  if (!(in >> year >> dash >> month) || dash != '-' || month < 1 || month > 12 || year < 1900 ||
      year > 2200 || !in.eof())
    top.fail("start", "'" + text + "' is not a month", "YYYY-MM, e.g. 2026-04");
  return {year, month};
}

// One driver: its header (type, name, source), then its own parameters through its factory.
void read_driver(ParamNode& item, Scenario& sc, std::set<std::string>& names) {
  if (!item.has("type")) item.fail("", "missing required key 'type'", "a driver type");
  const std::string type =
      item.choice("type", driver_types(), "driver type", std::nullopt, "driver type");
  Driver::Header header{type, item.text("name", "driver name", type),
                        item.text("source", "source of the parameters", "")};
  // A probe reads the same driver many times over.
  if (!item.probing() && !names.insert(header.name).second)
    item.fail("name", "duplicate driver name '" + header.name + "'",
              "a unique 'name' for each driver of the same type");
  const Calendar cal = sc.calendar();
  DriverSetup setup{item, header, sc.population, cal};
  sc.drivers.push_back(make_driver(type, setup));
  sc.driver_params.push_back(item.log());
  sc.params->insert(sc.params->end(), item.log()->begin(), item.log()->end());
}

void read_drivers(ParamNode& top, Scenario& sc) {
  std::set<std::string> names;
  top.each_item("drivers", {"spend drivers", "a list of drivers, each with a 'type'", true, true},
                [&](ParamNode& item, std::size_t) { read_driver(item, sc, names); });
}

// The top-level values before the sections.
void read_header(ParamNode& top, const std::string& file, Scenario& sc) {
  const auto version = top.integer("rxstress", 1, 1000, "", "scenario format version");
  // (A probe samples the largest version the reader takes: not a version to refuse.)
  if (version != kFormatVersion && !top.probing())
    top.fail("rxstress", fmt::format("unsupported scenario format version {}", version),
             fmt::format("rxstress: {}", kFormatVersion));
  sc.name = top.text("name", "scenario name", std::filesystem::path(file).stem().string());
  sc.description = top.text("description", "what the scenario represents", "");
  sc.start = parse_start(top);
  sc.horizon_months =
      static_cast<int>(top.integer("horizon_months", 1, 600, "months", "months simulated"));
  sc.paths = top.integer("paths", 1, 100'000'000, "paths", "number of simulated paths");
  sc.seed = static_cast<std::uint64_t>(
      top.integer("seed", 0, INT64_MAX, "", "master seed of the random streams"));
}

// The text the results file records: the file's own when it is the whole scenario (it keeps the
// comments and sources); otherwise the resolved tree (bases merged, overrides applied) with the
// practice table's path relative to `file`, so that the text alone reproduces the run.
std::string resolved_text(const ScenarioTree& tree, const std::string& text,
                          const std::string& file, const Scenario& sc, bool overridden) {
  if (!overridden && !tree.provenance) return text;
  YAML::Node root = YAML::Clone(tree.root);
  if (!sc.population.file.empty()) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::absolute(file).parent_path().lexically_normal();
    root["population"]["file"] =
        fs::absolute(sc.population.file).lexically_normal().lexically_relative(dir).string();
  }
  YAML::Emitter out;
  out << root;
  std::string header;
  if (!tree.bases.empty()) {
    header = "# " + file + " with the scenarios it extends merged in:";
    for (const auto& base : tree.bases) header += " " + base;
    header += "\n";
  }
  return header + out.c_str() + "\n";
}

}  // namespace

void read_scenario(ParamNode& top, Scenario& sc) {
  read_header(top, sc.file, sc);
  top.section("population", true,
              [&](ParamNode& block) { sc.population = load_population(block); });
  read_drivers(top, sc);
  top.section("budget", false, [&](ParamNode& block) { sc.budget = read_budget(block, sc); });
  sc.delegation = read_delegation(top, sc);
  top.section("outputs", false, [&](ParamNode& block) { sc.outputs = read_outputs(block); });
  for (const auto& name : sc.outputs.driver_detail)
    if (std::none_of(sc.drivers.begin(), sc.drivers.end(),
                     [&](const auto& d) { return d->name() == name; }))
      throw InputError(top.location_of("outputs"), "outputs.driver_detail",
                       "'" + name + "' is not the name of a driver", "names from 'drivers'");
  top.finish();
}

namespace {

Scenario validate_tree(const ScenarioTree& tree, const std::string& text, const std::string& file,
                       bool overridden) {
  Scenario sc;
  sc.file = file;
  sc.params = std::make_shared<ParamLog>();
  auto state = std::make_shared<ReadingState>();
  state->provenance = tree.provenance;
  ParamNode top(tree.root, file, "", sc.params, state);
  read_scenario(top, sc);
  sc.text = resolved_text(tree, text, file, sc, overridden);
  sc.warnings = state->warnings;
  return sc;
}

}  // namespace

Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const std::vector<std::string>& overrides) {
  ScenarioTree tree = resolve_extends(text, file);
  std::vector<std::string> set_paths;
  for (const auto& o : overrides) set_paths.push_back(apply_override(tree.root, o));
  try {
    return validate_tree(tree, text, file, !overrides.empty());
  } catch (const InputError& e) {
    if (overrides.empty()) throw;
    relocate(e, set_paths, overrides);
  }
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  return load_scenario_text(read_scenario_file(path), path, overrides);
}

}  // namespace rxstress
