#include "app/output_target.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "rxstress/error.hpp"

namespace rxstress {
namespace {

namespace fs = std::filesystem;

// What stands at a path, for messages: "a directory", "a character device" ...
std::string kind_of(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory:
      return "a directory";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

InputError bad_output(const std::string& path, const std::string& problem,
                      const std::string& expected) {
  return InputError({path, 0, 0}, "-o", problem, expected);
}

// Opens `path` (a file or a directory), forces it to disk and closes it, checking each step.
void sync_to_disk(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw RunError("cannot open " + path + " to flush it: " + std::strerror(errno));
  const bool synced = fsync(fd) == 0;
  const int sync_errno = errno;
  const bool closed = close(fd) == 0;
  if (!synced || !closed)
    throw RunError("cannot write " + path + ": " + std::strerror(synced ? errno : sync_errno));
}

}  // namespace

std::string output_directory(const std::string& output) {
  const fs::path dir = fs::path(output).parent_path();
  return dir.empty() ? "." : dir.string();
}

void check_output_target(const std::string& output, bool force) {
  std::error_code ec;
  const fs::file_status status = fs::status(output, ec);
  if (fs::exists(status) && !fs::is_regular_file(status))
    throw bad_output(output, kind_of(status.type()) + ", not a results file; it is never replaced",
                     "the path of a results file, or --no-output to keep none");
  if (fs::exists(status) && !force)
    throw bad_output(output, "already exists", "a new file name, or --force to replace it");
  const std::string dir = output_directory(output);
  if (!fs::exists(dir, ec))
    throw bad_output(dir, "the output directory does not exist", "an existing directory");
  if (!fs::is_directory(dir, ec))
    throw bad_output(dir, "the output directory is not a directory", "an existing directory");
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    throw bad_output(
        dir, std::string("the output directory cannot be written (") + std::strerror(errno) + ")",
        "a directory you can create files in");
}

void commit_results(const std::string& temporary, const std::string& output, bool force) {
  std::error_code ec;
  const fs::file_status status = fs::status(output, ec);
  if (fs::exists(status) && !fs::is_regular_file(status))
    throw RunError(output + " became " + kind_of(status.type()) +
                   " during the run; it is never replaced");
  if (fs::exists(status) && !force) throw RunError(output + " appeared during the run");
  sync_to_disk(temporary);
  fs::rename(temporary, output);
  sync_to_disk(output_directory(output));
}

}  // namespace rxstress
