// One process: the serial build's ranks (sim/hpc/ranks.hpp).
#include <cstdlib>

#include "hpc/ranks.hpp"

namespace rxstress::ranks {

Session::Session(int&, char**&) {}
Session::~Session() = default;
int rank() { return 0; }
int size() { return 1; }
bool parallel_build() { return false; }
bool single_node() { return true; }
void barrier() {}
bool any(bool mine) { return mine; }
std::int64_t sum(std::int64_t mine) { return mine; }
int broadcast(int root_value) { return root_value; }
std::string broadcast(const std::string& root_value) { return root_value; }
std::vector<double> gather(std::span<const double> mine) { return {mine.begin(), mine.end()}; }
void abort(int status) { std::_Exit(status); }

}  // namespace rxstress::ranks
