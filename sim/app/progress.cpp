#include "app/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace rxstress {
namespace {

// 1234567 -> "1,234,567" (the C++ locale facilities would depend on the environment's locale).
std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string duration_text(double seconds) {
  if (seconds < 120) return fmt::format("{:.0f} s", seconds);
  if (seconds < 7200) return fmt::format("{:.0f} min", seconds / 60);
  return fmt::format("{:.1f} h", seconds / 3600);
}

}  // namespace

std::string progress_text(std::int64_t done, std::int64_t total, double rate, double seconds_left) {
  const double percent = 100.0 * done / std::max<std::int64_t>(total, 1);
  return fmt::format("{}/{} paths ({:.0f} %), {:.0f} paths/s, {}", grouped(done), grouped(total),
                     std::floor(percent), rate,
                     rate > 0 ? "about " + duration_text(seconds_left) + " left"
                              : std::string("time left unknown"));
}

ProgressBar::ProgressBar(std::int64_t total, bool enabled, double every_seconds,
                         std::int64_t already_done)
    : total_(total),
      already_done_(already_done),
      enabled_(enabled),
      terminal_(isatty(STDERR_FILENO)),
      every_seconds_(every_seconds),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void ProgressBar::update(std::int64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  // A terminal redraws often; a log gets a line only every every_seconds_.
  const double interval = terminal_ ? 0.2 : every_seconds_;
  const bool last = done >= total_;
  if (!(terminal_ && last) && std::chrono::duration<double>(now - last_).count() < interval) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? (done - already_done_) / seconds : 0.0;
  const double left = rate > 0 ? (total_ - done) / rate : 0.0;
  if (terminal_)
    draw_bar(done, rate, left);
  else
    print_line(done, rate, left);
}

void ProgressBar::draw_bar(std::int64_t done, double rate, double left) {
  const int width = 30, filled = static_cast<int>(width * done / std::max<std::int64_t>(total_, 1));
  std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld paths  %.0f paths/s  %.0f s left ", filled,
               "##############################", width - filled, "", static_cast<long long>(done),
               static_cast<long long>(total_), rate, left);
  std::fflush(stderr);
}

void ProgressBar::print_line(std::int64_t done, double rate, double left) {
  std::fprintf(stderr, "progress: %s\n", progress_text(done, total_, rate, left).c_str());
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_ && terminal_) std::fprintf(stderr, "\r%*s\r", 90, "");
}

}  // namespace rxstress
