// The lists of a scenario whose items have names (drivers, delegation models): `--set` addresses
// their items by name, and a file that `extends` another merges them by name.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

namespace rxstress {

// The key that drops an inherited named item in a file that extends another (`remove: true`).
inline constexpr std::string_view kRemoveKey = "remove";

// Whether the top-level list `key` holds named items.
bool is_named_list(std::string_view key);

// The name of an item of a list: its `name`, or for a driver without one its `type` (the loader's
// default name). nullopt when the item has neither (or is not a mapping).
std::optional<std::string> item_name(const YAML::Node& item, std::string_view list_key);

}  // namespace rxstress
