// A one-line progress bar with paths/s and time left, drawn only on an interactive terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace rxstress {

class ProgressBar {
 public:
  ProgressBar(std::int64_t total, bool enabled);
  void update(std::int64_t done);
  void finish();

 private:
  std::int64_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace rxstress
