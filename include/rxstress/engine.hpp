// The engine (DESIGN §4): simulates fixed-size blocks of paths in parallel and hands them, in path
// order, to one consumer on one thread at a time. Every number in a block depends only on the
// scenario, the seed and the path index, so results are identical for any thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "rxstress/model.hpp"

namespace rxstress {

struct Block {
  // Sums over the block's paths for the attribution of each holder's gross variance V among the
  // drivers (Euler shares Cov(x_d, V) / Var V), centred on the exact expectations (HolderMap) so
  // that they keep their digits. Computed in the parallel stage; merged in block order.
  struct AttributionSums {
    std::vector<double> v, vv;  // [y][holder]: sum of (V - E V) and of its square
    std::vector<double> x, xv;  // [y][holder][driver]: sum of (x_d - E x_d), and times (V - E V)
  };
  struct Level {
    std::vector<double> gross;  // [y][path][holder]: spend - budget, GBP
    // [y][path][holder][driver]: driver spend, GBP; kept for levels of at most
    // kMaxAttributedHolders holders, or for all with BlockDetail::all (empty otherwise).
    std::vector<double> by_driver;
    std::vector<double> monthly;  // [trajectory path][t][holder]: spend, GBP (small levels only)
    AttributionSums attribution;
  };
  struct Outcome {
    std::vector<double> retained;        // [y][path][holder]; empty when the model has no terms
    std::vector<double> residual;        // [y][path]: ICB residual
    std::vector<std::int32_t> breaches;  // [y][path][threshold]: holders above threshold
  };
  std::int64_t first = 0;
  int count = 0;
  int trajectory_count = 0;  // the block's first paths that are trajectory paths
  std::vector<Level> levels;
  std::vector<Outcome> models;
  std::vector<double> national;             // [path][national width]
  std::vector<std::vector<double>> detail;  // per detail driver: [y][path][practice], GBP

  // The outcome a model's holders keep (gross when the model has no terms).
  const std::vector<double>& outcome(const Model& model, std::size_t m) const {
    return models[m].retained.empty() ? levels[model.level_of_model(m)].gross : models[m].retained;
  }
};

// Which levels keep each driver's spend per path (Block::Level::by_driver): those small enough to
// be written to the file, or every level (tests, replay's breakdown).
enum class BlockDetail { written, all };

// Simulates paths [first, first + count) into `out` (resized as needed).
void simulate_block(const Model& model, std::int64_t first, int count, Block& out,
                    BlockDetail detail = BlockDetail::written);

class BlockConsumer {
 public:
  virtual ~BlockConsumer() = default;
  virtual void consume(const Block& block) = 0;
};

// The number of worker threads a run uses: `requested` when positive, else every core this process
// may run on (oneTBB's default concurrency, which honours a CPU-affinity limit such as taskset or a
// batch system's cgroup). Resolved once per run and passed down.
int worker_threads(int requested);

struct RunOptions {
  int threads = 0;              // 0: worker_threads(0)
  int block_paths = 32;         // fixed: never derived from the thread count
  std::int64_t first_path = 0;  // a multiple of block_paths: where a resumed run goes on
  std::int64_t end_path = -1;   // where to stop (an MPI rank's share); -1: after the last path
  const std::atomic<bool>* stop = nullptr;  // set to stop early (Ctrl-C)
  std::function<void(std::int64_t paths_done)> progress;
  double consume_seconds = 0.0;  // out: wall time spent in the consumer (the serial stage)
};

// The blocks of `block_paths` paths that `paths` paths make (the last one may be short).
inline std::int64_t block_count(std::int64_t paths, int block_paths) {
  return (paths + block_paths - 1) / block_paths;
}

// Runs the scenario's paths [options.first_path, options.end_path); returns false when stopped
// early.
bool run_paths(const Model& model, RunOptions& options, BlockConsumer& consumer);

}  // namespace rxstress
