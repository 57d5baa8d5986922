// The resolved parameters of a scenario, as `rxstress validate --explain` shows them and the
// results file stores them. Plain data: reading them needs no YAML.
#pragma once

#include <string>
#include <vector>

#include "rxstress/error.hpp"

namespace rxstress {

// One resolved parameter, as shown by `validate --explain` and stored in /drivers.
struct ResolvedParam {
  std::string key_path;
  std::string value;
  std::string unit;
  std::string meaning;
  bool defaulted = false;
  SourceLocation where;  // the file, line and column that set it (the file only for a default)
};
using ParamLog = std::vector<ResolvedParam>;

}  // namespace rxstress
