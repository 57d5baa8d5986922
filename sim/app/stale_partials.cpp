#include "app/stale_partials.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <vector>

namespace rxstress {
namespace {

namespace fs = std::filesystem;

struct Partial {
  fs::path path;
  pid_t pid = 0;
};

enum class Owner {
  gone,      // no process here, no lock: nobody will finish it
  alive,     // its process is running here (perhaps a later process given the same pid)
  locked,    // a process, here or on another machine, holds HDF5's lock on it: a run writing it
  unknown,   // its process is not here, and locks cannot tell about other machines
  vanished,  // renamed or removed by its own run meanwhile
};

// OUT.partial-<digits> next to `output`.
std::vector<Partial> partials_of(const std::string& output) {
  const fs::path out(output);
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const std::string prefix = out.filename().string() + ".partial-";
  std::vector<Partial> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string_view digits = std::string_view(name).substr(prefix.size());
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != digits.npos)
      continue;
    found.push_back({entry.path(), static_cast<pid_t>(std::stol(std::string(digits)))});
  }
  return found;
}

// EPERM: the process exists but belongs to someone else.
bool process_alive(pid_t pid) { return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM); }

bool hdf5_locking_disabled() {
  const char* v = std::getenv("HDF5_USE_FILE_LOCKING");
  return v != nullptr && (std::strcmp(v, "FALSE") == 0 || std::strcmp(v, "0") == 0);
}

// A running rxstress holds HDF5's exclusive flock on its partial file for the whole run; the
// kernel drops it when the process dies, however it dies. Called with the file open in `fd`.
Owner owner_by_lock(int fd) {
  if (hdf5_locking_disabled()) return Owner::unknown;
  if (flock(fd, LOCK_EX | LOCK_NB) == 0) return Owner::gone;
  return errno == EWOULDBLOCK ? Owner::locked : Owner::unknown;
}

// Removes one partial file if its run is gone; returns what it found. Our own pid cannot be
// running yet (the run has not created its file), so only its lock counts: a file of the same
// name is left from an earlier process with this pid (containers reuse pids).
Owner clear(const Partial& p) {
  if (p.pid != getpid() && process_alive(p.pid)) return Owner::alive;
  const int fd = open(p.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return errno == ENOENT ? Owner::vanished : Owner::unknown;
  const Owner owner = owner_by_lock(fd);
  // Removed while locked, so no other run can claim it between the check and the removal.
  if (owner == Owner::gone && unlink(p.path.c_str()) != 0) {
    close(fd);
    return Owner::unknown;
  }
  close(fd);
  return owner;
}

}  // namespace

std::string partial_path(const std::string& output, pid_t pid) {
  return fmt::format("{}.partial-{}", output, pid);
}

void remove_stale_partials(const std::string& output, std::ostream& err) {
  for (const Partial& p : partials_of(output)) {
    switch (clear(p)) {
      case Owner::gone:
        err << fmt::format("rxstress: removed {}, left by a run that has ended (process {})\n",
                           p.path.string(), p.pid);
        break;
      case Owner::alive:
        err << fmt::format("rxstress: note: kept {}: its process {} is still running\n",
                           p.path.string(), p.pid);
        break;
      case Owner::locked:
        err << fmt::format(
            "rxstress: note: kept {}: a run (here or on another machine) is "
            "writing it\n",
            p.path.string());
        break;
      case Owner::unknown:
        err << fmt::format(
            "rxstress: note: kept {}: process {} is not running here, but without file locks a "
            "run on another machine may still be writing it; remove it by hand once it is not\n",
            p.path.string(), p.pid);
        break;
      case Owner::vanished:
        break;
    }
  }
}

}  // namespace rxstress
