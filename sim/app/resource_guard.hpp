// Before `rxstress run` creates anything: how big the results file and the process will get, so
// that a scenario with a million paths for every practice is refused instead of filling a disk.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rxstress/model.hpp"

namespace rxstress {

struct ResourceEstimate {
  double output_bytes = 0.0;  // results file, uncompressed (deflate only makes it smaller)
  double memory_bytes = 0.0;  // peak resident memory of the run
};

// A pure function of the model and the resolved worker thread count (>= 1).
ResourceEstimate estimate_resources(const Model& model, int threads);

// "500M", "20G", "1.5T", "4096" (bytes; K/M/G/T are powers of 1024, an optional trailing B or
// iB is allowed). Throws InputError naming `option` when the text is not a size.
std::uint64_t parse_size(std::string_view text, const std::string& option);

// Why the results file would not fit where it goes, with both figures, or empty when it fits or
// the system cannot say. On disk (`directory` given): the output against the space an unprivileged
// user may still fill on that file system. In memory (`directory` empty, `run --no-output`): the
// output and the run's own memory against the memory available.
std::string lack_of_room(const ResourceEstimate& estimate, const std::string& directory);

// Bytes as GB (10^9) with enough digits to be useful for small runs too.
std::string format_gb(double bytes);

}  // namespace rxstress
