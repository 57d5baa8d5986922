// Whether two results files were simulated on the same paths (common random numbers), so that
// their differences can be paired path by path.
#pragma once

#include <string>

#include "io/h5.hpp"

namespace rxstress {

struct Pairing {
  bool paired = false;
  std::string reason;  // "same seed 1, 2000 paths, ..." or "different seed 1 vs 2, ..."
};
// Paired when both files have the same seed, paths, random stream version, practices (ids, in
// order) and driver names (which key the random streams).
Pairing pairing(const h5::File& a, const h5::File& b);

}  // namespace rxstress
