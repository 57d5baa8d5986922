// The writer stage of one MPI rank (R > 1). Every rank makes the same number of writer calls,
// "slots" -- ceil(blocks / R), a rank with fewer blocks filling the rest with writes of nothing --
// because each write is collective. Each slot first asks every rank whether it was told to stop
// (Ctrl-C, SIGTERM to one rank), so that all stop at the same slot and none waits for ever in a
// write the others never make; and adds up the paths written by all, for the progress line.
#pragma once

#include <atomic>
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

 private:
  void slot(const Block* block) {
    ++slots_;
    if (stopped_) return;
    if (ranks::any(stop_.load())) {
      stopped_ = true;
      stop_ = true;  // this rank's pipeline makes no more blocks
      return;
    }
    if (block)
      writer_.consume(*block);
    else
      writer_.pad();
    written_ += block ? block->count : 0;
    bar_.update(ranks::sum(written_));
  }

  ResultsWriter& writer_;
  std::atomic<bool>& stop_;
  ProgressBar& bar_;
  std::int64_t slots_ = 0, written_ = 0;
  bool stopped_ = false;
};

}  // namespace rxstress
