// Shared helpers of the micro-benchmarks: the England benchmark scenario (scenarios/bench/
// england.yaml) loaded whole or cut down to some of its drivers and delegation models, with the
// population file given by absolute path (or a synthetic England-sized population if the file is
// missing, or if RXSTRESS_BENCH_SYNTHETIC is set).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "rxstress/model.hpp"
#include "rxstress/scenario.hpp"

namespace bench {

inline const std::string kSourceDir = RXSTRESS_SOURCE_DIR;

// The driver types of the benchmark, in the order of england.yaml.
inline const std::vector<std::string> kDriverTypes = {
    "baseline",      "concessions",   "category_m", "high_cost_patients",
    "new_medicines", "patent_expiry", "step_shock", "savings_plan"};

inline bool synthetic_population() {
  return std::getenv("RXSTRESS_BENCH_SYNTHETIC") != nullptr ||
         !std::filesystem::exists(kSourceDir + "/scenarios/data/england_practices.csv");
}

// england.yaml as a YAML tree, population made absolute (or synthetic), trajectories off (they
// concern only the first 100 paths of a run, and the kernels are timed on later paths).
inline YAML::Node bench_yaml() {
  YAML::Node root = YAML::LoadFile(kSourceDir + "/scenarios/bench/england.yaml");
  YAML::Node pop;
  if (!synthetic_population()) {
    pop["file"] = kSourceDir + "/scenarios/data/england_practices.csv";
  } else {
    YAML::Node syn;
    syn["practices"] = 6582;
    syn["list_size"]["median"] = 7998;
    syn["list_size"]["sigma_log"] = 0.52;
    syn["list_size"]["min"] = 1000;
    syn["spend_per_patient"]["mean"] = 160;
    syn["spend_per_patient"]["sd"] = 1;
    syn["generic_share"] = 0.22;
    syn["providers"] = 135;
    syn["neighbourhoods"] = 1372;
    syn["seed"] = 1;
    pop["synthetic"] = syn;
  }
  pop["source"] = "micro-benchmark";
  root["population"] = pop;
  root["outputs"]["trajectories"] = 0;
  return root;
}

// Keeps only the drivers whose type is in `types` (budget.funded cut to match) and, if
// `models` is not empty, only the delegation models with those names.
inline YAML::Node restrict(YAML::Node root, const std::set<std::string>& types,
                           const std::set<std::string>& models = {}) {
  YAML::Node drivers(YAML::NodeType::Sequence);
  std::set<std::string> kept;
  for (const auto& d : root["drivers"])
    if (types.count(d["type"].as<std::string>())) {
      drivers.push_back(d);
      kept.insert(d["type"].as<std::string>());
    }
  root["drivers"] = drivers;
  YAML::Node funded(YAML::NodeType::Sequence);
  for (const auto& f : root["budget"]["funded"])
    if (kept.count(f.as<std::string>())) funded.push_back(f);
  root["budget"]["funded"] = funded;
  if (!models.empty()) {
    YAML::Node delegation(YAML::NodeType::Sequence);
    for (const auto& m : root["delegation"])
      if (models.count(m["name"].as<std::string>())) delegation.push_back(m);
    root["delegation"] = delegation;
  }
  return root;
}

// A scenario and the model built on it (the model refers to the scenario: both live together).
struct Loaded {
  std::unique_ptr<rxstress::Scenario> scenario;
  std::unique_ptr<rxstress::Model> model;
};

inline Loaded load(const YAML::Node& root) {
  YAML::Emitter out;
  out << root;
  Loaded l;
  l.scenario = std::make_unique<rxstress::Scenario>(
      rxstress::load_scenario_text(std::string(out.c_str()) + "\n", "bench.yaml"));
  l.model = std::make_unique<rxstress::Model>(*l.scenario);
  return l;
}

// Loads once per name and keeps it for the whole benchmark run (Google Benchmark calls a
// benchmark function several times while it chooses the iteration count).
template <class Make>
const Loaded& cached(const std::string& name, Make make) {
  static std::map<std::string, Loaded> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, load(make())).first;
  return it->second;
}

}  // namespace bench
