// The writer stage of one MPI rank (R > 1). Every rank makes the same number of writer calls,
// "slots" -- ceil(blocks / R), a rank with fewer blocks filling the rest with writes of nothing --
// because each write is collective. Each slot first asks every rank whether it was told to stop
// (Ctrl-C, SIGTERM to one rank), so that all stop at the same slot and none waits for ever in a
// write the others never make; and adds up the paths written by all, for the progress line.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "app/progress.hpp"
#include "hpc/ranks.hpp"
#include "io/results_writer.hpp"

namespace rxstress {

class RankSlots : public BlockConsumer {
 public:
  RankSlots(ResultsWriter& writer, std::atomic<bool>& stop, ProgressBar& bar)
      : writer_(writer), stop_(stop), bar_(bar) {}
  void consume(const Block& block) override { slot(&block); }
  // Writes of nothing until this rank has made `slots` calls (its share done, or stopped).
  void pad_to(std::int64_t slots) {
    while (slots_ < slots) slot(nullptr);
  }
  bool stopped() const { return stopped_; }
  // Wall seconds in the agreements (MPI communication, and waiting for the slowest rank) and in
  // the collective writes, for `run --timings`.
  double agree_seconds() const { return agree_seconds_; }
  double write_seconds() const { return write_seconds_; }

 private:
  void slot(const Block* block) {
    ++slots_;
    if (stopped_) return;
    auto started = Clock::now();
    const bool stop = ranks::any(stop_.load());
    agree_seconds_ += since(started);
    if (stop) {
      stopped_ = true;
      stop_ = true;  // this rank's pipeline makes no more blocks
      return;
    }
    started = Clock::now();
    if (block)
      writer_.consume(*block);
    else
      writer_.pad();
    write_seconds_ += since(started);
    written_ += block ? block->count : 0;
    started = Clock::now();
    const std::int64_t written_by_all = ranks::sum(written_);
    agree_seconds_ += since(started);
    bar_.update(written_by_all);
  }
  using Clock = std::chrono::steady_clock;
  static double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  }

  ResultsWriter& writer_;
  std::atomic<bool>& stop_;
  ProgressBar& bar_;
  std::int64_t slots_ = 0, written_ = 0;
  double agree_seconds_ = 0.0, write_seconds_ = 0.0;
  bool stopped_ = false;
};

}  // namespace rxstress
