// Parallel simulate stage between a serial in-order source and a serial in-order consumer
// (oneTBB parallel_pipeline): memory is bounded by the blocks in flight, not the paths.
#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>

#include <chrono>
#include <memory>

#include "rxstress/engine.hpp"

namespace rxstress {

int worker_threads(int requested) {
  return requested > 0 ? requested : std::max(1, tbb::info::default_concurrency());
}

bool run_paths(const Model& model, RunOptions& options, BlockConsumer& consumer) {
  const int threads = worker_threads(options.threads);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  const std::int64_t paths = options.end_path >= 0 ? options.end_path : model.scenario().paths;
  const int per_block = std::max(1, options.block_paths);
  std::int64_t next = options.first_path;
  bool stopped = false;
  // Blocks are recycled so their (large) buffers are allocated once per token.
  std::vector<std::unique_ptr<Block>> storage;
  tbb::concurrent_queue<Block*> free_blocks;
  const int tokens = 2 * threads;
  for (int i = 0; i < tokens; ++i) {
    storage.push_back(std::make_unique<Block>());
    free_blocks.push(storage.back().get());
  }
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, Block*>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> Block* {
            if (next >= paths || (options.stop && options.stop->load())) {
              stopped = next < paths;
              fc.stop();
              return nullptr;
            }
            Block* block = nullptr;
            free_blocks.try_pop(block);
            block->first = next;
            block->count = static_cast<int>(std::min<std::int64_t>(per_block, paths - next));
            next += block->count;
            return block;
          }) &
          tbb::make_filter<Block*, Block*>(tbb::filter_mode::parallel,
                                           [&](Block* block) {
                                             simulate_block(model, block->first, block->count,
                                                            *block);
                                             return block;
                                           }) &
          tbb::make_filter<Block*, void>(tbb::filter_mode::serial_in_order, [&](Block* block) {
            const auto started = std::chrono::steady_clock::now();
            consumer.consume(*block);
            options.consume_seconds +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            if (options.progress) options.progress(block->first + block->count);
            free_blocks.push(block);
          }));
  return !stopped;
}

}  // namespace rxstress
