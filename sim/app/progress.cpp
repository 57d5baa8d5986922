#include "app/progress.hpp"

#include <unistd.h>

namespace rxstress {

ProgressBar::ProgressBar(std::int64_t total, bool enabled)
    : total_(total),
      enabled_(enabled && isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void ProgressBar::update(std::int64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? done / seconds : 0.0;
  const double left = rate > 0 ? (total_ - done) / rate : 0.0;
  const int width = 30, filled = static_cast<int>(width * done / std::max<std::int64_t>(total_, 1));
  std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld paths  %.0f paths/s  %.0f s left ", filled,
               "##############################", width - filled, "", static_cast<long long>(done),
               static_cast<long long>(total_), rate, left);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_) std::fprintf(stderr, "\r%*s\r", 90, "");
}

}  // namespace rxstress
