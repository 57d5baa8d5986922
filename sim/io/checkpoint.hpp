// A resumable results file (`run --checkpoint`, `run --resume`; issue 14). The partial file keeps
// its completed blocks valid: after a block is written, the group /checkpoint records how many
// blocks are complete (blocks are written in path order, so it is a prefix count) and the
// attribution sums merged over them, and the file is flushed. A resumed run continues from the
// first incomplete block with those sums, so its file equals an uninterrupted run's bit for bit.
// The group is removed when the file is complete.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/h5.hpp"
#include "rxstress/engine.hpp"
#include "stats/ordered_sum.hpp"

namespace rxstress {

struct Checkpoint {
  std::int64_t completed_blocks = 0;
  int block_paths = 32;
  // The attribution sums' partly added nodes over the completed blocks (stats/ordered_sum.hpp):
  // at most one per level 1..attribution_levels, each of attribution_width values.
  int attribution_levels = 1;
  std::size_t attribution_width = 0;
  std::vector<stats::OrderedSum::Node> attribution;
};

// The name a checkpointed run writes `output` under until it is complete (fixed, unlike
// OUT.partial-PID, so that a later `--resume` finds it).
std::string checkpoint_path(const std::string& output);

// Writes (the first time) or overwrites /checkpoint, then flushes the file.
void save_checkpoint(h5::File& file, const Checkpoint& checkpoint);
Checkpoint load_checkpoint(const h5::Group& file);

// Throws InputError (exit 2) naming the file and what differs when the file at `path` is not a
// checkpoint that a run of this model (scenario text, seed, paths, stream version) can resume.
void check_resumable(const std::string& path, const Model& model, int block_paths);

}  // namespace rxstress
