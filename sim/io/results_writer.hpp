// Writes a run to an HDF5 results file (format version 1, docs/architecture.md §5; the layout is
// documented field by field in sim/io/FORMAT.md). Blocks arrive in path order on one thread;
// statistics are computed at the end by a second pass over the file's own path outcomes.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/h5.hpp"
#include "io/rank_checkpoint.hpp"
#include "rxstress/engine.hpp"
#include "rxstress/stats.hpp"
#include "stats/ordered_sum.hpp"

namespace rxstress {

struct RunInfo {
  std::string command_line;
  std::string created;  // ISO 8601 UTC
  int block_paths = 32;
  h5::Storage storage = h5::Storage::disk;  // memory: `run --no-output`
  // `run --checkpoint`: record the completed blocks in the file (io/checkpoint.hpp) at most every
  // checkpoint_every seconds (0: after every block). `resume`: `path` is such a file, already
  // checked (check_resumable), to be continued.
  bool checkpoint = false, resume = false;
  double checkpoint_every = 60.0;
  // An MPI run (sim/hpc/ranks.hpp, R > 1): rank 0 lays the file out first with a writer of its
  // own (close_layout), then every rank opens it with this one through MPI-IO and writes its
  // blocks [first_block, end_block) with collective writes (pad: a write of nothing, so that a
  // rank with fewer blocks still takes part); finish shares the statistics pass among the ranks.
  bool parallel = false;
  std::int64_t first_block = 0, end_block = -1;  // -1: to the last block
};

// Holders per chunk of the [Y, K, H] datasets of a run of `paths` paths: 512, halved while a
// column strip of chunks (every path by one chunk's holders, what the statistics pass holds to
// find exact quantiles) would exceed kStripBytes, down to 8 (one vector). So the statistics pass's
// memory stays near 2 x 20 MB from 10,000 paths to 40,000 and beyond: flat in the paths.
// 24 MiB rather than 48 (bench/PROFILE.md, tenth and eleventh sessions): with chunks of 256
// holders at 10,000 paths (64 KiB) the England benchmark's writing took half the time in one hour
// on its virtual machine and the same in another, the statistics pass was shorter and the peak
// memory fell by about 40 MB. (The MPI interrupt test's hang that had them taken back was
// mpirun's own, at either width.)
inline constexpr std::uint64_t kStripBytes = std::uint64_t{24} << 20;
std::uint64_t holder_chunk(std::uint64_t paths);

// About how many bytes the statistics pass holds at once for `paths` paths when the largest level
// has `most_holders` holders and it runs on `threads` threads (for run's memory estimate).
double statistics_pass_bytes(double paths, double most_holders, int threads);

// The statistics pass over one [Y, K, H] (or [Y, K]) dataset: every holder's summary and
// convergence table, columns read from the file a batch at a time (sim/stats does the arithmetic).
struct LevelStats {
  std::vector<stats::HolderSummary> holders;    // [y * H + h]
  std::vector<stats::Convergence> convergence;  // [y * H + h]
  std::vector<double> extra_quantiles;          // [(y * H + h) * E + e] at extra_probs[e]
};

class StripSlabs;

class ResultsWriter : public BlockConsumer {
 public:
  ResultsWriter(const Model& model, const std::string& path, RunInfo info);
  void consume(const Block& block) override { write_block(&block); }
  // The collective writes of one block's worth of nothing (an MPI rank whose share is done).
  void pad() { write_block(nullptr); }
  // Closes the file as laid out, no block written (rank 0 of an MPI run, before the others open
  // it); throws on a failed write.
  void close_layout() { close_file(); }
  // Computes and writes the statistics, then closes the file; `before_close`, if given, reads the
  // complete file first (the only chance when it is held in memory).
  void finish(const std::function<void(const h5::File&)>& before_close = {});
  // The first path still to simulate: 0, or where a resumed checkpoint stopped.
  std::int64_t first_path() const;
  // Records the blocks completed so far in the file now (an interrupted checkpointed run).
  void save_checkpoint_now();
  // An MPI run's checkpoint (io/rank_checkpoint.hpp), after `slots` writer calls on every rank:
  // a collective flush, then this rank's state beside the file.
  void save_rank_state(std::int64_t slots);
  void restore_rank_state(const RankCheckpoint& state);

