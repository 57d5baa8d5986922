// The processes of one run (DESIGN §4). The serial build has one; the MPI build
// (-DRXSTRESS_MPI=ON, sim/hpc/ranks_mpi.cpp) has MPI's ranks of MPI_COMM_WORLD. Everything above
// this header is written once for R ranks, and R = 1 is the serial program: the same code paths,
// so that the MPI build cannot drift from the one most users run.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace rxstress::ranks {

// Starts MPI (threads: MPI_THREAD_SERIALIZED, as the writer stage calls MPI from whichever
// oneTBB thread runs it, one at a time) and finalises it at the end of main.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

int rank();
int size();
inline bool root() { return rank() == 0; }
bool parallel_build();  // whether this program was built with MPI
// Whether every rank runs on this node (one shared-memory domain, so one node's I/O path).
bool single_node();

// Collectives: every rank calls them, in the same order.
void barrier();
bool any(bool mine);  // whether any rank's is true
std::int64_t sum(std::int64_t mine);
int broadcast(int root_value);  // rank 0's value on every rank
std::string broadcast(const std::string& root_value);
// Rank 0 receives every rank's values one after the other, in rank order; the others get nothing.
std::vector<double> gather(std::span<const double> mine);

// Ends every rank's process with this status (an error that only some ranks saw, which would
// otherwise leave the others waiting in a collective for ever).
[[noreturn]] void abort(int status);

// The contiguous share [first, end) of `count` items that rank r of R takes: as even as can be.
struct Share {
  std::int64_t first = 0, end = 0;
};
inline Share share(std::int64_t count, int r, int R) {
  return {count * r / R, count * (r + 1) / R};
}

}  // namespace rxstress::ranks
