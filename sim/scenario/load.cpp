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

void read_drivers(ParamNode& top, Scenario& sc) {
  YAML::Node list = top.raw("drivers");
  const std::string base = "drivers";
  if (!list || !list.IsSequence() || list.size() == 0)
    top.fail(list ? "drivers" : "",
             list ? "not a non-empty list" : "missing required key 'drivers'",
             "a list of drivers, each with a 'type'");
  const Calendar cal = sc.calendar();
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto log = std::make_shared<ParamLog>();
    ParamNode item(list[i], sc.file, fmt::format("{}[{}]", base, i), log, top.state());
    const auto types = driver_types();
    if (!item.has("type")) item.fail("", "missing required key 'type'", "a driver type");
    const std::string type = item.text("type", "driver type");
    if (std::find(types.begin(), types.end(), type) == types.end()) {
      auto guess = did_you_mean(type, types);
      std::string known;
      for (const auto& t : types) known += (known.empty() ? "" : ", ") + t;
      item.fail(
          "type",
          "unknown driver type '" + type + "'" + (guess ? " (did you mean '" + *guess + "'?)" : ""),
          "one of " + known);
    }
    Driver::Header header{type, item.text("name", "driver name", type),
                          item.text("source", "source of the parameters", "")};
    if (!names.insert(header.name).second)
      item.fail("name", "duplicate driver name '" + header.name + "'",
                "a unique 'name' for each driver of the same type");
    DriverSetup setup{item, header, sc.population, cal};
    sc.drivers.push_back(make_driver(type, setup));
    sc.driver_params.push_back(log);
    sc.params->insert(sc.params->end(), log->begin(), log->end());
  }
}

// The top-level values before the sections.
void read_header(ParamNode& top, const std::string& file, Scenario& sc) {
  const auto version = top.integer("rxstress", 1, 1000, "", "scenario format version");
  if (version != kFormatVersion)
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

Scenario validate_tree(const ScenarioTree& tree, const std::string& text, const std::string& file,
                       bool overridden) {
  Scenario sc;
  sc.file = file;
  sc.params = std::make_shared<ParamLog>();
  auto state = std::make_shared<ReadingState>();
  state->provenance = tree.provenance;
  ParamNode top(tree.root, file, "", sc.params, state);
  read_header(top, file, sc);
  ParamNode pop = top.child("population");
  sc.population = load_population(pop);
  read_drivers(top, sc);
  sc.budget = read_budget(top, sc);
  sc.delegation = read_delegation(top, sc);
  sc.outputs = read_outputs(top);
  for (const auto& name : sc.outputs.driver_detail)
    if (std::none_of(sc.drivers.begin(), sc.drivers.end(),
                     [&](const auto& d) { return d->name() == name; }))
      throw InputError(top.location_of("outputs"), "outputs.driver_detail",
                       "'" + name + "' is not the name of a driver", "names from 'drivers'");
  top.finish();
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
