#include "scenario/provenance.hpp"

#include "scenario/param_node.hpp"

namespace rxstress {

void Provenance::add_tree(const YAML::Node& root, const std::string& file) {
  add(root, location_of(root, file));
  if (root.IsMap()) {
    for (const auto& item : root) {
      add(item.first, location_of(item.first, file));
      add_tree(item.second, file);
    }
  } else if (root.IsSequence()) {
    for (const auto& item : root) add_tree(item, file);
  }
}

void Provenance::add(const YAML::Node& node, SourceLocation where) {
  by_offset_[node.Mark().pos].push_back({node, std::move(where)});
}

std::optional<SourceLocation> Provenance::find(const YAML::Node& node) const {
  const auto bucket = by_offset_.find(node.Mark().pos);
  if (bucket == by_offset_.end()) return std::nullopt;
  // The latest entry first: a node added while merging stands for what it was made from.
  for (auto it = bucket->second.rbegin(); it != bucket->second.rend(); ++it)
    if (it->node.is(node)) return it->where;
  return std::nullopt;
}

}  // namespace rxstress
