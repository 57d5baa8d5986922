// The checkpoint of an MPI run (R > 1 ranks; io/checkpoint.hpp is one process's). The ranks write
// their blocks into OUT.checkpoint with collective writes, so after every writer call ("slot")
// all ranks have written the same number of calls: a consistent cut. At a checkpoint every rank
// flushes the file (collectively), then writes its own state -- the slots made, its blocks done,
// its attribution tree's open and emitted nodes -- to a small file beside it,
// OUT.checkpoint.rank-<r>-<slots % 2>, through a temporary name and a rename, with a checksum. Two
// generations are kept, so a kill between two ranks' renames still leaves a slot count that every
// rank has; a resumed run takes the largest such. Blocks written after it are written again, with
// the same numbers (they depend only on the path).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stats/ordered_sum.hpp"

namespace rxstress {

struct RankCheckpoint {
  std::int64_t slots = 0;        // writer calls every rank had made
  std::int64_t blocks_done = 0;  // blocks of this rank's share written
  std::vector<stats::OrderedSum::Node> open, emitted;
};

std::string rank_checkpoint_path(const std::string& checkpoint, int rank, int parity);
// Throws RunError when the file cannot be written.
void save_rank_checkpoint(const std::string& checkpoint, int rank, int ranks,
                          const RankCheckpoint& state);
// The state in generation `parity`, if that file is there, whole and of this rank and rank count.
std::optional<RankCheckpoint> load_rank_checkpoint(const std::string& checkpoint, int rank,
                                                   int ranks, int parity);
void remove_rank_checkpoints(const std::string& checkpoint, int ranks);

// Collective: the state of the largest slot count every rank has saved; throws RunError (on every
// rank) when there is none.
RankCheckpoint agree_rank_checkpoint(const std::string& checkpoint);

// Marks OUT.checkpoint, laid out by rank 0, as an MPI run's (the /checkpoint group with
// block_paths and mpi_ranks) so that check_resumable knows it.
void mark_mpi_checkpoint(const std::string& checkpoint, int ranks, int block_paths);

}  // namespace rxstress
