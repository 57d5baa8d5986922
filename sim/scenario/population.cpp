#include "rxstress/population.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <unordered_map>

#include "rxstress/random.hpp"
#include "rxstress/systemic.hpp"
#include "scenario/input_path.hpp"
#include "scenario/param_node.hpp"
#include "scenario/plausibility.hpp"

namespace rxstress {
namespace {

// Checks every practice, whichever way the table was given.
void check_practices(const Population& pop, const SourceLocation& where, const std::string& path) {
  if (pop.size() == 0)
    throw InputError(where, path, "the population is empty", "at least one practice");
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < pop.size(); ++i) {
    auto [it, fresh] = seen.emplace(pop.id[i], i);
    if (fresh) continue;
    // At the repeated id itself when its place is known (inline list or CSV cell).
    const bool located = i < pop.id_location.size();
    throw InputError(
        located ? pop.id_location[i] : where,
        located && pop.id_location[i].file != where.file ? std::string("id")
                                                         : fmt::format("{}[{}].id", path, i),
        fmt::format("duplicate practice id '{}' (also practice {})", pop.id[i], it->second),
        "unique practice ids");
  }
}

// A practice's list size, or a median or smallest one: (0, kMaxListSize] patients.
Range list_sizes() { return {0.0, kMaxListSize, true, false}; }

const std::vector<std::string> kStandardKeys{
    "id", "name", "list_size", "annual_spend", "generic_share", "neighbourhood", "provider"};

// The extra numeric keys that every inline practice carries (`population.columns`).
std::vector<std::string> extra_keys(ParamNode& block) {
  std::vector<std::string> keys = block.texts(
      "columns", "extra numeric keys of every inline practice", std::vector<std::string>{});
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const bool standard =
        std::find(kStandardKeys.begin(), kStandardKeys.end(), keys[k]) != kStandardKeys.end();
    const bool repeated = std::find(keys.begin(), keys.begin() + k, keys[k]) != keys.begin() + k;
    if (keys[k].empty() || standard || repeated)
      block.fail("columns",
                 fmt::format("'{}' {}", keys[k],
                             standard ? "is a standard practice key" : "is given twice or empty"),
                 "new, distinct column names (e.g. budget_2026)");
  }
  return keys;
}

// Reads practice i's extra keys into pop.columns.
void read_extra(ParamNode& p, const std::vector<std::string>& keys, Population& pop) {
  const std::vector<double> values =
      p.named_numbers(keys, Range::any(), "", "a column declared in population.columns");
  for (std::size_t k = 0; k < keys.size(); ++k) {
    ExtraColumn& column = pop.columns[keys[k]];
    column.values.push_back(values[k]);
    column.where.push_back(p.location_of(keys[k]));
    column.key_path.push_back(p.path_of(keys[k]));
  }
}

// One inline practice.
void read_practice(ParamNode& p, const std::vector<std::string>& keys, Population& pop) {
  const std::string id = p.text("id", "practice code");
  const std::string name = p.text("name", "practice name", id);
  const double n = p.number("list_size", list_sizes(), "patients", "registered patients");
  const double b = p.number("annual_spend", Range::non_negative(), "GBP/year", "prescribing spend");
  const double g = p.number("generic_share", Range::fraction(), "fraction", "generic share");
  const std::string nb = p.text("neighbourhood", "neighbourhood (PCN)");
  const std::string pr = p.text("provider", "provider");
  read_extra(p, keys, pop);
  p.finish();
  pop.add(id, name, n, b, g, nb, pr);
  pop.id_location.push_back(p.location_of("id"));
  pop.spend_location.push_back(p.location_of("annual_spend"));
  pop.spend_key.push_back(p.path_of("annual_spend"));
}

// Practice fields are data, not parameters to explain: each item's own log is dropped.
Population inline_practices(ParamNode& block) {
  Population pop;
  const std::vector<std::string> keys = extra_keys(block);
  block.each_item("practices", {"the practices", "a list of practices", true, false},
                  [&](ParamNode& p, std::size_t) { read_practice(p, keys, pop); });
  return pop;
}

// What a probe (scenario/probe.hpp) reads on with: one practice, and an extra column for a
// budget to name (the probe's text values are "probe").
Population probe_population() {
  Population pop;
  pop.add("probe", "probe", 1000.0, 160000.0, 0.22, "N", "P");
  pop.columns["probe"] = {{1.0}, {SourceLocation{}}, {"probe"}, std::nullopt, ""};
  return pop;
}

// population.file: the CSV, relative to the file that names it.
Population csv_practices(ParamNode& block) {
  const std::string file = block.text("file", "CSV file of practices");
  const std::string sep =
      block.choice("delimiter", {"auto", "comma", "semicolon", "tab"},
                   "what separates the CSV file's fields (auto: detected from the header)", "auto");
  if (block.probing()) return probe_population();
  std::filesystem::path p(file);
  if (p.is_relative()) p = std::filesystem::path(block.location_of("file").file).parent_path() / p;
  const PathStatus status = path_status(p);
  if (status.kind == PathKind::unusable)
    block.fail("file", "'" + p.string() + "': " + status.problem, "a CSV file of practices");
  if (status.kind == PathKind::directory)
    block.fail("file", "'" + p.string() + "' is a directory", "a CSV file of practices");
  if (status.kind == PathKind::other)
    block.fail("file", "'" + p.string() + "' is not a regular file", "a CSV file of practices");
  if (status.kind == PathKind::missing)
    block.fail("file", "the file '" + p.string() + "' does not exist",
               "a CSV file (relative to the scenario file)");
  Population pop = read_population_csv(p.string(), sep == "comma"       ? CsvDelimiter::comma
                                                   : sep == "semicolon" ? CsvDelimiter::semicolon
                                                   : sep == "tab"       ? CsvDelimiter::tab
                                                                        : CsvDelimiter::automatic);
  pop.file = p.lexically_normal().string();
  return pop;
}

