// Where `rxstress run` puts its results file: what may be replaced, checked before anything is
// simulated, and how the complete file takes the output's name.
#pragma once

#include <string>

namespace rxstress {

// The directory that receives `output` ("." for a bare file name).
std::string output_directory(const std::string& output);

// Throws InputError (exit 2) naming the path when `output` cannot receive a results file: it
// exists and is not a regular file (a device such as /dev/null, a directory, a FIFO, a socket),
// whatever `force` says; it exists and `force` is false; its directory does not exist, is not a
// directory or cannot be written.
void check_output_target(const std::string& output, bool force);

// Makes the complete `temporary` the results file: its data forced to disk (so that a write error
// the system reports only then is not lost, and a crash after the rename cannot leave an empty
// file), renamed over `output` if that is still absent or (with `force`) a regular file, and the
// directory entry forced to disk. Throws RunError, leaving `output` as it was, otherwise.
void commit_results(const std::string& temporary, const std::string& output, bool force);

}  // namespace rxstress
