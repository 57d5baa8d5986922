// The layout of a results file as sim/io/FORMAT.md documents it (format version 1), as data: each
// dataset's path, element type and shape in FORMAT.md's letters, so that `rxstress verify` checks
// a file against it (and a test checks it against FORMAT.md's tables).
#pragma once

#include <string>
#include <vector>

#include "io/h5.hpp"

namespace rxstress {

struct DatasetSpec {
  // A path, where {model}, {level}, {series} and {driver} stand for each delegation model (the
  // /models `order` attribute), trajectory level, national series and detail driver of the file.
  std::string path;
  std::string type;  // "float64", "int32", "string"
  // The shapes allowed, in FORMAT.md's letters (Y, K, H, P, D, T, X, S) or numbers; {} a scalar.
  std::vector<std::vector<std::string>> shapes;
  bool optional = false;
};

const std::vector<DatasetSpec>& documented_datasets();
const std::vector<std::string>& documented_root_attributes();

struct LayoutCheck {
  std::size_t datasets = 0;               // documented datasets found and checked
  std::vector<std::string> problems;      // one line each: missing, wrong type, wrong shape
  std::vector<std::string> undocumented;  // datasets of the file FORMAT.md does not list
};

// Checks a results file (format and version already checked) against the documented layout.
LayoutCheck check_layout(const h5::File& file);

}  // namespace rxstress
