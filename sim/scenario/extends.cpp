#include "scenario/extends.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>

#include "scenario/input_path.hpp"
#include "scenario/named_lists.hpp"
#include "scenario/param_node.hpp"
#include "scenario/yaml_file.hpp"

namespace rxstress {
namespace {

namespace fs = std::filesystem;

// Keys of a mapping that are alternatives to each other: a file that gives one of a group drops
// the base's keys of the other groups (a population read from a CSV instead of a synthetic one,
// a capitation budget instead of a column of budgets).
struct Alternatives {
  std::string_view key_path;
  std::vector<std::vector<std::string_view>> groups;
};
const Alternatives kAlternatives[] = {
    {"population", {{"file", "delimiter"}, {"practices", "columns"}, {"synthetic"}}},
    {"budget", {{"column"}, {"total", "weights"}}}};

// The base's keys that `over` replaces by giving an alternative to them.
std::set<std::string> replaced_alternatives(const YAML::Node& over, const std::string& key_path) {
  std::set<std::string> dropped;
  for (const auto& alternatives : kAlternatives) {
    if (alternatives.key_path != key_path) continue;
    for (const auto& group : alternatives.groups) {
      const bool given = std::any_of(group.begin(), group.end(), [&](std::string_view k) {
        return bool(over[std::string(k)]);
      });
      if (!given) continue;
      for (const auto& other : alternatives.groups)
        if (&other != &group)
          for (auto k : other) dropped.insert(std::string(k));
    }
  }
  return dropped;
}

// Merges the files of one chain; `provenance` records which file set each node.
class Merger {
 public:
  explicit Merger(Provenance& provenance) : provenance_(provenance) {}

  // `over` (from `file`) merged over `base`; `key_path` names the value in messages.
  YAML::Node merge(const YAML::Node& base, const YAML::Node& over, const std::string& file,
                   const std::string& key_path) {
    if (base.IsMap() && over.IsMap()) return merge_maps(base, over, file, key_path);
    if (base.IsSequence() && over.IsSequence() && is_named_list(key_path))
      return merge_named(base, over, file, key_path);
    return over;
  }

 private:
  YAML::Node merge_maps(const YAML::Node& base, const YAML::Node& over, const std::string& file,
                        const std::string& key_path) {
    // Pairs rather than lookups by key, so that a key given twice stays twice (and the loader
    // reports it) instead of one of the two being dropped here.
    std::vector<std::pair<YAML::Node, YAML::Node>> over_pairs;
    std::map<std::string, std::size_t> first_in_over;
    for (const auto& kv : over) {
      const std::string key = kv.first.Scalar();
      if (key_path.empty() && key == kExtendsKey) continue;
      first_in_over.emplace(key, over_pairs.size());
      over_pairs.emplace_back(kv.first, kv.second);
    }
    YAML::Node out(YAML::NodeType::Map);
    std::vector<bool> used(over_pairs.size(), false);
    const std::set<std::string> replaced = replaced_alternatives(over, key_path);
    for (const auto& kv : base) {
      const std::string key = kv.first.Scalar();
      const auto it = first_in_over.find(key);
      if (it == first_in_over.end() || used[it->second]) {
        if (!replaced.count(key)) out[kv.first] = kv.second;
        continue;
      }
      used[it->second] = true;
      const auto& [over_key, over_value] = over_pairs[it->second];
      if (over_value.IsNull()) continue;  // `key: null` removes an inherited key
      out[over_key] =
          merge(kv.second, over_value, file, key_path.empty() ? key : key_path + "." + key);
    }
    for (std::size_t i = 0; i < over_pairs.size(); ++i)
      if (!used[i]) out[over_pairs[i].first] = over_pairs[i].second;
    provenance_.add(out, location_of(over, file));
    return out;
  }

  // Items of `over` replace or change the base's item of the same name, drop it (`remove:
  // true`) or, when complete and new, are added at the end.
  YAML::Node merge_named(const YAML::Node& base, const YAML::Node& over, const std::string& file,
                         const std::string& list_key) {
    std::vector<YAML::Node> items(base.begin(), base.end());
    for (const auto& item : over) {
      const auto name = item_name(item, list_key);
      auto same = std::find_if(items.begin(), items.end(), [&](const YAML::Node& b) {
        return name && item_name(b, list_key) == name;
      });
      const std::string path = fmt::format("{}[{}]", list_key, name.value_or("?"));
      if (removes(item, file, path)) {
        if (same == items.end()) unknown_item(item, items, file, list_key, path);
        items.erase(same);
      } else if (same != items.end()) {
        *same = merge(*same, item, file, path);
      } else if (item.IsMap() && item[list_key == "drivers" ? "type" : "holder"]) {
        items.push_back(item);
      } else {
        unknown_item(item, items, file, list_key, path);
      }
    }
    YAML::Node out(YAML::NodeType::Sequence);
    for (const auto& item : items) out.push_back(item);
    provenance_.add(out, location_of(over, file));
    return out;
  }