 private:
  void reopen();
  void open_datasets();
  void write_block(const Block* block);
  void close_file();
  void finish_parallel(const std::function<void(const h5::File&)>& before_close);
  std::vector<LevelStats> summarise_share() const;
  void gather_attribution();
  std::vector<LevelStats> gather_summaries(const std::vector<LevelStats>& mine) const;
  void write_header();
  void write_practices();
  void write_drivers();
  void create_models();
  void create_national();
  void create_trajectories();
  void start_attribution();
  void merge_attribution(const Block& block);
  void finish_attribution();
  std::vector<Block::AttributionSums> unflatten_attribution(std::span<const double> flat) const;
  void create_driver_detail();
  void allocate_budgets();
  void write_by_driver(const Block* block);
  // `shared`: each model's summaries, computed by the ranks (finish_parallel); empty: computed
  // here.
  void write_statistics(const std::vector<LevelStats>& shared = {});
  void write_es_attribution(h5::Group& stats, std::size_t level, StripSlabs& slabs);

  const Model& model_;
  std::string path_;
  RunInfo info_;
  h5::File file_;
  std::vector<std::optional<h5::Dataset>> gross_;         // per level
  std::vector<std::optional<h5::Dataset>> retained_;      // per model (none when no terms)
  std::vector<h5::Dataset> residual_, breaches_;          // per model
  std::vector<h5::Dataset> icb_carries_;                  // per model: what the ICB carries
  std::vector<h5::Dataset> national_;                     // per series
  std::vector<std::optional<h5::Dataset>> trajectories_;  // per level (none if large)
  // The attribution sums of every level, flattened (attribution_layout_ gives the shape), added
  // over the blocks by a fixed tree (stats/ordered_sum.hpp), so that the totals are the same bits
  // whatever the threads, ranks or resumes; attribution_ holds the totals once finished.
  std::vector<Block::AttributionSums> attribution_layout_, attribution_;
  std::optional<stats::OrderedSum> attribution_sum_;
  // Small levels (<= 1000 holders): each driver's contribution to gross, [Y, K, H, D], and the
  // budget allocated to each driver [y][holder][driver] so that the contributions sum to gross.
  std::vector<std::optional<h5::Dataset>> by_driver_;
  std::vector<std::vector<double>> driver_budget_;
  std::vector<h5::Dataset> detail_;  // per outputs.driver_detail driver: [Y, K, P]
  std::vector<double> scratch_;
  std::int64_t blocks_done_ = 0;  // blocks written, in path order (resumed ones included)
  std::chrono::steady_clock::time_point last_checkpoint_ = std::chrono::steady_clock::now();
};

// The statistics pass's two strip buffers, kept from one dataset to the next: fresh pages cost
// their first touch on every allocation (a virtual machine's dearest page fault).
class StripSlabs {
 public:
  StripSlabs();
  ~StripSlabs();
  StripSlabs(const StripSlabs&) = delete;
  StripSlabs& operator=(const StripSlabs&) = delete;
  // Buffer i (0 or 1) of at least `doubles`, contents undefined; reallocated only to grow.
  double* get(std::size_t i, std::size_t doubles);

 private:
  class Slab;
  std::array<std::unique_ptr<Slab>, 2> slabs_;
};

// Holders [first_holder, end_holder) only (an MPI rank's share); the others' entries stay empty.
LevelStats summarise_dataset(const h5::Dataset& outcomes, const std::vector<double>& budget,
                             const std::vector<double>& thresholds, StripSlabs& slabs,
                             std::span<const double> extra_probs = {}, hsize_t first_holder = 0,
                             hsize_t end_holder = hsize_t(-1));
// The same with buffers of its own.
LevelStats summarise_dataset(const h5::Dataset& outcomes, const std::vector<double>& budget,
                             const std::vector<double>& thresholds,
                             std::span<const double> extra_probs = {}, hsize_t first_holder = 0,
                             hsize_t end_holder = hsize_t(-1));

// Each driver's share of ES_95 of a level's gross variance, [Y, H, D], from its gross [Y, K, H] and
// its drivers' contributions [Y, K, H, D], reading about `bytes` or less at once.
std::vector<double> es_attribution(const h5::Dataset& gross, const h5::Dataset& by_driver,
                                   std::size_t bytes);
// The same with its three largest buffers in `slabs` (the statistics pass's, idle between levels).
std::vector<double> es_attribution(const h5::Dataset& gross, const h5::Dataset& by_driver,
                                   std::size_t bytes, StripSlabs& slabs);

// The ICB view (sim/io/icb_view.cpp): what the ICB carries under model m on each path of a block,
// [y][path]; and each holder's reserve at the scenario's cover levels, written to stats/reserve.
void icb_carried_block(const Model& model, const Block& block, std::size_t m,
                       std::vector<double>& out);
void write_reserves(h5::Group& stats, const Model& model, std::size_t m, const LevelStats& level);

}  // namespace rxstress
