// The writer stage of one MPI rank (R > 1). Every rank makes the same number of writer calls,
// "slots" -- ceil(blocks / R), a rank with fewer blocks filling the rest with writes of nothing --
// because each write is collective. Each slot first asks every rank whether it was told to stop
// (Ctrl-C, SIGTERM to one rank), so that all stop at the same slot and none waits for ever in a
// write the others never make; and adds up the paths written by all, for the progress line.
#pragma once

#include <unistd.h>
#include <atomic>

#include <chrono>
#include <cstdint>

#include "app/progress.hpp"
#include "hpc/ranks.hpp"
#include "io/results_writer.hpp"

namespace rxstress {

// `run --checkpoint` on R ranks: rank 0's clock says when (every_seconds), every rank agrees in
// the same slot, and each saves its state (ResultsWriter::save_rank_state); a stop saves too.
struct SlotCheckpoints {
  bool enabled = false;
  double every_seconds = 60.0;
  int abort_after = 0;  // test hook: every rank ends at once after this many of its writes
};

class RankSlots : public BlockConsumer {
  using Clock = std::chrono::steady_clock;
  static double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  }

 public:
  // `slots_done`: writer calls made before (a resumed run), already_written: this rank's paths.
  RankSlots(ResultsWriter& writer, std::atomic<bool>& stop, ProgressBar& bar,
            std::int64_t slots_done = 0, std::int64_t already_written = 0,
            SlotCheckpoints checkpoints = {})
      : writer_(writer),
        stop_(stop),
        bar_(bar),
        checkpoints_(checkpoints),
        written_slots_(slots_done),
        written_(already_written) {}
  void consume(const Block& block) override { slot(&block); }
  // Writes of nothing until this rank has made `slots` calls (its share done), unless stopped.
  void pad_to(std::int64_t slots) {
    while (!stopped_ && written_slots_ < slots) slot(nullptr);
  }
  bool stopped() const { return stopped_; }
  // Wall seconds in the agreements (MPI communication, and waiting for the slowest rank) and in
  // the collective writes, for `run --timings`.
  double agree_seconds() const { return agree_seconds_; }
  double write_seconds() const { return write_seconds_; }

 private:
  void slot(const Block* block) {
    if (stopped_) return;
    auto started = Clock::now();
    const bool stop = ranks::any(stop_.load());
    agree_seconds_ += since(started);
    if (stop) {
      stopped_ = true;
      stop_ = true;  // this rank's pipeline makes no more blocks
      if (checkpoints_.enabled) writer_.save_rank_state(written_slots_);
      return;
    }
    started = Clock::now();
    if (block)
      writer_.consume(*block);
    else
      writer_.pad();
    write_seconds_ += since(started);
    ++written_slots_;
    if (checkpoints_.abort_after > 0 && written_slots_ == checkpoints_.abort_after) _exit(137);
    written_ += block ? block->count : 0;
    started = Clock::now();
    const std::int64_t written_by_all = ranks::sum(written_);
    agree_seconds_ += since(started);
    bar_.update(written_by_all);
    if (!checkpoints_.enabled) return;
    const bool due =
        ranks::any(ranks::root() && since(last_checkpoint_) >= checkpoints_.every_seconds);
    if (!due) return;
    writer_.save_rank_state(written_slots_);
    last_checkpoint_ = Clock::now();
  }

  ResultsWriter& writer_;
  std::atomic<bool>& stop_;
  ProgressBar& bar_;
  SlotCheckpoints checkpoints_;
  std::int64_t written_slots_ = 0, written_ = 0;  // writer calls made, this rank's paths written
  Clock::time_point last_checkpoint_ = Clock::now();
  double agree_seconds_ = 0.0, write_seconds_ = 0.0;
  bool stopped_ = false;
};

}  // namespace rxstress
