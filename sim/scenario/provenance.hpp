// Which file set each value of a scenario that spans files (`extends`): yaml-cpp keeps a node's
// line and column but not its file, so the loader looks the node up here.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "rxstress/error.hpp"

namespace rxstress {

class Provenance {
 public:
  // Every node of a parsed file (mapping keys included).
  void add_tree(const YAML::Node& root, const std::string& file);
  // A node made while merging files (a merged mapping or list), located at `where`.
  void add(const YAML::Node& node, SourceLocation where);
  // Where `node` was set; nullopt for a node of none of the files (an override's value).
  std::optional<SourceLocation> find(const YAML::Node& node) const;

 private:
  struct Entry {
    YAML::Node node;
    SourceLocation where;
  };
  // Bucketed by the node's offset in its file, so that a lookup compares a few nodes only.
  std::unordered_map<int, std::vector<Entry>> by_offset_;
};

}  // namespace rxstress
