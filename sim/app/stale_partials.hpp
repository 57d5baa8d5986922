// The temporary files of `rxstress run` (OUT.partial-PID, renamed to OUT when complete) and the
// ones runs killed by SIGKILL, a crash or a power cut leave behind.
#pragma once

#include <sys/types.h>

#include <ostream>
#include <string>

namespace rxstress {

// The name a run of process `pid` writes `output` under until it is complete.
std::string partial_path(const std::string& output, pid_t pid);

// Removes the partial files of `output` whose run is gone, one line each on `err`, and names the
// ones it keeps: a run still writing (its process is alive here, or another process -- on this
// or, where the file system shares locks, another machine -- holds HDF5's lock on the file), or
// one it cannot tell about (a file system without locks, or HDF5_USE_FILE_LOCKING=FALSE).
// Checkpoints (OUT.checkpoint, `run --checkpoint`) are another name and never touched here.
void remove_stale_partials(const std::string& output, std::ostream& err);

}  // namespace rxstress
