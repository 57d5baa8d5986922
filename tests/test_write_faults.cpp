// Write failures of `rxstress run` (issue 18): whichever write fails -- in the path blocks, the
// statistics, the attributes or the close -- the run ends with exit 1 and one line naming the file
// and the reason, leaves no partial file and leaves an earlier results file as it was. The runs
// here are in this process, with the test program's pwrite failing the N-th write of the run's
// temporary file (write_faults.hpp), for every N.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "program.hpp"
#include "rxstress/app.hpp"
#include "write_faults.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using namespace rxstress::testing;

namespace {

const std::string kEarlier = "results of an earlier run\n";

struct Run {
  int status = -1;
  std::string err;
};

// `rxstress run` of the scratch scenario over an earlier results file (--force).
Run run_over_earlier(const ScratchDir& dir) {
  std::ofstream(dir.out() / "out.h5", std::ios::binary | std::ios::trunc) << kEarlier;
  rxstress::RunRequest request;
  request.scenario = dir.scenario();
  request.output = (dir.out() / "out.h5").string();
  request.force = true;
  request.quiet = true;
  std::ostringstream out, err;
  Run r;
  r.status = rxstress::run_command(request, out, err);
  r.err = err.str();
  return r;
}

// The phase of the run a failure message points to.
std::string phase(const std::string& message) {
  if (message.find("cannot write a slab") != std::string::npos) return "path blocks";
  if (message.find("/stats/") != std::string::npos) return "statistics";
  if (message.find("attribute") != std::string::npos) return "attributes";
  if (message.find("cannot close") != std::string::npos) return "close";
  if (message.find("cannot flush") != std::string::npos) return "close";
  return "setup";  // the file, the scenario, the practice and driver tables
}

std::set<std::string> names(const std::map<std::string, int>& counts) {
  std::set<std::string> keys;
  for (const auto& [key, count] : counts) keys.insert(key);
  return keys;
}

// The writes a scan fails: the first and last few of a healthy run and every ninth between, so
// that each phase is reached without a run per write (a small run makes about 600).
std::vector<long> sample(long writes) {
  std::vector<long> n;
  for (long i = 1; i <= writes; ++i)
    if (i <= 3 || i > writes - 3 || i % 9 == 0) n.push_back(i);
  return n;
}

// Runs with the N-th write failing (and, when persistent, every later one) for a sample of the
// writes of a healthy run; returns how often each phase was named.
std::map<std::string, int> fail_writes(bool persistent, int error, const std::string& reason) {
  ScratchDir dir("faults");
  plan_write_faults({});
  REQUIRE(run_over_earlier(dir).status == 0);
  const long writes = matching_writes();
  REQUIRE(writes > 100);
  std::map<std::string, int> phases;
  for (long n : sample(writes)) {
    plan_write_faults({.first = n, .persistent = persistent, .error = error});
    const Run r = run_over_earlier(dir);
    plan_write_faults({.path_marker = ""});
    INFO("write " << n << " of " << writes << " failed; stderr:\n" << r.err);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains("rxstress: ") && Contains("out.h5") && Contains(reason));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, EndsWith("\n"));
    CHECK(entries(dir.out()) == std::vector<std::string>{"out.h5"});
    const bool earlier_kept = slurp(dir.out() / "out.h5") == kEarlier;
    CHECK(earlier_kept);
    ++phases[phase(r.err)];
  }
  return phases;
}

}  // namespace

TEST_CASE("any one failed write (EIO) ends the run: exit 1, one line, earlier results kept",
          "[faults]") {
  const auto phases = fail_writes(false, EIO, "Input/output error");
  // Path blocks are written as they come (whole chunks, write_chunks); attributes stay in HDF5's
  // cache until the close.
  CHECK(names(phases) == std::set<std::string>{"close", "path blocks", "setup", "statistics"});
}

TEST_CASE("every write failing from the N-th on (a full disk) ends the run the same way",
          "[faults]") {
  const auto phases = fail_writes(true, ENOSPC, "No space left on device");
  CHECK(names(phases) == std::set<std::string>{"close", "path blocks", "setup", "statistics"});
}

TEST_CASE("a quota and a file-size limit are reported with their reasons", "[faults]") {
  for (const auto& [error, reason] :
       {std::pair{EDQUOT, "Disk quota exceeded"}, std::pair{EFBIG, "File too large"}}) {
    ScratchDir dir("faults");
    plan_write_faults({.first = 20, .persistent = true, .error = error});
    const Run r = run_over_earlier(dir);
    plan_write_faults({.path_marker = ""});
    INFO("stderr:\n" << r.err);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Contains(reason));
    CHECK(entries(dir.out()) == std::vector<std::string>{"out.h5"});
  }
}
