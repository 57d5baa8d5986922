// `extends: base.yaml`: a scenario file that starts from another and changes part of it. The base
// is read relative to the extending file; bases may extend further bases (a cycle is an error).
// Mappings merge key by key, the named lists (drivers, delegation) item by item by name
// (`remove: true` drops an inherited item), anything else is replaced.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <vector>

#include "scenario/provenance.hpp"

namespace rxstress {

inline constexpr const char* kExtendsKey = "extends";

// A scenario's YAML with its bases merged in.
struct ScenarioTree {
  YAML::Node root;
  // Which file set each node; null when the scenario is one file.
  std::shared_ptr<const Provenance> provenance;
  std::vector<std::string> bases;  // the files extended, nearest first
};

// Parses `text` (the contents of `file`) and merges in the files it extends.
ScenarioTree resolve_extends(const std::string& text, const std::string& file);

}  // namespace rxstress
