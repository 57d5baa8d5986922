// MPI's ranks of MPI_COMM_WORLD (sim/hpc/ranks.hpp), in the build with -DRXSTRESS_MPI=ON.
#include <mpi.h>

#include <cstdlib>
#include <stdexcept>

#include "hpc/ranks.hpp"

namespace rxstress::ranks {
namespace {

void check(int status, const char* what) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

}  // namespace

Session::Session(int& argc, char**& argv) {
  int provided = 0;
  check(MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
  if (provided < MPI_THREAD_SERIALIZED)
    throw std::runtime_error("MPI: this MPI library cannot be called from more than one thread");
}

Session::~Session() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int size() {
  int n = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

bool parallel_build() { return true; }

bool single_node() {
  MPI_Comm node;
  check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node),
        "MPI_Comm_split_type");
  int here = 0;
  MPI_Comm_size(node, &here);
  MPI_Comm_free(&node);
  return here == size();
}

void barrier() { check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }

bool any(bool mine) {
  int in = mine ? 1 : 0, out = 0;
  check(MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD), "MPI_Allreduce");
  return out != 0;
}

std::int64_t sum(std::int64_t mine) {
  std::int64_t out = 0;
  check(MPI_Allreduce(&mine, &out, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
  return out;
}

int broadcast(int root_value) {
  check(MPI_Bcast(&root_value, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
  return root_value;
}

std::string broadcast(const std::string& root_value) {
  int n = broadcast(static_cast<int>(root_value.size()));
  std::string out = root_value;
  out.resize(n);
  check(MPI_Bcast(out.data(), n, MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
  return out;
}

std::vector<double> gather(std::span<const double> mine) {
  const int R = size();
  int n = static_cast<int>(mine.size());
  std::vector<int> counts(R), offsets(R);
  check(MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Gather");
  std::vector<double> all;
  if (root()) {
    int total = 0;
    for (int r = 0; r < R; ++r) offsets[r] = total, total += counts[r];
    all.resize(total);
  }
  check(MPI_Gatherv(mine.data(), n, MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                    MPI_DOUBLE, 0, MPI_COMM_WORLD),
        "MPI_Gatherv");
  return all;
}

void abort(int status) {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);
}

}  // namespace rxstress::ranks
