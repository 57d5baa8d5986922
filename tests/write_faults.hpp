// Fault injection for the tests that run `rxstress run` in this process: the test program's own
// pwrite, which libhdf5 calls instead of libc's (an executable's definition comes first in symbol
// lookup), fails chosen writes to files whose path contains a marker (".partial-": the run's
// temporary results file) with a chosen errno, and passes every other write to libc.
#pragma once

#include <string>

namespace rxstress::testing {

struct WriteFaultPlan {
  std::string path_marker = ".partial-";
  long first = 0;           // the first write to fail, counted from 1; 0 fails none
  bool persistent = false;  // every write from `first` on fails (a full disk), else only `first`
  int error = 5;            // errno of the failed write (EIO)
};

// Starts counting writes to matching files from 0 under `plan` (until the next call).
void plan_write_faults(const WriteFaultPlan& plan);
// Writes to matching files seen since plan_write_faults, failed or not.
long matching_writes();
// Called by the interposed pwrite.
int planned_error(int fd);

}  // namespace rxstress::testing
