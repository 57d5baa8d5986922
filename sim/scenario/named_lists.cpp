#include "scenario/named_lists.hpp"

namespace rxstress {

bool is_named_list(std::string_view key) { return key == "drivers" || key == "delegation"; }

std::optional<std::string> item_name(const YAML::Node& item, std::string_view list_key) {
  if (!item.IsMap()) return std::nullopt;
  for (const char* key : {"name", "type"}) {
    if (std::string_view(key) == "type" && list_key != "drivers") break;
    const YAML::Node v = item[key];
    if (v && v.IsScalar()) return v.Scalar();
  }
  return std::nullopt;
}

}  // namespace rxstress
