// Paths recomputed from a results file's own scenario and seed and compared bit for bit with what
// the file stores (`rxstress replay` for one path, `rxstress verify` for a sample).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "io/h5.hpp"
#include "rxstress/engine.hpp"
#include "rxstress/scenario.hpp"

namespace rxstress {

struct PathMismatch {
  std::string where;  // "/models/icb-held/gross[0, 17, 0] (ICB)"
  double stored, recomputed;
};

struct PathCheck {
  std::size_t compared = 0, differing = 0;
  std::vector<PathMismatch> first;  // the first few
};

// Throws InputError unless the file's paths were drawn with this rxstress's random stream scheme
// (the `stream_version` attribute; files without it are scheme 1): only then can they be
// recomputed, and a file of another scheme is refused rather than reported as mismatches.
void require_stream_version(const h5::File& file, const std::string& results);

// The scenario the file was written from (its /scenario text), with a relative population CSV
// resolved from where the scenario file was when the run read it.
Scenario scenario_of(const h5::File& file, const std::string& results);

// Compares path k as stored for each of `models` (indices into the scenario's delegation) with
// `block`, the same path recomputed alone: gross of each level once, outcome, ICB residual.
PathCheck check_path(const h5::File& file, const Model& model, const Block& block,
                     const std::vector<std::size_t>& models, std::int64_t k);

// "path k: recomputed = stored for N values" on `out`, or the mismatches on `err`.
void report_check(const PathCheck& check, std::int64_t k, std::ostream& out, std::ostream& err);

}  // namespace rxstress