  // Whether an item says `remove: true` (anything else under `remove` is an error).
  static bool removes(const YAML::Node& item, const std::string& file, const std::string& path) {
    if (!item.IsMap() || !item[std::string(kRemoveKey)]) return false;
    const YAML::Node flag = item[std::string(kRemoveKey)];
    if (!flag.IsScalar() || flag.Scalar() != "true")
      throw InputError(location_of(flag, file), path + "." + std::string(kRemoveKey),
                       "found '" + (flag.IsScalar() ? flag.Scalar() : "a list or mapping") + "'",
                       "remove: true (to drop the inherited item of this name)");
    return true;
  }

  // An item changing or removing an inherited item that does not exist.
  [[noreturn]] static void unknown_item(const YAML::Node& item,
                                        const std::vector<YAML::Node>& items,
                                        const std::string& file, const std::string& list_key,
                                        const std::string& path) {
    std::vector<std::string> names;
    for (const auto& b : items)
      if (auto n = item_name(b, list_key)) names.push_back(*n);
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    const auto name = item_name(item, list_key);
    const YAML::Node at = item.IsMap() && item["name"] ? item["name"] : item;
    const auto guess = name ? did_you_mean(*name, names) : std::nullopt;
    const std::string what = list_key == "drivers" ? "driver" : "delegation model";
    throw InputError(
        location_of(at, file), path,
        (name ? fmt::format("no {} named '{}' to change in the base scenario", what, *name)
              : fmt::format("an item without a name changes no inherited {}", what)) +
            (guess ? " (did you mean '" + *guess + "'?)" : ""),
        fmt::format("the name of an inherited {} ({}), or a new one with its '{}'", what, known,
                    list_key == "drivers" ? "type" : "holder"));
  }

  Provenance& provenance_;
};

// The base file named by `extends` in `root` (of `file`), checked: a path to an existing file
// that is not already in the chain.
std::string base_of(const YAML::Node& root, const std::string& file,
                    const std::vector<std::string>& chain) {
  const YAML::Node ext = root[kExtendsKey];
  const SourceLocation at = location_of(ext, file);
  if (!ext.IsScalar() || ext.Scalar().empty())
    throw InputError(at, kExtendsKey,
                     "found " + std::string(ext.IsScalar() ? "nothing" : "no path"),
                     "the path of the scenario file this one extends, relative to this file");
  const fs::path base = (fs::path(file).parent_path() / ext.Scalar()).lexically_normal();
  const PathStatus status = path_status(base);
  if (status.kind == PathKind::unusable)
    throw InputError(at, kExtendsKey, "the path '" + base.string() + "': " + status.problem,
                     "the path of the scenario file this one extends, relative to this file");
  if (status.kind == PathKind::missing)
    throw InputError(at, kExtendsKey, "the file '" + base.string() + "' does not exist",
                     "the path of the scenario file this one extends, relative to this file");
  std::error_code ec;
  const std::string id = fs::weakly_canonical(base, ec).string();
  if (std::find(chain.begin(), chain.end(), id) != chain.end())
    throw InputError(at, kExtendsKey,
                     "'" + base.string() + "' is already in the chain of bases (a cycle)",
                     "bases that do not extend this file again");
  return base.string();
}

// `root` (parsed from `file`) with its chain of bases merged in.
YAML::Node with_bases(const YAML::Node& root, const std::string& file,
                      std::vector<std::string> chain, Provenance& provenance,
                      std::vector<std::string>& bases) {
  if (!root.IsMap() || !root[kExtendsKey]) return root;
  std::error_code ec;
  chain.push_back(fs::weakly_canonical(file, ec).string());
  const std::string base_file = base_of(root, file, chain);
  bases.push_back(base_file);
  const YAML::Node parsed = parse_yaml(read_scenario_file(base_file), base_file);
  provenance.add_tree(parsed, base_file);
  const YAML::Node base = with_bases(parsed, base_file, chain, provenance, bases);
  if (!base.IsMap())
    throw InputError(location_of(base, base_file), "", "the base scenario is not a mapping",
                     "a YAML mapping of scenario keys");
  return Merger(provenance).merge(base, root, file, "");
}

}  // namespace

ScenarioTree resolve_extends(const std::string& text, const std::string& file) {
  ScenarioTree tree;
  tree.root = parse_yaml(text, file);
  if (!tree.root.IsMap() || !tree.root[kExtendsKey]) return tree;
  auto provenance = std::make_shared<Provenance>();
  provenance->add_tree(tree.root, file);
  tree.root = with_bases(tree.root, file, {}, *provenance, tree.bases);
  tree.provenance = provenance;
  return tree;
}

}  // namespace rxstress
