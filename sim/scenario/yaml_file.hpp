// A scenario file's text and its YAML tree, with every failure an InputError located in the file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace rxstress {

// The text of a scenario file (a regular, readable file).
std::string read_scenario_file(const std::string& path);

// The YAML of one scenario document; syntax errors, a second document and an empty file are
// InputErrors at file:line:column.
YAML::Node parse_yaml(const std::string& text, const std::string& file);

}  // namespace rxstress
