#include "write_faults.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

namespace rxstress::testing {
namespace {

std::mutex g_mutex;
WriteFaultPlan g_plan{.path_marker = ""};  // no plan yet: every write goes straight to libc
long g_seen = 0;

bool matches(int fd, const std::string& marker) {
  char link[512];
  const std::string proc = "/proc/self/fd/" + std::to_string(fd);
  const ssize_t n = readlink(proc.c_str(), link, sizeof link - 1);
  return n > 0 && std::string(link, static_cast<std::size_t>(n)).find(marker) != std::string::npos;
}

}  // namespace

// The errno this write to `fd` fails with, or 0 when it goes ahead (counting matching writes).
int planned_error(int fd) {
  std::lock_guard lock(g_mutex);
  if (g_plan.path_marker.empty() || !matches(fd, g_plan.path_marker)) return 0;
  ++g_seen;
  const bool fail =
      g_plan.first > 0 && (g_seen == g_plan.first || (g_plan.persistent && g_seen > g_plan.first));
  return fail ? g_plan.error : 0;
}

void plan_write_faults(const WriteFaultPlan& plan) {
  std::lock_guard lock(g_mutex);
  g_plan = plan;
  g_seen = 0;
}

long matching_writes() {
  std::lock_guard lock(g_mutex);
  return g_seen;
}

}  // namespace rxstress::testing

extern "C" ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  using Pwrite = ssize_t (*)(int, const void*, size_t, off_t);
  static const auto real = reinterpret_cast<Pwrite>(dlsym(RTLD_NEXT, "pwrite"));
  if (const int error = rxstress::testing::planned_error(fd)) {
    errno = error;
    return -1;
  }
  return real(fd, buf, count, offset);
}