// A population with England-like practice sizes, for examples and tests. Practices are dealt into
// neighbourhoods in order and neighbourhoods into providers, so every level nests in the next.
Population synthetic_practices(ParamNode block) {
  const auto count = block.integer("practices", 1, 100000, "practices", "number of practices");
  ParamNode size = block.child("list_size");
  const double median = size.number("median", list_sizes(), "patients", "median list size");
  const double sigma =
      size.number("sigma_log", Range::non_negative(), "log-scale", "sd of log list size");
  const double smallest = size.number("min", list_sizes(), "patients", "smallest list", 1000.0);
  size.finish();
  ParamNode spend = block.child("spend_per_patient");
  const double spend_mean = spend.number("mean", Range::positive(), "GBP/patient/year", "mean");
  const double spend_sd = spend.number("sd", Range::non_negative(), "GBP/patient/year", "sd", 0.0);
  if (spend_mean > kMaxSpendPerPatient)
    spend.warn("mean",
               fmt::format("GBP {:g} per patient a year (over GBP {:g}): pence for pounds?",
                           spend_mean, kMaxSpendPerPatient),
               "GBP per patient a year (England: about GBP 160)");
  spend.finish();
  const double generic = block.number("generic_share", Range::fraction(), "fraction",
                                      "share of spend on generics", 0.22);
  const auto providers = block.integer("providers", 1, count, "providers", "number of providers");
  const auto neighbourhoods = block.integer("neighbourhoods", providers, count, "neighbourhoods",
                                            "number of neighbourhoods (PCNs)");
  const auto seed = block.integer("seed", 0, INT64_MAX, "", "seed of the generator", 1);
  block.finish();
  if (block.probing()) return {};  // a probe reads on with probe_population()

  Population pop;
  for (std::int64_t i = 0; i < count; ++i) {
    Stream s(static_cast<std::uint64_t>(seed), name_hash("population"), 0,
             static_cast<std::uint64_t>(i));
    const double n = std::max(smallest, std::round(median * portable::exp(sigma * draw_normal(s))));
    if (!(n <= kMaxListSize))
      size.fail("sigma_log",
                fmt::format("practice {} draws {:g} patients, over {:g}", i + 1, n, kMaxListSize),
                "a median and sigma_log that give smaller lists (the example scenario: median "
                "7300, sigma_log 0.52)");
    const double per_patient = std::max(0.0, spend_mean + spend_sd * draw_normal(s));
    const std::int64_t nb = i * neighbourhoods / count;
    const std::int64_t pr = nb * providers / neighbourhoods;
    pop.add(fmt::format("P{:05d}", i + 1), fmt::format("Practice {}", i + 1), n, n * per_patient,
            generic, fmt::format("N{:03d}", nb + 1), fmt::format("PROV{:02d}", pr + 1));
  }
  return pop;
}

}  // namespace

const std::vector<double>* Population::numeric_column(std::string_view column) const {
  if (column == "list_size") return &list_size;
  if (column == "annual_spend") return &annual_spend;
  if (column == "generic_share") return &generic_share;
  auto it = columns.find(column);
  return it == columns.end() ? nullptr : &it->second.values;
}

std::vector<std::string> Population::numeric_column_names() const {
  std::vector<std::string> names{"list_size", "annual_spend", "generic_share"};
  for (const auto& [name, column] : columns) names.push_back(name);
  return names;
}

double Population::total_list_size() const {
  return std::accumulate(list_size.begin(), list_size.end(), 0.0);
}

void Population::add(std::string id_, std::string name_, double list, double spend, double generic,
                     std::string neighbourhood_, std::string provider_) {
  id.push_back(std::move(id_));
  name.push_back(std::move(name_));
  list_size.push_back(list);
  annual_spend.push_back(spend);
  generic_share.push_back(generic);
  neighbourhood.push_back(std::move(neighbourhood_));
  provider.push_back(std::move(provider_));
}

Population load_population(ParamNode& block) {
  const int ways = block.has("file") + block.has("practices") + block.has("synthetic");
  if (ways != 1)
    block.fail("", ways == 0 ? "no practices given" : "more than one source of practices given",
               "exactly one of 'file', 'practices' or 'synthetic'");
  Population pop;
  std::string list_path = block.key_path();
  if (block.has("file")) {
    pop = csv_practices(block);
  } else if (block.has("practices")) {
    pop = inline_practices(block);
    list_path = block.path_of("practices");
  } else {
    pop = synthetic_practices(block.child("synthetic"));
  }
  if (!block.has("practices") && block.has("columns"))
    block.fail("columns", "'columns' declares extra keys of inline practices only",
               "no 'columns' here (a CSV file's extra columns are read from its header)");
  pop.source = block.text("source", "where the practice data come from", "");
  block.finish();
  if (block.probing()) return probe_population();  // a probe's practices are all "probe"
  check_practices(pop, block.location(), list_path);
  warn_spend_per_patient(block, pop);
  return pop;
}

}  // namespace rxstress
