// The command line's `--set key.path=value` overrides, applied to the YAML tree before it is
// validated. A list item is addressed by index (`drivers[2]`, `drivers.2`) or by name
// (`drivers[concessions]`, `delegation[practice-shared]`).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "rxstress/error.hpp"

namespace rxstress {

// Applies one "key.path=value" to the tree. Returns the key path it set in the form messages
// print (list items by index: "drivers[1].dispersion"). An InputError located at "--set" when the
// assignment is malformed or does not fit the tree.
std::string apply_override(YAML::Node root, const std::string& assignment);

// An error about an overridden value is about the --set argument, not about the file: rethrows
// `e` located at "--set" when its key path is inside one of `set_paths` (what apply_override
// returned for each of `overrides`), else rethrows it unchanged.
[[noreturn]] void relocate(const InputError& e, const std::vector<std::string>& set_paths,
                           const std::vector<std::string>& overrides);

}  // namespace rxstress
