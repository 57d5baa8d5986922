// Progress of a run on the error stream: on an interactive terminal a one-line bar redrawn in
// place; otherwise (a batch job's log, a pipe) one plain line every `every_seconds`, so that a
// Slurm log shows where a run is without filling it with carriage returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace rxstress {

class ProgressBar {
 public:
  // `already_done` paths were done by an earlier process (a resumed run): they count towards
  // the total but not towards this process's rate. every_seconds 0 prints after every update.
  ProgressBar(std::int64_t total, bool enabled, double every_seconds = 30.0,
              std::int64_t already_done = 0);
  void update(std::int64_t done);
  void finish();

 private:
  void draw_bar(std::int64_t done, double rate, double left);
  void print_line(std::int64_t done, double rate, double left);

  std::int64_t total_, already_done_;
  bool enabled_, terminal_;
  double every_seconds_;
  std::chrono::steady_clock::time_point start_, last_;
};

// "3,200/10,000 paths (32 %), 412 paths/s, about 17 s left": the batch line, without its prefix.
std::string progress_text(std::int64_t done, std::int64_t total, double rate, double seconds_left);

}  // namespace rxstress
